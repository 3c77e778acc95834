/* bench_ingest_decode.c -- how fast does ingest turn manifest bytes into parcels, per format?
 *
 * Each --input file is read into memory first (the disk is not measured), then handed to a
 * fresh ingest_reader_t the way the stage does it: reserve, copy up to the room offered,
 * commit, and take records with ingest_reader_next until it wants more. One line per input:
 *   bench=ingest_decode format=ndjson parcels=... rejects=... bytes=... seconds=... ...
 * The median of --repeat runs. Single thread; no sockets, no batching. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchmicro/micro.h"
#include "core/config.h"
#include "ingest/reader.h"

typedef struct {
    core_strlist_t input; /* --input */
    char *format;         /* --format */
    long repeat;          /* --repeat */
    bool smoke;           /* --smoke */
    char *out;            /* --out */
} decode_config_t;

#define OPT(k, t, d, lo, hi, f, h)                                                                 \
    {                                                                                              \
        k, t, d, lo, hi, offsetof(decode_config_t, f), h                                           \
    }
static const core_config_opt_t s_opts[] = {
    OPT("input", CORE_CONFIG_LIST, NULL, 0, 0, input, "manifest files (.ndjson, .csv, .msgpack)"),
    OPT("format", CORE_CONFIG_STR, "auto", 0, 0, format, "auto|ndjson|csv|msgpack"),
    OPT("repeat", CORE_CONFIG_INT, "5", 1, 1000, repeat, "runs; the median is reported"),
    OPT("smoke", CORE_CONFIG_BOOL, "false", 0, 0, smoke, "one run for ctest, no timing claims"),
    OPT("out", CORE_CONFIG_STR, "-", 0, 0, out, "append result lines here (- = stdout)"),
};

static const core_config_table_t s_table = {
    .name = "bench_ingest_decode",
    .usage = "--input F... [--format F] [--repeat R] [--smoke]",
    .summary = "Times ingest's manifest reader on in-memory files, one result line per file.",
    .opts = s_opts,
    .count = CORE_ARRAY_LEN(s_opts),
};

/* One pass over the bytes. Returns 0 and the counts, or -EPROTO when the reader stalls. */
static int s_pass(ingest_format_t format, const char *source, const char *data, size_t len,
                  uint64_t *parcels, uint64_t *rejects)
{
    ingest_reader_t *reader = ingest_reader_new(format, source, NULL);
    proto_parcel_t parcel;
    size_t off = 0;
    uint64_t n = 0;
    int rc = 0;
    if (len == 0)
        ingest_reader_finish(reader);
    for (;;) {
        int r = ingest_reader_next(reader, &parcel);
        if (r == INGEST_READ_PARCEL) {
            n++;
        } else if (r == INGEST_READ_REJECT) {
            continue;
        } else if (r == INGEST_READ_END) {
            break;
        } else if (r == -EAGAIN) {
            if (off == len) {
                /* finish() was called already when off reached len: a reader that still
                 * wants bytes is stuck. */
                rc = -EPROTO;
                break;
            }
            ingest_reader_feed_next(reader, data, len, &off);
        } else {
            rc = r;
            break;
        }
    }
    *parcels = n;
    *rejects = ingest_reader_rejects(reader);
    ingest_reader_destroy(&reader);
    return rc;
}

static int s_bench_file(FILE *out, const decode_config_t *cfg, const char *path)
{
    char err[CORE_ERR_LEN] = "";
    ingest_format_t format = INGEST_FORMAT_AUTO;
    if (ingest_format_parse(cfg->format, &format) != 0) {
        bench_fail("ingest_decode", "unknown --format '%s'", cfg->format);
        return 2;
    }
    if (format == INGEST_FORMAT_AUTO)
        format = ingest_format_from_path(path);
    if (format == INGEST_FORMAT_AUTO) {
        bench_fail("ingest_decode", "%s: cannot tell the format from the name; use --format", path);
        return 2;
    }
    size_t len = 0;
    char *data = bench_read_file(path, &len, err);
    if (data == NULL) {
        bench_fail("ingest_decode", "%s", err);
        return 1;
    }
    double *secs = core_calloc((size_t)cfg->repeat, sizeof(*secs));
    uint64_t parcels = 0;
    uint64_t rejects = 0;
    int rc = 0;
    for (long r = 0; r < cfg->repeat; r++) {
        double t0 = bench_now_s();
        if (s_pass(format, path, data, len, &parcels, &rejects) != 0) {
            bench_fail("ingest_decode", "%s: the reader stopped before the end of input", path);
            rc = 1;
            goto out_free;
        }
        secs[r] = bench_now_s() - t0;
    }
    fprintf(out, "bench=ingest_decode format=%s rejects=%llu", ingest_format_name(format),
            (unsigned long long)rejects);
    bench_print_rate(out, parcels, len, bench_median(secs, (size_t)cfg->repeat));
    fprintf(out, " repeat=%ld%s\n", cfg->repeat, cfg->smoke ? " smoke=1" : "");
    fflush(out);
out_free:
    free(secs);
    free(data);
    return rc;
}

int bench_ingest_decode_main(int argc, char **argv)
{
    decode_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN] = "";
    int rc = core_config_parse(&s_table, &cfg, argc, argv, stdout, err);
    if (rc != 0) {
        core_config_free(&s_table, &cfg);
        if (rc > 0)
            return 0;
        bench_fail("ingest_decode", "%s", err);
        return 2;
    }
    if (cfg.input.count == 0) {
        bench_fail("ingest_decode", "--input is required");
        core_config_free(&s_table, &cfg);
        return 2;
    }
    if (cfg.smoke)
        cfg.repeat = 1;
    FILE *out = bench_out_open(cfg.out, err);
    if (out == NULL) {
        bench_fail("ingest_decode", "%s", err);
        core_config_free(&s_table, &cfg);
        return 1;
    }
    for (size_t i = 0; i < cfg.input.count && rc == 0; i++)
        rc = s_bench_file(out, &cfg, cfg.input.items[i]);
    bench_out_close(&out);
    core_config_free(&s_table, &cfg);
    return rc;
}
