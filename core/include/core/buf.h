/* buf.h -- a growable byte buffer. A zeroed core_buf_t is an empty buffer.
 *
 * Appends may move data: pointers into a buffer are invalid after any append. */
#ifndef CORE_BUF_H
#define CORE_BUF_H

#include "core/core.h"

typedef struct {
    char *data; /* owned; NULL while cap == 0 */
    size_t len; /* bytes in use */
    size_t cap; /* bytes allocated */
} core_buf_t;

/* Makes room for at least 'extra' more bytes. */
void core_buf_reserve(core_buf_t *self, size_t extra);
void core_buf_append(core_buf_t *self, const void *data, size_t len);
void core_buf_append_byte(core_buf_t *self, char byte);
void core_buf_append_str(core_buf_t *self, const char *s);
void core_buf_printf(core_buf_t *self, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal (quotes and escapes included). */
void core_buf_append_json_str(core_buf_t *self, const char *s, size_t len);
/* Appends s as one RFC 4180 CSV field: quoted (inner quotes doubled) when it holds a comma, a
 * quote, CR or LF, or starts or ends with a space or tab (so that a trimming reader keeps
 * them); as it is otherwise. */
void core_buf_append_csv_field(core_buf_t *self, const char *s, size_t len);
/* Keeps the allocation, forgets the content. */
void core_buf_reset(core_buf_t *self);
/* Frees the allocation; the buffer is empty and reusable afterwards. */
void core_buf_clear(core_buf_t *self);
/* Appends the whole file at path. max > 0 refuses a file that grows past max bytes. Returns 0,
 * or a negative errno with "path: reason" in err: the open's errno, -EIO (read error) or
 * -EFBIG (over max). On error the buffer keeps what it held before. */
int core_buf_read_file(core_buf_t *self, const char *path, size_t max, char *err);
/* NUL-terminates (without counting the NUL in len) and returns data. */
const char *core_buf_cstr(core_buf_t *self);

#endif
