/* reader.h -- turns manifest bytes (NDJSON, CSV, MessagePack) into parcels and rejects.
 *
 * One reader per input. Bytes go in through reserve/commit (or feed, or read_fd) as they
 * arrive; ingest_reader_next() hands out one record at a time: a parcel, or a reject with a
 * one-line reason "source:line: why" ("source@offset: why" for MessagePack). A reader never
 * blocks and never reads by itself, so the stage can poll its input together with its sockets,
 * and the tests can drive it from memory.
 *
 * A parcel's string views point into the reader's buffers; they stay valid until the next call
 * on the reader (next, reserve, commit, feed, read_fd, restart, destroy). Encode or copy the
 * parcel before that. In steady state a reader does not allocate: buffers grow to the largest
 * record seen and are reused.
 *
 * Duplicate parcel_ids are found through an ingest_idset_t that the stage shares between the
 * readers of one run (a reader without one makes its own). Not thread-safe: one owner. */
#ifndef INGEST_READER_H
#define INGEST_READER_H

#include <sys/types.h>

#include "core/core.h"
#include "proto/parcel.h"

typedef enum {
    INGEST_FORMAT_AUTO = 0, /* by file extension */
    INGEST_FORMAT_NDJSON,   /* one JSON object per line (.ndjson, .jsonl, .json) */
    INGEST_FORMAT_CSV,      /* RFC 4180 with a header row, one row per item line (.csv) */
    INGEST_FORMAT_MSGPACK,  /* a stream of maps with the NDJSON keys (.msgpack, .mpk) */
} ingest_format_t;

/* Parses "auto|ndjson|csv|msgpack". Returns 0 or -EINVAL. */
int ingest_format_parse(const char *text, ingest_format_t *out);
/* The format a path's extension names, or INGEST_FORMAT_AUTO when it names none. */
ingest_format_t ingest_format_from_path(const char *path);
/* "ndjson", "csv", "msgpack" or "auto". */
const char *ingest_format_name(ingest_format_t format);

/* ============ Set of parcel_ids seen in a run ============ */

typedef struct ingest_idset ingest_idset_t;

ingest_idset_t *ingest_idset_new(void);
/* Frees the set and sets *self_p to NULL; no-op when *self_p is NULL. */
void ingest_idset_destroy(ingest_idset_t **self_p);
/* Number of parcel_ids accepted so far. */
size_t ingest_idset_size(const ingest_idset_t *self);
/* Bounds the set for endless streams: with window > 0 it remembers at least the last
 * window / 2 and at most the last window distinct ids (two generations, see idset.c), so its
 * memory stops growing; 0 (the default) remembers every id. Call before the first read. */
void ingest_idset_set_window(ingest_idset_t *self, size_t window);

/* ============ Reader ============ */

typedef struct ingest_reader ingest_reader_t;

/* What ingest_reader_next() produced. */
typedef enum {
    INGEST_READ_END = 0,    /* input complete (or stopped after unrecoverable garbage) */
    INGEST_READ_PARCEL = 1, /* *parcel holds a valid parcel */
    INGEST_READ_REJECT = 2, /* a record was rejected: ingest_reader_reason() says why */
} ingest_read_t;

/* Creates a reader for 'format' (not AUTO). 'source' names the input in reject lines (copied,
 * at most 200 bytes kept). 'ids' (borrowed, may be NULL) is the run's set of parcel_ids; it
 * must outlive the reader. Never NULL. */
ingest_reader_t *ingest_reader_new(ingest_format_t format, const char *source, ingest_idset_t *ids);

/* Frees the reader and sets *self_p to NULL; no-op when *self_p is NULL. */
void ingest_reader_destroy(ingest_reader_t **self_p);

/* Starts a new input with the same format and id set: drops buffered bytes and state, keeps
 * the buffers. Used for each ZeroMQ frame. 'source' as in new(). */
void ingest_reader_restart(ingest_reader_t *self, const char *source);

/* Returns where the next input bytes go and sets *avail to the room there (at least 64 KiB).
 * Moves buffered bytes, so it ends the life of the last parcel's views. */
char *ingest_reader_reserve(ingest_reader_t *self, size_t *avail);
/* Declares that 'len' bytes (at most *avail) were written at the reserved place. */
void ingest_reader_commit(ingest_reader_t *self, size_t len);
/* Copies 'len' bytes in (reserve + memcpy + commit). */
void ingest_reader_feed(ingest_reader_t *self, const void *data, size_t len);
/* Feeds the next part of an input held in memory: copies data[*off..len) in, as much as the
 * buffer offers without growing, advances *off, and calls finish once all of it is in. */
void ingest_reader_feed_next(ingest_reader_t *self, const char *data, size_t len, size_t *off);
/* Declares the end of input: the last record may lack its terminator. */
void ingest_reader_finish(ingest_reader_t *self);
/* One read(2) from fd into the buffer. Returns the bytes read (> 0), 0 at end of file (and
 * calls finish), or -errno (-EAGAIN, -EINTR: try again later). */
ssize_t ingest_reader_read_fd(ingest_reader_t *self, int fd);

/* Parses the next record. Returns INGEST_READ_PARCEL (parcel filled, views valid as said
 * above), INGEST_READ_REJECT, INGEST_READ_END, or -EAGAIN when more input is needed. A
 * rejected record never stops the input, except MessagePack that cannot be resynchronised
 * (malformed bytes, a truncated or oversized value): one reject, then END. */
int ingest_reader_next(ingest_reader_t *self, proto_parcel_t *parcel);

/* The reject line of the last INGEST_READ_REJECT, "source:line: why" without a newline. */
const char *ingest_reader_reason(const ingest_reader_t *self);

/* Records handed out since new() or the last restart() (parcels + rejects), and rejects. */
uint64_t ingest_reader_records(const ingest_reader_t *self);
uint64_t ingest_reader_rejects(const ingest_reader_t *self);

/* Stream offset just past the last record handed out (for CSV: the first byte of the rows
 * still held for the next parcel). Non-decreasing from record to record. */
uint64_t ingest_reader_offset(const ingest_reader_t *self);

#endif
