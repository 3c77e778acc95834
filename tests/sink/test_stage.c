/* test_stage.c -- the sink stage end to end in a thread: batches in, ACK, queue.new and STATS
 * out, bad input counted, SIGTERM and commit failures. Each test has its own ipc directory. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <pthread.h>
#include <sqlite3.h>
#include <string.h>
#include <zmq.h>

#include "core/signals.h"
#include "helpers.h"
#include "proto/control.h"
#include "sink/export.h"
#include "sink/sink.h"

#define RECV_TIMEOUT_MS 10000 /* generous: sanitizer builds are slow */

static test_dir_t s_dir;
static char s_ep_verdicts[200], s_ep_acks[200], s_ep_queue[200], s_ep_stats[200];

static void s_setup(void)
{
    test_dir_make(&s_dir);
    snprintf(s_ep_verdicts, sizeof(s_ep_verdicts), "ipc://%s/verdicts", s_dir.dir);
    snprintf(s_ep_acks, sizeof(s_ep_acks), "ipc://%s/acks", s_dir.dir);
    snprintf(s_ep_queue, sizeof(s_ep_queue), "ipc://%s/queue", s_dir.dir);
    snprintf(s_ep_stats, sizeof(s_ep_stats), "ipc://%s/stats", s_dir.dir);
}

static void s_teardown(void)
{
    test_dir_remove(&s_dir);
}

/* Every suite of test_sink uses the same timeout: with different values in one binary,
 * Criterion 2.4's runner leaks 48 bytes under --jobs 2 (seen with LSan). */
TestSuite(sink_stage, .init = s_setup, .fini = s_teardown, .timeout = 30);

/* ============ The stage in a thread ============ */

typedef struct {
    char *argv[32];   /* owned copies */
    int argc;         /* entries in argv */
    int rc;           /* sink_main's result */
    pthread_t thread; /* runs sink_main */
} stage_t;

static void s_arg(stage_t *st, const char *fmt, const char *value)
{
    char text[256];
    snprintf(text, sizeof(text), fmt, value);
    st->argv[st->argc++] = strdup(text);
}

static void *s_stage_thread(void *arg)
{
    stage_t *st = arg;
    st->rc = sink_main(st->argc, st->argv);
    return NULL;
}

/* Starts sink with the test endpoints plus 'extra' (NULL-terminated). */
static void s_stage_start(stage_t *st, const char *const *extra)
{
    memset(st, 0, sizeof(*st));
    s_arg(st, "%s", "sink");
    s_arg(st, "--db=%s", s_dir.db);
    s_arg(st, "--verdicts=@%s", s_ep_verdicts);
    s_arg(st, "--acks=>%s", s_ep_acks);
    s_arg(st, "--stats=>%s", s_ep_stats);
    s_arg(st, "%s", "--stats-interval-ms=3600000");
    s_arg(st, "%s", "--log-level=error");
    for (size_t i = 0; extra && extra[i]; i++)
        s_arg(st, "%s", extra[i]);
    cr_assert_eq(pthread_create(&st->thread, NULL, s_stage_thread, st), 0);
}

static int s_stage_join(stage_t *st)
{
    cr_assert_eq(pthread_join(st->thread, NULL), 0);
    for (int i = 0; i < st->argc; i++)
        free(st->argv[i]);
    return st->rc;
}

/* ============ The peers: screen's PUSH, ingest's PULL, a controller, a subscriber ============ */

typedef struct {
    void *ctx;      /* the test's own context */
    void *verdicts; /* PUSH, as screen */
    void *acks;     /* PULL bind, as ingest */
    void *stats;    /* PULL bind, as the controller */
    void *queue;    /* SUB, as an officers' screen; NULL unless asked */
} peers_t;

static void *s_socket(peers_t *p, int type, const char *endpoint, bool bind)
{
    void *sock = zmq_socket(p->ctx, type);
    cr_assert_not_null(sock);
    int linger = 0;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof(linger));
    if (type == ZMQ_SUB) {
        int ivl = 10;
        zmq_setsockopt(sock, ZMQ_RECONNECT_IVL, &ivl, sizeof(ivl));
        zmq_setsockopt(sock, ZMQ_SUBSCRIBE, "queue.new", 9);
    }
    int rc = bind ? zmq_bind(sock, endpoint) : zmq_connect(sock, endpoint);
    cr_assert_eq(rc, 0, "%s %s: %s", bind ? "bind" : "connect", endpoint,
                 zmq_strerror(zmq_errno()));
    return sock;
}

static void s_peers_open(peers_t *p, bool subscribe)
{
    memset(p, 0, sizeof(*p));
    p->ctx = zmq_ctx_new();
    p->acks = s_socket(p, ZMQ_PULL, s_ep_acks, true);
    p->stats = s_socket(p, ZMQ_PULL, s_ep_stats, true);
    p->verdicts = s_socket(p, ZMQ_PUSH, s_ep_verdicts, false);
    if (subscribe)
        p->queue = s_socket(p, ZMQ_SUB, s_ep_queue, false);
}

static void s_peers_close(peers_t *p)
{
    void **all[] = {&p->verdicts, &p->acks, &p->stats, &p->queue};
    for (size_t i = 0; i < CORE_ARRAY_LEN(all); i++) {
        if (*all[i])
            zmq_close(*all[i]);
        *all[i] = NULL;
    }
    zmq_ctx_term(p->ctx);
}

/* Receives one frame into buf within timeout_ms. Returns false on timeout. */
static bool s_recv(void *sock, core_buf_t *buf, long timeout_ms)
{
    zmq_pollitem_t item = {.socket = sock, .events = ZMQ_POLLIN};
    if (zmq_poll(&item, 1, timeout_ms) <= 0)
        return false;
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    cr_assert_geq(zmq_msg_recv(&msg, sock, 0), 0);
    core_buf_reset(buf);
    core_buf_append(buf, zmq_msg_data(&msg), zmq_msg_size(&msg));
    zmq_msg_close(&msg);
    core_buf_cstr(buf);
    return true;
}

static void s_send(void *sock, const core_buf_t *buf)
{
    cr_assert_eq(zmq_send(sock, buf->data, buf->len, 0), (int)buf->len);
}

static void s_send_batch(peers_t *p, uint64_t seq, const test_verdict_t *v, size_t n)
{
    core_buf_t buf = {0};
    test_batch_encode(&buf, seq, v, n);
    s_send(p->verdicts, &buf);
    core_buf_clear(&buf);
}

static void s_send_end(peers_t *p)
{
    proto_end_t end = {
        .records_read = 4, .records_rejected = 1, .parcels_sent = 3, .batches_sent = 1};
    core_buf_t buf = {0};
    proto_end_encode(&end, &buf);
    s_send(p->verdicts, &buf);
    core_buf_clear(&buf);
}

static proto_ack_t s_expect_ack(peers_t *p)
{
    core_buf_t buf = {0};
    cr_assert(s_recv(p->acks, &buf, RECV_TIMEOUT_MS), "no ACK");
    proto_ack_t ack;
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(proto_ack_decode(buf.data, buf.len, &ack, err), 0, "%s", err);
    core_buf_clear(&buf);
    return ack;
}

static void s_expect_stats(peers_t *p, proto_stats_t *stats)
{
    core_buf_t buf = {0};
    cr_assert(s_recv(p->stats, &buf, RECV_TIMEOUT_MS), "no STATS");
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(proto_stats_decode(buf.data, buf.len, stats, err), 0, "%s", err);
    cr_assert_str_eq(stats->stage, "sink");
    core_buf_clear(&buf);
}

static uint64_t s_counter(const proto_stats_t *stats, const char *name)
{
    uint64_t v = 0;
    cr_assert_eq(proto_stats_get(stats, name, &v), 0, "no counter %s", name);
    return v;
}

/* Reads one queue.new message (topic frame, then JSON) into json. */
static bool s_recv_queue_entry(peers_t *p, core_buf_t *json, long timeout_ms)
{
    core_buf_t topic = {0};
    bool got = s_recv(p->queue, &topic, timeout_ms);
    if (got) {
        cr_assert_str_eq(topic.data, "queue.new");
        int more = 0;
        size_t size = sizeof(more);
        zmq_getsockopt(p->queue, ZMQ_RCVMORE, &more, &size);
        cr_assert(more, "queue.new without a JSON frame");
        cr_assert(s_recv(p->queue, json, timeout_ms));
    }
    core_buf_clear(&topic);
    return got;
}

/* PUB/SUB joins late: send single-hit probe batches until one shows up on the subscriber.
 * Returns the number of probes sent (each stored, acknowledged and queued). */
static uint64_t s_sync_subscriber(peers_t *p)
{
    core_buf_t json = {0};
    for (uint64_t i = 0; i < 500; i++) {
        char id[32];
        snprintf(id, sizeof(id), "probe-%llu", (unsigned long long)i);
        test_verdict_t probe = {id, 60, PROTO_CHANNEL_YELLOW, 1, false, false};
        s_send_batch(p, 1000 + i, &probe, 1);
        proto_ack_t ack = s_expect_ack(p);
        cr_assert_eq(ack.seq, 1000 + i);
        if (s_recv_queue_entry(p, &json, 20)) {
            core_buf_clear(&json);
            return i + 1;
        }
    }
    cr_assert_fail("the subscriber never saw a queue.new");
    return 0;
}

static const test_verdict_t s_run_batch[] = {
    {"P1", 72, PROTO_CHANNEL_RED, 2, false, false},
    {"P2", 0, PROTO_CHANNEL_GREEN, 0, false, false},
    {"P3", 0, PROTO_CHANNEL_GREEN, 0, false, true},
};

Test(sink_stage, stores_acknowledges_publishes_and_reports_a_run)
{
    peers_t p;
    s_peers_open(&p, true);
    stage_t st;
    char pub[256];
    snprintf(pub, sizeof(pub), "--queue-pub=@%s", s_ep_queue);
    const char *extra[] = {pub, "--once", NULL};
    s_stage_start(&st, extra);

    uint64_t probes = s_sync_subscriber(&p);
    s_send_batch(&p, 1, s_run_batch, 3);
    s_send_batch(&p, 2, s_run_batch, 3); /* ingest re-sent it: all duplicates */
    s_send_end(&p);

    proto_ack_t ack = s_expect_ack(&p);
    cr_assert_eq(ack.seq, 1);
    cr_assert_eq(ack.parcels, 3);
    ack = s_expect_ack(&p);
    cr_assert_eq(ack.seq, 2);
    cr_assert_eq(ack.parcels, 3);
    ack = s_expect_ack(&p);
    cr_assert_eq(ack.seq, 0, "END acknowledged with seq 0 after everything before it");

    core_buf_t json = {0};
    cr_assert(s_recv_queue_entry(&p, &json, RECV_TIMEOUT_MS));
    cr_assert_not_null(strstr(json.data, "\"parcel_id\":\"P1\",\"risk_score\":72,"
                                         "\"channel\":\"red\""),
                       "%s", json.data);
    cr_assert_not_null(strstr(json.data, "\"rule_id\":\"GOODS-0113\""), "%s", json.data);
    cr_assert(s_recv_queue_entry(&p, &json, RECV_TIMEOUT_MS));
    cr_assert_not_null(strstr(json.data, "\"parcel_id\":\"P3\""), "%s", json.data);
    cr_assert_not_null(strstr(json.data, "\"selected_at_random\":true"), "%s", json.data);
    cr_assert_not(s_recv_queue_entry(&p, &json, 50), "duplicates must not be re-queued");
    core_buf_clear(&json);

    proto_stats_t stats;
    s_expect_stats(&p, &stats);
    cr_assert(stats.final);
    cr_assert_eq(s_counter(&stats, "verdicts_stored"), probes + 3);
    cr_assert_eq(s_counter(&stats, "duplicates_ignored"), 3);
    cr_assert_eq(s_counter(&stats, "verdicts_red"), 1);
    cr_assert_eq(s_counter(&stats, "verdicts_yellow"), probes);
    cr_assert_eq(s_counter(&stats, "verdicts_green"), 2);
    cr_assert_eq(s_counter(&stats, "queue_added"), probes + 2);
    cr_assert_eq(s_counter(&stats, "batches_committed"), probes + 2);

    cr_assert_eq(s_stage_join(&st), 0);
    s_peers_close(&p);

    test_mem_t mem;
    test_mem_open(&mem);
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(sink_export_ndjson(s_dir.db, NULL, mem.file, err), 0, "%s", err);
    cr_assert_eq(test_count_lines(test_mem_text(&mem)), probes + 3);
    test_mem_close(&mem);
}

Test(sink_stage, bad_messages_are_counted_not_acknowledged_and_sigterm_exits_0)
{
    peers_t p;
    s_peers_open(&p, false);
    stage_t st;
    const char *extra[] = {"--queue-pub=", NULL};
    s_stage_start(&st, extra);

    core_buf_t buf = {0};
    core_buf_append_str(&buf, "GET / HTTP/1.0\r\n\r\n"); /* not a proto message */
    s_send(p.verdicts, &buf);
    test_batch_encode(&buf, 4, s_run_batch, 3);
    buf.len -= 5; /* a VERDICT_BATCH cut short */
    s_send(p.verdicts, &buf);
    s_send_batch(&p, 5, s_run_batch, 1);
    proto_ack_t ack = s_expect_ack(&p);
    cr_assert_eq(ack.seq, 5);
    cr_assert_eq(ack.parcels, 1);

    core_signals_request_stop();
    cr_assert_eq(s_stage_join(&st), 0);
    proto_stats_t stats;
    s_expect_stats(&p, &stats);
    cr_assert_not(stats.final);
    cr_assert_eq(s_counter(&stats, "messages_invalid"), 1);
    cr_assert_eq(s_counter(&stats, "batches_invalid"), 1);
    cr_assert_eq(s_counter(&stats, "verdicts_stored"), 1);
    cr_assert_not(s_recv(p.acks, &buf, 50), "a bad batch was acknowledged");
    core_buf_clear(&buf);
    s_peers_close(&p);
}

Test(sink_stage, a_failed_transaction_is_retried_and_acknowledged_once_it_commits)
{
    peers_t p;
    s_peers_open(&p, false);
    stage_t st;
    const char *extra[] = {"--queue-pub=", "--busy-timeout-ms=0", "--once", NULL};
    s_stage_start(&st, extra);
    s_send_batch(&p, 1, s_run_batch, 1);
    cr_assert_eq(s_expect_ack(&p).seq, 1);

    /* Another writer holds the lock and the sink may not wait: its transaction fails, is
     * rolled back, not acknowledged, and retried with back-off (100, 200, 400 ms, ...). */
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(s_dir.db, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    s_send_batch(&p, 2, s_run_batch + 1, 2);
    core_buf_t buf = {0};
    cr_assert_not(s_recv(p.acks, &buf, 800), "batch 2 was acknowledged while the lock was held");
    core_buf_clear(&buf);
    /* The condition clears: the same group is stored and acknowledged. */
    cr_assert_eq(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    proto_ack_t ack = s_expect_ack(&p);
    cr_assert_eq(ack.seq, 2);
    cr_assert_eq(ack.parcels, 2);

    s_send_end(&p);
    ack = s_expect_ack(&p);
    cr_assert_eq(ack.seq, 0, "END is acknowledged with seq 0");
    proto_stats_t stats;
    s_expect_stats(&p, &stats);
    cr_assert(stats.final);
    cr_assert_geq(s_counter(&stats, "commit_failures"), 2);
    cr_assert_eq(s_counter(&stats, "verdicts_stored"), 3);
    cr_assert_eq(s_counter(&stats, "duplicates_ignored"), 0);
    cr_assert_eq(s_counter(&stats, "batches_committed"), 2);
    cr_assert_eq(s_stage_join(&st), 0);
    s_peers_close(&p);

    test_mem_t mem;
    test_mem_open(&mem);
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(sink_export_ndjson(s_dir.db, NULL, mem.file, err), 0, "%s", err);
    cr_assert_eq(test_count_lines(test_mem_text(&mem)), 3);
    test_mem_close(&mem);
}

static int s_main(const char **args)
{
    char *argv[16];
    int argc = 0;
    for (; args[argc]; argc++)
        argv[argc] = (char *)args[argc];
    argv[argc] = NULL;
    return sink_main(argc, argv);
}

Test(sink_stage, usage_errors_exit_2_and_an_unusable_database_exits_1)
{
    cr_redirect_stderr();
    cr_redirect_stdout();
    const char *no_db[] = {"sink", NULL};
    cr_assert_eq(s_main(no_db), 2);
    const char *bad_sync[] = {"sink", "--db", s_dir.db, "--sync", "sometimes", NULL};
    cr_assert_eq(s_main(bad_sync), 2);
    const char *bad_flag[] = {"sink", "--db", s_dir.db, "--frobnicate", NULL};
    cr_assert_eq(s_main(bad_flag), 2);
    const char *help[] = {"sink", "--help", NULL};
    cr_assert_eq(s_main(help), 0);
    const char *bad_db[] = {"sink", "--db", "/nonexistent/dir/v.db", NULL};
    cr_assert_eq(s_main(bad_db), 1);
}
