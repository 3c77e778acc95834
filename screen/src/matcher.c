/* matcher.c -- compiles a watchlist into Hyperscan databases and exact-lookup tables.
 *
 * DESIGN
 *
 * Data flow: screen_watchlist_t (validated rules) -> screen_matcher_t (this file, built once,
 * read-only) -> screen_scanner_t (scanner.c, one per worker thread, owns a cloned scratch).
 *
 * What goes where, by rule kind:
 *   name, keyword  -> a LITERAL database per text class (name fields / addresses /
 *                     descriptions). The pattern is normalised exactly like the field it will
 *                     be compared with (normalize.h: NAME mode for the name class, TEXT mode for
 *                     the others), deduplicated across rules (table.c groups: one Hyperscan
 *                     pattern id per distinct literal, carrying every (rule, variant, scope)
 *                     that produced it, like Suricata's sids[]), and rendered byte by byte as
 *                     \xNN for hs_compile_multi. We do not use hs_compile_lit_multi: Debian's
 *                     5.4.0 crashes or fails at scan time on some literal sets
 *                     (DEPENDENCIES.md 1.4.1); the escaped form gives the same database. No
 *                     SINGLEMATCH (slower at scale, measured) and no SOM (start = end - length
 *                     for a literal). Whole-word boundaries are checked in the match callback
 *                     (normalised text has single spaces, so a boundary is an end or a space).
 *                     Name rules add the "First LAST" form of a "LAST, First" entry as a second
 *                     variant, and a sorted-token key (hash table below) for any token order.
 *   regex          -> a REGEX database per text class over the RAW field, flags
 *                     HS_FLAG_SOM_LEFTMOST so hits carry start offsets. Kept apart from the
 *                     literals because SOM and regex cost would slow the literal scan
 *                     (hyperscan#281: split databases by flags). A regex that does not compile
 *                     (syntax, "Pattern too large" under SOM, matches empty) refuses the list
 *                     with the rule's file:line.
 *   hscode         -> hash table of digit prefixes; an item's code (digits only) is looked up
 *                     at every prefix length 2..10: at most 9 probes per item, cheaper than a
 *                     Hyperscan call and exact by construction (an anchored prefix literal
 *                     would also need digit-only input).
 *   country        -> hash table of ISO2 codes; one probe per country field.
 *   identifier     -> hash tables per normalisation: phones (digits), e-mails (lower case),
 *                     tax ids and item ids (upper-case alphanumerics).
 * Every reference carries the rule's scope restricted to the class (a field mask), so the
 * scanner drops a match whose rule does not cover the field being scanned (a sender.name rule
 * in the name database does not fire on recipient.name).
 *
 * Threads: the databases and tables are read-only after screen_matcher_new; Hyperscan's
 * databases are safe to share, scratch is not, so one prototype scratch is grown over every
 * database here and each scanner clones it (Suricata g_scratch_proto / SCHSInitThreadCtx).
 *
 * Spelling tolerance (SPEC "small spelling differences"): every name rule is also added to a
 * deletion-neighbourhood index (fuzzy.c DESIGN): keys of one rare "anchor" token per rule
 * (the token, its one-byte deletions, its joins with the neighbours) as 64-bit hashes in a
 * sorted posting array with a top-bits directory, built in plain C at load (~40 ms for 18k
 * names, ~80 ms for 36k) -- no Hyperscan edit_distance database (hyperscan#84: ext params
 * compile ~100x slower). The scanner takes candidates from it for each name field and a
 * token verifier scores them (Damerau distance 1 per token of >= 5 bytes, joined/split tokens,
 * initials); exact literal and sorted-token hits keep similarity 1.0 and win.
 *
 * Rejected: one database for everything (scope filtering by id works, but regex/SOM flags would
 * tax every literal scan); vectored mode over the joined parcel (matches span fields,
 * DEPENDENCIES.md 1.4.5); one big alternation regex (limitPatternLength, hyperscan#429). */
#include "screen/matcher.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "internal.h"
#include "screen/normalize.h"

static const uint32_t s_class_fields[SCREEN_CLASS_COUNT] = {
    [SCREEN_CLASS_NAME] = SCREEN_FIELDS_NAME,
    [SCREEN_CLASS_ADDRESS] = SCREEN_FIELDS_ADDRESS,
    [SCREEN_CLASS_DESCRIPTION] = SCREEN_FIELD_DESCRIPTION,
};

const char *screen_class_name(screen_class_t cls)
{
    switch (cls) {
    case SCREEN_CLASS_NAME:
        return "name";
    case SCREEN_CLASS_ADDRESS:
        return "address";
    case SCREEN_CLASS_DESCRIPTION:
        return "description";
    case SCREEN_CLASS_COUNT:
        break;
    }
    return "?";
}

bool screen__sorted_tokens(const char *text, size_t len, core_buf_t *out)
{
    core_str_t tok[SCREEN__MAX_SORT_TOKENS];
    size_t n = 0;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != ' ')
            j++;
        if (n == SCREEN__MAX_SORT_TOKENS)
            return false;
        tok[n++] = (core_str_t){text + i, (uint32_t)(j - i)};
        i = j + 1;
    }
    if (n == 0)
        return false;
    /* Insertion sort: names have a handful of tokens. */
    for (size_t a = 1; a < n; a++) {
        core_str_t t = tok[a];
        size_t b = a;
        while (b > 0) {
            core_str_t p = tok[b - 1];
            size_t m = p.len < t.len ? p.len : t.len;
            int c = memcmp(p.ptr, t.ptr, m);
            if (c < 0 || (c == 0 && p.len <= t.len))
                break;
            tok[b] = p;
            b--;
        }
        tok[b] = t;
    }
    core_buf_reset(out);
    for (size_t k = 0; k < n; k++) {
        if (k)
            core_buf_append_byte(out, ' ');
        core_buf_append(out, tok[k].ptr, tok[k].len);
    }
    return true;
}

/* ============ Building the tables ============ */

typedef struct {
    screen_norm_t norm; /* normaliser output */
    core_buf_t listed;  /* the listed form, kept while the swapped one is made */
    core_buf_t text;    /* the swapped pattern text */
    core_buf_t key;     /* sorted-token key */
} s_build_t;

static void s_add_text_rule(screen_matcher_t *self, s_build_t *b, uint32_t r)
{
    const screen_rule_t *rule = &self->rules[r];
    size_t plen = strlen(rule->pattern);
    for (int cls = 0; cls < SCREEN_CLASS_COUNT; cls++) {
        uint32_t scope = rule->scope & s_class_fields[cls];
        if (scope == 0)
            continue;
        screen__class_db_t *c = &self->classes[cls];
        screen_norm_mode_t mode = cls == SCREEN_CLASS_NAME ? SCREEN_NORM_NAME : SCREEN_NORM_TEXT;
        screen_normalize(&b->norm, rule->pattern, plen, mode);
        screen__table_add(&c->literals, b->norm.text, b->norm.len,
                          (screen__ref_t){r, scope, SCREEN__VARIANT_LISTED});
        if (rule->kind != SCREEN_KIND_NAME)
            continue;
        core_buf_reset(&b->listed);
        core_buf_append(&b->listed, b->norm.text, b->norm.len);

        if (cls == SCREEN_CLASS_NAME)
            screen__fuzzy_add(&self->fuzzy, r, scope, b->norm.text, b->norm.len);
        if (cls == SCREEN_CLASS_NAME && screen__sorted_tokens(b->norm.text, b->norm.len, &b->key))
            screen__table_add(&self->name_tokens, b->key.data, b->key.len,
                              (screen__ref_t){r, scope, SCREEN__VARIANT_SORTED});

        /* "LAST, First middle" is also written "First middle LAST". */
        const char *comma = strchr(rule->pattern, ',');
        if (comma == NULL)
            continue;
        core_buf_reset(&b->text);
        core_buf_append_str(&b->text, comma + 1);
        core_buf_append_byte(&b->text, ' ');
        core_buf_append(&b->text, rule->pattern, (size_t)(comma - rule->pattern));
        screen_normalize(&b->norm, b->text.data, b->text.len, mode);
        if (b->norm.len == 0 || (b->norm.len == b->listed.len &&
                                 memcmp(b->norm.text, b->listed.data, b->listed.len) == 0))
            continue;
        screen__table_add(&c->literals, b->norm.text, b->norm.len,
                          (screen__ref_t){r, scope, SCREEN__VARIANT_SWAPPED});
    }
}

static void s_add_exact_rule(screen_matcher_t *self, uint32_t r)
{
    const screen_rule_t *rule = &self->rules[r];
    size_t plen = strlen(rule->pattern);
    char key[512];
    uint32_t a = 0;
    uint32_t b = 0;
    size_t n;
    switch (rule->kind) {
    case SCREEN_KIND_HSCODE:
        n = screen__key_digits(rule->pattern, plen, key, sizeof(key), &a, &b);
        screen__table_add(&self->hscodes, key, n, (screen__ref_t){r, rule->scope, 0});
        break;
    case SCREEN_KIND_COUNTRY:
        if (screen__key_country(rule->pattern, plen, key, &a, &b) == 0)
            screen__table_add(&self->countries, key, 2, (screen__ref_t){r, rule->scope, 0});
        break;
    case SCREEN_KIND_IDENTIFIER:
        /* The loader checked that every key fits and is not empty. */
        if (rule->scope & SCREEN_FIELDS_PHONE) {
            n = screen__key_digits(rule->pattern, plen, key, sizeof(key), &a, &b);
            screen__table_add(&self->phones, key, n,
                              (screen__ref_t){r, rule->scope & SCREEN_FIELDS_PHONE, 0});
        }
        if (rule->scope & SCREEN_FIELDS_EMAIL) {
            n = screen__key_email(rule->pattern, plen, key, sizeof(key), &a, &b);
            screen__table_add(&self->emails, key, n,
                              (screen__ref_t){r, rule->scope & SCREEN_FIELDS_EMAIL, 0});
        }
        if (rule->scope & (SCREEN_FIELDS_TAX_ID | SCREEN_FIELD_ITEM_ID)) {
            uint32_t s = rule->scope & (SCREEN_FIELDS_TAX_ID | SCREEN_FIELD_ITEM_ID);
            n = screen__key_alnum(rule->pattern, plen, key, sizeof(key), &a, &b);
            screen__table_add(&self->alnum_ids, key, n, (screen__ref_t){r, s, 0});
        }
        break;
    default:
        break;
    }
}

/* ============ Compiling the databases ============ */

static void s_rule_err(const screen_matcher_t *self, uint32_t r, char *err, const char *what,
                       const char *why)
{
    const screen_rule_t *rule = &self->rules[r];
    core_err_set(err, "%s:%u: rule '%s': %s: %s",
                 screen_watchlist_file(self->watchlist, rule->file), rule->line, rule->id, what,
                 why);
}

static int s_compile_literals(screen_matcher_t *self, screen_class_t cls, char *err)
{
    screen__class_db_t *c = &self->classes[cls];
    const screen__table_t *t = &c->literals;
    size_t n = t->group_count;
    if (n == 0)
        return 0;
    static const char hex[] = "0123456789abcdef";
    size_t total = 0;
    for (size_t g = 0; g < n; g++)
        total += (size_t)t->groups[g].key_len * 4 + 1;
    char *text = core_malloc(total);
    const char **exprs = core_malloc(n * sizeof(*exprs));
    unsigned *ids = core_malloc(n * sizeof(*ids));
    unsigned *flags = core_calloc(n, sizeof(*flags));
    char *p = text;
    for (size_t g = 0; g < n; g++) {
        const unsigned char *k = (const unsigned char *)t->keys + t->groups[g].key_off;
        exprs[g] = p;
        ids[g] = (unsigned)g;
        for (uint32_t i = 0; i < t->groups[g].key_len; i++) {
            *p++ = '\\';
            *p++ = 'x';
            *p++ = hex[k[i] >> 4];
            *p++ = hex[k[i] & 15];
        }
        *p++ = '\0';
    }
    int rc = 0;
    hs_compile_error_t *cerr = NULL;
    if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &c->literal_db,
                         &cerr) != HS_SUCCESS) {
        const char *why = cerr && cerr->message ? cerr->message : "unknown error";
        if (cerr && cerr->expression >= 0 && (size_t)cerr->expression < n) {
            const screen__group_t *g = &t->groups[cerr->expression];
            s_rule_err(self, t->refs[g->ref_first].rule, err, "pattern does not compile", why);
        } else {
            core_err_set(err, "%s literal database (%zu patterns): %s", screen_class_name(cls), n,
                         why);
        }
        c->literal_db = NULL;
        rc = -EINVAL;
    }
    hs_free_compile_error(cerr);
    free(flags);
    free(ids);
    free(exprs);
    free(text);
    return rc;
}

static int s_compile_regexes(screen_matcher_t *self, screen_class_t cls, char *err)
{
    screen__class_db_t *c = &self->classes[cls];
    size_t n = c->regex_count;
    if (n == 0)
        return 0;
    const char **exprs = core_malloc(n * sizeof(*exprs));
    unsigned *ids = core_malloc(n * sizeof(*ids));
    unsigned *flags = core_malloc(n * sizeof(*flags));
    for (size_t i = 0; i < n; i++) {
        exprs[i] = self->rules[c->regex_rule[i]].pattern;
        ids[i] = (unsigned)i;
        flags[i] = HS_FLAG_SOM_LEFTMOST;
    }
    int rc = 0;
    hs_compile_error_t *cerr = NULL;
    if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &c->regex_db,
                         &cerr) != HS_SUCCESS) {
        rc = -EINVAL;
        c->regex_db = NULL;
        if (cerr && cerr->expression >= 0 && (size_t)cerr->expression < n) {
            s_rule_err(self, c->regex_rule[cerr->expression], err, "bad regex", cerr->message);
        } else {
            /* A database-wide failure: find the pattern that fails on its own, if any. */
            core_err_set(err, "%s regex database (%zu patterns): %s", screen_class_name(cls), n,
                         cerr && cerr->message ? cerr->message : "unknown error");
            for (size_t i = 0; i < n; i++) {
                hs_database_t *one = NULL;
                hs_compile_error_t *e1 = NULL;
                if (hs_compile(exprs[i], flags[i], HS_MODE_BLOCK, NULL, &one, &e1) != HS_SUCCESS) {
                    s_rule_err(self, c->regex_rule[i], err, "bad regex",
                               e1 && e1->message ? e1->message : "unknown error");
                    hs_free_compile_error(e1);
                    break;
                }
                hs_free_database(one);
            }
        }
    }
    hs_free_compile_error(cerr);
    free(flags);
    free(ids);
    free(exprs);
    return rc;
}

static int s_grow_scratch(screen_matcher_t *self, hs_database_t *db, char *err)
{
    if (db == NULL)
        return 0;
    if (hs_alloc_scratch(db, &self->scratch) != HS_SUCCESS) {
        core_err_set(err, "cannot allocate Hyperscan scratch");
        return -ENOMEM;
    }
    return 0;
}

static void s_build(screen_matcher_t *self)
{
    s_build_t b;
    memset(&b, 0, sizeof(b));
    for (int cls = 0; cls < SCREEN_CLASS_COUNT; cls++) {
        screen__class_db_t *c = &self->classes[cls];
        screen__table_init(&c->literals);
        c->regex_rule = core_malloc((self->rule_count + 1) * sizeof(*c->regex_rule));
        c->regex_scope = core_malloc((self->rule_count + 1) * sizeof(*c->regex_scope));
    }
    screen__table_init(&self->name_tokens);
    screen__fuzzy_init(&self->fuzzy);
    screen__table_init(&self->hscodes);
    screen__table_init(&self->countries);
    screen__table_init(&self->phones);
    screen__table_init(&self->emails);
    screen__table_init(&self->alnum_ids);

    for (uint32_t r = 0; r < self->rule_count; r++) {
        const screen_rule_t *rule = &self->rules[r];
        self->info.rules_by_kind[rule->kind]++;
        switch (rule->kind) {
        case SCREEN_KIND_NAME:
        case SCREEN_KIND_KEYWORD:
            s_add_text_rule(self, &b, r);
            break;
        case SCREEN_KIND_REGEX:
            for (int cls = 0; cls < SCREEN_CLASS_COUNT; cls++) {
                uint32_t scope = rule->scope & s_class_fields[cls];
                if (scope == 0)
                    continue;
                screen__class_db_t *c = &self->classes[cls];
                c->regex_rule[c->regex_count] = r;
                c->regex_scope[c->regex_count] = scope;
                c->regex_count++;
            }
            break;
        default:
            s_add_exact_rule(self, r);
            break;
        }
    }
    for (int cls = 0; cls < SCREEN_CLASS_COUNT; cls++)
        screen__table_finish(&self->classes[cls].literals);
    screen__table_finish(&self->name_tokens);
    int64_t t0 = core_mono_ns();
    screen__fuzzy_finish(&self->fuzzy);
    self->info.fuzzy_ms = (double)(core_mono_ns() - t0) / 1e6;
    screen__table_finish(&self->hscodes);
    screen__table_finish(&self->countries);
    screen__table_finish(&self->phones);
    screen__table_finish(&self->emails);
    screen__table_finish(&self->alnum_ids);

    screen_norm_clear(&b.norm);
    core_buf_clear(&b.listed);
    core_buf_clear(&b.text);
    core_buf_clear(&b.key);
}

/* Compiles the databases of every class. */
static int s_compile_all(screen_matcher_t *self, char *err)
{
    for (int cls = 0; cls < SCREEN_CLASS_COUNT; cls++)
        if (s_compile_literals(self, (screen_class_t)cls, err) != 0 ||
            s_compile_regexes(self, (screen_class_t)cls, err) != 0)
            return -EINVAL;
    return 0;
}

/* Loads the databases from opts->compiled, or compiles them and (re)writes the file. */
static int s_databases(screen_matcher_t *self, const screen_matcher_opts_t *opts, char *err)
{
    const char *path = opts ? opts->compiled : NULL;
    if (path == NULL || path[0] == '\0') {
        self->info.db_source = SCREEN_DB_COMPILED;
        return s_compile_all(self, err);
    }
    unsigned char key[SCREEN__DBCACHE_KEY_LEN];
    screen__dbcache_key(self, key);
    sodium_bin2hex(self->info.db_key, sizeof(self->info.db_key), key, 8);
    char why[CORE_ERR_LEN];
    int rc = screen__dbcache_load(self, path, key, why);
    if (rc == 0) {
        self->info.db_source = SCREEN_DB_LOADED;
        return 0;
    }
    if (rc == -ENOENT)
        core_log(CORE_LOG_INFO, "compiled watchlist %s: absent, compiling", path);
    else if (rc == -ESTALE)
        core_log(CORE_LOG_INFO, "compiled watchlist %s: %s, recompiling", path, why);
    else
        core_log(CORE_LOG_WARN, "compiled watchlist %s: %s, recompiling", path, why);
    if (s_compile_all(self, err) != 0)
        return -EINVAL;
    if (screen__dbcache_save(self, path, key, why) != 0) {
        core_log(CORE_LOG_WARN, "compiled watchlist not written: %s", why);
        self->info.db_source = SCREEN_DB_WRITE_FAILED;
    } else {
        self->info.db_source = SCREEN_DB_WRITTEN;
    }
    return 0;
}

screen_matcher_t *screen_matcher_new(screen_watchlist_t **watchlist_p, char *err)
{
    return screen_matcher_new_opts(watchlist_p, NULL, err);
}

screen_matcher_t *screen_matcher_new_opts(screen_watchlist_t **watchlist_p,
                                          const screen_matcher_opts_t *opts, char *err)
{
    core_assert(watchlist_p != NULL);
    core_assert(*watchlist_p != NULL);
    int64_t t0 = core_mono_ns();
    screen_matcher_t *self = core_calloc(1, sizeof(*self));
    self->watchlist = *watchlist_p;
    *watchlist_p = NULL;
    self->rule_count = screen_watchlist_size(self->watchlist);
    self->rules = self->rule_count ? screen_watchlist_rule(self->watchlist, 0) : NULL;
    self->info.rules = self->rule_count;

    s_build(self);
    int64_t t_hs = core_mono_ns();
    if (s_databases(self, opts, err) != 0)
        goto out_destroy;
    self->info.hs_ms = (double)(core_mono_ns() - t_hs) / 1e6;
    for (int cls = 0; cls < SCREEN_CLASS_COUNT; cls++) {
        screen__class_db_t *c = &self->classes[cls];
        if (s_grow_scratch(self, c->literal_db, err) != 0 ||
            s_grow_scratch(self, c->regex_db, err) != 0)
            goto out_destroy;
        self->info.literal_patterns[cls] = c->literals.group_count;
        self->info.regex_patterns[cls] = c->regex_count;
        if (c->literal_db)
            hs_database_size(c->literal_db, &self->info.literal_db_bytes[cls]);
        if (c->regex_db)
            hs_database_size(c->regex_db, &self->info.regex_db_bytes[cls]);
    }
    if (self->scratch)
        hs_scratch_size(self->scratch, &self->info.scratch_bytes);
    self->info.name_token_keys = self->name_tokens.group_count;
    self->info.fuzzy_names = self->fuzzy.entry_count;
    self->info.fuzzy_keys = self->fuzzy.post_count;
    self->info.hscode_keys = self->hscodes.group_count;
    self->info.country_keys = self->countries.group_count;
    self->info.identifier_keys =
        self->phones.group_count + self->emails.group_count + self->alnum_ids.group_count;
    self->info.compile_ms = (double)(core_mono_ns() - t0) / 1e6;
    return self;

out_destroy:
    screen_matcher_destroy(&self);
    return NULL;
}

void screen_matcher_destroy(screen_matcher_t **self_p)
{
    core_assert(self_p != NULL);
    screen_matcher_t *self = *self_p;
    if (self == NULL)
        return;
    for (int cls = 0; cls < SCREEN_CLASS_COUNT; cls++) {
        screen__class_db_t *c = &self->classes[cls];
        screen__table_clear(&c->literals);
        hs_free_database(c->literal_db);
        hs_free_database(c->regex_db);
        free(c->regex_rule);
        free(c->regex_scope);
    }
    screen__table_clear(&self->name_tokens);
    screen__fuzzy_clear(&self->fuzzy);
    screen__table_clear(&self->hscodes);
    screen__table_clear(&self->countries);
    screen__table_clear(&self->phones);
    screen__table_clear(&self->emails);
    screen__table_clear(&self->alnum_ids);
    hs_free_scratch(self->scratch);
    screen__allow_clear(&self->allow);
    screen_watchlist_destroy(&self->watchlist);
    free(self);
    *self_p = NULL;
}

const screen_watchlist_t *screen_matcher_watchlist(const screen_matcher_t *self)
{
    core_assert(self != NULL);
    return self->watchlist;
}

const screen_matcher_info_t *screen_matcher_info(const screen_matcher_t *self)
{
    core_assert(self != NULL);
    return &self->info;
}
