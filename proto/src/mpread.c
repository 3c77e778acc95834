/* mpread.c -- a bounds-checked MessagePack pull reader, written from the MessagePack spec.
 *
 * DESIGN: one call reads one value header from [data, data+len). Nothing is allocated and
 * nothing is trusted: every length is checked against the bytes left before it is used, and
 * every ARRAY/MAP count against the smallest number of bytes its elements could occupy (one
 * byte per element), so a 5-byte "dd ff ff ff ff" is refused on the spot instead of asking for
 * 4 billion elements. The cursor only moves on success, so a caller may retry or report.
 *
 * The second half holds the field readers the message decoders share (proto__read_*): they
 * turn every failure into -EPROTO with "field 'x' ..." in err, which the decoders prefix with
 * where they are ("parcel 3: field 'items' is not an array"). */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "internal.h"

void proto_mpread_init(proto_mpread_t *self, const void *data, size_t len)
{
    core_assert(self != NULL);
    core_assert(data != NULL || len == 0);
    self->data = data;
    self->len = len;
    self->pos = 0;
}

/* ============ Value headers ============ */

static inline uint64_t s_be(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/* The two's-complement value of an n-byte big-endian integer. */
static inline int64_t s_sign_extend(uint64_t raw, size_t n)
{
    if (n == 8) {
        int64_t v;
        memcpy(&v, &raw, sizeof(v));
        return v;
    }
    uint64_t span = (uint64_t)1 << (8 * n);
    return raw & (span >> 1) ? (int64_t)raw - (int64_t)span : (int64_t)raw;
}

/* A STR/BIN/EXT payload of 'len' bytes after a 'hdr'-byte header. */
static int s_payload(proto_mpread_t *self, proto_mp_value_t *out, proto_mp_type_t type, size_t hdr,
                     uint64_t len)
{
    size_t left = self->len - self->pos;
    if (left < hdr || len > left - hdr)
        return -EAGAIN;
    if (len > UINT32_MAX)
        return -EPROTO;
    out->type = type;
    out->v.str.ptr = (const char *)self->data + self->pos + hdr;
    out->v.str.len = (uint32_t)len;
    self->pos += hdr + (size_t)len;
    return 0;
}

/* An ARRAY (per = 1) or MAP (per = 2) of 'count' entries after a 'hdr'-byte header. Each
 * element needs at least one byte, so a count the bytes left cannot hold is malformed. */
static int s_container(proto_mpread_t *self, proto_mp_value_t *out, proto_mp_type_t type,
                       size_t hdr, uint64_t count, uint64_t per)
{
    size_t left = self->len - self->pos;
    if (left < hdr)
        return -EAGAIN;
    if (count * per > left - hdr)
        return -EPROTO;
    out->type = type;
    out->v.count = (uint32_t)count;
    self->pos += hdr;
    return 0;
}

/* An EXT: 'lenbytes' of length (0 for fixext, whose length is 'fixed'), a type byte, data. */
static int s_ext(proto_mpread_t *self, proto_mp_value_t *out, size_t lenbytes, uint64_t fixed)
{
    size_t left = self->len - self->pos;
    if (left < 1 + lenbytes + 1)
        return -EAGAIN;
    uint64_t len = lenbytes ? s_be(self->data + self->pos + 1, lenbytes) : fixed;
    return s_payload(self, out, PROTO_MP_EXT, 1 + lenbytes + 1, len);
}

/* A fixed-size scalar: needs 1 + n bytes. */
static inline int s_scalar(proto_mpread_t *self, size_t n, const unsigned char **body)
{
    if (self->len - self->pos < 1 + n)
        return -EAGAIN;
    *body = self->data + self->pos + 1;
    self->pos += 1 + n;
    return 0;
}

int proto_mpread_next(proto_mpread_t *self, proto_mp_value_t *out)
{
    core_assert(self != NULL);
    core_assert(out != NULL);
    if (self->pos >= self->len)
        return -EAGAIN;
    const unsigned char *p = self->data + self->pos;
    unsigned char b = p[0];
    size_t left = self->len - self->pos;

    if (b <= 0x7f) { /* positive fixint */
        out->type = PROTO_MP_UINT;
        out->v.u = b;
        self->pos++;
        return 0;
    }
    if (b >= 0xe0) { /* negative fixint */
        out->type = PROTO_MP_INT;
        out->v.i = (int64_t)b - 256;
        self->pos++;
        return 0;
    }
    if (b <= 0x8f)
        return s_container(self, out, PROTO_MP_MAP, 1, b & 0x0f, 2);
    if (b <= 0x9f)
        return s_container(self, out, PROTO_MP_ARRAY, 1, b & 0x0f, 1);
    if (b <= 0xbf)
        return s_payload(self, out, PROTO_MP_STR, 1, b & 0x1f);

    const unsigned char *q = NULL;
    int rc = 0;
    switch (b) {
    case 0xc0:
        out->type = PROTO_MP_NIL;
        self->pos++;
        return 0;
    case 0xc1: /* never used */
        return -EPROTO;
    case 0xc2:
    case 0xc3:
        out->type = PROTO_MP_BOOL;
        out->v.b = b == 0xc3;
        self->pos++;
        return 0;
    case 0xc4: /* bin 8/16/32 */
    case 0xc5:
    case 0xc6: {
        size_t n = (size_t)1 << (b - 0xc4);
        if (left < 1 + n)
            return -EAGAIN;
        return s_payload(self, out, PROTO_MP_BIN, 1 + n, s_be(p + 1, n));
    }
    case 0xc7: /* ext 8/16/32 */
    case 0xc8:
    case 0xc9:
        return s_ext(self, out, (size_t)1 << (b - 0xc7), 0);
    case 0xca: /* float 32 */
        if ((rc = s_scalar(self, 4, &q)) != 0)
            return rc;
        {
            uint32_t bits = (uint32_t)s_be(q, 4);
            float f;
            memcpy(&f, &bits, sizeof(f));
            out->type = PROTO_MP_FLOAT;
            out->v.f = f;
        }
        return 0;
    case 0xcb: /* float 64 */
        if ((rc = s_scalar(self, 8, &q)) != 0)
            return rc;
        {
            uint64_t bits = s_be(q, 8);
            memcpy(&out->v.f, &bits, sizeof(out->v.f));
            out->type = PROTO_MP_FLOAT;
        }
        return 0;
    case 0xcc: /* uint 8/16/32/64 */
    case 0xcd:
    case 0xce:
    case 0xcf: {
        size_t n = (size_t)1 << (b - 0xcc);
        if ((rc = s_scalar(self, n, &q)) != 0)
            return rc;
        out->type = PROTO_MP_UINT;
        out->v.u = s_be(q, n);
        return 0;
    }
    case 0xd0: /* int 8/16/32/64 */
    case 0xd1:
    case 0xd2:
    case 0xd3: {
        size_t n = (size_t)1 << (b - 0xd0);
        if ((rc = s_scalar(self, n, &q)) != 0)
            return rc;
        uint64_t raw = s_be(q, n);
        out->type = PROTO_MP_INT;
        out->v.i = s_sign_extend(raw, n);
        return 0;
    }
    case 0xd4: /* fixext 1/2/4/8/16 */
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8:
        return s_ext(self, out, 0, (uint64_t)1 << (b - 0xd4));
    case 0xd9: /* str 8/16/32 */
    case 0xda:
    case 0xdb: {
        size_t n = (size_t)1 << (b - 0xd9);
        if (left < 1 + n)
            return -EAGAIN;
        return s_payload(self, out, PROTO_MP_STR, 1 + n, s_be(p + 1, n));
    }
    case 0xdc: /* array 16/32 */
    case 0xdd: {
        size_t n = b == 0xdc ? 2 : 4;
        if (left < 1 + n)
            return -EAGAIN;
        return s_container(self, out, PROTO_MP_ARRAY, 1 + n, s_be(p + 1, n), 1);
    }
    case 0xde: /* map 16/32 */
    case 0xdf: {
        size_t n = b == 0xde ? 2 : 4;
        if (left < 1 + n)
            return -EAGAIN;
        return s_container(self, out, PROTO_MP_MAP, 1 + n, s_be(p + 1, n), 2);
    }
    default:
        return -EPROTO; /* unreachable: every byte value is handled above */
    }
}

int proto_mpread_skip(proto_mpread_t *self, int max_depth)
{
    core_assert(self != NULL);
    core_assert(max_depth >= 0 && max_depth <= PROTO_MPREAD_MAX_DEPTH);
    /* todo[d]: values still to read in the container open at depth d (todo[0]: the value
     * itself). No recursion: hostile nesting costs one counter per level, up to max_depth. */
    uint64_t todo[PROTO_MPREAD_MAX_DEPTH + 1];
    int depth = 0;
    size_t start = self->pos;
    todo[0] = 1;
    for (;;) {
        while (todo[depth] == 0) {
            if (depth == 0)
                return 0;
            depth--;
        }
        todo[depth]--;
        proto_mp_value_t v;
        int rc = proto_mpread_next(self, &v);
        if (rc != 0) {
            self->pos = start;
            return rc;
        }
        if (v.type != PROTO_MP_ARRAY && v.type != PROTO_MP_MAP)
            continue;
        if (depth == max_depth) {
            self->pos = start;
            return -EPROTO;
        }
        depth++;
        todo[depth] = v.type == PROTO_MP_MAP ? 2 * (uint64_t)v.v.count : v.v.count;
    }
}

/* ============ Typed convenience readers ============ */

/* Reads one value; on success checks its type and rewinds on a mismatch. */
static int s_next_typed(proto_mpread_t *self, proto_mp_value_t *v, proto_mp_type_t type)
{
    size_t start = self->pos;
    int rc = proto_mpread_next(self, v);
    if (rc != 0)
        return rc;
    if (v->type != type) {
        self->pos = start;
        return -EPROTO;
    }
    return 0;
}

int proto_mpread_array(proto_mpread_t *self, uint32_t *count)
{
    proto_mp_value_t v;
    int rc = s_next_typed(self, &v, PROTO_MP_ARRAY);
    if (rc == 0)
        *count = v.v.count;
    return rc;
}

int proto_mpread_map(proto_mpread_t *self, uint32_t *count)
{
    proto_mp_value_t v;
    int rc = s_next_typed(self, &v, PROTO_MP_MAP);
    if (rc == 0)
        *count = v.v.count;
    return rc;
}

int proto_mpread_str(proto_mpread_t *self, core_str_t *out)
{
    proto_mp_value_t v;
    int rc = s_next_typed(self, &v, PROTO_MP_STR);
    if (rc == 0)
        *out = v.v.str;
    return rc;
}

int proto_mpread_str_or_nil(proto_mpread_t *self, core_str_t *out)
{
    size_t start = self->pos;
    proto_mp_value_t v;
    int rc = proto_mpread_next(self, &v);
    if (rc != 0)
        return rc;
    if (v.type == PROTO_MP_NIL) {
        out->ptr = NULL;
        out->len = 0;
        return 0;
    }
    if (v.type != PROTO_MP_STR) {
        self->pos = start;
        return -EPROTO;
    }
    *out = v.v.str;
    return 0;
}

int proto_mpread_uint(proto_mpread_t *self, uint64_t *out)
{
    size_t start = self->pos;
    proto_mp_value_t v;
    int rc = proto_mpread_next(self, &v);
    if (rc != 0)
        return rc;
    if (v.type == PROTO_MP_UINT) {
        *out = v.v.u;
        return 0;
    }
    if (v.type == PROTO_MP_INT && v.v.i >= 0) {
        *out = (uint64_t)v.v.i;
        return 0;
    }
    self->pos = start;
    return -EPROTO;
}

int proto_mpread_int(proto_mpread_t *self, int64_t *out)
{
    size_t start = self->pos;
    proto_mp_value_t v;
    int rc = proto_mpread_next(self, &v);
    if (rc != 0)
        return rc;
    if (v.type == PROTO_MP_INT) {
        *out = v.v.i;
        return 0;
    }
    if (v.type == PROTO_MP_UINT && v.v.u <= INT64_MAX) {
        *out = (int64_t)v.v.u;
        return 0;
    }
    self->pos = start;
    return -EPROTO;
}

int proto_mpread_double(proto_mpread_t *self, double *out)
{
    size_t start = self->pos;
    proto_mp_value_t v;
    int rc = proto_mpread_next(self, &v);
    if (rc != 0)
        return rc;
    switch (v.type) {
    case PROTO_MP_FLOAT:
        *out = v.v.f;
        return 0;
    case PROTO_MP_INT:
        *out = (double)v.v.i;
        return 0;
    case PROTO_MP_UINT:
        *out = (double)v.v.u;
        return 0;
    case PROTO_MP_NIL:
        *out = NAN;
        return 0;
    default:
        self->pos = start;
        return -EPROTO;
    }
}

int proto_mpread_bool(proto_mpread_t *self, bool *out)
{
    proto_mp_value_t v;
    int rc = s_next_typed(self, &v, PROTO_MP_BOOL);
    if (rc == 0)
        *out = v.v.b;
    return rc;
}

/* ============ Field readers for the decoders ============ */

const char *proto_mp_type_name(proto_mp_type_t type)
{
    switch (type) {
    case PROTO_MP_NIL:
        return "nil";
    case PROTO_MP_BOOL:
        return "a boolean";
    case PROTO_MP_INT:
    case PROTO_MP_UINT:
        return "an integer";
    case PROTO_MP_FLOAT:
        return "a float";
    case PROTO_MP_STR:
        return "a string";
    case PROTO_MP_BIN:
        return "binary";
    case PROTO_MP_ARRAY:
        return "an array";
    case PROTO_MP_MAP:
        return "a map";
    case PROTO_MP_EXT:
        return "an extension";
    }
    return "unknown";
}

/* Reads the next value of field 'name'; turns reader failures into -EPROTO and a reason. */
static int s_field(proto_mpread_t *rd, const char *name, proto_mp_value_t *v, char *err)
{
    int rc = proto_mpread_next(rd, v);
    if (rc == -EAGAIN) {
        core_err_set(err, "field '%s' is truncated", name);
        return -EPROTO;
    }
    if (rc != 0) {
        core_err_set(err, "field '%s' is malformed MessagePack at byte %zu", name, rd->pos);
        return -EPROTO;
    }
    return 0;
}

static int s_wrong(const char *name, const proto_mp_value_t *v, const char *want, char *err)
{
    core_err_set(err, "field '%s' is not %s (got %s)", name, want, proto_mp_type_name(v->type));
    return -EPROTO;
}

/* True when all bytes are ASCII; eight at a time, as most manifest text is. */
static inline bool s_ascii(const char *s, size_t len)
{
    size_t i = 0;
    uint64_t acc = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, sizeof(w));
        acc |= w;
    }
    for (; i < len; i++)
        acc |= (unsigned char)s[i];
    return (acc & 0x8080808080808080ULL) == 0;
}

int proto__read_str(proto_mpread_t *rd, const char *name, uint32_t max, core_str_t *out, char *err)
{
    /* Fast path for the common fixstr and str8 headers. */
    size_t left = rd->len - rd->pos;
    const unsigned char *p = rd->data + rd->pos;
    proto_mp_value_t v;
    if (left >= 1 && p[0] >= 0xa0 && p[0] <= 0xbf && (size_t)(p[0] & 0x1f) <= left - 1) {
        v.v.str.ptr = (const char *)p + 1;
        v.v.str.len = p[0] & 0x1f;
        rd->pos += 1 + v.v.str.len;
    } else if (left >= 2 && p[0] == 0xd9 && (size_t)p[1] <= left - 2) {
        v.v.str.ptr = (const char *)p + 2;
        v.v.str.len = p[1];
        rd->pos += 2 + v.v.str.len;
    } else {
        if (s_field(rd, name, &v, err) != 0)
            return -EPROTO;
        if (v.type != PROTO_MP_STR)
            return s_wrong(name, &v, "a string", err);
    }
    if (v.v.str.len > max) {
        core_err_set(err, "field '%s' is longer than %u bytes", name, max);
        return -EPROTO;
    }
    if (!s_ascii(v.v.str.ptr, v.v.str.len) && !core_utf8_valid(v.v.str.ptr, v.v.str.len)) {
        core_err_set(err, "field '%s' is not valid UTF-8", name);
        return -EPROTO;
    }
    *out = v.v.str;
    return 0;
}

int proto__read_uint(proto_mpread_t *rd, const char *name, uint64_t max, uint64_t *out, char *err)
{
    proto_mp_value_t v;
    if (s_field(rd, name, &v, err) != 0)
        return -EPROTO;
    if (v.type == PROTO_MP_INT && v.v.i >= 0) {
        v.type = PROTO_MP_UINT;
        v.v.u = (uint64_t)v.v.i;
    }
    if (v.type != PROTO_MP_UINT)
        return s_wrong(name, &v, "an unsigned integer", err);
    if (v.v.u > max) {
        core_err_set(err, "field '%s' is %llu, at most %llu", name, (unsigned long long)v.v.u,
                     (unsigned long long)max);
        return -EPROTO;
    }
    *out = v.v.u;
    return 0;
}

int proto__read_int(proto_mpread_t *rd, const char *name, int64_t *out, char *err)
{
    proto_mp_value_t v;
    if (s_field(rd, name, &v, err) != 0)
        return -EPROTO;
    if (v.type == PROTO_MP_UINT && v.v.u <= INT64_MAX) {
        *out = (int64_t)v.v.u;
        return 0;
    }
    if (v.type != PROTO_MP_INT)
        return s_wrong(name, &v, "a signed 64-bit integer", err);
    *out = v.v.i;
    return 0;
}

int proto__read_num(proto_mpread_t *rd, const char *name, double *out, char *err)
{
    proto_mp_value_t v;
    if (s_field(rd, name, &v, err) != 0)
        return -EPROTO;
    switch (v.type) {
    case PROTO_MP_NIL:
        *out = NAN;
        return 0;
    case PROTO_MP_FLOAT:
        *out = v.v.f;
        return 0;
    case PROTO_MP_UINT:
        *out = (double)v.v.u;
        return 0;
    case PROTO_MP_INT:
        *out = (double)v.v.i;
        return 0;
    default:
        return s_wrong(name, &v, "a number or nil", err);
    }
}

int proto__read_bool(proto_mpread_t *rd, const char *name, bool *out, char *err)
{
    proto_mp_value_t v;
    if (s_field(rd, name, &v, err) != 0)
        return -EPROTO;
    if (v.type != PROTO_MP_BOOL)
        return s_wrong(name, &v, "a boolean", err);
    *out = v.v.b;
    return 0;
}

int proto__read_array(proto_mpread_t *rd, const char *name, uint32_t min, uint32_t max, bool nil_ok,
                      uint32_t *count, char *err)
{
    proto_mp_value_t v;
    if (s_field(rd, name, &v, err) != 0)
        return -EPROTO;
    if (v.type == PROTO_MP_NIL && nil_ok) {
        *count = UINT32_MAX;
        return 0;
    }
    if (v.type != PROTO_MP_ARRAY)
        return s_wrong(name, &v, "an array", err);
    if (v.v.count < min || v.v.count > max) {
        if (min == max)
            core_err_set(err, "field '%s' has %u elements, expected %u", name, v.v.count, min);
        else
            core_err_set(err, "field '%s' has %u elements, expected %u..%u", name, v.v.count, min,
                         max);
        return -EPROTO;
    }
    *count = v.v.count;
    return 0;
}

int proto__read_map(proto_mpread_t *rd, const char *name, uint32_t max, uint32_t *count, char *err)
{
    proto_mp_value_t v;
    if (s_field(rd, name, &v, err) != 0)
        return -EPROTO;
    if (v.type != PROTO_MP_MAP)
        return s_wrong(name, &v, "a map", err);
    if (v.v.count > max) {
        core_err_set(err, "field '%s' has %u entries, at most %u", name, v.v.count, max);
        return -EPROTO;
    }
    *count = v.v.count;
    return 0;
}
