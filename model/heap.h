/* heap — the census of one snapshot: every GC-tracked object, its type,
 * generation and shallow size; the type table and the generation table.
 *
 * heap_open() walks the four GC lists of the main interpreter (generations
 * 0–2 and the permanent generation of gc.freeze()) once, validating every
 * link (inside the snapshot, aligned, back-link matches), so a corrupt or
 * cyclic list is reported as HS_ERR_INCONSISTENT instead of looping.  The
 * object arrays it builds are what later questions (instances of a type,
 * referrers…) are answered from.
 */
#ifndef HS_HEAP_H
#define HS_HEAP_H

#include <stdint.h>

#include "err.h"
#include "pyobj.h"
#include "snapshot.h"

#define HEAP_NGEN 3
#define HEAP_GEN_PERMANENT 3   /* index of the permanent generation */

struct heap;

struct heap_type_row {
	const struct pytype *type;   /* qualname, module, addr, kind… */
	uint64_t count, size;        /* GC-tracked instances, sum of getsizeof */
	uint64_t gen[HEAP_NGEN + 1]; /* per generation; [3] = permanent */
};

struct heap_gen_row {
	uint64_t objects;                /* objects on the list */
	int threshold, count;            /* gc.get_threshold()[i], gc.get_count()[i] */
	int64_t collections, collected, uncollectable;  /* gc.get_stats(); -1 unknown */
};

struct heap_gc_info {
	struct heap_gen_row gen[HEAP_NGEN];
	uint64_t permanent;              /* gc.get_freeze_count() */
	int enabled;                     /* gc.isenabled() */
	int collecting;                  /* a collection was running at snapshot time */
	int64_t garbage;                 /* len(gc.garbage), -1 if unreadable */
	raddr_t garbage_list;            /* the gc.garbage list object, 0 if none */
	raddr_t interp;                  /* main interpreter state */
};

enum heap_sort { HEAP_SORT_SIZE, HEAP_SORT_COUNT, HEAP_SORT_NAME, HEAP_SORT_AVG };

/* Build the census.  `s` must outlive the heap. Errors:
 * HS_ERR_INCONSISTENT (broken GC lists, collection in progress),
 * HS_ERR_NOMEM. */
enum hs_status heap_open(struct hs_snapshot *s, struct heap **out,
			 struct hs_err *err);
/* The census alone: the type rows and generation counts of heap_open(),
 * exactly, without its per-object arrays (17 bytes an object: 170 MB at
 * 10M objects).  heap_nobjects() answers; heap_obj_*() must not be called
 * (heap_has_objects() says 0). */
enum hs_status heap_open_census(struct hs_snapshot *s, struct heap **out,
				struct hs_err *err);
int heap_has_objects(const struct heap *h);
void heap_free(struct heap *h);
/* Target address of the GC's "collection running" flag (an int) of the
 * interpreter in s, for polling the running target before a retry; 0, or
 * -1 when the snapshot does not say where it is. */
int heap_gc_collecting_addr(struct hs_snapshot *s, raddr_t *addr);

struct pyctx *heap_ctx(struct heap *h);
struct hs_snapshot *heap_snapshot(struct heap *h);

/* Number of GC-tracked objects, and each one's address / generation /
 * type row index / getsizeof (index 0..n-1, GC list order). */
uint64_t heap_nobjects(struct heap *h);
raddr_t heap_obj_addr(struct heap *h, uint64_t i);
int heap_obj_gen(struct heap *h, uint64_t i);
uint32_t heap_obj_type(struct heap *h, uint64_t i);
uint64_t heap_obj_size(struct heap *h, uint64_t i);

/* Type table rows (one per type object seen), in no particular order;
 * heap_types_sorted() returns a fresh index array the caller frees. */
size_t heap_ntypes(struct heap *h);
const struct heap_type_row *heap_type_row(struct heap *h, size_t i);
size_t *heap_types_sorted(struct heap *h, enum heap_sort by);

const struct heap_gc_info *heap_gc(struct heap *h);
double heap_parse_ms(struct heap *h);   /* time spent in heap_open */

#endif
