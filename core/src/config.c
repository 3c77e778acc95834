/* config.c -- table-driven configuration from defaults, a file and the command line.
 *
 * DESIGN: the stage declares one core_config_opt_t table; values land at offsets in the stage's
 * own struct, so the table is the single place that names a key, its type, bounds, default and
 * help. Parsing never exits: errors come back as -EINVAL and a one-line reason. */
#include "core/config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"

void core_strlist_push(core_strlist_t *list, const char *s)
{
    list->items = core_realloc(list->items, (list->count + 1) * sizeof(*list->items));
    list->items[list->count++] = core_strdup(s);
}

void core_strlist_clear(core_strlist_t *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static const core_config_opt_t *s_find(const core_config_table_t *table, const char *key,
                                       size_t key_len)
{
    for (size_t i = 0; i < table->count; i++) {
        const core_config_opt_t *o = &table->opts[i];
        if (strlen(o->key) == key_len && strncmp(o->key, key, key_len) == 0)
            return o;
    }
    return NULL;
}

static int s_parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") || !strcasecmp(v, "on"))
        *out = true;
    else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") ||
             !strcasecmp(v, "off"))
        *out = false;
    else
        return -EINVAL;
    return 0;
}

static int s_set(const core_config_opt_t *o, void *cfg, const char *value, char *err)
{
    char *field = (char *)cfg + o->offset;
    switch (o->type) {
    case CORE_CONFIG_STR: {
        char **p = (char **)field;
        free(*p);
        *p = value ? core_strdup(value) : NULL;
        return 0;
    }
    case CORE_CONFIG_LIST:
        if (value)
            core_strlist_push((core_strlist_t *)field, value);
        return 0;
    case CORE_CONFIG_BOOL:
        if (s_parse_bool(value, (bool *)field) != 0) {
            core_err_set(err, "%s: '%s' is not a boolean", o->key, value);
            return -EINVAL;
        }
        return 0;
    case CORE_CONFIG_INT: {
        char *end = NULL;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || end == value || *end != '\0') {
            core_err_set(err, "%s: '%s' is not an integer", o->key, value);
            return -EINVAL;
        }
        if ((double)v < o->min || (double)v > o->max) {
            core_err_set(err, "%s: %ld is out of range [%.0f, %.0f]", o->key, v, o->min, o->max);
            return -EINVAL;
        }
        *(long *)field = v;
        return 0;
    }
    case CORE_CONFIG_DOUBLE: {
        char *end = NULL;
        errno = 0;
        double v = strtod(value, &end);
        if (errno || end == value || *end != '\0' || !isfinite(v)) {
            core_err_set(err, "%s: '%s' is not a number", o->key, value);
            return -EINVAL;
        }
        if (v < o->min || v > o->max) {
            core_err_set(err, "%s: %g is out of range [%g, %g]", o->key, v, o->min, o->max);
            return -EINVAL;
        }
        *(double *)field = v;
        return 0;
    }
    }
    return -EINVAL;
}

int core_config_set(const core_config_table_t *table, void *cfg, const char *key,
                    const char *value, char *err)
{
    const core_config_opt_t *o = s_find(table, key, strlen(key));
    if (o == NULL) {
        core_err_set(err, "unknown option '%s'", key);
        return -EINVAL;
    }
    return s_set(o, cfg, value, err);
}

/* Scalars take their defaults before the file and the flags overwrite them; a list takes its
 * default only when neither gave it a value (lists accumulate, so it comes last). */
static int s_apply_defaults(const core_config_table_t *table, void *cfg, bool lists, char *err)
{
    for (size_t i = 0; i < table->count; i++) {
        const core_config_opt_t *o = &table->opts[i];
        if (o->def == NULL || (o->type == CORE_CONFIG_LIST) != lists)
            continue;
        if (o->type == CORE_CONFIG_LIST) {
            core_strlist_t *l = (core_strlist_t *)((char *)cfg + o->offset);
            if (l->count)
                continue;
        }
        if (s_set(o, cfg, o->def, err) != 0)
            return -EINVAL;
    }
    return 0;
}

int core_config_load_file(const core_config_table_t *table, void *cfg, const char *path,
                          char *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        core_err_set(err, "%s: %s", path, strerror(errno));
        return -ENOENT;
    }
    char line[4096];
    int lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        size_t n = strlen(line);
        if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
            core_err_set(err, "%s:%d: line too long", path, lineno);
            rc = -EINVAL;
            break;
        }
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
                     line[n - 1] == '\t'))
            line[--n] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        char *key = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        size_t key_len = (size_t)(p - key);
        while (*p == ' ' || *p == '\t')
            p++;
        const core_config_opt_t *o = s_find(table, key, key_len);
        if (o == NULL) {
            core_err_set(err, "%s:%d: unknown key '%.*s'", path, lineno, (int)key_len, key);
            rc = -EINVAL;
            break;
        }
        if (*p == '\0' && o->type != CORE_CONFIG_BOOL) {
            core_err_set(err, "%s:%d: key '%s' needs a value", path, lineno, o->key);
            rc = -EINVAL;
            break;
        }
        if (s_set(o, cfg, *p ? p : "true", err) != 0) {
            core_err_prefix(err, "%s:%d", path, lineno);
            rc = -EINVAL;
            break;
        }
    }
    fclose(f);
    return rc;
}

int core_config_parse(const core_config_table_t *table, void *cfg, int argc, char **argv,
                      FILE *out, char *err)
{
    /* First pass: --help, --version and --config, so the file sits under the flags. */
    const char *config_path = NULL;
    bool print_config = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            core_config_print_help(table, out);
            return 1;
        }
        if (!strcmp(argv[i], "--version")) {
            fprintf(out, "parcelscreen %s %s\n", table->name, PARCELSCREEN_VERSION);
            return 1;
        }
        if (!strcmp(argv[i], "--print-config"))
            print_config = true;
        if (!strcmp(argv[i], "--config")) {
            if (i + 1 >= argc) {
                core_err_set(err, "--config needs a file");
                return -EINVAL;
            }
            config_path = argv[++i];
        } else if (!strncmp(argv[i], "--config=", 9)) {
            config_path = argv[i] + 9;
        }
    }
    if (s_apply_defaults(table, cfg, false, err) != 0)
        return -EINVAL;
    if (config_path && core_config_load_file(table, cfg, config_path, err) != 0)
        return -EINVAL;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--print-config"))
            continue;
        if (!strcmp(arg, "--config")) {
            i++;
            continue;
        }
        if (!strncmp(arg, "--config=", 9))
            continue;
        if (strncmp(arg, "--", 2) != 0) {
            core_err_set(err, "unexpected argument '%s' (see --help)", arg);
            return -EINVAL;
        }
        const char *key = arg + 2;
        const char *eq = strchr(key, '=');
        size_t key_len = eq ? (size_t)(eq - key) : strlen(key);
        const core_config_opt_t *o = s_find(table, key, key_len);
        if (o == NULL) {
            core_err_set(err, "unknown option '--%.*s' (see --help)", (int)key_len, key);
            return -EINVAL;
        }
        if (o->type == CORE_CONFIG_LIST) {
            core_strlist_t *l = (core_strlist_t *)((char *)cfg + o->offset);
            if (eq) {
                core_strlist_push(l, eq + 1);
                continue;
            }
            int taken = 0;
            while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) {
                core_strlist_push(l, argv[++i]);
                taken++;
            }
            if (taken == 0) {
                core_err_set(err, "--%s needs at least one value", o->key);
                return -EINVAL;
            }
            continue;
        }
        const char *value = NULL;
        if (eq) {
            value = eq + 1;
        } else if (o->type == CORE_CONFIG_BOOL &&
                   (i + 1 >= argc || !strncmp(argv[i + 1], "--", 2))) {
            value = "true";
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            core_err_set(err, "--%s needs a value", o->key);
            return -EINVAL;
        }
        if (s_set(o, cfg, value, err) != 0)
            return -EINVAL;
    }
    if (s_apply_defaults(table, cfg, true, err) != 0)
        return -EINVAL;
    if (print_config) {
        core_config_print(table, cfg, out);
        return 1;
    }
    return 0;
}

static const char *s_type_name(core_config_type_t t)
{
    switch (t) {
    case CORE_CONFIG_STR: return "TEXT";
    case CORE_CONFIG_INT: return "N";
    case CORE_CONFIG_DOUBLE: return "X";
    case CORE_CONFIG_BOOL: return "[BOOL]";
    case CORE_CONFIG_LIST: return "VALUE...";
    }
    return "?";
}

void core_config_print_help(const core_config_table_t *table, FILE *out)
{
    fprintf(out, "usage: parcelscreen %s %s\n\n%s\n\noptions:\n", table->name,
            table->usage ? table->usage : "[options]", table->summary ? table->summary : "");
    for (size_t i = 0; i < table->count; i++) {
        const core_config_opt_t *o = &table->opts[i];
        char flag[64];
        snprintf(flag, sizeof(flag), "--%s %s", o->key, s_type_name(o->type));
        fprintf(out, "  %-32s %s", flag, o->help);
        if (o->def)
            fprintf(out, " (default: %s)", o->def);
        fputc('\n', out);
    }
    fprintf(out, "  %-32s %s\n", "--config FILE", "read 'key value' lines from FILE first");
    fprintf(out, "  %-32s %s\n", "--print-config", "print the resolved configuration and exit");
    fprintf(out, "  %-32s %s\n", "--help", "this text");
    fprintf(out, "  %-32s %s\n", "--version", "print the version and exit");
}

void core_config_print(const core_config_table_t *table, const void *cfg, FILE *out)
{
    for (size_t i = 0; i < table->count; i++) {
        const core_config_opt_t *o = &table->opts[i];
        const char *field = (const char *)cfg + o->offset;
        switch (o->type) {
        case CORE_CONFIG_STR: {
            const char *v = *(char *const *)field;
            if (v)
                fprintf(out, "%s %s\n", o->key, v);
            else
                fprintf(out, "# %s (unset)\n", o->key);
            break;
        }
        case CORE_CONFIG_INT: fprintf(out, "%s %ld\n", o->key, *(const long *)field); break;
        case CORE_CONFIG_DOUBLE: fprintf(out, "%s %g\n", o->key, *(const double *)field); break;
        case CORE_CONFIG_BOOL:
            fprintf(out, "%s %s\n", o->key, *(const bool *)field ? "true" : "false");
            break;
        case CORE_CONFIG_LIST: {
            const core_strlist_t *l = (const core_strlist_t *)field;
            if (l->count == 0)
                fprintf(out, "# %s (none)\n", o->key);
            for (size_t j = 0; j < l->count; j++)
                fprintf(out, "%s %s\n", o->key, l->items[j]);
            break;
        }
        }
    }
}

void core_config_free(const core_config_table_t *table, void *cfg)
{
    for (size_t i = 0; i < table->count; i++) {
        const core_config_opt_t *o = &table->opts[i];
        char *field = (char *)cfg + o->offset;
        if (o->type == CORE_CONFIG_STR) {
            free(*(char **)field);
            *(char **)field = NULL;
        } else if (o->type == CORE_CONFIG_LIST) {
            core_strlist_clear((core_strlist_t *)field);
        }
    }
}
