/* view_sortmenu — O / F6: the sort keys of the screen underneath, one per
 * row with the column it sorts (htop's F6 menu).  Enter (or the key
 * itself) closes the menu and sorts the screen as that key would; the
 * keys keep working without it. */
#include <stdio.h>
#include <string.h>

#include "view.h"

struct sortitem {
	enum request req;
	const char *column;  /* what it sorts by, as the column header says */
};

static const struct sortitem types_items[] = {
	{REQ_SORT_SIZE, "size (total bytes of the type)"},
	{REQ_SORT_COUNT, "count"},
	{REQ_SORT_AVG, "avg (mean size per object)"},
	{REQ_SORT_NAME, "type (by name, A to Z)"},
	{REQ_SORT_GEN, "gen0 / gen1 / gen2 (again: the next one)"},
	{REQ_SORT_DELTA, "delta count / delta size (after r; again: the other)"},
	{REQ_SORT_RETAINED, "retained (what the instances keep alive)"},
	{REQ_SORT_REVERSE, "reverse the order"},
};

static const struct sortitem instances_items[] = {
	{REQ_SORT_SIZE, "size"},
	{REQ_SORT_REFCNT, "refs (reference count)"},
	{REQ_SORT_ADDR, "address"},
	{REQ_SORT_RETAINED, "retained (what the object keeps alive)"},
	{REQ_SORT_REVERSE, "reverse the order"},
};

struct sortmenu {
	const struct sortitem *items;
	size_t n;
};

static struct sortmenu menu_of(const struct view *under)
{
	if (under && under->ops == &view_types_ops)
		return (struct sortmenu){types_items, sizeof types_items / sizeof *types_items};
	if (under && under->ops == &view_instances_ops)
		return (struct sortmenu){instances_items,
					 sizeof instances_items / sizeof *instances_items};
	return (struct sortmenu){NULL, 0};
}

/* The screen the menu sorts: the one under it on the stack. */
static struct view *under(struct tui *t, struct view *v)
{
	return t->depth >= 2 && &t->stack[t->depth - 1] == v ? &t->stack[t->depth - 2] : tui_top(t);
}

static int sortmenu_open(struct tui *t, struct view *v)
{
	/* open() runs before the push: the top is still the screen to sort */
	struct sortmenu m = menu_of(tui_top(t));
	if (!m.n) {
		tui_message(t, 0, "this screen has no sort order to choose (Types and "
			    "Instances have)");
		return -1;
	}
	v->nrows = m.n;
	snprintf(v->crumb, sizeof v->crumb, "Sort");
	return 0;
}

static void sortmenu_header(struct tui *t, struct view *v, int y, int w)
{
	char buf[256];
	struct view *u = under(t, v);
	snprintf(buf, sizeof buf, " Sort %.100s by  (Enter or the key picks, Esc goes back)",
		 u->crumb[0] ? u->crumb : u->ops->name);
	draw_fill(y, 0, w, draw_attr(ROLE_HEADER));
	draw_text(y, 0, w, buf, draw_attr(ROLE_HEADER));
}

static void sortmenu_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct sortmenu m = menu_of(under(t, v));
	char buf[160];
	if (row >= m.n)
		return;
	snprintf(buf, sizeof buf, "  %-8s %s", keys_for(m.items[row].req), m.items[row].column);
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	if (sel)
		draw_fill(y, 0, w, a);
	draw_text(y, 0, w, buf, a);
}

/* Close the menu, then sort the screen under it as the key would. */
static int pick(struct tui *t, enum request req)
{
	tui_back(t);
	return tui_request(t, req) | TUI_REDRAW;
}

static int sortmenu_request(struct tui *t, struct view *v, enum request req)
{
	struct sortmenu m = menu_of(under(t, v));
	if (req == REQ_ENTER && v->cur < m.n)
		return pick(t, m.items[v->cur].req);
	if (req == REQ_SORT_MENU)
		return tui_back(t);
	for (size_t i = 0; i < m.n; i++)
		if (m.items[i].req == req)
			return pick(t, req);
	return TUI_UNHANDLED;
}

const struct view_ops view_sortmenu_ops = {
	.name = "Sort",
	.open = sortmenu_open,
	.draw_header = sortmenu_header,
	.draw_row = sortmenu_row,
	.request = sortmenu_request,
	.hints = "Enter sort by this  Esc back",
};
