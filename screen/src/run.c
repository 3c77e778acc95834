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
 * them: nothing is lost.
 *
 * Hot reload (SIGHUP, or CONTROL "reload" on --control): Suricata's DetectEngineReloadThreads
 * shape, without blocking anything. A builder thread runs screen__build_matcher (the one build
 * path, also used at start) while the workers keep screening; main joins it when done (it
 * looks every 50 ms) and publishes the new matcher as the next generation in the slot
 * (worker.c: refcounted generations, a mutex for taking a reference, an atomic number for the
 * per-batch check). Each worker moves to it when its next batch arrives, so one batch is
 * screened by one generation and its VERDICT_BATCH names that generation's version; the batch
 * queue is never touched, so nothing is lost or screened twice. The last reference frees the
 * old matcher. A refused build logs one line, counts reloads_failed and changes nothing.
 * Rejected: pausing dispatch until workers drain (a stall per reload, and idle workers would
 * still need a wake-up); swapping the matcher under running scanners (their scratch and
 * per-rule state belong to the old one). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
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

/* A reload in progress: the new matcher is built in its own thread by screen__build_matcher,
 * the same path as at start, while the workers go on with the current one. */
typedef struct {
    pthread_t thread;           /* the builder */
    bool running;               /* thread started, not yet joined */
    atomic_bool done;           /* set by the builder when result/err are final */
    const screen_config_t *cfg; /* what to build */
    screen_matcher_t *result;   /* the new matcher, NULL on failure */
    char err[CORE_ERR_LEN];     /* why it failed */
    int64_t started_ns;         /* for the log line */
} s_reload_t;

typedef struct {
    const screen_config_t *cfg;  /* configuration */
    screen__slot_t slot;         /* current generation of the compiled watchlists */
    uint64_t generations;        /* generations made (1 + successful reloads) */
    s_reload_t reload;           /* background build */
    bool reload_wanted;          /* SIGHUP or CONTROL reload not yet started */
    uint64_t reloads;            /* successful reloads (process lifetime, not per run) */
    uint64_t reloads_failed;     /* refused reloads (process lifetime) */
    screen_policy_t policy;      /* scanners' policy, also for later generations */
    screen_list_threshold_t *lt; /* policy.list_thresholds (owned) */
    void *control;               /* PULL for CONTROL, or NULL */
    void *ctx;                   /* ZeroMQ context */
    void *parcels;               /* PULL from ingest */
    void *verdicts;              /* PUSH to sink */
    void *stats;                 /* PUSH to the controller, or NULL */
    void *work;                  /* inproc PUSH to workers */
    void *done;                  /* inproc PULL from workers */
    screen__worker_t **workers;  /* started workers */
    int worker_count;            /* entries in workers */
    uint64_t dispatched;         /* batches handed to workers */
    uint64_t completed;          /* reports received back */
    bool end_pending;            /* END received, not yet forwarded */
    bool final_sent;             /* a final STATS went out and nothing came after it */
    core_buf_t end;              /* the END frame as received */
    s_counters_t n;              /* counters */
    core_buf_t buf;              /* STATS encoding */
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
    /* Only main publishes generations, so it reads slot.gen without the lock. */
    const screen_matcher_t *matcher = st->slot.gen->matcher;
    proto_stats_set(&stats, "rules_loaded", screen_matcher_info(matcher)->rules);
    proto_stats_set(&stats, "rules_skipped",
                    screen_watchlist_skipped(screen_matcher_watchlist(matcher)));
    proto_stats_set(&stats, "reloads", st->reloads);
    proto_stats_set(&stats, "reloads_failed", st->reloads_failed);
    proto_stats_set(&stats, "watchlist_generation", st->slot.gen->number);
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

/* ============ Hot reload ============ */

screen_matcher_t *screen__build_matcher(const screen_config_t *cfg, char *err)
{
    screen_watchlist_t *wl = screen_watchlist_load((const char *const *)cfg->watchlist.items,
                                                   cfg->watchlist.count, NULL, err);
    if (wl == NULL)
        return NULL;
    screen_matcher_opts_t opts = {.compiled = cfg->compiled};
    screen_matcher_t *m = screen_matcher_new_opts(&wl, &opts, err);
    /* The officers' allow-list lives in the matcher: a reload re-reads it too. */
    if (m && cfg->allowlist.count > 0 &&
        screen_matcher_load_allowlist(m, (const char *const *)cfg->allowlist.items,
                                      cfg->allowlist.count, err) != 0)
        screen_matcher_destroy(&m);
    return m;
}

static void *s_reload_thread(void *arg)
{
    s_reload_t *r = arg;
    r->result = screen__build_matcher(r->cfg, r->err);
    atomic_store_explicit(&r->done, true, memory_order_release);
    return NULL;
}

static void s_reload_start(s_stage_t *st)
{
    s_reload_t *r = &st->reload;
    r->cfg = st->cfg;
    r->result = NULL;
    r->err[0] = '\0';
    atomic_store(&r->done, false);
    r->started_ns = core_mono_ns();
    int rc = pthread_create(&r->thread, NULL, s_reload_thread, r);
    if (rc != 0) {
        core_log(CORE_LOG_ERROR, "reload refused: pthread_create: %s", strerror(rc));
        st->reloads_failed++;
        return;
    }
    r->running = true;
    core_log(CORE_LOG_INFO, "reload: building the watchlists again in the background");
}

/* Joins a finished (or, when wait, any) build and publishes its matcher. */
static void s_reload_finish(s_stage_t *st, bool wait)
{
    s_reload_t *r = &st->reload;
    if (!r->running || (!wait && !atomic_load_explicit(&r->done, memory_order_acquire)))
        return;
    pthread_join(r->thread, NULL);
    r->running = false;
    double ms = (double)(core_mono_ns() - r->started_ns) / 1e6;
    if (r->result == NULL) {
        st->reloads_failed++;
        core_log(CORE_LOG_ERROR, "reload refused, keeping watchlist %s: %s",
                 screen_watchlist_version(screen_matcher_watchlist(st->slot.gen->matcher)), r->err);
        return;
    }
    const screen_watchlist_t *wl = screen_matcher_watchlist(r->result);
    const screen_matcher_info_t *info = screen_matcher_info(r->result);
    core_log(CORE_LOG_INFO,
             "reload: watchlist %s -> %s: %s; %zu rules in %.0f ms (databases %s in %.0f ms)",
             screen_watchlist_version(screen_matcher_watchlist(st->slot.gen->matcher)),
             screen_watchlist_version(wl), screen_watchlist_description(wl), info->rules, ms,
             info->db_source == SCREEN_DB_LOADED ? "loaded" : "compiled", info->hs_ms);
    screen__gen_t *gen = screen__gen_new(&r->result, ++st->generations);
    screen__slot_publish(&st->slot, gen); /* workers switch at their next batch */
    st->reloads++;
}

/* Reads CONTROL messages: "reload" asks for a reload, "stop" for a stop. */
static void s_control(s_stage_t *st)
{
    for (;;) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, st->control, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&msg);
            return;
        }
        proto_control_t c;
        proto_msg_type_t type = PROTO_MSG_CONTROL;
        char err[CORE_ERR_LEN] = "";
        const void *data = zmq_msg_data(&msg);
        size_t len = zmq_msg_size(&msg);
        int rc = proto_msg_type(data, len, &type, err);
        if (rc == 0 && type != PROTO_MSG_CONTROL) {
            rc = -EPROTO;
            core_err_set(err, "message type %d is not CONTROL", (int)type);
        }
        if (rc == 0)
            rc = proto_control_decode(data, len, &c, err);
        if (rc != 0) {
            core_log(CORE_LOG_WARN, "control: message of %zu bytes ignored: %s", len, err);
        } else if (strcmp(c.command, "reload") == 0) {
            core_log(CORE_LOG_INFO, "control: reload requested");
            st->reload_wanted = true;
        } else if (strcmp(c.command, "stop") == 0) {
            core_log(CORE_LOG_INFO, "control: stop requested");
            core_signals_request_stop();
        } else {
            core_log(CORE_LOG_WARN, "control: unknown command '%s' ignored", c.command);
        }
        zmq_msg_close(&msg);
    }
}

static int s_loop(s_stage_t *st)
{
    const screen_config_t *cfg = st->cfg;
    uint64_t max_out = 2 * (uint64_t)st->worker_count + 2;
    int64_t interval_ns = cfg->stats_interval_ms * 1000000LL;
    int64_t next_stats = core_mono_ns() + interval_ns;
    bool stopping = false;
    for (;;) {
        if (core_signals_take_reload())
            st->reload_wanted = true;
        s_reload_finish(st, false);
        if (st->reload_wanted && !st->reload.running && !stopping) {
            st->reload_wanted = false; /* a request during a build starts another one after */
            s_reload_start(st);
        }
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
        zmq_pollitem_t items[3] = {
            {st->done, 0, ZMQ_POLLIN, 0},
            {st->parcels, 0, (short)(take ? ZMQ_POLLIN : 0), 0},
            {st->control, 0, ZMQ_POLLIN, 0},
        };
        int64_t now = core_mono_ns();
        long timeout = (long)((next_stats - now) / 1000000);
        if (timeout < 0)
            timeout = 0;
        if (timeout > 200)
            timeout = 200; /* signals are flags: look at them often enough */
        if (st->reload.running && timeout > 50)
            timeout = 50; /* publish a finished build soon */
        if (zmq_poll(items, st->control ? 3 : 2, timeout) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            core_log(CORE_LOG_ERROR, "poll: %s", zmq_strerror(zmq_errno()));
            return 1;
        }
        if ((items[0].revents & ZMQ_POLLIN) && s_collect(st) != 0)
            return 1;
        if (st->control && (items[2].revents & ZMQ_POLLIN))
            s_control(st);
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
    if (cfg->control && cfg->control[0]) {
        st->control = proto_socket_new(st->ctx, ZMQ_PULL, cfg->control, true, 16, 0, err);
        if (st->control == NULL)
            return -EINVAL;
        /* A CONTROL message is under 300 bytes: a peer sending more is dropped by ZeroMQ. */
        int64_t max = 4096;
        zmq_setsockopt(st->control, ZMQ_MAXMSGSIZE, &max, sizeof(max));
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
    st->policy = (screen_policy_t){
        .red = (uint32_t)cfg->red,
        .yellow = (uint32_t)cfg->yellow,
        .random_rate = cfg->random_rate,
        .random_seed = (uint64_t)cfg->random_seed,
        .name_threshold = cfg->name_threshold,
    };
    /* Validated by screen_main; each scanner resolves the thresholds per rule when it is made,
     * and workers make new scanners on reload, so the array lives as long as the stage. */
    if (screen_list_thresholds_parse((const char *const *)cfg->list_threshold.items,
                                     cfg->list_threshold.count, &st->lt,
                                     &st->policy.list_threshold_count, err) != 0)
        return -EINVAL;
    st->policy.list_thresholds = st->lt;
    st->workers = core_calloc((size_t)n, sizeof(*st->workers));
    for (int i = 0; i < n; i++) {
        st->workers[i] =
            screen__worker_start(st->ctx, work_ep, done_ep, &st->slot, &st->policy, i, err);
        if (st->workers[i] == NULL)
            return -EINVAL;
        st->worker_count++;
    }
    return 0;
}

static void s_stop(s_stage_t *st)
{
    s_reload_finish(st, true); /* a build in progress cannot be interrupted: wait for it */
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
    proto_socket_close(&st->control);
    if (st->ctx) {
        while (zmq_ctx_term(st->ctx) != 0 && zmq_errno() == EINTR)
            ;
        st->ctx = NULL;
    }
    proto_socket_unlink_ipc(st->cfg->parcels);
    if (st->cfg->control && st->cfg->control[0])
        proto_socket_unlink_ipc(st->cfg->control);
    core_buf_clear(&st->end);
    core_buf_clear(&st->buf);
    free(st->lt);
    st->lt = NULL;
}

int screen_run(const screen_config_t *cfg)
{
    core_assert(cfg != NULL);
    char err[CORE_ERR_LEN];
    /* SIGHUP's default action would kill the stage while it compiles; the lists are being read
     * anyway, so a reload asked for now is moot. */
    signal(SIGHUP, SIG_IGN);
    screen_matcher_t *matcher = screen__build_matcher(cfg, err);
    if (matcher == NULL) {
        fprintf(stderr, "parcelscreen: screen: %s\n", err);
        return 2;
    }
    const screen_watchlist_t *list = screen_matcher_watchlist(matcher);
    const screen_matcher_info_t *info = screen_matcher_info(matcher);
    core_log(
        CORE_LOG_INFO, "watchlist %s: %s; %zu rules ready in %.0f ms (databases %s in %.0f ms)",
        screen_watchlist_version(list), screen_watchlist_description(list), info->rules,
        info->compile_ms, info->db_source == SCREEN_DB_LOADED ? "loaded" : "compiled", info->hs_ms);

    core_signals_install();
    s_stage_t st;
    memset(&st, 0, sizeof(st));
    st.cfg = cfg;
    st.generations = 1;
    screen__slot_init(&st.slot, screen__gen_new(&matcher, 1));
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
    screen__slot_clear(&st.slot);
    return rc;
}
