/* dwarfidx — see dwarfidx.h. */
#include "dwarfidx.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FILES 8

/* ---- a tiny string-keyed hash (open addressing) ---- */

struct ent {
	const char *key;
	int file;               /* index into dwidx.dbg */
	Dwarf_Off off;          /* DIE offset; for enumerators: the value */
	int conflict;
};
struct map { struct ent *e; size_t cap, n; };

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static const struct ent *map_getn(const struct map *m, const char *key, size_t n)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash_str(key, n) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->e[i].key)
			return NULL;
		if (strlen(m->e[i].key) == n && !memcmp(m->e[i].key, key, n))
			return &m->e[i];
	}
}

static const struct ent *map_get(const struct map *m, const char *key)
{
	return map_getn(m, key, strlen(key));
}

/* First definition wins.  Returns the existing entry for a duplicate key,
 * NULL when the key was new. */
static struct ent *map_put(struct map *m, const char *key, int file, Dwarf_Off off)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 4096;
		struct ent *ne = calloc(ncap, sizeof *ne);
		if (!ne) {
			perror("calloc");
			exit(2);
		}
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->e[i].key)
				continue;
			size_t j = hash_str(m->e[i].key, strlen(m->e[i].key)) & (ncap - 1);
			while (ne[j].key)
				j = (j + 1) & (ncap - 1);
			ne[j] = m->e[i];
		}
		free(m->e);
		m->e = ne;
		m->cap = ncap;
	}
	size_t i = hash_str(key, strlen(key)) & (m->cap - 1);
	for (; m->e[i].key; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->e[i].key, key))
			return &m->e[i];
	m->e[i] = (struct ent){ key, file, off, 0 };
	m->n++;
	return NULL;
}

/* Wanted type names, with owned keys. */
static struct map wanted;

void dwidx_want(const char *p, size_t n)
{
	if (n > 7 && !strncmp(p, "struct ", 7))
		p += 7, n -= 7;
	else if (n > 6 && !strncmp(p, "union ", 6))
		p += 6, n -= 6;
	const char *dot = memchr(p, '.', n);
	if (dot)
		n = (size_t)(dot - p);
	if (map_getn(&wanted, p, n))
		return;
	char *k = strndup(p, n);
	if (!k) {
		perror("strndup");
		exit(2);
	}
	map_put(&wanted, k, 0, 0);
}

void dwidx_want_free(void)
{
	for (size_t i = 0; i < wanted.cap; i++)
		free((char *)wanted.e[i].key);
	free(wanted.e);
	memset(&wanted, 0, sizeof wanted);
}

/* ---- the index ---- */

struct dwidx {
	Dwarf *dbg[MAX_FILES];
	int fd[MAX_FILES];
	int nfiles;
	struct map structs;     /* complete struct/union definitions by tag name */
	struct map typedefs;    /* typedef name -> typedef DIE */
	struct map enums;       /* enumerator name -> value */
	int ptr_size;           /* CU address size */
};

int dwidx_ptr_size(const struct dwidx *d)
{
	return d->ptr_size;
}

/* Byte size of a type after stripping typedefs/qualifiers, or -1 when it
 * ends in a declaration (incomplete struct: nothing to compare). */
static long complete_size(const Dwarf_Die *die)
{
	Dwarf_Die t = *die;
	for (int guard = 0; guard < 32; guard++) {
		int tag = dwarf_tag(&t);
		if (tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
		    tag == DW_TAG_volatile_type || tag == DW_TAG_atomic_type) {
			Dwarf_Attribute a;
			if (!dwarf_attr(&t, DW_AT_type, &a) || !dwarf_formref_die(&a, &t))
				return -1;
			continue;
		}
		if (dwarf_hasattr(&t, DW_AT_declaration))
			return -1;
		Dwarf_Word sz;
		return dwarf_aggregate_size(&t, &sz) == 0 ? (long)sz : -1;
	}
	return -1;
}

static void index_enumerators(struct dwidx *d, Dwarf_Die *et, const char *path)
{
	Dwarf_Die c;
	if (dwarf_child(et, &c) != 0)
		return;
	do {
		if (dwarf_tag(&c) != DW_TAG_enumerator)
			continue;
		const char *name = dwarf_diename(&c);
		Dwarf_Attribute a;
		Dwarf_Sword v;
		if (!name || !dwarf_attr(&c, DW_AT_const_value, &a) || dwarf_formsdata(&a, &v) != 0)
			continue;
		struct ent *dup = map_put(&d->enums, name, 0, (Dwarf_Off)(int64_t)v);
		if (dup && (int64_t)dup->off != (int64_t)v && !dup->conflict) {
			if (getenv("HEAPSCOPE_DWARF_DEBUG"))
				fprintf(stderr, "%s: enumerator %s is %lld and %lld\n", path, name,
					(long long)(int64_t)dup->off, (long long)v);
			dup->conflict = 1;
		}
	} while (dwarf_siblingof(&c, &c) == 0);
}

static int index_file(struct dwidx *d, int fi, const char *path)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	uint8_t asz = 0;
	int r;
	while ((r = dwarf_nextcu(d->dbg[fi], off, &next, &hsize, NULL, &asz, NULL)) == 0) {
		Dwarf_Die cu, die;
		if (!d->ptr_size)
			d->ptr_size = asz;
		if (dwarf_offdie(d->dbg[fi], off + hsize, &cu) && dwarf_child(&cu, &die) == 0) {
			do {
				int tag = dwarf_tag(&die);
				if (tag == DW_TAG_enumeration_type) {
					index_enumerators(d, &die, path);
					continue;
				}
				if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type &&
				    tag != DW_TAG_typedef)
					continue;
				const char *name = dwarf_diename(&die);
				if (!name)
					continue;
				struct ent *dup = NULL;
				if (tag == DW_TAG_typedef)
					dup = map_put(&d->typedefs, name, fi, dwarf_dieoffset(&die));
				else if (!dwarf_hasattr(&die, DW_AT_declaration))
					dup = map_put(&d->structs, name, fi, dwarf_dieoffset(&die));
				/* "First wins" is only safe if no other unit (a module
				 * with a private type of the same name) disagrees. */
				if (dup && !dup->conflict && map_get(&wanted, name)) {
					Dwarf_Die first;
					long a = -1, b = complete_size(&die);
					if (dwarf_offdie(d->dbg[dup->file], dup->off, &first))
						a = complete_size(&first);
					if (a >= 0 && b >= 0 && a != b) {
						fprintf(stderr, "%s: two definitions of %s (%ld and %ld bytes)\n",
							path, name, a, b);
						dup->conflict = 1;
					}
				}
			} while (dwarf_siblingof(&die, &die) == 0);
		}
		off = next;
	}
	/* 1 = walked past the last unit; -1 = stopped early, which would
	 * leave types unindexed and make "absent" checks meaningless. */
	if (r != 1) {
		fprintf(stderr, "%s: CU walk stopped at %#llx: %s\n", path,
			(unsigned long long)off, dwarf_errmsg(-1));
		return -1;
	}
	return 0;
}

struct dwidx *dwidx_open(const char *const *paths, int n)
{
	struct dwidx *d = calloc(1, sizeof *d);
	if (!d || n > MAX_FILES) {
		free(d);
		return NULL;
	}
	for (int i = 0; i < MAX_FILES; i++)
		d->fd[i] = -1;
	for (int i = 0; i < n; i++) {
		d->fd[i] = open(paths[i], O_RDONLY);
		if (d->fd[i] < 0) {
			fprintf(stderr, "%s: cannot open\n", paths[i]);
			dwidx_close(d);
			return NULL;
		}
		d->dbg[i] = dwarf_begin(d->fd[i], DWARF_C_READ);
		d->nfiles = i + 1;
		if (!d->dbg[i]) {
			fprintf(stderr, "%s: dwarf_begin: %s\n", paths[i], dwarf_errmsg(-1));
			dwidx_close(d);
			return NULL;
		}
		if (index_file(d, i, paths[i]) != 0) {
			dwidx_close(d);
			return NULL;
		}
	}
	return d;
}

void dwidx_close(struct dwidx *d)
{
	if (!d)
		return;
	for (int i = 0; i < MAX_FILES; i++) {
		if (d->dbg[i])
			dwarf_end(d->dbg[i]);
		if (d->fd[i] >= 0)
			close(d->fd[i]);
	}
	free(d->structs.e);
	free(d->typedefs.e);
	free(d->enums.e);
	free(d);
}

/* Strip typedefs and cv-qualifiers; swap a declaration for the complete
 * definition of the same tag.  0 on success. */
static int resolve(struct dwidx *d, Dwarf_Die *t)
{
	for (int guard = 0; guard < 32; guard++) {
		int tag = dwarf_tag(t);
		if (tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
		    tag == DW_TAG_volatile_type || tag == DW_TAG_atomic_type ||
		    tag == DW_TAG_restrict_type) {
			Dwarf_Attribute a;
			if (!dwarf_attr(t, DW_AT_type, &a) || !dwarf_formref_die(&a, t))
				return -1;
			continue;
		}
		if ((tag == DW_TAG_structure_type || tag == DW_TAG_union_type) &&
		    dwarf_hasattr(t, DW_AT_declaration)) {
			const char *name = dwarf_diename(t);
			const struct ent *e = name ? map_get(&d->structs, name) : NULL;
			if (!e || !dwarf_offdie(d->dbg[e->file], e->off, t))
				return -1;
		}
		return 0;
	}
	return -1;
}

/* "PyCodeObject", "struct _frame", "union X" -> resolved type DIE.
 * 0, -1 (no such type) or -2 (conflicting definitions). */
static int find_type(struct dwidx *d, const char *name, size_t len, Dwarf_Die *out)
{
	char buf[256];
	if (len >= sizeof buf)
		return -1;
	memcpy(buf, name, len);
	buf[len] = 0;
	const struct ent *e;
	if (!strncmp(buf, "struct ", 7) || !strncmp(buf, "union ", 6)) {
		const char *tag = strchr(buf, ' ') + 1;
		e = map_get(&d->structs, tag);
		if (e && e->conflict)
			return -2;
		if (!e || !dwarf_offdie(d->dbg[e->file], e->off, out))
			return -1;
		int want = buf[0] == 's' ? DW_TAG_structure_type : DW_TAG_union_type;
		return dwarf_tag(out) == want ? 0 : -1;
	}
	e = map_get(&d->typedefs, buf);
	if (e && e->conflict)
		return -2;
	if (!e || !dwarf_offdie(d->dbg[e->file], e->off, out))
		return -1;
	return resolve(d, out);
}

static int member_location(Dwarf_Die *m, long *off)
{
	Dwarf_Attribute a;
	if (!dwarf_attr(m, DW_AT_data_member_location, &a)) {
		*off = 0;           /* union members and bitfields may carry none */
		return 0;
	}
	Dwarf_Word w;
	if (dwarf_formudata(&a, &w) == 0) {
		*off = (long)w;
		return 0;
	}
	/* DWARF 2-style location expression: DW_OP_plus_uconst N */
	Dwarf_Op *ops;
	size_t nops;
	if (dwarf_getlocation(&a, &ops, &nops) == 0 && nops == 1 &&
	    (ops[0].atom == DW_OP_plus_uconst || ops[0].atom == DW_OP_constu)) {
		*off = (long)ops[0].number;
		return 0;
	}
	return -1;
}

/* Find member `name` (length len) of aggregate *t, looking through
 * anonymous struct/union members.  Adds its offset to *off, sets *t to the
 * member's resolved type and *mdie (if non-NULL) to the member DIE.
 * 0 found, -1 not found. */
static int find_member(struct dwidx *d, Dwarf_Die *t, const char *name, size_t len,
		       long *off, Dwarf_Die *mdie)
{
	Dwarf_Die c;
	if (dwarf_child(t, &c) != 0)
		return -1;
	do {
		if (dwarf_tag(&c) != DW_TAG_member)
			continue;
		const char *n = dwarf_diename(&c);
		long here;
		if (member_location(&c, &here) != 0)
			continue;
		Dwarf_Attribute a;
		Dwarf_Die mt;
		if (!dwarf_attr(&c, DW_AT_type, &a) || !dwarf_formref_die(&a, &mt))
			continue;
		if (n && strlen(n) == len && !memcmp(n, name, len)) {
			if (mdie)
				*mdie = c;
			if (resolve(d, &mt) != 0)
				return -1;
			*off += here;
			*t = mt;
			return 0;
		}
		if (!n && resolve(d, &mt) == 0 &&
		    (dwarf_tag(&mt) == DW_TAG_structure_type || dwarf_tag(&mt) == DW_TAG_union_type)) {
			long sub = *off + here;
			Dwarf_Die inner = mt;
			if (find_member(d, &inner, name, len, &sub, mdie) == 0) {
				*off = sub;
				*t = inner;
				return 0;
			}
		}
	} while (dwarf_siblingof(&c, &c) == 0);
	return -1;
}

/* Walk "Type.a.b": *t ends as the last member's type, *mdie its DIE. */
static enum dw_look walk(struct dwidx *d, const char *spec, size_t slen, long *val,
			 Dwarf_Die *t, Dwarf_Die *mdie, int *nmembers)
{
	const char *dot = memchr(spec, '.', slen);
	size_t tlen = dot ? (size_t)(dot - spec) : slen;
	int ft = find_type(d, spec, tlen, t);
	*nmembers = 0;
	if (ft != 0)
		return ft == -2 ? DW_CONFLICT : DW_NO_TYPE;
	if (!dot)
		return DW_FOUND;
	long off = 0;
	const char *p = dot + 1, *end = spec + slen;
	while (p < end) {
		const char *q = memchr(p, '.', (size_t)(end - p));
		size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
		if (find_member(d, t, p, n, &off, mdie) != 0)
			return DW_NO_MEMBER;
		(*nmembers)++;
		p = q ? q + 1 : end;
	}
	*val = off;
	return DW_FOUND;
}

enum dw_look dwidx_offsetof(struct dwidx *d, const char *spec, size_t slen, long *val)
{
	Dwarf_Die t, m;
	int nm;
	long v = 0;
	enum dw_look r = walk(d, spec, slen, &v, &t, &m, &nm);
	if (r == DW_FOUND && nm)
		*val = v;
	return r;
}

enum dw_look dwidx_sizeof(struct dwidx *d, const char *type, size_t len, long *val)
{
	Dwarf_Die t;
	Dwarf_Word sz;
	int ft = find_type(d, type, len, &t);
	if (ft != 0)
		return ft == -2 ? DW_CONFLICT : DW_NO_TYPE;
	if (dwarf_aggregate_size(&t, &sz) != 0)
		return DW_ERROR;
	*val = (long)sz;
	return DW_FOUND;
}

enum dw_look dwidx_bitpos(struct dwidx *d, const char *spec, size_t slen, long *val)
{
	Dwarf_Die t, m;
	int nm;
	long v = 0;
	enum dw_look r = walk(d, spec, slen, &v, &t, &m, &nm);
	if (r != DW_FOUND)
		return r;
	if (!nm)
		return DW_NO_MEMBER;
	Dwarf_Attribute a;
	Dwarf_Word w;
	if (dwarf_attr(&m, DW_AT_data_bit_offset, &a) && dwarf_formudata(&a, &w) == 0) {
		*val = (long)w;
		return DW_FOUND;
	}
	/* DWARF 2/3: bit offset from the most significant bit of a storage
	 * unit of DW_AT_byte_size at the member's location (little-endian). */
	Dwarf_Word bo, bs, by;
	if (dwarf_attr(&m, DW_AT_bit_offset, &a) && dwarf_formudata(&a, &bo) == 0 &&
	    dwarf_attr(&m, DW_AT_bit_size, &a) && dwarf_formudata(&a, &bs) == 0 &&
	    dwarf_attr(&m, DW_AT_byte_size, &a) && dwarf_formudata(&a, &by) == 0) {
		long loc = 0;
		member_location(&m, &loc);
		*val = loc * 8 + (long)(by * 8 - bo - bs);
		return DW_FOUND;
	}
	return DW_ERROR;
}

enum dw_look dwidx_count(struct dwidx *d, const char *spec, size_t slen, long *val)
{
	Dwarf_Die t, m;
	int nm;
	long v = 0;
	enum dw_look r = walk(d, spec, slen, &v, &t, &m, &nm);
	if (r != DW_FOUND)
		return r;
	if (!nm || dwarf_tag(&t) != DW_TAG_array_type)
		return DW_ERROR;
	Dwarf_Die sub;
	if (dwarf_child(&t, &sub) != 0 || dwarf_tag(&sub) != DW_TAG_subrange_type)
		return DW_ERROR;
	Dwarf_Attribute a;
	Dwarf_Word w;
	if (dwarf_attr(&sub, DW_AT_count, &a) && dwarf_formudata(&a, &w) == 0) {
		*val = (long)w;
		return DW_FOUND;
	}
	if (dwarf_attr(&sub, DW_AT_upper_bound, &a) && dwarf_formudata(&a, &w) == 0) {
		*val = (long)w + 1;
		return DW_FOUND;
	}
	return DW_ERROR;
}

enum dw_look dwidx_enum(struct dwidx *d, const char *name, size_t len, long *val)
{
	const struct ent *e = map_getn(&d->enums, name, len);
	if (!e)
		return DW_NO_TYPE;
	if (e->conflict)
		return DW_CONFLICT;
	*val = (long)(int64_t)e->off;
	return DW_FOUND;
}
