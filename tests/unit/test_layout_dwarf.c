/* test_layout_dwarf — every field of every built-in layout table
 * (attach/layout.c) against the DWARF of the real libpython it describes.
 *
 * For each pyenv build 3.8–3.13 that is installed, the test indexes the
 * named struct/union/typedef DIEs of libpython3.X.so.1.0 in one pass, then
 * evaluates one "spec" per (layout field, version) from the table below and
 * compares it with layout_builtin(minor).  Spec forms:
 *
 *   "Type.a.b"          offsetof(Type, a.b) from DW_AT_data_member_location
 *                       (anonymous struct/union members are searched too);
 *                       Type is a typedef name or "struct X" / "union X"
 *   "sizeof Type"       DW_AT_byte_size of the (typedef-resolved) type
 *   "!Type.a|Type2.b"   the version has no such field: the table must hold
 *                       -1, each Type must exist and must NOT have the
 *                       member (so a type that was renamed or not indexed
 *                       cannot make the check pass vacuously);
 *                       "!Type" = the version has no such type at all
 *   "hdr F|needle|k"    not a struct member (pre-header words in front of an
 *                       object): the installed header include/python3.X/F must
 *                       contain `needle` verbatim, and the value is
 *                       k * sizeof(PyObject *) (pointer size from DWARF)
 *   "nohdr F|needle"    the header must NOT contain `needle`; value must be 0
 *   "=N reason"         not DWARF-checkable at all; value must be N
 *
 * Mismatches print as `3.11 dict_keys: table 32, DWARF 40`; exit 1 on any.
 * Exit 77 when no pyenv libpython is installed.
 *
 * The test also (a) proves the table below covers every int32 slot of
 * struct py_layout, so a field added to layout.h without a row here fails;
 * (b) feeds deliberately wrong copies of each table to the checker and
 * requires it to complain, so it cannot pass vacuously; (c) exercises
 * layout_for() with 3.13's real _Py_DebugOffsets taken from the .PyRuntime
 * section of libpython3.13 (valid, tampered, and corrupted variants).
 *
 * Usage: test_layout_dwarf [-v]   (-v prints every check)
 * Env:   HEAPSCOPE_PYENV=/root/.pyenv/versions (where the builds live)
 */
#include "layout.h"
#include "memsrc.h"
#include "pyfind.h"
#include "err.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <stdarg.h>
#include <gelf.h>
#include <libelf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define NVER 6
static const char *const pyenv_ver[NVER] = {
	"3.8.18", "3.9.18", "3.10.13", "3.11.7", "3.12.1", "3.13.0",
};
static int verbose;

/* ------------------------------------------------------------------ */
/* The mapping: layout field -> DWARF (or documented) source, per version
 * (columns 3.8, 3.9, 3.10, 3.11, 3.12, 3.13).                          */

struct row {
	const char *name;
	size_t off;             /* offsetof(struct py_layout, field) */
	const char *spec[NVER];
};

#define F(f) #f, offsetof(struct py_layout, f)
#define ALL(s) { s, s, s, s, s, s }
/* 3.8–3.10 one spec, 3.11–3.13 another */
#define SPLIT310(a, b) { a, a, a, b, b, b }

/* Pre-header premises, shared by several rows. */
#define PCO "internal/pycore_object.h"
#define NO_MANAGED "nohdr object.h|Py_TPFLAGS_MANAGED_DICT"

static const struct row rows[] = {
	/* _PyRuntimeState */
	{ F(rt_interp_head), ALL("_PyRuntimeState.interpreters.head") },
	{ F(rt_interp_main), ALL("_PyRuntimeState.interpreters.main") },
	{ F(rt_gc), { "_PyRuntimeState.gc", "!_PyRuntimeState.gc", "!_PyRuntimeState.gc",
		      "!_PyRuntimeState.gc", "!_PyRuntimeState.gc", "!_PyRuntimeState.gc" } },

	/* PyInterpreterState */
	{ F(interp_next), ALL("PyInterpreterState.next") },
	{ F(interp_id), ALL("PyInterpreterState.id") },
	{ F(interp_threads_head), SPLIT310("PyInterpreterState.tstate_head",
					   "PyInterpreterState.threads.head") },
	{ F(interp_gc), { "!PyInterpreterState.gc", "PyInterpreterState.gc", "PyInterpreterState.gc",
			  "PyInterpreterState.gc", "PyInterpreterState.gc", "PyInterpreterState.gc" } },
	{ F(interp_modules), { "PyInterpreterState.modules", "PyInterpreterState.modules",
			       "PyInterpreterState.modules", "PyInterpreterState.modules",
			       "PyInterpreterState.imports.modules", "PyInterpreterState.imports.modules" } },
	{ F(interp_sysdict), ALL("PyInterpreterState.sysdict") },
	{ F(interp_builtins), ALL("PyInterpreterState.builtins") },

	/* struct _gc_runtime_state (same struct in 3.8 runtime and 3.9+ interp) */
	{ F(gc_enabled), ALL("struct _gc_runtime_state.enabled") },
	{ F(gc_debug), ALL("struct _gc_runtime_state.debug") },
	{ F(gc_generations), ALL("struct _gc_runtime_state.generations") },
	{ F(gc_gen_size), ALL("sizeof struct gc_generation") },
	{ F(gc_gen_threshold), ALL("struct gc_generation.threshold") },
	{ F(gc_gen_count), ALL("struct gc_generation.count") },
	{ F(gc_permanent), ALL("struct _gc_runtime_state.permanent_generation") },
	{ F(gc_stats), ALL("struct _gc_runtime_state.generation_stats") },
	{ F(gc_stats_size), ALL("sizeof struct gc_generation_stats") },
	{ F(gc_stats_collections), ALL("struct gc_generation_stats.collections") },
	{ F(gc_stats_collected), ALL("struct gc_generation_stats.collected") },
	{ F(gc_stats_uncollectable), ALL("struct gc_generation_stats.uncollectable") },
	{ F(gc_collecting), ALL("struct _gc_runtime_state.collecting") },
	{ F(gc_garbage), ALL("struct _gc_runtime_state.garbage") },
	{ F(gc_callbacks), ALL("struct _gc_runtime_state.callbacks") },
	{ F(gc_long_lived_total), ALL("struct _gc_runtime_state.long_lived_total") },
	{ F(gc_long_lived_pending), ALL("struct _gc_runtime_state.long_lived_pending") },

	/* PyThreadState */
	{ F(ts_next), ALL("PyThreadState.next") },
	{ F(ts_interp), ALL("PyThreadState.interp") },
	{ F(ts_frame), SPLIT310("PyThreadState.frame", "!PyThreadState.frame") },
	{ F(ts_cframe), { "!PyThreadState.cframe", "!PyThreadState.cframe", "PyThreadState.cframe",
			  "PyThreadState.cframe", "PyThreadState.cframe", "!PyThreadState.cframe" } },
	/* 3.10's CFrame exists but has no current_frame: that is checked. */
	{ F(cframe_current_frame), { "!CFrame|_PyCFrame", "!CFrame|_PyCFrame",
				     "!CFrame.current_frame", "_PyCFrame.current_frame",
				     "_PyCFrame.current_frame", "!_PyCFrame" } },
	{ F(ts_current_frame), { "!PyThreadState.current_frame", "!PyThreadState.current_frame",
				 "!PyThreadState.current_frame", "!PyThreadState.current_frame",
				 "!PyThreadState.current_frame", "PyThreadState.current_frame" } },
	{ F(ts_thread_id), ALL("PyThreadState.thread_id") },
	{ F(ts_native_thread_id), SPLIT310("!PyThreadState.native_thread_id",
					   "PyThreadState.native_thread_id") },

	/* PyObject / PyVarObject / PyGC_Head */
	{ F(ob_refcnt), ALL("PyObject.ob_refcnt") },
	{ F(ob_type), ALL("PyObject.ob_type") },
	{ F(ob_size), ALL("PyVarObject.ob_size") },
	{ F(gc_head_size), ALL("sizeof PyGC_Head") },

	/* PyTypeObject / PyHeapTypeObject */
	{ F(tp_name), ALL("PyTypeObject.tp_name") },
	{ F(tp_basicsize), ALL("PyTypeObject.tp_basicsize") },
	{ F(tp_itemsize), ALL("PyTypeObject.tp_itemsize") },
	{ F(tp_dealloc), ALL("PyTypeObject.tp_dealloc") },
	{ F(tp_flags), ALL("PyTypeObject.tp_flags") },
	{ F(tp_traverse), ALL("PyTypeObject.tp_traverse") },
	{ F(tp_methods), ALL("PyTypeObject.tp_methods") },
	{ F(tp_weaklistoffset), ALL("PyTypeObject.tp_weaklistoffset") },
	{ F(tp_base), ALL("PyTypeObject.tp_base") },
	{ F(tp_dict), ALL("PyTypeObject.tp_dict") },
	{ F(tp_dictoffset), ALL("PyTypeObject.tp_dictoffset") },
	{ F(tp_bases), ALL("PyTypeObject.tp_bases") },
	{ F(tp_mro), ALL("PyTypeObject.tp_mro") },
	{ F(tp_subclasses), ALL("PyTypeObject.tp_subclasses") },
	{ F(tp_is_gc), ALL("PyTypeObject.tp_is_gc") },
	{ F(type_size), ALL("sizeof PyTypeObject") },
	{ F(ht_name), ALL("PyHeapTypeObject.ht_name") },
	{ F(ht_slots), ALL("PyHeapTypeObject.ht_slots") },
	{ F(ht_qualname), ALL("PyHeapTypeObject.ht_qualname") },
	{ F(ht_cached_keys), ALL("PyHeapTypeObject.ht_cached_keys") },
	{ F(ht_module), { "!PyHeapTypeObject.ht_module", "PyHeapTypeObject.ht_module",
			  "PyHeapTypeObject.ht_module", "PyHeapTypeObject.ht_module",
			  "PyHeapTypeObject.ht_module", "PyHeapTypeObject.ht_module" } },
	{ F(heaptype_size), ALL("sizeof PyHeapTypeObject") },
	{ F(member_size), ALL("sizeof PyMemberDef") },

	/* str */
	{ F(str_length), ALL("PyASCIIObject.length") },
	{ F(str_hash), ALL("PyASCIIObject.hash") },
	{ F(str_state), ALL("PyASCIIObject.state") },
	{ F(str_ascii_size), ALL("sizeof PyASCIIObject") },
	{ F(str_compact_size), ALL("sizeof PyCompactUnicodeObject") },
	{ F(str_utf8_length), ALL("PyCompactUnicodeObject.utf8_length") },
	{ F(str_utf8), ALL("PyCompactUnicodeObject.utf8") },
	{ F(str_wstr), { "PyASCIIObject.wstr", "PyASCIIObject.wstr", "PyASCIIObject.wstr",
			 "PyASCIIObject.wstr", "!PyASCIIObject.wstr", "!PyASCIIObject.wstr" } },
	{ F(str_wstr_length), { "PyCompactUnicodeObject.wstr_length", "PyCompactUnicodeObject.wstr_length",
				"PyCompactUnicodeObject.wstr_length", "PyCompactUnicodeObject.wstr_length",
				"!PyCompactUnicodeObject.wstr_length", "!PyCompactUnicodeObject.wstr_length" } },
	{ F(str_data), ALL("PyUnicodeObject.data") },

	/* int */
	{ F(long_digits), { "PyLongObject.ob_digit", "PyLongObject.ob_digit", "PyLongObject.ob_digit",
			    "PyLongObject.ob_digit", "PyLongObject.long_value.ob_digit",
			    "PyLongObject.long_value.ob_digit" } },
	{ F(long_lv_tag), { "!PyLongObject.long_value", "!PyLongObject.long_value",
			    "!PyLongObject.long_value", "!PyLongObject.long_value",
			    "PyLongObject.long_value.lv_tag", "PyLongObject.long_value.lv_tag" } },

	/* float, bytes, bytearray */
	{ F(float_fval), ALL("PyFloatObject.ob_fval") },
	{ F(bytes_shash), ALL("PyBytesObject.ob_shash") },
	{ F(bytes_sval), ALL("PyBytesObject.ob_sval") },
	{ F(bytearray_alloc), ALL("PyByteArrayObject.ob_alloc") },
	{ F(bytearray_bytes), ALL("PyByteArrayObject.ob_bytes") },
	{ F(bytearray_start), ALL("PyByteArrayObject.ob_start") },

	/* tuple, list */
	{ F(tuple_items), ALL("PyTupleObject.ob_item") },
	{ F(list_items), ALL("PyListObject.ob_item") },
	{ F(list_allocated), ALL("PyListObject.allocated") },

	/* dict */
	{ F(dict_used), ALL("PyDictObject.ma_used") },
	{ F(dict_keys), ALL("PyDictObject.ma_keys") },
	{ F(dict_values), ALL("PyDictObject.ma_values") },
	{ F(dict_size), ALL("sizeof PyDictObject") },
	{ F(keys_refcnt), ALL("PyDictKeysObject.dk_refcnt") },
	{ F(keys_size), SPLIT310("PyDictKeysObject.dk_size", "!PyDictKeysObject.dk_size") },
	{ F(keys_lookup), SPLIT310("PyDictKeysObject.dk_lookup", "!PyDictKeysObject.dk_lookup") },
	{ F(keys_log2_size), SPLIT310("!PyDictKeysObject.dk_log2_size", "PyDictKeysObject.dk_log2_size") },
	{ F(keys_log2_index_bytes), SPLIT310("!PyDictKeysObject.dk_log2_index_bytes",
					     "PyDictKeysObject.dk_log2_index_bytes") },
	{ F(keys_kind), SPLIT310("!PyDictKeysObject.dk_kind", "PyDictKeysObject.dk_kind") },
	{ F(keys_usable), ALL("PyDictKeysObject.dk_usable") },
	{ F(keys_nentries), ALL("PyDictKeysObject.dk_nentries") },
	{ F(keys_indices), ALL("PyDictKeysObject.dk_indices") },
	{ F(keys_header_size), ALL("sizeof PyDictKeysObject") },
	{ F(keyentry_size), ALL("sizeof PyDictKeyEntry") },
	{ F(unientry_size), SPLIT310("!PyDictUnicodeEntry", "sizeof PyDictUnicodeEntry") },
	/* ≤3.10 has no PyDictValues: ma_values is a PyObject ** pointing at
	 * the array itself, so layout.c uses 0 ("array at +0").  That is a
	 * convention, not a struct member; the 3.11+ rows check the real one. */
	{ F(values_values), { "=0 ma_values is a bare PyObject** before 3.11 (array at +0)",
			      "=0 ma_values is a bare PyObject** before 3.11 (array at +0)",
			      "=0 ma_values is a bare PyObject** before 3.11 (array at +0)",
			      "PyDictValues.values", "PyDictValues.values", "PyDictValues.values" } },
	{ F(values_capacity), { "!PyDictValues", "!PyDictValues", "!PyDictValues",
				"!PyDictValues.capacity", "!PyDictValues.capacity", "PyDictValues.capacity" } },
	{ F(values_size), { "!PyDictValues", "!PyDictValues", "!PyDictValues",
			    "!PyDictValues.size", "!PyDictValues.size", "PyDictValues.size" } },
	{ F(values_valid), { "!PyDictValues", "!PyDictValues", "!PyDictValues",
			     "!PyDictValues.valid", "!PyDictValues.valid", "PyDictValues.valid" } },

	/* set */
	{ F(set_fill), ALL("PySetObject.fill") },
	{ F(set_used), ALL("PySetObject.used") },
	{ F(set_mask), ALL("PySetObject.mask") },
	{ F(set_table), ALL("PySetObject.table") },
	{ F(set_smalltable), ALL("PySetObject.smalltable") },
	{ F(set_size), ALL("sizeof PySetObject") },
	{ F(setentry_size), ALL("sizeof setentry") },

	/* code */
	{ F(co_argcount), ALL("PyCodeObject.co_argcount") },
	{ F(co_nlocals), ALL("PyCodeObject.co_nlocals") },
	{ F(co_stacksize), ALL("PyCodeObject.co_stacksize") },
	{ F(co_flags), ALL("PyCodeObject.co_flags") },
	{ F(co_firstlineno), ALL("PyCodeObject.co_firstlineno") },
	{ F(co_code), SPLIT310("PyCodeObject.co_code", "!PyCodeObject.co_code") },
	{ F(co_code_adaptive), SPLIT310("!PyCodeObject.co_code_adaptive", "PyCodeObject.co_code_adaptive") },
	{ F(co_consts), ALL("PyCodeObject.co_consts") },
	{ F(co_names), ALL("PyCodeObject.co_names") },
	{ F(co_varnames), SPLIT310("PyCodeObject.co_varnames", "!PyCodeObject.co_varnames") },
	{ F(co_cellvars), SPLIT310("PyCodeObject.co_cellvars", "!PyCodeObject.co_cellvars") },
	{ F(co_freevars), SPLIT310("PyCodeObject.co_freevars", "!PyCodeObject.co_freevars") },
	{ F(co_localsplusnames), SPLIT310("!PyCodeObject.co_localsplusnames",
					  "PyCodeObject.co_localsplusnames") },
	{ F(co_localspluskinds), SPLIT310("!PyCodeObject.co_localspluskinds",
					  "PyCodeObject.co_localspluskinds") },
	{ F(co_nlocalsplus), SPLIT310("!PyCodeObject.co_nlocalsplus", "PyCodeObject.co_nlocalsplus") },
	{ F(co_framesize), { "!PyCodeObject.co_framesize", "!PyCodeObject.co_framesize",
			     "!PyCodeObject.co_framesize", "!PyCodeObject.co_framesize",
			     "PyCodeObject.co_framesize", "PyCodeObject.co_framesize" } },
	{ F(co_filename), ALL("PyCodeObject.co_filename") },
	{ F(co_name), ALL("PyCodeObject.co_name") },
	{ F(co_qualname), SPLIT310("!PyCodeObject.co_qualname", "PyCodeObject.co_qualname") },
	{ F(co_lnotab), { "PyCodeObject.co_lnotab", "PyCodeObject.co_lnotab", "!PyCodeObject.co_lnotab",
			  "!PyCodeObject.co_lnotab", "!PyCodeObject.co_lnotab", "!PyCodeObject.co_lnotab" } },
	{ F(co_linetable), { "!PyCodeObject.co_linetable", "!PyCodeObject.co_linetable",
			     "PyCodeObject.co_linetable", "PyCodeObject.co_linetable",
			     "PyCodeObject.co_linetable", "PyCodeObject.co_linetable" } },
	{ F(code_size), ALL("sizeof PyCodeObject") },

	/* function */
	{ F(fn_code), ALL("PyFunctionObject.func_code") },
	{ F(fn_globals), ALL("PyFunctionObject.func_globals") },
	{ F(fn_builtins), { "!PyFunctionObject.func_builtins", "!PyFunctionObject.func_builtins",
			    "PyFunctionObject.func_builtins", "PyFunctionObject.func_builtins",
			    "PyFunctionObject.func_builtins", "PyFunctionObject.func_builtins" } },
	{ F(fn_defaults), ALL("PyFunctionObject.func_defaults") },
	{ F(fn_kwdefaults), ALL("PyFunctionObject.func_kwdefaults") },
	{ F(fn_closure), ALL("PyFunctionObject.func_closure") },
	{ F(fn_doc), ALL("PyFunctionObject.func_doc") },
	{ F(fn_name), ALL("PyFunctionObject.func_name") },
	{ F(fn_dict), ALL("PyFunctionObject.func_dict") },
	{ F(fn_weakreflist), ALL("PyFunctionObject.func_weakreflist") },
	{ F(fn_module), ALL("PyFunctionObject.func_module") },
	{ F(fn_annotations), ALL("PyFunctionObject.func_annotations") },
	{ F(fn_qualname), ALL("PyFunctionObject.func_qualname") },
	{ F(fn_typeparams), { "!PyFunctionObject.func_typeparams", "!PyFunctionObject.func_typeparams",
			      "!PyFunctionObject.func_typeparams", "!PyFunctionObject.func_typeparams",
			      "PyFunctionObject.func_typeparams", "PyFunctionObject.func_typeparams" } },

	/* cell, method, builtin function, module, weakref */
	{ F(cell_ref), ALL("PyCellObject.ob_ref") },
	{ F(meth_func), ALL("PyMethodObject.im_func") },
	{ F(meth_self), ALL("PyMethodObject.im_self") },
	{ F(cfunc_ml), ALL("PyCFunctionObject.m_ml") },
	{ F(cfunc_self), ALL("PyCFunctionObject.m_self") },
	{ F(cfunc_module), ALL("PyCFunctionObject.m_module") },
	{ F(mod_dict), ALL("PyModuleObject.md_dict") },
	{ F(mod_def), ALL("PyModuleObject.md_def") },
	{ F(mod_state), ALL("PyModuleObject.md_state") },
	{ F(mod_name), ALL("PyModuleObject.md_name") },
	{ F(wr_object), ALL("PyWeakReference.wr_object") },
	{ F(wr_callback), ALL("PyWeakReference.wr_callback") },

	/* PyFrameObject */
	{ F(frame_back), ALL("PyFrameObject.f_back") },
	{ F(frame_code), SPLIT310("PyFrameObject.f_code", "!PyFrameObject.f_code") },
	{ F(frame_builtins), SPLIT310("PyFrameObject.f_builtins", "!PyFrameObject.f_builtins") },
	{ F(frame_globals), SPLIT310("PyFrameObject.f_globals", "!PyFrameObject.f_globals") },
	{ F(frame_locals), SPLIT310("PyFrameObject.f_locals", "!PyFrameObject.f_locals") },
	{ F(frame_valuestack), SPLIT310("PyFrameObject.f_valuestack", "!PyFrameObject.f_valuestack") },
	/* 3.8/3.9: PyObject **f_stacktop; 3.10: int f_stackdepth */
	{ F(frame_stacktop), { "PyFrameObject.f_stacktop", "PyFrameObject.f_stacktop",
			       "PyFrameObject.f_stackdepth",
			       "!PyFrameObject.f_stacktop|PyFrameObject.f_stackdepth",
			       "!PyFrameObject.f_stacktop|PyFrameObject.f_stackdepth",
			       "!PyFrameObject.f_stacktop|PyFrameObject.f_stackdepth" } },
	{ F(frame_lasti), SPLIT310("PyFrameObject.f_lasti", "!PyFrameObject.f_lasti") },
	{ F(frame_lineno), ALL("PyFrameObject.f_lineno") },
	{ F(frame_localsplus), SPLIT310("PyFrameObject.f_localsplus", "!PyFrameObject.f_localsplus") },
	{ F(frame_frame), SPLIT310("!PyFrameObject.f_frame", "PyFrameObject.f_frame") },
	{ F(frame_size), ALL("sizeof PyFrameObject") },
	{ F(frame_data), SPLIT310("!PyFrameObject._f_frame_data", "PyFrameObject._f_frame_data") },

	/* _PyInterpreterFrame (3.11+) */
#define NOIF "!struct _PyInterpreterFrame"
	{ F(iframe_code), { NOIF, NOIF, NOIF, "struct _PyInterpreterFrame.f_code",
			    "struct _PyInterpreterFrame.f_code", "struct _PyInterpreterFrame.f_executable" } },
	{ F(iframe_previous), SPLIT310(NOIF, "struct _PyInterpreterFrame.previous") },
	{ F(iframe_func), { NOIF, NOIF, NOIF, "struct _PyInterpreterFrame.f_func",
			    "struct _PyInterpreterFrame.f_funcobj", "struct _PyInterpreterFrame.f_funcobj" } },
	{ F(iframe_globals), SPLIT310(NOIF, "struct _PyInterpreterFrame.f_globals") },
	{ F(iframe_builtins), SPLIT310(NOIF, "struct _PyInterpreterFrame.f_builtins") },
	{ F(iframe_locals), SPLIT310(NOIF, "struct _PyInterpreterFrame.f_locals") },
	{ F(iframe_frame_obj), SPLIT310(NOIF, "struct _PyInterpreterFrame.frame_obj") },
	{ F(iframe_prev_instr), { NOIF, NOIF, NOIF, "struct _PyInterpreterFrame.prev_instr",
				  "struct _PyInterpreterFrame.prev_instr",
				  "struct _PyInterpreterFrame.instr_ptr" } },
	{ F(iframe_stacktop), SPLIT310(NOIF, "struct _PyInterpreterFrame.stacktop") },
	{ F(iframe_owner), SPLIT310(NOIF, "struct _PyInterpreterFrame.owner") },
	{ F(iframe_localsplus), SPLIT310(NOIF, "struct _PyInterpreterFrame.localsplus") },
#undef NOIF

	/* generator / coroutine */
	{ F(gen_frame), SPLIT310("PyGenObject.gi_frame", "!PyGenObject.gi_frame") },
	{ F(gen_code), { "PyGenObject.gi_code", "PyGenObject.gi_code", "PyGenObject.gi_code",
			 "PyGenObject.gi_code", "!PyGenObject.gi_code", "!PyGenObject.gi_code" } },
	{ F(gen_name), ALL("PyGenObject.gi_name") },
	{ F(gen_qualname), ALL("PyGenObject.gi_qualname") },
	{ F(gen_weakreflist), ALL("PyGenObject.gi_weakreflist") },
	{ F(gen_frame_state), SPLIT310("!PyGenObject.gi_frame_state", "PyGenObject.gi_frame_state") },
	{ F(gen_iframe), SPLIT310("!PyGenObject.gi_iframe", "PyGenObject.gi_iframe") },

	/* Pre-header words.  Not struct members: CPython addresses them with
	 * pointer arithmetic in pycore_object.h, so the check is that the
	 * installed header still says exactly that, times the DWARF pointer
	 * size.  3.13's needle is the non-free-threaded (#else) branch. */
	{ F(managed_dict_off), { NO_MANAGED, NO_MANAGED, NO_MANAGED,
				 "hdr " PCO "|return ((PyObject **)obj)-3;|-3",
				 "hdr " PCO "|return ((PyDictOrValues *)obj)-3;|-3",
				 "hdr " PCO "|#  define MANAGED_DICT_OFFSET    (((Py_ssize_t)sizeof(PyObject *))*-3)|-3" } },
	{ F(managed_values_off), { NO_MANAGED, NO_MANAGED, NO_MANAGED,
				   "hdr " PCO "|return ((PyDictValues **)obj)-4;|-4",
				   "nohdr " PCO "|_PyObject_ValuesPointer",
				   "nohdr " PCO "|_PyObject_ValuesPointer" } },
	{ F(managed_weakref_off), { "nohdr object.h|Py_TPFLAGS_MANAGED_WEAKREF",
				    "nohdr object.h|Py_TPFLAGS_MANAGED_WEAKREF",
				    "nohdr object.h|Py_TPFLAGS_MANAGED_WEAKREF",
				    "nohdr object.h|Py_TPFLAGS_MANAGED_WEAKREF",
				    "hdr " PCO "|#define MANAGED_WEAKREF_OFFSET (((Py_ssize_t)sizeof(PyObject *))*-4)|-4",
				    "hdr " PCO "|#  define MANAGED_WEAKREF_OFFSET (((Py_ssize_t)sizeof(PyObject *))*-4)|-4" } },
	{ F(preheader_managed), { NO_MANAGED, NO_MANAGED, NO_MANAGED,
				  "hdr " PCO "|_PyType_HasFeature(tp, Py_TPFLAGS_MANAGED_DICT) * 2 * sizeof(PyObject *)|2",
				  "hdr " PCO "|_PyType_HasFeature(tp, Py_TPFLAGS_PREHEADER) * 2 * sizeof(PyObject *)|2",
				  "hdr " PCO "|_PyType_HasFeature(tp, Py_TPFLAGS_PREHEADER) * 2 * sizeof(PyObject *)|2" } },
};
#define NROWS (sizeof rows / sizeof rows[0])

_Static_assert(sizeof(struct py_layout) % sizeof(int32_t) == 0,
	       "struct py_layout is expected to be all 32-bit slots");

/* ------------------------------------------------------------------ */
/* A tiny string-keyed hash (open addressing) from DIE name to DIE offset.
 * Keys point into libdw's string sections and live until dwarf_end(). */

struct ent { const char *key; Dwarf_Off off; int conflict; };
struct map { struct ent *e; size_t cap, n; };

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static const struct ent *map_get(const struct map *m, const char *key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->e[i].key)
			return NULL;
		if (!strcmp(m->e[i].key, key))
			return &m->e[i];
	}
}

/* First definition wins (duplicates across CUs are normally the same
 * type).  Returns the existing entry for a duplicate key, NULL when the
 * key was new, so the caller can compare the two definitions. */
static struct ent *map_put(struct map *m, const char *key, Dwarf_Off off)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 4096;
		struct ent *ne = calloc(ncap, sizeof *ne);
		if (!ne) {
			perror("calloc");
			exit(2);
		}
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->e[i].key)
				continue;
			size_t j = hash_str(m->e[i].key) & (ncap - 1);
			while (ne[j].key)
				j = (j + 1) & (ncap - 1);
			ne[j] = m->e[i];
		}
		free(m->e);
		m->e = ne;
		m->cap = ncap;
	}
	size_t i = hash_str(key) & (m->cap - 1);
	for (; m->e[i].key; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->e[i].key, key))
			return &m->e[i];
	m->e[i] = (struct ent){ key, off, 0 };
	m->n++;
	return NULL;
}

/* Type names the rows refer to ("PyCodeObject", "_gc_runtime_state"...),
 * with owned keys.  Only these get the duplicate-definition check. */
static struct map wanted;

static void add_wanted(const char *p, size_t n)
{
	if (!strncmp(p, "sizeof ", 7))
		p += 7, n -= 7;
	if (n > 7 && !strncmp(p, "struct ", 7))
		p += 7, n -= 7;
	else if (n > 6 && !strncmp(p, "union ", 6))
		p += 6, n -= 6;
	const char *dot = memchr(p, '.', n);
	if (dot)
		n = (size_t)(dot - p);
	char *k = strndup(p, n);
	if (!k) {
		perror("strndup");
		exit(2);
	}
	if (map_get(&wanted, k))
		free(k);
	else
		map_put(&wanted, k, 0);
}

/* ------------------------------------------------------------------ */
/* DWARF side                                                           */

struct dw {
	Dwarf *dbg;
	int fd;
	struct map structs;     /* complete struct/union definitions by tag name */
	struct map typedefs;    /* typedef name -> typedef DIE */
	int ptr_size;           /* CU address size */
	int conflicts;          /* wanted names with differing definitions */
	char incdir[512];       /* <prefix>/include/python3.X */
};

static void dw_close(struct dw *d);

/* Byte size of a type after stripping typedefs/qualifiers, or -1 when it
 * ends in a declaration (incomplete struct: nothing to compare). */
static long complete_size(const Dwarf_Die *die)
{
	Dwarf_Die t = *die;
	for (int guard = 0; guard < 32; guard++) {
		int tag = dwarf_tag(&t);
		if (tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
		    tag == DW_TAG_volatile_type || tag == DW_TAG_atomic_type) {
			Dwarf_Attribute a;
			if (!dwarf_attr(&t, DW_AT_type, &a) || !dwarf_formref_die(&a, &t))
				return -1;
			continue;
		}
		if (dwarf_hasattr(&t, DW_AT_declaration))
			return -1;
		Dwarf_Word sz;
		return dwarf_aggregate_size(&t, &sz) == 0 ? (long)sz : -1;
	}
	return -1;
}

/* One pass over the top-level DIEs of every CU.  Only named types are
 * kept; declarations (incomplete structs) are skipped so a lookup always
 * lands on a definition with members. */
static int dw_open(struct dw *d, const char *path)
{
	memset(d, 0, sizeof *d);
	d->fd = open(path, O_RDONLY);
	if (d->fd < 0)
		return -1;
	d->dbg = dwarf_begin(d->fd, DWARF_C_READ);
	if (!d->dbg) {
		fprintf(stderr, "%s: dwarf_begin: %s\n", path, dwarf_errmsg(-1));
		close(d->fd);
		return -1;
	}
	Dwarf_Off off = 0, next;
	size_t hsize;
	uint8_t asz = 0;
	int r;
	while ((r = dwarf_nextcu(d->dbg, off, &next, &hsize, NULL, &asz, NULL)) == 0) {
		Dwarf_Die cu, die;
		if (!d->ptr_size)
			d->ptr_size = asz;
		if (dwarf_offdie(d->dbg, off + hsize, &cu) && dwarf_child(&cu, &die) == 0) {
			do {
				int tag = dwarf_tag(&die);
				if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type &&
				    tag != DW_TAG_typedef)
					continue;
				const char *name = dwarf_diename(&die);
				if (!name)
					continue;
				struct ent *dup = NULL;
				if (tag == DW_TAG_typedef)
					dup = map_put(&d->typedefs, name, dwarf_dieoffset(&die));
				else if (!dwarf_hasattr(&die, DW_AT_declaration))
					dup = map_put(&d->structs, name, dwarf_dieoffset(&die));
				/* "First wins" is only safe if no other CU (a module
				 * with a private type of the same name) disagrees. */
				if (dup && !dup->conflict && map_get(&wanted, name)) {
					Dwarf_Die first;
					long a = -1, b = complete_size(&die);
					if (dwarf_offdie(d->dbg, dup->off, &first))
						a = complete_size(&first);
					if (a >= 0 && b >= 0 && a != b) {
						fprintf(stderr, "%s: two definitions of %s (%ld and %ld bytes)\n",
							path, name, a, b);
						dup->conflict = 1;
						d->conflicts++;
					}
				}
			} while (dwarf_siblingof(&die, &die) == 0);
		}
		off = next;
	}
	/* 1 = walked past the last unit; -1 = stopped early, which would
	 * leave types unindexed and make "absent" checks meaningless. */
	if (r != 1) {
		fprintf(stderr, "%s: CU walk stopped at %#llx: %s\n", path,
			(unsigned long long)off, dwarf_errmsg(-1));
		dw_close(d);
		return -1;
	}
	return 0;
}

static void dw_close(struct dw *d)
{
	if (d->dbg)
		dwarf_end(d->dbg);
	if (d->fd >= 0)
		close(d->fd);
	free(d->structs.e);
	free(d->typedefs.e);
}

/* Strip typedefs and cv-qualifiers; swap a declaration for the complete
 * definition of the same tag.  0 on success. */
static int resolve(struct dw *d, Dwarf_Die *t)
{
	for (int guard = 0; guard < 32; guard++) {
		int tag = dwarf_tag(t);
		if (tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
		    tag == DW_TAG_volatile_type || tag == DW_TAG_atomic_type ||
		    tag == DW_TAG_restrict_type) {
			Dwarf_Attribute a;
			if (!dwarf_attr(t, DW_AT_type, &a) || !dwarf_formref_die(&a, t))
				return -1;
			continue;
		}
		if ((tag == DW_TAG_structure_type || tag == DW_TAG_union_type) &&
		    dwarf_hasattr(t, DW_AT_declaration)) {
			const char *name = dwarf_diename(t);
			const struct ent *e = name ? map_get(&d->structs, name) : NULL;
			if (!e || !dwarf_offdie(d->dbg, e->off, t))
				return -1;
		}
		return 0;
	}
	return -1;
}

/* "PyCodeObject", "struct _frame", "union X" -> resolved type DIE. */
static int find_type(struct dw *d, const char *name, size_t len, Dwarf_Die *out)
{
	char buf[256];
	if (len >= sizeof buf)
		return -1;
	memcpy(buf, name, len);
	buf[len] = 0;
	const struct ent *e;
	if (!strncmp(buf, "struct ", 7) || !strncmp(buf, "union ", 6)) {
		const char *tag = strchr(buf, ' ') + 1;
		e = map_get(&d->structs, tag);
		if (e && e->conflict)
			return -2;
		if (!e || !dwarf_offdie(d->dbg, e->off, out))
			return -1;
		int want = buf[0] == 's' ? DW_TAG_structure_type : DW_TAG_union_type;
		return dwarf_tag(out) == want ? 0 : -1;
	}
	e = map_get(&d->typedefs, buf);
	if (e && e->conflict)
		return -2;
	if (!e || !dwarf_offdie(d->dbg, e->off, out))
		return -1;
	return resolve(d, out);
}

static int member_location(Dwarf_Die *m, long *off)
{
	Dwarf_Attribute a;
	if (!dwarf_attr(m, DW_AT_data_member_location, &a)) {
		*off = 0;           /* union members carry no location */
		return 0;
	}
	Dwarf_Word w;
	if (dwarf_formudata(&a, &w) == 0) {
		*off = (long)w;
		return 0;
	}
	/* DWARF 2-style location expression: DW_OP_plus_uconst N */
	Dwarf_Op *ops;
	size_t nops;
	if (dwarf_getlocation(&a, &ops, &nops) == 0 && nops == 1 &&
	    (ops[0].atom == DW_OP_plus_uconst || ops[0].atom == DW_OP_constu)) {
		*off = (long)ops[0].number;
		return 0;
	}
	return -1;
}

/* Find member `name` (length len) of aggregate *t, looking through
 * anonymous struct/union members.  Adds its offset to *off, sets *t to the
 * member's resolved type.  0 found, -1 not found. */
static int find_member(struct dw *d, Dwarf_Die *t, const char *name, size_t len, long *off)
{
	Dwarf_Die c;
	if (dwarf_child(t, &c) != 0)
		return -1;
	do {
		if (dwarf_tag(&c) != DW_TAG_member)
			continue;
		const char *n = dwarf_diename(&c);
		long here;
		if (member_location(&c, &here) != 0)
			continue;
		Dwarf_Attribute a;
		Dwarf_Die mt;
		if (!dwarf_attr(&c, DW_AT_type, &a) || !dwarf_formref_die(&a, &mt))
			continue;
		if (n && strlen(n) == len && !memcmp(n, name, len)) {
			if (resolve(d, &mt) != 0)
				return -1;
			*off += here;
			*t = mt;
			return 0;
		}
		if (!n && resolve(d, &mt) == 0 &&
		    (dwarf_tag(&mt) == DW_TAG_structure_type || dwarf_tag(&mt) == DW_TAG_union_type)) {
			long sub = *off + here;
			Dwarf_Die inner = mt;
			if (find_member(d, &inner, name, len, &sub) == 0) {
				*off = sub;
				*t = inner;
				return 0;
			}
		}
	} while (dwarf_siblingof(&c, &c) == 0);
	return -1;
}

/* Outcome of looking up "Type.a.b" or "sizeof Type". */
enum look { L_FOUND, L_NO_TYPE, L_NO_MEMBER, L_ERROR, L_CONFLICT };

static enum look dw_offsetof(struct dw *d, const char *spec, size_t slen, long *val)
{
	const char *dot = memchr(spec, '.', slen);
	size_t tlen = dot ? (size_t)(dot - spec) : slen;
	Dwarf_Die t;
	int ft = find_type(d, spec, tlen, &t);
	if (ft != 0)
		return ft == -2 ? L_CONFLICT : L_NO_TYPE;
	if (!dot)
		return L_FOUND;     /* bare type: existence only */
	long off = 0;
	const char *p = dot + 1, *end = spec + slen;
	while (p < end) {
		const char *q = memchr(p, '.', (size_t)(end - p));
		size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
		if (find_member(d, &t, p, n, &off) != 0)
			return L_NO_MEMBER;
		p = q ? q + 1 : end;
	}
	*val = off;
	return L_FOUND;
}

static enum look dw_sizeof(struct dw *d, const char *type, long *val)
{
	Dwarf_Die t;
	Dwarf_Word sz;
	int ft = find_type(d, type, strlen(type), &t);
	if (ft != 0)
		return ft == -2 ? L_CONFLICT : L_NO_TYPE;
	if (dwarf_aggregate_size(&t, &sz) != 0)
		return L_ERROR;
	*val = (long)sz;
	return L_FOUND;
}

/* ------------------------------------------------------------------ */
/* Header premises                                                      */

static int header_has(const struct dw *d, const char *file, size_t flen,
		      const char *needle, size_t nlen, int *found)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%.*s", d->incdir, (int)flen, file);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char *buf = NULL;
	size_t cap = 0, n = 0, r;
	char chunk[65536];
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (n + r + 1 > cap) {
			cap = (n + r + 1) * 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		memcpy(buf + n, chunk, r);
		n += r;
	}
	fclose(f);
	*found = buf && memmem(buf, n, needle, nlen) != NULL;
	free(buf);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Checking                                                             */

struct counts { int dwarf, absent, hdr, cnst, bad; };

static void report(int quiet, const char *ver, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void report(int quiet, const char *ver, const char *field, const char *fmt, ...)
{
	if (quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	printf("%s %s: ", ver, field);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

/* Check one field. Returns 0 ok, 1 mismatch. */
static int check_one(struct dw *d, const char *ver, const char *field, const char *spec,
		     long tv, struct counts *c, int quiet)
{
	long dv = 0;
	enum look lk;

	if (spec[0] == '=') {                           /* documented constant */
		char *end;
		long want = strtol(spec + 1, &end, 10);
		while (*end == ' ')
			end++;
		c->cnst++;
		if (tv != want) {
			report(quiet, ver, field, "table %ld, expected %ld (not DWARF-checkable: %s)",
			       tv, want, end);
			return 1;
		}
		if (verbose && !quiet)
			printf("  %s %s = %ld  [not DWARF-checkable: %s]\n", ver, field, tv, end);
		return 0;
	}

	if (!strncmp(spec, "hdr ", 4) || !strncmp(spec, "nohdr ", 6)) { /* header premise */
		int want_present = spec[0] == 'h';
		const char *file = spec + (want_present ? 4 : 6);
		const char *bar1 = strchr(file, '|');
		if (!bar1) {
			report(quiet, ver, field, "table %ld, malformed spec \"%s\"", tv, spec);
			return 1;
		}
		const char *needle = bar1 + 1;
		const char *bar2 = want_present ? strrchr(needle, '|') : NULL;
		if (want_present && !bar2) {
			report(quiet, ver, field, "table %ld, malformed spec \"%s\"", tv, spec);
			return 1;
		}
		size_t nlen = bar2 ? (size_t)(bar2 - needle) : strlen(needle);
		long want = want_present ? strtol(bar2 + 1, NULL, 10) * d->ptr_size : 0;
		int found = 0;
		c->hdr++;
		if (header_has(d, file, (size_t)(bar1 - file), needle, nlen, &found) != 0) {
			report(quiet, ver, field, "table %ld, header %s/%.*s not readable",
			       tv, d->incdir, (int)(bar1 - file), file);
			return 1;
		}
		if (found != want_present) {
			report(quiet, ver, field, "table %ld, header premise broken: %.*s %s \"%.*s\"",
			       tv, (int)(bar1 - file), file,
			       want_present ? "lacks" : "now contains", (int)nlen, needle);
			return 1;
		}
		if (tv != want) {
			report(quiet, ver, field, "table %ld, expected %ld (header %.*s: \"%.*s\" "
			       "x %d-byte pointers from DWARF)",
			       tv, want, (int)(bar1 - file), file, (int)nlen, needle, d->ptr_size);
			return 1;
		}
		if (verbose && !quiet)
			printf("  %s %s = %ld  [header %.*s %s \"%.*s\"]\n", ver, field, tv,
			       (int)(bar1 - file), file, want_present ? "has" : "lacks",
			       (int)nlen, needle);
		return 0;
	}

	if (spec[0] == '!') {                           /* field must not exist */
		c->absent++;
		const char *p = spec + 1;
		int bad = 0;
		while (*p) {
			const char *bar = strchr(p, '|');
			size_t n = bar ? (size_t)(bar - p) : strlen(p);
			lk = dw_offsetof(d, p, n, &dv);
			if (lk == L_NO_TYPE && memchr(p, '.', n)) {
				const char *dot = memchr(p, '.', n);
				report(quiet, ver, field, "table %ld, DWARF has no type %.*s "
				       "(cannot verify that %.*s is absent)", tv,
				       (int)(dot - p), p, (int)n, p);
				bad = 1;
			} else if (lk == L_ERROR || lk == L_CONFLICT) {
				report(quiet, ver, field, "table %ld, DWARF %s (%.*s)", tv,
				       lk == L_CONFLICT ? "has conflicting definitions" : "lookup error",
				       (int)n, p);
				bad = 1;
			} else if (lk == L_FOUND) {
				if (memchr(p, '.', n))
					report(quiet, ver, field, "table %ld, DWARF %ld (%.*s exists)",
					       tv, dv, (int)n, p);
				else
					report(quiet, ver, field, "table %ld, DWARF has type %.*s",
					       tv, (int)n, p);
				bad = 1;
			}
			p = bar ? bar + 1 : p + n;
		}
		if (!bad && tv != -1) {
			report(quiet, ver, field, "table %ld, DWARF absent (%s)", tv, spec + 1);
			bad = 1;
		}
		if (!bad && verbose && !quiet)
			printf("  %s %s = -1  [absent: %s]\n", ver, field, spec + 1);
		return bad;
	}

	c->dwarf++;
	if (!strncmp(spec, "sizeof ", 7))
		lk = dw_sizeof(d, spec + 7, &dv);
	else
		lk = dw_offsetof(d, spec, strlen(spec), &dv);
	if (lk != L_FOUND) {
		report(quiet, ver, field, "table %ld, DWARF %s (%s)", tv,
		       lk == L_NO_TYPE ? "has no such type" :
		       lk == L_NO_MEMBER ? "has no such member" :
		       lk == L_CONFLICT ? "has conflicting definitions of the type" :
		       "lookup error", spec);
		return 1;
	}
	if (dv != tv) {
		report(quiet, ver, field, "table %ld, DWARF %ld", tv, dv);
		return 1;
	}
	if (verbose && !quiet)
		printf("  %s %s = %ld  [%s]\n", ver, field, tv, spec);
	return 0;
}

static long field_val(const struct py_layout *L, size_t off)
{
	int32_t v;
	memcpy(&v, (const char *)L + off, sizeof v);
	return v;
}

/* Check a whole table; returns the number of mismatches. */
static int check_table(struct dw *d, int vi, const struct py_layout *L, struct counts *c, int quiet)
{
	char ver[16];
	int bad = 0;
	snprintf(ver, sizeof ver, "3.%d", 8 + vi);
	memset(c, 0, sizeof *c);
	if (L->minor != 8 + vi) {
		report(quiet, ver, "minor", "table %d, expected %d", L->minor, 8 + vi);
		bad++;
	}
	if (L->from_debug_offsets || L->debug_offsets_mismatch) {
		report(quiet, ver, "from_debug_offsets", "built-in table must have 0/0, has %d/%d",
		       L->from_debug_offsets, L->debug_offsets_mismatch);
		bad++;
	}
	for (size_t i = 0; i < NROWS; i++)
		bad += check_one(d, ver, rows[i].name, rows[i].spec[vi],
				 field_val(L, rows[i].off), c, quiet);
	c->bad = bad;
	return bad;
}

/* Every 32-bit slot of struct py_layout is either a row or one of the
 * three bookkeeping ints; duplicates are a table bug too. */
static int check_coverage(void)
{
	enum { NSLOT = sizeof(struct py_layout) / sizeof(int32_t) };
	int seen[NSLOT] = {0}, bad = 0;
	seen[offsetof(struct py_layout, minor) / 4]++;
	seen[offsetof(struct py_layout, from_debug_offsets) / 4]++;
	seen[offsetof(struct py_layout, debug_offsets_mismatch) / 4]++;
	for (size_t i = 0; i < NROWS; i++) {
		if (rows[i].off % 4 || rows[i].off / 4 >= NSLOT) {
			printf("coverage: row %s has odd offset %zu\n", rows[i].name, rows[i].off);
			bad++;
			continue;
		}
		if (seen[rows[i].off / 4]++) {
			printf("coverage: field %s has two rows\n", rows[i].name);
			bad++;
		}
		for (int v = 0; v < NVER; v++)
			if (!rows[i].spec[v]) {
				printf("coverage: field %s has no spec for 3.%d\n", rows[i].name, 8 + v);
				bad++;
			}
	}
	for (int s = 0; s < NSLOT; s++)
		if (!seen[s]) {
			printf("coverage: struct py_layout slot at byte %d has no row in the test table\n",
			       s * 4);
			bad++;
		}
	return bad;
}

/* The checker must be able to fail: perturb one field of each kind and
 * expect a complaint (output suppressed). */
static int check_checker(struct dw *d, int vi, const struct py_layout *L)
{
	struct counts c;
	int bad = 0;
	for (size_t i = 0; i < NROWS; i++) {
		struct py_layout t = *L;
		int32_t v;
		memcpy(&v, (char *)&t + rows[i].off, 4);
		v = v == -1 ? 8 : v + 8;   /* wrong value, and "present" where absent */
		memcpy((char *)&t + rows[i].off, &v, 4);
		if (check_table(d, vi, &t, &c, 1) != 1) {
			printf("3.%d %s: checker did not notice a corrupted value (%d reports)\n",
			       8 + vi, rows[i].name, c.bad);
			bad++;
		}
	}
	return bad;
}

/* ------------------------------------------------------------------ */
/* layout_for() with the runtime's own _Py_DebugOffsets (3.13)          */

/* Read _PyRuntime's initialised bytes (st_value, st_size) from the ELF:
 * the symbol lives in the .PyRuntime section whose file image holds
 * _PyRuntimeState_INIT, including the debug offsets. */
static unsigned char *read_runtime_image(const char *path, uint64_t *addr, uint64_t *size)
{
	unsigned char *out = NULL;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	Elf_Scn *scn = NULL;
	GElf_Sym found = {0};
	int have = 0;
	while (e && !have && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; data && i < n; i++) {
			GElf_Sym s;
			if (!gelf_getsym(data, (int)i, &s))
				continue;
			const char *nm = elf_strptr(e, sh.sh_link, s.st_name);
			if (nm && !strcmp(nm, "_PyRuntime") && s.st_shndx != SHN_UNDEF) {
				found = s;
				have = 1;
				break;
			}
		}
	}
	if (have) {
		Elf_Scn *ds = elf_getscn(e, found.st_shndx);
		GElf_Shdr sh;
		Elf_Data *data;
		if (ds && gelf_getshdr(ds, &sh) && sh.sh_type == SHT_PROGBITS &&
		    found.st_value >= sh.sh_addr &&
		    found.st_value + found.st_size <= sh.sh_addr + sh.sh_size &&
		    (data = elf_getdata(ds, NULL)) && data->d_buf &&
		    data->d_size >= sh.sh_size) {
			out = malloc(found.st_size);
			if (out) {
				memcpy(out, (char *)data->d_buf + (found.st_value - sh.sh_addr),
				       found.st_size);
				*addr = found.st_value;
				*size = found.st_size;
			}
		}
	}
	if (e)
		elf_end(e);
	close(fd);
	return out;
}

/* memsrc with one region holding `img` at `addr` (memsrc_free munmaps). */
static memsrc *mem_with(const unsigned char *img, uint64_t addr, uint64_t size)
{
	memsrc *m = memsrc_new(NULL, NULL);
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!m || p == MAP_FAILED) {
		perror("memsrc/mmap");
		exit(2);
	}
	memcpy(p, img, size);
	if (memsrc_add_region(m, addr, addr + size, p) != 0) {
		fprintf(stderr, "memsrc_add_region failed\n");
		exit(2);
	}
	return m;
}

static void put_u64(unsigned char *img, long off, uint64_t v) { memcpy(img + off, &v, 8); }

static long dbg_off(struct dw *d, const char *member)
{
	char spec[128];
	long v = -1;
	snprintf(spec, sizeof spec, "struct _Py_DebugOffsets.%s", member);
	if (dw_offsetof(d, spec, strlen(spec), &v) != L_FOUND) {
		printf("3.13 debug offsets: DWARF has no _Py_DebugOffsets.%s\n", member);
		return -1;
	}
	return v;
}

#define EXPECT(cond, ...) do { if (!(cond)) { printf("layout_for: " __VA_ARGS__); putchar('\n'); bad++; } } while (0)

/* layout_for() paths that need no target: unsupported versions, m==NULL. */
static int test_layout_for_basic(void)
{
	int bad = 0;
	struct py_runtime_info rt;
	struct py_layout L;
	struct hs_err err;
	static const int unsupported[] = { 7, 14, 0 };

	for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
		memset(&rt, 0, sizeof rt);
		rt.major = 3;
		rt.minor = unsupported[i];
		snprintf(rt.version, sizeof rt.version, "3.%d.0", rt.minor);
		memset(&err, 0, sizeof err);
		enum hs_status st = layout_for(&rt, NULL, &L, &err);
		EXPECT(st == HS_ERR_UNSUPPORTED && err.code == HS_ERR_UNSUPPORTED,
		       "3.%d: status %d, want HS_ERR_UNSUPPORTED", rt.minor, st);
		EXPECT(strstr(err.msg, PY_SUPPORTED_TEXT) && strstr(err.msg, rt.version),
		       "3.%d: message lacks version or supported list: %s", rt.minor, err.msg);
	}
	memset(&rt, 0, sizeof rt);
	rt.major = 3;
	rt.minor = 12;
	rt.free_threaded = 1;
	EXPECT(layout_for(&rt, NULL, &L, &err) == HS_ERR_UNSUPPORTED, "free-threaded build accepted");

	for (int minor = PY_MIN_MINOR; minor <= PY_MAX_MINOR; minor++) {
		memset(&rt, 0, sizeof rt);
		rt.major = 3;
		rt.minor = minor;
		rt.version_hex = 0x030000f0u | (unsigned)minor << 16;
		rt.runtime = 0x1000;
		enum hs_status st = layout_for(&rt, NULL, &L, &err);
		EXPECT(st == HS_OK, "3.%d with m=NULL: status %d", minor, st);
		EXPECT(st != HS_OK || (!memcmp(&L, layout_builtin(minor), sizeof L)),
		       "3.%d with m=NULL: result differs from the built-in table", minor);
	}
	return bad;
}

/* 3.13: real debug offsets from the library image, then broken copies. */
static int test_layout_for_dbg(struct dw *d, const char *lib)
{
	int bad = 0;
	uint64_t addr = 0, size = 0;
	unsigned char *img = read_runtime_image(lib, &addr, &size);
	if (!img) {
		printf("3.13 debug offsets: cannot read _PyRuntime image from %s\n", lib);
		return 1;
	}
	const struct py_layout *B = layout_builtin(13);
	struct py_runtime_info rt;
	memset(&rt, 0, sizeof rt);
	rt.major = 3;
	rt.minor = 13;
	rt.micro = 0;
	rt.version_hex = 0x030d00f0;
	snprintf(rt.version, sizeof rt.version, "3.13.0");
	rt.runtime = addr;
	rt.runtime_size = size;

	long o_ver = dbg_off(d, "version"), o_ft = dbg_off(d, "free_threaded");
	long o_tup = dbg_off(d, "tuple_object.ob_item");
	long o_lst = dbg_off(d, "list_object.ob_item");
	long o_tsz = dbg_off(d, "tuple_object.size");
	long o_rts = dbg_off(d, "runtime_state.size");
	if (o_ver < 0 || o_ft < 0 || o_tup < 0 || o_lst < 0 || o_tsz < 0 || o_rts < 0) {
		free(img);
		return 1;
	}

	struct variant {
		const char *what;
		int expect_applied, expect_mismatch;
		long patch_off;      /* -1 = none */
		uint64_t patch_val;
		int cookie_bad, size_unknown;
	} vs[] = {
		{ "genuine", 1, 0, -1, 0, 0, 0 },
		{ "genuine, symbol size unknown", 1, 0, -1, 0, 0, 1 },
		{ "bad cookie", 0, 0, -1, 0, 1, 0 },
		{ "version 3.12", 0, 0, o_ver, 0x030c01f0, 0, 0 },
		{ "micro differs (3.13.5)", 1, 0, o_ver, 0x030d05f0, 0, 0 },
		{ "free-threaded", 0, 0, o_ft, 1, 0, 0 },
		{ "offset outside its struct", 0, 0, o_tup, 4096, 0, 0 },
		{ "struct size >= 1 MiB", 0, 0, o_tsz, 1u << 20, 0, 0 },
		{ "runtime size != ELF symbol size", 0, 0, o_rts, 12345, 0, 0 },
		/* sizeof(PyListObject) is 40, so 32 passes the sanity check */
		{ "list ob_item moved to 32", 1, 1, o_lst, 32, 0, 0 },
	};
	for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
		unsigned char *copy = malloc(size);
		if (!copy) {
			perror("malloc");
			exit(2);
		}
		memcpy(copy, img, size);
		if (vs[i].patch_off >= 0)
			put_u64(copy, vs[i].patch_off, vs[i].patch_val);
		if (vs[i].cookie_bad)
			copy[0] ^= 0x20;
		struct py_runtime_info r = rt;
		if (vs[i].size_unknown)
			r.runtime_size = 0;
		memsrc *m = mem_with(copy, addr, size);
		struct py_layout L;
		struct hs_err err = {0};
		enum hs_status st = layout_for(&r, m, &L, &err);
		EXPECT(st == HS_OK, "3.13 %s: status %d (%s)", vs[i].what, st, err.msg);
		EXPECT(L.from_debug_offsets == vs[i].expect_applied,
		       "3.13 %s: from_debug_offsets %d, want %d", vs[i].what,
		       L.from_debug_offsets, vs[i].expect_applied);
		EXPECT(L.debug_offsets_mismatch == vs[i].expect_mismatch,
		       "3.13 %s: debug_offsets_mismatch %d, want %d", vs[i].what,
		       L.debug_offsets_mismatch, vs[i].expect_mismatch);
		/* Everything except the bookkeeping (and the one patched field)
		 * must equal the DWARF-checked built-in table. */
		struct py_layout cmp = L;
		cmp.from_debug_offsets = 0;
		cmp.debug_offsets_mismatch = 0;
		if (vs[i].expect_mismatch)
			cmp.list_items = B->list_items;
		EXPECT(!memcmp(&cmp, B, sizeof cmp), "3.13 %s: layout differs from built-in table",
		       vs[i].what);
		if (vs[i].expect_mismatch)
			EXPECT(L.list_items == 32, "3.13 %s: list_items %d, want the runtime's 32",
			       vs[i].what, L.list_items);
		if (verbose)
			printf("  3.13 layout_for(%s): applied=%d mismatch=%d\n", vs[i].what,
			       L.from_debug_offsets, L.debug_offsets_mismatch);
		memsrc_free(m);
		free(copy);
	}

	/* Unreadable runtime address: falls back, does not fail. */
	{
		memsrc *m = mem_with(img, addr + (1u << 24), size);
		struct py_layout L;
		struct hs_err err = {0};
		EXPECT(layout_for(&rt, m, &L, &err) == HS_OK && !L.from_debug_offsets,
		       "3.13 unreadable runtime: not a silent fallback");
		memsrc_free(m);
	}
	free(img);
	return bad;
}

/* ------------------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *root = getenv("HEAPSCOPE_PYENV");
	int failures = 0, tested = 0;

	if (!root || !*root)
		root = "/root/.pyenv/versions";
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);

	failures += check_coverage();
	for (size_t i = 0; i < NROWS; i++)
		for (int v = 0; v < NVER; v++) {
			const char *p = rows[i].spec[v];
			if (!p || p[0] == '=' || !strncmp(p, "hdr ", 4) || !strncmp(p, "nohdr ", 6))
				continue;
			if (*p == '!')
				p++;
			while (*p) {        /* alternatives separated by '|' */
				const char *bar = strchr(p, '|');
				size_t n = bar ? (size_t)(bar - p) : strlen(p);
				add_wanted(p, n);
				p = bar ? bar + 1 : p + n;
			}
		}
	add_wanted("_Py_DebugOffsets", 16);
	failures += test_layout_for_basic();

	for (int vi = 0; vi < NVER; vi++) {
		int minor = 8 + vi;
		char lib[1024];
		snprintf(lib, sizeof lib, "%s/%s/lib/libpython3.%d.so.1.0", root, pyenv_ver[vi], minor);
		if (access(lib, R_OK) != 0) {
			printf("3.%d: %s not installed, skipped\n", minor, lib);
			continue;
		}
		const struct py_layout *L = layout_builtin(minor);
		if (!L) {
			printf("3.%d: layout_builtin() returned NULL\n", minor);
			failures++;
			continue;
		}
		double t0 = now();
		struct dw d;
		if (dw_open(&d, lib) != 0) {
			printf("3.%d: cannot read DWARF of %s\n", minor, lib);
			failures++;
			continue;
		}
		snprintf(d.incdir, sizeof d.incdir, "%s/%s/include/python3.%d", root, pyenv_ver[vi], minor);
		if (d.ptr_size != 8) {
			printf("3.%d: address size %d, the tables are for 64-bit\n", minor, d.ptr_size);
			failures++;
		}
		double t1 = now();
		struct counts c;
		int bad = check_table(&d, vi, L, &c, 0);
		failures += bad;
		/* Only meaningful on a clean table (else every perturbation
		 * "fails" with the pre-existing reports too). */
		int meta = bad ? 0 : check_checker(&d, vi, L);
		failures += meta;
		if (minor == 13)
			failures += test_layout_for_dbg(&d, lib);
		tested++;
		printf("3.%d: %zu fields: %d DWARF offsets/sizes, %d verified absent, %d header premises, "
		       "%d constants; %d mismatches; checker self-test %s; index %.2fs, total %.2fs\n",
		       minor, NROWS, c.dwarf, c.absent, c.hdr, c.cnst, bad,
		       bad ? "skipped" : meta ? "FAILED" : "ok",
		       t1 - t0, now() - t0);
		dw_close(&d);
	}
	if (!tested) {
		printf("no pyenv libpython 3.8-3.13 under %s: skipping\n", root);
		return failures ? 1 : 77;
	}
	for (size_t i = 0; i < wanted.cap; i++)
		free((char *)wanted.e[i].key);
	free(wanted.e);
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
