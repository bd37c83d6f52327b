/* container — where a process lives: its PID inside its own PID namespace,
 * whether its PID/mount namespace and root differ from ours, its cgroup,
 * and the container runtime and ID when the cgroup path names one.
 *
 * Read from /proc only; nothing here needs the target stopped.  The PID
 * inside comes from the NSpid line of /proc/PID/status (Linux 4.1+; on
 * older kernels it is unknown, 0).  Namespace links and the root need
 * ptrace read access: without it the answers are -1 (unknown), except
 * "nested", which NSpid tells anyone.
 */
#ifndef HS_CONTAINER_H
#define HS_CONTAINER_H

#include <sys/types.h>

struct ctr_info {
	pid_t pid;               /* as we see it */
	pid_t ns_pid;            /* in its innermost PID namespace; 0 unknown */
	int nested;              /* NSpid: in a PID namespace below ours */
	int other_pidns;         /* 1 / 0 / -1 unknown */
	int other_mntns;
	int other_root;          /* its / is not ours (chroot, pivot_root) */
	char pidns[32];          /* "pid:[4026532301]", "" unknown */
	char cgroup[192];        /* the v2 path, else the most telling v1 path */
	char runtime[16];        /* "docker", "podman", "kubernetes", ... or "" */
	char id[16];             /* 12-hex container ID from the cgroup, or "" */
	char label[48];          /* for a table: "docker:3f2a1b9c8d7e", "pidns",
				    "mntns", "chroot", or "-" (the host's) */
};

/* Fill c for pid.  Always succeeds (unknown fields stay 0/-1/""). */
void ctr_inspect(pid_t pid, struct ctr_info *c);

/* Just the PID inside its innermost PID namespace (0 unknown). */
pid_t ctr_ns_pid(pid_t pid);

/* The runtime and short ID named by a cgroup path ("/system.slice/
 * docker-<64 hex>.scope", "/kubepods/.../<64 hex>", "/machine.slice/
 * libpod-<id>.scope" ...): 1 and filled, or 0.  Exposed for unit tests. */
int ctr_parse_cgroup(const char *path, char *runtime, size_t rcap, char *id, size_t icap);

#endif
