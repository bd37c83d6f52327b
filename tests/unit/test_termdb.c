/* test_termdb — the built-in terminfo entries (tui/termdb.h).
 *
 * Each built-in entry, as parsed by ncurses from the embedded bytes
 * through the _nc_fallback2() hook, must say what this machine's terminfo
 * database says for the same terminal (cursor addressing, colours, the
 * alternate screen, keys).  Names and aliases resolve, others do not, and
 * termdb_prepare() turns an unknown TERM into vt100 with a note.  That the
 * static binary really uses them with no database at all is tested in
 * tests/integration/test_static.py (an empty root).
 *
 * Exit 0 = pass, 1 = failure.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define NCURSES_INTERNALS 1
#if __has_include(<ncursesw/term.h>)
#include <ncursesw/term.h>
#else
#include <ncurses/term.h>
#endif

#include "termdb.h"

const TERMTYPE2 *_nc_fallback2(const char *name);

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		failures++; \
	} \
} while (0)

static int index_of(NCURSES_CONST char *const *names, const char *cap)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], cap))
			return i;
	return -1;
}

static void compare(const char *name)
{
	static const char *strs[] = {"cup", "clear", "smcup", "rmcup", "sgr0", "setaf", "kcuu1",
				     "kcud1", "khome", "kend", "smkx", "el", "bold", "rev"};
	/* (not cols/lines: setupterm replaces them with the window size) */
	static const char *nums[] = {"colors", "pairs", "it"};
	static const char *flags[] = {"am", "xenl", "bce"};
	const TERMTYPE2 *tt = _nc_fallback2(name);
	int err = 0;

	CHECK(tt != NULL, "%s: no built-in entry", name);
	if (!tt)
		return;
	CHECK(!strncmp(tt->term_names, name, strlen(name)), "%s: names '%s'", name, tt->term_names);
	/* the database's entry, for comparison */
	if (setupterm((char *)name, STDOUT_FILENO, &err) != OK) {
		fprintf(stderr, "FAIL %s: not in this machine's database (err %d)\n", name, err);
		failures++;
		return;
	}
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
		int k = index_of(strnames, strs[i]);
		const char *db = tigetstr((char *)strs[i]);
		const char *bi = k >= 0 && k < tt->num_Strings ? tt->Strings[k] : NULL;
		if (db == (char *)-1 || db == NULL)
			CHECK(bi == NULL, "%s.%s: built-in has one, database not", name, strs[i]);
		else
			CHECK(bi && !strcmp(db, bi), "%s.%s: database '%s' built-in '%s'", name,
			      strs[i], db, bi ? bi : "(none)");
	}
	for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
		int k = index_of(numnames, nums[i]);
		CHECK(k >= 0 && tt->Numbers[k] == tigetnum((char *)nums[i]), "%s.%s: %d vs %d",
		      name, nums[i], k >= 0 ? tt->Numbers[k] : -9, tigetnum((char *)nums[i]));
	}
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
		int k = index_of(boolnames, flags[i]);
		CHECK(k >= 0 && tt->Booleans[k] == tigetflag((char *)flags[i]), "%s.%s", name,
		      flags[i]);
	}
	del_curterm(cur_term);
}

int main(void)
{
	static const char *want[] = {"xterm", "xterm-256color", "screen", "tmux", "tmux-256color",
				     "linux", "vt100"};
	if (!isatty(STDOUT_FILENO) && !freopen("/dev/null", "w", stdout))
		return 1;
	CHECK(termdb_nbuiltin == sizeof want / sizeof *want, "%zu entries", termdb_nbuiltin);
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		CHECK(termdb_is_builtin(want[i]), "%s not built in", want[i]);
		compare(want[i]);
	}
	CHECK(termdb_is_builtin("vt100-am") && _nc_fallback2("vt100-am") == _nc_fallback2("vt100"),
	      "alias vt100-am");
	CHECK(!termdb_is_builtin("xterm-kitty") && !_nc_fallback2("xterm-kitty"), "kitty");
	CHECK(!_nc_fallback2("") && !_nc_fallback2("xterm with 256 colors"), "description");

	setenv("TERM", "no-such-terminal-xyz", 1);
	termdb_prepare();
	CHECK(!strcmp(getenv("TERM"), "vt100") && termdb_note() &&
	      strstr(termdb_note(), "TERM=no-such-terminal-xyz") && strstr(termdb_note(), "vt100"),
	      "unknown TERM: %s / %s", getenv("TERM"), termdb_note() ? termdb_note() : "(no note)");
	unsetenv("TERM");
	termdb_prepare();
	CHECK(!strcmp(getenv("TERM"), "vt100") && termdb_note() && strstr(termdb_note(), "not set"),
	      "unset TERM");
	setenv("TERM", "tmux-256color", 1);
	termdb_prepare();
	CHECK(!strcmp(getenv("TERM"), "tmux-256color") && !termdb_note(), "known TERM");
	if (failures) {
		fprintf(stderr, "%d failure(s)\n", failures);
		return 1;
	}
	fprintf(stderr, "ok\n");
	return 0;
}
