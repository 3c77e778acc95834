/* main.c -- 'parcelscreen bench': the plan of configurations and the driver loop.
 *
 * DESIGN
 *
 * Everything a number depends on is made in the same run, from the same inputs:
 *   1. lists      DIR/lists/rules_<N>.csv (+ .patterns) for each --rules N (lists.c)
 *   2. manifests  DIR/data/p<P>/manifest.{ndjson,csv,msgpack} by 'parcelscreen generate' with
 *                 the smallest list (its planted hits are in every larger list, lists.c), or
 *                 --gen-rules; every list size screens the same parcels
 *   3. baselines  per (P, N): grep -F -i -c -f and rg -F -i -c -f over manifest.ndjson, output
 *                 to a pipe file (GNU grep stops at the first match when stdout is /dev/null)
 *   4. ceilings   per (P, N): bench_ceiling_measure() in this process, threads = each
 *                 --workers value (bench/micro/bench_screen_scan.c)
 *   5. runs       'parcelscreen run' per configuration, --repeat times, the median by
 *                 parcels/s kept; a /proc sampler follows the three stage processes
 *   6. paced      the reference configuration again, fed through a pipe at --paced times its
 *                 measured rate, for latency at a known load; --sustain S does the same for S
 *                 seconds with a memory series
 *   7. micro      the micro benchmarks on the same manifest, lines in DIR/micro.txt
 *   8. report     results.csv, results.md, SVG plots, and the targets of the issue
 * The plan: for each manifest size, every list size x every worker count on NDJSON (the
 * throughput-vs-list and vs-workers sweeps), then every other format x every worker count on
 * the reference list; --full-matrix runs every combination instead.
 *
 * Throughput basis: 'parcelscreen run' includes compiling the watchlist (seconds for large
 * lists), so parcels/s is taken between the first and the last durable commit when the sink
 * reports commit times (latency log), and over the whole wall time otherwise; both are in the
 * CSV (parcels_per_s with rate_basis, parcels_per_s_wall). Baselines are timed whole (a grep
 * has no start-up worth removing). Latency percentiles leave out batches read before the first
 * commit (or, paced, before the feed started), which waited for start-up, not for the pipeline.
 *
 * What 'parcelscreen run' does not offer yet is detected from its --help and reported as
 * n/a with a note: --latency-log (commit times and latency) and --report (exact per-stage CPU,
 * peak RSS and the stages' final counters, jemalloc statistics among them). */
#include "benchsuite/bench.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "benchmicro/micro.h"
#include "core/clock.h"
#include "core/config.h"
#include "internal.h"

typedef struct {
    bool quick;               /* --quick */
    char *out_dir;            /* --out-dir */
    core_strlist_t parcels;   /* --parcels */
    core_strlist_t rules;     /* --rules */
    core_strlist_t workers;   /* --workers */
    core_strlist_t formats;   /* --formats */
    core_strlist_t watchlist; /* --watchlist */
    long seed;                /* --seed */
    long repeat;              /* --repeat */
    long ref_rules;           /* --ref-rules */
    long gen_rules;           /* --gen-rules */
    bool full_matrix;         /* --full-matrix */
    bool baselines;           /* --baselines */
    bool ceiling;             /* --ceiling */
    bool micro;               /* --micro */
    double paced;             /* --paced */
    double paced_seconds;     /* --paced-seconds */
    long sustain;             /* --sustain */
    double sustain_rate;      /* --sustain-rate */
    char *grep_locale;        /* --grep-locale */
    double baseline_timeout;  /* --baseline-timeout */
    bool rg_ignore_case;      /* --rg-ignore-case */
    long timeout;             /* --timeout */
    char *exe;                /* --exe */
    bool keep;                /* --keep */
} bench_config_t;

#define OPT(k, t, d, lo, hi, f, h)                                                                 \
    {                                                                                              \
        k, t, d, lo, hi, offsetof(bench_config_t, f), h                                            \
    }
static const core_config_opt_t s_opts[] = {
    OPT("quick", CORE_CONFIG_BOOL, "false", 0, 0, quick,
        "CI smoke run: tiny sizes, every code path, no timing claims"),
    OPT("out-dir", CORE_CONFIG_STR, "bench-out", 0, 0, out_dir, "where everything is written"),
    OPT("parcels", CORE_CONFIG_LIST, NULL, 0, 0, parcels,
        "manifest sizes (default 100000; quick 2000)"),
    OPT("rules", CORE_CONFIG_LIST, NULL, 0, 0, rules,
        "list sizes (default 1000 10000 25000 100000 500000; quick 200 2000)"),
    OPT("workers", CORE_CONFIG_LIST, NULL, 0, 0, workers,
        "screen --workers values, 0 = cores (default 1 2; quick 2)"),
    OPT("formats", CORE_CONFIG_LIST, NULL, 0, 0, formats,
        "input formats (default ndjson csv msgpack)"),
    OPT("watchlist", CORE_CONFIG_LIST, NULL, 0, 0, watchlist,
        "SPEC watchlist CSVs the lists are cut from (default: built-in terms + synthetic names)"),
    OPT("seed", CORE_CONFIG_INT, "42", 0, 9e18, seed, "generator and synthetic-name seed"),
    OPT("repeat", CORE_CONFIG_INT, "1", 1, 100, repeat,
        "runs per configuration; the median by parcels/s is kept"),
    OPT("ref-rules", CORE_CONFIG_INT, "25000", 1, 1e8, ref_rules,
        "reference list size: formats sweep, paced run, targets (else the largest --rules)"),
    OPT("gen-rules", CORE_CONFIG_INT, "0", 0, 1e8, gen_rules,
        "list the generator plants hits from and keeps clean parcels clean of (0 = smallest)"),
    OPT("full-matrix", CORE_CONFIG_BOOL, "false", 0, 0, full_matrix,
        "every format x list size x workers, not the two sweeps"),
    OPT("baselines", CORE_CONFIG_BOOL, "true", 0, 0, baselines, "run grep and rg baselines"),
    OPT("ceiling", CORE_CONFIG_BOOL, "true", 0, 0, ceiling, "measure the matching ceiling"),
    OPT("micro", CORE_CONFIG_BOOL, "true", 0, 0, micro, "run the micro benchmarks"),
    OPT("paced", CORE_CONFIG_DOUBLE, "0.5", 0, 1, paced,
        "latency run at this fraction of the reference run's rate (0 = none)"),
    OPT("paced-seconds", CORE_CONFIG_DOUBLE, "10", 0, 3600, paced_seconds,
        "the paced run feeds at least this long (manifest repeated with new ids)"),
    OPT("sustain", CORE_CONFIG_INT, "0", 0, 86400, sustain,
        "sustained run of this many seconds with a memory series (0 = none; target: 600)"),
    OPT("sustain-rate", CORE_CONFIG_DOUBLE, "0", 0, 1e9, sustain_rate,
        "parcels/s offered in the sustained run (0 = --paced fraction of peak)"),
    OPT("grep-locale", CORE_CONFIG_STR, "C", 0, 0, grep_locale,
        "LC_ALL for grep and rg (C: byte matching, their fastest mode)"),
    OPT("baseline-timeout", CORE_CONFIG_DOUBLE, "300", 0, 86400, baseline_timeout,
        "seconds before a grep or rg baseline is stopped and reported as a lower bound"),
    OPT("rg-ignore-case", CORE_CONFIG_BOOL, "false", 0, 0, rg_ignore_case,
        "rg -F -i instead of the issue's rg -F (Unicode case folding: very slow with many "
        "patterns)"),
    OPT("timeout", CORE_CONFIG_INT, "3600", 1, 86400 * 7, timeout,
        "seconds before one run is given up (passed to run --timeout)"),
    OPT("exe", CORE_CONFIG_STR, "/proc/self/exe", 0, 0, exe,
        "the parcelscreen program that runs generate and run"),
    OPT("keep", CORE_CONFIG_BOOL, "false", 0, 0, keep, "keep the run databases"),
};

static const core_config_table_t s_table = {
    .name = "bench",
    .usage = "[--quick] [--out-dir DIR] [--parcels N...] [--rules N...] [--workers N...] "
             "[--formats F...] [--watchlist F...] [--seed S] [--repeat R]",
    .summary = "End-to-end benchmark suite: generated manifests, lists of many sizes, "
               "'parcelscreen run' per configuration with GNU grep, ripgrep and the matching "
               "ceiling measured in the same run. Writes results.csv, results.md, micro.txt "
               "and SVG plots into --out-dir. See BENCH.md.",
    .opts = s_opts,
    .count = CORE_ARRAY_LEN(s_opts),
};

#define MAX_VALUES 16

typedef struct {
    uint64_t parcels, rules; /* key */
    bool done;               /* measured (maybe failed) */
    double grep_s, rg_s;     /* median seconds, NAN when not available */
    bool grep_timed_out;     /* grep_s is the timeout: a lower bound */
    bool rg_timed_out;       /* rg_s is the timeout: a lower bound */
    uint64_t grep_lines;     /* lines grep counted */
    uint64_t rg_lines;       /* lines rg counted */
} baseline_t;

typedef struct {
    uint64_t parcels, rules;                /* key */
    bool done;                              /* measured (maybe failed) */
    size_t count;                           /* entries */
    bench_ceiling_result_t res[MAX_VALUES]; /* per thread count */
} ceiling_t;

typedef struct {
    bench_config_t cfg;           /* options */
    bench__machine_t machine;     /* header */
    char exe[4096];               /* parcelscreen program */
    char grep[4096];              /* GNU grep, "" when missing */
    char rg[4096];                /* ripgrep, "" when missing */
    uint64_t parcels[MAX_VALUES]; /* --parcels, ascending */
    size_t n_parcels;
    uint64_t rules[MAX_VALUES]; /* --rules, ascending */
    size_t n_rules;
    unsigned workers[MAX_VALUES]; /* --workers, resolved, ascending */
    size_t n_workers;
    const char *formats[3]; /* --formats, in SPEC order */
    size_t n_formats;
    uint64_t ref_rules;    /* reference list size */
    uint64_t gen_rules;    /* list given to the generator */
    bool have_latency_log; /* run --latency-log exists */
    bool have_report;      /* run --report exists */
    baseline_t baselines[MAX_VALUES * MAX_VALUES];
    size_t n_baselines;
    ceiling_t ceilings[MAX_VALUES * MAX_VALUES];
    size_t n_ceilings;
    bench__row_t *rows; /* results */
    size_t n_rows, cap_rows;
    bench__mem_series_t mem[BENCH_MAX_STAGES]; /* sustained run */
    size_t n_mem;
    core_buf_t notes;   /* for the report header */
    int failures;       /* steps that failed */
    size_t step, steps; /* progress */
} bench_t;

static const char *const s_stage_names[BENCH_STAGE_COUNT] = {"ingest", "screen", "sink"};

static void s_note(bench_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_note(bench_t *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (b->notes.len)
        core_buf_append_str(&b->notes, "; ");
    core_buf_append_str(&b->notes, tmp);
}

static void s_progress(bench_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_progress(bench_t *b, const char *fmt, ...)
{
    (void)b;
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    fprintf(stderr, "parcelscreen: bench: %s\n", tmp);
}

/* ============ Options ============ */

static int s_parse_counts(const core_strlist_t *list, const char *defaults, uint64_t *out,
                          size_t *n, uint64_t max, const char *what, char *err)
{
    char *copy = core_strdup(defaults);
    const char *items[MAX_VALUES];
    size_t count = 0;
    if (list->count) {
        for (size_t i = 0; i < list->count && count < MAX_VALUES; i++)
            items[count++] = list->items[i];
    } else {
        char *save = NULL;
        for (char *t = strtok_r(copy, " ", &save); t && count < MAX_VALUES;
             t = strtok_r(NULL, " ", &save))
            items[count++] = t;
    }
    *n = 0;
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        char *end = NULL;
        errno = 0;
        unsigned long long v = strtoull(items[i], &end, 10);
        if (errno || end == items[i] || *end != '\0' || v > max) {
            core_err_set(err, "--%s: '%s' is not a count up to %llu", what, items[i],
                         (unsigned long long)max);
            rc = -EINVAL;
            break;
        }
        bool dup = false;
        for (size_t k = 0; k < *n; k++)
            dup = dup || out[k] == v;
        if (!dup)
            out[(*n)++] = v;
    }
    free(copy);
    /* Ascending, for the sweeps and the plots. */
    for (size_t i = 1; i < *n; i++)
        for (size_t k = i; k > 0 && out[k - 1] > out[k]; k--) {
            uint64_t t = out[k];
            out[k] = out[k - 1];
            out[k - 1] = t;
        }
    return rc;
}

static int s_resolve(bench_t *b, char *err)
{
    bench_config_t *c = &b->cfg;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int rc = s_parse_counts(&c->parcels, c->quick ? "2000" : "100000", b->parcels, &b->n_parcels,
                            1000000000ULL, "parcels", err);
    if (rc == 0)
        rc = s_parse_counts(&c->rules, c->quick ? "200 2000" : "1000 10000 25000 100000 500000",
                            b->rules, &b->n_rules, 100000000ULL, "rules", err);
    uint64_t w[MAX_VALUES];
    size_t nw = 0;
    if (rc == 0)
        rc = s_parse_counts(&c->workers, c->quick ? "2" : "1 2", w, &nw, 1024, "workers", err);
    if (rc != 0)
        return rc;
    /* 0 means "one per core" to screen: resolve it so every row names a number. */
    b->n_workers = 0;
    for (size_t i = 0; i < nw; i++) {
        unsigned v = w[i] ? (unsigned)w[i] : (unsigned)(cores > 0 ? cores : 1);
        bool dup = false;
        for (size_t k = 0; k < b->n_workers; k++)
            dup = dup || b->workers[k] == v;
        if (!dup)
            b->workers[b->n_workers++] = v;
    }
    for (size_t i = 1; i < b->n_workers; i++)
        for (size_t k = i; k > 0 && b->workers[k - 1] > b->workers[k]; k--) {
            unsigned t = b->workers[k];
            b->workers[k] = b->workers[k - 1];
            b->workers[k - 1] = t;
        }
    for (size_t i = 0; i < b->n_parcels; i++)
        if (b->parcels[i] == 0) {
            core_err_set(err, "--parcels: 0 is not a manifest size");
            return -EINVAL;
        }
    for (size_t i = 0; i < b->n_rules; i++)
        if (b->rules[i] == 0) {
            core_err_set(err, "--rules: 0 is not a list size");
            return -EINVAL;
        }
    static const char *const s_known[] = {"ndjson", "csv", "msgpack"};
    bool want[3] = {c->formats.count == 0, c->formats.count == 0, c->formats.count == 0};
    for (size_t i = 0; i < c->formats.count; i++) {
        bool found = false;
        for (int k = 0; k < 3; k++)
            if (strcmp(c->formats.items[i], s_known[k]) == 0)
                want[k] = found = true;
        if (!found) {
            core_err_set(err, "--formats: '%s' is not ndjson, csv or msgpack", c->formats.items[i]);
            return -EINVAL;
        }
    }
    for (int k = 0; k < 3; k++)
        if (want[k])
            b->formats[b->n_formats++] = s_known[k];
    b->ref_rules = b->rules[b->n_rules - 1];
    b->gen_rules = b->rules[0];
    for (size_t i = 0; i < b->n_rules; i++) {
        if (b->rules[i] == (uint64_t)c->ref_rules)
            b->ref_rules = b->rules[i];
        if (b->rules[i] == (uint64_t)c->gen_rules)
            b->gen_rules = b->rules[i];
    }
    if (c->gen_rules && b->gen_rules != (uint64_t)c->gen_rules) {
        core_err_set(err, "--gen-rules %ld is not one of the --rules sizes", c->gen_rules);
        return -EINVAL;
    }
    return 0;
}

/* ============ Files and programs ============ */

static int s_mkdirs(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

static bool s_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static uint64_t s_file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* Finds a program on PATH; writes its path or "". */
static void s_which(const char *name, char *out, size_t size)
{
    out[0] = '\0';
    const char *path = getenv("PATH");
    char *copy = core_strdup(path ? path : "/usr/local/bin:/usr/bin:/bin");
    char *save = NULL;
    for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char candidate[4096];
        snprintf(candidate, sizeof(candidate), "%s/%s", dir, name);
        if (access(candidate, X_OK) == 0) {
            snprintf(out, size, "%s", candidate);
            break;
        }
    }
    free(copy);
}

static void s_unlink_db(const char *db)
{
    static const char *const s_suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_suffixes); i++) {
        char p[4200];
        snprintf(p, sizeof(p), "%s%s", db, s_suffixes[i]);
        unlink(p);
    }
}

/* Reads the file; returns the number after "label:" on a line, or -1. */
static long long s_count_after(const char *text, const char *label)
{
    const char *p = text;
    size_t n = strlen(label);
    while (p && *p) {
        if (strncmp(p, label, n) == 0)
            return strtoll(p + n, NULL, 10);
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return -1;
}

/* Does 'parcelscreen run --help' mention the option? */
static bool s_run_has_option(const bench_t *b, const char *option)
{
    char *argv[] = {(char *)b->exe, "run", "--help", NULL};
    char *help = bench__capture(argv);
    bool found = help && strstr(help, option) != NULL;
    free(help);
    return found;
}

/* ============ Lists and manifests ============ */

static void s_list_paths(const bench_t *b, uint64_t rules, char *csv, char *pat, size_t size)
{
    snprintf(csv, size, "%s/lists/rules_%llu.csv", b->cfg.out_dir, (unsigned long long)rules);
    snprintf(pat, size, "%s/lists/rules_%llu.patterns", b->cfg.out_dir, (unsigned long long)rules);
}

static void s_manifest_path(const bench_t *b, uint64_t parcels, const char *format, char *out,
                            size_t size)
{
    snprintf(out, size, "%s/data/p%llu/manifest.%s", b->cfg.out_dir, (unsigned long long)parcels,
             format);
}

static int s_make_lists(bench_t *b, char *err)
{
    bench__pool_t *pool = bench__pool_new();
    int rc = 0;
    for (size_t i = 0; i < b->cfg.watchlist.count && rc == 0; i++)
        rc = bench__pool_load(pool, b->cfg.watchlist.items[i], err);
    if (rc == 0 && b->cfg.watchlist.count == 0) {
        bench__pool_add_builtin(pool);
        s_note(b, "no --watchlist: built-in goods terms and synthetic names");
    }
    if (rc == 0)
        s_progress(b, "pool: %zu real rules (%zu names)", bench__pool_size(pool),
                   bench__pool_names(pool));
    for (size_t i = 0; i < b->n_rules && rc == 0; i++) {
        char csv[4096], pat[4096];
        s_list_paths(b, b->rules[i], csv, pat, sizeof(csv));
        bench__list_info_t info;
        rc = bench__list_write(pool, b->rules[i], (uint64_t)b->cfg.seed, csv, pat, &info, err);
        if (rc == 0)
            s_progress(b, "list %s: %zu rules (%zu real, %zu synthetic names), %zu patterns", csv,
                       info.rules, info.real, info.synthetic, info.patterns);
    }
    bench__pool_destroy(&pool);
    return rc;
}

static int s_make_manifest(bench_t *b, uint64_t parcels, char *err)
{
    char dir[4096], stamp_path[4200], list_csv[4096], list_pat[4096];
    snprintf(dir, sizeof(dir), "%s/data/p%llu", b->cfg.out_dir, (unsigned long long)parcels);
    snprintf(stamp_path, sizeof(stamp_path), "%s/stamp", dir);
    s_list_paths(b, b->gen_rules, list_csv, list_pat, sizeof(list_csv));
    char stamp[512];
    snprintf(stamp, sizeof(stamp), "parcels=%llu seed=%ld rules=%llu commit=%s\n",
             (unsigned long long)parcels, b->cfg.seed, (unsigned long long)b->gen_rules,
             b->machine.commit);
    /* Reuse a manifest made with the same inputs (the list file is derived from the same). */
    size_t len = 0;
    char why[CORE_ERR_LEN];
    char *old = bench_read_file(stamp_path, &len, why);
    bool fresh = old && strcmp(old, stamp) == 0 && !strstr(b->machine.commit, "dirty");
    free(old);
    for (int f = 0; fresh && f < 3; f++) {
        static const char *const s_all[] = {"ndjson", "csv", "msgpack"};
        char path[4200];
        s_manifest_path(b, parcels, s_all[f], path, sizeof(path));
        fresh = s_exists(path);
    }
    if (fresh) {
        s_progress(b, "manifest %s: reused", dir);
        return 0;
    }
    int rc = s_mkdirs(dir);
    if (rc != 0) {
        core_err_set(err, "%s: %s", dir, strerror(-rc));
        return rc;
    }
    unlink(stamp_path);
    char n[32], seed[32], log[4200];
    snprintf(n, sizeof(n), "%llu", (unsigned long long)parcels);
    snprintf(seed, sizeof(seed), "%ld", b->cfg.seed);
    snprintf(log, sizeof(log), "%s/generate.log", dir);
    char *argv[] = {b->exe,        "generate",  "--parcels", n,           "--seed",
                    seed,          "--out-dir", dir,         "--formats", "ndjson,csv,msgpack",
                    "--watchlist", list_csv,    NULL};
    s_progress(b, "generate %llu parcels into %s", (unsigned long long)parcels, dir);
    bench__io_t io = {.stdin_fd = -1, .stdout_path = log, .stderr_path = log};
    bench__proc_t pr;
    rc = bench__run(argv, &io, &pr);
    if (rc != 0 || !WIFEXITED(pr.status) || WEXITSTATUS(pr.status) != 0) {
        char how[64];
        bench__describe_status(pr.status, how, sizeof(how));
        core_err_set(err, "generate failed (%s, see %s)", rc ? strerror(-rc) : how, log);
        return -EIO;
    }
    FILE *f = fopen(stamp_path, "w");
    if (f) {
        fputs(stamp, f);
        fclose(f);
    }
    return 0;
}

/* ============ Baselines and ceilings ============ */

/* Times one baseline program; returns median seconds, the timeout when it was stopped
 * (*timed_out set, no further repeats), or NAN when it failed. */
static double s_time_baseline(bench_t *b, const char *prog, bool ignore_case,
                              const char *pattern_file, const char *manifest, const char *out_path,
                              uint64_t *lines, bool *timed_out)
{
    char env[128];
    snprintf(env, sizeof(env), "LC_ALL=%s", b->cfg.grep_locale);
    char *argv[10];
    size_t n = 0;
    argv[n++] = (char *)prog;
    argv[n++] = "-F";
    if (ignore_case)
        argv[n++] = "-i";
    argv[n++] = "-c";
    argv[n++] = "-f";
    argv[n++] = (char *)pattern_file;
    argv[n++] = (char *)manifest;
    argv[n] = NULL;
    double runs[100];
    long r = 0;
    *timed_out = false;
    for (; r < b->cfg.repeat; r++) {
        bench__io_t io = {.stdin_fd = -1, .stdout_path = out_path, .stderr_path = NULL, .env = env};
        bench__proc_t pr;
        if (bench__run_timeout(argv, &io, b->cfg.baseline_timeout, &pr, timed_out) != 0)
            return NAN;
        if (*timed_out)
            return b->cfg.baseline_timeout;
        if (!WIFEXITED(pr.status) || WEXITSTATUS(pr.status) > 1)
            return NAN;
        runs[r] = pr.wall_s;
    }
    size_t len = 0;
    char why[CORE_ERR_LEN];
    char *text = bench_read_file(out_path, &len, why);
    *lines = text ? strtoull(text, NULL, 10) : 0;
    free(text);
    return bench_median(runs, (size_t)r);
}

static baseline_t *s_baseline(bench_t *b, uint64_t parcels, uint64_t rules)
{
    for (size_t i = 0; i < b->n_baselines; i++)
        if (b->baselines[i].parcels == parcels && b->baselines[i].rules == rules)
            return &b->baselines[i];
    baseline_t *bl = &b->baselines[b->n_baselines++];
    memset(bl, 0, sizeof(*bl));
    bl->parcels = parcels;
    bl->rules = rules;
    bl->grep_s = NAN;
    bl->rg_s = NAN;
    if (!b->cfg.baselines)
        return bl;
    char manifest[4200], csv[4096], pat[4096], out[4200];
    s_manifest_path(b, parcels, "ndjson", manifest, sizeof(manifest));
    s_list_paths(b, rules, csv, pat, sizeof(csv));
    s_progress(b, "baselines: grep and rg, %llu parcels, %llu rules", (unsigned long long)parcels,
               (unsigned long long)rules);
    if (b->grep[0]) {
        snprintf(out, sizeof(out), "%s/runs/grep_p%llu_r%llu.out", b->cfg.out_dir,
                 (unsigned long long)parcels, (unsigned long long)rules);
        bl->grep_s = s_time_baseline(b, b->grep, true, pat, manifest, out, &bl->grep_lines,
                                     &bl->grep_timed_out);
        if (!isfinite(bl->grep_s)) {
            s_progress(b, "grep failed on %s", manifest);
            b->failures++;
        }
    }
    if (b->rg[0]) {
        snprintf(out, sizeof(out), "%s/runs/rg_p%llu_r%llu.out", b->cfg.out_dir,
                 (unsigned long long)parcels, (unsigned long long)rules);
        bl->rg_s = s_time_baseline(b, b->rg, b->cfg.rg_ignore_case, pat, manifest, out,
                                   &bl->rg_lines, &bl->rg_timed_out);
        if (!isfinite(bl->rg_s)) {
            s_progress(b, "rg failed on %s", manifest);
            b->failures++;
        }
    }
    bl->done = true;
    return bl;
}

static ceiling_t *s_ceiling(bench_t *b, uint64_t parcels, uint64_t rules)
{
    for (size_t i = 0; i < b->n_ceilings; i++)
        if (b->ceilings[i].parcels == parcels && b->ceilings[i].rules == rules)
            return &b->ceilings[i];
    ceiling_t *c = &b->ceilings[b->n_ceilings++];
    memset(c, 0, sizeof(*c));
    c->parcels = parcels;
    c->rules = rules;
    c->done = true;
    if (!b->cfg.ceiling)
        return c;
    char manifest[4200], csv[4096], pat[4096];
    s_manifest_path(b, parcels, "ndjson", manifest, sizeof(manifest));
    s_list_paths(b, rules, csv, pat, sizeof(csv));
    const char *lists[] = {csv};
    bench_ceiling_opts_t opts = {
        .watchlists = lists,
        .watchlist_count = 1,
        .input = manifest,
        .threads = b->workers,
        .thread_count = b->n_workers,
        .repeat = (unsigned)b->cfg.repeat,
    };
    s_progress(b, "ceiling: %llu parcels, %llu rules", (unsigned long long)parcels,
               (unsigned long long)rules);
    char err[CORE_ERR_LEN] = "";
    int rc = bench_ceiling_measure(&opts, c->res, err);
    if (rc == -ENOSYS) {
        s_note(b, "matching ceiling not built (needs screen and ingest)");
        b->cfg.ceiling = false;
    } else if (rc != 0) {
        s_progress(b, "ceiling failed: %s", err);
        b->failures++;
    } else {
        c->count = b->n_workers;
    }
    return c;
}

/* Ceiling rate for 'threads', or NAN. */
static double s_ceiling_rate(const ceiling_t *c, unsigned threads, bool scanner)
{
    for (size_t i = 0; i < c->count; i++) {
        const bench_ceiling_result_t *r = &c->res[i];
        if (r->threads != threads)
            continue;
        double s = scanner ? r->scanner_s : r->hs_s;
        return s > 0 ? (double)r->parcels / s : NAN;
    }
    return NAN;
}

/* ============ One pipeline run ============ */

/* Parses run's --report file: "stage=NAME key=value ..." per line. */
static void s_parse_report(const char *path, bench__row_t *row)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char line[8192];
    while (fgets(line, sizeof(line), f)) {
        int stage = -1;
        double user = NAN, sys = NAN;
        char *save = NULL;
        for (char *tok = strtok_r(line, " \t\n", &save); tok;
             tok = strtok_r(NULL, " \t\n", &save)) {
            char *eq = strchr(tok, '=');
            if (eq == NULL)
                continue;
            *eq = '\0';
            const char *key = tok;
            const char *val = eq + 1;
            if (strcmp(key, "stage") == 0) {
                for (int s = 0; s < BENCH_STAGE_COUNT; s++)
                    if (strcmp(val, s_stage_names[s]) == 0)
                        stage = s;
                continue;
            }
            if (stage < 0)
                continue;
            double v = strtod(val, NULL);
            if (strcmp(key, "user_s") == 0)
                user = v;
            else if (strcmp(key, "sys_s") == 0)
                sys = v;
            else if (strcmp(key, "max_rss_kb") == 0)
                row->stage_rss_mb[stage] = v / 1024.0;
            else if (strcmp(key, "mem_allocated") == 0)
                row->stage_je_allocated_mb[stage] = v / 1048576.0;
            else if (strcmp(key, "mem_resident") == 0)
                row->stage_je_resident_mb[stage] = v / 1048576.0;
        }
        if (stage >= 0 && isfinite(user) && isfinite(sys))
            row->stage_cpu_s[stage] = user + sys;
    }
    fclose(f);
}

static void s_row_init(bench__row_t *row, const char *mode, const char *format, uint64_t parcels,
                       uint64_t rules, unsigned workers)
{
    memset(row, 0, sizeof(*row));
    snprintf(row->mode, sizeof(row->mode), "%s", mode);
    snprintf(row->format, sizeof(row->format), "%s", format);
    row->parcels = parcels;
    row->rules = rules;
    row->workers = workers;
    double *nan_fields[] = {&row->wall_s,
                            &row->active_s,
                            &row->parcels_per_s,
                            &row->parcels_per_s_wall,
                            &row->mb_per_s,
                            &row->offered_rate,
                            &row->cpu_s,
                            &row->cpu_s_per_mparcel,
                            &row->grep_s,
                            &row->rg_s,
                            &row->grep_parcels_per_s,
                            &row->rg_parcels_per_s,
                            &row->ceiling_hs_parcels_per_s,
                            &row->ceiling_scanner_parcels_per_s,
                            &row->x_grep,
                            &row->x_rg,
                            &row->pct_ceiling_hs,
                            &row->pct_ceiling_scanner};
    for (size_t i = 0; i < CORE_ARRAY_LEN(nan_fields); i++)
        *nan_fields[i] = NAN;
    for (int s = 0; s < BENCH_STAGE_COUNT; s++) {
        row->stage_cpu_s[s] = NAN;
        row->stage_rss_mb[s] = NAN;
        row->stage_je_allocated_mb[s] = NAN;
        row->stage_je_resident_mb[s] = NAN;
        row->stage_rss_growth_pct[s] = NAN;
    }
    row->lat.source = "n/a";
}

/* True once the run process has exited (without reaping it). */
static bool s_exited(pid_t pid)
{
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

typedef struct {
    const char *mode;   /* run, paced, sustain */
    const char *format; /* input format */
    uint64_t parcels;   /* manifest (and, paced, parcels to feed) */
    uint64_t rules;     /* list */
    unsigned workers;   /* screen workers */
    double rate;        /* paced: parcels/s offered */
    double seconds;     /* sustain: how long to feed */
    int rep;            /* repetition index, for file names */
} run_spec_t;

/* Feeds a paced run: one warm-up parcel, wait until it is durable (the pipeline is up), then
 * the paced stream. Returns the wall-clock ns when the paced stream began, or 0. */
static int64_t s_feed(bench_t *b, const run_spec_t *spec, pid_t pid, int fd, const char *db,
                      bench__row_t *row)
{
    char manifest[4200], err[CORE_ERR_LEN] = "";
    s_manifest_path(b, spec->parcels, "ndjson", manifest, sizeof(manifest));
    bench__feed_t *feed = bench__feed_new(manifest, err);
    if (feed == NULL) {
        snprintf(row->error, sizeof(row->error), "feed: %.180s", err);
        return 0;
    }
    bench__feed_stats_t st;
    int64_t since = 0;
    if (bench__feed_run(feed, fd, 0, 1, 0, &st) != 0)
        goto out;
    double deadline = bench_now_s() + (double)b->cfg.timeout;
    while (bench__db_count(db) < 1) {
        if (s_exited(pid) || bench_now_s() > deadline)
            goto out;
        usleep(20000);
    }
    since = core_wall_ns();
    uint64_t n = 0;
    if (spec->seconds <= 0) {
        n = spec->parcels;
        double min_n = spec->rate * b->cfg.paced_seconds;
        if (!b->cfg.quick && (double)n < min_n)
            n = (uint64_t)min_n;
    }
    bench__feed_run(feed, fd, spec->rate, n, spec->seconds, &st);
    row->offered_rate = spec->rate;
out:
    bench__feed_destroy(&feed);
    return since;
}

/* The files of one run, all under DIR/runs/ and named after its configuration. */
typedef struct {
    char tag[256];       /* mode_format_pP_rN_wW_rep */
    char db[4200];       /* sink database */
    char lat[4200];      /* sink latency log */
    char out[4200];      /* run's stdout: the counts */
    char err[4200];      /* run's and the stages' stderr */
    char report[4200];   /* run --report */
    char mem[4200];      /* sustain: RSS series */
    char manifest[4200]; /* input (paced: fed through stdin instead) */
    char list[4096];     /* watchlist */
    char patterns[4096]; /* unused here: the baselines' file */
} run_files_t;

static void s_run_files(const bench_t *b, const run_spec_t *spec, run_files_t *f)
{
    snprintf(f->tag, sizeof(f->tag), "%s_%s_p%llu_r%llu_w%u_%d", spec->mode, spec->format,
             (unsigned long long)spec->parcels, (unsigned long long)spec->rules, spec->workers,
             spec->rep);
    snprintf(f->db, sizeof(f->db), "%s/runs/%s.db", b->cfg.out_dir, f->tag);
    snprintf(f->lat, sizeof(f->lat), "%s/runs/%s.latency", b->cfg.out_dir, f->tag);
    snprintf(f->out, sizeof(f->out), "%s/runs/%s.out", b->cfg.out_dir, f->tag);
    snprintf(f->err, sizeof(f->err), "%s/runs/%s.err", b->cfg.out_dir, f->tag);
    snprintf(f->report, sizeof(f->report), "%s/runs/%s.report", b->cfg.out_dir, f->tag);
    snprintf(f->mem, sizeof(f->mem), "%s/runs/%s.memory.csv", b->cfg.out_dir, f->tag);
    s_manifest_path(b, spec->parcels, spec->format, f->manifest, sizeof(f->manifest));
    s_list_paths(b, spec->rules, f->list, f->patterns, sizeof(f->list));
    /* Nothing of an earlier run may be mistaken for this one's. */
    s_unlink_db(f->db);
    unlink(f->lat);
    unlink(f->report);
    unlink(f->err);
}

/* The argument vector of 'parcelscreen run' (pointers into f, b and the two buffers). */
static void s_run_argv(const bench_t *b, const run_spec_t *spec, run_files_t *f, bool fed,
                       char *workers, char *timeout, char **argv)
{
    snprintf(workers, 16, "%u", spec->workers);
    snprintf(timeout, 32, "%ld", b->cfg.timeout);
    size_t n = 0;
    argv[n++] = (char *)b->exe;
    argv[n++] = "run";
    argv[n++] = "--watchlist";
    argv[n++] = f->list;
    argv[n++] = "--input";
    argv[n++] = fed ? "-" : f->manifest;
    argv[n++] = "--format";
    argv[n++] = (char *)spec->format;
    argv[n++] = "--db";
    argv[n++] = f->db;
    argv[n++] = "--workers";
    argv[n++] = workers;
    argv[n++] = "--timeout";
    argv[n++] = timeout;
    argv[n++] = "--quiet";
    if (b->have_latency_log) {
        argv[n++] = "--latency-log";
        argv[n++] = f->lat;
    }
    if (b->have_report) {
        argv[n++] = "--report";
        argv[n++] = f->report;
    }
    argv[n] = NULL;
}

/* Throughput of a finished run: between the first and the last durable commit when the
 * latency records allow it, else over the wall time. */
static void s_run_rate(bench__row_t *row, bool fed)
{
    double active = row->lat.last_commit_ns > row->lat.first_commit_ns
                        ? (double)(row->lat.last_commit_ns - row->lat.first_commit_ns) / 1e9
                        : 0.0;
    uint64_t counted = row->screened > row->lat.parcels_first_commit
                           ? row->screened - row->lat.parcels_first_commit
                           : 0;
    if (!fed && active >= 0.05 && counted > 0) {
        row->active_s = active;
        row->parcels_per_s = (double)counted / active;
        row->mb_per_s =
            (double)row->input_bytes * ((double)counted / (double)row->screened) / 1e6 / active;
        row->rate_basis = "commits";
    } else if (fed && row->lat.valid && active > 0) {
        /* Paced: what went through while the feed ran. */
        row->active_s = active;
        row->parcels_per_s = (double)row->lat.parcels / active;
        row->rate_basis = "commits";
    } else {
        row->parcels_per_s = row->parcels_per_s_wall;
        row->mb_per_s = (double)row->input_bytes / 1e6 / row->wall_s;
        row->rate_basis = "wall";
    }
}

/* Reads what a finished run left behind into row. Returns 0 when the run succeeded. */
static int s_run_collect(bench_t *b, const run_spec_t *spec, const run_files_t *f,
                         const bench__proc_t *pr, int64_t since, bench__row_t *row)
{
    bool fed = strcmp(spec->mode, "run") != 0;
    row->wall_s = pr->wall_s;
    row->cpu_s = pr->user_s + pr->sys_s;
    row->max_rss_kb = pr->max_rss_kb;
    if (b->have_report)
        s_parse_report(f->report, row);

    size_t len = 0;
    char why[CORE_ERR_LEN];
    char *text = bench_read_file(f->out, &len, why);
    long long screened = text ? s_count_after(text, "parcels screened:") : -1;
    long long rejected = text ? s_count_after(text, "records rejected:") : -1;
    long long hits = text ? s_count_after(text, "hits:") : -1;
    free(text);
    if (!WIFEXITED(pr->status) || WEXITSTATUS(pr->status) != 0 || screened < 0) {
        char how[64];
        bench__describe_status(pr->status, how, sizeof(how));
        snprintf(row->error, sizeof(row->error), "run %.60s (see runs/%.100s.err)", how, f->tag);
        return -1;
    }
    row->ok = true;
    row->screened = (uint64_t)screened;
    row->rejected = rejected > 0 ? (uint64_t)rejected : 0;
    row->hits = hits > 0 ? (uint64_t)hits : 0;
    row->parcels_per_s_wall = (double)row->screened / row->wall_s;
    row->cpu_s_per_mparcel = row->screened ? row->cpu_s / (double)row->screened * 1e6 : NAN;

    bench__lat_samples_t samples = {0};
    if (!b->have_latency_log || bench__latency_load_log(f->lat, &samples) != 0)
        bench__latency_load_db(f->db, &samples);
    bench__latency_summarise(&samples, fed ? since : -1, &row->lat);
    bench__lat_free(&samples);
    s_run_rate(row, fed);

    if (strcmp(spec->mode, "sustain") == 0) {
        bench__mem_series_free(b->mem, b->n_mem);
        b->n_mem = bench__mem_series_load(f->mem, b->mem, BENCH_MAX_STAGES);
        for (size_t i = 0; i < b->n_mem; i++)
            for (int s = 0; s < BENCH_STAGE_COUNT; s++)
                if (strcmp(b->mem[i].stage, s_stage_names[s]) == 0)
                    row->stage_rss_growth_pct[s] = bench__mem_growth_pct(&b->mem[i]);
    }
    return 0;
}

/* Runs 'parcelscreen run' once for spec; fills row. Returns 0 when the run succeeded. */
static int s_run_once(bench_t *b, const run_spec_t *spec, bench__row_t *row)
{
    bool fed = strcmp(spec->mode, "run") != 0;
    s_row_init(row, spec->mode, spec->format, spec->parcels, spec->rules, spec->workers);
    run_files_t *f = core_calloc(1, sizeof(*f));
    s_run_files(b, spec, f);
    row->input_bytes = s_file_size(f->manifest);
    char workers[16], timeout[32];
    char *argv[32];
    s_run_argv(b, spec, f, fed, workers, timeout, argv);
    int rc = -1;

    /* Close-on-exec: the run and its stages must not inherit the write end, or ingest would
     * never see the end of its input. */
    int pipefd[2] = {-1, -1};
    if (fed && pipe2(pipefd, O_CLOEXEC) != 0) {
        snprintf(row->error, sizeof(row->error), "pipe: %s", strerror(errno));
        goto out_free;
    }
    bench__io_t io = {.stdin_fd = pipefd[0], .stdout_path = f->out, .stderr_path = f->err};
    double t0 = bench_now_s();
    pid_t pid = bench__spawn(argv, &io);
    if (fed)
        close(pipefd[0]);
    if (pid < 0) {
        snprintf(row->error, sizeof(row->error), "cannot start run: %s", strerror((int)-pid));
        if (fed)
            close(pipefd[1]);
        goto out_free;
    }
    FILE *series = strcmp(spec->mode, "sustain") == 0 ? fopen(f->mem, "we") : NULL;
    /* A memory series wants about a hundred points or one a second, whichever is denser. */
    double interval = 0.1;
    if (series)
        interval = spec->seconds >= 100 ? 1.0 : (spec->seconds > 10 ? spec->seconds / 100 : 0.1);
    bench__sampler_t *sampler = bench__sampler_start(pid, interval, series);
    int64_t since = -1;
    if (fed) {
        since = s_feed(b, spec, pid, pipefd[1], f->db, row);
        close(pipefd[1]);
    }
    bench__proc_t pr;
    int wrc = bench__wait(pid, t0, &pr);
    bench__stage_t stages[BENCH_MAX_STAGES];
    size_t ns = bench__sampler_stop(&sampler, stages, BENCH_MAX_STAGES);
    if (series)
        fclose(series);
    if (wrc != 0) {
        snprintf(row->error, sizeof(row->error), "wait: %s", strerror(-wrc));
        goto out_free;
    }
    /* /proc samples first: run's --report, when there is one, overrides them. */
    for (size_t i = 0; i < ns; i++)
        for (int s = 0; s < BENCH_STAGE_COUNT; s++)
            if (strcmp(stages[i].name, s_stage_names[s]) == 0) {
                row->stage_cpu_s[s] = stages[i].cpu_s;
                row->stage_rss_mb[s] = (double)stages[i].hwm_kb / 1024.0;
            }
    rc = s_run_collect(b, spec, f, &pr, since, row);
    if (rc == 0 && !b->cfg.keep)
        s_unlink_db(f->db);
out_free:
    free(f);
    return rc;
}

static int s_cmp_rate(const void *a, const void *b)
{
    double x = ((const bench__row_t *)a)->parcels_per_s;
    double y = ((const bench__row_t *)b)->parcels_per_s;
    if (!isfinite(x))
        x = -1;
    if (!isfinite(y))
        y = -1;
    return (x > y) - (x < y);
}

static bench__row_t *s_row_new(bench_t *b)
{
    if (b->n_rows == b->cap_rows) {
        b->cap_rows = b->cap_rows ? b->cap_rows * 2 : 32;
        b->rows = core_realloc(b->rows, b->cap_rows * sizeof(*b->rows));
    }
    return &b->rows[b->n_rows++];
}

/* Runs a configuration (--repeat times for full-speed runs), keeps the median row, adds the
 * baselines and ceiling of the same manifest and list. */
static bench__row_t *s_config(bench_t *b, run_spec_t spec)
{
    b->step++;
    long repeat = strcmp(spec.mode, "run") == 0 ? b->cfg.repeat : 1;
    s_progress(b, "[%zu/%zu] %s %s: %llu parcels, %llu rules, %u workers%s", b->step, b->steps,
               spec.mode, spec.format, (unsigned long long)spec.parcels,
               (unsigned long long)spec.rules, spec.workers, repeat > 1 ? ", repeated" : "");
    bench__row_t *runs = core_calloc((size_t)repeat, sizeof(*runs));
    /* Successful runs fill runs[0..ok); a failed run is written at runs[ok] and overwritten
     * by the next success, so with no success runs[0] holds the last failure. */
    long ok = 0;
    for (long r = 0; r < repeat; r++) {
        spec.rep = (int)r;
        if (s_run_once(b, &spec, &runs[ok]) == 0)
            ok++;
    }
    bench__row_t *row = s_row_new(b);
    if (ok > 0) {
        qsort(runs, (size_t)ok, sizeof(*runs), s_cmp_rate);
        *row = runs[ok / 2];
    } else {
        *row = runs[0];
        b->failures++;
        s_progress(b, "  failed: %s", row->error);
    }
    free(runs);
    if (row->ok && strcmp(spec.mode, "run") == 0) {
        const baseline_t *bl = s_baseline(b, spec.parcels, spec.rules);
        row->grep_s = bl->grep_s;
        row->rg_s = bl->rg_s;
        row->grep_timed_out = bl->grep_timed_out;
        row->rg_timed_out = bl->rg_timed_out;
        row->grep_parcels_per_s = (double)spec.parcels / bl->grep_s;
        row->rg_parcels_per_s = (double)spec.parcels / bl->rg_s;
        row->x_grep = row->parcels_per_s / row->grep_parcels_per_s;
        row->x_rg = row->parcels_per_s / row->rg_parcels_per_s;
        const ceiling_t *c = s_ceiling(b, spec.parcels, spec.rules);
        row->ceiling_hs_parcels_per_s = s_ceiling_rate(c, spec.workers, false);
        row->ceiling_scanner_parcels_per_s = s_ceiling_rate(c, spec.workers, true);
        row->pct_ceiling_hs = 100.0 * row->parcels_per_s / row->ceiling_hs_parcels_per_s;
        row->pct_ceiling_scanner = 100.0 * row->parcels_per_s / row->ceiling_scanner_parcels_per_s;
    }
    if (row->ok)
        s_progress(b, "  %.0f parcels/s (%s), p99 %.1f ms, %.2f CPU s per M parcels",
                   row->parcels_per_s, row->rate_basis, row->lat.valid ? row->lat.p99_ms : NAN,
                   row->cpu_s_per_mparcel);
    return row;
}

/* ============ Micro benchmarks ============ */

static void s_micro(bench_t *b)
{
    char path[4200], n[32], rep[32], dir[4200];
    snprintf(path, sizeof(path), "%s/micro.txt", b->cfg.out_dir);
    unlink(path);
    uint64_t parcels = b->parcels[b->n_parcels - 1];
    snprintf(n, sizeof(n), "%llu", (unsigned long long)parcels);
    snprintf(rep, sizeof(rep), "%ld", b->cfg.repeat > 3 ? b->cfg.repeat : 3);
    snprintf(dir, sizeof(dir), "%s/runs", b->cfg.out_dir);
    /* Quick: --smoke (tiny, one run); otherwise --repeat. */
    char *mode[2] = {"--smoke", NULL};
    int nmode = 1;
    if (!b->cfg.quick) {
        mode[0] = "--repeat";
        mode[1] = rep;
        nmode = 2;
    }
    s_progress(b, "micro benchmarks into %s", path);
    char *codec[8] = {"bench_proto_codec", "--parcels", n, "--out", path, mode[0], mode[1]};
    if (bench_proto_codec_main(5 + nmode, codec) != 0)
        b->failures++;
#ifdef BENCH_HAVE_INGEST_DECODE
    char m[3][4200];
    char *dec[16] = {"bench_ingest_decode", "--out", path, mode[0], mode[1]};
    int dn = 3 + nmode;
    dec[dn++] = "--input";
    for (size_t f = 0; f < b->n_formats; f++) {
        s_manifest_path(b, parcels, b->formats[f], m[f], sizeof(m[f]));
        dec[dn++] = m[f];
    }
    if (bench_ingest_decode_main(dn, dec) != 0)
        b->failures++;
#else
    s_note(b, "micro ingest_decode not built (needs ingest)");
#endif
#ifdef BENCH_HAVE_SINK_STORE
    char *store[12] = {
        "bench_sink_store", "--verdicts", n, "--dir", dir, "--out", path, mode[0], mode[1]};
    if (bench_sink_store_main(7 + nmode, store) != 0)
        b->failures++;
#else
    s_note(b, "micro sink_store not built (needs sink)");
#endif
    /* The ceilings already measured, in the micro line format. */
    FILE *f = fopen(path, "a");
    for (size_t i = 0; f && i < b->n_ceilings; i++) {
        const ceiling_t *c = &b->ceilings[i];
        for (size_t k = 0; k < c->count; k++) {
            const bench_ceiling_result_t *r = &c->res[k];
            fprintf(f, "bench=screen_scanner threads=%u rules=%llu hits=%llu", r->threads,
                    (unsigned long long)r->rules, (unsigned long long)r->scanner_hits);
            bench_print_rate(f, r->parcels, r->input_bytes, r->scanner_s);
            fprintf(f, " compile_s=%.3f\n", r->compile_s);
            fprintf(f,
                    "bench=hs_scan threads=%u rules=%llu hs_patterns=%llu matches=%llu "
                    "field_bytes=%llu",
                    r->threads, (unsigned long long)r->rules, (unsigned long long)r->hs_patterns,
                    (unsigned long long)r->hs_matches, (unsigned long long)r->hs_field_bytes);
            bench_print_rate(f, r->parcels, r->input_bytes, r->hs_s);
            fputc('\n', f);
        }
    }
    if (f)
        fclose(f);
}

/* ============ The driver ============ */

static void s_plan_count(bench_t *b)
{
    size_t per_p = b->n_rules * b->n_workers;
    if (b->cfg.full_matrix)
        per_p = b->n_rules * b->n_workers * b->n_formats;
    else
        for (size_t f = 0; f < b->n_formats; f++)
            if (strcmp(b->formats[f], "ndjson") != 0)
                per_p += b->n_workers;
    b->steps = per_p * b->n_parcels + (b->cfg.paced > 0) + (b->cfg.sustain > 0);
}

static void s_run_plan(bench_t *b)
{
    for (size_t p = 0; p < b->n_parcels; p++) {
        char err[CORE_ERR_LEN] = "";
        if (s_make_manifest(b, b->parcels[p], err) != 0) {
            s_progress(b, "%s", err);
            b->failures++;
            continue;
        }
        for (size_t r = 0; r < b->n_rules; r++)
            for (size_t w = 0; w < b->n_workers; w++)
                s_config(b, (run_spec_t){"run", "ndjson", b->parcels[p], b->rules[r], b->workers[w],
                                         0, 0, 0});
        for (size_t f = 0; f < b->n_formats; f++) {
            if (strcmp(b->formats[f], "ndjson") == 0)
                continue;
            for (size_t r = 0; r < b->n_rules; r++) {
                if (!b->cfg.full_matrix && b->rules[r] != b->ref_rules)
                    continue;
                for (size_t w = 0; w < b->n_workers; w++)
                    s_config(b, (run_spec_t){"run", b->formats[f], b->parcels[p], b->rules[r],
                                             b->workers[w], 0, 0, 0});
            }
        }
    }
}

/* The reference full-speed row for the paced runs: largest manifest, reference list, most
 * workers, NDJSON. */
static const bench__row_t *s_reference(const bench_t *b)
{
    const bench__row_t *best = NULL;
    for (size_t i = 0; i < b->n_rows; i++) {
        const bench__row_t *r = &b->rows[i];
        if (r->ok && strcmp(r->mode, "run") == 0 && strcmp(r->format, "ndjson") == 0 &&
            r->rules == b->ref_rules && r->parcels == b->parcels[b->n_parcels - 1] &&
            (best == NULL || r->workers > best->workers))
            best = r;
    }
    return best;
}

static void s_run_paced(bench_t *b)
{
    const bench__row_t *ref = s_reference(b);
    if (ref == NULL || !isfinite(ref->parcels_per_s)) {
        if (b->cfg.paced > 0 || b->cfg.sustain > 0)
            s_note(b, "no reference run: paced and sustained runs skipped");
        return;
    }
    /* Copies: s_config may move the rows array. */
    uint64_t parcels = ref->parcels;
    unsigned workers = ref->workers;
    double peak = ref->parcels_per_s;
    if (b->cfg.paced > 0)
        s_config(b, (run_spec_t){"paced", "ndjson", parcels, b->ref_rules, workers,
                                 b->cfg.paced * peak, 0, 0});
    if (b->cfg.sustain > 0) {
        double rate = b->cfg.sustain_rate > 0 ? b->cfg.sustain_rate
                                              : (b->cfg.paced > 0 ? b->cfg.paced : 0.5) * peak;
        s_config(b, (run_spec_t){"sustain", "ndjson", parcels, b->ref_rules, workers, rate,
                                 (double)b->cfg.sustain, 0});
    }
}

static void s_command_line(int argc, char **argv, core_buf_t *out)
{
    core_buf_append_str(out, "parcelscreen");
    for (int i = 0; i < argc; i++) {
        core_buf_append_byte(out, ' ');
        core_buf_append_str(out, argv[i]);
    }
}

static int s_write_reports(bench_t *b, const char *command)
{
    char path[4200], err[CORE_ERR_LEN] = "";
    bench__meta_t meta = {
        .seed = (uint64_t)b->cfg.seed,
        .command = command,
        .quick = b->cfg.quick,
        .grep_locale = b->cfg.grep_locale,
        .rg_command = b->cfg.rg_ignore_case ? "rg -F -i" : "rg -F",
        .notes = b->notes.len ? core_buf_cstr(&b->notes) : "",
    };
    bench__target_t targets[8];
    size_t nt = bench__targets_eval(b->rows, b->n_rows, b->ref_rules, b->cfg.quick, targets,
                                    CORE_ARRAY_LEN(targets));
    snprintf(path, sizeof(path), "%s/results.csv", b->cfg.out_dir);
    int rc = bench__report_csv(path, b->rows, b->n_rows, &b->machine, &meta, err);
    if (rc == 0) {
        snprintf(path, sizeof(path), "%s/results.md", b->cfg.out_dir);
        rc = bench__report_md(path, b->rows, b->n_rows, &b->machine, &meta, targets, nt, err);
    }
    if (rc == 0)
        rc = bench__plots_write(b->rows, b->n_rows, b->cfg.out_dir, b->mem, b->n_mem, err);
    if (rc != 0) {
        s_progress(b, "writing results: %s", err);
        return rc;
    }
    printf("results: %s/results.md (results.csv, plots%s)\n", b->cfg.out_dir,
           b->cfg.micro ? ", micro.txt" : "");
    for (size_t i = 0; i < nt; i++)
        printf("target: %-52s %-22s %-14s %s\n", targets[i].name, targets[i].target,
               targets[i].verdict, targets[i].measured);
    fflush(stdout);
    return 0;
}

int bench_main(int argc, char **argv)
{
    bench_t *b = core_calloc(1, sizeof(*b));
    char err[CORE_ERR_LEN] = "";
    int rc = core_config_parse(&s_table, &b->cfg, argc, argv, stdout, err);
    int exit_code = 2;
    core_buf_t command = {0};
    if (rc != 0) {
        exit_code = rc > 0 ? 0 : 2;
        if (rc < 0)
            fprintf(stderr, "parcelscreen: bench: %s\n", err);
        goto out_free;
    }
    if (b->cfg.quick && b->cfg.baseline_timeout > 60)
        b->cfg.baseline_timeout = 60;
    if (s_resolve(b, err) != 0) {
        fprintf(stderr, "parcelscreen: bench: %s\n", err);
        goto out_free;
    }
    exit_code = 1;
    ssize_t len = readlink(b->cfg.exe, b->exe, sizeof(b->exe) - 1);
    if (len <= 0)
        snprintf(b->exe, sizeof(b->exe), "%s", b->cfg.exe);
    else
        b->exe[len] = '\0';
    if (access(b->exe, X_OK) != 0) {
        fprintf(stderr, "parcelscreen: bench: %s: not an executable program\n", b->exe);
        goto out_free;
    }
    s_which("grep", b->grep, sizeof(b->grep));
    s_which("rg", b->rg, sizeof(b->rg));
    if (b->cfg.baselines && (!b->grep[0] || !b->rg[0]))
        s_note(b, "%s not found: its baseline is n/a", !b->grep[0] ? "grep" : "rg");
    char dirs[3][4200];
    snprintf(dirs[0], sizeof(dirs[0]), "%s/lists", b->cfg.out_dir);
    snprintf(dirs[1], sizeof(dirs[1]), "%s/data", b->cfg.out_dir);
    snprintf(dirs[2], sizeof(dirs[2]), "%s/runs", b->cfg.out_dir);
    for (int i = 0; i < 3; i++) {
        if (s_mkdirs(dirs[i]) != 0) {
            fprintf(stderr, "parcelscreen: bench: cannot create %s: %s\n", dirs[i],
                    strerror(errno));
            goto out_free;
        }
    }
    /* A paced run writes into a pipe whose reader may die: that is an error, not a signal. */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_pipe;
    sigaction(SIGPIPE, &ign, &old_pipe);

    bench__machine_probe(&b->machine);
    b->have_latency_log = s_run_has_option(b, "--latency-log");
    b->have_report = s_run_has_option(b, "--report");
    if (!b->have_latency_log)
        s_note(b, "run has no --latency-log: latency from the database if it has ingest_at, "
                  "throughput over wall time");
    if (!b->have_report)
        s_note(b, "run has no --report: per-stage CPU and RSS sampled from /proc, no jemalloc "
                  "statistics");
    s_command_line(argc, argv, &command);
    s_plan_count(b);
    s_progress(b, "%s build, commit %s, %s, %ld cores; %zu configurations", b->machine.build_type,
               b->machine.commit, b->machine.cpu, b->machine.cores, b->steps);

    if (s_make_lists(b, err) != 0) {
        fprintf(stderr, "parcelscreen: bench: %s\n", err);
        goto out_signals;
    }
    s_run_plan(b);
    s_run_paced(b);
    if (b->cfg.micro)
        s_micro(b);
    if (s_write_reports(b, core_buf_cstr(&command)) != 0)
        b->failures++;
    exit_code = b->failures ? 1 : 0;
out_signals:
    sigaction(SIGPIPE, &old_pipe, NULL);
out_free:
    bench__mem_series_free(b->mem, b->n_mem);
    core_buf_clear(&b->notes);
    core_buf_clear(&command);
    free(b->rows);
    core_config_free(&s_table, &b->cfg);
    free(b);
    return exit_code;
}
