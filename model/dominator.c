/* dominator — Lengauer–Tarjan on DFS numbers.  See dominator.h.
 *
 * Notation: nodes are the caller's ids (0..n-1); "numbers" are DFS
 * preorder numbers 1..N of the reached nodes (0 = not reached).  All the
 * algorithm's arrays are indexed by number, so the hot loops run over
 * dense memory in the order they were filled.
 *
 *   1. DFS from the root (explicit stack of edge cursors), numbering nodes
 *      and recording each one's DFS parent; with DOM_ADOPT_UNREACHABLE,
 *      further DFS walks from adopted nodes, whose DFS parent is the root.
 *   2. Predecessors of every number, as CSR (the transpose of the reached
 *      part of the graph).
 *   3. Semidominators, in decreasing number order, with the link/eval
 *      forest (simple linking, path compression done with an explicit
 *      stack instead of the textbook recursion); implicit idoms through
 *      the buckets.
 *   4. Final idoms in increasing number order.
 *
 * Reference: T. Lengauer, R. E. Tarjan, "A fast algorithm for finding
 * dominators in a flowgraph", TOPLAS 1(1), 1979 — the "simple" version.
 */
#include "dominator.h"

#include <stdlib.h>
#include <string.h>

struct dom_tree {
	uint32_t n;            /* nodes in the graph */
	dom_node_t root;
	uint32_t N;            /* reached nodes (numbers 1..N) */
	uint32_t nadopted, nunreachable;
	uint32_t *pre;         /* node -> number, 0 = unreached */
	dom_node_t *vertex;    /* number -> node; vertex[0] unused */
	uint32_t *idom;        /* number -> number of the idom (0 for the root) */
	uint8_t *adopted;      /* node -> 1 when adopted */
	/* after dom_set_sizes */
	uint64_t *ret;         /* number -> retained size */
	uint32_t *coff;        /* number -> first child in kids (N+2 entries) */
	dom_node_t *kids;      /* children as nodes, grouped by parent number */
};

/* ==== CSR from a callback ==== */

struct csr {
	uint64_t *off;
	dom_node_t *adj;
	uint64_t nadj, capadj;
};

static int csr_from_callback(struct csr *c, uint32_t n, dom_succ_fn succ, void *arg)
{
	c->off = malloc(((size_t)n + 1) * sizeof *c->off);
	c->capadj = (uint64_t)n * 2 + 16;
	c->adj = malloc(c->capadj * sizeof *c->adj);
	c->nadj = 0;
	if (!c->off || !c->adj)
		return -1;
	for (uint32_t v = 0; v < n; v++) {
		const dom_node_t *s = NULL;
		size_t k = succ(arg, v, &s);
		c->off[v] = c->nadj;
		if (!k || !s)
			continue;
		if (c->nadj + k > c->capadj) {
			uint64_t nc = c->capadj;
			while (nc < c->nadj + k)
				nc += nc / 2 + 16;
			dom_node_t *na = realloc(c->adj, nc * sizeof *na);
			if (!na)
				return -1;
			c->adj = na;
			c->capadj = nc;
		}
		memcpy(c->adj + c->nadj, s, k * sizeof *s);
		c->nadj += k;
	}
	c->off[n] = c->nadj;
	return 0;
}

int dom_compute(uint32_t n, dom_node_t root, dom_succ_fn succ, void *arg,
		unsigned flags, struct dom_tree **out)
{
	struct csr c = {0};
	*out = NULL;
	if (n == 0 || n == DOM_NONE || root >= n)
		return -1;
	int rc = -1;
	if (csr_from_callback(&c, n, succ, arg) == 0)
		rc = dom_compute_csr(n, root, c.off, c.adj, flags, out);
	free(c.off);
	free(c.adj);
	return rc;
}

/* ==== Step 1: DFS numbering ==== */

struct work {
	uint32_t n, N;
	const uint64_t *off;
	const dom_node_t *adj;
	uint32_t *pre;
	dom_node_t *vertex;
	uint32_t *parent;
	dom_node_t *stk;       /* DFS stack: nodes ... */
	uint64_t *cur;         /* ... and the next edge of each */
};

/* Number everything reachable from `start` (already known unreached),
 * whose DFS parent is number `par` (0 for the root). */
static void dfs(struct work *w, dom_node_t start, uint32_t par)
{
	size_t sp = 0;
	w->pre[start] = ++w->N;
	w->vertex[w->N] = start;
	w->parent[w->N] = par;
	w->stk[sp] = start;
	w->cur[sp++] = w->off[start];
	while (sp) {
		dom_node_t v = w->stk[sp - 1];
		uint64_t end = w->off[v + 1];
		uint64_t *c = &w->cur[sp - 1];
		dom_node_t x = DOM_NONE;
		while (*c < end) {
			dom_node_t y = w->adj[(*c)++];
			if (y < w->n && !w->pre[y]) {
				x = y;
				break;
			}
		}
		if (x == DOM_NONE) {
			sp--;
			continue;
		}
		/* each node is pushed once, so the stack never exceeds n */
		w->pre[x] = ++w->N;
		w->vertex[w->N] = x;
		w->parent[w->N] = w->pre[v];
		w->stk[sp] = x;
		w->cur[sp++] = w->off[x];
	}
}

/* ==== Step 3 helpers: the link/eval forest ==== */

/* Path compression of the forest path above v, bottom-up from the node
 * nearest the forest root, as the recursive COMPRESS would do it. */
static void compress(uint32_t v, uint32_t *ancestor, uint32_t *label, const uint32_t *semi,
		     uint32_t *stk)
{
	size_t sp = 0;
	uint32_t x = v;
	while (ancestor[ancestor[x]] != 0) {
		stk[sp++] = x;
		x = ancestor[x];
	}
	while (sp) {
		x = stk[--sp];
		uint32_t a = ancestor[x];
		if (semi[label[a]] < semi[label[x]])
			label[x] = label[a];
		ancestor[x] = ancestor[a];
	}
}

static inline uint32_t eval(uint32_t v, uint32_t *ancestor, uint32_t *label,
			    const uint32_t *semi, uint32_t *stk)
{
	if (ancestor[v] == 0)
		return v;
	compress(v, ancestor, label, semi, stk);
	return label[v];
}

int dom_compute_csr(uint32_t n, dom_node_t root, const uint64_t *off,
		    const dom_node_t *adj, unsigned flags, struct dom_tree **out)
{
	*out = NULL;
	if (n == 0 || n == DOM_NONE || root >= n)
		return -1;
	struct dom_tree *t = calloc(1, sizeof *t);
	struct work w = {.n = n, .off = off, .adj = adj};
	uint64_t *poff = NULL;
	uint32_t *pred = NULL, *semi = NULL, *label = NULL, *ancestor = NULL;
	uint32_t *bhead = NULL, *bnext = NULL, *idom = NULL;
	size_t nn = (size_t)n + 1;
	int rc = -1;

	if (!t)
		return -1;
	t->n = n;
	t->root = root;
	w.pre = t->pre = calloc(n, sizeof *t->pre);
	w.vertex = t->vertex = malloc(nn * sizeof *t->vertex);
	w.parent = malloc(nn * sizeof *w.parent);
	w.stk = malloc(nn * sizeof *w.stk);
	w.cur = malloc(nn * sizeof *w.cur);
	t->adopted = calloc(n, 1);
	if (!t->pre || !t->vertex || !w.parent || !w.stk || !w.cur || !t->adopted)
		goto out;

	/* 1. numbering */
	dfs(&w, root, 0);
	uint32_t from_root = w.N;
	if ((flags & DOM_ADOPT_UNREACHABLE) && w.N < n) {
		/* in-degrees, reusing the stack array as a counter */
		uint32_t *indeg = w.stk;
		memset(indeg, 0, nn * sizeof *indeg);
		for (uint32_t v = 0; v < n; v++)
			for (uint64_t e = off[v]; e < off[v + 1]; e++)
				if (adj[e] < n && adj[e] != v && indeg[adj[e]] < UINT32_MAX)
					indeg[adj[e]]++;
		/* entry points first (nothing can reach them, so each starts
		 * its own walk); dfs() needs the stack back, so mark them in
		 * `adopted` and start the walks in a second loop.  Then one
		 * node of each cycle nothing reached yet, in node order. */
		for (uint32_t v = 0; v < n; v++)
			if (!t->pre[v] && indeg[v] == 0)
				t->adopted[v] = 1;
		for (uint32_t v = 0; v < n; v++)
			if (t->adopted[v] && !t->pre[v]) {
				dfs(&w, v, 1);
				t->nadopted++;
			}
		for (uint32_t v = 0; v < n; v++)
			if (!t->pre[v]) {
				t->adopted[v] = 1;
				dfs(&w, v, 1);
				t->nadopted++;
			}
		t->nunreachable = w.N - from_root;
	}
	uint32_t N = t->N = w.N;
	free(w.stk);
	free(w.cur);
	w.stk = NULL;
	w.cur = NULL;

	/* 2. predecessors by number */
	poff = calloc((size_t)N + 2, sizeof *poff);
	if (!poff)
		goto out;
	for (uint32_t i = 1; i <= N; i++) {
		dom_node_t v = t->vertex[i];
		for (uint64_t e = off[v]; e < off[v + 1]; e++) {
			dom_node_t x = adj[e];
			if (x < n && x != v && t->pre[x])
				poff[t->pre[x] + 1]++;
		}
	}
	for (uint32_t i = 1; i <= N + 1; i++)
		poff[i] += poff[i - 1];
	pred = malloc((poff[N + 1] ? poff[N + 1] : 1) * sizeof *pred);
	uint64_t *fill = malloc(((size_t)N + 2) * sizeof *fill);
	if (!pred || !fill) {
		free(fill);
		goto out;
	}
	memcpy(fill, poff, ((size_t)N + 2) * sizeof *fill);
	for (uint32_t i = 1; i <= N; i++) {
		dom_node_t v = t->vertex[i];
		for (uint64_t e = off[v]; e < off[v + 1]; e++) {
			dom_node_t x = adj[e];
			if (x < n && x != v && t->pre[x])
				pred[fill[t->pre[x]]++] = i;
		}
	}
	free(fill);

	/* 3. semidominators */
	size_t NN = (size_t)N + 1;
	semi = malloc(NN * sizeof *semi);
	label = malloc(NN * sizeof *label);
	ancestor = calloc(NN, sizeof *ancestor);
	bhead = calloc(NN, sizeof *bhead);
	bnext = malloc(NN * sizeof *bnext);
	idom = calloc(NN, sizeof *idom);
	uint32_t *cstk = malloc(NN * sizeof *cstk);
	if (!semi || !label || !ancestor || !bhead || !bnext || !idom || !cstk) {
		free(cstk);
		goto out;
	}
	for (uint32_t i = 0; i <= N; i++)
		semi[i] = label[i] = i;
	for (uint32_t i = N; i >= 2; i--) {
		uint32_t p = w.parent[i];
		if (t->adopted[t->vertex[i]]) {
			/* the virtual edge root -> adopted node: semi is the root */
			semi[i] = 1;
		} else {
			for (uint64_t e = poff[i]; e < poff[i + 1]; e++) {
				uint32_t u = eval(pred[e], ancestor, label, semi, cstk);
				if (semi[u] < semi[i])
					semi[i] = semi[u];
			}
		}
		/* bucket of vertex(semi(i)); bucket lists are 1-based, 0 ends */
		bnext[i] = bhead[semi[i]];
		bhead[semi[i]] = i;
		ancestor[i] = p;       /* LINK(parent, i) */
		for (uint32_t v = bhead[p]; v; v = bnext[v]) {
			uint32_t u = eval(v, ancestor, label, semi, cstk);
			idom[v] = semi[u] < semi[v] ? u : p;
		}
		bhead[p] = 0;
	}
	free(cstk);

	/* 4. explicit idoms */
	for (uint32_t i = 2; i <= N; i++)
		if (idom[i] != semi[i])
			idom[i] = idom[idom[i]];
	idom[1] = 0;
	t->idom = idom;
	idom = NULL;
	rc = 0;
out:
	free(w.parent);
	free(w.stk);
	free(w.cur);
	free(poff);
	free(pred);
	free(semi);
	free(label);
	free(ancestor);
	free(bhead);
	free(bnext);
	free(idom);
	if (rc == 0)
		*out = t;
	else
		dom_free(t);
	return rc;
}

void dom_free(struct dom_tree *t)
{
	if (!t)
		return;
	free(t->pre);
	free(t->vertex);
	free(t->idom);
	free(t->adopted);
	free(t->ret);
	free(t->coff);
	free(t->kids);
	free(t);
}

/* ==== Queries ==== */

uint32_t dom_nnodes(const struct dom_tree *t) { return t->n; }
dom_node_t dom_root(const struct dom_tree *t) { return t->root; }
uint32_t dom_nreached(const struct dom_tree *t) { return t->N; }
uint32_t dom_nadopted(const struct dom_tree *t) { return t->nadopted; }
uint32_t dom_nunreachable(const struct dom_tree *t) { return t->nunreachable; }

int dom_reached(const struct dom_tree *t, dom_node_t v)
{
	return v < t->n && t->pre[v] != 0;
}

int dom_adopted(const struct dom_tree *t, dom_node_t v)
{
	return v < t->n && t->adopted[v];
}

dom_node_t dom_idom(const struct dom_tree *t, dom_node_t v)
{
	if (v >= t->n || !t->pre[v])
		return DOM_NONE;
	uint32_t d = t->idom[t->pre[v]];
	return d ? t->vertex[d] : DOM_NONE;
}

const dom_node_t *dom_preorder(const struct dom_tree *t, uint32_t *n)
{
	*n = t->N;
	return t->vertex + 1;
}

int dom_dominates(const struct dom_tree *t, dom_node_t a, dom_node_t b)
{
	if (a >= t->n || b >= t->n || !t->pre[a] || !t->pre[b])
		return 0;
	uint32_t na = t->pre[a], x = t->pre[b];
	/* idom numbers strictly decrease going up: stop once below a */
	while (x > na)
		x = t->idom[x];
	return x == na;
}

/* ==== Retained sizes ==== */

struct kid { uint64_t ret; uint32_t num; };

static int cmp_kid(const void *a, const void *b)
{
	const struct kid *x = a, *y = b;
	if (x->ret != y->ret)
		return x->ret < y->ret ? 1 : -1;
	return (x->num > y->num) - (x->num < y->num);
}

int dom_set_sizes(struct dom_tree *t, const uint64_t *size)
{
	uint32_t N = t->N;
	free(t->ret);
	free(t->coff);
	free(t->kids);
	t->ret = malloc(((size_t)N + 1) * sizeof *t->ret);
	t->coff = calloc((size_t)N + 2, sizeof *t->coff);
	t->kids = malloc(((size_t)N + 1) * sizeof *t->kids);
	struct kid *tmp = malloc(((size_t)N + 1) * sizeof *tmp);
	if (!t->ret || !t->coff || !t->kids || !tmp) {
		free(tmp);
		free(t->ret);
		free(t->coff);
		free(t->kids);
		t->ret = NULL;
		t->coff = NULL;
		t->kids = NULL;
		return -1;
	}
	t->ret[0] = 0;
	for (uint32_t i = 1; i <= N; i++)
		t->ret[i] = size[t->vertex[i]];
	/* children have larger numbers than their idom: one backward sweep */
	for (uint32_t i = N; i >= 2; i--)
		t->ret[t->idom[i]] += t->ret[i];
	/* children lists: counting sort by parent, then each list by size */
	for (uint32_t i = 2; i <= N; i++)
		t->coff[t->idom[i] + 1]++;
	for (uint32_t i = 1; i <= N + 1; i++)
		t->coff[i] += t->coff[i - 1];
	uint32_t *fill = malloc(((size_t)N + 1) * sizeof *fill);
	if (!fill) {
		free(tmp);
		return -1;
	}
	memcpy(fill, t->coff, ((size_t)N + 1) * sizeof *fill);
	for (uint32_t i = 2; i <= N; i++) {
		uint32_t p = t->idom[i];
		tmp[fill[p]++] = (struct kid){t->ret[i], i};
	}
	free(fill);
	for (uint32_t p = 1; p <= N; p++) {
		uint32_t a = t->coff[p], b = t->coff[p + 1];
		if (b - a > 1)
			qsort(tmp + a, b - a, sizeof *tmp, cmp_kid);
		for (uint32_t k = a; k < b; k++)
			t->kids[k] = t->vertex[tmp[k].num];
	}
	free(tmp);
	return 0;
}

uint64_t dom_retained(const struct dom_tree *t, dom_node_t v)
{
	if (!t->ret || v >= t->n || !t->pre[v])
		return 0;
	return t->ret[t->pre[v]];
}

const dom_node_t *dom_children(const struct dom_tree *t, dom_node_t v, uint32_t *n)
{
	*n = 0;
	if (!t->coff || v >= t->n || !t->pre[v])
		return NULL;
	uint32_t p = t->pre[v];
	*n = t->coff[p + 1] - t->coff[p];
	return t->kids + t->coff[p];
}
