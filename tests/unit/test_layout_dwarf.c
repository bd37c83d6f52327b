/* test_layout_dwarf — every field of every built-in layout table
 * (attach/layout.c) against the DWARF of every real build it describes,
 * and the runtime refinements (layout_for's _Py_DebugOffsets overlay,
 * layout_fit's memory checks) against the same builds.
 *
 * Builds: pyenv's libpythons (/root/.pyenv/versions, DWARF in the .so and
 * its lib-dynload modules) and Debian's stripped production builds
 * prepared by scripts/interpreters.sh (sid's python3.13/3.14/3.15 and
 * Debian 13's 3.13.5, DWARF from their -dbg packages found by build id,
 * headers from libpython3.X-dev).
 *
 * Each row maps one struct py_layout field to a list of clauses
 * {first version, last version, spec} (versions as 100*major+minor: 207,
 * 306 … 315; the first clause whose range holds the build's version
 * applies).  Spec forms:
 *
 *   "Type.a.b"          offsetof(Type, a.b) (anonymous members searched);
 *                       Type is a typedef name or "struct X" / "union X"
 *   "sizeof Type"       DW_AT_byte_size of the (typedef-resolved) type
 *   "bit Type.a.b"      bit position of bitfield b inside a
 *   "count Type.a"      number of elements of array member a
 *   "enum NAME"         value of the enumerator NAME
 *   "!Type.a|Type2.b"   the version has no such field: the table must hold
 *                       -1, each Type must exist and must NOT have the
 *                       member (so a renamed or unindexed type cannot make
 *                       the check pass vacuously); "!Type" = no such type;
 *                       "!enum NAME" = no such enumerator (the table
 *                       holds PY_ENUM_NONE: -1 is a real enum value)
 *   "hdr F|needle|k"    not a struct member (pre-header words): the header
 *                       include/pythonX.Y/F must contain `needle` verbatim,
 *                       and the value is k * sizeof(PyObject *)
 *   "hdrval F|needle|N" the header must contain `needle`; the value is N
 *                       (macros DWARF does not carry, e.g. Py_TAG_BITS)
 *   "nohdr F|needle"    the header must NOT contain `needle`; value 0
 *   "=N reason"         not DWARF-checkable at all; value must be N
 *
 * Rows marked FIT hold a default that layout_fit() corrects from memory
 * (Debian's 3.13 builds place the GC generations 4 bytes before
 * upstream's).  For those, the table may differ from a build's DWARF only
 * if layout_fit(), run on a synthetic memory image laid out exactly as that
 * build's DWARF says, turns the table value into the DWARF one — which the
 * fit check of every build verifies.
 *
 * The test also (a) proves the rows cover every int32 slot of struct
 * py_layout; (b) feeds deliberately wrong copies of each table to the
 * checker and requires it to complain, so it cannot pass vacuously;
 * (c) runs layout_for() on each 3.13+ build's real _Py_DebugOffsets (read
 * from the .PyRuntime bytes of its ELF) and requires exact agreement with
 * the table, then on tampered copies; (d) runs layout_fit() on synthetic
 * memory for every build, and with deliberately wrong tables, which must be
 * refused with "does not understand the memory layout".
 *
 * Mismatches print as `3.11.7 (pyenv) dict_keys: table 32, DWARF 40`.
 * A build whose files are missing is skipped with a note, except under CI
 * (env CI set), where scripts/test.sh has prepared every build and a
 * missing one is a failure.
 *
 * Usage: test_layout_dwarf [-v] [-p]   (-v every check; -p print the DWARF
 *        value of every row per build, to write a new table)
 * Env:   HEAPSCOPE_PYENV=/root/.pyenv/versions, HEAPSCOPE_CACHE=/var/cache/heapscope
 */
#include "layout.h"
#include "memsrc.h"
#include "pyfind.h"
#include "err.h"
#include "dwarfidx.h"
#include "layout_dbg.h"

#include <fcntl.h>
#include <glob.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static int verbose, print_mode;

/* ------------------------------------------------------------------ */
/* The mapping: layout field -> DWARF (or documented) source             */

struct clause { int lo, hi; const char *spec; };
#define MAXCL 6
struct row {
	const char *name;
	size_t off;             /* offsetof(struct py_layout, field) */
	int fit;                /* corrected from memory by layout_fit() */
	struct clause c[MAXCL];
};

#define F(f) #f, offsetof(struct py_layout, f), 0
#define FFIT(f) #f, offsetof(struct py_layout, f), 1
#define A(s) { 200, 399, s }                 /* every version */
#define UP(lo, s) { lo, 399, s }             /* lo and later */
#define TO(hi, s) { 200, hi, s }             /* up to hi */
#define R(lo, hi, s) { lo, hi, s }

/* Pre-header premises, shared by several rows. */
#define PCO "internal/pycore_object.h"
#define NO_MANAGED "nohdr object.h|Py_TPFLAGS_MANAGED_DICT"
#define NOIF "!struct _PyInterpreterFrame"
/* 2.7/3.6: no _PyRuntime; the GC state is static variables of gcmodule.c
 * (generations, enabled, collecting, ...) found by symbol, see pyfind.h */
#define NORT "!_PyRuntimeState"
#define NOGCS "!struct _gc_runtime_state"

static const struct row rows[] = {
	/* _PyRuntimeState */
	{ F(rt_interp_head), { TO(306, NORT), UP(307, "_PyRuntimeState.interpreters.head") } },
	{ F(rt_interp_main), { TO(306, NORT), UP(307, "_PyRuntimeState.interpreters.main") } },
	{ F(rt_gc), { TO(306, NORT), R(307, 308, "_PyRuntimeState.gc"), UP(309, "!_PyRuntimeState.gc") } },
	{ F(rt_main_thread), { TO(306, NORT), R(307, 307, "_PyRuntimeState.ceval.pending.main_thread"),
			       UP(308, "_PyRuntimeState.main_thread") } },

	/* PyInterpreterState */
	{ F(interp_next), { A("PyInterpreterState.next") } },
	{ F(interp_id), { TO(306, "!PyInterpreterState.id"), UP(307, "PyInterpreterState.id") } },
	{ F(interp_threads_head), { TO(310, "PyInterpreterState.tstate_head"),
				    UP(311, "PyInterpreterState.threads.head") } },
	{ F(interp_gc), { TO(308, "!PyInterpreterState.gc"), UP(309, "PyInterpreterState.gc") } },
	{ F(interp_modules), { TO(311, "PyInterpreterState.modules"),
			       UP(312, "PyInterpreterState.imports.modules") } },
	{ F(interp_sysdict), { A("PyInterpreterState.sysdict") } },
	{ F(interp_builtins), { A("PyInterpreterState.builtins") } },

	/* struct _gc_runtime_state */
	{ F(gc_enabled), { TO(306, NOGCS), UP(307, "struct _gc_runtime_state.enabled") } },
	{ F(gc_debug), { TO(306, NOGCS), UP(307, "struct _gc_runtime_state.debug") } },
	{ FFIT(gc_generations), { TO(306, "=0 the base is the static generations array itself"),
				  UP(307, "struct _gc_runtime_state.generations") } },
	{ F(gc_gen_size), { A("sizeof struct gc_generation") } },
	{ F(gc_gen_threshold), { A("struct gc_generation.threshold") } },
	{ F(gc_gen_count), { A("struct gc_generation.count") } },
	{ F(gc_generation0), { TO(306, NOGCS), UP(307, "struct _gc_runtime_state.generation0") } },
	{ F(gc_permanent), { TO(306, NOGCS), UP(307, "struct _gc_runtime_state.permanent_generation") } },
	{ F(gc_stats), { TO(306, NOGCS), R(307, 314, "struct _gc_runtime_state.generation_stats"),
			 UP(315, "=-1 3.15: generation_stats is a pointer (gc_stats_ptr)") } },
	{ F(gc_stats_ptr), { TO(314, "=-1 generation_stats is an inline array before 3.15"),
			     UP(315, "struct _gc_runtime_state.generation_stats") } },
	{ F(gcstats_young), { TO(314, "!struct gc_stats"), UP(315, "struct gc_stats.young") } },
	{ F(gcstats_young_len), { TO(314, "!struct gc_stats"), UP(315, "count struct gc_young_stats_buffer.items") } },
	{ F(gcstats_young_index), { TO(314, "!struct gc_stats"), UP(315, "struct gc_young_stats_buffer.index") } },
	{ F(gcstats_old), { TO(314, "!struct gc_stats"), UP(315, "struct gc_stats.old") } },
	{ F(gcstats_old_size), { TO(314, "!struct gc_stats"), UP(315, "sizeof struct gc_old_stats_buffer") } },
	{ F(gcstats_old_len), { TO(314, "!struct gc_stats"), UP(315, "count struct gc_old_stats_buffer.items") } },
	{ F(gcstats_old_index), { TO(314, "!struct gc_stats"), UP(315, "struct gc_old_stats_buffer.index") } },
	{ F(gc_stats_size), { R(207, 207, "!struct gc_generation_stats"), A("sizeof struct gc_generation_stats") } },
	{ F(gc_stats_collections), { R(207, 207, "!struct gc_generation_stats"), A("struct gc_generation_stats.collections") } },
	{ F(gc_stats_collected), { R(207, 207, "!struct gc_generation_stats"), A("struct gc_generation_stats.collected") } },
	{ F(gc_stats_uncollectable), { R(207, 207, "!struct gc_generation_stats"), A("struct gc_generation_stats.uncollectable") } },
	{ F(gc_collecting), { TO(306, NOGCS), UP(307, "struct _gc_runtime_state.collecting") } },
	{ F(gc_garbage), { TO(306, NOGCS), UP(307, "struct _gc_runtime_state.garbage") } },
	{ F(gc_callbacks), { TO(306, NOGCS), UP(307, "struct _gc_runtime_state.callbacks") } },
	{ F(gc_long_lived_total), { TO(306, NOGCS), UP(307, "struct _gc_runtime_state.long_lived_total") } },
	{ F(gc_long_lived_pending), { TO(306, NOGCS), UP(307, "struct _gc_runtime_state.long_lived_pending") } },

	/* PyThreadState */
	{ F(ts_next), { A("PyThreadState.next") } },
	{ F(ts_interp), { A("PyThreadState.interp") } },
	{ F(ts_frame), { TO(310, "PyThreadState.frame"), UP(311, "!PyThreadState.frame") } },
	{ F(ts_cframe), { TO(309, "!PyThreadState.cframe"), R(310, 312, "PyThreadState.cframe"),
			  UP(313, "!PyThreadState.cframe") } },
	/* 3.10's CFrame exists but has no current_frame: that is checked. */
	{ F(cframe_current_frame), { TO(309, "!CFrame|_PyCFrame"), R(310, 310, "!CFrame.current_frame"),
				     R(311, 312, "_PyCFrame.current_frame"), UP(313, "!_PyCFrame") } },
	{ F(ts_current_frame), { TO(312, "!PyThreadState.current_frame"),
				 UP(313, "PyThreadState.current_frame") } },
	{ F(ts_thread_id), { A("PyThreadState.thread_id") } },
	{ F(ts_native_thread_id), { TO(310, "!PyThreadState.native_thread_id"),
				    UP(311, "PyThreadState.native_thread_id") } },
	{ F(ts_dict), { A("PyThreadState.dict") } },
	{ F(ts_async_exc), { A("PyThreadState.async_exc") } },
	{ F(ts_context), { TO(306, "!PyThreadState.context"), UP(307, "PyThreadState.context") } },
	{ F(ts_curexc_type), { TO(311, "PyThreadState.curexc_type"), UP(312, "!PyThreadState.curexc_type") } },
	{ F(ts_curexc_value), { TO(311, "PyThreadState.curexc_value"),
				UP(312, "PyThreadState.current_exception") } },
	{ F(ts_curexc_tb), { TO(311, "PyThreadState.curexc_traceback"),
			     UP(312, "!PyThreadState.curexc_traceback") } },
	{ F(ts_exc_info), { TO(306, "!PyThreadState.exc_info"), UP(307, "PyThreadState.exc_info") } },
	{ F(ts_exc_type), { TO(306, "PyThreadState.exc_type"), UP(307, "!PyThreadState.exc_type") } },
	{ F(ts_exc_value), { TO(306, "PyThreadState.exc_value"), UP(307, "!PyThreadState.exc_value") } },
	{ F(ts_exc_tb), { TO(306, "PyThreadState.exc_traceback"), UP(307, "!PyThreadState.exc_traceback") } },
	{ F(excitem_type), { TO(306, "!_PyErr_StackItem"), R(307, 310, "_PyErr_StackItem.exc_type"),
			     UP(311, "!_PyErr_StackItem.exc_type") } },
	{ F(excitem_value), { TO(306, "!_PyErr_StackItem"), UP(307, "_PyErr_StackItem.exc_value") } },
	{ F(excitem_tb), { TO(306, "!_PyErr_StackItem"), R(307, 310, "_PyErr_StackItem.exc_traceback"),
			   UP(311, "!_PyErr_StackItem.exc_traceback") } },
	{ F(excitem_previous), { TO(306, "!_PyErr_StackItem"), UP(307, "_PyErr_StackItem.previous_item") } },

	/* PyObject / PyVarObject / PyGC_Head */
	{ F(ob_refcnt), { A("PyObject.ob_refcnt") } },
	{ F(ob_type), { A("PyObject.ob_type") } },
	{ F(ob_size), { A("PyVarObject.ob_size") } },
	{ F(gc_head_size), { A("sizeof PyGC_Head") } },

	/* PyTypeObject / PyHeapTypeObject / PyMemberDef / PyMethodDef */
	{ F(tp_name), { A("PyTypeObject.tp_name") } },
	{ F(tp_basicsize), { A("PyTypeObject.tp_basicsize") } },
	{ F(tp_itemsize), { A("PyTypeObject.tp_itemsize") } },
	{ F(tp_dealloc), { A("PyTypeObject.tp_dealloc") } },
	{ F(tp_flags), { A("PyTypeObject.tp_flags") } },
	{ F(tp_traverse), { A("PyTypeObject.tp_traverse") } },
	{ F(tp_methods), { A("PyTypeObject.tp_methods") } },
	{ F(tp_weaklistoffset), { A("PyTypeObject.tp_weaklistoffset") } },
	{ F(tp_base), { A("PyTypeObject.tp_base") } },
	{ F(tp_dict), { A("PyTypeObject.tp_dict") } },
	{ F(tp_dictoffset), { A("PyTypeObject.tp_dictoffset") } },
	{ F(tp_bases), { A("PyTypeObject.tp_bases") } },
	{ F(tp_mro), { A("PyTypeObject.tp_mro") } },
	{ F(tp_cache), { A("PyTypeObject.tp_cache") } },
	{ F(tp_subclasses), { A("PyTypeObject.tp_subclasses") } },
	{ F(tp_is_gc), { A("PyTypeObject.tp_is_gc") } },
	{ F(type_size), { A("sizeof PyTypeObject") } },
	{ F(ht_name), { A("PyHeapTypeObject.ht_name") } },
	{ F(ht_slots), { A("PyHeapTypeObject.ht_slots") } },
	{ F(ht_qualname), { R(207, 207, "!PyHeapTypeObject.ht_qualname"), A("PyHeapTypeObject.ht_qualname") } },
	{ F(ht_cached_keys), { R(207, 207, "!PyHeapTypeObject.ht_cached_keys"), A("PyHeapTypeObject.ht_cached_keys") } },
	{ F(ht_module), { TO(308, "!PyHeapTypeObject.ht_module"), UP(309, "PyHeapTypeObject.ht_module") } },
	{ F(heaptype_size), { A("sizeof PyHeapTypeObject") } },
	{ F(member_size), { A("sizeof PyMemberDef") } },
	{ F(member_name), { A("PyMemberDef.name") } },
	{ F(member_type), { A("PyMemberDef.type") } },
	{ F(member_offset), { A("PyMemberDef.offset") } },
	{ F(ml_name), { A("PyMethodDef.ml_name") } },
	{ F(ml_flags), { A("PyMethodDef.ml_flags") } },
	{ F(moddef_size), { R(207, 207, "!PyModuleDef"), A("PyModuleDef.m_size") } },
	{ F(moddef_traverse), { R(207, 207, "!PyModuleDef"), A("PyModuleDef.m_traverse") } },

	/* str */
	{ F(str_length), { R(207, 207, "PyUnicodeObject.length"), A("PyASCIIObject.length") } },
	{ F(str_hash), { R(207, 207, "PyUnicodeObject.hash"), A("PyASCIIObject.hash") } },
	{ F(str_state), { R(207, 207, "!PyASCIIObject"), A("PyASCIIObject.state") } },
	{ F(str_ascii_size), { R(207, 207, "!PyASCIIObject"), A("sizeof PyASCIIObject") } },
	{ F(str_compact_size), { R(207, 207, "!PyCompactUnicodeObject"), A("sizeof PyCompactUnicodeObject") } },
	{ F(str_utf8_length), { R(207, 207, "!PyCompactUnicodeObject"), A("PyCompactUnicodeObject.utf8_length") } },
	{ F(str_utf8), { R(207, 207, "!PyCompactUnicodeObject"), A("PyCompactUnicodeObject.utf8") } },
	{ F(str_wstr), { R(207, 207, "!PyASCIIObject"), TO(311, "PyASCIIObject.wstr"), UP(312, "!PyASCIIObject.wstr") } },
	{ F(str_wstr_length), { R(207, 207, "!PyCompactUnicodeObject"), TO(311, "PyCompactUnicodeObject.wstr_length"),
				UP(312, "!PyCompactUnicodeObject.wstr_length") } },
	{ F(str_data), { R(207, 207, "!PyUnicodeObject.data"), A("PyUnicodeObject.data") } },
	{ F(ustr_str), { R(207, 207, "PyUnicodeObject.str"), A("!PyUnicodeObject.str") } },
	{ F(ustr_defenc), { R(207, 207, "PyUnicodeObject.defenc"), A("!PyUnicodeObject.defenc") } },
	{ F(ustr_unit), { R(207, 207, "sizeof Py_UNICODE"), A("=-1 Py_UNICODE buffers are 2.7's unicode only") } },
	{ F(state_interned_bit), { R(207, 207, "!PyASCIIObject"), A("bit PyASCIIObject.state.interned") } },
	{ F(state_kind_bit), { R(207, 207, "!PyASCIIObject"), A("bit PyASCIIObject.state.kind") } },
	{ F(state_compact_bit), { R(207, 207, "!PyASCIIObject"), A("bit PyASCIIObject.state.compact") } },
	{ F(state_ascii_bit), { R(207, 207, "!PyASCIIObject"), A("bit PyASCIIObject.state.ascii") } },
	{ F(state_ready_bit), { R(207, 207, "!PyASCIIObject"), TO(311, "bit PyASCIIObject.state.ready"),
				UP(312, "!PyASCIIObject.state.ready") } },

	/* 2.7 str and int */
	{ F(pystr_shash), { R(207, 207, "PyStringObject.ob_shash"), A("!PyStringObject") } },
	{ F(pystr_sstate), { R(207, 207, "PyStringObject.ob_sstate"), A("!PyStringObject") } },
	{ F(pystr_sval), { R(207, 207, "PyStringObject.ob_sval"), A("!PyStringObject") } },
	{ F(int_ival), { R(207, 207, "PyIntObject.ob_ival"), A("!PyIntObject") } },

	/* int */
	{ F(long_digits), { TO(311, "PyLongObject.ob_digit"), UP(312, "PyLongObject.long_value.ob_digit") } },
	{ F(long_lv_tag), { TO(311, "!PyLongObject.long_value"), UP(312, "PyLongObject.long_value.lv_tag") } },
	{ F(long_digit_size), { A("sizeof digit") } },

	/* float, complex, bytes, bytearray */
	{ F(float_fval), { A("PyFloatObject.ob_fval") } },
	{ F(complex_cval), { A("PyComplexObject.cval") } },
	{ F(bytes_shash), { R(207, 207, "!PyBytesObject"), A("PyBytesObject.ob_shash") } },
	{ F(bytes_sval), { R(207, 207, "!PyBytesObject"), A("PyBytesObject.ob_sval") } },
	{ F(bytearray_alloc), { A("PyByteArrayObject.ob_alloc") } },
	{ F(bytearray_bytes), { A("PyByteArrayObject.ob_bytes") } },
	{ F(bytearray_start), { R(207, 207, "!PyByteArrayObject.ob_start"), A("PyByteArrayObject.ob_start") } },
	{ F(bytearray_bytes_object), { TO(314, "!PyByteArrayObject.ob_bytes_object"),
				       UP(315, "PyByteArrayObject.ob_bytes_object") } },

	/* tuple, list */
	{ F(tuple_items), { A("PyTupleObject.ob_item") } },
	{ F(list_items), { A("PyListObject.ob_item") } },
	{ F(list_allocated), { A("PyListObject.allocated") } },

	/* dict */
	{ F(dict_used), { A("PyDictObject.ma_used") } },
	{ F(dict_keys), { R(207, 207, "!PyDictObject.ma_keys"), A("PyDictObject.ma_keys") } },
	{ F(dict_values), { R(207, 207, "!PyDictObject.ma_values"), A("PyDictObject.ma_values") } },
	{ F(dict_size), { A("sizeof PyDictObject") } },
	{ F(dict27_fill), { R(207, 207, "PyDictObject.ma_fill"), A("!PyDictObject.ma_fill") } },
	{ F(dict27_mask), { R(207, 207, "PyDictObject.ma_mask"), A("!PyDictObject.ma_mask") } },
	{ F(dict27_table), { R(207, 207, "PyDictObject.ma_table"), A("!PyDictObject.ma_table") } },
	{ F(dict27_smalltable), { R(207, 207, "PyDictObject.ma_smalltable"), A("!PyDictObject.ma_smalltable") } },
	{ F(keys_refcnt), { R(207, 207, "!PyDictKeysObject"), A("PyDictKeysObject.dk_refcnt") } },
	{ F(keys_size), { R(207, 207, "!PyDictKeysObject"), TO(310, "PyDictKeysObject.dk_size"), UP(311, "!PyDictKeysObject.dk_size") } },
	{ F(keys_lookup), { R(207, 207, "!PyDictKeysObject"), TO(310, "PyDictKeysObject.dk_lookup"), UP(311, "!PyDictKeysObject.dk_lookup") } },
	{ F(keys_log2_size), { R(207, 207, "!PyDictKeysObject"), TO(310, "!PyDictKeysObject.dk_log2_size"), UP(311, "PyDictKeysObject.dk_log2_size") } },
	{ F(keys_log2_index_bytes), { R(207, 207, "!PyDictKeysObject"), TO(310, "!PyDictKeysObject.dk_log2_index_bytes"),
				      UP(311, "PyDictKeysObject.dk_log2_index_bytes") } },
	{ F(keys_kind), { R(207, 207, "!PyDictKeysObject"), TO(310, "!PyDictKeysObject.dk_kind"), UP(311, "PyDictKeysObject.dk_kind") } },
	{ F(keys_usable), { R(207, 207, "!PyDictKeysObject"), A("PyDictKeysObject.dk_usable") } },
	{ F(keys_nentries), { R(207, 207, "!PyDictKeysObject"), A("PyDictKeysObject.dk_nentries") } },
	{ F(keys_indices), { R(207, 207, "!PyDictKeysObject"), A("PyDictKeysObject.dk_indices") } },
	{ F(keys_header_size), { R(207, 207, "!PyDictKeysObject"), A("sizeof PyDictKeysObject") } },
	{ F(keyentry_size), { R(207, 207, "sizeof PyDictEntry"), A("sizeof PyDictKeyEntry") } },
	{ F(unientry_size), { TO(310, "!PyDictUnicodeEntry"), UP(311, "sizeof PyDictUnicodeEntry") } },
	/* ≤3.10 has no PyDictValues: ma_values is a PyObject ** pointing at
	 * the array itself, so layout.c uses 0 ("array at +0").  That is a
	 * convention, not a struct member; the 3.11+ rows check the real one. */
	{ F(values_values), { TO(310, "=0 ma_values is a bare PyObject** before 3.11 (array at +0)"),
			      UP(311, "PyDictValues.values") } },
	{ F(values_capacity), { TO(310, "!PyDictValues"), R(311, 312, "!PyDictValues.capacity"),
				UP(313, "PyDictValues.capacity") } },
	{ F(values_size), { TO(310, "!PyDictValues"), R(311, 312, "!PyDictValues.size"),
			    UP(313, "PyDictValues.size") } },
	{ F(values_embedded), { TO(310, "!PyDictValues"), R(311, 312, "!PyDictValues.embedded"),
				UP(313, "PyDictValues.embedded") } },
	{ F(values_valid), { TO(310, "!PyDictValues"), R(311, 312, "!PyDictValues.valid"),
			     UP(313, "PyDictValues.valid") } },

	/* set */
	{ F(set_fill), { A("PySetObject.fill") } },
	{ F(set_used), { A("PySetObject.used") } },
	{ F(set_mask), { A("PySetObject.mask") } },
	{ F(set_table), { A("PySetObject.table") } },
	{ F(set_smalltable), { A("PySetObject.smalltable") } },
	{ F(set_size), { A("sizeof PySetObject") } },
	{ F(setentry_size), { A("sizeof setentry") } },
	{ F(setentry_key), { A("setentry.key") } },

	/* code */
	{ F(co_argcount), { A("PyCodeObject.co_argcount") } },
	{ F(co_nlocals), { A("PyCodeObject.co_nlocals") } },
	{ F(co_stacksize), { A("PyCodeObject.co_stacksize") } },
	{ F(co_flags), { A("PyCodeObject.co_flags") } },
	{ F(co_firstlineno), { A("PyCodeObject.co_firstlineno") } },
	{ F(co_code), { TO(310, "PyCodeObject.co_code"), UP(311, "!PyCodeObject.co_code") } },
	{ F(co_code_adaptive), { TO(310, "!PyCodeObject.co_code_adaptive"), UP(311, "PyCodeObject.co_code_adaptive") } },
	{ F(co_consts), { A("PyCodeObject.co_consts") } },
	{ F(co_names), { A("PyCodeObject.co_names") } },
	{ F(co_varnames), { TO(310, "PyCodeObject.co_varnames"), UP(311, "!PyCodeObject.co_varnames") } },
	{ F(co_cellvars), { TO(310, "PyCodeObject.co_cellvars"), UP(311, "!PyCodeObject.co_cellvars") } },
	{ F(co_freevars), { TO(310, "PyCodeObject.co_freevars"), UP(311, "!PyCodeObject.co_freevars") } },
	{ F(co_localsplusnames), { TO(310, "!PyCodeObject.co_localsplusnames"),
				   UP(311, "PyCodeObject.co_localsplusnames") } },
	{ F(co_localspluskinds), { TO(310, "!PyCodeObject.co_localspluskinds"),
				   UP(311, "PyCodeObject.co_localspluskinds") } },
	{ F(co_nlocalsplus), { TO(310, "!PyCodeObject.co_nlocalsplus"), UP(311, "PyCodeObject.co_nlocalsplus") } },
	{ F(co_framesize), { TO(311, "!PyCodeObject.co_framesize"), UP(312, "PyCodeObject.co_framesize") } },
	{ F(co_filename), { A("PyCodeObject.co_filename") } },
	{ F(co_name), { A("PyCodeObject.co_name") } },
	{ F(co_qualname), { TO(310, "!PyCodeObject.co_qualname"), UP(311, "PyCodeObject.co_qualname") } },
	{ F(co_lnotab), { TO(309, "PyCodeObject.co_lnotab"), UP(310, "!PyCodeObject.co_lnotab") } },
	{ F(co_linetable), { TO(309, "!PyCodeObject.co_linetable"), UP(310, "PyCodeObject.co_linetable") } },
	{ F(co_firsttraceable), { TO(310, "!PyCodeObject._co_firsttraceable"),
				  UP(311, "PyCodeObject._co_firsttraceable") } },
	{ F(code_size), { A("sizeof PyCodeObject") } },

	/* function */
	{ F(fn_code), { A("PyFunctionObject.func_code") } },
	{ F(fn_globals), { A("PyFunctionObject.func_globals") } },
	{ F(fn_builtins), { TO(309, "!PyFunctionObject.func_builtins"), UP(310, "PyFunctionObject.func_builtins") } },
	{ F(fn_defaults), { A("PyFunctionObject.func_defaults") } },
	{ F(fn_kwdefaults), { R(207, 207, "!PyFunctionObject.func_kwdefaults"), A("PyFunctionObject.func_kwdefaults") } },
	{ F(fn_closure), { A("PyFunctionObject.func_closure") } },
	{ F(fn_doc), { A("PyFunctionObject.func_doc") } },
	{ F(fn_name), { A("PyFunctionObject.func_name") } },
	{ F(fn_dict), { A("PyFunctionObject.func_dict") } },
	{ F(fn_weakreflist), { A("PyFunctionObject.func_weakreflist") } },
	{ F(fn_module), { A("PyFunctionObject.func_module") } },
	{ F(fn_annotations), { R(207, 207, "!PyFunctionObject.func_annotations"), A("PyFunctionObject.func_annotations") } },
	{ F(fn_qualname), { R(207, 207, "!PyFunctionObject.func_qualname"), A("PyFunctionObject.func_qualname") } },
	{ F(fn_typeparams), { TO(311, "!PyFunctionObject.func_typeparams"),
			      UP(312, "PyFunctionObject.func_typeparams") } },

	/* cell, method, builtin function, module, weakref */
	{ F(cell_ref), { A("PyCellObject.ob_ref") } },
	{ F(meth_func), { A("PyMethodObject.im_func") } },
	{ F(meth_self), { A("PyMethodObject.im_self") } },
	{ F(meth_class), { R(207, 207, "PyMethodObject.im_class"), A("!PyMethodObject.im_class") } },
	{ F(cfunc_ml), { A("PyCFunctionObject.m_ml") } },
	{ F(cfunc_self), { A("PyCFunctionObject.m_self") } },
	{ F(cfunc_module), { A("PyCFunctionObject.m_module") } },
	{ F(cmeth_class), { TO(308, "!PyCMethodObject"), UP(309, "PyCMethodObject.mm_class") } },
	{ F(mod_dict), { A("PyModuleObject.md_dict") } },
	{ F(mod_def), { R(207, 207, "!PyModuleObject.md_def"), TO(314, "PyModuleObject.md_def"), UP(315, "!PyModuleObject.md_def") } },
	{ F(mod_state), { R(207, 207, "!PyModuleObject.md_state"), A("PyModuleObject.md_state") } },
	{ F(mod_name), { R(207, 207, "!PyModuleObject.md_name"), A("PyModuleObject.md_name") } },
	{ F(mod_state_traverse), { TO(314, "!PyModuleObject.md_state_traverse"),
				   UP(315, "PyModuleObject.md_state_traverse") } },
	{ F(mod_state_size), { TO(314, "!PyModuleObject.md_state_size"),
			       UP(315, "PyModuleObject.md_state_size") } },
	{ F(wr_object), { A("PyWeakReference.wr_object") } },
	{ F(wr_callback), { A("PyWeakReference.wr_callback") } },

	/* 2.7 old-style classes */
	{ F(class_bases), { R(207, 207, "PyClassObject.cl_bases"), A("!PyClassObject") } },
	{ F(class_dict), { R(207, 207, "PyClassObject.cl_dict"), A("!PyClassObject") } },
	{ F(class_name), { R(207, 207, "PyClassObject.cl_name"), A("!PyClassObject") } },
	{ F(class_getattr), { R(207, 207, "PyClassObject.cl_getattr"), A("!PyClassObject") } },
	{ F(class_setattr), { R(207, 207, "PyClassObject.cl_setattr"), A("!PyClassObject") } },
	{ F(class_delattr), { R(207, 207, "PyClassObject.cl_delattr"), A("!PyClassObject") } },
	{ F(inst_class), { R(207, 207, "PyInstanceObject.in_class"), A("!PyInstanceObject") } },
	{ F(inst_dict), { R(207, 207, "PyInstanceObject.in_dict"), A("!PyInstanceObject") } },

	/* PyFrameObject */
	{ F(frame_back), { A("PyFrameObject.f_back") } },
	{ F(frame_code), { TO(310, "PyFrameObject.f_code"), UP(311, "!PyFrameObject.f_code") } },
	{ F(frame_builtins), { TO(310, "PyFrameObject.f_builtins"), UP(311, "!PyFrameObject.f_builtins") } },
	{ F(frame_globals), { TO(310, "PyFrameObject.f_globals"), UP(311, "!PyFrameObject.f_globals") } },
	{ F(frame_locals), { TO(310, "PyFrameObject.f_locals"), UP(311, "!PyFrameObject.f_locals") } },
	{ F(frame_valuestack), { TO(310, "PyFrameObject.f_valuestack"), UP(311, "!PyFrameObject.f_valuestack") } },
	/* ≤3.9: PyObject **f_stacktop; 3.10: int f_stackdepth */
	{ F(frame_stacktop), { TO(309, "PyFrameObject.f_stacktop"), R(310, 310, "PyFrameObject.f_stackdepth"),
			       UP(311, "!PyFrameObject.f_stacktop|PyFrameObject.f_stackdepth") } },
	{ F(frame_lasti), { TO(310, "PyFrameObject.f_lasti"), UP(311, "!PyFrameObject.f_lasti") } },
	{ F(frame_lineno), { A("PyFrameObject.f_lineno") } },
	{ F(frame_trace), { A("PyFrameObject.f_trace") } },
	{ F(frame_state), { TO(309, "!PyFrameObject.f_state"), R(310, 310, "PyFrameObject.f_state"),
			    UP(311, "!PyFrameObject.f_state") } },
	{ F(frame_exc_type), { TO(306, "PyFrameObject.f_exc_type"), UP(307, "!PyFrameObject.f_exc_type") } },
	{ F(frame_exc_value), { TO(306, "PyFrameObject.f_exc_value"), UP(307, "!PyFrameObject.f_exc_value") } },
	{ F(frame_exc_tb), { TO(306, "PyFrameObject.f_exc_traceback"),
			     UP(307, "!PyFrameObject.f_exc_traceback") } },
	{ F(frame_localsplus), { TO(310, "PyFrameObject.f_localsplus"), UP(311, "!PyFrameObject.f_localsplus") } },
	{ F(frame_frame), { TO(310, "!PyFrameObject.f_frame"), UP(311, "PyFrameObject.f_frame") } },
	{ F(frame_extra_locals), { TO(312, "!PyFrameObject.f_extra_locals"),
				   UP(313, "PyFrameObject.f_extra_locals") } },
	{ F(frame_locals_cache), { TO(312, "!PyFrameObject.f_locals_cache"),
				   UP(313, "PyFrameObject.f_locals_cache") } },
	{ F(frame_size), { A("sizeof PyFrameObject") } },
	{ F(frame_data), { TO(310, "!PyFrameObject._f_frame_data"), UP(311, "PyFrameObject._f_frame_data") } },

	/* _PyInterpreterFrame (3.11+) */
	{ F(iframe_code), { TO(310, NOIF), R(311, 312, "struct _PyInterpreterFrame.f_code"),
			    UP(313, "struct _PyInterpreterFrame.f_executable") } },
	{ F(iframe_previous), { TO(310, NOIF), UP(311, "struct _PyInterpreterFrame.previous") } },
	{ F(iframe_func), { TO(310, NOIF), R(311, 311, "struct _PyInterpreterFrame.f_func"),
			    UP(312, "struct _PyInterpreterFrame.f_funcobj") } },
	{ F(iframe_globals), { TO(310, NOIF), UP(311, "struct _PyInterpreterFrame.f_globals") } },
	{ F(iframe_builtins), { TO(310, NOIF), UP(311, "struct _PyInterpreterFrame.f_builtins") } },
	{ F(iframe_locals), { TO(310, NOIF), UP(311, "struct _PyInterpreterFrame.f_locals") } },
	{ F(iframe_frame_obj), { TO(310, NOIF), UP(311, "struct _PyInterpreterFrame.frame_obj") } },
	{ F(iframe_prev_instr), { TO(310, NOIF), R(311, 312, "struct _PyInterpreterFrame.prev_instr"),
				  UP(313, "struct _PyInterpreterFrame.instr_ptr") } },
	{ F(iframe_stacktop), { TO(310, NOIF), R(311, 313, "struct _PyInterpreterFrame.stacktop"),
				UP(314, "!struct _PyInterpreterFrame.stacktop") } },
	{ F(iframe_stackpointer), { TO(310, NOIF), R(311, 313, "!struct _PyInterpreterFrame.stackpointer"),
				    UP(314, "struct _PyInterpreterFrame.stackpointer") } },
	{ F(iframe_owner), { TO(310, NOIF), UP(311, "struct _PyInterpreterFrame.owner") } },
	{ F(iframe_localsplus), { TO(310, NOIF), UP(311, "struct _PyInterpreterFrame.localsplus") } },
	{ F(owner_thread), { TO(310, "!enum FRAME_OWNED_BY_THREAD"), UP(311, "enum FRAME_OWNED_BY_THREAD") } },
	{ F(owner_generator), { TO(310, "!enum FRAME_OWNED_BY_GENERATOR"), UP(311, "enum FRAME_OWNED_BY_GENERATOR") } },
	{ F(owner_frame_object), { TO(310, "!enum FRAME_OWNED_BY_FRAME_OBJECT"),
				   UP(311, "enum FRAME_OWNED_BY_FRAME_OBJECT") } },
	{ F(owner_cstack), { TO(311, "!enum FRAME_OWNED_BY_CSTACK"), R(312, 314, "enum FRAME_OWNED_BY_CSTACK"),
			     UP(315, "!enum FRAME_OWNED_BY_CSTACK") } },
	{ F(owner_interpreter), { TO(313, "!enum FRAME_OWNED_BY_INTERPRETER"),
				  UP(314, "enum FRAME_OWNED_BY_INTERPRETER") } },
	/* Py_TAG_BITS of the default (GIL) build: in 3.14 the #else branch of
	 * pycore_stackref.h (its first Py_TAG_BITS, 0, is the debug build's);
	 * 3.15 has one for every build.  Tagged ints are (bits & 3) == 3. */
	{ F(stackref_tag_mask), { TO(313, "=0 frames hold plain PyObject * before 3.14"),
				  R(314, 314, "hdrval internal/pycore_stackref.h|#define Py_TAG_BITS     ((uintptr_t)1)|1"),
				  UP(315, "hdrval internal/pycore_stackref.h|#define Py_TAG_BITS 3|3") } },

	/* tracemalloc: ≤3.11 statics of Modules/_tracemalloc.c, 3.12+ in
	 * _PyRuntime (Python/tracemalloc.c); not read before 3.8 */
#define TM0 TO(306, "=-1 tracemalloc is read from 3.7 on")
	{ FFIT(rt_tracemalloc), { TM0, R(307, 311, "!_PyRuntimeState.tracemalloc"),
			       UP(312, "_PyRuntimeState.tracemalloc") } },
	{ F(tmrt_config), { TM0, R(307, 311, "!struct _tracemalloc_runtime_state"),
			    UP(312, "struct _tracemalloc_runtime_state.config") } },
	{ F(tmrt_traces), { TM0, R(307, 311, "!struct _tracemalloc_runtime_state"),
			    UP(312, "struct _tracemalloc_runtime_state.traces") } },
	{ F(tmcfg_initialized), { TM0, R(307, 307, "=0 3.7: the static tracemalloc_config, an anonymous struct laid out as 3.8's _PyTraceMalloc_Config"), UP(307, "struct _PyTraceMalloc_Config.initialized") } },
	{ F(tmcfg_tracing), { TM0, R(307, 307, "=4 3.7: the static tracemalloc_config, an anonymous struct laid out as 3.8's _PyTraceMalloc_Config"), UP(307, "struct _PyTraceMalloc_Config.tracing") } },
	{ F(tmcfg_max_nframe), { TM0, R(307, 307, "=8 3.7: the static tracemalloc_config, an anonymous struct laid out as 3.8's _PyTraceMalloc_Config"), UP(307, "struct _PyTraceMalloc_Config.max_nframe") } },
	{ F(tmcfg_use_domain), { TM0, R(307, 307, "=12 3.7: the static tracemalloc_config, an anonymous struct laid out as 3.8's _PyTraceMalloc_Config"), R(307, 308, "struct _PyTraceMalloc_Config.use_domain"),
				 UP(309, "!struct _PyTraceMalloc_Config.use_domain") } },
	{ F(tmptr_domain), { TM0, R(307, 308, "pointer_t.domain"), UP(309, "!pointer_t") } },
	{ F(ht_nentries), { TM0, R(307, 308, "_Py_hashtable_t.entries"), UP(309, "_Py_hashtable_t.nentries") } },
	{ F(ht_nbuckets), { TM0, R(307, 308, "_Py_hashtable_t.num_buckets"),
			    UP(309, "_Py_hashtable_t.nbuckets") } },
	{ F(ht_buckets), { TM0, UP(307, "_Py_hashtable_t.buckets") } },
	{ F(ht_bucket_size), { TM0, UP(307, "sizeof _Py_slist_t") } },
	{ F(ht_key_size), { TM0, R(307, 308, "_Py_hashtable_t.key_size"), UP(309, "!_Py_hashtable_t.key_size") } },
	{ F(hte_next), { TM0, UP(307, "_Py_hashtable_entry_t._Py_slist_item.next") } },
	{ F(hte_key), { TM0, R(307, 308, "sizeof _Py_hashtable_entry_t"), UP(309, "_Py_hashtable_entry_t.key") } },
	{ F(hte_value), { TM0, R(307, 308, "!_Py_hashtable_entry_t.value"), UP(309, "_Py_hashtable_entry_t.value") } },
	{ F(tmtrace_size), { TM0, UP(307, "trace_t.size") } },
	{ F(tmtrace_traceback), { TM0, UP(307, "trace_t.traceback") } },
	{ F(tmtb_nframe), { TM0, UP(307, "traceback_t.nframe") } },
	{ F(tmtb_total_nframe), { TM0, R(307, 308, "!traceback_t.total_nframe"), UP(309, "traceback_t.total_nframe") } },
	{ F(tmtb_frames), { TM0, UP(307, "traceback_t.frames") } },
	{ F(tmframe_size), { TM0, UP(307, "sizeof frame_t") } },
	{ F(tmframe_filename), { TM0, UP(307, "frame_t.filename") } },
	{ F(tmframe_lineno), { TM0, UP(307, "frame_t.lineno") } },

	/* generator / coroutine / async generator */
	{ F(gen_frame), { TO(310, "PyGenObject.gi_frame"), UP(311, "!PyGenObject.gi_frame") } },
	{ F(gen_code), { TO(311, "PyGenObject.gi_code"), UP(312, "!PyGenObject.gi_code") } },
	{ F(gen_running), { TO(309, "PyGenObject.gi_running"), UP(310, "!PyGenObject.gi_running") } },
	{ F(gen_name), { R(207, 207, "!PyGenObject.gi_name"), A("PyGenObject.gi_name") } },
	{ F(gen_qualname), { R(207, 207, "!PyGenObject.gi_qualname"), A("PyGenObject.gi_qualname") } },
	{ F(gen_weakreflist), { A("PyGenObject.gi_weakreflist") } },
	{ F(gen_exc_type), { TO(306, "!PyGenObject.gi_exc_state"), R(307, 310, "PyGenObject.gi_exc_state.exc_type"),
			     UP(311, "!_PyErr_StackItem.exc_type") } },
	{ F(gen_exc_value), { TO(306, "!PyGenObject.gi_exc_state"), UP(307, "PyGenObject.gi_exc_state.exc_value") } },
	{ F(gen_exc_tb), { TO(306, "!PyGenObject.gi_exc_state"), R(307, 310, "PyGenObject.gi_exc_state.exc_traceback"),
			   UP(311, "!_PyErr_StackItem.exc_traceback") } },
	{ F(gen_frame_state), { TO(310, "!PyGenObject.gi_frame_state"), UP(311, "PyGenObject.gi_frame_state") } },
	{ F(gen_iframe), { TO(310, "!PyGenObject.gi_iframe"), UP(311, "PyGenObject.gi_iframe") } },
	{ F(agen_finalizer), { R(207, 207, "!PyAsyncGenObject"), TO(310, "PyAsyncGenObject.ag_finalizer"),
			       UP(311, "PyAsyncGenObject.ag_origin_or_finalizer") } },
	{ F(fs_created), { TO(309, "!enum FRAME_CREATED"), UP(310, "enum FRAME_CREATED") } },
	{ F(fs_suspended), { TO(309, "!enum FRAME_SUSPENDED"), UP(310, "enum FRAME_SUSPENDED") } },
	{ F(fs_suspended_yield_from), { TO(312, "!enum FRAME_SUSPENDED_YIELD_FROM"),
					UP(313, "enum FRAME_SUSPENDED_YIELD_FROM") } },
	{ F(fs_executing), { TO(309, "!enum FRAME_EXECUTING"), UP(310, "enum FRAME_EXECUTING") } },
	{ F(fs_completed), { TO(310, "!enum FRAME_COMPLETED"), R(311, 314, "enum FRAME_COMPLETED"),
			     UP(315, "!enum FRAME_COMPLETED") } },
	{ F(fs_cleared), { TO(309, "!enum FRAME_CLEARED"), UP(310, "enum FRAME_CLEARED") } },

	/* exceptions and tracebacks */
	{ F(exc_dict), { A("PyBaseExceptionObject.dict") } },
	{ F(exc_args), { A("PyBaseExceptionObject.args") } },
	{ F(exc_notes), { TO(310, "!PyBaseExceptionObject.notes"), UP(311, "PyBaseExceptionObject.notes") } },
	{ F(exc_traceback), { R(207, 207, "!PyBaseExceptionObject.traceback"), A("PyBaseExceptionObject.traceback") } },
	{ F(exc_context), { R(207, 207, "!PyBaseExceptionObject.context"), A("PyBaseExceptionObject.context") } },
	{ F(exc_cause), { R(207, 207, "!PyBaseExceptionObject.cause"), A("PyBaseExceptionObject.cause") } },
	{ F(tb_next), { A("PyTracebackObject.tb_next") } },
	{ F(tb_frame), { A("PyTracebackObject.tb_frame") } },
	{ F(tb_lasti), { A("PyTracebackObject.tb_lasti") } },
	{ F(tb_lineno), { A("PyTracebackObject.tb_lineno") } },

	/* descriptors and small builtins */
	{ F(prop_get), { A("propertyobject.prop_get") } },
	{ F(prop_set), { A("propertyobject.prop_set") } },
	{ F(prop_del), { A("propertyobject.prop_del") } },
	{ F(prop_doc), { A("propertyobject.prop_doc") } },
	{ F(prop_name), { TO(309, "!propertyobject.prop_name"), UP(310, "propertyobject.prop_name") } },
	{ F(cm_callable), { A("classmethod.cm_callable") } },
	{ F(cm_dict), { R(207, 207, "!classmethod.cm_dict"), A("classmethod.cm_dict") } },
	{ F(descr_type), { A("PyDescrObject.d_type") } },
	{ F(descr_name), { A("PyDescrObject.d_name") } },
	{ F(descr_qualname), { R(207, 207, "!PyDescrObject.d_qualname"), A("PyDescrObject.d_qualname") } },
	{ F(wrapper_descr), { A("wrapperobject.descr") } },
	{ F(wrapper_self), { A("wrapperobject.self") } },
	{ F(mp_mapping), { R(207, 207, "proxyobject.dict"), A("mappingproxyobject.mapping") } },
	{ F(super_type), { A("superobject.type") } },
	{ F(super_obj), { A("superobject.obj") } },
	{ F(super_objtype), { A("superobject.obj_type") } },
	{ F(slice_start), { A("PySliceObject.start") } },
	{ F(slice_stop), { A("PySliceObject.stop") } },
	{ F(slice_step), { A("PySliceObject.step") } },
	{ F(range_start), { R(207, 207, "=-1 2.7's xrange holds C longs (start, step, len), no objects"), A("rangeobject.start") } },
	{ F(range_stop), { R(207, 207, "!rangeobject.stop"), A("rangeobject.stop") } },
	{ F(range_step), { R(207, 207, "=-1 2.7's xrange holds C longs (start, step, len), no objects"), A("rangeobject.step") } },
	{ F(ns_dict), { R(207, 207, "!_PyNamespaceObject"), A("_PyNamespaceObject.ns_dict") } },

	/* stdlib C types */
	{ F(deque_leftblock), { A("dequeobject.leftblock") } },
	{ F(deque_rightblock), { A("dequeobject.rightblock") } },
	{ F(deque_leftindex), { A("dequeobject.leftindex") } },
	{ F(deque_maxlen), { A("dequeobject.maxlen") } },
	{ F(block_data), { A("struct BLOCK.data") } },
	{ F(block_rightlink), { A("struct BLOCK.rightlink") } },
	{ F(deque_blocklen), { A("count struct BLOCK.data") } },
	{ F(block_size), { A("sizeof struct BLOCK") } },
	{ F(deque_len), { R(207, 207, "dequeobject.len"), UP(300, "!dequeobject.len") } },
	{ F(od_first), { R(207, 207, "!PyODictObject"), A("PyODictObject.od_first") } },
	{ F(od_inst_dict), { R(207, 207, "!PyODictObject"), A("PyODictObject.od_inst_dict") } },
	{ F(od_fast_nodes_size), { R(207, 207, "!PyODictObject"), A("PyODictObject.od_fast_nodes_size") } },
	{ F(odnode_key), { R(207, 207, "!_ODictNode"), A("_ODictNode.key") } },
	{ F(odnode_next), { R(207, 207, "!_ODictNode"), A("_ODictNode.next") } },
	{ F(odnode_size), { R(207, 207, "!_ODictNode"), A("sizeof _ODictNode") } },
	{ F(dd_factory), { A("defdictobject.default_factory") } },
	{ F(partial_fn), { A("partialobject.fn") } },
	{ F(partial_args), { A("partialobject.args") } },
	{ F(partial_kw), { A("partialobject.kw") } },
	{ F(partial_dict), { A("partialobject.dict") } },
	{ F(lru_root_next), { R(207, 207, "!lru_list_elem"), A("lru_list_elem.next") } },
	{ F(lru_elem_key), { R(207, 207, "!lru_list_elem"), A("lru_list_elem.key") } },
	{ F(lru_elem_result), { R(207, 207, "!lru_list_elem"), A("lru_list_elem.result") } },
	{ F(lru_cache), { R(207, 207, "!lru_cache_object"), A("lru_cache_object.cache") } },
	{ F(lru_func), { R(207, 207, "!lru_cache_object"), A("lru_cache_object.func") } },
	{ F(lru_maxsize), { R(207, 207, "!lru_cache_object"), A("lru_cache_object.maxsize") } },
	{ F(lru_kwd_mark), { R(207, 207, "!lru_cache_object"), TO(309, "!lru_cache_object.kwd_mark"), UP(310, "lru_cache_object.kwd_mark") } },
	{ F(lru_elem_type), { R(207, 207, "!lru_cache_object"), TO(309, "!lru_cache_object.lru_list_elem_type"),
			      UP(310, "lru_cache_object.lru_list_elem_type") } },
	{ F(lru_info_type), { R(207, 207, "!lru_cache_object"), A("lru_cache_object.cache_info_type") } },
	{ F(lru_dict), { R(207, 207, "!lru_cache_object"), A("lru_cache_object.dict") } },
	{ F(lru_maxsize_obj), { R(207, 207, "!lru_cache_object"), TO(306, "lru_cache_object.maxsize_O"), UP(307, "!lru_cache_object.maxsize_O") } },
	{ F(buffered_buffer), { A("buffered.buffer") } },
	{ F(buffered_buffer_size), { A("buffered.buffer_size") } },
	{ F(bytesio_buf), { A("bytesio.buf") } },
	{ F(bytesio_buf_size), { R(207, 207, "bytesio.buf_size"), UP(300, "!bytesio.buf_size") } },
	{ F(struct_s_codes), { A("PyStructObject.s_codes") } },
	{ F(formatcode_size), { A("sizeof formatcode") } },
	{ F(array_ob_item), { A("arrayobject.ob_item") } },
	{ F(array_allocated), { A("arrayobject.allocated") } },
	{ F(array_descr), { A("arrayobject.ob_descr") } },
	{ F(arraydescr_itemsize), { A("struct arraydescr.itemsize") } },
	{ F(arena_address), { A("struct arena_object.address") } },
	{ F(arena_pool_address), { A("struct arena_object.pool_address") } },
	{ F(arena_nfreepools), { A("struct arena_object.nfreepools") } },
	{ F(arena_ntotalpools), { A("struct arena_object.ntotalpools") } },
	{ F(arena_object_size), { A("sizeof struct arena_object") } },
	{ F(pool_count), { A("struct pool_header.ref") } },
	{ F(pool_arenaindex), { A("struct pool_header.arenaindex") } },
	{ F(pool_szidx), { A("struct pool_header.szidx") } },
	{ F(pool_nextoffset), { A("struct pool_header.nextoffset") } },
	{ F(pool_maxnextoffset), { A("struct pool_header.maxnextoffset") } },
	/* POOL_OVERHEAD: sizeof(struct pool_header) rounded up to ALIGNMENT (48 either way) */
	{ F(pool_header_size), { A("sizeof struct pool_header") } },
	/* Macros of Objects/obmalloc.c (3.12+: Include/internal/pycore_obmalloc.h)
	 * on 64-bit Linux: 3.10 made arenas 1 MiB and pools 16 KiB where the
	 * radix tree is used (USE_LARGE_ARENAS, USE_LARGE_POOLS) */
	{ F(obm_arena_size), { R(200, 309, "=262144 ARENA_SIZE (256 KiB)"),
			       UP(310, "=1048576 ARENA_SIZE (1 MiB, USE_LARGE_ARENAS)") } },
	{ F(obm_pool_size), { R(200, 309, "=4096 POOL_SIZE (4 KiB)"),
			      UP(310, "=16384 POOL_SIZE (16 KiB, USE_LARGE_POOLS)") } },
	{ F(obm_alignment), { TO(299, "=8 ALIGNMENT (2.7)"),
			     R(300, 306, "=16 ALIGNMENT (3.6.15 too: sys._debugmallocstats() lists 32 size classes of 16 bytes)"),
			     UP(307, "=16 ALIGNMENT (16 on 64-bit since 3.8, backported to 3.7.x)") } },
	{ F(obm_small_threshold), { TO(299, "=256 SMALL_REQUEST_THRESHOLD (2.7)"), UP(300, "=512 SMALL_REQUEST_THRESHOLD") } },

	/* Pre-header words.  Not struct members: CPython addresses them with
	 * pointer arithmetic in pycore_object.h, so the check is that the
	 * installed header still says exactly that, times the DWARF pointer
	 * size.  3.13+'s needle is the non-free-threaded (#else) branch. */
	{ F(managed_dict_off), { TO(310, NO_MANAGED),
				 R(311, 311, "hdr " PCO "|return ((PyObject **)obj)-3;|-3"),
				 R(312, 312, "hdr " PCO "|return ((PyDictOrValues *)obj)-3;|-3"),
				 UP(313, "hdr " PCO "|#  define MANAGED_DICT_OFFSET    (((Py_ssize_t)sizeof(PyObject *))*-3)|-3") } },
	{ F(managed_values_off), { TO(310, NO_MANAGED),
				   R(311, 311, "hdr " PCO "|return ((PyDictValues **)obj)-4;|-4"),
				   UP(312, "nohdr " PCO "|_PyObject_ValuesPointer") } },
	{ F(managed_weakref_off), { TO(311, "nohdr object.h|Py_TPFLAGS_MANAGED_WEAKREF"),
				    R(312, 312, "hdr " PCO "|#define MANAGED_WEAKREF_OFFSET (((Py_ssize_t)sizeof(PyObject *))*-4)|-4"),
				    UP(313, "hdr " PCO "|#  define MANAGED_WEAKREF_OFFSET (((Py_ssize_t)sizeof(PyObject *))*-4)|-4") } },
	{ F(preheader_managed), { TO(310, NO_MANAGED),
				  R(311, 311, "hdr " PCO "|_PyType_HasFeature(tp, Py_TPFLAGS_MANAGED_DICT) * 2 * sizeof(PyObject *)|2"),
				  UP(312, "hdr " PCO "|_PyType_HasFeature(tp, Py_TPFLAGS_PREHEADER) * 2 * sizeof(PyObject *)|2") } },
};
#define NROWS (sizeof rows / sizeof rows[0])

_Static_assert(sizeof(struct py_layout) % sizeof(int32_t) == 0,
	       "struct py_layout is expected to be all 32-bit slots");

/* The spec of row r for version v (100*major+minor), or NULL. */
static const char *spec_for(const struct row *r, int v)
{
	for (int i = 0; i < MAXCL && r->c[i].spec; i++)
		if (v >= r->c[i].lo && v <= r->c[i].hi)
			return r->c[i].spec;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Builds                                                               */

#define MAXDW 6
struct build {
	char label[96];          /* "3.13.5 (Debian 13)" */
	int major, minor;
	char dwarf[MAXDW][PATH_MAX];
	int ndwarf;
	char incdir[PATH_MAX];
	char elf[PATH_MAX];      /* the ELF that defines _PyRuntime */
	char missing[PATH_MAX + 64]; /* why it cannot be tested, "" if it can */
};

static int vcode(const struct build *b) { return b->major * 100 + b->minor; }

/* Build id of an ELF file as hex, "" if none. */
static void build_id(const char *path, char *out, size_t cap)
{
	out[0] = 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	Elf_Scn *scn = NULL;
	while (e && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t off = 0, noff, doff;
		GElf_Nhdr nh;
		while (data && (off = gelf_getnote(data, off, &nh, &noff, &doff)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp((char *)data->d_buf + noff, "GNU", 4) && nh.n_descsz * 2 < cap) {
				const unsigned char *p = (const unsigned char *)data->d_buf + doff;
				for (size_t i = 0; i < nh.n_descsz; i++)
					sprintf(out + 2 * i, "%02x", p[i]);
				break;
			}
		}
		if (out[0])
			break;
	}
	if (e)
		elf_end(e);
	close(fd);
}

/* DWARF of a stripped ELF in `root`: root/usr/lib/debug/.build-id/xx/yyyy.debug */
static int debug_file_for(const char *elf, const char *root, char *out, size_t cap)
{
	char id[128];
	build_id(elf, id, sizeof id);
	if (strlen(id) < 4)
		return -1;
	snprintf(out, cap, "%s/usr/lib/debug/.build-id/%.2s/%s.debug", root, id, id + 2);
	return access(out, R_OK);
}

static int nbuilds;
static struct build builds[24];

static struct build *new_build(const char *label, int major, int minor)
{
	struct build *b = &builds[nbuilds++];
	memset(b, 0, sizeof *b);
	snprintf(b->label, sizeof b->label, "%s", label);
	b->major = major;
	b->minor = minor;
	return b;
}

static void add_dwarf(struct build *b, const char *path)
{
	if (b->ndwarf < MAXDW)
		snprintf(b->dwarf[b->ndwarf++], PATH_MAX, "%s", path);
}

/* pyenv: libpython with DWARF; modules outside libpython from lib-dynload. */
static void add_pyenv(const char *root, const char *ver, int major, int minor, const char *abi)
{
	char label[96], lib[PATH_MAX];
	snprintf(label, sizeof label, "%s (pyenv)", ver);
	struct build *b = new_build(label, major, minor);
	snprintf(lib, sizeof lib, "%s/%s/lib/libpython%d.%d%s.so.1.0", root, ver, major, minor, abi);
	snprintf(b->elf, sizeof b->elf, "%s", lib);
	snprintf(b->incdir, sizeof b->incdir, "%s/%s/include/python%d.%d%s", root, ver, major, minor, abi);
	if (access(lib, R_OK) != 0) {
		snprintf(b->missing, sizeof b->missing, "%s not installed", lib);
		return;
	}
	add_dwarf(b, lib);
	static const char *const mods[] = { "_struct", "_collections", "_functools", "_io", "array" };
	for (size_t i = 0; i < sizeof mods / sizeof *mods; i++) {
		char pat[PATH_MAX];
		glob_t g;
		snprintf(pat, sizeof pat, "%s/%s/lib/python%d.%d/lib-dynload/%s*.so", root, ver, major, minor, mods[i]);
		if (glob(pat, 0, NULL, &g) == 0 && g.gl_pathc == 1)
			add_dwarf(b, g.gl_pathv[0]);
		globfree(&g);
	}
}

/* Debian: a stripped interpreter in `root` (the sid tree, or Debian 13's
 * python3.13 unpacked in it); DWARF from the -dbg package by build id. */
static void add_debian(const char *root, const char *label, int minor)
{
	struct build *b = new_build(label, 3, minor);
	snprintf(b->elf, sizeof b->elf, "%s/usr/bin/python3.%d", root, minor);
	snprintf(b->incdir, sizeof b->incdir, "%s/usr/include/python3.%d", root, minor);
	char dbg[PATH_MAX];
	if (access(b->elf, R_OK) != 0) {
		snprintf(b->missing, sizeof b->missing, "%s not found (run scripts/interpreters.sh)", b->elf);
		return;
	}
	if (debug_file_for(b->elf, root, dbg, sizeof dbg) != 0) {
		snprintf(b->missing, sizeof b->missing, "no DWARF for %s (python3.%d-dbg)", b->elf, minor);
		return;
	}
	add_dwarf(b, dbg);
	/* Modules built as shared objects: their DWARF by build id too. */
	static const char *const mods[] = { "_struct" };
	for (size_t i = 0; i < sizeof mods / sizeof *mods; i++) {
		char pat[PATH_MAX], d2[PATH_MAX];
		glob_t g;
		snprintf(pat, sizeof pat, "%s/usr/lib/python3.%d/lib-dynload/%s*.so", root, minor, mods[i]);
		if (glob(pat, 0, NULL, &g) == 0 && g.gl_pathc == 1 &&
		    debug_file_for(g.gl_pathv[0], root, d2, sizeof d2) == 0)
			add_dwarf(b, d2);
		globfree(&g);
	}
}

static void find_builds(void)
{
	const char *pyenv = getenv("HEAPSCOPE_PYENV");
	const char *cache = getenv("HEAPSCOPE_CACHE");
	char sid[PATH_MAX], deb13[PATH_MAX];
	if (!pyenv || !*pyenv)
		pyenv = "/root/.pyenv/versions";
	if (!cache || !*cache)
		cache = "/var/cache/heapscope";
	add_pyenv(pyenv, "2.7.18", 2, 7, "");
	add_pyenv(pyenv, "3.6.15", 3, 6, "m");
	add_pyenv(pyenv, "3.7.16", 3, 7, "m");
	add_pyenv(pyenv, "3.8.18", 3, 8, "");
	add_pyenv(pyenv, "3.9.18", 3, 9, "");
	add_pyenv(pyenv, "3.10.13", 3, 10, "");
	add_pyenv(pyenv, "3.11.7", 3, 11, "");
	add_pyenv(pyenv, "3.12.1", 3, 12, "");
	add_pyenv(pyenv, "3.13.0", 3, 13, "");
	snprintf(sid, sizeof sid, "%s/sid", cache);
	snprintf(deb13, sizeof deb13, "%s/sid/opt/deb13", cache);
	add_debian(deb13, "3.13.5 (Debian 13)", 13);
	add_debian(sid, "3.13 (Debian sid)", 13);
	add_debian(sid, "3.14 (Debian sid)", 14);
	add_debian(sid, "3.15 (Debian sid)", 15);
}

/* ------------------------------------------------------------------ */
/* Checking                                                             */

struct counts { int dwarf, absent, hdr, cnst, fit, bad; };

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

static int header_has(const char *incdir, const char *file, size_t flen,
		      const char *needle, size_t nlen, int *found)
{
	char path[PATH_MAX + 256];
	snprintf(path, sizeof path, "%s/%.*s", incdir, (int)flen, file);
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

static const char *look_text(enum dw_look lk)
{
	return lk == DW_NO_TYPE ? "has no such type" : lk == DW_NO_MEMBER ? "has no such member" :
	       lk == DW_CONFLICT ? "has conflicting definitions" : "lookup error";
}

/* Evaluate a DWARF spec ("Type.a", "sizeof T", "bit T.a", "count T.a",
 * "enum N"); *val gets the value. */
static enum dw_look eval_dwarf(struct dwidx *d, const char *spec, size_t n, long *val)
{
	if (n > 7 && !strncmp(spec, "sizeof ", 7))
		return dwidx_sizeof(d, spec + 7, n - 7, val);
	if (n > 4 && !strncmp(spec, "bit ", 4))
		return dwidx_bitpos(d, spec + 4, n - 4, val);
	if (n > 6 && !strncmp(spec, "count ", 6))
		return dwidx_count(d, spec + 6, n - 6, val);
	if (n > 5 && !strncmp(spec, "enum ", 5))
		return dwidx_enum(d, spec + 5, n - 5, val);
	return dwidx_offsetof(d, spec, n, val);
}

/* What a spec says the value must be: 0 and *want, or 1 on a failed
 * premise (reported).  *kind counts it. */
static int expected(struct dwidx *d, const struct build *b, const char *field, const char *spec,
		    long tv, long *want, struct counts *c, int quiet)
{
	const char *ver = b->label;
	long dv = 0;
	enum dw_look lk;

	if (spec[0] == '=') {                           /* documented constant */
		char *end;
		*want = strtol(spec + 1, &end, 10);
		c->cnst++;
		return 0;
	}
	if (!strncmp(spec, "hdr ", 4) || !strncmp(spec, "nohdr ", 6) || !strncmp(spec, "hdrval ", 7)) {
		int present = spec[0] == 'h', isval = !strncmp(spec, "hdrval ", 7);
		const char *file = spec + (isval ? 7 : present ? 4 : 6);
		const char *bar1 = strchr(file, '|');
		const char *needle = bar1 ? bar1 + 1 : NULL;
		const char *bar2 = present && needle ? strrchr(needle, '|') : NULL;
		if (!bar1 || (present && !bar2)) {
			report(quiet, ver, field, "table %ld, malformed spec \"%s\"", tv, spec);
			return 1;
		}
		size_t nlen = bar2 ? (size_t)(bar2 - needle) : strlen(needle);
		int found = 0;
		c->hdr++;
		if (header_has(b->incdir, file, (size_t)(bar1 - file), needle, nlen, &found) != 0) {
			report(quiet, ver, field, "table %ld, header %s/%.*s not readable",
			       tv, b->incdir, (int)(bar1 - file), file);
			return 1;
		}
		if (found != present) {
			report(quiet, ver, field, "table %ld, header premise broken: %.*s %s \"%.*s\"",
			       tv, (int)(bar1 - file), file, present ? "lacks" : "now contains",
			       (int)nlen, needle);
			return 1;
		}
		*want = !present ? 0 : isval ? strtol(bar2 + 1, NULL, 10)
					     : strtol(bar2 + 1, NULL, 10) * dwidx_ptr_size(d);
		return 0;
	}
	if (spec[0] == '!') {                           /* field must not exist */
		c->absent++;
		const char *p = spec + 1;
		while (*p) {
			const char *bar = strchr(p, '|');
			size_t n = bar ? (size_t)(bar - p) : strlen(p);
			int is_enum = n > 5 && !strncmp(p, "enum ", 5);
			lk = eval_dwarf(d, p, n, &dv);
			if (!is_enum && lk == DW_NO_TYPE && memchr(p, '.', n)) {
				const char *dot = memchr(p, '.', n);
				report(quiet, ver, field, "table %ld, DWARF has no type %.*s "
				       "(cannot verify that %.*s is absent)", tv,
				       (int)(dot - p), p, (int)n, p);
				return 1;
			}
			if (lk == DW_ERROR || lk == DW_CONFLICT) {
				report(quiet, ver, field, "table %ld, DWARF %s (%.*s)", tv,
				       look_text(lk), (int)n, p);
				return 1;
			}
			if (lk == DW_FOUND) {
				report(quiet, ver, field, "table %ld, DWARF %s %.*s (value %ld)", tv,
				       memchr(p, '.', n) ? "has member" : "has", (int)n, p, dv);
				return 1;
			}
			p = bar ? bar + 1 : p + n;
		}
		/* an enum-valued field uses PY_ENUM_NONE, -1 being a value */
		*want = !strncmp(spec + 1, "enum ", 5) ? PY_ENUM_NONE : -1;
		return 0;
	}
	c->dwarf++;
	lk = eval_dwarf(d, spec, strlen(spec), &dv);
	if (lk != DW_FOUND) {
		report(quiet, ver, field, "table %ld, DWARF %s (%s)", tv, look_text(lk), spec);
		return 1;
	}
	*want = dv;
	return 0;
}

static long field_val(const struct py_layout *L, size_t off)
{
	int32_t v;
	memcpy(&v, (const char *)L + off, sizeof v);
	return v;
}

static void set_field(struct py_layout *L, size_t off, long v)
{
	int32_t x = (int32_t)v;
	memcpy((char *)L + off, &x, sizeof x);
}

/* Check a whole table against a build; fills *D with the DWARF truth
 * (the table's value where a premise failed).  Returns the number of
 * mismatches; FIT rows that differ are counted in c->fit, not as
 * mismatches (check_fit() must then prove layout_fit() repairs them). */
static int check_table(struct dwidx *d, const struct build *b, const struct py_layout *L,
		       struct py_layout *D, struct counts *c, int quiet)
{
	int bad = 0;
	memset(c, 0, sizeof *c);
	*D = *L;
	if (L->major != b->major || L->minor != b->minor) {
		report(quiet, b->label, "major/minor", "table %d.%d", L->major, L->minor);
		bad++;
	}
	if (L->from_debug_offsets || L->debug_offsets_mismatch) {
		report(quiet, b->label, "from_debug_offsets", "built-in table must have 0/0, has %d/%d",
		       L->from_debug_offsets, L->debug_offsets_mismatch);
		bad++;
	}
	for (size_t i = 0; i < NROWS; i++) {
		const char *spec = spec_for(&rows[i], vcode(b));
		long tv = field_val(L, rows[i].off), want = tv;
		if (!spec) {
			report(quiet, b->label, rows[i].name, "no spec for this version");
			bad++;
			continue;
		}
		if (expected(d, b, rows[i].name, spec, tv, &want, c, quiet)) {
			bad++;
			continue;
		}
		set_field(D, rows[i].off, want);
		if (print_mode && !quiet)
			printf("  %s .%s = %ld,%s\n", b->label, rows[i].name, want,
			       want != tv ? "   /* table differs */" : "");
		if (want == tv) {
			if (verbose && !quiet)
				printf("  %s %s = %ld  [%s]\n", b->label, rows[i].name, tv, spec);
			continue;
		}
		if (rows[i].fit) {
			c->fit++;
			if (!quiet)
				printf("  %s %s: table %ld, DWARF %ld: layout_fit() must correct it\n",
				       b->label, rows[i].name, tv, want);
			continue;
		}
		report(quiet, b->label, rows[i].name, "table %ld, %s %ld", tv,
		       spec[0] == '=' ? "documented constant" : spec[0] == '!' ? "absent, expected" :
		       strchr(spec, '|') && spec[0] != '!' ? "header says" : "DWARF", want);
		bad++;
	}
	c->bad = bad;
	return bad;
}

/* Every 32-bit slot of struct py_layout is either a row or one of the
 * four bookkeeping ints; duplicates are a table bug too; every version
 * with a built-in table has a spec in every row. */
static int check_coverage(void)
{
	enum { NSLOT = sizeof(struct py_layout) / sizeof(int32_t) };
	int seen[NSLOT] = {0}, bad = 0;
	seen[offsetof(struct py_layout, major) / 4]++;
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
		static const int vers[][2] = { {2, 7}, {3, 6}, {3, 7}, {3, 8}, {3, 9}, {3, 10}, {3, 11},
					      {3, 12}, {3, 13}, {3, 14}, {3, 15} };
		for (size_t v = 0; v < sizeof vers / sizeof *vers; v++)
			if (layout_builtin(vers[v][0], vers[v][1]) &&
			    !spec_for(&rows[i], vers[v][0] * 100 + vers[v][1])) {
				printf("coverage: field %s has no spec for %d.%d\n", rows[i].name,
				       vers[v][0], vers[v][1]);
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

/* The checker must be able to fail: perturb each field and expect a
 * complaint (output suppressed).  FIT rows are checked by check_fit. */
static int check_checker(struct dwidx *d, const struct build *b, const struct py_layout *L)
{
	struct counts c;
	struct py_layout D;
	int bad = 0;
	for (size_t i = 0; i < NROWS; i++) {
		if (rows[i].fit)
			continue;
		struct py_layout t = *L;
		long v = field_val(&t, rows[i].off);
		set_field(&t, rows[i].off, v == -1 ? 8 : v + 8);
		if (check_table(d, b, &t, &D, &c, 1) != 1) {
			printf("%s %s: checker did not notice a corrupted value (%d reports)\n",
			       b->label, rows[i].name, c.bad);
			bad++;
		}
	}
	return bad;
}

/* ------------------------------------------------------------------ */
/* layout_for() with the runtime's own _Py_DebugOffsets (3.13+)          */

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

/* A synthetic target memory: regions added one by one. */
static memsrc *mem_new(void)
{
	memsrc *m = memsrc_new(NULL, NULL);
	if (!m) {
		perror("memsrc_new");
		exit(2);
	}
	return m;
}

static unsigned char *mem_add(memsrc *m, uint64_t addr, uint64_t size)
{
	size = (size + 4095) & ~4095ULL;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	if (memsrc_add_region(m, addr, addr + size, p) != 0) {
		fprintf(stderr, "memsrc_add_region failed\n");
		exit(2);
	}
	return p;
}

static void put_u64(unsigned char *img, long off, uint64_t v) { memcpy(img + off, &v, 8); }
static void put_u32(unsigned char *img, long off, uint32_t v) { memcpy(img + off, &v, 4); }

static long dbg_off(struct dwidx *d, const struct build *b, const char *member)
{
	char spec[128];
	long v = -1;
	snprintf(spec, sizeof spec, "struct _Py_DebugOffsets.%s", member);
	if (dwidx_offsetof(d, spec, strlen(spec), &v) != DW_FOUND) {
		printf("%s debug offsets: DWARF has no _Py_DebugOffsets.%s\n", b->label, member);
		return -1;
	}
	return v;
}

#define EXPECT(cond, ...) do { if (!(cond)) { printf("  FAIL: " __VA_ARGS__); putchar('\n'); bad++; } } while (0)

/* Synthetic 2.7/3.6 targets (no _PyRuntime): the static variables pyfind
 * finds by symbol, as offsets from the address given to rt_for():
 * PyInterpreterState *interp_head, PyGC_Head *_PyGC_generation0,
 * int collecting, struct gc_generation generations[3] */
#define SYN_LEGACY_INTERP_HEAD 0
#define SYN_LEGACY_GENERATION0 8
#define SYN_LEGACY_COLLECTING  16
#define SYN_LEGACY_GENERATIONS 64

static void rt_for(const struct build *b, struct py_runtime_info *rt, uint64_t addr, uint64_t size)
{
	memset(rt, 0, sizeof *rt);
	rt->major = b->major;
	rt->minor = b->minor;
	/* a micro version every table supports (3.14.0-3.14.4 are refused) */
	rt->micro = 10;
	rt->version_hex = (unsigned)b->major << 24 | (unsigned)b->minor << 16 | 0x0af0;
	snprintf(rt->version, sizeof rt->version, "%d.%d.10", b->major, b->minor);
	snprintf(rt->path, sizeof rt->path, "%s", b->elf);
	rt->runtime = addr;
	rt->runtime_size = size;
	if (b->major == 2 || (b->major == 3 && b->minor < 7)) {
		/* no _PyRuntime: pyfind gives the static variables' addresses */
		rt->runtime = 0;
		rt->runtime_size = 0;
		rt->sym_interp_head = addr + SYN_LEGACY_INTERP_HEAD;
		rt->sym_gc_generation0 = addr + SYN_LEGACY_GENERATION0;
		rt->sym_gc_collecting = addr + SYN_LEGACY_COLLECTING;
		rt->sym_gc_generations = addr + SYN_LEGACY_GENERATIONS;
	}
}

/* layout_for() paths that need no target: unsupported versions, m==NULL. */
static int test_layout_for_basic(void)
{
	int bad = 0;
	struct py_runtime_info rt;
	struct py_layout L;
	struct hs_err err;
	char note[256];
	static const int unsupported[][2] = { {3, 5}, {3, 16}, {2, 6}, {4, 0} };

	for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
		memset(&rt, 0, sizeof rt);
		rt.major = unsupported[i][0];
		rt.minor = unsupported[i][1];
		snprintf(rt.version, sizeof rt.version, "%d.%d.0", rt.major, rt.minor);
		memset(&err, 0, sizeof err);
		enum hs_status st = layout_for(&rt, NULL, &L, note, sizeof note, &err);
		EXPECT(st == HS_ERR_UNSUPPORTED && err.code == HS_ERR_UNSUPPORTED,
		       "%s: status %d, want HS_ERR_UNSUPPORTED", rt.version, st);
		EXPECT(strstr(err.msg, PY_SUPPORTED_TEXT) && strstr(err.msg, rt.version),
		       "%s: message lacks version or supported list: %s", rt.version, err.msg);
	}
	/* 3.14.0-3.14.4: the incremental collector, refused by version */
	memset(&rt, 0, sizeof rt);
	rt.major = 3;
	rt.minor = 14;
	rt.micro = 3;
	rt.version_hex = 0x030e03f0;
	snprintf(rt.version, sizeof rt.version, "3.14.3");
	EXPECT(layout_for(&rt, NULL, &L, note, sizeof note, &err) == HS_ERR_UNSUPPORTED &&
	       strstr(err.msg, "incremental"), "3.14.3 accepted or unclear: %s", err.msg);
	memset(&rt, 0, sizeof rt);
	rt.major = 3;
	rt.minor = 13;
	rt.free_threaded = 1;
	EXPECT(layout_for(&rt, NULL, &L, note, sizeof note, &err) == HS_ERR_UNSUPPORTED,
	       "free-threaded build accepted");

	for (int major = 2; major <= 3; major++)
		for (int minor = 0; minor <= layout_newest_minor(); minor++) {
			if (!layout_builtin(major, minor))
				continue;
			memset(&rt, 0, sizeof rt);
			rt.major = major;
			rt.minor = minor;
			rt.micro = 10;      /* 3.14.0-3.14.4 are refused by version */
			rt.version_hex = (unsigned)major << 24 | (unsigned)minor << 16 | 0x0af0;
			rt.runtime = 0x1000;
			enum hs_status st = layout_for(&rt, NULL, &L, note, sizeof note, &err);
			EXPECT(st == HS_OK, "%d.%d with m=NULL: status %d", major, minor, st);
			EXPECT(st != HS_OK || (!memcmp(&L, layout_builtin(major, minor), sizeof L)),
			       "%d.%d with m=NULL: result differs from the built-in table", major, minor);
		}
	return bad;
}

/* 3.13+: real debug offsets from the build's ELF image, then broken copies. */
static int test_layout_for_dbg(struct dwidx *d, const struct build *b, const struct py_layout *D)
{
	int bad = 0;
	uint64_t addr = 0, size = 0;
	unsigned char *img = read_runtime_image(b->elf, &addr, &size);
	if (!img) {
		printf("%s debug offsets: cannot read _PyRuntime image from %s\n", b->label, b->elf);
		return 1;
	}
	const struct py_layout *B = layout_builtin(b->major, b->minor);
	struct py_runtime_info rt;
	rt_for(b, &rt, addr, size);

	long o_ver = dbg_off(d, b, "version"), o_ft = dbg_off(d, b, "free_threaded");
	long o_tup = dbg_off(d, b, "tuple_object.ob_item");
	long o_lst = dbg_off(d, b, "list_object.ob_item");
	long o_tsz = dbg_off(d, b, "tuple_object.size");
	long o_rts = dbg_off(d, b, "runtime_state.size");
	if (o_ver < 0 || o_ft < 0 || o_tup < 0 || o_lst < 0 || o_tsz < 0 || o_rts < 0) {
		free(img);
		return 1;
	}
	uint64_t ver_real;
	memcpy(&ver_real, img + o_ver, 8);

	/* attach/layout_dbg.c's position table against this build's DWARF */
	long dsz = -1;
	if (dwidx_sizeof(d, "struct _Py_DebugOffsets", 23, &dsz) != DW_FOUND ||
	    (size_t)dsz != dbg_struct_size(b->minor))
		EXPECT(0, "%s: sizeof(_Py_DebugOffsets) %ld, layout_dbg.c says %zu", b->label, dsz,
		       dbg_struct_size(b->minor));
	for (int f = 0; f < DO__COUNT; f++) {
		int pos;
		const char *path = dbg_member_path((enum dbg_field)f, b->minor, &pos);
		char spec[160];
		long v = -1;
		snprintf(spec, sizeof spec, "struct _Py_DebugOffsets.%s", path);
		enum dw_look lk = dwidx_offsetof(d, spec, strlen(spec), &v);
		if (pos >= 0)
			EXPECT(lk == DW_FOUND && v == pos, "%s: _Py_DebugOffsets.%s at %ld in DWARF, "
			       "layout_dbg.c says %d", b->label, path, lk == DW_FOUND ? v : -1L, pos);
		else
			EXPECT(lk == DW_NO_MEMBER, "%s: _Py_DebugOffsets.%s exists in DWARF (%ld), "
			       "layout_dbg.c says absent", b->label, path, v);
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
		{ "version of another minor", 0, 0, o_ver, ver_real - 0x10000, 0, 0 },
		{ "micro differs", 1, 0, o_ver, (ver_real & ~0xff00ULL) | 0x0900, 0, 0 },
		{ "free-threaded", 0, 0, o_ft, 1, 0, 0 },
		{ "offset outside its struct", 0, 0, o_tup, 1u << 21, 0, 0 },
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
		memsrc *m = mem_new();
		unsigned char *base = mem_add(m, addr & ~4095ULL, size + (addr & 4095) + 4096);
		memcpy(base + (addr & 4095), copy, size);
		struct py_layout L;
		struct hs_err err = {0};
		char note[256] = "";
		enum hs_status st = layout_for(&r, m, &L, note, sizeof note, &err);
		EXPECT(st == HS_OK, "%s %s: status %d (%s)", b->label, vs[i].what, st, err.msg);
		EXPECT(L.from_debug_offsets == vs[i].expect_applied,
		       "%s %s: from_debug_offsets %d, want %d", b->label, vs[i].what,
		       L.from_debug_offsets, vs[i].expect_applied);
		EXPECT(L.debug_offsets_mismatch == vs[i].expect_mismatch,
		       "%s %s: debug_offsets_mismatch %d, want %d", b->label, vs[i].what,
		       L.debug_offsets_mismatch, vs[i].expect_mismatch);
		/* Everything except the bookkeeping (and the one patched field)
		 * must equal the DWARF-checked built-in table, and for the
		 * genuine image the DWARF truth itself: the two agree. */
		struct py_layout cmp = L;
		cmp.from_debug_offsets = 0;
		cmp.debug_offsets_mismatch = 0;
		if (vs[i].expect_mismatch)
			cmp.list_items = B->list_items;
		EXPECT(!memcmp(&cmp, B, sizeof cmp), "%s %s: layout differs from built-in table",
		       b->label, vs[i].what);
		if (i == 0) {
			for (size_t k = 0; k < NROWS; k++)
				if (!rows[k].fit && field_val(&cmp, rows[k].off) != field_val(D, rows[k].off))
					EXPECT(0, "%s: debug offsets give %s = %ld, DWARF %ld", b->label,
					       rows[k].name, field_val(&cmp, rows[k].off),
					       field_val(D, rows[k].off));
		}
		if (vs[i].expect_mismatch)
			EXPECT(L.list_items == 32, "%s %s: list_items %d, want the runtime's 32",
			       b->label, vs[i].what, L.list_items);
		if (verbose)
			printf("  %s layout_for(%s): applied=%d mismatch=%d\n", b->label, vs[i].what,
			       L.from_debug_offsets, L.debug_offsets_mismatch);
		memsrc_free(m);
		free(copy);
	}

	/* A newer minor than any table, with this build's debug offsets
	 * relabelled: accepted only for the newest known minor's mirror,
	 * and the note says how it was read. */
	if (b->minor == layout_newest_minor()) {
		unsigned char *copy = malloc(size);
		memcpy(copy, img, size);
		put_u64(copy, o_ver, ver_real + 0x10000);
		struct py_runtime_info r = rt;
		r.minor = b->minor + 1;
		r.version_hex += 0x10000;
		snprintf(r.version, sizeof r.version, "3.%d.0a1", r.minor);
		memsrc *m = mem_new();
		unsigned char *base = mem_add(m, addr & ~4095ULL, size + (addr & 4095) + 4096);
		memcpy(base + (addr & 4095), copy, size);
		struct py_layout L;
		struct hs_err err = {0};
		char note[256] = "";
		enum hs_status st = layout_for(&r, m, &L, note, sizeof note, &err);
		EXPECT(st == HS_OK && L.from_debug_offsets && strstr(note, "debug offsets"),
		       "%s relabelled as 3.%d: status %d, applied %d, note \"%s\" (%s)", b->label,
		       r.minor, st, L.from_debug_offsets, note, err.msg);
		/* ... and refused when its debug offsets are not sane */
		put_u64(base + (addr & 4095), o_tsz, 1u << 20);
		st = layout_for(&r, m, &L, note, sizeof note, &err);
		EXPECT(st == HS_ERR_UNSUPPORTED && strstr(err.msg, r.version),
		       "%s relabelled 3.%d with broken debug offsets: status %d (%s)", b->label,
		       r.minor, st, err.msg);
		memsrc_free(m);
		free(copy);
	}

	/* Unreadable runtime address: falls back, does not fail. */
	{
		memsrc *m = mem_new();
		mem_add(m, (addr & ~4095ULL) + (1u << 24), size + 8192);
		struct py_layout L;
		struct hs_err err = {0};
		char note[256];
		EXPECT(layout_for(&rt, m, &L, note, sizeof note, &err) == HS_OK && !L.from_debug_offsets,
		       "%s unreadable runtime: not a silent fallback", b->label);
		memsrc_free(m);
	}
	free(img);
	return bad;
}

/* ------------------------------------------------------------------ */
/* layout_fit() on a synthetic memory laid out as the build's DWARF says */

#define SYN_RT     0x10000000ULL     /* _PyRuntime; 2.7/3.6: libpython's statics */
#define SYN_INTERP 0x20000000ULL     /* main interpreter */
#define SYN_OBJ    0x30000000ULL     /* GC objects (their PyGC_Heads) */
#define SYN_NOBJ   6
#define SYN_TYPE   0x40000000ULL     /* its type */
#define SYN_META   0x50000000ULL     /* type(type) */

/* Lay the runtime, interpreter and GC state out per D (the build's DWARF
 * truth): generation0 names generations[0], each list head is an empty
 * circular list but generation 0, which holds SYN_NOBJ objects of a type
 * whose type is its own type. */
static memsrc *synth(const struct py_layout *D, int with_object)
{
	memsrc *m = mem_new();
	unsigned char *rt = mem_add(m, SYN_RT, 1 << 20);
	unsigned char *is = mem_add(m, SYN_INTERP, 1 << 20);
	unsigned char *obj = mem_add(m, SYN_OBJ, 4096);
	unsigned char *ty = mem_add(m, SYN_TYPE, 4096);
	unsigned char *meta = mem_add(m, SYN_META, 4096);
	if (D->rt_interp_main >= 0)
		put_u64(rt, D->rt_interp_main, SYN_INTERP);
	if (D->rt_interp_head >= 0)
		put_u64(rt, D->rt_interp_head, SYN_INTERP);
	else    /* 2.7/3.6: the static variables, see rt_for() */
		put_u64(rt, SYN_LEGACY_INTERP_HEAD, SYN_INTERP);
	uint64_t gcs;
	unsigned char *g;
	if (D->rt_interp_head < 0) {
		gcs = SYN_RT + SYN_LEGACY_GENERATIONS;
		g = rt + SYN_LEGACY_GENERATIONS;
	} else if (D->rt_gc >= 0) {
		gcs = SYN_RT + (uint64_t)D->rt_gc;
		g = rt + D->rt_gc;
	} else {
		gcs = SYN_INTERP + (uint64_t)D->interp_gc;
		g = is + D->interp_gc;
	}
	uint64_t gen0 = gcs + (uint64_t)D->gc_generations;
	if (D->gc_generation0 >= 0)
		put_u64(g, D->gc_generation0, gen0);
	else
		put_u64(rt, SYN_LEGACY_GENERATION0, gen0);
	for (int k = 0; k < 3; k++) {
		long h = D->gc_generations + k * D->gc_gen_size;
		put_u64(g, h, gcs + (uint64_t)h);
		put_u64(g, h + 8, gcs + (uint64_t)h);
	}
	if (D->gc_permanent >= 0) {
		put_u64(g, D->gc_permanent, gcs + (uint64_t)D->gc_permanent);
		put_u64(g, D->gc_permanent + 8, gcs + (uint64_t)D->gc_permanent);
	}
	/* tracemalloc's state as a process that never started it leaves it
	 * (the static initializer: max_nframe 1, no tables) */
	if (D->rt_tracemalloc >= 0)
		put_u32(rt, D->rt_tracemalloc + D->tmrt_config + D->tmcfg_max_nframe, 1);
	if (with_object) {
		/* SYN_NOBJ objects, 64 bytes apart, on generation 0's list */
		long h = D->gc_generations;
		for (int k = 0; k < SYN_NOBJ; k++) {
			uint64_t node = SYN_OBJ + 64 * (uint64_t)k;
			uint64_t next = k + 1 < SYN_NOBJ ? node + 64 : gen0;
			uint64_t prev = k ? node - 64 : gen0;
			put_u64(obj, 64 * k, next);
			put_u64(obj, 64 * k + 8, prev);
			uint64_t o = node + (uint64_t)D->gc_head_size;
			put_u64(obj, (long)(o - SYN_OBJ) + D->ob_refcnt, 1);
			put_u64(obj, (long)(o - SYN_OBJ) + D->ob_type, SYN_TYPE);
		}
		put_u64(g, h, SYN_OBJ);
		put_u64(g, h + 8, SYN_OBJ + 64 * (SYN_NOBJ - 1));
		put_u64(ty, D->ob_refcnt, 1);
		put_u64(ty, D->ob_type, SYN_META);
		put_u64(ty, D->tp_flags, 1UL << 9);
		put_u64(meta, D->ob_refcnt, 1);
		put_u64(meta, D->ob_type, SYN_META);
		put_u64(meta, D->tp_flags, PY_TPFLAGS_TYPE_SUBCLASS);
	}
	return m;
}

static int test_fit(const struct build *b, const struct py_layout *D)
{
	int bad = 0;
	const struct py_layout *B = layout_builtin(b->major, b->minor);
	struct py_runtime_info rt;
	rt_for(b, &rt, SYN_RT, 0);
	for (int with_object = 0; with_object <= 1; with_object++) {
		memsrc *m = synth(D, with_object);
		struct py_layout L = *B;
		struct py_roots roots;
		struct hs_err err = {0};
		enum hs_status st = layout_fit(&rt, m, &L, &roots, NULL, 0, &err);
		EXPECT(st == HS_OK, "%s fit (%s): status %d: %s", b->label,
		       with_object ? "objects" : "empty lists", st, err.msg);
		EXPECT(roots.interp == SYN_INTERP, "%s fit: interp %#llx", b->label,
		       (unsigned long long)roots.interp);
		for (size_t k = 0; st == HS_OK && k < NROWS; k++)
			if (rows[k].fit && field_val(&L, rows[k].off) != field_val(D, rows[k].off))
				EXPECT(0, "%s fit: %s = %ld after layout_fit, DWARF %ld", b->label,
				       rows[k].name, field_val(&L, rows[k].off), field_val(D, rows[k].off));
		memsrc_free(m);
	}
	/* Deliberately wrong tables must be refused as a layout we do not
	 * understand (exit 6), never passed on to walk the heap. */
	static const struct { const char *what; size_t off; int delta; } wrong[] = {
		{ "generation0 pointer moved", offsetof(struct py_layout, gc_generation0), 8 },
		{ "interpreter's GC state moved", offsetof(struct py_layout, interp_gc), 64 },
		{ "ob_type moved", offsetof(struct py_layout, ob_type), 8 },
		{ "gc_gen_size wrong", offsetof(struct py_layout, gc_gen_size), 8 },
	};
	for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
		struct py_layout L = *D;
		long v = field_val(&L, wrong[i].off);
		if (v < 0)
			continue;
		set_field(&L, wrong[i].off, v + wrong[i].delta);
		memsrc *m = synth(D, 1);
		struct py_roots roots;
		struct hs_err err = {0};
		enum hs_status st = layout_fit(&rt, m, &L, &roots, NULL, 0, &err);
		EXPECT(st == HS_ERR_UNSUPPORTED && strstr(err.msg, "does not understand the memory layout"),
		       "%s wrong table (%s): status %d: %s", b->label, wrong[i].what, st, err.msg);
		if (verbose)
			printf("  %s wrong table (%s): %s\n", b->label, wrong[i].what, err.msg);
		memsrc_free(m);
	}
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
	int failures = 0, tested = 0, missing = 0;
	int ci = getenv("CI") && *getenv("CI");

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "-p"))
			print_mode = 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	failures += check_coverage();
	for (size_t i = 0; i < NROWS; i++)
		for (int k = 0; k < MAXCL && rows[i].c[k].spec; k++) {
			const char *p = rows[i].c[k].spec;
			if (p[0] == '=' || !strncmp(p, "hdr", 3) || !strncmp(p, "nohdr ", 6))
				continue;
			if (*p == '!')
				p++;
			while (*p) {        /* alternatives separated by '|' */
				const char *bar = strchr(p, '|');
				size_t n = bar ? (size_t)(bar - p) : strlen(p);
				const char *q = p;
				size_t m = n;
				if (m > 7 && !strncmp(q, "sizeof ", 7))
					q += 7, m -= 7;
				else if (m > 4 && !strncmp(q, "bit ", 4))
					q += 4, m -= 4;
				else if (m > 6 && !strncmp(q, "count ", 6))
					q += 6, m -= 6;
				if (strncmp(q, "enum ", 5))
					dwidx_want(q, m);
				p = bar ? bar + 1 : p + n;
			}
		}
	dwidx_want("_Py_DebugOffsets", 16);
	failures += test_layout_for_basic();

	find_builds();
	for (int bi = 0; bi < nbuilds; bi++) {
		struct build *b = &builds[bi];
		const struct py_layout *L = layout_builtin(b->major, b->minor);
		if (!L) {
			printf("%s: no built-in table yet, not checked\n", b->label);
			continue;
		}
		if (b->missing[0]) {
			printf("%s: %s%s\n", b->label, b->missing, ci ? " (FAIL: CI prepares every build)" : ", skipped");
			missing++;
			if (ci)
				failures++;
			continue;
		}
		double t0 = now();
		const char *paths[MAXDW];
		for (int k = 0; k < b->ndwarf; k++)
			paths[k] = b->dwarf[k];
		struct dwidx *d = dwidx_open(paths, b->ndwarf);
		if (!d) {
			printf("%s: cannot read DWARF of %s\n", b->label, b->dwarf[0]);
			failures++;
			continue;
		}
		if (dwidx_ptr_size(d) != 8) {
			printf("%s: address size %d, the tables are for 64-bit\n", b->label, dwidx_ptr_size(d));
			failures++;
		}
		double t1 = now();
		struct counts c;
		struct py_layout D;
		int bad = check_table(d, b, L, &D, &c, 0);
		failures += bad;
		/* Only meaningful on a clean table (else every perturbation
		 * "fails" with the pre-existing reports too). */
		int meta = bad ? 0 : check_checker(d, b, L);
		failures += meta;
		int fitbad = bad ? 0 : test_fit(b, &D);
		failures += fitbad;
		if (b->major == 3 && b->minor >= 13)
			failures += test_layout_for_dbg(d, b, &D);
		tested++;
		printf("%s: %zu fields: %d DWARF, %d verified absent, %d header premises, "
		       "%d constants, %d fitted from memory; %d mismatches; checker self-test %s; "
		       "fit %s; index %.2fs, total %.2fs\n",
		       b->label, NROWS, c.dwarf, c.absent, c.hdr, c.cnst, c.fit, bad,
		       bad ? "skipped" : meta ? "FAILED" : "ok", bad ? "skipped" : fitbad ? "FAILED" : "ok",
		       t1 - t0, now() - t0);
		dwidx_close(d);
	}
	dwidx_want_free();
	if (!tested) {
		printf("no build of CPython found: skipping\n");
		return failures ? 1 : 77;
	}
	printf("%d builds checked%s\n", tested, missing ? " (some missing, see above)" : "");
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
