/* frames — threads and their Python stacks, from a snapshot.
 *
 * Walks an interpreter's thread states (interp->threads.head, ts->next)
 * and each thread's frames, innermost first:
 *   ≤3.10  tstate->frame, a chain of PyFrameObject via f_back;
 *   3.11/3.12  tstate->cframe->current_frame, a chain of
 *          _PyInterpreterFrame via `previous`, skipping C-stack shim
 *          frames (owner) and frames not yet complete;
 *   3.13  tstate->current_frame, same chain.
 * Line numbers come from the code object's line table (co_lnotab ≤3.9,
 * the 3.10 co_linetable, the 3.11+ PEP 657 location table) and the
 * frame's last/next instruction, exactly as frame.f_lineno computes it.
 * Locals pair co_varnames / co_localsplusnames with the frame's fast
 * locals, dereference cell and free variables through their cells, and
 * add the f_locals dict of module-level / class-body frames.
 *
 * Every chain walk is bounded (FRAMES_MAX_DEPTH, FRAMES_MAX_THREADS) and
 * checks for loops; unreadable pieces leave fields empty/0 rather than
 * failing the whole walk.
 */
#ifndef HS_FRAMES_H
#define HS_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "pyobj.h"

#define FRAMES_MAX_DEPTH 4096
#define FRAMES_MAX_THREADS 4096

enum py_local_kind {
	PY_LOCAL_FAST,  /* plain local (co_varnames) */
	PY_LOCAL_CELL,  /* cell variable owned by this frame (value = cell contents) */
	PY_LOCAL_FREE,  /* free variable from an enclosing scope (value = cell contents) */
	PY_LOCAL_DICT,  /* entry of the frame's f_locals dict (module/class frames) */
};

struct py_local {
	char name[64];          /* UTF-8, truncated */
	raddr_t name_obj;       /* the name str object (0 for none) */
	raddr_t value;          /* value object; 0 = unbound (not yet assigned / deleted) */
	raddr_t cell;           /* PY_LOCAL_CELL/FREE: the cell object, else 0 */
	enum py_local_kind kind;
};

struct py_frame {
	char function[128];     /* co_name */
	char qualname[256];     /* co_qualname (3.11+), else function's __qualname__ if known, else co_name */
	char file[512];         /* co_filename */
	int line;               /* current line, -1 when unknown */
	int firstlineno;        /* co_firstlineno */
	raddr_t code;           /* PyCodeObject */
	raddr_t frame_obj;      /* PyFrameObject if materialised (always ≤3.10), else 0 */
	raddr_t iframe;         /* 3.11+: the _PyInterpreterFrame, else 0 */
	raddr_t func;           /* 3.11+: the function object (f_func/f_funcobj), else 0 */
	raddr_t globals, builtins;
	raddr_t locals_dict;    /* f_locals dict (module-level / class bodies), else 0 */
	int lasti;              /* instruction offset in bytes from the start of the code, -1 unknown */
	struct py_local *locals;/* malloc'd; owned by the frame */
	size_t nlocals;
	int locals_truncated;   /* more locals than FRAMES_MAX_LOCALS */
};

#define FRAMES_MAX_LOCALS 512

struct py_thread {
	uint64_t thread_id;        /* threading.get_ident() (pthread_t) */
	uint64_t native_thread_id; /* OS TID (threading.get_native_id()), 0 unknown */
	raddr_t tstate;            /* PyThreadState */
	int is_main;               /* the process's main thread */
	char name[64];             /* threading.Thread.name ("" when not known:
	                            * no threading module, a thread it did not start) */
	struct py_frame *frames;   /* innermost first; malloc'd */
	size_t nframes;
	int truncated;             /* stack deeper than FRAMES_MAX_DEPTH or a broken link */
};

/* Which parts to decode (locals are the expensive part). */
#define FRAMES_LOCALS 1

/* The main interpreter's state (runtime->interpreters.main), or 0. */
raddr_t frames_main_interp(struct pyctx *c);

/* Every thread of interpreter `interp` (0 = main interpreter): the main
 * thread first, then the others oldest first (the order threading.
 * enumerate() gives; CPython's own list keeps the newest first), each named
 * from threading._active.  One order for every command and the explorer.
 * flags: FRAMES_LOCALS to decode locals.  *out is malloc'd; free with
 * frames_threads_free().  Returns the number of threads, -1 if the
 * interpreter's thread list cannot be read at all. */
long frames_threads(struct pyctx *c, raddr_t interp, int flags,
		    struct py_thread **out);
void frames_threads_free(struct py_thread *t, size_t n);

/* Decode one frame: a PyFrameObject (any version), or a 3.11+
 * _PyInterpreterFrame (e.g. a generator's gi_iframe).  Fills *out (free
 * its locals with frames_frame_fini).  Returns 0, or -1 if unreadable. */
int frames_decode_frame_obj(struct pyctx *c, raddr_t frame_obj, int flags,
			    struct py_frame *out);
int frames_decode_iframe(struct pyctx *c, raddr_t iframe, int flags,
			 struct py_frame *out);
void frames_frame_fini(struct py_frame *f);

/* Line number of byte offset `lasti` (≥ 0) in a code object, from its line
 * table; -1 when unknown.  lasti = -1 means "not started": gives
 * co_firstlineno (as f_lineno does for a fresh frame). */
int frames_code_line(struct pyctx *c, raddr_t code, int lasti);

#endif
