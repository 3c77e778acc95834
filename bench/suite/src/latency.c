/* latency.c -- ingest-read to durable-verdict latency, per parcel, from what the sink recorded.
 *
 * DESIGN: the preferred source is the sink's per-batch latency log (one line per committed
 * batch: "seq parcels ingest_ns commit_ns", written after COMMIT), where every parcel of a
 * batch counts once with the batch's latency: ingest_ns is when ingest read the batch's first
 * record, so a later record of the batch waited slightly less (the figures err high, never
 * low). The fallback is the sink database, when its verdicts table carries the ingest time
 * (a column named ingest_at): then latency = stored_at - ingest_at, where stored_at is taken
 * just before COMMIT (it misses the fsync; the source column says "db"). Percentiles are
 * exact (sorted samples, weighted), not from a histogram.
 *
 * Start-up is kept out of the percentiles: batches that ingest read before 'since' (the first
 * durable commit, or when a paced feed began) waited for the watchlist to compile. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void bench__lat_push(bench__lat_samples_t *s, int64_t ingest_ns, int64_t commit_ns, uint64_t weight)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->v = core_realloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->count++] = (bench__lat_sample_t){ingest_ns, commit_ns, weight};
}

void bench__lat_free(bench__lat_samples_t *s)
{
    free(s->v);
    memset(s, 0, sizeof(*s));
}

typedef struct {
    int64_t lat_ns;  /* latency */
    uint64_t weight; /* parcels */
} lat_point_t;

static int s_cmp(const void *a, const void *b)
{
    int64_t x = ((const lat_point_t *)a)->lat_ns;
    int64_t y = ((const lat_point_t *)b)->lat_ns;
    return (x > y) - (x < y);
}

void bench__latency_summarise(const bench__lat_samples_t *s, int64_t since_ns,
                              bench__latency_t *out)
{
    memset(out, 0, sizeof(*out));
    out->source = s->source ? s->source : "n/a";
    if (s->count == 0)
        return;
    int64_t first = INT64_MAX;
    int64_t last = 0;
    for (size_t i = 0; i < s->count; i++) {
        first = s->v[i].commit_ns < first ? s->v[i].commit_ns : first;
        last = s->v[i].commit_ns > last ? s->v[i].commit_ns : last;
    }
    for (size_t i = 0; i < s->count; i++)
        if (s->v[i].commit_ns == first)
            out->parcels_first_commit += s->v[i].weight;
    out->first_commit_ns = first;
    out->last_commit_ns = last;
    if (since_ns < 0)
        since_ns = first;
    out->since_ns = since_ns;

    lat_point_t *v = core_calloc(s->count, sizeof(*v));
    size_t n = 0;
    uint64_t total = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (s->v[i].ingest_ns < since_ns)
            continue;
        int64_t lat = s->v[i].commit_ns - s->v[i].ingest_ns;
        v[n++] = (lat_point_t){lat < 0 ? 0 : lat, s->v[i].weight};
        total += s->v[i].weight;
    }
    if (n == 0 || total == 0) {
        free(v);
        return;
    }
    qsort(v, n, sizeof(*v), s_cmp);
    out->valid = true;
    out->parcels = total;
    size_t i = 0;
    uint64_t cum = v[0].weight;
    for (int q = 0; q < BENCH_LAT_QUANTILES; q++) {
        /* The smallest latency whose cumulative weight reaches q/200 of all parcels. */
        double want = (double)total * q / (BENCH_LAT_QUANTILES - 1);
        while (i + 1 < n && (double)cum < want) {
            i++;
            cum += v[i].weight;
        }
        out->q_ms[q] = (double)v[i].lat_ns / 1e6;
    }
    out->p50_ms = out->q_ms[(BENCH_LAT_QUANTILES - 1) / 2];
    /* p99 exactly, not the nearest plotted quantile. */
    double want = (double)total * 0.99;
    cum = 0;
    for (size_t k = 0; k < n; k++) {
        cum += v[k].weight;
        if ((double)cum >= want) {
            out->p99_ms = (double)v[k].lat_ns / 1e6;
            break;
        }
    }
    out->max_ms = (double)v[n - 1].lat_ns / 1e6;
    free(v);
}

int bench__latency_load_log(const char *path, bench__lat_samples_t *out)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -ENOENT;
    char line[256];
    size_t before = out->count;
    while (fgets(line, sizeof(line), f)) {
        /* "seq parcels ingest_ns commit_ns" */
        char *p = line;
        char *end = NULL;
        long long v[4];
        int n = 0;
        for (; n < 4; n++) {
            v[n] = strtoll(p, &end, 10);
            if (end == p)
                break;
            p = end;
        }
        if (n != 4)
            continue;
        long long parcels = v[1], ingest = v[2], commit = v[3];
        if (ingest <= 0 || commit <= 0 || parcels <= 0)
            continue;
        bench__lat_push(out, ingest, commit, (uint64_t)parcels);
    }
    fclose(f);
    if (out->count == before)
        return -EINVAL;
    out->source = "latency-log";
    return 0;
}

static bool s_has_column(sqlite3 *db, const char *table, const char *column)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "PRAGMA table_info(%s)", table);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    bool found = false;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *name = sqlite3_column_text(st, 1);
        if (name && strcmp((const char *)name, column) == 0)
            found = true;
    }
    sqlite3_finalize(st);
    return found;
}

int bench__latency_load_db(const char *db_path, bench__lat_samples_t *out)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return -ENOENT;
    }
    sqlite3_stmt *st = NULL;
    int rc = -ENOTSUP;
    if (!s_has_column(db, "verdicts", "ingest_at"))
        goto out_close;
    rc = -EIO;
    if (sqlite3_prepare_v2(db, "SELECT ingest_at, stored_at FROM verdicts", -1, &st, NULL) !=
        SQLITE_OK)
        goto out_close;
    size_t before = out->count;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t ingest = sqlite3_column_int64(st, 0);
        int64_t stored = sqlite3_column_int64(st, 1);
        if (ingest > 0 && stored > 0)
            bench__lat_push(out, ingest, stored, 1);
    }
    sqlite3_finalize(st);
    rc = out->count > before ? 0 : -EINVAL;
    if (rc == 0)
        out->source = "db";
out_close:
    sqlite3_close(db);
    return rc;
}

long long bench__db_count(const char *db_path)
{
    sqlite3 *db = NULL;
    long long n = -1;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 200);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM verdicts", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}
