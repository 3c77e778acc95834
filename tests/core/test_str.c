/* test_str.c -- UTF-8 validation and hashing. */
#include <criterion/criterion.h>

#include "core/str.h"

Test(core_utf8, accepts_well_formed_text)
{
    const char *ok[] = { "", "plain", "M\xc3\xbcller" /* Müller */,
                         "\xe2\x82\xac" /* € */, "\xf0\x9f\x93\xa6" /* 📦 */ };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        cr_assert(core_utf8_valid(ok[i], strlen(ok[i])), "case %zu", i);
}

Test(core_utf8, refuses_malformed_text)
{
    const char *bad[] = {
        "\xc3",             /* truncated 2-byte sequence */
        "\xc0\xaf",         /* overlong '/' */
        "\xed\xa0\x80",     /* UTF-16 surrogate U+D800 */
        "\xf4\x90\x80\x80", /* above U+10FFFF */
        "\xff",             /* never valid */
        "a\x80",            /* stray continuation byte */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_not(core_utf8_valid(bad[i], strlen(bad[i])), "case %zu", i);
}

Test(core_hash, stable_and_seeded)
{
    uint64_t a = core_hash64("P0001", 5, 0);
    cr_assert_eq(a, core_hash64("P0001", 5, 0));
    cr_assert_neq(a, core_hash64("P0001", 5, 1));
    cr_assert_neq(a, core_hash64("P0002", 5, 0));
}
