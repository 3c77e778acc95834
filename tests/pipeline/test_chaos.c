/* test_chaos.c -- 'parcelscreen run' supervision: screen and sink are killed with SIGKILL
 * several times mid-run and restarted by the controller, and the verdicts are exactly those of
 * an undisturbed run (SPEC 4: nothing lost, nothing doubled); a killed ingest restarts the
 * pipeline and reads its input again; a stage that dies too often ends the run naming it;
 * SIGTERM to run drains the pipeline in order and loses nothing that was read; a screen
 * killed while it rebuilds its lists after SIGHUP comes back with the new file.
 *
 * The kill moments of the first test are random but seeded (PS_CHAOS_SEED overrides the seed,
 * the failure messages print it). The stage pids come from run --pid-dir, which run rewrites
 * each time a stage (re)starts. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pipeline_util.h"

#define BIN PS_PARCELSCREEN
#define CHAOS_PARCELS 200000
#define CHAOS_KILLS 4 /* per stage; the test needs at least 3 */

/* The first line where two canonical exports differ, for the failure message. */
static void s_first_difference(const char *a, const char *b, char *out, size_t len)
{
    size_t line = 1;
    const char *la = a, *lb = b;
    while (*a && *a == *b) {
        if (*a == '\n') {
            line++;
            la = a + 1;
            lb = b + 1;
        }
        a++, b++;
    }
    snprintf(out, len, "line %zu:\n  undisturbed: %.300s\n  chaos:       %.300s", line, la, lb);
}

/* xorshift64*: the seeded source of the kill moments. */
static uint64_t s_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* The pid in <dir>/<stage>.pid, or 0. */
static pid_t s_stage_pid(const char *pid_dir, const char *stage)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s.pid", pid_dir, stage);
    char *text = pu_read(path, NULL);
    if (text == NULL)
        return 0;
    long pid = atol(text);
    free(text);
    return pid > 1 ? (pid_t)pid : 0;
}

/* Parses "restarts:          N (ingest a, screen b, sink c)". */
static bool s_restarts(const char *out, unsigned *screen, unsigned *sink)
{
    const char *p = strstr(out, "restarts:");
    unsigned total, ingest;
    return p && sscanf(p, "restarts: %u (ingest %u, screen %u, sink %u)", &total, &ingest, screen,
                       sink) == 4;
}

Test(chaos, screen_and_sink_killed_mid_run_lose_nothing_and_double_nothing, .timeout = 900)
{
    uint64_t seed = 20261127;
    if (getenv("PS_CHAOS_SEED"))
        seed = strtoull(getenv("PS_CHAOS_SEED"), NULL, 10);
    uint64_t rng = seed * 2654435761ULL + 1;

    char *dir = pu_tmpdir();
    char count[32];
    snprintf(count, sizeof(count), "%d", CHAOS_PARCELS);
    pu_generate_demo(dir, count, "17");
    char *wl = pu_path(dir, "demo_watchlist.csv");
    char *in = pu_path(dir, "manifest.ndjson");
    char *db_calm = pu_path(dir, "calm.db");
    char *db_chaos = pu_path(dir, "chaos.db");
    char *exp = pu_path(dir, "export.ndjson");
    char *out = pu_path(dir, "run.out");
    char *err = pu_path(dir, "run.err");
    char *pids = pu_path(dir, "pids");
    cr_assert_eq(mkdir(pids, 0700), 0);

    /* The undisturbed run. */
    char *calm_argv[] = {
        BIN,     "run",          "--watchlist", wl,          "--input", in,          "--db",
        db_calm, "--reject-log", "/dev/null",   "--workers", "2",       "--timeout", "600",
        NULL};
    int st = pu_run(calm_argv, out, err);
    char *text = pu_read(out, NULL);
    char *log = pu_read(err, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "undisturbed run: %s%s", text, log);
    cr_assert_eq(pu_count(text, "parcels screened"), CHAOS_PARCELS, "%s", text);
    free(text), free(log);
    size_t calm_count = 0;
    char *calm = pu_canonical_export(db_calm, exp, &calm_count);
    cr_assert_eq(calm_count, CHAOS_PARCELS);
    cr_assert(strstr(calm, "\"rule_id\"") != NULL, "no hits at all");

    /* The same run, with screen and sink killed CHAOS_KILLS times each. */
    char *chaos_argv[] = {
        BIN,         "run",          "--watchlist",    wl,          "--input", in,          "--db",
        db_chaos,    "--reject-log", "/dev/null",      "--workers", "2",       "--timeout", "600",
        "--pid-dir", pids,           "--max-restarts", "20",        NULL};
    pid_t run = pu_spawn(chaos_argv, out, err);
    cr_assert_gt(run, 0);
    static const char *const victims[2] = {"screen", "sink"};
    int kills[2] = {0, 0};
    pid_t last_killed[2] = {0, 0};
    bool run_done = false;
    int status = -1;
    while (!run_done && (kills[0] < CHAOS_KILLS || kills[1] < CHAOS_KILLS)) {
        /* The next victim: whichever still needs kills, at random when both do. */
        int v = kills[0] >= CHAOS_KILLS ? 1 : kills[1] >= CHAOS_KILLS ? 0 : (int)(s_rand(&rng) & 1);
        long delay_ms = 100 + (long)(s_rand(&rng) % 500);
        pu_sleep_ms(delay_ms);
        /* Only a fresh incarnation is killed: wait until run has restarted the last one. */
        pid_t pid = 0;
        while (!run_done) {
            if (waitpid(run, &status, WNOHANG) == run) {
                run_done = true;
                break;
            }
            pid = s_stage_pid(pids, victims[v]);
            if (pid > 0 && pid != last_killed[v] && kill(pid, 0) == 0)
                break;
            pu_sleep_ms(10);
        }
        if (run_done)
            break;
        if (kill(pid, SIGKILL) == 0) {
            kills[v]++;
            last_killed[v] = pid;
        }
    }
    if (!run_done)
        waitpid(run, &status, 0);
    text = pu_read(out, NULL);
    log = pu_read(err, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "seed %llu: chaos run exit %d: %s%s",
              (unsigned long long)seed, WIFEXITED(status) ? WEXITSTATUS(status) : -1, text, log);
    cr_assert(kills[0] >= 3 && kills[1] >= 3,
              "seed %llu: the run ended after %d kills of screen and %d of sink: %s%s",
              (unsigned long long)seed, kills[0], kills[1], text, log);

    /* A restart for the kills (a kill after the last ACK would be reported, not restarted). */
    unsigned rs_screen = 0, rs_sink = 0;
    cr_assert(s_restarts(text, &rs_screen, &rs_sink), "no restarts line: %s", text);
    cr_assert_geq(rs_screen, 3, "seed %llu: %s%s", (unsigned long long)seed, text, log);
    cr_assert_geq(rs_sink, 3, "seed %llu: %s%s", (unsigned long long)seed, text, log);
    cr_assert(strstr(log, "parcelscreen: run: screen killed by signal 9; restart 1 in ") != NULL,
              "%s", log);
    cr_assert(strstr(log, "parcelscreen: run: sink killed by signal 9; restart 1 in ") != NULL,
              "%s", log);

    /* The accounting adds up and counts every parcel once. */
    long long read = pu_count(text, "records read");
    long long screened = pu_count(text, "parcels screened");
    long long rejected = pu_count(text, "records rejected");
    cr_assert_eq(read, CHAOS_PARCELS, "%s", text);
    cr_assert_eq(rejected, 0, "%s", text);
    cr_assert_eq(read, screened + rejected, "%s", text);
    /* Counted from the database, so exact although sinks were killed between their STATS. */
    cr_assert_eq(pu_count(text, "verdicts stored"), CHAOS_PARCELS, "%s", text);

    /* Exactly one verdict per parcel, and the very verdicts of the undisturbed run. */
    size_t chaos_count = 0;
    char *chaos = pu_canonical_export(db_chaos, exp, &chaos_count);
    cr_assert_eq(chaos_count, CHAOS_PARCELS, "seed %llu", (unsigned long long)seed);
    if (strcmp(calm, chaos) != 0) {
        char diff[1024];
        s_first_difference(calm, chaos, diff, sizeof(diff));
        cr_assert_fail("seed %llu: verdicts differ from the undisturbed run at %s",
                       (unsigned long long)seed, diff);
    }

    free(calm), free(chaos), free(text), free(log);
    free(wl), free(in), free(db_calm), free(db_chaos), free(exp), free(out), free(err);
    pu_rmtree(dir);
    free(pids);
    free(dir);
}

/* Writes all of data to fd. */
static void s_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        cr_assert_gt(n, 0, "write to run's stdin: %s", strerror(errno));
        data += n;
        len -= (size_t)n;
    }
}

/* Verdicts in the database now (export runs beside the sink), or 0 before it exists. */
static size_t s_stored(const char *db, const char *path)
{
    if (access(db, F_OK) != 0)
        return 0;
    char *argv[] = {BIN, "export", "--db", (char *)db, NULL};
    int st = pu_run(argv, path, NULL);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return 0;
    pu_lines_t l;
    if (!pu_lines_read(path, &l))
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < l.count; i++)
        n += l.lines[i][0] != '\0';
    pu_lines_free(&l);
    return n;
}

Test(chaos, sigterm_drains_ingest_then_screen_then_sink_and_exits_0, .timeout = 300)
{
    char *dir = pu_tmpdir();
    pu_generate_demo(dir, "40000", "19");
    char *wl = pu_path(dir, "demo_watchlist.csv");
    char *in = pu_path(dir, "manifest.ndjson");
    char *db = pu_path(dir, "term.db");
    char *exp = pu_path(dir, "export.ndjson");
    char *out = pu_path(dir, "run.out");
    char *err = pu_path(dir, "run.err");
    size_t len = 0;
    char *manifest = pu_read(in, &len);
    cr_assert_not_null(manifest);
    /* Half the manifest, cut at a line end. */
    size_t half = len / 2;
    while (half < len && manifest[half - 1] != '\n')
        half++;

    /* run reads the manifest from a pipe that this test keeps open: it cannot end by itself. */
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    char *argv[] = {
        BIN,    "run", "--watchlist",  wl,          "--input",   "-", "--format",  "ndjson",
        "--db", db,    "--reject-log", "/dev/null", "--workers", "2", "--timeout", "200",
        NULL};
    fflush(NULL);
    pid_t run = fork();
    cr_assert_geq(run, 0);
    if (run == 0) {
        dup2(fds[0], STDIN_FILENO);
        close(fds[0]);
        close(fds[1]);
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, STDOUT_FILENO);
        dup2(e, STDERR_FILENO);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[0]);
    signal(SIGPIPE, SIG_IGN);
    /* First half, then wait until verdicts arrive (the pipeline is flowing), then the rest
     * and SIGTERM at once, while batches are in flight. */
    s_write_all(fds[1], manifest, half);
    size_t stored = 0;
    for (int i = 0; i < 6000 && stored == 0; i++) {
        pu_sleep_ms(20);
        stored = s_stored(db, exp);
    }
    cr_assert_gt(stored, 0, "no verdict stored from the first half");
    s_write_all(fds[1], manifest + half, len - half);
    cr_assert_eq(kill(run, SIGTERM), 0);
    int status = -1;
    waitpid(run, &status, 0);
    close(fds[1]);

    char *text = pu_read(out, NULL);
    char *log = pu_read(err, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "run exit %d: %s%s",
              WIFEXITED(status) ? WEXITSTATUS(status) : -1, text, log);
    cr_assert(strstr(log, "interrupted, stopping ingest, then screen, then sink") != NULL, "%s",
              log);
    /* Everything ingest read was screened and stored: nothing was in flight when it ended. */
    long long read = pu_count(text, "records read");
    long long screened = pu_count(text, "parcels screened");
    long long rejected = pu_count(text, "records rejected");
    cr_assert_geq(read, (long long)stored, "%s", text);
    cr_assert_leq(read, 40000, "%s", text);
    cr_assert_eq(rejected, 0, "%s", text);
    cr_assert_eq(read, screened + rejected, "%s", text);
    cr_assert_eq(pu_count(text, "verdicts stored"), screened, "%s", text);
    pu_verdicts_t v;
    pu_export(db, exp);
    cr_assert(pu_verdicts_load(exp, &v));
    cr_assert_eq((long long)v.lines.count, screened, "%s", text);
    cr_assert_not(pu_verdicts_has_duplicates(&v), "a parcel has two verdicts");
    pu_verdicts_free(&v);

    free(manifest), free(text), free(log);
    free(wl), free(in), free(db), free(exp), free(out), free(err);
    pu_rmtree(dir);
    free(dir);
}

/* Waits for a pid in <pid_dir>/<stage>.pid other than 'not' that is alive; 0 if run ended. */
static pid_t s_wait_stage(const char *pid_dir, const char *stage, pid_t not, pid_t run, int *status)
{
    for (;;) {
        if (waitpid(run, status, WNOHANG) == run)
            return 0;
        pid_t pid = s_stage_pid(pid_dir, stage);
        if (pid > 0 && pid != not &&kill(pid, 0) == 0)
            return pid;
        pu_sleep_ms(5);
    }
}

/* A run with --pid-dir and --max-restarts. The tests below stop its sink (SIGSTOP) as soon as
 * it starts: nothing is acknowledged, so the run cannot end while they kill another stage. */
static char **s_run_argv(char *wl, char *in, char *db, char *pids, const char *max_restarts)
{
    static char *argv[24];
    char *a[] = {
        BIN,         "run", "--watchlist",  wl,          "--input",        in,
        "--db",      db,    "--reject-log", "/dev/null", "--workers",      "2",
        "--timeout", "300", "--pid-dir",    pids,        "--max-restarts", (char *)max_restarts,
        NULL};
    memcpy(argv, a, sizeof(a));
    return argv;
}

Test(chaos, a_killed_ingest_restarts_the_pipeline_and_reads_its_input_again, .timeout = 300)
{
    char *dir = pu_tmpdir();
    pu_generate_demo(dir, "20000", "23");
    char *wl = pu_path(dir, "demo_watchlist.csv");
    char *in = pu_path(dir, "manifest.ndjson");
    char *db = pu_path(dir, "ingest.db");
    char *exp = pu_path(dir, "export.ndjson");
    char *out = pu_path(dir, "run.out");
    char *err = pu_path(dir, "run.err");
    char *pids = pu_path(dir, "pids");
    cr_assert_eq(mkdir(pids, 0700), 0);

    pid_t run = pu_spawn(s_run_argv(wl, in, db, pids, "5"), out, err);
    int status = -1;
    pid_t sink = s_wait_stage(pids, "sink", 0, run, &status);
    cr_assert_gt(sink, 0, "run ended before sink started");
    cr_assert_eq(kill(sink, SIGSTOP), 0);
    pid_t ingest = s_wait_stage(pids, "ingest", 0, run, &status);
    cr_assert_gt(ingest, 0, "run ended before ingest started");
    pu_sleep_ms(300); /* let ingest read and send what its credit allows (not needed) */
    cr_assert_eq(kill(ingest, SIGKILL), 0);
    kill(sink, SIGCONT); /* run stops it (SIGTERM) and starts it again with ingest */
    waitpid(run, &status, 0);

    char *text = pu_read(out, NULL);
    char *log = pu_read(err, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "run exit %d: %s%s",
              WIFEXITED(status) ? WEXITSTATUS(status) : -1, text, log);
    cr_assert(strstr(log, "parcelscreen: run: ingest killed by signal 9; restart 1 in ") != NULL,
              "%s", log);
    cr_assert(strstr(text, "restarts:          1 (ingest 1, screen 0, sink 0)") != NULL, "%s",
              text);
    cr_assert_eq(pu_count(text, "records read"), 20000, "%s", text);
    cr_assert_eq(pu_count(text, "parcels screened"), 20000, "%s", text);
    cr_assert_eq(pu_count(text, "verdicts stored"), 20000, "%s", text);
    pu_export(db, exp);
    pu_verdicts_t v;
    cr_assert(pu_verdicts_load(exp, &v));
    cr_assert_eq(v.lines.count, 20000);
    cr_assert_not(pu_verdicts_has_duplicates(&v), "a parcel has two verdicts");
    pu_verdicts_free(&v);

    free(text), free(log);
    free(wl), free(in), free(db), free(exp), free(out), free(err);
    pu_rmtree(dir);
    free(pids);
    free(dir);
}

Test(chaos, a_stage_dying_more_than_max_restarts_times_ends_the_run_naming_it, .timeout = 300)
{
    char *dir = pu_tmpdir();
    pu_generate_demo(dir, "20000", "29");
    char *wl = pu_path(dir, "demo_watchlist.csv");
    char *in = pu_path(dir, "manifest.ndjson");
    char *db = pu_path(dir, "max.db");
    char *out = pu_path(dir, "run.out");
    char *err = pu_path(dir, "run.err");
    char *pids = pu_path(dir, "pids");
    cr_assert_eq(mkdir(pids, 0700), 0);

    pid_t run = pu_spawn(s_run_argv(wl, in, db, pids, "2"), out, err);
    int status = -1;
    pid_t sink = s_wait_stage(pids, "sink", 0, run, &status);
    cr_assert_gt(sink, 0, "run ended before sink started");
    cr_assert_eq(kill(sink, SIGSTOP), 0);
    /* Three deaths of screen: two restarts are allowed, the third ends the run. */
    pid_t screen = 0;
    for (int i = 0; i < 3; i++) {
        screen = s_wait_stage(pids, "screen", screen, run, &status);
        cr_assert_gt(screen, 0, "run ended after %d kills", i);
        cr_assert_eq(kill(screen, SIGKILL), 0);
    }
    kill(sink, SIGCONT);
    waitpid(run, &status, 0);

    char *log = pu_read(err, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1, "run exit %d: %s",
              WIFEXITED(status) ? WEXITSTATUS(status) : -1, log);
    cr_assert(strstr(log, "parcelscreen: run: screen killed by signal 9; restart 2 in ") != NULL,
              "%s", log);
    cr_assert(strstr(log, "parcelscreen: run: stage screen killed by signal 9; it died 3 times "
                          "within 60 s (--max-restarts 2), giving up") != NULL,
              "%s", log);
    cr_assert_null(strstr(log, "restart 3 in"), "%s", log);

    free(log);
    free(wl), free(in), free(db), free(out), free(err);
    pu_rmtree(dir);
    free(pids);
    free(dir);
}

/* The watchlist_version of an export line, copied into out ("" when absent). */
static void s_version_of(const char *line, char *out, size_t len)
{
    out[0] = '\0';
    const char *p = strstr(line, "\"watchlist_version\":\"");
    if (p == NULL)
        return;
    p += strlen("\"watchlist_version\":\"");
    const char *q = strchr(p, '"');
    if (q && (size_t)(q - p) < len)
        snprintf(out, len, "%.*s", (int)(q - p), p);
}

Test(chaos, screen_killed_during_a_reload_restarts_with_the_new_lists, .timeout = 300)
{
    /* The list file is rewritten, screen gets SIGHUP and is killed while it rebuilds. run
     * restarts it; the new screen loads the new file. Nothing lost or doubled, and every hit
     * of the added rule names the version that holds it. */
    char *dir = pu_tmpdir();
    pu_generate_demo(dir, "20000", "31");
    char *wl = pu_path(dir, "demo_watchlist.csv");
    char *in = pu_path(dir, "manifest.ndjson");
    char *db = pu_path(dir, "reload.db");
    char *exp = pu_path(dir, "export.ndjson");
    char *out = pu_path(dir, "run.out");
    char *err = pu_path(dir, "run.err");
    char *pids = pu_path(dir, "pids");
    cr_assert_eq(mkdir(pids, 0700), 0);

    pid_t run = pu_spawn(s_run_argv(wl, in, db, pids, "5"), out, err);
    int status = -1;
    pid_t sink = s_wait_stage(pids, "sink", 0, run, &status);
    cr_assert_gt(sink, 0, "run ended before sink started");
    cr_assert_eq(kill(sink, SIGSTOP), 0); /* nothing is acknowledged until SIGCONT */
    pid_t screen = s_wait_stage(pids, "screen", 0, run, &status);
    cr_assert_gt(screen, 0, "run ended before screen started");
    pu_sleep_ms(500); /* screen compiles and takes batches */

    size_t len = 0;
    char *text = pu_read(wl, &len);
    cr_assert_not_null(text);
    const char *extra = "RELOAD-CN,reload,country,origin_country,CN,10,added during the run\n";
    char *grown = NULL;
    cr_assert_geq(asprintf(&grown, "%s%s%s", text, len && text[len - 1] != '\n' ? "\n" : "", extra),
                  0);
    pu_write(wl, grown, strlen(grown));
    free(text), free(grown);
    cr_assert_eq(kill(screen, SIGHUP), 0);
    pu_sleep_ms(20); /* the rebuild has started in the background */
    cr_assert_eq(kill(screen, SIGKILL), 0);
    pid_t screen2 = s_wait_stage(pids, "screen", screen, run, &status);
    cr_assert_gt(screen2, 0, "run ended before screen was restarted");
    kill(sink, SIGCONT);
    waitpid(run, &status, 0);

    text = pu_read(out, NULL);
    char *log = pu_read(err, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "run exit %d: %s%s",
              WIFEXITED(status) ? WEXITSTATUS(status) : -1, text, log);
    cr_assert(strstr(log, "parcelscreen: run: screen killed by signal 9; restart 1 in ") != NULL,
              "%s", log);
    cr_assert_eq(pu_count(text, "parcels screened"), 20000, "%s", text);
    cr_assert_eq(pu_count(text, "verdicts stored"), 20000, "%s", text);

    pu_export(db, exp);
    pu_verdicts_t v;
    cr_assert(pu_verdicts_load(exp, &v));
    cr_assert_eq(v.lines.count, 20000);
    cr_assert_not(pu_verdicts_has_duplicates(&v), "a parcel has two verdicts");
    char versions[2][128] = {"", ""};
    char with_rule[128] = "";
    size_t rule_hits = 0;
    for (size_t i = 0; i < v.lines.count; i++) {
        const char *line = v.lines.lines[i];
        char ver[128];
        s_version_of(line, ver, sizeof(ver));
        cr_assert_neq(ver[0], '\0', "a verdict without its version: %.200s", line);
        if (strcmp(ver, versions[0]) != 0 && strcmp(ver, versions[1]) != 0) {
            cr_assert(versions[1][0] == '\0', "a third watchlist version: %s", ver);
            snprintf(versions[versions[0][0] ? 1 : 0], sizeof(versions[0]), "%s", ver);
        }
        if (strstr(line, "\"RELOAD-CN\"")) {
            rule_hits++;
            if (with_rule[0] == '\0')
                snprintf(with_rule, sizeof(with_rule), "%s", ver);
            cr_assert_str_eq(ver, with_rule, "the added rule hit under two versions");
        }
    }
    cr_assert_gt(rule_hits, 0, "the restarted screen did not load the new list");
    pu_verdicts_free(&v);

    free(text), free(log);
    free(wl), free(in), free(db), free(exp), free(out), free(err);
    pu_rmtree(dir);
    free(pids);
    free(dir);
}
