/* access — may we trace a process; if not, why and what to do.  See
 * access.h for the rules and their order.
 *
 * Gathering reads only /proc, /etc/passwd and our own executable's
 * extended attributes: it never signals or stops the target, so `heapscope
 * ps` can call it for every process.  Judging is pure.  Each refusal
 * message names one cause, with the numbers that prove it (uids, the
 * ptrace_scope value, the tracer's PID and name, the NoNewPrivs flag ...)
 * and fixes that apply to who we are: never "use sudo" to root, never
 * "add the capability" when the capability is there but cannot reach.
 */
#include "access.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "proc.h"

#define CAP_SYS_PTRACE_BIT 19

/* linux/nsfs.h; defined here so old headers build too. */
#ifndef NS_GET_PARENT
#define NS_GET_PARENT _IO(0xb7, 0x2)
#endif

/* ==== Gathering ==== */

static ssize_t slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return n;
}

/* CAP_SYS_PTRACE in the hex mask of "Key:" in our status; -1 unknown. */
static int self_cap(const char *status, const char *key)
{
	char k[32];
	snprintf(k, sizeof k, "\n%s:", key);
	const char *p = strstr(status, k);
	if (!p)
		return -1;
	unsigned long long caps = strtoull(p + strlen(k), NULL, 16);
	return (int)((caps >> CAP_SYS_PTRACE_BIT) & 1);
}

/* The hex mask of "Key:"; 0 and *out, or -1. */
static int status_mask(const char *status, const char *key, unsigned long long *out)
{
	char k[32];
	snprintf(k, sizeof k, "\n%s:", key);
	const char *p = strstr(status, k);
	if (!p)
		return -1;
	*out = strtoull(p + strlen(k), NULL, 16);
	return 0;
}

/* A decimal "Key:\tN" of a status text; -1 when missing. */
static int status_int(const char *status, const char *key)
{
	char k[32];
	snprintf(k, sizeof k, "\n%s:", key);
	const char *p = strstr(status, k);
	return p ? atoi(p + strlen(k)) : -1;
}

/* Does our executable carry CAP_SYS_PTRACE as a permitted file capability
 * (`setcap cap_sys_ptrace+ep`)?  struct vfs_cap_data: a 32-bit magic
 * (revision | flags) then {permitted, inheritable} pairs, low word first. */
static int exe_file_cap(void)
{
	unsigned char v[24];
	ssize_t n = getxattr("/proc/self/exe", "security.capability", v, sizeof v);
	if (n < 0)
		return errno == ENODATA || errno == ENOTSUP ? 0 : -1;
	if (n < 8)
		return 0;
	uint32_t permitted;
	memcpy(&permitted, v + 4, 4);
	return (int)((permitted >> CAP_SYS_PTRACE_BIT) & 1);
}

/* Is ptrace refused by our own seccomp filter?  Asks with PID 0, which the
 * kernel answers ESRCH (no such tracee) before looking at anything else,
 * and process_vm_readv with no iovecs, which returns 0 at once: a filter
 * answers first, with its errno. */
static int seccomp_probe(void)
{
	errno = 0;
	long r = ptrace(PTRACE_PEEKDATA, 0, NULL, NULL);
	if (r == -1 && errno != ESRCH && errno != 0)
		return 1;
	errno = 0;
	if (syscall(SYS_process_vm_readv, 0, NULL, 0UL, NULL, 0UL, 0UL) < 0 &&
	    errno != ESRCH)
		return 1;
	return 0;
}

/* "user:[4026531837]" of /proc/<who>/ns/user into buf; 0 or -1. */
static int userns_of(const char *who, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%s/ns/user", who);
	ssize_t n = readlink(path, buf, cap - 1);
	if (n <= 0) {
		buf[0] = 0;
		return -1;
	}
	buf[n] = 0;
	return 0;
}

/* Is the target's user namespace ours or one below ours?  Walks its
 * parents with NS_GET_PARENT (Linux 4.9), which fails with EPERM at the
 * edge of what we own. */
static int userns_reaches(pid_t pid, const struct access_facts *f)
{
	if (f->userns[0] && f->t_userns[0] && !strcmp(f->userns, f->t_userns))
		return 1;
	if (f->init_userns == 1)
		return 1;   /* every namespace descends from the initial one */
	if (!f->t_userns[0])
		return -1;
	struct stat mine;
	if (stat("/proc/self/ns/user", &mine) != 0)
		return -1;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (int depth = 0; depth < 40; depth++) {
		int parent = ioctl(fd, NS_GET_PARENT);
		int e = errno;
		close(fd);
		if (parent < 0)
			return e == EPERM ? 0 : -1;
		fd = parent;
		struct stat st;
		if (fstat(fd, &st) == 0 && st.st_ino == mine.st_ino && st.st_dev == mine.st_dev) {
			close(fd);
			return 1;
		}
	}
	close(fd);
	return -1;
}

/* TracerPid of the first traced thread of pid (0 none, -1 unknown). */
static pid_t any_tracer(pid_t pid)
{
	long long v;
	if (proc_status_numbers(pid, "TracerPid", &v, 1) == 1 && v > 0)
		return (pid_t)v;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	struct dirent *e;
	pid_t found = 0;
	int seen = 0;
	while (!found && (e = readdir(d)) && seen < 4096) {
		char buf[4096], sp[320];
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		seen++;
		snprintf(sp, sizeof sp, "/proc/%d/task/%s/status", (int)pid, e->d_name);
		if (slurp(sp, buf, sizeof buf) < 0)
			continue;
		int t = status_int(buf, "TracerPid");
		if (t > 0)
			found = t;
	}
	closedir(d);
	return found;
}

void access_gather(pid_t pid, int probe_seccomp, struct access_facts *f)
{
	char status[4096];
	long long ids[4];

	memset(f, 0, sizeof *f);
	f->self = getpid();
	f->pid = pid;
	f->uid[0] = getuid();
	f->uid[1] = geteuid();
	f->uid[2] = f->uid[1];
	f->gid[0] = getgid();
	f->gid[1] = getegid();
	f->gid[2] = f->gid[1];
	if (proc_status_numbers(0, "Uid", ids, 3) == 3)
		for (int i = 0; i < 3; i++)
			f->uid[i] = (uid_t)ids[i];
	if (proc_status_numbers(0, "Gid", ids, 3) == 3)
		for (int i = 0; i < 3; i++)
			f->gid[i] = (gid_t)ids[i];
	proc_user_name(f->uid[0], f->user, sizeof f->user);

	f->cap_eff = f->cap_prm = f->cap_bnd = -1;
	f->no_new_privs = f->seccomp = f->seccomp_blocks = -1;
	if (slurp("/proc/self/status", status, sizeof status) >= 0) {
		f->cap_eff = self_cap(status, "CapEff");
		f->cap_prm = self_cap(status, "CapPrm");
		f->cap_bnd = self_cap(status, "CapBnd");
		f->caps_known = status_mask(status, "CapEff", &f->eff_mask) == 0 &&
				status_mask(status, "CapPrm", &f->prm_mask) == 0;
		f->no_new_privs = status_int(status, "NoNewPrivs");   /* Linux 4.10+ */
		f->seccomp = status_int(status, "Seccomp");
	}
	f->file_cap = exe_file_cap();
	if (probe_seccomp && f->seccomp == 2)
		f->seccomp_blocks = seccomp_probe();
	f->yama = proc_ptrace_scope();

	char map[128];
	f->init_userns = -1;
	if (slurp("/proc/self/uid_map", map, sizeof map) > 0) {
		unsigned long a, b, c;
		f->init_userns = sscanf(map, "%lu %lu %lu", &a, &b, &c) == 3 &&
				 a == 0 && b == 0 && c == 4294967295UL;
	}
	userns_of("self", f->userns, sizeof f->userns);
	if (slurp("/proc/self/attr/current", f->lsm, sizeof f->lsm) > 0) {
		f->lsm[strcspn(f->lsm, "\n")] = 0;
		/* AppArmor says "unconfined"; SELinux names its domain */
		if (!strcmp(f->lsm, "unconfined") || strstr(f->lsm, "unconfined_t"))
			f->lsm[0] = 0;
	} else {
		f->lsm[0] = 0;
	}
	ssize_t n = readlink("/proc/self/exe", f->exe, sizeof f->exe - 1);
	snprintf(f->exe + (n > 0 ? n : 0), sizeof f->exe - (size_t)(n > 0 ? n : 0), "%s",
		 n > 0 ? "" : "heapscope");

	/* the target */
	char path[64];
	proc_comm(pid, f->comm, sizeof f->comm);
	long long tu[3], tg[3];
	if (proc_status_numbers(pid, "Uid", tu, 3) == 3 &&
	    proc_status_numbers(pid, "Gid", tg, 3) == 3) {
		f->creds_known = 1;
		for (int i = 0; i < 3; i++) {
			f->t_uid[i] = (uid_t)tu[i];
			f->t_gid[i] = (gid_t)tg[i];
		}
		proc_user_name(f->t_uid[1], f->t_user, sizeof f->t_user);
	}
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (slurp(path, status, sizeof status) >= 0)
		f->t_caps_known = status_mask(status, "CapPrm", &f->t_prm_mask) == 0;
	/* A process that is not dumpable has the files in /proc/PID owned by
	 * root (the directory itself keeps its owner): visible to anyone, and
	 * telling when its euid is not 0. */
	f->t_dumpable = -1;
	struct stat st;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (f->creds_known && stat(path, &st) == 0) {
		if (st.st_uid == f->t_uid[1])
			f->t_dumpable = f->t_uid[1] != 0 ? 1 : -1;
		else if (st.st_uid == 0)
			f->t_dumpable = 0;
	}
	f->tracer = any_tracer(pid);
	if (f->tracer > 0)
		proc_comm(f->tracer, f->tracer_comm, sizeof f->tracer_comm);
	{
		char who[16];
		snprintf(who, sizeof who, "%d", (int)pid);
		userns_of(who, f->t_userns, sizeof f->t_userns);
	}
	f->userns_reach = userns_reaches(pid, f);
	f->ancestor = 0;
	for (pid_t p = pid, i = 0; p > 1 && i < 4096; i++) {
		p = proc_ppid(p);
		if (p == f->self) {
			f->ancestor = 1;
			break;
		}
	}
}

/* ==== Judging ==== */

const char *access_cause_name(enum access_cause c)
{
	switch (c) {
	case ACCESS_OK: return "ok";
	case ACCESS_TRACED: return "traced";
	case ACCESS_USERNS: return "user_namespace";
	case ACCESS_NO_NEW_PRIVS: return "no_new_privs";
	case ACCESS_BOUNDING: return "bounding_set";
	case ACCESS_NO_CAP: return "no_capability";
	case ACCESS_NOT_DUMPABLE: return "not_dumpable";
	case ACCESS_CAPS_SUPERSET: return "capabilities";
	case ACCESS_YAMA_1: case ACCESS_YAMA_2: case ACCESS_YAMA_3: return "ptrace_scope";
	case ACCESS_SECCOMP: return "seccomp";
	case ACCESS_LSM: return "lsm";
	case ACCESS_UNKNOWN: return "unknown";
	}
	return "unknown";
}

static void put(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append to buf. */
static void put(char *buf, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(buf);
	if (len + 1 >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

/* "cap_sys_ptrace, cap_sys_admin and 30 more" for a capability mask. */
static void cap_names(unsigned long long mask, char *buf, size_t cap)
{
	static const char *const names[] = {
		"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill",
		"setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service",
		"net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
		"sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
		"sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time",
		"sys_tty_config", "mknod", "lease", "audit_write", "audit_control",
		"setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
		"block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
	};
	int total = __builtin_popcountll(mask), shown = 0;
	buf[0] = 0;
	/* the one that matters first */
	if (mask & (1ULL << CAP_SYS_PTRACE_BIT)) {
		put(buf, cap, "cap_sys_ptrace");
		shown++;
		mask &= ~(1ULL << CAP_SYS_PTRACE_BIT);
	}
	for (int i = 0; i < 64 && mask && shown < 3; i++) {
		if (!(mask & (1ULL << i)))
			continue;
		mask &= ~(1ULL << i);
		if (i < (int)(sizeof names / sizeof *names))
			put(buf, cap, "%scap_%s", shown ? ", " : "", names[i]);
		else
			put(buf, cap, "%scapability %d", shown ? ", " : "", i);
		shown++;
	}
	if (total > shown)
		put(buf, cap, " and %d more", total - shown);
}

static int same_creds(const struct access_facts *f)
{
	for (int i = 0; i < 3; i++)
		if (f->t_uid[i] != f->uid[0] || f->t_gid[i] != f->gid[0])
			return 0;
	return 1;
}

/* "uid 1000 (alice)" / "uid 0 (root)" / "uid 7": who the target runs as,
 * with every differing real/effective/saved id spelled out. */
static void target_ids(const struct access_facts *f, char *buf, size_t cap)
{
	const uid_t *u = f->t_uid;
	if (u[0] == u[1] && u[1] == u[2])
		snprintf(buf, cap, "uid %u", (unsigned)u[1]);
	else
		snprintf(buf, cap, "uid %u/%u/%u (real/effective/saved)",
			 (unsigned)u[0], (unsigned)u[1], (unsigned)u[2]);
	if (strncmp(f->t_user, "uid ", 4) && f->t_user[0])
		put(buf, cap, " (%s)", f->t_user);
	if (f->t_uid[0] == f->uid[0] && f->t_uid[1] == f->uid[0] && f->t_uid[2] == f->uid[0])
		put(buf, cap, ", gid %u/%u/%u", (unsigned)f->t_gid[0], (unsigned)f->t_gid[1],
		    (unsigned)f->t_gid[2]);
}

static void self_ids(const struct access_facts *f, char *buf, size_t cap)
{
	snprintf(buf, cap, "uid %u", (unsigned)f->uid[0]);
	if (strncmp(f->user, "uid ", 4) && f->user[0])
		put(buf, cap, " (%s)", f->user);
	if (f->t_uid[0] == f->uid[0] && f->t_uid[1] == f->uid[0] && f->t_uid[2] == f->uid[0])
		put(buf, cap, ", gid %u", (unsigned)f->gid[0]);
}

/* Do we hold CAP_SYS_PTRACE where it counts for the target? */
static int cap_reaches(const struct access_facts *f)
{
	return f->cap_eff == 1 && f->userns_reach != 0;
}

/* The fixes for "we need CAP_SYS_PTRACE and do not have it", for who we
 * are: root is never told to use sudo. */
static void fix_capability(const struct access_facts *f, int same_user_helps, char *m, size_t cap)
{
	if (f->uid[1] == 0) {
		put(m, cap, " Fix: run heapscope from a root shell that keeps CAP_SYS_PTRACE "
		    "(not under `capsh --drop`, `setpriv --inh-caps`, or a service with "
		    "CapabilityBoundingSet= that omits it).");
		return;
	}
	put(m, cap, " Fix: `sudo heapscope ...`");
	if (same_user_helps && f->creds_known && f->t_uid[0] == f->t_uid[1] &&
	    f->t_uid[1] == f->t_uid[2])
		put(m, cap, "; or run it as the target's user (`sudo -u %s heapscope ...`)",
		    strncmp(f->t_user, "uid ", 4) ? f->t_user : "#UID");
	put(m, cap, "; or grant the capability once, `sudo setcap cap_sys_ptrace+ep %s`, "
	    "and run it as yourself.", f->exe);
}

/* Why we do not hold a usable CAP_SYS_PTRACE; fills v and returns the cause.
 * `need` says what requires it ("tracing another user's process"). */
static enum access_cause no_capability(const struct access_facts *f, const char *need,
				       int same_user_helps, struct access_verdict *v)
{
	char *m = v->msg;
	size_t cap = sizeof v->msg;

	if (f->cap_eff == 1 && f->userns_reach == 0) {
		/* `need` is not repeated: seen from inside a user namespace the
		 * target's uids are unmapped (65534), which would mislead. */
		snprintf(v->brief, sizeof v->brief, "in another user namespace");
		put(m, cap, "PID %d is in a user namespace (%s) that heapscope's own (%s%s) "
		    "does not own. Tracing it needs CAP_SYS_PTRACE in the target's "
		    "namespace, and a capability never reaches outside the user namespace "
		    "it was granted in, not even for that namespace's root. Fix: run "
		    "heapscope in the namespace that owns the target: on the host, or "
		    "inside the target's container (`docker exec`, `kubectl debug`, or "
		    "`nsenter -t %d -a heapscope ...` from the host).",
		    (int)f->pid, f->t_userns[0] ? f->t_userns : "not visible from here",
		    f->userns[0] ? f->userns : "user:[?]",
		    f->uid[1] == 0 ? ", where it is root" : "", (int)f->pid);
		return ACCESS_USERNS;
	}
	if (f->file_cap == 1 && f->no_new_privs == 1 && f->cap_eff != 1) {
		snprintf(v->brief, sizeof v->brief, "setcap ignored: no_new_privs");
		put(m, cap, "%s needs CAP_SYS_PTRACE. %s carries it as a file capability "
		    "(setcap), but this process runs with no_new_privs (NoNewPrivs: 1 in "
		    "/proc/self/status: Docker --security-opt no-new-privileges, systemd "
		    "NoNewPrivileges=yes, `setpriv --no-new-privs`), so the kernel ignored "
		    "it at exec. Fix: start heapscope from a shell without no_new_privs, or "
		    "as root (`sudo heapscope ...`).", need, f->exe);
		return ACCESS_NO_NEW_PRIVS;
	}
	if (f->cap_bnd == 0) {
		snprintf(v->brief, sizeof v->brief, "CAP_SYS_PTRACE not in bounding set");
		put(m, cap, "%s needs CAP_SYS_PTRACE, and this process's capability bounding "
		    "set (CapBnd) does not contain it, so nothing started from here can gain "
		    "it: not root, not sudo, not setcap. This is how a container started "
		    "without SYS_PTRACE looks (or a shell under `capsh --drop=cap_sys_ptrace`). Fix: start the container with "
		    "`--cap-add=SYS_PTRACE` (Kubernetes: securityContext.capabilities.add: "
		    "[\"SYS_PTRACE\"], or `kubectl debug --profile=sysadmin`), or run "
		    "heapscope on the host.", need);
		return ACCESS_BOUNDING;
	}
	snprintf(v->brief, sizeof v->brief, "%s without CAP_SYS_PTRACE",
		 f->uid[1] == 0 ? "root" : f->user);
	if (f->uid[1] == 0)
		put(m, cap, "%s needs CAP_SYS_PTRACE. heapscope runs as root, but without "
		    "that capability in its effective set (%s).", need,
		    f->cap_prm == 1 ? "it is permitted, not effective" : "it was dropped");
	else
		put(m, cap, "%s needs CAP_SYS_PTRACE, which heapscope (%s) does not hold%s.",
		    need, f->user, f->file_cap == 1 ? " (its file capability did not take "
		    "effect: is the file system mounted nosuid?)" : "");
	fix_capability(f, same_user_helps, m, cap);
	return ACCESS_NO_CAP;
}

/* The Yama rule, when credentials pass.  ACCESS_OK if it allows. */
static enum access_cause yama_rule(const struct access_facts *f, struct access_verdict *v)
{
	char *m = v->msg;
	size_t cap = sizeof v->msg;
	int capok = cap_reaches(f);

	switch (f->yama) {
	case 1:
		if (capok || f->ancestor == 1)
			return ACCESS_OK;
		snprintf(v->brief, sizeof v->brief, "kernel.yama.ptrace_scope=1, not our child");
		put(m, cap, "kernel.yama.ptrace_scope is 1 (restricted): without "
		    "CAP_SYS_PTRACE a process may trace only its own descendants (or one "
		    "that allowed it with prctl(PR_SET_PTRACER)), and PID %d is not a "
		    "descendant of heapscope.", (int)f->pid);
		if (f->uid[1] == 0 || f->cap_bnd == 0)
			put(m, cap, " Fix: allow same-user tracing: `sysctl "
			    "kernel.yama.ptrace_scope=0` (as root on the host).");
		else
			put(m, cap, " Fix: `sudo heapscope ...`; or grant the capability "
			    "once, `sudo setcap cap_sys_ptrace+ep %s`; or allow same-user "
			    "tracing: `sudo sysctl kernel.yama.ptrace_scope=0`.", f->exe);
		return ACCESS_YAMA_1;
	case 2:
		if (capok)
			return ACCESS_OK;
		snprintf(v->brief, sizeof v->brief, "kernel.yama.ptrace_scope=2, no CAP_SYS_PTRACE");
		put(m, cap, "kernel.yama.ptrace_scope is 2 (admin-only): only a process "
		    "with CAP_SYS_PTRACE may trace, even its own user's processes, and "
		    "heapscope lacks it.");
		if (f->uid[1] == 0 || f->cap_bnd == 0)
			put(m, cap, " Fix: keep CAP_SYS_PTRACE for heapscope (a container: "
			    "`--cap-add=SYS_PTRACE`), or lower the setting on the host: "
			    "`sysctl kernel.yama.ptrace_scope=1`.");
		else
			put(m, cap, " Fix: `sudo heapscope ...`; or grant the capability "
			    "once, `sudo setcap cap_sys_ptrace+ep %s`; or lower the "
			    "setting: `sudo sysctl kernel.yama.ptrace_scope=0`.", f->exe);
		return ACCESS_YAMA_2;
	case 3:
		snprintf(v->brief, sizeof v->brief, "kernel.yama.ptrace_scope=3, ptrace disabled");
		put(m, cap, "kernel.yama.ptrace_scope is 3 (no attach): ptrace is disabled "
		    "for every process, root included, and the setting cannot be lowered "
		    "until the next boot. Fix: set kernel.yama.ptrace_scope=1 (or 0) in "
		    "/etc/sysctl.d/ and reboot.");
		return ACCESS_YAMA_3;
	default:
		return ACCESS_OK;
	}
}

enum access_cause access_judge(const struct access_facts *f, enum access_op op,
			       int refused, struct access_verdict *v)
{
	char *m = v->msg;
	size_t cap = sizeof v->msg;
	char who[128], me[96];
	struct access_facts g;

	memset(v, 0, sizeof *v);
	/* Whether our capability reaches the target's user namespace may be
	 * unknown (its ns link is unreadable without access).  From the initial
	 * namespace it always does; from a container's, once refused, the
	 * namespace is the likely reason. */
	if (f->userns_reach < 0) {
		g = *f;
		g.userns_reach = f->init_userns == 0 && refused ? 0 : 1;
		f = &g;
	}

	/* 1. one tracer at a time */
	if (op == ACCESS_OP_SEIZE && f->tracer > 0 && f->tracer != f->self) {
		snprintf(v->brief, sizeof v->brief, "traced by PID %d (%s)", (int)f->tracer,
			 f->tracer_comm[0] ? f->tracer_comm : "?");
		put(m, cap, "PID %d is already traced by PID %d (%s), and a process can "
		    "have only one tracer. Fix: detach that one (quit gdb/strace/py-spy, "
		    "or `detach` in gdb) and retry; or use --no-freeze, which reads "
		    "without stopping the target (structures may be torn).",
		    (int)f->pid, (int)f->tracer, f->tracer_comm[0] ? f->tracer_comm : "?");
		return v->cause = ACCESS_TRACED;
	}

	/* 2. credentials, 3. dumpable */
	if (f->creds_known && !same_creds(f) && !cap_reaches(f)) {
		target_ids(f, who, sizeof who);
		self_ids(f, me, sizeof me);
		char need[300];
		snprintf(need, sizeof need, "PID %d runs as %s and heapscope as %s: tracing "
			 "another user's process", (int)f->pid, who, me);
		v->cause = no_capability(f, need, 1, v);
		if (v->cause == ACCESS_NO_CAP)
			snprintf(v->brief, sizeof v->brief, "runs as %.24s; %.24s lacks CAP_SYS_PTRACE",
				 f->t_user, f->uid[1] == 0 ? "root" : f->user);
		return v->cause;
	}
	if (f->creds_known && same_creds(f) && f->t_dumpable == 0 && !cap_reaches(f)) {
		char need[300];
		snprintf(need, sizeof need, "PID %d runs as your user but is not dumpable "
			 "(its /proc/%d files belong to root: it was started from a "
			 "setuid/setgid or file-capability program, or called "
			 "prctl(PR_SET_DUMPABLE, 0)); tracing it", (int)f->pid, (int)f->pid);
		v->cause = no_capability(f, need, 0, v);
		if (v->cause == ACCESS_NO_CAP) {
			v->cause = ACCESS_NOT_DUMPABLE;
			snprintf(v->brief, sizeof v->brief, "not dumpable; needs CAP_SYS_PTRACE");
		}
		return v->cause;
	}
	/* 4. commoncap: its permitted capabilities within ours (permitted
	 * ones for attaching, effective ones for /proc reads) */
	unsigned long long ours = op == ACCESS_OP_PROC ? f->eff_mask : f->prm_mask;
	int other_ns = f->userns_reach == 0 ||
		       (f->userns[0] && f->t_userns[0] && strcmp(f->userns, f->t_userns));
	if (other_ns && !cap_reaches(f)) {
		/* the subset rule holds only within one user namespace */
		char need[200];
		snprintf(need, sizeof need, "PID %d is in another user namespace; tracing it",
			 (int)f->pid);
		return v->cause = no_capability(f, need, 0, v);
	}
	if (f->caps_known && f->t_caps_known && (f->t_prm_mask & ~ours) &&
	    !cap_reaches(f)) {
		char names[160], need[400];
		cap_names(f->t_prm_mask & ~ours, names, sizeof names);
		snprintf(need, sizeof need, "PID %d holds capabilities heapscope does not "
			 "(%s), and without CAP_SYS_PTRACE the kernel lets a process trace "
			 "only targets whose capabilities are a subset of its own; tracing it",
			 (int)f->pid, names);
		v->cause = no_capability(f, need, 0, v);
		if (v->cause == ACCESS_NO_CAP) {
			v->cause = ACCESS_CAPS_SUPERSET;
			snprintf(v->brief, sizeof v->brief, "holds capabilities we lack");
		}
		return v->cause;
	}

	/* 5. Yama guards attaching (PTRACE_SEIZE, process_vm_readv), not /proc */
	if (op != ACCESS_OP_PROC) {
		enum access_cause y = yama_rule(f, v);
		if (y != ACCESS_OK)
			return v->cause = y;
	}

	/* 6. our own seccomp filter */
	if (op != ACCESS_OP_PROC && f->seccomp == 2 && (f->seccomp_blocks == 1 ||
					   (refused && f->seccomp_blocks == -1))) {
		snprintf(v->brief, sizeof v->brief, "seccomp filter refuses ptrace");
		put(m, cap, "heapscope runs under a seccomp filter (Seccomp: 2 in "
		    "/proc/self/status) that %s ptrace and process_vm_readv. Docker's "
		    "default profile allows them only to containers started with "
		    "`--cap-add=SYS_PTRACE`. Fix: that, or `--security-opt "
		    "seccomp=unconfined` (Kubernetes: securityContext.seccompProfile.type: "
		    "Unconfined), or run heapscope on the host.",
		    f->seccomp_blocks == 1 ? "refuses" : "probably refuses");
		return v->cause = ACCESS_SECCOMP;
	}

	if (!refused) {
		snprintf(v->brief, sizeof v->brief, "yes");
		return v->cause = ACCESS_OK;
	}

	/* 7. everything we can see allows it */
	if (f->lsm[0]) {
		snprintf(v->brief, sizeof v->brief, "refused by LSM (%.60s)", f->lsm);
		put(m, cap, "credentials, capabilities, Yama and seccomp all allow it, so a "
		    "security module refused: heapscope runs confined as '%s'. Check the "
		    "audit log (`dmesg | grep -i ptrace`, `ausearch -m avc`); in Docker "
		    "`--security-opt apparmor=unconfined` (or label=disable for SELinux) "
		    "lifts it.", f->lsm);
		return v->cause = ACCESS_LSM;
	}
	snprintf(v->brief, sizeof v->brief, "refused (cause not visible)");
	if (op == ACCESS_OP_PROC)
		put(m, cap, "credentials and capabilities allow reading PID %d's /proc "
		    "files, so something else refused: /proc mounted with hidepid=, or a "
		    "security module (check `dmesg`).", (int)f->pid);
	else
		put(m, cap, "heapscope %s, PID %d %s, no other tracer, %s, no seccomp filter "
		    "refusing ptrace: nothing visible explains the refusal. A security "
		    "module without a profile in /proc/self/attr (Landlock, a BPF LSM) may; "
		    "check `dmesg` and the audit log.",
		    cap_reaches(f) ? "holds CAP_SYS_PTRACE" : "runs as the target's user",
		    (int)f->pid, f->t_dumpable == 0 ? "is not dumpable" : "is dumpable",
		    f->yama < 0 ? "no Yama" : "Yama allows it");
	return v->cause = ACCESS_UNKNOWN;
}

enum hs_status access_error(pid_t pid, const char *what, int errnum,
			    struct hs_err *err)
{
	struct access_facts f;
	struct access_verdict v;
	enum access_op op = !strncmp(what, "PTRACE", 6) ? ACCESS_OP_SEIZE
			    : !strcmp(what, "process_vm_readv") ? ACCESS_OP_VMREAD
			    : ACCESS_OP_PROC;

	access_gather(pid, op != ACCESS_OP_PROC, &f);
	access_judge(&f, op, 1, &v);
	return hs_fail(err, HS_ERR_PERMISSION, "%s failed for PID %d (%s): %s. %s", what,
		       (int)pid, f.comm, strerror(errnum), v.msg);
}
