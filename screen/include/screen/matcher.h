/* matcher.h -- a watchlist compiled for scanning: Hyperscan databases and lookup tables.
 *
 * Read-only once screen_matcher_new() returns and shared by all workers. Scanning needs
 * per-thread state: each worker owns a screen_scanner_t (scanner.h). See matcher.c DESIGN for
 * which database holds what. */
#ifndef SCREEN_MATCHER_H
#define SCREEN_MATCHER_H

#include "core/core.h"
#include "screen/watchlist.h"

/* Text classes: each has its own literal database (normalised text) and regex database (raw
 * text). */
typedef enum {
    SCREEN_CLASS_NAME = 0,    /* sender.name, recipient.name, seller.name (NAME normalising) */
    SCREEN_CLASS_ADDRESS,     /* address + city + postcode of sender and recipient */
    SCREEN_CLASS_DESCRIPTION, /* items[].description */
    SCREEN_CLASS_COUNT,
} screen_class_t;

/* What was compiled, for 'watchlist check' and logs. */
typedef struct {
    size_t rules;                                /* active rules */
    size_t rules_by_kind[SCREEN_KIND_COUNT];     /* active rules per kind */
    size_t literal_patterns[SCREEN_CLASS_COUNT]; /* distinct normalised literals */
    size_t regex_patterns[SCREEN_CLASS_COUNT];   /* regex expressions */
    size_t literal_db_bytes[SCREEN_CLASS_COUNT]; /* hs_database_size, 0 when none */
    size_t regex_db_bytes[SCREEN_CLASS_COUNT];   /* hs_database_size, 0 when none */
    size_t name_token_keys;                      /* sorted-token name keys */
    size_t fuzzy_names;                          /* name rules in the spelling-tolerant index */
    size_t fuzzy_keys;                           /* its deletion-neighbourhood postings */
    double fuzzy_ms;                             /* time to build that index (in compile_ms) */
    size_t hscode_keys;                          /* distinct HS prefixes */
    size_t country_keys;                         /* distinct countries */
    size_t identifier_keys;                      /* distinct phone/e-mail/id keys */
    size_t scratch_bytes;                        /* hs_scratch_size of the prototype */
    double compile_ms;                           /* wall time of screen_matcher_new */
} screen_matcher_info_t;

typedef struct screen_matcher screen_matcher_t;

/* Compiles the rules of *watchlist_p and takes ownership of it (always: on failure it is
 * destroyed too); *watchlist_p is set to NULL. Returns NULL with "file:line: reason" in err
 * (CORE_ERR_LEN bytes) when a regex does not compile (syntax, "Pattern too large" with start
 * of match, ...). */
screen_matcher_t *screen_matcher_new(screen_watchlist_t **watchlist_p, char *err);

/* Frees the matcher (and its watchlist) and sets *self_p to NULL; no-op when *self_p is NULL.
 * No scanner of it may be alive. */
void screen_matcher_destroy(screen_matcher_t **self_p);

/* The rules it was compiled from. Borrowed, valid while the matcher lives. */
const screen_watchlist_t *screen_matcher_watchlist(const screen_matcher_t *self);

/* Sizes and counts. Borrowed. */
const screen_matcher_info_t *screen_matcher_info(const screen_matcher_t *self);

const char *screen_class_name(screen_class_t cls);

#endif
