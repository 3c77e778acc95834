/* idset.c -- the set of parcel_ids seen in one ingest run (duplicate detection).
 *
 * DESIGN: open addressing with linear probing over 64-bit hashes; the ids themselves are
 * copied into an arena so a hash collision never turns into a false "duplicate". Growth
 * doubles the table at 70% load, so inserting is amortised O(1) and allocates only when the
 * table or an arena chunk fills, never once per parcel.
 *
 * Unbounded (the default, and what file runs use) the set grows for the whole run: ids are
 * never forgotten (about 60 bytes per parcel with table slack). With a window of W ids
 * (ingest_idset_set_window, for endless streams from stdin or producers) the set keeps two
 * generations of at most W/2 ids each: new ids go into the current one, lookups see both,
 * and when the current one is full the older one is emptied and becomes the current one
 * (its table and arena chunks are reused, so memory stops growing once both have filled).
 * A duplicate is then found when it comes back within the last W/2 to W distinct ids. */
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

typedef struct {
    s_slot_t *slots;    /* table, 'mask + 1' entries */
    size_t mask;        /* table size - 1 (a power of two) */
    size_t used;        /* slots in use */
    core_arena_t arena; /* id bytes */
} s_gen_t;

struct ingest_idset {
    s_gen_t gen[2];    /* gen[cur] takes new ids; gen[!cur] is the older one (window only) */
    int cur;           /* index of the current generation */
    size_t window;     /* 0: unbounded; else at most window / 2 ids per generation */
    size_t accepted;   /* ids accepted (cumulative) */
    uint32_t next_tag; /* last tag handed out */
};

static void s_gen_init(s_gen_t *g)
{
    g->mask = 4096 - 1;
    g->slots = core_calloc(g->mask + 1, sizeof(*g->slots));
    g->used = 0;
    core_arena_init(&g->arena, (size_t)1024 * 1024);
}

static void s_gen_clear(s_gen_t *g)
{
    core_arena_clear(&g->arena);
    free(g->slots);
    g->slots = NULL;
}

ingest_idset_t *ingest_idset_new(void)
{
    ingest_idset_t *self = core_calloc(1, sizeof(*self));
    s_gen_init(&self->gen[0]);
    s_gen_init(&self->gen[1]);
    return self;
}

void ingest_idset_destroy(ingest_idset_t **self_p)
{
    core_assert(self_p != NULL);
    ingest_idset_t *self = *self_p;
    if (self == NULL)
        return;
    s_gen_clear(&self->gen[0]);
    s_gen_clear(&self->gen[1]);
    free(self);
    *self_p = NULL;
}

void ingest_idset_set_window(ingest_idset_t *self, size_t window)
{
    core_assert(self != NULL);
    self->window = window;
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

static s_slot_t *s_lookup(const s_gen_t *g, core_str_t id, uint64_t h)
{
    for (size_t i = (size_t)h & g->mask;; i = (i + 1) & g->mask) {
        s_slot_t *s = &g->slots[i];
        if (s->hash == 0)
            return s;
        if (s->hash == h && s->len == id.len && memcmp(s->ptr, id.ptr, id.len) == 0)
            return s;
    }
}

static void s_grow(s_gen_t *g)
{
    s_slot_t *old = g->slots;
    size_t old_size = g->mask + 1;
    g->mask = old_size * 2 - 1;
    g->slots = core_calloc(g->mask + 1, sizeof(*g->slots));
    for (size_t i = 0; i < old_size; i++) {
        if (old[i].hash == 0)
            continue;
        size_t j = (size_t)old[i].hash & g->mask;
        while (g->slots[j].hash != 0)
            j = (j + 1) & g->mask;
        g->slots[j] = old[i];
    }
    free(old);
}

/* With a window: once the current generation is full, empties the older one (keeping its
 * table and arena chunks) and makes it the current one. */
static void s_maybe_rotate(ingest_idset_t *self)
{
    if (self->window == 0)
        return;
    size_t per_gen = self->window / 2 ? self->window / 2 : 1;
    if (self->gen[self->cur].used < per_gen)
        return;
    self->cur = !self->cur;
    s_gen_t *g = &self->gen[self->cur];
    memset(g->slots, 0, (g->mask + 1) * sizeof(*g->slots));
    g->used = 0;
    core_arena_reset(&g->arena);
}

/* Fills the slot s_lookup() returned for id in the current generation: a new entry, or an
 * upgrade to accepted. 'was_accepted': the older generation has it accepted already. */
static void s_insert(ingest_idset_t *self, s_slot_t *s, core_str_t id, uint64_t h, uint32_t tag,
                     bool accepted, bool was_accepted)
{
    s_gen_t *g = &self->gen[self->cur];
    if (s->hash != 0) {
        if (accepted && !(s->tag & S_ACCEPTED)) {
            s->tag = tag | S_ACCEPTED;
            if (!was_accepted)
                self->accepted++;
        }
        return;
    }
    s->hash = h;
    s->ptr = id.len ? core_arena_strndup(&g->arena, id.ptr, id.len) : "";
    s->len = id.len;
    s->tag = tag | (accepted || was_accepted ? S_ACCEPTED : 0);
    g->used++;
    if (accepted && !was_accepted)
        self->accepted++;
    if (g->used * 10 > (g->mask + 1) * 7)
        s_grow(g);
    s_maybe_rotate(self);
}

/* The older generation's slot for id, or NULL (no window, or not there). */
static const s_slot_t *s_find_old(const ingest_idset_t *self, core_str_t id, uint64_t h)
{
    if (self->window == 0)
        return NULL;
    const s_slot_t *s = s_lookup(&self->gen[!self->cur], id, h);
    return s->hash != 0 ? s : NULL;
}

bool ingest__idset_find(const ingest_idset_t *self, core_str_t id, uint32_t *tag, bool *accepted)
{
    core_assert(self != NULL);
    uint64_t h = s_hash(id);
    const s_slot_t *s = s_lookup(&self->gen[self->cur], id, h);
    const s_slot_t *old = s_find_old(self, id, h);
    if (s->hash == 0) {
        if (old == NULL)
            return false;
        s = old;
    }
    *tag = s->tag & ~S_ACCEPTED;
    *accepted = (s->tag & S_ACCEPTED) != 0 || (old != NULL && (old->tag & S_ACCEPTED) != 0);
    return true;
}

int ingest__idset_accept(ingest_idset_t *self, core_str_t id, uint32_t tag)
{
    core_assert(self != NULL);
    uint64_t h = s_hash(id);
    s_slot_t *s = s_lookup(&self->gen[self->cur], id, h);
    if (s->hash != 0 && (s->tag & S_ACCEPTED))
        return -EEXIST;
    const s_slot_t *old = s_find_old(self, id, h);
    if (old != NULL && (old->tag & S_ACCEPTED))
        return -EEXIST;
    s_insert(self, s, id, h, tag, true, false);
    return 0;
}

void ingest__idset_put(ingest_idset_t *self, core_str_t id, uint32_t tag, bool accepted)
{
    core_assert(self != NULL);
    uint64_t h = s_hash(id);
    const s_slot_t *old = s_find_old(self, id, h);
    bool was_accepted = old != NULL && (old->tag & S_ACCEPTED);
    s_insert(self, s_lookup(&self->gen[self->cur], id, h), id, h, tag, accepted, was_accepted);
}
