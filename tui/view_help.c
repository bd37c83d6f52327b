/* view_help — every key, generated from the binding table (keys.c), plus
 * the few things a key list cannot say.  Scrolls; no cursor. */
#include <stdio.h>
#include <string.h>

#include "view.h"

static const char *const intro[] = {
	"heapscope explores a copy of the target's heap: the target was frozen only",
	"for the copy (see 'pause' in the status line) and runs while you look.",
	"Quitting, Ctrl-C or a dropped ssh session leave it running.",
	"",
};

static const char *const notes[] = {
	"",
	"Notes",
	"  Enter drills in: Overview/Types -> instances -> inspector -> the referent",
	"  under the cursor.  In Referrers, Enter follows the chain upwards (the",
	"  referrers of the referrer) and i inspects; the paths section shows the",
	"  shortest chains from a root (module global, thread frame) to the object.",
	"  size = sys.getsizeof (shallow).  Types counts every object found: the",
	"  GC-tracked ones exactly (gen0-gen2) and the untracked ones (no-gc).",
	"  After r, the Types screen shows count/size deltas against the previous",
	"  snapshot; d sorts by them (press again: by size delta).",
	"  retained = what only that object keeps alive: the bytes freeing it would",
	"  free (its subtree in the dominator tree, D).  Computed once per snapshot",
	"  when a screen first needs it; R sorts Types and Instances by it.  In the",
	"  dominator tree Enter/Right/Space unfold, Left folds; children come",
	"  largest first.  S ranks leak suspects with their evidence; after r they",
	"  carry growth, and Types shows where the selected type's new objects are",
	"  held (\"100% via __main__.CACHE[...]\").",
	"  ~ after a value: part of the object (the tail of a big payload) was read",
	"  from the target after it resumed, so it may be newer than the snapshot.",
	"  g and G go to the top and bottom like less, so jumping to an address is",
	"  : (type the hex address, Enter).  On a frame in Threads, Enter folds it.",
	"  Without colours (NO_COLOR, vt100) the cursor is reverse video; outside a",
	"  UTF-8 locale everything is drawn in ASCII and other characters become ?.",
};

#define NINTRO (sizeof intro / sizeof *intro)
#define NNOTES (sizeof notes / sizeof *notes)

static int help_open(struct tui *t, struct view *v)
{
	const char **keys;
	(void)t;
	v->nrows = NINTRO + keys_help_lines(&keys) + NNOTES;
	v->no_cursor = 1;
	snprintf(v->crumb, sizeof v->crumb, "Help");
	return 0;
}

static const char *help_line(size_t row)
{
	const char **keys;
	size_t nk = keys_help_lines(&keys);
	if (row < NINTRO)
		return intro[row];
	row -= NINTRO;
	if (row < nk)
		return keys[row];
	row -= nk;
	return row < NNOTES ? notes[row] : "";
}

static void help_header(struct tui *t, struct view *v, int y, int w)
{
	(void)t; (void)v;
	draw_fill(y, 0, w, draw_attr(ROLE_HEADER));
	draw_text(y, 0, w, " Keys (Backspace or Left to go back)", draw_attr(ROLE_HEADER));
}

static void help_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	const char *s = help_line(row);
	(void)t; (void)v; (void)sel;
	/* Section headings are the lines that do not start with a space. */
	draw_text(y, 0, w, s, draw_attr(s[0] && s[0] != ' ' && row >= NINTRO
				       ? ROLE_SECTION : ROLE_NORMAL));
}

/* ? again closes the help, like less's h; Enter does nothing here. */
static int help_request(struct tui *t, struct view *v, enum request req)
{
	(void)v;
	if (req == REQ_VIEW_HELP)
		return tui_back(t);
	if (req == REQ_ENTER)
		return TUI_HANDLED;
	return TUI_UNHANDLED;
}

const struct view_ops view_help_ops = {
	.name = "Help",
	.open = help_open,
	.draw_header = help_header,
	.draw_row = help_row,
	.request = help_request,
	.hints = "j k PgUp PgDn scroll  Backspace back",
};
