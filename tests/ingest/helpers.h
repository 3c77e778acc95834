/* helpers.h -- shared test helpers for test_ingest: run a reader over bytes and keep deep
 * copies of what it produced; temp dirs; a tiny MessagePack writer for test inputs. */
#ifndef TEST_INGEST_HELPERS_H
#define TEST_INGEST_HELPERS_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "ingest/reader.h"
#include "proto/parcel.h"

/* What a reader produced, in order. */
typedef struct {
    core_arena_t arena;      /* copies of every string and item array */
    proto_parcel_t *parcels; /* deep copies */
    size_t n_parcels;        /* parcels */
    char **rejects;          /* reject lines */
    size_t n_rejects;        /* rejects */
    char *order;             /* 'P' or 'R' per record, NUL-terminated */
    size_t n_records;        /* parcels + rejects */
    size_t cap;              /* capacity of the arrays */
    bool stopped_early;      /* the reader ended before all bytes were fed */
} th_result_t;

/* Feeds [data, data+len) to a new reader of 'format' 'chunk' bytes at a time (0 = all at
 * once) and collects every record. 'ids' may be NULL. */
void th_read(th_result_t *res, ingest_format_t format, const void *data, size_t len, size_t chunk,
             ingest_idset_t *ids);
/* Same for a C string. */
void th_read_str(th_result_t *res, ingest_format_t format, const char *text, size_t chunk);
/* Reads a file through ingest_reader_read_fd. */
void th_read_file(th_result_t *res, ingest_format_t format, const char *path, ingest_idset_t *ids);
void th_result_clear(th_result_t *res);

/* The parcel with this id, or NULL. */
const proto_parcel_t *th_find(const th_result_t *res, const char *parcel_id);
/* Index of the first reject line containing 'needle', or -1. */
int th_reject_index(const th_result_t *res, const char *needle);

/* True when the view holds exactly 's'. */
bool th_eq(core_str_t v, const char *s);

/* Reads a whole file into *out (malloc'd, NUL-terminated); returns its length. */
size_t th_slurp(const char *path, char **out);
/* A fresh directory under /tmp (malloc'd path). */
char *th_tmpdir(void);
/* Writes a file dir/name with the bytes given; returns the malloc'd path. */
char *th_write(const char *dir, const char *name, const void *data, size_t len);
/* Removes the directory and the files in it (one level). */
void th_rmdir(const char *dir);

/* ============ A minimal MessagePack writer (inputs for tests) ============ */
void th_mp_map(core_buf_t *b, uint32_t pairs);
void th_mp_array(core_buf_t *b, uint32_t count);
void th_mp_str(core_buf_t *b, const char *s);
void th_mp_strn(core_buf_t *b, const char *s, size_t len);
void th_mp_bin(core_buf_t *b, const void *s, size_t len);
void th_mp_uint(core_buf_t *b, uint64_t v);
void th_mp_double(core_buf_t *b, double v);
void th_mp_nil(core_buf_t *b);
/* A complete parcel map: parcel_id, sender.name, and 'items' items with description and
 * hs_code "610910". */
void th_mp_parcel(core_buf_t *b, const char *parcel_id, const char *sender, uint32_t items);

#endif
