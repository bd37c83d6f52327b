/* keys — default key bindings as data, and the help text made from them.
 *
 * Key scheme (documented in the help screen, generated below):
 *   arrows and vi keys move; g/G go to top/bottom like less, so "jump to
 *   address" is `:` (vim's command key) rather than g.  Screens have a
 *   letter and a digit (htop-like F-key muscle memory without F-keys,
 *   which vt100 and some ssh clients lack).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"

#define CTRL(c) ((c) & 0x1f)

static const struct binding {
	int key;
	enum request req;
	const char *name;   /* how the help shows the key */
} bindings[] = {
	{KEY_UP, REQ_MOVE_UP, "Up"},       {'k', REQ_MOVE_UP, "k"},
	{KEY_DOWN, REQ_MOVE_DOWN, "Down"}, {'j', REQ_MOVE_DOWN, "j"},
	{KEY_PPAGE, REQ_PAGE_UP, "PgUp"},  {CTRL('b'), REQ_PAGE_UP, "^B"},
	{KEY_NPAGE, REQ_PAGE_DOWN, "PgDn"}, {CTRL('f'), REQ_PAGE_DOWN, "^F"},
	/* Space, Left and h have a tree meaning in tree screens (Dominators)
	 * and fall back to page down / back elsewhere (tui.c's defaults). */
	{' ', REQ_TOGGLE, "Space"},
	{'>', REQ_SCROLL_RIGHT, ">"},      {'<', REQ_SCROLL_LEFT, "<"},
	{KEY_HOME, REQ_MOVE_FIRST, "Home"}, {'g', REQ_MOVE_FIRST, "g"},
	{KEY_END, REQ_MOVE_LAST, "End"},   {'G', REQ_MOVE_LAST, "G"},
	{'\n', REQ_ENTER, "Enter"}, {'\r', REQ_ENTER, NULL}, {KEY_ENTER, REQ_ENTER, NULL},
	{KEY_RIGHT, REQ_ENTER, "Right"},   {'l', REQ_ENTER, "l"},
	{KEY_BACKSPACE, REQ_BACK, "Backspace"}, {127, REQ_BACK, NULL}, {CTRL('h'), REQ_BACK, NULL},
	{27, REQ_BACK, "Esc"},
	{KEY_LEFT, REQ_COLLAPSE, "Left"},  {'h', REQ_COLLAPSE, "h"},
	{'o', REQ_VIEW_OVERVIEW, "o"},     {'1', REQ_VIEW_OVERVIEW, "1"},
	{'t', REQ_VIEW_TYPES, "t"},        {'2', REQ_VIEW_TYPES, "2"},
	{'T', REQ_VIEW_THREADS, "T"},      {'3', REQ_VIEW_THREADS, "3"},
	{'i', REQ_VIEW_INSPECT, "i"},
	{'b', REQ_VIEW_REFERRERS, "b"},
	{'w', REQ_TOGGLE_SPLIT, "w"},
	{'D', REQ_VIEW_DOMINATORS, "D"},   {'4', REQ_VIEW_DOMINATORS, "4"},
	{'S', REQ_VIEW_SUSPECTS, "S"},     {'5', REQ_VIEW_SUSPECTS, "5"},
	{'M', REQ_VIEW_MEMORY, "M"},       {'6', REQ_VIEW_MEMORY, "6"},
	{'L', REQ_VIEW_SITES, "L"},        {'7', REQ_VIEW_SITES, "7"},
	{':', REQ_JUMP_ADDRESS, ":"},
	{'?', REQ_VIEW_HELP, "?"},         {KEY_F(1), REQ_VIEW_HELP, "F1"},
	{'O', REQ_SORT_MENU, "O"},        {KEY_F(6), REQ_SORT_MENU, "F6"},
	{'s', REQ_SORT_SIZE, "s"},
	{'c', REQ_SORT_COUNT, "c"},
	{'m', REQ_SORT_AVG, "m"},
	{'a', REQ_SORT_NAME, "a"},
	{'e', REQ_SORT_GEN, "e"},
	{'d', REQ_SORT_DELTA, "d"},
	{'f', REQ_SORT_REFCNT, "f"},
	{'A', REQ_SORT_ADDR, "A"},
	{'R', REQ_SORT_RETAINED, "R"},
	{'I', REQ_SORT_REVERSE, "I"},
	{'/', REQ_FILTER, "/"},
	{'n', REQ_SEARCH_NEXT, "n"},         {'N', REQ_SEARCH_PREV, "N"},
	{'r', REQ_REFRESH, "r"},
	{'q', REQ_QUIT, "q"},              {CTRL('c'), REQ_QUIT, NULL},
};

#define NBINDINGS (sizeof bindings / sizeof *bindings)

static const struct reqinfo {
	const char *section, *help;
} reqinfo[REQ__COUNT] = {
#define REQ_ROW(name, section, help) [REQ_##name] = {section, help},
	REQ_INFO(REQ_ROW)
#undef REQ_ROW
};

enum request keys_request(int ch)
{
	for (size_t i = 0; i < NBINDINGS; i++)
		if (bindings[i].key == ch)
			return bindings[i].req;
	return REQ_NONE;
}

const char *keys_for(enum request req)
{
	static char buf[REQ__COUNT][48];
	char *b = buf[req];

	if (b[0])
		return b;
	for (size_t i = 0; i < NBINDINGS; i++) {
		if (bindings[i].req != req || !bindings[i].name)
			continue;
		size_t len = strlen(b);
		snprintf(b + len, sizeof buf[req] - len, "%s%s", len ? " " : "",
			 bindings[i].name);
	}
	return b;
}

/* Built once: the help screen asks for it every time it opens. */
size_t keys_help_lines(const char ***out)
{
	static const char **lines;
	static size_t n;
	static char storage[REQ__COUNT * 2][112];
	const char *section = NULL;

	if (!lines) {
		lines = calloc(REQ__COUNT * 2, sizeof *lines);
		if (!lines)
			return 0;
		for (int r = 1; r < REQ__COUNT; r++) {
			const struct reqinfo *ri = &reqinfo[r];
			if (!ri->section)
				continue;
			if (!section || strcmp(section, ri->section)) {
				section = ri->section;
				lines[n++] = section;
			}
			snprintf(storage[n], sizeof storage[n], "  %-22s %s",
				 keys_for((enum request)r), ri->help);
			lines[n] = storage[n];
			n++;
		}
	}
	*out = lines;
	return n;
}
