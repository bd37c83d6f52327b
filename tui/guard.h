/* guard — put the terminal back even if heapscope is SIGKILLed.
 *
 * No process can clean up after its own SIGKILL, so a tiny child does it:
 * it blocks reading a pipe from the explorer; a normal exit writes "ok"
 * and it leaves quietly; EOF without "ok" means the explorer died, and it
 * restores the saved termios and writes the terminal's reset sequences
 * (leave the alternate screen, show the cursor, plain attributes).  It
 * ignores the keyboard's signals (Ctrl-C reaches the whole foreground
 * process group) so only the pipe decides.
 */
#ifndef HS_TUI_GUARD_H
#define HS_TUI_GUARD_H

#include <stddef.h>
#include <termios.h>

/* Start the guardian.  `reset` (len bytes) is written to stdout on an
 * unclean end; both are copied.  Returns 0, or -1 (no guardian: the
 * explorer still works, only SIGKILL cleanup is lost). */
int guard_start(const struct termios *saved, const char *reset, size_t len);

/* Normal end: the terminal is already restored; dismiss the guardian. */
void guard_stop(void);

#endif
