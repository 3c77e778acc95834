/* test_mpread.c -- the bounds-checked MessagePack reader, format by format. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "core/buf.h"
#include "proto/limits.h"
#include "proto/mpread.h"

/* Reads one value from bytes and checks it consumed exactly all of them. */
static proto_mp_value_t s_read_one(const unsigned char *bytes, size_t len)
{
    proto_mpread_t rd;
    proto_mp_value_t v;
    proto_mpread_init(&rd, bytes, len);
    cr_assert_eq(proto_mpread_next(&rd, &v), 0);
    cr_assert_eq(rd.pos, len, "consumed %zu of %zu", rd.pos, len);
    return v;
}

static int s_next_rc(const unsigned char *bytes, size_t len)
{
    proto_mpread_t rd;
    proto_mp_value_t v;
    proto_mpread_init(&rd, bytes, len);
    int rc = proto_mpread_next(&rd, &v);
    if (rc != 0)
        cr_assert_eq(rd.pos, 0, "cursor moved on failure");
    return rc;
}

Test(proto_mpread, integers_in_every_width)
{
    static const unsigned char pfix[] = {0x05};                        /* 5 */
    static const unsigned char nfix[] = {0xff};                        /* -1 */
    static const unsigned char u8[] = {0xcc, 0xc8};                    /* 200 */
    static const unsigned char u16[] = {0xcd, 0x01, 0x00};             /* 256 */
    static const unsigned char u32[] = {0xce, 0x00, 0x01, 0x00, 0x00}; /* 65536 */
    static const unsigned char u64[] = {0xcf, 0xff, 0xff, 0xff, 0xff,
                                        0xff, 0xff, 0xff, 0xff};          /* UINT64_MAX */
    static const unsigned char i8[] = {0xd0, 0x80};                       /* -128 */
    static const unsigned char i16[] = {0xd1, 0xff, 0x00};                /* -256 */
    static const unsigned char i32[] = {0xd2, 0x80, 0x00, 0x00, 0x00};    /* INT32_MIN */
    static const unsigned char i64[] = {0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0}; /* INT64_MIN */

    proto_mp_value_t v = s_read_one(pfix, sizeof(pfix));
    cr_assert_eq(v.type, PROTO_MP_UINT);
    cr_assert_eq(v.v.u, 5);
    v = s_read_one(nfix, sizeof(nfix));
    cr_assert_eq(v.type, PROTO_MP_INT);
    cr_assert_eq(v.v.i, -1);
    v = s_read_one(u8, sizeof(u8));
    cr_assert_eq(v.v.u, 200);
    v = s_read_one(u16, sizeof(u16));
    cr_assert_eq(v.v.u, 256);
    v = s_read_one(u32, sizeof(u32));
    cr_assert_eq(v.v.u, 65536);
    v = s_read_one(u64, sizeof(u64));
    cr_assert_eq(v.type, PROTO_MP_UINT);
    cr_assert_eq(v.v.u, UINT64_MAX);
    v = s_read_one(i8, sizeof(i8));
    cr_assert_eq(v.type, PROTO_MP_INT);
    cr_assert_eq(v.v.i, -128);
    v = s_read_one(i16, sizeof(i16));
    cr_assert_eq(v.v.i, -256);
    v = s_read_one(i32, sizeof(i32));
    cr_assert_eq(v.v.i, INT32_MIN);
    v = s_read_one(i64, sizeof(i64));
    cr_assert_eq(v.v.i, INT64_MIN);
}

Test(proto_mpread, nil_bool_and_floats)
{
    static const unsigned char nil[] = {0xc0};
    static const unsigned char f[] = {0xc2};
    static const unsigned char t[] = {0xc3};
    static const unsigned char f32[] = {0xca, 0x3f, 0xc0, 0x00, 0x00};       /* 1.5f */
    static const unsigned char f64[] = {0xcb, 0xc0, 0x04, 0, 0, 0, 0, 0, 0}; /* -2.5 */

    cr_assert_eq(s_read_one(nil, 1).type, PROTO_MP_NIL);
    proto_mp_value_t v = s_read_one(f, 1);
    cr_assert_eq(v.type, PROTO_MP_BOOL);
    cr_assert_eq(v.v.b, false);
    cr_assert_eq(s_read_one(t, 1).v.b, true);
    v = s_read_one(f32, sizeof(f32));
    cr_assert_eq(v.type, PROTO_MP_FLOAT);
    cr_assert_eq(v.v.f, 1.5);
    v = s_read_one(f64, sizeof(f64));
    cr_assert_eq(v.v.f, -2.5);
}

Test(proto_mpread, strings_and_bin_point_into_the_buffer)
{
    static const unsigned char fixstr[] = {0xa3, 'a', 'b', 'c'};
    static const unsigned char str8[] = {0xd9, 0x02, 'h', 'i'};
    static const unsigned char str16[] = {0xda, 0x00, 0x01, 'x'};
    static const unsigned char str32[] = {0xdb, 0x00, 0x00, 0x00, 0x00}; /* "" */
    static const unsigned char bin8[] = {0xc4, 0x01, 0x00};
    static const unsigned char bin16[] = {0xc5, 0x00, 0x02, 0xfe, 0xff};
    static const unsigned char bin32[] = {0xc6, 0x00, 0x00, 0x00, 0x01, 0x7f};

    proto_mp_value_t v = s_read_one(fixstr, sizeof(fixstr));
    cr_assert_eq(v.type, PROTO_MP_STR);
    cr_assert_eq(v.v.str.len, 3);
    cr_assert_eq(v.v.str.ptr, (const char *)fixstr + 1);
    v = s_read_one(str8, sizeof(str8));
    cr_assert_eq(v.v.str.len, 2);
    cr_assert_eq(memcmp(v.v.str.ptr, "hi", 2), 0);
    v = s_read_one(str16, sizeof(str16));
    cr_assert_eq(v.v.str.len, 1);
    v = s_read_one(str32, sizeof(str32));
    cr_assert_eq(v.type, PROTO_MP_STR);
    cr_assert_eq(v.v.str.len, 0);
    v = s_read_one(bin8, sizeof(bin8));
    cr_assert_eq(v.type, PROTO_MP_BIN);
    cr_assert_eq(v.v.str.len, 1);
    v = s_read_one(bin16, sizeof(bin16));
    cr_assert_eq(v.v.str.len, 2);
    cr_assert_eq((unsigned char)v.v.str.ptr[1], 0xff);
    v = s_read_one(bin32, sizeof(bin32));
    cr_assert_eq(v.v.str.len, 1);
}

Test(proto_mpread, ext_and_fixext)
{
    static const unsigned char fixext1[] = {0xd4, 0x01, 0xaa};
    static const unsigned char fixext2[] = {0xd5, 0x01, 1, 2};
    static const unsigned char fixext4[] = {0xd6, 0xff, 1, 2, 3, 4}; /* timestamp 32 */
    static const unsigned char fixext8[] = {0xd7, 0x01, 1, 2, 3, 4, 5, 6, 7, 8};
    static const unsigned char fixext16[] = {0xd8, 0x01, 1,  2,  3,  4,  5,  6,  7,
                                             8,    9,    10, 11, 12, 13, 14, 15, 16};
    static const unsigned char ext8[] = {0xc7, 0x02, 0x05, 'a', 'b'};
    static const unsigned char ext16[] = {0xc8, 0x00, 0x01, 0x05, 'a'};
    static const unsigned char ext32[] = {0xc9, 0x00, 0x00, 0x00, 0x00, 0x05}; /* empty */

    size_t want[] = {1, 2, 4, 8, 16, 2, 1, 0};
    const unsigned char *all[] = {fixext1, fixext2, fixext4, fixext8, fixext16, ext8, ext16, ext32};
    size_t lens[] = {sizeof(fixext1),  sizeof(fixext2), sizeof(fixext4), sizeof(fixext8),
                     sizeof(fixext16), sizeof(ext8),    sizeof(ext16),   sizeof(ext32)};
    for (size_t i = 0; i < 8; i++) {
        proto_mp_value_t v = s_read_one(all[i], lens[i]);
        cr_assert_eq(v.type, PROTO_MP_EXT, "case %zu", i);
        cr_assert_eq(v.v.str.len, want[i], "case %zu", i);
        /* Every proper prefix is truncated. */
        for (size_t cut = 0; cut < lens[i]; cut++)
            cr_assert_eq(s_next_rc(all[i], cut), -EAGAIN, "case %zu cut %zu", i, cut);
    }
}

Test(proto_mpread, containers_give_their_count)
{
    static const unsigned char fixarray[] = {0x92, 0x01, 0x02};      /* [1, 2] */
    static const unsigned char fixmap[] = {0x81, 0xa1, 'k', 0x01};   /* {"k": 1} */
    static const unsigned char array16[] = {0xdc, 0x00, 0x01, 0xc0}; /* [nil] */
    static const unsigned char array32[] = {0xdd, 0, 0, 0, 1, 0xc0}; /* [nil] */
    static const unsigned char map16[] = {0xde, 0x00, 0x01, 0x01, 0x02};
    static const unsigned char map32[] = {0xdf, 0, 0, 0, 1, 0x01, 0x02};

    proto_mpread_t rd;
    proto_mp_value_t v;
    proto_mpread_init(&rd, fixarray, sizeof(fixarray));
    cr_assert_eq(proto_mpread_next(&rd, &v), 0);
    cr_assert_eq(v.type, PROTO_MP_ARRAY);
    cr_assert_eq(v.v.count, 2);
    cr_assert_eq(rd.pos, 1);

    proto_mpread_init(&rd, fixmap, sizeof(fixmap));
    cr_assert_eq(proto_mpread_next(&rd, &v), 0);
    cr_assert_eq(v.type, PROTO_MP_MAP);
    cr_assert_eq(v.v.count, 1);

    const unsigned char *more[] = {array16, array32, map16, map32};
    size_t lens[] = {sizeof(array16), sizeof(array32), sizeof(map16), sizeof(map32)};
    for (size_t i = 0; i < 4; i++) {
        proto_mpread_init(&rd, more[i], lens[i]);
        cr_assert_eq(proto_mpread_next(&rd, &v), 0, "case %zu", i);
        cr_assert_eq(v.v.count, 1, "case %zu", i);
        proto_mpread_init(&rd, more[i], lens[i]);
        cr_assert_eq(proto_mpread_skip(&rd, 1), 0, "case %zu", i);
        cr_assert_eq(rd.pos, lens[i], "case %zu", i);
    }
}

Test(proto_mpread, reserved_byte_is_malformed)
{
    static const unsigned char c1[] = {0xc1}; /* "never used" in the spec */
    cr_assert_eq(s_next_rc(c1, 1), -EPROTO);
}

Test(proto_mpread, empty_and_truncated_input_is_eagain)
{
    static const unsigned char u16[] = {0xcd, 0x01};        /* uint16 missing a byte */
    static const unsigned char f64[] = {0xcb, 0, 0, 0};     /* float64 missing 5 bytes */
    static const unsigned char str8[] = {0xd9};             /* str8 without its length */
    static const unsigned char fixstr[] = {0xa5, 'a', 'b'}; /* 5-byte string, 2 present */
    static const unsigned char array16[] = {0xdc, 0x00};    /* array16 without count */
    cr_assert_eq(s_next_rc(u16, 0), -EAGAIN);
    cr_assert_eq(s_next_rc(u16, sizeof(u16)), -EAGAIN);
    cr_assert_eq(s_next_rc(f64, sizeof(f64)), -EAGAIN);
    cr_assert_eq(s_next_rc(str8, sizeof(str8)), -EAGAIN);
    cr_assert_eq(s_next_rc(fixstr, sizeof(fixstr)), -EAGAIN);
    cr_assert_eq(s_next_rc(array16, sizeof(array16)), -EAGAIN);
}

Test(proto_mpread, array32_of_four_billion_is_refused)
{
    static const unsigned char hostile[] = {0xdd, 0xff, 0xff, 0xff, 0xff}; /* array32, 2^32-1 */
    cr_assert_eq(s_next_rc(hostile, sizeof(hostile)), -EPROTO);
}

Test(proto_mpread, map32_of_four_billion_pairs_is_refused)
{
    /* map32 with 2^32-1 pairs, then a few bytes that could be its first key. */
    static const unsigned char hostile[] = {0xdf, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03};
    cr_assert_eq(s_next_rc(hostile, sizeof(hostile)), -EPROTO);
    /* A map needs two bytes per pair: 2 pairs in 3 bytes cannot be. */
    static const unsigned char tight[] = {0x82, 0x01, 0x02, 0x03};
    cr_assert_eq(s_next_rc(tight, sizeof(tight)), -EPROTO);
}

Test(proto_mpread, str32_beyond_the_buffer_is_refused)
{
    static const unsigned char hostile[] = {0xdb, 0x7f, 0xff, 0xff, 0xff, 'a', 'b'};
    cr_assert_neq(s_next_rc(hostile, sizeof(hostile)), 0);
    static const unsigned char bin[] = {0xc6, 0xff, 0xff, 0xff, 0xff, 'a'};
    cr_assert_neq(s_next_rc(bin, sizeof(bin)), 0);
    static const unsigned char ext[] = {0xc9, 0xff, 0xff, 0xff, 0xff, 0x01, 'a'};
    cr_assert_neq(s_next_rc(ext, sizeof(ext)), 0);
}

Test(proto_mpread, skip_walks_nested_values)
{
    /* {"a": [1, {"b": nil}], "c": "xy"}, then 0x07 */
    static const unsigned char doc[] = {0x82, 0xa1, 'a', 0x92, 0x01, 0x81, 0xa1, 'b',
                                        0xc0, 0xa1, 'c', 0xa2, 'x',  'y',  0x07};
    proto_mpread_t rd;
    proto_mpread_init(&rd, doc, sizeof(doc));
    cr_assert_eq(proto_mpread_skip(&rd, PROTO_MAX_DEPTH), 0);
    cr_assert_eq(rd.pos, sizeof(doc) - 1);
    uint64_t u;
    cr_assert_eq(proto_mpread_uint(&rd, &u), 0);
    cr_assert_eq(u, 7);

    /* Depth: the document nests 3 containers deep. */
    proto_mpread_init(&rd, doc, sizeof(doc));
    cr_assert_eq(proto_mpread_skip(&rd, 2), -EPROTO);
    cr_assert_eq(rd.pos, 0);
    cr_assert_eq(proto_mpread_skip(&rd, 3), 0);

    /* Truncated inside: -EAGAIN and the cursor stays put. */
    proto_mpread_init(&rd, doc, sizeof(doc) - 3);
    cr_assert_eq(proto_mpread_skip(&rd, PROTO_MAX_DEPTH), -EAGAIN);
    cr_assert_eq(rd.pos, 0);
}

Test(proto_mpread, skip_refuses_nesting_1000_deep)
{
    unsigned char deep[1001];
    memset(deep, 0x91, 1000); /* [[[[...]]]] */
    deep[1000] = 0x01;
    proto_mpread_t rd;
    proto_mpread_init(&rd, deep, sizeof(deep));
    cr_assert_eq(proto_mpread_skip(&rd, PROTO_MAX_DEPTH), -EPROTO);
    cr_assert_eq(proto_mpread_skip(&rd, PROTO_MPREAD_MAX_DEPTH), -EPROTO);
    cr_assert_eq(rd.pos, 0);
    /* Exactly PROTO_MAX_DEPTH deep is fine. */
    proto_mpread_init(&rd, deep + 1000 - PROTO_MAX_DEPTH, PROTO_MAX_DEPTH + 1);
    cr_assert_eq(proto_mpread_skip(&rd, PROTO_MAX_DEPTH), 0);
    proto_mpread_init(&rd, deep + 1000 - PROTO_MAX_DEPTH - 1, PROTO_MAX_DEPTH + 2);
    cr_assert_eq(proto_mpread_skip(&rd, PROTO_MAX_DEPTH), -EPROTO);
}

Test(proto_mpread, skip_of_empty_containers_and_scalars)
{
    static const unsigned char doc[] = {0x90, 0x80, 0x05}; /* [], {}, 5 */
    proto_mpread_t rd;
    proto_mpread_init(&rd, doc, sizeof(doc));
    cr_assert_eq(proto_mpread_skip(&rd, 1), 0);
    cr_assert_eq(proto_mpread_skip(&rd, 1), 0);
    cr_assert_eq(proto_mpread_skip(&rd, 0), 0);
    cr_assert_eq(proto_mpread_left(&rd), 0);
    cr_assert_eq(proto_mpread_skip(&rd, 0), -EAGAIN);
}

Test(proto_mpread, skip_depth_over_the_maximum_is_a_programmer_error, .signal = SIGABRT)
{
    static const unsigned char doc[] = {0x01};
    proto_mpread_t rd;
    proto_mpread_init(&rd, doc, sizeof(doc));
    proto_mpread_skip(&rd, PROTO_MPREAD_MAX_DEPTH + 1);
}

Test(proto_mpread, typed_readers_convert_and_refuse)
{
    /* 5, -3, uint64 max, nil, "s", nil, true, [..2], {..1} */
    static const unsigned char doc[] = {0x05, 0xfd, 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        0xff, 0xff, 0xc0, 0xa1, 's',  0xc0, 0xc3, 0x92, 0x81};
    proto_mpread_t rd;
    proto_mpread_init(&rd, doc, sizeof(doc));
    int64_t i;
    uint64_t u;
    double d;
    core_str_t s;
    bool b;
    uint32_t n;
    cr_assert_eq(proto_mpread_int(&rd, &i), 0);
    cr_assert_eq(i, 5);
    cr_assert_eq(proto_mpread_uint(&rd, &u), -EPROTO); /* -3 */
    cr_assert_eq(rd.pos, 1, "a type mismatch leaves the cursor");
    cr_assert_eq(proto_mpread_double(&rd, &d), 0);
    cr_assert_eq(d, -3.0);
    cr_assert_eq(proto_mpread_int(&rd, &i), -EPROTO); /* > INT64_MAX */
    cr_assert_eq(proto_mpread_uint(&rd, &u), 0);
    cr_assert_eq(u, UINT64_MAX);
    cr_assert_eq(proto_mpread_str(&rd, &s), -EPROTO); /* nil */
    cr_assert_eq(proto_mpread_double(&rd, &d), 0);
    cr_assert(isnan(d));
    cr_assert_eq(proto_mpread_str_or_nil(&rd, &s), 0);
    cr_assert_eq(s.len, 1);
    cr_assert_eq(proto_mpread_str_or_nil(&rd, &s), 0);
    cr_assert_eq(s.len, 0);
    cr_assert_eq(proto_mpread_array(&rd, &n), -EPROTO); /* true */
    cr_assert_eq(proto_mpread_bool(&rd, &b), 0);
    cr_assert_eq(b, true);
    cr_assert_eq(proto_mpread_map(&rd, &n), -EPROTO);   /* array */
    cr_assert_eq(proto_mpread_array(&rd, &n), -EPROTO); /* 2 elements, 1 byte left */
}
