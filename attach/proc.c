/* proc — small readers of /proc/PID.  See proc.h for the contract.
 *
 * Everything here is read-only and cheap (one small file per call), so the
 * live backend can call it both before and during the freeze.  Parsers are
 * defensive: /proc text comes from another process's choices (comm and
 * file names may hold spaces, parentheses, " (deleted)").
 */
#include "proc.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ==== Small file helpers ==== */

/* Read a small /proc file into buf (NUL-terminated).  Returns the length,
 * or -1 with errno set. */
static ssize_t read_small(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, cap - 1, f);
	int bad = ferror(f);
	int saved = errno;
	fclose(f);
	if (bad) {
		errno = saved ? saved : EIO;
		return -1;
	}
	buf[n] = 0;
	return (ssize_t)n;
}

/* Value of "Key:\t<number>" in a /proc status-style file, or -1. */
static long long status_field(const char *path, const char *key)
{
	char buf[4096];
	if (read_small(path, buf, sizeof buf) < 0)
		return -1;
	size_t klen = strlen(key);
	for (const char *line = buf; line && *line;) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			return strtoll(line + klen + 1, NULL, 10);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

/* ==== /proc/PID/stat ==== */

/* Pointer to the field after "pid (comm) " in a stat line, or NULL.  comm
 * may contain spaces and ')' itself, so search from the last ')'. */
static const char *stat_after_comm(const char *buf)
{
	const char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return NULL;
	return p + 2;
}

char proc_state(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (pid <= 0 || read_small(path, buf, sizeof buf) < 0)
		return 0;
	const char *p = stat_after_comm(buf);
	return p && isalpha((unsigned char)*p) ? *p : 0;
}

pid_t proc_ppid(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (pid <= 0 || read_small(path, buf, sizeof buf) < 0)
		return -1;
	const char *p = stat_after_comm(buf);
	int ppid;
	char state;
	if (!p || sscanf(p, "%c %d", &state, &ppid) != 2)
		return -1;
	return ppid;
}

/* ==== Permissions ==== */

int proc_ptrace_scope(void)
{
	char buf[32];
	if (read_small("/proc/sys/kernel/yama/ptrace_scope", buf, sizeof buf) < 0)
		return -1;
	return atoi(buf);
}

/* The flags field (9th) of /proc/PID/stat; 0 or -1 (gone). */
static int stat_flags(pid_t pid, unsigned long *flags)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	const char *p = strrchr(buf, ')');
	/* after ") ": state ppid pgrp session tty_nr tpgid flags */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %lu", flags) != 1)
		return -1;
	return 0;
}

/* PF_KTHREAD in the flags. */
int proc_is_kernel_thread(pid_t pid)
{
	unsigned long flags;
	return stat_flags(pid, &flags) == 0 && (flags & 0x00200000UL) != 0;
}

int proc_is_exiting(pid_t pid)
{
	unsigned long flags;
	char st = proc_state(pid);
	/* PF_EXITING: set as do_exit() starts, before the mm and the files
	 * go (the process is not a zombie yet) */
	return st == 0 || st == 'Z' || st == 'X' || stat_flags(pid, &flags) != 0 ||
	       (flags & 0x00000004UL) != 0;
}

enum hs_status proc_check_exists(pid_t pid, struct hs_err *err)
{
	/* kill() with pid <= 0 would address process groups: never do that. */
	if (pid <= 0)
		return hs_fail(err, HS_ERR_NO_PROCESS,
			       "invalid PID %d (a PID is a positive number; see `ps`)",
			       (int)pid);
	/* EPERM means the process exists but belongs to someone else; that is
	 * for the ptrace step to explain. */
	if (kill(pid, 0) == 0 || errno == EPERM)
		return HS_OK;
	return hs_fail(err, HS_ERR_NO_PROCESS,
		       "no process with PID %d (check the PID: `ps -p %d`)",
		       (int)pid, (int)pid);
}

unsigned long long proc_rss(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	long long kb = status_field(path, "VmRSS");
	return kb > 0 ? (unsigned long long)kb * 1024 : 0;
}

int proc_status_numbers(pid_t pid, const char *key, long long *out, int n)
{
	char path[64], buf[4096];
	if (pid)
		snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	else
		snprintf(path, sizeof path, "/proc/self/status");
	if (pid < 0 || read_small(path, buf, sizeof buf) < 0)
		return 0;
	size_t klen = strlen(key);
	for (const char *line = buf; line && *line;) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			const char *p = line + klen + 1;
			int got = 0;
			while (got < n) {
				char *end;
				while (*p == ' ' || *p == '\t')
					p++;
				long long v = strtoll(p, &end, 10);
				if (end == p)
					break;
				out[got++] = v;
				p = end;
			}
			return got;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return 0;
}

const char *proc_comm(pid_t pid, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	if (pid <= 0 || read_small(path, buf, cap) <= 0) {
		snprintf(buf, cap, "?");
		return buf;
	}
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

size_t proc_cmdline(pid_t pid, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	buf[0] = 0;
	if (pid <= 0 || cap < 2)
		return 0;
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = 0;
	while (n > 0 && buf[n - 1] == 0)   /* the final NUL(s) */
		n--;
	for (size_t i = 0; i < n; i++)
		if (buf[i] == 0 || buf[i] == '\n' || buf[i] == '\t')
			buf[i] = ' ';
	buf[n] = 0;
	return n;
}

const char *proc_user_name(uid_t uid, char *buf, size_t cap)
{
	/* One small cache: ps asks for the same few users over and over. */
	static struct { uid_t uid; char name[32]; } cache[16];
	static unsigned ncache;
	for (unsigned i = 0; i < ncache && i < 16; i++)
		if (cache[i].uid == uid) {
			snprintf(buf, cap, "%s", cache[i].name);
			return buf;
		}
	snprintf(buf, cap, "uid %u", (unsigned)uid);
	FILE *f = fopen("/etc/passwd", "re");
	if (f) {
		char line[512];
		while (fgets(line, sizeof line, f)) {
			/* name:passwd:uid:... */
			char *c1 = strchr(line, ':');
			char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			if (!c1 || !c2 || c1 == line)
				continue;
			char *end;
			unsigned long v = strtoul(c2 + 1, &end, 10);
			if (end == c2 + 1 || *end != ':' || v != uid)
				continue;
			*c1 = 0;
			snprintf(buf, cap, "%s", line);
			break;
		}
		fclose(f);
	}
	unsigned slot = ncache++ % 16;
	cache[slot].uid = uid;
	snprintf(cache[slot].name, sizeof cache[slot].name, "%s", buf);
	return buf;
}
