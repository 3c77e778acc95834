/* idset.c -- the set of parcel_ids seen in one ingest run (duplicate detection).
 *
 * DESIGN: open addressing with linear probing over 64-bit hashes; the ids themselves are
 * copied into an arena so a hash collision never turns into a false "duplicate". Growth
 * doubles the table at 70% load, so inserting is amortised O(1) and allocates only when the
 * table or an arena chunk fills, never once per parcel. The set grows for the whole run: ids
 * are never forgotten (about 40 bytes per parcel). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "internal.h"

typedef struct {
    uint64_t hash;   /* core_hash64 of the id; 0 marks an empty slot */
    const char *ptr; /* id bytes, in the arena */
    uint32_t len;    /* id length */
    uint32_t tag;    /* reader that added it; top bit set when the record was accepted */
} s_slot_t;

#define S_ACCEPTED 0x80000000u

struct ingest_idset {
    s_slot_t *slots;    /* table, 'mask + 1' entries */
    size_t mask;        /* table size - 1 (a power of two) */
    size_t used;        /* slots in use */
    size_t accepted;    /* ids accepted */
    uint32_t next_tag;  /* last tag handed out */
    core_arena_t arena; /* id bytes */
};

ingest_idset_t *ingest_idset_new(void)
{
    ingest_idset_t *self = core_calloc(1, sizeof(*self));
    self->mask = 4096 - 1;
    self->slots = core_calloc(self->mask + 1, sizeof(*self->slots));
    core_arena_init(&self->arena, (size_t)1024 * 1024);
    return self;
}

void ingest_idset_destroy(ingest_idset_t **self_p)
{
    core_assert(self_p != NULL);
    ingest_idset_t *self = *self_p;
    if (self == NULL)
        return;
    core_arena_clear(&self->arena);
    free(self->slots);
    free(self);
    *self_p = NULL;
}

size_t ingest_idset_size(const ingest_idset_t *self)
{
    core_assert(self != NULL);
    return self->accepted;
}

uint32_t ingest__idset_new_tag(ingest_idset_t *self)
{
    core_assert(self != NULL);
    self->next_tag = (self->next_tag + 1) & ~S_ACCEPTED;
    return self->next_tag;
}

static inline uint64_t s_hash(core_str_t id)
{
    uint64_t h = core_hash64(id.ptr, id.len, 0x9e3779b97f4a7c15ULL);
    return h ? h : 1;
}

static s_slot_t *s_lookup(const ingest_idset_t *self, core_str_t id, uint64_t h)
{
    for (size_t i = (size_t)h & self->mask;; i = (i + 1) & self->mask) {
        s_slot_t *s = &self->slots[i];
        if (s->hash == 0)
            return s;
        if (s->hash == h && s->len == id.len && memcmp(s->ptr, id.ptr, id.len) == 0)
            return s;
    }
}

static void s_grow(ingest_idset_t *self)
{
    s_slot_t *old = self->slots;
    size_t old_size = self->mask + 1;
    self->mask = old_size * 2 - 1;
    self->slots = core_calloc(self->mask + 1, sizeof(*self->slots));
    for (size_t i = 0; i < old_size; i++) {
        if (old[i].hash == 0)
            continue;
        size_t j = (size_t)old[i].hash & self->mask;
        while (self->slots[j].hash != 0)
            j = (j + 1) & self->mask;
        self->slots[j] = old[i];
    }
    free(old);
}

/* Fills the slot s_lookup() returned for id: a new entry, or an upgrade to accepted. */
static void s_insert(ingest_idset_t *self, s_slot_t *s, core_str_t id, uint64_t h, uint32_t tag,
                     bool accepted)
{
    if (s->hash != 0) {
        if (accepted && !(s->tag & S_ACCEPTED)) {
            s->tag = tag | S_ACCEPTED;
            self->accepted++;
        }
        return;
    }
    s->hash = h;
    s->ptr = id.len ? core_arena_strndup(&self->arena, id.ptr, id.len) : "";
    s->len = id.len;
    s->tag = tag | (accepted ? S_ACCEPTED : 0);
    self->used++;
    if (accepted)
        self->accepted++;
    if (self->used * 10 > (self->mask + 1) * 7)
        s_grow(self);
}

bool ingest__idset_find(const ingest_idset_t *self, core_str_t id, uint32_t *tag, bool *accepted)
{
    core_assert(self != NULL);
    const s_slot_t *s = s_lookup(self, id, s_hash(id));
    if (s->hash == 0)
        return false;
    *tag = s->tag & ~S_ACCEPTED;
    *accepted = (s->tag & S_ACCEPTED) != 0;
    return true;
}

int ingest__idset_accept(ingest_idset_t *self, core_str_t id, uint32_t tag)
{
    core_assert(self != NULL);
    uint64_t h = s_hash(id);
    s_slot_t *s = s_lookup(self, id, h);
    if (s->hash != 0 && (s->tag & S_ACCEPTED))
        return -EEXIST;
    s_insert(self, s, id, h, tag, true);
    return 0;
}

void ingest__idset_put(ingest_idset_t *self, core_str_t id, uint32_t tag, bool accepted)
{
    core_assert(self != NULL);
    uint64_t h = s_hash(id);
    s_insert(self, s_lookup(self, id, h), id, h, tag, accepted);
}
