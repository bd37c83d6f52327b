/* demo — start, wait for, and stop the bundled demo target.  See demo.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"

#ifndef HS_SOURCE_DIR
#define HS_SOURCE_DIR "."
#endif

#define DEMO_SCRIPT "tests/targets/demo_service.py"

static volatile pid_t demo_pid;

/* ==== Finding things ==== */

static int is_file(const char *p, int exec)
{
	return access(p, exec ? X_OK : R_OK) == 0;
}

/* The script: $HEAPSCOPE_DEMO_SCRIPT, next to the build tree
 * (build/cli/heapscope -> ../../tests/...), installed data, or the
 * source tree this binary was built from. */
static int find_script_raw(char *out, size_t cap)
{
	const char *env = getenv("HEAPSCOPE_DEMO_SCRIPT");
	char exe[PATH_MAX - 64];   /* room for the suffixes below */
	ssize_t n;

	if (env && *env) {
		snprintf(out, cap, "%s", env);
		return is_file(out, 0) ? 0 : -1;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		snprintf(out, cap, "%s/../../%s", exe, DEMO_SCRIPT);
		if (is_file(out, 0))
			return 0;
		snprintf(out, cap, "%s/../share/heapscope/demo_service.py", exe);
		if (is_file(out, 0))
			return 0;
	}
	snprintf(out, cap, "%s/%s", HS_SOURCE_DIR, DEMO_SCRIPT);
	return is_file(out, 0) ? 0 : -1;
}

static int find_script(char *out, size_t cap)
{
	char raw[PATH_MAX];
	if (find_script_raw(raw, sizeof raw) < 0)
		return -1;
	/* "/src/tests/targets/…" reads better in ps and the overview than
	 * "/src/build/cli/../../tests/targets/…". */
	if (!realpath(raw, out) || strlen(out) >= cap)
		snprintf(out, cap, "%s", raw);
	return 0;
}

/* /usr/bin/python3, else the first python3 on PATH. */
static int find_python(char *out, size_t cap)
{
	const char *path = getenv("PATH");
	snprintf(out, cap, "/usr/bin/python3");
	if (is_file(out, 1))
		return 0;
	while (path && *path) {
		size_t len = strcspn(path, ":");
		snprintf(out, cap, "%.*s/python3", (int)len, path);
		if (len && is_file(out, 1))
			return 0;
		path += len + (path[len] == ':');
	}
	return -1;
}

/* ==== Child ==== */

/* In the child: own process group, die with the parent, stdout/stderr to
 * the readiness pipe, then exec.  Never returns. */
static void child_exec(int wfd, pid_t parent, const char *py, const char *script)
{
	int devnull = open("/dev/null", O_RDONLY);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)   /* the parent died before prctl */
		_exit(127);
	if (devnull >= 0)
		dup2(devnull, STDIN_FILENO);
	dup2(wfd, STDOUT_FILENO);
	dup2(wfd, STDERR_FILENO);
	execl(py, py, "-u", script, (char *)NULL);
	dprintf(STDERR_FILENO, "cannot run %s: %s\n", py, strerror(errno));
	_exit(127);
}

/* ==== Waiting for READY ==== */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Read the child's output until a line "READY"; 0, or -1 with what it
 * printed (its traceback) in out. */
static int wait_ready(int rfd, int timeout_ms, char *out, size_t cap)
{
	size_t len = 0;
	double deadline = now_ms() + timeout_ms;

	out[0] = 0;
	for (;;) {
		int left = (int)(deadline - now_ms());
		struct pollfd p = {.fd = rfd, .events = POLLIN};
		if (left <= 0)
			return -1;
		int r = poll(&p, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		ssize_t n = read(rfd, out + len, cap - 1 - len);
		if (n <= 0)
			return -1;
		len += (size_t)n;
		out[len] = 0;
		if (strstr(out, "READY"))
			return 0;
		if (len + 1 >= cap)   /* keep the tail: the end of a traceback */
			len = 0;
	}
}

enum hs_status demo_start(int timeout_ms, pid_t *pid, struct hs_err *err)
{
	char script[PATH_MAX], py[PATH_MAX], out[2048];
	int fds[2];

	if (find_script(script, sizeof script) < 0)
		return hs_fail(err, HS_ERR_NO_PROCESS,
			       "demo target not found (tried next to the binary and %s/%s); "
			       "set HEAPSCOPE_DEMO_SCRIPT", HS_SOURCE_DIR, DEMO_SCRIPT);
	if (find_python(py, sizeof py) < 0)
		return hs_fail(err, HS_ERR_NO_PROCESS,
			       "the demo needs python3: install it (apt-get install python3)");
	if (pipe2(fds, O_CLOEXEC) < 0)
		return hs_fail(err, HS_ERR_INTERNAL, "pipe: %s", strerror(errno));
	pid_t parent = getpid();
	pid_t child = fork();
	if (child < 0) {
		close(fds[0]);
		close(fds[1]);
		return hs_fail(err, HS_ERR_INTERNAL, "fork: %s", strerror(errno));
	}
	if (child == 0)
		child_exec(fds[1], parent, py, script);
	close(fds[1]);
	demo_pid = child;
	setpgid(child, child);   /* also here: no race with the child's own call */
	int ok = wait_ready(fds[0], timeout_ms, out, sizeof out);
	close(fds[0]);
	if (ok < 0) {
		demo_stop();
		return hs_fail(err, HS_ERR_NO_PROCESS, "the demo target (%s %s) did not start%s%s",
			       py, script, out[0] ? ":\n" : "", out);
	}
	*pid = child;
	return HS_OK;
}

void demo_stop(void)
{
	pid_t p = demo_pid;
	if (p <= 0)
		return;
	kill(p, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(p, NULL, WNOHANG) == p) {
			demo_pid = 0;
			return;
		}
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	demo_pid = 0;
}

void demo_kill_async(void)
{
	if (demo_pid > 0)
		kill(demo_pid, SIGKILL);
}
