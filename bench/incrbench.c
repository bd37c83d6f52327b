/* incrbench — the pause of an incremental re-snapshot where the kernel has
 * no soft-dirty tracking (CONFIG_MEM_SOFT_DIRTY unset): a simulation.
 *
 *   incrbench PID [DIRTY_PERCENT] [ROUNDS]     (default 1 %, 5 rounds)
 *
 * Takes one full snapshot of PID with live_opts.incr (it writes "4" to
 * /proc/PID/clear_refs in the pause, as heapscope does), then ROUNDS
 * incremental ones in which live_opts.dirty_oracle stands in for pagemap's
 * soft-dirty bit: a page counts as written with probability DIRTY_PERCENT,
 * and every page outside private anonymous mappings is read anyway (as
 * with the kernel's bits).  Everything else is the real path: the maps
 * re-read and the big blocks re-verified in the pause, pagemap read for
 * every page, the dirty pages read, clear_refs written (on such a kernel
 * the write walks the page tables but marks nothing, so the cost of
 * write-protecting every pte is not in these figures), the thaw, then the
 * clean pages taken from the previous copy.  The snapshot's bytes are not
 * those of the target (clean pages that were in fact written keep old
 * bytes): a measurement of the pause, nothing else.
 *
 * Prints one JSON object: full_pause_ms, pause_ms (one per round),
 * copied_bytes, reused_bytes (median round), dirty_percent.
 *
 * Built by bench/run.sh like copyfloor: cc -O2 -Iattach incrbench.c
 * build/attach/libhsattach.a -lelf.  Root (or CAP_SYS_PTRACE) needed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"

struct oracle {
	uint64_t state;
	uint32_t threshold; /* out of 2^32 */
};

static int dirty(void *arg, uint64_t page)
{
	struct oracle *o = arg;
	(void)page;
	o->state = o->state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(o->state >> 32) < o->threshold;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: incrbench PID [DIRTY_PERCENT] [ROUNDS]\n");
		return 2;
	}
	pid_t pid = (pid_t)atoi(argv[1]);
	double pct = argc > 2 ? atof(argv[2]) : 1.0;
	int rounds = argc > 3 ? atoi(argv[3]) : 5;
	if (rounds < 1 || rounds > 100)
		rounds = 5;
	struct oracle o = {0x9e3779b97f4a7c15ull, (uint32_t)(pct / 100.0 * 4294967295.0)};
	struct live_incr *in = live_incr_new();
	struct live_opts opts = {.incr = in, .dirty_oracle = dirty, .oracle_arg = &o};
	struct hs_err err = {0};
	memsrc *m = NULL;
	if (live_snapshot(pid, &opts, &m, &err) != HS_OK) {
		fprintf(stderr, "incrbench: %s\n", err.msg);
		return 1;
	}
	double full = mem_info(m)->pause_ms, pauses[100];
	uint64_t copied = 0, reused = 0;
	for (int r = 0; r < rounds; r++) {
		memsrc_free(m);
		m = NULL;
		if (live_snapshot(pid, &opts, &m, &err) != HS_OK) {
			fprintf(stderr, "incrbench: round %d: %s\n", r, err.msg);
			return 1;
		}
		pauses[r] = mem_info(m)->pause_ms;
		copied = mem_info(m)->bytes_copied;
		reused = mem_info(m)->bytes_reused;
	}
	printf("{\"full_pause_ms\": %.3f, \"pause_ms\": [", full);
	for (int r = 0; r < rounds; r++)
		printf("%s%.3f", r ? ", " : "", pauses[r]);
	qsort(pauses, (size_t)rounds, sizeof *pauses, cmp_double);
	printf("], \"median_pause_ms\": %.3f, \"copied_bytes\": %llu, \"reused_bytes\": %llu, "
	       "\"dirty_percent\": %.3f, \"incremental_note\": %s%s%s}\n",
	       pauses[rounds / 2], (unsigned long long)copied, (unsigned long long)reused, pct,
	       live_incr_note(in) ? "\"" : "", live_incr_note(in) ? live_incr_note(in) : "null",
	       live_incr_note(in) ? "\"" : "");
	memsrc_free(m);
	live_incr_free(in);
	return 0;
}
