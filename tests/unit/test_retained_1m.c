/* test_retained_1m — leaks_retained() against a brute force on a real
 * 1,000,000-object CPython heap (the leak-hunting acceptance: retained sizes
 * "match a brute-force computation on a 1M-object heap for sampled
 * objects").
 *
 * Starts `/usr/bin/python3 bench/target.py 1000000 TMP/info.json`, waits
 * for READY, and runs what `heapscope leaks` runs: snap_take, heap_open,
 * graph_build, leaks_build.  Then, without the dominator code:
 *
 * The graph the brute force walks (the same input leaks.h documents, built
 * here on its own from the graph's public API):
 *   - owning edges = graph_forward_csr() (one edge per distinct owning
 *     referrer/referent pair: weakref referents are not in it) minus the
 *     ob_type edges: an edge r -> t where t is the graph object of r's own
 *     type (graph_find(graph_type(r)->addr)) — an instance -> its class, a
 *     class -> its metaclass — whatever field the edge came from;
 *   - a virtual root whose successors are graph_root_objects() (every root
 *     object, and what the roots that are no objects hold: 3.11+ frame
 *     locals, thread exceptions…);
 *   - plus, exactly as DOM_ADOPT_UNREACHABLE does (dominator.h), an edge
 *     from the virtual root to each "adopted" object: after a walk from the
 *     root, first every unreached object with no predecessor (self loops
 *     not counted) is adopted and what it reaches is marked; then, in
 *     object order, each object still unmarked is adopted and what it
 *     reaches is marked.  So objects no root reaches (garbage cycles,
 *     objects only C holds) are retained by their region's entry points,
 *     and the virtual root reaches every object.
 * The brute force: retained(x) = (shallow sizes of everything the virtual
 * root reaches) - (shallow sizes of everything it reaches when x is
 * removed; x itself counts as removed), shallow = graph_size().  One BFS
 * per sample.  The set of objects lost when x is removed must also be
 * exactly x's subtree in leaks' dominator tree (leaks_children).
 *
 * Cross-checks of the input (so a mismatch says whether the edges or the
 * algorithm differ): the successors leaks ran on (leaks_succ) equal the
 * owning edges above node by node, the virtual root's equal the root
 * objects, and the unreachable/adopted flags and counts agree with leaks.
 *
 * Invariants over all objects (cheap): retained(x) >= graph_size(x);
 * retained(idom(x)) >= retained(x); retained(v) = shallow(v) + the
 * retained sizes of v's children (top included, = the total); the tree
 * from leaks_top() spans every object exactly once; and for every edge
 * u -> v above, idom(v) is u or an ancestor of u in the tree (the parent
 * property of Georgiadis & Tarjan's dominator-tree certificate: it fails
 * whenever the tree claims a dominator that some path avoids, i.e. a
 * retained size too big, anywhere in the heap).
 *
 * Samples (deterministic): the largest retainers (leaks_top_objects), a
 * Record instance with its tuple, attrs dict, tags list, name str and blob
 * bytes, a __slots__ Point, a Node of an a<->b cycle and its peer, the
 * class Record, the shared instance (1000 referrers), the end of the
 * eight-hop chain and a link of it, sys.modules, the most referenced str,
 * an untracked object from the middle of the index, and unreachable
 * objects (an adopted entry point and an object inside such a region) when
 * the heap has any.
 *
 * Environment: HEAPSCOPE_RETAINED_N (objects, default 1000000),
 * HEAPSCOPE_RETAINED_PYTHON (default /usr/bin/python3),
 * HEAPSCOPE_RETAINED_TARGET (default HS_SOURCE_DIR/bench/target.py; also
 * argv[1]).  Needs ptrace over its own child (root or Yama <= 1).
 * The reader may be an ASan/UBSan build; the target is python.
 *
 * Exit 0 = pass, 1 = a check failed, 77 = skip (no python3, no ptrace).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "graph.h"
#include "heap.h"
#include "leaks.h"
#include "snapshot.h"

#ifndef HS_SOURCE_DIR
#define HS_SOURCE_DIR "."
#endif

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ==== The target ==== */

static volatile pid_t g_child = -1;
static char g_tmpdir[64];
static char g_info[128];

/* Async-signal-safe: kill and reap the target, remove the temporary files. */
static void stop_child(void)
{
	pid_t p = g_child;
	if (p > 0) {
		g_child = -1;
		kill(p, SIGKILL);
		waitpid(p, NULL, 0);
	}
	if (g_tmpdir[0]) {
		char tmp[160];
		unlink(g_info);
		memcpy(tmp, g_info, strlen(g_info));
		memcpy(tmp + strlen(g_info), ".tmp", 5);
		unlink(tmp);
		rmdir(g_tmpdir);
		g_tmpdir[0] = 0;
	}
}

static void on_signal(int sig)
{
	stop_child();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Present only in sanitizer builds: run on a sanitizer's fatal report. */
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

/* Start `python target.py n info.json`; 0 once it printed READY. */
static int start_target(const char *python, const char *script, unsigned long n)
{
	int out[2];
	char nbuf[32];
	snprintf(nbuf, sizeof nbuf, "%lu", n);
	if (pipe(out))
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		execl(python, python, script, nbuf, g_info, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	g_child = pid;
	char buf[256];
	size_t len = 0;
	double t0 = now_ms();
	int rc = -1;
	while (now_ms() - t0 < 180000) {
		struct pollfd p = {.fd = out[0], .events = POLLIN};
		int pr = poll(&p, 1, 1000);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			break;
		if (pr == 0)
			continue;
		ssize_t r = read(out[0], buf + len, sizeof buf - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = 0;
		if (strstr(buf, "READY\n")) {
			rc = 0;
			break;
		}
		if (len >= sizeof buf - 1)
			break;
	}
	close(out[0]);
	return rc;
}

/* A number field of the target's info.json ("shared": 1234), 0 if absent. */
static uint64_t info_u64(const char *json, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char *p = strstr(json, pat);
	return p ? strtoull(p + strlen(pat), NULL, 10) : 0;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = calloc(1, 65536);
	if (buf && fread(buf, 1, 65535, f) == 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* ==== The brute force ==== */

struct bf {
	uint32_t n;
	uint32_t *off, *to;      /* owning edges: forward CSR minus ob_type */
	uint32_t *entry;         /* virtual root successors: roots + adopted */
	size_t nentry, nroot_entries;
	uint64_t *size;          /* graph_size per object */
	uint64_t total;          /* sum over what the virtual root reaches */
	uint32_t *mark, epoch;   /* mark[v] == epoch: reached in the current walk */
	uint32_t *queue;
	uint8_t *reach0;         /* reached from the roots alone */
	uint8_t *adopted;
	uint64_t type_edges;
};

/* Mark (with the current epoch) what `start` reaches, skipping `removed`
 * (GRAPH_NONE: nothing removed).  Returns the number of newly marked
 * objects; adds their sizes to *bytes. */
static size_t bf_walk(struct bf *b, const uint32_t *start, size_t nstart,
		      uint32_t removed, uint64_t *bytes)
{
	size_t qh = 0, qt = 0;
	uint64_t sum = 0;
	for (size_t i = 0; i < nstart; i++) {
		uint32_t v = start[i];
		if (v == removed || b->mark[v] == b->epoch)
			continue;
		b->mark[v] = b->epoch;
		b->queue[qt++] = v;
	}
	while (qh < qt) {
		uint32_t v = b->queue[qh++];
		sum += b->size[v];
		for (uint32_t e = b->off[v]; e < b->off[v + 1]; e++) {
			uint32_t w = b->to[e];
			if (w != removed && b->mark[w] != b->epoch) {
				b->mark[w] = b->epoch;
				b->queue[qt++] = w;
			}
		}
	}
	if (bytes)
		*bytes += sum;
	return qt;
}

static int bf_prepare(struct bf *b, struct graph *g)
{
	uint32_t n = b->n = graph_nobjects(g);
	if (graph_forward_csr(g, &b->off, &b->to) != 0)
		return -1;
	/* ob_type edges out, in place (the write cursor never passes the
	 * read cursor; off[v + 1] is read before it is rewritten) */
	uint32_t w = 0;
	for (uint32_t v = 0; v < n; v++) {
		uint32_t start = b->off[v], end = b->off[v + 1];
		const struct pytype *t = graph_type(g, v);
		graph_obj_t tobj = t ? graph_find(g, t->addr) : GRAPH_NONE;
		b->off[v] = w;
		for (uint32_t e = start; e < end; e++) {
			if (b->to[e] == tobj && tobj != GRAPH_NONE) {
				b->type_edges++;
				continue;
			}
			b->to[w++] = b->to[e];
		}
	}
	b->off[n] = w;

	b->size = malloc(((size_t)n + 1) * sizeof *b->size);
	b->mark = calloc((size_t)n + 1, sizeof *b->mark);
	b->queue = malloc(((size_t)n + 1) * sizeof *b->queue);
	b->reach0 = calloc((size_t)n + 1, 1);
	b->adopted = calloc((size_t)n + 1, 1);
	graph_obj_t *ro = NULL;
	size_t nro = graph_root_objects(g, &ro);
	/* roots (repeats possible) + adopted objects (unreached, so distinct
	 * from the roots) */
	b->entry = malloc(((size_t)n + nro + 1) * sizeof *b->entry);
	uint32_t *indeg = calloc((size_t)n + 1, sizeof *indeg);
	if (!b->size || !b->mark || !b->queue || !b->reach0 || !b->adopted ||
	    !b->entry || !indeg || !ro) {
		free(indeg);
		free(ro);
		return -1;
	}
	for (uint32_t v = 0; v < n; v++)
		b->size[v] = graph_size(g, v);
	for (size_t i = 0; i < nro; i++)
		if (ro[i] < n)   /* repeats are harmless */
			b->entry[b->nentry++] = ro[i];
	b->nroot_entries = b->nentry;
	free(ro);

	/* 1. from the roots */
	b->epoch = 1;
	bf_walk(b, b->entry, b->nentry, GRAPH_NONE, NULL);
	for (uint32_t v = 0; v < n; v++)
		b->reach0[v] = b->mark[v] == b->epoch;
	/* 2. adopt, as DOM_ADOPT_UNREACHABLE does: entry points (no
	 * predecessor but themselves), then one object per region still
	 * unmarked, in object order */
	for (uint32_t v = 0; v < n; v++)
		for (uint32_t e = b->off[v]; e < b->off[v + 1]; e++)
			if (b->to[e] != v)
				indeg[b->to[e]]++;
	size_t first = b->nentry;
	for (uint32_t v = 0; v < n; v++)
		if (!b->reach0[v] && indeg[v] == 0) {
			b->adopted[v] = 1;
			b->entry[b->nentry++] = v;
		}
	bf_walk(b, b->entry + first, b->nentry - first, GRAPH_NONE, NULL);
	for (uint32_t v = 0; v < n; v++)
		if (b->mark[v] != b->epoch) {
			b->adopted[v] = 1;
			b->entry[b->nentry++] = v;
			bf_walk(b, &v, 1, GRAPH_NONE, NULL);
		}
	free(indeg);

	/* 3. the total: everything, now that the virtual root reaches all */
	b->epoch++;
	size_t cnt = bf_walk(b, b->entry, b->nentry, GRAPH_NONE, &b->total);
	if (cnt != n) {
		fprintf(stderr, "FAIL: the virtual root reaches %zu of %u objects\n", cnt, n);
		failures++;
	}
	return 0;
}

static void bf_free(struct bf *b)
{
	free(b->off);
	free(b->to);
	free(b->entry);
	free(b->size);
	free(b->mark);
	free(b->queue);
	free(b->reach0);
	free(b->adopted);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Sort and deduplicate; returns the new length. */
static size_t sort_uniq(uint32_t *a, size_t n)
{
	if (n < 2)
		return n;
	qsort(a, n, sizeof *a, cmp_u32);
	size_t k = 1;
	for (size_t i = 1; i < n; i++)
		if (a[i] != a[k - 1])
			a[k++] = a[i];
	return k;
}

/* Do the two lists hold the same set? */
static int same_set(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	if (na == nb && (na == 0 || memcmp(a, b, na * sizeof *a) == 0))
		return 1;   /* the usual case: both ascending, distinct */
	uint32_t *x = malloc((na + 1) * sizeof *x), *y = malloc((nb + 1) * sizeof *y);
	if (!x || !y) {
		free(x);
		free(y);
		return 0;
	}
	if (na)
		memcpy(x, a, na * sizeof *x);
	if (nb)
		memcpy(y, b, nb * sizeof *y);
	na = sort_uniq(x, na);
	nb = sort_uniq(y, nb);
	int same = na == nb && (na == 0 || memcmp(x, y, na * sizeof *x) == 0);
	free(x);
	free(y);
	return same;
}

/* leaks' input, its flags and counts against ours. */
static void check_input(struct bf *b, struct leaks *L)
{
	const struct leaks_stats *st = leaks_stats(L);
	uint32_t n = b->n;
	size_t bad = 0, badr = 0, bada = 0;
	uint64_t nunreach = 0, nadopt = 0, unreach_bytes = 0;
	for (uint32_t v = 0; v < n; v++) {
		const uint32_t *s;
		size_t k = leaks_succ(L, v, &s);
		if (!same_set(s, k, b->to + b->off[v], b->off[v + 1] - b->off[v]) && bad++ < 5)
			fprintf(stderr, "FAIL: object %u: leaks has %zu successors, the "
				"owning edges %u\n", v, k, b->off[v + 1] - b->off[v]);
		if (!b->reach0[v]) {
			nunreach++;
			unreach_bytes += b->size[v];
		}
		nadopt += b->adopted[v];
		if (leaks_unreachable(L, v) != !b->reach0[v] && badr++ < 5)
			fprintf(stderr, "FAIL: object %u: leaks_unreachable %d, brute force %d\n",
				v, leaks_unreachable(L, v), !b->reach0[v]);
		if (!!leaks_adopted(L, v) != b->adopted[v] && bada++ < 5)
			fprintf(stderr, "FAIL: object %u: leaks_adopted %d, brute force %d\n",
				v, leaks_adopted(L, v), b->adopted[v]);
	}
	CHECK(bad == 0, "%zu objects whose successors differ from the owning edges", bad);
	CHECK(badr == 0, "%zu objects with a different unreachable flag", badr);
	CHECK(bada == 0, "%zu objects with a different adopted flag", bada);
	const uint32_t *s;
	size_t k = leaks_succ(L, leaks_top(L), &s);
	CHECK(same_set(s, k, b->entry, b->nroot_entries),
	      "the virtual root's successors (%zu) are not the root objects (%zu)",
	      k, b->nroot_entries);
	CHECK(st->edges == (uint64_t)b->off[n] + b->nroot_entries,
	      "leaks ran on %" PRIu64 " edges, the brute force has %u + %zu",
	      st->edges, b->off[n], b->nroot_entries);
	CHECK(st->type_edges == b->type_edges, "ob_type edges: leaks %" PRIu64
	      ", brute force %" PRIu64, st->type_edges, b->type_edges);
	CHECK(st->unreachable == nunreach, "unreachable: leaks %u, brute force %" PRIu64,
	      st->unreachable, nunreach);
	CHECK(st->unreachable_bytes == unreach_bytes, "unreachable bytes: leaks %" PRIu64
	      ", brute force %" PRIu64, st->unreachable_bytes, unreach_bytes);
	CHECK(st->adopted == nadopt, "adopted: leaks %u, brute force %" PRIu64,
	      st->adopted, nadopt);
	CHECK(st->total == b->total, "total: leaks %" PRIu64 ", brute force %" PRIu64,
	      st->total, b->total);
	CHECK(leaks_node_retained(L, leaks_top(L)) == b->total,
	      "retained(all roots) %" PRIu64 " != total %" PRIu64,
	      leaks_node_retained(L, leaks_top(L)), b->total);
	printf("input: %u objects, %u owning edges (+%zu from the roots, %zu adopted), "
	       "%" PRIu64 " ob_type edges left out, %" PRIu64 " unreachable "
	       "(%" PRIu64 " B), total %" PRIu64 " B\n", n, b->off[n], b->nroot_entries,
	       b->nentry - b->nroot_entries, b->type_edges, nunreach, unreach_bytes,
	       b->total);
}

/* Cheap invariants over every object. */
static void check_invariants(struct bf *b, struct leaks *L)
{
	uint32_t n = b->n;
	leaks_node_t top = leaks_top(L);
	uint64_t *acc = calloc((size_t)n + 1, sizeof *acc);
	uint32_t *sub = malloc(((size_t)n + 1) * sizeof *sub);   /* subtree sizes */
	uint32_t *pre = malloc(((size_t)n + 1) * sizeof *pre);
	uint32_t *order = malloc(((size_t)n + 1) * sizeof *order);
	uint32_t *stk = malloc(((size_t)n + 2) * sizeof *stk);
	if (!acc || !sub || !pre || !order || !stk || top != n) {
		CHECK(0, "out of memory, or leaks_top %u != %u", top, n);
		goto out;
	}
	size_t bad_shallow = 0, bad_self = 0, bad_idom = 0, bad_parent = 0, bad_sum = 0;
	for (uint32_t v = 0; v < n; v++) {
		uint64_t r = leaks_retained(L, v);
		if (leaks_node_shallow(L, v) != b->size[v] && bad_shallow++ < 5)
			fprintf(stderr, "FAIL: object %u: shallow %" PRIu64 " != graph_size %"
				PRIu64 "\n", v, leaks_node_shallow(L, v), b->size[v]);
		if (r < b->size[v] && bad_self++ < 5)
			fprintf(stderr, "FAIL: object %u: retained %" PRIu64 " < its size %"
				PRIu64 "\n", v, r, b->size[v]);
		graph_obj_t d = leaks_idom_obj(L, v);
		leaks_node_t p = leaks_parent(L, v);
		if (p != (d == GRAPH_NONE ? top : d) && bad_parent++ < 5)
			fprintf(stderr, "FAIL: object %u: parent %u, idom object %u\n", v, p, d);
		if (d != GRAPH_NONE && leaks_retained(L, d) < r && bad_idom++ < 5)
			fprintf(stderr, "FAIL: object %u: retained %" PRIu64 " > retained of "
				"its idom %u (%" PRIu64 ")\n", v, r, d, leaks_retained(L, d));
		if (p <= n)
			acc[p] += r;
	}
	for (uint32_t v = 0; v <= n; v++) {
		uint64_t want = leaks_node_shallow(L, v) + acc[v];
		if (leaks_node_retained(L, v) != want && bad_sum++ < 5)
			fprintf(stderr, "FAIL: node %u: retained %" PRIu64 " != shallow + "
				"children %" PRIu64 "\n", v, leaks_node_retained(L, v), want);
	}
	CHECK(bad_shallow == 0, "%zu objects: leaks' shallow size != graph_size", bad_shallow);
	CHECK(bad_self == 0, "%zu objects retain less than their own size", bad_self);
	CHECK(bad_parent == 0, "%zu objects: leaks_parent disagrees with leaks_idom_obj", bad_parent);
	CHECK(bad_idom == 0, "%zu objects retain more than their idom", bad_idom);
	CHECK(bad_sum == 0, "%zu nodes: retained != shallow + children's retained", bad_sum);

	/* The tree from the top: every node exactly once.  The DFS numbers
	 * nodes in preorder (a subtree is a contiguous range: everything
	 * pushed above v is popped before what lies below it). */
	size_t sp = 0, visited = 0, dup = 0;
	for (uint32_t v = 0; v <= n; v++)
		pre[v] = UINT32_MAX;
	stk[sp++] = top;
	pre[top] = 0;
	while (sp) {
		leaks_node_t v = stk[--sp];
		pre[v] = (uint32_t)visited;
		order[visited++] = v;
		const leaks_node_t *kids;
		size_t k = leaks_children(L, v, &kids);
		for (size_t i = 0; i < k; i++) {
			if (kids[i] > n || pre[kids[i]] != UINT32_MAX) {
				dup++;
				continue;
			}
			pre[kids[i]] = 0;   /* pushed */
			stk[sp++] = kids[i];
		}
	}
	CHECK(visited == (size_t)n + 1 && dup == 0,
	      "the dominator tree spans %zu of %u nodes (%zu repeated or invalid)",
	      visited, n + 1, dup);
	if (visited != (size_t)n + 1 || dup)
		goto out;

	/* The parent property (Georgiadis & Tarjan's certificate, first
	 * half): for every edge u -> v of the graph the tree was computed on,
	 * idom(v) is u or an ancestor of u — a dominator dominates every
	 * predecessor.  O(edges), so it covers every object: a tree that
	 * claims a dominator some path avoids (a retained size too big) fails
	 * it.  (Retained sizes too small need the brute force below.) */
	for (uint32_t v = 0; v <= n; v++)
		sub[v] = 1;
	for (size_t i = visited; i-- > 1;) {
		leaks_node_t v = order[i], p = leaks_parent(L, v);
		if (p <= n)
			sub[p] += sub[v];
	}
#define ANC(a, x) (pre[x] >= pre[a] && pre[x] - pre[a] < sub[a])
	size_t bad_edge = 0;
	for (uint32_t u = 0; u <= n; u++) {
		const uint32_t *to = u == n ? b->entry : b->to + b->off[u];
		size_t k = u == n ? b->nentry : b->off[u + 1] - b->off[u];
		for (size_t i = 0; i < k; i++) {
			leaks_node_t p = leaks_parent(L, to[i]);
			if ((p > n || !ANC(p, u)) && bad_edge++ < 5)
				fprintf(stderr, "FAIL: edge %u -> %u: idom %u of the target is "
					"not above the source in the tree\n", u, to[i], p);
		}
	}
#undef ANC
	CHECK(bad_edge == 0, "%zu edges violate the parent property", bad_edge);
out:
	free(acc);
	free(sub);
	free(pre);
	free(order);
	free(stk);
}

/* ==== Samples ==== */

#define MAX_SAMPLES 32

struct sample {
	const char *why;
	graph_obj_t o;
};

static struct sample g_samples[MAX_SAMPLES];
static size_t g_nsamples;

static void add_sample(const char *why, graph_obj_t o)
{
	if (o == GRAPH_NONE || g_nsamples == MAX_SAMPLES)
		return;
	for (size_t i = 0; i < g_nsamples; i++)
		if (g_samples[i].o == o)
			return;
	g_samples[g_nsamples++] = (struct sample){why, o};
}

static int type_is(struct graph *g, graph_obj_t o, const char *qualname)
{
	const struct pytype *t = o == GRAPH_NONE ? NULL : graph_type(g, o);
	return t && t->qualname && strcmp(t->qualname, qualname) == 0;
}

/* The first owning successor of o (brute-force edges) of type qualname. */
static graph_obj_t succ_of_type(struct bf *b, struct graph *g, graph_obj_t o,
				const char *qualname)
{
	if (o == GRAPH_NONE)
		return GRAPH_NONE;
	for (uint32_t e = b->off[o]; e < b->off[o + 1]; e++)
		if (b->to[e] != o && type_is(g, b->to[e], qualname))
			return b->to[e];
	return GRAPH_NONE;
}

/* The middle instance of a type, GRAPH_NONE if none. */
static graph_obj_t middle_of(struct graph *g, const char *type)
{
	graph_obj_t *objs = NULL;
	size_t k = graph_objects_of_type(g, type, &objs);
	graph_obj_t o = k ? objs[k / 2] : GRAPH_NONE;
	free(objs);
	return o;
}

static void pick_samples(struct bf *b, struct heap *h, struct graph *g,
			 struct leaks *L, const char *info)
{
	graph_obj_t *top = NULL;
	size_t ntop = leaks_top_objects(L, 64, &top);
	if (ntop > 0)
		add_sample("largest retainer", top[0]);
	if (ntop > 1)
		add_sample("2nd largest retainer", top[1]);
	if (ntop > 2)
		add_sample("3rd largest retainer", top[2]);
	if (ntop > 20)
		add_sample("20th largest retainer", top[19]);
	free(top);

	graph_obj_t rec = middle_of(g, "Record");
	add_sample("Record instance", rec);
	graph_obj_t unit = rec == GRAPH_NONE ? GRAPH_NONE : leaks_idom_obj(L, rec);
	if (type_is(g, unit, "tuple"))
		add_sample("unit tuple (r, p, a)", unit);
	add_sample("Record attrs dict", succ_of_type(b, g, rec, "dict"));
	add_sample("Record tags list", succ_of_type(b, g, rec, "list"));
	add_sample("Record name str", succ_of_type(b, g, rec, "str"));
	add_sample("Record blob bytes", succ_of_type(b, g, rec, "bytes"));
	const struct pytype *rt = rec == GRAPH_NONE ? NULL : graph_type(g, rec);
	if (rt)
		add_sample("class Record", graph_find(g, rt->addr));
	add_sample("Point (__slots__)", middle_of(g, "Point"));
	graph_obj_t node = middle_of(g, "Node");
	add_sample("Node in an a<->b cycle", node);
	add_sample("its peer Node", succ_of_type(b, g, node, "Node"));
	add_sample("SHARED (1000 referrers)", graph_find(g, info_u64(info, "shared")));

	graph_obj_t leaf = graph_find(g, info_u64(info, "deep"));
	add_sample("end of the 8-hop chain", leaf);
	graph_obj_t up = leaf;
	for (int i = 0; i < 4 && up != GRAPH_NONE; i++)
		up = leaks_idom_obj(L, up);
	add_sample("4 dominators above it", up);

	const struct graph_root *roots;
	size_t nroots = graph_roots(g, &roots);
	for (size_t i = 0; i < nroots; i++)
		if (roots[i].kind == ROOT_MODULES) {
			add_sample("sys.modules (a root)", roots[i].obj);
			break;
		}

	/* the str with the most referrers (an interned name) */
	graph_obj_t best = GRAPH_NONE;
	size_t bestn = 0;
	for (uint32_t o = 0; o < b->n; o++) {
		size_t k;
		graph_referrer_objs(g, o, &k);
		if (k > bestn && type_is(g, o, "str")) {
			best = o;
			bestn = k;
		}
	}
	add_sample("most referenced str", best);

	uint32_t ntracked = (uint32_t)heap_nobjects(h);
	if (ntracked < b->n)
		add_sample("untracked object, mid-index", ntracked + (b->n - ntracked) / 2);
	add_sample("tracked object, index n/3", ntracked / 3);

	/* unreachable objects: the adopted one retaining the most, and the
	 * not-adopted unreachable one retaining the most */
	graph_obj_t ua = GRAPH_NONE, ui = GRAPH_NONE;
	for (uint32_t o = 0; o < b->n; o++) {
		if (b->reach0[o])
			continue;
		if (b->adopted[o]) {
			if (ua == GRAPH_NONE || leaks_retained(L, o) > leaks_retained(L, ua))
				ua = o;
		} else if (ui == GRAPH_NONE || leaks_retained(L, o) > leaks_retained(L, ui)) {
			ui = o;
		}
	}
	add_sample("unreachable, adopted entry", ua);
	add_sample("unreachable, inside a region", ui);
}

/* The brute force for one sample, and its dominated set against the tree. */
static void check_sample(struct bf *b, struct graph *g, struct leaks *L,
			 const struct sample *s, uint32_t *stk, double *bfs_ms)
{
	graph_obj_t x = s->o;
	double t0 = now_ms();
	b->epoch++;
	uint64_t reached = 0;
	size_t cnt = bf_walk(b, b->entry, b->nentry, x, &reached);
	double t1 = now_ms();
	*bfs_ms += t1 - t0;
	uint64_t brute = b->total - reached;
	size_t lost = b->n - cnt;
	uint64_t ret = leaks_retained(L, x);

	/* x's dominator subtree must be exactly what the walk lost */
	size_t sub = 0, stray = 0, sp = 0;
	stk[sp++] = x;
	while (sp) {
		leaks_node_t v = stk[--sp];
		sub++;
		if (v >= b->n || b->mark[v] == b->epoch)
			stray++;
		const leaks_node_t *kids;
		size_t k = leaks_children(L, v, &kids);
		for (size_t i = 0; i < k && sp < b->n; i++)
			stk[sp++] = kids[i];
	}

	char tn[64], val[48];
	graph_type_name(g, x, tn, sizeof tn);
	graph_value(g, x, val, sizeof val);
	for (char *c = val; *c; c++)
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = ' ';
	printf("  %-30s %9u %-22.22s %12" PRIu64 " %12" PRIu64 " %9zu %6.0f  %s%s%s\n",
	       s->why, x, tn, ret, brute, lost, t1 - t0, val,
	       b->reach0[x] ? "" : leaks_is_garbage(L, x) ? "  [unreachable: cyclic garbage]"
	       : "  [unreachable: held from C]", ret == brute ? "" : "  <-- MISMATCH");
	CHECK(ret == brute, "%s (object %u, %s): leaks_retained %" PRIu64
	      " != brute force %" PRIu64, s->why, x, tn, ret, brute);
	CHECK(sub == lost && stray == 0, "%s (object %u): the dominator subtree has %zu "
	      "objects (%zu still reachable without it), removing it loses %zu",
	      s->why, x, sub, stray, lost);
}

int main(int argc, char **argv)
{
	const char *python = getenv("HEAPSCOPE_RETAINED_PYTHON");
	if (!python || !*python)
		python = "/usr/bin/python3";
	const char *script = argc > 1 ? argv[1] : getenv("HEAPSCOPE_RETAINED_TARGET");
	if (!script || !*script)
		script = HS_SOURCE_DIR "/bench/target.py";
	const char *ns = getenv("HEAPSCOPE_RETAINED_N");
	unsigned long nreq = ns && *ns ? strtoul(ns, NULL, 0) : 1000000;
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (access(python, X_OK) != 0) {
		printf("SKIP: no %s\n", python);
		return 77;
	}
	if (access(script, R_OK) != 0) {
		fprintf(stderr, "FAIL: no target script %s (HS_SOURCE_DIR or argv[1])\n", script);
		return 1;
	}
	snprintf(g_tmpdir, sizeof g_tmpdir, "/tmp/hs-retained-XXXXXX");
	if (!mkdtemp(g_tmpdir)) {
		g_tmpdir[0] = 0;
		perror("mkdtemp");
		return 1;
	}
	snprintf(g_info, sizeof g_info, "%s/info.json", g_tmpdir);
	/* the target dies with us: atexit, signals (meson's timeout sends
	 * SIGTERM), sanitizer reports, and PR_SET_PDEATHSIG for the rest */
	atexit(stop_child);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(stop_child);

	double t0 = now_ms();
	if (start_target(python, script, nreq) != 0) {
		fprintf(stderr, "FAIL: %s %s did not print READY\n", python, script);
		return 1;
	}
	double t_target = now_ms() - t0;
	char *info = read_file(g_info);
	if (!info) {
		fprintf(stderr, "FAIL: no %s\n", g_info);
		return 1;
	}

	struct hs_snapshot *s = NULL;
	struct heap *h = NULL;
	struct hs_err err = {0};
	enum hs_status st = HS_OK;
	double t1 = now_ms();
	/* a snapshot can catch a collection in progress: try again */
	for (int attempt = 0; attempt < 5; attempt++) {
		struct live_opts lo = {0};
		if ((st = snap_take(g_child, &lo, &s, &err)) != HS_OK)
			break;
		if ((st = heap_open(s, &h, &err)) == HS_OK)
			break;
		snap_free(s);
		s = NULL;
		usleep(50000);
	}
	if (st == HS_ERR_PERMISSION || st == HS_ERR_UNSUPPORTED || st == HS_ERR_NOT_PYTHON) {
		printf("SKIP: cannot snapshot %s: %s\n", python, err.msg);
		free(info);
		return 77;
	}
	if (st != HS_OK) {
		fprintf(stderr, "FAIL: snapshot: %s\n", err.msg);
		free(info);
		return 1;
	}
	double t2 = now_ms();
	struct graph *g = NULL;
	struct leaks *L = NULL;
	if ((st = graph_build(h, &g, &err)) != HS_OK) {
		fprintf(stderr, "FAIL: graph_build: %s\n", err.msg);
		return 1;
	}
	double t3 = now_ms();
	if ((st = leaks_build(h, g, &L, &err)) != HS_OK) {
		fprintf(stderr, "FAIL: leaks_build: %s\n", err.msg);
		return 1;
	}
	double t4 = now_ms();
	/* The target stays alive until the end: names and values of static
	 * objects may be read lazily from its read-only mappings. */

	printf("target: python %s, %" PRIu64 " GC-tracked objects (asked %lu), built in "
	       "%.1f s\n", s->rt.version, heap_nobjects(h), nreq, t_target / 1e3);
	printf("snapshot + census %.0f ms, graph %.0f ms (%u objects), leaks %.0f ms\n",
	       t2 - t1, t3 - t2, graph_nobjects(g), t4 - t3);
	CHECK(heap_nobjects(h) >= nreq * 9 / 10, "only %" PRIu64 " tracked objects",
	      heap_nobjects(h));

	struct bf b;
	memset(&b, 0, sizeof b);
	double t5 = now_ms();
	if (bf_prepare(&b, g) != 0) {
		fprintf(stderr, "FAIL: out of memory preparing the brute force\n");
		return 1;
	}
	double t6 = now_ms();
	check_input(&b, L);
	check_invariants(&b, L);
	double t7 = now_ms();
	printf("brute-force input %.0f ms, input cross-check + invariants %.0f ms\n",
	       t6 - t5, t7 - t6);

	pick_samples(&b, h, g, L, info);
	CHECK(g_nsamples >= 12, "only %zu samples found", g_nsamples);
	uint32_t *stk = malloc(((size_t)b.n + 1) * sizeof *stk);
	if (!stk) {
		fprintf(stderr, "FAIL: out of memory\n");
		return 1;
	}
	printf("  %-30s %9s %-22s %12s %12s %9s %6s  %s\n", "sample", "object", "type",
	       "retained", "brute force", "dominated", "bfs ms", "value");
	double bfs_ms = 0, t8 = now_ms();
	for (size_t i = 0; i < g_nsamples; i++)
		check_sample(&b, g, L, &g_samples[i], stk, &bfs_ms);
	double t9 = now_ms();
	printf("%zu samples: %.0f ms (BFS %.0f ms, %.0f ms each); whole test %.1f s\n",
	       g_nsamples, t9 - t8, bfs_ms, g_nsamples ? bfs_ms / g_nsamples : 0,
	       (t9 - t0) / 1e3);

	stop_child();
	free(stk);
	bf_free(&b);
	free(info);
	leaks_free(L);
	graph_free(g);
	heap_free(h);
	snap_free(s);
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
