/* numbers — see numbers.h.  Hand-written digit loops rather than strtod
 * and strtoul: those accept signs, blanks, exponents, "inf", "nan" and hex
 * floats, and a double to integer conversion out of range is undefined. */
#include "numbers.h"

#include <string.h>

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits at *p into *v (must fit in uint64); advances *p.  -1 when there
 * are none or they overflow. */
static int digits_u64(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	if (!is_digit(*s))
		return -1;
	for (; is_digit(*s); s++) {
		unsigned d = (unsigned)(*s - '0');
		if (x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*p = s;
	*v = x;
	return 0;
}

/* ".ddd" at *p: the fraction as num / den (at most 18 digits are kept,
 * later ones only checked to be digits).  Advances *p; 0 or -1. */
static int fraction(const char **p, uint64_t *num, uint64_t *den)
{
	const char *s = *p;
	*num = 0;
	*den = 1;
	if (*s != '.')
		return 0;
	s++;
	if (!is_digit(*s))
		return -1;
	for (int k = 0; is_digit(*s); s++, k++)
		if (k < 18) {
			*num = *num * 10 + (uint64_t)(*s - '0');
			*den *= 10;
		}
	*p = s;
	return 0;
}

int cli_parse_size(const char *s, uint64_t *out)
{
	uint64_t v, num, den, mult = 1;
	const char *p = s;
	if (!s || digits_u64(&p, &v) != 0 || fraction(&p, &num, &den) != 0)
		return -1;
	int shift = 0;
	switch (*p) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	default: break;
	}
	if (shift) {
		mult = (uint64_t)1 << shift;
		p++;
		if (*p == 'i')
			p++;
	} else if (den != 1) {
		return -1;   /* "1.5" bytes */
	}
	if (*p == 'B')
		p++;
	if (*p)
		return -1;
	unsigned __int128 total = (unsigned __int128)v * mult +
				  (unsigned __int128)num * mult / den;
	if (total > UINT64_MAX)
		return -1;
	*out = (uint64_t)total;
	return 0;
}

int cli_parse_count(const char *s, long min, long max, long *out)
{
	uint64_t v;
	const char *p = s;
	if (!s || digits_u64(&p, &v) != 0 || *p)
		return -1;
	if (v > (uint64_t)max || (long)v < min)
		return -1;
	*out = (long)v;
	return 0;
}

int cli_parse_seconds(const char *s, double max, double *out)
{
	uint64_t v, num, den;
	const char *p = s;
	if (!s || digits_u64(&p, &v) != 0 || fraction(&p, &num, &den) != 0 || *p)
		return -1;
	if ((double)v > max)
		return -1;
	double x = (double)v + (double)num / (double)den;
	if (!(x > 0) || x > max)
		return -1;
	*out = x;
	return 0;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cli_parse_addr(const char *s, uint64_t *out)
{
	if (!s)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		     s[n - 1] == '\n'))
		n--;
	int hex = 0;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		hex = 1;
		s += 2;
		n -= 2;
	}
	if (!n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (hex_value(s[i]) < 0)
			return -1;
		if (!is_digit(s[i]))
			hex = 1;
	}
	uint64_t v = 0;
	unsigned base = hex ? 16 : 10;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)hex_value(s[i]);
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	if (!v)
		return -1;
	*out = v;
	return 0;
}
