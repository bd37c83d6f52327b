/* addrhash — the mixer of the address-keyed open-addressing tables
 * (pyobj's type cache, heap's type rows, traverse's type plans, graph's
 * address index): the finalizer half of MurmurHash3's fmix64, enough to
 * spread 16-byte-aligned heap addresses over the slots.  One copy, so
 * the tables cannot drift apart.  (sites.c hashes pointer keys with a
 * Fibonacci multiply of its own.)
 */
#ifndef HS_ADDRHASH_H
#define HS_ADDRHASH_H

#include <stdint.h>

#include "memsrc.h"

static inline uint64_t addr_mix(raddr_t a)
{
	a ^= a >> 33;
	a *= 0xff51afd7ed558ccdULL;
	a ^= a >> 33;
	return a;
}

#endif
