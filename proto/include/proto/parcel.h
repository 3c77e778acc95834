/* parcel.h -- the parcel record model (SPEC section 1) and the PARCEL_BATCH message.
 *
 * A proto_parcel_t is a plain struct of string views. Who owns the bytes depends on where it
 * came from: a decoder points the views into the message buffer (zero-copy; keep the buffer
 * alive), ingest points them into its parse buffers. Item arrays live in a core_arena_t that
 * the caller resets per batch, so decoding a batch does not call malloc in steady state.
 *
 * Numbers that a manifest leaves out are NAN. */
#ifndef PROTO_PARCEL_H
#define PROTO_PARCEL_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/core.h"
#include "core/str.h"
#include "proto/limits.h"

typedef struct {
    core_str_t name;     /* person or organisation */
    core_str_t address;  /* street lines */
    core_str_t city;     /* city */
    core_str_t postcode; /* postcode */
    core_str_t country;  /* ISO2 */
    core_str_t phone;    /* as written */
    core_str_t email;    /* as written */
    core_str_t tax_id;   /* as written */
} proto_party_t;

typedef struct {
    core_str_t name;        /* seller or shop name */
    core_str_t marketplace; /* platform */
    core_str_t seller_id;   /* platform's seller id */
} proto_seller_t;

typedef struct {
    uint32_t line_no;          /* 1-based line number as declared (0 when absent) */
    core_str_t description;    /* required, free text */
    core_str_t hs_code;        /* digits, leading zeros kept; may be empty */
    core_str_t origin_country; /* ISO2 */
    core_str_t sku;            /* shop SKU */
    core_str_t unit;           /* PCE, KGM, ... */
    double quantity;           /* NAN when absent */
    double net_weight_kg;      /* NAN when absent */
    double unit_value;         /* NAN when absent */
} proto_item_t;

typedef struct {
    core_str_t parcel_id;           /* required; the key of everything downstream */
    core_str_t item_id;             /* UPU S10 or carrier number */
    core_str_t manifest_ref;        /* consignment */
    core_str_t master_ref;          /* AWB */
    core_str_t house_ref;           /* HAWB */
    core_str_t order_ref;           /* shop order */
    core_str_t mail_class;          /* LETTER_SMALL_PACKET, PARCEL, EMS, EXPRESS */
    core_str_t category_of_item;    /* CN23 box 10 */
    proto_party_t sender;           /* consignor */
    proto_party_t recipient;        /* consignee */
    bool has_seller;                /* seller present and not null */
    proto_seller_t seller;          /* valid when has_seller */
    core_str_t origin_country;      /* ISO2 */
    core_str_t dispatch_country;    /* ISO2 */
    core_str_t destination_country; /* ISO2 */
    core_str_t posting_datetime;    /* RFC 3339 as written */
    core_str_t expected_arrival;    /* RFC 3339 as written */
    core_str_t office_of_entry;     /* customs office code */
    core_str_t currency;            /* ISO 4217 */
    double gross_weight_kg;         /* NAN when absent */
    double declared_total_value;    /* NAN when absent */
    double postal_charges;          /* NAN when absent */
    uint32_t item_count;            /* 1..PROTO_MAX_ITEMS */
    proto_item_t *items;            /* item_count entries; owner as described above */
} proto_parcel_t;

/* Sets every string empty, every number NAN, items NULL. */
void proto_parcel_init(proto_parcel_t *self);

/* ============ PARCEL_BATCH: ingest -> screen ============ */

typedef struct {
    uint64_t seq;            /* ingest's batch sequence number, unique within one ingest run */
    int64_t ingest_ns;       /* wall-clock ns when ingest read the batch's first record */
    uint32_t count;          /* parcels */
    proto_parcel_t *parcels; /* in the arena given to the decoder */
} proto_parcel_batch_t;

/* Builds a PARCEL_BATCH message parcel by parcel into one buffer. Usage:
 *   proto_parcel_batch_begin(&buf, seq, ingest_ns);
 *   proto_parcel_batch_add(&buf, &parcel);  ... (at most PROTO_MAX_BATCH_PARCELS)
 *   proto_parcel_batch_finish(&buf, count);
 * The buffer is reset by begin and holds the complete message after finish. Parcels are copied
 * in, so their source buffers may be reused right after add. */
void proto_parcel_batch_begin(core_buf_t *buf, uint64_t seq, int64_t ingest_ns);
void proto_parcel_batch_add(core_buf_t *buf, const proto_parcel_t *parcel);
void proto_parcel_batch_finish(core_buf_t *buf, uint32_t count);

/* Decodes a PARCEL_BATCH. String views point into 'data' (which must outlive 'out'); arrays
 * are allocated in 'arena'. Every count and length is checked against the bytes left and the
 * limits in limits.h before use. Returns 0, or -EPROTO with a one-line reason in err. */
int proto_parcel_batch_decode(const void *data, size_t len, proto_parcel_batch_t *out,
                              core_arena_t *arena, char *err);

#endif
