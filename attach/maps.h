/* maps — /proc/PID/maps, read consistently (re-read while it changes). */
#ifndef HS_MAPS_H
#define HS_MAPS_H

#include <sys/types.h>
#include "err.h"
#include "memsrc.h"

/* Parse /proc/PID/maps into a sorted array (caller frees with
 * proc_maps_free).  Errors: HS_ERR_NO_PROCESS, HS_ERR_PERMISSION (with the
 * ptrace/CAP_SYS_PTRACE explanation). */
enum hs_status proc_read_maps(pid_t pid, struct mem_map **maps, size_t *n,
			      struct hs_err *err);
void proc_maps_free(struct mem_map *maps, size_t n);

#endif
