/* tui — the ncurses explorer (`heapscope PID`).
 *
 * The explorer never touches the target itself: it asks a `tui_source`
 * (supplied by cli/, which owns attach/) for a snapshot + census, then
 * answers every question from that private copy through model/.  The
 * target is stopped only inside source->take(), for the bulk copy; while
 * the UI waits for a key the target runs.
 *
 * tui_main() owns the terminal from initscr() to endwin().  SIGINT,
 * SIGTERM and SIGHUP end the loop cleanly (terminal restored, memory
 * freed) and are then re-raised so the exit status tells what happened;
 * SIGSEGV/SIGABRT/SIGBUS/SIGFPE restore the terminal with async-signal-safe
 * writes before dying.
 */
#ifndef HS_TUI_H
#define HS_TUI_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"
#include "heap.h"
#include "snapshot.h"
#include "source.h"

/* Run the explorer on a first snapshot already taken with src->take()
 * (so that errors like "permission denied" are reported on stderr before
 * the screen is taken over).  Ownership of s and h passes to the TUI.
 * Returns 0 on a normal quit; when a terminating signal ended the loop,
 * returns after restoring the terminal with *sig set to that signal so
 * the caller can clean up (stop a demo target) and re-raise it. */
int tui_main(const struct tui_source *src, struct hs_snapshot *s,
	     struct heap *h, int *sig);

#endif
