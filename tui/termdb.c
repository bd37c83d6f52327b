/* termdb — built-in terminfo entries; see termdb.h for how ncurses is
 * made to use them. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
/* ncurses' term.h by its full name (tui/term.h shadows <term.h>), with
 * the internal declarations (TERMTYPE2, _nc_read_termtype) visible. */
#define NCURSES_INTERNALS 1
#if __has_include(<ncursesw/term.h>)
#include <ncursesw/term.h>
#else
#include <ncurses/term.h>
#endif

#include "termdb.h"

#ifndef TGETENT_YES
#define TGETENT_YES 1   /* ncurses' "entry found" */
#endif

/* ncurses' fallback hook (tinfo/fallback.c) and entry parser
 * (tinfo/read_entry.c); both are part of libtinfo's ABI. */
const TERMTYPE2 *_nc_fallback2(const char *name);

static char note[200];

/* Does `name` equal one of the '|'-separated names of an entry?  The last
 * field is the description, unless it is the only one. */
static int alias_match(const char *aliases, const char *name)
{
	size_t n = strlen(name);
	const char *p = aliases;
	for (;;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if ((bar || p == aliases) && len == n && !strncmp(p, name, n))
			return 1;
		if (!bar)
			return 0;
		p = bar + 1;
	}
}

static const struct termdb_entry *lookup(const char *name)
{
	if (!name || !*name)
		return NULL;
	for (size_t i = 0; i < termdb_nbuiltin; i++)
		if (!strcmp(termdb_builtin[i].name, name) ||
		    alias_match(termdb_builtin[i].aliases, name))
			return &termdb_builtin[i];
	return NULL;
}

int termdb_is_builtin(const char *name)
{
	return lookup(name) != NULL;
}

const TERMTYPE2 *_nc_fallback2(const char *name)
{
	/* Parsed once, kept for the process: ncurses copies what we return. */
	static TERMTYPE2 parsed[16];
	static signed char state[16];   /* 0 not yet, 1 parsed, -1 bad */
	const struct termdb_entry *e = lookup(name);
	if (!e)
		return NULL;
	size_t i = (size_t)(e - termdb_builtin);
	if (i >= 16)
		return NULL;
	if (!state[i]) {
		/* _nc_read_termtype() takes a char *: give it a private copy. */
		char *buf = malloc(e->len);
		state[i] = -1;
		if (buf) {
			memcpy(buf, e->data, e->len);
			if (_nc_read_termtype(&parsed[i], buf, (int)e->len) == TGETENT_YES)
				state[i] = 1;
			free(buf);
		}
	}
	return state[i] == 1 ? &parsed[i] : NULL;
}

/* Would setupterm() find an entry for name (database or built-in)? */
static int resolvable(const char *name)
{
	int errret = 0;
	TERMINAL *saved = cur_term;
	if (setupterm((char *)name, STDOUT_FILENO, &errret) != OK)
		return 0;
	TERMINAL *t = cur_term;
	set_curterm(saved);
	del_curterm(t);
	return 1;
}

void termdb_prepare(void)
{
	const char *term = getenv("TERM");
	note[0] = 0;
	if (term && *term && resolvable(term))
		return;
	if (term && *term)
		snprintf(note, sizeof note, "TERM=%.40s has no terminfo entry here; using "
			 "the built-in vt100 (built in: xterm, xterm-256color, screen, tmux, "
			 "tmux-256color, linux, vt100)", term);
	else
		snprintf(note, sizeof note, "TERM is not set; using the built-in vt100");
	setenv("TERM", "vt100", 1);
}

const char *termdb_note(void)
{
	return note[0] ? note : NULL;
}

void termdb_note_after(void)
{
	if (note[0])
		fprintf(stderr, "heapscope: note: %s\n", note);
}
