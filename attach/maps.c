/* maps — /proc/PID/maps for the live backend.  See maps.h.
 *
 * Split from proc.c so that proc (the small /proc readers access.c judges
 * with) stays below access (which explains a refused maps read).
 */
#include "maps.h"

#include "access.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* /proc/PID/maps is generated a page at a time, so a target that maps or
 * unmaps while we read it can yield overlapping lines.  Re-read this many
 * times before giving up. */
#define MAPS_ATTEMPTS 5

/* ==== /proc/PID/maps ==== */

/* Parse one maps line into m (path malloc()ed or NULL).  Returns 0, or -1
 * on a malformed line or out of memory (errno EINVAL / ENOMEM). */
static int parse_maps_line(const char *line, struct mem_map *m)
{
	unsigned long long start, end, off, ino;
	unsigned maj, min;
	char perms[5];
	int used = 0;

	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu%n", &start, &end, perms,
		   &off, &maj, &min, &ino, &used) != 7 || strlen(perms) != 4 ||
	    end < start) {
		errno = EINVAL;
		return -1;
	}
	*m = (struct mem_map){.start = start, .end = end, .offset = off,
			      .inode = ino, .shared = perms[3] == 's'};
	m->prot = (perms[0] == 'r' ? PROT_READ : 0) |
		  (perms[1] == 'w' ? PROT_WRITE : 0) |
		  (perms[2] == 'x' ? PROT_EXEC : 0);

	/* The path is everything after the padding, spaces included; the kernel
	 * escapes only '\n'.  " (deleted)" is kept verbatim: a file may really
	 * be called that, and readers only use the path as a label. */
	const char *p = line + used;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t len = strcspn(p, "\n");
	if (len) {
		m->path = strndup(p, len);
		if (!m->path)
			return -1;
	}
	return 0;
}

static int map_cmp(const void *a, const void *b)
{
	const struct mem_map *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sorted and non-overlapping?  Overlaps mean the target changed its layout
 * while the kernel was generating the file. */
static int maps_consistent(const struct mem_map *maps, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (maps[i].start < maps[i - 1].end)
			return 0;
	return 1;
}

static enum hs_status maps_open_error(pid_t pid, int errnum,
				      struct hs_err *err)
{
	if (errnum == ENOENT || errnum == ESRCH)
		return hs_fail(err, HS_ERR_NO_PROCESS,
			       "no process with PID %d (check the PID: `ps -p %d`)",
			       (int)pid, (int)pid);
	if (errnum == EACCES || errnum == EPERM) {
		char what[64];
		snprintf(what, sizeof what, "reading /proc/%d/maps", (int)pid);
		return access_error(pid, what, errnum, err);
	}
	return hs_fail(err, HS_ERR_READ, "reading /proc/%d/maps: %s", (int)pid,
		       strerror(errnum));
}

/* One pass over the file.  On error the partial array is freed. */
static enum hs_status read_maps_once(pid_t pid, struct mem_map **out,
				     size_t *nout, struct hs_err *err)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return maps_open_error(pid, errno, err);

	struct mem_map *maps = NULL;
	size_t n = 0, cap = 0, lineno = 0;
	char *line = NULL;
	size_t linecap = 0;
	enum hs_status st = HS_OK;

	errno = 0;
	while (getline(&line, &linecap, f) > 0) {
		lineno++;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct mem_map *nm = realloc(maps, ncap * sizeof *nm);
			if (!nm) {
				st = hs_fail(err, HS_ERR_NOMEM,
					     "out of memory reading %s", path);
				break;
			}
			maps = nm;
			cap = ncap;
		}
		if (parse_maps_line(line, &maps[n]) != 0) {
			st = errno == ENOMEM
				? hs_fail(err, HS_ERR_NOMEM, "out of memory reading %s", path)
				: hs_fail(err, HS_ERR_INTERNAL,
					  "cannot parse line %zu of %s: \"%.200s\" (please report this)",
					  lineno, path, line);
			break;
		}
		n++;
		errno = 0;
	}
	/* getline returns -1 both at EOF and on a read error (ESRCH when the
	 * process exits mid-read, EACCES on some kernels). */
	if (st == HS_OK && ferror(f) && errno)
		st = maps_open_error(pid, errno, err);
	free(line);
	fclose(f);
	if (st != HS_OK) {
		proc_maps_free(maps, n);
		return st;
	}
	if (n > 1) /* qsort(NULL, 0) is undefined */
		qsort(maps, n, sizeof *maps, map_cmp);
	*out = maps;
	*nout = n;
	return HS_OK;
}

enum hs_status proc_read_maps(pid_t pid, struct mem_map **maps, size_t *n,
			      struct hs_err *err)
{
	*maps = NULL;
	*n = 0;
	for (int attempt = 0; attempt < MAPS_ATTEMPTS; attempt++) {
		enum hs_status st = read_maps_once(pid, maps, n, err);
		if (st != HS_OK)
			return st;
		if (maps_consistent(*maps, *n))
			return HS_OK;
		proc_maps_free(*maps, *n);
		*maps = NULL;
		*n = 0;
	}
	return hs_fail(err, HS_ERR_TARGET_CHANGED,
		       "the memory layout of PID %d kept changing while reading "
		       "/proc/%d/maps; retry when the process is less busy",
		       (int)pid, (int)pid);
}

void proc_maps_free(struct mem_map *maps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(maps[i].path);
	free(maps);
}
