/* plant.c -- plants watchlist hits into clean parcels and writes the truth rows.
 *
 * DESIGN: a parcel is picked with probability --hit-rate; it then gets one hit (80%), two
 * (15%) or three (5%). A hit picks a kind first (name 40, keyword 30, hscode 10, country 10,
 * identifier 10, renormalised over the kinds the lists have), then a list holding rules of that
 * kind, then a rule of that list, then a field its scope allows that no other hit of this
 * parcel has used. Only rules the exact
 * matcher must find are planted, in variants the SPEC says the matcher tolerates:
 *   name        as listed | natural order ("LAST, First" -> "First LAST") | upper | lower |
 *               diacritics added to one or two letters (e -> é, ...)
 *   keyword     as listed | upper | lower, inserted into a description (or address, name)
 *               with word boundaries kept
 *   hscode      the watched prefix extended with random digits to 6..10 digits
 *   country     as listed, in origin_country, dispatch_country or a party's country
 *   identifier  as listed; a phone also with its digits regrouped, an e-mail also upper case
 * Regex rules are never planted (no generic way to write a string a regex must match), nor
 * rules with valid_from/valid_to (their hits depend on the screening date). One truth row per
 * planted hit: parcel_id,rule_id,field,planted_text,variant. */
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "internal.h"

/* Fields a parcel's hits may not share. */
enum {
    F_SENDER_NAME = 1u << 0,
    F_RECIPIENT_NAME = 1u << 1,
    F_SELLER_NAME = 1u << 2,
    F_SENDER_ADDRESS = 1u << 3,
    F_RECIPIENT_ADDRESS = 1u << 4,
    F_ORIGIN = 1u << 5,
    F_DISPATCH = 1u << 6,
    F_SENDER_COUNTRY = 1u << 7,
    F_RECIPIENT_COUNTRY = 1u << 8,
    F_SENDER_PHONE = 1u << 9,
    F_RECIPIENT_PHONE = 1u << 10,
    F_SENDER_EMAIL = 1u << 11,
    F_RECIPIENT_EMAIL = 1u << 12,
    F_SENDER_TAX = 1u << 13,
    F_RECIPIENT_TAX = 1u << 14,
    F_ITEM_ID = 1u << 15,
    F_HSCODE0 = 1u << 16, /* + item index */
};

typedef struct {
    gen__planter_t *self;
    gen__parcel_t *parcel;
    uint32_t used;           /* F_* bits */
    char field[48];          /* truth: field path */
    char text[GEN_NAME_LEN]; /* truth: planted text */
    const char *variant;     /* truth: variant */
} s_plant_t;

void gen__planter_init(gen__planter_t *self, uint64_t seed, double hit_rate, gen__rules_t *rules)
{
    memset(self, 0, sizeof(*self));
    gen__rng_seed(&self->rng, seed ^ 0x706c616e74ULL);
    self->rules = rules;
    self->hit_rate = hit_rate;
}

/* ============ Text variants ============ */

/* Upper- or lower-cases UTF-8 text code point by code point. */
static void s_case(const char *in, bool upper, char *out, size_t size)
{
    size_t len = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(in);
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0)
            break;
        cp = upper ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t m = utf8proc_encode_char(cp, enc);
        if (len + (size_t)m + 1 > size)
            break;
        memcpy(out + len, enc, (size_t)m);
        len += (size_t)m;
        p += n;
        left -= n;
    }
    out[len] = '\0';
}

static const char *s_accent(char c)
{
    switch (c) {
    case 'a':
        return "á";
    case 'e':
        return "é";
    case 'i':
        return "í";
    case 'o':
        return "ó";
    case 'u':
        return "ú";
    case 'n':
        return "ñ";
    case 'c':
        return "ç";
    case 'A':
        return "Á";
    case 'E':
        return "É";
    case 'I':
        return "Í";
    case 'O':
        return "Ó";
    case 'U':
        return "Ú";
    case 'N':
        return "Ñ";
    case 'C':
        return "Ç";
    default:
        return NULL;
    }
}

/* Adds diacritics to one or two ASCII letters. Returns false when none can take one. */
static bool s_diacritics(gen__rng_t *rng, const char *in, char *out, size_t size)
{
    size_t candidates[64], n = 0;
    for (size_t i = 0; in[i] && n < CORE_ARRAY_LEN(candidates); i++)
        if (s_accent(in[i]))
            candidates[n++] = i;
    if (n == 0)
        return false;
    size_t a = candidates[gen__rng_below(rng, (uint32_t)n)];
    size_t b = gen__rng_chance(rng, 0.4) ? candidates[gen__rng_below(rng, (uint32_t)n)] : a;
    size_t len = 0;
    for (size_t i = 0; in[i]; i++) {
        const char *rep = (i == a || i == b) ? s_accent(in[i]) : NULL;
        size_t m = rep ? strlen(rep) : 1;
        if (len + m + 1 > size)
            break;
        memcpy(out + len, rep ? rep : &in[i], m);
        len += m;
    }
    out[len] = '\0';
    return true;
}

static bool s_is_legal_form(const char *s)
{
    static const char *const forms[] = {"ltd",  "limited", "llc",  "inc", "co", "corp", "sa", "s.a",
                                        "gmbh", "ag",      "plc",  "srl", "bv", "nv",   "lp", "llp",
                                        "jsc",  "fze",     "sarl", "spa", "ca", "de",   NULL};
    char word[16];
    size_t len = 0;
    for (; *s && *s != ' ' && len + 1 < sizeof(word); s++)
        if (*s != '.' && *s != ',')
            word[len++] = (char)(*s | 0x20);
    word[len] = '\0';
    for (size_t i = 0; forms[i]; i++)
        if (strcmp(word, forms[i]) == 0)
            return true;
    return false;
}

/* "LAST, First Middle" -> "First Middle LAST"; false when the name is not in that form. */
static bool s_natural_order(const char *in, char *out, size_t size)
{
    const char *comma = strstr(in, ", ");
    if (comma == NULL || comma == in || strstr(comma + 2, ",") != NULL)
        return false;
    const char *rest = comma + 2;
    if (*rest == '\0' || s_is_legal_form(rest))
        return false;
    snprintf(out, size, "%s %.*s", rest, (int)(comma - in), in);
    return true;
}

/* out = a b c d (the caller checked that it fits; truncates otherwise). */
static void s_join(char *out, size_t size, const char *a, const char *b, const char *c,
                   const char *d)
{
    const char *parts[4] = {a, b, c, d};
    size_t len = 0;
    for (int i = 0; i < 4; i++) {
        size_t n = strlen(parts[i]);
        if (len + n + 1 > size)
            n = size - 1 - len;
        memcpy(out + len, parts[i], n);
        len += n;
    }
    out[len] = '\0';
}

/* ============ Kinds ============ */

static gen__party_t *s_party_for(s_plant_t *pl, const char *scope, uint32_t sender_bit,
                                 uint32_t recipient_bit, const char **path)
{
    bool sender;
    bool sender_free = !(pl->used & sender_bit), recipient_free = !(pl->used & recipient_bit);
    if (strncmp(scope, "sender.", 7) == 0 || strncmp(scope, "recipient.", 10) == 0)
        sender = scope[0] == 's';
    else if (sender_free != recipient_free)
        sender = sender_free; /* the one party still free */
    else
        sender = gen__rng_chance(&pl->self->rng, 0.5);
    uint32_t bit = sender ? sender_bit : recipient_bit;
    if (pl->used & bit)
        return NULL;
    pl->used |= bit;
    *path = sender ? "sender" : "recipient";
    return sender ? &pl->parcel->sender : &pl->parcel->recipient;
}

static void s_ensure_seller(s_plant_t *pl)
{
    gen__parcel_t *p = pl->parcel;
    if (p->has_seller)
        return;
    p->has_seller = true;
    const gen__country_t *c = gen__country_find(p->origin_country);
    const char *const *markets = c ? c->markets : gen__countries[0].markets;
    gen__copy(p->marketplace, sizeof(p->marketplace),
              markets[gen__rng_below(&pl->self->rng, (uint32_t)gen__list_len(markets))]);
    snprintf(p->seller_id, sizeof(p->seller_id), "S-%06u",
             gen__rng_below(&pl->self->rng, 1000000u));
}

static bool s_plant_name(s_plant_t *pl, const gen__rule_t *rule)
{
    gen__rng_t *rng = &pl->self->rng;
    char text[GEN_NAME_LEN];
    const char *variant = "asis";
    switch (gen__rng_below(rng, 5)) {
    case 0:
        gen__copy(text, sizeof(text), rule->pattern);
        break;
    case 1:
        if (s_natural_order(rule->pattern, text, sizeof(text)))
            variant = "natural";
        else
            gen__copy(text, sizeof(text), rule->pattern); /* not in "LAST, First" form */
        break;
    case 2:
        s_case(rule->pattern, true, text, sizeof(text));
        variant = "upper";
        break;
    case 3:
        s_case(rule->pattern, false, text, sizeof(text));
        variant = "lower";
        break;
    default:
        if (s_diacritics(rng, rule->pattern, text, sizeof(text)))
            variant = "diacritic";
        else
            gen__copy(text, sizeof(text), rule->pattern);
        break;
    }
    char *target;
    if (strcmp(rule->scope, "seller.name") == 0) {
        if (pl->used & F_SELLER_NAME)
            return false;
        pl->used |= F_SELLER_NAME;
        s_ensure_seller(pl);
        target = pl->parcel->seller_name;
        gen__copy(pl->field, sizeof(pl->field), "seller.name");
    } else {
        const char *path = NULL;
        gen__party_t *party = s_party_for(pl, rule->scope, F_SENDER_NAME, F_RECIPIENT_NAME, &path);
        if (party == NULL)
            return false;
        target = party->name;
        snprintf(pl->field, sizeof(pl->field), "%s.name", path);
    }
    gen__copy(target, GEN_NAME_LEN, text);
    gen__copy(pl->text, sizeof(pl->text), text);
    pl->variant = variant;
    return true;
}

static bool s_plant_keyword(s_plant_t *pl, const gen__rule_t *rule)
{
    gen__rng_t *rng = &pl->self->rng;
    char kw[GEN_NAME_LEN];
    const char *variant = "asis";
    uint32_t v = gen__rng_below(rng, 4);
    if (v == 2) {
        s_case(rule->pattern, true, kw, sizeof(kw));
        variant = "upper";
    } else if (v == 3) {
        s_case(rule->pattern, false, kw, sizeof(kw));
        variant = "lower";
    } else {
        gen__copy(kw, sizeof(kw), rule->pattern);
    }
    gen__parcel_t *p = pl->parcel;
    char *target;
    size_t size;
    bool description = strcmp(rule->scope, "items.description") == 0;
    if (description) {
        int i = (int)gen__rng_below(rng, (uint32_t)p->item_count);
        target = p->items[i].description;
        size = sizeof(p->items[i].description);
        snprintf(pl->field, sizeof(pl->field), "items[%d].description", i);
    } else if (strstr(rule->scope, ".address")) {
        const char *path = NULL;
        gen__party_t *party =
            s_party_for(pl, rule->scope, F_SENDER_ADDRESS, F_RECIPIENT_ADDRESS, &path);
        if (party == NULL)
            return false;
        target = party->address;
        size = sizeof(party->address);
        snprintf(pl->field, sizeof(pl->field), "%s.address", path);
    } else if (strcmp(rule->scope, "seller.name") == 0) {
        if (pl->used & F_SELLER_NAME)
            return false;
        pl->used |= F_SELLER_NAME;
        s_ensure_seller(pl);
        if (p->seller_name[0] == '\0')
            gen__copy(p->seller_name, sizeof(p->seller_name), "Goods");
        target = p->seller_name;
        size = sizeof(p->seller_name);
        gen__copy(pl->field, sizeof(pl->field), "seller.name");
    } else {
        const char *path = NULL;
        gen__party_t *party = s_party_for(pl, rule->scope, F_SENDER_NAME, F_RECIPIENT_NAME, &path);
        if (party == NULL)
            return false;
        target = party->name;
        size = sizeof(party->name);
        snprintf(pl->field, sizeof(pl->field), "%s.name", path);
    }
    char clean[GEN_DESCR_LEN];
    gen__copy(clean, sizeof(clean), target);
    if (strlen(clean) + strlen(kw) + 8 >= size)
        return false;
    if (!description) {
        s_join(target, size, clean, ", ", kw, "");
    } else {
        switch (gen__rng_below(rng, 4)) {
        case 0:
            s_join(target, size, kw, " ", clean, "");
            break;
        case 1:
            s_join(target, size, clean, ", ", kw, "");
            break;
        case 2:
            s_join(target, size, clean, " (", kw, ")");
            break;
        default:
            s_join(target, size, clean, " with ", kw, "");
            break;
        }
    }
    gen__copy(pl->text, sizeof(pl->text), kw);
    pl->variant = variant;
    return true;
}

static bool s_plant_hscode(s_plant_t *pl, const gen__rule_t *rule)
{
    gen__rng_t *rng = &pl->self->rng;
    gen__parcel_t *p = pl->parcel;
    int i = (int)gen__rng_below(rng, (uint32_t)p->item_count);
    if (pl->used & (F_HSCODE0 << i))
        return false;
    pl->used |= F_HSCODE0 << i;
    char code[16];
    size_t len = 0;
    for (const char *s = rule->pattern; *s && len < 10; s++)
        if (*s >= '0' && *s <= '9')
            code[len++] = *s;
    size_t min = len < 6 ? 6 : len;
    static const size_t lengths[] = {6, 6, 6, 8, 10};
    size_t target = lengths[gen__rng_below(rng, CORE_ARRAY_LEN(lengths))];
    if (target < min)
        target = min;
    while (len < target)
        code[len++] = (char)('0' + gen__rng_below(rng, 10));
    code[len] = '\0';
    gen__copy(p->items[i].hs_code, sizeof(p->items[i].hs_code), code);
    snprintf(pl->field, sizeof(pl->field), "items[%d].hs_code", i);
    gen__copy(pl->text, sizeof(pl->text), code);
    static const char *const variants[] = {
        "", "", "", "", "", "", "digits6", "digits7", "digits8", "digits9", "digits10"};
    pl->variant = variants[len];
    return true;
}

static bool s_plant_country(s_plant_t *pl, const gen__rule_t *rule)
{
    gen__parcel_t *p = pl->parcel;
    if (strcmp(rule->scope, "origin_country") == 0) {
        if (pl->used & F_ORIGIN)
            return false;
        pl->used |= F_ORIGIN;
        gen__copy(p->origin_country, sizeof(p->origin_country), rule->pattern);
        gen__copy(pl->field, sizeof(pl->field), "origin_country");
    } else if (strcmp(rule->scope, "dispatch_country") == 0) {
        if (pl->used & F_DISPATCH)
            return false;
        pl->used |= F_DISPATCH;
        gen__copy(p->dispatch_country, sizeof(p->dispatch_country), rule->pattern);
        gen__copy(pl->field, sizeof(pl->field), "dispatch_country");
        /* Keep an S10 id's country suffix consistent with the dispatch country. */
        if (!(pl->used & F_ITEM_ID) && gen_s10_valid(p->item_id))
            memcpy(p->item_id + 11, rule->pattern, 2);
    } else {
        const char *path = NULL;
        gen__party_t *party =
            s_party_for(pl, rule->scope, F_SENDER_COUNTRY, F_RECIPIENT_COUNTRY, &path);
        if (party == NULL)
            return false;
        gen__copy(party->country, sizeof(party->country), rule->pattern);
        snprintf(pl->field, sizeof(pl->field), "%s.country", path);
    }
    gen__copy(pl->text, sizeof(pl->text), rule->pattern);
    pl->variant = "asis";
    return true;
}

/* "+1 202 555 0147" -> "+12025550147" (the digits are what the matcher compares). */
static void s_regroup_phone(const char *in, char *out, size_t size)
{
    size_t len = 0;
    if (*in == '+' && len + 1 < size)
        out[len++] = '+';
    for (; *in && len + 1 < size; in++)
        if (*in >= '0' && *in <= '9')
            out[len++] = *in;
    out[len] = '\0';
}

static bool s_plant_identifier(s_plant_t *pl, const gen__rule_t *rule)
{
    gen__rng_t *rng = &pl->self->rng;
    gen__parcel_t *p = pl->parcel;
    char text[GEN_IDENT_LEN];
    const char *variant = "asis";
    gen__copy(text, sizeof(text), rule->pattern);
    char *target;
    if (strcmp(rule->scope, "item_id") == 0) {
        if (pl->used & F_ITEM_ID)
            return false;
        pl->used |= F_ITEM_ID;
        target = p->item_id;
        gen__copy(pl->field, sizeof(pl->field), "item_id");
    } else {
        const char *path = NULL;
        gen__party_t *party;
        if (strcmp(rule->scope, "party.phone") == 0) {
            party = s_party_for(pl, rule->scope, F_SENDER_PHONE, F_RECIPIENT_PHONE, &path);
            if (party && gen__rng_chance(rng, 0.5)) {
                s_regroup_phone(rule->pattern, text, sizeof(text));
                variant = "regrouped";
            }
            target = party ? party->phone : NULL;
            snprintf(pl->field, sizeof(pl->field), "%s.phone", path ? path : "");
        } else if (strcmp(rule->scope, "party.email") == 0) {
            party = s_party_for(pl, rule->scope, F_SENDER_EMAIL, F_RECIPIENT_EMAIL, &path);
            if (party && gen__rng_chance(rng, 0.3)) {
                s_case(rule->pattern, true, text, sizeof(text));
                variant = "upper";
            }
            target = party ? party->email : NULL;
            snprintf(pl->field, sizeof(pl->field), "%s.email", path ? path : "");
        } else {
            party = s_party_for(pl, rule->scope, F_SENDER_TAX, F_RECIPIENT_TAX, &path);
            target = party ? party->tax_id : NULL;
            snprintf(pl->field, sizeof(pl->field), "%s.tax_id", path ? path : "");
        }
        if (target == NULL)
            return false;
    }
    gen__copy(target, GEN_IDENT_LEN, text);
    gen__copy(pl->text, sizeof(pl->text), text);
    pl->variant = variant;
    return true;
}

/* ============ Driver ============ */

static void s_truth_row(core_buf_t *truth, const gen__parcel_t *parcel, const gen__rule_t *rule,
                        const s_plant_t *pl)
{
    gen__csv_field(truth, parcel->parcel_id);
    core_buf_append_byte(truth, ',');
    gen__csv_field(truth, rule->id);
    core_buf_append_byte(truth, ',');
    gen__csv_field(truth, pl->field);
    core_buf_append_byte(truth, ',');
    gen__csv_field(truth, pl->text);
    core_buf_append_byte(truth, ',');
    gen__csv_field(truth, pl->variant);
    core_buf_append_byte(truth, '\n');
}

void gen__planter_apply(gen__planter_t *self, gen__parcel_t *parcel, core_buf_t *truth)
{
    static const uint16_t kind_weights[GEN_KIND_COUNT] = {
        [GEN_KIND_NAME] = 40,    [GEN_KIND_KEYWORD] = 30,    [GEN_KIND_HSCODE] = 10,
        [GEN_KIND_COUNTRY] = 10, [GEN_KIND_IDENTIFIER] = 10,
    };
    uint16_t weights[GEN_KIND_COUNT];
    uint32_t sum = 0;
    for (int k = 0; k < GEN_KIND_COUNT; k++) {
        weights[k] = gen__rules_plantable(self->rules, (gen__kind_t)k) ? kind_weights[k] : 0;
        sum += weights[k];
    }
    if (sum == 0 || !gen__rng_chance(&self->rng, self->hit_rate))
        return;
    double r = gen__rng_unit(&self->rng);
    int wanted = r < 0.80 ? 1 : r < 0.95 ? 2 : 3;
    s_plant_t pl = {.self = self, .parcel = parcel};
    const gen__rule_t *planted[3] = {NULL, NULL, NULL};
    int done = 0;
    for (int attempt = 0; attempt < wanted * 4 && done < wanted; attempt++) {
        gen__kind_t kind = (gen__kind_t)gen__rng_weighted(&self->rng, weights, GEN_KIND_COUNT);
        const gen__rule_t *rule = gen__rules_plantable_pick(self->rules, kind, &self->rng);
        bool again = false;
        for (int i = 0; i < done; i++)
            again = again || planted[i] == rule;
        if (again)
            continue;
        bool ok = false;
        switch (kind) {
        case GEN_KIND_NAME:
            ok = s_plant_name(&pl, rule);
            break;
        case GEN_KIND_KEYWORD:
            ok = s_plant_keyword(&pl, rule);
            break;
        case GEN_KIND_HSCODE:
            ok = s_plant_hscode(&pl, rule);
            break;
        case GEN_KIND_COUNTRY:
            ok = s_plant_country(&pl, rule);
            break;
        case GEN_KIND_IDENTIFIER:
            ok = s_plant_identifier(&pl, rule);
            break;
        default:
            break;
        }
        if (!ok)
            continue;
        planted[done++] = rule;
        s_truth_row(truth, parcel, rule, &pl);
        self->hits++;
        self->by_kind[kind]++;
    }
    if (done > 0)
        self->parcels_hit++;
}
