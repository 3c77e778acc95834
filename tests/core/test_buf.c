/* test_buf.c -- growable buffer, arena, JSON string escaping. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

Test(core_buf, csv_fields_are_quoted_only_when_needed)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"cr\r", "\"cr\r\""},
        {" lead", "\" lead\""},
        {"trail\t", "\"trail\t\""},
        {"in side", "in side"},
    };
    core_buf_t b = {0};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        core_buf_reset(&b);
        core_buf_append_csv_field(&b, cases[i].in, strlen(cases[i].in));
        cr_assert_str_eq(core_buf_cstr(&b), cases[i].out, "case %zu", i);
    }
    core_buf_clear(&b);
}

Test(core_buf, read_file_appends_and_refuses_missing_or_oversized_files)
{
    char path[] = "/tmp/core_buf_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    static char data[200000];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (char)('a' + i % 26);
    cr_assert_eq(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
    close(fd);
    char err[CORE_ERR_LEN] = "";
    core_buf_t b = {0};
    core_buf_append_str(&b, "head:");
    cr_assert_eq(core_buf_read_file(&b, path, 0, err), 0, "%s", err);
    cr_assert_eq(b.len, 5 + sizeof(data));
    cr_assert_eq(memcmp(b.data, "head:", 5), 0);
    cr_assert_eq(memcmp(b.data + 5, data, sizeof(data)), 0);
    /* Over max: refused, the buffer as it was. */
    cr_assert_eq(core_buf_read_file(&b, path, 1000, err), -EFBIG);
    cr_assert_eq(b.len, 5 + sizeof(data));
    cr_assert_not_null(strstr(err, "larger than 1000 bytes"), "%s", err);
    cr_assert_eq(core_buf_read_file(&b, path, sizeof(data), err), 0, "exactly max is fine");
    unlink(path);
    cr_assert_eq(core_buf_read_file(&b, path, 0, err), -ENOENT);
    char want[128];
    snprintf(want, sizeof(want), "%s: No such file or directory", path);
    cr_assert_str_eq(err, want);
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
