/* term — the terminal under the explorer: curses modes, the signals that
 * must leave it sane, and keys curses could not decode.
 *
 * Sanity on every way out:
 *   q, Ctrl-C, SIGTERM, SIGHUP   a flag; the loop ends, term_stop() restores
 *   a crash (SEGV, ABRT, BUS…)   the handler writes the saved reset sequence
 *                                and termios (async-signal-safe), re-raises
 *   SIGKILL                      the guardian child does the same (guard.c)
 * The target needs none of this: it is only stopped inside a snapshot.
 */
#include <curses.h>
#include <signal.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "demo.h"
#include "draw.h"
#include "guard.h"
#include "term.h"

/* ==== Signals ==== */

static volatile sig_atomic_t quit_signal;

static void on_quit_signal(int sig)
{
	quit_signal = sig;
}

/* What the crash handler writes: captured at start, with terminfo
 * padding ("$<2>") removed, so the handler needs no allocation. */
static char crash_seq[256];
static size_t crash_len;
static struct termios saved_tio;
static int have_tio;

static void crash_seq_add(const char *cap)
{
	char *s = tigetstr((char *)cap);
	if (!s || s == (char *)-1)
		return;
	for (; *s && crash_len + 1 < sizeof crash_seq; s++) {
		if (s[0] == '$' && s[1] == '<') {
			while (*s && *s != '>')
				s++;
			if (!*s)
				break;
			continue;
		}
		crash_seq[crash_len++] = *s;
	}
}

/* Async-signal-safe: write(2), tcsetattr(3), kill(2) only. */
static void on_crash_signal(int sig)
{
	if (crash_len && write(STDOUT_FILENO, crash_seq, crash_len) < 0) {
		/* nothing to do: the terminal may be gone */
	}
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	demo_kill_async();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void signals_install(void)
{
	static const int quit_sigs[] = {SIGINT, SIGTERM, SIGHUP};
	static const int crash_sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
	struct sigaction sa = {.sa_handler = on_quit_signal};

	/* No SA_RESTART: getch() must return so the loop sees the flag. */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof quit_sigs / sizeof *quit_sigs; i++)
		sigaction(quit_sigs[i], &sa, NULL);
	sa.sa_handler = on_crash_signal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof crash_sigs / sizeof *crash_sigs; i++)
		sigaction(crash_sigs[i], &sa, NULL);
}

/* Quit signals stay pending while a snapshot is taken: the freeze then
 * completes and thaws on its normal path, and the loop quits right after
 * with the terminal restored.  (attach/live.c's own handlers would resume
 * the target too, but then die with the screen still in curses mode.) */
void term_block_quit_signals(int block)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int term_quit_signal(void)
{
	return quit_signal;
}

/* ==== Escape sequences curses did not know ==== */

/* A terminal whose terminfo entry lacks a key (vt100 has no Home/End), or
 * tmux/screen sending its own flavour, delivers ESC followed at once by
 * the rest of the sequence.  Read that rest: map the common ones, swallow
 * the others.  ESC followed by anything but '[' or 'O' is the Esc key and
 * then that key.  Without
 * this, "\e[4~" would be Esc (back) followed by three junk keys. */
static int escape_key(void)
{
	static const struct { const char *seq; int key; } known[] = {
		{"[A", KEY_UP}, {"OA", KEY_UP}, {"[B", KEY_DOWN}, {"OB", KEY_DOWN},
		{"[C", KEY_RIGHT}, {"OC", KEY_RIGHT}, {"[D", KEY_LEFT}, {"OD", KEY_LEFT},
		{"[H", KEY_HOME}, {"OH", KEY_HOME}, {"[1~", KEY_HOME}, {"[7~", KEY_HOME},
		{"[F", KEY_END}, {"OF", KEY_END}, {"[4~", KEY_END}, {"[8~", KEY_END},
		{"[5~", KEY_PPAGE}, {"[6~", KEY_NPAGE}, {"OP", KEY_F(1)}, {"[11~", KEY_F(1)},
	};
	char seq[16];
	size_t n = 0;
	int c;

	timeout(0);
	while (n + 1 < sizeof seq && (c = getch()) != ERR) {
		seq[n++] = (char)c;
		/* CSI/SS3 end with a byte in @..~ after the introducer */
		if (n > 1 && c >= 0x40 && c <= 0x7e)
			break;
		/* Esc then a key typed at once (a burst, a paste, a fast
		 * typist): the Esc key, then that key, never "Alt+key". */
		if (n == 1 && c != '[' && c != 'O') {
			ungetch(c);
			n = 0;
			break;
		}
	}
	timeout(1000);
	seq[n] = 0;
	if (n == 0)
		return 27;
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (!strcmp(seq, known[i].seq))
			return known[i].key;
	return ERR;   /* an unknown sequence: ignore it */
}

void term_start(void)
{
	have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	initscr();
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(25);
	/* Wake up every second: the status line shows the snapshot's age. */
	timeout(1000);
	draw_init();
	signals_install();
	crash_seq_add("rmcup");
	crash_seq_add("sgr0");
	crash_seq_add("cnorm");
	crash_seq_add("rmkx");
	crash_seq_add("el");
	if (have_tio)
		guard_start(&saved_tio, crash_seq, crash_len);
}

void term_stop(void)
{
	endwin();
	guard_stop();
}

int term_getkey(void)
{
	int ch = getch();
	return ch == 27 ? escape_key() : ch;
}
