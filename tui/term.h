/* term — curses setup, signals and key decoding for the explorer (see
 * term.c for how every way out leaves the terminal sane). */
#ifndef HS_TUI_TERM_H
#define HS_TUI_TERM_H

/* initscr() and modes (cbreak, no echo, keypad, 1 s key timeout for the
 * status clock), colours, the quit/crash handlers and the guardian. */
void term_start(void);
/* endwin() and dismiss the guardian. */
void term_stop(void);

/* The next key: a getch() value, KEY_* for escape sequences curses did
 * not know, 27 for a lone Esc, ERR on the 1 s tick or a swallowed
 * unknown sequence. */
int term_getkey(void);

/* SIGINT/SIGTERM/SIGHUP received (its number), or 0. */
int term_quit_signal(void);

/* Hold quit signals pending (1) or deliver them (0): around a snapshot. */
void term_block_quit_signals(int block);

#endif
