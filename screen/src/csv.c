/* csv.c -- an RFC 4180 record reader over a buffer in memory.
 *
 * Quoted fields may hold commas, newlines and doubled quotes; CRLF and LF both end a record;
 * blank lines are skipped. Every field is copied (unescaped) into one per-reader buffer, so a
 * record's views stay valid until the next call. Errors carry the record's first line. */
#include <errno.h>
#include <string.h>

#include "internal.h"

void screen__csv_init(screen__csv_t *self, const char *data, size_t len)
{
    core_assert(self != NULL);
    memset(self, 0, sizeof(*self));
    self->data = data;
    self->len = len;
    self->line = 1;
    /* A UTF-8 byte order mark is not part of the first column's name. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        self->pos = 3;
}

void screen__csv_clear(screen__csv_t *self)
{
    core_buf_clear(&self->buf);
}

int screen__csv_next(screen__csv_t *self, screen__csv_record_t *rec, char *err)
{
    core_assert(self != NULL && rec != NULL);
    const char *d = self->data;
    size_t n = self->len;

    /* Skip blank lines (LF or CRLF only). */
    for (;;) {
        if (self->pos >= n)
            return 0;
        if (d[self->pos] == '\n') {
            self->pos++;
            self->line++;
        } else if (d[self->pos] == '\r' && self->pos + 1 < n && d[self->pos + 1] == '\n') {
            self->pos += 2;
            self->line++;
        } else {
            break;
        }
    }

    core_buf_reset(&self->buf);
    core_buf_reserve(&self->buf, 1); /* views never point into a NULL buffer */
    rec->line = self->line;
    rec->count = 0;
    size_t offs[SCREEN__CSV_MAX_FIELDS + 1];
    size_t count = 0;
    bool more = true;
    while (more) {
        if (count == SCREEN__CSV_MAX_FIELDS) {
            core_err_set(err, "more than %d fields", SCREEN__CSV_MAX_FIELDS);
            return -EINVAL;
        }
        offs[count] = self->buf.len;
        more = false;
        if (self->pos < n && d[self->pos] == '"') {
            self->pos++;
            for (;;) {
                if (self->pos >= n) {
                    core_err_set(err, "unterminated quoted field");
                    return -EINVAL;
                }
                char c = d[self->pos++];
                if (c == '"') {
                    if (self->pos < n && d[self->pos] == '"') {
                        core_buf_append_byte(&self->buf, '"');
                        self->pos++;
                        continue;
                    }
                    break;
                }
                if (c == '\n')
                    self->line++;
                core_buf_append_byte(&self->buf, c);
            }
            /* After the closing quote: a comma, the end of the record, or the end of input. */
            if (self->pos < n && d[self->pos] == ',') {
                self->pos++;
                more = true;
            } else if (self->pos < n && d[self->pos] == '\n') {
                self->pos++;
                self->line++;
            } else if (self->pos + 1 < n && d[self->pos] == '\r' && d[self->pos + 1] == '\n') {
                self->pos += 2;
                self->line++;
            } else if (self->pos < n) {
                core_err_set(err, "text after the closing quote of field %zu", count + 1);
                return -EINVAL;
            }
        } else {
            size_t start = self->pos;
            while (self->pos < n && d[self->pos] != ',' && d[self->pos] != '\n')
                self->pos++;
            size_t end = self->pos;
            if (self->pos < n && d[self->pos] == ',') {
                self->pos++;
                more = true;
            } else if (self->pos < n) {
                self->pos++;
                self->line++;
                if (end > start && d[end - 1] == '\r')
                    end--;
            }
            core_buf_append(&self->buf, d + start, end - start);
        }
        count++;
    }
    offs[count] = self->buf.len;
    for (size_t i = 0; i < count; i++) {
        rec->fields[i].ptr = self->buf.data + offs[i];
        rec->fields[i].len = (uint32_t)(offs[i + 1] - offs[i]);
    }
    rec->count = count;
    return 1;
}
