/* pslist — the Python processes on this host, for `heapscope ps`, the
 * process picker and --pid-of.
 *
 * A process is listed when a file it maps looks like Python (a name with
 * "python" in it: python3.11, libpython3.12.so, uwsgi's python3_plugin.so)
 * and py_find_runtime() finds a CPython in its files (the same detection
 * that attaching uses, so the listing and the attach always agree on the
 * version).  When its memory map is unreadable to us (another user's
 * process, no CAP_SYS_PTRACE), it is listed when its command name says
 * "python", with the version unknown and the reason it cannot be attached.
 * A CPython statically linked into a binary named otherwise is not found
 * here; `heapscope PID` still attaches to it.
 *
 * Nothing is stopped or written: only /proc and the ELF files are read.
 */
#ifndef HS_PSLIST_H
#define HS_PSLIST_H

#include <stddef.h>
#include <sys/types.h>

#include "access.h"
#include "container.h"
#include "err.h"

struct ps_entry {
	pid_t pid;
	struct ctr_info ctr;        /* namespaces, PID inside, cgroup, runtime */
	uid_t uid;                  /* effective */
	char user[32];              /* from /etc/passwd, or "uid N" */
	char version[32];           /* "3.11.2"; "" when unknown */
	int by_name;                /* 1: files unreadable, listed by its name */
	int supported;              /* a version heapscope reads */
	unsigned long long rss;     /* bytes */
	char comm[32];
	char cmdline[512];          /* NULs as spaces, cut */
	/* Can we attach?  status HS_OK, or why not: HS_ERR_PERMISSION (cause
	 * below), HS_ERR_UNSUPPORTED, HS_ERR_READ (files unreadable). */
	enum hs_status status;
	enum access_cause cause;    /* with HS_ERR_PERMISSION */
	char why[96];               /* one line: "yes", "traced by PID 7 (gdb)" */
	char detail[1024];          /* the full explanation and fix ("" when ok) */
};

/* Every Python process but ourselves, by ascending PID.  *out is
 * malloc()ed (free it with free()); *n may be 0.  Errors: HS_ERR_NOMEM,
 * HS_ERR_READ (/proc unreadable: not mounted). */
enum hs_status pslist_scan(struct ps_entry **out, size_t *n, struct hs_err *err);

#endif
