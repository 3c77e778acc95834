/* allowlist.c -- the officers' allow-list: reading, exporting as CSV, removing, and its CLI.
 *
 * DESIGN: entries are written by sink_queue_resolve (queue.c) in the resolution's transaction,
 * one per distinct (rule_id, matched) name hit of the verdict, from the stored hits JSON: the
 * database holds no other copy of the party names, and the matched text is what the rule fired
 * on. The primary key (rule_id, name_key) keeps the first resolution's officer and parcel; a
 * later false_positive on the same pair adds nothing. Normalisation belongs to screen (stages
 * do not link each other), so the text is kept as matched and screen folds it at load.
 *
 * Readers use a read-only connection (WAL: they run while the sink writes); removal is one
 * DELETE in its own transaction. Text output replaces control characters, so a hostile name
 * cannot drive the terminal; CSV quotes every field that needs it (RFC 4180). */
#include "sink/allowlist.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "internal.h"

#define ALLOW_BUSY_TIMEOUT_MS 10000

#define ALLOW_SELECT                                                                               \
    "SELECT rule_id, name_key, added_by, added_at, parcel_id FROM allowlist"                       \
    " ORDER BY rule_id, name_key"

static const char *s_text(sqlite3_stmt *stmt, int col)
{
    const char *text = (const char *)sqlite3_column_text(stmt, col);
    return text ? text : "";
}

/* Calls fn for every row of the allowlist table of db. */
static int s_walk(sqlite3 *db, sink_allowlist_fn fn, void *arg, char *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, ALLOW_SELECT, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return sink__sql_fail(db, rc, "read allow-list", err);
    int result = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        sink_allowlist_entry_t e = {
            .rule_id = s_text(stmt, 0),
            .name_key = s_text(stmt, 1),
            .added_by = s_text(stmt, 2),
            .added_at_ns = sqlite3_column_int64(stmt, 3),
            .parcel_id = s_text(stmt, 4),
        };
        result = fn(&e, arg);
        if (result != 0)
            break;
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = sink__sql_fail(db, rc, "read allow-list", err);
    sqlite3_finalize(stmt);
    return result;
}

int sink_allowlist_list(const char *db_path, sink_allowlist_fn fn, void *arg, char *err)
{
    core_assert(db_path != NULL);
    core_assert(fn != NULL);
    sqlite3 *db = sink__db_open(db_path, SINK__OPEN_READONLY, ALLOW_BUSY_TIMEOUT_MS, err);
    if (db == NULL)
        return -EIO;
    int rc = s_walk(db, fn, arg, err);
    sink__db_close(&db);
    return rc;
}

/* ============ CSV ============ */

typedef struct {
    FILE *out;      /* destination */
    core_buf_t buf; /* one row */
    size_t rows;    /* written */
    bool failed;    /* a write failed */
} csv_writer_t;

static int s_csv_row(const sink_allowlist_entry_t *e, void *arg)
{
    csv_writer_t *w = arg;
    char when[40];
    core_rfc3339(e->added_at_ns, when, sizeof(when));
    core_buf_reset(&w->buf);
    core_buf_append_csv_field(&w->buf, e->rule_id, strlen(e->rule_id));
    core_buf_append_byte(&w->buf, ',');
    core_buf_append_csv_field(&w->buf, e->name_key, strlen(e->name_key));
    core_buf_append_byte(&w->buf, ',');
    core_buf_append_csv_field(&w->buf, e->added_by, strlen(e->added_by));
    core_buf_append_byte(&w->buf, ',');
    core_buf_append_csv_field(&w->buf, when, strlen(when));
    core_buf_append_byte(&w->buf, ',');
    core_buf_append_csv_field(&w->buf, e->parcel_id, strlen(e->parcel_id));
    core_buf_append_byte(&w->buf, '\n');
    if (fwrite(w->buf.data, 1, w->buf.len, w->out) != w->buf.len) {
        w->failed = true;
        return -EIO;
    }
    w->rows++;
    return 0;
}

static int s_write_csv(sqlite3 *db, FILE *out, size_t *rows, char *err)
{
    csv_writer_t w = {.out = out};
    int rc = 0;
    if (fputs("rule_id,name_key,added_by,added_at,parcel_id\n", out) == EOF)
        w.failed = true;
    else
        rc = s_walk(db, s_csv_row, &w, err);
    if (rc == 0 && fflush(out) != 0)
        w.failed = true;
    if (w.failed) {
        core_err_set(err, "write allow-list: %s", strerror(errno ? errno : EIO));
        rc = -EIO;
    }
    if (rows)
        *rows = w.rows;
    core_buf_clear(&w.buf);
    return rc;
}

int sink_allowlist_write_csv(const char *db_path, FILE *out, size_t *rows, char *err)
{
    core_assert(db_path != NULL);
    core_assert(out != NULL);
    if (rows)
        *rows = 0;
    sqlite3 *db = sink__db_open(db_path, SINK__OPEN_READONLY, ALLOW_BUSY_TIMEOUT_MS, err);
    if (db == NULL)
        return -EIO;
    int rc = s_write_csv(db, out, rows, err);
    sink__db_close(&db);
    return rc;
}

/* True when db has an allowlist table with at least one row. */
static int s_has_entries(sqlite3 *db, bool *out, char *err)
{
    sqlite3_stmt *stmt = NULL;
    *out = false;
    int rc = sqlite3_prepare_v2(
        db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'allowlist'", -1,
        &stmt, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        bool table = sqlite3_column_int(stmt, 0) > 0;
        sqlite3_finalize(stmt);
        stmt = NULL;
        if (!table)
            return 0;
        rc = sqlite3_prepare_v2(db, "SELECT EXISTS (SELECT 1 FROM allowlist)", -1, &stmt, NULL);
        if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            *out = sqlite3_column_int(stmt, 0) != 0;
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK)
        return sink__sql_fail(db, rc, "read allow-list", err);
    return 0;
}

int sink_allowlist_export_file(const char *db_path, const char *out_path, size_t *rows, char *err)
{
    core_assert(db_path != NULL);
    core_assert(out_path != NULL);
    core_assert(rows != NULL);
    *rows = 0;
    struct stat st;
    if (stat(db_path, &st) != 0 || st.st_size == 0)
        return 0; /* no database yet: the sink will create it, with an empty allow-list */
    /* A plain read-only connection: an older schema (no allowlist table) is not an error. */
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        core_err_set(err, "%s: %s", db_path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return -EIO;
    }
    sqlite3_busy_timeout(db, ALLOW_BUSY_TIMEOUT_MS);
    bool any = false;
    rc = s_has_entries(db, &any, err);
    if (rc == 0 && any) {
        char tmp[4096];
        if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", out_path) >= sizeof(tmp)) {
            core_err_set(err, "%s: path too long", out_path);
            rc = -ENAMETOOLONG;
        } else {
            FILE *f = fopen(tmp, "w");
            if (f == NULL) {
                core_err_set(err, "%s: %s", tmp, strerror(errno));
                rc = -errno;
            } else {
                rc = s_write_csv(db, f, rows, err);
                if (fclose(f) != 0 && rc == 0) {
                    core_err_set(err, "%s: %s", tmp, strerror(errno));
                    rc = -EIO;
                }
                if (rc == 0 && rename(tmp, out_path) != 0) {
                    core_err_set(err, "%s: %s", out_path, strerror(errno));
                    rc = -EIO;
                }
                if (rc != 0) {
                    remove(tmp);
                    *rows = 0;
                }
            }
        }
    }
    if (rc != 0)
        core_err_prefix(err, "%s", db_path);
    sqlite3_close(db);
    return rc;
}

int sink_allowlist_remove(const char *db_path, const char *rule_id, const char *name_key, char *err)
{
    core_assert(db_path != NULL);
    core_assert(rule_id != NULL && name_key != NULL);
    sqlite3 *db = sink__db_open(db_path, SINK__OPEN_READWRITE, ALLOW_BUSY_TIMEOUT_MS, err);
    if (db == NULL)
        return -EIO;
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "DELETE FROM allowlist WHERE rule_id = ?1 AND name_key = ?2",
                                -1, &stmt, NULL);
    int result = 0;
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, rule_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, name_key, -1, SQLITE_STATIC);
        rc = sqlite3_step(stmt);
    }
    if (rc != SQLITE_DONE) {
        result = sink__sql_fail(db, rc, "remove allow-list entry", err);
    } else if (sqlite3_changes(db) == 0) {
        core_err_set(err, "no allow-list entry for rule '%s' and name '%s'", rule_id, name_key);
        result = -ENOENT;
    }
    sqlite3_finalize(stmt);
    sink__db_close(&db);
    return result;
}

/* ============ CLI ============ */

typedef struct {
    char *db;     /* database path */
    bool json;    /* list: JSON lines */
    char *output; /* export: file instead of stdout */
    char *rule;   /* remove */
    char *name;   /* remove */
} allow_config_t;

/* The row every subcommand shares. */
#define OPT_DB_ROW                                                                                 \
    "db", CORE_CONFIG_STR, NULL, 0, 0, offsetof(allow_config_t, db), "sink database (required)"

static const core_config_opt_t s_list_opts[] = {
    {OPT_DB_ROW},
    {"json", CORE_CONFIG_BOOL, "false", 0, 0, offsetof(allow_config_t, json),
     "one JSON object per line instead of text"},
};

static const core_config_opt_t s_export_opts[] = {
    {OPT_DB_ROW},
    {"output", CORE_CONFIG_STR, NULL, 0, 0, offsetof(allow_config_t, output),
     "write the CSV here (via FILE.tmp and a rename) instead of stdout"},
};

static const core_config_opt_t s_remove_opts[] = {
    {OPT_DB_ROW},
    {"rule", CORE_CONFIG_STR, NULL, 0, 0, offsetof(allow_config_t, rule),
     "rule id of the entry (required)"},
    {"name", CORE_CONFIG_STR, NULL, 0, 0, offsetof(allow_config_t, name),
     "name_key of the entry, exactly as listed (required)"},
};

static const core_config_table_t s_tables[] = {
    {"allowlist list", "--db PATH [--json]",
     "Lists the allow-list: (rule, party name) pairs officers resolved as false_positive.",
     s_list_opts, CORE_ARRAY_LEN(s_list_opts)},
    {"allowlist export", "--db PATH [--output FILE]",
     "Writes the allow-list as CSV (rule_id,name_key,added_by,added_at,parcel_id), the format "
     "of screen --allowlist.",
     s_export_opts, CORE_ARRAY_LEN(s_export_opts)},
    {"allowlist remove", "--db PATH --rule ID --name TEXT",
     "Removes one entry: later parcels with that party name hit that rule again.", s_remove_opts,
     CORE_ARRAY_LEN(s_remove_opts)},
};

typedef struct {
    FILE *out;      /* stdout */
    bool json;      /* --json */
    core_buf_t buf; /* one JSON line */
    size_t rows;    /* printed */
} printer_t;

static int s_print_entry(const sink_allowlist_entry_t *e, void *arg)
{
    printer_t *p = arg;
    char when[40];
    core_rfc3339(e->added_at_ns, when, sizeof(when));
    p->rows++;
    if (p->json) {
        core_buf_t *b = &p->buf;
        core_buf_reset(b);
        core_buf_append_str(b, "{\"rule_id\":");
        core_buf_append_json_str(b, e->rule_id, strlen(e->rule_id));
        core_buf_append_str(b, ",\"name_key\":");
        core_buf_append_json_str(b, e->name_key, strlen(e->name_key));
        core_buf_append_str(b, ",\"added_by\":");
        core_buf_append_json_str(b, e->added_by, strlen(e->added_by));
        core_buf_printf(b, ",\"added_at\":\"%s\",\"parcel_id\":", when);
        core_buf_append_json_str(b, e->parcel_id, strlen(e->parcel_id));
        core_buf_append_str(b, "}\n");
        fwrite(b->data, 1, b->len, p->out);
        return 0;
    }
    if (p->rows == 1)
        fprintf(p->out, "RULE  NAME  ADDED_BY  ADDED_AT  PARCEL\n");
    sink__print_safe(p->out, e->rule_id);
    fputs("  ", p->out);
    sink__print_safe(p->out, e->name_key);
    fputs("  ", p->out);
    sink__print_safe(p->out, e->added_by);
    fprintf(p->out, "  %s  ", when);
    sink__print_safe(p->out, e->parcel_id);
    fputc('\n', p->out);
    return 0;
}

static int s_export_cmd(const allow_config_t *cfg, char *err)
{
    size_t rows = 0;
    int rc;
    if (cfg->output == NULL) {
        rc = sink_allowlist_write_csv(cfg->db, stdout, &rows, err);
    } else {
        /* Like run: an empty allow-list still gives a file with the header. */
        sqlite3 *db = sink__db_open(cfg->db, SINK__OPEN_READONLY, ALLOW_BUSY_TIMEOUT_MS, err);
        if (db == NULL)
            return 1;
        char tmp[4096];
        FILE *f = NULL;
        if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", cfg->output) >= sizeof(tmp)) {
            core_err_set(err, "%s: path too long", cfg->output);
            rc = -ENAMETOOLONG;
        } else if ((f = fopen(tmp, "w")) == NULL) {
            core_err_set(err, "%s: %s", tmp, strerror(errno));
            rc = -EIO;
        } else {
            rc = s_write_csv(db, f, &rows, err);
            if (fclose(f) != 0 && rc == 0) {
                core_err_set(err, "%s: %s", tmp, strerror(errno));
                rc = -EIO;
            }
            if (rc == 0 && rename(tmp, cfg->output) != 0) {
                core_err_set(err, "%s: %s", cfg->output, strerror(errno));
                rc = -EIO;
            }
            if (rc != 0)
                remove(tmp);
        }
        sink__db_close(&db);
        if (rc == 0)
            fprintf(stderr, "parcelscreen: allowlist: %zu entries written to %s\n", rows,
                    cfg->output);
    }
    return rc == 0 ? 0 : 1;
}

int sink_allowlist_main(int argc, char **argv)
{
    static const char *const names[] = {"list", "export", "remove"};
    if (argc < 2) {
        fprintf(stderr, "parcelscreen: allowlist: missing subcommand (list, export, remove)\n");
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("usage: parcelscreen allowlist list|export|remove --db PATH ...\n"
               "       parcelscreen allowlist SUBCOMMAND --help\n");
        return 0;
    }
    size_t which = CORE_ARRAY_LEN(names);
    for (size_t i = 0; i < CORE_ARRAY_LEN(names); i++) {
        if (!strcmp(argv[1], names[i]))
            which = i;
    }
    if (which == CORE_ARRAY_LEN(names)) {
        fprintf(stderr, "parcelscreen: allowlist: unknown subcommand '%s' (list, export, remove)\n",
                argv[1]);
        return 2;
    }
    const core_config_table_t *table = &s_tables[which];
    allow_config_t cfg = {0};
    char err[CORE_ERR_LEN] = "";
    int code = 0;
    int rc = core_config_parse(table, &cfg, argc - 1, argv + 1, stdout, err);
    if (rc == 1)
        goto out_free;
    if (rc == 0 && cfg.db == NULL) {
        core_err_set(err, "--db is required");
        rc = -EINVAL;
    } else if (rc == 0 && which == 2 && (cfg.rule == NULL || cfg.name == NULL)) {
        core_err_set(err, "remove needs --rule ID and --name TEXT");
        rc = -EINVAL;
    }
    if (rc != 0) {
        code = 2;
        goto out_report;
    }
    if (which == 0) {
        printer_t p = {.out = stdout, .json = cfg.json};
        code = sink_allowlist_list(cfg.db, s_print_entry, &p, err) == 0 ? 0 : 1;
        if (code == 0 && p.rows == 0 && !p.json)
            printf("no allow-list entries\n");
        core_buf_clear(&p.buf);
    } else if (which == 1) {
        code = s_export_cmd(&cfg, err);
    } else {
        code = sink_allowlist_remove(cfg.db, cfg.rule, cfg.name, err) == 0 ? 0 : 1;
        if (code == 0) {
            fputs("removed ", stdout);
            sink__print_safe(stdout, cfg.rule);
            fputs(" / ", stdout);
            sink__print_safe(stdout, cfg.name);
            fputc('\n', stdout);
        }
    }
out_report:
    if (code != 0)
        fprintf(stderr, "parcelscreen: allowlist: %s\n", err);
out_free:
    core_config_free(table, &cfg);
    return code;
}
