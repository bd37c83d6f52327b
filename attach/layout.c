/* layout — the per-version offset tables and the _Py_DebugOffsets overlay.
 *
 * Every number below was read from the DWARF of the pyenv builds
 * (/root/.pyenv/versions/{3.8.18,...,3.13.0}, 64-bit, default GIL build)
 * with `gdb ptype /o` and is re-checked on every test run against the same
 * DWARF by tests/unit/test_layout_dwarf.c, which fails on any difference.
 * Edit a number here only together with that test passing.
 *
 * The six tables are written with the same line structure, field order and
 * grouping, so `diff` between two version blocks shows exactly what moved.
 * -1 = "this version has no such field" (see layout.h); the managed_* pre-
 * header fields use 0 for "none" as layout.h documents.
 */
#include "layout.h"

#include <stddef.h>
#include <string.h>

/* Fields that are identical in 3.8–3.13 are still spelled out in every block
 * (no shared macro): a reader comparing two versions should not have to
 * expand macros in their head, and the DWARF test checks each value anyway. */

/* ==== 3.8 ==== */
static const struct py_layout L38 = {
	.minor = 8,
	/* _PyRuntimeState; 3.8 keeps the one GC state in the runtime */
	.rt_interp_head = 32, .rt_interp_main = 40, .rt_gc = 344,
	/* PyInterpreterState (threads_head = tstate_head) */
	.interp_next = 0, .interp_id = 16, .interp_threads_head = 8, .interp_gc = -1,
	.interp_modules = 56, .interp_sysdict = 72, .interp_builtins = 80,
	/* struct _gc_runtime_state */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24, .gc_gen_size = 24, .gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_permanent = 104, .gc_stats = 128, .gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = 24, .ts_cframe = -1, .cframe_current_frame = -1, .ts_current_frame = -1,
	.ts_thread_id = 176, .ts_native_thread_id = -1,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16, .gc_head_size = 16,
	/* PyTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_methods = 232, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264, .tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_subclasses = 360, .tp_is_gc = 328,
	.type_size = 416,
	/* PyHeapTypeObject, PyMemberDef */
	.ht_name = 848, .ht_slots = 856, .ht_qualname = 864, .ht_cached_keys = 872, .ht_module = -1,
	.heaptype_size = 880, .member_size = 40,
	/* str */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 48, .str_compact_size = 72,
	.str_utf8_length = 48, .str_utf8 = 56, .str_wstr = 40, .str_wstr_length = 64,
	.str_data = 72,
	/* int: sign and digit count in ob_size */
	.long_digits = 24, .long_lv_tag = -1,
	/* float, bytes, bytearray */
	.float_fval = 16, .bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	/* tuple, list */
	.tuple_items = 24, .list_items = 24, .list_allocated = 32,
	/* dict, PyDictKeysObject (≤3.10 shape) */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40, .dict_size = 48,
	.keys_refcnt = 0, .keys_size = 8, .keys_lookup = 16,
	.keys_log2_size = -1, .keys_log2_index_bytes = -1, .keys_kind = -1,
	.keys_usable = 24, .keys_nentries = 32, .keys_indices = 40, .keys_header_size = 40,
	.keyentry_size = 24, .unientry_size = -1,
	/* ma_values is a bare PyObject** before 3.11: values[] starts at the
	 * pointer itself, i.e. at offset 0 — lets parsers use one formula. */
	.values_values = 0, .values_capacity = -1, .values_size = -1, .values_valid = -1,
	/* set */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200, .setentry_size = 16,
	/* PyCodeObject */
	.co_argcount = 16, .co_nlocals = 28, .co_stacksize = 32, .co_flags = 36, .co_firstlineno = 40,
	.co_code = 48, .co_code_adaptive = -1,
	.co_consts = 56, .co_names = 64, .co_varnames = 72, .co_cellvars = 88, .co_freevars = 80,
	.co_localsplusnames = -1, .co_localspluskinds = -1,
	.co_nlocalsplus = -1, .co_framesize = -1,
	.co_filename = 104, .co_name = 112, .co_qualname = -1,
	.co_lnotab = 120, .co_linetable = -1,
	.code_size = 176,
	/* PyFunctionObject */
	.fn_code = 16, .fn_globals = 24, .fn_builtins = -1, .fn_defaults = 32, .fn_kwdefaults = 40,
	.fn_closure = 48, .fn_doc = 56, .fn_name = 64, .fn_dict = 72, .fn_weakreflist = 80, .fn_module = 88,
	.fn_annotations = 96, .fn_qualname = 104, .fn_typeparams = -1,
	/* cell, method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.wr_object = 16, .wr_callback = 24,
	/* PyFrameObject; frame_stacktop = f_stacktop (PyObject **) */
	.frame_back = 24,
	.frame_code = 32, .frame_builtins = 40, .frame_globals = 48, .frame_locals = 56,
	.frame_valuestack = 64, .frame_stacktop = 72,
	.frame_lasti = 104, .frame_lineno = 108,
	.frame_localsplus = 360,
	.frame_frame = -1, .frame_size = 368, .frame_data = -1,
	/* _PyInterpreterFrame: none before 3.11 */
	.iframe_code = -1,
	.iframe_previous = -1, .iframe_func = -1, .iframe_globals = -1, .iframe_builtins = -1,
	.iframe_locals = -1, .iframe_frame_obj = -1, .iframe_prev_instr = -1,
	.iframe_stacktop = -1, .iframe_owner = -1, .iframe_localsplus = -1,
	/* PyGenObject */
	.gen_frame = 16, .gen_code = 32,
	.gen_name = 48, .gen_qualname = 56, .gen_weakreflist = 40,
	.gen_frame_state = -1, .gen_iframe = -1,
	/* pre-header: none */
	.managed_dict_off = 0, .managed_values_off = 0, .managed_weakref_off = 0,
	.preheader_managed = 0,
};

/* ==== 3.9 ==== */
static const struct py_layout L39 = {
	.minor = 9,
	/* _PyRuntimeState; GC state moved into the interpreter */
	.rt_interp_head = 32, .rt_interp_main = 40, .rt_gc = -1,
	/* PyInterpreterState (threads_head = tstate_head) */
	.interp_next = 0, .interp_id = 24, .interp_threads_head = 8, .interp_gc = 616,
	.interp_modules = 856, .interp_sysdict = 872, .interp_builtins = 880,
	/* struct _gc_runtime_state */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24, .gc_gen_size = 24, .gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_permanent = 104, .gc_stats = 128, .gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = 24, .ts_cframe = -1, .cframe_current_frame = -1, .ts_current_frame = -1,
	.ts_thread_id = 176, .ts_native_thread_id = -1,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16, .gc_head_size = 16,
	/* PyTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_methods = 232, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264, .tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_subclasses = 360, .tp_is_gc = 328,
	.type_size = 408,
	/* PyHeapTypeObject, PyMemberDef */
	.ht_name = 840, .ht_slots = 848, .ht_qualname = 856, .ht_cached_keys = 864, .ht_module = 872,
	.heaptype_size = 880, .member_size = 40,
	/* str */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 48, .str_compact_size = 72,
	.str_utf8_length = 48, .str_utf8 = 56, .str_wstr = 40, .str_wstr_length = 64,
	.str_data = 72,
	/* int: sign and digit count in ob_size */
	.long_digits = 24, .long_lv_tag = -1,
	/* float, bytes, bytearray */
	.float_fval = 16, .bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	/* tuple, list */
	.tuple_items = 24, .list_items = 24, .list_allocated = 32,
	/* dict, PyDictKeysObject (≤3.10 shape) */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40, .dict_size = 48,
	.keys_refcnt = 0, .keys_size = 8, .keys_lookup = 16,
	.keys_log2_size = -1, .keys_log2_index_bytes = -1, .keys_kind = -1,
	.keys_usable = 24, .keys_nentries = 32, .keys_indices = 40, .keys_header_size = 40,
	.keyentry_size = 24, .unientry_size = -1,
	/* ma_values is a bare PyObject**: see 3.8 */
	.values_values = 0, .values_capacity = -1, .values_size = -1, .values_valid = -1,
	/* set */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200, .setentry_size = 16,
	/* PyCodeObject */
	.co_argcount = 16, .co_nlocals = 28, .co_stacksize = 32, .co_flags = 36, .co_firstlineno = 40,
	.co_code = 48, .co_code_adaptive = -1,
	.co_consts = 56, .co_names = 64, .co_varnames = 72, .co_cellvars = 88, .co_freevars = 80,
	.co_localsplusnames = -1, .co_localspluskinds = -1,
	.co_nlocalsplus = -1, .co_framesize = -1,
	.co_filename = 104, .co_name = 112, .co_qualname = -1,
	.co_lnotab = 120, .co_linetable = -1,
	.code_size = 176,
	/* PyFunctionObject */
	.fn_code = 16, .fn_globals = 24, .fn_builtins = -1, .fn_defaults = 32, .fn_kwdefaults = 40,
	.fn_closure = 48, .fn_doc = 56, .fn_name = 64, .fn_dict = 72, .fn_weakreflist = 80, .fn_module = 88,
	.fn_annotations = 96, .fn_qualname = 104, .fn_typeparams = -1,
	/* cell, method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.wr_object = 16, .wr_callback = 24,
	/* PyFrameObject; frame_stacktop = f_stacktop (PyObject **) */
	.frame_back = 24,
	.frame_code = 32, .frame_builtins = 40, .frame_globals = 48, .frame_locals = 56,
	.frame_valuestack = 64, .frame_stacktop = 72,
	.frame_lasti = 104, .frame_lineno = 108,
	.frame_localsplus = 360,
	.frame_frame = -1, .frame_size = 368, .frame_data = -1,
	/* _PyInterpreterFrame: none before 3.11 */
	.iframe_code = -1,
	.iframe_previous = -1, .iframe_func = -1, .iframe_globals = -1, .iframe_builtins = -1,
	.iframe_locals = -1, .iframe_frame_obj = -1, .iframe_prev_instr = -1,
	.iframe_stacktop = -1, .iframe_owner = -1, .iframe_localsplus = -1,
	/* PyGenObject */
	.gen_frame = 16, .gen_code = 32,
	.gen_name = 48, .gen_qualname = 56, .gen_weakreflist = 40,
	.gen_frame_state = -1, .gen_iframe = -1,
	/* pre-header: none */
	.managed_dict_off = 0, .managed_values_off = 0, .managed_weakref_off = 0,
	.preheader_managed = 0,
};

/* ==== 3.10 ==== */
static const struct py_layout L310 = {
	.minor = 10,
	/* _PyRuntimeState */
	.rt_interp_head = 32, .rt_interp_main = 40, .rt_gc = -1,
	/* PyInterpreterState (threads_head = tstate_head) */
	.interp_next = 0, .interp_id = 24, .interp_threads_head = 8, .interp_gc = 616,
	.interp_modules = 856, .interp_sysdict = 872, .interp_builtins = 880,
	/* struct _gc_runtime_state */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24, .gc_gen_size = 24, .gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_permanent = 104, .gc_stats = 128, .gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState; the 3.10 CFrame has no current_frame (frames are
	 * still PyFrameObjects reached through ts->frame) */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = 24, .ts_cframe = 48, .cframe_current_frame = -1, .ts_current_frame = -1,
	.ts_thread_id = 176, .ts_native_thread_id = -1,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16, .gc_head_size = 16,
	/* PyTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_methods = 232, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264, .tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_subclasses = 360, .tp_is_gc = 328,
	.type_size = 408,
	/* PyHeapTypeObject, PyMemberDef */
	.ht_name = 848, .ht_slots = 856, .ht_qualname = 864, .ht_cached_keys = 872, .ht_module = 880,
	.heaptype_size = 888, .member_size = 40,
	/* str */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 48, .str_compact_size = 72,
	.str_utf8_length = 48, .str_utf8 = 56, .str_wstr = 40, .str_wstr_length = 64,
	.str_data = 72,
	/* int: sign and digit count in ob_size */
	.long_digits = 24, .long_lv_tag = -1,
	/* float, bytes, bytearray */
	.float_fval = 16, .bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	/* tuple, list */
	.tuple_items = 24, .list_items = 24, .list_allocated = 32,
	/* dict, PyDictKeysObject (≤3.10 shape) */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40, .dict_size = 48,
	.keys_refcnt = 0, .keys_size = 8, .keys_lookup = 16,
	.keys_log2_size = -1, .keys_log2_index_bytes = -1, .keys_kind = -1,
	.keys_usable = 24, .keys_nentries = 32, .keys_indices = 40, .keys_header_size = 40,
	.keyentry_size = 24, .unientry_size = -1,
	/* ma_values is a bare PyObject**: see 3.8 */
	.values_values = 0, .values_capacity = -1, .values_size = -1, .values_valid = -1,
	/* set */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200, .setentry_size = 16,
	/* PyCodeObject */
	.co_argcount = 16, .co_nlocals = 28, .co_stacksize = 32, .co_flags = 36, .co_firstlineno = 40,
	.co_code = 48, .co_code_adaptive = -1,
	.co_consts = 56, .co_names = 64, .co_varnames = 72, .co_cellvars = 88, .co_freevars = 80,
	.co_localsplusnames = -1, .co_localspluskinds = -1,
	.co_nlocalsplus = -1, .co_framesize = -1,
	.co_filename = 104, .co_name = 112, .co_qualname = -1,
	.co_lnotab = -1, .co_linetable = 120,
	.code_size = 176,
	/* PyFunctionObject (reordered in 3.10, func_builtins added) */
	.fn_code = 48, .fn_globals = 16, .fn_builtins = 24, .fn_defaults = 56, .fn_kwdefaults = 64,
	.fn_closure = 72, .fn_doc = 80, .fn_name = 32, .fn_dict = 88, .fn_weakreflist = 96, .fn_module = 104,
	.fn_annotations = 112, .fn_qualname = 40, .fn_typeparams = -1,
	/* cell, method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.wr_object = 16, .wr_callback = 24,
	/* PyFrameObject; frame_stacktop = f_stackdepth (int, number of stack
	 * entries above f_valuestack) — NOT a pointer as in 3.8/3.9 */
	.frame_back = 24,
	.frame_code = 32, .frame_builtins = 40, .frame_globals = 48, .frame_locals = 56,
	.frame_valuestack = 64, .frame_stacktop = 80,
	.frame_lasti = 96, .frame_lineno = 100,
	.frame_localsplus = 352,
	.frame_frame = -1, .frame_size = 360, .frame_data = -1,
	/* _PyInterpreterFrame: none before 3.11 */
	.iframe_code = -1,
	.iframe_previous = -1, .iframe_func = -1, .iframe_globals = -1, .iframe_builtins = -1,
	.iframe_locals = -1, .iframe_frame_obj = -1, .iframe_prev_instr = -1,
	.iframe_stacktop = -1, .iframe_owner = -1, .iframe_localsplus = -1,
	/* PyGenObject */
	.gen_frame = 16, .gen_code = 24,
	.gen_name = 40, .gen_qualname = 48, .gen_weakreflist = 32,
	.gen_frame_state = -1, .gen_iframe = -1,
	/* pre-header: none */
	.managed_dict_off = 0, .managed_values_off = 0, .managed_weakref_off = 0,
	.preheader_managed = 0,
};

/* ==== 3.11 ==== */
static const struct py_layout L311 = {
	.minor = 11,
	/* _PyRuntimeState */
	.rt_interp_head = 40, .rt_interp_main = 48, .rt_gc = -1,
	/* PyInterpreterState (threads_head = threads.head) */
	.interp_next = 0, .interp_id = 48, .interp_threads_head = 16, .interp_gc = 648,
	.interp_modules = 888, .interp_sysdict = 904, .interp_builtins = 912,
	/* struct _gc_runtime_state */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24, .gc_gen_size = 24, .gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_permanent = 104, .gc_stats = 128, .gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState; frames via ts->cframe->current_frame */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = -1, .ts_cframe = 56, .cframe_current_frame = 8, .ts_current_frame = -1,
	.ts_thread_id = 152, .ts_native_thread_id = 160,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16, .gc_head_size = 16,
	/* PyTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_methods = 232, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264, .tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_subclasses = 360, .tp_is_gc = 328,
	.type_size = 408,
	/* PyHeapTypeObject, PyMemberDef */
	.ht_name = 848, .ht_slots = 856, .ht_qualname = 864, .ht_cached_keys = 872, .ht_module = 880,
	.heaptype_size = 904, .member_size = 40,
	/* str */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 48, .str_compact_size = 72,
	.str_utf8_length = 48, .str_utf8 = 56, .str_wstr = 40, .str_wstr_length = 64,
	.str_data = 72,
	/* int: sign and digit count in ob_size */
	.long_digits = 24, .long_lv_tag = -1,
	/* float, bytes, bytearray */
	.float_fval = 16, .bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	/* tuple, list */
	.tuple_items = 24, .list_items = 24, .list_allocated = 32,
	/* dict, PyDictKeysObject (3.11+ shape: u8 log2 sizes and kind) */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40, .dict_size = 48,
	.keys_refcnt = 0, .keys_size = -1, .keys_lookup = -1,
	.keys_log2_size = 8, .keys_log2_index_bytes = 9, .keys_kind = 10,
	.keys_usable = 16, .keys_nentries = 24, .keys_indices = 32, .keys_header_size = 32,
	.keyentry_size = 24, .unientry_size = 16,
	/* PyDictValues { PyObject *values[]; } — order bytes sit before it */
	.values_values = 0, .values_capacity = -1, .values_size = -1, .values_valid = -1,
	/* set */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200, .setentry_size = 16,
	/* PyCodeObject (varnames/cellvars/freevars folded into localsplus*) */
	.co_argcount = 56, .co_nlocals = 80, .co_stacksize = 68, .co_flags = 48, .co_firstlineno = 72,
	.co_code = -1, .co_code_adaptive = 184,
	.co_consts = 24, .co_names = 32, .co_varnames = -1, .co_cellvars = -1, .co_freevars = -1,
	.co_localsplusnames = 96, .co_localspluskinds = 104,
	.co_nlocalsplus = 76, .co_framesize = -1,
	.co_filename = 112, .co_name = 120, .co_qualname = 128,
	.co_lnotab = -1, .co_linetable = 136,
	.code_size = 192,
	/* PyFunctionObject */
	.fn_code = 48, .fn_globals = 16, .fn_builtins = 24, .fn_defaults = 56, .fn_kwdefaults = 64,
	.fn_closure = 72, .fn_doc = 80, .fn_name = 32, .fn_dict = 88, .fn_weakreflist = 96, .fn_module = 104,
	.fn_annotations = 112, .fn_qualname = 40, .fn_typeparams = -1,
	/* cell, method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.wr_object = 16, .wr_callback = 24,
	/* PyFrameObject: a thin wrapper around a _PyInterpreterFrame */
	.frame_back = 16,
	.frame_code = -1, .frame_builtins = -1, .frame_globals = -1, .frame_locals = -1,
	.frame_valuestack = -1, .frame_stacktop = -1,
	.frame_lasti = -1, .frame_lineno = 40,
	.frame_localsplus = -1,
	.frame_frame = 24, .frame_size = 56, .frame_data = 48,
	/* _PyInterpreterFrame (iframe_code = f_code, iframe_func = f_func,
	 * iframe_prev_instr = prev_instr) */
	.iframe_code = 32,
	.iframe_previous = 48, .iframe_func = 0, .iframe_globals = 8, .iframe_builtins = 16,
	.iframe_locals = 24, .iframe_frame_obj = 40, .iframe_prev_instr = 56,
	.iframe_stacktop = 64, .iframe_owner = 69, .iframe_localsplus = 72,
	/* PyGenObject */
	.gen_frame = -1, .gen_code = 16,
	.gen_name = 32, .gen_qualname = 40, .gen_weakreflist = 24,
	.gen_frame_state = 75, .gen_iframe = 80,
	/* pre-header: Py_TPFLAGS_MANAGED_DICT ⇒ dict at obj-3 words, values
	 * at obj-4 words (pycore_object.h), 2 extra words in front of PyGC_Head */
	.managed_dict_off = -24, .managed_values_off = -32, .managed_weakref_off = 0,
	.preheader_managed = 16,
};

/* ==== 3.12 ==== */
static const struct py_layout L312 = {
	.minor = 12,
	/* _PyRuntimeState */
	.rt_interp_head = 40, .rt_interp_main = 48, .rt_gc = -1,
	/* PyInterpreterState (threads_head = threads.head, modules = imports.modules) */
	.interp_next = 0, .interp_id = 8, .interp_threads_head = 72, .interp_gc = 112,
	.interp_modules = 944, .interp_sysdict = 352, .interp_builtins = 360,
	/* struct _gc_runtime_state */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24, .gc_gen_size = 24, .gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_permanent = 104, .gc_stats = 128, .gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState; frames via ts->cframe->current_frame */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = -1, .ts_cframe = 56, .cframe_current_frame = 0, .ts_current_frame = -1,
	.ts_thread_id = 136, .ts_native_thread_id = 144,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16, .gc_head_size = 16,
	/* PyTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_methods = 232, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264, .tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_subclasses = 360, .tp_is_gc = 328,
	.type_size = 416,
	/* PyHeapTypeObject, PyMemberDef */
	.ht_name = 856, .ht_slots = 864, .ht_qualname = 872, .ht_cached_keys = 880, .ht_module = 888,
	.heaptype_size = 920, .member_size = 40,
	/* str (wstr gone in 3.12) */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 40, .str_compact_size = 56,
	.str_utf8_length = 40, .str_utf8 = 48, .str_wstr = -1, .str_wstr_length = -1,
	.str_data = 56,
	/* int: tagged lv_tag (ndigits << 3 | sign) */
	.long_digits = 24, .long_lv_tag = 16,
	/* float, bytes, bytearray */
	.float_fval = 16, .bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	/* tuple, list */
	.tuple_items = 24, .list_items = 24, .list_allocated = 32,
	/* dict, PyDictKeysObject (3.11+ shape) */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40, .dict_size = 48,
	.keys_refcnt = 0, .keys_size = -1, .keys_lookup = -1,
	.keys_log2_size = 8, .keys_log2_index_bytes = 9, .keys_kind = 10,
	.keys_usable = 16, .keys_nentries = 24, .keys_indices = 32, .keys_header_size = 32,
	.keyentry_size = 24, .unientry_size = 16,
	/* PyDictValues { PyObject *values[]; } — order bytes sit before it */
	.values_values = 0, .values_capacity = -1, .values_size = -1, .values_valid = -1,
	/* set */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200, .setentry_size = 16,
	/* PyCodeObject */
	.co_argcount = 52, .co_nlocals = 80, .co_stacksize = 64, .co_flags = 48, .co_firstlineno = 68,
	.co_code = -1, .co_code_adaptive = 192,
	.co_consts = 24, .co_names = 32, .co_varnames = -1, .co_cellvars = -1, .co_freevars = -1,
	.co_localsplusnames = 96, .co_localspluskinds = 104,
	.co_nlocalsplus = 72, .co_framesize = 76,
	.co_filename = 112, .co_name = 120, .co_qualname = 128,
	.co_lnotab = -1, .co_linetable = 136,
	.code_size = 200,
	/* PyFunctionObject */
	.fn_code = 48, .fn_globals = 16, .fn_builtins = 24, .fn_defaults = 56, .fn_kwdefaults = 64,
	.fn_closure = 72, .fn_doc = 80, .fn_name = 32, .fn_dict = 88, .fn_weakreflist = 96, .fn_module = 104,
	.fn_annotations = 112, .fn_qualname = 40, .fn_typeparams = 120,
	/* cell, method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.wr_object = 16, .wr_callback = 24,
	/* PyFrameObject */
	.frame_back = 16,
	.frame_code = -1, .frame_builtins = -1, .frame_globals = -1, .frame_locals = -1,
	.frame_valuestack = -1, .frame_stacktop = -1,
	.frame_lasti = -1, .frame_lineno = 40,
	.frame_localsplus = -1,
	.frame_frame = 24, .frame_size = 56, .frame_data = 48,
	/* _PyInterpreterFrame (iframe_code = f_code, iframe_func = f_funcobj,
	 * iframe_prev_instr = prev_instr) */
	.iframe_code = 0,
	.iframe_previous = 8, .iframe_func = 16, .iframe_globals = 24, .iframe_builtins = 32,
	.iframe_locals = 40, .iframe_frame_obj = 48, .iframe_prev_instr = 56,
	.iframe_stacktop = 64, .iframe_owner = 70, .iframe_localsplus = 72,
	/* PyGenObject (code = gi_iframe.f_code) */
	.gen_frame = -1, .gen_code = -1,
	.gen_name = 24, .gen_qualname = 32, .gen_weakreflist = 16,
	.gen_frame_state = 67, .gen_iframe = 72,
	/* pre-header: tagged PyDictOrValues at obj-3 words (low bit 1 ⇒
	 * values), weakref list at obj-4 words (MANAGED_WEAKREF_OFFSET) */
	.managed_dict_off = -24, .managed_values_off = 0, .managed_weakref_off = -32,
	.preheader_managed = 16,
};

/* ==== 3.13 ==== */
static const struct py_layout L313 = {
	.minor = 13,
	/* _PyRuntimeState (debug offsets occupy the first 584 bytes) */
	.rt_interp_head = 632, .rt_interp_main = 640, .rt_gc = -1,
	/* PyInterpreterState (threads_head = threads.head, modules = imports.modules) */
	.interp_next = 7264, .interp_id = 7272, .interp_threads_head = 7344, .interp_gc = 7400,
	.interp_modules = 7656, .interp_sysdict = 7640, .interp_builtins = 7648,
	/* struct _gc_runtime_state (3.13.0 still has the 3-generation GC) */
	.gc_enabled = 12, .gc_debug = 16,
	.gc_generations = 24, .gc_gen_size = 24, .gc_gen_threshold = 16, .gc_gen_count = 20,
	.gc_permanent = 104, .gc_stats = 128, .gc_stats_size = 24,
	.gc_stats_collections = 0, .gc_stats_collected = 8, .gc_stats_uncollectable = 16,
	.gc_collecting = 200, .gc_garbage = 208, .gc_callbacks = 216,
	.gc_long_lived_total = 224, .gc_long_lived_pending = 232,
	/* PyThreadState; _PyCFrame is gone, current_frame is in the tstate */
	.ts_next = 8, .ts_interp = 16,
	.ts_frame = -1, .ts_cframe = -1, .cframe_current_frame = -1, .ts_current_frame = 72,
	.ts_thread_id = 152, .ts_native_thread_id = 160,
	/* PyObject / PyVarObject / PyGC_Head */
	.ob_refcnt = 0, .ob_type = 8, .ob_size = 16, .gc_head_size = 16,
	/* PyTypeObject */
	.tp_name = 24, .tp_basicsize = 32, .tp_itemsize = 40, .tp_dealloc = 48, .tp_flags = 168,
	.tp_traverse = 184, .tp_methods = 232, .tp_weaklistoffset = 208, .tp_base = 256, .tp_dict = 264, .tp_dictoffset = 288,
	.tp_bases = 336, .tp_mro = 344, .tp_subclasses = 360, .tp_is_gc = 328,
	.type_size = 416,
	/* PyHeapTypeObject, PyMemberDef */
	.ht_name = 856, .ht_slots = 864, .ht_qualname = 872, .ht_cached_keys = 880, .ht_module = 888,
	.heaptype_size = 928, .member_size = 40,
	/* str */
	.str_length = 16, .str_hash = 24, .str_state = 32,
	.str_ascii_size = 40, .str_compact_size = 56,
	.str_utf8_length = 40, .str_utf8 = 48, .str_wstr = -1, .str_wstr_length = -1,
	.str_data = 56,
	/* int: tagged lv_tag (ndigits << 3 | sign) */
	.long_digits = 24, .long_lv_tag = 16,
	/* float, bytes, bytearray */
	.float_fval = 16, .bytes_shash = 24, .bytes_sval = 32,
	.bytearray_alloc = 24, .bytearray_bytes = 32, .bytearray_start = 40,
	/* tuple, list */
	.tuple_items = 24, .list_items = 24, .list_allocated = 32,
	/* dict, PyDictKeysObject (3.11+ shape) */
	.dict_used = 16, .dict_keys = 32, .dict_values = 40, .dict_size = 48,
	.keys_refcnt = 0, .keys_size = -1, .keys_lookup = -1,
	.keys_log2_size = 8, .keys_log2_index_bytes = 9, .keys_kind = 10,
	.keys_usable = 16, .keys_nentries = 24, .keys_indices = 32, .keys_header_size = 32,
	.keyentry_size = 24, .unientry_size = 16,
	/* PyDictValues { u8 capacity, size, embedded, valid; values[] @8 } */
	.values_values = 8, .values_capacity = 0, .values_size = 1, .values_valid = 3,
	/* set */
	.set_fill = 16, .set_used = 24, .set_mask = 32, .set_table = 40, .set_smalltable = 64,
	.set_size = 200, .setentry_size = 16,
	/* PyCodeObject */
	.co_argcount = 52, .co_nlocals = 80, .co_stacksize = 64, .co_flags = 48, .co_firstlineno = 68,
	.co_code = -1, .co_code_adaptive = 200,
	.co_consts = 24, .co_names = 32, .co_varnames = -1, .co_cellvars = -1, .co_freevars = -1,
	.co_localsplusnames = 96, .co_localspluskinds = 104,
	.co_nlocalsplus = 72, .co_framesize = 76,
	.co_filename = 112, .co_name = 120, .co_qualname = 128,
	.co_lnotab = -1, .co_linetable = 136,
	.code_size = 208,
	/* PyFunctionObject */
	.fn_code = 48, .fn_globals = 16, .fn_builtins = 24, .fn_defaults = 56, .fn_kwdefaults = 64,
	.fn_closure = 72, .fn_doc = 80, .fn_name = 32, .fn_dict = 88, .fn_weakreflist = 96, .fn_module = 104,
	.fn_annotations = 112, .fn_qualname = 40, .fn_typeparams = 120,
	/* cell, method, builtin function, module, weakref */
	.cell_ref = 16,
	.meth_func = 16, .meth_self = 24,
	.cfunc_ml = 16, .cfunc_self = 24, .cfunc_module = 32,
	.mod_dict = 16, .mod_def = 24, .mod_state = 32, .mod_name = 48,
	.wr_object = 16, .wr_callback = 24,
	/* PyFrameObject (f_extra_locals/f_locals_cache push _f_frame_data to 64) */
	.frame_back = 16,
	.frame_code = -1, .frame_builtins = -1, .frame_globals = -1, .frame_locals = -1,
	.frame_valuestack = -1, .frame_stacktop = -1,
	.frame_lasti = -1, .frame_lineno = 40,
	.frame_localsplus = -1,
	.frame_frame = 24, .frame_size = 72, .frame_data = 64,
	/* _PyInterpreterFrame (iframe_code = f_executable, iframe_func =
	 * f_funcobj, iframe_prev_instr = instr_ptr: the *current* instruction,
	 * not the previous one as in 3.11/3.12) */
	.iframe_code = 0,
	.iframe_previous = 8, .iframe_func = 16, .iframe_globals = 24, .iframe_builtins = 32,
	.iframe_locals = 40, .iframe_frame_obj = 48, .iframe_prev_instr = 56,
	.iframe_stacktop = 64, .iframe_owner = 70, .iframe_localsplus = 72,
	/* PyGenObject (code = gi_iframe.f_executable) */
	.gen_frame = -1, .gen_code = -1,
	.gen_name = 24, .gen_qualname = 32, .gen_weakreflist = 16,
	.gen_frame_state = 67, .gen_iframe = 72,
	/* pre-header: PyManagedDictPointer at obj-3 words, weakref list at
	 * obj-4 words; inline values live *after* the object (obj+tp_basicsize) */
	.managed_dict_off = -24, .managed_values_off = 0, .managed_weakref_off = -32,
	.preheader_managed = 16,
};

const struct py_layout *layout_builtin(int minor)
{
	switch (minor) {
	case 8: return &L38;
	case 9: return &L39;
	case 10: return &L310;
	case 11: return &L311;
	case 12: return &L312;
	case 13: return &L313;
	}
	return NULL;
}

/* ---- _Py_DebugOffsets (3.13) ----
 *
 * Mirror of CPython 3.13's struct (Include/internal/pycore_runtime.h),
 * verified with `ptype /o struct _Py_DebugOffsets` on 3.13.0: 584 bytes,
 * every member uint64_t.  The struct is only stable within one minor
 * version, so this mirror is used for 3.13 only; 3.14 reshuffles it
 * (threads_main, set_object, gen_object...) and will need its own. */
struct dbg313 {
	char cookie[8];
	uint64_t version;
	uint64_t free_threaded;
	struct { uint64_t size, finalizing, interpreters_head; } runtime_state;
	struct {
		uint64_t size, id, next, threads_head, gc, imports_modules,
			sysdict, builtins, ceval_gil, gil_runtime_state,
			gil_runtime_state_enabled, gil_runtime_state_locked,
			gil_runtime_state_holder;
	} interpreter_state;
	struct {
		uint64_t size, prev, next, interp, current_frame, thread_id,
			native_thread_id, datastack_chunk, status;
	} thread_state;
	struct { uint64_t size, previous, executable, instr_ptr, localsplus, owner; } interpreter_frame;
	struct {
		uint64_t size, filename, name, qualname, linetable, firstlineno,
			argcount, localsplusnames, localspluskinds, co_code_adaptive;
	} code_object;
	struct { uint64_t size, ob_type; } pyobject;
	struct { uint64_t size, tp_name, tp_repr, tp_flags; } type_object;
	struct { uint64_t size, ob_item, ob_size; } tuple_object;
	struct { uint64_t size, ob_item, ob_size; } list_object;
	struct { uint64_t size, ma_keys, ma_values; } dict_object;
	struct { uint64_t size, ob_fval; } float_object;
	struct { uint64_t size, lv_tag, ob_digit; } long_object;
	struct { uint64_t size, ob_size, ob_sval; } bytes_object;
	struct { uint64_t size, state, length, asciiobject_size; } unicode_object;
	struct { uint64_t size, collecting; } gc;
};
_Static_assert(sizeof(struct dbg313) == 584, "3.13 _Py_DebugOffsets is 584 bytes");
_Static_assert(offsetof(struct dbg313, thread_state) == 152, "thread_state @152");
_Static_assert(offsetof(struct dbg313, code_object) == 272, "code_object @272");
_Static_assert(offsetof(struct dbg313, unicode_object) == 536, "unicode_object @536");
_Static_assert(offsetof(struct dbg313, gc) == 568, "gc @568");

/* Larger than any real CPython struct (PyInterpreterState is ~190 KiB in
 * 3.13, _PyRuntimeState ~280 KiB): anything bigger means we are not looking
 * at debug offsets, or at a layout we do not understand. */
#define DBG_MAX_SIZE (1u << 20)

/* Each described struct's size must be plausible and every offset inside
 * it.  A random 584-byte blob that happens to start with "xdebugpy" would
 * fail this; so would a 3.13.x whose struct grew in the middle. */
static int dbg_sane(const struct dbg313 *d, uint64_t runtime_size)
{
#define SZ(s) ((s).size > 0 && (s).size < DBG_MAX_SIZE)
#define IN(s, f) ((s).f < (s).size)
	if (!SZ(d->runtime_state) || !IN(d->runtime_state, finalizing) ||
	    !IN(d->runtime_state, interpreters_head))
		return 0;
	/* The ELF symbol size is an independent witness for the runtime. */
	if (runtime_size && d->runtime_state.size != runtime_size)
		return 0;
	const __typeof__(d->interpreter_state) *is = &d->interpreter_state;
	if (!SZ(*is) || !IN(*is, id) || !IN(*is, next) || !IN(*is, threads_head) ||
	    !IN(*is, gc) || !IN(*is, imports_modules) || !IN(*is, sysdict) ||
	    !IN(*is, builtins) || !IN(*is, ceval_gil) || !IN(*is, gil_runtime_state) ||
	    !IN(*is, gil_runtime_state_locked) || !IN(*is, gil_runtime_state_holder))
		return 0;   /* gil_runtime_state_enabled is a value, not an offset */
	const __typeof__(d->thread_state) *ts = &d->thread_state;
	if (!SZ(*ts) || !IN(*ts, prev) || !IN(*ts, next) || !IN(*ts, interp) ||
	    !IN(*ts, current_frame) || !IN(*ts, thread_id) ||
	    !IN(*ts, native_thread_id) || !IN(*ts, datastack_chunk) || !IN(*ts, status))
		return 0;
	const __typeof__(d->interpreter_frame) *fr = &d->interpreter_frame;
	if (!SZ(*fr) || !IN(*fr, previous) || !IN(*fr, executable) ||
	    !IN(*fr, instr_ptr) || !IN(*fr, localsplus) || !IN(*fr, owner))
		return 0;
	const __typeof__(d->code_object) *co = &d->code_object;
	if (!SZ(*co) || !IN(*co, filename) || !IN(*co, name) || !IN(*co, qualname) ||
	    !IN(*co, linetable) || !IN(*co, firstlineno) || !IN(*co, argcount) ||
	    !IN(*co, localsplusnames) || !IN(*co, localspluskinds) ||
	    !IN(*co, co_code_adaptive))
		return 0;
	if (!SZ(d->pyobject) || !IN(d->pyobject, ob_type))
		return 0;
	if (!SZ(d->type_object) || !IN(d->type_object, tp_name) ||
	    !IN(d->type_object, tp_repr) || !IN(d->type_object, tp_flags))
		return 0;
	if (!SZ(d->tuple_object) || !IN(d->tuple_object, ob_item) || !IN(d->tuple_object, ob_size))
		return 0;
	if (!SZ(d->list_object) || !IN(d->list_object, ob_item) || !IN(d->list_object, ob_size))
		return 0;
	if (!SZ(d->dict_object) || !IN(d->dict_object, ma_keys) || !IN(d->dict_object, ma_values))
		return 0;
	if (!SZ(d->float_object) || !IN(d->float_object, ob_fval))
		return 0;
	if (!SZ(d->long_object) || !IN(d->long_object, lv_tag) || !IN(d->long_object, ob_digit))
		return 0;
	if (!SZ(d->bytes_object) || !IN(d->bytes_object, ob_size) || !IN(d->bytes_object, ob_sval))
		return 0;
	const __typeof__(d->unicode_object) *u = &d->unicode_object;
	if (!SZ(*u) || !IN(*u, state) || !IN(*u, length) ||
	    u->asciiobject_size == 0 || u->asciiobject_size > u->size)
		return 0;   /* asciiobject_size is a size: ≤, not < */
	if (!SZ(d->gc) || !IN(d->gc, collecting))
		return 0;
#undef SZ
#undef IN
	return 1;
}

/* Replace one layout field by the runtime's value, counting disagreement.
 * Values are < DBG_MAX_SIZE (checked by dbg_sane), so they fit int32. */
static void take(off_t32 *field, uint64_t v, int *mismatch)
{
	if (*field != (off_t32)v)
		(*mismatch)++;
	*field = (off_t32)v;
}

static void apply_dbg313(struct py_layout *L, const struct dbg313 *d)
{
	int mm = 0;

	take(&L->rt_interp_head, d->runtime_state.interpreters_head, &mm);

	take(&L->interp_id, d->interpreter_state.id, &mm);
	take(&L->interp_next, d->interpreter_state.next, &mm);
	take(&L->interp_threads_head, d->interpreter_state.threads_head, &mm);
	take(&L->interp_gc, d->interpreter_state.gc, &mm);
	take(&L->interp_modules, d->interpreter_state.imports_modules, &mm);
	take(&L->interp_sysdict, d->interpreter_state.sysdict, &mm);
	take(&L->interp_builtins, d->interpreter_state.builtins, &mm);

	take(&L->ts_next, d->thread_state.next, &mm);
	take(&L->ts_interp, d->thread_state.interp, &mm);
	take(&L->ts_current_frame, d->thread_state.current_frame, &mm);
	take(&L->ts_thread_id, d->thread_state.thread_id, &mm);
	take(&L->ts_native_thread_id, d->thread_state.native_thread_id, &mm);

	take(&L->iframe_previous, d->interpreter_frame.previous, &mm);
	take(&L->iframe_code, d->interpreter_frame.executable, &mm);
	take(&L->iframe_prev_instr, d->interpreter_frame.instr_ptr, &mm);
	take(&L->iframe_localsplus, d->interpreter_frame.localsplus, &mm);
	take(&L->iframe_owner, d->interpreter_frame.owner, &mm);

	take(&L->code_size, d->code_object.size, &mm);
	take(&L->co_filename, d->code_object.filename, &mm);
	take(&L->co_name, d->code_object.name, &mm);
	take(&L->co_qualname, d->code_object.qualname, &mm);
	take(&L->co_linetable, d->code_object.linetable, &mm);
	take(&L->co_firstlineno, d->code_object.firstlineno, &mm);
	take(&L->co_argcount, d->code_object.argcount, &mm);
	take(&L->co_localsplusnames, d->code_object.localsplusnames, &mm);
	take(&L->co_localspluskinds, d->code_object.localspluskinds, &mm);
	take(&L->co_code_adaptive, d->code_object.co_code_adaptive, &mm);

	take(&L->ob_type, d->pyobject.ob_type, &mm);

	take(&L->type_size, d->type_object.size, &mm);
	take(&L->tp_name, d->type_object.tp_name, &mm);
	take(&L->tp_flags, d->type_object.tp_flags, &mm);

	/* ob_size is PyVarObject's: tuple's copy is authoritative, list's and
	 * bytes' must agree with it (they only count as a disagreement). */
	take(&L->ob_size, d->tuple_object.ob_size, &mm);
	take(&L->tuple_items, d->tuple_object.ob_item, &mm);
	take(&L->list_items, d->list_object.ob_item, &mm);
	if ((off_t32)d->list_object.ob_size != L->ob_size)
		mm++;
	if ((off_t32)d->bytes_object.ob_size != L->ob_size)
		mm++;

	take(&L->dict_size, d->dict_object.size, &mm);
	take(&L->dict_keys, d->dict_object.ma_keys, &mm);
	take(&L->dict_values, d->dict_object.ma_values, &mm);

	take(&L->float_fval, d->float_object.ob_fval, &mm);

	take(&L->long_lv_tag, d->long_object.lv_tag, &mm);
	take(&L->long_digits, d->long_object.ob_digit, &mm);

	take(&L->bytes_sval, d->bytes_object.ob_sval, &mm);

	take(&L->str_state, d->unicode_object.state, &mm);
	take(&L->str_length, d->unicode_object.length, &mm);
	take(&L->str_ascii_size, d->unicode_object.asciiobject_size, &mm);

	take(&L->gc_collecting, d->gc.collecting, &mm);

	L->from_debug_offsets = 1;
	L->debug_offsets_mismatch = mm;
}

/* Read and check the runtime's self-description.  Returns 1 and fills *d
 * when it is usable for this target, 0 otherwise (caller keeps ours). */
static int read_dbg313(const struct py_runtime_info *rt, memsrc *m, struct dbg313 *d)
{
	if (!m || !rt->runtime)
		return 0;
	if (mem_read(m, rt->runtime, d, sizeof *d) != 0)
		return 0;
	if (memcmp(d->cookie, "xdebugpy", 8) != 0)
		return 0;
	/* Same major.minor is what the struct layout depends on; a differing
	 * micro/release level is fine (stable within a minor version). */
	if ((d->version >> 16) != ((uint64_t)(unsigned)rt->major << 8 | (unsigned)rt->minor))
		return 0;
	if (rt->version_hex && (d->version >> 16) != (rt->version_hex >> 16))
		return 0;
	if (d->free_threaded != 0)
		return 0;
	return dbg_sane(d, rt->runtime_size);
}

enum hs_status layout_for(const struct py_runtime_info *rt, memsrc *m,
			  struct py_layout *out, struct hs_err *err)
{
	const struct py_layout *b = NULL;

	if (rt->major == 3 && !rt->free_threaded)
		b = layout_builtin(rt->minor);
	if (!b)
		return hs_fail(err, HS_ERR_UNSUPPORTED,
			       "CPython %s%s is not supported; heapscope supports %s",
			       rt->version[0] ? rt->version : "(unknown version)",
			       rt->free_threaded ? " (free-threaded build)" : "",
			       PY_SUPPORTED_TEXT);
	*out = *b;
	out->from_debug_offsets = 0;
	out->debug_offsets_mismatch = 0;

	if (rt->minor == 13) {
		struct dbg313 d;
		if (read_dbg313(rt, m, &d))
			apply_dbg313(out, &d);
		/* else: missing/garbled/unexpected debug offsets — the built-in
		 * table was checked against 3.13's DWARF, use it as is. */
	}
	return HS_OK;
}
