/* run.c -- the 'parcelscreen run' controller: start, supervise and account for the stages.
 *
 * See run.h for the design. Sockets: one PULL bound at ipc://<dir>/stats receiving STATS from
 * every stage. Threads: one. Supervision: a stage that dies (signal, non-zero exit) before the
 * run is complete is restarted after an exponential backoff; too many crashes within a window
 * end the run. SIGTERM/SIGINT stop the stages in pipeline order so that everything drains. */
#include "cli/run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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
#include "sink/allowlist.h"
#include "sink/export.h"

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
    long max_restarts;        /* --max-restarts */
    long restart_window_s;    /* --restart-window */
    char *pid_dir;            /* --pid-dir */
    char *state;              /* --state: ingest's resume file */
} run_config_t;

#define OPT(k, t, d, lo, hi, f, h)                                                                 \
    {                                                                                              \
        k, t, d, lo, hi, offsetof(run_config_t, f), h                                              \
    }
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
    OPT("max-restarts", CORE_CONFIG_INT, "5", 0, 64, max_restarts,
        "a stage that dies more often than this within --restart-window ends the run"),
    OPT("restart-window", CORE_CONFIG_INT, "60", 1, 86400, restart_window_s,
        "seconds over which a stage's crashes are counted"),
    OPT("pid-dir", CORE_CONFIG_STR, "", 0, 0, pid_dir,
        "write <stage>.pid here each time a stage (re)starts (empty: none)"),
    OPT("state", CORE_CONFIG_STR, "", 0, 0, state,
        "ingest's resume file: a run started again with it skips the records already "
        "acknowledged (empty: none)"),
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
static const char *const s_stage_names[STAGE_COUNT] = {"sink", "screen", "ingest"};

/* At most this many crash times are remembered per stage (--max-restarts is below it). */
#define RUN_CRASH_RING 65
#define RUN_BACKOFF_FIRST_MS 100
#define RUN_BACKOFF_MAX_MS 5000
#define RUN_STATS_INTERVAL_MS "250" /* --stats-interval-ms of the stages */

typedef struct {
    pid_t pid;                       /* current incarnation's pid, 0 when none runs */
    int status;                      /* wait status of the last reaped incarnation */
    struct rusage ru;                /* resource use, summed over incarnations (wait4) */
    bool exited;                     /* the current incarnation is reaped (or none is due) */
    bool stopping;                   /* we asked it to stop: its exit is not a crash */
    bool have_final;                 /* final STATS of the current incarnation received */
    proto_stats_t stats;             /* latest STATS of the current incarnation */
    proto_stats_t prev;              /* latest STATS of the previous incarnation (pid prev.pid) */
    proto_stats_t done;              /* counters summed over the incarnations before that */
    unsigned restarts;               /* restarts so far */
    int64_t respawn_at;              /* mono ns of a pending restart, 0 when none */
    int64_t crashes[RUN_CRASH_RING]; /* mono ns of recent crashes (ring) */
    unsigned crash_count;            /* crashes ever (ring index) */
} run_stage_t;

typedef struct {
    char dir[64];          /* private directory for ipc endpoints */
    char ep_parcels[128];  /* ipc endpoint for PARCEL_BATCH */
    char ep_verdicts[128]; /* ipc endpoint for VERDICT_BATCH */
    char ep_acks[128];     /* ipc endpoint for ACK */
    char ep_stats[128];    /* ipc endpoint for STATS */
    char allowlist[160];   /* the --db's allow-list exported for screen, "" when none */
    run_stage_t stages[STAGE_COUNT];
    void *stats_sock;  /* PULL for STATS */
    unsigned restarts; /* restarts of all stages */
    const char *db;    /* the sink's database */
    bool tally_ok;     /* db_before was read: the printed counts come from the database */
    int64_t db_before; /* the newest verdict's arrival before the run */
} run_state_t;

static uint64_t s_get(const proto_stats_t *stats, const char *name)
{
    uint64_t v = 0;
    if (proto_stats_get(stats, name, &v) != 0)
        return 0;
    return v;
}

/* A counter of the current incarnation (ingest: a restarted ingest counts the run anew). */
static uint64_t s_counter(const run_stage_t *st, const char *name)
{
    return s_get(&st->stats, name);
}

/* A counter summed over every incarnation of the stage (screen, sink). */
static uint64_t s_total(const run_stage_t *st, const char *name)
{
    return s_get(&st->done, name) + s_get(&st->prev, name) + s_get(&st->stats, name);
}

/* Adds every counter of 'from' into 'into'. */
static void s_stats_add(proto_stats_t *into, const proto_stats_t *from)
{
    for (uint32_t k = 0; k < from->count; k++)
        proto_stats_set(into, from->counters[k].name,
                        s_get(into, from->counters[k].name) + from->counters[k].value);
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

/* The officers' allow-list: when --db already holds entries (queue resolve --outcome
 * false_positive), export them to rs->dir/allowlist.csv for screen's --allowlist (read once, at
 * start: entries added during the run apply to the next one). No database yet, or one from
 * before the allow-list, is no allow-list. Returns 0, or -1 after printing why. */
static int s_prepare_allowlist(const run_config_t *cfg, run_state_t *rs)
{
    char err[CORE_ERR_LEN] = "";
    char path[sizeof(rs->allowlist)];
    size_t rows = 0;
    snprintf(path, sizeof(path), "%s/allowlist.csv", rs->dir);
    if (sink_allowlist_export_file(cfg->db, path, &rows, err) != 0) {
        fprintf(stderr, "parcelscreen: run: allow-list: %s\n", err);
        return -1;
    }
    if (rows > 0)
        memcpy(rs->allowlist, path, sizeof(path));
    return 0;
}

/* Builds the argument vector of one stage. */
static void s_stage_argv(const run_config_t *cfg, const run_state_t *rs, int stage, char ***argv,
                         size_t *argc)
{
    s_argv_push(argv, argc, "parcelscreen");
    s_argv_push(argv, argc, s_stage_names[stage]);
    s_argv_push(argv, argc, "--once");
    s_argv_push(argv, argc, "--stats");
    s_argv_pushf(argv, argc, ">%s", rs->ep_stats);
    /* Frequent STATS: a killed stage takes less uncounted work with it. */
    s_argv_push(argv, argc, "--stats-interval-ms");
    s_argv_push(argv, argc, RUN_STATS_INTERVAL_MS);
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
        if (rs->allowlist[0]) {
            s_argv_push(argv, argc, "--allowlist");
            s_argv_push(argv, argc, rs->allowlist);
        }
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
        if (cfg->state && cfg->state[0])
            s_argv_pushf(argv, argc, "--state=%s", cfg->state);
        s_argv_push(argv, argc, "--input");
        for (size_t i = 0; i < cfg->input.count; i++)
            s_argv_push(argv, argc, cfg->input.items[i]);
        break;
    }
}

/* Writes <pid-dir>/<stage>.pid (atomically: a temporary file renamed over it). */
static void s_write_pid(const run_config_t *cfg, int stage, pid_t pid)
{
    if (cfg->pid_dir == NULL || cfg->pid_dir[0] == '\0')
        return;
    char tmp[4096], path[4096];
    snprintf(tmp, sizeof(tmp), "%s/.%s.pid.tmp", cfg->pid_dir, s_stage_names[stage]);
    snprintf(path, sizeof(path), "%s/%s.pid", cfg->pid_dir, s_stage_names[stage]);
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        fprintf(stderr, "parcelscreen: run: pid file %s: %s\n", tmp, strerror(errno));
        return;
    }
    fprintf(f, "%d\n", (int)pid);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        fprintf(stderr, "parcelscreen: run: pid file %s: %s\n", path, strerror(errno));
}

static void s_remove_pids(const run_config_t *cfg)
{
    if (cfg->pid_dir == NULL || cfg->pid_dir[0] == '\0')
        return;
    for (int i = 0; i < STAGE_COUNT; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s.pid", cfg->pid_dir, s_stage_names[i]);
        unlink(path);
    }
}

static int s_spawn(const run_config_t *cfg, run_state_t *rs, int stage)
{
    char **argv = NULL;
    size_t argc = 0;
    s_stage_argv(cfg, rs, stage, &argv, &argc);
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        s_argv_free(argv, argc);
        return -e;
    }
    if (pid == 0) {
        /* A terminal's Ctrl-C goes to the foreground process group: screen and sink leave it,
         * so that they stop after ingest, in the order run gives (ingest stays: it may read a
         * terminal as stdin, and it is the first to stop anyway). If run itself dies, the
         * stages get SIGTERM rather than running on unsupervised. */
        if (stage != STAGE_INGEST)
            setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        /* Only ingest reads the controller's stdin (for --input -). */
        execv("/proc/self/exe", argv);
        fprintf(stderr, "parcelscreen: run: cannot start %s: %s\n", s_stage_names[stage],
                strerror(errno));
        _exit(127);
    }
    run_stage_t *st = &rs->stages[stage];
    /* The previous incarnation's counters move to the sums; the new one starts at zero. */
    if (st->prev.count > 0)
        s_stats_add(&st->done, &st->prev);
    st->prev = st->stats;
    memset(&st->stats, 0, sizeof(st->stats));
    st->pid = pid;
    st->exited = false;
    st->stopping = false;
    st->have_final = false;
    st->respawn_at = 0;
    s_write_pid(cfg, stage, pid);
    s_argv_free(argv, argc);
    return 0;
}

/* Reads every STATS waiting on the socket. */
static void s_drain_stats(run_state_t *rs)
{
    char err[CORE_ERR_LEN];
    for (;;) {
        char buf[8192];
        int len = zmq_recv(rs->stats_sock, buf, sizeof(buf), ZMQ_DONTWAIT);
        if (len < 0)
            return;
        proto_stats_t st;
        if (len > (int)sizeof(buf) || proto_stats_decode(buf, (size_t)len, &st, err) != 0) {
            core_log(CORE_LOG_WARN, "ignoring a bad STATS message: %s", err);
            continue;
        }
        for (int i = 0; i < STAGE_COUNT; i++) {
            run_stage_t *s = &rs->stages[i];
            if (strcmp(st.stage, s_stage_names[i]) != 0)
                continue;
            /* Late STATS of the incarnation before the current one replace its last ones. */
            if (s->prev.count > 0 && st.pid == s->prev.pid && st.pid != (uint32_t)s->pid) {
                s->prev = st;
            } else if (st.pid == (uint32_t)s->pid) {
                s->stats = st;
                if (st.final)
                    s->have_final = true;
            }
        }
    }
}

/* Polls the STATS socket for up to ms milliseconds and reads what came. */
static void s_poll_stats(run_state_t *rs, long ms)
{
    zmq_pollitem_t item = {rs->stats_sock, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&item, 1, ms) > 0)
        s_drain_stats(rs);
}

static void s_add_rusage(struct rusage *into, const struct rusage *ru)
{
    into->ru_utime.tv_sec += ru->ru_utime.tv_sec;
    into->ru_utime.tv_usec += ru->ru_utime.tv_usec;
    into->ru_stime.tv_sec += ru->ru_stime.tv_sec;
    into->ru_stime.tv_usec += ru->ru_stime.tv_usec;
    while (into->ru_utime.tv_usec >= 1000000) {
        into->ru_utime.tv_usec -= 1000000;
        into->ru_utime.tv_sec++;
    }
    while (into->ru_stime.tv_usec >= 1000000) {
        into->ru_stime.tv_usec -= 1000000;
        into->ru_stime.tv_sec++;
    }
    if (ru->ru_maxrss > into->ru_maxrss)
        into->ru_maxrss = ru->ru_maxrss;
}

/* Reaps the stage without blocking (or blocking when 'block'); true once it has exited. */
static bool s_reap(run_stage_t *st, bool block)
{
    if (st->exited || st->pid <= 0)
        return true;
    struct rusage ru;
    memset(&ru, 0, sizeof(ru));
    pid_t r = wait4(st->pid, &st->status, block ? 0 : WNOHANG, &ru);
    if (r != st->pid)
        return false;
    s_add_rusage(&st->ru, &ru);
    st->exited = true;
    return true;
}

/* Waits up to self_ms for the stage to exit by itself, then sends SIGTERM and waits up to
 * 10 s, then SIGKILL. Reads STATS meanwhile. A pending restart is cancelled. */
static void s_finish_stage(run_state_t *rs, int stage, long self_ms)
{
    run_stage_t *st = &rs->stages[stage];
    st->respawn_at = 0;
    int64_t t = core_mono_ns() + self_ms * 1000000LL;
    while (!s_reap(st, false) && core_mono_ns() < t)
        s_poll_stats(rs, 10);
    if (st->exited)
        return;
    st->stopping = true;
    kill(st->pid, SIGTERM);
    t = core_mono_ns() + 10LL * 1000000000LL;
    while (!s_reap(st, false) && core_mono_ns() < t)
        s_poll_stats(rs, 10);
    if (!st->exited) {
        fprintf(stderr, "parcelscreen: run: %s did not stop within 10 s; killing it\n",
                s_stage_names[stage]);
        kill(st->pid, SIGKILL);
        s_reap(st, true);
    }
}

/* Stops every stage at once: SIGTERM, then SIGKILL after 5 s (the run has failed). */
static void s_stop_all(run_state_t *rs)
{
    for (int i = 0; i < STAGE_COUNT; i++) {
        rs->stages[i].respawn_at = 0;
        if (rs->stages[i].pid > 0 && !rs->stages[i].exited) {
            rs->stages[i].stopping = true;
            kill(rs->stages[i].pid, SIGTERM);
        }
    }
    int64_t deadline = core_mono_ns() + 5LL * 1000000000LL;
    for (int i = 0; i < STAGE_COUNT; i++) {
        run_stage_t *st = &rs->stages[i];
        while (!s_reap(st, false)) {
            if (core_mono_ns() > deadline) {
                kill(st->pid, SIGKILL);
                s_reap(st, true);
                break;
            }
            usleep(10000);
        }
    }
}

/* How a stage ended: "exited with status 1", "was killed by signal 9 (Killed)"; 'brief' gives
 * the restart lines' form, "killed by signal 9". */
static void s_describe_exit(int status, bool brief, char *out, size_t len)
{
    if (WIFEXITED(status))
        snprintf(out, len, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status) && brief)
        snprintf(out, len, "killed by signal %d", WTERMSIG(status));
    else if (WIFSIGNALED(status))
        snprintf(out, len, "was killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(out, len, "ended with wait status %d", status);
}

static bool s_clean_exit(int status)
{
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void s_print_progress(const run_state_t *rs, int64_t start_ns)
{
    double secs = (double)(core_mono_ns() - start_ns) / 1e9;
    fprintf(stderr,
            "parcelscreen: run: %.1f s: read %llu, rejected %llu, screened %llu, "
            "stored %llu\n",
            secs, (unsigned long long)s_counter(&rs->stages[STAGE_INGEST], "records_read"),
            (unsigned long long)s_counter(&rs->stages[STAGE_INGEST], "records_rejected"),
            (unsigned long long)s_total(&rs->stages[STAGE_SCREEN], "parcels_screened"),
            (unsigned long long)s_total(&rs->stages[STAGE_SINK], "verdicts_stored"));
}

/* Writes --report: per stage "stage=NAME pid=N status=S restarts=R user_s=U sys_s=S
 * max_rss_kb=K" (CPU summed and RSS the peak over its incarnations) and every counter of its
 * last incarnation's last STATS as name=value, one line each. */
static void s_write_report(const run_state_t *rs, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "parcelscreen: run: report %s: %s\n", path, strerror(errno));
        return;
    }
    for (int i = 0; i < STAGE_COUNT; i++) {
        const run_stage_t *st = &rs->stages[i];
        fprintf(f, "stage=%s pid=%d status=%d restarts=%u user_s=%.3f sys_s=%.3f max_rss_kb=%ld",
                s_stage_names[i], (int)st->pid, st->status, st->restarts,
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

/* Prints the final accounting; returns 0 when it adds up.
 *
 * Accounting (SPEC 4) is ingest's: a parcel counts as screened once sink acknowledged its
 * batch (its verdict is durable), once per batch however often the batch was re-sent, so the
 * counts stay exact when screen or sink were restarted or batches were re-sent (sink counts
 * the second copy as already stored). The other counts of screen and sink are summed over
 * their incarnations: after a restart they miss what a killed stage did after its last STATS
 * and count re-sent batches twice, so they are cross-checked only when nothing was restarted
 * or re-sent. An interrupted run (SIGTERM) is accounted the same way: ingest drains before it
 * exits (every batch acknowledged, or it exits 1 naming what is not). */
static int s_report(const run_state_t *rs, double secs, bool interrupted)
{
    const run_stage_t *in = &rs->stages[STAGE_INGEST];
    const run_stage_t *sc = &rs->stages[STAGE_SCREEN];
    const run_stage_t *sk = &rs->stages[STAGE_SINK];
    bool restarted = rs->restarts > 0;
    uint64_t read = s_counter(in, "records_read");
    uint64_t rejected = s_counter(in, "records_rejected");
    uint64_t sent = s_counter(in, "parcels_sent");
    uint64_t acked = s_counter(in, "parcels_acked");
    uint64_t resent = s_counter(in, "batches_resent");
    uint64_t screen_count = s_total(sc, "parcels_screened");
    uint64_t screened = acked;
    uint64_t stored = s_total(sk, "verdicts_stored");
    uint64_t dups = s_total(sk, "duplicates_ignored");
    uint64_t red = s_total(sk, "verdicts_red");
    uint64_t yellow = s_total(sk, "verdicts_yellow");
    uint64_t green = s_total(sk, "verdicts_green");
    uint64_t queued = s_total(sk, "queue_added");
    /* The database is the record: what it gained in this run is exact even when a sink was
     * killed after its last STATS (its counters then fall short). */
    sink_tally_t tally;
    char terr[CORE_ERR_LEN];
    if (rs->tally_ok && sink_tally(rs->db, rs->db_before, &tally, terr) == 0) {
        stored = tally.verdicts;
        red = tally.red;
        yellow = tally.yellow;
        green = tally.green;
        queued = tally.queued;
    }
    printf("records read:      %llu\n", (unsigned long long)read);
    printf("parcels screened:  %llu\n", (unsigned long long)screened);
    printf("records rejected:  %llu\n", (unsigned long long)rejected);
    if (s_counter(in, "records_skipped")) /* resume: not in 'read' */
        printf("records skipped (resumed): %llu\n",
               (unsigned long long)s_counter(in, "records_skipped"));
    printf("verdicts stored:   %llu\n", (unsigned long long)stored);
    if (dups)
        printf("already stored:    %llu\n", (unsigned long long)dups);
    if (resent)
        printf("batches re-sent:   %llu\n", (unsigned long long)resent);
    printf("channel red:       %llu\n", (unsigned long long)red);
    printf("channel yellow:    %llu\n", (unsigned long long)yellow);
    printf("channel green:     %llu\n", (unsigned long long)green);
    printf("hits:              %llu\n", (unsigned long long)s_total(sc, "hits"));
    printf("queue entries:     %llu\n", (unsigned long long)queued);
    printf("restarts:          %u (ingest %u, screen %u, sink %u)\n", rs->restarts, in->restarts,
           sc->restarts, sk->restarts);
    printf("elapsed seconds:   %.3f\n", secs);
    printf("parcels/s:         %.0f\n", secs > 0 ? (double)screened / secs : 0.0);
    fflush(stdout);
    /* sink's and screen's counters equal 'screened' only when they ran the whole run and
     * nothing was re-sent, so they are checked only then. */
    bool whole = !restarted && resent == 0;
    bool ok = read == screened + rejected && sent == screened &&
              (!whole || (screen_count == screened && stored + dups == screened));
    if (!ok) {
        fprintf(stderr,
                "parcelscreen: run: %saccounting does not add up: read %llu != screened %llu + "
                "rejected %llu, or sent %llu / stored %llu + %llu differ\n",
                interrupted ? "interrupted run: " : "", (unsigned long long)read,
                (unsigned long long)screened, (unsigned long long)rejected,
                (unsigned long long)sent, (unsigned long long)stored, (unsigned long long)dups);
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
    if (cfg->pid_dir && cfg->pid_dir[0]) {
        struct stat sb;
        if (stat(cfg->pid_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            core_err_set(err, "--pid-dir %s: not a directory", cfg->pid_dir);
            return -ENOTDIR;
        }
    }
    return 0;
}

/* True when ingest can be started again: it reads files only (stdin cannot be re-read). */
static bool s_ingest_restartable(const run_config_t *cfg)
{
    for (size_t i = 0; i < cfg->input.count; i++)
        if (strcmp(cfg->input.items[i], "-") == 0)
            return false;
    return true;
}

/* A stage died before the run was complete. Returns 0 when a restart is scheduled, or -1
 * when the run must end (a line saying why is printed). */
static int s_on_crash(const run_config_t *cfg, run_state_t *rs, int stage)
{
    run_stage_t *st = &rs->stages[stage];
    const char *name = s_stage_names[stage];
    char how[96];
    int64_t now = core_mono_ns();
    /* 2: usage or configuration error, 127: the program cannot start. Neither gets better. */
    if (WIFEXITED(st->status) && (WEXITSTATUS(st->status) == 2 || WEXITSTATUS(st->status) == 127)) {
        s_describe_exit(st->status, false, how, sizeof(how));
        fprintf(stderr, "parcelscreen: run: stage %s %s\n", name, how);
        return -1;
    }
    if (stage == STAGE_INGEST && !s_ingest_restartable(cfg)) {
        s_describe_exit(st->status, false, how, sizeof(how));
        fprintf(stderr,
                "parcelscreen: run: stage ingest %s; stdin cannot be read again, "
                "not restarting\n",
                how);
        return -1;
    }
    st->crashes[st->crash_count++ % RUN_CRASH_RING] = now;
    unsigned recent = 0;
    unsigned kept = st->crash_count < RUN_CRASH_RING ? st->crash_count : RUN_CRASH_RING;
    for (unsigned i = 0; i < kept; i++)
        if (now - st->crashes[i] <= cfg->restart_window_s * 1000000000LL)
            recent++;
    s_describe_exit(st->status, true, how, sizeof(how));
    if (recent > (unsigned)cfg->max_restarts) {
        fprintf(stderr,
                "parcelscreen: run: stage %s %s; it died %u times within %ld s "
                "(--max-restarts %ld), giving up\n",
                name, how, recent, cfg->restart_window_s, cfg->max_restarts);
        return -1;
    }
    long delay = RUN_BACKOFF_FIRST_MS;
    for (unsigned i = 1; i < recent && delay < RUN_BACKOFF_MAX_MS; i++)
        delay *= 2;
    if (delay > RUN_BACKOFF_MAX_MS)
        delay = RUN_BACKOFF_MAX_MS;
    st->restarts++;
    rs->restarts++;
    fprintf(stderr, "parcelscreen: run: %s %s; restart %u in %ld ms%s\n", name, how, st->restarts,
            delay, stage == STAGE_INGEST ? " (screen and sink restart with it)" : "");
    st->respawn_at = now + delay * 1000000LL;
    if (stage == STAGE_INGEST) {
        /* The new ingest reads its input again from the start. Its batch seqs never match
         * the old one's ACKs, but an END of the old ingest still in flight would end a --once
         * screen or sink before the new one is done: they are stopped and start again with
         * ingest, on a pipeline with nothing of the old process in it. sink stores only what
         * it does not hold yet (one verdict per parcel_id). */
        for (int i = STAGE_SINK; i < STAGE_INGEST; i++) {
            s_finish_stage(rs, i, 0);
            rs->stages[i].respawn_at = st->respawn_at;
        }
    }
    run_stage_t *sc = &rs->stages[STAGE_SCREEN];
    if (stage == STAGE_SINK && sc->exited && sc->respawn_at == 0 && s_clean_exit(sc->status)) {
        /* A --once screen that forwarded END has exited; a sink that died before it
         * acknowledged END leaves ingest re-sending END with no screen to carry it. */
        fprintf(stderr, "parcelscreen: run: screen had finished; it starts again with sink\n");
        sc->respawn_at = st->respawn_at;
    }
    return 0;
}

/* Starts the stages whose restart is due (sink, screen, ingest in that order). */
static int s_respawn_due(const run_config_t *cfg, run_state_t *rs)
{
    int64_t now = core_mono_ns();
    for (int i = 0; i < STAGE_COUNT; i++) {
        run_stage_t *st = &rs->stages[i];
        if (st->respawn_at == 0 || now < st->respawn_at)
            continue;
        int e = s_spawn(cfg, rs, i);
        if (e != 0) {
            fprintf(stderr, "parcelscreen: run: cannot start %s: %s\n", s_stage_names[i],
                    strerror(-e));
            return -1;
        }
    }
    return 0;
}

/* SIGTERM/SIGINT: stop in pipeline order so that everything in flight drains. ingest first
 * (it sends its partial batch and END), then screen and sink, each given 5 s to finish by
 * END before it gets SIGTERM itself. Returns 0 when every stage ended cleanly. */
static int s_graceful_stop(run_state_t *rs)
{
    fprintf(stderr, "parcelscreen: run: interrupted, stopping ingest, then screen, then sink\n");
    int rc = 0;
    static const int s_order[STAGE_COUNT] = {STAGE_INGEST, STAGE_SCREEN, STAGE_SINK};
    for (int k = 0; k < STAGE_COUNT; k++) {
        int i = s_order[k];
        run_stage_t *st = &rs->stages[i];
        if (st->respawn_at != 0) { /* waiting to restart: nothing to stop */
            st->respawn_at = 0;
            continue;
        }
        if (st->pid <= 0)
            continue;
        s_finish_stage(rs, i, i == STAGE_INGEST ? 0 : 5000);
        if (!s_clean_exit(st->status)) {
            char how[96];
            s_describe_exit(st->status, false, how, sizeof(how));
            fprintf(stderr, "parcelscreen: run: stage %s %s while stopping\n", s_stage_names[i],
                    how);
            rc = 1;
        }
    }
    s_poll_stats(rs, 100);
    return rc;
}

/* The supervision loop: returns the exit code. */
static int s_supervise(const run_config_t *cfg, run_state_t *rs)
{
    int64_t start = core_mono_ns();
    int64_t next_progress = start + 2LL * 1000000000LL;
    int64_t deadline = cfg->timeout_s ? start + cfg->timeout_s * 1000000000LL : 0;
    bool progress = !cfg->quiet && isatty(STDERR_FILENO);
    int grace = 0; /* polls spent waiting for final STATS after all stages exited */
    run_stage_t *ingest = &rs->stages[STAGE_INGEST];

    for (;;) {
        zmq_pollitem_t item = {rs->stats_sock, 0, ZMQ_POLLIN, 0};
        long wait_ms = 100;
        int64_t now = core_mono_ns();
        for (int i = 0; i < STAGE_COUNT; i++)
            if (rs->stages[i].respawn_at) {
                long ms = (long)((rs->stages[i].respawn_at - now) / 1000000) + 1;
                if (ms < wait_ms)
                    wait_ms = ms < 0 ? 0 : ms;
            }
        int n = zmq_poll(&item, 1, wait_ms);
        if (n < 0 && zmq_errno() != EINTR) {
            fprintf(stderr, "parcelscreen: run: poll: %s\n", zmq_strerror(zmq_errno()));
            s_stop_all(rs);
            return 1;
        }
        if (n > 0)
            s_drain_stats(rs);

        /* The run is complete once ingest has every batch acknowledged (its final STATS)
         * and has exited cleanly. */
        bool complete = ingest->exited && ingest->respawn_at == 0 && s_clean_exit(ingest->status) &&
                        ingest->have_final;
        for (int i = 0; i < STAGE_COUNT; i++) {
            run_stage_t *st = &rs->stages[i];
            if (st->exited || !s_reap(st, false))
                continue;
            if (st->stopping || s_clean_exit(st->status))
                continue;
            if (complete) {
                char how[96];
                s_describe_exit(st->status, true, how, sizeof(how));
                fprintf(stderr,
                        "parcelscreen: run: %s %s after every parcel was "
                        "acknowledged; not restarted\n",
                        s_stage_names[i], how);
                continue;
            }
            if (s_on_crash(cfg, rs, i) != 0) {
                s_stop_all(rs);
                return 1;
            }
        }
        if (s_respawn_due(cfg, rs) != 0) {
            s_stop_all(rs);
            return 1;
        }
        complete = ingest->exited && ingest->respawn_at == 0 && s_clean_exit(ingest->status) &&
                   ingest->have_final;
        if (complete && rs->restarts > 0) {
            /* After a restart END may have been lost with a killed stage: screen and sink
             * get a moment to finish by END, then SIGTERM. Everything is durable already. */
            for (int i = STAGE_SCREEN; i >= STAGE_SINK; i--)
                s_finish_stage(rs, i, 2000);
            s_poll_stats(rs, 200);
            double secs = (double)(core_mono_ns() - start) / 1e9;
            return s_report(rs, secs, false) == 0 ? 0 : 1;
        }
        /* Without restarts: every stage ends by END, with its final STATS. */
        bool all_done = true;
        for (int i = 0; i < STAGE_COUNT; i++)
            if (!rs->stages[i].exited || rs->stages[i].respawn_at)
                all_done = false;
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
                        fprintf(stderr,
                                "parcelscreen: run: stage %s exited without final "
                                "counts\n",
                                s_stage_names[i]);
                return 1;
            }
            double secs = (double)(core_mono_ns() - start) / 1e9;
            return s_report(rs, secs, false) == 0 ? 0 : 1;
        }
        if (core_signals_stop_requested()) {
            int rc = s_graceful_stop(rs);
            double secs = (double)(core_mono_ns() - start) / 1e9;
            if (s_report(rs, secs, true) != 0)
                rc = 1;
            return rc;
        }
        now = core_mono_ns();
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

    static run_state_t rs; /* large (STATS tables): not on the stack */
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
    sink_tally_t before;
    rs.db = cfg.db;
    rs.tally_ok = sink_tally(cfg.db, INT64_MAX, &before, err) == 0;
    rs.db_before = before.last_arrival;
    if (s_prepare_allowlist(&cfg, &rs) != 0) {
        rmdir(rs.dir);
        core_config_free(&s_table, &cfg);
        return 1;
    }

    core_signals_install();
    void *ctx = zmq_ctx_new();
    rs.stats_sock = proto_socket_new(ctx, ZMQ_PULL, rs.ep_stats, true, 10000, 0, err);
    int exit_code = 1;
    if (rs.stats_sock == NULL) {
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
    exit_code = s_supervise(&cfg, &rs);
    if (cfg.report && cfg.report[0])
        s_write_report(&rs, cfg.report);

out_sock:
    proto_socket_close(&rs.stats_sock);
    s_remove_pids(&cfg);
out_ctx:
    zmq_ctx_term(ctx);
    static const char *const s_files[] = {"parcels", "verdicts", "acks", "stats", "allowlist.csv"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(s_files); i++) {
        char path[160];
        snprintf(path, sizeof(path), "%s/%s", rs.dir, s_files[i]);
        unlink(path);
    }
    rmdir(rs.dir);
    core_config_free(&s_table, &cfg);
    return exit_code;
}
