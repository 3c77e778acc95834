/* clock.c -- monotonic and wall clocks, RFC 3339. */
#include "core/clock.h"

#include <stdio.h>
#include <time.h>

static int64_t s_clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t core_mono_ns(void)
{
    return s_clock_ns(CLOCK_MONOTONIC);
}

int64_t core_wall_ns(void)
{
    return s_clock_ns(CLOCK_REALTIME);
}

void core_rfc3339(int64_t wall_ns, char *out, size_t out_len)
{
    time_t secs = (time_t)(wall_ns / 1000000000LL);
    int millis = (int)((wall_ns / 1000000LL) % 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    snprintf(out, out_len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}
