/* util.c -- helpers shared by the micro benchmarks: clocks, result lines, files, a PRNG. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "benchmicro/micro.h"
#include "core/clock.h"

double bench_now_s(void)
{
    return (double)core_mono_ns() / 1e9;
}

double bench_cpu_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

FILE *bench_out_open(const char *path, char *err)
{
    if (path == NULL || path[0] == '\0' || strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "a");
    if (f == NULL)
        core_err_set(err, "%s: %s", path, strerror(errno));
    return f;
}

void bench_out_close(FILE **out_p)
{
    core_assert(out_p != NULL);
    if (*out_p == NULL)
        return;
    if (*out_p == stdout)
        fflush(stdout);
    else
        fclose(*out_p);
    *out_p = NULL;
}

void bench_print_rate(FILE *out, uint64_t parcels, uint64_t bytes, double seconds)
{
    double rate = seconds > 0 ? (double)parcels / seconds : 0.0;
    double mb = seconds > 0 ? (double)bytes / 1e6 / seconds : 0.0;
    fprintf(out, " parcels=%llu bytes=%llu seconds=%.6f parcels_per_s=%.0f mb_per_s=%.2f",
            (unsigned long long)parcels, (unsigned long long)bytes, seconds, rate, mb);
}

static int s_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *values, size_t n)
{
    if (n == 0)
        return 0.0;
    qsort(values, n, sizeof(*values), s_cmp_double);
    if (n % 2)
        return values[n / 2];
    return (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

char *bench_read_file(const char *path, size_t *len, char *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        core_err_set(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        core_err_set(err, "%s: not a regular file", path);
        fclose(f);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    char *data = core_malloc(size + 1);
    size_t got = fread(data, 1, size, f);
    int failed = ferror(f);
    fclose(f);
    if (failed || got != size) {
        core_err_set(err, "%s: short read (%zu of %zu bytes)", path, got, size);
        free(data);
        return NULL;
    }
    data[size] = '\0';
    *len = size;
    return data;
}

void bench_rng_seed(bench_rng_t *rng, uint64_t seed)
{
    rng->state = seed;
}

uint64_t bench_rng_next(bench_rng_t *rng)
{
    uint64_t z = (rng->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint32_t bench_rng_below(bench_rng_t *rng, uint32_t n)
{
    core_assert(n > 0);
    return (uint32_t)(((bench_rng_next(rng) >> 32) * (uint64_t)n) >> 32);
}

void bench_fail(const char *name, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    fprintf(stderr, "parcelscreen: bench: %s: %s\n", name, why);
}

/* Length of id up to its dashes-th dash (all of it when it has fewer). */
static size_t s_record_len(const char *id, size_t len, int dashes)
{
    int seen = 0;
    for (size_t i = 0; i < len; i++) {
        if (id[i] == '-' && ++seen == dashes)
            return i;
    }
    return len;
}

bool bench_same_record(core_str_t a, const char *b, int dashes)
{
    size_t la = s_record_len(a.ptr, a.len, dashes);
    size_t lb = s_record_len(b, strlen(b), dashes);
    return la == lb && memcmp(a.ptr, b, la) == 0;
}
