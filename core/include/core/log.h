/* log.h -- one-line log records on stderr: "stage[pid]: level: message".
 *
 * The macro checks the level before evaluating its arguments. Thread-safe: each record is one
 * write(2). */
#ifndef CORE_LOG_H
#define CORE_LOG_H

typedef enum { CORE_LOG_ERROR = 0, CORE_LOG_WARN, CORE_LOG_INFO, CORE_LOG_DEBUG } core_log_level_t;

/* Current level; set once at start-up by core_log_init / core_log_set_level. */
extern core_log_level_t core__log_level;

/* Sets the identity printed in each line (copied, at most 31 bytes). */
void core_log_init(const char *ident);
void core_log_set_level(core_log_level_t level);
/* Parses "error|warn|info|debug"; returns 0 or -EINVAL. */
int core_log_level_parse(const char *text, core_log_level_t *out);

void core__log(core_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define core_log(level, ...)                                                                   \
    do {                                                                                       \
        if ((level) <= core__log_level)                                                        \
            core__log((level), __VA_ARGS__);                                                   \
    } while (0)

#endif
