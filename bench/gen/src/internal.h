/* internal.h -- the generator's private types, shared by its source files (gen__ prefix).
 *
 * DESIGN: one parcel at a time is built into a fixed-size gen__parcel_t (no allocation per
 * parcel), checked against the loaded watchlists so that clean fields stay clean, optionally
 * given planted hits, then appended to the three output buffers and the truth buffer.
 *   vocab.c   embedded vocabularies (names, streets, cities, products, ...)
 *   build.c   composes a clean parcel from the vocabularies
 *   rules.c   loads SPEC watchlists, builds the guards that keep clean parcels clean
 *   plant.c   plants hits from the loaded rules, records truth rows
 *   write.c   NDJSON, CSV and MessagePack writers
 *   demo.c    the fictional demo watchlist
 *   gen.c     options and the main loop */
#ifndef GEN_INTERNAL_H
#define GEN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/core.h"
#include "gen/gen.h"

/* ============ PRNG: xoshiro256** seeded by splitmix64 (no rand()) ============ */

typedef struct {
    uint64_t s[4]; /* state, never all zero */
} gen__rng_t;

void gen__rng_seed(gen__rng_t *rng, uint64_t seed);
uint64_t gen__rng_next(gen__rng_t *rng);
/* Uniform in [0, n); n > 0. */
uint32_t gen__rng_below(gen__rng_t *rng, uint32_t n);
/* Uniform in [lo, hi]. */
int gen__rng_range(gen__rng_t *rng, int lo, int hi);
/* Uniform in [0, 1). */
double gen__rng_unit(gen__rng_t *rng);
/* True with probability p. */
bool gen__rng_chance(gen__rng_t *rng, double p);
/* Index picked with probability weights[i] / sum; n > 0 and sum > 0. */
size_t gen__rng_weighted(gen__rng_t *rng, const uint16_t *weights, size_t n);

/* ============ The parcel record (SPEC section 1), fixed-size ============ */

#define GEN_MAX_ITEMS 5
#define GEN_NAME_LEN 384  /* party, seller names (planted list names can be long) */
#define GEN_ADDR_LEN 384  /* street lines (a planted keyword may be appended) */
#define GEN_DESCR_LEN 512 /* item description (a planted keyword may be inserted) */
#define GEN_IDENT_LEN 96  /* phone, email, tax id, references */

typedef struct {
    char name[GEN_NAME_LEN];    /* person or company */
    char address[GEN_ADDR_LEN]; /* street line */
    char city[64];              /* city */
    char postcode[16];          /* postcode */
    char country[3];            /* ISO2 */
    char phone[GEN_IDENT_LEN];  /* E.123 international form or empty */
    char email[GEN_IDENT_LEN];  /* or empty */
    char tax_id[GEN_IDENT_LEN]; /* or empty */
} gen__party_t;

typedef struct {
    int line_no;                     /* 1-based */
    char description[GEN_DESCR_LEN]; /* free text */
    char hs_code[16];                /* 6..10 digits or empty */
    char origin_country[3];          /* ISO2 */
    char sku[24];                    /* or empty */
    char unit[4];                    /* PCE, PR, SET */
    int quantity;                    /* >= 1 */
    double net_weight_kg;            /* rounded to grams */
    double unit_value;               /* rounded to cents, in the parcel's currency */
} gen__item_t;

typedef struct {
    char parcel_id[24];             /* P00000001 */
    char item_id[GEN_IDENT_LEN];    /* S10 or carrier number */
    char manifest_ref[32];          /* MFT-YYYYMMDD-NNNN */
    char master_ref[24];            /* AWB 176-12345675 */
    char house_ref[24];             /* HAWB or empty */
    char order_ref[40];             /* shop order or empty */
    const char *mail_class;         /* static string */
    const char *category_of_item;   /* static string */
    gen__party_t sender;            /* consignor */
    gen__party_t recipient;         /* consignee */
    bool has_seller;                /* seller object present (else null) */
    char seller_name[GEN_NAME_LEN]; /* shop */
    char marketplace[40];           /* platform */
    char seller_id[GEN_IDENT_LEN];  /* platform's id */
    char origin_country[3];         /* ISO2 */
    char dispatch_country[3];       /* ISO2 */
    char destination_country[3];    /* ISO2 */
    char posting_datetime[24];      /* RFC 3339 UTC */
    char expected_arrival[24];      /* RFC 3339 UTC */
    char office_of_entry[16];       /* customs office */
    char currency[4];               /* ISO 4217 */
    double gross_weight_kg;         /* rounded to grams */
    double declared_total_value;    /* rounded to cents */
    double postal_charges;          /* rounded to cents */
    int item_count;                 /* 1..GEN_MAX_ITEMS */
    gen__item_t items[GEN_MAX_ITEMS];
} gen__parcel_t;

/* ============ Vocabularies (vocab.c) ============ */

typedef struct {
    const char *iso2;                /* ISO 3166-1 alpha-2 */
    uint16_t origin_weight;          /* relative share as e-commerce origin */
    uint16_t dest_weight;            /* relative share as destination */
    const char *currency;            /* declared currency of senders here */
    double per_usd;                  /* units of 'currency' per USD */
    const char *phone_format;        /* '#' = random digit, other bytes literal */
    int culture;                     /* index into the name cultures */
    int streets;                     /* index into the street styles */
    const char *address_format;      /* %N house no., %n small no., %S street, %A apartment */
    const char *company_format;      /* %C city, %W word, %I industry */
    const char *const *offices;      /* offices of entry when this is the destination */
    const char *const *markets;      /* marketplaces of sellers here */
    const char *const *mail_domains; /* free-mail domains used here */
    const char *legal_forms;         /* '|'-separated legal-form suffixes */
    uint16_t ioss_code;              /* ISO numeric code for IOSS numbers (EU), else 0 */
} gen__country_t;

typedef struct {
    const char *iso2;     /* country */
    const char *name;     /* city */
    const char *postcode; /* template: '#' digit, '@' letter, other bytes literal */
} gen__city_t;

typedef struct {
    const char *template; /* {a|b|} choice, $C colour, $Z size */
    const char *hs_code;  /* 6 digits */
    const char *unit;     /* PCE, PR, SET */
    float value_min;      /* unit value in USD */
    float value_max;
    float weight_min; /* net kg per unit */
    float weight_max;
} gen__product_t;

typedef struct {
    const char *const *first; /* given names, NULL-terminated */
    const char *const *last;  /* family names, NULL-terminated */
    bool family_first;        /* customarily written family name first */
} gen__culture_t;

extern const gen__country_t gen__countries[];
extern const size_t gen__country_count;
extern const gen__city_t gen__cities[];
extern const size_t gen__city_count;
extern const gen__culture_t gen__cultures[];
extern const size_t gen__culture_count;
extern const char *const *const gen__street_styles[];
extern const gen__product_t gen__products[];
extern const size_t gen__product_count;
extern const gen__product_t gen__document_products[];
extern const size_t gen__document_product_count;
extern const char *const gen__colours[];
extern const char *const gen__sizes[];
extern const char *const gen__company_words[];
extern const char *const gen__industries[];
extern const char *const gen__shop_words[];
extern const char *const gen__shop_suffixes[];

/* Number of entries in a NULL-terminated string list. */
size_t gen__list_len(const char *const *list);
/* The country with this ISO2 code, or NULL. */
const gen__country_t *gen__country_find(const char *iso2);

/* ============ Watchlist rules and guards (rules.c) ============ */

typedef enum {
    GEN_KIND_NAME = 0,
    GEN_KIND_KEYWORD,
    GEN_KIND_REGEX,
    GEN_KIND_HSCODE,
    GEN_KIND_COUNTRY,
    GEN_KIND_IDENTIFIER,
    GEN_KIND_COUNT
} gen__kind_t;

typedef struct {
    char *id;      /* rule id, unique */
    char *list;    /* list name */
    char *scope;   /* SPEC scope */
    char *pattern; /* as written */
    gen__kind_t kind;
    bool plantable; /* kind and scope supported by plant.c, no validity dates */
} gen__rule_t;

typedef struct gen__rules gen__rules_t;

gen__rules_t *gen__rules_new(void);
void gen__rules_destroy(gen__rules_t **self_p);
/* Loads one SPEC watchlist CSV. Rules whose id was loaded before are skipped. Returns 0, or
 * -EINVAL/-ENOENT with "path:line: reason" in err. */
int gen__rules_load(gen__rules_t *self, const char *path, char *err);
/* Builds the guards from the loaded rules (call once, after the last load). Returns 0 or
 * -EINVAL with a reason in err. */
int gen__rules_finish(gen__rules_t *self, char *err);
size_t gen__rules_count(const gen__rules_t *self);
const gen__rule_t *gen__rules_get(const gen__rules_t *self, size_t index);
/* Rules of a kind that plant.c can plant: how many, and one picked at random: a list first
 * (uniformly, so a 40,000-name list does not drown a 20-term one), then a rule of it. */
size_t gen__rules_plantable(const gen__rules_t *self, gen__kind_t kind);
const gen__rule_t *gen__rules_plantable_pick(const gen__rules_t *self, gen__kind_t kind,
                                             gen__rng_t *rng);

/* Guards: true when a clean value would hit a loaded rule. */
bool gen__guard_text(gen__rules_t *self, const char *text);       /* keyword and regex */
bool gen__guard_name(const gen__rules_t *self, const char *name); /* name rules */
bool gen__guard_hscode(const gen__rules_t *self, const char *code);
bool gen__guard_country(const gen__rules_t *self, const char *iso2);
bool gen__guard_phone(const gen__rules_t *self, const char *phone);
bool gen__guard_email(const gen__rules_t *self, const char *email);
bool gen__guard_ident(const gen__rules_t *self, const char *value); /* tax id, item id */

/* ============ Building clean parcels (build.c) ============ */

typedef struct {
    gen__rng_t rng;                    /* the parcel stream */
    gen__rules_t *rules;               /* guards; borrowed */
    int64_t start_epoch;               /* first posting day, 00:00 UTC */
    uint64_t index;                    /* parcels built so far */
    uint64_t manifest_no;              /* manifests started so far */
    uint32_t manifest_left;            /* parcels left in the current manifest */
    const gen__country_t *dispatch;    /* current manifest */
    const gen__country_t *destination; /* current manifest */
    char manifest_ref[32];             /* current manifest */
    char master_ref[24];               /* current manifest */
    const char *office;                /* current manifest */
    int64_t manifest_epoch;            /* current manifest's posting window start */
    uint64_t guard_residual;           /* clean fields that still hit a guard after all retries */
    uint64_t guard_retries;            /* clean fields regenerated because a guard fired */
} gen__builder_t;

void gen__builder_init(gen__builder_t *self, uint64_t seed, int64_t start_epoch,
                       gen__rules_t *rules);
/* Fills 'parcel' with the next clean parcel. */
void gen__builder_next(gen__builder_t *self, gen__parcel_t *parcel);
/* Recomputes declared_total_value and gross_weight_kg from the items. */
void gen__parcel_totals(gen__parcel_t *parcel, gen__rng_t *rng);

/* ============ Planting (plant.c) ============ */

typedef struct {
    gen__rng_t rng;                   /* planting decisions, separate from the parcel stream */
    gen__rules_t *rules;              /* borrowed */
    double hit_rate;                  /* fraction of parcels with a planted hit */
    uint64_t parcels_hit;             /* parcels that received at least one hit */
    uint64_t hits;                    /* truth rows written */
    uint64_t by_kind[GEN_KIND_COUNT]; /* truth rows per kind */
} gen__planter_t;

void gen__planter_init(gen__planter_t *self, uint64_t seed, double hit_rate, gen__rules_t *rules);
/* Maybe plants hits into 'parcel'; appends one truth row per planted hit to 'truth'. */
void gen__planter_apply(gen__planter_t *self, gen__parcel_t *parcel, core_buf_t *truth);

/* ============ Writers (write.c) ============ */

/* The CSV header line (with newline) and one row per item line. */
void gen__csv_header(core_buf_t *out);
void gen__csv_parcel(core_buf_t *out, const gen__parcel_t *parcel);
/* One NDJSON line. */
void gen__ndjson_parcel(core_buf_t *out, const gen__parcel_t *parcel);
/* One MessagePack map with the NDJSON keys. */
void gen__msgpack_parcel(core_buf_t *out, const gen__parcel_t *parcel);
/* Appends s as one CSV field (quoted when needed). */
void gen__csv_field(core_buf_t *out, const char *s);

/* ============ Demo watchlist (demo.c) ============ */

/* Writes the fictional demo watchlist (SPEC CSV) to path. Returns the number of rules, or
 * -errno with a reason in err. */
long gen__demo_write(const char *path, char *err);

/* ============ Small text helpers ============ */

/* snprintf into a fixed buffer that never fails on truncation. */
void gen__copy(char *dst, size_t size, const char *src);
/* Lower-cases ASCII letters in place. */
void gen__ascii_lower(char *s);
/* True when s contains only printable ASCII. */
bool gen__is_ascii(const char *s);

#endif
