/* mpread.h -- a bounds-checked MessagePack pull reader (zero-copy, no allocation).
 *
 * DESIGN: msgpack-c's unpacker allocates n * 24 bytes for an array header before a single
 * element arrives (5 bytes can ask for 96 GB, msgpack-c#1013). This cursor reads one value at
 * a time from a buffer and checks every length and count against the bytes left (each element
 * needs at least one byte) and against caller limits, so a hostile peer costs at most what it
 * sent. We still use msgpack-c's packer for encoding. */
#ifndef PROTO_MPREAD_H
#define PROTO_MPREAD_H

#include "core/core.h"
#include "core/str.h"

typedef enum {
    PROTO_MP_NIL,
    PROTO_MP_BOOL,
    PROTO_MP_INT,    /* signed, fits int64 */
    PROTO_MP_UINT,   /* unsigned, > INT64_MAX possible */
    PROTO_MP_FLOAT,  /* float32 or float64 */
    PROTO_MP_STR,
    PROTO_MP_BIN,
    PROTO_MP_ARRAY,
    PROTO_MP_MAP,
    PROTO_MP_EXT,
} proto_mp_type_t;

typedef struct {
    proto_mp_type_t type;
    union {
        bool b;
        int64_t i;
        uint64_t u;
        double f;
        core_str_t str; /* STR, BIN, EXT payload: points into the buffer */
        uint32_t count; /* ARRAY elements, MAP pairs (the elements follow) */
    } v;
} proto_mp_value_t;

typedef struct {
    const unsigned char *data; /* buffer start */
    size_t len;                /* buffer length */
    size_t pos;                /* next byte to read */
} proto_mpread_t;

/* "a string", "an integer", ...: for one-line reasons. */
const char *proto_mp_type_name(proto_mp_type_t type);

void proto_mpread_init(proto_mpread_t *self, const void *data, size_t len);

/* Reads the next value header (scalars whole; for ARRAY/MAP only the count). Returns 0,
 * -EAGAIN when the buffer ends inside the value (truncated), -EPROTO on a malformed byte or a
 * count that cannot fit in the bytes left. */
int proto_mpread_next(proto_mpread_t *self, proto_mp_value_t *out);

/* Deepest nesting proto_mpread_skip() can be asked to accept. */
#define PROTO_MPREAD_MAX_DEPTH 64

/* Skips one whole value, nested to at most max_depth containers (0: scalars only; [[1]]
 * needs 2); max_depth must be 0..PROTO_MPREAD_MAX_DEPTH (asserted). Same returns as next(),
 * -EPROTO for deeper nesting; on failure the cursor stays where it was. */
int proto_mpread_skip(proto_mpread_t *self, int max_depth);

/* Convenience: read a value of an expected type; -EPROTO when the type differs. */
int proto_mpread_array(proto_mpread_t *self, uint32_t *count);
int proto_mpread_map(proto_mpread_t *self, uint32_t *count);
int proto_mpread_str(proto_mpread_t *self, core_str_t *out);       /* STR only */
int proto_mpread_str_or_nil(proto_mpread_t *self, core_str_t *out); /* NIL -> empty */
int proto_mpread_uint(proto_mpread_t *self, uint64_t *out);        /* non-negative integer */
int proto_mpread_int(proto_mpread_t *self, int64_t *out);          /* any integer in int64 */
int proto_mpread_double(proto_mpread_t *self, double *out);        /* float or integer; NIL->NAN */
int proto_mpread_bool(proto_mpread_t *self, bool *out);

static inline size_t proto_mpread_left(const proto_mpread_t *self)
{
    return self->len - self->pos;
}

#endif
