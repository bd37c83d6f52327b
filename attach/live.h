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
 * Big payloads are not copied during the pause.  A glibc malloc block of
 * lazy_min bytes or more has a mapping of its own (glibc mmap()s every
 * block above its mmap threshold, at most 32 MiB): a 16-byte chunk header
 * {prev_size 0, size | IS_MMAPPED} at a page start, size = the mapping's
 * length.  Such a block is one object's memory (a bytes/str/bytearray
 * payload, a list's or tuple's item array, a dict's key table), and its
 * object header, if any, is in the first bytes.  The pause copies its first
 * LIVE_LAZY_HEAD bytes; the rest is a lazy range of the memsrc (see
 * memsrc_add_lazy, mem_is_lazy), read from the running target when a reader
 * first asks for it.  Everything else that can hold object headers (pymalloc
 * arenas, [heap], .data/.bss, stacks, small blocks) is copied in full.
 * Blocks are found while the target runs, in big anonymous mappings
 * (adjacent mappings merge, so a block need not start one): a walk from
 * the mapping's start reads 16 bytes every 256 KiB (pymalloc arenas are
 * 256 KiB or 1 MiB) and jumps over each block found; if its steps do not
 * end exactly at the mapping's end, something of another size is in
 * between and every touched page start is read instead.  During the pause
 * only those headers (and each mapping's first 16 bytes) are read again,
 * and only a header that still matches is trusted.
 * Other allocators (jemalloc, mimalloc) leave no such headers: then
 * everything is copied, as with lazy_min = LIVE_LAZY_OFF.
 *
 * The target is resumed on every path: errors, signals to heapscope during
 * the pause, and — by the kernel — if heapscope itself dies while attached.
 * Nothing is ever written to it.
 *
 * Signals: from the first stop to the last resume, SIGINT, SIGTERM,
 * SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN and SIGTTOU are blocked.
 * After the resume, one whose disposition is SIG_DFL and would end the
 * process is consumed and live_snapshot() fails with HS_ERR_INTERRUPTED;
 * the others are delivered as the caller's mask is restored (a handler
 * the caller installed runs; Ctrl-Z stops heapscope, the target runs on).
 * A signal the caller blocks itself stays pending for the caller.
 */
#ifndef HS_LIVE_H
#define HS_LIVE_H

#include <stdint.h>
#include <sys/types.h>
#include "err.h"
#include "memsrc.h"

struct live_incr;

struct live_opts {
	int no_freeze;       /* copy without stopping the target (torn reads possible) */
	uint64_t max_copy;   /* 0 = unlimited; else fail with HS_ERR_NOMEM when the
			        bytes the pause would copy (live_pause_ranges,
			        minus never-touched anonymous pages) exceed it */
	size_t chunk;        /* process_vm_readv chunk size; 0 = 1 MiB */
	uint64_t lazy_min;   /* malloc blocks of this many bytes or more are
			        copied only in part (see above); 0 = the default
			        LIVE_LAZY_MIN_DEFAULT, LIVE_LAZY_OFF = copy all */
	struct live_incr *incr; /* re-snapshots of one target: copy only what
				   changed (see "Incremental re-snapshots"); NULL:
				   every snapshot copies everything and the
				   target's soft-dirty bits are left alone */
	/* Tests only.  verify_incr: in the same pause, also take a full copy
	 * and fail with HS_ERR_INTERNAL unless the incremental one equals it
	 * on every page (also HEAPSCOPE_TEST_INCR_VERIFY=1, test builds).
	 * dirty_oracle: replaces the soft-dirty bit of pagemap (1 = written
	 * since the last snapshot), for kernels built without it. */
	int verify_incr;
	int (*dirty_oracle)(void *arg, uint64_t page_addr);
	void *oracle_arg;
};

#define LIVE_LAZY_MIN_DEFAULT ((uint64_t)8 << 20)
#define LIVE_LAZY_OFF UINT64_MAX
/* Bytes of a lazy block copied during the pause: the chunk header, the
 * object's header and a prefix of its payload. */
#define LIVE_LAZY_HEAD ((uint64_t)64 << 10)

enum hs_status live_snapshot(pid_t pid, const struct live_opts *opts,
			     memsrc **out, struct hs_err *err);

/* ==== Incremental re-snapshots ====
 *
 * A snapshot taken with opts->incr set clears the target's soft-dirty bits
 * while it is stopped (writes "4" to /proc/PID/clear_refs) and keeps its
 * copy as the base of the next one.  The next snapshot of the same PID
 * then reads from the target only the pages the kernel marks as written
 * since (bit 55 of /proc/PID/pagemap, set on every write and for every
 * mapping created, moved or grown since the clear), the pages that are
 * not exclusively the target's (a shared zero page after MADV_DONTNEED, a
 * page shared with a fork), shared and file-backed mappings in full, and
 * the rest it takes from the base after the target was resumed: the pause
 * costs what changed.  Clearing the bits is a change to the target's
 * kernel state (invisible to the process, but CRIU and anything else that
 * tracks soft-dirty pages of it lose their record; two heapscopes doing
 * this to one target would each miss the other's clears).
 * Falls back to full copies (live_incr_note says why) when the kernel has
 * no soft-dirty tracking (CONFIG_MEM_SOFT_DIRTY), clear_refs cannot be
 * written, or /proc/PID/pagemap cannot be read.  The base is a reference
 * to the previous snapshot's memsrc (memsrc_ref): it stays in memory until
 * the next snapshot or live_incr_free, whoever else frees it. */
struct live_incr *live_incr_new(void);
void live_incr_free(struct live_incr *in);
/* NULL while re-snapshots are (or may be) incremental, else why not. */
const char *live_incr_note(const struct live_incr *in);
/* Does this kernel track soft-dirty pages?  1, or 0 with why filled. */
int live_soft_dirty_supported(char *why, size_t cap);

/* Read len bytes at addr from the running target without stopping it (a
 * value that is changing may be torn): 0, or -1 when they are unreadable.
 * For polling a flag between two snapshots. */
int live_peek(pid_t pid, raddr_t addr, void *buf, size_t len);

/* 1 after a snapshot could not release a thread of its target (one
 * blocked in the kernel since before it was asked to stop; the snapshot
 * failed with a message naming it).  The thread stays traced and stops
 * when it wakes up, until heapscope exits (the kernel then releases it):
 * the caller must exit promptly.  Later snapshots refuse to run. */
int live_stranded(void);

/* Which mappings the snapshot copies: private or shared, readable and
 * writable, not [vvar]/[vsyscall]/[vdso].  Exposed for the bench's
 * copy-floor measurement so both copy the same mappings.  A mapping it
 * accepts may still be copied only in part during the pause (the lazy
 * tails of big malloc blocks): live_pause_ranges() says which part. */
int live_should_copy(const struct mem_map *m);

struct live_range {
	raddr_t start, end;
};

/* The address ranges a snapshot of pid with opts would copy during the
 * pause, ascending: every mapping live_should_copy() accepts, minus the
 * lazy tails of big malloc blocks.  (The snapshot also skips anonymous
 * pages that were never touched; those are not subtracted here.)  Reads
 * the target (process_vm_readv and /proc/PID/pagemap, nothing written, no
 * stop): call it while the target is stopped to match what a snapshot at
 * that moment copies.  *out is malloc()ed.  HS_OK or an error. */
enum hs_status live_pause_ranges(pid_t pid, const struct mem_map *maps,
				 size_t n, const struct live_opts *opts,
				 struct live_range **out, size_t *nout,
				 struct hs_err *err);

#endif
