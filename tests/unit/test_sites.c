/* tracemalloc's traces (model/sites.c) read from synthetic memory images:
 * no target process.
 *
 * 3.15's layout (the state in _PyRuntime, entries {key, value -> trace_t},
 * file names as C strings) and 3.8's (the static table found through
 * symbols, key and trace_t inline after the entry, (pointer, domain) keys
 * when domains are on).  Checked: the object's block is found (minus the
 * GC header for a GC type), its traceback decoded most recent first, the
 * traced size kept; other domains are left out; a target that does not
 * trace, a chain that loops and an absurd bucket count are answered
 * promptly, as "off" or "hidden", never walked forever. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pyobj.h"
#include "sites.h"

#define BASE 0x10000000ULL
#define SIZE (1 << 20)

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static unsigned char *img;

static void put64(uint64_t a, uint64_t v) { memcpy(img + (a - BASE), &v, 8); }
static void put32(uint64_t a, uint32_t v) { memcpy(img + (a - BASE), &v, 4); }
static void put16(uint64_t a, uint16_t v) { memcpy(img + (a - BASE), &v, 2); }

#define RT      (BASE + 0x1000)      /* _PyRuntime (3.15) */
#define CFG38   (BASE + 0x90000)     /* _Py_tracemalloc_config (3.8) */
#define TRSYM38 (BASE + 0x90100)     /* tracemalloc_traces (3.8) */
#define HT      (BASE + 0x40000)     /* the traces table */
#define BUCKETS (BASE + 0x41000)
#define ENTRY   (BASE + 0x42000)     /* entries, 0x100 apart */
#define TRACE   (BASE + 0x43000)     /* trace_t, 0x20 apart (3.9+) */
#define TB      (BASE + 0x44000)     /* a traceback */
#define FILES   (BASE + 0x45000)     /* file name strings */
#define OBJ     (BASE + 0x50000)     /* objects */

static void traceback(const struct py_layout *L)
{
	put16(TB + (uint64_t)L->tmtb_nframe, 2);
	if (L->tmtb_total_nframe >= 0)
		put16(TB + (uint64_t)L->tmtb_total_nframe, 7);
	uint64_t f = TB + (uint64_t)L->tmtb_frames;
	put64(f + (uint64_t)L->tmframe_filename, FILES);
	put32(f + (uint64_t)L->tmframe_lineno, 12);
	f += (uint64_t)L->tmframe_size;
	put64(f + (uint64_t)L->tmframe_filename, FILES + 64);
	put32(f + (uint64_t)L->tmframe_lineno, 34);
	memcpy(img + (FILES - BASE), "app/cache.py", 13);
	memcpy(img + (FILES + 64 - BASE), "app/main.py", 12);
}

/* 3.15: n entries in one bucket, the i-th for block OBJ + 0x100 * i */
static void table315(const struct py_layout *L, int n, int tracing)
{
	memset(img, 0, SIZE);
	uint64_t st = RT + (uint64_t)L->rt_tracemalloc, cfg = st + (uint64_t)L->tmrt_config;
	put32(cfg + (uint64_t)L->tmcfg_initialized, 1);
	put32(cfg + (uint64_t)L->tmcfg_tracing, (uint32_t)tracing);
	put32(cfg + (uint64_t)L->tmcfg_max_nframe, 5);
	put64(st + (uint64_t)L->tmrt_traces, HT);
	put64(HT + (uint64_t)L->ht_nbuckets, 4);
	put64(HT + (uint64_t)L->ht_nentries, (uint64_t)n);
	put64(HT + (uint64_t)L->ht_buckets, BUCKETS);
	put64(BUCKETS + 2 * (uint64_t)L->ht_bucket_size, n ? ENTRY : 0);
	for (int i = 0; i < n; i++) {
		uint64_t e = ENTRY + 0x100 * (uint64_t)i;
		put64(e + (uint64_t)L->hte_next, i + 1 < n ? e + 0x100 : 0);
		put64(e + (uint64_t)L->hte_key, OBJ + 0x100 * (uint64_t)i);
		put64(e + (uint64_t)L->hte_value, TRACE + 0x20 * (uint64_t)i);
		put64(TRACE + 0x20 * (uint64_t)i + (uint64_t)L->tmtrace_size, 48 + (uint64_t)i);
		put64(TRACE + 0x20 * (uint64_t)i + (uint64_t)L->tmtrace_traceback, TB);
	}
	traceback(L);
}

/* A synthetic target memory holding one copy of img. */
static memsrc *image_mem(void)
{
	memsrc *m = memsrc_new(NULL, NULL);
	void *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!m || p == MAP_FAILED || memsrc_add_region(m, BASE, BASE + SIZE, p) != 0) {
		fprintf(stderr, "cannot make the synthetic memory\n");
		exit(2);
	}
	memcpy(p, img, SIZE);
	return m;
}

static memsrc *cur_mem;
static struct pyctx *cur_ctx;

static struct sites *load(const struct py_layout *L, const struct py_runtime_info *rt)
{
	cur_mem = image_mem();
	cur_ctx = pyctx_new(cur_mem, L, rt);
	struct sites *S = NULL;
	struct hs_err err = {0};
	CHECK(sites_load(cur_ctx, &S, &err) == HS_OK && S, "sites_load: %s", err.msg);
	return S;
}

/* sites_free, then the context and memory it read */
static void done(struct sites *S)
{
	sites_free(S);
	pyctx_free(cur_ctx);
	memsrc_free(cur_mem);
	cur_ctx = NULL;
	cur_mem = NULL;
}

static void test315(void)
{
	const struct py_layout *L = layout_builtin(3, 15);
	struct py_runtime_info rt;
	memset(&rt, 0, sizeof rt);
	rt.major = 3;
	rt.minor = 15;
	rt.runtime = RT;
	snprintf(rt.version, sizeof rt.version, "3.15.0");
	struct pytype plain = {.addr = BASE + 0x80000, .is_gc = 0};
	struct pytype gc = {.addr = BASE + 0x81000, .is_gc = 1};

	table315(L, 3, 1);
	struct sites *S = load(L, &rt);
	CHECK(sites_state(S) == SITES_ON, "state %d: %s", sites_state(S), sites_why(S));
	CHECK(sites_ntraces(S) == 3, "traces %lu", (unsigned long)sites_ntraces(S));
	uint32_t tb;
	uint64_t size;
	CHECK(sites_lookup(S, OBJ + 0x100, &plain, &tb, &size) == 0 && size == 49, "plain object");
	const struct sites_tb *T = sites_tb(S, tb);
	CHECK(T && T->nframe == 2 && T->total_nframe == 7, "frames");
	CHECK(T && !strcmp(T->frames[0].file, "app/cache.py") && T->frames[0].line == 12 &&
	      !strcmp(T->frames[1].file, "app/main.py") && T->frames[1].line == 34, "decoded");
	char key[256];
	CHECK(!strcmp(sites_key(S, tb, 0, key, sizeof key), "app/cache.py:12"), "%s", key);
	CHECK(!strcmp(sites_key(S, tb, 1, key, sizeof key), "app/cache.py:12 <- app/main.py:34"), "%s", key);
	/* a GC object: its block starts a GC header earlier */
	CHECK(sites_lookup(S, OBJ + 0x200 + (uint64_t)L->gc_head_size, &gc, &tb, &size) == 0 && size == 50,
	      "gc object");
	CHECK(sites_lookup(S, OBJ + 0x200, &gc, &tb, &size) != 0, "gc object at its block address");
	CHECK(sites_lookup(S, OBJ + 0x300, &plain, &tb, &size) != 0, "untraced");
	done(S);

	table315(L, 3, 0);
	S = load(L, &rt);
	CHECK(sites_state(S) == SITES_OFF && strstr(sites_why(S), "PYTHONTRACEMALLOC"), "off: %s",
	      sites_why(S));
	done(S);

	/* a chain that loops: bounded by the entry count */
	table315(L, 2, 1);
	put64(ENTRY + 0x100 + (uint64_t)L->hte_next, ENTRY);
	S = load(L, &rt);
	CHECK(sites_state(S) == SITES_HIDDEN && strstr(sites_why(S), "not readable"), "loop: %d %s",
	      sites_state(S), sites_why(S));
	done(S);

	/* an absurd bucket count */
	table315(L, 2, 1);
	put64(HT + (uint64_t)L->ht_nbuckets, 1ULL << 50);
	S = load(L, &rt);
	CHECK(sites_state(S) == SITES_HIDDEN, "buckets: %d %s", sites_state(S), sites_why(S));
	done(S);
}

/* 3.8: the static table, keys (and with domains, (ptr, domain)) and
 * trace_t inline after the entry header */
static void test38(int use_domain)
{
	const struct py_layout *L = layout_builtin(3, 8);
	struct py_runtime_info rt;
	memset(&rt, 0, sizeof rt);
	rt.major = 3;
	rt.minor = 8;
	rt.runtime = RT;
	rt.sym_tm_config = CFG38;
	rt.sym_tm_traces = TRSYM38;
	snprintf(rt.version, sizeof rt.version, "3.8.18");
	memset(img, 0, SIZE);
	uint64_t key_size = use_domain ? 12 : 8;
	put32(CFG38 + (uint64_t)L->tmcfg_initialized, 1);
	put32(CFG38 + (uint64_t)L->tmcfg_tracing, 1);
	put32(CFG38 + (uint64_t)L->tmcfg_max_nframe, 5);
	put32(CFG38 + (uint64_t)L->tmcfg_use_domain, (uint32_t)use_domain);
	put64(TRSYM38, HT);
	put64(HT + (uint64_t)L->ht_nbuckets, 2);
	put64(HT + (uint64_t)L->ht_nentries, 2);
	put64(HT + (uint64_t)L->ht_buckets, BUCKETS);
	put64(HT + (uint64_t)L->ht_key_size, key_size);
	put64(BUCKETS, ENTRY);
	for (int i = 0; i < 2; i++) {
		uint64_t e = ENTRY + 0x100 * (uint64_t)i;
		put64(e + (uint64_t)L->hte_next, i ? 0 : e + 0x100);
		put64(e + (uint64_t)L->hte_key, OBJ + 0x100 * (uint64_t)i);
		if (use_domain)
			put32(e + (uint64_t)L->hte_key + (uint64_t)L->tmptr_domain, (uint32_t)i * 7);
		uint64_t data = e + (uint64_t)L->hte_key + key_size;
		put64(data + (uint64_t)L->tmtrace_size, 64);
		put64(data + (uint64_t)L->tmtrace_traceback, TB);
	}
	traceback(L);
	struct sites *S = load(L, &rt);
	struct pytype plain = {.addr = BASE + 0x80000, .is_gc = 0};
	uint32_t tb;
	uint64_t size;
	CHECK(sites_state(S) == SITES_ON, "3.8 state %d: %s", sites_state(S), sites_why(S));
	CHECK(sites_lookup(S, OBJ, &plain, &tb, &size) == 0 && size == 64, "3.8 block");
	const struct sites_tb *T = sites_tb(S, tb);
	CHECK(T && T->nframe == 2 && T->frames[0].line == 12 && T->frames[1].line == 34, "3.8 frames");
	/* domain 7 is not Python's */
	CHECK((sites_lookup(S, OBJ + 0x100, &plain, &tb, &size) == 0) == !use_domain,
	      "3.8 domain (use_domain %d)", use_domain);
	done(S);

	/* stripped: no symbol for the table */
	rt.sym_tm_traces = 0;
	S = load(L, &rt);
	CHECK(sites_state(S) == SITES_HIDDEN && strstr(sites_why(S), "stripped"), "3.8 stripped: %s",
	      sites_why(S));
	done(S);
}

int main(void)
{
	img = calloc(1, SIZE);
	if (!img)
		return 1;
	test315();
	test38(0);
	test38(1);
	free(img);
	printf("%s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
