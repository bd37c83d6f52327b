/* draw — the only place that decides how text looks on the terminal.
 *
 * Everything a view puts on screen goes through draw_text(): it cleans the
 * text (control bytes, invalid UTF-8, and — when the locale is not UTF-8 —
 * every non-ASCII character become '?'), measures it in terminal cells and
 * cuts it to the column with an ellipsis, so a long or hostile value from
 * the target can never break the layout.
 *
 * Looks are named roles, not colours: with colours (and no NO_COLOR) a
 * role gets a colour pair; without, it falls back to A_REVERSE / A_BOLD,
 * which vt100 and `screen` both render.
 */
#ifndef HS_TUI_DRAW_H
#define HS_TUI_DRAW_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "fmt.h"   /* fmt_bytes */

enum role {
	ROLE_NORMAL,
	ROLE_STATUS,     /* the top status bar */
	ROLE_CRUMB,      /* the breadcrumb line */
	ROLE_HEADER,     /* column titles */
	ROLE_CURSOR,     /* the selected row */
	ROLE_SECTION,    /* headings inside a screen */
	ROLE_DIM,        /* secondary text (addresses, hints) */
	ROLE_GROW,       /* a positive delta */
	ROLE_SHRINK,     /* a negative delta */
	ROLE_ERROR,      /* error messages */
	ROLE_KEY,        /* key names in the footer */
	ROLE__COUNT
};

/* GL_OPEN / GL_CLOSED: a tree node shown unfolded / folded; GL_BAR and
 * GL_THUMB: a scrollbar's track and thumb. */
enum glyph { GL_ARROW, GL_ELLIPSIS, GL_CRUMB, GL_DELTA, GL_BAR, GL_DOWN, GL_UP,
	     GL_OPEN, GL_CLOSED, GL_THUMB, GL__COUNT };

/* After initscr(): colour pairs (unless NO_COLOR or no colours) and the
 * glyph set (UTF-8 only when the locale's codeset is UTF-8). */
void draw_init(void);
int draw_utf8(void);
int draw_colors(void);
attr_t draw_attr(enum role r);
const char *draw_glyph(enum glyph g);

/* Terminal cells `s` takes once cleaned. */
int draw_width(const char *s);

/* Draw s at (y, x) in at most w cells with attribute a; text that does not
 * fit is cut and ends in an ellipsis.  Returns the cells used. */
int draw_text(int y, int x, int w, const char *s, attr_t a);
/* Same, followed by `mark` (a flag like "~"), which is never cut: s
 * gives up cells for it.  mark NULL or "": plain draw_text(). */
int draw_text_mark(int y, int x, int w, const char *s, const char *mark, attr_t a);
/* Same, right-aligned in the w cells (numbers). */
int draw_rtext(int y, int x, int w, const char *s, attr_t a);
/* Same, but when s does not fit keep its *end* ("…› Request › 0x7f…"). */
int draw_text_tail(int y, int x, int w, const char *s, attr_t a);
/* w blank cells with attribute a (bars, the cursor row). */
void draw_fill(int y, int x, int w, attr_t a);
/* s word-wrapped to w cells from line y, on at most maxl lines (words
 * longer than w are cut, '\n' breaks); when it needs more, the last line
 * ends in an ellipsis.  Returns the lines used. */
int draw_wrap(int y, int x, int w, int maxl, const char *s, attr_t a);
/* s without its first n characters (UTF-8 sequences kept whole): the
 * text of a long value scrolled right by n (> <). */
const char *draw_skip(const char *s, int n);
/* Lines draw_wrap() would need for s at width w (no limit). */
int draw_wrap_lines(int w, const char *s);

/* ==== Columns ==== */

struct column {
	const char *title;
	int width;       /* cells; the flexible column's minimum */
	int right;       /* right-aligned (numbers) */
	int prio;        /* drop higher prio values first when narrow (equal ones
	                    together); 0 = never */
	int flex;        /* takes the remaining width (one per table) */
	int off;         /* not shown at all (no data for it yet) */
};

/* Lay out n columns in `total` cells (1 blank between columns): columns
 * are dropped highest prio first until the rest fit; the flex column gets
 * what is left.  x[i] < 0 marks a dropped column. */
void columns_layout(const struct column *c, int n, int total, int *x, int *w);
/* The column titles, laid out as columns_layout() said. */
void columns_header(int y, const struct column *c, int n, const int *x,
		    const int *w, attr_t a);

/* ==== Numbers ==== */

/* "+1,234" / "-12" / "0" */
const char *fmt_delta(int64_t n, char *buf, size_t cap);
/* "+12.3 MiB" / "-512 B" */
const char *fmt_dbytes(int64_t n, char *buf, size_t cap);
/* "3s" / "4m05s" / "2h03m" */
const char *fmt_age(double seconds, char *buf, size_t cap);

#endif
