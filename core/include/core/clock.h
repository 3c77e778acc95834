/* clock.h -- time in nanoseconds, and RFC 3339 formatting. */
#ifndef CORE_CLOCK_H
#define CORE_CLOCK_H

#include "core/core.h"

/* Monotonic clock, for durations and timeouts. */
int64_t core_mono_ns(void);
/* Wall clock (UTC, since the Unix epoch), for timestamps people read. */
int64_t core_wall_ns(void);
/* Writes "2026-11-26T16:20:40.123Z" into out (at least 32 bytes). */
void core_rfc3339(int64_t wall_ns, char *out, size_t out_len);

#endif
