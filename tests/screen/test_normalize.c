/* test_normalize.c -- screen/src/normalize.c: folding, separators, NAME mode, offset maps. */
#include <criterion/criterion.h>
#include <string.h>

#include "screen/normalize.h"

static const char *s_norm(screen_norm_t *n, const char *src, screen_norm_mode_t mode)
{
    screen_normalize(n, src, strlen(src), mode);
    cr_assert_eq(strlen(n->text), n->len, "NUL-terminated at len");
    return n->text;
}

#define EXPECT_TEXT(src, want)                                                                     \
    do {                                                                                           \
        screen_norm_t n_ = {0};                                                                    \
        cr_expect_str_eq(s_norm(&n_, (src), SCREEN_NORM_TEXT), (want), "TEXT of '%s'", (src));     \
        screen_norm_clear(&n_);                                                                    \
    } while (0)

#define EXPECT_NAME(src, want)                                                                     \
    do {                                                                                           \
        screen_norm_t n_ = {0};                                                                    \
        cr_expect_str_eq(s_norm(&n_, (src), SCREEN_NORM_NAME), (want), "NAME of '%s'", (src));     \
        screen_norm_clear(&n_);                                                                    \
    } while (0)

Test(screen_normalize, ascii_folds_case_and_collapses_separators)
{
    EXPECT_TEXT("  Hello,   WORLD!! 42 ", "hello world 42");
    EXPECT_TEXT("Rolex-style_REPLICA", "rolex style replica");
    EXPECT_TEXT("1:1 copy", "1 1 copy");
    EXPECT_TEXT("", "");
    EXPECT_TEXT(" ,.;-- ", "");
    EXPECT_TEXT("x", "x");
}

Test(screen_normalize, strips_diacritics)
{
    EXPECT_TEXT("Müller", "muller");
    EXPECT_TEXT("José", "jose");
    EXPECT_TEXT("Ñandú Crème Brûlée", "nandu creme brulee");
    EXPECT_TEXT("ÅNGSTRÖM Çelik Şahin Dvořák", "angstrom celik sahin dvorak");
    /* "Jose" + U+0301 COMBINING ACUTE ACCENT (decomposed input). */
    EXPECT_TEXT("Jose\xcc\x81 Garci\xcc\x81"
                "a",
                "jose garcia");
}

Test(screen_normalize, compatibility_forms)
{
    EXPECT_TEXT("\xef\xac\x81sh", "fish"); /* U+FB01 LATIN SMALL LIGATURE FI */
    EXPECT_TEXT("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3\xef\xbc\x91\xef\xbc\x92",
                "abc12"); /* full-width ABC12 */
    EXPECT_TEXT("Straße", "strasse");
    EXPECT_TEXT("Œuvre Ærø Łódź Øresund", "oeuvre aero lodz oresund");
    EXPECT_TEXT("x\xc2\xb2", "x2"); /* superscript two */
}

Test(screen_normalize, other_scripts_are_folded_letters)
{
    EXPECT_TEXT("ПУТИН Владимир", "путин владимир");
    EXPECT_TEXT("ΣΟΦΙΑ", "σοφια");
    EXPECT_TEXT("محمد علي", "محمد علي");
    /* Han characters are tokens of their own. */
    EXPECT_TEXT("购买毒品", "购 买 毒 品");
}

Test(screen_normalize, invalid_utf8_bytes_are_separators)
{
    screen_norm_t n = {0};
    screen_normalize(&n,
                     "ab\xff"
                     "cd\xc3",
                     6, SCREEN_NORM_TEXT);
    cr_assert_str_eq(n.text, "ab cd");
    screen_norm_clear(&n);
}

Test(screen_normalize, name_mode_drops_legal_forms_and_honorifics)
{
    EXPECT_NAME("ACME TRADING CO., LTD.", "acme trading");
    EXPECT_NAME("Acme Trading Co", "acme trading");
    EXPECT_NAME("Acme Trading Company Limited", "acme trading");
    EXPECT_NAME("Banco Nacional S.A.", "banco nacional");
    EXPECT_NAME("Alpha Beta S.A.R.L.", "alpha beta");
    EXPECT_NAME("Gazprom PJSC", "gazprom");
    EXPECT_NAME("OOO Romashka", "romashka");
    EXPECT_NAME("Mr. John Smith", "john smith");
    EXPECT_NAME("Sheikh Ahmed Haji Ali", "ahmed ali");
    EXPECT_NAME("Dr. Ayman AL-ZAWAHIRI", "ayman al zawahiri");
    EXPECT_NAME("J. P. Morgan", "jp morgan");
    EXPECT_NAME("Müller GmbH & Co. KG", "muller");
    /* Nothing but dropped words: the TEXT form is kept. */
    EXPECT_NAME("Company Limited", "company limited");
    /* TEXT mode keeps them. */
    EXPECT_TEXT("ACME TRADING CO., LTD.", "acme trading co ltd");
}

Test(screen_normalize, dropped_words)
{
    cr_expect(screen_norm_is_dropped_word("ltd", 3));
    cr_expect(screen_norm_is_dropped_word("gmbh", 4));
    cr_expect(screen_norm_is_dropped_word("sheikh", 6));
    cr_expect(screen_norm_is_dropped_word("corporation", 11));
    cr_expect_not(screen_norm_is_dropped_word("lt", 2));
    cr_expect_not(screen_norm_is_dropped_word("acme", 4));
    cr_expect_not(screen_norm_is_dropped_word("", 0));
    /* Every word of normalize.c's s_dropped passes the two-letter filter in front of it. */
    static const char *const all[] = { "ab", "ag", "bhd", "bv", "cjsc", "co", "company", "corp", "corporation", "dmcc", "dr", "fzc", "fzco", "fze", "fzllc", "gmbh", "hadji", "haji", "hajji", "hon", "inc", "incorporated", "jsc", "kft", "kg", "lda", "limited", "llc", "llp", "ltd", "ltda", "miss", "mr", "mrs", "ms", "mx", "nv", "oao", "ohg", "ojsc", "ooo", "pao", "pjsc", "plc", "prof", "pte", "pty", "pvt", "rev", "sa", "sarl", "sas", "sdn", "shaikh", "shaykh", "sheik", "sheikh", "sir", "spa", "srl", "sro", "zao" };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        cr_expect(screen_norm_is_dropped_word(all[i], strlen(all[i])), "%s", all[i]);
    cr_expect_not(screen_norm_is_dropped_word("sz", 2));
    cr_expect_not(screen_norm_is_dropped_word("s1", 2));
}

Test(screen_normalize, map_points_back_to_source_characters)
{
    screen_norm_t n = {0};
    /* "Müller": ü is two bytes at offsets 1..3. */
    screen_normalize(&n, "Müller", strlen("Müller"), SCREEN_NORM_TEXT);
    cr_assert_str_eq(n.text, "muller");
    cr_assert_eq(n.src_start[0], 0);
    cr_assert_eq(n.src_end[0], 1);
    cr_assert_eq(n.src_start[1], 1);
    cr_assert_eq(n.src_end[1], 3);
    cr_assert_eq(n.src_start[2], 3);
    cr_assert_eq(n.src_end[5], 7);

    /* Collapsed separators: "b" keeps its own offset. */
    screen_normalize(&n, "a , b", 5, SCREEN_NORM_TEXT);
    cr_assert_str_eq(n.text, "a b");
    cr_assert_eq(n.src_start[2], 4);

    /* A ligature: both output letters map to the three source bytes. */
    screen_normalize(&n, "x\xef\xac\x81", 4, SCREEN_NORM_TEXT);
    cr_assert_str_eq(n.text, "xfi");
    cr_assert_eq(n.src_start[1], 1);
    cr_assert_eq(n.src_end[2], 4);

    /* A stripped combining mark widens the letter before it. */
    screen_normalize(&n, "Jose\xcc\x81!", 7, SCREEN_NORM_TEXT);
    cr_assert_str_eq(n.text, "jose");
    cr_assert_eq(n.src_end[3], 6);

    /* NAME mode: dropped words and joined letters keep their maps. */
    const char *src = "Mr. J. P. Morgan Ltd";
    screen_normalize(&n, src, strlen(src), SCREEN_NORM_NAME);
    cr_assert_str_eq(n.text, "jp morgan");
    cr_assert_eq(n.src_start[0], 4);  /* J */
    cr_assert_eq(n.src_start[1], 7);  /* P */
    cr_assert_eq(n.src_start[3], 10); /* Morgan */
    cr_assert_eq(n.src_end[8], 16);
    screen_norm_clear(&n);
}

Test(screen_normalize, append_joins_segments_with_one_space)
{
    screen_norm_t n = {0};
    screen_normalize(&n, "12 Baker St.", 12, SCREEN_NORM_TEXT);
    uint32_t first = n.len;
    screen_normalize_append(&n, "", 0, SCREEN_NORM_TEXT);
    cr_assert_eq(n.len, first);
    screen_normalize_append(&n, "  London ", 9, SCREEN_NORM_TEXT);
    cr_assert_str_eq(n.text, "12 baker st london");
    cr_assert_eq(n.src_start[first + 1], 2, "offsets are relative to the appended segment");
    screen_norm_clear(&n);
}

Test(screen_normalize, large_expansion_does_not_overflow)
{
    /* U+FDFA ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM expands to 18 code points. */
    static const char one[3] = {'\xef', '\xb7', '\xba'};
    static char src[4096 * 3];
    for (size_t i = 0; i < 4096; i++)
        memcpy(src + 3 * i, one, sizeof(one));
    screen_norm_t n = {0};
    screen_normalize(&n, src, sizeof(src), SCREEN_NORM_TEXT);
    cr_assert_gt(n.len, 4096 * 18);
    cr_assert_eq(n.src_end[n.len - 1], 4096 * 3);
    screen_norm_clear(&n);
}

Test(screen_normalize, buffers_are_reused)
{
    screen_norm_t n = {0};
    screen_normalize(&n, "first long-ish input text", 25, SCREEN_NORM_TEXT);
    char *text = n.text;
    uint32_t cap = n.cap;
    screen_normalize(&n, "short", 5, SCREEN_NORM_TEXT);
    cr_assert_eq(n.text, text);
    cr_assert_eq(n.cap, cap);
    cr_assert_str_eq(n.text, "short");
    screen_norm_clear(&n);
    screen_norm_clear(&n); /* safe twice */
}
