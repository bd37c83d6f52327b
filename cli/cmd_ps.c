/* `heapscope ps` (which Pythons run here, and can we attach to each) and
 * --pid-of PATTERN (pick one of them by its command line).  Both use
 * attach/pslist: the same detection and the same permission rules as an
 * attach, so the listing never promises what the attach then refuses. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pslist.h"

static void ps_json(const struct ps_entry *v, size_t n)
{
	struct json j;
	json_init(&j, stdout);
	json_obj(&j);
	json_key(&j, "count"); json_uint(&j, n);
	json_key(&j, "processes");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		const struct ps_entry *e = &v[i];
		const struct ctr_info *c = &e->ctr;
		json_obj(&j);
		json_key(&j, "pid"); json_int(&j, e->pid);
		json_key(&j, "ns_pid");
		if (c->ns_pid)
			json_int(&j, c->ns_pid);
		else
			json_null(&j);
		json_key(&j, "uid"); json_uint(&j, e->uid);
		json_key(&j, "user"); json_str(&j, e->user);
		json_key(&j, "python");
		if (e->version[0])
			json_str(&j, e->version);
		else
			json_null(&j);
		json_key(&j, "supported"); json_bool(&j, e->supported);
		json_key(&j, "found_by"); json_str(&j, e->by_name ? "name" : "files");
		json_key(&j, "rss_bytes"); json_uint(&j, e->rss);
		json_key(&j, "comm"); json_str(&j, e->comm);
		json_key(&j, "cmdline"); json_str(&j, e->cmdline);
		json_key(&j, "container");
		json_obj(&j);
		json_key(&j, "label"); json_str(&j, c->label);
		json_key(&j, "runtime");
		if (c->runtime[0])
			json_str(&j, c->runtime);
		else
			json_null(&j);
		json_key(&j, "id");
		if (c->id[0])
			json_str(&j, c->id);
		else
			json_null(&j);
		json_key(&j, "cgroup"); json_str(&j, c->cgroup);
		json_key(&j, "pid_namespace");
		if (c->pidns[0])
			json_str(&j, c->pidns);
		else
			json_null(&j);
		json_key(&j, "other_pid_namespace");
		if (c->other_pidns >= 0)
			json_bool(&j, c->other_pidns);
		else
			json_null(&j);
		json_key(&j, "other_mount_namespace");
		if (c->other_mntns >= 0)
			json_bool(&j, c->other_mntns);
		else
			json_null(&j);
		json_key(&j, "other_root");
		if (c->other_root >= 0)
			json_bool(&j, c->other_root);
		else
			json_null(&j);
		json_end(&j);
		json_key(&j, "attach");
		json_obj(&j);
		json_key(&j, "ok"); json_bool(&j, e->status == HS_OK);
		json_key(&j, "status"); json_str(&j, hs_status_name(e->status));
		json_key(&j, "cause");
		json_str(&j, e->status == HS_ERR_PERMISSION ? access_cause_name(e->cause)
			 : e->status == HS_OK ? "ok" : hs_status_name(e->status));
		json_key(&j, "why"); json_str(&j, e->why);
		json_key(&j, "message"); json_str(&j, e->detail);
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	json_done(&j);
}

static void ps_text(const struct ps_entry *v, size_t n)
{
	char rss[32], inner[16];
	int wuser = 4, wctr = 9;

	if (n == 0) {
		printf("no Python processes found (heapscope looks for processes that map "
		       "a file named *python*; `heapscope PID` attaches to any other)\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int a = (int)strlen(v[i].user), b = (int)strlen(v[i].ctr.label);
		wuser = a > wuser ? (a < 16 ? a : 16) : wuser;
		wctr = b > wctr ? (b < 24 ? b : 24) : wctr;
	}
	printf("%7s %7s  %-*s  %-8s %9s  %-*s  %-6s %s\n", "PID", "INNER", wuser, "USER",
	       "PYTHON", "RSS", wctr, "CONTAINER", "ATTACH", "COMMAND");
	int refused = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ps_entry *e = &v[i];
		if (e->ctr.ns_pid && e->ctr.ns_pid != e->pid)
			snprintf(inner, sizeof inner, "%d", (int)e->ctr.ns_pid);
		else
			snprintf(inner, sizeof inner, "-");
		printf("%7d %7s  %-*.*s  %-8s %9s  %-*.*s  %-6s %s\n", (int)e->pid, inner,
		       wuser, wuser, e->user, e->version[0] ? e->version : "?",
		       e->rss ? fmt_bytes(e->rss, rss, sizeof rss) : "?", wctr, wctr,
		       e->ctr.label, e->status == HS_OK ? "yes" : "no",
		       e->cmdline[0] ? e->cmdline : e->comm);
		refused += e->status != HS_OK;
	}
	if (!refused)
		return;
	printf("\nwhy not:\n");
	for (size_t i = 0; i < n; i++)
		if (v[i].status != HS_OK)
			printf("%7d  %s\n", (int)v[i].pid, v[i].why);
	printf("(`heapscope PID` or `heapscope ps --json` gives each cause in full, "
	       "with its fix)\n");
}

int cmd_ps(int argc, char **argv)
{
	struct cli o;
	struct hs_err err = {0};
	struct ps_entry *v;
	size_t n;

	if (cli_parse(argc, argv, &o, &err))
		return cli_fail(&err);
	if (o.npos)
		return cli_fail(&(struct hs_err){HS_ERR_USAGE, "ps takes no arguments (only --json)"});
	if (pslist_scan(&v, &n, &err))
		return cli_fail(&err);
	if (o.json)
		ps_json(v, n);
	else
		ps_text(v, n);
	free(v);
	return 0;
}

enum hs_status cli_pid_of(const char *pattern, pid_t *pid, struct hs_err *err)
{
	regex_t re;
	struct ps_entry *v;
	size_t n, hits = 0, first = 0;
	enum hs_status st;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return hs_fail(err, HS_ERR_USAGE, "--pid-of: '%s' is not a valid (extended) "
			       "regular expression", pattern);
	if ((st = pslist_scan(&v, &n, err)) != HS_OK) {
		regfree(&re);
		return st;
	}
	for (size_t i = 0; i < n; i++) {
		const char *line = v[i].cmdline[0] ? v[i].cmdline : v[i].comm;
		if (regexec(&re, line, 0, NULL, 0) == 0) {
			if (!hits)
				first = i;
			hits++;
		} else {
			v[i].pid = 0;   /* not a match: skipped below */
		}
	}
	regfree(&re);
	if (hits == 1) {
		*pid = v[first].pid;
		free(v);
		return HS_OK;
	}
	if (hits == 0) {
		st = hs_fail(err, HS_ERR_NO_PROCESS, "--pid-of: no Python process's command "
			     "line matches '%s' (%zu Python process%s here; `heapscope ps` "
			     "lists them)", pattern, n, n == 1 ? "" : "es");
		free(v);
		return st;
	}
	char list[700] = "";
	size_t len = 0, shown = 0;
	for (size_t i = 0; i < n && len + 1 < sizeof list; i++) {
		if (!v[i].pid)
			continue;
		if (shown == 6) {
			snprintf(list + len, sizeof list - len, "; ...");
			break;
		}
		len += (size_t)snprintf(list + len, sizeof list - len, "%sPID %d: %.60s",
					shown ? "; " : "", (int)v[i].pid,
					v[i].cmdline[0] ? v[i].cmdline : v[i].comm);
		shown++;
	}
	st = hs_fail(err, HS_ERR_USAGE, "--pid-of: %zu Python processes match '%s' (%s); "
		     "make the pattern match only one, or give the PID", hits, pattern, list);
	free(v);
	return st;
}
