/* str.h -- string views (pointer + length, not NUL-terminated) and UTF-8 validation. */
#ifndef CORE_STR_H
#define CORE_STR_H

#include <string.h>

#include "core/core.h"

typedef struct {
    const char *ptr; /* borrowed; may be NULL when len == 0 */
    uint32_t len;    /* bytes */
} core_str_t;

static inline core_str_t core_str_from(const char *s)
{
    core_str_t v = { s, s ? (uint32_t)strlen(s) : 0 };
    return v;
}

static inline bool core_str_eq(core_str_t a, core_str_t b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool core_str_eq_cstr(core_str_t a, const char *b)
{
    return core_str_eq(a, core_str_from(b));
}

/* True when [s, s+len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool core_utf8_valid(const char *s, size_t len);

/* 64-bit hash of bytes (FNV-1a folded with a mixer); stable across runs and machines. */
uint64_t core_hash64(const void *data, size_t len, uint64_t seed);

#endif
