/* internal.h -- ingest's private declarations shared by its source files.
 *
 * The record model's field tables (fields.c) drive the JSON and MessagePack mappers, the CSV
 * column mapping and the validator, so a field is named in one place. The reader struct lives
 * here because each format's parser (json.c, csv.c, mpk.c) works on its buffer. */
#ifndef INGEST_INTERNAL_H
#define INGEST_INTERNAL_H

#include "core/buf.h"
#include "core/core.h"
#include "core/str.h"
#include "ingest/reader.h"
#include "proto/limits.h"
#include "proto/parcel.h"

#define INGEST__SOURCE_MAX 201                   /* bytes kept of a source name, including NUL */
#define INGEST__REASON_MAX 512                   /* a reject line */
#define INGEST__READ_CHUNK ((size_t)1024 * 1024) /* bytes asked of read(2) at once */
#define INGEST__MAX_RECORD ((size_t)PROTO_MAX_RECORD_BYTES) /* one record, as a size_t */

/* ============ Record model field tables (fields.c) ============ */

typedef enum {
    INGEST__F_STR,    /* core_str_t */
    INGEST__F_NUM,    /* double, NAN when absent */
    INGEST__F_U32,    /* uint32_t, 0 when absent */
    INGEST__F_PARTY,  /* proto_party_t, from a nested object */
    INGEST__F_SELLER, /* proto_seller_t, from a nested object or null (sets has_seller) */
    INGEST__F_ITEMS,  /* the items array */
} ingest__kind_t;

typedef struct {
    const char *name; /* key as in the manifest */
    uint8_t len;      /* strlen(name) */
    uint8_t kind;     /* ingest__kind_t */
    uint16_t offset;  /* offset of the value in its struct */
} ingest__field_t;

typedef struct {
    const ingest__field_t *fields; /* entries */
    uint32_t count;                /* entries, at most 64 (a bitmask tracks duplicates) */
} ingest__table_t;

extern const ingest__table_t ingest__parcel_table; /* proto_parcel_t keys */
extern const ingest__table_t ingest__party_table;  /* proto_party_t keys */
extern const ingest__table_t ingest__seller_table; /* proto_seller_t keys */
extern const ingest__table_t ingest__item_table;   /* proto_item_t keys */

/* Index of 'key' in 'table', or -1. */
static inline int ingest__table_find(const ingest__table_t *table, const char *key, size_t len)
{
    for (uint32_t i = 0; i < table->count; i++) {
        const ingest__field_t *f = &table->fields[i];
        if (f->len == len && key[0] == f->name[0] && memcmp(key, f->name, len) == 0)
            return (int)i;
    }
    return -1;
}

/* Sets every string empty, every number NAN, line_no 0. */
void ingest__item_init(proto_item_t *item);

/* Checks a mapped parcel against SPEC section 1: parcel_id and items[].description present,
 * 1..PROTO_MAX_ITEMS items, every string at most PROTO_MAX_FIELD_BYTES (and valid UTF-8
 * unless utf8_checked), numbers finite. Returns 0 or -EINVAL with a reason in err. */
int ingest__validate(const proto_parcel_t *parcel, bool utf8_checked, char *err);

/* True when [s, s+len) is valid UTF-8; ASCII runs are checked eight bytes at a time. */
bool ingest__utf8_valid(const char *s, size_t len);

/* Writes a printable, bounded rendering of a parcel_id for reject lines into out. */
void ingest__id_text(core_str_t id, char *out, size_t out_len);

/* ============ Set of parcel_ids (idset.c) ============ */

/* Looks 'id' up. Returns true when present, with the tag of the reader that added it and
 * whether that record was accepted. */
bool ingest__idset_find(const ingest_idset_t *self, core_str_t id, uint32_t *tag, bool *accepted);
/* Adds 'id' as accepted (or upgrades it). Returns 0, or -EEXIST when it was already
 * accepted (a duplicate). One lookup. */
int ingest__idset_accept(ingest_idset_t *self, core_str_t id, uint32_t tag);
/* Adds 'id' (copied) or, when present, marks it accepted if 'accepted'. */
void ingest__idset_put(ingest_idset_t *self, core_str_t id, uint32_t tag, bool accepted);
/* A tag for a new reader, unique within the set. */
uint32_t ingest__idset_new_tag(ingest_idset_t *self);

/* ============ JSON pull parser (json.c) ============ */

typedef enum {
    INGEST__JSON_ERROR = -1, /* syntax error; reason in err */
    INGEST__JSON_END = 0,    /* the document is complete, only whitespace followed */
    INGEST__JSON_OBJECT,     /* '{' */
    INGEST__JSON_OBJECT_END, /* '}' */
    INGEST__JSON_ARRAY,      /* '[' */
    INGEST__JSON_ARRAY_END,  /* ']' */
    INGEST__JSON_KEY,        /* an object key, decoded in str */
    INGEST__JSON_STRING,     /* a string value, decoded in str */
    INGEST__JSON_NUMBER,     /* a number, in num */
    INGEST__JSON_TRUE,       /* true */
    INGEST__JSON_FALSE,      /* false */
    INGEST__JSON_NULL,       /* null */
} ingest__json_tok_t;

typedef struct {
    const char *start;   /* document start (for column numbers) */
    const char *p;       /* next byte */
    const char *end;     /* document end */
    char *scratch;       /* decoded strings that had escapes */
    size_t scratch_used; /* bytes of scratch in use */
    size_t scratch_cap;  /* scratch size, at least the document length */
    uint32_t depth;      /* open containers */
    uint32_t objects;    /* bit d-1 set: container at depth d is an object */
    int state;           /* what the grammar expects next */
    core_str_t str;      /* KEY, STRING: view into the document or scratch */
    double num;          /* NUMBER */
    char *err;           /* CORE_ERR_LEN bytes for the reason */
} ingest__json_t;

/* Starts parsing [data, data+len). data[len] must be readable and must not continue a number
 * (the reader puts a NUL there). scratch_cap >= len. */
void ingest__json_init(ingest__json_t *self, const char *data, size_t len, char *scratch,
                       size_t scratch_cap, char *err);
/* The next token; INGEST__JSON_ERROR with a reason in err on any syntax error, including
 * nesting deeper than PROTO_MAX_DEPTH. */
ingest__json_tok_t ingest__json_next(ingest__json_t *self);
/* Skips the value that 'tok' (just returned by next) starts. Returns 0 or -1 (err set). */
int ingest__json_skip(ingest__json_t *self, ingest__json_tok_t tok);

/* Maps one NDJSON record (already checked to be valid UTF-8) to parcel; items go to 'items'
 * (PROTO_MAX_ITEMS entries). Returns 0 or -EINVAL with a reason in err. */
int ingest__json_parse(const char *data, size_t len, char *scratch, size_t scratch_cap,
                       proto_parcel_t *parcel, proto_item_t *items, char *err);

/* ============ MessagePack mapper (mpk.c) ============ */

/* Maps one complete MessagePack value [data, data+len), already checked structurally (depth,
 * bounds), to parcel. Returns 0, -EINVAL (a bad record: reason in err), or -EPROTO when the
 * value is not a map (garbage: the stream cannot be trusted any more). */
int ingest__mpk_parse(const void *data, size_t len, proto_parcel_t *parcel, proto_item_t *items,
                      char *err);

/* ============ Reader ============ */

typedef struct ingest__csv ingest__csv_t;

struct ingest_reader {
    ingest_format_t format;              /* never AUTO */
    char source[INGEST__SOURCE_MAX];     /* input name for reject lines */
    char reason[INGEST__REASON_MAX];     /* last reject line */
    char *buf;                           /* input bytes [0, len), cap > len (sentinel) */
    size_t len;                          /* bytes buffered */
    size_t cap;                          /* bytes allocated */
    size_t pos;                          /* next byte to parse */
    size_t scan;                         /* NDJSON: bytes before this hold no newline */
    uint64_t base;                       /* stream offset of buf[0] */
    uint64_t line;                       /* line number of buf[pos] */
    bool eof;                            /* finish() was called */
    bool stopped;                        /* unrecoverable garbage: END from now on */
    bool skipping;                       /* dropping an oversized line up to its newline */
    bool bom_checked;                    /* a UTF-8 BOM at the start was looked for */
    ingest_idset_t *ids;                 /* run's parcel_ids (borrowed or own_ids) */
    bool own_ids;                        /* ids was made by this reader */
    uint32_t tag;                        /* this reader's tag in ids */
    uint64_t records;                    /* records handed out */
    uint64_t rejects;                    /* rejects handed out */
    char *scratch;                       /* JSON unescape space, PROTO_MAX_RECORD_BYTES */
    proto_item_t items[PROTO_MAX_ITEMS]; /* the current parcel's items */
    ingest__csv_t *csv;                  /* CSV state, NULL for other formats */
};

/* Fills self->reason with "source:loc: why" (or "source@loc: why" for MessagePack), counts a
 * reject and returns INGEST_READ_REJECT. */
int ingest__reject(ingest_reader_t *self, uint64_t loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Rejects a record that failed to map, naming its parcel_id when it was read. */
int ingest__reject_record(ingest_reader_t *self, uint64_t loc, const proto_parcel_t *parcel,
                          const char *why);

/* Validates a mapped parcel and checks its parcel_id against the run; counts the record.
 * Returns INGEST_READ_PARCEL or INGEST_READ_REJECT. */
int ingest__accept(ingest_reader_t *self, proto_parcel_t *parcel, uint64_t loc, bool utf8_checked);

/* Per-format next() and state. */
int ingest__ndjson_next(ingest_reader_t *self, proto_parcel_t *parcel);
int ingest__mpk_next(ingest_reader_t *self, proto_parcel_t *parcel);
int ingest__csv_next(ingest_reader_t *self, proto_parcel_t *parcel);
ingest__csv_t *ingest__csv_new(void);
void ingest__csv_destroy(ingest__csv_t **self_p);
void ingest__csv_restart(ingest__csv_t *self);
/* The first buffer byte a CSV reader still needs (the pending parcel's first row). */
size_t ingest__csv_keep(const ingest_reader_t *self);

#endif
