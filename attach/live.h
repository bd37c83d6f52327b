/* live — the live-process memsrc backend.
 *
 * live_snapshot(): seize every thread of the target (PTRACE_SEIZE +
 * PTRACE_INTERRUPT on each /proc/PID/task entry, re-listing until no new
 * thread appears), copy the mappings that can hold Python objects in large
 * process_vm_readv chunks into private anonymous memory, detach, and return
 * a memsrc that serves every read from that copy.  Bytes outside the copy
 * (read-only file mappings, lazily read payloads) are read from the running
 * process afterwards and counted in memsrc_info.lazy_*.
 *
 * The target is resumed on every path: errors, SIGINT/SIGTERM/SIGHUP during
 * the pause (handlers detach, then re-raise), and — by the kernel — if
 * heapscope itself dies while attached.  Nothing is ever written to it.
 */
#ifndef HS_LIVE_H
#define HS_LIVE_H

#include <stdint.h>
#include <sys/types.h>
#include "err.h"
#include "memsrc.h"

struct live_opts {
	int no_freeze;       /* copy without stopping the target (torn reads possible) */
	uint64_t max_copy;   /* 0 = unlimited; else fail with HS_ERR_NOMEM when the
			        mappings to copy exceed this many bytes */
	size_t chunk;        /* process_vm_readv chunk size; 0 = 1 MiB */
};

enum hs_status live_snapshot(pid_t pid, const struct live_opts *opts,
			     memsrc **out, struct hs_err *err);

/* Which mappings the snapshot copies: private or shared, readable and
 * writable, not [vvar]/[vsyscall]/[vdso].  Exposed for the bench's
 * copy-floor measurement so both copy exactly the same bytes. */
int live_should_copy(const struct mem_map *m);

#endif
