/* procmem — /proc/PID/smaps, smaps_rollup, pagemap, task/TID/syscall.
 * See procmem.h. */
#include "procmem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int header_line(const char *l, struct pm_map *m)
{
	unsigned long long s, e, off, ino;
	char perm[8], dev[16];
	int n = 0;
	if (sscanf(l, "%llx-%llx %7s %llx %15s %llu %n", &s, &e, perm, &off, dev, &ino, &n) < 6)
		return 0;
	memset(m, 0, sizeof *m);
	m->start = s;
	m->end = e;
	m->prot = (perm[0] == 'r' ? PROT_READ : 0) | (perm[1] == 'w' ? PROT_WRITE : 0) |
		  (perm[2] == 'x' ? PROT_EXEC : 0);
	m->shared = perm[3] == 's';
	const char *p = l + n;
	while (*p == ' ')
		p++;
	size_t len = strcspn(p, "\n");
	if (len)
		m->path = strndup(p, len);
	return 1;
}

int pm_smaps_read(pid_t pid, struct pm_smaps *out)
{
	char path[64], line[4096 + 256];
	memset(out, 0, sizeof *out);
	snprintf(path, sizeof path, "/proc/%d/smaps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t cap = 0;
	struct pm_map *cur = NULL;
	while (fgets(line, sizeof line, f)) {
		unsigned long long kb;
		if (line[0] >= 'A' && line[0] <= 'Z' && strchr(line, ':')) {
			if (!cur)
				continue;
			if (sscanf(line, "Rss: %llu kB", &kb) == 1)
				cur->rss = kb * 1024, out->rss += kb * 1024;
			else if (sscanf(line, "Anonymous: %llu kB", &kb) == 1)
				cur->anon = kb * 1024;
			else if (sscanf(line, "Swap: %llu kB", &kb) == 1)
				cur->swap = kb * 1024;
			else if (sscanf(line, "Shared_Clean: %llu kB", &kb) == 1 && cur->shared)
				cur->shmem += kb * 1024;
			else if (sscanf(line, "Shared_Dirty: %llu kB", &kb) == 1 && cur->shared)
				cur->shmem += kb * 1024;
			continue;
		}
		if (out->n == cap) {
			cap = cap ? 2 * cap : 256;
			struct pm_map *nm = realloc(out->maps, cap * sizeof *nm);
			if (!nm) {
				fclose(f);
				pm_smaps_free(out);
				errno = ENOMEM;
				return -1;
			}
			out->maps = nm;
		}
		if (header_line(line, &out->maps[out->n]))
			cur = &out->maps[out->n++];
	}
	fclose(f);
	return 0;
}

void pm_smaps_free(struct pm_smaps *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->maps[i].path);
	free(s->maps);
	memset(s, 0, sizeof *s);
}

uint64_t pm_rollup_rss(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	unsigned long long kb = 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Rss: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb * 1024;
}

int pm_pagemap_open(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/pagemap", (int)pid);
	return open(path, O_RDONLY | O_CLOEXEC);
}

#define PM_PRESENT (1ULL << 63)

uint64_t pm_resident(int fd, raddr_t start, raddr_t end)
{
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t page = ps > 0 ? (uint64_t)ps : 4096;
	if (end <= start)
		return 0;
	if (fd < 0)
		return end - start;
	uint64_t first = start / page, last = (end + page - 1) / page, res = 0;
	uint64_t ent[512];
	for (uint64_t p = first; p < last;) {
		size_t want = last - p < 512 ? (size_t)(last - p) : 512;
		ssize_t got = pread(fd, ent, want * 8, (off_t)(p * 8));
		if (got <= 0)
			return res;
		size_t k = (size_t)got / 8;
		for (size_t i = 0; i < k; i++)
			if (ent[i] & PM_PRESENT) {
				/* clip the first and the last page to the range */
				uint64_t ps0 = (p + i) * page, pe = ps0 + page;
				uint64_t s = ps0 < start ? start : ps0, e = pe > end ? end : pe;
				res += e - s;
			}
		p += k;
	}
	return res;
}

size_t pm_thread_sps(pid_t pid, raddr_t *sp, size_t max, size_t *nthreads)
{
	char path[64];
	size_t n = 0;
	*nthreads = 0;
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		(*nthreads)++;
		char sp_path[384], buf[512];
		snprintf(sp_path, sizeof sp_path, "/proc/%d/task/%s/syscall", (int)pid, de->d_name);
		int fd = open(sp_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t got = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (got <= 0)
			continue;
		buf[got] = 0;
		/* "nr arg1 .. arg6 sp pc": the 8th field */
		char *tok, *save = NULL;
		int i = 0;
		unsigned long long v = 0;
		for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save), i++)
			if (i == 7) {
				v = strtoull(tok, NULL, 16);
				break;
			}
		if (i == 7 && v && n < max)
			sp[n++] = v;
	}
	closedir(d);
	return n;
}
