/* err — one error value shared by every layer.
 *
 * Fallible functions return an `enum hs_status` (0 = ok) and, on failure,
 * fill a `struct hs_err` whose message says what went wrong *and what the
 * user should do next*.  The status doubles as the process exit code, so a
 * script can tell "not a Python process" from "permission denied" without
 * parsing text.  Keep the numbers stable: they are documented in the README
 * and in `heapscope --help`.
 */
#ifndef HS_ERR_H
#define HS_ERR_H

#include <stdarg.h>

enum hs_status {
	HS_OK = 0,
	HS_ERR_INTERNAL = 1,     /* a bug in heapscope */
	HS_ERR_USAGE = 2,        /* bad command line */
	HS_ERR_NO_PROCESS = 3,   /* no such PID / process gone before attach */
	HS_ERR_PERMISSION = 4,   /* ptrace or /proc access denied */
	HS_ERR_NOT_PYTHON = 5,   /* no CPython runtime in the target */
	HS_ERR_UNSUPPORTED = 6,  /* a CPython we have no layout for */
	HS_ERR_TARGET_CHANGED = 7, /* target exited or remapped during the copy */
	HS_ERR_INCONSISTENT = 8, /* heap structures do not add up */
	HS_ERR_READ = 9,         /* an address that should be readable is not */
	HS_ERR_NOMEM = 10,       /* we ran out of memory or hit --max-copy */
	HS_ERR_INTERRUPTED = 11, /* SIGINT/SIGTERM while attached */
	HS_ERR_NOT_FOUND = 12,   /* the object / address asked for is not there */
	HS_ERR_BAD_FILE = 13,    /* a snapshot or core file that is corrupt, truncated,
				    or not one */
	HS_ERR_FILE_VERSION = 14, /* a snapshot file of a newer, incompatible format */
	HS_ERR_CORE_FILES = 15,  /* a core's mapped files are missing or differ here */
};

struct hs_err {
	enum hs_status code;
	char msg[1024];
};

/* Record an error and return its code, so callers can write
 *   return hs_fail(err, HS_ERR_READ, "cannot read %#lx", addr); */
enum hs_status hs_fail(struct hs_err *err, enum hs_status code,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepend context to an existing message ("reading gen 2: " + msg). */
void hs_err_prefix(struct hs_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Short stable name of a status ("permission", "not_python"…), for JSON. */
const char *hs_status_name(enum hs_status code);

#endif
