/* rules.c -- SPEC watchlists for the generator: the rules to plant, and the guards that keep
 * clean parcels clean.
 *
 * DESIGN: the generator does not link the screen stage; it reads the SPEC CSV itself
 * (id,list,kind,scope,pattern,weight,note[,valid_from,valid_to], header by name) and keeps
 * every rule. From them it builds guards that answer "would this clean value hit?":
 *   - keyword and regex rules: one Hyperscan block-mode database. Keywords are folded
 *     (diacritics stripped, case folded) and matched caselessly, short ones as whole words,
 *     longer ones anywhere (stricter than the screen, and fast to compile); regexes as
 *     written; regexes Hyperscan refuses are dropped from the guard (counted).
 *   - name rules: names are reduced to sorted sets of folded tokens (split like the screen's
 *     NAME normalisation), once as written and once without legal forms and honorifics.
 *     A clean name is refused when any subset of its tokens equals a listed name's token set
 *     (so "Maria Lopez" is refused for a rule "LOPEZ, Maria" and for a one-word alias "MARIA"),
 *     and, for names of up to three tokens, when two of its tokens occur together in a listed
 *     name. Fuzzy near-misses (a spelling difference) are not seen: that is the residual.
 *   - hscode rules: digit prefixes; country rules: a 26x26 table; identifier rules: a set of
 *     normalised values (digits of a phone, lower-case e-mail, upper-case alphanumerics else).
 * The guards ignore scope: a clean value is kept away from every rule of its kind. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs.h>
#include <utf8proc.h>

#include "core/log.h"
#include "core/str.h"
#include "internal.h"

/* ============ A set of 64-bit hashes (open addressing; 0 marks an empty slot) ============ */

typedef struct {
    uint64_t *slots; /* capacity entries */
    size_t capacity; /* power of two */
    size_t count;    /* used slots */
} s_hashset_t;

static void s_hashset_grow(s_hashset_t *set);

static void s_hashset_add(s_hashset_t *set, uint64_t h)
{
    if (h == 0)
        h = 1;
    if ((set->count + 1) * 2 > set->capacity)
        s_hashset_grow(set);
    size_t mask = set->capacity - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (set->slots[i] == h)
            return;
        if (set->slots[i] == 0) {
            set->slots[i] = h;
            set->count++;
            return;
        }
    }
}

static void s_hashset_grow(s_hashset_t *set)
{
    s_hashset_t bigger = {NULL, set->capacity ? set->capacity * 2 : 1024, 0};
    bigger.slots = core_calloc(bigger.capacity, sizeof(*bigger.slots));
    for (size_t i = 0; i < set->capacity; i++)
        if (set->slots[i])
            s_hashset_add(&bigger, set->slots[i]);
    free(set->slots);
    *set = bigger;
}

static bool s_hashset_has(const s_hashset_t *set, uint64_t h)
{
    if (set->capacity == 0)
        return false;
    if (h == 0)
        h = 1;
    size_t mask = set->capacity - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (set->slots[i] == h)
            return true;
        if (set->slots[i] == 0)
            return false;
    }
}

/* ============ The rule set ============ */

#define GEN_MAX_TOKENS 12
#define GEN_BOUNDED_KEYWORD 6       /* keywords up to this many bytes are matched as whole words */
#define GEN_SEED_NAME 0x6e616d65ULL /* hash seeds keep the key spaces apart */
#define GEN_SEED_PAIR 0x70616972ULL
#define GEN_SEED_PHONE 0x70686f6eULL
#define GEN_SEED_EMAIL 0x656d6169ULL
#define GEN_SEED_IDENT 0x6964656eULL
#define GEN_SEED_RULEID 0x72756c65ULL

struct gen__rules {
    gen__rule_t *rules;                /* loaded rules */
    size_t count, cap;                 /* entries, allocated */
    s_hashset_t ids;                   /* rule ids seen */
    size_t *plantable[GEN_KIND_COUNT]; /* indexes into rules per kind, grouped by list */
    size_t plantable_count[GEN_KIND_COUNT];
    size_t *groups[GEN_KIND_COUNT]; /* start of each list's run in plantable[kind] */
    size_t group_count[GEN_KIND_COUNT];
    hs_database_t *text_db;     /* keyword + regex guard; NULL when there are none */
    hs_scratch_t *text_scratch; /* single-threaded generator: one scratch */
    s_hashset_t names;          /* token-set keys of listed names */
    s_hashset_t pairs;          /* token-pair keys of listed names */
    s_hashset_t idents;         /* normalised identifiers */
    char **hscodes;             /* digit prefixes */
    size_t hscode_count;
    bool countries[26 * 26]; /* watched ISO2 codes */
    size_t regex_dropped;    /* regexes the guard could not compile */
};

gen__rules_t *gen__rules_new(void)
{
    return core_calloc(1, sizeof(gen__rules_t));
}

void gen__rules_destroy(gen__rules_t **self_p)
{
    core_assert(self_p != NULL);
    gen__rules_t *self = *self_p;
    if (self == NULL)
        return;
    for (size_t i = 0; i < self->count; i++) {
        free(self->rules[i].id);
        free(self->rules[i].list);
        free(self->rules[i].scope);
        free(self->rules[i].pattern);
    }
    free(self->rules);
    free(self->ids.slots);
    for (int k = 0; k < GEN_KIND_COUNT; k++) {
        free(self->plantable[k]);
        free(self->groups[k]);
    }
    if (self->text_scratch)
        hs_free_scratch(self->text_scratch);
    if (self->text_db)
        hs_free_database(self->text_db);
    free(self->names.slots);
    free(self->pairs.slots);
    free(self->idents.slots);
    for (size_t i = 0; i < self->hscode_count; i++)
        free(self->hscodes[i]);
    free(self->hscodes);
    free(self);
    *self_p = NULL;
}

size_t gen__rules_count(const gen__rules_t *self)
{
    return self->count;
}

const gen__rule_t *gen__rules_get(const gen__rules_t *self, size_t index)
{
    core_assert(index < self->count);
    return &self->rules[index];
}

size_t gen__rules_plantable(const gen__rules_t *self, gen__kind_t kind)
{
    return self->plantable_count[kind];
}

const gen__rule_t *gen__rules_plantable_pick(const gen__rules_t *self, gen__kind_t kind,
                                             gen__rng_t *rng)
{
    core_assert(self->plantable_count[kind] > 0);
    size_t g = gen__rng_below(rng, (uint32_t)self->group_count[kind]);
    size_t start = self->groups[kind][g];
    size_t end =
        g + 1 < self->group_count[kind] ? self->groups[kind][g + 1] : self->plantable_count[kind];
    size_t index = start + gen__rng_below(rng, (uint32_t)(end - start));
    return &self->rules[self->plantable[kind][index]];
}

/* Orders plantable indexes by list name (then load order), so each list is one run. */
static int s_by_list(const void *a, const void *b, void *ctx)
{
    const gen__rule_t *rules = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(rules[x].list, rules[y].list);
    return c ? c : (x < y ? -1 : x > y);
}

static void s_group(gen__rules_t *self, int kind)
{
    size_t n = self->plantable_count[kind];
    if (n == 0)
        return;
    qsort_r(self->plantable[kind], n, sizeof(size_t), s_by_list, self->rules);
    for (size_t i = 0; i < n; i++) {
        const char *list = self->rules[self->plantable[kind][i]].list;
        if (i > 0 && strcmp(list, self->rules[self->plantable[kind][i - 1]].list) == 0)
            continue;
        self->groups[kind] =
            core_realloc(self->groups[kind], (self->group_count[kind] + 1) * sizeof(size_t));
        self->groups[kind][self->group_count[kind]++] = i;
    }
}

/* ============ CSV (RFC 4180) over a buffer ============ */

typedef struct {
    const char *p, *end; /* unread bytes */
    long line;           /* line of the record being read */
    core_buf_t field;    /* current field's bytes */
    core_buf_t store;    /* all fields of the record, NUL-separated */
    size_t offsets[16];  /* field starts in store */
    size_t count;        /* fields in the record */
} s_csv_t;

/* Reads one record. Returns 1, 0 at the end, or -EINVAL (unterminated quote, too many
 * fields). */
static int s_csv_next(s_csv_t *csv, char *err)
{
    core_buf_reset(&csv->store);
    csv->count = 0;
    if (csv->p >= csv->end || (csv->end - csv->p == 1 && *csv->p == 0x1a))
        return 0;
    csv->line++;
    for (;;) {
        core_buf_reset(&csv->field);
        bool quoted = false;
        if (csv->p < csv->end && *csv->p == '"') {
            quoted = true;
            csv->p++;
        }
        for (;;) {
            if (csv->p >= csv->end) {
                if (quoted) {
                    core_err_set(err, "line %ld: unterminated quoted field", csv->line);
                    return -EINVAL;
                }
                break;
            }
            char c = *csv->p;
            if (quoted) {
                if (c == '"' && csv->p + 1 < csv->end && csv->p[1] == '"') {
                    core_buf_append_byte(&csv->field, '"');
                    csv->p += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                    csv->p++;
                    continue;
                }
                if (c == '\n')
                    csv->line++;
                core_buf_append_byte(&csv->field, c);
                csv->p++;
                continue;
            }
            if (c == ',' || c == '\n' || c == '\r')
                break;
            core_buf_append_byte(&csv->field, c);
            csv->p++;
        }
        if (csv->count == CORE_ARRAY_LEN(csv->offsets)) {
            core_err_set(err, "line %ld: more than %zu fields", csv->line,
                         CORE_ARRAY_LEN(csv->offsets));
            return -EINVAL;
        }
        csv->offsets[csv->count++] = csv->store.len;
        core_buf_append(&csv->store, csv->field.data, csv->field.len);
        core_buf_append_byte(&csv->store, '\0');
        if (csv->p < csv->end && *csv->p == ',') {
            csv->p++;
            continue;
        }
        if (csv->p < csv->end && *csv->p == '\r')
            csv->p++;
        if (csv->p < csv->end && *csv->p == '\n')
            csv->p++;
        return 1;
    }
}

static const char *s_csv_get(const s_csv_t *csv, int column)
{
    if (column < 0 || (size_t)column >= csv->count)
        return "";
    return csv->store.data + csv->offsets[column];
}

/* ============ Normalisation ============ */

/* Folds UTF-8 text: decomposed, marks stripped, case folded. Caller frees. */
static char *s_fold(const char *text)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)text, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                         UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    if (n < 0) {
        char *copy = core_strdup(text);
        gen__ascii_lower(copy);
        return copy;
    }
    return (char *)out;
}

/* Words a name matcher may drop: legal forms and honorifics. Dropping is only ever used to add
 * keys on the rule side, so a longer list here can only make the guard more careful. */
static const char *const s_dropped_words[] = {
    "ltd",     "limited", "llc",     "inc",    "incorporated", "corp",  "corporation", "co",
    "company", "gmbh",    "ag",      "sa",     "sarl",         "sas",   "srl",         "spa",
    "bv",      "nv",      "plc",     "llp",    "lp",           "pte",   "pvt",         "private",
    "pty",     "jsc",     "ojsc",    "cjsc",   "pjsc",         "ooo",   "oao",         "zao",
    "fze",     "fzco",    "fz",      "kg",     "ek",           "ab",    "aps",         "oy",
    "kk",      "sl",      "lda",     "ltda",   "sti",          "eurl",  "ug",          "dac",
    "sp",      "zoo",     "cv",      "mr",     "mrs",          "ms",    "miss",        "dr",
    "prof",    "sir",     "sheikh",  "shaykh", "haji",         "hajji", "mullah",      "maulana",
    "sayyid",  "sayed",   "general", "col",    "capt",         NULL};

/* Whether token (y folded to i, see s_tokens) equals word once folded the same way. */
static bool s_eq_folded(const char *token, const char *word)
{
    for (;;) {
        char c = *word++;
        if (c == 'y')
            c = 'i';
        if (*token != c)
            return false;
        if (c == '\0')
            return true;
        token++;
    }
}

static bool s_is_dropped_word(const char *token)
{
    for (size_t i = 0; s_dropped_words[i]; i++)
        if (s_eq_folded(token, s_dropped_words[i]))
            return true;
    return false;
}

static int s_token_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool s_single_letter(const char *t)
{
    return t[0] >= 'a' && t[0] <= 'z' && t[1] == '\0';
}

/* Splits a folded name into sorted, unique tokens the way the screen's NAME normalisation does:
 * every byte that is not a letter, digit or part of a non-ASCII character separates, and runs of
 * single letters join ("s.a." -> "sa", "o'brien" -> "o", "brien"); y is written i, as screen's
 * NAME mode folds it ("Yan" and "IAN" are one name to the screen).
 * With 'drop', legal forms and honorifics are removed. 'buf' holds the token bytes. Returns the
 * number of tokens. */
static size_t s_tokens(const char *folded, char *buf, size_t size, char **tokens, bool drop)
{
    char *raw[GEN_MAX_TOKENS];
    size_t n = 0, len = 0;
    bool in_token = false;
    for (const char *p = folded;; p++) {
        unsigned char c = (unsigned char)*p;
        bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (word && len + 2 < size / 2) {
            if (!in_token) {
                if (n == GEN_MAX_TOKENS)
                    break;
                raw[n++] = buf + len;
                in_token = true;
            }
            if (c == 'y')
                c = 'i';
            buf[len++] = (char)c;
        } else if (in_token) {
            buf[len++] = '\0';
            in_token = false;
        }
        if (c == '\0')
            break;
    }
    if (in_token)
        buf[len++] = '\0';
    /* Join runs of single letters into one token, written after the raw tokens. */
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        if (s_single_letter(raw[i]) && i + 1 < n && s_single_letter(raw[i + 1])) {
            char *joined = buf + len;
            while (i < n && s_single_letter(raw[i]) && len + 2 < size)
                buf[len++] = raw[i++][0];
            buf[len++] = '\0';
            tokens[m++] = joined;
        } else {
            tokens[m++] = raw[i++];
        }
    }
    n = 0;
    for (size_t i = 0; i < m; i++)
        if (!drop || !s_is_dropped_word(tokens[i]))
            tokens[n++] = tokens[i];
    qsort(tokens, n, sizeof(*tokens), s_token_cmp);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++)
        if (unique == 0 || strcmp(tokens[unique - 1], tokens[i]) != 0)
            tokens[unique++] = tokens[i];
    return unique;
}

/* Hash of a token subset (bitmask over sorted tokens). */
static uint64_t s_subset_hash(char **tokens, size_t n, uint32_t mask, uint64_t seed)
{
    uint64_t h = seed;
    for (size_t i = 0; i < n; i++) {
        if (!(mask & (1u << i)))
            continue;
        h = core_hash64(tokens[i], strlen(tokens[i]), h);
        h = core_hash64(" ", 1, h);
    }
    return h;
}

static void s_add_name(gen__rules_t *self, const char *pattern)
{
    char *folded = s_fold(pattern);
    for (int drop = 0; drop <= 1; drop++) {
        char buf[1024];
        char *tokens[GEN_MAX_TOKENS];
        size_t n = s_tokens(folded, buf, sizeof(buf), tokens, drop);
        if (n == 0)
            continue;
        s_hashset_add(&self->names, s_subset_hash(tokens, n, (1u << n) - 1, GEN_SEED_NAME));
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                s_hashset_add(&self->pairs,
                              s_subset_hash(tokens, n, (1u << i) | (1u << j), GEN_SEED_PAIR));
    }
    free(folded);
}

static void s_digits(const char *in, char *out, size_t size)
{
    size_t len = 0;
    for (; *in && len + 1 < size; in++)
        if (*in >= '0' && *in <= '9')
            out[len++] = *in;
    out[len] = '\0';
}

static void s_upper_alnum(const char *in, char *out, size_t size)
{
    size_t len = 0;
    for (; *in && len + 1 < size; in++) {
        char c = *in;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80)
            out[len++] = c;
    }
    out[len] = '\0';
}

static uint64_t s_ident_hash(const char *value, uint64_t seed)
{
    char norm[256];
    if (seed == GEN_SEED_PHONE) {
        s_digits(value, norm, sizeof(norm));
    } else if (seed == GEN_SEED_EMAIL) {
        gen__copy(norm, sizeof(norm), value);
        gen__ascii_lower(norm);
    } else {
        s_upper_alnum(value, norm, sizeof(norm));
    }
    return core_hash64(norm, strlen(norm), seed);
}

/* ============ Loading ============ */

static int s_kind_parse(const char *text, gen__kind_t *out)
{
    static const char *const names[GEN_KIND_COUNT] = {"name",   "keyword", "regex",
                                                      "hscode", "country", "identifier"};
    for (int k = 0; k < GEN_KIND_COUNT; k++) {
        if (strcmp(text, names[k]) == 0) {
            *out = (gen__kind_t)k;
            return 0;
        }
    }
    return -EINVAL;
}

static bool s_scope_in(const char *scope, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(scope, allowed[i]) == 0)
            return true;
    return false;
}

/* Whether plant.c supports this rule (kind, scope, a pattern that fits the fields). */
static bool s_plantable(const gen__rule_t *rule, bool dated)
{
    static const char *const name_scopes[] = {"sender.name", "recipient.name", "party.name",
                                              "seller.name", NULL};
    static const char *const keyword_scopes[] = {
        "items.description", "sender.address", "recipient.address",
        "party.address",     "sender.name",    "recipient.name",
        "party.name",        "seller.name",    NULL};
    static const char *const country_scopes[] = {"origin_country", "dispatch_country",
                                                 "party.country", NULL};
    static const char *const ident_scopes[] = {"party.phone", "party.email", "party.tax_id",
                                               "item_id", NULL};
    size_t len = strlen(rule->pattern);
    if (dated || len == 0)
        return false;
    for (const char *p = rule->pattern; *p; p++)
        if ((unsigned char)*p < 0x20)
            return false;
    switch (rule->kind) {
    case GEN_KIND_NAME:
        return len < GEN_NAME_LEN / 2 && s_scope_in(rule->scope, name_scopes);
    case GEN_KIND_KEYWORD:
        return len < 160 && s_scope_in(rule->scope, keyword_scopes);
    case GEN_KIND_HSCODE: {
        char digits[32];
        s_digits(rule->pattern, digits, sizeof(digits));
        return strcmp(rule->scope, "items.hs_code") == 0 && digits[0] != '\0' &&
               strlen(digits) <= 10;
    }
    case GEN_KIND_COUNTRY:
        return len == 2 && rule->pattern[0] >= 'A' && rule->pattern[0] <= 'Z' &&
               rule->pattern[1] >= 'A' && rule->pattern[1] <= 'Z' &&
               s_scope_in(rule->scope, country_scopes);
    case GEN_KIND_IDENTIFIER:
        return len < GEN_IDENT_LEN - 8 && s_scope_in(rule->scope, ident_scopes);
    default:
        return false; /* a string matching an arbitrary regex is not planted */
    }
}

static int s_read_file(const char *path, core_buf_t *out, char *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        core_err_set(err, "%s: %s", path, strerror(errno));
        return -ENOENT;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        core_buf_append(out, chunk, n);
    int rc = ferror(f) ? -EIO : 0;
    if (rc)
        core_err_set(err, "%s: read error", path);
    fclose(f);
    return rc;
}

int gen__rules_load(gen__rules_t *self, const char *path, char *err)
{
    core_buf_t data = {0};
    int rc = s_read_file(path, &data, err);
    if (rc != 0)
        goto out;
    s_csv_t csv = {.p = data.data, .end = data.data + data.len};
    if (data.len >= 3 && memcmp(data.data, "\xEF\xBB\xBF", 3) == 0)
        csv.p += 3; /* UTF-8 byte order mark */
    rc = s_csv_next(&csv, err);
    if (rc <= 0) {
        if (rc == 0)
            core_err_set(err, "empty file, no header row");
        rc = -EINVAL;
        goto out_prefix;
    }
    enum { C_ID, C_LIST, C_KIND, C_SCOPE, C_PATTERN, C_FROM, C_TO, C_COUNT };
    static const char *const names[C_COUNT] = {"id",      "list",       "kind",    "scope",
                                               "pattern", "valid_from", "valid_to"};
    int col[C_COUNT];
    for (int c = 0; c < C_COUNT; c++) {
        col[c] = -1;
        for (size_t i = 0; i < csv.count; i++)
            if (strcmp(s_csv_get(&csv, (int)i), names[c]) == 0)
                col[c] = (int)i;
        if (col[c] < 0 && c < C_FROM) {
            core_err_set(err, "line 1: header has no '%s' column", names[c]);
            rc = -EINVAL;
            goto out_prefix;
        }
    }
    while ((rc = s_csv_next(&csv, err)) == 1) {
        if (csv.count == 1 && s_csv_get(&csv, 0)[0] == '\0')
            continue; /* blank line */
        const char *id = s_csv_get(&csv, col[C_ID]);
        const char *pattern = s_csv_get(&csv, col[C_PATTERN]);
        gen__kind_t kind;
        if (s_kind_parse(s_csv_get(&csv, col[C_KIND]), &kind) != 0) {
            core_err_set(err, "line %ld: unknown kind '%s'", csv.line,
                         s_csv_get(&csv, col[C_KIND]));
            rc = -EINVAL;
            goto out_prefix;
        }
        if (id[0] == '\0' || pattern[0] == '\0' || !core_utf8_valid(pattern, strlen(pattern))) {
            core_err_set(err, "line %ld: empty id, empty pattern or invalid UTF-8", csv.line);
            rc = -EINVAL;
            goto out_prefix;
        }
        uint64_t h = core_hash64(id, strlen(id), GEN_SEED_RULEID);
        if (s_hashset_has(&self->ids, h))
            continue; /* the same list given twice (e.g. the demo list) */
        s_hashset_add(&self->ids, h);
        if (self->count == self->cap) {
            self->cap = self->cap ? self->cap * 2 : 256;
            self->rules = core_realloc(self->rules, self->cap * sizeof(*self->rules));
        }
        gen__rule_t *r = &self->rules[self->count++];
        r->id = core_strdup(id);
        r->list = core_strdup(s_csv_get(&csv, col[C_LIST]));
        r->scope = core_strdup(s_csv_get(&csv, col[C_SCOPE]));
        r->pattern = core_strdup(pattern);
        r->kind = kind;
        bool dated =
            s_csv_get(&csv, col[C_FROM])[0] != '\0' || s_csv_get(&csv, col[C_TO])[0] != '\0';
        r->plantable = s_plantable(r, dated);
    }
    if (rc < 0)
        goto out_prefix;
    rc = 0;
    goto out_csv;

out_prefix:
    core_err_prefix(err, "%s", path);
out_csv:
    core_buf_clear(&csv.field);
    core_buf_clear(&csv.store);
out:
    core_buf_clear(&data);
    return rc;
}

/* ============ Building the guards ============ */

/* Appends a literal as a Hyperscan expression: every byte outside [A-Za-z0-9] escaped. Only
 * short literals get \b on their word edges: Hyperscan compiles tens of thousands of plain
 * literals in well under a second but needs minutes for as many bounded ones, and a long
 * keyword found inside a longer word ("tortoiseshells") only makes the guard more careful. */
static void s_literal_expr(core_buf_t *out, const char *literal)
{
    size_t len = strlen(literal);
    bool bounded = len <= GEN_BOUNDED_KEYWORD;
    bool word_start = len && ((literal[0] | 0x20) >= 'a' && (literal[0] | 0x20) <= 'z');
    word_start = bounded && (word_start || (len && literal[0] >= '0' && literal[0] <= '9'));
    char last = '\0';
    if (len > 0)
        last = literal[len - 1];
    bool word_end = ((last | 0x20) >= 'a' && (last | 0x20) <= 'z') || (last >= '0' && last <= '9');
    word_end = bounded && word_end;
    if (word_start)
        core_buf_append_str(out, "\\b");
    for (const char *p = literal; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            core_buf_append_byte(out, (char)c);
        else
            core_buf_printf(out, "\\x%02x", c);
    }
    if (word_end)
        core_buf_append_str(out, "\\b");
    core_buf_append_byte(out, '\0');
}

static int s_build_text_guard(gen__rules_t *self, char *err)
{
    core_buf_t exprs = {0};
    size_t n = 0;
    for (size_t i = 0; i < self->count; i++)
        n += self->rules[i].kind == GEN_KIND_KEYWORD || self->rules[i].kind == GEN_KIND_REGEX;
    if (n == 0)
        return 0;
    size_t *offsets = core_calloc(n, sizeof(*offsets));
    unsigned *flags = core_calloc(n, sizeof(*flags));
    unsigned *ids = core_calloc(n, sizeof(*ids));
    const char **ptrs = core_calloc(n, sizeof(*ptrs));
    n = 0;
    for (size_t i = 0; i < self->count; i++) {
        const gen__rule_t *r = &self->rules[i];
        if (r->kind == GEN_KIND_KEYWORD) {
            char *folded = s_fold(r->pattern);
            offsets[n] = exprs.len;
            s_literal_expr(&exprs, folded);
            free(folded);
            flags[n] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
        } else if (r->kind == GEN_KIND_REGEX) {
            offsets[n] = exprs.len;
            core_buf_append(&exprs, r->pattern, strlen(r->pattern) + 1);
            flags[n] = HS_FLAG_SINGLEMATCH;
        } else {
            continue;
        }
        ids[n] = (unsigned)n;
        n++;
    }
    int rc = 0;
    for (;;) {
        for (size_t i = 0; i < n; i++)
            ptrs[i] = exprs.data + offsets[i];
        hs_compile_error_t *cerr = NULL;
        if (hs_compile_multi(ptrs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &self->text_db,
                             &cerr) == HS_SUCCESS)
            break;
        int bad = cerr ? cerr->expression : -1;
        if (bad < 0 || (size_t)bad >= n) {
            core_err_set(err, "watchlist guard: %s", cerr ? cerr->message : "compile failed");
            hs_free_compile_error(cerr);
            rc = -EINVAL;
            goto out;
        }
        hs_free_compile_error(cerr);
        /* Drop the expression Hyperscan refused and try again. */
        offsets[bad] = offsets[n - 1];
        flags[bad] = flags[n - 1];
        n--;
        self->regex_dropped++;
        if (n == 0)
            goto out;
    }
    if (hs_alloc_scratch(self->text_db, &self->text_scratch) != HS_SUCCESS) {
        core_err_set(err, "watchlist guard: no scratch");
        rc = -ENOMEM;
    }
out:
    free(offsets);
    free(flags);
    free(ids);
    free(ptrs);
    core_buf_clear(&exprs);
    return rc;
}

int gen__rules_finish(gen__rules_t *self, char *err)
{
    for (size_t i = 0; i < self->count; i++) {
        const gen__rule_t *r = &self->rules[i];
        if (r->plantable) {
            size_t k = r->kind;
            self->plantable[k] =
                core_realloc(self->plantable[k], (self->plantable_count[k] + 1) * sizeof(size_t));
            self->plantable[k][self->plantable_count[k]++] = i;
        }
        switch (r->kind) {
        case GEN_KIND_NAME:
            s_add_name(self, r->pattern);
            break;
        case GEN_KIND_HSCODE: {
            char digits[64];
            s_digits(r->pattern, digits, sizeof(digits));
            if (digits[0] == '\0')
                break;
            self->hscodes =
                core_realloc(self->hscodes, (self->hscode_count + 1) * sizeof(*self->hscodes));
            self->hscodes[self->hscode_count++] = core_strdup(digits);
            break;
        }
        case GEN_KIND_COUNTRY:
            if (strlen(r->pattern) == 2) {
                int a = (r->pattern[0] | 0x20) - 'a', b = (r->pattern[1] | 0x20) - 'a';
                if (a >= 0 && a < 26 && b >= 0 && b < 26)
                    self->countries[a * 26 + b] = true;
            }
            break;
        case GEN_KIND_IDENTIFIER:
            /* The scope says how the screen normalises; the guard adds every reading. */
            s_hashset_add(&self->idents, s_ident_hash(r->pattern, GEN_SEED_PHONE));
            s_hashset_add(&self->idents, s_ident_hash(r->pattern, GEN_SEED_EMAIL));
            s_hashset_add(&self->idents, s_ident_hash(r->pattern, GEN_SEED_IDENT));
            break;
        default:
            break;
        }
    }
    for (int k = 0; k < GEN_KIND_COUNT; k++)
        s_group(self, k);
    int rc = s_build_text_guard(self, err);
    if (self->regex_dropped)
        core_log(CORE_LOG_WARN, "%zu regex rules could not be compiled for the clean-text guard",
                 self->regex_dropped);
    return rc;
}

/* ============ Guards ============ */

static int s_on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                      void *ctx)
{
    (void)id;
    (void)from;
    (void)to;
    (void)flags;
    *(bool *)ctx = true;
    return 1; /* stop at the first hit */
}

bool gen__guard_text(gen__rules_t *self, const char *text)
{
    if (self == NULL || self->text_db == NULL)
        return false;
    bool hit = false;
    char *folded = NULL;
    const char *scan = text;
    if (!gen__is_ascii(text))
        scan = folded = s_fold(text);
    hs_scan(self->text_db, scan, (unsigned)strlen(scan), 0, self->text_scratch, s_on_match, &hit);
    free(folded);
    return hit;
}

bool gen__guard_name(const gen__rules_t *self, const char *name)
{
    if (self == NULL || self->names.count == 0)
        return false;
    char *folded = s_fold(name);
    char buf[1024];
    char *tokens[GEN_MAX_TOKENS];
    size_t n = s_tokens(folded, buf, sizeof(buf), tokens, false);
    free(folded);
    if (n > 8)
        n = 8; /* our clean names have fewer tokens; bound the subset walk */
    for (uint32_t mask = 1; mask < (1u << n); mask++)
        if (s_hashset_has(&self->names, s_subset_hash(tokens, n, mask, GEN_SEED_NAME)))
            return true;
    if (n >= 2 && n <= 3)
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                if (s_hashset_has(&self->pairs,
                                  s_subset_hash(tokens, n, (1u << i) | (1u << j), GEN_SEED_PAIR)))
                    return true;
    return false;
}

bool gen__guard_hscode(const gen__rules_t *self, const char *code)
{
    if (self == NULL)
        return false;
    for (size_t i = 0; i < self->hscode_count; i++)
        if (strncmp(code, self->hscodes[i], strlen(self->hscodes[i])) == 0)
            return true;
    return false;
}

bool gen__guard_country(const gen__rules_t *self, const char *iso2)
{
    if (self == NULL || strlen(iso2) != 2)
        return false;
    int a = (iso2[0] | 0x20) - 'a', b = (iso2[1] | 0x20) - 'a';
    return a >= 0 && a < 26 && b >= 0 && b < 26 && self->countries[a * 26 + b];
}

bool gen__guard_phone(const gen__rules_t *self, const char *phone)
{
    return self && self->idents.count &&
           s_hashset_has(&self->idents, s_ident_hash(phone, GEN_SEED_PHONE));
}

bool gen__guard_email(const gen__rules_t *self, const char *email)
{
    return self && self->idents.count &&
           s_hashset_has(&self->idents, s_ident_hash(email, GEN_SEED_EMAIL));
}

bool gen__guard_ident(const gen__rules_t *self, const char *value)
{
    return self && self->idents.count &&
           s_hashset_has(&self->idents, s_ident_hash(value, GEN_SEED_IDENT));
}
