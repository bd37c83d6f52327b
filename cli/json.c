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

static void put_escaped(FILE *f, const unsigned char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = s[i];
		if (ch == '"' || ch == '\\') {
			fputc('\\', f);
			fputc(ch, f);
		} else if (ch < 0x20 || ch == 0x7f) {
			switch (ch) {
			case '\n': fputs("\\n", f); break;
			case '\t': fputs("\\t", f); break;
			case '\r': fputs("\\r", f); break;
			default: fprintf(f, "\\u%04x", ch);
			}
		} else if (ch < 0x80) {
			fputc(ch, f);
		} else {
			/* pass valid UTF-8 sequences through, escape stray bytes */
			size_t len = (ch & 0xE0) == 0xC0 ? 2 : (ch & 0xF0) == 0xE0 ? 3
				   : (ch & 0xF8) == 0xF0 ? 4 : 0;
			size_t k = 1;
			while (len && k < len && i + k < n && (s[i + k] & 0xC0) == 0x80)
				k++;
			if (len && k == len) {
				fwrite(s + i, 1, len, f);
				i += len - 1;
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
