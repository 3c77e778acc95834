/* arena.c -- bump allocator with chunk reuse. */
#include "core/arena.h"

#include <stdlib.h>
#include <string.h>

struct core_arena_chunk {
    core_arena_chunk_t *next; /* older chunk in the list */
    size_t size;              /* payload bytes */
    size_t used;              /* payload bytes handed out */
    _Alignas(16) unsigned char data[];
};

void core_arena_init(core_arena_t *self, size_t chunk_size)
{
    core_assert(self != NULL);
    self->head = NULL;
    self->spare = NULL;
    self->chunk_size = chunk_size ? chunk_size : 64 * 1024;
}

static core_arena_chunk_t *s_chunk_new(core_arena_t *self, size_t need)
{
    /* Reuse a spare chunk that is large enough before asking malloc. */
    for (core_arena_chunk_t **pp = &self->spare; *pp; pp = &(*pp)->next) {
        if ((*pp)->size >= need) {
            core_arena_chunk_t *c = *pp;
            *pp = c->next;
            c->used = 0;
            return c;
        }
    }
    size_t size = need > self->chunk_size ? need : self->chunk_size;
    core_arena_chunk_t *c = core_malloc(sizeof(*c) + size);
    c->size = size;
    c->used = 0;
    return c;
}

void *core_arena_alloc(core_arena_t *self, size_t size)
{
    core_assert(self != NULL);
    size = (size + 15) & ~(size_t)15;
    core_arena_chunk_t *c = self->head;
    if (c == NULL || c->size - c->used < size) {
        c = s_chunk_new(self, size);
        c->next = self->head;
        self->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;
}

char *core_arena_strndup(core_arena_t *self, const char *s, size_t len)
{
    char *p = core_arena_alloc(self, len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void core_arena_reset(core_arena_t *self)
{
    while (self->head) {
        core_arena_chunk_t *c = self->head;
        self->head = c->next;
        c->next = self->spare;
        self->spare = c;
    }
}

static void s_free_list(core_arena_chunk_t *c)
{
    while (c) {
        core_arena_chunk_t *next = c->next;
        free(c);
        c = next;
    }
}

void core_arena_clear(core_arena_t *self)
{
    s_free_list(self->head);
    s_free_list(self->spare);
    self->head = NULL;
    self->spare = NULL;
}
