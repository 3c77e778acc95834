/* import_internal.h -- shared parts of the watchlist importers (screen__import_ prefix).
 *
 *   import.c        options, dispatch, counts
 *   import_csv.c    RFC 4180 reader, the SPEC rule writer, text helpers
 *   import_ofac.c   OFAC SDN legacy CSV (sdn.csv + alt.csv)
 *   import_goods.c  the goods lists (opioids, precursors, keyword seeds, UPU, CITES, HS, ICS2)
 *   import_text.c   whole-file reads, Latin-1/Windows-1252 to UTF-8, in-memory CSV, splitters
 *   import_entity.c the name-rule writer shared by the sanctions lists below (ids, dedupe, counts)
 *   import_un.c     UN Security Council consolidated XML (libxml2)
 *   import_uk.c     UK HMT/OFSI consolidated list CSV (Windows-1252)
 *   import_csl.c    US Consolidated Screening List CSV (trade.gov)
 *   import_eu.c     EU Financial Sanctions Files CSV, legacy 1.0 layout (Latin-1, ';')
 *   import_os.c     OpenSanctions targets.simple.csv */
#ifndef SCREEN_IMPORT_INTERNAL_H
#define SCREEN_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/core.h"
#include "screen/normalize.h"

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

/* ============ Text input (import_text.c) ============ */

typedef enum {
    SCREEN__IMPORT_LATIN1, /* ISO-8859-1: every byte is the code point of the same value */
    SCREEN__IMPORT_CP1252, /* Windows-1252: Latin-1 except 0x80-0x9F (curly quotes, dashes) */
} screen__import_charset_t;

/* Appends [in, in + len) converted to UTF-8 to out. Bytes 0x80-0x9F that Windows-1252 leaves
 * undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become spaces, as do Latin-1's C1 controls. */
void screen__import_to_utf8(const char *in, size_t len, screen__import_charset_t charset,
                            core_buf_t *out);

/* Makes 'csv' read the bytes of 'data' (taken over: *data is left empty) with the rules of
 * screen__import_csv_open (byte order mark and final 0x1A dropped). */
void screen__import_csv_from_buf(screen__import_csv_t *csv, core_buf_t *data);

/* Splits the NUL-terminated 'line' in place on 'sep', honouring "..." quoting with ""
 * escapes. Stores up to 'max' field starts in fields; returns the number of fields found
 * (may exceed max: the excess is not stored), or -EINVAL for an unterminated quote. */
int screen__import_split(char *line, char sep, char **fields, size_t max);

/* ============ Name rules of one entity at a time (import_entity.c) ============ */

typedef struct {
    char **keys; /* folded names written for the current entity */
    size_t count, cap;
} screen__import_seen_t;

/* How a name of an entity is weighted: primary and strong aliases get the list's weight,
 * a former name weight - 10, a weak (low-quality) alias weight - 30. */
typedef enum {
    SCREEN__IMPORT_PRIMARY, /* the entity's name */
    SCREEN__IMPORT_STRONG,  /* a good-quality alias (a.k.a.) */
    SCREEN__IMPORT_FORMER,  /* a former name (f.k.a.) */
    SCREEN__IMPORT_WEAK,    /* a low-quality alias */
} screen__import_strength_t;

typedef struct {
    screen__import_out_t *out; /* borrowed */
    const char *list;          /* list column */
    const char *scope;         /* name scope */
    int weight;                /* weight of primary names and strong aliases */
    char prefix[64];           /* id prefix: the list upper-cased (UN, UK-HMT) */
    /* the current entity */
    char entity[96];            /* source entity id, id-safe */
    char note[256];             /* note prefix: source id, programme, type */
    bool person;                /* single-word names of a person are weak */
    bool primary_written;       /* the id <PREFIX>-<entity> is taken */
    size_t alias_n;             /* last -A<n> used */
    bool any;                   /* a rule was written for this entity */
    screen__import_seen_t seen; /* names of this entity */
    screen_norm_t norm;         /* reused NAME normalisation buffer */
    /* counts over the whole import */
    size_t entities;   /* entities with at least one rule */
    size_t empty;      /* entities without any usable name */
    size_t primary;    /* primary-name rules */
    size_t aliases;    /* alias rules */
    size_t weak;       /* rules written with a weak or former weight */
    size_t duplicates; /* names equal to an earlier one of the entity once folded */
    size_t unspecific; /* under 3 characters or only titles/legal forms once normalised */
    size_t refused;    /* refused by the writer (too long, not UTF-8) */
} screen__import_entities_t;

/* Sets up the writer; 'list' and 'scope' are borrowed. */
void screen__import_entities_init(screen__import_entities_t *self, screen__import_out_t *out,
                                  const char *list, const char *scope, int weight);
/* Starts an entity: 'entity' is the source id (characters outside [A-Za-z0-9._] become '-'),
 * 'note' the text every rule of it carries (source reference, programme, type). */
void screen__import_entities_begin(screen__import_entities_t *self, const char *entity,
                                   const char *note, bool person);
/* Writes one name of the current entity. The first PRIMARY name gets <PREFIX>-<entity>, every
 * other name <PREFIX>-<entity>-A<n>. A name equal to an earlier one of the entity (case,
 * diacritics, punctuation folded) or without a specific token is left out and counted.
 * 'what' ends the note ("primary name", "a.k.a. (good quality)"). Returns true when written. */
bool screen__import_entities_name(screen__import_entities_t *self, const char *name,
                                  screen__import_strength_t strength, const char *what);
/* Ends the current entity (counts it). */
void screen__import_entities_end(screen__import_entities_t *self);
/* "N entities, N names (primary N, aliases N, weak N); N duplicate names dropped, ..." */
void screen__import_entities_summary(const screen__import_entities_t *self, char *buf, size_t size);
void screen__import_entities_clear(screen__import_entities_t *self);

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

/* The sanctions-list importers (un-xml, uk-hmt, us-csl, eu-fsf, opensanctions) use
 * opts->input, list, scope and weight. */
int screen__import_un(const screen__import_opts_t *opts, screen__import_out_t *out, char *err);
int screen__import_uk(const screen__import_opts_t *opts, screen__import_out_t *out, char *err);
int screen__import_csl(const screen__import_opts_t *opts, screen__import_out_t *out, char *err);
int screen__import_eu(const screen__import_opts_t *opts, screen__import_out_t *out, char *err);
int screen__import_os(const screen__import_opts_t *opts, screen__import_out_t *out, char *err);

/* Each importer writes rules to 'out' and prints its counts to stderr. Returns 0, or -errno
 * with a reason in err. */
int screen__import_ofac(const screen__import_opts_t *opts, screen__import_out_t *out, char *err);
int screen__import_goods(const screen__import_opts_t *opts, screen__import_out_t *out, char *err);

#endif
