/* micro.h -- micro benchmarks: one question each, one machine-readable line per result.
 *
 * Every benchmark is a function with a main()-like signature, so it runs both as its own
 * program (bench/micro/main.c, one executable per question) and inside 'parcelscreen bench',
 * which calls it on the manifests it generated. Each prints lines of the form
 *
 *   bench=proto_decode msg=parcel_batch parcels=200000 bytes=... seconds=... parcels_per_s=...
 *
 * to stdout, or appends them to --out FILE. Keys are lower-case words, values contain no
 * spaces; the first key is always 'bench'. --smoke runs a tiny case for ctest: it proves the
 * code path works, and its numbers mean nothing (the line carries smoke=1).
 *
 * A benchmark returns 0, 1 on a runtime failure (unreadable input, a stage API error) with one
 * line "parcelscreen: bench: <why>" on stderr, or 2 on a usage error. */
#ifndef BENCHMICRO_MICRO_H
#define BENCHMICRO_MICRO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/core.h"
#include "core/str.h"

/* ============ The benchmarks (argv[0] = the benchmark's name) ============ */

/* PARCEL_BATCH and VERDICT_BATCH encode and decode on synthetic records (proto only). */
int bench_proto_codec_main(int argc, char **argv);
/* Manifest decoding per format with ingest's reader, from memory (ingest). */
int bench_ingest_decode_main(int argc, char **argv);
/* The matching ceiling: screen's scanner and raw hs_scan over the same parcels, no sockets
 * (screen + ingest + Hyperscan). */
int bench_screen_scan_main(int argc, char **argv);
/* Name-matching quality: recall/precision of perturbed OFAC names, clean-name FPR (screen). */
int bench_screen_names_eval_main(int argc, char **argv);
/* Original-script recall and clean-parcel false positives, real lists loaded together
 * (screen + ingest). */
int bench_screen_lists_eval_main(int argc, char **argv);
/* Durable verdict writes through sink's store (sink). */
int bench_sink_store_main(int argc, char **argv);

/* ============ The matching ceiling as a function (used by the suite for ratios) ============ */

typedef struct {
    const char *const *watchlists; /* SPEC watchlist CSVs */
    size_t watchlist_count;        /* entries in watchlists */
    const char *input;             /* manifest; format from its extension */
    const unsigned *threads;       /* thread counts to measure (0 is taken as 1) */
    size_t thread_count;           /* entries in threads, >= 1 */
    unsigned repeat;               /* runs per thread count; the median is reported */
} bench_ceiling_opts_t;

/* One result per thread count. */
typedef struct {
    unsigned threads;        /* scanning threads */
    uint64_t parcels;        /* parcels screened per run */
    uint64_t input_bytes;    /* manifest bytes (for MB/s comparable with the pipeline) */
    uint64_t rules;          /* active rules */
    double compile_s;        /* screen_matcher_new wall time */
    double scanner_s;        /* median wall time of screen_scanner_screen over all parcels */
    uint64_t scanner_hits;   /* hits the scanner reported */
    uint64_t hs_patterns;    /* literal patterns in the raw Hyperscan databases */
    uint64_t hs_field_bytes; /* normalised field bytes that hs_scan reads per run */
    double hs_s;             /* median wall time of hs_scan alone over those fields */
    uint64_t hs_matches;     /* raw literal matches (before any verification) */
} bench_ceiling_result_t;

/* Loads and compiles the watchlists once, reads the manifest into memory once, then measures
 * both ceilings for every thread count: out[i] for opts->threads[i] (opts->thread_count
 * entries). Returns 0, -ENOSYS when the stage libraries were not built into this program, or
 * another negative errno with a reason in err. Uses memory for the whole manifest decoded. */
int bench_ceiling_measure(const bench_ceiling_opts_t *opts, bench_ceiling_result_t *out, char *err);

/* ============ Shared helpers (util.c) ============ */

/* Seconds on the monotonic clock. */
double bench_now_s(void);
/* CPU seconds of this process (all threads). */
double bench_cpu_s(void);

/* Opens where result lines go: 'path' for appending, or stdout when path is NULL or "-".
 * Returns NULL with a reason in err. Close with bench_out_close. */
FILE *bench_out_open(const char *path, char *err);
void bench_out_close(FILE **out_p);

/* Prints " parcels=N bytes=B seconds=S parcels_per_s=R mb_per_s=M" (leading space, no
 * newline): the common tail of a throughput line. */
void bench_print_rate(FILE *out, uint64_t parcels, uint64_t bytes, double seconds);

/* The median of n values (sorts them in place); 0 when n is 0. */
double bench_median(double *values, size_t n);

/* Reads a whole file into a malloc'd buffer (NUL-terminated, len excludes it). Returns NULL
 * with a reason in err. */
char *bench_read_file(const char *path, size_t *len, char *err);

/* Whether rule ids a and b name the same listed record: equal up to their dashes-th dash
 * (the whole id when it has fewer), so aliases "OFAC-SDN-123-A45" and "OFAC-SDN-123-R2" of
 * "OFAC-SDN-123" match with dashes = 3, and "UN-6908048-A1" of "UN-6908048" with 2. */
bool bench_same_record(core_str_t a, const char *b, int dashes);

/* A small deterministic PRNG (splitmix64): benchmarks never use rand(). */
typedef struct {
    uint64_t state; /* advances by a constant per draw */
} bench_rng_t;

void bench_rng_seed(bench_rng_t *rng, uint64_t seed);
uint64_t bench_rng_next(bench_rng_t *rng);
/* Uniform in [0, n); n > 0. */
uint32_t bench_rng_below(bench_rng_t *rng, uint32_t n);

/* Prints "parcelscreen: bench: <name>: <why>" on stderr. */
void bench_fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
