/* test_deploy.c -- deploy/ stays in step with the stages: every key of each stage's config table
 * is explained in deploy/config/<stage>.conf, the file parses with the stage's own parser, and
 * the systemd units start the stages in the documented order with the documented config. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "ingest/ingest.h"
#include "screen/screen.h"
#include "sink/sink.h"

#define DEPLOY PS_SOURCE_DIR "/deploy"

typedef int (*t_main_fn)(int argc, char **argv);

static void t_read(const char *path, core_buf_t *buf)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        core_buf_append(buf, chunk, n);
    fclose(f);
    core_buf_cstr(buf);
}

/* Reads everything the stage printed to stdout. */
static void t_stdout(core_buf_t *out)
{
    fflush(stdout);
    FILE *f = cr_get_redirected_stdout();
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        core_buf_append(out, chunk, n);
    core_buf_cstr(out);
}

/* True when 'text' has a line starting with "key " or "#key " (an explained, maybe disabled,
 * key). */
static bool t_has_key_line(const char *text, const char *key)
{
    size_t n = strlen(key);
    for (const char *line = text; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        const char *p = line[0] == '#' ? line + 1 : line;
        if (strncmp(p, key, n) == 0 && p[n] == ' ')
            return true;
    }
    return false;
}

/* Checks deploy/config/<stage>.conf against the stage: the file parses (--print-config exits 0)
 * and names every key that --print-config lists. */
static void t_check_config(const char *stage, t_main_fn main_fn)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/config/%s.conf", DEPLOY, stage);
    core_buf_t conf = {0}, printed = {0};
    t_read(path, &conf);
    char *argv[] = {(char *)stage, "--config", path, "--print-config", NULL};
    cr_redirect_stdout();
    cr_assert_eq(main_fn(4, argv), 0, "%s does not parse", path);
    t_stdout(&printed);
    size_t keys = 0;
    for (char *line = printed.data; line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        /* "key value" or "# key (unset)" */
        const char *key = line[0] == '#' ? line + 2 : line;
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)strcspn(key, " "), key);
        if (name[0]) {
            keys++;
            cr_assert(t_has_key_line(conf.data, name), "%s: key '%s' is not explained", path, name);
        }
        line = end ? end + 1 : NULL;
    }
    cr_assert_gt(keys, 5, "%s printed %zu keys", stage, keys);
    core_buf_clear(&conf);
    core_buf_clear(&printed);
}

Test(deploy_config, ingest_conf_explains_every_key)
{
    t_check_config("ingest", ingest_main);
}

Test(deploy_config, screen_conf_explains_every_key)
{
    t_check_config("screen", screen_main);
}

Test(deploy_config, sink_conf_explains_every_key)
{
    t_check_config("sink", sink_main);
}

/* The value of "key=" in the unit and the [section] it stands in; false when the key is absent
 * or given twice. */
static bool t_unit_key(const char *unit, const char *key, char *section, size_t section_len,
                       char *value, size_t value_len)
{
    size_t n = strlen(key);
    bool found = false;
    char current[64] = "";
    for (const char *line = unit; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        size_t len = strcspn(line, "\n");
        if (line[0] == '[' && len > 2 && line[len - 1] == ']') {
            snprintf(current, sizeof(current), "%.*s", (int)(len - 2), line + 1);
        } else if (strncmp(line, key, n) == 0 && line[n] == '=') {
            if (found)
                return false;
            found = true;
            snprintf(section, section_len, "%s", current);
            snprintf(value, value_len, "%.*s", (int)(len - n - 1), line + n + 1);
        }
    }
    return found;
}

/* Leading decimal number of a systemd time span or count ("2s", "300", "60s"); -1 if none. */
static long t_number(const char *value)
{
    char *end = NULL;
    long v = strtol(value, &end, 10);
    if (end == value)
        return -1;
    if (*end != '\0' && strcmp(end, "s") != 0)
        return -1;
    return v;
}

/* systemd restarts a crashed stage the way 'parcelscreen run' does: on failure, after a delay,
 * never after a configuration error (exit 2), and gives up after a burst of starts. The start
 * limit keys belong in [Unit] (systemd ignores them in [Service]), the restart keys in
 * [Service]. */
Test(deploy_systemd, units_restart_a_crashed_stage_with_a_delay_and_a_start_limit)
{
    static const char *const stages[] = {"sink", "screen", "ingest"};
    for (int i = 0; i < 3; i++) {
        char path[512], section[64], value[128];
        snprintf(path, sizeof(path), "%s/systemd/parcelscreen-%s.service", DEPLOY, stages[i]);
        core_buf_t unit = {0};
        t_read(path, &unit);

        cr_assert(t_unit_key(unit.data, "Restart", section, sizeof(section), value, sizeof(value)),
                  "%s: one Restart= expected", path);
        cr_assert_str_eq(section, "Service", "%s: Restart= outside [Service]", path);
        cr_assert_str_eq(value, "on-failure", "%s: Restart=%s", path, value);

        cr_assert(
            t_unit_key(unit.data, "RestartSec", section, sizeof(section), value, sizeof(value)),
            "%s: one RestartSec= expected", path);
        cr_assert_str_eq(section, "Service", "%s: RestartSec= outside [Service]", path);
        long delay = t_number(value);
        cr_assert(delay >= 1 && delay <= 60, "%s: RestartSec=%s (want 1..60 s)", path, value);

        cr_assert(t_unit_key(unit.data, "RestartPreventExitStatus", section, sizeof(section), value,
                             sizeof(value)),
                  "%s: one RestartPreventExitStatus= expected", path);
        cr_assert_str_eq(section, "Service", "%s", path);
        cr_assert_str_eq(value, "2", "%s: a configuration error (exit 2) must not restart", path);

        cr_assert(t_unit_key(unit.data, "StartLimitIntervalSec", section, sizeof(section), value,
                             sizeof(value)),
                  "%s: one StartLimitIntervalSec= expected", path);
        cr_assert_str_eq(section, "Unit", "%s: StartLimitIntervalSec= outside [Unit]", path);
        long interval = t_number(value);
        cr_assert_gt(interval, 0, "%s: StartLimitIntervalSec=%s", path, value);

        cr_assert(t_unit_key(unit.data, "StartLimitBurst", section, sizeof(section), value,
                             sizeof(value)),
                  "%s: one StartLimitBurst= expected", path);
        cr_assert_str_eq(section, "Unit", "%s: StartLimitBurst= outside [Unit]", path);
        long burst = t_number(value);
        cr_assert(burst >= 2 && burst <= 100, "%s: StartLimitBurst=%s", path, value);
        /* The burst must be reachable: restarts spaced RestartSec apart fit in the interval. */
        cr_assert_lt(delay * (burst - 1), interval,
                     "%s: %ld restarts %ld s apart never reach the limit within %ld s", path, burst,
                     delay, interval);
        core_buf_clear(&unit);
    }
}

Test(deploy_systemd, units_start_sink_then_screen_then_ingest_with_their_config)
{
    static const char *const stages[] = {"sink", "screen", "ingest"};
    static const char *const after[] = {NULL, "parcelscreen-sink.service",
                                        "parcelscreen-screen.service"};
    for (int i = 0; i < 3; i++) {
        char path[512], line[256];
        snprintf(path, sizeof(path), "%s/systemd/parcelscreen-%s.service", DEPLOY, stages[i]);
        core_buf_t unit = {0};
        t_read(path, &unit);
        snprintf(line, sizeof(line),
                 "\nExecStart=/usr/local/bin/parcelscreen %s --config /etc/parcelscreen/%s.conf\n",
                 stages[i], stages[i]);
        cr_assert(strstr(unit.data, line) != NULL, "%s: %s", path, line);
        static const char *const required[] = {
            "\nUser=parcelscreen\n",
            "\nRestart=on-failure\n",
            "\nRestartSec=",
            "\nStartLimitIntervalSec=",
            "\nStartLimitBurst=",
            "\nPartOf=parcelscreen.target\n",
            "\nWantedBy=parcelscreen.target\n",
            "\nNoNewPrivileges=yes\n",
            "\nProtectSystem=strict\n",
        };
        for (size_t k = 0; k < sizeof(required) / sizeof(required[0]); k++)
            cr_assert(strstr(unit.data, required[k]) != NULL, "%s lacks %s", path, required[k] + 1);
        if (after[i]) {
            const char *a = strstr(unit.data, "\nAfter=");
            cr_assert_not_null(a, "%s has no After=", path);
            const char *end = strchr(a + 1, '\n');
            cr_assert(strstr(a, after[i]) != NULL && strstr(a, after[i]) < end,
                      "%s must start after %s", path, after[i]);
        }
        core_buf_clear(&unit);
    }
    core_buf_t target = {0};
    t_read(DEPLOY "/systemd/parcelscreen.target", &target);
    for (int i = 0; i < 3; i++) {
        char unit[64];
        snprintf(unit, sizeof(unit), "parcelscreen-%s.service", stages[i]);
        cr_assert(strstr(target.data, unit) != NULL, "target does not want %s", unit);
    }
    core_buf_clear(&target);
}
