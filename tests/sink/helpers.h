/* helpers.h -- shared pieces of the sink tests: temp dirs, verdict batches, reading output. */
#ifndef TEST_SINK_HELPERS_H
#define TEST_SINK_HELPERS_H

#include <stdio.h>

#include "core/arena.h"
#include "core/buf.h"
#include "proto/verdict.h"

/* Fixed so that exported text is predictable: 2026-11-18T11:06:40.123Z. */
#define TEST_SCREENED_AT_NS 1795000000123000000LL
#define TEST_WATCHLIST_VERSION "wl-2026-11-26-a1b2c3"
#define TEST_WATCHLIST_LISTS "goods.csv (3 rules, 9f1e); sanctions.csv (2 rules, 77aa)"

/* A private directory per test, with db = dir/verdicts.db. */
typedef struct {
    char dir[128]; /* mkdtemp result */
    char db[192];  /* dir/verdicts.db */
} test_dir_t;

void test_dir_make(test_dir_t *d);
/* Removes the directory and everything in it. */
void test_dir_remove(test_dir_t *d);

/* What a test verdict looks like; turned into a proto_verdict_t with 'hits' standard hits. */
typedef struct {
    const char *parcel_id; /* required */
    uint32_t risk;         /* risk_score */
    proto_channel_t channel;
    uint32_t hits;   /* 0..3 standard hits (see helpers.c) */
    bool suppressed; /* every hit suppressed */
    bool random;     /* selected_at_random */
} test_verdict_t;

/* Encodes a VERDICT_BATCH with the test watchlist into buf. */
void test_batch_encode(core_buf_t *buf, uint64_t seq, const test_verdict_t *v, size_t n);

/* Encodes then decodes: *out points into buf and arena (keep both until done). */
void test_batch_make(core_buf_t *buf, core_arena_t *arena, uint64_t seq, const test_verdict_t *v,
                     size_t n, proto_verdict_batch_t *out);

/* Stores the verdicts v[0..n) as one batch (seq 1) in the database at db_path, created if
 * missing, at stored_at_ns; fails the test on error. */
void test_db_store(const char *db_path, const test_verdict_t *v, size_t n, int64_t stored_at_ns);

/* Runs a writer into memory: open a FILE with test_mem_open, read the text with test_mem_text
 * (after fclose-ing nothing; the text stays until test_mem_close). */
typedef struct {
    FILE *file; /* write here */
    char *text; /* NUL-terminated content after test_mem_flush */
    size_t len; /* bytes */
} test_mem_t;

void test_mem_open(test_mem_t *m);
/* Flushes and returns the text so far. */
const char *test_mem_text(test_mem_t *m);
void test_mem_close(test_mem_t *m);

/* Counts lines in text. */
size_t test_count_lines(const char *text);

#endif
