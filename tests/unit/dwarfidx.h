/* dwarfidx — answer "offsetof(Type, a.b)", "sizeof Type", an enumerator's
 * value, a bitfield's position or an array's length from the DWARF of one
 * build of CPython (its libpython or its -dbg file, plus extension modules
 * that hold the rest: _struct, _collections...).
 *
 * One pass over the top-level DIEs of every compilation unit of every file
 * indexes named structs/unions (complete definitions only), typedefs and
 * enumerators.  Types the caller declares as "wanted" get a check that no
 * two compilation units define them differently, so "first definition
 * wins" cannot silently pick a module's private type of the same name.
 *
 * Test support code only (tests/unit/test_layout_dwarf.c).
 */
#ifndef HS_DWARFIDX_H
#define HS_DWARFIDX_H

#include <stddef.h>

struct dwidx;

/* Outcome of a lookup. */
enum dw_look { DW_FOUND, DW_NO_TYPE, DW_NO_MEMBER, DW_ERROR, DW_CONFLICT };

/* Declare a type name (without "struct "/"union ") whose definitions must
 * agree across compilation units.  Call before dwidx_open(). */
void dwidx_want(const char *name, size_t len);
void dwidx_want_free(void);

/* Index the DWARF of `n` files; NULL on failure (message on stderr). */
struct dwidx *dwidx_open(const char *const *paths, int n);
void dwidx_close(struct dwidx *d);
int dwidx_ptr_size(const struct dwidx *d);

/* "Type.a.b" (Type: typedef name, or "struct X" / "union X"; members of
 * anonymous struct/union members are found too): byte offset.  A bare
 * "Type" only checks that the type exists (*val untouched). */
enum dw_look dwidx_offsetof(struct dwidx *d, const char *spec, size_t len, long *val);
/* DW_AT_byte_size of the (typedef-resolved) type. */
enum dw_look dwidx_sizeof(struct dwidx *d, const char *type, size_t len, long *val);
/* "Type.a.b": bit position of bitfield b inside the member/type a
 * (DW_AT_data_bit_offset, or the DWARF 2 DW_AT_bit_offset, little-endian). */
enum dw_look dwidx_bitpos(struct dwidx *d, const char *spec, size_t len, long *val);
/* "Type.a": number of elements of array member a. */
enum dw_look dwidx_count(struct dwidx *d, const char *spec, size_t len, long *val);
/* Value of the enumerator NAME; DW_CONFLICT if two units disagree. */
enum dw_look dwidx_enum(struct dwidx *d, const char *name, size_t len, long *val);

#endif
