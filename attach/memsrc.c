/* memsrc — region table and dispatch.  See memsrc.h for the contract.
 *
 * Regions are kept sorted by start so lookups are a binary search; the
 * last hit is cached because parsers read neighbouring objects in runs. */
#include "memsrc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct region {
	raddr_t start, end;
	unsigned char *data;
};

struct memsrc {
	const struct memsrc_ops *ops;
	void *impl;
	struct region *reg;
	size_t nreg, capreg;
	int sorted;
	size_t last;
	struct mem_map *maps;
	size_t nmaps;
	struct memsrc_info info;
};

memsrc *memsrc_new(const struct memsrc_ops *ops, void *impl)
{
	memsrc *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->ops = ops;
	m->impl = impl;
	m->sorted = 1;
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

/* Index of the region holding addr, or -1. */
static long find_region(memsrc *m, raddr_t addr)
{
	if (!m->sorted) {
		qsort(m->reg, m->nreg, sizeof *m->reg, region_cmp);
		m->sorted = 1;
		m->last = 0;
	}
	if (m->nreg == 0)
		return -1;
	const struct region *c = &m->reg[m->last];
	if (addr >= c->start && addr < c->end)
		return (long)m->last;
	size_t lo = 0, hi = m->nreg;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->reg[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->nreg && addr >= m->reg[lo].start && addr < m->reg[lo].end) {
		m->last = lo;
		return (long)lo;
	}
	return -1;
}

const void *mem_ptr(memsrc *m, raddr_t addr, size_t len)
{
	long i = find_region(m, addr);
	if (i < 0)
		return NULL;
	const struct region *r = &m->reg[i];
	if (len > r->end - addr)
		return NULL;
	return r->data + (addr - r->start);
}

int mem_in_copy(memsrc *m, raddr_t addr, size_t len)
{
	return mem_ptr(m, addr, len) != NULL;
}

int mem_read(memsrc *m, raddr_t addr, void *buf, size_t len)
{
	unsigned char *out = buf;
	if (addr + len < addr)
		return -1;
	while (len) {
		long i = find_region(m, addr);
		if (i < 0)
			break;
		const struct region *r = &m->reg[i];
		size_t n = r->end - addr < len ? (size_t)(r->end - addr) : len;
		memcpy(out, r->data + (addr - r->start), n);
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

int mem_u64(memsrc *m, raddr_t addr, uint64_t *out)
{
	const void *p = mem_ptr(m, addr, 8);
	if (p) {
		memcpy(out, p, 8);
		return 0;
	}
	return mem_read(m, addr, out, 8);
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

void memsrc_free(memsrc *m)
{
	if (!m)
		return;
	if (m->ops && m->ops->close)
		m->ops->close(m);
	for (size_t i = 0; i < m->nreg; i++)
		munmap(m->reg[i].data, m->reg[i].end - m->reg[i].start);
	free(m->reg);
	memsrc_set_maps(m, NULL, 0);
	free(m);
}
