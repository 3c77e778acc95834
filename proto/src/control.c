/* control.c -- message typing and the small messages: END, ACK, STATS, CONTROL. Also the
 * header and batch-count helpers every message shares (internal.h). */
#include "proto/control.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* ============ Shared message framing ============ */

static const char *s_type_name(uint64_t type)
{
    switch (type) {
    case PROTO_MSG_PARCEL_BATCH:
        return "PARCEL_BATCH";
    case PROTO_MSG_VERDICT_BATCH:
        return "VERDICT_BATCH";
    case PROTO_MSG_END:
        return "END";
    case PROTO_MSG_ACK:
        return "ACK";
    case PROTO_MSG_STATS:
        return "STATS";
    case PROTO_MSG_CONTROL:
        return "CONTROL";
    }
    return "unknown";
}

/* Reads [version, type, ...]; returns the element count in *fields. */
static int s_read_prefix(proto_mpread_t *rd, uint32_t *fields, uint64_t *type, char *err)
{
    if (rd->len > (size_t)PROTO_MAX_FRAME_BYTES) {
        core_err_set(err, "message of %zu bytes is over the %d-byte limit", rd->len,
                     PROTO_MAX_FRAME_BYTES);
        return -EPROTO;
    }
    uint64_t version;
    proto_mp_value_t v;
    int rc = proto_mpread_next(rd, &v);
    if (rc != 0 || v.type != PROTO_MP_ARRAY || v.v.count < 2) {
        core_err_set(err, "not a parcelscreen message (no [version, type, ...] array)");
        return -EPROTO;
    }
    *fields = v.v.count;
    if (proto__read_uint(rd, "version", UINT64_MAX, &version, err) != 0)
        return -EPROTO;
    if (version != PROTO_VERSION) {
        core_err_set(err, "protocol version %llu, expected %d", (unsigned long long)version,
                     PROTO_VERSION);
        return -EPROTO;
    }
    if (proto__read_uint(rd, "type", UINT64_MAX, type, err) != 0)
        return -EPROTO;
    return 0;
}

int proto__read_header(proto_mpread_t *rd, proto_msg_type_t type, uint32_t fields, char *err)
{
    uint32_t got_fields;
    uint64_t got_type;
    if (s_read_prefix(rd, &got_fields, &got_type, err) != 0)
        return -EPROTO;
    if (got_type != (uint64_t)type) {
        core_err_set(err, "message type %llu (%s), expected %d (%s)", (unsigned long long)got_type,
                     s_type_name(got_type), (int)type, s_type_name(type));
        return -EPROTO;
    }
    if (got_fields != fields) {
        core_err_set(err, "%s message has %u elements, expected %u", s_type_name(type), got_fields,
                     fields);
        return -EPROTO;
    }
    return 0;
}

int proto__read_end(const proto_mpread_t *rd, char *err)
{
    if (rd->pos != rd->len) {
        core_err_set(err, "%zu trailing bytes after the message", rd->len - rd->pos);
        return -EPROTO;
    }
    return 0;
}

void proto__batch_placeholder(core_buf_t *buf)
{
    static const char array32[5] = {(char)0xdd, 0, 0, 0, 0};
    core_buf_append(buf, array32, sizeof(array32));
}

void proto__batch_patch(core_buf_t *buf, uint32_t fields_before, uint32_t count)
{
    proto_mpread_t rd;
    proto_mpread_init(&rd, buf->data, buf->len);
    proto_mp_value_t v;
    /* Our own header: the reader may only fail here on a programmer error (no begin()). The
     * placeholder's count is still 0, so it parses as an empty array. */
    int rc = proto_mpread_next(&rd, &v);
    core_assert(rc == 0 && v.type == PROTO_MP_ARRAY && v.v.count > fields_before);
    for (uint32_t i = 0; i < fields_before && rc == 0; i++)
        rc = proto_mpread_skip(&rd, 0);
    core_assert(rc == 0);
    core_assert(rd.pos + 5 <= rd.len && (unsigned char)buf->data[rd.pos] == 0xdd);
    unsigned char *p = (unsigned char *)buf->data + rd.pos + 1;
    p[0] = (unsigned char)(count >> 24);
    p[1] = (unsigned char)(count >> 16);
    p[2] = (unsigned char)(count >> 8);
    p[3] = (unsigned char)count;
}

int proto_msg_type(const void *data, size_t len, proto_msg_type_t *type, char *err)
{
    core_assert(data != NULL || len == 0);
    core_assert(type != NULL);
    proto_mpread_t rd;
    proto_mpread_init(&rd, data, len);
    uint32_t fields;
    uint64_t t;
    if (s_read_prefix(&rd, &fields, &t, err) != 0)
        return -EPROTO;
    if (t < PROTO_MSG_PARCEL_BATCH || t > PROTO_MSG_CONTROL) {
        core_err_set(err, "unknown message type %llu", (unsigned long long)t);
        return -EPROTO;
    }
    *type = (proto_msg_type_t)t;
    return 0;
}

/* ============ END ============ */

void proto_end_encode(const proto_end_t *end, core_buf_t *buf)
{
    core_assert(end != NULL);
    core_assert(buf != NULL);
    core_buf_reset(buf);
    msgpack_packer pk;
    proto__packer_init(&pk, buf);
    proto__pack_header(&pk, PROTO_MSG_END, PROTO__END_FIELDS);
    msgpack_pack_uint64(&pk, end->records_read);
    msgpack_pack_uint64(&pk, end->records_rejected);
    msgpack_pack_uint64(&pk, end->parcels_sent);
    msgpack_pack_uint64(&pk, end->batches_sent);
}

int proto_end_decode(const void *data, size_t len, proto_end_t *out, char *err)
{
    core_assert(data != NULL || len == 0);
    core_assert(out != NULL);
    proto_mpread_t rd;
    proto_mpread_init(&rd, data, len);
    proto_end_t e;
    if (proto__read_header(&rd, PROTO_MSG_END, PROTO__END_FIELDS, err) ||
        proto__read_uint(&rd, "records_read", UINT64_MAX, &e.records_read, err) ||
        proto__read_uint(&rd, "records_rejected", UINT64_MAX, &e.records_rejected, err) ||
        proto__read_uint(&rd, "parcels_sent", UINT64_MAX, &e.parcels_sent, err) ||
        proto__read_uint(&rd, "batches_sent", UINT64_MAX, &e.batches_sent, err) ||
        proto__read_end(&rd, err)) {
        core_err_prefix(err, "END");
        return -EPROTO;
    }
    *out = e;
    return 0;
}

/* ============ ACK ============ */

void proto_ack_encode(const proto_ack_t *ack, core_buf_t *buf)
{
    core_assert(ack != NULL);
    core_assert(buf != NULL);
    core_buf_reset(buf);
    msgpack_packer pk;
    proto__packer_init(&pk, buf);
    proto__pack_header(&pk, PROTO_MSG_ACK, PROTO__ACK_FIELDS);
    msgpack_pack_uint64(&pk, ack->seq);
    msgpack_pack_uint32(&pk, ack->parcels);
}

int proto_ack_decode(const void *data, size_t len, proto_ack_t *out, char *err)
{
    core_assert(data != NULL || len == 0);
    core_assert(out != NULL);
    proto_mpread_t rd;
    proto_mpread_init(&rd, data, len);
    uint64_t seq, parcels;
    if (proto__read_header(&rd, PROTO_MSG_ACK, PROTO__ACK_FIELDS, err) ||
        proto__read_uint(&rd, "seq", UINT64_MAX, &seq, err) ||
        proto__read_uint(&rd, "parcels", PROTO_MAX_BATCH_PARCELS, &parcels, err) ||
        proto__read_end(&rd, err)) {
        core_err_prefix(err, "ACK");
        return -EPROTO;
    }
    out->seq = seq;
    out->parcels = (uint32_t)parcels;
    return 0;
}

/* ============ STATS ============ */

/* Copies s (at most len bytes) into a NUL-terminated name, truncating to PROTO_MAX_NAME-1. */
static void s_name_copy(char *dst, const char *s, size_t len)
{
    if (len > PROTO_MAX_NAME - 1)
        len = PROTO_MAX_NAME - 1;
    memcpy(dst, s, len);
    dst[len] = '\0';
}

void proto_stats_init(proto_stats_t *stats, const char *stage, bool final)
{
    core_assert(stats != NULL);
    core_assert(stage != NULL);
    memset(stats, 0, sizeof(*stats));
    s_name_copy(stats->stage, stage, strlen(stage));
    stats->pid = (uint32_t)getpid();
    stats->final = final;
}

static proto_counter_t *s_counter_find(const proto_stats_t *stats, const char *name, size_t len)
{
    if (len > PROTO_MAX_NAME - 1)
        len = PROTO_MAX_NAME - 1;
    for (uint32_t i = 0; i < stats->count; i++) {
        const proto_counter_t *c = &stats->counters[i];
        if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
            return (proto_counter_t *)c;
    }
    return NULL;
}

static void s_stats_set(proto_stats_t *stats, const char *name, size_t len, uint64_t value)
{
    proto_counter_t *c = s_counter_find(stats, name, len);
    if (c == NULL) {
        core_assert(stats->count < PROTO_MAX_COUNTERS);
        c = &stats->counters[stats->count++];
        s_name_copy(c->name, name, len);
    }
    c->value = value;
}

void proto_stats_set(proto_stats_t *stats, const char *name, uint64_t value)
{
    core_assert(stats != NULL);
    core_assert(name != NULL);
    s_stats_set(stats, name, strlen(name), value);
}

int proto_stats_get(const proto_stats_t *stats, const char *name, uint64_t *value)
{
    core_assert(stats != NULL);
    core_assert(name != NULL);
    core_assert(value != NULL);
    const proto_counter_t *c = s_counter_find(stats, name, strlen(name));
    if (c == NULL)
        return -ENOENT;
    *value = c->value;
    return 0;
}

void proto_stats_encode(const proto_stats_t *stats, core_buf_t *buf)
{
    core_assert(stats != NULL);
    core_assert(buf != NULL);
    core_assert(stats->count <= PROTO_MAX_COUNTERS);
    core_buf_reset(buf);
    msgpack_packer pk;
    proto__packer_init(&pk, buf);
    proto__pack_header(&pk, PROTO_MSG_STATS, PROTO__STATS_FIELDS);
    proto__pack_cstr(&pk, stats->stage);
    msgpack_pack_uint32(&pk, stats->pid);
    proto__pack_bool(&pk, stats->final);
    msgpack_pack_map(&pk, stats->count);
    for (uint32_t i = 0; i < stats->count; i++) {
        proto__pack_cstr(&pk, stats->counters[i].name);
        msgpack_pack_uint64(&pk, stats->counters[i].value);
    }
}

/* Reads a name field of 1..PROTO_MAX_NAME-1 bytes without NULs into dst. */
static int s_read_name(proto_mpread_t *rd, const char *field, char *dst, size_t cap, char *err)
{
    core_str_t s;
    if (proto__read_str(rd, field, (uint32_t)cap - 1, &s, err) != 0)
        return -EPROTO;
    if (memchr(s.ptr, '\0', s.len) != NULL) {
        core_err_set(err, "field '%s' contains a NUL byte", field);
        return -EPROTO;
    }
    memcpy(dst, s.ptr, s.len);
    dst[s.len] = '\0';
    return 0;
}

int proto_stats_decode(const void *data, size_t len, proto_stats_t *out, char *err)
{
    core_assert(data != NULL || len == 0);
    core_assert(out != NULL);
    proto_mpread_t rd;
    proto_mpread_init(&rd, data, len);
    memset(out, 0, sizeof(*out));
    uint64_t pid;
    uint32_t count;
    if (proto__read_header(&rd, PROTO_MSG_STATS, PROTO__STATS_FIELDS, err) ||
        s_read_name(&rd, "stage", out->stage, sizeof(out->stage), err) ||
        proto__read_uint(&rd, "pid", UINT32_MAX, &pid, err) ||
        proto__read_bool(&rd, "final", &out->final, err) ||
        proto__read_map(&rd, "counters", PROTO_MAX_COUNTERS, &count, err))
        goto out_fail;
    if (out->stage[0] == '\0') {
        core_err_set(err, "field 'stage' is empty");
        goto out_fail;
    }
    out->pid = (uint32_t)pid;
    for (uint32_t i = 0; i < count; i++) {
        char name[PROTO_MAX_NAME];
        uint64_t value;
        if (s_read_name(&rd, "counter name", name, sizeof(name), err) ||
            proto__read_uint(&rd, "counter value", UINT64_MAX, &value, err))
            goto out_fail;
        if (name[0] == '\0') {
            core_err_set(err, "field 'counter name' is empty");
            goto out_fail;
        }
        s_stats_set(out, name, strlen(name), value);
    }
    if (proto__read_end(&rd, err) != 0)
        goto out_fail;
    return 0;

out_fail:
    core_err_prefix(err, "STATS");
    memset(out, 0, sizeof(*out));
    return -EPROTO;
}

/* ============ CONTROL ============ */

void proto_control_encode(const proto_control_t *control, core_buf_t *buf)
{
    core_assert(control != NULL);
    core_assert(buf != NULL);
    core_buf_reset(buf);
    msgpack_packer pk;
    proto__packer_init(&pk, buf);
    proto__pack_header(&pk, PROTO_MSG_CONTROL, PROTO__CONTROL_FIELDS);
    proto__pack_str(&pk,
                    (core_str_t){control->command,
                                 (uint32_t)strnlen(control->command, sizeof(control->command))});
    proto__pack_str(
        &pk, (core_str_t){control->arg, (uint32_t)strnlen(control->arg, sizeof(control->arg))});
}

int proto_control_decode(const void *data, size_t len, proto_control_t *out, char *err)
{
    core_assert(data != NULL || len == 0);
    core_assert(out != NULL);
    proto_mpread_t rd;
    proto_mpread_init(&rd, data, len);
    proto_control_t c;
    if (proto__read_header(&rd, PROTO_MSG_CONTROL, PROTO__CONTROL_FIELDS, err) ||
        s_read_name(&rd, "command", c.command, sizeof(c.command), err) ||
        s_read_name(&rd, "arg", c.arg, sizeof(c.arg), err) || proto__read_end(&rd, err)) {
        core_err_prefix(err, "CONTROL");
        return -EPROTO;
    }
    if (c.command[0] == '\0') {
        core_err_set(err, "CONTROL: field 'command' is empty");
        return -EPROTO;
    }
    *out = c;
    return 0;
}
