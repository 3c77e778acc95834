/* test_parcel.c -- PARCEL_BATCH: round trips and hostile input. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "fixtures.h"
#include "proto/parcel.h"

static void s_assert_str(core_str_t got, core_str_t want, const char *what)
{
    cr_assert_eq(got.len, want.len, "%s: length %u, want %u", what, got.len, want.len);
    if (want.len)
        cr_assert_eq(memcmp(got.ptr, want.ptr, want.len), 0, "%s differs", what);
}

/* NAN == NAN here: absent stays absent. */
static void s_assert_num(double got, double want, const char *what)
{
    if (isnan(want))
        cr_assert(isnan(got), "%s: %g, want NAN", what, got);
    else
        cr_assert_eq(got, want, "%s: %g, want %g", what, got, want);
}

static void s_assert_party(const proto_party_t *got, const proto_party_t *want)
{
    s_assert_str(got->name, want->name, "name");
    s_assert_str(got->address, want->address, "address");
    s_assert_str(got->city, want->city, "city");
    s_assert_str(got->postcode, want->postcode, "postcode");
    s_assert_str(got->country, want->country, "country");
    s_assert_str(got->phone, want->phone, "phone");
    s_assert_str(got->email, want->email, "email");
    s_assert_str(got->tax_id, want->tax_id, "tax_id");
}

static void s_assert_parcel(const proto_parcel_t *got, const proto_parcel_t *want)
{
    s_assert_str(got->parcel_id, want->parcel_id, "parcel_id");
    s_assert_str(got->item_id, want->item_id, "item_id");
    s_assert_str(got->manifest_ref, want->manifest_ref, "manifest_ref");
    s_assert_str(got->master_ref, want->master_ref, "master_ref");
    s_assert_str(got->house_ref, want->house_ref, "house_ref");
    s_assert_str(got->order_ref, want->order_ref, "order_ref");
    s_assert_str(got->mail_class, want->mail_class, "mail_class");
    s_assert_str(got->category_of_item, want->category_of_item, "category_of_item");
    s_assert_party(&got->sender, &want->sender);
    s_assert_party(&got->recipient, &want->recipient);
    cr_assert_eq(got->has_seller, want->has_seller);
    if (want->has_seller) {
        s_assert_str(got->seller.name, want->seller.name, "seller.name");
        s_assert_str(got->seller.marketplace, want->seller.marketplace, "seller.marketplace");
        s_assert_str(got->seller.seller_id, want->seller.seller_id, "seller.seller_id");
    }
    s_assert_str(got->origin_country, want->origin_country, "origin_country");
    s_assert_str(got->dispatch_country, want->dispatch_country, "dispatch_country");
    s_assert_str(got->destination_country, want->destination_country, "destination_country");
    s_assert_str(got->posting_datetime, want->posting_datetime, "posting_datetime");
    s_assert_str(got->expected_arrival, want->expected_arrival, "expected_arrival");
    s_assert_str(got->office_of_entry, want->office_of_entry, "office_of_entry");
    s_assert_str(got->currency, want->currency, "currency");
    s_assert_num(got->gross_weight_kg, want->gross_weight_kg, "gross_weight_kg");
    s_assert_num(got->declared_total_value, want->declared_total_value, "declared_total_value");
    s_assert_num(got->postal_charges, want->postal_charges, "postal_charges");
    cr_assert_eq(got->item_count, want->item_count);
    for (uint32_t i = 0; i < want->item_count; i++) {
        const proto_item_t *a = &got->items[i];
        const proto_item_t *b = &want->items[i];
        cr_assert_eq(a->line_no, b->line_no);
        s_assert_str(a->description, b->description, "description");
        s_assert_str(a->hs_code, b->hs_code, "hs_code");
        s_assert_str(a->origin_country, b->origin_country, "item origin_country");
        s_assert_str(a->sku, b->sku, "sku");
        s_assert_str(a->unit, b->unit, "unit");
        s_assert_num(a->quantity, b->quantity, "quantity");
        s_assert_num(a->net_weight_kg, b->net_weight_kg, "net_weight_kg");
        s_assert_num(a->unit_value, b->unit_value, "unit_value");
    }
}

/* Encodes 'count' parcels from fx into buf as batch seq 42. */
static void s_encode(core_buf_t *buf, fx_parcel_t *fx, uint32_t count)
{
    proto_parcel_batch_begin(buf, 42, -1234567890123LL);
    for (uint32_t i = 0; i < count; i++)
        proto_parcel_batch_add(buf, &fx[i].parcel);
    proto_parcel_batch_finish(buf, count);
}

static int s_decode(const core_buf_t *buf, size_t len, proto_parcel_batch_t *out,
                    core_arena_t *arena, char *err)
{
    return proto_parcel_batch_decode(buf->data, len, out, arena, err);
}

Test(proto_parcel, init_sets_empty_strings_and_nan)
{
    proto_parcel_t p;
    memset(&p, 0x5a, sizeof(p));
    proto_parcel_init(&p);
    cr_assert_eq(p.parcel_id.len, 0);
    cr_assert_eq(p.sender.tax_id.len, 0);
    cr_assert_eq(p.has_seller, false);
    cr_assert(isnan(p.gross_weight_kg));
    cr_assert(isnan(p.declared_total_value));
    cr_assert(isnan(p.postal_charges));
    cr_assert_eq(p.item_count, 0);
    cr_assert_null(p.items);
}

Test(proto_parcel, roundtrip_keeps_every_field)
{
    static fx_parcel_t fx[3];
    fx_parcel_full(&fx[0], "P0001", 1);
    fx_parcel_full(&fx[1], "P0002 ünïcødé 🚚", PROTO_MAX_ITEMS);
    fx_parcel_full(&fx[2], "P0003", 2);
    fx[2].parcel.has_seller = false;          /* seller absent */
    fx[2].parcel.sender = (proto_party_t){0}; /* every party field empty */
    fx[2].parcel.gross_weight_kg = NAN;
    fx[2].parcel.declared_total_value = 0.0;
    fx[2].parcel.items[1].description = fx_s("x");
    fx[2].parcel.items[1].quantity = NAN;
    fx[2].parcel.items[1].unit_value = 1e300;

    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    char err[CORE_ERR_LEN] = "";
    s_encode(&buf, fx, 3);

    proto_parcel_batch_t out;
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), 0, "%s", err);
    cr_assert_eq(out.seq, 42);
    cr_assert_eq(out.ingest_ns, -1234567890123LL);
    cr_assert_eq(out.count, 3);
    for (uint32_t i = 0; i < 3; i++)
        s_assert_parcel(&out.parcels[i], &fx[i].parcel);
    /* Zero-copy: views point into the message. */
    const char *id = out.parcels[1].parcel_id.ptr;
    cr_assert(id > buf.data && id < buf.data + buf.len);

    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

Test(proto_parcel, empty_batch_roundtrips)
{
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    char err[CORE_ERR_LEN] = "";
    proto_parcel_batch_begin(&buf, UINT64_MAX, INT64_MAX);
    proto_parcel_batch_finish(&buf, 0);
    proto_parcel_batch_t out;
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), 0, "%s", err);
    cr_assert_eq(out.seq, UINT64_MAX);
    cr_assert_eq(out.ingest_ns, INT64_MAX);
    cr_assert_eq(out.count, 0);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

Test(proto_parcel, builder_reuses_the_buffer_and_arena)
{
    static fx_parcel_t fx;
    fx_parcel_full(&fx, "P1", 3);
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    char err[CORE_ERR_LEN] = "";
    for (int round = 0; round < 3; round++) {
        proto_parcel_batch_begin(&buf, (uint64_t)round, 0);
        for (int i = 0; i <= round; i++)
            proto_parcel_batch_add(&buf, &fx.parcel);
        proto_parcel_batch_finish(&buf, (uint32_t)round + 1);
        proto_parcel_batch_t out;
        core_arena_reset(&arena);
        cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), 0, "%s", err);
        cr_assert_eq(out.seq, (uint64_t)round);
        cr_assert_eq(out.count, (uint32_t)round + 1);
    }
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

Test(proto_parcel, hand_written_parcel_decodes)
{
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    char err[CORE_ERR_LEN] = "";
    tw_parcel_opts_t o = {.items = 3};
    tw_parcel_batch(&buf, &o);
    proto_parcel_batch_t out;
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), 0, "%s", err);
    cr_assert_eq(out.seq, 7);
    cr_assert_eq(out.count, 1);
    cr_assert_eq(out.parcels[0].item_count, 3);
    cr_assert_eq(out.parcels[0].has_seller, false);
    cr_assert_eq(out.parcels[0].postal_charges, 3.0);
    cr_assert(isnan(out.parcels[0].items[2].quantity));
    cr_assert_eq(out.parcels[0].items[2].unit_value, 2.25);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

/* Decodes a hand-written one-parcel batch and expects -EPROTO with 'reason' in err. */
static void s_expect_reject(const tw_parcel_opts_t *o, const char *reason)
{
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    char err[CORE_ERR_LEN] = "";
    tw_parcel_batch(&buf, o);
    proto_parcel_batch_t out;
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), -EPROTO);
    cr_assert_not_null(strstr(err, reason), "err '%s' lacks '%s'", err, reason);
    cr_assert_null(strchr(err, '\n'));
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

Test(proto_parcel, rejects_101_items)
{
    tw_parcel_opts_t o = {.items = 101};
    s_expect_reject(&o, "parcel 0: field 'items' has 101 elements");
}

Test(proto_parcel, rejects_zero_items)
{
    tw_parcel_opts_t o = {.items_zero = true};
    s_expect_reject(&o, "field 'items' has 0 elements");
}

Test(proto_parcel, rejects_items_of_the_wrong_type)
{
    tw_parcel_opts_t o = {.items_as_str = true};
    s_expect_reject(&o, "parcel 0: field 'items' is not an array");
}

Test(proto_parcel, rejects_empty_parcel_id)
{
    tw_parcel_opts_t o = {.parcel_id = ""};
    s_expect_reject(&o, "field 'parcel_id' is empty");
}

Test(proto_parcel, rejects_empty_description)
{
    tw_parcel_opts_t o = {.items = 2, .description = ""};
    s_expect_reject(&o, "parcel 0: items[0]: field 'description' is empty");
}

Test(proto_parcel, rejects_a_5000_byte_field)
{
    static char big[5000];
    memset(big, 'a', sizeof(big));
    tw_parcel_opts_t o = {.description = big, .description_len = sizeof(big)};
    s_expect_reject(&o, "field 'description' is longer than 4096 bytes");
    /* 4096 bytes is allowed. */
    o.description_len = PROTO_MAX_FIELD_BYTES;
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    char err[CORE_ERR_LEN] = "";
    tw_parcel_batch(&buf, &o);
    proto_parcel_batch_t out;
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), 0, "%s", err);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

Test(proto_parcel, rejects_invalid_utf8)
{
    tw_parcel_opts_t o = {.description = "caf\xc3("};
    s_expect_reject(&o, "field 'description' is not valid UTF-8");
}

/* Encodes a valid 3-parcel batch for the hostile tests. */
static void s_valid_batch(core_buf_t *buf)
{
    static fx_parcel_t fx[3];
    fx_parcel_full(&fx[0], "P0001", 2);
    fx_parcel_full(&fx[1], "P0002", 1);
    fx_parcel_full(&fx[2], "P0003", 3);
    fx[1].parcel.has_seller = false;
    s_encode(buf, fx, 3);
}

Test(proto_parcel, truncation_at_every_offset_is_refused)
{
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    s_valid_batch(&buf);
    for (size_t cut = 0; cut < buf.len; cut++) {
        /* A copy of exactly 'cut' bytes so ASan sees any read past the end. */
        char *copy = core_malloc(cut ? cut : 1);
        memcpy(copy, buf.data, cut);
        char err[CORE_ERR_LEN] = "";
        proto_parcel_batch_t out;
        int rc = proto_parcel_batch_decode(copy, cut, &out, &arena, err);
        cr_assert(rc == -EPROTO || rc == -EAGAIN, "cut %zu: rc %d", cut, rc);
        cr_assert_neq(err[0], '\0', "cut %zu: no reason", cut);
        free(copy);
        core_arena_reset(&arena);
    }
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

Test(proto_parcel, trailing_garbage_is_refused)
{
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    char err[CORE_ERR_LEN] = "";
    s_valid_batch(&buf);
    core_buf_append_byte(&buf, 0x00);
    proto_parcel_batch_t out;
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), -EPROTO);
    cr_assert_not_null(strstr(err, "trailing"), "%s", err);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

Test(proto_parcel, wrong_version_and_type_are_refused)
{
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    char err[CORE_ERR_LEN] = "";
    proto_parcel_batch_t out;
    s_valid_batch(&buf);
    buf.data[1] = 2; /* version 2 */
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), -EPROTO);
    cr_assert_not_null(strstr(err, "version 2"), "%s", err);
    buf.data[1] = 1;
    buf.data[2] = PROTO_MSG_VERDICT_BATCH;
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), -EPROTO);
    cr_assert_not_null(strstr(err, "message type 2"), "%s", err);

    proto_ack_t ack = {1, 2};
    proto_ack_encode(&ack, &buf);
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), -EPROTO);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

Test(proto_parcel, hostile_counts_are_refused_before_allocating)
{
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    char err[CORE_ERR_LEN] = "";
    proto_parcel_batch_t out;

    /* The whole message: array32 claiming 2^32-1 elements. */
    static const unsigned char array32[] = {0xdd, 0xff, 0xff, 0xff, 0xff};
    cr_assert_eq(proto_parcel_batch_decode(array32, sizeof(array32), &out, &arena, err), -EPROTO);
    /* The whole message: map32 claiming 2^32-1 pairs. */
    static const unsigned char map32[] = {0xdf, 0xff, 0xff, 0xff, 0xff};
    cr_assert_eq(proto_parcel_batch_decode(map32, sizeof(map32), &out, &arena, err), -EPROTO);

    /* A valid header whose parcels array claims 2^32-1 parcels. */
    tw_header(&buf, 5, PROTO_MSG_PARCEL_BATCH);
    tw_uint(&buf, 1);
    tw_uint(&buf, 1);
    core_buf_append(&buf, array32, sizeof(array32));
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), -EPROTO);
    cr_assert_not_null(strstr(err, "parcels"), "%s", err);

    /* 4097 parcels, with enough bytes that only the limit refuses them. */
    core_buf_reset(&buf);
    tw_header(&buf, 5, PROTO_MSG_PARCEL_BATCH);
    tw_uint(&buf, 1);
    tw_uint(&buf, 1);
    tw_array(&buf, PROTO_MAX_BATCH_PARCELS + 1);
    for (int i = 0; i <= PROTO_MAX_BATCH_PARCELS; i++)
        tw_nil(&buf);
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), -EPROTO);
    cr_assert_not_null(strstr(err, "4097"), "%s", err);

    /* parcel_id as str32 whose length runs past the end. */
    core_buf_reset(&buf);
    tw_header(&buf, 5, PROTO_MSG_PARCEL_BATCH);
    tw_uint(&buf, 1);
    tw_uint(&buf, 1);
    tw_array(&buf, 1);
    tw_array(&buf, 22);
    static const unsigned char str32[] = {0xdb, 0x00, 0x10, 0x00, 0x00, 'P'};
    core_buf_append(&buf, str32, sizeof(str32));
    for (int i = 0; i < 21; i++)
        tw_nil(&buf);
    cr_assert_eq(s_decode(&buf, buf.len, &out, &arena, err), -EPROTO);
    cr_assert_not_null(strstr(err, "parcel 0: field 'parcel_id' is truncated"), "%s", err);

    /* Not MessagePack at all, and empty. */
    cr_assert_eq(proto_parcel_batch_decode("\xc1", 1, &out, &arena, err), -EPROTO);
    cr_assert_eq(proto_parcel_batch_decode("", 0, &out, &arena, err), -EPROTO);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

/* xorshift64: fixed seed, reproducible. */
static uint64_t s_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

Test(proto_parcel, random_corruption_never_crashes)
{
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    s_valid_batch(&buf);
    char *copy = core_malloc(buf.len);
    uint64_t state = 0x9e3779b97f4a7c15ULL;
    int accepted = 0;
    for (int round = 0; round < 20000; round++) {
        memcpy(copy, buf.data, buf.len);
        int flips = 1 + (int)(s_rand(&state) % 4);
        for (int f = 0; f < flips; f++)
            copy[s_rand(&state) % buf.len] = (char)(s_rand(&state) & 0xff);
        char err[CORE_ERR_LEN] = "";
        proto_parcel_batch_t out;
        int rc = proto_parcel_batch_decode(copy, buf.len, &out, &arena, err);
        cr_assert(rc == 0 || rc == -EPROTO, "round %d: rc %d", round, rc);
        if (rc == 0) {
            accepted++;
            cr_assert_leq(out.count, PROTO_MAX_BATCH_PARCELS);
        }
        core_arena_reset(&arena);
    }
    cr_log_info("random corruption: %d of 20000 still decoded", accepted);
    free(copy);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}
