/* obmalloc — pymalloc's arenas and pools, read out of a snapshot as the
 * target's own sys._debugmallocstats() walks them.
 *
 * The arena table (`arenas`, `maxarenas`: statics of Objects/obmalloc.c
 * in 3.8–3.11, members of the obmalloc state inside the runtime or the
 * interpreter from 3.12) is found without symbols, which stripped
 * production builds do not have: first pools are recognised in anonymous
 * memory by their header (a size class, its block count, `maxnextoffset`
 * == POOL_SIZE - block size, an arena index), then the word in the
 * interpreter's writable data that points to an arena_object array whose
 * entries at those pools' arena indices hold arenas containing them.
 * Struct layouts and the build's ARENA_SIZE / POOL_SIZE / ALIGNMENT come
 * from struct py_layout (checked against DWARF by test_layout_dwarf).
 */
#ifndef HS_OBMALLOC_H
#define HS_OBMALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "memsrc.h"
#include "pyobj.h"

#define OBM_MAX_CLASSES 64

struct obm_arena {
	raddr_t start, end;          /* [address, address + ARENA_SIZE) */
	raddr_t pool_address;        /* pools below it have been used (carved) */
};

struct obm_stats {
	int found;                   /* 0: no arena table: see `why` */
	char how[256];               /* how the table was found */
	char why[256];               /* why not, when !found */
	raddr_t table;               /* the arena_object array */
	raddr_t table_ref;           /* the word that points to it */
	uint32_t maxarenas;
	uint64_t arena_size, pool_size, alignment, nclasses;
	/* per size class (block size (i+1) * alignment), as the per-class
	 * lines of sys._debugmallocstats() */
	uint64_t numpools[OBM_MAX_CLASSES], numblocks[OBM_MAX_CLASSES],
		 numfreeblocks[OBM_MAX_CLASSES];
	/* the summary lines, same names */
	uint64_t narenas;            /* "# arenas allocated current" */
	uint64_t allocated_bytes;    /* "# bytes in allocated blocks" */
	uint64_t available_bytes;    /* "# bytes in available blocks" */
	uint64_t unused_pools;       /* "N unused pools * POOL_SIZE" (empty and never used) */
	uint64_t pool_header_bytes;  /* "# bytes lost to pool headers" */
	uint64_t quantization_bytes; /* "# bytes lost to quantization" */
	uint64_t alignment_bytes;    /* "# bytes lost to arena alignment" */
	uint64_t total;              /* "Total" == narenas * ARENA_SIZE */
	struct obm_arena *arenas;    /* narenas, sorted by start (malloc'd) */
	size_t nsampled;             /* pools recognised to find the table */
};

/* Find and walk the arena table.  Always fills *st (st->found says
 * whether there was one); returns 0, or -1 only when out of memory. */
int obm_read(struct pyctx *c, struct obm_stats *st);
void obm_free(struct obm_stats *st);
/* Index of the arena holding addr, or -1. */
long obm_arena_of(const struct obm_stats *st, raddr_t addr);

#endif
