/* scanner.h -- screens parcels against a matcher: one scanner per thread.
 *
 * A scanner owns a clone of the matcher's Hyperscan scratch and every buffer a parcel needs
 * (normaliser output, offset maps, candidate list, per-rule dedupe stamps), so screening does
 * not allocate once the buffers have grown; only the verdict's hit array comes from the
 * caller's arena. Not thread-safe: one scanner, one thread. */
#ifndef SCREEN_SCANNER_H
#define SCREEN_SCANNER_H

#include "core/arena.h"
#include "core/core.h"
#include "core/str.h"
#include "proto/parcel.h"
#include "proto/verdict.h"
#include "screen/matcher.h"

/* A per-list override of the name similarity threshold. */
typedef struct {
    const char *list; /* list name as in the watchlist's 'list' column (borrowed) */
    double threshold; /* 0 < threshold <= 1 */
} screen_list_threshold_t;

/* Default similarity a spelling-tolerant name hit needs (exact hits are 1.0). */
#define SCREEN_NAME_THRESHOLD_DEFAULT 0.85

/* How a score becomes a channel, random selection, and name tolerance. */
typedef struct {
    uint32_t red;          /* channel red when risk_score >= red */
    uint32_t yellow;       /* channel yellow when risk_score >= yellow (and < red) */
    double random_rate;    /* 0..1: share of parcels selected at random */
    uint64_t random_seed;  /* selection is a pure function of (parcel_id, seed) */
    double name_threshold; /* similarity a non-exact name hit needs; 0 = the default (0.85);
                              above 1 = exact name matching only */
    const screen_list_threshold_t *list_thresholds; /* per-list overrides (copied by the
                                                       scanner), may be NULL */
    size_t list_threshold_count;                    /* entries in list_thresholds */
} screen_policy_t;

#define SCREEN_POLICY_DEFAULT ((screen_policy_t){.red = 70, .yellow = 40})

typedef struct {
    uint64_t parcels;      /* parcels screened */
    uint64_t hits;         /* hits reported (after the PROTO_MAX_HITS cap) */
    uint64_t hits_dropped; /* hits over PROTO_MAX_HITS, not reported (still scored) */
    uint64_t hits_suppressed; /* name hits on the allow-list: suppressed, not scored */
} screen_scanner_stats_t;

typedef struct screen_scanner screen_scanner_t;

/* A scanner for 'matcher', which must outlive it. policy NULL = SCREEN_POLICY_DEFAULT.
 * Returns NULL with a reason in err when Hyperscan cannot clone its scratch. */
screen_scanner_t *screen_scanner_new(const screen_matcher_t *matcher, const screen_policy_t *policy,
                                     char *err);

/* Frees the scanner and sets *self_p to NULL; no-op when *self_p is NULL. */
void screen_scanner_destroy(screen_scanner_t **self_p);

/* The wall-clock time written into verdicts (screened_at_ns); 0 (the default) reads the
 * clock for every parcel. Workers set it once per batch. */
void screen_scanner_set_now(screen_scanner_t *self, int64_t wall_ns);

/* Screens one parcel into *out: hits (sorted by field order, then start, then rule id; at most
 * PROTO_MAX_HITS), risk_score over all hits that are not suppressed (allow-listed name hits,
 * screen/allowlist.h), channel, random selection. out->hits is allocated
 * in 'arena'. The verdict's views point into the parcel (parcel_id, matched), the matcher
 * (rule_id, list, kind) and the scanner (field paths): keep all three alive while 'out' is
 * used. Returns 0, or -EIO when Hyperscan fails (not expected; the verdict is then green with
 * no hits). */
int screen_scanner_screen(screen_scanner_t *self, const proto_parcel_t *parcel,
                          proto_verdict_t *out, core_arena_t *arena);

/* Parses "LIST=X" texts (0 < X <= 1) into *out (one allocation holding the array and the
 * names; free() it), *count entries. Returns 0, or -EINVAL with a reason in err. */
int screen_list_thresholds_parse(const char *const *texts, size_t n, screen_list_threshold_t **out,
                                 size_t *count, char *err);

/* Counters since the scanner was made. */
screen_scanner_stats_t screen_scanner_stats(const screen_scanner_t *self);

/* The random-selection decision: core_hash64(parcel_id, seed) mapped to [0, 1) < rate. Pure,
 * so every encoding of a manifest selects the same parcels. */
bool screen_selected_at_random(core_str_t parcel_id, double rate, uint64_t seed);

/* The channel for a score. */
proto_channel_t screen_channel(const screen_policy_t *policy, uint32_t risk_score);

#endif
