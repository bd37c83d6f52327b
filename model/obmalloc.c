/* obmalloc — pymalloc's arenas and pools.  See obmalloc.h. */
#include "obmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SAMPLES 16               /* pools (distinct arenas) that must agree */
#define MAX_ARENA_INDEX (1u << 24)   /* 16 M arenas = 16 TiB: beyond is garbage */

struct ctx {
	struct pyctx *c;
	memsrc *m;
	const struct py_layout *L;
	uint64_t pool, arena, align, nclasses, hdr;
};

static uint32_t rd32(const void *p, int32_t off)
{
	uint32_t v;
	memcpy(&v, (const char *)p + off, 4);
	return v;
}

static uint64_t rd64(const void *p, int32_t off)
{
	uint64_t v;
	memcpy(&v, (const char *)p + off, 8);
	return v;
}

static uint64_t nblocks(const struct ctx *x, uint32_t szidx)
{
	return (x->pool - x->hdr) / ((szidx + 1) * x->align);
}

/* Does the pool header at a look like a pool in use (the checks hold for
 * every pool CPython has initialised: init_pool sets szidx, nextoffset and
 * maxnextoffset together)?  *idx gets its arena index. */
static int looks_like_pool(const struct ctx *x, raddr_t a, uint32_t *idx)
{
	const struct py_layout *L = x->L;
	const void *h = mem_ptr(x->m, a, (size_t)x->hdr);
	if (!h)
		return 0;
	uint32_t count = rd32(h, L->pool_count);
	uint32_t szidx = rd32(h, L->pool_szidx);
	uint32_t next = rd32(h, L->pool_nextoffset);
	uint32_t maxnext = rd32(h, L->pool_maxnextoffset);
	if (szidx >= x->nclasses || count == 0 || count > nblocks(x, szidx))
		return 0;
	uint64_t size = (szidx + 1) * x->align;
	if (maxnext != x->pool - size || next > maxnext + size || next < x->hdr ||
	    (next - x->hdr) % size)
		return 0;
	*idx = rd32(h, L->pool_arenaindex);
	return *idx < MAX_ARENA_INDEX;
}

struct sample {
	raddr_t pool;
	uint32_t idx;
};

/* Pools in use, from anonymous writable memory, one per arena index. */
static size_t find_pools(const struct ctx *x, struct sample *s)
{
	size_t nmaps, n = 0;
	const struct mem_map *maps = mem_maps(x->m, &nmaps);
	for (size_t i = 0; maps && i < nmaps && n < MAX_SAMPLES; i++) {
		const struct mem_map *mp = &maps[i];
		if ((mp->path && mp->path[0]) || mp->shared || !(mp->prot & 2))
			continue;
		raddr_t a = (mp->start + x->pool - 1) & ~(x->pool - 1);
		for (; a + x->pool <= mp->end && n < MAX_SAMPLES; a += x->pool) {
			uint32_t idx;
			if (!mem_in_copy(x->m, a, (size_t)x->hdr) || !looks_like_pool(x, a, &idx))
				continue;
			size_t k;
			for (k = 0; k < n && s[k].idx != idx; k++)
				;
			if (k == n)
				s[n++] = (struct sample){a, idx};
		}
	}
	return n;
}

/* Is t an arena_object array holding every sampled pool in the arena
 * its header names? */
static int table_fits(const struct ctx *x, raddr_t t, const struct sample *s, size_t n)
{
	const struct py_layout *L = x->L;
	if (!t || (t & 7))
		return 0;
	for (size_t i = 0; i < n; i++) {
		raddr_t e = t + (uint64_t)s[i].idx * (uint64_t)L->arena_object_size;
		const void *p = mem_ptr(x->m, e, (size_t)L->arena_object_size);
		if (!p)
			return 0;
		raddr_t start = rd64(p, L->arena_address), pa = rd64(p, L->arena_pool_address);
		if (!start || s[i].pool < start || s[i].pool >= start + x->arena ||
		    pa <= s[i].pool || pa > start + x->arena)
			return 0;
	}
	return 1;
}

/* The arena table: a word in the interpreter's writable data (its ELF's
 * writable mappings and the anonymous one right after them: .bss) that
 * points to it. */
static int find_table(const struct ctx *x, const struct sample *s, size_t n,
		      raddr_t *table, raddr_t *ref)
{
	const char *elf = pyctx_rt(x->c)->path;
	size_t nmaps;
	const struct mem_map *maps = mem_maps(x->m, &nmaps);
	raddr_t prev_end = 0;
	int prev_ours = 0;
	for (size_t i = 0; maps && i < nmaps; i++) {
		const struct mem_map *mp = &maps[i];
		int ours = mp->path && elf[0] && !strcmp(mp->path, elf);
		int bss = !ours && prev_ours && (!mp->path || !mp->path[0]) && mp->start == prev_end;
		prev_ours = ours;
		prev_end = mp->end;
		if (!(ours || bss) || !(mp->prot & 2))
			continue;
		for (raddr_t a = mp->start; a + 8 <= mp->end; a += 8) {
			const uint64_t *w = mem_ptr(x->m, a, 8);
			if (!w) {
				a = (a | 4095);   /* not copied: the next page */
				a -= 7;
				continue;
			}
			if (*w && !(*w & 15) && table_fits(x, *w, s, n)) {
				*table = *w;
				*ref = a;
				return 0;
			}
		}
	}
	return -1;
}

static int cmp_arena(const void *a, const void *b)
{
	const struct obm_arena *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

int obm_read(struct pyctx *c, struct obm_stats *st)
{
	const struct py_layout *L = pyctx_layout(c);
	memset(st, 0, sizeof *st);
	struct ctx x = {c, pyctx_mem(c), L, (uint64_t)L->obm_pool_size,
			(uint64_t)L->obm_arena_size, (uint64_t)L->obm_alignment, 0,
			(uint64_t)L->pool_header_size};
	if (x.pool == 0 || x.arena == 0 || x.align == 0 || L->arena_object_size <= 0) {
		snprintf(st->why, sizeof st->why, "this CPython version's obmalloc structures are not "
			 "in heapscope's layout table");
		return 0;
	}
	x.nclasses = (uint64_t)L->obm_small_threshold / x.align;
	if (x.nclasses > OBM_MAX_CLASSES)
		x.nclasses = OBM_MAX_CLASSES;
	st->arena_size = x.arena;
	st->pool_size = x.pool;
	st->alignment = x.align;
	st->nclasses = x.nclasses;

	struct sample s[MAX_SAMPLES];
	size_t n = find_pools(&x, s);
	st->nsampled = n;
	if (n == 0) {
		snprintf(st->why, sizeof st->why, "no pymalloc pool in the process's anonymous memory "
			 "(PYTHONMALLOC=malloc, or a build without pymalloc)");
		return 0;
	}
	raddr_t table, ref;
	if (find_table(&x, s, n, &table, &ref) != 0) {
		snprintf(st->why, sizeof st->why, "%zu pymalloc pools found, but no arena table in the "
			 "interpreter's data that holds them (a subinterpreter's own allocator?)", n);
		return 0;
	}
	/* maxarenas: the uint next to `arenas` (a member of the same struct
	 * from 3.12; 3.8-3.11's statics are defined in that order too); else
	 * the entries up to the first that is neither empty nor an arena. */
	uint32_t maxidx = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i].idx > maxidx)
			maxidx = s[i].idx;
	uint64_t w;
	uint32_t maxarenas = 0;
	const char *maxhow;
	if (mem_u64(x.m, ref + 8, &w) == 0 && (uint32_t)w > maxidx && (uint32_t)w < MAX_ARENA_INDEX &&
	    (uint32_t)w % 16 == 0) {
		maxarenas = (uint32_t)w;
		maxhow = "maxarenas beside it";
	} else if (mem_u64(x.m, table - 8, &w) == 0 && (w & ~(uint64_t)7) > 16 &&
		   (w & ~(uint64_t)7) < ((uint64_t)MAX_ARENA_INDEX * (uint64_t)L->arena_object_size)) {
		/* glibc's chunk header before the array (realloc'd to
		 * maxarenas entries, maxarenas = 16 * 2^k): its usable size
		 * holds the largest such count that fits */
		uint64_t usable = (w & ~(uint64_t)7) - ((w & 2) ? 16 : 8);
		uint64_t fit = usable / (uint64_t)L->arena_object_size;
		uint32_t m = 16;
		while ((uint64_t)m * 2 <= fit && m < MAX_ARENA_INDEX)
			m *= 2;
		if (m > maxidx && (uint64_t)m <= fit) {
			maxarenas = m;
			maxhow = "maxarenas from the size of its malloc chunk";
		} else {
			maxarenas = MAX_ARENA_INDEX;
			maxhow = "entries up to the first invalid one (maxarenas unknown)";
		}
	} else {
		maxarenas = MAX_ARENA_INDEX;
		maxhow = "entries up to the first invalid one (maxarenas unknown)";
	}
	st->found = 1;
	st->table = table;
	st->table_ref = ref;
	snprintf(st->how, sizeof st->how, "arena table at %#llx (pointer at %#llx in the "
		 "interpreter's data; %zu pools recognised by their headers agree), %s",
		 (unsigned long long)table, (unsigned long long)ref, n, maxhow);

	size_t cap = 0;
	for (uint32_t i = 0; i < maxarenas; i++) {
		raddr_t e = table + (uint64_t)i * (uint64_t)L->arena_object_size;
		const void *p = mem_ptr(x.m, e, (size_t)L->arena_object_size);
		if (!p)
			break;
		raddr_t base = rd64(p, L->arena_address), pa = rd64(p, L->arena_pool_address);
		if (!base)
			continue;   /* an unused arena_object */
		/* Past the table's end (maxarenas unknown), whatever follows
		 * can look like an entry: an arena is mmap()ed, so its base is
		 * page-aligned and it was copied (seen once on 3.6: 3719
		 * "arenas" read out of the memory after a 41-arena table). */
		if (maxarenas == MAX_ARENA_INDEX &&
		    ((base & 4095) || !mem_ptr(x.m, base, (size_t)x.hdr)))
			break;
		if (pa < base || pa > base + x.arena) {
			if (maxarenas == MAX_ARENA_INDEX)
				break;
			continue;
		}
		st->narenas++;
		st->unused_pools += rd32(p, L->arena_nfreepools);
		if (st->narenas > cap) {
			cap = cap ? 2 * cap : 64;
			struct obm_arena *na = realloc(st->arenas, cap * sizeof *na);
			if (!na)
				return -1;
			st->arenas = na;
		}
		st->arenas[st->narenas - 1] = (struct obm_arena){base, base + x.arena, pa};
		/* _PyObject_DebugMallocStats: round up to pool alignment, then
		 * every pool below pool_address; count == 0 is a free pool */
		raddr_t a = base;
		if (a & (x.pool - 1)) {
			st->alignment_bytes += x.pool;
			a = (a & ~(x.pool - 1)) + x.pool;
		}
		for (; a < pa; a += x.pool) {
			const void *h = mem_ptr(x.m, a, (size_t)x.hdr);
			if (!h)
				continue;
			uint32_t count = rd32(h, L->pool_count);
			uint32_t sz = rd32(h, L->pool_szidx);
			if (count == 0 || sz >= x.nclasses)
				continue;
			st->numpools[sz]++;
			st->numblocks[sz] += count;
			st->numfreeblocks[sz] += nblocks(&x, sz) - count;
		}
	}
	if (maxarenas == MAX_ARENA_INDEX)
		st->maxarenas = 0;
	else
		st->maxarenas = maxarenas;
	for (uint64_t i = 0; i < x.nclasses; i++) {
		uint64_t size = (i + 1) * x.align;
		st->allocated_bytes += st->numblocks[i] * size;
		st->available_bytes += st->numfreeblocks[i] * size;
		st->pool_header_bytes += st->numpools[i] * x.hdr;
		st->quantization_bytes += st->numpools[i] * ((x.pool - x.hdr) % size);
	}
	st->total = st->narenas * x.arena;
	if (st->arenas)
		qsort(st->arenas, st->narenas, sizeof *st->arenas, cmp_arena);
	return 0;
}

void obm_free(struct obm_stats *st)
{
	free(st->arenas);
	st->arenas = NULL;
}

long obm_arena_of(const struct obm_stats *st, raddr_t addr)
{
	size_t lo = 0, hi = st->narenas;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (addr < st->arenas[mid].start)
			hi = mid;
		else if (addr >= st->arenas[mid].end)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}
