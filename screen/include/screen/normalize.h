/* normalize.h -- text normalisation for watchlist matching, with a map back to the source.
 *
 * Both sides of a comparison (watchlist patterns at load, parcel fields at scan) go through the
 * same function, so equal meaning gives equal bytes:
 *   - compatibility decomposition (NFKD: "ﬁ" -> "fi", full-width "Ａ" -> "A"), case fold,
 *     combining marks stripped ("Müller" -> "muller", "José" -> "jose"); a few Latin letters
 *     without a decomposition are transliterated ("ø" -> "o", "ł" -> "l", "æ" -> "ae");
 *   - every character that is not a letter or a decimal digit is a separator; a run of
 *     separators becomes one space; no space at either end;
 *   - Cyrillic, Greek and Arabic letters are romanised (screen/src/translit.c: "Янукович" ->
 *     "yanukovych" in a Ukrainian field, "yanukovich" in a Russian one; "Σοφία" -> "sofia";
 *     "علي" -> "ali"), so names in the original script meet the lists' romanised entries;
 *   - Han/kana ideographs are tokens of their own (CJK text has no spaces between words);
 *   - NAME mode writes y as i ("Yuriy" and "Iurii" are one name: romanisations swap them),
 *     joins runs of single ASCII letters ("J. P." -> "jp", "S.A." -> "sa") and
 *     drops legal-form words (ltd, llc, co, gmbh, ...) and honorifics (mr, dr, sheikh, ...) as
 *     whole tokens. If that leaves nothing, the TEXT-mode result is used instead.
 * Plain ASCII takes a table-driven fast path; utf8proc is called only for non-ASCII characters.
 * Invalid UTF-8 bytes are separators.
 *
 * For every output byte the map holds the source character's byte range, so a match [s, e) in
 * the normalised text is [src_start[s], src_end[e - 1]) in the source.
 *
 * Pure functions; a screen_norm_t is one thread's reusable buffer (no allocation once it has
 * grown to the largest field seen). */
#ifndef SCREEN_NORMALIZE_H
#define SCREEN_NORMALIZE_H

#include "core/core.h"

typedef enum {
    SCREEN_NORM_TEXT = 0, /* keywords, descriptions, addresses */
    SCREEN_NORM_NAME = 1, /* person and organisation names */
} screen_norm_mode_t;

typedef struct {
    char *text;          /* normalised UTF-8, NUL-terminated; owned */
    uint32_t len;        /* bytes in text (without the NUL) */
    uint32_t *src_start; /* per output byte: source offset of its character's first byte */
    uint32_t *src_end;   /* per output byte: source offset one past its character */
    uint32_t cap;        /* bytes allocated in text (and entries in each map) */
} screen_norm_t;

/* A zeroed screen_norm_t is valid and empty; init is the same as zeroing. */
void screen_norm_init(screen_norm_t *self);
/* Frees the buffers; the object is empty and reusable afterwards. */
void screen_norm_clear(screen_norm_t *self);

/* Replaces self's content with the normalised form of [src, src + len). */
void screen_normalize(screen_norm_t *self, const char *src, size_t len, screen_norm_mode_t mode);

/* Appends the normalised form of [src, src + len), separated from existing content by one
 * space when both are non-empty. Map offsets are relative to 'src' (callers that join several
 * fields remember where each segment starts in the output). */
void screen_normalize_append(screen_norm_t *self, const char *src, size_t len,
                             screen_norm_mode_t mode);

/* True when the normalised token [tok, tok + len) is a legal-form word or an honorific that
 * NAME mode drops. */
bool screen_norm_is_dropped_word(const char *tok, size_t len);

#endif
