/* demo — start, wait for, and stop the bundled demo target.  See demo.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"

/* The demo script, embedded at build time (scripts/gen-demo.py). */
extern const char demo_script[];
extern const size_t demo_script_len;

static volatile pid_t demo_pid;

static int is_file(const char *p, int exec)
{
	return access(p, exec ? X_OK : R_OK) == 0;
}

/* The script as a file descriptor the child inherits: a memfd holding the
 * embedded copy (so an installed or copied binary needs no source tree),
 * or $HEAPSCOPE_DEMO_SCRIPT when set (to try changes without a rebuild).
 * -1 with errno on failure. */
static int script_fd(const char **path)
{
	const char *env = getenv("HEAPSCOPE_DEMO_SCRIPT");
	if (env && *env) {
		*path = env;
		return open(env, O_RDONLY);
	}
	*path = "(built in)";
	int fd = memfd_create("heapscope-demo.py", 0);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < demo_script_len) {
		ssize_t n = write(fd, demo_script + off, demo_script_len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
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
static void child_exec(int wfd, pid_t parent, const char *py, int sfd)
{
	char code[256];
	int devnull = open("/dev/null", O_RDONLY);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)   /* the parent died before prctl */
		_exit(127);
	if (devnull >= 0)
		dup2(devnull, STDIN_FILENO);
	dup2(wfd, STDOUT_FILENO);
	dup2(wfd, STDERR_FILENO);
	/* "heapscope-demo": a name in ps and the overview.  The script is
	 * read from the memfd (not close-on-exec) and compiled under its own
	 * name, so that frames say demo_service.py:42, not 3:42. */
	snprintf(code, sizeof code, "import sys; sys.argv[0] = 'demo_service.py'; "
		 "exec(compile(open('/dev/fd/%d').read(), 'demo_service.py', 'exec'))", sfd);
	execl(py, "heapscope-demo", "-u", "-c", code, (char *)NULL);
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
	char py[PATH_MAX], out[2048];
	int fds[2];
	const char *script;

	if (find_python(py, sizeof py) < 0)
		return hs_fail(err, HS_ERR_NO_PROCESS,
			       "the demo needs python3: install it (apt-get install python3)");
	int sfd = script_fd(&script);
	if (sfd < 0)
		return hs_fail(err, HS_ERR_NO_PROCESS, "the demo script %s cannot be read: %s",
			       script, strerror(errno));
	if (pipe2(fds, O_CLOEXEC) < 0) {
		close(sfd);
		return hs_fail(err, HS_ERR_INTERNAL, "pipe: %s", strerror(errno));
	}
	pid_t parent = getpid();
	pid_t child = fork();
	if (child < 0) {
		close(fds[0]);
		close(fds[1]);
		close(sfd);
		return hs_fail(err, HS_ERR_INTERNAL, "fork: %s", strerror(errno));
	}
	if (child == 0)
		child_exec(fds[1], parent, py, sfd);
	close(fds[1]);
	close(sfd);
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
