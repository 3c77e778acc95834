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
    /* Hebrew, Armenian, Thai, ...: folded and kept as they are. */
    EXPECT_TEXT("שלום", "שלום");
    EXPECT_TEXT("ԱՐՄԵՆ", "արմեն");
    /* Han characters are tokens of their own. */
    EXPECT_TEXT("购买毒品", "购 买 毒 品");
}

/* Pairs from the lists: multi/deriv_sanctions_2021-03.yml (EU names with their Cyrillic and
 * Greek forms) and un/UN_consolidated_2026.xml (NAME_ORIGINAL_SCRIPT). */
Test(screen_normalize, cyrillic_is_romanised)
{
    EXPECT_TEXT("ПУТИН Владимир", "putin vladimir");
    /* Russian: и i, ё e, й y. The list: "Viktor Fedorovich Yanukovich". */
    EXPECT_TEXT("Виктор Фёдорович Янукович", "viktor fedorovich yanukovich");
    /* Ukrainian (і in the segment): и y, г h. The list: "Viktor Fedorovych Yanukovych",
     * "Oleksiy Mykhaylovych CHALYY", "Serhiy Vitalyovych Kurchenko". */
    EXPECT_TEXT("Віктор Федорович Янукович", "viktor fedorovych yanukovych");
    EXPECT_TEXT("Олексій Михайлович ЧАЛИЙ", "oleksiy mykhaylovych chalyy");
    EXPECT_TEXT("Сергій Віталійович Курченко", "serhiy vitaliyovych kurchenko");
    EXPECT_TEXT("Юлія Ґонта Єгорівна Їжак", "yuliya gonta yehorivna yizhak");
    /* Belarusian: ў u. The list: "Uladzimir Uladzimiravich NAVUMAU". */
    EXPECT_TEXT("Уладзімір Уладзіміравіч НАВУМАЎ", "uladzimir uladzimiravich navumau");
    /* zh kh ts ch sh shch yu ya y e; soft and hard signs dropped. */
    EXPECT_TEXT("Жуков Хабаров Цой Чехов Шишкин Щукин Юрий Яковлев Рыбаков Эдуард",
                "zhukov khabarov tsoy chekhov shishkin shchukin yuriy yakovlev rybakov eduard");
    EXPECT_TEXT("Валерьевич Подъячев", "valerevich podyachev");
    /* UN: "Доку Хаматович Умаров" is listed as "Doku Khamatovich Umarov". */
    EXPECT_TEXT("Умаров Доку Хаматович", "umarov doku khamatovich");
    /* Serbian. */
    EXPECT_TEXT("Ђорђе Љубичић Његош", "djordje ljubichic njegosh");
}

Test(screen_normalize, greek_is_romanised)
{
    EXPECT_TEXT("ΣΟΦΙΑ", "sofia");
    EXPECT_TEXT("Γιάννης Παπαδόπουλος", "giannis papadopoulos");
    /* αυ ευ -> av ev, ου -> ou, γγ -> ng, final sigma. */
    EXPECT_TEXT("Ευάγγελος Αυγερινός Θεοχάρης Ψυχογιός",
                "evangelos avgerinos theocharis psychogios");
    /* The EU list: "Υποστράτηγος Mupenzi" for "General Major Mupenzi". */
    EXPECT_TEXT("Υποστράτηγος Mupenzi", "ypostratigos mupenzi");
    /* Polytonic letters decompose to the base letters first. */
    EXPECT_TEXT("\xe1\xbc\x88\xce\xb8\xe1\xbf\x86\xce\xbd\xce\xb1\xce\xb9", "athinai"); /* Ἀθῆναι */
}

Test(screen_normalize, arabic_is_written_as_a_consonant_skeleton)
{
    /* Unwritten short vowels stay unwritten: the fuzzy matcher absorbs one letter per word. */
    EXPECT_TEXT("محمد علي", "mhmd ali");
    /* UN: "صدام حسين التكريتي" = "Saddam Hussein Al-Tikriti". */
    EXPECT_TEXT("صدام حسين التكريتي", "sdam hsin altkriti");
    /* و ي are w y at the start of a word, u i inside it; ة a; hamza dropped. */
    EXPECT_TEXT("وائل يوسف حمزة", "wail yusf hmza");
    /* Written vowels (fatha, damma, kasra) are kept; shadda and sukun are not letters. */
    EXPECT_TEXT("مُحَمَّد", "muhamad");
    /* Tatweel (kashida) does not split a word; Arabic-Indic digits are digits. */
    EXPECT_TEXT("مـحـمـد ١٢٣", "mhmd 123");
    /* Presentation forms decompose to the letters first (U+FEE3 U+FEA4 U+FEE4 U+FEAA). */
    EXPECT_TEXT("\xef\xbb\xa3\xef\xba\xa4\xef\xbb\xa4\xef\xba\xaa", "mhmd");
    /* Persian letters. */
    EXPECT_TEXT("پژمان چگینی", "pzhman chgini");
}

Test(screen_normalize, transliterated_letters_map_to_their_source)
{
    screen_norm_t n = {0};
    /* "Щука": Щ is two bytes and four output letters. */
    screen_normalize(&n, "Щука", strlen("Щука"), SCREEN_NORM_TEXT);
    cr_assert_str_eq(n.text, "shchuka");
    for (int k = 0; k < 4; k++) {
        cr_assert_eq(n.src_start[k], 0);
        cr_assert_eq(n.src_end[k], 2);
    }
    cr_assert_eq(n.src_start[4], 2);
    cr_assert_eq(n.src_end[6], 8);
    /* A soft sign at the end widens the letter before it. */
    screen_normalize(&n, "Игорь!", strlen("Игорь!"), SCREEN_NORM_TEXT);
    cr_assert_str_eq(n.text, "igor");
    cr_assert_eq(n.src_end[3], 10);
    /* The Ukrainian rules hold per segment: the next segment starts over. */
    screen_normalize(&n, "Ігор", strlen("Ігор"), SCREEN_NORM_NAME);
    screen_normalize_append(&n, "Игорь", strlen("Игорь"), SCREEN_NORM_NAME);
    cr_assert_str_eq(n.text, "ihor igor");
    screen_norm_clear(&n);
}

Test(screen_normalize, name_mode_folds_y_to_i)
{
    /* Romanisations swap y and i freely; NAME mode writes one spelling for both. */
    EXPECT_NAME("Yuriy Sergeyevich", "iurii sergeievich");
    EXPECT_NAME("Iurii Sergeievich", "iurii sergeievich");
    /* Both scripts meet: Ukrainian "и" is y, Russian "и" is i. */
    EXPECT_NAME("Віктор Федорович Янукович", "viktor fedorovich ianukovich");
    EXPECT_NAME("Виктор Фёдорович Янукович", "viktor fedorovich ianukovich");
    EXPECT_NAME("Viktor Fedorovych YANUKOVYCH", "viktor fedorovich ianukovich");
    /* ks and x stay apart (a typo next to a folded pair would cost two edits). */
    EXPECT_NAME("Aleksandr Alexandr", "aleksandr alexandr");
    /* TEXT mode (keywords, addresses) is not folded. */
    EXPECT_TEXT("Yuriy Aleksandr", "yuriy aleksandr");
    /* Legal forms and honorifics with a y are dropped in their folded spelling too. */
    EXPECT_NAME("Yakut Company", "iakut");
    EXPECT_NAME("Sky Pty Ltd", "ski");
    EXPECT_NAME("Shaykh Ayman", "aiman");
    EXPECT_NAME("Y. Smith", "i smith");
}

Test(screen_normalize, hostile_mixed_script_bytes_keep_the_map_in_range)
{
    /* Greek/Cyrillic/Arabic letters mixed with marks, cut sequences and stray bytes. */
    screen_norm_t n = {0};
    uint32_t seed = 12345;
    char src[96];
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = 0;
        while (len + 3 < sizeof(src)) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 8;
            if (r % 4 == 0) {
                src[len++] = (char)(r >> 4); /* any byte */
                continue;
            }
            uint32_t cp = 0x370 + (r >> 4) % (0x700 - 0x370); /* U+0370..U+06FF */
            if (r % 4 == 1)
                cp = 0x300 + (r >> 4) % 0x70; /* a combining mark */
            src[len++] = (char)(0xC0 | (cp >> 6));
            src[len++] = (char)(0x80 | (cp & 0x3F));
        }
        screen_normalize(&n, src, len, (iter & 1) ? SCREEN_NORM_NAME : SCREEN_NORM_TEXT);
        cr_assert_eq(strlen(n.text), n.len);
        /* Letters (a match starts and ends on one) map to a non-empty source range, in
         * order. (A joining space inside one source character, "¼" -> "1 4", has an empty
         * one; no match starts or ends on a space.) */
        uint32_t prev = 0;
        for (uint32_t k = 0; k < n.len; k++) {
            if (n.text[k] == ' ')
                continue;
            cr_assert_lt(n.src_start[k], n.src_end[k], "iter %d byte %u", iter, k);
            cr_assert_leq(n.src_end[k], len, "iter %d byte %u", iter, k);
            cr_assert_leq(prev, n.src_start[k], "iter %d byte %u", iter, k);
            prev = n.src_start[k];
        }
    }
    screen_norm_clear(&n);
}

Test(screen_normalize, single_cyrillic_initials_join_like_latin_ones)
{
    EXPECT_NAME("В. В. Путин", "vv putin");
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
    EXPECT_NAME("Dr. Ayman AL-ZAWAHIRI", "aiman al zawahiri"); /* y folded: see below */
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
    static const char *const all[] = {
        "ab",          "ag",   "bhd",     "bv",  "cjsc", "co",           "company", "corp",
        "corporation", "dmcc", "dr",      "fzc", "fzco", "fze",          "fzllc",   "gmbh",
        "hadji",       "haji", "hajji",   "hon", "inc",  "incorporated", "jsc",     "kft",
        "kg",          "lda",  "limited", "llc", "llp",  "ltd",          "ltda",    "miss",
        "mr",          "mrs",  "ms",      "mx",  "nv",   "oao",          "ohg",     "ojsc",
        "ooo",         "pao",  "pjsc",    "plc", "prof", "pte",          "pty",     "pvt",
        "rev",         "sa",   "sarl",    "sas", "sdn",  "shaikh",       "shaykh",  "sheik",
        "sheikh",      "sir",  "spa",     "srl", "sro",  "zao"};
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
    /* Each one is "sla allh alyh wslm" (its 18 code points share one source range, so each
     * letter starts a word: y, not i); the words run into the next copy. */
    cr_assert_eq(n.len, 4096 * 18);
    cr_assert_eq(strncmp(n.text, "sla allh alyh wslmsla ", 22), 0, "%.40s", n.text);
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
