/* demo — `heapscope --demo`: run the bundled leaky service and explore it.
 *
 * The demo target is tests/targets/demo_service.py, carried in the binary
 * (generated into a C string at build time) and run from a memfd with
 * /usr/bin/python3 (or the first python3 on PATH).  It is our child, in
 * its own process group (a Ctrl-C meant for the explorer must not kill it
 * behind the explorer's back), with PR_SET_PDEATHSIG so it dies with us
 * even if we are SIGKILLed.
 */
#ifndef HS_TUI_DEMO_H
#define HS_TUI_DEMO_H

#include <sys/types.h>

#include "err.h"

/* Start the demo and wait (up to timeout_ms) until it says it is ready.
 * Errors: HS_ERR_NO_PROCESS (script or python3 not found, or it died),
 * with the path tried in the message. */
enum hs_status demo_start(int timeout_ms, pid_t *pid, struct hs_err *err);

/* Stop the demo: SIGTERM, wait up to a second, then SIGKILL; reaps it. */
void demo_stop(void);

/* Async-signal-safe: SIGKILL the demo if one runs (crash handlers). */
void demo_kill_async(void);

#endif
