/* sites — tracemalloc's traces read from a snapshot.  See sites.h.
 *
 * The traces table is a _Py_hashtable_t (Python/hashtable.c): nbuckets
 * singly linked lists of entries.  3.9+: an entry holds the key (the block
 * pointer) and the value (a malloc'd trace_t {size, traceback}); 3.8: the
 * key (key_size bytes: the pointer, or a packed {pointer, domain} when
 * domains are in use) and the trace_t follow the entry header inline.
 * Tracebacks (traceback_t: hash, nframe, total_nframe, frames[]) and file
 * names are interned by tracemalloc, so one traceback address is one
 * traceback.  Every offset comes from struct py_layout.
 *
 * Everything read is bounded: the bucket count, the chain lengths (no
 * more entries than the table says it holds), the frames per traceback
 * (the configured maximum).
 */
#include "sites.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

#define MAX_BUCKETS (1ULL << 30)
#define MAX_ENTRIES (1ULL << 32)
#define MAX_FRAMES 65535
#define FILE_CAP 512

struct tent { raddr_t ptr; uint64_t size; uint32_t tb; };   /* ptr 0 = empty */
struct aent { raddr_t key; uint32_t val; };                 /* key 0 = empty */
struct sent { const char *s; uint32_t line; uint32_t val; };

struct sites {
	struct pyctx *c;
	const struct py_layout *L;
	enum sites_state state;
	char why[512];
	int max_nframe;
	uint64_t ntraces;

	struct tent *tab;           /* block pointer -> trace */
	size_t cap;

	struct aent *tbmap;         /* traceback address -> id */
	size_t tbcap;
	struct sites_tb *tbs;       /* by id */
	size_t ntb, tbsz;

	struct aent *fmap;          /* filename object -> string id */
	size_t fcap, nfmap;
	struct sent *strs;          /* file name text -> id */
	size_t scap, nstr;
	char **files;               /* by id */
	size_t nfiles, filesz;
};

static inline size_t mix(uint64_t k, size_t cap)
{
	return (size_t)((k >> 3) * 0x9E3779B97F4A7C15ULL) & (cap - 1);
}

/* ==== small maps ==== */

static int amap_grow(struct aent **tab, size_t *cap)
{
	size_t nc = *cap ? *cap * 2 : 256;
	struct aent *nt = calloc(nc, sizeof *nt);
	if (!nt)
		return -1;
	for (size_t i = 0; i < *cap; i++)
		if ((*tab)[i].key) {
			size_t j = mix((*tab)[i].key, nc);
			while (nt[j].key)
				j = (j + 1) & (nc - 1);
			nt[j] = (*tab)[i];
		}
	free(*tab);
	*tab = nt;
	*cap = nc;
	return 0;
}

/* Slot of key (found, or the empty one to fill); NULL when memory ran out. */
static struct aent *amap_slot(struct aent **tab, size_t *cap, size_t used, raddr_t key)
{
	if ((used + 1) * 2 > *cap && amap_grow(tab, cap))
		return NULL;
	size_t j = mix(key, *cap);
	while ((*tab)[j].key && (*tab)[j].key != key)
		j = (j + 1) & (*cap - 1);
	return &(*tab)[j];
}

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The id of file name s (interned by text: one id per distinct name);
 * UINT32_MAX when memory ran out. */
static uint32_t intern(struct sites *S, const char *s)
{
	if ((S->nstr + 1) * 2 > S->scap) {
		size_t nc = S->scap ? S->scap * 2 : 64;
		struct sent *nt = calloc(nc, sizeof *nt);
		if (!nt)
			return UINT32_MAX;
		for (size_t i = 0; i < S->scap; i++)
			if (S->strs[i].s) {
				size_t j = (size_t)str_hash(S->strs[i].s) & (nc - 1);
				while (nt[j].s)
					j = (j + 1) & (nc - 1);
				nt[j] = S->strs[i];
			}
		free(S->strs);
		S->strs = nt;
		S->scap = nc;
	}
	size_t j = (size_t)str_hash(s) & (S->scap - 1);
	while (S->strs[j].s && strcmp(S->strs[j].s, s))
		j = (j + 1) & (S->scap - 1);
	if (!S->strs[j].s) {
		if (S->nfiles == S->filesz) {
			size_t nz = S->filesz ? S->filesz * 2 : 64;
			char **nf = realloc(S->files, nz * sizeof *nf);
			if (!nf)
				return UINT32_MAX;
			S->files = nf;
			S->filesz = nz;
		}
		char *d = strdup(s);
		if (!d)
			return UINT32_MAX;
		S->files[S->nfiles] = d;
		S->strs[j] = (struct sent){d, 0, (uint32_t)S->nfiles++};
		S->nstr++;
	}
	return S->strs[j].val;
}

/* ==== the traces table ==== */

static int trace_put(struct sites *S, raddr_t ptr, uint64_t size, raddr_t tb)
{
	if (!ptr)
		return 0;
	if ((S->ntraces + 1) * 2 > S->cap) {
		size_t nc = S->cap ? S->cap * 2 : 4096;
		struct tent *nt = calloc(nc, sizeof *nt);
		if (!nt)
			return -1;
		for (size_t i = 0; i < S->cap; i++)
			if (S->tab[i].ptr) {
				size_t j = mix(S->tab[i].ptr, nc);
				while (nt[j].ptr)
					j = (j + 1) & (nc - 1);
				nt[j] = S->tab[i];
			}
		free(S->tab);
		S->tab = nt;
		S->cap = nc;
	}
	/* the traceback's id: decoded later, on first use */
	struct aent *a = amap_slot(&S->tbmap, &S->tbcap, S->ntb, tb);
	if (!a)
		return -1;
	if (!a->key) {
		if (S->ntb == S->tbsz) {
			size_t nz = S->tbsz ? S->tbsz * 2 : 256;
			struct sites_tb *n = realloc(S->tbs, nz * sizeof *n);
			if (!n)
				return -1;
			S->tbs = n;
			S->tbsz = nz;
		}
		memset(&S->tbs[S->ntb], 0, sizeof S->tbs[S->ntb]);
		S->tbs[S->ntb].addr = tb;
		a->key = tb;
		a->val = (uint32_t)S->ntb++;
	}
	size_t j = mix(ptr, S->cap);
	while (S->tab[j].ptr && S->tab[j].ptr != ptr)
		j = (j + 1) & (S->cap - 1);
	if (!S->tab[j].ptr)
		S->ntraces++;
	S->tab[j] = (struct tent){ptr, size, a->val};
	return 0;
}

/* Walk the table at ht; domain filter for 3.8's (pointer, domain) keys. */
static int read_traces(struct sites *S, raddr_t ht, int use_domain)
{
	const struct py_layout *L = S->L;
	memsrc *m = pyctx_mem(S->c);
	uint64_t nb = 0, ne = 0, buckets = 0, key_size = 8;
	if (mem_u64(m, ht + (uint64_t)L->ht_nbuckets, &nb) ||
	    mem_u64(m, ht + (uint64_t)L->ht_nentries, &ne) ||
	    mem_u64(m, ht + (uint64_t)L->ht_buckets, &buckets) ||
	    (L->ht_key_size >= 0 && mem_u64(m, ht + (uint64_t)L->ht_key_size, &key_size)) ||
	    nb == 0 || nb > MAX_BUCKETS || ne > MAX_ENTRIES || !buckets || key_size < 8 || key_size > 64)
		return 1;
	uint64_t budget = ne + 1;
	for (uint64_t b = 0; b < nb; b++) {
		uint64_t e = 0;
		if (mem_u64(m, buckets + b * (uint64_t)L->ht_bucket_size, &e))
			return 1;
		while (e) {
			if (!budget--)
				return 1;      /* more entries than the table holds: a loop */
			uint64_t ptr = 0, trace = 0, size = 0, tb = 0, next = 0;
			raddr_t data;
			if (mem_u64(m, e + (uint64_t)L->hte_next, &next) ||
			    mem_u64(m, e + (uint64_t)L->hte_key, &ptr))
				return 1;
			if (L->hte_value >= 0) {
				if (mem_u64(m, e + (uint64_t)L->hte_value, &trace) || !trace)
					return 1;
				data = trace;
			} else {
				data = e + (uint64_t)L->hte_key + key_size;   /* 3.8: inline */
			}
			if (mem_u64(m, data + (uint64_t)L->tmtrace_size, &size) ||
			    mem_u64(m, data + (uint64_t)L->tmtrace_traceback, &tb))
				return 1;
			uint32_t domain = 0;
			if (use_domain && L->tmptr_domain >= 0 &&
			    mem_read(m, e + (uint64_t)L->hte_key + (uint64_t)L->tmptr_domain, &domain, 4))
				return 1;
			if (domain == 0 && tb && trace_put(S, ptr, size, tb))
				return -1;
			e = next;
		}
	}
	return 0;
}

__attribute__((format(printf, 3, 4)))
static void set_why(struct sites *S, enum sites_state st, const char *fmt, ...)
{
	va_list ap;
	S->state = st;
	va_start(ap, fmt);
	vsnprintf(S->why, sizeof S->why, fmt, ap);
	va_end(ap);
}

enum hs_status sites_load(struct pyctx *c, struct sites **out, struct hs_err *err)
{
	struct sites *S = calloc(1, sizeof *S);
	*out = NULL;
	if (!S)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory reading tracemalloc's traces");
	S->c = c;
	S->L = pyctx_layout(c);
	const struct py_layout *L = S->L;
	const struct py_runtime_info *rt = pyctx_rt(c);
	memsrc *m = pyctx_mem(c);
	const char *ver = rt ? rt->version : "?";
	*out = S;
	if (L->tmcfg_tracing < 0) {
		set_why(S, SITES_UNSUPPORTED, "allocation sites are read from tracemalloc on Python 3.7 "
			"and later; this is %s", ver);
		return HS_OK;
	}
	/* the configuration: in _PyRuntime (3.12+), else the exported
	 * _Py_tracemalloc_config */
	raddr_t cfg = 0, tables = 0;
	if (L->rt_tracemalloc >= 0 && rt && rt->runtime) {
		tables = rt->runtime + (uint64_t)L->rt_tracemalloc;
		cfg = tables + (uint64_t)L->tmrt_config;
	} else if (L->tmrt_config < 0 && rt) {
		cfg = rt->sym_tm_config;
	}
	if (!cfg) {
		set_why(S, SITES_HIDDEN, "heapscope cannot find tracemalloc's state in this build of "
			"Python %s (%s), so it cannot tell whether it traces allocations", ver,
			rt ? rt->path : "?");
		return HS_OK;
	}
	uint32_t tracing = 0, nframe = 0, use_domain = 0;
	if (mem_read(m, cfg + (uint64_t)L->tmcfg_tracing, &tracing, 4) ||
	    mem_read(m, cfg + (uint64_t)L->tmcfg_max_nframe, &nframe, 4) ||
	    (L->tmcfg_use_domain >= 0 && mem_read(m, cfg + (uint64_t)L->tmcfg_use_domain, &use_domain, 4))) {
		set_why(S, SITES_HIDDEN, "tracemalloc's configuration is not readable in the snapshot");
		return HS_OK;
	}
	if (!tracing) {
		set_why(S, SITES_OFF, "the target does not run tracemalloc: start it with "
			"PYTHONTRACEMALLOC=N or python -X tracemalloc=N, or call tracemalloc.start(N) "
			"in the program (N frames per traceback); objects allocated before it started "
			"have no site");
		return HS_OK;
	}
	S->max_nframe = nframe > MAX_FRAMES ? MAX_FRAMES : (int)nframe;
	uint64_t ht = 0;
	if (tables) {
		if (mem_u64(m, tables + (uint64_t)L->tmrt_traces, &ht))
			ht = 0;
	} else if (rt->sym_tm_traces) {
		if (mem_u64(m, rt->sym_tm_traces, &ht))
			ht = 0;
	} else {
		set_why(S, SITES_HIDDEN, "the target runs tracemalloc (%u frame%s), but this build of "
			"Python %s (%s) is stripped: its traces table is a static variable of "
			"Modules/_tracemalloc.c without a symbol, so allocation sites cannot be read. "
			"Run the program on a Python with symbols (a pyenv build, or Debian's "
			"python%d.%d-dbg), or on Python 3.12+, where the table lives in _PyRuntime",
			nframe, nframe == 1 ? "" : "s", ver, rt->path, L->major, L->minor);
		return HS_OK;
	}
	int rc = ht ? read_traces(S, ht, (int)use_domain) : 1;
	if (rc < 0) {
		sites_free(S);
		*out = NULL;
		return hs_fail(err, HS_ERR_NOMEM, "out of memory reading tracemalloc's traces");
	}
	if (rc > 0) {
		set_why(S, SITES_HIDDEN, "tracemalloc's traces table is not readable in this snapshot "
			"(being updated, or a layout heapscope does not know)");
		return HS_OK;
	}
	set_why(S, SITES_ON, "tracemalloc traces %d frame%s per allocation; %lu blocks traced",
		S->max_nframe, S->max_nframe == 1 ? "" : "s", (unsigned long)S->ntraces);
	return HS_OK;
}

void sites_free(struct sites *S)
{
	if (!S)
		return;
	for (size_t i = 0; i < S->ntb; i++)
		free((void *)S->tbs[i].frames);
	for (size_t i = 0; i < S->nfiles; i++)
		free(S->files[i]);
	free(S->files);
	free(S->strs);
	free(S->fmap);
	free(S->tbs);
	free(S->tbmap);
	free(S->tab);
	free(S);
}

enum sites_state sites_state(const struct sites *S) { return S->state; }
const char *sites_why(const struct sites *S) { return S->why; }
int sites_max_nframe(const struct sites *S) { return S->max_nframe; }
uint64_t sites_ntraces(const struct sites *S) { return S->ntraces; }

/* What get_object_traceback() subtracts from the object's address: the
 * GC header of a GC type (PyType_IS_GC), and 3.11+ the managed dict (and
 * 3.12+ weakref) pre-header (_PyType_PreHeaderSize). */
static uint64_t preheader(const struct py_layout *L, const struct pytype *t)
{
	uint64_t pre = t->is_gc ? (uint64_t)L->gc_head_size : 0;
	if (L->minor >= 11) {
		unsigned long f = L->minor >= 12 ? (PY_TPFLAGS_MANAGED_DICT | PY_TPFLAGS_MANAGED_WEAKREF)
			: PY_TPFLAGS_MANAGED_DICT;
		if (t->flags & f)
			pre += (uint64_t)L->preheader_managed;
	}
	return pre;
}

int sites_lookup(struct sites *S, raddr_t obj, const struct pytype *t, uint32_t *tb,
		 uint64_t *size)
{
	if (S->state != SITES_ON || !S->cap || !t)
		return -1;
	raddr_t p = obj - preheader(S->L, t);
	size_t j = mix(p, S->cap);
	while (S->tab[j].ptr) {
		if (S->tab[j].ptr == p) {
			*tb = S->tab[j].tb;
			if (size)
				*size = S->tab[j].size;
			return 0;
		}
		j = (j + 1) & (S->cap - 1);
	}
	return -1;
}

/* The text of a frame's file name: a str object, or from 3.15 on the
 * UTF-8 C string tracemalloc keeps instead (struct tracemalloc_frame's
 * filename became a const char *). */
static const char *file_text(struct sites *S, raddr_t fname, char *buf, size_t cap)
{
	if (S->L->minor < 15)
		return value_str(S->c, fname, buf, cap);
	memsrc *m = pyctx_mem(S->c);
	size_t n = 0;
	while (n + 1 < cap && mem_read(m, fname + n, &buf[n], 1) == 0 && buf[n])
		n++;
	buf[n] = 0;
	return buf;
}

/* Decode traceback id once. */
const struct sites_tb *sites_tb(struct sites *S, uint32_t id)
{
	if (id >= S->ntb)
		return NULL;
	struct sites_tb *t = &S->tbs[id];
	if (t->frames || t->nframe)
		return t;
	const struct py_layout *L = S->L;
	memsrc *m = pyctx_mem(S->c);
	uint16_t n16 = 0, tot16 = 0;
	uint32_t n = 0, tot;
	/* 3.8's nframe is an int, 3.9+'s a uint16_t: the low 16 bits of
	 * either (little endian; at most 65535 frames are ever kept) */
	if (mem_read(m, t->addr + (uint64_t)L->tmtb_nframe, &n16, 2) == 0)
		n = n16;
	if (n > (uint32_t)S->max_nframe)
		n = (uint32_t)S->max_nframe;
	tot = n;
	if (L->tmtb_total_nframe >= 0 && mem_read(m, t->addr + (uint64_t)L->tmtb_total_nframe, &tot16, 2) == 0)
		tot = tot16;
	struct sites_frame *fr = calloc(n ? n : 1, sizeof *fr);
	if (!fr)
		return NULL;
	uint32_t k;
	for (k = 0; k < n; k++) {
		raddr_t f = t->addr + (uint64_t)L->tmtb_frames + (uint64_t)k * (uint64_t)L->tmframe_size;
		uint64_t fname = 0;
		uint32_t line = 0;
		if (mem_u64(m, f + (uint64_t)L->tmframe_filename, &fname) ||
		    mem_read(m, f + (uint64_t)L->tmframe_lineno, &line, 4))
			break;
		fr[k].line = line;
		struct aent *a = amap_slot(&S->fmap, &S->fcap, S->nfmap, fname ? fname : 1);
		if (!a) {
			free(fr);
			return NULL;
		}
		if (!a->key) {
			char buf[FILE_CAP];
			const char *txt = fname ? file_text(S, fname, buf, sizeof buf) : "<unknown>";
			uint32_t fid = intern(S, txt && txt[0] ? txt : "?");
			if (fid == UINT32_MAX) {
				free(fr);
				return NULL;
			}
			a->key = fname ? fname : 1;
			a->val = fid;
			S->nfmap++;
		}
		fr[k].file = S->files[a->val];
	}
	t->nframe = k;
	t->total_nframe = tot;
	t->frames = fr;
	return t;
}

const char *sites_key(struct sites *S, uint32_t id, int by_traceback, char *buf, size_t cap)
{
	const struct sites_tb *t = sites_tb(S, id);
	size_t len = 0;
	if (!cap)
		return buf;
	buf[0] = 0;
	if (!t || !t->nframe) {
		snprintf(buf, cap, "?");
		return buf;
	}
	for (uint32_t k = 0; k < t->nframe && (k == 0 || by_traceback) && len + 1 < cap; k++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s:%u", k ? " <- " : "",
					t->frames[k].file, t->frames[k].line);
	return buf;
}

/* ==== Objects grouped by site ==== */

struct gkey { uint64_t k; uint32_t idx; };   /* k = file id << 32 | line, or tb id; idx+1 */

static int cmp_group(const void *a, const void *b)
{
	const struct sites_group *x = a, *y = b;
	if (x->traced != y->traced)
		return x->traced < y->traced ? 1 : -1;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return (x->tb > y->tb) - (x->tb < y->tb);
}

long sites_groups(struct sites *S, struct graph *g, int by_traceback, struct sites_group **out,
		  uint64_t *untraced)
{
	size_t cap = 1024, n = 0, gsz = 0;
	struct gkey *map = calloc(cap, sizeof *map);
	struct sites_group *gr = NULL;
	uint64_t *tbkey = malloc((S->ntb + 1) * sizeof *tbkey);
	*out = NULL;
	*untraced = 0;
	if (!map || !tbkey) {
		free(map);
		free(tbkey);
		return -1;
	}
	for (size_t i = 0; i < S->ntb; i++)
		tbkey[i] = UINT64_MAX;
	uint32_t nobj = graph_nobjects(g);
	for (uint32_t o = 0; o < nobj; o++) {
		uint32_t tb;
		uint64_t size;
		if (sites_lookup(S, graph_addr(g, o), graph_type(g, o), &tb, &size)) {
			++*untraced;
			continue;
		}
		const struct sites_tb *t = sites_tb(S, tb);
		if (!t)
			goto oom;
		uint64_t key;
		if (by_traceback) {
			key = tb;
		} else {
			/* file:line of the most recent frame (the file's id:
			 * names are interned, one pointer per name) */
			if (tbkey[tb] == UINT64_MAX) {
				uint32_t fid = UINT32_MAX;
				for (size_t i = 0; t->nframe && i < S->nfiles; i++)
					if (S->files[i] == t->frames[0].file) {
						fid = (uint32_t)i;
						break;
					}
				tbkey[tb] = ((uint64_t)fid << 32) | (t->nframe ? t->frames[0].line : 0);
			}
			key = tbkey[tb];
		}
		if ((n + 1) * 2 > cap) {
			size_t nc = cap * 2;
			struct gkey *nm = calloc(nc, sizeof *nm);
			if (!nm)
				goto oom;
			for (size_t i = 0; i < cap; i++)
				if (map[i].idx) {
					size_t j = mix(map[i].k * 8 + 8, nc);
					while (nm[j].idx)
						j = (j + 1) & (nc - 1);
					nm[j] = map[i];
				}
			free(map);
			map = nm;
			cap = nc;
		}
		size_t j = mix(key * 8 + 8, cap);
		while (map[j].idx && map[j].k != key)
			j = (j + 1) & (cap - 1);
		if (!map[j].idx) {
			if (n == gsz) {
				size_t nz = gsz ? gsz * 2 : 64;
				struct sites_group *ng = realloc(gr, nz * sizeof *ng);
				if (!ng)
					goto oom;
				gr = ng;
				gsz = nz;
			}
			memset(&gr[n], 0, sizeof gr[n]);
			gr[n].tb = tb;
			map[j] = (struct gkey){key, (uint32_t)++n};
		}
		struct sites_group *G = &gr[map[j].idx - 1];
		if (!G->count || (G->count >= 4 && !(G->count & (G->count - 1)))) {
			/* capacity: 4, then doubling at each power of two */
			size_t nc = G->count ? G->count * 2 : 4;
			graph_obj_t *no = realloc(G->objs, nc * sizeof *no);
			if (!no)
				goto oom;
			G->objs = no;
		}
		G->objs[G->count++] = o;
		G->traced += size;
		G->shallow += graph_size(g, o);
	}
	free(map);
	free(tbkey);
	if (n)
		qsort(gr, n, sizeof *gr, cmp_group);
	*out = gr;
	return (long)n;
oom:
	free(map);
	free(tbkey);
	sites_groups_free(gr, (long)n);
	return -1;
}

void sites_groups_free(struct sites_group *gr, long n)
{
	for (long i = 0; gr && i < n; i++)
		free(gr[i].objs);
	free(gr);
}

/* ==== Growth by site ==== */

struct crow { char *site; uint64_t count, bytes; };

struct sites_census {
	int on;
	struct crow *rows;        /* sorted by site */
	size_t n;
};

static int cmp_crow(const void *a, const void *b)
{
	return strcmp(((const struct crow *)a)->site, ((const struct crow *)b)->site);
}

enum hs_status sites_census_take(struct sites *S, struct graph *g, struct sites_census **out,
				 struct hs_err *err)
{
	struct sites_census *c = calloc(1, sizeof *c);
	struct sites_group *gr = NULL;
	uint64_t untraced;
	long ng = 0;
	*out = NULL;
	if (!c)
		goto oom;
	if (!S || S->state != SITES_ON) {
		*out = c;
		return HS_OK;
	}
	c->on = 1;
	if ((ng = sites_groups(S, g, 0, &gr, &untraced)) < 0 ||
	    !(c->rows = calloc((size_t)ng + 1, sizeof *c->rows)))
		goto oom;
	char key[FILE_CAP + 16];
	for (long i = 0; i < ng; i++) {
		sites_key(S, gr[i].tb, 0, key, sizeof key);
		if (!(c->rows[i].site = strdup(key)))
			goto oom;
		c->rows[i].count = gr[i].count;
		c->rows[i].bytes = gr[i].traced;
		c->n++;
	}
	sites_groups_free(gr, ng);
	qsort(c->rows, c->n, sizeof *c->rows, cmp_crow);
	*out = c;
	return HS_OK;
oom:
	sites_groups_free(gr, ng);
	sites_census_free(c);
	return hs_fail(err, HS_ERR_NOMEM, "out of memory counting objects by allocation site");
}

void sites_census_free(struct sites_census *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->rows[i].site);
	free(c->rows);
	free(c);
}

int sites_census_on(const struct sites_census *c) { return c && c->on; }

static int cmp_delta(const void *a, const void *b)
{
	const struct sites_delta *x = a, *y = b;
	if (x->dbytes != y->dbytes)
		return x->dbytes < y->dbytes ? 1 : -1;
	if (x->dcount != y->dcount)
		return x->dcount < y->dcount ? 1 : -1;
	return strcmp(x->site, y->site);
}

long sites_census_diff(const struct sites_census *a, const struct sites_census *b,
		       struct sites_delta **out)
{
	size_t na = a ? a->n : 0, nb = b ? b->n : 0, i = 0, j = 0, n = 0;
	struct sites_delta *d = calloc(na + nb + 1, sizeof *d);
	*out = NULL;
	if (!d)
		return -1;
	while (i < na || j < nb) {
		int c = i >= na ? 1 : j >= nb ? -1 : strcmp(a->rows[i].site, b->rows[j].site);
		struct sites_delta *r = &d[n++];
		const char *site = c <= 0 ? a->rows[i].site : b->rows[j].site;
		snprintf(r->site, sizeof r->site, "%s", site);
		if (c <= 0) {
			r->count0 = a->rows[i].count;
			r->bytes0 = a->rows[i].bytes;
			i++;
		}
		if (c >= 0) {
			r->count1 = b->rows[j].count;
			r->bytes1 = b->rows[j].bytes;
			j++;
		}
		r->dcount = (int64_t)r->count1 - (int64_t)r->count0;
		r->dbytes = (int64_t)r->bytes1 - (int64_t)r->bytes0;
	}
	qsort(d, n, sizeof *d, cmp_delta);
	*out = d;
	return (long)n;
}
