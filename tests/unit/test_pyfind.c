/* test_pyfind — elfsym + pyfind against real interpreters and bad files.
 *
 * For every interpreter present on this machine (pyenv builds and Debian's
 * /usr/bin/python3.11) we start it with a one-liner that prints, from the
 * inside, the truth: &_PyRuntime (via ctypes), sys.hexversion and the
 * addresses of None/True/False/Ellipsis/NotImplemented/type/object.  Then
 * py_find_runtime(), which only reads files, must arrive at the same
 * numbers.  Interpreters we do not support must be named, with their
 * version, in an HS_ERR_UNSUPPORTED; `sleep` must be HS_ERR_NOT_PYTHON.
 * Further cases use copies of the libraries "mapped" into our own PID:
 *  - renamed so the file name tells no version (the .rodata heuristic);
 *  - with the _PyRuntime symbol name defaced (the .PyRuntime fallback);
 *  - 3.13 with debug_offsets.free_threaded patched to 1;
 *  - a libpython deleted while a live 3.12 maps it (/proc/PID/map_files);
 *  - truncated and corrupted ELF files, which must not crash (run under
 *    ASan/UBSan to make that meaningful).
 *
 * Exit 0 = pass, 1 = failure, 77 = skip (no interpreter at all).
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "elfsym.h"
#include "maps.h"
#include "proc.h"
#include "pyfind.h"

static int failures;

static void fail(const char *label, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(const char *label, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL [%s] ", label);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

static unsigned char *slurp(const char *path, size_t *len);
static int write_temp_at(const char *path, const unsigned char *src,
			 size_t len);

/* ==== Children ==== */

#define MAX_CHILDREN 16
static pid_t children[MAX_CHILDREN];
static int nchildren;

/* Kill every child we started, whatever path we leave by. */
static void kill_children(void)
{
	for (int i = 0; i < nchildren; i++) {
		if (children[i] <= 0)
			continue;
		kill(children[i], SIGKILL);
		waitpid(children[i], NULL, 0);
		children[i] = 0;
	}
}

static void forget_child(pid_t pid)
{
	for (int i = 0; i < nchildren; i++)
		if (children[i] == pid) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			children[i] = 0;
		}
}

/* Start argv with stdout on a pipe; returns pid and the read end.
 * ldpath, if not NULL, becomes LD_LIBRARY_PATH. */
static pid_t spawn_env(char *const argv[], const char *ldpath, int *out_fd)
{
	int p[2];
	pid_t pid;

	if (nchildren == MAX_CHILDREN || pipe2(p, O_CLOEXEC) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		/* Die with the test even if it is killed outright. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(p[1], STDOUT_FILENO);
		/* The interpreter must find its own stdlib, not a caller's. */
		unsetenv("PYTHONHOME");
		unsetenv("PYTHONPATH");
		if (ldpath)
			setenv("LD_LIBRARY_PATH", ldpath, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	children[nchildren++] = pid;
	*out_fd = p[0];
	return pid;
}

static pid_t spawn(char *const argv[], int *out_fd)
{
	return spawn_env(argv, NULL, out_fd);
}

/* Read one line within `secs` seconds.  0 or -1. */
static int read_line(int fd, char *buf, size_t cap, int secs)
{
	size_t len = 0;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	while (len + 1 < cap) {
		ssize_t r;
		if (poll(&pfd, 1, secs * 1000) <= 0)
			return -1;
		r = read(fd, buf + len, 1);
		if (r <= 0)
			return -1;
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
	return 0;
}

/* ==== Interpreters ==== */

struct interp {
	const char *label;
	const char *exe;
	int legacy;             /* no _PyRuntime: 2.7, 3.6 */
	int supported;          /* 2.7, 3.6 .. 3.13 */
	int stripped;           /* expected py_runtime_info.stripped */
};

static const struct interp interps[] = {
	{"2.7.18", "/root/.pyenv/versions/2.7.18/bin/python", 1, 1, 0},
	{"3.6.15", "/root/.pyenv/versions/3.6.15/bin/python", 1, 1, 0},
	{"3.7.16", "/root/.pyenv/versions/3.7.16/bin/python", 0, 1, 0},
	{"3.8.18", "/root/.pyenv/versions/3.8.18/bin/python", 0, 1, 0},
	{"3.9.18", "/root/.pyenv/versions/3.9.18/bin/python", 0, 1, 0},
	{"3.10.13", "/root/.pyenv/versions/3.10.13/bin/python", 0, 1, 0},
	{"3.11.7", "/root/.pyenv/versions/3.11.7/bin/python", 0, 1, 0},
	{"3.12.1", "/root/.pyenv/versions/3.12.1/bin/python", 0, 1, 0},
	{"3.13.0", "/root/.pyenv/versions/3.13.0/bin/python", 0, 1, 0},
	{"debian-3.11", "/usr/bin/python3.11", 0, 1, 1},
};

/* Printed by the child: runtime hexversion None True False Ellipsis
 * NotImplemented type object.  Old interpreters print 0 for runtime. */
#define IDS "id(None), id(True), id(False), id(Ellipsis), " \
	    "id(NotImplemented), id(type), id(object)"
static const char code_modern[] =
	"import ctypes,sys,time\n"
	"rt = ctypes.addressof(ctypes.c_char.in_dll(ctypes.pythonapi,"
	"'_PyRuntime'))\n"
	"print(rt, sys.hexversion, " IDS ", flush=True)\n"
	"time.sleep(600)\n";
static const char code_legacy[] =
	"import sys,time\n"
	"sys.stdout.write(' '.join(str(x) for x in (0, sys.hexversion, "
	IDS ")) + '\\n')\n"
	"sys.stdout.flush()\n"
	"time.sleep(600)\n";

struct truth {
	unsigned long long runtime, hexversion;
	unsigned long long none, true_, false_, ellipsis, notimpl, type, object;
};

/* "3.9.18", "3.13.0rc1" from a hexversion, as pyfind should render it. */
static void version_text(unsigned long long hex, char *buf, size_t cap)
{
	unsigned level = (hex >> 4) & 0xf, serial = hex & 0xf;
	int n = snprintf(buf, cap, "%llu.%llu.%llu", hex >> 24,
			 (hex >> 16) & 0xff, (hex >> 8) & 0xff);

	if (level != 0xf && n > 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, "%s%u",
			 level == 0xa ? "a" : level == 0xb ? "b" : "rc", serial);
}

/* The target's mappings, through attach/proc.c.  0 or -1. */
static int read_target_maps(pid_t pid, struct mem_map **m, size_t *n)
{
	struct hs_err e;

	if (proc_read_maps(pid, m, n, &e) != HS_OK) {
		fprintf(stderr, "proc_read_maps(%d): %s\n", (int)pid, e.msg);
		return -1;
	}
	return 0;
}

#define CHECK_ADDR(label, field, want)                                      \
	do {                                                                \
		if ((field) != (want))                                      \
			fail(label, "%s = %#llx, want %#llx", #field,       \
			     (unsigned long long)(field),                   \
			     (unsigned long long)(want));                   \
	} while (0)

/* elfsym checks on the file pyfind chose, using the live truth. */
static void check_elfsym(const struct interp *ip, pid_t pid,
			 const struct mem_map *m, size_t n,
			 const struct py_runtime_info *ri,
			 const struct truth *t)
{
	struct elf_image *im;
	struct hs_err e;
	const char *nm;
	raddr_t a;
	uint64_t sz;

	if (elf_image_open(pid, m, n, ri->path, &im, &e) != HS_OK) {
		fail(ip->label, "elf_image_open(%s): %s", ri->path, e.msg);
		return;
	}
	nm = elf_image_addr_name(im, t->none + 8);
	if (!nm || strcmp(nm, "_Py_NoneStruct") != 0)
		fail(ip->label, "addr_name(None+8) = %s", nm ? nm : "NULL");
	nm = elf_image_addr_name(im, t->type);
	if (!nm || strcmp(nm, "PyType_Type") != 0)
		fail(ip->label, "addr_name(type) = %s", nm ? nm : "NULL");
	if (elf_image_sym(im, "PyObject_GetAttr", &a, &sz) != 0 || sz == 0)
		fail(ip->label, "no PyObject_GetAttr");
	else if (!(nm = elf_image_addr_name(im, a + sz / 2)) ||
		 strcmp(nm, "PyObject_GetAttr") != 0)
		fail(ip->label, "addr_name(mid PyObject_GetAttr) = %s",
		     nm ? nm : "NULL");
	if (elf_image_addr_name(im, 1) != NULL)
		fail(ip->label, "addr_name(1) should be NULL");
	/* .bss (or a runtime before 3.10) must not be served from the file,
	 * .PyRuntime (3.10+) must. */
	if (ri->minor >= 10 &&
	    elf_image_section(im, ".PyRuntime", &a, &sz) == 0 &&
	    a != ri->runtime)
		fail(ip->label, ".PyRuntime at %#llx, runtime %#llx",
		     (unsigned long long)a, (unsigned long long)ri->runtime);
	/* .bss has no file bytes; .rodata does, but not past its end. */
	if (elf_image_section(im, ".bss", &a, &sz) == 0 && sz >= 8) {
		uint64_t v;
		if (elf_image_read(im, a, &v, 8) == 0)
			fail(ip->label, "read from .bss succeeded");
	}
	if (elf_image_section(im, ".rodata", &a, &sz) == 0 && sz >= 8) {
		uint64_t v;
		if (elf_image_read(im, a + sz - 8, &v, 8) != 0)
			fail(ip->label, "read of .rodata's last word failed");
		if (elf_image_read(im, a + sz - 4, &v, 8) == 0)
			fail(ip->label, "read across the end of .rodata worked");
	}
	if (ri->minor >= 11) {
		uint64_t v = 0;
		if (elf_image_sym(im, "Py_Version", &a, NULL) != 0 ||
		    elf_image_read(im, a, &v, 8) != 0 || v != t->hexversion)
			fail(ip->label, "Py_Version from file = %#llx",
			     (unsigned long long)v);
	}
	if (strncmp(ip->label, "debian", 6) == 0 && elf_image_bias(im) != 0)
		fail(ip->label, "non-PIE bias %#llx",
		     (unsigned long long)elf_image_bias(im));
	if (strncmp(ip->label, "debian", 6) != 0 && elf_image_bias(im) == 0)
		fail(ip->label, "shared libpython bias 0");
	elf_image_free(im);
}

static void check_supported(const struct interp *ip, pid_t pid,
			    const struct mem_map *m, size_t n,
			    const struct truth *t)
{
	struct py_runtime_info ri;
	struct hs_err e = {0};
	char want[32];
	enum hs_status st = py_find_runtime(pid, m, n, &ri, &e);

	if (st != HS_OK) {
		fail(ip->label, "py_find_runtime = %s: %s", hs_status_name(st),
		     e.msg);
		return;
	}
	CHECK_ADDR(ip->label, ri.runtime, t->runtime);
	CHECK_ADDR(ip->label, ri.version_hex, t->hexversion);
	version_text(t->hexversion, want, sizeof want);
	if (strcmp(ri.version, want) != 0)
		fail(ip->label, "version '%s', want '%s'", ri.version, want);
	if (ri.stripped != ip->stripped)
		fail(ip->label, "stripped = %d, want %d", ri.stripped,
		     ip->stripped);
	if (ip->legacy) {
		/* no _PyRuntime: the static variables that replace it */
		if (!ri.sym_interp_head || !ri.sym_gc_generations || !ri.sym_gc_generation0 ||
		    !ri.sym_gc_enabled || !ri.sym_gc_collecting || !ri.sym_gc_garbage ||
		    !ri.sym_gc_debug)
			fail(ip->label, "static variables missing: interp_head %#llx generations "
			     "%#llx generation0 %#llx enabled %#llx collecting %#llx garbage %#llx "
			     "debug %#llx", (unsigned long long)ri.sym_interp_head,
			     (unsigned long long)ri.sym_gc_generations,
			     (unsigned long long)ri.sym_gc_generation0,
			     (unsigned long long)ri.sym_gc_enabled,
			     (unsigned long long)ri.sym_gc_collecting,
			     (unsigned long long)ri.sym_gc_garbage, (unsigned long long)ri.sym_gc_debug);
	} else if (ri.runtime_size == 0)
		fail(ip->label, "runtime_size 0");
	if (ri.free_threaded)
		fail(ip->label, "free_threaded set");
	CHECK_ADDR(ip->label, ri.sym_none, t->none);
	CHECK_ADDR(ip->label, ri.sym_true, t->true_);
	CHECK_ADDR(ip->label, ri.sym_false, t->false_);
	CHECK_ADDR(ip->label, ri.sym_ellipsis, t->ellipsis);
	CHECK_ADDR(ip->label, ri.sym_notimplemented, t->notimpl);
	CHECK_ADDR(ip->label, ri.sym_type_type, t->type);
	CHECK_ADDR(ip->label, ri.sym_object_type, t->object);
	/* 2.7's set dummy is a static of setobject.c (`dummy`, a name
	 * dictobject.c uses too): not exported, not looked up */
	if (!ri.sym_set_dummy && strcmp(ip->label, "2.7.18"))
		fail(ip->label, "sym_set_dummy 0");
	printf("ok   %-12s %s runtime=%#llx size=%llu %s%s\n", ip->label,
	       ri.version, (unsigned long long)ri.runtime,
	       (unsigned long long)ri.runtime_size, ri.path,
	       ri.stripped ? " (stripped)" : "");
	check_elfsym(ip, pid, m, n, &ri, t);
}

static void check_unsupported(const struct interp *ip, pid_t pid,
			      const struct mem_map *m, size_t n,
			      const struct truth *t)
{
	struct py_runtime_info ri;
	struct hs_err e = {0};
	char want[32];
	enum hs_status st = py_find_runtime(pid, m, n, &ri, &e);

	version_text(t->hexversion, want, sizeof want);
	if (st != HS_ERR_UNSUPPORTED) {
		fail(ip->label, "py_find_runtime = %s (%s), want unsupported",
		     hs_status_name(st), e.msg);
		return;
	}
	if (!strstr(e.msg, want) || !strstr(e.msg, PY_SUPPORTED_TEXT))
		fail(ip->label, "message lacks '%s' or the supported list: %s",
		     want, e.msg);
	if (!ip->legacy)
		CHECK_ADDR(ip->label, ri.runtime, t->runtime);
	printf("ok   %-12s unsupported: %s\n", ip->label, e.msg);
}

static int run_interp(const struct interp *ip)
{
	char *argv[] = {(char *)ip->exe, "-c",
			(char *)(ip->legacy ? code_legacy : code_modern), NULL};
	char line[1024];
	struct truth t;
	struct mem_map *m;
	size_t n;
	int fd;
	pid_t pid = spawn(argv, &fd);

	if (pid < 0) {
		fail(ip->label, "cannot start %s", ip->exe);
		return -1;
	}
	if (read_line(fd, line, sizeof line, 60) != 0 ||
	    sscanf(line, "%llu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &t.runtime, &t.hexversion, &t.none, &t.true_, &t.false_,
		   &t.ellipsis, &t.notimpl, &t.type, &t.object) != 9) {
		fail(ip->label, "no usable line from %s", ip->exe);
		close(fd);
		forget_child(pid);
		return -1;
	}
	close(fd);
	if (read_target_maps(pid, &m, &n) != 0) {
		fail(ip->label, "cannot read maps of %d", (int)pid);
	} else {
		if (ip->supported)
			check_supported(ip, pid, m, n, &t);
		else
			check_unsupported(ip, pid, m, n, &t);
		proc_maps_free(m, n);
	}
	forget_child(pid);
	return 0;
}

/* ==== A libpython deleted while mapped ==== */

/* Start 3.12 on a private copy of its libpython, delete the copy, and
 * find the runtime anyway: the maps path ends in " (deleted)", so only
 * /proc/PID/map_files can still open the mapped inode. */
static void run_deleted_lib(void)
{
	static const char lib[] =
		"/root/.pyenv/versions/3.12.1/lib/libpython3.12.so.1.0";
	char *argv[] = {"/root/.pyenv/versions/3.12.1/bin/python3.12", "-c",
			(char *)code_modern, NULL};
	char dir[] = "/tmp/test_pyfind_del_XXXXXX", copy[PATH_MAX], line[1024];
	const char *label = "deleted 3.12";
	struct py_runtime_info ri;
	struct hs_err e = {0};
	struct truth t;
	struct mem_map *m;
	size_t n, len;
	unsigned char *data;
	pid_t pid;
	int fd = -1;

	if (access(argv[0], X_OK) != 0 || !(data = slurp(lib, &len)))
		return;
	if (!mkdtemp(dir)) {
		free(data);
		return;
	}
	snprintf(copy, sizeof copy, "%s/libpython3.12.so.1.0", dir);
	if (write_temp_at(copy, data, len) != 0) {
		fail(label, "cannot write %s", copy);
		free(data);
		unlink(copy);
		rmdir(dir);
		return;
	}
	free(data);
	pid = spawn_env(argv, dir, &fd);
	if (pid < 0 || read_line(fd, line, sizeof line, 60) != 0 ||
	    sscanf(line, "%llu %llu", &t.runtime, &t.hexversion) != 2) {
		fail(label, "no line from the child");
	} else {
		unlink(copy);
		if (read_target_maps(pid, &m, &n) != 0) {
			fail(label, "cannot read maps");
		} else {
			enum hs_status st = py_find_runtime(pid, m, n, &ri, &e);
			if (st != HS_OK || ri.runtime != t.runtime ||
			    !strstr(ri.path, dir) || !strstr(ri.path, "(deleted)"))
				fail(label, "%s runtime %#llx want %#llx path %s: %s",
				     hs_status_name(st),
				     (unsigned long long)ri.runtime, t.runtime,
				     ri.path, e.msg);
			else
				printf("ok   %-20s %s\n", label, ri.path);
			proc_maps_free(m, n);
		}
	}
	if (fd >= 0)
		close(fd);
	if (pid > 0)
		forget_child(pid);
	unlink(copy);
	rmdir(dir);
}

/* ==== Not Python ==== */

/* Wait until pid has exec'd `exe`, so we look at its maps, not ours. */
static int wait_exec(pid_t pid, const char *exe)
{
	char link[64], got[PATH_MAX];

	snprintf(link, sizeof link, "/proc/%d/exe", (int)pid);
	for (int i = 0; i < 500; i++) {
		ssize_t r = readlink(link, got, sizeof got - 1);
		if (r > 0) {
			got[r] = '\0';
			if (strcmp(got, exe) == 0)
				return 0;
		}
		usleep(10000);
	}
	return -1;
}

static void run_not_python(void)
{
	char *argv[] = {"/bin/sleep", "600", NULL};
	struct py_runtime_info ri;
	struct hs_err e = {0};
	struct mem_map *m;
	size_t n;
	char real[PATH_MAX];
	int fd;
	pid_t pid;
	enum hs_status st;

	if (!realpath(argv[0], real)) {
		printf("skip sleep: no /bin/sleep\n");
		return;
	}
	pid = spawn(argv, &fd);
	if (pid < 0 || wait_exec(pid, real) != 0) {
		fail("sleep", "cannot start sleep");
		return;
	}
	close(fd);
	if (read_target_maps(pid, &m, &n) != 0) {
		fail("sleep", "cannot read maps");
	} else {
		st = py_find_runtime(pid, m, n, &ri, &e);
		if (st != HS_ERR_NOT_PYTHON || !strstr(e.msg, "(sleep)"))
			fail("sleep", "got %s: %s", hs_status_name(st), e.msg);
		else
			printf("ok   sleep        %s\n", e.msg);
		proc_maps_free(m, n);
	}
	forget_child(pid);
}

/* ==== Garbage files ==== */

/* Write len bytes of src to fd and close it.  0 or -1. */
static int write_all(int fd, const unsigned char *src, size_t len)
{
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t w = write(fd, src + done, len - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fd);
	return done == len ? 0 : -1;
}

/* Write src to a new temp file named from tmpl (mkstemp). */
static int write_temp(char *tmpl, const unsigned char *src, size_t len)
{
	return write_all(mkstemp(tmpl), src, len);
}

static int write_temp_at(const char *path, const unsigned char *src,
			 size_t len)
{
	return write_all(open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			      0755), src, len);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size);
	if (buf && read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/* Open `data` as if mapped at 0x7f0000000000 and poke every API. */
static void poke(const char *label, const unsigned char *data, size_t len)
{
	char tmpl[] = "/tmp/test_pyfind_XXXXXX";
	struct mem_map map = {.start = 0x7f0000000000ULL,
			      .end = 0x7f0000100000ULL, .prot = PROT_READ | PROT_EXEC};
	struct elf_image *im;
	struct hs_err e;
	struct py_runtime_info ri;
	unsigned char buf[64];
	raddr_t a;
	uint64_t sz;

	if (write_temp(tmpl, data, len) != 0) {
		fail(label, "cannot write temp file");
		unlink(tmpl);
		return;
	}
	map.path = tmpl;
	if (elf_image_open(getpid(), &map, 1, tmpl, &im, &e) == HS_OK) {
		elf_image_sym(im, "_PyRuntime", &a, &sz);
		elf_image_section(im, ".rodata", &a, &sz);
		elf_image_read(im, 0x7f0000000000ULL, buf, sizeof buf);
		elf_image_read(im, ~0ULL - 8, buf, sizeof buf);
		elf_image_addr_name(im, 0x7f0000001000ULL);
		elf_image_free(im);
	}
	/* The whole pipeline must give an error or a result, not a crash. */
	py_find_runtime(getpid(), &map, 1, &ri, &e);
	unlink(tmpl);
	printf("ok   garbage      %s\n", label);
}

/* Offsets of the ELF64 header fields we corrupt. */
#define E_SHOFF 0x28
#define E_SHNUM 0x3c
#define E_SHSTRNDX 0x3e

static void run_garbage(const char *elf_path)
{
	size_t len;
	unsigned char *orig = slurp(elf_path, &len), *c;
	static const unsigned char junk[4096] = {0x7f, 'E', 'L', 'F', 2, 1, 1};

	poke("empty", (const unsigned char *)"", 0);
	poke("elf magic + zeros", junk, sizeof junk);
	if (!orig || len < 8192) {
		printf("skip garbage on %s: cannot read it\n", elf_path);
		free(orig);
		return;
	}
	c = malloc(len);
	if (!c) {
		free(orig);
		return;
	}
	poke("first page only", orig, 4096);
	poke("first half", orig, len / 2);
	poke("all but 100 bytes", orig, len - 100);

	memcpy(c, orig, len); /* no section headers at all */
	memset(c + E_SHOFF, 0, 8);
	memset(c + E_SHNUM, 0, 4);
	poke("no section headers", c, len);

	memcpy(c, orig, len); /* huge section count */
	c[E_SHNUM] = 0xff;
	c[E_SHNUM + 1] = 0xfe;
	poke("e_shnum 0xfeff", c, len);

	memcpy(c, orig, len); /* section headers past EOF */
	memset(c + E_SHOFF, 0x7f, 7);
	poke("e_shoff past EOF", c, len);

	memcpy(c, orig, len); /* bad string table index */
	c[E_SHSTRNDX] = 0xf0;
	c[E_SHSTRNDX + 1] = 0xff;
	poke("bad e_shstrndx", c, len);

	/* Every section header's sh_size set huge, one at a time would be
	 * slow; corrupt them all at once. */
	memcpy(c, orig, len);
	{
		uint64_t shoff;
		uint16_t shnum;
		memcpy(&shoff, c + E_SHOFF, 8);
		memcpy(&shnum, c + E_SHNUM, 2);
		for (uint16_t i = 0; i < shnum && shoff + (i + 1) * 64ULL <= len;
		     i++)
			memset(c + shoff + i * 64ULL + 0x20, 0x7f, 7);
	}
	poke("all sh_size huge", c, len);

	srand(12345);
	for (int round = 0; round < 20; round++) {
		memcpy(c, orig, len);
		for (int k = 0; k < 200; k++)
			c[(size_t)rand() % len] = (unsigned char)rand();
		/* Concentrate on the headers too: they steer everything. */
		for (int k = 0; k < 16; k++)
			c[(size_t)rand() % 4096] = (unsigned char)rand();
		poke("random bytes", c, len);
	}
	free(c);
	free(orig);
}

/* ==== Version without a telling file name ==== */

/* A copy of libpythonX.Y under a name without "python" and a version,
 * "mapped" into our own PID: what an embedder (uwsgi, a static build
 * renamed) looks like.  The version must still come out right, from
 * Py_Version / debug offsets or the .rodata heuristic. */
static void run_renamed(const struct interp *ip, const char *lib)
{
	char tmpl[] = "/tmp/test_pyfind_embed_XXXXXX";
	struct mem_map map = {.start = 0x7f0000000000ULL,
			      .end = 0x7f0000100000ULL,
			      .prot = PROT_READ | PROT_EXEC};
	struct py_runtime_info ri;
	struct hs_err e = {0};
	char label[64];
	size_t len;
	unsigned char *data = slurp(lib, &len);
	enum hs_status st;

	snprintf(label, sizeof label, "renamed %s", ip->label);
	if (!data) {
		printf("skip %s: cannot read %s\n", label, lib);
		return;
	}
	if (write_temp(tmpl, data, len) != 0) {
		fail(label, "cannot write %s", tmpl);
		free(data);
		unlink(tmpl);
		return;
	}
	free(data);
	map.path = tmpl;
	st = py_find_runtime(getpid(), &map, 1, &ri, &e);
	if (ip->supported && (st != HS_OK || strcmp(ri.version, ip->label)))
		fail(label, "%s, version '%s': %s", hs_status_name(st),
		     ri.version, e.msg);
	else if (!ip->supported &&
		 (st != HS_ERR_UNSUPPORTED || !strstr(e.msg, ip->label)))
		fail(label, "%s: %s", hs_status_name(st), e.msg);
	else
		printf("ok   %-20s %s\n", label, ri.version);
	unlink(tmpl);
}

/* Replace every NUL-terminated "_PyRuntime" name by "_PyRuntimX", so
 * neither symbol table knows it; the .PyRuntime section (3.10+) remains. */
static void hide_runtime_symbol(unsigned char *d, size_t len)
{
	static const char name[] = "_PyRuntime"; /* 10 chars + NUL */

	for (size_t i = 0; i + sizeof name <= len; i++)
		if (memcmp(d + i, name, sizeof name) == 0)
			d[i + 9] = 'X';
}

/* 3.10+ without a _PyRuntime symbol: found through .PyRuntime, at the
 * same address the symbol had.  3.8/3.9 have no such section: they must
 * be reported as found-but-unusable, naming the version and the symbol. */
static void run_section_fallback(const struct interp *ip, const char *lib,
				 int minor)
{
	char tmpl[] = "/tmp/test_pyfind_nosym_XXXXXX";
	struct mem_map map = {.start = 0x7f0000000000ULL,
			      .end = 0x7f0000100000ULL,
			      .prot = PROT_READ | PROT_EXEC};
	struct py_runtime_info ri;
	struct elf_image *im;
	struct hs_err e = {0};
	raddr_t want = 0;
	char label[64];
	size_t len;
	unsigned char *data = slurp(lib, &len);
	enum hs_status st;

	snprintf(label, sizeof label, "no-symbol %s", ip->label);
	map.path = (char *)lib;
	if (!data || elf_image_open(getpid(), &map, 1, lib, &im, &e) != HS_OK) {
		fail(label, "cannot open %s: %s", lib, e.msg);
		free(data);
		return;
	}
	elf_image_sym(im, "_PyRuntime", &want, NULL);
	elf_image_free(im);
	hide_runtime_symbol(data, len);
	if (write_temp(tmpl, data, len) != 0) {
		fail(label, "cannot write %s", tmpl);
	} else {
		map.path = tmpl;
		st = py_find_runtime(getpid(), &map, 1, &ri, &e);
		if (minor < 10) {
			if (st != HS_ERR_UNSUPPORTED ||
			    !strstr(e.msg, ip->label) ||
			    !strstr(e.msg, "not export _PyRuntime"))
				fail(label, "%s: %s", hs_status_name(st), e.msg);
			else
				printf("ok   %-20s %s\n", label, e.msg);
		} else if (st != HS_OK || ri.runtime != want || !want ||
		    strcmp(ri.version, ip->label) != 0)
			fail(label, "%s runtime %#llx want %#llx version '%s': %s",
			     hs_status_name(st), (unsigned long long)ri.runtime,
			     (unsigned long long)want, ri.version, e.msg);
		else
			printf("ok   %-20s runtime via .PyRuntime\n", label);
	}
	free(data);
	unlink(tmpl);
}

/* 2.7/3.6 without the static variable interp_head in .symtab (as if
 * stripped): refused, naming what is missing and what to do. */
static void run_legacy_stripped(const struct interp *ip, const char *lib)
{
	char tmpl[] = "/tmp/test_pyfind_legacy_XXXXXX";
	struct mem_map map = {.start = 0x7f0000000000ULL,
			      .end = 0x7f0000100000ULL,
			      .prot = PROT_READ | PROT_EXEC};
	static const char name[] = "interp_head";
	struct py_runtime_info ri;
	struct hs_err e = {0};
	char label[64];
	size_t len;
	unsigned char *data = slurp(lib, &len);
	enum hs_status st;

	snprintf(label, sizeof label, "no-statics %s", ip->label);
	if (!data) {
		fail(label, "cannot read %s", lib);
		return;
	}
	for (size_t i = 0; i + sizeof name <= len; i++)
		if (memcmp(data + i, name, sizeof name) == 0 && (i == 0 || data[i - 1] == 0))
			data[i + sizeof name - 2] = 'X';
	if (write_temp(tmpl, data, len) != 0) {
		fail(label, "cannot write %s", tmpl);
	} else {
		map.path = tmpl;
		st = py_find_runtime(getpid(), &map, 1, &ri, &e);
		if (st != HS_ERR_UNSUPPORTED || !strstr(e.msg, ip->label) ||
		    !strstr(e.msg, "interp_head") || !strstr(e.msg, "keeps its symbols"))
			fail(label, "%s: %s", hs_status_name(st), e.msg);
		else
			printf("ok   %-20s %s\n", label, e.msg);
	}
	free(data);
	unlink(tmpl);
}

/* 3.13 with debug_offsets.free_threaded patched to 1 in the file's
 * .PyRuntime bytes: must be refused as a free-threaded build. */
static void run_fake_free_threaded(const char *lib)
{
	char tmpl[] = "/tmp/test_pyfind_ft_XXXXXX";
	struct mem_map map = {.start = 0x7f0000000000ULL,
			      .end = 0x7f0000100000ULL,
			      .prot = PROT_READ | PROT_EXEC};
	struct py_runtime_info ri;
	struct hs_err e = {0};
	size_t len, hits = 0;
	unsigned char *data = slurp(lib, &len);
	enum hs_status st;

	if (!data)
		return;
	/* The cookie followed by version 0x030d00f0 (the string literal
	 * "xdebugpy" elsewhere in .rodata is not followed by it). */
	for (size_t i = 0; i + 24 <= len; i++)
		if (memcmp(data + i, "xdebugpy\xf0\x00\x0d\x03", 12) == 0) {
			data[i + 16] = 1;
			hits++;
		}
	if (hits != 1 || write_temp(tmpl, data, len) != 0) {
		fail("fake 3.13t", "%zu cookies in %s, or cannot write", hits,
		     lib);
	} else {
		map.path = tmpl;
		st = py_find_runtime(getpid(), &map, 1, &ri, &e);
		if (st != HS_ERR_UNSUPPORTED || !ri.free_threaded ||
		    !strstr(e.msg, "free-threaded") || !strstr(e.msg, "3.13.0"))
			fail("fake 3.13t", "%s: %s", hs_status_name(st), e.msg);
		else
			printf("ok   %-20s %s\n", "fake 3.13t", e.msg);
	}
	free(data);
	unlink(tmpl);
}

static void run_all_renamed(void)
{
	/* pyenv only: the label is the exact version. */
	for (size_t i = 0; i < sizeof interps / sizeof interps[0]; i++) {
		const struct interp *ip = &interps[i];
		char lib[PATH_MAX], minor[16];

		if (strncmp(ip->exe, "/root/.pyenv/", 13) != 0)
			continue;
		/* "3.9.18" -> "3.9" */
		snprintf(minor, sizeof minor, "%s", ip->label);
		*strrchr(minor, '.') = '\0';
		/* 3.6 and 3.7 carry the pymalloc ABI tag: libpython3.7m. */
		snprintf(lib, sizeof lib,
			 "/root/.pyenv/versions/%s/lib/libpython%s%s.so.1.0",
			 ip->label, minor,
			 (!strcmp(minor, "3.6") || !strcmp(minor, "3.7")) ? "m"
									 : "");
		if (access(lib, R_OK) == 0) {
			run_renamed(ip, lib);
			if (ip->supported && ip->legacy)
				run_legacy_stripped(ip, lib);
			else if (ip->supported)
				run_section_fallback(ip, lib, atoi(minor + 2));
			if (strcmp(ip->label, "3.13.0") == 0)
				run_fake_free_threaded(lib);
		}
	}
}

int main(void)
{
	int ran = 0;
	const char *garbage_src = NULL;

	atexit(kill_children);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof interps / sizeof interps[0]; i++) {
		if (access(interps[i].exe, X_OK) != 0) {
			printf("skip %-12s %s not present\n", interps[i].label,
			       interps[i].exe);
			continue;
		}
		ran++;
		run_interp(&interps[i]);
	}
	if (!ran) {
		printf("SKIP: no Python interpreter present\n");
		return 77;
	}
	run_not_python();
	run_deleted_lib();
	run_all_renamed();
	if (access("/root/.pyenv/versions/3.9.18/lib/libpython3.9.so.1.0",
		   R_OK) == 0)
		garbage_src = "/root/.pyenv/versions/3.9.18/lib/libpython3.9.so.1.0";
	else if (access("/usr/bin/python3.11", R_OK) == 0)
		garbage_src = "/usr/bin/python3.11";
	if (garbage_src)
		run_garbage(garbage_src);
	kill_children();
	if (failures) {
		fprintf(stderr, "%d failure(s)\n", failures);
		return 1;
	}
	printf("all passed\n");
	return 0;
}
