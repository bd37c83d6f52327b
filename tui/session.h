/* session — the model side of the explorer: the current snapshot and its
 * census, the object graph (built on first use: it costs more than the
 * census), and per-type deltas against the previous snapshot.
 *
 * Views hold addresses, never indices into a census, because `r` replaces
 * the census under them; after a refresh every view reopens itself from
 * its addresses (see view.h).
 */
#ifndef HS_TUI_SESSION_H
#define HS_TUI_SESSION_H

#include <stdint.h>

#include "graph.h"
#include "heap.h"
#include "snapshot.h"
#include "tui.h"

struct session {
	const struct tui_source *src;
	struct hs_snapshot *s;
	struct heap *h;
	struct graph *g;            /* NULL until session_graph() */
	struct hs_err graph_err;    /* why the graph could not be built */
	int graph_failed;
	unsigned long long rss;     /* at snapshot time; 0 unknown */
	int nsnap;                  /* snapshots taken so far (1 = first) */
	/* Deltas: indexed by type row of the current census; valid when has_prev. */
	int has_prev;
	int64_t *dcount, *dsize;
	double prev_taken_at;
};

/* Adopt a first snapshot (the TUI owns s and h from now on). */
void session_init(struct session *ss, const struct tui_source *src,
		  struct hs_snapshot *s, struct heap *h);
void session_fini(struct session *ss);

/* Take a new snapshot and compute per-type deltas against the current
 * one, which it replaces.  On error the current snapshot stays. */
enum hs_status session_refresh(struct session *ss, struct hs_err *err);

/* The object graph, built on first call; NULL when it cannot be built
 * (ss->graph_err says why).  Before model/graph.c exists this is a stub
 * that always fails with a clear message. */
struct graph *session_graph(struct session *ss);

/* Seconds since the snapshot's copy ended. */
double session_age(const struct session *ss);

/* "module.qualname", or just "qualname" for builtins. */
const char *session_type_name(const struct pytype *t, char *buf, size_t cap);

/* Row index of the type object at addr in the current census, or -1. */
long session_type_row(struct session *ss, raddr_t type_addr);

#endif
