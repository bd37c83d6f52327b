/* snapfile — write and read snapshot files.  See snapfile.h and
 * doc/FORMAT.md (the format's one description; keep them in step). */
#include "snapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "elfsym.h"
#include "proc.h"
#include "testhook.h"

/* ==== Format constants (doc/FORMAT.md) ==== */

#define HDR_LEN 32
#define SEC_HDR_LEN 24

enum sec_type {
	SEC_END = 0,
	SEC_META = 1,
	SEC_MAPS = 2,
	SEC_RANGES = 3,
	SEC_MEMORY = 4,
};

#define SEC_ZSTD 1u

enum range_kind {
	RK_REGION = 0,  /* copied in the pause; bytes in MEMORY */
	RK_LAZY = 1,    /* left in the target (read on demand); no bytes */
	RK_DATA = 2,    /* bytes outside the copy: read-only file data, the
			   lazy payloads as read after the resume; in MEMORY */
};
#define RANGE_LEN 24

/* Reader limits: a well-formed file is far below each. */
#define MAX_SMALL_SECTION ((uint64_t)64 << 20)   /* META, MAPS, RANGES */
#define MAX_META_VALUE (1u << 20)
#define MAX_RANGES (1u << 24)
#define MAX_MAPS (1u << 20)
#define PAGE 4096u

/* ==== Little-endian helpers ==== */

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ==== The runtime facts (py_runtime_info), by name ==== */

enum fk { F_U64, F_INT, F_UINT, F_STR };

static const struct rt_field {
	const char *key;
	size_t off, size;
	enum fk kind;
} rt_fields[] = {
#define U64(f) {"rt." #f, offsetof(struct py_runtime_info, f), sizeof(raddr_t), F_U64}
#define INT(f) {"rt." #f, offsetof(struct py_runtime_info, f), sizeof(int), F_INT}
#define STR(f) {"rt." #f, offsetof(struct py_runtime_info, f), \
		sizeof(((struct py_runtime_info *)0)->f), F_STR}
	{"rt.version_hex", offsetof(struct py_runtime_info, version_hex), sizeof(unsigned), F_UINT},
	INT(major), INT(minor), INT(micro), STR(version), U64(runtime), U64(runtime_size),
	STR(path), INT(stripped), INT(free_threaded),
	U64(sym_none), U64(sym_true), U64(sym_false), U64(sym_ellipsis),
	U64(sym_notimplemented), U64(sym_set_dummy), U64(sym_type_type), U64(sym_object_type),
	STR(build_id),
	U64(sym_interp_head), U64(sym_gc_generations), U64(sym_gc_generation0),
	U64(sym_gc_enabled), U64(sym_gc_collecting), U64(sym_gc_garbage), U64(sym_gc_stats),
	U64(sym_gc_debug),
	U64(sym_tm_config), U64(sym_tm_traces),
#undef U64
#undef INT
#undef STR
};

/* A field added to py_runtime_info must be added to rt_fields (and to
 * doc/FORMAT.md) or files lose it: this fails to compile until then. */
_Static_assert(sizeof(struct py_runtime_info) == 5392,
	       "py_runtime_info changed: store the new field in rt_fields (snapfile.c) "
	       "and doc/FORMAT.md, then update this size");

/* ==== Writer ==== */

struct buf {
	unsigned char *p;
	size_t n, cap;
	int oom;
};

static void buf_put(struct buf *b, const void *data, size_t len)
{
	if (b->oom)
		return;
	if (b->n + len > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + len)
			cap *= 2;
		unsigned char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, len);
	b->n += len;
}

static void buf_u32(struct buf *b, uint32_t v)
{
	unsigned char x[4];
	put32(x, v);
	buf_put(b, x, 4);
}

static void buf_u64(struct buf *b, uint64_t v)
{
	unsigned char x[8];
	put64(x, v);
	buf_put(b, x, 8);
}

static void kv_bin(struct buf *b, const char *key, const void *val, size_t len)
{
	buf_u32(b, (uint32_t)strlen(key));
	buf_put(b, key, strlen(key));
	buf_u32(b, (uint32_t)len);
	buf_put(b, val, len);
}

static void kv_str(struct buf *b, const char *key, const char *val)
{
	kv_bin(b, key, val ? val : "", val ? strlen(val) : 0);
}

static void kv_u64(struct buf *b, const char *key, uint64_t v)
{
	char t[32];
	snprintf(t, sizeof t, "%llu", (unsigned long long)v);
	kv_str(b, key, t);
}

static void kv_i64(struct buf *b, const char *key, int64_t v)
{
	char t[32];
	snprintf(t, sizeof t, "%lld", (long long)v);
	kv_str(b, key, t);
}

static void kv_dbl(struct buf *b, const char *key, double v)
{
	char t[40];
	snprintf(t, sizeof t, "%.17g", v);
	kv_str(b, key, t);
}

/* A range of the file's table, and where its bytes are (NULL: none). */
struct wrange {
	raddr_t start, end;
	uint32_t kind;
	const unsigned char *data;
};

struct wranges {
	struct wrange *v;
	size_t n, cap;
	int oom;
};

static void wr_add(struct wranges *r, raddr_t start, raddr_t end, uint32_t kind,
		   const unsigned char *data)
{
	if (r->oom || end <= start)
		return;
	/* contiguous data of the same kind and buffer: one range */
	if (r->n && kind == RK_DATA && r->v[r->n - 1].kind == RK_DATA &&
	    r->v[r->n - 1].end == start &&
	    r->v[r->n - 1].data + (start - r->v[r->n - 1].start) == data) {
		r->v[r->n - 1].end = end;
		return;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct wrange *v = realloc(r->v, cap * sizeof *v);
		if (!v) {
			r->oom = 1;
			return;
		}
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = (struct wrange){start, end, kind, data};
}

/* Host buffers of read-only data read for the file (freed at the end). */
struct rodata {
	unsigned char **bufs;
	size_t n, cap;
};

#define RODATA_CAP ((uint64_t)256 << 20)
#define CHUNK ((size_t)1 << 20)

/* Is the mapping read-only data of an ELF file: readable, not writable,
 * not code, file-backed, and the file's first mapping starts "\x7fELF"? */
static int ro_elf_data(memsrc *m, const struct mem_map *mp, const struct mem_map *maps,
		       size_t n)
{
	if (!(mp->prot & 1) || (mp->prot & 2) || (mp->prot & 4) || !mp->path ||
	    mp->path[0] != '/')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (maps[i].path && maps[i].offset == 0 && !strcmp(maps[i].path, mp->path)) {
			unsigned char mag[4];
			return mem_read(m, maps[i].start, mag, 4) == 0 && !memcmp(mag, "\x7f" "ELF", 4);
		}
	return 0;
}

/* Read [start, end) from the target (outside the copy) into a new buffer,
 * adding a data range per readable run of pages. */
static void read_rodata(memsrc *m, raddr_t start, raddr_t end, struct rodata *ro,
			struct wranges *wr, uint64_t *total)
{
	size_t len = (size_t)(end - start);
	if (*total + len > RODATA_CAP)
		return;
	unsigned char *p = malloc(len ? len : 1);
	if (!p)
		return;
	if (ro->n == ro->cap) {
		size_t cap = ro->cap ? ro->cap * 2 : 64;
		unsigned char **v = realloc(ro->bufs, cap * sizeof *v);
		if (!v) {
			free(p);
			return;
		}
		ro->bufs = v;
		ro->cap = cap;
	}
	ro->bufs[ro->n++] = p;
	for (size_t off = 0; off < len;) {
		size_t n = len - off < CHUNK ? len - off : CHUNK;
		if (mem_read(m, start + off, p + off, n) == 0) {
			wr_add(wr, start + off, start + off + n, RK_DATA, p + off);
			*total += n;
			off += n;
			continue;
		}
		/* page by page: keep what is readable */
		for (size_t q = 0; q < n; q += PAGE) {
			size_t k = n - q < PAGE ? n - q : PAGE;
			if (mem_read(m, start + off + q, p + off + q, k) == 0) {
				wr_add(wr, start + off + q, start + off + q + k, RK_DATA, p + off + q);
				*total += k;
			}
		}
		off += n;
	}
}

static int range_cmp(const void *a, const void *b)
{
	const struct wrange *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

struct writer {
	FILE *f;
	ZSTD_CCtx *cc;
	const char *tmp;
	uint64_t written;
	int failed;
	int errnum;
};

static void w_put(struct writer *w, const void *p, size_t n)
{
	if (w->failed)
		return;
	if (fwrite(p, 1, n, w->f) != n) {
		w->failed = 1;
		w->errnum = errno;
		return;
	}
	w->written += n;
}

static void sec_header(struct writer *w, uint32_t type, uint32_t flags, uint64_t stored,
		       uint64_t raw)
{
	unsigned char h[SEC_HDR_LEN];
	put32(h, type);
	put32(h + 4, flags);
	put64(h + 8, stored);
	put64(h + 16, raw);
	w_put(w, h, sizeof h);
}

/* A small section: compressed in one call. */
static void w_small(struct writer *w, uint32_t type, const struct buf *b)
{
	if (w->failed)
		return;
	size_t bound = ZSTD_compressBound(b->n);
	void *out = malloc(bound);
	if (!out) {
		w->failed = 1;
		w->errnum = ENOMEM;
		return;
	}
	size_t n = ZSTD_compress2(w->cc, out, bound, b->p ? b->p : (const void *)"", b->n);
	if (ZSTD_isError(n)) {
		free(out);
		w->failed = 1;
		w->errnum = ENOMEM;
		return;
	}
	sec_header(w, type, SEC_ZSTD, n, b->n);
	w_put(w, out, n);
	free(out);
}

/* The MEMORY section: one zstd stream over every range's bytes, the stored
 * length patched in at the end. */
static void w_memory(struct writer *w, const struct wranges *wr, uint64_t raw)
{
	if (w->failed)
		return;
	long at = ftell(w->f);
	sec_header(w, SEC_MEMORY, SEC_ZSTD, 0, raw);
	size_t ocap = ZSTD_CStreamOutSize();
	unsigned char *obuf = malloc(ocap);
	if (!obuf) {
		w->failed = 1;
		w->errnum = ENOMEM;
		return;
	}
	uint64_t stored = 0;
	for (size_t i = 0; i <= wr->n && !w->failed; i++) {
		const struct wrange *r = i < wr->n ? &wr->v[i] : NULL;
		if (r && !r->data)
			continue;
		ZSTD_inBuffer in = {r ? r->data : NULL, r ? (size_t)(r->end - r->start) : 0, 0};
		ZSTD_EndDirective mode = r ? ZSTD_e_continue : ZSTD_e_end;
		for (;;) {
			ZSTD_outBuffer out = {obuf, ocap, 0};
			size_t left = ZSTD_compressStream2(w->cc, &out, &in, mode);
			if (ZSTD_isError(left)) {
				w->failed = 1;
				w->errnum = ENOMEM;
				break;
			}
			w_put(w, obuf, out.pos);
			stored += out.pos;
			if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size)
				break;
		}
	}
	free(obuf);
	if (w->failed)
		return;
	unsigned char x[8];
	put64(x, stored);
	long end = ftell(w->f);
	if (at < 0 || end < 0 || fseek(w->f, at + 8, SEEK_SET) != 0 ||
	    fwrite(x, 1, 8, w->f) != 8 || fseek(w->f, end, SEEK_SET) != 0) {
		w->failed = 1;
		w->errnum = errno;
	}
}

static void graph_syms(struct hs_snapshot *s, raddr_t *st, raddr_t *lookdict)
{
	*st = *lookdict = 0;
	const char *nosym = hs_test_env("HEAPSCOPE_GRAPH_NO_SYMBOLS");
	size_t nmaps;
	const struct mem_map *maps = mem_maps(s->mem, &nmaps);
	struct elf_image *im = NULL;
	struct hs_err e;
	if (s->pid && maps && !(nosym && *nosym == '1') &&
	    elf_image_open(s->pid, maps, nmaps, s->rt.path, &im, &e) == HS_OK) {
		raddr_t a;
		if (elf_image_sym(im, "subtype_traverse", &a, NULL) == 0)
			*st = a;
		if (s->L.keys_lookup >= 0 && elf_image_sym(im, "lookdict", &a, NULL) == 0)
			*lookdict = a;
		elf_image_free(im);
	}
}

static void meta_build(struct buf *b, struct hs_snapshot *s, const struct snapfile_opts *o,
		       const struct snapfile_stats *st)
{
	const struct memsrc_info *mi = mem_info(s->mem);
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	char cmd[4096] = "";
	if (s->cmdline)
		snprintf(cmd, sizeof cmd, "%s", s->cmdline);
	else
		proc_cmdline(s->pid, cmd, sizeof cmd);
	char exe[PATH_MAX] = "";
	if (s->exe)
		snprintf(exe, sizeof exe, "%s", s->exe);
	else {
		char link[64];
		snprintf(link, sizeof link, "/proc/%d/exe", (int)s->pid);
		ssize_t n = readlink(link, exe, sizeof exe - 1);
		exe[n > 0 ? n : 0] = 0;
	}
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);

	kv_str(b, "writer", o && o->writer ? o->writer : "heapscope");
	kv_dbl(b, "written_at", now.tv_sec + now.tv_nsec / 1e9);
	kv_str(b, "hostname", s->hostname ? s->hostname : host);
	kv_str(b, "cmdline", cmd);
	kv_str(b, "exe", exe);
	kv_i64(b, "pid", s->pid);
	kv_i64(b, "ns_pid", s->ns_pid);
	kv_str(b, "container", s->container);
	kv_u64(b, "rss", s->file ? s->rss : proc_rss(s->pid));
	kv_str(b, "source", s->file ? s->source_kind : mi->kind);
	kv_dbl(b, "taken_at", mi->taken_at);
	kv_dbl(b, "pause_ms", mi->pause_ms);
	kv_dbl(b, "copy_ms", mi->copy_ms);
	kv_i64(b, "threads", mi->threads);
	kv_u64(b, "bytes_copied", mi->bytes_copied);
	kv_u64(b, "bytes_lazy", mi->bytes_lazy);
	kv_u64(b, "lazy_failed", mi->lazy_failed);
	kv_i64(b, "attempts", s->attempts);
	kv_dbl(b, "retry_pause_ms", s->retry_pause_ms);
	kv_dbl(b, "snapshot_ms", s->took_ms);
	char table[16];
	snprintf(table, sizeof table, "%d.%d", s->L.major, s->L.minor);
	kv_str(b, "layout.table", table);
	kv_str(b, "layout.note", s->layout_note);
	kv_u64(b, "rodata_bytes", st->rodata_bytes);
	for (size_t i = 0; i < sizeof rt_fields / sizeof *rt_fields; i++) {
		const struct rt_field *f = &rt_fields[i];
		const char *p = (const char *)&s->rt + f->off;
		if (f->kind == F_U64) {
			uint64_t v;
			memcpy(&v, p, 8);
			kv_u64(b, f->key, v);
		} else if (f->kind == F_INT) {
			int v;
			memcpy(&v, p, sizeof v);
			kv_i64(b, f->key, v);
		} else if (f->kind == F_UINT) {
			unsigned v;
			memcpy(&v, p, sizeof v);
			kv_u64(b, f->key, v);
		} else {
			kv_bin(b, f->key, p, strnlen(p, f->size));
		}
	}
	kv_bin(b, "rt.dbg_image", s->rt.dbg_image,
	       s->rt.dbg_image_len <= sizeof s->rt.dbg_image ? s->rt.dbg_image_len : 0);
	raddr_t stv, ld;
	if (s->syms_known) {
		stv = s->sym_subtype_traverse;
		ld = s->sym_lookdict;
	} else {
		graph_syms(s, &stv, &ld);
	}
	kv_u64(b, "sym.subtype_traverse", stv);
	kv_u64(b, "sym.lookdict", ld);
}

enum hs_status snapfile_write(struct hs_snapshot *s, const char *path,
			      const struct snapfile_opts *o, struct snapfile_stats *st,
			      struct hs_err *err)
{
	double t0 = now_ms();
	memsrc *m = s->mem;
	struct snapfile_stats local;
	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	st->level = o && o->level ? o->level : SNAPFILE_LEVEL_DEFAULT;
	st->threads = o && o->threads >= 0 ? o->threads : SNAPFILE_THREADS_DEFAULT;

	struct wranges wr = {0};
	struct rodata ro = {0};
	struct buf meta = {0}, maps = {0}, ranges = {0};
	enum hs_status rc = HS_OK;

	/* Copied regions */
	size_t nreg = mem_nregions(m);
	for (size_t i = 0; i < nreg; i++) {
		raddr_t a, e;
		mem_region(m, i, &a, &e);
		const unsigned char *p = mem_ptr(m, a, (size_t)(e - a));
		if (!p) {
			rc = hs_fail(err, HS_ERR_INTERNAL, "region %#llx has no copy",
				     (unsigned long long)a);
			goto out;
		}
		wr_add(&wr, a, e, RK_REGION, p);
	}
	/* Lazy ranges: declared, and their contents as read now (a block
	 * that cannot be read any more stays missing, as it would live). */
	size_t nlz = mem_nlazy(m);
	for (size_t i = 0; i < nlz; i++) {
		raddr_t a, e;
		mem_lazy_range(m, i, &a, &e);
		wr_add(&wr, a, e, RK_LAZY, NULL);
		for (raddr_t b = a; b < e;) {
			raddr_t be = b + ((raddr_t)64 << 10) < e ? b + ((raddr_t)64 << 10) : e;
			const unsigned char *p = mem_lazy_ptr(m, b, (size_t)(be - b));
			if (p) {
				wr_add(&wr, b, be, RK_DATA, p);
				st->lazy_bytes += be - b;
			}
			b = be;
		}
	}
	/* Read-only data of the ELF files: static type names, method and
	 * member tables, strings in .rodata. */
	size_t nmaps;
	const struct mem_map *mp = mem_maps(m, &nmaps);
	for (size_t i = 0; i < nmaps; i++)
		if (ro_elf_data(m, &mp[i], mp, nmaps) && !mem_in_copy(m, mp[i].start, 1))
			read_rodata(m, mp[i].start, mp[i].end, &ro, &wr, &st->rodata_bytes);
	if (wr.oom) {
		rc = hs_fail(err, HS_ERR_NOMEM, "out of memory listing the snapshot's ranges");
		goto out;
	}
	qsort(wr.v, wr.n, sizeof *wr.v, range_cmp);

	/* META */
	meta_build(&meta, s, o, st);
	/* MAPS */
	buf_u32(&maps, (uint32_t)nmaps);
	for (size_t i = 0; i < nmaps; i++) {
		buf_u64(&maps, mp[i].start);
		buf_u64(&maps, mp[i].end);
		buf_u64(&maps, mp[i].offset);
		buf_u64(&maps, mp[i].inode);
		buf_u32(&maps, mp[i].prot);
		buf_u32(&maps, (uint32_t)mp[i].shared);
		size_t pl = mp[i].path ? strlen(mp[i].path) : 0;
		buf_u32(&maps, mp[i].path ? (uint32_t)pl : UINT32_MAX);
		buf_put(&maps, mp[i].path ? mp[i].path : "", pl);
	}
	/* RANGES */
	uint64_t raw = 0;
	buf_u32(&ranges, (uint32_t)wr.n);
	for (size_t i = 0; i < wr.n; i++) {
		buf_u64(&ranges, wr.v[i].start);
		buf_u64(&ranges, wr.v[i].end);
		buf_u32(&ranges, wr.v[i].kind);
		buf_u32(&ranges, 0);
		if (wr.v[i].data)
			raw += wr.v[i].end - wr.v[i].start;
	}
	if (meta.oom || maps.oom || ranges.oom) {
		rc = hs_fail(err, HS_ERR_NOMEM, "out of memory preparing the snapshot file");
		goto out;
	}
	st->memory_bytes = raw;

	size_t plen = strlen(path);
	char *tmp = malloc(plen + 5);
	if (!tmp) {
		rc = hs_fail(err, HS_ERR_NOMEM, "out of memory");
		goto out;
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp", 5);
	struct writer w = {.tmp = tmp};
	w.f = fopen(tmp, "wb");
	if (!w.f) {
		rc = hs_fail(err, HS_ERR_READ, "cannot write %s: %s; choose another file with -o",
			     tmp, strerror(errno));
		free(tmp);
		goto out;
	}
	w.cc = ZSTD_createCCtx();
	if (!w.cc) {
		fclose(w.f);
		unlink(tmp);
		free(tmp);
		rc = hs_fail(err, HS_ERR_NOMEM, "out of memory (zstd)");
		goto out;
	}
	ZSTD_CCtx_setParameter(w.cc, ZSTD_c_compressionLevel, st->level);
	ZSTD_CCtx_setParameter(w.cc, ZSTD_c_checksumFlag, 1);
	if (st->threads > 0 && ZSTD_isError(ZSTD_CCtx_setParameter(w.cc, ZSTD_c_nbWorkers,
								  st->threads)))
		st->threads = 0;   /* a libzstd without threads */

	unsigned char hdr[HDR_LEN] = {0};
	memcpy(hdr, SNAPFILE_MAGIC, 8);
	hdr[8] = SNAPFILE_MAJOR & 0xff;
	hdr[9] = SNAPFILE_MAJOR >> 8;
	hdr[10] = SNAPFILE_MINOR & 0xff;
	hdr[11] = SNAPFILE_MINOR >> 8;
	put32(hdr + 12, HDR_LEN);
	w_put(&w, hdr, sizeof hdr);
	w_small(&w, SEC_META, &meta);
	w_small(&w, SEC_MAPS, &maps);
	w_small(&w, SEC_RANGES, &ranges);
	w_memory(&w, &wr, raw);
	sec_header(&w, SEC_END, 0, 0, 0);
	ZSTD_freeCCtx(w.cc);
	if (!w.failed && fflush(w.f) != 0) {
		w.failed = 1;
		w.errnum = errno;
	}
	if (fclose(w.f) != 0 && !w.failed) {
		w.failed = 1;
		w.errnum = errno;
	}
	if (!w.failed && rename(tmp, path) != 0) {
		w.failed = 1;
		w.errnum = errno;
	}
	if (w.failed) {
		unlink(tmp);
		rc = hs_fail(err, w.errnum == ENOMEM ? HS_ERR_NOMEM : HS_ERR_READ,
			     "cannot write %s: %s; free some space or choose another file with -o",
			     path, strerror(w.errnum));
	}
	free(tmp);
	st->file_bytes = w.written;
out:
	for (size_t i = 0; i < ro.n; i++)
		free(ro.bufs[i]);
	free(ro.bufs);
	free(wr.v);
	free(meta.p);
	free(maps.p);
	free(ranges.p);
	st->write_ms = now_ms() - t0;
	return rc;
}

/* ==== Reader ==== */

struct meta_kv {
	const char *key;
	size_t klen;
	const unsigned char *val;
	size_t vlen;
};

struct meta {
	struct meta_kv *kv;
	size_t n;
};

static const struct meta_kv *meta_get(const struct meta *mt, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i < mt->n; i++)
		if (mt->kv[i].klen == kl && !memcmp(mt->kv[i].key, key, kl))
			return &mt->kv[i];
	return NULL;
}

/* A string value into out (cap bytes with the NUL); "" when absent.
 * -1 when it does not fit or holds a NUL. */
static int meta_str(const struct meta *mt, const char *key, char *out, size_t cap)
{
	const struct meta_kv *v = meta_get(mt, key);
	out[0] = 0;
	if (!v)
		return 0;
	if (v->vlen >= cap || memchr(v->val, 0, v->vlen))
		return -1;
	memcpy(out, v->val, v->vlen);
	out[v->vlen] = 0;
	return 0;
}

static char *meta_dup(const struct meta *mt, const char *key)
{
	const struct meta_kv *v = meta_get(mt, key);
	size_t n = v ? v->vlen : 0;
	char *s = malloc(n + 1);
	if (!s)
		return NULL;
	if (n)
		memcpy(s, v->val, n);
	s[n] = 0;
	for (size_t i = 0; i < n; i++)   /* a NUL inside: cut there */
		if (!s[i])
			break;
	return s;
}

/* Integers: decimal, optional '-' for signed.  -1 when absent and
 * required, or malformed. */
static int meta_i64(const struct meta *mt, const char *key, int required, int64_t *out)
{
	char t[32];
	*out = 0;
	if (meta_str(mt, key, t, sizeof t) != 0)
		return -1;
	if (!t[0])
		return required ? -1 : 0;
	char *end;
	errno = 0;
	long long v = strtoll(t, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int meta_u64(const struct meta *mt, const char *key, int required, uint64_t *out)
{
	char t[32];
	*out = 0;
	if (meta_str(mt, key, t, sizeof t) != 0)
		return -1;
	if (!t[0])
		return required ? -1 : 0;
	if (t[0] < '0' || t[0] > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(t, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static double meta_dbl(const struct meta *mt, const char *key)
{
	char t[48];
	if (meta_str(mt, key, t, sizeof t) != 0 || !t[0])
		return 0;
	char *end;
	double v = strtod(t, &end);
	return *end || v != v ? 0 : v;
}

struct section {
	uint32_t type, flags;
	const unsigned char *data;
	uint64_t stored, raw;
};

struct rrange {
	raddr_t start, end;
	uint32_t kind;
	unsigned char *dst;   /* where its bytes go (RK_REGION, RK_DATA) */
};

/* The file backend: the RK_DATA ranges, served to reads outside the copy. */
struct filesrc {
	struct rrange *data;     /* sorted by start, non-overlapping */
	size_t ndata;
	unsigned char *arena;    /* their bytes */
	size_t arena_len;
};

static int file_read_uncopied(memsrc *m, raddr_t addr, void *buf, size_t len)
{
	struct filesrc *f = memsrc_impl(m);
	unsigned char *out = buf;
	if (!f || addr + len < addr)
		return -1;
	while (len) {
		size_t lo = 0, hi = f->ndata;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (f->data[mid].end <= addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo >= f->ndata || addr < f->data[lo].start)
			return -1;
		const struct rrange *r = &f->data[lo];
		size_t n = r->end - addr < len ? (size_t)(r->end - addr) : len;
		memcpy(out, r->dst + (addr - r->start), n);
		out += n;
		addr += n;
		len -= n;
	}
	return 0;
}

static void file_close(memsrc *m)
{
	struct filesrc *f = memsrc_impl(m);
	if (!f)
		return;
	if (f->arena)
		munmap(f->arena, f->arena_len);
	free(f->data);
	free(f);
}

static const struct memsrc_ops file_ops = {
	.read_uncopied = file_read_uncopied,
	.close = file_close,
};

static enum hs_status bad(struct hs_err *err, const char *name, const char *what)
{
	return hs_fail(err, HS_ERR_BAD_FILE, "%s is not a readable heapscope snapshot: %s "
		       "(the file is truncated or corrupt; copy it again, or save a new one)",
		       name, what);
}

static int rrange_cmp(const void *a, const void *b)
{
	const struct rrange *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void *anon(size_t len)
{
	void *p = mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static uint64_t ram_bytes(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), ps = sysconf(_SC_PAGESIZE);
	return pages > 0 && ps > 0 ? (uint64_t)pages * (uint64_t)ps : (uint64_t)1 << 34;
}

/* Decompress a small section into a new buffer of exactly raw bytes. */
static unsigned char *small_section(const struct section *sc, ZSTD_DCtx *dc)
{
	if (!(sc->flags & SEC_ZSTD)) {
		if (sc->stored != sc->raw)
			return NULL;
		unsigned char *p = malloc(sc->raw ? sc->raw : 1);
		if (p && sc->raw)
			memcpy(p, sc->data, sc->raw);
		return p;
	}
	unsigned char *p = malloc(sc->raw ? sc->raw : 1);
	if (!p)
		return NULL;
	size_t n = ZSTD_decompressDCtx(dc, p, sc->raw, sc->data, sc->stored);
	if (ZSTD_isError(n) || n != sc->raw) {
		free(p);
		return NULL;
	}
	return p;
}

enum hs_status snapfile_open_mem(const unsigned char *fb, size_t flen, const char *name,
				 uint64_t max_bytes, struct hs_snapshot **out,
				 struct hs_err *err)
{
	enum hs_status rc = HS_OK;
	struct section sec[5] = {{0}};
	unsigned char *metab = NULL, *mapsb = NULL, *rangesb = NULL;
	struct meta mt = {0};
	struct rrange *rr = NULL;
	struct mem_map *maps = NULL;
	size_t nmaps = 0;
	memsrc *m = NULL;
	struct filesrc *fs = NULL;
	struct hs_snapshot *s = NULL;
	ZSTD_DCtx *dc = NULL;

	*out = NULL;
	if (flen < 8 || memcmp(fb, SNAPFILE_MAGIC, 8))
		return bad(err, name, "no snapshot header");
	if (flen < HDR_LEN)
		return bad(err, name, "the header is cut short");
	unsigned major = fb[8] | (unsigned)fb[9] << 8, minor = fb[10] | (unsigned)fb[11] << 8;
	uint32_t hlen = get32(fb + 12);
	if (major != SNAPFILE_MAJOR)
		return hs_fail(err, HS_ERR_FILE_VERSION, "%s is a snapshot of format %u.%u; this "
			       "heapscope reads format %d.x: open it with a newer heapscope",
			       name, major, minor, SNAPFILE_MAJOR);
	if (hlen < HDR_LEN || hlen > flen)
		return bad(err, name, "bad header length");
	/* Sections, in order; unknown types (a newer minor) are skipped. */
	size_t pos = hlen;
	int seen_end = 0;
	for (int guard = 0; guard < 4096 && !seen_end; guard++) {
		if (flen - pos < SEC_HDR_LEN)
			return bad(err, name, "a section header is cut short");
		struct section sc = {get32(fb + pos), get32(fb + pos + 4), NULL,
				     get64(fb + pos + 8), get64(fb + pos + 16)};
		pos += SEC_HDR_LEN;
		if (sc.stored > flen - pos)
			return bad(err, name, "a section runs past the end of the file");
		sc.data = fb + pos;
		pos += (size_t)sc.stored;
		if (sc.type == SEC_END) {
			seen_end = 1;
			break;
		}
		if (sc.type > SEC_MEMORY)
			continue;
		if (sec[sc.type].data || (sc.type != SEC_MEMORY && sc.raw > MAX_SMALL_SECTION))
			return bad(err, name, "a section is repeated or too large");
		if (sc.flags & ~SEC_ZSTD)
			return bad(err, name, "unknown section flags");
		if (sc.type == SEC_MEMORY && (!sec[SEC_RANGES].data))
			return bad(err, name, "memory before its ranges");
		sec[sc.type] = sc;
	}
	if (!seen_end)
		return bad(err, name, "no end marker (the file was cut short)");
	if (!sec[SEC_META].data || !sec[SEC_MAPS].data || !sec[SEC_RANGES].data ||
	    !sec[SEC_MEMORY].data)
		return bad(err, name, "a section is missing");

	dc = ZSTD_createDCtx();
	if (!dc)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory (zstd)");
	ZSTD_DCtx_setParameter(dc, ZSTD_d_windowLogMax, 27);
	if (!(metab = small_section(&sec[SEC_META], dc)) ||
	    !(mapsb = small_section(&sec[SEC_MAPS], dc)) ||
	    !(rangesb = small_section(&sec[SEC_RANGES], dc))) {
		rc = bad(err, name, "a section does not decompress");
		goto out;
	}
	/* META */
	{
		size_t n = 0, cap = 0, p = 0, len = (size_t)sec[SEC_META].raw;
		while (p < len) {
			if (len - p < 4)
				goto meta_bad;
			uint32_t kl = get32(metab + p);
			p += 4;
			if (kl > 256 || len - p < kl)
				goto meta_bad;
			const char *k = (const char *)metab + p;
			p += kl;
			if (len - p < 4)
				goto meta_bad;
			uint32_t vl = get32(metab + p);
			p += 4;
			if (vl > MAX_META_VALUE || len - p < vl)
				goto meta_bad;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				struct meta_kv *v = realloc(mt.kv, cap * sizeof *v);
				if (!v) {
					rc = hs_fail(err, HS_ERR_NOMEM, "out of memory");
					goto out;
				}
				mt.kv = v;
			}
			mt.kv[n++] = (struct meta_kv){k, kl, metab + p, vl};
			mt.n = n;
			p += vl;
		}
	}
	/* MAPS */
	{
		size_t len = (size_t)sec[SEC_MAPS].raw, p = 4;
		if (len < 4 || get32(mapsb) > MAX_MAPS)
			goto maps_bad;
		size_t want = get32(mapsb);
		maps = calloc(want ? want : 1, sizeof *maps);
		if (!maps) {
			rc = hs_fail(err, HS_ERR_NOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < want; i++) {
			if (len - p < 44)
				goto maps_bad;
			struct mem_map *mp = &maps[i];
			mp->start = get64(mapsb + p);
			mp->end = get64(mapsb + p + 8);
			mp->offset = get64(mapsb + p + 16);
			mp->inode = get64(mapsb + p + 24);
			mp->prot = get32(mapsb + p + 32) & 7;
			mp->shared = get32(mapsb + p + 36) ? 1 : 0;
			uint32_t pl = get32(mapsb + p + 40);
			p += 44;
			nmaps = i + 1;
			if (pl != UINT32_MAX) {
				if (pl > PATH_MAX || len - p < pl)
					goto maps_bad;
				if (!(mp->path = malloc(pl + 1))) {
					rc = hs_fail(err, HS_ERR_NOMEM, "out of memory");
					goto out;
				}
				memcpy(mp->path, mapsb + p, pl);
				mp->path[pl] = 0;
				p += pl;
			}
			if (mp->end <= mp->start || (i && mp->start < maps[i - 1].end))
				goto maps_bad;
		}
	}
	/* RANGES */
	size_t nr;
	uint64_t raw = 0, regions_bytes = 0;
	size_t ndata = 0;
	{
		size_t len = (size_t)sec[SEC_RANGES].raw;
		if (len < 4 || get32(rangesb) > MAX_RANGES ||
		    (len - 4) / RANGE_LEN < get32(rangesb))
			goto ranges_bad;
		nr = get32(rangesb);
		rr = calloc(nr ? nr : 1, sizeof *rr);
		if (!rr) {
			rc = hs_fail(err, HS_ERR_NOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < nr; i++) {
			const unsigned char *q = rangesb + 4 + i * RANGE_LEN;
			rr[i].start = get64(q);
			rr[i].end = get64(q + 8);
			rr[i].kind = get32(q + 16);
			if (rr[i].end <= rr[i].start || rr[i].kind > RK_DATA ||
			    ((rr[i].start | rr[i].end) % PAGE && rr[i].kind == RK_LAZY))
				goto ranges_bad;
			uint64_t sz = rr[i].end - rr[i].start;
			if (rr[i].kind != RK_LAZY) {
				if (raw + sz < raw)
					goto ranges_bad;
				raw += sz;
			}
			if (rr[i].kind == RK_DATA) {
				ndata++;
			} else {
				if (regions_bytes + sz < regions_bytes)
					goto ranges_bad;
				regions_bytes += sz;
			}
		}
		if (raw != sec[SEC_MEMORY].raw)
			goto ranges_bad;
	}
	uint64_t cap = max_bytes ? max_bytes : ram_bytes();
	if (raw > cap || regions_bytes > cap)
		{
		rc = hs_fail(err, HS_ERR_NOMEM, "%s needs %.1f MB of memory to open; this machine "
			     "(or --max-copy) allows %.1f MB: open it on a bigger machine",
			     name, (raw > regions_bytes ? raw : regions_bytes) / 1e6, cap / 1e6);
		goto out;
	}
	/* No two regions/lazy ranges overlap; no two data ranges overlap. */
	{
		struct rrange *tmp = malloc((nr ? nr : 1) * sizeof *tmp);
		if (!tmp) {
			rc = hs_fail(err, HS_ERR_NOMEM, "out of memory");
			goto out;
		}
		for (int pass = 0; pass < 2; pass++) {
			size_t k = 0;
			for (size_t i = 0; i < nr; i++)
				if ((rr[i].kind == RK_DATA) == pass)
					tmp[k++] = rr[i];
			qsort(tmp, k, sizeof *tmp, rrange_cmp);
			for (size_t i = 1; i < k; i++)
				if (tmp[i].start < tmp[i - 1].end) {
					free(tmp);
					goto ranges_bad;
				}
		}
		free(tmp);
	}

	fs = calloc(1, sizeof *fs);
	m = fs ? memsrc_new(&file_ops, fs) : NULL;
	if (!m) {
		free(fs);
		fs = NULL;
		rc = hs_fail(err, HS_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* Buffers: a region directly followed by a lazy range shares one
	 * mapping with it (mem_ptr runs from one into the other, as live). */
	{
		fs->data = calloc(ndata ? ndata : 1, sizeof *fs->data);
		uint64_t dbytes = 0;
		for (size_t i = 0; i < nr; i++)
			if (rr[i].kind == RK_DATA)
				dbytes += rr[i].end - rr[i].start;
		fs->arena_len = (size_t)dbytes;
		fs->arena = dbytes ? anon(fs->arena_len) : NULL;
		if (!fs->data || (dbytes && !fs->arena)) {
			rc = hs_fail(err, HS_ERR_NOMEM, "out of memory for the snapshot's data");
			goto out;
		}
		/* the lazy ranges, sorted, to find the one after a region */
		size_t nl = 0;
		for (size_t i = 0; i < nr; i++)
			nl += rr[i].kind == RK_LAZY;
		struct rrange *lz = calloc(nl ? nl : 1, sizeof *lz);
		unsigned char *used = calloc(nl ? nl : 1, 1);
		if (!lz || !used) {
			free(lz);
			free(used);
			rc = hs_fail(err, HS_ERR_NOMEM, "out of memory");
			goto out;
		}
		nl = 0;
		for (size_t i = 0; i < nr; i++)
			if (rr[i].kind == RK_LAZY)
				lz[nl++] = rr[i];
		qsort(lz, nl, sizeof *lz, rrange_cmp);
		size_t at = 0;
		for (size_t i = 0; i < nr && rc == HS_OK; i++) {
			struct rrange *r = &rr[i];
			size_t len = (size_t)(r->end - r->start);
			if (r->kind == RK_DATA) {
				r->dst = fs->arena + at;
				fs->data[fs->ndata++] = *r;
				at += len;
				continue;
			}
			if (r->kind != RK_REGION)
				continue;
			/* a lazy range starting at its end? */
			size_t lo = 0, hi = nl;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (lz[mid].start < r->end)
					lo = mid + 1;
				else
					hi = mid;
			}
			int joined = lo < nl && lz[lo].start == r->end && !used[lo] &&
				     r->end % PAGE == 0 && r->start % PAGE == 0;
			size_t extra = joined ? (size_t)(lz[lo].end - lz[lo].start) : 0;
			unsigned char *p = anon(len + extra);
			if (!p || memsrc_add_region(m, r->start, r->end, p) != 0) {
				if (p)
					munmap(p, len + extra);
				rc = hs_fail(err, HS_ERR_NOMEM, "out of memory for the snapshot's memory");
				break;
			}
			r->dst = p;
			if (joined) {
				used[lo] = 1;
				if (memsrc_add_lazy(m, lz[lo].start, lz[lo].end, p + len) != 0) {
					munmap(p + len, extra);
					rc = bad(err, name, "a bad lazy range");
				}
			}
		}
		for (size_t i = 0; i < nl && rc == HS_OK; i++) {
			if (used[i])
				continue;
			size_t len = (size_t)(lz[i].end - lz[i].start);
			unsigned char *p = anon(len);
			if (!p || memsrc_add_lazy(m, lz[i].start, lz[i].end, p) != 0) {
				if (p)
					munmap(p, len);
				rc = bad(err, name, "a bad lazy range");
			}
		}
		free(lz);
		free(used);
		if (rc != HS_OK)
			goto out;
		qsort(fs->data, fs->ndata, sizeof *fs->data, rrange_cmp);
	}
	/* MEMORY: one stream, in table order */
	{
		const struct section *sc = &sec[SEC_MEMORY];
		if (!(sc->flags & SEC_ZSTD)) {
			if (sc->stored != sc->raw)
				goto memory_bad;
			size_t p = 0;
			for (size_t i = 0; i < nr; i++)
				if (rr[i].dst) {
					size_t len = (size_t)(rr[i].end - rr[i].start);
					memcpy(rr[i].dst, sc->data + p, len);
					p += len;
				}
		} else {
			ZSTD_DCtx_reset(dc, ZSTD_reset_session_only);
			ZSTD_inBuffer in = {sc->data, (size_t)sc->stored, 0};
			size_t last = 1;
			for (size_t i = 0; i < nr; i++) {
				if (!rr[i].dst)
					continue;
				ZSTD_outBuffer o = {rr[i].dst, (size_t)(rr[i].end - rr[i].start), 0};
				while (o.pos < o.size) {
					size_t ip = in.pos, op = o.pos;
					last = ZSTD_decompressStream(dc, &o, &in);
					if (ZSTD_isError(last))
						goto memory_bad;
					if (in.pos == ip && o.pos == op)
						goto memory_bad;   /* no progress: cut short */
				}
			}
			/* the frame must end exactly here (checksum verified) */
			if (last != 0) {
				unsigned char x;
				ZSTD_outBuffer o = {&x, 1, 0};
				for (int g = 0; g < 64 && last != 0; g++) {
					size_t ip = in.pos;
					last = ZSTD_decompressStream(dc, &o, &in);
					if (ZSTD_isError(last) || o.pos || (in.pos == ip && last))
						goto memory_bad;
				}
			}
			if (last != 0 || in.pos != in.size)
				goto memory_bad;
		}
	}
	memsrc_set_maps(m, maps, nmaps);
	maps = NULL;
	nmaps = 0;

	/* The snapshot */
	s = calloc(1, sizeof *s);
	if (!s) {
		rc = hs_fail(err, HS_ERR_NOMEM, "out of memory");
		goto out;
	}
	s->mem = m;
	m = NULL;
	{
		int64_t v;
		uint64_t u;
		struct memsrc_info *mi = memsrc_info_mut(s->mem);
		if (meta_i64(&mt, "pid", 1, &v) || v < 0 || v > INT32_MAX)
			goto meta_bad;
		s->pid = (pid_t)v;
		mi->pid = s->pid;
		mi->kind = "file";
		if (meta_i64(&mt, "ns_pid", 0, &v) || v < 0 || v > INT32_MAX)
			goto meta_bad;
		s->ns_pid = (pid_t)v;
		if (meta_str(&mt, "container", s->container, sizeof s->container))
			goto meta_bad;
		mi->taken_at = meta_dbl(&mt, "taken_at");
		mi->pause_ms = meta_dbl(&mt, "pause_ms");
		mi->copy_ms = meta_dbl(&mt, "copy_ms");
		if (meta_i64(&mt, "threads", 0, &v) || v < 0 || v > INT32_MAX)
			goto meta_bad;
		mi->threads = (int)v;
		if (meta_u64(&mt, "lazy_failed", 0, &u))
			goto meta_bad;
		(void)u;
		if (meta_i64(&mt, "attempts", 0, &v) || v < 0 || v > 1000)
			goto meta_bad;
		s->attempts = v ? (int)v : 1;
		s->retry_pause_ms = meta_dbl(&mt, "retry_pause_ms");
		s->took_ms = meta_dbl(&mt, "snapshot_ms");
		if (meta_u64(&mt, "rss", 0, &s->rss))
			goto meta_bad;
		char kind[sizeof s->source_kind];
		if (meta_str(&mt, "source", kind, sizeof kind))
			goto meta_bad;
		snprintf(s->source_kind, sizeof s->source_kind, "%s", kind[0] ? kind : "live");
		if (!(s->hostname = meta_dup(&mt, "hostname")) ||
		    !(s->cmdline = meta_dup(&mt, "cmdline")) ||
		    !(s->exe = meta_dup(&mt, "exe")) ||
		    !(s->writer = meta_dup(&mt, "writer")) ||
		    !(s->file = strdup(name))) {
			rc = hs_fail(err, HS_ERR_NOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < sizeof rt_fields / sizeof *rt_fields; i++) {
			const struct rt_field *f = &rt_fields[i];
			char *p = (char *)&s->rt + f->off;
			int req = !strcmp(f->key, "rt.major") || !strcmp(f->key, "rt.minor") ||
				  !strcmp(f->key, "rt.runtime");
			if (f->kind == F_U64) {
				if (meta_u64(&mt, f->key, req, &u))
					goto meta_bad;
				memcpy(p, &u, 8);
			} else if (f->kind == F_INT || f->kind == F_UINT) {
				if (meta_i64(&mt, f->key, req, &v) || v < INT32_MIN || v > UINT32_MAX)
					goto meta_bad;
				if (f->kind == F_INT) {
					int x = (int)v;
					memcpy(p, &x, sizeof x);
				} else {
					unsigned x = (unsigned)v;
					memcpy(p, &x, sizeof x);
				}
			} else if (meta_str(&mt, f->key, p, f->size)) {
				goto meta_bad;
			}
		}
		const struct meta_kv *dbg = meta_get(&mt, "rt.dbg_image");
		if (dbg) {
			if (dbg->vlen > sizeof s->rt.dbg_image)
				goto meta_bad;
			memcpy(s->rt.dbg_image, dbg->val, dbg->vlen);
			s->rt.dbg_image_len = dbg->vlen;
		}
		if (meta_u64(&mt, "sym.subtype_traverse", 0, &s->sym_subtype_traverse) ||
		    meta_u64(&mt, "sym.lookdict", 0, &s->sym_lookdict))
			goto meta_bad;
		s->syms_known = 1;
	}
	/* The layout, chosen again by this heapscope (doc/FORMAT.md). */
	if ((rc = layout_for(&s->rt, s->mem, &s->L, s->layout_note, sizeof s->layout_note,
			     err)) != HS_OK ||
	    (rc = layout_fit(&s->rt, s->mem, &s->L, &s->roots, s->layout_note,
			     sizeof s->layout_note, err)) != HS_OK) {
		hs_err_prefix(err, "%s: ", name);
		goto out;
	}
	*out = s;
	s = NULL;
	goto out;

meta_bad:
	rc = bad(err, name, "bad facts (META section)");
	goto out;
maps_bad:
	rc = bad(err, name, "bad mapping list (MAPS section)");
	goto out;
ranges_bad:
	rc = bad(err, name, "bad address ranges (RANGES section)");
	goto out;
memory_bad:
	rc = bad(err, name, "the memory does not decompress to its ranges (MEMORY section)");
	goto out;
out:
	if (maps) {
		for (size_t i = 0; i < nmaps; i++)
			free(maps[i].path);
		free(maps);
	}
	if (m)
		memsrc_free(m);
	snap_free(s);
	free(rr);
	free(mt.kv);
	free(metab);
	free(mapsb);
	free(rangesb);
	ZSTD_freeDCtx(dc);
	return rc;
}

enum hs_status snapfile_open(const char *path, uint64_t max_bytes, struct hs_snapshot **out,
			     struct hs_err *err)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hs_fail(err, errno == ENOENT ? HS_ERR_USAGE : HS_ERR_READ,
			       "cannot open %s: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return hs_fail(err, HS_ERR_BAD_FILE, "%s is not a regular file", path);
	}
	size_t len = (size_t)sb.st_size;
	void *p = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	close(fd);
	if (p == MAP_FAILED)
		return len ? hs_fail(err, HS_ERR_READ, "cannot read %s: %s", path, strerror(errno))
			   : bad(err, path, "the file is empty");
	enum hs_status st = snapfile_open_mem(p, len, path, max_bytes, out, err);
	munmap(p, len);
	return st;
}

int snapfile_sniff(const char *path)
{
	unsigned char b[8];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, b, sizeof b);
	close(fd);
	return n == 8 && !memcmp(b, SNAPFILE_MAGIC, 8);
}
