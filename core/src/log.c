/* log.c -- stderr log lines with stage identity and pid. */
#include "core/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/core.h"

/* Written once at start-up before threads exist; read without a lock afterwards. */
core_log_level_t core__log_level = CORE_LOG_INFO;
static char s_ident[32] = "parcelscreen";

static const char *const s_level_names[] = { "error", "warn", "info", "debug" };

void core_log_init(const char *ident)
{
    snprintf(s_ident, sizeof(s_ident), "%s", ident);
}

void core_log_set_level(core_log_level_t level)
{
    core__log_level = level;
}

int core_log_level_parse(const char *text, core_log_level_t *out)
{
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_level_names); i++) {
        if (strcasecmp(text, s_level_names[i]) == 0) {
            *out = (core_log_level_t)i;
            return 0;
        }
    }
    return -EINVAL;
}

void core__log(core_log_level_t level, const char *fmt, ...)
{
    char line[1024];
    int n = snprintf(line, sizeof(line), "%s[%d]: %s: ", s_ident, (int)getpid(),
                     s_level_names[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    /* One write per record keeps lines whole when threads log at once. */
    ssize_t rc = write(STDERR_FILENO, line, len);
    (void)rc;
}
