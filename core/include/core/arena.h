/* arena.h -- bump allocator for per-batch data: many small allocations, one reset.
 *
 * Memory stays allocated across core_arena_reset(), so a steady-state batch loop does not call
 * malloc. Not thread-safe: one owner. */
#ifndef CORE_ARENA_H
#define CORE_ARENA_H

#include "core/core.h"

typedef struct core_arena_chunk core_arena_chunk_t;

typedef struct {
    core_arena_chunk_t *head;    /* chunk being filled */
    core_arena_chunk_t *spare;   /* chunks kept by reset, reused before malloc */
    size_t chunk_size;           /* default chunk payload size */
} core_arena_t;

/* chunk_size 0 selects 64 KiB. */
void core_arena_init(core_arena_t *self, size_t chunk_size);
/* Returns 'size' bytes aligned to 16. Never NULL. */
void *core_arena_alloc(core_arena_t *self, size_t size);
/* Copies len bytes plus a NUL; returns the copy. */
char *core_arena_strndup(core_arena_t *self, const char *s, size_t len);
/* Frees nothing, makes all memory reusable. */
void core_arena_reset(core_arena_t *self);
/* Frees everything. */
void core_arena_clear(core_arena_t *self);

#endif
