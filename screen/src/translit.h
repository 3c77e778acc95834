/* translit.h -- Latin forms of Greek, Cyrillic and Arabic letters for the normaliser (translit.c).
 *
 * Module-private (screen__ prefix). normalize.c calls screen__translit() for every non-ASCII
 * code point of U+0370..U+06FF, before its Unicode decomposition (so "й" is "y", not the "i"
 * that stripping its breve would leave), and again for the code points a compatibility
 * decomposition yields (Arabic presentation forms, polytonic Greek). One state per normalised
 * segment holds the little context the tables need. */
#ifndef SCREEN_TRANSLIT_H
#define SCREEN_TRANSLIT_H

#include <stddef.h>
#include <stdint.h>

/* First and one past the last code point that can be transliterated. */
#define SCREEN__TRANSLIT_FIRST 0x0370
#define SCREEN__TRANSLIT_END 0x0700

typedef struct {
    const char *src;   /* the segment being normalised (for the look-ahead and the scan) */
    size_t len;        /* its bytes */
    uint32_t prev_end; /* source offset one past the last transliterated character */
    int32_t prev_cp;   /* that character */
    int8_t slavic;     /* -1: not scanned yet; 0: Russian rules; 1: Ukrainian/Belarusian */
} screen__translit_t;

/* Starts a segment [src, src + len). */
static inline void screen__translit_begin(screen__translit_t *st, const char *src, size_t len)
{
    st->src = src;
    st->len = len;
    st->prev_end = UINT32_MAX;
    st->prev_cp = 0;
    st->slavic = -1;
}

/* Lower-case ASCII letters (NUL-terminated; "" for a letter written as nothing, such as the
 * Cyrillic soft sign) for the code point cp found at [start, end) of the segment, or NULL when
 * cp is not a Greek, Cyrillic or Arabic letter of the tables (the caller goes on as before). */
const char *screen__translit(screen__translit_t *st, int32_t cp, uint32_t start, uint32_t end);

#endif
