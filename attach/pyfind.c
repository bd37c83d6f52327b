/* pyfind — find the CPython runtime of a target from its mapped ELF files.
 *
 * Only files are read, never target memory, so a non-Python or unsupported
 * target is turned away before anything stops it.  See pyfind.h for the
 * order of evidence.  Outline:
 *
 *   1. Candidates are the distinct regular files the target maps with
 *      execute permission (only a loaded ELF has code mappings; this skips
 *      data files the program merely mmap()s).  They are tried by rank:
 *      libpython*, python*, *python* (an embedder such as uwsgi may carry
 *      the interpreter in its own executable, so the rest follow).
 *   2. The first file defining `_PyRuntime` (or a `.PyRuntime` section)
 *      wins.  While looking, the first file exporting classic C-API
 *      symbols is remembered: without `_PyRuntime` it marks an old
 *      interpreter (2.x, 3.0–3.6), which we name in the error.
 *   3. The version comes from the file's own bytes, most to least
 *      trustworthy: `_Py_DebugOffsets` at `_PyRuntime` (3.13+),
 *      `Py_Version` (3.11+), then a scan of .rodata for PY_VERSION
 *      strings constrained by the file name and by what the symbols prove.
 */
#include "pyfind.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "elfsym.h"

/* What we know about the version, and how sure we are. */
struct pyver {
	unsigned hex;           /* PY_VERSION_HEX; 0 = unknown */
	int micro_known;        /* 0: only major.minor (name or "python3.9") */
	int free_threaded;
};

/* Bounds a .rodata string must fit to be taken as PY_VERSION. */
struct vconstraint {
	int major;              /* 0 = any */
	int min_minor, max_minor;
};

/* ==== Small helpers ==== */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Lower rank is tried first; see the file comment. */
static int candidate_rank(const char *path)
{
	const char *b = base_name(path);

	if (strncmp(b, "libpython", 9) == 0)
		return 0;
	if (strncmp(b, "python", 6) == 0)
		return 1;
	if (strstr(b, "python") || strstr(b, "Python"))
		return 2;
	return 3;
}

/* Is `h` a plausible PY_VERSION_HEX (2.x/3.x, a real release level)? */
static int hex_sane(uint64_t h)
{
	unsigned major = (h >> 24) & 0xff, minor = (h >> 16) & 0xff;
	unsigned level = (h >> 4) & 0xf;

	return h <= 0xffffffffu && (major == 2 || major == 3) && minor < 100 &&
	       (level == 0xa || level == 0xb || level == 0xc || level == 0xf);
}

/* Read a little-endian unsigned of 4 or 8 bytes from the file image. */
static int read_uint(struct elf_image *im, raddr_t addr, size_t size,
		     uint64_t *out)
{
	uint32_t v32;

	if (size == 8)
		return elf_image_read(im, addr, out, 8);
	if (size == 4 && elf_image_read(im, addr, &v32, 4) == 0) {
		*out = v32;
		return 0;
	}
	return -1;
}

/* The target's command name for messages ("?" when unreadable). */
static void read_comm(pid_t pid, char *buf, size_t cap)
{
	char p[64];
	FILE *f;

	snprintf(p, sizeof p, "/proc/%d/comm", (int)pid);
	snprintf(buf, cap, "?");
	f = fopen(p, "re");
	if (!f)
		return;
	if (fgets(buf, (int)cap, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* ==== Versions from names and strings ==== */

/* major.minor from a name like libpython3.9.so.1.0, python3.11,
 * libpython3.13t.so, python2.7.  Returns how many parts were found (0, 1
 * or 2); *ft is set when the ABI tag 't' (free-threaded) follows. */
static int name_version(const char *path, int *major, int *minor, int *ft)
{
	const char *b = base_name(path), *p = strstr(b, "python");
	char *end;
	long mj, mn;

	*ft = 0;
	if (!p || !isdigit((unsigned char)p[6]))
		return 0;
	mj = strtol(p + 6, &end, 10);
	if (mj < 2 || mj > 3)
		return 0;
	*major = (int)mj;
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return 1;
	mn = strtol(end + 1, &end, 10);
	if (mn > 99)
		return 1;
	*minor = (int)mn;
	*ft = *end == 't';
	return 2;
}

/* Parse "3.9.18", "3.12.0rc1", "3.13.0a7+" starting at p, which must end
 * with a NUL before `end`.  0 and *hex (PY_VERSION_HEX), or -1. */
static int parse_version(const char *p, const char *end, unsigned *hex)
{
	unsigned part[3] = {0, 0, 0}, level = 0xf, serial = 0;

	for (int i = 0; i < 3; i++) {
		int digits = 0;
		while (p < end && isdigit((unsigned char)*p) && digits < 4) {
			part[i] = part[i] * 10 + (unsigned)(*p++ - '0');
			digits++;
		}
		if (digits == 0 || (i < 2 && (p >= end || *p++ != '.')))
			return -1;
	}
	if (p < end && (*p == 'a' || *p == 'b' || *p == 'r')) {
		level = *p == 'a' ? 0xa : *p == 'b' ? 0xb : 0xc;
		if (*p == 'r' && (++p >= end || *p != 'c'))
			return -1;
		p++;
		if (p >= end || !isdigit((unsigned char)*p))
			return -1;
		while (p < end && isdigit((unsigned char)*p))
			serial = serial * 10 + (unsigned)(*p++ - '0');
	}
	if (p < end && *p == '+')
		p++;
	if (p >= end || *p != '\0' || part[0] < 2 || part[0] > 3 ||
	    part[1] > 99 || part[2] > 255 || serial > 15)
		return -1;
	*hex = part[0] << 24 | part[1] << 16 | part[2] << 8 | level << 4 |
	       serial;
	return 0;
}

static int fits(unsigned hex, const struct vconstraint *c)
{
	int major = (int)(hex >> 24), minor = (int)((hex >> 16) & 0xff);

	return (!c->major || major == c->major) && minor >= c->min_minor &&
	       minor <= c->max_minor;
}

/* Tally of one distinct version string seen in .rodata. */
struct vtally {
	unsigned hex;
	int count;
	int standalone;         /* seen as a whole string, not a path tail */
};

#define MAX_TALLY 64

/* What a scan of .rodata found. */
struct rodata_scan {
	struct vtally t[MAX_TALLY];
	int nt;
	int hint_major, hint_minor; /* from a "python3.9" string */
	int nhints;                 /* distinct such strings (1 = usable) */
};

static void tally_add(struct rodata_scan *r, unsigned hex, int standalone)
{
	for (int i = 0; i < r->nt; i++)
		if (r->t[i].hex == hex) {
			r->t[i].count++;
			r->t[i].standalone |= standalone;
			return;
		}
	if (r->nt < MAX_TALLY)
		r->t[r->nt++] = (struct vtally){hex, 1, standalone};
}

/* "python3.9\0" preceded by NUL or '/': the library directory name that
 * 3.6–3.10 bake into .rodata (lib/python3.9).  It gives major.minor when
 * the file name does not, e.g. for an embedder like uwsgi. */
static void hint_at(struct rodata_scan *r, const char *p, const char *end)
{
	int major, minor = 0, digits = 0;

	if (end - p < 10 || memcmp(p, "python", 6) != 0 ||
	    (p[6] != '2' && p[6] != '3') || p[7] != '.')
		return;
	major = p[6] - '0';
	for (p += 8; p < end && isdigit((unsigned char)*p) && digits < 3; p++)
		minor = minor * 10 + (*p - '0'), digits++;
	if (!digits || p >= end || *p != '\0')
		return;
	if (r->nhints && (r->hint_major != major || r->hint_minor != minor)) {
		r->nhints++;
		return;
	}
	r->hint_major = major;
	r->hint_minor = minor;
	r->nhints = 1;
}

/* Collect every NUL-terminated "[23].N.N[suffix]" in [data, data+len).
 * Matches may be tails of longer strings: the linker merges a string into
 * the tail of a longer one, and pyenv builds keep PY_VERSION only as the
 * end of "/root/.pyenv/versions/3.9.18".  A match must not continue a
 * number ("13.1.0" is not "3.1.0"). */
static void scan_rodata_bytes(const char *data, size_t len,
			      struct rodata_scan *r)
{
	const char *end = data + len;

	for (size_t i = 0; i < len; i++) {
		unsigned hex;
		char prev = i ? data[i - 1] : '\0';

		if (data[i] == 'p' && (prev == '\0' || prev == '/'))
			hint_at(r, data + i, end);
		if ((data[i] != '2' && data[i] != '3') ||
		    isdigit((unsigned char)prev) || prev == '.')
			continue;
		if (parse_version(data + i, end, &hex) == 0)
			tally_add(r, hex, prev == '\0');
	}
}

static void scan_rodata(struct elf_image *im, struct rodata_scan *r)
{
	raddr_t addr;
	uint64_t size;
	char *buf;

	memset(r, 0, sizeof *r);
	if (elf_image_section(im, ".rodata", &addr, &size) != 0 || size == 0)
		return;
	/* Bound the copy: libpython's .rodata is a few MB; a huge static
	 * binary is scanned only in its first 64 MB. */
	if (size > (64u << 20))
		size = 64u << 20;
	buf = malloc(size);
	if (!buf)
		return;
	if (elf_image_read(im, addr, buf, size) == 0)
		scan_rodata_bytes(buf, size, r);
	free(buf);
}

/* PY_VERSION from the .rodata scan.  Only strings that fit the constraint
 * count (major.minor from the file name or the "python3.9" hint, plus what
 * the symbols prove: e.g. _PyRuntime means >= 3.7, which rules out the
 * Unicode database version "3.2.0" that unicodedata carries).  Frequency
 * is weak evidence — the linker merges identical strings, so PY_VERSION
 * usually appears once, as a literal (Debian) or only as the tail of the
 * install prefix (pyenv) — so the order is: most occurrences, then a
 * standalone literal, then the first seen.  0 and *hex, or -1. */
static int version_from_rodata(const struct rodata_scan *r,
			       const struct vconstraint *c, unsigned *hex)
{
	int best = -1;

	for (int i = 0; i < r->nt; i++) {
		const struct vtally *x = &r->t[i], *b = best < 0 ? NULL : &r->t[best];
		if (!fits(x->hex, c))
			continue;
		if (!b || x->count > b->count ||
		    (x->count == b->count && x->standalone > b->standalone))
			best = i;
	}
	if (best < 0)
		return -1;
	*hex = r->t[best].hex;
	return 0;
}

/* ==== Versions from the runtime ==== */

/* 3.13+: _PyRuntime starts with _Py_DebugOffsets {cookie "xdebugpy",
 * u64 version, u64 free_threaded}; .PyRuntime is PROGBITS, so its initial
 * bytes are in the file.  0 or -1. */
static int version_from_debug_offsets(struct elf_image *im, raddr_t runtime,
				      struct pyver *v)
{
	unsigned char b[24];
	uint64_t hex, ft;

	if (!runtime || elf_image_read(im, runtime, b, sizeof b) != 0 ||
	    memcmp(b, "xdebugpy", 8) != 0)
		return -1;
	memcpy(&hex, b + 8, 8);
	memcpy(&ft, b + 16, 8);
	if (!hex_sane(hex))
		return -1;
	v->hex = (unsigned)hex;
	v->micro_known = 1;
	v->free_threaded = ft != 0;
	return 0;
}

/* 3.11+: `const unsigned long Py_Version = PY_VERSION_HEX;`.  0 or -1. */
static int version_from_symbol(struct elf_image *im, struct pyver *v)
{
	raddr_t addr;
	uint64_t size, hex;

	if (elf_image_sym(im, "Py_Version", &addr, &size) != 0 ||
	    read_uint(im, addr, size ? size : 8, &hex) != 0 || !hex_sane(hex))
		return -1;
	v->hex = (unsigned)hex;
	v->micro_known = 1;
	return 0;
}

/* What the symbols prove about the version, narrowed by the file name. */
static struct vconstraint evidence(struct elf_image *im, int has_runtime,
				   int name_parts, int nmajor, int nminor)
{
	struct vconstraint c = {0, 0, 99};

	if (elf_image_sym(im, "PyString_Type", NULL, NULL) == 0)
		c.major = 2;
	else if (elf_image_sym(im, "PyUnicode_Type", NULL, NULL) == 0 ||
		 has_runtime)
		c.major = 3;
	if (has_runtime) {
		c.min_minor = 7; /* _PyRuntime appeared in 3.7 */
		if (elf_image_section(im, ".PyRuntime", NULL, NULL) == 0)
			c.min_minor = 10;
	} else if (c.major == 3) {
		c.max_minor = 6;
	}
	if (name_parts >= 1)
		c.major = nmajor;
	if (name_parts == 2)
		c.min_minor = c.max_minor = nminor;
	return c;
}

/* Determine the version by every means, best first.  `runtime` is 0 for
 * interpreters without _PyRuntime. */
static void detect_version(struct elf_image *im, raddr_t runtime,
			   struct pyver *v)
{
	int nmajor = 0, nminor = 0, nft = 0;
	int parts = name_version(elf_image_path(im), &nmajor, &nminor, &nft);
	struct rodata_scan r;
	struct vconstraint c;

	memset(v, 0, sizeof *v);
	if (version_from_debug_offsets(im, runtime, v) == 0)
		return;
	v->free_threaded = nft;
	if (version_from_symbol(im, v) == 0)
		return;
	scan_rodata(im, &r);
	if (parts < 2 && r.nhints == 1) {
		nmajor = r.hint_major;
		nminor = r.hint_minor;
		parts = 2;
	}
	c = evidence(im, runtime != 0, parts, nmajor, nminor);
	if (version_from_rodata(&r, &c, &v->hex) == 0) {
		v->micro_known = 1;
		return;
	}
	/* Last resort: major.minor only, micro unknown. */
	if (parts == 2)
		v->hex = (unsigned)nmajor << 24 | (unsigned)nminor << 16 | 0xf0;
}

/* Fill version fields of out.  Without a known micro the string is just
 * "3.9", so nobody mistakes the guessed ".0" for a fact. */
static void set_version(struct py_runtime_info *out, const struct pyver *v)
{
	unsigned level = (v->hex >> 4) & 0xf, serial = v->hex & 0xf;
	const char *tag = level == 0xa ? "a" : level == 0xb ? "b" :
			  level == 0xc ? "rc" : "";

	out->version_hex = v->hex;
	out->major = (int)(v->hex >> 24);
	out->minor = (int)((v->hex >> 16) & 0xff);
	out->micro = (int)((v->hex >> 8) & 0xff);
	out->free_threaded = v->free_threaded;
	if (!v->hex)
		snprintf(out->version, sizeof out->version, "unknown");
	else if (!v->micro_known)
		snprintf(out->version, sizeof out->version, "%d.%d",
			 out->major, out->minor);
	else if (*tag)
		snprintf(out->version, sizeof out->version, "%d.%d.%d%s%u",
			 out->major, out->minor, out->micro, tag, serial);
	else
		snprintf(out->version, sizeof out->version, "%d.%d.%d",
			 out->major, out->minor, out->micro);
}

/* ==== Candidate files ==== */

struct cand {
	const char *path;       /* borrowed from maps */
	int rank;
	size_t order;           /* position in maps, for a stable sort */
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank - y->rank;
	/* Keep maps order within a rank (qsort is not stable). */
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Distinct paths of files mapped executable.  Caller frees *out. */
static enum hs_status list_candidates(const struct mem_map *maps, size_t n,
				      struct cand **out, size_t *nout,
				      struct hs_err *err)
{
	struct cand *c = calloc(n ? n : 1, sizeof *c);
	size_t k = 0;

	if (!c)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *p = maps[i].path;
		size_t j;

		if (!p || p[0] != '/' || strncmp(p, "/dev/", 5) == 0 ||
		    !(maps[i].prot & PROT_EXEC))
			continue;
		for (j = 0; j < k && strcmp(c[j].path, p) != 0; j++)
			;
		if (j == k)
			c[k++] = (struct cand){p, candidate_rank(p), i};
	}
	qsort(c, k, sizeof *c, cmp_cand);
	*out = c;
	*nout = k;
	return HS_OK;
}

/* Address and size of _PyRuntime in im: the symbol, or the .PyRuntime
 * section (3.10+ keeps it even when the symbol is stripped).  0 or -1. */
static int find_runtime_in(struct elf_image *im, raddr_t *addr,
			   uint64_t *size)
{
	if (elf_image_sym(im, "_PyRuntime", addr, size) == 0)
		return 0;
	return elf_image_section(im, ".PyRuntime", addr, size);
}

/* Does im export the classic C API (any CPython 2.x/3.x)? */
static int has_python_symbols(struct elf_image *im)
{
	static const char *const names[] = {
		"Py_Initialize", "PyObject_GetAttr", "PyUnicode_Type",
		"PyString_Type",
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (elf_image_sym(im, names[i], NULL, NULL) == 0)
			return 1;
	return 0;
}

/* Result of scanning the candidates; images owned by the caller. */
struct scan {
	struct elf_image *runtime_im;   /* defines _PyRuntime */
	struct elf_image *legacy_im;    /* Python symbols, no _PyRuntime */
	struct hs_err open_err;         /* first python-ish file we failed */
	int open_failed;
};

static void scan_candidates(pid_t pid, const struct mem_map *maps, size_t n,
			    const struct cand *c, size_t nc, struct scan *s)
{
	for (size_t i = 0; i < nc; i++) {
		struct elf_image *im;
		struct hs_err e;
		raddr_t a;
		uint64_t sz;

		if (elf_image_open(pid, maps, n, c[i].path, &im, &e) != HS_OK) {
			/* A libc we cannot open is no loss; a libpython we
			 * cannot open explains a later "not Python". */
			if (c[i].rank <= 1 && !s->open_failed) {
				s->open_err = e;
				s->open_failed = 1;
			}
			continue;
		}
		if (find_runtime_in(im, &a, &sz) == 0) {
			s->runtime_im = im;
			return;
		}
		if (!s->legacy_im && has_python_symbols(im))
			s->legacy_im = im;
		else
			elf_image_free(im);
	}
}

/* ==== Filling the result ==== */

static raddr_t sym_or_0(struct elf_image *im, const char *name)
{
	raddr_t a;

	return elf_image_sym(im, name, &a, NULL) == 0 ? a : 0;
}

static void fill_common(struct elf_image *im, struct py_runtime_info *out)
{
	snprintf(out->path, sizeof out->path, "%s", elf_image_path(im));
	elf_image_build_id(im, out->build_id, sizeof out->build_id);
	out->stripped = !elf_image_has_symtab(im);
	out->sym_none = sym_or_0(im, "_Py_NoneStruct");
	out->sym_true = sym_or_0(im, "_Py_TrueStruct");
	out->sym_false = sym_or_0(im, "_Py_FalseStruct");
	if (!out->sym_false)   /* 2.7: False is the int 0, _Py_ZeroStruct */
		out->sym_false = sym_or_0(im, "_Py_ZeroStruct");
	out->sym_ellipsis = sym_or_0(im, "_Py_EllipsisObject");
	out->sym_notimplemented = sym_or_0(im, "_Py_NotImplementedStruct");
	/* A PyObject* variable: the reader dereferences it in the target. */
	out->sym_set_dummy = sym_or_0(im, "_PySet_Dummy");
	out->sym_type_type = sym_or_0(im, "PyType_Type");
	out->sym_object_type = sym_or_0(im, "PyBaseObject_Type");
	out->sym_tm_config = sym_or_0(im, "_Py_tracemalloc_config");
	if (!out->sym_tm_config)     /* 3.7: a static of Modules/_tracemalloc.c */
		out->sym_tm_config = sym_or_0(im, "tracemalloc_config");
	out->sym_tm_traces = sym_or_0(im, "tracemalloc_traces");
}

/* The "which heapscope does not support" error for a found interpreter. */
static enum hs_status unsupported(pid_t pid, const struct py_runtime_info *o,
				  int micro_known, struct hs_err *err)
{
	const char *what = o->free_threaded ? " (free-threaded build)" : "";

	if (!o->version_hex)
		return hs_fail(err, HS_ERR_UNSUPPORTED,
			       "PID %d runs a CPython (%s) whose version "
			       "heapscope cannot determine, so it cannot pick "
			       "a layout; supported: " PY_SUPPORTED_TEXT,
			       (int)pid, o->path);
	return hs_fail(err, HS_ERR_UNSUPPORTED,
		       "PID %d runs Python %s%s%s from %s, which heapscope "
		       "does not support; supported: " PY_SUPPORTED_TEXT,
		       (int)pid, o->version, micro_known ? "" : ".x", what,
		       o->path);
}

static int is_supported(const struct py_runtime_info *o)
{
	return o->version_hex && !o->free_threaded && o->major == 3 &&
	       o->minor >= PY_MIN_MINOR;   /* newer ones: layout_for() decides */
}

static enum hs_status from_runtime(pid_t pid, struct elf_image *im,
				   struct py_runtime_info *out,
				   struct hs_err *err)
{
	struct pyver v;

	find_runtime_in(im, &out->runtime, &out->runtime_size);
	fill_common(im, out);
	detect_version(im, out->runtime, &v);
	set_version(out, &v);
	/* 3.13+: keep the file's _Py_DebugOffsets for layout_for() */
	size_t n = sizeof out->dbg_image;
	if (out->runtime_size && out->runtime_size < n)
		n = (size_t)out->runtime_size;
	if (out->runtime && elf_image_read(im, out->runtime, out->dbg_image, n) == 0 &&
	    memcmp(out->dbg_image, "xdebugpy", 8) == 0)
		out->dbg_image_len = n;
	if (!is_supported(out))
		return unsupported(pid, out, v.micro_known, err);
	return HS_OK;
}

/* The one static variable called `name` of `want` bytes (0: any size), or
 * 0: several files may have a static of that name, and then we cannot tell
 * which is gcmodule.c's. */
static raddr_t static_var(struct elf_image *im, const char *name, uint64_t want)
{
	raddr_t a;
	uint64_t size;

	if (elf_image_sym_count(im, name) != 1 || elf_image_sym(im, name, &a, &size) != 0 ||
	    (want && size != want))
		return 0;
	return a;
}

/* 2.7 and 3.6 (no _PyRuntime): the interpreter list and the GC state are static
 * variables of pystate.c and gcmodule.c, in .symtab only (pyenv builds
 * keep it).  HS_OK, or HS_ERR_UNSUPPORTED naming what is missing. */
static enum hs_status legacy_statics(pid_t pid, struct elf_image *im,
				     struct py_runtime_info *out, struct hs_err *err)
{
	uint64_t gsize = 0;

	out->sym_interp_head = static_var(im, "interp_head", 8);
	out->sym_gc_generations = static_var(im, "generations", 0);
	if (out->sym_gc_generations)
		elf_image_sym(im, "generations", NULL, &gsize);
	out->sym_gc_generation0 = sym_or_0(im, "_PyGC_generation0");
	out->sym_gc_enabled = static_var(im, "enabled", 4);
	out->sym_gc_collecting = static_var(im, "collecting", 4);
	out->sym_gc_debug = static_var(im, "debug", 4);
	out->sym_gc_garbage = static_var(im, "garbage", 8);
	out->sym_gc_stats = static_var(im, "generation_stats", 0);
	if (!out->sym_interp_head || !out->sym_gc_generations || !gsize || gsize % 3)
		return hs_fail(err, HS_ERR_UNSUPPORTED,
			       "PID %d runs Python %s (%s), but that file has no symbol table "
			       "with the static variables interp_head and generations, which "
			       "locate the interpreter and the garbage collector of Python "
			       "before 3.7; use a build that keeps its symbols (.symtab), as "
			       "pyenv's do", (int)pid, out->version, out->path);
	return HS_OK;
}

/* An interpreter older than _PyRuntime (2.x, 3.0–3.6): 3.6 is read
 * through its static variables; the others are unsupported, but say which
 * one it is. */
static enum hs_status from_legacy(pid_t pid, struct elf_image *im,
				  struct py_runtime_info *out,
				  struct hs_err *err)
{
	struct pyver v;

	fill_common(im, out);
	detect_version(im, 0, &v);
	set_version(out, &v);
	if (v.hex && !out->free_threaded &&
	    ((out->major == 3 && out->minor == 6) || (out->major == 2 && out->minor == 7)))
		return legacy_statics(pid, im, out, err);
	if (!v.hex)
		return hs_fail(err, HS_ERR_UNSUPPORTED,
			       "PID %d runs an old CPython (%s: 2.x or 3.0-3.6, "
			       "no _PyRuntime), which heapscope does not "
			       "support; supported: " PY_SUPPORTED_TEXT,
			       (int)pid, out->path);
	/* A 3.7+ without the symbol: the version may be fine, the binary is
	 * what we cannot use (3.8/3.9 have no .PyRuntime section either). */
	if (out->major == 3 && out->minor >= 7)
		return hs_fail(err, HS_ERR_UNSUPPORTED,
			       "PID %d runs Python %s (%s), but that file does "
			       "not export _PyRuntime (stripped or statically "
			       "linked without --export-dynamic), so heapscope "
			       "cannot find the interpreter; use a build that "
			       "keeps its symbols",
			       (int)pid, out->version, out->path);
	return unsupported(pid, out, v.micro_known, err);
}

static enum hs_status not_python(pid_t pid, struct hs_err *err)
{
	char comm[64];

	read_comm(pid, comm, sizeof comm);
	return hs_fail(err, HS_ERR_NOT_PYTHON,
		       "PID %d (%s) is not a CPython process: no mapped file "
		       "defines _PyRuntime or Py_Initialize. If it embeds "
		       "Python statically without symbols, heapscope cannot "
		       "locate the interpreter; rebuild it without stripping "
		       "the symbol table or link with -Wl,--export-dynamic.",
		       (int)pid, comm);
}

enum hs_status py_find_runtime(pid_t pid, const struct mem_map *maps, size_t n,
			       struct py_runtime_info *out, struct hs_err *err)
{
	struct scan s = {0};
	struct cand *c = NULL;
	size_t nc = 0;
	enum hs_status st;

	memset(out, 0, sizeof *out);
	st = list_candidates(maps, n, &c, &nc, err);
	if (st != HS_OK)
		return st;
	scan_candidates(pid, maps, n, c, nc, &s);
	free(c);

	struct elf_image *py = s.runtime_im ? s.runtime_im : s.legacy_im;
	if (py && (st = elf_image_check_arch(py, pid, err)) != HS_OK)
		snprintf(out->path, sizeof out->path, "%s", elf_image_path(py));
	else if (s.runtime_im)
		st = from_runtime(pid, s.runtime_im, out, err);
	else if (s.legacy_im)
		st = from_legacy(pid, s.legacy_im, out, err);
	else if (s.open_failed) {
		if (err)
			*err = s.open_err;
		st = s.open_err.code;
	} else
		st = not_python(pid, err);
	elf_image_free(s.runtime_im);
	elf_image_free(s.legacy_im);
	return st;
}
