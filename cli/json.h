/* json — a tiny streaming JSON writer for --json output.
 *
 * Nesting and commas are tracked for you:
 *   json_obj(j); json_key(j, "pid"); json_int(j, 42); json_end(j);
 * Strings are escaped as RFC 8259 requires and the output is always valid
 * UTF-8: a surrogate code point (a Python str may hold one alone) is
 * written \udXXX as Python's json writes it; any other byte that is not
 * part of a well-formed UTF-8 sequence is written as \u00XX.  A NULL
 * string is written null. */
#ifndef HS_JSON_H
#define HS_JSON_H

#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *f;
	int depth;
	int first[64];   /* 1 when no element has been written at that depth */
	char closer[64]; /* ']' or '}' for each open level */
	int after_key;
};

void json_init(struct json *j, FILE *f);
void json_obj(struct json *j);
void json_arr(struct json *j);
void json_end(struct json *j);      /* closes the innermost object/array */
void json_key(struct json *j, const char *k);
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t n);
void json_int(struct json *j, int64_t v);
void json_uint(struct json *j, uint64_t v);
void json_num(struct json *j, double v);
void json_bool(struct json *j, int v);
void json_null(struct json *j);
void json_addr(struct json *j, uint64_t a);   /* "0x7f…" string */
void json_done(struct json *j);     /* newline + flush */

#endif
