/* `heapscope save PID [-o FILE]`: the snapshot, written to a file after the
 * target resumed (attach/snapfile.c, doc/FORMAT.md), to be read anywhere
 * later: every command takes the FILE where it takes a PID. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "snapfile.h"
#include "version.h"

int cmd_save(int argc, char **argv)
{
	struct cli o;
	struct hs_err err = {0};
	struct hs_snapshot *s;
	struct heap *h;
	pid_t pid;

	if (cli_parse(argc, argv, &o, &err) || cli_pid(&o, 0, &pid, &err))
		return cli_fail(&err);
	if (o.npos > 1) {
		hs_fail(&err, HS_ERR_USAGE, "save takes one PID; name the file with -o FILE");
		return cli_fail(&err);
	}
	char def[64];
	if (!o.output) {
		/* heapscope-PID-YYYYmmdd-HHMMSS.hsnap in the current directory */
		time_t t = time(NULL);
		struct tm tm;
		char when[32] = "0";
		if (localtime_r(&t, &tm))
			strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
		snprintf(def, sizeof def, "heapscope-%d-%s.hsnap", (int)pid, when);
		o.output = def;
	}
	if (cli_open(&o, pid, &s, &h, &err))
		return cli_fail(&err);
	/* The target runs again: now the read-only data, the lazy payloads,
	 * the compression and the write. */
	struct snapfile_opts so = {(int)(o.zlevel > 0 ? o.zlevel : 0), (int)o.zthreads,
				   HS_GIT_DESCRIBE};
	struct snapfile_stats st;
	enum hs_status rc = snapfile_write(s, o.output, &so, &st, &err);
	if (rc != HS_OK) {
		cli_close(s, h);
		return cli_fail(&err);
	}
	double ratio = st.file_bytes ? (double)st.memory_bytes / (double)st.file_bytes : 0;
	if (o.json) {
		struct json j;
		json_init(&j, stdout);
		json_obj(&j);
		cli_json_header(&j, s, h);
		json_key(&j, "file"); json_str(&j, o.output);
		json_key(&j, "file_bytes"); json_uint(&j, st.file_bytes);
		json_key(&j, "memory_bytes"); json_uint(&j, st.memory_bytes);
		json_key(&j, "rodata_bytes"); json_uint(&j, st.rodata_bytes);
		json_key(&j, "lazy_payload_bytes"); json_uint(&j, st.lazy_bytes);
		json_key(&j, "compression_ratio"); json_num(&j, ratio);
		json_key(&j, "zstd_level"); json_int(&j, st.level);
		json_key(&j, "zstd_threads"); json_int(&j, st.threads);
		json_key(&j, "write_ms"); json_num(&j, st.write_ms);
		json_end(&j);
		json_done(&j);
	} else {
		cli_text_header(stdout, s, h);
		printf("saved %s: %.1f MB (%.1f MB of memory, %.1fx smaller) in %.0f ms after the "
		       "pause\nopen it anywhere: heapscope %s, heapscope types %s, ...\n",
		       o.output, st.file_bytes / 1e6, st.memory_bytes / 1e6, ratio, st.write_ms,
		       o.output, o.output);
	}
	cli_close(s, h);
	return 0;
}
