#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof *j);
	j->f = f;
	j->first[0] = 1;
}

/* Comma before a value unless it is the first at this depth or it
 * directly follows its key. */
static void sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = 0;
}

static void open(struct json *j, char c)
{
	sep(j);
	fputc(c, j->f);
	if (j->depth < 63)
		j->depth++;
	j->first[j->depth] = 1;
	j->closer[j->depth] = c == '[' ? ']' : '}';
}

void json_obj(struct json *j) { open(j, '{'); }
void json_arr(struct json *j) { open(j, '['); }

void json_end(struct json *j)
{
	fputc(j->closer[j->depth], j->f);
	if (j->depth > 0)
		j->depth--;
}

/* Length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629: no
 * overlong forms, nothing above U+10FFFF, no surrogates), or 0.  A
 * surrogate U+D800..U+DFFF in the 3-byte form (how a Python str holding a
 * lone surrogate comes out of py_str_utf8) gives 0 and *surrogate = it. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *surrogate)
{
	unsigned c = s[0];
	*surrogate = 0;
	size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
		   : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	if (!len || n < len)
		return 0;
	for (size_t k = 1; k < len; k++)
		if ((s[k] & 0xC0) != 0x80)
			return 0;
	unsigned c1 = s[1];
	if ((c == 0xE0 && c1 < 0xA0) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F))
		return 0;   /* overlong, or beyond U+10FFFF */
	if (c == 0xED && c1 >= 0xA0) {
		*surrogate = 0xD000 | (c1 & 0x3F) << 6 | (s[2] & 0x3F);
		return 0;
	}
	return len;
}

/* A JSON string of s[0..n): always valid UTF-8.  Valid sequences pass
 * through; a surrogate code point is written \udXXX, as Python's json
 * does for a str holding one; any other byte that is not part of a valid
 * sequence is written as the character of that value (\u00XX). */
static void put_escaped(FILE *f, const unsigned char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = s[i];
		if (ch == '"' || ch == '\\') {
			fputc('\\', f);
			fputc(ch, f);
		} else if (ch < 0x20) {
			switch (ch) {
			case '\n': fputs("\\n", f); break;
			case '\t': fputs("\\t", f); break;
			case '\r': fputs("\\r", f); break;
			default: fprintf(f, "\\u%04x", ch);
			}
		} else if (ch < 0x80) {
			fputc(ch, f);
		} else {
			unsigned sur;
			size_t len = utf8_seq(s + i, n - i, &sur);
			if (len) {
				fwrite(s + i, 1, len, f);
				i += len - 1;
			} else if (sur) {
				fprintf(f, "\\u%04x", sur);
				i += 2;
			} else {
				fprintf(f, "\\u%04x", ch);
			}
		}
	}
	fputc('"', f);
}

void json_key(struct json *j, const char *k)
{
	sep(j);
	put_escaped(j->f, (const unsigned char *)k, strlen(k));
	fputc(':', j->f);
	j->after_key = 1;
}

void json_strn(struct json *j, const char *s, size_t n)
{
	sep(j);
	put_escaped(j->f, (const unsigned char *)s, n);
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	json_strn(j, s, strlen(s));
}

void json_int(struct json *j, int64_t v) { sep(j); fprintf(j->f, "%" PRId64, v); }
void json_uint(struct json *j, uint64_t v) { sep(j); fprintf(j->f, "%" PRIu64, v); }

void json_num(struct json *j, double v)
{
	sep(j);
	if (isfinite(v))
		fprintf(j->f, "%.3f", v);
	else
		fputs("null", j->f);
}

void json_bool(struct json *j, int v) { sep(j); fputs(v ? "true" : "false", j->f); }
void json_null(struct json *j) { sep(j); fputs("null", j->f); }

void json_addr(struct json *j, uint64_t a)
{
	char buf[32];
	snprintf(buf, sizeof buf, "0x%" PRIx64, a);
	json_str(j, buf);
}

void json_done(struct json *j)
{
	fputc('\n', j->f);
	fflush(j->f);
}
