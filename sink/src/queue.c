/* queue.c -- the officers' queue: listing, claiming with leases, resolving, the transition log.
 *
 * DESIGN: the queue table keeps the stored state ('new', 'claimed', 'resolved'); an expired
 * lease is not written back by anyone, it is read as 'new' at query time (now_ns against
 * lease_until). So no sweeper process is needed and the log only ever holds transitions
 * somebody made. 'list new' merges two index-ordered scans (state 'new', and state 'claimed'
 * with an expired lease) under one ORDER BY, which SQLite runs as a merge of the two ordered
 * inputs rather than a sort of the whole queue.
 *
 * Each claim or resolution is one BEGIN IMMEDIATE transaction: read the entry, check the rule,
 * update it, append the transition. Holding the write lock from the read on means two officers
 * can never both see an entry as free and both take it. */
#include "sink/queue.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/str.h"
#include "internal.h"
#include "sink/allowlist.h"

#define QUEUE_MAX_OFFICER 64                                  /* bytes */
#define QUEUE_MAX_NOTE 4096                                   /* bytes */
#define QUEUE_MAX_LEASE_NS (366LL * 24 * 3600 * 1000000000LL) /* a year */
#define QUEUE_STR2(x) #x
#define QUEUE_STR(x) QUEUE_STR2(x) /* a number macro as SQL text */

/* Columns of every entry query, in the order s_entry_from_row reads them. */
#define ENTRY_COLUMNS                                                                              \
    "q.parcel_id, q.risk_score AS risk_score, coalesce(v.channel, ''), q.arrival AS arrival,"      \
    " q.state, coalesce(q.claimed_by, ''), coalesce(q.lease_until, 0),"                            \
    " coalesce(q.outcome, ''), coalesce(q.note, ''), q.updated_at"
#define ENTRY_FROM " FROM queue q LEFT JOIN verdicts v ON v.parcel_id = q.parcel_id"
#define ENTRY_ORDER " ORDER BY risk_score DESC, arrival ASC LIMIT :limit"

struct sink_queue {
    sqlite3 *db;                  /* the connection; owned */
    sqlite3_stmt *list[4];        /* by sink_queue_state_t: entries in that effective state */
    sqlite3_stmt *get;            /* one entry by parcel_id */
    sqlite3_stmt *history;        /* transitions of one parcel */
    sqlite3_stmt *verdict;        /* the verdict of one parcel */
    sqlite3_stmt *update_claim;   /* -> claimed */
    sqlite3_stmt *update_resolve; /* -> resolved */
    sqlite3_stmt *insert_event;   /* the transition log */
    sqlite3_stmt *insert_allow;   /* allow-list entries of a false_positive resolution */
    uint32_t allow_added;         /* entries the last resolution added */
    core_buf_t scratch;           /* verdict JSON work space */
};

static const char *const s_state_names[] = { "new", "claimed", "resolved", "all" };

static const char *const s_outcomes[] = {"released", "inspected_clear", "seized", "referred",
                                         "false_positive"};

const char *sink_queue_state_name(sink_queue_state_t state)
{
    core_assert((size_t)state < CORE_ARRAY_LEN(s_state_names));
    return s_state_names[state];
}

int sink_queue_state_parse(const char *text, sink_queue_state_t *out)
{
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_state_names); i++) {
        if (strcmp(text, s_state_names[i]) == 0) {
            *out = (sink_queue_state_t)i;
            return 0;
        }
    }
    return -EINVAL;
}

bool sink_queue_outcome_valid(const char *outcome)
{
    for (size_t i = 0; outcome && i < CORE_ARRAY_LEN(s_outcomes); i++) {
        if (strcmp(outcome, s_outcomes[i]) == 0)
            return true;
    }
    return false;
}

static bool s_officer_valid(const char *officer)
{
    size_t len = officer ? strlen(officer) : 0;
    if (len == 0 || len > QUEUE_MAX_OFFICER || !core_utf8_valid(officer, len))
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)officer[i];
        if (c < 0x20 || c == 0x7f)
            return false;
    }
    return true;
}

/* ============ Open and close ============ */

static int s_prepare_all(sink_queue_t *self, char *err)
{
    struct {
        sqlite3_stmt **stmt;
        const char *sql;
    } const statements[] = {
        { &self->list[SINK_QUEUE_NEW],
          "SELECT " ENTRY_COLUMNS ENTRY_FROM " WHERE q.state = 'new'"
          " UNION ALL"
          " SELECT " ENTRY_COLUMNS ENTRY_FROM
          " WHERE q.state = 'claimed' AND q.lease_until <= :now" ENTRY_ORDER },
        { &self->list[SINK_QUEUE_CLAIMED],
          "SELECT " ENTRY_COLUMNS ENTRY_FROM
          " WHERE q.state = 'claimed' AND q.lease_until > :now" ENTRY_ORDER },
        { &self->list[SINK_QUEUE_RESOLVED],
          "SELECT " ENTRY_COLUMNS ENTRY_FROM " WHERE q.state = 'resolved'" ENTRY_ORDER },
        { &self->list[SINK_QUEUE_ALL], "SELECT " ENTRY_COLUMNS ENTRY_FROM ENTRY_ORDER },
        { &self->get, "SELECT " ENTRY_COLUMNS ENTRY_FROM " WHERE q.parcel_id = ?1" },
        { &self->history,
          "SELECT id, at, who, coalesce(from_state, ''), to_state, coalesce(outcome, ''),"
          " coalesce(note, '') FROM queue_events WHERE parcel_id = ?1 ORDER BY id" },
        { &self->verdict, "SELECT " SINK__VERDICT_COLUMNS " FROM verdicts WHERE parcel_id = ?1" },
        { &self->update_claim,
          "UPDATE queue SET state = 'claimed', claimed_by = ?2, lease_until = ?3,"
          " updated_at = ?4 WHERE parcel_id = ?1" },
        { &self->update_resolve,
          "UPDATE queue SET state = 'resolved', outcome = ?2, note = ?3, lease_until = NULL,"
          " updated_at = ?4 WHERE parcel_id = ?1" },
        { &self->insert_event,
          "INSERT INTO queue_events (parcel_id, at, who, from_state, to_state, outcome, note)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)" },
        /* Every name hit of the verdict (party name + rule), see sink/allowlist.h. A hits
         * column that is not JSON (a file this program did not write) adds nothing. */
        { &self->insert_allow,
          "INSERT INTO allowlist (rule_id, name_key, added_by, added_at, parcel_id)"
          " SELECT DISTINCT h.value ->> '$.rule_id', h.value ->> '$.matched', ?2, ?3, ?1"
          " FROM verdicts v,"
          " json_each(CASE WHEN json_valid(v.hits) THEN v.hits ELSE '[]' END) h"
          " WHERE v.parcel_id = ?1 AND h.type = 'object'"
          " AND h.value ->> '$.kind' = 'name'"
          " AND json_type(h.value, '$.rule_id') = 'text'"
          " AND json_type(h.value, '$.matched') = 'text'"
          " AND length(CAST(h.value ->> '$.rule_id' AS BLOB))"
          " BETWEEN 1 AND " QUEUE_STR(SINK_ALLOWLIST_MAX_RULE_ID)
          " AND length(CAST(h.value ->> '$.matched' AS BLOB))"
          " BETWEEN 1 AND " QUEUE_STR(SINK_ALLOWLIST_MAX_NAME)
          " ON CONFLICT (rule_id, name_key) DO NOTHING" },
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(statements); i++) {
        int rc = sink__prepare(self->db, statements[i].sql, statements[i].stmt, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static void s_finalize_all(sink_queue_t *self)
{
    for (size_t i = 0; i < CORE_ARRAY_LEN(self->list); i++) {
        sqlite3_finalize(self->list[i]);
        self->list[i] = NULL;
    }
    sqlite3_stmt **all[] = { &self->get,          &self->history,        &self->verdict,
                             &self->update_claim, &self->update_resolve, &self->insert_event,
                             &self->insert_allow };
    for (size_t i = 0; i < CORE_ARRAY_LEN(all); i++) {
        sqlite3_finalize(*all[i]);
        *all[i] = NULL;
    }
}

sink_queue_t *sink_queue_open(const char *db_path, int busy_timeout_ms, char *err)
{
    core_assert(db_path != NULL);
    sink_queue_t *self = core_calloc(1, sizeof(*self));
    self->db = sink__db_open(db_path, SINK__OPEN_READWRITE, busy_timeout_ms, err);
    if (self->db == NULL)
        goto out_free_self;
    if (s_prepare_all(self, err) != 0)
        goto out_finalize;
    return self;

out_finalize:
    s_finalize_all(self);
    sink__db_close(&self->db);
out_free_self:
    free(self);
    return NULL;
}

void sink_queue_destroy(sink_queue_t **self_p)
{
    core_assert(self_p != NULL);
    sink_queue_t *self = *self_p;
    if (self == NULL)
        return;
    s_finalize_all(self);
    sink__db_close(&self->db);
    core_buf_clear(&self->scratch);
    free(self);
    *self_p = NULL;
}

/* ============ Reading ============ */

static const char *s_text(sqlite3_stmt *stmt, int col)
{
    const char *text = (const char *)sqlite3_column_text(stmt, col);
    return text ? text : "";
}

static void s_entry_from_row(sqlite3_stmt *stmt, int64_t now_ns, sink_queue_entry_t *entry)
{
    sink_queue_state_t stored = SINK_QUEUE_NEW;
    (void)sink_queue_state_parse(s_text(stmt, 4), &stored);
    *entry = (sink_queue_entry_t){
        .parcel_id = s_text(stmt, 0),
        .risk_score = (uint32_t)sqlite3_column_int(stmt, 1),
        .channel = s_text(stmt, 2),
        .arrival = sqlite3_column_int64(stmt, 3),
        .state = stored,
        .claimed_by = s_text(stmt, 5),
        .lease_until_ns = sqlite3_column_int64(stmt, 6),
        .outcome = s_text(stmt, 7),
        .note = s_text(stmt, 8),
        .updated_at_ns = sqlite3_column_int64(stmt, 9),
    };
    if (stored == SINK_QUEUE_CLAIMED && entry->lease_until_ns <= now_ns) {
        entry->state = SINK_QUEUE_NEW;
        entry->lease_expired = true;
    }
}

static void s_bind_named_int64(sqlite3_stmt *stmt, const char *name, int64_t value)
{
    int index = sqlite3_bind_parameter_index(stmt, name);
    if (index > 0)
        sqlite3_bind_int64(stmt, index, value);
}

/* Steps 'stmt' and calls fn on each row; resets the statement. */
static int s_walk_entries(sink_queue_t *self, sqlite3_stmt *stmt, int64_t now_ns,
                          sink_queue_entry_fn fn, void *arg, uint32_t *rows, char *err)
{
    int result = 0;
    int rc;
    *rows = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        sink_queue_entry_t entry;
        s_entry_from_row(stmt, now_ns, &entry);
        (*rows)++;
        result = fn(&entry, arg);
        if (result != 0)
            break;
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = sink__sql_fail(self->db, rc, "read queue", err);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

int sink_queue_list(sink_queue_t *self, sink_queue_state_t state, uint32_t limit, int64_t now_ns,
                    sink_queue_entry_fn fn, void *arg, char *err)
{
    core_assert(self != NULL);
    core_assert((size_t)state < CORE_ARRAY_LEN(self->list));
    core_assert(fn != NULL);
    sqlite3_stmt *stmt = self->list[state];
    s_bind_named_int64(stmt, ":now", now_ns);
    s_bind_named_int64(stmt, ":limit", limit ? (int64_t)limit : -1);
    uint32_t rows = 0;
    return s_walk_entries(self, stmt, now_ns, fn, arg, &rows, err);
}

int sink_queue_get(sink_queue_t *self, const char *parcel_id, int64_t now_ns,
                   sink_queue_entry_fn fn, void *arg, char *err)
{
    core_assert(self != NULL);
    core_assert(parcel_id != NULL);
    core_assert(fn != NULL);
    sqlite3_bind_text(self->get, 1, parcel_id, -1, SQLITE_STATIC);
    uint32_t rows = 0;
    int rc = s_walk_entries(self, self->get, now_ns, fn, arg, &rows, err);
    if (rc == 0 && rows == 0) {
        core_err_set(err, "parcel '%s' is not in the queue", parcel_id);
        return -ENOENT;
    }
    return rc;
}

int sink_queue_history(sink_queue_t *self, const char *parcel_id, sink_queue_event_fn fn, void *arg,
                       char *err)
{
    core_assert(self != NULL);
    core_assert(parcel_id != NULL);
    core_assert(fn != NULL);
    sqlite3_stmt *stmt = self->history;
    sqlite3_bind_text(stmt, 1, parcel_id, -1, SQLITE_STATIC);
    int result = 0;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        sink_queue_event_t event = {
            .id = sqlite3_column_int64(stmt, 0),
            .at_ns = sqlite3_column_int64(stmt, 1),
            .who = s_text(stmt, 2),
            .from_state = s_text(stmt, 3),
            .to_state = s_text(stmt, 4),
            .outcome = s_text(stmt, 5),
            .note = s_text(stmt, 6),
        };
        result = fn(&event, arg);
        if (result != 0)
            break;
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = sink__sql_fail(self->db, rc, "read queue history", err);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

int sink_queue_verdict_json(sink_queue_t *self, const char *parcel_id, core_buf_t *out, char *err)
{
    core_assert(self != NULL);
    core_assert(parcel_id != NULL);
    core_assert(out != NULL);
    sqlite3_stmt *stmt = self->verdict;
    sqlite3_bind_text(stmt, 1, parcel_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    int result;
    if (rc == SQLITE_ROW) {
        result = sink__verdict_json(stmt, out, &self->scratch, err);
    } else if (rc == SQLITE_DONE) {
        core_err_set(err, "no verdict for parcel '%s'", parcel_id);
        result = -ENOENT;
    } else {
        result = sink__sql_fail(self->db, rc, "read verdict", err);
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

/* ============ Transitions ============ */

/* The stored facts a transition decides on. */
typedef struct {
    core_buf_t parcel_id;                   /* the entry (copied: the row goes at reset) */
    sink_queue_state_t stored;              /* state column */
    char claimed_by[QUEUE_MAX_OFFICER + 1]; /* last claimant, "" if none */
    int64_t lease_until_ns;                 /* 0 when none */
    char outcome[32];                       /* once resolved */
} facts_t;

static int s_load_current(sink_queue_t *self, const char *parcel_id, int64_t now_ns, facts_t *cur,
                          char *err)
{
    sqlite3_stmt *stmt = parcel_id ? self->get : self->list[SINK_QUEUE_NEW];
    if (parcel_id) {
        sqlite3_bind_text(stmt, 1, parcel_id, -1, SQLITE_STATIC);
    } else {
        s_bind_named_int64(stmt, ":now", now_ns);
        s_bind_named_int64(stmt, ":limit", 1);
    }
    int rc = sqlite3_step(stmt);
    int result = 0;
    if (rc == SQLITE_ROW) {
        sink_queue_entry_t entry;
        s_entry_from_row(stmt, now_ns, &entry);
        core_buf_append_str(&cur->parcel_id, entry.parcel_id);
        (void)sink_queue_state_parse(s_text(stmt, 4), &cur->stored);
        snprintf(cur->claimed_by, sizeof(cur->claimed_by), "%s", entry.claimed_by);
        cur->lease_until_ns = entry.lease_until_ns;
        snprintf(cur->outcome, sizeof(cur->outcome), "%s", entry.outcome);
    } else if (rc == SQLITE_DONE) {
        if (parcel_id)
            core_err_set(err, "parcel '%s' is not in the queue", parcel_id);
        else
            core_err_set(err, "no unclaimed entry in the queue");
        result = -ENOENT;
    } else {
        result = sink__sql_fail(self->db, rc, "read queue entry", err);
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

static void s_bind_text_or_null(sqlite3_stmt *stmt, int index, const char *text)
{
    if (text && text[0])
        sqlite3_bind_text(stmt, index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, index);
}

static int s_step_done(sink_queue_t *self, sqlite3_stmt *stmt, const char *what, char *err)
{
    int rc = sqlite3_step(stmt);
    int result = rc == SQLITE_DONE ? 0 : sink__sql_fail(self->db, rc, what, err);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

static int s_log_event(sink_queue_t *self, const char *parcel_id, int64_t now_ns, const char *who,
                       sink_queue_state_t from, sink_queue_state_t to, const char *outcome,
                       const char *note, char *err)
{
    sqlite3_stmt *stmt = self->insert_event;
    sqlite3_bind_text(stmt, 1, parcel_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, now_ns);
    sqlite3_bind_text(stmt, 3, who, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, sink_queue_state_name(from), -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, sink_queue_state_name(to), -1, SQLITE_STATIC);
    s_bind_text_or_null(stmt, 6, outcome);
    s_bind_text_or_null(stmt, 7, note);
    return s_step_done(self, stmt, "record transition", err);
}

static int s_claim_locked(sink_queue_t *self, const char *parcel_id, const char *officer,
                          int64_t lease_ns, int64_t now_ns, facts_t *cur, char *err)
{
    int rc = s_load_current(self, parcel_id, now_ns, cur, err);
    if (rc != 0)
        return rc;
    const char *id = core_buf_cstr(&cur->parcel_id);
    char until[40];
    core_rfc3339(cur->lease_until_ns, until, sizeof(until));
    if (cur->stored == SINK_QUEUE_RESOLVED) {
        core_err_set(err, "parcel '%s' is already resolved (%s)", id, cur->outcome);
        return -EALREADY;
    }
    bool mine = strcmp(cur->claimed_by, officer) == 0;
    bool live = cur->stored == SINK_QUEUE_CLAIMED && cur->lease_until_ns > now_ns;
    if (live && !mine) {
        core_err_set(err, "parcel '%s' is claimed by %s until %s", id, cur->claimed_by, until);
        return -EBUSY;
    }
    char note[QUEUE_MAX_OFFICER + 64] = "";
    if (cur->stored == SINK_QUEUE_CLAIMED && mine)
        snprintf(note, sizeof(note), "lease renewed");
    else if (cur->stored == SINK_QUEUE_CLAIMED)
        snprintf(note, sizeof(note), "lease of %s expired at %s", cur->claimed_by, until);

    sqlite3_stmt *stmt = self->update_claim;
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, officer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, now_ns + lease_ns);
    sqlite3_bind_int64(stmt, 4, now_ns);
    rc = s_step_done(self, stmt, "claim", err);
    if (rc != 0)
        return rc;
    return s_log_event(self, id, now_ns, officer, cur->stored, SINK_QUEUE_CLAIMED, NULL, note, err);
}

/* Runs the body of a transition between BEGIN IMMEDIATE and COMMIT; rolls back on error. */
static int s_finish(sink_queue_t *self, int rc, char *err)
{
    if (rc == 0)
        rc = sink__exec(self->db, "COMMIT", err);
    if (rc != 0 && !sqlite3_get_autocommit(self->db))
        sqlite3_exec(self->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int sink_queue_claim(sink_queue_t *self, const char *parcel_id, const char *officer,
                     int64_t lease_ns, int64_t now_ns, core_buf_t *claimed, char *err)
{
    core_assert(self != NULL);
    if (!s_officer_valid(officer)) {
        core_err_set(err, "officer must be 1..%d bytes of printable UTF-8", QUEUE_MAX_OFFICER);
        return -EINVAL;
    }
    if (lease_ns < 0 || lease_ns > QUEUE_MAX_LEASE_NS) {
        core_err_set(err, "lease must be between 0 and 366 days");
        return -EINVAL;
    }
    int rc = sink__exec(self->db, "BEGIN IMMEDIATE", err);
    if (rc != 0)
        return rc;
    facts_t cur = { 0 };
    rc = s_finish(self, s_claim_locked(self, parcel_id, officer, lease_ns, now_ns, &cur, err), err);
    if (rc == 0 && claimed)
        core_buf_append(claimed, cur.parcel_id.data, cur.parcel_id.len);
    core_buf_clear(&cur.parcel_id);
    return rc;
}

static int s_resolve_locked(sink_queue_t *self, const char *parcel_id, const char *officer,
                            const char *outcome, const char *note, int64_t now_ns, char *err)
{
    facts_t cur = { 0 };
    int rc = s_load_current(self, parcel_id, now_ns, &cur, err);
    core_buf_clear(&cur.parcel_id);
    if (rc != 0)
        return rc;
    if (cur.stored == SINK_QUEUE_RESOLVED) {
        core_err_set(err, "parcel '%s' is already resolved (%s)", parcel_id, cur.outcome);
        return -EALREADY;
    }
    if (cur.stored == SINK_QUEUE_NEW) {
        core_err_set(err, "parcel '%s' is not claimed; claim it first", parcel_id);
        return -EPERM;
    }
    if (strcmp(cur.claimed_by, officer) != 0) {
        core_err_set(err, "parcel '%s' is claimed by %s, not %s", parcel_id, cur.claimed_by,
                     officer);
        return -EPERM;
    }
    sqlite3_stmt *stmt = self->update_resolve;
    sqlite3_bind_text(stmt, 1, parcel_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, outcome, -1, SQLITE_STATIC);
    s_bind_text_or_null(stmt, 3, note);
    sqlite3_bind_int64(stmt, 4, now_ns);
    rc = s_step_done(self, stmt, "resolve", err);
    if (rc != 0)
        return rc;
    if (strcmp(outcome, "false_positive") == 0) {
        /* Same transaction: the resolution and its allow-list entries commit together. */
        stmt = self->insert_allow;
        sqlite3_bind_text(stmt, 1, parcel_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, officer, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 3, now_ns);
        rc = s_step_done(self, stmt, "add allow-list entries", err);
        if (rc != 0)
            return rc;
        self->allow_added = (uint32_t)sqlite3_changes(self->db);
    }
    return s_log_event(self, parcel_id, now_ns, officer, SINK_QUEUE_CLAIMED, SINK_QUEUE_RESOLVED,
                       outcome, note, err);
}

int sink_queue_resolve(sink_queue_t *self, const char *parcel_id, const char *officer,
                       const char *outcome, const char *note, int64_t now_ns, char *err)
{
    core_assert(self != NULL);
    core_assert(parcel_id != NULL);
    if (!sink_queue_outcome_valid(outcome)) {
        core_err_set(err,
                     "outcome '%s' is not released|inspected_clear|seized|referred|false_positive",
                     outcome ? outcome : "");
        return -EINVAL;
    }
    if (!s_officer_valid(officer)) {
        core_err_set(err, "officer must be 1..%d bytes of printable UTF-8", QUEUE_MAX_OFFICER);
        return -EINVAL;
    }
    if (note && (strlen(note) > QUEUE_MAX_NOTE || !core_utf8_valid(note, strlen(note)))) {
        core_err_set(err, "note must be at most %d bytes of UTF-8", QUEUE_MAX_NOTE);
        return -EINVAL;
    }
    self->allow_added = 0;
    int rc = sink__exec(self->db, "BEGIN IMMEDIATE", err);
    if (rc != 0)
        return rc;
    rc = s_finish(self, s_resolve_locked(self, parcel_id, officer, outcome, note, now_ns, err),
                  err);
    if (rc != 0)
        self->allow_added = 0;
    return rc;
}

uint32_t sink_queue_allowlist_added(const sink_queue_t *self)
{
    core_assert(self != NULL);
    return self->allow_added;
}
