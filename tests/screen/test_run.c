/* test_run.c -- screen/src/run.c, worker.c, stage.c: the stage over real sockets (ipc), driven
 * from the test as ingest (PUSH), sink (PULL) and controller (PULL for STATS). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "core/arena.h"
#include "core/buf.h"
#include "helpers.h"
#include "proto/control.h"
#include "proto/parcel.h"
#include "proto/verdict.h"
#include "screen/screen.h"

static const char s_watchlist[] = TH_HEADER "K1,counterfeit,keyword,items.description,replica,60,\n"
                                            "N1,sdn,name,party.name,\"SMITH, John\",90,\n";

typedef struct {
    int argc;       /* arguments */
    char *argv[40]; /* pointers into buf */
    char buf[4096]; /* argument text */
    int rc;         /* screen_main's result */
} s_main_t;

static void s_args(s_main_t *m, const char *const *args)
{
    size_t used = 0;
    m->argc = 0;
    for (; *args; args++) {
        size_t n = strlen(*args) + 1;
        cr_assert_lt(used + n, sizeof(m->buf));
        memcpy(m->buf + used, *args, n);
        m->argv[m->argc++] = m->buf + used;
        used += n;
    }
    m->argv[m->argc] = NULL;
}

static void *s_main_thread(void *arg)
{
    s_main_t *m = arg;
    m->rc = screen_main(m->argc, m->argv);
    return NULL;
}

typedef struct {
    th_tmp_t tmp;      /* watchlist and ipc files */
    char parcels[300]; /* ipc endpoints */
    char verdicts[300];
    char stats[300];
    void *ctx;        /* the test's context */
    void *ingest;     /* PUSH -> screen */
    void *sink;       /* PULL <- screen */
    void *controller; /* PULL <- STATS */
    s_main_t main;    /* the stage */
    pthread_t thread; /* running screen_main */
} s_rig_t;

static void *s_socket(void *ctx, int type)
{
    void *s = zmq_socket(ctx, type);
    int zero = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof(zero));
    return s;
}

static void s_rig_start(s_rig_t *r, bool once)
{
    memset(r, 0, sizeof(*r));
    th_tmp_init(&r->tmp);
    const char *wl = th_tmp_write(&r->tmp, "wl.csv", s_watchlist, -1);
    snprintf(r->parcels, sizeof(r->parcels), "ipc://%s/parcels", r->tmp.dir);
    snprintf(r->verdicts, sizeof(r->verdicts), "ipc://%s/verdicts", r->tmp.dir);
    snprintf(r->stats, sizeof(r->stats), "ipc://%s/stats", r->tmp.dir);
    r->ctx = zmq_ctx_new();
    r->sink = s_socket(r->ctx, ZMQ_PULL);
    r->controller = s_socket(r->ctx, ZMQ_PULL);
    r->ingest = s_socket(r->ctx, ZMQ_PUSH);
    cr_assert_eq(zmq_bind(r->sink, r->verdicts), 0);
    cr_assert_eq(zmq_bind(r->controller, r->stats), 0);
    cr_assert_eq(zmq_connect(r->ingest, r->parcels), 0);

    char parcels[320], verdicts[320], stats[320];
    snprintf(parcels, sizeof(parcels), "@%s", r->parcels);
    snprintf(verdicts, sizeof(verdicts), ">%s", r->verdicts);
    snprintf(stats, sizeof(stats), ">%s", r->stats);
    const char *args[] = {"screen", "--watchlist",         wl,       "--parcels",
                          parcels,  "--verdicts",          verdicts, "--stats",
                          stats,    "--stats-interval-ms", "50",     "--workers",
                          "2",      "--log-level",         "warn",   once ? "--once" : NULL,
                          NULL};
    s_args(&r->main, args);
    cr_assert_eq(pthread_create(&r->thread, NULL, s_main_thread, &r->main), 0);
}

static int s_rig_join(s_rig_t *r)
{
    pthread_join(r->thread, NULL);
    return r->main.rc;
}

static void s_rig_clear(s_rig_t *r)
{
    zmq_close(r->ingest);
    zmq_close(r->sink);
    zmq_close(r->controller);
    zmq_ctx_term(r->ctx);
    unlink(r->verdicts + 6);
    unlink(r->stats + 6);
    unlink(r->parcels + 6);
    th_tmp_clear(&r->tmp);
}

static void s_send(void *sock, const core_buf_t *buf)
{
    cr_assert_eq(zmq_send(sock, buf->data, buf->len, 0), (int)buf->len);
}

/* A batch of 'n' parcels "B<seq>-P<i>": every third has a replica, every fifth is for John
 * Smith. */
static void s_batch(core_buf_t *buf, uint64_t seq, int n)
{
    proto_parcel_batch_begin(buf, seq, 1000 + (int64_t)seq);
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof(id), "B%llu-P%d", (unsigned long long)seq, i);
        proto_parcel_t p;
        proto_item_t item;
        th_parcel(&p, &item, id, i % 3 == 0 ? "Rolex replica" : "cotton socks");
        p.recipient.name = th_s(i % 5 == 0 ? "Mr John Smith" : "Jane Doe");
        proto_parcel_batch_add(buf, &p);
    }
    proto_parcel_batch_finish(buf, (uint32_t)n);
}

/* Receives one frame into buf with a timeout; false on timeout. */
static bool s_recv(void *sock, core_buf_t *buf, int timeout_ms)
{
    zmq_pollitem_t it = {sock, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&it, 1, timeout_ms) <= 0)
        return false;
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    cr_assert_geq(zmq_msg_recv(&msg, sock, 0), 0);
    core_buf_reset(buf);
    core_buf_append(buf, zmq_msg_data(&msg), zmq_msg_size(&msg));
    zmq_msg_close(&msg);
    return true;
}

/* Checks one VERDICT_BATCH; returns its seq. */
static uint64_t s_check_verdicts(const core_buf_t *buf, int n, uint32_t *hits)
{
    core_arena_t arena;
    core_arena_init(&arena, 0);
    proto_verdict_batch_t vb;
    char err[CORE_ERR_LEN];
    cr_assert_eq(proto_verdict_batch_decode(buf->data, buf->len, &vb, &arena, err), 0, "%s", err);
    cr_assert_eq(vb.count, (uint32_t)n);
    cr_assert_eq(vb.ingest_ns, 1000 + (int64_t)vb.seq, "ingest_ns is copied");
    cr_assert_eq(strncmp(vb.watchlist_version.ptr, "wl-", 3), 0);
    cr_assert_eq(vb.watchlist_version.len, 19);
    cr_assert(core_str_eq_cstr(vb.watchlist_lists, "wl.csv (2 rules)"));
    for (uint32_t i = 0; i < vb.count; i++) {
        const proto_verdict_t *v = &vb.verdicts[i];
        char id[32];
        snprintf(id, sizeof(id), "B%llu-P%u", (unsigned long long)vb.seq, i);
        cr_assert(core_str_eq_cstr(v->parcel_id, id), "verdicts keep the parcel order");
        uint32_t want = (i % 3 == 0) + (i % 5 == 0);
        cr_assert_eq(v->hit_count, want, "%s", id);
        *hits += v->hit_count;
        if (i % 5 == 0)
            cr_assert_eq(v->channel, PROTO_CHANNEL_RED);
        else if (i % 3 == 0)
            cr_assert_eq(v->channel, PROTO_CHANNEL_YELLOW);
        else
            cr_assert_eq(v->channel, PROTO_CHANNEL_GREEN);
    }
    core_arena_clear(&arena);
    return vb.seq;
}

Test(screen_run, screens_batches_then_forwards_end, .timeout = 120)
{
    s_rig_t r;
    s_rig_start(&r, true);
    core_buf_t buf = {0};
    for (uint64_t seq = 1; seq <= 3; seq++) {
        s_batch(&buf, seq, 10 * (int)seq);
        s_send(r.ingest, &buf);
    }
    /* Not ours at all, and a PARCEL_BATCH cut short: both rejected, neither stops the stage. */
    core_buf_reset(&buf);
    core_buf_append_str(&buf, "hello");
    s_send(r.ingest, &buf);
    s_batch(&buf, 99, 5);
    buf.len -= 7;
    s_send(r.ingest, &buf);
    s_batch(&buf, 4, 1);
    s_send(r.ingest, &buf);
    proto_end_t end = {
        .records_read = 61, .records_rejected = 0, .parcels_sent = 61, .batches_sent = 5};
    proto_end_encode(&end, &buf);
    s_send(r.ingest, &buf);

    bool seen[5] = {false};
    int batches = 0;
    uint32_t hits = 0;
    for (;;) {
        cr_assert(s_recv(r.sink, &buf, 30000), "nothing from screen");
        proto_msg_type_t type;
        char err[CORE_ERR_LEN];
        cr_assert_eq(proto_msg_type(buf.data, buf.len, &type, err), 0, "%s", err);
        if (type == PROTO_MSG_END) {
            proto_end_t got;
            cr_assert_eq(proto_end_decode(buf.data, buf.len, &got, err), 0, "%s", err);
            cr_assert_eq(got.records_read, 61, "END is forwarded as received");
            break;
        }
        cr_assert_eq(type, PROTO_MSG_VERDICT_BATCH);
        core_arena_t arena;
        core_arena_init(&arena, 0);
        proto_verdict_batch_t vb;
        cr_assert_eq(proto_verdict_batch_decode(buf.data, buf.len, &vb, &arena, err), 0);
        uint64_t seq = vb.seq;
        core_arena_clear(&arena);
        cr_assert(seq >= 1 && seq <= 4 && !seen[seq], "seq %llu", (unsigned long long)seq);
        s_check_verdicts(&buf, seq == 4 ? 1 : 10 * (int)seq, &hits);
        seen[seq] = true;
        batches++;
    }
    cr_assert_eq(batches, 4, "END came after every verdict batch");
    cr_assert_eq(s_rig_join(&r), 0, "--once exits 0 after END");

    /* The last STATS is final and adds up. */
    proto_stats_t st;
    bool final = false;
    while (!final && s_recv(r.controller, &buf, 5000)) {
        char err[CORE_ERR_LEN];
        cr_assert_eq(proto_stats_decode(buf.data, buf.len, &st, err), 0, "%s", err);
        final = st.final;
    }
    cr_assert(final, "no final STATS");
    cr_assert_str_eq(st.stage, "screen");
    uint64_t val = 0;
    struct {
        const char *name;
        uint64_t want;
    } counters[] = {{"parcels_screened", 61}, {"batches_screened", 4},
                    {"batches_rejected", 2},  {"rules_loaded", 2},
                    {"hits", hits},           {"verdicts_red", 2 + 4 + 6 + 1}};
    for (size_t i = 0; i < CORE_ARRAY_LEN(counters); i++) {
        cr_assert_eq(proto_stats_get(&st, counters[i].name, &val), 0, "%s", counters[i].name);
        cr_assert_eq(val, counters[i].want, "%s = %llu", counters[i].name, (unsigned long long)val);
    }
    cr_assert_eq(proto_stats_get(&st, "verdicts_yellow", &val), 0);
    uint64_t yellow = val;
    cr_assert_eq(proto_stats_get(&st, "verdicts_green", &val), 0);
    cr_assert_eq(yellow + val + 13, 61);
    core_buf_clear(&buf);
    s_rig_clear(&r);
}

Test(screen_run, sigterm_exits_zero, .timeout = 120)
{
    s_rig_t r;
    s_rig_start(&r, false);
    core_buf_t buf = {0};
    s_batch(&buf, 1, 20);
    s_send(r.ingest, &buf);
    cr_assert(s_recv(r.sink, &buf, 30000), "no verdicts");
    uint32_t hits = 0;
    cr_assert_eq(s_check_verdicts(&buf, 20, &hits), 1);
    /* The handler screen_run installed turns SIGTERM into a clean stop. */
    raise(SIGTERM);
    cr_assert_eq(s_rig_join(&r), 0);
    core_buf_clear(&buf);
    s_rig_clear(&r);
}

/* ============ Start-up errors and the check command ============ */

static int s_run_main(const char *const *args)
{
    s_main_t m;
    s_args(&m, args);
    return screen_main(m.argc, m.argv);
}

Test(screen_run, usage_errors_exit_2)
{
    th_tmp_t tmp;
    th_tmp_init(&tmp);
    const char *good = th_tmp_write(&tmp, "good.csv", s_watchlist, -1);
    const char *bad = th_tmp_write(&tmp, "bad.csv", TH_HEADER "A,l,nope,party.name,x,1,\n", -1);
    const char *a1[] = {"screen", NULL};
    cr_assert_eq(s_run_main(a1), 2, "--watchlist is required");
    const char *a2[] = {"screen", "--watchlist", bad, NULL};
    cr_assert_eq(s_run_main(a2), 2, "refused watchlist");
    const char *a3[] = {"screen", "--watchlist", good, "--red", "50", "--yellow", "60", NULL};
    cr_assert_eq(s_run_main(a3), 2, "yellow above red");
    const char *a4[] = {"screen", "--watchlist", good, "--bogus", NULL};
    cr_assert_eq(s_run_main(a4), 2, "unknown option");
    const char *a5[] = {"screen", "--watchlist", good, "--random-rate", "1.5", NULL};
    cr_assert_eq(s_run_main(a5), 2, "rate out of range");
    const char *a8[] = {"screen", "--watchlist", good, "--name-threshold", "1.5", NULL};
    cr_assert_eq(s_run_main(a8), 2, "name threshold out of range");
    const char *a9[] = {"screen", "--watchlist", good, "--list-threshold", "sdn=abc", NULL};
    cr_assert_eq(s_run_main(a9), 2, "list threshold not a number");
    const char *a10[] = {"screen", "--watchlist", good, "--list-threshold", "=0.9", NULL};
    cr_assert_eq(s_run_main(a10), 2, "list threshold without a list");
    const char *a6[] = {"screen", "--help", NULL};
    cr_assert_eq(s_run_main(a6), 0);
    const char *a7[] = {"screen", "--watchlist", good, "--print-config", NULL};
    cr_assert_eq(s_run_main(a7), 0);
    th_tmp_clear(&tmp);
}

Test(screen_run, bind_failure_exits_1)
{
    th_tmp_t tmp;
    th_tmp_init(&tmp);
    const char *good = th_tmp_write(&tmp, "good.csv", s_watchlist, -1);
    const char *args[] = {
        "screen",     "--watchlist",        good,        "--parcels", "@tcp://256.1.1.1:1",
        "--verdicts", ">tcp://127.0.0.1:1", "--workers", "1",         NULL};
    cr_assert_eq(s_run_main(args), 1);
    const char *args2[] = {
        "screen", "--watchlist",      good,  "--parcels",        "@tcp://256.1.1.1:1", "--workers",
        "1",      "--name-threshold", "0.9", "--list-threshold", "sdn=0.95",           "ofac=1",
        NULL};
    cr_assert_eq(s_run_main(args2), 1);
    th_tmp_clear(&tmp);
}

Test(screen_run, watchlist_check)
{
    th_tmp_t tmp;
    th_tmp_init(&tmp);
    const char *good = th_tmp_write(&tmp, "good.csv", s_watchlist, -1);
    const char *bad =
        th_tmp_write(&tmp, "bad.csv", TH_HEADER "A,l,keyword,items.description,x,0,\n", -1);
    s_main_t m;
    const char *ok[] = {"watchlist check", "--watchlist", good, NULL};
    s_args(&m, ok);
    cr_assert_eq(screen_watchlist_check_main(m.argc, m.argv), 0);
    const char *refused[] = {"watchlist check", "--watchlist", good, bad, NULL};
    s_args(&m, refused);
    cr_assert_eq(screen_watchlist_check_main(m.argc, m.argv), 2);
    const char *none[] = {"watchlist check", NULL};
    s_args(&m, none);
    cr_assert_eq(screen_watchlist_check_main(m.argc, m.argv), 2);
    th_tmp_clear(&tmp);
}

/* ============ Hot reload by CONTROL (and the counters) ============ */

/* Sends CONTROL 'command' on sock. */
static void s_control(void *sock, const char *command)
{
    proto_control_t c;
    memset(&c, 0, sizeof(c));
    snprintf(c.command, sizeof(c.command), "%s", command);
    core_buf_t buf = {0};
    proto_control_encode(&c, &buf);
    s_send(sock, &buf);
    core_buf_clear(&buf);
}

/* Waits (up to 30 s) for a STATS whose counter 'name' is at least 'want'. */
static void s_wait_counter(void *controller, const char *name, uint64_t want)
{
    core_buf_t buf = {0};
    for (int i = 0; i < 600; i++) {
        if (!s_recv(controller, &buf, 50))
            continue;
        proto_stats_t st;
        char err[CORE_ERR_LEN];
        uint64_t val = 0;
        if (proto_stats_decode(buf.data, buf.len, &st, err) == 0 &&
            proto_stats_get(&st, name, &val) == 0 && val >= want) {
            core_buf_clear(&buf);
            return;
        }
    }
    core_buf_clear(&buf);
    cr_assert_fail("STATS %s never reached %llu", name, (unsigned long long)want);
}

/* Sends one batch of 'n' parcels and returns the VERDICT_BATCH's version and K2 hits. */
static void s_screen_once(s_rig_t *r, uint64_t seq, int n, char *version, size_t cap,
                          uint32_t *k2_hits)
{
    core_buf_t buf = {0};
    s_batch(&buf, seq, n);
    s_send(r->ingest, &buf);
    cr_assert(s_recv(r->sink, &buf, 30000), "no verdicts for batch %llu", (unsigned long long)seq);
    core_arena_t arena;
    core_arena_init(&arena, 0);
    proto_verdict_batch_t vb;
    char err[CORE_ERR_LEN];
    cr_assert_eq(proto_verdict_batch_decode(buf.data, buf.len, &vb, &arena, err), 0, "%s", err);
    cr_assert_eq(vb.seq, seq);
    cr_assert_eq(vb.count, (uint32_t)n);
    cr_assert_lt(vb.watchlist_version.len, cap);
    memcpy(version, vb.watchlist_version.ptr, vb.watchlist_version.len);
    version[vb.watchlist_version.len] = '\0';
    *k2_hits = 0;
    for (uint32_t i = 0; i < vb.count; i++)
        *k2_hits += (uint32_t)th_hit_count(&vb.verdicts[i], "K2");
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

Test(screen_run, control_reload_switches_lists_and_refuses_a_bad_one, .timeout = 120)
{
    s_rig_t r;
    memset(&r, 0, sizeof(r));
    th_tmp_init(&r.tmp);
    const char *wl = th_tmp_write(&r.tmp, "wl.csv", s_watchlist, -1);
    char control[300], control_at[320], parcels[320], verdicts[320], stats[320];
    snprintf(r.parcels, sizeof(r.parcels), "ipc://%s/parcels", r.tmp.dir);
    snprintf(r.verdicts, sizeof(r.verdicts), "ipc://%s/verdicts", r.tmp.dir);
    snprintf(r.stats, sizeof(r.stats), "ipc://%s/stats", r.tmp.dir);
    snprintf(control, sizeof(control), "ipc://%s/control", r.tmp.dir);
    snprintf(control_at, sizeof(control_at), "@%s", control);
    snprintf(parcels, sizeof(parcels), "@%s", r.parcels);
    snprintf(verdicts, sizeof(verdicts), ">%s", r.verdicts);
    snprintf(stats, sizeof(stats), ">%s", r.stats);
    r.ctx = zmq_ctx_new();
    r.sink = s_socket(r.ctx, ZMQ_PULL);
    r.controller = s_socket(r.ctx, ZMQ_PULL);
    r.ingest = s_socket(r.ctx, ZMQ_PUSH);
    void *ctl = s_socket(r.ctx, ZMQ_PUSH);
    cr_assert_eq(zmq_bind(r.sink, r.verdicts), 0);
    cr_assert_eq(zmq_bind(r.controller, r.stats), 0);
    cr_assert_eq(zmq_connect(r.ingest, r.parcels), 0);
    cr_assert_eq(zmq_connect(ctl, control), 0);
    const char *args[] = {
        "screen", "--watchlist", wl,    "--parcels",   parcels,    "--verdicts",
        verdicts, "--stats",     stats, "--control",   control_at, "--stats-interval-ms",
        "20",     "--workers",   "2",   "--log-level", "error",    NULL};
    s_args(&r.main, args);
    cr_assert_eq(pthread_create(&r.thread, NULL, s_main_thread, &r.main), 0);

    char v1[32], v2[32], v3[32];
    uint32_t k2 = 0;
    s_screen_once(&r, 1, 12, v1, sizeof(v1), &k2);
    cr_assert_eq(k2, 0);

    /* K2 added: CONTROL reload; batches after it are screened by the new lists. */
    th_tmp_write(&r.tmp, "wl.csv",
                 TH_HEADER "K1,counterfeit,keyword,items.description,replica,60,\n"
                           "N1,sdn,name,party.name,\"SMITH, John\",90,\n"
                           "K2,textiles,keyword,items.description,socks,10,\n",
                 -1);
    s_control(ctl, "reload");
    s_wait_counter(r.controller, "reloads", 1);
    s_screen_once(&r, 2, 12, v2, sizeof(v2), &k2);
    cr_assert_str_neq(v2, v1, "the version names the new content");
    cr_assert_eq(k2, 8, "12 parcels, every third has a replica, the rest socks");

    /* Garbage and an unknown command on the control socket are ignored. */
    core_buf_t junk = {0};
    core_buf_append_str(&junk, "not a message");
    s_send(ctl, &junk);
    core_buf_clear(&junk);
    s_control(ctl, "dance");

    /* A broken list: refused and counted, the running lists stay. */
    th_tmp_write(&r.tmp, "wl.csv", TH_HEADER "K1,counterfeit,keyword,items.description,,60,\n", -1);
    s_control(ctl, "reload");
    s_wait_counter(r.controller, "reloads_failed", 1);
    s_screen_once(&r, 3, 12, v3, sizeof(v3), &k2);
    cr_assert_str_eq(v3, v2);
    cr_assert_eq(k2, 8);

    /* SIGHUP reloads too (the same list as now: counted, same version). */
    th_tmp_write(&r.tmp, "wl.csv",
                 TH_HEADER "K1,counterfeit,keyword,items.description,replica,60,\n"
                           "N1,sdn,name,party.name,\"SMITH, John\",90,\n"
                           "K2,textiles,keyword,items.description,socks,10,\n",
                 -1);
    raise(SIGHUP);
    s_wait_counter(r.controller, "reloads", 2);
    s_wait_counter(r.controller, "watchlist_generation", 3);
    s_screen_once(&r, 4, 3, v3, sizeof(v3), &k2);
    cr_assert_str_eq(v3, v2);

    s_control(ctl, "stop");
    cr_assert_eq(s_rig_join(&r), 0, "CONTROL stop exits 0");
    zmq_close(ctl);
    unlink(control + 6);
    s_rig_clear(&r);
}
