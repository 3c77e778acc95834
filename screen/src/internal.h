/* internal.h -- helpers shared by the screen module's files (not part of the API).
 *
 * Names carry the screen__ prefix (libuv uv__ style) so grepping screen_ finds the API only. */
#ifndef SCREEN_INTERNAL_H
#define SCREEN_INTERNAL_H

#include "core/buf.h"
#include "core/core.h"
#include "core/str.h"
#include "screen/allowlist.h"
#include "screen/matcher.h"
#include "screen/normalize.h"
#include "screen/scanner.h"
#include "screen/screen.h"
#include "screen/watchlist.h"

#include <hs.h>
#include <pthread.h>
#include <stdatomic.h>

/* ============ CSV (RFC 4180) reader: csv.c ============ */

#define SCREEN__CSV_MAX_FIELDS 64

typedef struct {
    core_str_t fields[SCREEN__CSV_MAX_FIELDS]; /* views into the reader's buffer */
    size_t count;                              /* fields in this record */
    uint32_t line;                             /* 1-based line where the record starts */
} screen__csv_record_t;

typedef struct {
    const char *data; /* borrowed input */
    size_t len;       /* input bytes */
    size_t pos;       /* next byte */
    uint32_t line;    /* line of the next byte */
    core_buf_t buf;   /* unescaped fields of the current record */
} screen__csv_t;

void screen__csv_init(screen__csv_t *self, const char *data, size_t len);
/* Reads the next record. Returns 1, 0 at the end, or -EINVAL with a reason (without the
 * file:line prefix; the line is in rec->line) in err. Views are valid until the next call. */
int screen__csv_next(screen__csv_t *self, screen__csv_record_t *rec, char *err);
void screen__csv_clear(screen__csv_t *self);

/* ============ Keys of the exact kinds: keys.c ============ */

/* Each writes the normalised key of [s, s + len) into out (at most cap bytes) and returns its
 * length, or SIZE_MAX when it would not fit. *first and *last_end receive the source range the
 * key came from (for a hit's start/end). */

/* Digits only: phones, HS codes. */
size_t screen__key_digits(const char *s, size_t len, char *out, size_t cap, uint32_t *first,
                          uint32_t *last_end);
/* Trimmed, ASCII lower case: e-mail addresses. */
size_t screen__key_email(const char *s, size_t len, char *out, size_t cap, uint32_t *first,
                         uint32_t *last_end);
/* ASCII letters and digits, upper case: tax ids, item ids. */
size_t screen__key_alnum(const char *s, size_t len, char *out, size_t cap, uint32_t *first,
                         uint32_t *last_end);
/* Trimmed two ASCII letters, upper-cased into out[2]. Returns 0 or -EINVAL. */
int screen__key_country(const char *s, size_t len, char out[2], uint32_t *first,
                        uint32_t *last_end);

/* ============ Rule references and the key table: table.c ============ */

/* One rule behind a pattern or key. */
typedef struct {
    uint32_t rule;    /* index into the watchlist */
    uint32_t scope;   /* SCREEN_FIELD_* mask this reference applies to */
    uint32_t variant; /* name rules: 0 as listed, 1 "First LAST", 2 sorted tokens */
} screen__ref_t;

/* All references that share one key (Suricata's sids[] per pattern). */
typedef struct {
    uint32_t key_off;   /* key bytes at table->keys + key_off */
    uint32_t key_len;   /* key length */
    uint32_t ref_first; /* first reference in table->refs */
    uint32_t ref_count; /* references */
    uint32_t scope;     /* union of the references' scopes */
} screen__group_t;

/* Pending (key, reference) pairs until finish; then groups of distinct keys and a hash index.
 * Read-only after finish, safe to share between threads. */
typedef struct {
    char *keys;                      /* key bytes */
    size_t keys_len, keys_cap;       /* used / allocated */
    struct screen__pending *pending; /* pairs added since init */
    size_t pending_len, pending_cap; /* used / allocated */
    screen__ref_t *refs;             /* grouped references, after finish */
    size_t ref_count;                /* entries in refs */
    screen__group_t *groups;         /* distinct keys in byte order, after finish */
    size_t group_count;              /* entries in groups */
    uint32_t *slots;                 /* open addressing: group index + 1, 0 = empty */
    size_t slot_mask;                /* slots - 1 (power of two) */
} screen__table_t;

void screen__table_init(screen__table_t *self);
void screen__table_add(screen__table_t *self, const char *key, size_t len, screen__ref_t ref);
/* Groups equal keys (duplicate references dropped) and builds the index. */
void screen__table_finish(screen__table_t *self);
/* The group of 'key', or NULL. */
const screen__group_t *screen__table_find(const screen__table_t *self, const char *key, size_t len);
void screen__table_clear(screen__table_t *self);

/* ============ Spelling-tolerant names: fuzzy.c ============ */

#define SCREEN__FUZZY_MIN_LEN 5           /* shorter tokens must match exactly */
#define SCREEN__FUZZY_MAX_TOKENS 16       /* rules with more tokens are matched exactly only */
#define SCREEN__FUZZY_MAX_FIELD_TOKENS 32 /* field tokens looked at (the first ones) */

typedef struct {
    uint32_t off; /* byte offset of the token in its text */
    uint32_t len; /* bytes */
} screen__fuzzy_tok_t;

typedef struct {
    uint32_t rule;       /* rule index */
    uint32_t scope;      /* name fields it applies to */
    uint32_t tok_first;  /* first token in toks */
    uint16_t tok_count;  /* tokens */
    uint16_t spare;      /* padding */
    uint32_t prim_group; /* group of the rarest token (the primary anchor) */
    uint32_t sec_group;  /* group of the second rarest, UINT32_MAX for one-token rules */
    uint32_t letters;    /* bytes of all tokens (the similarity's denominator) */
} screen__fuzzy_entry_t;

/* Index of name rules by their anchor token's deletion neighbourhood. Read-only after finish. */
typedef struct {
    char *text;                     /* token bytes of all entries */
    size_t text_len, text_cap;      /* used / allocated */
    screen__fuzzy_tok_t *toks;      /* tokens (off into text) */
    size_t tok_count, tok_cap;      /* used / allocated */
    screen__fuzzy_entry_t *entries; /* one per name rule */
    size_t entry_count, entry_cap;  /* used / allocated */
    uint64_t *post_hash;            /* posting key hashes, sorted */
    uint32_t *post_group;           /* posting anchor groups */
    size_t group_count;             /* distinct anchor texts */
    uint32_t *prim_first;           /* per group + 1: its entries as primary anchor (CSR) */
    uint32_t *prim_list;            /* entries, by primary group */
    uint32_t *sec_first;            /* per group + 1: its entries as secondary anchor */
    uint32_t *sec_list;             /* entries, by secondary group */
    size_t post_count;              /* postings */
    uint32_t *dir;                  /* 2^dir_bits + 1 offsets by the top hash bits */
    uint64_t *filter;               /* one bit per key (low hash bits & filter_mask) */
    uint64_t filter_mask;           /* filter bits - 1 */
    unsigned dir_bits;              /* directory size (log2) */
} screen__fuzzy_t;

typedef struct {
    double cost;    /* edit cost of this option */
    uint8_t ri, rn; /* rule tokens [ri, ri + rn) */
    uint8_t fi, fn; /* field tokens [fi, fi + fn) */
} screen__fuzzy_opt_t;

/* One scanner's scan state: nothing is allocated once the arrays have grown. */
typedef struct {
    uint32_t *seen;                    /* per entry: stamp of the field that proposed it */
    uint32_t *gseen;                   /* per anchor group: stamp of the field that reached it */
    size_t gseen_len;                  /* groups */
    uint32_t *reached;                 /* groups reached by the current field */
    size_t reached_count, reached_cap; /* used / allocated */
    size_t seen_len;                   /* entries */
    uint32_t stamp;                    /* current field's stamp */
    uint32_t *cands;                   /* candidate entries of the current field */
    size_t cand_count, cand_cap;       /* used / allocated */
    screen__fuzzy_opt_t *opts;         /* verifier options */
    size_t opt_count, opt_cap;         /* used / allocated */
    const char *text;                  /* normalised field text (borrowed) */
    screen__fuzzy_tok_t ftoks[SCREEN__FUZZY_MAX_FIELD_TOKENS]; /* its tokens */
    uint32_t ftok_count;                                       /* used */
} screen__fuzzy_state_t;

void screen__fuzzy_init(screen__fuzzy_t *self);
/* Adds a name rule's NAME-normalised text (tokens separated by single spaces). */
void screen__fuzzy_add(screen__fuzzy_t *self, uint32_t rule, uint32_t scope, const char *text,
                       size_t len);
/* Chooses anchors and builds the postings and directory. */
void screen__fuzzy_finish(screen__fuzzy_t *self);
void screen__fuzzy_clear(screen__fuzzy_t *self);

void screen__fuzzy_state_init(screen__fuzzy_state_t *st, const screen__fuzzy_t *fz);
void screen__fuzzy_state_clear(screen__fuzzy_state_t *st);
/* Tokenises a NAME-normalised field into st and collects candidate entries (st->cands).
 * Returns their number. */
size_t screen__fuzzy_candidates(const screen__fuzzy_t *fz, screen__fuzzy_state_t *st,
                                const char *text, size_t len);
/* Similarity 0..1 of entry to the field of the last screen__fuzzy_candidates call (0: no
 * match). On a match, [*start, *end) is the matched token window in the normalised text. */
double screen__fuzzy_verify(const screen__fuzzy_t *fz, screen__fuzzy_state_t *st, uint32_t entry,
                            uint32_t *start, uint32_t *end);

/* ============ Allow-list: allowlist.c (screen/allowlist.h) ============ */

/* Allow-listed (rule, NAME-normalised name) pairs: key = name, refs[].rule = rule index.
 * Part of the matcher, read-only once attached. Zeroed = empty. */
typedef struct {
    screen__table_t names;        /* empty (group_count 0) when no allow-list is attached */
    screen_allowlist_info_t info; /* counts */
} screen__allow_t;

void screen__allow_clear(screen__allow_t *self);
/* True when (rule, NAME-normalised [text, text + len)) is allow-listed; norm is the caller's
 * scratch buffer (overwritten). */
bool screen__allow_has(const screen__allow_t *self, uint32_t rule, const char *text, size_t len,
                       screen_norm_t *norm);

/* ============ The compiled matcher: matcher.c builds it, scanner.c reads it ============ */

/* Name rules with more tokens than this get no sorted-token key (literal matching only). */
#define SCREEN__MAX_SORT_TOKENS 16

/* Variants of a name rule. */
enum { SCREEN__VARIANT_LISTED = 0, SCREEN__VARIANT_SWAPPED = 1, SCREEN__VARIANT_SORTED = 2 };

typedef struct {
    screen__table_t literals;  /* normalised literals; group index = Hyperscan pattern id */
    hs_database_t *literal_db; /* block mode, NULL when there are no literals */
    uint32_t *regex_rule;      /* regex pattern id -> rule index */
    uint32_t *regex_scope;     /* regex pattern id -> fields of this class it applies to */
    size_t regex_count;        /* regex patterns */
    hs_database_t *regex_db;   /* block mode, SOM leftmost, NULL when there are no regexes */
} screen__class_db_t;

struct screen_matcher {
    screen_watchlist_t *watchlist;                  /* owned; rules are indexed into it */
    const screen_rule_t *rules;                     /* screen_watchlist_rule(watchlist, 0) */
    size_t rule_count;                              /* active rules */
    screen__class_db_t classes[SCREEN_CLASS_COUNT]; /* per text class */
    screen__table_t name_tokens;                    /* sorted-token form of name rules */
    screen__fuzzy_t fuzzy;                          /* spelling-tolerant name index */
    screen__table_t hscodes;                        /* digit prefixes */
    screen__table_t countries;                      /* ISO2, upper case */
    screen__table_t phones;                         /* digits */
    screen__table_t emails;                         /* lower case */
    screen__table_t alnum_ids;                      /* tax ids and item ids, upper alnum */
    hs_scratch_t *scratch;                          /* prototype, cloned by each scanner */
    screen_matcher_info_t info;                     /* counts and sizes */
    screen__allow_t allow;                          /* officers' allow-list (allowlist.c) */
};

/* The sorted-token key of a NAME-normalised text ("zawahiri ayman al" -> "al ayman zawahiri")
 * into out. Returns false when the text has no token or more than SCREEN__MAX_SORT_TOKENS. */
bool screen__sorted_tokens(const char *text, size_t len, core_buf_t *out);

/* ============ Compiled-database file: dbcache.c ============ */

#define SCREEN__DBCACHE_KEY_LEN 32

/* The key of m's Hyperscan databases (BLAKE2b-256 of the compile scheme, Hyperscan version,
 * host platform and every pattern as compiled). m's tables must be built. */
void screen__dbcache_key(const screen_matcher_t *m, unsigned char key[SCREEN__DBCACHE_KEY_LEN]);
/* Loads m's databases from path when its key is 'key' and it is intact. Returns 0, or -errno
 * with a reason in why (-ENOENT: no file, -ESTALE: other key); m's databases stay NULL then. */
int screen__dbcache_load(screen_matcher_t *m, const char *path,
                         const unsigned char key[SCREEN__DBCACHE_KEY_LEN], char *why);
/* Writes m's databases to path (path.tmp.<pid>, then rename). Returns 0 or -errno with err. */
int screen__dbcache_save(const screen_matcher_t *m, const char *path,
                         const unsigned char key[SCREEN__DBCACHE_KEY_LEN], char *err);

/* ============ The stage: run.c ============ */

/* Loads cfg's watchlists and builds the matcher (with cfg->compiled): the one build path of
 * the stage, at start and on every reload, so whatever is loaded at start is reloaded too.
 * Returns NULL with "file:line: reason" in err. */
screen_matcher_t *screen__build_matcher(const screen_config_t *cfg, char *err);

/* ============ Scan workers: worker.c (run.c drives them) ============ */

/* Frame 1 of every worker -> main message; frame 2 is the VERDICT_BATCH (empty when the
 * PARCEL_BATCH was rejected). Same process, so a plain struct. */
typedef struct {
    uint64_t seq;          /* PARCEL_BATCH seq (0 when it did not decode) */
    int32_t status;        /* 0, or -EPROTO when the batch did not decode */
    uint32_t parcels;      /* verdicts in frame 2 */
    uint32_t hits;         /* hits reported */
    uint32_t hits_dropped; /* hits over PROTO_MAX_HITS */
    uint32_t red;          /* verdicts per channel */
    uint32_t yellow;
    uint32_t green;
    uint32_t random;      /* selected at random */
    uint32_t scan_errors; /* parcels whose scan failed (Hyperscan error) */
} screen__report_t;

/* One loaded set of lists (a "generation"): the matcher and a reference count. The stage's
 * current generation holds one reference, each worker one for the generation its scanner
 * reads; the last unref frees the matcher (any thread). */
typedef struct {
    screen_matcher_t *matcher; /* owned */
    atomic_uint refs;          /* references */
    uint64_t number;           /* 1 at start, +1 per successful reload */
} screen__gen_t;

/* Where workers find the current generation. main swaps it under 'lock' and bumps 'number';
 * workers compare 'number' (one atomic load per batch) and take a reference under 'lock'. */
typedef struct {
    pthread_mutex_t lock;        /* guards gen */
    screen__gen_t *gen;          /* current generation (one reference held by the slot) */
    atomic_uint_fast64_t number; /* gen->number, readable without the lock */
} screen__slot_t;

/* Makes generation 'number' of *matcher_p (taken; *matcher_p = NULL) with one reference. */
screen__gen_t *screen__gen_new(screen_matcher_t **matcher_p, uint64_t number);
void screen__gen_ref(screen__gen_t *gen);
/* Drops a reference; the last one frees the matcher. *gen_p = NULL. */
void screen__gen_unref(screen__gen_t **gen_p);

void screen__slot_init(screen__slot_t *slot, screen__gen_t *gen);
/* Returns a new reference to the current generation. */
screen__gen_t *screen__slot_get(screen__slot_t *slot);
/* Makes gen (its reference moves into the slot) current; drops the slot's old reference. */
void screen__slot_publish(screen__slot_t *slot, screen__gen_t *gen);
/* Drops the slot's reference. */
void screen__slot_clear(screen__slot_t *slot);

typedef struct screen__worker screen__worker_t;

/* Starts a worker thread that PULLs batches from 'work_endpoint' and PUSHes reports to
 * 'done_endpoint' (both inproc, bound by the caller in 'ctx'). The worker owns a scanner of
 * the slot's current generation, made before this returns; between batches (and every
 * 100 ms when idle) it moves to a newer generation: new scanner, the old generation's
 * reference dropped. 'slot' and 'policy' must outlive the worker. It stops when the context
 * is shut down (ETERM). Returns NULL with a reason. */
screen__worker_t *screen__worker_start(void *ctx, const char *work_endpoint,
                                       const char *done_endpoint, screen__slot_t *slot,
                                       const screen_policy_t *policy, int index, char *err);
/* Generation number the worker screens with now (for tests and logs). */
uint64_t screen__worker_generation(const screen__worker_t *self);
/* Joins the thread (after zmq_ctx_shutdown) and frees the worker; *self_p becomes NULL. */
void screen__worker_join(screen__worker_t **self_p);

#endif
