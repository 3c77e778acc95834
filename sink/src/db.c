/* db.c -- opening the sink database, the schema and its migrations.
 *
 * DESIGN: one SQLite file in WAL mode holds verdicts, watchlist versions, the officers' queue
 * and the queue's transition log. PRAGMA user_version is the schema version; s_migrations[i]
 * takes a database from version i to i + 1, and every opener that may write runs the missing
 * steps in one BEGIN IMMEDIATE transaction, so a half-migrated file cannot exist. A file from
 * a newer program is refused rather than guessed at.
 *
 * Every time is an INTEGER of nanoseconds since the Unix epoch (UTC); 'arrival' is the sink's
 * insertion order (1, 2, ...), shared by a verdict and its queue entry.
 *
 * verdicts is a rowid table with arrival as the rowid and a UNIQUE index on parcel_id, not a
 * WITHOUT ROWID table keyed by parcel_id: rows (hits JSON included) are appended at the right
 * edge of the table B-tree in arrival order, which is also export's order, and only the small
 * (parcel_id, arrival) index entries land wherever the ids fall. Measured with 1.2 M random
 * 17-byte ids: 130-140 k verdicts/s against 86-90 k/s for WITHOUT ROWID (which also needed a
 * second index on arrival); equal with increasing ids. The queue is small and keyed by
 * parcel_id, so it is WITHOUT ROWID. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* Step i brings the schema from version i to i + 1. Append only; never edit a released step. */
static const char *const s_migrations[] = {
    /* 0 -> 1: the first schema. */
    "CREATE TABLE verdicts ("
    "  arrival INTEGER PRIMARY KEY," /* the rowid: sink insertion order */
    "  parcel_id TEXT NOT NULL UNIQUE,"
    "  seq INTEGER NOT NULL,"         /* PARCEL_BATCH seq that carried the parcel */
    "  screened_at INTEGER NOT NULL," /* ns, screen's wall clock */
    "  stored_at INTEGER NOT NULL,"   /* ns, sink's wall clock at the insert */
    "  risk_score INTEGER NOT NULL,"
    "  channel TEXT NOT NULL CHECK (channel IN ('green', 'yellow', 'red')),"
    "  watchlist_version TEXT NOT NULL,"
    "  selected_random INTEGER NOT NULL,"
    "  hits TEXT" /* JSON array as proto_verdict_to_json; NULL = [] */
    ");"
    "CREATE TABLE watchlists ("
    "  version TEXT PRIMARY KEY NOT NULL,"
    "  lists TEXT NOT NULL,"
    "  first_seen INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE queue ("
    "  parcel_id TEXT PRIMARY KEY NOT NULL,"
    "  risk_score INTEGER NOT NULL,"
    "  arrival INTEGER NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('new', 'claimed', 'resolved')),"
    "  claimed_by TEXT,"
    "  lease_until INTEGER,"
    "  outcome TEXT CHECK (outcome IS NULL OR outcome IN ('released', 'inspected_clear',"
    "                      'seized', 'referred', 'false_positive')),"
    "  note TEXT,"
    "  updated_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX queue_by_priority ON queue (state, risk_score DESC, arrival);"
    "CREATE TABLE queue_events ("
    "  id INTEGER PRIMARY KEY,"
    "  parcel_id TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  who TEXT NOT NULL,"
    "  from_state TEXT," /* NULL for 'created' */
    "  to_state TEXT NOT NULL,"
    "  outcome TEXT,"
    "  note TEXT"
    ");"
    "CREATE INDEX queue_events_by_parcel ON queue_events (parcel_id, id);"
    /* The transition log is an audit trail: rows are added, never changed. */
    "CREATE TRIGGER queue_events_no_update BEFORE UPDATE ON queue_events"
    "  BEGIN SELECT RAISE(ABORT, 'queue_events is append-only'); END;"
    "CREATE TRIGGER queue_events_no_delete BEFORE DELETE ON queue_events"
    "  BEGIN SELECT RAISE(ABORT, 'queue_events is append-only'); END;",
    /* 1 -> 2: the allow-list (allowlist.c): a name hit an officer resolved false_positive. */
    "CREATE TABLE allowlist ("
    "  rule_id TEXT NOT NULL,"
    "  name_key TEXT NOT NULL," /* the hit's matched party name; screen normalises it */
    "  added_by TEXT NOT NULL," /* the officer who resolved */
    "  added_at INTEGER NOT NULL,"
    "  parcel_id TEXT NOT NULL," /* the resolved parcel it came from */
    "  PRIMARY KEY (rule_id, name_key)"
    ") WITHOUT ROWID;",
};

_Static_assert(CORE_ARRAY_LEN(s_migrations) == SINK__SCHEMA_VERSION,
               "one migration step per schema version");

int sink__sql_fail(sqlite3 *db, int rc, const char *what, char *err)
{
    core_err_set(err, "%s: %s", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return -EBUSY;
    case SQLITE_FULL:
        return -ENOSPC;
    case SQLITE_NOMEM:
        return -ENOMEM;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return -EACCES;
    case SQLITE_CANTOPEN:
        return -ENOENT;
    case SQLITE_CONSTRAINT:
        return -EEXIST;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_SCHEMA:
    case SQLITE_MISMATCH:
        return -EPROTO;
    default:
        return -EIO;
    }
}

int sink__prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt, char *err)
{
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL);
    if (rc != SQLITE_OK)
        return sink__sql_fail(db, rc, "prepare", err);
    return 0;
}

int sink__exec(sqlite3 *db, const char *sql, char *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return sink__sql_fail(db, rc, sql, err);
    return 0;
}

static int s_user_version(sqlite3 *db, int *version, char *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            *version = sqlite3_column_int(stmt, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK)
        return sink__sql_fail(db, rc, "read schema version", err);
    return 0;
}

/* True when the file holds any table, index or trigger. */
static int s_has_objects(sqlite3 *db, bool *out, char *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(stmt, 0) > 0;
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK)
        return sink__sql_fail(db, rc, "read schema", err);
    return 0;
}

static int s_migrate(sqlite3 *db, sink__open_mode_t mode, char *err)
{
    int version = 0;
    if (s_user_version(db, &version, err) != 0)
        return -EPROTO;
    if (version > SINK__SCHEMA_VERSION) {
        core_err_set(err, "schema version %d is newer than this program's (%d)", version,
                     SINK__SCHEMA_VERSION);
        return -EPROTO;
    }
    if (version == SINK__SCHEMA_VERSION)
        return 0;
    if (mode == SINK__OPEN_READONLY) {
        core_err_set(err, "schema version %d, expected %d (start the sink once to migrate)",
                     version, SINK__SCHEMA_VERSION);
        return -EPROTO;
    }
    if (version == 0 && mode != SINK__OPEN_CREATE) {
        bool has_objects = false;
        if (s_has_objects(db, &has_objects, err) != 0)
            return -EPROTO;
        core_err_set(err, "%s",
                     has_objects ? "not a parcelscreen database"
                                 : "no verdicts here yet (the sink creates the schema)");
        return -ENOENT;
    }

    int rc = sink__exec(db, "BEGIN IMMEDIATE", err);
    if (rc != 0)
        return rc;
    /* Another opener may have migrated while we waited for the write lock. */
    rc = s_user_version(db, &version, err);
    if (rc == 0 && version == 0 && mode == SINK__OPEN_CREATE) {
        bool has_objects = false;
        rc = s_has_objects(db, &has_objects, err);
        if (rc == 0 && has_objects) {
            core_err_set(err, "not a parcelscreen database (tables without a schema version)");
            rc = -EPROTO;
        }
    }
    for (int v = version; rc == 0 && v < SINK__SCHEMA_VERSION; v++) {
        rc = sink__exec(db, s_migrations[v], err);
        if (rc != 0)
            core_err_prefix(err, "migrate schema %d to %d", v, v + 1);
    }
    if (rc == 0) {
        char sql[64];
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SINK__SCHEMA_VERSION);
        rc = sink__exec(db, sql, err);
    }
    if (rc == 0)
        rc = sink__exec(db, "COMMIT", err);
    if (rc != 0)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int s_set_wal(sqlite3 *db, char *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        rc = sink__sql_fail(db, rc, "set WAL mode", err);
        sqlite3_finalize(stmt);
        return rc;
    }
    const char *mode = (const char *)sqlite3_column_text(stmt, 0);
    bool wal = mode && strcmp(mode, "wal") == 0;
    if (!wal)
        core_err_set(err, "journal mode is '%s', not 'wal' (file system without shared memory?)",
                     mode ? mode : "?");
    sqlite3_finalize(stmt);
    return wal ? 0 : -EIO;
}

/* Busy handler: retry every millisecond until about 'arg' milliseconds have passed.
 *
 * SQLite's own handler (sqlite3_busy_timeout) backs off to 100 ms sleeps. Under full load the
 * sink holds the write lock for a group's ~40 ms and lets go for about a millisecond between
 * groups; an officer's claim that sleeps 100 ms at a time keeps missing that gap (measured:
 * claims of 0.1-1.2 s during a 350 k verdicts/s run). Polling every millisecond finds it
 * (30-90 ms in the same run, sink throughput unchanged). */
static int s_busy_wait(void *arg, int attempts)
{
    int timeout_ms = (int)(intptr_t)arg;
    if (attempts >= timeout_ms)
        return 0;
    struct timespec ms = { .tv_sec = 0, .tv_nsec = 1000000 };
    nanosleep(&ms, NULL);
    return 1;
}

void sink__db_tune_process(void)
{
    /* Memory statistics take a global mutex on every SQLite allocation (measured: 12% of the
     * insert path). Only allowed before SQLite initialises; later it fails harmlessly. */
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

sqlite3 *sink__db_open(const char *path, sink__open_mode_t mode, int busy_timeout_ms, char *err)
{
    core_assert(path != NULL);
    int flags = SQLITE_OPEN_NOMUTEX;
    if (mode == SINK__OPEN_CREATE)
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    else if (mode == SINK__OPEN_READWRITE)
        flags |= SQLITE_OPEN_READWRITE;
    else
        flags |= SQLITE_OPEN_READONLY;

    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        core_err_set(err, "%s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_handler(db, s_busy_wait, (void *)(intptr_t)busy_timeout_ms);
    if (mode != SINK__OPEN_READONLY && s_set_wal(db, err) != 0)
        goto out_close;
    if (s_migrate(db, mode, err) != 0)
        goto out_close;
    return db;

out_close:
    core_err_prefix(err, "%s", path);
    sqlite3_close(db);
    return NULL;
}

void sink__db_close(sqlite3 **db_p)
{
    core_assert(db_p != NULL);
    if (*db_p == NULL)
        return;
    /* Every statement was finalized by its owner; close_v2 would hide a leak. */
    int rc = sqlite3_close(*db_p);
    core_assert(rc == SQLITE_OK);
    *db_p = NULL;
}
