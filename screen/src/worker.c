/* worker.c -- a scan thread: PARCEL_BATCH in, report + VERDICT_BATCH out (inproc).
 *
 * Hooks follow Suricata's TmModule shape: init (sockets, made in this thread because a ZeroMQ
 * socket belongs to its thread), work (one batch), fini (close, free). Everything a batch needs
 * is owned here and reused: the scanner (cloned scratch, normaliser buffers), an arena for the
 * decoded parcels and the hits (reset per batch), the output buffer. Only the main thread
 * touches the stage's external sockets. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "internal.h"
#include "proto/parcel.h"
#include "proto/verdict.h"

struct screen__worker {
    pthread_t thread;                /* the scan thread */
    void *ctx;                       /* shared ZeroMQ context */
    char work_endpoint[64];          /* inproc PULL: batches from main */
    char done_endpoint[64];          /* inproc PUSH: reports to main */
    int index;                       /* worker number, for logs */
    screen__slot_t *slot;            /* where the current generation is published */
    const screen_policy_t *policy;   /* for scanners of later generations (stage-owned) */
    screen__gen_t *gen;              /* generation the scanner reads (one reference) */
    atomic_uint_fast64_t gen_number; /* gen->number, for screen__worker_generation */
    screen_scanner_t *scanner;       /* owned by the thread once started */
    core_str_t version;              /* watchlist version, borrowed from the matcher */
    core_str_t lists;                /* watchlist description, borrowed from the matcher */
    core_arena_t arena;              /* decoded batch + hits; reset per batch */
    core_buf_t out;                  /* VERDICT_BATCH being built */
};

/* Generations (hot reload) */

screen__gen_t *screen__gen_new(screen_matcher_t **matcher_p, uint64_t number)
{
    core_assert(matcher_p != NULL && *matcher_p != NULL);
    screen__gen_t *gen = core_calloc(1, sizeof(*gen));
    gen->matcher = *matcher_p;
    *matcher_p = NULL;
    gen->number = number;
    atomic_init(&gen->refs, 1);
    return gen;
}

void screen__gen_ref(screen__gen_t *gen)
{
    atomic_fetch_add_explicit(&gen->refs, 1, memory_order_relaxed);
}

void screen__gen_unref(screen__gen_t **gen_p)
{
    screen__gen_t *gen = *gen_p;
    *gen_p = NULL;
    if (gen == NULL)
        return;
    if (atomic_fetch_sub_explicit(&gen->refs, 1, memory_order_acq_rel) != 1)
        return;
    core_log(CORE_LOG_DEBUG, "watchlist generation %llu freed", (unsigned long long)gen->number);
    screen_matcher_destroy(&gen->matcher);
    free(gen);
}

void screen__slot_init(screen__slot_t *slot, screen__gen_t *gen)
{
    pthread_mutex_init(&slot->lock, NULL);
    slot->gen = gen;
    atomic_init(&slot->number, gen ? gen->number : 0);
}

screen__gen_t *screen__slot_get(screen__slot_t *slot)
{
    pthread_mutex_lock(&slot->lock);
    screen__gen_t *gen = slot->gen;
    if (gen)
        screen__gen_ref(gen);
    pthread_mutex_unlock(&slot->lock);
    return gen;
}

void screen__slot_publish(screen__slot_t *slot, screen__gen_t *gen)
{
    pthread_mutex_lock(&slot->lock);
    screen__gen_t *old = slot->gen;
    slot->gen = gen;
    atomic_store_explicit(&slot->number, gen->number, memory_order_release);
    pthread_mutex_unlock(&slot->lock);
    screen__gen_unref(&old);
}

void screen__slot_clear(screen__slot_t *slot)
{
    pthread_mutex_lock(&slot->lock);
    screen__gen_t *old = slot->gen;
    slot->gen = NULL;
    pthread_mutex_unlock(&slot->lock);
    screen__gen_unref(&old);
    pthread_mutex_destroy(&slot->lock);
}

/* Points the worker at gen (a reference it now owns): scanner, version and lists. */
static int s_use(screen__worker_t *self, screen__gen_t *gen, char *err)
{
    screen_scanner_t *scanner = screen_scanner_new(gen->matcher, self->policy, err);
    if (scanner == NULL)
        return -ENOMEM;
    screen_scanner_destroy(&self->scanner);
    screen__gen_unref(&self->gen);
    self->scanner = scanner;
    self->gen = gen;
    const screen_watchlist_t *wl = screen_matcher_watchlist(gen->matcher);
    self->version = core_str_from(screen_watchlist_version(wl));
    self->lists = core_str_from(screen_watchlist_description(wl));
    atomic_store_explicit(&self->gen_number, gen->number, memory_order_relaxed);
    return 0;
}

/* Between batches: moves to the slot's generation when it is newer. On failure (no memory for
 * a scratch clone) the worker keeps screening with the generation it has, and its verdicts
 * keep saying so; it tries again at the next batch. */
static void s_maybe_switch(screen__worker_t *self)
{
    uint64_t want = atomic_load_explicit(&self->slot->number, memory_order_acquire);
    if (self->gen != NULL && want == self->gen->number)
        return;
    screen__gen_t *gen = screen__slot_get(self->slot);
    if (gen == NULL || gen == self->gen) {
        screen__gen_unref(&gen);
        return;
    }
    char err[CORE_ERR_LEN];
    uint64_t from = self->gen ? self->gen->number : 0;
    if (s_use(self, gen, err) != 0) {
        core_log(CORE_LOG_ERROR, "worker %d: keeps watchlist generation %llu: %s", self->index,
                 (unsigned long long)from, err);
        screen__gen_unref(&gen);
        return;
    }
    core_log(CORE_LOG_DEBUG, "worker %d: watchlist generation %llu -> %llu", self->index,
             (unsigned long long)from, (unsigned long long)gen->number);
}

uint64_t screen__worker_generation(const screen__worker_t *self)
{
    return atomic_load_explicit(&((screen__worker_t *)self)->gen_number, memory_order_relaxed);
}

/* work: screens one PARCEL_BATCH into self->out and fills the report. */
static void s_work(screen__worker_t *self, const void *data, size_t len, screen__report_t *rep)
{
    memset(rep, 0, sizeof(*rep));
    core_arena_reset(&self->arena);
    core_buf_reset(&self->out);
    proto_parcel_batch_t batch;
    char err[CORE_ERR_LEN];
    if (proto_parcel_batch_decode(data, len, &batch, &self->arena, err) != 0) {
        core_log(CORE_LOG_WARN, "worker %d: PARCEL_BATCH rejected: %s", self->index, err);
        rep->status = -EPROTO;
        return;
    }
    rep->seq = batch.seq;
    screen_scanner_set_now(self->scanner, core_wall_ns());
    screen_scanner_stats_t before = screen_scanner_stats(self->scanner);
    proto_verdict_batch_begin(&self->out, batch.seq, batch.ingest_ns, self->version, self->lists);
    for (uint32_t i = 0; i < batch.count; i++) {
        proto_verdict_t v;
        if (screen_scanner_screen(self->scanner, &batch.parcels[i], &v, &self->arena) != 0)
            rep->scan_errors++;
        proto_verdict_batch_add(&self->out, &v);
        rep->red += v.channel == PROTO_CHANNEL_RED;
        rep->yellow += v.channel == PROTO_CHANNEL_YELLOW;
        rep->green += v.channel == PROTO_CHANNEL_GREEN;
        rep->random += v.selected_at_random;
    }
    proto_verdict_batch_finish(&self->out, batch.count);
    screen_scanner_stats_t after = screen_scanner_stats(self->scanner);
    rep->parcels = batch.count;
    rep->hits = (uint32_t)(after.hits - before.hits);
    rep->hits_dropped = (uint32_t)(after.hits_dropped - before.hits_dropped);
    if (rep->scan_errors)
        core_log(CORE_LOG_ERROR, "worker %d: batch %llu: %u parcels failed to scan", self->index,
                 (unsigned long long)batch.seq, rep->scan_errors);
}

static void *s_thread(void *arg)
{
    screen__worker_t *self = arg;
    int linger = 0;
    void *in = zmq_socket(self->ctx, ZMQ_PULL);
    void *out = zmq_socket(self->ctx, ZMQ_PUSH);
    if (in == NULL || out == NULL || zmq_setsockopt(in, ZMQ_LINGER, &linger, sizeof(linger)) ||
        zmq_setsockopt(out, ZMQ_LINGER, &linger, sizeof(linger)) ||
        zmq_connect(in, self->work_endpoint) || zmq_connect(out, self->done_endpoint)) {
        core_log(CORE_LOG_ERROR, "worker %d: inproc sockets: %s", self->index,
                 zmq_strerror(zmq_errno()));
        goto out_close;
    }
    for (;;) {
        zmq_pollitem_t item = {in, 0, ZMQ_POLLIN, 0};
        int ready = zmq_poll(&item, 1, 100);
        if (ready < 0) {
            if (zmq_errno() == EINTR)
                continue;
            break; /* ETERM: the stage is shutting down */
        }
        if (ready == 0) {
            s_maybe_switch(self); /* idle: move on, so an old generation is freed soon */
            continue;
        }
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, in, ZMQ_DONTWAIT) < 0) {
            int e = zmq_errno();
            zmq_msg_close(&msg);
            if (e == EINTR || e == EAGAIN)
                continue;
            break; /* ETERM: the stage is shutting down */
        }
        /* Switch only here, between batches (a batch is screened by one generation whole),
         * and after the batch arrived: a batch dispatched after a generation was published is
         * screened by it. */
        s_maybe_switch(self);
        screen__report_t rep;
        s_work(self, zmq_msg_data(&msg), zmq_msg_size(&msg), &rep);
        zmq_msg_close(&msg);
        static const char empty[1] = {0};
        int rc = zmq_send(out, &rep, sizeof(rep), ZMQ_SNDMORE);
        while (rc < 0 && zmq_errno() == EINTR)
            rc = zmq_send(out, &rep, sizeof(rep), ZMQ_SNDMORE);
        if (rc >= 0) {
            const void *data = self->out.len ? self->out.data : empty;
            rc = zmq_send(out, data, self->out.len, 0);
            while (rc < 0 && zmq_errno() == EINTR)
                rc = zmq_send(out, data, self->out.len, 0);
        }
        if (rc < 0)
            break;
    }
out_close:
    if (in)
        zmq_close(in);
    if (out)
        zmq_close(out);
    return NULL;
}

screen__worker_t *screen__worker_start(void *ctx, const char *work_endpoint,
                                       const char *done_endpoint, screen__slot_t *slot,
                                       const screen_policy_t *policy, int index, char *err)
{
    core_assert(ctx != NULL && work_endpoint != NULL && done_endpoint != NULL);
    core_assert(slot != NULL && policy != NULL);
    screen__worker_t *self = core_calloc(1, sizeof(*self));
    self->ctx = ctx;
    self->index = index;
    self->slot = slot;
    self->policy = policy;
    snprintf(self->work_endpoint, sizeof(self->work_endpoint), "%s", work_endpoint);
    snprintf(self->done_endpoint, sizeof(self->done_endpoint), "%s", done_endpoint);
    core_arena_init(&self->arena, (size_t)256 * 1024);
    screen__gen_t *gen = screen__slot_get(slot);
    core_assert(gen != NULL);
    if (s_use(self, gen, err) != 0) {
        screen__gen_unref(&gen);
        goto out_free;
    }
    int rc = pthread_create(&self->thread, NULL, s_thread, self);
    if (rc != 0) {
        core_err_set(err, "worker %d: pthread_create: %s", index, strerror(rc));
        goto out_scanner;
    }
    return self;

out_scanner:
    screen_scanner_destroy(&self->scanner);
    screen__gen_unref(&self->gen);
out_free:
    core_arena_clear(&self->arena);
    free(self);
    return NULL;
}

void screen__worker_join(screen__worker_t **self_p)
{
    core_assert(self_p != NULL);
    screen__worker_t *self = *self_p;
    if (self == NULL)
        return;
    pthread_join(self->thread, NULL);
    screen_scanner_destroy(&self->scanner);
    screen__gen_unref(&self->gen);
    core_arena_clear(&self->arena);
    core_buf_clear(&self->out);
    free(self);
    *self_p = NULL;
}
