/* test_socket.c -- endpoint lists, attach errors, and a PUSH/PULL round trip. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "core/arena.h"
#include "core/buf.h"
#include "fixtures.h"
#include "proto/parcel.h"
#include "proto/socket.h"

static void *s_ctx;

static void s_setup(void)
{
    s_ctx = zmq_ctx_new();
    cr_assert_not_null(s_ctx);
}

static void s_teardown(void)
{
    zmq_ctx_term(s_ctx);
}

TestSuite(proto_socket, .init = s_setup, .fini = s_teardown, .timeout = 10);

Test(proto_socket, bad_endpoint_is_a_reason_not_a_crash)
{
    char err[CORE_ERR_LEN] = "";
    void *sock = proto_socket_new(s_ctx, ZMQ_PULL, "@nonsense://x", true, 100, 0, err);
    cr_assert_null(sock);
    cr_assert_not_null(strstr(err, "bind nonsense://x"), "%s", err);

    sock = proto_socket_new(s_ctx, ZMQ_PULL, "", true, 100, 0, err);
    cr_assert_null(sock);
    cr_assert_not_null(strstr(err, "no endpoint"), "%s", err);

    sock = proto_socket_new(s_ctx, ZMQ_PULL, "@", true, 100, 0, err);
    cr_assert_null(sock);

    sock = proto_socket_new(s_ctx, ZMQ_PULL, "@inproc://ok", true, 100, 0, err);
    cr_assert_not_null(sock, "%s", err);
    cr_assert_eq(proto_socket_attach(sock, ">tcp://", false, err), -EINVAL);
    cr_assert_not_null(strstr(err, "connect tcp://"), "%s", err);
    /* Binding the same inproc name twice says why. */
    void *again = proto_socket_new(s_ctx, ZMQ_PULL, "inproc://ok", true, 100, 0, err);
    cr_assert_null(again);
    cr_assert_not_null(strstr(err, "bind inproc://ok"), "%s", err);
    proto_socket_close(&sock);
    cr_assert_null(sock);
    proto_socket_close(&sock); /* safe twice */
}

Test(proto_socket, push_pull_roundtrip_over_inproc_lists)
{
    char err[CORE_ERR_LEN] = "";
    /* Bare entries take the default direction; '>' and '@' override it. */
    void *pull = proto_socket_new(s_ctx, ZMQ_PULL, "inproc://a , @inproc://b", true, 10, 0, err);
    cr_assert_not_null(pull, "%s", err);
    void *push = proto_socket_new(s_ctx, ZMQ_PUSH, ">inproc://b", true, 10, 0, err);
    cr_assert_not_null(push, "%s", err);

    static fx_parcel_t fx;
    fx_parcel_full(&fx, "P-sock", 5);
    core_buf_t buf = {0};
    proto_parcel_batch_begin(&buf, 5, 6);
    proto_parcel_batch_add(&buf, &fx.parcel);
    proto_parcel_batch_finish(&buf, 1);
    cr_assert_eq(proto_socket_send(push, &buf, 0), 0);

    zmq_msg_t msg;
    zmq_msg_init(&msg);
    cr_assert_eq(zmq_msg_recv(&msg, pull, 0), (int)buf.len);
    core_arena_t arena;
    core_arena_init(&arena, 0);
    proto_parcel_batch_t out;
    cr_assert_eq(
        proto_parcel_batch_decode(zmq_msg_data(&msg), zmq_msg_size(&msg), &out, &arena, err), 0,
        "%s", err);
    cr_assert_eq(out.count, 1);
    cr_assert(core_str_eq_cstr(out.parcels[0].parcel_id, "P-sock"));
    cr_assert_eq(out.parcels[0].item_count, 5);
    zmq_msg_close(&msg);

    /* An empty buffer is an empty frame. */
    core_buf_t empty = {0};
    cr_assert_eq(proto_socket_send(push, &empty, 0), 0);
    cr_assert_eq(zmq_recv(pull, NULL, 0, 0), 0);

    core_arena_clear(&arena);
    core_buf_clear(&buf);
    proto_socket_close(&push);
    proto_socket_close(&pull);
}

Test(proto_socket, push_without_peer_would_block)
{
    char err[CORE_ERR_LEN] = "";
    void *push = proto_socket_new(s_ctx, ZMQ_PUSH, "@inproc://lonely", true, 1, 0, err);
    cr_assert_not_null(push, "%s", err);
    core_buf_t buf = {0};
    core_buf_append_str(&buf, "x");
    cr_assert_eq(proto_socket_send(push, &buf, ZMQ_DONTWAIT), -EAGAIN);
    core_buf_clear(&buf);
    proto_socket_close(&push);
}

Test(proto_socket, ipc_roundtrip_and_unlink)
{
    char err[CORE_ERR_LEN] = "";
    char dir[] = "/tmp/proto-test-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char endpoint[256];
    snprintf(endpoint, sizeof(endpoint), "@ipc://%s/parcels", dir);
    char path[256];
    snprintf(path, sizeof(path), "%s/parcels", dir);

    void *pull = proto_socket_new(s_ctx, ZMQ_PULL, endpoint, false, 10, 0, err);
    cr_assert_not_null(pull, "%s", err);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    endpoint[0] = '>';
    void *push = proto_socket_new(s_ctx, ZMQ_PUSH, endpoint, true, 10, 0, err);
    cr_assert_not_null(push, "%s", err);

    proto_ack_t ack = {12, 34};
    core_buf_t buf = {0};
    proto_ack_encode(&ack, &buf);
    cr_assert_eq(proto_socket_send(push, &buf, 0), 0);
    char frame[64];
    int n = zmq_recv(pull, frame, sizeof(frame), 0);
    cr_assert_eq(n, (int)buf.len);
    proto_ack_t got;
    cr_assert_eq(proto_ack_decode(frame, (size_t)n, &got, err), 0, "%s", err);
    cr_assert_eq(got.seq, 12);
    cr_assert_eq(got.parcels, 34);

    proto_socket_close(&push);
    proto_socket_close(&pull);
    endpoint[0] = '@';
    char list[600];
    snprintf(list, sizeof(list), "tcp://127.0.0.1:1,%s,ipc://@abstract", endpoint);
    proto_socket_unlink_ipc(list);
    cr_assert_eq(stat(path, &st), -1);
    cr_assert_eq(rmdir(dir), 0);
    core_buf_clear(&buf);
}
