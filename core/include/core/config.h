/* config.h -- table-driven configuration: one table per stage drives parsing, --help and
 * --print-config (redis static_configs[]).
 *
 * Sources, later wins: defaults, then --config FILE ("key value" lines, '#' comments), then
 * command-line flags "--key value" or "--key=value". A LIST option takes every following
 * argument up to the next "--..." and may repeat; it accumulates. A BOOL flag given without a
 * value means true. */
#ifndef CORE_CONFIG_H
#define CORE_CONFIG_H

#include <stdio.h>

#include "core/core.h"

typedef enum {
    CORE_CONFIG_STR,    /* char *, owned by the config (core_config_free) */
    CORE_CONFIG_INT,    /* long, within [min, max] */
    CORE_CONFIG_DOUBLE, /* double, within [min, max] */
    CORE_CONFIG_BOOL,   /* bool: true/false/yes/no/1/0 */
    CORE_CONFIG_LIST,   /* core_strlist_t, repeatable */
} core_config_type_t;

typedef struct {
    char **items; /* owned strings */
    size_t count;
} core_strlist_t;

typedef struct {
    const char *key;         /* "workers": flag --workers, file key workers */
    core_config_type_t type; /* storage type at 'offset' */
    const char *def;         /* default as text; NULL = unset (STR NULL, LIST empty) */
    double min, max;         /* bounds for INT and DOUBLE */
    size_t offset;           /* offsetof(stage_config, field) */
    const char *help;        /* one line */
} core_config_opt_t;

typedef struct {
    const char *name;               /* "screen": used in usage and errors */
    const char *usage;              /* one line after the name, e.g. "[options]" */
    const char *summary;            /* one paragraph */
    const core_config_opt_t *opts;  /* table */
    size_t count;                   /* entries in opts */
} core_config_table_t;

/* Parses argv (argv[0] is the program/command name) into cfg. Returns 0 to go on, 1 when
 * --help, --print-config or --version was handled (printed to 'out'; exit 0), or -EINVAL with
 * a reason in err. cfg must be zeroed; free it with core_config_free. */
int core_config_parse(const core_config_table_t *table, void *cfg, int argc, char **argv,
                      FILE *out, char *err);

/* Reads "key value" lines from path into cfg. Returns 0 or -EINVAL/-ENOENT with
 * "path:line: reason" in err. */
int core_config_load_file(const core_config_table_t *table, void *cfg, const char *path,
                          char *err);

/* Sets one option from text. Returns 0 or -EINVAL with a reason in err. */
int core_config_set(const core_config_table_t *table, void *cfg, const char *key,
                    const char *value, char *err);

void core_config_print_help(const core_config_table_t *table, FILE *out);
void core_config_print(const core_config_table_t *table, const void *cfg, FILE *out);
/* Frees the STR and LIST values inside cfg. */
void core_config_free(const core_config_table_t *table, void *cfg);

void core_strlist_push(core_strlist_t *list, const char *s);
void core_strlist_clear(core_strlist_t *list);

#endif
