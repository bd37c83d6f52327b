/* rss — where a process's resident memory goes: its RSS split into parts
 * that add up to it, each with how it was obtained.
 *
 *   Python objects     sys.getsizeof of every object of the graph, less
 *                      the data buffers below; split by where the object
 *                      itself lies: in a pymalloc arena or malloc'd
 *   buffers they own   ndarray data, array.array items, bytearray bytes,
 *                      deque blocks, io buffers (py_owned_buffer), counted
 *                      at their resident size (pages never touched, e.g.
 *                      of np.zeros, take no RSS)
 *   pymalloc, other    blocks in use in arenas that no object accounts for
 *   pymalloc free      resident arena bytes in no block in use
 *   native             the rest of anonymous memory: malloc'd by C code,
 *                      malloc's own free lists, leaks below Python
 *   thread stacks      [stack] and each thread's stack mapping
 *   file-backed        libraries, mmapped files
 *   other              [vdso], [vvar]...
 *
 * The kernel's figures (/proc/PID/smaps) come from attach/procmem, read by
 * the caller; model/ reads no /proc file: residency of a range is asked
 * through a callback.
 */
#ifndef HS_RSS_H
#define HS_RSS_H

#include <stdint.h>

#include "graph.h"
#include "obmalloc.h"
#include "procmem.h"

typedef uint64_t (*rss_resident_fn)(void *arg, raddr_t start, raddr_t end);

struct rss_breakdown {
	uint64_t rss;                 /* sum of the mappings' Rss (smaps) */
	uint64_t rss_before, rss_after; /* smaps_rollup before and after the snapshot */
	/* the parts (they add up to rss) */
	uint64_t py_objects, buffers, pym_other, pym_free, native, stacks, file, other;
	uint64_t unresident;          /* Python sizes beyond what anonymous memory holds
				         (swapped out): subtracted so the parts add up */
	/* detail */
	uint64_t nobjects, py_in_arenas, py_malloced;
	uint64_t nbuffers, buffers_size;  /* the buffers' full size (resident: `buffers`) */
	uint64_t buffers_by_kind[4];      /* ndarray, array.array+bytearray, deque, io */
	uint64_t anon;                /* anonymous, not stacks: arenas + the rest */
	uint64_t arena_resident, arena_mapped;
	uint64_t nthreads, nstacks;
	uint64_t swap;
	struct obm_stats obm;
};

/* Fill *b from the graph, the pymalloc walk (done here) and the smaps
 * read by the caller; `thread_sps` are stack pointers of threads (from
 * /proc/PID/task/TID/syscall) to tell thread stacks, besides the
 * Python threads' own pthread structs.  0, or -1 out of memory. */
int rss_build(struct pyctx *c, struct graph *g, const struct pm_smaps *sm,
	      const raddr_t *thread_sps, size_t nsps, rss_resident_fn resident, void *arg,
	      struct rss_breakdown *b);
void rss_free(struct rss_breakdown *b);

/* The parts in display order, each with a key ("python_objects"...), a
 * name, its bytes and how the figure was obtained; "not_resident" (only
 * when non-zero) is subtracted.  pagemap: residency was read (else
 * assumed).  Returns how many (at most RSS_MAX_PARTS). */
#define RSS_MAX_PARTS 12
struct rss_part {
	const char *key, *name;
	uint64_t bytes;
	char how[320];
};
size_t rss_parts(const struct rss_breakdown *b, int pagemap, struct rss_part *p);

/* Growth of the RSS that Python objects do not explain: RSS grew by at
 * least RSS_NATIVE_MIN and Python objects (sizes, with their buffers) by
 * less than a quarter of it.  Then fills msg ("RSS +40.0 MiB, Python
 * objects +0.2 MiB: look below Python …") and returns 1; else 0. */
#define RSS_NATIVE_MIN ((int64_t)8 << 20)
int rss_native_growth(int64_t drss, int64_t dpython, char *msg, size_t cap);

#endif
