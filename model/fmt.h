/* fmt — human-readable numbers shared by the CLI, the TUI and model/
 * reports (one implementation, so "12.3 MiB" means the same everywhere). */
#ifndef HS_FMT_H
#define HS_FMT_H

#include <stddef.h>
#include <stdint.h>

/* "512 B", "12.3 MiB" (binary units, one decimal above bytes). Returns buf. */
const char *fmt_bytes(uint64_t n, char *buf, size_t cap);

/* "1,234,567" (the CLI's text output and the explorer alike). */
const char *fmt_count(uint64_t n, char *buf, size_t cap);

/* total / n rounded to the nearest (halves up); 0 when n is 0.  The one
 * "avg" everywhere, so that the CLI and the explorer print the same. */
uint64_t fmt_mean(uint64_t total, uint64_t n);

#endif
