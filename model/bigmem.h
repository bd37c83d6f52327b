/* bigmem — advice for the model's big arrays (heap.c's per-object
 * arrays, graph.c's index and universe).
 */
#ifndef HS_BIGMEM_H
#define HS_BIGMEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

/* Ask for 2 MiB pages under a big array read or written at random: with
 * 4 KiB pages nearly every probe also misses the TLB (a prefetch that
 * misses it may be dropped), and filling a fresh array takes a page fault
 * per 4 KiB, which costs several microseconds in a VM.  Only the aligned
 * middle of the array is advised (a malloc'd block does not own the pages
 * at its ends).  Only advice: the kernel may ignore it (THP off). */
static inline void huge_advise(void *p, size_t bytes)
{
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t e = ((uintptr_t)p + bytes) & ~(huge - 1);
	if (p && e > a)
		madvise((void *)a, e - a, MADV_HUGEPAGE);
}

#endif
