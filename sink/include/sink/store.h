/* store.h -- the sink's durable verdict store (SQLite, WAL) and queue admission.
 *
 * One writer: the sink stage. Verdicts go in by VERDICT_BATCH inside an explicit transaction
 * (sink_store_begin, sink_store_add per batch, sink_store_commit), so many batches share one
 * fsync and nothing is acknowledged before it is durable. Storing is idempotent per parcel_id:
 * a verdict whose parcel is already stored is counted as a duplicate and changes nothing (a
 * batch re-sent by ingest after a lost ACK is harmless).
 *
 * Queue admission: a newly stored verdict with at least one hit that is not suppressed, or one
 * selected at random, becomes a 'new' entry of the officers' queue (see queue.h) with a
 * 'created' transition by "sink".
 *
 * Not thread-safe: one owner thread. Other processes (the officers' CLI, export) may read and
 * claim concurrently; they wait on SQLite's lock up to the busy timeout. */
#ifndef SINK_STORE_H
#define SINK_STORE_H

#include "core/core.h"
#include "proto/verdict.h"

typedef struct sink_store sink_store_t;

/* PRAGMA synchronous for the writer. FULL (default): a commit survives power loss. NORMAL:
 * survives a crash of the sink, a power loss may drop the last commits (never corrupts). */
typedef enum {
    SINK_SYNC_NORMAL = 1,
    SINK_SYNC_FULL = 2,
} sink_sync_t;

/* Parses "normal" or "full". Returns 0 or -EINVAL. */
int sink_sync_parse(const char *text, sink_sync_t *out);

/* What committed transactions did; sink_store_commit adds to a caller's copy. */
typedef struct {
    uint64_t verdicts_stored;    /* new verdict rows */
    uint64_t duplicates_ignored; /* verdicts whose parcel_id was already stored */
    uint64_t verdicts_red;       /* stored verdicts per channel */
    uint64_t verdicts_yellow;
    uint64_t verdicts_green;
    uint64_t queue_added; /* new officers' queue entries */
} sink_store_counts_t;

/* Called inside sink_store_add for each verdict that became a new queue entry. The verdict is
 * borrowed for the call. The entry is not durable until sink_store_commit succeeds: a caller
 * that publishes entries keeps them until then and drops them on rollback. */
typedef void (*sink_store_queued_fn)(const proto_verdict_t *verdict, void *arg);

/* Opens (creating if needed) the database at 'path' in WAL mode with the given synchronous
 * level and busy timeout, migrating its schema to the current version. Returns NULL with a
 * reason in err. */
sink_store_t *sink_store_open(const char *path, sink_sync_t sync, int busy_timeout_ms, char *err);

/* Closes the database (rolling back an open transaction) and sets *self_p to NULL; no-op when
 * *self_p is NULL. */
void sink_store_destroy(sink_store_t **self_p);

/* Sets the queue-admission callback (NULL to clear). */
void sink_store_set_queued_fn(sink_store_t *self, sink_store_queued_fn fn, void *arg);

/* Starts a write transaction (BEGIN IMMEDIATE). Asserts that none is open. Returns 0 or a
 * negative errno with a reason in err (-EBUSY: another writer held the lock past the busy
 * timeout). */
int sink_store_begin(sink_store_t *self, char *err);

/* Stores every verdict of 'batch' in the open transaction, with stored_at = now_ns, and
 * records the batch's watchlist version. Allocates nothing per verdict in steady state.
 * Returns 0, or a negative errno with a reason in err; after an error the caller must
 * sink_store_rollback. */
int sink_store_add(sink_store_t *self, const proto_verdict_batch_t *batch, int64_t now_ns,
                   char *err);

/* Commits the open transaction and, on success, adds its counts to *counts (may be NULL).
 * Returns 0, or a negative errno with a reason in err; the transaction is then rolled back and
 * nothing of it is durable. */
int sink_store_commit(sink_store_t *self, sink_store_counts_t *counts, char *err);

/* Rolls back the open transaction, if any. */
void sink_store_rollback(sink_store_t *self);

/* Convenience for tools and tests: begin, add one batch, commit. */
int sink_store_put(sink_store_t *self, const proto_verdict_batch_t *batch, int64_t now_ns,
                   sink_store_counts_t *counts, char *err);

#endif
