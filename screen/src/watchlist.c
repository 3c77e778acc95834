/* watchlist.c -- loads and validates watchlist CSV files (SPEC section 2).
 *
 * DESIGN: each file is read whole, hashed (BLAKE2b, for the version) and parsed record by
 * record; every check that does not need Hyperscan happens here, so a refused file names its
 * first bad line. Strings live in one arena owned by the watchlist; rules are a flat array in
 * load order, which is also the order the matcher uses for rule indices. Duplicate ids are found
 * with a hash set over all records of all files (skipped ones included: an id is an id). */
#include "screen/watchlist.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "internal.h"
#include "screen/normalize.h"

struct screen_watchlist {
    screen_rule_t *rules; /* active rules, load order */
    size_t count;         /* active rules */
    size_t cap;           /* allocated entries */
    size_t skipped;       /* rules outside their validity window */
    char **files;         /* paths as given */
    size_t file_count;    /* entries in files */
    core_arena_t strings; /* rule strings */
    char version[24];     /* "wl-" + 16 hex */
    char *description;    /* "file (N rules); ..." */
};

/* ============ Names of kinds and scopes ============ */

static const char *const s_kind_names[SCREEN_KIND_COUNT] = {
    [SCREEN_KIND_NAME] = "name",       [SCREEN_KIND_KEYWORD] = "keyword",
    [SCREEN_KIND_REGEX] = "regex",     [SCREEN_KIND_HSCODE] = "hscode",
    [SCREEN_KIND_COUNTRY] = "country", [SCREEN_KIND_IDENTIFIER] = "identifier",
};

static const struct {
    const char *name; /* SPEC scope */
    uint32_t mask;    /* fields it covers */
} s_scopes[] = {
    {"sender.name", SCREEN_FIELD_SENDER_NAME},
    {"recipient.name", SCREEN_FIELD_RECIPIENT_NAME},
    {"party.name", SCREEN_FIELD_SENDER_NAME | SCREEN_FIELD_RECIPIENT_NAME},
    {"seller.name", SCREEN_FIELD_SELLER_NAME},
    {"sender.address", SCREEN_FIELD_SENDER_ADDRESS},
    {"recipient.address", SCREEN_FIELD_RECIPIENT_ADDRESS},
    {"party.address", SCREEN_FIELDS_ADDRESS},
    {"party.country", SCREEN_FIELD_SENDER_COUNTRY | SCREEN_FIELD_RECIPIENT_COUNTRY},
    {"party.phone", SCREEN_FIELDS_PHONE},
    {"party.email", SCREEN_FIELDS_EMAIL},
    {"party.tax_id", SCREEN_FIELDS_TAX_ID},
    {"items.description", SCREEN_FIELD_DESCRIPTION},
    {"items.hs_code", SCREEN_FIELD_HSCODE},
    {"origin_country", SCREEN_FIELD_ORIGIN_COUNTRY | SCREEN_FIELD_ITEM_ORIGIN_COUNTRY},
    {"dispatch_country", SCREEN_FIELD_DISPATCH_COUNTRY},
    {"item_id", SCREEN_FIELD_ITEM_ID},
};

const char *screen_kind_name(screen_kind_t kind)
{
    return (unsigned)kind < SCREEN_KIND_COUNT ? s_kind_names[kind] : "?";
}

int screen_kind_parse(const char *text, size_t len, screen_kind_t *out)
{
    for (int k = 0; k < SCREEN_KIND_COUNT; k++) {
        if (strlen(s_kind_names[k]) == len && strncasecmp(text, s_kind_names[k], len) == 0) {
            *out = (screen_kind_t)k;
            return 0;
        }
    }
    return -EINVAL;
}

int screen_scope_parse(const char *text, size_t len, uint32_t *mask)
{
    uint32_t m = 0;
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && text[j] != '|')
            j++;
        size_t a = i;
        size_t b = j;
        while (a < b && (text[a] == ' ' || text[a] == '\t'))
            a++;
        while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
            b--;
        bool found = false;
        for (size_t s = 0; s < CORE_ARRAY_LEN(s_scopes); s++) {
            if (strlen(s_scopes[s].name) == b - a &&
                strncasecmp(text + a, s_scopes[s].name, b - a) == 0) {
                m |= s_scopes[s].mask;
                found = true;
                break;
            }
        }
        if (!found)
            return -EINVAL;
        i = j + 1;
    }
    *mask = m;
    return 0;
}

/* ============ Small parsers ============ */

static core_str_t s_trim(core_str_t v)
{
    while (v.len && (v.ptr[0] == ' ' || v.ptr[0] == '\t')) {
        v.ptr++;
        v.len--;
    }
    while (v.len && (v.ptr[v.len - 1] == ' ' || v.ptr[v.len - 1] == '\t'))
        v.len--;
    return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t s_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* Parses "YYYY-MM-DD". Returns 0 and the day number, or -EINVAL. */
static int s_parse_date(core_str_t v, int64_t *days)
{
    if (v.len != 10 || v.ptr[4] != '-' || v.ptr[7] != '-')
        return -EINVAL;
    int digits[8];
    static const int at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 0; i < 8; i++) {
        char c = v.ptr[at[i]];
        if (c < '0' || c > '9')
            return -EINVAL;
        digits[i] = c - '0';
    }
    int y = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
    unsigned m = (unsigned)(digits[4] * 10 + digits[5]);
    unsigned d = (unsigned)(digits[6] * 10 + digits[7]);
    static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return -EINVAL;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    unsigned maxd = mdays[m - 1] + (m == 2 && leap ? 1 : 0);
    if (d > maxd)
        return -EINVAL;
    *days = s_days_from_civil(y, m, d);
    return 0;
}

static int s_parse_weight(core_str_t v, uint32_t *out)
{
    if (v.len == 0 || v.len > 3)
        return -EINVAL;
    uint32_t w = 0;
    for (uint32_t i = 0; i < v.len; i++) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9')
            return -EINVAL;
        w = w * 10 + (uint32_t)(v.ptr[i] - '0');
    }
    if (w < 1 || w > 100)
        return -EINVAL;
    *out = w;
    return 0;
}

static const char *s_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ============ Duplicate-id set ============ */

typedef struct {
    const char *id; /* rule id (in the arena) */
    uint32_t file;  /* where it was first seen */
    uint32_t line;  /* where it was first seen */
} s_seen_t;

typedef struct {
    s_seen_t *slots; /* open addressing, id NULL = empty */
    size_t mask;     /* slots - 1 */
    size_t count;    /* used slots */
} s_idset_t;

static void s_idset_grow(s_idset_t *set)
{
    size_t n = set->slots ? (set->mask + 1) * 2 : 1024;
    s_seen_t *slots = core_calloc(n, sizeof(*slots));
    for (size_t i = 0; set->slots && i <= set->mask; i++) {
        if (set->slots[i].id == NULL)
            continue;
        size_t at = core_hash64(set->slots[i].id, strlen(set->slots[i].id), 0) & (n - 1);
        while (slots[at].id != NULL)
            at = (at + 1) & (n - 1);
        slots[at] = set->slots[i];
    }
    free(set->slots);
    set->slots = slots;
    set->mask = n - 1;
}

/* Returns the earlier entry with this id, or inserts it and returns NULL. */
static const s_seen_t *s_idset_insert(s_idset_t *set, const char *id, uint32_t file, uint32_t line)
{
    if (set->slots == NULL || (set->count + 1) * 2 > set->mask + 1)
        s_idset_grow(set);
    size_t at = core_hash64(id, strlen(id), 0) & set->mask;
    while (set->slots[at].id != NULL) {
        if (strcmp(set->slots[at].id, id) == 0)
            return &set->slots[at];
        at = (at + 1) & set->mask;
    }
    set->slots[at] = (s_seen_t){.id = id, .file = file, .line = line};
    set->count++;
    return NULL;
}

/* ============ Loading ============ */

enum {
    COL_ID,
    COL_LIST,
    COL_KIND,
    COL_SCOPE,
    COL_PATTERN,
    COL_WEIGHT,
    COL_NOTE,
    COL_FROM,
    COL_TO,
    COL_COUNT
};

static const char *const s_columns[COL_COUNT] = {
    "id", "list", "kind", "scope", "pattern", "weight", "note", "valid_from", "valid_to",
};

typedef struct {
    screen_watchlist_t *wl;        /* being built */
    s_idset_t ids;                 /* every id seen */
    screen_norm_t norm;            /* scratch for pattern checks */
    int64_t today;                 /* day number */
    uint64_t ordinal;              /* records seen over all files (for the version hash) */
    crypto_generichash_state hash; /* version hash */
} s_loader_t;

/* Checks that the pattern is usable by its kind. Returns 0 or -EINVAL with a reason. */
static int s_check_pattern(s_loader_t *ld, screen_kind_t kind, uint32_t scope, core_str_t pat,
                           char *err)
{
    char key[512];
    uint32_t a = 0;
    uint32_t b = 0;
    switch (kind) {
    case SCREEN_KIND_NAME:
    case SCREEN_KIND_KEYWORD:
        screen_normalize(&ld->norm, pat.ptr, pat.len, SCREEN_NORM_TEXT);
        if (ld->norm.len == 0) {
            core_err_set(err, "pattern '%.*s' has no letters or digits", (int)pat.len, pat.ptr);
            return -EINVAL;
        }
        return 0;
    case SCREEN_KIND_REGEX:
        return 0;
    case SCREEN_KIND_HSCODE: {
        for (uint32_t i = 0; i < pat.len; i++) {
            char c = pat.ptr[i];
            if (!((c >= '0' && c <= '9') || c == '.' || c == ' ' || c == '-')) {
                core_err_set(err, "hscode pattern '%.*s' is not digits", (int)pat.len, pat.ptr);
                return -EINVAL;
            }
        }
        size_t n = screen__key_digits(pat.ptr, pat.len, key, sizeof(key), &a, &b);
        if (n < 2 || n > 10) {
            core_err_set(err, "hscode pattern '%.*s' must have 2 to 10 digits", (int)pat.len,
                         pat.ptr);
            return -EINVAL;
        }
        return 0;
    }
    case SCREEN_KIND_COUNTRY:
        if (screen__key_country(pat.ptr, pat.len, key, &a, &b) != 0) {
            core_err_set(err, "country pattern '%.*s' is not an ISO2 code", (int)pat.len, pat.ptr);
            return -EINVAL;
        }
        return 0;
    case SCREEN_KIND_IDENTIFIER: {
        size_t n = SIZE_MAX;
        if (scope & SCREEN_FIELDS_PHONE) {
            n = screen__key_digits(pat.ptr, pat.len, key, sizeof(key), &a, &b);
            if (n == 0 || n == SIZE_MAX)
                goto bad_identifier;
        }
        if (scope & SCREEN_FIELDS_EMAIL) {
            n = screen__key_email(pat.ptr, pat.len, key, sizeof(key), &a, &b);
            if (n == 0 || n == SIZE_MAX)
                goto bad_identifier;
        }
        if (scope & (SCREEN_FIELDS_TAX_ID | SCREEN_FIELD_ITEM_ID)) {
            n = screen__key_alnum(pat.ptr, pat.len, key, sizeof(key), &a, &b);
            if (n == 0 || n == SIZE_MAX)
                goto bad_identifier;
        }
        return 0;
    bad_identifier:
        core_err_set(err,
                     "identifier pattern '%.*s' is empty or longer than %zu bytes once "
                     "normalised",
                     (int)pat.len, pat.ptr, sizeof(key));
        return -EINVAL;
    }
    case SCREEN_KIND_COUNT:
        break;
    }
    core_err_set(err, "unknown kind");
    return -EINVAL;
}

static bool s_scope_fits(screen_kind_t kind, uint32_t scope)
{
    switch (kind) {
    case SCREEN_KIND_NAME:
    case SCREEN_KIND_KEYWORD:
    case SCREEN_KIND_REGEX:
        return (scope & ~(uint32_t)SCREEN_FIELDS_TEXT) == 0;
    case SCREEN_KIND_HSCODE:
        return scope == SCREEN_FIELD_HSCODE;
    case SCREEN_KIND_COUNTRY:
        return (scope & ~(uint32_t)SCREEN_FIELDS_COUNTRY) == 0;
    case SCREEN_KIND_IDENTIFIER:
        return (scope & ~(uint32_t)SCREEN_FIELDS_IDENTIFIER) == 0;
    case SCREEN_KIND_COUNT:
        break;
    }
    return false;
}

/* Validates one record; appends it to the rules when active. Returns 0 or -EINVAL with a
 * reason (no file:line prefix). */
static int s_load_record(s_loader_t *ld, uint32_t file, const screen__csv_record_t *rec,
                         const int *col, size_t *skipped_in_file, char *err)
{
    core_str_t v[COL_COUNT];
    for (int c = 0; c < COL_COUNT; c++) {
        v[c] = col[c] >= 0 ? rec->fields[col[c]] : (core_str_t){"", 0};
        if (!core_utf8_valid(v[c].ptr, v[c].len)) {
            core_err_set(err, "invalid UTF-8 in column '%s'", s_columns[c]);
            return -EINVAL;
        }
        if (v[c].len && memchr(v[c].ptr, '\0', v[c].len) != NULL) {
            core_err_set(err, "NUL byte in column '%s'", s_columns[c]);
            return -EINVAL;
        }
        if (c != COL_PATTERN && c != COL_NOTE)
            v[c] = s_trim(v[c]);
    }
    /* The other columns must be valid UTF-8 too: the whole file is refused otherwise. */
    for (size_t i = 0; i < rec->count; i++) {
        if (!core_utf8_valid(rec->fields[i].ptr, rec->fields[i].len)) {
            core_err_set(err, "invalid UTF-8 in field %zu", i + 1);
            return -EINVAL;
        }
    }
    if (v[COL_ID].len == 0) {
        core_err_set(err, "empty id");
        return -EINVAL;
    }
    if (v[COL_LIST].len == 0) {
        core_err_set(err, "rule '%.*s': empty list", (int)v[COL_ID].len, v[COL_ID].ptr);
        return -EINVAL;
    }
    screen_kind_t kind;
    if (screen_kind_parse(v[COL_KIND].ptr, v[COL_KIND].len, &kind) != 0) {
        core_err_set(err, "rule '%.*s': unknown kind '%.*s'", (int)v[COL_ID].len, v[COL_ID].ptr,
                     (int)v[COL_KIND].len, v[COL_KIND].ptr);
        return -EINVAL;
    }
    uint32_t scope = 0;
    if (screen_scope_parse(v[COL_SCOPE].ptr, v[COL_SCOPE].len, &scope) != 0) {
        core_err_set(err, "rule '%.*s': unknown scope '%.*s'", (int)v[COL_ID].len, v[COL_ID].ptr,
                     (int)v[COL_SCOPE].len, v[COL_SCOPE].ptr);
        return -EINVAL;
    }
    if (!s_scope_fits(kind, scope)) {
        core_err_set(err, "rule '%.*s': scope '%.*s' does not apply to kind '%s'",
                     (int)v[COL_ID].len, v[COL_ID].ptr, (int)v[COL_SCOPE].len, v[COL_SCOPE].ptr,
                     screen_kind_name(kind));
        return -EINVAL;
    }
    uint32_t weight = 0;
    if (s_parse_weight(v[COL_WEIGHT], &weight) != 0) {
        core_err_set(err, "rule '%.*s': weight '%.*s' is not an integer in 1..100",
                     (int)v[COL_ID].len, v[COL_ID].ptr, (int)v[COL_WEIGHT].len, v[COL_WEIGHT].ptr);
        return -EINVAL;
    }
    if (s_trim(v[COL_PATTERN]).len == 0) {
        core_err_set(err, "rule '%.*s': empty pattern", (int)v[COL_ID].len, v[COL_ID].ptr);
        return -EINVAL;
    }
    if (s_check_pattern(ld, kind, scope, v[COL_PATTERN], err) != 0) {
        core_err_prefix(err, "rule '%.*s'", (int)v[COL_ID].len, v[COL_ID].ptr);
        return -EINVAL;
    }
    int64_t from = INT64_MIN;
    int64_t to = INT64_MAX;
    if (v[COL_FROM].len && s_parse_date(v[COL_FROM], &from) != 0) {
        core_err_set(err, "rule '%.*s': bad valid_from '%.*s' (want YYYY-MM-DD)",
                     (int)v[COL_ID].len, v[COL_ID].ptr, (int)v[COL_FROM].len, v[COL_FROM].ptr);
        return -EINVAL;
    }
    if (v[COL_TO].len && s_parse_date(v[COL_TO], &to) != 0) {
        core_err_set(err, "rule '%.*s': bad valid_to '%.*s' (want YYYY-MM-DD)", (int)v[COL_ID].len,
                     v[COL_ID].ptr, (int)v[COL_TO].len, v[COL_TO].ptr);
        return -EINVAL;
    }
    if (from > to) {
        core_err_set(err, "rule '%.*s': valid_from is after valid_to", (int)v[COL_ID].len,
                     v[COL_ID].ptr);
        return -EINVAL;
    }

    screen_watchlist_t *wl = ld->wl;
    const char *id = core_arena_strndup(&wl->strings, v[COL_ID].ptr, v[COL_ID].len);
    const s_seen_t *seen = s_idset_insert(&ld->ids, id, file, rec->line);
    if (seen != NULL) {
        core_err_set(err, "duplicate id '%s' (first at %s:%u)", id, wl->files[seen->file],
                     seen->line);
        return -EINVAL;
    }

    uint64_t ordinal = ld->ordinal++;
    if (ld->today < from || ld->today > to) {
        unsigned char le[8];
        for (int i = 0; i < 8; i++)
            le[i] = (unsigned char)(ordinal >> (8 * i));
        crypto_generichash_update(&ld->hash, le, sizeof(le));
        wl->skipped++;
        (*skipped_in_file)++;
        return 0;
    }
    if (wl->count == wl->cap) {
        wl->cap = wl->cap ? wl->cap * 2 : 256;
        wl->rules = core_realloc(wl->rules, wl->cap * sizeof(*wl->rules));
    }
    wl->rules[wl->count++] = (screen_rule_t){
        .id = id,
        .list = core_arena_strndup(&wl->strings, v[COL_LIST].ptr, v[COL_LIST].len),
        .pattern = core_arena_strndup(&wl->strings, v[COL_PATTERN].ptr, v[COL_PATTERN].len),
        .note = core_arena_strndup(&wl->strings, v[COL_NOTE].ptr, v[COL_NOTE].len),
        .kind = kind,
        .scope = scope,
        .weight = weight,
        .file = file,
        .line = rec->line,
    };
    return 0;
}

/* Loads one file's records. Returns 0 or -EINVAL/-ENOENT with "file:line: reason" in err. */
static int s_load_file(s_loader_t *ld, uint32_t file, core_buf_t *data, core_buf_t *desc, char *err)
{
    const char *path = ld->wl->files[file];
    core_buf_reset(data);
    if (core_buf_read_file(data, path, 0, err) != 0)
        return -ENOENT;
    unsigned char le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)((uint64_t)data->len >> (8 * i));
    crypto_generichash_update(&ld->hash, le, sizeof(le));
    if (data->len)
        crypto_generichash_update(&ld->hash, (const unsigned char *)data->data, data->len);

    screen__csv_t csv;
    screen__csv_init(&csv, data->data ? data->data : "", data->len);
    screen__csv_record_t *rec = core_malloc(sizeof(*rec));
    int rc = 0;
    char why[CORE_ERR_LEN];
    int got = screen__csv_next(&csv, rec, why);
    if (got <= 0) {
        if (got == 0)
            core_err_set(err, "%s:1: empty file (no header row)", path);
        else
            core_err_set(err, "%s:%u: %s", path, csv.line, why);
        rc = -EINVAL;
        goto out;
    }
    int col[COL_COUNT];
    for (int c = 0; c < COL_COUNT; c++)
        col[c] = -1;
    for (size_t i = 0; i < rec->count; i++) {
        core_str_t name = s_trim(rec->fields[i]);
        for (int c = 0; c < COL_COUNT; c++) {
            if (strlen(s_columns[c]) == name.len &&
                strncasecmp(name.ptr, s_columns[c], name.len) == 0) {
                if (col[c] >= 0) {
                    core_err_set(err, "%s:%u: column '%s' appears twice", path, rec->line,
                                 s_columns[c]);
                    rc = -EINVAL;
                    goto out;
                }
                col[c] = (int)i;
            }
        }
    }
    for (int c = 0; c <= COL_WEIGHT; c++) {
        if (col[c] < 0) {
            core_err_set(err,
                         "%s:%u: missing column '%s' (header needs "
                         "id,list,kind,scope,pattern,weight)",
                         path, rec->line, s_columns[c]);
            rc = -EINVAL;
            goto out;
        }
    }
    size_t columns = rec->count;
    size_t rules = 0;
    size_t skipped = 0;
    while ((got = screen__csv_next(&csv, rec, why)) > 0) {
        if (rec->count != columns) {
            core_err_set(err, "%s:%u: %zu fields, the header has %zu", path, rec->line, rec->count,
                         columns);
            rc = -EINVAL;
            goto out;
        }
        if (s_load_record(ld, file, rec, col, &skipped, why) != 0) {
            core_err_set(err, "%s:%u: %s", path, rec->line, why);
            rc = -EINVAL;
            goto out;
        }
        rules++;
    }
    if (got < 0) {
        core_err_set(err, "%s:%u: %s", path, rec->line, why);
        rc = -EINVAL;
        goto out;
    }
    core_buf_printf(desc, "%s%s (%zu rules", desc->len ? "; " : "", s_basename(path),
                    rules - skipped);
    if (skipped)
        core_buf_printf(desc, ", %zu skipped", skipped);
    core_buf_append_byte(desc, ')');
out:
    free(rec);
    screen__csv_clear(&csv);
    return rc;
}

static int64_t s_today(const screen_watchlist_opts_t *opts, char *err)
{
    if (opts && opts->today) {
        int64_t d;
        if (s_parse_date(core_str_from(opts->today), &d) != 0) {
            core_err_set(err, "bad date '%s' for today (want YYYY-MM-DD)", opts->today);
            return INT64_MIN;
        }
        return d;
    }
    return (int64_t)time(NULL) / 86400;
}

screen_watchlist_t *screen_watchlist_load(const char *const *paths, size_t count,
                                          const screen_watchlist_opts_t *opts, char *err)
{
    core_assert(paths != NULL || count == 0);
    if (count == 0) {
        core_err_set(err, "no watchlist files");
        return NULL;
    }
    if (sodium_init() < 0) {
        core_err_set(err, "libsodium failed to initialise");
        return NULL;
    }
    s_loader_t ld;
    memset(&ld, 0, sizeof(ld));
    ld.today = s_today(opts, err);
    if (ld.today == INT64_MIN)
        return NULL;

    screen_watchlist_t *self = core_calloc(1, sizeof(*self));
    core_arena_init(&self->strings, 0);
    self->files = core_calloc(count, sizeof(*self->files));
    self->file_count = count;
    for (size_t i = 0; i < count; i++)
        self->files[i] = core_strdup(paths[i]);
    ld.wl = self;
    screen_norm_init(&ld.norm);
    crypto_generichash_init(&ld.hash, NULL, 0, crypto_generichash_BYTES_MIN);

    core_buf_t data = {0};
    core_buf_t desc = {0};
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = s_load_file(&ld, (uint32_t)i, &data, &desc, err);

    unsigned char digest[crypto_generichash_BYTES_MIN];
    crypto_generichash_final(&ld.hash, digest, sizeof(digest));
    memcpy(self->version, "wl-", 3);
    sodium_bin2hex(self->version + 3, sizeof(self->version) - 3, digest, 8);
    self->description = core_strdup(core_buf_cstr(&desc));

    core_buf_clear(&data);
    core_buf_clear(&desc);
    screen_norm_clear(&ld.norm);
    free(ld.ids.slots);
    if (rc != 0)
        screen_watchlist_destroy(&self);
    return self;
}

void screen_watchlist_destroy(screen_watchlist_t **self_p)
{
    core_assert(self_p != NULL);
    screen_watchlist_t *self = *self_p;
    if (self == NULL)
        return;
    for (size_t i = 0; i < self->file_count; i++)
        free(self->files[i]);
    free(self->files);
    free(self->rules);
    free(self->description);
    core_arena_clear(&self->strings);
    free(self);
    *self_p = NULL;
}

size_t screen_watchlist_size(const screen_watchlist_t *self)
{
    core_assert(self != NULL);
    return self->count;
}

const screen_rule_t *screen_watchlist_rule(const screen_watchlist_t *self, size_t i)
{
    core_assert(self != NULL);
    core_assert(i < self->count);
    return &self->rules[i];
}

size_t screen_watchlist_skipped(const screen_watchlist_t *self)
{
    core_assert(self != NULL);
    return self->skipped;
}

const char *screen_watchlist_version(const screen_watchlist_t *self)
{
    core_assert(self != NULL);
    return self->version;
}

const char *screen_watchlist_description(const screen_watchlist_t *self)
{
    core_assert(self != NULL);
    return self->description;
}

size_t screen_watchlist_file_count(const screen_watchlist_t *self)
{
    core_assert(self != NULL);
    return self->file_count;
}

const char *screen_watchlist_file(const screen_watchlist_t *self, size_t i)
{
    core_assert(self != NULL);
    core_assert(i < self->file_count);
    return self->files[i];
}
