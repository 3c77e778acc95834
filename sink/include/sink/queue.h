/* queue.h -- the officers' queue (SPEC section 3) over the sink database, and its CLI.
 *
 * An entry is created 'new' by the sink when a verdict has a hit (or a random selection),
 * 'claimed' by one officer with a lease, and 'resolved' by that officer with an outcome and a
 * note. Every transition is a row of queue_events (who, when, from, to, outcome, note); rows
 * are never changed or deleted.
 *
 * Leases. A claim whose lease has run out reads as 'new': it is listed as new and another
 * officer may claim it (the transition records who held it before). The holder of an expired
 * claim may still renew or resolve it as long as nobody else has claimed it since: claimed_by
 * names the last claimant, so "nobody else claimed" is exactly "claimed_by is still me".
 * Resolving needs a claim: a 'new' entry is claimed first.
 *
 * Times are wall-clock nanoseconds passed in by the caller (now_ns), so tests control the
 * clock; the CLI passes core_wall_ns(). Claims and resolutions run in BEGIN IMMEDIATE
 * transactions, so two officers racing for one entry cannot both win.
 *
 * Not thread-safe: one sink_queue_t per thread. Any number of processes may use the same file. */
#ifndef SINK_QUEUE_H
#define SINK_QUEUE_H

#include "core/buf.h"
#include "core/core.h"

typedef struct sink_queue sink_queue_t;

typedef enum {
    SINK_QUEUE_NEW = 0,      /* waiting for an officer (also: a claim whose lease ran out) */
    SINK_QUEUE_CLAIMED = 1,  /* an officer holds a live lease */
    SINK_QUEUE_RESOLVED = 2, /* done, with an outcome */
    SINK_QUEUE_ALL = 3,      /* list filter only: every state */
} sink_queue_state_t;

/* "new", "claimed", "resolved", "all". */
const char *sink_queue_state_name(sink_queue_state_t state);
/* Parses the names above. Returns 0 or -EINVAL. */
int sink_queue_state_parse(const char *text, sink_queue_state_t *out);
/* True for released, inspected_clear, seized, referred, false_positive. */
bool sink_queue_outcome_valid(const char *outcome);

/* One entry as the callbacks see it. Strings are borrowed for the duration of the callback;
 * absent ones are "". */
typedef struct {
    const char *parcel_id;    /* the parcel */
    uint32_t risk_score;      /* 0..100 */
    const char *channel;      /* green, yellow, red (from the verdict) */
    int64_t arrival;          /* sink insertion order; ties in risk go to the earlier */
    sink_queue_state_t state; /* effective state at now_ns: an expired claim reads NEW */
    bool lease_expired;       /* stored as claimed but the lease ran out */
    const char *claimed_by;   /* last claimant, "" if never claimed */
    int64_t lease_until_ns;   /* end of the lease, 0 when none */
    const char *outcome;      /* set once resolved */
    const char *note;         /* the resolution note */
    int64_t updated_at_ns;    /* last transition */
} sink_queue_entry_t;

/* One transition. Strings borrowed for the callback; from_state is "" for the creation. */
typedef struct {
    int64_t id;             /* order of the log */
    int64_t at_ns;          /* when */
    const char *who;        /* "sink" or the officer */
    const char *from_state; /* stored state before ("" when created) */
    const char *to_state;   /* new, claimed, resolved */
    const char *outcome;    /* on resolution */
    const char *note;       /* free text: resolution note, lease take-over, random selection */
} sink_queue_event_t;

/* Callbacks return 0 to go on; anything else stops the walk and is returned. */
typedef int (*sink_queue_entry_fn)(const sink_queue_entry_t *entry, void *arg);
typedef int (*sink_queue_event_fn)(const sink_queue_event_t *event, void *arg);

/* Opens an existing sink database read-write (it never creates one: a mistyped path is an
 * error, not an empty queue). Returns NULL with a reason in err. */
sink_queue_t *sink_queue_open(const char *db_path, int busy_timeout_ms, char *err);

/* Closes and sets *self_p to NULL; no-op when *self_p is NULL. */
void sink_queue_destroy(sink_queue_t **self_p);

/* Calls fn for up to 'limit' entries (0 = no limit) in effective state 'state' (or ALL),
 * highest risk_score first, then earliest arrival. Returns 0, fn's non-zero value, or a
 * negative errno with a reason in err. */
int sink_queue_list(sink_queue_t *self, sink_queue_state_t state, uint32_t limit, int64_t now_ns,
                    sink_queue_entry_fn fn, void *arg, char *err);

/* Calls fn once for the entry of parcel_id. Returns 0, -ENOENT (not in the queue) or another
 * negative errno, with a reason in err. */
int sink_queue_get(sink_queue_t *self, const char *parcel_id, int64_t now_ns,
                   sink_queue_entry_fn fn, void *arg, char *err);

/* Calls fn for every transition of parcel_id, oldest first. Returns 0 (also when there are
 * none), fn's value, or a negative errno. */
int sink_queue_history(sink_queue_t *self, const char *parcel_id, sink_queue_event_fn fn, void *arg,
                       char *err);

/* Appends the stored verdict of parcel_id as SPEC section 3 JSON (no newline) to out.
 * Returns 0, -ENOENT or another negative errno with a reason in err. */
int sink_queue_verdict_json(sink_queue_t *self, const char *parcel_id, core_buf_t *out, char *err);

/* Claims parcel_id (or, when parcel_id is NULL, the first entry that 'list NEW' would show)
 * for 'officer' until now_ns + lease_ns, and records the transition. Renewing one's own claim
 * is allowed. On success appends the claimed parcel_id to 'claimed' (may be NULL) and returns
 * 0. Errors, with a reason in err:
 *   -EINVAL   officer empty, too long, or not printable UTF-8; lease_ns < 0
 *   -ENOENT   parcel not in the queue / no claimable entry left
 *   -EBUSY    claimed by another officer whose lease is live
 *   -EALREADY resolved
 *   other negative errno: database errors. */
int sink_queue_claim(sink_queue_t *self, const char *parcel_id, const char *officer,
                     int64_t lease_ns, int64_t now_ns, core_buf_t *claimed, char *err);

/* Resolves parcel_id with 'outcome' and an optional note (NULL = none). Only the officer who
 * holds the claim may do so (see Leases above). Errors, with a reason in err:
 *   -EINVAL   bad outcome, officer or note (over 4096 bytes or not UTF-8)
 *   -ENOENT   parcel not in the queue
 *   -EPERM    not claimed, or claimed by someone else
 *   -EALREADY already resolved
 *   other negative errno: database errors.
 * Outcome false_positive also allow-lists the verdict's name hits (see below). */
int sink_queue_resolve(sink_queue_t *self, const char *parcel_id, const char *officer,
                       const char *outcome, const char *note, int64_t now_ns, char *err);

/* How many allow-list entries the last sink_queue_resolve added (sink/allowlist.h): with
 * outcome false_positive, one per distinct (rule_id, matched) name hit of the parcel's verdict
 * that was not allow-listed yet, in the resolution's transaction; 0 when it failed or had
 * another outcome. */
uint32_t sink_queue_allowlist_added(const sink_queue_t *self);

/* `parcelscreen queue list|show|claim|resolve --db PATH ...`; argv[0] is "queue", argv[1] the
 * subcommand. Prints results on stdout, errors as one line "parcelscreen: queue: <why>" on
 * stderr. Returns 0, 1 (runtime failure, refused transition) or 2 (usage). */
int sink_queue_main(int argc, char **argv);

#endif
