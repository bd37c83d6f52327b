/* source — where the explorer's snapshots come from (supplied by cli/).
 * Split from tui.h so that the session (tui/session.c) does not include the
 * explorer's entry point, which includes the views, which include the
 * session.
 */
#ifndef HS_TUI_SOURCE_H
#define HS_TUI_SOURCE_H

#include <stddef.h>

#include "err.h"
#include "heap.h"
#include "snapshot.h"

/* Where snapshots come from.  Every callback gets `arg`. */
struct tui_source {
	/* Take a snapshot and its census (target frozen only inside). */
	enum hs_status (*take)(void *arg, struct hs_snapshot **s, struct heap **h,
			       struct hs_err *err);
	/* Free what take() returned. */
	void (*release)(void *arg, struct hs_snapshot *s, struct heap *h);
	/* Resident set size of the target now, in bytes; 0 if unknown. May be NULL. */
	unsigned long long (*rss)(void *arg);
	/* The target's command line, NUL-terminated, for the overview. May be NULL. */
	void (*cmdline)(void *arg, char *buf, size_t cap);
	void *arg;
	/* The first snapshot is a baseline (--baseline OLDER): the explorer
	 * records it and takes() the one to explore at once, so its deltas and
	 * new objects are against the baseline. */
	int baseline;
};

#endif
