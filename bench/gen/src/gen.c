/* gen.c -- 'parcelscreen generate': options, output files and the main loop.
 *
 * DESIGN: parcels are built one at a time (build.c), maybe given planted hits (plant.c) and
 * appended to one buffer per output; buffers go to their files whenever they pass
 * GEN_FLUSH_BYTES, so memory stays flat for any --parcels. The parcel stream and the planting
 * decisions use separate PRNG streams derived from --seed, so equal options and lists give
 * byte-identical files. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "gen/gen.h"
#include "internal.h"

#define GEN_FLUSH_BYTES (4u << 20)

typedef struct {
    long parcels;             /* --parcels */
    long seed;                /* --seed */
    char *out_dir;            /* --out-dir */
    char *formats;            /* --formats */
    core_strlist_t watchlist; /* --watchlist */
    double hit_rate;          /* --hit-rate */
    bool demo_watchlist;      /* --demo-watchlist */
    char *start_date;         /* --start-date */
    char *log_level;          /* --log-level */
} gen_config_t;

static const core_config_opt_t s_opts[] = {
    {"parcels", CORE_CONFIG_INT, "1000", 1, 1e9, offsetof(gen_config_t, parcels),
     "number of parcels to generate"},
    {"seed", CORE_CONFIG_INT, "1", 0, 9e18, offsetof(gen_config_t, seed),
     "PRNG seed: the same seed and lists give byte-identical files"},
    {"out-dir", CORE_CONFIG_STR, NULL, 0, 0, offsetof(gen_config_t, out_dir),
     "directory for manifest.{ndjson,csv,msgpack} and truth.csv (created if missing)"},
    {"formats", CORE_CONFIG_STR, "ndjson,csv,msgpack", 0, 0, offsetof(gen_config_t, formats),
     "comma-separated encodings to write: ndjson, csv, msgpack"},
    {"watchlist", CORE_CONFIG_LIST, NULL, 0, 0, offsetof(gen_config_t, watchlist),
     "SPEC watchlist CSVs to plant hits from (and to keep clean parcels clean of)"},
    {"hit-rate", CORE_CONFIG_DOUBLE, "0.02", 0, 1, offsetof(gen_config_t, hit_rate),
     "fraction of parcels that get a planted hit"},
    {"demo-watchlist", CORE_CONFIG_BOOL, "false", 0, 0, offsetof(gen_config_t, demo_watchlist),
     "also write DIR/demo_watchlist.csv (fictional parties, goods terms) and plant from it"},
    {"start-date", CORE_CONFIG_STR, "2026-03-02", 0, 0, offsetof(gen_config_t, start_date),
     "first posting day, YYYY-MM-DD (UTC)"},
    {"log-level", CORE_CONFIG_STR, "info", 0, 0, offsetof(gen_config_t, log_level),
     "error, warn, info or debug"},
};

static const core_config_table_t s_table = {
    .name = "generate",
    .usage = "--out-dir DIR [options]",
    .summary = "Writes a synthetic manifest in NDJSON, flat CSV and MessagePack (the same "
               "parcels in each) and truth.csv, the hits planted from the given watchlists.",
    .opts = s_opts,
    .count = CORE_ARRAY_LEN(s_opts),
};

typedef struct {
    const char *name; /* file name in out-dir */
    FILE *file;       /* NULL when the format is not wanted */
    core_buf_t buf;   /* pending bytes */
    char path[4096];  /* full path, for errors */
} gen_output_t;

enum { OUT_NDJSON, OUT_CSV, OUT_MSGPACK, OUT_TRUTH, OUT_COUNT };

static int s_flush(gen_output_t *o, char *err)
{
    if (o->file == NULL || o->buf.len == 0)
        return 0;
    if (fwrite(o->buf.data, 1, o->buf.len, o->file) != o->buf.len) {
        core_err_set(err, "%s: %s", o->path, strerror(errno));
        return -EIO;
    }
    core_buf_reset(&o->buf);
    return 0;
}

static int s_parse_formats(const char *text, bool wanted[OUT_COUNT], char *err)
{
    char copy[256];
    gen__copy(copy, sizeof(copy), text);
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (strcmp(tok, "ndjson") == 0)
            wanted[OUT_NDJSON] = true;
        else if (strcmp(tok, "csv") == 0)
            wanted[OUT_CSV] = true;
        else if (strcmp(tok, "msgpack") == 0)
            wanted[OUT_MSGPACK] = true;
        else {
            core_err_set(err, "--formats: unknown format '%s' (ndjson, csv, msgpack)", tok);
            return -EINVAL;
        }
    }
    wanted[OUT_TRUTH] = true;
    return 0;
}

static int s_parse_date(const char *text, int64_t *epoch, char *err)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    const char *end = strptime(text, "%Y-%m-%d", &tm);
    if (end == NULL || *end != '\0') {
        core_err_set(err, "--start-date: '%s' is not YYYY-MM-DD", text);
        return -EINVAL;
    }
    *epoch = (int64_t)timegm(&tm);
    return 0;
}

static bool s_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Loads the watchlists (and the demo list). Returns 0, or -errno with a reason in err. */
static int s_load_rules(const gen_config_t *cfg, gen__rules_t *rules, char *err)
{
    char demo_path[4096] = "";
    if (cfg->demo_watchlist) {
        snprintf(demo_path, sizeof(demo_path), "%s/demo_watchlist.csv", cfg->out_dir);
        long n = gen__demo_write(demo_path, err);
        if (n < 0)
            return (int)n;
        core_log(CORE_LOG_INFO, "wrote %s: %ld rules", demo_path, n);
        int rc = gen__rules_load(rules, demo_path, err);
        if (rc != 0)
            return rc;
    }
    for (size_t i = 0; i < cfg->watchlist.count; i++) {
        const char *path = cfg->watchlist.items[i];
        if (demo_path[0] && s_same_file(path, demo_path))
            continue;
        int rc = gen__rules_load(rules, path, err);
        if (rc != 0)
            return rc;
    }
    return gen__rules_finish(rules, err);
}

static int s_open_outputs(const gen_config_t *cfg, const bool wanted[OUT_COUNT],
                          gen_output_t out[OUT_COUNT], char *err)
{
    static const char *const names[OUT_COUNT] = {"manifest.ndjson", "manifest.csv",
                                                 "manifest.msgpack", "truth.csv"};
    for (int i = 0; i < OUT_COUNT; i++) {
        out[i].name = names[i];
        snprintf(out[i].path, sizeof(out[i].path), "%s/%s", cfg->out_dir, names[i]);
        if (!wanted[i])
            continue;
        out[i].file = fopen(out[i].path, "wb");
        if (out[i].file == NULL) {
            core_err_set(err, "%s: %s", out[i].path, strerror(errno));
            return -errno;
        }
    }
    if (out[OUT_CSV].file)
        gen__csv_header(&out[OUT_CSV].buf);
    core_buf_append_str(&out[OUT_TRUTH].buf, "parcel_id,rule_id,field,planted_text,variant\n");
    return 0;
}

static int s_close_outputs(gen_output_t out[OUT_COUNT], char *err)
{
    int rc = 0;
    for (int i = 0; i < OUT_COUNT; i++) {
        if (rc == 0)
            rc = s_flush(&out[i], err);
        if (out[i].file && fclose(out[i].file) != 0 && rc == 0) {
            core_err_set(err, "%s: %s", out[i].path, strerror(errno));
            rc = -EIO;
        }
        out[i].file = NULL;
        core_buf_clear(&out[i].buf);
    }
    return rc;
}

static int s_generate(const gen_config_t *cfg, const bool wanted[OUT_COUNT], int64_t epoch,
                      gen__rules_t *rules, char *err)
{
    gen_output_t out[OUT_COUNT];
    memset(out, 0, sizeof(out));
    int rc = s_open_outputs(cfg, wanted, out, err);
    if (rc != 0)
        goto out_close;

    gen__builder_t *builder = core_malloc(sizeof(*builder));
    gen__planter_t planter;
    gen__parcel_t *parcel = core_malloc(sizeof(*parcel));
    gen__builder_init(builder, (uint64_t)cfg->seed, epoch, rules);
    gen__planter_init(&planter, (uint64_t)cfg->seed, cfg->hit_rate, rules);
    int64_t t0 = core_mono_ns();
    uint64_t lines = 0;
    for (long i = 0; i < cfg->parcels && rc == 0; i++) {
        gen__builder_next(builder, parcel);
        gen__planter_apply(&planter, parcel, &out[OUT_TRUTH].buf);
        lines += (uint64_t)parcel->item_count;
        if (out[OUT_NDJSON].file)
            gen__ndjson_parcel(&out[OUT_NDJSON].buf, parcel);
        if (out[OUT_CSV].file)
            gen__csv_parcel(&out[OUT_CSV].buf, parcel);
        if (out[OUT_MSGPACK].file)
            gen__msgpack_parcel(&out[OUT_MSGPACK].buf, parcel);
        for (int o = 0; o < OUT_COUNT && rc == 0; o++)
            if (out[o].buf.len >= GEN_FLUSH_BYTES)
                rc = s_flush(&out[o], err);
    }
    double secs = (double)(core_mono_ns() - t0) / 1e9;
    if (rc == 0) {
        core_log(CORE_LOG_INFO,
                 "%ld parcels (%" PRIu64 " item lines) in %.2f s; %" PRIu64
                 " planted hits in %" PRIu64 " parcels (name %" PRIu64 ", keyword %" PRIu64
                 ", hscode %" PRIu64 ", country %" PRIu64 ", identifier %" PRIu64 ")",
                 cfg->parcels, lines, secs, planter.hits, planter.parcels_hit,
                 planter.by_kind[GEN_KIND_NAME], planter.by_kind[GEN_KIND_KEYWORD],
                 planter.by_kind[GEN_KIND_HSCODE], planter.by_kind[GEN_KIND_COUNTRY],
                 planter.by_kind[GEN_KIND_IDENTIFIER]);
        core_log(CORE_LOG_INFO,
                 "clean-field guard: %" PRIu64 " fields regenerated, %" PRIu64
                 " still hitting a list after retries",
                 builder->guard_retries, builder->guard_residual);
        size_t plantable = 0;
        for (int k = 0; k < GEN_KIND_COUNT; k++)
            plantable += gen__rules_plantable(rules, (gen__kind_t)k);
        if (gen__rules_count(rules) > 0 && plantable == 0 && cfg->hit_rate > 0)
            core_log(CORE_LOG_WARN, "no hit planted: the lists hold no plantable rule");
    }
    free(parcel);
    free(builder);
out_close : {
    char close_err[CORE_ERR_LEN];
    int crc = s_close_outputs(out, close_err);
    if (rc == 0 && crc != 0) {
        rc = crc;
        gen__copy(err, CORE_ERR_LEN, close_err);
    }
}
    return rc;
}

int gen_main(int argc, char **argv)
{
    core_log_init("generate");
    gen_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN] = "";
    int exit_code = 2;
    int rc = core_config_parse(&s_table, &cfg, argc, argv, stdout, err);
    if (rc == 1) {
        exit_code = 0;
        goto out_cfg;
    }
    if (rc != 0)
        goto out_usage;
    core_log_level_t level;
    if (core_log_level_parse(cfg.log_level, &level) != 0) {
        core_err_set(err, "--log-level: '%s' is not error|warn|info|debug", cfg.log_level);
        goto out_usage;
    }
    core_log_set_level(level);
    if (cfg.out_dir == NULL || cfg.out_dir[0] == '\0') {
        core_err_set(err, "--out-dir is required (see --help)");
        goto out_usage;
    }
    bool wanted[OUT_COUNT] = {false};
    int64_t epoch = 0;
    if (s_parse_formats(cfg.formats, wanted, err) != 0 ||
        s_parse_date(cfg.start_date, &epoch, err) != 0)
        goto out_usage;
    if (mkdir(cfg.out_dir, 0777) != 0 && errno != EEXIST) {
        core_err_set(err, "%s: %s", cfg.out_dir, strerror(errno));
        exit_code = 1;
        goto out_usage;
    }
    gen__rules_t *rules = gen__rules_new();
    if (s_load_rules(&cfg, rules, err) != 0) {
        gen__rules_destroy(&rules);
        goto out_usage;
    }
    exit_code = s_generate(&cfg, wanted, epoch, rules, err) == 0 ? 0 : 1;
    gen__rules_destroy(&rules);
    if (exit_code == 0)
        goto out_cfg;

out_usage:
    fprintf(stderr, "parcelscreen: generate: %s\n", err);
out_cfg:
    core_config_free(&s_table, &cfg);
    return exit_code;
}
