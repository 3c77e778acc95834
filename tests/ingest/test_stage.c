/* test_stage.c -- ingest_main end to end against a fake screen+sink on ipc endpoints.
 *
 * The peer thread binds the parcels PULL and the stats PULL, decodes every PARCEL_BATCH,
 * acknowledges it on the acks PUSH (unless told not to), and records END and STATS. The test
 * runs ingest_main in its own thread of control (the test's main thread). */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include <criterion/criterion.h>

#include "core/clock.h"
#include "core/signals.h"
#include "helpers.h"
#include "ingest/ingest.h"
#include "proto/control.h"
#include "proto/parcel.h"

#define SAMPLE_CSV PS_SHARED_DIR "/data/manifests/synthetic/sample_manifest_flat.csv"
#define SAMPLE_NDJSON PS_SHARED_DIR "/data/manifests/synthetic/sample_parcels.jsonl"

typedef struct {
    char parcels_ep[300];        /* PULL bind */
    char acks_ep[300];           /* PUSH connect */
    char stats_ep[300];          /* PULL bind */
    bool ack;                    /* acknowledge batches */
    uint64_t drop_first;         /* ignore (lose) the first N batch messages received */
    bool ack_end;                /* acknowledge END (ACK seq 0), as sink does */
    uint64_t ack_limit;          /* acknowledge only this many batches (0: all) */
    char ids[64][16];            /* parcel_ids received (first 64) */
    uint64_t received;           /* batch messages received, re-sends included */
    uint64_t first_seq;          /* seq of the first batch */
    uint64_t stop_after;         /* request_stop() once this many parcels arrived (0: never) */
    atomic_bool quit;            /* set by the test when ingest_main returned */
    atomic_bool ready;           /* sockets bound */
    _Atomic uint64_t parcels;    /* parcels received (read by other threads) */
    uint64_t batches;            /* batches received */
    uint64_t max_batch;          /* largest batch */
    bool seqs_ok;                /* seqs consecutive from the first */
    bool ingest_ns_ok;           /* every batch has a plausible ingest_ns */
    atomic_bool got_end;         /* END seen */
    bool end_after_batches;      /* no batch after END */
    proto_end_t end;             /* its counters */
    atomic_bool got_final;       /* final STATS seen */
    proto_stats_t stats;         /* last STATS */
    _Atomic uint64_t stats_seen; /* STATS messages */
    char first_id[64];           /* first parcel_id received */
} s_peer_t;

static void *s_peer_main(void *arg)
{
    s_peer_t *pe = arg;
    void *ctx = zmq_ctx_new();
    void *in = zmq_socket(ctx, ZMQ_PULL);
    void *acks = zmq_socket(ctx, ZMQ_PUSH);
    void *stats = zmq_socket(ctx, ZMQ_PULL);
    int zero = 0;
    zmq_setsockopt(in, ZMQ_LINGER, &zero, sizeof(zero));
    zmq_setsockopt(acks, ZMQ_LINGER, &zero, sizeof(zero));
    zmq_setsockopt(stats, ZMQ_LINGER, &zero, sizeof(zero));
    cr_assert_eq(zmq_bind(in, pe->parcels_ep), 0, "%s", zmq_strerror(errno));
    cr_assert_eq(zmq_bind(stats, pe->stats_ep), 0, "%s", zmq_strerror(errno));
    cr_assert_eq(zmq_connect(acks, pe->acks_ep), 0);
    atomic_store(&pe->ready, true);
    pe->seqs_ok = true;
    pe->ingest_ns_ok = true;
    pe->end_after_batches = true;
    core_arena_t arena;
    core_arena_init(&arena, 0);
    int64_t now_ns = core_wall_ns();
    while (!atomic_load(&pe->quit)) {
        zmq_pollitem_t items[2] = {{.socket = in, .events = ZMQ_POLLIN},
                                   {.socket = stats, .events = ZMQ_POLLIN}};
        if (zmq_poll(items, 2, 20) <= 0)
            continue;
        zmq_msg_t msg;
        if (items[0].revents & ZMQ_POLLIN) {
            zmq_msg_init(&msg);
            cr_assert_geq(zmq_msg_recv(&msg, in, 0), 0);
            char err[CORE_ERR_LEN];
            proto_msg_type_t type;
            cr_assert_eq(proto_msg_type(zmq_msg_data(&msg), zmq_msg_size(&msg), &type, err), 0);
            if (type == PROTO_MSG_PARCEL_BATCH) {
                proto_parcel_batch_t batch;
                core_arena_reset(&arena);
                cr_assert_eq(proto_parcel_batch_decode(zmq_msg_data(&msg), zmq_msg_size(&msg),
                                                       &batch, &arena, err),
                             0, "%s", err);
                if (pe->got_end)
                    pe->end_after_batches = false;
                if (pe->received++ < pe->drop_first) { /* lost on the way */
                    zmq_msg_close(&msg);
                    continue;
                }
                if (pe->batches == 0)
                    pe->first_seq = batch.seq;
                if (pe->drop_first == 0 && batch.seq != pe->first_seq + pe->batches)
                    pe->seqs_ok = false;
                if (batch.ingest_ns < now_ns - 60000000000LL || batch.ingest_ns > core_wall_ns())
                    pe->ingest_ns_ok = false;
                if (pe->parcels == 0 && batch.count > 0)
                    snprintf(pe->first_id, sizeof(pe->first_id), "%.*s",
                             (int)batch.parcels[0].parcel_id.len, batch.parcels[0].parcel_id.ptr);
                pe->batches++;
                pe->parcels += batch.count;
                if (batch.count > pe->max_batch)
                    pe->max_batch = batch.count;
                for (uint32_t k = 0; k < batch.count; k++) {
                    uint64_t at = pe->parcels - batch.count + k;
                    if (at < 64)
                        snprintf(pe->ids[at], sizeof(pe->ids[at]), "%.*s",
                                 (int)batch.parcels[k].parcel_id.len,
                                 batch.parcels[k].parcel_id.ptr);
                }
                if (pe->ack && (pe->ack_limit == 0 || pe->batches <= pe->ack_limit)) {
                    proto_ack_t ack = {.seq = batch.seq, .parcels = batch.count};
                    core_buf_t buf = {0};
                    proto_ack_encode(&ack, &buf);
                    cr_assert_eq(zmq_send(acks, buf.data, buf.len, 0), (int)buf.len);
                    core_buf_clear(&buf);
                }
                if (pe->stop_after && pe->parcels >= pe->stop_after)
                    core_signals_request_stop();
            } else if (type == PROTO_MSG_END) {
                cr_assert_eq(
                    proto_end_decode(zmq_msg_data(&msg), zmq_msg_size(&msg), &pe->end, err), 0);
                pe->got_end = true;
                if (pe->ack_end) {
                    proto_ack_t ack = {.seq = 0, .parcels = 0};
                    core_buf_t buf = {0};
                    proto_ack_encode(&ack, &buf);
                    cr_assert_eq(zmq_send(acks, buf.data, buf.len, 0), (int)buf.len);
                    core_buf_clear(&buf);
                }
            }
            zmq_msg_close(&msg);
        }
        if (items[1].revents & ZMQ_POLLIN) {
            zmq_msg_init(&msg);
            cr_assert_geq(zmq_msg_recv(&msg, stats, 0), 0);
            char err[CORE_ERR_LEN];
            cr_assert_eq(
                proto_stats_decode(zmq_msg_data(&msg), zmq_msg_size(&msg), &pe->stats, err), 0,
                "%s", err);
            pe->stats_seen++;
            if (pe->stats.final)
                pe->got_final = true;
            zmq_msg_close(&msg);
        }
    }
    core_arena_clear(&arena);
    zmq_close(in);
    zmq_close(acks);
    zmq_close(stats);
    zmq_ctx_term(ctx);
    return NULL;
}

typedef struct {
    char *dir;        /* temp dir */
    s_peer_t peer;    /* fake screen + sink */
    pthread_t thread; /* runs the peer */
    char parcels_arg[320];
    char acks_arg[320];
    char stats_arg[320];
} s_env_t;

static void s_env_start(s_env_t *env, bool ack)
{
    memset(env, 0, sizeof(*env));
    env->dir = th_tmpdir();
    snprintf(env->peer.parcels_ep, sizeof(env->peer.parcels_ep), "ipc://%s/parcels", env->dir);
    snprintf(env->peer.acks_ep, sizeof(env->peer.acks_ep), "ipc://%s/acks", env->dir);
    snprintf(env->peer.stats_ep, sizeof(env->peer.stats_ep), "ipc://%s/stats", env->dir);
    snprintf(env->parcels_arg, sizeof(env->parcels_arg), ">%s", env->peer.parcels_ep);
    snprintf(env->acks_arg, sizeof(env->acks_arg), "@%s", env->peer.acks_ep);
    snprintf(env->stats_arg, sizeof(env->stats_arg), ">%s", env->peer.stats_ep);
    env->peer.ack = ack;
    env->peer.ack_end = ack;
    atomic_init(&env->peer.quit, false);
    atomic_init(&env->peer.ready, false);
    cr_assert_eq(pthread_create(&env->thread, NULL, s_peer_main, &env->peer), 0);
    while (!atomic_load(&env->peer.ready))
        usleep(1000);
}

/* Waits (bounded) for the peer to see the final STATS, then stops it. */
static void s_env_stop(s_env_t *env, bool wait_final)
{
    for (int i = 0; wait_final && i < 500 && !env->peer.got_final; i++)
        usleep(10000);
    atomic_store(&env->peer.quit, true);
    pthread_join(env->thread, NULL);
    th_rmdir(env->dir);
    free(env->dir);
}

static size_t s_count_lines(const char *path)
{
    char *text;
    size_t len = th_slurp(path, &text);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    free(text);
    return n;
}

static uint64_t s_counter(const proto_stats_t *st, const char *name)
{
    uint64_t v = UINT64_MAX;
    cr_assert_eq(proto_stats_get(st, name, &v), 0, "no counter %s", name);
    return v;
}

Test(ingest_stage, files_are_batched_acknowledged_and_accounted, .timeout = 60)
{
    s_env_t env;
    s_env_start(&env, true);
    /* The NDJSON sample, two bad lines, and the CSV sample whose 8 parcel_ids repeat. */
    char *sample;
    size_t len = th_slurp(SAMPLE_NDJSON, &sample);
    core_buf_t b = {0};
    core_buf_append(&b, sample, len);
    core_buf_append_str(&b, "{\"parcel_id\":\"X1\"}\nnot json\n");
    char *ndjson = th_write(env.dir, "a.ndjson", b.data, b.len);
    char *rejects = th_write(env.dir, "rejects.log", "", 0);
    char *argv[] = {"ingest",    "--input",         ndjson,   (char *)SAMPLE_CSV,
                    "--parcels", env.parcels_arg,   "--acks", env.acks_arg,
                    "--stats",   env.stats_arg,     "--once", "--batch-size",
                    "3",         "--max-in-flight", "2",      "--reject-log",
                    rejects,     "--log-level",     "warn"};
    int rc = ingest_main((int)CORE_ARRAY_LEN(argv), argv);
    cr_assert_eq(rc, 0);
    cr_assert_eq(s_count_lines(rejects), 10);
    char *log;
    th_slurp(rejects, &log);
    cr_assert_neq(strstr(log, "a.ndjson:9: parcel_id X1: required field 'items'"), NULL, "%s", log);
    cr_assert_neq(strstr(log, "sample_manifest_flat.csv:2: parcel_id P0001: duplicate parcel_id"),
                  NULL, "%s", log);
    free(log);
    s_env_stop(&env, true);

    s_peer_t *pe = &env.peer;
    cr_assert_eq(pe->parcels, 8);
    cr_assert_eq(pe->batches, 3, "8 parcels in batches of 3");
    cr_assert_eq(pe->max_batch, 3);
    cr_assert(pe->seqs_ok);
    cr_assert(pe->ingest_ns_ok);
    cr_assert_str_eq(pe->first_id, "P0001");
    cr_assert(pe->got_end);
    cr_assert(pe->end_after_batches);
    cr_assert_eq(pe->end.records_read, 8 + 2 + 8);
    cr_assert_eq(pe->end.records_rejected, 2 + 8);
    cr_assert_eq(pe->end.parcels_sent, 8);
    cr_assert_eq(pe->end.batches_sent, 3);
    cr_assert(pe->got_final);
    cr_assert_str_eq(pe->stats.stage, "ingest");
    cr_assert_eq(s_counter(&pe->stats, "records_read"), 18);
    cr_assert_eq(s_counter(&pe->stats, "records_rejected"), 10);
    cr_assert_eq(s_counter(&pe->stats, "parcels_sent"), 8);
    cr_assert_eq(s_counter(&pe->stats, "batches_sent"), 3);
    cr_assert_eq(s_counter(&pe->stats, "batches_acked"), 3);
    cr_assert_eq(s_counter(&pe->stats, "parcels_acked"), 8);
    free(sample);
    free(ndjson);
    free(rejects);
    core_buf_clear(&b);
}

Test(ingest_stage, no_ack_progress_exits_1, .timeout = 60)
{
    s_env_t env;
    s_env_start(&env, false);
    char *argv[] = {"ingest",        "--input", (char *)SAMPLE_NDJSON, "--parcels",
                    env.parcels_arg, "--acks",  env.acks_arg,          "--once",
                    "--batch-size",  "2",       "--peer-timeout-ms",   "300",
                    "--log-level",   "error"};
    int64_t t0 = core_mono_ns();
    int rc = ingest_main((int)CORE_ARRAY_LEN(argv), argv);
    int64_t took_ms = (core_mono_ns() - t0) / 1000000;
    cr_assert_eq(rc, 1);
    cr_assert_geq(took_ms, 300);
    s_env_stop(&env, false);
    cr_assert_geq(env.peer.batches, 4);
    cr_assert_eq(env.peer.got_end, false, "END waits for every ACK");
}

Test(ingest_stage, credit_limits_batches_in_flight, .timeout = 60)
{
    /* Without ACKs only --max-in-flight batches go out. */
    s_env_t env;
    s_env_start(&env, false);
    char *argv[] = {"ingest",
                    "--input",
                    (char *)SAMPLE_NDJSON,
                    "--parcels",
                    env.parcels_arg,
                    "--acks",
                    env.acks_arg,
                    "--once",
                    "--batch-size",
                    "1",
                    "--max-in-flight",
                    "3",
                    "--peer-timeout-ms",
                    "500",
                    "--log-level",
                    "error"};
    cr_assert_eq(ingest_main((int)CORE_ARRAY_LEN(argv), argv), 1);
    s_env_stop(&env, false);
    cr_assert_eq(env.peer.batches, 3);
    cr_assert_eq(env.peer.got_end, false, "END waits for the last batch");
}

Test(ingest_stage, lost_batches_are_resent_until_acknowledged, .timeout = 60)
{
    /* The first 3 batch messages are lost (a screen killed with them): ingest re-sends them
     * after --resend-timeout-ms, every parcel is acknowledged once, END follows. */
    s_env_t env;
    s_env_start(&env, true);
    env.peer.drop_first = 3;
    char *argv[] = {"ingest",
                    "--input",
                    (char *)SAMPLE_NDJSON,
                    "--parcels",
                    env.parcels_arg,
                    "--acks",
                    env.acks_arg,
                    "--stats",
                    env.stats_arg,
                    "--once",
                    "--batch-size",
                    "2",
                    "--resend-timeout-ms",
                    "100",
                    "--log-level",
                    "error"};
    cr_assert_eq(ingest_main((int)CORE_ARRAY_LEN(argv), argv), 0);
    s_env_stop(&env, true);
    s_peer_t *pe = &env.peer;
    cr_assert(pe->got_end);
    cr_assert(pe->end_after_batches);
    cr_assert(pe->got_final);
    cr_assert_eq(pe->end.parcels_sent, 8);
    cr_assert_eq(pe->end.batches_sent, 4);
    cr_assert_geq(pe->parcels, 8, "every parcel arrived at least once");
    cr_assert_eq(s_counter(&pe->stats, "parcels_acked"), 8);
    cr_assert_eq(s_counter(&pe->stats, "batches_acked"), 4);
    cr_assert_geq(s_counter(&pe->stats, "batches_resent"), 3);
}

Test(ingest_stage, end_is_resent_until_acknowledged, .timeout = 60)
{
    /* Batches are acknowledged, END is not at first: ingest re-sends END, and finishes once
     * END is acknowledged. */
    s_env_t env;
    s_env_start(&env, true);
    env.peer.ack_end = false;
    char *argv[] = {"ingest",
                    "--input",
                    (char *)SAMPLE_NDJSON,
                    "--parcels",
                    env.parcels_arg,
                    "--acks",
                    env.acks_arg,
                    "--stats",
                    env.stats_arg,
                    "--once",
                    "--resend-timeout-ms",
                    "50",
                    "--peer-timeout-ms",
                    "400",
                    "--log-level",
                    "error"};
    cr_assert_eq(ingest_main((int)CORE_ARRAY_LEN(argv), argv), 1, "END never acknowledged");
    cr_assert(env.peer.got_end);
    cr_assert_eq(env.peer.got_final, false);
    s_env_stop(&env, false);
}

Test(ingest_stage, usage_errors_exit_2)
{
    char *dir = th_tmpdir();
    char *txt = th_write(dir, "m.txt", "x", 1);
    char *a1[] = {"ingest"};
    cr_assert_eq(ingest_main(1, a1), 2);
    char *a2[] = {"ingest", "--input", txt};
    cr_assert_eq(ingest_main(3, a2), 2);
    char *a3[] = {"ingest", "--input", "-"};
    cr_assert_eq(ingest_main(3, a3), 2);
    char *a4[] = {"ingest", "--input", "x.ndjson", "--format", "xml"};
    cr_assert_eq(ingest_main(5, a4), 2);
    char *a5[] = {"ingest", "--input", (char *)SAMPLE_NDJSON, "--batch-size", "0"};
    cr_assert_eq(ingest_main(5, a5), 2);
    char *a6[] = {"ingest", "--input", "/nonexistent/x.ndjson"};
    cr_assert_eq(ingest_main(3, a6), 2);
    char *a7[] = {"ingest", "--input", "zmq", "zmq"};
    cr_assert_eq(ingest_main(4, a7), 2);
    char *a8[] = {"ingest", "--help"};
    cr_assert_eq(ingest_main(2, a8), 0);
    free(txt);
    th_rmdir(dir);
    free(dir);
}

/* ============ SIGTERM: drain before exit ============ */

Test(ingest_stage, sigterm_drains_batches_in_flight_before_exit, .timeout = 60)
{
    /* The first batch is lost; the stop request comes with the second. ingest stops reading
     * but re-sends the lost batch and waits for every ACK and END's before it exits 0. */
    s_env_t env;
    s_env_start(&env, true);
    env.peer.drop_first = 1;
    env.peer.stop_after = 2;
    char *argv[] = {"ingest",
                    "--input",
                    (char *)SAMPLE_NDJSON,
                    "--parcels",
                    env.parcels_arg,
                    "--acks",
                    env.acks_arg,
                    "--stats",
                    env.stats_arg,
                    "--batch-size",
                    "2",
                    "--resend-timeout-ms",
                    "100",
                    "--log-level",
                    "error"};
    cr_assert_eq(ingest_main((int)CORE_ARRAY_LEN(argv), argv), 0);
    s_env_stop(&env, true);
    s_peer_t *pe = &env.peer;
    cr_assert(pe->got_end, "END goes out once everything is acknowledged");
    cr_assert(pe->got_final, "drained: the last STATS is final");
    cr_assert_geq(pe->end.parcels_sent, 2);
    cr_assert_eq(s_counter(&pe->stats, "parcels_acked"), pe->end.parcels_sent);
    cr_assert_geq(s_counter(&pe->stats, "batches_resent"), 1, "the lost batch was re-sent");
}

Test(ingest_stage, sigterm_without_acks_exits_1_after_drain_timeout, .timeout = 60)
{
    s_env_t env;
    s_env_start(&env, false);
    env.peer.stop_after = 2;
    char *argv[] = {"ingest",
                    "--input",
                    (char *)SAMPLE_NDJSON,
                    "--parcels",
                    env.parcels_arg,
                    "--acks",
                    env.acks_arg,
                    "--stats",
                    env.stats_arg,
                    "--batch-size",
                    "2",
                    "--drain-timeout-ms",
                    "300",
                    "--log-level",
                    "error"};
    int64_t t0 = core_mono_ns();
    int rc = ingest_main((int)CORE_ARRAY_LEN(argv), argv);
    int64_t took_ms = (core_mono_ns() - t0) / 1000000;
    cr_assert_eq(rc, 1, "not drained is not a clean exit");
    cr_assert_geq(took_ms, 300);
    s_env_stop(&env, false);
    cr_assert_not(env.peer.got_end, "END waits for every ACK");
    cr_assert_not(env.peer.got_final);
}

/* ============ ZeroMQ producers ============ */

typedef struct {
    char endpoint[300];   /* producers endpoint to connect to */
    core_buf_t frames[2]; /* what to push */
} s_producer_t;

static void *s_producer_main(void *arg)
{
    s_producer_t *pr = arg;
    void *ctx = zmq_ctx_new();
    void *push = zmq_socket(ctx, ZMQ_PUSH);
    int linger = 5000;
    zmq_setsockopt(push, ZMQ_LINGER, &linger, sizeof(linger));
    zmq_connect(push, pr->endpoint);
    for (int i = 0; i < 2; i++)
        zmq_send(push, pr->frames[i].data, pr->frames[i].len, 0);
    zmq_close(push);
    zmq_ctx_term(ctx);
    return NULL;
}

Test(ingest_stage, producers_push_frames_until_sigterm, .timeout = 60)
{
    s_env_t env;
    s_env_start(&env, true);
    env.peer.stop_after = 4; /* then SIGTERM-equivalent */
    s_producer_t pr;
    memset(&pr, 0, sizeof(pr));
    snprintf(pr.endpoint, sizeof(pr.endpoint), "ipc://%s/producers", env.dir);
    th_mp_parcel(&pr.frames[0], "Z1", "a", 1);
    th_mp_parcel(&pr.frames[0], "Z2", "b", 2);
    th_mp_parcel(&pr.frames[0], "Z3", "c", 1);
    th_mp_parcel(&pr.frames[1], "Z4", "d", 1);
    core_buf_append(&pr.frames[1], "\xdd\xff\xff\xff\xff", 5); /* garbage ends the frame */
    char prod_arg[320];
    snprintf(prod_arg, sizeof(prod_arg), "@%s", pr.endpoint);
    char *dir = env.dir;
    char rejects[400];
    snprintf(rejects, sizeof(rejects), "%s/rejects.log", dir);
    char *argv[] = {"ingest",      "--input",       "zmq",    "--producers", prod_arg,
                    "--parcels",   env.parcels_arg, "--acks", env.acks_arg,  "--stats",
                    env.stats_arg, "--reject-log",  rejects,  "--flush-ms",  "20",
                    "--log-level", "warn"};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, s_producer_main, &pr), 0);
    int rc = ingest_main((int)CORE_ARRAY_LEN(argv), argv);
    pthread_join(t, NULL);
    cr_assert_eq(rc, 0);
    /* Give END time to arrive, then stop the peer. */
    for (int i = 0; i < 500 && !env.peer.got_end; i++)
        usleep(10000);
    cr_assert_eq(env.peer.parcels, 4);
    cr_assert(env.peer.got_end);
    cr_assert_eq(env.peer.end.records_read, 5);
    cr_assert_eq(env.peer.end.records_rejected, 1);
    cr_assert_eq(s_count_lines(rejects), 1);
    char *log;
    th_slurp(rejects, &log);
    cr_assert_neq(strstr(log, "zmq#2@"), NULL, "%s", log);
    cr_assert_neq(strstr(log, "input stopped"), NULL, "%s", log);
    free(log);
    s_env_stop(&env, false);
    core_buf_clear(&pr.frames[0]);
    core_buf_clear(&pr.frames[1]);
}

/* ============ stdin: a slow writer still gets its batches out ============ */

typedef struct {
    int fd;         /* write end of the pipe */
    s_peer_t *peer; /* to wait for the first flush */
    bool flushed;   /* the first two parcels arrived before the input ended */
} s_writer_t;

static void *s_writer_main(void *arg)
{
    s_writer_t *w = arg;
    const char *two = "{\"parcel_id\":\"S1\",\"items\":[{\"description\":\"x\"}]}\n"
                      "{\"parcel_id\":\"S2\",\"items\":[{\"description\":\"x\"}]}\n";
    cr_assert_eq(write(w->fd, two, strlen(two)), (ssize_t)strlen(two));
    for (int i = 0; i < 1000 && w->peer->parcels < 2; i++)
        usleep(5000);
    w->flushed = w->peer->parcels == 2;
    const char *last = "{\"parcel_id\":\"S3\",\"items\":[{\"description\":\"x\"}]}\n";
    cr_assert_eq(write(w->fd, last, strlen(last)), (ssize_t)strlen(last));
    close(w->fd);
    return NULL;
}

Test(ingest_stage, slow_stdin_is_flushed_by_time, .timeout = 60)
{
    s_env_t env;
    s_env_start(&env, true);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
    close(p[0]);
    s_writer_t w = {.fd = p[1], .peer = &env.peer, .flushed = false};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, s_writer_main, &w), 0);
    char *argv[] = {"ingest",      "--input",       "-",          "--format",   "ndjson",
                    "--parcels",   env.parcels_arg, "--acks",     env.acks_arg, "--stats",
                    env.stats_arg, "--once",        "--flush-ms", "30",         "--log-level",
                    "warn"};
    int rc = ingest_main((int)CORE_ARRAY_LEN(argv), argv);
    pthread_join(t, NULL);
    cr_assert_eq(rc, 0);
    s_env_stop(&env, true);
    cr_assert(w.flushed, "a partial batch went out while stdin was still open");
    cr_assert_eq(env.peer.parcels, 3);
    cr_assert_eq(env.peer.batches, 2);
    cr_assert(env.peer.got_final);
}

/* ============ Resume (--state) ============ */

static size_t s_state_records(const char *path)
{
    char *text;
    th_slurp(path, &text);
    unsigned long long records = 0;
    char *line = strstr(text, "\nfile ");
    cr_assert_not_null(line, "%s", text);
    cr_assert_eq(sscanf(line, "\nfile %llu", &records), 1);
    free(text);
    return (size_t)records;
}

Test(ingest_stage, a_restart_with_the_state_file_skips_what_was_acknowledged, .timeout = 60)
{
    /* 8 good parcels and 2 rejects (lines 9, 10) in batches of 2; the peer acknowledges only
     * the first 2 batches, ingest gives up; the state holds records 1..4. The second run
     * skips them and sends the other 4 parcels; a third run skips everything. */
    char *sample;
    size_t len = th_slurp(SAMPLE_NDJSON, &sample);
    core_buf_t b = {0};
    core_buf_append(&b, sample, len);
    core_buf_append_str(&b, "{\"parcel_id\":\"X1\"}\nnot json\n");
    s_env_t env;
    s_env_start(&env, true);
    env.peer.ack_limit = 2;
    char *ndjson = th_write(env.dir, "a.ndjson", b.data, b.len);
    char *rejects = th_write(env.dir, "rejects.log", "", 0);
    char state[400];
    snprintf(state, sizeof(state), "%s/ingest.state", env.dir);
    char *argv[] = {"ingest",
                    "--input",
                    ndjson,
                    "--parcels",
                    env.parcels_arg,
                    "--acks",
                    env.acks_arg,
                    "--stats",
                    env.stats_arg,
                    "--once",
                    "--batch-size",
                    "2",
                    "--state",
                    state,
                    "--reject-log",
                    rejects,
                    "--peer-timeout-ms",
                    "300",
                    "--resend-timeout-ms",
                    "1000",
                    "--log-level",
                    "error"};
    cr_assert_eq(ingest_main((int)CORE_ARRAY_LEN(argv), argv), 1, "batches 3, 4 never acked");
    cr_assert_eq(s_state_records(state), 4, "the acknowledged prefix: 2 batches of 2");
    cr_assert_str_eq(env.peer.ids[0], "P0001");
    atomic_store(&env.peer.quit, true);
    pthread_join(env.thread, NULL);

    /* Second run, everything acknowledged. */
    memset(&env.peer.ids, 0, sizeof(env.peer.ids));
    env.peer.ack_limit = 0;
    env.peer.parcels = 0;
    env.peer.batches = 0;
    env.peer.received = 0;
    env.peer.got_end = false;
    env.peer.got_final = false;
    atomic_store(&env.peer.quit, false);
    atomic_store(&env.peer.ready, false);
    cr_assert_eq(pthread_create(&env.thread, NULL, s_peer_main, &env.peer), 0);
    while (!atomic_load(&env.peer.ready))
        usleep(1000);
    cr_assert_eq(ingest_main((int)CORE_ARRAY_LEN(argv), argv), 0);
    for (int i = 0; i < 500 && !env.peer.got_final; i++)
        usleep(10000);
    cr_assert(env.peer.got_final);
    cr_assert_eq(env.peer.parcels, 4, "only the parcels not acknowledged before");
    cr_assert_str_eq(env.peer.ids[0], "P0005");
    cr_assert_eq(env.peer.end.records_read, 6, "4 parcels + 2 rejects");
    cr_assert_eq(env.peer.end.records_rejected, 2);
    cr_assert_eq(s_counter(&env.peer.stats, "records_skipped"), 4);
    cr_assert_eq(s_count_lines(rejects), 4, "2 rejects per run, none of the skipped records");
    cr_assert_eq(s_state_records(state), 10, "the whole file");

    /* Third run: nothing left. */
    env.peer.parcels = 0;
    env.peer.got_final = false;
    cr_assert_eq(ingest_main((int)CORE_ARRAY_LEN(argv), argv), 0);
    for (int i = 0; i < 500 && !env.peer.got_final; i++)
        usleep(10000);
    cr_assert_eq(env.peer.parcels, 0);
    cr_assert_eq(s_counter(&env.peer.stats, "records_skipped"), 10);
    cr_assert_eq(s_counter(&env.peer.stats, "records_read"), 0);

    /* A changed file is read from the start. */
    core_buf_append_str(&b, "\n");
    free(th_write(env.dir, "a.ndjson", b.data, b.len));
    env.peer.parcels = 0;
    env.peer.got_final = false;
    cr_assert_eq(ingest_main((int)CORE_ARRAY_LEN(argv), argv), 0);
    for (int i = 0; i < 500 && !env.peer.got_final; i++)
        usleep(10000);
    cr_assert_eq(env.peer.parcels, 8);
    s_env_stop(&env, false);
    free(sample);
    free(ndjson);
    free(rejects);
    core_buf_clear(&b);
}
