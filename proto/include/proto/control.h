/* control.h -- small messages: END (end of stream), ACK, STATS, CONTROL; and message typing.
 *
 * Every message is one ZeroMQ frame holding one MessagePack array whose first two elements are
 * [PROTO_VERSION, type]. proto_msg_type() reads just those. */
#ifndef PROTO_CONTROL_H
#define PROTO_CONTROL_H

#include "core/buf.h"
#include "core/core.h"
#include "proto/limits.h"

typedef enum {
    PROTO_MSG_PARCEL_BATCH = 1,  /* ingest -> screen */
    PROTO_MSG_VERDICT_BATCH = 2, /* screen -> sink */
    PROTO_MSG_END = 3,           /* ingest -> screen -> sink: no more batches in this run */
    PROTO_MSG_ACK = 4,           /* sink -> ingest: a batch's verdicts are durable */
    PROTO_MSG_STATS = 5,         /* any stage -> controller: counters */
    PROTO_MSG_CONTROL = 6,       /* controller -> stage: a command */
} proto_msg_type_t;

/* Reads the version and type of a message. Returns 0, or -EPROTO (not ours, or another
 * version) with a reason in err. */
int proto_msg_type(const void *data, size_t len, proto_msg_type_t *type, char *err);

/* END: sent by ingest after its last batch; screen forwards it once every earlier batch has
 * been sent on, so when sink sees END it has seen every verdict of the run. */
typedef struct {
    uint64_t records_read;     /* records ingest read */
    uint64_t records_rejected; /* records ingest rejected */
    uint64_t parcels_sent;     /* parcels ingest sent in batches */
    uint64_t batches_sent;     /* batches ingest sent */
} proto_end_t;

void proto_end_encode(const proto_end_t *end, core_buf_t *buf);
int proto_end_decode(const void *data, size_t len, proto_end_t *out, char *err);

/* ACK: sink tells ingest that batch 'seq' (with 'parcels' verdicts) is durable. */
typedef struct {
    uint64_t seq;     /* PARCEL_BATCH seq */
    uint32_t parcels; /* verdicts made durable */
} proto_ack_t;

void proto_ack_encode(const proto_ack_t *ack, core_buf_t *buf);
int proto_ack_decode(const void *data, size_t len, proto_ack_t *out, char *err);

/* STATS: a stage's counters, periodically and once more with final = true when it has seen
 * END and finished all work of the run. */
typedef struct {
    char name[PROTO_MAX_NAME]; /* counter name, NUL-terminated */
    uint64_t value;            /* counter value */
} proto_counter_t;

typedef struct {
    char stage[PROTO_MAX_NAME];                  /* "ingest", "screen", "sink" */
    uint32_t pid;                                /* sender's pid */
    bool final;                                  /* the run is complete for this stage */
    uint32_t count;                              /* counters used */
    proto_counter_t counters[PROTO_MAX_COUNTERS]; /* name/value pairs */
} proto_stats_t;

void proto_stats_init(proto_stats_t *stats, const char *stage, bool final);
/* Adds or replaces a counter; names longer than PROTO_MAX_NAME-1 are truncated. Asserts when
 * the table is full (a programmer error). */
void proto_stats_set(proto_stats_t *stats, const char *name, uint64_t value);
/* Returns 0 and sets *value, or -ENOENT. */
int proto_stats_get(const proto_stats_t *stats, const char *name, uint64_t *value);
void proto_stats_encode(const proto_stats_t *stats, core_buf_t *buf);
int proto_stats_decode(const void *data, size_t len, proto_stats_t *out, char *err);

/* CONTROL: a command word ("reload", "stop") and an optional argument. */
typedef struct {
    char command[PROTO_MAX_NAME]; /* NUL-terminated */
    char arg[256];                /* NUL-terminated, may be empty */
} proto_control_t;

void proto_control_encode(const proto_control_t *control, core_buf_t *buf);
int proto_control_decode(const void *data, size_t len, proto_control_t *out, char *err);

#endif
