/* report.c -- the machine header, results.csv and results.md.
 *
 * The CSV has one row per configuration and repeats commit, build type, seed and CPU on every
 * row, so rows from several runs can be concatenated and still say where they came from.
 * Numbers a run could not measure are empty cells (CSV) or "n/a" (markdown), never zero. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/clock.h"
#include "internal.h"

#ifndef BENCH_BUILD_TYPE
#define BENCH_BUILD_TYPE "unknown"
#endif
#ifndef BENCH_SANITIZE
#define BENCH_SANITIZE ""
#endif
#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif
#ifndef BENCH_JEMALLOC
#define BENCH_JEMALLOC 0
#endif

static const char *const s_stage_names[BENCH_STAGE_COUNT] = {"ingest", "screen", "sink"};

/* ============ Machine ============ */

/* First line of 'text' into out, trimmed. */
static void s_first_line(const char *text, char *out, size_t size)
{
    size_t n = 0;
    while (text && text[n] && text[n] != '\n' && n + 1 < size)
        n++;
    memcpy(out, text ? text : "", n);
    out[n] = '\0';
}

void bench__machine_probe(bench__machine_t *m)
{
    memset(m, 0, sizeof(*m));
    snprintf(m->build_type, sizeof(m->build_type), "%s",
             BENCH_BUILD_TYPE[0] ? BENCH_BUILD_TYPE : "unknown");
    snprintf(m->sanitize, sizeof(m->sanitize), "%s", BENCH_SANITIZE);
    m->jemalloc = BENCH_JEMALLOC;

    char *git_head[] = {"git", "-C", BENCH_SOURCE_DIR, "rev-parse", "--short=12", "HEAD", NULL};
    char *head = bench__capture(git_head);
    if (head && head[0]) {
        s_first_line(head, m->commit, sizeof(m->commit) - 8);
        char *git_status[] = {
            "git", "-C", BENCH_SOURCE_DIR, "status", "--porcelain", "--untracked-files=no", NULL};
        char *status = bench__capture(git_status);
        if (status && status[0]) {
            size_t n = strlen(m->commit);
            snprintf(m->commit + n, sizeof(m->commit) - n, "-dirty");
        }
        free(status);
    } else {
        snprintf(m->commit, sizeof(m->commit), "unknown");
    }
    free(head);

    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    snprintf(m->cpu, sizeof(m->cpu), "unknown");
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "model name", 10) == 0) {
            const char *colon = strchr(line, ':');
            if (colon) {
                s_first_line(colon + 2, m->cpu, sizeof(m->cpu));
                break;
            }
        }
    }
    if (f)
        fclose(f);
    m->cores = sysconf(_SC_NPROCESSORS_ONLN);
    f = fopen("/proc/meminfo", "r");
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "MemTotal:", 9) == 0) {
            m->mem_mb = strtol(line + 9, NULL, 10) / 1024;
            break;
        }
    }
    if (f)
        fclose(f);
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(m->kernel, sizeof(m->kernel), "%s %s", u.sysname, u.release);
    core_rfc3339(core_wall_ns(), m->date, sizeof(m->date));

    char *grep_v[] = {"grep", "--version", NULL};
    char *rg_v[] = {"rg", "--version", NULL};
    char *out = bench__capture(grep_v);
    s_first_line(out ? out : "not found", m->grep_version, sizeof(m->grep_version));
    free(out);
    out = bench__capture(rg_v);
    s_first_line(out ? out : "not found", m->rg_version, sizeof(m->rg_version));
    free(out);
}

/* ============ CSV ============ */

static void s_num(FILE *f, double v, int decimals)
{
    if (isfinite(v))
        fprintf(f, ",%.*f", decimals, v);
    else
        fputc(',', f);
}

/* A CSV text cell: quoted when it holds a comma or a quote. */
static void s_cell(FILE *f, const char *s)
{
    fputc(',', f);
    if (strpbrk(s, ",\"\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
    fputc('"', f);
}

int bench__report_csv(const char *path, const bench__row_t *rows, size_t count,
                      const bench__machine_t *m, const bench__meta_t *meta, char *err)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        core_err_set(err, "%s: %s", path, strerror(errno));
        return -errno;
    }
    fprintf(f, "mode,format,parcels,rules,workers,ok,error,input_bytes,screened,rejected,hits,"
               "wall_s,active_s,parcels_per_s,rate_basis,parcels_per_s_wall,mb_per_s,"
               "offered_rate,lat_p50_ms,lat_p99_ms,lat_max_ms,lat_parcels,lat_source,cpu_s,"
               "cpu_s_per_mparcel,max_rss_mb");
    for (int s = 0; s < BENCH_STAGE_COUNT; s++)
        fprintf(f, ",%s_cpu_s,%s_rss_mb,%s_je_allocated_mb,%s_je_resident_mb,%s_rss_growth_pct",
                s_stage_names[s], s_stage_names[s], s_stage_names[s], s_stage_names[s],
                s_stage_names[s]);
    fprintf(f, ",grep_s,grep_timed_out,grep_parcels_per_s,x_grep,rg_s,rg_timed_out,"
               "rg_parcels_per_s,x_rg,"
               "ceiling_hs_parcels_per_s,pct_ceiling_hs,ceiling_scanner_parcels_per_s,"
               "pct_ceiling_scanner,seed,commit,build_type,cpu,cores\n");
    for (size_t i = 0; i < count; i++) {
        const bench__row_t *r = &rows[i];
        fprintf(f, "%s,%s,%llu,%llu,%u,%d", r->mode, r->format, (unsigned long long)r->parcels,
                (unsigned long long)r->rules, r->workers, r->ok ? 1 : 0);
        s_cell(f, r->error);
        fprintf(f, ",%llu,%llu,%llu,%llu", (unsigned long long)r->input_bytes,
                (unsigned long long)r->screened, (unsigned long long)r->rejected,
                (unsigned long long)r->hits);
        s_num(f, r->wall_s, 3);
        s_num(f, r->active_s, 3);
        s_num(f, r->parcels_per_s, 0);
        s_cell(f, r->rate_basis ? r->rate_basis : "");
        s_num(f, r->parcels_per_s_wall, 0);
        s_num(f, r->mb_per_s, 2);
        s_num(f, r->offered_rate, 0);
        s_num(f, r->lat.valid ? r->lat.p50_ms : NAN, 2);
        s_num(f, r->lat.valid ? r->lat.p99_ms : NAN, 2);
        s_num(f, r->lat.valid ? r->lat.max_ms : NAN, 2);
        fprintf(f, ",%llu", (unsigned long long)r->lat.parcels);
        s_cell(f, r->lat.source ? r->lat.source : "n/a");
        s_num(f, r->cpu_s, 3);
        s_num(f, r->cpu_s_per_mparcel, 2);
        s_num(f, r->max_rss_kb > 0 ? (double)r->max_rss_kb / 1024.0 : NAN, 1);
        for (int s = 0; s < BENCH_STAGE_COUNT; s++) {
            s_num(f, r->stage_cpu_s[s], 3);
            s_num(f, r->stage_rss_mb[s], 1);
            s_num(f, r->stage_je_allocated_mb[s], 1);
            s_num(f, r->stage_je_resident_mb[s], 1);
            s_num(f, r->stage_rss_growth_pct[s], 1);
        }
        s_num(f, r->grep_s, 3);
        fprintf(f, ",%d", r->grep_timed_out ? 1 : 0);
        s_num(f, r->grep_parcels_per_s, 0);
        s_num(f, r->x_grep, 2);
        s_num(f, r->rg_s, 3);
        fprintf(f, ",%d", r->rg_timed_out ? 1 : 0);
        s_num(f, r->rg_parcels_per_s, 0);
        s_num(f, r->x_rg, 2);
        s_num(f, r->ceiling_hs_parcels_per_s, 0);
        s_num(f, r->pct_ceiling_hs, 1);
        s_num(f, r->ceiling_scanner_parcels_per_s, 0);
        s_num(f, r->pct_ceiling_scanner, 1);
        fprintf(f, ",%llu", (unsigned long long)meta->seed);
        s_cell(f, m->commit);
        s_cell(f, m->build_type);
        s_cell(f, m->cpu);
        fprintf(f, ",%ld\n", m->cores);
    }
    if (fclose(f) != 0) {
        core_err_set(err, "%s: write failed", path);
        return -EIO;
    }
    return 0;
}

/* ============ Markdown ============ */

/* A ratio against a baseline: ">= 12.0" when the baseline was stopped at its timeout. */
static const char *s_md_ratio(double v, bool lower_bound, char *buf, size_t size)
{
    if (!isfinite(v))
        return "n/a";
    snprintf(buf, size, "%s%.1f", lower_bound ? ">= " : "", v);
    return buf;
}

/* Seconds of a baseline: "> 300" when it was stopped. */
static const char *s_md_secs(double v, bool stopped, char *buf, size_t size)
{
    if (!isfinite(v))
        return "n/a";
    snprintf(buf, size, "%s%.3f", stopped ? "> " : "", v);
    return buf;
}

/* A number for a table cell: "n/a" when not measured, thousands as "312k". */
static const char *s_md(double v, int decimals, char *buf, size_t size)
{
    if (!isfinite(v))
        return "n/a";
    if (decimals < 0) {
        if (fabs(v) >= 1e6)
            snprintf(buf, size, "%.2fM", v / 1e6);
        else if (fabs(v) >= 1e4)
            snprintf(buf, size, "%.0fk", v / 1e3);
        else
            snprintf(buf, size, "%.0f", v);
    } else {
        snprintf(buf, size, "%.*f", decimals, v);
    }
    return buf;
}

int bench__report_md(const char *path, const bench__row_t *rows, size_t count,
                     const bench__machine_t *m, const bench__meta_t *meta,
                     const bench__target_t *targets, size_t target_count, char *err)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        core_err_set(err, "%s: %s", path, strerror(errno));
        return -errno;
    }
    char a[32], b[32], c[32], d[32], e[32], g[32], h[32];
    fprintf(f, "# parcelscreen bench results%s\n\n",
            meta->quick ? " (quick mode: smoke only)" : "");
    fprintf(f, "| | |\n|---|---|\n");
    fprintf(f, "| date | %s |\n| commit | %s |\n| build type | %s%s%s |\n", m->date, m->commit,
            m->build_type, m->sanitize[0] ? ", sanitizers " : "", m->sanitize);
    fprintf(f, "| allocator | %s |\n", m->jemalloc ? "jemalloc" : "system malloc");
    fprintf(f, "| CPU | %s, %ld online cores, %ld MiB RAM |\n| kernel | %s |\n", m->cpu, m->cores,
            m->mem_mb, m->kernel);
    fprintf(f, "| seed | %llu |\n| baselines | %s (grep -F -i -c -f); %s (%s -c -f); LC_ALL=%s |\n",
            (unsigned long long)meta->seed, m->grep_version, m->rg_version, meta->rg_command,
            meta->grep_locale);
    fprintf(f, "| command | `%s` |\n", meta->command);
    if (meta->notes && meta->notes[0])
        fprintf(f, "| notes | %s |\n", meta->notes);
    if (meta->quick || strcmp(m->build_type, "Release") != 0 || m->sanitize[0])
        fprintf(f, "\n**These numbers are not for quoting**: quick mode, or not a release "
                   "build without sanitizers (STYLE.md section 9).\n");

    fprintf(f, "\n## Throughput and latency\n\n");
    fprintf(f, "| mode | format | parcels | rules | workers | parcels/s | MB/s | x grep | x rg | "
               "%% ceiling (hs) | %% ceiling (scanner) | p50 ms | p99 ms | max ms | CPU s/M "
               "parcels | peak RSS MB ingest/screen/sink | status |\n");
    fprintf(f, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|\n");
    for (size_t i = 0; i < count; i++) {
        const bench__row_t *r = &rows[i];
        fprintf(f, "| %s | %s | %llu | %llu | %u | %s | %s | %s | %s | %s | %s |", r->mode,
                r->format, (unsigned long long)r->parcels, (unsigned long long)r->rules, r->workers,
                s_md(r->parcels_per_s, -1, a, sizeof(a)), s_md(r->mb_per_s, 1, b, sizeof(b)),
                s_md_ratio(r->x_grep, r->grep_timed_out, c, sizeof(c)),
                s_md_ratio(r->x_rg, r->rg_timed_out, d, sizeof(d)),
                s_md(r->pct_ceiling_hs, 0, e, sizeof(e)),
                s_md(r->pct_ceiling_scanner, 0, g, sizeof(g)));
        fprintf(f, " %s | %s | %s | %s |", s_md(r->lat.valid ? r->lat.p50_ms : NAN, 1, a, 32),
                s_md(r->lat.valid ? r->lat.p99_ms : NAN, 1, b, 32),
                s_md(r->lat.valid ? r->lat.max_ms : NAN, 1, c, 32),
                s_md(r->cpu_s_per_mparcel, 2, d, sizeof(d)));
        fprintf(f, " %s / %s / %s | %s |\n", s_md(r->stage_rss_mb[0], 0, e, 32),
                s_md(r->stage_rss_mb[1], 0, g, 32), s_md(r->stage_rss_mb[2], 0, h, 32),
                r->ok ? "ok" : r->error);
    }

    fprintf(f, "\n## Baselines and ceilings (same manifest, same list)\n\n");
    fprintf(f,
            "| parcels | rules | grep -F -i s | grep parcels/s | %s s | rg parcels/s | "
            "ceiling hs parcels/s | ceiling scanner parcels/s | workers |\n",
            meta->rg_command);
    fprintf(f, "|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (size_t i = 0; i < count; i++) {
        const bench__row_t *r = &rows[i];
        if (strcmp(r->mode, "run") != 0 || strcmp(r->format, "ndjson") != 0)
            continue;
        fprintf(f, "| %llu | %llu | %s | %s | %s | %s | %s | %s | %u |\n",
                (unsigned long long)r->parcels, (unsigned long long)r->rules,
                s_md_secs(r->grep_s, r->grep_timed_out, a, 32),
                s_md(r->grep_parcels_per_s, -1, b, 32), s_md_secs(r->rg_s, r->rg_timed_out, c, 32),
                s_md(r->rg_parcels_per_s, -1, d, 32), s_md(r->ceiling_hs_parcels_per_s, -1, e, 32),
                s_md(r->ceiling_scanner_parcels_per_s, -1, g, 32), r->workers);
    }

    fprintf(f,
            "\n## Per stage\n\n| mode | format | rules | workers | stage | CPU s | peak RSS MB | "
            "jemalloc allocated MB | jemalloc resident MB | RSS growth %% |\n");
    fprintf(f, "|---|---|--:|--:|---|--:|--:|--:|--:|--:|\n");
    for (size_t i = 0; i < count; i++) {
        const bench__row_t *r = &rows[i];
        for (int s = 0; s < BENCH_STAGE_COUNT; s++)
            fprintf(f, "| %s | %s | %llu | %u | %s | %s | %s | %s | %s | %s |\n", r->mode,
                    r->format, (unsigned long long)r->rules, r->workers, s_stage_names[s],
                    s_md(r->stage_cpu_s[s], 2, a, 32), s_md(r->stage_rss_mb[s], 1, b, 32),
                    s_md(r->stage_je_allocated_mb[s], 1, c, 32),
                    s_md(r->stage_je_resident_mb[s], 1, d, 32),
                    s_md(r->stage_rss_growth_pct[s], 1, e, 32));
    }

    fprintf(f, "\n## Targets\n\n| target | wanted | measured | verdict |\n|---|---|---|---|\n");
    for (size_t i = 0; i < target_count; i++)
        fprintf(f, "| %s | %s | %s | %s |\n", targets[i].name, targets[i].target,
                targets[i].measured, targets[i].verdict);

    fprintf(f, "\n## Plots\n\n![throughput against list size](throughput_vs_rules.svg)\n\n"
               "![throughput against workers](throughput_vs_workers.svg)\n\n"
               "![latency distribution](latency.svg)\n");
    if (fclose(f) != 0) {
        core_err_set(err, "%s: write failed", path);
        return -EIO;
    }
    return 0;
}
