/* helpers.h -- shared fixtures of the screen tests: temp files, one-call matcher/scanner setup,
 * parcel building and hit lookup. */
#ifndef TESTS_SCREEN_HELPERS_H
#define TESTS_SCREEN_HELPERS_H

#include "core/arena.h"
#include "core/str.h"
#include "proto/parcel.h"
#include "proto/verdict.h"
#include "screen/matcher.h"
#include "screen/scanner.h"
#include "screen/watchlist.h"

/* The header every inline watchlist starts with. */
#define TH_HEADER "id,list,kind,scope,pattern,weight,note\n"

#define TH_MAX_FILES 16

/* A private temporary directory (tests run in parallel processes). */
typedef struct {
    char dir[256];             /* mkdtemp result */
    char *paths[TH_MAX_FILES]; /* files written, freed by th_tmp_clear */
    int count;                 /* files written */
} th_tmp_t;

void th_tmp_init(th_tmp_t *t);
/* Writes 'len' bytes (len < 0: strlen) to dir/name; returns the path (owned by t). */
const char *th_tmp_write(th_tmp_t *t, const char *name, const char *content, long len);
/* Removes the files and the directory. */
void th_tmp_clear(th_tmp_t *t);

/* Everything one scanner test needs. */
typedef struct {
    th_tmp_t tmp;              /* the watchlist file */
    screen_matcher_t *matcher; /* compiled */
    screen_scanner_t *scanner; /* one scanner */
    core_arena_t arena;        /* hits */
} th_screen_t;

/* Writes 'csv' as one watchlist file, loads, compiles and makes a scanner (policy may be NULL);
 * fails the test with the loader's reason when that does not work. */
void th_screen_init(th_screen_t *s, const char *csv, const screen_policy_t *policy);
void th_screen_clear(th_screen_t *s);
/* Screens p into v (hits valid until the next call or clear). */
void th_screen(th_screen_t *s, const proto_parcel_t *p, proto_verdict_t *v);

/* Loads 'csv' as file "wl.csv" and expects a refusal (at load or compile); copies the reason
 * into err. Returns 0 when refused, -1 when it loaded. */
int th_refused(const char *csv, char *err);

/* A parcel with one item (description 'desc'); other fields empty. */
void th_parcel(proto_parcel_t *p, proto_item_t *items, const char *id, const char *desc);

static inline core_str_t th_s(const char *s)
{
    return core_str_from(s);
}

/* The first hit of rule_id, or NULL. */
const proto_hit_t *th_hit(const proto_verdict_t *v, const char *rule_id);
/* Number of hits of rule_id. */
int th_hit_count(const proto_verdict_t *v, const char *rule_id);
/* The hit's field/matched as NUL-terminated copies in a static buffer (for asserts). */
const char *th_field(const proto_hit_t *h);
const char *th_matched(const proto_hit_t *h);

#endif
