/* stage.c -- the screen stage's configuration table and its two command entry points. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/log.h"
#include "proto/endpoints.h"
#include "screen/matcher.h"
#include "screen/scanner.h"
#include "screen/screen.h"
#include "screen/watchlist.h"

/* ============ screen ============ */

static const core_config_opt_t s_opts[] = {
    {"watchlist", CORE_CONFIG_LIST, NULL, 0, 0, offsetof(screen_config_t, watchlist),
     "watchlist CSV files (SPEC section 2), loaded in order (required)"},
    {"parcels", CORE_CONFIG_STR, "@" PROTO_ENDPOINT_PARCELS, 0, 0,
     offsetof(screen_config_t, parcels), "PULL endpoint for PARCEL_BATCH and END from ingest"},
    {"verdicts", CORE_CONFIG_STR, ">" PROTO_ENDPOINT_VERDICTS, 0, 0,
     offsetof(screen_config_t, verdicts), "PUSH endpoint for VERDICT_BATCH and END to sink"},
    {"workers", CORE_CONFIG_INT, "0", 0, SCREEN_MAX_WORKERS, offsetof(screen_config_t, workers),
     "scan threads (0 = number of online CPUs)"},
    {"red", CORE_CONFIG_INT, "70", 0, 100, offsetof(screen_config_t, red),
     "risk_score at or above which the channel is red"},
    {"yellow", CORE_CONFIG_INT, "40", 0, 100, offsetof(screen_config_t, yellow),
     "risk_score at or above which the channel is yellow"},
    {"random-rate", CORE_CONFIG_DOUBLE, "0", 0, 1, offsetof(screen_config_t, random_rate),
     "share of parcels selected at random for the officers' queue (0..1)"},
    {"random-seed", CORE_CONFIG_INT, "0", 0, 9.2e18, offsetof(screen_config_t, random_seed),
     "seed of the random selection (same seed, same parcels)"},
    {"stats", CORE_CONFIG_STR, NULL, 0, 0, offsetof(screen_config_t, stats),
     "PUSH endpoint for STATS (optional)"},
    {"stats-interval-ms", CORE_CONFIG_INT, "1000", 10, 3600000,
     offsetof(screen_config_t, stats_interval_ms), "period of STATS messages"},
    {"once", CORE_CONFIG_BOOL, "false", 0, 0, offsetof(screen_config_t, once),
     "exit 0 once END has been forwarded"},
    {"log-level", CORE_CONFIG_STR, "info", 0, 0, offsetof(screen_config_t, log_level),
     "error, warn, info or debug"},
    {"hwm", CORE_CONFIG_INT, "128", 1, 1000000, offsetof(screen_config_t, hwm),
     "high-water mark of the parcels and verdicts sockets, in messages"},
    {"name-threshold", CORE_CONFIG_DOUBLE, "0.85", 0.01, 1,
     offsetof(screen_config_t, name_threshold),
     "similarity (0..1) a spelling-tolerant name hit needs; 1 = exact names only"},
    {"allowlist", CORE_CONFIG_LIST, NULL, 0, 0, offsetof(screen_config_t, allowlist),
     "allow-list CSV files (rule_id,name_key,...: parcelscreen allowlist export); repeatable"},
    {"list-threshold", CORE_CONFIG_LIST, NULL, 0, 0, offsetof(screen_config_t, list_threshold),
     "LIST=X: name-threshold for the rules of one list (repeatable)"},
    {"compiled", CORE_CONFIG_STR, NULL, 0, 0, offsetof(screen_config_t, compiled),
     "compiled-database file: loaded when it matches the lists, else compiled and rewritten"},
    {"control", CORE_CONFIG_STR, NULL, 0, 0, offsetof(screen_config_t, control),
     "PULL endpoint for CONTROL messages: reload, stop (optional)"},
};

static const core_config_table_t s_table = {
    .name = "screen",
    .usage = "--watchlist FILE... [options]",
    .summary = "Screens PARCEL_BATCH messages against watchlists with Hyperscan in worker "
               "threads and sends one VERDICT_BATCH per batch on to the sink.",
    .opts = s_opts,
    .count = CORE_ARRAY_LEN(s_opts),
};

int screen_main(int argc, char **argv)
{
    core_log_init("screen");
    screen_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN];
    int rc = core_config_parse(&s_table, &cfg, argc, argv, stdout, err);
    if (rc == 1) {
        core_config_free(&s_table, &cfg);
        return 0;
    }
    if (rc < 0)
        goto out_usage;
    core_log_level_t level;
    if (core_log_level_parse(cfg.log_level, &level) != 0) {
        core_err_set(err, "log-level: '%s' is not error, warn, info or debug", cfg.log_level);
        goto out_usage;
    }
    core_log_set_level(level);
    if (cfg.watchlist.count == 0) {
        core_err_set(err, "--watchlist is required (see --help)");
        goto out_usage;
    }
    if (cfg.yellow > cfg.red) {
        core_err_set(err, "--yellow %ld is above --red %ld", cfg.yellow, cfg.red);
        goto out_usage;
    }
    screen_list_threshold_t *lt = NULL;
    size_t nlt = 0;
    if (screen_list_thresholds_parse((const char *const *)cfg.list_threshold.items,
                                     cfg.list_threshold.count, &lt, &nlt, err) != 0)
        goto out_usage;
    free(lt);
    rc = screen_run(&cfg);
    core_config_free(&s_table, &cfg);
    return rc;

out_usage:
    fprintf(stderr, "parcelscreen: screen: %s\n", err);
    core_config_free(&s_table, &cfg);
    return 2;
}

/* ============ watchlist compile ============ */

typedef struct {
    core_strlist_t watchlist; /* files */
    char *output;             /* compiled-database file */
} s_compile_config_t;

static const core_config_opt_t s_compile_opts[] = {
    {"watchlist", CORE_CONFIG_LIST, NULL, 0, 0, offsetof(s_compile_config_t, watchlist),
     "watchlist CSV files, in the order screen loads them (required)"},
    {"output", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_compile_config_t, output),
     "compiled-database file to write, for screen --compiled (required)"},
};

static const core_config_table_t s_compile_table = {
    .name = "watchlist compile",
    .usage = "--watchlist FILE... --output FILE",
    .summary = "Compiles watchlists as screen does and writes the Hyperscan databases to a file "
               "that screen --compiled loads at start instead of compiling (same lists, same "
               "Hyperscan and CPU; anything else makes screen recompile).",
    .opts = s_compile_opts,
    .count = CORE_ARRAY_LEN(s_compile_opts),
};

int screen_watchlist_compile_main(int argc, char **argv)
{
    core_log_init("watchlist");
    s_compile_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN];
    int rc = core_config_parse(&s_compile_table, &cfg, argc, argv, stdout, err);
    if (rc == 1) {
        core_config_free(&s_compile_table, &cfg);
        return 0;
    }
    if (rc == 0 && (cfg.watchlist.count == 0 || cfg.output == NULL || !cfg.output[0])) {
        core_err_set(err, "--watchlist and --output are required (see --help)");
        rc = -EINVAL;
    }
    if (rc < 0) {
        fprintf(stderr, "parcelscreen: watchlist compile: %s\n", err);
        core_config_free(&s_compile_table, &cfg);
        return 2;
    }
    /* Always compile: an up-to-date file would be "loaded" and not rewritten, which is fine,
     * but 'compile' promises a fresh file. */
    if (unlink(cfg.output) != 0 && errno != ENOENT) {
        fprintf(stderr, "parcelscreen: watchlist compile: %s: %s\n", cfg.output, strerror(errno));
        core_config_free(&s_compile_table, &cfg);
        return 1;
    }
    screen_watchlist_t *wl = screen_watchlist_load((const char *const *)cfg.watchlist.items,
                                                   cfg.watchlist.count, NULL, err);
    screen_matcher_opts_t opts = {.compiled = cfg.output};
    screen_matcher_t *m = wl ? screen_matcher_new_opts(&wl, &opts, err) : NULL;
    if (m == NULL) {
        fprintf(stderr, "parcelscreen: watchlist compile: %s\n", err);
        core_config_free(&s_compile_table, &cfg);
        return 2;
    }
    const screen_matcher_info_t *info = screen_matcher_info(m);
    rc = 0;
    if (info->db_source != SCREEN_DB_WRITTEN) {
        fprintf(stderr, "parcelscreen: watchlist compile: %s not written\n", cfg.output);
        rc = 1;
    } else {
        printf("version: %s\n", screen_watchlist_version(screen_matcher_watchlist(m)));
        printf("files: %s\n", screen_watchlist_description(screen_matcher_watchlist(m)));
        printf("key: %s\n", info->db_key);
        printf("output: %s\n", cfg.output);
        printf("compile: %.1f ms (Hyperscan %.1f ms)\n", info->compile_ms, info->hs_ms);
    }
    screen_matcher_destroy(&m);
    core_config_free(&s_compile_table, &cfg);
    return rc;
}

/* ============ watchlist check ============ */

typedef struct {
    core_strlist_t watchlist; /* files */
    char *today;              /* YYYY-MM-DD for validity windows, NULL = today */
    char *compiled;           /* compiled-database file, as screen --compiled */
} s_check_config_t;

static const core_config_opt_t s_check_opts[] = {
    {"watchlist", CORE_CONFIG_LIST, NULL, 0, 0, offsetof(s_check_config_t, watchlist),
     "watchlist CSV files to load and compile (required)"},
    {"today", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_check_config_t, today),
     "evaluate valid_from/valid_to as of this date (YYYY-MM-DD; default: today, UTC)"},
    {"compiled", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_check_config_t, compiled),
     "compiled-database file, used as screen --compiled uses it (loaded or rewritten)"},
};

static const core_config_table_t s_check_table = {
    .name = "watchlist check",
    .usage = "--watchlist FILE... [--today YYYY-MM-DD]",
    .summary = "Loads and compiles watchlists exactly as screen does and prints what they hold; "
               "exits 2 with file:line: reason when they would be refused.",
    .opts = s_check_opts,
    .count = CORE_ARRAY_LEN(s_check_opts),
};

static void s_print_lists(const screen_watchlist_t *wl, FILE *out)
{
    size_t n = screen_watchlist_size(wl);
    const char **names = core_calloc(n ? n : 1, sizeof(*names));
    size_t *counts = core_calloc(n ? n : 1, sizeof(*counts));
    size_t lists = 0;
    for (size_t i = 0; i < n; i++) {
        const char *list = screen_watchlist_rule(wl, i)->list;
        size_t j = 0;
        while (j < lists && strcmp(names[j], list) != 0)
            j++;
        if (j == lists)
            names[lists++] = list;
        counts[j]++;
    }
    fprintf(out, "lists:");
    for (size_t j = 0; j < lists; j++)
        fprintf(out, "%s %s %zu", j ? "," : "", names[j], counts[j]);
    fprintf(out, "%s\n", lists ? "" : " none");
    free(names);
    free(counts);
}

int screen_watchlist_check_main(int argc, char **argv)
{
    core_log_init("watchlist");
    s_check_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN];
    int rc = core_config_parse(&s_check_table, &cfg, argc, argv, stdout, err);
    if (rc == 1) {
        core_config_free(&s_check_table, &cfg);
        return 0;
    }
    if (rc == 0 && cfg.watchlist.count == 0) {
        core_err_set(err, "--watchlist is required (see --help)");
        rc = -EINVAL;
    }
    if (rc < 0) {
        fprintf(stderr, "parcelscreen: watchlist check: %s\n", err);
        core_config_free(&s_check_table, &cfg);
        return 2;
    }
    screen_watchlist_opts_t opts = {.today = cfg.today};
    screen_watchlist_t *wl = screen_watchlist_load((const char *const *)cfg.watchlist.items,
                                                   cfg.watchlist.count, &opts, err);
    screen_matcher_opts_t mopts = {.compiled = cfg.compiled};
    screen_matcher_t *m = wl ? screen_matcher_new_opts(&wl, &mopts, err) : NULL;
    if (m == NULL) {
        fprintf(stderr, "parcelscreen: watchlist check: %s\n", err);
        core_config_free(&s_check_table, &cfg);
        return 2;
    }
    const screen_watchlist_t *list = screen_matcher_watchlist(m);
    const screen_matcher_info_t *info = screen_matcher_info(m);
    FILE *out = stdout;
    fprintf(out, "version: %s\n", screen_watchlist_version(list));
    fprintf(out, "files: %s\n", screen_watchlist_description(list));
    fprintf(out, "rules: %zu active, %zu skipped (outside valid_from..valid_to)\n", info->rules,
            screen_watchlist_skipped(list));
    fprintf(out, "kinds:");
    for (int k = 0; k < SCREEN_KIND_COUNT; k++)
        fprintf(out, "%s %s %zu", k ? "," : "", screen_kind_name((screen_kind_t)k),
                info->rules_by_kind[k]);
    fprintf(out, "\n");
    s_print_lists(list, out);
    for (int c = 0; c < SCREEN_CLASS_COUNT; c++)
        fprintf(out, "%s database: %zu literals (%zu bytes), %zu regexes (%zu bytes)\n",
                screen_class_name((screen_class_t)c), info->literal_patterns[c],
                info->literal_db_bytes[c], info->regex_patterns[c], info->regex_db_bytes[c]);
    fprintf(out,
            "tables: %zu sorted-token names, %zu hs prefixes, %zu countries, "
            "%zu identifiers\n",
            info->name_token_keys, info->hscode_keys, info->country_keys, info->identifier_keys);
    fprintf(out, "spelling-tolerant names: %zu names, %zu keys, %.1f ms\n", info->fuzzy_names,
            info->fuzzy_keys, info->fuzzy_ms);
    fprintf(out, "scratch: %zu bytes per worker\n", info->scratch_bytes);
    static const char *const sources[] = {"compiled", "loaded from the compiled file",
                                          "compiled, compiled file written",
                                          "compiled, compiled file NOT written"};
    fprintf(out, "databases: %s in %.1f ms%s%s\n", sources[info->db_source], info->hs_ms,
            info->db_key[0] ? ", key " : "", info->db_key);
    fprintf(out, "compile: %.1f ms\n", info->compile_ms);
    screen_matcher_destroy(&m);
    core_config_free(&s_check_table, &cfg);
    return 0;
}
