/* test_verdict.c -- VERDICT_BATCH round trips, risk score, channels and the JSON shape. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "fixtures.h"
#include "proto/verdict.h"

static proto_hit_t s_hit(const char *rule, uint32_t weight, double similarity, bool suppressed)
{
    return (proto_hit_t){.rule_id = core_str_from(rule),
                         .list = core_str_from("counterfeit"),
                         .kind = core_str_from("keyword"),
                         .field = core_str_from("items[0].description"),
                         .matched = core_str_from("replica"),
                         .start = 38,
                         .end = 45,
                         .similarity = similarity,
                         .weight = weight,
                         .suppressed = suppressed};
}

static void s_assert_str(core_str_t got, const char *want)
{
    cr_assert(core_str_eq_cstr(got, want), "'%.*s' != '%s'", (int)got.len, got.ptr ? got.ptr : "",
              want);
}

Test(proto_verdict, risk_score_examples_from_the_spec)
{
    proto_hit_t one[] = {s_hit("R1", 60, 1.0, false)};
    cr_assert_eq(proto_risk_score(one, 1), 60);

    proto_hit_t two[] = {s_hit("R1", 60, 1.0, false), s_hit("R2", 50, 1.0, false)};
    cr_assert_eq(proto_risk_score(two, 2), 80); /* 1 - 0.4 * 0.5 */

    proto_hit_t same[] = {s_hit("R1", 60, 1.0, false), s_hit("R1", 60, 1.0, false)};
    cr_assert_eq(proto_risk_score(same, 2), 60);

    /* The same rule twice counts once, with its best w*s. */
    proto_hit_t best[] = {s_hit("R1", 60, 0.5, false), s_hit("R2", 10, 1.0, false),
                          s_hit("R1", 60, 1.0, false)};
    cr_assert_eq(proto_risk_score(best, 3), 64); /* 1 - 0.4 * 0.9 */

    proto_hit_t suppressed[] = {s_hit("R1", 90, 1.0, true), s_hit("R2", 50, 1.0, false)};
    cr_assert_eq(proto_risk_score(suppressed, 2), 50);
    proto_hit_t only_suppressed[] = {s_hit("R1", 90, 1.0, true)};
    cr_assert_eq(proto_risk_score(only_suppressed, 1), 0);
    /* A suppressed hit does not hide an unsuppressed hit of the same rule. */
    proto_hit_t mixed[] = {s_hit("R1", 90, 1.0, true), s_hit("R1", 40, 1.0, false)};
    cr_assert_eq(proto_risk_score(mixed, 2), 40);

    proto_hit_t fuzzy[] = {s_hit("N1", 80, 0.875, false)};
    cr_assert_eq(proto_risk_score(fuzzy, 1), 70);
    proto_hit_t full[] = {s_hit("A", 100, 1.0, false), s_hit("B", 100, 1.0, false)};
    cr_assert_eq(proto_risk_score(full, 2), 100);
    cr_assert_eq(proto_risk_score(NULL, 0), 0);
}

Test(proto_verdict, channel_names_parse_back)
{
    proto_channel_t c;
    for (int i = PROTO_CHANNEL_GREEN; i <= PROTO_CHANNEL_RED; i++) {
        const char *name = proto_channel_name((proto_channel_t)i);
        cr_assert_eq(proto_channel_parse(name, strlen(name), &c), 0);
        cr_assert_eq((int)c, i);
    }
    cr_assert_str_eq(proto_channel_name(PROTO_CHANNEL_YELLOW), "yellow");
    cr_assert_eq(proto_channel_parse("re", 2, &c), -EINVAL);
    cr_assert_eq(proto_channel_parse("redd", 4, &c), -EINVAL);
    cr_assert_eq(proto_channel_parse("", 0, &c), -EINVAL);
}

Test(proto_verdict, json_has_the_spec_shape)
{
    proto_hit_t hits[] = {s_hit("GOODS-0113", 60, 1.0, false), s_hit("NAME-7", 80, 0.8754, true)};
    hits[1].kind = core_str_from("name");
    hits[1].field = core_str_from("sender.name");
    hits[1].matched = core_str_from("Zhang \"Wei\"\n");
    proto_verdict_t v = {.parcel_id = core_str_from("P0002"),
                         .risk_score = 72,
                         .channel = PROTO_CHANNEL_RED,
                         .screened_at_ns = 1795710040123456789LL,
                         .selected_at_random = false,
                         .hit_count = 2,
                         .hits = hits};
    core_buf_t out = {0};
    core_buf_append_str(&out, "prefix ");
    proto_verdict_to_json(&v, core_str_from("wl-3f2a"), &out);
    cr_assert_str_eq(
        core_buf_cstr(&out),
        "prefix {\"parcel_id\":\"P0002\",\"risk_score\":72,\"channel\":\"red\","
        "\"watchlist_version\":\"wl-3f2a\",\"screened_at\":\"2026-11-26T16:20:40.123Z\","
        "\"selected_at_random\":false,\"hits\":["
        "{\"rule_id\":\"GOODS-0113\",\"list\":\"counterfeit\",\"kind\":\"keyword\","
        "\"field\":\"items[0].description\",\"matched\":\"replica\",\"start\":38,\"end\":45,"
        "\"similarity\":1.0,\"weight\":60},"
        "{\"rule_id\":\"NAME-7\",\"list\":\"counterfeit\",\"kind\":\"name\","
        "\"field\":\"sender.name\",\"matched\":\"Zhang \\\"Wei\\\"\\n\",\"start\":38,"
        "\"end\":45,\"similarity\":0.875,\"weight\":80,\"suppressed\":true}]}");

    core_buf_reset(&out);
    v.hit_count = 0;
    v.hits = NULL;
    v.selected_at_random = true;
    v.channel = PROTO_CHANNEL_GREEN;
    v.risk_score = 0;
    proto_verdict_to_json(&v, core_str_from(""), &out);
    cr_assert_str_eq(core_buf_cstr(&out),
                     "{\"parcel_id\":\"P0002\",\"risk_score\":0,\"channel\":\"green\","
                     "\"watchlist_version\":\"\",\"screened_at\":\"2026-11-26T16:20:40.123Z\","
                     "\"selected_at_random\":true,\"hits\":[]}");
    core_buf_clear(&out);
}

Test(proto_verdict, json_similarity_forms)
{
    static const struct {
        double s;
        const char *want;
    } cases[] = {{1.0, "1.0"},       {0.0, "0.0"},    {0.5, "0.5"},
                 {0.12345, "0.123"}, {0.9999, "1.0"}, {NAN, "null"}};
    for (size_t i = 0; i < CORE_ARRAY_LEN(cases); i++) {
        proto_hit_t h = s_hit("R", 1, cases[i].s, false);
        proto_verdict_t v = {.parcel_id = core_str_from("P"), .hit_count = 1, .hits = &h};
        core_buf_t out = {0};
        proto_verdict_to_json(&v, core_str_from("w"), &out);
        char want[64];
        snprintf(want, sizeof(want), "\"similarity\":%s,", cases[i].want);
        cr_assert_not_null(strstr(core_buf_cstr(&out), want), "%s lacks %s", out.data, want);
        core_buf_clear(&out);
    }
}

/* Two verdicts: one with hits (NAN similarity, suppressed, utf-8), one without. */
static void s_encode(core_buf_t *buf, proto_hit_t *hits)
{
    hits[0] = s_hit("GOODS-0113", 60, 1.0, false);
    hits[1] = s_hit("NAME-7", 80, NAN, true);
    hits[1].matched = core_str_from("Müller");
    hits[2] = s_hit("CTRY-1", 100, 0.25, false);
    hits[2].list = core_str_from("");
    proto_verdict_t v[2] = {
        {.parcel_id = core_str_from("P0001"),
         .risk_score = 72,
         .channel = PROTO_CHANNEL_RED,
         .screened_at_ns = 1795710040123456789LL,
         .selected_at_random = true,
         .hit_count = 3,
         .hits = hits},
        {.parcel_id = core_str_from("P0002"),
         .risk_score = 0,
         .channel = PROTO_CHANNEL_GREEN,
         .screened_at_ns = -1},
    };
    proto_verdict_batch_begin(buf, 9, 123, core_str_from("wl-abc"),
                              core_str_from("a.csv (10, 1f2e); b.csv (3, 99aa)"));
    proto_verdict_batch_add(buf, &v[0]);
    proto_verdict_batch_add(buf, &v[1]);
    proto_verdict_batch_finish(buf, 2);
}

Test(proto_verdict, batch_roundtrip_keeps_every_field)
{
    proto_hit_t hits[3];
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    char err[CORE_ERR_LEN] = "";
    s_encode(&buf, hits);

    proto_verdict_batch_t out;
    cr_assert_eq(proto_verdict_batch_decode(buf.data, buf.len, &out, &arena, err), 0, "%s", err);
    cr_assert_eq(out.seq, 9);
    cr_assert_eq(out.ingest_ns, 123);
    s_assert_str(out.watchlist_version, "wl-abc");
    s_assert_str(out.watchlist_lists, "a.csv (10, 1f2e); b.csv (3, 99aa)");
    cr_assert_eq(out.count, 2);
    const proto_verdict_t *v = &out.verdicts[0];
    s_assert_str(v->parcel_id, "P0001");
    cr_assert_eq(v->risk_score, 72);
    cr_assert_eq(v->channel, PROTO_CHANNEL_RED);
    cr_assert_eq(v->screened_at_ns, 1795710040123456789LL);
    cr_assert_eq(v->selected_at_random, true);
    cr_assert_eq(v->hit_count, 3);
    for (int i = 0; i < 3; i++) {
        const proto_hit_t *a = &v->hits[i];
        const proto_hit_t *b = &hits[i];
        cr_assert(core_str_eq(a->rule_id, b->rule_id));
        cr_assert(core_str_eq(a->list, b->list));
        cr_assert(core_str_eq(a->kind, b->kind));
        cr_assert(core_str_eq(a->field, b->field));
        cr_assert(core_str_eq(a->matched, b->matched));
        cr_assert_eq(a->start, b->start);
        cr_assert_eq(a->end, b->end);
        if (isnan(b->similarity))
            cr_assert(isnan(a->similarity));
        else
            cr_assert_eq(a->similarity, b->similarity);
        cr_assert_eq(a->weight, b->weight);
        cr_assert_eq(a->suppressed, b->suppressed);
    }
    v = &out.verdicts[1];
    s_assert_str(v->parcel_id, "P0002");
    cr_assert_eq(v->channel, PROTO_CHANNEL_GREEN);
    cr_assert_eq(v->screened_at_ns, -1);
    cr_assert_eq(v->selected_at_random, false);
    cr_assert_eq(v->hit_count, 0);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

Test(proto_verdict, truncation_at_every_offset_is_refused)
{
    proto_hit_t hits[3];
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    s_encode(&buf, hits);
    for (size_t cut = 0; cut < buf.len; cut++) {
        char *copy = core_malloc(cut ? cut : 1);
        memcpy(copy, buf.data, cut);
        char err[CORE_ERR_LEN] = "";
        proto_verdict_batch_t out;
        int rc = proto_verdict_batch_decode(copy, cut, &out, &arena, err);
        cr_assert(rc == -EPROTO || rc == -EAGAIN, "cut %zu: rc %d", cut, rc);
        cr_assert_neq(err[0], '\0');
        free(copy);
        core_arena_reset(&arena);
    }
    core_buf_append_byte(&buf, (char)0xc0); /* trailing nil */
    char err[CORE_ERR_LEN] = "";
    proto_verdict_batch_t out;
    cr_assert_eq(proto_verdict_batch_decode(buf.data, buf.len, &out, &arena, err), -EPROTO);
    cr_assert_not_null(strstr(err, "trailing"), "%s", err);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

/* A one-verdict batch by hand: score, channel, similarity, hits count as given. */
static void s_hand_verdict(core_buf_t *b, uint64_t score, uint64_t channel, double similarity,
                           uint32_t hits)
{
    core_buf_reset(b);
    tw_header(b, 7, PROTO_MSG_VERDICT_BATCH);
    tw_uint(b, 1);
    tw_uint(b, 1);
    tw_str(b, "wl");
    tw_str(b, "");
    tw_array(b, 1);
    tw_array(b, 6);
    tw_str(b, "P1");
    tw_uint(b, score);
    tw_uint(b, channel);
    tw_uint(b, 5);
    tw_byte(b, 0xc2);
    tw_array(b, hits);
    for (uint32_t i = 0; i < hits; i++) {
        tw_array(b, 10);
        tw_str(b, "R");
        for (int k = 0; k < 4; k++)
            tw_str(b, "x");
        tw_uint(b, 1);
        tw_uint(b, 2);
        tw_f64(b, similarity);
        tw_uint(b, 50);
        tw_byte(b, 0xc2);
    }
}

static int s_hand_decode(const core_buf_t *b, char *err)
{
    core_arena_t arena;
    core_arena_init(&arena, 0);
    proto_verdict_batch_t out;
    int rc = proto_verdict_batch_decode(b->data, b->len, &out, &arena, err);
    core_arena_clear(&arena);
    return rc;
}

Test(proto_verdict, out_of_range_fields_are_refused)
{
    core_buf_t b = {0};
    char err[CORE_ERR_LEN] = "";
    s_hand_verdict(&b, 50, 1, 0.5, 1);
    cr_assert_eq(s_hand_decode(&b, err), 0, "%s", err);
    s_hand_verdict(&b, 101, 1, 0.5, 1);
    cr_assert_eq(s_hand_decode(&b, err), -EPROTO);
    cr_assert_not_null(strstr(err, "verdict 0: field 'risk_score' is 101"), "%s", err);
    s_hand_verdict(&b, 50, 3, 0.5, 1);
    cr_assert_eq(s_hand_decode(&b, err), -EPROTO);
    cr_assert_not_null(strstr(err, "channel"), "%s", err);
    s_hand_verdict(&b, 50, 1, 1.5, 1);
    cr_assert_eq(s_hand_decode(&b, err), -EPROTO);
    cr_assert_not_null(strstr(err, "hits[0]: field 'similarity'"), "%s", err);
    s_hand_verdict(&b, 50, 1, 0.5, PROTO_MAX_HITS);
    cr_assert_eq(s_hand_decode(&b, err), 0, "%s", err);
    s_hand_verdict(&b, 50, 1, 0.5, PROTO_MAX_HITS + 1);
    cr_assert_eq(s_hand_decode(&b, err), -EPROTO);
    cr_assert_not_null(strstr(err, "field 'hits' has 257 elements"), "%s", err);
    core_buf_clear(&b);
}
