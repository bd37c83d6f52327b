/* test_live — attach/live.c and attach/proc.c against real target processes.
 *
 * The targets are this same program re-executed with --target (64 MiB of
 * patterned heap, a memfd mapped past its end, a file whose name has
 * spaces, one spinning and two sleeping threads, a comm full of parens),
 * --target-churn (threads created and joined non-stop) or --target-big (a
 * 256 MiB malloc block between two anonymous mappings that merge with it,
 * a 2 MiB block and a small one).  Each prints one line to stdout on a
 * pipe once it is ready.
 *
 * Checked: the copy (pattern, sparse anonymous pages, a memfd whose pages
 * past EOF must be split out of the regions, paths with spaces and
 * " (deleted)"), lazy reads of read-only text and their end when the
 * target exits, big malloc blocks (head copied in the pause, tail read on
 * demand with the bytes written before the snapshot, mem_is_lazy, the
 * counters, --max-copy counting only what the pause copies, the tail
 * unreadable but what was read kept after the target exits, everything
 * copied with lazy_min = LIVE_LAZY_OFF), thread count and pause, the target running again after
 * every snapshot and error, chunk sizes, --no-freeze, the /proc/PID/mem
 * fallback, --max-copy refused before any stop, dead / zombie / own PID,
 * another tracer, an unprivileged caller, SIGINT/SIGTERM/SIGKILL to us
 * during the pause, the target killed during the pause, signals sent to
 * the target during freezes (none swallowed), a job-stopped target (left
 * stopped), and threads created and destroyed during the freeze.
 *
 * Needs ptrace rights over its own children (root, or Yama scope <= 1);
 * exits 77 (skip) when it has none.  An ASan build cannot be a target:
 * ASan's shadow is ~16 TiB of read-write mappings, which a snapshot would
 * try to copy.  So an ASan build execs HEAPSCOPE_TEST_TARGET (a build of
 * this file without ASan) as the target, and skips without it:
 *   gcc ... -o /tmp/test_live_plain && gcc ... -fsanitize=address -o /tmp/t &&
 *   HEAPSCOPE_TEST_TARGET=/tmp/test_live_plain /tmp/t
 *
 * Exit 0 = pass, 1 = some check failed (each failure is printed).
 */
#include "access.h"
#include "live.h"
#include "maps.h"
#include "proc.h"
#include "testhook.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif

#ifdef TEST_ASAN
#define TEST_ASAN_ON 1
#else
#define TEST_ASAN_ON 0
#endif

#define BUF_LEN (64u << 20)
#define TARGET_THREADS 4 /* main + spinner + two sleepers */
#define SPARSE_PAGES 64
static const int k_sparse_touched[] = {0, 7, 8, 63};
#define PATTERN(i) (0x5a17e00000000000ull ^ (uint64_t)(i) * 0x9e3779b97f4a7c15ull)

static int g_failures;
/* Checks not run: they need a test build (-Dtest_hooks=true). */
static int g_hooks_missing;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			g_failures++;                                      \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__,      \
				__LINE__, #cond);                          \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
		}                                                          \
	} while (0)

/* ==== Targets (run in the child after exec) ==== */

static volatile int g_spin = 1;
/* SIGRTMIN deliveries; the test reads it out of a snapshot. */
static atomic_int g_rt_count;

static void on_rt_signal(int sig)
{
	(void)sig;
	atomic_fetch_add(&g_rt_count, 1);
}

static _Noreturn void idle_forever(void)
{
	for (;;)
		pause();
}

static void *spin_thread(void *barrier)
{
	pthread_barrier_wait(barrier);
	while (g_spin)
		;
	return NULL;
}

static void *sleep_thread(void *barrier)
{
	pthread_barrier_wait(barrier);
	idle_forever();
}

static int target_main(const char *file_path)
{
	long page = sysconf(_SC_PAGESIZE);
	/* A comm with ") Z (" checks that proc_state parses from the last ')'. */
	prctl(PR_SET_NAME, "hs) Z (t");

	uint64_t *buf = malloc(BUF_LEN);
	if (!buf)
		return 2;
	for (size_t i = 0; i < BUF_LEN / 8; i++)
		buf[i] = PATTERN(i);

	/* Three pages mapped, one page of file: pages 2-3 fault (SIGBUS). */
	int mfd = memfd_create("hs test map", 0);
	if (mfd < 0 || ftruncate(mfd, page) != 0)
		return 2;
	char *mf = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	int ffd = open(file_path, O_RDWR);
	char *fm = ffd < 0 ? MAP_FAILED
		: mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, ffd, 0);
	if (mf == MAP_FAILED || fm == MAP_FAILED)
		return 2;
	memcpy(mf, "HSMEMFD", 8);
	memcpy(fm, "HSFILE", 7);

	/* Mostly untouched anonymous memory: the snapshot skips the pages that
	 * were never touched, and must still show them as zeros. */
	unsigned char *sp = mmap(NULL, SPARSE_PAGES * page, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sp == MAP_FAILED)
		return 2;
	for (size_t i = 0; i < sizeof k_sparse_touched / sizeof *k_sparse_touched; i++)
		memset(sp + k_sparse_touched[i] * page, 0xa0 + (int)i, (size_t)page);

	struct sigaction sa = {.sa_handler = on_rt_signal, .sa_flags = SA_RESTART};
	sigaction(SIGRTMIN, &sa, NULL);

	pthread_barrier_t barrier;
	pthread_t t;
	pthread_barrier_init(&barrier, NULL, TARGET_THREADS);
	pthread_create(&t, NULL, spin_thread, &barrier);
	pthread_create(&t, NULL, sleep_thread, &barrier);
	pthread_create(&t, NULL, sleep_thread, &barrier);
	pthread_barrier_wait(&barrier);

	printf("%p %p %p %p %p\n", (void *)buf, (void *)mf, (void *)fm, (void *)sp,
	       (void *)&g_rt_count);
	fflush(stdout);
	idle_forever();
}

/* --target-incr LOGFILE: INCR_PAGES pages of patterned private anonymous
 * memory, mutated on each 'm' read from stdin (answers "ok\n"): a few
 * pages rewritten, one dropped with MADV_DONTNEED and left unmapped, one
 * dropped and then only read (the shared zero page, present but never
 * written: soft-dirty stays clear), and a piece unmapped and mapped anew
 * with fresh data.  Every page it writes is marked in LOGFILE's bitmap
 * (MAP_SHARED), the record the kernel's soft-dirty bits would hold; the
 * test reads it as the dirty oracle and clears it after each snapshot. */
#define INCR_PAGES 4096
#define INCR_REMAP 16 /* pages unmapped and mapped anew at each 'm' */

static int target_incr_main(const char *log_path)
{
	long page = sysconf(_SC_PAGESIZE);
	int lfd = open(log_path, O_RDWR);
	uint64_t *log = lfd < 0 ? MAP_FAILED
		: mmap(NULL, INCR_PAGES / 8, PROT_READ | PROT_WRITE, MAP_SHARED, lfd, 0);
	unsigned char *b = mmap(NULL, (size_t)INCR_PAGES * page, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (log == MAP_FAILED || b == MAP_FAILED)
		return 2;
	for (size_t i = 0; i < (size_t)INCR_PAGES * page / 8; i++)
		((uint64_t *)b)[i] = PATTERN(i);
	printf("%p\n", (void *)b);
	fflush(stdout);
	uint64_t seed = 0x1234567;
	volatile unsigned char sink = 0;
	char cmd;
	while (read(0, &cmd, 1) == 1) {
		for (int k = 0; k < 40; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			size_t pg = (size_t)(seed >> 33) % INCR_PAGES;
			memset(b + pg * page + (seed >> 20) % 64, (int)(seed >> 8) | 1, 64);
			log[pg / 64] |= 1ull << (pg % 64);
		}
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		size_t gone = (size_t)(seed >> 33) % INCR_PAGES;
		size_t zero = (gone + 1 + (seed >> 13) % 97) % INCR_PAGES;
		madvise(b + gone * page, (size_t)page, MADV_DONTNEED);
		madvise(b + zero * page, (size_t)page, MADV_DONTNEED);
		sink += b[zero * page + 100];
		size_t at = (size_t)(seed >> 40) % (INCR_PAGES - INCR_REMAP);
		unsigned char *r = mmap(b + at * page, (size_t)INCR_REMAP * page,
					PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (r == MAP_FAILED)
			return 2;
		for (size_t i = 0; i < INCR_REMAP; i++) {
			memset(r + i * page, (int)(seed >> 24) ^ (int)i, (size_t)page / 2);
			log[(at + i) / 64] |= 1ull << ((at + i) % 64);
		}
		if (write(1, "ok\n", 3) != 3)
			return 2;
	}
	return 0;
}

#define BIG_LEN (256u << 20)
#define BIG_PATTERN(i) (0xb16b10c000000000ull ^ (uint64_t)(i) * 0xc2b2ae3d27d4eb4full)
#define MID_LEN (2u << 20)  /* mmap()ed by glibc, but below lazy_min */
/* Anonymous mappings glued to the big block's mapping.  The one below
 * is not a multiple of 256 KiB: the scan's walk in arena-sized steps goes
 * off the grid and must fall back to probing every page. */
#define SIDE_LEN ((1u << 20) + (12u << 10))

/* Start of the mapping that holds addr, from /proc/self/maps, or 0. */
static uintptr_t map_start_of(uintptr_t addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long a, b;
	uintptr_t found = 0;
	char line[512];
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && a <= addr && addr < b)
			found = a;
	if (f)
		fclose(f);
	return found;
}

/* A 256 MiB malloc block (glibc gives it a mapping of its own), with an
 * anonymous mapping glued below the mapping that holds it and one above
 * it: the kernel merges them into one mapping, so the block's header is
 * not at the mapping's start.  The side mappings are fully written, like
 * pymalloc arenas. */
static int target_big_main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t *big = malloc(BIG_LEN);
	unsigned char *mid = malloc(MID_LEN);
	char *small = malloc(48);
	if (!big || !mid || !small)
		return 2;
	for (size_t i = 0; i < BIG_LEN / 8; i++)
		big[i] = BIG_PATTERN(i);
	for (size_t i = 0; i < MID_LEN; i++)
		mid[i] = (unsigned char)(i * 7);
	snprintf(small, 48, "small object");
	/* The block's mapping: glibc's header is the 16 bytes before it. */
	uintptr_t bstart = (uintptr_t)big - 16;
	uint64_t size;
	memcpy(&size, (const void *)(bstart + 8), sizeof size);
	uintptr_t bend = bstart + (size & ~(uint64_t)(page - 1));
	uintptr_t low = map_start_of(bstart);
	unsigned char *below = mmap((void *)(low - SIDE_LEN), SIDE_LEN, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	unsigned char *above = mmap((void *)bend, SIDE_LEN, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (below != MAP_FAILED)
		memset(below, 0xb0, SIDE_LEN);
	else
		below = NULL;
	if (above != MAP_FAILED)
		memset(above, 0xab, SIDE_LEN);
	else
		above = NULL;
	printf("%p %p %p %p %p\n", (void *)big, (void *)mid, (void *)small,
	       (void *)below, (void *)above);
	fflush(stdout);
	idle_forever();
}

static void *nop_thread(void *arg)
{
	return arg;
}

static void *churn_thread(void *arg)
{
	for (;;) {
		pthread_t t;
		if (pthread_create(&t, NULL, nop_thread, arg) == 0)
			pthread_join(t, NULL);
	}
	return NULL;
}

static int target_churn_main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, churn_thread, NULL);
	pthread_create(&t, NULL, churn_thread, NULL);
	printf("ready\n");
	fflush(stdout);
	idle_forever();
}

/* One thread that vforks a child sleeping 12 s: the parent waits for it
 * in the kernel (state D), where PTRACE_INTERRUPT does not reach it. */
static int target_vfork_main(void)
{
	printf("ready\n");
	fflush(stdout);
	usleep(100000); /* let the test read the line before we block */
	pid_t child = vfork();
	if (child == 0) {
		struct timespec ts = {12, 0};
		syscall(SYS_nanosleep, &ts, NULL);
		_exit(0);
	}
	if (child > 0)
		waitpid(child, NULL, 0);
	idle_forever();
}

/* ==== Test helpers ==== */

static char g_target_exe[PATH_MAX];
static char g_file_path[PATH_MAX];

struct target {
	pid_t pid;
	uint64_t buf, memfd_map, file_map, sparse, rt_count;
	uint64_t big, mid, small, below, above; /* --target-big */
};

/* Read one line from fd within timeout_ms; 0 or -1. */
static int read_line(int fd, char *line, size_t cap, int timeout_ms)
{
	size_t n = 0;
	while (n + 1 < cap) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, timeout_ms) <= 0 || read(fd, line + n, 1) != 1)
			return -1;
		if (line[n++] == '\n')
			break;
	}
	line[n] = 0;
	return 0;
}

/* Start a target; mode is "--target" or "--target-churn". */
static int spawn(const char *mode, struct target *t)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
		dup2(fds[1], 1);
		close(fds[0]);
		execl(g_target_exe, g_target_exe, mode, g_file_path, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char line[256];
	int ok = pid > 0 && read_line(fds[0], line, sizeof line, 20000) == 0;
	close(fds[0]);
	*t = (struct target){.pid = pid};
	if (ok && strcmp(mode, "--target") == 0)
		ok = sscanf(line, "%lx %lx %lx %lx %lx", (unsigned long *)&t->buf,
			    (unsigned long *)&t->memfd_map, (unsigned long *)&t->file_map,
			    (unsigned long *)&t->sparse, (unsigned long *)&t->rt_count) == 5;
	/* "(nil)" for a side mapping that could not be placed: sscanf stops. */
	if (ok && strcmp(mode, "--target-big") == 0)
		ok = sscanf(line, "%lx %lx %lx %lx %lx", (unsigned long *)&t->big,
			    (unsigned long *)&t->mid, (unsigned long *)&t->small,
			    (unsigned long *)&t->below, (unsigned long *)&t->above) >= 3;
	if (!ok) {
		fprintf(stderr, "FAIL: target %s did not start\n", mode);
		g_failures++;
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		return -1;
	}
	return 0;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Number of threads of pid in a stopped state ('t' or 'T'), or -1. */
static int stopped_threads(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char st = proc_state((pid_t)atoi(e->d_name));
		n += st == 't' || st == 'T';
	}
	closedir(d);
	return n;
}

/* Wait up to 2 s for every thread to run again: a detached tracee is
 * woken at once, so anything longer is a thread we left stopped. */
static int all_running(pid_t pid)
{
	for (int i = 0; i < 200; i++) {
		if (stopped_threads(pid) == 0)
			return 1;
		usleep(10000);
	}
	return 0;
}

static int wait_for_state(pid_t pid, char want, int timeout_ms)
{
	for (int i = 0; i < timeout_ms / 2; i++) {
		if (proc_state(pid) == want)
			return 1;
		usleep(2000);
	}
	return 0;
}

static int pattern_ok(memsrc *m, uint64_t addr)
{
	const uint64_t *p = mem_ptr(m, addr, BUF_LEN);
	if (!p)
		return 0;
	for (size_t i = 0; i < BUF_LEN / 8; i++)
		if (p[i] != PATTERN(i))
			return 0;
	uint64_t w;
	return mem_u64(m, addr + 8 * 12345, &w) == 0 && w == PATTERN(12345);
}

static const struct mem_map *find_map_path(memsrc *m, const char *path)
{
	size_t n;
	const struct mem_map *maps = mem_maps(m, &n);
	for (size_t i = 0; i < n; i++)
		if (maps[i].path && strcmp(maps[i].path, path) == 0)
			return &maps[i];
	return NULL;
}

/* The target's executable mapped read-only at file offset 0 (ELF header). */
static const struct mem_map *find_exe_header(memsrc *m, pid_t pid)
{
	char link[64], exe[PATH_MAX];
	snprintf(link, sizeof link, "/proc/%d/exe", (int)pid);
	ssize_t len = readlink(link, exe, sizeof exe - 1);
	if (len <= 0)
		return NULL;
	exe[len] = 0;
	size_t n;
	const struct mem_map *maps = mem_maps(m, &n);
	for (size_t i = 0; i < n; i++)
		if (maps[i].path && strcmp(maps[i].path, exe) == 0 &&
		    maps[i].offset == 0 && !(maps[i].prot & PROT_WRITE))
			return &maps[i];
	return NULL;
}

/* Touched pages hold their byte, the others zeros, all inside the copy. */
static int sparse_ok(memsrc *m, uint64_t addr)
{
	long page = sysconf(_SC_PAGESIZE);
	const unsigned char *p = mem_ptr(m, addr, SPARSE_PAGES * (size_t)page);
	if (!p)
		return 0;
	for (int pg = 0; pg < SPARSE_PAGES; pg++) {
		int want = 0;
		for (size_t i = 0; i < sizeof k_sparse_touched / sizeof *k_sparse_touched; i++)
			if (k_sparse_touched[i] == pg)
				want = 0xa0 + (int)i;
		for (long b = 0; b < page; b++)
			if (p[pg * page + b] != want)
				return 0;
	}
	return 1;
}

/* Checks every snapshot of a --target must pass, whatever its options.
 * lazy: the options leave big malloc blocks lazy (the 64 MiB buffer is
 * one: its head is copied, the rest read when pattern_ok asks for it). */
static void check_common(memsrc *m, const struct target *t, int lazy)
{
	long page = sysconf(_SC_PAGESIZE);
	char tmp[16];
	const struct memsrc_info *in = mem_info(m);

	if (lazy) {
		CHECK(mem_in_copy(m, t->buf, 4096) && !mem_is_lazy(m, t->buf, 4096),
		      "head of the 64 MiB block not copied");
		CHECK(!mem_in_copy(m, t->buf + BUF_LEN / 2, 8) &&
		      mem_is_lazy(m, t->buf + BUF_LEN / 2, 8), "64 MiB block not lazy");
		CHECK(in->bytes_lazy >= BUF_LEN - LIVE_LAZY_HEAD && in->bytes_copied < BUF_LEN,
		      "bytes_lazy %llu bytes_copied %llu", (unsigned long long)in->bytes_lazy,
		      (unsigned long long)in->bytes_copied);
	} else {
		CHECK(mem_in_copy(m, t->buf, BUF_LEN) && !mem_is_lazy(m, t->buf, BUF_LEN),
		      "64 MiB block not copied in full");
		CHECK(in->bytes_copied >= BUF_LEN && in->bytes_lazy == 0,
		      "bytes_copied %llu bytes_lazy %llu", (unsigned long long)in->bytes_copied,
		      (unsigned long long)in->bytes_lazy);
	}
	uint64_t lazy_bytes = in->lazy_bytes;
	CHECK(pattern_ok(m, t->buf), "64 MiB pattern at %#llx differs",
	      (unsigned long long)t->buf);
	CHECK(lazy ? in->lazy_bytes - lazy_bytes >= BUF_LEN - LIVE_LAZY_HEAD
		   : in->lazy_bytes == lazy_bytes, "lazy_bytes %llu -> %llu",
	      (unsigned long long)lazy_bytes, (unsigned long long)in->lazy_bytes);
	CHECK(sparse_ok(m, t->sparse), "sparse anonymous mapping at %#llx",
	      (unsigned long long)t->sparse);
	CHECK(!mem_is_lazy(m, t->sparse, 4096), "sparse mapping lazy");
	CHECK(mem_read(m, 0x1000, tmp, 8) == -1, "page 1 should be unmapped");
	CHECK(mem_read(m, 0xffff800000000000ull, tmp, 8) == -1, "kernel address");
	CHECK(mem_read(m, ~0ull - 3, tmp, 8) == -1, "wrapping address");

	/* memfd: page 0 copied, pages 1-2 (past EOF) split out of the region. */
	const struct mem_map *mm = find_map_path(m, "/memfd:hs test map (deleted)");
	CHECK(mm && mm->shared && mm->start == t->memfd_map,
	      "memfd map with spaces and \" (deleted)\" not parsed");
	CHECK(mem_in_copy(m, t->memfd_map, (size_t)page), "memfd page 0 not copied");
	CHECK(mem_read(m, t->memfd_map, tmp, 8) == 0 && !strcmp(tmp, "HSMEMFD"),
	      "memfd page 0 content");
	CHECK(!mem_in_copy(m, t->memfd_map + page, 1), "memfd page 1 in a region");
	CHECK(mem_read(m, t->memfd_map + 2 * page, tmp, 8) == -1,
	      "memfd page 2 (past EOF) read succeeded");
	CHECK(mem_read(m, t->memfd_map + page - 4, tmp, 8) == -1,
	      "read straddling into a bad page succeeded");

	const struct mem_map *fm = find_map_path(m, g_file_path);
	CHECK(fm && fm->start == t->file_map, "file path with spaces: %s", g_file_path);
	CHECK(mem_read(m, t->file_map, tmp, 7) == 0 && !strcmp(tmp, "HSFILE"),
	      "private file page content");

	/* Read-only text is not copied but served by read_uncopied. */
	const struct mem_map *exe = find_exe_header(m, t->pid);
	uint64_t reads = mem_info(m)->lazy_reads;
	CHECK(exe && !mem_in_copy(m, exe->start, 4) && !mem_is_lazy(m, exe->start, 4),
	      "exe header map");
	CHECK(exe && mem_read(m, exe->start, tmp, 4) == 0 && !memcmp(tmp, "\177ELF", 4),
	      "ELF magic through read_uncopied");
	CHECK(mem_info(m)->lazy_reads == reads + 1, "lazy_reads not counted");

	size_t n;
	const struct mem_map *maps = mem_maps(m, &n);
	for (size_t i = 1; i < n; i++)
		CHECK(maps[i].start >= maps[i - 1].end, "maps overlap at %zu", i);
	CHECK(mem_info(m)->pid == t->pid && mem_info(m)->taken_at > 0, "info");
}

/* ==== Tests ==== */

static void test_proc(const struct target *t)
{
	struct hs_err err = {0};
	CHECK(proc_state(t->pid) == 'S' || proc_state(t->pid) == 'R',
	      "state '%c' (comm has parens)", proc_state(t->pid));
	CHECK(proc_ppid(t->pid) == getpid(), "ppid %d", (int)proc_ppid(t->pid));
	CHECK(proc_rss(t->pid) >= BUF_LEN, "rss %llu", proc_rss(t->pid));
	CHECK(proc_state(-5) == 0 && proc_rss(-5) == 0, "bad pid");
	CHECK(proc_ptrace_scope() >= -1 && proc_ptrace_scope() <= 3, "scope");
	CHECK(proc_check_exists(1, &err) == HS_OK, "pid 1 exists: %s", err.msg);
	CHECK(proc_check_exists(0, &err) == HS_ERR_NO_PROCESS, "pid 0");

	CHECK(access_error(t->pid, "PTRACE_SEIZE", EPERM, &err) ==
	      HS_ERR_PERMISSION && err.code == HS_ERR_PERMISSION, "code");
	/* Our own child, as root with every capability: nothing we can see
	 * refuses, and the message says exactly that (never "use sudo" to
	 * root).  Each real cause is tested in test_access and
	 * tests/integration/test_access.py. */
	CHECK(strstr(err.msg, "PTRACE_SEIZE failed") && strstr(err.msg, "CAP_SYS_PTRACE") &&
	      strstr(err.msg, "nothing visible explains") &&
	      (geteuid() != 0 || !strstr(err.msg, "sudo")),
	      "permission text: %s", err.msg);
}

static void test_snapshot(const struct target *t)
{
	struct sigaction before, after;
	sigaction(SIGTERM, NULL, &before);

	memsrc *m = NULL;
	struct hs_err err = {0};
	enum hs_status st = live_snapshot(t->pid, &(struct live_opts){0}, &m, &err);
	CHECK(st == HS_OK, "live_snapshot: %s", err.msg);
	if (st != HS_OK)
		return;
	const struct memsrc_info *in = mem_info(m);
	printf("snapshot: %.1f MiB, pause %.2f ms, copy %.2f ms (%.0f MB/s), %d threads\n",
	       in->bytes_copied / 1048576.0, in->pause_ms, in->copy_ms,
	       in->bytes_copied / 1e3 / (in->copy_ms > 0 ? in->copy_ms : 1), in->threads);
	CHECK(!strcmp(in->kind, "live"), "kind %s", in->kind);
	CHECK(in->threads == TARGET_THREADS, "threads %d", in->threads);
	CHECK(in->pause_ms > 0 && in->pause_ms >= in->copy_ms, "pause %.3f copy %.3f",
	      in->pause_ms, in->copy_ms);
	check_common(m, t, 1);
	CHECK(all_running(t->pid), "threads left stopped");
	CHECK(proc_state(t->pid) != 't' && proc_state(t->pid) != 'T', "state");
	sigaction(SIGTERM, NULL, &after);
	CHECK(before.sa_handler == after.sa_handler, "SIGTERM handler not restored");
	memsrc_free(m);
}

static void test_variants(const struct target *t)
{
	/* env: a test hook set to val (NULL: "1") for the snapshot */
	struct { const char *what; struct live_opts o; const char *env, *val; } v[] = {
		{"no-freeze", {.no_freeze = 1}, NULL, NULL},
		{"4 KiB chunks", {.chunk = 4096}, NULL, NULL},
		{"odd chunk", {.chunk = 100000}, NULL, NULL},
		{"/proc/PID/mem fallback", {0}, "HEAPSCOPE_TEST_NO_VM_READV", NULL},
		{"every page read", {0}, "HEAPSCOPE_TEST_NO_PAGEMAP", NULL},
		{"lazy off", {.lazy_min = LIVE_LAZY_OFF}, NULL, NULL},
		{"lazy off, no-freeze", {.no_freeze = 1, .lazy_min = LIVE_LAZY_OFF}, NULL, NULL},
		{"lazy_min above the block", {.lazy_min = BUF_LEN + (8u << 20)}, NULL, NULL},
		{"lazy_min 1 MiB", {.lazy_min = 1u << 20}, NULL, NULL},
		/* the two-thread copy (big copies only, else): the halves
		 * meet anywhere, the memfd's unreadable pages are retried */
		{"two copy threads", {0}, "HEAPSCOPE_TEST_COPY_THREADS", "2"},
		{"two copy threads, 4 KiB chunks", {.chunk = 4096}, "HEAPSCOPE_TEST_COPY_THREADS", "2"},
		{"two copy threads, lazy off", {.lazy_min = LIVE_LAZY_OFF},
		 "HEAPSCOPE_TEST_COPY_THREADS", "2"},
		{"two copy threads, no-freeze", {.no_freeze = 1}, "HEAPSCOPE_TEST_COPY_THREADS", "2"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		memsrc *m = NULL;
		struct hs_err err = {0};
		if (v[i].env && !HS_TEST_HOOKS_ON) {
			g_hooks_missing++;   /* the hook is compiled out */
			continue;
		}
		if (v[i].env)
			setenv(v[i].env, v[i].val ? v[i].val : "1", 1);
		enum hs_status st = live_snapshot(t->pid, &v[i].o, &m, &err);
		if (v[i].env)
			unsetenv(v[i].env);
		CHECK(st == HS_OK, "%s: %s", v[i].what, err.msg);
		if (st != HS_OK)
			continue;
		check_common(m, t, v[i].o.lazy_min == 0 || v[i].o.lazy_min <= BUF_LEN);
		CHECK(!strcmp(mem_info(m)->kind, v[i].o.no_freeze ? "live-nofreeze" : "live"),
		      "%s: kind %s", v[i].what, mem_info(m)->kind);
		memsrc_free(m);
		CHECK(all_running(t->pid), "%s: threads left stopped", v[i].what);
	}
}

static void test_max_copy(const struct target *t)
{
	memsrc *m = NULL;
	struct hs_err err = {0};
	enum hs_status st = live_snapshot(t->pid, &(struct live_opts){.max_copy = 1 << 20},
					  &m, &err);
	CHECK(st == HS_ERR_NOMEM && !m, "max_copy: %d", st);
	CHECK(strstr(err.msg, "--max-copy") != NULL, "message: %s", err.msg);
	CHECK(stopped_threads(t->pid) == 0, "target stopped by a refused snapshot");
}

static void test_no_process(void)
{
	struct hs_err err = {0};
	memsrc *m = NULL;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	/* A zombie still has a PID but no memory. */
	wait_for_state(pid, 'Z', 2000);
	CHECK(live_snapshot(pid, NULL, &m, &err) == HS_ERR_NO_PROCESS,
	      "zombie: %s", err.msg);
	waitpid(pid, NULL, 0);
	CHECK(live_snapshot(pid, NULL, &m, &err) == HS_ERR_NO_PROCESS, "dead: %s", err.msg);
	char want[64];
	snprintf(want, sizeof want, "`ps -p %d`", (int)pid);
	CHECK(strstr(err.msg, want) != NULL, "message: %s", err.msg);
	CHECK(live_snapshot(-1, NULL, &m, &err) == HS_ERR_NO_PROCESS, "pid -1");
	CHECK(live_snapshot(getpid(), NULL, &m, &err) == HS_ERR_USAGE, "self");
	CHECK(m == NULL, "memsrc returned on error");
}

/* Another tracer holds the target: the message must name it. */
static void test_already_traced(const struct target *t)
{
	int fds[2];
	if (pipe(fds) != 0)
		return;
	pid_t tracer = fork();
	if (tracer == 0) {
		char ok = ptrace(PTRACE_SEIZE, t->pid, 0L, 0L) == 0 ? 'y' : 'n';
		if (write(fds[1], &ok, 1) != 1)
			_exit(1);
		idle_forever();
	}
	char ok = 'n';
	CHECK(read(fds[0], &ok, 1) == 1 && ok == 'y', "helper could not seize");
	close(fds[0]);
	close(fds[1]);

	memsrc *m = NULL;
	struct hs_err err = {0};
	char want[64];
	snprintf(want, sizeof want, "already traced by PID %d", (int)tracer);
	CHECK(live_snapshot(t->pid, NULL, &m, &err) == HS_ERR_PERMISSION, "%s", err.msg);
	CHECK(strstr(err.msg, want) && strstr(err.msg, "detach it"), "message: %s", err.msg);
	reap(tracer); /* the kernel detaches it from the target */
	CHECK(all_running(t->pid), "target stopped after the tracer left");
}

/* An unprivileged heapscope gets the CAP_SYS_PTRACE explanation. */
static void test_permission(const struct target *t)
{
	if (geteuid() != 0)
		return;
	int fds[2];
	if (pipe(fds) != 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		struct hs_err err = {0};
		memsrc *m = NULL;
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		enum hs_status st = live_snapshot(t->pid, NULL, &m, &err);
		if (write(fds[1], err.msg, strlen(err.msg) + 1) < 0)
			_exit(4);
		_exit(st);
	}
	close(fds[1]);
	char msg[1100] = "";
	ssize_t n = read(fds[0], msg, sizeof msg - 1);
	msg[n > 0 ? n : 0] = 0;
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == HS_ERR_PERMISSION,
	      "unprivileged: status %#x: %s", status, msg);
	CHECK(strstr(msg, "uid 0") && strstr(msg, "CAP_SYS_PTRACE"), "message: %s", msg);
}

/* heapscope receives sig while the target is stopped.  What must happen:
 *   - the target runs again right after the pause, never later;
 *   - SIGINT/TERM/HUP/QUIT/PIPE with the default action: the snapshot
 *     fails with HS_ERR_INTERRUPTED (exit 11) after the thaw;
 *   - the same with a handler installed (watch's Ctrl-C): the snapshot
 *     succeeds and the handler runs after it;
 *   - SIGTSTP/TTIN/TTOU: heapscope stops after the thaw (the target runs
 *     while heapscope is stopped) and finishes when continued;
 *   - SIGKILL: the kernel releases the target;
 *   - a crash signal (SEGV, ABRT): the handler detaches, then heapscope
 *     dies of it.
 * The child is its own process group: job-control stops are discarded in
 * an orphaned one. */
static volatile sig_atomic_t g_caught;
static void on_caught(int sig)
{
	g_caught = sig;
}

static void test_signal_during_pause(const struct target *t, int sig, int with_handler)
{
	if (!HS_TEST_HOOKS_ON) {
		g_hooks_missing++;
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		memsrc *m = NULL;
		struct hs_err err;
		/* The default action is what is tested: a runner started under
		 * nohup (or as a background job) hands down SIG_IGN. */
		signal(sig, SIG_DFL);
		if (with_handler) {
			struct sigaction sa = {.sa_handler = on_caught};
			sigemptyset(&sa.sa_mask);
			sigaction(sig, &sa, NULL);
		}
		setenv("HEAPSCOPE_TEST_PAUSE_DELAY_MS", "1500", 1);
		enum hs_status st = live_snapshot(t->pid, NULL, &m, &err);
		memsrc_free(m);
		if (with_handler)
			_exit(st == HS_OK && g_caught == sig ? 42 : 100 + (int)st);
		_exit((int)st);
	}
	CHECK(wait_for_state(t->pid, 't', 5000), "sig %d: target never stopped", sig);
	kill(pid, sig);
	int status;
	if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
		/* Stopped after the thaw, with the target running. */
		CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
		      WSTOPSIG(status) == sig, "sig %d: heapscope status %#x", sig, status);
		CHECK(all_running(t->pid), "sig %d: target stopped while heapscope is", sig);
		kill(pid, SIGCONT);
	}
	waitpid(pid, &status, 0);
	if (sig == SIGKILL || sig == SIGSEGV || sig == SIGABRT)
		/* The crash goes on to the handler before ours: under ASan that
		 * is ASan's, which reports and exits 1. */
		CHECK((WIFSIGNALED(status) && WTERMSIG(status) == sig) ||
		      (TEST_ASAN_ON && sig == SIGSEGV && WIFEXITED(status) && WEXITSTATUS(status)),
		      "sig %d: heapscope status %#x", sig, status);
	else if (with_handler)
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42,
		      "sig %d with a handler: status %#x (42 = ok and handled)", sig, status);
	else if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == HS_OK,
		      "sig %d: continued heapscope ended %#x", sig, status);
	else
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == HS_ERR_INTERRUPTED,
		      "sig %d: heapscope status %#x, want exit %d", sig, status, HS_ERR_INTERRUPTED);
	CHECK(all_running(t->pid), "sig %d: target left stopped", sig);
}

/* A thread blocked in the kernel (a vfork parent waits in D state, deaf to
 * PTRACE_INTERRUPT until its child exits) neither stops nor can be
 * detached: the freeze gives up, thaw() gives up after its deadline with a
 * message naming the thread, live_stranded() says heapscope must exit, and
 * after the exit the kernel lets the thread go when it wakes up. */
static void test_stuck_thread(void)
{
	struct target t;
	if (spawn("--target-vfork", &t) != 0)
		return;
	CHECK(wait_for_state(t.pid, 'D', 3000), "vfork target: state '%c', not D",
	      proc_state(t.pid));
	int fds[2];
	if (pipe(fds) != 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		memsrc *m = NULL;
		struct hs_err err = {0};
		double t0 = (double)time(NULL);
		enum hs_status st = live_snapshot(t.pid, NULL, &m, &err);
		char line[1200];
		int len = snprintf(line, sizeof line, "%d %d %.0f %s", (int)st, live_stranded(),
				   (double)time(NULL) - t0, err.msg);
		if (write(fds[1], line, (size_t)len) < 0)
			_exit(2);
		_exit(0); /* the kernel now releases the stuck thread */
	}
	close(fds[1]);
	char buf[1200] = "";
	ssize_t got = 0, r;
	while ((r = read(fds[0], buf + got, sizeof buf - 1 - (size_t)got)) > 0)
		got += r;
	close(fds[0]);
	waitpid(pid, NULL, 0);
	int st = -1, stranded = -1, secs = -1;
	char tid[32];
	snprintf(tid, sizeof tid, "thread %d ", (int)t.pid);
	CHECK(sscanf(buf, "%d %d %d", &st, &stranded, &secs) == 3 && st == HS_ERR_TARGET_CHANGED &&
	      stranded == 1 && strstr(buf, tid) && strstr(buf, "did not resume"),
	      "stuck thread: %s", buf);
	printf("stuck thread: %s\n", buf);
	CHECK(secs >= 0 && secs < 12, "stuck thread: the snapshot took %d s (the vfork child "
	      "sleeps 12 s: it waited for it)", secs);
	/* The vfork child exits 12 s after it started; the parent must then
	 * run on, not stop for a tracer that is gone. */
	int ok = 0;
	for (int i = 0; i < 200 && !ok; i++) {
		usleep(100000);
		char s = proc_state(t.pid);
		ok = s == 'S' || s == 'R';
	}
	CHECK(ok && all_running(t.pid), "stuck thread: target state '%c' after the vfork ended",
	      proc_state(t.pid));
	reap(t.pid);
}

/* SIGRTMIN counter of the target, read through a fresh snapshot, or -1. */
static int rt_count(const struct target *t)
{
	memsrc *m = NULL;
	struct hs_err err;
	int n = -1;
	if (live_snapshot(t->pid, NULL, &m, &err) == HS_OK &&
	    mem_read(m, t->rt_count, &n, sizeof n) != 0)
		n = -1;
	memsrc_free(m);
	return n;
}

/* Signals that reach the target while we freeze it (some land in a
 * signal-delivery-stop) must all be delivered: real-time signals queue,
 * so every one sent must be counted once. */
static void test_signals_not_swallowed(const struct target *t)
{
	enum { SENT = 2000 };
	int before = rt_count(t);
	pid_t sender = fork();
	if (sender == 0) {
		for (int i = 0; i < SENT; i++) {
			kill(t->pid, SIGRTMIN);
			usleep(100);
		}
		_exit(0);
	}
	int snaps = 0;
	while (waitpid(sender, NULL, WNOHANG) == 0) {
		memsrc *m = NULL;
		struct hs_err err;
		CHECK(live_snapshot(t->pid, NULL, &m, &err) == HS_OK, "%s", err.msg);
		memsrc_free(m);
		snaps++;
	}
	int after = -1;
	for (int i = 0; i < 100 && after != before + SENT; i++, usleep(20000))
		after = rt_count(t);
	CHECK(before >= 0 && after == before + SENT, "%d of %d signals delivered "
	      "across %d snapshots", after - before, SENT, snaps);
}

/* A target stopped by job control (kill -STOP, Ctrl-Z) can be copied and
 * must still be stopped afterwards: we never resume what we did not stop. */
static void test_job_stopped(const struct target *t)
{
	kill(t->pid, SIGSTOP);
	CHECK(wait_for_state(t->pid, 'T', 2000), "SIGSTOP did not stop the target");
	memsrc *m = NULL;
	struct hs_err err;
	CHECK(live_snapshot(t->pid, NULL, &m, &err) == HS_OK, "%s", err.msg);
	CHECK(m && pattern_ok(m, t->buf), "copy of a stopped target");
	memsrc_free(m);
	usleep(20000);
	CHECK(proc_state(t->pid) == 'T', "job-stopped target was resumed ('%c')",
	      proc_state(t->pid));
	kill(t->pid, SIGCONT);
	CHECK(all_running(t->pid), "SIGCONT did not resume the target");
}

/* Lazy reads stop when the target exits: its PID could be reused.  What
 * was copied, or read lazily before, stays. */
static void test_lazy_after_exit(const struct target *t)
{
	memsrc *m = NULL, *full = NULL;
	struct hs_err err;
	char tmp[4];
	uint64_t w = 0, early = t->buf + BUF_LEN / 4, late = t->buf + BUF_LEN / 2;
	CHECK(live_snapshot(t->pid, NULL, &m, &err) == HS_OK, "%s", err.msg);
	CHECK(live_snapshot(t->pid, &(struct live_opts){.lazy_min = LIVE_LAZY_OFF},
			    &full, &err) == HS_OK, "%s", err.msg);
	const struct mem_map *exe = m ? find_exe_header(m, t->pid) : NULL;
	CHECK(exe && mem_read(m, exe->start, tmp, 4) == 0, "lazy read while alive");
	CHECK(m && mem_u64(m, early, &w) == 0 && w == PATTERN(BUF_LEN / 32),
	      "lazy tail read while alive");
	reap(t->pid);
	CHECK(exe && mem_read(m, exe->start, tmp, 4) == -1, "lazy read after exit");
	CHECK(m && mem_read(m, late, &w, 8) == -1 && !mem_ptr(m, late, 8),
	      "unread lazy tail readable after exit");
	CHECK(m && mem_u64(m, early, &w) == 0 && w == PATTERN(BUF_LEN / 32),
	      "lazy bytes read before the exit lost");
	CHECK(m && mem_u64(m, t->buf, &w) == 0 && w == PATTERN(0), "head lost");
	CHECK(full && pattern_ok(full, t->buf), "the copy outlives the target");
	memsrc_free(m);
	memsrc_free(full);
}

static int big_pattern_ok(const uint64_t *p, uint64_t first, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != BIG_PATTERN(first + i))
			return 0;
	return 1;
}

static unsigned long long self_rss(void)
{
	return proc_rss(getpid());
}

/* A 256 MiB malloc block: its head is copied during the pause, the rest
 * is read on demand, with the bytes the target wrote before the snapshot;
 * with lazy_min = LIVE_LAZY_OFF it is copied like everything else. */
static void test_big_block(void)
{
	struct target t;
	if (spawn("--target-big", &t) != 0)
		return;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t chunk = t.big - 16, head_end = chunk + LIVE_LAZY_HEAD;
	memsrc *m = NULL;
	struct hs_err err = {0};

	unsigned long long rss0 = self_rss();
	CHECK(live_snapshot(t.pid, NULL, &m, &err) == HS_OK, "big: %s", err.msg);
	if (!m) {
		reap(t.pid);
		return;
	}
	const struct memsrc_info *in = mem_info(m);
	unsigned long long rss1 = self_rss();
	printf("big block: %.1f MiB copied, %.1f MiB lazy, pause %.2f ms, our RSS +%.1f MiB\n",
	       in->bytes_copied / 1048576.0, in->bytes_lazy / 1048576.0, in->pause_ms,
	       (rss1 - rss0) / 1048576.0);
	const struct mem_map *bm = mem_map_find(m, t.big);
	printf("big block: mapping %#llx-%#llx, block %#llx (+%#llx)\n",
	       bm ? (unsigned long long)bm->start : 0ull, bm ? (unsigned long long)bm->end : 0ull,
	       (unsigned long long)chunk, bm ? (unsigned long long)(chunk - bm->start) : 0ull);
	CHECK(in->lazy_reads == 0 && in->lazy_bytes == 0, "lazy reads before any read: %llu",
	      (unsigned long long)in->lazy_reads);
	CHECK(in->bytes_lazy >= BIG_LEN - LIVE_LAZY_HEAD && in->bytes_lazy <= BIG_LEN,
	      "bytes_lazy %llu", (unsigned long long)in->bytes_lazy);
	CHECK(in->bytes_copied < BIG_LEN / 4, "bytes_copied %llu",
	      (unsigned long long)in->bytes_copied);
	CHECK(rss1 - rss0 < 64ull << 20, "our RSS grew by %llu bytes", rss1 - rss0);
	/* The head: chunk header, then the first bytes, copied in the pause. */
	uint64_t h[2] = {1, 1};
	CHECK(mem_in_copy(m, chunk, LIVE_LAZY_HEAD) && mem_read(m, chunk, h, 16) == 0 &&
	      h[0] == 0 && (h[1] & 0xfff) == 2, "block header %#llx %#llx",
	      (unsigned long long)h[0], (unsigned long long)h[1]);
	const uint64_t *p = mem_ptr(m, t.big, LIVE_LAZY_HEAD - 16);
	CHECK(p && big_pattern_ok(p, 0, (LIVE_LAZY_HEAD - 16) / 8), "head pattern");
	CHECK(!mem_is_lazy(m, chunk, LIVE_LAZY_HEAD), "head is lazy");
	CHECK(!mem_in_copy(m, head_end, 8) && mem_is_lazy(m, head_end, 8) &&
	      mem_is_lazy(m, chunk, LIVE_LAZY_HEAD + 1) &&
	      mem_is_lazy(m, t.big + BIG_LEN - 8, 8), "tail not lazy");
	CHECK(!mem_is_lazy(m, t.small, 48) && !mem_is_lazy(m, t.mid, MID_LEN) &&
	      mem_in_copy(m, t.mid, MID_LEN) && mem_in_copy(m, t.small, 48),
	      "small and 2 MiB blocks must be copied");
	char small[48] = "";
	CHECK(mem_cstr(m, t.small, small, sizeof small) > 0 &&
	      !strcmp(small, "small object"), "small object '%s'", small);
	const unsigned char *mid = mem_ptr(m, t.mid, MID_LEN);
	int mid_ok = mid != NULL;
	for (size_t i = 0; mid && i < MID_LEN; i++)
		mid_ok &= mid[i] == (unsigned char)(i * 7);
	CHECK(mid_ok, "2 MiB block content");
	if (t.below && t.above) {
		CHECK(mem_in_copy(m, t.below, SIDE_LEN) && mem_in_copy(m, t.above, SIDE_LEN) &&
		      !mem_is_lazy(m, t.below, SIDE_LEN) && !mem_is_lazy(m, t.above, SIDE_LEN),
		      "mappings glued to the block must be copied");
		unsigned char b = 0, a = 0;
		CHECK(mem_read(m, t.below + SIDE_LEN - 1, &b, 1) == 0 && b == 0xb0 &&
		      mem_read(m, t.above, &a, 1) == 0 && a == 0xab, "side content %#x %#x", b, a);
	}
	/* Reads from the tail: through mem_read, and mem_ptr from the head on
	 * into the tail (an item array whose start was copied). */
	uint64_t w = 0, off = BIG_LEN / 2 + 24;
	CHECK(mem_u64(m, t.big + off, &w) == 0 && w == BIG_PATTERN(off / 8), "tail word");
	CHECK(in->lazy_reads == 1 && in->lazy_bytes > 0 && in->lazy_bytes <= 1u << 20,
	      "one small lazy read: %llu reads, %llu bytes", (unsigned long long)in->lazy_reads,
	      (unsigned long long)in->lazy_bytes);
	uint64_t first = (head_end - t.big) / 8 - 512;
	p = mem_ptr(m, t.big + first * 8, 1u << 20);
	CHECK(p && big_pattern_ok(p, first, (1u << 20) / 8), "mem_ptr across head and tail");
	uint64_t reads = in->lazy_reads;
	CHECK(mem_u64(m, t.big + off, &w) == 0 && in->lazy_reads == reads,
	      "a lazy read was not kept");
	uint64_t *copy = malloc(2u << 20);
	first = (head_end - t.big) / 8 - 4096;
	CHECK(copy && mem_read(m, t.big + first * 8, copy, 2u << 20) == 0 &&
	      big_pattern_ok(copy, first, (2u << 20) / 8), "mem_read across head and tail");
	free(copy);
	p = mem_ptr(m, t.big, BIG_LEN);
	CHECK(p && big_pattern_ok(p, 0, BIG_LEN / 8), "whole 256 MiB block");
	CHECK(in->lazy_bytes <= in->bytes_lazy && in->lazy_bytes >= BIG_LEN - LIVE_LAZY_HEAD,
	      "lazy_bytes %llu of %llu", (unsigned long long)in->lazy_bytes,
	      (unsigned long long)in->bytes_lazy);
	CHECK(!mem_ptr(m, t.big, BIG_LEN + 2 * (size_t)page), "mem_ptr past the block");
	memsrc_free(m);
	CHECK(all_running(t.pid), "big: threads left stopped");

	/* Lazy reads off: copied like any other memory. */
	m = NULL;
	CHECK(live_snapshot(t.pid, &(struct live_opts){.lazy_min = LIVE_LAZY_OFF}, &m, &err)
	      == HS_OK, "big, lazy off: %s", err.msg);
	if (m) {
		in = mem_info(m);
		p = mem_ptr(m, t.big, BIG_LEN);
		CHECK(in->bytes_lazy == 0 && in->bytes_copied >= BIG_LEN &&
		      mem_in_copy(m, chunk, BIG_LEN) && !mem_is_lazy(m, chunk, BIG_LEN),
		      "lazy off: bytes_copied %llu bytes_lazy %llu",
		      (unsigned long long)in->bytes_copied, (unsigned long long)in->bytes_lazy);
		CHECK(p && big_pattern_ok(p, 0, BIG_LEN / 8) && in->lazy_reads == 0,
		      "lazy off: pattern, %llu lazy reads", (unsigned long long)in->lazy_reads);
		memsrc_free(m);
	}

	/* --max-copy counts what the pause copies. */
	m = NULL;
	CHECK(live_snapshot(t.pid, &(struct live_opts){.max_copy = BIG_LEN / 2}, &m, &err)
	      == HS_OK, "max_copy with the tail lazy: %s", err.msg);
	memsrc_free(m);
	m = NULL;
	enum hs_status st = live_snapshot(t.pid, &(struct live_opts){
		.max_copy = BIG_LEN / 2, .lazy_min = LIVE_LAZY_OFF}, &m, &err);
	CHECK(st == HS_ERR_NOMEM && !m, "max_copy, lazy off: %d", st);
	CHECK(strstr(err.msg, "--max-copy") && strstr(err.msg, "needs 2") && strstr(err.msg, "(--max-copy 2") &&
	      strstr(err.msg, "--lazy-min"), "max_copy message: %s", err.msg);
	CHECK(stopped_threads(t.pid) == 0, "target stopped by a refused snapshot");
	memsrc_free(m);

	/* --no-freeze takes the same path. */
	m = NULL;
	CHECK(live_snapshot(t.pid, &(struct live_opts){.no_freeze = 1}, &m, &err) == HS_OK,
	      "big, no-freeze: %s", err.msg);
	if (m) {
		CHECK(mem_is_lazy(m, head_end, 8) && mem_u64(m, t.big + off, &w) == 0 &&
		      w == BIG_PATTERN(off / 8), "no-freeze: lazy tail");
		memsrc_free(m);
	}

	/* What the bench's copy floor is told the pause copies. */
	struct mem_map *maps = NULL;
	size_t nmaps = 0, nr = 0;
	struct live_range *r = NULL;
	CHECK(proc_read_maps(t.pid, &maps, &nmaps, &err) == HS_OK &&
	      live_pause_ranges(t.pid, maps, nmaps, NULL, &r, &nr, &err) == HS_OK,
	      "live_pause_ranges: %s", err.msg);
	int head_in = 0, tail_in = 0;
	for (size_t i = 0; i < nr; i++) {
		head_in |= r[i].start <= chunk && head_end <= r[i].end;
		tail_in |= r[i].start < chunk + BIG_LEN && r[i].end > head_end;
	}
	CHECK(nr > 0 && head_in && !tail_in, "live_pause_ranges: head %d tail %d", head_in,
	      tail_in);
	free(r);
	proc_maps_free(maps, nmaps);
	reap(t.pid);
}

/* The target dies while stopped: an error, no crash, nothing left over. */
static void test_target_killed(void)
{
	struct target t;
	if (!HS_TEST_HOOKS_ON) {
		g_hooks_missing++;
		return;
	}
	if (spawn("--target", &t) != 0)
		return;
	pid_t killer = fork();
	if (killer == 0) {
		wait_for_state(t.pid, 't', 5000);
		kill(t.pid, SIGKILL);
		_exit(0);
	}
	memsrc *m = NULL;
	struct hs_err err = {0};
	setenv("HEAPSCOPE_TEST_PAUSE_DELAY_MS", "500", 1);
	enum hs_status st = live_snapshot(t.pid, NULL, &m, &err);
	unsetenv("HEAPSCOPE_TEST_PAUSE_DELAY_MS");
	CHECK(st == HS_ERR_TARGET_CHANGED || st == HS_ERR_NO_PROCESS,
	      "killed target: %d %s", st, err.msg);
	CHECK(m == NULL, "memsrc returned on error");
	waitpid(killer, NULL, 0);
	/* We are its parent: the backend must have left its status to us. */
	int status = 0;
	CHECK(waitpid(t.pid, &status, 0) == t.pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL, "target status %#x", status);
}

/* Threads come and go during the freeze. */
static void test_churn(void)
{
	struct target t;
	if (spawn("--target-churn", &t) != 0)
		return;
	for (int i = 0; i < 20; i++) {
		memsrc *m = NULL;
		struct hs_err err = {0};
		enum hs_status st = live_snapshot(t.pid, NULL, &m, &err);
		CHECK(st == HS_OK, "churn %d: %s", i, err.msg);
		CHECK(!m || mem_info(m)->threads >= 3, "churn threads %d",
		      m ? mem_info(m)->threads : -1);
		memsrc_free(m);
		CHECK(all_running(t.pid), "churn %d: threads left stopped", i);
	}
	reap(t.pid);
}

/* ==== Main ==== */

/* ==== Incremental re-snapshots ==== */

struct incr_oracle {
	uint64_t b;               /* the target's patterned mapping */
	const uint64_t *log;      /* its written-pages bitmap */
	int lie;                  /* report this many written pages as clean */
};

/* Soft-dirty as the target recorded it: a page of b it wrote since the
 * last snapshot; everything else (stacks, libc, new mappings) dirty. */
static int incr_dirty(void *arg, uint64_t a)
{
	struct incr_oracle *o = arg;
	long page = sysconf(_SC_PAGESIZE);
	if (a < o->b || a >= o->b + (uint64_t)INCR_PAGES * page)
		return 1;
	size_t pg = (a - o->b) / page;
	int w = (o->log[pg / 64] >> (pg % 64)) & 1;
	if (w && o->lie > 0) {
		o->lie--;
		return 0;
	}
	return w;
}

/* Send 'm' and wait for the target's "ok". */
static int incr_mutate(int to, int from)
{
	char line[16];
	return write(to, "m", 1) == 1 && read_line(from, line, sizeof line, 10000) == 0 &&
	       strcmp(line, "ok\n") == 0 ? 0 : -1;
}

/* An incremental snapshot equals, on every page, a full one taken in the
 * same pause (verify_incr), after writes, MADV_DONTNEED, a zero page read
 * back and a remapped piece; it takes the unchanged pages from the base,
 * which outlives the memsrc it came from; a wrong record of writes is
 * caught; and the kernel's own bits, where it has them, pass the same. */
static void test_incremental(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char log_path[PATH_MAX + 8];
	snprintf(log_path, sizeof log_path, "%s.incr", g_file_path);
	int lfd = open(log_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	uint64_t *log = lfd < 0 || ftruncate(lfd, INCR_PAGES / 8) != 0 ? MAP_FAILED
		: mmap(NULL, INCR_PAGES / 8, PROT_READ | PROT_WRITE, MAP_SHARED, lfd, 0);
	if (lfd >= 0)
		close(lfd);
	CHECK(log != MAP_FAILED, "log file %s: %s", log_path, strerror(errno));
	if (log == MAP_FAILED)
		return;
	int in[2], out[2];
	if (pipe(in) != 0 || pipe(out) != 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(g_target_exe, g_target_exe, "--target-incr", log_path, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	char line[64];
	struct incr_oracle orc = {0};
	CHECK(pid > 0 && read_line(out[0], line, sizeof line, 20000) == 0 &&
	      sscanf(line, "%lx", (unsigned long *)&orc.b) == 1, "incr target did not start");
	orc.log = log;
	uint64_t blen = (uint64_t)INCR_PAGES * page;

	for (int kernel = 0; kernel < 2 && orc.b; kernel++) {
		char why[256];
		if (kernel && !live_soft_dirty_supported(why, sizeof why)) {
			/* The oracle rounds above ran the same code; here the
			 * kernel cannot: say so, and check that it is told. */
			struct live_incr *in0 = live_incr_new();
			memsrc *m0 = NULL;
			struct hs_err err = {0};
			CHECK(live_snapshot(pid, &(struct live_opts){.incr = in0}, &m0, &err) == HS_OK,
			      "%s", err.msg);
			CHECK(live_incr_note(in0) && strstr(live_incr_note(in0), "soft-dirty"),
			      "no note without soft-dirty: %s", live_incr_note(in0) ? live_incr_note(in0) : "(none)");
			memsrc_free(m0);
			live_incr_free(in0);
			printf("test_live: %s (the kernel's bits not checked here)\n", why);
			break;
		}
		struct live_incr *incr = live_incr_new();
		struct live_opts o = {.incr = incr, .verify_incr = 1,
				      .dirty_oracle = kernel ? NULL : incr_dirty,
				      .oracle_arg = kernel ? NULL : &orc};
		memsrc *m = NULL;
		struct hs_err err = {0};
		CHECK(live_snapshot(pid, &o, &m, &err) == HS_OK, "first: %s", err.msg);
		CHECK(m && mem_info(m)->bytes_reused == 0, "the first snapshot reused bytes");
		CHECK(!live_incr_note(incr), "incremental off: %s", live_incr_note(incr));
		memset(log, 0, INCR_PAGES / 8);
		for (int round = 0; round < 6 && m; round++) {
			CHECK(incr_mutate(in[1], out[0]) == 0, "target did not mutate");
			/* The previous memsrc goes first: the base must survive it. */
			memsrc_free(m);
			m = NULL;
			enum hs_status st = live_snapshot(pid, &o, &m, &err);
			CHECK(st == HS_OK, "round %d (%s): %s", round, kernel ? "kernel" : "oracle",
			      err.msg);
			memset(log, 0, INCR_PAGES / 8);
			if (st != HS_OK)
				break;
			const struct memsrc_info *mi = mem_info(m);
			CHECK(mi->bytes_reused >= blen * 9 / 10 && mi->bytes_reused < mi->bytes_copied,
			      "round %d: reused %llu of %llu bytes (mapping %llu)", round,
			      (unsigned long long)mi->bytes_reused,
			      (unsigned long long)mi->bytes_copied, (unsigned long long)blen);
			CHECK(all_running(pid), "target not running after round %d", round);
		}
		if (!kernel && m) {
			/* A record that misses a write must fail the comparison:
			 * the check can fail. */
			CHECK(incr_mutate(in[1], out[0]) == 0, "target did not mutate");
			memsrc_free(m);
			m = NULL;
			orc.lie = 1;
			enum hs_status st = live_snapshot(pid, &o, &m, &err);
			CHECK(st == HS_ERR_INTERNAL && strstr(err.msg, "differs from a full copy"),
			      "a missed write went unnoticed: %d %s", (int)st, err.msg);
			orc.lie = 0;
			memset(log, 0, INCR_PAGES / 8);
			/* ... and leaves no base: the next is a full copy again. */
			memsrc_free(m);
			m = NULL;
			CHECK(live_snapshot(pid, &o, &m, &err) == HS_OK && m &&
			      mem_info(m)->bytes_reused == 0, "after a failure: %s", err.msg);
			CHECK(all_running(pid), "target not running after the failed one");
		}
		memsrc_free(m);
		live_incr_free(incr);
	}
	close(in[1]);
	close(out[0]);
	if (pid > 0)
		reap(pid);
	munmap(log, INCR_PAGES / 8);
	unlink(log_path);
}

static int setup(const char *argv0)
{
	const char *env = getenv("HEAPSCOPE_TEST_TARGET");
#ifdef TEST_ASAN
	if (!env) {
		printf("SKIP: ASan build; set HEAPSCOPE_TEST_TARGET to a non-ASan "
		       "build of this test (see the top of %s)\n", __FILE__);
		return 77;
	}
#endif
	if (env)
		snprintf(g_target_exe, sizeof g_target_exe, "%s", env);
	else if (!realpath("/proc/self/exe", g_target_exe))
		snprintf(g_target_exe, sizeof g_target_exe, "%s", argv0);

	char dir[] = "/tmp/hs live test XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	snprintf(g_file_path, sizeof g_file_path, "%s/my file (1).dat", dir);
	int fd = open(g_file_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, sysconf(_SC_PAGESIZE)) != 0)
		return 1;
	close(fd);
	chmod(dir, 0755);
	return 0;
}

/* Can we trace at all here (Yama scope 3, no CAP_SYS_PTRACE in a sandbox)?
 * Probed on a throwaway child that the kernel detaches when it dies. */
static int can_ptrace(void)
{
	pid_t pid = fork();
	if (pid == 0)
		idle_forever();
	int ok = ptrace(PTRACE_SEIZE, pid, 0L, 0L) == 0;
	int saved = errno;
	reap(pid);
	errno = saved;
	return ok;
}

static void cleanup(void)
{
	unlink(g_file_path);
	*strrchr(g_file_path, '/') = 0;
	rmdir(g_file_path);
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "--target") == 0)
		return target_main(argv[2]);
	if (argc > 1 && strcmp(argv[1], "--target-churn") == 0)
		return target_churn_main();
	if (argc > 1 && strcmp(argv[1], "--target-big") == 0)
		return target_big_main();
	if (argc > 1 && strcmp(argv[1], "--target-vfork") == 0)
		return target_vfork_main();
	if (argc > 2 && strcmp(argv[1], "--target-incr") == 0)
		return target_incr_main(argv[2]);

	setvbuf(stdout, NULL, _IOLBF, 0);
	int rc = setup(argv[0]);
	if (rc)
		return rc;

	if (!can_ptrace()) {
		printf("SKIP: cannot ptrace our own child (%s)\n", strerror(errno));
		cleanup();
		return 77;
	}
	struct target t;
	if (spawn("--target", &t) == 0) {
		test_proc(&t);
		test_snapshot(&t);
		test_variants(&t);
		test_max_copy(&t);
		test_signals_not_swallowed(&t);
		test_job_stopped(&t);
		test_already_traced(&t);
		test_permission(&t);
		static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP,
					   SIGTTIN, SIGTTOU, SIGKILL, SIGSEGV, SIGABRT};
		for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
			test_signal_during_pause(&t, sigs[i], 0);
		test_signal_during_pause(&t, SIGINT, 1);
		test_signal_during_pause(&t, SIGTERM, 1);
		test_snapshot(&t); /* still fine after all that */
		test_lazy_after_exit(&t);
	}
	test_incremental();
	test_big_block();
	test_no_process();
	test_target_killed();
	test_churn();
	test_stuck_thread();
	cleanup();

	if (g_failures) {
		printf("test_live: %d check(s) failed\n", g_failures);
		return 1;
	}
	if (g_hooks_missing) {
		printf("SKIP: %d check(s) need a test build (meson configure -Dtest_hooks=true)\n",
		       g_hooks_missing);
		return 77;
	}
	printf("test_live: all checks passed\n");
	return 0;
}
