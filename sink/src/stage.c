/* stage.c -- the sink stage: VERDICT_BATCH in, COMMIT, then ACK and queue.new out.
 *
 * DESIGN: one thread does everything, in this order per group:
 *   1. wait (zmq_poll) for a message on the verdicts PULL socket;
 *   2. open a transaction and store that batch, then keep taking batches that are already
 *      queued (non-blocking) until none is waiting, END arrives, or the group holds
 *      --commit-max-verdicts verdicts: under load one fsync covers many batches, when idle a
 *      batch is committed alone at once;
 *   3. COMMIT; only then send one ACK per batch and publish the group's new queue entries.
 * A group whose transaction fails (disk full, I/O error, lock held past --busy-timeout-ms) is
 * rolled back and not acknowledged; its frames are kept (the group buffer, bounded by the group
 * limits) and stored again after a back-off of 100 ms doubling to 5 s, until it commits. While
 * retrying the stage reads no new verdicts, so ZeroMQ's high-water marks push back on screen;
 * STATS and signals are still served. END is acknowledged to ingest (ACK seq 0) once committed
 * with everything before it.
 * A bad message (not ours, undecodable batch) is logged and counted, never acknowledged.
 *
 * The counters are those of the current run: they start at zero, go out with each STATS, go
 * out once more with final = true when END has been committed, and start again at zero.
 *
 * Rejected: a writer thread behind an inproc queue. SQLite has one writer anyway, the commit
 * is the point where the loop must wait before acknowledging, and group commit already
 * amortises the fsync; a second thread would add a hand-off without adding throughput. */
#include "sink/sink.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/signals.h"
#include "proto/control.h"
#include "proto/endpoints.h"
#include "proto/socket.h"
#include "proto/verdict.h"
#include "sink/store.h"

#include "internal.h"

#define STAGE_GROUP_MAX_BATCHES 256 /* batches per transaction, whatever their size */
#define STAGE_POLL_MAX_MS 100       /* longest wait before looking at signals again */
#define STAGE_VERDICTS_HWM 64       /* batches queued in from screen */
#define STAGE_ACKS_HWM 4096         /* ACKs queued out to ingest before they are dropped */
#define STAGE_QUEUE_PUB_HWM 10000   /* queue.new messages per subscriber, then dropped */
#define STAGE_STATS_HWM 16          /* STATS messages queued to the controller */
#define STAGE_LINGER_MS 2000        /* time to deliver the last ACKs and STATS at exit */
#define STAGE_PUB_MAX_HITS 8        /* hits listed in a queue.new message */
#define STAGE_QUEUE_TOPIC "queue.new"
#define STAGE_RETRY_MIN_MS 100  /* first back-off after a failed transaction */
#define STAGE_RETRY_MAX_MS 5000 /* longest back-off */

typedef struct {
    char *db;                 /* SQLite file */
    char *verdicts;           /* PULL endpoint */
    char *acks;               /* PUSH endpoint */
    char *queue_pub;          /* PUB endpoint, "" = none */
    char *stats;              /* PUSH endpoint, NULL = none */
    long stats_interval_ms;   /* STATS period */
    bool once;                /* exit after END */
    char *log_level;          /* error|warn|info|debug */
    char *sync;               /* full|normal */
    long busy_timeout_ms;     /* wait for the officers' CLI write lock */
    long commit_max_verdicts; /* close a group at this many verdicts */
    char *latency_log;        /* per-batch latency lines, "" = none */
} stage_config_t;

/* One table row; clang-format would spread the braces over four lines. */
#define OPT(key, type, def, min, max, field, help)                                                 \
    {                                                                                              \
        key, type, def, min, max, offsetof(stage_config_t, field), help                            \
    }

static const core_config_opt_t s_opts[] = {
    OPT("db", CORE_CONFIG_STR, NULL, 0, 0, db,
        "SQLite database file, created if missing (required)"),
    OPT("verdicts", CORE_CONFIG_STR, "@" PROTO_ENDPOINT_VERDICTS, 0, 0, verdicts,
        "PULL endpoint for VERDICT_BATCH and END from screen"),
    OPT("acks", CORE_CONFIG_STR, ">" PROTO_ENDPOINT_ACKS, 0, 0, acks,
        "PUSH endpoint for ACK to ingest, sent after each commit"),
    OPT("queue-pub", CORE_CONFIG_STR, "@" PROTO_ENDPOINT_QUEUE_PUB, 0, 0, queue_pub,
        "PUB endpoint for new queue entries (topic queue.new); empty disables"),
    OPT("stats", CORE_CONFIG_STR, NULL, 0, 0, stats, "PUSH endpoint for STATS (optional)"),
    OPT("stats-interval-ms", CORE_CONFIG_INT, "1000", 10, 3600000, stats_interval_ms,
        "period of STATS messages"),
    OPT("once", CORE_CONFIG_BOOL, "false", 0, 0, once, "exit 0 once END has been committed"),
    OPT("log-level", CORE_CONFIG_STR, "info", 0, 0, log_level, "error|warn|info|debug"),
    OPT("sync", CORE_CONFIG_STR, "full", 0, 0, sync,
        "SQLite synchronous: full survives power loss, normal only a crash of the sink"),
    OPT("busy-timeout-ms", CORE_CONFIG_INT, "10000", 0, 600000, busy_timeout_ms,
        "how long a commit waits for an officer's claim to finish"),
    OPT("commit-max-verdicts", CORE_CONFIG_INT, "16384", 1, 1000000, commit_max_verdicts,
        "close a transaction once it holds this many verdicts"),
    OPT("latency-log", CORE_CONFIG_STR, "", 0, 0, latency_log,
        "append 'seq parcels ingest_ns commit_ns' per committed batch (benchmarks; empty: none)"),
};

static const core_config_table_t s_table = {
    .name = "sink",
    .usage = "--db PATH [options]",
    .summary = "Stores every verdict from screen in SQLite (idempotent per parcel_id), "
               "acknowledges each batch to ingest after its transaction commits, and keeps the "
               "officers' queue of verdicts with hits.",
    .opts = s_opts,
    .count = CORE_ARRAY_LEN(s_opts),
};

/* Counters of one run (see DESIGN). */
typedef struct {
    sink_store_counts_t store;  /* committed verdicts, duplicates, channels, queue entries */
    uint64_t batches_committed; /* VERDICT_BATCH messages made durable */
    uint64_t batches_invalid;   /* VERDICT_BATCH messages that did not decode */
    uint64_t messages_invalid;  /* frames not ours, or of a type the sink does not take */
    uint64_t acks_sent;         /* ACKs handed to ZeroMQ */
    uint64_t acks_dropped;      /* ACKs not sent (ingest's pipe full): ingest re-sends */
    uint64_t queue_published;   /* queue.new messages sent */
    uint64_t latency_ms_max;    /* worst ingest-read to commit time of a batch */
    uint64_t commit_failures;   /* transactions that failed and were retried */
} run_counters_t;

typedef struct {
    stage_config_t cfg;                                 /* parsed options */
    void *ctx;                                          /* ZeroMQ context */
    void *verdicts;                                     /* PULL */
    void *acks;                                         /* PUSH */
    void *queue_pub;                                    /* PUB, NULL when disabled */
    void *stats;                                        /* PUSH, NULL when disabled */
    sink_store_t *store;                                /* the database */
    core_arena_t arena;                                 /* decoded batch arrays, reset per batch */
    zmq_msg_t msg;                                      /* the message being handled */
    proto_ack_t pending_acks[STAGE_GROUP_MAX_BATCHES];  /* ACKs of the open group */
    int64_t pending_ingest_ns[STAGE_GROUP_MAX_BATCHES]; /* their batches' ingest times */
    size_t pending_count;                               /* entries in the two arrays */
    core_buf_t pub_lines;                               /* JSON of the group's new queue entries */
    core_buf_t pub_ends;                                /* size_t end offsets into pub_lines */
    core_buf_t out;                                     /* encoding scratch */
    run_counters_t run;                                 /* this run's counters */
    int64_t next_stats_ns;                              /* monotonic time of the next STATS */
    bool end_seen;                                      /* END committed, not yet reported */
    FILE *latency_log;                                  /* --latency-log, NULL when off */
    proto_end_t end;                                    /* what ingest said about the run */
    core_buf_t group;    /* the open group's VERDICT_BATCH frames, [u32 len][bytes] each */
    bool retrying;       /* the group failed: store it again at retry_at_ns */
    int64_t retry_at_ns; /* monotonic */
    long backoff_ms;     /* current back-off */
    uint32_t attempts;   /* failed attempts of the group */
} stage_t;

/* ============ Queue entries and counters out ============ */

static void s_append_view(core_buf_t *buf, const char *key, core_str_t value)
{
    core_buf_printf(buf, "\"%s\":", key);
    core_buf_append_json_str(buf, value.ptr ? value.ptr : "", value.len);
}

/* sink_store_queued_fn: formats the queue.new JSON now, sends it after COMMIT. */
static void s_on_queued(const proto_verdict_t *v, void *arg)
{
    stage_t *s = arg;
    core_buf_t *b = &s->pub_lines;
    char when[40];
    core_rfc3339(v->screened_at_ns, when, sizeof(when));
    core_buf_append_byte(b, '{');
    s_append_view(b, "parcel_id", v->parcel_id);
    core_buf_printf(b,
                    ",\"risk_score\":%u,\"channel\":\"%s\",\"selected_at_random\":%s,"
                    "\"screened_at\":\"%s\",\"hit_count\":%u,\"hits\":[",
                    v->risk_score, proto_channel_name(v->channel),
                    v->selected_at_random ? "true" : "false", when, v->hit_count);
    uint32_t listed = 0;
    for (uint32_t i = 0; i < v->hit_count && listed < STAGE_PUB_MAX_HITS; i++) {
        const proto_hit_t *h = &v->hits[i];
        if (h->suppressed)
            continue;
        core_buf_append_str(b, listed++ ? ",{" : "{");
        s_append_view(b, "rule_id", h->rule_id);
        core_buf_append_byte(b, ',');
        s_append_view(b, "list", h->list);
        core_buf_append_byte(b, ',');
        s_append_view(b, "field", h->field);
        core_buf_printf(b, ",\"weight\":%u}", h->weight);
    }
    core_buf_append_str(b, "]}");
    size_t end = b->len;
    core_buf_append(&s->pub_ends, &end, sizeof(end));
}

static void s_publish_pending(stage_t *s)
{
    size_t count = s->pub_ends.len / sizeof(size_t);
    size_t start = 0;
    for (size_t i = 0; i < count; i++) {
        size_t end;
        memcpy(&end, s->pub_ends.data + i * sizeof(size_t), sizeof(end));
        /* PUB never blocks: at the high-water mark a slow subscriber loses messages. */
        if (s->queue_pub &&
            zmq_send(s->queue_pub, STAGE_QUEUE_TOPIC, strlen(STAGE_QUEUE_TOPIC),
                     ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0 &&
            zmq_send(s->queue_pub, s->pub_lines.data + start, end - start, ZMQ_DONTWAIT) >= 0)
            s->run.queue_published++;
        start = end;
    }
    core_buf_reset(&s->pub_lines);
    core_buf_reset(&s->pub_ends);
}

static void s_send_stats(stage_t *s, bool final)
{
    if (s->stats == NULL)
        return;
    const run_counters_t *r = &s->run;
    proto_stats_t stats;
    proto_stats_init(&stats, "sink", final);
    proto_stats_set(&stats, "verdicts_stored", r->store.verdicts_stored);
    proto_stats_set(&stats, "duplicates_ignored", r->store.duplicates_ignored);
    proto_stats_set(&stats, "verdicts_red", r->store.verdicts_red);
    proto_stats_set(&stats, "verdicts_yellow", r->store.verdicts_yellow);
    proto_stats_set(&stats, "verdicts_green", r->store.verdicts_green);
    proto_stats_set(&stats, "queue_added", r->store.queue_added);
    proto_stats_set(&stats, "batches_committed", r->batches_committed);
    proto_stats_set(&stats, "batches_invalid", r->batches_invalid);
    proto_stats_set(&stats, "messages_invalid", r->messages_invalid);
    proto_stats_set(&stats, "acks_sent", r->acks_sent);
    proto_stats_set(&stats, "acks_dropped", r->acks_dropped);
    proto_stats_set(&stats, "queue_published", r->queue_published);
    proto_stats_set(&stats, "latency_ms_max", r->latency_ms_max);
    proto_stats_set(&stats, "commit_failures", r->commit_failures);
    uint64_t mem_allocated = 0;
    uint64_t mem_resident = 0;
    if (final && core_mem_stats(&mem_allocated, &mem_resident) == 0) {
        proto_stats_set(&stats, "mem_allocated", mem_allocated);
        proto_stats_set(&stats, "mem_resident", mem_resident);
    }
    core_buf_reset(&s->out);
    proto_stats_encode(&stats, &s->out);
    int rc = proto_socket_send(s->stats, &s->out, ZMQ_DONTWAIT);
    if (rc != 0)
        core_log(CORE_LOG_WARN, "STATS not sent: %s", zmq_strerror(-rc));
}

/* ============ One group: receive, store, commit, acknowledge ============ */

/* Handles one VERDICT_BATCH inside the group. Returns 0 (stored, or bad and skipped) or a
 * negative errno when the store failed (the group must be rolled back). */
static int s_take_batch(stage_t *s, const void *data, size_t len, bool *open, size_t *verdicts,
                        bool replay, char *why)
{
    char err[CORE_ERR_LEN] = "";
    proto_verdict_batch_t batch;
    core_arena_reset(&s->arena);
    if (proto_verdict_batch_decode(data, len, &batch, &s->arena, err) != 0) {
        s->run.batches_invalid++;
        core_log(CORE_LOG_WARN, "bad VERDICT_BATCH (%zu bytes) dropped, not acknowledged: %s", len,
                 err);
        return 0;
    }
    if (!replay) { /* kept until the group commits, to store it again if it fails */
        uint32_t n = (uint32_t)len;
        core_buf_append(&s->group, &n, sizeof(n));
        core_buf_append(&s->group, data, len);
    }
    if (!*open) {
        int rc = sink_store_begin(s->store, err);
        if (rc != 0) {
            core_err_set(why, "cannot start a transaction: %s", err);
            return rc;
        }
        *open = true;
    }
    int rc = sink_store_add(s->store, &batch, core_wall_ns(), err);
    if (rc != 0) {
        core_err_set(why, "storing batch %llu failed: %s", (unsigned long long)batch.seq, err);
        return rc;
    }
    s->pending_acks[s->pending_count] = (proto_ack_t){.seq = batch.seq, .parcels = batch.count};
    s->pending_ingest_ns[s->pending_count] = batch.ingest_ns;
    s->pending_count++;
    *verdicts += batch.count;
    return 0;
}

static void s_take_end(stage_t *s, const void *data, size_t len)
{
    char err[CORE_ERR_LEN] = "";
    proto_end_t end;
    if (proto_end_decode(data, len, &end, err) != 0) {
        s->run.messages_invalid++;
        core_log(CORE_LOG_WARN, "bad END dropped: %s", err);
        return;
    }
    s->end = end;
    s->end_seen = true;
}

/* Sends one ACK (seq 0: END). Never blocks on ingest: a dropped ACK costs a re-send, a
 * blocked sink costs the whole pipeline. */
static void s_send_ack(stage_t *s, const proto_ack_t *ack)
{
    core_buf_reset(&s->out);
    proto_ack_encode(ack, &s->out);
    int rc = proto_socket_send(s->acks, &s->out, ZMQ_DONTWAIT);
    if (rc == 0) {
        s->run.acks_sent++;
        return;
    }
    s->run.acks_dropped++;
    if (ack->seq == 0)
        core_log(CORE_LOG_WARN, "ACK for END not sent (%s); ingest will re-send END",
                 zmq_strerror(-rc));
    else
        core_log(CORE_LOG_WARN, "ACK for batch %llu not sent (%s); ingest will re-send it",
                 (unsigned long long)ack->seq, zmq_strerror(-rc));
}

static void s_acknowledge(stage_t *s)
{
    int64_t now = core_wall_ns();
    for (size_t i = 0; i < s->pending_count; i++) {
        s_send_ack(s, &s->pending_acks[i]);
        int64_t ingest_ns = s->pending_ingest_ns[i];
        if (s->latency_log)
            fprintf(s->latency_log, "%llu %u %lld %lld\n",
                    (unsigned long long)s->pending_acks[i].seq, s->pending_acks[i].parcels,
                    (long long)ingest_ns, (long long)now);
        if (ingest_ns > 0 && now > ingest_ns) {
            uint64_t ms = (uint64_t)(now - ingest_ns) / 1000000u;
            if (ms > s->run.latency_ms_max)
                s->run.latency_ms_max = ms;
        }
    }
}

/* Ends a group: commits it and acknowledges, or (rc != 0, or COMMIT fails) rolls it back,
 * counts the failure and schedules a retry of the kept frames. */
static void s_group_finish(stage_t *s, bool open, int rc, char *err)
{
    if (rc == 0 && open) {
        char why[CORE_ERR_LEN];
        rc = sink_store_commit(s->store, &s->run.store, why);
        if (rc != 0)
            core_err_set(err, "COMMIT failed: %s", why);
    }
    if (rc != 0) {
        sink_store_rollback(s->store);
        core_buf_reset(&s->pub_lines);
        core_buf_reset(&s->pub_ends);
        s->run.commit_failures++;
        s->attempts++;
        s->backoff_ms = s->backoff_ms <= 0 ? STAGE_RETRY_MIN_MS : s->backoff_ms * 2;
        if (s->backoff_ms > STAGE_RETRY_MAX_MS)
            s->backoff_ms = STAGE_RETRY_MAX_MS;
        core_log(CORE_LOG_WARN,
                 "transaction failed (%s): group of %zu batches rolled back, not acknowledged; "
                 "attempt %u, retrying in %ld ms",
                 err[0] ? err : strerror(-rc), s->pending_count, s->attempts, s->backoff_ms);
        s->retrying = true;
        s->retry_at_ns = core_mono_ns() + s->backoff_ms * 1000000LL;
        return;
    }
    if (s->attempts > 0)
        core_log(CORE_LOG_INFO, "group committed after %u failed attempts", s->attempts);
    s->attempts = 0;
    s->backoff_ms = 0;
    core_buf_reset(&s->group);
    if (!open)
        return;
    s->run.batches_committed += s->pending_count;
    s_acknowledge(s);
    s_publish_pending(s);
}

/* Takes every message that is waiting (at least the one poll saw), stores the batches in one
 * transaction, commits, then acknowledges and publishes. A failed transaction is rolled back
 * and scheduled for a retry (s_group_finish). */
static void s_group(stage_t *s)
{
    char err[CORE_ERR_LEN] = "";
    bool open = false;
    size_t verdicts = 0;
    int rc = 0;
    s->pending_count = 0;
    core_buf_reset(&s->group);
    while (rc == 0 && !s->end_seen && s->pending_count < STAGE_GROUP_MAX_BATCHES &&
           verdicts < (size_t)s->cfg.commit_max_verdicts) {
        if (zmq_msg_recv(&s->msg, s->verdicts, ZMQ_DONTWAIT) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            if (zmq_errno() != EAGAIN)
                core_log(CORE_LOG_WARN, "receive: %s", zmq_strerror(zmq_errno()));
            break;
        }
        const void *data = zmq_msg_data(&s->msg);
        size_t len = zmq_msg_size(&s->msg);
        proto_msg_type_t type;
        if (zmq_msg_more(&s->msg) || proto_msg_type(data, len, &type, err) != 0) {
            s->run.messages_invalid++;
            core_log(CORE_LOG_WARN, "message of %zu bytes dropped: %s", len,
                     err[0] ? err : "multipart frame");
            err[0] = '\0';
            continue;
        }
        switch (type) {
        case PROTO_MSG_VERDICT_BATCH:
            rc = s_take_batch(s, data, len, &open, &verdicts, false, err);
            break;
        case PROTO_MSG_END:
            s_take_end(s, data, len);
            break;
        default:
            s->run.messages_invalid++;
            core_log(CORE_LOG_WARN, "unexpected message type %d dropped", (int)type);
            break;
        }
    }
    core_arena_reset(&s->arena);
    s_group_finish(s, open, rc, err);
}

/* Stores the kept group again (after a failure). */
static void s_retry(stage_t *s)
{
    char err[CORE_ERR_LEN] = "";
    bool open = false;
    size_t verdicts = 0;
    int rc = 0;
    s->pending_count = 0;
    s->retrying = false;
    for (size_t at = 0; rc == 0 && at + sizeof(uint32_t) <= s->group.len;) {
        uint32_t n;
        memcpy(&n, s->group.data + at, sizeof(n));
        at += sizeof(n);
        rc = s_take_batch(s, s->group.data + at, n, &open, &verdicts, true, err);
        at += n;
    }
    core_arena_reset(&s->arena);
    s_group_finish(s, open, rc, err);
}

/* END has been committed with everything before it: report the run and start a new one. */
static void s_finish_run(stage_t *s)
{
    const run_counters_t *r = &s->run;
    core_log(CORE_LOG_INFO,
             "END: ingest read %llu records (%llu rejected), sent %llu parcels in %llu batches; "
             "sink stored %llu verdicts (%llu duplicates ignored), %llu queue entries",
             (unsigned long long)s->end.records_read, (unsigned long long)s->end.records_rejected,
             (unsigned long long)s->end.parcels_sent, (unsigned long long)s->end.batches_sent,
             (unsigned long long)r->store.verdicts_stored,
             (unsigned long long)r->store.duplicates_ignored,
             (unsigned long long)r->store.queue_added);
    /* Tell ingest that END (and so the whole run) is durable: ACK seq 0. */
    s_send_ack(s, &(proto_ack_t){.seq = 0, .parcels = 0});
    s_send_stats(s, true);
    memset(&s->run, 0, sizeof(s->run));
    s->end_seen = false;
}

static int s_loop(stage_t *s)
{
    int64_t interval_ns = s->cfg.stats_interval_ms * 1000000LL;
    s->next_stats_ns = core_mono_ns() + interval_ns;
    while (!core_signals_stop_requested()) {
        int64_t wait_ms = (s->next_stats_ns - core_mono_ns()) / 1000000LL;
        if (wait_ms < 0)
            wait_ms = 0;
        if (wait_ms > STAGE_POLL_MAX_MS)
            wait_ms = STAGE_POLL_MAX_MS;
        if (s->retrying) {
            /* No new verdicts while the failed group waits: back-pressure to screen. */
            int64_t until_ms = (s->retry_at_ns - core_mono_ns()) / 1000000LL;
            if (until_ms < wait_ms)
                wait_ms = until_ms < 0 ? 0 : until_ms;
        }
        zmq_pollitem_t item = {.socket = s->verdicts, .events = ZMQ_POLLIN};
        int ready = zmq_poll(&item, s->retrying ? 0 : 1, (long)wait_ms);
        if (ready < 0 && zmq_errno() != EINTR) {
            core_log(CORE_LOG_ERROR, "poll: %s", zmq_strerror(zmq_errno()));
            return 1;
        }
        if (s->retrying) {
            if (core_mono_ns() >= s->retry_at_ns)
                s_retry(s);
        } else if (ready > 0) {
            s_group(s);
        }
        if (s->end_seen && !s->retrying) {
            s_finish_run(s);
            if (s->cfg.once)
                return 0;
        }
        if (core_mono_ns() >= s->next_stats_ns) {
            s_send_stats(s, false);
            s->next_stats_ns = core_mono_ns() + interval_ns;
        }
    }
    if (s->retrying)
        core_log(CORE_LOG_WARN, "stop requested while a failed group waits for its retry: its "
                                "batches were not acknowledged (ingest re-sends them)");
    else
        core_log(CORE_LOG_INFO, "stop requested: last group committed, exiting");
    s_send_stats(s, false);
    return 0;
}

/* ============ Start-up and shutdown ============ */

/* True when this stage bound 'endpoints' (so an ipc file there is ours to remove). */
static bool s_bound(const void *sock, const char *endpoints)
{
    return sock != NULL && endpoints != NULL && endpoints[0] != '>';
}

static void s_close(stage_t *s)
{
    bool unlink_verdicts = s_bound(s->verdicts, s->cfg.verdicts);
    bool unlink_queue_pub = s_bound(s->queue_pub, s->cfg.queue_pub);
    proto_socket_close(&s->verdicts);
    proto_socket_close(&s->acks);
    proto_socket_close(&s->queue_pub);
    proto_socket_close(&s->stats);
    if (s->ctx) {
        zmq_ctx_term(s->ctx);
        s->ctx = NULL;
    }
    if (unlink_verdicts)
        proto_socket_unlink_ipc(s->cfg.verdicts);
    if (unlink_queue_pub)
        proto_socket_unlink_ipc(s->cfg.queue_pub);
    sink_store_destroy(&s->store);
    if (s->latency_log) {
        fclose(s->latency_log);
        s->latency_log = NULL;
    }
    zmq_msg_close(&s->msg);
    core_arena_clear(&s->arena);
    core_buf_clear(&s->pub_lines);
    core_buf_clear(&s->pub_ends);
    core_buf_clear(&s->out);
    core_buf_clear(&s->group);
}

static int s_open_sockets(stage_t *s, char *err)
{
    s->ctx = zmq_ctx_new();
    if (s->ctx == NULL) {
        core_err_set(err, "zmq_ctx_new: %s", zmq_strerror(zmq_errno()));
        return -ENOMEM;
    }
    /* Bind what others connect to before anything can arrive. */
    if (s->cfg.queue_pub[0]) {
        s->queue_pub =
            proto_socket_new(s->ctx, ZMQ_PUB, s->cfg.queue_pub, true, STAGE_QUEUE_PUB_HWM, 0, err);
        if (s->queue_pub == NULL)
            return -EINVAL;
    }
    s->acks = proto_socket_new(s->ctx, ZMQ_PUSH, s->cfg.acks, false, STAGE_ACKS_HWM,
                               STAGE_LINGER_MS, err);
    if (s->acks == NULL)
        return -EINVAL;
    if (s->cfg.stats && s->cfg.stats[0]) {
        s->stats = proto_socket_new(s->ctx, ZMQ_PUSH, s->cfg.stats, false, STAGE_STATS_HWM,
                                    STAGE_LINGER_MS, err);
        if (s->stats == NULL)
            return -EINVAL;
    }
    s->verdicts =
        proto_socket_new(s->ctx, ZMQ_PULL, s->cfg.verdicts, true, STAGE_VERDICTS_HWM, 0, err);
    if (s->verdicts == NULL)
        return -EINVAL;
    return 0;
}

/* Checks what the table cannot. Returns 0 or -EINVAL with a reason in err. */
static int s_check_config(const stage_config_t *cfg, sink_sync_t *sync, core_log_level_t *level,
                          char *err)
{
    if (cfg->db == NULL || cfg->db[0] == '\0') {
        core_err_set(err, "--db is required");
        return -EINVAL;
    }
    if (sink_sync_parse(cfg->sync, sync) != 0) {
        core_err_set(err, "sync: '%s' is not full or normal", cfg->sync);
        return -EINVAL;
    }
    if (core_log_level_parse(cfg->log_level, level) != 0) {
        core_err_set(err, "log-level: '%s' is not error, warn, info or debug", cfg->log_level);
        return -EINVAL;
    }
    return 0;
}

int sink_main(int argc, char **argv)
{
    stage_t *s = core_calloc(1, sizeof(*s));
    char err[CORE_ERR_LEN] = "";
    int code = 0;
    zmq_msg_init(&s->msg);
    core_arena_init(&s->arena, 0);

    int rc = core_config_parse(&s_table, &s->cfg, argc, argv, stdout, err);
    if (rc == 1)
        goto out_free;
    sink_sync_t sync = SINK_SYNC_FULL;
    core_log_level_t level = CORE_LOG_INFO;
    if (rc == 0)
        rc = s_check_config(&s->cfg, &sync, &level, err);
    if (rc != 0) {
        fprintf(stderr, "parcelscreen: sink: %s\n", err);
        code = 2;
        goto out_free;
    }
    core_log_init("sink");
    core_log_set_level(level);
    core_signals_install();
    sink__db_tune_process();

    s->store = sink_store_open(s->cfg.db, sync, (int)s->cfg.busy_timeout_ms, err);
    if (s->store == NULL) {
        fprintf(stderr, "parcelscreen: sink: %s\n", err);
        code = 1;
        goto out_free;
    }
    sink_store_set_queued_fn(s->store, s_on_queued, s);
    if (s->cfg.latency_log[0]) {
        s->latency_log = fopen(s->cfg.latency_log, "a");
        if (s->latency_log == NULL) {
            fprintf(stderr, "parcelscreen: sink: latency-log %s: %s\n", s->cfg.latency_log,
                    strerror(errno));
            code = 1;
            goto out_free;
        }
    }
    if (s_open_sockets(s, err) != 0) {
        fprintf(stderr, "parcelscreen: sink: %s\n", err);
        code = 1;
        goto out_free;
    }
    core_log(CORE_LOG_INFO, "storing verdicts from %s in %s (synchronous %s); ACK to %s",
             s->cfg.verdicts, s->cfg.db, s->cfg.sync, s->cfg.acks);
    code = s_loop(s);

out_free:
    s_close(s);
    core_config_free(&s_table, &s->cfg);
    free(s);
    return code;
}
