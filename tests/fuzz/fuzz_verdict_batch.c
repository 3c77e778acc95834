/* fuzz_verdict_batch.c -- libFuzzer target: proto_verdict_batch_decode (proto/verdict.h).
 *
 * Accepted batches are walked, turned into JSON and scored the way sink does, re-encoded and
 * decoded again. */
#include "fuzz_common.h"
#include "proto/verdict.h"

static void s_touch_verdict(const proto_verdict_t *v)
{
    fuzz_touch(v->parcel_id);
    if (v->hit_count > PROTO_MAX_HITS)
        fuzz_fail("verdict batch", "more than PROTO_MAX_HITS hits");
    if (v->hit_count > 0 && v->hits == NULL)
        fuzz_fail("verdict batch", "hits NULL with a count");
    if ((unsigned)v->channel > PROTO_CHANNEL_RED)
        fuzz_fail("verdict batch", "channel out of range");
    for (uint32_t i = 0; i < v->hit_count; i++) {
        const proto_hit_t *h = &v->hits[i];
        fuzz_touch(h->rule_id);
        fuzz_touch(h->list);
        fuzz_touch(h->kind);
        fuzz_touch(h->field);
        fuzz_touch(h->matched);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    core_arena_t arena;
    core_arena_init(&arena, 0);
    proto_verdict_batch_t batch;
    char err[CORE_ERR_LEN] = "";
    if (proto_verdict_batch_decode(data, size, &batch, &arena, err) != 0) {
        if (err[0] == '\0')
            fuzz_fail("verdict batch", "refused without a reason");
        core_arena_clear(&arena);
        return 0;
    }
    if (batch.count > PROTO_MAX_BATCH_PARCELS)
        fuzz_fail("verdict batch", "more than PROTO_MAX_BATCH_PARCELS verdicts");
    fuzz_touch(batch.watchlist_version);
    fuzz_touch(batch.watchlist_lists);

    core_buf_t buf = {0};
    for (uint32_t i = 0; i < batch.count; i++) {
        const proto_verdict_t *v = &batch.verdicts[i];
        s_touch_verdict(v);
        core_buf_reset(&buf);
        proto_verdict_to_json(v, batch.watchlist_version, &buf);
        uint32_t score = proto_risk_score(v->hits, v->hit_count);
        if (score > 100)
            fuzz_fail("verdict batch", "risk score above 100");
        (void)proto_channel_name(v->channel);
    }

    proto_verdict_batch_begin(&buf, batch.seq, batch.ingest_ns, batch.watchlist_version,
                              batch.watchlist_lists);
    for (uint32_t i = 0; i < batch.count; i++)
        proto_verdict_batch_add(&buf, &batch.verdicts[i]);
    proto_verdict_batch_finish(&buf, batch.count);

    core_arena_t arena2;
    core_arena_init(&arena2, 0);
    proto_verdict_batch_t again;
    if (proto_verdict_batch_decode(buf.data, buf.len, &again, &arena2, err) != 0)
        fuzz_fail("verdict batch: decode refused our encoding", err);
    if (again.count != batch.count || again.seq != batch.seq ||
        !core_str_eq(again.watchlist_version, batch.watchlist_version))
        fuzz_fail("verdict batch", "roundtrip changed the header");
    for (uint32_t i = 0; i < batch.count; i++) {
        const proto_verdict_t *a = &batch.verdicts[i];
        const proto_verdict_t *b = &again.verdicts[i];
        if (!core_str_eq(a->parcel_id, b->parcel_id) || a->hit_count != b->hit_count ||
            a->risk_score != b->risk_score || a->channel != b->channel)
            fuzz_fail("verdict batch", "roundtrip changed a verdict");
    }
    core_arena_clear(&arena2);
    core_buf_clear(&buf);
    core_arena_clear(&arena);
    return 0;
}
