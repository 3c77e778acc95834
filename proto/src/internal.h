/* internal.h -- proto's private helpers shared by its source files (not installed).
 *
 * The only header in the project that includes msgpack.h: encoders pack with msgpack-c's
 * packer straight into a core_buf_t; decoders read with proto_mpread_t and the field readers
 * below, which give -EPROTO with "field 'x' ..." in err for any failure (truncated, malformed,
 * wrong type, out of limits). Decoders prefix that with where they are. */
#ifndef PROTO_INTERNAL_H
#define PROTO_INTERNAL_H

#include <math.h>
#include <msgpack.h>

#include "core/buf.h"
#include "core/core.h"
#include "core/str.h"
#include "proto/control.h"
#include "proto/limits.h"
#include "proto/mpread.h"

/* Elements of each fixed-position array on the wire; see proto/README.md. */
#define PROTO__PARCEL_BATCH_FIELDS 5 /* version, type, seq, ingest_ns, parcels */
#define PROTO__PARCEL_FIELDS 22      /* parcel_id ... items */
#define PROTO__PARTY_FIELDS 8        /* name ... tax_id */
#define PROTO__SELLER_FIELDS 3       /* name, marketplace, seller_id */
#define PROTO__ITEM_FIELDS 9         /* line_no ... unit_value */
#define PROTO__VERDICT_BATCH_FIELDS                                                                \
    7                           /* version, type, seq, ingest_ns, wl version, lists, verdicts */
#define PROTO__VERDICT_FIELDS 6 /* parcel_id ... hits */
#define PROTO__HIT_FIELDS 10    /* rule_id ... suppressed */
#define PROTO__END_FIELDS 6     /* version, type, 4 counters */
#define PROTO__ACK_FIELDS 4     /* version, type, seq, parcels */
#define PROTO__STATS_FIELDS 6   /* version, type, stage, pid, final, counters */
#define PROTO__CONTROL_FIELDS 4 /* version, type, command, arg */

/* ============ Encoding ============ */

static inline int proto__buf_write(void *data, const char *bytes, size_t len)
{
    core_buf_append(data, bytes, len);
    return 0;
}

static inline void proto__packer_init(msgpack_packer *pk, core_buf_t *buf)
{
    msgpack_packer_init(pk, buf, proto__buf_write);
}

static inline void proto__pack_str(msgpack_packer *pk, core_str_t s)
{
    msgpack_pack_str(pk, s.len);
    if (s.len)
        msgpack_pack_str_body(pk, s.ptr, s.len);
}

static inline void proto__pack_cstr(msgpack_packer *pk, const char *s)
{
    proto__pack_str(pk, core_str_from(s));
}

/* Absent numbers (NAN) travel as nil. */
static inline void proto__pack_num(msgpack_packer *pk, double x)
{
    if (isnan(x))
        msgpack_pack_nil(pk);
    else
        msgpack_pack_double(pk, x);
}

static inline void proto__pack_bool(msgpack_packer *pk, bool b)
{
    if (b)
        msgpack_pack_true(pk);
    else
        msgpack_pack_false(pk);
}

/* Starts a message: array of 'fields' elements, then PROTO_VERSION and the type. */
static inline void proto__pack_header(msgpack_packer *pk, proto_msg_type_t type, uint32_t fields)
{
    msgpack_pack_array(pk, fields);
    msgpack_pack_uint8(pk, PROTO_VERSION);
    msgpack_pack_uint8(pk, (uint8_t)type);
}

/* Appends an array32 header with count 0, patched by proto__batch_patch(). */
void proto__batch_placeholder(core_buf_t *buf);
/* Finds the array32 placeholder after the first 'fields_before' elements of the message in
 * buf and writes 'count' into it. Asserts the buffer was started by a batch begin(). */
void proto__batch_patch(core_buf_t *buf, uint32_t fields_before, uint32_t count);

/* ============ Decoding ============ */

/* Checks the frame size, reads the message array header, version and type. The array must
 * have exactly 'fields' elements. */
int proto__read_header(proto_mpread_t *rd, proto_msg_type_t type, uint32_t fields, char *err);
/* -EPROTO when bytes follow the message. */
int proto__read_end(const proto_mpread_t *rd, char *err);

/* A STR of at most 'max' bytes of valid UTF-8; the view points into the reader's buffer. */
int proto__read_str(proto_mpread_t *rd, const char *name, uint32_t max, core_str_t *out, char *err);
/* A non-negative integer <= max. */
int proto__read_uint(proto_mpread_t *rd, const char *name, uint64_t max, uint64_t *out, char *err);
int proto__read_int(proto_mpread_t *rd, const char *name, int64_t *out, char *err);
/* A float or integer; nil gives NAN. */
int proto__read_num(proto_mpread_t *rd, const char *name, double *out, char *err);
int proto__read_bool(proto_mpread_t *rd, const char *name, bool *out, char *err);
/* An ARRAY with min..max elements; with nil_ok a nil gives *count = UINT32_MAX. */
int proto__read_array(proto_mpread_t *rd, const char *name, uint32_t min, uint32_t max, bool nil_ok,
                      uint32_t *count, char *err);
/* A MAP with at most max pairs. */
int proto__read_map(proto_mpread_t *rd, const char *name, uint32_t max, uint32_t *count, char *err);

#endif
