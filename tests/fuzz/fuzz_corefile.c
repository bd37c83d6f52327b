/* fuzz_corefile — libFuzzer harness over the ELF core reader
 * (attach/corefile.c, corefile_mem: headers, segments, notes: NT_PRSTATUS,
 * NT_PRPSINFO, NT_FILE, NT_AUXV, build ids in the copied ELF headers).
 * The input is a core's bytes; the mapped files it names are never opened.
 * Every failure must be a documented status with a message; a core that
 * parses is then read through its memsrc (every mapping's first and last
 * bytes, the copied regions, reads across their ends).
 *
 * Seeds: tests/fuzz/core_corpus/, small cores made by
 * tests/fuzz/make_core_seeds.py; inputs that once crashed it:
 * tests/fuzz/core_crashes/.  Built with -Dfuzzing=true it is a libFuzzer
 * target (scripts/fuzz.sh); in every build main() replays both as the unit
 * test fuzz_corefile_corpus.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corefile.h"

static void check(enum hs_status st, const struct hs_err *err)
{
	if (st == HS_OK)
		return;
	if ((st != HS_ERR_BAD_FILE && st != HS_ERR_UNSUPPORTED && st != HS_ERR_NOMEM) ||
	    !err->msg[0] || !memchr(err->msg, 0, sizeof err->msg)) {
		fprintf(stderr, "fuzz_corefile: status %s: %s\n", hs_status_name(st), err->msg);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	memsrc *m = NULL;
	struct hs_err err = {0};
	enum hs_status st = corefile_mem(data, size, "fuzz.core", &m, &err);
	check(st, &err);
	if (st != HS_OK)
		return 0;
	size_t n;
	const struct mem_map *maps = mem_maps(m, &n);
	unsigned char buf[64];
	for (size_t i = 0; i < n && i < 4096; i++) {
		if (maps[i].end <= maps[i].start)
			abort();
		mem_read(m, maps[i].start, buf, sizeof buf);
		mem_read(m, maps[i].end - 8, buf, 16);
		char s[32];
		mem_cstr(m, maps[i].start, s, sizeof s);
	}
	for (size_t i = 0; i < mem_nregions(m) && i < 4096; i++) {
		raddr_t a, e;
		mem_region(m, i, &a, &e);
		const unsigned char *p = mem_ptr(m, a, (size_t)(e - a));
		if (!p)
			abort();
		volatile unsigned char x = p[0] ^ p[e - a - 1];
		(void)x;
		mem_read(m, e - 4, buf, 8);
	}
	memsrc_free(m);
	return 0;
}

#ifndef HS_LIBFUZZER
static uint8_t g_buf[16 << 20];

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_corefile: cannot open %s\n", path);
		return -1;
	}
	size_t n = fread(g_buf, 1, sizeof g_buf, f);
	fclose(f);
	LLVMFuzzerTestOneInput(g_buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0, bad = 0;
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		if (!d) {
			bad += run_file(argv[i]) != 0;
			files++;
			continue;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
			bad += run_file(path) != 0;
			files++;
		}
		closedir(d);
	}
	printf("fuzz_corefile: %d inputs replayed%s\n", files, bad ? ", some unreadable" : "");
	return bad || !files ? 1 : 0;
}
#endif
