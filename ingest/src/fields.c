/* fields.c -- the record model's keys (SPEC section 1) and the validator all formats share.
 *
 * DESIGN: each struct of proto/parcel.h has one table of (key, kind, offset). The JSON and
 * MessagePack mappers look keys up here and write at the offset; the validator walks the same
 * tables, so a field added to the model is parsed and checked once it is listed here. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define F(name, kind, type, member)                                                                \
    {                                                                                              \
        name, (uint8_t)(sizeof(name) - 1), kind, (uint16_t)offsetof(type, member)                  \
    }

static const ingest__field_t s_parcel_fields[] = {
    F("parcel_id", INGEST__F_STR, proto_parcel_t, parcel_id),
    F("items", INGEST__F_ITEMS, proto_parcel_t, items),
    F("item_id", INGEST__F_STR, proto_parcel_t, item_id),
    F("sender", INGEST__F_PARTY, proto_parcel_t, sender),
    F("recipient", INGEST__F_PARTY, proto_parcel_t, recipient),
    F("seller", INGEST__F_SELLER, proto_parcel_t, seller),
    F("manifest_ref", INGEST__F_STR, proto_parcel_t, manifest_ref),
    F("master_ref", INGEST__F_STR, proto_parcel_t, master_ref),
    F("house_ref", INGEST__F_STR, proto_parcel_t, house_ref),
    F("order_ref", INGEST__F_STR, proto_parcel_t, order_ref),
    F("mail_class", INGEST__F_STR, proto_parcel_t, mail_class),
    F("category_of_item", INGEST__F_STR, proto_parcel_t, category_of_item),
    F("origin_country", INGEST__F_STR, proto_parcel_t, origin_country),
    F("dispatch_country", INGEST__F_STR, proto_parcel_t, dispatch_country),
    F("destination_country", INGEST__F_STR, proto_parcel_t, destination_country),
    F("posting_datetime", INGEST__F_STR, proto_parcel_t, posting_datetime),
    F("expected_arrival", INGEST__F_STR, proto_parcel_t, expected_arrival),
    F("office_of_entry", INGEST__F_STR, proto_parcel_t, office_of_entry),
    F("currency", INGEST__F_STR, proto_parcel_t, currency),
    F("gross_weight_kg", INGEST__F_NUM, proto_parcel_t, gross_weight_kg),
    F("declared_total_value", INGEST__F_NUM, proto_parcel_t, declared_total_value),
    F("postal_charges", INGEST__F_NUM, proto_parcel_t, postal_charges),
};

static const ingest__field_t s_party_fields[] = {
    F("name", INGEST__F_STR, proto_party_t, name),
    F("address", INGEST__F_STR, proto_party_t, address),
    F("city", INGEST__F_STR, proto_party_t, city),
    F("postcode", INGEST__F_STR, proto_party_t, postcode),
    F("country", INGEST__F_STR, proto_party_t, country),
    F("phone", INGEST__F_STR, proto_party_t, phone),
    F("email", INGEST__F_STR, proto_party_t, email),
    F("tax_id", INGEST__F_STR, proto_party_t, tax_id),
};

static const ingest__field_t s_seller_fields[] = {
    F("name", INGEST__F_STR, proto_seller_t, name),
    F("marketplace", INGEST__F_STR, proto_seller_t, marketplace),
    F("seller_id", INGEST__F_STR, proto_seller_t, seller_id),
};

static const ingest__field_t s_item_fields[] = {
    F("line_no", INGEST__F_U32, proto_item_t, line_no),
    F("description", INGEST__F_STR, proto_item_t, description),
    F("quantity", INGEST__F_NUM, proto_item_t, quantity),
    F("unit", INGEST__F_STR, proto_item_t, unit),
    F("net_weight_kg", INGEST__F_NUM, proto_item_t, net_weight_kg),
    F("unit_value", INGEST__F_NUM, proto_item_t, unit_value),
    F("hs_code", INGEST__F_STR, proto_item_t, hs_code),
    F("origin_country", INGEST__F_STR, proto_item_t, origin_country),
    F("sku", INGEST__F_STR, proto_item_t, sku),
};

#undef F

const ingest__table_t ingest__parcel_table = {s_parcel_fields, CORE_ARRAY_LEN(s_parcel_fields)};
const ingest__table_t ingest__party_table = {s_party_fields, CORE_ARRAY_LEN(s_party_fields)};
const ingest__table_t ingest__seller_table = {s_seller_fields, CORE_ARRAY_LEN(s_seller_fields)};
const ingest__table_t ingest__item_table = {s_item_fields, CORE_ARRAY_LEN(s_item_fields)};

void ingest__item_init(proto_item_t *item)
{
    memset(item, 0, sizeof(*item));
    item->quantity = NAN;
    item->net_weight_kg = NAN;
    item->unit_value = NAN;
}

/* ============ UTF-8 ============ */

bool ingest__utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, sizeof(w));
        if (w & 0x8080808080808080ULL)
            break;
        i += 8;
    }
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    return i == len || core_utf8_valid(s + i, len - i);
}

void ingest__id_text(core_str_t id, char *out, size_t out_len)
{
    core_assert(out != NULL && out_len >= 8);
    size_t max = out_len - 4; /* room for "..." and NUL */
    size_t n = id.len < max ? id.len : max;
    bool utf8 = ingest__utf8_valid(id.ptr, id.len);
    /* Never cut a UTF-8 sequence in two. */
    while (utf8 && n < id.len && n > 0 && ((unsigned char)id.ptr[n] & 0xC0) == 0x80)
        n--;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id.ptr[i];
        if (c >= 0x20 && c != 0x7f && (c < 0x80 || utf8))
            out[w++] = id.ptr[i];
        else
            out[w++] = '?';
    }
    if (n < id.len) {
        memcpy(out + w, "...", 3);
        w += 3;
    }
    out[w] = '\0';
}

/* ============ Validation ============ */

static int s_check_str(core_str_t s, const char *prefix, int item, const char *name,
                       bool utf8_checked, char *err)
{
    if (s.len > PROTO_MAX_FIELD_BYTES) {
        if (item >= 0)
            core_err_set(err, "field 'items[%d].%s' is longer than %d bytes", item, name,
                         PROTO_MAX_FIELD_BYTES);
        else
            core_err_set(err, "field '%s%s' is longer than %d bytes", prefix, name,
                         PROTO_MAX_FIELD_BYTES);
        return -EINVAL;
    }
    if (!utf8_checked && !ingest__utf8_valid(s.ptr, s.len)) {
        if (item >= 0)
            core_err_set(err, "field 'items[%d].%s' is not valid UTF-8", item, name);
        else
            core_err_set(err, "field '%s%s' is not valid UTF-8", prefix, name);
        return -EINVAL;
    }
    return 0;
}

static int s_check_num(double x, const char *prefix, int item, const char *name, char *err)
{
    if (!isinf(x))
        return 0;
    if (item >= 0)
        core_err_set(err, "field 'items[%d].%s' is not a finite number", item, name);
    else
        core_err_set(err, "field '%s%s' is not a finite number", prefix, name);
    return -EINVAL;
}

/* Checks every STR and NUM field of one struct described by 'table'. */
static int s_check_struct(const ingest__table_t *table, const void *obj, const char *prefix,
                          int item, bool utf8_checked, char *err)
{
    for (uint32_t i = 0; i < table->count; i++) {
        const ingest__field_t *f = &table->fields[i];
        const char *at = (const char *)obj + f->offset;
        int rc = 0;
        if (f->kind == INGEST__F_STR) {
            core_str_t s;
            memcpy(&s, at, sizeof(s));
            rc = s_check_str(s, prefix, item, f->name, utf8_checked, err);
        } else if (f->kind == INGEST__F_NUM) {
            double x;
            memcpy(&x, at, sizeof(x));
            rc = s_check_num(x, prefix, item, f->name, err);
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}

int ingest__validate(const proto_parcel_t *p, bool utf8_checked, char *err)
{
    core_assert(p != NULL);
    if (p->parcel_id.len == 0) {
        core_err_set(err, "required field 'parcel_id' is missing or empty");
        return -EINVAL;
    }
    for (uint32_t i = 0; i < p->parcel_id.len; i++) {
        unsigned char c = (unsigned char)p->parcel_id.ptr[i];
        if (c < 0x20 || c == 0x7f) {
            core_err_set(err, "field 'parcel_id' contains a control character");
            return -EINVAL;
        }
    }
    if (p->item_count == 0) {
        core_err_set(err, "required field 'items' is missing or empty");
        return -EINVAL;
    }
    if (p->item_count > PROTO_MAX_ITEMS) {
        core_err_set(err, "more than %d items", PROTO_MAX_ITEMS);
        return -EINVAL;
    }
    if (s_check_struct(&ingest__parcel_table, p, "", -1, utf8_checked, err) != 0 ||
        s_check_struct(&ingest__party_table, &p->sender, "sender.", -1, utf8_checked, err) != 0 ||
        s_check_struct(&ingest__party_table, &p->recipient, "recipient.", -1, utf8_checked, err) !=
            0 ||
        s_check_struct(&ingest__seller_table, &p->seller, "seller.", -1, utf8_checked, err) != 0)
        return -EINVAL;
    for (uint32_t i = 0; i < p->item_count; i++) {
        const proto_item_t *it = &p->items[i];
        if (it->description.len == 0) {
            core_err_set(err, "required field 'items[%u].description' is missing or empty", i);
            return -EINVAL;
        }
        if (s_check_struct(&ingest__item_table, it, "", (int)i, utf8_checked, err) != 0)
            return -EINVAL;
    }
    return 0;
}
