/* buf.c -- growable byte buffer. */
#include "core/buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void core_buf_reserve(core_buf_t *self, size_t extra)
{
    core_assert(self != NULL);
    if (self->cap - self->len >= extra + 1)
        return;
    size_t cap = self->cap ? self->cap : 256;
    while (cap - self->len < extra + 1)
        cap *= 2;
    self->data = core_realloc(self->data, cap);
    self->cap = cap;
}

void core_buf_append(core_buf_t *self, const void *data, size_t len)
{
    core_buf_reserve(self, len);
    if (len)
        memcpy(self->data + self->len, data, len);
    self->len += len;
}

void core_buf_append_byte(core_buf_t *self, char byte)
{
    core_buf_reserve(self, 1);
    self->data[self->len++] = byte;
}

void core_buf_append_str(core_buf_t *self, const char *s)
{
    core_buf_append(self, s, strlen(s));
}

void core_buf_printf(core_buf_t *self, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    core_buf_reserve(self, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(self->data + self->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    self->len += (size_t)n;
}

void core_buf_append_json_str(core_buf_t *self, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    core_buf_reserve(self, len + 2);
    core_buf_append_byte(self, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': core_buf_append(self, "\\\"", 2); break;
        case '\\': core_buf_append(self, "\\\\", 2); break;
        case '\n': core_buf_append(self, "\\n", 2); break;
        case '\r': core_buf_append(self, "\\r", 2); break;
        case '\t': core_buf_append(self, "\\t", 2); break;
        default:
            if (c < 0x20) {
                char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
                core_buf_append(self, esc, 6);
            } else {
                core_buf_append_byte(self, (char)c);
            }
        }
    }
    core_buf_append_byte(self, '"');
}

void core_buf_append_csv_field(core_buf_t *self, const char *s, size_t len)
{
    bool quote = len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
                             s[len - 1] == '\t');
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        core_buf_append(self, s, len);
        return;
    }
    core_buf_append_byte(self, '"');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            core_buf_append_byte(self, '"');
        core_buf_append_byte(self, s[i]);
    }
    core_buf_append_byte(self, '"');
}

void core_buf_reset(core_buf_t *self)
{
    self->len = 0;
}

void core_buf_clear(core_buf_t *self)
{
    free(self->data);
    self->data = NULL;
    self->len = 0;
    self->cap = 0;
}

const char *core_buf_cstr(core_buf_t *self)
{
    core_buf_reserve(self, 0);
    self->data[self->len] = '\0';
    return self->data;
}

int core_buf_read_file(core_buf_t *self, const char *path, size_t max, char *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        int e = errno;
        core_err_set(err, "%s: %s", path, strerror(e));
        return -e;
    }
    size_t start = self->len;
    int rc = 0;
    for (;;) {
        core_buf_reserve(self, 65536);
        size_t got = fread(self->data + self->len, 1, self->cap - self->len, f);
        self->len += got;
        if (max > 0 && self->len - start > max) {
            core_err_set(err, "%s: larger than %zu bytes", path, max);
            rc = -EFBIG;
            break;
        }
        if (got == 0)
            break;
    }
    if (rc == 0 && ferror(f)) {
        core_err_set(err, "%s: read error", path);
        rc = -EIO;
    }
    fclose(f);
    if (rc != 0)
        self->len = start;
    return rc;
}
