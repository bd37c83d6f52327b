/* bench/faultin.c - what fresh memory costs on this machine.
 *
 *   faultin MIB [huge|small]
 *
 * Maps MIB MiB the way attach/live.c maps its copy buffers (private,
 * anonymous, 2 MiB aligned), faults them in with MADV_POPULATE_WRITE
 * (huge: after MADV_HUGEPAGE, as heapscope does; small: after
 * MADV_NOHUGEPAGE), then writes every byte once, and prints one JSON line:
 * {"mib":..,"huge":..,"populate_ms":..,"touch_ms":..,"ms_per_mib":..}.
 *
 * Why: heapscope's first try is dominated by faulting in the buffers the
 * pause copies into, and what that costs is a property of the machine,
 * not of heapscope.  On a VM whose host takes freed guest memory back
 * (virtio free page reporting), memory freed more than a second or two
 * ago costs a host-side fault on its next first touch; bench.py runs this
 * after a settle (cold) and again at once (warm) and prints both beside
 * the first-try table, so that a reader on another machine can tell its
 * memory from ours.  No target, no ptrace: just the allocator. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static double mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 2 || atol(argv[1]) <= 0) {
		fprintf(stderr, "usage: faultin MIB [huge|small]\n");
		return 2;
	}
	size_t len = (size_t)atol(argv[1]) << 20, align = (size_t)2 << 20;
	int huge = argc < 3 || strcmp(argv[2], "small") != 0;
	unsigned char *raw = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED) {
		perror("faultin: mmap");
		return 1;
	}
	unsigned char *buf = (unsigned char *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
	double t0 = mono_ms();
	madvise(buf, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	if (madvise(buf, len, MADV_POPULATE_WRITE) != 0)   /* kernel < 5.14 */
		for (size_t off = 0; off < len; off += 4096)
			((volatile unsigned char *)buf)[off] = 0;
	double t1 = mono_ms();
	/* the first write from user space: with 4 KiB pages, a VM may charge
	 * its cost here rather than in the fault (shadow or nested paging) */
	memset(buf, 1, len);
	double t2 = mono_ms();
	double mib = (double)len / 1048576.0;
	printf("{\"mib\": %.0f, \"huge\": %d, \"populate_ms\": %.1f, \"touch_ms\": %.1f, "
	       "\"ms_per_mib\": %.3f}\n", mib, huge, t1 - t0, t2 - t1, (t2 - t0) / mib);
	munmap(raw, len + align);
	return 0;
}
