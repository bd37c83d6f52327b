/* memsrc — region table and dispatch.  See memsrc.h for the contract.
 *
 * Regions are kept sorted by start so lookups are a binary search; the
 * last hit is cached because parsers read neighbouring objects in runs
 * (m->hot, which memsrc.h's inline mem_ptr / mem_u64 / mem_read check
 * before calling in here).
 * Lazy ranges (memsrc_add_lazy) are a second, usually tiny, sorted table,
 * consulted only when no region holds an address; each keeps a bitmap of
 * the LAZY_BLOCK-sized pieces already read into its buffer. */
#include "memsrc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Unit of lazy reads: big enough that walking a huge list's item array
 * costs few syscalls, small enough that peeking at a payload costs little. */
#define LAZY_BLOCK ((raddr_t)64 << 10)
#define LAZY_ALIGN 4096u

struct region {
	raddr_t start, end;
	unsigned char *data;
};

struct lazy {
	raddr_t start, end;
	unsigned char *data;
	uint64_t *have; /* bit k: block k ([start + k*LAZY_BLOCK, ...)) read */
};

struct memsrc {
	struct memsrc_hot hot;  /* first: memsrc.h's inline readers look here */
	const struct memsrc_ops *ops;
	void *impl;
	struct region *reg;
	size_t nreg, capreg;
	int sorted;
	size_t last, last2;     /* the last two regions hit (parsers alternate) */
	struct lazy *lz;
	size_t nlz, caplz;
	int lz_sorted;
	struct mem_map *maps;
	size_t nmaps;
	struct memsrc_info info;
	unsigned refs;          /* extra owners (memsrc_ref) */
};

memsrc *memsrc_new(const struct memsrc_ops *ops, void *impl)
{
	memsrc *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->ops = ops;
	m->impl = impl;
	m->sorted = 1;
	m->lz_sorted = 1;
	m->info.kind = "unknown";
	return m;
}

void *memsrc_impl(memsrc *m) { return m->impl; }
struct memsrc_info *memsrc_info_mut(memsrc *m) { return &m->info; }
const struct memsrc_info *mem_info(memsrc *m) { return &m->info; }

int memsrc_add_region(memsrc *m, raddr_t start, raddr_t end, void *data)
{
	if (end <= start)
		return -1;
	if (m->nreg == m->capreg) {
		size_t cap = m->capreg ? m->capreg * 2 : 64;
		struct region *r = realloc(m->reg, cap * sizeof *r);
		if (!r)
			return -1;
		m->reg = r;
		m->capreg = cap;
	}
	m->reg[m->nreg++] = (struct region){start, end, data};
	if (m->nreg > 1 && m->reg[m->nreg - 2].start > start)
		m->sorted = 0;
	m->info.bytes_copied += end - start;
	return 0;
}

static int region_cmp(const void *a, const void *b)
{
	const struct region *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

int memsrc_add_lazy(memsrc *m, raddr_t start, raddr_t end, void *data)
{
	if (end <= start || !data || (start | end | (uintptr_t)data) % LAZY_ALIGN)
		return -1;
	if (m->nlz == m->caplz) {
		size_t cap = m->caplz ? m->caplz * 2 : 16;
		struct lazy *l = realloc(m->lz, cap * sizeof *l);
		if (!l)
			return -1;
		m->lz = l;
		m->caplz = cap;
	}
	uint64_t nblocks = (end - start + LAZY_BLOCK - 1) / LAZY_BLOCK;
	uint64_t *have = calloc((size_t)(nblocks + 63) / 64, sizeof *have);
	if (!have)
		return -1;
	m->lz[m->nlz++] = (struct lazy){start, end, data, have};
	if (m->nlz > 1 && m->lz[m->nlz - 2].start > start)
		m->lz_sorted = 0;
	m->info.bytes_lazy += end - start;
	return 0;
}

static int lazy_cmp(const void *a, const void *b)
{
	const struct lazy *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Index of the first lazy range that ends after addr (nlz if none). */
static size_t lazy_first(memsrc *m, raddr_t addr)
{
	if (!m->lz_sorted) {
		qsort(m->lz, m->nlz, sizeof *m->lz, lazy_cmp);
		m->lz_sorted = 1;
	}
	size_t lo = 0, hi = m->nlz;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->lz[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The lazy range holding addr, or NULL. */
static struct lazy *find_lazy(memsrc *m, raddr_t addr)
{
	if (m->nlz == 0)
		return NULL;
	size_t i = lazy_first(m, addr);
	return i < m->nlz && addr >= m->lz[i].start ? &m->lz[i] : NULL;
}

static int have_block(const struct lazy *l, uint64_t k)
{
	return (l->have[k / 64] >> (k % 64)) & 1;
}

/* Make sure [addr, addr+len) (inside l, len > 0) is in l's buffer: read
 * each run of missing blocks from the target in one call.  0 or -1. */
static int lazy_fill(memsrc *m, struct lazy *l, raddr_t addr, size_t len)
{
	uint64_t k = (addr - l->start) / LAZY_BLOCK;
	uint64_t last = (addr + len - 1 - l->start) / LAZY_BLOCK;
	while (k <= last) {
		if (have_block(l, k)) {
			k++;
			continue;
		}
		uint64_t e = k;
		while (e < last && !have_block(l, e + 1))
			e++;
		raddr_t from = l->start + k * LAZY_BLOCK;
		raddr_t to = l->start + (e + 1) * LAZY_BLOCK;
		if (to > l->end)
			to = l->end;
		unsigned char *p = l->data + (from - l->start);
		/* The buffer may be a PROT_NONE reservation: only what is read
		 * becomes memory (and commit charge) of ours. */
		if (!m->ops || !m->ops->read_uncopied ||
		    mprotect(p, (size_t)(to - from), PROT_READ | PROT_WRITE) != 0 ||
		    m->ops->read_uncopied(m, from, p, (size_t)(to - from)) != 0) {
			/* the target exited (or unmapped it) since the pause:
			 * remembered, so the answer can say it is incomplete */
			m->info.lazy_failed++;
			return -1;
		}
		for (uint64_t b = k; b <= e; b++)
			l->have[b / 64] |= (uint64_t)1 << (b % 64);
		m->info.lazy_reads++;
		m->info.lazy_bytes += to - from;
		k = e + 1;
	}
	return 0;
}

int mem_is_lazy(memsrc *m, raddr_t addr, size_t len)
{
	if (m->nlz == 0)
		return 0;
	raddr_t end = addr + (len ? len : 1);
	if (end < addr)
		end = UINT64_MAX;
	size_t i = lazy_first(m, addr);
	return i < m->nlz && m->lz[i].start < end;
}

void memsrc_set_maps(memsrc *m, struct mem_map *maps, size_t n)
{
	if (m->maps) {
		for (size_t i = 0; i < m->nmaps; i++)
			free(m->maps[i].path);
		free(m->maps);
	}
	m->maps = maps;
	m->nmaps = n;
}

static void hot_set(memsrc *m, size_t i)
{
	if (i != m->last)
		m->last2 = m->last;
	m->last = i;
	m->hot.start = m->reg[i].start;
	m->hot.end = m->reg[i].end;
	m->hot.data = m->reg[i].data;
}

/* Index of the region holding addr, or -1. */
static void regions_sort(memsrc *m);

static long find_region(memsrc *m, raddr_t addr)
{
	regions_sort(m);
	if (m->nreg == 0)
		return -1;
	const struct region *c = &m->reg[m->last];
	if (addr >= c->start && addr < c->end) {
		hot_set(m, m->last);
		return (long)m->last;
	}
	c = &m->reg[m->last2];
	if (addr >= c->start && addr < c->end) {
		size_t i = m->last2;
		hot_set(m, i);
		return (long)i;
	}
	size_t lo = 0, hi = m->nreg;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->reg[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->nreg && addr >= m->reg[lo].start && addr < m->reg[lo].end) {
		hot_set(m, lo);
		return (long)lo;
	}
	return -1;
}

/* mem_ptr for what no single region holds: a lazy range, or a region
 * whose data runs on, in the same host buffer, into a lazy range. */
static const void *lazy_ptr(memsrc *m, const struct region *r, raddr_t addr,
			    size_t len)
{
	raddr_t end = addr + len;
	if (end < addr)
		return NULL;
	struct lazy *l = find_lazy(m, r ? r->end : addr);
	if (!l || end > l->end)
		return NULL;
	if (r && (l->start != r->end || l->data != r->data + (r->end - r->start)))
		return NULL;
	raddr_t from = r ? l->start : addr;
	if (end > from && lazy_fill(m, l, from, (size_t)(end - from)) != 0)
		return NULL;
	return r ? r->data + (addr - r->start) : l->data + (addr - l->start);
}

const void *mem_ptr_slow(memsrc *m, raddr_t addr, size_t len)
{
	long i = find_region(m, addr);
	if (i < 0)
		return m->nlz ? lazy_ptr(m, NULL, addr, len) : NULL;
	const struct region *r = &m->reg[i];
	if (len > r->end - addr)
		return m->nlz ? lazy_ptr(m, r, addr, len) : NULL;
	return r->data + (addr - r->start);
}

static void regions_sort(memsrc *m)
{
	if (!m->sorted) {
		qsort(m->reg, m->nreg, sizeof *m->reg, region_cmp);
		m->sorted = 1;
		m->last = m->last2 = 0;
	}
}

void mem_cursor_init(memsrc *m, struct mem_cursor *c)
{
	regions_sort(m);
	*c = (struct mem_cursor){0, 0, NULL, 0, 0};
}

/* Like find_region, but the cache is the caller's and nothing in m is
 * written: safe beside the owner thread (see memsrc.h). */
const void *mem_cursor_slow(memsrc *m, struct mem_cursor *c, raddr_t addr, size_t len)
{
	size_t lo;
	if (c->prev < m->nreg && addr >= m->reg[c->prev].start && addr < m->reg[c->prev].end) {
		lo = c->prev;
	} else {
		size_t hi = m->nreg;
		lo = 0;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (m->reg[mid].end <= addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo >= m->nreg || addr < m->reg[lo].start)
			return NULL;
	}
	const struct region *r = &m->reg[lo];
	if (c->data && lo != c->region)
		c->prev = c->region;
	c->start = r->start;
	c->end = r->end;
	c->data = r->data;
	c->region = lo;
	if (len > r->end - addr)
		return NULL;
	return r->data + (addr - r->start);
}

size_t mem_nregions(memsrc *m)
{
	regions_sort(m);
	return m->nreg;
}

void mem_region(memsrc *m, size_t i, raddr_t *start, raddr_t *end)
{
	regions_sort(m);
	*start = i < m->nreg ? m->reg[i].start : 0;
	*end = i < m->nreg ? m->reg[i].end : 0;
}

int mem_in_copy(memsrc *m, raddr_t addr, size_t len)
{
	long i = find_region(m, addr);
	return i >= 0 && len <= m->reg[i].end - addr;
}

int mem_read_slow(memsrc *m, raddr_t addr, void *buf, size_t len)
{
	unsigned char *out = buf;
	if (addr + len < addr)
		return -1;
	while (len) {
		long i = find_region(m, addr);
		const unsigned char *src;
		raddr_t end;
		if (i >= 0) {
			src = m->reg[i].data + (addr - m->reg[i].start);
			end = m->reg[i].end;
		} else {
			struct lazy *l = find_lazy(m, addr);
			if (!l)
				break;
			end = l->end;
			if (lazy_fill(m, l, addr, end - addr < len ? (size_t)(end - addr) : len) != 0)
				return -1;
			src = l->data + (addr - l->start);
		}
		size_t n = end - addr < len ? (size_t)(end - addr) : len;
		memcpy(out, src, n);
		out += n;
		addr += n;
		len -= n;
	}
	if (!len)
		return 0;
	if (!m->ops || !m->ops->read_uncopied)
		return -1;
	if (m->ops->read_uncopied(m, addr, out, len) != 0)
		return -1;
	m->info.lazy_reads++;
	m->info.lazy_bytes += len;
	return 0;
}

int mem_u64_slow(memsrc *m, raddr_t addr, uint64_t *out)
{
	const void *p = mem_ptr_slow(m, addr, 8);
	if (p) {
		memcpy(out, p, 8);
		return 0;
	}
	return mem_read_slow(m, addr, out, 8);
}

int mem_cstr(memsrc *m, raddr_t addr, char *buf, size_t cap)
{
	size_t n = 0;
	if (!cap)
		return -1;
	/* Read in small pieces so a string at the end of a mapping still works. */
	while (n + 1 < cap) {
		char chunk[64];
		size_t want = sizeof chunk;
		raddr_t a = addr + n;
		/* never cross a page in one read: the next page may be unmapped */
		size_t to_page = 4096 - (a & 4095);
		if (want > to_page)
			want = to_page;
		if (mem_read(m, a, chunk, want) != 0) {
			buf[n] = 0;
			return n ? (int)n : -1;
		}
		for (size_t i = 0; i < want && n + 1 < cap; i++) {
			buf[n] = chunk[i];
			if (!chunk[i])
				return (int)n;
			n++;
		}
	}
	buf[n] = 0;
	return (int)n;
}

size_t mem_nlazy(memsrc *m)
{
	lazy_first(m, 0);   /* sorts them */
	return m->nlz;
}

void mem_lazy_range(memsrc *m, size_t i, raddr_t *start, raddr_t *end)
{
	lazy_first(m, 0);
	*start = i < m->nlz ? m->lz[i].start : 0;
	*end = i < m->nlz ? m->lz[i].end : 0;
}

const void *mem_lazy_ptr(memsrc *m, raddr_t addr, size_t len)
{
	struct lazy *l = find_lazy(m, addr);
	if (!l || len == 0 || len > l->end - addr || lazy_fill(m, l, addr, len) != 0)
		return NULL;
	return l->data + (addr - l->start);
}

const struct mem_map *mem_maps(memsrc *m, size_t *n)
{
	*n = m->nmaps;
	return m->maps;
}

const struct mem_map *mem_map_find(memsrc *m, raddr_t addr)
{
	size_t lo = 0, hi = m->nmaps;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->maps[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->nmaps && addr >= m->maps[lo].start && addr < m->maps[lo].end)
		return &m->maps[lo];
	return NULL;
}

memsrc *memsrc_ref(memsrc *m)
{
	if (m)
		m->refs++;
	return m;
}

void memsrc_free(memsrc *m)
{
	if (!m)
		return;
	if (m->refs) {
		m->refs--;
		return;
	}
	if (m->ops && m->ops->close)
		m->ops->close(m);
	for (size_t i = 0; i < m->nreg; i++)
		munmap(m->reg[i].data, m->reg[i].end - m->reg[i].start);
	free(m->reg);
	for (size_t i = 0; i < m->nlz; i++) {
		munmap(m->lz[i].data, m->lz[i].end - m->lz[i].start);
		free(m->lz[i].have);
	}
	free(m->lz);
	memsrc_set_maps(m, NULL, 0);
	free(m);
}
