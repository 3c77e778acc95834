/* core.h -- the small shared base: assert, allocation that aborts on OOM, error strings.
 *
 * Every module includes this. Out of memory aborts (redis zmalloc); everything that comes
 * from outside returns an error instead. */
#ifndef CORE_CORE_H
#define CORE_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Size of the caller-provided error buffers: char err[CORE_ERR_LEN]. */
#define CORE_ERR_LEN 256

#define CORE_UNUSED(x) ((void)(x))
#define CORE_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Programmer errors only: logs file:line and aborts. Always compiled in, also under NDEBUG. */
#define core_assert(expr)                                                                      \
    ((expr) ? (void)0 : core__assert_fail(#expr, __FILE__, __LINE__, __func__))
void core__assert_fail(const char *expr, const char *file, int line, const char *func)
    __attribute__((noreturn));

/* Allocation: never returns NULL (aborts with a log line on out of memory). */
void *core_malloc(size_t size);
void *core_calloc(size_t count, size_t size);
void *core_realloc(void *ptr, size_t size);
char *core_strdup(const char *s);
char *core_strndup(const char *s, size_t len);

/* Writes a one-line reason into err (CORE_ERR_LEN bytes); err may be NULL. */
void core_err_set(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void core_err_vset(char *err, const char *fmt, va_list ap);

/* Prefixes err with "prefix: " in place (used to add file:line context). */
void core_err_prefix(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
