/* run.c -- the ingest stage: configuration, sockets, and the read -> batch -> send loop.
 *
 * DESIGN: one thread runs one loop around zmq_poll. Each turn it drains ACKs, sends the ready
 * batch if there is credit (fewer than --max-in-flight unacknowledged batches), parses
 * buffered input into the next batch until it is full or the input needs reading, and then
 * polls: the ACK socket always; the input file descriptor when the reader wants bytes; the
 * producers socket (--input zmq) when no frame is being parsed; the parcels socket for
 * POLLOUT when a send hit the high-water mark. Nothing blocks, so ACKs are read while sending,
 * SIGTERM is seen within one poll timeout, and a slow input (stdin, producers) still gets its
 * partial batch out after --flush-ms.
 *
 * Flow control is by credit (zguide ch. 7): a full batch waits while max_in_flight batches
 * are unacknowledged, reading stops, and the kernel and ZeroMQ high-water marks push back to
 * whoever feeds us. ACKs name a batch seq; unknown or repeated seqs are ignored.
 *
 * End of a run (file and stdin inputs): the partial batch is flushed, END carries the totals,
 * and with --once the stage waits for every ACK, sends its final STATS and exits 0. With
 * --input zmq the stream has no end: SIGTERM ends it the same way (flush, END), without
 * waiting for ACKs. No ACK progress for --ack-timeout-ms while batches are in flight exits 1
 * naming the missing batches (resending them is future work).
 *
 * Sockets: parcels PUSH (connect) -> screen; acks PULL (bind) <- sink; producers PULL (bind,
 * only with --input zmq); stats PUSH (connect, optional). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/signals.h"
#include "ingest/ingest.h"
#include "internal.h"
#include "proto/control.h"
#include "proto/endpoints.h"
#include "proto/socket.h"

/* ============ Configuration ============ */

typedef struct {
    core_strlist_t input;   /* --input: paths, "-" (stdin), "zmq" (producers) */
    char *format;           /* --format */
    char *producers;        /* --producers */
    char *parcels;          /* --parcels */
    char *acks;             /* --acks */
    long batch_size;        /* --batch-size */
    long max_in_flight;     /* --max-in-flight */
    long flush_ms;          /* --flush-ms */
    char *reject_log;       /* --reject-log */
    long ack_timeout_ms;    /* --ack-timeout-ms */
    char *stats;            /* --stats */
    long stats_interval_ms; /* --stats-interval-ms */
    bool once;              /* --once */
    char *log_level;        /* --log-level */
    long dedup_window;      /* --dedup-window: -1 auto, 0 unbounded */
} s_config_t;

/* Default --dedup-window for endless inputs (stdin, producers): bounds ingest's memory. */
#define S_STREAM_WINDOW 1000000
#define S_STREAM_WINDOW_TEXT "1000000"

#define OPT(key, type, def, min, max, field, help)                                                 \
    {                                                                                              \
        key, type, def, min, max, offsetof(s_config_t, field), help                                \
    }

static const core_config_opt_t s_opts[] = {
    OPT("input", CORE_CONFIG_LIST, NULL, 0, 0, input,
        "manifest files; - reads stdin, zmq reads the producers endpoint"),
    OPT("format", CORE_CONFIG_STR, "auto", 0, 0, format,
        "auto|ndjson|csv|msgpack; auto goes by extension, stdin needs a format"),
    OPT("producers", CORE_CONFIG_STR, "@" PROTO_ENDPOINT_PRODUCERS, 0, 0, producers,
        "PULL endpoint producers push MessagePack parcels to (with --input zmq)"),
    OPT("parcels", CORE_CONFIG_STR, ">" PROTO_ENDPOINT_PARCELS, 0, 0, parcels,
        "PUSH endpoint of screen: PARCEL_BATCH and END"),
    OPT("acks", CORE_CONFIG_STR, "@" PROTO_ENDPOINT_ACKS, 0, 0, acks,
        "PULL endpoint where sink sends ACKs"),
    OPT("batch-size", CORE_CONFIG_INT, "256", 1, PROTO_MAX_BATCH_PARCELS, batch_size,
        "parcels per batch"),
    OPT("max-in-flight", CORE_CONFIG_INT, "64", 1, 4096, max_in_flight,
        "batches sent but not yet acknowledged by sink (credit)"),
    OPT("flush-ms", CORE_CONFIG_INT, "50", 1, 60000, flush_ms,
        "send a partial batch once its first parcel is this old"),
    OPT("reject-log", CORE_CONFIG_STR, "-", 0, 0, reject_log,
        "file that gets one line per rejected record (appended); - is stderr"),
    OPT("ack-timeout-ms", CORE_CONFIG_INT, "120000", 100, 86400000, ack_timeout_ms,
        "exit 1 when no ACK arrives this long while batches are in flight"),
    OPT("stats", CORE_CONFIG_STR, NULL, 0, 0, stats, "PUSH endpoint for STATS (optional)"),
    OPT("stats-interval-ms", CORE_CONFIG_INT, "1000", 10, 3600000, stats_interval_ms,
        "period of STATS messages"),
    OPT("once", CORE_CONFIG_BOOL, "false", 0, 0, once,
        "exit 0 once every batch is acknowledged after the last input"),
    OPT("log-level", CORE_CONFIG_STR, "info", 0, 0, log_level, "error|warn|info|debug"),
    OPT("dedup-window", CORE_CONFIG_INT, "-1", -1, 1000000000, dedup_window,
        "duplicate parcel_ids are found among the last N/2..N ids (0: all of the run; -1: all "
        "for files, " S_STREAM_WINDOW_TEXT " when an input is - or zmq)"),
};

#undef OPT

static const core_config_table_t s_table = {
    .name = "ingest",
    .usage = "--input F... [options]",
    .summary = "Reads parcel manifests (NDJSON, CSV, MessagePack), rejects invalid records to "
               "the reject log and sends parcel batches to screen with credit-based flow "
               "control against sink's ACKs.",
    .opts = s_opts,
    .count = CORE_ARRAY_LEN(s_opts),
};

/* ============ Stage state ============ */

#define S_PARCELS_LINGER_MS 2000 /* time given to queued batches and END at exit */
#define S_POLL_MAX_MS 200        /* longest poll, so timers are checked this often */

typedef struct {
    uint64_t seq;     /* batch seq */
    uint32_t parcels; /* parcels in it */
} s_flight_t;

/* One instance per process, fields grouped by purpose rather than packed. */
typedef struct {            /* NOLINT(clang-analyzer-optin.performance.Padding) */
    const s_config_t *cfg;  /* options */
    ingest_format_t format; /* --format */
    void *ctx;              /* ZeroMQ context */
    void *parcels;          /* PUSH -> screen */
    void *acks;             /* PULL <- sink */
    void *producers;        /* PULL <- producers, NULL without --input zmq */
    void *stats;            /* PUSH -> controller, NULL without --stats */
    bool acks_bound;        /* acks attached: its ipc file is ours to remove */
    bool producers_bound;   /* producers attached: likewise */
    FILE *reject_log;       /* rejects, stderr or an owned file */
    bool reject_log_owned;  /* fclose it at exit */
    ingest_idset_t *ids;    /* parcel_ids of the run */
    /* File inputs, one at a time. */
    size_t next_input;       /* index in cfg->input of the next one to open */
    ingest_reader_t *reader; /* reader of the current file, kept for reuse */
    int fd;                  /* current file, -1 when none */
    const char *path;        /* its name */
    bool need_bytes;         /* the reader asked for input */
    bool files_done;         /* every file input has ended */
    /* ZeroMQ input. */
    ingest_reader_t *zreader; /* frame reader */
    bool frame_active;        /* zreader holds a frame being parsed */
    uint64_t frames;          /* frames received */
    /* The batch being built. */
    proto_parcel_t parcel; /* last parcel from a reader */
    core_buf_t batch;      /* PARCEL_BATCH message */
    uint32_t batch_count;  /* parcels in it */
    bool batch_ready;      /* finished, waiting for credit or the socket */
    int64_t batch_mono;    /* when its first parcel was read (monotonic) */
    uint64_t seq;          /* seq of the batch being built */
    bool want_pollout;     /* a send hit the high-water mark */
    /* Batches in flight. */
    s_flight_t *flight;    /* max_in_flight entries */
    size_t in_flight;      /* entries used */
    int64_t last_progress; /* last ACK, or first send with nothing in flight */
    bool end_sent;         /* END went out */
    bool final_sent;       /* final STATS went out */
    core_buf_t msg;        /* END / STATS encoding */
    int64_t next_stats;    /* when the next STATS is due */
    int exit_code;         /* 1 after an input could not be read */
    /* Counters (STATS). */
    uint64_t records_read;     /* parcels + rejects from every reader */
    uint64_t records_rejected; /* rejects written to the reject log */
    uint64_t parcels_sent;     /* parcels in batches that went out */
    uint64_t batches_sent;     /* batches that went out */
    uint64_t batches_acked;    /* batches sink acknowledged */
    uint64_t parcels_acked;    /* parcels in those */
} s_stage_t;

static int64_t s_ms(long ms)
{
    return (int64_t)ms * 1000000;
}

/* ============ STATS, rejects ============ */

static void s_send_stats(s_stage_t *st, bool final)
{
    if (st->reject_log_owned)
        fflush(st->reject_log);
    if (st->stats == NULL)
        return;
    proto_stats_t stats;
    proto_stats_init(&stats, "ingest", final);
    proto_stats_set(&stats, "records_read", st->records_read);
    proto_stats_set(&stats, "records_rejected", st->records_rejected);
    proto_stats_set(&stats, "parcels_sent", st->parcels_sent);
    proto_stats_set(&stats, "batches_sent", st->batches_sent);
    proto_stats_set(&stats, "batches_acked", st->batches_acked);
    proto_stats_set(&stats, "parcels_acked", st->parcels_acked);
    uint64_t mem_allocated = 0;
    uint64_t mem_resident = 0;
    if (final && core_mem_stats(&mem_allocated, &mem_resident) == 0) {
        proto_stats_set(&stats, "mem_allocated", mem_allocated);
        proto_stats_set(&stats, "mem_resident", mem_resident);
    }
    core_buf_reset(&st->msg);
    proto_stats_encode(&stats, &st->msg);
    int rc = proto_socket_send(st->stats, &st->msg, ZMQ_DONTWAIT);
    if (rc != 0)
        core_log(CORE_LOG_DEBUG, "STATS not sent: %s", zmq_strerror(-rc));
}

static void s_reject(s_stage_t *st, const ingest_reader_t *reader)
{
    st->records_read++;
    st->records_rejected++;
    fprintf(st->reject_log, "%s\n", ingest_reader_reason(reader));
}

/* ============ Batches and END ============ */

static void s_batch_close(s_stage_t *st)
{
    proto_parcel_batch_finish(&st->batch, st->batch_count);
    st->batch_ready = true;
}

static void s_batch_add(s_stage_t *st)
{
    if (st->batch_count == 0) {
        st->batch_mono = core_mono_ns();
        proto_parcel_batch_begin(&st->batch, st->seq, core_wall_ns());
    }
    proto_parcel_batch_add(&st->batch, &st->parcel);
    st->batch_count++;
    st->records_read++;
    if (st->batch_count == (uint32_t)st->cfg->batch_size)
        s_batch_close(st);
}

/* Sends the ready batch when there is credit, then END once everything is sent. Returns 0, or
 * -1 on a socket failure (logged). */
static int s_send(s_stage_t *st, int64_t now, bool ignore_credit)
{
    st->want_pollout = false;
    if (st->batch_ready && (ignore_credit || st->in_flight < (size_t)st->cfg->max_in_flight)) {
        int rc = proto_socket_send(st->parcels, &st->batch, ZMQ_DONTWAIT);
        if (rc == -EAGAIN || rc == -EINTR) {
            st->want_pollout = true;
            return 0;
        }
        if (rc != 0) {
            core_log(CORE_LOG_ERROR, "cannot send a batch: %s", zmq_strerror(-rc));
            return -1;
        }
        if (st->in_flight == 0)
            st->last_progress = now;
        if (st->in_flight < (size_t)st->cfg->max_in_flight) {
            st->flight[st->in_flight].seq = st->seq;
            st->flight[st->in_flight].parcels = st->batch_count;
            st->in_flight++;
        }
        st->batches_sent++;
        st->parcels_sent += st->batch_count;
        st->seq++;
        st->batch_count = 0;
        st->batch_ready = false;
    }
    bool input_over = st->files_done && st->producers == NULL;
    if (input_over && !st->end_sent && !st->batch_ready && st->batch_count == 0) {
        proto_end_t end = {
            .records_read = st->records_read,
            .records_rejected = st->records_rejected,
            .parcels_sent = st->parcels_sent,
            .batches_sent = st->batches_sent,
        };
        core_buf_reset(&st->msg);
        proto_end_encode(&end, &st->msg);
        int rc = proto_socket_send(st->parcels, &st->msg, ZMQ_DONTWAIT);
        if (rc == -EAGAIN || rc == -EINTR) {
            st->want_pollout = true;
            return 0;
        }
        if (rc != 0) {
            core_log(CORE_LOG_ERROR, "cannot send END: %s", zmq_strerror(-rc));
            return -1;
        }
        st->end_sent = true;
        core_log(CORE_LOG_INFO,
                 "END sent: %" PRIu64 " records read, %" PRIu64 " rejected, %" PRIu64
                 " parcels in %" PRIu64 " batches",
                 st->records_read, st->records_rejected, st->parcels_sent, st->batches_sent);
    }
    return 0;
}

static void s_acked(s_stage_t *st, const proto_ack_t *ack, int64_t now)
{
    for (size_t i = 0; i < st->in_flight; i++) {
        if (st->flight[i].seq != ack->seq)
            continue;
        st->batches_acked++;
        st->parcels_acked += st->flight[i].parcels;
        st->flight[i] = st->flight[--st->in_flight];
        st->last_progress = now;
        return;
    }
    core_log(CORE_LOG_DEBUG, "ignoring ACK for batch %" PRIu64 " (not in flight)", ack->seq);
}

static void s_recv_acks(s_stage_t *st, int64_t now)
{
    for (;;) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, st->acks, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&msg);
            return;
        }
        proto_ack_t ack;
        char err[CORE_ERR_LEN];
        if (proto_ack_decode(zmq_msg_data(&msg), zmq_msg_size(&msg), &ack, err) == 0)
            s_acked(st, &ack, now);
        else
            core_log(CORE_LOG_WARN, "ignoring a bad ACK: %s", err);
        zmq_msg_close(&msg);
    }
}

/* ============ Inputs ============ */

/* Opens the next file input. Returns true when one is open, false when none is left. */
static bool s_open_next(s_stage_t *st)
{
    const core_strlist_t *in = &st->cfg->input;
    while (st->next_input < in->count) {
        const char *path = in->items[st->next_input++];
        if (!strcmp(path, "zmq"))
            continue;
        bool is_stdin = !strcmp(path, "-");
        ingest_format_t format =
            st->format != INGEST_FORMAT_AUTO ? st->format : ingest_format_from_path(path);
        int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            core_log(CORE_LOG_ERROR, "cannot open %s: %s", path, strerror(errno));
            st->exit_code = 1;
            continue;
        }
        if (!is_stdin)
            posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        const char *source = is_stdin ? "stdin" : path;
        if (st->reader && st->reader->format == format) {
            ingest_reader_restart(st->reader, source);
        } else {
            ingest_reader_destroy(&st->reader);
            st->reader = ingest_reader_new(format, source, st->ids);
        }
        st->fd = fd;
        st->path = source;
        st->need_bytes = true;
        core_log(CORE_LOG_INFO, "reading %s (%s)", source, ingest_format_name(format));
        return true;
    }
    st->files_done = true;
    return false;
}

static void s_close_input(s_stage_t *st)
{
    if (st->fd > STDIN_FILENO)
        close(st->fd);
    st->fd = -1;
    core_log(CORE_LOG_INFO, "%s done: %" PRIu64 " records, %" PRIu64 " rejected", st->path,
             ingest_reader_records(st->reader), ingest_reader_rejects(st->reader));
}

static void s_read_input(s_stage_t *st)
{
    ssize_t n = ingest_reader_read_fd(st->reader, st->fd);
    if (n == -EAGAIN || n == -EINTR)
        return;
    st->need_bytes = false;
    if (n < 0) {
        core_log(CORE_LOG_ERROR, "read %s: %s", st->path, strerror((int)-n));
        st->exit_code = 1;
        ingest_reader_finish(st->reader); /* what is buffered is judged as it is */
    }
}

static void s_recv_frame(s_stage_t *st)
{
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, st->producers, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&msg);
        return;
    }
    char source[48];
    snprintf(source, sizeof(source), "zmq#%" PRIu64, ++st->frames);
    ingest_reader_restart(st->zreader, source);
    ingest_reader_feed(st->zreader, zmq_msg_data(&msg), zmq_msg_size(&msg));
    ingest_reader_finish(st->zreader);
    st->frame_active = true;
    zmq_msg_close(&msg);
}

/* Parses records of one reader into batches until the batch is ready, the reader needs
 * bytes (returns -EAGAIN) or it ends (returns INGEST_READ_END). */
static int s_drain(s_stage_t *st, ingest_reader_t *reader)
{
    while (!st->batch_ready) {
        int rc = ingest_reader_next(reader, &st->parcel);
        if (rc == INGEST_READ_PARCEL)
            s_batch_add(st);
        else if (rc == INGEST_READ_REJECT)
            s_reject(st, reader);
        else
            return rc;
    }
    return INGEST_READ_PARCEL;
}

/* Parses what is buffered. Frames first: they are small and complete. */
static void s_produce(s_stage_t *st)
{
    if (st->frame_active && s_drain(st, st->zreader) == INGEST_READ_END)
        st->frame_active = false;
    while (!st->batch_ready && st->fd >= 0 && !st->need_bytes) {
        int rc = s_drain(st, st->reader);
        if (rc == -EAGAIN) {
            st->need_bytes = true;
        } else if (rc == INGEST_READ_END) {
            s_close_input(st);
            s_open_next(st);
        }
    }
    /* Everything read: the partial batch goes now. */
    if (st->files_done && st->producers == NULL && st->batch_count > 0 && !st->batch_ready)
        s_batch_close(st);
}

/* ============ The loop ============ */

static int s_poll_timeout(const s_stage_t *st, int64_t now)
{
    bool busy = !st->batch_ready && (st->frame_active || (st->fd >= 0 && !st->need_bytes));
    if (busy)
        return 0;
    int64_t deadline = now + s_ms(S_POLL_MAX_MS);
    if (st->batch_count > 0 && !st->batch_ready) {
        int64_t flush = st->batch_mono + s_ms(st->cfg->flush_ms);
        if (flush < deadline)
            deadline = flush;
    }
    if (st->stats && st->next_stats < deadline)
        deadline = st->next_stats;
    if (st->in_flight > 0) {
        int64_t t = st->last_progress + s_ms(st->cfg->ack_timeout_ms);
        if (t < deadline)
            deadline = t;
    }
    if (deadline <= now)
        return 0;
    return (int)((deadline - now + 999999) / 1000000);
}

static void s_poll(s_stage_t *st, int64_t now)
{
    zmq_pollitem_t items[4];
    int n = 0;
    items[n++] = (zmq_pollitem_t){.socket = st->acks, .events = ZMQ_POLLIN};
    int fd_i = -1;
    int prod_i = -1;
    if (st->want_pollout) /* the next turn retries the send */
        items[n++] = (zmq_pollitem_t){.socket = st->parcels, .events = ZMQ_POLLOUT};
    if (!st->batch_ready && st->fd >= 0 && st->need_bytes) {
        fd_i = n;
        items[n++] = (zmq_pollitem_t){.socket = NULL, .fd = st->fd, .events = ZMQ_POLLIN};
    }
    if (!st->batch_ready && st->producers && !st->frame_active) {
        prod_i = n;
        items[n++] = (zmq_pollitem_t){.socket = st->producers, .events = ZMQ_POLLIN};
    }
    int rc = zmq_poll(items, n, s_poll_timeout(st, now));
    if (rc <= 0)
        return;
    if (fd_i >= 0 && (items[fd_i].revents & (ZMQ_POLLIN | ZMQ_POLLERR)))
        s_read_input(st);
    if (prod_i >= 0 && (items[prod_i].revents & ZMQ_POLLIN))
        s_recv_frame(st);
}

/* SIGTERM/SIGINT: stop reading, get the partial batch and END out (bounded by the linger),
 * send a last STATS. */
static void s_shutdown(s_stage_t *st)
{
    core_log(CORE_LOG_INFO, "stopping: flushing %u parcels", st->batch_count);
    if (st->batch_count > 0 && !st->batch_ready)
        s_batch_close(st);
    st->files_done = true;
    if (st->producers)
        proto_socket_close(&st->producers); /* no more input; END may go */
    int64_t give_up = core_mono_ns() + s_ms(S_PARCELS_LINGER_MS);
    while ((st->batch_ready || !st->end_sent) && core_mono_ns() < give_up) {
        if (s_send(st, core_mono_ns(), true) != 0)
            break;
        if (st->want_pollout) {
            zmq_pollitem_t item = {.socket = st->parcels, .events = ZMQ_POLLOUT};
            zmq_poll(&item, 1, 100);
        }
    }
    if (st->batch_ready || !st->end_sent)
        core_log(CORE_LOG_WARN, "screen is not taking batches: %u parcels and END not sent",
                 st->batch_ready ? st->batch_count : 0);
    s_recv_acks(st, core_mono_ns());
    s_send_stats(st, st->end_sent && st->in_flight == 0);
}

static int s_run(s_stage_t *st)
{
    st->next_stats = core_mono_ns() + s_ms(st->cfg->stats_interval_ms);
    s_open_next(st);
    for (;;) {
        if (core_signals_stop_requested()) {
            s_shutdown(st);
            return st->exit_code;
        }
        int64_t now = core_mono_ns();
        s_recv_acks(st, now);
        if (s_send(st, now, false) != 0)
            return 1;
        s_produce(st);
        now = core_mono_ns();
        if (st->batch_count > 0 && !st->batch_ready &&
            now - st->batch_mono >= s_ms(st->cfg->flush_ms))
            s_batch_close(st);
        if (s_send(st, now, false) != 0)
            return 1;
        if (st->end_sent && st->in_flight == 0 && !st->batch_ready && !st->final_sent) {
            core_log(CORE_LOG_INFO, "every batch acknowledged: %" PRIu64 " parcels",
                     st->parcels_acked);
            s_send_stats(st, true);
            st->final_sent = true;
            if (st->cfg->once)
                return st->exit_code;
        }
        if (st->in_flight > 0 && now - st->last_progress >= s_ms(st->cfg->ack_timeout_ms)) {
            uint64_t parcels = 0;
            for (size_t i = 0; i < st->in_flight; i++)
                parcels += st->flight[i].parcels;
            core_log(CORE_LOG_ERROR,
                     "no ACK from sink for %ld ms: %zu batches (%" PRIu64
                     " parcels) unacknowledged; giving up",
                     st->cfg->ack_timeout_ms, st->in_flight, parcels);
            s_send_stats(st, false);
            return 1;
        }
        if (now >= st->next_stats) {
            s_send_stats(st, false);
            st->next_stats = now + s_ms(st->cfg->stats_interval_ms);
        }
        s_poll(st, now);
    }
}

/* ============ Start-up and shut-down ============ */

/* Checks the inputs against the format. Returns 0 or -EINVAL with a reason in err. */
static int s_check_inputs(const s_config_t *cfg, ingest_format_t format, bool *zmq_input, char *err)
{
    const core_strlist_t *in = &cfg->input;
    if (in->count == 0) {
        core_err_set(err, "no --input given (see --help)");
        return -EINVAL;
    }
    bool have_stdin = false;
    *zmq_input = false;
    for (size_t i = 0; i < in->count; i++) {
        const char *path = in->items[i];
        if (!strcmp(path, "zmq")) {
            if (*zmq_input) {
                core_err_set(err, "--input names zmq twice");
                return -EINVAL;
            }
            *zmq_input = true;
            continue;
        }
        if (!strcmp(path, "-")) {
            if (have_stdin) {
                core_err_set(err, "--input names - (stdin) twice");
                return -EINVAL;
            }
            have_stdin = true;
            if (format == INGEST_FORMAT_AUTO) {
                core_err_set(err, "reading stdin needs --format ndjson|csv|msgpack");
                return -EINVAL;
            }
            continue;
        }
        if (format == INGEST_FORMAT_AUTO && ingest_format_from_path(path) == INGEST_FORMAT_AUTO) {
            core_err_set(err, "cannot tell the format of '%s' from its name: use --format", path);
            return -EINVAL;
        }
        if (access(path, R_OK) != 0) {
            core_err_set(err, "cannot read %s: %s", path, strerror(errno));
            return -EINVAL;
        }
    }
    return 0;
}

static void *s_parcels_socket(void *ctx, const s_config_t *cfg, char *err)
{
    void *sock = zmq_socket(ctx, ZMQ_PUSH);
    if (sock == NULL) {
        core_err_set(err, "parcels socket: %s", zmq_strerror(errno));
        return NULL;
    }
    int linger = S_PARCELS_LINGER_MS;
    int hwm = (int)cfg->max_in_flight + 16;
    int immediate = 1;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof(linger));
    zmq_setsockopt(sock, ZMQ_SNDHWM, &hwm, sizeof(hwm));
    zmq_setsockopt(sock, ZMQ_IMMEDIATE, &immediate, sizeof(immediate));
    if (proto_socket_attach(sock, cfg->parcels, false, err) != 0) {
        core_err_prefix(err, "parcels");
        zmq_close(sock);
        return NULL;
    }
    return sock;
}

static int s_open(s_stage_t *st, bool zmq_input, char *err)
{
    const s_config_t *cfg = st->cfg;
    st->ctx = zmq_ctx_new();
    if (st->ctx == NULL) {
        core_err_set(err, "zmq_ctx_new: %s", zmq_strerror(errno));
        return -1;
    }
    st->parcels = s_parcels_socket(st->ctx, cfg, err);
    if (st->parcels == NULL)
        return -1;
    st->acks = proto_socket_new(st->ctx, ZMQ_PULL, cfg->acks, true, 1000, 0, err);
    if (st->acks == NULL) {
        core_err_prefix(err, "acks");
        return -1;
    }
    st->acks_bound = true;
    if (zmq_input) {
        st->producers = proto_socket_new(st->ctx, ZMQ_PULL, cfg->producers, true, 1000, 0, err);
        if (st->producers == NULL) {
            core_err_prefix(err, "producers");
            return -1;
        }
        st->producers_bound = true;
        int64_t max = (int64_t)PROTO_MAX_FRAME_BYTES;
        zmq_setsockopt(st->producers, ZMQ_MAXMSGSIZE, &max, sizeof(max));
    }
    if (cfg->stats && cfg->stats[0]) {
        st->stats = proto_socket_new(st->ctx, ZMQ_PUSH, cfg->stats, false, 100, 1000, err);
        if (st->stats == NULL) {
            core_err_prefix(err, "stats");
            return -1;
        }
    }
    return 0;
}

/* Removes the ipc file behind an endpoint this stage bound (never one it connected to). */
static void s_unlink_bound(const char *endpoints)
{
    if (endpoints && endpoints[0] != '>')
        proto_socket_unlink_ipc(endpoints);
}

static void s_close(s_stage_t *st)
{
    proto_socket_close(&st->parcels);
    proto_socket_close(&st->acks);
    proto_socket_close(&st->producers);
    proto_socket_close(&st->stats);
    if (st->ctx)
        zmq_ctx_term(st->ctx);
    if (st->acks_bound)
        s_unlink_bound(st->cfg->acks);
    if (st->producers_bound)
        s_unlink_bound(st->cfg->producers);
    if (st->fd > STDIN_FILENO)
        close(st->fd);
    ingest_reader_destroy(&st->reader);
    ingest_reader_destroy(&st->zreader);
    ingest_idset_destroy(&st->ids);
    core_buf_clear(&st->batch);
    core_buf_clear(&st->msg);
    free(st->flight);
    if (st->reject_log_owned)
        fclose(st->reject_log);
    else if (st->reject_log)
        fflush(st->reject_log);
}

int ingest_main(int argc, char **argv)
{
    s_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN];
    core_log_init("ingest");
    int rc = core_config_parse(&s_table, &cfg, argc, argv, stdout, err);
    if (rc != 0) {
        if (rc < 0)
            fprintf(stderr, "parcelscreen: ingest: %s\n", err);
        core_config_free(&s_table, &cfg);
        return rc < 0 ? 2 : 0;
    }
    core_log_level_t level;
    ingest_format_t format;
    bool zmq_input = false;
    if (core_log_level_parse(cfg.log_level, &level) != 0) {
        core_err_set(err, "--log-level: '%s' is not error|warn|info|debug", cfg.log_level);
        rc = -EINVAL;
    } else if (ingest_format_parse(cfg.format, &format) != 0) {
        core_err_set(err, "--format: '%s' is not auto|ndjson|csv|msgpack", cfg.format);
        rc = -EINVAL;
    } else {
        rc = s_check_inputs(&cfg, format, &zmq_input, err);
    }
    if (rc != 0) {
        fprintf(stderr, "parcelscreen: ingest: %s\n", err);
        core_config_free(&s_table, &cfg);
        return 2;
    }
    core_log_set_level(level);

    s_stage_t st;
    memset(&st, 0, sizeof(st));
    st.cfg = &cfg;
    st.format = format;
    st.fd = -1;
    st.seq = 1;
    st.ids = ingest_idset_new();
    bool stream_input = zmq_input;
    for (size_t i = 0; i < cfg.input.count; i++)
        stream_input = stream_input || !strcmp(cfg.input.items[i], "-");
    long window = cfg.dedup_window >= 0 ? cfg.dedup_window : (stream_input ? S_STREAM_WINDOW : 0);
    ingest_idset_set_window(st.ids, (size_t)window);
    st.flight = core_calloc((size_t)cfg.max_in_flight, sizeof(*st.flight));
    if (zmq_input)
        st.zreader = ingest_reader_new(INGEST_FORMAT_MSGPACK, "zmq", st.ids);
    if (!strcmp(cfg.reject_log, "-")) {
        st.reject_log = stderr;
    } else {
        st.reject_log = fopen(cfg.reject_log, "a");
        if (st.reject_log == NULL) {
            fprintf(stderr, "parcelscreen: ingest: cannot open reject log %s: %s\n", cfg.reject_log,
                    strerror(errno));
            s_close(&st);
            core_config_free(&s_table, &cfg);
            return 2;
        }
        st.reject_log_owned = true;
    }
    core_signals_install();
    int code;
    if (s_open(&st, zmq_input, err) != 0) {
        fprintf(stderr, "parcelscreen: ingest: %s\n", err);
        code = 1;
    } else {
        core_log(CORE_LOG_INFO, "batches of %ld to %s, ACKs on %s, at most %ld in flight",
                 cfg.batch_size, cfg.parcels, cfg.acks, cfg.max_in_flight);
        code = s_run(&st);
    }
    s_close(&st);
    core_config_free(&s_table, &cfg);
    return code;
}
