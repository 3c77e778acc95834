/* run.c -- the screen stage's main (I/O) thread.
 *
 * DESIGN
 *   ingest --PUSH--> [--parcels PULL] main thread [--verdicts PUSH] --PULL--> sink
 *                          |  inproc PUSH "work"   ^  inproc PULL "done"
 *                          v                       |
 *                        worker 1..N (scanner each: cloned scratch, buffers)
 *
 * The main thread owns every socket that leaves the process. It reads a frame, looks only at
 * its [version, type] prefix, and hands PARCEL_BATCH frames to the workers without copying
 * (zmq_msg_send of the received message). Workers decode, screen and build the VERDICT_BATCH;
 * main forwards it to the sink as received from the worker (again without copying) and adds the
 * worker's report to the counters. At most 2 x workers + 2 batches are out with workers; past
 * that main stops reading --parcels, so back-pressure reaches ingest through ZeroMQ's HWM.
 *
 * END: remembered when it arrives and forwarded only when every batch dispatched before it has
 * come back from a worker (dispatched == completed) and its verdicts were sent, so the sink
 * sees END after the last verdict. Then a final STATS, and with --once the loop ends.
 * A frame that is not ours, or a PARCEL_BATCH that does not decode, is logged and counted
 * (batches_rejected); the stage never stops for bad input.
 *
 * Shutdown (SIGTERM/SIGINT, or --once after END): stop reading --parcels, wait for the batches
 * out with workers, forward their verdicts, send STATS; then zmq_ctx_shutdown makes the
 * workers' blocking recv return ETERM, they close their sockets and are joined; main closes its
 * sockets (the verdicts socket lingers so queued verdicts still leave) and terms the context.
 * Batches ingest sent that were never read are not acknowledged by the sink, so ingest resends
 * them: nothing is lost. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/signals.h"
#include "internal.h"
#include "proto/control.h"
#include "proto/socket.h"
#include "screen/screen.h"

/* How long queued verdicts and STATS may take to leave at exit. */
#define S_LINGER_MS 2000

typedef struct {
    uint64_t parcels_screened; /* verdicts forwarded */
    uint64_t batches_screened; /* VERDICT_BATCHes forwarded */
    uint64_t batches_rejected; /* frames refused (not ours, bad batch, bad END) */
    uint64_t hits;             /* hits reported */
    uint64_t hits_dropped;     /* hits over PROTO_MAX_HITS */
    uint64_t verdicts_red;     /* per channel */
    uint64_t verdicts_yellow;
    uint64_t verdicts_green;
    uint64_t selected_at_random; /* random selections */
    uint64_t scan_errors;        /* parcels whose scan failed */
    uint64_t ends_forwarded;     /* END messages passed on */
} s_counters_t;

typedef struct {
    const screen_config_t *cfg; /* configuration */
    screen_matcher_t *matcher;  /* compiled watchlists */
    void *ctx;                  /* ZeroMQ context */
    void *parcels;              /* PULL from ingest */
    void *verdicts;             /* PUSH to sink */
    void *stats;                /* PUSH to the controller, or NULL */
    void *work;                 /* inproc PUSH to workers */
    void *done;                 /* inproc PULL from workers */
    screen__worker_t **workers; /* started workers */
    int worker_count;           /* entries in workers */
    uint64_t dispatched;        /* batches handed to workers */
    uint64_t completed;         /* reports received back */
    bool end_pending;           /* END received, not yet forwarded */
    bool final_sent;            /* a final STATS went out and nothing came after it */
    core_buf_t end;             /* the END frame as received */
    s_counters_t n;             /* counters */
    core_buf_t buf;             /* STATS encoding */
} s_stage_t;

static void s_send_stats(s_stage_t *st, bool final)
{
    if (st->stats == NULL)
        return;
    proto_stats_t stats;
    proto_stats_init(&stats, "screen", final);
    proto_stats_set(&stats, "parcels_screened", st->n.parcels_screened);
    proto_stats_set(&stats, "batches_screened", st->n.batches_screened);
    proto_stats_set(&stats, "hits", st->n.hits);
    proto_stats_set(&stats, "verdicts_red", st->n.verdicts_red);
    proto_stats_set(&stats, "verdicts_yellow", st->n.verdicts_yellow);
    proto_stats_set(&stats, "verdicts_green", st->n.verdicts_green);
    proto_stats_set(&stats, "rules_loaded", screen_matcher_info(st->matcher)->rules);
    proto_stats_set(&stats, "rules_skipped",
                    screen_watchlist_skipped(screen_matcher_watchlist(st->matcher)));
    proto_stats_set(&stats, "batches_rejected", st->n.batches_rejected);
    proto_stats_set(&stats, "hits_dropped", st->n.hits_dropped);
    proto_stats_set(&stats, "selected_at_random", st->n.selected_at_random);
    proto_stats_set(&stats, "scan_errors", st->n.scan_errors);
    proto_stats_set(&stats, "batches_in_flight", st->dispatched - st->completed);
    uint64_t mem_allocated = 0;
    uint64_t mem_resident = 0;
    if (final && core_mem_stats(&mem_allocated, &mem_resident) == 0) {
        proto_stats_set(&stats, "mem_allocated", mem_allocated);
        proto_stats_set(&stats, "mem_resident", mem_resident);
    }
    proto_stats_encode(&stats, &st->buf);
    /* STATS are advisory: never block the pipeline on a slow or absent controller. */
    int rc = proto_socket_send(st->stats, &st->buf, ZMQ_DONTWAIT);
    if (rc != 0 && rc != -EAGAIN)
        core_log(CORE_LOG_DEBUG, "STATS not sent: %s", zmq_strerror(-rc));
}

/* Sends a message on the verdicts socket, retrying when a signal interrupts the wait. */
static int s_send_verdicts(s_stage_t *st, zmq_msg_t *msg)
{
    for (;;) {
        if (zmq_msg_send(msg, st->verdicts, 0) >= 0)
            return 0;
        int e = zmq_errno();
        if (e != EINTR)
            return -e;
    }
}

/* Drains worker reports; forwards each VERDICT_BATCH to the sink. Returns 0 or -errno when the
 * verdicts socket failed. */
static int s_collect(s_stage_t *st)
{
    for (;;) {
        screen__report_t rep;
        int got = zmq_recv(st->done, &rep, sizeof(rep), ZMQ_DONTWAIT);
        if (got < 0) {
            int e = zmq_errno();
            return (e == EAGAIN || e == EINTR) ? 0 : -e;
        }
        zmq_msg_t body;
        zmq_msg_init(&body);
        /* The second frame of a multipart message is already here (atomic delivery). */
        while (zmq_msg_recv(&body, st->done, 0) < 0 && zmq_errno() == EINTR)
            ;
        st->completed++;
        int rc = 0;
        if (got != (int)sizeof(rep)) {
            core_log(CORE_LOG_ERROR, "malformed worker report (%d bytes)", got);
        } else if (rep.status != 0) {
            st->n.batches_rejected++;
        } else {
            rc = s_send_verdicts(st, &body);
            if (rc == 0) {
                st->n.batches_screened++;
                st->n.parcels_screened += rep.parcels;
                st->n.hits += rep.hits;
                st->n.hits_dropped += rep.hits_dropped;
                st->n.verdicts_red += rep.red;
                st->n.verdicts_yellow += rep.yellow;
                st->n.verdicts_green += rep.green;
                st->n.selected_at_random += rep.random;
                st->n.scan_errors += rep.scan_errors;
            }
        }
        zmq_msg_close(&body);
        if (rc != 0) {
            core_log(CORE_LOG_ERROR, "verdicts: %s", zmq_strerror(-rc));
            return rc;
        }
    }
}

/* Handles one frame from ingest. */
static void s_dispatch(s_stage_t *st, zmq_msg_t *msg)
{
    const void *data = zmq_msg_data(msg);
    size_t len = zmq_msg_size(msg);
    proto_msg_type_t type;
    char err[CORE_ERR_LEN];
    if (proto_msg_type(data, len, &type, err) != 0) {
        core_log(CORE_LOG_WARN, "frame of %zu bytes rejected: %s", len, err);
        st->n.batches_rejected++;
        return;
    }
    switch (type) {
    case PROTO_MSG_PARCEL_BATCH:
        while (zmq_msg_send(msg, st->work, 0) < 0) {
            if (zmq_errno() != EINTR) {
                core_log(CORE_LOG_ERROR, "dispatch: %s", zmq_strerror(zmq_errno()));
                st->n.batches_rejected++;
                return;
            }
        }
        st->dispatched++;
        st->final_sent = false;
        return;
    case PROTO_MSG_END: {
        proto_end_t end;
        if (proto_end_decode(data, len, &end, err) != 0) {
            core_log(CORE_LOG_WARN, "END rejected: %s", err);
            st->n.batches_rejected++;
            return;
        }
        core_log(CORE_LOG_INFO, "END from ingest: %llu records read, %llu rejected, %llu batches",
                 (unsigned long long)end.records_read, (unsigned long long)end.records_rejected,
                 (unsigned long long)end.batches_sent);
        core_buf_reset(&st->end);
        core_buf_append(&st->end, data, len);
        st->end_pending = true;
        return;
    }
    default:
        core_log(CORE_LOG_WARN, "unexpected message type %d on --parcels, ignored", (int)type);
        st->n.batches_rejected++;
        return;
    }
}

/* Forwards END once nothing dispatched before it is still out. Returns true when it did. */
static bool s_forward_end(s_stage_t *st)
{
    if (!st->end_pending || st->dispatched != st->completed)
        return false;
    int rc;
    while ((rc = proto_socket_send(st->verdicts, &st->end, 0)) == -EINTR)
        ;
    if (rc != 0)
        core_log(CORE_LOG_ERROR, "END not forwarded: %s", zmq_strerror(-rc));
    st->end_pending = false;
    st->n.ends_forwarded++;
    core_log(CORE_LOG_INFO, "END forwarded after %llu parcels in %llu batches (%llu rejected)",
             (unsigned long long)st->n.parcels_screened, (unsigned long long)st->n.batches_screened,
             (unsigned long long)st->n.batches_rejected);
    s_send_stats(st, true);
    st->final_sent = true;
    /* Counters are per run (like the sink's): the next run starts from zero. */
    memset(&st->n, 0, sizeof(st->n));
    return true;
}

static int s_loop(s_stage_t *st)
{
    const screen_config_t *cfg = st->cfg;
    uint64_t max_out = 2 * (uint64_t)st->worker_count + 2;
    int64_t interval_ns = cfg->stats_interval_ms * 1000000LL;
    int64_t next_stats = core_mono_ns() + interval_ns;
    bool stopping = false;
    for (;;) {
        if (!stopping && core_signals_stop_requested()) {
            core_log(CORE_LOG_INFO, "stop requested: finishing %llu batches in flight",
                     (unsigned long long)(st->dispatched - st->completed));
            stopping = true;
        }
        if (s_forward_end(st) && cfg->once)
            stopping = true;
        if (stopping && st->dispatched == st->completed)
            return 0;

        bool take = !stopping && !st->end_pending && st->dispatched - st->completed < max_out;
        zmq_pollitem_t items[2] = {
            {st->done, 0, ZMQ_POLLIN, 0},
            {st->parcels, 0, (short)(take ? ZMQ_POLLIN : 0), 0},
        };
        int64_t now = core_mono_ns();
        long timeout = (long)((next_stats - now) / 1000000);
        if (timeout < 0)
            timeout = 0;
        if (timeout > 200)
            timeout = 200; /* signals are flags: look at them often enough */
        if (zmq_poll(items, 2, timeout) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            core_log(CORE_LOG_ERROR, "poll: %s", zmq_strerror(zmq_errno()));
            return 1;
        }
        if ((items[0].revents & ZMQ_POLLIN) && s_collect(st) != 0)
            return 1;
        while (take && (items[1].revents & ZMQ_POLLIN)) {
            zmq_msg_t msg;
            zmq_msg_init(&msg);
            if (zmq_msg_recv(&msg, st->parcels, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(&msg);
                break;
            }
            s_dispatch(st, &msg);
            zmq_msg_close(&msg);
            take = st->dispatched - st->completed < max_out && !st->end_pending;
        }
        now = core_mono_ns();
        if (now >= next_stats) {
            s_send_stats(st, false);
            next_stats = now + interval_ns;
        }
    }
}

static int s_start(s_stage_t *st, char *err)
{
    const screen_config_t *cfg = st->cfg;
    int hwm = (int)cfg->hwm;
    st->ctx = zmq_ctx_new();
    if (st->ctx == NULL) {
        core_err_set(err, "zmq_ctx_new: %s", zmq_strerror(zmq_errno()));
        return -ENOMEM;
    }
    st->parcels = proto_socket_new(st->ctx, ZMQ_PULL, cfg->parcels, true, hwm, 0, err);
    if (st->parcels == NULL)
        return -EINVAL;
    st->verdicts = proto_socket_new(st->ctx, ZMQ_PUSH, cfg->verdicts, false, hwm, S_LINGER_MS, err);
    if (st->verdicts == NULL)
        return -EINVAL;
    if (cfg->stats && cfg->stats[0]) {
        st->stats = proto_socket_new(st->ctx, ZMQ_PUSH, cfg->stats, false, 16, S_LINGER_MS, err);
        if (st->stats == NULL)
            return -EINVAL;
    }
    /* inproc names unique per stage instance (tests run several in one process). */
    char work_ep[64];
    char done_ep[64];
    snprintf(work_ep, sizeof(work_ep), "inproc://screen-work-%p", (void *)st);
    snprintf(done_ep, sizeof(done_ep), "inproc://screen-done-%p", (void *)st);
    st->work = proto_socket_new(st->ctx, ZMQ_PUSH, work_ep, true, 0, 0, err);
    if (st->work == NULL)
        return -EINVAL;
    st->done = proto_socket_new(st->ctx, ZMQ_PULL, done_ep, true, 0, 0, err);
    if (st->done == NULL)
        return -EINVAL;

    long n = cfg->workers;
    if (n <= 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n <= 0)
        n = 1;
    if (n > SCREEN_MAX_WORKERS)
        n = SCREEN_MAX_WORKERS;
    screen_policy_t policy = {
        .red = (uint32_t)cfg->red,
        .yellow = (uint32_t)cfg->yellow,
        .random_rate = cfg->random_rate,
        .random_seed = (uint64_t)cfg->random_seed,
        .name_threshold = cfg->name_threshold,
    };
    /* Validated by screen_main; each scanner resolves the thresholds per rule when it is made
     * (screen__worker_start makes it before returning), so the array is freed here. */
    screen_list_threshold_t *lt = NULL;
    if (screen_list_thresholds_parse((const char *const *)cfg->list_threshold.items,
                                     cfg->list_threshold.count, &lt, &policy.list_threshold_count,
                                     err) != 0)
        return -EINVAL;
    policy.list_thresholds = lt;
    st->workers = core_calloc((size_t)n, sizeof(*st->workers));
    for (int i = 0; i < n; i++) {
        st->workers[i] =
            screen__worker_start(st->ctx, work_ep, done_ep, st->matcher, &policy, i, err);
        if (st->workers[i] == NULL) {
            free(lt);
            return -EINVAL;
        }
        st->worker_count++;
    }
    free(lt);
    return 0;
}

static void s_stop(s_stage_t *st)
{
    if (st->ctx)
        zmq_ctx_shutdown(st->ctx); /* workers' recv returns ETERM */
    for (int i = 0; i < st->worker_count; i++)
        screen__worker_join(&st->workers[i]);
    free(st->workers);
    st->workers = NULL;
    proto_socket_close(&st->work);
    proto_socket_close(&st->done);
    proto_socket_close(&st->parcels);
    proto_socket_close(&st->verdicts);
    proto_socket_close(&st->stats);
    if (st->ctx) {
        while (zmq_ctx_term(st->ctx) != 0 && zmq_errno() == EINTR)
            ;
        st->ctx = NULL;
    }
    proto_socket_unlink_ipc(st->cfg->parcels);
    core_buf_clear(&st->end);
    core_buf_clear(&st->buf);
}

int screen_run(const screen_config_t *cfg)
{
    core_assert(cfg != NULL);
    char err[CORE_ERR_LEN];
    screen_watchlist_t *wl = screen_watchlist_load((const char *const *)cfg->watchlist.items,
                                                   cfg->watchlist.count, NULL, err);
    screen_matcher_t *matcher = wl ? screen_matcher_new(&wl, err) : NULL;
    if (matcher == NULL) {
        fprintf(stderr, "parcelscreen: screen: %s\n", err);
        return 2;
    }
    const screen_watchlist_t *list = screen_matcher_watchlist(matcher);
    const screen_matcher_info_t *info = screen_matcher_info(matcher);
    core_log(CORE_LOG_INFO, "watchlist %s: %s; %zu rules compiled in %.0f ms",
             screen_watchlist_version(list), screen_watchlist_description(list), info->rules,
             info->compile_ms);

    core_signals_install();
    s_stage_t st;
    memset(&st, 0, sizeof(st));
    st.cfg = cfg;
    st.matcher = matcher;
    int rc = 0;
    if (s_start(&st, err) != 0) {
        fprintf(stderr, "parcelscreen: screen: %s\n", err);
        rc = 1;
    } else {
        core_log(CORE_LOG_INFO, "screening %s -> %s with %d workers", cfg->parcels, cfg->verdicts,
                 st.worker_count);
        rc = s_loop(&st);
        if (!st.final_sent)
            s_send_stats(&st, false);
        core_log(CORE_LOG_INFO, "stopped (exit %d)", rc);
    }
    s_stop(&st);
    screen_matcher_destroy(&matcher);
    return rc;
}
