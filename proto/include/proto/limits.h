/* limits.h -- hard limits on everything that crosses a process boundary.
 *
 * Manifest limits are SPEC section 1; wire limits bound what a decoder will accept from a peer
 * before it allocates anything. */
#ifndef PROTO_LIMITS_H
#define PROTO_LIMITS_H

#define PROTO_VERSION 1                       /* wire version, first element of every message */
#define PROTO_MAX_RECORD_BYTES (64 * 1024)    /* one manifest record, any encoding */
#define PROTO_MAX_FIELD_BYTES 4096            /* one string field */
#define PROTO_MAX_ITEMS 100                   /* item lines per parcel */
#define PROTO_MAX_BATCH_PARCELS 4096          /* parcels (or verdicts) per batch message */
#define PROTO_MAX_HITS 256                    /* hits kept per verdict */
#define PROTO_MAX_FRAME_BYTES (64 * 1024 * 1024) /* one ZeroMQ frame between stages */
#define PROTO_MAX_COUNTERS 48                 /* counters in one STATS message */
#define PROTO_MAX_NAME 32                     /* counter and stage names, including NUL */
#define PROTO_MAX_DEPTH 16                    /* nesting accepted in external MessagePack/JSON */

#endif
