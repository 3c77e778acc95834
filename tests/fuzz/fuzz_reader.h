/* fuzz_reader.h -- the body of the three manifest reader targets (NDJSON, CSV, MessagePack).
 *
 * The input is fed in two pieces, split at a point derived from its length, so the record
 * boundary and buffer moving code gets exercised without a control byte in front of the
 * seeds. Records are drained after each piece and after finish. Every accepted parcel must
 * satisfy SPEC section 1 (what ingest__validate promises), must have views that stay inside
 * readable memory, and must survive a PARCEL_BATCH roundtrip. Every reject must carry a
 * one-line reason. After finish the reader must reach END without asking for more input. */
#ifndef TESTS_FUZZ_READER_H
#define TESTS_FUZZ_READER_H

#include <errno.h>

#include "fuzz_common.h"
#include "ingest/reader.h"

/* What any accepted field must satisfy. */
static inline void fuzz_check_field(core_str_t s)
{
    if (s.len > PROTO_MAX_FIELD_BYTES)
        fuzz_fail("reader accepted a parcel", "field longer than PROTO_MAX_FIELD_BYTES");
    if (!core_utf8_valid(s.ptr ? s.ptr : "", s.len))
        fuzz_fail("reader accepted a parcel", "field is not valid UTF-8");
}

static inline void fuzz_check_party(const proto_party_t *p)
{
    fuzz_check_field(p->name);
    fuzz_check_field(p->address);
    fuzz_check_field(p->city);
    fuzz_check_field(p->postcode);
    fuzz_check_field(p->country);
    fuzz_check_field(p->phone);
    fuzz_check_field(p->email);
    fuzz_check_field(p->tax_id);
}

static inline void fuzz_check_number(double x)
{
    if (isinf(x))
        fuzz_fail("reader accepted a parcel", "infinite number");
}

static inline void fuzz_check_parcel(const proto_parcel_t *p)
{
    fuzz_touch_parcel(p);
    if (p->parcel_id.len == 0)
        fuzz_fail("reader accepted a parcel", "empty parcel_id");
    if (p->item_count < 1 || p->item_count > PROTO_MAX_ITEMS)
        fuzz_fail("reader accepted a parcel", "item_count outside 1..PROTO_MAX_ITEMS");
    fuzz_check_field(p->parcel_id);
    fuzz_check_field(p->item_id);
    fuzz_check_field(p->manifest_ref);
    fuzz_check_field(p->master_ref);
    fuzz_check_field(p->house_ref);
    fuzz_check_field(p->order_ref);
    fuzz_check_field(p->mail_class);
    fuzz_check_field(p->category_of_item);
    fuzz_check_party(&p->sender);
    fuzz_check_party(&p->recipient);
    fuzz_check_field(p->seller.name);
    fuzz_check_field(p->seller.marketplace);
    fuzz_check_field(p->seller.seller_id);
    fuzz_check_field(p->origin_country);
    fuzz_check_field(p->dispatch_country);
    fuzz_check_field(p->destination_country);
    fuzz_check_field(p->posting_datetime);
    fuzz_check_field(p->expected_arrival);
    fuzz_check_field(p->office_of_entry);
    fuzz_check_field(p->currency);
    fuzz_check_number(p->gross_weight_kg);
    fuzz_check_number(p->declared_total_value);
    fuzz_check_number(p->postal_charges);
    for (uint32_t i = 0; i < p->item_count; i++) {
        const proto_item_t *it = &p->items[i];
        if (it->description.len == 0)
            fuzz_fail("reader accepted a parcel", "empty items[].description");
        fuzz_check_field(it->description);
        fuzz_check_field(it->hs_code);
        fuzz_check_field(it->origin_country);
        fuzz_check_field(it->sku);
        fuzz_check_field(it->unit);
        fuzz_check_number(it->quantity);
        fuzz_check_number(it->net_weight_kg);
        fuzz_check_number(it->unit_value);
    }
}

/* Takes every record available now. Returns true at END. */
static inline bool fuzz_reader_drain(ingest_reader_t *r, bool finished, core_buf_t *buf,
                                     core_arena_t *arena)
{
    for (;;) {
        proto_parcel_t p;
        int rc = ingest_reader_next(r, &p);
        if (rc == INGEST_READ_END)
            return true;
        if (rc == -EAGAIN) {
            if (finished)
                fuzz_fail("reader", "-EAGAIN after finish");
            return false;
        }
        if (rc == INGEST_READ_PARCEL) {
            fuzz_check_parcel(&p);
            fuzz_parcel_roundtrip(&p, buf, arena);
        } else if (rc == INGEST_READ_REJECT) {
            const char *why = ingest_reader_reason(r);
            if (why == NULL || why[0] == '\0' || strchr(why, '\n') != NULL)
                fuzz_fail("reader reject reason", why);
        } else {
            fuzz_fail("reader", "unexpected return from next");
        }
    }
}

static inline int fuzz_reader_run(ingest_format_t format, const uint8_t *data, size_t size)
{
    ingest_reader_t *r = ingest_reader_new(format, "fuzz", NULL);
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);

    size_t split = size == 0 ? 0 : (size_t)(((uint64_t)size * 2654435761u) % (size + 1));
    bool end = false;
    if (split > 0) {
        ingest_reader_feed(r, data, split);
        end = fuzz_reader_drain(r, false, &buf, &arena);
    }
    if (!end) {
        if (size > split)
            ingest_reader_feed(r, data + split, size - split);
        ingest_reader_finish(r);
        end = fuzz_reader_drain(r, true, &buf, &arena);
    }
    if (ingest_reader_rejects(r) > ingest_reader_records(r))
        fuzz_fail("reader", "more rejects than records");

    core_arena_clear(&arena);
    core_buf_clear(&buf);
    ingest_reader_destroy(&r);
    return 0;
}

#endif
