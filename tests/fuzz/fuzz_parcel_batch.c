/* fuzz_parcel_batch.c -- libFuzzer target: proto_parcel_batch_decode (proto/parcel.h).
 *
 * Whatever the decoder accepts must have views inside the message and counts inside the
 * limits, and must come back unchanged in count and ids through our encoder. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    core_arena_t arena;
    core_arena_init(&arena, 0);
    proto_parcel_batch_t batch;
    char err[CORE_ERR_LEN] = "";
    if (proto_parcel_batch_decode(data, size, &batch, &arena, err) != 0) {
        if (err[0] == '\0')
            fuzz_fail("parcel batch", "refused without a reason");
        core_arena_clear(&arena);
        return 0;
    }
    if (batch.count > PROTO_MAX_BATCH_PARCELS)
        fuzz_fail("parcel batch", "more than PROTO_MAX_BATCH_PARCELS parcels");
    for (uint32_t i = 0; i < batch.count; i++)
        fuzz_touch_parcel(&batch.parcels[i]);

    core_buf_t buf = {0};
    proto_parcel_batch_begin(&buf, batch.seq, batch.ingest_ns);
    for (uint32_t i = 0; i < batch.count; i++)
        proto_parcel_batch_add(&buf, &batch.parcels[i]);
    proto_parcel_batch_finish(&buf, batch.count);

    core_arena_t arena2;
    core_arena_init(&arena2, 0);
    proto_parcel_batch_t again;
    if (proto_parcel_batch_decode(buf.data, buf.len, &again, &arena2, err) != 0)
        fuzz_fail("parcel batch: decode refused our encoding", err);
    if (again.count != batch.count || again.seq != batch.seq || again.ingest_ns != batch.ingest_ns)
        fuzz_fail("parcel batch", "roundtrip changed the header");
    for (uint32_t i = 0; i < batch.count; i++) {
        const proto_parcel_t *a = &batch.parcels[i];
        const proto_parcel_t *b = &again.parcels[i];
        if (!core_str_eq(a->parcel_id, b->parcel_id) || a->item_count != b->item_count ||
            a->has_seller != b->has_seller)
            fuzz_fail("parcel batch", "roundtrip changed a parcel");
    }
    core_arena_clear(&arena2);
    core_buf_clear(&buf);
    core_arena_clear(&arena);
    return 0;
}
