/* internal.h -- sink-private helpers shared by the store, the queue, export and the stage.
 *
 * Not installed and not part of the API: names start with sink__ (libuv uv__ style). */
#ifndef SINK_INTERNAL_H
#define SINK_INTERNAL_H

#include <sqlite3.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/core.h"
#include "core/str.h"
#include "proto/verdict.h"

/* The schema version this program writes, kept in PRAGMA user_version. */
#define SINK__SCHEMA_VERSION 2

/* How sink__db_open opens the file. */
typedef enum {
    SINK__OPEN_CREATE,    /* read-write, create the file and the schema (the sink) */
    SINK__OPEN_READWRITE, /* read-write, the file and schema must exist (queue CLI) */
    SINK__OPEN_READONLY,  /* read-only, the schema must be current (export) */
} sink__open_mode_t;

/* Opens 'path', sets WAL mode (read-write modes), busy_timeout and extended result codes,
 * and brings the schema to SINK__SCHEMA_VERSION (migrating older versions in one
 * transaction; refusing newer ones). Returns NULL with a reason in err. */
sqlite3 *sink__db_open(const char *path, sink__open_mode_t mode, int busy_timeout_ms, char *err);

/* Process-wide SQLite settings for a writer process; call first thing in main, before any
 * thread or connection uses SQLite (sqlite3_config is not thread-safe). */
void sink__db_tune_process(void);

/* Closes db (finalizing nothing: the caller finalizes its statements first). NULL is a no-op. */
void sink__db_close(sqlite3 **db_p);

/* Maps an SQLite result code to a negative errno and writes "what: sqlite message" to err. */
int sink__sql_fail(sqlite3 *db, int rc, const char *what, char *err);

/* Prepares a statement that lives as long as the connection (SQLITE_PREPARE_PERSISTENT).
 * Returns 0 or a negative errno with a reason in err. */
int sink__prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt, char *err);

/* Runs one statement without results (BEGIN, COMMIT, ...). Returns 0 or a negative errno. */
int sink__exec(sqlite3 *db, const char *sql, char *err);

/* ============ Verdict JSON ============ */

/* Splits the JSON of one verdict around its hits array. 'without' is
 * proto_verdict_to_json of the verdict with no hits ("...[]..."), 'with' the same verdict with
 * at least one hit. On success *head is the length of the text before the hits array and
 * *tail the length after it, the same in both; the hits array of 'with' is
 * with[*head .. with_len - *tail). Returns 0, or -EPROTO when the two texts do not differ by
 * exactly the hits array (a proto_verdict_to_json this code does not understand). */
int sink__hits_split(const char *without, size_t without_len, const char *with, size_t with_len,
                     size_t *head, size_t *tail);

/* The columns every verdict SELECT returns, in this order, for sink__verdict_json. */
#define SINK__VERDICT_COLUMNS                                                                      \
    "parcel_id, risk_score, channel, screened_at, selected_random, watchlist_version, hits"

/* Appends the SPEC section 3 JSON (no newline) of the verdict in the current row of 'stmt'
 * (columns SINK__VERDICT_COLUMNS from index 0). 'scratch' is reused work space. Returns 0 or
 * -EPROTO with a reason in err (a row this program did not write). */
int sink__verdict_json(sqlite3_stmt *stmt, core_buf_t *out, core_buf_t *scratch, char *err);

/* Prints s for a terminal: control characters (a stored name could hold an escape sequence)
 * become '?'. For the queue and allow-list commands. */
void sink__print_safe(FILE *out, const char *s);

#endif
