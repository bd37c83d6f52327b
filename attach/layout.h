/* layout — where each CPython structure field lives, per version.
 *
 * One table per minor version (attach/layout.c), chosen by layout_for();
 * no #if forests anywhere else.  Parsers read `L->dict_ma_keys` etc. and
 * never test the version for an offset.  On 3.13+ the runtime describes
 * itself in `_Py_DebugOffsets` at _PyRuntime+0; layout_for() validates that
 * table (cookie, version, sane sizes) and prefers its values over ours,
 * recording any disagreement in `debug_offsets_mismatch`.
 *
 * Every offset is in bytes from the start of the named C struct; -1 means
 * "this version has no such field".  All builtin tables are checked against
 * the DWARF of the pyenv libpythons by tests/unit/test_layout_dwarf.c.
 * 64-bit, default (GIL) builds only.
 */
#ifndef HS_LAYOUT_H
#define HS_LAYOUT_H

#include <stdint.h>
#include "err.h"
#include "memsrc.h"
#include "pyfind.h"

typedef int32_t off_t32;   /* -1 = absent */

struct py_layout {
	int minor;                     /* 8..13 (3.x) */
	int from_debug_offsets;        /* 1 when _Py_DebugOffsets were applied */
	int debug_offsets_mismatch;    /* fields where they differed from ours */

	/* _PyRuntimeState */
	off_t32 rt_interp_head;        /* interpreters.head */
	off_t32 rt_interp_main;        /* interpreters.main */
	off_t32 rt_gc;                 /* 3.8: GC state lives in the runtime */

	/* PyInterpreterState */
	off_t32 interp_next, interp_id, interp_threads_head;
	off_t32 interp_gc;             /* struct _gc_runtime_state (3.9+) */
	off_t32 interp_modules, interp_sysdict, interp_builtins;

	/* struct _gc_runtime_state (relative to its start) */
	off_t32 gc_enabled, gc_debug;
	off_t32 gc_generations;        /* generations[0]; 3 of gc_gen_size each */
	off_t32 gc_gen_size;           /* sizeof(struct gc_generation) = 24 */
	off_t32 gc_gen_threshold, gc_gen_count; /* inside a gc_generation */
	off_t32 gc_permanent;          /* permanent_generation (gc.freeze()) */
	off_t32 gc_stats;              /* generation_stats[0] */
	off_t32 gc_stats_size;         /* sizeof(struct gc_generation_stats) */
	off_t32 gc_stats_collections, gc_stats_collected, gc_stats_uncollectable;
	off_t32 gc_collecting, gc_garbage, gc_callbacks;
	off_t32 gc_long_lived_total, gc_long_lived_pending;

	/* PyThreadState */
	off_t32 ts_next, ts_interp;
	off_t32 ts_frame;              /* ≤3.10: PyFrameObject *frame */
	off_t32 ts_cframe;             /* 3.10–3.12: _PyCFrame *cframe */
	off_t32 cframe_current_frame;  /* 3.11–3.12: cframe->current_frame */
	off_t32 ts_current_frame;      /* 3.13: _PyInterpreterFrame *current_frame */
	off_t32 ts_thread_id, ts_native_thread_id;

	/* PyObject / PyVarObject */
	off_t32 ob_refcnt, ob_type, ob_size;
	off_t32 gc_head_size;          /* sizeof(PyGC_Head) = 16 */

	/* PyTypeObject / PyHeapTypeObject */
	off_t32 tp_name, tp_basicsize, tp_itemsize, tp_dealloc, tp_flags;
	off_t32 tp_traverse, tp_weaklistoffset, tp_base, tp_dict, tp_dictoffset;
	off_t32 tp_bases, tp_mro, tp_subclasses, tp_is_gc, tp_methods;
	off_t32 type_size;             /* sizeof(PyTypeObject) */
	off_t32 ht_name, ht_slots, ht_qualname, ht_cached_keys, ht_module;
	off_t32 heaptype_size;         /* sizeof(PyHeapTypeObject) */
	off_t32 member_size;           /* sizeof(PyMemberDef) = 40 */

	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject) */
	off_t32 str_length, str_hash, str_state;
	off_t32 str_ascii_size;        /* sizeof(PyASCIIObject): data of compact ascii */
	off_t32 str_compact_size;      /* sizeof(PyCompactUnicodeObject) */
	off_t32 str_utf8_length, str_utf8, str_wstr, str_wstr_length;
	off_t32 str_data;              /* PyUnicodeObject.data.any (non-compact) */

	/* int */
	off_t32 long_digits;           /* ob_digit */
	off_t32 long_lv_tag;           /* 3.12+: lv_tag; -1 ⇒ sign/size in ob_size */

	/* float, bytes, bytearray */
	off_t32 float_fval;
	off_t32 bytes_shash, bytes_sval;
	off_t32 bytearray_alloc, bytearray_bytes, bytearray_start;

	/* tuple, list */
	off_t32 tuple_items;
	off_t32 list_items, list_allocated;

	/* dict */
	off_t32 dict_used, dict_keys, dict_values;
	off_t32 dict_size;             /* sizeof(PyDictObject) */
	off_t32 keys_refcnt;
	off_t32 keys_size;             /* ≤3.10 dk_size (Py_ssize_t) */
	off_t32 keys_lookup;           /* ≤3.10 dk_lookup fn pointer */
	off_t32 keys_log2_size, keys_log2_index_bytes, keys_kind; /* 3.11+ u8 */
	off_t32 keys_usable, keys_nentries, keys_indices;
	off_t32 keys_header_size;      /* sizeof(PyDictKeysObject) */
	off_t32 keyentry_size;         /* sizeof(PyDictKeyEntry) = 24 */
	off_t32 unientry_size;         /* 3.11+ sizeof(PyDictUnicodeEntry) = 16 */
	off_t32 values_values;         /* offset of values[] in PyDictValues (0 / 8 on 3.13) */
	off_t32 values_capacity, values_size, values_valid; /* 3.13 u8 fields */

	/* set / frozenset */
	off_t32 set_fill, set_used, set_mask, set_table, set_smalltable;
	off_t32 set_size;              /* sizeof(PySetObject) */
	off_t32 setentry_size;

	/* code */
	off_t32 co_argcount, co_nlocals, co_stacksize, co_flags, co_firstlineno;
	off_t32 co_code;               /* ≤3.10 bytes */
	off_t32 co_code_adaptive;      /* 3.11+ inline bytecode */
	off_t32 co_consts, co_names, co_varnames, co_cellvars, co_freevars;
	off_t32 co_localsplusnames, co_localspluskinds;  /* 3.11+ */
	off_t32 co_nlocalsplus, co_framesize;            /* 3.11+ */
	off_t32 co_filename, co_name, co_qualname;
	off_t32 co_lnotab, co_linetable;
	off_t32 code_size;             /* sizeof(PyCodeObject) */

	/* function */
	off_t32 fn_code, fn_globals, fn_builtins, fn_defaults, fn_kwdefaults;
	off_t32 fn_closure, fn_doc, fn_name, fn_dict, fn_weakreflist, fn_module;
	off_t32 fn_annotations, fn_qualname, fn_typeparams;

	/* cell, bound method, builtin function, module, weakref */
	off_t32 cell_ref;
	off_t32 meth_func, meth_self;
	off_t32 cfunc_ml, cfunc_self, cfunc_module;
	off_t32 mod_dict, mod_def, mod_state, mod_name;
	off_t32 wr_object, wr_callback;

	/* PyFrameObject */
	off_t32 frame_back;
	off_t32 frame_code, frame_builtins, frame_globals, frame_locals; /* ≤3.10 */
	off_t32 frame_valuestack, frame_stacktop;                         /* ≤3.10 (3.10: f_stackdepth) */
	off_t32 frame_lasti, frame_lineno;
	off_t32 frame_localsplus;      /* ≤3.10 */
	off_t32 frame_frame;           /* 3.11+: _PyInterpreterFrame *f_frame */
	off_t32 frame_size;            /* sizeof(PyFrameObject) */
	off_t32 frame_data;            /* 3.11+: offset of _f_frame_data (embedded iframe) */

	/* _PyInterpreterFrame (3.11+) */
	off_t32 iframe_code;           /* f_code (3.11/3.12) / f_executable (3.13) */
	off_t32 iframe_previous, iframe_func, iframe_globals, iframe_builtins;
	off_t32 iframe_locals, iframe_frame_obj, iframe_prev_instr; /* prev_instr / instr_ptr */
	off_t32 iframe_stacktop, iframe_owner, iframe_localsplus;

	/* generator / coroutine */
	off_t32 gen_frame;             /* ≤3.10 gi_frame (PyFrameObject*) */
	off_t32 gen_code;              /* ≤3.11 gi_code */
	off_t32 gen_name, gen_qualname, gen_weakreflist;
	off_t32 gen_frame_state;       /* 3.11+ int8 */
	off_t32 gen_iframe;            /* 3.11+ embedded _PyInterpreterFrame */

	/* Pre-header words in front of the object (3.11+ managed dict etc.),
	 * negative offsets from the object start; -1... use 0 for "none". */
	int32_t managed_dict_off;      /* 3.11: -24, 3.12: -24 (tagged), 3.13: -24 */
	int32_t managed_values_off;    /* 3.11: -32, else 0 */
	int32_t managed_weakref_off;   /* 3.12+: -32, else 0 */
	int32_t preheader_managed;     /* bytes added by MANAGED_DICT/PREHEADER flags (16) */
};

/* Py_TPFLAGS_* bits (same numbers in every supported version; the
 * version-specific ones are 0 where they do not exist). */
#define PY_TPFLAGS_INLINE_VALUES   (1UL << 2)   /* 3.13+ */
#define PY_TPFLAGS_MANAGED_WEAKREF (1UL << 3)   /* 3.12+ */
#define PY_TPFLAGS_MANAGED_DICT    (1UL << 4)   /* 3.11+ */
#define PY_TPFLAGS_HEAPTYPE        (1UL << 9)
#define PY_TPFLAGS_HAVE_GC         (1UL << 14)
#define PY_TPFLAGS_LONG_SUBCLASS   (1UL << 24)
#define PY_TPFLAGS_LIST_SUBCLASS   (1UL << 25)
#define PY_TPFLAGS_TUPLE_SUBCLASS  (1UL << 26)
#define PY_TPFLAGS_BYTES_SUBCLASS  (1UL << 27)
#define PY_TPFLAGS_UNICODE_SUBCLASS (1UL << 28)
#define PY_TPFLAGS_DICT_SUBCLASS   (1UL << 29)
#define PY_TPFLAGS_BASE_EXC_SUBCLASS (1UL << 30)
#define PY_TPFLAGS_TYPE_SUBCLASS   (1UL << 31)

/* The built-in table for 3.<minor>, or NULL when we have none. */
const struct py_layout *layout_builtin(int minor);

/* Choose and validate the layout for a target: the built-in table for
 * rt->minor, refined by _Py_DebugOffsets read from `m` at rt->runtime on
 * 3.13+.  Errors: HS_ERR_UNSUPPORTED (no table; message lists supported
 * versions), HS_ERR_INCONSISTENT (debug offsets present but invalid AND no
 * built-in table to fall back on). */
enum hs_status layout_for(const struct py_runtime_info *rt, memsrc *m,
			  struct py_layout *out, struct hs_err *err);

#endif
