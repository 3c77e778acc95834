/* internal.h -- the bench suite's private parts, shared by its source files (bench__ prefix).
 *
 *   main.c     options, the plan of configurations, the driver loop (bench_main)
 *   lists.c    SPEC watchlists of a requested size: real rules, then synthetic names
 *   proc.c     child processes: spawn, wait4 rusage, stage sampling from /proc
 *   feed.c     a paced NDJSON feed into 'parcelscreen run --input -'
 *   latency.c  ingest-read -> durable-verdict latency from the sink's records
 *   report.c   results.csv, results.md, the machine header
 *   svg.c      line charts as SVG */
#ifndef BENCH_SUITE_INTERNAL_H
#define BENCH_SUITE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/core.h"

/* ============ Watchlists of a given size (lists.c) ============ */

/* One SPEC rule, all fields owned strings ("" when absent). */
typedef struct {
    char *field[9]; /* id, list, kind, scope, pattern, weight, note, valid_from, valid_to */
} bench__rule_t;

enum {
    BENCH_COL_ID,
    BENCH_COL_LIST,
    BENCH_COL_KIND,
    BENCH_COL_SCOPE,
    BENCH_COL_PATTERN,
    BENCH_COL_WEIGHT,
    BENCH_COL_NOTE,
    BENCH_COL_FROM,
    BENCH_COL_TO,
    BENCH_COL_COUNT
};

/* The rules lists are cut from: real rules in a fixed order, and parts for synthetic names. */
typedef struct bench__pool bench__pool_t;

bench__pool_t *bench__pool_new(void);
void bench__pool_destroy(bench__pool_t **self_p);
/* Adds every rule of a SPEC watchlist CSV (header by name; ids seen before are skipped).
 * Returns 0 or -errno with "path:line: reason" in err. */
int bench__pool_load(bench__pool_t *self, const char *path, char *err);
/* Adds the built-in goods keywords (used when no --watchlist is given). */
void bench__pool_add_builtin(bench__pool_t *self);
/* Real rules loaded, and how many of them are names. */
size_t bench__pool_size(const bench__pool_t *self);
size_t bench__pool_names(const bench__pool_t *self);

typedef struct {
    size_t rules;     /* rules written */
    size_t real;      /* of which from the loaded lists */
    size_t synthetic; /* of which synthetic names */
    size_t names;     /* name rules (real + synthetic) */
    size_t patterns;  /* lines in the patterns file (name and keyword patterns) */
} bench__list_info_t;

/* Writes a SPEC watchlist of 'rules' rules to csv_path and the name and keyword patterns,
 * one per line, to patterns_path (the grep/rg baseline). Rules come from the pool's fixed
 * order (names and other kinds interleaved while both last), so a smaller list is a prefix
 * of a larger one; past the pool, synthetic names are made from name parts with 'seed'.
 * Returns 0 or -errno with a reason in err. */
int bench__list_write(bench__pool_t *self, size_t rules, uint64_t seed, const char *csv_path,
                      const char *patterns_path, bench__list_info_t *info, char *err);

/* ============ Child processes (proc.c) ============ */

typedef struct {
    const char *stdin_path;  /* NULL: /dev/null (ignored when stdin_fd >= 0) */
    int stdin_fd;            /* >= 0: the child's stdin (closed in the parent by the caller) */
    const char *stdout_path; /* NULL: /dev/null */
    const char *stderr_path; /* NULL: /dev/null */
    const char *env;         /* one "NAME=value" set in the child, or NULL */
} bench__io_t;

typedef struct {
    int status;    /* wait status */
    double wall_s; /* from spawn to reaping */
    double user_s; /* CPU of the child and every descendant it waited for */
    double sys_s;
    long max_rss_kb; /* largest peak RSS among them */
} bench__proc_t;

/* Starts argv[0] (a path) with argv; returns the pid or -errno. */
pid_t bench__spawn(char *const argv[], const bench__io_t *io);
/* Waits for pid with wait4; t0 is bench_now_s() at spawn. Returns 0 or -errno. */
int bench__wait(pid_t pid, double t0, bench__proc_t *out);
/* spawn + wait. Returns 0 (whatever the exit status) or -errno. */
int bench__run(char *const argv[], const bench__io_t *io, bench__proc_t *out);
/* bench__run with a limit: past timeout_s (0: none) the child is killed with SIGKILL and
 * *timed_out set. The wall time then measures up to the kill. */
int bench__run_timeout(char *const argv[], const bench__io_t *io, double timeout_s,
                       bench__proc_t *out, bool *timed_out);
/* "exit 0", "exit 2", "signal 9 (Killed)". */
void bench__describe_status(int status, char *out, size_t len);
/* Runs argv and returns its stdout (malloc'd, NUL-terminated), or NULL when it cannot run or
 * exits non-zero. */
char *bench__capture(char *const argv[]);

/* What /proc said about one stage process of a run. */
typedef struct {
    char name[16]; /* argv[1] of the process: ingest, screen, sink */
    pid_t pid;     /* its pid */
    long hwm_kb;   /* VmHWM: peak resident set, last seen */
    long rss_kb;   /* VmRSS, last seen */
    double cpu_s;  /* utime + stime, last seen */
} bench__stage_t;

#define BENCH_MAX_STAGES 8

typedef struct bench__sampler bench__sampler_t;

/* Starts a thread that every interval_s finds the children of 'parent' and reads their
 * /proc status and stat. With 'series' (may be NULL) it appends "t_s,stage,rss_kb" lines. */
bench__sampler_t *bench__sampler_start(pid_t parent, double interval_s, FILE *series);
/* Stops the thread and copies what it saw; returns the number of stages (<= max). */
size_t bench__sampler_stop(bench__sampler_t **self_p, bench__stage_t *out, size_t max);

/* ============ Paced feed (feed.c) ============ */

typedef struct bench__feed bench__feed_t;

/* Loads an NDJSON manifest for feeding. Returns NULL with a reason in err. */
bench__feed_t *bench__feed_new(const char *ndjson_path, char *err);
void bench__feed_destroy(bench__feed_t **self_p);
size_t bench__feed_lines(const bench__feed_t *self);

typedef struct {
    uint64_t parcels; /* lines written */
    uint64_t bytes;   /* bytes written */
    double seconds;   /* time spent writing */
} bench__feed_stats_t;

/* Writes lines to fd at 'rate' lines per second (0: as fast as the pipe takes them) until
 * 'parcels' lines (0: no limit) or 'seconds' (0: no limit) are reached, repeating the
 * manifest with parcel_id suffixes "-r1", "-r2", ... so that every id is new. A second call
 * goes on where the first stopped. Returns 0, or -errno of a failed write (the reader went
 * away; SIGPIPE must be ignored). Closes nothing. */
int bench__feed_run(bench__feed_t *self, int fd, double rate, uint64_t parcels, double seconds,
                    bench__feed_stats_t *out);

/* ============ Latency (latency.c) ============ */

#define BENCH_LAT_QUANTILES 201 /* quantile i/200 for i = 0..200 */

typedef struct {
    int64_t ingest_ns; /* when ingest read the batch's first record (wall clock) */
    int64_t commit_ns; /* when it was durable (wall clock) */
    uint64_t weight;   /* parcels it stands for */
} bench__lat_sample_t;

typedef struct {
    bench__lat_sample_t *v; /* samples */
    size_t count;           /* used */
    size_t cap;             /* allocated */
    const char *source;     /* "latency-log", "db", or NULL */
} bench__lat_samples_t;

void bench__lat_push(bench__lat_samples_t *s, int64_t ingest_ns, int64_t commit_ns,
                     uint64_t weight);
void bench__lat_free(bench__lat_samples_t *s);

/* From the sink's per-batch log: lines "seq parcels ingest_ns commit_ns". Returns 0 or
 * -ENOENT/-EINVAL (no usable line). */
int bench__latency_load_log(const char *path, bench__lat_samples_t *out);
/* From the sink database when its verdicts table has an ingest time column (ingest_at):
 * one sample per verdict, commit = stored_at. Returns 0, -ENOTSUP when there is no such
 * column, or another -errno. */
int bench__latency_load_db(const char *db_path, bench__lat_samples_t *out);
/* Rows in the verdicts table, or -1 when the database cannot be read (yet). */
long long bench__db_count(const char *db_path);

typedef struct {
    bool valid;                       /* percentiles computed */
    const char *source;               /* "latency-log", "db", or "n/a" */
    uint64_t parcels;                 /* parcels in the percentiles */
    double p50_ms, p99_ms, max_ms;    /* per parcel */
    double q_ms[BENCH_LAT_QUANTILES]; /* for the distribution plot */
    int64_t since_ns;                 /* batches read before this were left out */
    int64_t first_commit_ns;          /* earliest durable time (all samples) */
    int64_t last_commit_ns;           /* latest durable time (all samples) */
    uint64_t parcels_first_commit;    /* parcels made durable at first_commit_ns */
} bench__latency_t;

/* Percentiles over the samples read by ingest at or after since_ns (-1: the first commit);
 * commit times over all samples. */
void bench__latency_summarise(const bench__lat_samples_t *s, int64_t since_ns,
                              bench__latency_t *out);

/* ============ SVG charts (svg.c) ============ */

typedef struct {
    const char *name; /* legend text */
    const double *x;  /* points */
    const double *y;
    size_t count; /* points */
    bool dashed;  /* baselines are drawn dashed */
} bench__series_t;

typedef struct {
    const char *title;
    const char *x_label;
    const char *y_label;
    bool x_log; /* log10 x axis */
    bool y_log; /* log10 y axis */
    const bench__series_t *series;
    size_t series_count;
} bench__chart_t;

/* Writes the chart to path. Returns 0 or -errno with a reason in err. */
int bench__svg_write(const bench__chart_t *chart, const char *path, char *err);

/* ============ Results (report.c) ============ */

struct bench__machine;

enum { BENCH_STAGE_INGEST, BENCH_STAGE_SCREEN, BENCH_STAGE_SINK, BENCH_STAGE_COUNT };

/* One configuration's result: one CSV row. Fields a run could not measure are NAN (CSV: empty,
 * markdown: "n/a"). */
typedef struct {
    char mode[12];             /* "run" (as fast as possible), "paced", "sustain" */
    char format[12];           /* ndjson, csv, msgpack */
    uint64_t parcels;          /* parcels offered */
    uint64_t rules;            /* list size */
    unsigned workers;          /* screen --workers (resolved: 0 becomes the core count) */
    bool ok;                   /* the run completed and its accounting added up */
    char error[200];           /* why not, when !ok */
    uint64_t input_bytes;      /* manifest bytes offered */
    uint64_t screened;         /* parcels screened (run's report) */
    uint64_t rejected;         /* records rejected */
    uint64_t hits;             /* hits reported by screen */
    double wall_s;             /* spawn to exit of 'parcelscreen run' */
    double active_s;           /* first to last durable commit */
    double parcels_per_s;      /* over active_s when known, else over wall_s */
    const char *rate_basis;    /* "commits" or "wall" */
    double parcels_per_s_wall; /* parcels / wall_s, start-up included */
    double mb_per_s;           /* manifest bytes on the parcels_per_s basis */
    double offered_rate;       /* paced modes: parcels/s offered; NAN otherwise */
    bench__latency_t lat;      /* ingest read -> durable verdict */
    double cpu_s;              /* user + sys of run and its stages (wait4) */
    double cpu_s_per_mparcel;  /* cpu_s per million parcels screened */
    long max_rss_kb;           /* largest peak RSS in the process tree (wait4) */
    double stage_cpu_s[BENCH_STAGE_COUNT];  /* per stage: run's report, else /proc samples */
    double stage_rss_mb[BENCH_STAGE_COUNT]; /* per stage peak RSS (VmHWM) */
    double stage_je_allocated_mb[BENCH_STAGE_COUNT]; /* jemalloc stats.allocated at the end */
    double stage_je_resident_mb[BENCH_STAGE_COUNT];  /* jemalloc stats.resident at the end */
    double stage_rss_growth_pct[BENCH_STAGE_COUNT];  /* sustain: last tenth vs second tenth */
    double grep_s;                        /* GNU grep -F -i over the NDJSON manifest, same list */
    double rg_s;                          /* ripgrep -F (-i with --rg-ignore-case), same */
    bool grep_timed_out;                  /* grep_s is the --baseline-timeout, a lower bound */
    bool rg_timed_out;                    /* rg_s is the --baseline-timeout, a lower bound */
    double grep_parcels_per_s;            /* parcels / grep_s */
    double rg_parcels_per_s;              /* parcels / rg_s */
    double ceiling_hs_parcels_per_s;      /* raw hs_scan, threads = workers */
    double ceiling_scanner_parcels_per_s; /* screen_scanner, threads = workers */
    double x_grep;                        /* parcels_per_s / grep_parcels_per_s */
    double x_rg;                          /* parcels_per_s / rg_parcels_per_s */
    double pct_ceiling_hs;                /* 100 * parcels_per_s / ceiling_hs_parcels_per_s */
    double pct_ceiling_scanner;           /* 100 * parcels_per_s / ceiling_scanner_parcels_per_s */
} bench__row_t;

/* A target of the issue and what was measured against it. */
typedef struct {
    char name[64];     /* short description */
    char target[48];   /* e.g. ">= 5x grep" */
    char measured[96]; /* e.g. "7.2x (312k vs 43k parcels/s)" or "not measured" */
    char verdict[16];  /* "met", "NOT met", "not measured" */
} bench__target_t;

/* Run-wide facts printed with the results. */
typedef struct {
    uint64_t seed;           /* generator and synthetic-name seed */
    const char *command;     /* the bench command line */
    bool quick;              /* quick (CI smoke) mode */
    const char *grep_locale; /* LC_ALL for the baselines */
    const char *rg_command;  /* "rg -F" or "rg -F -i" */
    const char *notes;       /* what the run controller could not provide, or "" */
} bench__meta_t;

/* Writes results.csv: a header row, then one row per configuration (commit, build type and
 * seed repeated on every row so a row stands alone). Returns 0 or -errno with err. */
int bench__report_csv(const char *path, const bench__row_t *rows, size_t count,
                      const struct bench__machine *m, const bench__meta_t *meta, char *err);
/* Writes results.md: machine header, results table, baselines, latency, targets. */
int bench__report_md(const char *path, const bench__row_t *rows, size_t count,
                     const struct bench__machine *m, const bench__meta_t *meta,
                     const bench__target_t *targets, size_t target_count, char *err);

/* ============ Plots and targets (summary.c) ============ */

/* RSS over time of one stage in a sustained run. */
typedef struct {
    char stage[16]; /* ingest, screen, sink */
    double *t;      /* seconds since the run started */
    double *rss_mb; /* resident set */
    size_t count;   /* points */
    size_t cap;     /* allocated */
} bench__mem_series_t;

/* Reads "t_s,stage,rss_kb" lines into one series per stage (at most max). Returns how many. */
size_t bench__mem_series_load(const char *path, bench__mem_series_t *out, size_t max);
void bench__mem_series_free(bench__mem_series_t *s, size_t count);
/* Growth of the resident set: median of the last tenth of the run against the median of the
 * second tenth (the first tenth is start-up), in percent; NAN with too few points. */
double bench__mem_growth_pct(const bench__mem_series_t *s);

/* Writes throughput_vs_rules.svg, throughput_vs_workers.svg, latency.svg and, with series,
 * memory.svg into out_dir. Returns 0 or the first error (with err). */
int bench__plots_write(const bench__row_t *rows, size_t count, const char *out_dir,
                       const bench__mem_series_t *mem, size_t mem_count, char *err);

/* Checks the targets against the rows; returns how many entries were written. */
size_t bench__targets_eval(const bench__row_t *rows, size_t count, uint64_t ref_rules, bool quick,
                           bench__target_t *out, size_t max);

/* ============ Machine and build (report.c) ============ */

typedef struct bench__machine {
    char commit[64];     /* git rev-parse --short HEAD (+ "-dirty"), or "unknown" */
    char build_type[32]; /* CMAKE_BUILD_TYPE at compile time */
    char sanitize[48];   /* SANITIZE at compile time, "" when none */
    bool jemalloc;       /* stage programs linked with jemalloc */
    char cpu[128];       /* /proc/cpuinfo model name */
    long cores;          /* online CPUs */
    long mem_mb;         /* MemTotal */
    char kernel[160];    /* uname -sr */
    char date[40];       /* RFC 3339, UTC */
    char grep_version[64];
    char rg_version[64];
} bench__machine_t;

void bench__machine_probe(bench__machine_t *m);

#endif
