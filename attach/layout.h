/* layout — where each CPython structure field lives, per version: the one
 * place that holds CPython offsets.
 *
 * One table per minor version (attach/layout.c), chosen by layout_for();
 * no #if forests and no offset literals anywhere else.  Parsers read
 * `L->dict_ma_keys` etc. and never test the version for an offset; they
 * branch on L->major/L->minor only for semantics (and say why).
 *
 * A table is a starting point, not the last word.  layout_for() refines it
 * for the running build:
 *   - 3.13+: the runtime describes itself in `_Py_DebugOffsets` at
 *     _PyRuntime+0; layout_for() validates that table (cookie, version,
 *     sane sizes, ELF symbol size) and prefers its values, counting any
 *     disagreement in `debug_offsets_mismatch`;
 *   - layout_fit() checks the result against the target's memory before
 *     anything walks it (the GC list heads link back to themselves, the
 *     generation0 pointer names generation 0's head, the first objects'
 *     types are types) and takes what memory proves (Debian's 3.13 builds
 *     place the generations 4 bytes earlier than upstream's); a layout that
 *     does not fit is refused with HS_ERR_UNSUPPORTED, never called a
 *     corrupt heap.
 *
 * Every offset is in bytes from the start of the named C struct; -1 means
 * "this version has no such field".  Every field of every table is checked
 * against the DWARF of the builds it describes (pyenv's libpythons and
 * Debian's -dbg packages) by tests/unit/test_layout_dwarf.c.  64-bit
 * x86_64, default (GIL) builds only.
 */
#ifndef HS_LAYOUT_H
#define HS_LAYOUT_H

#include <stdint.h>
#include "err.h"
#include "memsrc.h"
#include "pyfind.h"

typedef int32_t off_t32;   /* -1 = absent */

/* An enum-valued field (owner_*, fs_*) the version does not have: -1 is a
 * real value of some of them (FRAME_SUSPENDED in 3.10-3.12). */
#define PY_ENUM_NONE (-100)

struct py_layout {
	int major, minor;              /* 2.7, 3.6 … 3.15 */
	int from_debug_offsets;        /* 1 when _Py_DebugOffsets were applied */
	int debug_offsets_mismatch;    /* fields where they differed from ours */

	/* _PyRuntimeState (3.7+) */
	off_t32 rt_interp_head;        /* interpreters.head */
	off_t32 rt_interp_main;        /* interpreters.main */
	off_t32 rt_gc;                 /* 3.7/3.8: GC state lives in the runtime */
	off_t32 rt_main_thread;        /* main_thread (pthread_t of the main thread) */

	/* PyInterpreterState */
	off_t32 interp_next, interp_id, interp_threads_head;
	off_t32 interp_gc;             /* struct _gc_runtime_state (3.9+) */
	off_t32 interp_modules, interp_sysdict, interp_builtins;

	/* struct _gc_runtime_state (relative to its start).  2.7/3.6 keep the
	 * GC state in separate static variables of gcmodule.c: there the base
	 * is the `generations` array itself (gc_generations = 0) and the
	 * scalars are found through symbols (struct py_runtime_info). */
	off_t32 gc_enabled, gc_debug;
	off_t32 gc_generations;        /* generations[0]; 3 of gc_gen_size each */
	off_t32 gc_gen_size;           /* sizeof(struct gc_generation) */
	off_t32 gc_gen_threshold, gc_gen_count; /* inside a gc_generation */
	off_t32 gc_generation0;        /* PyGC_Head *generation0 (= &generations[0].head) */
	off_t32 gc_permanent;          /* permanent_generation (gc.freeze(), 3.7+) */
	off_t32 gc_stats;              /* generation_stats[0] (inline array) */
	off_t32 gc_stats_ptr;          /* 3.15: struct gc_stats *generation_stats */
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the
	 * current entry of each at its `index`: young (gen 0), old[0], old[1] */
	off_t32 gcstats_young, gcstats_young_len, gcstats_young_index;
	off_t32 gcstats_old, gcstats_old_size, gcstats_old_len, gcstats_old_index;
	off_t32 gc_stats_size;         /* sizeof(struct gc_generation_stats) */
	off_t32 gc_stats_collections, gc_stats_collected, gc_stats_uncollectable;
	off_t32 gc_collecting, gc_garbage, gc_callbacks;
	off_t32 gc_long_lived_total, gc_long_lived_pending;

	/* PyThreadState */
	off_t32 ts_next, ts_interp;
	off_t32 ts_frame;              /* ≤3.10: PyFrameObject *frame */
	off_t32 ts_cframe;             /* 3.10–3.12: _PyCFrame *cframe */
	off_t32 cframe_current_frame;  /* 3.11–3.12: cframe->current_frame */
	off_t32 ts_current_frame;      /* 3.13+: _PyInterpreterFrame *current_frame */
	off_t32 ts_thread_id, ts_native_thread_id;
	off_t32 ts_dict, ts_async_exc, ts_context;
	off_t32 ts_curexc_type, ts_curexc_value, ts_curexc_tb; /* ≤3.11 curexc_*; 3.12+: value = current_exception */
	off_t32 ts_exc_info;           /* 3.7+: _PyErr_StackItem *exc_info */
	off_t32 ts_exc_type, ts_exc_value, ts_exc_tb; /* ≤3.6: exc_* in the tstate itself */
	off_t32 excitem_type, excitem_value, excitem_tb, excitem_previous; /* _PyErr_StackItem */

	/* PyObject / PyVarObject / PyGC_Head */
	off_t32 ob_refcnt, ob_type, ob_size;
	off_t32 gc_head_size;          /* sizeof(PyGC_Head): 16, 24 or 32 */

	/* PyTypeObject / PyHeapTypeObject */
	off_t32 tp_name, tp_basicsize, tp_itemsize, tp_dealloc, tp_flags;
	off_t32 tp_traverse, tp_weaklistoffset, tp_base, tp_dict, tp_dictoffset;
	off_t32 tp_bases, tp_mro, tp_cache, tp_subclasses, tp_is_gc, tp_methods;
	off_t32 type_size;             /* sizeof(PyTypeObject) */
	off_t32 ht_name, ht_slots, ht_qualname, ht_cached_keys, ht_module;
	off_t32 heaptype_size;         /* sizeof(PyHeapTypeObject) */
	off_t32 member_size;           /* sizeof(PyMemberDef) */
	off_t32 member_name, member_type, member_offset; /* PyMemberDef */
	off_t32 ml_name, ml_flags;     /* PyMethodDef */
	off_t32 moddef_size, moddef_traverse; /* PyModuleDef.m_size, m_traverse */

	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject);
	 * on 2.7 `unicode` (PyUnicodeObject: length, str, hash, defenc) */
	off_t32 str_length, str_hash, str_state;
	off_t32 str_ascii_size;        /* sizeof(PyASCIIObject): data of compact ascii */
	off_t32 str_compact_size;      /* sizeof(PyCompactUnicodeObject) */
	off_t32 str_utf8_length, str_utf8, str_wstr, str_wstr_length;
	off_t32 str_data;              /* PyUnicodeObject.data.any (non-compact) */
	off_t32 ustr_str, ustr_defenc; /* 2.7 PyUnicodeObject.str (Py_UNICODE *), defenc */
	off_t32 ustr_unit;             /* 2.7 sizeof(Py_UNICODE): 2 or 4 */
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	off_t32 state_interned_bit, state_kind_bit, state_compact_bit, state_ascii_bit;
	off_t32 state_ready_bit;       /* ≤3.11 */

	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	off_t32 pystr_shash, pystr_sstate, pystr_sval;
	off_t32 int_ival;

	/* int (PyLongObject) */
	off_t32 long_digits;           /* ob_digit */
	off_t32 long_lv_tag;           /* 3.12+: lv_tag; -1 ⇒ sign/size in ob_size */
	off_t32 long_digit_size;       /* sizeof(digit): 4 (30-bit digits) */

	/* float, complex, bytes, bytearray */
	off_t32 float_fval;
	off_t32 complex_cval;          /* Py_complex {double real, imag} */
	off_t32 bytes_shash, bytes_sval;
	off_t32 bytearray_alloc, bytearray_bytes, bytearray_start;
	off_t32 bytearray_bytes_object; /* 3.15+: the bytes object holding the data */

	/* tuple, list */
	off_t32 tuple_items;
	off_t32 list_items, list_allocated;

	/* dict */
	off_t32 dict_used, dict_keys, dict_values;
	off_t32 dict_size;             /* sizeof(PyDictObject) */
	off_t32 dict27_fill, dict27_mask, dict27_table, dict27_smalltable; /* 2.7 */
	off_t32 keys_refcnt;
	off_t32 keys_size;             /* 3.6–3.10 dk_size (Py_ssize_t) */
	off_t32 keys_lookup;           /* 3.6–3.10 dk_lookup fn pointer */
	off_t32 keys_log2_size, keys_log2_index_bytes, keys_kind; /* 3.11+ u8 */
	off_t32 keys_usable, keys_nentries, keys_indices;
	off_t32 keys_header_size;      /* sizeof(PyDictKeysObject) */
	off_t32 keyentry_size;         /* sizeof(PyDictKeyEntry) = 24 */
	off_t32 unientry_size;         /* 3.11+ sizeof(PyDictUnicodeEntry) = 16 */
	off_t32 values_values;         /* offset of values[] in PyDictValues (0 / 8 on 3.13+) */
	off_t32 values_capacity, values_size, values_embedded, values_valid; /* 3.13+ u8 fields */

	/* set / frozenset */
	off_t32 set_fill, set_used, set_mask, set_table, set_smalltable;
	off_t32 set_size;              /* sizeof(PySetObject) */
	off_t32 setentry_size;
	off_t32 setentry_key;          /* 0; 2.7: 8 (its setentry is {hash, key}) */

	/* code */
	off_t32 co_argcount, co_nlocals, co_stacksize, co_flags, co_firstlineno;
	off_t32 co_code;               /* ≤3.10 bytes */
	off_t32 co_code_adaptive;      /* 3.11+ inline bytecode */
	off_t32 co_consts, co_names, co_varnames, co_cellvars, co_freevars;
	off_t32 co_localsplusnames, co_localspluskinds;  /* 3.11+ */
	off_t32 co_nlocalsplus, co_framesize;            /* 3.11+ */
	off_t32 co_filename, co_name, co_qualname;
	off_t32 co_lnotab, co_linetable;
	off_t32 co_firsttraceable;     /* 3.11+: _co_firsttraceable (code units) */
	off_t32 code_size;             /* sizeof(PyCodeObject) */

	/* function */
	off_t32 fn_code, fn_globals, fn_builtins, fn_defaults, fn_kwdefaults;
	off_t32 fn_closure, fn_doc, fn_name, fn_dict, fn_weakreflist, fn_module;
	off_t32 fn_annotations, fn_qualname, fn_typeparams;

	/* cell, bound method, builtin function, module, weakref */
	off_t32 cell_ref;
	off_t32 meth_func, meth_self;
	off_t32 meth_class;            /* 2.7 im_class */
	off_t32 cfunc_ml, cfunc_self, cfunc_module;
	off_t32 cmeth_class;           /* PyCMethodObject.mm_class (3.9+) */
	off_t32 mod_dict, mod_def, mod_state, mod_name;
	off_t32 mod_state_traverse, mod_state_size; /* 3.15+ (before: md_def->m_traverse, m_size) */
	off_t32 wr_object, wr_callback;

	/* 2.7 old-style classes and instances */
	off_t32 class_bases, class_dict, class_name;
	off_t32 class_getattr, class_setattr, class_delattr; /* cached __getattr__ & co. */
	off_t32 inst_class, inst_dict;

	/* PyFrameObject */
	off_t32 frame_back;
	off_t32 frame_code, frame_builtins, frame_globals, frame_locals; /* ≤3.10 */
	off_t32 frame_valuestack, frame_stacktop;                         /* ≤3.10 (3.10: f_stackdepth) */
	off_t32 frame_lasti, frame_lineno;
	off_t32 frame_trace;           /* ≤3.10 f_trace (tracing makes f_lineno authoritative); 3.11+ too */
	off_t32 frame_state;           /* 3.10 f_state (int8) */
	off_t32 frame_exc_type, frame_exc_value, frame_exc_tb; /* ≤3.6 f_exc_* */
	off_t32 frame_localsplus;      /* ≤3.10 */
	off_t32 frame_frame;           /* 3.11+: _PyInterpreterFrame *f_frame */
	off_t32 frame_extra_locals, frame_locals_cache; /* 3.13+ */
	off_t32 frame_size;            /* sizeof(PyFrameObject) */
	off_t32 frame_data;            /* 3.11+: offset of _f_frame_data (embedded iframe) */

	/* _PyInterpreterFrame (3.11+) */
	off_t32 iframe_code;           /* f_code (3.11/3.12) / f_executable (3.13+) */
	off_t32 iframe_previous, iframe_func, iframe_globals, iframe_builtins;
	off_t32 iframe_locals, iframe_frame_obj, iframe_prev_instr; /* prev_instr / instr_ptr */
	off_t32 iframe_stacktop;       /* 3.11–3.13: int stacktop (slots above localsplus) */
	off_t32 iframe_stackpointer;   /* 3.14+: _PyStackRef *stackpointer */
	off_t32 iframe_owner, iframe_localsplus;
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	off_t32 owner_thread, owner_generator, owner_frame_object, owner_cstack, owner_interpreter;
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are
	 * not part of the pointer; 0 where frames hold plain PyObject * */
	off_t32 stackref_tag_mask;

	/* generator / coroutine / async generator */
	off_t32 gen_frame;             /* ≤3.10 gi_frame (PyFrameObject*) */
	off_t32 gen_code;              /* ≤3.11 gi_code */
	off_t32 gen_running;           /* ≤3.9 gi_running (char) */
	off_t32 gen_name, gen_qualname, gen_weakreflist;
	off_t32 gen_exc_type, gen_exc_value, gen_exc_tb; /* gi_exc_state (3.7+) */
	off_t32 gen_frame_state;       /* 3.11+ int8 */
	off_t32 gen_iframe;            /* 3.11+ embedded _PyInterpreterFrame */
	off_t32 agen_finalizer;        /* ag_finalizer / ag_origin_or_finalizer */
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state;
	 * PY_ENUM_NONE where a version has no such state (-1 is a real one) */
	off_t32 fs_created, fs_suspended, fs_suspended_yield_from, fs_executing;
	off_t32 fs_completed, fs_cleared;

	/* exceptions and tracebacks */
	off_t32 exc_dict, exc_args, exc_notes, exc_traceback, exc_context, exc_cause;
	off_t32 tb_next, tb_frame, tb_lasti, tb_lineno;

	/* descriptors and small builtins */
	off_t32 prop_get, prop_set, prop_del, prop_doc, prop_name;
	off_t32 cm_callable, cm_dict;  /* classmethod; staticmethod has the same shape */
	off_t32 descr_type, descr_name, descr_qualname;
	off_t32 wrapper_descr, wrapper_self;
	off_t32 mp_mapping;            /* mappingproxy */
	off_t32 super_type, super_obj, super_objtype;
	off_t32 slice_start, slice_stop, slice_step;
	off_t32 range_start, range_stop, range_step;
	off_t32 ns_dict;               /* types.SimpleNamespace */

	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial,
	 * lru_cache, io buffers, struct.Struct */
	off_t32 deque_leftblock, deque_rightblock, deque_leftindex, deque_maxlen;
	off_t32 block_data, block_rightlink;
	off_t32 deque_blocklen;        /* items per block: 64 (62 on 2.7) */
	off_t32 deque_len;             /* 2.7: Py_ssize_t len (3.x: ob_size) */
	off_t32 block_size;            /* sizeof(block) */
	off_t32 od_first, od_inst_dict, od_fast_nodes_size;
	off_t32 odnode_key, odnode_next, odnode_size;
	off_t32 dd_factory;
	off_t32 partial_fn, partial_args, partial_kw, partial_dict;
	off_t32 lru_root_next;         /* lru_list_elem.next (the object embeds the root) */
	off_t32 lru_elem_key, lru_elem_result;
	off_t32 lru_cache, lru_func, lru_maxsize, lru_kwd_mark, lru_elem_type, lru_info_type, lru_dict;
	off_t32 lru_maxsize_obj;       /* 3.6: PyObject *maxsize_O */
	off_t32 buffered_buffer, buffered_buffer_size;
	off_t32 bytesio_buf;
	off_t32 bytesio_buf_size;      /* 2.7: size_t buf_size of its char *buf */
	off_t32 struct_s_codes, formatcode_size;
	/* array.array (Modules/arraymodule.c): the buffer its __sizeof__ counts */
	off_t32 array_ob_item, array_allocated, array_descr, arraydescr_itemsize;
	/* obmalloc (pymalloc): arenas and pools as _PyObject_DebugMallocStats
	 * walks them; sizes are the build's macros (ARENA_SIZE, POOL_SIZE,
	 * ALIGNMENT, SMALL_REQUEST_THRESHOLD) */
	off_t32 arena_address, arena_pool_address, arena_nfreepools, arena_ntotalpools,
		arena_object_size;
	off_t32 pool_count, pool_arenaindex, pool_szidx, pool_nextoffset,
		pool_maxnextoffset, pool_header_size;
	off_t32 obm_arena_size, obm_pool_size, obm_alignment, obm_small_threshold;

	/* tracemalloc's traces (model/sites.c).  3.7-3.11: static variables
	 * of Modules/_tracemalloc.c (py_runtime_info.sym_tm_*: .symtab only,
	 * a stripped build hides them) and the exported _Py_tracemalloc_config;
	 * 3.12+: _PyRuntime.tracemalloc.  -1 before 3.7. */
	off_t32 rt_tracemalloc;        /* _PyRuntimeState.tracemalloc (3.12+); micro releases
					  move it (3.13.18: +24), layout_fit() finds it; -1
					  when it could not */
	off_t32 tmrt_config, tmrt_traces;  /* in struct _tracemalloc_runtime_state */
	off_t32 tmcfg_initialized, tmcfg_tracing, tmcfg_max_nframe;  /* struct _PyTraceMalloc_Config */
	off_t32 tmcfg_use_domain;      /* 3.8: traces keyed by pointer_t when set */
	off_t32 tmptr_domain;          /* 3.8: pointer_t.domain (packed after the pointer) */
	off_t32 ht_nentries, ht_nbuckets, ht_buckets;  /* _Py_hashtable_t */
	off_t32 ht_bucket_size;        /* sizeof(_Py_slist_t): one head pointer */
	off_t32 ht_key_size;           /* 3.8: key (key_size bytes) then data inline */
	off_t32 hte_next;              /* _Py_hashtable_entry_t._Py_slist_item.next */
	off_t32 hte_key;               /* 3.9+: the key word; 3.8: sizeof entry (key inline) */
	off_t32 hte_value;             /* 3.9+: the value word (trace_t *); 3.8: -1 (data inline) */
	off_t32 tmtrace_size, tmtrace_traceback;  /* trace_t */
	off_t32 tmtb_nframe, tmtb_total_nframe, tmtb_frames;  /* traceback_t (3.8: int nframe) */
	off_t32 tmframe_size, tmframe_filename, tmframe_lineno;  /* frame_t, packed */

	/* Pre-header words in front of the object (3.11+ managed dict etc.),
	 * negative offsets from the object start; 0 for "none". */
	int32_t managed_dict_off;      /* 3.11: -24, 3.12: -24 (tagged), 3.13+: -24 */
	int32_t managed_values_off;    /* 3.11: -32, else 0 */
	int32_t managed_weakref_off;   /* 3.12+: -32, else 0 */
	int32_t preheader_managed;     /* bytes added by MANAGED_DICT/PREHEADER flags (16) */
};

/* Py_TPFLAGS_* bits (same numbers in every supported 3.x version; the
 * version-specific ones are 0 where they do not exist).  2.7's flags differ
 * below bit 9 and are not used. */
#define PY_TPFLAGS_INLINE_VALUES   (1UL << 2)   /* 3.13+ */
#define PY_TPFLAGS_MANAGED_WEAKREF (1UL << 3)   /* 3.12+ */
#define PY_TPFLAGS_MANAGED_DICT    (1UL << 4)   /* 3.11+ */
#define PY_TPFLAGS_HEAPTYPE        (1UL << 9)
#define PY_TPFLAGS_HAVE_GC         (1UL << 14)
#define PY_TPFLAGS_INT_SUBCLASS    (1UL << 23)  /* 2.7 */
#define PY_TPFLAGS_LONG_SUBCLASS   (1UL << 24)
#define PY_TPFLAGS_LIST_SUBCLASS   (1UL << 25)
#define PY_TPFLAGS_TUPLE_SUBCLASS  (1UL << 26)
#define PY_TPFLAGS_BYTES_SUBCLASS  (1UL << 27)  /* 2.7: STRING_SUBCLASS */
#define PY_TPFLAGS_UNICODE_SUBCLASS (1UL << 28)
#define PY_TPFLAGS_DICT_SUBCLASS   (1UL << 29)
#define PY_TPFLAGS_BASE_EXC_SUBCLASS (1UL << 30)
#define PY_TPFLAGS_TYPE_SUBCLASS   (1UL << 31)

/* structmember.h member types holding a PyObject * (every version) */
#define PY_T_OBJECT    6
#define PY_T_OBJECT_EX 16
/* PyMethodDef flag: a PyCMethodObject (3.9+) */
#define PY_METH_METHOD 0x0200

/* The built-in table for major.minor, or NULL when we have none. */
const struct py_layout *layout_builtin(int major, int minor);

/* The newest minor version with a built-in table (3.x). */
int layout_newest_minor(void);

/* Choose the layout for a target: the built-in table for its version,
 * refined by _Py_DebugOffsets read from `m` at rt->runtime on 3.13+.  A
 * 3.x newer than any table is accepted only when its debug offsets parse
 * with the newest known mirror and pass every sanity check (the layout is
 * then the newest table with the runtime's values applied; *note says so).
 * Errors: HS_ERR_UNSUPPORTED (the message names version, file and build
 * and lists what is supported). */
enum hs_status layout_for(const struct py_runtime_info *rt, memsrc *m,
			  struct py_layout *out, char *note, size_t note_cap,
			  struct hs_err *err);

/* Where the main interpreter and its GC state are in a snapshot. */
struct py_roots {
	raddr_t interp;          /* main PyInterpreterState */
	raddr_t gc;              /* base that the gc_* offsets are relative to */
	/* Where the GC state's scalars are, 0 when unknown: inside the state
	 * at `gc` (3.7+), or 2.7/3.6's static variables of gcmodule.c (found
	 * by symbol).  gc_stats_at: generation_stats[0] (an inline array;
	 * 0 on 3.15, whose stats are behind a pointer, and on 2.7). */
	raddr_t gc_enabled_at, gc_debug_at, gc_collecting_at, gc_garbage_at, gc_stats_at;
};

/* Locate the main interpreter and the GC state, then check that the layout
 * fits the memory: the generation0 pointer names generation 0's head (and,
 * where a build moved the generations, fixes L->gc_generations), every list
 * head links back to itself consistently, and the first objects on each
 * list have a type whose type is a type.  What memory corrected is appended
 * to `note` ("; "-separated).  Errors: HS_ERR_UNSUPPORTED with
 * "heapscope does not understand the memory layout of Python X.Y.Z (FILE,
 * build ID)" when it does not fit; HS_ERR_INCONSISTENT when there is no
 * interpreter (starting up or finalizing: retry). */
enum hs_status layout_fit(const struct py_runtime_info *rt, memsrc *m,
			  struct py_layout *L, struct py_roots *out, char *note,
			  size_t note_cap, struct hs_err *err);

/* Only the first step of layout_fit(): find the main interpreter and the
 * GC state, no checks (for synthetic images in tests).  Errors as above. */
enum hs_status layout_roots(const struct py_runtime_info *rt, memsrc *m,
			    const struct py_layout *L, struct py_roots *out,
			    struct hs_err *err);

/* A function's __qualname__, or on 2.7 (no qualname) its __name__. */
static inline off_t32 layout_fn_qualname(const struct py_layout *L)
{
	return L->fn_qualname >= 0 ? L->fn_qualname : L->fn_name;
}

#endif
