/* test_buf.c -- growable buffer, arena, JSON string escaping. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"

Test(core_buf, append_grows_and_printf_formats)
{
    core_buf_t b = { 0 };
    for (int i = 0; i < 1000; i++)
        core_buf_printf(&b, "%d,", i);
    cr_assert_eq(strncmp(b.data, "0,1,2,", 6), 0);
    cr_assert_eq(b.data[b.len - 1], ',');
    core_buf_reset(&b);
    cr_assert_eq(b.len, 0);
    core_buf_append_str(&b, "x");
    cr_assert_str_eq(core_buf_cstr(&b), "x");
    core_buf_clear(&b);
    cr_assert_null(b.data);
}

Test(core_buf, json_strings_escape_quotes_and_controls)
{
    core_buf_t b = { 0 };
    const char in[] = "a\"b\\c\nd\x01";
    core_buf_append_json_str(&b, in, sizeof(in) - 1);
    cr_assert_str_eq(core_buf_cstr(&b), "\"a\\\"b\\\\c\\nd\\u0001\"");
    core_buf_clear(&b);
}

Test(core_arena, reset_reuses_memory_and_alignment_holds)
{
    core_arena_t a;
    core_arena_init(&a, 1024);
    char *first = core_arena_alloc(&a, 10);
    for (int i = 0; i < 200; i++) {
        void *p = core_arena_alloc(&a, 33);
        cr_assert_eq((uintptr_t)p % 16, 0);
    }
    char *big = core_arena_alloc(&a, 10000);
    memset(big, 1, 10000);
    core_arena_reset(&a);
    char *again = core_arena_strndup(&a, "hello", 5);
    cr_assert_str_eq(again, "hello");
    (void)first;
    core_arena_clear(&a);
}
