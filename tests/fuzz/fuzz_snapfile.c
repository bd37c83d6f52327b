/* fuzz_snapfile — libFuzzer harness over the snapshot file reader
 * (attach/snapfile.c): the input is a file's bytes.  The reader must never
 * crash, hang or allocate without bound: every failure is a documented
 * status with a message, and a file that opens is then read as any
 * snapshot (census, object graph, dominators), which must not crash either.
 *
 * Seeds (tests/fuzz/snap_corpus/) are real snapshot files of the synthetic
 * heaps of fuzz_heap's corpus, written by snapfile_write:
 *     fuzz_snapfile_replay --make-seeds OUTDIR tests/fuzz/corpus
 * (this file includes fuzz_heap.c for its heap builder).
 *
 * Built with -Dfuzzing=true (scripts/fuzz.sh) it is a libFuzzer target;
 * in every build main() replays the corpus and every input that once
 * crashed (tests/fuzz/snap_crashes/) as the unit test fuzz_snapfile_corpus.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* fuzz_heap.c's synthetic heaps, for --make-seeds; its entry points renamed */
#define LLVMFuzzerTestOneInput fuzz_heap_one
#define main fuzz_heap_main
#ifdef HS_LIBFUZZER
#undef HS_LIBFUZZER
#define HS_LIBFUZZER_WAS 1
#endif
#define HS_LIBFUZZER 1   /* fuzz_heap.c without its own main() */
#include "fuzz_heap.c"
#undef HS_LIBFUZZER
#ifdef HS_LIBFUZZER_WAS
#define HS_LIBFUZZER 1
#endif
#undef LLVMFuzzerTestOneInput
#undef main

#include "snapfile.h"

/* Memory a fuzzed file may make the reader allocate. */
#define FUZZ_MAX_BYTES ((uint64_t)256 << 20)

static void check_status(enum hs_status st, const struct hs_err *err)
{
	switch (st) {
	case HS_OK:
		return;
	case HS_ERR_BAD_FILE: case HS_ERR_FILE_VERSION: case HS_ERR_NOMEM:
	case HS_ERR_UNSUPPORTED: case HS_ERR_INCONSISTENT: case HS_ERR_NOT_PYTHON:
	case HS_ERR_READ:
		if (!err->msg[0] || !memchr(err->msg, 0, sizeof err->msg))
			fail("an error without a message");
		return;
	default:
		fprintf(stderr, "fuzz_snapfile: unexpected status %s: %s\n", hs_status_name(st),
			err->msg);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_snapshot *s = NULL;
	struct hs_err err = {0};
	enum hs_status st = snapfile_open_mem(data, size, "fuzz.hsnap", FUZZ_MAX_BYTES, &s, &err);
	check_status(st, &err);
	if (g_verbose)
		printf("  open: %s %s\n", hs_status_name(st), st ? err.msg : "");
	if (st != HS_OK)
		return 0;
	struct heap *h = NULL;
	st = heap_open(s, &h, &err);
	status_ok(st, &err, "heap_open status");
	if (st == HS_OK) {
		struct graph *g = NULL;
		if (graph_build(h, &g, &err) == HS_OK) {
			struct leaks *L = NULL;
			if (leaks_build(h, g, &L, &err) == HS_OK)
				leaks_free(L);
			graph_free(g);
		}
		heap_free(h);
	}
	snap_free(s);
	return 0;
}

#ifndef HS_LIBFUZZER
static uint8_t g_buf[16 << 20];

static size_t slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return (size_t)-1;
	size_t n = fread(g_buf, 1, sizeof g_buf, f);
	fclose(f);
	return n;
}

/* For each fuzz_heap input: its synthetic heap, written as a snapshot. */
static int make_seed(const char *in, const char *outdir)
{
	size_t n = slurp(in);
	if (n == (size_t)-1)
		return -1;
	struct hs_snapshot *s = build(g_buf, n);
	if (!s)
		return 0;
	const char *base = strrchr(in, '/');
	char out[4096];
	snprintf(out, sizeof out, "%s/%s", outdir, base ? base + 1 : in);
	struct hs_err err = {0};
	s->syms_known = 1;   /* no ELF files to look symbols up in */
	/* what layout_fit checks and the synthetic heap leaves out: the GC
	 * state's generation0 pointer names generation 0's list head */
	const struct py_layout *L = &s->L;
	raddr_t gcs = L->rt_gc >= 0 ? RT + (raddr_t)L->rt_gc : INTERP + (raddr_t)L->interp_gc;
	if (L->gc_generation0 >= 0 && L->gc_generations >= 0) {
		uint64_t *p = (uint64_t *)mem_ptr(s->mem, gcs + (raddr_t)L->gc_generation0, 8);
		if (p)
			*p = gcs + (raddr_t)L->gc_generations;
	}
	struct snapfile_opts so = {19, 0, "fuzz-seed"};
	enum hs_status st = snapfile_write(s, out, &so, NULL, &err);
	snap_free(s);
	if (st != HS_OK) {
		fprintf(stderr, "fuzz_snapfile: %s: %s\n", out, err.msg);
		return -1;
	}
	return 1;
}

static int for_each(const char *arg, int (*fn)(const char *, const char *), const char *x,
		    int *files)
{
	int bad = 0;
	DIR *d = opendir(arg);
	if (!d) {
		(*files)++;
		return fn(arg, x) < 0;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", arg, e->d_name);
		(*files)++;
		bad += fn(path, x) < 0;
	}
	closedir(d);
	return bad;
}

static int replay(const char *path, const char *unused)
{
	(void)unused;
	size_t n = slurp(path);
	if (n == (size_t)-1) {
		fprintf(stderr, "fuzz_snapfile: cannot open %s\n", path);
		return -1;
	}
	if (g_verbose)
		printf("%s (%zu bytes)\n", path, n);
	LLVMFuzzerTestOneInput(g_buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0, bad = 0;
	if (argc >= 3 && !strcmp(argv[1], "--make-seeds")) {
		for (int i = 3; i < argc; i++)
			bad += for_each(argv[i], make_seed, argv[2], &files);
		printf("fuzz_snapfile: %d seeds from %d inputs\n", files - bad, files);
		return bad ? 1 : 0;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v")) {
			g_verbose = 1;
			continue;
		}
		bad += for_each(argv[i], replay, NULL, &files);
	}
	printf("fuzz_snapfile: %d inputs replayed%s\n", files, bad ? ", some unreadable" : "");
	return bad || !files ? 1 : 0;
}
#endif
