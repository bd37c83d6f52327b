/* memsrc — the one interface through which heapscope sees target memory.
 *
 * Everything above attach/ reads the target only through this header.  A
 * memsrc is a set of *regions* (private copies of target address ranges,
 * sorted, non-overlapping) plus an optional backend hook that serves bytes
 * outside the copies (read-only file mappings of a live process, the ELF
 * files of a core, payloads read lazily after the target was resumed).
 *
 * Backends: attach/live.c (freeze, bulk process_vm_readv, thaw) today;
 * snapshot files and core files later.  A backend builds a memsrc with
 * memsrc_new(), hands it regions with memsrc_add_region() and the target's
 * mapping list with memsrc_set_maps(); readers never know which backend
 * they talk to.
 *
 * Addresses are target addresses (raddr_t), never host pointers.
 */
#ifndef HS_MEMSRC_H
#define HS_MEMSRC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

typedef uint64_t raddr_t;

/* One line of /proc/PID/maps (or one PT_LOAD of a core). */
struct mem_map {
	raddr_t start, end;     /* [start, end) */
	uint64_t offset;        /* file offset of start */
	unsigned prot;          /* PROT_READ | PROT_WRITE | PROT_EXEC */
	int shared;             /* 's' rather than 'p' */
	uint64_t inode;
	char *path;             /* NULL for anonymous; "[heap]", "/usr/lib/…" */
};

/* Facts about how the snapshot was taken, for headers and the bench. */
struct memsrc_info {
	pid_t pid;              /* 0 when not a live process */
	const char *kind;       /* "live", "live-nofreeze", "core", "file" */
	double pause_ms;        /* first thread stopped -> last thread resumed */
	double copy_ms;         /* time inside the bulk copy */
	uint64_t bytes_copied;  /* sum of region sizes */
	uint64_t lazy_reads;    /* reads served by the backend after resume */
	uint64_t lazy_bytes;
	uint64_t lazy_failed;   /* lazy fetches that failed after resume (target gone) */
	uint64_t bytes_lazy;    /* writable bytes left in the target at the
				   snapshot, read on demand (memsrc_add_lazy) */
	double taken_at;        /* CLOCK_REALTIME seconds when the copy ended */
	int threads;            /* threads stopped */
	uint64_t bytes_reused;  /* of bytes_copied: pages not written since the
				   previous snapshot, taken from it (live_incr) */
	double prepare_ms;      /* live: before the freeze (maps, big blocks,
				   buffers), of which */
	double prefault_ms;     /* faulting the copy buffers in */
};

typedef struct memsrc memsrc;

struct memsrc_ops {
	/* Serve [addr, addr+len) that no region holds.  Return 0 when all bytes
	 * were read, -1 otherwise (nothing partial).  NULL: such reads fail. */
	int (*read_uncopied)(memsrc *m, raddr_t addr, void *buf, size_t len);
	/* Release the backend's own state (not the regions). May be NULL. */
	void (*close)(memsrc *m);
};

/* ==== For backends ==== */

memsrc *memsrc_new(const struct memsrc_ops *ops, void *impl);
void *memsrc_impl(memsrc *m);
/* Take ownership of `data` (allocated with mmap, length end-start; freed
 * with munmap).  Regions may be added in any order. Returns 0 or -1. */
int memsrc_add_region(memsrc *m, raddr_t start, raddr_t end, void *data);
/* Take ownership of the array and of each path string (free()d). */
void memsrc_set_maps(memsrc *m, struct mem_map *maps, size_t n);
struct memsrc_info *memsrc_info_mut(memsrc *m);
/* Declare [start, end) *lazy*: writable target memory that was not copied
 * while the target was stopped and is read from the running target, through
 * ops->read_uncopied, the first time a reader asks for it (mem_read and
 * mem_ptr alike; 64 KiB at a time, counted in lazy_reads/lazy_bytes).  What
 * was read once is kept, so every later read of it answers the same bytes.
 * `data` is a host buffer of end-start bytes that memsrc owns from now on
 * (munmap()ed at the end); it may be PROT_NONE (memsrc makes each piece
 * readable and writable before filling it).  If it directly follows the
 * data of the region that ends at `start`, mem_ptr serves ranges that
 * begin in that region and run on into the lazy range (a big object whose
 * header was copied and whose payload is lazy).  start, end and data must
 * be page-aligned; lazy ranges must not overlap regions or each other.
 * Returns 0 or -1. */
int memsrc_add_lazy(memsrc *m, raddr_t start, raddr_t end, void *data);

/* ==== For readers ==== */

/* The region of the last successful lookup.  It is the first member of
 * every memsrc, so that the inline fast paths below answer the common case
 * (the same region as the previous read) without a call.  Internal: only
 * memsrc.c writes it; readers never touch it. */
struct memsrc_hot {
	raddr_t start, end;             /* [start, end); 0, 0: none yet */
	const unsigned char *data;      /* host copy of start */
};

static inline const struct memsrc_hot *memsrc_hot_(const memsrc *m)
{
	return (const struct memsrc_hot *)(const void *)m;
}

/* Out-of-line halves of the inline readers below (the region lookup, lazy
 * ranges, the backend).  Readers call mem_ptr / mem_u64 / mem_read. */
const void *mem_ptr_slow(memsrc *m, raddr_t addr, size_t len);
int mem_u64_slow(memsrc *m, raddr_t addr, uint64_t *out);
int mem_read_slow(memsrc *m, raddr_t addr, void *buf, size_t len);

/* Copy len bytes at addr into buf. 0 on success, -1 if any byte is not
 * readable (then buf is unspecified).  Never crashes on garbage addresses. */
static inline int mem_read(memsrc *m, raddr_t addr, void *buf, size_t len)
{
	const struct memsrc_hot *h = memsrc_hot_(m);
	if (addr - h->start < h->end - h->start && len <= h->end - addr) {
		memcpy(buf, h->data + (addr - h->start), len);
		return 0;
	}
	return mem_read_slow(m, addr, buf, len);
}

/* Pointer to len bytes at addr inside a private copy, or NULL when the
 * range is not wholly inside one region.  Valid until memsrc_free().
 * This is the hot path of every parser: no copy, one cached lookup
 * (inline when addr is in the region of the previous lookup).
 * A range that is (or runs from a region into) a lazy range is read from
 * the target on first use and kept: see memsrc_add_lazy, mem_is_lazy. */
static inline const void *mem_ptr(memsrc *m, raddr_t addr, size_t len)
{
	const struct memsrc_hot *h = memsrc_hot_(m);
	if (addr - h->start < h->end - h->start && len <= h->end - addr)
		return h->data + (addr - h->start);
	return mem_ptr_slow(m, addr, len);
}

/* Convenience: read one little-endian word. 0 or -1. */
static inline int mem_u64(memsrc *m, raddr_t addr, uint64_t *out)
{
	const struct memsrc_hot *h = memsrc_hot_(m);
	if (addr - h->start < h->end - h->start && 8 <= h->end - addr) {
		memcpy(out, h->data + (addr - h->start), 8);
		return 0;
	}
	return mem_u64_slow(m, addr, out);
}

/* Read a NUL-terminated C string of at most cap-1 bytes; always
 * terminates buf.  Returns its length or -1 if unreadable. */
int mem_cstr(memsrc *m, raddr_t addr, char *buf, size_t cap);

/* ==== Helper threads ====
 *
 * mem_ptr and the other readers keep a last-hit cache inside the memsrc
 * and may read lazy ranges (which changes them), so a memsrc belongs to one
 * thread.  A helper thread can still read the bytes that were *copied*
 * through a cursor of its own: the region table is only read, lazy ranges
 * and the backend are never used.  mem_cursor_init() runs on the owning
 * thread before any helper starts (it finishes the region table), and no
 * region may be added while a helper runs.  The owner may keep using the
 * memsrc meanwhile. */
struct mem_cursor {
	raddr_t start, end;             /* the region of the last hit */
	const unsigned char *data;
	size_t region;                  /* its index, 0 .. mem_nregions()-1 */
	size_t prev;                    /* the region hit before it */
};

void mem_cursor_init(memsrc *m, struct mem_cursor *c);
const void *mem_cursor_slow(memsrc *m, struct mem_cursor *c, raddr_t addr, size_t len);

/* Pointer to len copied bytes at addr, or NULL when they are not wholly
 * inside one region (lazy ranges count as not copied).  c->region is then
 * the region's index. */
static inline const void *mem_cursor_ptr(memsrc *m, struct mem_cursor *c,
					 raddr_t addr, size_t len)
{
	if (addr - c->start < c->end - c->start && len <= c->end - addr)
		return c->data + (addr - c->start);
	return mem_cursor_slow(m, c, addr, len);
}

/* The copied regions, sorted by address (owner thread only for the
 * first call, which may sort them). */
size_t mem_nregions(memsrc *m);
void mem_region(memsrc *m, size_t i, raddr_t *start, raddr_t *end);

/* Is addr inside a private copy (cheap check for pointer validation)?
 * Only what was copied during the pause counts: lazy ranges do not (and
 * are never read from the target by this check). */
int mem_in_copy(memsrc *m, raddr_t addr, size_t len);

/* Does any byte of [addr, addr+len) lie in a lazy range, i.e. is it (or
 * will it be) read from the target after it was resumed, so it may be newer
 * than the rest of the snapshot?  UIs mark values read from such ranges.
 * Cheap (no read).  len 0 counts as 1. */
int mem_is_lazy(memsrc *m, raddr_t addr, size_t len);

/* One more owner: memsrc_free releases it only after every memsrc_ref has
 * been matched by a memsrc_free.  Returns m. */
memsrc *memsrc_ref(memsrc *m);

/* The lazy ranges, sorted by address (for writing a snapshot file), and
 * a pointer to [addr, addr+len) inside one of them, read from the target
 * first if need be (NULL when it cannot be read). */
size_t mem_nlazy(memsrc *m);
void mem_lazy_range(memsrc *m, size_t i, raddr_t *start, raddr_t *end);
const void *mem_lazy_ptr(memsrc *m, raddr_t addr, size_t len);

const struct mem_map *mem_maps(memsrc *m, size_t *n);
const struct mem_map *mem_map_find(memsrc *m, raddr_t addr);
const struct memsrc_info *mem_info(memsrc *m);

void memsrc_free(memsrc *m);

#endif
