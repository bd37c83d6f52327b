/* proc — small readers of /proc/PID for the live backend and for errors. */
#ifndef HS_PROC_H
#define HS_PROC_H

#include <sys/types.h>
#include "err.h"
#include "memsrc.h"

/* Process state letter from /proc/PID/stat ('R','S','t','T','Z'…), or 0. */
char proc_state(pid_t pid);

/* Parent PID from /proc/PID/stat, or -1.  (Added for live.c: a tracer that
 * is also the real parent must not reap the target's exit status.) */
pid_t proc_ppid(pid_t pid);

/* A kernel thread (PF_KTHREAD): has no user-space memory at all. */
int proc_is_kernel_thread(pid_t pid);
/* 1 when pid is gone, a zombie, or on its way out (PF_EXITING: killed,
 * its memory and files being released). */
int proc_is_exiting(pid_t pid);

/* kernel.yama.ptrace_scope (0..3), or -1 when Yama is absent. */
int proc_ptrace_scope(void);

/* Does the PID exist (kill(pid,0) or /proc/PID)?  On no: fills err with
 * HS_ERR_NO_PROCESS and returns it. */
enum hs_status proc_check_exists(pid_t pid, struct hs_err *err);

/* Resident set size in bytes from /proc/PID/status (VmRSS), or 0. */
unsigned long long proc_rss(pid_t pid);

/* The first n numbers of "Key:" in /proc/PID/status (pid 0: self), e.g.
 * Uid: real, effective, saved, fs.  Returns how many were read (0 when
 * the file or the key is missing). */
int proc_status_numbers(pid_t pid, const char *key, long long *out, int n);

/* /proc/PID/comm into buf ("?" when unreadable).  Returns buf. */
const char *proc_comm(pid_t pid, char *buf, size_t cap);

/* /proc/PID/cmdline with the NULs as spaces, cut to cap - 1 bytes ("" when
 * unreadable or empty, as for kernel threads).  Returns its length. */
size_t proc_cmdline(pid_t pid, char *buf, size_t cap);

/* The name of uid from /etc/passwd, read directly (no NSS: the static
 * binary must not load glibc's NSS modules); "uid N" when it has none. */
const char *proc_user_name(uid_t uid, char *buf, size_t cap);

#endif
