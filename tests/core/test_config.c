/* test_config.c -- the table-driven configuration: flags, files, bounds, lists. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

typedef struct {
    char *name;
    long workers;
    double rate;
    bool once;
    core_strlist_t files;
} t_config_t;

static const core_config_opt_t s_opts[] = {
    { "name", CORE_CONFIG_STR, "screen", 0, 0, offsetof(t_config_t, name), "a name" },
    { "workers", CORE_CONFIG_INT, "4", 0, 64, offsetof(t_config_t, workers), "threads" },
    { "rate", CORE_CONFIG_DOUBLE, "0.5", 0, 1, offsetof(t_config_t, rate), "a rate" },
    { "once", CORE_CONFIG_BOOL, "false", 0, 0, offsetof(t_config_t, once), "exit at end" },
    { "file", CORE_CONFIG_LIST, NULL, 0, 0, offsetof(t_config_t, files), "files" },
};
static const core_config_table_t s_table = { "test", NULL, "summary", s_opts, 5 };

static int s_parse(t_config_t *cfg, char *err, int argc, char **argv)
{
    memset(cfg, 0, sizeof(*cfg));
    FILE *devnull = fopen("/dev/null", "w");
    int rc = core_config_parse(&s_table, cfg, argc, argv, devnull, err);
    fclose(devnull);
    return rc;
}

Test(core_config, defaults_apply_when_nothing_is_given)
{
    t_config_t cfg;
    char err[CORE_ERR_LEN];
    char *argv[] = { "test" };
    cr_assert_eq(s_parse(&cfg, err, 1, argv), 0, "%s", err);
    cr_assert_str_eq(cfg.name, "screen");
    cr_assert_eq(cfg.workers, 4);
    cr_assert_eq(cfg.rate, 0.5);
    cr_assert_eq(cfg.once, false);
    cr_assert_eq(cfg.files.count, 0);
    core_config_free(&s_table, &cfg);
}

Test(core_config, flags_lists_and_bools)
{
    t_config_t cfg;
    char err[CORE_ERR_LEN];
    char *argv[] = { "test", "--workers=8", "--file", "a", "b", "--once", "--name", "x",
                     "--file", "c" };
    cr_assert_eq(s_parse(&cfg, err, 10, argv), 0, "%s", err);
    cr_assert_eq(cfg.workers, 8);
    cr_assert_eq(cfg.once, true);
    cr_assert_str_eq(cfg.name, "x");
    cr_assert_eq(cfg.files.count, 3);
    cr_assert_str_eq(cfg.files.items[2], "c");
    core_config_free(&s_table, &cfg);
}

Test(core_config, out_of_range_and_unknown_are_refused_with_a_reason)
{
    t_config_t cfg;
    char err[CORE_ERR_LEN];
    char *argv1[] = { "test", "--workers", "65" };
    cr_assert_lt(s_parse(&cfg, err, 3, argv1), 0);
    cr_assert(strstr(err, "out of range") != NULL, "%s", err);
    core_config_free(&s_table, &cfg);
    char *argv2[] = { "test", "--colour", "red" };
    cr_assert_lt(s_parse(&cfg, err, 3, argv2), 0);
    cr_assert(strstr(err, "unknown option '--colour'") != NULL, "%s", err);
    core_config_free(&s_table, &cfg);
    char *argv3[] = { "test", "--rate", "abc" };
    cr_assert_lt(s_parse(&cfg, err, 3, argv3), 0);
    core_config_free(&s_table, &cfg);
}

Test(core_config, file_then_flags_and_file_errors_name_the_line)
{
    char path[] = "/tmp/ps-config-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *text = "# comment\nworkers 2\nname  from-file\nfile one\n";
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    t_config_t cfg;
    char err[CORE_ERR_LEN];
    char *argv[] = { "test", "--config", path, "--workers", "3" };
    cr_assert_eq(s_parse(&cfg, err, 5, argv), 0, "%s", err);
    cr_assert_eq(cfg.workers, 3);
    cr_assert_str_eq(cfg.name, "from-file");
    cr_assert_eq(cfg.files.count, 1);
    core_config_free(&s_table, &cfg);

    FILE *f = fopen(path, "w");
    fputs("workers 2\nbogus 1\n", f);
    fclose(f);
    cr_assert_lt(s_parse(&cfg, err, 3, argv), 0);
    cr_assert(strstr(err, ":2: unknown key 'bogus'") != NULL, "%s", err);
    core_config_free(&s_table, &cfg);
    unlink(path);
}

Test(core_config, help_is_handled)
{
    t_config_t cfg;
    char err[CORE_ERR_LEN];
    char *argv[] = { "test", "--help" };
    cr_assert_eq(s_parse(&cfg, err, 2, argv), 1);
    core_config_free(&s_table, &cfg);
}

Test(core_config, flags_and_file_override_defaults)
{
    char path[] = "/tmp/ps-config-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *text = "rate 0.25\n";
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    t_config_t cfg;
    char err[CORE_ERR_LEN];
    char *argv[] = { "test", "--config", path, "--once", "--name", "flag" };
    cr_assert_eq(s_parse(&cfg, err, 6, argv), 0, "%s", err);
    cr_assert_eq(cfg.rate, 0.25);
    cr_assert_eq(cfg.once, true);
    cr_assert_str_eq(cfg.name, "flag");
    core_config_free(&s_table, &cfg);
    unlink(path);
}
