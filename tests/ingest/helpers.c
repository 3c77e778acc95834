/* helpers.c -- shared test helpers for test_ingest (see helpers.h). */
#include "helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

static core_str_t s_dup(core_arena_t *arena, core_str_t s)
{
    core_str_t out = {core_arena_strndup(arena, s.ptr ? s.ptr : "", s.len), s.len};
    return out;
}

static void s_dup_party(core_arena_t *a, proto_party_t *p)
{
    p->name = s_dup(a, p->name);
    p->address = s_dup(a, p->address);
    p->city = s_dup(a, p->city);
    p->postcode = s_dup(a, p->postcode);
    p->country = s_dup(a, p->country);
    p->phone = s_dup(a, p->phone);
    p->email = s_dup(a, p->email);
    p->tax_id = s_dup(a, p->tax_id);
}

static void s_copy_parcel(core_arena_t *a, const proto_parcel_t *src, proto_parcel_t *dst)
{
    *dst = *src;
    dst->parcel_id = s_dup(a, src->parcel_id);
    dst->item_id = s_dup(a, src->item_id);
    dst->manifest_ref = s_dup(a, src->manifest_ref);
    dst->master_ref = s_dup(a, src->master_ref);
    dst->house_ref = s_dup(a, src->house_ref);
    dst->order_ref = s_dup(a, src->order_ref);
    dst->mail_class = s_dup(a, src->mail_class);
    dst->category_of_item = s_dup(a, src->category_of_item);
    s_dup_party(a, &dst->sender);
    s_dup_party(a, &dst->recipient);
    dst->seller.name = s_dup(a, src->seller.name);
    dst->seller.marketplace = s_dup(a, src->seller.marketplace);
    dst->seller.seller_id = s_dup(a, src->seller.seller_id);
    dst->origin_country = s_dup(a, src->origin_country);
    dst->dispatch_country = s_dup(a, src->dispatch_country);
    dst->destination_country = s_dup(a, src->destination_country);
    dst->posting_datetime = s_dup(a, src->posting_datetime);
    dst->expected_arrival = s_dup(a, src->expected_arrival);
    dst->office_of_entry = s_dup(a, src->office_of_entry);
    dst->currency = s_dup(a, src->currency);
    dst->items = core_arena_alloc(a, (src->item_count + 1) * sizeof(*dst->items));
    for (uint32_t i = 0; i < src->item_count; i++) {
        proto_item_t *it = &dst->items[i];
        *it = src->items[i];
        it->description = s_dup(a, it->description);
        it->hs_code = s_dup(a, it->hs_code);
        it->origin_country = s_dup(a, it->origin_country);
        it->sku = s_dup(a, it->sku);
        it->unit = s_dup(a, it->unit);
    }
}

static void s_grow(th_result_t *res)
{
    if (res->n_records + 1 < res->cap)
        return;
    res->cap = res->cap ? res->cap * 2 : 64;
    res->parcels = realloc(res->parcels, res->cap * sizeof(*res->parcels));
    res->rejects = realloc(res->rejects, res->cap * sizeof(*res->rejects));
    res->order = realloc(res->order, res->cap + 1);
    cr_assert(res->parcels && res->rejects && res->order);
}

/* Takes every record the reader can give now. Returns true at END. */
static bool s_drain(th_result_t *res, ingest_reader_t *r)
{
    for (;;) {
        proto_parcel_t p;
        int rc = ingest_reader_next(r, &p);
        if (rc == -EAGAIN)
            return false;
        if (rc == INGEST_READ_END)
            return true;
        s_grow(res);
        if (rc == INGEST_READ_PARCEL) {
            s_copy_parcel(&res->arena, &p, &res->parcels[res->n_parcels++]);
            res->order[res->n_records++] = 'P';
        } else {
            cr_assert_eq(rc, INGEST_READ_REJECT);
            const char *why = ingest_reader_reason(r);
            res->rejects[res->n_rejects++] = core_arena_strndup(&res->arena, why, strlen(why));
            res->order[res->n_records++] = 'R';
        }
        res->order[res->n_records] = '\0';
    }
}

static void s_init(th_result_t *res)
{
    memset(res, 0, sizeof(*res));
    core_arena_init(&res->arena, 0);
    s_grow(res);
    res->order[0] = '\0';
}

void th_read(th_result_t *res, ingest_format_t format, const void *data, size_t len, size_t chunk,
             ingest_idset_t *ids)
{
    s_init(res);
    ingest_reader_t *r = ingest_reader_new(format, "test", ids);
    size_t off = 0;
    if (chunk == 0)
        chunk = len ? len : 1;
    bool ended = false;
    while (off < len && !ended) {
        size_t n = len - off < chunk ? len - off : chunk;
        ingest_reader_feed(r, (const char *)data + off, n);
        off += n;
        ended = s_drain(res, r); /* early only when the input was stopped */
    }
    res->stopped_early = ended;
    ingest_reader_finish(r);
    cr_assert_eq(s_drain(res, r), true, "no END after finish");
    cr_assert_eq(ingest_reader_records(r), res->n_records);
    cr_assert_eq(ingest_reader_rejects(r), res->n_rejects);
    ingest_reader_destroy(&r);
    cr_assert_null(r);
}

void th_read_str(th_result_t *res, ingest_format_t format, const char *text, size_t chunk)
{
    th_read(res, format, text, strlen(text), chunk, NULL);
}

void th_read_file(th_result_t *res, ingest_format_t format, const char *path, ingest_idset_t *ids)
{
    s_init(res);
    int fd = open(path, O_RDONLY);
    cr_assert(fd >= 0, "open %s: %s", path, strerror(errno));
    ingest_reader_t *r = ingest_reader_new(format, path, ids);
    for (;;) {
        if (s_drain(res, r))
            break;
        ssize_t n = ingest_reader_read_fd(r, fd);
        cr_assert(n >= 0, "read: %s", strerror((int)-n));
    }
    close(fd);
    ingest_reader_destroy(&r);
}

void th_result_clear(th_result_t *res)
{
    core_arena_clear(&res->arena);
    free(res->parcels);
    free(res->rejects);
    free(res->order);
    memset(res, 0, sizeof(*res));
}

bool th_eq(core_str_t v, const char *s)
{
    return v.len == strlen(s) && (v.len == 0 || memcmp(v.ptr, s, v.len) == 0);
}

const proto_parcel_t *th_find(const th_result_t *res, const char *parcel_id)
{
    for (size_t i = 0; i < res->n_parcels; i++) {
        if (th_eq(res->parcels[i].parcel_id, parcel_id))
            return &res->parcels[i];
    }
    return NULL;
}

int th_reject_index(const th_result_t *res, const char *needle)
{
    for (size_t i = 0; i < res->n_rejects; i++) {
        if (strstr(res->rejects[i], needle))
            return (int)i;
    }
    return -1;
}

size_t th_slurp(const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "open %s: %s", path, strerror(errno));
    core_buf_t b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
        core_buf_append(&b, tmp, n);
    fclose(f);
    core_buf_append_byte(&b, '\0');
    *out = b.data;
    return b.len - 1;
}

char *th_tmpdir(void)
{
    char *dir = strdup("/tmp/test_ingest.XXXXXX");
    cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
    return dir;
}

char *th_write(const char *dir, const char *name, const void *data, size_t len)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "create %s: %s", path, strerror(errno));
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

void th_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* ============ MessagePack writer ============ */

static void s_be(core_buf_t *b, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        core_buf_append_byte(b, (char)((v >> (8 * i)) & 0xff));
}

void th_mp_map(core_buf_t *b, uint32_t pairs)
{
    if (pairs < 16) {
        core_buf_append_byte(b, (char)(0x80 | pairs));
    } else if (pairs <= 0xffff) {
        core_buf_append_byte(b, (char)0xde);
        s_be(b, pairs, 2);
    } else {
        core_buf_append_byte(b, (char)0xdf);
        s_be(b, pairs, 4);
    }
}

void th_mp_array(core_buf_t *b, uint32_t count)
{
    if (count < 16) {
        core_buf_append_byte(b, (char)(0x90 | count));
    } else if (count <= 0xffff) {
        core_buf_append_byte(b, (char)0xdc);
        s_be(b, count, 2);
    } else {
        core_buf_append_byte(b, (char)0xdd);
        s_be(b, count, 4);
    }
}

void th_mp_strn(core_buf_t *b, const char *s, size_t len)
{
    if (len < 32) {
        core_buf_append_byte(b, (char)(0xa0 | len));
    } else if (len <= 0xff) {
        core_buf_append_byte(b, (char)0xd9);
        s_be(b, len, 1);
    } else if (len <= 0xffff) {
        core_buf_append_byte(b, (char)0xda);
        s_be(b, len, 2);
    } else {
        core_buf_append_byte(b, (char)0xdb);
        s_be(b, len, 4);
    }
    core_buf_append(b, s, len);
}

void th_mp_str(core_buf_t *b, const char *s)
{
    th_mp_strn(b, s, strlen(s));
}

void th_mp_bin(core_buf_t *b, const void *s, size_t len)
{
    core_buf_append_byte(b, (char)0xc4);
    s_be(b, len, 1);
    core_buf_append(b, s, len);
}

void th_mp_uint(core_buf_t *b, uint64_t v)
{
    if (v < 128) {
        core_buf_append_byte(b, (char)v);
    } else {
        core_buf_append_byte(b, (char)0xcf);
        s_be(b, v, 8);
    }
}

void th_mp_double(core_buf_t *b, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    core_buf_append_byte(b, (char)0xcb);
    s_be(b, bits, 8);
}

void th_mp_nil(core_buf_t *b)
{
    core_buf_append_byte(b, (char)0xc0);
}

void th_mp_parcel(core_buf_t *b, const char *parcel_id, const char *sender, uint32_t items)
{
    th_mp_map(b, 3);
    th_mp_str(b, "parcel_id");
    th_mp_str(b, parcel_id);
    th_mp_str(b, "sender");
    th_mp_map(b, 1);
    th_mp_str(b, "name");
    th_mp_str(b, sender);
    th_mp_str(b, "items");
    th_mp_array(b, items);
    for (uint32_t i = 0; i < items; i++) {
        th_mp_map(b, 3);
        th_mp_str(b, "line_no");
        th_mp_uint(b, i + 1);
        th_mp_str(b, "description");
        th_mp_str(b, "cotton T-shirt");
        th_mp_str(b, "hs_code");
        th_mp_str(b, "610910");
    }
}
