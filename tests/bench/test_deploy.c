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
