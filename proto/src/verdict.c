/* verdict.c -- verdicts and hits, the VERDICT_BATCH message (screen -> sink), the SPEC
 * section 3 JSON shape and the risk score.
 *
 * DESIGN: same wire pattern as parcel.c (fixed-position arrays, array32 count patched by
 * finish, views into the message, hit arrays in the caller's arena). */
#include "proto/verdict.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "internal.h"

/* Longest watchlist_lists text: one "file (rules, hash)" entry per loaded list. */
#define S_MAX_LISTS_BYTES PROTO_MAX_RECORD_BYTES

static const char *const s_channel_names[] = {"green", "yellow", "red"};

const char *proto_channel_name(proto_channel_t channel)
{
    if ((unsigned)channel < CORE_ARRAY_LEN(s_channel_names))
        return s_channel_names[channel];
    return "unknown";
}

int proto_channel_parse(const char *text, size_t len, proto_channel_t *out)
{
    core_assert(text != NULL || len == 0);
    core_assert(out != NULL);
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_channel_names); i++) {
        if (strlen(s_channel_names[i]) == len && memcmp(s_channel_names[i], text, len) == 0) {
            *out = (proto_channel_t)i;
            return 0;
        }
    }
    return -EINVAL;
}

/* ============ Risk score ============ */

/* A hit's contribution w*s/100 in 0..1; a missing similarity counts as an exact match. */
static double s_contribution(const proto_hit_t *hit)
{
    double s = hit->similarity;
    if (isnan(s) || s > 1.0)
        s = 1.0;
    if (s < 0.0)
        s = 0.0;
    double w = hit->weight > 100 ? 100.0 : (double)hit->weight;
    return w * s / 100.0;
}

uint32_t proto_risk_score(const proto_hit_t *hits, uint32_t count)
{
    core_assert(hits != NULL || count == 0);
    /* Quadratic in hits per verdict (at most PROTO_MAX_HITS, usually a handful): the first
     * unsuppressed hit of each rule collects the rule's best contribution. */
    double keep = 1.0;
    for (uint32_t i = 0; i < count; i++) {
        if (hits[i].suppressed)
            continue;
        bool seen = false;
        for (uint32_t j = 0; j < i && !seen; j++)
            seen = !hits[j].suppressed && core_str_eq(hits[j].rule_id, hits[i].rule_id);
        if (seen)
            continue;
        double best = s_contribution(&hits[i]);
        for (uint32_t j = i + 1; j < count; j++) {
            if (!hits[j].suppressed && core_str_eq(hits[j].rule_id, hits[i].rule_id)) {
                double c = s_contribution(&hits[j]);
                if (c > best)
                    best = c;
            }
        }
        keep *= 1.0 - best;
    }
    double score = round(100.0 * (1.0 - keep));
    if (!(score >= 0.0))
        return 0;
    if (score > 100.0)
        return 100;
    return (uint32_t)score;
}

/* ============ JSON (SPEC section 3) ============ */

static void s_json_key(core_buf_t *out, const char *key)
{
    core_buf_append_json_str(out, key, strlen(key));
    core_buf_append_byte(out, ':');
}

static void s_json_str(core_buf_t *out, const char *key, core_str_t value)
{
    s_json_key(out, key);
    core_buf_append_json_str(out, value.ptr ? value.ptr : "", value.len);
}

/* Similarity with at most 3 decimals and always a fraction part: 1.0, 0.5, 0.875. */
static void s_json_similarity(core_buf_t *out, double s)
{
    if (!isfinite(s)) {
        core_buf_append_str(out, "null");
        return;
    }
    char text[48];
    int n = snprintf(text, sizeof(text), "%.3f", s);
    if (n <= 0 || (size_t)n >= sizeof(text)) {
        core_buf_append_str(out, "null");
        return;
    }
    while (n > 2 && text[n - 1] == '0' && text[n - 2] != '.')
        n--;
    core_buf_append(out, text, (size_t)n);
}

void proto_verdict_to_json(const proto_verdict_t *v, core_str_t watchlist_version, core_buf_t *out)
{
    core_assert(v != NULL);
    core_assert(out != NULL);
    core_assert(v->hits != NULL || v->hit_count == 0);
    char when[48];
    core_rfc3339(v->screened_at_ns, when, sizeof(when));

    core_buf_append_byte(out, '{');
    s_json_str(out, "parcel_id", v->parcel_id);
    core_buf_printf(out, ",\"risk_score\":%u,", v->risk_score);
    s_json_key(out, "channel");
    const char *channel = proto_channel_name(v->channel);
    core_buf_append_json_str(out, channel, strlen(channel));
    core_buf_append_byte(out, ',');
    s_json_str(out, "watchlist_version", watchlist_version);
    core_buf_append_byte(out, ',');
    s_json_str(out, "screened_at", core_str_from(when));
    core_buf_append_str(out, v->selected_at_random ? ",\"selected_at_random\":true"
                                                   : ",\"selected_at_random\":false");
    core_buf_append_str(out, ",\"hits\":[");
    for (uint32_t i = 0; i < v->hit_count; i++) {
        const proto_hit_t *h = &v->hits[i];
        if (i > 0)
            core_buf_append_byte(out, ',');
        core_buf_append_byte(out, '{');
        s_json_str(out, "rule_id", h->rule_id);
        core_buf_append_byte(out, ',');
        s_json_str(out, "list", h->list);
        core_buf_append_byte(out, ',');
        s_json_str(out, "kind", h->kind);
        core_buf_append_byte(out, ',');
        s_json_str(out, "field", h->field);
        core_buf_append_byte(out, ',');
        s_json_str(out, "matched", h->matched);
        core_buf_printf(out, ",\"start\":%u,\"end\":%u,\"similarity\":", h->start, h->end);
        s_json_similarity(out, h->similarity);
        core_buf_printf(out, ",\"weight\":%u", h->weight);
        if (h->suppressed)
            core_buf_append_str(out, ",\"suppressed\":true");
        core_buf_append_byte(out, '}');
    }
    core_buf_append_str(out, "]}");
}

/* ============ Encoding ============ */

void proto_verdict_batch_begin(core_buf_t *buf, uint64_t seq, int64_t ingest_ns,
                               core_str_t watchlist_version, core_str_t watchlist_lists)
{
    core_assert(buf != NULL);
    core_buf_reset(buf);
    msgpack_packer pk;
    proto__packer_init(&pk, buf);
    proto__pack_header(&pk, PROTO_MSG_VERDICT_BATCH, PROTO__VERDICT_BATCH_FIELDS);
    msgpack_pack_uint64(&pk, seq);
    msgpack_pack_int64(&pk, ingest_ns);
    proto__pack_str(&pk, watchlist_version);
    proto__pack_str(&pk, watchlist_lists);
    proto__batch_placeholder(buf);
}

void proto_verdict_batch_add(core_buf_t *buf, const proto_verdict_t *v)
{
    core_assert(buf != NULL);
    core_assert(v != NULL);
    core_assert(v->hit_count <= PROTO_MAX_HITS);
    core_assert(v->hits != NULL || v->hit_count == 0);
    msgpack_packer pk;
    proto__packer_init(&pk, buf);
    msgpack_pack_array(&pk, PROTO__VERDICT_FIELDS);
    proto__pack_str(&pk, v->parcel_id);
    msgpack_pack_uint32(&pk, v->risk_score);
    msgpack_pack_uint8(&pk, (uint8_t)v->channel);
    msgpack_pack_int64(&pk, v->screened_at_ns);
    proto__pack_bool(&pk, v->selected_at_random);
    msgpack_pack_array(&pk, v->hit_count);
    for (uint32_t i = 0; i < v->hit_count; i++) {
        const proto_hit_t *h = &v->hits[i];
        msgpack_pack_array(&pk, PROTO__HIT_FIELDS);
        proto__pack_str(&pk, h->rule_id);
        proto__pack_str(&pk, h->list);
        proto__pack_str(&pk, h->kind);
        proto__pack_str(&pk, h->field);
        proto__pack_str(&pk, h->matched);
        msgpack_pack_uint32(&pk, h->start);
        msgpack_pack_uint32(&pk, h->end);
        proto__pack_num(&pk, h->similarity);
        msgpack_pack_uint32(&pk, h->weight);
        proto__pack_bool(&pk, h->suppressed);
    }
}

void proto_verdict_batch_finish(core_buf_t *buf, uint32_t count)
{
    core_assert(buf != NULL);
    core_assert(count <= PROTO_MAX_BATCH_PARCELS);
    proto__batch_patch(buf, PROTO__VERDICT_BATCH_FIELDS - 1, count);
}

/* ============ Decoding ============ */

static int s_read_hit(proto_mpread_t *rd, proto_hit_t *h, char *err)
{
    const uint32_t max = PROTO_MAX_FIELD_BYTES;
    uint32_t n;
    uint64_t start, end, weight;
    if (proto__read_array(rd, "hit", PROTO__HIT_FIELDS, PROTO__HIT_FIELDS, false, &n, err) ||
        proto__read_str(rd, "rule_id", max, &h->rule_id, err) ||
        proto__read_str(rd, "list", max, &h->list, err) ||
        proto__read_str(rd, "kind", max, &h->kind, err) ||
        proto__read_str(rd, "field", max, &h->field, err) ||
        proto__read_str(rd, "matched", max, &h->matched, err) ||
        proto__read_uint(rd, "start", UINT32_MAX, &start, err) ||
        proto__read_uint(rd, "end", UINT32_MAX, &end, err) ||
        proto__read_num(rd, "similarity", &h->similarity, err) ||
        proto__read_uint(rd, "weight", 100, &weight, err) ||
        proto__read_bool(rd, "suppressed", &h->suppressed, err))
        return -EPROTO;
    if (h->rule_id.len == 0) {
        core_err_set(err, "field 'rule_id' is empty");
        return -EPROTO;
    }
    if (start > end) {
        core_err_set(err, "field 'start' (%llu) is after 'end' (%llu)", (unsigned long long)start,
                     (unsigned long long)end);
        return -EPROTO;
    }
    if (!isnan(h->similarity) && !(h->similarity >= 0.0 && h->similarity <= 1.0)) {
        core_err_set(err, "field 'similarity' is outside 0..1");
        return -EPROTO;
    }
    h->start = (uint32_t)start;
    h->end = (uint32_t)end;
    h->weight = (uint32_t)weight;
    return 0;
}

static int s_read_verdict(proto_mpread_t *rd, proto_verdict_t *v, core_arena_t *arena, char *err)
{
    uint32_t n;
    uint64_t score, channel;
    if (proto__read_array(rd, "verdict", PROTO__VERDICT_FIELDS, PROTO__VERDICT_FIELDS, false, &n,
                          err) ||
        proto__read_str(rd, "parcel_id", PROTO_MAX_FIELD_BYTES, &v->parcel_id, err) ||
        proto__read_uint(rd, "risk_score", 100, &score, err) ||
        proto__read_uint(rd, "channel", PROTO_CHANNEL_RED, &channel, err) ||
        proto__read_int(rd, "screened_at_ns", &v->screened_at_ns, err) ||
        proto__read_bool(rd, "selected_at_random", &v->selected_at_random, err))
        return -EPROTO;
    if (v->parcel_id.len == 0) {
        core_err_set(err, "field 'parcel_id' is empty");
        return -EPROTO;
    }
    v->risk_score = (uint32_t)score;
    v->channel = (proto_channel_t)channel;
    if (proto__read_array(rd, "hits", 0, PROTO_MAX_HITS, false, &v->hit_count, err))
        return -EPROTO;
    v->hits = NULL;
    if (v->hit_count > 0)
        v->hits = core_arena_alloc(arena, (size_t)v->hit_count * sizeof(*v->hits));
    for (uint32_t i = 0; i < v->hit_count; i++) {
        if (s_read_hit(rd, &v->hits[i], err) != 0) {
            core_err_prefix(err, "hits[%u]", i);
            return -EPROTO;
        }
    }
    return 0;
}

int proto_verdict_batch_decode(const void *data, size_t len, proto_verdict_batch_t *out,
                               core_arena_t *arena, char *err)
{
    core_assert(data != NULL || len == 0);
    core_assert(out != NULL);
    core_assert(arena != NULL);
    memset(out, 0, sizeof(*out));
    proto_mpread_t rd;
    proto_mpread_init(&rd, data, len);
    proto_verdict_batch_t b = {0};
    if (proto__read_header(&rd, PROTO_MSG_VERDICT_BATCH, PROTO__VERDICT_BATCH_FIELDS, err) ||
        proto__read_uint(&rd, "seq", UINT64_MAX, &b.seq, err) ||
        proto__read_int(&rd, "ingest_ns", &b.ingest_ns, err) ||
        proto__read_str(&rd, "watchlist_version", PROTO_MAX_FIELD_BYTES, &b.watchlist_version,
                        err) ||
        proto__read_str(&rd, "watchlist_lists", S_MAX_LISTS_BYTES, &b.watchlist_lists, err) ||
        proto__read_array(&rd, "verdicts", 0, PROTO_MAX_BATCH_PARCELS, false, &b.count, err)) {
        core_err_prefix(err, "verdict batch");
        return -EPROTO;
    }
    if (b.count > 0)
        b.verdicts = core_arena_alloc(arena, (size_t)b.count * sizeof(*b.verdicts));
    for (uint32_t i = 0; i < b.count; i++) {
        if (s_read_verdict(&rd, &b.verdicts[i], arena, err) != 0) {
            core_err_prefix(err, "verdict %u", i);
            return -EPROTO;
        }
    }
    if (proto__read_end(&rd, err) != 0)
        return -EPROTO;
    *out = b;
    return 0;
}
