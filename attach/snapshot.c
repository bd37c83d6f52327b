#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "container.h"
#include "maps.h"
#include "proc.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

enum hs_status snap_take(pid_t pid, const struct live_opts *opts,
			 struct hs_snapshot **out, struct hs_err *err)
{
	double t0 = now_ms();
	struct mem_map *maps = NULL;
	size_t n = 0;
	enum hs_status st;
	struct hs_snapshot *s = calloc(1, sizeof *s);

	*out = NULL;
	if (!s)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	s->pid = pid;
	if ((st = proc_check_exists(pid, err)) != HS_OK)
		goto fail;
	if ((st = proc_read_maps(pid, &maps, &n, err)) != HS_OK)
		goto fail;
	/* Identify the interpreter from its files before stopping anything. */
	st = py_find_runtime(pid, maps, n, &s->rt, err);
	proc_maps_free(maps, n);
	char state = st != HS_OK ? proc_state(pid) : 'R';
	if ((st == HS_ERR_NOT_PYTHON || st == HS_ERR_READ) && n > 0 && proc_is_exiting(pid)) {
		/* It died while we read its files (a zombie, or killed and
		 * releasing them right now): say that, not "not Python". */
		st = hs_fail(err, HS_ERR_NO_PROCESS, "PID %d has exited (a zombie, "
			     "or it died while heapscope read its files)", (int)pid);
	} else if (st == HS_ERR_NOT_PYTHON && n == 0 && !proc_is_kernel_thread(pid)) {
		/* No mappings at all: not "not Python" but a process that has
		 * exited (a zombie) or is being torn down right now. */
		st = state == 'Z' || state == 'X' || state == 0
			? hs_fail(err, HS_ERR_NO_PROCESS, "PID %d has exited (a zombie "
				  "waiting for its parent to reap it)", (int)pid)
			: hs_fail(err, HS_ERR_TARGET_CHANGED, "PID %d has no memory "
				  "mappings: it is exiting; retry", (int)pid);
	}
	if (st != HS_OK)
		goto fail;
	/* Refuse an unknown version before stopping anything (no memory
	 * yet: the debug offsets are applied after the copy). */
	if ((st = layout_for(&s->rt, NULL, &s->L, s->layout_note, sizeof s->layout_note,
			     err)) != HS_OK)
		goto fail;
	if ((st = live_snapshot(pid, opts, &s->mem, err)) != HS_OK)
		goto fail;
	if ((st = layout_for(&s->rt, s->mem, &s->L, s->layout_note, sizeof s->layout_note,
			     err)) != HS_OK)
		goto fail;
	if ((st = layout_fit(&s->rt, s->mem, &s->L, &s->roots, s->layout_note,
			     sizeof s->layout_note, err)) != HS_OK)
		goto fail;
	/* Where it lives, for headers that show both PIDs. */
	struct ctr_info ci;
	ctr_inspect(pid, &ci);
	s->ns_pid = ci.ns_pid;
	snprintf(s->container, sizeof s->container, "%s", ci.label);
	s->took_ms = now_ms() - t0;
	s->attempts = 1;
	*out = s;
	return HS_OK;
fail:
	snap_free(s);
	return st;
}

enum hs_status snap_retake(struct hs_snapshot *s, const struct live_opts *opts,
			   struct hs_err *err)
{
	double t0 = now_ms();
	if (s->mem) {
		s->retry_pause_ms += mem_info(s->mem)->pause_ms;
		memsrc_free(s->mem);
		s->mem = NULL;
	}
	s->attempts++;
	memset(&s->roots, 0, sizeof s->roots);
	s->layout_note[0] = 0;
	enum hs_status st = live_snapshot(s->pid, opts, &s->mem, err);
	if (st == HS_OK)
		st = layout_for(&s->rt, s->mem, &s->L, s->layout_note, sizeof s->layout_note, err);
	if (st == HS_OK)
		st = layout_fit(&s->rt, s->mem, &s->L, &s->roots, s->layout_note,
				sizeof s->layout_note, err);
	if (st != HS_OK) {
		memsrc_free(s->mem);
		s->mem = NULL;
	}
	s->took_ms += now_ms() - t0;
	return st;
}

void snap_free(struct hs_snapshot *s)
{
	if (!s)
		return;
	memsrc_free(s->mem);
	free(s->file);
	free(s->hostname);
	free(s->cmdline);
	free(s->exe);
	free(s->writer);
	free(s);
}
