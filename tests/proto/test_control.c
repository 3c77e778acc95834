/* test_control.c -- END, ACK, STATS, CONTROL and message typing. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "fixtures.h"
#include "proto/control.h"

/* Every proper prefix of buf must be refused by decode(). */
typedef int (*s_decode_fn)(const void *data, size_t len, void *out, char *err);

static void s_assert_truncations_refused(const core_buf_t *buf, s_decode_fn decode, void *out)
{
    for (size_t cut = 0; cut < buf->len; cut++) {
        char *copy = core_malloc(cut ? cut : 1);
        memcpy(copy, buf->data, cut);
        char err[CORE_ERR_LEN] = "";
        int rc = decode(copy, cut, out, err);
        cr_assert(rc == -EPROTO || rc == -EAGAIN, "cut %zu: rc %d", cut, rc);
        cr_assert_neq(err[0], '\0');
        free(copy);
    }
}

static int s_end_decode(const void *d, size_t n, void *o, char *e)
{
    return proto_end_decode(d, n, o, e);
}
static int s_ack_decode(const void *d, size_t n, void *o, char *e)
{
    return proto_ack_decode(d, n, o, e);
}
static int s_stats_decode(const void *d, size_t n, void *o, char *e)
{
    return proto_stats_decode(d, n, o, e);
}
static int s_control_decode(const void *d, size_t n, void *o, char *e)
{
    return proto_control_decode(d, n, o, e);
}

Test(proto_end, roundtrip_and_type)
{
    proto_end_t in = {1000000, 3, 999997, UINT64_MAX};
    proto_end_t out;
    core_buf_t buf = {0};
    char err[CORE_ERR_LEN] = "";
    proto_end_encode(&in, &buf);
    proto_msg_type_t type;
    cr_assert_eq(proto_msg_type(buf.data, buf.len, &type, err), 0, "%s", err);
    cr_assert_eq(type, PROTO_MSG_END);
    cr_assert_eq(proto_end_decode(buf.data, buf.len, &out, err), 0, "%s", err);
    cr_assert_eq(out.records_read, in.records_read);
    cr_assert_eq(out.records_rejected, in.records_rejected);
    cr_assert_eq(out.parcels_sent, in.parcels_sent);
    cr_assert_eq(out.batches_sent, in.batches_sent);
    s_assert_truncations_refused(&buf, s_end_decode, &out);
    core_buf_append_byte(&buf, 0x01);
    cr_assert_eq(proto_end_decode(buf.data, buf.len, &out, err), -EPROTO);
    core_buf_clear(&buf);
}

Test(proto_ack, roundtrip_and_type)
{
    proto_ack_t in = {77, PROTO_MAX_BATCH_PARCELS};
    proto_ack_t out;
    core_buf_t buf = {0};
    char err[CORE_ERR_LEN] = "";
    proto_ack_encode(&in, &buf);
    proto_msg_type_t type;
    cr_assert_eq(proto_msg_type(buf.data, buf.len, &type, err), 0, "%s", err);
    cr_assert_eq(type, PROTO_MSG_ACK);
    cr_assert_eq(proto_ack_decode(buf.data, buf.len, &out, err), 0, "%s", err);
    cr_assert_eq(out.seq, 77);
    cr_assert_eq(out.parcels, PROTO_MAX_BATCH_PARCELS);
    s_assert_truncations_refused(&buf, s_ack_decode, &out);
    /* An END is not an ACK. */
    proto_end_t end = {0};
    proto_end_encode(&end, &buf);
    cr_assert_eq(proto_ack_decode(buf.data, buf.len, &out, err), -EPROTO);
    cr_assert_not_null(strstr(err, "expected 4 (ACK)"), "%s", err);
    core_buf_clear(&buf);
}

Test(proto_stats, set_replaces_and_get_finds)
{
    proto_stats_t s;
    proto_stats_init(&s, "screen", false);
    cr_assert_str_eq(s.stage, "screen");
    cr_assert_eq(s.pid, (uint32_t)getpid());
    cr_assert_eq(s.count, 0);
    proto_stats_set(&s, "hits", 1);
    proto_stats_set(&s, "parcels_screened", 10);
    proto_stats_set(&s, "hits", 5);
    cr_assert_eq(s.count, 2);
    uint64_t v = 0;
    cr_assert_eq(proto_stats_get(&s, "hits", &v), 0);
    cr_assert_eq(v, 5);
    cr_assert_eq(proto_stats_get(&s, "nothing", &v), -ENOENT);
    /* Long names are truncated, and found again by their long form. */
    proto_stats_set(&s, "a_counter_name_well_over_thirty_one_bytes", 9);
    cr_assert_eq(strlen(s.counters[2].name), PROTO_MAX_NAME - 1);
    cr_assert_eq(proto_stats_get(&s, "a_counter_name_well_over_thirty_one_bytes", &v), 0);
    cr_assert_eq(v, 9);
}

Test(proto_stats, full_table_is_a_programmer_error, .signal = SIGABRT)
{
    proto_stats_t s;
    proto_stats_init(&s, "ingest", false);
    for (int i = 0; i <= PROTO_MAX_COUNTERS; i++) {
        char name[16];
        snprintf(name, sizeof(name), "c%d", i);
        proto_stats_set(&s, name, (uint64_t)i);
    }
}

Test(proto_stats, roundtrip_and_type)
{
    proto_stats_t in;
    proto_stats_init(&in, "sink", true);
    for (int i = 0; i < PROTO_MAX_COUNTERS; i++) {
        char name[16];
        snprintf(name, sizeof(name), "counter_%d", i);
        proto_stats_set(&in, name, (uint64_t)i * 1000003u);
    }
    proto_stats_set(&in, "counter_0", UINT64_MAX);
    core_buf_t buf = {0};
    char err[CORE_ERR_LEN] = "";
    proto_stats_encode(&in, &buf);
    proto_msg_type_t type;
    cr_assert_eq(proto_msg_type(buf.data, buf.len, &type, err), 0, "%s", err);
    cr_assert_eq(type, PROTO_MSG_STATS);
    proto_stats_t out;
    cr_assert_eq(proto_stats_decode(buf.data, buf.len, &out, err), 0, "%s", err);
    cr_assert_str_eq(out.stage, "sink");
    cr_assert_eq(out.pid, in.pid);
    cr_assert_eq(out.final, true);
    cr_assert_eq(out.count, PROTO_MAX_COUNTERS);
    for (uint32_t i = 0; i < in.count; i++) {
        cr_assert_str_eq(out.counters[i].name, in.counters[i].name);
        cr_assert_eq(out.counters[i].value, in.counters[i].value);
    }
    s_assert_truncations_refused(&buf, s_stats_decode, &out);

    /* No counters at all. */
    proto_stats_init(&in, "ingest", false);
    proto_stats_encode(&in, &buf);
    cr_assert_eq(proto_stats_decode(buf.data, buf.len, &out, err), 0, "%s", err);
    cr_assert_eq(out.count, 0);
    cr_assert_eq(out.final, false);
    core_buf_clear(&buf);
}

Test(proto_stats, hostile_stats_are_refused)
{
    core_buf_t buf = {0};
    char err[CORE_ERR_LEN] = "";
    proto_stats_t out;

    /* 49 counters. */
    tw_header(&buf, 6, PROTO_MSG_STATS);
    tw_str(&buf, "screen");
    tw_uint(&buf, 1);
    tw_byte(&buf, 0xc3);
    tw_map(&buf, PROTO_MAX_COUNTERS + 1);
    for (int i = 0; i <= PROTO_MAX_COUNTERS; i++) {
        char name[16];
        snprintf(name, sizeof(name), "c%d", i);
        tw_str(&buf, name);
        tw_uint(&buf, 1);
    }
    cr_assert_eq(proto_stats_decode(buf.data, buf.len, &out, err), -EPROTO);
    cr_assert_not_null(strstr(err, "counters"), "%s", err);

    /* A counter name of 32 bytes. */
    core_buf_reset(&buf);
    tw_header(&buf, 6, PROTO_MSG_STATS);
    tw_str(&buf, "screen");
    tw_uint(&buf, 1);
    tw_byte(&buf, 0xc3);
    tw_map(&buf, 1);
    tw_str(&buf, "abcdefghijklmnopqrstuvwxyz012345");
    tw_uint(&buf, 1);
    cr_assert_eq(proto_stats_decode(buf.data, buf.len, &out, err), -EPROTO);
    cr_assert_not_null(strstr(err, "counter name' is longer than 31"), "%s", err);

    /* A negative counter value, an empty stage. */
    core_buf_reset(&buf);
    tw_header(&buf, 6, PROTO_MSG_STATS);
    tw_str(&buf, "screen");
    tw_uint(&buf, 1);
    tw_byte(&buf, 0xc3);
    tw_map(&buf, 1);
    tw_str(&buf, "hits");
    tw_byte(&buf, 0xff); /* -1 */
    cr_assert_eq(proto_stats_decode(buf.data, buf.len, &out, err), -EPROTO);
    core_buf_reset(&buf);
    tw_header(&buf, 6, PROTO_MSG_STATS);
    tw_str(&buf, "");
    tw_uint(&buf, 1);
    tw_byte(&buf, 0xc3);
    tw_map(&buf, 0);
    cr_assert_eq(proto_stats_decode(buf.data, buf.len, &out, err), -EPROTO);
    cr_assert_not_null(strstr(err, "'stage' is empty"), "%s", err);
    core_buf_clear(&buf);
}

Test(proto_control, roundtrip_and_type)
{
    proto_control_t in = {.command = "reload", .arg = "lists/ofac.csv"};
    proto_control_t out;
    core_buf_t buf = {0};
    char err[CORE_ERR_LEN] = "";
    proto_control_encode(&in, &buf);
    proto_msg_type_t type;
    cr_assert_eq(proto_msg_type(buf.data, buf.len, &type, err), 0, "%s", err);
    cr_assert_eq(type, PROTO_MSG_CONTROL);
    cr_assert_eq(proto_control_decode(buf.data, buf.len, &out, err), 0, "%s", err);
    cr_assert_str_eq(out.command, "reload");
    cr_assert_str_eq(out.arg, "lists/ofac.csv");
    s_assert_truncations_refused(&buf, s_control_decode, &out);

    proto_control_t stop = {.command = "stop"};
    proto_control_encode(&stop, &buf);
    cr_assert_eq(proto_control_decode(buf.data, buf.len, &out, err), 0, "%s", err);
    cr_assert_str_eq(out.command, "stop");
    cr_assert_str_eq(out.arg, "");

    proto_control_t empty = {.command = ""};
    proto_control_encode(&empty, &buf);
    cr_assert_eq(proto_control_decode(buf.data, buf.len, &out, err), -EPROTO);
    core_buf_clear(&buf);
}

Test(proto_msg, type_refuses_strangers)
{
    char err[CORE_ERR_LEN] = "";
    proto_msg_type_t type;
    core_buf_t buf = {0};

    tw_header(&buf, 2, 7); /* [1, 7] */
    cr_assert_eq(proto_msg_type(buf.data, buf.len, &type, err), -EPROTO);
    cr_assert_not_null(strstr(err, "unknown message type 7"), "%s", err);

    core_buf_reset(&buf);
    tw_array(&buf, 2); /* [2, 1] */
    tw_uint(&buf, 2);
    tw_uint(&buf, 1);
    cr_assert_eq(proto_msg_type(buf.data, buf.len, &type, err), -EPROTO);
    cr_assert_not_null(strstr(err, "version 2, expected 1"), "%s", err);

    core_buf_reset(&buf);
    tw_array(&buf, 2); /* ["1", 1] */
    tw_str(&buf, "1");
    tw_uint(&buf, 1);
    cr_assert_eq(proto_msg_type(buf.data, buf.len, &type, err), -EPROTO);

    core_buf_reset(&buf);
    tw_array(&buf, 1); /* [1] */
    tw_uint(&buf, 1);
    cr_assert_eq(proto_msg_type(buf.data, buf.len, &type, err), -EPROTO);

    cr_assert_eq(proto_msg_type("{\"json\":1}", 10, &type, err), -EPROTO);
    cr_assert_eq(proto_msg_type("", 0, &type, err), -EPROTO);
    core_buf_clear(&buf);
}
