/* verdict.h -- verdicts and hits (SPEC section 3) and the VERDICT_BATCH message.
 *
 * Views follow the same ownership rules as parcel.h: decoded views point into the message. */
#ifndef PROTO_VERDICT_H
#define PROTO_VERDICT_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/core.h"
#include "core/str.h"
#include "proto/limits.h"

typedef enum {
    PROTO_CHANNEL_GREEN = 0,
    PROTO_CHANNEL_YELLOW = 1,
    PROTO_CHANNEL_RED = 2,
} proto_channel_t;

/* "green", "yellow", "red". */
const char *proto_channel_name(proto_channel_t channel);
/* Returns 0 and sets *out, or -EINVAL. */
int proto_channel_parse(const char *text, size_t len, proto_channel_t *out);

typedef struct {
    core_str_t rule_id;  /* watchlist rule id */
    core_str_t list;     /* watchlist list name */
    core_str_t kind;     /* name, keyword, regex, hscode, country, identifier */
    core_str_t field;    /* field path: "sender.name", "items[1].description" */
    core_str_t matched;  /* the matched text as it appears in the field */
    uint32_t start;      /* byte offset of the match in the field */
    uint32_t end;        /* byte offset one past the match */
    double similarity;   /* 0..1 */
    uint32_t weight;     /* 1..100 */
    bool suppressed;     /* allow-listed by an officer; recorded, not scored */
} proto_hit_t;

typedef struct {
    core_str_t parcel_id;    /* the parcel */
    uint32_t risk_score;     /* 0..100 */
    proto_channel_t channel; /* from risk_score and the thresholds */
    int64_t screened_at_ns;  /* wall clock */
    bool selected_at_random; /* random selection for the officers' queue */
    uint32_t hit_count;      /* 0..PROTO_MAX_HITS */
    proto_hit_t *hits;       /* hit_count entries */
} proto_verdict_t;

typedef struct {
    uint64_t seq;                 /* the PARCEL_BATCH seq this answers */
    int64_t ingest_ns;            /* copied from the PARCEL_BATCH */
    core_str_t watchlist_version; /* names exactly the lists that screened the batch */
    core_str_t watchlist_lists;   /* human-readable: "file (rules, hash); ..." */
    uint32_t count;               /* verdicts */
    proto_verdict_t *verdicts;    /* in the arena given to the decoder */
} proto_verdict_batch_t;

/* Same pattern as the parcel batch builder. */
void proto_verdict_batch_begin(core_buf_t *buf, uint64_t seq, int64_t ingest_ns,
                               core_str_t watchlist_version, core_str_t watchlist_lists);
void proto_verdict_batch_add(core_buf_t *buf, const proto_verdict_t *verdict);
void proto_verdict_batch_finish(core_buf_t *buf, uint32_t count);

/* Returns 0, or -EPROTO with a reason in err. */
int proto_verdict_batch_decode(const void *data, size_t len, proto_verdict_batch_t *out,
                               core_arena_t *arena, char *err);

/* Appends the verdict as one JSON object in the SPEC section 3 shape (no newline), with
 * watchlist_version given separately because a batch shares it. */
void proto_verdict_to_json(const proto_verdict_t *verdict, core_str_t watchlist_version,
                           core_buf_t *out);

/* risk_score = round(100 * (1 - prod(1 - w_i * s_i / 100))) over distinct rule ids of the
 * hits that are not suppressed. */
uint32_t proto_risk_score(const proto_hit_t *hits, uint32_t count);

#endif
