/* elfsym — symbols, sections and bytes of one ELF file mapped into a target.
 *
 * Design:
 *  - The file is opened the way the target sees it: /proc/PID/root/<path>
 *    (a container's own filesystem), then /proc/PID/map_files/<range> (the
 *    exact inode mapped, even if the file was replaced or deleted since),
 *    then <path> as a last resort.  A candidate whose inode differs from the
 *    mapping's is only used when nothing better opens (overlayfs may report
 *    different inodes for the same file, so a mismatch is a hint, not proof).
 *  - libelf reads the file with ELF_C_READ_MMAP: nothing is copied, and all
 *    name pointers we hand out point into that mapping, so they stay valid
 *    until elf_image_free().
 *  - The load bias is derived from the target's mappings of the file, never
 *    from the target's memory, so it works before the target is stopped.
 *  - Symbol tables are indexed lazily: py_find_runtime() opens many files
 *    (libc, ld.so…) just to ask "do you define _PyRuntime?", and most are
 *    never asked anything else.
 *  - Every count and offset taken from the file is checked against the data
 *    libelf actually has; a truncated or hostile file gives "not found",
 *    never a crash.  (A file truncated *while* mapped can still SIGBUS; that
 *    is a property of mmap we accept, as every libelf user does.)
 */
#include "elfsym.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One defined FUNC/OBJECT/NOTYPE symbol, value already biased. */
struct esym {
	const char *name;       /* points into the libelf mapping */
	raddr_t addr;           /* run-time address */
	uint64_t size;
	unsigned char type;     /* STT_* */
	unsigned char bind;     /* STB_* */
};

struct elf_image {
	int fd;
	Elf *elf;
	char *path;             /* as the target sees it (maps path) */
	uint64_t bias;
	int has_symtab;
	const char *raw;        /* whole file image (elf_rawfile) */
	size_t rawsize;
	size_t shstrndx;

	/* Lazily built; sym_state 0 = not yet, 1 = loaded, -1 = failed. */
	int sym_state;
	struct esym *syms;      /* sorted by name (bsearch in elf_image_sym) */
	size_t nsyms;
	int addr_state;
	struct esym **byaddr;   /* FUNC/OBJECT with size > 0, by address */
	raddr_t *maxend;        /* maxend[i] = max end of byaddr[0..i] */
	size_t naddr;
};

/* ==== Opening the file ==== */

/* Open `file`, require a regular file; -1 on failure (errno kept). */
static int open_regular(const char *file, struct stat *st)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

/* First mapping of `path` (any), or NULL. */
static const struct mem_map *first_map_of(const struct mem_map *maps, size_t n,
					  const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (maps[i].path && strcmp(maps[i].path, path) == 0)
			return &maps[i];
	return NULL;
}

/* Open the file the target maps at `path`.  Returns an fd or -1 with a
 * message in err (errno of the last attempt). */
static int open_target_file(pid_t pid, const struct mem_map *maps, size_t n,
			    const char *path, struct hs_err *err)
{
	const struct mem_map *m = first_map_of(maps, n, path);
	char cand[3][PATH_MAX + 64];
	int ncand = 0, fallback = -1, last_errno = ENOENT;

	if (path[0] == '/')
		snprintf(cand[ncand++], sizeof cand[0], "/proc/%d/root%s",
			 (int)pid, path);
	if (m)
		snprintf(cand[ncand++], sizeof cand[0],
			 "/proc/%d/map_files/%llx-%llx", (int)pid,
			 (unsigned long long)m->start,
			 (unsigned long long)m->end);
	snprintf(cand[ncand++], sizeof cand[0], "%s", path);

	for (int i = 0; i < ncand; i++) {
		struct stat st;
		int fd = open_regular(cand[i], &st);

		if (fd < 0) {
			last_errno = errno;
			continue;
		}
		/* Same inode as mapped (or nothing to compare): take it. */
		if (!m || m->inode == 0 || (uint64_t)st.st_ino == m->inode) {
			if (fallback >= 0)
				close(fallback);
			return fd;
		}
		if (fallback < 0)
			fallback = fd;
		else
			close(fd);
	}
	if (fallback >= 0)
		return fallback;
	hs_fail(err, HS_ERR_READ,
		"cannot open %s as mapped by PID %d: %s (tried /proc/%d/root%s, "
		"/proc/%d/map_files and the plain path; run heapscope as root or "
		"in the target's mount namespace)",
		path, (int)pid, strerror(last_errno), (int)pid, path, (int)pid);
	return -1;
}

/* ==== Load bias ==== */

/* Run-time bias implied by mapping `m` and PT_LOAD `ph`, if `m` maps part
 * of that segment's file bytes.  0 and *bias, or -1. */
static int bias_from(const struct mem_map *m, const GElf_Phdr *ph,
		     uint64_t pagemask, uint64_t *bias)
{
	uint64_t seg_off = ph->p_offset & ~pagemask;
	uint64_t seg_vaddr = ph->p_vaddr & ~pagemask;

	if (ph->p_type != PT_LOAD || ph->p_filesz == 0)
		return -1;
	if (m->offset < seg_off || m->offset >= ph->p_offset + ph->p_filesz)
		return -1;
	/* p_vaddr ≡ p_offset (mod page), so file offset o sits at
	 * seg_vaddr + (o - seg_off) before relocation. */
	*bias = m->start - (seg_vaddr + (m->offset - seg_off));
	return 0;
}

/* Bias of a PIE/shared object: every mapping of the file votes for the
 * bias it implies; the most votes win (ties: the mapping with the lowest
 * file offset, i.e. the loader's first segment).  Voting keeps a stray
 * mmap() of the same file (a program reading its own binary) from
 * shifting every address.  0 or -1 when no mapping fits any PT_LOAD. */
static int compute_bias(Elf *elf, const struct mem_map *maps, size_t n,
			const char *path, uint64_t *out)
{
	uint64_t pagemask = (uint64_t)sysconf(_SC_PAGESIZE) - 1;
	uint64_t best = 0, best_off = UINT64_MAX;
	size_t phnum, best_votes = 0;

	if (elf_getphdrnum(elf, &phnum) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t b;
		size_t votes = 0;
		int have = 0;

		if (!maps[i].path || strcmp(maps[i].path, path) != 0)
			continue;
		for (size_t p = 0; p < phnum && !have; p++) {
			GElf_Phdr ph;
			if (gelf_getphdr(elf, (int)p, &ph) &&
			    bias_from(&maps[i], &ph, pagemask, &b) == 0)
				have = 1;
		}
		if (!have)
			continue;
		for (size_t j = 0; j < n; j++) {
			uint64_t bj;
			if (!maps[j].path || strcmp(maps[j].path, path) != 0)
				continue;
			for (size_t p = 0; p < phnum; p++) {
				GElf_Phdr ph;
				if (gelf_getphdr(elf, (int)p, &ph) &&
				    bias_from(&maps[j], &ph, pagemask, &bj) == 0 &&
				    bj == b) {
					votes++;
					break;
				}
			}
		}
		if (votes > best_votes ||
		    (votes == best_votes && maps[i].offset < best_off)) {
			best = b;
			best_votes = votes;
			best_off = maps[i].offset;
		}
	}
	if (best_votes == 0)
		return -1;
	*out = best;
	return 0;
}

/* ==== Sections ==== */

/* Find a section by name; its header in *sh.  NULL if absent. */
static Elf_Scn *find_section(struct elf_image *im, const char *name,
			     GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(im->elf, scn)) != NULL) {
		const char *nm;
		if (!gelf_getshdr(scn, sh))
			continue;
		nm = elf_strptr(im->elf, im->shstrndx, sh->sh_name);
		if (nm && strcmp(nm, name) == 0)
			return scn;
	}
	return NULL;
}

/* First section of `type` (SHT_SYMTAB / SHT_DYNSYM) with at least one
 * real entry, or NULL. */
static Elf_Scn *find_section_type(Elf *elf, Elf64_Word type, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn)) != NULL)
		if (gelf_getshdr(scn, sh) && sh->sh_type == type &&
		    sh->sh_entsize != 0 && sh->sh_size / sh->sh_entsize > 1)
			return scn;
	return NULL;
}

/* ==== Symbols ==== */

static int cmp_sym_name(const void *a, const void *b)
{
	const struct esym *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	/* Same name (static helpers in several files): globals first, so
	 * the lookup, which takes the first match, prefers the export. */
	return (x->bind == STB_LOCAL) - (y->bind == STB_LOCAL);
}

/* Keep symbols that name a place in the loaded image: defined, in a real
 * section (not ABS — those are not relocated — nor TLS offsets). */
static int usable_sym(const GElf_Sym *s)
{
	unsigned type = GELF_ST_TYPE(s->st_info);

	if (s->st_shndx == SHN_UNDEF || s->st_shndx == SHN_ABS ||
	    s->st_shndx == SHN_COMMON || s->st_name == 0)
		return 0;
	return type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE ||
	       type == STT_GNU_IFUNC;
}

/* Read .symtab (or .dynsym) into im->syms sorted by name.  0 or -1. */
static int load_symbols(struct elf_image *im)
{
	GElf_Shdr sh;
	Elf_Scn *scn;
	Elf_Data *data;
	size_t count, entsize, k = 0;

	if (im->sym_state)
		return im->sym_state > 0 ? 0 : -1;
	im->sym_state = -1;
	scn = find_section_type(im->elf, SHT_SYMTAB, &sh);
	if (!scn)
		scn = find_section_type(im->elf, SHT_DYNSYM, &sh);
	if (!scn)
		return -1;
	data = elf_getdata(scn, NULL);
	if (!data || !data->d_buf)
		return -1;
	/* Trust the bytes libelf really has, not sh_size. */
	entsize = gelf_fsize(im->elf, ELF_T_SYM, 1, EV_CURRENT);
	if (entsize == 0)
		return -1;
	count = data->d_size / entsize;
	if (count > INT_MAX) /* gelf_getsym takes an int index */
		count = INT_MAX;
	im->syms = calloc(count ? count : 1, sizeof *im->syms);
	if (!im->syms)
		return -1;
	for (size_t i = 1; i < count; i++) {
		GElf_Sym s;
		const char *name;

		if (!gelf_getsym(data, (int)i, &s) || !usable_sym(&s))
			continue;
		name = elf_strptr(im->elf, sh.sh_link, s.st_name);
		if (!name || !*name)
			continue;
		im->syms[k++] = (struct esym){
			.name = name,
			.addr = s.st_value + im->bias,
			.size = s.st_size,
			.type = GELF_ST_TYPE(s.st_info),
			.bind = GELF_ST_BIND(s.st_info),
		};
	}
	im->nsyms = k;
	qsort(im->syms, k, sizeof *im->syms, cmp_sym_name);
	im->sym_state = 1;
	return 0;
}

static int cmp_sym_addr(const void *a, const void *b)
{
	const struct esym *x = *(struct esym *const *)a;
	const struct esym *y = *(struct esym *const *)b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Bigger first, so at one address the innermost (smallest) symbol
	 * comes last and is what a backward search meets first. */
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	/* Locals first: at equal extent the exported name wins. */
	return (y->bind == STB_LOCAL) - (x->bind == STB_LOCAL);
}

/* Build the by-address index of sized FUNC/OBJECT symbols.  0 or -1. */
static int load_addr_index(struct elf_image *im)
{
	size_t k = 0;
	raddr_t mx = 0;

	if (im->addr_state)
		return im->addr_state > 0 ? 0 : -1;
	im->addr_state = -1;
	if (load_symbols(im) != 0)
		return -1;
	im->byaddr = calloc(im->nsyms ? im->nsyms : 1, sizeof *im->byaddr);
	im->maxend = calloc(im->nsyms ? im->nsyms : 1, sizeof *im->maxend);
	if (!im->byaddr || !im->maxend)
		return -1;
	for (size_t i = 0; i < im->nsyms; i++) {
		struct esym *s = &im->syms[i];
		if ((s->type == STT_FUNC || s->type == STT_OBJECT ||
		     s->type == STT_GNU_IFUNC) && s->size > 0 &&
		    s->addr + s->size > s->addr)
			im->byaddr[k++] = s;
	}
	im->naddr = k;
	qsort(im->byaddr, k, sizeof *im->byaddr, cmp_sym_addr);
	for (size_t i = 0; i < k; i++) {
		raddr_t end = im->byaddr[i]->addr + im->byaddr[i]->size;
		if (end > mx)
			mx = end;
		im->maxend[i] = mx;
	}
	im->addr_state = 1;
	return 0;
}

/* ==== Public API ==== */

/* Check the ELF header and compute the bias; 0 or an error code. */
static enum hs_status setup_image(struct elf_image *im, pid_t pid,
				  const struct mem_map *maps, size_t n,
				  struct hs_err *err)
{
	GElf_Ehdr eh;

	if (elf_kind(im->elf) != ELF_K_ELF || !gelf_getehdr(im->elf, &eh))
		return hs_fail(err, HS_ERR_READ, "%s is not an ELF file",
			       im->path);
	if (elf_getshdrstrndx(im->elf, &im->shstrndx) != 0)
		im->shstrndx = SHN_UNDEF; /* no section names: no lookups */
	im->raw = elf_rawfile(im->elf, &im->rawsize);
	if (!im->raw)
		return hs_fail(err, HS_ERR_READ, "%s: %s", im->path,
			       elf_errmsg(-1));
	if (eh.e_type == ET_EXEC)
		return HS_OK; /* linked at its run-time address: bias 0 */
	if (eh.e_type != ET_DYN)
		return hs_fail(err, HS_ERR_READ,
			       "%s is an ELF file of type %u, not an executable "
			       "or shared library", im->path, eh.e_type);
	if (compute_bias(im->elf, maps, n, im->path, &im->bias) != 0)
		return hs_fail(err, HS_ERR_READ,
			       "%s: no mapping in PID %d matches its PT_LOAD "
			       "segments, so its load address is unknown",
			       im->path, (int)pid);
	return HS_OK;
}

enum hs_status elf_image_open(pid_t pid, const struct mem_map *maps, size_t n,
			      const char *path, struct elf_image **out,
			      struct hs_err *err)
{
	struct elf_image *im;
	enum hs_status st;

	*out = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return hs_fail(err, HS_ERR_INTERNAL, "libelf: %s",
			       elf_errmsg(-1));
	im = calloc(1, sizeof *im);
	if (!im)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory opening %s",
			       path);
	im->fd = -1;
	im->path = strdup(path);
	if (!im->path) {
		elf_image_free(im);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory opening %s",
			       path);
	}
	im->fd = open_target_file(pid, maps, n, path, err);
	if (im->fd < 0) {
		st = err ? err->code : HS_ERR_READ;
		elf_image_free(im);
		return st;
	}
	im->elf = elf_begin(im->fd, ELF_C_READ_MMAP, NULL);
	if (!im->elf) {
		st = hs_fail(err, HS_ERR_READ, "%s: %s", path, elf_errmsg(-1));
		elf_image_free(im);
		return st;
	}
	st = setup_image(im, pid, maps, n, err);
	if (st != HS_OK) {
		elf_image_free(im);
		return st;
	}
	im->has_symtab = find_section_type(im->elf, SHT_SYMTAB,
					   &(GElf_Shdr){0}) != NULL;
	*out = im;
	return HS_OK;
}

int elf_image_sym_count(struct elf_image *im, const char *name)
{
	size_t lo = 0, hi;
	int n = 0;

	if (!im || load_symbols(im) != 0)
		return 0;
	hi = im->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(im->syms[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < im->nsyms && !strcmp(im->syms[lo].name, name); lo++)
		n++;
	return n;
}

int elf_image_sym(struct elf_image *im, const char *name, raddr_t *addr,
		  uint64_t *size)
{
	size_t lo = 0, hi;

	if (!im || load_symbols(im) != 0)
		return -1;
	/* Lower bound: the first entry with this name is the preferred one
	 * (see cmp_sym_name). */
	hi = im->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(im->syms[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= im->nsyms || strcmp(im->syms[lo].name, name) != 0)
		return -1;
	if (addr)
		*addr = im->syms[lo].addr;
	if (size)
		*size = im->syms[lo].size;
	return 0;
}

const char *elf_image_addr_name(struct elf_image *im, raddr_t addr)
{
	size_t lo = 0, hi;

	if (!im || load_addr_index(im) != 0 || im->naddr == 0)
		return NULL;
	/* hi = number of entries with start <= addr. */
	hi = im->naddr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (im->byaddr[mid]->addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Walk back while some earlier symbol could still reach addr; the
	 * first container met is the innermost one. */
	for (size_t i = lo; i-- > 0 && im->maxend[i] > addr;) {
		const struct esym *s = im->byaddr[i];
		if (addr < s->addr + s->size)
			return s->name;
	}
	return NULL;
}

int elf_image_section(struct elf_image *im, const char *name, raddr_t *addr,
		      uint64_t *size)
{
	GElf_Shdr sh;

	if (!im || im->shstrndx == SHN_UNDEF ||
	    !find_section(im, name, &sh) || !(sh.sh_flags & SHF_ALLOC))
		return -1;
	if (addr)
		*addr = sh.sh_addr + im->bias;
	if (size)
		*size = sh.sh_size;
	return 0;
}

int elf_image_read(struct elf_image *im, raddr_t addr, void *buf, size_t len)
{
	Elf_Scn *scn = NULL;
	uint64_t va;

	if (!im || addr < im->bias)
		return -1;
	va = addr - im->bias;
	while ((scn = elf_nextscn(im->elf, scn)) != NULL) {
		GElf_Shdr sh;
		uint64_t rel;

		/* TLS sections hold per-thread templates whose addresses
		 * overlap the sections after them; they never answer. */
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    (sh.sh_flags & SHF_TLS) || va < sh.sh_addr || va - sh.sh_addr >= sh.sh_size)
			continue;
		/* The section holding addr decides: .bss has no file bytes,
		 * and a read running past the section's end is refused
		 * rather than stitched from whatever follows in the file. */
		if (sh.sh_type == SHT_NOBITS)
			return -1;
		rel = va - sh.sh_addr;
		if (len > sh.sh_size - rel)
			return -1;
		if (sh.sh_offset > im->rawsize ||
		    rel + len > im->rawsize - sh.sh_offset)
			return -1;
		memcpy(buf, im->raw + sh.sh_offset + rel, len);
		return 0;
	}
	return -1;
}

int elf_image_build_id(struct elf_image *im, char *out, size_t cap)
{
	Elf_Scn *scn = NULL;

	if (cap)
		out[0] = '\0';
	while ((scn = elf_nextscn(im->elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		GElf_Nhdr nh;
		size_t off = 0, noff, doff;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE ||
		    !(data = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(data, off, &nh, &noff, &doff)) > 0) {
			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((const char *)data->d_buf + noff, "GNU", 4) != 0 ||
			    nh.n_descsz * 2 + 1 > cap)
				continue;
			const unsigned char *p = (const unsigned char *)data->d_buf + doff;
			for (size_t i = 0; i < nh.n_descsz; i++)
				snprintf(out + 2 * i, 3, "%02x", p[i]);
			return 0;
		}
	}
	return -1;
}

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_386: return "i386";
	case EM_X86_64: return "x86-64";
	case EM_AARCH64: return "aarch64";
	case EM_ARM: return "arm";
	case EM_PPC: return "powerpc";
	case EM_PPC64: return "ppc64";
	case EM_S390: return "s390";
	case EM_RISCV: return "riscv";
	case EM_MIPS: return "mips";
	case EM_SPARCV9: return "sparc64";
	case EM_LOONGARCH: return "loongarch";
	default: return NULL;
	}
}

enum hs_status elf_image_check_arch(struct elf_image *im, pid_t pid, struct hs_err *err)
{
	GElf_Ehdr eh;
	if (!gelf_getehdr(im->elf, &eh))
		return hs_fail(err, HS_ERR_READ, "%s: no ELF header", im->path);
	int bits = eh.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : eh.e_ident[EI_CLASS] == ELFCLASS32 ? 32 : 0;
	if (bits == 64 && eh.e_machine == EM_X86_64 && eh.e_ident[EI_DATA] == ELFDATA2LSB)
		return HS_OK;
	const char *mn = machine_name(eh.e_machine);
	char mbuf[32];
	if (!mn) {
		snprintf(mbuf, sizeof mbuf, "machine %u", (unsigned)eh.e_machine);
		mn = mbuf;
	}
	return hs_fail(err, HS_ERR_UNSUPPORTED, "unsupported architecture: PID %d runs a "
		       "%s%s %s interpreter (%s); heapscope reads 64-bit x86-64 Python "
		       "processes only", (int)pid, bits ? (bits == 64 ? "64-bit" : "32-bit")
		       : "unknown-class", eh.e_ident[EI_DATA] == ELFDATA2MSB ? " big-endian" : "",
		       mn, im->path);
}

uint64_t elf_image_bias(struct elf_image *im) { return im->bias; }
const char *elf_image_path(struct elf_image *im) { return im->path; }
int elf_image_has_symtab(struct elf_image *im) { return im->has_symtab; }

void elf_image_free(struct elf_image *im)
{
	if (!im)
		return;
	if (im->elf)
		elf_end(im->elf);
	if (im->fd >= 0)
		close(im->fd);
	free(im->syms);
	free(im->byaddr);
	free(im->maxend);
	free(im->path);
	free(im);
}
