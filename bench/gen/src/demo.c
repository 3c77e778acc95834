/* demo.c -- the demo watchlist: a SPEC watchlist that needs no external data.
 *
 * DESIGN: a few hundred fictional parties (names built from syllables that no clean
 * vocabulary word uses, company types the clean generator never writes, so a fuzzy name
 * matcher has little to confuse), plus goods keywords, a few regexes, HS prefixes, countries
 * and identifiers. It is built from a fixed seed, so every run writes the same list whatever
 * --seed says. Weights follow the goods importer's scale (opioids 90, weapons 70, counterfeit
 * 60, wildlife 50, ...). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define GEN_DEMO_SEED 0x64656d6fULL
#define GEN_DEMO_PERSONS 240
#define GEN_DEMO_COMPANIES 60
#define GEN_DEMO_SELLERS 20

static const char *const s_given_pre[] = {"Zor",  "Vel",  "Kra", "Quen", "Dra", "Xan",  "Yv",
                                          "Osk",  "Grev", "Jor", "Lir",  "Nex", "Pav",  "Sev",
                                          "Thal", "Wex",  "Zeb", "Brak", "Iv",  "Kesh", NULL};
static const char *const s_given_end[] = {"in",   "ka",  "ek", "or",  "is", "ya",
                                          "umir", "ana", "ko", "eth", NULL};
static const char *const s_family_pre[] = {"Vrand", "Kolv", "Zarq",  "Drev",  "Hux", "Moravq",
                                           "Tzel",  "Quar", "Brosk", "Skarv", "Yzv", "Gorz",
                                           "Plax",  "Khev", "Wrozn", "Azk",   NULL};
static const char *const s_family_mid[] = {"a", "e", "i", "o", "u", "ae", "y", NULL};
static const char *const s_family_end[] = {"vik",   "drin", "zek",  "novar", "quist",
                                           "thorn", "vell", "stak", "nazh",  "rix",
                                           "berk",  "zan",  "tovy", "grimm", NULL};
static const char *const s_company_types[] = {"Holdings",        "Logistics", "Chemicals",
                                              "Marine Services", "Freight",   "Pharma",
                                              "Resources",       "Ventures",  NULL};
static const char *const s_company_forms[] = {"LLC",       "Ltd",  "FZE",  "GmbH",
                                              "Co., Ltd.", "S.A.", "Inc.", NULL};

typedef struct {
    gen__rng_t rng;                                                          /* fixed seed */
    core_buf_t out;                                                          /* the CSV */
    long rules;                                                              /* rows written */
    char seen[GEN_DEMO_PERSONS + GEN_DEMO_COMPANIES + GEN_DEMO_SELLERS][96]; /* names so far */
    size_t seen_count;
} s_demo_t;

static const char *s_pick(s_demo_t *d, const char *const *list)
{
    return list[gen__rng_below(&d->rng, (uint32_t)gen__list_len(list))];
}

static void s_row(s_demo_t *d, const char *id, const char *list, const char *kind,
                  const char *scope, const char *pattern, int weight, const char *note)
{
    gen__csv_field(&d->out, id);
    core_buf_append_byte(&d->out, ',');
    gen__csv_field(&d->out, list);
    core_buf_printf(&d->out, ",%s,%s,", kind, scope);
    gen__csv_field(&d->out, pattern);
    core_buf_printf(&d->out, ",%d,", weight);
    gen__csv_field(&d->out, note);
    core_buf_append_byte(&d->out, '\n');
    d->rules++;
}

static bool s_seen(s_demo_t *d, const char *name)
{
    for (size_t i = 0; i < d->seen_count; i++)
        if (strcmp(d->seen[i], name) == 0)
            return true;
    if (d->seen_count < CORE_ARRAY_LEN(d->seen))
        gen__copy(d->seen[d->seen_count++], sizeof(d->seen[0]), name);
    return false;
}

static void s_word(s_demo_t *d, const char *const *pre, const char *const *mid,
                   const char *const *end, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s", s_pick(d, pre), mid ? s_pick(d, mid) : "", s_pick(d, end));
}

/* Adds an acute accent to the first plain vowel after the first letter (Zorin -> Zorín). */
static void s_accent(const char *in, char *out, size_t size)
{
    static const char *const vowels = "aeiou";
    static const char *const acute[] = {"á", "é", "í", "ó", "ú"};
    size_t len = 0;
    bool done = false;
    for (size_t i = 0; in[i] && len + 3 < size; i++) {
        const char *v = i > 0 && !done ? strchr(vowels, in[i]) : NULL;
        if (v && in[i]) {
            const char *a = acute[v - vowels];
            memcpy(out + len, a, strlen(a));
            len += strlen(a);
            done = true;
        } else {
            out[len++] = in[i];
        }
    }
    out[len] = '\0';
}

static void s_persons(s_demo_t *d)
{
    for (int i = 1; i <= GEN_DEMO_PERSONS;) {
        char given[48], family[48], pattern[128];
        s_word(d, s_given_pre, NULL, s_given_end, given, sizeof(given));
        s_word(d, s_family_pre, s_family_mid, s_family_end, family, sizeof(family));
        if (gen__rng_chance(&d->rng, 0.15)) {
            char accented[64];
            s_accent(given, accented, sizeof(accented));
            gen__copy(given, sizeof(given), accented);
        }
        if (gen__rng_chance(&d->rng, 0.5)) {
            char upper[48];
            gen__copy(upper, sizeof(upper), family);
            for (char *p = upper; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                    *p = (char)(*p - 'a' + 'A');
            snprintf(pattern, sizeof(pattern), "%s, %s", upper, given);
        } else {
            snprintf(pattern, sizeof(pattern), "%s %s", given, family);
        }
        if (s_seen(d, family))
            continue; /* one entry per family name keeps the persons far apart */
        char id[32];
        snprintf(id, sizeof(id), "DEMO-P-%04d", i);
        int weight = i % 4 == 0 ? 70 : 85;
        s_row(d, id, "demo-persons", "name", "party.name", pattern, weight,
              weight == 85 ? "fictional designated person" : "fictional person of interest");
        i++;
    }
}

static void s_companies(s_demo_t *d)
{
    for (int i = 1; i <= GEN_DEMO_COMPANIES + GEN_DEMO_SELLERS;) {
        char word[48], pattern[128];
        s_word(d, s_family_pre, s_family_mid, s_family_end, word, sizeof(word));
        if (s_seen(d, word))
            continue;
        char id[32];
        if (i <= GEN_DEMO_COMPANIES) {
            snprintf(pattern, sizeof(pattern), "%s %s %s", word, s_pick(d, s_company_types),
                     s_pick(d, s_company_forms));
            snprintf(id, sizeof(id), "DEMO-E-%04d", i);
            const char *scope = i % 3 == 0 ? "sender.name" : "party.name";
            s_row(d, id, "demo-entities", "name", scope, pattern, 80,
                  "fictional designated entity");
        } else {
            snprintf(pattern, sizeof(pattern), "%s Outlet Online", word);
            snprintf(id, sizeof(id), "DEMO-S-%04d", i - GEN_DEMO_COMPANIES);
            s_row(d, id, "demo-sellers", "name", "seller.name", pattern, 60,
                  "fictional seller with repeated seizures");
        }
        i++;
    }
}

static void s_goods(s_demo_t *d)
{
    static const struct {
        const char *term;
        int weight;
        const char *note;
    } keywords[] = {
        {"fentanyl", 90, "synthetic opioid"},
        {"carfentanil", 90, "synthetic opioid"},
        {"isotonitazene", 90, "nitazene opioid"},
        {"acetyl fentanyl", 90, "fentanyl-related substance"},
        {"pill press", 70, "tableting equipment"},
        {"tablet press", 70, "tableting equipment"},
        {"solvent trap", 70, "suppressor kit in disguise"},
        {"auto sear", 70, "machine-gun conversion device"},
        {"replica", 60, "counterfeit indicator"},
        {"super copy", 60, "counterfeit indicator"},
        {"AAA quality", 60, "counterfeit indicator"},
        {"counterfeit", 60, "counterfeit indicator"},
        {"ivory", 50, "CITES product"},
        {"pangolin scales", 50, "CITES product"},
        {"rhino horn", 50, "CITES product"},
        {"shark fin", 50, "CITES product"},
        {"bear bile", 50, "CITES product"},
        {"tortoiseshell", 50, "CITES product"},
        {"tramadol", 60, "controlled medicine"},
        {"oxycodone", 60, "controlled medicine"},
        {"ketamine", 60, "controlled substance"},
        {"GHB", 60, "controlled substance"},
        {"clenbuterol", 50, "doping substance"},
        {"trenbolone", 50, "anabolic steroid"},
        {"bath salts", 70, "synthetic cathinones"},
        {"research chemical", 70, "NPS marketing"},
        {"not for human consumption", 70, "NPS marketing"},
        {"GPS jammer", 50, "illegal radio equipment"},
        {"signal jammer", 50, "illegal radio equipment"},
        {"night vision scope", 40, "dual-use optics"},
        {"brass knuckles", 60, "prohibited weapon"},
        {"stun gun", 50, "electric-shock weapon"},
        {"ammunition", 60, "ammunition"},
        {"detonator", 70, "explosive device"},
        {"fireworks", 40, "dangerous goods"},
        {"banknotes", 40, "UPU items not admitted"},
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(keywords); i++) {
        char id[32];
        snprintf(id, sizeof(id), "DEMO-K-%04zu", i + 1);
        s_row(d, id, "demo-goods", "keyword", "items.description", keywords[i].term,
              keywords[i].weight, keywords[i].note);
    }
    static const char *const regexes[] = {
        "(?i)\\bglock\\s*switch(es)?\\b",
        "(?i)\\b80\\s*%\\s*(lower|frame)\\b",
        "(?i)\\b(suppressor|silencer)s?\\b",
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(regexes); i++) {
        char id[32];
        snprintf(id, sizeof(id), "DEMO-R-%04zu", i + 1);
        s_row(d, id, "demo-goods", "regex", "items.description", regexes[i], 70,
              "firearm part or conversion device");
    }
    static const struct {
        const char *prefix;
        int weight;
        const char *note;
    } hscodes[] = {
        {"293336", 60, "ANPP (fentanyl precursor)"},   {"293337", 60, "NPP (fentanyl precursor)"},
        {"293339", 40, "piperidine derivatives"},      {"291431", 50, "phenylacetone (P-2-P)"},
        {"9305", 50, "parts and accessories of arms"}, {"9306", 60, "ammunition"},
        {"0507", 40, "ivory, tortoise-shell, horns"},  {"9601", 30, "worked ivory, bone, horn"},
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(hscodes); i++) {
        char id[32];
        snprintf(id, sizeof(id), "DEMO-H-%04zu", i + 1);
        s_row(d, id, "demo-hscodes", "hscode", "items.hs_code", hscodes[i].prefix,
              hscodes[i].weight, hscodes[i].note);
    }
}

static void s_countries(s_demo_t *d)
{
    static const struct {
        const char *iso2, *scope;
        int weight;
    } countries[] = {
        {"KP", "origin_country", 70}, {"IR", "origin_country", 60},   {"SY", "origin_country", 60},
        {"CU", "origin_country", 40}, {"IR", "dispatch_country", 50}, {"KP", "party.country", 50},
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(countries); i++) {
        char id[32];
        snprintf(id, sizeof(id), "DEMO-C-%04zu", i + 1);
        s_row(d, id, "demo-countries", "country", countries[i].scope, countries[i].iso2,
              countries[i].weight, "embargoed or high-risk origin");
    }
}

static void s_identifiers(s_demo_t *d)
{
    int n = 0;
    char id[32], value[128];
    for (int i = 0; i < 10; i++) {
        /* Ofcom's drama range: +44 20 7946 0000..0999 are never assigned. */
        snprintf(value, sizeof(value), "+44 20 7946 0%03u", gen__rng_below(&d->rng, 1000));
        snprintf(id, sizeof(id), "DEMO-I-%04d", ++n);
        s_row(d, id, "demo-identifiers", "identifier", "party.phone", value, 70,
              "phone used by a seized consignment");
    }
    for (int i = 0; i < 10; i++) {
        char word[48];
        s_word(d, s_family_pre, s_family_mid, s_family_end, word, sizeof(word));
        gen__ascii_lower(word);
        snprintf(value, sizeof(value), "orders.%u@%s-trade.example", gen__rng_below(&d->rng, 100),
                 word);
        snprintf(id, sizeof(id), "DEMO-I-%04d", ++n);
        s_row(d, id, "demo-identifiers", "identifier", "party.email", value, 70,
              "e-mail used by a seized consignment");
    }
    for (int i = 0; i < 5; i++) {
        snprintf(value, sizeof(value), "IM999%07u", gen__rng_below(&d->rng, 10000000u));
        snprintf(id, sizeof(id), "DEMO-I-%04d", ++n);
        s_row(d, id, "demo-identifiers", "identifier", "party.tax_id", value, 60,
              "IOSS number reported as misused");
    }
    static const char *const suffixes[] = {"IR", "SY", "KP", "CN", "TR"};
    for (int i = 0; i < 5; i++) {
        char serial[9];
        snprintf(serial, sizeof(serial), "%08u", gen__rng_below(&d->rng, 100000000u));
        snprintf(value, sizeof(value), "EE%s%c%s", serial, gen_s10_check_digit(serial),
                 suffixes[i]);
        snprintf(id, sizeof(id), "DEMO-I-%04d", ++n);
        s_row(d, id, "demo-identifiers", "identifier", "item_id", value, 80,
              "item announced in an intelligence report");
    }
}

long gen__demo_write(const char *path, char *err)
{
    s_demo_t *d = core_calloc(1, sizeof(*d));
    gen__rng_seed(&d->rng, GEN_DEMO_SEED);
    core_buf_append_str(&d->out, "id,list,kind,scope,pattern,weight,note\n");
    s_persons(d);
    s_companies(d);
    s_goods(d);
    s_countries(d);
    s_identifiers(d);
    long rc = d->rules;
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        rc = -errno;
        core_err_set(err, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (fwrite(d->out.data, 1, d->out.len, f) != d->out.len) {
        core_err_set(err, "%s: write error", path);
        rc = -EIO;
    }
    if (fclose(f) != 0 && rc >= 0) {
        core_err_set(err, "%s: %s", path, strerror(errno));
        rc = -EIO;
    }
out:
    core_buf_clear(&d->out);
    free(d);
    return rc;
}
