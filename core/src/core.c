/* core.c -- assert, aborting allocation, error strings. */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

void core__assert_fail(const char *expr, const char *file, int line, const char *func)
{
    core__log(CORE_LOG_ERROR, "assertion failed: %s (%s:%d, %s)", expr, file, line, func);
    abort();
}

static void s_oom(size_t size)
{
    core__log(CORE_LOG_ERROR, "out of memory allocating %zu bytes", size);
    abort();
}

void *core_malloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL)
        s_oom(size);
    return p;
}

void *core_calloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL)
        s_oom(count * size);
    return p;
}

void *core_realloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL)
        s_oom(size);
    return p;
}

char *core_strndup(const char *s, size_t len)
{
    char *p = core_malloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *core_strdup(const char *s)
{
    return core_strndup(s, strlen(s));
}

void core_err_vset(char *err, const char *fmt, va_list ap)
{
    if (err == NULL)
        return;
    vsnprintf(err, CORE_ERR_LEN, fmt, ap);
    /* One line: a reason never carries a newline into the logs. */
    for (char *p = err; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

void core_err_set(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    core_err_vset(err, fmt, ap);
    va_end(ap);
}

void core_err_prefix(char *err, const char *fmt, ...)
{
    if (err == NULL)
        return;
    char old[CORE_ERR_LEN];
    memcpy(old, err, CORE_ERR_LEN);
    old[CORE_ERR_LEN - 1] = '\0';
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err, CORE_ERR_LEN, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= CORE_ERR_LEN - 2)
        return;
    /* The reason keeps what room is left after "prefix: ". */
    size_t at = (size_t)n;
    err[at++] = ':';
    err[at++] = ' ';
    size_t room = CORE_ERR_LEN - 1 - at;
    size_t len = strlen(old);
    if (len > room)
        len = room;
    memcpy(err + at, old, len);
    err[at + len] = '\0';
}
