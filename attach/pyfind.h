/* pyfind — is this a CPython process, which version, where is _PyRuntime?
 *
 * Works from the ELF files alone (no access to the target's memory), so it
 * runs *before* the target is frozen and a non-Python or unsupported target
 * is never stopped.  Order of evidence:
 *   1. the mapped file that defines `_PyRuntime` (.symtab or .dynsym; the
 *      start of the `.PyRuntime` section when the symbol is missing);
 *   2. version: `_Py_DebugOffsets` cookie "xdebugpy" + version at
 *      _PyRuntime+0 (3.13+, read from the file's .PyRuntime bytes); else
 *      `Py_Version` (3.11+); else the `PY_VERSION` string ("3.9.18") in
 *      .rodata, cross-checked with the file name (libpython3.9.so, python3.9);
 *   3. Python 2.x / 3.0–3.6 are recognised (no _PyRuntime or old symbols)
 *      so they get HS_ERR_UNSUPPORTED with their version, not "not Python".
 */
#ifndef HS_PYFIND_H
#define HS_PYFIND_H

#include <limits.h>
#include <sys/types.h>
#include "err.h"
#include "memsrc.h"

struct py_runtime_info {
	unsigned version_hex;   /* PY_VERSION_HEX, e.g. 0x030b02f0 */
	int major, minor, micro;
	char version[32];       /* "3.11.2" */
	raddr_t runtime;        /* &_PyRuntime in the target */
	uint64_t runtime_size;  /* st_size of _PyRuntime (0 if unknown) */
	char path[PATH_MAX];    /* ELF that defines _PyRuntime, as the target sees it */
	int stripped;           /* 1 when only .dynsym was available */
	int free_threaded;      /* 3.13t+ (unsupported for now) */
	/* Well-known static objects (0 when not found). Used to recognise
	 * None/True/False and set dummies without reading type names. */
	raddr_t sym_none, sym_true, sym_false, sym_ellipsis, sym_notimplemented;
	raddr_t sym_set_dummy;  /* _PySet_Dummy (value of the pointer variable's address) */
	raddr_t sym_type_type, sym_object_type;
	char build_id[41];      /* GNU build id of that ELF (hex), "" if none */
	/* 3.13+: the initial bytes at _PyRuntime in the ELF file (its
	 * _Py_DebugOffsets), so a layout can be chosen before the target is
	 * stopped; dbg_image_len 0 when there are none */
	unsigned char dbg_image[1024];
	size_t dbg_image_len;
	/* 2.7 / 3.6 have no _PyRuntime: the interpreter list and the GC state
	 * are static variables, found through .symtab (0 when stripped). */
	raddr_t sym_interp_head;     /* pystate.c: PyInterpreterState *interp_head */
	raddr_t sym_gc_generations;  /* gcmodule.c: struct gc_generation generations[3] */
	raddr_t sym_gc_generation0;  /* PyGC_Head *_PyGC_generation0 (exported) */
	raddr_t sym_gc_enabled, sym_gc_collecting, sym_gc_garbage, sym_gc_stats, sym_gc_debug;
	/* tracemalloc, 3.7-3.11 (3.12+ keeps it in _PyRuntime): the exported
	 * _Py_tracemalloc_config (3.7: the static tracemalloc_config), and
	 * tracemalloc_traces, a static variable of Modules/_tracemalloc.c
	 * (.symtab only: 0 in a stripped build) */
	raddr_t sym_tm_config, sym_tm_traces;
};

/* Supported minor versions of 3.x (inclusive).  A newer 3.x is tried
 * through its own _Py_DebugOffsets (layout_for). */
#define PY_MIN_MINOR 7
#define PY_MAX_MINOR 15
#define PY_SUPPORTED_TEXT "CPython 2.7 and 3.6 to 3.15 (x86_64 Linux, default GIL build)"

/* Errors: HS_ERR_NOT_PYTHON (no CPython in any mapped file),
 * HS_ERR_UNSUPPORTED (found, but version outside 3.7–3.15 or
 * free-threaded; the message names the version and the supported list),
 * HS_ERR_READ (files not openable). */
enum hs_status py_find_runtime(pid_t pid, const struct mem_map *maps, size_t n,
			       struct py_runtime_info *out, struct hs_err *err);

#endif
