/* import.c -- 'parcelscreen watchlist import': options and dispatch to the importers.
 *
 *   parcelscreen watchlist import --format ofac-sdn --input sdn.csv [--alt alt.csv]
 *       [--list ofac-sdn] [--scope party.name] [--weight 80] [--types ...] --output OUT.csv
 *   parcelscreen watchlist import --format goods --input-dir DIR [--cites-synonyms]
 *       --output OUT.csv
 *   parcelscreen watchlist import --format un-xml|uk-hmt|us-csl|eu-fsf|opensanctions
 *       --input FILE [--list NAME] [--scope party.name] [--weight 80] --output OUT.csv
 *
 * The output is a SPEC watchlist (id,list,kind,scope,pattern,weight,note), written to
 * OUT.csv.tmp and renamed into place when complete. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "import_internal.h"
#include "screen/import.h"

typedef struct {
    char *format;        /* --format */
    char *input;         /* --input */
    char *alt;           /* --alt */
    char *input_dir;     /* --input-dir */
    char *list;          /* --list */
    char *scope;         /* --scope */
    long weight;         /* --weight */
    char *types;         /* --types */
    bool cites_synonyms; /* --cites-synonyms */
    char *output;        /* --output */
} s_import_config_t;

static const core_config_opt_t s_opts[] = {
    {"format", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_import_config_t, format),
     "source format: ofac-sdn (OFAC legacy sdn.csv), un-xml (UN consolidated XML), uk-hmt "
     "(UK HMT ConList.csv), us-csl (trade.gov csl.csv), eu-fsf (EU FSF CSV 1.0), "
     "opensanctions (targets.simple.csv), goods (data/watchlists/goods)"},
    {"input", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_import_config_t, input),
     "the list file (ofac-sdn: sdn.csv, no header, 12 columns)"},
    {"alt", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_import_config_t, alt),
     "ofac-sdn: the alt.csv file with the aliases (optional)"},
    {"input-dir", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_import_config_t, input_dir),
     "goods: directory holding the goods list CSVs"},
    {"list", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_import_config_t, list),
     "list name of the rules (default: the format, un for un-xml); upper-cased it prefixes "
     "the ids (OFAC-SDN-306, UN-6908402-A1)"},
    {"scope", CORE_CONFIG_STR, "party.name", 0, 0, offsetof(s_import_config_t, scope),
     "scope of the name rules (party.name, sender.name, recipient.name, seller.name)"},
    {"weight", CORE_CONFIG_INT, "80", 1, 100, offsetof(s_import_config_t, weight),
     "weight of primary names and strong aliases (former names -10, weak aliases -30)"},
    {"types", CORE_CONFIG_STR, "individual,entity,vessel,aircraft", 0, 0,
     offsetof(s_import_config_t, types), "ofac-sdn: SDN types to import"},
    {"cites-synonyms", CORE_CONFIG_BOOL, "false", 0, 0, offsetof(s_import_config_t, cites_synonyms),
     "goods: also import CITES synonyms (old scientific names)"},
    {"output", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_import_config_t, output),
     "the SPEC watchlist CSV to write ('-' = stdout)"},
};

static const core_config_table_t s_table = {
    .name = "watchlist import",
    .usage = "--format ofac-sdn|un-xml|uk-hmt|us-csl|eu-fsf|opensanctions|goods "
             "[--input F | --input-dir D] --output OUT.csv [options]",
    .summary = "Turns an official list into a SPEC watchlist CSV "
               "(id,list,kind,scope,pattern,weight,note). Counts go to stderr.",
    .opts = s_opts,
    .count = CORE_ARRAY_LEN(s_opts),
};

static bool s_name_scope(const char *scope)
{
    static const char *const scopes[] = {"party.name", "sender.name", "recipient.name",
                                         "seller.name"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(scopes); i++)
        if (strcmp(scope, scopes[i]) == 0)
            return true;
    return false;
}

typedef int (*s_importer_fn)(const screen__import_opts_t *opts, screen__import_out_t *out,
                             char *err);

/* The name-list formats: --format, default --list, importer. */
static const struct {
    const char *format;
    const char *list;
    s_importer_fn run;
} s_formats[] = {
    {"ofac-sdn", "ofac-sdn", screen__import_ofac},
    {"un-xml", "un", screen__import_un},
    {"uk-hmt", "uk-hmt", screen__import_uk},
    {"us-csl", "us-csl", screen__import_csl},
    {"eu-fsf", "eu-fsf", screen__import_eu},
    {"opensanctions", "opensanctions", screen__import_os},
};

/* Checks the option combination and fills the default --list; returns 0 or -EINVAL with a
 * reason. */
static int s_check(s_import_config_t *cfg, char *err)
{
    if (cfg->format == NULL) {
        core_err_set(err, "--format is required: ofac-sdn, un-xml, uk-hmt, us-csl, eu-fsf, "
                          "opensanctions or goods (see --help)");
        return -EINVAL;
    }
    if (cfg->output == NULL || cfg->output[0] == '\0') {
        core_err_set(err, "--output is required (see --help)");
        return -EINVAL;
    }
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_formats); i++) {
        if (strcmp(cfg->format, s_formats[i].format) != 0)
            continue;
        if (cfg->input == NULL) {
            core_err_set(err, "--format %s needs --input FILE", cfg->format);
            return -EINVAL;
        }
        if (!s_name_scope(cfg->scope)) {
            core_err_set(err, "--scope: '%s' is not a name scope", cfg->scope);
            return -EINVAL;
        }
        if (cfg->list == NULL)
            cfg->list = core_strdup(s_formats[i].list); /* freed by core_config_free */
        if (cfg->list[0] == '\0') {
            core_err_set(err, "--list must not be empty");
            return -EINVAL;
        }
        return 0;
    }
    if (strcmp(cfg->format, "goods") == 0) {
        if (cfg->input_dir == NULL) {
            core_err_set(err, "--format goods needs --input-dir DIR");
            return -EINVAL;
        }
        return 0;
    }
    core_err_set(err,
                 "--format: unknown format '%s' (ofac-sdn, un-xml, uk-hmt, us-csl, eu-fsf, "
                 "opensanctions, goods)",
                 cfg->format);
    return -EINVAL;
}

int screen_import_main(int argc, char **argv)
{
    s_import_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN] = "";
    int exit_code = 2;
    int rc = core_config_parse(&s_table, &cfg, argc, argv, stdout, err);
    if (rc == 1) {
        exit_code = 0;
        goto out;
    }
    if (rc != 0 || s_check(&cfg, err) != 0) {
        fprintf(stderr, "parcelscreen: watchlist import: %s\n", err);
        goto out;
    }
    exit_code = 1;
    screen__import_out_t *output = screen__import_out_new(cfg.output, err);
    if (output == NULL) {
        fprintf(stderr, "parcelscreen: watchlist import: %s\n", err);
        goto out;
    }
    screen__import_opts_t opts = {
        .input = cfg.input,
        .alt = cfg.alt,
        .input_dir = cfg.input_dir,
        .list = cfg.list,
        .scope = cfg.scope,
        .weight = (int)cfg.weight,
        .types = cfg.types,
        .cites_synonyms = cfg.cites_synonyms,
    };
    s_importer_fn run = screen__import_goods;
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_formats); i++)
        if (strcmp(cfg.format, s_formats[i].format) == 0)
            run = s_formats[i].run;
    rc = run(&opts, output, err);
    if (rc == -EINVAL && strstr(err, "--types"))
        exit_code = 2;
    if (rc == 0 && screen__import_out_written(output) == 0) {
        core_err_set(err, "no rule written");
        rc = -EINVAL;
    }
    if (rc == 0)
        rc = screen__import_out_commit(output, err);
    if (rc == 0) {
        fprintf(stderr, "parcelscreen: watchlist import: wrote %zu rules to %s\n",
                screen__import_out_written(output), cfg.output);
        exit_code = 0;
    } else {
        fprintf(stderr, "parcelscreen: watchlist import: %s\n", err);
    }
    screen__import_out_destroy(&output);
out:
    core_config_free(&s_table, &cfg);
    return exit_code;
}
