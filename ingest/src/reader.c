/* reader.c -- the input buffer every format shares, NDJSON framing, rejects, duplicate ids.
 *
 * DESIGN: one growable buffer per reader holds [pos, len) unparsed bytes (plus, for CSV, the
 * rows of the parcel being collected). reserve() first moves the bytes still needed to the
 * front, then guarantees room for a large read, so a file is read in INGEST__READ_CHUNK
 * pieces and the buffer stops growing once it holds the largest record. One byte past len is
 * always allocated and holds a NUL, so number conversion never runs off the end.
 *
 * NDJSON framing: a record is one line. A line longer than INGEST__MAX_RECORD is rejected
 * as soon as that many bytes arrive without a newline; the rest of it is dropped up to the
 * next newline, which is where the stream resynchronises after any bad line. Blank lines are
 * not records. A UTF-8 byte order mark at the start of an NDJSON or CSV input is skipped. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"

int ingest_format_parse(const char *text, ingest_format_t *out)
{
    core_assert(out != NULL);
    if (text == NULL)
        return -EINVAL;
    if (!strcmp(text, "auto"))
        *out = INGEST_FORMAT_AUTO;
    else if (!strcmp(text, "ndjson") || !strcmp(text, "jsonl") || !strcmp(text, "json"))
        *out = INGEST_FORMAT_NDJSON;
    else if (!strcmp(text, "csv"))
        *out = INGEST_FORMAT_CSV;
    else if (!strcmp(text, "msgpack") || !strcmp(text, "mpk"))
        *out = INGEST_FORMAT_MSGPACK;
    else
        return -EINVAL;
    return 0;
}

ingest_format_t ingest_format_from_path(const char *path)
{
    core_assert(path != NULL);
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot == NULL || (slash && dot < slash))
        return INGEST_FORMAT_AUTO;
    dot++;
    if (!strcasecmp(dot, "ndjson") || !strcasecmp(dot, "jsonl") || !strcasecmp(dot, "json"))
        return INGEST_FORMAT_NDJSON;
    if (!strcasecmp(dot, "csv"))
        return INGEST_FORMAT_CSV;
    if (!strcasecmp(dot, "msgpack") || !strcasecmp(dot, "mpk"))
        return INGEST_FORMAT_MSGPACK;
    return INGEST_FORMAT_AUTO;
}

const char *ingest_format_name(ingest_format_t format)
{
    switch (format) {
    case INGEST_FORMAT_NDJSON:
        return "ndjson";
    case INGEST_FORMAT_CSV:
        return "csv";
    case INGEST_FORMAT_MSGPACK:
        return "msgpack";
    case INGEST_FORMAT_AUTO:
        break;
    }
    return "auto";
}

/* ============ Life cycle ============ */

static void s_set_source(ingest_reader_t *self, const char *source)
{
    snprintf(self->source, sizeof(self->source), "%s", source ? source : "input");
}

static void s_reset_state(ingest_reader_t *self)
{
    self->len = 0;
    self->pos = 0;
    self->scan = 0;
    self->base = 0;
    self->line = 1;
    self->eof = false;
    self->stopped = false;
    self->skipping = false;
    self->bom_checked = false;
    self->records = 0;
    self->rejects = 0;
    self->reason[0] = '\0';
    self->buf[0] = '\0';
}

ingest_reader_t *ingest_reader_new(ingest_format_t format, const char *source, ingest_idset_t *ids)
{
    core_assert(format == INGEST_FORMAT_NDJSON || format == INGEST_FORMAT_CSV ||
                format == INGEST_FORMAT_MSGPACK);
    ingest_reader_t *self = core_calloc(1, sizeof(*self));
    self->format = format;
    s_set_source(self, source);
    self->cap = INGEST__READ_CHUNK + INGEST__MAX_RECORD + 1;
    self->buf = core_malloc(self->cap);
    if (ids) {
        self->ids = ids;
    } else {
        self->ids = ingest_idset_new();
        self->own_ids = true;
    }
    self->tag = ingest__idset_new_tag(self->ids);
    if (format == INGEST_FORMAT_NDJSON)
        self->scratch = core_malloc(INGEST__MAX_RECORD);
    if (format == INGEST_FORMAT_CSV)
        self->csv = ingest__csv_new();
    s_reset_state(self);
    return self;
}

void ingest_reader_destroy(ingest_reader_t **self_p)
{
    core_assert(self_p != NULL);
    ingest_reader_t *self = *self_p;
    if (self == NULL)
        return;
    ingest__csv_destroy(&self->csv);
    if (self->own_ids)
        ingest_idset_destroy(&self->ids);
    free(self->scratch);
    free(self->buf);
    free(self);
    *self_p = NULL;
}

void ingest_reader_restart(ingest_reader_t *self, const char *source)
{
    core_assert(self != NULL);
    s_set_source(self, source);
    s_reset_state(self);
    self->tag = ingest__idset_new_tag(self->ids);
    if (self->csv)
        ingest__csv_restart(self->csv);
}

/* ============ Input ============ */

char *ingest_reader_reserve(ingest_reader_t *self, size_t *avail)
{
    core_assert(self != NULL && avail != NULL);
    size_t keep = self->csv ? ingest__csv_keep(self) : self->pos;
    if (keep > 0) {
        memmove(self->buf, self->buf + keep, self->len - keep);
        self->len -= keep;
        self->pos -= keep;
        self->scan = self->scan > keep ? self->scan - keep : 0;
        self->base += keep;
        self->buf[self->len] = '\0';
    }
    size_t want = INGEST__READ_CHUNK;
    if (self->cap - self->len - 1 < want) {
        size_t cap = self->cap;
        while (cap - self->len - 1 < want)
            cap *= 2;
        self->buf = core_realloc(self->buf, cap);
        self->cap = cap;
    }
    *avail = self->cap - self->len - 1;
    return self->buf + self->len;
}

void ingest_reader_commit(ingest_reader_t *self, size_t len)
{
    core_assert(self != NULL);
    core_assert(len <= self->cap - self->len - 1);
    core_assert(!self->eof);
    self->len += len;
    self->buf[self->len] = '\0';
}

void ingest_reader_feed(ingest_reader_t *self, const void *data, size_t len)
{
    core_assert(self != NULL);
    core_assert(data != NULL || len == 0);
    while (len > 0) {
        size_t avail;
        char *w = ingest_reader_reserve(self, &avail);
        size_t n = len < avail ? len : avail;
        memcpy(w, data, n);
        ingest_reader_commit(self, n);
        data = (const char *)data + n;
        len -= n;
    }
}

void ingest_reader_feed_next(ingest_reader_t *self, const char *data, size_t len, size_t *off)
{
    core_assert(self != NULL && off != NULL && *off <= len);
    size_t avail;
    char *w = ingest_reader_reserve(self, &avail);
    size_t n = len - *off < avail ? len - *off : avail;
    memcpy(w, data + *off, n);
    ingest_reader_commit(self, n);
    *off += n;
    if (*off == len)
        ingest_reader_finish(self);
}

void ingest_reader_finish(ingest_reader_t *self)
{
    core_assert(self != NULL);
    self->eof = true;
}

ssize_t ingest_reader_read_fd(ingest_reader_t *self, int fd)
{
    core_assert(self != NULL);
    size_t avail;
    char *w = ingest_reader_reserve(self, &avail);
    ssize_t n = read(fd, w, avail);
    if (n < 0)
        return -errno;
    if (n == 0) {
        ingest_reader_finish(self);
        return 0;
    }
    ingest_reader_commit(self, (size_t)n);
    return n;
}

/* ============ Records ============ */

int ingest__reject(ingest_reader_t *self, uint64_t loc, const char *fmt, ...)
{
    char why[CORE_ERR_LEN + 24]; /* fits the reason line with a 200-byte source */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    snprintf(self->reason, sizeof(self->reason), "%s%c%llu: %s", self->source,
             self->format == INGEST_FORMAT_MSGPACK ? '@' : ':', (unsigned long long)loc, why);
    self->records++;
    self->rejects++;
    return INGEST_READ_REJECT;
}

int ingest__reject_record(ingest_reader_t *self, uint64_t loc, const proto_parcel_t *parcel,
                          const char *why)
{
    if (parcel->parcel_id.len == 0)
        return ingest__reject(self, loc, "%s", why);
    char id[80];
    ingest__id_text(parcel->parcel_id, id, sizeof(id));
    return ingest__reject(self, loc, "parcel_id %s: %s", id, why);
}

int ingest__accept(ingest_reader_t *self, proto_parcel_t *parcel, uint64_t loc, bool utf8_checked)
{
    char err[CORE_ERR_LEN];
    char id[80];
    if (ingest__validate(parcel, utf8_checked, err) != 0)
        return ingest__reject_record(self, loc, parcel, err);
    if (ingest__idset_accept(self->ids, parcel->parcel_id, self->tag) != 0) {
        ingest__id_text(parcel->parcel_id, id, sizeof(id));
        return ingest__reject(self, loc, "parcel_id %s: duplicate parcel_id", id);
    }
    self->records++;
    return INGEST_READ_PARCEL;
}

/* Skips a UTF-8 byte order mark at the start of a text input. Returns false while too few
 * bytes are buffered to tell. */
static bool s_skip_bom(ingest_reader_t *self)
{
    if (self->bom_checked)
        return true;
    if (self->len - self->pos < 3 && !self->eof)
        return false;
    if (self->len - self->pos >= 3 && memcmp(self->buf + self->pos, "\xEF\xBB\xBF", 3) == 0)
        self->pos += 3;
    self->bom_checked = true;
    return true;
}

static bool s_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    }
    return true;
}

int ingest__ndjson_next(ingest_reader_t *self, proto_parcel_t *parcel)
{
    if (!s_skip_bom(self))
        return -EAGAIN;
    for (;;) {
        size_t from = self->scan > self->pos ? self->scan : self->pos;
        char *nl = memchr(self->buf + from, '\n', self->len - from);
        if (self->skipping) {
            /* The rest of an oversized line: drop it without keeping it. */
            if (nl == NULL) {
                self->pos = self->len;
                self->scan = self->len;
                if (self->eof)
                    return INGEST_READ_END;
                return -EAGAIN;
            }
            self->pos = (size_t)(nl - self->buf) + 1;
            self->line++;
            self->skipping = false;
            continue;
        }
        size_t end;
        if (nl == NULL) {
            self->scan = self->len;
            if (self->len - self->pos > INGEST__MAX_RECORD) {
                uint64_t line = self->line;
                self->skipping = true;
                self->pos = self->len;
                return ingest__reject(self, line, "record longer than %d bytes",
                                      PROTO_MAX_RECORD_BYTES);
            }
            if (!self->eof)
                return -EAGAIN;
            if (self->pos == self->len)
                return INGEST_READ_END;
            end = self->len; /* last line without a newline */
        } else {
            end = (size_t)(nl - self->buf);
        }
        uint64_t line = self->line++;
        char *rec = self->buf + self->pos;
        size_t len = end - self->pos;
        self->pos = end < self->len ? end + 1 : end;
        self->scan = self->pos;
        if (len > 0 && rec[len - 1] == '\r')
            len--;
        if (len > INGEST__MAX_RECORD)
            return ingest__reject(self, line, "record longer than %d bytes",
                                  PROTO_MAX_RECORD_BYTES);
        if (s_blank(rec, len))
            continue;
        if (!ingest__utf8_valid(rec, len))
            return ingest__reject(self, line, "invalid UTF-8");
        /* The byte after the record is '\n', '\r' or the buffer's NUL: a sentinel for strtod. */
        char err[CORE_ERR_LEN];
        if (ingest__json_parse(rec, len, self->scratch, INGEST__MAX_RECORD, parcel, self->items,
                               err) != 0)
            return ingest__reject_record(self, line, parcel, err);
        return ingest__accept(self, parcel, line, true);
    }
}

int ingest_reader_next(ingest_reader_t *self, proto_parcel_t *parcel)
{
    core_assert(self != NULL);
    core_assert(parcel != NULL);
    if (self->stopped)
        return INGEST_READ_END;
    switch (self->format) {
    case INGEST_FORMAT_NDJSON:
        return ingest__ndjson_next(self, parcel);
    case INGEST_FORMAT_CSV:
        if (!s_skip_bom(self))
            return -EAGAIN;
        return ingest__csv_next(self, parcel);
    case INGEST_FORMAT_MSGPACK:
        return ingest__mpk_next(self, parcel);
    case INGEST_FORMAT_AUTO:
        break;
    }
    core_assert(!"reader without a format");
    return INGEST_READ_END;
}

const char *ingest_reader_reason(const ingest_reader_t *self)
{
    core_assert(self != NULL);
    return self->reason;
}

uint64_t ingest_reader_records(const ingest_reader_t *self)
{
    core_assert(self != NULL);
    return self->records;
}

uint64_t ingest_reader_rejects(const ingest_reader_t *self)
{
    core_assert(self != NULL);
    return self->rejects;
}

uint64_t ingest_reader_offset(const ingest_reader_t *self)
{
    core_assert(self != NULL);
    return self->base + (self->csv ? ingest__csv_keep(self) : self->pos);
}
