/* `heapscope memory PID [--json]`: where the RSS goes.
 *
 * The kernel's figures (smaps_rollup before the snapshot, smaps and
 * smaps_rollup after it, pagemap for the arenas and large buffers, each
 * thread's stack pointer) and the snapshot's (every object's size and
 * owned buffer from the graph, pymalloc's arenas and pools) go to
 * model/rss.c, which splits the RSS into parts that add up to it; each
 * line says how its figure was obtained.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "graph.h"
#include "procmem.h"
#include "rss.h"

#define MAX_SPS 4096

static uint64_t resident_cb(void *arg, raddr_t start, raddr_t end)
{
	return pm_resident(*(int *)arg, start, end);
}

static void print_text(struct hs_snapshot *s, struct heap *h, const struct rss_breakdown *b,
		       int pagemap)
{
	char x[64], y[64], z[64];
	struct rss_part p[RSS_MAX_PARTS];
	size_t n = rss_parts(b, pagemap >= 0, p);
	cli_text_header(stdout, s, h);
	printf("RSS %s: the sum of /proc/PID/smaps after the snapshot (smaps_rollup: %s before, "
	       "%s after)\n", fmt_bytes(b->rss, x, sizeof x), fmt_bytes(b->rss_before, y, sizeof y),
	       fmt_bytes(b->rss_after, z, sizeof z));
	for (size_t i = 0; i < n; i++) {
		int minus = !strcmp(p[i].key, "not_resident");
		printf("  %-16s %s%10s %5.1f%%  %s\n", p[i].name, minus ? "-" : " ",
		       fmt_bytes(p[i].bytes, x, sizeof x),
		       b->rss ? 100.0 * (double)p[i].bytes / (double)b->rss : 0.0, p[i].how);
	}
	printf("\npymalloc: ");
	if (!b->obm.found) {
		printf("%s\n", b->obm.why);
		return;
	}
	printf("%s\n", b->obm.how);
	printf("  # arenas allocated current       %llu (%llu * %llu bytes/arena = %llu)\n",
	       (unsigned long long)b->obm.narenas, (unsigned long long)b->obm.narenas,
	       (unsigned long long)b->obm.arena_size, (unsigned long long)b->obm.total);
	printf("  # bytes in allocated blocks      %llu\n", (unsigned long long)b->obm.allocated_bytes);
	printf("  # bytes in available blocks      %llu\n", (unsigned long long)b->obm.available_bytes);
	printf("  %llu unused pools * %llu bytes     = %llu\n", (unsigned long long)b->obm.unused_pools,
	       (unsigned long long)b->obm.pool_size,
	       (unsigned long long)(b->obm.unused_pools * b->obm.pool_size));
	printf("  # bytes lost to pool headers     %llu\n", (unsigned long long)b->obm.pool_header_bytes);
	printf("  # bytes lost to quantization     %llu\n", (unsigned long long)b->obm.quantization_bytes);
	printf("  # bytes lost to arena alignment  %llu\n", (unsigned long long)b->obm.alignment_bytes);
	printf("  (the same names as the target's sys._debugmallocstats())\n");
}

static void print_json(struct hs_snapshot *s, struct heap *h, const struct rss_breakdown *b,
		       int pagemap)
{
	struct json j;
	struct rss_part p[RSS_MAX_PARTS];
	size_t n = rss_parts(b, pagemap >= 0, p);
	json_init(&j, stdout);
	json_obj(&j);
	cli_json_header(&j, s, h);
	json_key(&j, "rss"); json_uint(&j, b->rss);
	json_key(&j, "rss_before"); json_uint(&j, b->rss_before);
	json_key(&j, "rss_after"); json_uint(&j, b->rss_after);
	json_key(&j, "parts");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		json_obj(&j);
		json_key(&j, "key"); json_str(&j, p[i].key);
		json_key(&j, "name"); json_str(&j, p[i].name);
		json_key(&j, "bytes"); json_uint(&j, p[i].bytes);
		json_key(&j, "sign"); json_int(&j, strcmp(p[i].key, "not_resident") ? 1 : -1);
		json_key(&j, "how"); json_str(&j, p[i].how);
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "detail");
	json_obj(&j);
	json_key(&j, "objects"); json_uint(&j, b->nobjects);
	json_key(&j, "objects_in_arenas"); json_uint(&j, b->py_in_arenas);
	json_key(&j, "objects_malloced"); json_uint(&j, b->py_malloced);
	json_key(&j, "buffers"); json_uint(&j, b->nbuffers);
	json_key(&j, "buffers_size"); json_uint(&j, b->buffers_size);
	json_key(&j, "buffers_resident"); json_uint(&j, b->buffers);
	json_key(&j, "ndarray_data"); json_uint(&j, b->buffers_by_kind[0]);
	json_key(&j, "anonymous"); json_uint(&j, b->anon);
	json_key(&j, "arena_mapped"); json_uint(&j, b->arena_mapped);
	json_key(&j, "arena_resident"); json_uint(&j, b->arena_resident);
	json_key(&j, "threads"); json_uint(&j, b->nthreads);
	json_key(&j, "stack_mappings"); json_uint(&j, b->nstacks);
	json_key(&j, "swap"); json_uint(&j, b->swap);
	json_key(&j, "pagemap"); json_bool(&j, pagemap >= 0);
	json_end(&j);
	json_key(&j, "pymalloc");
	json_obj(&j);
	json_key(&j, "found"); json_bool(&j, b->obm.found);
	if (!b->obm.found) {
		json_key(&j, "why"); json_str(&j, b->obm.why);
	} else {
		json_key(&j, "how"); json_str(&j, b->obm.how);
		json_key(&j, "arena_size"); json_uint(&j, b->obm.arena_size);
		json_key(&j, "pool_size"); json_uint(&j, b->obm.pool_size);
		json_key(&j, "maxarenas");
		if (b->obm.maxarenas)
			json_uint(&j, b->obm.maxarenas);
		else
			json_null(&j);
		json_key(&j, "arenas_allocated_current"); json_uint(&j, b->obm.narenas);
		json_key(&j, "bytes_in_allocated_blocks"); json_uint(&j, b->obm.allocated_bytes);
		json_key(&j, "bytes_in_available_blocks"); json_uint(&j, b->obm.available_bytes);
		json_key(&j, "unused_pools"); json_uint(&j, b->obm.unused_pools);
		json_key(&j, "bytes_lost_to_pool_headers"); json_uint(&j, b->obm.pool_header_bytes);
		json_key(&j, "bytes_lost_to_quantization"); json_uint(&j, b->obm.quantization_bytes);
		json_key(&j, "bytes_lost_to_arena_alignment"); json_uint(&j, b->obm.alignment_bytes);
		json_key(&j, "total"); json_uint(&j, b->obm.total);
		json_key(&j, "classes");
		json_arr(&j);
		for (uint64_t i = 0; i < b->obm.nclasses; i++) {
			if (!b->obm.numpools[i])
				continue;
			json_obj(&j);
			json_key(&j, "class"); json_uint(&j, i);
			json_key(&j, "size"); json_uint(&j, (i + 1) * b->obm.alignment);
			json_key(&j, "num_pools"); json_uint(&j, b->obm.numpools[i]);
			json_key(&j, "blocks_in_use"); json_uint(&j, b->obm.numblocks[i]);
			json_key(&j, "avail_blocks"); json_uint(&j, b->obm.numfreeblocks[i]);
			json_end(&j);
		}
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	json_done(&j);
}

int cmd_memory(int argc, char **argv)
{
	struct cli o;
	struct hs_err err = {0};
	struct hs_snapshot *s;
	struct heap *h;
	struct graph *g = NULL;
	pid_t pid;
	enum hs_status st;

	if (cli_parse(argc, argv, &o, &err) || cli_pid(&o, 0, &pid, &err))
		return cli_fail(&err);
	if (!pid) {
		hs_fail(&err, HS_ERR_USAGE, "memory needs a running process: the RSS and its "
			"mappings come from /proc/PID/smaps, which a snapshot file does not keep");
		return cli_fail(&err);
	}
	uint64_t before = pm_rollup_rss(pid);
	if (cli_open(&o, pid, &s, &h, &err))
		return cli_fail(&err);
	if ((st = graph_build(h, &g, &err)) != HS_OK) {
		cli_close(s, h);
		return cli_fail(&err);
	}
	struct pm_smaps sm;
	if (pm_smaps_read(pid, &sm) != 0) {
		graph_free(g);
		cli_close(s, h);
		hs_fail(&err, HS_ERR_NO_PROCESS, "cannot read /proc/%d/smaps (the process exited?)",
			(int)pid);
		return cli_fail(&err);
	}
	uint64_t after = pm_rollup_rss(pid);
	static raddr_t sps[MAX_SPS];
	size_t nthreads = 0;
	size_t nsps = pm_thread_sps(pid, sps, MAX_SPS, &nthreads);
	int pagemap = pm_pagemap_open(pid);
	struct rss_breakdown b;
	int rc = rss_build(heap_ctx(h), g, &sm, sps, nsps, resident_cb, &pagemap, &b);
	if (pagemap >= 0)
		close(pagemap);
	pm_smaps_free(&sm);
	if (rc != 0) {
		rss_free(&b);
		graph_free(g);
		cli_close(s, h);
		hs_fail(&err, HS_ERR_NOMEM, "out of memory");
		return cli_fail(&err);
	}
	b.rss_before = before;
	b.rss_after = after;
	b.nthreads = nthreads;
	if (o.json)
		print_json(s, h, &b, pagemap);
	else
		print_text(s, h, &b, pagemap);
	rss_free(&b);
	graph_free(g);
	cli_close(s, h);
	return 0;
}
