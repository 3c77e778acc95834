/* watchlist.h -- watchlist files (SPEC section 2) loaded into validated rules.
 *
 * A watchlist file is CSV (RFC 4180) with a header naming at least the columns
 * id,list,kind,scope,pattern,weight (note, valid_from, valid_to optional; any order; other
 * columns ignored). Several files load as one set: ids are unique across all of them. Any error
 * refuses the whole set with "file:line: reason". Rules whose valid_from..valid_to window
 * (inclusive ISO dates) does not contain today are validated, then skipped and counted.
 *
 * The version string is "wl-" + 16 hex digits of a BLAKE2b hash over every file's length and
 * bytes in load order (plus the indices of skipped rules, so a date that changes the active set
 * changes the version). A loaded watchlist is immutable and may be read from any thread. */
#ifndef SCREEN_WATCHLIST_H
#define SCREEN_WATCHLIST_H

#include "core/core.h"

typedef enum {
    SCREEN_KIND_NAME = 0,   /* person or organisation name; tolerant */
    SCREEN_KIND_KEYWORD,    /* word or phrase in free text; whole words */
    SCREEN_KIND_REGEX,      /* Hyperscan regex on the raw field */
    SCREEN_KIND_HSCODE,     /* digit prefix of an item's HS code */
    SCREEN_KIND_COUNTRY,    /* ISO2, exact */
    SCREEN_KIND_IDENTIFIER, /* phone, email, tax id, item id; exact after normalising */
    SCREEN_KIND_COUNT,
} screen_kind_t;

/* The parcel fields a rule can look at, as bits; a scope is a mask of these. */
enum {
    SCREEN_FIELD_SENDER_NAME = 1u << 0,
    SCREEN_FIELD_RECIPIENT_NAME = 1u << 1,
    SCREEN_FIELD_SELLER_NAME = 1u << 2,
    SCREEN_FIELD_SENDER_ADDRESS = 1u << 3,    /* address + city + postcode */
    SCREEN_FIELD_RECIPIENT_ADDRESS = 1u << 4, /* address + city + postcode */
    SCREEN_FIELD_DESCRIPTION = 1u << 5,       /* items[].description */
    SCREEN_FIELD_HSCODE = 1u << 6,            /* items[].hs_code */
    SCREEN_FIELD_SENDER_COUNTRY = 1u << 7,
    SCREEN_FIELD_RECIPIENT_COUNTRY = 1u << 8,
    SCREEN_FIELD_ORIGIN_COUNTRY = 1u << 9,       /* parcel origin_country */
    SCREEN_FIELD_ITEM_ORIGIN_COUNTRY = 1u << 10, /* items[].origin_country */
    SCREEN_FIELD_DISPATCH_COUNTRY = 1u << 11,
    SCREEN_FIELD_SENDER_PHONE = 1u << 12,
    SCREEN_FIELD_RECIPIENT_PHONE = 1u << 13,
    SCREEN_FIELD_SENDER_EMAIL = 1u << 14,
    SCREEN_FIELD_RECIPIENT_EMAIL = 1u << 15,
    SCREEN_FIELD_SENDER_TAX_ID = 1u << 16,
    SCREEN_FIELD_RECIPIENT_TAX_ID = 1u << 17,
    SCREEN_FIELD_ITEM_ID = 1u << 18,
};

/* Groups of fields scanned the same way. */
#define SCREEN_FIELDS_NAME                                                                         \
    (SCREEN_FIELD_SENDER_NAME | SCREEN_FIELD_RECIPIENT_NAME | SCREEN_FIELD_SELLER_NAME)
#define SCREEN_FIELDS_ADDRESS (SCREEN_FIELD_SENDER_ADDRESS | SCREEN_FIELD_RECIPIENT_ADDRESS)
#define SCREEN_FIELDS_TEXT (SCREEN_FIELDS_NAME | SCREEN_FIELDS_ADDRESS | SCREEN_FIELD_DESCRIPTION)
#define SCREEN_FIELDS_COUNTRY                                                                      \
    (SCREEN_FIELD_SENDER_COUNTRY | SCREEN_FIELD_RECIPIENT_COUNTRY | SCREEN_FIELD_ORIGIN_COUNTRY |  \
     SCREEN_FIELD_ITEM_ORIGIN_COUNTRY | SCREEN_FIELD_DISPATCH_COUNTRY)
#define SCREEN_FIELDS_PHONE (SCREEN_FIELD_SENDER_PHONE | SCREEN_FIELD_RECIPIENT_PHONE)
#define SCREEN_FIELDS_EMAIL (SCREEN_FIELD_SENDER_EMAIL | SCREEN_FIELD_RECIPIENT_EMAIL)
#define SCREEN_FIELDS_TAX_ID (SCREEN_FIELD_SENDER_TAX_ID | SCREEN_FIELD_RECIPIENT_TAX_ID)
#define SCREEN_FIELDS_IDENTIFIER                                                                   \
    (SCREEN_FIELDS_PHONE | SCREEN_FIELDS_EMAIL | SCREEN_FIELDS_TAX_ID | SCREEN_FIELD_ITEM_ID)

/* One rule. Strings are NUL-terminated and owned by the watchlist. */
typedef struct {
    const char *id;      /* unique across the loaded files */
    const char *list;    /* list name, e.g. "ofac-sdn" */
    const char *pattern; /* as written in the file */
    const char *note;    /* may be "" */
    screen_kind_t kind;  /* what the pattern is */
    uint32_t scope;      /* SCREEN_FIELD_* mask */
    uint32_t weight;     /* 1..100 */
    uint32_t file;       /* index of the file it came from */
    uint32_t line;       /* 1-based line of its record in that file */
} screen_rule_t;

typedef struct {
    const char *today; /* "YYYY-MM-DD" for the validity windows; NULL = today (UTC) */
} screen_watchlist_opts_t;

typedef struct screen_watchlist screen_watchlist_t;

/* Loads and validates 'count' files in order. Returns NULL with "file:line: reason" in err
 * (CORE_ERR_LEN bytes) when any file is unreadable or has any bad record. Reasons: missing
 * column, unterminated quote, wrong field count, empty id/list/pattern, duplicate id, unknown
 * kind, unknown scope, scope that does not fit the kind, weight outside 1..100, invalid UTF-8,
 * bad date, a pattern the kind cannot use (no letters/digits, not ISO2, not 2..10 digits).
 * Regexes are checked when compiled (screen_matcher_new). opts may be NULL. */
screen_watchlist_t *screen_watchlist_load(const char *const *paths, size_t count,
                                          const screen_watchlist_opts_t *opts, char *err);

/* Frees the watchlist and sets *self_p to NULL; no-op when *self_p is NULL. */
void screen_watchlist_destroy(screen_watchlist_t **self_p);

/* Active rules (loaded and inside their validity window). */
size_t screen_watchlist_size(const screen_watchlist_t *self);
/* Rule i (0 <= i < size), in file and line order. Borrowed. */
const screen_rule_t *screen_watchlist_rule(const screen_watchlist_t *self, size_t i);
/* Rules skipped because today is outside their validity window. */
size_t screen_watchlist_skipped(const screen_watchlist_t *self);
/* "wl-" + 16 hex digits. Borrowed. */
const char *screen_watchlist_version(const screen_watchlist_t *self);
/* "a.csv (120 rules); b.csv (3 rules, 2 skipped)". Borrowed. */
const char *screen_watchlist_description(const screen_watchlist_t *self);
/* Number of files and the path of file i as given to load. Borrowed. */
size_t screen_watchlist_file_count(const screen_watchlist_t *self);
const char *screen_watchlist_file(const screen_watchlist_t *self, size_t i);

/* "name", "keyword", ... */
const char *screen_kind_name(screen_kind_t kind);
/* Returns 0 and sets *out, or -EINVAL. */
int screen_kind_parse(const char *text, size_t len, screen_kind_t *out);
/* One scope name ("party.name") or several joined by '|'. Returns 0 and sets *mask, or
 * -EINVAL. */
int screen_scope_parse(const char *text, size_t len, uint32_t *mask);

#endif
