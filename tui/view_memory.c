/* view_memory — where the RSS goes (model/rss.h): the parts that add up
 * to the RSS, each with how its figure was obtained, then pymalloc's own
 * figures as sys._debugmallocstats() prints them.  Text rows, scrolled;
 * no cursor.  Built once per snapshot (session_memory). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

#define MAX_LINES 64

struct memview {
	char lines[MAX_LINES][384];
	int section[MAX_LINES];
	size_t n;
};

static void line(struct memview *m, int section, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void line(struct memview *m, int section, const char *fmt, ...)
{
	va_list ap;
	if (m->n == MAX_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(m->lines[m->n], sizeof m->lines[m->n], fmt, ap);
	va_end(ap);
	m->section[m->n++] = section;
}

/* text as dim lines of at most the screen's width, indented, broken at
 * spaces (the CLI prints the same text on one line) */
static void wrapped(struct memview *m, const char *text, int indent)
{
	int w = COLS > indent + 20 ? COLS - 1 : 80;
	const char *p = text;
	while (*p && m->n < MAX_LINES) {
		int room = w - indent;
		int len = (int)strlen(p);
		if (len > room) {
			len = room;
			while (len > room / 2 && p[len] != ' ')
				len--;
			if (p[len] != ' ')
				len = room;
		}
		line(m, 2, "%*s%.*s", indent, "", len, p);
		p += len;
		while (*p == ' ')
			p++;
	}
}

static int memory_open(struct tui *t, struct view *v)
{
	struct memview *m = calloc(1, sizeof *m);
	char b1[32], b2[32];
	if (!m)
		return -1;
	v->priv = m;
	v->no_cursor = 1;
	snprintf(v->crumb, sizeof v->crumb, "Memory");
	if (!t->ses.mem && !t->ses.mem_failed) {
		char msg[64];
		snprintf(msg, sizeof msg, "Splitting the RSS%s", draw_glyph(GL_ELLIPSIS));
		tui_busy(t, msg);
	}
	const struct rss_breakdown *b = session_memory(&t->ses);
	if (!b) {
		line(m, 0, " %s", t->ses.mem_why);
		v->nrows = m->n;
		return 0;
	}
	struct rss_part p[RSS_MAX_PARTS];
	size_t n = rss_parts(b, t->ses.mem_pagemap, p);
	line(m, 1, "RSS %s (/proc/PID/smaps, read %.1f s after the snapshot); the parts add up to it",
	     fmt_bytes(b->rss, b1, sizeof b1), t->ses.mem_age);
	for (size_t i = 0; i < n; i++) {
		int minus = !strcmp(p[i].key, "not_resident");
		line(m, 0, "  %-16s %s%10s %5.1f%%", p[i].name, minus ? "-" : " ",
		     fmt_bytes(p[i].bytes, b2, sizeof b2),
		     b->rss ? 100.0 * (double)p[i].bytes / (double)b->rss : 0.0);
		wrapped(m, p[i].how, 6);
	}
	line(m, 0, "%s", "");
	if (!b->obm.found) {
		line(m, 1, "pymalloc: %s", b->obm.why);
	} else {
		line(m, 1, "pymalloc, as sys._debugmallocstats() counts it");
		wrapped(m, b->obm.how, 2);
		line(m, 0, "  # arenas allocated current       %llu (%s each)",
		     (unsigned long long)b->obm.narenas, fmt_bytes(b->obm.arena_size, b1, sizeof b1));
		line(m, 0, "  # bytes in allocated blocks      %llu",
		     (unsigned long long)b->obm.allocated_bytes);
		line(m, 0, "  # bytes in available blocks      %llu",
		     (unsigned long long)b->obm.available_bytes);
		line(m, 0, "  %llu unused pools * %llu bytes",
		     (unsigned long long)b->obm.unused_pools, (unsigned long long)b->obm.pool_size);
		line(m, 0, "  # bytes lost to pool headers     %llu",
		     (unsigned long long)b->obm.pool_header_bytes);
		line(m, 0, "  # bytes lost to quantization     %llu",
		     (unsigned long long)b->obm.quantization_bytes);
		line(m, 0, "  # bytes lost to arena alignment  %llu",
		     (unsigned long long)b->obm.alignment_bytes);
	}
	v->nrows = m->n;
	return 0;
}

static void memory_close(struct view *v)
{
	free(v->priv);
}

static void memory_header(struct tui *t, struct view *v, int y, int w)
{
	char s[96];
	(void)v;
	snprintf(s, sizeof s, " Where the RSS of pid %d goes", (int)t->ses.s->pid);
	draw_fill(y, 0, w, draw_attr(ROLE_HEADER));
	draw_text(y, 0, w, s, draw_attr(ROLE_HEADER));
}

static void memory_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct memview *m = v->priv;
	(void)t; (void)sel;
	if (row >= m->n)
		return;
	draw_text(y, 0, w, m->lines[row], draw_attr(m->section[row] == 1 ? ROLE_SECTION
						    : m->section[row] == 2 ? ROLE_DIM : ROLE_NORMAL));
}

const struct view_ops view_memory_ops = {
	.name = "Memory",
	.open = memory_open,
	.close = memory_close,
	.draw_header = memory_header,
	.draw_row = memory_row,
	.hints = "o overview  t types  S suspects  r new snapshot",
};
