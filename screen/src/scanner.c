/* scanner.c -- screens one parcel: every field once per database, hits, score, channel.
 *
 * DESIGN: fields are visited in one fixed order (item_id, sender.*, recipient.*, seller.name,
 * origin_country, dispatch_country, then items[i].description/hs_code/origin_country), and
 * each visited field gets the next index in a per-parcel field table, so "field path order" is
 * simply that index. Matches become candidates (rule, field, start, end, similarity); a rule
 * keeps one candidate per field (leftmost, then longest), found in O(1) through per-rule stamp
 * arrays: each field visit takes a fresh stamp, so nothing is cleared between parcels. The
 * verdict sorts candidates by (field, start, rule id), scores all of them and reports at most
 * PROTO_MAX_HITS. A name hit whose (rule, matched name) is on the matcher's allow-list
 * (allowlist.c) is marked suppressed, which keeps it out of the score (proto_risk_score).
 *
 * Text fields: the name and description fields are normalised once and scanned once by their
 * class's literal database; an address (address + city + postcode) is normalised into one
 * string, the segment starts remembered, scanned once, and each match mapped back to the
 * segment (field) it starts in. Regex databases scan the raw fields. Name fields also probe the
 * sorted-token table, then the spelling-tolerant index (fuzzy.c): its candidates are verified
 * only for rules in scope that have no exact hit in the field yet, and kept when the
 * similarity reaches the rule's threshold (policy name_threshold, or its list's override,
 * resolved per rule when the scanner is made). All buffers belong to the scanner and only
 * grow. */
#include "screen/scanner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "internal.h"
#include "screen/normalize.h"

/* Fields one parcel can visit: 1 item_id + 2 parties x 8 + seller + 2 countries + 3 per item. */
#define S_MAX_FIELDS (32 + 3 * PROTO_MAX_ITEMS)

enum { S_ITEM_DESCRIPTION, S_ITEM_HSCODE, S_ITEM_ORIGIN, S_ITEM_PATHS };

typedef struct {
    const char *path; /* "sender.name", "items[3].hs_code" */
    core_str_t raw;   /* the field as received */
    uint32_t stamp;   /* this visit's dedupe stamp */
} s_field_t;

typedef struct {
    uint32_t rule;     /* rule index */
    uint32_t field;    /* index into fields */
    uint32_t start;    /* byte offset into the raw field */
    uint32_t end;      /* one past */
    double similarity; /* 0..1 */
} s_cand_t;

struct screen_scanner {
    const screen_matcher_t *m; /* shared, read-only */
    screen_policy_t policy;    /* thresholds and random selection */
    hs_scratch_t *scratch;     /* this thread's clone */
    screen_norm_t norm;        /* normalised text of the field being scanned */
    core_buf_t sorted;         /* sorted-token key */
    char key[512];             /* exact-kind key */
    screen__fuzzy_state_t fz;  /* spelling-tolerant name candidates and verifier buffers */
    float *name_threshold;     /* per rule: similarity a fuzzy name hit needs */
    int64_t now_ns;            /* screened_at for verdicts; 0 = read the clock */

    s_field_t fields[S_MAX_FIELDS]; /* fields visited in this parcel */
    uint32_t field_count;           /* entries used */
    uint32_t stamp;                 /* last stamp handed out */
    uint32_t *seen_stamp;           /* per rule: stamp of the field it last hit */
    uint32_t *seen_slot;            /* per rule: its candidate for that field */
    s_cand_t *cands;                /* this parcel's candidates */
    size_t cand_count, cand_cap;    /* used / allocated */
    uint32_t *order;                /* candidate indices, sorted for the verdict */
    size_t order_cap;               /* allocated */

    /* The scan in progress (read by the Hyperscan callbacks). */
    const screen__class_db_t *cur_class; /* databases being scanned */
    uint32_t cur_mask;                   /* SCREEN_FIELD_* bit of the field */
    uint32_t cur_field;                  /* field index, for raw (regex) scans */
    uint32_t seg_count;                  /* segments in norm (address parts) */
    uint32_t seg_start[3];               /* where each segment starts in norm */
    uint32_t seg_field[3];               /* its field index */

    char item_paths[PROTO_MAX_ITEMS][S_ITEM_PATHS][32]; /* "items[i].description", ... */
    screen_scanner_stats_t stats;                       /* counters */
};

static const char *const s_party_paths[2][8] = {
    {"sender.name", "sender.address", "sender.city", "sender.postcode", "sender.country",
     "sender.phone", "sender.email", "sender.tax_id"},
    {"recipient.name", "recipient.address", "recipient.city", "recipient.postcode",
     "recipient.country", "recipient.phone", "recipient.email", "recipient.tax_id"},
};

enum { P_NAME, P_ADDRESS, P_CITY, P_POSTCODE, P_COUNTRY, P_PHONE, P_EMAIL, P_TAX_ID };

static const uint32_t s_party_masks[2][8] = {
    {SCREEN_FIELD_SENDER_NAME, SCREEN_FIELD_SENDER_ADDRESS, SCREEN_FIELD_SENDER_ADDRESS,
     SCREEN_FIELD_SENDER_ADDRESS, SCREEN_FIELD_SENDER_COUNTRY, SCREEN_FIELD_SENDER_PHONE,
     SCREEN_FIELD_SENDER_EMAIL, SCREEN_FIELD_SENDER_TAX_ID},
    {SCREEN_FIELD_RECIPIENT_NAME, SCREEN_FIELD_RECIPIENT_ADDRESS, SCREEN_FIELD_RECIPIENT_ADDRESS,
     SCREEN_FIELD_RECIPIENT_ADDRESS, SCREEN_FIELD_RECIPIENT_COUNTRY, SCREEN_FIELD_RECIPIENT_PHONE,
     SCREEN_FIELD_RECIPIENT_EMAIL, SCREEN_FIELD_RECIPIENT_TAX_ID},
};

/* ============ Policy helpers ============ */

bool screen_selected_at_random(core_str_t parcel_id, double rate, uint64_t seed)
{
    if (!(rate > 0.0))
        return false;
    uint64_t h = core_hash64(parcel_id.ptr, parcel_id.len, seed);
    double u = (double)(h >> 11) * 0x1.0p-53; /* 53 random bits -> [0, 1) */
    return u < rate;
}

proto_channel_t screen_channel(const screen_policy_t *policy, uint32_t risk_score)
{
    core_assert(policy != NULL);
    if (risk_score >= policy->red)
        return PROTO_CHANNEL_RED;
    if (risk_score >= policy->yellow)
        return PROTO_CHANNEL_YELLOW;
    return PROTO_CHANNEL_GREEN;
}

int screen_list_thresholds_parse(const char *const *texts, size_t n, screen_list_threshold_t **out,
                                 size_t *count, char *err)
{
    core_assert(out != NULL && count != NULL);
    *out = NULL;
    *count = 0;
    size_t bytes = n * sizeof(screen_list_threshold_t);
    for (size_t i = 0; i < n; i++)
        bytes += strlen(texts[i]) + 1;
    screen_list_threshold_t *a = core_malloc(bytes ? bytes : 1);
    char *names = (char *)(a + n);
    for (size_t i = 0; i < n; i++) {
        const char *eq = strrchr(texts[i], '=');
        char *end = NULL;
        double x = eq ? strtod(eq + 1, &end) : 0.0;
        if (eq == NULL || eq == texts[i] || end == eq + 1 || *end != '\0' || !(x > 0.0) ||
            x > 1.0) {
            core_err_set(err, "list-threshold: '%s' is not LIST=X with 0 < X <= 1", texts[i]);
            free(a);
            return -EINVAL;
        }
        size_t len = (size_t)(eq - texts[i]);
        memcpy(names, texts[i], len);
        names[len] = '\0';
        a[i] = (screen_list_threshold_t){names, x};
        names += len + 1;
    }
    *out = a;
    *count = n;
    return 0;
}

/* ============ Lifecycle ============ */

screen_scanner_t *screen_scanner_new(const screen_matcher_t *matcher, const screen_policy_t *policy,
                                     char *err)
{
    core_assert(matcher != NULL);
    screen_scanner_t *self = core_calloc(1, sizeof(*self));
    self->m = matcher;
    self->policy = policy ? *policy : SCREEN_POLICY_DEFAULT;
    if (matcher->scratch && hs_clone_scratch(matcher->scratch, &self->scratch) != HS_SUCCESS) {
        core_err_set(err, "cannot clone Hyperscan scratch");
        free(self);
        return NULL;
    }
    size_t rules = matcher->rule_count ? matcher->rule_count : 1;
    self->seen_stamp = core_calloc(rules, sizeof(*self->seen_stamp));
    self->seen_slot = core_calloc(rules, sizeof(*self->seen_slot));
    screen_norm_init(&self->norm);
    screen__fuzzy_state_init(&self->fz, &matcher->fuzzy);
    self->name_threshold = core_malloc(rules * sizeof(*self->name_threshold));
    double def = self->policy.name_threshold > 0 ? self->policy.name_threshold
                                                 : SCREEN_NAME_THRESHOLD_DEFAULT;
    for (size_t r = 0; r < matcher->rule_count; r++) {
        double t = def;
        for (size_t k = 0; k < self->policy.list_threshold_count; k++) {
            const screen_list_threshold_t *lt = &self->policy.list_thresholds[k];
            if (lt->list && strcmp(lt->list, matcher->rules[r].list) == 0)
                t = lt->threshold;
        }
        self->name_threshold[r] = (float)t;
    }
    self->policy.list_thresholds = NULL; /* resolved above; the caller's array is not kept */
    self->policy.list_threshold_count = 0;
    for (unsigned i = 0; i < PROTO_MAX_ITEMS; i++) {
        snprintf(self->item_paths[i][S_ITEM_DESCRIPTION], 32, "items[%u].description", i);
        snprintf(self->item_paths[i][S_ITEM_HSCODE], 32, "items[%u].hs_code", i);
        snprintf(self->item_paths[i][S_ITEM_ORIGIN], 32, "items[%u].origin_country", i);
    }
    return self;
}

void screen_scanner_destroy(screen_scanner_t **self_p)
{
    core_assert(self_p != NULL);
    screen_scanner_t *self = *self_p;
    if (self == NULL)
        return;
    if (self->scratch)
        hs_free_scratch(self->scratch);
    screen_norm_clear(&self->norm);
    core_buf_clear(&self->sorted);
    screen__fuzzy_state_clear(&self->fz);
    free(self->name_threshold);
    free(self->seen_stamp);
    free(self->seen_slot);
    free(self->cands);
    free(self->order);
    free(self);
    *self_p = NULL;
}

void screen_scanner_set_now(screen_scanner_t *self, int64_t wall_ns)
{
    core_assert(self != NULL);
    self->now_ns = wall_ns;
}

screen_scanner_stats_t screen_scanner_stats(const screen_scanner_t *self)
{
    core_assert(self != NULL);
    return self->stats;
}

/* ============ Fields and candidates ============ */

static uint32_t s_field_add(screen_scanner_t *self, const char *path, core_str_t raw)
{
    core_assert(self->field_count < S_MAX_FIELDS);
    if (++self->stamp == 0) {
        /* Stamps wrapped (after 4 billion fields): forget every old stamp. */
        memset(self->seen_stamp, 0, self->m->rule_count * sizeof(*self->seen_stamp));
        self->stamp = 1;
    }
    uint32_t f = self->field_count++;
    self->fields[f] = (s_field_t){.path = path, .raw = raw, .stamp = self->stamp};
    return f;
}

static void s_candidate(screen_scanner_t *self, uint32_t rule, uint32_t field, uint32_t start,
                        uint32_t end, double similarity)
{
    uint32_t stamp = self->fields[field].stamp;
    if (self->seen_stamp[rule] == stamp) {
        s_cand_t *c = &self->cands[self->seen_slot[rule]];
        bool better = similarity > c->similarity ||
                      (similarity == c->similarity &&
                       (start < c->start || (start == c->start && end > c->end)));
        if (better) {
            c->start = start;
            c->end = end;
            c->similarity = similarity;
        }
        return;
    }
    if (self->cand_count == self->cand_cap) {
        self->cand_cap = self->cand_cap ? self->cand_cap * 2 : 64;
        self->cands = core_realloc(self->cands, self->cand_cap * sizeof(*self->cands));
    }
    self->seen_stamp[rule] = stamp;
    self->seen_slot[rule] = (uint32_t)self->cand_count;
    self->cands[self->cand_count++] = (s_cand_t){
        .rule = rule, .field = field, .start = start, .end = end, .similarity = similarity};
}

/* Candidate -> verify, for name rules found by the exact sources (literal, sorted tokens):
 * equal by construction, so 1.0. Tolerant candidates are scored by screen__fuzzy_verify
 * (s_lookup_fuzzy). */
static double s_verify_name(const screen_scanner_t *self, const screen__ref_t *ref, uint32_t s,
                            uint32_t e)
{
    CORE_UNUSED(self);
    CORE_UNUSED(ref);
    CORE_UNUSED(s);
    CORE_UNUSED(e);
    return 1.0;
}

/* ============ Hyperscan callbacks ============ */

static int s_on_literal(unsigned int id, unsigned long long from, unsigned long long to,
                        unsigned int flags, void *ctx)
{
    CORE_UNUSED(from);
    CORE_UNUSED(flags);
    screen_scanner_t *self = ctx;
    const screen__table_t *t = &self->cur_class->literals;
    const screen__group_t *g = &t->groups[id];
    if ((g->scope & self->cur_mask) == 0)
        return 0;
    const screen_norm_t *n = &self->norm;
    uint32_t e = (uint32_t)to;
    uint32_t s = e - g->key_len;
    /* Whole words only: the normalised text separates tokens with exactly one space. */
    if ((s > 0 && n->text[s - 1] != ' ') || (e < n->len && n->text[e] != ' '))
        return 0;
    uint32_t seg = self->seg_count - 1;
    while (seg > 0 && self->seg_start[seg] > s)
        seg--;
    uint32_t field = self->seg_field[seg];
    uint32_t start = n->src_start[s];
    uint32_t end = n->src_end[e - 1];
    if (seg + 1 < self->seg_count && e > self->seg_start[seg + 1])
        end = self->fields[field].raw.len; /* runs into the next part: clip to this one */
    const screen_rule_t *rules = self->m->rules;
    for (uint32_t i = 0; i < g->ref_count; i++) {
        const screen__ref_t *ref = &t->refs[g->ref_first + i];
        if ((ref->scope & self->cur_mask) == 0)
            continue;
        double sim =
            rules[ref->rule].kind == SCREEN_KIND_NAME ? s_verify_name(self, ref, s, e) : 1.0;
        if (sim > 0.0)
            s_candidate(self, ref->rule, field, start, end, sim);
    }
    return 0;
}

static int s_on_regex(unsigned int id, unsigned long long from, unsigned long long to,
                      unsigned int flags, void *ctx)
{
    CORE_UNUSED(flags);
    screen_scanner_t *self = ctx;
    const screen__class_db_t *c = self->cur_class;
    if ((c->regex_scope[id] & self->cur_mask) == 0 || to <= from)
        return 0;
    s_candidate(self, c->regex_rule[id], self->cur_field, (uint32_t)from, (uint32_t)to, 1.0);
    return 0;
}

/* ============ Field scanners ============ */

static int s_scan_literals(screen_scanner_t *self, const screen__class_db_t *c, uint32_t mask)
{
    if (c->literal_db == NULL || self->norm.len == 0 || (c->literals.group_count == 0))
        return 0;
    self->cur_class = c;
    self->cur_mask = mask;
    if (hs_scan(c->literal_db, self->norm.text, self->norm.len, 0, self->scratch, s_on_literal,
                self) != HS_SUCCESS)
        return -EIO;
    return 0;
}

static int s_scan_regexes(screen_scanner_t *self, const screen__class_db_t *c, uint32_t field,
                          uint32_t mask)
{
    core_str_t raw = self->fields[field].raw;
    if (c->regex_db == NULL || raw.len == 0)
        return 0;
    self->cur_class = c;
    self->cur_mask = mask;
    self->cur_field = field;
    if (hs_scan(c->regex_db, raw.ptr, raw.len, 0, self->scratch, s_on_regex, self) != HS_SUCCESS)
        return -EIO;
    return 0;
}

static void s_lookup_sorted_tokens(screen_scanner_t *self, uint32_t field, uint32_t mask)
{
    const screen__table_t *t = &self->m->name_tokens;
    const screen_norm_t *n = &self->norm;
    if (t->group_count == 0 || n->len == 0)
        return;
    if (!screen__sorted_tokens(n->text, n->len, &self->sorted))
        return;
    const screen__group_t *g = screen__table_find(t, self->sorted.data, self->sorted.len);
    if (g == NULL || (g->scope & mask) == 0)
        return;
    uint32_t start = n->src_start[0];
    uint32_t end = n->src_end[n->len - 1];
    for (uint32_t i = 0; i < g->ref_count; i++) {
        const screen__ref_t *ref = &t->refs[g->ref_first + i];
        if ((ref->scope & mask) == 0)
            continue;
        double sim = s_verify_name(self, ref, 0, n->len);
        if (sim > 0.0)
            s_candidate(self, ref->rule, field, start, end, sim);
    }
}

/* Spelling-tolerant names: deletion-neighbourhood candidates, verified per token (fuzzy.c).
 * Rules that already hit this field exactly are skipped. */
static void s_lookup_fuzzy(screen_scanner_t *self, uint32_t field, uint32_t mask)
{
    const screen__fuzzy_t *fz = &self->m->fuzzy;
    const screen_norm_t *n = &self->norm;
    if (fz->entry_count == 0 || n->len == 0)
        return;
    size_t nc = screen__fuzzy_candidates(fz, &self->fz, n->text, n->len);
    uint32_t stamp = self->fields[field].stamp;
    for (size_t i = 0; i < nc; i++) {
        const screen__fuzzy_entry_t *en = &fz->entries[self->fz.cands[i]];
        if ((en->scope & mask) == 0)
            continue;
        if (self->seen_stamp[en->rule] == stamp &&
            self->cands[self->seen_slot[en->rule]].similarity >= 1.0)
            continue;
        float threshold = self->name_threshold[en->rule];
        if (threshold > 1.0f)
            continue;
        uint32_t s = 0;
        uint32_t e = 0;
        double sim = screen__fuzzy_verify(fz, &self->fz, self->fz.cands[i], &s, &e);
        if (sim <= 0.0 || sim < (double)threshold || e <= s)
            continue;
        s_candidate(self, en->rule, field, n->src_start[s], n->src_end[e - 1], sim);
    }
}

/* A name or description field: normalised literal scan, sorted tokens (names), raw regexes. */
static int s_scan_text(screen_scanner_t *self, screen_class_t cls, const char *path, core_str_t raw,
                       uint32_t mask)
{
    const screen__class_db_t *c = &self->m->classes[cls];
    bool sorted = cls == SCREEN_CLASS_NAME && self->m->name_tokens.group_count > 0;
    bool fuzzy = cls == SCREEN_CLASS_NAME && self->m->fuzzy.entry_count > 0;
    if (raw.len == 0 || (c->literal_db == NULL && c->regex_db == NULL && !sorted && !fuzzy))
        return 0;
    uint32_t f = s_field_add(self, path, raw);
    if (c->literal_db || sorted || fuzzy) {
        screen_normalize(&self->norm, raw.ptr, raw.len,
                         cls == SCREEN_CLASS_NAME ? SCREEN_NORM_NAME : SCREEN_NORM_TEXT);
        self->seg_count = 1;
        self->seg_start[0] = 0;
        self->seg_field[0] = f;
        if (s_scan_literals(self, c, mask) != 0)
            return -EIO;
        if (sorted)
            s_lookup_sorted_tokens(self, f, mask);
        if (cls == SCREEN_CLASS_NAME)
            s_lookup_fuzzy(self, f, mask);
    }
    return s_scan_regexes(self, c, f, mask);
}

static int s_scan_address(screen_scanner_t *self, const proto_party_t *party, int who)
{
    const screen__class_db_t *c = &self->m->classes[SCREEN_CLASS_ADDRESS];
    if (c->literal_db == NULL && c->regex_db == NULL)
        return 0;
    const core_str_t parts[3] = {party->address, party->city, party->postcode};
    const int slots[3] = {P_ADDRESS, P_CITY, P_POSTCODE};
    uint32_t mask = s_party_masks[who][P_ADDRESS];
    uint32_t fid[3];
    for (int i = 0; i < 3; i++)
        fid[i] =
            parts[i].len ? s_field_add(self, s_party_paths[who][slots[i]], parts[i]) : UINT32_MAX;
    if (c->literal_db) {
        self->norm.len = 0;
        self->seg_count = 0;
        for (int i = 0; i < 3; i++) {
            if (fid[i] == UINT32_MAX)
                continue;
            uint32_t before = self->norm.len;
            screen_normalize_append(&self->norm, parts[i].ptr, parts[i].len, SCREEN_NORM_TEXT);
            if (self->norm.len == before)
                continue;
            self->seg_start[self->seg_count] = before ? before + 1 : 0;
            self->seg_field[self->seg_count] = fid[i];
            self->seg_count++;
        }
        if (self->seg_count && s_scan_literals(self, c, mask) != 0)
            return -EIO;
    }
    for (int i = 0; i < 3; i++) {
        if (fid[i] != UINT32_MAX && s_scan_regexes(self, c, fid[i], mask) != 0)
            return -EIO;
    }
    return 0;
}

static void s_add_group(screen_scanner_t *self, const screen__table_t *t, const screen__group_t *g,
                        uint32_t mask, uint32_t field, uint32_t start, uint32_t end)
{
    if (g == NULL || (g->scope & mask) == 0)
        return;
    for (uint32_t i = 0; i < g->ref_count; i++) {
        const screen__ref_t *ref = &t->refs[g->ref_first + i];
        if (ref->scope & mask)
            s_candidate(self, ref->rule, field, start, end, 1.0);
    }
}

static void s_scan_country(screen_scanner_t *self, const char *path, core_str_t raw, uint32_t mask)
{
    const screen__table_t *t = &self->m->countries;
    char key[2];
    uint32_t a = 0;
    uint32_t b = 0;
    if (t->group_count == 0 || raw.len == 0 || screen__key_country(raw.ptr, raw.len, key, &a, &b))
        return;
    const screen__group_t *g = screen__table_find(t, key, 2);
    if (g == NULL || (g->scope & mask) == 0)
        return;
    s_add_group(self, t, g, mask, s_field_add(self, path, raw), a, b);
}

typedef size_t (*s_key_fn)(const char *, size_t, char *, size_t, uint32_t *, uint32_t *);

static void s_scan_identifier(screen_scanner_t *self, const screen__table_t *t, s_key_fn key_fn,
                              const char *path, core_str_t raw, uint32_t mask)
{
    if (t->group_count == 0 || raw.len == 0)
        return;
    uint32_t a = 0;
    uint32_t b = 0;
    size_t n = key_fn(raw.ptr, raw.len, self->key, sizeof(self->key), &a, &b);
    if (n == 0 || n == SIZE_MAX)
        return;
    const screen__group_t *g = screen__table_find(t, self->key, n);
    if (g == NULL || (g->scope & mask) == 0)
        return;
    s_add_group(self, t, g, mask, s_field_add(self, path, raw), a, b);
}

static void s_scan_hscode(screen_scanner_t *self, const char *path, core_str_t raw)
{
    const screen__table_t *t = &self->m->hscodes;
    if (t->group_count == 0 || raw.len == 0)
        return;
    char digits[10];
    uint32_t pos[10];
    uint32_t n = 0;
    for (uint32_t i = 0; i < raw.len && n < 10; i++) {
        if (raw.ptr[i] >= '0' && raw.ptr[i] <= '9') {
            digits[n] = raw.ptr[i];
            pos[n++] = i;
        }
    }
    uint32_t field = UINT32_MAX;
    for (uint32_t len = 2; len <= n; len++) {
        const screen__group_t *g = screen__table_find(t, digits, len);
        if (g == NULL)
            continue;
        if (field == UINT32_MAX)
            field = s_field_add(self, path, raw);
        s_add_group(self, t, g, SCREEN_FIELD_HSCODE, field, pos[0], pos[len - 1] + 1);
    }
}

static int s_scan_party(screen_scanner_t *self, const proto_party_t *p, int who)
{
    const screen_matcher_t *m = self->m;
    const char *const *path = s_party_paths[who];
    const uint32_t *mask = s_party_masks[who];
    if (s_scan_text(self, SCREEN_CLASS_NAME, path[P_NAME], p->name, mask[P_NAME]) != 0)
        return -EIO;
    if (s_scan_address(self, p, who) != 0)
        return -EIO;
    s_scan_country(self, path[P_COUNTRY], p->country, mask[P_COUNTRY]);
    s_scan_identifier(self, &m->phones, screen__key_digits, path[P_PHONE], p->phone, mask[P_PHONE]);
    s_scan_identifier(self, &m->emails, screen__key_email, path[P_EMAIL], p->email, mask[P_EMAIL]);
    s_scan_identifier(self, &m->alnum_ids, screen__key_alnum, path[P_TAX_ID], p->tax_id,
                      mask[P_TAX_ID]);
    return 0;
}

/* ============ The verdict ============ */

static int s_cand_cmp(const void *pa, const void *pb, void *arg)
{
    const screen_scanner_t *self = arg;
    const s_cand_t *a = &self->cands[*(const uint32_t *)pa];
    const s_cand_t *b = &self->cands[*(const uint32_t *)pb];
    if (a->field != b->field)
        return a->field < b->field ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return strcmp(self->m->rules[a->rule].id, self->m->rules[b->rule].id);
}

static void s_verdict(screen_scanner_t *self, const proto_parcel_t *parcel, proto_verdict_t *out,
                      core_arena_t *arena)
{
    size_t n = self->cand_count;
    out->parcel_id = parcel->parcel_id;
    out->screened_at_ns = self->now_ns ? self->now_ns : core_wall_ns();
    out->selected_at_random = screen_selected_at_random(parcel->parcel_id, self->policy.random_rate,
                                                        self->policy.random_seed);
    out->hits = NULL;
    out->hit_count = 0;
    out->risk_score = 0;
    if (n > 0) {
        if (n > self->order_cap) {
            self->order_cap = n * 2;
            self->order = core_realloc(self->order, self->order_cap * sizeof(*self->order));
        }
        for (size_t i = 0; i < n; i++)
            self->order[i] = (uint32_t)i;
        qsort_r(self->order, n, sizeof(*self->order), s_cand_cmp, self);
        proto_hit_t *hits = core_arena_alloc(arena, n * sizeof(*hits));
        for (size_t i = 0; i < n; i++) {
            const s_cand_t *c = &self->cands[self->order[i]];
            const screen_rule_t *rule = &self->m->rules[c->rule];
            const s_field_t *f = &self->fields[c->field];
            hits[i] = (proto_hit_t){
                .rule_id = core_str_from(rule->id),
                .list = core_str_from(rule->list),
                .kind = core_str_from(screen_kind_name(rule->kind)),
                .field = core_str_from(f->path),
                .matched = {f->raw.ptr + c->start, c->end - c->start},
                .start = c->start,
                .end = c->end,
                .similarity = c->similarity,
                .weight = rule->weight,
                .suppressed = false,
            };
            /* Officers' false positives (allowlist.c): recorded, not scored. */
            if (rule->kind == SCREEN_KIND_NAME && self->m->allow.names.group_count > 0 &&
                screen__allow_has(&self->m->allow, c->rule, hits[i].matched.ptr,
                                  hits[i].matched.len, &self->norm)) {
                hits[i].suppressed = true;
                self->stats.hits_suppressed++;
            }
        }
        out->risk_score = proto_risk_score(hits, (uint32_t)n);
        out->hits = hits;
        out->hit_count = (uint32_t)(n < PROTO_MAX_HITS ? n : PROTO_MAX_HITS);
        self->stats.hits_dropped += n - out->hit_count;
        self->stats.hits += out->hit_count;
    }
    out->channel = screen_channel(&self->policy, out->risk_score);
}

int screen_scanner_screen(screen_scanner_t *self, const proto_parcel_t *parcel,
                          proto_verdict_t *out, core_arena_t *arena)
{
    core_assert(self != NULL);
    core_assert(parcel != NULL);
    core_assert(out != NULL);
    core_assert(arena != NULL);
    const screen_matcher_t *m = self->m;
    self->field_count = 0;
    self->cand_count = 0;
    int rc = 0;

    s_scan_identifier(self, &m->alnum_ids, screen__key_alnum, "item_id", parcel->item_id,
                      SCREEN_FIELD_ITEM_ID);
    if (s_scan_party(self, &parcel->sender, 0) != 0 ||
        s_scan_party(self, &parcel->recipient, 1) != 0)
        goto out_fail;
    if (parcel->has_seller && s_scan_text(self, SCREEN_CLASS_NAME, "seller.name",
                                          parcel->seller.name, SCREEN_FIELD_SELLER_NAME) != 0)
        goto out_fail;
    s_scan_country(self, "origin_country", parcel->origin_country, SCREEN_FIELD_ORIGIN_COUNTRY);
    s_scan_country(self, "dispatch_country", parcel->dispatch_country,
                   SCREEN_FIELD_DISPATCH_COUNTRY);
    uint32_t items = parcel->item_count < PROTO_MAX_ITEMS ? parcel->item_count : PROTO_MAX_ITEMS;
    for (uint32_t i = 0; i < items && parcel->items; i++) {
        const proto_item_t *it = &parcel->items[i];
        if (s_scan_text(self, SCREEN_CLASS_DESCRIPTION, self->item_paths[i][S_ITEM_DESCRIPTION],
                        it->description, SCREEN_FIELD_DESCRIPTION) != 0)
            goto out_fail;
        s_scan_hscode(self, self->item_paths[i][S_ITEM_HSCODE], it->hs_code);
        s_scan_country(self, self->item_paths[i][S_ITEM_ORIGIN], it->origin_country,
                       SCREEN_FIELD_ITEM_ORIGIN_COUNTRY);
    }
    s_verdict(self, parcel, out, arena);
    self->stats.parcels++;
    return 0;

out_fail:
    rc = -EIO;
    self->cand_count = 0;
    s_verdict(self, parcel, out, arena);
    self->stats.parcels++;
    return rc;
}
