/* snapshot — from a PID to everything model/ needs: a frozen-and-copied
 * memsrc, the runtime's address and version, and the field layout.
 *
 * Order matters for the target: every check that can fail without
 * touching the target (PID exists, /proc readable, a supported CPython)
 * runs before the freeze, so a wrong PID or a Node.js process is never
 * stopped.  The freeze itself is live_snapshot()'s job.
 */
#ifndef HS_SNAPSHOT_H
#define HS_SNAPSHOT_H

#include "err.h"
#include "layout.h"
#include "live.h"
#include "memsrc.h"
#include "pyfind.h"

struct hs_snapshot {
	pid_t pid;
	pid_t ns_pid;            /* the PID inside its own PID namespace (NSpid);
				    == pid when it shares ours, 0 unknown */
	char container[48];      /* ctr_info.label: "docker:3f2a..", "pidns", "-" */
	memsrc *mem;
	struct py_runtime_info rt;
	struct py_layout L;
	struct py_roots roots;   /* main interpreter, GC state (layout_fit) */
	char layout_note[512];   /* how the layout was refined, "" if as built in */
	double took_ms;          /* wall time of the whole snap_take() */
	int attempts;            /* copies taken for this snapshot (1 + retries, see
				    cli_open); 1 unless a retry was needed */
	double retry_pause_ms;   /* the target's stops spent on discarded copies */
	/* Read from a snapshot file (attach/snapfile.c): its path, and what
	 * the file says about the process; all NULL / 0 for a live one. */
	char *file;
	char *hostname, *cmdline, *exe, *writer;
	uint64_t rss;            /* VmRSS when it was saved */
	char source_kind[16];    /* how the file's snapshot was taken ("live") */
	/* Symbols the graph uses (model/graph.c), as the saving heapscope
	 * found them: set for files, where the ELF files are not at hand. */
	int syms_known;
	raddr_t sym_subtype_traverse, sym_lookdict;
};

enum hs_status snap_take(pid_t pid, const struct live_opts *opts,
			 struct hs_snapshot **out, struct hs_err *err);
/* A new freeze and copy of the same process and interpreter, replacing
 * s->mem (and the layout): the retry when a copy caught the interpreter
 * in the middle of a collection or an update.  Counts the attempt and the
 * discarded copy's pause.  On failure s keeps no memory (s->mem NULL). */
enum hs_status snap_retake(struct hs_snapshot *s, const struct live_opts *opts,
			   struct hs_err *err);
void snap_free(struct hs_snapshot *s);
/* A snapshot file or a live process? */
static inline int snap_is_file(const struct hs_snapshot *s) { return s->file != NULL; }

#endif
