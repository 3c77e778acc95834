/* table.c -- key -> rule references, built once at load, read-only while scanning.
 *
 * DESIGN: add() only appends (key bytes, reference) pairs; finish() sorts them (key bytes, then
 * rule, variant, scope: deterministic whatever the add order), merges equal keys into groups
 * and drops repeated references, then indexes the groups with linear probing at load factor
 * <= 0.5. The matcher uses the groups in two ways: as the exact-lookup tables (HS prefixes,
 * countries, identifiers, sorted name tokens) and, for the literal classes, as the deduplicated
 * Hyperscan pattern array (pattern id = group index). qsort_r needs _GNU_SOURCE, which the
 * warnings target defines. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct screen__pending {
    uint32_t key_off;  /* into keys */
    uint32_t key_len;  /* bytes */
    screen__ref_t ref; /* reference */
};

void screen__table_init(screen__table_t *self)
{
    core_assert(self != NULL);
    memset(self, 0, sizeof(*self));
}

void screen__table_add(screen__table_t *self, const char *key, size_t len, screen__ref_t ref)
{
    core_assert(self != NULL);
    core_assert(self->slots == NULL); /* not after finish */
    core_assert(len < UINT32_MAX && self->keys_len + len < UINT32_MAX);
    if (self->keys_len + len > self->keys_cap) {
        size_t cap = self->keys_cap ? self->keys_cap : 4096;
        while (cap < self->keys_len + len)
            cap *= 2;
        self->keys = core_realloc(self->keys, cap);
        self->keys_cap = cap;
    }
    if (self->pending_len == self->pending_cap) {
        self->pending_cap = self->pending_cap ? self->pending_cap * 2 : 256;
        self->pending = core_realloc(self->pending, self->pending_cap * sizeof(*self->pending));
    }
    if (len)
        memcpy(self->keys + self->keys_len, key, len);
    self->pending[self->pending_len++] = (struct screen__pending){
        .key_off = (uint32_t)self->keys_len, .key_len = (uint32_t)len, .ref = ref};
    self->keys_len += len;
}

static int s_key_cmp(const char *keys, const struct screen__pending *a,
                     const struct screen__pending *b)
{
    size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
    int c = n ? memcmp(keys + a->key_off, keys + b->key_off, n) : 0;
    if (c != 0)
        return c;
    return a->key_len < b->key_len ? -1 : a->key_len > b->key_len ? 1 : 0;
}

static int s_pending_cmp(const void *pa, const void *pb, void *arg)
{
    const struct screen__pending *a = pa;
    const struct screen__pending *b = pb;
    int c = s_key_cmp(arg, a, b);
    if (c != 0)
        return c;
    if (a->ref.rule != b->ref.rule)
        return a->ref.rule < b->ref.rule ? -1 : 1;
    if (a->ref.variant != b->ref.variant)
        return a->ref.variant < b->ref.variant ? -1 : 1;
    if (a->ref.scope != b->ref.scope)
        return a->ref.scope < b->ref.scope ? -1 : 1;
    return 0;
}

static inline uint64_t s_hash(const char *key, size_t len)
{
    return core_hash64(key, len, 0x5eed5c4eULL);
}

void screen__table_finish(screen__table_t *self)
{
    core_assert(self != NULL);
    core_assert(self->slots == NULL);
    size_t n = self->pending_len;
    if (n > 1)
        qsort_r(self->pending, n, sizeof(*self->pending), s_pending_cmp, self->keys);

    self->refs = core_malloc((n ? n : 1) * sizeof(*self->refs));
    self->groups = core_malloc((n ? n : 1) * sizeof(*self->groups));
    self->ref_count = 0;
    self->group_count = 0;
    for (size_t i = 0; i < n; i++) {
        const struct screen__pending *p = &self->pending[i];
        bool new_key = i == 0 || s_key_cmp(self->keys, &self->pending[i - 1], p) != 0;
        if (new_key) {
            self->groups[self->group_count++] =
                (screen__group_t){.key_off = p->key_off,
                                  .key_len = p->key_len,
                                  .ref_first = (uint32_t)self->ref_count,
                                  .ref_count = 0,
                                  .scope = 0};
        } else if (s_pending_cmp(&self->pending[i - 1], p, self->keys) == 0) {
            continue; /* the same reference twice */
        }
        screen__group_t *g = &self->groups[self->group_count - 1];
        self->refs[self->ref_count++] = p->ref;
        g->ref_count++;
        g->scope |= p->ref.scope;
    }
    free(self->pending);
    self->pending = NULL;
    self->pending_len = self->pending_cap = 0;

    size_t slots = 16;
    while (slots < self->group_count * 2)
        slots *= 2;
    self->slots = core_calloc(slots, sizeof(*self->slots));
    self->slot_mask = slots - 1;
    for (size_t g = 0; g < self->group_count; g++) {
        const screen__group_t *grp = &self->groups[g];
        size_t at = (size_t)s_hash(self->keys + grp->key_off, grp->key_len) & self->slot_mask;
        while (self->slots[at] != 0)
            at = (at + 1) & self->slot_mask;
        self->slots[at] = (uint32_t)g + 1;
    }
}

const screen__group_t *screen__table_find(const screen__table_t *self, const char *key, size_t len)
{
    core_assert(self != NULL);
    if (self->group_count == 0)
        return NULL;
    size_t at = (size_t)s_hash(key, len) & self->slot_mask;
    for (;;) {
        uint32_t s = self->slots[at];
        if (s == 0)
            return NULL;
        const screen__group_t *g = &self->groups[s - 1];
        if (g->key_len == len && (len == 0 || memcmp(self->keys + g->key_off, key, len) == 0))
            return g;
        at = (at + 1) & self->slot_mask;
    }
}

void screen__table_clear(screen__table_t *self)
{
    if (self == NULL)
        return;
    free(self->keys);
    free(self->pending);
    free(self->refs);
    free(self->groups);
    free(self->slots);
    memset(self, 0, sizeof(*self));
}
