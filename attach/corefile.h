/* corefile — ELF core files (written by the kernel or by gdb's gcore) as a
 * memsrc backend: `heapscope types core.1234` and every other command.
 *
 * The core's writable PT_LOAD segments are the snapshot's copied regions
 * (what a live snapshot copies); reads outside them (type names and other
 * read-only data) are served from the core's other segments, then from the
 * files the process had mapped, found through the core's NT_FILE note
 * (under --sysroot DIR; the executable at --exe PATH).  A mapped file is
 * used only when its GNU build id equals the one in the core's copy of its
 * ELF header (when the core has that page).  The CPython runtime is found
 * in those files as for a live process (py_find_runtime).
 *
 * The core is untrusted: every offset and size is checked against the
 * file, note parsing is bounded, and failures are HS_ERR_BAD_FILE (not a
 * readable core) or HS_ERR_CORE_FILES (the mapped files are missing or
 * differ from those the process had).
 */
#ifndef HS_COREFILE_H
#define HS_COREFILE_H

#include <stddef.h>
#include "err.h"
#include "snapshot.h"

struct core_opts {
	const char *sysroot;    /* prefix of the mapped files' paths, or NULL */
	const char *exe;        /* the executable's path here, or NULL */
};

/* 1 when path is a readable ELF core file. */
int corefile_sniff(const char *path);

enum hs_status corefile_open(const char *path, const struct core_opts *o,
			     struct hs_snapshot **out, struct hs_err *err);

/* The memory part only (for the fuzz harness): a memsrc over a core image
 * in buf (which must outlive it), mapped files not consulted. */
enum hs_status corefile_mem(const unsigned char *buf, size_t len, const char *name,
			    memsrc **out, struct hs_err *err);

#endif
