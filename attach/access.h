/* access — may heapscope trace a process, and if not, exactly why and what
 * to do about it.
 *
 * The kernel's rules, in the order it applies them (kernel/ptrace.c
 * __ptrace_may_access, then the LSMs, and our own seccomp filter first of
 * all), checked against facts read from /proc without touching the target:
 *   1. one tracer at a time: a target already traced refuses PTRACE_SEIZE
 *      whatever our privileges;
 *   2. credentials: our real uid and gid equal the target's real, effective
 *      and saved ones, or we hold CAP_SYS_PTRACE in the target's user
 *      namespace (a capability never reaches out of the user namespace it
 *      was granted in, not even for that namespace's root);
 *   3. dumpable: a target that changed credentials (setuid/setgid or
 *      file-capability exec, prctl(PR_SET_DUMPABLE, 0)) needs
 *      CAP_SYS_PTRACE even from its own user;
 *   4. capabilities (commoncap): without CAP_SYS_PTRACE, the target's
 *      permitted capabilities must be a subset of ours (root that dropped
 *      a capability cannot trace root);
 *   5. Yama (kernel.yama.ptrace_scope): 1 = only descendants unless
 *      CAP_SYS_PTRACE, 2 = only CAP_SYS_PTRACE, 3 = nobody until reboot;
 *   6. a seccomp filter on heapscope may refuse ptrace/process_vm_readv
 *      (Docker's default profile does, without SYS_PTRACE);
 *   7. an LSM (AppArmor, SELinux) may refuse what all of the above allow.
 * Why we lack CAP_SYS_PTRACE is part of the answer: not root and no file
 * capability; a file capability (setcap) ignored because the process runs
 * with no_new_privs; a bounding set without it (a container started
 * without SYS_PTRACE: nothing inside can gain it); dropped by capsh.
 *
 * access_gather() reads the facts; access_judge() is pure (facts in,
 * verdict out), so every cause, including those a test machine cannot
 * produce (Yama, user namespaces), is unit-tested on simulated facts.
 */
#ifndef HS_ACCESS_H
#define HS_ACCESS_H

#include <sys/types.h>

#include "err.h"

/* Every int below is 1 (yes), 0 (no) or -1 (unknown), unless noted. */
struct access_facts {
	/* heapscope itself */
	pid_t self;
	uid_t uid[3];            /* real, effective, saved */
	gid_t gid[3];
	char user[64];           /* our user name ("uid 1000" if unknown) */
	int cap_eff;             /* CAP_SYS_PTRACE effective */
	int cap_prm;             /* ... permitted */
	int cap_bnd;             /* ... in the bounding set */
	int caps_known;          /* the masks below were read */
	unsigned long long eff_mask, prm_mask;   /* CapEff, CapPrm */
	int file_cap;            /* our executable has cap_sys_ptrace (setcap) */
	int no_new_privs;        /* NoNewPrivs: 1 */
	int seccomp;             /* 0 none, 1 strict, 2 filter, -1 unknown */
	int seccomp_blocks;      /* probe: the filter refuses ptrace (-1 not probed) */
	int yama;                /* kernel.yama.ptrace_scope 0..3, -1 no Yama */
	int init_userns;         /* we run in the initial user namespace */
	char userns[32];         /* "user:[4026531837]" or "" */
	char lsm[96];            /* AppArmor profile / SELinux context, "" none */
	char exe[256];           /* our executable's path, for `setcap` fixes */
	/* the target */
	pid_t pid;
	char comm[64];
	int creds_known;         /* t_uid/t_gid were read */
	uid_t t_uid[3];          /* real, effective, saved */
	gid_t t_gid[3];
	char t_user[64];
	int t_dumpable;
	int t_caps_known;
	unsigned long long t_prm_mask;           /* its CapPrm */
	pid_t tracer;            /* TracerPid of any thread, 0 none */
	char tracer_comm[64];
	char t_userns[32];       /* "" when unreadable */
	int userns_reach;        /* its user namespace is ours or below ours */
	int ancestor;            /* we are an ancestor of the target */
};

enum access_cause {
	ACCESS_OK = 0,
	ACCESS_TRACED,           /* another tracer holds it */
	ACCESS_USERNS,           /* our capability does not reach its namespace */
	ACCESS_NO_NEW_PRIVS,     /* setcap ignored under no_new_privs */
	ACCESS_BOUNDING,         /* CAP_SYS_PTRACE not in our bounding set */
	ACCESS_NO_CAP,           /* another user's process, no capability */
	ACCESS_NOT_DUMPABLE,     /* same user, but the target is not dumpable */
	ACCESS_CAPS_SUPERSET,    /* it holds capabilities we do not */
	ACCESS_YAMA_1,           /* ptrace_scope 1: not a descendant */
	ACCESS_YAMA_2,           /* ptrace_scope 2: capability required */
	ACCESS_YAMA_3,           /* ptrace_scope 3: nobody */
	ACCESS_SECCOMP,          /* our seccomp filter refuses ptrace */
	ACCESS_LSM,              /* AppArmor/SELinux (everything else allows it) */
	ACCESS_UNKNOWN,          /* refused, and nothing we can see explains it */
};

struct access_verdict {
	enum access_cause cause;
	char brief[96];          /* one line for a table: "uid 0, no CAP_SYS_PTRACE" */
	char msg[900];           /* cause and fix, full sentences */
};

/* Read the facts about us and `pid`.  probe_seccomp: when heapscope runs
 * under a seccomp filter, find out whether it refuses ptrace (only safe
 * once ptrace has already failed with EPERM: a filter that kills instead
 * would have killed us then). */
void access_gather(pid_t pid, int probe_seccomp, struct access_facts *f);

/* What is (or was) attempted; the rules that apply differ. */
enum access_op {
	ACCESS_OP_SEIZE,         /* PTRACE_SEIZE (the freeze): every rule */
	ACCESS_OP_VMREAD,        /* process_vm_readv: a tracer does not matter */
	ACCESS_OP_PROC,          /* a /proc/PID file: credentials only (no Yama,
				    no seccomp) */
};

/* The verdict on facts f.  refused = 1 when the kernel already refused
 * (EPERM): then a target that should be traceable is explained by
 * seccomp, an LSM, or "unknown" rather than called fine.  Returns
 * v->cause. */
enum access_cause access_judge(const struct access_facts *f, enum access_op op,
			       int refused, struct access_verdict *v);

/* Stable short name for JSON ("no_capability", "yama", ...). */
const char *access_cause_name(enum access_cause c);

/* gather + judge(refused) into an HS_ERR_PERMISSION:
 * "<what> failed for PID N (comm): <strerror>. <cause>. <fix>".  `what`
 * names the operation: "PTRACE_SEIZE", "process_vm_readv", or anything
 * else for a /proc file ("reading /proc/N/maps"). */
enum hs_status access_error(pid_t pid, const char *what, int errnum,
			    struct hs_err *err);

#endif
