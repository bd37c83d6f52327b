/* test_access — the permission verdicts and their messages, on simulated
 * facts (attach/access.h), and container detection from cgroup paths.
 *
 * Every refusal cause gets a case here, because some cannot be produced
 * on the test machine: it has no Yama (ptrace_scope 1/2/3) and no LSM.
 * The user-namespace case is the issue-16 defect (a capability held in a
 * child user namespace was reported as "we have CAP_SYS_PTRACE" followed
 * by "use sudo", to a user who is root).  The causes that can be produced
 * for real (another user, dropped capability, no_new_privs, seccomp,
 * another tracer, not dumpable, a child user namespace) are also tested
 * end to end in tests/integration/test_access.py.
 *
 * Exit 0 = pass, 1 = failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "container.h"

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		failures++; \
	} \
} while (0)

/* A plain user (uid 1000, alice) with no capabilities, a dumpable target
 * of the same user, no Yama, no seccomp, no tracer, same namespace. */
static struct access_facts base(void)
{
	struct access_facts f;
	memset(&f, 0, sizeof f);
	f.self = 500;
	f.pid = 4242;
	snprintf(f.comm, sizeof f.comm, "python3");
	for (int i = 0; i < 3; i++) {
		f.uid[i] = f.t_uid[i] = 1000;
		f.gid[i] = f.t_gid[i] = 1000;
	}
	snprintf(f.user, sizeof f.user, "alice");
	snprintf(f.t_user, sizeof f.t_user, "alice");
	f.creds_known = 1;
	f.cap_eff = f.cap_prm = 0;
	f.cap_bnd = 1;
	f.caps_known = 1;
	f.t_caps_known = 1;
	f.file_cap = 0;
	f.no_new_privs = 0;
	f.seccomp = 0;
	f.seccomp_blocks = -1;
	f.yama = -1;
	f.init_userns = 1;
	snprintf(f.userns, sizeof f.userns, "user:[4026531837]");
	snprintf(f.t_userns, sizeof f.t_userns, "user:[4026531837]");
	snprintf(f.exe, sizeof f.exe, "/usr/local/bin/heapscope");
	f.t_dumpable = 1;
	f.userns_reach = 1;
	return f;
}

/* Root with every capability. */
static struct access_facts root(void)
{
	struct access_facts f = base();
	for (int i = 0; i < 3; i++)
		f.uid[i] = f.gid[i] = 0;
	snprintf(f.user, sizeof f.user, "root");
	f.cap_eff = f.cap_prm = f.cap_bnd = 1;
	f.eff_mask = f.prm_mask = 0x1ffffffffffULL;
	return f;
}

static enum access_cause judge(const struct access_facts *f, enum access_op op, int refused,
			       struct access_verdict *v)
{
	enum access_cause c = access_judge(f, op, refused, v);
	/* A message is whole sentences: never cut off by its buffer. */
	size_t n = strlen(v->msg);
	CHECK(c == ACCESS_OK || (n > 0 && n < sizeof v->msg - 1 && v->msg[n - 1] == '.'),
	      "cause %s: message empty or cut: '%s'", access_cause_name(c), v->msg);
	CHECK(v->brief[0] != 0, "cause %s: no brief", access_cause_name(c));
	return c;
}

static int has(const char *msg, const char *s)
{
	return strstr(msg, s) != NULL;
}

static void test_ok(void)
{
	struct access_verdict v;
	struct access_facts f = base();
	CHECK(judge(&f, ACCESS_OP_SEIZE, 0, &v) == ACCESS_OK, "same user: %s", v.msg);
	CHECK(!strcmp(v.brief, "yes"), "brief '%s'", v.brief);
	f = root();
	for (int i = 0; i < 3; i++)
		f.t_uid[i] = f.t_gid[i] = 1000;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 0, &v) == ACCESS_OK, "root: %s", v.msg);
	/* Yama 1 lets a parent trace its child */
	f = base();
	f.yama = 1;
	f.ancestor = 1;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 0, &v) == ACCESS_OK, "yama 1, child: %s", v.msg);
	/* Yama guards attaching, not /proc files */
	f = base();
	f.yama = 2;
	CHECK(judge(&f, ACCESS_OP_PROC, 0, &v) == ACCESS_OK, "yama 2 /proc: %s", v.msg);
	/* a tracer does not stop process_vm_readv */
	f = base();
	f.tracer = 77;
	CHECK(judge(&f, ACCESS_OP_VMREAD, 0, &v) == ACCESS_OK, "tracer vmread: %s", v.msg);
	/* CAP_SYS_PTRACE from the host reaches into a container's namespace */
	f = root();
	f.t_uid[0] = f.t_uid[1] = f.t_uid[2] = 100000;
	snprintf(f.t_userns, sizeof f.t_userns, "user:[4026532999]");
	CHECK(judge(&f, ACCESS_OP_SEIZE, 0, &v) == ACCESS_OK, "host root into userns: %s", v.msg);
}

static void test_traced(void)
{
	struct access_verdict v;
	struct access_facts f = root();
	f.tracer = 77;
	snprintf(f.tracer_comm, sizeof f.tracer_comm, "gdb");
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_TRACED, "cause %d", v.cause);
	CHECK(has(v.msg, "PID 77 (gdb)") && has(v.msg, "one tracer") && has(v.msg, "--no-freeze"),
	      "traced: %s", v.msg);
	CHECK(has(v.brief, "77") && has(v.brief, "gdb"), "brief %s", v.brief);
}

static void test_other_user(void)
{
	struct access_verdict v;
	struct access_facts f = base();
	for (int i = 0; i < 3; i++)
		f.t_uid[i] = 0;
	snprintf(f.t_user, sizeof f.t_user, "root");
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_NO_CAP, "cause %d", v.cause);
	CHECK(has(v.msg, "runs as uid 0 (root)") && has(v.msg, "uid 1000 (alice)") &&
	      has(v.msg, "CAP_SYS_PTRACE") && has(v.msg, "sudo heapscope") &&
	      has(v.msg, "sudo -u root heapscope") &&
	      has(v.msg, "setcap cap_sys_ptrace+ep /usr/local/bin/heapscope"),
	      "other user: %s", v.msg);
	CHECK(!has(v.msg, "Yama") && !has(v.msg, "ptrace_scope"), "no Yama here: %s", v.msg);

	/* a setuid target: real/effective/saved spelled out */
	f = base();
	f.t_uid[1] = f.t_uid[2] = 0;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_NO_CAP, "cause %d", v.cause);
	CHECK(has(v.msg, "uid 1000/0/0 (real/effective/saved)") && !has(v.msg, "sudo -u"),
	      "setuid: %s", v.msg);

	/* same uids, another group */
	f = base();
	f.t_gid[1] = 42;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_NO_CAP, "cause %d", v.cause);
	CHECK(has(v.msg, "gid 1000/42/1000") && has(v.msg, "gid 1000"), "gid: %s", v.msg);
}

static void test_root_without_cap(void)
{
	struct access_verdict v;
	struct access_facts f = root();
	f.cap_eff = f.cap_prm = 0;
	f.eff_mask = f.prm_mask &= ~(1ULL << 19);
	for (int i = 0; i < 3; i++)
		f.t_uid[i] = 1000;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_NO_CAP, "cause %d", v.cause);
	CHECK(has(v.msg, "runs as root") && !has(v.msg, "sudo") && has(v.msg, "capsh --drop"),
	      "root, no cap: %s", v.msg);
	/* root tracing root after dropping one capability: the commoncap rule */
	f = root();
	for (int i = 0; i < 3; i++)
		f.t_uid[i] = f.t_gid[i] = 0;
	f.cap_eff = f.cap_prm = 0;
	f.eff_mask = f.prm_mask = 0x1ffffffffffULL & ~(1ULL << 19);
	f.t_prm_mask = 0x1ffffffffffULL;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_CAPS_SUPERSET, "cause %d: %s",
	      v.cause, v.msg);
	CHECK(has(v.msg, "capabilities heapscope does not (cap_sys_ptrace)") && !has(v.msg, "sudo"),
	      "superset: %s", v.msg);
}

static void test_bounding(void)
{
	struct access_verdict v;
	struct access_facts f = root();
	f.cap_eff = f.cap_prm = f.cap_bnd = 0;
	f.eff_mask = f.prm_mask = 0xa80425fbULL;    /* Docker's default set */
	for (int i = 0; i < 3; i++)
		f.t_uid[i] = 1000;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_BOUNDING, "cause %d", v.cause);
	CHECK(has(v.msg, "bounding set") && has(v.msg, "--cap-add=SYS_PTRACE") &&
	      has(v.msg, "capabilities.add") && !has(v.msg, "sudo heapscope"),
	      "bounding: %s", v.msg);
}

static void test_no_new_privs(void)
{
	struct access_verdict v;
	struct access_facts f = base();
	f.file_cap = 1;
	f.no_new_privs = 1;
	for (int i = 0; i < 3; i++)
		f.t_uid[i] = 0;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_NO_NEW_PRIVS, "cause %d", v.cause);
	CHECK(has(v.msg, "no_new_privs") && has(v.msg, "NoNewPrivs: 1") &&
	      has(v.msg, "file capability") && has(v.msg, "/usr/local/bin/heapscope"),
	      "nnp: %s", v.msg);
	/* the file capability without no_new_privs, yet not effective: nosuid */
	f.no_new_privs = 0;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_NO_CAP, "cause %d", v.cause);
	CHECK(has(v.msg, "nosuid"), "nosuid: %s", v.msg);
}

/* The issue-16 defect. */
static void test_user_namespace(void)
{
	struct access_verdict v;
	struct access_facts f = root();          /* root in its own user namespace */
	f.init_userns = 0;
	snprintf(f.userns, sizeof f.userns, "user:[4026532555]");
	snprintf(f.t_userns, sizeof f.t_userns, "user:[4026531837]");
	f.userns_reach = 0;
	f.t_prm_mask = 0x1ffffffffffULL;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_USERNS, "cause %d: %s", v.cause, v.msg);
	CHECK(has(v.msg, "user:[4026532555]") && has(v.msg, "user:[4026531837]") &&
	      has(v.msg, "where it is root") && has(v.msg, "user namespace"),
	      "userns: %s", v.msg);
	CHECK(!has(v.msg, "sudo") && !has(v.msg, "we have"), "no sudo for root: %s", v.msg);
	/* seen from a child namespace, uids outside it are unmapped; with
	 * equal uids the capability rule still needs the namespace */
	for (int i = 0; i < 3; i++)
		f.t_uid[i] = f.t_gid[i] = 0;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_USERNS && !has(v.msg, "sudo"),
	      "userns, same uids: %s", v.msg);
	/* the target's namespace unreadable: still not "use sudo" */
	f.t_userns[0] = 0;
	judge(&f, ACCESS_OP_SEIZE, 1, &v);
	CHECK(v.cause == ACCESS_USERNS && !has(v.msg, "sudo"), "unknown ns: %s", v.msg);
}

static void test_not_dumpable(void)
{
	struct access_verdict v;
	struct access_facts f = base();
	f.t_dumpable = 0;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_NOT_DUMPABLE, "cause %d", v.cause);
	CHECK(has(v.msg, "not dumpable") && has(v.msg, "PR_SET_DUMPABLE") &&
	      has(v.msg, "setcap") && !has(v.msg, "sudo -u"), "dumpable: %s", v.msg);
	f = root();
	f.t_dumpable = 0;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 0, &v) == ACCESS_OK, "root traces it: %s", v.msg);
}

static void test_yama(void)
{
	struct access_verdict v;
	struct access_facts f = base();
	f.yama = 1;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_YAMA_1, "cause %d", v.cause);
	CHECK(has(v.msg, "kernel.yama.ptrace_scope is 1") && has(v.msg, "descendant") &&
	      has(v.msg, "sysctl kernel.yama.ptrace_scope=0") && has(v.msg, "setcap"),
	      "yama 1: %s", v.msg);
	CHECK(has(v.brief, "ptrace_scope=1"), "brief %s", v.brief);
	f.cap_eff = 1;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 0, &v) == ACCESS_OK, "yama 1 + cap: %s", v.msg);

	f = base();
	f.yama = 2;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_YAMA_2, "cause %d", v.cause);
	CHECK(has(v.msg, "kernel.yama.ptrace_scope is 2") && has(v.msg, "sudo heapscope"),
	      "yama 2: %s", v.msg);
	f = root();
	f.yama = 2;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 0, &v) == ACCESS_OK, "yama 2 root: %s", v.msg);
	f.cap_eff = 0;     /* root without the capability: no sudo advice */
	for (int i = 0; i < 3; i++)
		f.t_uid[i] = f.t_gid[i] = 0;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_YAMA_2 && !has(v.msg, "sudo"),
	      "yama 2 root no cap: %s", v.msg);

	f = root();
	f.yama = 3;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_YAMA_3, "cause %d", v.cause);
	CHECK(has(v.msg, "ptrace_scope is 3") && has(v.msg, "reboot") && !has(v.msg, "sudo"),
	      "yama 3: %s", v.msg);
	CHECK(judge(&f, ACCESS_OP_VMREAD, 1, &v) == ACCESS_YAMA_3, "yama 3 vmread");
}

static void test_seccomp_lsm_unknown(void)
{
	struct access_verdict v;
	struct access_facts f = root();
	f.seccomp = 2;
	f.seccomp_blocks = 1;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_SECCOMP, "cause %d", v.cause);
	CHECK(has(v.msg, "seccomp filter") && has(v.msg, "Seccomp: 2") &&
	      has(v.msg, "seccomp=unconfined") && has(v.msg, "refuses ptrace"),
	      "seccomp: %s", v.msg);
	/* predicted (ps) with a filter that was not probed: allowed */
	f.seccomp_blocks = -1;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 0, &v) == ACCESS_OK, "seccomp unprobed: %s", v.msg);
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_SECCOMP && has(v.msg, "probably"),
	      "seccomp refused: %s", v.msg);
	/* seccomp does not guard /proc */
	f.seccomp_blocks = 1;
	CHECK(judge(&f, ACCESS_OP_PROC, 1, &v) != ACCESS_SECCOMP, "seccomp /proc");

	f = root();
	snprintf(f.lsm, sizeof f.lsm, "docker-default (enforce)");
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_LSM, "cause %d", v.cause);
	CHECK(has(v.msg, "docker-default (enforce)") && has(v.msg, "apparmor=unconfined"),
	      "lsm: %s", v.msg);
	f.lsm[0] = 0;
	CHECK(judge(&f, ACCESS_OP_SEIZE, 1, &v) == ACCESS_UNKNOWN, "cause %d", v.cause);
	CHECK(has(v.msg, "holds CAP_SYS_PTRACE") && has(v.msg, "no Yama") && !has(v.msg, "sudo"),
	      "unknown: %s", v.msg);
	CHECK(judge(&f, ACCESS_OP_PROC, 1, &v) == ACCESS_UNKNOWN && has(v.msg, "hidepid"),
	      "unknown /proc: %s", v.msg);
}

/* The real thing on ourselves: gathering our own facts must work. */
static void test_gather_self(void)
{
	struct access_facts f;
	struct access_verdict v;
	access_gather(getpid(), 0, &f);
	CHECK(f.creds_known && f.t_uid[0] == f.uid[0], "own uid");
	CHECK(f.cap_eff >= 0 && f.cap_bnd >= 0 && f.seccomp >= 0, "own status");
	CHECK(f.t_userns[0] && !strcmp(f.userns, f.t_userns) && f.userns_reach == 1, "own ns");
	CHECK(f.tracer == 0 || f.tracer > 0, "tracer");
	CHECK(judge(&f, ACCESS_OP_PROC, 0, &v) == ACCESS_OK, "self: %s", v.msg);
}

static void test_cgroups(void)
{
	static const struct { const char *path, *runtime, *id; } cases[] = {
		{"/system.slice/docker-3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b.scope",
		 "docker", "3f2a1b9c8d7e"},
		{"/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		 "docker", "0123456789ab"},
		{"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice/"
		 "cri-containerd-fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210.scope",
		 "kubernetes", "fedcba987654"},
		{"/kubepods/besteffort/pod0a1b2c3d-0000-1111-2222-333344445555/"
		 "aaaaaaaaaaaabbbbbbbbbbbbccccccccccccddddddddddddeeeeeeeeeeeeffff", "kubernetes", "aaaaaaaaaaaa"},
		{"/machine.slice/libpod-1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff.scope",
		 "podman", "111122223333"},
		{"/system.slice/crio-abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcd.scope",
		 "cri-o", "abcdefabcdef"},
		{"/lxc.payload.web1", "lxc", ""},
		{"/machine.slice/machine-web.scope", "nspawn", "web"},
		{"/user.slice/user-1000.slice/session-2.scope", "", ""},
		{"/process_api/013ffea025c7fc4437fa9372d4658edf", "", ""},
		{"/system.slice/docker.service", "", ""},
		{"/", "", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char rt[16], id[16];
		int got = ctr_parse_cgroup(cases[i].path, rt, sizeof rt, id, sizeof id);
		CHECK(got == (cases[i].runtime[0] != 0) && !strcmp(rt, cases[i].runtime) &&
		      !strcmp(id, cases[i].id), "%s: got %d '%s' '%s', want '%s' '%s'",
		      cases[i].path, got, rt, id, cases[i].runtime, cases[i].id);
	}
	struct ctr_info c;
	ctr_inspect(getpid(), &c);
	CHECK(c.ns_pid == getpid() && !c.nested && c.other_pidns == 0 &&
	      c.other_mntns == 0 && c.other_root == 0, "self: nspid %d nested %d pidns %d",
	      (int)c.ns_pid, c.nested, c.other_pidns);
}

int main(void)
{
	test_ok();
	test_traced();
	test_other_user();
	test_root_without_cap();
	test_bounding();
	test_no_new_privs();
	test_user_namespace();
	test_not_dumpable();
	test_yama();
	test_seccomp_lsm_unknown();
	test_gather_self();
	test_cgroups();
	if (failures) {
		fprintf(stderr, "%d failure(s)\n", failures);
		return 1;
	}
	printf("ok\n");
	return 0;
}
