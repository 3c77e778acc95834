/* test_json.c -- NDJSON manifests through ingest_reader (json.c, reader.c, fields.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "helpers.h"

#define SAMPLE_NDJSON PS_SHARED_DIR "/data/manifests/synthetic/sample_parcels.jsonl"

/* A valid one-line parcel with the given id. */
#define GOOD(id) "{\"parcel_id\":\"" id "\",\"items\":[{\"description\":\"mug\"}]}\n"

static void s_check_sample(const th_result_t *res)
{
    cr_assert_eq(res->n_parcels, 8, "%zu parcels, first reject: %s", res->n_parcels,
                 res->n_rejects ? res->rejects[0] : "-");
    cr_assert_eq(res->n_rejects, 0);
    const proto_parcel_t *p = th_find(res, "P0001");
    cr_assert_not_null(p);
    cr_assert(th_eq(p->item_id, "LX123456785CN"));
    cr_assert(th_eq(p->sender.name, "Shenzhen Bright Trading Co"));
    cr_assert(th_eq(p->sender.address, "Bldg 3, 12 Keyuan Rd"));
    cr_assert(th_eq(p->recipient.postcode, "07102"));
    cr_assert(th_eq(p->recipient.phone, "+19735550100"));
    cr_assert(p->has_seller);
    cr_assert(th_eq(p->seller.seller_id, "S-99812"));
    cr_assert(th_eq(p->dispatch_country, "CN"));
    cr_assert_eq(p->gross_weight_kg, 0.42);
    cr_assert_eq(p->declared_total_value, 16.2);
    cr_assert_eq(p->postal_charges, 0.0);
    cr_assert_eq(p->item_count, 2);
    cr_assert_eq(p->items[0].line_no, 1);
    cr_assert(th_eq(p->items[0].description, "Women's cotton T-shirt, short sleeve"));
    cr_assert(th_eq(p->items[0].hs_code, "610910"));
    cr_assert_eq(p->items[0].quantity, 2.0);
    cr_assert_eq(p->items[1].net_weight_kg, 0.05);
    cr_assert(th_eq(p->items[1].sku, "PC-15"));

    p = th_find(res, "P0002");
    cr_assert_not_null(p);
    cr_assert_eq(p->has_seller, false, "\"seller\": null is no seller");
    p = th_find(res, "P0006");
    cr_assert(th_eq(p->items[1].hs_code, "081340"), "leading zero kept");
    p = th_find(res, "P0007");
    cr_assert(th_eq(p->items[0].hs_code, ""));
}

Test(ingest_json, sample_file_parses)
{
    char *data;
    size_t len = th_slurp(SAMPLE_NDJSON, &data);
    th_result_t res;
    th_read(&res, INGEST_FORMAT_NDJSON, data, len, 0, NULL);
    s_check_sample(&res);
    th_result_clear(&res);
    free(data);
}

Test(ingest_json, sample_file_in_small_chunks_parses_the_same)
{
    char *data;
    size_t len = th_slurp(SAMPLE_NDJSON, &data);
    th_result_t res;
    th_read(&res, INGEST_FORMAT_NDJSON, data, len, 7, NULL);
    s_check_sample(&res);
    th_result_clear(&res);
    th_read(&res, INGEST_FORMAT_NDJSON, data, len, 1, NULL);
    s_check_sample(&res);
    th_result_clear(&res);
    free(data);
}

Test(ingest_json, sample_file_read_from_disk)
{
    th_result_t res;
    th_read_file(&res, INGEST_FORMAT_NDJSON, SAMPLE_NDJSON, NULL);
    s_check_sample(&res);
    th_result_clear(&res);
}

Test(ingest_json, escapes_are_decoded)
{
    /* name: A"B\C/D<BS><FF><LF><CR><TAB>; description: cafe with e-acute (U+00E9), a space,
     * U+1F600 as a surrogate pair, and U+20AC written in upper-case hex. */
    const char *text =
        "{\"parcel_id\":\"E1\",\"sender\":{\"name\":\"A\\\"B\\\\C\\/D\\b\\f\\n\\r\\t\"},"
        "\"items\":[{\"description\":\"caf\\u00e9 \\ud83d\\ude00\\u20AC\"}]}\n";
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_NDJSON, text, 0);
    cr_assert_eq(res.n_parcels, 1, "%s", res.n_rejects ? res.rejects[0] : "");
    const proto_parcel_t *p = &res.parcels[0];
    cr_assert(th_eq(p->sender.name, "A\"B\\C/D\b\f\n\r\t"));
    cr_assert(th_eq(p->items[0].description, "caf\xc3\xa9 \xf0\x9f\x98\x80\xe2\x82\xac"));
    th_result_clear(&res);
}

Test(ingest_json, raw_utf8_is_kept)
{
    /* "Koeln" with o-umlaut as raw UTF-8 bytes. */
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_NDJSON,
                "{\"parcel_id\":\"U1\",\"sender\":{\"city\":\"K\xc3\xb6ln\"},"
                "\"items\":[{\"description\":\"x\"}]}\n",
                0);
    cr_assert_eq(res.n_parcels, 1);
    cr_assert(th_eq(res.parcels[0].sender.city, "K\xc3\xb6ln"));
    th_result_clear(&res);
}

Test(ingest_json, bad_escapes_are_rejected_and_neighbours_survive)
{
    const char *text = GOOD(
        "A1") "{\"parcel_id\":\"B1\",\"items\":[{\"description\":\"\\ud83d alone\"}]}\n" /* high
                                                                                            only */
              "{\"parcel_id\":\"B2\",\"items\":[{\"description\":\"\\ude00 alone\"}]}\n" /* low only
                                                                                          */
              "{\"parcel_id\":\"B3\",\"items\":[{\"description\":\"\\u12G4\"}]}\n"     /* bad hex */
              "{\"parcel_id\":\"B4\",\"items\":[{\"description\":\"\\x41\"}]}\n"       /* \x */
              "{\"parcel_id\":\"B5\",\"items\":[{\"description\":\"nul \\u0000\"}]}\n" /* NUL */
              "{\"parcel_id\":\"B6\",\"items\":[{\"description\":\"tab\there\"}]}\n"   /* raw TAB */
        GOOD("A2");
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_NDJSON, text, 0);
    cr_assert_str_eq(res.order, "PRRRRRRP");
    cr_assert_neq(th_reject_index(&res, "test:2: parcel_id B1: column 44: "), -1, "%s",
                  res.rejects[0]);
    cr_assert_neq(strstr(res.rejects[0], "unpaired surrogate"), NULL, "%s", res.rejects[0]);
    cr_assert_neq(strstr(res.rejects[1], "unpaired surrogate"), NULL, "%s", res.rejects[1]);
    cr_assert_neq(strstr(res.rejects[2], "invalid \\u escape"), NULL, "%s", res.rejects[2]);
    cr_assert_neq(strstr(res.rejects[3], "invalid escape"), NULL, "%s", res.rejects[3]);
    cr_assert_neq(strstr(res.rejects[4], "\\u0000"), NULL, "%s", res.rejects[4]);
    cr_assert_neq(strstr(res.rejects[5], "control character"), NULL, "%s", res.rejects[5]);
    cr_assert_not_null(th_find(&res, "A1"));
    cr_assert_not_null(th_find(&res, "A2"));
    th_result_clear(&res);
}

Test(ingest_json, invalid_utf8_is_rejected)
{
    const char *text = GOOD(
        "A1") "{\"parcel_id\":\"B1\",\"items\":[{\"description\":\"\xc3\x28\"}]}\n" /* bad 2nd */
              "{\"parcel_id\":\"B2\",\"items\":[{\"description\":\"\xc0\xaf\"}]}\n" /* overlong / */
              "{\"parcel_id\":\"B3\",\"items\":[{\"description\":\"\xed\xa0\x80\"}]}\n" /* surrogate
                                                                                         */
              "{\"parcel_id\":\"B4\",\"items\":[{\"description\":\"\xf4\x90\x80\x80\"}]}\n" /* >10FFFF
                                                                                             */
              "{\"parcel_id\":\"B5\",\"items\":[{\"description\":\"\xe2\x82\"}]}\n" /* cut short */
        GOOD("A2");
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_NDJSON, text, 0);
    cr_assert_str_eq(res.order, "PRRRRRP");
    for (size_t i = 0; i < res.n_rejects; i++)
        cr_assert_neq(strstr(res.rejects[i], "invalid UTF-8"), NULL, "%s", res.rejects[i]);
    cr_assert_str_eq(res.rejects[0], "test:2: invalid UTF-8");
    th_result_clear(&res);
}

Test(ingest_json, deep_nesting_is_rejected_but_unknown_nesting_within_limits_skipped)
{
    core_buf_t b = {0};
    /* 14 levels inside the record (record + 14 = 15 <= 16): skipped as an unknown key. */
    core_buf_append_str(&b, "{\"parcel_id\":\"N1\",\"extra\":");
    for (int i = 0; i < 14; i++)
        core_buf_append_str(&b, "[");
    core_buf_append_str(&b, "{\"k\":null}");
    for (int i = 0; i < 14; i++)
        core_buf_append_str(&b, "]");
    core_buf_append_str(&b, ",\"items\":[{\"description\":\"x\"}]}\n");
    /* 40 levels: refused. */
    core_buf_append_str(&b, "{\"parcel_id\":\"N2\",\"extra\":");
    for (int i = 0; i < 40; i++)
        core_buf_append_str(&b, "[");
    for (int i = 0; i < 40; i++)
        core_buf_append_str(&b, "]");
    core_buf_append_str(&b, ",\"items\":[{\"description\":\"x\"}]}\n");
    core_buf_append_str(&b, GOOD("N3"));
    th_result_t res;
    th_read(&res, INGEST_FORMAT_NDJSON, b.data, b.len, 0, NULL);
    cr_assert_str_eq(res.order, "PRP", "%s", res.n_rejects ? res.rejects[0] : "");
    cr_assert_neq(strstr(res.rejects[0], "nesting deeper than 16"), NULL, "%s", res.rejects[0]);
    th_result_clear(&res);
    core_buf_clear(&b);
}

Test(ingest_json, truncated_lines_are_rejected_and_the_stream_resynchronises)
{
    const char *text = GOOD(
        "A1") "{\"parcel_id\":\"T1\",\"items\":[{\"desc\n"
              "{\"parcel_id\":\"T2\",\"items\":[{\"description\":\"x\"}]\n" GOOD(
                  "A2") "{\"parcel_id\":\"T3\",\"items\":[{\"description\":\"x\""; /* last, no
                                                                                      newline */
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_NDJSON, text, 0);
    cr_assert_str_eq(res.order, "PRRPR");
    cr_assert_str_eq(res.rejects[0], "test:2: parcel_id T1: column 29: unterminated string");
    cr_assert_neq(strstr(res.rejects[1], "unexpected end of line"), NULL, "%s", res.rejects[1]);
    cr_assert_neq(strstr(res.rejects[2], "test:5:"), NULL, "%s", res.rejects[2]);
    th_result_clear(&res);
}

Test(ingest_json, syntax_errors_are_rejected)
{
    static const char text[] = GOOD(
        "A1") "[1,2]\n"                                                        /* not an object */
              "{\"parcel_id\":\"S1\",\"items\":[{\"description\":\"x\"}]} x\n" /* trailing data */
              "{\"parcel_id\":\"S2\",\"items\":[{\"description\":\"x\"},]}\n"  /* trailing comma */
              "{\"parcel_id\":\"S3\" \"items\":[]}\n"                          /* missing comma */
              "{\"parcel_id\":'S4'}\n"                                         /* single quotes */
              "{parcel_id:\"S5\"}\n"                                           /* bare key */
              "{\"parcel_id\":\"S6\",\"items\":[{\"description\":\"x\"}],}\n"  /* trailing comma */
              "{\"parcel_id\":\"S7\",\"x\":tru,\"items\":[]}\n"                /* bad literal */
              "\x00\x01{}\n"                                                   /* NUL bytes */
        GOOD("A2");
    th_result_t res;
    th_read(&res, INGEST_FORMAT_NDJSON, text, sizeof(text) - 1, 0, NULL);
    cr_assert_str_eq(res.order, "PRRRRRRRRRP");
    cr_assert_neq(strstr(res.rejects[0], "not a JSON object"), NULL, "%s", res.rejects[0]);
    cr_assert_neq(strstr(res.rejects[1], "unexpected data after the value"), NULL, "%s",
                  res.rejects[1]);
    for (size_t i = 0; i < res.n_rejects; i++)
        cr_assert_eq(strchr(res.rejects[i], '\n'), NULL);
    th_result_clear(&res);
}

Test(ingest_json, numbers_follow_the_rfc)
{
    const char *text =
        "{\"parcel_id\":\"N1\",\"gross_weight_kg\":1e2,\"declared_total_value\":-0.5,"
        "\"postal_charges\":1E-3,\"items\":[{\"description\":\"x\",\"quantity\":0,"
        "\"unit_value\":12345678901234567890,\"net_weight_kg\":0."
        "1000000000000000055511151231257827}]}\n"
        "{\"parcel_id\":\"B1\",\"gross_weight_kg\":01,\"items\":[{\"description\":\"x\"}]}\n"
        "{\"parcel_id\":\"B2\",\"gross_weight_kg\":1.,\"items\":[{\"description\":\"x\"}]}\n"
        "{\"parcel_id\":\"B3\",\"gross_weight_kg\":.5,\"items\":[{\"description\":\"x\"}]}\n"
        "{\"parcel_id\":\"B4\",\"gross_weight_kg\":+1,\"items\":[{\"description\":\"x\"}]}\n"
        "{\"parcel_id\":\"B5\",\"gross_weight_kg\":1e,\"items\":[{\"description\":\"x\"}]}\n"
        "{\"parcel_id\":\"B6\",\"gross_weight_kg\":NaN,\"items\":[{\"description\":\"x\"}]}\n"
        "{\"parcel_id\":\"B7\",\"gross_weight_kg\":1e999,\"items\":[{\"description\":\"x\"}]}\n"
        "{\"parcel_id\":\"B8\",\"gross_weight_kg\":0x10,\"items\":[{\"description\":\"x\"}]}\n"
        "{\"parcel_id\":\"B9\",\"gross_weight_kg\":-,\"items\":[{\"description\":\"x\"}]}\n";
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_NDJSON, text, 0);
    cr_assert_str_eq(res.order, "PRRRRRRRRR", "%s", res.n_rejects ? res.rejects[0] : "");
    const proto_parcel_t *p = &res.parcels[0];
    cr_assert_eq(p->gross_weight_kg, 100.0);
    cr_assert_eq(p->declared_total_value, -0.5);
    cr_assert_eq(p->postal_charges, 0.001);
    cr_assert_eq(p->items[0].quantity, 0.0);
    cr_assert_eq(p->items[0].unit_value, 12345678901234567890.0);
    cr_assert_eq(p->items[0].net_weight_kg, 0.1);
    cr_assert_neq(th_reject_index(&res, "number out of range"), -1);
    th_result_clear(&res);
}

Test(ingest_json, wrong_types_are_rejected)
{
    const char *text =
        GOOD("A1") "{\"parcel_id\":17,\"items\":[{\"description\":\"x\"}]}\n"
                   "{\"parcel_id\":\"W2\",\"items\":{\"description\":\"x\"}}\n"
                   "{\"parcel_id\":\"W3\",\"items\":[{\"description\":\"x\",\"hs_code\":610910}]}\n"
                   "{\"parcel_id\":\"W4\",\"gross_weight_kg\":\"0.4\",\"items\":[{\"description\":"
                   "\"x\"}]}\n"
                   "{\"parcel_id\":\"W5\",\"items\":[{\"description\":\"x\",\"line_no\":-1}]}\n"
                   "{\"parcel_id\":\"W6\",\"items\":[{\"description\":\"x\",\"line_no\":1.5}]}\n"
                   "{\"parcel_id\":\"W7\",\"sender\":\"Bob\",\"items\":[{\"description\":\"x\"}]}\n"
                   "{\"parcel_id\":\"W8\",\"seller\":[],\"items\":[{\"description\":\"x\"}]}\n"
                   "{\"parcel_id\":\"W9\",\"items\":[\"x\"]}\n"
                   "{\"parcel_id\":\"W10\",\"items\":[{\"description\":true}]}\n"
                   /* Accepted: null for optional fields, a number that is an integral float. */
                   "{\"parcel_id\":\"A2\",\"seller\":null,\"sender\":null,\"currency\":null,"
                   "\"items\":[{\"description\":\"x\",\"quantity\":null,\"line_no\":2.0}]}\n";
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_NDJSON, text, 0);
    cr_assert_str_eq(res.order, "PRRRRRRRRRRP");
    cr_assert_str_eq(res.rejects[0], "test:2: field 'parcel_id' is not a string (got a number)");
    cr_assert_str_eq(res.rejects[1],
                     "test:3: parcel_id W2: field 'items' is not an array (got an object)");
    cr_assert_str_eq(res.rejects[2],
                     "test:4: parcel_id W3: field 'items[0].hs_code' is not a string (got a "
                     "number)");
    cr_assert_neq(strstr(res.rejects[3], "'gross_weight_kg' is not a number (got a string)"), NULL,
                  "%s", res.rejects[3]);
    cr_assert_neq(strstr(res.rejects[4], "'items[0].line_no' is not an integer"), NULL);
    cr_assert_neq(strstr(res.rejects[5], "'items[0].line_no' is not an integer"), NULL);
    cr_assert_neq(strstr(res.rejects[6], "'sender' is not an object"), NULL);
    cr_assert_neq(strstr(res.rejects[7], "'seller' is not an object or null"), NULL);
    cr_assert_neq(strstr(res.rejects[8], "'items[0]' is not an object"), NULL);
    cr_assert_neq(strstr(res.rejects[9], "'items[0].description' is not a string"), NULL);
    const proto_parcel_t *p = th_find(&res, "A2");
    cr_assert_eq(p->has_seller, false);
    cr_assert(isnan(p->items[0].quantity));
    cr_assert_eq(p->items[0].line_no, 2);
    th_result_clear(&res);
}

Test(ingest_json, missing_required_fields_are_rejected)
{
    const char *text = GOOD(
        "A1") "{\"items\":[{\"description\":\"x\"}]}\n"
              "{\"parcel_id\":\"\",\"items\":[{\"description\":\"x\"}]}\n"
              "{\"parcel_id\":null,\"items\":[{\"description\":\"x\"}]}\n"
              "{\"parcel_id\":\"M4\"}\n"
              "{\"parcel_id\":\"M5\",\"items\":[]}\n"
              "{\"parcel_id\":\"M6\",\"items\":[{\"description\":\"x\"},{\"hs_code\":\"01\"}]}\n"
              "{\"parcel_id\":\"M7\",\"items\":[{\"description\":\"\"}]}\n"
              "{\"parcel_id\":\"M\\u0007\",\"items\":[{\"description\":\"x\"}]}\n" GOOD("A2");
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_NDJSON, text, 0);
    cr_assert_str_eq(res.order, "PRRRRRRRRP");
    cr_assert_str_eq(res.rejects[0], "test:2: required field 'parcel_id' is missing or empty");
    cr_assert_str_eq(res.rejects[3],
                     "test:5: parcel_id M4: required field 'items' is missing or empty");
    cr_assert_str_eq(res.rejects[5], "test:7: parcel_id M6: required field "
                                     "'items[1].description' is missing or empty");
    cr_assert_str_eq(res.rejects[7],
                     "test:9: parcel_id M?: field 'parcel_id' contains a control character");
    th_result_clear(&res);
}

Test(ingest_json, oversized_field_and_record_are_rejected)
{
    char *dir = th_tmpdir();
    core_buf_t b = {0};
    core_buf_append_str(&b, GOOD("A1"));
    /* A 200 KB field: the record is over 64 KiB. */
    core_buf_append_str(&b, "{\"parcel_id\":\"BIG\",\"items\":[{\"description\":\"");
    for (int i = 0; i < 200 * 1024; i++)
        core_buf_append_byte(&b, 'a' + i % 26);
    core_buf_append_str(&b, "\"}]}\n");
    /* A 5,000-byte field in a small record: over the 4 KiB field limit. */
    core_buf_append_str(&b, "{\"parcel_id\":\"F1\",\"items\":[{\"description\":\"");
    for (int i = 0; i < 5000; i++)
        core_buf_append_byte(&b, 'b');
    core_buf_append_str(&b, "\"}]}\n");
    /* Exactly 4096 bytes is fine. */
    core_buf_append_str(&b, "{\"parcel_id\":\"F2\",\"items\":[{\"description\":\"");
    for (int i = 0; i < 4096; i++)
        core_buf_append_byte(&b, 'c');
    core_buf_append_str(&b, "\"}]}\n");
    core_buf_append_str(&b, GOOD("A2"));
    char *path = th_write(dir, "big.ndjson", b.data, b.len);

    th_result_t res;
    th_read_file(&res, INGEST_FORMAT_NDJSON, path, NULL);
    cr_assert_str_eq(res.order, "PRRPP");
    cr_assert_neq(strstr(res.rejects[0], ":2: record longer than 65536 bytes"), NULL, "%s",
                  res.rejects[0]);
    cr_assert_neq(strstr(res.rejects[1], ":3: parcel_id F1: field 'items[0].description' is "
                                         "longer than 4096 bytes"),
                  NULL, "%s", res.rejects[1]);
    cr_assert_eq(th_find(&res, "F2")->items[0].description.len, 4096);
    th_result_clear(&res);
    /* The same streamed in small pieces. */
    th_read(&res, INGEST_FORMAT_NDJSON, b.data, b.len, 1000, NULL);
    cr_assert_str_eq(res.order, "PRRPP");
    cr_assert_neq(strstr(res.rejects[0], "test:2: record longer than 65536 bytes"), NULL, "%s",
                  res.rejects[0]);
    th_result_clear(&res);
    core_buf_clear(&b);
    free(path);
    th_rmdir(dir);
    free(dir);
}

static void s_items_line(core_buf_t *b, const char *id, int n)
{
    core_buf_printf(b, "{\"parcel_id\":\"%s\",\"items\":[", id);
    for (int i = 0; i < n; i++)
        core_buf_printf(b, "%s{\"line_no\":%d,\"description\":\"d\"}", i ? "," : "", i + 1);
    core_buf_append_str(b, "]}\n");
}

Test(ingest_json, item_count_limit)
{
    core_buf_t b = {0};
    s_items_line(&b, "I100", 100);
    s_items_line(&b, "I101", 101);
    s_items_line(&b, "I1000", 1000);
    core_buf_append_str(&b, GOOD("A1"));
    th_result_t res;
    th_read(&res, INGEST_FORMAT_NDJSON, b.data, b.len, 0, NULL);
    cr_assert_str_eq(res.order, "PRRP");
    cr_assert_eq(th_find(&res, "I100")->item_count, 100);
    cr_assert_eq(th_find(&res, "I100")->items[99].line_no, 100);
    cr_assert_str_eq(res.rejects[0], "test:2: parcel_id I101: more than 100 items");
    cr_assert_str_eq(res.rejects[1], "test:3: parcel_id I1000: more than 100 items");
    th_result_clear(&res);
    core_buf_clear(&b);
}

Test(ingest_json, binary_garbage_is_rejected_line_by_line)
{
    core_buf_t b = {0};
    core_buf_append_str(&b, GOOD("A1"));
    /* 4 KiB of pseudo-random bytes (fixed LCG), newlines included. */
    uint32_t x = 12345;
    for (int i = 0; i < 4096; i++) {
        x = x * 1103515245u + 12345u;
        core_buf_append_byte(&b, (char)(x >> 16));
    }
    core_buf_append_str(&b, "\n" GOOD("A2"));
    th_result_t res;
    th_read(&res, INGEST_FORMAT_NDJSON, b.data, b.len, 0, NULL);
    cr_assert_not_null(th_find(&res, "A1"));
    cr_assert_not_null(th_find(&res, "A2"));
    cr_assert_eq(res.n_parcels, 2);
    cr_assert_geq(res.n_rejects, 1);
    for (size_t i = 0; i < res.n_rejects; i++)
        cr_assert_eq(strchr(res.rejects[i], '\n'), NULL, "a reject is one line");
    th_result_clear(&res);
    core_buf_clear(&b);
}

Test(ingest_json, duplicate_keys_are_rejected)
{
    const char *text = GOOD(
        "A1") "{\"parcel_id\":\"D1\",\"parcel_id\":\"D2\",\"items\":[{\"description\":\"x\"}]}\n"
              "{\"parcel_id\":\"D3\",\"sender\":{\"name\":\"a\",\"name\":\"b\"},"
              "\"items\":[{\"description\":\"x\"}]}\n"
              "{\"parcel_id\":\"D4\",\"items\":[{\"description\":\"x\",\"description\":\"y\"}]}\n"
              /* Unknown keys are skipped without a duplicate check. */
              "{\"parcel_id\":\"A2\",\"note\":1,\"note\":2,\"items\":[{\"description\":\"x\"}]}\n";
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_NDJSON, text, 0);
    cr_assert_str_eq(res.order, "PRRRP");
    cr_assert_str_eq(res.rejects[0], "test:2: parcel_id D1: duplicate key 'parcel_id'");
    cr_assert_str_eq(res.rejects[1], "test:3: parcel_id D3: duplicate key 'sender.name'");
    cr_assert_str_eq(res.rejects[2], "test:4: parcel_id D4: duplicate key 'items[0].description'");
    th_result_clear(&res);
}

/* A bounded id set (endless streams) still finds a duplicate within the window, forgets ids
 * older than the window, and counts every accepted id. */
Test(ingest_json, bounded_id_set_finds_recent_duplicates_and_forgets_old_ids)
{
    ingest_idset_t *ids = ingest_idset_new();
    ingest_idset_set_window(ids, 4); /* two generations of 2 ids */
    th_result_t res;
    const char *a = GOOD("W1") GOOD("W2") GOOD("W3") GOOD("W3") GOOD("W2");
    th_read(&res, INGEST_FORMAT_NDJSON, a, strlen(a), 0, ids);
    cr_assert_str_eq(res.order, "PPPRR");
    th_result_clear(&res);
    /* W4 and W5 fill a generation: W1 and W2 are forgotten, W3..W5 are remembered. */
    const char *b = GOOD("W4") GOOD("W5") GOOD("W5") GOOD("W1");
    th_read(&res, INGEST_FORMAT_NDJSON, b, strlen(b), 0, ids);
    cr_assert_str_eq(res.order, "PPRP");
    th_result_clear(&res);
    cr_assert_eq(ingest_idset_size(ids), 6);
    ingest_idset_destroy(&ids);
}

Test(ingest_json, duplicate_parcel_id_is_rejected_within_the_run)
{
    const char *text = GOOD("A1") GOOD("A2") GOOD("A1");
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_NDJSON, text, 0);
    cr_assert_str_eq(res.order, "PPR");
    cr_assert_str_eq(res.rejects[0], "test:3: parcel_id A1: duplicate parcel_id");
    th_result_clear(&res);

    /* Across two readers sharing the run's id set. */
    ingest_idset_t *ids = ingest_idset_new();
    th_read(&res, INGEST_FORMAT_NDJSON, GOOD("X1") GOOD("X2"), strlen(GOOD("X1") GOOD("X2")), 0,
            ids);
    cr_assert_str_eq(res.order, "PP");
    th_result_clear(&res);
    th_read(&res, INGEST_FORMAT_NDJSON, GOOD("X3") GOOD("X2"), strlen(GOOD("X3") GOOD("X2")), 0,
            ids);
    cr_assert_str_eq(res.order, "PR");
    cr_assert_eq(ingest_idset_size(ids), 3);
    th_result_clear(&res);
    ingest_idset_destroy(&ids);
    cr_assert_null(ids);

    /* A rejected record does not reserve its id. */
    th_read_str(&res, INGEST_FORMAT_NDJSON, "{\"parcel_id\":\"R1\",\"items\":[]}\n" GOOD("R1"), 0);
    cr_assert_str_eq(res.order, "RP");
    th_result_clear(&res);
}

Test(ingest_json, unknown_keys_blank_lines_crlf_and_bom)
{
    const char *text =
        "\xEF\xBB\xBF" /* UTF-8 byte order mark */
        "{\"parcel_id\":\"K1\",\"source_format\":\"SYNTHETIC\",\"extra\":{\"a\":[1,{\"b\":null}],"
        "\"c\":\"\\u00e9\"},\"flag\":true,\"items\":[{\"description\":\"x\",\"z\":[[]]}]}\r\n"
        "\r\n"
        "   \n"
        "\n"
        "{ \"parcel_id\" : \"K2\" , \"items\" : [ { \"description\" : \"y\" } ] }\r\n";
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_NDJSON, text, 0);
    cr_assert_str_eq(res.order, "PP", "%s", res.n_rejects ? res.rejects[0] : "");
    cr_assert_eq(res.n_records, 2, "blank lines are not records");
    cr_assert(th_eq(res.parcels[1].items[0].description, "y"));
    th_result_clear(&res);

    /* Line numbers count blank lines. */
    th_read_str(&res, INGEST_FORMAT_NDJSON, "\n\n{}\n", 0);
    cr_assert_str_eq(res.rejects[0], "test:3: required field 'parcel_id' is missing or empty");
    th_result_clear(&res);
}
