/* snapfile — snapshot files: a snapshot written to disk and read back
 * later, on any machine, without the target or its binaries.
 *
 * The format (doc/FORMAT.md) is a small fixed header and a sequence of
 * zstd-compressed sections: META (key/value facts: version, build id,
 * runtime symbols, pid, time, command line, host name...), MAPS (the
 * mapping list), RANGES (address ranges: copied regions, lazy ranges and
 * ranges whose bytes are stored for reads outside the copy: read-only ELF
 * data such as static type names, and the lazy payloads read after the
 * resume), MEMORY (the bytes of every range that has some), END.
 *
 * The layout is not stored as offsets: the reader chooses it again from
 * the stored runtime facts and memory (layout_for, layout_fit), so a file
 * written by an older heapscope is read with the newer one's tables.
 *
 * The reader treats the file as untrusted: every length is checked
 * against the file and against limits before anything is allocated, the
 * memory it needs is bounded by this machine's RAM (and --max-copy), and
 * every failure is HS_ERR_BAD_FILE (corrupt, truncated, not a snapshot) or
 * HS_ERR_FILE_VERSION (written in a newer, incompatible format).
 */
#ifndef HS_SNAPFILE_H
#define HS_SNAPFILE_H

#include <stdint.h>
#include "err.h"
#include "snapshot.h"

#define SNAPFILE_MAGIC "\x89HSNAP\r\n"
#define SNAPFILE_MAJOR 1
#define SNAPFILE_MINOR 0

struct snapfile_opts {
	int level;              /* zstd level; 0 = SNAPFILE_LEVEL_DEFAULT */
	int threads;            /* zstd worker threads; -1 = default, 0 = none */
	const char *writer;     /* heapscope version that writes it */
};

#define SNAPFILE_LEVEL_DEFAULT 1
#define SNAPFILE_THREADS_DEFAULT 2

struct snapfile_stats {
	double write_ms;        /* read-only data + lazy payloads + compress + write */
	uint64_t file_bytes;    /* size of the file */
	uint64_t memory_bytes;  /* uncompressed bytes of the MEMORY section */
	uint64_t rodata_bytes;  /* of which read-only data of the mapped files */
	uint64_t lazy_bytes;    /* of which lazy payloads read after the resume */
	int level, threads;
};

/* Write s (a live snapshot; the target has been resumed) to path: through
 * path.tmp, renamed at the end.  Reads the read-only data of the target's
 * ELF mappings and every lazy payload from the running target first.
 * Errors: HS_ERR_READ (cannot write: the message names the file), NOMEM. */
enum hs_status snapfile_write(struct hs_snapshot *s, const char *path,
			      const struct snapfile_opts *o, struct snapfile_stats *st,
			      struct hs_err *err);

/* Read a snapshot file into a snapshot that answers as the live one did
 * (s->file set; s->mem's info kind "file").  max_bytes: refuse files
 * whose memory needs more than this (0: this machine's RAM). */
enum hs_status snapfile_open(const char *path, uint64_t max_bytes,
			     struct hs_snapshot **out, struct hs_err *err);

/* Same from a buffer (the fuzz harness); the buffer must outlive *out. */
enum hs_status snapfile_open_mem(const unsigned char *buf, size_t len, const char *name,
				 uint64_t max_bytes, struct hs_snapshot **out,
				 struct hs_err *err);

/* 1 when path is a readable file that starts with the snapshot magic. */
int snapfile_sniff(const char *path);

#endif
