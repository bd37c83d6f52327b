/* script — scripted keys and screen dumps.  See script.h. */
#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "script.h"

static char **lines;
static size_t nlines, next_line;
static const char *pending;      /* rest of a `key`/`type` line */
static int pending_type;         /* 1: literal text, 0: key names */

int script_load(void)
{
	const char *path = getenv("HEAPSCOPE_TUI_SCRIPT");
	char buf[1024];
	FILE *f;

	if (!path || !*path || lines)
		return 0;   /* none, or already loaded (the picker ran first) */
	if (!(f = fopen(path, "r"))) {
		fprintf(stderr, "heapscope: HEAPSCOPE_TUI_SCRIPT %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\r\n")] = 0;
		char **nl = realloc(lines, (nlines + 1) * sizeof *lines);
		if (!nl || !(nl[nlines] = strdup(buf))) {
			lines = nl ? nl : lines;
			fclose(f);
			return -1;
		}
		lines = nl;
		nlines++;
	}
	fclose(f);
	return 0;
}

int script_active(void)
{
	return pending || next_line < nlines;
}

void script_free(void)
{
	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	lines = NULL;
	nlines = next_line = 0;
	pending = NULL;
}

/* ==== Commands ==== */

static const struct { const char *name; int key; } key_names[] = {
	{"Enter", '\n'}, {"BSpace", KEY_BACKSPACE}, {"Esc", 27}, {"Up", KEY_UP},
	{"Down", KEY_DOWN}, {"Left", KEY_LEFT}, {"Right", KEY_RIGHT},
	{"PgUp", KEY_PPAGE}, {"PgDn", KEY_NPAGE}, {"Home", KEY_HOME},
	{"End", KEY_END}, {"F1", KEY_F(1)}, {"Space", ' '},
};

static int key_by_name(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof key_names / sizeof *key_names; i++)
		if (strlen(key_names[i].name) == len && !strncmp(s, key_names[i].name, len))
			return key_names[i].key;
	return len == 1 ? (unsigned char)s[0] : ERR;
}

/* The screen as UTF-8 text, one line per row, trailing blanks cut. */
static void dump_screen(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	for (int y = 0; y < LINES; y++) {
		char line[4096];
		size_t len = 0;
		for (int x = 0; x < COLS && len + MB_LEN_MAX + 1 < sizeof line; x++) {
			cchar_t cc;
			wchar_t wc[CCHARW_MAX + 1];
			attr_t a;
			short pair;
			if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wc, &a, &pair, NULL) == ERR)
				continue;
			for (int i = 0; wc[i] && len + MB_LEN_MAX < sizeof line; i++) {
				mbstate_t st = {0};
				size_t n = wcrtomb(line + len, wc[i], &st);
				if (n != (size_t)-1)
					len += n;
			}
		}
		while (len && line[len - 1] == ' ')
			len--;
		fprintf(f, "%.*s\n", (int)len, line);
	}
	fclose(f);
}

/* Run a command line; returns a key it produced, or ERR. */
static int run_line(const char *l)
{
	int a, b;
	while (*l == ' ')
		l++;
	if (!strncmp(l, "key ", 4) || !strncmp(l, "type ", 5)) {
		pending_type = l[0] == 't';
		pending = l + (pending_type ? 5 : 4);
		return ERR;
	}
	if (!strncmp(l, "dump ", 5))
		dump_screen(l + 5);
	else if (sscanf(l, "resize %dx%d", &a, &b) == 2 && a > 0 && b > 0) {
		resizeterm(b, a);
		return KEY_RESIZE;
	} else if (sscanf(l, "sleep %d", &a) == 1 && a > 0) {
		struct timespec ts = {a / 1000, (a % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	return ERR;
}

/* The next key of a pending key/type line, or ERR when it is used up. */
static int pending_key(void)
{
	if (pending_type) {
		int c = (unsigned char)*pending;
		pending = *pending && pending[1] ? pending + 1 : NULL;
		return c ? c : ERR;
	}
	while (*pending == ' ')
		pending++;
	size_t len = strcspn(pending, " ");
	int k = len ? key_by_name(pending, len) : ERR;
	pending += len;
	while (*pending == ' ')
		pending++;
	if (!*pending)
		pending = NULL;
	return k;
}

int script_next_key(void)
{
	if (pending)
		return pending_key();
	while (next_line < nlines) {
		const char *l = lines[next_line++];
		if (!*l || *l == '#')
			continue;
		int k = run_line(l);
		if (k != ERR || pending)
			return k != ERR ? k : pending_key();
		return ERR;
	}
	return ERR;
}
