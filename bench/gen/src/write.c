/* write.c -- one parcel in the three SPEC encodings: NDJSON, flat CSV, MessagePack.
 *
 * All three are written from the same gen__parcel_t, so they describe exactly the same
 * parcels. Numbers are rounded when the parcel is built (cents, grams) and printed with the
 * fewest digits that read back as the same double, so the text encodings and MessagePack's
 * doubles agree. The CSV has the columns of data/manifests/synthetic/sample_manifest_flat.csv,
 * then the parcel fields that sample lacks (GEN_CSV_EXTRA). */
#include <stdio.h>
#include <string.h>

#include <msgpack.h>

#include "internal.h"

/* Prints v with at most 'decimals' decimals, trailing zeros dropped ("16.2", "3"). */
static void s_number(core_buf_t *out, double v, int decimals)
{
    char tmp[64];
    int n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
    if (n <= 0 || (size_t)n >= sizeof(tmp))
        return;
    if (strchr(tmp, '.')) {
        while (n > 0 && tmp[n - 1] == '0')
            n--;
        if (n > 0 && tmp[n - 1] == '.')
            n--;
    }
    if (n == 2 && tmp[0] == '-' && tmp[1] == '0')
        n = 1, tmp[0] = '0';
    core_buf_append(out, tmp, (size_t)n);
}

/* ============ CSV ============ */

#define GEN_CSV_COLUMNS                                                                            \
    "parcel_id,item_id,manifest_ref,master_ref,mail_class,category_of_item,sender_name,"           \
    "sender_address,sender_city,sender_postcode,sender_country,recipient_name,"                    \
    "recipient_address,recipient_city,recipient_postcode,recipient_country,recipient_phone,"       \
    "recipient_tax_id,seller_name,marketplace,order_ref,origin_country,destination_country,"       \
    "posting_datetime,expected_arrival,office_of_entry,gross_weight_kg,declared_total_value,"      \
    "currency,line_no,description,quantity,unit,net_weight_kg,unit_value,hs_code,"                 \
    "item_origin_country,sku"
#define GEN_CSV_EXTRA                                                                              \
    "house_ref,dispatch_country,sender_phone,sender_email,sender_tax_id,recipient_email,"          \
    "seller_id,postal_charges"

void gen__csv_header(core_buf_t *out)
{
    core_buf_append_str(out, GEN_CSV_COLUMNS "," GEN_CSV_EXTRA "\n");
}

void gen__csv_field(core_buf_t *out, const char *s)
{
    core_buf_append_csv_field(out, s, strlen(s));
}

static void s_csv_str(core_buf_t *out, const char *s)
{
    gen__csv_field(out, s);
    core_buf_append_byte(out, ',');
}

static void s_csv_num(core_buf_t *out, double v, int decimals)
{
    s_number(out, v, decimals);
    core_buf_append_byte(out, ',');
}

void gen__csv_parcel(core_buf_t *out, const gen__parcel_t *p)
{
    for (int i = 0; i < p->item_count; i++) {
        const gen__item_t *it = &p->items[i];
        s_csv_str(out, p->parcel_id);
        s_csv_str(out, p->item_id);
        s_csv_str(out, p->manifest_ref);
        s_csv_str(out, p->master_ref);
        s_csv_str(out, p->mail_class);
        s_csv_str(out, p->category_of_item);
        s_csv_str(out, p->sender.name);
        s_csv_str(out, p->sender.address);
        s_csv_str(out, p->sender.city);
        s_csv_str(out, p->sender.postcode);
        s_csv_str(out, p->sender.country);
        s_csv_str(out, p->recipient.name);
        s_csv_str(out, p->recipient.address);
        s_csv_str(out, p->recipient.city);
        s_csv_str(out, p->recipient.postcode);
        s_csv_str(out, p->recipient.country);
        s_csv_str(out, p->recipient.phone);
        s_csv_str(out, p->recipient.tax_id);
        s_csv_str(out, p->has_seller ? p->seller_name : "");
        s_csv_str(out, p->has_seller ? p->marketplace : "");
        s_csv_str(out, p->order_ref);
        s_csv_str(out, p->origin_country);
        s_csv_str(out, p->destination_country);
        s_csv_str(out, p->posting_datetime);
        s_csv_str(out, p->expected_arrival);
        s_csv_str(out, p->office_of_entry);
        s_csv_num(out, p->gross_weight_kg, 3);
        s_csv_num(out, p->declared_total_value, 2);
        s_csv_str(out, p->currency);
        core_buf_printf(out, "%d,", it->line_no);
        s_csv_str(out, it->description);
        core_buf_printf(out, "%d,", it->quantity);
        s_csv_str(out, it->unit);
        s_csv_num(out, it->net_weight_kg, 3);
        s_csv_num(out, it->unit_value, 2);
        s_csv_str(out, it->hs_code);
        s_csv_str(out, it->origin_country);
        s_csv_str(out, it->sku);
        s_csv_str(out, p->house_ref);
        s_csv_str(out, p->dispatch_country);
        s_csv_str(out, p->sender.phone);
        s_csv_str(out, p->sender.email);
        s_csv_str(out, p->sender.tax_id);
        s_csv_str(out, p->recipient.email);
        s_csv_str(out, p->has_seller ? p->seller_id : "");
        s_number(out, p->postal_charges, 2);
        core_buf_append_byte(out, '\n');
    }
}

/* ============ NDJSON ============ */

static void s_json_key(core_buf_t *out, const char *key, bool first)
{
    if (!first)
        core_buf_append_byte(out, ',');
    core_buf_append_byte(out, '"');
    core_buf_append_str(out, key);
    core_buf_append_str(out, "\":");
}

static void s_json_str(core_buf_t *out, const char *key, const char *value, bool first)
{
    s_json_key(out, key, first);
    core_buf_append_json_str(out, value, strlen(value));
}

static void s_json_num(core_buf_t *out, const char *key, double value, int decimals)
{
    s_json_key(out, key, false);
    s_number(out, value, decimals);
}

static void s_json_party(core_buf_t *out, const char *key, const gen__party_t *party)
{
    s_json_key(out, key, false);
    core_buf_append_byte(out, '{');
    s_json_str(out, "name", party->name, true);
    s_json_str(out, "address", party->address, false);
    s_json_str(out, "city", party->city, false);
    s_json_str(out, "postcode", party->postcode, false);
    s_json_str(out, "country", party->country, false);
    s_json_str(out, "phone", party->phone, false);
    s_json_str(out, "email", party->email, false);
    s_json_str(out, "tax_id", party->tax_id, false);
    core_buf_append_byte(out, '}');
}

void gen__ndjson_parcel(core_buf_t *out, const gen__parcel_t *p)
{
    core_buf_append_byte(out, '{');
    s_json_str(out, "parcel_id", p->parcel_id, true);
    s_json_str(out, "item_id", p->item_id, false);
    s_json_str(out, "manifest_ref", p->manifest_ref, false);
    s_json_str(out, "master_ref", p->master_ref, false);
    s_json_str(out, "house_ref", p->house_ref, false);
    s_json_str(out, "order_ref", p->order_ref, false);
    s_json_str(out, "mail_class", p->mail_class, false);
    s_json_str(out, "category_of_item", p->category_of_item, false);
    s_json_party(out, "sender", &p->sender);
    s_json_party(out, "recipient", &p->recipient);
    s_json_key(out, "seller", false);
    if (p->has_seller) {
        core_buf_append_byte(out, '{');
        s_json_str(out, "name", p->seller_name, true);
        s_json_str(out, "marketplace", p->marketplace, false);
        s_json_str(out, "seller_id", p->seller_id, false);
        core_buf_append_byte(out, '}');
    } else {
        core_buf_append_str(out, "null");
    }
    s_json_str(out, "origin_country", p->origin_country, false);
    s_json_str(out, "dispatch_country", p->dispatch_country, false);
    s_json_str(out, "destination_country", p->destination_country, false);
    s_json_str(out, "posting_datetime", p->posting_datetime, false);
    s_json_str(out, "expected_arrival", p->expected_arrival, false);
    s_json_str(out, "office_of_entry", p->office_of_entry, false);
    s_json_num(out, "gross_weight_kg", p->gross_weight_kg, 3);
    s_json_num(out, "declared_total_value", p->declared_total_value, 2);
    s_json_num(out, "postal_charges", p->postal_charges, 2);
    s_json_str(out, "currency", p->currency, false);
    s_json_key(out, "items", false);
    core_buf_append_byte(out, '[');
    for (int i = 0; i < p->item_count; i++) {
        const gen__item_t *it = &p->items[i];
        if (i > 0)
            core_buf_append_byte(out, ',');
        core_buf_append_byte(out, '{');
        s_json_key(out, "line_no", true);
        core_buf_printf(out, "%d", it->line_no);
        s_json_str(out, "description", it->description, false);
        s_json_key(out, "quantity", false);
        core_buf_printf(out, "%d", it->quantity);
        s_json_str(out, "unit", it->unit, false);
        s_json_num(out, "net_weight_kg", it->net_weight_kg, 3);
        s_json_num(out, "unit_value", it->unit_value, 2);
        s_json_str(out, "hs_code", it->hs_code, false);
        s_json_str(out, "origin_country", it->origin_country, false);
        s_json_str(out, "sku", it->sku, false);
        core_buf_append_byte(out, '}');
    }
    core_buf_append_str(out, "]}\n");
}

/* ============ MessagePack ============ */

static int s_mp_write(void *data, const char *buf, size_t len)
{
    core_buf_append((core_buf_t *)data, buf, len);
    return 0;
}

static void s_mp_str(msgpack_packer *pk, const char *s)
{
    size_t len = strlen(s);
    msgpack_pack_str(pk, len);
    msgpack_pack_str_body(pk, s, len);
}

static void s_mp_kv(msgpack_packer *pk, const char *key, const char *value)
{
    s_mp_str(pk, key);
    s_mp_str(pk, value);
}

static void s_mp_kd(msgpack_packer *pk, const char *key, double value)
{
    s_mp_str(pk, key);
    msgpack_pack_double(pk, value);
}

static void s_mp_party(msgpack_packer *pk, const char *key, const gen__party_t *party)
{
    s_mp_str(pk, key);
    msgpack_pack_map(pk, 8);
    s_mp_kv(pk, "name", party->name);
    s_mp_kv(pk, "address", party->address);
    s_mp_kv(pk, "city", party->city);
    s_mp_kv(pk, "postcode", party->postcode);
    s_mp_kv(pk, "country", party->country);
    s_mp_kv(pk, "phone", party->phone);
    s_mp_kv(pk, "email", party->email);
    s_mp_kv(pk, "tax_id", party->tax_id);
}

void gen__msgpack_parcel(core_buf_t *out, const gen__parcel_t *p)
{
    msgpack_packer pk;
    msgpack_packer_init(&pk, out, s_mp_write);
    msgpack_pack_map(&pk, 22);
    s_mp_kv(&pk, "parcel_id", p->parcel_id);
    s_mp_kv(&pk, "item_id", p->item_id);
    s_mp_kv(&pk, "manifest_ref", p->manifest_ref);
    s_mp_kv(&pk, "master_ref", p->master_ref);
    s_mp_kv(&pk, "house_ref", p->house_ref);
    s_mp_kv(&pk, "order_ref", p->order_ref);
    s_mp_kv(&pk, "mail_class", p->mail_class);
    s_mp_kv(&pk, "category_of_item", p->category_of_item);
    s_mp_party(&pk, "sender", &p->sender);
    s_mp_party(&pk, "recipient", &p->recipient);
    s_mp_str(&pk, "seller");
    if (p->has_seller) {
        msgpack_pack_map(&pk, 3);
        s_mp_kv(&pk, "name", p->seller_name);
        s_mp_kv(&pk, "marketplace", p->marketplace);
        s_mp_kv(&pk, "seller_id", p->seller_id);
    } else {
        msgpack_pack_nil(&pk);
    }
    s_mp_kv(&pk, "origin_country", p->origin_country);
    s_mp_kv(&pk, "dispatch_country", p->dispatch_country);
    s_mp_kv(&pk, "destination_country", p->destination_country);
    s_mp_kv(&pk, "posting_datetime", p->posting_datetime);
    s_mp_kv(&pk, "expected_arrival", p->expected_arrival);
    s_mp_kv(&pk, "office_of_entry", p->office_of_entry);
    s_mp_kd(&pk, "gross_weight_kg", p->gross_weight_kg);
    s_mp_kd(&pk, "declared_total_value", p->declared_total_value);
    s_mp_kd(&pk, "postal_charges", p->postal_charges);
    s_mp_kv(&pk, "currency", p->currency);
    s_mp_str(&pk, "items");
    msgpack_pack_array(&pk, (size_t)p->item_count);
    for (int i = 0; i < p->item_count; i++) {
        const gen__item_t *it = &p->items[i];
        msgpack_pack_map(&pk, 9);
        s_mp_str(&pk, "line_no");
        msgpack_pack_int(&pk, it->line_no);
        s_mp_kv(&pk, "description", it->description);
        s_mp_str(&pk, "quantity");
        msgpack_pack_int(&pk, it->quantity);
        s_mp_kv(&pk, "unit", it->unit);
        s_mp_kd(&pk, "net_weight_kg", it->net_weight_kg);
        s_mp_kd(&pk, "unit_value", it->unit_value);
        s_mp_kv(&pk, "hs_code", it->hs_code);
        s_mp_kv(&pk, "origin_country", it->origin_country);
        s_mp_kv(&pk, "sku", it->sku);
    }
}
