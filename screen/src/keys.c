/* keys.c -- normalised keys for the exact kinds (phone, e-mail, tax/item id, country, HS). */
#include <errno.h>
#include <stdint.h>

#include "internal.h"

static inline bool s_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

size_t screen__key_digits(const char *s, size_t len, char *out, size_t cap, uint32_t *first,
                          uint32_t *last_end)
{
    size_t n = 0;
    *first = 0;
    *last_end = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            continue;
        if (n == cap)
            return SIZE_MAX;
        if (n == 0)
            *first = (uint32_t)i;
        *last_end = (uint32_t)i + 1;
        out[n++] = s[i];
    }
    return n;
}

size_t screen__key_email(const char *s, size_t len, char *out, size_t cap, uint32_t *first,
                         uint32_t *last_end)
{
    size_t a = 0;
    size_t b = len;
    while (a < b && s_is_space(s[a]))
        a++;
    while (b > a && s_is_space(s[b - 1]))
        b--;
    *first = (uint32_t)a;
    *last_end = (uint32_t)b;
    if (b - a > cap)
        return SIZE_MAX;
    for (size_t i = a; i < b; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        out[i - a] = c;
    }
    return b - a;
}

size_t screen__key_alnum(const char *s, size_t len, char *out, size_t cap, uint32_t *first,
                         uint32_t *last_end)
{
    size_t n = 0;
    *first = 0;
    *last_end = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            continue;
        if (n == cap)
            return SIZE_MAX;
        if (n == 0)
            *first = (uint32_t)i;
        *last_end = (uint32_t)i + 1;
        out[n++] = c;
    }
    return n;
}

int screen__key_country(const char *s, size_t len, char out[2], uint32_t *first, uint32_t *last_end)
{
    size_t a = 0;
    size_t b = len;
    while (a < b && s_is_space(s[a]))
        a++;
    while (b > a && s_is_space(s[b - 1]))
        b--;
    if (b - a != 2)
        return -EINVAL;
    for (size_t i = 0; i < 2; i++) {
        char c = s[a + i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            return -EINVAL;
        out[i] = c;
    }
    *first = (uint32_t)a;
    *last_end = (uint32_t)b;
    return 0;
}
