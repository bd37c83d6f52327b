/* traverse — the referents of one object, as CPython's tp_traverse would
 * visit them, reproduced per type and per version, plus the edges a heap
 * tool wants that traverse skips.
 *
 * trav_referents() calls back once per edge with the raw pointer found
 * (not validated: the caller decides whether it leads to an object), an
 * edge kind/label and flags:
 *   GRAPH_EF_TRAVERSE      gc.get_referents(obj) would report it: the
 *                          object is a GC object and its type's
 *                          tp_traverse visits this field;
 *   GRAPH_EF_WEAK          a weakref's referent: shown, but it does not
 *                          keep the target alive;
 *   GRAPH_EF_CONSERVATIVE  a word of an undecodable (extension) type that
 *                          equals a known object address;
 *   none of them           an owning edge traverse does not visit (str keys
 *                          of str-keyed dicts, a code object's constants,
 *                          a static type's __dict__, ht_name…).
 *
 * How each type is traversed is decided once per type object and cached:
 * Python classes (tp_traverse == subtype_traverse) get their __slots__,
 * instance dict / managed values / inline values and ob_type, then the
 * traverse of the nearest C base; C types are recognised by the tp_name of
 * their nearest known static base and whether they share its tp_traverse.
 *
 * No recursion over target data, every loop is bounded, and unreadable
 * memory ends that object's walk (the edges seen so far stay reported).
 */
#ifndef HS_TRAVERSE_H
#define HS_TRAVERSE_H

#include <stdint.h>

#include "edge.h"
#include "pyobj.h"

struct trav;

struct trav_edge {
	raddr_t to;       /* the pointer as found (never 0) */
	uint64_t aux;     /* see enum edge_kind */
	uint8_t kind;     /* enum edge_kind */
	uint8_t flags;    /* GRAPH_EF_* */
};

/* Return non-zero to stop the walk. */
typedef int (*trav_cb)(void *arg, const struct trav_edge *e);
/* Is addr the start of an object we know? (for conservative scans) */
typedef int (*trav_known_fn)(void *arg, raddr_t addr);

/* Functions of the target we recognise by address (0 = unknown: then the
 * traversal falls back on what the objects themselves show). */
struct trav_syms {
	raddr_t subtype_traverse;   /* tp_traverse of every Python class */
	raddr_t lookdict;           /* ≤3.10: dk_lookup of dicts with non-str keys */
};

struct trav *trav_new(struct pyctx *c, const struct trav_syms *syms);
void trav_free(struct trav *t);

/* Where conservative scans look up candidate addresses.  Without it,
 * undecodable types report no edges. */
void trav_set_known(struct trav *t, trav_known_fn fn, void *arg);

/* Walk obj's referents.  Returns 0, or -1 when obj's type is unreadable
 * (no edges reported).  Stops early when cb returns non-zero. */
int trav_referents(struct trav *t, raddr_t obj, trav_cb cb, void *arg);

/* Does walking obj involve a conservative scan?  (The graph defers those
 * objects until every decodable object has been discovered.) */
int trav_is_conservative(struct trav *t, raddr_t obj);

/* Number of distinct types that needed a conservative scan so far. */
unsigned trav_conservative_types(struct trav *t);

/* Learn `lookdict` (≤3.10) from a dict whose keys are not all exact str:
 * returns 1 when it was learnt from this dict. */
int trav_learn_lookdict(struct trav *t, raddr_t dict);
int trav_lookdict_known(struct trav *t);

/* Name of a field (for labels): "__dict__", "f_back", "ob_type"… */
const char *trav_field_name(enum edge_field f);

#endif
