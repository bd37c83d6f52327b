/* layout_dbg — CPython's own description of its structs, _Py_DebugOffsets
 * (3.13+, at _PyRuntime+0), read into one version-independent form.
 *
 * The struct is stable only within a minor version: 3.14 inserted
 * threads_main, set/gen objects and debugger support; 3.15 grew the thread
 * state, type and unicode blocks and the GC block.  Each known minor has a
 * position table (layout_dbg.c, from `ptype /o struct _Py_DebugOffsets` on
 * the DWARF of the builds, checked by tests/unit/test_layout_dwarf.c);
 * layout.c never sees raw positions, only `struct py_dbg`.
 */
#ifndef HS_LAYOUT_DBG_H
#define HS_LAYOUT_DBG_H

#include <stddef.h>
#include <stdint.h>

/* Every field CPython describes in some version; DBG_ABSENT where the
 * version has no such member. */
enum dbg_field {
	DO_RT_SIZE, DO_RT_FINALIZING, DO_RT_INTERP_HEAD,
	DO_IS_SIZE, DO_IS_ID, DO_IS_NEXT, DO_IS_THREADS_HEAD, DO_IS_THREADS_MAIN,
	DO_IS_GC, DO_IS_MODULES, DO_IS_SYSDICT, DO_IS_BUILTINS, DO_IS_CEVAL_GIL,
	DO_IS_GIL_STATE, DO_IS_GIL_ENABLED, DO_IS_GIL_LOCKED, DO_IS_GIL_HOLDER,
	DO_IS_CODE_GEN, DO_IS_TLBC_GEN,
	DO_TS_SIZE, DO_TS_PREV, DO_TS_NEXT, DO_TS_INTERP, DO_TS_CURRENT_FRAME,
	DO_TS_BASE_FRAME, DO_TS_LAST_PROFILED_FRAME, DO_TS_LAST_PROFILED_SEQ,
	DO_TS_THREAD_ID, DO_TS_NATIVE_THREAD_ID, DO_TS_DATASTACK, DO_TS_STATUS,
	DO_TS_HOLDS_GIL, DO_TS_GIL_REQUESTED, DO_TS_CURRENT_EXC, DO_TS_EXC_STATE,
	DO_ERRITEM_EXC_VALUE,
	DO_IF_SIZE, DO_IF_PREVIOUS, DO_IF_EXECUTABLE, DO_IF_INSTR_PTR, DO_IF_LOCALSPLUS,
	DO_IF_OWNER, DO_IF_STACKPOINTER, DO_IF_TLBC_INDEX,
	DO_CO_SIZE, DO_CO_FILENAME, DO_CO_NAME, DO_CO_QUALNAME, DO_CO_LINETABLE,
	DO_CO_FIRSTLINENO, DO_CO_ARGCOUNT, DO_CO_LOCALSPLUSNAMES, DO_CO_LOCALSPLUSKINDS,
	DO_CO_CODE_ADAPTIVE, DO_CO_TLBC,
	DO_OB_SIZE, DO_OB_TYPE,
	DO_TY_SIZE, DO_TY_NAME, DO_TY_REPR, DO_TY_FLAGS, DO_TY_BASICSIZE, DO_TY_DICTOFFSET,
	DO_HT_SIZE, DO_HT_CACHED_KEYS,
	DO_TU_SIZE, DO_TU_ITEM, DO_TU_OB_SIZE,
	DO_LI_SIZE, DO_LI_ITEM, DO_LI_OB_SIZE,
	DO_SE_SIZE, DO_SE_USED, DO_SE_TABLE, DO_SE_MASK,
	DO_DI_SIZE, DO_DI_KEYS, DO_DI_VALUES,
	DO_FL_SIZE, DO_FL_FVAL,
	DO_LO_SIZE, DO_LO_LV_TAG, DO_LO_DIGIT,
	DO_BY_SIZE, DO_BY_OB_SIZE, DO_BY_SVAL,
	DO_UN_SIZE, DO_UN_STATE, DO_UN_LENGTH, DO_UN_ASCII_SIZE, DO_UN_COMPACT_SIZE,
	DO_GC_SIZE, DO_GC_COLLECTING, DO_GC_FRAME, DO_GC_STATS_SIZE, DO_GC_STATS,
	DO_GE_SIZE, DO_GE_NAME, DO_GE_IFRAME, DO_GE_FRAME_STATE,
	DO__COUNT
};

#define DBG_ABSENT UINT64_MAX

struct py_dbg {
	uint64_t version;           /* PY_VERSION_HEX */
	uint64_t free_threaded;
	int mirror_minor;           /* which position table parsed it */
	uint64_t v[DO__COUNT];      /* DBG_ABSENT where not described */
};

/* The newest minor version with a position table. */
int dbg_newest_minor(void);

/* The largest _Py_DebugOffsets we know (bytes to read at _PyRuntime). */
#define DBG_IMAGE_MAX 1024

/* Parse _Py_DebugOffsets from `raw` (the first `len` bytes at _PyRuntime:
 * memory of the target, or the initial image in its ELF file) with the
 * position table of 3.<minor> (minor >= 13).  0 when the cookie is there
 * and every described struct size and member offset is sane (sizes < 1
 * MiB, offsets inside their struct, the runtime size equal to
 * `runtime_size` when that is known); -1 otherwise. */
int dbg_parse(const unsigned char *raw, size_t len, uint64_t runtime_size, int minor,
	      struct py_dbg *out);

/* For tests: the size in bytes of the struct for 3.<minor> (0 if unknown),
 * and the member path ("thread_state.thread_id") and position (-1 if the
 * version has no such member) of field f. */
size_t dbg_struct_size(int minor);
const char *dbg_member_path(enum dbg_field f, int minor, int *pos);

#endif
