/* lists.c -- SPEC watchlists of a requested size for the benchmark runs.
 *
 * DESIGN: the pool holds the real rules of the --watchlist files in load order. A list of N
 * rules is the first N of one fixed order that interleaves names with the other kinds (one of
 * each while both last, then the rest), so a 1,000-rule list has goods terms as well as names,
 * and every list is a prefix of every larger one: planted hits of the smallest list hit in all.
 * Past the real rules the list goes on with synthetic names, three tokens each ("SURNAME
 * SURNAME, Given" or "Given Given Surname"), drawn from the tokens of the real lists' person
 * names ("LAST, First": their spelling and length look like the official lists) plus a
 * built-in set of person-name parts from many cultures, never from legal forms, honorifics,
 * particles or generic company words (a synthetic name that normalises to one common word
 * would hit every parcel). Three tokens keep them from matching a clean two-token parcel name
 * by token set. Synthetic names are unique as token sets, and differ from every real name.
 *
 * The patterns file holds the name and keyword patterns, one per line: the substrings the
 * grep and ripgrep baselines search for. Other kinds (regex, hscode, country, identifier) have
 * no fair fixed-string equivalent and are left out of the baseline. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "benchmicro/micro.h"
#include "core/str.h"
#include "internal.h"

static const char *const s_columns[BENCH_COL_COUNT] = {
    "id", "list", "kind", "scope", "pattern", "weight", "note", "valid_from", "valid_to",
};

/* Words that must not be parts of a synthetic name: legal forms, honorifics, particles and
 * generic organisation words. Screen drops some of them when normalising a name, and the rest
 * would make a synthetic name that hits every parcel with a common word in it. */
static const char *const s_stop_words[] = {
    "ltd",         "llc",         "inc",     "corp",          "corporation", "company",
    "limited",     "gmbh",        "sarl",    "spa",           "plc",         "pjsc",
    "ojsc",        "cjsc",        "jsc",     "ooo",           "zao",         "oao",
    "fze",         "fzco",        "fzc",     "llp",           "group",       "holding",
    "holdings",    "trading",     "trade",   "international", "industries",  "industrial",
    "enterprise",  "enterprises", "bank",    "banco",         "services",    "service",
    "import",      "export",      "general", "commercial",    "shipping",    "investment",
    "investments", "development", "sheikh",  "sheik",         "haji",        "hajji",
    "mullah",      "maulana",     "imam",    "colonel",       "the",         "and",
    "for",         "bin",         "ibn",     "bint",          "abu",         "abd",
    "abdul",       "van",         "von",     "der",           "den",         "del",
    "dos",         "das",         "les",     "los",           "las",         "ali",
    "air",         "oil",         "gas",     "sea",           "new",         "ltda",
    "cia",
};

/* Person-name parts from many cultures for synthetic names, used with the tokens of the real
 * lists' person names. */
static const char *const s_builtin_parts[] = {
    "Ahmed",     "Ali",          "Hassan",     "Hussein",    "Karimi",    "Rahman",
    "Nasser",    "Saleh",        "Farouk",     "Yousef",     "Mansour",   "Haddad",
    "Khalil",    "Aziz",         "Petrov",     "Ivanov",     "Sokolov",   "Volkov",
    "Morozov",   "Kuznetsov",    "Popova",     "Orlova",     "Dmitri",    "Sergei",
    "Oleg",      "Viktor",       "Nikolai",    "Chen",       "Wang",      "Zhou",
    "Liang",     "Huang",        "Xu",         "Kim",        "Park",      "Choi",
    "Nguyen",    "Tran",         "Pham",       "Santos",     "Oliveira",  "Pereira",
    "Gomez",     "Herrera",      "Castillo",   "Mendoza",    "Vargas",    "Rojas",
    "Ortega",    "Delgado",      "Mbeki",      "Okonkwo",    "Abubakar",  "Diallo",
    "Traore",    "Kone",         "Mensah",     "Osei",       "Kaya",      "Demir",
    "Yilmaz",    "Celik",        "Aydin",      "Sahin",      "Novak",     "Horvat",
    "Kovacs",    "Nagy",         "Szabo",      "Jansen",     "Bakker",    "Visser",
    "Lindqvist", "Berg",         "Haugen",     "Moreau",     "Lefebvre",  "Fontaine",
    "Bianchi",   "Ferrari",      "Esposito",   "Schmid",     "Hoffmann",  "Richter",
    "Kaur",      "Singh",        "Sharma",     "Patel",      "Reddy",     "Iyer",
    "Tanaka",    "Watanabe",     "Yamamoto",   "Suzuki",     "Omar",      "Tariq",
    "Bilal",     "Samir",        "Walid",      "Rashid",     "Abbasi",    "Akhtar",
    "Alavi",     "Amini",        "Ansari",     "Arslan",     "Asadi",     "Askari",
    "Ayoub",     "Bakr",         "Barzani",    "Darwish",    "Ebrahimi",  "Fadel",
    "Faraj",     "Ghani",        "Habibi",     "Hakimi",     "Hamdan",    "Hashemi",
    "Idris",     "Jaber",        "Jafari",     "Kabir",      "Kadir",     "Kamal",
    "Karam",     "Kazemi",       "Khoury",     "Latif",      "Mahdi",     "Majid",
    "Malik",     "Masri",        "Mousavi",    "Nabil",      "Najjar",    "Noori",
    "Qasim",     "Qureshi",      "Rahimi",     "Rostami",    "Sadeghi",   "Said",
    "Salem",     "Sharif",       "Shirazi",    "Sultan",     "Taheri",    "Yasin",
    "Zaki",      "Zaman",        "Zidan",      "Abramov",    "Alexeev",   "Antonov",
    "Belov",     "Bogdanov",     "Borisov",    "Danilov",    "Egorov",    "Fedorov",
    "Frolov",    "Gusev",        "Ignatov",    "Kiselev",    "Komarov",   "Kovalev",
    "Lebedev",   "Makarov",      "Medvedev",   "Nikitin",    "Novikov",   "Orlov",
    "Pavlov",    "Romanov",      "Semenov",    "Stepanov",   "Tarasov",   "Titov",
    "Vasiliev",  "Vlasov",       "Zaitsev",    "Zhukov",     "Anatoly",   "Boris",
    "Gennady",   "Grigory",      "Igor",       "Konstantin", "Maxim",     "Pavel",
    "Roman",     "Ruslan",       "Stanislav",  "Timur",      "Vadim",     "Valery",
    "Vladislav", "Yevgeny",      "Yuri",       "Bao",        "Cheng",     "Deng",
    "Feng",      "Gao",          "Guo",        "Han",        "Jiang",     "Lin",
    "Luo",       "Ma",           "Song",       "Sun",        "Tang",      "Yang",
    "Yuan",      "Zhao",         "Zheng",      "Jin",        "Hyun",      "Jung",
    "Kang",      "Yoon",         "Lim",        "Shin",       "Hoang",     "Huynh",
    "Phan",      "Vu",           "Dang",       "Bui",        "Ngo",       "Duong",
    "Acosta",    "Aguilar",      "Alvarez",    "Benitez",    "Cabrera",   "Cardenas",
    "Contreras", "Cordero",      "Dominguez",  "Escobar",    "Espinoza",  "Figueroa",
    "Fuentes",   "Guerrero",     "Ibarra",     "Jimenez",    "Lozano",    "Marquez",
    "Medina",    "Molina",       "Montoya",    "Navarro",    "Ochoa",     "Pacheco",
    "Quintero",  "Salazar",      "Sandoval",   "Serrano",    "Soto",      "Suarez",
    "Valencia",  "Vega",         "Zamora",     "Adebayo",    "Afolabi",   "Amadi",
    "Bello",     "Chukwu",       "Eze",        "Ibrahim",    "Mohammed",  "Musa",
    "Nwosu",     "Obi",          "Ogunleye",   "Okafor",     "Olawale",   "Sani",
    "Usman",     "Yakubu",       "Bangura",    "Camara",     "Cisse",     "Keita",
    "Sow",       "Toure",        "Ndiaye",     "Faye",       "Sylla",     "Bah",
    "Akhmedov",  "Aliyev",       "Karimov",    "Nazarov",    "Rakhimov",  "Saidov",
    "Tursunov",  "Yusupov",      "Ergashev",   "Kurbanov",   "Gashi",     "Hoxha",
    "Krasniqi",  "Berisha",      "Shala",      "Popescu",    "Ionescu",   "Dumitru",
    "Stoica",    "Petrovic",     "Jovanovic",  "Nikolic",    "Markovic",  "Djordjevic",
    "Kowalski",  "Nowak",        "Wisniewski", "Wojcik",     "Kaminski",  "Lewandowski",
    "Zielinski", "Szymanski",    "Dvorak",     "Svoboda",    "Novotny",   "Prochazka",
    "Kuchar",    "Papadopoulos", "Georgiou",   "Nikolaou",   "Dimitriou", "Christodoulou",
    "Ozturk",    "Dogan",        "Kilic",      "Aslan",      "Cetin",     "Kara",
    "Koc",
};

/* Goods keywords for runs without --watchlist (phrases from the UPU and customs lists). */
static const char *const s_builtin_keywords[] = {
    "replica",
    "counterfeit",
    "super copy",
    "fentanyl",
    "carfentanil",
    "ivory",
    "pangolin",
    "rhino horn",
    "tiger bone",
    "shark fin",
    "ephedrine",
    "pseudoephedrine",
    "tramadol",
    "anabolic steroid",
    "cocaine",
    "heroin",
    "methamphetamine",
    "nitrous oxide",
    "lithium metal",
    "fireworks",
    "ammunition",
    "gun parts",
    "suppressor",
    "solvent trap",
    "auto sear",
    "brass knuckles",
    "pepper spray",
    "stun gun",
    "ketamine",
    "gamma butyrolactone",
    "acetic anhydride",
    "safrole",
    "piperonal",
    "sassafras oil",
    "coral",
    "tortoiseshell",
    "bear bile",
    "cannabis",
    "kratom",
    "khat",
    "poppy straw",
    "unbranded copy",
    "aaa quality",
};

/* ============ Sets of hashes ============ */

typedef struct {
    uint64_t *slots; /* open addressing, 0 = empty */
    size_t cap;      /* slots, power of two */
    size_t count;    /* used slots */
} s_set_t;

static void s_set_grow(s_set_t *set)
{
    size_t cap = set->cap ? set->cap * 2 : 4096;
    uint64_t *slots = core_calloc(cap, sizeof(*slots));
    for (size_t i = 0; i < set->cap; i++) {
        uint64_t h = set->slots[i];
        if (h == 0)
            continue;
        size_t j = h & (cap - 1);
        while (slots[j] != 0)
            j = (j + 1) & (cap - 1);
        slots[j] = h;
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
}

static bool s_set_has(const s_set_t *set, uint64_t h)
{
    if (h == 0)
        h = 1;
    if (set->cap == 0)
        return false;
    size_t mask = set->cap - 1;
    for (size_t j = h & mask; set->slots[j] != 0; j = (j + 1) & mask)
        if (set->slots[j] == h)
            return true;
    return false;
}

/* Adds h; returns false when it was there already. */
static bool s_set_add(s_set_t *set, uint64_t h)
{
    if (h == 0)
        h = 1;
    if ((set->count + 1) * 2 > set->cap)
        s_set_grow(set);
    size_t mask = set->cap - 1;
    for (size_t j = h & mask;; j = (j + 1) & mask) {
        if (set->slots[j] == h)
            return false;
        if (set->slots[j] == 0) {
            set->slots[j] = h;
            set->count++;
            return true;
        }
    }
}

static void s_set_clear(s_set_t *set)
{
    free(set->slots);
    memset(set, 0, sizeof(*set));
}

static uint64_t s_hash_lower(const char *s, uint64_t seed)
{
    char buf[512];
    size_t n = 0;
    for (; *s && n < sizeof(buf); s++)
        buf[n++] = (char)tolower((unsigned char)*s);
    return core_hash64(buf, n, seed);
}

/* ============ Pool ============ */

struct bench__pool {
    bench__rule_t *rules; /* real rules, load order */
    size_t count;         /* rules */
    size_t cap;           /* allocated */
    size_t names;         /* name rules among them */
    char **tokens;        /* name parts for synthetic names, owned */
    size_t token_count;   /* entries in tokens */
    size_t token_cap;     /* allocated */
    s_set_t ids;          /* hashes of the ids loaded */
    s_set_t names_seen;   /* hashes of the real name patterns, lower-cased */
};

bench__pool_t *bench__pool_new(void)
{
    return core_calloc(1, sizeof(bench__pool_t));
}

void bench__pool_destroy(bench__pool_t **self_p)
{
    core_assert(self_p != NULL);
    bench__pool_t *self = *self_p;
    if (self == NULL)
        return;
    for (size_t i = 0; i < self->count; i++)
        for (int c = 0; c < BENCH_COL_COUNT; c++)
            free(self->rules[i].field[c]);
    free(self->rules);
    for (size_t i = 0; i < self->token_count; i++)
        free(self->tokens[i]);
    free(self->tokens);
    s_set_clear(&self->ids);
    s_set_clear(&self->names_seen);
    free(self);
    *self_p = NULL;
}

size_t bench__pool_size(const bench__pool_t *self)
{
    return self->count;
}

size_t bench__pool_names(const bench__pool_t *self)
{
    return self->names;
}

static void s_token_add(bench__pool_t *self, const char *tok, size_t len)
{
    if (self->token_count == self->token_cap) {
        self->token_cap = self->token_cap ? self->token_cap * 2 : 1024;
        self->tokens = core_realloc(self->tokens, self->token_cap * sizeof(*self->tokens));
    }
    self->tokens[self->token_count++] = core_strndup(tok, len);
}

static bool s_is_stop_word(const char *tok, size_t len)
{
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_stop_words); i++)
        if (strlen(s_stop_words[i]) == len && strncasecmp(s_stop_words[i], tok, len) == 0)
            return true;
    return false;
}

/* Keeps the alphabetic ASCII tokens of 3..20 bytes of a person's name ("LAST, First" as the
 * official lists write persons) as parts for synthetic names, stop words left out (at most
 * 200,000; duplicates stay, so frequent parts are drawn more often, as in real lists). */
static void s_tokens_from_name(bench__pool_t *self, const char *name)
{
    if (strchr(name, ',') == NULL)
        return;
    const char *p = name;
    while (*p && self->token_count < 200000) {
        while (*p && !isalpha((unsigned char)*p))
            p++;
        const char *start = p;
        bool ascii = true;
        while (*p && (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80)) {
            if ((unsigned char)*p >= 0x80)
                ascii = false;
            p++;
        }
        size_t len = (size_t)(p - start);
        if (ascii && len >= 3 && len <= 20 && !s_is_stop_word(start, len))
            s_token_add(self, start, len);
    }
}

static void s_rule_push(bench__pool_t *self, char *const field[BENCH_COL_COUNT])
{
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 1024;
        self->rules = core_realloc(self->rules, self->cap * sizeof(*self->rules));
    }
    bench__rule_t *r = &self->rules[self->count++];
    for (int c = 0; c < BENCH_COL_COUNT; c++)
        r->field[c] = core_strdup(field[c] ? field[c] : "");
    if (strcmp(r->field[BENCH_COL_KIND], "name") == 0) {
        self->names++;
        s_set_add(&self->names_seen, s_hash_lower(r->field[BENCH_COL_PATTERN], 2));
        s_tokens_from_name(self, r->field[BENCH_COL_PATTERN]);
    }
}

/* One RFC 4180 record from *p (advanced past it) into fields (NUL-terminated in place: the
 * buffer is modified). Returns the number of fields, 0 at the end of the data. */
static size_t s_csv_record(char **p, char *end, char **fields, size_t max)
{
    char *s = *p;
    if (s >= end)
        return 0;
    size_t n = 0;
    for (;;) {
        char *out = s;
        char *start = s;
        if (s < end && *s == '"') {
            s++;
            while (s < end) {
                if (*s == '"' && s + 1 < end && s[1] == '"') {
                    *out++ = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    *out++ = *s++;
                }
            }
            while (s < end && *s != ',' && *s != '\n')
                s++;
        } else {
            while (s < end && *s != ',' && *s != '\n')
                s++;
            out = s;
        }
        char sep = (char)(s < end ? *s : '\n');
        if (out > start && out[-1] == '\r' && sep == '\n')
            out--;
        *out = '\0';
        if (n < max)
            fields[n++] = start;
        if (s < end)
            s++;
        if (sep == '\n')
            break;
    }
    *p = s;
    return n;
}

int bench__pool_load(bench__pool_t *self, const char *path, char *err)
{
    size_t len = 0;
    char *data = bench_read_file(path, &len, err);
    if (data == NULL)
        return -ENOENT;
    char *p = data;
    char *end = data + len;
    char *fields[64];
    int map[BENCH_COL_COUNT];
    for (int c = 0; c < BENCH_COL_COUNT; c++)
        map[c] = -1;
    size_t n = s_csv_record(&p, end, fields, CORE_ARRAY_LEN(fields));
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < BENCH_COL_COUNT; c++)
            if (strcmp(fields[i], s_columns[c]) == 0 ||
                (i == 0 && strncmp(fields[i], "\xef\xbb\xbf", 3) == 0 &&
                 strcmp(fields[i] + 3, s_columns[c]) == 0))
                map[c] = (int)i;
    for (int c = 0; c <= BENCH_COL_WEIGHT; c++) {
        if (map[c] < 0) {
            core_err_set(err, "%s:1: no '%s' column (not a SPEC watchlist)", path, s_columns[c]);
            free(data);
            return -EINVAL;
        }
    }
    size_t line = 1;
    while ((n = s_csv_record(&p, end, fields, CORE_ARRAY_LEN(fields))) > 0) {
        line++;
        if (n == 1 && fields[0][0] == '\0')
            continue;
        char *row[BENCH_COL_COUNT];
        for (int c = 0; c < BENCH_COL_COUNT; c++)
            row[c] = map[c] >= 0 && (size_t)map[c] < n ? fields[map[c]] : "";
        if (row[BENCH_COL_ID][0] == '\0' || row[BENCH_COL_PATTERN][0] == '\0') {
            core_err_set(err, "%s:%zu: empty id or pattern", path, line);
            free(data);
            return -EINVAL;
        }
        if (!s_set_add(&self->ids, core_hash64(row[BENCH_COL_ID], strlen(row[BENCH_COL_ID]), 1)))
            continue;
        s_rule_push(self, row);
    }
    free(data);
    return 0;
}

void bench__pool_add_builtin(bench__pool_t *self)
{
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_builtin_keywords); i++) {
        char id[32];
        snprintf(id, sizeof(id), "BENCH-KW-%03zu", i + 1);
        if (!s_set_add(&self->ids, core_hash64(id, strlen(id), 1)))
            continue;
        char *row[BENCH_COL_COUNT] = {id,
                                      "bench-goods",
                                      "keyword",
                                      "items.description",
                                      (char *)s_builtin_keywords[i],
                                      "60",
                                      "built-in bench term",
                                      "",
                                      ""};
        s_rule_push(self, row);
    }
}

/* ============ Writing a list ============ */

static void s_csv_field(core_buf_t *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        core_buf_append_str(out, s);
        return;
    }
    core_buf_append_byte(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            core_buf_append_byte(out, '"');
        core_buf_append_byte(out, *s);
    }
    core_buf_append_byte(out, '"');
}

static void s_csv_row(core_buf_t *out, char *const field[BENCH_COL_COUNT])
{
    for (int c = 0; c < BENCH_COL_COUNT; c++) {
        if (c)
            core_buf_append_byte(out, ',');
        s_csv_field(out, field[c]);
    }
    core_buf_append_byte(out, '\n');
}

/* A pattern line for grep -F: one line, no line breaks inside. */
static void s_pattern_line(core_buf_t *out, const char *pattern)
{
    for (const char *s = pattern; *s; s++)
        core_buf_append_byte(out, (char)((*s == '\n' || *s == '\r') ? ' ' : *s));
    core_buf_append_byte(out, '\n');
}

/* The fixed order: indices of the real rules, names and others interleaved. */
static size_t *s_order(const bench__pool_t *self)
{
    size_t *order = core_calloc(self->count ? self->count : 1, sizeof(*order));
    size_t ni = 0;
    size_t oi = 0;
    size_t n = 0;
    bool want_name = false;
    while (n < self->count) {
        /* Advance each cursor to its next rule of the right group. */
        while (ni < self->count && strcmp(self->rules[ni].field[BENCH_COL_KIND], "name") != 0)
            ni++;
        while (oi < self->count && strcmp(self->rules[oi].field[BENCH_COL_KIND], "name") == 0)
            oi++;
        if (ni < self->count && (want_name || oi >= self->count))
            order[n++] = ni++;
        else if (oi < self->count)
            order[n++] = oi++;
        want_name = !want_name;
    }
    return order;
}

static const char *s_part(const bench__pool_t *self, bench_rng_t *rng)
{
    size_t builtin = CORE_ARRAY_LEN(s_builtin_parts);
    uint32_t i = bench_rng_below(rng, (uint32_t)(self->token_count + builtin));
    return i < self->token_count ? self->tokens[i] : s_builtin_parts[i - self->token_count];
}

/* Upper-cases an ASCII token into out (as official lists write surnames). */
static void s_upper(char *out, size_t size, const char *s)
{
    size_t n = 0;
    for (; *s && n + 1 < size; s++)
        out[n++] = (char)toupper((unsigned char)*s);
    out[n] = '\0';
}

/* Capitalises an ASCII token into out. */
static void s_capital(char *out, size_t size, const char *s)
{
    size_t n = 0;
    for (; *s && n + 1 < size; s++, n++)
        out[n] = (char)(n == 0 ? toupper((unsigned char)*s) : tolower((unsigned char)*s));
    out[n] = '\0';
}

/* Makes the next synthetic name into out: not a real name, not one made before ('made'). */
static void s_synthetic_name(const bench__pool_t *self, s_set_t *made, bench_rng_t *rng, char *out,
                             size_t size)
{
    for (;;) {
        char a[32], b[32], c[32];
        const char *pa = s_part(self, rng);
        const char *pb = s_part(self, rng);
        const char *pc = s_part(self, rng);
        if (strcasecmp(pa, pb) == 0 || strcasecmp(pb, pc) == 0 || strcasecmp(pa, pc) == 0)
            continue;
        if (bench_rng_below(rng, 2) == 0) {
            s_upper(a, sizeof(a), pa);
            s_upper(b, sizeof(b), pb);
            s_capital(c, sizeof(c), pc);
            snprintf(out, size, "%s %s, %s", a, b, c);
        } else {
            s_capital(a, sizeof(a), pa);
            s_capital(b, sizeof(b), pb);
            s_capital(c, sizeof(c), pc);
            snprintf(out, size, "%s %s %s", a, b, c);
        }
        /* Unique as a set of tokens: screen also matches names in any token order. */
        const char *parts[3] = {pa, pb, pc};
        for (int i = 1; i < 3; i++)
            for (int k = i; k > 0 && strcasecmp(parts[k - 1], parts[k]) > 0; k--) {
                const char *t = parts[k];
                parts[k] = parts[k - 1];
                parts[k - 1] = t;
            }
        char key[128];
        snprintf(key, sizeof(key), "%s %s %s", parts[0], parts[1], parts[2]);
        if (!s_set_has(&self->names_seen, s_hash_lower(out, 2)) &&
            s_set_add(made, s_hash_lower(key, 3)))
            return;
    }
}

static int s_write_file(const char *path, const core_buf_t *buf, char *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        core_err_set(err, "%s: %s", tmp, strerror(errno));
        return -errno;
    }
    size_t w = buf->len ? fwrite(buf->data, 1, buf->len, f) : 0;
    int failed = fclose(f) != 0 || w != buf->len;
    if (failed || rename(tmp, path) != 0) {
        core_err_set(err, "%s: cannot write", path);
        unlink(tmp);
        return -EIO;
    }
    return 0;
}

int bench__list_write(bench__pool_t *self, size_t rules, uint64_t seed, const char *csv_path,
                      const char *patterns_path, bench__list_info_t *info, char *err)
{
    core_assert(self != NULL);
    memset(info, 0, sizeof(*info));
    core_buf_t csv = {0};
    core_buf_t pat = {0};
    core_buf_append_str(&csv, "id,list,kind,scope,pattern,weight,note,valid_from,valid_to\n");
    size_t *order = s_order(self);
    size_t real = rules < self->count ? rules : self->count;
    for (size_t i = 0; i < real; i++) {
        const bench__rule_t *r = &self->rules[order[i]];
        s_csv_row(&csv, r->field);
        const char *kind = r->field[BENCH_COL_KIND];
        bool name = strcmp(kind, "name") == 0;
        if (name)
            info->names++;
        if (name || strcmp(kind, "keyword") == 0) {
            s_pattern_line(&pat, r->field[BENCH_COL_PATTERN]);
            info->patterns++;
        }
    }
    free(order);
    info->real = real;
    /* Synthetic names: the same seed gives the same sequence for every list size. */
    bench_rng_t rng;
    bench_rng_seed(&rng, seed ^ 0x5eedULL);
    s_set_t made = {0};
    for (size_t i = real; i < rules; i++) {
        char name[160];
        char id[40];
        s_synthetic_name(self, &made, &rng, name, sizeof(name));
        snprintf(id, sizeof(id), "BENCH-SYN-%07zu", i - real + 1);
        char *row[BENCH_COL_COUNT] = {id,
                                      "bench-synthetic",
                                      "name",
                                      "party.name",
                                      name,
                                      "80",
                                      "synthetic name for benchmarks",
                                      "",
                                      ""};
        s_csv_row(&csv, row);
        s_pattern_line(&pat, name);
        info->synthetic++;
        info->names++;
        info->patterns++;
    }
    s_set_clear(&made);
    info->rules = real + info->synthetic;
    int rc = s_write_file(csv_path, &csv, err);
    if (rc == 0 && patterns_path)
        rc = s_write_file(patterns_path, &pat, err);
    core_buf_clear(&csv);
    core_buf_clear(&pat);
    return rc;
}
