/* mem.h -- allocator statistics for STATS counters.
 *
 * The stage programs link jemalloc (the `allocator` interface target); the libraries, tests and
 * sanitizer builds do not. core_mem_stats asks jemalloc through a weak reference to mallctl,
 * so it works in any program: with jemalloc linked it reports, without it it says so. */
#ifndef CORE_MEM_H
#define CORE_MEM_H

#include <stdint.h>

/* Sets *allocated (bytes in live allocations, jemalloc stats.allocated) and *resident (bytes
 * in physically resident allocator pages, stats.resident) after refreshing jemalloc's
 * statistics epoch. Returns 0, or -ENOTSUP when the program does not use jemalloc (both set
 * to 0). Not for hot paths: call it when a STATS message is built. */
int core_mem_stats(uint64_t *allocated, uint64_t *resident);

#endif
