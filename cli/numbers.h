/* numbers — the one grammar for numbers on heapscope's command line.
 *
 *   SIZE   digits, an optional fraction (".5"), an optional unit K, M, G or
 *          T (powers of 1024, any case; "KiB", "KB" and "K" alike), an
 *          optional "B": 512M, 1.5G, 64KiB, 4096, 0.  A fraction needs a
 *          unit; the result is rounded down to whole bytes.
 *   COUNT  digits only (--top, --limit, --max, --count, TYPE:N, a PID).
 *   SECONDS digits with an optional fraction: 10, 0.5.
 *   ADDR   0x + hex digits; or decimal digits (what id() prints); or hex
 *          digits that include a letter a-f.
 * Nothing else: no sign, exponent, inf/nan, hex sizes, blanks (ADDR alone
 * allows surrounding blanks, for lines of an @FILE), trailing characters;
 * a value that does not fit is rejected, never wrapped or saturated.
 * Each parser returns 0 and sets *out, or -1 and leaves *out alone.
 * --help prints the same grammar (keep them in step).
 */
#ifndef HS_NUMBERS_H
#define HS_NUMBERS_H

#include <stdint.h>

int cli_parse_size(const char *s, uint64_t *out);
/* A COUNT in [min, max]. */
int cli_parse_count(const char *s, long min, long max, long *out);
/* SECONDS in (0, max] (0 itself is rejected: an interval must pass). */
int cli_parse_seconds(const char *s, double max, double *out);
/* An object address; 0 is not one. */
int cli_parse_addr(const char *s, uint64_t *out);

#endif
