/* csv.c -- RFC 4180 manifests: a header row, then one row per item line, a parcel's rows
 * consecutive.
 *
 * DESIGN: rows are found with an incremental quote-aware scan (a quoted field may hold commas,
 * "" and newlines; CRLF and LF both end a row), then split in place: "" is unescaped into the
 * field's own bytes, so fields stay views into the input buffer. Cells are kept as (stream
 * offset, length) so they survive the buffer being compacted. The reader collects the rows of
 * one parcel_id (at most PROTO_MAX_ITEMS are kept) and emits the parcel when a row with
 * another parcel_id, or the end of input, arrives; that row waits in a look-ahead slot.
 *
 * Columns are mapped by header name (the names of data/manifests/synthetic/
 * sample_manifest_flat.csv, plus the other record-model fields); unknown columns are ignored.
 * parcel_id and description columns are required. Parcel-level columns must hold the same
 * value in every row of a parcel. Numbers must be plain decimals (empty = absent).
 *
 * Rejects: a row with the wrong number of fields, a stray quote, a row over
 * INGEST__MAX_RECORD, or an unterminated quote rejects the row -- and, when its parcel_id
 * is that of the parcel being collected, the whole parcel (a parcel missing an item line must
 * not be screened as if complete). A parcel_id whose rows reappear after another parcel's is
 * rejected as "rows not consecutive". After a bad row the next row starts after its newline;
 * after an oversized row, after the next newline. A bad header rejects and stops the input. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ============ Columns ============ */

typedef struct {
    const char *name; /* header name */
    uint8_t kind;     /* INGEST__F_STR, _NUM or _U32 */
    bool item;        /* offset is into proto_item_t (else proto_parcel_t) */
    bool seller;      /* a non-empty value sets has_seller */
    uint16_t offset;  /* offset of the value */
} s_column_t;

/* NOLINTBEGIN(bugprone-macro-parentheses): offsetof() needs a bare member name. */
#define P(name, kind, member)                                                                      \
    {                                                                                              \
        name, kind, false, false, offsetof(proto_parcel_t, member)                                 \
    }
#define S(name, member)                                                                            \
    {                                                                                              \
        name, INGEST__F_STR, false, true, offsetof(proto_parcel_t, member)                         \
    }
#define I(name, kind, member)                                                                      \
    {                                                                                              \
        name, kind, true, false, offsetof(proto_item_t, member)                                    \
    }
#define PARTY(who)                                                                                 \
    P(#who "_name", INGEST__F_STR, who.name), P(#who "_address", INGEST__F_STR, who.address),      \
        P(#who "_city", INGEST__F_STR, who.city),                                                  \
        P(#who "_postcode", INGEST__F_STR, who.postcode),                                          \
        P(#who "_country", INGEST__F_STR, who.country),                                            \
        P(#who "_phone", INGEST__F_STR, who.phone), P(#who "_email", INGEST__F_STR, who.email),    \
        P(#who "_tax_id", INGEST__F_STR, who.tax_id)

static const s_column_t s_columns[] = {
    P("parcel_id", INGEST__F_STR, parcel_id),
    P("item_id", INGEST__F_STR, item_id),
    P("manifest_ref", INGEST__F_STR, manifest_ref),
    P("master_ref", INGEST__F_STR, master_ref),
    P("house_ref", INGEST__F_STR, house_ref),
    P("order_ref", INGEST__F_STR, order_ref),
    P("mail_class", INGEST__F_STR, mail_class),
    P("category_of_item", INGEST__F_STR, category_of_item),
    PARTY(sender),
    PARTY(recipient),
    S("seller_name", seller.name),
    S("marketplace", seller.marketplace),
    S("seller_id", seller.seller_id),
    P("origin_country", INGEST__F_STR, origin_country),
    P("dispatch_country", INGEST__F_STR, dispatch_country),
    P("destination_country", INGEST__F_STR, destination_country),
    P("posting_datetime", INGEST__F_STR, posting_datetime),
    P("expected_arrival", INGEST__F_STR, expected_arrival),
    P("office_of_entry", INGEST__F_STR, office_of_entry),
    P("currency", INGEST__F_STR, currency),
    P("gross_weight_kg", INGEST__F_NUM, gross_weight_kg),
    P("declared_total_value", INGEST__F_NUM, declared_total_value),
    P("postal_charges", INGEST__F_NUM, postal_charges),
    I("line_no", INGEST__F_U32, line_no),
    I("description", INGEST__F_STR, description),
    I("quantity", INGEST__F_NUM, quantity),
    I("unit", INGEST__F_STR, unit),
    I("net_weight_kg", INGEST__F_NUM, net_weight_kg),
    I("unit_value", INGEST__F_NUM, unit_value),
    I("hs_code", INGEST__F_STR, hs_code),
    I("item_origin_country", INGEST__F_STR, origin_country),
    I("sku", INGEST__F_STR, sku),
};

/* NOLINTEND(bugprone-macro-parentheses) */
#undef P
#undef S
#undef I
#undef PARTY

#define S_SLOTS (PROTO_MAX_ITEMS + 1) /* a parcel's rows plus one look-ahead row */

/* ============ State ============ */

typedef struct {
    uint64_t off; /* stream offset of the field's first byte (after unescaping) */
    uint32_t len; /* bytes */
} s_cell_t;

enum { S_PENDING_NONE, S_PENDING_ROW, S_PENDING_REJECT };
enum { S_ROW_OK, S_ROW_AGAIN, S_ROW_EOF, S_ROW_BAD };
enum { S_SCAN_FIELD_START, S_SCAN_UNQUOTED, S_SCAN_QUOTED, S_SCAN_QUOTE_SEEN };

struct ingest__csv {
    bool have_header; /* header row read */
    uint32_t ncols;   /* header columns */
    int16_t *colmap;  /* header column -> s_columns index, or -1 */
    int pid_col;      /* header column of parcel_id */
    /* Row scanner (the row starting at reader->pos). */
    size_t scanned;    /* bytes of the row already scanned */
    int state;         /* S_SCAN_*: where the scan stopped */
    uint32_t newlines; /* newlines inside quotes so far */
    bool skipping;     /* dropping bytes up to the next newline */
    /* Fields of the last row split. */
    s_cell_t *fields;       /* growable */
    uint32_t nfields;       /* fields in the last row */
    uint32_t fields_cap;    /* allocated */
    char bad[CORE_ERR_LEN]; /* reason of the last bad row */
    /* The parcel being collected. */
    s_cell_t *cells;            /* S_SLOTS rows of ncols cells */
    uint64_t row_line[S_SLOTS]; /* line of each stored row */
    uint64_t row_off[S_SLOTS];  /* stream offset of each stored row */
    bool group;                 /* a parcel is being collected */
    uint32_t rows;              /* rows stored, at most PROTO_MAX_ITEMS */
    bool too_many;              /* more rows than PROTO_MAX_ITEMS */
    core_buf_t group_id;        /* its parcel_id, copied */
    bool poisoned;              /* one of its rows was bad */
    char poison[CORE_ERR_LEN];  /* why */
    uint64_t poison_line;       /* where */
    /* What the next call hands out first. */
    int pending;                       /* S_PENDING_* */
    uint32_t pending_slot;             /* S_PENDING_ROW: slot of the look-ahead row */
    uint64_t pending_line;             /* S_PENDING_REJECT: line of the bad row */
    char pending_reason[CORE_ERR_LEN]; /* S_PENDING_REJECT: why */
};

ingest__csv_t *ingest__csv_new(void)
{
    ingest__csv_t *self = core_calloc(1, sizeof(*self));
    ingest__csv_restart(self);
    return self;
}

void ingest__csv_destroy(ingest__csv_t **self_p)
{
    core_assert(self_p != NULL);
    ingest__csv_t *self = *self_p;
    if (self == NULL)
        return;
    free(self->colmap);
    free(self->fields);
    free(self->cells);
    core_buf_clear(&self->group_id);
    free(self);
    *self_p = NULL;
}

void ingest__csv_restart(ingest__csv_t *self)
{
    core_assert(self != NULL);
    self->have_header = false;
    self->ncols = 0;
    self->pid_col = -1;
    self->scanned = 0;
    self->state = S_SCAN_FIELD_START;
    self->newlines = 0;
    self->skipping = false;
    self->nfields = 0;
    self->group = false;
    self->rows = 0;
    self->too_many = false;
    self->poisoned = false;
    self->pending = S_PENDING_NONE;
}

size_t ingest__csv_keep(const ingest_reader_t *reader)
{
    const ingest__csv_t *self = reader->csv;
    uint64_t keep = reader->base + reader->pos;
    if (self->group && !self->too_many && self->rows > 0 && self->row_off[0] < keep)
        keep = self->row_off[0];
    if (self->pending == S_PENDING_ROW && self->row_off[self->pending_slot] < keep)
        keep = self->row_off[self->pending_slot];
    return (size_t)(keep - reader->base);
}

static inline s_cell_t *s_cell(ingest__csv_t *self, uint32_t slot, uint32_t col)
{
    return &self->cells[(size_t)slot * self->ncols + col];
}

static inline core_str_t s_view(const ingest_reader_t *reader, const s_cell_t *cell)
{
    core_str_t s = {reader->buf + (cell->off - reader->base), cell->len};
    return s;
}

/* ============ Rows ============ */

/* Splits [start, end) of the buffer into self->fields, unescaping quoted fields in place.
 * Returns 0, or -1 with a reason in self->bad (the fields before the error are kept). */
static int s_split(ingest_reader_t *reader, size_t start, size_t end)
{
    ingest__csv_t *self = reader->csv;
    char *b = reader->buf;
    size_t p = start;
    self->nfields = 0;
    for (;;) {
        if (self->nfields == self->fields_cap) {
            self->fields_cap = self->fields_cap ? self->fields_cap * 2 : 64;
            self->fields = core_realloc(self->fields, self->fields_cap * sizeof(*self->fields));
        }
        size_t fstart = p;
        size_t flen;
        if (p < end && b[p] == '"') {
            size_t w = p;
            p++;
            for (;;) {
                if (p >= end) {
                    core_err_set(self->bad, "unterminated quoted field in column %u",
                                 self->nfields + 1);
                    return -1;
                }
                if (b[p] == '"') {
                    if (p + 1 < end && b[p + 1] == '"') {
                        b[w++] = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                b[w++] = b[p++];
            }
            flen = w - fstart;
            if (p < end && b[p] != ',') {
                core_err_set(self->bad, "text after a closing quote in column %u",
                             self->nfields + 1);
                return -1;
            }
        } else {
            while (p < end && b[p] != ',') {
                if (b[p] == '"') {
                    core_err_set(self->bad, "quote inside an unquoted field in column %u",
                                 self->nfields + 1);
                    return -1;
                }
                p++;
            }
            flen = p - fstart;
        }
        self->fields[self->nfields].off = reader->base + fstart;
        self->fields[self->nfields].len = (uint32_t)flen;
        self->nfields++;
        if (p >= end)
            return 0;
        p++; /* the comma */
    }
}

/* Finds the next non-blank row and splits it. S_ROW_OK: fields in self->fields, its line in
 * *line and stream offset in *off. S_ROW_BAD: reason in self->bad (fields split so far kept). */
static int s_row(ingest_reader_t *reader, uint64_t *line, uint64_t *off)
{
    ingest__csv_t *self = reader->csv;
    for (;;) {
        if (self->skipping) {
            char *nl = memchr(reader->buf + reader->pos, '\n', reader->len - reader->pos);
            if (nl == NULL) {
                reader->pos = reader->len;
                return reader->eof ? S_ROW_EOF : S_ROW_AGAIN;
            }
            reader->pos = (size_t)(nl - reader->buf) + 1;
            reader->line++;
            self->skipping = false;
        }
        size_t start = reader->pos;
        size_t i = start + self->scanned;
        size_t end = SIZE_MAX;
        const char *b = reader->buf;
        /* Only a quote at the start of a field opens a quoted field, so a stray quote in an
         * unquoted field cannot swallow the following rows (s_split rejects it). */
        for (; i < reader->len; i++) {
            char c = b[i];
            switch (self->state) {
            case S_SCAN_QUOTED:
                if (c == '"')
                    self->state = S_SCAN_QUOTE_SEEN;
                else if (c == '\n')
                    self->newlines++;
                continue;
            case S_SCAN_QUOTE_SEEN: /* a second quote: "" inside a quoted field */
            case S_SCAN_FIELD_START:
                if (c == '"') {
                    self->state = S_SCAN_QUOTED;
                    continue;
                }
                break;
            default:
                break;
            }
            if (c == '\n') {
                end = i;
                break;
            }
            self->state = c == ',' ? S_SCAN_FIELD_START : S_SCAN_UNQUOTED;
        }
        *line = reader->line;
        *off = reader->base + start;
        if (end == SIZE_MAX) {
            self->scanned = reader->len - start;
            if (self->scanned > INGEST__MAX_RECORD) {
                core_err_set(self->bad, "row longer than %d bytes", PROTO_MAX_RECORD_BYTES);
                reader->line += self->newlines;
                reader->pos = reader->len;
                self->skipping = true;
                self->scanned = 0;
                self->state = S_SCAN_FIELD_START;
                self->newlines = 0;
                self->nfields = 0;
                return S_ROW_BAD;
            }
            if (!reader->eof)
                return S_ROW_AGAIN;
            if (start == reader->len)
                return S_ROW_EOF;
            if (self->state == S_SCAN_QUOTED) {
                core_err_set(self->bad, "unterminated quoted field");
                reader->line += self->newlines;
                reader->pos = reader->len;
                self->scanned = 0;
                self->state = S_SCAN_FIELD_START;
                self->newlines = 0;
                self->nfields = 0;
                return S_ROW_BAD;
            }
            end = reader->len;
        }
        reader->line += 1 + self->newlines;
        reader->pos = end < reader->len ? end + 1 : end;
        self->scanned = 0;
        self->state = S_SCAN_FIELD_START;
        self->newlines = 0;
        if (end > start && b[end - 1] == '\r')
            end--;
        if (end == start)
            continue; /* a blank line is not a record */
        if (end - start > INGEST__MAX_RECORD) {
            core_err_set(self->bad, "row longer than %d bytes", PROTO_MAX_RECORD_BYTES);
            self->nfields = 0;
            return S_ROW_BAD;
        }
        if (s_split(reader, start, end) != 0)
            return S_ROW_BAD;
        if (self->have_header && self->nfields != self->ncols) {
            core_err_set(self->bad, "row has %u fields, the header has %u", self->nfields,
                         self->ncols);
            return S_ROW_BAD;
        }
        return S_ROW_OK;
    }
}

/* ============ Header ============ */

static int s_find_column(core_str_t name)
{
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_columns); i++) {
        if (core_str_eq_cstr(name, s_columns[i].name))
            return (int)i;
    }
    return -1;
}

static int s_header(ingest_reader_t *reader)
{
    ingest__csv_t *self = reader->csv;
    uint64_t line;
    uint64_t off;
    int r = s_row(reader, &line, &off);
    if (r == S_ROW_AGAIN)
        return -EAGAIN;
    if (r == S_ROW_EOF)
        return INGEST_READ_END;
    if (r == S_ROW_BAD) {
        reader->stopped = true;
        return ingest__reject(reader, line, "bad header row: %s; input stopped", self->bad);
    }
    uint32_t n = self->nfields;
    self->colmap = core_realloc(self->colmap, n * sizeof(*self->colmap));
    bool used[CORE_ARRAY_LEN(s_columns)] = {false};
    int desc_col = -1;
    self->pid_col = -1;
    for (uint32_t i = 0; i < n; i++) {
        core_str_t name = s_view(reader, &self->fields[i]);
        int c = s_find_column(name);
        self->colmap[i] = (int16_t)c;
        if (c < 0)
            continue;
        if (used[c]) {
            reader->stopped = true;
            return ingest__reject(reader, line, "header names column '%s' twice; input stopped",
                                  s_columns[c].name);
        }
        used[c] = true;
        if (!strcmp(s_columns[c].name, "parcel_id"))
            self->pid_col = (int)i;
        else if (!strcmp(s_columns[c].name, "description"))
            desc_col = (int)i;
    }
    if (self->pid_col < 0 || desc_col < 0) {
        reader->stopped = true;
        return ingest__reject(reader, line, "header lacks the required column '%s'; input stopped",
                              self->pid_col < 0 ? "parcel_id" : "description");
    }
    self->ncols = n;
    self->cells = core_realloc(self->cells, (size_t)S_SLOTS * n * sizeof(*self->cells));
    self->have_header = true;
    return 0;
}

/* ============ Parcels ============ */

static int s_number(core_str_t s, double *out)
{
    if (s.len == 0) {
        *out = NAN;
        return 0;
    }
    char tmp[64];
    if (s.len >= sizeof(tmp))
        return -1;
    for (uint32_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return -1;
    }
    memcpy(tmp, s.ptr, s.len);
    tmp[s.len] = '\0';
    char *end = NULL;
    double v = strtod(tmp, &end);
    if (end != tmp + s.len || isinf(v))
        return -1;
    *out = v;
    return 0;
}

static int s_u32(core_str_t s, uint32_t *out)
{
    if (s.len == 0) {
        *out = 0;
        return 0;
    }
    if (s.len > 10)
        return -1;
    uint64_t v = 0;
    for (uint32_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s.ptr[i] - '0');
    }
    if (v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int s_set(const s_column_t *col, void *obj, core_str_t s, char *err)
{
    char *at = (char *)obj + col->offset;
    switch (col->kind) {
    case INGEST__F_STR:
        memcpy(at, &s, sizeof(s));
        return 0;
    case INGEST__F_NUM: {
        double x;
        if (s_number(s, &x) != 0) {
            core_err_set(err, "column '%s' is not a number", col->name);
            return -EINVAL;
        }
        memcpy(at, &x, sizeof(x));
        return 0;
    }
    case INGEST__F_U32: {
        uint32_t u;
        if (s_u32(s, &u) != 0) {
            core_err_set(err, "column '%s' is not an integer in 0..%u", col->name, UINT32_MAX);
            return -EINVAL;
        }
        memcpy(at, &u, sizeof(u));
        return 0;
    }
    default:
        core_assert(!"CSV column of a nested kind");
        return -EINVAL;
    }
}

/* Maps the collected rows to a parcel. Returns 0 or -EINVAL with a reason in err. */
static int s_build(ingest_reader_t *reader, proto_parcel_t *parcel, char *err)
{
    ingest__csv_t *self = reader->csv;
    proto_parcel_init(parcel);
    for (uint32_t r = 0; r < self->rows; r++)
        ingest__item_init(&reader->items[r]);
    parcel->items = reader->items;
    parcel->item_count = self->rows;
    for (uint32_t c = 0; c < self->ncols; c++) {
        if (self->colmap[c] < 0)
            continue;
        const s_column_t *col = &s_columns[self->colmap[c]];
        if (col->item) {
            for (uint32_t r = 0; r < self->rows; r++) {
                if (s_set(col, &reader->items[r], s_view(reader, s_cell(self, r, c)), err) != 0)
                    return -EINVAL;
            }
            continue;
        }
        core_str_t first = s_view(reader, s_cell(self, 0, c));
        for (uint32_t r = 1; r < self->rows; r++) {
            if (!core_str_eq(first, s_view(reader, s_cell(self, r, c)))) {
                core_err_set(err, "column '%s' differs between the parcel's rows (line %llu)",
                             col->name, (unsigned long long)self->row_line[r]);
                return -EINVAL;
            }
        }
        if (s_set(col, parcel, first, err) != 0)
            return -EINVAL;
        if (col->seller && first.len > 0)
            parcel->has_seller = true;
    }
    return 0;
}

static core_str_t s_group_id(const ingest__csv_t *self)
{
    core_str_t s = {self->group_id.data, (uint32_t)self->group_id.len};
    return s;
}

/* Rejects the collected parcel with "parcel_id X: why" (or just why when X is empty), and
 * remembers its parcel_id so rows that come back later are found. */
static int s_group_reject(ingest_reader_t *reader, const char *why)
{
    ingest__csv_t *self = reader->csv;
    core_str_t id = s_group_id(self);
    uint64_t line = self->row_line[0];
    if (id.len == 0)
        return ingest__reject(reader, line, "%s", why);
    ingest__idset_put(reader->ids, id, reader->tag, false);
    char text[80];
    ingest__id_text(id, text, sizeof(text));
    return ingest__reject(reader, line, "parcel_id %s: %s", text, why);
}

/* Hands out the collected parcel (or its reject) and ends the group. */
static int s_group_emit(ingest_reader_t *reader, proto_parcel_t *parcel)
{
    ingest__csv_t *self = reader->csv;
    self->group = false;
    core_str_t id = s_group_id(self);
    uint32_t tag;
    bool accepted;
    if (id.len > 0 && ingest__idset_find(reader->ids, id, &tag, &accepted) && tag == reader->tag) {
        char text[80];
        ingest__id_text(id, text, sizeof(text));
        return ingest__reject(reader, self->row_line[0], "parcel_id %s: rows not consecutive",
                              text);
    }
    if (self->too_many) {
        char why[64];
        snprintf(why, sizeof(why), "more than %d items", PROTO_MAX_ITEMS);
        return s_group_reject(reader, why);
    }
    if (self->poisoned) {
        char why[CORE_ERR_LEN + 32];
        snprintf(why, sizeof(why), "line %llu: %s", (unsigned long long)self->poison_line,
                 self->poison);
        return s_group_reject(reader, why);
    }
    char err[CORE_ERR_LEN];
    if (s_build(reader, parcel, err) != 0)
        return s_group_reject(reader, err);
    int rc = ingest__accept(reader, parcel, self->row_line[0], false);
    if (rc != INGEST_READ_PARCEL && id.len > 0)
        ingest__idset_put(reader->ids, id, reader->tag, false);
    return rc;
}

/* Starts collecting a parcel with the row in 'slot'. */
static void s_group_start(ingest_reader_t *reader, uint32_t slot, uint64_t line, uint64_t off)
{
    ingest__csv_t *self = reader->csv;
    if (slot != 0)
        memcpy(s_cell(self, 0, 0), s_cell(self, slot, 0), self->ncols * sizeof(s_cell_t));
    self->group = true;
    self->rows = 1;
    self->too_many = false;
    self->poisoned = false;
    self->row_line[0] = line;
    self->row_off[0] = off;
    core_buf_reset(&self->group_id);
    core_str_t id = s_view(reader, s_cell(self, 0, (uint32_t)self->pid_col));
    core_buf_append(&self->group_id, id.ptr, id.len);
}

/* The parcel_id of the last split row, when the split got that far. */
static bool s_row_id(ingest_reader_t *reader, core_str_t *id)
{
    ingest__csv_t *self = reader->csv;
    if ((uint32_t)self->pid_col >= self->nfields)
        return false;
    *id = s_view(reader, &self->fields[self->pid_col]);
    return true;
}

int ingest__csv_next(ingest_reader_t *reader, proto_parcel_t *parcel)
{
    ingest__csv_t *self = reader->csv;
    if (!self->have_header) {
        int rc = s_header(reader);
        if (!self->have_header)
            return rc;
    }
    for (;;) {
        if (self->pending == S_PENDING_REJECT) {
            self->pending = S_PENDING_NONE;
            return ingest__reject(reader, self->pending_line, "%s", self->pending_reason);
        }
        if (self->pending == S_PENDING_ROW) {
            self->pending = S_PENDING_NONE;
            uint32_t slot = self->pending_slot;
            s_group_start(reader, slot, self->row_line[slot], self->row_off[slot]);
        }
        uint64_t line;
        uint64_t off;
        int r = s_row(reader, &line, &off);
        if (r == S_ROW_AGAIN)
            return -EAGAIN;
        if (r == S_ROW_EOF)
            return self->group ? s_group_emit(reader, parcel) : INGEST_READ_END;
        core_str_t id = {NULL, 0};
        bool have_id = s_row_id(reader, &id);
        if (r == S_ROW_BAD) {
            if (self->group && have_id && core_str_eq(id, s_group_id(self))) {
                if (!self->poisoned) {
                    self->poisoned = true;
                    self->poison_line = line;
                    snprintf(self->poison, sizeof(self->poison), "%s", self->bad);
                }
                continue;
            }
            if (!self->group)
                return ingest__reject(reader, line, "%s", self->bad);
            self->pending = S_PENDING_REJECT;
            self->pending_line = line;
            snprintf(self->pending_reason, sizeof(self->pending_reason), "%s", self->bad);
            return s_group_emit(reader, parcel);
        }
        uint32_t slot =
            self->group ? (self->rows < PROTO_MAX_ITEMS ? self->rows : PROTO_MAX_ITEMS) : 0;
        memcpy(s_cell(self, slot, 0), self->fields, self->ncols * sizeof(s_cell_t));
        self->row_line[slot] = line;
        self->row_off[slot] = off;
        if (!self->group) {
            s_group_start(reader, 0, line, off);
            continue;
        }
        if (core_str_eq(id, s_group_id(self))) {
            if (self->rows < PROTO_MAX_ITEMS)
                self->rows++;
            else
                self->too_many = true;
            continue;
        }
        self->pending = S_PENDING_ROW;
        self->pending_slot = slot;
        return s_group_emit(reader, parcel);
    }
}
