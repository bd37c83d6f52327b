/* draw — text, columns, colours and the ASCII fallback.  See draw.h. */
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"

static int utf8_ok;
static int colors_ok;
static attr_t role_attr[ROLE__COUNT];

static const char *const glyph_utf8[GL__COUNT] = {
	[GL_ARROW] = "\u2192", [GL_ELLIPSIS] = "\u2026", [GL_CRUMB] = " \u203a ",
	[GL_DELTA] = "\u0394", [GL_BAR] = "\u2502", [GL_DOWN] = "\u25be", [GL_UP] = "\u25b4",
	[GL_OPEN] = "\u25be", [GL_CLOSED] = "\u25b8", [GL_THUMB] = "\u2588",
};
static const char *const glyph_ascii[GL__COUNT] = {
	[GL_ARROW] = "->", [GL_ELLIPSIS] = "...", [GL_CRUMB] = " > ",
	[GL_DELTA] = "d", [GL_BAR] = "|", [GL_DOWN] = "v", [GL_UP] = "^",
	[GL_OPEN] = "-", [GL_CLOSED] = "+", [GL_THUMB] = "#",
};

/* ==== Looks ==== */

struct role_look {
	short fg, bg;     /* colour pair when colours are on (-1 = default) */
	attr_t color_extra;
	attr_t mono;      /* what stands in without colours */
};

static const struct role_look looks[ROLE__COUNT] = {
	[ROLE_NORMAL]  = {-1, -1, 0, A_NORMAL},
	[ROLE_STATUS]  = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE},
	[ROLE_CRUMB]   = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
	[ROLE_HEADER]  = {COLOR_BLACK, COLOR_GREEN, 0, A_BOLD | A_UNDERLINE},
	[ROLE_CURSOR]  = {COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
	[ROLE_SECTION] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
	[ROLE_DIM]     = {COLOR_CYAN, -1, 0, A_NORMAL},
	[ROLE_GROW]    = {COLOR_RED, -1, A_BOLD, A_BOLD},
	[ROLE_SHRINK]  = {COLOR_GREEN, -1, 0, A_NORMAL},
	[ROLE_ERROR]   = {COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE},
	[ROLE_KEY]     = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
};

/* NO_COLOR (https://no-color.org): set and non-empty means no colour. */
static int want_colors(void)
{
	const char *nc = getenv("NO_COLOR");
	return !(nc && *nc) && has_colors();
}

void draw_init(void)
{
	const char *cs = nl_langinfo(CODESET);
	utf8_ok = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
	colors_ok = want_colors() && start_color() == OK;
	if (colors_ok)
		use_default_colors();
	for (int r = 0; r < ROLE__COUNT; r++) {
		role_attr[r] = looks[r].mono;
		if (!colors_ok || r == ROLE_NORMAL)
			continue;
		init_pair((short)r, looks[r].fg, looks[r].bg);
		role_attr[r] = COLOR_PAIR(r) | looks[r].color_extra;
	}
}

int draw_utf8(void) { return utf8_ok; }
int draw_colors(void) { return colors_ok; }
attr_t draw_attr(enum role r) { return role_attr[r]; }

const char *draw_glyph(enum glyph g)
{
	return utf8_ok ? glyph_utf8[g] : glyph_ascii[g];
}

/* ==== Cleaning and measuring ==== */

/* One displayable piece of the input: its bytes and its width. */
struct piece {
	char b[8];
	int len, w;
};

/* Decode one UTF-8 sequence at s; returns its length, or 0 when invalid
 * (overlong, surrogate, truncated, out of range). */
static int utf8_decode(const unsigned char *s, unsigned *cp)
{
	int n;
	unsigned c = s[0], min;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
	c &= 0x3f >> (n - 1);
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Next piece of s (which must not be at its NUL); returns the rest. */
static const char *next_piece(const char *s, struct piece *p)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp;
	int n;

	p->len = 1;
	p->w = 1;
	if (*u >= 0x20 && *u < 0x7f) {
		p->b[0] = (char)*u;
		return s + 1;
	}
	p->b[0] = *u == '\t' ? ' ' : '?';
	if (*u < 0x80)
		return s + 1;
	n = utf8_decode(u, &cp);
	if (!n)
		return s + 1;
	if (utf8_ok) {
		int w = wcwidth((wchar_t)cp);
		if (w >= 0) {
			memcpy(p->b, s, (size_t)n);
			p->len = n;
			p->w = w;
		}
	}
	/* The model's own text uses a few typographic characters (paths
	 * "module a → .b", values cut with "…"): spell them in ASCII rather
	 * than as '?', like the glyphs above. */
	if (!utf8_ok) {
		const char *alt = cp == 0x2192 ? "->" : cp == 0x2026 ? "..." : cp == 0x203a ? ">" : NULL;
		if (alt) {
			p->len = p->w = (int)strlen(alt);
			memcpy(p->b, alt, (size_t)p->len);
		}
	}
	/* Not UTF-8 here, or unprintable: one '?' for the whole character. */
	return s + n;
}

int draw_width(const char *s)
{
	struct piece p;
	int w = 0;
	while (s && *s) {
		s = next_piece(s, &p);
		w += p.w;
	}
	return w;
}

/* ==== Drawing ==== */

struct out {
	char buf[1024];
	size_t len;
	int w;
};

static void out_add(struct out *o, const char *b, int len, int w)
{
	if (o->len + (size_t)len >= sizeof o->buf)
		return;
	memcpy(o->buf + o->len, b, (size_t)len);
	o->len += (size_t)len;
	o->w += w;
}

static void out_flush(struct out *o, int y, int x, attr_t a)
{
	attrset(a);
	mvaddnstr(y, x, o->buf, (int)o->len);
	attrset(A_NORMAL);
}

/* Append s, cut to w cells with an ellipsis when too wide. */
static void out_fit(struct out *o, const char *s, int w)
{
	const char *ell = draw_glyph(GL_ELLIPSIS);
	int total = draw_width(s), ellw = draw_width(ell);
	int room = total <= w ? w : w - ellw;
	struct piece p;

	while (s && *s) {
		s = next_piece(s, &p);
		if (o->w + p.w > room)
			break;
		out_add(o, p.b, p.len, p.w);
	}
	if (total > w && w >= ellw)
		out_add(o, ell, (int)strlen(ell), ellw);
}

int draw_text(int y, int x, int w, const char *s, attr_t a)
{
	struct out o = {.len = 0};
	if (w <= 0)
		return 0;
	out_fit(&o, s, w);
	out_flush(&o, y, x, a);
	return o.w;
}

int draw_text_mark(int y, int x, int w, const char *s, const char *mark, attr_t a)
{
	int mw = mark ? draw_width(mark) : 0;
	if (!mw)
		return draw_text(y, x, w, s, a);
	if (w <= mw)
		return draw_text(y, x, w, mark, a);
	int used = draw_text(y, x, w - mw, s, a);
	return used + draw_text(y, x + used, mw, mark, a);
}

int draw_rtext(int y, int x, int w, const char *s, attr_t a)
{
	int sw = draw_width(s);
	if (sw < w) {
		draw_fill(y, x, w - sw, a);
		return draw_text(y, x + w - sw, sw, s, a) + (w - sw);
	}
	return draw_text(y, x, w, s, a);
}

int draw_text_tail(int y, int x, int w, const char *s, attr_t a)
{
	const char *ell = draw_glyph(GL_ELLIPSIS);
	int total = draw_width(s), ellw = draw_width(ell);
	struct out o = {.len = 0};
	struct piece p;

	if (w <= 0)
		return 0;
	if (total <= w)
		return draw_text(y, x, w, s, a);
	out_add(&o, ell, (int)strlen(ell), ellw);
	/* skip from the front until the tail fits after the ellipsis */
	while (s && *s && total > w - ellw) {
		s = next_piece(s, &p);
		total -= p.w;
	}
	out_fit(&o, s, w);
	out_flush(&o, y, x, a);
	return o.w;
}

void draw_fill(int y, int x, int w, attr_t a)
{
	if (w <= 0)
		return;
	attrset(a);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

/* ==== Wrapping ==== */

/* One line of s at width w: sets *len to the bytes that go on it and
 * returns where the next line starts.  Breaks after the last space that
 * fits, else (a word longer than the line) where the width runs out. */
static const char *wrap_line(const char *s, int w, size_t *len)
{
	const char *p = s, *brk = NULL;
	struct piece pc;
	int cw = 0;

	while (*p && *p != '\n') {
		const char *q = next_piece(p, &pc);
		if (cw + pc.w > w)
			break;
		cw += pc.w;
		p = q;
		if (*p == ' ')
			brk = p;
	}
	if (!*p || *p == '\n') {
		*len = (size_t)(p - s);
		return *p ? p + 1 : p;
	}
	if (brk)
		p = brk;
	else if (p == s)          /* not even one character fits: take it */
		p = next_piece(p, &pc);
	*len = (size_t)(p - s);
	while (*p == ' ')
		p++;
	return p;
}

int draw_wrap_lines(int w, const char *s)
{
	int n = 0;
	size_t len;
	if (w <= 0 || !s)
		return 0;
	while (*s) {
		s = wrap_line(s, w, &len);
		n++;
	}
	return n;
}

int draw_wrap(int y, int x, int w, int maxl, const char *s, attr_t a)
{
	char line[1024];
	size_t len;
	int n = 0;

	if (w <= 0 || !s)
		return 0;
	while (*s && n < maxl) {
		const char *next = wrap_line(s, w, &len);
		if (n == maxl - 1 && *next) {
			/* the last line we may use: the rest, cut with an ellipsis */
			snprintf(line, sizeof line, "%s", s);
			for (char *c = line; *c; c++)
				if (*c == '\n')
					*c = ' ';
		} else {
			snprintf(line, sizeof line, "%.*s", (int)len, s);
		}
		draw_text(y + n, x, w, line, a);
		n++;
		s = next;
	}
	return n;
}

/* ==== Columns ==== */

static int columns_width(const struct column *c, int n, const int *keep)
{
	int sum = 0, k = 0;
	for (int i = 0; i < n; i++)
		if (keep[i]) {
			sum += c[i].width;
			k++;
		}
	return sum + (k > 0 ? k - 1 : 0);
}

void columns_layout(const struct column *c, int n, int total, int *x, int *w)
{
	int keep[32], flex = -1, cx = 0;

	for (int i = 0; i < n && i < 32; i++) {
		keep[i] = !c[i].off;
		if (c[i].flex)
			flex = i;
	}
	/* Drop the highest-prio columns until the rest fit; columns of equal
	 * prio go together (a group whose cells only make sense side by side,
	 * like generations that add up to the count). */
	while (columns_width(c, n, keep) > total) {
		int worst = -1;
		for (int i = 0; i < n; i++)
			if (keep[i] && c[i].prio > 0 && (worst < 0 || c[i].prio > c[worst].prio))
				worst = i;
		if (worst < 0)
			break;
		int p = c[worst].prio;
		for (int i = 0; i < n; i++)
			if (keep[i] && c[i].prio == p)
				keep[i] = 0;
	}
	int spare = total - columns_width(c, n, keep);
	for (int i = 0; i < n; i++) {
		if (!keep[i]) {
			x[i] = -1;
			w[i] = 0;
			continue;
		}
		w[i] = c[i].width + (i == flex && spare > 0 ? spare : 0);
		x[i] = cx;
		cx += w[i] + 1;
	}
}

void columns_header(int y, const struct column *c, int n, const int *x,
		    const int *w, attr_t a)
{
	draw_fill(y, 0, COLS, a);
	for (int i = 0; i < n; i++) {
		if (x[i] < 0)
			continue;
		if (c[i].right)
			draw_rtext(y, x[i], w[i], c[i].title, a);
		else
			draw_text(y, x[i], w[i], c[i].title, a);
	}
}

/* ==== Numbers ==== */

const char *draw_skip(const char *s, int n)
{
	while (*s && n > 0) {
		s++;
		while ((*s & 0xc0) == 0x80)   /* continuation bytes */
			s++;
		n--;
	}
	return s;
}

const char *fmt_delta(int64_t n, char *buf, size_t cap)
{
	char tmp[32];
	uint64_t mag = n < 0 ? (uint64_t)-(n + 1) + 1 : (uint64_t)n;
	fmt_count(mag, tmp, sizeof tmp);
	snprintf(buf, cap, "%s%s", n > 0 ? "+" : n < 0 ? "-" : "", tmp);
	return buf;
}

const char *fmt_dbytes(int64_t n, char *buf, size_t cap)
{
	char tmp[32];
	uint64_t mag = n < 0 ? (uint64_t)-(n + 1) + 1 : (uint64_t)n;
	fmt_bytes(mag, tmp, sizeof tmp);
	snprintf(buf, cap, "%s%s", n > 0 ? "+" : n < 0 ? "-" : "", tmp);
	return buf;
}

const char *fmt_age(double s, char *buf, size_t cap)
{
	long t = s < 0 ? 0 : (long)s;
	if (t < 60)
		snprintf(buf, cap, "%lds", t);
	else if (t < 3600)
		snprintf(buf, cap, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, cap, "%ldh%02ldm", t / 3600, t / 60 % 60);
	return buf;
}
