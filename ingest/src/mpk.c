/* mpk.c -- MessagePack manifests: a stream of maps with the NDJSON keys.
 *
 * DESIGN: two passes over each record with proto_mpread_t (bounds-checked, no allocation;
 * never msgpack-c's unpacker, which allocates for a hostile count before reading a byte).
 * Pass one skips the whole value to find its end, checking every length and count against
 * the bytes buffered and the nesting against PROTO_MAX_DEPTH; only then pass two maps it to
 * proto_parcel_t with the field tables of fields.c. String views point into the buffer.
 *
 * A MessagePack stream has no record separator, so it cannot be resynchronised after bytes
 * that do not parse: a malformed or truncated value, one longer than INGEST__MAX_RECORD
 * that has not fully arrived, or a top-level value that is not a map ends the input with one
 * reject naming the byte offset. A complete map that fails validation (wrong type, missing
 * field, duplicate key) is rejected alone and the stream goes on after it.
 *
 * Streaming: counts are checked against the bytes buffered, so a value that does not parse yet
 * is judged only once S_WAIT_MAX bytes are buffered or the input has ended; before that the
 * reader asks for more input. S_WAIT_MAX is larger than INGEST__MAX_RECORD so that an
 * oversized but well-formed record up to that size is skipped alone, as in a file read
 * whole; beyond it, the reader stops instead of buffering what a header promises. */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "internal.h"
#include "proto/mpread.h"

#define S_WAIT_MAX (16 * INGEST__MAX_RECORD) /* bytes buffered before judging a value */

typedef struct {
    proto_mpread_t rd;      /* cursor over the record */
    proto_parcel_t *parcel; /* being filled */
    proto_item_t *items;    /* PROTO_MAX_ITEMS entries */
    char *err;              /* CORE_ERR_LEN */
} s_map_t;


static void s_path(char *out, size_t len, const char *parent, int item, const char *name)
{
    if (item >= 0)
        snprintf(out, len, "items[%d].%s", item, name);
    else if (parent)
        snprintf(out, len, "%s.%s", parent, name);
    else
        snprintf(out, len, "%s", name);
}

static int s_wrong(s_map_t *m, const char *parent, int item, const char *name, const char *want,
                   proto_mp_type_t got)
{
    char path[96];
    s_path(path, sizeof(path), parent, item, name);
    core_err_set(m->err, "field '%s' is not %s (got %s)", path, want, proto_mp_type_name(got));
    return -EINVAL;
}

/* Pass one checked the structure, so a failure here means the checks disagree: treat the
 * record as garbage rather than trust it. */
static int s_next(s_map_t *m, proto_mp_value_t *v)
{
    if (proto_mpread_next(&m->rd, v) != 0) {
        core_err_set(m->err, "malformed MessagePack at byte %zu of the record", m->rd.pos);
        return -EPROTO;
    }
    return 0;
}

static int s_map(s_map_t *m, uint32_t pairs, const ingest__table_t *table, void *obj,
                 const char *parent, int item);

static int s_items(s_map_t *m, uint32_t count)
{
    if (count > PROTO_MAX_ITEMS) {
        core_err_set(m->err, "more than %d items", PROTO_MAX_ITEMS);
        return -EINVAL;
    }
    for (uint32_t i = 0; i < count; i++) {
        proto_mp_value_t v;
        int rc = s_next(m, &v);
        if (rc != 0)
            return rc;
        if (v.type != PROTO_MP_MAP) {
            core_err_set(m->err, "field 'items[%u]' is not a map (got %s)", i, proto_mp_type_name(v.type));
            return -EINVAL;
        }
        ingest__item_init(&m->items[i]);
        if ((rc = s_map(m, v.v.count, &ingest__item_table, &m->items[i], NULL, (int)i)) != 0)
            return rc;
    }
    m->parcel->items = m->items;
    m->parcel->item_count = count;
    return 0;
}

static int s_u32(s_map_t *m, const proto_mp_value_t *v, void *at, const char *parent, int item,
                 const char *name)
{
    double x;
    switch (v->type) {
    case PROTO_MP_NIL:
        return 0;
    case PROTO_MP_UINT:
        x = v->v.u > UINT32_MAX ? -1 : (double)v->v.u;
        break;
    case PROTO_MP_INT:
        x = (double)v->v.i;
        break;
    case PROTO_MP_FLOAT:
        x = v->v.f;
        break;
    default:
        return s_wrong(m, parent, item, name, "an integer", v->type);
    }
    if (!(x >= 0 && x <= UINT32_MAX) || x != floor(x)) {
        char path[96];
        s_path(path, sizeof(path), parent, item, name);
        core_err_set(m->err, "field '%s' is not an integer in 0..%u", path, UINT32_MAX);
        return -EINVAL;
    }
    uint32_t u = (uint32_t)x;
    memcpy(at, &u, sizeof(u));
    return 0;
}

/* Reads the value of field f (its header is v) into obj. */
static int s_field(s_map_t *m, const ingest__field_t *f, void *obj, const proto_mp_value_t *v,
                   const char *parent, int item)
{
    char *at = (char *)obj + f->offset;
    switch ((ingest__kind_t)f->kind) {
    case INGEST__F_STR:
        if (v->type == PROTO_MP_STR)
            memcpy(at, &v->v.str, sizeof(core_str_t));
        else if (v->type != PROTO_MP_NIL)
            return s_wrong(m, parent, item, f->name, "a string", v->type);
        return 0;
    case INGEST__F_NUM: {
        double x;
        if (v->type == PROTO_MP_FLOAT)
            x = v->v.f;
        else if (v->type == PROTO_MP_UINT)
            x = (double)v->v.u;
        else if (v->type == PROTO_MP_INT)
            x = (double)v->v.i;
        else if (v->type == PROTO_MP_NIL)
            x = NAN;
        else
            return s_wrong(m, parent, item, f->name, "a number", v->type);
        memcpy(at, &x, sizeof(x));
        return 0;
    }
    case INGEST__F_U32:
        return s_u32(m, v, at, parent, item, f->name);
    case INGEST__F_PARTY:
        if (v->type == PROTO_MP_MAP)
            return s_map(m, v->v.count, &ingest__party_table, at, f->name, -1);
        if (v->type != PROTO_MP_NIL)
            return s_wrong(m, parent, item, f->name, "a map", v->type);
        return 0;
    case INGEST__F_SELLER:
        if (v->type == PROTO_MP_MAP) {
            m->parcel->has_seller = true;
            return s_map(m, v->v.count, &ingest__seller_table, at, f->name, -1);
        }
        if (v->type != PROTO_MP_NIL)
            return s_wrong(m, parent, item, f->name, "a map or nil", v->type);
        return 0;
    case INGEST__F_ITEMS:
        if (v->type == PROTO_MP_ARRAY)
            return s_items(m, v->v.count);
        if (v->type != PROTO_MP_NIL)
            return s_wrong(m, parent, item, f->name, "an array", v->type);
        return 0;
    }
    return -EINVAL;
}

/* Reads 'pairs' key/value pairs of a map whose header was just read. */
static int s_map(s_map_t *m, uint32_t pairs, const ingest__table_t *table, void *obj,
                 const char *parent, int item)
{
    uint64_t seen = 0;
    for (uint32_t i = 0; i < pairs; i++) {
        proto_mp_value_t key;
        int rc = s_next(m, &key);
        if (rc != 0)
            return rc;
        if (key.type != PROTO_MP_STR) {
            core_err_set(m->err, "a map key is not a string (got %s)", proto_mp_type_name(key.type));
            return -EINVAL;
        }
        int idx = ingest__table_find(table, key.v.str.ptr, key.v.str.len);
        if (idx < 0) {
            if (proto_mpread_skip(&m->rd, PROTO_MAX_DEPTH) != 0) {
                core_err_set(m->err, "malformed MessagePack at byte %zu of the record", m->rd.pos);
                return -EPROTO;
            }
            continue;
        }
        const ingest__field_t *f = &table->fields[idx];
        if (seen & (1ULL << idx)) {
            char path[96];
            s_path(path, sizeof(path), parent, item, f->name);
            core_err_set(m->err, "duplicate key '%s'", path);
            return -EINVAL;
        }
        seen |= 1ULL << idx;
        proto_mp_value_t v;
        if ((rc = s_next(m, &v)) != 0)
            return rc;
        if ((rc = s_field(m, f, obj, &v, parent, item)) != 0)
            return rc;
    }
    return 0;
}

int ingest__mpk_parse(const void *data, size_t len, proto_parcel_t *parcel, proto_item_t *items,
                      char *err)
{
    core_assert(parcel != NULL && items != NULL);
    s_map_t m;
    proto_mpread_init(&m.rd, data, len);
    m.parcel = parcel;
    m.items = items;
    m.err = err;
    proto_parcel_init(parcel);

    proto_mp_value_t v;
    int rc = s_next(&m, &v);
    if (rc != 0)
        return rc;
    if (v.type != PROTO_MP_MAP) {
        core_err_set(err, "record is not a map (got %s)", proto_mp_type_name(v.type));
        return -EPROTO;
    }
    return s_map(&m, v.v.count, &ingest__parcel_table, parcel, NULL, -1);
}

int ingest__mpk_next(ingest_reader_t *self, proto_parcel_t *parcel)
{
    size_t avail = self->len - self->pos;
    if (avail == 0)
        return self->eof ? INGEST_READ_END : -EAGAIN;
    const char *rec = self->buf + self->pos;
    uint64_t off = self->base + self->pos;
    proto_mpread_t rd;
    proto_mpread_init(&rd, rec, avail);
    int rc = proto_mpread_skip(&rd, PROTO_MAX_DEPTH);
    if (rc != 0) {
        if (!self->eof && avail <= S_WAIT_MAX)
            return -EAGAIN;
        self->stopped = true;
        self->pos = self->len;
        if (rc == -EAGAIN && avail > INGEST__MAX_RECORD)
            return ingest__reject(self, off, "record longer than %d bytes; input stopped",
                                  PROTO_MAX_RECORD_BYTES);
        if (rc == -EAGAIN)
            return ingest__reject(self, off, "truncated MessagePack value; input stopped");
        return ingest__reject(self, off,
                              "malformed MessagePack (or nesting deeper than %d); input stopped",
                              PROTO_MAX_DEPTH);
    }
    size_t size = rd.pos;
    self->pos += size;
    if (size > INGEST__MAX_RECORD)
        return ingest__reject(self, off, "record longer than %d bytes", PROTO_MAX_RECORD_BYTES);
    char err[CORE_ERR_LEN];
    rc = ingest__mpk_parse(rec, size, parcel, self->items, err);
    if (rc == -EPROTO) {
        self->stopped = true;
        self->pos = self->len;
        return ingest__reject(self, off, "%s; input stopped", err);
    }
    if (rc != 0)
        return ingest__reject_record(self, off, parcel, err);
    return ingest__accept(self, parcel, off, false);
}
