/* fmt — human-readable numbers shared by the CLI, the TUI and model/
 * reports (one implementation, so "12.3 MiB" means the same everywhere). */
#ifndef HS_FMT_H
#define HS_FMT_H

#include <stddef.h>
#include <stdint.h>

/* "512 B", "12.3 MiB" (binary units, one decimal above bytes). Returns buf. */
const char *fmt_bytes(uint64_t n, char *buf, size_t cap);

#endif
