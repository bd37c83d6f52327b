/* procmem — what the kernel says about a process's memory: every mapping's
 * resident size (/proc/PID/smaps), the total (smaps_rollup), which pages
 * of a range are resident (/proc/PID/pagemap, the "present" bit, readable
 * without CAP_SYS_ADMIN), and the stack pointer of each thread blocked in
 * a system call (/proc/PID/task/TID/syscall), to tell its stack mapping.
 * Needs the same access as a ptrace attach (PTRACE_MODE_READ). */
#ifndef HS_PROCMEM_H
#define HS_PROCMEM_H

#include <stdint.h>
#include <sys/types.h>

#include "memsrc.h"

struct pm_map {
	raddr_t start, end;
	uint64_t rss, anon, swap, shmem;   /* bytes: Rss, Anonymous, Swap, Shmem (Rss of shared memory) */
	unsigned prot;                     /* PROT_* */
	int shared;
	char *path;                        /* NULL anonymous; "[heap]", "[stack]", "/usr/lib/…" */
};

struct pm_smaps {
	struct pm_map *maps;
	size_t n;
	uint64_t rss;                      /* sum of the mappings' Rss */
};

/* Read /proc/PID/smaps.  0, or -1 with errno. */
int pm_smaps_read(pid_t pid, struct pm_smaps *out);
void pm_smaps_free(struct pm_smaps *s);
/* Rss from /proc/PID/smaps_rollup (bytes), 0 when unreadable. */
uint64_t pm_rollup_rss(pid_t pid);

/* Resident bytes of [start, end) by /proc/PID/pagemap; fd from
 * pm_pagemap_open (-1: answers end - start, "assumed resident"). */
int pm_pagemap_open(pid_t pid);
uint64_t pm_resident(int fd, raddr_t start, raddr_t end);

/* Stack pointers of the threads that are in a system call (at most max).
 * Returns how many. */
size_t pm_thread_sps(pid_t pid, raddr_t *sp, size_t max, size_t *nthreads);

#endif
