/* copyfloor — the physical floor of heapscope's pause: stop every thread of
 * PID, copy exactly the bytes heapscope's pause copies with plain
 * process_vm_readv calls, and let the target go.
 *
 *   copyfloor PID [CHUNK_BYTES [THREADS]]    (default 1 MiB, and the
 *                                             threads heapscope would use)
 *
 * What the pause copies: the ranges live_pause_ranges() returns for the
 * target *while it is stopped* (every mapping live_should_copy() accepts,
 * minus the lazy tails of big malloc blocks, which heapscope reads after
 * the target runs again), minus the pages of private anonymous mappings
 * that were never touched (not present and not swapped in
 * /proc/PID/pagemap: heapscope skips them too).  They are read like
 * attach/live.c reads them: one process_vm_readv call per CHUNK bytes,
 * gathering up to 1024 iovecs when ranges are small, never more, by as
 * many threads as live.c's copy_all uses (two when at least 32 MiB are
 * copied and two CPUs are usable, each half of the bytes; else one).
 *
 * The destination buffers (one per copyable mapping, MADV_HUGEPAGE like
 * live.c's) are allocated and touched (page-faulted) before the target is
 * stopped, so the timed copy is the kernel's copy and nothing else: what a
 * full-copy snapshot cannot beat.  Finding the ranges (the lazy-block scan
 * and pagemap reads) happens while stopped but is timed apart (plan_ms),
 * as it is not copying.  Then, still stopped, two more copies for
 * comparison:
 *   - the whole copyable mappings (the floor as this tool measured it
 *     before heapscope left big blocks lazy): whole_ms / whole_bytes;
 *   - the pause's ranges again into fresh, untouched buffers: that "cold"
 *     copy also pays the page faults (zeroing every destination page), as
 *     a snapshot that allocates its buffers during the pause does.
 *
 * Prints one JSON object:
 *   bytes       bytes the pause copies (= heapscope's copied_bytes for the
 *               same state, give or take pages touched in between)
 *   ranges      ranges copied (after the pagemap filter)
 *   calls       process_vm_readv calls per copy
 *   copy_threads threads that made copy_ms and cold_ms (whole_ms: one)
 *   copy_ms     the pause's bytes into pre-faulted buffers   <- the floor
 *   plan_ms     live_pause_ranges + pagemap, while stopped (not in copy_ms)
 *   whole_bytes, whole_ms   every copyable mapping in full, pre-faulted
 *   cold_ms     the pause's bytes into fresh THP buffers (page faults included)
 *   mappings    copyable mappings
 *   stop_ms     first PTRACE_INTERRUPT sent -> every thread stopped
 *   stopped_ms  first interrupt -> last thread detached (all copies)
 *   threads     threads stopped
 *   short_reads calls that returned less than asked (unreadable pages)
 *   remapped    mappings that changed between the pre-freeze allocation
 *               and the stop (their copies went into fresh buffers)
 *
 * Built and run by bench/run.sh: cc -O2 -Iattach copyfloor.c
 * build/attach/libhsattach.a -lelf.  Root (or CAP_SYS_PTRACE) needed.
 */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live.h"
#include "maps.h"
#include "proc.h"

#define MAX_THREADS 4096

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static pid_t tids[MAX_THREADS];
static int stopped[MAX_THREADS];
static int ntids;

static void die(const char *what)
{
	/* Detach whatever we hold before going: never leave the target stopped. */
	for (int i = 0; i < ntids; i++)
		if (stopped[i])
			ptrace(PTRACE_DETACH, tids[i], 0L, 0L);
	fprintf(stderr, "copyfloor: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Seize and interrupt every thread listed in /proc/PID/task, then wait for
 * each stop.  (One listing is enough for the bench's single-threaded,
 * sleeping targets; heapscope itself re-lists until nothing is new.) */
static void freeze(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		die("opendir /proc/PID/task");
	struct dirent *e;
	while ((e = readdir(d)) && ntids < MAX_THREADS) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid <= 0)
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0L, 0L) != 0) {
			if (errno == ESRCH)
				continue;
			closedir(d);
			die("PTRACE_SEIZE");
		}
		tids[ntids] = tid;
		ptrace(PTRACE_INTERRUPT, tid, 0L, 0L);
		ntids++;
	}
	closedir(d);
	for (int i = 0; i < ntids; i++) {
		int st;
		pid_t r = waitpid(tids[i], &st, __WALL);
		if (r == tids[i] && WIFSTOPPED(st))
			stopped[i] = 1;
	}
}

static void thaw(void)
{
	for (int i = 0; i < ntids; i++)
		if (stopped[i])
			ptrace(PTRACE_DETACH, tids[i], 0L, 0L);
}

struct buf {
	raddr_t start, end;
	unsigned char *data;
	int anon;      /* private anonymous: untouched pages are not copied */
};

static unsigned char *alloc(size_t len, int touch)
{
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	madvise(p, len, MADV_HUGEPAGE); /* as heapscope's live.c does */
	if (touch)
		memset(p, 1, len);
	return p;
}

/* The copyable mappings of pid, each with a buffer (touched or not);
 * *maps_out (if not NULL) receives the map list. */
static struct buf *bufs_for(pid_t pid, size_t *nb, unsigned long long *bytes,
			    int touch, struct mem_map **maps_out, size_t *nmaps_out)
{
	struct mem_map *maps = NULL;
	size_t nmaps = 0;
	struct hs_err err = {0};
	if (proc_read_maps(pid, &maps, &nmaps, &err) != HS_OK) {
		thaw();
		fprintf(stderr, "copyfloor: %s\n", err.msg);
		exit(1);
	}
	struct buf *b = calloc(nmaps ? nmaps : 1, sizeof *b);
	*nb = 0;
	*bytes = 0;
	for (size_t i = 0; i < nmaps; i++) {
		if (!live_should_copy(&maps[i]))
			continue;
		size_t len = maps[i].end - maps[i].start;
		b[(*nb)++] = (struct buf){maps[i].start, maps[i].end, alloc(len, touch),
					  !maps[i].shared && !maps[i].path};
		*bytes += len;
	}
	if (maps_out) {
		*maps_out = maps;
		*nmaps_out = nmaps;
	} else {
		proc_maps_free(maps, nmaps);
	}
	return b;
}

static void bufs_free(struct buf *b, size_t nb)
{
	for (size_t i = 0; i < nb; i++)
		if (b[i].data)
			munmap(b[i].data, b[i].end - b[i].start);
	free(b);
}

/* A range to copy and where it goes. */
struct span {
	raddr_t start, end;
	unsigned char *dst;
};

struct plan {
	struct span *s;
	size_t n, cap;
	unsigned long long bytes;
};

static void plan_add(struct plan *p, raddr_t a, raddr_t e, unsigned char *dst)
{
	if (e <= a)
		return;
	if (p->n && p->s[p->n - 1].end == a &&
	    p->s[p->n - 1].dst + (p->s[p->n - 1].end - p->s[p->n - 1].start) == dst) {
		p->s[p->n - 1].end = e;   /* contiguous: one span */
	} else {
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 256;
			p->s = realloc(p->s, p->cap * sizeof *p->s);
			if (!p->s)
				die("realloc");
		}
		p->s[p->n++] = (struct span){a, e, dst};
	}
	p->bytes += e - a;
}

#define PM_PRESENT (1ull << 63)
#define PM_SWAP (1ull << 62)

/* [a, e) of buffer b, minus never-touched pages when b is private
 * anonymous (pagemap: neither present nor swapped), as live.c does. */
static void plan_range(struct plan *p, int pagemap, const struct buf *b,
		       raddr_t a, raddr_t e, size_t page)
{
	if (!b->anon || pagemap < 0) {
		plan_add(p, a, e, b->data + (a - b->start));
		return;
	}
	uint64_t ent[4096];
	while (a < e) {
		size_t want = (e - a) / page;
		want = want < 4096 ? want : 4096;
		ssize_t got = pread(pagemap, ent, want * 8, (off_t)(a / page * 8));
		if (got < 8) {
			plan_add(p, a, e, b->data + (a - b->start));
			return;
		}
		size_t n = (size_t)got / 8;
		for (size_t i = 0; i < n; i++)
			if (ent[i] & (PM_PRESENT | PM_SWAP)) {
				raddr_t pa = a + i * page;
				plan_add(p, pa, pa + page, b->data + (pa - b->start));
			}
		a += n * page;
	}
}

/* What the pause copies, mapped onto the buffers b[]: live_pause_ranges()
 * (each range lies inside one copyable mapping), pagemap-filtered. */
static void plan_pause(pid_t pid, const struct mem_map *maps, size_t nmaps,
		       const struct buf *b, size_t nb, struct plan *p)
{
	struct live_range *r = NULL;
	size_t nr = 0;
	struct hs_err err = {0};
	if (live_pause_ranges(pid, maps, nmaps, NULL, &r, &nr, &err) != HS_OK) {
		thaw();
		fprintf(stderr, "copyfloor: live_pause_ranges: %s\n", err.msg);
		exit(1);
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/pagemap", (int)pid);
	int pm = open(path, O_RDONLY | O_CLOEXEC);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t k = 0;
	for (size_t i = 0; i < nr; i++) {
		while (k < nb && b[k].end <= r[i].start)
			k++;
		if (k == nb || r[i].start < b[k].start || r[i].end > b[k].end) {
			thaw();
			fprintf(stderr, "copyfloor: pause range %#llx-%#llx is in no copyable mapping\n",
				(unsigned long long)r[i].start, (unsigned long long)r[i].end);
			exit(1);
		}
		plan_range(p, pm, &b[k], r[i].start, r[i].end, page);
	}
	if (pm >= 0)
		close(pm);
	free(r);
}

/* Whole mappings (the old floor). */
static void plan_whole(const struct buf *b, size_t nb, struct plan *p)
{
	for (size_t i = 0; i < nb; i++)
		plan_add(p, b[i].start, b[i].end, b[i].data);
}

#define MAX_IOV 1024

/* Copy the plan like live.c's copy_all: up to `chunk` bytes and MAX_IOV
 * iovecs per call. */
static double copy(pid_t pid, const struct plan *p, size_t chunk,
		   unsigned long *calls, unsigned long *shorts)
{
	struct iovec l[MAX_IOV], r[MAX_IOV];
	double t0 = now_ms();
	size_t j = 0;
	uint64_t off = 0;
	while (j < p->n) {
		size_t n = 0, want = 0;
		while (j < p->n && n < MAX_IOV && want < chunk) {
			uint64_t left = p->s[j].end - p->s[j].start - off;
			size_t len = left < chunk - want ? (size_t)left : chunk - want;
			l[n] = (struct iovec){p->s[j].dst + off, len};
			r[n] = (struct iovec){(void *)(uintptr_t)(p->s[j].start + off), len};
			n++;
			want += len;
			off += len;
			if (off == p->s[j].end - p->s[j].start) {
				j++;
				off = 0;
			}
		}
		ssize_t got = process_vm_readv(pid, l, n, r, n, 0);
		(*calls)++;
		if (got != (ssize_t)want)
			(*shorts)++;
	}
	return now_ms() - t0;
}

/* As live.c's copy_all: two threads, each half of the bytes (they meet
 * at a page boundary). */
struct half {
	pid_t pid;
	struct plan p;
	size_t chunk;
	unsigned long calls, shorts;
};

static void *half_run(void *arg)
{
	struct half *h = arg;
	copy(h->pid, &h->p, h->chunk, &h->calls, &h->shorts);
	return NULL;
}

static double copy_threads(pid_t pid, const struct plan *p, size_t chunk, int threads,
			   unsigned long *calls, unsigned long *shorts)
{
	if (threads < 2)
		return copy(pid, p, chunk, calls, shorts);
	struct half h[2] = {{pid, {0}, chunk, 0, 0}, {pid, {0}, chunk, 0, 0}};
	unsigned long long acc = 0, half = p->bytes / 2;
	for (size_t j = 0; j < p->n; j++) {
		raddr_t a = p->s[j].start, e = p->s[j].end;
		if (acc < half && acc + (e - a) > half) {   /* the range where they meet */
			raddr_t m = (a + (half - acc)) & ~(raddr_t)4095;
			m = m < a ? a : m;
			plan_add(&h[0].p, a, m, p->s[j].dst);
			plan_add(&h[1].p, m, e, p->s[j].dst + (m - a));
		} else {
			plan_add(&h[acc < half ? 0 : 1].p, a, e, p->s[j].dst);
		}
		acc += e - a;
	}
	double t0 = now_ms();
	pthread_t tid;
	int helper = pthread_create(&tid, NULL, half_run, &h[1]) == 0;
	half_run(&h[0]);
	if (helper)
		pthread_join(tid, NULL);
	else
		half_run(&h[1]);
	double ms = now_ms() - t0;
	*calls += h[0].calls + h[1].calls;
	*shorts += h[0].shorts + h[1].shorts;
	free(h[0].p.s);
	free(h[1].p.s);
	return ms;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: copyfloor PID [CHUNK_BYTES]\n");
		return 2;
	}
	pid_t pid = (pid_t)atoi(argv[1]);
	size_t chunk = argc > 2 ? strtoul(argv[2], NULL, 0) : 1u << 20;
	int threads = argc > 3 ? atoi(argv[3]) : 0;   /* 0: as live.c decides */
	if (pid <= 0 || chunk < 4096) {
		fprintf(stderr, "copyfloor: bad PID or chunk\n");
		return 2;
	}
	/* Like heapscope: never leave the target stopped on Ctrl-C. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);

	/* Buffers first, while the target runs. */
	size_t npre;
	unsigned long long prebytes;
	struct buf *pre = bufs_for(pid, &npre, &prebytes, 1, NULL, NULL);

	double t_first = now_ms();
	freeze(pid);
	double t_stopped = now_ms();

	/* The layout while stopped; reuse a pre-faulted buffer per mapping. */
	size_t nb, nmaps;
	unsigned long long whole_bytes;
	struct mem_map *maps;
	struct buf *b = bufs_for(pid, &nb, &whole_bytes, 0, &maps, &nmaps);
	unsigned long remapped = 0;
	for (size_t i = 0; i < nb; i++) {
		size_t k;
		for (k = 0; k < npre; k++)
			if (pre[k].start == b[i].start && pre[k].end == b[i].end && pre[k].data)
				break;
		if (k == npre) {
			remapped++;
			continue;
		}
		unsigned char *t = b[i].data;
		b[i].data = pre[k].data;
		pre[k].data = t;
	}
	double t_plan = now_ms();
	struct plan pause = {0}, whole = {0};
	plan_pause(pid, maps, nmaps, b, nb, &pause);
	plan_whole(b, nb, &whole);
	double plan_ms = now_ms() - t_plan;

	if (threads <= 0) {
		cpu_set_t set;
		int cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
		threads = pause.bytes >= (32ull << 20) && cpus >= 2 ? 2 : 1;
	}
	unsigned long calls = 0, shorts = 0, c2 = 0, s2 = 0, c3 = 0, s3 = 0;
	double warm = copy_threads(pid, &pause, chunk, threads, &calls, &shorts);
	double whole_ms = copy(pid, &whole, chunk, &c2, &s2);
	/* Cold: the pause's ranges again, into fresh buffers (the untouched
	 * ones swapped into pre[] are not reused: new mappings). */
	struct buf *cold = calloc(nb ? nb : 1, sizeof *cold);
	for (size_t i = 0; i < nb; i++)
		cold[i] = (struct buf){b[i].start, b[i].end, alloc(b[i].end - b[i].start, 0), b[i].anon};
	struct plan cplan = pause;
	cplan.s = malloc((pause.n ? pause.n : 1) * sizeof *cplan.s);
	size_t k = 0;
	for (size_t i = 0; i < pause.n; i++) {
		while (k < nb && b[k].end <= pause.s[i].start)
			k++;
		cplan.s[i] = pause.s[i];
		if (k < nb)
			cplan.s[i].dst = cold[k].data + (pause.s[i].start - cold[k].start);
	}
	double coldms = copy_threads(pid, &cplan, chunk, threads, &c3, &s3);
	thaw();
	double t_last = now_ms();

	int nstopped = 0;
	for (int i = 0; i < ntids; i++)
		nstopped += stopped[i];
	printf("{\"pid\":%d,\"bytes\":%llu,\"ranges\":%zu,\"mappings\":%zu,\"chunk\":%zu,"
	       "\"calls\":%lu,\"short_reads\":%lu,\"copy_ms\":%.3f,\"plan_ms\":%.3f,"
	       "\"whole_bytes\":%llu,\"whole_calls\":%lu,\"whole_ms\":%.3f,\"cold_ms\":%.3f,"
	       "\"stop_ms\":%.3f,\"stopped_ms\":%.3f,\"threads\":%d,\"remapped\":%lu,"
	       "\"copy_threads\":%d}\n",
	       (int)pid, pause.bytes, pause.n, nb, chunk, calls, shorts, warm, plan_ms,
	       whole_bytes, c2, whole_ms, coldms,
	       t_stopped - t_first, t_last - t_first, nstopped, remapped, threads);
	free(pause.s);
	free(whole.s);
	free(cplan.s);
	proc_maps_free(maps, nmaps);
	bufs_free(b, nb);
	bufs_free(cold, nb);
	bufs_free(pre, npre);
	return 0;
}
