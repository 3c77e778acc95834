/* feed.c -- a paced NDJSON feed: 'parcelscreen run --input - --format ndjson' reads it.
 *
 * DESIGN: the manifest is loaded once and split into lines; each line remembers where its
 * parcel_id value ends, so pass k > 0 can insert "-r<k>" there and every parcel stays new to
 * ingest's duplicate check over any number of passes. Lines are written in chunks of at most
 * 64 KiB; before each chunk the writer sleeps until the chunk is due (line i is due at
 * i / rate seconds), so the offered rate is exact on average and a slow reader shows up as a
 * lower achieved rate (the pipe blocks). With rate 0 the writer only waits for the pipe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchmicro/micro.h"
#include "internal.h"

typedef struct {
    uint32_t start;  /* offset of the line in data */
    uint32_t len;    /* bytes without the newline */
    uint32_t id_end; /* offset within the line of the parcel_id's closing quote, 0 = none */
} feed_line_t;

struct bench__feed {
    char *data;         /* the manifest */
    size_t len;         /* bytes */
    feed_line_t *lines; /* non-empty lines */
    size_t count;       /* entries in lines */
    size_t next;        /* the next line to write; runs continue where the last one stopped */
    uint64_t pass;      /* passes over the manifest completed (the id suffix) */
};

/* Where the string value of "parcel_id" ends in the line (its closing quote), or 0. */
static uint32_t s_id_end(const char *line, size_t len)
{
    static const char key[] = "\"parcel_id\"";
    const char *end = line + len;
    const char *p = memmem(line, len, key, sizeof(key) - 1);
    if (p == NULL)
        return 0;
    p += sizeof(key) - 1;
    while (p < end && (*p == ' ' || *p == ':'))
        p++;
    if (p >= end || *p != '"')
        return 0;
    for (p++; p < end; p++) {
        if (*p == '\\') {
            p++;
            continue;
        }
        if (*p == '"')
            return (uint32_t)(p - line);
    }
    return 0;
}

bench__feed_t *bench__feed_new(const char *ndjson_path, char *err)
{
    size_t len = 0;
    char *data = bench_read_file(ndjson_path, &len, err);
    if (data == NULL)
        return NULL;
    if (len > UINT32_MAX) {
        core_err_set(err, "%s: over 4 GiB, too large to feed", ndjson_path);
        free(data);
        return NULL;
    }
    bench__feed_t *self = core_calloc(1, sizeof(*self));
    self->data = data;
    self->len = len;
    size_t cap = 0;
    size_t off = 0;
    while (off < len) {
        const char *nl = memchr(data + off, '\n', len - off);
        size_t line_len = nl ? (size_t)(nl - (data + off)) : len - off;
        if (line_len > 0) {
            if (self->count == cap) {
                cap = cap ? cap * 2 : 4096;
                self->lines = core_realloc(self->lines, cap * sizeof(*self->lines));
            }
            feed_line_t *l = &self->lines[self->count++];
            l->start = (uint32_t)off;
            l->len = (uint32_t)line_len;
            l->id_end = s_id_end(data + off, line_len);
        }
        off += line_len + 1;
    }
    if (self->count == 0) {
        core_err_set(err, "%s: no lines", ndjson_path);
        bench__feed_destroy(&self);
        return NULL;
    }
    return self;
}

void bench__feed_destroy(bench__feed_t **self_p)
{
    core_assert(self_p != NULL);
    bench__feed_t *self = *self_p;
    if (self == NULL)
        return;
    free(self->data);
    free(self->lines);
    free(self);
    *self_p = NULL;
}

size_t bench__feed_lines(const bench__feed_t *self)
{
    return self->count;
}

static int s_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static void s_sleep_until(double t)
{
    double now = bench_now_s();
    if (t <= now)
        return;
    double d = t - now;
    struct timespec ts = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int bench__feed_run(bench__feed_t *self, int fd, double rate, uint64_t parcels, double seconds,
                    bench__feed_stats_t *out)
{
    core_assert(self != NULL);
    memset(out, 0, sizeof(*out));
    core_buf_t chunk = {0};
    /* Lines per chunk: about 5 ms of the offered rate, at least 1, at most 64 KiB of bytes. */
    size_t per_chunk = rate > 0 ? (size_t)(rate * 0.005) : 4096;
    if (per_chunk == 0)
        per_chunk = 1;
    double t0 = bench_now_s();
    uint64_t sent = 0;
    uint64_t pass = self->pass;
    size_t next = self->next;
    int rc = 0;
    for (;;) {
        if (parcels && sent >= parcels)
            break;
        if (seconds > 0 && bench_now_s() - t0 >= seconds)
            break;
        core_buf_reset(&chunk);
        size_t in_chunk = 0;
        while (in_chunk < per_chunk && chunk.len < 65536 &&
               !(parcels && sent + in_chunk >= parcels)) {
            const feed_line_t *l = &self->lines[next];
            const char *line = self->data + l->start;
            if (pass > 0 && l->id_end > 0) {
                core_buf_append(&chunk, line, l->id_end);
                core_buf_printf(&chunk, "-r%llu", (unsigned long long)pass);
                core_buf_append(&chunk, line + l->id_end, l->len - l->id_end);
            } else {
                core_buf_append(&chunk, line, l->len);
            }
            core_buf_append_byte(&chunk, '\n');
            in_chunk++;
            if (++next == self->count) {
                next = 0;
                pass++;
            }
        }
        if (rate > 0)
            s_sleep_until(t0 + (double)sent / rate);
        rc = s_write_all(fd, chunk.data, chunk.len);
        if (rc != 0)
            break;
        sent += in_chunk;
        out->bytes += chunk.len;
    }
    self->next = next;
    self->pass = pass;
    out->parcels = sent;
    out->seconds = bench_now_s() - t0;
    core_buf_clear(&chunk);
    return rc;
}
