/* container — where a process lives.  See container.h.
 *
 * Runtimes are recognised by the names they give cgroups, not by asking
 * them (no socket, no CLI): docker-<id>.scope and /docker/<id> (Docker),
 * libpod-<id> (Podman), cri-containerd-<id> (containerd), crio-<id>
 * (CRI-O), kubepods (Kubernetes, whatever the runtime), lxc.payload /
 * /lxc/ (LXC), machine-<name>.scope under machine.slice (systemd-nspawn).
 */
#include "container.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc.h"

static int link_of(pid_t pid, const char *ns, char *buf, size_t cap)
{
	char path[64];
	if (pid)
		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, ns);
	else
		snprintf(path, sizeof path, "/proc/self/ns/%s", ns);
	ssize_t n = readlink(path, buf, cap - 1);
	if (n <= 0) {
		buf[0] = 0;
		return -1;
	}
	buf[n] = 0;
	return 0;
}

/* 1 when the two links differ, 0 when equal, -1 when either is unknown. */
static int ns_differs(pid_t pid, const char *ns, char *theirs, size_t cap)
{
	char mine[32], tmp[32];
	if (!theirs) {
		theirs = tmp;
		cap = sizeof tmp;
	}
	if (link_of(pid, ns, theirs, cap) < 0 || link_of(0, ns, mine, sizeof mine) < 0)
		return -1;
	return strcmp(mine, theirs) != 0;
}

pid_t ctr_ns_pid(pid_t pid)
{
	long long v[16];
	int n = proc_status_numbers(pid, "NSpid", v, 16);
	return n > 0 ? (pid_t)v[n - 1] : 0;
}

/* The longest run of hex digits in s, if at least 32 long: its first 12. */
static int hex_id(const char *s, char *id, size_t icap)
{
	const char *best = NULL;
	size_t bestlen = 0;
	for (const char *p = s; *p;) {
		size_t n = 0;
		while (isxdigit((unsigned char)p[n]))
			n++;
		if (n > bestlen) {
			best = p;
			bestlen = n;
		}
		p += n ? n : 1;
	}
	if (bestlen < 32)
		return 0;
	snprintf(id, icap, "%.12s", best);
	return 1;
}

int ctr_parse_cgroup(const char *path, char *runtime, size_t rcap, char *id, size_t icap)
{
	static const struct { const char *needle, *name; int needs_id; } kinds[] = {
		{"kubepods", "kubernetes", 0},
		{"libpod-", "podman", 1},
		{"/libpod_parent/", "podman", 1},
		{"cri-containerd-", "containerd", 1},
		{"crio-", "cri-o", 1},
		{"docker-", "docker", 1},
		{"/docker/", "docker", 1},
		{"/actions_job/", "docker", 1},
		{"lxc.payload", "lxc", 0},
		{"/lxc/", "lxc", 0},
		{"/machine.slice/machine-", "nspawn", 0},
	};
	runtime[0] = id[0] = 0;
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		const char *at = strstr(path, kinds[i].needle);
		if (!at)
			continue;
		int has_id = hex_id(at, id, icap);
		if (kinds[i].needs_id && !has_id)
			continue;
		snprintf(runtime, rcap, "%s", kinds[i].name);
		if (!has_id && !strcmp(kinds[i].name, "nspawn")) {
			/* machine-<name>.scope: the machine's name is its ID */
			const char *n = at + strlen(kinds[i].needle);
			size_t len = strcspn(n, ".");
			snprintf(id, icap, "%.*s", (int)(len < 15 ? len : 15), n);
		}
		return 1;
	}
	return 0;
}

/* The most telling cgroup path of /proc/PID/cgroup: the v2 one ("0::"),
 * unless it is "/" and a v1 hierarchy says more (hybrid setups). */
static void read_cgroup(pid_t pid, char *out, size_t cap)
{
	char path[64], line[512];
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	out[0] = 0;
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char v2[256] = "", v1[256] = "", systemd[256] = "";
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		const char *p = c2 + 1;
		if (!strncmp(line, "0::", 3))
			snprintf(v2, sizeof v2, "%s", p);
		else if (strstr(c1, ":name=systemd:"))
			snprintf(systemd, sizeof systemd, "%s", p);
		else if (strcmp(p, "/") && !v1[0])
			snprintf(v1, sizeof v1, "%s", p);
	}
	fclose(f);
	const char *pick = v2[0] && strcmp(v2, "/") ? v2
			   : systemd[0] && strcmp(systemd, "/") ? systemd
			   : v1[0] ? v1 : v2;
	snprintf(out, cap, "%s", pick);
}

void ctr_inspect(pid_t pid, struct ctr_info *c)
{
	long long v[16];
	memset(c, 0, sizeof *c);
	c->pid = pid;
	int n = proc_status_numbers(pid, "NSpid", v, 16);
	c->ns_pid = n > 0 ? (pid_t)v[n - 1] : 0;
	c->nested = n > 1;
	c->other_pidns = ns_differs(pid, "pid", c->pidns, sizeof c->pidns);
	if (c->other_pidns < 0 && c->nested)
		c->other_pidns = 1;
	c->other_mntns = ns_differs(pid, "mnt", NULL, 0);

	char path[64];
	struct stat a, b;
	snprintf(path, sizeof path, "/proc/%d/root", (int)pid);
	c->other_root = -1;
	if (stat(path, &a) == 0 && stat("/proc/self/root", &b) == 0)
		c->other_root = a.st_dev != b.st_dev || a.st_ino != b.st_ino;

	read_cgroup(pid, c->cgroup, sizeof c->cgroup);
	ctr_parse_cgroup(c->cgroup, c->runtime, sizeof c->runtime, c->id, sizeof c->id);

	if (c->runtime[0])
		snprintf(c->label, sizeof c->label, "%s%s%s", c->runtime, c->id[0] ? ":" : "", c->id);
	else if (c->other_pidns == 1)
		snprintf(c->label, sizeof c->label, "pidns");
	else if (c->other_mntns == 1)
		snprintf(c->label, sizeof c->label, "mntns");
	else if (c->other_root == 1)
		snprintf(c->label, sizeof c->label, "chroot");
	else
		snprintf(c->label, sizeof c->label, "-");
}
