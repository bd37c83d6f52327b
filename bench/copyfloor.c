/* copyfloor — the physical floor of heapscope's pause: stop every thread of
 * PID, copy exactly the mappings heapscope copies (live_should_copy() over
 * proc_read_maps()) with plain process_vm_readv calls of CHUNK bytes (one
 * iovec per call, never spanning two mappings), and let the target go.
 *
 *   copyfloor PID [CHUNK_BYTES]        (default 1 MiB)
 *
 * The destination buffers (MADV_HUGEPAGE, like attach/live.c's) are
 * allocated and touched (page-faulted) before the target is stopped, so the
 * timed copy is the kernel's copy and nothing else: what a full-copy
 * snapshot cannot beat (measurements.md's "physical floor", ~30 ms for
 * 191 MB here).  For comparison the same mappings are then copied a second
 * time, still stopped, into fresh untouched buffers: that "cold" copy also
 * pays the page faults (zeroing every destination page), as a snapshot
 * that allocates its buffers during the pause does.
 *
 * Prints one JSON object:
 *   bytes       bytes copied (= heapscope's copied_bytes for the same state)
 *   mappings    mappings copied
 *   calls       process_vm_readv calls per copy
 *   copy_ms     the copy into pre-faulted buffers   <- the floor
 *   cold_ms     the copy into fresh THP buffers (page faults included)
 *   stop_ms     first PTRACE_INTERRUPT sent -> every thread stopped
 *   stopped_ms  first interrupt -> last thread detached (both copies)
 *   threads     threads stopped
 *   short_reads calls that returned less than asked (unreadable pages)
 *   remapped    mappings that changed between the pre-freeze allocation
 *               and the stop (their floor copy went into fresh buffers)
 *
 * Built and run by bench/run.sh: cc -O2 -Iattach copyfloor.c
 * build/attach/libhsattach.a -lelf.  Root (or CAP_SYS_PTRACE) needed.
 */
#include <dirent.h>
#include <errno.h>
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

/* The copyable mappings of pid, each with a buffer (touched or not). */
static struct buf *bufs_for(pid_t pid, size_t *nb, unsigned long long *bytes,
			    int touch)
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
		b[(*nb)++] = (struct buf){maps[i].start, maps[i].end, alloc(len, touch)};
		*bytes += len;
	}
	proc_maps_free(maps, nmaps);
	return b;
}

static void bufs_free(struct buf *b, size_t nb)
{
	for (size_t i = 0; i < nb; i++)
		if (b[i].data)
			munmap(b[i].data, b[i].end - b[i].start);
	free(b);
}

static double copy(pid_t pid, struct buf *b, size_t nb, size_t chunk,
		   unsigned long *calls, unsigned long *shorts)
{
	double t0 = now_ms();
	for (size_t i = 0; i < nb; i++) {
		for (raddr_t a = b[i].start; a < b[i].end; a += chunk) {
			size_t len = b[i].end - a < chunk ? (size_t)(b[i].end - a) : chunk;
			struct iovec l = {b[i].data + (a - b[i].start), len};
			struct iovec r = {(void *)(uintptr_t)a, len};
			ssize_t got = process_vm_readv(pid, &l, 1, &r, 1, 0);
			(*calls)++;
			if (got != (ssize_t)len)
				(*shorts)++;
		}
	}
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: copyfloor PID [CHUNK_BYTES]\n");
		return 2;
	}
	pid_t pid = (pid_t)atoi(argv[1]);
	size_t chunk = argc > 2 ? strtoul(argv[2], NULL, 0) : 1u << 20;
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
	struct buf *pre = bufs_for(pid, &npre, &prebytes, 1);

	double t_first = now_ms();
	freeze(pid);
	double t_stopped = now_ms();

	/* The layout while stopped; reuse a pre-faulted buffer per mapping. */
	size_t nb;
	unsigned long long bytes;
	struct buf *b = bufs_for(pid, &nb, &bytes, 0);
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
	unsigned long calls = 0, shorts = 0, calls2 = 0, shorts2 = 0;
	double warm = copy(pid, b, nb, chunk, &calls, &shorts);
	/* Second copy: fresh buffers (the untouched ones swapped into pre[]
	 * plus the remapped ones' buffers in b[], which are not reused). */
	struct buf *cold = calloc(nb ? nb : 1, sizeof *cold);
	for (size_t i = 0; i < nb; i++)
		cold[i] = (struct buf){b[i].start, b[i].end, alloc(b[i].end - b[i].start, 0)};
	double coldms = copy(pid, cold, nb, chunk, &calls2, &shorts2);
	thaw();
	double t_last = now_ms();

	int nstopped = 0;
	for (int i = 0; i < ntids; i++)
		nstopped += stopped[i];
	printf("{\"pid\":%d,\"bytes\":%llu,\"mappings\":%zu,\"chunk\":%zu,"
	       "\"calls\":%lu,\"short_reads\":%lu,\"copy_ms\":%.3f,\"cold_ms\":%.3f,"
	       "\"stop_ms\":%.3f,\"stopped_ms\":%.3f,\"threads\":%d,\"remapped\":%lu}\n",
	       (int)pid, bytes, nb, chunk, calls, shorts, warm, coldms,
	       t_stopped - t_first, t_last - t_first, nstopped, remapped);
	bufs_free(b, nb);
	bufs_free(cold, nb);
	bufs_free(pre, npre);
	return 0;
}
