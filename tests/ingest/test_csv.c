/* test_csv.c -- CSV manifests through ingest_reader (csv.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "helpers.h"

#define SAMPLE_CSV PS_SHARED_DIR "/data/manifests/synthetic/sample_manifest_flat.csv"
#define SAMPLE_NDJSON PS_SHARED_DIR "/data/manifests/synthetic/sample_parcels.jsonl"

#define HEADER "parcel_id,sender_name,line_no,description,hs_code\n"

static bool s_num_eq(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

#define EXPECT_STR(a, b, what)                                                                     \
    cr_expect(core_str_eq((a), (b)), "%.*s: %s differs: '%.*s' vs '%.*s'", (int)id.len, id.ptr,    \
              what, (int)(a).len, (a).ptr, (int)(b).len, (b).ptr)
#define EXPECT_NUM(a, b, what)                                                                     \
    cr_expect(s_num_eq((a), (b)), "%.*s: %s differs: %g vs %g", (int)id.len, id.ptr, what, (a), (b))

/* Compares the fields that sample_manifest_flat.csv has columns for. */
static void s_compare(const proto_parcel_t *c, const proto_parcel_t *j)
{
    core_str_t id = j->parcel_id;
    EXPECT_STR(c->parcel_id, j->parcel_id, "parcel_id");
    EXPECT_STR(c->item_id, j->item_id, "item_id");
    EXPECT_STR(c->manifest_ref, j->manifest_ref, "manifest_ref");
    EXPECT_STR(c->master_ref, j->master_ref, "master_ref");
    EXPECT_STR(c->mail_class, j->mail_class, "mail_class");
    EXPECT_STR(c->category_of_item, j->category_of_item, "category_of_item");
    EXPECT_STR(c->sender.name, j->sender.name, "sender.name");
    EXPECT_STR(c->sender.address, j->sender.address, "sender.address");
    EXPECT_STR(c->sender.city, j->sender.city, "sender.city");
    EXPECT_STR(c->sender.postcode, j->sender.postcode, "sender.postcode");
    EXPECT_STR(c->sender.country, j->sender.country, "sender.country");
    EXPECT_STR(c->recipient.name, j->recipient.name, "recipient.name");
    EXPECT_STR(c->recipient.address, j->recipient.address, "recipient.address");
    EXPECT_STR(c->recipient.city, j->recipient.city, "recipient.city");
    EXPECT_STR(c->recipient.postcode, j->recipient.postcode, "recipient.postcode");
    EXPECT_STR(c->recipient.country, j->recipient.country, "recipient.country");
    EXPECT_STR(c->recipient.phone, j->recipient.phone, "recipient.phone");
    EXPECT_STR(c->recipient.tax_id, j->recipient.tax_id, "recipient.tax_id");
    cr_expect_eq(c->has_seller, j->has_seller, "%.*s: has_seller", (int)id.len, id.ptr);
    EXPECT_STR(c->seller.name, j->seller.name, "seller.name");
    EXPECT_STR(c->seller.marketplace, j->seller.marketplace, "seller.marketplace");
    EXPECT_STR(c->order_ref, j->order_ref, "order_ref");
    EXPECT_STR(c->origin_country, j->origin_country, "origin_country");
    EXPECT_STR(c->destination_country, j->destination_country, "destination_country");
    EXPECT_STR(c->posting_datetime, j->posting_datetime, "posting_datetime");
    EXPECT_STR(c->expected_arrival, j->expected_arrival, "expected_arrival");
    EXPECT_STR(c->office_of_entry, j->office_of_entry, "office_of_entry");
    EXPECT_STR(c->currency, j->currency, "currency");
    EXPECT_NUM(c->gross_weight_kg, j->gross_weight_kg, "gross_weight_kg");
    EXPECT_NUM(c->declared_total_value, j->declared_total_value, "declared_total_value");
    cr_assert_eq(c->item_count, j->item_count, "%.*s: item_count", (int)id.len, id.ptr);
    for (uint32_t i = 0; i < c->item_count; i++) {
        const proto_item_t *a = &c->items[i];
        const proto_item_t *b = &j->items[i];
        cr_expect_eq(a->line_no, b->line_no);
        EXPECT_STR(a->description, b->description, "description");
        EXPECT_NUM(a->quantity, b->quantity, "quantity");
        EXPECT_STR(a->unit, b->unit, "unit");
        EXPECT_NUM(a->net_weight_kg, b->net_weight_kg, "net_weight_kg");
        EXPECT_NUM(a->unit_value, b->unit_value, "unit_value");
        EXPECT_STR(a->hs_code, b->hs_code, "hs_code");
        EXPECT_STR(a->origin_country, b->origin_country, "item origin_country");
        EXPECT_STR(a->sku, b->sku, "sku");
    }
}

static void s_check_against_ndjson(const th_result_t *csv)
{
    th_result_t json;
    th_read_file(&json, INGEST_FORMAT_NDJSON, SAMPLE_NDJSON, NULL);
    cr_assert_eq(csv->n_rejects, 0, "%s", csv->n_rejects ? csv->rejects[0] : "");
    cr_assert_eq(csv->n_parcels, 8);
    size_t compared = 0;
    for (size_t i = 0; i < csv->n_parcels; i++) {
        const proto_parcel_t *c = &csv->parcels[i];
        char id[64];
        snprintf(id, sizeof(id), "%.*s", (int)c->parcel_id.len, c->parcel_id.ptr);
        const proto_parcel_t *j = th_find(&json, id);
        if (j == NULL)
            continue;
        s_compare(c, j);
        compared++;
    }
    cr_assert_eq(compared, 8);
    th_result_clear(&json);
}

Test(ingest_csv, sample_gives_the_same_parcels_as_the_ndjson)
{
    th_result_t res;
    th_read_file(&res, INGEST_FORMAT_CSV, SAMPLE_CSV, NULL);
    s_check_against_ndjson(&res);
    cr_assert(th_eq(res.parcels[1].items[0].description,
                    "Wrist watch stainless steel, Rolex style replica"));
    th_result_clear(&res);
}

Test(ingest_csv, sample_fed_byte_by_byte_gives_the_same)
{
    char *data;
    size_t len = th_slurp(SAMPLE_CSV, &data);
    th_result_t res;
    th_read(&res, INGEST_FORMAT_CSV, data, len, 1, NULL);
    s_check_against_ndjson(&res);
    th_result_clear(&res);
    th_read(&res, INGEST_FORMAT_CSV, data, len, 13, NULL);
    s_check_against_ndjson(&res);
    th_result_clear(&res);
    free(data);
}

Test(ingest_csv, quotes_embedded_newlines_and_crlf)
{
    const char *text =
        "parcel_id,sender_name,line_no,description,hs_code\r\n"
        "Q1,\"Smith, John \"\"JJ\"\"\",1,\"two\r\nlines\",\"0101\"\r\n"
        "Q1,\"Smith, John \"\"JJ\"\"\",2,\"\",0202\r\n" /* empty description: rejected */
        "Q2,\"\",1,\"a\nb\nc\",\r\n"
        "Q3,x,1,\"\"\"\",\r\n"
        "Q4,,1,plain,"; /* last row without a line break */
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_CSV, text, 0);
    cr_assert_str_eq(res.order, "RPPP");
    cr_assert_str_eq(res.rejects[0], "test:2: parcel_id Q1: required field "
                                     "'items[1].description' is missing or empty");
    const proto_parcel_t *p = th_find(&res, "Q2");
    cr_assert(th_eq(p->items[0].description, "a\nb\nc"));
    cr_assert(th_eq(p->sender.name, ""));
    cr_assert(th_eq(th_find(&res, "Q3")->items[0].description, "\""));
    cr_assert(th_eq(th_find(&res, "Q4")->items[0].description, "plain"));
    th_result_clear(&res);

    /* Line numbers count the newlines inside quotes. */
    th_read_str(&res, INGEST_FORMAT_CSV, HEADER "Q1,a,1,\"x\ny\nz\",01\nQ2,b,1,,01\n", 0);
    cr_assert_str_eq(res.order, "PR");
    cr_assert_str_eq(res.rejects[0],
                     "test:5: parcel_id Q2: required field 'items[0].description' is "
                     "missing or empty");
    th_result_clear(&res);

    /* A quoted field keeps a CRLF inside it. */
    th_read_str(&res, INGEST_FORMAT_CSV, HEADER "Q5,a,1,\"x\r\ny\",01\r\n", 0);
    cr_assert(th_eq(res.parcels[0].items[0].description, "x\r\ny"));
    th_result_clear(&res);
}

Test(ingest_csv, malformed_rows_are_rejected_and_the_next_row_parses)
{
    const char *text = HEADER "A1,s,1,d,01\n"
                              "B1,s,1,d\n"          /* short row */
                              "B2,s,1,d,01,extra\n" /* long row */
                              "B3,s,1,d\"x,01\n"    /* quote in an unquoted field */
                              "B4,s,1,\"d\"x,01\n"  /* text after a closing quote */
                              "A2,s,1,d,01\n"
                              "B5,s,1,\"never closed,01\n"; /* unterminated at the end */
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_CSV, text, 0);
    cr_assert_str_eq(res.order, "PRRRRPR");
    cr_assert_str_eq(res.rejects[0], "test:3: row has 4 fields, the header has 5");
    cr_assert_str_eq(res.rejects[1], "test:4: row has 6 fields, the header has 5");
    cr_assert_str_eq(res.rejects[2], "test:5: quote inside an unquoted field in column 4");
    cr_assert_str_eq(res.rejects[3], "test:6: text after a closing quote in column 4");
    cr_assert_str_eq(res.rejects[4], "test:8: unterminated quoted field");
    th_result_clear(&res);
}

Test(ingest_csv, a_bad_row_rejects_its_whole_parcel)
{
    const char *text = HEADER "P1,s,1,d,01\n"
                              "P1,s,2\n" /* short row of the same parcel */
                              "P1,s,3,d,03\n"
                              "P2,s,1,d,01\n";
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_CSV, text, 0);
    cr_assert_str_eq(res.order, "RP");
    cr_assert_str_eq(res.rejects[0],
                     "test:2: parcel_id P1: line 3: row has 3 fields, the header has 5");
    th_result_clear(&res);
}

Test(ingest_csv, non_consecutive_rows_are_rejected)
{
    const char *text = HEADER "P1,s,1,d,01\n"
                              "P2,s,1,d,01\n"
                              "P1,s,2,d,02\n"
                              "P3,s,1,d,01\n";
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_CSV, text, 0);
    cr_assert_str_eq(res.order, "PPRP");
    cr_assert_str_eq(res.rejects[0], "test:4: parcel_id P1: rows not consecutive");
    th_result_clear(&res);

    /* Also when the first group was rejected. */
    th_read_str(&res, INGEST_FORMAT_CSV, HEADER "P1,s,1,,01\nP2,s,1,d,01\nP1,s,1,d,01\n", 0);
    cr_assert_str_eq(res.order, "RPR");
    cr_assert_str_eq(res.rejects[1], "test:4: parcel_id P1: rows not consecutive");
    th_result_clear(&res);

    /* Across files of one run it is a duplicate. */
    ingest_idset_t *ids = ingest_idset_new();
    const char *a = HEADER "P1,s,1,d,01\n";
    th_read(&res, INGEST_FORMAT_CSV, a, strlen(a), 0, ids);
    cr_assert_str_eq(res.order, "P");
    th_result_clear(&res);
    th_read(&res, INGEST_FORMAT_CSV, a, strlen(a), 0, ids);
    cr_assert_str_eq(res.order, "R");
    cr_assert_str_eq(res.rejects[0], "test:2: parcel_id P1: duplicate parcel_id");
    th_result_clear(&res);
    ingest_idset_destroy(&ids);
}

Test(ingest_csv, parcel_columns_must_agree_between_rows)
{
    const char *text = HEADER "P1,Alice,1,d,01\nP1,Bob,2,d,02\nP2,s,1,d,01\n";
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_CSV, text, 0);
    cr_assert_str_eq(res.order, "RP");
    cr_assert_str_eq(res.rejects[0], "test:2: parcel_id P1: column 'sender_name' differs "
                                     "between the parcel's rows (line 3)");
    th_result_clear(&res);
}

Test(ingest_csv, numbers_and_optional_columns)
{
    const char *text =
        "parcel_id,item_id,sender_phone,sender_email,sender_tax_id,recipient_email,seller_id,"
        "dispatch_country,house_ref,order_ref,office_of_entry,postal_charges,gross_weight_kg,"
        "unknown_column,description,quantity,line_no,unit\n"
        "O1,LX1,+1 555,a@b.c,T1,r@e.c,S9,CN,H1,O9,DEHAM1,1.5,0.25,whatever,mug,3,7,PCE\n"
        "O2,,,,,,,,,,,,,x,mug,abc,1,\n"
        "O3,,,,,,,,,,,,,x,mug,1,-2,\n"
        "O4,,,,,,,,,,,,,x,mug,inf,1,\n"
        "O5,,,,,,,,,,,,,x,mug,,,\n";
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_CSV, text, 0);
    cr_assert_str_eq(res.order, "PRRRP");
    const proto_parcel_t *p = th_find(&res, "O1");
    cr_assert(th_eq(p->item_id, "LX1"));
    cr_assert(th_eq(p->sender.phone, "+1 555"));
    cr_assert(th_eq(p->sender.email, "a@b.c"));
    cr_assert(th_eq(p->sender.tax_id, "T1"));
    cr_assert(th_eq(p->recipient.email, "r@e.c"));
    cr_assert(p->has_seller);
    cr_assert(th_eq(p->seller.seller_id, "S9"));
    cr_assert(th_eq(p->dispatch_country, "CN"));
    cr_assert(th_eq(p->house_ref, "H1"));
    cr_assert(th_eq(p->order_ref, "O9"));
    cr_assert(th_eq(p->office_of_entry, "DEHAM1"));
    cr_assert_eq(p->postal_charges, 1.5);
    cr_assert_eq(p->gross_weight_kg, 0.25);
    cr_assert_eq(p->items[0].quantity, 3.0);
    cr_assert_eq(p->items[0].line_no, 7);
    cr_assert(th_eq(p->items[0].unit, "PCE"));
    cr_assert_str_eq(res.rejects[0], "test:3: parcel_id O2: column 'quantity' is not a number");
    cr_assert_neq(strstr(res.rejects[1], "column 'line_no' is not an integer"), NULL);
    cr_assert_neq(strstr(res.rejects[2], "column 'quantity' is not a number"), NULL);
    p = th_find(&res, "O5");
    cr_assert(isnan(p->items[0].quantity));
    cr_assert(isnan(p->gross_weight_kg));
    cr_assert_eq(p->has_seller, false);
    th_result_clear(&res);
}

Test(ingest_csv, bad_headers_stop_the_input)
{
    th_result_t res;
    th_read_str(&res, INGEST_FORMAT_CSV, "sender_name,description\nx,y\n", 0);
    cr_assert_str_eq(res.order, "R");
    cr_assert_str_eq(res.rejects[0],
                     "test:1: header lacks the required column 'parcel_id'; input stopped");
    th_result_clear(&res);
    th_read_str(&res, INGEST_FORMAT_CSV, "parcel_id,sender_name\nx,y\n", 0);
    cr_assert_neq(strstr(res.rejects[0], "'description'"), NULL);
    th_result_clear(&res);
    th_read_str(&res, INGEST_FORMAT_CSV, "parcel_id,description,parcel_id\nx,y,z\n", 0);
    cr_assert_str_eq(res.rejects[0],
                     "test:1: header names column 'parcel_id' twice; input stopped");
    th_result_clear(&res);
    th_read_str(&res, INGEST_FORMAT_CSV, "", 0);
    cr_assert_eq(res.n_records, 0);
    th_result_clear(&res);
    th_read_str(&res, INGEST_FORMAT_CSV, "\xEF\xBB\xBFparcel_id,description\nB1,x\n", 0);
    cr_assert_str_eq(res.order, "P", "a BOM before the header is skipped");
    th_result_clear(&res);
}

Test(ingest_csv, item_count_limit_and_long_rows)
{
    core_buf_t b = {0};
    core_buf_append_str(&b, HEADER);
    for (int i = 1; i <= 100; i++)
        core_buf_printf(&b, "L100,s,%d,d,01\n", i);
    for (int i = 1; i <= 150; i++)
        core_buf_printf(&b, "L150,s,%d,d,01\n", i);
    core_buf_append_str(&b, "LONG,s,1,");
    for (int i = 0; i < 70000; i++)
        core_buf_append_byte(&b, 'x');
    core_buf_append_str(&b, ",01\nA1,s,1,d,01\n");
    for (size_t chunk = 0; chunk <= 4096; chunk += 4096) {
        th_result_t res;
        th_read(&res, INGEST_FORMAT_CSV, b.data, b.len, chunk, NULL);
        cr_assert_str_eq(res.order, "PRRP");
        cr_assert_eq(th_find(&res, "L100")->item_count, 100);
        cr_assert_eq(th_find(&res, "L100")->items[99].line_no, 100);
        cr_assert_str_eq(res.rejects[0], "test:102: parcel_id L150: more than 100 items");
        cr_assert_str_eq(res.rejects[1], "test:252: row longer than 65536 bytes");
        th_result_clear(&res);
    }
    core_buf_clear(&b);
}
