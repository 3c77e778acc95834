/* fixtures.h -- shared test data for the proto tests: a parcel with every field set, and a
 * tiny hand-written MessagePack writer for messages our encoders refuse to produce. */
#ifndef TEST_PROTO_FIXTURES_H
#define TEST_PROTO_FIXTURES_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "proto/control.h"
#include "proto/limits.h"
#include "proto/parcel.h"

/* ============ Hand-written MessagePack (big-endian, smallest form unless asked) ============ */

static inline void tw_byte(core_buf_t *b, unsigned c)
{
    core_buf_append_byte(b, (char)(unsigned char)c);
}

static inline void tw_be(core_buf_t *b, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--)
        tw_byte(b, (unsigned)(v >> (8 * i)) & 0xff);
}

static inline void tw_uint(core_buf_t *b, uint64_t v)
{
    if (v < 128) {
        tw_byte(b, (unsigned)v);
    } else if (v <= 0xffff) {
        tw_byte(b, 0xcd);
        tw_be(b, v, 2);
    } else {
        tw_byte(b, 0xcf);
        tw_be(b, v, 8);
    }
}

static inline void tw_array(core_buf_t *b, uint32_t n)
{
    if (n < 16) {
        tw_byte(b, 0x90 | n);
    } else if (n <= 0xffff) {
        tw_byte(b, 0xdc);
        tw_be(b, n, 2);
    } else {
        tw_byte(b, 0xdd);
        tw_be(b, n, 4);
    }
}

static inline void tw_map(core_buf_t *b, uint32_t n)
{
    if (n < 16) {
        tw_byte(b, 0x80 | n);
    } else {
        tw_byte(b, 0xde);
        tw_be(b, n, 2);
    }
}

static inline void tw_strn(core_buf_t *b, const char *s, size_t len)
{
    if (len < 32) {
        tw_byte(b, 0xa0 | (unsigned)len);
    } else if (len <= 0xff) {
        tw_byte(b, 0xd9);
        tw_be(b, len, 1);
    } else if (len <= 0xffff) {
        tw_byte(b, 0xda);
        tw_be(b, len, 2);
    } else {
        tw_byte(b, 0xdb);
        tw_be(b, len, 4);
    }
    core_buf_append(b, s, len);
}

static inline void tw_str(core_buf_t *b, const char *s)
{
    tw_strn(b, s, strlen(s));
}

static inline void tw_nil(core_buf_t *b)
{
    tw_byte(b, 0xc0);
}

static inline void tw_f64(core_buf_t *b, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof(bits));
    tw_byte(b, 0xcb);
    tw_be(b, bits, 8);
}

/* [1, type] header of a message with 'fields' elements. */
static inline void tw_header(core_buf_t *b, uint32_t fields, unsigned type)
{
    tw_array(b, fields);
    tw_uint(b, PROTO_VERSION);
    tw_uint(b, type);
}

/* Options for a hand-written parcel; zeroed = a valid minimal parcel with one item. */
typedef struct {
    const char *parcel_id;   /* NULL: "P1" */
    uint32_t items;          /* 0: 1 item; use items_zero for a real 0 */
    bool items_zero;         /* write an empty items array */
    const char *description; /* NULL: "usb cable" */
    size_t description_len;  /* 0: strlen(description) */
    bool items_as_str;       /* write items as a string */
} tw_parcel_opts_t;

/* Writes a parcel array as our encoder lays it out (proto/README.md). */
static inline void tw_parcel(core_buf_t *b, const tw_parcel_opts_t *o)
{
    tw_array(b, 22);
    tw_str(b, o->parcel_id ? o->parcel_id : "P1");
    for (int i = 0; i < 7; i++) /* item_id .. category_of_item */
        tw_str(b, "");
    for (int party = 0; party < 2; party++) {
        tw_array(b, 8);
        for (int i = 0; i < 8; i++)
            tw_str(b, "x");
    }
    tw_nil(b);                  /* seller */
    for (int i = 0; i < 7; i++) /* origin_country .. currency */
        tw_str(b, "");
    tw_f64(b, 1.5);
    tw_nil(b);
    tw_uint(b, 3);
    if (o->items_as_str) {
        tw_str(b, "items");
        return;
    }
    uint32_t n = o->items_zero ? 0 : (o->items ? o->items : 1);
    tw_array(b, n);
    const char *d = o->description ? o->description : "usb cable";
    size_t dlen = o->description_len ? o->description_len : strlen(d);
    for (uint32_t i = 0; i < n; i++) {
        tw_array(b, 9);
        tw_uint(b, i + 1);
        tw_strn(b, d, dlen);
        for (int k = 0; k < 4; k++)
            tw_str(b, "");
        tw_nil(b);
        tw_nil(b);
        tw_f64(b, 2.25);
    }
}

/* A one-parcel PARCEL_BATCH around tw_parcel. */
static inline void tw_parcel_batch(core_buf_t *b, const tw_parcel_opts_t *o)
{
    core_buf_reset(b);
    tw_header(b, 5, PROTO_MSG_PARCEL_BATCH);
    tw_uint(b, 7);
    tw_uint(b, 1000);
    tw_array(b, 1);
    tw_parcel(b, o);
}

/* ============ A parcel with every field set ============ */

typedef struct {
    proto_parcel_t parcel;
    proto_item_t items[PROTO_MAX_ITEMS];
    char descr[PROTO_MAX_ITEMS][48];
} fx_parcel_t;

static inline core_str_t fx_s(const char *s)
{
    return core_str_from(s);
}

/* Fills every field; 'items' item lines; UTF-8 in names and descriptions. */
static inline void fx_parcel_full(fx_parcel_t *fx, const char *parcel_id, uint32_t items)
{
    proto_parcel_t *p = &fx->parcel;
    proto_parcel_init(p);
    p->parcel_id = fx_s(parcel_id);
    p->item_id = fx_s("LX123456785CN");
    p->manifest_ref = fx_s("MAN-2026-0001");
    p->master_ref = fx_s("176-12345675");
    p->house_ref = fx_s("HAWB-9");
    p->order_ref = fx_s("ORD-77");
    p->mail_class = fx_s("PARCEL");
    p->category_of_item = fx_s("SALE_OF_GOODS");
    p->sender = (proto_party_t){fx_s("Zhāng Wěi 张伟"),
                                fx_s("1 Rue de la Paix"),
                                fx_s("Shenzhen"),
                                fx_s("518000"),
                                fx_s("CN"),
                                fx_s("+86 755 1234"),
                                fx_s("zw@example.cn"),
                                fx_s("CN-TAX-1")};
    p->recipient = (proto_party_t){
        fx_s("Jürgen Müller"), fx_s("Hauptstraße 5"), fx_s("Köln"), fx_s("50667"), fx_s("DE"),
        fx_s("+49 221 555"),   fx_s("jm@example.de"), fx_s("DE123")};
    p->has_seller = true;
    p->seller = (proto_seller_t){fx_s("Shop “Ω”"), fx_s("marketplace.example"), fx_s("S-1")};
    p->origin_country = fx_s("CN");
    p->dispatch_country = fx_s("HK");
    p->destination_country = fx_s("DE");
    p->posting_datetime = fx_s("2026-11-26T16:20:40Z");
    p->expected_arrival = fx_s("2026-12-01T00:00:00+01:00");
    p->office_of_entry = fx_s("DE004851");
    p->currency = fx_s("EUR");
    p->gross_weight_kg = 1.25;
    p->declared_total_value = 99.99;
    p->postal_charges = NAN;
    for (uint32_t i = 0; i < items; i++) {
        proto_item_t *it = &fx->items[i];
        snprintf(fx->descr[i], sizeof(fx->descr[i]), "crème brûlée torch %u", i);
        *it = (proto_item_t){.line_no = i + 1,
                             .description = fx_s(fx->descr[i]),
                             .hs_code = fx_s("0851610000"),
                             .origin_country = fx_s("CN"),
                             .sku = fx_s(""),
                             .unit = fx_s("PCE"),
                             .quantity = (double)i,
                             .net_weight_kg = NAN,
                             .unit_value = -0.5};
    }
    p->item_count = items;
    p->items = fx->items;
}

#endif
