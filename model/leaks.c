/* leaks — dominators over the heap, retained sizes per object and type,
 * a collector emulation, and leak suspects.  See leaks.h.
 *
 * Layout of the dominator input: nodes 0..nobj-1 are the graph's objects
 * (graph_obj_t), node nobj the virtual root ("all roots").  The forward
 * edges are the transpose of the graph's reverse index (one edge per
 * distinct owning (referrer, referent) pair), minus ob_type edges, plus
 * the virtual root's edges to what the roots hold (graph_root_objects).
 * Building them costs two passes over the reverse index; no object is
 * traversed again, which is what keeps a million objects under a second
 * (graph_forward_csr() would give the same edges, but with the ob_type
 * ones we must drop and no room for the virtual root).
 *
 * Suspects walk the dominator tree from the top (explicit stack): module
 * dicts, classes, frames… are looked through; the first "data" node whose
 * retained size passes the threshold is followed down while one child
 * holds most of it (MAT's accumulation point), then classified by what it
 * is and what it holds (cache, registry, closure, container…).
 */
#include "leaks.h"

#include "fmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff.h"
#include "dominator.h"
#include "value.h"

#define KIB 1024ULL
#define MIB (1024ULL * 1024)
#define DEFAULT_MIN_BYTES (256 * KIB)
#define SAMPLE_ITEMS 256       /* container items looked at to classify it */
#define CHAIN_SHARE 0.8        /* follow a child holding this much of its parent */
#define SLOTS_MIN_INSTANCES 1000
#define SLOTS_ATTR_SAMPLE 500
#define MAX_SUSPECTS 200

/* gc.DEBUG_SAVEALL */
#define GC_DEBUG_SAVEALL 32
/* 3.11+ co_localspluskinds: a free variable */
#define CO_FAST_FREE 0x80

struct leaks {
	struct heap *h;
	struct graph *g;
	struct pyctx *c;
	uint32_t nobj, nnodes, top;
	const struct graph_root *roots;
	size_t nroots;
	uint8_t *root_kind;         /* object -> enum root_kind + 1, 0 = not a root */

	struct leaks_type_row *rows;   /* unsorted (row ids are stable) */
	size_t nrows;
	uint32_t *row_of;           /* object -> row, UINT32_MAX unknown */
	uint32_t *row_tobj;         /* row -> graph index of the type object */
	int8_t *row_del;            /* row -> has __del__: -1 unknown, 0, 1 */
	struct leaks_type_row *sorted;  /* copy of rows, largest retained first */

	uint64_t *off;              /* forward CSR over nodes */
	uint32_t *adj;
	uint64_t *size;             /* shallow size per node */
	struct dom_tree *dt;

	uint8_t *unreach;           /* object -> 1 when no root reaches it */
	uint8_t *gstate;            /* garbage: 0 unknown, 1 alive, 2 garbage */
	struct leaks_garbage garbage;
	int garbage_done;

	struct leaks_stats st;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* snprintf for messages, where cutting a long name short is fine (and
 * not worth a -Wformat-truncation warning at every call). */
__attribute__((format(printf, 3, 4)))
static void sfmt(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}

/* "12,345" */
static const char *hcount(uint64_t n, char *buf, size_t cap)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof tmp, "%lu", (unsigned long)n);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < cap; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
	return buf;
}

/* ==== Types ==== */

struct pmap_ent { const struct pytype *t; uint32_t row; };

static size_t pmap_slot(struct pmap_ent *tab, size_t cap, const struct pytype *t)
{
	size_t i = (((uintptr_t)t >> 4) * 0x9E3779B97F4A7C15ULL) & (cap - 1);
	while (tab[i].t && tab[i].t != t)
		i = (i + 1) & (cap - 1);
	return i;
}

/* Type row of every object; the type object's own index per row. */
static int build_rows(struct leaks *L)
{
	size_t cap = 1024, used = 0, caprows = 256;
	struct pmap_ent *tab = calloc(cap, sizeof *tab);
	L->row_of = malloc((size_t)(L->nobj ? L->nobj : 1) * sizeof *L->row_of);
	L->rows = malloc(caprows * sizeof *L->rows);
	if (!tab || !L->row_of || !L->rows) {
		free(tab);
		return -1;
	}
	for (uint32_t o = 0; o < L->nobj; o++) {
		const struct pytype *t = graph_type(L->g, o);
		if (!t) {
			L->row_of[o] = UINT32_MAX;
			continue;
		}
		if ((used + 1) * 2 > cap) {
			size_t nc = cap * 2;
			struct pmap_ent *nt = calloc(nc, sizeof *nt);
			if (!nt) {
				free(tab);
				return -1;
			}
			for (size_t i = 0; i < cap; i++)
				if (tab[i].t)
					nt[pmap_slot(nt, nc, tab[i].t)] = tab[i];
			free(tab);
			tab = nt;
			cap = nc;
		}
		size_t s = pmap_slot(tab, cap, t);
		if (!tab[s].t) {
			if (L->nrows == caprows) {
				caprows *= 2;
				struct leaks_type_row *nr = realloc(L->rows, caprows * sizeof *nr);
				if (!nr) {
					free(tab);
					return -1;
				}
				L->rows = nr;
			}
			struct leaks_type_row *r = &L->rows[L->nrows];
			memset(r, 0, sizeof *r);
			r->type = t;
			diff_type_name(t, r->name, sizeof r->name);
			tab[s] = (struct pmap_ent){t, (uint32_t)L->nrows++};
			used++;
		}
		L->row_of[o] = tab[s].row;
	}
	free(tab);
	L->row_tobj = malloc((L->nrows + 1) * sizeof *L->row_tobj);
	L->row_del = malloc(L->nrows + 1);
	if (!L->row_tobj || !L->row_del)
		return -1;
	for (size_t r = 0; r < L->nrows; r++) {
		L->row_tobj[r] = graph_find(L->g, L->rows[r].type->addr);
		L->row_del[r] = -1;
	}
	return 0;
}

static inline uint32_t type_obj_of(const struct leaks *L, graph_obj_t o)
{
	uint32_t r = o < L->nobj ? L->row_of[o] : UINT32_MAX;
	return r == UINT32_MAX ? GRAPH_NONE : L->row_tobj[r];
}

/* ==== Build ==== */

static int build_csr(struct leaks *L)
{
	struct graph *g = L->g;
	uint32_t nn = L->nnodes;
	graph_obj_t *ro = NULL;
	int rc = -1;
	uint64_t *pos = NULL;

	/* what the roots hold directly: root objects, and the locals, stack
	 * slots… of the roots that are no objects (3.11+ frames, thread
	 * states) */
	size_t nro = graph_root_objects(g, &ro);
	if (!ro)
		goto out;
	L->off = calloc((size_t)nn + 1, sizeof *L->off);
	if (!L->off)
		goto out;
	/* out-degrees, counted at off[v+1] */
	for (uint32_t o = 0; o < L->nobj; o++) {
		size_t nr;
		const graph_obj_t *rs = graph_referrer_objs(g, o, &nr);
		for (size_t i = 0; i < nr; i++) {
			graph_obj_t r = rs[i];
			if (r >= L->nobj)
				continue;
			if (type_obj_of(L, r) == o) {
				L->st.type_edges++;
				continue;
			}
			L->off[r + 1]++;
		}
	}
	for (size_t i = 0; i < nro; i++)
		if (ro[i] < L->nobj)
			L->off[L->top + 1]++;
	for (uint32_t v = 1; v <= nn; v++)
		L->off[v] += L->off[v - 1];
	L->st.edges = L->off[nn];
	L->adj = malloc((L->off[nn] ? L->off[nn] : 1) * sizeof *L->adj);
	pos = malloc(((size_t)nn + 1) * sizeof *pos);
	if (!L->adj || !pos)
		goto out;
	memcpy(pos, L->off, ((size_t)nn + 1) * sizeof *pos);
	for (uint32_t o = 0; o < L->nobj; o++) {
		size_t nr;
		const graph_obj_t *rs = graph_referrer_objs(g, o, &nr);
		for (size_t i = 0; i < nr; i++) {
			graph_obj_t r = rs[i];
			if (r < L->nobj && type_obj_of(L, r) != o)
				L->adj[pos[r]++] = o;
		}
	}
	for (size_t i = 0; i < nro; i++)
		if (ro[i] < L->nobj)
			L->adj[pos[L->top]++] = ro[i];
	rc = 0;
out:
	free(pos);
	free(ro);
	return rc;
}

/* Per-type retained: an instance counts unless an instance of the same
 * type dominates it (its bytes are inside that one already).  One DFS
 * over the dominator tree keeping, per type, how many instances are on
 * the current branch. */
static int type_retained(struct leaks *L)
{
	uint32_t *onpath = calloc(L->nrows + 1, sizeof *onpath);
	uint32_t *stk = malloc(((size_t)L->nnodes + 1) * sizeof *stk);
	uint32_t *cur = malloc(((size_t)L->nnodes + 1) * sizeof *cur);
	if (!onpath || !stk || !cur) {
		free(onpath);
		free(stk);
		free(cur);
		return -1;
	}
	size_t sp = 0;
	stk[sp] = L->top;
	cur[sp++] = 0;
	while (sp) {
		uint32_t v = stk[sp - 1];
		uint32_t nk;
		const dom_node_t *kids = dom_children(L->dt, v, &nk);
		if (cur[sp - 1] < nk) {
			uint32_t c = kids[cur[sp - 1]++];
			if (c < L->nobj && L->row_of[c] != UINT32_MAX) {
				uint32_t r = L->row_of[c];
				if (!onpath[r]++)
					L->rows[r].retained += dom_retained(L->dt, c);
			}
			stk[sp] = c;
			cur[sp++] = 0;
			continue;
		}
		if (v < L->nobj && L->row_of[v] != UINT32_MAX)
			onpath[L->row_of[v]]--;
		sp--;
	}
	free(onpath);
	free(stk);
	free(cur);
	return 0;
}

/* What the top does not reach along the owning edges (the regions the
 * dominator computation adopted): one BFS, so that leaks_unreachable() is
 * O(1) instead of a walk up the tree. */
static int mark_unreachable(struct leaks *L)
{
	uint32_t *queue = malloc(((size_t)L->nnodes + 1) * sizeof *queue);
	L->unreach = malloc((size_t)L->nnodes + 1);
	if (!queue || !L->unreach) {
		free(queue);
		return -1;
	}
	memset(L->unreach, 1, (size_t)L->nnodes + 1);
	size_t qh = 0, qt = 0;
	L->unreach[L->top] = 0;
	queue[qt++] = L->top;
	while (qh < qt) {
		uint32_t v = queue[qh++];
		for (uint64_t e = L->off[v]; e < L->off[v + 1]; e++)
			if (L->unreach[L->adj[e]]) {
				L->unreach[L->adj[e]] = 0;
				queue[qt++] = L->adj[e];
			}
	}
	free(queue);
	return 0;
}

static int cmp_row_ret(const void *a, const void *b)
{
	const struct leaks_type_row *x = a, *y = b;
	if (x->retained != y->retained)
		return x->retained < y->retained ? 1 : -1;
	if (x->shallow != y->shallow)
		return x->shallow < y->shallow ? 1 : -1;
	return strcmp(x->name, y->name);
}

enum hs_status leaks_build(struct heap *h, struct graph *g, struct leaks **out,
			   struct hs_err *err)
{
	double t0 = now_ms();
	struct leaks *L = calloc(1, sizeof *L);
	*out = NULL;
	if (!L)
		goto nomem;
	L->h = h;
	L->g = g;
	L->c = heap_ctx(h);
	L->nobj = graph_nobjects(g);
	L->nroots = graph_roots(g, &L->roots);
	if ((uint64_t)L->nobj + 1 >= DOM_NONE) {
		free(L);
		return hs_fail(err, HS_ERR_INCONSISTENT, "too many objects for the dominator tree");
	}
	L->nnodes = L->nobj + 1;
	L->top = L->nobj;
	L->root_kind = calloc((size_t)L->nobj + 1, 1);
	if (!L->root_kind)
		goto nomem;
	for (size_t i = 0; i < L->nroots; i++)
		if (L->roots[i].obj != GRAPH_NONE && L->roots[i].obj < L->nobj &&
		    !L->root_kind[L->roots[i].obj])
			L->root_kind[L->roots[i].obj] = (uint8_t)(L->roots[i].kind + 1);
	if (build_rows(L) != 0 || build_csr(L) != 0)
		goto nomem;
	L->size = calloc(L->nnodes, sizeof *L->size);
	if (!L->size)
		goto nomem;
	for (uint32_t o = 0; o < L->nobj; o++) {
		L->size[o] = graph_size(g, o);
		L->st.total += L->size[o];
		uint32_t r = L->row_of[o];
		if (r != UINT32_MAX) {
			L->rows[r].count++;
			L->rows[r].shallow += L->size[o];
		}
	}
	double t1 = now_ms();
	L->st.prepare_ms = t1 - t0;
	if (dom_compute_csr(L->nnodes, L->top, L->off, L->adj, DOM_ADOPT_UNREACHABLE, &L->dt) != 0 ||
	    dom_set_sizes(L->dt, L->size) != 0)
		goto nomem;
	double t2 = now_ms();
	L->st.tree_ms = t2 - t1;
	L->st.nodes = L->nnodes;
	L->st.adopted = dom_nadopted(L->dt);
	if (mark_unreachable(L) != 0)
		goto nomem;
	for (uint32_t o = 0; o < L->nobj; o++)
		if (L->unreach[o]) {
			L->st.unreachable++;
			L->st.unreachable_bytes += L->size[o];
			if (L->row_of[o] != UINT32_MAX)
				L->rows[L->row_of[o]].unreachable++;
		}
	if (type_retained(L) != 0)
		goto nomem;
	L->sorted = malloc((L->nrows + 1) * sizeof *L->sorted);
	if (!L->sorted)
		goto nomem;
	memcpy(L->sorted, L->rows, L->nrows * sizeof *L->sorted);
	qsort(L->sorted, L->nrows, sizeof *L->sorted, cmp_row_ret);
	L->st.types_ms = now_ms() - t2;
	L->st.dominators_ms = now_ms() - t0;
	*out = L;
	return HS_OK;
nomem:
	leaks_free(L);
	return hs_fail(err, HS_ERR_NOMEM, "out of memory computing retained sizes "
		       "(about 60 bytes per object plus 8 per reference)");
}

void leaks_free(struct leaks *L)
{
	if (!L)
		return;
	dom_free(L->dt);
	free(L->root_kind);
	free(L->rows);
	free(L->row_of);
	free(L->row_tobj);
	free(L->row_del);
	free(L->sorted);
	free(L->off);
	free(L->adj);
	free(L->size);
	free(L->unreach);
	free(L->gstate);
	free(L);
}

const struct leaks_stats *leaks_stats(struct leaks *L) { return &L->st; }
struct graph *leaks_graph(struct leaks *L) { return L->g; }

/* ==== Queries ==== */

uint64_t leaks_retained(struct leaks *L, graph_obj_t o)
{
	return o < L->nobj ? dom_retained(L->dt, o) : 0;
}

graph_obj_t leaks_idom_obj(struct leaks *L, graph_obj_t o)
{
	dom_node_t d = o < L->nobj ? dom_idom(L->dt, o) : DOM_NONE;
	return d < L->nobj ? d : GRAPH_NONE;
}

int leaks_unreachable(struct leaks *L, graph_obj_t o)
{
	return o < L->nobj && L->unreach[o];
}

leaks_node_t leaks_top(struct leaks *L) { return L->top; }

leaks_node_t leaks_parent(struct leaks *L, leaks_node_t v)
{
	dom_node_t d = dom_idom(L->dt, v);
	return d == DOM_NONE ? LEAKS_NONE : d;
}

size_t leaks_children(struct leaks *L, leaks_node_t v, const leaks_node_t **out)
{
	uint32_t n;
	*out = dom_children(L->dt, v, &n);
	return n;
}

uint64_t leaks_node_retained(struct leaks *L, leaks_node_t v) { return dom_retained(L->dt, v); }
uint64_t leaks_node_shallow(struct leaks *L, leaks_node_t v)
{
	return v < L->nnodes ? L->size[v] : 0;
}

size_t leaks_succ(struct leaks *L, leaks_node_t v, const uint32_t **out)
{
	if (v >= L->nnodes) {
		*out = NULL;
		return 0;
	}
	*out = L->adj + L->off[v];
	return (size_t)(L->off[v + 1] - L->off[v]);
}

int leaks_adopted(struct leaks *L, leaks_node_t v) { return dom_adopted(L->dt, v); }

graph_obj_t leaks_node_obj(struct leaks *L, leaks_node_t v)
{
	return v < L->nobj ? v : GRAPH_NONE;
}

const char *leaks_node_label(struct leaks *L, leaks_node_t v, char *buf, size_t cap)
{
	char t[128], val[200];
	if (v == L->top)
		snprintf(buf, cap, "all roots");
	else if (v < L->nobj)
		snprintf(buf, cap, "%s %s", graph_type_name(L->g, v, t, sizeof t),
			 graph_value(L->g, v, val, sizeof val));
	else
		snprintf(buf, cap, "?");
	return buf;
}

size_t leaks_types(struct leaks *L, const struct leaks_type_row **out)
{
	*out = L->sorted;
	return L->nrows;
}

const struct leaks_type_row *leaks_type_of(struct leaks *L, graph_obj_t o)
{
	uint32_t r = o < L->nobj ? L->row_of[o] : UINT32_MAX;
	return r == UINT32_MAX ? NULL : &L->rows[r];
}

uint64_t leaks_group_retained(struct leaks *L, const graph_obj_t *objs, size_t n)
{
	/* mark: 0 not reached, 1 reached, 2 a member (never walked through) */
	uint8_t *mark = calloc((size_t)L->nnodes + 1, 1);
	uint32_t *queue = malloc(((size_t)L->nnodes + 1) * sizeof *queue);
	if (!mark || !queue) {
		free(mark);
		free(queue);
		return UINT64_MAX;
	}
	for (size_t i = 0; i < n; i++)
		if (objs[i] < L->nobj)
			mark[objs[i]] = 2;
	size_t qh = 0, qt = 0;
	mark[L->top] = 1;
	queue[qt++] = L->top;
	/* the virtual root also holds the entry points of the regions no
	 * root reaches (what the dominator computation adopted) */
	for (uint32_t v = 0; v < L->nobj; v++)
		if (!mark[v] && dom_adopted(L->dt, v)) {
			mark[v] = 1;
			queue[qt++] = v;
		}
	while (qh < qt) {
		uint32_t v = queue[qh++];
		for (uint64_t e = L->off[v]; e < L->off[v + 1]; e++)
			if (!mark[L->adj[e]]) {
				mark[L->adj[e]] = 1;
				queue[qt++] = L->adj[e];
			}
	}
	uint64_t sum = 0;
	for (uint32_t o = 0; o < L->nobj; o++)
		if (mark[o] != 1)
			sum += L->size[o];
	free(mark);
	free(queue);
	return sum;
}

struct ret_ent { uint64_t ret; graph_obj_t o; };

static int cmp_ret_ent(const void *a, const void *b)
{
	const struct ret_ent *x = a, *y = b;
	if (x->ret != y->ret)
		return x->ret < y->ret ? 1 : -1;
	return (x->o > y->o) - (x->o < y->o);
}

/* Min-heap of the n largest. */
static void sift_down(struct ret_ent *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && h[l].ret < h[m].ret)
			m = l;
		if (r < n && h[r].ret < h[m].ret)
			m = r;
		if (m == i)
			return;
		struct ret_ent t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

size_t leaks_top_objects(struct leaks *L, size_t n, graph_obj_t **out)
{
	*out = NULL;
	if (!n)
		return 0;
	if (n > L->nobj)
		n = L->nobj;
	struct ret_ent *h = malloc((n ? n : 1) * sizeof *h);
	if (!h)
		return 0;
	size_t k = 0;
	for (uint32_t o = 0; o < L->nobj; o++) {
		uint64_t r = dom_retained(L->dt, o);
		if (k < n) {
			h[k++] = (struct ret_ent){r, o};
			if (k == n)
				for (size_t i = n / 2 + 1; i-- > 0;)
					sift_down(h, n, i);
		} else if (r > h[0].ret) {
			h[0] = (struct ret_ent){r, o};
			sift_down(h, n, 0);
		}
	}
	qsort(h, k, sizeof *h, cmp_ret_ent);
	graph_obj_t *res = malloc((k ? k : 1) * sizeof *res);
	if (res)
		for (size_t i = 0; i < k; i++)
			res[i] = h[i].o;
	free(h);
	*out = res;
	return res ? k : 0;
}

/* ==== Small readers ==== */

static uint64_t rdw(struct leaks *L, raddr_t a, int *ok)
{
	uint64_t v = 0;
	if (mem_u64(pyctx_mem(L->c), a, &v) != 0)
		*ok = 0;
	return v;
}

static raddr_t field(struct leaks *L, raddr_t obj, int32_t off)
{
	uint64_t v = 0;
	if (off < 0 || py_field(L->c, obj, off, &v) != 0)
		return 0;
	return v;
}

/* Does the class (its MRO) define __del__?  Python classes only: C types
 * with tp_finalize (generators, files) are not counted. */
static int row_has_del(struct leaks *L, uint32_t r)
{
	if (r == UINT32_MAX)
		return 0;
	if (L->row_del[r] >= 0)
		return L->row_del[r];
	const struct py_layout *Ly = pyctx_layout(L->c);
	const struct pytype *t = L->rows[r].type;
	int has = 0;
	raddr_t mro = field(L, t->addr, Ly->tp_mro);
	int64_t n = 0;
	uint64_t nv;
	if (mro && py_field(L->c, mro, Ly->ob_size, &nv) == 0)
		n = (int64_t)nv;
	for (int64_t i = 0; i < n && i < 64 && !has; i++) {
		int ok = 1;
		raddr_t base = rdw(L, mro + Ly->tuple_items + 8 * (uint64_t)i, &ok);
		const struct pytype *bt = ok ? py_type(L->c, base) : NULL;
		if (!bt || !bt->is_heap)
			continue;
		raddr_t d = field(L, base, Ly->tp_dict);
		if (d && py_dict_get_str(L->c, d, "__del__"))
			has = 1;
	}
	L->row_del[r] = (int8_t)has;
	return has;
}

/* ==== What a collection would free ==== */

static int cmp_gtop(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;   /* {bytes, count, row} */
	if (x[0] != y[0])
		return x[0] < y[0] ? 1 : -1;
	return (x[2] > y[2]) - (x[2] < y[2]);
}

const struct leaks_garbage *leaks_garbage(struct leaks *L)
{
	if (L->garbage_done)
		return L->gstate ? &L->garbage : NULL;
	L->garbage_done = 1;
	uint32_t nn = L->nnodes;
	uint32_t *queue = malloc(((size_t)nn + 1) * sizeof *queue);
	L->gstate = calloc(nn, 1);
	uint64_t *per = calloc((L->nrows + 1) * 3, sizeof *per);
	if (!queue || !L->gstate || !per) {
		free(queue);
		free(per);
		free(L->gstate);
		L->gstate = NULL;
		return NULL;
	}
	size_t qh = 0, qt = 0;
	uint32_t ntracked = (uint32_t)heap_nobjects(L->h);
	L->gstate[L->top] = 1;
	queue[qt++] = L->top;
	for (uint32_t o = 0; o < L->nobj; o++) {
		int imm = 0;
		int64_t rc = graph_refcnt(L->g, o, &imm);
		int seed = imm || graph_gen(L->g, o) == HEAP_GEN_PERMANENT;
		if (!seed) {
			/* references the collector would subtract: from tracked
			 * objects for a tracked one; untracked objects die only
			 * with their holders, so all known holders count */
			size_t nr, internal = 0;
			const graph_obj_t *rs = graph_referrer_objs(L->g, o, &nr);
			for (size_t i = 0; i < nr; i++)
				if (rs[i] != GRAPH_NONE && (o >= ntracked || rs[i] < ntracked))
					internal++;
			seed = rc > (int64_t)internal;
		}
		if (seed && !L->gstate[o]) {
			L->gstate[o] = 1;
			queue[qt++] = o;
		}
	}
	while (qh < qt) {
		uint32_t v = queue[qh++];
		for (uint64_t e = L->off[v]; e < L->off[v + 1]; e++) {
			uint32_t w = L->adj[e];
			if (!L->gstate[w]) {
				L->gstate[w] = 1;
				queue[qt++] = w;
			}
		}
		/* a live object keeps its class alive (the edge left out of
		 * the dominator graph) */
		uint32_t t = type_obj_of(L, v);
		if (t != GRAPH_NONE && !L->gstate[t]) {
			L->gstate[t] = 1;
			queue[qt++] = t;
		}
	}
	free(queue);
	struct leaks_garbage *G = &L->garbage;
	memset(G, 0, sizeof *G);
	G->example = GRAPH_NONE;
	uint64_t best = 0;
	for (uint32_t o = 0; o < L->nobj; o++) {
		if (L->gstate[o])
			continue;
		L->gstate[o] = 2;
		G->objects++;
		G->bytes += L->size[o];
		if (o < ntracked)
			G->cyclic_tracked++;
		uint32_t r = L->row_of[o];
		if (r != UINT32_MAX) {
			per[r * 3] += L->size[o];
			per[r * 3 + 1]++;
			per[r * 3 + 2] = r;
			if (row_has_del(L, r)) {
				G->with_del++;
				G->with_del_bytes += L->size[o];
			}
		}
		uint64_t ret = dom_retained(L->dt, o);
		if (G->example == GRAPH_NONE || ret > best) {
			best = ret;
			G->example = o;
		}
	}
	for (size_t r = 0; r < L->nrows; r++)
		per[r * 3 + 2] = r;
	qsort(per, L->nrows, 3 * sizeof *per, cmp_gtop);
	for (size_t i = 0; i < L->nrows && i < 5 && per[i * 3 + 1]; i++) {
		G->top[i].row = &L->rows[per[i * 3 + 2]];
		G->top[i].bytes = per[i * 3];
		G->top[i].count = per[i * 3 + 1];
		G->ntop++;
	}
	free(per);
	return G;
}

int leaks_is_garbage(struct leaks *L, graph_obj_t o)
{
	const struct leaks_garbage *G = leaks_garbage(L);
	return G && o < L->nobj && L->gstate[o] == 2;
}

/* ==== Suspects ==== */

const char *leaks_kind_name(enum leaks_kind k)
{
	static const char *const names[LEAK__COUNT] = {
		[LEAK_GC_GARBAGE] = "gc_garbage", [LEAK_CYCLES] = "cyclic_garbage",
		[LEAK_DEL_CYCLE] = "finalizer_cycles", [LEAK_CACHE] = "unbounded_cache",
		[LEAK_REGISTRY] = "registry", [LEAK_CLOSURE] = "closure",
		[LEAK_CONTAINER] = "large_container", [LEAK_LARGE_OBJECT] = "large_object",
		[LEAK_SLOTS] = "dict_instances", [LEAK_GC_STATE] = "gc_state",
		[LEAK_ACCUMULATION] = "accumulation",
	};
	return (unsigned)k < LEAK__COUNT && names[k] ? names[k] : "?";
}

const char *leaks_severity_name(enum leaks_severity s)
{
	switch (s) {
	case SEV_HIGH: return "high";
	case SEV_MEDIUM: return "medium";
	case SEV_LOW: return "low";
	default: return "info";
	}
}

struct sctx {
	struct leaks *L;
	const struct leaks_suspect_opts *o;
	uint64_t T;               /* retained bytes worth a finding */
	uint64_t total;
	struct leaks_suspect *s;
	size_t n, cap;
	uint8_t *reported;        /* per object */
	int oom;
};

static enum leaks_severity sev_for(const struct sctx *x, uint64_t bytes)
{
	double share = x->total ? (double)bytes / (double)x->total : 0;
	if (share >= 0.20 && bytes >= MIB)
		return SEV_HIGH;
	if (share >= 0.05 && bytes >= DEFAULT_MIN_BYTES)
		return SEV_MEDIUM;
	return SEV_LOW;
}

static struct leaks_suspect *add(struct sctx *x, enum leaks_kind kind, enum leaks_severity sev,
				 uint64_t bytes, graph_obj_t obj)
{
	if (x->n == x->cap) {
		if (x->cap >= MAX_SUSPECTS)
			return NULL;
		size_t nc = x->cap ? x->cap * 2 : 16;
		struct leaks_suspect *ns = realloc(x->s, nc * sizeof *ns);
		if (!ns) {
			x->oom = 1;
			return NULL;
		}
		x->s = ns;
		x->cap = nc;
	}
	struct leaks_suspect *s = &x->s[x->n++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->severity = sev;
	s->bytes = bytes;
	s->obj = obj;
	s->accum = obj;
	s->growth = INT64_MIN;
	if (obj != GRAPH_NONE) {
		struct graph_path *p = NULL;
		size_t np = graph_paths(x->L->g, obj, 1, &p);
		if (np)
			graph_path_text(x->L->g, &p[0], s->path, sizeof s->path);
		graph_paths_free(p, np);
		if (obj < x->L->nobj)
			x->reported[obj] = 1;
	}
	return s;
}

/* Name by which o is held: the last hop of its shortest path ("CACHE"
 * for module __main__ → .CACHE, "_all" for a class attribute). */
static void holder_name(struct leaks *L, graph_obj_t o, char *buf, size_t cap)
{
	struct graph_path *p = NULL;
	size_t np = graph_paths(L->g, o, 1, &p);
	char label[256];
	buf[0] = 0;
	if (np && p[0].n) {
		graph_edge_label(L->g, &p[0].edges[p[0].n - 1], label, sizeof label);
		size_t n = strlen(label);
		if (label[0] == '.')
			sfmt(buf, cap, "%s", label + 1);
		else if (n >= 4 && label[0] == '[' && (label[1] == '\'' || label[1] == '"'))
			snprintf(buf, cap, "%.*s", (int)(n - 4), label + 2);
	}
	graph_paths_free(p, np);
}

/* What a path starts from, for evidence: "a module global", ... */
static const char *held_from(const struct leaks_suspect *s)
{
	if (!s->path[0])
		return "no root (only C code or garbage holds it)";
	if (!strncmp(s->path, "module ", 7))
		return strstr(s->path, "__dict__") || strchr(s->path + 7, '.') ? "a module global"
			: "a module";
	if (!strncmp(s->path, "class ", 6))
		return "a class attribute";
	if (!strncmp(s->path, "thread ", 7))
		return "a running function's local variable";
	if (!strncmp(s->path, "gc.garbage", 10))
		return "gc.garbage";
	return "a root";
}

static int from_global(const struct leaks_suspect *s)
{
	return !strncmp(s->path, "module ", 7) || !strncmp(s->path, "class ", 6) ||
	       !strncmp(s->path, "sys", 3) || !strncmp(s->path, "builtins", 8);
}

static int is_collection(enum py_kind k)
{
	return k == PYK_DICT || k == PYK_ODICT || k == PYK_LIST || k == PYK_SET ||
	       k == PYK_FROZENSET || k == PYK_DEQUE;
}

static int is_instance(const struct pytype *t)
{
	return t && t->is_heap && (t->kind == PYK_OBJECT || t->kind == PYK_EXCEPTION);
}

static int is_callable_kind(const struct pytype *t)
{
	return t && (t->kind == PYK_FUNCTION || t->kind == PYK_METHOD ||
		     (t->tp_name && !strcmp(t->tp_name, "functools.partial")));
}

static int is_scalar(const struct pytype *t)
{
	if (!t)
		return 0;
	switch (t->kind) {
	case PYK_STR: case PYK_INT: case PYK_BOOL: case PYK_FLOAT: case PYK_BYTES:
	case PYK_TUPLE: case PYK_FROZENSET: case PYK_NONE: case PYK_COMPLEX:
		return 1;
	default:
		return 0;
	}
}

static int is_lru(const struct pytype *t)
{
	return t && t->tp_name && !strcmp(t->tp_name, "functools._lru_cache_wrapper");
}

/* A dict that is the namespace of a module, a class or an instance: its
 * entries are attributes, so it is looked through, not reported. */
static int namespace_dict(struct leaks *L, graph_obj_t o, const struct pytype *t)
{
	if (!t || (t->kind != PYK_DICT && t->kind != PYK_ODICT))
		return 0;
	if (L->root_kind[o])
		return 1;
	graph_obj_t d = leaks_idom_obj(L, o);
	if (d == GRAPH_NONE)
		return 0;
	const struct pytype *dt = graph_type(L->g, d);
	if (!dt)
		return 0;
	if (dt->kind == PYK_TYPE || dt->kind == PYK_MODULE)
		return 1;
	return value_instance_dict(L->c, graph_addr(L->g, d), dt) == graph_addr(L->g, o);
}

enum ncls { N_STRUCT, N_FUNC, N_COLLECTION, N_OTHER };

static enum ncls classify_node(struct leaks *L, leaks_node_t v)
{
	if (v >= L->nobj)
		return N_STRUCT;
	if (L->root_kind[v])
		return N_STRUCT;
	const struct pytype *t = graph_type(L->g, v);
	if (!t)
		return N_OTHER;
	switch (t->kind) {
	case PYK_TYPE: case PYK_MODULE: case PYK_CODE: case PYK_FRAME: case PYK_CELL:
	case PYK_GEN: case PYK_CORO: case PYK_ASYNCGEN:
		return N_STRUCT;
	default:
		break;
	}
	if (is_callable_kind(t) || is_lru(t))
		return N_FUNC;
	if (is_collection(t->kind))
		return namespace_dict(L, v, t) ? N_STRUCT : N_COLLECTION;
	return N_OTHER;
}

static uint64_t ret_of(struct leaks *L, leaks_node_t v) { return dom_retained(L->dt, v); }

/* ---- growth ---- */

static void note_growth(struct sctx *x, struct leaks_suspect *s, graph_obj_t c)
{
	const struct pytype *t = graph_type(x->L->g, c);
	int64_t before, now;
	if (!x->o || !x->o->before || !t ||
	    (now = value_container_len(x->L->c, graph_addr(x->L->g, c), t)) < 0 ||
	    !diff_prev_len(x->o->before, graph_addr(x->L->g, c), t->addr, &before))
		return;
	s->growth = now - before;
	if (s->growth <= 0)
		return;
	size_t len = strlen(s->evidence);
	char cnt[32];
	snprintf(s->evidence + len, sizeof s->evidence - len,
		 " It grew by %s items in %.1f s (%.0f/s).", hcount((uint64_t)s->growth, cnt, sizeof cnt),
		 x->o->interval_s, x->o->interval_s > 0 ? s->growth / x->o->interval_s : 0.0);
	/* growing is the strongest sign there is */
	if ((s->growth >= 100 || s->growth * 10 >= before) && s->severity < SEV_HIGH)
		s->severity++;
}

/* ---- containers ---- */

struct sample {
	struct leaks *L;
	graph_obj_t self;
	size_t n, inst, dom, func, scalar_keys, idmatch, objkeys;
	uint64_t n_seen;
	const struct leaks_type_row *vrow[4];   /* most common value types */
	size_t vcount[4];
};

static void sample_value(struct sample *sm, raddr_t key, raddr_t value)
{
	struct leaks *L = sm->L;
	graph_obj_t v = graph_find(L->g, value);
	const struct pytype *vt = v != GRAPH_NONE ? graph_type(L->g, v) : NULL;
	sm->n++;
	if (is_instance(vt))
		sm->inst++;
	if (is_callable_kind(vt))
		sm->func++;
	if (v != GRAPH_NONE && leaks_idom_obj(L, v) == sm->self)
		sm->dom++;
	const struct leaks_type_row *r = v != GRAPH_NONE ? leaks_type_of(L, v) : NULL;
	for (int i = 0; r && i < 4; i++) {
		if (sm->vrow[i] == r) {
			sm->vcount[i]++;
			break;
		}
		if (!sm->vrow[i]) {
			sm->vrow[i] = r;
			sm->vcount[i] = 1;
			break;
		}
	}
	if (key) {
		const struct pytype *kt = py_type_of_obj(L->c, key);
		if (is_scalar(kt))
			sm->scalar_keys++;
		if (is_instance(kt))
			sm->objkeys++;
		int64_t iv;
		int fits;
		if (kt && kt->kind == PYK_INT && value_int64(L->c, key, &iv, &fits) == 0 && fits &&
		    (raddr_t)iv == value)
			sm->idmatch++;
	}
}

static int sample_dict_cb(void *arg, raddr_t key, raddr_t value)
{
	struct sample *sm = arg;
	sample_value(sm, key, value);
	return sm->n >= SAMPLE_ITEMS;
}

static void sample_container(struct leaks *L, graph_obj_t o, const struct pytype *t,
			     struct sample *sm)
{
	memset(sm, 0, sizeof *sm);
	sm->L = L;
	sm->self = o;
	raddr_t a = graph_addr(L->g, o);
	const struct py_layout *Ly = pyctx_layout(L->c);
	if (t->kind == PYK_DICT || t->kind == PYK_ODICT) {
		py_dict_iter(L->c, a, sample_dict_cb, sm);
		return;
	}
	if (t->kind == PYK_LIST || t->kind == PYK_TUPLE) {
		int64_t n = value_container_len(L->c, a, t);
		raddr_t items = t->kind == PYK_LIST ? field(L, a, Ly->list_items)
			: a + (uint64_t)Ly->tuple_items;
		for (int64_t i = 0; i < n && sm->n < SAMPLE_ITEMS; i++) {
			/* spread over the whole list */
			int64_t k = n <= SAMPLE_ITEMS ? i : i * n / SAMPLE_ITEMS;
			if (k >= n)
				break;
			int ok = 1;
			raddr_t v = rdw(L, items + 8 * (uint64_t)k, &ok);
			if (!ok)
				break;
			if (v)
				sample_value(sm, 0, v);
		}
		return;
	}
	/* sets, deques: from the graph's edges */
	const struct graph_edge *e;
	size_t ne = graph_referents(L->g, o, &e);
	for (size_t i = 0; i < ne && sm->n < SAMPLE_ITEMS; i++)
		if (!(e[i].flags & GRAPH_EF_WEAK) &&
		    (e[i].kind == EDGE_SET_ITEM || e[i].kind == EDGE_ITEM))
			sample_value(sm, 0, graph_addr(L->g, e[i].to));
}

static int word_in(const char *name, const char *const *words)
{
	char low[128];
	size_t i;
	for (i = 0; name[i] && i + 1 < sizeof low; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	low[i] = 0;
	for (size_t k = 0; words[k]; k++)
		if (strstr(low, words[k]))
			return 1;
	return 0;
}

static const char *const registry_words[] = {"registry", "instances", "listeners",
	"subscribers", "observers", "callbacks", "handlers", "hooks", "registered", "_all",
	"all_", NULL};

/* A class attribute: held by a class's __dict__ (or the class itself,
 * 3.12+ keeps no dict object for some static types' attributes). */
static int class_attr(struct leaks *L, graph_obj_t o)
{
	graph_obj_t d = leaks_idom_obj(L, o);
	const struct pytype *dt = d != GRAPH_NONE ? graph_type(L->g, d) : NULL;
	if (dt && dt->kind == PYK_TYPE)
		return 1;
	if (!dt || (dt->kind != PYK_DICT && dt->kind != PYK_ODICT))
		return 0;
	graph_obj_t c = leaks_idom_obj(L, d);
	const struct pytype *ct = c != GRAPH_NONE ? graph_type(L->g, c) : NULL;
	return ct && ct->kind == PYK_TYPE;
}

static void describe_values(struct sample *sm, char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = 0;
	for (int i = 0; i < 4 && sm->vrow[i]; i++) {
		if (len + 2 >= cap)
			break;
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", sm->vrow[i]->name);
		if (len >= cap)
			break;
	}
}

static void collection_finding(struct sctx *x, graph_obj_t o)
{
	struct leaks *L = x->L;
	const struct pytype *t = graph_type(L->g, o);
	int64_t n = value_container_len(L->c, graph_addr(L->g, o), t);
	uint64_t ret = ret_of(L, o);
	struct sample sm;
	char name[96], b1[32], b2[32], cnt[32], vals[200], tn[128];
	sample_container(L, o, t, &sm);
	holder_name(L, o, name, sizeof name);
	describe_values(&sm, vals, sizeof vals);
	diff_type_name(t, tn, sizeof tn);
	int dict = t->kind == PYK_DICT || t->kind == PYK_ODICT;
	size_t ns = sm.n ? sm.n : 1;
	enum leaks_kind kind;
	if (sm.func * 2 >= ns && sm.n)
		kind = LEAK_CLOSURE;
	else if (dict && (sm.idmatch * 5 >= ns * 4 || sm.objkeys * 5 >= ns * 4 ||
			  ((word_in(name, registry_words) || class_attr(L, o)) && sm.inst * 5 >= ns * 4 &&
			   sm.dom * 5 >= ns * 4)) && sm.n)
		kind = LEAK_REGISTRY;
	else if (!dict && sm.n && sm.inst * 5 >= ns * 4 && sm.dom * 5 >= ns * 4 &&
		 (class_attr(L, o) || word_in(name, registry_words)))
		kind = LEAK_REGISTRY;   /* instances that register themselves */
	else if (dict && sm.n && sm.scalar_keys * 10 >= ns * 9 && n >= 100)
		kind = LEAK_CACHE;
	else
		kind = LEAK_CONTAINER;
	struct leaks_suspect *s = add(x, kind, sev_for(x, ret), ret, o);
	if (!s)
		return;
	s->count = n > 0 ? (uint64_t)n : 0;
	hcount(s->count, cnt, sizeof cnt);
	const char *who = name[0] ? name : tn;
	switch (kind) {
	case LEAK_CLOSURE:
		sfmt(s->title, sizeof s->title, "%s holds %s callables retaining %s", who, cnt,
			 fmt_bytes(ret, b1, sizeof b1));
		sfmt(s->evidence, sizeof s->evidence,
			 "A %s of %s items, %zu of %zu sampled are functions or bound methods (%s); "
			 "what their closures, defaults and bound instances capture stays alive as long "
			 "as they are registered. Held from %s.",
			 tn, cnt, sm.func, sm.n, vals, held_from(s));
		break;
	case LEAK_REGISTRY:
		sfmt(s->title, sizeof s->title, "registry %s keeps %s objects alive (%s)", who, cnt,
			 fmt_bytes(ret, b1, sizeof b1));
		sfmt(s->evidence, sizeof s->evidence,
			 "A %s of %s %s; %zu of %zu sampled members are held by nothing else (the "
			 "registry dominates them)%s. A strong registry never lets its members go: "
			 "use weakref.WeakSet / WeakValueDictionary or unregister. Held from %s.",
			 tn, cnt, vals[0] ? vals : "objects", sm.dom, sm.n,
			 sm.idmatch ? ", keyed by id(member)" : "", held_from(s));
		break;
	case LEAK_CACHE:
		sfmt(s->title, sizeof s->title, "cache %s: %s entries, %s, no size bound", who, cnt,
			 fmt_bytes(ret, b1, sizeof b1));
		sfmt(s->evidence, sizeof s->evidence,
			 "A plain %s (no eviction) of %s entries keyed by %s (%zu of %zu sampled keys "
			 "are str/int/bytes/tuples), values %s; %zu of %zu sampled values are held only "
			 "by it. Average %s per entry. Held from %s: it lives as long as the process. "
			 "Bound it (functools.lru_cache(maxsize=N), cachetools) or evict.",
			 tn, cnt, "scalars", sm.scalar_keys, sm.n, vals[0] ? vals : "?", sm.dom, sm.n,
			 fmt_bytes(s->count ? ret / s->count : 0, b2, sizeof b2), held_from(s));
		break;
	default:
		sfmt(s->title, sizeof s->title, "large %s %s: %s items, %s", tn, who, cnt,
			 fmt_bytes(ret, b1, sizeof b1));
		sfmt(s->evidence, sizeof s->evidence,
			 "A %s of %s items (%s) retaining %s, %.0f%% of the heap; held from %s.", tn, cnt,
			 vals[0] ? vals : "?", fmt_bytes(ret, b1, sizeof b1),
			 x->total ? 100.0 * (double)ret / (double)x->total : 0.0, held_from(s));
		break;
	}
	/* working data of a running function is less suspicious than a
	 * global that lives forever */
	if (!from_global(s) && s->severity > SEV_LOW && kind != LEAK_CLOSURE)
		s->severity--;
	note_growth(x, s, o);
}

/* ---- functions ---- */

/* Name of free variable i of a function (its closure's i-th cell). */
static void freevar_name(struct leaks *L, raddr_t fn, int64_t i, char *buf, size_t cap)
{
	const struct py_layout *Ly = pyctx_layout(L->c);
	raddr_t code = field(L, fn, Ly->fn_code);
	snprintf(buf, cap, "#%ld", (long)i);
	if (!code)
		return;
	int ok = 1;
	if (Ly->co_freevars >= 0) {
		raddr_t fv = field(L, code, Ly->co_freevars);
		uint64_t n;
		if (fv && py_field(L->c, fv, Ly->ob_size, &n) == 0 && i < (int64_t)n) {
			raddr_t s = rdw(L, fv + Ly->tuple_items + 8 * (uint64_t)i, &ok);
			if (ok)
				value_str(L->c, s, buf, cap);
		}
		return;
	}
	/* 3.11+: the free variables are the names whose kind has CO_FAST_FREE,
	 * in localsplus order */
	raddr_t names = field(L, code, Ly->co_localsplusnames);
	raddr_t kinds = field(L, code, Ly->co_localspluskinds);
	uint64_t nn, nk;
	if (!names || !kinds || py_field(L->c, names, Ly->ob_size, &nn) ||
	    py_field(L->c, kinds, Ly->ob_size, &nk) || nn > 65536)
		return;
	int64_t seen = 0;
	for (uint64_t k = 0; k < nn && k < nk; k++) {
		uint8_t kind;
		if (mem_read(pyctx_mem(L->c), kinds + Ly->bytes_sval + k, &kind, 1))
			return;
		if (!(kind & CO_FAST_FREE))
			continue;
		if (seen++ == i) {
			raddr_t s = rdw(L, names + Ly->tuple_items + 8 * k, &ok);
			if (ok)
				value_str(L->c, s, buf, cap);
			return;
		}
	}
}

static void func_qualname(struct leaks *L, raddr_t fn, char *buf, size_t cap)
{
	raddr_t q = field(L, fn, layout_fn_qualname(pyctx_layout(L->c)));
	if (!q || !value_str(L->c, q, buf, cap)[0] || !strcmp(buf, "?"))
		snprintf(buf, cap, "<function>");
}

/* Where the bytes of v pile up: follow the child holding most of them. */
static leaks_node_t accumulation(struct leaks *L, leaks_node_t v)
{
	for (int depth = 0; depth < 64; depth++) {
		const leaks_node_t *k;
		size_t nk = leaks_children(L, v, &k);
		if (!nk || (double)ret_of(L, k[0]) < CHAIN_SHARE * (double)ret_of(L, v))
			return v;
		v = k[0];
	}
	return v;
}

static void accum_text(struct leaks *L, leaks_node_t a, char *buf, size_t cap)
{
	char tn[128], cnt[32], b[32];
	const struct pytype *t = a < L->nobj ? graph_type(L->g, a) : NULL;
	int64_t n = t ? value_container_len(L->c, graph_addr(L->g, a), t) : -1;
	graph_type_name(L->g, a, tn, sizeof tn);
	if (n >= 0)
		snprintf(buf, cap, "a %s of %s items (%s)", tn, hcount((uint64_t)n, cnt, sizeof cnt),
			 fmt_bytes(ret_of(L, a), b, sizeof b));
	else
		snprintf(buf, cap, "a %s (%s)", tn, fmt_bytes(ret_of(L, a), b, sizeof b));
}

/* A function-like node past the threshold: a finding when its closure,
 * defaults, bound instance or cache hold the bytes.  Returns 1 when
 * reported, 0 to look through it instead. */
static int func_finding(struct sctx *x, graph_obj_t f)
{
	struct leaks *L = x->L;
	const struct pytype *t = graph_type(L->g, f);
	const struct py_layout *Ly = pyctx_layout(L->c);
	raddr_t fa = graph_addr(L->g, f);
	uint64_t ret = ret_of(L, f);
	char qn[160], b1[32], b2[32], cnt[32], acc[200];
	int ok = 1;

	if (is_lru(t)) {
		int64_t maxsize = (int64_t)rdw(L, fa + (uint64_t)Ly->lru_maxsize, &ok);
		raddr_t cache = rdw(L, fa + (uint64_t)Ly->lru_cache, &ok);
		const struct pytype *ct = cache ? py_type_of_obj(L->c, cache) : NULL;
		int64_t n = ct ? value_container_len(L->c, cache, ct) : -1;
		raddr_t wrapped = rdw(L, fa + (uint64_t)Ly->lru_func, &ok);
		if (!ok)
			return 0;
		func_qualname(L, wrapped, qn, sizeof qn);
		hcount(n > 0 ? (uint64_t)n : 0, cnt, sizeof cnt);
		if (maxsize < 0) {
			struct leaks_suspect *s = add(x, LEAK_CACHE, sev_for(x, ret), ret, f);
			if (!s)
				return 1;
			s->count = n > 0 ? (uint64_t)n : 0;
			sfmt(s->title, sizeof s->title,
				 "functools.lru_cache(maxsize=None) on %s(): %s entries, %s", qn, cnt,
				 fmt_bytes(ret, b1, sizeof b1));
			sfmt(s->evidence, sizeof s->evidence,
				 "An unbounded lru_cache keeps every argument tuple and result forever: %s "
				 "entries, %s per entry on average. Give it a maxsize, or cache_clear() it.",
				 cnt, fmt_bytes(s->count ? ret / s->count : 0, b2, sizeof b2));
			if (cache)
				note_growth(x, s, graph_find(L->g, cache));
		} else {
			enum leaks_severity sev = sev_for(x, ret);
			struct leaks_suspect *s = add(x, LEAK_CONTAINER, sev > SEV_MEDIUM ? SEV_MEDIUM : sev,
						      ret, f);
			if (!s)
				return 1;
			s->count = n > 0 ? (uint64_t)n : 0;
			sfmt(s->title, sizeof s->title, "lru_cache(maxsize=%ld) on %s() holds %s",
				 (long)maxsize, qn, fmt_bytes(ret, b1, sizeof b1));
			sfmt(s->evidence, sizeof s->evidence,
				 "A bounded cache (%s of at most %ld entries): it does not grow past its "
				 "bound, but its entries are big (%s each on average).", cnt, (long)maxsize,
				 fmt_bytes(s->count ? ret / s->count : 0, b2, sizeof b2));
		}
		return 1;
	}

	const leaks_node_t *kids;
	size_t nk = leaks_children(L, f, &kids);
	if (t->kind == PYK_METHOD) {
		raddr_t self = field(L, fa, Ly->meth_self);
		raddr_t fn = field(L, fa, Ly->meth_func);
		graph_obj_t so = graph_find(L->g, self);
		if (so == GRAPH_NONE || leaks_idom_obj(L, so) != f || ret_of(L, so) < x->T)
			return 0;
		func_qualname(L, fn, qn, sizeof qn);
		struct leaks_suspect *s = add(x, LEAK_CLOSURE, sev_for(x, ret), ret, f);
		if (!s)
			return 1;
		s->accum = accumulation(L, so);
		accum_text(L, s->accum, acc, sizeof acc);
		graph_type_name(L->g, so, b2, sizeof b2);
		sfmt(s->title, sizeof s->title, "bound method %s keeps its %s alive (%s)", qn, b2,
			 fmt_bytes(ret, b1, sizeof b1));
		sfmt(s->evidence, sizeof s->evidence,
			 "Nothing else holds the instance: whoever stored the bound method (a callback "
			 "list, a signal, a timer) owns it and everything in it; the bytes pile up in %s. "
			 "Store a weakref.WeakMethod, or unregister.", acc);
		return 1;
	}
	if (t->kind != PYK_FUNCTION) {
		/* functools.partial: what its args/keywords retain */
		if (ret < x->T || !nk)
			return 0;
		struct leaks_suspect *s = add(x, LEAK_CLOSURE, sev_for(x, ret), ret, f);
		if (!s)
			return 1;
		s->accum = accumulation(L, f);
		accum_text(L, s->accum, acc, sizeof acc);
		sfmt(s->title, sizeof s->title, "functools.partial retains %s in its bound arguments",
			 fmt_bytes(ret, b1, sizeof b1));
		sfmt(s->evidence, sizeof s->evidence, "The bytes pile up in %s.", acc);
		return 1;
	}
	/* a function: which of its parts holds the bytes */
	uint64_t closure = 0, defaults = 0, fdict = 0;
	graph_obj_t closure_t = GRAPH_NONE, defaults_o = GRAPH_NONE;
	for (size_t i = 0; i < nk; i++) {
		if (kids[i] >= L->nobj || ret_of(L, kids[i]) * 10 < ret)
			break;
		struct graph_edge e[4];
		size_t ne = graph_edges_between(L->g, f, kids[i], e, 4);
		for (size_t k = 0; k < ne; k++) {
			if (e[k].kind != EDGE_FIELD)
				continue;
			if (e[k].aux == F_FUNC_CLOSURE) {
				closure += ret_of(L, kids[i]);
				closure_t = kids[i];
			} else if (e[k].aux == F_FUNC_DEFAULTS || e[k].aux == F_FUNC_KWDEFAULTS) {
				defaults += ret_of(L, kids[i]);
				defaults_o = kids[i];
			} else if (e[k].aux == F_DICT) {
				fdict += ret_of(L, kids[i]);
			}
			break;
		}
	}
	func_qualname(L, fa, qn, sizeof qn);
	if (closure >= x->T) {
		/* the cells, largest first, with their variable names */
		char cells[512] = "", nm[64];
		size_t len = 0;
		const leaks_node_t *ck;
		size_t nck = leaks_children(L, closure_t, &ck);
		raddr_t tup = graph_addr(L->g, closure_t);
		uint64_t ntup = 0;
		py_field(L->c, tup, Ly->ob_size, &ntup);
		leaks_node_t biggest = LEAKS_NONE;
		char bigname[64] = "";
		for (size_t i = 0; i < nck && i < 4 && ck[i] < L->nobj; i++) {
			int64_t idx = -1;
			for (uint64_t k = 0; k < ntup && k < 4096; k++) {
				int ok2 = 1;
				if (rdw(L, tup + Ly->tuple_items + 8 * k, &ok2) == graph_addr(L->g, ck[i]) && ok2) {
					idx = (int64_t)k;
					break;
				}
			}
			if (idx >= 0)
				freevar_name(L, fa, idx, nm, sizeof nm);
			else
				snprintf(nm, sizeof nm, "?");
			if (biggest == LEAKS_NONE) {
				biggest = ck[i];
				snprintf(bigname, sizeof bigname, "%s", nm);
			}
			leaks_node_t a = accumulation(L, ck[i]);
			accum_text(L, a, acc, sizeof acc);
			if (len < sizeof cells)
				len += (size_t)snprintf(cells + len, sizeof cells - len, "%s'%s' → %s", len ? "; " : "",
							nm, acc);
		}
		struct leaks_suspect *s = add(x, LEAK_CLOSURE, sev_for(x, closure), ret, f);
		if (!s)
			return 1;
		s->accum = biggest != LEAKS_NONE ? accumulation(L, biggest) : f;
		sfmt(s->title, sizeof s->title, "closure %s() retains %s through '%s'", qn,
			 fmt_bytes(closure, b1, sizeof b1), bigname);
		sfmt(s->evidence, sizeof s->evidence,
			 "The function's captured variables (its __closure__ cells) hold %s: %s. They "
			 "live as long as the function object is referenced (held from %s). Capture less "
			 "(copy what you need), or drop the function when done.",
			 fmt_bytes(closure, b1, sizeof b1), cells, held_from(s));
		return 1;
	}
	if (defaults >= x->T && defaults_o != GRAPH_NONE) {
		leaks_node_t a = accumulation(L, defaults_o);
		const struct pytype *at = a < L->nobj ? graph_type(L->g, a) : NULL;
		int cache = at && (at->kind == PYK_DICT || at->kind == PYK_LIST || at->kind == PYK_SET);
		struct leaks_suspect *s = add(x, cache ? LEAK_CACHE : LEAK_CONTAINER, sev_for(x, defaults),
					      defaults, f);
		if (!s)
			return 1;
		s->accum = a;
		accum_text(L, a, acc, sizeof acc);
		sfmt(s->title, sizeof s->title, "mutable default argument of %s() holds %s", qn,
			 fmt_bytes(defaults, b1, sizeof b1));
		sfmt(s->evidence, sizeof s->evidence,
			 "A default value is created once and shared by every call: %s. Used as a cache "
			 "it never forgets.", acc);
		if (a < L->nobj)
			note_growth(x, s, a);
		return 1;
	}
	if (fdict >= x->T) {
		struct leaks_suspect *s = add(x, LEAK_CONTAINER, sev_for(x, fdict), fdict, f);
		if (!s)
			return 1;
		sfmt(s->title, sizeof s->title, "attributes of function %s() hold %s", qn,
			 fmt_bytes(fdict, b1, sizeof b1));
		sfmt(s->evidence, sizeof s->evidence, "Data stored on the function object "
			 "(%s.__dict__) lives as long as the function.", qn);
		return 1;
	}
	return 0;
}

/* ---- one big object ---- */

static void object_finding(struct sctx *x, graph_obj_t o)
{
	struct leaks *L = x->L;
	uint64_t ret = ret_of(L, o);
	char tn[128], b1[32], val[160];
	graph_type_name(L->g, o, tn, sizeof tn);
	struct leaks_suspect *s = add(x, LEAK_LARGE_OBJECT, sev_for(x, ret), ret, o);
	if (!s)
		return;
	sfmt(s->title, sizeof s->title, "%s retains %s", tn, fmt_bytes(ret, b1, sizeof b1));
	sfmt(s->evidence, sizeof s->evidence,
		 "One %s (%s) retaining %s (shallow %s), %.0f%% of the heap; held from %s.", tn,
		 graph_value(L->g, o, val, sizeof val), b1, fmt_bytes(L->size[o], tn, sizeof tn),
		 x->total ? 100.0 * (double)ret / (double)x->total : 0.0, held_from(s));
	if (!from_global(s) && s->severity > SEV_LOW)
		s->severity--;
}

/* ---- the walk ---- */

static void explore(struct sctx *x)
{
	struct leaks *L = x->L;
	uint32_t *stk = malloc(((size_t)L->nnodes + 1) * sizeof *stk);
	size_t sp = 0;
	if (!stk) {
		x->oom = 1;
		return;
	}
	stk[sp++] = L->top;
	while (sp && !x->oom) {
		leaks_node_t v = stk[--sp];
		if (v != L->top && ret_of(L, v) < x->T)
			continue;
		if (v < L->nobj && (L->root_kind[v] == ROOT_GARBAGE + 1 || leaks_unreachable(L, v)))
			continue;       /* own findings */
		const leaks_node_t *k;
		size_t nk = leaks_children(L, v, &k);
		enum ncls cls = v == L->top ? N_STRUCT : classify_node(L, v);
		if (cls == N_FUNC && func_finding(x, v))
			continue;
		if (cls == N_COLLECTION) {
			/* follow a child that holds most of it */
			if (nk && (double)ret_of(L, k[0]) >= CHAIN_SHARE * (double)ret_of(L, v)) {
				stk[sp++] = k[0];
				continue;
			}
			collection_finding(x, v);
			continue;
		}
		if (cls == N_OTHER) {
			uint64_t big = 0;
			for (size_t i = 0; i < nk && ret_of(L, k[i]) >= x->T; i++)
				big += ret_of(L, k[i]);
			if ((double)big < 0.5 * (double)ret_of(L, v)) {
				object_finding(x, v);
				continue;
			}
		}
		/* look through: children past the threshold (sorted, so stop
		 * at the first one below); pushed smallest first so the
		 * largest is explored first */
		size_t m = 0;
		while (m < nk && ret_of(L, k[m]) >= x->T)
			m++;
		for (size_t i = m; i-- > 0;)
			if (sp < (size_t)L->nnodes + 1)
				stk[sp++] = k[i];
	}
	free(stk);
}

/* Containers that grew since the earlier snapshot, wherever they are. */
static void growing_containers(struct sctx *x)
{
	struct leaks *L = x->L;
	for (uint32_t o = 0; o < L->nobj && !x->oom; o++) {
		if (x->reported[o])
			continue;
		const struct pytype *t = graph_type(L->g, o);
		if (!t || !is_collection(t->kind))
			continue;
		int64_t now = value_container_len(L->c, graph_addr(L->g, o), t), before;
		if (now < 100 || !diff_prev_len(x->o->before, graph_addr(L->g, o), t->addr, &before))
			continue;
		int64_t grew = now - before;
		if (grew < 100 || grew * 10 < before || namespace_dict(L, o, t) ||
		    leaks_unreachable(L, o))
			continue;
		/* an inner container of one already reported is covered */
		int covered = 0, steps = 0;
		for (graph_obj_t d = leaks_idom_obj(L, o); d != GRAPH_NONE && steps < 4096;
		     d = leaks_idom_obj(L, d), steps++)
			if (x->reported[d]) {
				covered = 1;
				break;
			}
		if (covered)
			continue;
		size_t before_n = x->n;
		collection_finding(x, o);
		if (x->n > before_n) {
			struct leaks_suspect *s = &x->s[x->n - 1];
			if (s->severity < SEV_MEDIUM)
				s->severity = SEV_MEDIUM;
		}
	}
}

static void gc_findings(struct sctx *x)
{
	struct leaks *L = x->L;
	const struct heap_gc_info *gi = heap_gc(L->h);
	const struct leaks_garbage *G = leaks_garbage(L);
	char b1[32], c1[32], c2[32], tops[400] = "";
	size_t len = 0;
	if (!G)
		return;
	for (size_t i = 0; i < G->ntop && len < sizeof tops; i++)
		len += (size_t)snprintf(tops + len, sizeof tops - len, "%s%s %s (%s)", i ? ", " : "",
					hcount(G->top[i].count, c1, sizeof c1), G->top[i].row->name,
					fmt_bytes(G->top[i].bytes, b1, sizeof b1));
	/* gc.garbage */
	if (gi->garbage > 0 && gi->garbage_list) {
		graph_obj_t gl = graph_find(L->g, gi->garbage_list);
		uint64_t ret = gl != GRAPH_NONE ? ret_of(L, gl) : 0;
		int debug = 0;
		raddr_t at = pyctx_roots(L->c)->gc_debug_at;
		uint32_t dbg = 0;
		if (at && mem_read(pyctx_mem(L->c), at, &dbg, 4) == 0)
			debug = (int)dbg;
		struct leaks_suspect *s = add(x, LEAK_GC_GARBAGE,
					      ret >= x->T || gi->garbage >= 1000 ? SEV_HIGH : SEV_MEDIUM,
					      ret, gl);
		if (s) {
			s->count = (uint64_t)gi->garbage;
			sfmt(s->title, sizeof s->title, "gc.garbage holds %s objects (%s): never freed",
				 hcount(s->count, c1, sizeof c1), fmt_bytes(ret, b1, sizeof b1));
			sfmt(s->evidence, sizeof s->evidence,
				 "The collector puts here what it found unreachable but may not free%s; "
				 "nothing ever empties it but your code (del gc.garbage[:]).",
				 (debug & GC_DEBUG_SAVEALL) ? " — and gc.set_debug(gc.DEBUG_SAVEALL) is on, "
				 "so that is everything it collects" : " (uncollectable objects with "
				 "legacy finalizers)");
		}
	}
	/* collector switched off, one way or another */
	int off = !gi->enabled || gi->gen[0].threshold == 0;
	if (off) {
		struct leaks_suspect *s = add(x, LEAK_GC_STATE, G->bytes >= x->T ? SEV_HIGH : SEV_MEDIUM,
					      G->bytes, GRAPH_NONE);
		if (s) {
			s->count = G->objects;
			s->accum = G->example;
			sfmt(s->title, sizeof s->title, "%s: %s of cyclic garbage waits (%s objects)",
				 !gi->enabled ? "the garbage collector is disabled (gc.disable())"
				 : "gc.set_threshold(0) switched automatic collection off",
				 fmt_bytes(G->bytes, b1, sizeof b1), hcount(G->objects, c2, sizeof c2));
			sfmt(s->evidence, sizeof s->evidence,
				 "Reference cycles are only freed by the cyclic collector; with it off they "
				 "accumulate. A gc.collect() now would free %s in %s objects (%s%s). The "
				 "youngest generation holds %s objects (threshold %d).",
				 fmt_bytes(G->bytes, b1, sizeof b1), hcount(G->objects, c2, sizeof c2),
				 tops[0] ? "mostly " : "", tops,
				 hcount(gi->gen[0].objects, c1, sizeof c1), gi->gen[0].threshold);
		}
	} else if (G->bytes >= x->T) {
		struct leaks_suspect *s = add(x, LEAK_CYCLES, sev_for(x, G->bytes) > SEV_MEDIUM ? SEV_MEDIUM
					      : sev_for(x, G->bytes), G->bytes, GRAPH_NONE);
		if (s) {
			s->count = G->objects;
			s->accum = G->example;
			sfmt(s->title, sizeof s->title, "%s of cyclic garbage awaits collection (%s objects)",
				 fmt_bytes(G->bytes, b1, sizeof b1), hcount(G->objects, c2, sizeof c2));
			sfmt(s->evidence, sizeof s->evidence,
				 "Objects only reference cycles keep alive (%s); the collector will free them "
				 "at its next collection of their generation. Lots of it means the program makes "
				 "cycles faster than gen-2 collections run.", tops);
		}
	}
	if (G->with_del) {
		struct leaks_suspect *s = add(x, LEAK_DEL_CYCLE, off ? SEV_MEDIUM : SEV_LOW,
					      G->with_del_bytes, GRAPH_NONE);
		if (s) {
			s->count = G->with_del;
			s->accum = G->example;
			sfmt(s->title, sizeof s->title, "%s objects with __del__ are in garbage cycles",
				 hcount(G->with_del, c1, sizeof c1));
			sfmt(s->evidence, sizeof s->evidence,
				 "Finalizers in cycles run in an arbitrary order during collection and can "
				 "resurrect objects; with the collector %s. Break the cycle (weakref) or use "
				 "weakref.finalize.", off ? "off they are never run" : "on they are freed");
		}
	}
	/* thresholds and generations */
	if (!off && (gi->gen[0].threshold > 100000 || gi->gen[1].threshold > 1000 ||
		     gi->gen[2].threshold > 1000)) {
		struct leaks_suspect *s = add(x, LEAK_GC_STATE,
					      gi->gen[0].threshold > 100000 ? SEV_MEDIUM : SEV_LOW, 0,
					      GRAPH_NONE);
		if (s) {
			sfmt(s->title, sizeof s->title, "unusual GC thresholds (%d, %d, %d)",
				 gi->gen[0].threshold, gi->gen[1].threshold, gi->gen[2].threshold);
			sfmt(s->evidence, sizeof s->evidence,
				 "The defaults are (700, 10, 10) (2000 on 3.13); high thresholds make "
				 "collections rare, so cyclic garbage piles up between them.");
		}
	}
	if (!off && gi->gen[0].objects >= 100000) {
		struct leaks_suspect *s = add(x, LEAK_GC_STATE, SEV_MEDIUM, 0, GRAPH_NONE);
		if (s) {
			s->count = gi->gen[0].objects;
			sfmt(s->title, sizeof s->title, "the youngest GC generation holds %s objects",
				 hcount(gi->gen[0].objects, c1, sizeof c1));
			sfmt(s->evidence, sizeof s->evidence,
				 "Generation 0 should stay near its threshold (%d); this many means "
				 "collections have not run for a long time (a long C call, a stuck collection, "
				 "or allocation that does not go through the collector's counter).",
				 gi->gen[0].threshold);
		}
	}
	if (gi->permanent > 0) {
		struct leaks_suspect *s = add(x, LEAK_GC_STATE, SEV_INFO, 0, GRAPH_NONE);
		if (s) {
			s->count = gi->permanent;
			sfmt(s->title, sizeof s->title, "%s objects frozen by gc.freeze()",
				 hcount(gi->permanent, c1, sizeof c1));
			sfmt(s->evidence, sizeof s->evidence,
				 "The permanent generation is never collected: cycles among frozen objects "
				 "are never freed. Normal after a fork-server preload; a leak if the program "
				 "freezes repeatedly.");
		}
	}
}

/* ---- __slots__ ---- */

struct slots_acc {
	uint64_t inst_bytes, dict_bytes, count, weak;
	int64_t max_attrs;
	uint64_t sampled;
	char names[200];
};

struct attr_names { char *buf; size_t cap, len; int n; };

static int attr_name_cb(void *arg, const struct value_attr *a)
{
	struct attr_names *an = arg;
	if (an->n++ < 8 && an->len < an->cap)
		an->len += (size_t)snprintf(an->buf + an->len, an->cap - an->len, "%s'%s'",
					    an->len ? ", " : "", a->name ? a->name : "?");
	return 0;
}

/* 3.11/3.12: bytes of the values array of an instance without a dict
 * object (Objects/dictobject.c new_values: a prefix of size+2 bytes
 * rounded up to a word, then one pointer per usable entry of the class's
 * shared keys).  Not a Python object, so no getsizeof reports it. */
static uint64_t values_array_bytes(struct leaks *L, const struct pytype *t)
{
	const struct py_layout *Ly = pyctx_layout(L->c);
	if (Ly->minor != 11 && Ly->minor != 12)
		return 0;
	raddr_t keys = field(L, t->addr, Ly->ht_cached_keys);
	uint64_t usable = 0, nentries = 0;
	if (!keys || Ly->keys_usable < 0 || Ly->keys_nentries < 0 ||
	    mem_u64(pyctx_mem(L->c), keys + Ly->keys_usable, &usable) ||
	    mem_u64(pyctx_mem(L->c), keys + Ly->keys_nentries, &nentries))
		return 0;
	uint64_t size = usable + nentries;
	if (size > 1 << 20)
		return 0;
	return ((size + 2 + 7) & ~7ULL) + 8 * size;
}

static void slots_findings(struct sctx *x)
{
	struct leaks *L = x->L;
	const struct py_layout *Ly = pyctx_layout(L->c);
	struct slots_acc *acc = calloc(L->nrows + 1, sizeof *acc);
	uint8_t *cand = calloc(L->nrows + 1, 1);
	char b1[32], b2[32], b3[32], c1[32];
	if (!acc || !cand) {
		free(acc);
		free(cand);
		return;
	}
	size_t ncand = 0;
	for (size_t r = 0; r < L->nrows; r++) {
		const struct pytype *t = L->rows[r].type;
		if (is_instance(t) && (t->dictoffset != 0 || (t->flags & PY_TPFLAGS_MANAGED_DICT)) &&
		    L->rows[r].count >= SLOTS_MIN_INSTANCES) {
			cand[r] = 1;
			ncand++;
		}
	}
	if (ncand) {
		for (uint32_t o = 0; o < L->nobj; o++) {
			uint32_t r = L->row_of[o];
			if (r == UINT32_MAX || !cand[r] || leaks_is_garbage(L, o))
				continue;
			const struct pytype *t = L->rows[r].type;
			struct slots_acc *a = &acc[r];
			raddr_t addr = graph_addr(L->g, o);
			a->count++;
			a->inst_bytes += L->size[o];
			raddr_t d = value_instance_dict(L->c, addr, t);
			if (d) {
				graph_obj_t dobj = graph_find(L->g, d);
				a->dict_bytes += dobj != GRAPH_NONE ? L->size[dobj] : py_getsizeof(L->c, d, NULL);
			} else {
				a->dict_bytes += values_array_bytes(L, t);
			}
			const graph_obj_t *w;
			if (!a->weak && graph_weak_referrers(L->g, o, &w))
				a->weak = 1;
			if (a->sampled < SLOTS_ATTR_SAMPLE) {
				struct attr_names an = {a->names, sizeof a->names, 0, 0};
				if (a->sampled)
					an.cap = 0;   /* names from the first instance only */
				long na = value_iter_attrs(L->c, addr, t, attr_name_cb, &an);
				if (!a->sampled)
					a->names[sizeof a->names - 1] = 0;
				if (na > a->max_attrs)
					a->max_attrs = na;
				a->sampled++;
			}
		}
	}
	for (size_t r = 0; r < L->nrows; r++) {
		struct slots_acc *a = &acc[r];
		if (!cand[r] || a->count < SLOTS_MIN_INSTANCES)
			continue;
		/* a __slots__ instance: header, one pointer per attribute,
		 * __weakref__ only if something weakly references them, plus the
		 * GC header sys.getsizeof counts */
		uint64_t slot_size = 16 + 8 * (uint64_t)a->max_attrs + (a->weak ? 8 : 0) +
				     (uint64_t)Ly->gc_head_size;
		uint64_t now = a->inst_bytes + a->dict_bytes, then = a->count * slot_size;
		if (now <= then || now - then < 64 * KIB || now - then < x->T / 4)
			continue;
		uint64_t save = now - then;
		double share = x->total ? (double)save / (double)x->total : 0;
		struct leaks_suspect *s = add(x, LEAK_SLOTS, share >= 0.10 ? SEV_MEDIUM : SEV_LOW, save,
					      GRAPH_NONE);
		if (!s)
			break;
		s->count = a->count;
		sfmt(s->title, sizeof s->title, "%s %s instances carry a __dict__: __slots__ would save %s",
			 hcount(a->count, c1, sizeof c1), L->rows[r].name, fmt_bytes(save, b1, sizeof b1));
		sfmt(s->evidence, sizeof s->evidence,
			 "Now %s per instance on average (object %s + attribute storage %s, the real "
			 "sizes of their __dict__s%s); with __slots__ = (%s) about %lu B (%ld attribute%s%s).",
			 fmt_bytes(now / a->count, b1, sizeof b1), fmt_bytes(a->inst_bytes / a->count, b2, sizeof b2),
			 fmt_bytes(a->dict_bytes / a->count, b3, sizeof b3),
			 Ly->minor == 11 || Ly->minor == 12 ? " or values arrays" : "", a->names,
			 (unsigned long)slot_size, (long)a->max_attrs, a->max_attrs == 1 ? "" : "s",
			 a->weak ? ", plus __weakref__" : "");
	}
	free(acc);
	free(cand);
}

/* ---- accumulation: many instances of one class, held from several places ---- */

/* MAT's leading suspect: no single object dominates the instances (each
 * is held from two places, say a module dict and a per-session list), so
 * the walk above never meets them, yet together they are most of the
 * heap.  For the classes whose instances retain the most, the group's
 * retained size (leaks_group_retained: what would be freed if all of them
 * went) and the accumulation points: the path patterns of the containers
 * holding a sample of them. */

#define GROUP_MIN_INSTANCES 100
#define GROUP_CANDIDATES 6
#define GROUP_SAMPLE 200
#define GROUP_MAX_PATTERNS 32
#define GROUP_MAX_HOLDERS 1024
#define COVERED_SHARE 0.8

struct gpat {
	char pattern[400], holder[160];
	uint64_t sampled, containers, last;
	graph_obj_t example;
};

struct gholder { graph_obj_t r; int pat; };

struct group_scan {
	struct leaks *L;
	struct gpat pats[GROUP_MAX_PATTERNS];
	size_t npats;
	struct gholder holders[GROUP_MAX_HOLDERS];
	size_t nholders;
};

/* The last hop of an extended path as a pattern piece ("[...]", ".x"):
 * the full pattern minus the pattern of the path without it. */
static void hop_suffix(struct graph *g, struct graph_path *p, const char *full, char *buf, size_t cap)
{
	char pre[400];
	struct graph_path q = *p;
	q.n = p->n ? p->n - 1 : 0;
	diff_path_pattern(g, &q, pre, sizeof pre);
	size_t n = strlen(pre);
	snprintf(buf, cap, "%s", !strncmp(full, pre, n) ? full + n : "");
}

/* "Session.requests[...]" when the container that holds the instance is
 * an attribute of an instance (directly, or through its __dict__). */
static void holder_label(struct leaks *L, struct graph_path *p, const char *full, char *buf,
			 size_t cap)
{
	struct graph *g = L->g;
	char label[256], name[160], tn[128], hop[64];
	graph_obj_t owner = GRAPH_NONE;
	buf[0] = 0;
	if (p->n < 2)
		return;
	const struct graph_edge *in = &p->edges[p->n - 2];   /* into the container */
	graph_edge_label(g, in, label, sizeof label);
	if (in->from != GRAPH_NONE && is_instance(graph_type(g, in->from)) &&
	    (in->kind == EDGE_ATTR || in->kind == EDGE_SLOT) && label[0] == '.') {
		owner = in->from;
		sfmt(name, sizeof name, "%s", label + 1);
	} else if (in->kind == EDGE_DICT_VALUE && p->n >= 3) {
		const struct graph_edge *d = &p->edges[p->n - 3];
		size_t ln = strlen(label);
		if (d->from != GRAPH_NONE && d->kind == EDGE_FIELD && d->aux == F_DICT &&
		    is_instance(graph_type(g, d->from)) && ln >= 5 && label[0] == '[' &&
		    (label[1] == '\'' || label[1] == '"')) {
			owner = d->from;
			snprintf(name, sizeof name, "%.*s", (int)(ln - 4), label + 2);
		}
	}
	if (owner == GRAPH_NONE)
		return;
	hop_suffix(g, p, full, hop, sizeof hop);
	diff_type_name(graph_type(g, owner), tn, sizeof tn);
	sfmt(buf, cap, "%s.%s%s", tn, name, hop);
}

/* Pattern index for "held by r" (r holds o), -1 when r has no path. */
static int group_pattern(struct group_scan *gs, graph_obj_t r, graph_obj_t o, int *fresh)
{
	struct leaks *L = gs->L;
	struct graph *g = L->g;
	for (size_t i = 0; i < gs->nholders; i++)
		if (gs->holders[i].r == r) {
			*fresh = 0;
			return gs->holders[i].pat;
		}
	*fresh = 1;
	char pat[400], hold[160];
	struct graph_path *p = NULL, ext;
	struct graph_edge e;
	int idx = -1;
	size_t np;
	if (r == GRAPH_NONE) {
		/* no object holds it: a root that is no object (a frame's
		 * local) — the path to o itself */
		np = graph_paths(g, o, 1, &p);
		if (!np)
			return -1;
		diff_path_pattern(g, &p[0], pat, sizeof pat);
		hold[0] = 0;
	} else {
		np = graph_paths(g, r, 1, &p);
		if (!np || graph_edges_between(g, r, o, &e, 1) != 1) {
			graph_paths_free(p, np);
			goto remember;
		}
		ext.root = p[0].root;
		ext.n = p[0].n + 1;
		ext.edges = malloc(ext.n * sizeof *ext.edges);
		if (!ext.edges) {
			graph_paths_free(p, np);
			goto remember;
		}
		if (p[0].n)
			memcpy(ext.edges, p[0].edges, p[0].n * sizeof *ext.edges);
		ext.edges[p[0].n] = e;
		diff_path_pattern(g, &ext, pat, sizeof pat);
		holder_label(L, &ext, pat, hold, sizeof hold);
		free(ext.edges);
	}
	graph_paths_free(p, np);
	for (size_t i = 0; i < gs->npats && idx < 0; i++)
		if (!strcmp(gs->pats[i].pattern, pat))
			idx = (int)i;
	if (idx < 0 && gs->npats < GROUP_MAX_PATTERNS) {
		struct gpat *gp = &gs->pats[gs->npats];
		memset(gp, 0, sizeof *gp);
		snprintf(gp->pattern, sizeof gp->pattern, "%s", pat);
		sfmt(gp->holder, sizeof gp->holder, "%s", hold[0] ? hold : pat);
		gp->example = r;
		idx = (int)gs->npats++;
	}
remember:
	if (r != GRAPH_NONE && gs->nholders < GROUP_MAX_HOLDERS)
		gs->holders[gs->nholders++] = (struct gholder){r, idx};
	return idx;
}

static int cmp_gpat(const void *a, const void *b)
{
	const struct gpat *x = a, *y = b;
	if (x->sampled != y->sampled)
		return x->sampled < y->sampled ? 1 : -1;
	return strcmp(x->pattern, y->pattern);
}

/* The accumulation points of members[0..n) into s. */
static void group_points(struct sctx *x, const graph_obj_t *members, size_t n,
			 struct leaks_suspect *s, uint32_t row)
{
	struct leaks *L = x->L;
	struct group_scan *gs = calloc(1, sizeof *gs);
	if (!gs) {
		x->oom = 1;
		return;
	}
	gs->L = L;
	size_t take = n < GROUP_SAMPLE ? n : GROUP_SAMPLE;
	for (size_t si = 0; si < take; si++) {
		graph_obj_t o = members[n <= GROUP_SAMPLE ? si : si * n / GROUP_SAMPLE];
		size_t nr, used = 0;
		const graph_obj_t *rs = graph_referrer_objs(L->g, o, &nr);
		for (size_t k = 0; k <= nr; k++) {
			graph_obj_t r;
			if (k < nr) {
				r = rs[k];
				/* other instances of the class (a linked chain)
				 * are not where the group piles up */
				if (r == GRAPH_NONE || r == o || r >= L->nobj || L->row_of[r] == row)
					continue;
			} else if (used) {
				break;
			} else {
				r = GRAPH_NONE;
			}
			int fresh, pi = group_pattern(gs, r, o, &fresh);
			used++;
			if (pi < 0)
				continue;
			struct gpat *gp = &gs->pats[pi];
			if (fresh)
				gp->containers++;
			if (gp->last != si + 1) {
				gp->last = si + 1;
				gp->sampled++;
			}
		}
	}
	qsort(gs->pats, gs->npats, sizeof *gs->pats, cmp_gpat);
	s->sampled = take;
	for (size_t i = 0; i < gs->npats && s->npoints < LEAKS_MAX_POINTS; i++) {
		struct leaks_accum_point *pt = &s->points[s->npoints++];
		snprintf(pt->pattern, sizeof pt->pattern, "%s", gs->pats[i].pattern);
		sfmt(pt->holder, sizeof pt->holder, "%s", gs->pats[i].holder);
		pt->sampled = gs->pats[i].sampled;
		pt->containers = gs->pats[i].containers;
		pt->share = take ? (double)pt->sampled / (double)take : 0;
		pt->example = gs->pats[i].example;
	}
	free(gs);
}

/* Do most of an even sample of members[0..n) sit under an object already
 * reported (a container finding that says it all)?  Cheap: walks up the
 * dominator tree, so the group's walk over the whole graph is skipped. */
static int group_covered(struct sctx *x, const graph_obj_t *members, size_t n)
{
	struct leaks *L = x->L;
	size_t take = n < GROUP_SAMPLE ? n : GROUP_SAMPLE, covered = 0;
	for (size_t si = 0; si < take; si++) {
		graph_obj_t o = members[n <= GROUP_SAMPLE ? si : si * n / GROUP_SAMPLE];
		int steps = 0;
		for (graph_obj_t d = leaks_idom_obj(L, o); d != GRAPH_NONE && steps < 4096;
		     d = leaks_idom_obj(L, d), steps++)
			if (x->reported[d]) {
				covered++;
				break;
			}
	}
	return take && (double)covered >= COVERED_SHARE * (double)take;
}

struct gcand { uint32_t row; size_t n, cap; graph_obj_t *m; };

static int cmp_cand(const void *a, const void *b)
{
	const struct gcand *x = a, *y = b;
	/* rows[] retained, largest first: set by the caller in cap */
	if (x->cap != y->cap)
		return x->cap < y->cap ? 1 : -1;
	return (x->row > y->row) - (x->row < y->row);
}

static void accumulation_findings(struct sctx *x)
{
	struct leaks *L = x->L;
	struct gcand c[GROUP_CANDIDATES];
	size_t nc = 0;
	/* candidates: classes with many instances, by the lower bound of
	 * their group's retained size (each instance's own, not nested) */
	for (size_t r = 0; r < L->nrows; r++) {
		const struct leaks_type_row *row = &L->rows[r];
		if (!is_instance(row->type) || row->count < GROUP_MIN_INSTANCES)
			continue;
		struct gcand k = {(uint32_t)r, 0, row->retained, NULL};
		if (nc < GROUP_CANDIDATES) {
			c[nc++] = k;
			qsort(c, nc, sizeof *c, cmp_cand);
		} else if (k.cap > c[nc - 1].cap) {
			c[nc - 1] = k;
			qsort(c, nc, sizeof *c, cmp_cand);
		}
	}
	if (!nc)
		return;
	int32_t *cand_of = malloc((L->nrows + 1) * sizeof *cand_of);
	if (!cand_of) {
		x->oom = 1;
		return;
	}
	for (size_t r = 0; r < L->nrows; r++)
		cand_of[r] = -1;
	for (size_t i = 0; i < nc; i++) {
		cand_of[c[i].row] = (int32_t)i;
		c[i].cap = L->rows[c[i].row].count;
		c[i].m = malloc((c[i].cap ? c[i].cap : 1) * sizeof *c[i].m);
		if (!c[i].m)
			x->oom = 1;
	}
	/* the members: instances a root reaches (garbage has its own findings) */
	for (uint32_t o = 0; o < L->nobj && !x->oom; o++) {
		uint32_t r = L->row_of[o];
		if (r == UINT32_MAX || cand_of[r] < 0 || L->unreach[o] || leaks_is_garbage(L, o))
			continue;
		struct gcand *k = &c[cand_of[r]];
		if (k->n < k->cap)
			k->m[k->n++] = o;
	}
	for (size_t i = 0; i < nc && !x->oom; i++) {
		struct gcand *k = &c[i];
		const struct leaks_type_row *row = &L->rows[k->row];
		if (k->n < GROUP_MIN_INSTANCES || group_covered(x, k->m, k->n))
			continue;
		uint64_t bytes = leaks_group_retained(L, k->m, k->n);
		if (bytes == UINT64_MAX) {
			x->oom = 1;
			break;
		}
		if (bytes < x->T)
			continue;
		/* the example: the member retaining the most */
		graph_obj_t ex = k->m[0];
		for (size_t j = 1; j < k->n; j++)
			if (ret_of(L, k->m[j]) > ret_of(L, ex))
				ex = k->m[j];
		struct leaks_suspect tmp;
		memset(&tmp, 0, sizeof tmp);
		group_points(x, k->m, k->n, &tmp, k->row);
		struct leaks_suspect *s = add(x, LEAK_ACCUMULATION, sev_for(x, bytes), bytes, ex);
		if (!s)
			break;
		s->count = k->n;
		s->sampled = tmp.sampled;
		s->npoints = tmp.npoints;
		memcpy(s->points, tmp.points, sizeof s->points);
		snprintf(s->group, sizeof s->group, "%s", row->name);
		char cnt[32], b1[32], b2[32], held[600] = "", pts[800] = "";
		size_t hl = 0, pl = 0;
		double pct = x->total ? 100.0 * (double)bytes / (double)x->total : 0;
		for (size_t p = 0; p < s->npoints; p++) {
			const struct leaks_accum_point *pt = &s->points[p];
			if (p < 2 && pt->share >= 0.1 && hl < sizeof held)
				hl += (size_t)snprintf(held + hl, sizeof held - hl, "%s%s (%.0f%%)",
						       hl ? " and via " : "; held via ", pt->holder,
						       100.0 * pt->share);
			if (pl < sizeof pts)
				pl += (size_t)snprintf(pts + pl, sizeof pts - pl, "%s%s: %.0f%% (%lu of %lu, in %lu "
						       "container%s seen)", pl ? "; " : "", pt->pattern,
						       100.0 * pt->share, (unsigned long)pt->sampled,
						       (unsigned long)s->sampled, (unsigned long)pt->containers,
						       pt->containers == 1 ? "" : "s");
		}
		sfmt(s->title, sizeof s->title, "%s %s retain %s (%.0f%%)%s", hcount(k->n, cnt, sizeof cnt),
		     row->name, fmt_bytes(bytes, b1, sizeof b1), pct, held);
		sfmt(s->evidence, sizeof s->evidence,
		     "No single object keeps these %s instances alive, so no one container shows up as "
		     "the culprit; together they retain %s, %.0f%% of the heap (what would be freed if "
		     "every one of them went; the largest alone retains %s). Where they pile up%s: %s.",
		     row->name, fmt_bytes(bytes, b1, sizeof b1), pct, fmt_bytes(ret_of(L, ex), b2, sizeof b2),
		     s->sampled < s->count ? " (paths of an even sample)" : "", pts[0] ? pts : "no root reaches them");
		/* held by running functions only: working data */
		if (s->npoints && s->points[0].pattern[0] == '<' && s->severity > SEV_LOW)
			s->severity--;
		if (x->o && x->o->before) {
			uint64_t fresh = 0;
			for (size_t j = 0; j < k->n; j++)
				fresh += (uint64_t)diff_is_new(x->o->before, L->h, L->g, k->m[j]);
			s->growth = (int64_t)fresh;
			size_t len = strlen(s->evidence);
			if (fresh) {
				snprintf(s->evidence + len, sizeof s->evidence - len,
					 " %s of them are new since the earlier snapshot (%.1f s ago).",
					 hcount(fresh, cnt, sizeof cnt), x->o->interval_s);
				if ((fresh >= 100 || fresh * 10 >= k->n) && s->severity < SEV_HIGH)
					s->severity++;
			}
		}
	}
	for (size_t i = 0; i < nc; i++)
		free(c[i].m);
	free(cand_of);
}

static int cmp_suspect(const void *a, const void *b)
{
	const struct leaks_suspect *x = a, *y = b;
	if (x->severity != y->severity)
		return x->severity < y->severity ? 1 : -1;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return (int)x->kind - (int)y->kind;
}

size_t leaks_suspects(struct leaks *L, const struct leaks_suspect_opts *o,
		      struct leaks_suspect **out)
{
	struct sctx x = {0};
	*out = NULL;
	x.L = L;
	x.o = o;
	x.total = L->st.total;
	uint64_t minb = o && o->min_bytes ? o->min_bytes : DEFAULT_MIN_BYTES;
	x.T = minb > x.total / 50 ? minb : x.total / 50;
	x.reported = calloc((size_t)L->nobj + 1, 1);
	if (!x.reported)
		return 0;
	gc_findings(&x);
	explore(&x);
	if (o && o->before)
		growing_containers(&x);
	accumulation_findings(&x);
	slots_findings(&x);
	free(x.reported);
	if (x.oom && !x.n) {
		free(x.s);
		return 0;
	}
	if (x.n)
		qsort(x.s, x.n, sizeof *x.s, cmp_suspect);
	/* evidence strength and bytes together: whatever holds the most
	 * bytes (savings of __slots__ are no consumption) is never ranked
	 * below third, however weak its evidence */
	size_t big = SIZE_MAX;
	for (size_t i = 0; i < x.n; i++)
		if (x.s[i].kind != LEAK_SLOTS && (big == SIZE_MAX || x.s[i].bytes > x.s[big].bytes))
			big = i;
	if (big != SIZE_MAX && big > 2) {
		struct leaks_suspect t = x.s[big];
		memmove(&x.s[3], &x.s[2], (big - 2) * sizeof *x.s);
		x.s[2] = t;
	}
	*out = x.s;
	return x.n;
}
