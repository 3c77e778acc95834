/* bench_sink_store.c -- how fast can verdicts be made durable?
 *
 * Builds --verdicts verdicts in VERDICT_BATCH messages of --batch (a share --hit-rate with two
 * hits, which also makes them officers' queue entries), decodes them once, then stores them in
 * a fresh database with sink's store API the way the sink stage groups them: one transaction
 * of whole batches up to --group verdicts, then COMMIT (one fsync with --sync full). The clock
 * covers begin/add/commit only, not opening the database. One line:
 *   bench=sink_store sync=full batch=256 group=16384 commits=... parcels=... seconds=... ...
 * 'parcels' counts verdicts; bytes are VERDICT_BATCH bytes. Median of --repeat runs, each on
 * a new database in --dir (removed afterwards). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchmicro/micro.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "proto/verdict.h"
#include "sink/store.h"

typedef struct {
    long verdicts;   /* --verdicts */
    long batch;      /* --batch */
    long group;      /* --group */
    double hit_rate; /* --hit-rate */
    char *sync;      /* --sync */
    char *dir;       /* --dir */
    long repeat;     /* --repeat */
    long seed;       /* --seed */
    bool smoke;      /* --smoke */
    char *out;       /* --out */
} store_config_t;

#define OPT(k, t, d, lo, hi, f, h)                                                                 \
    {                                                                                              \
        k, t, d, lo, hi, offsetof(store_config_t, f), h                                            \
    }
static const core_config_opt_t s_opts[] = {
    OPT("verdicts", CORE_CONFIG_INT, "200000", 1, 100000000, verdicts, "verdicts to store"),
    OPT("batch", CORE_CONFIG_INT, "256", 1, PROTO_MAX_BATCH_PARCELS, batch, "verdicts per batch"),
    OPT("group", CORE_CONFIG_INT, "16384", 1, 100000000, group,
        "close a transaction at this many verdicts (sink --commit-max-verdicts)"),
    OPT("hit-rate", CORE_CONFIG_DOUBLE, "0.05", 0, 1, hit_rate, "share of verdicts with hits"),
    OPT("sync", CORE_CONFIG_STR, "full", 0, 0, sync, "full|normal (PRAGMA synchronous)"),
    OPT("dir", CORE_CONFIG_STR, "/tmp", 0, 0, dir, "where the temporary databases go"),
    OPT("repeat", CORE_CONFIG_INT, "3", 1, 1000, repeat, "runs; the median is reported"),
    OPT("seed", CORE_CONFIG_INT, "42", 0, 1e18, seed, "PRNG seed"),
    OPT("smoke", CORE_CONFIG_BOOL, "false", 0, 0, smoke, "tiny run for ctest, no timing claims"),
    OPT("out", CORE_CONFIG_STR, "-", 0, 0, out, "append result lines here (- = stdout)"),
};

static const core_config_table_t s_table = {
    .name = "bench_sink_store",
    .usage = "[--verdicts N] [--group N] [--sync full|normal] [--repeat R] [--smoke]",
    .summary = "Times durable verdict writes through sink's store API in a fresh database; one "
               "result line.",
    .opts = s_opts,
    .count = CORE_ARRAY_LEN(s_opts),
};

typedef struct {
    core_buf_t *msgs;               /* encoded VERDICT_BATCH per batch */
    core_arena_t *arenas;           /* decoded arrays per batch */
    proto_verdict_batch_t *batches; /* decoded */
    size_t count;                   /* batches */
    uint64_t bytes;                 /* message bytes */
} store_batches_t;

static void s_batches_free(store_batches_t *b)
{
    for (size_t i = 0; i < b->count; i++) {
        core_buf_clear(&b->msgs[i]);
        core_arena_clear(&b->arenas[i]);
    }
    free(b->msgs);
    free(b->arenas);
    free(b->batches);
    memset(b, 0, sizeof(*b));
}

static int s_batches_make(const store_config_t *cfg, store_batches_t *b, char *err)
{
    memset(b, 0, sizeof(*b));
    b->count = (size_t)((cfg->verdicts + cfg->batch - 1) / cfg->batch);
    b->msgs = core_calloc(b->count, sizeof(*b->msgs));
    b->arenas = core_calloc(b->count, sizeof(*b->arenas));
    b->batches = core_calloc(b->count, sizeof(*b->batches));
    bench_rng_t rng;
    bench_rng_seed(&rng, (uint64_t)cfg->seed);
    core_str_t version = core_str_from("wl-0123456789abcdef");
    core_str_t lists = core_str_from("bench.csv (25000 rules, 0123456789abcdef)");
    int64_t now = core_wall_ns();
    for (size_t i = 0; i < b->count; i++) {
        long first = (long)i * cfg->batch;
        long n = cfg->verdicts - first < cfg->batch ? cfg->verdicts - first : cfg->batch;
        proto_verdict_batch_begin(&b->msgs[i], i + 1, now, version, lists);
        for (long k = 0; k < n; k++) {
            char id[32];
            char name[48];
            snprintf(id, sizeof(id), "P%010ld", first + k + 1);
            snprintf(name, sizeof(name), "Petr Ivanov %ld", (first + k) % 997);
            proto_hit_t hits[2] = {
                {.rule_id = core_str_from("SDN-12345"),
                 .list = core_str_from("ofac-sdn"),
                 .kind = core_str_from("name"),
                 .field = core_str_from("recipient.name"),
                 .matched = core_str_from(name),
                 .start = 0,
                 .end = 11,
                 .similarity = 0.93,
                 .weight = 90},
                {.rule_id = core_str_from("GOODS-0113"),
                 .list = core_str_from("counterfeit"),
                 .kind = core_str_from("keyword"),
                 .field = core_str_from("items[0].description"),
                 .matched = core_str_from("replica"),
                 .start = 3,
                 .end = 10,
                 .similarity = 1.0,
                 .weight = 60},
            };
            proto_verdict_t v = {.parcel_id = core_str_from(id), .screened_at_ns = now};
            if ((double)bench_rng_below(&rng, 1000000) < cfg->hit_rate * 1e6) {
                v.hits = hits;
                v.hit_count = 2;
                v.risk_score = proto_risk_score(hits, 2);
                v.channel = v.risk_score >= 70 ? PROTO_CHANNEL_RED : PROTO_CHANNEL_YELLOW;
            }
            proto_verdict_batch_add(&b->msgs[i], &v);
        }
        proto_verdict_batch_finish(&b->msgs[i], (uint32_t)n);
        b->bytes += b->msgs[i].len;
        core_arena_init(&b->arenas[i], 0);
        if (proto_verdict_batch_decode(b->msgs[i].data, b->msgs[i].len, &b->batches[i],
                                       &b->arenas[i], err) != 0)
            return -EPROTO;
    }
    return 0;
}

static void s_remove_db(const char *path)
{
    static const char *const s_suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_suffixes); i++) {
        char p[512];
        snprintf(p, sizeof(p), "%s%s", path, s_suffixes[i]);
        unlink(p);
    }
}

/* One run on a fresh database; returns seconds or a negative value with a reason in err. */
static double s_run(const store_config_t *cfg, const store_batches_t *b, sink_sync_t sync,
                    uint64_t *commits, char *err)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/bench_sink_store-%ld-XXXXXX", cfg->dir, (long)getpid());
    int fd = mkstemp(path);
    if (fd < 0) {
        core_err_set(err, "%s: %s", cfg->dir, strerror(errno));
        return -1.0;
    }
    close(fd);
    unlink(path);
    sink_store_t *store = sink_store_open(path, sync, 5000, err);
    if (store == NULL) {
        s_remove_db(path);
        return -1.0;
    }
    sink_store_counts_t counts;
    memset(&counts, 0, sizeof(counts));
    double secs = -1.0;
    uint64_t n = 0;
    double t0 = bench_now_s();
    size_t i = 0;
    while (i < b->count) {
        if (sink_store_begin(store, err) != 0)
            goto out_close;
        long in_group = 0;
        while (i < b->count && in_group < cfg->group) {
            if (sink_store_add(store, &b->batches[i], core_wall_ns(), err) != 0) {
                sink_store_rollback(store);
                goto out_close;
            }
            in_group += b->batches[i].count;
            i++;
        }
        if (sink_store_commit(store, &counts, err) != 0)
            goto out_close;
        n++;
    }
    secs = bench_now_s() - t0;
    if (counts.verdicts_stored != (uint64_t)cfg->verdicts) {
        core_err_set(err, "stored %llu verdicts of %ld", (unsigned long long)counts.verdicts_stored,
                     cfg->verdicts);
        secs = -1.0;
    }
    *commits = n;
out_close:
    sink_store_destroy(&store);
    s_remove_db(path);
    return secs;
}

int bench_sink_store_main(int argc, char **argv)
{
    store_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN] = "";
    int rc = core_config_parse(&s_table, &cfg, argc, argv, stdout, err);
    if (rc != 0) {
        core_config_free(&s_table, &cfg);
        if (rc > 0)
            return 0;
        bench_fail("sink_store", "%s", err);
        return 2;
    }
    sink_sync_t sync = SINK_SYNC_FULL;
    if (sink_sync_parse(cfg.sync, &sync) != 0) {
        bench_fail("sink_store", "--sync must be full or normal, not '%s'", cfg.sync);
        core_config_free(&s_table, &cfg);
        return 2;
    }
    if (cfg.smoke) {
        cfg.verdicts = cfg.verdicts < 1000 ? cfg.verdicts : 1000;
        cfg.repeat = 1;
    }
    FILE *out = bench_out_open(cfg.out, err);
    if (out == NULL) {
        bench_fail("sink_store", "%s", err);
        core_config_free(&s_table, &cfg);
        return 1;
    }
    store_batches_t b;
    double *runs = core_calloc((size_t)cfg.repeat, sizeof(*runs));
    uint64_t commits = 0;
    rc = 1;
    if (s_batches_make(&cfg, &b, err) != 0) {
        bench_fail("sink_store", "building batches: %s", err);
        goto out_free;
    }
    for (long r = 0; r < cfg.repeat; r++) {
        runs[r] = s_run(&cfg, &b, sync, &commits, err);
        if (runs[r] < 0) {
            bench_fail("sink_store", "%s", err);
            goto out_free;
        }
    }
    double secs = bench_median(runs, (size_t)cfg.repeat);
    fprintf(out,
            "bench=sink_store sync=%s batch=%ld group=%ld hit_rate=%.3f commits=%llu "
            "commits_per_s=%.1f",
            cfg.sync, cfg.batch, cfg.group, cfg.hit_rate, (unsigned long long)commits,
            secs > 0 ? (double)commits / secs : 0.0);
    bench_print_rate(out, (uint64_t)cfg.verdicts, b.bytes, secs);
    fprintf(out, " repeat=%ld%s\n", cfg.repeat, cfg.smoke ? " smoke=1" : "");
    fflush(out);
    rc = 0;
out_free:
    s_batches_free(&b);
    free(runs);
    bench_out_close(&out);
    core_config_free(&s_table, &cfg);
    return rc;
}
