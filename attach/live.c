/* live — the live-process memsrc backend.  See live.h for the contract.
 *
 * One snapshot, in order:
 *   1. while the target still runs: read /proc/PID/maps, find the big
 *      malloc blocks whose tails stay lazy (lazy_scan: probes the 16 bytes
 *      at each touched page start of big anonymous mappings), plan the copy,
 *      check --max-copy against it (so a refusal costs the target nothing),
 *      and allocate and fault in the copy buffers (faults in them would
 *      otherwise triple the pause);
 *   2. freeze: PTRACE_SEIZE + PTRACE_INTERRUPT every thread listed in
 *      /proc/PID/task, wait for each ptrace-stop, re-list until no thread
 *      is new (threads can be created while we freeze);
 *   3. re-read the maps (the layout may have moved before the stop),
 *      re-read the headers of the big blocks found in 1 (lazy_verify: only
 *      a header that still matches is trusted), skip anonymous pages that
 *      /proc/PID/pagemap says were never touched and the lazy tails, and
 *      copy the rest with few, large process_vm_readv calls, by two
 *      threads when there is much to copy (see copy_all);
 *   4. thaw: PTRACE_DETACH every thread;
 *   5. build the memsrc while the target runs again; lazy tails become
 *      memsrc lazy ranges, read from the running target on first use.
 * The pause is 2-4; everything that can happen outside it does.
 *
 * Invariants:
 *   - Nothing is written to the target: no POKE, no register change, no
 *     injected code, /proc/PID/mem opened read-only.  PTRACE_SEIZE (not
 *     ATTACH) sends no SIGSTOP, so the target's job-control state and
 *     signal handlers never see us.
 *   - Every thread we stop is detached on every path: errors, ESRCH,
 *     signals to heapscope during the pause (the asynchronous ones are
 *     blocked until after the thaw, our own crashes detach in their
 *     handler, see "Signals during the freeze"), and, if heapscope is
 *     SIGKILLed or dies any other way, the kernel: exit_ptrace() detaches
 *     every tracee and drops pending PTRACE_INTERRUPT traps, so the target
 *     runs on.  A thread that cannot be detached (blocked in the kernel
 *     since before our interrupt) is given up after THAW_TIMEOUT_MS: the
 *     snapshot fails, live_stranded() says so, and heapscope must exit.
 *   - A signal the target received while we held it (a signal-delivery-
 *     stop) is re-injected by PTRACE_DETACH, never swallowed.
 *
 * Test hooks (environment, read on every call; test builds only, see
 * testhook.h):
 *   HEAPSCOPE_TEST_PAUSE_DELAY_MS=N  sleep N ms once every thread is
 *       stopped and the maps are re-read, just before the copy; lets tests
 *       kill the target or signal heapscope during the pause.
 *   HEAPSCOPE_TEST_NO_VM_READV=1  behave as if process_vm_readv returned
 *       ENOSYS, to exercise the /proc/PID/mem fallback.
 *   HEAPSCOPE_TEST_NO_PAGEMAP=1  read untouched anonymous pages too (see
 *       span_add_present), to check and measure what skipping them saves.
 *   HEAPSCOPE_TEST_MEM_AVAILABLE=BYTES  the memory the copy may take
 *       (see check_memory), instead of MemAvailable / memory.max.
 *   HEAPSCOPE_TEST_COPY_THREADS=1|2  the copy, and the faulting in of its
 *       buffers before the freeze, by one thread or by two, whatever its
 *       size (see copy_all and spares_prefault).
 *   HEAPSCOPE_TEST_INCR_VERIFY=1  an incremental snapshot (live_incr) also
 *       copies everything in the same pause and fails with HS_ERR_INTERNAL
 *       unless both agree on every page (live_opts.verify_incr).
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
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_CHUNK (1u << 20)
/* The kernel's UIO_MAXIOV: the most iovecs one process_vm_readv takes. */
#define MAX_IOV 1024
/* A thread that does not reach a ptrace-stop in this long is stuck in the
 * kernel (D state); we give up rather than keep the others stopped. */
#define STOP_TIMEOUT_MS 5000.0
/* A thread that does not let itself be detached in this long after the
 * others were released: see thaw(). */
#define THAW_TIMEOUT_MS 3000.0
/* Signal handlers need the tid list without allocating, so it is static.
 * Far above any real Python process; beyond it we refuse to freeze. */
#define LIVE_MAX_THREADS 65536

/* ==== Clocks ==== */

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double real_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(double ms)
{
	long long ns = (long long)(ms * 1e6);
	struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Back off while polling: yield first (the thread we wait for usually
 * stops within microseconds), then sleep up to 1 ms. */
static void poll_backoff(unsigned iter)
{
	if (iter < 64) {
		sched_yield();
		return;
	}
	unsigned shift = iter - 64 < 6 ? iter - 64 : 6;
	sleep_ms(0.02 * (1u << shift));
}

/* ==== Not being preempted by the target ==== */

/* A thread we release gets a CPU back with a wake-up bonus and often
 * preempts us on ours: the threads not yet released then stay stopped for
 * a time slice (measured: +1 to +40 ms on a 13 ms pause, 2 CPUs).  The
 * same happens while we seize.  So the two loops that are pure syscalls
 * (seize + interrupt all, detach all) run SCHED_FIFO, back to back.  Needs
 * CAP_SYS_NICE (root has it); without it we go on unboosted.  Never held
 * while waiting for the target: a FIFO task polling with sched_yield would
 * keep the very thread it waits for off its CPU. */
struct boost {
	int on;
	int policy;
	struct sched_param param;
};

static void boost_on(struct boost *b)
{
	struct sched_param fifo = {.sched_priority = 1};
	b->policy = sched_getscheduler(0);
	b->on = b->policy == SCHED_OTHER && sched_getparam(0, &b->param) == 0 &&
		sched_setscheduler(0, SCHED_FIFO, &fifo) == 0;
}

static void boost_off(struct boost *b)
{
	if (b->on)
		sched_setscheduler(0, b->policy, &b->param);
	b->on = 0;
}

/* ==== Tracee table (shared with the signal handlers) ==== */

enum tracee_state {
	T_RUNNING = 0, /* seized, interrupt sent, stop not yet collected */
	T_STOPPED,     /* in a ptrace-stop: detach it */
	T_GONE,        /* exited (reaped) or already detached */
};

struct tracee {
	pid_t tid;
	volatile sig_atomic_t state;
	volatile sig_atomic_t sig; /* from a signal-delivery-stop; re-injected */
};

static struct tracee g_tracee[LIVE_MAX_THREADS];
/* Entries [0, g_ntracee) are valid.  An entry is complete before the
 * release-store that publishes it, so a handler may read it any time. */
static _Atomic size_t g_ntracee;
/* The table is process-global: one frozen snapshot at a time. */
static atomic_flag g_busy = ATOMIC_FLAG_INIT;

/* Record a seized thread; the caller has checked there is room. */
static void tracee_add(pid_t tid)
{
	size_t n = atomic_load_explicit(&g_ntracee, memory_order_relaxed);
	g_tracee[n] = (struct tracee){.tid = tid, .state = T_RUNNING};
	atomic_store_explicit(&g_ntracee, n + 1, memory_order_release);
}

static size_t tracee_count(void)
{
	return atomic_load_explicit(&g_ntracee, memory_order_acquire);
}

/* ==== Signals during the freeze ====
 *
 * From the first PTRACE_SEIZE to the last PTRACE_DETACH nothing may end or
 * stop heapscope, or the target stays stopped until it is continued:
 *   - the asynchronous signals a user or a terminal sends (Ctrl-C, kill,
 *     a closed terminal, Ctrl-Z and the other job-control stops, a closed
 *     pipe) are blocked, and stay pending;
 *   - after the thaw, the ones whose action would end heapscope (their
 *     disposition is still SIG_DFL) are taken off the queue and the
 *     snapshot fails with HS_ERR_INTERRUPTED (exit 11: "the target was
 *     resumed"); everything else is delivered when the caller's mask is
 *     restored: a handler the caller installed runs (watch's Ctrl-C), a
 *     job-control stop stops heapscope (Ctrl-Z, now that the target runs);
 *   - our own crashes (synchronous: SEGV, BUS, FPE, ILL, ABRT) cannot be
 *     blocked; their handler detaches every stopped thread with raw
 *     syscalls, then hands the signal on.
 * Only the calling thread blocks: heapscope has no other thread while it
 * freezes (the census's helper threads run later). */
static const int k_async_sig[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
				  SIGTSTP, SIGTTIN, SIGTTOU};
#define NASYNC (sizeof k_async_sig / sizeof k_async_sig[0])
/* Those of k_async_sig whose default action ends the process. */
static int ends_process(int sig)
{
	return sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU;
}

static const int k_crash_sig[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define NCRASH (sizeof k_crash_sig / sizeof k_crash_sig[0])
static struct sigaction g_old[NCRASH];
static int g_installed[NCRASH];

/* Async-signal-safe: raw syscalls on a static table, no allocation.
 * PTRACE_DETACH works only on stopped tracees; any still running with an
 * interrupt in flight are released by the kernel when we die. */
static void detach_all_raw(void)
{
	size_t n = tracee_count();
	for (size_t i = 0; i < n; i++)
		if (g_tracee[i].state != T_GONE)
			syscall(SYS_ptrace, PTRACE_DETACH, g_tracee[i].tid, 0L,
				(long)g_tracee[i].sig);
}

static void on_crash_signal(int sig, siginfo_t *info, void *uctx)
{
	(void)uctx;
	detach_all_raw();
	atomic_store(&g_ntracee, 0);
	/* The crash goes back to whoever handled it before (ASan, a crash
	 * reporter, the explorer's terminal reset) so its report is not
	 * lost. */
	for (size_t i = 0; i < NCRASH; i++)
		if (k_crash_sig[i] == sig)
			sigaction(sig, &g_old[i], NULL);
	/* A real fault (si_code > 0: sent by the kernel) happens again when we
	 * return to the faulting instruction, now with its true details. */
	if (sig != SIGABRT && info->si_code > 0)
		return;
	/* The signal is blocked while we run, so this stays pending and is
	 * delivered with the restored disposition as soon as we return. */
	raise(sig);
}

/* Block the asynchronous signals (the caller's mask goes to *old) and
 * catch the crash signals. */
static void signals_hold(sigset_t *old)
{
	sigset_t block;
	sigemptyset(&block);
	for (size_t i = 0; i < NASYNC; i++)
		sigaddset(&block, k_async_sig[i]);
	pthread_sigmask(SIG_BLOCK, &block, old);

	struct sigaction sa = {.sa_sigaction = on_crash_signal, .sa_flags = SA_SIGINFO};
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < NCRASH; i++)
		g_installed[i] = sigaction(k_crash_sig[i], &sa, &g_old[i]) == 0;
}

/* After the thaw: restore the crash handlers, take pending signals that
 * would kill us off the queue (the first one is returned, 0 if none), and
 * restore the caller's mask, which delivers the rest. */
static int signals_release(const sigset_t *old)
{
	for (size_t i = 0; i < NCRASH; i++)
		if (g_installed[i])
			sigaction(k_crash_sig[i], &g_old[i], NULL);
	int got = 0;
	sigset_t pend;
	sigpending(&pend);
	for (size_t i = 0; i < NASYNC; i++) {
		int sig = k_async_sig[i];
		struct sigaction now;
		/* A signal the caller blocks itself is the caller's business. */
		if (!sigismember(&pend, sig) || sigismember(old, sig) || !ends_process(sig) ||
		    sigaction(sig, NULL, &now) != 0 || now.sa_handler != SIG_DFL)
			continue;
		sigset_t one;
		sigemptyset(&one);
		sigaddset(&one, sig);
		const struct timespec zero = {0, 0};
		if (sigtimedwait(&one, NULL, &zero) == sig && !got)
			got = sig;
	}
	pthread_sigmask(SIG_SETMASK, old, NULL);
	return got;
}

/* ==== Freeze ==== */

struct freeze {
	pid_t pid;
	/* We are the target's real parent (tests, `heapscope run`): reaping its
	 * leader would steal the exit status from our caller, so only peek. */
	int leader_is_child;
	double t_first;  /* when the first interrupt went out, 0 before */
	pid_t *known;    /* tids already handled (seized, vanished, zombie) */
	size_t nknown;
};

enum tid_event { EV_NONE, EV_STOPPED, EV_EXITED, EV_NOT_OURS };

/* What a seized thread did: entered a ptrace-stop (*sig = the signal of a
 * signal-delivery-stop, which we owe the thread at detach; 0 for our
 * interrupt or a group-stop), exited, or nothing yet.
 * Consumes the report, except a leader's exit when we are its real
 * parent.  waitid() because wait4() rejects WNOWAIT. */
static enum tid_event tid_wait(const struct freeze *fz, pid_t tid, int *sig)
{
	int keep = tid == fz->pid && fz->leader_is_child;
	siginfo_t si, dummy;
	for (;;) {
		si.si_pid = 0;
		if (waitid(P_PID, (id_t)tid, &si, WSTOPPED | WEXITED | WNOWAIT |
			   __WALL | WNOHANG) == 0)
			break;
		if (errno != EINTR)
			return EV_NOT_OURS;
	}
	if (si.si_pid == 0)
		return EV_NONE;
	if (si.si_code == CLD_TRAPPED || si.si_code == CLD_STOPPED) {
		/* si_status is (event << 8) | signal; event 0 = signal-delivery. */
		*sig = (si.si_status >> 8) == 0 ? (si.si_status & 0xff) : 0;
		waitid(P_PID, (id_t)tid, &dummy, WSTOPPED | __WALL | WNOHANG);
		return EV_STOPPED;
	}
	if (!keep)
		waitid(P_PID, (id_t)tid, &dummy, WEXITED | __WALL | WNOHANG);
	return EV_EXITED;
}

static int tid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

/* Read the thread ids of pid into a malloc()ed sorted array.  Returns the
 * count, or -1 with errno (ENOENT: the process is gone). */
static long list_tasks(pid_t pid, pid_t **out)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	pid_t *tids = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		long tid = strtol(e->d_name, NULL, 10);
		if (tid <= 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			pid_t *nt = realloc(tids, cap * sizeof *nt);
			if (!nt) {
				free(tids);
				closedir(d);
				errno = ENOMEM;
				return -1;
			}
			tids = nt;
		}
		tids[n++] = (pid_t)tid;
	}
	closedir(d);
	if (n > 1)
		qsort(tids, n, sizeof *tids, tid_cmp);
	*out = tids;
	return (long)n;
}

/* TracerPid of one thread, 0 if untraced, -1 if unknown. */
static pid_t tracer_of(pid_t pid, pid_t tid)
{
	char path[96], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/task/%d/status", (int)pid, (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	const char *p = strstr(buf, "\nTracerPid:");
	return p ? (pid_t)atoi(p + 11) : -1;
}

static enum hs_status already_traced(pid_t pid, pid_t tracer,
				     struct hs_err *err)
{
	char path[64], comm[64] = "unknown";
	snprintf(path, sizeof path, "/proc/%d/comm", (int)tracer);
	FILE *f = fopen(path, "re");
	if (f) {
		if (fgets(comm, sizeof comm, f))
			comm[strcspn(comm, "\n")] = 0;
		fclose(f);
	}
	return hs_fail(err, HS_ERR_PERMISSION,
		       "PID %d is already traced by PID %d (%s); detach it "
		       "(e.g. quit gdb/strace) and retry", (int)pid, (int)tracer,
		       comm);
}

/* Explain an EPERM from PTRACE_SEIZE.  A thread that has already exited
 * (zombie) also gives EPERM: that one is skipped, returning HS_OK. */
static enum hs_status seize_eperm(pid_t pid, pid_t tid, struct hs_err *err)
{
	char st = proc_state(tid);
	if (st == 'Z' || st == 'X' || st == 0)
		return HS_OK;
	pid_t tracer = tracer_of(pid, tid);
	if (tracer > 0)
		return already_traced(pid, tracer, err);
	return access_error(pid, "PTRACE_SEIZE", EPERM, err);
}

/* Seize one thread and ask it to stop.  HS_OK also when it vanished. */
static enum hs_status seize_thread(struct freeze *fz, pid_t tid,
				   struct hs_err *err)
{
	pid_t pid = fz->pid;
	/* Check room first: a seized thread we could not record would stay
	 * traced, and hang at its next signal with nobody to release it. */
	if (tracee_count() == LIVE_MAX_THREADS)
		return hs_fail(err, HS_ERR_UNSUPPORTED, "PID %d has more than %d "
			       "threads; snapshot it with --no-freeze", (int)pid,
			       LIVE_MAX_THREADS);
	if (ptrace(PTRACE_SEIZE, tid, 0L, 0L) != 0) {
		if (errno == ESRCH)
			return HS_OK; /* exited since the listing */
		if (errno == EPERM)
			return seize_eperm(pid, tid, err);
		return hs_fail(err, HS_ERR_INTERNAL, "PTRACE_SEIZE of thread %d "
			       "of PID %d: %s", (int)tid, (int)pid, strerror(errno));
	}
	tracee_add(tid);
	/* The pause starts at the first interrupt we send, not when we notice
	 * the stop: an upper bound, so the reported pause is never flattering. */
	if (fz->t_first == 0)
		fz->t_first = mono_ms();
	/* ESRCH here means the thread is exiting; tid_wait will report it. */
	ptrace(PTRACE_INTERRUPT, tid, 0L, 0L);
	return HS_OK;
}

/* Collect the ptrace-stop (or the exit) of one seized thread. */
static enum hs_status wait_stopped(const struct freeze *fz, struct tracee *t,
				   struct hs_err *err)
{
	pid_t pid = fz->pid;
	double deadline = mono_ms() + STOP_TIMEOUT_MS;
	for (unsigned iter = 0;; iter++) {
		int sig = 0;
		enum tid_event ev = tid_wait(fz, t->tid, &sig);
		if (ev == EV_STOPPED) {
			t->sig = sig;
			t->state = T_STOPPED;
			return HS_OK;
		}
		if (ev != EV_NONE) {
			t->state = T_GONE; /* exited, or not ours */
			return HS_OK;
		}
		if (mono_ms() > deadline)
			return hs_fail(err, HS_ERR_TARGET_CHANGED,
				       "thread %d of PID %d did not stop within "
				       "%.0f s (state '%c': blocked in the kernel?); "
				       "retry, or use --no-freeze", (int)t->tid,
				       (int)pid, STOP_TIMEOUT_MS / 1e3,
				       proc_state(t->tid) ? proc_state(t->tid) : '?');
		poll_backoff(iter);
	}
}

/* Is tid among the sorted `known` tids? */
static int known_has(const pid_t *known, size_t n, pid_t tid)
{
	return bsearch(&tid, known, n, sizeof *known, tid_cmp) != NULL;
}

/* One pass: seize every listed thread not seen before, then collect the
 * stops.  *fresh counts the threads that were new. */
static enum hs_status freeze_round(struct freeze *fz, size_t *fresh,
				   struct hs_err *err)
{
	pid_t pid = fz->pid, *tids;
	*fresh = 0;
	long n = list_tasks(pid, &tids);
	if (n < 0)
		return errno == ENOENT
			? hs_fail(err, HS_ERR_TARGET_CHANGED, "target exited during the snapshot")
			: hs_fail(err, HS_ERR_NOMEM, "listing /proc/%d/task: %s",
				  (int)pid, strerror(errno));
	pid_t *nk = realloc(fz->known, (fz->nknown + (size_t)n + 1) * sizeof *nk);
	if (!nk) {
		free(tids);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory freezing PID %d", (int)pid);
	}
	fz->known = nk;
	size_t first = tracee_count(), old = fz->nknown;
	enum hs_status st = HS_OK;
	struct boost b;
	boost_on(&b);
	for (long i = 0; i < n && st == HS_OK; i++) {
		if (known_has(nk, old, tids[i]))
			continue;
		nk[fz->nknown++] = tids[i];
		(*fresh)++;
		st = seize_thread(fz, tids[i], err);
	}
	boost_off(&b);
	free(tids);
	qsort(nk, fz->nknown, sizeof *nk, tid_cmp);
	/* Interrupts went out to all new threads first; now collect. */
	for (size_t i = first; i < tracee_count() && st == HS_OK; i++)
		st = wait_stopped(fz, &g_tracee[i], err);
	return st;
}

/* Stop every thread of pid.  On error some threads may be stopped: the
 * caller thaws in every case.  *threads = threads now stopped. */
static enum hs_status freeze(struct freeze *fz, int *threads,
			     struct hs_err *err)
{
	size_t fresh;
	enum hs_status st;

	/* Re-list until a pass finds nothing new: a thread that was running
	 * while we listed may have created threads we have not seen. */
	do
		st = freeze_round(fz, &fresh, err);
	while (st == HS_OK && fresh > 0);
	free(fz->known);
	fz->known = NULL;

	*threads = 0;
	for (size_t i = 0; i < tracee_count(); i++)
		*threads += g_tracee[i].state == T_STOPPED;
	if (st == HS_OK && *threads == 0)
		st = hs_fail(err, HS_ERR_TARGET_CHANGED, "target exited during the snapshot");
	return st;
}

/* ==== Thaw ==== */

/* Try to let one tracee go, whatever it is doing; 1 when done with it.
 * PTRACE_DETACH needs a ptrace-stop.  ESRCH means the thread is not in
 * one: our interrupt has not landed yet, or the thread was killed and now
 * waits for us, its tracer, to reap it (else it stays a zombie and keeps
 * the whole target unreapable).  Either way look at what it did. */
static int release(const struct freeze *fz, struct tracee *t)
{
	while (t->state != T_GONE) {
		if (ptrace(PTRACE_DETACH, t->tid, 0L, (long)t->sig) == 0 || errno != ESRCH)
			break;
		int sig = 0;
		enum tid_event ev = tid_wait(fz, t->tid, &sig);
		if (ev == EV_NONE)
			return 0;
		if (ev != EV_STOPPED)
			break; /* exited (reaped) or not ours any more */
		if (sig)
			t->sig = sig;
	}
	t->state = T_GONE;
	return 1;
}

/* Set when thaw() gave up on a thread: it is still traced, with our
 * interrupt pending, and only our exit releases it (the kernel detaches
 * every tracee of a dying tracer and drops its pending traps). */
static volatile sig_atomic_t g_stranded;

/* Detach every tracee; returns the time the last stopped one was let go.
 * Stragglers are polled, not waited for one by one: a dead leader is not
 * reported until its dead threads are reaped, so any fixed order could
 * deadlock.  A thread that has not reached a ptrace-stop within
 * THAW_TIMEOUT_MS is blocked in the kernel (uninterruptible sleep: vfork,
 * disk or NFS I/O, a FUSE request); *stuck = its tid (0 when all were let
 * go) and the others are released anyway. */
static double thaw(const struct freeze *fz, pid_t *stuck)
{
	size_t n = tracee_count();
	struct boost b;
	*stuck = 0;
	/* Stopped threads first, so the target runs again at once. */
	boost_on(&b);
	for (size_t i = 0; i < n; i++)
		if (g_tracee[i].state == T_STOPPED)
			release(fz, &g_tracee[i]);
	double t_last = mono_ms();
	boost_off(&b);
	double deadline = t_last + THAW_TIMEOUT_MS;
	for (unsigned iter = 0;; iter++) {
		pid_t left = 0;
		for (size_t i = 0; i < n; i++)
			if (!release(fz, &g_tracee[i]) && !left)
				left = g_tracee[i].tid;
		if (!left)
			break;
		if (mono_ms() > deadline) {
			*stuck = left;
			g_stranded = 1;
			return t_last; /* the table stays: the handlers still need it */
		}
		poll_backoff(iter);
	}
	atomic_store(&g_ntracee, 0);
	return t_last;
}

int live_stranded(void)
{
	return g_stranded;
}

/* ==== Reading the target ==== */

struct reader {
	pid_t pid;
	int use_mem; /* process_vm_readv said ENOSYS: use /proc/PID/mem */
	int memfd;   /* /proc/PID/mem, opened O_RDONLY on first use, or -1 */
	int pidfd;   /* for lazy reads: is `pid` still our target? or -1 */
};

static void reader_init(struct reader *rd, pid_t pid)
{
	const char *e = hs_test_env("HEAPSCOPE_TEST_NO_VM_READV");
	*rd = (struct reader){.pid = pid, .use_mem = e && *e == '1', .memfd = -1,
			      .pidfd = -1};
}

/* The /proc/PID/mem fallback, with process_vm_readv's conventions: bytes
 * read as a prefix of the iovecs, -1/EFAULT if none, -1/ESRCH if the
 * address space is gone.  mem_rw() gives EIO for an unreadable page and
 * 0 when the mm has been torn down. */
static ssize_t mem_preadv(struct reader *rd, const struct iovec *local,
			  const struct iovec *remote, size_t n)
{
	if (rd->memfd < 0) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/mem", (int)rd->pid);
		rd->memfd = open(path, O_RDONLY | O_CLOEXEC);
		if (rd->memfd < 0) {
			errno = errno == ENOENT ? ESRCH : errno == EACCES ? EPERM : errno;
			return -1;
		}
	}
	ssize_t total = 0;
	for (size_t i = 0; i < n; i++) {
		if ((uint64_t)remote[i].iov_base > (uint64_t)LLONG_MAX) {
			errno = EFAULT; /* not an address pread can name */
			return total ? total : -1;
		}
		ssize_t r = pread(rd->memfd, local[i].iov_base, local[i].iov_len,
				  (off_t)(uintptr_t)remote[i].iov_base);
		if (r > 0)
			total += r;
		if (r == (ssize_t)local[i].iov_len)
			continue;
		if (total)
			return total;
		errno = r == 0 ? ESRCH : errno == EIO ? EFAULT : errno;
		return -1;
	}
	return total;
}

/* process_vm_readv with local[i] and remote[i] of equal length. */
static ssize_t remote_readv(struct reader *rd, const struct iovec *local,
			    const struct iovec *remote, size_t n)
{
	if (!rd->use_mem) {
		ssize_t r = process_vm_readv(rd->pid, local, n, remote, n, 0);
		if (r >= 0 || errno != ENOSYS)
			return r;
		rd->use_mem = 1; /* kernel built without CROSS_MEMORY_ATTACH */
	}
	return mem_preadv(rd, local, remote, n);
}

int live_peek(pid_t pid, raddr_t addr, void *buf, size_t len)
{
	struct reader rd;
	reader_init(&rd, pid);
	struct iovec loc = {buf, len}, rem = {(void *)(uintptr_t)addr, len};
	int ok = remote_readv(&rd, &loc, &rem, 1) == (ssize_t)len;
	if (rd.memfd >= 0)
		close(rd.memfd);
	return ok ? 0 : -1;
}

/* ==== Copy ==== */

/* A target range and where its copy goes.  A job is a whole mapping and
 * owns buf; a span is the part of a job that must really be read. */
struct job {
	raddr_t start, end;
	unsigned char *buf;
	int anon;     /* private anonymous: untouched pages read as zero */
	int reserved; /* buf was made PROT_NONE (for lazy tails), see job_protect */
};

/* A glibc malloc block with a mapping of its own: [start, end) holds the
 * chunk header, then one allocation.  Only [start, start+LIVE_LAZY_HEAD)
 * is copied during the pause; the tail is left lazy. */
struct chunk {
	raddr_t start, end;
};

struct copier {
	struct reader rd;
	int pagemap;       /* /proc/PID/pagemap, or -1: copy every page */
	struct job *jobs;
	size_t njobs;
	struct job *spare; /* buffers made before the freeze, see jobs_prepare */
	size_t nspare;
	struct job *span;  /* what copy_all reads, ascending */
	size_t nspan, capspan;
	size_t nsealed;    /* spans [0, nsealed) belong to finished jobs */
	size_t chunk;      /* bytes per process_vm_readv call, page multiple */
	size_t page;
	raddr_t *bad;      /* unreadable pages, ascending */
	size_t nbad, capbad;
	uint64_t lazy_min; /* blocks at least this long get lazy tails; 0 = none */
	struct chunk *lz;  /* those blocks, ascending: the lazy tails */
	size_t nlz, caplz;
	/* Incremental (live_incr): pages of the base not written since are
	 * taken from it after the thaw instead of read during the pause. */
	memsrc *base;      /* NULL: read every page */
	int (*oracle)(void *, uint64_t);
	void *oracle_arg;
	struct job *ru;    /* target ranges to take from base, ascending */
	size_t nru, capru;
	int clear_fd;      /* /proc/PID/clear_refs, or -1 */
	int cleared;       /* the soft-dirty bits were cleared in this pause */
	int clear_errno;   /* why clearing them failed, 0 if it did not */
	int verify;        /* verify_incr */
	struct job *shadow; /* verify_incr: a full copy of c->jobs, same pause */
	struct iovec loc[MAX_IOV], rem[MAX_IOV];
	raddr_t at[MAX_IOV];       /* lazy_scan's probes */
	uint64_t hdr[MAX_IOV][2];
};

/* Position in the span list: span j, byte offset off. */
struct cursor {
	size_t j;
	uint64_t off;
};

static void cursor_advance(const struct copier *c, struct cursor *p, uint64_t n)
{
	while (n && p->j < c->nspan) {
		uint64_t left = c->span[p->j].end - c->span[p->j].start - p->off;
		uint64_t step = n < left ? n : left;
		p->off += step;
		n -= step;
		if (p->off == c->span[p->j].end - c->span[p->j].start) {
			p->j++;
			p->off = 0;
		}
	}
}

static int cursor_before(struct cursor a, struct cursor b)
{
	return a.j < b.j || (a.j == b.j && a.off < b.off);
}

/* Fill loc/rem with up to `chunk` bytes from *p on, stopping at `end`
 * (spanning small mappings: one call, many iovecs).  Advances *p to the
 * batch end. */
static size_t gather(struct copier *c, struct cursor *p, struct cursor end,
		     struct iovec *loc, struct iovec *rem, size_t *niov)
{
	size_t want = 0, n = 0;
	while (cursor_before(*p, end) && n < MAX_IOV && want < c->chunk) {
		const struct job *jb = &c->span[p->j];
		uint64_t left = (p->j == end.j ? end.off : jb->end - jb->start) - p->off;
		size_t len = left < c->chunk - want ? (size_t)left : c->chunk - want;
		loc[n] = (struct iovec){jb->buf + p->off, len};
		rem[n] = (struct iovec){(void *)(uintptr_t)(jb->start + p->off), len};
		n++;
		want += len;
		cursor_advance(c, p, len);
	}
	*niov = n;
	return want;
}

static enum hs_status copy_errno(const struct copier *c, int errnum,
				 struct hs_err *err)
{
	if (errnum == ESRCH)
		return hs_fail(err, HS_ERR_TARGET_CHANGED, "target exited during the snapshot");
	if (errnum == EPERM || errnum == EACCES)
		return access_error(c->rd.pid, "process_vm_readv", errnum, err);
	if (errnum == ENOMEM)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory copying PID %d",
			       (int)c->rd.pid);
	return hs_fail(err, HS_ERR_READ, "reading PID %d: %s", (int)c->rd.pid,
		       strerror(errnum));
}

static int bad_add(struct copier *c, raddr_t page)
{
	if (c->nbad == c->capbad) {
		size_t cap = c->capbad ? c->capbad * 2 : 64;
		raddr_t *nb = realloc(c->bad, cap * sizeof *nb);
		if (!nb)
			return -1;
		c->bad = nb;
		c->capbad = cap;
	}
	c->bad[c->nbad++] = page;
	return 0;
}

/* Slow path after a short read: copy [*p, end) one page at a time and
 * note the pages that cannot be read (guard pages, holes, pages past the
 * end of a shared file), so no region will claim them. */
static enum hs_status copy_pages(struct copier *c, struct cursor *p,
				 struct cursor end, struct hs_err *err)
{
	p->off -= p->off % c->page; /* a partial page is simply re-read */
	while (cursor_before(*p, end)) {
		const struct job *jb = &c->span[p->j];
		struct iovec l = {jb->buf + p->off, c->page};
		struct iovec r = {(void *)(uintptr_t)(jb->start + p->off), c->page};
		ssize_t got = remote_readv(&c->rd, &l, &r, 1);
		if (got != (ssize_t)c->page) {
			if (got < 0 && errno != EFAULT)
				return copy_errno(c, errno, err);
			if (bad_add(c, jb->start + p->off) != 0)
				return hs_fail(err, HS_ERR_NOMEM, "out of memory copying PID %d",
					       (int)c->rd.pid);
		}
		cursor_advance(c, p, c->page);
	}
	return HS_OK;
}

/* Copy the spans in [from, to): large batched reads, page-by-page only
 * where a batch came back short. */
static enum hs_status copy_range(struct copier *c, struct cursor from, struct cursor to,
				 struct hs_err *err)
{
	struct cursor p = from;
	while (cursor_before(p, to)) {
		struct cursor start = p;
		size_t niov;
		size_t want = gather(c, &p, to, c->loc, c->rem, &niov);
		ssize_t got = remote_readv(&c->rd, c->loc, c->rem, niov);
		if (got == (ssize_t)want)
			continue;
		if (got < 0 && errno != EFAULT)
			return copy_errno(c, errno, err);
		cursor_advance(c, &start, got > 0 ? (uint64_t)got : 0);
		enum hs_status st = copy_pages(c, &start, p, err);
		if (st != HS_OK)
			return st;
	}
	return HS_OK;
}

/* Two threads copy, each half of the bytes, when there is a second CPU
 * and enough to copy: process_vm_readv pins and copies the target's pages
 * one 4 KiB page at a time, which is CPU work a second core shares (the
 * target is stopped: nothing else runs).  Each thread only does the fast
 * path; a batch that comes back short is noted and copied again after
 * both are done, by copy_range (page by page where needed, so that the
 * unreadable pages are noted in order, by one thread). */
#define PAR_COPY_MIN ((uint64_t)32 << 20)

struct half {
	struct copier *c;
	struct cursor from, to;
	struct cursor *redo;     /* [redo[2k], redo[2k+1]) to copy again */
	size_t nredo, capredo;
	int errnum;              /* a hard error (not EFAULT), or 0 */
	struct iovec loc[MAX_IOV], rem[MAX_IOV];
};

static void half_redo(struct half *h, struct cursor a, struct cursor b)
{
	if (h->nredo + 2 > h->capredo) {
		size_t cap = h->capredo ? h->capredo * 2 : 16;
		struct cursor *n = realloc(h->redo, cap * sizeof *n);
		if (!n) {
			h->errnum = ENOMEM;
			return;
		}
		h->redo = n;
		h->capredo = cap;
	}
	h->redo[h->nredo++] = a;
	h->redo[h->nredo++] = b;
}

static void *half_run(void *arg)
{
	struct half *h = arg;
	struct copier *c = h->c;
	struct cursor p = h->from;
	while (cursor_before(p, h->to) && !h->errnum) {
		struct cursor start = p;
		size_t niov;
		size_t want = gather(c, &p, h->to, h->loc, h->rem, &niov);
		ssize_t got = process_vm_readv(c->rd.pid, h->loc, niov, h->rem, niov, 0);
		if (got == (ssize_t)want)
			continue;
		if (got < 0 && errno == ENOSYS) {   /* copy_range falls back to /proc/PID/mem */
			half_redo(h, start, h->to);
			break;
		}
		if (got < 0 && errno != EFAULT)
			h->errnum = errno;
		else
			half_redo(h, start, p);
	}
	return NULL;
}

static int cpus_usable(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return 1;
	return CPU_COUNT(&set);
}

/* Copy every span (see copy_range and struct half). */
static enum hs_status copy_all(struct copier *c, struct hs_err *err)
{
	struct cursor begin = {0, 0}, end = {c->nspan, 0};
	uint64_t total = 0;
	for (size_t j = 0; j < c->nspan; j++)
		total += c->span[j].end - c->span[j].start;
	const char *e = hs_test_env("HEAPSCOPE_TEST_COPY_THREADS");
	int one = e ? *e == '1' : total < PAR_COPY_MIN || cpus_usable() < 2;
	if (one || c->rd.use_mem)
		return copy_range(c, begin, end, err);
	struct half *h = calloc(2, sizeof *h);
	if (!h)
		return copy_range(c, begin, end, err);
	/* the halves meet at a page boundary of the target: a page is
	 * never read by both (copy_pages re-reads whole pages) */
	struct cursor mid = begin;
	cursor_advance(c, &mid, total / 2);
	if (mid.j < c->nspan) {
		uint64_t a = c->span[mid.j].start + mid.off;
		mid.off = mid.off >= a % c->page ? mid.off - a % c->page : 0;
	}
	h[0].c = h[1].c = c;
	h[0].from = begin;
	h[0].to = h[1].from = mid;
	h[1].to = end;
	pthread_t tid;
	int helper = pthread_create(&tid, NULL, half_run, &h[1]) == 0;
	half_run(&h[0]);
	if (helper)
		pthread_join(tid, NULL);
	else
		half_run(&h[1]);
	enum hs_status st = HS_OK;
	for (int k = 0; k < 2 && st == HS_OK; k++)
		if (h[k].errnum)
			st = copy_errno(c, h[k].errnum, err);
	/* in address order: bad pages are noted ascending */
	for (int k = 0; k < 2 && st == HS_OK; k++)
		for (size_t i = 0; i + 1 < h[k].nredo && st == HS_OK; i += 2)
			st = copy_range(c, h[k].redo[i], h[k].redo[i + 1], err);
	free(h[0].redo);
	free(h[1].redo);
	free(h);
	return st;
}

/* ==== What to read ==== */

/* /proc/PID/pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst) */
#define PM_PRESENT (1ull << 63)
#define PM_SWAP (1ull << 62)
#define PM_EXCLUSIVE (1ull << 56)
#define PM_SOFT_DIRTY (1ull << 55)
/* Entries per pagemap read: 32 KiB, 16 MiB of target address space. */
#define PM_BATCH 4096

static int span_add(struct copier *c, raddr_t start, raddr_t end,
		    unsigned char *buf)
{
	struct job *last = c->nspan > c->nsealed ? &c->span[c->nspan - 1] : NULL;
	if (last && last->end == start) {
		last->end = end; /* contiguous: one longer span */
		return 0;
	}
	if (c->nspan == c->capspan) {
		size_t cap = c->capspan ? c->capspan * 2 : 256;
		struct job *ns = realloc(c->span, cap * sizeof *ns);
		if (!ns)
			return -1;
		c->span = ns;
		c->capspan = cap;
	}
	c->span[c->nspan++] = (struct job){start, end, buf, 0, 0};
	return 0;
}

static int reuse_add(struct copier *c, raddr_t start, raddr_t end,
		     unsigned char *buf)
{
	struct job *last = c->nru ? &c->ru[c->nru - 1] : NULL;
	if (last && last->end == start && last->buf + (start - last->start) == buf) {
		last->end = end;
		return 0;
	}
	if (c->nru == c->capru) {
		size_t cap = c->capru ? c->capru * 2 : 256;
		struct job *nr = realloc(c->ru, cap * sizeof *nr);
		if (!nr)
			return -1;
		c->ru = nr;
		c->capru = cap;
	}
	c->ru[c->nru++] = (struct job){start, end, buf, 0, 0};
	return 0;
}

/* What to do with one page of a private anonymous job, by its pagemap
 * entry: 0 skip (never touched: zeros), 1 read it, 2 take it from the base
 * (incremental: not written since the base was taken, the target's own
 * page, and copied in the base).  A present page that is not exclusive
 * may be the shared zero page mapped by a read after MADV_DONTNEED (which
 * clears a pte without marking it written) or a page shared with a fork:
 * read. */
static int page_class(struct copier *c, uint64_t ent, raddr_t a)
{
	if (!(ent & (PM_PRESENT | PM_SWAP)))
		return 0;
	if (!c->base)
		return 1;
	int dirty = c->oracle ? c->oracle(c->oracle_arg, a) : !!(ent & PM_SOFT_DIRTY);
	if (dirty || !(ent & (PM_SWAP | PM_EXCLUSIVE)) || !mem_in_copy(c->base, a, c->page))
		return 1;
	return 2;
}

/* Add the pages of an anonymous job that hold data: present or swapped.
 * The others were never touched (or were freed) and read as zeros, which
 * the fresh buffer already holds.  Reading them anyway would cost a zero-
 * page fault in the target each (and page tables it did not have) plus a
 * copy of zeros: ~100 ms per untouched GiB, typical of 8 MiB thread
 * stacks and reserved arenas.  Falls back to reading the whole job. */
static int span_add_present(struct copier *c, const struct job *jb)
{
	uint64_t ent[PM_BATCH];
	raddr_t a = jb->start;
	while (a < jb->end) {
		size_t want = (jb->end - a) / c->page;
		want = want < PM_BATCH ? want : PM_BATCH;
		ssize_t got = pread(c->pagemap, ent, want * 8, (off_t)(a / c->page * 8));
		if (got < 8)
			return span_add(c, a, jb->end, jb->buf + (a - jb->start));
		size_t n = (size_t)got / 8;
		for (size_t i = 0, j; i < n; i = j) {
			int k = page_class(c, ent[i], a + i * c->page);
			for (j = i + 1; j < n && page_class(c, ent[j], a + j * c->page) == k; j++)
				;
			raddr_t from = a + i * c->page, to = a + j * c->page;
			unsigned char *buf = jb->buf + (from - jb->start);
			if ((k == 1 && span_add(c, from, to, buf) != 0) ||
			    (k == 2 && reuse_add(c, from, to, buf) != 0))
				return -1;
		}
		a += n * c->page;
	}
	return 0;
}

/* ==== Big malloc blocks: copy the head, leave the tail lazy ==== */

/* glibc's chunk header (malloc/malloc.c): prev_size, then size | flags
 * in the low three bits.  A block with a mapping of its own has
 * IS_MMAPPED and no other flag, prev_size 0 (on x86_64, where malloc's
 * alignment equals the header size) and starts a page; its size rounds up
 * to the length of its mapping (see chunk_len). */
#define CHUNK_IS_MMAPPED 0x2ull
/* Probes per batch right after a block was found (its payload follows, so
 * most probes of a big batch would be wasted); doubled up to MAX_IOV while
 * nothing is found. */
#define PROBE_FIRST 16
/* The step of the first walk over a mapping (see lazy_scan); a page
 * multiple that divides every pymalloc arena size. */
#define LAZY_GRID ((size_t)256 << 10)

/* Could this mapping hold a block of lazy_min bytes or more?  glibc maps
 * its blocks private and anonymous ("[anon:...]": a name given with
 * PR_SET_VMA_ANON_NAME, as newer glibc may); [heap] and [stack] hold none. */
static int lazy_map(const struct copier *c, const struct mem_map *m)
{
	uint64_t len = m->end - m->start;
	return c->lazy_min && live_should_copy(m) && !m->shared &&
	       (!m->path || strncmp(m->path, "[anon:", 6) == 0) &&
	       len >= c->lazy_min && len > LIVE_LAZY_HEAD;
}

/* The length of the block whose header h was read at `at`, if it is one
 * that fits before `end`; else 0. */
static uint64_t chunk_len(const struct copier *c, const uint64_t h[2],
			  raddr_t at, raddr_t end)
{
	/* glibc up to 2.36 (Debian 12) records the page-multiple length of
	 * the mapping; newer ones (sid's 2.43) the chunk's own size, its
	 * mapping being that rounded up to pages.  The flags are IS_MMAPPED
	 * alone either way. */
	uint64_t sz = h[1] & ~(uint64_t)7;
	uint64_t len = (sz + c->page - 1) & ~(uint64_t)(c->page - 1);
	if (h[0] != 0 || (h[1] & 7) != CHUNK_IS_MMAPPED || sz < c->page ||
	    len < 2 * c->page || len > end - at)
		return 0;
	return len;
}

/* Is this block big enough to leave its tail lazy? */
static int chunk_lazy(const struct copier *c, uint64_t len)
{
	return len >= c->lazy_min && len > LIVE_LAZY_HEAD;
}

static int lz_add(struct copier *c, raddr_t start, raddr_t end)
{
	if (c->nlz == c->caplz) {
		size_t cap = c->caplz ? c->caplz * 2 : 16;
		struct chunk *nl = realloc(c->lz, cap * sizeof *nl);
		if (!nl)
			return -1;
		c->lz = nl;
		c->caplz = cap;
	}
	c->lz[c->nlz++] = (struct chunk){start, end};
	return 0;
}

/* Read the 16 bytes at each of at[0..n) into hdr.  An address that
 * cannot be read gets a zero header (never a block) and the batch goes
 * on: glibc 2.42+ puts thread stacks' guard pages *inside* their mapping
 * (MADV_GUARD_INSTALL), so a mapping's first page may fault.  Returns how
 * many were read or skipped: n, or a prefix when the target went away or
 * too many addresses in a row failed. */
#define PROBE_MAX_FAILS 64
static size_t probe(struct copier *c, const raddr_t *at, size_t n,
		    uint64_t (*hdr)[2])
{
	size_t done = 0, fails = 0;
	while (done < n) {
		size_t k = n - done < MAX_IOV ? n - done : MAX_IOV;
		for (size_t i = 0; i < k; i++) {
			c->loc[i] = (struct iovec){hdr[done + i], 16};
			c->rem[i] = (struct iovec){(void *)(uintptr_t)at[done + i], 16};
		}
		ssize_t got = remote_readv(&c->rd, c->loc, c->rem, k);
		if (got < 0 && errno == ESRCH)
			break;
		if (got > 0) {
			done += (size_t)got / 16;
			fails = 0;
			if ((size_t)got == k * 16)
				continue;
		}
		/* at[done] faulted: no header there */
		if (++fails > PROBE_MAX_FAILS)
			break;
		hdr[done][0] = hdr[done][1] = 0;
		done++;
	}
	return done;
}

/* Up to lim probe addresses from a on, `step` apart, skipping pages that
 * never held data (pagemap; a block header is always written).  *next =
 * the first address not considered (past e when the steps overshoot it). */
static size_t probes_gather(struct copier *c, raddr_t a, raddr_t e, size_t step,
			    size_t lim, raddr_t *next)
{
	uint64_t ent[PM_BATCH];
	size_t n = 0;
	if (step > c->page) {
		for (; a < e && n < lim; a += step) {
			uint64_t pm = PM_PRESENT;
			if (c->pagemap >= 0 &&
			    pread(c->pagemap, &pm, 8, (off_t)(a / c->page * 8)) == 8 &&
			    !(pm & (PM_PRESENT | PM_SWAP)))
				continue;
			c->at[n++] = a;
		}
		*next = a;
		return n;
	}
	while (n < lim && a < e) {
		size_t want = (e - a) / c->page;
		want = want < PM_BATCH ? want : PM_BATCH;
		ssize_t got = c->pagemap >= 0
			? pread(c->pagemap, ent, want * 8, (off_t)(a / c->page * 8)) : -1;
		size_t ne = got >= 8 ? (size_t)got / 8 : want, i;
		for (i = 0; i < ne && n < lim; i++)
			if (got < 8 || (ent[i] & (PM_PRESENT | PM_SWAP)))
				c->at[n++] = a + i * c->page;
		a += i * c->page;
	}
	*next = a;
	return n;
}

/* Walk [s, e) probing the 16 bytes at pos, pos+step, ... and jump over
 * every block found, so no payload is probed.  *end = where the walk
 * stopped: e exactly when the steps and the blocks tile the mapping.
 * Runs while the target runs; a mapping we cannot read is simply copied in
 * full.  0, or -1 (no memory). */
static int scan_map(struct copier *c, raddr_t s, raddr_t e, size_t step,
		    raddr_t *end)
{
	size_t lim = PROBE_FIRST;
	raddr_t pos = s;
	while (pos < e) {
		raddr_t next;
		size_t n = probes_gather(c, pos, e, step, lim, &next);
		if (n == 0) {
			pos = next; /* nothing touched up to e */
			break;
		}
		size_t ok = probe(c, c->at, n, c->hdr);
		if (ok == 0)
			break;
		if (ok < n)
			next = c->at[ok] + step;
		lim = lim * 2 < MAX_IOV ? lim * 2 : MAX_IOV;
		for (size_t i = 0; i < ok; i++) {
			uint64_t len = chunk_len(c, c->hdr[i], c->at[i], e);
			if (!len)
				continue;
			if (chunk_lazy(c, len) && lz_add(c, c->at[i], c->at[i] + len) != 0)
				return -1;
			next = c->at[i] + len;
			lim = PROBE_FIRST;
			break;
		}
		pos = next;
	}
	*end = pos;
	return 0;
}

/* Before the freeze: find the big blocks of maps (sorted) into c->lz.
 * A mapping is a run of mappings the kernel merged: pymalloc arenas (256
 * KiB up to 3.9, 1 MiB from 3.10), glibc blocks (any page multiple, their
 * length in their header), thread stacks (8 MiB), ...  So a walk in
 * LAZY_GRID steps that jumps over each block finds every block, at ~1/64
 * of the cost of probing every page (~0.65 us per probe: 23 ms for 144 MiB
 * of arenas).  Something of another size in between shifts the walk off
 * the grid, which shows as a walk that does not end exactly at the
 * mapping's end: then every touched page start is probed. */
static enum hs_status lazy_scan(struct copier *c, const struct mem_map *maps,
				size_t n, struct hs_err *err)
{
	c->nlz = 0;
	for (size_t i = 0; i < n; i++) {
		if (!lazy_map(c, &maps[i]))
			continue;
		size_t mark = c->nlz;
		raddr_t end;
		if (scan_map(c, maps[i].start, maps[i].end, LAZY_GRID, &end) != 0)
			return hs_fail(err, HS_ERR_NOMEM, "out of memory");
		if (end == maps[i].end)
			continue;
		c->nlz = mark;
		if (scan_map(c, maps[i].start, maps[i].end, c->page, &end) != 0)
			return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	return HS_OK;
}

/* During the pause: keep the blocks of lazy_scan whose header still says
 * the same kind of block (its length may differ), plus any block that
 * starts a big mapping, each inside a mapping of the layout that counts.
 * A block freed and replaced by something else since the scan fails the
 * check and is copied in full; one created since the scan is found only at
 * the start of a mapping (else it is copied in full too). */
static enum hs_status lazy_verify(struct copier *c, const struct mem_map *maps,
				  size_t n, struct hs_err *err)
{
	struct chunk *old = c->lz;
	size_t nold = c->nlz;
	c->lz = NULL;
	c->nlz = c->caplz = 0;
	size_t cap = nold;
	for (size_t i = 0; i < n; i++)
		cap += lazy_map(c, &maps[i]);
	if (cap == 0) {
		free(old);
		return HS_OK;
	}
	raddr_t *at = malloc(cap * sizeof *at);
	uint64_t (*hdr)[2] = malloc(cap * sizeof *hdr);
	enum hs_status st = HS_OK;
	if (!at || !hdr) {
		st = hs_fail(err, HS_ERR_NOMEM, "out of memory");
		goto out;
	}
	size_t na = 0;
	for (size_t i = 0, k = 0; i < n; i++) {
		if (!lazy_map(c, &maps[i]))
			continue;
		at[na++] = maps[i].start;
		while (k < nold && old[k].start <= maps[i].start)
			k++;
		for (; k < nold && old[k].start < maps[i].end; k++)
			at[na++] = old[k].start;
	}
	size_t ok = probe(c, at, na, hdr);
	for (size_t i = 0, j = 0; i < n && j < ok; i++) {
		if (!lazy_map(c, &maps[i]))
			continue;
		raddr_t free_from = maps[i].start;
		for (; j < ok && at[j] < maps[i].end; j++) {
			uint64_t len = chunk_len(c, hdr[j], at[j], maps[i].end);
			if (!len || at[j] < free_from)
				continue;
			if (chunk_lazy(c, len) && lz_add(c, at[j], at[j] + len) != 0) {
				st = hs_fail(err, HS_ERR_NOMEM, "out of memory");
				goto out;
			}
			free_from = at[j] + len;
		}
	}
out:
	free(at);
	free(hdr);
	free(old);
	return st;
}

/* Index of the first block of c->lz that ends after a. */
static size_t lz_first(const struct copier *c, raddr_t a)
{
	size_t lo = 0, hi = c->nlz;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->lz[mid].end <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Iterator over the parts of a job the pause copies: the job minus the
 * lazy tails inside it (each block's head is copied). */
struct segit {
	size_t k;  /* next block of c->lz */
	raddr_t a; /* where the next part starts */
};

static struct segit seg_begin(const struct copier *c, raddr_t start)
{
	return (struct segit){lz_first(c, start), start};
}

static int seg_next(const struct copier *c, raddr_t end, struct segit *it,
		    raddr_t *from, raddr_t *to)
{
	while (it->a < end) {
		*from = it->a;
		if (it->k < c->nlz && c->lz[it->k].start < end) {
			const struct chunk *ch = &c->lz[it->k++];
			*to = ch->start + LIVE_LAZY_HEAD;
			it->a = ch->end < end ? ch->end : end;
		} else {
			*to = it->a = end;
		}
		if (*to > *from)
			return 1;
	}
	return 0;
}

/* Does the job [start, end) hold a lazy tail? */
static int has_tail(const struct copier *c, raddr_t start, raddr_t end)
{
	size_t k = lz_first(c, start);
	return k < c->nlz && c->lz[k].start < end;
}

/* Turn jobs into spans (replacing any), leaving out the lazy tails.  For
 * the copy this runs during the pause: pagemap must describe the stopped
 * target. */
static enum hs_status plan_build(struct copier *c, const struct job *jobs,
				 size_t njobs, struct hs_err *err)
{
	c->nspan = c->nsealed = c->nru = 0;
	for (size_t i = 0; i < njobs; i++) {
		const struct job *jb = &jobs[i];
		struct segit it = seg_begin(c, jb->start);
		raddr_t from, to;
		while (seg_next(c, jb->end, &it, &from, &to)) {
			struct job seg = {from, to, jb->buf + (from - jb->start), jb->anon, 0};
			int rc = seg.anon && c->pagemap >= 0
				? span_add_present(c, &seg)
				: span_add(c, seg.start, seg.end, seg.buf);
			if (rc != 0)
				return hs_fail(err, HS_ERR_NOMEM, "out of memory");
		}
		c->nsealed = c->nspan; /* a span never crosses into the next job */
	}
	return HS_OK;
}

/* Bytes the planned copy reads, and those it takes from the base. */
static uint64_t plan_bytes(const struct copier *c)
{
	uint64_t total = 0;
	for (size_t i = 0; i < c->nspan; i++)
		total += c->span[i].end - c->span[i].start;
	return total;
}

static uint64_t reuse_bytes(const struct copier *c)
{
	uint64_t total = 0;
	for (size_t i = 0; i < c->nru; i++)
		total += c->ru[i].end - c->ru[i].start;
	return total;
}

/* Private anonymous: no file behind it, so a page that is neither present
 * nor swapped is a zero page.  Not true of file or shared mappings: their
 * data may sit in the page cache without being mapped. */
static int map_is_private_anon(const struct mem_map *m)
{
	return !m->shared && (!m->path || m->path[0] == '[');
}

static void jobs_free(struct job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (jobs[i].buf)
			munmap(jobs[i].buf, jobs[i].end - jobs[i].start);
	free(jobs);
}

/* A private, zero-filled buffer for len bytes of copy, or NULL.  With
 * `reserve` it starts PROT_NONE (see job_protect). */
#define HUGE_ALIGN ((size_t)2 << 20)

static void *buf_alloc(size_t len, int reserve)
{
	/* NORESERVE: what the copy touches, not the reservation, is what we
	 * use; untouched tails of a failed snapshot cost nothing.  From 2 MiB
	 * on, the buffer starts at a 2 MiB boundary, so that every whole
	 * 2 MiB of it can be a huge page (see spares_prefault): an unaligned
	 * 1 MiB buffer can hold none. */
	size_t slack = len >= HUGE_ALIGN ? HUGE_ALIGN : 0;
	unsigned char *raw = mmap(NULL, len + slack, reserve ? PROT_NONE : PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	if (!slack)
		return raw;
	unsigned char *buf = (unsigned char *)(((uintptr_t)raw + HUGE_ALIGN - 1) &
					       ~(uintptr_t)(HUGE_ALIGN - 1));
	if (buf > raw)
		munmap(raw, (size_t)(buf - raw));
	if (raw + slack > buf)
		munmap(buf + len, (size_t)(raw + slack - buf));
	return buf;
}

/* Make the parts of a reserved job buffer that the pause copies readable
 * and writable.  Its lazy tails stay PROT_NONE, which, unlike NORESERVE,
 * is not charged to the commit limit even under vm.overcommit_memory=2:
 * a 2 GiB payload must not cost us 2 GiB of anything.  memsrc makes each
 * piece writable when it reads it. */
static int job_protect(const struct copier *c, const struct job *jb)
{
	struct segit it = seg_begin(c, jb->start);
	raddr_t from, to;
	while (seg_next(c, jb->end, &it, &from, &to))
		if (mprotect(jb->buf + (from - jb->start), to - from,
			     PROT_READ | PROT_WRITE) != 0)
			return -1;
	return 0;
}

/* Fault buf in now, while the target still runs, so that the copy during
 * the pause runs at memcpy speed instead of page-fault speed. */
static void buf_prefault(void *buf, size_t len, size_t page)
{
	if (madvise(buf, len, MADV_POPULATE_WRITE) == 0 || errno != EINVAL)
		return; /* done, or ENOMEM: then the copy will fail cleanly */
	for (size_t off = 0; off < len; off += page) /* kernel < 5.14 */
		((volatile unsigned char *)buf)[off] = 0;
}

/* Before the freeze, with the plan of the spares built: fault in the parts
 * of the spares that the copy will write, i.e. what pagemap shows present
 * now, lazy tails left out.  Measured on a 300 MiB target, the copy took
 * ~180 ms into memory it had to fault in 4 KiB at a time, ~60 ms into huge
 * pages and ~40 ms into memory faulted in before.  Huge pages only for
 * mostly-present mappings: a sparse one (a thread stack) would get a 2 MiB
 * page for each few KiB it holds.  Clears the plan. */
/* Huge pages are faulted in 16 MiB at a time, and given up for the rest
 * of the snapshot (4 KiB pages from then on) only when, after at least
 * HUGE_JUDGE_MIB, they have come in slower than HUGE_SLOW_MS_PER_MIB on
 * the whole: the host is then short of memory it can hand out in big
 * blocks, and every further piece would cost as much.  On this 2-core VM
 * (nested paging), the copy into 4 KiB pages is 2-4x slower than into
 * huge pages, both faulted in before: 1M objects, 180 MB, 5 paired fresh
 * runs, pause 315-686 ms against 127-217 ms.  The pause is the target's
 * outage, so huge pages are worth a slower faulting in: 180 MiB took
 * 16-27 ms usually, but 92-447 ms at times (cold high-order blocks: zeroing
 * them faults in the host's memory too; thp_fault_alloc all succeeded).
 * Giving up at the first slow piece, as before, dropped huge pages for
 * most of a snapshot whenever one piece met a stall (one 10 MiB piece in
 * 15 ms after 70 MiB at ~0.08 ms per MiB). */
#define HUGE_PIECE ((size_t)16 << 20)
#define HUGE_JUDGE_MIB 64
#define HUGE_SLOW_MS_PER_MIB 4.0

struct prefault_mode {
	int huge;            /* still trying huge pages */
	double ms, mib;      /* huge pieces so far: time, size */
};

static void prefault_dense(struct prefault_mode *pm, unsigned char *buf, size_t len,
			   size_t page)
{
	for (size_t off = 0; off < len;) {
		size_t n = len - off < HUGE_PIECE ? len - off : HUGE_PIECE;
		if (!pm->huge) {
			/* THP "always" would still give huge pages */
			madvise(buf + off, len - off, MADV_NOHUGEPAGE);
			buf_prefault(buf + off, len - off, page);
			return;
		}
		double t0 = mono_ms();
		madvise(buf + off, n, MADV_HUGEPAGE);
		buf_prefault(buf + off, n, page);
		pm->ms += mono_ms() - t0;
		pm->mib += (double)n / 1048576.0;
		if (pm->mib >= HUGE_JUDGE_MIB && pm->ms > HUGE_SLOW_MS_PER_MIB * pm->mib)
			pm->huge = 0;
		off += n;
	}
}

/* One buffer range to fault in; dense: in huge pages (prefault_dense). */
struct pf_piece {
	unsigned char *buf;
	size_t len;
	int dense;
};

struct pf_half {
	const struct pf_piece *p;
	size_t n;
	size_t page;
};

static void *pf_run(void *arg)
{
	const struct pf_half *h = arg;
	struct prefault_mode pm = {.huge = 1};   /* each thread judges its own */
	for (size_t i = 0; i < h->n; i++) {
		if (h->p[i].dense)
			prefault_dense(&pm, h->p[i].buf, h->p[i].len, h->page);
		else
			buf_prefault(h->p[i].buf, h->p[i].len, h->page);
	}
	return NULL;
}

/* Two threads fault in the buffers from this much on (and a second CPU).
 * On this 2-core VM, whose host takes freed memory back (free page
 * reporting), fresh memory costs a host-side fault at its first touch, and
 * two threads take those faults faster than one: `types --tracked-only`
 * 3 s after the last run (cold), alternated, prefault_ms at 1M objects
 * (180 MB) 187-277 against 204-366 ms (14 pairs, medians 244 / 288), at
 * 3M (503 MB) 265-432 against 501-921 ms (5 pairs). */
#define PAR_PREFAULT_MIN ((uint64_t)64 << 20)

static void spares_prefault(struct copier *c)
{
	struct pf_piece *pc = NULL;
	size_t npc = 0, cappc = 0;
	uint64_t total = 0;
	int oom = 0;
	for (size_t i = 0, s = 0; i < c->nspare; i++) {
		const struct job *jb = &c->spare[i];
		size_t first = s;
		uint64_t present = 0, copied = 0;
		for (; s < c->nspan && c->span[s].start < jb->end; s++)
			present += c->span[s].end - c->span[s].start;
		struct segit it = seg_begin(c, jb->start);
		raddr_t from, to;
		while (seg_next(c, jb->end, &it, &from, &to))
			copied += to - from;
		/* Mostly present: huge pages, faulted in with one call per
		 * copied part, never-touched pages included.  Per present run
		 * (~1 MiB each between untouched pages of pymalloc arenas) and
		 * into unaligned buffers, few of them got huge pages: 190 calls,
		 * 116 ms for 167 MiB (1M objects, strace); the snapshot's median
		 * fell from 210 to 150 ms with this (loaded 2-core VM, 8 fresh
		 * runs each, paired). */
		int dense = present >= copied / 2;
		it = seg_begin(c, jb->start);
		for (size_t k = first; !oom; k++) {
			struct pf_piece x;
			if (dense) {
				if (!seg_next(c, jb->end, &it, &from, &to))
					break;
				x = (struct pf_piece){jb->buf + (from - jb->start), to - from, 1};
			} else {
				if (k >= s)
					break;
				x = (struct pf_piece){c->span[k].buf, c->span[k].end - c->span[k].start, 0};
			}
			if (npc == cappc) {
				size_t nc = cappc ? cappc * 2 : 64;
				struct pf_piece *np = realloc(pc, nc * sizeof *np);
				if (!np) {
					oom = 1;   /* then the copy faults in the rest */
					break;
				}
				pc = np;
				cappc = nc;
			}
			pc[npc++] = x;
			total += x.len;
		}
	}
	c->nspan = c->nsealed = 0;
	const char *e = hs_test_env("HEAPSCOPE_TEST_COPY_THREADS");
	int one = e ? *e == '1' : total < PAR_PREFAULT_MIN || cpus_usable() < 2;
	struct pf_half h[2] = {{pc, npc, c->page}, {NULL, 0, c->page}};
	if (!one) {
		/* the halves meet where half the bytes are reached, inside a
		 * piece at a 2 MiB boundary of its buffer (one mapping can be
		 * most of the copy), so each thread gets about half */
		uint64_t acc = 0;
		size_t m = 0;
		while (m < npc && acc + pc[m].len <= total / 2)
			acc += pc[m++].len;
		struct pf_piece *two = m < npc ? malloc((npc + 1) * sizeof *two) : NULL;
		if (two) {
			memcpy(two, pc, m * sizeof *two);
			uintptr_t b = (uintptr_t)pc[m].buf;
			uintptr_t cut = (b + (total / 2 - acc) + HUGE_ALIGN - 1) & ~(uintptr_t)(HUGE_ALIGN - 1);
			size_t n0 = m;   /* pieces of the first half */
			if (cut > b && cut < b + pc[m].len) {
				two[n0++] = (struct pf_piece){pc[m].buf, cut - b, pc[m].dense};
				two[n0] = (struct pf_piece){(unsigned char *)cut, b + pc[m].len - cut, pc[m].dense};
			} else {
				two[n0] = pc[m];
			}
			memcpy(two + n0 + 1, pc + m + 1, (npc - m - 1) * sizeof *two);
			size_t ntwo = npc + (n0 - m);   /* one more if piece m was cut */
			h[0] = (struct pf_half){two, n0, c->page};
			h[1] = (struct pf_half){two + n0, ntwo - n0, c->page};
			pthread_t tid;
			if (pthread_create(&tid, NULL, pf_run, &h[1]) == 0) {
				pf_run(&h[0]);
				pthread_join(tid, NULL);
			} else {
				pf_run(&h[0]);
				pf_run(&h[1]);
			}
			free(two);
			free(pc);
			return;
		}
	}
	pf_run(&h[0]);
	free(pc);
}

/* Take the spare buffer made for a mapping at `start` if it is big enough
 * (trimmed to len), else NULL.  Spares are sorted by start. */
static void *spare_take(struct copier *c, raddr_t start, size_t len, int *reserved)
{
	size_t lo = 0, hi = c->nspare;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->spare[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	struct job *sp = lo < c->nspare ? &c->spare[lo] : NULL;
	if (!sp || sp->start != start || !sp->buf || sp->end - sp->start < len)
		return NULL;
	unsigned char *buf = sp->buf;
	if (sp->end - sp->start > len)
		munmap(buf + len, sp->end - sp->start - len);
	sp->buf = NULL;
	*reserved = sp->reserved;
	return buf;
}

/* Make a buffer for every mapping worth copying.  Spares are made before
 * the freeze for the layout as first read (see spares_prefault); jobs,
 * during the pause for the layout that counts, reuse the spare of the
 * same mapping, nearly always there since the layout rarely moves.  A
 * buffer for a mapping with lazy tails is reserved PROT_NONE, then opened
 * where the copy goes (job_protect); a reused one is re-opened for the
 * tails as verified now. */
static enum hs_status jobs_prepare(struct copier *c, const struct mem_map *maps,
				   size_t n, int spares, struct hs_err *err)
{
	struct job *jobs = calloc(n ? n : 1, sizeof *jobs);
	if (!jobs)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	if (spares) {
		c->spare = jobs;
		c->nspare = 0;
	} else {
		c->jobs = jobs;
		c->njobs = 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (!live_should_copy(&maps[i]))
			continue;
		size_t len = maps[i].end - maps[i].start;
		int reserved = has_tail(c, maps[i].start, maps[i].end);
		int was = 0;
		void *buf = spares ? NULL : spare_take(c, maps[i].start, len, &was);
		if (buf)
			reserved = was;
		else if (!(buf = buf_alloc(len, reserved)))
			return hs_fail(err, HS_ERR_NOMEM, "cannot allocate %.1f MiB to copy "
				       "%#llx-%#llx of PID %d: %s; the copy needs as much "
				       "memory as the target's writable mappings",
				       len / 1048576.0, (unsigned long long)maps[i].start,
				       (unsigned long long)maps[i].end, (int)c->rd.pid,
				       strerror(errno));
		struct job *jb = &jobs[spares ? c->nspare++ : c->njobs++];
		*jb = (struct job){maps[i].start, maps[i].end, buf,
				   map_is_private_anon(&maps[i]), reserved};
		if (reserved && job_protect(c, jb) != 0)
			return hs_fail(err, HS_ERR_NOMEM, "cannot allocate memory to copy "
				       "%#llx-%#llx of PID %d: %s",
				       (unsigned long long)maps[i].start,
				       (unsigned long long)maps[i].end, (int)c->rd.pid,
				       strerror(errno));
	}
	return HS_OK;
}

/* Hand each job's readable runs to m as regions, unmapping the bad pages,
 * and each lazy tail as a lazy range whose buffer directly follows its
 * head's (so mem_ptr can serve a payload that starts in the head).  Jobs
 * handed over get buf = NULL; on failure the caller frees the rest. */
static enum hs_status regions_build(struct copier *c, memsrc *m,
				    struct hs_err *err)
{
	size_t b = 0;
	for (size_t i = 0; i < c->njobs; i++) {
		struct job *jb = &c->jobs[i];
		size_t k = lz_first(c, jb->start);
		raddr_t run = jb->start;
		while (run < jb->end) {
			raddr_t bad = b < c->nbad && c->bad[b] < jb->end ? c->bad[b] : jb->end;
			raddr_t tail = k < c->nlz && c->lz[k].start < jb->end
				? c->lz[k].start + LIVE_LAZY_HEAD : jb->end;
			raddr_t stop = bad < tail ? bad : tail;
			unsigned char *data = jb->buf + (run - jb->start);
			if (stop > run && memsrc_add_region(m, run, stop, data) != 0)
				goto nomem;
			if (stop == jb->end)
				break;
			if (stop == bad) {
				munmap(jb->buf + (bad - jb->start), c->page);
				run = bad + c->page;
				b++;
				continue;
			}
			raddr_t te = c->lz[k++].end;
			te = te < jb->end ? te : jb->end;
			run = tail;
			if (te > tail && memsrc_add_lazy(m, tail, te, jb->buf + (tail - jb->start)) != 0)
				goto nomem;
			run = te;
		}
		jb->buf = NULL;
		continue;
nomem:
		munmap(jb->buf + (run - jb->start), jb->end - run);
		jb->buf = NULL;
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	return HS_OK;
}

/* ==== Backend ops ==== */

/* Has the target exited?  After that its PID may name another process,
 * which lazy reads must not be served from. */
static int target_gone(const struct reader *rd)
{
	struct pollfd p = {rd->pidfd, POLLIN, 0};
	return rd->pidfd >= 0 && poll(&p, 1, 0) != 0;
}

/* Read what the copy lacks from the running process (read-only file
 * mappings, payloads read lazily).  Split at page boundaries: the kernel
 * transfers whole iovecs or stops at the first failing one, so page-sized
 * iovecs make "everything or nothing" exact. */
/* A read of mapped memory that failed because the target is exiting: the
 * answer built on it is incomplete.  Lazy ranges count their own failures
 * (memsrc.c); this is for the rest, read from the target after the resume
 * (the read-only mappings: type names, code...).  Seen when the target
 * was SIGKILLed just after the resume: every type name unreadable, so no
 * object decoded, and the command exited 0 on a heap it had not seen. */
static void note_failed_read(memsrc *m, const struct reader *rd, raddr_t addr, size_t len)
{
	if (mem_map_find(m, addr) && !mem_is_lazy(m, addr, len) &&
	    (target_gone(rd) || proc_is_exiting(rd->pid)))
		memsrc_info_mut(m)->lazy_failed++;
}

static int live_read_uncopied(memsrc *m, raddr_t addr, void *buf, size_t len)
{
	struct reader *rd = memsrc_impl(m);
	struct iovec loc[64], rem[64];
	unsigned char *out = buf;
	const raddr_t start = addr;
	const size_t total = len;
	const size_t page = 4096; /* any boundary works; 4 KiB is the smallest */

	while (len) {
		size_t n = 0, want = 0;
		while (len && n < 64) {
			size_t piece = page - (addr % page);
			if (piece > len)
				piece = len;
			loc[n] = (struct iovec){out, piece};
			rem[n] = (struct iovec){(void *)(uintptr_t)addr, piece};
			n++;
			want += piece;
			out += piece;
			addr += piece;
			len -= piece;
		}
		if (remote_readv(rd, loc, rem, n) != (ssize_t)want) {
			note_failed_read(m, rd, start, total);
			return -1;
		}
	}
	/* Checked after the read: alive now means it was our target we read. */
	if (target_gone(rd)) {
		note_failed_read(m, rd, start, total);
		return -1;
	}
	return 0;
}

static void live_close(memsrc *m)
{
	struct reader *rd = memsrc_impl(m);
	if (rd && rd->memfd >= 0)
		close(rd->memfd);
	if (rd && rd->pidfd >= 0)
		close(rd->pidfd);
	free(rd);
}

static const struct memsrc_ops live_ops = {
	.read_uncopied = live_read_uncopied,
	.close = live_close,
};

/* ==== Snapshot ==== */

int live_should_copy(const struct mem_map *m)
{
	if (m->end <= m->start)
		return 0;
	if ((m->prot & (PROT_READ | PROT_WRITE)) != (PROT_READ | PROT_WRITE))
		return 0;
	/* Kernel-provided pages: no Python objects, and [vvar] is not readable
	 * through process_vm_readv anyway.  Prefix match covers [vvar_vclock]. */
	if (m->path && (strncmp(m->path, "[vvar", 5) == 0 ||
			strcmp(m->path, "[vdso]") == 0 ||
			strcmp(m->path, "[vsyscall]") == 0))
		return 0;
	return 1;
}


static enum hs_status check_maps(pid_t pid, size_t n, struct hs_err *err)
{
	if (n > 0)
		return HS_OK;
	char st = proc_state(pid);
	if (st == 'Z' || st == 0)
		return hs_fail(err, HS_ERR_NO_PROCESS, "PID %d has exited (a "
			       "zombie waiting for its parent to reap it)", (int)pid);
	/* A process being torn down loses its mm before it turns zombie: only
	 * a real kernel thread (PF_KTHREAD) is "not Python". */
	if (!proc_is_kernel_thread(pid))
		return hs_fail(err, HS_ERR_TARGET_CHANGED, "PID %d exited while "
			       "being snapshotted; retry", (int)pid);
	return hs_fail(err, HS_ERR_NOT_PYTHON, "PID %d is a kernel thread: it "
		       "has no user-space memory", (int)pid);
}

/* --max-copy against the planned copy: what the pause reads and what our
 * copy then holds (never-touched pages and lazy tails cost nothing). */
static enum hs_status check_budget(const struct copier *c, uint64_t max,
				   struct hs_err *err)
{
	uint64_t total = plan_bytes(c) + reuse_bytes(c);
	if (!max || total <= max)
		return HS_OK;
	return hs_fail(err, HS_ERR_NOMEM, "PID %d needs %.1f MiB (%llu bytes) "
		       "copied during the pause, more than --max-copy %.1f MiB "
		       "(%llu bytes); raise it (--max-copy %lluM) if this host "
		       "has the memory to spare%s", (int)c->rd.pid,
		       total / 1048576.0, (unsigned long long)total,
		       max / 1048576.0, (unsigned long long)max,
		       (unsigned long long)((total + (1 << 20) - 1) >> 20),
		       c->lazy_min ? "" : ", or drop --lazy-min 0 (big malloc "
		       "blocks are then read lazily)");
}

/* ==== Incremental re-snapshots ==== */

struct live_incr {
	pid_t pid;
	memsrc *base;      /* the last snapshot whose pause cleared the bits */
	int off;           /* full copies from now on; note says why */
	char note[240];
};

struct live_incr *live_incr_new(void)
{
	return calloc(1, sizeof(struct live_incr));
}

void live_incr_free(struct live_incr *in)
{
	if (!in)
		return;
	memsrc_free(in->base);
	free(in);
}

const char *live_incr_note(const struct live_incr *in)
{
	return in && in->off ? in->note : NULL;
}

static void incr_off(struct live_incr *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void incr_off(struct live_incr *in, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(in->note, sizeof in->note, fmt, ap);
	va_end(ap);
	in->off = 1;
	memsrc_free(in->base);
	in->base = NULL;
}

/* A mapping created now is soft-dirty as a whole (VM_SOFTDIRTY) until the
 * next clear, and a page written is soft-dirty: a kernel without
 * CONFIG_MEM_SOFT_DIRTY reports bit 55 as 0 all the same (and accepts
 * the "4" in clear_refs), so look at a fresh page of our own. */
int live_soft_dirty_supported(char *why, size_t cap)
{
	static int known = -1;
	if (known < 0) {
		long page = sysconf(_SC_PAGESIZE);
		volatile unsigned char *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
						 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
		uint64_t ent = 0;
		if (p != MAP_FAILED) {
			p[0] = 1;
			if (fd >= 0 && pread(fd, &ent, 8, (off_t)((uintptr_t)p / (uintptr_t)page * 8)) != 8)
				ent = 0;
			munmap((void *)p, (size_t)page);
		}
		if (fd >= 0)
			close(fd);
		known = (ent & PM_PRESENT) && (ent & PM_SOFT_DIRTY);
	}
	if (!known && why)
		snprintf(why, cap, "this kernel does not track soft-dirty pages "
			 "(built without CONFIG_MEM_SOFT_DIRTY): every snapshot copies "
			 "everything");
	return known;
}

/* Before the freeze: make c incremental against in's base, or say why
 * not.  The first snapshot of a target (no base yet) copies everything
 * and clears the bits. */
static void incr_arm(struct live_incr *in, struct copier *c, pid_t pid,
		     const struct live_opts *o)
{
	if (in->base && in->pid != pid) {
		memsrc_free(in->base);
		in->base = NULL;
	}
	if (in->off)
		return;
	if (!o->dirty_oracle && !live_soft_dirty_supported(in->note, sizeof in->note)) {
		in->off = 1;
		return;
	}
	if (c->pagemap < 0) {
		incr_off(in, "cannot read /proc/%d/pagemap: every snapshot copies "
			 "everything", (int)pid);
		return;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/clear_refs", (int)pid);
	c->clear_fd = open(path, O_WRONLY | O_CLOEXEC);
	if (c->clear_fd < 0) {
		incr_off(in, "cannot write %s (%s): every snapshot copies everything",
			 path, strerror(errno));
		return;
	}
	c->base = in->base;
	c->oracle = o->dirty_oracle;
	c->oracle_arg = o->oracle_arg;
	const char *e = hs_test_env("HEAPSCOPE_TEST_INCR_VERIFY");
	c->verify = o->verify_incr || (e && *e == '1');
}

/* After the snapshot: its copy is the next base if this pause cleared the
 * bits; a failed one that cleared them leaves no valid base. */
static void incr_done(struct live_incr *in, const struct copier *c, pid_t pid,
		      enum hs_status st, memsrc *out)
{
	if (c->clear_fd < 0)
		return;
	if (c->cleared) {
		memsrc_free(in->base);
		in->base = st == HS_OK ? memsrc_ref(out) : NULL;
		in->pid = pid;
	} else if (st == HS_OK) {
		incr_off(in, "cannot write /proc/%d/clear_refs (%s): every snapshot "
			 "copies everything", (int)pid, strerror(c->clear_errno));
	}
}

/* During the pause, after the copy: start the record of writes anew. */
static void incr_clear(struct copier *c)
{
	if (c->clear_fd < 0)
		return;
	if (write(c->clear_fd, "4", 1) == 1)
		c->cleared = 1;
	else
		c->clear_errno = errno ? errno : EIO;
}

/* After the thaw: the pages not written since come from the base. */
static enum hs_status reuse_fill(struct copier *c, struct hs_err *err)
{
	for (size_t i = 0; i < c->nru; i++)
		if (mem_read(c->base, c->ru[i].start, c->ru[i].buf,
			     c->ru[i].end - c->ru[i].start) != 0)
			return hs_fail(err, HS_ERR_INTERNAL, "incremental snapshot: "
				       "%#llx-%#llx is no longer in the previous copy",
				       (unsigned long long)c->ru[i].start,
				       (unsigned long long)c->ru[i].end);
	return HS_OK;
}

/* verify_incr, in the pause after the incremental copy: copy every job in
 * full into c->shadow, as a snapshot without a base would. */
static enum hs_status shadow_copy(struct copier *c, struct hs_err *err)
{
	struct job *sh = calloc(c->njobs ? c->njobs : 1, sizeof *sh);
	if (!sh)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	c->shadow = sh;
	for (size_t i = 0; i < c->njobs; i++) {
		sh[i] = c->jobs[i];
		sh[i].reserved = 0;
		if (!(sh[i].buf = buf_alloc(sh[i].end - sh[i].start, 0)))
			return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	struct copier save = *c;
	c->span = NULL;
	c->nspan = c->capspan = c->nsealed = 0;
	c->ru = NULL;
	c->nru = c->capru = 0;
	c->base = NULL;
	enum hs_status st = plan_build(c, sh, c->njobs, err);
	if (st == HS_OK)
		st = copy_all(c, err);
	free(c->span);
	free(c->ru);
	c->span = save.span;
	c->nspan = save.nspan;
	c->capspan = save.capspan;
	c->nsealed = save.nsealed;
	c->ru = save.ru;
	c->nru = save.nru;
	c->capru = save.capru;
	c->base = save.base;
	c->nbad = save.nbad; /* the same pages fail in a stopped target */
	return st;
}

static int is_bad(const struct copier *c, raddr_t page)
{
	size_t lo = 0, hi = c->nbad;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->bad[mid] < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nbad && c->bad[lo] == page;
}

static int is_reused(const struct copier *c, raddr_t page)
{
	for (size_t i = 0; i < c->nru; i++)
		if (page >= c->ru[i].start && page < c->ru[i].end)
			return 1;
	return 0;
}

/* verify_incr, after reuse_fill: every copied page equals the full copy. */
static enum hs_status shadow_compare(const struct copier *c, struct hs_err *err)
{
	for (size_t i = 0; i < c->njobs; i++) {
		const struct job *jb = &c->jobs[i], *sh = &c->shadow[i];
		struct segit it = seg_begin(c, jb->start);
		raddr_t from, to;
		while (seg_next(c, jb->end, &it, &from, &to))
			for (raddr_t a = from; a < to; a += c->page) {
				size_t len = to - a < c->page ? (size_t)(to - a) : c->page;
				if (is_bad(c, a) || !memcmp(jb->buf + (a - jb->start),
							     sh->buf + (a - jb->start), len))
					continue;
				return hs_fail(err, HS_ERR_INTERNAL, "incremental snapshot "
					       "differs from a full copy at page %#llx (%s)",
					       (unsigned long long)a, is_reused(c, a)
					       ? "taken from the previous snapshot"
					       : "read in the pause");
			}
	}
	return HS_OK;
}

static void test_pause_delay(void)
{
	const char *e = hs_test_env("HEAPSCOPE_TEST_PAUSE_DELAY_MS");
	long ms = e ? strtol(e, NULL, 10) : 0;
	if (ms > 0)
		sleep_ms((double)(ms < 600000 ? ms : 600000));
}

static struct copier *copier_new(pid_t pid, const struct live_opts *o)
{
	struct copier *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	reader_init(&c->rd, pid);
	c->pagemap = -1;
	c->clear_fd = -1;
	const char *no_pm = hs_test_env("HEAPSCOPE_TEST_NO_PAGEMAP");
	if (!no_pm || *no_pm != '1') {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/pagemap", (int)pid);
		c->pagemap = open(path, O_RDONLY | O_CLOEXEC);
	}
	c->page = (size_t)sysconf(_SC_PAGESIZE);
	c->chunk = o->chunk ? o->chunk : DEFAULT_CHUNK;
	c->chunk = (c->chunk + c->page - 1) / c->page * c->page;
	c->lazy_min = o->lazy_min == LIVE_LAZY_OFF ? 0
		    : o->lazy_min ? o->lazy_min : LIVE_LAZY_MIN_DEFAULT;
	return c;
}

static void copier_free(struct copier *c)
{
	if (!c)
		return;
	jobs_free(c->shadow, c->shadow ? c->njobs : 0);
	jobs_free(c->jobs, c->njobs);
	jobs_free(c->spare, c->nspare);
	if (c->clear_fd >= 0)
		close(c->clear_fd);
	free(c->ru);
	if (c->rd.memfd >= 0)
		close(c->rd.memfd);
	if (c->pagemap >= 0)
		close(c->pagemap);
	free(c->span);
	free(c->bad);
	free(c->lz);
	free(c);
}

/* Turn a finished copy into a memsrc; takes maps and the copier's buffers. */
static enum hs_status finish(struct copier *c, struct mem_map *maps, size_t n,
			     memsrc **out, struct hs_err *err)
{
	struct reader *rd = malloc(sizeof *rd);
	memsrc *m = rd ? memsrc_new(&live_ops, rd) : NULL;
	if (!m) {
		free(rd);
		proc_maps_free(maps, n);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	/* The memsrc gets its own reader: lazy reads go on after we return. */
	*rd = c->rd;
	c->rd.memfd = -1;
	/* A /proc/PID/mem fd is bound to the target's mm already; a pidfd
	 * tells process_vm_readv's PID apart from a later reuse of it. */
	rd->pidfd = (int)syscall(SYS_pidfd_open, rd->pid, 0);
	memsrc_set_maps(m, maps, n);
	enum hs_status st = regions_build(c, m, err);
	if (st != HS_OK) {
		memsrc_free(m);
		return st;
	}
	*out = m;
	return HS_OK;
}

static void info_fill(memsrc *m, pid_t pid, const char *kind, double copy_ms,
		      double pause_ms, int threads)
{
	struct memsrc_info *in = memsrc_info_mut(m);
	in->pid = pid;
	in->kind = kind;
	in->copy_ms = copy_ms;
	in->pause_ms = pause_ms;
	in->threads = threads;
}

/* --no-freeze: copy maps while the target runs (objects may be torn).
 * The plan of c's jobs is built.  Takes ownership of maps. */
static enum hs_status snapshot_nofreeze(pid_t pid, struct copier *c,
					struct mem_map *maps, size_t n,
					memsrc **out, struct hs_err *err)
{
	double t0 = mono_ms();
	enum hs_status st = copy_all(c, err);
	double copy_ms = mono_ms() - t0, taken_at = real_s();
	if (st == HS_OK)
		st = finish(c, maps, n, out, err);
	else
		proc_maps_free(maps, n);
	if (st == HS_OK) {
		info_fill(*out, pid, "live-nofreeze", copy_ms, 0, 0);
		memsrc_info_mut(*out)->taken_at = taken_at;
	}
	return st;
}

/* The part of a snapshot that runs while the target is stopped: re-read
 * the layout and the big blocks' headers, then copy.  On success maps and
 * n hold the post-freeze list. */
static enum hs_status copy_frozen(pid_t pid, const struct live_opts *o,
				  struct copier *c, struct mem_map **maps,
				  size_t *n, double *copy_ms, struct hs_err *err)
{
	enum hs_status st = proc_read_maps(pid, maps, n, err);
	if (st == HS_OK)
		st = check_maps(pid, *n, err);
	if (st == HS_OK)
		st = lazy_verify(c, *maps, *n, err);
	if (st == HS_OK)
		st = jobs_prepare(c, *maps, *n, 0, err);
	if (st != HS_OK)
		return st;
	test_pause_delay();
	double t0 = mono_ms();
	st = plan_build(c, c->jobs, c->njobs, err);
	if (st == HS_OK)
		st = check_budget(c, o->max_copy, err);
	if (st == HS_OK)
		st = copy_all(c, err);
	*copy_ms = mono_ms() - t0;
	if (st == HS_OK && c->verify && c->base)
		st = shadow_copy(c, err);
	if (st == HS_OK)
		incr_clear(c);
	return st;
}

/* The error for a thread thaw() could not release (the target stays
 * partly stopped until heapscope exits); `before` is the error the
 * snapshot had already, if any. */
static enum hs_status stranded_error(pid_t pid, pid_t tid, enum hs_status before,
				     struct hs_err *err)
{
	char st = proc_state(tid);
	char prior[300] = "";
	if (before != HS_OK)
		snprintf(prior, sizeof prior, " (after: %.240s)", err->msg);
	return hs_fail(err, HS_ERR_TARGET_CHANGED, "thread %d of PID %d did not "
		       "resume within %.0f s (state '%c': blocked in the kernel, "
		       "e.g. vfork, disk or network I/O): heapscope exits now so "
		       "that the kernel releases it as soon as it wakes up%s",
		       (int)tid, (int)pid, THAW_TIMEOUT_MS / 1e3, st ? st : '?', prior);
}

/* After the copy, before the thaw: is the target still in its ptrace-stop
 * ('t')?  A SIGKILL during the pause wakes every thread to exit while we
 * copy: what was read then is not a frozen process, and a dead one answers
 * nothing that is read after the resume either, so say so now.  SIGKILL
 * is fatal to the whole group and wakes all its threads at once: one
 * stopped thread tells (a read per thread would lengthen the pause of a
 * target with many). */
static enum hs_status check_still_stopped(struct hs_err *err)
{
	for (size_t i = 0; i < tracee_count(); i++) {
		if (g_tracee[i].state != T_STOPPED)
			continue;
		char st = proc_state(g_tracee[i].tid);
		if (st == 't')
			return HS_OK;
		return hs_fail(err, HS_ERR_TARGET_CHANGED, "target exited during the "
			       "snapshot (thread %d left its stop: state '%c')",
			       (int)g_tracee[i].tid, st ? st : '?');
	}
	return HS_OK;
}

/* Freeze, copy, thaw; then build the memsrc.  c holds the spares. */
static enum hs_status freeze_copy_thaw(pid_t pid, const struct live_opts *o,
				       struct copier *c, memsrc **out,
				       struct hs_err *err)
{
	struct mem_map *maps = NULL;
	size_t n = 0;
	double copy_ms = 0, taken_at = 0;
	int threads = 0;
	struct freeze fz = {.pid = pid, .leader_is_child = proc_ppid(pid) == getpid()};
	sigset_t mask;
	pid_t stuck;

	signals_hold(&mask);
	enum hs_status st = freeze(&fz, &threads, err);
	if (st == HS_OK)
		st = copy_frozen(pid, o, c, &maps, &n, &copy_ms, err);
	if (st == HS_OK)
		st = check_still_stopped(err);
	if (st == HS_OK)
		taken_at = real_s();
	double t_last = thaw(&fz, &stuck);
	if (stuck)
		st = stranded_error(pid, stuck, st, err);
	int sig = signals_release(&mask);
	if (sig && st == HS_OK)
		st = hs_fail(err, HS_ERR_INTERRUPTED, "interrupted by SIG%s while PID %d "
			     "was frozen; it was resumed unchanged", sigabbrev_np(sig), (int)pid);

	if (st == HS_OK && c->nru)
		st = reuse_fill(c, err);
	if (st == HS_OK && c->shadow)
		st = shadow_compare(c, err);
	if (st != HS_OK) {
		proc_maps_free(maps, n);
		return st;
	}
	st = finish(c, maps, n, out, err);
	if (st == HS_OK) {
		info_fill(*out, pid, "live", copy_ms, t_last - fz.t_first, threads);
		memsrc_info_mut(*out)->taken_at = taken_at;
		memsrc_info_mut(*out)->bytes_reused = reuse_bytes(c);
	}
	return st;
}

/* c holds the spares, faulted in. */
static enum hs_status snapshot_frozen(pid_t pid, const struct live_opts *o,
				      struct copier *c, memsrc **out,
				      struct hs_err *err)
{
	if (g_stranded)
		return hs_fail(err, HS_ERR_TARGET_CHANGED, "a thread of an earlier "
			       "snapshot could not be released; heapscope must exit "
			       "to let the kernel release it");
	if (atomic_flag_test_and_set(&g_busy))
		return hs_fail(err, HS_ERR_INTERNAL, "a live snapshot is already "
			       "in progress in this process");
	enum hs_status st = freeze_copy_thaw(pid, o, c, out, err);
	atomic_flag_clear(&g_busy);
	return st;
}

/* Everything before the freeze, on the layout as first read: find the big
 * blocks, make the buffers (spares, or with --no-freeze the jobs
 * themselves), plan the copy, and refuse an over-budget one before
 * anything is stopped. */
/* Bytes this process may still take: /proc/meminfo's MemAvailable, or
 * less when our cgroup (v2) has a memory.max closer to its memory.current.
 * 0 when unknown.  Test builds: HEAPSCOPE_TEST_MEM_AVAILABLE=BYTES. */
static uint64_t mem_available(char *what, size_t cap)
{
	const char *e = hs_test_env("HEAPSCOPE_TEST_MEM_AVAILABLE");
	if (e && *e) {
		snprintf(what, cap, "HEAPSCOPE_TEST_MEM_AVAILABLE");
		return strtoull(e, NULL, 10);
	}
	uint64_t avail = 0;
	char line[512];
	FILE *f = fopen("/proc/meminfo", "re");
	if (f) {
		unsigned long long kb;
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
				avail = (uint64_t)kb << 10;
		fclose(f);
	}
	snprintf(what, cap, "MemAvailable in /proc/meminfo");
	/* "0::/path" is the v2 hierarchy */
	f = fopen("/proc/self/cgroup", "re");
	char cg[384] = "";
	if (f) {
		while (fgets(line, sizeof line, f))
			if (strncmp(line, "0::", 3) == 0 && strlen(line + 3) < sizeof cg) {
				strcpy(cg, line + 3);
				cg[strcspn(cg, "\n")] = 0;
			}
		fclose(f);
	}
	char path[512];
	unsigned long long max = 0, cur = 0;
	snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.max", cg);
	f = cg[0] ? fopen(path, "re") : NULL;
	int have_max = f && fscanf(f, "%llu", &max) == 1; /* "max": no limit */
	if (f)
		fclose(f);
	snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.current", cg);
	f = have_max ? fopen(path, "re") : NULL;
	if (f && fscanf(f, "%llu", &cur) == 1 && max > cur && (!avail || max - cur < avail)) {
		avail = max - cur;
		snprintf(what, cap, "memory.max - memory.current of cgroup %.200s", cg);
	}
	if (f)
		fclose(f);
	return avail;
}

/* A copy that cannot fit in memory would fail half-way (or wake the OOM
 * killer): refuse it before the freeze, saying how much it needs. */
static enum hs_status check_memory(const struct copier *c, struct hs_err *err)
{
	char what[300];
	uint64_t need = plan_bytes(c), avail = mem_available(what, sizeof what);
	if (!avail || need <= avail)
		return HS_OK;
	return hs_fail(err, HS_ERR_NOMEM, "PID %d needs %.1f MiB (%llu bytes) of memory "
		       "for its copy, but only %.1f MiB is available (%s); free memory "
		       "or raise the limit, then retry (heapscope needs the copy plus "
		       "~100 MB)%s", (int)c->rd.pid, need / 1048576.0,
		       (unsigned long long)need, avail / 1048576.0, what,
		       c->lazy_min ? "" : "; without --lazy-min 0, big malloc blocks "
		       "are read lazily and cost no copy");
}

static enum hs_status prepare(struct copier *c, const struct live_opts *o,
			      const struct mem_map *maps, size_t n,
			      struct hs_err *err)
{
	enum hs_status st = lazy_scan(c, maps, n, err);
	if (st == HS_OK)
		st = jobs_prepare(c, maps, n, !o->no_freeze, err);
	if (st == HS_OK)
		st = o->no_freeze ? plan_build(c, c->jobs, c->njobs, err)
				  : plan_build(c, c->spare, c->nspare, err);
	if (st == HS_OK)
		st = check_budget(c, o->max_copy, err);
	if (st == HS_OK)
		st = check_memory(c, err);
	return st;
}

enum hs_status live_snapshot(pid_t pid, const struct live_opts *opts,
			     memsrc **out, struct hs_err *err)
{
	struct live_opts o = opts ? *opts : (struct live_opts){0};
	struct mem_map *maps;
	size_t n;
	double t_start = mono_ms();

	*out = NULL;
	enum hs_status st = proc_check_exists(pid, err);
	if (st != HS_OK)
		return st;
	if (pid == getpid())
		return hs_fail(err, HS_ERR_USAGE, "PID %d is heapscope itself; give "
			       "the PID of the Python process", (int)pid);
	st = proc_read_maps(pid, &maps, &n, err);
	if (st != HS_OK)
		return st;
	st = check_maps(pid, n, err);
	if (st == HS_OK && !o.no_freeze) {
		pid_t tracer = tracer_of(pid, pid);
		if (tracer > 0)
			st = already_traced(pid, tracer, err);
	}
	struct copier *c = NULL;
	if (st == HS_OK && !(c = copier_new(pid, &o)))
		st = hs_fail(err, HS_ERR_NOMEM, "out of memory");
	if (st == HS_OK)
		st = prepare(c, &o, maps, n, err);
	if (st != HS_OK) {
		proc_maps_free(maps, n);
		copier_free(c);
		return st;
	}
	if (o.no_freeze) {
		st = snapshot_nofreeze(pid, c, maps, n, out, err);
	} else {
		proc_maps_free(maps, n);
		double t_pf = mono_ms();
		spares_prefault(c);
		double t_freeze = mono_ms();
		if (o.incr)
			incr_arm(o.incr, c, pid, &o);
		st = snapshot_frozen(pid, &o, c, out, err);
		if (st == HS_OK) {
			memsrc_info_mut(*out)->prefault_ms = t_freeze - t_pf;
			memsrc_info_mut(*out)->prepare_ms = t_freeze - t_start;
		}
		if (o.incr)
			incr_done(o.incr, c, pid, st, *out);
	}
	copier_free(c);
	return st;
}

enum hs_status live_pause_ranges(pid_t pid, const struct mem_map *maps,
				 size_t n, const struct live_opts *opts,
				 struct live_range **out, size_t *nout,
				 struct hs_err *err)
{
	struct live_opts o = opts ? *opts : (struct live_opts){0};
	struct copier *c = copier_new(pid, &o);
	*out = NULL;
	*nout = 0;
	if (!c)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	enum hs_status st = lazy_scan(c, maps, n, err);
	size_t cap = 0, k = 0;
	for (int pass = 0; pass < 2 && st == HS_OK; pass++) {
		for (size_t i = 0; i < n; i++) {
			if (!live_should_copy(&maps[i]))
				continue;
			struct segit it = seg_begin(c, maps[i].start);
			raddr_t from, to;
			while (seg_next(c, maps[i].end, &it, &from, &to)) {
				if (pass)
					(*out)[k] = (struct live_range){from, to};
				k++;
			}
		}
		if (!pass) {
			cap = k;
			k = 0;
			if (!(*out = malloc((cap ? cap : 1) * sizeof **out)))
				st = hs_fail(err, HS_ERR_NOMEM, "out of memory");
		}
	}
	if (st == HS_OK)
		*nout = k;
	copier_free(c);
	return st;
}
