/* translit.c -- Latin forms of Greek, Cyrillic and Arabic letters (see translit.h).
 *
 * DESIGN: watchlists publish names romanised (OFAC, UN, UK HMT print "Viktor Fedorovych
 * YANUKOVYCH"), parcels may carry them in the original script ("Віктор Федорович Янукович").
 * The normaliser writes both sides in one Latin form, so the existing exact and
 * spelling-tolerant matching (fuzzy.c: one edit per token of >= 5 letters, joins, splits)
 * compares them. One table lookup per code point: three arrays of strings indexed by the code
 * point's offset in its Unicode block; NULL = not ours (the caller decomposes as before).
 *
 *   Cyrillic: BGN/PCGN-like, the common form on the sanctions lists: zh kh ts ch sh shch yu
 *     ya, й y, ы y, э e, ь ъ dropped, е and ё e. Ukrainian and Belarusian names are written
 *     with Ukrainian rules (г h, и y, і i, ї yi, є ye, ґ g, ў u) when the segment holds one of
 *     і ї є ґ ў (a scan of its bytes, once per segment that has Cyrillic): the lists write
 *     "Serhiy Vitalyovych", not "Sergiy Vitaliyovich", for "Сергій Віталійович". Serbian and
 *     Macedonian letters (ђ dj, ј j, љ lj, њ nj, ћ c, џ dz) and a few Kazakh/Tatar ones are in
 *     the table too.
 *   Greek: ELOT 743-like: η i, θ th, υ y, φ f, χ ch, ψ ps, ω o; αυ/ευ/ηυ -> av/ev/iv,
 *     ου -> ou, γ before γ/ξ/χ -> n. Accented letters are in the table (same as the bare ones).
 *   Arabic (and the Persian/Urdu letters): letters to consonants (ث th, خ kh, ذ dh, ش sh,
 *     غ gh, ق q, ع a), alif a, و/ي u/i inside a word and w/y at its start, ة a, hamza and
 *     tatweel dropped, written short vowels (fatha a, damma u, kasra i) kept, Arabic-Indic
 *     digits to 0-9. Arabic does not write short vowels, so "صدام" gives "sdam", not "saddam":
 *     the romanised list forms are met only where at most one letter per long word differs
 *     ("التكريتي" -> "altkriti" meets "AL-TIKRITI", "علي" -> "ali"). bench_screen_lists_eval
 *     measures how often (its translit lines).
 *
 * Variants (Е as "ye" at a word start, ё as "yo") are not generated: one form per field keeps the
 * normaliser single-pass and allocation-free, and the one-edit tolerance meets "Yevgeniy" from
 * "evgeniy" on words of >= 5 letters. Measured on the EU's Cyrillic/Latin pairs: "ye" at a word
 * start and after a vowel found fewer (0.773 vs 0.794 recall), "yo" for ё two more of 481.
 *
 * Rejected: ICU transliterators (a large dependency, allocating, and its "Russian-Latin/BGN"
 * gives "Fëdorovich" with marks we would strip anyway); generating several romanisations per
 * name (multiplies the fuzzy index and the scan work for every parcel). */
#include "translit.h"

#include <stdbool.h>

/* U+0370..U+03FF */
static const char *const s_greek[0x90] = {
    [0x386 - 0x370] = "a", [0x388 - 0x370] = "e",  [0x389 - 0x370] = "i",  [0x38A - 0x370] = "i",
    [0x38C - 0x370] = "o", [0x38E - 0x370] = "y",  [0x38F - 0x370] = "o",  [0x390 - 0x370] = "i",
    [0x391 - 0x370] = "a", [0x392 - 0x370] = "v",  [0x393 - 0x370] = "g",  [0x394 - 0x370] = "d",
    [0x395 - 0x370] = "e", [0x396 - 0x370] = "z",  [0x397 - 0x370] = "i",  [0x398 - 0x370] = "th",
    [0x399 - 0x370] = "i", [0x39A - 0x370] = "k",  [0x39B - 0x370] = "l",  [0x39C - 0x370] = "m",
    [0x39D - 0x370] = "n", [0x39E - 0x370] = "x",  [0x39F - 0x370] = "o",  [0x3A0 - 0x370] = "p",
    [0x3A1 - 0x370] = "r", [0x3A3 - 0x370] = "s",  [0x3A4 - 0x370] = "t",  [0x3A5 - 0x370] = "y",
    [0x3A6 - 0x370] = "f", [0x3A7 - 0x370] = "ch", [0x3A8 - 0x370] = "ps", [0x3A9 - 0x370] = "o",
    [0x3AA - 0x370] = "i", [0x3AB - 0x370] = "y",  [0x3AC - 0x370] = "a",  [0x3AD - 0x370] = "e",
    [0x3AE - 0x370] = "i", [0x3AF - 0x370] = "i",  [0x3B0 - 0x370] = "y",  [0x3B1 - 0x370] = "a",
    [0x3B2 - 0x370] = "v", [0x3B3 - 0x370] = "g",  [0x3B4 - 0x370] = "d",  [0x3B5 - 0x370] = "e",
    [0x3B6 - 0x370] = "z", [0x3B7 - 0x370] = "i",  [0x3B8 - 0x370] = "th", [0x3B9 - 0x370] = "i",
    [0x3BA - 0x370] = "k", [0x3BB - 0x370] = "l",  [0x3BC - 0x370] = "m",  [0x3BD - 0x370] = "n",
    [0x3BE - 0x370] = "x", [0x3BF - 0x370] = "o",  [0x3C0 - 0x370] = "p",  [0x3C1 - 0x370] = "r",
    [0x3C2 - 0x370] = "s", [0x3C3 - 0x370] = "s",  [0x3C4 - 0x370] = "t",  [0x3C5 - 0x370] = "y",
    [0x3C6 - 0x370] = "f", [0x3C7 - 0x370] = "ch", [0x3C8 - 0x370] = "ps", [0x3C9 - 0x370] = "o",
    [0x3CA - 0x370] = "i", [0x3CB - 0x370] = "y",  [0x3CC - 0x370] = "o",  [0x3CD - 0x370] = "y",
    [0x3CE - 0x370] = "o",
};

/* U+0400..U+04FF; г and и depend on the language (s_cyrillic). */
static const char *const s_cyr[0x100] = {
    /* Ѐ Ё Ђ Ѓ Є Ѕ І Ї Ј Љ Њ Ћ Ќ Ѝ Ў Џ */
    [0x00] = "e",
    [0x01] = "e",
    [0x02] = "dj",
    [0x03] = "gj",
    [0x04] = "ye",
    [0x05] = "dz",
    [0x06] = "i",
    [0x07] = "yi",
    [0x08] = "j",
    [0x09] = "lj",
    [0x0A] = "nj",
    [0x0B] = "c",
    [0x0C] = "kj",
    [0x0D] = "i",
    [0x0E] = "u",
    [0x0F] = "dz",
    /* А .. Я */
    [0x10] = "a",
    [0x11] = "b",
    [0x12] = "v",
    [0x13] = "g",
    [0x14] = "d",
    [0x15] = "e",
    [0x16] = "zh",
    [0x17] = "z",
    [0x18] = "i",
    [0x19] = "y",
    [0x1A] = "k",
    [0x1B] = "l",
    [0x1C] = "m",
    [0x1D] = "n",
    [0x1E] = "o",
    [0x1F] = "p",
    [0x20] = "r",
    [0x21] = "s",
    [0x22] = "t",
    [0x23] = "u",
    [0x24] = "f",
    [0x25] = "kh",
    [0x26] = "ts",
    [0x27] = "ch",
    [0x28] = "sh",
    [0x29] = "shch",
    [0x2A] = "",
    [0x2B] = "y",
    [0x2C] = "",
    [0x2D] = "e",
    [0x2E] = "yu",
    [0x2F] = "ya",
    /* а .. я */
    [0x30] = "a",
    [0x31] = "b",
    [0x32] = "v",
    [0x33] = "g",
    [0x34] = "d",
    [0x35] = "e",
    [0x36] = "zh",
    [0x37] = "z",
    [0x38] = "i",
    [0x39] = "y",
    [0x3A] = "k",
    [0x3B] = "l",
    [0x3C] = "m",
    [0x3D] = "n",
    [0x3E] = "o",
    [0x3F] = "p",
    [0x40] = "r",
    [0x41] = "s",
    [0x42] = "t",
    [0x43] = "u",
    [0x44] = "f",
    [0x45] = "kh",
    [0x46] = "ts",
    [0x47] = "ch",
    [0x48] = "sh",
    [0x49] = "shch",
    [0x4A] = "",
    [0x4B] = "y",
    [0x4C] = "",
    [0x4D] = "e",
    [0x4E] = "yu",
    [0x4F] = "ya",
    /* ѐ ё ђ ѓ є ѕ і ї ј љ њ ћ ќ ѝ ў џ */
    [0x50] = "e",
    [0x51] = "e",
    [0x52] = "dj",
    [0x53] = "gj",
    [0x54] = "ye",
    [0x55] = "dz",
    [0x56] = "i",
    [0x57] = "yi",
    [0x58] = "j",
    [0x59] = "lj",
    [0x5A] = "nj",
    [0x5B] = "c",
    [0x5C] = "kj",
    [0x5D] = "i",
    [0x5E] = "u",
    [0x5F] = "dz",
    /* Ґ ґ Ғ ғ Җ җ Қ қ Ң ң Ү ү Ұ ұ Һ һ Ӏ Ә ә Ө ө */
    [0x90] = "g",
    [0x91] = "g",
    [0x92] = "gh",
    [0x93] = "gh",
    [0x96] = "zh",
    [0x97] = "zh",
    [0x9A] = "k",
    [0x9B] = "k",
    [0xA2] = "n",
    [0xA3] = "n",
    [0xAE] = "u",
    [0xAF] = "u",
    [0xB0] = "u",
    [0xB1] = "u",
    [0xBA] = "h",
    [0xBB] = "h",
    [0xC0] = "",
    [0xD8] = "a",
    [0xD9] = "a",
    [0xE8] = "o",
    [0xE9] = "o",
};

/* U+0600..U+06FF; و and ي (and Persian ی) depend on the position (s_arabic). */
static const char *const s_arab[0x100] = {
    [0x21] = "",  [0x22] = "a",  [0x23] = "a",  [0x24] = "u",  [0x25] = "i",  [0x26] = "i",
    [0x27] = "a", [0x28] = "b",  [0x29] = "a",  [0x2A] = "t",  [0x2B] = "th", [0x2C] = "j",
    [0x2D] = "h", [0x2E] = "kh", [0x2F] = "d",  [0x30] = "dh", [0x31] = "r",  [0x32] = "z",
    [0x33] = "s", [0x34] = "sh", [0x35] = "s",  [0x36] = "d",  [0x37] = "t",  [0x38] = "z",
    [0x39] = "a", [0x3A] = "gh", [0x40] = "",   [0x41] = "f",  [0x42] = "q",  [0x43] = "k",
    [0x44] = "l", [0x45] = "m",  [0x46] = "n",  [0x47] = "h",  [0x48] = "u",  [0x49] = "a",
    [0x4A] = "i", [0x4B] = "",   [0x4C] = "",   [0x4D] = "",   [0x4E] = "a",  [0x4F] = "u",
    [0x50] = "i", [0x51] = "",   [0x52] = "",   [0x60] = "0",  [0x61] = "1",  [0x62] = "2",
    [0x63] = "3", [0x64] = "4",  [0x65] = "5",  [0x66] = "6",  [0x67] = "7",  [0x68] = "8",
    [0x69] = "9", [0x70] = "a",  [0x71] = "a",  [0x79] = "t",  [0x7E] = "p",  [0x86] = "ch",
    [0x88] = "d", [0x91] = "r",  [0x98] = "zh", [0xA4] = "v",  [0xA9] = "k",  [0xAF] = "g",
    [0xBA] = "n", [0xBE] = "h",  [0xC1] = "h",  [0xC3] = "a",  [0xCC] = "i",  [0xD2] = "e",
    [0xD5] = "a", [0xF0] = "0",  [0xF1] = "1",  [0xF2] = "2",  [0xF3] = "3",  [0xF4] = "4",
    [0xF5] = "5", [0xF6] = "6",  [0xF7] = "7",  [0xF8] = "8",  [0xF9] = "9",
};

/* Whether the segment is Ukrainian or Belarusian: it holds і ї є ґ ў (either case). */
static bool s_east_slavic(const char *src, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        unsigned char a = (unsigned char)src[i];
        unsigned char b = (unsigned char)src[i + 1];
        if ((a == 0xD0 && (b == 0x84 || b == 0x86 || b == 0x87 || b == 0x8E)) ||
            (a == 0xD1 && (b == 0x94 || b == 0x96 || b == 0x97 || b == 0x9E)) ||
            (a == 0xD2 && (b == 0x90 || b == 0x91)))
            return true;
    }
    return false;
}

/* The code point of the two-byte UTF-8 character at src[at], or 0. */
static int32_t s_next2(const screen__translit_t *st, uint32_t at)
{
    if ((size_t)at + 1 >= st->len)
        return 0;
    unsigned char a = (unsigned char)st->src[at];
    unsigned char b = (unsigned char)st->src[at + 1];
    if ((a & 0xE0) != 0xC0 || (b & 0xC0) != 0x80)
        return 0;
    return (int32_t)(((a & 0x1Fu) << 6) | (b & 0x3Fu));
}

static const char *s_cyrillic(screen__translit_t *st, int32_t cp)
{
    const char *out = s_cyr[cp - 0x400];
    if (out == NULL)
        return NULL;
    int32_t low = (cp >= 0x410 && cp <= 0x42F) ? cp + 0x20 : cp;
    if (low == 0x433 || low == 0x438) { /* г и */
        if (st->slavic < 0)
            st->slavic = s_east_slavic(st->src, st->len) ? 1 : 0;
        if (st->slavic)
            return low == 0x433 ? "h" : "y";
    }
    return out;
}

static bool s_greek_diphthong_vowel(int32_t cp)
{
    switch (cp) {
    case 0x391: /* Α */
    case 0x386: /* Ά */
    case 0x3B1: /* α */
    case 0x3AC: /* ά */
    case 0x395: /* Ε */
    case 0x388: /* Έ */
    case 0x3B5: /* ε */
    case 0x3AD: /* έ */
    case 0x397: /* Η */
    case 0x389: /* Ή */
    case 0x3B7: /* η */
    case 0x3AE: /* ή */
        return true;
    default:
        return false;
    }
}

static const char *s_greek_letter(screen__translit_t *st, int32_t cp, uint32_t start, uint32_t end)
{
    const char *out = s_greek[cp - 0x370];
    if (out == NULL)
        return NULL;
    bool joined = st->prev_end == start;
    switch (cp) {
    case 0x3A5: /* Υ */
    case 0x3C5: /* υ */
    case 0x38E: /* Ύ */
    case 0x3CD: /* ύ */
        if (joined && s_greek_diphthong_vowel(st->prev_cp))
            return "v";
        if (joined && (st->prev_cp == 0x39F || st->prev_cp == 0x3BF || st->prev_cp == 0x38C ||
                       st->prev_cp == 0x3CC))
            return "u";
        return out;
    case 0x393: /* Γ */
    case 0x3B3: {
        int32_t next = s_next2(st, end);
        if (next == 0x393 || next == 0x3B3 || next == 0x39E || next == 0x3BE || next == 0x3A7 ||
            next == 0x3C7)
            return "n";
        return out;
    }
    default:
        return out;
    }
}

static const char *s_arabic(screen__translit_t *st, int32_t cp, uint32_t start)
{
    const char *out = s_arab[cp - 0x600];
    if (out == NULL)
        return NULL;
    /* و ي ی are consonants at the start of a word, long vowels inside it. */
    if (cp == 0x648 || cp == 0x64A || cp == 0x6CC) {
        bool word_start = st->prev_end != start || st->prev_cp < 0x600 || st->prev_cp > 0x6FF;
        if (word_start)
            return cp == 0x648 ? "w" : "y";
    }
    return out;
}

const char *screen__translit(screen__translit_t *st, int32_t cp, uint32_t start, uint32_t end)
{
    const char *out = NULL;
    if (cp >= 0x370 && cp < 0x400)
        out = s_greek_letter(st, cp, start, end);
    else if (cp >= 0x400 && cp < 0x500)
        out = s_cyrillic(st, cp);
    else if (cp >= 0x600 && cp < 0x700)
        out = s_arabic(st, cp, start);
    if (out != NULL) {
        st->prev_end = end;
        st->prev_cp = cp;
    }
    return out;
}
