/* script — drive the explorer from a file instead of the keyboard
 * (tig's TIG_SCRIPT idea), for tests and demos:
 *
 *   HEAPSCOPE_TUI_SCRIPT=steps.txt heapscope --demo
 *
 * One command per line; '#' starts a comment:
 *   key NAME...    press keys: a character, or Enter BSpace Esc Up Down
 *                  Left Right PgUp PgDn Home End F1 Space
 *   type TEXT      type TEXT literally (into a prompt)
 *   dump FILE      write the screen as drawn, as UTF-8 text, to FILE
 *   resize COLSxLINES   relayout at that size (as on SIGWINCH)
 *   sleep MS       let the clock run (the status line shows the age)
 * When the script ends the keyboard takes over.  A terminal is still
 * needed (curses draws on it); the script only replaces the keys.
 */
#ifndef HS_TUI_SCRIPT_H
#define HS_TUI_SCRIPT_H

/* Load $HEAPSCOPE_TUI_SCRIPT if set.  0, or -1 with a message on stderr. */
int script_load(void);

/* Is a script still feeding keys? */
int script_active(void);

/* The next key of the script (ERR for "nothing this turn", e.g. after a
 * dump or a sleep); dumps and resizes are done here. */
int script_next_key(void);

void script_free(void);

#endif
