/* parcel.c -- the parcel record and the PARCEL_BATCH message (ingest -> screen).
 *
 * DESIGN: a parcel travels as a fixed-position array, not a map: no key bytes on the wire and
 * no key lookups when decoding. The layout is in proto/README.md; the field name tables below
 * are the same order and name the field in every decode error. The batch header ends with an
 * array32 whose count finish() patches, so ingest streams parcels into one buffer without
 * knowing how many will fit. Decoding allocates only the parcel and item arrays, in the
 * caller's arena; strings are views into the message. */
#include "proto/parcel.h"

#include <errno.h>
#include <math.h>

#include "internal.h"

void proto_parcel_init(proto_parcel_t *self)
{
    core_assert(self != NULL);
    memset(self, 0, sizeof(*self));
    self->gross_weight_kg = NAN;
    self->declared_total_value = NAN;
    self->postal_charges = NAN;
    self->items = NULL;
}

/* ============ Encoding ============ */

static void s_pack_party(msgpack_packer *pk, const proto_party_t *party)
{
    msgpack_pack_array(pk, PROTO__PARTY_FIELDS);
    proto__pack_str(pk, party->name);
    proto__pack_str(pk, party->address);
    proto__pack_str(pk, party->city);
    proto__pack_str(pk, party->postcode);
    proto__pack_str(pk, party->country);
    proto__pack_str(pk, party->phone);
    proto__pack_str(pk, party->email);
    proto__pack_str(pk, party->tax_id);
}

static void s_pack_item(msgpack_packer *pk, const proto_item_t *item)
{
    msgpack_pack_array(pk, PROTO__ITEM_FIELDS);
    msgpack_pack_uint32(pk, item->line_no);
    proto__pack_str(pk, item->description);
    proto__pack_str(pk, item->hs_code);
    proto__pack_str(pk, item->origin_country);
    proto__pack_str(pk, item->sku);
    proto__pack_str(pk, item->unit);
    proto__pack_num(pk, item->quantity);
    proto__pack_num(pk, item->net_weight_kg);
    proto__pack_num(pk, item->unit_value);
}

void proto_parcel_batch_begin(core_buf_t *buf, uint64_t seq, int64_t ingest_ns)
{
    core_assert(buf != NULL);
    core_buf_reset(buf);
    msgpack_packer pk;
    proto__packer_init(&pk, buf);
    proto__pack_header(&pk, PROTO_MSG_PARCEL_BATCH, PROTO__PARCEL_BATCH_FIELDS);
    msgpack_pack_uint64(&pk, seq);
    msgpack_pack_int64(&pk, ingest_ns);
    proto__batch_placeholder(buf);
}

void proto_parcel_batch_add(core_buf_t *buf, const proto_parcel_t *p)
{
    core_assert(buf != NULL);
    core_assert(p != NULL);
    core_assert(p->item_count <= PROTO_MAX_ITEMS);
    core_assert(p->items != NULL || p->item_count == 0);
    msgpack_packer pk;
    proto__packer_init(&pk, buf);
    msgpack_pack_array(&pk, PROTO__PARCEL_FIELDS);
    proto__pack_str(&pk, p->parcel_id);
    proto__pack_str(&pk, p->item_id);
    proto__pack_str(&pk, p->manifest_ref);
    proto__pack_str(&pk, p->master_ref);
    proto__pack_str(&pk, p->house_ref);
    proto__pack_str(&pk, p->order_ref);
    proto__pack_str(&pk, p->mail_class);
    proto__pack_str(&pk, p->category_of_item);
    s_pack_party(&pk, &p->sender);
    s_pack_party(&pk, &p->recipient);
    if (p->has_seller) {
        msgpack_pack_array(&pk, PROTO__SELLER_FIELDS);
        proto__pack_str(&pk, p->seller.name);
        proto__pack_str(&pk, p->seller.marketplace);
        proto__pack_str(&pk, p->seller.seller_id);
    } else {
        msgpack_pack_nil(&pk);
    }
    proto__pack_str(&pk, p->origin_country);
    proto__pack_str(&pk, p->dispatch_country);
    proto__pack_str(&pk, p->destination_country);
    proto__pack_str(&pk, p->posting_datetime);
    proto__pack_str(&pk, p->expected_arrival);
    proto__pack_str(&pk, p->office_of_entry);
    proto__pack_str(&pk, p->currency);
    proto__pack_num(&pk, p->gross_weight_kg);
    proto__pack_num(&pk, p->declared_total_value);
    proto__pack_num(&pk, p->postal_charges);
    msgpack_pack_array(&pk, p->item_count);
    for (uint32_t i = 0; i < p->item_count; i++)
        s_pack_item(&pk, &p->items[i]);
}

void proto_parcel_batch_finish(core_buf_t *buf, uint32_t count)
{
    core_assert(buf != NULL);
    core_assert(count <= PROTO_MAX_BATCH_PARCELS);
    proto__batch_patch(buf, PROTO__PARCEL_BATCH_FIELDS - 1, count);
}

/* ============ Decoding ============ */

static const char *const s_sender_names[PROTO__PARTY_FIELDS] = {
    "sender.name",    "sender.address", "sender.city",  "sender.postcode",
    "sender.country", "sender.phone",   "sender.email", "sender.tax_id",
};
static const char *const s_recipient_names[PROTO__PARTY_FIELDS] = {
    "recipient.name",    "recipient.address", "recipient.city",  "recipient.postcode",
    "recipient.country", "recipient.phone",   "recipient.email", "recipient.tax_id",
};

static int s_read_party(proto_mpread_t *rd, const char *name, const char *const *names,
                        proto_party_t *party, char *err)
{
    uint32_t n;
    if (proto__read_array(rd, name, PROTO__PARTY_FIELDS, PROTO__PARTY_FIELDS, false, &n, err))
        return -EPROTO;
    core_str_t *fields[PROTO__PARTY_FIELDS] = {
        &party->name,    &party->address, &party->city,  &party->postcode,
        &party->country, &party->phone,   &party->email, &party->tax_id,
    };
    for (int i = 0; i < PROTO__PARTY_FIELDS; i++) {
        if (proto__read_str(rd, names[i], PROTO_MAX_FIELD_BYTES, fields[i], err))
            return -EPROTO;
    }
    return 0;
}

static int s_read_seller(proto_mpread_t *rd, proto_parcel_t *p, char *err)
{
    uint32_t n;
    if (proto__read_array(rd, "seller", PROTO__SELLER_FIELDS, PROTO__SELLER_FIELDS, true, &n, err))
        return -EPROTO;
    if (n == UINT32_MAX) {
        p->has_seller = false;
        memset(&p->seller, 0, sizeof(p->seller));
        return 0;
    }
    p->has_seller = true;
    if (proto__read_str(rd, "seller.name", PROTO_MAX_FIELD_BYTES, &p->seller.name, err) ||
        proto__read_str(rd, "seller.marketplace", PROTO_MAX_FIELD_BYTES, &p->seller.marketplace,
                        err) ||
        proto__read_str(rd, "seller.seller_id", PROTO_MAX_FIELD_BYTES, &p->seller.seller_id, err))
        return -EPROTO;
    return 0;
}

static int s_read_item(proto_mpread_t *rd, proto_item_t *item, char *err)
{
    uint32_t n;
    uint64_t line_no;
    if (proto__read_array(rd, "item", PROTO__ITEM_FIELDS, PROTO__ITEM_FIELDS, false, &n, err) ||
        proto__read_uint(rd, "line_no", UINT32_MAX, &line_no, err) ||
        proto__read_str(rd, "description", PROTO_MAX_FIELD_BYTES, &item->description, err) ||
        proto__read_str(rd, "hs_code", PROTO_MAX_FIELD_BYTES, &item->hs_code, err) ||
        proto__read_str(rd, "origin_country", PROTO_MAX_FIELD_BYTES, &item->origin_country, err) ||
        proto__read_str(rd, "sku", PROTO_MAX_FIELD_BYTES, &item->sku, err) ||
        proto__read_str(rd, "unit", PROTO_MAX_FIELD_BYTES, &item->unit, err) ||
        proto__read_num(rd, "quantity", &item->quantity, err) ||
        proto__read_num(rd, "net_weight_kg", &item->net_weight_kg, err) ||
        proto__read_num(rd, "unit_value", &item->unit_value, err))
        return -EPROTO;
    item->line_no = (uint32_t)line_no;
    if (item->description.len == 0) {
        core_err_set(err, "field 'description' is empty");
        return -EPROTO;
    }
    return 0;
}

/* Decodes one parcel; err gets "field '...' ..." (the caller adds "parcel N: "). */
static int s_read_parcel(proto_mpread_t *rd, proto_parcel_t *p, core_arena_t *arena, char *err)
{
    const uint32_t max = PROTO_MAX_FIELD_BYTES;
    uint32_t n;
    if (proto__read_array(rd, "parcel", PROTO__PARCEL_FIELDS, PROTO__PARCEL_FIELDS, false, &n,
                          err) ||
        proto__read_str(rd, "parcel_id", max, &p->parcel_id, err) ||
        proto__read_str(rd, "item_id", max, &p->item_id, err) ||
        proto__read_str(rd, "manifest_ref", max, &p->manifest_ref, err) ||
        proto__read_str(rd, "master_ref", max, &p->master_ref, err) ||
        proto__read_str(rd, "house_ref", max, &p->house_ref, err) ||
        proto__read_str(rd, "order_ref", max, &p->order_ref, err) ||
        proto__read_str(rd, "mail_class", max, &p->mail_class, err) ||
        proto__read_str(rd, "category_of_item", max, &p->category_of_item, err) ||
        s_read_party(rd, "sender", s_sender_names, &p->sender, err) ||
        s_read_party(rd, "recipient", s_recipient_names, &p->recipient, err) ||
        s_read_seller(rd, p, err) ||
        proto__read_str(rd, "origin_country", max, &p->origin_country, err) ||
        proto__read_str(rd, "dispatch_country", max, &p->dispatch_country, err) ||
        proto__read_str(rd, "destination_country", max, &p->destination_country, err) ||
        proto__read_str(rd, "posting_datetime", max, &p->posting_datetime, err) ||
        proto__read_str(rd, "expected_arrival", max, &p->expected_arrival, err) ||
        proto__read_str(rd, "office_of_entry", max, &p->office_of_entry, err) ||
        proto__read_str(rd, "currency", max, &p->currency, err) ||
        proto__read_num(rd, "gross_weight_kg", &p->gross_weight_kg, err) ||
        proto__read_num(rd, "declared_total_value", &p->declared_total_value, err) ||
        proto__read_num(rd, "postal_charges", &p->postal_charges, err))
        return -EPROTO;
    if (p->parcel_id.len == 0) {
        core_err_set(err, "field 'parcel_id' is empty");
        return -EPROTO;
    }
    if (proto__read_array(rd, "items", 1, PROTO_MAX_ITEMS, false, &p->item_count, err))
        return -EPROTO;
    p->items = core_arena_alloc(arena, (size_t)p->item_count * sizeof(*p->items));
    for (uint32_t i = 0; i < p->item_count; i++) {
        if (s_read_item(rd, &p->items[i], err) != 0) {
            core_err_prefix(err, "items[%u]", i);
            return -EPROTO;
        }
    }
    return 0;
}

int proto_parcel_batch_decode(const void *data, size_t len, proto_parcel_batch_t *out,
                              core_arena_t *arena, char *err)
{
    core_assert(data != NULL || len == 0);
    core_assert(out != NULL);
    core_assert(arena != NULL);
    memset(out, 0, sizeof(*out));
    proto_mpread_t rd;
    proto_mpread_init(&rd, data, len);
    uint64_t seq;
    int64_t ingest_ns;
    uint32_t count;
    if (proto__read_header(&rd, PROTO_MSG_PARCEL_BATCH, PROTO__PARCEL_BATCH_FIELDS, err) ||
        proto__read_uint(&rd, "seq", UINT64_MAX, &seq, err) ||
        proto__read_int(&rd, "ingest_ns", &ingest_ns, err) ||
        proto__read_array(&rd, "parcels", 0, PROTO_MAX_BATCH_PARCELS, false, &count, err)) {
        core_err_prefix(err, "parcel batch");
        return -EPROTO;
    }
    proto_parcel_t *parcels = NULL;
    if (count > 0)
        parcels = core_arena_alloc(arena, (size_t)count * sizeof(*parcels));
    for (uint32_t i = 0; i < count; i++) {
        if (s_read_parcel(&rd, &parcels[i], arena, err) != 0) {
            core_err_prefix(err, "parcel %u", i);
            return -EPROTO;
        }
    }
    if (proto__read_end(&rd, err) != 0)
        return -EPROTO;
    out->seq = seq;
    out->ingest_ns = ingest_ns;
    out->count = count;
    out->parcels = parcels;
    return 0;
}
