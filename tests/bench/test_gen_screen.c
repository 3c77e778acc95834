/* test_gen_screen.c -- generated manifests through the real ingest reader and screen scanner:
 * every encoding is read without a reject, every planted hit in truth.csv is found, and clean
 * parcels (not in truth.csv) get no hit at all, with the demo list and with the real OFAC SDN
 * and goods lists imported by 'watchlist import'. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "gen/gen.h"
#include "ingest/reader.h"
#include "screen/import.h"
#include "screen/matcher.h"
#include "screen/scanner.h"
#include "screen/watchlist.h"

#define SDN_FILE PS_SHARED_DIR "/data/watchlists/ofac/sdn_2024-05-03.csv"
#define ALT_FILE PS_SHARED_DIR "/data/watchlists/ofac/snapshot_2025-12_no_sdn/alt.csv"
#define GOODS_DIR PS_SHARED_DIR "/data/watchlists/goods"

typedef struct {
    char dir[64];   /* unique temporary directory */
    char path[256]; /* last path built */
} t_tmp_t;

static const char *t_path(t_tmp_t *t, const char *name)
{
    snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
    return t->path;
}

static void t_rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p[512];
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void t_read(const char *path, core_buf_t *buf)
{
    core_buf_reset(buf);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        core_buf_append(buf, chunk, n);
    fclose(f);
    core_buf_cstr(buf);
}

/* truth.csv as "parcel_id rule_id" keys, one per line in a buffer (small files: linear scans). */
typedef struct {
    core_buf_t pairs;   /* "P00000001 RULE\n" ... */
    core_buf_t parcels; /* "P00000001\n" ... */
    size_t rows;        /* truth rows */
} t_truth_t;

static void t_truth_load(const char *path, t_truth_t *truth)
{
    core_buf_t text = {0};
    t_read(path, &text);
    memset(truth, 0, sizeof(*truth));
    char *line = strchr(text.data, '\n'); /* skip the header */
    while (line && line[1]) {
        line++;
        char *comma1 = strchr(line, ',');
        char *comma2 = comma1 ? strchr(comma1 + 1, ',') : NULL;
        cr_assert(comma1 && comma2, "bad truth row");
        core_buf_printf(&truth->pairs, "%.*s %.*s\n", (int)(comma1 - line), line,
                        (int)(comma2 - comma1 - 1), comma1 + 1);
        core_buf_printf(&truth->parcels, "%.*s\n", (int)(comma1 - line), line);
        truth->rows++;
        line = strchr(line, '\n');
    }
    core_buf_cstr(&truth->pairs);
    core_buf_cstr(&truth->parcels);
    core_buf_clear(&text);
}

static bool t_truth_has_parcel(const t_truth_t *truth, core_str_t id)
{
    char key[64];
    snprintf(key, sizeof(key), "%.*s\n", (int)id.len, id.ptr);
    const char *p = truth->parcels.data;
    for (const char *q = strstr(p, key); q; q = strstr(q + 1, key))
        if (q == p || q[-1] == '\n')
            return true;
    return false;
}

typedef struct {
    size_t parcels;     /* parcels screened */
    size_t rejects;     /* records rejected by ingest */
    size_t truth_found; /* truth rows whose rule hit the parcel */
    size_t clean_hit;   /* clean parcels with a hit */
    char example[256];  /* first clean parcel with a hit, for the message */
} t_result_t;

/* Reads one manifest with the ingest reader and screens every parcel. */
static void t_screen_file(const char *path, ingest_format_t format, screen_scanner_t *scanner,
                          const t_truth_t *truth, t_result_t *res)
{
    memset(res, 0, sizeof(*res));
    ingest_reader_t *reader = ingest_reader_new(format, path, NULL);
    core_buf_t data = {0};
    t_read(path, &data);
    ingest_reader_feed(reader, data.data, data.len);
    ingest_reader_finish(reader);
    core_arena_t arena;
    core_arena_init(&arena, 0);
    core_buf_t found = {0}; /* "P R\n" keys found, to count each truth row once */
    for (;;) {
        proto_parcel_t parcel;
        int rc = ingest_reader_next(reader, &parcel);
        if (rc == INGEST_READ_END)
            break;
        if (rc == INGEST_READ_REJECT) {
            res->rejects++;
            cr_log_error("%s", ingest_reader_reason(reader));
            continue;
        }
        cr_assert_eq(rc, INGEST_READ_PARCEL);
        res->parcels++;
        proto_verdict_t verdict;
        core_arena_reset(&arena);
        cr_assert_eq(screen_scanner_screen(scanner, &parcel, &verdict, &arena), 0);
        bool planted = t_truth_has_parcel(truth, parcel.parcel_id);
        if (!planted && verdict.hit_count > 0) {
            if (res->clean_hit++ == 0)
                snprintf(res->example, sizeof(res->example), "%.*s: %.*s hit %.*s on '%.*s'",
                         (int)parcel.parcel_id.len, parcel.parcel_id.ptr,
                         (int)verdict.hits[0].field.len, verdict.hits[0].field.ptr,
                         (int)verdict.hits[0].rule_id.len, verdict.hits[0].rule_id.ptr,
                         (int)verdict.hits[0].matched.len, verdict.hits[0].matched.ptr);
        }
        for (uint32_t h = 0; planted && h < verdict.hit_count; h++) {
            char key[160];
            snprintf(key, sizeof(key), "%.*s %.*s\n", (int)parcel.parcel_id.len,
                     parcel.parcel_id.ptr, (int)verdict.hits[h].rule_id.len,
                     verdict.hits[h].rule_id.ptr);
            const char *t = strstr(truth->pairs.data, key);
            bool in_truth = t && (t == truth->pairs.data || t[-1] == '\n');
            bool seen = found.len && strstr(core_buf_cstr(&found), key) != NULL;
            if (in_truth && !seen) {
                res->truth_found++;
                core_buf_append_str(&found, key);
            }
        }
    }
    core_buf_clear(&found);
    core_arena_clear(&arena);
    core_buf_clear(&data);
    ingest_reader_destroy(&reader);
}

static void t_check_all_encodings(t_tmp_t *t, const char *const *lists, size_t nlists,
                                  size_t parcels)
{
    char err[CORE_ERR_LEN] = "";
    screen_watchlist_t *wl = screen_watchlist_load(lists, nlists, NULL, err);
    cr_assert_not_null(wl, "%s", err);
    screen_matcher_t *matcher = screen_matcher_new(&wl, err);
    cr_assert_not_null(matcher, "%s", err);
    /* The generator's guards are exact (token subsets), so clean parcels are checked against
     * exact name matching; spelling-tolerant hits on near-collisions ("Andrew Johnson" vs
     * "ANDRE, Johnson") are measured by bench_screen_names_eval. */
    screen_policy_t policy = SCREEN_POLICY_DEFAULT;
    policy.name_threshold = 2.0; /* above 1: no spelling tolerance */
    screen_scanner_t *scanner = screen_scanner_new(matcher, &policy, err);
    cr_assert_not_null(scanner, "%s", err);
    t_truth_t truth;
    t_truth_load(t_path(t, "truth.csv"), &truth);
    cr_assert_gt(truth.rows, parcels / 10, "truth has %zu rows", truth.rows);

    static const struct {
        const char *file;
        ingest_format_t format;
    } files[] = {
        {"manifest.ndjson", INGEST_FORMAT_NDJSON},
        {"manifest.csv", INGEST_FORMAT_CSV},
        {"manifest.msgpack", INGEST_FORMAT_MSGPACK},
    };
    for (size_t i = 0; i < 3; i++) {
        t_result_t res;
        t_screen_file(t_path(t, files[i].file), files[i].format, scanner, &truth, &res);
        cr_assert_eq(res.rejects, 0, "%s: %zu rejects", files[i].file, res.rejects);
        cr_assert_eq(res.parcels, parcels, "%s: %zu parcels", files[i].file, res.parcels);
        cr_assert_eq(res.truth_found, truth.rows, "%s: %zu of %zu planted hits found",
                     files[i].file, res.truth_found, truth.rows);
        cr_assert_eq(res.clean_hit, 0, "%s: %zu clean parcels with hits, e.g. %s", files[i].file,
                     res.clean_hit, res.example);
    }
    core_buf_clear(&truth.pairs);
    core_buf_clear(&truth.parcels);
    screen_scanner_destroy(&scanner);
    screen_matcher_destroy(&matcher);
}

Test(gen_screen, demo_list_every_planted_hit_found_no_clean_hit)
{
    t_tmp_t t;
    snprintf(t.dir, sizeof(t.dir), "/tmp/ps-gen-screen-XXXXXX");
    cr_assert_not_null(mkdtemp(t.dir));
    char *argv[] = {"generate", "--out-dir",  t.dir, "--seed",           "21", "--parcels",
                    "3000",     "--hit-rate", "0.3", "--demo-watchlist", NULL};
    cr_assert_eq(gen_main(10, argv), 0);
    const char *lists[] = {t_path(&t, "demo_watchlist.csv")};
    char list0[256];
    snprintf(list0, sizeof(list0), "%s", lists[0]);
    lists[0] = list0;
    t_check_all_encodings(&t, lists, 1, 3000);
    t_rm_dir(t.dir);
}

Test(gen_screen, real_lists_every_planted_hit_found_no_clean_hit)
{
    t_tmp_t t;
    snprintf(t.dir, sizeof(t.dir), "/tmp/ps-gen-screen-XXXXXX");
    cr_assert_not_null(mkdtemp(t.dir));
    char ofac[256], goods[256];
    snprintf(ofac, sizeof(ofac), "%s", t_path(&t, "ofac.csv"));
    snprintf(goods, sizeof(goods), "%s", t_path(&t, "goods.csv"));
    char *imp1[] = {"import", "--format", "ofac-sdn", "--input", SDN_FILE,
                    "--alt",  ALT_FILE,   "--output", ofac,      NULL};
    cr_assert_eq(screen_import_main(9, imp1), 0);
    char *imp2[] = {"import",  "--format", "goods", "--input-dir",
                    GOODS_DIR, "--output", goods,   NULL};
    cr_assert_eq(screen_import_main(7, imp2), 0);
    char *argv[] = {"generate",   "--out-dir", t.dir,         "--seed", "22",  "--parcels", "3000",
                    "--hit-rate", "0.3",       "--watchlist", ofac,     goods, NULL};
    cr_assert_eq(gen_main(12, argv), 0);
    const char *lists[] = {ofac, goods};
    t_check_all_encodings(&t, lists, 2, 3000);
    t_rm_dir(t.dir);
}
