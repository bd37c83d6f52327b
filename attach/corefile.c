/* corefile — ELF core files as a memsrc backend.  See corefile.h. */
#include "corefile.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfsym.h"
#include "layout.h"
#include "pyfind.h"

#ifndef NT_FILE
#define NT_FILE 0x46494c45
#endif

#define MAX_SEGS (1u << 20)
#define MAX_FILES (1u << 20)
#define MAX_THREADS 100000

struct seg {
	raddr_t start, end;        /* memory range (p_vaddr, p_memsz) */
	uint64_t off, filesz;      /* its bytes in the core */
	unsigned flags;            /* PF_R / PF_W / PF_X */
};

struct cfile {
	raddr_t start, end;
	uint64_t ofs;              /* file offset of start */
	char *path;                /* as the process saw it */
	int fd;                    /* -1 not opened yet, -2 unusable */
};

struct core {
	const unsigned char *buf;  /* the whole core */
	size_t len;
	struct seg *seg;
	size_t nseg;
	struct cfile *files;
	size_t nfiles;
	char *sysroot, *exe;       /* --sysroot, --exe (copies) */
	char *exe_path;            /* the executable's path in NT_FILE */
	raddr_t entry;             /* AT_ENTRY */
	raddr_t stack_addr;        /* AT_RANDOM: inside the main thread's stack */
	int pid, threads, signo;
	char fname[17], psargs[81];
	int mapped_whole;          /* 1: buf is mmap()ed, munmap at close */
	int no_files;              /* never open the mapped files (corefile_mem) */
};

/* ==== Reading the core's own bytes ==== */

static int seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Bytes at addr from the segments' file parts (all-or-nothing). */
static int core_read(const struct core *c, raddr_t addr, void *out, size_t len)
{
	unsigned char *o = out;
	while (len) {
		size_t lo = 0, hi = c->nseg;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (c->seg[mid].end <= addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo >= c->nseg || addr < c->seg[lo].start)
			return -1;
		const struct seg *s = &c->seg[lo];
		uint64_t in = addr - s->start;
		if (in >= s->filesz)
			return -1;
		size_t n = s->filesz - in < len ? (size_t)(s->filesz - in) : len;
		memcpy(o, c->buf + s->off + in, n);
		o += n;
		addr += n;
		len -= n;
	}
	return 0;
}

/* The GNU build id in the ELF header page mapped at base (from the core's
 * copy of it), as hex; -1 when the core does not have it. */
static int core_build_id(const struct core *c, raddr_t base, char *out, size_t cap)
{
	Elf64_Ehdr eh;
	if (core_read(c, base, &eh, sizeof eh) != 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phnum > 64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr))
		return -1;
	Elf64_Phdr ph[64];
	if (core_read(c, base + eh.e_phoff, ph, eh.e_phnum * sizeof *ph) != 0)
		return -1;
	raddr_t bias = 0;
	if (eh.e_type == ET_DYN) {
		for (int i = 0; i < eh.e_phnum; i++)
			if (ph[i].p_type == PT_LOAD) {
				bias = base - (ph[i].p_vaddr & ~(uint64_t)4095);
				break;
			}
	}
	for (int i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type != PT_NOTE || ph[i].p_filesz > 4096)
			continue;
		unsigned char nb[4096];
		if (core_read(c, bias + ph[i].p_vaddr, nb, ph[i].p_filesz) != 0)
			continue;
		size_t p = 0, n = ph[i].p_filesz;
		while (p <= n && n - p >= 12) {
			uint32_t nsz, dsz, type;
			memcpy(&nsz, nb + p, 4);
			memcpy(&dsz, nb + p + 4, 4);
			memcpy(&type, nb + p + 8, 4);
			size_t name = p + 12, desc = name + ((nsz + 3) & ~3u);
			if (nsz > 256 || dsz > 1024 || desc > n || dsz > n - desc)
				break;
			if (type == NT_GNU_BUILD_ID && nsz == 4 && !memcmp(nb + name, "GNU", 4) &&
			    2 * dsz < cap) {
				for (uint32_t k = 0; k < dsz; k++)
					snprintf(out + 2 * k, 3, "%02x", nb[desc + k]);
				return 0;
			}
			p = desc + ((dsz + 3) & ~3u);
		}
	}
	return -1;
}

/* ==== The files it had mapped ==== */

/* Where path is on this machine: --exe for the executable, else under
 * --sysroot. */
static void local_path(const struct core *c, const char *path, char *out, size_t cap)
{
	if (c->exe && c->exe_path && !strcmp(path, c->exe_path))
		snprintf(out, cap, "%s", c->exe);
	else if (c->sysroot)
		snprintf(out, cap, "%s%s", c->sysroot, path);
	else
		snprintf(out, cap, "%s", path);
}

/* Check a local file against the build id in the core (if the core has
 * the file's first page).  0 when usable. */
static int file_matches(const struct core *c, const char *path, const char *local,
			char *why, size_t cap)
{
	raddr_t base = 0;
	for (size_t i = 0; i < c->nfiles; i++)
		if (!strcmp(c->files[i].path, path) && c->files[i].ofs == 0) {
			base = c->files[i].start;
			break;
		}
	char want[80];
	if (!base || core_build_id(c, base, want, sizeof want) != 0)
		return 0;   /* nothing to compare with */
	struct mem_map one = {base, base + 4096, 0, 5, 0, 0, (char *)local};
	struct elf_image *im = NULL;
	struct hs_err e;
	char have[80] = "";
	if (elf_image_open(0, &one, 1, local, &im, &e) == HS_OK) {
		elf_image_build_id(im, have, sizeof have);
		elf_image_free(im);
	}
	if (!strcmp(have, want))
		return 0;
	snprintf(why, cap, "%s has build id %s, the process had %s", local, have[0] ? have : "none",
		 want);
	return -1;
}

static int core_read_uncopied(memsrc *m, raddr_t addr, void *buf, size_t len)
{
	struct core *c = memsrc_impl(m);
	if (core_read(c, addr, buf, len) == 0)
		return 0;
	/* from the mapped file */
	for (size_t i = 0; i < c->nfiles && !c->no_files; i++) {
		struct cfile *f = &c->files[i];
		if (addr < f->start || addr >= f->end)
			continue;
		if (len > f->end - addr)
			return -1;
		if (f->fd == -1) {
			char local[PATH_MAX + 256], why[512];
			local_path(c, f->path, local, sizeof local);
			f->fd = -2;
			/* the same file mapped several times: one check */
			for (size_t k = 0; k < c->nfiles; k++)
				if (k != i && c->files[k].fd >= 0 && !strcmp(c->files[k].path, f->path)) {
					f->fd = dup(c->files[k].fd);
					break;
				}
			if (f->fd == -2 && file_matches(c, f->path, local, why, sizeof why) == 0)
				f->fd = open(local, O_RDONLY | O_CLOEXEC);
			if (f->fd < 0)
				f->fd = -2;
		}
		if (f->fd < 0)
			return -1;
		ssize_t n = pread(f->fd, buf, len, (off_t)(f->ofs + (addr - f->start)));
		return n == (ssize_t)len ? 0 : -1;
	}
	return -1;
}

static void core_free(struct core *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nfiles; i++) {
		if (c->files[i].fd >= 0)
			close(c->files[i].fd);
		free(c->files[i].path);
	}
	free(c->files);
	free(c->seg);
	free(c->exe_path);
	free(c->sysroot);
	free(c->exe);
	if (c->mapped_whole)
		munmap((void *)c->buf, c->len);
	free(c);
}

static void core_close(memsrc *m)
{
	core_free(memsrc_impl(m));
}

static const struct memsrc_ops core_ops = {
	.read_uncopied = core_read_uncopied,
	.close = core_close,
};

/* ==== Parsing ==== */

static enum hs_status bad(struct hs_err *err, const char *name, const char *what)
{
	return hs_fail(err, HS_ERR_BAD_FILE, "%s is not a readable core file: %s (truncated "
		       "or corrupt; copy it again)", name, what);
}

static void parse_nt_file(struct core *c, const unsigned char *d, size_t n)
{
	if (n < 16)
		return;
	uint64_t count, page;
	memcpy(&count, d, 8);
	memcpy(&page, d + 8, 8);
	if (count > MAX_FILES || page == 0 || page > (1u << 30) || (n - 16) / 24 < count)
		return;
	c->files = calloc(count ? count : 1, sizeof *c->files);
	if (!c->files)
		return;
	const char *names = (const char *)d + 16 + count * 24;
	size_t left = n - 16 - count * 24;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t v[3];
		memcpy(v, d + 16 + i * 24, 24);
		size_t l = strnlen(names, left);
		if (l == left)
			break;
		const char *nm = names;
		names += l + 1;
		left -= l + 1;
		if (v[1] <= v[0] || v[2] > UINT64_MAX / page)
			continue;
		struct cfile *f = &c->files[c->nfiles];
		f->path = strndup(nm, l);
		if (!f->path)
			break;
		f->start = v[0];
		f->end = v[1];
		f->ofs = v[2] * page;
		f->fd = -1;
		c->nfiles++;
	}
}

static void parse_notes(struct core *c, const unsigned char *d, size_t n)
{
	size_t p = 0;
	for (int guard = 0; guard < 1000000 && p <= n && n - p >= 12; guard++) {
		uint32_t nsz, dsz, type;
		memcpy(&nsz, d + p, 4);
		memcpy(&dsz, d + p + 4, 4);
		memcpy(&type, d + p + 8, 4);
		size_t name = p + 12;
		if (nsz > n - name)
			return;
		size_t desc = name + ((nsz + 3) & ~(size_t)3);
		if (desc > n || dsz > n - desc)
			return;
		const unsigned char *dd = d + desc;
		if (nsz >= 4 && !memcmp(d + name, "CORE", 4)) {
			if (type == NT_PRSTATUS && dsz >= 36) {
				int32_t pid;
				int16_t sig;
				memcpy(&pid, dd + 32, 4);
				memcpy(&sig, dd + 12, 2);
				if (!c->threads) {
					c->pid = pid;
					c->signo = sig;
				}
				if (c->threads < MAX_THREADS)
					c->threads++;
			} else if (type == NT_PRPSINFO && dsz >= 136) {
				int32_t pid;
				memcpy(&pid, dd + 24, 4);
				if (!c->pid)
					c->pid = pid;
				memcpy(c->fname, dd + 40, 16);
				c->fname[16] = 0;
				memcpy(c->psargs, dd + 56, 80);
				c->psargs[80] = 0;
			} else if (type == NT_FILE && !c->files) {
				parse_nt_file(c, dd, dsz);
			} else if (type == NT_AUXV) {
				for (size_t k = 0; k + 16 <= dsz; k += 16) {
					uint64_t t, v;
					memcpy(&t, dd + k, 8);
					memcpy(&v, dd + k + 8, 8);
					if (t == AT_ENTRY)
						c->entry = v;
					if (t == AT_RANDOM)
						c->stack_addr = v;
					if (t == AT_NULL)
						break;
				}
			}
		}
		p = desc + ((dsz + 3) & ~(size_t)3);
		if (p < desc)
			return;
	}
}

static enum hs_status parse_core(struct core *c, const char *name, struct hs_err *err)
{
	Elf64_Ehdr ehb;
	const Elf64_Ehdr *eh = &ehb;
	if (c->len < sizeof ehb)
		return bad(err, name, "no ELF header");
	memcpy(&ehb, c->buf, sizeof ehb);
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return bad(err, name, "no ELF header");
	if (eh->e_type != ET_CORE)
		return bad(err, name, "an ELF file, but not a core dump");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64)
		return hs_fail(err, HS_ERR_UNSUPPORTED, "%s is a core of another architecture; "
			       "heapscope reads x86-64 cores", name);
	uint64_t nph = eh->e_phnum;
	if (nph == PN_XNUM) {
		/* more than 65534 segments: the count is in section 0's sh_info */
		Elf64_Shdr sh0;
		if (eh->e_shoff > c->len || c->len - eh->e_shoff < sizeof sh0)
			return bad(err, name, "bad section header");
		memcpy(&sh0, c->buf + eh->e_shoff, sizeof sh0);
		nph = sh0.sh_info;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || nph == 0 || nph > MAX_SEGS ||
	    eh->e_phoff > c->len || (c->len - eh->e_phoff) / sizeof(Elf64_Phdr) < nph)
		return bad(err, name, "bad program headers");
	c->seg = calloc(nph, sizeof *c->seg);
	if (!c->seg)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	for (uint64_t i = 0; i < nph; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, c->buf + eh->e_phoff + (size_t)i * sizeof ph, sizeof ph);
		if (ph.p_type == PT_NOTE) {
			if (ph.p_offset <= c->len && ph.p_filesz <= c->len - ph.p_offset)
				parse_notes(c, c->buf + ph.p_offset, (size_t)ph.p_filesz);
			continue;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_vaddr + ph.p_memsz < ph.p_vaddr || ph.p_filesz > ph.p_memsz)
			return bad(err, name, "a segment wraps around or is larger on disk than in memory");
		uint64_t fs = ph.p_filesz;
		/* a cut core: keep what is there */
		if (ph.p_offset > c->len)
			fs = 0;
		else if (fs > c->len - ph.p_offset)
			fs = c->len - ph.p_offset;
		c->seg[c->nseg++] = (struct seg){ph.p_vaddr, ph.p_vaddr + ph.p_memsz, ph.p_offset, fs,
						 ph.p_flags};
	}
	qsort(c->seg, c->nseg, sizeof *c->seg, seg_cmp);
	for (size_t i = 1; i < c->nseg; i++)
		if (c->seg[i].start < c->seg[i - 1].end)
			return bad(err, name, "segments overlap");
	if (!c->nseg)
		return bad(err, name, "no memory segments");
	for (size_t i = 0; i < c->nfiles; i++)
		if (c->entry >= c->files[i].start && c->entry < c->files[i].end) {
			c->exe_path = strdup(c->files[i].path);
			break;
		}
	return HS_OK;
}

static int map_cmp(const void *a, const void *b)
{
	const struct mem_map *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* The segment holding addr, or NULL. */
static const struct seg *seg_at(const struct core *c, raddr_t addr)
{
	size_t lo = 0, hi = c->nseg;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->seg[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nseg && addr >= c->seg[lo].start ? &c->seg[lo] : NULL;
}

static unsigned seg_prot(const struct seg *s)
{
	return (s->flags & PF_R ? 1u : 0) | (s->flags & PF_W ? 2u : 0) | (s->flags & PF_X ? 4u : 0);
}

/* The memsrc: writable segments are the copied regions.  The mapping
 * list: NT_FILE's files (a kernel core has a segment for each, gdb's
 * gcore only for those it dumped: the others are taken for code, r-x),
 * then the segments no file covers (anonymous). */
static enum hs_status build_mem(struct core *c, const char *name, memsrc **out,
				struct hs_err *err)
{
	memsrc *m = memsrc_new(&core_ops, c);
	if (!m) {
		core_free(c);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	size_t cap = c->nfiles + c->nseg, n = 0;
	struct mem_map *maps = calloc(cap ? cap : 1, sizeof *maps);
	if (!maps) {
		memsrc_free(m);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	for (size_t k = 0; k < c->nfiles; k++) {
		const struct cfile *f = &c->files[k];
		const struct seg *s = seg_at(c, f->start);
		struct mem_map *mp = &maps[n];
		mp->start = f->start;
		mp->end = f->end;
		mp->offset = f->ofs;
		mp->prot = s ? seg_prot(s) : 5u;
		mp->path = strdup(f->path);
		if (mp->path)
			n++;
	}
	qsort(maps, n, sizeof *maps, map_cmp);
	/* drop files that overlap (a crafted note) */
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (w && maps[i].start < maps[w - 1].end) {
			free(maps[i].path);
			continue;
		}
		maps[w++] = maps[i];
	}
	n = w;
	size_t nfilemaps = n;
	for (size_t i = 0; i < c->nseg; i++) {
		const struct seg *s = &c->seg[i];
		int covered = 0;
		for (size_t k = 0; k < nfilemaps && !covered; k++)
			covered = s->start < maps[k].end && maps[k].start < s->end;
		if (!covered)
			maps[n++] = (struct mem_map){s->start, s->end, 0, seg_prot(s), 0, 0, NULL};
		if ((s->flags & PF_W) && (s->flags & PF_R) && s->filesz) {
			size_t len = (size_t)s->filesz;
			void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
			if (p == MAP_FAILED || memsrc_add_region(m, s->start, s->start + len, p) != 0) {
				if (p != MAP_FAILED)
					munmap(p, len);
				memsrc_set_maps(m, maps, n);
				memsrc_free(m);
				return hs_fail(err, HS_ERR_NOMEM, "out of memory for %s's memory "
					       "(%.1f MB)", name, len / 1e6);
			}
			memcpy(p, c->buf + s->off, len);
		}
	}
	qsort(maps, n, sizeof *maps, map_cmp);
	/* Name what /proc/PID/maps names and a core does not: [stack] (where
	 * AT_RANDOM points) and [heap] (the anonymous mappings that start
	 * within the brk randomization range, 32 MiB, after the executable) */
	raddr_t exe_end = 0;
	for (size_t i = 0; i < n; i++)
		if (maps[i].path && c->exe_path && !strcmp(maps[i].path, c->exe_path) &&
		    maps[i].end > exe_end)
			exe_end = maps[i].end;
	for (size_t i = 0; i < n; i++) {
		struct mem_map *mp = &maps[i];
		if (mp->path)
			continue;
		if (c->stack_addr >= mp->start && c->stack_addr < mp->end)
			mp->path = strdup("[stack]");
		else if (exe_end && mp->start >= exe_end && mp->start - exe_end <= ((raddr_t)32 << 20) &&
			 (i == 0 || maps[i - 1].end <= exe_end || (maps[i - 1].path &&
			  !strcmp(maps[i - 1].path, "[heap]"))))
			mp->path = strdup("[heap]");
	}
	memsrc_set_maps(m, maps, n);
	*out = m;
	return HS_OK;
}

enum hs_status corefile_mem(const unsigned char *buf, size_t len, const char *name,
			    memsrc **out, struct hs_err *err)
{
	struct core *c = calloc(1, sizeof *c);
	*out = NULL;
	if (!c)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	c->buf = buf;
	c->len = len;
	c->no_files = 1;
	enum hs_status st = parse_core(c, name, err);
	if (st == HS_OK)
		st = build_mem(c, name, out, err);
	else
		core_free(c);
	return st;
}

int corefile_sniff(const char *path)
{
	unsigned char b[sizeof(Elf64_Ehdr)];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, b, sizeof b);
	close(fd);
	Elf64_Ehdr eh;
	if (n != (ssize_t)sizeof b)
		return 0;
	memcpy(&eh, b, sizeof eh);
	return !memcmp(eh.e_ident, ELFMAG, SELFMAG) && eh.e_type == ET_CORE;
}

enum hs_status corefile_open(const char *path, const struct core_opts *o,
			     struct hs_snapshot **out, struct hs_err *err)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hs_fail(err, HS_ERR_READ, "cannot open %s: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0 || sb.st_size <= 0) {
		close(fd);
		return bad(err, path, "empty");
	}
	void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return hs_fail(err, HS_ERR_READ, "cannot read %s: %s", path, strerror(errno));
	struct core *c = calloc(1, sizeof *c);
	if (!c) {
		munmap(p, (size_t)sb.st_size);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	c->buf = p;
	c->len = (size_t)sb.st_size;
	c->mapped_whole = 1;
	if ((o && o->sysroot && !(c->sysroot = strdup(o->sysroot))) ||
	    (o && o->exe && !(c->exe = strdup(o->exe)))) {
		core_free(c);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	memsrc *m = NULL;
	enum hs_status st = parse_core(c, path, err);
	if (st != HS_OK) {
		core_free(c);
		return st;
	}
	if ((st = build_mem(c, path, &m, err)) != HS_OK)
		return st;   /* build_mem freed c with its memsrc */
	struct hs_snapshot *s = calloc(1, sizeof *s);
	if (!s) {
		memsrc_free(m);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	s->mem = m;
	struct memsrc_info *mi = memsrc_info_mut(m);
	mi->kind = "core";
	mi->pid = c->pid;
	mi->threads = c->threads;
	mi->taken_at = (double)sb.st_mtim.tv_sec + sb.st_mtim.tv_nsec / 1e9;
	s->pid = c->pid;
	s->ns_pid = c->pid;
	s->attempts = 1;
	snprintf(s->container, sizeof s->container, "-");
	snprintf(s->source_kind, sizeof s->source_kind, "core");
	s->file = strdup(path);
	s->cmdline = strdup(c->psargs[0] ? c->psargs : c->fname);
	s->hostname = strdup("");
	s->exe = strdup(c->exe_path ? c->exe_path : "");
	if (!s->file || !s->cmdline || !s->hostname || !s->exe) {
		snap_free(s);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	/* The runtime, from the files as they are here (paths rewritten) */
	size_t nmaps;
	const struct mem_map *maps = mem_maps(m, &nmaps);
	struct mem_map *local = calloc(nmaps ? nmaps : 1, sizeof *local);
	if (!local) {
		snap_free(s);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < nmaps; i++) {
		local[i] = maps[i];
		local[i].inode = 0;
		if (maps[i].path) {
			char lp[PATH_MAX + 256];
			local_path(c, maps[i].path, lp, sizeof lp);
			local[i].path = strdup(lp);
		}
	}
	st = py_find_runtime(0, local, nmaps, &s->rt, err);
	char runtime_file[PATH_MAX] = "";
	if (st == HS_OK) {
		/* back to the path the process saw; check it is the same file */
		for (size_t i = 0; i < nmaps; i++)
			if (local[i].path && maps[i].path && !strcmp(local[i].path, s->rt.path)) {
				snprintf(runtime_file, sizeof runtime_file, "%s", maps[i].path);
				break;
			}
		char why[1024];
		if (runtime_file[0] && file_matches(c, runtime_file, s->rt.path, why, sizeof why)) {
			st = hs_fail(err, HS_ERR_CORE_FILES, "%s: %s; give the files it had with "
				     "--sysroot DIR (or --exe PATH for the executable)", path, why);
		} else {
			struct elf_image *im = NULL;
			struct hs_err e;
			if (elf_image_open(0, local, nmaps, s->rt.path, &im, &e) == HS_OK) {
				raddr_t a;
				if (elf_image_sym(im, "subtype_traverse", &a, NULL) == 0)
					s->sym_subtype_traverse = a;
				if (elf_image_sym(im, "lookdict", &a, NULL) == 0)
					s->sym_lookdict = a;
				elf_image_free(im);
			}
			s->syms_known = 1;
			if (runtime_file[0])
				snprintf(s->rt.path, sizeof s->rt.path, "%s", runtime_file);
		}
	} else if (st == HS_ERR_NOT_PYTHON || st == HS_ERR_READ) {
		hs_err_prefix(err, "%s: ", path);
		/* the runtime may be in a file that is not here */
		for (size_t i = 0; i < c->nfiles; i++) {
			char lp[PATH_MAX + 256];
			if (c->files[i].path[0] != '/' || strstr(c->files[i].path, " (deleted)"))
				continue;
			local_path(c, c->files[i].path, lp, sizeof lp);
			if (access(lp, R_OK) != 0) {
				st = hs_fail(err, HS_ERR_CORE_FILES, "%s: the process had %s mapped, which "
					     "is not at %s here: give the files it had with --sysroot DIR "
					     "(or --exe PATH for the executable)", path, c->files[i].path, lp);
				break;
			}
			char why[1024];
			if (c->files[i].ofs == 0 && file_matches(c, c->files[i].path, lp, why, sizeof why)) {
				st = hs_fail(err, HS_ERR_CORE_FILES, "%s: %s; give the files it had with "
					     "--sysroot DIR (or --exe PATH for the executable)", path, why);
				break;
			}
		}
	}
	for (size_t i = 0; i < nmaps; i++)
		free(local[i].path);
	free(local);
	if (st == HS_OK &&
	    ((st = layout_for(&s->rt, s->mem, &s->L, s->layout_note, sizeof s->layout_note,
			      err)) != HS_OK ||
	     (st = layout_fit(&s->rt, s->mem, &s->L, &s->roots, s->layout_note,
			      sizeof s->layout_note, err)) != HS_OK))
		hs_err_prefix(err, "%s: ", path);
	if (st == HS_OK && s->L.keys_lookup < 0)
		s->sym_lookdict = 0;
	if (st != HS_OK) {
		snap_free(s);
		return st;
	}
	*out = s;
	return HS_OK;
}
