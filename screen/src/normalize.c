/* normalize.c -- case/diacritic/punctuation folding with an offset map (see normalize.h).
 *
 * DESIGN: one left-to-right pass produces TEXT form. ASCII bytes go through a 128-entry table
 * (letter -> lower case, digit -> itself, anything else -> separator); a non-ASCII character is
 * decoded and expanded with utf8proc_decompose_char (DECOMPOSE | COMPAT | CASEFOLD | STRIPMARK),
 * and each resulting code point is kept when it is a letter or a decimal digit. Separators only set
 * a 'pending' flag; the space is written when the next token starts, so runs collapse and nothing
 * trails. A combining mark that arrives as its own code point (decomposed input, "e\u0301")
 * produces no output; it widens the source range of the character before it, so a match that
 * ends on "e" reports the whole "é".
 *
 * Greek, Cyrillic and Arabic code points are looked up in translit.c's tables first (one state
 * per segment, screen__translit_t); their Latin letters map to the source character like a
 * ligature's. NAME mode writes y as i on the way out (s_ascii_name, s_emit_letter).
 *
 * NAME mode runs a second, in-place pass over the tokens of the segment: runs of single ASCII
 * letters are joined and the dropped words removed. Output never grows in that pass, so the
 * writer cannot overtake the reader. Doing it as a second pass (not while tokens are produced)
 * keeps "S.A.R.L." whole: its run is only known to be complete when a longer token or the end
 * arrives.
 *
 * Rejected: utf8proc_map on the whole field (allocates per call, loses the offset map) and
 * NFKC (composition would re-attach marks we want stripped). */
#include "screen/normalize.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "translit.h"

/* Output byte for each ASCII byte: lower-cased letter, digit, or 0 for a separator. */
static const unsigned char s_ascii[128] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5', ['6'] = '6',
    ['7'] = '7', ['8'] = '8', ['9'] = '9', ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd',
    ['E'] = 'e', ['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k',
    ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r',
    ['S'] = 's', ['T'] = 't', ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
    ['Z'] = 'z', ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f',
    ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm',
    ['n'] = 'n', ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
    ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
};

/* NAME mode's table: as s_ascii, with y written i. Romanisations swap the two freely
 * ("Yuriy"/"Iurii", "Sergey"/"Sergei", and "Yanukovych"/"Yanukovich": the Ukrainian and the
 * Russian rule for "и"); folded on both sides of every name comparison, they meet, where
 * otherwise two or three such letters in a word are beyond the one-edit tolerance. Measured on
 * the EU's Cyrillic/Latin pairs (bench_screen_lists_eval): recall 0.79 -> 0.86; the OFAC names
 * evaluation and the clean parcels unchanged. Rejected: also ks -> x here ("Aleksandr" /
 * "Alexandr", recall 0.91): a one-letter typo next to a "ks" ("Aleskey", "SYSTEKS") became two
 * edits, and the OFAC names evaluation lost 0.3 points of recall; fuzzy.c reads ks as x as a
 * fallback instead (recall 0.89). */
static const unsigned char s_ascii_name[128] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5', ['6'] = '6',
    ['7'] = '7', ['8'] = '8', ['9'] = '9', ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd',
    ['E'] = 'e', ['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k',
    ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r',
    ['S'] = 's', ['T'] = 't', ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'i',
    ['Z'] = 'z', ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f',
    ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm',
    ['n'] = 'n', ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
    ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'i', ['z'] = 'z',
};

/* Legal-form words and honorifics that NAME mode drops, sorted for bsearch (strcmp order). */
static const char *const s_dropped[] = {
    "ab",     "ag",          "bhd",    "bv",      "cjsc", "co",   "compani",      "company",
    "corp",   "corporation", "dmcc",   "dr",      "fzc",  "fzco", "fze",          "fzllc",
    "gmbh",   "hadji",       "haji",   "hajji",   "hon",  "inc",  "incorporated", "jsc",
    "kft",    "kg",          "lda",    "limited", "llc",  "llp",  "ltd",          "ltda",
    "miss",   "mr",          "mrs",    "ms",      "mx",   "nv",   "oao",          "ohg",
    "ojsc",   "ooo",         "pao",    "pjsc",    "plc",  "prof", "pte",          "pti",
    "pty",    "pvt",         "rev",    "sa",      "sarl", "sas",  "sdn",          "shaikh",
    "shaykh", "sheik",       "sheikh", "sir",     "spa",  "srl",  "sro",          "zao",
};

/* Filter in front of the bsearch: bit (second letter - 'a') of s_pairs[first letter - 'a'] is
 * set when some word of s_dropped starts with those two letters (every word there is 2..15
 * letters a-z; regenerate the table when the list changes). Most name tokens fail it, so the
 * per-token bsearch with strcmp (6.5% of the scanner's instructions under callgrind) runs only
 * for the few tokens that could be dropped. tests/screen/test_normalize.c checks every word. */
static const uint32_t s_pairs[26] = {
    0x0000042u, 0x0200080u, 0x0004200u, 0x0021000u, 0x0000000u, 0x2000000u,
    0x0001000u, 0x0004001u, 0x0002000u, 0x0040000u, 0x0000060u, 0x0080908u,
    0x0860100u, 0x0200000u, 0x0004281u, 0x02a0a01u, 0x0000000u, 0x0000010u,
    0x0028189u, 0x0000000u, 0x0000000u, 0x0000000u, 0x0000000u, 0x0000000u,
    0x0000000u, 0x0000001u,
};

static int s_cmp_word(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

bool screen_norm_is_dropped_word(const char *tok, size_t len)
{
    char word[16];
    if (len < 2 || len >= sizeof(word))
        return false;
    unsigned a = (unsigned)(unsigned char)tok[0] - 'a';
    unsigned b = (unsigned)(unsigned char)tok[1] - 'a';
    if (a >= 26 || b >= 26 || !((s_pairs[a] >> b) & 1u))
        return false;
    memcpy(word, tok, len);
    word[len] = '\0';
    return bsearch(word, s_dropped, CORE_ARRAY_LEN(s_dropped), sizeof(s_dropped[0]), s_cmp_word) !=
           NULL;
}

void screen_norm_init(screen_norm_t *self)
{
    core_assert(self != NULL);
    memset(self, 0, sizeof(*self));
}

void screen_norm_clear(screen_norm_t *self)
{
    core_assert(self != NULL);
    free(self->text);
    free(self->src_start);
    free(self->src_end);
    memset(self, 0, sizeof(*self));
}

/* Makes room for 'need' bytes of text plus the NUL. */
static void s_reserve(screen_norm_t *self, size_t need)
{
    if (need + 1 <= self->cap)
        return;
    size_t cap = self->cap ? self->cap : 256;
    while (cap < need + 1)
        cap *= 2;
    core_assert(cap <= UINT32_MAX);
    self->text = core_realloc(self->text, cap);
    self->src_start = core_realloc(self->src_start, cap * sizeof(*self->src_start));
    self->src_end = core_realloc(self->src_end, cap * sizeof(*self->src_end));
    self->cap = (uint32_t)cap;
}

/* Writes the joining space owed before a token, mapped to the gap between the characters. */
static inline void s_emit_space(screen_norm_t *self, uint32_t next_start)
{
    uint32_t at = self->len;
    self->text[at] = ' ';
    self->src_start[at] = at ? self->src_end[at - 1] : 0;
    self->src_end[at] = next_start;
    self->len = at + 1;
}

static inline void s_emit_byte(screen_norm_t *self, char byte, uint32_t start, uint32_t end)
{
    uint32_t at = self->len;
    self->text[at] = byte;
    self->src_start[at] = start;
    self->src_end[at] = end;
    self->len = at + 1;
}

/* Writes an ASCII letter or digit of the current token; NAME mode folds y to i (see
 * s_ascii_name). */
static inline void s_emit_letter(screen_norm_t *self, char c, uint32_t start, uint32_t end,
                                 bool name)
{
    s_emit_byte(self, name && c == 'y' ? 'i' : c, start, end);
}

/* Han and kana: scripts written without spaces, so each character is a token. */
static bool s_is_cjk(utf8proc_int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x323AF);
}

/* Latin letters that have no Unicode decomposition but are commonly typed as ASCII. */
static const char *s_transliterate(utf8proc_int32_t cp)
{
    switch (cp) {
    case 0x00C6:
    case 0x00E6:
        return "ae"; /* Æ æ */
    case 0x00D0:
    case 0x00F0:
        return "d"; /* Ð ð */
    case 0x00D8:
    case 0x00F8:
        return "o"; /* Ø ø */
    case 0x00DE:
    case 0x00FE:
        return "th"; /* Þ þ */
    case 0x0110:
    case 0x0111:
        return "d"; /* Đ đ */
    case 0x0126:
    case 0x0127:
        return "h"; /* Ħ ħ */
    case 0x0131:
        return "i"; /* ı (dotless i) */
    case 0x0141:
    case 0x0142:
        return "l"; /* Ł ł */
    case 0x0152:
    case 0x0153:
        return "oe"; /* Œ œ */
    case 0x0166:
    case 0x0167:
        return "t"; /* Ŧ ŧ */
    default:
        return NULL;
    }
}

static bool s_is_kept(utf8proc_int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           cat == UTF8PROC_CATEGORY_ND;
}

/* Writes the Latin letters of a transliterated character [cs, ce). "" (a soft sign, a tatweel)
 * writes nothing and, like a stripped mark, widens the character before it. */
static void s_emit_latin(screen_norm_t *self, const char *lat, uint32_t cs, uint32_t ce,
                         bool *pending, bool name)
{
    if (*lat == '\0') {
        if (!*pending) {
            for (uint32_t k = self->len; k > 0 && self->src_end[k - 1] == cs; k--)
                self->src_end[k - 1] = ce;
        }
        return;
    }
    if (*pending && self->len > 0)
        s_emit_space(self, cs);
    *pending = false;
    for (; *lat; lat++)
        s_emit_letter(self, *lat, cs, ce, name);
}

/* Handles the non-ASCII character at src[*pos]; advances *pos past it. */
static void s_slow_char(screen_norm_t *self, const char *src, size_t len, size_t *pos,
                        bool *pending, screen__translit_t *tr, bool name)
{
    size_t i = *pos;
    utf8proc_int32_t cp = -1;
    utf8proc_ssize_t n =
        utf8proc_iterate((const utf8proc_uint8_t *)src + i, (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) {
        /* Invalid UTF-8: the byte is a separator. */
        *pending = true;
        *pos = i + 1;
        return;
    }
    uint32_t cs = (uint32_t)i;
    uint32_t ce = (uint32_t)(i + (size_t)n);
    *pos = ce;
    s_reserve(self, (size_t)self->len + 200 + (len - i));

    if (cp >= SCREEN__TRANSLIT_FIRST && cp < SCREEN__TRANSLIT_END) {
        const char *lat = screen__translit(tr, cp, cs, ce);
        if (lat != NULL) {
            s_emit_latin(self, lat, cs, ce, pending, name);
            return;
        }
    }
    const char *ascii = s_transliterate(cp);
    if (ascii != NULL) {
        if (*pending && self->len > 0)
            s_emit_space(self, cs);
        *pending = false;
        for (; *ascii; ascii++)
            s_emit_letter(self, *ascii, cs, ce, name);
        return;
    }

    utf8proc_int32_t buf[32];
    int boundclass = 0;
    utf8proc_ssize_t m =
        utf8proc_decompose_char(cp, buf, (utf8proc_ssize_t)CORE_ARRAY_LEN(buf),
                                (utf8proc_option_t)(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                                                    UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK),
                                &boundclass);
    if (m < 0 || m > (utf8proc_ssize_t)CORE_ARRAY_LEN(buf)) {
        *pending = true;
        return;
    }
    if (m == 0) {
        /* A stripped combining mark: it belongs to the character before it. */
        if (!*pending) {
            for (uint32_t k = self->len; k > 0 && self->src_end[k - 1] == cs; k--)
                self->src_end[k - 1] = ce;
        }
        return;
    }
    for (utf8proc_ssize_t j = 0; j < m; j++) {
        utf8proc_int32_t c = buf[j];
        if (c >= SCREEN__TRANSLIT_FIRST && c < SCREEN__TRANSLIT_END) {
            /* Arabic presentation forms, polytonic Greek: their base letters. */
            const char *lat = screen__translit(tr, c, cs, ce);
            if (lat != NULL) {
                s_emit_latin(self, lat, cs, ce, pending, name);
                continue;
            }
        }
        if (!s_is_kept(c)) {
            *pending = true;
            continue;
        }
        bool cjk = s_is_cjk(c);
        if ((*pending || cjk) && self->len > 0)
            s_emit_space(self, cs);
        *pending = cjk;
        if (c < 0x80) {
            s_emit_letter(self, (char)s_ascii[c], cs, ce, name);
            continue;
        }
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t e = utf8proc_encode_char(c, enc);
        for (utf8proc_ssize_t k = 0; k < e; k++)
            s_emit_byte(self, (char)enc[k], cs, ce);
    }
}

/* TEXT form of [src, src + len) appended to self; a joining space first when self is not
 * empty. 'name': with NAME mode's y -> i fold (s_ascii_name). */
static void s_text_pass(screen_norm_t *self, const char *src, size_t len, bool name)
{
    const unsigned char *table = name ? s_ascii_name : s_ascii;
    core_assert(len < UINT32_MAX);
    s_reserve(self, (size_t)self->len + len + 2);
    bool pending = self->len > 0;
    screen__translit_t tr;
    screen__translit_begin(&tr, src, len);
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)src[i];
        if (c >= 0x80) {
            s_slow_char(self, src, len, &i, &pending, &tr, name);
            continue;
        }
        unsigned char out = table[c];
        if (out == 0) {
            pending = true;
            i++;
            continue;
        }
        if (pending && self->len > 0)
            s_emit_space(self, (uint32_t)i);
        pending = false;
        s_emit_byte(self, (char)out, (uint32_t)i, (uint32_t)i + 1);
        i++;
    }
}

/* Moves n output bytes (and their map entries) from 'from' to 'to' (to <= from). */
static inline void s_move(screen_norm_t *self, uint32_t to, uint32_t from, uint32_t n)
{
    if (to == from || n == 0)
        return;
    memmove(self->text + to, self->text + from, n);
    memmove(self->src_start + to, self->src_start + from, n * sizeof(*self->src_start));
    memmove(self->src_end + to, self->src_end + from, n * sizeof(*self->src_end));
}

static inline bool s_is_single_letter(const char *t, uint32_t start, uint32_t end)
{
    return end == start + 1 && t[start] >= 'a' && t[start] <= 'z';
}

/* NAME pass over [base, len): joins single-letter runs, drops legal forms and honorifics. */
static void s_name_pass(screen_norm_t *self, uint32_t base)
{
    char *t = self->text;
    uint32_t len = self->len;
    uint32_t r = base;
    uint32_t w = base;
    while (r < len) {
        uint32_t ts = r;
        while (r < len && t[r] != ' ')
            r++;
        uint32_t te = r;
        if (r < len)
            r++;
        uint32_t sep = w > base ? 1 : 0;
        uint32_t ws = w + sep;
        s_move(self, ws, ts, te - ts);
        uint32_t we = ws + (te - ts);
        if (s_is_single_letter(t, ws, we)) {
            while (r < len && t[r] >= 'a' && t[r] <= 'z' && (r + 1 == len || t[r + 1] == ' ')) {
                s_move(self, we, r, 1);
                we++;
                r++;
                if (r < len)
                    r++;
            }
        }
        if (screen_norm_is_dropped_word(t + ws, we - ws))
            continue;
        if (sep) {
            t[w] = ' ';
            self->src_start[w] = self->src_end[w - 1];
            self->src_end[w] = self->src_start[ws];
        }
        w = we;
    }
    self->len = w;
}

void screen_normalize_append(screen_norm_t *self, const char *src, size_t len,
                             screen_norm_mode_t mode)
{
    core_assert(self != NULL);
    core_assert(src != NULL || len == 0);
    uint32_t len0 = self->len;
    s_text_pass(self, src, len, mode == SCREEN_NORM_NAME);
    if (mode == SCREEN_NORM_NAME && self->len > len0) {
        uint32_t base = len0 > 0 ? len0 + 1 : 0; /* after the joining space */
        s_name_pass(self, base);
        if (self->len == base) {
            /* Nothing but dropped words ("Company Limited"): keep the TEXT form. */
            self->len = len0;
            s_text_pass(self, src, len, false);
        }
    }
    s_reserve(self, self->len);
    self->text[self->len] = '\0';
}

void screen_normalize(screen_norm_t *self, const char *src, size_t len, screen_norm_mode_t mode)
{
    core_assert(self != NULL);
    self->len = 0;
    screen_normalize_append(self, src, len, mode);
}
