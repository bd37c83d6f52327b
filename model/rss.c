/* rss — the RSS breakdown.  See rss.h. */
#include "rss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "frames.h"

enum mkind { MK_ANON, MK_STACK, MK_FILE, MK_OTHER };

static enum mkind map_kind(const struct pm_map *m)
{
	if (!m->path || !m->path[0])
		return MK_ANON;
	if (!strcmp(m->path, "[heap]") || !strncmp(m->path, "[anon:", 6))
		return MK_ANON;
	if (!strcmp(m->path, "[stack]") || !strncmp(m->path, "[stack:", 7))
		return MK_STACK;
	if (m->path[0] == '[')
		return MK_OTHER;
	return MK_FILE;
}

static long find_map(const struct pm_smaps *sm, raddr_t a)
{
	size_t lo = 0, hi = sm->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a < sm->maps[mid].start)
			hi = mid;
		else if (a >= sm->maps[mid].end)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

static int buffer_kind(enum py_kind k)
{
	switch (k) {
	case PYK_NDARRAY: return 0;
	case PYK_ARRAY: case PYK_BYTEARRAY: return 1;
	case PYK_DEQUE: return 2;
	default: return 3;
	}
}

/* Buffers this large are asked about page by page; smaller ones lie in
 * malloc's heap among others and are taken as resident. */
#define RESIDENT_CHECK_MIN (64 << 10)

int rss_build(struct pyctx *c, struct graph *g, const struct pm_smaps *sm, const raddr_t *sps,
	      size_t nsps, rss_resident_fn resident, void *arg, struct rss_breakdown *b)
{
	memset(b, 0, sizeof *b);
	if (obm_read(c, &b->obm) != 0)
		return -1;

	/* mappings: which are stacks */
	unsigned char *stack = calloc(sm->n ? sm->n : 1, 1);
	if (!stack)
		return -1;
	for (size_t i = 0; i < nsps; i++) {
		long k = find_map(sm, sps[i]);
		if (k >= 0 && map_kind(&sm->maps[k]) == MK_ANON)
			stack[k] = 1;
	}
	struct py_thread *th = NULL;
	long nth = frames_threads(c, 0, 0, &th);
	for (long i = 0; i < nth; i++) {
		/* glibc keeps a thread's struct pthread (its pthread_t) at the
		 * top of its stack mapping; the main thread's is elsewhere */
		long k = th[i].is_main ? -1 : find_map(sm, th[i].thread_id);
		if (k >= 0 && map_kind(&sm->maps[k]) == MK_ANON)
			stack[k] = 1;
	}
	if (nth > 0)
		frames_threads_free(th, (size_t)nth);

	for (size_t i = 0; i < sm->n; i++) {
		const struct pm_map *m = &sm->maps[i];
		b->rss += m->rss;
		b->swap += m->swap;
		enum mkind k = stack[i] ? MK_STACK : map_kind(m);
		switch (k) {
		case MK_ANON: b->anon += m->rss; break;
		case MK_STACK: b->stacks += m->rss; b->nstacks++; break;
		case MK_FILE: b->file += m->rss; break;
		case MK_OTHER: b->other += m->rss; break;
		}
	}
	free(stack);

	/* arenas */
	for (size_t i = 0; i < b->obm.narenas; i++) {
		b->arena_mapped += b->obm.arenas[i].end - b->obm.arenas[i].start;
		b->arena_resident += resident(arg, b->obm.arenas[i].start, b->obm.arenas[i].end);
	}
	if (b->arena_resident > b->anon)
		b->arena_resident = b->anon;   /* read at another moment than smaps */

	/* objects and their buffers */
	uint32_t n = graph_nobjects(g);
	for (graph_obj_t o = 0; o < n; o++) {
		raddr_t a = graph_addr(g, o);
		const struct pytype *t = graph_type(g, o);
		uint64_t size = graph_size(g, o);
		raddr_t at = 0;
		uint64_t own = t ? py_owned_buffer(c, a, t, &at) : 0;
		if (own > size)
			own = 0;    /* not counted in this size: never split it */
		b->nobjects++;
		if (b->obm.found && obm_arena_of(&b->obm, a) >= 0)
			b->py_in_arenas += size - own;
		else
			b->py_malloced += size - own;
		if (own) {
			b->nbuffers++;
			b->buffers_size += own;
			uint64_t res = own;
			if (own >= RESIDENT_CHECK_MIN && at)
				res = resident(arg, at, at + own);
			b->buffers += res;
			b->buffers_by_kind[buffer_kind(t->kind)] += own;
		}
	}
	b->py_objects = b->py_in_arenas + b->py_malloced;

	/* In the arenas: objects, other blocks in use, free space; they add
	 * up to the arenas' resident bytes.  Object bytes beyond those (not
	 * resident) are carried to `unresident`. */
	uint64_t ra = b->arena_resident;
	uint64_t pa = b->py_in_arenas < ra ? b->py_in_arenas : ra;
	uint64_t excess = b->py_in_arenas - pa;
	uint64_t inuse = b->obm.found ? b->obm.allocated_bytes : 0;
	if (inuse > ra)
		inuse = ra;
	b->pym_other = inuse > pa ? inuse - pa : 0;
	b->pym_free = ra - pa - b->pym_other;

	/* Outside them: malloc'd objects, resident buffers, and the rest of
	 * anonymous memory, native. */
	uint64_t rest = b->anon - ra;
	uint64_t pyrest = b->py_malloced + b->buffers;
	if (pyrest <= rest) {
		b->native = rest - pyrest;
		b->unresident = excess;
	} else {
		b->native = 0;
		b->unresident = excess + pyrest - rest;
	}
	return 0;
}

void rss_free(struct rss_breakdown *b)
{
	obm_free(&b->obm);
}

int rss_native_growth(int64_t drss, int64_t dpy, char *msg, size_t cap)
{
	if (drss < RSS_NATIVE_MIN || (dpy > 0 && dpy >= drss / 4))
		return 0;
	char a[32], b[32];
	snprintf(msg, cap, "RSS +%s, Python objects %s%s: look below Python (memory no Python "
		 "object accounts for: C extensions, native buffers, malloc; `heapscope memory PID` "
		 "splits the RSS)", fmt_bytes((uint64_t)drss, a, sizeof a), dpy < 0 ? "-" : "+",
		 fmt_bytes((uint64_t)(dpy < 0 ? -dpy : dpy), b, sizeof b));
	return 1;
}

size_t rss_parts(const struct rss_breakdown *b, int pagemap, struct rss_part *p)
{
	size_t n = 0;
	char x[64], y[64], z[64];
	p[n] = (struct rss_part){"python_objects", "Python objects", b->py_objects, ""};
	snprintf(p[n++].how, sizeof p->how, "sys.getsizeof of %llu objects (graph) less their data "
		 "buffers: %s inside pymalloc arenas, %s malloc'd",
		 (unsigned long long)b->nobjects, fmt_bytes(b->py_in_arenas, x, sizeof x),
		 fmt_bytes(b->py_malloced, y, sizeof y));
	p[n++] = (struct rss_part){"buffers", "buffers they own", b->buffers, ""};
	{
		char d[64], e[64];
		fmt_bytes(b->buffers_by_kind[2], d, sizeof d);
		fmt_bytes(b->buffers_by_kind[3], e, sizeof e);
		snprintf(p[n - 1].how, sizeof p->how, "%llu buffers, %s in all: ndarray data %s, "
			 "array.array/bytearray %s, deque blocks %s, io %s; at their resident size%s",
			 (unsigned long long)b->nbuffers, fmt_bytes(b->buffers_size, x, sizeof x),
			 fmt_bytes(b->buffers_by_kind[0], y, sizeof y),
			 fmt_bytes(b->buffers_by_kind[1], z, sizeof z), d, e,
			 pagemap ? " (pagemap, for buffers of 64 KiB and up)" : "");
	}
	p[n] = (struct rss_part){"pymalloc_other", "pymalloc, other", b->pym_other, ""};
	if (b->obm.found)
		snprintf(p[n++].how, sizeof p->how, "blocks in use in the arenas (%s, as "
			 "sys._debugmallocstats() counts them) that no object's size accounts for",
			 fmt_bytes(b->obm.allocated_bytes, x, sizeof x));
	else
		snprintf(p[n++].how, sizeof p->how, "unknown: %s", b->obm.why);
	p[n] = (struct rss_part){"pymalloc_free", "pymalloc free", b->pym_free, ""};
	if (b->obm.found)
		snprintf(p[n++].how, sizeof p->how, "resident bytes of %llu arenas (%s mapped, %s "
			 "resident%s) in no block in use: free blocks, empty pools, pool headers",
			 (unsigned long long)b->obm.narenas, fmt_bytes(b->arena_mapped, x, sizeof x),
			 fmt_bytes(b->arena_resident, y, sizeof y),
			 pagemap ? ", pagemap" : ", assumed: pagemap unreadable");
	else
		snprintf(p[n++].how, sizeof p->how, "unknown (no arenas found): counted under native");
	p[n] = (struct rss_part){"native", "native", b->native, ""};
	snprintf(p[n++].how, sizeof p->how, "anonymous memory (%s: heap, anonymous mmaps) outside "
		 "the arenas and stacks that no Python object accounts for: C libraries and "
		 "extensions, malloc's free lists, leaks below Python",
		 fmt_bytes(b->anon, x, sizeof x));
	p[n] = (struct rss_part){"thread_stacks", "thread stacks", b->stacks, ""};
	snprintf(p[n++].how, sizeof p->how, "Rss of %llu stack mappings ([stack] and the mappings "
		 "holding a thread's stack pointer or pthread) of %llu threads",
		 (unsigned long long)b->nstacks, (unsigned long long)b->nthreads);
	p[n] = (struct rss_part){"file_backed", "file-backed", b->file, ""};
	snprintf(p[n++].how, sizeof p->how, "Rss of file mappings: the interpreter, libraries, "
		 "mmapped files (smaps)");
	p[n] = (struct rss_part){"other", "other", b->other, ""};
	snprintf(p[n++].how, sizeof p->how, "[vdso], [vvar] and other special mappings");
	if (b->unresident) {
		p[n] = (struct rss_part){"not_resident", "not resident", b->unresident, ""};
		snprintf(p[n++].how, sizeof p->how, "subtracted: Python sizes above that anonymous "
			 "memory does not hold (swapped out: %s in swap)", fmt_bytes(b->swap, x, sizeof x));
	}
	return n;
}

