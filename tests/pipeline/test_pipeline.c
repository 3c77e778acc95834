/* test_pipeline.c -- the real processes end to end: planted hits found, one verdict per
 * parcel, accounting, identical verdicts from every manifest format, hostile records, stages
 * run alone and stopped with SIGTERM, a failing stage named. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipeline_util.h"

#define BIN PS_PARCELSCREEN
/* Binary garbage with an embedded NUL: not JSON, not UTF-8. */
#define GARBAGE "\x01\x02\xff\xfe garbage \x00 bytes"

/* Runs the pipeline; returns run's stdout (malloc'd); asserts exit status 'want'. */
static char *s_run(const char *dir, const char *watchlist, const char *input, const char *db,
                   int want)
{
    char *out = pu_path(dir, "run.out");
    char *err = pu_path(dir, "run.err");
    char *rejects = pu_path(dir, "rejects.log");
    char *argv[] = { BIN, "run", "--watchlist", (char *)watchlist, "--input", (char *)input,
                     "--db", (char *)db, "--reject-log", rejects, "--workers", "2",
                     "--timeout", "600", NULL };
    int st = pu_run(argv, out, err);
    char *text = pu_read(out, NULL);
    char *log = pu_read(err, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == want, "run exit %d (want %d): %s%s",
              WIFEXITED(st) ? WEXITSTATUS(st) : -1, want, text ? text : "", log ? log : "");
    free(log);
    free(out);
    free(err);
    free(rejects);
    return text;
}

/* Checks every truth row (parcel_id,rule_id,...) against the exported verdicts. */
static void s_check_truth(const char *truth_path, const pu_verdicts_t *v)
{
    pu_lines_t truth;
    cr_assert(pu_lines_read(truth_path, &truth), "no %s", truth_path);
    size_t checked = 0;
    for (size_t i = 1; i < truth.count; i++) { /* line 0 is the header */
        char *row = truth.lines[i];
        if (*row == '\0')
            continue;
        char parcel[128], rule[128];
        if (sscanf(row, "%127[^,],%127[^,]", parcel, rule) != 2)
            continue;
        const char *line = pu_verdicts_find(v, parcel);
        cr_assert_not_null(line, "no verdict for planted parcel %s", parcel);
        cr_assert(pu_line_has_rule(line, rule), "planted %s not found: %s | verdict %s", rule,
                  row, line);
        checked++;
    }
    cr_assert_gt(checked, 0, "truth file has no rows");
    pu_lines_free(&truth);
}

Test(pipeline, planted_hits_are_all_found_and_counts_add_up, .timeout = 300)
{
    char *dir = pu_tmpdir();
    pu_generate_demo(dir, "3000", "7");
    char *wl = pu_path(dir, "demo_watchlist.csv");
    char *in = pu_path(dir, "manifest.ndjson");
    char *db = pu_path(dir, "v.db");
    char *exp = pu_path(dir, "export.ndjson");
    char *truth = pu_path(dir, "truth.csv");

    char *out = s_run(dir, wl, in, db, 0);
    cr_assert_eq(pu_count(out, "records read"), 3000, "%s", out);
    cr_assert_eq(pu_count(out, "parcels screened"), 3000, "%s", out);
    cr_assert_eq(pu_count(out, "records rejected"), 0, "%s", out);
    cr_assert_eq(pu_count(out, "verdicts stored"), 3000, "%s", out);
    cr_assert_gt(pu_count(out, "queue entries"), 0, "%s", out);

    pu_export(db, exp);
    pu_verdicts_t v;
    cr_assert(pu_verdicts_load(exp, &v));
    cr_assert_eq(v.lines.count, 3000);
    cr_assert_not(pu_verdicts_has_duplicates(&v), "a parcel has two verdicts");
    s_check_truth(truth, &v);

    /* Running the same manifest again stores nothing twice. */
    char *again = s_run(dir, wl, in, db, 0);
    cr_assert_eq(pu_count(again, "verdicts stored") + pu_count(again, "already stored"), 3000,
                 "%s", again);
    pu_export(db, exp);
    pu_verdicts_t v2;
    cr_assert(pu_verdicts_load(exp, &v2));
    cr_assert_eq(v2.lines.count, 3000);
    pu_verdicts_free(&v2);
    free(again);

    pu_verdicts_free(&v);
    free(out);
    free(wl), free(in), free(db), free(exp), free(truth);
    pu_rmtree(dir);
    free(dir);
}

/* Returns the value of " key=" in a --report line, or -1. */
static long long s_report_value(const char *line, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof(pat), " %s=", key);
    const char *p = strstr(line, pat);
    return p ? atoll(p + strlen(pat)) : -1;
}

Test(pipeline, latency_log_and_report_account_for_every_parcel, .timeout = 300)
{
    char *dir = pu_tmpdir();
    pu_generate_demo(dir, "2000", "11");
    char *wl = pu_path(dir, "demo_watchlist.csv");
    char *in = pu_path(dir, "manifest.ndjson");
    char *db = pu_path(dir, "v.db");
    char *lat = pu_path(dir, "latency.log");
    char *rep = pu_path(dir, "run.report");
    char *out = pu_path(dir, "run.out");
    char *err = pu_path(dir, "run.err");
    char *argv[] = { BIN, "run", "--watchlist", wl, "--input", in, "--db", db, "--reject-log",
                     "/dev/null", "--batch-size", "128", "--latency-log", lat, "--report", rep,
                     "--timeout", "600", NULL };
    int st = pu_run(argv, out, err);
    char *log = pu_read(err, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "run: %s", log ? log : "");
    free(log);

    /* Latency log: "seq parcels ingest_ns commit_ns", commit after ingest, parcels sum up. */
    pu_lines_t l;
    cr_assert(pu_lines_read(lat, &l), "no latency log");
    long long parcels = 0;
    size_t batches = 0;
    for (size_t i = 0; i < l.count; i++) {
        if (l.lines[i][0] == '\0')
            continue;
        unsigned long long seq, n;
        long long ingest_ns, commit_ns;
        char extra;
        cr_assert_eq(sscanf(l.lines[i], "%llu %llu %lld %lld %c", &seq, &n, &ingest_ns,
                            &commit_ns, &extra),
                     4, "bad latency line: %s", l.lines[i]);
        cr_assert_gt(n, 0, "%s", l.lines[i]);
        cr_assert_gt(ingest_ns, 0, "%s", l.lines[i]);
        cr_assert_geq(commit_ns, ingest_ns, "%s", l.lines[i]);
        parcels += (long long)n;
        batches++;
    }
    cr_assert_eq(parcels, 2000);
    cr_assert_geq(batches, 2000 / 128);
    pu_lines_free(&l);

    /* Report: one line per stage with CPU, RSS, exit status and the final counters. */
    pu_lines_t r;
    cr_assert(pu_lines_read(rep, &r), "no report");
    bool seen[3] = { false, false, false };
    const char *names[3] = { "stage=ingest ", "stage=screen ", "stage=sink " };
    for (size_t i = 0; i < r.count; i++) {
        const char *line = r.lines[i];
        if (*line == '\0')
            continue;
        int k = -1;
        for (int j = 0; j < 3; j++)
            if (strncmp(line, names[j], strlen(names[j])) == 0)
                k = j;
        cr_assert_geq(k, 0, "unknown report line: %s", line);
        seen[k] = true;
        cr_assert_eq(s_report_value(line, "status"), 0, "%s", line);
        cr_assert_gt(s_report_value(line, "max_rss_kb"), 0, "%s", line);
        cr_assert_not_null(strstr(line, " user_s="), "%s", line);
        cr_assert_not_null(strstr(line, " sys_s="), "%s", line);
        const char *key[3] = { "parcels_acked", "parcels_screened", "verdicts_stored" };
        cr_assert_eq(s_report_value(line, key[k]), 2000, "%s", line);
    }
    cr_assert(seen[0] && seen[1] && seen[2], "a stage is missing from the report");
    pu_lines_free(&r);

    free(wl), free(in), free(db), free(lat), free(rep), free(out), free(err);
    pu_rmtree(dir);
    free(dir);
}

Test(pipeline, ndjson_csv_and_msgpack_give_identical_verdicts, .timeout = 300)
{
    char *dir = pu_tmpdir();
    pu_generate_demo(dir, "2000", "11");
    char *wl = pu_path(dir, "demo_watchlist.csv");
    const char *names[] = { "manifest.ndjson", "manifest.csv", "manifest.msgpack" };
    char *canon[3];
    for (int i = 0; i < 3; i++) {
        char *in = pu_path(dir, names[i]);
        char dbname[32], expname[32];
        snprintf(dbname, sizeof(dbname), "f%d.db", i);
        snprintf(expname, sizeof(expname), "f%d.ndjson", i);
        char *db = pu_path(dir, dbname);
        char *exp = pu_path(dir, expname);
        char *out = s_run(dir, wl, in, db, 0);
        cr_assert_eq(pu_count(out, "parcels screened"), 2000, "%s: %s", names[i], out);
        canon[i] = pu_canonical_export(db, exp, NULL);
        free(out), free(in), free(db), free(exp);
    }
    cr_assert_str_eq(canon[0], canon[1], "NDJSON and CSV verdicts differ");
    cr_assert_str_eq(canon[0], canon[2], "NDJSON and MessagePack verdicts differ");
    cr_assert(strstr(canon[0], "\"rule_id\"") != NULL, "no hits at all");
    for (int i = 0; i < 3; i++)
        free(canon[i]);
    free(wl);
    pu_rmtree(dir);
    free(dir);
}

Test(pipeline, hostile_records_are_rejected_while_good_ones_are_screened, .timeout = 300)
{
    char *dir = pu_tmpdir();
    pu_generate_demo(dir, "200", "3");
    char *wl = pu_path(dir, "demo_watchlist.csv");
    char *good = pu_path(dir, "manifest.ndjson");
    pu_lines_t lines;
    cr_assert(pu_lines_read(good, &lines));
    cr_assert_geq(lines.count, 200);

    /* The hostile records, one per line, interleaved with the good ones. */
    char big[200 * 1024 + 128];
    int n = snprintf(big, sizeof(big), "{\"parcel_id\":\"BIG\",\"items\":[{\"description\":\"");
    memset(big + n, 'a', 200 * 1024);
    n += 200 * 1024;
    snprintf(big + n, sizeof(big) - (size_t)n, "\"}]}");
    char many[64 * 1024 + 256];
    size_t m = (size_t)snprintf(many, sizeof(many), "{\"parcel_id\":\"MANY\",\"items\":[");
    for (int i = 0; i < 1000 && m + 40 < sizeof(many); i++)
        m += (size_t)snprintf(many + m, sizeof(many) - m, "%s{\"description\":\"x\"}",
                              i ? "," : "");
    snprintf(many + m, sizeof(many) - m, "]}");
    char deep[4096];
    size_t d = (size_t)snprintf(deep, sizeof(deep), "{\"parcel_id\":\"DEEP\",\"items\":[{"
                                                    "\"description\":\"x\",\"x\":");
    for (int i = 0; i < 500; i++)
        deep[d++] = '[';
    for (int i = 0; i < 500; i++)
        deep[d++] = ']';
    snprintf(deep + d, sizeof(deep) - d, "}]}");
    const char *hostile[] = {
        "{\"parcel_id\":\"TRUNC\",\"items\":[{\"description\":\"cut he",
        "{\"parcel_id\":42,\"items\":[{\"description\":\"wrong id type\"}]}",
        "{\"items\":[{\"description\":\"no id\"}]}",
        "{\"parcel_id\":\"NOITEMS\"}",
        "{\"parcel_id\":\"BADUTF\",\"items\":[{\"description\":\"caf\xc3\x28\"}]}",
        "{\"parcel_id\":\"HSNUM\",\"items\":[{\"description\":\"x\",\"hs_code\":610910}]}",
        GARBAGE,
        big,
        many,
        deep,
    };
    size_t nh = sizeof(hostile) / sizeof(hostile[0]);
    char *mixed = pu_path(dir, "mixed.ndjson");
    FILE *f = fopen(mixed, "wb");
    size_t good_count = 0;
    for (size_t i = 0; i < lines.count; i++) {
        if (*lines.lines[i] == '\0')
            continue;
        fprintf(f, "%s\n", lines.lines[i]);
        good_count++;
        if (i < nh) {
            /* Embedded NUL in the garbage line: write it byte-exact. */
            size_t len = (i == 6) ? sizeof(GARBAGE) - 1 : strlen(hostile[i]);
            fwrite(hostile[i], 1, len, f);
            fputc('\n', f);
        }
    }
    fclose(f);

    char *db = pu_path(dir, "h.db");
    char *out = s_run(dir, wl, mixed, db, 0);
    cr_assert_eq(pu_count(out, "records read"), (long long)(good_count + nh), "%s", out);
    cr_assert_eq(pu_count(out, "records rejected"), (long long)nh, "%s", out);
    cr_assert_eq(pu_count(out, "parcels screened"), (long long)good_count, "%s", out);

    char *rj = pu_path(dir, "rejects.log");
    pu_lines_t rejects;
    cr_assert(pu_lines_read(rj, &rejects));
    size_t reasons = 0;
    for (size_t i = 0; i < rejects.count; i++)
        if (strstr(rejects.lines[i], "mixed.ndjson:") != NULL)
            reasons++;
    cr_assert_eq(reasons, nh, "each reject logged with source:line and a reason");
    pu_lines_free(&rejects);

    pu_lines_free(&lines);
    free(out), free(db), free(rj), free(mixed), free(good), free(wl);
    pu_rmtree(dir);
    free(dir);
}

Test(pipeline, a_failing_stage_is_named, .timeout = 120)
{
    char *dir = pu_tmpdir();
    pu_generate_demo(dir, "10", "5");
    char *bad = pu_path(dir, "bad_watchlist.csv");
    const char *text = "id,list,kind,scope,pattern,weight,note\n"
                       "R1,test,keyword,items.description,ok,50,\n"
                       "R2,test,colour,items.description,red,50,\n";
    pu_write(bad, text, strlen(text));
    char *in = pu_path(dir, "manifest.ndjson");
    char *db = pu_path(dir, "f.db");
    char *err = pu_path(dir, "run.err");
    char *argv[] = { BIN, "run", "--watchlist", bad, "--input", in, "--db", db, "--timeout",
                     "60", NULL };
    int st = pu_run(argv, NULL, err);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) != 0);
    char *log = pu_read(err, NULL);
    cr_assert(strstr(log, "stage screen") != NULL, "%s", log);
    cr_assert(strstr(log, "bad_watchlist.csv:3") != NULL, "%s", log);
    free(log), free(err), free(db), free(in), free(bad);
    pu_rmtree(dir);
    free(dir);
}

Test(pipeline, stages_run_alone_and_stop_cleanly_on_sigterm, .timeout = 120)
{
    char *dir = pu_tmpdir();
    pu_generate_demo(dir, "500", "9");
    char *wl = pu_path(dir, "demo_watchlist.csv");
    char *in = pu_path(dir, "manifest.csv");
    char *db = pu_path(dir, "alone.db");
    char ep_parcels[160], ep_verdicts[160], ep_acks[160];
    char at_parcels[170], to_parcels[170], at_verdicts[170], to_verdicts[170], at_acks[170],
        to_acks[170];
    snprintf(ep_parcels, sizeof(ep_parcels), "ipc://%s/p", dir);
    snprintf(ep_verdicts, sizeof(ep_verdicts), "ipc://%s/v", dir);
    snprintf(ep_acks, sizeof(ep_acks), "ipc://%s/a", dir);
    snprintf(at_parcels, sizeof(at_parcels), "@%s", ep_parcels);
    snprintf(to_parcels, sizeof(to_parcels), ">%s", ep_parcels);
    snprintf(at_verdicts, sizeof(at_verdicts), "@%s", ep_verdicts);
    snprintf(to_verdicts, sizeof(to_verdicts), ">%s", ep_verdicts);
    snprintf(at_acks, sizeof(at_acks), "@%s", ep_acks);
    snprintf(to_acks, sizeof(to_acks), ">%s", ep_acks);

    char *sink_argv[] = { BIN, "sink", "--db", db, "--verdicts", at_verdicts, "--acks",
                          to_acks, "--queue-pub=", NULL };
    char *screen_argv[] = { BIN, "screen", "--watchlist", wl, "--parcels", at_parcels,
                            "--verdicts", to_verdicts, "--workers", "2", NULL };
    char *ingest_argv[] = { BIN, "ingest", "--input", in, "--parcels", to_parcels, "--acks",
                            at_acks, "--once", NULL };
    char *sink_err = pu_path(dir, "sink.err");
    char *screen_err = pu_path(dir, "screen.err");
    char *ingest_err = pu_path(dir, "ingest.err");
    pid_t sink = pu_spawn(sink_argv, NULL, sink_err);
    pid_t screen = pu_spawn(screen_argv, NULL, screen_err);
    int st = pu_run(ingest_argv, NULL, ingest_err);
    char *ilog = pu_read(ingest_err, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "ingest: %s", ilog);
    free(ilog);

    /* ingest --once exits only when sink acknowledged every batch as durable. */
    char *exp = pu_path(dir, "alone.ndjson");
    pu_export(db, exp);
    pu_lines_t lines;
    cr_assert(pu_lines_read(exp, &lines));
    cr_assert_eq(lines.count, 500);
    pu_lines_free(&lines);

    kill(screen, SIGTERM);
    kill(sink, SIGTERM);
    int s1 = -1, s2 = -1;
    waitpid(screen, &s1, 0);
    waitpid(sink, &s2, 0);
    char *slog = pu_read(screen_err, NULL);
    cr_assert(WIFEXITED(s1) && WEXITSTATUS(s1) == 0, "screen: %s", slog);
    free(slog);
    char *klog = pu_read(sink_err, NULL);
    cr_assert(WIFEXITED(s2) && WEXITSTATUS(s2) == 0, "sink: %s", klog);
    free(klog);
    free(sink_err), free(screen_err), free(ingest_err), free(exp), free(wl), free(in),
        free(db);
    pu_rmtree(dir);
    free(dir);
}

/* Writes the header and the first 'want' rules of src to dst; returns the rules written. */
static size_t s_head(const char *src, const char *dst, size_t want)
{
    pu_lines_t in;
    cr_assert(pu_lines_read(src, &in), "no %s", src);
    FILE *f = fopen(dst, "w");
    cr_assert_not_null(f, "cannot write %s", dst);
    fprintf(f, "%s\n", in.lines[0]);
    size_t n = 0;
    for (size_t i = 1; i < in.count && n < want; i++) {
        if (in.lines[i][0] == '\0')
            continue;
        fprintf(f, "%s\n", in.lines[i]);
        n++;
    }
    fclose(f);
    pu_lines_free(&in);
    return n;
}

/* Writes dst from the goods rules: every rule outside CITES, then CITES rules until the
 * file holds 'want' rules. The list is the second column of the importer's output. */
static size_t s_trim_goods(const char *src, const char *dst, size_t want)
{
    pu_lines_t in;
    cr_assert(pu_lines_read(src, &in), "no %s", src);
    FILE *f = fopen(dst, "w");
    fprintf(f, "%s\n", in.lines[0]);
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 1; i < in.count && n < want; i++) {
            const char *line = in.lines[i];
            const char *comma = strchr(line, ',');
            if (*line == '\0' || comma == NULL)
                continue;
            bool cites = strncmp(comma + 1, "cites,", 6) == 0;
            if (cites == (pass == 1)) {
                fprintf(f, "%s\n", line);
                n++;
            }
        }
    }
    fclose(f);
    pu_lines_free(&in);
    return n;
}

/* The done-when of the pipeline issue: real SDN names plus goods lists (25,000 rules), a
 * 100,000-parcel manifest (PS_BIG_PARCELS overrides), every planted exact-form hit found,
 * one verdict per parcel, identical verdicts from NDJSON and CSV. */
Test(pipeline, real_lists_25k_rules_find_every_planted_hit_in_ndjson_and_csv, .timeout = 1100)
{
    const char *sdn_src = PS_SHARED_DIR "/data/watchlists/ofac/sdn_2024-05-03.csv";
    const char *alt_src = PS_SHARED_DIR "/data/watchlists/ofac/snapshot_2025-12_no_sdn/alt.csv";
    const char *goods_dir = PS_SHARED_DIR "/data/watchlists/goods";
    cr_assert_eq(access(sdn_src, R_OK), 0, "the real lists are expected at %s", sdn_src);
    const char *parcels = getenv("PS_BIG_PARCELS") ? getenv("PS_BIG_PARCELS") : "100000";
    char *dir = pu_tmpdir();
    char *sdn = pu_path(dir, "sdn.csv");
    char *goods = pu_path(dir, "goods.csv");
    char *goods25 = pu_path(dir, "goods25.csv");
    char *countries = pu_path(dir, "countries.csv");

    char *sdn_all = pu_path(dir, "sdn_all.csv");
    char *imp1[] = { BIN, "watchlist", "import", "--format", "ofac-sdn", "--input",
                     (char *)sdn_src, "--alt", (char *)alt_src, "--output", sdn_all, NULL };
    int st = pu_run(imp1, NULL, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "SDN import failed");
    char *imp2[] = { BIN, "watchlist", "import", "--format", "goods", "--input-dir",
                     (char *)goods_dir, "--output", goods, NULL };
    st = pu_run(imp2, NULL, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "goods import failed");
    /* 21,000 real names: SDN primary names, remarks aliases and the alt.csv aliases of the
     * entities still listed (the 2025 alt.csv is the newest beside the 2024 sdn.csv). */
    size_t sdn_rules = s_head(sdn_all, sdn, 21000);
    cr_assert_eq(sdn_rules, 21000);
    free(sdn_all);
    const char *ctext = "id,list,kind,scope,pattern,weight,note\n"
                        "CTRY-KP,embargo,country,origin_country,KP,90,test embargo\n"
                        "CTRY-IR,embargo,country,origin_country,IR,70,test embargo\n"
                        "CTRY-SY,embargo,country,party.country,SY,70,test embargo\n";
    pu_write(countries, ctext, strlen(ctext));
    size_t goods_rules = s_trim_goods(goods, goods25, 25000 - 3 - sdn_rules);
    cr_assert_eq(sdn_rules + goods_rules + 3, 25000);

    char *gen_err = pu_path(dir, "gen.err");
    char *gen[] = { BIN, "generate", "--parcels", (char *)parcels, "--seed", "2026",
                    "--out-dir", dir, "--formats", "ndjson,csv", "--watchlist", sdn, goods25,
                    countries, NULL };
    st = pu_run(gen, NULL, gen_err);
    char *glog = pu_read(gen_err, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "generate: %s", glog);
    free(glog);

    const char *formats[] = { "ndjson", "csv" };
    char *canon[2];
    char *truth = pu_path(dir, "truth.csv");
    long long want = atoll(parcels);
    for (int i = 0; i < 2; i++) {
        char name[64];
        snprintf(name, sizeof(name), "manifest.%s", formats[i]);
        char *in = pu_path(dir, name);
        snprintf(name, sizeof(name), "%s.db", formats[i]);
        char *db = pu_path(dir, name);
        snprintf(name, sizeof(name), "%s.export", formats[i]);
        char *exp = pu_path(dir, name);

        char *out_path = pu_path(dir, "big.out");
        char *err_path = pu_path(dir, "big.err");
        char *argv[] = { BIN, "run", "--watchlist", sdn, goods25, countries, "--input", in,
                         "--db", db, "--reject-log", "/dev/null", "--timeout", "1000", NULL };
        st = pu_run(argv, out_path, err_path);
        char *out = pu_read(out_path, NULL);
        char *log = pu_read(err_path, NULL);
        cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s run: %s%s", formats[i], out, log);
        cr_assert_eq(pu_count(out, "records read"), want, "%s", out);
        cr_assert_eq(pu_count(out, "parcels screened"), want, "%s", out);
        cr_assert_eq(pu_count(out, "verdicts stored"), want, "%s", out);

        pu_export(db, exp);
        pu_verdicts_t v;
        cr_assert(pu_verdicts_load(exp, &v));
        cr_assert_eq((long long)v.lines.count, want);
        cr_assert_not(pu_verdicts_has_duplicates(&v), "a parcel has two verdicts");
        s_check_truth(truth, &v);
        pu_verdicts_free(&v);
        canon[i] = pu_canonical_export(db, exp, NULL);
        free(out), free(log), free(out_path), free(err_path), free(in), free(db), free(exp);
    }
    cr_assert(strcmp(canon[0], canon[1]) == 0, "NDJSON and CSV verdicts differ");
    free(canon[0]), free(canon[1]);
    free(truth), free(gen_err), free(sdn), free(goods), free(goods25), free(countries);
    pu_rmtree(dir);
    free(dir);
}
