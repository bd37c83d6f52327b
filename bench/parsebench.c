/* parsebench — time heapscope's census parse and graph build many times on
 * ONE snapshot, so that parse changes can be compared with minimums instead
 * of single noisy runs (the machine the bench runs on is shared).
 *
 *   parsebench PID [CENSUS_REPS [GRAPH_REPS [census]]]     (defaults 15, 5)
 *
 * With "census" the graph builds are graph_build_census (what plain
 * `heapscope types` builds: the universe without the referrer index;
 * graph_sum is then 0).
 *
 * Takes one snapshot (the usual freeze + copy + thaw), then runs
 * heap_open() CENSUS_REPS times and graph_build() GRAPH_REPS times on it
 * and prints one JSON object with the first run's time (what a command
 * pays: fresh memory) and min / median of all runs, plus checksums of
 * what they computed (type table, graph statistics) so that two builds can
 * be shown to compute the same thing:
 *   objects, types, census_sum      the census (sum of count*type addr and
 *                                   of sizes, order-independent)
 *   order_sum                       every object's address, type, size and
 *                                   generation, in census order (a hash)
 *   graph_objects, ref_entries, weak_edges, dangling, graph_sum
 *
 * Build (bench/run.sh does this next to copyfloor):
 *   cc -O2 -Iattach -Imodel bench/parsebench.c build/model/libhsmodel.a \
 *      build/attach/libhsattach.a -lelf -lm
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph.h"
#include "heap.h"
#include "snapshot.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* first: the first run, the one a command pays (fresh memory: page
 * faults); min / med: every run, later ones reuse freed memory */
static void stats(const char *name, double *v, int n, int last)
{
	double first = v[0];
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	printf("\"%s_first\":%.2f,\"%s_min\":%.2f,\"%s_med\":%.2f%s", name, first,
	       name, v[0], name, v[n / 2], last ? "" : ",");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: parsebench PID [CENSUS_REPS [GRAPH_REPS [census]]]\n");
		return 2;
	}
	pid_t pid = (pid_t)atoi(argv[1]);
	int nc = argc > 2 ? atoi(argv[2]) : 15;
	int ng = argc > 3 ? atoi(argv[3]) : 5;
	int census = argc > 4 && !strcmp(argv[4], "census");
	if (nc < 1)
		nc = 1;
	if (ng < 0)
		ng = 0;
	struct live_opts opts = {0};
	struct hs_snapshot *s = NULL;
	struct hs_err err = {0};
	if (snap_take(pid, &opts, &s, &err) != HS_OK) {
		fprintf(stderr, "parsebench: %s\n", err.msg);
		return 1;
	}
	double *tc = calloc((size_t)nc, sizeof *tc), *tg = calloc((size_t)ng + 1, sizeof *tg);
	struct heap *h = NULL;
	uint64_t csum = 0, ssum = 0, nobj = 0;
	size_t ntypes = 0;
	for (int r = 0; r < nc; r++) {
		if (h)
			heap_free(h);
		double t0 = now_ms();
		if (heap_open(s, &h, &err) != HS_OK) {
			fprintf(stderr, "parsebench: heap_open: %s\n", err.msg);
			return 1;
		}
		tc[r] = now_ms() - t0;
	}
	nobj = heap_nobjects(h);
	ntypes = heap_ntypes(h);
	/* order-dependent: the census lists objects in GC-list order */
	uint64_t osum = 1469598103934665603ULL;
	for (uint64_t i = 0; i < nobj; i++) {
		uint64_t v = heap_obj_addr(h, i) ^
			     (heap_type_row(h, heap_obj_type(h, i))->type->addr << 7) ^
			     (heap_obj_size(h, i) << 40) ^ ((uint64_t)heap_obj_gen(h, i) << 62);
		osum = (osum ^ v) * 1099511628211ULL;
	}
	for (size_t i = 0; i < ntypes; i++) {
		const struct heap_type_row *row = heap_type_row(h, i);
		csum += row->count * row->type->addr;
		for (int g = 0; g <= HEAP_NGEN; g++)
			csum += row->gen[g] * (uint64_t)(g + 1) * 7919;
		ssum += row->size;
	}
	struct graph_stats gs = {0};
	uint64_t gsum = 0;
	for (int r = 0; r < ng; r++) {
		struct graph *g = NULL;
		double t0 = now_ms();
		if ((census ? graph_build_census(h, &g, &err) : graph_build(h, &g, &err)) != HS_OK) {
			fprintf(stderr, "parsebench: graph_build: %s\n", err.msg);
			return 1;
		}
		tg[r] = now_ms() - t0;
		gs = *graph_stats(g);
		if (r == 0) {
			uint32_t *off = NULL, *to = NULL;
			if (graph_forward_csr(g, &off, &to) == 0) {
				for (uint32_t o = 0; o < gs.objects; o++) {
					gsum += graph_addr(g, o) * (off[o + 1] - off[o]);
					for (uint32_t k = off[o]; k < off[o + 1]; k++)
						gsum += graph_addr(g, to[k]) ^ (graph_addr(g, o) >> 4);
				}
			}
			free(off);
			free(to);
		}
		graph_free(g);
	}
	printf("{\"pid\":%d,\"pause_ms\":%.2f,\"copied\":%llu,\"objects\":%llu,\"types\":%zu,"
	       "\"census_sum\":\"%016llx%016llx\",\"order_sum\":\"%016llx\",",
	       (int)pid, mem_info(s->mem)->pause_ms,
	       (unsigned long long)mem_info(s->mem)->bytes_copied, (unsigned long long)nobj,
	       ntypes, (unsigned long long)csum, (unsigned long long)ssum,
	       (unsigned long long)osum);
	if (ng)
		printf("\"graph_objects\":%u,\"ref_entries\":%llu,\"weak_edges\":%llu,"
		       "\"dangling\":%llu,\"roots\":%u,\"graph_sum\":\"%016llx\","
		       "\"graph_last_phases_ms\":{\"index\":%.1f,\"syms\":%.1f,\"roots\":%.1f,"
		       "\"walk\":%.1f,\"fill\":%.1f},",
		       gs.objects, (unsigned long long)gs.ref_entries,
		       (unsigned long long)gs.weak_edges, (unsigned long long)gs.dangling,
		       gs.roots, (unsigned long long)gsum, gs.index_ms, gs.syms_ms,
		       gs.roots_ms, gs.walk_ms, gs.fill_ms);
	stats("census_ms", tc, nc, !ng);
	if (ng)
		stats("graph_ms", tg, ng, 1);
	printf("}\n");
	heap_free(h);
	snap_free(s);
	free(tc);
	free(tg);
	return 0;
}
