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
 * Nothing lost: every batch in flight keeps its encoded bytes (bounded by the credit) and is
 * sent again when it has not been acknowledged for --resend-timeout-ms (doubling per batch up
 * to 4x), so a batch lost with a killed screen or sink, or a lost ACK, is recovered; sink's
 * store is idempotent per parcel_id, so a re-sent batch that was in fact stored is
 * acknowledged as duplicates. seqs start at a per-process base (wall-clock ms << 16), so an
 * ACK meant for an earlier ingest process never acknowledges a batch of this one.
 *
 * End of a run (file and stdin inputs): the partial batch is flushed; END (with the totals)
 * goes out only once every batch is acknowledged, so when sink sees END every verdict of the
 * run is durable; sink acknowledges END with ACK{seq 0}, and END is re-sent like a batch until
 * that ACK arrives. With --once the stage then sends its final STATS and exits 0. With --input
 * zmq the stream has no end: SIGTERM ends it the same way (flush, every ACK, END, its ACK),
 * waiting at most --drain-timeout-ms (s_shutdown). A peer
 * that is gone only makes the stage wait (and re-send); no ACK progress at all for
 * --peer-timeout-ms (minutes) exits 1, with a warning line every 10 s while waiting.
 *
 * Resume (--state FILE): the state file records, per input file, its identity (size, mtime,
 * a hash of its first 4 KiB) and how many of its records (parcels + rejects, from the start)
 * are accounted for: rejected, or in a batch sink acknowledged, with every earlier record
 * accounted too (the contiguous prefix: the minimum over the start positions of the batches
 * in flight and the batch being built). It is written as temp + fsync + rename, at most every
 * 500 ms while it changes and at the end. A restarted ingest re-parses each file from its start
 * (so a CSV header, line numbers and duplicate detection stay as they were) and skips, without
 * sending or logging them, the records already accounted; sink's idempotence covers the
 * records sent twice (the part acknowledged after the last state write). A file whose identity
 * changed is read from the start.
 *
 * Sockets: parcels PUSH (connect) -> screen; acks PULL (bind) <- sink; producers PULL (bind,
 * only with --input zmq); stats PUSH (connect, optional). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
    long resend_timeout_ms; /* --resend-timeout-ms */
    long peer_timeout_ms;   /* --peer-timeout-ms */
    long drain_timeout_ms;  /* --drain-timeout-ms */
    char *stats;            /* --stats */
    long stats_interval_ms; /* --stats-interval-ms */
    bool once;              /* --once */
    char *log_level;        /* --log-level */
    long dedup_window;      /* --dedup-window: -1 auto, 0 unbounded */
    char *state;            /* --state: resume file, NULL for none */
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
    OPT("resend-timeout-ms", CORE_CONFIG_INT, "5000", 10, 3600000, resend_timeout_ms,
        "send a batch (or END) again when it has not been acknowledged this long (doubling per "
        "batch up to 4x)"),
    OPT("peer-timeout-ms", CORE_CONFIG_INT, "300000", 100, 604800000, peer_timeout_ms,
        "exit 1 when no ACK at all arrives this long while batches or END wait for one"),
    OPT("drain-timeout-ms", CORE_CONFIG_INT, "8000", 0, 3600000, drain_timeout_ms,
        "on SIGTERM/SIGINT: wait this long for every batch in flight and END to be acknowledged "
        "(re-sending as usual) before exiting"),
    OPT("stats", CORE_CONFIG_STR, NULL, 0, 0, stats, "PUSH endpoint for STATS (optional)"),
    OPT("stats-interval-ms", CORE_CONFIG_INT, "1000", 10, 3600000, stats_interval_ms,
        "period of STATS messages"),
    OPT("once", CORE_CONFIG_BOOL, "false", 0, 0, once,
        "exit 0 once every batch and END are acknowledged after the last input"),
    OPT("log-level", CORE_CONFIG_STR, "info", 0, 0, log_level, "error|warn|info|debug"),
    OPT("dedup-window", CORE_CONFIG_INT, "-1", -1, 1000000000, dedup_window,
        "duplicate parcel_ids are found among the last N/2..N ids (0: all of the run; -1: all "
        "for files, " S_STREAM_WINDOW_TEXT " when an input is - or zmq)"),
    OPT("state", CORE_CONFIG_STR, NULL, 0, 0, state,
        "resume file: records per input file how far every record is acknowledged; a restart "
        "skips that part (files only)"),
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
#define S_WARN_EVERY_MS 10000    /* period of the "no ACK" warning while waiting */
#define S_RESEND_MAX_SHIFT 2     /* a batch's resend interval doubles up to 4x */
#define S_STATE_EVERY_MS 500     /* the state file is written at most this often */
#define S_STATE_MAGIC "parcelscreen-ingest-state 1"
#define S_ID_BYTES 4096 /* bytes hashed for a file's identity */

/* A position in the file inputs: records [0, records) of input 'file' and every record of the
 * inputs before it are accounted for. Ordered by (file, records). */
typedef struct {
    size_t file;      /* index in cfg->input */
    uint64_t records; /* records of that file (parcels + rejects, from its start) */
    uint64_t offset;  /* byte offset just past those records */
} s_pos_t;

/* What the stage knows of one --input entry (files only). */
typedef struct {
    bool have_id;           /* opened: the identity below is set */
    uint64_t size;          /* st_size */
    int64_t mtime_ns;       /* st_mtim */
    uint64_t hash;          /* core_hash64 of the first S_ID_BYTES */
    uint64_t total;         /* records of the file once it was read to its end */
    uint64_t offset_end;    /* its size as read */
    bool saved;             /* the state file had a line for this path */
    uint64_t saved_records; /* from the state file: records accounted for */
    uint64_t saved_offset;  /* their end offset */
    uint64_t saved_size;    /* and the identity it was written with */
    int64_t saved_mtime_ns; /* */
    uint64_t saved_hash;    /* */
    uint64_t skip;          /* records to skip (resume) once opened */
} s_file_t;

typedef struct {
    uint64_t seq;     /* batch seq */
    uint32_t parcels; /* parcels in it */
    uint32_t sends;   /* times sent (1 + resends) */
    int64_t sent_at;  /* last send, monotonic */
    core_buf_t buf;   /* the encoded batch, for resends (reused from slot to slot) */
    s_pos_t start;    /* input position before its first parcel (resume) */
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
    bool stopping;           /* SIGTERM/SIGINT: no more input is read, only drained */
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
    int64_t next_warn;     /* when the next "no ACK" warning may be logged */
    bool end_sent;         /* END went out */
    bool end_acked;        /* sink acknowledged END (ACK seq 0) */
    int64_t end_sent_at;   /* last send of END, monotonic */
    uint32_t end_sends;    /* times END was sent */
    core_buf_t end_msg;    /* END encoding, kept for re-sends */
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
    uint64_t batches_resent;   /* batches sent again for want of an ACK */
    uint64_t records_skipped;  /* records skipped on resume (accounted by an earlier run) */
    /* Resume. */
    s_file_t *files;     /* one per cfg->input entry */
    s_pos_t cur;         /* position after the last record of the file reader */
    s_pos_t batch_start; /* position before the first parcel of the batch being built */
    s_pos_t saved_pos;   /* position the state file holds */
    bool state_written;  /* the state file was written at least once */
    int64_t next_state;  /* when the state file may be written next */
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
    proto_stats_set(&stats, "batches_resent", st->batches_resent);
    if (st->cfg->state)
        proto_stats_set(&stats, "records_skipped", st->records_skipped);
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

/* The resend interval of something sent 'sends' times. */
static int64_t s_resend_interval(const s_stage_t *st, uint32_t sends)
{
    uint32_t shift = sends > 0 ? sends - 1 : 0;
    if (shift > S_RESEND_MAX_SHIFT)
        shift = S_RESEND_MAX_SHIFT;
    return s_ms(st->cfg->resend_timeout_ms) << shift;
}

/* Sends msg to screen without blocking. Returns 1 when it went out; 0 at the high-water mark
 * (want_pollout set: the loop polls for room and tries again); -1 on a socket failure, logged
 * as "cannot send <what>". */
static int s_push(s_stage_t *st, core_buf_t *msg, const char *what)
{
    int rc = proto_socket_send(st->parcels, msg, ZMQ_DONTWAIT);
    if (rc == -EAGAIN || rc == -EINTR) {
        st->want_pollout = true;
        return 0;
    }
    if (rc != 0) {
        core_log(CORE_LOG_ERROR, "cannot send %s: %s", what, zmq_strerror(-rc));
        return -1;
    }
    return 1;
}

/* Sends again every batch in flight (and END) whose ACK is overdue. Returns 0, or -1 on a
 * socket failure (logged). Stops at the high-water mark (want_pollout). */
static int s_resend(s_stage_t *st, int64_t now)
{
    for (size_t i = 0; i < st->in_flight && !st->want_pollout; i++) {
        s_flight_t *f = &st->flight[i];
        if (now - f->sent_at < s_resend_interval(st, f->sends))
            continue;
        int rc = s_push(st, &f->buf, "a batch again");
        if (rc <= 0)
            return rc;
        core_log(CORE_LOG_DEBUG, "batch %" PRIu64 " (%u parcels) re-sent, no ACK after %u sends",
                 f->seq, f->parcels, f->sends);
        f->sent_at = now;
        f->sends++;
        st->batches_resent++;
    }
    if (st->end_sent && !st->end_acked && !st->want_pollout &&
        now - st->end_sent_at >= s_resend_interval(st, st->end_sends)) {
        int rc = s_push(st, &st->end_msg, "END again");
        if (rc <= 0)
            return rc;
        core_log(CORE_LOG_DEBUG, "END re-sent, not acknowledged after %u sends", st->end_sends);
        st->end_sent_at = now;
        st->end_sends++;
    }
    return 0;
}

/* Sends the ready batch when there is credit, re-sends what is overdue, then END once every
 * batch is acknowledged. Returns 0, or -1 on a socket failure (logged). */
static int s_send(s_stage_t *st, int64_t now)
{
    st->want_pollout = false;
    if (st->batch_ready && st->in_flight < (size_t)st->cfg->max_in_flight) {
        int rc = s_push(st, &st->batch, "a batch");
        if (rc <= 0)
            return rc;
        if (st->in_flight == 0)
            st->last_progress = now;
        s_flight_t *f = &st->flight[st->in_flight++];
        f->seq = st->seq;
        f->parcels = st->batch_count;
        f->sends = 1;
        f->sent_at = now;
        f->start = st->batch_start;
        /* Keep the bytes for a resend; the slot's old buffer becomes the next batch's. */
        core_buf_t tmp = f->buf;
        f->buf = st->batch;
        st->batch = tmp;
        st->batches_sent++;
        st->parcels_sent += st->batch_count;
        st->seq++;
        st->batch_count = 0;
        st->batch_ready = false;
    }
    if (s_resend(st, now) != 0)
        return -1;
    bool input_over = st->files_done && st->producers == NULL;
    if (input_over && !st->end_sent && !st->batch_ready && st->batch_count == 0 &&
        st->in_flight == 0 && !st->want_pollout) {
        proto_end_t end = {
            .records_read = st->records_read,
            .records_rejected = st->records_rejected,
            .parcels_sent = st->parcels_sent,
            .batches_sent = st->batches_sent,
        };
        core_buf_reset(&st->end_msg);
        proto_end_encode(&end, &st->end_msg);
        int rc = s_push(st, &st->end_msg, "END");
        if (rc <= 0)
            return rc;
        st->end_sent = true;
        st->end_sent_at = now;
        st->end_sends = 1;
        st->last_progress = now;
        core_log(CORE_LOG_INFO,
                 "END sent: %" PRIu64 " records read, %" PRIu64 " rejected, %" PRIu64
                 " parcels in %" PRIu64 " batches; %" PRIu64 " records skipped (resumed)",
                 st->records_read, st->records_rejected, st->parcels_sent, st->batches_sent,
                 st->records_skipped);
    }
    return 0;
}

static void s_acked(s_stage_t *st, const proto_ack_t *ack, int64_t now)
{
    if (ack->seq == 0) { /* END is durable at sink */
        if (st->end_sent && !st->end_acked) {
            st->end_acked = true;
            st->last_progress = now;
        }
        return;
    }
    for (size_t i = 0; i < st->in_flight; i++) {
        s_flight_t *f = &st->flight[i];
        if (f->seq != ack->seq)
            continue;
        st->batches_acked++;
        st->parcels_acked += f->parcels;
        /* Swap with the last entry, so every slot keeps a buffer of its own. */
        s_flight_t last = st->flight[--st->in_flight];
        st->flight[st->in_flight] = *f;
        *f = last;
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

/* ============ Resume state ============ */

static int s_pos_cmp(const s_pos_t *a, const s_pos_t *b)
{
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->records != b->records)
        return a->records < b->records ? -1 : 1;
    return 0;
}

/* The contiguous prefix of the file inputs that is accounted for (see DESIGN). */
static s_pos_t s_accounted(const s_stage_t *st)
{
    s_pos_t pos = st->cur;
    if (st->batch_count > 0 && s_pos_cmp(&st->batch_start, &pos) < 0)
        pos = st->batch_start;
    for (size_t i = 0; i < st->in_flight; i++)
        if (s_pos_cmp(&st->flight[i].start, &pos) < 0)
            pos = st->flight[i].start;
    return pos;
}

/* Writes the state file (temp + fsync + rename + fsync of the directory). Returns 0 or -1
 * (logged once per failure). */
static int s_state_write(s_stage_t *st, const s_pos_t *pos)
{
    const char *path = st->cfg->state;
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        core_log(CORE_LOG_ERROR, "state %s: %s", tmp, strerror(errno));
        return -1;
    }
    fprintf(f, "%s\n", S_STATE_MAGIC);
    const core_strlist_t *in = &st->cfg->input;
    for (size_t i = 0; i < in->count && i <= pos->file; i++) {
        const s_file_t *fi = &st->files[i];
        if (!fi->have_id)
            continue;
        uint64_t records = i < pos->file ? fi->total : pos->records;
        uint64_t offset = i < pos->file ? fi->offset_end : pos->offset;
        fprintf(f, "file %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRId64 " %016" PRIx64 " %s\n",
                records, offset, fi->size, fi->mtime_ns, fi->hash, in->items[i]);
    }
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        core_log(CORE_LOG_ERROR, "state %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

/* Writes the state when it changed (and, unless 'now_too', the last write is old enough). */
static void s_state_save(s_stage_t *st, int64_t now, bool now_too)
{
    if (st->cfg->state == NULL || (!now_too && now < st->next_state))
        return;
    st->next_state = now + s_ms(S_STATE_EVERY_MS);
    s_pos_t pos = s_accounted(st);
    if (st->state_written && s_pos_cmp(&pos, &st->saved_pos) == 0)
        return;
    if (s_state_write(st, &pos) == 0) {
        st->saved_pos = pos;
        st->state_written = true;
    }
}

/* Reads the state file, if any. Returns 0, or -EINVAL with a reason in err (a file that is
 * not a state file is refused rather than overwritten). */
static int s_state_load(s_stage_t *st, char *err)
{
    FILE *f = fopen(st->cfg->state, "r");
    if (f == NULL) {
        if (errno == ENOENT)
            return 0;
        core_err_set(err, "state %s: %s", st->cfg->state, strerror(errno));
        return -EINVAL;
    }
    char line[4400];
    int rc = 0;
    if (fgets(line, sizeof(line), f) == NULL ||
        strncmp(line, S_STATE_MAGIC, strlen(S_STATE_MAGIC))) {
        core_err_set(err, "state %s: not an ingest state file", st->cfg->state);
        rc = -EINVAL;
    }
    for (unsigned n = 2; rc == 0 && fgets(line, sizeof(line), f); n++) {
        line[strcspn(line, "\n")] = '\0';
        unsigned long long records, offset, size, hash;
        long long mtime;
        int used = 0;
        if (sscanf(line, "file %llu %llu %llu %lld %llx %n", &records, &offset, &size, &mtime,
                   &hash, &used) != 5 ||
            used == 0 || line[used] == '\0') {
            core_err_set(err, "state %s:%u: malformed line", st->cfg->state, n);
            rc = -EINVAL;
            break;
        }
        const core_strlist_t *in = &st->cfg->input;
        for (size_t i = 0; i < in->count; i++) {
            if (strcmp(in->items[i], line + used) != 0)
                continue;
            s_file_t *fi = &st->files[i];
            fi->saved = true;
            fi->saved_records = records;
            fi->saved_offset = offset;
            fi->saved_size = size;
            fi->saved_mtime_ns = mtime;
            fi->saved_hash = hash;
        }
    }
    fclose(f);
    return rc;
}

/* Sets the identity of input i (just opened as fd) and, when the state file has a matching
 * line, how many records to skip. */
static void s_identify(s_stage_t *st, size_t i, int fd)
{
    s_file_t *fi = &st->files[i];
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        return;
    char head[S_ID_BYTES];
    ssize_t n = pread(fd, head, sizeof(head), 0);
    fi->have_id = true;
    fi->size = (uint64_t)sb.st_size;
    fi->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec;
    fi->hash = core_hash64(head, n > 0 ? (size_t)n : 0, 0x70617263656c73ULL);
    if (!fi->saved || fi->saved_records == 0)
        return;
    if (fi->saved_size != fi->size || fi->saved_mtime_ns != fi->mtime_ns ||
        fi->saved_hash != fi->hash) {
        core_log(CORE_LOG_WARN,
                 "state: %s changed since it was recorded (size, mtime or first 4 KiB): "
                 "reading it from the start",
                 st->cfg->input.items[i]);
        return;
    }
    fi->skip = fi->saved_records;
    core_log(CORE_LOG_INFO,
             "resuming %s: skipping %" PRIu64 " records (%" PRIu64 " bytes) already accounted for",
             st->cfg->input.items[i], fi->skip, fi->saved_offset);
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
        st->cur = (s_pos_t){.file = st->next_input - 1, .records = 0, .offset = 0};
        if (!is_stdin && st->files)
            s_identify(st, st->next_input - 1, fd);
        core_log(CORE_LOG_INFO, "reading %s (%s)", source, ingest_format_name(format));
        return true;
    }
    st->files_done = true;
    st->cur = (s_pos_t){.file = in->count, .records = 0, .offset = 0};
    return false;
}

static void s_close_input(s_stage_t *st)
{
    if (st->files) {
        s_file_t *fi = &st->files[st->cur.file];
        fi->total = ingest_reader_records(st->reader);
        fi->offset_end = ingest_reader_offset(st->reader);
        if (fi->skip > fi->total)
            core_log(CORE_LOG_WARN, "state: %s has fewer records than recorded", st->path);
    }
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
    bool file = reader == st->reader;
    while (!st->batch_ready) {
        int rc = ingest_reader_next(reader, &st->parcel);
        if (rc != INGEST_READ_PARCEL && rc != INGEST_READ_REJECT)
            return rc;
        if (file && st->files && ingest_reader_records(reader) <= st->files[st->cur.file].skip) {
            st->records_skipped++; /* accounted for by an earlier run (resume) */
        } else if (rc == INGEST_READ_PARCEL) {
            if (st->batch_count == 0)
                st->batch_start = st->cur;
            s_batch_add(st);
        } else {
            s_reject(st, reader);
        }
        if (file) {
            st->cur.records = ingest_reader_records(reader);
            st->cur.offset = ingest_reader_offset(reader);
        }
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
    bool busy =
        !st->stopping && !st->batch_ready && (st->frame_active || (st->fd >= 0 && !st->need_bytes));
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
    if (st->in_flight > 0 || (st->end_sent && !st->end_acked)) {
        int64_t t = st->last_progress + s_ms(st->cfg->peer_timeout_ms);
        if (t < deadline)
            deadline = t;
    }
    for (size_t i = 0; i < st->in_flight; i++) {
        int64_t t = st->flight[i].sent_at + s_resend_interval(st, st->flight[i].sends);
        if (t < deadline)
            deadline = t;
    }
    if (st->end_sent && !st->end_acked) {
        int64_t t = st->end_sent_at + s_resend_interval(st, st->end_sends);
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
    if (!st->batch_ready && !st->stopping && st->fd >= 0 && st->need_bytes) {
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

static uint64_t s_parcels_in_flight(const s_stage_t *st)
{
    uint64_t parcels = 0;
    for (size_t i = 0; i < st->in_flight; i++)
        parcels += st->flight[i].parcels;
    return parcels;
}

/* Waiting for ACKs without progress: a warning every S_WARN_EVERY_MS once a resend interval
 * has passed, exit after --peer-timeout-ms. Returns 0, or -1 to give up. */
static int s_check_peer(s_stage_t *st, int64_t now)
{
    bool waiting = st->in_flight > 0 || (st->end_sent && !st->end_acked);
    if (!waiting)
        return 0;
    int64_t silent = now - st->last_progress;
    bool give_up = silent >= s_ms(st->cfg->peer_timeout_ms);
    if (!give_up && (silent < s_ms(st->cfg->resend_timeout_ms) || now < st->next_warn))
        return 0;
    uint64_t parcels = s_parcels_in_flight(st);
    if (give_up) {
        core_log(CORE_LOG_ERROR,
                 "no ACK from sink for %ld ms: %zu batches (%" PRIu64 " parcels)%s "
                 "unacknowledged after %" PRIu64 " re-sends; giving up",
                 st->cfg->peer_timeout_ms, st->in_flight, parcels,
                 st->end_sent && !st->end_acked ? " and END" : "", st->batches_resent);
        s_send_stats(st, false);
        return -1;
    }
    core_log(CORE_LOG_WARN,
             "no ACK from sink for %.1f s: %zu batches (%" PRIu64 " parcels)%s "
             "unacknowledged, %" PRIu64 " re-sends so far; still re-sending, giving up after "
             "%ld s",
             (double)silent / 1e9, st->in_flight, parcels,
             st->end_sent && !st->end_acked ? " and END" : "", st->batches_resent,
             st->cfg->peer_timeout_ms / 1000);
    st->next_warn = now + s_ms(S_WARN_EVERY_MS);
    return 0;
}

/* SIGTERM/SIGINT: stop reading, then drain: the partial batch goes out, every batch in flight
 * is waited for (and re-sent as usual) until sink has acknowledged it, then END, until its ACK
 * too, for at most --drain-timeout-ms (checked after each poll, so up to S_POLL_MAX_MS more).
 * Drained: a final STATS and exit 0. Not drained (screen or sink gone): one warning naming
 * what is unacknowledged, the state file (if any) keeps the acknowledged prefix for a restart,
 * and the exit code is 1. */
static void s_shutdown(s_stage_t *st)
{
    core_log(CORE_LOG_INFO, "stopping: flushing %u parcels, %zu batches in flight", st->batch_count,
             st->in_flight);
    if (st->batch_count > 0 && !st->batch_ready)
        s_batch_close(st);
    st->files_done = true;
    st->stopping = true;
    if (st->producers)
        proto_socket_close(&st->producers); /* no more input; END may go */
    int64_t now = core_mono_ns();
    int64_t give_up = now + s_ms(st->cfg->drain_timeout_ms);
    bool drained = false;
    for (;;) {
        now = core_mono_ns();
        s_recv_acks(st, now);
        drained = st->end_acked && st->in_flight == 0 && !st->batch_ready;
        if (drained || now >= give_up)
            break;
        if (s_send(st, now) != 0)
            break;
        s_poll(st, now); /* ACKs and room to send; no input while stopping */
    }
    s_state_save(st, core_mono_ns(), true);
    if (!drained) {
        core_log(CORE_LOG_WARN,
                 "stopping: not drained within %ld ms: %zu batches (%" PRIu64 " parcels)%s%s "
                 "unacknowledged",
                 st->cfg->drain_timeout_ms, st->in_flight, s_parcels_in_flight(st),
                 st->batch_ready ? ", a batch not sent" : "",
                 st->end_acked ? "" : (st->end_sent ? " and END" : ", END not sent"));
        st->exit_code = 1;
    }
    s_send_stats(st, drained);
    st->final_sent = drained;
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
        if (s_send(st, now) != 0)
            return 1;
        s_produce(st);
        now = core_mono_ns();
        if (st->batch_count > 0 && !st->batch_ready &&
            now - st->batch_mono >= s_ms(st->cfg->flush_ms))
            s_batch_close(st);
        if (s_send(st, now) != 0)
            return 1;
        s_state_save(st, now, false);
        if (st->end_acked && st->in_flight == 0 && !st->batch_ready && !st->final_sent) {
            s_state_save(st, now, true);
            core_log(CORE_LOG_INFO, "every batch and END acknowledged: %" PRIu64 " parcels",
                     st->parcels_acked);
            s_send_stats(st, true);
            st->final_sent = true;
            if (st->cfg->once)
                return st->exit_code;
        }
        if (s_check_peer(st, now) != 0) {
            s_state_save(st, now, true);
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
    core_buf_clear(&st->end_msg);
    free(st->files);
    for (long i = 0; st->flight && i < st->cfg->max_in_flight; i++)
        core_buf_clear(&st->flight[i].buf);
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
    /* A per-process seq base: an ACK meant for an earlier ingest never matches (DESIGN). */
    st.seq = ((uint64_t)(core_wall_ns() / 1000000) << 16) + 1;
    st.ids = ingest_idset_new();
    bool stream_input = zmq_input;
    for (size_t i = 0; i < cfg.input.count; i++)
        stream_input = stream_input || !strcmp(cfg.input.items[i], "-");
    long window = cfg.dedup_window >= 0 ? cfg.dedup_window : (stream_input ? S_STREAM_WINDOW : 0);
    ingest_idset_set_window(st.ids, (size_t)window);
    st.flight = core_calloc((size_t)cfg.max_in_flight, sizeof(*st.flight));
    st.files = core_calloc(cfg.input.count, sizeof(*st.files));
    if (cfg.state && s_state_load(&st, err) != 0) {
        fprintf(stderr, "parcelscreen: ingest: %s\n", err);
        s_close(&st);
        core_config_free(&s_table, &cfg);
        return 2;
    }
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
