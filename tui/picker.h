/* picker — "which Python?": the explorer's first screen when heapscope is
 * started without a PID in a terminal.
 *
 * It lists what `heapscope ps` lists (PID, PID inside its namespace, user,
 * version, RSS, container, whether we can attach and why not), filters as
 * you type (/), rescans (r), and on Enter takes the first snapshot of the
 * chosen process.  A refusal (permission, unsupported version) is shown
 * under the list, with its fix, and the picker stays; on success the
 * snapshot is handed to the explorer (tui_main).
 *
 * Like the explorer, it never touches a process itself: the rows and the
 * snapshot come from a `picker_source` that cli/ supplies.  Keys go through
 * keys.c's requests, and $HEAPSCOPE_TUI_SCRIPT drives it as it drives the
 * explorer (the same script carries on into the explorer).
 */
#ifndef HS_TUI_PICKER_H
#define HS_TUI_PICKER_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"
#include "heap.h"
#include "pslist.h"
#include "snapshot.h"

struct picker_source {
	/* The Python processes now (*rows malloc()ed; the picker frees it). */
	enum hs_status (*scan)(void *arg, struct ps_entry **rows, size_t *n,
			       struct hs_err *err);
	/* The first snapshot of pid and its census (frozen only inside). */
	enum hs_status (*take)(void *arg, pid_t pid, struct hs_snapshot **s,
			       struct heap **h, struct hs_err *err);
	void *arg;
};

/* Run the picker.  Returns 0 with *pid, *s and *h set (tui_main takes
 * the terminal over next), 1 when the user quit, or an hs_status on a
 * failure to start.  *sig is the quit signal (SIGINT/TERM/HUP) that ended
 * it, or 0; with 0 returned and *sig set, free the snapshot and exit. */
int tui_pick(const struct picker_source *src, pid_t *pid, struct hs_snapshot **s,
	     struct heap **h, int *sig);

#endif
