/* test_faults.c -- nothing lost, nothing doubled (SPEC 4) when things go wrong: the real
 * processes, run as separate stages over ipc, with the database locked by another writer,
 * the sink's files unable to grow (RLIMIT_FSIZE), the sink started late or stopped
 * (SIGSTOP), and ingest killed (SIGKILL) and restarted with its --state file. Each test checks
 * the database afterwards: every parcel has exactly one verdict. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pipeline_util.h"

#define BIN PS_PARCELSCREEN

/* A directory with generated parcels, endpoints, and the three stages' command lines. */
typedef struct {
    char *dir;
    char *wl;    /* demo watchlist */
    char *input; /* manifest.ndjson */
    char *db;    /* verdicts */
    char *state; /* ingest --state */
    char *sink_err, *screen_err, *ingest_err;
    char at_parcels[200], to_parcels[200], at_verdicts[200], to_verdicts[200], at_acks[200],
        to_acks[200];
    pid_t sink, screen, ingest;
    long parcels;
} env_t;

static void s_env_init(env_t *e, const char *parcels)
{
    memset(e, 0, sizeof(*e));
    e->dir = pu_tmpdir();
    e->parcels = atol(parcels);
    pu_generate_demo(e->dir, parcels, "11");
    e->wl = pu_path(e->dir, "demo_watchlist.csv");
    e->input = pu_path(e->dir, "manifest.ndjson");
    e->db = pu_path(e->dir, "v.db");
    e->state = pu_path(e->dir, "ingest.state");
    e->sink_err = pu_path(e->dir, "sink.err");
    e->screen_err = pu_path(e->dir, "screen.err");
    e->ingest_err = pu_path(e->dir, "ingest.err");
    snprintf(e->at_parcels, sizeof(e->at_parcels), "@ipc://%s/p", e->dir);
    snprintf(e->to_parcels, sizeof(e->to_parcels), ">ipc://%s/p", e->dir);
    snprintf(e->at_verdicts, sizeof(e->at_verdicts), "@ipc://%s/v", e->dir);
    snprintf(e->to_verdicts, sizeof(e->to_verdicts), ">ipc://%s/v", e->dir);
    snprintf(e->at_acks, sizeof(e->at_acks), "@ipc://%s/a", e->dir);
    snprintf(e->to_acks, sizeof(e->to_acks), ">ipc://%s/a", e->dir);
}

/* Starts sink; with fsize_limit > 0 its files may not grow past that many bytes (the soft
 * RLIMIT_FSIZE; the hard limit stays unlimited so the test can lift it) and SIGXFSZ is
 * ignored, so a write past it fails with EFBIG: our stand-in for a full disk. */
static pid_t s_start_sink(env_t *e, const char *busy_ms, rlim_t fsize_limit)
{
    char busy[64];
    snprintf(busy, sizeof(busy), "--busy-timeout-ms=%s", busy_ms);
    char *argv[] = {BIN,      "sink",     "--db", e->db,          "--verdicts", e->at_verdicts,
                    "--acks", e->to_acks, busy,   "--queue-pub=", NULL};
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int err = open(e->sink_err, O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(in, STDIN_FILENO);
        dup2(err, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        if (fsize_limit > 0) {
            signal(SIGXFSZ, SIG_IGN);
            struct rlimit rl = {fsize_limit, RLIM_INFINITY};
            setrlimit(RLIMIT_FSIZE, &rl);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static pid_t s_start_screen(env_t *e)
{
    char *argv[] = {BIN,          "screen",       "--watchlist", e->wl, "--parcels", e->at_parcels,
                    "--verdicts", e->to_verdicts, "--workers",   "2",   NULL};
    return pu_spawn(argv, NULL, e->screen_err);
}

/* Starts ingest --once with --state and a short resend timeout. */
static pid_t s_start_ingest(env_t *e, const char *batch_size, const char *in_flight)
{
    char *argv[] = {BIN,
                    "ingest",
                    "--input",
                    e->input,
                    "--parcels",
                    e->to_parcels,
                    "--acks",
                    e->at_acks,
                    "--once",
                    "--state",
                    e->state,
                    "--batch-size",
                    (char *)batch_size,
                    "--max-in-flight",
                    (char *)in_flight,
                    "--resend-timeout-ms",
                    "500",
                    NULL};
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int err = open(e->ingest_err, O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(in, STDIN_FILENO);
        dup2(err, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Waits (bounded) for pid; returns its wait status, or -1 after timeout_s. */
static int s_wait(pid_t pid, int timeout_s)
{
    for (int i = 0; i < timeout_s * 100; i++) {
        int st = 0;
        if (waitpid(pid, &st, WNOHANG) == pid)
            return st;
        pu_sleep_ms(10);
    }
    return -1;
}

/* True once 'needle' appears in the file (polled up to timeout_s). */
static bool s_wait_log(const char *path, const char *needle, int timeout_s)
{
    for (int i = 0; i < timeout_s * 50; i++) {
        char *text = pu_read(path, NULL);
        bool found = text && strstr(text, needle);
        free(text);
        if (found)
            return true;
        pu_sleep_ms(20);
    }
    return false;
}

static void s_expect_ingest_ok(env_t *e, int timeout_s)
{
    int st = s_wait(e->ingest, timeout_s);
    char *log = pu_read(e->ingest_err, NULL);
    cr_assert(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "ingest (status %d): %s", st,
              log ? log : "");
    free(log);
    e->ingest = 0;
}

/* Every parcel exactly once in the database. */
static void s_expect_every_verdict_once(env_t *e)
{
    char *exp = pu_path(e->dir, "export.ndjson");
    char *argv[] = {BIN, "export", "--db", e->db, NULL};
    int st = pu_run(argv, exp, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "export failed");
    pu_verdicts_t v;
    cr_assert(pu_verdicts_load(exp, &v));
    cr_assert_eq((long)v.lines.count, e->parcels, "verdicts %zu, parcels %ld", v.lines.count,
                 e->parcels);
    cr_assert_not(pu_verdicts_has_duplicates(&v), "a parcel has two verdicts");
    pu_verdicts_free(&v);
    free(exp);
}

static void s_env_stop(env_t *e)
{
    pid_t *all[] = {&e->ingest, &e->screen, &e->sink};
    for (size_t i = 0; i < 3; i++) {
        if (*all[i] > 0) {
            kill(*all[i], SIGCONT);
            kill(*all[i], SIGTERM);
            if (s_wait(*all[i], 10) == -1) {
                kill(*all[i], SIGKILL);
                waitpid(*all[i], NULL, 0);
            }
        }
        *all[i] = 0;
    }
    pu_rmtree(e->dir);
    free(e->dir), free(e->wl), free(e->input), free(e->db), free(e->state);
    free(e->sink_err), free(e->screen_err), free(e->ingest_err);
}

Test(faults, database_locked_by_another_writer_for_2_s, .timeout = 300)
{
    env_t e;
    s_env_init(&e, "3000");
    /* sink may wait only 100 ms for the lock: its transactions fail while the test holds it. */
    e.sink = s_start_sink(&e, "100", 0);
    cr_assert(s_wait_log(e.sink_err, "storing verdicts", 30), "sink did not start");
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(e.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    cr_assert_eq(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK, "%s",
                 sqlite3_errmsg(db));
    e.screen = s_start_screen(&e);
    e.ingest = s_start_ingest(&e, "100", "8");
    cr_assert(s_wait_log(e.sink_err, "transaction failed", 60), "the sink never met the lock");
    pu_sleep_ms(2000);
    cr_assert_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    s_expect_ingest_ok(&e, 120);
    s_expect_every_verdict_once(&e);
    cr_assert(s_wait(e.sink, 0) == -1, "sink is still running");
    s_env_stop(&e);
}

Test(faults, sink_files_cannot_grow_until_the_limit_is_lifted, .timeout = 300)
{
    env_t e;
    s_env_init(&e, "3000");
    /* Create the database without a limit first, then restart sink with one. */
    e.sink = s_start_sink(&e, "1000", 0);
    cr_assert(s_wait_log(e.sink_err, "storing verdicts", 30), "sink did not start");
    kill(e.sink, SIGTERM);
    cr_assert_neq(s_wait(e.sink, 30), -1);
    struct stat sb;
    cr_assert_eq(stat(e.db, &sb), 0);
    rlim_t limit = (rlim_t)sb.st_size + 64 * 1024;
    e.sink = s_start_sink(&e, "1000", limit);
    e.screen = s_start_screen(&e);
    e.ingest = s_start_ingest(&e, "100", "8");
    cr_assert(s_wait_log(e.sink_err, "transaction failed", 60),
              "the sink never hit the file size limit");
    pu_sleep_ms(1500);
    cr_assert_eq(s_wait(e.ingest, 0), -1, "ingest finished while the sink could not write");
    /* Space comes back. */
    struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
    cr_assert_eq(prlimit(e.sink, RLIMIT_FSIZE, &rl, NULL), 0, "prlimit: %m");
    s_expect_ingest_ok(&e, 120);
    s_expect_every_verdict_once(&e);
    s_env_stop(&e);
}

Test(faults, sink_started_late_and_stopped_for_seconds, .timeout = 300)
{
    env_t e;
    s_env_init(&e, "3000");
    e.screen = s_start_screen(&e);
    e.ingest = s_start_ingest(&e, "50", "8");
    pu_sleep_ms(3000); /* no sink at all */
    cr_assert_eq(s_wait(e.ingest, 0), -1, "ingest gave up without a sink");
    e.sink = s_start_sink(&e, "1000", 0);
    cr_assert(s_wait_log(e.sink_err, "storing verdicts", 30), "sink did not start");
    pu_sleep_ms(300);
    kill(e.sink, SIGSTOP); /* gone for a while, mid-stream */
    pu_sleep_ms(3000);
    kill(e.sink, SIGCONT);
    s_expect_ingest_ok(&e, 120);
    s_expect_every_verdict_once(&e);
    s_env_stop(&e);
}

/* Records accounted for in the state file ("file RECORDS ..."), 0 when there is none yet. */
static long s_state_records(const char *path)
{
    char *text = pu_read(path, NULL);
    long records = 0;
    const char *line = text ? strstr(text, "\nfile ") : NULL;
    if (line == NULL || sscanf(line, "\nfile %ld", &records) != 1)
        records = 0;
    free(text);
    return records;
}

Test(faults, ingest_killed_mid_way_resumes_from_its_state_file, .timeout = 300)
{
    env_t e;
    s_env_init(&e, "20000");
    e.sink = s_start_sink(&e, "1000", 0);
    e.screen = s_start_screen(&e);
    /* Small batches, one in flight: a commit per 20 parcels, slow enough to kill mid-way. */
    e.ingest = s_start_ingest(&e, "20", "1");
    long at = 0;
    for (int i = 0; i < 6000 && (at = s_state_records(e.state)) < 2000; i++)
        pu_sleep_ms(5);
    kill(e.ingest, SIGKILL);
    waitpid(e.ingest, NULL, 0);
    e.ingest = 0;
    at = s_state_records(e.state);
    cr_assert(at >= 2000 && at < 20000, "killed at %ld records: not mid-way", at);

    e.ingest = s_start_ingest(&e, "256", "64");
    s_expect_ingest_ok(&e, 120);
    char *log = pu_read(e.ingest_err, NULL);
    cr_assert_not_null(strstr(log, "resuming"), "%s", log);
    free(log);
    cr_assert_eq(s_state_records(e.state), 20000);
    s_expect_every_verdict_once(&e);
    s_env_stop(&e);
}

Test(faults, run_with_state_skips_a_finished_input, .timeout = 300)
{
    env_t e;
    s_env_init(&e, "500");
    char *out = pu_path(e.dir, "run.out");
    char *err = pu_path(e.dir, "run.err");
    char *argv[] = {BIN,       "run",   "--watchlist", e.wl, "--input",   e.input, "--db", e.db,
                    "--state", e.state, "--workers",   "1",  "--timeout", "120",   NULL};
    for (int pass = 0; pass < 2; pass++) {
        int st = pu_run(argv, out, err);
        char *text = pu_read(out, NULL);
        char *log = pu_read(err, NULL);
        cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "run: %s%s", text, log);
        if (pass == 0) {
            cr_assert_eq(pu_count(text, "records read"), 500, "%s", text);
            cr_assert_eq(pu_count(text, "parcels screened"), 500, "%s", text);
        } else {
            cr_assert_eq(pu_count(text, "records read"), 0, "%s", text);
            cr_assert_eq(pu_count(text, "parcels screened"), 0, "%s", text);
            cr_assert_eq(pu_count(text, "records skipped (resumed)"), 500, "%s", text);
        }
        free(text);
        free(log);
    }
    s_expect_every_verdict_once(&e);
    free(out);
    free(err);
    s_env_stop(&e);
}
