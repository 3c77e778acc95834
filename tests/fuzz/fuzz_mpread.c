/* fuzz_mpread.c -- libFuzzer target: the bounds-checked MessagePack reader (proto/mpread.h).
 *
 * The first byte picks max_depth for proto_mpread_skip (0..PROTO_MPREAD_MAX_DEPTH); the rest
 * is the buffer. Checks: skip either advances inside the buffer or leaves the cursor where it
 * was; skip agrees with a reference skipper built on proto_mpread_next; every view next()
 * returns lies inside the buffer and every count fits in the bytes left; the typed readers do
 * not step outside the buffer. */
#include <errno.h>

#include "fuzz_common.h"
#include "proto/mpread.h"

/* Skips one value the slow way: next() and recursion. */
static int s_ref_skip(proto_mpread_t *rd, int max_depth)
{
    proto_mp_value_t v;
    int rc = proto_mpread_next(rd, &v);
    if (rc != 0)
        return rc;
    if (v.type != PROTO_MP_ARRAY && v.type != PROTO_MP_MAP)
        return 0;
    if (max_depth == 0)
        return -EPROTO;
    uint64_t n = v.type == PROTO_MP_MAP ? 2 * (uint64_t)v.v.count : v.v.count;
    for (uint64_t i = 0; i < n; i++) {
        rc = s_ref_skip(rd, max_depth - 1);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static void s_check_view(const proto_mpread_t *rd, core_str_t s)
{
    const char *lo = (const char *)rd->data;
    if (s.len > 0 && (s.ptr < lo || s.ptr + s.len > lo + rd->len))
        fuzz_fail("mpread", "view outside the buffer");
    fuzz_touch(s);
}

static void s_walk(const uint8_t *data, size_t size)
{
    proto_mpread_t rd;
    proto_mpread_init(&rd, data, size);
    while (proto_mpread_left(&rd) > 0) {
        size_t before = rd.pos;
        proto_mp_value_t v;
        if (proto_mpread_next(&rd, &v) != 0)
            break;
        if (rd.pos <= before || rd.pos > rd.len)
            fuzz_fail("mpread next", "cursor did not advance inside the buffer");
        if (v.type == PROTO_MP_STR || v.type == PROTO_MP_BIN || v.type == PROTO_MP_EXT)
            s_check_view(&rd, v.v.str);
        if ((v.type == PROTO_MP_ARRAY || v.type == PROTO_MP_MAP) &&
            v.v.count > proto_mpread_left(&rd))
            fuzz_fail("mpread next", "count larger than the bytes left");
    }
}

static void s_skip_all(const uint8_t *data, size_t size, int depth)
{
    proto_mpread_t rd;
    proto_mpread_t ref;
    proto_mpread_init(&rd, data, size);
    proto_mpread_init(&ref, data, size);
    while (proto_mpread_left(&rd) > 0) {
        size_t before = rd.pos;
        int rc = proto_mpread_skip(&rd, depth);
        int ref_rc = s_ref_skip(&ref, depth);
        if (rc != 0) {
            if (rd.pos != before)
                fuzz_fail("mpread skip", "failed skip moved the cursor");
            if (ref_rc == 0)
                fuzz_fail("mpread skip", "skip failed where next() walks the value");
            return;
        }
        if (rd.pos <= before || rd.pos > rd.len)
            fuzz_fail("mpread skip", "cursor did not advance inside the buffer");
        if (ref_rc != 0 || ref.pos != rd.pos)
            fuzz_fail("mpread skip", "skip disagrees with next()");
    }
}

static void s_typed(const uint8_t *data, size_t size)
{
    for (int kind = 0; kind < 8; kind++) {
        proto_mpread_t rd;
        proto_mpread_init(&rd, data, size);
        uint32_t count = 0;
        core_str_t s = {0};
        uint64_t u = 0;
        int64_t i = 0;
        double d = 0;
        bool b = false;
        int rc = 0;
        switch (kind) {
        case 0:
            rc = proto_mpread_array(&rd, &count);
            break;
        case 1:
            rc = proto_mpread_map(&rd, &count);
            break;
        case 2:
            rc = proto_mpread_str(&rd, &s);
            break;
        case 3:
            rc = proto_mpread_str_or_nil(&rd, &s);
            break;
        case 4:
            rc = proto_mpread_uint(&rd, &u);
            break;
        case 5:
            rc = proto_mpread_int(&rd, &i);
            break;
        case 6:
            rc = proto_mpread_double(&rd, &d);
            break;
        default:
            rc = proto_mpread_bool(&rd, &b);
            break;
        }
        if (rd.pos > rd.len)
            fuzz_fail("mpread typed", "cursor past the end");
        if (rc == 0 && (kind == 2 || kind == 3))
            s_check_view(&rd, s);
        fuzz_sink_byte = (unsigned)(count + u + (uint64_t)i + (d > 0) + b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int depth = data[0] % (PROTO_MPREAD_MAX_DEPTH + 1);
    data++;
    size--;
    s_walk(data, size);
    s_skip_all(data, size, depth);
    if (size > 0)
        s_typed(data, size);
    return 0;
}
