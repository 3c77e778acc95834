/* test_msgpack.c -- MessagePack manifests through ingest_reader (mpk.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "helpers.h"

/* A full parcel map with every kind of field, as a producer would send it. */
static void s_full_parcel(core_buf_t *b)
{
    th_mp_map(b, 8);
    th_mp_str(b, "parcel_id");
    th_mp_str(b, "M1");
    th_mp_str(b, "source_format"); /* unknown key, skipped */
    th_mp_map(b, 1);
    th_mp_str(b, "nested");
    th_mp_array(b, 2);
    th_mp_uint(b, 1);
    th_mp_nil(b);
    th_mp_str(b, "sender");
    th_mp_map(b, 2);
    th_mp_str(b, "name");
    th_mp_str(b, "Shenzhen Bright Trading Co");
    th_mp_str(b, "country");
    th_mp_str(b, "CN");
    th_mp_str(b, "seller");
    th_mp_map(b, 1);
    th_mp_str(b, "seller_id");
    th_mp_str(b, "S-1");
    th_mp_str(b, "gross_weight_kg");
    th_mp_double(b, 0.42);
    th_mp_str(b, "declared_total_value");
    th_mp_uint(b, 16);
    th_mp_str(b, "currency");
    th_mp_nil(b);
    th_mp_str(b, "items");
    th_mp_array(b, 1);
    th_mp_map(b, 4);
    th_mp_str(b, "line_no");
    th_mp_uint(b, 1);
    th_mp_str(b, "description");
    th_mp_str(b, "Women's cotton T-shirt");
    th_mp_str(b, "hs_code");
    th_mp_str(b, "010110");
    th_mp_str(b, "quantity");
    th_mp_nil(b);
}

Test(ingest_msgpack, maps_become_parcels)
{
    core_buf_t b = {0};
    s_full_parcel(&b);
    th_mp_parcel(&b, "M2", "Hans Becker", 3);
    th_mp_parcel(&b, "M3", "Anna", 100);
    for (size_t chunk = 0; chunk <= 5; chunk += 5) {
        th_result_t res;
        th_read(&res, INGEST_FORMAT_MSGPACK, b.data, b.len, chunk, NULL);
        cr_assert_str_eq(res.order, "PPP", "%s", res.n_rejects ? res.rejects[0] : "");
        const proto_parcel_t *p = th_find(&res, "M1");
        cr_assert(th_eq(p->sender.name, "Shenzhen Bright Trading Co"));
        cr_assert(th_eq(p->sender.country, "CN"));
        cr_assert(p->has_seller);
        cr_assert(th_eq(p->seller.seller_id, "S-1"));
        cr_assert_eq(p->gross_weight_kg, 0.42);
        cr_assert_eq(p->declared_total_value, 16.0);
        cr_assert(th_eq(p->currency, ""));
        cr_assert_eq(p->item_count, 1);
        cr_assert(th_eq(p->items[0].hs_code, "010110"));
        cr_assert(isnan(p->items[0].quantity));
        cr_assert_eq(th_find(&res, "M2")->item_count, 3);
        cr_assert_eq(th_find(&res, "M3")->items[99].line_no, 100);
        th_result_clear(&res);
    }
    core_buf_clear(&b);
}

Test(ingest_msgpack, truncated_value_stops_the_input)
{
    core_buf_t b = {0};
    th_mp_parcel(&b, "M1", "a", 1);
    th_mp_parcel(&b, "M2", "b", 1);
    size_t cut = b.len;
    th_mp_parcel(&b, "M3", "c", 2);
    for (size_t chunk = 0; chunk <= 3; chunk += 3) {
        th_result_t res;
        th_read(&res, INGEST_FORMAT_MSGPACK, b.data, b.len - 5, chunk, NULL);
        cr_assert_str_eq(res.order, "PPR");
        char want[96];
        snprintf(want, sizeof(want), "test@%zu: truncated MessagePack value; input stopped", cut);
        cr_assert_str_eq(res.rejects[0], want);
        th_result_clear(&res);
    }
    core_buf_clear(&b);
}

Test(ingest_msgpack, hostile_counts_are_refused_without_allocating)
{
    static const unsigned char hostile[][5] = {
        {0xdd, 0xff, 0xff, 0xff, 0xff}, /* array32 of 4,294,967,295 elements */
        {0xdf, 0xff, 0xff, 0xff, 0xff}, /* map32 of 4,294,967,295 pairs */
        {0xdb, 0xff, 0xff, 0xff, 0xff}, /* str32 of 4 GiB */
        {0xc6, 0x7f, 0xff, 0xff, 0xff}, /* bin32 of 2 GiB */
        {0xdd, 0x00, 0xff, 0xff, 0xff}, /* array32 of 16.7M elements */
    };
    for (size_t h = 0; h < CORE_ARRAY_LEN(hostile); h++) {
        core_buf_t b = {0};
        th_mp_parcel(&b, "M1", "a", 1);
        size_t at = b.len;
        core_buf_append(&b, hostile[h], sizeof(hostile[h]));
        th_mp_parcel(&b, "M2", "b", 1); /* after garbage: never reached */
        th_result_t res;
        th_read(&res, INGEST_FORMAT_MSGPACK, b.data, b.len, 0, NULL);
        cr_assert_str_eq(res.order, "PR", "hostile %zu", h);
        char want[32];
        snprintf(want, sizeof(want), "test@%zu: ", at);
        cr_assert_eq(strncmp(res.rejects[0], want, strlen(want)), 0, "%s", res.rejects[0]);
        cr_assert_neq(strstr(res.rejects[0], "input stopped"), NULL);
        th_result_clear(&res);
        core_buf_clear(&b);
    }
    /* The hostile header inside a record's items. */
    core_buf_t b = {0};
    th_mp_map(&b, 2);
    th_mp_str(&b, "parcel_id");
    th_mp_str(&b, "H1");
    th_mp_str(&b, "items");
    core_buf_append(&b, "\xdd\xff\xff\xff\xff", 5);
    th_result_t res;
    th_read(&res, INGEST_FORMAT_MSGPACK, b.data, b.len, 0, NULL);
    cr_assert_str_eq(res.order, "R");
    cr_assert_neq(strstr(res.rejects[0], "test@0: malformed MessagePack"), NULL, "%s",
                  res.rejects[0]);
    th_result_clear(&res);
    core_buf_clear(&b);
}

Test(ingest_msgpack, garbage_and_non_maps_stop_the_input)
{
    core_buf_t b = {0};
    th_mp_parcel(&b, "M1", "a", 1);
    core_buf_append_str(&b, "hello world\n"); /* bytes that decode as small integers */
    th_mp_parcel(&b, "M2", "b", 1);
    th_result_t res;
    th_read(&res, INGEST_FORMAT_MSGPACK, b.data, b.len, 0, NULL);
    cr_assert_str_eq(res.order, "PR");
    cr_assert_neq(strstr(res.rejects[0], "record is not a map (got an integer); input stopped"),
                  NULL, "%s", res.rejects[0]);
    th_result_clear(&res);
    core_buf_clear(&b);

    /* 0xc1 is never used in MessagePack. */
    th_read(&res, INGEST_FORMAT_MSGPACK, "\xc1\x80", 2, 0, NULL);
    cr_assert_str_eq(res.order, "R");
    cr_assert_str_eq(res.rejects[0],
                     "test@0: malformed MessagePack (or nesting deeper than 16); input stopped");
    th_result_clear(&res);
}

Test(ingest_msgpack, bad_records_are_rejected_and_the_stream_goes_on)
{
    core_buf_t b = {0};
    th_mp_parcel(&b, "A1", "a", 1);
    /* hs_code as an integer. */
    th_mp_map(&b, 2);
    th_mp_str(&b, "parcel_id");
    th_mp_str(&b, "W1");
    th_mp_str(&b, "items");
    th_mp_array(&b, 1);
    th_mp_map(&b, 2);
    th_mp_str(&b, "description");
    th_mp_str(&b, "x");
    th_mp_str(&b, "hs_code");
    th_mp_uint(&b, 610910);
    /* An integer key. */
    th_mp_map(&b, 1);
    th_mp_uint(&b, 7);
    th_mp_str(&b, "x");
    /* parcel_id as binary. */
    th_mp_map(&b, 1);
    th_mp_str(&b, "parcel_id");
    th_mp_bin(&b, "W3", 2);
    /* 101 items. */
    th_mp_parcel(&b, "W4", "d", 101);
    /* Duplicate key. */
    th_mp_map(&b, 2);
    th_mp_str(&b, "parcel_id");
    th_mp_str(&b, "W5");
    th_mp_str(&b, "parcel_id");
    th_mp_str(&b, "W5");
    /* Invalid UTF-8 in a string. */
    th_mp_parcel(&b, "W6", "\xc3\x28", 1);
    /* Duplicate parcel_id. */
    th_mp_parcel(&b, "A1", "a", 1);
    th_mp_parcel(&b, "A2", "b", 1);
    th_result_t res;
    th_read(&res, INGEST_FORMAT_MSGPACK, b.data, b.len, 0, NULL);
    cr_assert_str_eq(res.order, "PRRRRRRRP");
    cr_assert_neq(strstr(res.rejects[0], "parcel_id W1: field 'items[0].hs_code' is not a "
                                         "string (got an integer)"),
                  NULL, "%s", res.rejects[0]);
    cr_assert_neq(strstr(res.rejects[1], "a map key is not a string"), NULL);
    cr_assert_neq(strstr(res.rejects[2], "field 'parcel_id' is not a string (got binary)"), NULL);
    cr_assert_neq(strstr(res.rejects[3], "parcel_id W4: more than 100 items"), NULL);
    cr_assert_neq(strstr(res.rejects[4], "duplicate key 'parcel_id'"), NULL);
    cr_assert_neq(strstr(res.rejects[5], "field 'sender.name' is not valid UTF-8"), NULL, "%s",
                  res.rejects[5]);
    cr_assert_neq(strstr(res.rejects[6], "parcel_id A1: duplicate parcel_id"), NULL);
    th_result_clear(&res);
    core_buf_clear(&b);
}

Test(ingest_msgpack, oversized_and_deep_values)
{
    core_buf_t b = {0};
    th_mp_parcel(&b, "A1", "a", 1);
    /* A complete 70,000-byte record: rejected alone. */
    char *big = malloc(70000);
    memset(big, 'x', 70000);
    th_mp_map(&b, 2);
    th_mp_str(&b, "parcel_id");
    th_mp_str(&b, "BIG");
    th_mp_str(&b, "note");
    th_mp_strn(&b, big, 70000);
    th_mp_parcel(&b, "A2", "b", 1);
    /* A 5,000-byte field in a small record. */
    th_mp_map(&b, 2);
    th_mp_str(&b, "parcel_id");
    th_mp_str(&b, "F1");
    th_mp_str(&b, "items");
    th_mp_array(&b, 1);
    th_mp_map(&b, 1);
    th_mp_str(&b, "description");
    th_mp_strn(&b, big, 5000);
    /* Nesting 20 deep in an unknown key: stops the input. */
    size_t deep_at = b.len;
    th_mp_map(&b, 2);
    th_mp_str(&b, "parcel_id");
    th_mp_str(&b, "D1");
    th_mp_str(&b, "x");
    for (int i = 0; i < 20; i++)
        th_mp_array(&b, 1);
    th_mp_nil(&b);
    th_mp_parcel(&b, "A3", "c", 1);
    for (size_t chunk = 0; chunk <= 4000; chunk += 4000) {
        th_result_t res;
        th_read(&res, INGEST_FORMAT_MSGPACK, b.data, b.len, chunk, NULL);
        cr_assert_str_eq(res.order, "PRPRR");
        cr_assert_neq(strstr(res.rejects[0], "record longer than 65536 bytes"), NULL);
        cr_assert_neq(strstr(res.rejects[1], "parcel_id F1: field 'items[0].description' is "
                                             "longer than 4096 bytes"),
                      NULL, "%s", res.rejects[1]);
        char want[32];
        snprintf(want, sizeof(want), "test@%zu: malformed", deep_at);
        cr_assert_neq(strstr(res.rejects[2], want), NULL, "%s", res.rejects[2]);
        th_result_clear(&res);
    }
    free(big);
    core_buf_clear(&b);
}

Test(ingest_msgpack, an_unfinished_oversized_value_stops_the_input)
{
    core_buf_t b = {0};
    th_mp_parcel(&b, "A1", "a", 1);
    /* str32 header announcing 16 MiB, then 2 MB of it: judged after 1 MiB, not buffered. */
    core_buf_append(&b, "\xdb\x01\x00\x00\x00", 5);
    for (int i = 0; i < 2000000; i++)
        core_buf_append_byte(&b, 'y');
    th_result_t res;
    th_read(&res, INGEST_FORMAT_MSGPACK, b.data, b.len, 8192, NULL);
    cr_assert_str_eq(res.order, "PR");
    cr_assert_neq(strstr(res.rejects[0], "record longer than 65536 bytes; input stopped"), NULL,
                  "%s", res.rejects[0]);
    cr_assert(res.stopped_early, "stopped before reading it all");
    th_result_clear(&res);
    core_buf_clear(&b);

    /* Truncated after 100 KB at the end of input. */
    th_mp_parcel(&b, "A1", "a", 1);
    core_buf_append(&b, "\xdb\x00\x10\x00\x00", 5);
    for (int i = 0; i < 100000; i++)
        core_buf_append_byte(&b, 'y');
    th_read(&res, INGEST_FORMAT_MSGPACK, b.data, b.len, 8192, NULL);
    cr_assert_str_eq(res.order, "PR");
    cr_assert_neq(strstr(res.rejects[0], "record longer than 65536 bytes; input stopped"), NULL,
                  "%s", res.rejects[0]);
    th_result_clear(&res);
    core_buf_clear(&b);
}
