/* edge — the vocabulary of a reference: its kind, flags and C field names.
 * Shared by traverse (which finds referents) and graph (which stores
 * them); split from graph.h so that traverse does not include graph.
 */
#ifndef HS_EDGE_H
#define HS_EDGE_H

/* How a referrer reaches a referent; rendered by graph_edge_label(). */
enum edge_kind {
	EDGE_ITEM,        /* [n]            list/tuple/deque item n */
	EDGE_DICT_VALUE,  /* ['key'] / [42] value under key (aux = key object) */
	EDGE_DICT_KEY,    /* key 'k'        the key object itself (aux = key) */
	EDGE_SET_ITEM,    /* {item}         set/frozenset member */
	EDGE_ATTR,        /* .name          instance attribute (aux = name str) */
	EDGE_SLOT,        /* .name          __slots__ member (aux = address of the C name) */
	EDGE_FIELD,       /* .field         a named C field (aux = enum edge_field) */
	EDGE_CELL,        /* __closure__[n] */
	EDGE_LOCAL,       /* f_locals['x']  frame local (aux = name str) */
	EDGE_CONSERVATIVE,/* ~+off          pointer found by a conservative scan (aux = offset) */
	EDGE_STACK,       /* f_stack[n]     frame value-stack slot n */
	EDGE_WEAK,        /* __weakref__ →  a weakref's referent (non-owning, never in the reverse index) */
	EDGE_ODICT_KEY,   /* key 'k'        OrderedDict linked-list node key (aux = key) */
};

/* Edge flags (struct graph_edge.flags). */
#define GRAPH_EF_TRAVERSE     0x01  /* the type's tp_traverse visits it: gc.get_referents() sees it */
#define GRAPH_EF_WEAK         0x02  /* non-owning (weakref referent): does not keep the target alive */
#define GRAPH_EF_CONSERVATIVE 0x04  /* found by scanning memory of a type we cannot decode */
#define GRAPH_EF_ROOT         0x08  /* from a root that is not an object (a 3.11+ thread frame) */

/* Named C fields, for EDGE_FIELD labels ("ob_type", "__dict__"…).
 * Values are stable: new fields are added before F__COUNT only. */
enum edge_field {
	F_OB_TYPE, F_DICT, F_MODULE_DICT, F_CLASS_DICT, F_MRO, F_BASES, F_BASE,
	F_FUNC_CODE, F_FUNC_GLOBALS, F_FUNC_BUILTINS, F_FUNC_DEFAULTS,
	F_FUNC_KWDEFAULTS, F_FUNC_CLOSURE, F_FUNC_DOC, F_FUNC_NAME,
	F_FUNC_QUALNAME, F_FUNC_MODULE, F_FUNC_ANNOTATIONS, F_CELL_CONTENTS,
	F_METHOD_FUNC, F_METHOD_SELF, F_CFUNC_SELF, F_CFUNC_MODULE,
	F_CODE_CONSTS, F_CODE_NAMES, F_CODE_FILENAME, F_CODE_NAME,
	F_FRAME_BACK, F_FRAME_CODE, F_FRAME_GLOBALS, F_FRAME_BUILTINS,
	F_FRAME_LOCALS, F_GEN_FRAME, F_GEN_CODE, F_GEN_NAME, F_GEN_QUALNAME,
	F_WEAKREF_CALLBACK, F_EXC_ARGS, F_EXC_TRACEBACK, F_EXC_CAUSE,
	F_EXC_CONTEXT, F_TB_NEXT, F_TB_FRAME, F_OTHER,
	/* added with model/traverse.c */
	F_TYPE_NAME, F_TYPE_QUALNAME, F_TYPE_SLOTS, F_TYPE_MODULE, F_TYPE_CACHE,
	F_TYPE_SUBCLASSES, F_WEAKREF_OBJECT, F_EXC_NOTES, F_PROP_GET, F_PROP_SET,
	F_PROP_DEL, F_PROP_DOC, F_PROP_NAME, F_WRAPPED, F_CODE_VARNAMES,
	F_CODE_CELLVARS, F_CODE_FREEVARS, F_CODE_LOCALSPLUSNAMES,
	F_CODE_QUALNAME, F_CODE_LINETABLE, F_CODE_CODE, F_FRAME_TRACE,
	F_FRAME_FUNC, F_FRAME_OBJ, F_FRAME_EXTRA_LOCALS, F_FRAME_LOCALS_CACHE,
	F_GEN_EXC_TYPE, F_GEN_EXC_VALUE, F_GEN_EXC_TB, F_AGEN_FINALIZER,
	F_DEFAULT_FACTORY, F_PARTIAL_FUNC, F_PARTIAL_ARGS, F_PARTIAL_KEYWORDS,
	F_DESCR_TYPE, F_DESCR_NAME, F_DESCR_QUALNAME, F_WRAPPER_DESCR,
	F_WRAPPER_SELF, F_MAPPING, F_SUPER_TYPE, F_SUPER_OBJ, F_SUPER_OBJTYPE,
	F_SLICE_START, F_SLICE_STOP, F_SLICE_STEP, F_CFUNC_CLASS, F_MODULE_NAME,
	F_FUNC_TYPEPARAMS, F_MODULE_STATE, F_ODICT_INST_DICT,
	F_LRU_KEY, F_LRU_RESULT, F_LRU_CACHE, F_LRU_KWD_MARK, F_LRU_ELEM_TYPE,
	F_LRU_INFO_TYPE, F_TS_EXC_INFO, F_TS_CUREXC, F_TS_DICT, F_TS_CONTEXT,
	F_TS_ASYNC_EXC,
	F_ARRAY_BASE, F_ARRAY_DESCR, F_LRU_MAXSIZE, F_INST_CLASS, F_CLASS27_NAME,
	F_CLASS27_GETATTR, F_CLASS27_SETATTR, F_CLASS27_DELATTR,
	F__COUNT
};

#endif
