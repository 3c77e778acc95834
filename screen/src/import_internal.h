/* import_internal.h -- shared parts of the watchlist importers (screen__import_ prefix).
 *
 *   import.c        options, dispatch, counts
 *   import_csv.c    RFC 4180 reader, the SPEC rule writer, text helpers
 *   import_ofac.c   OFAC SDN legacy CSV (sdn.csv + alt.csv)
 *   import_goods.c  the goods lists (opioids, precursors, keyword seeds, UPU, CITES, HS, ICS2) */
#ifndef SCREEN_IMPORT_INTERNAL_H
#define SCREEN_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/core.h"

/* ============ CSV reader (whole file in memory) ============ */

typedef struct {
    core_buf_t data;  /* the file */
    const char *p;    /* next unread byte */
    const char *end;  /* end of data (a trailing 0x1A EOF byte excluded) */
    long line;        /* line where the current record starts */
    core_buf_t store; /* fields of the current record, NUL-terminated one after another */
    size_t *offsets;  /* field starts in store */
    size_t count;     /* fields in the current record */
    size_t cap;       /* offsets allocated */
} screen__import_csv_t;

/* Reads 'path' (a UTF-8 byte order mark and a final 0x1A are dropped). Returns 0 or -errno
 * with "path: reason" in err. */
int screen__import_csv_open(screen__import_csv_t *csv, const char *path, char *err);
/* Next record: 1, 0 at the end, -EINVAL with "line N: reason" in err. */
int screen__import_csv_next(screen__import_csv_t *csv, char *err);
/* Field i of the current record, "" past the end. */
const char *screen__import_csv_get(const screen__import_csv_t *csv, size_t i);
/* Column index of 'name' in the current record (the header), or -1. */
int screen__import_csv_column(const screen__import_csv_t *csv, const char *name);
void screen__import_csv_close(screen__import_csv_t *csv);

/* ============ SPEC watchlist writer ============ */

typedef struct {
    const char *id;      /* unique in the output */
    const char *list;    /* list name */
    const char *kind;    /* name, keyword, regex, hscode, country, identifier */
    const char *scope;   /* SPEC scope */
    const char *pattern; /* cleaned by the writer */
    int weight;          /* clamped to 1..100 */
    const char *note;    /* free text */
} screen__import_rule_t;

typedef struct screen__import_out screen__import_out_t;

/* Opens path.tmp for writing (or stdout for "-") and writes the header. NULL on error. */
screen__import_out_t *screen__import_out_new(const char *path, char *err);
/* Cleans the pattern (control characters to spaces, whitespace collapsed and trimmed) and
 * writes one row. Returns 0, -EINVAL when the pattern is empty, too long or not UTF-8
 * (counted as refused), or -EEXIST for a duplicate id (counted). */
int screen__import_out_add(screen__import_out_t *self, const screen__import_rule_t *rule);
/* Flushes, closes and renames path.tmp to path. Returns 0 or -errno with a reason in err. */
int screen__import_out_commit(screen__import_out_t *self, char *err);
/* Frees; removes path.tmp when it was not committed. */
void screen__import_out_destroy(screen__import_out_t **self_p);
/* Rules written, refused patterns, duplicate ids. */
size_t screen__import_out_written(const screen__import_out_t *self);
size_t screen__import_out_refused(const screen__import_out_t *self);
size_t screen__import_out_duplicates(const screen__import_out_t *self);

/* ============ Text helpers ============ */

/* Folded comparison key: diacritics stripped, case folded, letters and digits only, single
 * spaces between words. Returns a string the caller frees. */
char *screen__import_key(const char *text);
/* Trims spaces in place; returns s. */
char *screen__import_trim(char *s);
/* True for OFAC's null "-0-" (with or without spaces) and for "". */
bool screen__import_is_null(const char *s);

/* A set of 64-bit hashes (open addressing). A zeroed set is empty. */
typedef struct {
    uint64_t *slots; /* capacity entries, 0 = empty */
    size_t capacity; /* power of two */
    size_t count;    /* entries */
} screen__import_set_t;

/* Adds h; returns true when it was new. */
bool screen__import_set_add(screen__import_set_t *set, uint64_t h);
void screen__import_set_clear(screen__import_set_t *set);

/* ============ Importers ============ */

typedef struct {
    const char *input;     /* ofac-sdn: sdn.csv */
    const char *alt;       /* ofac-sdn: alt.csv or NULL */
    const char *input_dir; /* goods: directory */
    const char *list;      /* ofac-sdn: list name */
    const char *scope;     /* ofac-sdn: scope of the name rules */
    int weight;            /* ofac-sdn: weight of strong names */
    const char *types;     /* ofac-sdn: SDN types to import */
    bool cites_synonyms;   /* goods: also CITES synonyms */
} screen__import_opts_t;

/* Each importer writes rules to 'out' and prints its counts to stderr. Returns 0, or -errno
 * with a reason in err. */
int screen__import_ofac(const screen__import_opts_t *opts, screen__import_out_t *out, char *err);
int screen__import_goods(const screen__import_opts_t *opts, screen__import_out_t *out, char *err);

#endif
