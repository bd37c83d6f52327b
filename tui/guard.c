/* guard — the terminal guardian.  See guard.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guard.h"

static pid_t guard_pid;
static int guard_fd = -1;

/* The child: wait for the verdict; never returns. */
static void guard_child(int rfd, const struct termios *saved, const char *reset, size_t len)
{
	char buf[8];
	ssize_t n, got = 0;

	/* The handlers inherited from curses (SIGWINCH, SIGTSTP…) must not
	 * run here: they would interrupt the read below or draw. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* Keep only the terminal and the pipe: holding anything else (the
	 * demo's pipe, a log) open would outlive the explorer. */
	for (int fd = 3; fd < 1024; fd++)
		if (fd != rfd)
			close(fd);
	while ((n = read(rfd, buf + got, sizeof buf - 1 - (size_t)got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += n;
	}
	buf[got] = 0;
	if (strcmp(buf, "ok")) {
		if (write(STDOUT_FILENO, reset, len) < 0) {
			/* the terminal is gone: nothing to restore */
		}
		tcsetattr(STDIN_FILENO, TCSANOW, saved);
	}
	_exit(0);
}

int guard_start(const struct termios *saved, const char *reset, size_t len)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid_t p = fork();
	if (p < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (p == 0) {
		close(fds[1]);
		guard_child(fds[0], saved, reset, len);
	}
	close(fds[0]);
	guard_pid = p;
	guard_fd = fds[1];
	return 0;
}

void guard_stop(void)
{
	if (guard_fd < 0)
		return;
	if (write(guard_fd, "ok", 2) != 2) {
		/* it will restore a terminal that is already fine: harmless */
	}
	close(guard_fd);
	guard_fd = -1;
	waitpid(guard_pid, NULL, 0);
	guard_pid = 0;
}
