/* summary.c -- from result rows to plots and to the targets.
 *
 * Plots (SVG, svg.c):
 *   throughput_vs_rules.svg   NDJSON runs of the largest manifest: parcels/s against list
 *                             size, one line per worker count; grep, rg and the hs ceiling
 *                             (most workers) dashed.
 *   throughput_vs_workers.svg the same runs against worker count, one line per list size.
 *   latency.svg               latency distribution (percentile against ms) of every paced and
 *                             sustained run and of the reference full-speed run.
 *   memory.svg                resident set per stage over a sustained run.
 * Targets: see bench__targets_eval. A target whose configuration was not run says
 * "not measured", never a guess. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ============ Memory series ============ */

size_t bench__mem_series_load(const char *path, bench__mem_series_t *out, size_t max)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    size_t n = 0;
    char line[128];
    while (fgets(line, sizeof(line), f)) {
        char *end = NULL;
        double t = strtod(line, &end);
        if (end == line || *end != ',')
            continue;
        const char *name = end + 1;
        const char *comma = strchr(name, ',');
        if (comma == NULL || comma == name || (size_t)(comma - name) >= 16)
            continue;
        char stage[16];
        memcpy(stage, name, (size_t)(comma - name));
        stage[comma - name] = '\0';
        long kb = strtol(comma + 1, &end, 10);
        if (end == comma + 1)
            continue;
        bench__mem_series_t *s = NULL;
        for (size_t i = 0; i < n; i++)
            if (strcmp(out[i].stage, stage) == 0)
                s = &out[i];
        if (s == NULL) {
            if (n == max)
                continue;
            s = &out[n++];
            memset(s, 0, sizeof(*s));
            snprintf(s->stage, sizeof(s->stage), "%s", stage);
        }
        if (s->count == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 256;
            s->t = core_realloc(s->t, s->cap * sizeof(*s->t));
            s->rss_mb = core_realloc(s->rss_mb, s->cap * sizeof(*s->rss_mb));
        }
        s->t[s->count] = t;
        s->rss_mb[s->count] = (double)kb / 1024.0;
        s->count++;
    }
    fclose(f);
    return n;
}

void bench__mem_series_free(bench__mem_series_t *s, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(s[i].t);
        free(s[i].rss_mb);
        memset(&s[i], 0, sizeof(s[i]));
    }
}

static int s_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of the values whose t lies in [lo, hi). */
static double s_window_median(const bench__mem_series_t *s, double lo, double hi)
{
    double *v = core_calloc(s->count ? s->count : 1, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++)
        if (s->t[i] >= lo && s->t[i] < hi)
            v[n++] = s->rss_mb[i];
    double m = NAN;
    if (n > 0) {
        qsort(v, n, sizeof(*v), s_cmp_double);
        m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
    free(v);
    return m;
}

double bench__mem_growth_pct(const bench__mem_series_t *s)
{
    if (s->count < 20)
        return NAN;
    double t0 = s->t[0];
    double t1 = s->t[s->count - 1];
    double span = t1 - t0;
    double early = s_window_median(s, t0 + span * 0.1, t0 + span * 0.2);
    double late = s_window_median(s, t0 + span * 0.9, t1 + 1);
    if (!isfinite(early) || !isfinite(late) || early <= 0)
        return NAN;
    return (late - early) / early * 100.0;
}

/* ============ Plots ============ */

static bool s_is_sweep_row(const bench__row_t *r, uint64_t parcels)
{
    return r->ok && strcmp(r->mode, "run") == 0 && strcmp(r->format, "ndjson") == 0 &&
           r->parcels == parcels;
}

/* Distinct sorted values of a row field among rows that pass s_is_sweep_row. */
static size_t s_distinct(const bench__row_t *rows, size_t count, uint64_t parcels, bool workers,
                         double *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (!s_is_sweep_row(&rows[i], parcels))
            continue;
        double v = workers ? (double)rows[i].workers : (double)rows[i].rules;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen = seen || out[k] == v;
        if (!seen && n < max)
            out[n++] = v;
    }
    qsort(out, n, sizeof(*out), s_cmp_double);
    return n;
}

#define MAX_POINTS 32
#define MAX_SERIES 12

typedef struct {
    char names[MAX_SERIES][48];
    double x[MAX_SERIES][MAX_POINTS];
    double y[MAX_SERIES][MAX_POINTS];
    bench__series_t series[MAX_SERIES];
    size_t count;
} plot_t;

static bench__series_t *s_series(plot_t *p, const char *name, bool dashed)
{
    if (p->count == MAX_SERIES)
        return NULL;
    size_t i = p->count++;
    snprintf(p->names[i], sizeof(p->names[i]), "%s", name);
    p->series[i] = (bench__series_t){p->names[i], p->x[i], p->y[i], 0, dashed};
    return &p->series[i];
}

static void s_point(bench__series_t *s, double x, double y)
{
    if (s == NULL || s->count == MAX_POINTS)
        return;
    ((double *)s->x)[s->count] = x;
    ((double *)s->y)[s->count] = y;
    s->count++;
}

static uint64_t s_largest_parcels(const bench__row_t *rows, size_t count)
{
    uint64_t p = 0;
    for (size_t i = 0; i < count; i++)
        if (strcmp(rows[i].mode, "run") == 0 && strcmp(rows[i].format, "ndjson") == 0 &&
            rows[i].parcels > p)
            p = rows[i].parcels;
    return p;
}

static int s_plot_rules(const bench__row_t *rows, size_t count, const char *path, char *err)
{
    uint64_t parcels = s_largest_parcels(rows, count);
    double workers[MAX_SERIES], rules[MAX_POINTS];
    size_t nw = s_distinct(rows, count, parcels, true, workers, MAX_SERIES - 3);
    size_t nr = s_distinct(rows, count, parcels, false, rules, MAX_POINTS);
    static plot_t p;
    memset(&p, 0, sizeof(p));
    for (size_t w = 0; w < nw; w++) {
        char name[48];
        snprintf(name, sizeof(name), "run, %u workers", (unsigned)workers[w]);
        bench__series_t *s = s_series(&p, name, false);
        for (size_t r = 0; r < nr; r++)
            for (size_t i = 0; i < count; i++)
                if (s_is_sweep_row(&rows[i], parcels) && (double)rows[i].workers == workers[w] &&
                    (double)rows[i].rules == rules[r])
                    s_point(s, rules[r], rows[i].parcels_per_s);
    }
    bench__series_t *g = s_series(&p, "grep -F -i", true);
    bench__series_t *rg = s_series(&p, "ripgrep", true);
    char name[48];
    snprintf(name, sizeof(name), "hs ceiling, %u threads", nw ? (unsigned)workers[nw - 1] : 0);
    bench__series_t *ce = s_series(&p, name, true);
    for (size_t r = 0; r < nr && nw > 0; r++) {
        for (size_t i = 0; i < count; i++) {
            const bench__row_t *row = &rows[i];
            if (!s_is_sweep_row(row, parcels) || (double)row->rules != rules[r] ||
                (double)row->workers != workers[nw - 1])
                continue;
            s_point(g, rules[r], row->grep_parcels_per_s);
            s_point(rg, rules[r], row->rg_parcels_per_s);
            s_point(ce, rules[r], row->ceiling_hs_parcels_per_s);
            break;
        }
    }
    char title[96];
    snprintf(title, sizeof(title), "Throughput against list size (NDJSON, %llu parcels)",
             (unsigned long long)parcels);
    bench__chart_t chart = {title,  "rules in the watchlist", "parcels/s", true, true, p.series,
                            p.count};
    return bench__svg_write(&chart, path, err);
}

static int s_plot_workers(const bench__row_t *rows, size_t count, const char *path, char *err)
{
    uint64_t parcels = s_largest_parcels(rows, count);
    double workers[MAX_POINTS], rules[MAX_SERIES];
    size_t nw = s_distinct(rows, count, parcels, true, workers, MAX_POINTS);
    size_t nr = s_distinct(rows, count, parcels, false, rules, MAX_SERIES / 2);
    static plot_t p;
    memset(&p, 0, sizeof(p));
    for (size_t r = 0; r < nr; r++) {
        char name[48];
        snprintf(name, sizeof(name), "%.0f rules", rules[r]);
        bench__series_t *s = s_series(&p, name, false);
        char cname[48];
        snprintf(cname, sizeof(cname), "hs ceiling, %.0f rules", rules[r]);
        bench__series_t *c = s_series(&p, cname, true);
        for (size_t w = 0; w < nw; w++)
            for (size_t i = 0; i < count; i++)
                if (s_is_sweep_row(&rows[i], parcels) && (double)rows[i].workers == workers[w] &&
                    (double)rows[i].rules == rules[r]) {
                    s_point(s, workers[w], rows[i].parcels_per_s);
                    s_point(c, workers[w], rows[i].ceiling_hs_parcels_per_s);
                }
    }
    char title[96];
    snprintf(title, sizeof(title), "Throughput against screen workers (NDJSON, %llu parcels)",
             (unsigned long long)parcels);
    bench__chart_t chart = {title, "screen --workers", "parcels/s", false,
                            false, p.series,           p.count};
    return bench__svg_write(&chart, path, err);
}

static int s_plot_latency(const bench__row_t *rows, size_t count, const char *path, char *err)
{
    static plot_t p;
    static double pct[BENCH_LAT_QUANTILES];
    static double ys[MAX_SERIES][BENCH_LAT_QUANTILES];
    memset(&p, 0, sizeof(p));
    for (int q = 0; q < BENCH_LAT_QUANTILES; q++)
        pct[q] = 100.0 * q / (BENCH_LAT_QUANTILES - 1);
    /* The paced and sustained runs, and the full-speed runs of the same configuration. */
    for (size_t i = 0; i < count && p.count < MAX_SERIES; i++) {
        const bench__row_t *r = &rows[i];
        if (!r->ok || !r->lat.valid)
            continue;
        bool keep = strcmp(r->mode, "run") != 0;
        for (size_t k = 0; k < count && !keep; k++)
            keep = strcmp(rows[k].mode, "run") != 0 && rows[k].rules == r->rules &&
                   rows[k].workers == r->workers && rows[k].parcels == r->parcels &&
                   strcmp(r->format, "ndjson") == 0;
        if (!keep)
            continue;
        char name[48];
        snprintf(name, sizeof(name), "%s %.0fk/s, %llu rules", r->mode, r->parcels_per_s / 1e3,
                 (unsigned long long)r->rules);
        size_t idx = p.count;
        bench__series_t *s = s_series(&p, name, false);
        if (s == NULL || idx >= MAX_SERIES)
            break;
        memcpy(ys[idx], r->lat.q_ms, sizeof(ys[idx]));
        /* Latency on x (log), percentile on y: a CDF. */
        s->x = ys[idx];
        s->y = pct;
        s->count = BENCH_LAT_QUANTILES;
    }
    bench__chart_t chart = {"Latency, ingest read to durable verdict (CDF)",
                            "milliseconds",
                            "percent of parcels",
                            true,
                            false,
                            p.series,
                            p.count};
    return bench__svg_write(&chart, path, err);
}

static int s_plot_memory(const bench__mem_series_t *mem, size_t n, const char *path, char *err)
{
    bench__series_t series[BENCH_MAX_STAGES];
    for (size_t i = 0; i < n && i < BENCH_MAX_STAGES; i++)
        series[i] = (bench__series_t){mem[i].stage, mem[i].t, mem[i].rss_mb, mem[i].count, false};
    bench__chart_t chart = {
        "Resident memory per stage, sustained run", "seconds", "RSS MB", false, false, series,
        n < BENCH_MAX_STAGES ? n : BENCH_MAX_STAGES};
    return bench__svg_write(&chart, path, err);
}

int bench__plots_write(const bench__row_t *rows, size_t count, const char *out_dir,
                       const bench__mem_series_t *mem, size_t mem_count, char *err)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/throughput_vs_rules.svg", out_dir);
    int rc = s_plot_rules(rows, count, path, err);
    snprintf(path, sizeof(path), "%s/throughput_vs_workers.svg", out_dir);
    if (rc == 0)
        rc = s_plot_workers(rows, count, path, err);
    snprintf(path, sizeof(path), "%s/latency.svg", out_dir);
    if (rc == 0)
        rc = s_plot_latency(rows, count, path, err);
    if (rc == 0 && mem_count > 0) {
        snprintf(path, sizeof(path), "%s/memory.svg", out_dir);
        rc = s_plot_memory(mem, mem_count, path, err);
    }
    return rc;
}

/* ============ Targets ============ */

/* The fastest ok full-speed NDJSON run with this list size and at least min_parcels. */
static const bench__row_t *s_best(const bench__row_t *rows, size_t count, uint64_t rules,
                                  uint64_t min_parcels)
{
    const bench__row_t *best = NULL;
    for (size_t i = 0; i < count; i++) {
        const bench__row_t *r = &rows[i];
        /* A rate over the wall time is start-up dominated: not evidence either way. */
        if (!r->ok || strcmp(r->mode, "run") != 0 || strcmp(r->format, "ndjson") != 0 ||
            r->rules != rules || r->parcels < min_parcels || r->rate_basis == NULL ||
            strcmp(r->rate_basis, "commits") != 0)
            continue;
        if (best == NULL || r->parcels_per_s > best->parcels_per_s)
            best = r;
    }
    return best;
}

static void s_target(bench__target_t *t, const char *name, const char *want, bool measured,
                     bool met, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void s_target(bench__target_t *t, const char *name, const char *want, bool measured,
                     bool met, const char *fmt, ...)
{
    snprintf(t->name, sizeof(t->name), "%s", name);
    snprintf(t->target, sizeof(t->target), "%s", want);
    if (!measured) {
        snprintf(t->measured, sizeof(t->measured), "%s", fmt);
        snprintf(t->verdict, sizeof(t->verdict), "not measured");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->measured, sizeof(t->measured), fmt, ap);
    va_end(ap);
    snprintf(t->verdict, sizeof(t->verdict), "%s", met ? "met" : "NOT met");
}

size_t bench__targets_eval(const bench__row_t *rows, size_t count, uint64_t ref_rules, bool quick,
                           bench__target_t *out, size_t max)
{
    if (max < 5)
        return 0;
    const char *why = quick ? "quick mode: not evaluated"
                            : "not run (needs NDJSON, >= 100000 parcels, this list size, a "
                              "steady-state rate)";
    const bench__row_t *ref = quick ? NULL : s_best(rows, count, ref_rules, 100000);
    char name[64];
    snprintf(name, sizeof(name), "run NDJSON, %llu rules, vs GNU grep",
             (unsigned long long)ref_rules);
    bool m = ref && isfinite(ref->x_grep);
    s_target(&out[0], name, ">= 5x", m, m && ref->x_grep >= 5.0,
             m ? "%.2fx (%.0f vs %.0f parcels/s)" : why, m ? ref->x_grep : 0.0,
             m ? ref->parcels_per_s : 0.0, m ? ref->grep_parcels_per_s : 0.0);
    snprintf(name, sizeof(name), "run NDJSON, %llu rules, vs matching ceiling",
             (unsigned long long)ref_rules);
    m = ref && isfinite(ref->pct_ceiling_hs);
    s_target(&out[1], name, ">= 60%", m, m && ref->pct_ceiling_hs >= 60.0,
             m ? "%.0f%% of %.0f parcels/s (hs_scan, %u threads)" : why,
             m ? ref->pct_ceiling_hs : 0.0, m ? ref->ceiling_hs_parcels_per_s : 0.0,
             m ? ref->workers : 0u);

    const bench__row_t *paced = NULL;
    for (size_t i = 0; i < count && !quick; i++)
        if (rows[i].ok && strcmp(rows[i].mode, "paced") == 0 && rows[i].lat.valid)
            paced = &rows[i];
    m = paced != NULL;
    s_target(&out[2], "p99 latency at half of the peak rate", "<= 50 ms", m,
             m && paced->lat.p99_ms <= 50.0,
             m ? "p99 %.1f ms at %.0f parcels/s offered"
               : (quick ? why : "not run (--paced 0, or no reference run)"),
             m ? paced->lat.p99_ms : 0.0, m ? paced->offered_rate : 0.0);

    const bench__row_t *sus = NULL;
    for (size_t i = 0; i < count && !quick; i++)
        if (rows[i].ok && strcmp(rows[i].mode, "sustain") == 0)
            sus = &rows[i];
    double growth = -INFINITY;
    for (int s = 0; sus && s < BENCH_STAGE_COUNT; s++)
        if (isfinite(sus->stage_rss_growth_pct[s]) && sus->stage_rss_growth_pct[s] > growth)
            growth = sus->stage_rss_growth_pct[s];
    m = sus != NULL && sus->wall_s >= 590.0 && isfinite(growth);
    s_target(&out[3], "memory flat over a 10-minute sustained run", "growth <= 5%", m,
             m && growth <= 5.0,
             m ? "largest stage growth %.1f%% over %.0f s"
               : (quick ? why : "not run (use --sustain 600)"),
             m ? growth : 0.0, m ? sus->wall_s : 0.0);

    const bench__row_t *big = quick ? NULL : s_best(rows, count, 500000, 1);
    m = big != NULL;
    s_target(&out[4], "500,000-name list", ">= 100,000 parcels/s", m,
             m && big->parcels_per_s >= 100000.0,
             m ? "%.0f parcels/s (%u workers)" : (quick ? why : "not run (use --rules 500000)"),
             m ? big->parcels_per_s : 0.0, m ? big->workers : 0u);
    return 5;
}
