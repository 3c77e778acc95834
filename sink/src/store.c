/* store.c -- the verdict store: batched, idempotent inserts into SQLite.
 *
 * DESIGN: the stage opens one transaction per group of VERDICT_BATCH messages, and for each
 * verdict runs prepared statements that live as long as the connection: an insert into
 * 'verdicts' that does nothing when the parcel_id is already there (ON CONFLICT DO NOTHING,
 * not OR IGNORE, so any other constraint failure is still an error), and for a new verdict
 * that qualifies, an insert into 'queue' and its 'created' row in 'queue_events'. Strings are
 * bound SQLITE_STATIC straight from the decoded message; the hits JSON is rendered into
 * buffers kept here, so steady state allocates nothing per verdict.
 *
 * 'arrival' is the verdict's rowid, assigned by SQLite (max + 1) and read back with
 * sqlite3_last_insert_rowid for the queue entry. A rollback forgets the watchlist cache. */
#include "sink/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

struct sink_store {
    sqlite3 *db;                    /* the connection; owned */
    sqlite3_stmt *begin;            /* BEGIN IMMEDIATE */
    sqlite3_stmt *commit;           /* COMMIT */
    sqlite3_stmt *rollback;         /* ROLLBACK */
    sqlite3_stmt *insert_verdict;   /* new verdict or nothing */
    sqlite3_stmt *insert_queue;     /* new queue entry */
    sqlite3_stmt *insert_event;     /* its 'created' transition */
    sqlite3_stmt *insert_watchlist; /* watchlist version, first time seen */
    bool in_transaction;            /* between begin and commit/rollback */
    sink_store_counts_t pending;    /* counts of the open transaction */
    core_buf_t json_bare;           /* scratch: verdict JSON without hits */
    core_buf_t json_full;           /* scratch: verdict JSON with hits */
    core_buf_t last_watchlist;      /* version last recorded, to skip repeats */
    sink_store_queued_fn queued_fn; /* queue admission callback, may be NULL */
    void *queued_arg;               /* its argument */
};

int sink_sync_parse(const char *text, sink_sync_t *out)
{
    if (strcasecmp(text, "full") == 0)
        *out = SINK_SYNC_FULL;
    else if (strcasecmp(text, "normal") == 0)
        *out = SINK_SYNC_NORMAL;
    else
        return -EINVAL;
    return 0;
}

static int s_prepare_all(sink_store_t *self, char *err)
{
    struct {
        sqlite3_stmt **stmt;
        const char *sql;
    } const statements[] = {
        { &self->begin, "BEGIN IMMEDIATE" },
        { &self->commit, "COMMIT" },
        { &self->rollback, "ROLLBACK" },
        { &self->insert_verdict,
          "INSERT INTO verdicts (parcel_id, seq, screened_at, stored_at, risk_score,"
          " channel, watchlist_version, selected_random, hits)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
          " ON CONFLICT (parcel_id) DO NOTHING" },
        { &self->insert_queue,
          "INSERT INTO queue (parcel_id, risk_score, arrival, state, updated_at)"
          " VALUES (?1, ?2, ?3, 'new', ?4)" },
        { &self->insert_event,
          "INSERT INTO queue_events (parcel_id, at, who, from_state, to_state, note)"
          " VALUES (?1, ?2, 'sink', NULL, 'new', ?3)" },
        { &self->insert_watchlist,
          "INSERT INTO watchlists (version, lists, first_seen) VALUES (?1, ?2, ?3)"
          " ON CONFLICT (version) DO NOTHING" },
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(statements); i++) {
        int rc = sink__prepare(self->db, statements[i].sql, statements[i].stmt, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static void s_finalize_all(sink_store_t *self)
{
    sqlite3_stmt **all[] = { &self->begin,          &self->commit,       &self->rollback,
                             &self->insert_verdict, &self->insert_queue, &self->insert_event,
                             &self->insert_watchlist };
    for (size_t i = 0; i < CORE_ARRAY_LEN(all); i++) {
        sqlite3_finalize(*all[i]);
        *all[i] = NULL;
    }
}

sink_store_t *sink_store_open(const char *path, sink_sync_t sync, int busy_timeout_ms, char *err)
{
    core_assert(path != NULL);
    core_assert(sync == SINK_SYNC_NORMAL || sync == SINK_SYNC_FULL);
    sink_store_t *self = core_calloc(1, sizeof(*self));

    self->db = sink__db_open(path, SINK__OPEN_CREATE, busy_timeout_ms, err);
    if (self->db == NULL)
        goto out_free_self;
    /* A larger page cache keeps the primary-key B-tree's inner pages in memory. */
    const char *pragmas = sync == SINK_SYNC_FULL
                              ? "PRAGMA synchronous = FULL; PRAGMA cache_size = -65536"
                              : "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536";
    if (sink__exec(self->db, pragmas, err) != 0)
        goto out_close_db;
    if (s_prepare_all(self, err) != 0)
        goto out_finalize;
    return self;

out_finalize:
    s_finalize_all(self);
out_close_db:
    core_err_prefix(err, "%s", path);
    sink__db_close(&self->db);
out_free_self:
    free(self);
    return NULL;
}

void sink_store_destroy(sink_store_t **self_p)
{
    core_assert(self_p != NULL);
    sink_store_t *self = *self_p;
    if (self == NULL)
        return;
    sink_store_rollback(self);
    s_finalize_all(self);
    sink__db_close(&self->db);
    core_buf_clear(&self->json_bare);
    core_buf_clear(&self->json_full);
    core_buf_clear(&self->last_watchlist);
    free(self);
    *self_p = NULL;
}

void sink_store_set_queued_fn(sink_store_t *self, sink_store_queued_fn fn, void *arg)
{
    core_assert(self != NULL);
    self->queued_fn = fn;
    self->queued_arg = arg;
}

/* Runs a statement that returns no rows and resets it. */
static int s_step_done(sink_store_t *self, sqlite3_stmt *stmt, const char *what, char *err)
{
    int rc = sqlite3_step(stmt);
    int result = rc == SQLITE_DONE ? 0 : sink__sql_fail(self->db, rc, what, err);
    sqlite3_reset(stmt);
    return result;
}

/* Binds a view as text; an empty view binds "" (a NULL pointer would bind SQL NULL). */
static void s_bind_str(sqlite3_stmt *stmt, int index, core_str_t s)
{
    sqlite3_bind_text(stmt, index, s.len ? s.ptr : "", (int)s.len, SQLITE_STATIC);
}

int sink_store_begin(sink_store_t *self, char *err)
{
    core_assert(self != NULL);
    core_assert(!self->in_transaction);
    int rc = s_step_done(self, self->begin, "begin", err);
    if (rc != 0)
        return rc;
    self->in_transaction = true;
    memset(&self->pending, 0, sizeof(self->pending));
    return 0;
}

void sink_store_rollback(sink_store_t *self)
{
    core_assert(self != NULL);
    if (!self->in_transaction)
        return;
    /* A failed COMMIT or an I/O error may already have ended the transaction. */
    if (!sqlite3_get_autocommit(self->db)) {
        sqlite3_step(self->rollback);
        sqlite3_reset(self->rollback);
    }
    self->in_transaction = false;
    core_buf_reset(&self->last_watchlist);
    memset(&self->pending, 0, sizeof(self->pending));
}

int sink_store_commit(sink_store_t *self, sink_store_counts_t *counts, char *err)
{
    core_assert(self != NULL);
    core_assert(self->in_transaction);
    int rc = s_step_done(self, self->commit, "commit", err);
    if (rc != 0) {
        sink_store_rollback(self);
        return rc;
    }
    self->in_transaction = false;
    if (counts) {
        counts->verdicts_stored += self->pending.verdicts_stored;
        counts->duplicates_ignored += self->pending.duplicates_ignored;
        counts->verdicts_red += self->pending.verdicts_red;
        counts->verdicts_yellow += self->pending.verdicts_yellow;
        counts->verdicts_green += self->pending.verdicts_green;
        counts->queue_added += self->pending.queue_added;
    }
    memset(&self->pending, 0, sizeof(self->pending));
    return 0;
}

static int s_add_watchlist(sink_store_t *self, const proto_verdict_batch_t *batch, int64_t now_ns,
                           char *err)
{
    core_str_t version = batch->watchlist_version;
    if (self->last_watchlist.len == version.len && version.len > 0 &&
        memcmp(self->last_watchlist.data, version.ptr, version.len) == 0)
        return 0;
    s_bind_str(self->insert_watchlist, 1, version);
    s_bind_str(self->insert_watchlist, 2, batch->watchlist_lists);
    sqlite3_bind_int64(self->insert_watchlist, 3, now_ns);
    int rc = s_step_done(self, self->insert_watchlist, "insert watchlist", err);
    if (rc != 0)
        return rc;
    core_buf_reset(&self->last_watchlist);
    core_buf_append(&self->last_watchlist, version.ptr, version.len);
    return 0;
}

/* The hits array of 'verdict' as proto_verdict_to_json writes it, in self->json_full at
 * [*start, *start + *len). */
static int s_hits_json(sink_store_t *self, const proto_verdict_t *verdict, core_str_t version,
                       size_t *start, size_t *len, char *err)
{
    core_buf_reset(&self->json_full);
    proto_verdict_to_json(verdict, version, &self->json_full);
    proto_verdict_t bare = *verdict;
    bare.hit_count = 0;
    bare.hits = NULL;
    core_buf_reset(&self->json_bare);
    proto_verdict_to_json(&bare, version, &self->json_bare);
    size_t head = 0;
    size_t tail = 0;
    if (sink__hits_split(self->json_bare.data, self->json_bare.len, self->json_full.data,
                         self->json_full.len, &head, &tail) != 0) {
        core_err_set(err, "parcel '%.*s': cannot find the hits array in proto's verdict JSON",
                     (int)verdict->parcel_id.len, verdict->parcel_id.ptr);
        return -EPROTO;
    }
    *start = head;
    *len = self->json_full.len - head - tail;
    return 0;
}

/* Admission rule of SPEC section 3: a hit that counts, or a random selection. */
static bool s_admits(const proto_verdict_t *verdict)
{
    if (verdict->selected_at_random)
        return true;
    for (uint32_t i = 0; i < verdict->hit_count; i++) {
        if (!verdict->hits[i].suppressed)
            return true;
    }
    return false;
}

static int s_add_queue_entry(sink_store_t *self, const proto_verdict_t *verdict, int64_t arrival,
                             int64_t now_ns, char *err)
{
    s_bind_str(self->insert_queue, 1, verdict->parcel_id);
    sqlite3_bind_int64(self->insert_queue, 2, verdict->risk_score);
    sqlite3_bind_int64(self->insert_queue, 3, arrival);
    sqlite3_bind_int64(self->insert_queue, 4, now_ns);
    int rc = s_step_done(self, self->insert_queue, "insert queue entry", err);
    if (rc != 0)
        return rc;

    bool only_random = true;
    for (uint32_t i = 0; i < verdict->hit_count && only_random; i++)
        only_random = verdict->hits[i].suppressed;
    s_bind_str(self->insert_event, 1, verdict->parcel_id);
    sqlite3_bind_int64(self->insert_event, 2, now_ns);
    if (only_random)
        sqlite3_bind_text(self->insert_event, 3, "selected at random", -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(self->insert_event, 3);
    rc = s_step_done(self, self->insert_event, "insert queue event", err);
    if (rc != 0)
        return rc;
    self->pending.queue_added++;
    if (self->queued_fn)
        self->queued_fn(verdict, self->queued_arg);
    return 0;
}

static int s_add_verdict(sink_store_t *self, const proto_verdict_batch_t *batch,
                         const proto_verdict_t *verdict, int64_t now_ns, char *err)
{
    sqlite3_stmt *stmt = self->insert_verdict;
    s_bind_str(stmt, 1, verdict->parcel_id);
    sqlite3_bind_int64(stmt, 2, (sqlite3_int64)batch->seq);
    sqlite3_bind_int64(stmt, 3, verdict->screened_at_ns);
    sqlite3_bind_int64(stmt, 4, now_ns);
    sqlite3_bind_int64(stmt, 5, verdict->risk_score);
    sqlite3_bind_text(stmt, 6, proto_channel_name(verdict->channel), -1, SQLITE_STATIC);
    s_bind_str(stmt, 7, batch->watchlist_version);
    sqlite3_bind_int(stmt, 8, verdict->selected_at_random ? 1 : 0);
    if (verdict->hit_count > 0) {
        size_t start = 0;
        size_t len = 0;
        int rc = s_hits_json(self, verdict, batch->watchlist_version, &start, &len, err);
        if (rc != 0)
            return rc;
        sqlite3_bind_text(stmt, 9, self->json_full.data + start, (int)len, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(stmt, 9);
    }
    int rc = s_step_done(self, stmt, "insert verdict", err);
    if (rc != 0)
        return rc;

    if (sqlite3_changes(self->db) == 0) {
        self->pending.duplicates_ignored++;
        return 0;
    }
    int64_t arrival = sqlite3_last_insert_rowid(self->db);
    self->pending.verdicts_stored++;
    switch (verdict->channel) {
    case PROTO_CHANNEL_RED:
        self->pending.verdicts_red++;
        break;
    case PROTO_CHANNEL_YELLOW:
        self->pending.verdicts_yellow++;
        break;
    case PROTO_CHANNEL_GREEN:
        self->pending.verdicts_green++;
        break;
    }
    if (s_admits(verdict))
        return s_add_queue_entry(self, verdict, arrival, now_ns, err);
    return 0;
}

int sink_store_add(sink_store_t *self, const proto_verdict_batch_t *batch, int64_t now_ns,
                   char *err)
{
    core_assert(self != NULL);
    core_assert(batch != NULL);
    core_assert(self->in_transaction);
    int rc = s_add_watchlist(self, batch, now_ns, err);
    for (uint32_t i = 0; rc == 0 && i < batch->count; i++)
        rc = s_add_verdict(self, batch, &batch->verdicts[i], now_ns, err);
    return rc;
}

int sink_store_put(sink_store_t *self, const proto_verdict_batch_t *batch, int64_t now_ns,
                   sink_store_counts_t *counts, char *err)
{
    int rc = sink_store_begin(self, err);
    if (rc != 0)
        return rc;
    rc = sink_store_add(self, batch, now_ns, err);
    if (rc != 0) {
        sink_store_rollback(self);
        return rc;
    }
    return sink_store_commit(self, counts, err);
}
