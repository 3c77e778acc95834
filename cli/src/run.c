/* run.c -- the 'parcelscreen run' controller: start, supervise and account for the stages.
 *
 * See run.h for the design. Sockets: one PULL bound at ipc://<dir>/stats receiving STATS from
 * every stage. Threads: one. */
#include "cli/run.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zmq.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/core.h"
#include "core/log.h"
#include "core/signals.h"
#include "proto/control.h"
#include "proto/socket.h"

typedef struct {
    core_strlist_t watchlist; /* --watchlist */
    core_strlist_t input;     /* --input */
    char *format;             /* --format */
    char *db;                 /* --db */
    char *reject_log;         /* --reject-log */
    long workers;             /* --workers */
    long batch_size;          /* --batch-size */
    double random_rate;       /* --random-rate */
    long red;                 /* --red */
    long yellow;              /* --yellow */
    char *queue_pub;          /* --queue-pub */
    long timeout_s;           /* --timeout */
    bool quiet;               /* --quiet */
    char *latency_log;        /* --latency-log */
    char *report;             /* --report */
} run_config_t;

#define OPT(k, t, d, lo, hi, f, h) { k, t, d, lo, hi, offsetof(run_config_t, f), h }
static const core_config_opt_t s_opts[] = {
    OPT("watchlist", CORE_CONFIG_LIST, NULL, 0, 0, watchlist, "watchlist CSV files (SPEC 2)"),
    OPT("input", CORE_CONFIG_LIST, NULL, 0, 0, input, "manifest files, or - for stdin"),
    OPT("format", CORE_CONFIG_STR, "auto", 0, 0, format, "auto|ndjson|csv|msgpack"),
    OPT("db", CORE_CONFIG_STR, NULL, 0, 0, db, "SQLite database for verdicts and the queue"),
    OPT("reject-log", CORE_CONFIG_STR, "-", 0, 0, reject_log, "where rejected records are logged"),
    OPT("workers", CORE_CONFIG_INT, "0", 0, 1024, workers, "screen worker threads (0 = cores)"),
    OPT("batch-size", CORE_CONFIG_INT, "256", 1, 4096, batch_size, "parcels per batch"),
    OPT("random-rate", CORE_CONFIG_DOUBLE, "0", 0, 1, random_rate,
        "fraction of parcels selected at random for the queue"),
    OPT("red", CORE_CONFIG_INT, "70", 1, 100, red, "risk score from which a verdict is red"),
    OPT("yellow", CORE_CONFIG_INT, "40", 1, 100, yellow, "risk score from which it is yellow"),
    OPT("queue-pub", CORE_CONFIG_STR, "", 0, 0, queue_pub,
        "endpoint where sink publishes new queue entries (empty: none)"),
    OPT("timeout", CORE_CONFIG_INT, "0", 0, 86400 * 7, timeout_s,
        "give up after this many seconds (0: never)"),
    OPT("quiet", CORE_CONFIG_BOOL, "false", 0, 0, quiet, "no progress lines"),
    OPT("latency-log", CORE_CONFIG_STR, "", 0, 0, latency_log,
        "sink appends 'seq parcels ingest_ns commit_ns' per committed batch here (benchmarks)"),
    OPT("report", CORE_CONFIG_STR, "", 0, 0, report,
        "write one line per stage here at the end: CPU, peak RSS, exit, final counters"),
};

static const core_config_table_t s_table = {
    .name = "run",
    .usage = "--watchlist F... --input F... --db PATH [options]",
    .summary = "Starts ingest, screen and sink as separate processes over ZeroMQ, screens the "
               "input, waits until every record is accounted for, prints the counts.",
    .opts = s_opts,
    .count = CORE_ARRAY_LEN(s_opts),
};

enum { STAGE_SINK, STAGE_SCREEN, STAGE_INGEST, STAGE_COUNT };
static const char *const s_stage_names[STAGE_COUNT] = { "sink", "screen", "ingest" };

typedef struct {
    pid_t pid;           /* child pid, 0 once reaped */
    int status;          /* wait status once reaped */
    struct rusage ru;    /* the stage's resource use once reaped (wait4) */
    bool exited;         /* reaped */
    bool have_final;     /* final STATS received */
    proto_stats_t stats; /* latest STATS */
} run_stage_t;

typedef struct {
    char dir[64];               /* private directory for ipc endpoints */
    char ep_parcels[128];       /* ipc endpoint for PARCEL_BATCH */
    char ep_verdicts[128];      /* ipc endpoint for VERDICT_BATCH */
    char ep_acks[128];          /* ipc endpoint for ACK */
    char ep_stats[128];         /* ipc endpoint for STATS */
    run_stage_t stages[STAGE_COUNT];
} run_state_t;

static uint64_t s_counter(const run_stage_t *st, const char *name)
{
    uint64_t v = 0;
    if (proto_stats_get(&st->stats, name, &v) != 0)
        return 0;
    return v;
}

static void s_argv_push(char ***argv, size_t *argc, const char *s)
{
    *argv = core_realloc(*argv, (*argc + 2) * sizeof(**argv));
    (*argv)[(*argc)++] = core_strdup(s);
    (*argv)[*argc] = NULL;
}

static void s_argv_free(char **argv, size_t argc)
{
    for (size_t i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
}

static void s_argv_pushf(char ***argv, size_t *argc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void s_argv_pushf(char ***argv, size_t *argc, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    s_argv_push(argv, argc, tmp);
}

/* Builds the argument vector of one stage. */
static void s_stage_argv(const run_config_t *cfg, const run_state_t *rs, int stage,
                         char ***argv, size_t *argc)
{
    s_argv_push(argv, argc, "parcelscreen");
    s_argv_push(argv, argc, s_stage_names[stage]);
    s_argv_push(argv, argc, "--once");
    s_argv_push(argv, argc, "--stats");
    s_argv_pushf(argv, argc, ">%s", rs->ep_stats);
    switch (stage) {
    case STAGE_SINK:
        s_argv_push(argv, argc, "--db");
        s_argv_push(argv, argc, cfg->db);
        s_argv_push(argv, argc, "--verdicts");
        s_argv_pushf(argv, argc, "@%s", rs->ep_verdicts);
        s_argv_push(argv, argc, "--acks");
        s_argv_pushf(argv, argc, ">%s", rs->ep_acks);
        s_argv_pushf(argv, argc, "--queue-pub=%s", cfg->queue_pub ? cfg->queue_pub : "");
        if (cfg->latency_log && cfg->latency_log[0])
            s_argv_pushf(argv, argc, "--latency-log=%s", cfg->latency_log);
        break;
    case STAGE_SCREEN:
        s_argv_push(argv, argc, "--parcels");
        s_argv_pushf(argv, argc, "@%s", rs->ep_parcels);
        s_argv_push(argv, argc, "--verdicts");
        s_argv_pushf(argv, argc, ">%s", rs->ep_verdicts);
        s_argv_push(argv, argc, "--workers");
        s_argv_pushf(argv, argc, "%ld", cfg->workers);
        s_argv_push(argv, argc, "--random-rate");
        s_argv_pushf(argv, argc, "%.17g", cfg->random_rate);
        s_argv_push(argv, argc, "--red");
        s_argv_pushf(argv, argc, "%ld", cfg->red);
        s_argv_push(argv, argc, "--yellow");
        s_argv_pushf(argv, argc, "%ld", cfg->yellow);
        s_argv_push(argv, argc, "--watchlist");
        for (size_t i = 0; i < cfg->watchlist.count; i++)
            s_argv_push(argv, argc, cfg->watchlist.items[i]);
        break;
    case STAGE_INGEST:
        s_argv_push(argv, argc, "--parcels");
        s_argv_pushf(argv, argc, ">%s", rs->ep_parcels);
        s_argv_push(argv, argc, "--acks");
        s_argv_pushf(argv, argc, "@%s", rs->ep_acks);
        s_argv_push(argv, argc, "--format");
        s_argv_push(argv, argc, cfg->format);
        s_argv_push(argv, argc, "--batch-size");
        s_argv_pushf(argv, argc, "%ld", cfg->batch_size);
        s_argv_push(argv, argc, "--reject-log");
        s_argv_push(argv, argc, cfg->reject_log);
        s_argv_push(argv, argc, "--input");
        for (size_t i = 0; i < cfg->input.count; i++)
            s_argv_push(argv, argc, cfg->input.items[i]);
        break;
    }
}

static int s_spawn(const run_config_t *cfg, run_state_t *rs, int stage)
{
    char **argv = NULL;
    size_t argc = 0;
    s_stage_argv(cfg, rs, stage, &argv, &argc);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        s_argv_free(argv, argc);
        return -e;
    }
    if (pid == 0) {
        /* Only ingest reads the controller's stdin (for --input -). */
        execv("/proc/self/exe", argv);
        fprintf(stderr, "parcelscreen: run: cannot start %s: %s\n", s_stage_names[stage],
                strerror(errno));
        _exit(127);
    }
    rs->stages[stage].pid = pid;
    s_argv_free(argv, argc);
    return 0;
}

static void s_stop_all(run_state_t *rs)
{
    for (int i = 0; i < STAGE_COUNT; i++)
        if (rs->stages[i].pid > 0 && !rs->stages[i].exited)
            kill(rs->stages[i].pid, SIGTERM);
    int64_t deadline = core_mono_ns() + 5LL * 1000000000LL;
    for (int i = 0; i < STAGE_COUNT; i++) {
        run_stage_t *st = &rs->stages[i];
        while (st->pid > 0 && !st->exited) {
            pid_t r = wait4(st->pid, &st->status, WNOHANG, &st->ru);
            if (r == st->pid) {
                st->exited = true;
                break;
            }
            if (core_mono_ns() > deadline) {
                kill(st->pid, SIGKILL);
                wait4(st->pid, &st->status, 0, &st->ru);
                st->exited = true;
                break;
            }
            usleep(10000);
        }
    }
}

static void s_describe_exit(int status, char *out, size_t len)
{
    if (WIFEXITED(status))
        snprintf(out, len, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(out, len, "was killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(out, len, "ended with wait status %d", status);
}

static void s_print_progress(const run_state_t *rs, int64_t start_ns)
{
    double secs = (double)(core_mono_ns() - start_ns) / 1e9;
    fprintf(stderr, "parcelscreen: run: %.1f s: read %llu, rejected %llu, screened %llu, "
                    "stored %llu\n",
            secs, (unsigned long long)s_counter(&rs->stages[STAGE_INGEST], "records_read"),
            (unsigned long long)s_counter(&rs->stages[STAGE_INGEST], "records_rejected"),
            (unsigned long long)s_counter(&rs->stages[STAGE_SCREEN], "parcels_screened"),
            (unsigned long long)s_counter(&rs->stages[STAGE_SINK], "verdicts_stored"));
}

/* Writes --report: per stage "stage=NAME pid=N status=S user_s=U sys_s=S max_rss_kb=K" and
 * every counter of its last STATS as name=value, one line each. */
static void s_write_report(const run_state_t *rs, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "parcelscreen: run: report %s: %s\n", path, strerror(errno));
        return;
    }
    for (int i = 0; i < STAGE_COUNT; i++) {
        const run_stage_t *st = &rs->stages[i];
        fprintf(f, "stage=%s pid=%d status=%d user_s=%.3f sys_s=%.3f max_rss_kb=%ld",
                s_stage_names[i], (int)st->pid, st->status,
                (double)st->ru.ru_utime.tv_sec + (double)st->ru.ru_utime.tv_usec / 1e6,
                (double)st->ru.ru_stime.tv_sec + (double)st->ru.ru_stime.tv_usec / 1e6,
                st->ru.ru_maxrss);
        for (uint32_t k = 0; k < st->stats.count; k++)
            fprintf(f, " %s=%llu", st->stats.counters[k].name,
                    (unsigned long long)st->stats.counters[k].value);
        fputc('\n', f);
    }
    fclose(f);
}

/* Prints the final accounting; returns 0 when it adds up. */
static int s_report(const run_state_t *rs, double secs)
{
    const run_stage_t *in = &rs->stages[STAGE_INGEST];
    const run_stage_t *sc = &rs->stages[STAGE_SCREEN];
    const run_stage_t *sk = &rs->stages[STAGE_SINK];
    uint64_t read = s_counter(in, "records_read");
    uint64_t rejected = s_counter(in, "records_rejected");
    uint64_t sent = s_counter(in, "parcels_sent");
    uint64_t screened = s_counter(sc, "parcels_screened");
    uint64_t stored = s_counter(sk, "verdicts_stored");
    uint64_t dups = s_counter(sk, "duplicates_ignored");
    printf("records read:      %llu\n", (unsigned long long)read);
    printf("parcels screened:  %llu\n", (unsigned long long)screened);
    printf("records rejected:  %llu\n", (unsigned long long)rejected);
    printf("verdicts stored:   %llu\n", (unsigned long long)stored);
    if (dups)
        printf("already stored:    %llu\n", (unsigned long long)dups);
    printf("channel red:       %llu\n", (unsigned long long)s_counter(sk, "verdicts_red"));
    printf("channel yellow:    %llu\n", (unsigned long long)s_counter(sk, "verdicts_yellow"));
    printf("channel green:     %llu\n", (unsigned long long)s_counter(sk, "verdicts_green"));
    printf("hits:              %llu\n", (unsigned long long)s_counter(sc, "hits"));
    printf("queue entries:     %llu\n", (unsigned long long)s_counter(sk, "queue_added"));
    printf("elapsed seconds:   %.3f\n", secs);
    printf("parcels/s:         %.0f\n", secs > 0 ? (double)screened / secs : 0.0);
    fflush(stdout);
    if (read != screened + rejected || sent != screened || stored + dups != screened) {
        fprintf(stderr,
                "parcelscreen: run: accounting does not add up: read %llu != screened %llu + "
                "rejected %llu, or sent %llu / stored %llu + %llu differ\n",
                (unsigned long long)read, (unsigned long long)screened,
                (unsigned long long)rejected, (unsigned long long)sent,
                (unsigned long long)stored, (unsigned long long)dups);
        return -EPROTO;
    }
    return 0;
}

static int s_check_config(const run_config_t *cfg, char *err)
{
    if (cfg->watchlist.count == 0) {
        core_err_set(err, "--watchlist is required");
        return -EINVAL;
    }
    if (cfg->input.count == 0) {
        core_err_set(err, "--input is required");
        return -EINVAL;
    }
    if (cfg->db == NULL || cfg->db[0] == '\0') {
        core_err_set(err, "--db is required");
        return -EINVAL;
    }
    if (cfg->yellow > cfg->red) {
        core_err_set(err, "--yellow %ld is above --red %ld", cfg->yellow, cfg->red);
        return -EINVAL;
    }
    for (size_t i = 0; i < cfg->input.count; i++) {
        const char *p = cfg->input.items[i];
        if (strcmp(p, "-") != 0 && access(p, R_OK) != 0) {
            core_err_set(err, "input %s: %s", p, strerror(errno));
            return -ENOENT;
        }
    }
    for (size_t i = 0; i < cfg->watchlist.count; i++) {
        if (access(cfg->watchlist.items[i], R_OK) != 0) {
            core_err_set(err, "watchlist %s: %s", cfg->watchlist.items[i], strerror(errno));
            return -ENOENT;
        }
    }
    return 0;
}

/* The supervision loop: returns the exit code. */
static int s_supervise(const run_config_t *cfg, run_state_t *rs, void *stats_sock)
{
    int64_t start = core_mono_ns();
    int64_t next_progress = start + 2LL * 1000000000LL;
    int64_t deadline = cfg->timeout_s ? start + cfg->timeout_s * 1000000000LL : 0;
    bool progress = !cfg->quiet && isatty(STDERR_FILENO);
    int grace = 0; /* polls spent waiting for final STATS after all stages exited */
    char err[CORE_ERR_LEN];

    for (;;) {
        zmq_pollitem_t item = { stats_sock, 0, ZMQ_POLLIN, 0 };
        int n = zmq_poll(&item, 1, 100);
        if (n < 0 && zmq_errno() != EINTR) {
            fprintf(stderr, "parcelscreen: run: poll: %s\n", zmq_strerror(zmq_errno()));
            return 1;
        }
        while (n > 0) {
            char buf[8192];
            int len = zmq_recv(stats_sock, buf, sizeof(buf), ZMQ_DONTWAIT);
            if (len < 0)
                break;
            proto_stats_t st;
            if (len > (int)sizeof(buf) || proto_stats_decode(buf, (size_t)len, &st, err) != 0) {
                core_log(CORE_LOG_WARN, "ignoring a bad STATS message: %s", err);
                continue;
            }
            for (int i = 0; i < STAGE_COUNT; i++) {
                if (strcmp(st.stage, s_stage_names[i]) == 0) {
                    rs->stages[i].stats = st;
                    if (st.final)
                        rs->stages[i].have_final = true;
                }
            }
        }
        bool all_done = true;
        for (int i = 0; i < STAGE_COUNT; i++) {
            run_stage_t *st = &rs->stages[i];
            if (!st->exited && wait4(st->pid, &st->status, WNOHANG, &st->ru) == st->pid)
                st->exited = true;
            if (st->exited && !(WIFEXITED(st->status) && WEXITSTATUS(st->status) == 0)) {
                char how[96];
                s_describe_exit(st->status, how, sizeof(how));
                fprintf(stderr, "parcelscreen: run: stage %s %s\n", s_stage_names[i], how);
                s_stop_all(rs);
                return 1;
            }
            if (!st->exited)
                all_done = false;
        }
        if (all_done) {
            /* A final STATS may still sit in the socket: drain once more. */
            bool finals = true;
            for (int i = 0; i < STAGE_COUNT; i++)
                finals = finals && rs->stages[i].have_final;
            if (!finals) {
                if (grace++ < 20)
                    continue;
                for (int i = 0; i < STAGE_COUNT; i++)
                    if (!rs->stages[i].have_final)
                        fprintf(stderr, "parcelscreen: run: stage %s exited without final "
                                        "counts\n",
                                s_stage_names[i]);
                return 1;
            }
            double secs = (double)(core_mono_ns() - start) / 1e9;
            return s_report(rs, secs) == 0 ? 0 : 1;
        }
        if (core_signals_stop_requested()) {
            fprintf(stderr, "parcelscreen: run: interrupted, stopping the stages\n");
            s_stop_all(rs);
            return 130;
        }
        int64_t now = core_mono_ns();
        if (deadline && now > deadline) {
            fprintf(stderr, "parcelscreen: run: timed out after %ld s\n", cfg->timeout_s);
            s_print_progress(rs, start);
            s_stop_all(rs);
            return 1;
        }
        if (progress && now > next_progress) {
            s_print_progress(rs, start);
            next_progress = now + 2LL * 1000000000LL;
        }
    }
}

int cli_run_main(int argc, char **argv)
{
    run_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN] = "";
    core_log_init("run");
    int rc = core_config_parse(&s_table, &cfg, argc, argv, stdout, err);
    if (rc != 0) {
        core_config_free(&s_table, &cfg);
        if (rc > 0)
            return 0;
        fprintf(stderr, "parcelscreen: run: %s\n", err);
        return 2;
    }
    if (s_check_config(&cfg, err) != 0) {
        fprintf(stderr, "parcelscreen: run: %s\n", err);
        core_config_free(&s_table, &cfg);
        return 2;
    }

    run_state_t rs;
    memset(&rs, 0, sizeof(rs));
    snprintf(rs.dir, sizeof(rs.dir), "/tmp/parcelscreen-run-XXXXXX");
    if (mkdtemp(rs.dir) == NULL) {
        fprintf(stderr, "parcelscreen: run: cannot create a directory in /tmp: %s\n",
                strerror(errno));
        core_config_free(&s_table, &cfg);
        return 1;
    }
    snprintf(rs.ep_parcels, sizeof(rs.ep_parcels), "ipc://%s/parcels", rs.dir);
    snprintf(rs.ep_verdicts, sizeof(rs.ep_verdicts), "ipc://%s/verdicts", rs.dir);
    snprintf(rs.ep_acks, sizeof(rs.ep_acks), "ipc://%s/acks", rs.dir);
    snprintf(rs.ep_stats, sizeof(rs.ep_stats), "ipc://%s/stats", rs.dir);

    core_signals_install();
    void *ctx = zmq_ctx_new();
    void *stats = proto_socket_new(ctx, ZMQ_PULL, rs.ep_stats, true, 10000, 0, err);
    int exit_code = 1;
    if (stats == NULL) {
        fprintf(stderr, "parcelscreen: run: stats socket: %s\n", err);
        goto out_ctx;
    }
    for (int i = 0; i < STAGE_COUNT; i++) {
        int e = s_spawn(&cfg, &rs, i);
        if (e != 0) {
            fprintf(stderr, "parcelscreen: run: cannot start %s: %s\n", s_stage_names[i],
                    strerror(-e));
            s_stop_all(&rs);
            goto out_sock;
        }
    }
    exit_code = s_supervise(&cfg, &rs, stats);
    if (cfg.report && cfg.report[0])
        s_write_report(&rs, cfg.report);

out_sock:
    proto_socket_close(&stats);
out_ctx:
    zmq_ctx_term(ctx);
    static const char *const s_files[] = { "parcels", "verdicts", "acks", "stats" };
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_files); i++) {
        char path[160];
        snprintf(path, sizeof(path), "%s/%s", rs.dir, s_files[i]);
        unlink(path);
    }
    rmdir(rs.dir);
    core_config_free(&s_table, &cfg);
    return exit_code;
}
