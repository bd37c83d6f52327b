/* test_dominator — model/dominator.c on synthetic graphs.
 *
 *   1. textbook graphs with published immediate dominators (Lengauer &
 *      Tarjan 1979 fig. 1; Cooper, Harvey & Kennedy 2001 fig. 2 and 4;
 *      a diamond; a self loop);
 *   2. random graphs of 1..300 nodes at several densities, with duplicate
 *      edges, self loops and unreachable parts, against a brute force:
 *      d dominates v  <=>  v becomes unreachable when d is removed, and
 *      retained(d) = size of d + sizes of everything that becomes
 *      unreachable; checked for every (d, v) pair, with and without
 *      DOM_ADOPT_UNREACHABLE (the brute force then adds the virtual root
 *      edges to the adopted nodes the tree reports);
 *   3. a 1,000,000-node linked list and a 1M-node star (no recursion, no
 *      quadratic step), and a timed 1M-node random "heap-like" graph.
 * Exit 0 = pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dominator.h"

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		if (failures > 20) exit(1); \
	} \
} while (0)

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ==== A small adjacency-list graph ==== */

struct g {
	uint32_t n;
	uint32_t **succ;
	uint32_t *nsucc, *capsucc;
};

static struct g *g_new(uint32_t n)
{
	struct g *g = calloc(1, sizeof *g);
	g->n = n;
	g->succ = calloc(n, sizeof *g->succ);
	g->nsucc = calloc(n, sizeof *g->nsucc);
	g->capsucc = calloc(n, sizeof *g->capsucc);
	return g;
}

static void g_edge(struct g *g, uint32_t a, uint32_t b)
{
	if (g->nsucc[a] == g->capsucc[a]) {
		g->capsucc[a] = g->capsucc[a] ? g->capsucc[a] * 2 : 4;
		g->succ[a] = realloc(g->succ[a], g->capsucc[a] * sizeof **g->succ);
	}
	g->succ[a][g->nsucc[a]++] = b;
}

static void g_free(struct g *g)
{
	for (uint32_t i = 0; i < g->n; i++)
		free(g->succ[i]);
	free(g->succ);
	free(g->nsucc);
	free(g->capsucc);
	free(g);
}

static size_t g_succ(void *arg, dom_node_t v, const dom_node_t **out)
{
	struct g *g = arg;
	*out = g->succ[v];
	return g->nsucc[v];
}

/* ==== 1. Textbook graphs ==== */

/* edges as "AB" pairs over node letters; expected idoms "X:Y" */
static void textbook(const char *name, const char *nodes, const char *const *edges,
		     const char *const *idoms)
{
	uint32_t n = (uint32_t)strlen(nodes);
	struct g *g = g_new(n);
	for (size_t i = 0; edges[i]; i++)
		g_edge(g, (uint32_t)(strchr(nodes, edges[i][0]) - nodes),
		       (uint32_t)(strchr(nodes, edges[i][1]) - nodes));
	struct dom_tree *t;
	CHECK(dom_compute(n, 0, g_succ, g, 0, &t) == 0, "%s: dom_compute failed", name);
	CHECK(dom_idom(t, 0) == DOM_NONE, "%s: the root has an idom", name);
	for (size_t i = 0; idoms[i]; i++) {
		uint32_t v = (uint32_t)(strchr(nodes, idoms[i][0]) - nodes);
		uint32_t d = (uint32_t)(strchr(nodes, idoms[i][2]) - nodes);
		dom_node_t got = dom_idom(t, v);
		CHECK(got == d, "%s: idom(%c) = %c, expected %c", name, nodes[v],
		      got == DOM_NONE ? '-' : nodes[got], nodes[d]);
	}
	dom_free(t);
	g_free(g);
}

static void test_textbook(void)
{
	/* Lengauer & Tarjan 1979, figure 1 */
	static const char *const lt_e[] = {"RA", "RB", "RC", "AD", "BA", "BD", "BE", "CF", "CG",
		"DL", "EH", "FI", "GI", "GJ", "HE", "HK", "IK", "JI", "KI", "KR", "LH", NULL};
	static const char *const lt_d[] = {"A:R", "B:R", "C:R", "D:R", "E:R", "F:C", "G:C",
		"H:R", "I:R", "J:G", "K:R", "L:D", NULL};
	textbook("lengauer-tarjan", "RABCDEFGHIJKL", lt_e, lt_d);

	/* Cooper, Harvey & Kennedy 2001, figure 2 (irreducible): 5 is the entry */
	static const char *const c2_e[] = {"54", "53", "41", "32", "12", "21", NULL};
	static const char *const c2_d[] = {"4:5", "3:5", "1:5", "2:5", NULL};
	textbook("chk-fig2", "54321", c2_e, c2_d);

	/* Cooper, Harvey & Kennedy 2001, figure 4 */
	static const char *const c4_e[] = {"65", "64", "51", "42", "43", "12", "21", "32", "23", NULL};
	static const char *const c4_d[] = {"5:6", "4:6", "1:6", "2:6", "3:6", NULL};
	textbook("chk-fig4", "654321", c4_e, c4_d);

	/* a diamond with a tail, and a self loop */
	static const char *const di_e[] = {"ra", "rb", "ac", "bc", "cd", "dd", "de", NULL};
	static const char *const di_d[] = {"a:r", "b:r", "c:r", "d:c", "e:d", NULL};
	textbook("diamond", "rabcde", di_e, di_d);
}

/* ==== 2. Random graphs against brute force ==== */

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Reachable from root in g with node `skip` removed (skip = root: none
 * reachable).  extra: additional root successors (adopted nodes). */
static void reach(const struct g *g, uint32_t root, uint32_t skip, const uint8_t *extra,
		  uint8_t *seen, uint32_t *queue)
{
	memset(seen, 0, g->n);
	if (skip == root)
		return;
	size_t h = 0, tl = 0;
	seen[root] = 1;
	queue[tl++] = root;
	if (extra)
		for (uint32_t v = 0; v < g->n; v++)
			if (extra[v] && v != skip && !seen[v]) {
				seen[v] = 1;
				queue[tl++] = v;
			}
	while (h < tl) {
		uint32_t v = queue[h++];
		for (uint32_t k = 0; k < g->nsucc[v]; k++) {
			uint32_t w = g->succ[v][k];
			if (w != skip && !seen[w]) {
				seen[w] = 1;
				queue[tl++] = w;
			}
		}
	}
}

static void check_random(uint32_t n, double avg_deg, int adopt, int back_to_root)
{
	struct g *g = g_new(n);
	uint64_t nedges = (uint64_t)(n * avg_deg);
	for (uint64_t i = 0; i < nedges; i++) {
		uint32_t a = (uint32_t)(rnd() % n), b = (uint32_t)(rnd() % n);
		if (b == 0 && !back_to_root)
			continue;
		g_edge(g, a, b);
		if (rnd() % 17 == 0)
			g_edge(g, a, b);          /* duplicate */
	}
	uint64_t *size = malloc(n * sizeof *size);
	for (uint32_t v = 0; v < n; v++)
		size[v] = 1 + rnd() % 1000;
	struct dom_tree *t;
	if (dom_compute(n, 0, g_succ, g, adopt ? DOM_ADOPT_UNREACHABLE : 0, &t) != 0) {
		CHECK(0, "dom_compute failed n=%u", n);
		return;
	}
	CHECK(dom_set_sizes(t, size) == 0, "dom_set_sizes failed");
	uint8_t *extra = NULL;
	if (adopt) {
		extra = calloc(n, 1);
		for (uint32_t v = 0; v < n; v++) {
			CHECK(dom_reached(t, v), "adopt: node %u not placed", v);
			extra[v] = (uint8_t)dom_adopted(t, v);
		}
	}
	uint8_t *base = malloc(n), *seen = malloc(n);
	uint32_t *queue = malloc(n * sizeof *queue);
	reach(g, 0, n /* skip nothing */, extra, base, queue);
	uint32_t nreached = 0;
	for (uint32_t v = 0; v < n; v++) {
		nreached += base[v];
		CHECK(base[v] == dom_reached(t, v), "n=%u: reached(%u) = %d, brute force %d", n, v,
		      dom_reached(t, v), base[v]);
	}
	CHECK(nreached == dom_nreached(t), "n=%u: %u reached, brute force %u", n,
	      dom_nreached(t), nreached);
	/* dominance[d][v] by removal, compared for every pair */
	for (uint32_t d = 0; d < n; d++) {
		if (!base[d])
			continue;
		reach(g, 0, d, extra, seen, queue);
		uint64_t retained = 0;
		for (uint32_t v = 0; v < n; v++) {
			int bf = base[v] && (!seen[v]);   /* d itself counts: it is "removed" */
			if (bf)
				retained += size[v];
			CHECK(dom_dominates(t, d, v) == bf, "n=%u deg=%.1f adopt=%d: dominates(%u,%u)=%d, brute force %d",
			      n, avg_deg, adopt, d, v, dom_dominates(t, d, v), bf);
		}
		CHECK(dom_retained(t, d) == retained, "n=%u: retained(%u) = %lu, brute force %lu",
		      n, d, (unsigned long)dom_retained(t, d), (unsigned long)retained);
	}
	/* idom(v) is a strict dominator of v dominated by every other one;
	 * children lists mirror idom and are sorted by retained size */
	uint32_t nkids = 0;
	for (uint32_t v = 0; v < n; v++) {
		if (!base[v] || v == 0)
			continue;
		dom_node_t d = dom_idom(t, v);
		CHECK(d != DOM_NONE && d != v && dom_dominates(t, d, v), "idom(%u) = %u", v, d);
		uint32_t k;
		const dom_node_t *kids = dom_children(t, v, &k);
		nkids += k;
		for (uint32_t i = 0; i < k; i++) {
			CHECK(dom_idom(t, kids[i]) == v, "child %u of %u has idom %u", kids[i], v,
			      dom_idom(t, kids[i]));
			if (i)
				CHECK(dom_retained(t, kids[i - 1]) >= dom_retained(t, kids[i]),
				      "children of %u not sorted", v);
		}
	}
	uint32_t k0;
	dom_children(t, 0, &k0);
	CHECK(nkids + k0 + 1 == nreached, "children lists cover %u of %u nodes", nkids + k0 + 1,
	      nreached);
	/* preorder: every node after its idom */
	uint32_t np;
	const dom_node_t *po = dom_preorder(t, &np);
	uint32_t *pos = malloc(n * sizeof *pos);
	for (uint32_t i = 0; i < np; i++)
		pos[po[i]] = i;
	for (uint32_t i = 1; i < np; i++)
		CHECK(pos[dom_idom(t, po[i])] < i, "preorder: %u before its idom", po[i]);
	free(pos);
	free(queue);
	free(seen);
	free(base);
	free(extra);
	free(size);
	dom_free(t);
	g_free(g);
}

static void test_random(void)
{
	static const double degs[] = {0.7, 1.0, 1.5, 2.0, 3.0, 6.0};
	int graphs = 0;
	for (uint32_t n = 1; n <= 300; n += (n < 20 ? 1 : n < 60 ? 7 : 61))
		for (size_t k = 0; k < sizeof degs / sizeof *degs; k++)
			for (int rep = 0; rep < 3; rep++) {
				check_random(n, degs[k], rep == 1, rep != 2);
				graphs++;
			}
	printf("random graphs: %d checked against brute force\n", graphs);
}

/* ==== 3. Big graphs ==== */

struct csrg {
	uint64_t *off;
	dom_node_t *adj;
};

static void test_linked_list(uint32_t n)
{
	/* 0 -> 1 -> 2 -> ... -> n-1, plus back edges i -> i-1 (a doubly
	 * linked list: every node has two predecessors) */
	uint64_t *off = malloc(((size_t)n + 1) * sizeof *off);
	dom_node_t *adj = malloc((size_t)n * 2 * sizeof *adj);
	uint64_t e = 0;
	for (uint32_t v = 0; v < n; v++) {
		off[v] = e;
		if (v + 1 < n)
			adj[e++] = v + 1;
		if (v > 0)
			adj[e++] = v - 1;
	}
	off[n] = e;
	uint64_t *size = malloc(n * sizeof *size);
	for (uint32_t v = 0; v < n; v++)
		size[v] = 2;
	double t0 = now_ms();
	struct dom_tree *t;
	CHECK(dom_compute_csr(n, 0, off, adj, 0, &t) == 0, "list: dom_compute_csr failed");
	CHECK(dom_set_sizes(t, size) == 0, "list: sizes");
	double ms = now_ms() - t0;
	CHECK(dom_idom(t, n - 1) == n - 2, "list: idom(last) = %u", dom_idom(t, n - 1));
	CHECK(dom_retained(t, 0) == 2ULL * n, "list: retained(root) = %lu", (unsigned long)dom_retained(t, 0));
	CHECK(dom_retained(t, n / 2) == 2ULL * (n - n / 2), "list: retained(middle)");
	printf("linked list of %u nodes: %.0f ms\n", n, ms);
	dom_free(t);
	free(size);
	free(off);
	free(adj);
}

static void test_star(uint32_t n)
{
	/* root -> every node, every node -> a shared sink */
	uint64_t *off = malloc(((size_t)n + 1) * sizeof *off);
	dom_node_t *adj = malloc((size_t)n * 2 * sizeof *adj);
	uint64_t e = 0;
	for (uint32_t v = 0; v < n; v++) {
		off[v] = e;
		if (v == 0)
			continue;
		if (v != n - 1)
			adj[e++] = n - 1;
	}
	off[n] = e;
	/* the root's edges go last: rebuild with them first */
	uint64_t *off2 = malloc(((size_t)n + 1) * sizeof *off2);
	dom_node_t *adj2 = malloc(((size_t)n * 2 + n) * sizeof *adj2);
	uint64_t e2 = 0;
	for (uint32_t v = 0; v < n; v++) {
		off2[v] = e2;
		if (v == 0)
			for (uint32_t w = 1; w < n; w++)
				adj2[e2++] = w;
		for (uint64_t k = off[v]; k < off[v + 1]; k++)
			adj2[e2++] = adj[k];
	}
	off2[n] = e2;
	double t0 = now_ms();
	struct dom_tree *t;
	CHECK(dom_compute_csr(n, 0, off2, adj2, 0, &t) == 0, "star: failed");
	double ms = now_ms() - t0;
	CHECK(dom_idom(t, n - 1) == 0, "star: idom(sink) = %u", dom_idom(t, n - 1));
	CHECK(dom_idom(t, n / 2) == 0, "star: idom(leaf)");
	printf("star of %u nodes: %.0f ms\n", n, ms);
	dom_free(t);
	free(off);
	free(adj);
	free(off2);
	free(adj2);
}

/* Roughly heap-shaped: a few roots holding containers holding many small
 * objects, with shared strings and some cycles. */
static void test_heap_like(uint32_t n)
{
	struct g *g = g_new(n);
	for (uint32_t v = 1; v < n; v++) {
		/* a parent among earlier nodes, biased to recent ones (trees) */
		uint32_t p = (uint32_t)(v > 64 && rnd() % 4 ? v - 1 - rnd() % 64 : rnd() % v);
		g_edge(g, p, v);
		if (rnd() % 3 == 0)
			g_edge(g, v, (uint32_t)(rnd() % n));   /* shared or cyclic */
		if (rnd() % 5 == 0)
			g_edge(g, v, (uint32_t)(rnd() % 1000)); /* "interned strings" */
	}
	double t0 = now_ms();
	struct dom_tree *t;
	uint64_t *size = malloc(n * sizeof *size);
	for (uint32_t v = 0; v < n; v++)
		size[v] = 16 + rnd() % 200;
	CHECK(dom_compute(n, 0, g_succ, g, DOM_ADOPT_UNREACHABLE, &t) == 0, "heap-like: failed");
	double t1 = now_ms();
	CHECK(dom_set_sizes(t, size) == 0, "heap-like: sizes");
	double t2 = now_ms();
	uint64_t total = 0;
	for (uint32_t v = 0; v < n; v++)
		total += size[v];
	CHECK(dom_retained(t, 0) == total, "heap-like: root retains %lu of %lu",
	      (unsigned long)dom_retained(t, 0), (unsigned long)total);
	printf("heap-like graph of %u nodes: dominators %.0f ms, retained sizes %.0f ms\n", n,
	       t1 - t0, t2 - t1);
	dom_free(t);
	free(size);
	g_free(g);
}

static void test_errors(void)
{
	struct dom_tree *t = (struct dom_tree *)1;
	struct g *g = g_new(3);
	CHECK(dom_compute(0, 0, g_succ, g, 0, &t) == -1 && t == NULL, "n=0 accepted");
	CHECK(dom_compute(3, 3, g_succ, g, 0, &t) == -1 && t == NULL, "bad root accepted");
	/* edges out of range are ignored */
	g_edge(g, 0, 1);
	g_edge(g, 1, 77);
	CHECK(dom_compute(3, 0, g_succ, g, 0, &t) == 0, "out-of-range edge rejected");
	CHECK(dom_reached(t, 1) && !dom_reached(t, 2), "reach with a bad edge");
	CHECK(dom_idom(t, 2) == DOM_NONE, "unreached node has an idom");
	dom_free(t);
	g_free(g);
}

int main(void)
{
	test_errors();
	test_textbook();
	test_random();
	test_linked_list(1000000);
	test_star(1000000);
	test_heap_like(1000000);
	if (failures) {
		fprintf(stderr, "%d failures\n", failures);
		return 1;
	}
	printf("ok\n");
	return 0;
}
