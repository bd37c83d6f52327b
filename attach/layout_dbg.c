/* layout_dbg — see layout_dbg.h.
 *
 * Positions are byte offsets of each member inside struct _Py_DebugOffsets,
 * per minor version, read with `ptype /o struct _Py_DebugOffsets` from the
 * DWARF of pyenv's 3.13.0 and Debian's 3.13.5/3.13.18, 3.14.10 and 3.15.2
 * builds, and re-checked against that DWARF on every test run
 * (tests/unit/test_layout_dwarf.c, which also reads each build's genuine
 * debug offsets through dbg_read()).  -1 = no such member in that version.
 */
#include "layout_dbg.h"

#include <stddef.h>
#include <string.h>

/* How a value is sanity-checked. */
enum kind {
	K_SIZE,   /* the size of the struct its group describes: 0 < v < 1 MiB */
	K_OFF,    /* an offset inside that struct: v < the group's size */
	K_LE,     /* a size of a prefix of that struct: 0 < v <= the group's size */
	K_ANY,    /* an offset into another struct, or a foreign size: v < 1 MiB */
};

#define NMIRROR 3           /* 3.13, 3.14, 3.15 */
#define FIRST_MINOR 13

static const struct dpos {
	enum dbg_field f;
	enum dbg_field group;    /* the K_SIZE field of its block */
	enum kind kind;
	const char *member;      /* path inside struct _Py_DebugOffsets (for tests) */
	int16_t pos[NMIRROR];    /* 3.13, 3.14, 3.15 */
} dpos[] = {
	{ DO_RT_SIZE, DO_RT_SIZE, K_SIZE, "runtime_state.size", { 24, 24, 24 } },
	{ DO_RT_FINALIZING, DO_RT_SIZE, K_OFF, "runtime_state.finalizing", { 32, 32, 32 } },
	{ DO_RT_INTERP_HEAD, DO_RT_SIZE, K_OFF, "runtime_state.interpreters_head", { 40, 40, 40 } },

	{ DO_IS_SIZE, DO_IS_SIZE, K_SIZE, "interpreter_state.size", { 48, 48, 48 } },
	{ DO_IS_ID, DO_IS_SIZE, K_OFF, "interpreter_state.id", { 56, 56, 56 } },
	{ DO_IS_NEXT, DO_IS_SIZE, K_OFF, "interpreter_state.next", { 64, 64, 64 } },
	{ DO_IS_THREADS_HEAD, DO_IS_SIZE, K_OFF, "interpreter_state.threads_head", { 72, 72, 72 } },
	{ DO_IS_THREADS_MAIN, DO_IS_SIZE, K_OFF, "interpreter_state.threads_main", { -1, 80, 80 } },
	{ DO_IS_GC, DO_IS_SIZE, K_OFF, "interpreter_state.gc", { 80, 88, 88 } },
	{ DO_IS_MODULES, DO_IS_SIZE, K_OFF, "interpreter_state.imports_modules", { 88, 96, 96 } },
	{ DO_IS_SYSDICT, DO_IS_SIZE, K_OFF, "interpreter_state.sysdict", { 96, 104, 104 } },
	{ DO_IS_BUILTINS, DO_IS_SIZE, K_OFF, "interpreter_state.builtins", { 104, 112, 112 } },
	{ DO_IS_CEVAL_GIL, DO_IS_SIZE, K_OFF, "interpreter_state.ceval_gil", { 112, 120, 120 } },
	{ DO_IS_GIL_STATE, DO_IS_SIZE, K_OFF, "interpreter_state.gil_runtime_state", { 120, 128, 128 } },
	{ DO_IS_GIL_ENABLED, DO_IS_SIZE, K_ANY, "interpreter_state.gil_runtime_state_enabled", { 128, 136, 136 } },
	{ DO_IS_GIL_LOCKED, DO_IS_SIZE, K_ANY, "interpreter_state.gil_runtime_state_locked", { 136, 144, 144 } },
	{ DO_IS_GIL_HOLDER, DO_IS_SIZE, K_ANY, "interpreter_state.gil_runtime_state_holder", { 144, 152, 152 } },
	{ DO_IS_CODE_GEN, DO_IS_SIZE, K_OFF, "interpreter_state.code_object_generation", { -1, 160, 160 } },
	{ DO_IS_TLBC_GEN, DO_IS_SIZE, K_OFF, "interpreter_state.tlbc_generation", { -1, 168, 168 } },

	{ DO_TS_SIZE, DO_TS_SIZE, K_SIZE, "thread_state.size", { 152, 176, 176 } },
	{ DO_TS_PREV, DO_TS_SIZE, K_OFF, "thread_state.prev", { 160, 184, 184 } },
	{ DO_TS_NEXT, DO_TS_SIZE, K_OFF, "thread_state.next", { 168, 192, 192 } },
	{ DO_TS_INTERP, DO_TS_SIZE, K_OFF, "thread_state.interp", { 176, 200, 200 } },
	{ DO_TS_CURRENT_FRAME, DO_TS_SIZE, K_OFF, "thread_state.current_frame", { 184, 208, 208 } },
	{ DO_TS_BASE_FRAME, DO_TS_SIZE, K_OFF, "thread_state.base_frame", { -1, -1, 216 } },
	{ DO_TS_LAST_PROFILED_FRAME, DO_TS_SIZE, K_OFF, "thread_state.last_profiled_frame", { -1, -1, 224 } },
	{ DO_TS_LAST_PROFILED_SEQ, DO_TS_SIZE, K_OFF, "thread_state.last_profiled_frame_seq", { -1, -1, 232 } },
	{ DO_TS_THREAD_ID, DO_TS_SIZE, K_OFF, "thread_state.thread_id", { 192, 216, 240 } },
	{ DO_TS_NATIVE_THREAD_ID, DO_TS_SIZE, K_OFF, "thread_state.native_thread_id", { 200, 224, 248 } },
	{ DO_TS_DATASTACK, DO_TS_SIZE, K_OFF, "thread_state.datastack_chunk", { 208, 232, 256 } },
	{ DO_TS_STATUS, DO_TS_SIZE, K_OFF, "thread_state.status", { 216, 240, 264 } },
	{ DO_TS_HOLDS_GIL, DO_TS_SIZE, K_OFF, "thread_state.holds_gil", { -1, -1, 272 } },
	{ DO_TS_GIL_REQUESTED, DO_TS_SIZE, K_OFF, "thread_state.gil_requested", { -1, -1, 280 } },
	{ DO_TS_CURRENT_EXC, DO_TS_SIZE, K_OFF, "thread_state.current_exception", { -1, -1, 288 } },
	{ DO_TS_EXC_STATE, DO_TS_SIZE, K_OFF, "thread_state.exc_state", { -1, -1, 296 } },
	{ DO_ERRITEM_EXC_VALUE, DO_TS_SIZE, K_ANY, "err_stackitem.exc_value", { -1, -1, 304 } },

	{ DO_IF_SIZE, DO_IF_SIZE, K_SIZE, "interpreter_frame.size", { 224, 248, 312 } },
	{ DO_IF_PREVIOUS, DO_IF_SIZE, K_OFF, "interpreter_frame.previous", { 232, 256, 320 } },
	{ DO_IF_EXECUTABLE, DO_IF_SIZE, K_OFF, "interpreter_frame.executable", { 240, 264, 328 } },
	{ DO_IF_INSTR_PTR, DO_IF_SIZE, K_OFF, "interpreter_frame.instr_ptr", { 248, 272, 336 } },
	{ DO_IF_LOCALSPLUS, DO_IF_SIZE, K_OFF, "interpreter_frame.localsplus", { 256, 280, 344 } },
	{ DO_IF_OWNER, DO_IF_SIZE, K_OFF, "interpreter_frame.owner", { 264, 288, 352 } },
	{ DO_IF_STACKPOINTER, DO_IF_SIZE, K_OFF, "interpreter_frame.stackpointer", { -1, 296, 360 } },
	{ DO_IF_TLBC_INDEX, DO_IF_SIZE, K_ANY, "interpreter_frame.tlbc_index", { -1, 304, 368 } },

	{ DO_CO_SIZE, DO_CO_SIZE, K_SIZE, "code_object.size", { 272, 312, 376 } },
	{ DO_CO_FILENAME, DO_CO_SIZE, K_OFF, "code_object.filename", { 280, 320, 384 } },
	{ DO_CO_NAME, DO_CO_SIZE, K_OFF, "code_object.name", { 288, 328, 392 } },
	{ DO_CO_QUALNAME, DO_CO_SIZE, K_OFF, "code_object.qualname", { 296, 336, 400 } },
	{ DO_CO_LINETABLE, DO_CO_SIZE, K_OFF, "code_object.linetable", { 304, 344, 408 } },
	{ DO_CO_FIRSTLINENO, DO_CO_SIZE, K_OFF, "code_object.firstlineno", { 312, 352, 416 } },
	{ DO_CO_ARGCOUNT, DO_CO_SIZE, K_OFF, "code_object.argcount", { 320, 360, 424 } },
	{ DO_CO_LOCALSPLUSNAMES, DO_CO_SIZE, K_OFF, "code_object.localsplusnames", { 328, 368, 432 } },
	{ DO_CO_LOCALSPLUSKINDS, DO_CO_SIZE, K_OFF, "code_object.localspluskinds", { 336, 376, 440 } },
	{ DO_CO_CODE_ADAPTIVE, DO_CO_SIZE, K_OFF, "code_object.co_code_adaptive", { 344, 384, 448 } },
	{ DO_CO_TLBC, DO_CO_SIZE, K_ANY, "code_object.co_tlbc", { -1, 392, 456 } },

	{ DO_OB_SIZE, DO_OB_SIZE, K_SIZE, "pyobject.size", { 352, 400, 464 } },
	{ DO_OB_TYPE, DO_OB_SIZE, K_OFF, "pyobject.ob_type", { 360, 408, 472 } },

	{ DO_TY_SIZE, DO_TY_SIZE, K_SIZE, "type_object.size", { 368, 416, 480 } },
	{ DO_TY_NAME, DO_TY_SIZE, K_OFF, "type_object.tp_name", { 376, 424, 488 } },
	{ DO_TY_REPR, DO_TY_SIZE, K_OFF, "type_object.tp_repr", { 384, 432, 496 } },
	{ DO_TY_FLAGS, DO_TY_SIZE, K_OFF, "type_object.tp_flags", { 392, 440, 504 } },
	{ DO_TY_BASICSIZE, DO_TY_SIZE, K_OFF, "type_object.tp_basicsize", { -1, -1, 512 } },
	{ DO_TY_DICTOFFSET, DO_TY_SIZE, K_OFF, "type_object.tp_dictoffset", { -1, -1, 520 } },

	{ DO_HT_SIZE, DO_HT_SIZE, K_SIZE, "heap_type_object.size", { -1, -1, 528 } },
	{ DO_HT_CACHED_KEYS, DO_HT_SIZE, K_OFF, "heap_type_object.ht_cached_keys", { -1, -1, 536 } },

	{ DO_TU_SIZE, DO_TU_SIZE, K_SIZE, "tuple_object.size", { 400, 448, 544 } },
	{ DO_TU_ITEM, DO_TU_SIZE, K_OFF, "tuple_object.ob_item", { 408, 456, 552 } },
	{ DO_TU_OB_SIZE, DO_TU_SIZE, K_OFF, "tuple_object.ob_size", { 416, 464, 560 } },

	{ DO_LI_SIZE, DO_LI_SIZE, K_SIZE, "list_object.size", { 424, 472, 568 } },
	{ DO_LI_ITEM, DO_LI_SIZE, K_OFF, "list_object.ob_item", { 432, 480, 576 } },
	{ DO_LI_OB_SIZE, DO_LI_SIZE, K_OFF, "list_object.ob_size", { 440, 488, 584 } },

	{ DO_SE_SIZE, DO_SE_SIZE, K_SIZE, "set_object.size", { -1, 496, 592 } },
	{ DO_SE_USED, DO_SE_SIZE, K_OFF, "set_object.used", { -1, 504, 600 } },
	{ DO_SE_TABLE, DO_SE_SIZE, K_OFF, "set_object.table", { -1, 512, 608 } },
	{ DO_SE_MASK, DO_SE_SIZE, K_OFF, "set_object.mask", { -1, 520, 616 } },

	{ DO_DI_SIZE, DO_DI_SIZE, K_SIZE, "dict_object.size", { 448, 528, 624 } },
	{ DO_DI_KEYS, DO_DI_SIZE, K_OFF, "dict_object.ma_keys", { 456, 536, 632 } },
	{ DO_DI_VALUES, DO_DI_SIZE, K_OFF, "dict_object.ma_values", { 464, 544, 640 } },

	{ DO_FL_SIZE, DO_FL_SIZE, K_SIZE, "float_object.size", { 472, 552, 648 } },
	{ DO_FL_FVAL, DO_FL_SIZE, K_OFF, "float_object.ob_fval", { 480, 560, 656 } },

	{ DO_LO_SIZE, DO_LO_SIZE, K_SIZE, "long_object.size", { 488, 568, 664 } },
	{ DO_LO_LV_TAG, DO_LO_SIZE, K_OFF, "long_object.lv_tag", { 496, 576, 672 } },
	{ DO_LO_DIGIT, DO_LO_SIZE, K_OFF, "long_object.ob_digit", { 504, 584, 680 } },

	{ DO_BY_SIZE, DO_BY_SIZE, K_SIZE, "bytes_object.size", { 512, 592, 688 } },
	{ DO_BY_OB_SIZE, DO_BY_SIZE, K_OFF, "bytes_object.ob_size", { 520, 600, 696 } },
	{ DO_BY_SVAL, DO_BY_SIZE, K_OFF, "bytes_object.ob_sval", { 528, 608, 704 } },

	{ DO_UN_SIZE, DO_UN_SIZE, K_SIZE, "unicode_object.size", { 536, 616, 712 } },
	{ DO_UN_STATE, DO_UN_SIZE, K_OFF, "unicode_object.state", { 544, 624, 720 } },
	{ DO_UN_LENGTH, DO_UN_SIZE, K_OFF, "unicode_object.length", { 552, 632, 728 } },
	{ DO_UN_ASCII_SIZE, DO_UN_SIZE, K_LE, "unicode_object.asciiobject_size", { 560, 640, 736 } },
	{ DO_UN_COMPACT_SIZE, DO_UN_SIZE, K_LE, "unicode_object.compactunicodeobject_size", { -1, -1, 744 } },

	{ DO_GC_SIZE, DO_GC_SIZE, K_SIZE, "gc.size", { 568, 648, 752 } },
	{ DO_GC_COLLECTING, DO_GC_SIZE, K_OFF, "gc.collecting", { 576, 656, 760 } },
	{ DO_GC_FRAME, DO_GC_SIZE, K_OFF, "gc.frame", { -1, -1, 768 } },
	{ DO_GC_STATS_SIZE, DO_GC_SIZE, K_ANY, "gc.generation_stats_size", { -1, -1, 776 } },
	{ DO_GC_STATS, DO_GC_SIZE, K_OFF, "gc.generation_stats", { -1, -1, 784 } },

	{ DO_GE_SIZE, DO_GE_SIZE, K_SIZE, "gen_object.size", { -1, 664, 792 } },
	{ DO_GE_NAME, DO_GE_SIZE, K_OFF, "gen_object.gi_name", { -1, 672, 800 } },
	{ DO_GE_IFRAME, DO_GE_SIZE, K_OFF, "gen_object.gi_iframe", { -1, 680, 808 } },
	{ DO_GE_FRAME_STATE, DO_GE_SIZE, K_OFF, "gen_object.gi_frame_state", { -1, 688, 816 } },
};

/* sizeof(struct _Py_DebugOffsets) per mirror */
static const uint16_t dbg_size[NMIRROR] = { 584, 760, 888 };

_Static_assert(sizeof dpos / sizeof dpos[0] == DO__COUNT, "one position row per field");

/* Larger than any real CPython struct (PyInterpreterState is ~190 KiB in
 * 3.13, _PyRuntimeState ~340 KiB in 3.15): anything bigger means we are
 * not looking at debug offsets, or at a layout we do not understand. */
#define DBG_MAX (1u << 20)

int dbg_newest_minor(void)
{
	return FIRST_MINOR + NMIRROR - 1;
}

size_t dbg_struct_size(int minor)
{
	return minor >= FIRST_MINOR && minor < FIRST_MINOR + NMIRROR ? dbg_size[minor - FIRST_MINOR] : 0;
}

const char *dbg_member_path(enum dbg_field f, int minor, int *pos)
{
	for (size_t i = 0; i < DO__COUNT; i++)
		if (dpos[i].f == f) {
			*pos = minor >= FIRST_MINOR && minor < FIRST_MINOR + NMIRROR
				? dpos[i].pos[minor - FIRST_MINOR] : -1;
			return dpos[i].member;
		}
	*pos = -1;
	return NULL;
}

int dbg_parse(const unsigned char *raw, size_t len, uint64_t runtime_size, int minor,
	      struct py_dbg *out)
{
	int mi = minor - FIRST_MINOR;

	if (mi < 0 || mi >= NMIRROR || !raw || len < dbg_size[mi] || memcmp(raw, "xdebugpy", 8) != 0)
		return -1;
	_Static_assert(DBG_IMAGE_MAX >= 888, "DBG_IMAGE_MAX holds the largest mirror");
	memcpy(&out->version, raw + 8, 8);
	memcpy(&out->free_threaded, raw + 16, 8);
	out->mirror_minor = minor;
	for (size_t i = 0; i < DO__COUNT; i++) {
		int p = dpos[i].pos[mi];
		out->v[dpos[i].f] = DBG_ABSENT;
		if (p >= 0)
			memcpy(&out->v[dpos[i].f], raw + p, 8);
	}
	/* Each described struct's size must be plausible and every offset
	 * inside it.  A random blob that happens to start with "xdebugpy"
	 * fails this; so does a version whose struct grew in the middle. */
	for (size_t i = 0; i < DO__COUNT; i++) {
		uint64_t v = out->v[dpos[i].f], gs = out->v[dpos[i].group];
		if (v == DBG_ABSENT)
			continue;
		switch (dpos[i].kind) {
		case K_SIZE:
			if (v == 0 || v >= DBG_MAX)
				return -1;
			break;
		case K_OFF:
			if (gs == DBG_ABSENT || v >= gs)
				return -1;
			break;
		case K_LE:
			if (gs == DBG_ABSENT || v == 0 || v > gs)
				return -1;
			break;
		case K_ANY:
			if (v >= DBG_MAX)
				return -1;
			break;
		}
	}
	/* The ELF symbol size is an independent witness for the runtime. */
	if (runtime_size && out->v[DO_RT_SIZE] != runtime_size)
		return -1;
	return 0;
}
