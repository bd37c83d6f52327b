/* termdb — terminfo entries built into heapscope, for hosts without a
 * terminfo database (a minimal container, an empty chroot holding only
 * the static binary).
 *
 * Built in: xterm, xterm-256color, screen, tmux, tmux-256color, linux,
 * vt100 (the build machine's compiled entries, see scripts/gen-terminfo.py).
 * The host's own database still comes first; a built-in entry is used
 * only when the host has none.  Any other TERM the host does not know
 * falls back to vt100, with a note.
 *
 * How ncurses finds them: after failing to find TERM in the database,
 * setupterm() asks _nc_fallback2() for a compiled-in entry (ncurses'
 * --with-fallbacks hook).  Debian's libtinfo.a has an empty one in its own
 * archive member (fallback.o); heapscope defines the function itself, so
 * a static link takes ours and never pulls that member in, and ours parses
 * the embedded bytes with ncurses' own _nc_read_termtype().  Nothing is
 * written anywhere: no temporary files, no writable file system needed.
 */
#ifndef HS_TUI_TERMDB_H
#define HS_TUI_TERMDB_H

#include <stddef.h>

struct termdb_entry {
	const char *name;            /* the primary name ("xterm-256color") */
	const char *aliases;         /* the entry's names line: "a|b|description" */
	const unsigned char *data;   /* the compiled entry, as tic wrote it */
	size_t len;
};

extern const struct termdb_entry termdb_builtin[];
extern const size_t termdb_nbuiltin;

/* Before curses starts: when $TERM is unset or neither the host's database
 * nor the built-ins know it, set TERM=vt100 and remember a note.  Call
 * once, before initscr(). */
void termdb_prepare(void);

/* The note ("TERM=foo is unknown here; using the built-in vt100"), or NULL
 * when TERM was fine.  Shown in the explorer's footer at start. */
const char *termdb_note(void);

/* After curses has ended: repeat the note on stderr, where it stays. */
void termdb_note_after(void);

/* Is name one of the built-in entries (or an alias of one)?  Tests. */
int termdb_is_builtin(const char *name);

#endif
