/* pslist — the Python processes on this host.  See pslist.h.
 *
 * Per process, cheapest test first: kernel threads and ourselves are
 * skipped; then its memory map (one /proc read) must name a python-ish
 * file before any ELF file is opened; only then does py_find_runtime()
 * (the attach path's own detection) decide and give the version.
 */
#include "pslist.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "maps.h"
#include "proc.h"
#include "pyfind.h"

static int ci_contains(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return 1;
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Does any executable file mapping have "python" in its name? */
static int maps_look_pythonic(const struct mem_map *maps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (maps[i].path && maps[i].path[0] == '/' && (maps[i].prot & PROT_EXEC) &&
		    ci_contains(base_name(maps[i].path), "python"))
			return 1;
	return 0;
}

/* argv[0]'s base name or comm says python. */
static int name_looks_pythonic(const struct ps_entry *e)
{
	char argv0[512];
	snprintf(argv0, sizeof argv0, "%s", e->cmdline);
	argv0[strcspn(argv0, " ")] = 0;
	return ci_contains(e->comm, "python") || ci_contains(base_name(argv0), "python");
}

/* Fill e for pid; 1 if it is a Python process to list, else 0. */
static int inspect(pid_t pid, struct ps_entry *e)
{
	struct mem_map *maps = NULL;
	size_t nmaps = 0;
	struct hs_err err = {0};

	memset(e, 0, sizeof *e);
	e->pid = pid;
	if (proc_is_kernel_thread(pid))
		return 0;
	proc_comm(pid, e->comm, sizeof e->comm);
	proc_cmdline(pid, e->cmdline, sizeof e->cmdline);

	enum hs_status st = proc_read_maps(pid, &maps, &nmaps, &err);
	if (st == HS_OK) {
		if (!maps_look_pythonic(maps, nmaps)) {
			proc_maps_free(maps, nmaps);
			return 0;
		}
		struct py_runtime_info *rt = malloc(sizeof *rt);
		if (!rt) {
			proc_maps_free(maps, nmaps);
			return 0;
		}
		st = py_find_runtime(pid, maps, nmaps, rt, &err);
		proc_maps_free(maps, nmaps);
		if (st == HS_OK || st == HS_ERR_UNSUPPORTED) {
			snprintf(e->version, sizeof e->version, "%s", rt->version);
			e->supported = st == HS_OK;
		}
		free(rt);
		if (st == HS_ERR_NOT_PYTHON || st == HS_ERR_NO_PROCESS)
			return 0;
		if (st == HS_ERR_READ)
			e->by_name = 1;
	} else if (st == HS_ERR_PERMISSION && name_looks_pythonic(e)) {
		e->by_name = 1;
	} else {
		return 0;
	}

	long long uid[2];
	if (proc_status_numbers(pid, "Uid", uid, 2) == 2)
		e->uid = (uid_t)uid[1];
	proc_user_name(e->uid, e->user, sizeof e->user);
	e->rss = proc_rss(pid);
	ctr_inspect(pid, &e->ctr);

	/* Can we attach?  The version first (nothing to negotiate), then
	 * the kernel's rules. */
	struct access_facts f;
	struct access_verdict v;
	access_gather(pid, 0, &f);
	access_judge(&f, ACCESS_OP_SEIZE, 0, &v);
	e->cause = v.cause;
	if (v.cause != ACCESS_OK) {
		e->status = HS_ERR_PERMISSION;
		snprintf(e->why, sizeof e->why, "%s", v.brief);
		snprintf(e->detail, sizeof e->detail, "%s", v.msg);
	} else if (st == HS_ERR_UNSUPPORTED) {
		e->status = HS_ERR_UNSUPPORTED;
		snprintf(e->why, sizeof e->why, "unsupported Python %s",
			 e->version[0] ? e->version : "version");
		snprintf(e->detail, sizeof e->detail, "%s", err.msg);
	} else if (e->by_name) {
		/* allowed by every rule, yet its files were unreadable */
		e->status = st == HS_OK ? HS_ERR_PERMISSION : st;
		snprintf(e->why, sizeof e->why, "its files are unreadable");
		snprintf(e->detail, sizeof e->detail, "%s", err.msg);
	} else {
		e->status = HS_OK;
		snprintf(e->why, sizeof e->why, "yes");
	}
	return 1;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct ps_entry *x = a, *y = b;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

enum hs_status pslist_scan(struct ps_entry **out, size_t *n, struct hs_err *err)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir("/proc");
	if (!d)
		return hs_fail(err, HS_ERR_READ, "cannot list /proc: %s (is /proc mounted? "
			       "`mount -t proc proc /proc`)", strerror(errno));
	struct ps_entry *v = NULL, *e = malloc(sizeof *e);
	size_t cnt = 0, cap = 0;
	pid_t self = getpid();
	struct dirent *de;
	if (!e) {
		closedir(d);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid == self)
			continue;
		if (!inspect((pid_t)pid, e))
			continue;
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct ps_entry *nv = realloc(v, ncap * sizeof *nv);
			if (!nv) {
				free(v);
				free(e);
				closedir(d);
				return hs_fail(err, HS_ERR_NOMEM, "out of memory");
			}
			v = nv;
			cap = ncap;
		}
		v[cnt++] = *e;
	}
	closedir(d);
	free(e);
	if (cnt > 1)
		qsort(v, cnt, sizeof *v, cmp_pid);
	*out = v;
	*n = cnt;
	return HS_OK;
}
