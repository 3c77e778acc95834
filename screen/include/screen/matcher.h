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

/* Where a matcher's Hyperscan databases came from (screen_matcher_new_opts). */
typedef enum {
    SCREEN_DB_COMPILED = 0, /* compiled; no compiled-database file asked for */
    SCREEN_DB_LOADED,       /* loaded from the file: its key matched */
    SCREEN_DB_WRITTEN,      /* compiled (file absent, stale or bad) and the file written */
    SCREEN_DB_WRITE_FAILED, /* compiled; the file could not be written (warning logged) */
} screen_db_source_t;

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
    double hs_ms;                                /* of which Hyperscan compile or load */
    screen_db_source_t db_source;                /* compiled or loaded from a file */
    char db_key[17];                             /* 16 hex digits of the database key */
} screen_matcher_info_t;

/* Options of screen_matcher_new_opts. */
typedef struct {
    /* Compiled-database file (screen --compiled, 'watchlist compile --output'): when its key
     * (the exact patterns compiled + Hyperscan version + CPU, dbcache.c DESIGN) matches, the
     * Hyperscan databases are deserialized from it instead of compiled; when it is absent,
     * stale, truncated or corrupt (one warning line) they are compiled and the file is
     * rewritten (temp file + rename). NULL = always compile, no file. */
    const char *compiled;
} screen_matcher_opts_t;

typedef struct screen_matcher screen_matcher_t;

/* Compiles the rules of *watchlist_p and takes ownership of it (always: on failure it is
 * destroyed too); *watchlist_p is set to NULL. Returns NULL with "file:line: reason" in err
 * (CORE_ERR_LEN bytes) when a regex does not compile (syntax, "Pattern too large" with start
 * of match, ...). */
screen_matcher_t *screen_matcher_new(screen_watchlist_t **watchlist_p, char *err);

/* screen_matcher_new with options (opts NULL = screen_matcher_new). A bad compiled-database
 * file is never an error: it means compiling. */
screen_matcher_t *screen_matcher_new_opts(screen_watchlist_t **watchlist_p,
                                          const screen_matcher_opts_t *opts, char *err);

/* Frees the matcher (and its watchlist) and sets *self_p to NULL; no-op when *self_p is NULL.
 * No scanner of it may be alive. */
void screen_matcher_destroy(screen_matcher_t **self_p);

/* The rules it was compiled from. Borrowed, valid while the matcher lives. */
const screen_watchlist_t *screen_matcher_watchlist(const screen_matcher_t *self);

/* Sizes and counts. Borrowed. */
const screen_matcher_info_t *screen_matcher_info(const screen_matcher_t *self);

const char *screen_class_name(screen_class_t cls);

#endif
