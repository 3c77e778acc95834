/* build.c -- composes one clean parcel at a time from the vocabularies.
 *
 * DESIGN: parcels come in manifests (50..400 parcels sharing dispatch country, destination,
 * AWB and office of entry), as a post's dispatch would. Every free-text or coded field that a
 * watchlist rule could hit is checked against the guards built from the loaded lists and
 * regenerated (up to GEN_RETRIES times) when it would hit, so that the only hits in the output
 * are the planted ones. What the guards cannot see (a fuzzy name match that is not a token
 * subset) is the documented residual; guard_residual counts fields that still hit after all
 * retries. Everything is drawn from one xoshiro stream, so a seed and the loaded lists fix the
 * output. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "internal.h"

#define GEN_RETRIES 24
#define GEN_COMPANY_WORDS_CN 13 /* the first words of gen__company_words are pinyin */

/* ============ PRNG ============ */

static uint64_t s_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void gen__rng_seed(gen__rng_t *rng, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        rng->s[i] = s_splitmix(&x);
}

static inline uint64_t s_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t gen__rng_next(gen__rng_t *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = s_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s_rotl(s[3], 45);
    return result;
}

uint32_t gen__rng_below(gen__rng_t *rng, uint32_t n)
{
    core_assert(n > 0);
    /* Lemire's multiply-shift; the bias for n < 2^20 is far below anything we measure. */
    return (uint32_t)(((gen__rng_next(rng) >> 32) * (uint64_t)n) >> 32);
}

int gen__rng_range(gen__rng_t *rng, int lo, int hi)
{
    core_assert(hi >= lo);
    return lo + (int)gen__rng_below(rng, (uint32_t)(hi - lo + 1));
}

double gen__rng_unit(gen__rng_t *rng)
{
    return (double)(gen__rng_next(rng) >> 11) * 0x1.0p-53;
}

bool gen__rng_chance(gen__rng_t *rng, double p)
{
    return gen__rng_unit(rng) < p;
}

size_t gen__rng_weighted(gen__rng_t *rng, const uint16_t *weights, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += weights[i];
    core_assert(n > 0 && sum > 0);
    uint32_t r = gen__rng_below(rng, sum);
    for (size_t i = 0; i < n; i++) {
        if (r < weights[i])
            return i;
        r -= weights[i];
    }
    return n - 1;
}

/* ============ Text helpers ============ */

void gen__copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

void gen__ascii_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

bool gen__is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

static const char *s_pick(gen__rng_t *rng, const char *const *list)
{
    return list[gen__rng_below(rng, (uint32_t)gen__list_len(list))];
}

/* Picks one of the '|'-separated alternatives of 'alts' into out. */
static void s_pick_alt(gen__rng_t *rng, const char *alts, char *out, size_t size)
{
    size_t n = 1;
    for (const char *p = alts; *p; p++)
        n += *p == '|';
    size_t k = gen__rng_below(rng, (uint32_t)n);
    const char *start = alts;
    while (k-- > 0)
        start = strchr(start, '|') + 1;
    const char *end = strchr(start, '|');
    size_t len = end ? (size_t)(end - start) : strlen(start);
    if (len >= size)
        len = size - 1;
    memcpy(out, start, len);
    out[len] = '\0';
}

/* Appends to out[*len] within size, keeping NUL termination. */
static void s_put(char *out, size_t size, size_t *len, const char *s, size_t n)
{
    if (*len + n >= size)
        n = size - 1 - *len;
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
}

/* '#' -> digit, '@' -> capital letter, other bytes literal. */
static void s_fill_pattern(gen__rng_t *rng, const char *pattern, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = pattern; *p; p++) {
        char c = *p;
        if (c == '#')
            c = (char)('0' + gen__rng_below(rng, 10));
        else if (c == '@')
            c = (char)('A' + gen__rng_below(rng, 26));
        s_put(out, size, &len, &c, 1);
    }
}

/* Expands a product template: {a|b|} choice, $C colour, $Z size. */
static void s_expand(gen__rng_t *rng, const char *tmpl, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = tmpl; *p;) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            core_assert(end != NULL);
            char alts[256];
            size_t n = (size_t)(end - p - 1);
            core_assert(n < sizeof(alts));
            memcpy(alts, p + 1, n);
            alts[n] = '\0';
            char choice[256];
            s_pick_alt(rng, alts, choice, sizeof(choice));
            /* A choice may itself hold $C or $Z. */
            for (const char *q = choice; *q; q++) {
                if (*q == '$' && q[1] == 'C') {
                    const char *c = s_pick(rng, gen__colours);
                    s_put(out, size, &len, c, strlen(c));
                    q++;
                } else if (*q == '$' && q[1] == 'Z') {
                    const char *z = s_pick(rng, gen__sizes);
                    s_put(out, size, &len, z, strlen(z));
                    q++;
                } else {
                    s_put(out, size, &len, q, 1);
                }
            }
            p = end + 1;
        } else if (p[0] == '$' && p[1] == 'C') {
            const char *c = s_pick(rng, gen__colours);
            s_put(out, size, &len, c, strlen(c));
            p += 2;
        } else if (p[0] == '$' && p[1] == 'Z') {
            const char *z = s_pick(rng, gen__sizes);
            s_put(out, size, &len, z, strlen(z));
            p += 2;
        } else {
            s_put(out, size, &len, p, 1);
            p++;
        }
    }
}

/* ASCII slug of a name for e-mail local parts: folded, lower case, letters and digits. */
static void s_slug(const char *name, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)name, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
                                          UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    const char *src = n >= 0 ? (const char *)folded : name;
    for (const char *p = src; *p; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            s_put(out, size, &len, &c, 1);
    }
    free(folded);
}

/* ============ Countries and places ============ */

static const gen__country_t *s_country(gen__builder_t *self, bool destination,
                                       const gen__country_t *not_this)
{
    uint16_t weights[64];
    core_assert(gen__country_count <= CORE_ARRAY_LEN(weights));
    for (size_t i = 0; i < gen__country_count; i++) {
        const gen__country_t *c = &gen__countries[i];
        weights[i] = destination ? c->dest_weight : c->origin_weight;
        if (c == not_this || gen__guard_country(self->rules, c->iso2))
            weights[i] = 0;
    }
    uint32_t sum = 0;
    for (size_t i = 0; i < gen__country_count; i++)
        sum += weights[i];
    if (sum == 0) /* every country is watched: the guard cannot be honoured */
        return &gen__countries[destination ? 2 : 0];
    return &gen__countries[gen__rng_weighted(&self->rng, weights, gen__country_count)];
}

static const gen__city_t *s_city(gen__builder_t *self, const gen__country_t *country)
{
    size_t first = gen__city_count, n = 0;
    for (size_t i = 0; i < gen__city_count; i++) {
        if (strcmp(gen__cities[i].iso2, country->iso2) == 0) {
            if (n == 0)
                first = i;
            n++;
        } else if (n > 0) {
            break; /* cities of a country are contiguous in the table */
        }
    }
    core_assert(n > 0);
    return &gen__cities[first + gen__rng_below(&self->rng, (uint32_t)n)];
}

/* Address from the country's format: %N house number, %n small number, %S street. */
static void s_address(gen__builder_t *self, const gen__country_t *country, char *out, size_t size)
{
    char format[128];
    s_pick_alt(&self->rng, country->address_format, format, sizeof(format));
    const char *street = s_pick(&self->rng, gen__street_styles[country->streets]);
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = format; *p; p++) {
        char num[16];
        if (p[0] == '%' && p[1] == 'N') {
            snprintf(num, sizeof(num), "%d", gen__rng_range(&self->rng, 1, 299));
            s_put(out, size, &len, num, strlen(num));
            p++;
        } else if (p[0] == '%' && p[1] == 'n') {
            snprintf(num, sizeof(num), "%d", gen__rng_range(&self->rng, 1, 9));
            s_put(out, size, &len, num, strlen(num));
            p++;
        } else if (p[0] == '%' && p[1] == 'S') {
            s_put(out, size, &len, street, strlen(street));
            p++;
        } else {
            s_put(out, size, &len, p, 1);
        }
    }
}

/* ============ Parties ============ */

static int s_culture(gen__builder_t *self, const gen__country_t *country)
{
    /* Immigrant countries: one person in five from another culture. */
    static const char *const mixed = "US GB CA AU DE FR NL SE AE IE BE CH AT";
    if (strstr(mixed, country->iso2) && gen__rng_chance(&self->rng, 0.2))
        return (int)gen__rng_below(&self->rng, (uint32_t)gen__culture_count);
    return country->culture;
}

static void s_person(gen__builder_t *self, const gen__country_t *country, char *out, size_t size,
                     char *slug_first, char *slug_last, size_t slug_size)
{
    for (int t = 0; t < GEN_RETRIES; t++) {
        const gen__culture_t *c = &gen__cultures[s_culture(self, country)];
        const char *first = s_pick(&self->rng, c->first);
        const char *last = s_pick(&self->rng, c->last);
        bool family_first = c->family_first && gen__rng_chance(&self->rng, 0.5);
        if (family_first)
            snprintf(out, size, "%s %s", last, first);
        else
            snprintf(out, size, "%s %s", first, last);
        s_slug(first, slug_first, slug_size);
        s_slug(last, slug_last, slug_size);
        if (!gen__guard_name(self->rules, out) && !gen__guard_text(self->rules, out))
            return;
        self->guard_retries++;
    }
    self->guard_residual++;
}

static void s_company(gen__builder_t *self, const gen__country_t *country, const char *city,
                      char *out, size_t size, char *slug, size_t slug_size)
{
    bool chinese = country->culture == 7;
    size_t nwords = gen__list_len(gen__company_words);
    for (int t = 0; t < GEN_RETRIES; t++) {
        char format[64], legal[64];
        s_pick_alt(&self->rng, country->company_format, format, sizeof(format));
        s_pick_alt(&self->rng, country->legal_forms, legal, sizeof(legal));
        uint32_t from = chinese ? 0 : GEN_COMPANY_WORDS_CN;
        uint32_t span = chinese ? (uint32_t)nwords : (uint32_t)(nwords - GEN_COMPANY_WORDS_CN);
        const char *word = gen__company_words[from + gen__rng_below(&self->rng, span)];
        const char *industry = s_pick(&self->rng, gen__industries);
        size_t len = 0;
        out[0] = '\0';
        for (const char *p = format; *p; p++) {
            const char *ins = NULL;
            if (p[0] == '%' && p[1] == 'C')
                ins = city;
            else if (p[0] == '%' && p[1] == 'W')
                ins = word;
            else if (p[0] == '%' && p[1] == 'I')
                ins = industry;
            else if (p[0] == '%' && p[1] == 'L')
                ins = legal;
            if (ins) {
                s_put(out, size, &len, ins, strlen(ins));
                p++;
            } else {
                s_put(out, size, &len, p, 1);
            }
        }
        s_slug(word, slug, slug_size);
        if (!gen__guard_name(self->rules, out) && !gen__guard_text(self->rules, out))
            return;
        self->guard_retries++;
    }
    self->guard_residual++;
}

static void s_phone(gen__builder_t *self, const gen__country_t *country, char *out, size_t size)
{
    for (int t = 0; t < GEN_RETRIES; t++) {
        s_fill_pattern(&self->rng, country->phone_format, out, size);
        if (!gen__guard_phone(self->rules, out))
            return;
        self->guard_retries++;
    }
    self->guard_residual++;
}

static void s_email(gen__builder_t *self, const gen__country_t *country, const char *first,
                    const char *last, bool company, char *out, size_t size)
{
    for (int t = 0; t < GEN_RETRIES; t++) {
        const char *const *domains = gen__rng_chance(&self->rng, 0.6)
                                         ? country->mail_domains
                                         : gen__countries[2].mail_domains;
        const char *domain = s_pick(&self->rng, domains);
        int n = gen__rng_range(&self->rng, 1, 99);
        if (company) {
            if (strcmp(domain, "qq.com") == 0)
                snprintf(out, size, "%d%05d@qq.com", gen__rng_range(&self->rng, 1000, 9999),
                         gen__rng_range(&self->rng, 0, 99999));
            else if (gen__rng_chance(&self->rng, 0.5))
                snprintf(out, size, "sales.%.24s@%.24s", first, domain);
            else
                snprintf(out, size, "%.24s%d@%.24s", first, n, domain);
        } else {
            switch (gen__rng_below(&self->rng, 4)) {
            case 0:
                snprintf(out, size, "%.24s.%.24s@%.24s", first, last, domain);
                break;
            case 1:
                snprintf(out, size, "%.24s%.24s%d@%.24s", first, last, n, domain);
                break;
            case 2:
                snprintf(out, size, "%.1s.%.24s@%.24s", first, last, domain);
                break;
            default:
                snprintf(out, size, "%.24s.%.24s%d@%.24s", last, first, n, domain);
                break;
            }
        }
        if (!gen__guard_email(self->rules, out))
            return;
        self->guard_retries++;
    }
    self->guard_residual++;
}

static void s_tax_id(gen__builder_t *self, const char *pattern, char *out, size_t size)
{
    for (int t = 0; t < GEN_RETRIES; t++) {
        s_fill_pattern(&self->rng, pattern, out, size);
        if (!gen__guard_ident(self->rules, out))
            return;
        self->guard_retries++;
    }
    self->guard_residual++;
}

/* Fills address, city, postcode and country of a party. */
static void s_place(gen__builder_t *self, const gen__country_t *country, gen__party_t *party,
                    const gen__city_t **city_out)
{
    const gen__city_t *city = s_city(self, country);
    for (int t = 0; t < GEN_RETRIES; t++) {
        s_address(self, country, party->address, sizeof(party->address));
        if (!gen__guard_text(self->rules, party->address))
            break;
        self->guard_retries++;
        if (t == GEN_RETRIES - 1)
            self->guard_residual++;
    }
    gen__copy(party->city, sizeof(party->city), city->name);
    s_fill_pattern(&self->rng, city->postcode, party->postcode, sizeof(party->postcode));
    gen__copy(party->country, sizeof(party->country), country->iso2);
    *city_out = city;
}

static void s_party(gen__builder_t *self, const gen__country_t *country, bool company,
                    double phone_rate, double email_rate, gen__party_t *party)
{
    memset(party, 0, sizeof(*party));
    const gen__city_t *city = NULL;
    s_place(self, country, party, &city);
    char first[64], last[64];
    if (company) {
        s_company(self, country, city->name, party->name, sizeof(party->name), first,
                  sizeof(first));
        gen__copy(last, sizeof(last), "");
    } else {
        s_person(self, country, party->name, sizeof(party->name), first, last, sizeof(first));
    }
    if (gen__rng_chance(&self->rng, phone_rate))
        s_phone(self, country, party->phone, sizeof(party->phone));
    if (gen__rng_chance(&self->rng, email_rate) && first[0] != '\0')
        s_email(self, country, first, last[0] ? last : "shop", company, party->email,
                sizeof(party->email));
}

/* ============ References ============ */

static const char *const s_airlines[] = {"176", "160", "999", "784", "112", "020", "125",
                                         "057", "074", "180", "205", "618", "235", NULL};

static const char *s_mail_class(gen__builder_t *self)
{
    static const char *const classes[] = {"LETTER_SMALL_PACKET", "PARCEL", "EMS", "EXPRESS"};
    static const uint16_t weights[] = {45, 30, 10, 15};
    return classes[gen__rng_weighted(&self->rng, weights, CORE_ARRAY_LEN(weights))];
}

static const char *s_category(gen__builder_t *self)
{
    static const char *const cats[] = {"SALE_OF_GOODS",  "GIFT",      "COMMERCIAL_SAMPLE",
                                       "RETURNED_GOODS", "DOCUMENTS", "OTHER"};
    static const uint16_t weights[] = {80, 9, 3, 2, 3, 3};
    return cats[gen__rng_weighted(&self->rng, weights, CORE_ARRAY_LEN(weights))];
}

char gen_s10_check_digit(const char *serial)
{
    static const int weights[8] = {8, 6, 4, 2, 3, 5, 9, 7};
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (serial[i] - '0') * weights[i];
    int check = 11 - sum % 11;
    if (check == 10)
        check = 0;
    else if (check == 11)
        check = 5;
    return (char)('0' + check);
}

bool gen_s10_valid(const char *id)
{
    if (id == NULL || strlen(id) != 13)
        return false;
    for (int i = 0; i < 13; i++) {
        bool letter = id[i] >= 'A' && id[i] <= 'Z';
        bool digit = id[i] >= '0' && id[i] <= '9';
        if ((i < 2 || i > 10) ? !letter : !digit)
            return false;
    }
    return gen_s10_check_digit(id + 2) == id[10];
}

static void s_item_id(gen__builder_t *self, const char *mail_class, const char *dispatch, char *out,
                      size_t size)
{
    for (int t = 0; t < GEN_RETRIES; t++) {
        if (strcmp(mail_class, "EXPRESS") == 0) {
            /* Express waybill: 9-digit serial plus its mod-7 check digit. */
            uint32_t serial = 100000000u + gen__rng_below(&self->rng, 900000000u);
            snprintf(out, size, "%09" PRIu32 "%" PRIu32, serial, serial % 7);
        } else {
            char service;
            if (strcmp(mail_class, "PARCEL") == 0)
                service = 'C';
            else if (strcmp(mail_class, "EMS") == 0)
                service = 'E';
            else
                service = gen__rng_chance(&self->rng, 0.6) ? 'L' : 'R';
            char serial[9];
            snprintf(serial, sizeof(serial), "%08" PRIu32, gen__rng_below(&self->rng, 100000000u));
            snprintf(out, size, "%c%c%s%c%s", service, (char)('A' + gen__rng_below(&self->rng, 26)),
                     serial, gen_s10_check_digit(serial), dispatch);
        }
        if (!gen__guard_ident(self->rules, out))
            return;
        self->guard_retries++;
    }
    self->guard_residual++;
}

static void s_rfc3339(int64_t epoch, char *out, size_t size)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void s_new_manifest(gen__builder_t *self)
{
    self->manifest_no++;
    self->dispatch = s_country(self, false, NULL);
    self->destination = s_country(self, true, self->dispatch);
    self->manifest_left = (uint32_t)gen__rng_range(&self->rng, 50, 400);
    self->manifest_epoch += (int64_t)gen__rng_range(&self->rng, 20, 120) * 60;
    time_t t = (time_t)self->manifest_epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    char day[16];
    strftime(day, sizeof(day), "%Y%m%d", &tm);
    snprintf(self->manifest_ref, sizeof(self->manifest_ref), "MFT-%s-%04" PRIu64, day,
             self->manifest_no % 10000);
    uint32_t serial = gen__rng_below(&self->rng, 10000000u);
    snprintf(self->master_ref, sizeof(self->master_ref), "%s-%07" PRIu32 "%" PRIu32,
             s_pick(&self->rng, s_airlines), serial, serial % 7);
    self->office = s_pick(&self->rng, self->destination->offices);
}

void gen__builder_init(gen__builder_t *self, uint64_t seed, int64_t start_epoch,
                       gen__rules_t *rules)
{
    memset(self, 0, sizeof(*self));
    gen__rng_seed(&self->rng, seed);
    self->rules = rules;
    self->start_epoch = start_epoch;
    self->manifest_epoch = start_epoch + (int64_t)6 * 3600;
}

/* ============ Items ============ */

static void s_item(gen__builder_t *self, gen__parcel_t *parcel, bool documents, double per_usd,
                   gen__item_t *item)
{
    const gen__product_t *product = NULL;
    for (int t = 0; t < GEN_RETRIES; t++) {
        if (documents)
            product = &gen__document_products[gen__rng_below(
                &self->rng, (uint32_t)gen__document_product_count)];
        else
            product = &gen__products[gen__rng_below(&self->rng, (uint32_t)gen__product_count)];
        s_expand(&self->rng, product->template, item->description, sizeof(item->description));
        gen__copy(item->hs_code, sizeof(item->hs_code), product->hs_code);
        double r = gen__rng_unit(&self->rng);
        if (r < 0.04 && strcmp(parcel->mail_class, "LETTER_SMALL_PACKET") == 0) {
            item->hs_code[0] = '\0'; /* small C2C items often carry no code */
        } else if (r < 0.25) {
            /* National extensions: US HTS 10 digits, EU CN 8 digits. */
            size_t len = strlen(item->hs_code);
            if (strcmp(parcel->destination_country, "US") == 0)
                snprintf(item->hs_code + len, sizeof(item->hs_code) - len, "%02d%02d",
                         gen__rng_range(&self->rng, 0, 9) * 10,
                         gen__rng_range(&self->rng, 0, 9) * 10);
            else if (self->destination->ioss_code != 0)
                snprintf(item->hs_code + len, sizeof(item->hs_code) - len, "%02d",
                         gen__rng_range(&self->rng, 0, 9) * 10);
        }
        bool hit = gen__guard_text(self->rules, item->description) ||
                   (item->hs_code[0] && gen__guard_hscode(self->rules, item->hs_code));
        if (!hit)
            break;
        self->guard_retries++;
        if (t == GEN_RETRIES - 1)
            self->guard_residual++;
    }
    gen__copy(item->unit, sizeof(item->unit), product->unit);
    double q = gen__rng_unit(&self->rng);
    item->quantity = q < 0.72 ? 1 : q < 0.90 ? 2 : gen__rng_range(&self->rng, 3, 5);
    double unit_kg = product->weight_min +
                     (product->weight_max - product->weight_min) * gen__rng_unit(&self->rng);
    item->net_weight_kg = fmax(0.001, round(unit_kg * item->quantity * 1000.0) / 1000.0);
    double usd =
        product->value_min + (product->value_max - product->value_min) * gen__rng_unit(&self->rng);
    if (documents && gen__rng_chance(&self->rng, 0.7))
        usd = 0.0;
    double value = usd * per_usd;
    item->unit_value = per_usd >= 50.0 ? round(value) : round(value * 100.0) / 100.0;
    bool made_in_cn = gen__rng_chance(&self->rng, 0.08) && !gen__guard_country(self->rules, "CN");
    gen__copy(item->origin_country, sizeof(item->origin_country),
              made_in_cn ? "CN" : parcel->origin_country);
    if (gen__rng_chance(&self->rng, 0.6))
        s_fill_pattern(&self->rng, "@@-###", item->sku, sizeof(item->sku));
    else
        item->sku[0] = '\0';
}

void gen__parcel_totals(gen__parcel_t *parcel, gen__rng_t *rng)
{
    double value = 0.0, weight = 0.0;
    for (int i = 0; i < parcel->item_count; i++) {
        value += parcel->items[i].unit_value * parcel->items[i].quantity;
        weight += parcel->items[i].net_weight_kg;
    }
    weight += 0.02 + 0.28 * gen__rng_unit(rng); /* packaging */
    parcel->declared_total_value = round(value * 100.0) / 100.0;
    parcel->gross_weight_kg = round(weight * 1000.0) / 1000.0;
}

/* ============ Marketplace references ============ */

static void s_seller(gen__builder_t *self, gen__parcel_t *parcel, const gen__country_t *origin)
{
    parcel->has_seller = true;
    const char *market = s_pick(&self->rng, origin->markets);
    gen__copy(parcel->marketplace, sizeof(parcel->marketplace), market);
    for (int t = 0; t < GEN_RETRIES; t++) {
        const char *word = s_pick(&self->rng, gen__shop_words);
        const char *suffix = s_pick(&self->rng, gen__shop_suffixes);
        const char *noun = s_pick(&self->rng, gen__company_words + GEN_COMPANY_WORDS_CN);
        switch (gen__rng_below(&self->rng, 3)) {
        case 0:
            snprintf(parcel->seller_name, sizeof(parcel->seller_name), "%s%s", word, suffix);
            break;
        case 1:
            snprintf(parcel->seller_name, sizeof(parcel->seller_name), "%s %s %s", word, noun,
                     suffix);
            break;
        default:
            snprintf(parcel->seller_name, sizeof(parcel->seller_name), "%s %s", noun, suffix);
            break;
        }
        if (!gen__guard_name(self->rules, parcel->seller_name) &&
            !gen__guard_text(self->rules, parcel->seller_name))
            break;
        self->guard_retries++;
        if (t == GEN_RETRIES - 1)
            self->guard_residual++;
    }
    const char *id_pattern = "S-######";
    const char *order_pattern = "ORD-######";
    if (strcmp(market, "Amazon") == 0) {
        id_pattern = "A@@@@@@@@@@@@@";
        order_pattern = "###-#######-#######";
    } else if (strcmp(market, "AliExpress") == 0) {
        id_pattern = "##########";
        order_pattern = "################";
    } else if (strcmp(market, "Temu") == 0) {
        id_pattern = "6###########";
        order_pattern = "PO-###-#################";
    } else if (strcmp(market, "Shein") == 0) {
        order_pattern = "GSH@@##########";
    } else if (strcmp(market, "eBay") == 0) {
        order_pattern = "##-#####-#####";
    }
    s_fill_pattern(&self->rng, id_pattern, parcel->seller_id, sizeof(parcel->seller_id));
    s_fill_pattern(&self->rng, order_pattern, parcel->order_ref, sizeof(parcel->order_ref));
}

/* ============ One parcel ============ */

static bool s_is_commercial_origin(const char *iso2)
{
    return strstr("CN HK TR KR IN VN TH TW SG", iso2) != NULL;
}

static void s_tax_ids(gen__builder_t *self, gen__parcel_t *parcel, bool sender_company,
                      const gen__country_t *origin)
{
    if (sender_company && strcmp(origin->iso2, "CN") == 0 && gen__rng_chance(&self->rng, 0.6)) {
        /* Unified social credit code shape. */
        s_tax_id(self, "9144030#MA5@@@@@#@", parcel->sender.tax_id, sizeof(parcel->sender.tax_id));
    } else if (parcel->has_seller && self->destination->ioss_code != 0 &&
               gen__rng_chance(&self->rng, 0.5)) {
        /* IOSS number of the marketplace: IM + identification state + 7 digits. */
        static const char *const states[] = {"IM5280", "IM3720", "IM2760", "IM4420"};
        char pattern[32];
        snprintf(pattern, sizeof(pattern), "%s######",
                 states[gen__rng_below(&self->rng, CORE_ARRAY_LEN(states))]);
        s_tax_id(self, pattern, parcel->sender.tax_id, sizeof(parcel->sender.tax_id));
    }
    if (strcmp(parcel->destination_country, "BR") == 0 && gen__rng_chance(&self->rng, 0.9))
        s_tax_id(self, "###.###.###-##", parcel->recipient.tax_id,
                 sizeof(parcel->recipient.tax_id));
    else if (self->destination->ioss_code != 0 && gen__rng_chance(&self->rng, 0.03))
        s_tax_id(self, "@@#########", parcel->recipient.tax_id, sizeof(parcel->recipient.tax_id));
}

void gen__builder_next(gen__builder_t *self, gen__parcel_t *parcel)
{
    if (self->manifest_left == 0)
        s_new_manifest(self);
    self->manifest_left--;
    self->index++;
    memset(parcel, 0, sizeof(*parcel));

    snprintf(parcel->parcel_id, sizeof(parcel->parcel_id), "P%08" PRIu64, self->index);
    gen__copy(parcel->manifest_ref, sizeof(parcel->manifest_ref), self->manifest_ref);
    gen__copy(parcel->master_ref, sizeof(parcel->master_ref), self->master_ref);
    gen__copy(parcel->office_of_entry, sizeof(parcel->office_of_entry), self->office);
    parcel->mail_class = s_mail_class(self);
    parcel->category_of_item = s_category(self);
    gen__copy(parcel->dispatch_country, sizeof(parcel->dispatch_country), self->dispatch->iso2);
    gen__copy(parcel->destination_country, sizeof(parcel->destination_country),
              self->destination->iso2);
    const gen__country_t *origin = self->dispatch;
    if (strstr("HK SG AE NL BE", self->dispatch->iso2) && gen__rng_chance(&self->rng, 0.3) &&
        !gen__guard_country(self->rules, "CN"))
        origin = gen__country_find("CN"); /* transshipment hubs */
    gen__copy(parcel->origin_country, sizeof(parcel->origin_country), origin->iso2);
    s_item_id(self, parcel->mail_class, parcel->dispatch_country, parcel->item_id,
              sizeof(parcel->item_id));
    if (strcmp(parcel->mail_class, "EXPRESS") == 0)
        s_fill_pattern(&self->rng, "H-######", parcel->house_ref, sizeof(parcel->house_ref));

    bool sale = strcmp(parcel->category_of_item, "SALE_OF_GOODS") == 0 ||
                strcmp(parcel->category_of_item, "COMMERCIAL_SAMPLE") == 0;
    double company_rate = sale ? (s_is_commercial_origin(origin->iso2) ? 0.85 : 0.35) : 0.02;
    bool sender_company = gen__rng_chance(&self->rng, company_rate);
    s_party(self, origin, sender_company, 0.5, 0.4, &parcel->sender);
    s_party(self, self->destination, gen__rng_chance(&self->rng, 0.05), 0.85, 0.6,
            &parcel->recipient);
    if (strcmp(parcel->category_of_item, "SALE_OF_GOODS") == 0 && gen__rng_chance(&self->rng, 0.75))
        s_seller(self, parcel, origin);
    else if (sale && gen__rng_chance(&self->rng, 0.3))
        s_fill_pattern(&self->rng, "ORD-######", parcel->order_ref, sizeof(parcel->order_ref));
    s_tax_ids(self, parcel, sender_company, origin);

    int64_t posted = self->manifest_epoch - (int64_t)gen__rng_range(&self->rng, 0, 48 * 60) * 60;
    bool fast =
        strcmp(parcel->mail_class, "EMS") == 0 || strcmp(parcel->mail_class, "EXPRESS") == 0;
    int64_t arrival = self->manifest_epoch +
                      (int64_t)gen__rng_range(&self->rng, fast ? 1 : 3, fast ? 3 : 10) * 86400 +
                      (int64_t)gen__rng_range(&self->rng, 0, 23 * 60) * 60;
    s_rfc3339(posted, parcel->posting_datetime, sizeof(parcel->posting_datetime));
    s_rfc3339(arrival, parcel->expected_arrival, sizeof(parcel->expected_arrival));

    bool local_currency = gen__rng_chance(&self->rng, 0.9);
    gen__copy(parcel->currency, sizeof(parcel->currency),
              local_currency ? origin->currency : "USD");
    double per_usd = local_currency ? origin->per_usd : 1.0;

    bool documents = strcmp(parcel->category_of_item, "DOCUMENTS") == 0;
    static const uint16_t item_weights[] = {55, 25, 10, 6, 4};
    parcel->item_count =
        documents ? 1 : 1 + (int)gen__rng_weighted(&self->rng, item_weights, GEN_MAX_ITEMS);
    for (int i = 0; i < parcel->item_count; i++) {
        parcel->items[i].line_no = i + 1;
        s_item(self, parcel, documents, per_usd, &parcel->items[i]);
    }
    gen__parcel_totals(parcel, &self->rng);
    double charges =
        gen__rng_chance(&self->rng, 0.4) ? 0.0 : (1.0 + 19.0 * gen__rng_unit(&self->rng)) * per_usd;
    parcel->postal_charges = per_usd >= 50.0 ? round(charges) : round(charges * 100.0) / 100.0;
}
