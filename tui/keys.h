/* keys — what a key press asks for.
 *
 * Keys map to named requests; views and the main loop act on requests,
 * never on raw keys (tig's request.h idea).  One X-macro list below gives
 * the enum, each request's help text and its section; the default
 * bindings are a data table in keys.c, and the help screen is generated
 * from both, so the help can never disagree with what the keys do.
 */
#ifndef HS_TUI_KEYS_H
#define HS_TUI_KEYS_H

#include <stddef.h>

/* _(NAME, section, help).  A NULL section marks an internal request that
 * is never bound to a key and not listed in the help. */
#define REQ_INFO(_) \
	_(MOVE_UP,        "Moving around", "Move up one line") \
	_(MOVE_DOWN,      "Moving around", "Move down one line") \
	_(PAGE_UP,        "Moving around", "Move up one page") \
	_(PAGE_DOWN,      "Moving around", "Move down one page") \
	_(MOVE_FIRST,     "Moving around", "Go to the first line (like less)") \
	_(MOVE_LAST,      "Moving around", "Go to the last line (like less)") \
	_(ENTER,          "Moving around", "Drill in: open the selected line") \
	_(BACK,           "Moving around", "Go back one screen") \
	_(SCROLL_RIGHT,   "Moving around", "Long values: scroll right (instances, threads, tree, holders)") \
	_(SCROLL_LEFT,    "Moving around", "Long values: scroll back left") \
	_(TOGGLE,         "Moving around", "Trees: expand/collapse (elsewhere: page down)") \
	_(COLLAPSE,       "Moving around", "Trees: collapse, go to parent (elsewhere: back)") \
	_(VIEW_OVERVIEW,  "Screens", "Overview: process, GC, top types") \
	_(VIEW_TYPES,     "Screens", "Types: every type; GC-tracked objects exactly, plus the untracked ones found from them (no-gc)") \
	_(VIEW_THREADS,   "Screens", "Threads: stacks and their locals") \
	_(VIEW_INSPECT,   "Screens", "Inspect the selected object: value, fields, referents") \
	_(VIEW_REFERRERS, "Screens", "Referrers of the selected object, and paths to roots") \
	_(TOGGLE_SPLIT,   "Screens", "Retainers pane on/off: who holds the selected object, how far from a root") \
	_(VIEW_DOMINATORS, "Screens", "Dominator tree: what keeps the most memory alive") \
	_(VIEW_SUSPECTS,  "Screens", "Leak suspects: ranked findings with evidence") \
	_(VIEW_MEMORY,    "Screens", "Memory: where the RSS goes (objects, buffers, pymalloc, native)") \
	_(VIEW_SITES,     "Screens", "Allocation sites: objects by where they were made (the target's tracemalloc)") \
	_(JUMP_ADDRESS,   "Screens", "Jump to an object: its id() (decimal) or 0x address") \
	_(VIEW_HELP,      "Screens", "This help") \
	_(SORT_MENU,      "Sorting and filtering", "Sort menu: the sort keys of this screen and the column each sorts; Enter picks") \
	_(SORT_SIZE,      "Sorting and filtering", "Sort by total size (types) or size (instances)") \
	_(SORT_COUNT,     "Sorting and filtering", "Sort by count") \
	_(SORT_AVG,       "Sorting and filtering", "Sort by mean size per object") \
	_(SORT_NAME,      "Sorting and filtering", "Sort by name (alphabetical)") \
	_(SORT_GEN,       "Sorting and filtering", "Sort by a GC generation (press again: gen 0, 1, 2)") \
	_(SORT_DELTA,     "Sorting and filtering", "Sort by growth since the previous snapshot") \
	_(SORT_REFCNT,    "Sorting and filtering", "Sort by reference count (instances)") \
	_(SORT_ADDR,      "Sorting and filtering", "Sort by address (instances)") \
	_(SORT_RETAINED,  "Sorting and filtering", "Sort by retained size (types, instances)") \
	_(SORT_REVERSE,   "Sorting and filtering", "Reverse the sort order") \
	_(FILTER,         "Sorting and filtering", "Types: filter by name as you type (Enter keeps, Esc clears); elsewhere: search the lines shown") \
	_(SEARCH_NEXT,    "Sorting and filtering", "Next line matching the search (like less)") \
	_(SEARCH_PREV,    "Sorting and filtering", "Previous line matching the search") \
	_(REFRESH,        "Snapshot", "New snapshot: per-type deltas against the previous one") \
	_(QUIT,           "Snapshot", "Quit (the target keeps running)") \
	_(PROMPT_CHANGED, NULL, "the prompt's text changed") \
	_(PROMPT_DONE,    NULL, "Enter in the prompt") \
	_(PROMPT_CANCEL,  NULL, "Esc in the prompt")

enum request {
	REQ_NONE = 0,
#define REQ_ENUM(name, section, help) REQ_##name,
	REQ_INFO(REQ_ENUM)
#undef REQ_ENUM
	REQ__COUNT
};

/* The request bound to key `ch` (a getch() value), or REQ_NONE. */
enum request keys_request(int ch);

/* Help text, generated: one line per entry; section headings are lines
 * that start with a non-space.  Lines are static strings built once. */
size_t keys_help_lines(const char ***out);

/* "Enter, l, Right" — the keys bound to `req`, for footer hints. */
const char *keys_for(enum request req);

#endif
