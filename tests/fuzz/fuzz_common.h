/* fuzz_common.h -- helpers shared by the libFuzzer targets in tests/fuzz.
 *
 * A target must not stop at "did not crash": every string view a decoder hands out is read
 * byte by byte (so ASan sees a view that points outside its buffer), and whatever a decoder
 * accepts must survive our own encoder and decode again. A broken invariant calls
 * fuzz_fail(), which prints the reason and aborts, so libFuzzer records the input. */
#ifndef TESTS_FUZZ_COMMON_H
#define TESTS_FUZZ_COMMON_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/core.h"
#include "core/str.h"
#include "proto/limits.h"
#include "proto/parcel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sink for the bytes we read, so the compiler keeps the reads. */
static volatile unsigned fuzz_sink_byte;

static inline _Noreturn void fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz invariant broken: %s: %s\n", what, detail ? detail : "");
    abort();
}

/* Reads every byte of a view. */
static inline void fuzz_touch(core_str_t s)
{
    if (s.len > 0 && s.ptr == NULL)
        fuzz_fail("view", "NULL pointer with a length");
    unsigned acc = 0;
    for (uint32_t i = 0; i < s.len; i++)
        acc += (unsigned char)s.ptr[i];
    fuzz_sink_byte = acc;
}

static inline void fuzz_touch_party(const proto_party_t *p)
{
    fuzz_touch(p->name);
    fuzz_touch(p->address);
    fuzz_touch(p->city);
    fuzz_touch(p->postcode);
    fuzz_touch(p->country);
    fuzz_touch(p->phone);
    fuzz_touch(p->email);
    fuzz_touch(p->tax_id);
}

static inline void fuzz_touch_parcel(const proto_parcel_t *p)
{
    fuzz_touch(p->parcel_id);
    fuzz_touch(p->item_id);
    fuzz_touch(p->manifest_ref);
    fuzz_touch(p->master_ref);
    fuzz_touch(p->house_ref);
    fuzz_touch(p->order_ref);
    fuzz_touch(p->mail_class);
    fuzz_touch(p->category_of_item);
    fuzz_touch_party(&p->sender);
    fuzz_touch_party(&p->recipient);
    if (p->has_seller) {
        fuzz_touch(p->seller.name);
        fuzz_touch(p->seller.marketplace);
        fuzz_touch(p->seller.seller_id);
    }
    fuzz_touch(p->origin_country);
    fuzz_touch(p->dispatch_country);
    fuzz_touch(p->destination_country);
    fuzz_touch(p->posting_datetime);
    fuzz_touch(p->expected_arrival);
    fuzz_touch(p->office_of_entry);
    fuzz_touch(p->currency);
    if (p->item_count > PROTO_MAX_ITEMS)
        fuzz_fail("parcel", "more than PROTO_MAX_ITEMS items");
    if (p->item_count > 0 && p->items == NULL)
        fuzz_fail("parcel", "items NULL with a count");
    for (uint32_t i = 0; i < p->item_count; i++) {
        const proto_item_t *it = &p->items[i];
        fuzz_touch(it->description);
        fuzz_touch(it->hs_code);
        fuzz_touch(it->origin_country);
        fuzz_touch(it->sku);
        fuzz_touch(it->unit);
    }
}

/* Encodes 'p' alone in a PARCEL_BATCH and decodes it again: the decoder must accept what our
 * encoder wrote and give back the same parcel_id and item count. */
static inline void fuzz_parcel_roundtrip(const proto_parcel_t *p, core_buf_t *buf,
                                         core_arena_t *arena)
{
    proto_parcel_batch_begin(buf, 7, 42);
    proto_parcel_batch_add(buf, p);
    proto_parcel_batch_finish(buf, 1);
    proto_parcel_batch_t batch;
    char err[CORE_ERR_LEN] = "";
    if (proto_parcel_batch_decode(buf->data, buf->len, &batch, arena, err) != 0)
        fuzz_fail("parcel roundtrip: decode refused our encoding", err);
    if (batch.count != 1 || batch.seq != 7 || batch.ingest_ns != 42)
        fuzz_fail("parcel roundtrip", "batch header changed");
    const proto_parcel_t *q = &batch.parcels[0];
    if (!core_str_eq(q->parcel_id, p->parcel_id))
        fuzz_fail("parcel roundtrip", "parcel_id changed");
    if (q->item_count != p->item_count)
        fuzz_fail("parcel roundtrip", "item_count changed");
    fuzz_touch_parcel(q);
    core_arena_reset(arena);
}

#endif
