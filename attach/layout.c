/* layout — the per-version offset tables, the _Py_DebugOffsets overlay and
 * the check of a layout against the target's memory.  See layout.h.
 *
 * Every number in the tables was read from the DWARF of the builds named
 * above each table (pyenv's libpythons, Debian's -dbg packages) and is
 * re-checked on every test run against the same DWARF by
 * tests/unit/test_layout_dwarf.c, which fails on any difference (its -p
 * option prints a build's values in this very format).  Edit a number here
 * only together with that test passing.
 *
 * The tables are written with the same line structure, field order and
 * grouping as struct py_layout, so `diff` between two version blocks shows
 * exactly what moved.  -1 = "this version has no such field"; the managed_*
 * pre-header fields use 0 for "none" as layout.h documents.  Fields that
 * are identical in every version are still spelled out in every block (no
 * shared macro): a reader comparing two versions should not have to expand
 * macros in their head, and the DWARF test checks each value anyway.
 */
#include "layout.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "layout_dbg.h"

/* ==== 2.7 ==== (DWARF of 2.7.18 (pyenv)) */
static const struct py_layout L27 = {
	.major = 2, .minor = 7,
	/* _PyRuntimeState (3.7+) */
	.rt_interp_head = -1,
	.rt_interp_main = -1,
	.rt_gc = -1,
	.rt_main_thread = -1,
	/* PyInterpreterState */
	.interp_next = 0, .interp_id = -1, .interp_threads_head = 8,
	.interp_gc = -1,
	.interp_modules = 16, .interp_sysdict = 24, .interp_builtins = 32,
	/* struct _gc_runtime_state (relative to its start). */
	.gc_enabled = -1, .gc_debug = -1,
	.gc_generations = 0,
	.gc_gen_size = 40,
	.gc_gen_threshold = 32, .gc_gen_count = 36,
	.gc_generation0 = -1,
	.gc_permanent = -1,
	.gc_stats = -1,
	.gc_stats_ptr = -1,
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the */
	.gcstats_young = -1, .gcstats_young_len = -1, .gcstats_young_index = -1,
	.gcstats_old = -1, .gcstats_old_size = -1, .gcstats_old_len = -1, .gcstats_old_index = -1,
	.gc_stats_size = -1,
	.gc_stats_collections = -1, .gc_stats_collected = -1, .gc_stats_uncollectable = -1,
	.gc_collecting = -1, .gc_garbage = -1, .gc_callbacks = -1,
	.gc_long_lived_total = -1, .gc_long_lived_pending = -1,
	/* PyThreadState */
	.ts_next = 0, .ts_interp = 8,
	.ts_frame = 16,
	.ts_cframe = -1,
	.cframe_current_frame = -1,
	.ts_current_frame = -1,
	.ts_thread_id = 144, .ts_native_thread_id = -1,
	.ts_dict = 120, .ts_async_exc = 136, .ts_context = -1,
	.ts_curexc_type = 72, .ts_curexc_value = 80, .ts_curexc_tb = 88,
	.ts_exc_info = -1,
	.ts_exc_type = 96, .ts_exc_value = 104, .ts_exc_tb = 112,
	.excitem_type = -1, .excitem_value = -1, .excitem_tb = -1, .excitem_previous = -1,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16,
	.gc_head_size = 32,
	/* PyTypeObject / PyHeapTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264,
	.tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_cache = 352, .tp_subclasses = 360, .tp_is_gc = 328,
	.tp_methods = 232,
	.type_size = 392,
	.ht_name = 856, .ht_slots = 864, .ht_qualname = -1, .ht_cached_keys = -1, .ht_module = -1,
	.heaptype_size = 872,
	.member_size = 40,
	.member_name = 0, .member_type = 8, .member_offset = 16,
	.ml_name = 0, .ml_flags = 16,
	.moddef_size = -1, .moddef_traverse = -1,
	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject); */
	.str_length = 16, .str_hash = 32, .str_state = -1,
	.str_ascii_size = -1,
	.str_compact_size = -1,
	.str_utf8_length = -1, .str_utf8 = -1, .str_wstr = -1, .str_wstr_length = -1,
	.str_data = -1,
	.ustr_str = 24, .ustr_defenc = 40,
	.ustr_unit = 4,
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	.state_interned_bit = -1, .state_kind_bit = -1, .state_compact_bit = -1,
	.state_ascii_bit = -1,
	.state_ready_bit = -1,
	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	.pystr_shash = 24, .pystr_sstate = 32, .pystr_sval = 36,
	.int_ival = 16,
	/* int (PyLongObject) */
	.long_digits = 24,
	.long_lv_tag = -1,
	.long_digit_size = 4,
	/* float, complex, bytes, bytearray */
	.float_fval = 16,
	.complex_cval = 16,
	.bytes_shash = -1, .bytes_sval = -1,
	.bytearray_alloc = 32, .bytearray_bytes = 40, .bytearray_start = -1,
	.bytearray_bytes_object = -1,
	/* tuple, list */
	.tuple_items = 24,
	.list_items = 24, .list_allocated = 32,
	/* dict */
	.dict_used = 24, .dict_keys = -1, .dict_values = -1,
	.dict_size = 248,
	.dict27_fill = 16, .dict27_mask = 32, .dict27_table = 40, .dict27_smalltable = 56,
	.keys_refcnt = -1,
	.keys_size = -1,
	.keys_lookup = -1,
	.keys_log2_size = -1, .keys_log2_index_bytes = -1, .keys_kind = -1,
	.keys_usable = -1, .keys_nentries = -1, .keys_indices = -1,
	.keys_header_size = -1,
	.keyentry_size = 24,
	.unientry_size = -1,
	.values_values = 0,
	.values_capacity = -1, .values_size = -1, .values_embedded = -1, .values_valid = -1,
	/* set / frozenset */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 56,
	.set_size = 200,
	.setentry_size = 16,
	.setentry_key = 8,
	/* code */
	.co_argcount = 16, .co_nlocals = 20, .co_stacksize = 24, .co_flags = 28, .co_firstlineno = 96,
	.co_code = 32,
	.co_code_adaptive = -1,
	.co_consts = 40, .co_names = 48, .co_varnames = 56, .co_cellvars = 72, .co_freevars = 64,
	.co_localsplusnames = -1, .co_localspluskinds = -1,
	.co_nlocalsplus = -1, .co_framesize = -1,
	.co_filename = 80, .co_name = 88, .co_qualname = -1,
	.co_lnotab = 104, .co_linetable = -1,
	.co_firsttraceable = -1,
	.code_size = 128,
	/* function */
	.fn_code = 16, .fn_globals = 24, .fn_builtins = -1, .fn_defaults = 32, .fn_kwdefaults = -1,
	.fn_closure = 40, .fn_doc = 48, .fn_name = 56, .fn_dict = 64, .fn_weakreflist = 72,
	.fn_module = 80,
	.fn_annotations = -1, .fn_qualname = -1, .fn_typeparams = -1,
	/* cell, bound method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.meth_class = 32,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.cmeth_class = -1,
	.mod_dict = 16, .mod_def = -1, .mod_state = -1, .mod_name = -1,
	.mod_state_traverse = -1, .mod_state_size = -1,
	.wr_object = 16, .wr_callback = 24,
	/* 2.7 old-style classes and instances */
	.class_bases = 16, .class_dict = 24, .class_name = 32,
	.class_getattr = 40, .class_setattr = 48, .class_delattr = 56,
	.inst_class = 16, .inst_dict = 24,
	/* PyFrameObject */
	.frame_back = 24,
	.frame_code = 32, .frame_builtins = 40, .frame_globals = 48, .frame_locals = 56,
	.frame_valuestack = 64, .frame_stacktop = 72,
	.frame_lasti = 120, .frame_lineno = 124,
	.frame_trace = 80,
	.frame_state = -1,
	.frame_exc_type = 88, .frame_exc_value = 96, .frame_exc_tb = 104,
	.frame_localsplus = 376,
	.frame_frame = -1,
	.frame_extra_locals = -1, .frame_locals_cache = -1,
	.frame_size = 384,
	.frame_data = -1,
	/* _PyInterpreterFrame (3.11+) */
	.iframe_code = -1,
	.iframe_previous = -1, .iframe_func = -1, .iframe_globals = -1, .iframe_builtins = -1,
	.iframe_locals = -1, .iframe_frame_obj = -1, .iframe_prev_instr = -1,
	.iframe_stacktop = -1,
	.iframe_stackpointer = -1,
	.iframe_owner = -1, .iframe_localsplus = -1,
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	.owner_thread = -100, .owner_generator = -100, .owner_frame_object = -100,
	.owner_cstack = -100, .owner_interpreter = -100,
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are */
	.stackref_tag_mask = 0,
	/* generator / coroutine / async generator */
	.gen_frame = 16,
	.gen_code = 32,
	.gen_running = 24,
	.gen_name = -1, .gen_qualname = -1, .gen_weakreflist = 40,
	.gen_exc_type = -1, .gen_exc_value = -1, .gen_exc_tb = -1,
	.gen_frame_state = -1,
	.gen_iframe = -1,
	.agen_finalizer = -1,
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state; */
	.fs_created = -100, .fs_suspended = -100, .fs_suspended_yield_from = -100,
	.fs_executing = -100,
	.fs_completed = -100, .fs_cleared = -100,
	/* exceptions and tracebacks */
	.exc_dict = 16, .exc_args = 24, .exc_notes = -1, .exc_traceback = -1, .exc_context = -1,
	.exc_cause = -1,
	.tb_next = 16, .tb_frame = 24, .tb_lasti = 32, .tb_lineno = 36,
	/* descriptors and small builtins */
	.prop_get = 16, .prop_set = 24, .prop_del = 32, .prop_doc = 40, .prop_name = -1,
	.cm_callable = 16, .cm_dict = -1,
	.descr_type = 16, .descr_name = 24, .descr_qualname = -1,
	.wrapper_descr = 16, .wrapper_self = 24,
	.mp_mapping = 16,
	.super_type = 16, .super_obj = 24, .super_objtype = 32,
	.slice_start = 16, .slice_stop = 24, .slice_step = 32,
	.range_start = -1, .range_stop = -1, .range_step = -1,
	.ns_dict = -1,
	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial, */
	.deque_leftblock = 16, .deque_rightblock = 24, .deque_leftindex = 32, .deque_maxlen = 64,
	.block_data = 0, .block_rightlink = 496,
	.deque_blocklen = 62,
	.deque_len = 48,
	.block_size = 512,
	.od_first = -1, .od_inst_dict = -1, .od_fast_nodes_size = -1,
	.odnode_key = -1, .odnode_next = -1, .odnode_size = -1,
	.dd_factory = 248,
	.partial_fn = 16, .partial_args = 24, .partial_kw = 32, .partial_dict = 40,
	.lru_root_next = -1,
	.lru_elem_key = -1, .lru_elem_result = -1,
	.lru_cache = -1, .lru_func = -1, .lru_maxsize = -1, .lru_kwd_mark = -1, .lru_elem_type = -1,
	.lru_info_type = -1, .lru_dict = -1,
	.lru_maxsize_obj = -1,
	.buffered_buffer = 56, .buffered_buffer_size = 120,
	.bytesio_buf = 16,
	.bytesio_buf_size = 40,
	.struct_s_codes = 32, .formatcode_size = 24,
	/* array.array (Modules/arraymodule.c): the buffer its __sizeof__ counts */
	.array_ob_item = 24, .array_allocated = 32, .array_descr = 40, .arraydescr_itemsize = 4,
	/* obmalloc (pymalloc): arenas and pools as _PyObject_DebugMallocStats */
	.arena_address = 0, .arena_pool_address = 8, .arena_nfreepools = 16, .arena_ntotalpools = 20,
	.arena_object_size = 48,
	.pool_count = 0, .pool_arenaindex = 32, .pool_szidx = 36, .pool_nextoffset = 40,
	.pool_maxnextoffset = 44, .pool_header_size = 48,
	.obm_arena_size = 262144, .obm_pool_size = 4096, .obm_alignment = 8,
	.obm_small_threshold = 256,
	/* tracemalloc's traces (model/sites.c). */
	.rt_tracemalloc = -1,
	.tmrt_config = -1, .tmrt_traces = -1,
	.tmcfg_initialized = -1, .tmcfg_tracing = -1, .tmcfg_max_nframe = -1,
	.tmcfg_use_domain = -1,
	.tmptr_domain = -1,
	.ht_nentries = -1, .ht_nbuckets = -1, .ht_buckets = -1,
	.ht_bucket_size = -1,
	.ht_key_size = -1,
	.hte_next = -1,
	.hte_key = -1,
	.hte_value = -1,
	.tmtrace_size = -1, .tmtrace_traceback = -1,
	.tmtb_nframe = -1, .tmtb_total_nframe = -1, .tmtb_frames = -1,
	.tmframe_size = -1, .tmframe_filename = -1, .tmframe_lineno = -1,
	/* Pre-header words in front of the object (3.11+ managed dict etc.), */
	.managed_dict_off = 0,
	.managed_values_off = 0,
	.managed_weakref_off = 0,
	.preheader_managed = 0,
};

/* ==== 3.6 ==== (DWARF of 3.6.15 (pyenv)) */
static const struct py_layout L36 = {
	.major = 3, .minor = 6,
	/* _PyRuntimeState (3.7+) */
	.rt_interp_head = -1,
	.rt_interp_main = -1,
	.rt_gc = -1,
	.rt_main_thread = -1,
	/* PyInterpreterState */
	.interp_next = 0, .interp_id = -1, .interp_threads_head = 8,
	.interp_gc = -1,
	.interp_modules = 16, .interp_sysdict = 32, .interp_builtins = 40,
	/* struct _gc_runtime_state (relative to its start). */
	.gc_enabled = -1, .gc_debug = -1,
	.gc_generations = 0,
	.gc_gen_size = 48,
	.gc_gen_threshold = 32, .gc_gen_count = 36,
	.gc_generation0 = -1,
	.gc_permanent = -1,
	.gc_stats = -1,
	.gc_stats_ptr = -1,
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the */
	.gcstats_young = -1, .gcstats_young_len = -1, .gcstats_young_index = -1,
	.gcstats_old = -1, .gcstats_old_size = -1, .gcstats_old_len = -1, .gcstats_old_index = -1,
	.gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = -1, .gc_garbage = -1, .gc_callbacks = -1,
	.gc_long_lived_total = -1, .gc_long_lived_pending = -1,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = 24,
	.ts_cframe = -1,
	.cframe_current_frame = -1,
	.ts_current_frame = -1,
	.ts_thread_id = 152, .ts_native_thread_id = -1,
	.ts_dict = 128, .ts_async_exc = 144, .ts_context = -1,
	.ts_curexc_type = 80, .ts_curexc_value = 88, .ts_curexc_tb = 96,
	.ts_exc_info = -1,
	.ts_exc_type = 104, .ts_exc_value = 112, .ts_exc_tb = 120,
	.excitem_type = -1, .excitem_value = -1, .excitem_tb = -1, .excitem_previous = -1,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16,
	.gc_head_size = 32,
	/* PyTypeObject / PyHeapTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264,
	.tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_cache = 352, .tp_subclasses = 360, .tp_is_gc = 328,
	.tp_methods = 232,
	.type_size = 400,
	.ht_name = 832, .ht_slots = 840, .ht_qualname = 848, .ht_cached_keys = 856, .ht_module = -1,
	.heaptype_size = 864,
	.member_size = 40,
	.member_name = 0, .member_type = 8, .member_offset = 16,
	.ml_name = 0, .ml_flags = 16,
	.moddef_size = 56, .moddef_traverse = 80,
	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject); */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 48,
	.str_compact_size = 72,
	.str_utf8_length = 48, .str_utf8 = 56, .str_wstr = 40, .str_wstr_length = 64,
	.str_data = 72,
	.ustr_str = -1, .ustr_defenc = -1,
	.ustr_unit = -1,
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	.state_interned_bit = 0, .state_kind_bit = 2, .state_compact_bit = 5, .state_ascii_bit = 6,
	.state_ready_bit = 7,
	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	.pystr_shash = -1, .pystr_sstate = -1, .pystr_sval = -1,
	.int_ival = -1,
	/* int (PyLongObject) */
	.long_digits = 24,
	.long_lv_tag = -1,
	.long_digit_size = 4,
	/* float, complex, bytes, bytearray */
	.float_fval = 16,
	.complex_cval = 16,
	.bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	.bytearray_bytes_object = -1,
	/* tuple, list */
	.tuple_items = 24,
	.list_items = 24, .list_allocated = 32,
	/* dict */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40,
	.dict_size = 48,
	.dict27_fill = -1, .dict27_mask = -1, .dict27_table = -1, .dict27_smalltable = -1,
	.keys_refcnt = 0,
	.keys_size = 8,
	.keys_lookup = 16,
	.keys_log2_size = -1, .keys_log2_index_bytes = -1, .keys_kind = -1,
	.keys_usable = 24, .keys_nentries = 32, .keys_indices = 40,
	.keys_header_size = 40,
	.keyentry_size = 24,
	.unientry_size = -1,
	.values_values = 0,
	.values_capacity = -1, .values_size = -1, .values_embedded = -1, .values_valid = -1,
	/* set / frozenset */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200,
	.setentry_size = 16,
	.setentry_key = 0,
	/* code */
	.co_argcount = 16, .co_nlocals = 24, .co_stacksize = 28, .co_flags = 32, .co_firstlineno = 36,
	.co_code = 40,
	.co_code_adaptive = -1,
	.co_consts = 48, .co_names = 56, .co_varnames = 64, .co_cellvars = 80, .co_freevars = 72,
	.co_localsplusnames = -1, .co_localspluskinds = -1,
	.co_nlocalsplus = -1, .co_framesize = -1,
	.co_filename = 96, .co_name = 104, .co_qualname = -1,
	.co_lnotab = 112, .co_linetable = -1,
	.co_firsttraceable = -1,
	.code_size = 144,
	/* function */
	.fn_code = 16, .fn_globals = 24, .fn_builtins = -1, .fn_defaults = 32, .fn_kwdefaults = 40,
	.fn_closure = 48, .fn_doc = 56, .fn_name = 64, .fn_dict = 72, .fn_weakreflist = 80,
	.fn_module = 88,
	.fn_annotations = 96, .fn_qualname = 104, .fn_typeparams = -1,
	/* cell, bound method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.meth_class = -1,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.cmeth_class = -1,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.mod_state_traverse = -1, .mod_state_size = -1,
	.wr_object = 16, .wr_callback = 24,
	/* 2.7 old-style classes and instances */
	.class_bases = -1, .class_dict = -1, .class_name = -1,
	.class_getattr = -1, .class_setattr = -1, .class_delattr = -1,
	.inst_class = -1, .inst_dict = -1,
	/* PyFrameObject */
	.frame_back = 24,
	.frame_code = 32, .frame_builtins = 40, .frame_globals = 48, .frame_locals = 56,
	.frame_valuestack = 64, .frame_stacktop = 72,
	.frame_lasti = 120, .frame_lineno = 124,
	.frame_trace = 80,
	.frame_state = -1,
	.frame_exc_type = 88, .frame_exc_value = 96, .frame_exc_tb = 104,
	.frame_localsplus = 376,
	.frame_frame = -1,
	.frame_extra_locals = -1, .frame_locals_cache = -1,
	.frame_size = 384,
	.frame_data = -1,
	/* _PyInterpreterFrame (3.11+) */
	.iframe_code = -1,
	.iframe_previous = -1, .iframe_func = -1, .iframe_globals = -1, .iframe_builtins = -1,
	.iframe_locals = -1, .iframe_frame_obj = -1, .iframe_prev_instr = -1,
	.iframe_stacktop = -1,
	.iframe_stackpointer = -1,
	.iframe_owner = -1, .iframe_localsplus = -1,
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	.owner_thread = -100, .owner_generator = -100, .owner_frame_object = -100,
	.owner_cstack = -100, .owner_interpreter = -100,
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are */
	.stackref_tag_mask = 0,
	/* generator / coroutine / async generator */
	.gen_frame = 16,
	.gen_code = 32,
	.gen_running = 24,
	.gen_name = 48, .gen_qualname = 56, .gen_weakreflist = 40,
	.gen_exc_type = -1, .gen_exc_value = -1, .gen_exc_tb = -1,
	.gen_frame_state = -1,
	.gen_iframe = -1,
	.agen_finalizer = 64,
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state; */
	.fs_created = -100, .fs_suspended = -100, .fs_suspended_yield_from = -100,
	.fs_executing = -100,
	.fs_completed = -100, .fs_cleared = -100,
	/* exceptions and tracebacks */
	.exc_dict = 16, .exc_args = 24, .exc_notes = -1, .exc_traceback = 32, .exc_context = 40,
	.exc_cause = 48,
	.tb_next = 16, .tb_frame = 24, .tb_lasti = 32, .tb_lineno = 36,
	/* descriptors and small builtins */
	.prop_get = 16, .prop_set = 24, .prop_del = 32, .prop_doc = 40, .prop_name = -1,
	.cm_callable = 16, .cm_dict = 24,
	.descr_type = 16, .descr_name = 24, .descr_qualname = 32,
	.wrapper_descr = 16, .wrapper_self = 24,
	.mp_mapping = 16,
	.super_type = 16, .super_obj = 24, .super_objtype = 32,
	.slice_start = 16, .slice_stop = 24, .slice_step = 32,
	.range_start = 16, .range_stop = 24, .range_step = 32,
	.ns_dict = 16,
	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial, */
	.deque_leftblock = 24, .deque_rightblock = 32, .deque_leftindex = 40, .deque_maxlen = 64,
	.block_data = 8, .block_rightlink = 520,
	.block_size = 528,
	.deque_blocklen = 64,
	.deque_len = -1,
	.od_first = 48, .od_inst_dict = 96, .od_fast_nodes_size = 72,
	.odnode_key = 0, .odnode_next = 16, .odnode_size = 32,
	.dd_factory = 48,
	.partial_fn = 16, .partial_args = 24, .partial_kw = 32, .partial_dict = 40,
	.lru_root_next = 24,
	.lru_elem_key = 40, .lru_elem_result = 48,
	.lru_cache = 88, .lru_func = 72, .lru_maxsize = 56, .lru_kwd_mark = -1, .lru_elem_type = -1,
	.lru_info_type = 96, .lru_dict = 128,
	.lru_maxsize_obj = 64,
	.buffered_buffer = 56, .buffered_buffer_size = 120,
	.bytesio_buf = 16,
	.bytesio_buf_size = -1,
	.struct_s_codes = 32, .formatcode_size = 32,
	/* array.array (Modules/arraymodule.c): the buffer its __sizeof__ counts */
	.array_ob_item = 24, .array_allocated = 32, .array_descr = 40, .arraydescr_itemsize = 4,
	/* obmalloc (pymalloc): arenas and pools as _PyObject_DebugMallocStats */
	.arena_address = 0, .arena_pool_address = 8, .arena_nfreepools = 16, .arena_ntotalpools = 20,
	.arena_object_size = 48,
	.pool_count = 0, .pool_arenaindex = 32, .pool_szidx = 36, .pool_nextoffset = 40,
	.pool_maxnextoffset = 44, .pool_header_size = 48,
	.obm_arena_size = 262144, .obm_pool_size = 4096, .obm_alignment = 16,
	.obm_small_threshold = 512,
	/* tracemalloc's traces (model/sites.c). */
	.rt_tracemalloc = -1,
	.tmrt_config = -1, .tmrt_traces = -1,
	.tmcfg_initialized = -1, .tmcfg_tracing = -1, .tmcfg_max_nframe = -1,
	.tmcfg_use_domain = -1,
	.tmptr_domain = -1,
	.ht_nentries = -1, .ht_nbuckets = -1, .ht_buckets = -1,
	.ht_bucket_size = -1,
	.ht_key_size = -1,
	.hte_next = -1,
	.hte_key = -1,
	.hte_value = -1,
	.tmtrace_size = -1, .tmtrace_traceback = -1,
	.tmtb_nframe = -1, .tmtb_total_nframe = -1, .tmtb_frames = -1,
	.tmframe_size = -1, .tmframe_filename = -1, .tmframe_lineno = -1,
	/* Pre-header words in front of the object (3.11+ managed dict etc.), */
	.managed_dict_off = 0,
	.managed_values_off = 0,
	.managed_weakref_off = 0,
	.preheader_managed = 0,
};

/* ==== 3.7 ==== (DWARF of 3.7.16 (pyenv)) */
static const struct py_layout L37 = {
	.major = 3, .minor = 7,
	/* _PyRuntimeState (3.7+) */
	.rt_interp_head = 24,
	.rt_interp_main = 32,
	.rt_gc = 320,
	.rt_main_thread = 720,
	/* PyInterpreterState */
	.interp_next = 0, .interp_id = 16, .interp_threads_head = 8,
	.interp_gc = -1,
	.interp_modules = 40, .interp_sysdict = 56, .interp_builtins = 64,
	/* struct _gc_runtime_state (relative to its start). */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 32,
	.gc_gen_size = 48,
	.gc_gen_threshold = 32, .gc_gen_count = 36,
	.gc_generation0 = 176,
	.gc_permanent = 192,
	.gc_stats = 240,
	.gc_stats_ptr = -1,
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the */
	.gcstats_young = -1, .gcstats_young_len = -1, .gcstats_young_index = -1,
	.gcstats_old = -1, .gcstats_old_size = -1, .gcstats_old_len = -1, .gcstats_old_index = -1,
	.gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 312, .gc_garbage = 320, .gc_callbacks = 328,
	.gc_long_lived_total = 336, .gc_long_lived_pending = 344,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = 24,
	.ts_cframe = -1,
	.cframe_current_frame = -1,
	.ts_current_frame = -1,
	.ts_thread_id = 176, .ts_native_thread_id = -1,
	.ts_dict = 152, .ts_async_exc = 168, .ts_context = 256,
	.ts_curexc_type = 88, .ts_curexc_value = 96, .ts_curexc_tb = 104,
	.ts_exc_info = 144,
	.ts_exc_type = -1, .ts_exc_value = -1, .ts_exc_tb = -1,
	.excitem_type = 0, .excitem_value = 8, .excitem_tb = 16, .excitem_previous = 24,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16,
	.gc_head_size = 32,
	/* PyTypeObject / PyHeapTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264,
	.tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_cache = 352, .tp_subclasses = 360, .tp_is_gc = 328,
	.tp_methods = 232,
	.type_size = 400,
	.ht_name = 832, .ht_slots = 840, .ht_qualname = 848, .ht_cached_keys = 856, .ht_module = -1,
	.heaptype_size = 864,
	.member_size = 40,
	.member_name = 0, .member_type = 8, .member_offset = 16,
	.ml_name = 0, .ml_flags = 16,
	.moddef_size = 56, .moddef_traverse = 80,
	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject); */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 48,
	.str_compact_size = 72,
	.str_utf8_length = 48, .str_utf8 = 56, .str_wstr = 40, .str_wstr_length = 64,
	.str_data = 72,
	.ustr_str = -1, .ustr_defenc = -1,
	.ustr_unit = -1,
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	.state_interned_bit = 0, .state_kind_bit = 2, .state_compact_bit = 5, .state_ascii_bit = 6,
	.state_ready_bit = 7,
	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	.pystr_shash = -1, .pystr_sstate = -1, .pystr_sval = -1,
	.int_ival = -1,
	/* int (PyLongObject) */
	.long_digits = 24,
	.long_lv_tag = -1,
	.long_digit_size = 4,
	/* float, complex, bytes, bytearray */
	.float_fval = 16,
	.complex_cval = 16,
	.bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	.bytearray_bytes_object = -1,
	/* tuple, list */
	.tuple_items = 24,
	.list_items = 24, .list_allocated = 32,
	/* dict */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40,
	.dict_size = 48,
	.dict27_fill = -1, .dict27_mask = -1, .dict27_table = -1, .dict27_smalltable = -1,
	.keys_refcnt = 0,
	.keys_size = 8,
	.keys_lookup = 16,
	.keys_log2_size = -1, .keys_log2_index_bytes = -1, .keys_kind = -1,
	.keys_usable = 24, .keys_nentries = 32, .keys_indices = 40,
	.keys_header_size = 40,
	.keyentry_size = 24,
	.unientry_size = -1,
	.values_values = 0,
	.values_capacity = -1, .values_size = -1, .values_embedded = -1, .values_valid = -1,
	/* set / frozenset */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200,
	.setentry_size = 16,
	.setentry_key = 0,
	/* code */
	.co_argcount = 16, .co_nlocals = 24, .co_stacksize = 28, .co_flags = 32, .co_firstlineno = 36,
	.co_code = 40,
	.co_code_adaptive = -1,
	.co_consts = 48, .co_names = 56, .co_varnames = 64, .co_cellvars = 80, .co_freevars = 72,
	.co_localsplusnames = -1, .co_localspluskinds = -1,
	.co_nlocalsplus = -1, .co_framesize = -1,
	.co_filename = 96, .co_name = 104, .co_qualname = -1,
	.co_lnotab = 112, .co_linetable = -1,
	.co_firsttraceable = -1,
	.code_size = 144,
	/* function */
	.fn_code = 16, .fn_globals = 24, .fn_builtins = -1, .fn_defaults = 32, .fn_kwdefaults = 40,
	.fn_closure = 48, .fn_doc = 56, .fn_name = 64, .fn_dict = 72, .fn_weakreflist = 80,
	.fn_module = 88,
	.fn_annotations = 96, .fn_qualname = 104, .fn_typeparams = -1,
	/* cell, bound method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.meth_class = -1,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.cmeth_class = -1,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.mod_state_traverse = -1, .mod_state_size = -1,
	.wr_object = 16, .wr_callback = 24,
	/* 2.7 old-style classes and instances */
	.class_bases = -1, .class_dict = -1, .class_name = -1,
	.class_getattr = -1, .class_setattr = -1, .class_delattr = -1,
	.inst_class = -1, .inst_dict = -1,
	/* PyFrameObject */
	.frame_back = 24,
	.frame_code = 32, .frame_builtins = 40, .frame_globals = 48, .frame_locals = 56,
	.frame_valuestack = 64, .frame_stacktop = 72,
	.frame_lasti = 104, .frame_lineno = 108,
	.frame_trace = 80,
	.frame_state = -1,
	.frame_exc_type = -1, .frame_exc_value = -1, .frame_exc_tb = -1,
	.frame_localsplus = 360,
	.frame_frame = -1,
	.frame_extra_locals = -1, .frame_locals_cache = -1,
	.frame_size = 368,
	.frame_data = -1,
	/* _PyInterpreterFrame (3.11+) */
	.iframe_code = -1,
	.iframe_previous = -1, .iframe_func = -1, .iframe_globals = -1, .iframe_builtins = -1,
	.iframe_locals = -1, .iframe_frame_obj = -1, .iframe_prev_instr = -1,
	.iframe_stacktop = -1,
	.iframe_stackpointer = -1,
	.iframe_owner = -1, .iframe_localsplus = -1,
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	.owner_thread = -100, .owner_generator = -100, .owner_frame_object = -100,
	.owner_cstack = -100, .owner_interpreter = -100,
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are */
	.stackref_tag_mask = 0,
	/* generator / coroutine / async generator */
	.gen_frame = 16,
	.gen_code = 32,
	.gen_running = 24,
	.gen_name = 48, .gen_qualname = 56, .gen_weakreflist = 40,
	.gen_exc_type = 64, .gen_exc_value = 72, .gen_exc_tb = 80,
	.gen_frame_state = -1,
	.gen_iframe = -1,
	.agen_finalizer = 96,
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state; */
	.fs_created = -100, .fs_suspended = -100, .fs_suspended_yield_from = -100,
	.fs_executing = -100,
	.fs_completed = -100, .fs_cleared = -100,
	/* exceptions and tracebacks */
	.exc_dict = 16, .exc_args = 24, .exc_notes = -1, .exc_traceback = 32, .exc_context = 40,
	.exc_cause = 48,
	.tb_next = 16, .tb_frame = 24, .tb_lasti = 32, .tb_lineno = 36,
	/* descriptors and small builtins */
	.prop_get = 16, .prop_set = 24, .prop_del = 32, .prop_doc = 40, .prop_name = -1,
	.cm_callable = 16, .cm_dict = 24,
	.descr_type = 16, .descr_name = 24, .descr_qualname = 32,
	.wrapper_descr = 16, .wrapper_self = 24,
	.mp_mapping = 16,
	.super_type = 16, .super_obj = 24, .super_objtype = 32,
	.slice_start = 16, .slice_stop = 24, .slice_step = 32,
	.range_start = 16, .range_stop = 24, .range_step = 32,
	.ns_dict = 16,
	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial, */
	.deque_leftblock = 24, .deque_rightblock = 32, .deque_leftindex = 40, .deque_maxlen = 64,
	.block_data = 8, .block_rightlink = 520,
	.block_size = 528,
	.deque_blocklen = 64,
	.deque_len = -1,
	.od_first = 48, .od_inst_dict = 96, .od_fast_nodes_size = 72,
	.odnode_key = 0, .odnode_next = 16, .odnode_size = 32,
	.dd_factory = 48,
	.partial_fn = 16, .partial_args = 24, .partial_kw = 32, .partial_dict = 40,
	.lru_root_next = 24,
	.lru_elem_key = 40, .lru_elem_result = 48,
	.lru_cache = 72, .lru_func = 88, .lru_maxsize = 96, .lru_kwd_mark = -1, .lru_elem_type = -1,
	.lru_info_type = 112, .lru_dict = 120,
	.lru_maxsize_obj = -1,
	.buffered_buffer = 56, .buffered_buffer_size = 120,
	.bytesio_buf = 16,
	.bytesio_buf_size = -1,
	.struct_s_codes = 32, .formatcode_size = 32,
	.array_ob_item = 24, .array_allocated = 32, .array_descr = 40, .arraydescr_itemsize = 4,
	.arena_address = 0, .arena_pool_address = 8, .arena_nfreepools = 16, .arena_ntotalpools = 20,
	.arena_object_size = 48,
	.pool_count = 0, .pool_arenaindex = 32, .pool_szidx = 36, .pool_nextoffset = 40,
	.pool_maxnextoffset = 44, .pool_header_size = 48,
	.obm_arena_size = 262144, .obm_pool_size = 4096, .obm_alignment = 16, .obm_small_threshold = 512,
	/* tracemalloc (≤3.11: statics of Modules/_tracemalloc.c; 3.12+: _PyRuntime) */
	.rt_tracemalloc = -1, .tmrt_config = -1, .tmrt_traces = -1,
	.tmcfg_initialized = 0, .tmcfg_tracing = 4, .tmcfg_max_nframe = 8, .tmcfg_use_domain = 12, .tmptr_domain = 8,
	.ht_nentries = 8, .ht_nbuckets = 0, .ht_buckets = 16, .ht_bucket_size = 8, .ht_key_size = 24,
	.hte_next = 0, .hte_key = 16, .hte_value = -1,
	.tmtrace_size = 0, .tmtrace_traceback = 8,
	.tmtb_nframe = 8, .tmtb_total_nframe = -1, .tmtb_frames = 12,
	.tmframe_size = 12, .tmframe_filename = 0, .tmframe_lineno = 8,
	/* Pre-header words in front of the object (3.11+ managed dict etc.), */
	.managed_dict_off = 0,
	.managed_values_off = 0,
	.managed_weakref_off = 0,
	.preheader_managed = 0,
};

/* ==== 3.8 ==== (DWARF of 3.8.18 (pyenv)) */
static const struct py_layout L38 = {
	.major = 3, .minor = 8,
	/* _PyRuntimeState (3.7+) */
	.rt_interp_head = 32,
	.rt_interp_main = 40,
	.rt_gc = 344,
	.rt_main_thread = 72,
	/* PyInterpreterState */
	.interp_next = 0, .interp_id = 16, .interp_threads_head = 8,
	.interp_gc = -1,
	.interp_modules = 56, .interp_sysdict = 72, .interp_builtins = 80,
	/* struct _gc_runtime_state (relative to its start). */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24,
	.gc_gen_size = 24,
	.gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_generation0 = 96,
	.gc_permanent = 104,
	.gc_stats = 128,
	.gc_stats_ptr = -1,
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the */
	.gcstats_young = -1, .gcstats_young_len = -1, .gcstats_young_index = -1,
	.gcstats_old = -1, .gcstats_old_size = -1, .gcstats_old_len = -1, .gcstats_old_index = -1,
	.gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = 24,
	.ts_cframe = -1,
	.cframe_current_frame = -1,
	.ts_current_frame = -1,
	.ts_thread_id = 176, .ts_native_thread_id = -1,
	.ts_dict = 152, .ts_async_exc = 168, .ts_context = 240,
	.ts_curexc_type = 88, .ts_curexc_value = 96, .ts_curexc_tb = 104,
	.ts_exc_info = 144,
	.ts_exc_type = -1, .ts_exc_value = -1, .ts_exc_tb = -1,
	.excitem_type = 0, .excitem_value = 8, .excitem_tb = 16, .excitem_previous = 24,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16,
	.gc_head_size = 16,
	/* PyTypeObject / PyHeapTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264,
	.tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_cache = 352, .tp_subclasses = 360, .tp_is_gc = 328,
	.tp_methods = 232,
	.type_size = 416,
	.ht_name = 848, .ht_slots = 856, .ht_qualname = 864, .ht_cached_keys = 872, .ht_module = -1,
	.heaptype_size = 880,
	.member_size = 40,
	.member_name = 0, .member_type = 8, .member_offset = 16,
	.ml_name = 0, .ml_flags = 16,
	.moddef_size = 56, .moddef_traverse = 80,
	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject); */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 48,
	.str_compact_size = 72,
	.str_utf8_length = 48, .str_utf8 = 56, .str_wstr = 40, .str_wstr_length = 64,
	.str_data = 72,
	.ustr_str = -1, .ustr_defenc = -1,
	.ustr_unit = -1,
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	.state_interned_bit = 0, .state_kind_bit = 2, .state_compact_bit = 5, .state_ascii_bit = 6,
	.state_ready_bit = 7,
	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	.pystr_shash = -1, .pystr_sstate = -1, .pystr_sval = -1,
	.int_ival = -1,
	/* int (PyLongObject) */
	.long_digits = 24,
	.long_lv_tag = -1,
	.long_digit_size = 4,
	/* float, complex, bytes, bytearray */
	.float_fval = 16,
	.complex_cval = 16,
	.bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	.bytearray_bytes_object = -1,
	/* tuple, list */
	.tuple_items = 24,
	.list_items = 24, .list_allocated = 32,
	/* dict */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40,
	.dict_size = 48,
	.dict27_fill = -1, .dict27_mask = -1, .dict27_table = -1, .dict27_smalltable = -1,
	.keys_refcnt = 0,
	.keys_size = 8,
	.keys_lookup = 16,
	.keys_log2_size = -1, .keys_log2_index_bytes = -1, .keys_kind = -1,
	.keys_usable = 24, .keys_nentries = 32, .keys_indices = 40,
	.keys_header_size = 40,
	.keyentry_size = 24,
	.unientry_size = -1,
	.values_values = 0,
	.values_capacity = -1, .values_size = -1, .values_embedded = -1, .values_valid = -1,
	/* set / frozenset */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200,
	.setentry_size = 16,
	.setentry_key = 0,
	/* code */
	.co_argcount = 16, .co_nlocals = 28, .co_stacksize = 32, .co_flags = 36, .co_firstlineno = 40,
	.co_code = 48,
	.co_code_adaptive = -1,
	.co_consts = 56, .co_names = 64, .co_varnames = 72, .co_cellvars = 88, .co_freevars = 80,
	.co_localsplusnames = -1, .co_localspluskinds = -1,
	.co_nlocalsplus = -1, .co_framesize = -1,
	.co_filename = 104, .co_name = 112, .co_qualname = -1,
	.co_lnotab = 120, .co_linetable = -1,
	.co_firsttraceable = -1,
	.code_size = 176,
	/* function */
	.fn_code = 16, .fn_globals = 24, .fn_builtins = -1, .fn_defaults = 32, .fn_kwdefaults = 40,
	.fn_closure = 48, .fn_doc = 56, .fn_name = 64, .fn_dict = 72, .fn_weakreflist = 80,
	.fn_module = 88,
	.fn_annotations = 96, .fn_qualname = 104, .fn_typeparams = -1,
	/* cell, bound method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.meth_class = -1,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.cmeth_class = -1,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.mod_state_traverse = -1, .mod_state_size = -1,
	.wr_object = 16, .wr_callback = 24,
	/* 2.7 old-style classes and instances */
	.class_bases = -1, .class_dict = -1, .class_name = -1,
	.class_getattr = -1, .class_setattr = -1, .class_delattr = -1,
	.inst_class = -1, .inst_dict = -1,
	/* PyFrameObject */
	.frame_back = 24,
	.frame_code = 32, .frame_builtins = 40, .frame_globals = 48, .frame_locals = 56,
	.frame_valuestack = 64, .frame_stacktop = 72,
	.frame_lasti = 104, .frame_lineno = 108,
	.frame_trace = 80,
	.frame_state = -1,
	.frame_exc_type = -1, .frame_exc_value = -1, .frame_exc_tb = -1,
	.frame_localsplus = 360,
	.frame_frame = -1,
	.frame_extra_locals = -1, .frame_locals_cache = -1,
	.frame_size = 368,
	.frame_data = -1,
	/* _PyInterpreterFrame (3.11+) */
	.iframe_code = -1,
	.iframe_previous = -1, .iframe_func = -1, .iframe_globals = -1, .iframe_builtins = -1,
	.iframe_locals = -1, .iframe_frame_obj = -1, .iframe_prev_instr = -1,
	.iframe_stacktop = -1,
	.iframe_stackpointer = -1,
	.iframe_owner = -1, .iframe_localsplus = -1,
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	.owner_thread = -100, .owner_generator = -100, .owner_frame_object = -100,
	.owner_cstack = -100, .owner_interpreter = -100,
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are */
	.stackref_tag_mask = 0,
	/* generator / coroutine / async generator */
	.gen_frame = 16,
	.gen_code = 32,
	.gen_running = 24,
	.gen_name = 48, .gen_qualname = 56, .gen_weakreflist = 40,
	.gen_exc_type = 64, .gen_exc_value = 72, .gen_exc_tb = 80,
	.gen_frame_state = -1,
	.gen_iframe = -1,
	.agen_finalizer = 96,
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state; */
	.fs_created = -100, .fs_suspended = -100, .fs_suspended_yield_from = -100,
	.fs_executing = -100,
	.fs_completed = -100, .fs_cleared = -100,
	/* exceptions and tracebacks */
	.exc_dict = 16, .exc_args = 24, .exc_notes = -1, .exc_traceback = 32, .exc_context = 40,
	.exc_cause = 48,
	.tb_next = 16, .tb_frame = 24, .tb_lasti = 32, .tb_lineno = 36,
	/* descriptors and small builtins */
	.prop_get = 16, .prop_set = 24, .prop_del = 32, .prop_doc = 40, .prop_name = -1,
	.cm_callable = 16, .cm_dict = 24,
	.descr_type = 16, .descr_name = 24, .descr_qualname = 32,
	.wrapper_descr = 16, .wrapper_self = 24,
	.mp_mapping = 16,
	.super_type = 16, .super_obj = 24, .super_objtype = 32,
	.slice_start = 16, .slice_stop = 24, .slice_step = 32,
	.range_start = 16, .range_stop = 24, .range_step = 32,
	.ns_dict = 16,
	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial, */
	.deque_leftblock = 24, .deque_rightblock = 32, .deque_leftindex = 40, .deque_maxlen = 64,
	.block_data = 8, .block_rightlink = 520,
	.block_size = 528,
	.deque_blocklen = 64,
	.deque_len = -1,
	.od_first = 48, .od_inst_dict = 96, .od_fast_nodes_size = 72,
	.odnode_key = 0, .odnode_next = 16, .odnode_size = 32,
	.dd_factory = 48,
	.partial_fn = 16, .partial_args = 24, .partial_kw = 32, .partial_dict = 40,
	.lru_root_next = 24,
	.lru_elem_key = 40, .lru_elem_result = 48,
	.lru_cache = 72, .lru_func = 88, .lru_maxsize = 96, .lru_kwd_mark = -1, .lru_elem_type = -1,
	.lru_info_type = 112, .lru_dict = 120,
	.lru_maxsize_obj = -1,
	.buffered_buffer = 56, .buffered_buffer_size = 120,
	.bytesio_buf = 16,
	.bytesio_buf_size = -1,
	.struct_s_codes = 32, .formatcode_size = 32,
	.array_ob_item = 24, .array_allocated = 32, .array_descr = 40, .arraydescr_itemsize = 4,
	.arena_address = 0, .arena_pool_address = 8, .arena_nfreepools = 16, .arena_ntotalpools = 20,
	.arena_object_size = 48,
	.pool_count = 0, .pool_arenaindex = 32, .pool_szidx = 36, .pool_nextoffset = 40,
	.pool_maxnextoffset = 44, .pool_header_size = 48,
	.obm_arena_size = 262144, .obm_pool_size = 4096, .obm_alignment = 16, .obm_small_threshold = 512,
	/* tracemalloc (≤3.11: statics of Modules/_tracemalloc.c; 3.12+: _PyRuntime) */
	.rt_tracemalloc = -1, .tmrt_config = -1, .tmrt_traces = -1,
	.tmcfg_initialized = 0, .tmcfg_tracing = 4, .tmcfg_max_nframe = 8, .tmcfg_use_domain = 12, .tmptr_domain = 8,
	.ht_nentries = 8, .ht_nbuckets = 0, .ht_buckets = 16, .ht_bucket_size = 8, .ht_key_size = 24,
	.hte_next = 0, .hte_key = 16, .hte_value = -1,
	.tmtrace_size = 0, .tmtrace_traceback = 8,
	.tmtb_nframe = 8, .tmtb_total_nframe = -1, .tmtb_frames = 12,
	.tmframe_size = 12, .tmframe_filename = 0, .tmframe_lineno = 8,
	/* Pre-header words in front of the object (3.11+ managed dict etc.), */
	.managed_dict_off = 0,
	.managed_values_off = 0,
	.managed_weakref_off = 0,
	.preheader_managed = 0,
};

/* ==== 3.9 ==== (DWARF of 3.9.18 (pyenv)) */
static const struct py_layout L39 = {
	.major = 3, .minor = 9,
	/* _PyRuntimeState (3.7+) */
	.rt_interp_head = 32,
	.rt_interp_main = 40,
	.rt_gc = -1,
	.rt_main_thread = 72,
	/* PyInterpreterState */
	.interp_next = 0, .interp_id = 24, .interp_threads_head = 8,
	.interp_gc = 616,
	.interp_modules = 856, .interp_sysdict = 872, .interp_builtins = 880,
	/* struct _gc_runtime_state (relative to its start). */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24,
	.gc_gen_size = 24,
	.gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_generation0 = 96,
	.gc_permanent = 104,
	.gc_stats = 128,
	.gc_stats_ptr = -1,
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the */
	.gcstats_young = -1, .gcstats_young_len = -1, .gcstats_young_index = -1,
	.gcstats_old = -1, .gcstats_old_size = -1, .gcstats_old_len = -1, .gcstats_old_index = -1,
	.gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = 24,
	.ts_cframe = -1,
	.cframe_current_frame = -1,
	.ts_current_frame = -1,
	.ts_thread_id = 176, .ts_native_thread_id = -1,
	.ts_dict = 152, .ts_async_exc = 168, .ts_context = 240,
	.ts_curexc_type = 88, .ts_curexc_value = 96, .ts_curexc_tb = 104,
	.ts_exc_info = 144,
	.ts_exc_type = -1, .ts_exc_value = -1, .ts_exc_tb = -1,
	.excitem_type = 0, .excitem_value = 8, .excitem_tb = 16, .excitem_previous = 24,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16,
	.gc_head_size = 16,
	/* PyTypeObject / PyHeapTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264,
	.tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_cache = 352, .tp_subclasses = 360, .tp_is_gc = 328,
	.tp_methods = 232,
	.type_size = 408,
	.ht_name = 840, .ht_slots = 848, .ht_qualname = 856, .ht_cached_keys = 864, .ht_module = 872,
	.heaptype_size = 880,
	.member_size = 40,
	.member_name = 0, .member_type = 8, .member_offset = 16,
	.ml_name = 0, .ml_flags = 16,
	.moddef_size = 56, .moddef_traverse = 80,
	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject); */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 48,
	.str_compact_size = 72,
	.str_utf8_length = 48, .str_utf8 = 56, .str_wstr = 40, .str_wstr_length = 64,
	.str_data = 72,
	.ustr_str = -1, .ustr_defenc = -1,
	.ustr_unit = -1,
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	.state_interned_bit = 0, .state_kind_bit = 2, .state_compact_bit = 5, .state_ascii_bit = 6,
	.state_ready_bit = 7,
	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	.pystr_shash = -1, .pystr_sstate = -1, .pystr_sval = -1,
	.int_ival = -1,
	/* int (PyLongObject) */
	.long_digits = 24,
	.long_lv_tag = -1,
	.long_digit_size = 4,
	/* float, complex, bytes, bytearray */
	.float_fval = 16,
	.complex_cval = 16,
	.bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	.bytearray_bytes_object = -1,
	/* tuple, list */
	.tuple_items = 24,
	.list_items = 24, .list_allocated = 32,
	/* dict */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40,
	.dict_size = 48,
	.dict27_fill = -1, .dict27_mask = -1, .dict27_table = -1, .dict27_smalltable = -1,
	.keys_refcnt = 0,
	.keys_size = 8,
	.keys_lookup = 16,
	.keys_log2_size = -1, .keys_log2_index_bytes = -1, .keys_kind = -1,
	.keys_usable = 24, .keys_nentries = 32, .keys_indices = 40,
	.keys_header_size = 40,
	.keyentry_size = 24,
	.unientry_size = -1,
	.values_values = 0,
	.values_capacity = -1, .values_size = -1, .values_embedded = -1, .values_valid = -1,
	/* set / frozenset */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200,
	.setentry_size = 16,
	.setentry_key = 0,
	/* code */
	.co_argcount = 16, .co_nlocals = 28, .co_stacksize = 32, .co_flags = 36, .co_firstlineno = 40,
	.co_code = 48,
	.co_code_adaptive = -1,
	.co_consts = 56, .co_names = 64, .co_varnames = 72, .co_cellvars = 88, .co_freevars = 80,
	.co_localsplusnames = -1, .co_localspluskinds = -1,
	.co_nlocalsplus = -1, .co_framesize = -1,
	.co_filename = 104, .co_name = 112, .co_qualname = -1,
	.co_lnotab = 120, .co_linetable = -1,
	.co_firsttraceable = -1,
	.code_size = 176,
	/* function */
	.fn_code = 16, .fn_globals = 24, .fn_builtins = -1, .fn_defaults = 32, .fn_kwdefaults = 40,
	.fn_closure = 48, .fn_doc = 56, .fn_name = 64, .fn_dict = 72, .fn_weakreflist = 80,
	.fn_module = 88,
	.fn_annotations = 96, .fn_qualname = 104, .fn_typeparams = -1,
	/* cell, bound method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.meth_class = -1,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.cmeth_class = 56,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.mod_state_traverse = -1, .mod_state_size = -1,
	.wr_object = 16, .wr_callback = 24,
	/* 2.7 old-style classes and instances */
	.class_bases = -1, .class_dict = -1, .class_name = -1,
	.class_getattr = -1, .class_setattr = -1, .class_delattr = -1,
	.inst_class = -1, .inst_dict = -1,
	/* PyFrameObject */
	.frame_back = 24,
	.frame_code = 32, .frame_builtins = 40, .frame_globals = 48, .frame_locals = 56,
	.frame_valuestack = 64, .frame_stacktop = 72,
	.frame_lasti = 104, .frame_lineno = 108,
	.frame_trace = 80,
	.frame_state = -1,
	.frame_exc_type = -1, .frame_exc_value = -1, .frame_exc_tb = -1,
	.frame_localsplus = 360,
	.frame_frame = -1,
	.frame_extra_locals = -1, .frame_locals_cache = -1,
	.frame_size = 368,
	.frame_data = -1,
	/* _PyInterpreterFrame (3.11+) */
	.iframe_code = -1,
	.iframe_previous = -1, .iframe_func = -1, .iframe_globals = -1, .iframe_builtins = -1,
	.iframe_locals = -1, .iframe_frame_obj = -1, .iframe_prev_instr = -1,
	.iframe_stacktop = -1,
	.iframe_stackpointer = -1,
	.iframe_owner = -1, .iframe_localsplus = -1,
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	.owner_thread = -100, .owner_generator = -100, .owner_frame_object = -100,
	.owner_cstack = -100, .owner_interpreter = -100,
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are */
	.stackref_tag_mask = 0,
	/* generator / coroutine / async generator */
	.gen_frame = 16,
	.gen_code = 32,
	.gen_running = 24,
	.gen_name = 48, .gen_qualname = 56, .gen_weakreflist = 40,
	.gen_exc_type = 64, .gen_exc_value = 72, .gen_exc_tb = 80,
	.gen_frame_state = -1,
	.gen_iframe = -1,
	.agen_finalizer = 96,
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state; */
	.fs_created = -100, .fs_suspended = -100, .fs_suspended_yield_from = -100,
	.fs_executing = -100,
	.fs_completed = -100, .fs_cleared = -100,
	/* exceptions and tracebacks */
	.exc_dict = 16, .exc_args = 24, .exc_notes = -1, .exc_traceback = 32, .exc_context = 40,
	.exc_cause = 48,
	.tb_next = 16, .tb_frame = 24, .tb_lasti = 32, .tb_lineno = 36,
	/* descriptors and small builtins */
	.prop_get = 16, .prop_set = 24, .prop_del = 32, .prop_doc = 40, .prop_name = -1,
	.cm_callable = 16, .cm_dict = 24,
	.descr_type = 16, .descr_name = 24, .descr_qualname = 32,
	.wrapper_descr = 16, .wrapper_self = 24,
	.mp_mapping = 16,
	.super_type = 16, .super_obj = 24, .super_objtype = 32,
	.slice_start = 16, .slice_stop = 24, .slice_step = 32,
	.range_start = 16, .range_stop = 24, .range_step = 32,
	.ns_dict = 16,
	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial, */
	.deque_leftblock = 24, .deque_rightblock = 32, .deque_leftindex = 40, .deque_maxlen = 64,
	.block_data = 8, .block_rightlink = 520,
	.block_size = 528,
	.deque_blocklen = 64,
	.deque_len = -1,
	.od_first = 48, .od_inst_dict = 96, .od_fast_nodes_size = 72,
	.odnode_key = 0, .odnode_next = 16, .odnode_size = 32,
	.dd_factory = 48,
	.partial_fn = 16, .partial_args = 24, .partial_kw = 32, .partial_dict = 40,
	.lru_root_next = 24,
	.lru_elem_key = 40, .lru_elem_result = 48,
	.lru_cache = 72, .lru_func = 88, .lru_maxsize = 96, .lru_kwd_mark = -1, .lru_elem_type = -1,
	.lru_info_type = 112, .lru_dict = 120,
	.lru_maxsize_obj = -1,
	.buffered_buffer = 56, .buffered_buffer_size = 120,
	.bytesio_buf = 16,
	.bytesio_buf_size = -1,
	.struct_s_codes = 32, .formatcode_size = 32,
	.array_ob_item = 24, .array_allocated = 32, .array_descr = 40, .arraydescr_itemsize = 4,
	.arena_address = 0, .arena_pool_address = 8, .arena_nfreepools = 16, .arena_ntotalpools = 20,
	.arena_object_size = 48,
	.pool_count = 0, .pool_arenaindex = 32, .pool_szidx = 36, .pool_nextoffset = 40,
	.pool_maxnextoffset = 44, .pool_header_size = 48,
	.obm_arena_size = 262144, .obm_pool_size = 4096, .obm_alignment = 16, .obm_small_threshold = 512,
	/* tracemalloc (≤3.11: statics of Modules/_tracemalloc.c; 3.12+: _PyRuntime) */
	.rt_tracemalloc = -1, .tmrt_config = -1, .tmrt_traces = -1,
	.tmcfg_initialized = 0, .tmcfg_tracing = 4, .tmcfg_max_nframe = 8, .tmcfg_use_domain = -1, .tmptr_domain = -1,
	.ht_nentries = 0, .ht_nbuckets = 8, .ht_buckets = 16, .ht_bucket_size = 8, .ht_key_size = -1,
	.hte_next = 0, .hte_key = 16, .hte_value = 24,
	.tmtrace_size = 0, .tmtrace_traceback = 8,
	.tmtb_nframe = 8, .tmtb_total_nframe = 10, .tmtb_frames = 12,
	.tmframe_size = 12, .tmframe_filename = 0, .tmframe_lineno = 8,
	/* Pre-header words in front of the object (3.11+ managed dict etc.), */
	.managed_dict_off = 0,
	.managed_values_off = 0,
	.managed_weakref_off = 0,
	.preheader_managed = 0,
};

/* ==== 3.10 ==== (DWARF of 3.10.13 (pyenv)) */
static const struct py_layout L310 = {
	.major = 3, .minor = 10,
	/* _PyRuntimeState (3.7+) */
	.rt_interp_head = 32,
	.rt_interp_main = 40,
	.rt_gc = -1,
	.rt_main_thread = 72,
	/* PyInterpreterState */
	.interp_next = 0, .interp_id = 24, .interp_threads_head = 8,
	.interp_gc = 616,
	.interp_modules = 856, .interp_sysdict = 872, .interp_builtins = 880,
	/* struct _gc_runtime_state (relative to its start). */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24,
	.gc_gen_size = 24,
	.gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_generation0 = 96,
	.gc_permanent = 104,
	.gc_stats = 128,
	.gc_stats_ptr = -1,
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the */
	.gcstats_young = -1, .gcstats_young_len = -1, .gcstats_young_index = -1,
	.gcstats_old = -1, .gcstats_old_size = -1, .gcstats_old_len = -1, .gcstats_old_index = -1,
	.gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = 24,
	.ts_cframe = 48,
	.cframe_current_frame = -1,
	.ts_current_frame = -1,
	.ts_thread_id = 176, .ts_native_thread_id = -1,
	.ts_dict = 152, .ts_async_exc = 168, .ts_context = 240,
	.ts_curexc_type = 88, .ts_curexc_value = 96, .ts_curexc_tb = 104,
	.ts_exc_info = 144,
	.ts_exc_type = -1, .ts_exc_value = -1, .ts_exc_tb = -1,
	.excitem_type = 0, .excitem_value = 8, .excitem_tb = 16, .excitem_previous = 24,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16,
	.gc_head_size = 16,
	/* PyTypeObject / PyHeapTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264,
	.tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_cache = 352, .tp_subclasses = 360, .tp_is_gc = 328,
	.tp_methods = 232,
	.type_size = 408,
	.ht_name = 848, .ht_slots = 856, .ht_qualname = 864, .ht_cached_keys = 872, .ht_module = 880,
	.heaptype_size = 888,
	.member_size = 40,
	.member_name = 0, .member_type = 8, .member_offset = 16,
	.ml_name = 0, .ml_flags = 16,
	.moddef_size = 56, .moddef_traverse = 80,
	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject); */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 48,
	.str_compact_size = 72,
	.str_utf8_length = 48, .str_utf8 = 56, .str_wstr = 40, .str_wstr_length = 64,
	.str_data = 72,
	.ustr_str = -1, .ustr_defenc = -1,
	.ustr_unit = -1,
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	.state_interned_bit = 0, .state_kind_bit = 2, .state_compact_bit = 5, .state_ascii_bit = 6,
	.state_ready_bit = 7,
	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	.pystr_shash = -1, .pystr_sstate = -1, .pystr_sval = -1,
	.int_ival = -1,
	/* int (PyLongObject) */
	.long_digits = 24,
	.long_lv_tag = -1,
	.long_digit_size = 4,
	/* float, complex, bytes, bytearray */
	.float_fval = 16,
	.complex_cval = 16,
	.bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	.bytearray_bytes_object = -1,
	/* tuple, list */
	.tuple_items = 24,
	.list_items = 24, .list_allocated = 32,
	/* dict */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40,
	.dict_size = 48,
	.dict27_fill = -1, .dict27_mask = -1, .dict27_table = -1, .dict27_smalltable = -1,
	.keys_refcnt = 0,
	.keys_size = 8,
	.keys_lookup = 16,
	.keys_log2_size = -1, .keys_log2_index_bytes = -1, .keys_kind = -1,
	.keys_usable = 24, .keys_nentries = 32, .keys_indices = 40,
	.keys_header_size = 40,
	.keyentry_size = 24,
	.unientry_size = -1,
	.values_values = 0,
	.values_capacity = -1, .values_size = -1, .values_embedded = -1, .values_valid = -1,
	/* set / frozenset */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200,
	.setentry_size = 16,
	.setentry_key = 0,
	/* code */
	.co_argcount = 16, .co_nlocals = 28, .co_stacksize = 32, .co_flags = 36, .co_firstlineno = 40,
	.co_code = 48,
	.co_code_adaptive = -1,
	.co_consts = 56, .co_names = 64, .co_varnames = 72, .co_cellvars = 88, .co_freevars = 80,
	.co_localsplusnames = -1, .co_localspluskinds = -1,
	.co_nlocalsplus = -1, .co_framesize = -1,
	.co_filename = 104, .co_name = 112, .co_qualname = -1,
	.co_lnotab = -1, .co_linetable = 120,
	.co_firsttraceable = -1,
	.code_size = 176,
	/* function */
	.fn_code = 48, .fn_globals = 16, .fn_builtins = 24, .fn_defaults = 56, .fn_kwdefaults = 64,
	.fn_closure = 72, .fn_doc = 80, .fn_name = 32, .fn_dict = 88, .fn_weakreflist = 96,
	.fn_module = 104,
	.fn_annotations = 112, .fn_qualname = 40, .fn_typeparams = -1,
	/* cell, bound method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.meth_class = -1,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.cmeth_class = 56,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.mod_state_traverse = -1, .mod_state_size = -1,
	.wr_object = 16, .wr_callback = 24,
	/* 2.7 old-style classes and instances */
	.class_bases = -1, .class_dict = -1, .class_name = -1,
	.class_getattr = -1, .class_setattr = -1, .class_delattr = -1,
	.inst_class = -1, .inst_dict = -1,
	/* PyFrameObject */
	.frame_back = 24,
	.frame_code = 32, .frame_builtins = 40, .frame_globals = 48, .frame_locals = 56,
	.frame_valuestack = 64, .frame_stacktop = 80,
	.frame_lasti = 96, .frame_lineno = 100,
	.frame_trace = 72,
	.frame_state = 108,
	.frame_exc_type = -1, .frame_exc_value = -1, .frame_exc_tb = -1,
	.frame_localsplus = 352,
	.frame_frame = -1,
	.frame_extra_locals = -1, .frame_locals_cache = -1,
	.frame_size = 360,
	.frame_data = -1,
	/* _PyInterpreterFrame (3.11+) */
	.iframe_code = -1,
	.iframe_previous = -1, .iframe_func = -1, .iframe_globals = -1, .iframe_builtins = -1,
	.iframe_locals = -1, .iframe_frame_obj = -1, .iframe_prev_instr = -1,
	.iframe_stacktop = -1,
	.iframe_stackpointer = -1,
	.iframe_owner = -1, .iframe_localsplus = -1,
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	.owner_thread = -100, .owner_generator = -100, .owner_frame_object = -100,
	.owner_cstack = -100, .owner_interpreter = -100,
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are */
	.stackref_tag_mask = 0,
	/* generator / coroutine / async generator */
	.gen_frame = 16,
	.gen_code = 24,
	.gen_running = -1,
	.gen_name = 40, .gen_qualname = 48, .gen_weakreflist = 32,
	.gen_exc_type = 56, .gen_exc_value = 64, .gen_exc_tb = 72,
	.gen_frame_state = -1,
	.gen_iframe = -1,
	.agen_finalizer = 88,
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state; */
	.fs_created = -2, .fs_suspended = -1, .fs_suspended_yield_from = -100, .fs_executing = 0,
	.fs_completed = -100, .fs_cleared = 4,
	/* exceptions and tracebacks */
	.exc_dict = 16, .exc_args = 24, .exc_notes = -1, .exc_traceback = 32, .exc_context = 40,
	.exc_cause = 48,
	.tb_next = 16, .tb_frame = 24, .tb_lasti = 32, .tb_lineno = 36,
	/* descriptors and small builtins */
	.prop_get = 16, .prop_set = 24, .prop_del = 32, .prop_doc = 40, .prop_name = 48,
	.cm_callable = 16, .cm_dict = 24,
	.descr_type = 16, .descr_name = 24, .descr_qualname = 32,
	.wrapper_descr = 16, .wrapper_self = 24,
	.mp_mapping = 16,
	.super_type = 16, .super_obj = 24, .super_objtype = 32,
	.slice_start = 16, .slice_stop = 24, .slice_step = 32,
	.range_start = 16, .range_stop = 24, .range_step = 32,
	.ns_dict = 16,
	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial, */
	.deque_leftblock = 24, .deque_rightblock = 32, .deque_leftindex = 40, .deque_maxlen = 64,
	.block_data = 8, .block_rightlink = 520,
	.block_size = 528,
	.deque_blocklen = 64,
	.deque_len = -1,
	.od_first = 48, .od_inst_dict = 96, .od_fast_nodes_size = 72,
	.odnode_key = 0, .odnode_next = 16, .odnode_size = 32,
	.dd_factory = 48,
	.partial_fn = 16, .partial_args = 24, .partial_kw = 32, .partial_dict = 40,
	.lru_root_next = 24,
	.lru_elem_key = 40, .lru_elem_result = 48,
	.lru_cache = 72, .lru_func = 88, .lru_maxsize = 96, .lru_kwd_mark = 112, .lru_elem_type = 120,
	.lru_info_type = 128, .lru_dict = 136,
	.lru_maxsize_obj = -1,
	.buffered_buffer = 56, .buffered_buffer_size = 120,
	.bytesio_buf = 16,
	.bytesio_buf_size = -1,
	.struct_s_codes = 32, .formatcode_size = 32,
	.array_ob_item = 24, .array_allocated = 32, .array_descr = 40, .arraydescr_itemsize = 4,
	.arena_address = 0, .arena_pool_address = 8, .arena_nfreepools = 16, .arena_ntotalpools = 20,
	.arena_object_size = 48,
	.pool_count = 0, .pool_arenaindex = 32, .pool_szidx = 36, .pool_nextoffset = 40,
	.pool_maxnextoffset = 44, .pool_header_size = 48,
	.obm_arena_size = 1048576, .obm_pool_size = 16384, .obm_alignment = 16, .obm_small_threshold = 512,
	/* tracemalloc (≤3.11: statics of Modules/_tracemalloc.c; 3.12+: _PyRuntime) */
	.rt_tracemalloc = -1, .tmrt_config = -1, .tmrt_traces = -1,
	.tmcfg_initialized = 0, .tmcfg_tracing = 4, .tmcfg_max_nframe = 8, .tmcfg_use_domain = -1, .tmptr_domain = -1,
	.ht_nentries = 0, .ht_nbuckets = 8, .ht_buckets = 16, .ht_bucket_size = 8, .ht_key_size = -1,
	.hte_next = 0, .hte_key = 16, .hte_value = 24,
	.tmtrace_size = 0, .tmtrace_traceback = 8,
	.tmtb_nframe = 8, .tmtb_total_nframe = 10, .tmtb_frames = 12,
	.tmframe_size = 12, .tmframe_filename = 0, .tmframe_lineno = 8,
	/* Pre-header words in front of the object (3.11+ managed dict etc.), */
	.managed_dict_off = 0,
	.managed_values_off = 0,
	.managed_weakref_off = 0,
	.preheader_managed = 0,
};

/* ==== 3.11 ==== (DWARF of 3.11.7 (pyenv)) */
static const struct py_layout L311 = {
	.major = 3, .minor = 11,
	/* _PyRuntimeState (3.7+) */
	.rt_interp_head = 40,
	.rt_interp_main = 48,
	.rt_gc = -1,
	.rt_main_thread = 80,
	/* PyInterpreterState */
	.interp_next = 0, .interp_id = 48, .interp_threads_head = 16,
	.interp_gc = 648,
	.interp_modules = 888, .interp_sysdict = 904, .interp_builtins = 912,
	/* struct _gc_runtime_state (relative to its start). */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24,
	.gc_gen_size = 24,
	.gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_generation0 = 96,
	.gc_permanent = 104,
	.gc_stats = 128,
	.gc_stats_ptr = -1,
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the */
	.gcstats_young = -1, .gcstats_young_len = -1, .gcstats_young_index = -1,
	.gcstats_old = -1, .gcstats_old_size = -1, .gcstats_old_len = -1, .gcstats_old_index = -1,
	.gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = -1,
	.ts_cframe = 56,
	.cframe_current_frame = 8,
	.ts_current_frame = -1,
	.ts_thread_id = 152, .ts_native_thread_id = 160,
	.ts_dict = 128, .ts_async_exc = 144, .ts_context = 224,
	.ts_curexc_type = 96, .ts_curexc_value = 104, .ts_curexc_tb = 112,
	.ts_exc_info = 120,
	.ts_exc_type = -1, .ts_exc_value = -1, .ts_exc_tb = -1,
	.excitem_type = -1, .excitem_value = 0, .excitem_tb = -1, .excitem_previous = 8,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16,
	.gc_head_size = 16,
	/* PyTypeObject / PyHeapTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264,
	.tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_cache = 352, .tp_subclasses = 360, .tp_is_gc = 328,
	.tp_methods = 232,
	.type_size = 408,
	.ht_name = 848, .ht_slots = 856, .ht_qualname = 864, .ht_cached_keys = 872, .ht_module = 880,
	.heaptype_size = 904,
	.member_size = 40,
	.member_name = 0, .member_type = 8, .member_offset = 16,
	.ml_name = 0, .ml_flags = 16,
	.moddef_size = 56, .moddef_traverse = 80,
	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject); */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 48,
	.str_compact_size = 72,
	.str_utf8_length = 48, .str_utf8 = 56, .str_wstr = 40, .str_wstr_length = 64,
	.str_data = 72,
	.ustr_str = -1, .ustr_defenc = -1,
	.ustr_unit = -1,
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	.state_interned_bit = 0, .state_kind_bit = 2, .state_compact_bit = 5, .state_ascii_bit = 6,
	.state_ready_bit = 7,
	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	.pystr_shash = -1, .pystr_sstate = -1, .pystr_sval = -1,
	.int_ival = -1,
	/* int (PyLongObject) */
	.long_digits = 24,
	.long_lv_tag = -1,
	.long_digit_size = 4,
	/* float, complex, bytes, bytearray */
	.float_fval = 16,
	.complex_cval = 16,
	.bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	.bytearray_bytes_object = -1,
	/* tuple, list */
	.tuple_items = 24,
	.list_items = 24, .list_allocated = 32,
	/* dict */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40,
	.dict_size = 48,
	.dict27_fill = -1, .dict27_mask = -1, .dict27_table = -1, .dict27_smalltable = -1,
	.keys_refcnt = 0,
	.keys_size = -1,
	.keys_lookup = -1,
	.keys_log2_size = 8, .keys_log2_index_bytes = 9, .keys_kind = 10,
	.keys_usable = 16, .keys_nentries = 24, .keys_indices = 32,
	.keys_header_size = 32,
	.keyentry_size = 24,
	.unientry_size = 16,
	.values_values = 0,
	.values_capacity = -1, .values_size = -1, .values_embedded = -1, .values_valid = -1,
	/* set / frozenset */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200,
	.setentry_size = 16,
	.setentry_key = 0,
	/* code */
	.co_argcount = 56, .co_nlocals = 80, .co_stacksize = 68, .co_flags = 48, .co_firstlineno = 72,
	.co_code = -1,
	.co_code_adaptive = 184,
	.co_consts = 24, .co_names = 32, .co_varnames = -1, .co_cellvars = -1, .co_freevars = -1,
	.co_localsplusnames = 96, .co_localspluskinds = 104,
	.co_nlocalsplus = 76, .co_framesize = -1,
	.co_filename = 112, .co_name = 120, .co_qualname = 128,
	.co_lnotab = -1, .co_linetable = 136,
	.co_firsttraceable = 168,
	.code_size = 192,
	/* function */
	.fn_code = 48, .fn_globals = 16, .fn_builtins = 24, .fn_defaults = 56, .fn_kwdefaults = 64,
	.fn_closure = 72, .fn_doc = 80, .fn_name = 32, .fn_dict = 88, .fn_weakreflist = 96,
	.fn_module = 104,
	.fn_annotations = 112, .fn_qualname = 40, .fn_typeparams = -1,
	/* cell, bound method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.meth_class = -1,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.cmeth_class = 56,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.mod_state_traverse = -1, .mod_state_size = -1,
	.wr_object = 16, .wr_callback = 24,
	/* 2.7 old-style classes and instances */
	.class_bases = -1, .class_dict = -1, .class_name = -1,
	.class_getattr = -1, .class_setattr = -1, .class_delattr = -1,
	.inst_class = -1, .inst_dict = -1,
	/* PyFrameObject */
	.frame_back = 16,
	.frame_code = -1, .frame_builtins = -1, .frame_globals = -1, .frame_locals = -1,
	.frame_valuestack = -1, .frame_stacktop = -1,
	.frame_lasti = -1, .frame_lineno = 40,
	.frame_trace = 32,
	.frame_state = -1,
	.frame_exc_type = -1, .frame_exc_value = -1, .frame_exc_tb = -1,
	.frame_localsplus = -1,
	.frame_frame = 24,
	.frame_extra_locals = -1, .frame_locals_cache = -1,
	.frame_size = 56,
	.frame_data = 48,
	/* _PyInterpreterFrame (3.11+) */
	.iframe_code = 32,
	.iframe_previous = 48, .iframe_func = 0, .iframe_globals = 8, .iframe_builtins = 16,
	.iframe_locals = 24, .iframe_frame_obj = 40, .iframe_prev_instr = 56,
	.iframe_stacktop = 64,
	.iframe_stackpointer = -1,
	.iframe_owner = 69, .iframe_localsplus = 72,
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	.owner_thread = 0, .owner_generator = 1, .owner_frame_object = 2, .owner_cstack = -100,
	.owner_interpreter = -100,
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are */
	.stackref_tag_mask = 0,
	/* generator / coroutine / async generator */
	.gen_frame = -1,
	.gen_code = 16,
	.gen_running = -1,
	.gen_name = 32, .gen_qualname = 40, .gen_weakreflist = 24,
	.gen_exc_type = -1, .gen_exc_value = 48, .gen_exc_tb = -1,
	.gen_frame_state = 75,
	.gen_iframe = 80,
	.agen_finalizer = 64,
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state; */
	.fs_created = -2, .fs_suspended = -1, .fs_suspended_yield_from = -100, .fs_executing = 0,
	.fs_completed = 1, .fs_cleared = 4,
	/* exceptions and tracebacks */
	.exc_dict = 16, .exc_args = 24, .exc_notes = 32, .exc_traceback = 40, .exc_context = 48,
	.exc_cause = 56,
	.tb_next = 16, .tb_frame = 24, .tb_lasti = 32, .tb_lineno = 36,
	/* descriptors and small builtins */
	.prop_get = 16, .prop_set = 24, .prop_del = 32, .prop_doc = 40, .prop_name = 48,
	.cm_callable = 16, .cm_dict = 24,
	.descr_type = 16, .descr_name = 24, .descr_qualname = 32,
	.wrapper_descr = 16, .wrapper_self = 24,
	.mp_mapping = 16,
	.super_type = 16, .super_obj = 24, .super_objtype = 32,
	.slice_start = 16, .slice_stop = 24, .slice_step = 32,
	.range_start = 16, .range_stop = 24, .range_step = 32,
	.ns_dict = 16,
	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial, */
	.deque_leftblock = 24, .deque_rightblock = 32, .deque_leftindex = 40, .deque_maxlen = 64,
	.block_data = 8, .block_rightlink = 520,
	.block_size = 528,
	.deque_blocklen = 64,
	.deque_len = -1,
	.od_first = 48, .od_inst_dict = 96, .od_fast_nodes_size = 72,
	.odnode_key = 0, .odnode_next = 16, .odnode_size = 32,
	.dd_factory = 48,
	.partial_fn = 16, .partial_args = 24, .partial_kw = 32, .partial_dict = 40,
	.lru_root_next = 24,
	.lru_elem_key = 40, .lru_elem_result = 48,
	.lru_cache = 72, .lru_func = 88, .lru_maxsize = 96, .lru_kwd_mark = 112, .lru_elem_type = 120,
	.lru_info_type = 128, .lru_dict = 136,
	.lru_maxsize_obj = -1,
	.buffered_buffer = 56, .buffered_buffer_size = 120,
	.bytesio_buf = 16,
	.bytesio_buf_size = -1,
	.struct_s_codes = 32, .formatcode_size = 32,
	.array_ob_item = 24, .array_allocated = 32, .array_descr = 40, .arraydescr_itemsize = 4,
	.arena_address = 0, .arena_pool_address = 8, .arena_nfreepools = 16, .arena_ntotalpools = 20,
	.arena_object_size = 48,
	.pool_count = 0, .pool_arenaindex = 32, .pool_szidx = 36, .pool_nextoffset = 40,
	.pool_maxnextoffset = 44, .pool_header_size = 48,
	.obm_arena_size = 1048576, .obm_pool_size = 16384, .obm_alignment = 16, .obm_small_threshold = 512,
	/* tracemalloc (≤3.11: statics of Modules/_tracemalloc.c; 3.12+: _PyRuntime) */
	.rt_tracemalloc = -1, .tmrt_config = -1, .tmrt_traces = -1,
	.tmcfg_initialized = 0, .tmcfg_tracing = 4, .tmcfg_max_nframe = 8, .tmcfg_use_domain = -1, .tmptr_domain = -1,
	.ht_nentries = 0, .ht_nbuckets = 8, .ht_buckets = 16, .ht_bucket_size = 8, .ht_key_size = -1,
	.hte_next = 0, .hte_key = 16, .hte_value = 24,
	.tmtrace_size = 0, .tmtrace_traceback = 8,
	.tmtb_nframe = 8, .tmtb_total_nframe = 10, .tmtb_frames = 12,
	.tmframe_size = 12, .tmframe_filename = 0, .tmframe_lineno = 8,
	/* Pre-header words in front of the object (3.11+ managed dict etc.), */
	.managed_dict_off = -24,
	.managed_values_off = -32,
	.managed_weakref_off = 0,
	.preheader_managed = 16,
};

/* ==== 3.12 ==== (DWARF of 3.12.1 (pyenv)) */
static const struct py_layout L312 = {
	.major = 3, .minor = 12,
	/* _PyRuntimeState (3.7+) */
	.rt_interp_head = 40,
	.rt_interp_main = 48,
	.rt_gc = -1,
	.rt_main_thread = 64,
	/* PyInterpreterState */
	.interp_next = 0, .interp_id = 8, .interp_threads_head = 72,
	.interp_gc = 112,
	.interp_modules = 944, .interp_sysdict = 352, .interp_builtins = 360,
	/* struct _gc_runtime_state (relative to its start). */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24,
	.gc_gen_size = 24,
	.gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_generation0 = 96,
	.gc_permanent = 104,
	.gc_stats = 128,
	.gc_stats_ptr = -1,
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the */
	.gcstats_young = -1, .gcstats_young_len = -1, .gcstats_young_index = -1,
	.gcstats_old = -1, .gcstats_old_size = -1, .gcstats_old_len = -1, .gcstats_old_index = -1,
	.gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = -1,
	.ts_cframe = 56,
	.cframe_current_frame = 0,
	.ts_current_frame = -1,
	.ts_thread_id = 136, .ts_native_thread_id = 144,
	.ts_dict = 112, .ts_async_exc = 128, .ts_context = 208,
	.ts_curexc_type = -1, .ts_curexc_value = 96, .ts_curexc_tb = -1,
	.ts_exc_info = 104,
	.ts_exc_type = -1, .ts_exc_value = -1, .ts_exc_tb = -1,
	.excitem_type = -1, .excitem_value = 0, .excitem_tb = -1, .excitem_previous = 8,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16,
	.gc_head_size = 16,
	/* PyTypeObject / PyHeapTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264,
	.tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_cache = 352, .tp_subclasses = 360, .tp_is_gc = 328,
	.tp_methods = 232,
	.type_size = 416,
	.ht_name = 856, .ht_slots = 864, .ht_qualname = 872, .ht_cached_keys = 880, .ht_module = 888,
	.heaptype_size = 920,
	.member_size = 40,
	.member_name = 0, .member_type = 8, .member_offset = 16,
	.ml_name = 0, .ml_flags = 16,
	.moddef_size = 56, .moddef_traverse = 80,
	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject); */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 40,
	.str_compact_size = 56,
	.str_utf8_length = 40, .str_utf8 = 48, .str_wstr = -1, .str_wstr_length = -1,
	.str_data = 56,
	.ustr_str = -1, .ustr_defenc = -1,
	.ustr_unit = -1,
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	.state_interned_bit = 0, .state_kind_bit = 2, .state_compact_bit = 5, .state_ascii_bit = 6,
	.state_ready_bit = -1,
	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	.pystr_shash = -1, .pystr_sstate = -1, .pystr_sval = -1,
	.int_ival = -1,
	/* int (PyLongObject) */
	.long_digits = 24,
	.long_lv_tag = 16,
	.long_digit_size = 4,
	/* float, complex, bytes, bytearray */
	.float_fval = 16,
	.complex_cval = 16,
	.bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	.bytearray_bytes_object = -1,
	/* tuple, list */
	.tuple_items = 24,
	.list_items = 24, .list_allocated = 32,
	/* dict */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40,
	.dict_size = 48,
	.dict27_fill = -1, .dict27_mask = -1, .dict27_table = -1, .dict27_smalltable = -1,
	.keys_refcnt = 0,
	.keys_size = -1,
	.keys_lookup = -1,
	.keys_log2_size = 8, .keys_log2_index_bytes = 9, .keys_kind = 10,
	.keys_usable = 16, .keys_nentries = 24, .keys_indices = 32,
	.keys_header_size = 32,
	.keyentry_size = 24,
	.unientry_size = 16,
	.values_values = 0,
	.values_capacity = -1, .values_size = -1, .values_embedded = -1, .values_valid = -1,
	/* set / frozenset */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200,
	.setentry_size = 16,
	.setentry_key = 0,
	/* code */
	.co_argcount = 52, .co_nlocals = 80, .co_stacksize = 64, .co_flags = 48, .co_firstlineno = 68,
	.co_code = -1,
	.co_code_adaptive = 192,
	.co_consts = 24, .co_names = 32, .co_varnames = -1, .co_cellvars = -1, .co_freevars = -1,
	.co_localsplusnames = 96, .co_localspluskinds = 104,
	.co_nlocalsplus = 72, .co_framesize = 76,
	.co_filename = 112, .co_name = 120, .co_qualname = 128,
	.co_lnotab = -1, .co_linetable = 136,
	.co_firsttraceable = 176,
	.code_size = 200,
	/* function */
	.fn_code = 48, .fn_globals = 16, .fn_builtins = 24, .fn_defaults = 56, .fn_kwdefaults = 64,
	.fn_closure = 72, .fn_doc = 80, .fn_name = 32, .fn_dict = 88, .fn_weakreflist = 96,
	.fn_module = 104,
	.fn_annotations = 112, .fn_qualname = 40, .fn_typeparams = 120,
	/* cell, bound method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.meth_class = -1,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.cmeth_class = 56,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.mod_state_traverse = -1, .mod_state_size = -1,
	.wr_object = 16, .wr_callback = 24,
	/* 2.7 old-style classes and instances */
	.class_bases = -1, .class_dict = -1, .class_name = -1,
	.class_getattr = -1, .class_setattr = -1, .class_delattr = -1,
	.inst_class = -1, .inst_dict = -1,
	/* PyFrameObject */
	.frame_back = 16,
	.frame_code = -1, .frame_builtins = -1, .frame_globals = -1, .frame_locals = -1,
	.frame_valuestack = -1, .frame_stacktop = -1,
	.frame_lasti = -1, .frame_lineno = 40,
	.frame_trace = 32,
	.frame_state = -1,
	.frame_exc_type = -1, .frame_exc_value = -1, .frame_exc_tb = -1,
	.frame_localsplus = -1,
	.frame_frame = 24,
	.frame_extra_locals = -1, .frame_locals_cache = -1,
	.frame_size = 56,
	.frame_data = 48,
	/* _PyInterpreterFrame (3.11+) */
	.iframe_code = 0,
	.iframe_previous = 8, .iframe_func = 16, .iframe_globals = 24, .iframe_builtins = 32,
	.iframe_locals = 40, .iframe_frame_obj = 48, .iframe_prev_instr = 56,
	.iframe_stacktop = 64,
	.iframe_stackpointer = -1,
	.iframe_owner = 70, .iframe_localsplus = 72,
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	.owner_thread = 0, .owner_generator = 1, .owner_frame_object = 2, .owner_cstack = 3,
	.owner_interpreter = -100,
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are */
	.stackref_tag_mask = 0,
	/* generator / coroutine / async generator */
	.gen_frame = -1,
	.gen_code = -1,
	.gen_running = -1,
	.gen_name = 24, .gen_qualname = 32, .gen_weakreflist = 16,
	.gen_exc_type = -1, .gen_exc_value = 40, .gen_exc_tb = -1,
	.gen_frame_state = 67,
	.gen_iframe = 72,
	.agen_finalizer = 56,
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state; */
	.fs_created = -2, .fs_suspended = -1, .fs_suspended_yield_from = -100, .fs_executing = 0,
	.fs_completed = 1, .fs_cleared = 4,
	/* exceptions and tracebacks */
	.exc_dict = 16, .exc_args = 24, .exc_notes = 32, .exc_traceback = 40, .exc_context = 48,
	.exc_cause = 56,
	.tb_next = 16, .tb_frame = 24, .tb_lasti = 32, .tb_lineno = 36,
	/* descriptors and small builtins */
	.prop_get = 16, .prop_set = 24, .prop_del = 32, .prop_doc = 40, .prop_name = 48,
	.cm_callable = 16, .cm_dict = 24,
	.descr_type = 16, .descr_name = 24, .descr_qualname = 32,
	.wrapper_descr = 16, .wrapper_self = 24,
	.mp_mapping = 16,
	.super_type = 16, .super_obj = 24, .super_objtype = 32,
	.slice_start = 16, .slice_stop = 24, .slice_step = 32,
	.range_start = 16, .range_stop = 24, .range_step = 32,
	.ns_dict = 16,
	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial, */
	.deque_leftblock = 24, .deque_rightblock = 32, .deque_leftindex = 40, .deque_maxlen = 64,
	.block_data = 8, .block_rightlink = 520,
	.block_size = 528,
	.deque_blocklen = 64,
	.deque_len = -1,
	.od_first = 48, .od_inst_dict = 96, .od_fast_nodes_size = 72,
	.odnode_key = 0, .odnode_next = 16, .odnode_size = 32,
	.dd_factory = 48,
	.partial_fn = 16, .partial_args = 24, .partial_kw = 32, .partial_dict = 40,
	.lru_root_next = 24,
	.lru_elem_key = 40, .lru_elem_result = 48,
	.lru_cache = 72, .lru_func = 88, .lru_maxsize = 96, .lru_kwd_mark = 112, .lru_elem_type = 120,
	.lru_info_type = 128, .lru_dict = 136,
	.lru_maxsize_obj = -1,
	.buffered_buffer = 56, .buffered_buffer_size = 120,
	.bytesio_buf = 16,
	.bytesio_buf_size = -1,
	.struct_s_codes = 32, .formatcode_size = 32,
	.array_ob_item = 24, .array_allocated = 32, .array_descr = 40, .arraydescr_itemsize = 4,
	.arena_address = 0, .arena_pool_address = 8, .arena_nfreepools = 16, .arena_ntotalpools = 20,
	.arena_object_size = 48,
	.pool_count = 0, .pool_arenaindex = 32, .pool_szidx = 36, .pool_nextoffset = 40,
	.pool_maxnextoffset = 44, .pool_header_size = 48,
	.obm_arena_size = 1048576, .obm_pool_size = 16384, .obm_alignment = 16, .obm_small_threshold = 512,
	/* tracemalloc (≤3.11: statics of Modules/_tracemalloc.c; 3.12+: _PyRuntime) */
	.rt_tracemalloc = 2768, .tmrt_config = 0, .tmrt_traces = 184,
	.tmcfg_initialized = 0, .tmcfg_tracing = 4, .tmcfg_max_nframe = 8, .tmcfg_use_domain = -1, .tmptr_domain = -1,
	.ht_nentries = 0, .ht_nbuckets = 8, .ht_buckets = 16, .ht_bucket_size = 8, .ht_key_size = -1,
	.hte_next = 0, .hte_key = 16, .hte_value = 24,
	.tmtrace_size = 0, .tmtrace_traceback = 8,
	.tmtb_nframe = 8, .tmtb_total_nframe = 10, .tmtb_frames = 12,
	.tmframe_size = 12, .tmframe_filename = 0, .tmframe_lineno = 8,
	/* Pre-header words in front of the object (3.11+ managed dict etc.), */
	.managed_dict_off = -24,
	.managed_values_off = 0,
	.managed_weakref_off = -32,
	.preheader_managed = 16,
};

/* ==== 3.13 ==== (DWARF of 3.13.0 (pyenv)) */
static const struct py_layout L313 = {
	.major = 3, .minor = 13,
	/* _PyRuntimeState (3.7+) */
	.rt_interp_head = 632,
	.rt_interp_main = 640,
	.rt_gc = -1,
	.rt_main_thread = 656,
	/* PyInterpreterState */
	.interp_next = 7264, .interp_id = 7272, .interp_threads_head = 7344,
	.interp_gc = 7400,
	.interp_modules = 7656, .interp_sysdict = 7640, .interp_builtins = 7648,
	/* struct _gc_runtime_state (relative to its start). */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24,
	.gc_gen_size = 24,
	.gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_generation0 = 96,
	.gc_permanent = 104,
	.gc_stats = 128,
	.gc_stats_ptr = -1,
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the */
	.gcstats_young = -1, .gcstats_young_len = -1, .gcstats_young_index = -1,
	.gcstats_old = -1, .gcstats_old_size = -1, .gcstats_old_len = -1, .gcstats_old_index = -1,
	.gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = -1,
	.ts_cframe = -1,
	.cframe_current_frame = -1,
	.ts_current_frame = 72,
	.ts_thread_id = 152, .ts_native_thread_id = 160,
	.ts_dict = 128, .ts_async_exc = 144, .ts_context = 208,
	.ts_curexc_type = -1, .ts_curexc_value = 112, .ts_curexc_tb = -1,
	.ts_exc_info = 120,
	.ts_exc_type = -1, .ts_exc_value = -1, .ts_exc_tb = -1,
	.excitem_type = -1, .excitem_value = 0, .excitem_tb = -1, .excitem_previous = 8,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16,
	.gc_head_size = 16,
	/* PyTypeObject / PyHeapTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264,
	.tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_cache = 352, .tp_subclasses = 360, .tp_is_gc = 328,
	.tp_methods = 232,
	.type_size = 416,
	.ht_name = 856, .ht_slots = 864, .ht_qualname = 872, .ht_cached_keys = 880, .ht_module = 888,
	.heaptype_size = 928,
	.member_size = 40,
	.member_name = 0, .member_type = 8, .member_offset = 16,
	.ml_name = 0, .ml_flags = 16,
	.moddef_size = 56, .moddef_traverse = 80,
	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject); */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 40,
	.str_compact_size = 56,
	.str_utf8_length = 40, .str_utf8 = 48, .str_wstr = -1, .str_wstr_length = -1,
	.str_data = 56,
	.ustr_str = -1, .ustr_defenc = -1,
	.ustr_unit = -1,
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	.state_interned_bit = 0, .state_kind_bit = 2, .state_compact_bit = 5, .state_ascii_bit = 6,
	.state_ready_bit = -1,
	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	.pystr_shash = -1, .pystr_sstate = -1, .pystr_sval = -1,
	.int_ival = -1,
	/* int (PyLongObject) */
	.long_digits = 24,
	.long_lv_tag = 16,
	.long_digit_size = 4,
	/* float, complex, bytes, bytearray */
	.float_fval = 16,
	.complex_cval = 16,
	.bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	.bytearray_bytes_object = -1,
	/* tuple, list */
	.tuple_items = 24,
	.list_items = 24, .list_allocated = 32,
	/* dict */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40,
	.dict_size = 48,
	.dict27_fill = -1, .dict27_mask = -1, .dict27_table = -1, .dict27_smalltable = -1,
	.keys_refcnt = 0,
	.keys_size = -1,
	.keys_lookup = -1,
	.keys_log2_size = 8, .keys_log2_index_bytes = 9, .keys_kind = 10,
	.keys_usable = 16, .keys_nentries = 24, .keys_indices = 32,
	.keys_header_size = 32,
	.keyentry_size = 24,
	.unientry_size = 16,
	.values_values = 8,
	.values_capacity = 0, .values_size = 1, .values_embedded = 2, .values_valid = 3,
	/* set / frozenset */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200,
	.setentry_size = 16,
	.setentry_key = 0,
	/* code */
	.co_argcount = 52, .co_nlocals = 80, .co_stacksize = 64, .co_flags = 48, .co_firstlineno = 68,
	.co_code = -1,
	.co_code_adaptive = 200,
	.co_consts = 24, .co_names = 32, .co_varnames = -1, .co_cellvars = -1, .co_freevars = -1,
	.co_localsplusnames = 96, .co_localspluskinds = 104,
	.co_nlocalsplus = 72, .co_framesize = 76,
	.co_filename = 112, .co_name = 120, .co_qualname = 128,
	.co_lnotab = -1, .co_linetable = 136,
	.co_firsttraceable = 184,
	.code_size = 208,
	/* function */
	.fn_code = 48, .fn_globals = 16, .fn_builtins = 24, .fn_defaults = 56, .fn_kwdefaults = 64,
	.fn_closure = 72, .fn_doc = 80, .fn_name = 32, .fn_dict = 88, .fn_weakreflist = 96,
	.fn_module = 104,
	.fn_annotations = 112, .fn_qualname = 40, .fn_typeparams = 120,
	/* cell, bound method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.meth_class = -1,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.cmeth_class = 56,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.mod_state_traverse = -1, .mod_state_size = -1,
	.wr_object = 16, .wr_callback = 24,
	/* 2.7 old-style classes and instances */
	.class_bases = -1, .class_dict = -1, .class_name = -1,
	.class_getattr = -1, .class_setattr = -1, .class_delattr = -1,
	.inst_class = -1, .inst_dict = -1,
	/* PyFrameObject */
	.frame_back = 16,
	.frame_code = -1, .frame_builtins = -1, .frame_globals = -1, .frame_locals = -1,
	.frame_valuestack = -1, .frame_stacktop = -1,
	.frame_lasti = -1, .frame_lineno = 40,
	.frame_trace = 32,
	.frame_state = -1,
	.frame_exc_type = -1, .frame_exc_value = -1, .frame_exc_tb = -1,
	.frame_localsplus = -1,
	.frame_frame = 24,
	.frame_extra_locals = 48, .frame_locals_cache = 56,
	.frame_size = 72,
	.frame_data = 64,
	/* _PyInterpreterFrame (3.11+) */
	.iframe_code = 0,
	.iframe_previous = 8, .iframe_func = 16, .iframe_globals = 24, .iframe_builtins = 32,
	.iframe_locals = 40, .iframe_frame_obj = 48, .iframe_prev_instr = 56,
	.iframe_stacktop = 64,
	.iframe_stackpointer = -1,
	.iframe_owner = 70, .iframe_localsplus = 72,
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	.owner_thread = 0, .owner_generator = 1, .owner_frame_object = 2, .owner_cstack = 3,
	.owner_interpreter = -100,
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are */
	.stackref_tag_mask = 0,
	/* generator / coroutine / async generator */
	.gen_frame = -1,
	.gen_code = -1,
	.gen_running = -1,
	.gen_name = 24, .gen_qualname = 32, .gen_weakreflist = 16,
	.gen_exc_type = -1, .gen_exc_value = 40, .gen_exc_tb = -1,
	.gen_frame_state = 67,
	.gen_iframe = 72,
	.agen_finalizer = 56,
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state; */
	.fs_created = -3, .fs_suspended = -2, .fs_suspended_yield_from = -1, .fs_executing = 0,
	.fs_completed = 1, .fs_cleared = 4,
	/* exceptions and tracebacks */
	.exc_dict = 16, .exc_args = 24, .exc_notes = 32, .exc_traceback = 40, .exc_context = 48,
	.exc_cause = 56,
	.tb_next = 16, .tb_frame = 24, .tb_lasti = 32, .tb_lineno = 36,
	/* descriptors and small builtins */
	.prop_get = 16, .prop_set = 24, .prop_del = 32, .prop_doc = 40, .prop_name = 48,
	.cm_callable = 16, .cm_dict = 24,
	.descr_type = 16, .descr_name = 24, .descr_qualname = 32,
	.wrapper_descr = 16, .wrapper_self = 24,
	.mp_mapping = 16,
	.super_type = 16, .super_obj = 24, .super_objtype = 32,
	.slice_start = 16, .slice_stop = 24, .slice_step = 32,
	.range_start = 16, .range_stop = 24, .range_step = 32,
	.ns_dict = 16,
	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial, */
	.deque_leftblock = 24, .deque_rightblock = 32, .deque_leftindex = 40, .deque_maxlen = 64,
	.block_data = 8, .block_rightlink = 520,
	.block_size = 528,
	.deque_blocklen = 64,
	.deque_len = -1,
	.od_first = 48, .od_inst_dict = 96, .od_fast_nodes_size = 72,
	.odnode_key = 0, .odnode_next = 16, .odnode_size = 32,
	.dd_factory = 48,
	.partial_fn = 16, .partial_args = 24, .partial_kw = 32, .partial_dict = 40,
	.lru_root_next = 24,
	.lru_elem_key = 40, .lru_elem_result = 48,
	.lru_cache = 72, .lru_func = 88, .lru_maxsize = 96, .lru_kwd_mark = 112, .lru_elem_type = 120,
	.lru_info_type = 128, .lru_dict = 136,
	.lru_maxsize_obj = -1,
	.buffered_buffer = 56, .buffered_buffer_size = 120,
	.bytesio_buf = 16,
	.bytesio_buf_size = -1,
	.struct_s_codes = 32, .formatcode_size = 32,
	.array_ob_item = 24, .array_allocated = 32, .array_descr = 40, .arraydescr_itemsize = 4,
	.arena_address = 0, .arena_pool_address = 8, .arena_nfreepools = 16, .arena_ntotalpools = 20,
	.arena_object_size = 48,
	.pool_count = 0, .pool_arenaindex = 32, .pool_szidx = 36, .pool_nextoffset = 40,
	.pool_maxnextoffset = 44, .pool_header_size = 48,
	.obm_arena_size = 1048576, .obm_pool_size = 16384, .obm_alignment = 16, .obm_small_threshold = 512,
	/* tracemalloc (≤3.11: statics of Modules/_tracemalloc.c; 3.12+: _PyRuntime) */
	.rt_tracemalloc = 10080, .tmrt_config = 0, .tmrt_traces = 184,
	.tmcfg_initialized = 0, .tmcfg_tracing = 4, .tmcfg_max_nframe = 8, .tmcfg_use_domain = -1, .tmptr_domain = -1,
	.ht_nentries = 0, .ht_nbuckets = 8, .ht_buckets = 16, .ht_bucket_size = 8, .ht_key_size = -1,
	.hte_next = 0, .hte_key = 16, .hte_value = 24,
	.tmtrace_size = 0, .tmtrace_traceback = 8,
	.tmtb_nframe = 8, .tmtb_total_nframe = 10, .tmtb_frames = 12,
	.tmframe_size = 12, .tmframe_filename = 0, .tmframe_lineno = 8,
	/* Pre-header words in front of the object (3.11+ managed dict etc.), */
	.managed_dict_off = -24,
	.managed_values_off = 0,
	.managed_weakref_off = -32,
	.preheader_managed = 16,
};

/* ==== 3.14 ==== (DWARF of 3.14 (Debian sid)) */
static const struct py_layout L314 = {
	.major = 3, .minor = 14,
	/* _PyRuntimeState (3.7+) */
	.rt_interp_head = 808,
	.rt_interp_main = 816,
	.rt_gc = -1,
	.rt_main_thread = 832,
	/* PyInterpreterState */
	.interp_next = 7272, .interp_id = 7280, .interp_threads_head = 7344,
	.interp_gc = 7408,
	.interp_modules = 7688, .interp_sysdict = 7672, .interp_builtins = 7680,
	/* struct _gc_runtime_state (relative to its start). */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24,
	.gc_gen_size = 24,
	.gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_generation0 = 256,
	.gc_permanent = 96,
	.gc_stats = 120,
	.gc_stats_ptr = -1,
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the */
	.gcstats_young = -1, .gcstats_young_len = -1, .gcstats_young_index = -1,
	.gcstats_old = -1, .gcstats_old_size = -1, .gcstats_old_len = -1, .gcstats_old_index = -1,
	.gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 192, .gc_garbage = 200, .gc_callbacks = 208,
	.gc_long_lived_total = 240, .gc_long_lived_pending = 248,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = -1,
	.ts_cframe = -1,
	.cframe_current_frame = -1,
	.ts_current_frame = 72,
	.ts_thread_id = 152, .ts_native_thread_id = 160,
	.ts_dict = 128, .ts_async_exc = 144, .ts_context = 208,
	.ts_curexc_type = -1, .ts_curexc_value = 112, .ts_curexc_tb = -1,
	.ts_exc_info = 120,
	.ts_exc_type = -1, .ts_exc_value = -1, .ts_exc_tb = -1,
	.excitem_type = -1, .excitem_value = 0, .excitem_tb = -1, .excitem_previous = 8,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16,
	.gc_head_size = 16,
	/* PyTypeObject / PyHeapTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264,
	.tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_cache = 352, .tp_subclasses = 360, .tp_is_gc = 328,
	.tp_methods = 232,
	.type_size = 416,
	.ht_name = 856, .ht_slots = 864, .ht_qualname = 872, .ht_cached_keys = 880, .ht_module = 888,
	.heaptype_size = 936,
	.member_size = 40,
	.member_name = 0, .member_type = 8, .member_offset = 16,
	.ml_name = 0, .ml_flags = 16,
	.moddef_size = 56, .moddef_traverse = 80,
	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject); */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 40,
	.str_compact_size = 56,
	.str_utf8_length = 40, .str_utf8 = 48, .str_wstr = -1, .str_wstr_length = -1,
	.str_data = 56,
	.ustr_str = -1, .ustr_defenc = -1,
	.ustr_unit = -1,
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	.state_interned_bit = 0, .state_kind_bit = 2, .state_compact_bit = 5, .state_ascii_bit = 6,
	.state_ready_bit = -1,
	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	.pystr_shash = -1, .pystr_sstate = -1, .pystr_sval = -1,
	.int_ival = -1,
	/* int (PyLongObject) */
	.long_digits = 24,
	.long_lv_tag = 16,
	.long_digit_size = 4,
	/* float, complex, bytes, bytearray */
	.float_fval = 16,
	.complex_cval = 16,
	.bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	.bytearray_bytes_object = -1,
	/* tuple, list */
	.tuple_items = 32,
	.list_items = 24, .list_allocated = 32,
	/* dict */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40,
	.dict_size = 48,
	.dict27_fill = -1, .dict27_mask = -1, .dict27_table = -1, .dict27_smalltable = -1,
	.keys_refcnt = 0,
	.keys_size = -1,
	.keys_lookup = -1,
	.keys_log2_size = 8, .keys_log2_index_bytes = 9, .keys_kind = 10,
	.keys_usable = 16, .keys_nentries = 24, .keys_indices = 32,
	.keys_header_size = 32,
	.keyentry_size = 24,
	.unientry_size = 16,
	.values_values = 8,
	.values_capacity = 0, .values_size = 1, .values_embedded = 2, .values_valid = 3,
	/* set / frozenset */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200,
	.setentry_size = 16,
	.setentry_key = 0,
	/* code */
	.co_argcount = 52, .co_nlocals = 80, .co_stacksize = 64, .co_flags = 48, .co_firstlineno = 68,
	.co_code = -1,
	.co_code_adaptive = 208,
	.co_consts = 24, .co_names = 32, .co_varnames = -1, .co_cellvars = -1, .co_freevars = -1,
	.co_localsplusnames = 96, .co_localspluskinds = 104,
	.co_nlocalsplus = 72, .co_framesize = 76,
	.co_filename = 112, .co_name = 120, .co_qualname = 128,
	.co_lnotab = -1, .co_linetable = 136,
	.co_firsttraceable = 192,
	.code_size = 216,
	/* function */
	.fn_code = 48, .fn_globals = 16, .fn_builtins = 24, .fn_defaults = 56, .fn_kwdefaults = 64,
	.fn_closure = 72, .fn_doc = 80, .fn_name = 32, .fn_dict = 88, .fn_weakreflist = 96,
	.fn_module = 104,
	.fn_annotations = 112, .fn_qualname = 40, .fn_typeparams = 128,
	/* cell, bound method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.meth_class = -1,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.cmeth_class = 56,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.mod_state_traverse = -1, .mod_state_size = -1,
	.wr_object = 16, .wr_callback = 24,
	/* 2.7 old-style classes and instances */
	.class_bases = -1, .class_dict = -1, .class_name = -1,
	.class_getattr = -1, .class_setattr = -1, .class_delattr = -1,
	.inst_class = -1, .inst_dict = -1,
	/* PyFrameObject */
	.frame_back = 16,
	.frame_code = -1, .frame_builtins = -1, .frame_globals = -1, .frame_locals = -1,
	.frame_valuestack = -1, .frame_stacktop = -1,
	.frame_lasti = -1, .frame_lineno = 40,
	.frame_trace = 32,
	.frame_state = -1,
	.frame_exc_type = -1, .frame_exc_value = -1, .frame_exc_tb = -1,
	.frame_localsplus = -1,
	.frame_frame = 24,
	.frame_extra_locals = 48, .frame_locals_cache = 56,
	.frame_size = 80,
	.frame_data = 72,
	/* _PyInterpreterFrame (3.11+) */
	.iframe_code = 0,
	.iframe_previous = 8, .iframe_func = 16, .iframe_globals = 24, .iframe_builtins = 32,
	.iframe_locals = 40, .iframe_frame_obj = 48, .iframe_prev_instr = 56,
	.iframe_stacktop = -1,
	.iframe_stackpointer = 64,
	.iframe_owner = 74, .iframe_localsplus = 80,
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	.owner_thread = 0, .owner_generator = 1, .owner_frame_object = 2, .owner_cstack = 4,
	.owner_interpreter = 3,
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are */
	.stackref_tag_mask = 1,
	/* generator / coroutine / async generator */
	.gen_frame = -1,
	.gen_code = -1,
	.gen_running = -1,
	.gen_name = 24, .gen_qualname = 32, .gen_weakreflist = 16,
	.gen_exc_type = -1, .gen_exc_value = 40, .gen_exc_tb = -1,
	.gen_frame_state = 67,
	.gen_iframe = 72,
	.agen_finalizer = 56,
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state; */
	.fs_created = -3, .fs_suspended = -2, .fs_suspended_yield_from = -1, .fs_executing = 0,
	.fs_completed = 1, .fs_cleared = 4,
	/* exceptions and tracebacks */
	.exc_dict = 16, .exc_args = 24, .exc_notes = 32, .exc_traceback = 40, .exc_context = 48,
	.exc_cause = 56,
	.tb_next = 16, .tb_frame = 24, .tb_lasti = 32, .tb_lineno = 36,
	/* descriptors and small builtins */
	.prop_get = 16, .prop_set = 24, .prop_del = 32, .prop_doc = 40, .prop_name = 48,
	.cm_callable = 16, .cm_dict = 24,
	.descr_type = 16, .descr_name = 24, .descr_qualname = 32,
	.wrapper_descr = 16, .wrapper_self = 24,
	.mp_mapping = 16,
	.super_type = 16, .super_obj = 24, .super_objtype = 32,
	.slice_start = 16, .slice_stop = 24, .slice_step = 32,
	.range_start = 16, .range_stop = 24, .range_step = 32,
	.ns_dict = 16,
	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial, */
	.deque_leftblock = 24, .deque_rightblock = 32, .deque_leftindex = 40, .deque_maxlen = 64,
	.block_data = 8, .block_rightlink = 520,
	.block_size = 528,
	.deque_blocklen = 64,
	.deque_len = -1,
	.od_first = 48, .od_inst_dict = 96, .od_fast_nodes_size = 72,
	.odnode_key = 0, .odnode_next = 16, .odnode_size = 32,
	.dd_factory = 48,
	.partial_fn = 16, .partial_args = 24, .partial_kw = 32, .partial_dict = 40,
	.lru_root_next = 24,
	.lru_elem_key = 40, .lru_elem_result = 48,
	.lru_cache = 72, .lru_func = 88, .lru_maxsize = 96, .lru_kwd_mark = 112, .lru_elem_type = 120,
	.lru_info_type = 128, .lru_dict = 136,
	.lru_maxsize_obj = -1,
	.buffered_buffer = 56, .buffered_buffer_size = 120,
	.bytesio_buf = 16,
	.bytesio_buf_size = -1,
	.struct_s_codes = 32, .formatcode_size = 32,
	.array_ob_item = 24, .array_allocated = 32, .array_descr = 40, .arraydescr_itemsize = 4,
	.arena_address = 0, .arena_pool_address = 8, .arena_nfreepools = 16, .arena_ntotalpools = 20,
	.arena_object_size = 48,
	.pool_count = 0, .pool_arenaindex = 32, .pool_szidx = 36, .pool_nextoffset = 40,
	.pool_maxnextoffset = 44, .pool_header_size = 48,
	.obm_arena_size = 1048576, .obm_pool_size = 16384, .obm_alignment = 16, .obm_small_threshold = 512,
	/* tracemalloc (≤3.11: statics of Modules/_tracemalloc.c; 3.12+: _PyRuntime) */
	.rt_tracemalloc = 10296, .tmrt_config = 0, .tmrt_traces = 184,
	.tmcfg_initialized = 0, .tmcfg_tracing = 4, .tmcfg_max_nframe = 8, .tmcfg_use_domain = -1, .tmptr_domain = -1,
	.ht_nentries = 0, .ht_nbuckets = 8, .ht_buckets = 16, .ht_bucket_size = 8, .ht_key_size = -1,
	.hte_next = 0, .hte_key = 16, .hte_value = 24,
	.tmtrace_size = 0, .tmtrace_traceback = 8,
	.tmtb_nframe = 8, .tmtb_total_nframe = 10, .tmtb_frames = 12,
	.tmframe_size = 12, .tmframe_filename = 0, .tmframe_lineno = 8,
	/* Pre-header words in front of the object (3.11+ managed dict etc.), */
	.managed_dict_off = -24,
	.managed_values_off = 0,
	.managed_weakref_off = -32,
	.preheader_managed = 16,
};

/* ==== 3.15 ==== (DWARF of 3.15 (Debian sid)) */
static const struct py_layout L315 = {
	.major = 3, .minor = 15,
	/* _PyRuntimeState (3.7+) */
	.rt_interp_head = 936,
	.rt_interp_main = 944,
	.rt_gc = -1,
	.rt_main_thread = 960,
	/* PyInterpreterState */
	.interp_next = 7264, .interp_id = 7272, .interp_threads_head = 7336,
	.interp_gc = 7400,
	.interp_modules = 7592, .interp_sysdict = 7576, .interp_builtins = 7584,
	/* struct _gc_runtime_state (relative to its start). */
	.gc_enabled = 0, .gc_debug = 4,
	.gc_generations = 8,
	.gc_gen_size = 24,
	.gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_generation0 = 168,
	.gc_permanent = 80,
	.gc_stats = -1,
	.gc_stats_ptr = 104,
	/* 3.15 struct gc_stats: ring buffers of gc_generation_stats, the */
	.gcstats_young = 0, .gcstats_young_len = 11, .gcstats_young_index = 704,
	.gcstats_old = 712, .gcstats_old_size = 200, .gcstats_old_len = 3, .gcstats_old_index = 192,
	.gc_stats_size = 64,
	.gc_stats_collections = 16, .gc_stats_collected = 24, .gc_stats_uncollectable = 32,
	.gc_collecting = 112, .gc_garbage = 128, .gc_callbacks = 136,
	.gc_long_lived_total = 152, .gc_long_lived_pending = 160,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = -1,
	.ts_cframe = -1,
	.cframe_current_frame = -1,
	.ts_current_frame = 72,
	.ts_thread_id = 176, .ts_native_thread_id = 184,
	.ts_dict = 152, .ts_async_exc = 168, .ts_context = 232,
	.ts_curexc_type = -1, .ts_curexc_value = 136, .ts_curexc_tb = -1,
	.ts_exc_info = 144,
	.ts_exc_type = -1, .ts_exc_value = -1, .ts_exc_tb = -1,
	.excitem_type = -1, .excitem_value = 0, .excitem_tb = -1, .excitem_previous = 8,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16,
	.gc_head_size = 16,
	/* PyTypeObject / PyHeapTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264,
	.tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_cache = 352, .tp_subclasses = 360, .tp_is_gc = 328,
	.tp_methods = 232,
	.type_size = 424,
	.ht_name = 864, .ht_slots = 872, .ht_qualname = 880, .ht_cached_keys = 888, .ht_module = 896,
	.heaptype_size = 944,
	.member_size = 40,
	.member_name = 0, .member_type = 8, .member_offset = 16,
	.ml_name = 0, .ml_flags = 16,
	.moddef_size = 56, .moddef_traverse = 80,
	/* str (PyASCIIObject / PyCompactUnicodeObject / PyUnicodeObject); */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 40,
	.str_compact_size = 56,
	.str_utf8_length = 40, .str_utf8 = 48, .str_wstr = -1, .str_wstr_length = -1,
	.str_data = 56,
	.ustr_str = -1, .ustr_defenc = -1,
	.ustr_unit = -1,
	/* PyASCIIObject.state bit positions (bit offsets inside the word) */
	.state_interned_bit = 0, .state_kind_bit = 2, .state_compact_bit = 5, .state_ascii_bit = 6,
	.state_ready_bit = -1,
	/* 2.7 str (PyStringObject) and int (PyIntObject) */
	.pystr_shash = -1, .pystr_sstate = -1, .pystr_sval = -1,
	.int_ival = -1,
	/* int (PyLongObject) */
	.long_digits = 24,
	.long_lv_tag = 16,
	.long_digit_size = 4,
	/* float, complex, bytes, bytearray */
	.float_fval = 16,
	.complex_cval = 16,
	.bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	.bytearray_bytes_object = 56,
	/* tuple, list */
	.tuple_items = 32,
	.list_items = 24, .list_allocated = 32,
	/* dict */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40,
	.dict_size = 48,
	.dict27_fill = -1, .dict27_mask = -1, .dict27_table = -1, .dict27_smalltable = -1,
	.keys_refcnt = 0,
	.keys_size = -1,
	.keys_lookup = -1,
	.keys_log2_size = 8, .keys_log2_index_bytes = 9, .keys_kind = 10,
	.keys_usable = 16, .keys_nentries = 24, .keys_indices = 32,
	.keys_header_size = 32,
	.keyentry_size = 24,
	.unientry_size = 16,
	.values_values = 8,
	.values_capacity = 0, .values_size = 1, .values_embedded = 2, .values_valid = 3,
	/* set / frozenset */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200,
	.setentry_size = 16,
	.setentry_key = 0,
	/* code */
	.co_argcount = 52, .co_nlocals = 80, .co_stacksize = 64, .co_flags = 48, .co_firstlineno = 68,
	.co_code = -1,
	.co_code_adaptive = 208,
	.co_consts = 24, .co_names = 32, .co_varnames = -1, .co_cellvars = -1, .co_freevars = -1,
	.co_localsplusnames = 96, .co_localspluskinds = 104,
	.co_nlocalsplus = 72, .co_framesize = 76,
	.co_filename = 112, .co_name = 120, .co_qualname = 128,
	.co_lnotab = -1, .co_linetable = 136,
	.co_firsttraceable = 192,
	.code_size = 216,
	/* function */
	.fn_code = 48, .fn_globals = 16, .fn_builtins = 24, .fn_defaults = 56, .fn_kwdefaults = 64,
	.fn_closure = 72, .fn_doc = 80, .fn_name = 32, .fn_dict = 88, .fn_weakreflist = 96,
	.fn_module = 104,
	.fn_annotations = 112, .fn_qualname = 40, .fn_typeparams = 128,
	/* cell, bound method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.meth_class = -1,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.cmeth_class = 56,
	.mod_dict = 16, .mod_def = -1, .mod_state = 24, .mod_name = 40,
	.mod_state_traverse = 64, .mod_state_size = 56,
	.wr_object = 16, .wr_callback = 24,
	/* 2.7 old-style classes and instances */
	.class_bases = -1, .class_dict = -1, .class_name = -1,
	.class_getattr = -1, .class_setattr = -1, .class_delattr = -1,
	.inst_class = -1, .inst_dict = -1,
	/* PyFrameObject */
	.frame_back = 16,
	.frame_code = -1, .frame_builtins = -1, .frame_globals = -1, .frame_locals = -1,
	.frame_valuestack = -1, .frame_stacktop = -1,
	.frame_lasti = -1, .frame_lineno = 40,
	.frame_trace = 32,
	.frame_state = -1,
	.frame_exc_type = -1, .frame_exc_value = -1, .frame_exc_tb = -1,
	.frame_localsplus = -1,
	.frame_frame = 24,
	.frame_extra_locals = 48, .frame_locals_cache = 56,
	.frame_size = 80,
	.frame_data = 72,
	/* _PyInterpreterFrame (3.11+) */
	.iframe_code = 0,
	.iframe_previous = 8, .iframe_func = 16, .iframe_globals = 24, .iframe_builtins = 32,
	.iframe_locals = 40, .iframe_frame_obj = 48, .iframe_prev_instr = 56,
	.iframe_stacktop = -1,
	.iframe_stackpointer = 64,
	.iframe_owner = 74, .iframe_localsplus = 80,
	/* _PyInterpreterFrame.owner values (enum _frameowner; PY_ENUM_NONE = none) */
	.owner_thread = 0, .owner_generator = 1, .owner_frame_object = 2, .owner_cstack = -100,
	.owner_interpreter = 3,
	/* _PyStackRef (3.14+): the low bits of a tagged reference that are */
	.stackref_tag_mask = 3,
	/* generator / coroutine / async generator */
	.gen_frame = -1,
	.gen_code = -1,
	.gen_running = -1,
	.gen_name = 24, .gen_qualname = 32, .gen_weakreflist = 16,
	.gen_exc_type = -1, .gen_exc_value = 40, .gen_exc_tb = -1,
	.gen_frame_state = 67,
	.gen_iframe = 72,
	.agen_finalizer = 56,
	/* frame states (enum _framestate): 3.11+ gi_frame_state, 3.10 f_state; */
	.fs_created = 0, .fs_suspended = 1, .fs_suspended_yield_from = 2, .fs_executing = 4,
	.fs_completed = -100, .fs_cleared = 5,
	/* exceptions and tracebacks */
	.exc_dict = 16, .exc_args = 24, .exc_notes = 32, .exc_traceback = 40, .exc_context = 48,
	.exc_cause = 56,
	.tb_next = 16, .tb_frame = 24, .tb_lasti = 32, .tb_lineno = 36,
	/* descriptors and small builtins */
	.prop_get = 16, .prop_set = 24, .prop_del = 32, .prop_doc = 40, .prop_name = 48,
	.cm_callable = 16, .cm_dict = 24,
	.descr_type = 16, .descr_name = 24, .descr_qualname = 32,
	.wrapper_descr = 16, .wrapper_self = 24,
	.mp_mapping = 16,
	.super_type = 16, .super_obj = 24, .super_objtype = 32,
	.slice_start = 16, .slice_stop = 24, .slice_step = 32,
	.range_start = 16, .range_stop = 24, .range_step = 32,
	.ns_dict = 16,
	/* stdlib C types (Modules/): deque, OrderedDict, defaultdict, partial, */
	.deque_leftblock = 24, .deque_rightblock = 32, .deque_leftindex = 40, .deque_maxlen = 64,
	.block_data = 8, .block_rightlink = 520,
	.block_size = 528,
	.deque_blocklen = 64,
	.deque_len = -1,
	.od_first = 48, .od_inst_dict = 96, .od_fast_nodes_size = 72,
	.odnode_key = 0, .odnode_next = 16, .odnode_size = 32,
	.dd_factory = 48,
	.partial_fn = 16, .partial_args = 24, .partial_kw = 32, .partial_dict = 40,
	.lru_root_next = 24,
	.lru_elem_key = 40, .lru_elem_result = 48,
	.lru_cache = 72, .lru_func = 88, .lru_maxsize = 96, .lru_kwd_mark = 112, .lru_elem_type = 120,
	.lru_info_type = 128, .lru_dict = 136,
	.lru_maxsize_obj = -1,
	.buffered_buffer = 56, .buffered_buffer_size = 120,
	.bytesio_buf = 16,
	.bytesio_buf_size = -1,
	.struct_s_codes = 32, .formatcode_size = 32,
	.array_ob_item = 24, .array_allocated = 32, .array_descr = 40, .arraydescr_itemsize = 4,
	.arena_address = 0, .arena_pool_address = 8, .arena_nfreepools = 16, .arena_ntotalpools = 20,
	.arena_object_size = 48,
	.pool_count = 0, .pool_arenaindex = 32, .pool_szidx = 36, .pool_nextoffset = 40,
	.pool_maxnextoffset = 44, .pool_header_size = 48,
	.obm_arena_size = 1048576, .obm_pool_size = 16384, .obm_alignment = 16, .obm_small_threshold = 512,
	/* tracemalloc (≤3.11: statics of Modules/_tracemalloc.c; 3.12+: _PyRuntime) */
	.rt_tracemalloc = 10432, .tmrt_config = 0, .tmrt_traces = 184,
	.tmcfg_initialized = 0, .tmcfg_tracing = 4, .tmcfg_max_nframe = 8, .tmcfg_use_domain = -1, .tmptr_domain = -1,
	.ht_nentries = 0, .ht_nbuckets = 8, .ht_buckets = 16, .ht_bucket_size = 8, .ht_key_size = -1,
	.hte_next = 0, .hte_key = 16, .hte_value = 24,
	.tmtrace_size = 0, .tmtrace_traceback = 8,
	.tmtb_nframe = 8, .tmtb_total_nframe = 10, .tmtb_frames = 12,
	.tmframe_size = 12, .tmframe_filename = 0, .tmframe_lineno = 8,
	/* Pre-header words in front of the object (3.11+ managed dict etc.), */
	.managed_dict_off = -24,
	.managed_values_off = 0,
	.managed_weakref_off = -32,
	.preheader_managed = 16,
};

/* ==== Choosing a table ==== */

static const struct py_layout *const tables[] = {
	&L27, &L36, &L37, &L38, &L39, &L310, &L311, &L312, &L313, &L314, &L315,
};

const struct py_layout *layout_builtin(int major, int minor)
{
	for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
		if (tables[i]->major == major && tables[i]->minor == minor)
			return tables[i];
	return NULL;
}

int layout_newest_minor(void)
{
	int n = 0;
	for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
		if (tables[i]->major == 3 && tables[i]->minor > n)
			n = tables[i]->minor;
	return n;
}

/* ==== _Py_DebugOffsets (3.13+) ==== */

/* Replace one layout field by the runtime's value, counting disagreement.
 * Values are < 1 MiB (checked by dbg_read), so they fit int32. */
static void take(off_t32 *field, uint64_t v, int *mismatch)
{
	if (v == DBG_ABSENT)
		return;
	if (*field != (off_t32)v)
		(*mismatch)++;
	*field = (off_t32)v;
}

static void apply_dbg(struct py_layout *L, const struct py_dbg *d)
{
	const uint64_t *v = d->v;
	int mm = 0;

	take(&L->rt_interp_head, v[DO_RT_INTERP_HEAD], &mm);

	take(&L->interp_id, v[DO_IS_ID], &mm);
	take(&L->interp_next, v[DO_IS_NEXT], &mm);
	take(&L->interp_threads_head, v[DO_IS_THREADS_HEAD], &mm);
	take(&L->interp_gc, v[DO_IS_GC], &mm);
	take(&L->interp_modules, v[DO_IS_MODULES], &mm);
	take(&L->interp_sysdict, v[DO_IS_SYSDICT], &mm);
	take(&L->interp_builtins, v[DO_IS_BUILTINS], &mm);

	take(&L->ts_next, v[DO_TS_NEXT], &mm);
	take(&L->ts_interp, v[DO_TS_INTERP], &mm);
	take(&L->ts_current_frame, v[DO_TS_CURRENT_FRAME], &mm);
	take(&L->ts_thread_id, v[DO_TS_THREAD_ID], &mm);
	take(&L->ts_native_thread_id, v[DO_TS_NATIVE_THREAD_ID], &mm);
	take(&L->ts_curexc_value, v[DO_TS_CURRENT_EXC], &mm);

	take(&L->iframe_previous, v[DO_IF_PREVIOUS], &mm);
	take(&L->iframe_code, v[DO_IF_EXECUTABLE], &mm);
	take(&L->iframe_prev_instr, v[DO_IF_INSTR_PTR], &mm);
	take(&L->iframe_localsplus, v[DO_IF_LOCALSPLUS], &mm);
	take(&L->iframe_owner, v[DO_IF_OWNER], &mm);
	take(&L->iframe_stackpointer, v[DO_IF_STACKPOINTER], &mm);

	take(&L->code_size, v[DO_CO_SIZE], &mm);
	take(&L->co_filename, v[DO_CO_FILENAME], &mm);
	take(&L->co_name, v[DO_CO_NAME], &mm);
	take(&L->co_qualname, v[DO_CO_QUALNAME], &mm);
	take(&L->co_linetable, v[DO_CO_LINETABLE], &mm);
	take(&L->co_firstlineno, v[DO_CO_FIRSTLINENO], &mm);
	take(&L->co_argcount, v[DO_CO_ARGCOUNT], &mm);
	take(&L->co_localsplusnames, v[DO_CO_LOCALSPLUSNAMES], &mm);
	take(&L->co_localspluskinds, v[DO_CO_LOCALSPLUSKINDS], &mm);
	take(&L->co_code_adaptive, v[DO_CO_CODE_ADAPTIVE], &mm);

	take(&L->ob_type, v[DO_OB_TYPE], &mm);

	take(&L->type_size, v[DO_TY_SIZE], &mm);
	take(&L->tp_name, v[DO_TY_NAME], &mm);
	take(&L->tp_flags, v[DO_TY_FLAGS], &mm);
	take(&L->tp_basicsize, v[DO_TY_BASICSIZE], &mm);
	take(&L->tp_dictoffset, v[DO_TY_DICTOFFSET], &mm);
	take(&L->heaptype_size, v[DO_HT_SIZE], &mm);
	take(&L->ht_cached_keys, v[DO_HT_CACHED_KEYS], &mm);

	/* ob_size is PyVarObject's: tuple's copy is authoritative, list's and
	 * bytes' must agree with it (they only count as a disagreement). */
	take(&L->ob_size, v[DO_TU_OB_SIZE], &mm);
	take(&L->tuple_items, v[DO_TU_ITEM], &mm);
	take(&L->list_items, v[DO_LI_ITEM], &mm);
	if (v[DO_LI_OB_SIZE] != DBG_ABSENT && (off_t32)v[DO_LI_OB_SIZE] != L->ob_size)
		mm++;
	if (v[DO_BY_OB_SIZE] != DBG_ABSENT && (off_t32)v[DO_BY_OB_SIZE] != L->ob_size)
		mm++;

	take(&L->set_size, v[DO_SE_SIZE], &mm);
	take(&L->set_used, v[DO_SE_USED], &mm);
	take(&L->set_table, v[DO_SE_TABLE], &mm);
	take(&L->set_mask, v[DO_SE_MASK], &mm);

	take(&L->dict_size, v[DO_DI_SIZE], &mm);
	take(&L->dict_keys, v[DO_DI_KEYS], &mm);
	take(&L->dict_values, v[DO_DI_VALUES], &mm);

	take(&L->float_fval, v[DO_FL_FVAL], &mm);
	take(&L->long_lv_tag, v[DO_LO_LV_TAG], &mm);
	take(&L->long_digits, v[DO_LO_DIGIT], &mm);
	take(&L->bytes_sval, v[DO_BY_SVAL], &mm);

	take(&L->str_state, v[DO_UN_STATE], &mm);
	take(&L->str_length, v[DO_UN_LENGTH], &mm);
	take(&L->str_ascii_size, v[DO_UN_ASCII_SIZE], &mm);
	take(&L->str_compact_size, v[DO_UN_COMPACT_SIZE], &mm);

	take(&L->gc_collecting, v[DO_GC_COLLECTING], &mm);
	take(&L->gc_stats_ptr, v[DO_GC_STATS], &mm);

	take(&L->gen_name, v[DO_GE_NAME], &mm);
	take(&L->gen_iframe, v[DO_GE_IFRAME], &mm);
	take(&L->gen_frame_state, v[DO_GE_FRAME_STATE], &mm);

	L->from_debug_offsets = 1;
	L->debug_offsets_mismatch = mm;
}

/* Read and check the runtime's self-description with the position table
 * of 3.<mirror>: from the target's memory when there is a snapshot, else
 * from the ELF file's initial image.  1 and *d when it is usable for this
 * target, 0 otherwise. */
static int read_dbg(const struct py_runtime_info *rt, memsrc *m, int mirror, struct py_dbg *d)
{
	unsigned char raw[DBG_IMAGE_MAX];
	const unsigned char *img = NULL;
	size_t len = 0;

	if (m && rt->runtime) {
		len = dbg_struct_size(mirror);
		if (len && len <= sizeof raw && mem_read(m, rt->runtime, raw, len) == 0)
			img = raw;
	} else if (rt->dbg_image_len) {
		img = rt->dbg_image;
		len = rt->dbg_image_len;
	}
	if (!img || dbg_parse(img, len, rt->runtime_size, mirror, d) != 0)
		return 0;
	/* The runtime must describe the very version we found in its files
	 * (the struct is only stable within one minor version) and be a
	 * default (GIL) build. */
	if ((d->version >> 16) != ((uint64_t)(unsigned)rt->major << 8 | (unsigned)rt->minor))
		return 0;
	if (rt->version_hex && (d->version >> 16) != (rt->version_hex >> 16))
		return 0;
	return d->free_threaded == 0;
}

static enum hs_status refuse(const struct py_runtime_info *rt, struct hs_err *err,
			     const char *why)
{
	return hs_fail(err, HS_ERR_UNSUPPORTED,
		       "Python %s%s%s%s is not supported%s%s; heapscope supports %s",
		       rt->version[0] ? rt->version : "(unknown version)",
		       rt->path[0] ? " (" : "", rt->path, rt->path[0] ? ")" : "",
		       why ? ": " : "", why ? why : "", PY_SUPPORTED_TEXT);
}

enum hs_status layout_for(const struct py_runtime_info *rt, memsrc *m,
			  struct py_layout *out, char *note, size_t note_cap,
			  struct hs_err *err)
{
	const struct py_layout *b;
	int newest = layout_newest_minor(), newer = 0;

	if (note && note_cap)
		note[0] = '\0';
	if (rt->free_threaded)
		return refuse(rt, err, "free-threaded (no-GIL) builds keep objects in mimalloc "
			      "heaps, not on GC lists, and are not read yet");
	/* 3.14.0–3.14.4 shipped the incremental collector (a young space and
	 * two old spaces, objects moving between them while it runs); 3.14.5
	 * restored the generational one our 3.14 table describes.  No such
	 * build could be checked here, so it is refused before anything is
	 * stopped rather than read with a layout it does not have. */
	if (rt->major == 3 && rt->minor == 14 && rt->micro < 5 && rt->version_hex)
		return refuse(rt, err, "3.14.0 to 3.14.4 use the incremental garbage collector, "
			      "whose state heapscope does not read; 3.14.5 and later (generational "
			      "again) are supported");
	b = layout_builtin(rt->major, rt->minor);
	if (!b && rt->major == 3 && rt->minor > newest) {
		/* A newer CPython (an alpha of the next release): usable only
		 * through its own debug offsets, checked below. */
		b = layout_builtin(3, newest);
		newer = 1;
	}
	if (!b)
		return refuse(rt, err, NULL);
	*out = *b;
	out->from_debug_offsets = 0;
	out->debug_offsets_mismatch = 0;

	if (rt->major == 3 && rt->minor >= 13) {
		struct py_dbg d;
		int mirror = rt->minor < dbg_newest_minor() ? rt->minor : dbg_newest_minor();
		if (read_dbg(rt, m, mirror, &d)) {
			apply_dbg(out, &d);
		} else if (newer) {
			char why[256];
			snprintf(why, sizeof why, "it is newer than the newest layout heapscope knows "
				 "(3.%d), and its _Py_DebugOffsets do not match 3.%d's; a newer heapscope "
				 "is needed", newest, dbg_newest_minor());
			return refuse(rt, err, why);
		}
		/* else: missing/garbled/unexpected debug offsets — the built-in
		 * table was checked against this version's DWARF, use it as is
		 * (layout_fit() still checks it against memory). */
	}
	if (rt->major == 2 && note && note_cap)
		snprintf(note, note_cap, "Python 2.7 support is partial: object counts, sizes, "
			 "generations, references, referrers, paths, simple values, threads (names, "
			 "stacks, line numbers, locals), `top` and `suspects` (retained sizes, planted "
			 "leaks), `show` (values, attributes, sizes) are verified against the "
			 "interpreter; the stated length of long astral text is not yet verified for "
			 "2.7");
	if (newer && note && note_cap)
		snprintf(note, note_cap, "Python %s is newer than any layout heapscope knows: read "
			 "as 3.%d with the interpreter's own debug offsets (_Py_DebugOffsets); "
			 "results are not verified for this version", rt->version, newest);
	return HS_OK;
}

/* ==== Finding the interpreter and checking the layout against memory ==== */

enum hs_status layout_roots(const struct py_runtime_info *rt, memsrc *m,
			    const struct py_layout *L, struct py_roots *out,
			    struct hs_err *err)
{
	uint64_t interp = 0;

	memset(out, 0, sizeof *out);
	if (rt->runtime) {
		if (L->rt_interp_main >= 0)
			mem_u64(m, rt->runtime + (uint64_t)L->rt_interp_main, &interp);
		if (!interp && L->rt_interp_head >= 0)
			mem_u64(m, rt->runtime + (uint64_t)L->rt_interp_head, &interp);
	} else if (rt->sym_interp_head) {
		/* 2.7/3.6: static PyInterpreterState *interp_head */
		mem_u64(m, rt->sym_interp_head, &interp);
	}
	if (!interp || (interp & 7))
		return hs_fail(err, HS_ERR_INCONSISTENT,
			       "the Python interpreter is not running (it is starting up or "
			       "shutting down); retry in a moment");
	out->interp = interp;
	if (L->rt_gc >= 0 && rt->runtime) {
		out->gc = rt->runtime + (uint64_t)L->rt_gc;
	} else if (L->interp_gc >= 0) {
		out->gc = interp + (uint64_t)L->interp_gc;
	} else if (rt->sym_gc_generations) {
		/* 2.7/3.6: the generations array itself is the base */
		out->gc = rt->sym_gc_generations;
	} else if (rt->sym_gc_generation0) {
		uint64_t g0 = 0;
		if (mem_u64(m, rt->sym_gc_generation0, &g0) == 0 && g0)
			out->gc = g0 - (uint64_t)L->gc_generations;
	}
	if (!out->gc)
		return hs_fail(err, HS_ERR_UNSUPPORTED,
			       "cannot find the garbage collector's state of Python %s (%s): the "
			       "binary is stripped of the symbols that locate it", rt->version, rt->path);
	if (!rt->runtime && rt->sym_gc_generations) {
		/* 2.7/3.6: separate static variables, no struct to offset into */
		out->gc_enabled_at = rt->sym_gc_enabled;
		out->gc_debug_at = rt->sym_gc_debug;
		out->gc_collecting_at = rt->sym_gc_collecting;
		out->gc_garbage_at = rt->sym_gc_garbage;
		out->gc_stats_at = rt->sym_gc_stats;
	} else {
		out->gc_enabled_at = L->gc_enabled >= 0 ? out->gc + (uint64_t)L->gc_enabled : 0;
		out->gc_debug_at = L->gc_debug >= 0 ? out->gc + (uint64_t)L->gc_debug : 0;
		out->gc_collecting_at = L->gc_collecting >= 0 ? out->gc + (uint64_t)L->gc_collecting : 0;
		out->gc_garbage_at = L->gc_garbage >= 0 ? out->gc + (uint64_t)L->gc_garbage : 0;
		out->gc_stats_at = L->gc_stats >= 0 ? out->gc + (uint64_t)L->gc_stats : 0;
	}
	return HS_OK;
}

#define NO_FIT "heapscope does not understand the memory layout of Python %s (%s%s%s): %s. " \
	"This build differs from the CPython %d.%d layouts heapscope knows; please report " \
	"it with the output of `python -VV` and `heapscope --version`"

static enum hs_status no_fit(const struct py_runtime_info *rt, const struct py_layout *L,
			     memsrc *m, struct hs_err *err, const char *what)
{
	/* A copy taken while the target ran (--no-freeze) may be torn
	 * anywhere: that is no evidence against the layout. */
	const struct memsrc_info *mi = m ? mem_info(m) : NULL;
	if (mi && mi->kind && !strcmp(mi->kind, "live-nofreeze"))
		return hs_fail(err, HS_ERR_INCONSISTENT, "the snapshot, copied without stopping the "
			       "target (--no-freeze), does not hang together (%s); retry, or leave out "
			       "--no-freeze", what);
	return hs_fail(err, HS_ERR_UNSUPPORTED, NO_FIT, rt->version[0] ? rt->version : "?",
		       rt->path[0] ? rt->path : "?", rt->build_id[0] ? ", build " : "",
		       rt->build_id, what, L->major, L->minor);
}

/* Does `t` look like a type object: aligned, and the chain of its types
 * reaches, within three steps, a metatype that is its own type (`type`,
 * the symbol when we know it) and says "type subclass" in its flags? */
static int typeish(memsrc *m, const struct py_layout *L, const struct py_runtime_info *rt,
		   uint64_t t)
{
	for (int i = 0; i < 3; i++) {
		uint64_t tt = 0, flags = 0;
		if (!t || (t & 7) || mem_u64(m, t + (uint64_t)L->ob_type, &tt) != 0 || !tt || (tt & 7))
			return 0;
		if (i > 0 && (mem_u64(m, t + (uint64_t)L->tp_flags, &flags) != 0 ||
			      !(flags & PY_TPFLAGS_TYPE_SUBCLASS)))
			return 0;
		if (tt == t)
			return !rt->sym_type_type || t == rt->sym_type_type;
		t = tt;
	}
	return 0;
}

/* One GC list head: 1 when it looks right, 0 when it cannot be a list head
 * of this layout.  Counts: *nonempty lists, *checked objects among their
 * first ones and how many of those have a type that is a type (*typed),
 * and *torn back links that do not match (which a torn update or a
 * collection in progress also explains). */
#define FIT_OBJECTS 16          /* objects checked per list */

static int check_head(memsrc *m, const struct py_layout *L, const struct py_runtime_info *rt,
		      uint64_t head, int collecting, int *nonempty, int *checked, int *typed,
		      int *torn)
{
	uint64_t w[2], back[2];
	if (mem_read(m, head, w, sizeof w) != 0)
		return 0;
	/* The low two bits of _gc_next / _gc_prev are flags in some versions
	 * and during a collection; a list head is never NULL once set up. */
	uint64_t next = w[0] & ~3ULL, prev = w[1] & ~3ULL;
	/* Nodes are malloc'd objects, 8-aligned; only the head itself may be
	 * less aligned (Debian's 3.13 packs the generations at 4 bytes). */
	if (!next || !prev || (next != head && (next & 7)) || (prev != head && (prev & 7)))
		return 0;
	if (next == head) {
		if (prev != head && !collecting)
			(*torn)++;
		return 1;
	}
	(*nonempty)++;
	if (mem_read(m, next, back, sizeof back) != 0)
		return 0;               /* a list link into unreadable memory */
	if ((back[1] & ~3ULL) != head && !collecting)
		(*torn)++;
	/* The first few objects: with the right layout their types are types.
	 * A snapshot of a running target (--no-freeze) may catch one of them
	 * being linked in, so one bad object proves nothing; see layout_fit. */
	uint64_t node = next;
	for (int k = 0; k < FIT_OBJECTS && node && node != head && !(node & 7); k++) {
		uint64_t type = 0, nx = 0;
		(*checked)++;
		if (mem_u64(m, node + (uint64_t)L->gc_head_size + (uint64_t)L->ob_type, &type) == 0 &&
		    typeish(m, L, rt, type))
			(*typed)++;
		if (mem_u64(m, node, &nx) != 0)
			break;
		node = nx & ~3ULL;
	}
	return 1;
}

/* All list heads of the GC state at `gc` with generations at `gens`. */
struct fit_counts { int nonempty, checked, typed, torn; };

static int check_heads(memsrc *m, const struct py_layout *L, const struct py_runtime_info *rt,
		       uint64_t gc, int32_t gens, int collecting, struct fit_counts *f)
{
	memset(f, 0, sizeof *f);
	for (int g = 0; g < 3; g++)
		if (!check_head(m, L, rt, gc + (uint64_t)gens + (uint64_t)g * (uint64_t)L->gc_gen_size,
				collecting, &f->nonempty, &f->checked, &f->typed, &f->torn))
			return 0;
	if (L->gc_permanent >= 0 &&
	    !check_head(m, L, rt, gc + (uint64_t)L->gc_permanent, collecting, &f->nonempty,
			&f->checked, &f->typed, &f->torn))
		return 0;
	return 1;
}

/* 3.12+: tracemalloc's state inside _PyRuntime.  Micro releases move it
 * (sid's 3.13.18 has it 24 bytes after 3.13.0's: _ceval_runtime_state
 * grew) and no _Py_DebugOffsets entry names it, so the table's offset is
 * checked against what the state must look like and, failing that, looked
 * for nearby: config.initialized 0..2, tracing 0/1 and only when
 * initialized is 1, 1 <= max_nframe <= 65535, and the traces table set
 * exactly when it was initialized (and readable).  Not found: -1, which
 * only means no allocation sites, never a refusal. */
static int tm_plausible(memsrc *m, const struct py_layout *L, raddr_t st)
{
	uint32_t init, tracing, nframe;
	uint64_t traces, nb;
	raddr_t cfg = st + (uint64_t)L->tmrt_config;
	if (mem_read(m, cfg + (uint64_t)L->tmcfg_initialized, &init, 4) ||
	    mem_read(m, cfg + (uint64_t)L->tmcfg_tracing, &tracing, 4) ||
	    mem_read(m, cfg + (uint64_t)L->tmcfg_max_nframe, &nframe, 4) ||
	    mem_u64(m, st + (uint64_t)L->tmrt_traces, &traces))
		return 0;
	if (init > 2 || tracing > 1 || (tracing && init != 1) || nframe < 1 || nframe > 65535)
		return 0;
	if (init == 0)
		return traces == 0;
	if (init == 1)
		return traces && mem_u64(m, traces + (uint64_t)L->ht_nbuckets, &nb) == 0 && nb &&
		       nb < (1ULL << 40);
	return 1;
}

static void fit_tracemalloc(const struct py_runtime_info *rt, memsrc *m, struct py_layout *L,
			    char *note, size_t note_cap)
{
	if (L->rt_tracemalloc < 0 || !rt->runtime ||
	    tm_plausible(m, L, rt->runtime + (uint64_t)L->rt_tracemalloc))
		return;
	int32_t was = L->rt_tracemalloc;
	L->rt_tracemalloc = -1;
	for (int k = 1; k <= 16; k++)
		for (int sign = 1; sign >= -1; sign -= 2) {
			int32_t off = was + sign * 8 * k;
			if (off <= 0 || !tm_plausible(m, L, rt->runtime + (uint64_t)off))
				continue;
			L->rt_tracemalloc = off;
			if (note && note_cap)
				snprintf(note + strlen(note), note_cap - strlen(note),
					 "%stracemalloc state at +%d (table: +%d)", note[0] ? "; " : "",
					 off, was);
			return;
		}
}

enum hs_status layout_fit(const struct py_runtime_info *rt, memsrc *m,
			  struct py_layout *L, struct py_roots *out, char *note,
			  size_t note_cap, struct hs_err *err)
{
	enum hs_status st = layout_roots(rt, m, L, out, err);
	int collecting = 0;
	struct fit_counts f;
	uint64_t gc = out->gc;
	char what[256];

	if (st != HS_OK)
		return st;
	if (out->gc_collecting_at) {
		uint32_t c = 0;
		if (mem_read(m, out->gc_collecting_at, &c, 4) == 0)
			collecting = c != 0;
	}

	/* generation0 names generations[0].head: where the generations are,
	 * whatever a build's compiler did to the struct. */
	uint64_t g0 = 0, g0_at = 0;
	if (L->gc_generation0 >= 0)
		g0_at = gc + (uint64_t)L->gc_generation0;
	else if (!rt->runtime && rt->sym_gc_generation0)
		g0_at = rt->sym_gc_generation0;
	if (g0_at && (mem_u64(m, g0_at, &g0) != 0 || !g0))
		return no_fit(rt, L, m, err, "the generation0 pointer of the GC state is unreadable or NULL");
	if (g0 && g0 != gc + (uint64_t)L->gc_generations) {
		uint64_t cand = g0 - gc;
		if (g0 < gc || cand >= 4096 || (cand & 3) ||
		    !check_heads(m, L, rt, gc, (int32_t)cand, collecting, &f)) {
			snprintf(what, sizeof what, "the GC state's generation0 pointer (%#llx) does not "
				 "point at generation 0 (expected %#llx)", (unsigned long long)g0,
				 (unsigned long long)(gc + (uint64_t)L->gc_generations));
			return no_fit(rt, L, m, err, what);
		}
		if (note && note_cap)
			snprintf(note + strlen(note), note_cap - strlen(note), "%sGC generations at +%llu "
				 "in this build (table: +%d), from its generation0 pointer",
				 note[0] ? "; " : "", (unsigned long long)cand, L->gc_generations);
		L->gc_generations = (int32_t)cand;
	}
	if (!check_heads(m, L, rt, gc, L->gc_generations, collecting, &f))
		return no_fit(rt, L, m, err, "a GC list head is not a valid circular list head");
	/* With the right layout nearly every object's type is a type; with a
	 * wrong one none is.  A few objects caught mid-update (--no-freeze)
	 * cannot make a whole sample fail. */
	if (f.checked >= 4 && !f.typed)
		return no_fit(rt, L, m, err, "the objects on the GC lists have no valid type");
	/* sys.modules must be a dict, i.e. an object whose type is a type. */
	uint64_t mods = 0, mt = 0;
	if (L->interp_modules >= 0 &&
	    mem_u64(m, out->interp + (uint64_t)L->interp_modules, &mods) == 0 && mods &&
	    (mem_u64(m, mods + (uint64_t)L->ob_type, &mt) != 0 || !typeish(m, L, rt, mt)))
		return no_fit(rt, L, m, err, "the interpreter's sys.modules is not an object");
	fit_tracemalloc(rt, m, L, note, note_cap);
	/* a torn list (f.torn) is the census's to report, and retry */
	return HS_OK;
}
