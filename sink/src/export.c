/* export.c -- `parcelscreen export`: stored verdicts back out as NDJSON. */
#include "sink/export.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "internal.h"

#define EXPORT_FLUSH_BYTES (64 * 1024) /* write to 'out' in chunks of about this size */
#define EXPORT_BUSY_TIMEOUT_MS 5000    /* a reader waits only during a checkpoint's reset */

static int s_write(core_buf_t *lines, FILE *out, char *err)
{
    if (lines->len && fwrite(lines->data, 1, lines->len, out) != lines->len) {
        core_err_set(err, "write: %s", strerror(errno));
        return -EIO;
    }
    core_buf_reset(lines);
    return 0;
}

int sink_export_ndjson(const char *db_path, const char *parcel_id, FILE *out, char *err)
{
    core_assert(db_path != NULL);
    core_assert(out != NULL);
    sqlite3 *db = sink__db_open(db_path, SINK__OPEN_READONLY, EXPORT_BUSY_TIMEOUT_MS, err);
    if (db == NULL)
        return -ENOENT;
    const char *sql = parcel_id ? "SELECT " SINK__VERDICT_COLUMNS " FROM verdicts"
                                  " WHERE parcel_id = ?1"
                                : "SELECT " SINK__VERDICT_COLUMNS " FROM verdicts"
                                  " ORDER BY arrival";
    sqlite3_stmt *stmt = NULL;
    int rc = sink__prepare(db, sql, &stmt, err);
    if (rc != 0)
        goto out_close;
    if (parcel_id)
        sqlite3_bind_text(stmt, 1, parcel_id, -1, SQLITE_STATIC);

    core_buf_t lines = { 0 };
    core_buf_t scratch = { 0 };
    uint64_t rows = 0;
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        rc = sink__verdict_json(stmt, &lines, &scratch, err);
        if (rc != 0)
            break;
        core_buf_append_byte(&lines, '\n');
        rows++;
        if (lines.len >= EXPORT_FLUSH_BYTES)
            rc = s_write(&lines, out, err);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sink__sql_fail(db, step, "read verdicts", err);
    if (rc == 0)
        rc = s_write(&lines, out, err);
    if (rc == 0 && fflush(out) != 0) {
        core_err_set(err, "write: %s", strerror(errno));
        rc = -EIO;
    }
    if (rc == 0 && parcel_id && rows == 0) {
        core_err_set(err, "no verdict for parcel '%s'", parcel_id);
        rc = -ENOENT;
    }
    core_buf_clear(&lines);
    core_buf_clear(&scratch);
    sqlite3_finalize(stmt);
out_close:
    sink__db_close(&db);
    return rc;
}

int sink_tally(const char *db_path, int64_t after, sink_tally_t *out, char *err)
{
    core_assert(db_path != NULL && out != NULL);
    *out = (sink_tally_t){ 0 };
    if (access(db_path, F_OK) != 0)
        return 0;
    sqlite3 *db = sink__db_open(db_path, SINK__OPEN_READONLY, EXPORT_BUSY_TIMEOUT_MS, err);
    if (db == NULL)
        return -ENOENT;
    static const char *const sql[3] = {
        "SELECT coalesce(max(arrival), 0) FROM verdicts",
        "SELECT channel, count(*) FROM verdicts WHERE arrival > ?1 GROUP BY channel",
        "SELECT count(*) FROM queue WHERE arrival > ?1",
    };
    int rc = 0;
    for (int q = 0; q < 3 && rc == 0; q++) {
        sqlite3_stmt *stmt = NULL;
        rc = sink__prepare(db, sql[q], &stmt, err);
        if (rc != 0)
            break;
        if (q > 0)
            sqlite3_bind_int64(stmt, 1, after);
        int step;
        while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
            if (q == 0) {
                out->last_arrival = sqlite3_column_int64(stmt, 0);
            } else if (q == 2) {
                out->queued = (uint64_t)sqlite3_column_int64(stmt, 0);
            } else {
                const char *ch = (const char *)sqlite3_column_text(stmt, 0);
                uint64_t n = (uint64_t)sqlite3_column_int64(stmt, 1);
                out->verdicts += n;
                if (ch && strcmp(ch, "red") == 0)
                    out->red = n;
                else if (ch && strcmp(ch, "yellow") == 0)
                    out->yellow = n;
                else
                    out->green += n;
            }
        }
        if (step != SQLITE_DONE)
            rc = sink__sql_fail(db, step, "count verdicts", err);
        sqlite3_finalize(stmt);
    }
    sink__db_close(&db);
    return rc;
}

/* ============ CLI ============ */

typedef struct {
    char *db;     /* database path */
    char *parcel; /* one parcel only */
} export_config_t;

static const core_config_opt_t s_export_opts[] = {
    { "db", CORE_CONFIG_STR, NULL, 0, 0, offsetof(export_config_t, db),
      "sink database (required)" },
    { "parcel", CORE_CONFIG_STR, NULL, 0, 0, offsetof(export_config_t, parcel),
      "export only this parcel's verdict" },
};

static const core_config_table_t s_export_table = {
    .name = "export",
    .usage = "--db PATH [--parcel ID]",
    .summary = "Writes every stored verdict as NDJSON (SPEC section 3) on stdout, in arrival "
               "order.",
    .opts = s_export_opts,
    .count = CORE_ARRAY_LEN(s_export_opts),
};

int sink_export_main(int argc, char **argv)
{
    export_config_t cfg = { 0 };
    char err[CORE_ERR_LEN] = "";
    int code = 0;
    int rc = core_config_parse(&s_export_table, &cfg, argc, argv, stdout, err);
    if (rc == 1)
        goto out_free;
    if (rc == 0 && cfg.db == NULL) {
        core_err_set(err, "--db is required");
        rc = -EINVAL;
    }
    if (rc != 0) {
        fprintf(stderr, "parcelscreen: export: %s\n", err);
        code = 2;
        goto out_free;
    }
    if (sink_export_ndjson(cfg.db, cfg.parcel, stdout, err) != 0) {
        fprintf(stderr, "parcelscreen: export: %s\n", err);
        code = 1;
    }
out_free:
    core_config_free(&s_export_table, &cfg);
    return code;
}
