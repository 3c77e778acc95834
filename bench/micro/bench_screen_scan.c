/* bench_screen_scan.c -- the matching ceiling: how fast can the parcels be screened with no
 * sockets, no decoding and no storage in the way?
 *
 * DESIGN
 *
 * Setup (not timed): the manifest is read with ingest's reader and every parcel is copied into
 * PARCEL_BATCH messages of 256 and decoded once, so the parcels live in memory exactly as a
 * screen worker sees them. The watchlists are loaded and compiled with screen's API
 * (screen_watchlist_load, screen_matcher_new; the compile time is its own result line).
 *
 * Two ceilings, each with N threads (one scanner or one cloned scratch per thread, parcels
 * split into N contiguous ranges, the clock runs from a common start to the last thread's end,
 * after one untimed warm-up pass):
 *   screen_scanner  screen_scanner_screen() on every parcel: normalising, Hyperscan,
 *                   verification, exact-lookup kinds, scoring -- everything a worker does
 *                   between decoding a batch and encoding its verdicts.
 *   hs_scan         hs_scan() alone over the same text fields already normalised (name,
 *                   address+city+postcode, item descriptions of both parties and the seller),
 *                   against one literal database per text class built from the name and
 *                   keyword rules whose scope covers the class (same normalisation as screen,
 *                   escaped \xNN, hs_compile_multi). Match callbacks only count. This is the
 *                   bound no implementation on Hyperscan can beat for these fields.
 * MB/s is computed over the manifest's bytes, so it compares with the pipeline's MB/s; the
 * hs line also gives the normalised field bytes it scanned.
 *
 * Rejected: timing the scanner through screen's worker threads (that is the stage, measured
 * end to end by the suite); vectored scanning of a whole parcel (screen scans field by field,
 * DEPENDENCIES.md 1.4.5). */
#include <errno.h>
#include <hs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchmicro/micro.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "ingest/reader.h"
#include "proto/parcel.h"
#include "screen/matcher.h"
#include "screen/normalize.h"
#include "screen/scanner.h"
#include "screen/watchlist.h"

#define SCAN_BATCH 256 /* parcels per in-memory batch, as ingest's default */

/* ============ Parcels in memory ============ */

typedef struct {
    core_buf_t *msgs;              /* encoded PARCEL_BATCH per batch (views point here) */
    core_arena_t *arenas;          /* decoded arrays per batch */
    proto_parcel_batch_t *batches; /* decoded batches */
    size_t count;                  /* batches */
    uint64_t parcels;              /* parcels in all batches */
    uint64_t input_bytes;          /* manifest file size */
} scan_parcels_t;

static void s_parcels_free(scan_parcels_t *p)
{
    for (size_t i = 0; i < p->count; i++) {
        core_buf_clear(&p->msgs[i]);
        core_arena_clear(&p->arenas[i]);
    }
    free(p->msgs);
    free(p->arenas);
    free(p->batches);
    memset(p, 0, sizeof(p[0]));
}

static void s_parcels_grow(scan_parcels_t *p, size_t *cap)
{
    if (p->count < *cap)
        return;
    *cap = *cap ? *cap * 2 : 64;
    p->msgs = core_realloc(p->msgs, *cap * sizeof(*p->msgs));
    p->arenas = core_realloc(p->arenas, *cap * sizeof(*p->arenas));
    p->batches = core_realloc(p->batches, *cap * sizeof(*p->batches));
}

/* Closes the batch being built in p->msgs[p->count] and decodes it. */
static int s_parcels_seal(scan_parcels_t *p, uint32_t n, char *err)
{
    core_buf_t *msg = &p->msgs[p->count];
    proto_parcel_batch_finish(msg, n);
    core_arena_init(&p->arenas[p->count], 0);
    int rc = proto_parcel_batch_decode(msg->data, msg->len, &p->batches[p->count],
                                       &p->arenas[p->count], err);
    p->count++;
    p->parcels += n;
    return rc;
}

static int s_parcels_load(const char *path, scan_parcels_t *p, char *err)
{
    memset(p, 0, sizeof(*p));
    ingest_format_t format = ingest_format_from_path(path);
    if (format == INGEST_FORMAT_AUTO) {
        core_err_set(err, "%s: cannot tell the manifest format from the name", path);
        return -EINVAL;
    }
    size_t len = 0;
    char *data = bench_read_file(path, &len, err);
    if (data == NULL)
        return -ENOENT;
    p->input_bytes = len;

    ingest_reader_t *reader = ingest_reader_new(format, path, NULL);
    size_t cap = 0;
    size_t off = 0;
    uint32_t in_batch = 0;
    int rc = 0;
    if (len == 0)
        ingest_reader_finish(reader);
    for (;;) {
        proto_parcel_t parcel;
        int r = ingest_reader_next(reader, &parcel);
        if (r == INGEST_READ_PARCEL) {
            if (in_batch == 0) {
                s_parcels_grow(p, &cap);
                memset(&p->msgs[p->count], 0, sizeof(p->msgs[0]));
                proto_parcel_batch_begin(&p->msgs[p->count], p->count + 1, 0);
            }
            proto_parcel_batch_add(&p->msgs[p->count], &parcel);
            if (++in_batch == SCAN_BATCH) {
                rc = s_parcels_seal(p, in_batch, err);
                in_batch = 0;
                if (rc != 0)
                    break;
            }
        } else if (r == INGEST_READ_REJECT) {
            continue;
        } else if (r == -EAGAIN && off < len) {
            ingest_reader_feed_next(reader, data, len, &off);
        } else {
            if (r != INGEST_READ_END) {
                core_err_set(err, "%s: the reader stopped before the end of input", path);
                rc = -EPROTO;
            }
            break;
        }
    }
    if (rc == 0 && in_batch > 0)
        rc = s_parcels_seal(p, in_batch, err);
    ingest_reader_destroy(&reader);
    free(data);
    if (rc == 0 && p->parcels == 0) {
        core_err_set(err, "%s: no valid parcel", path);
        rc = -EINVAL;
    }
    if (rc != 0)
        s_parcels_free(p);
    return rc;
}

/* ============ Threads with a common start ============ */

typedef struct scan_job scan_job_t;

typedef struct {
    scan_job_t *job;           /* shared description */
    size_t first, last;        /* batch range [first, last) */
    screen_scanner_t *scanner; /* screen ceiling: this thread's scanner */
    hs_scratch_t *scratch;     /* hs ceiling: this thread's scratch */
    uint64_t hits;             /* hits or raw matches counted */
    int rc;                    /* 0 or a negative errno */
} scan_thread_t;

struct scan_job {
    const scan_parcels_t *parcels;         /* input */
    pthread_barrier_t start;               /* threads + the timer */
    bool hs_mode;                          /* hs_scan instead of the scanner */
    hs_database_t *db[SCREEN_CLASS_COUNT]; /* hs mode: literal db per class, or NULL */
    const char *text;                      /* hs mode: normalised fields, back to back */
    const uint32_t *field_off;             /* hs mode: per field: offset in text */
    const uint32_t *field_len;             /* hs mode: per field: length */
    const uint8_t *field_class;            /* hs mode: per field: screen_class_t */
    const size_t *batch_field;             /* hs mode: first field of each batch, +1 end */
};

static int s_count_match(unsigned int id, unsigned long long from, unsigned long long to,
                         unsigned int flags, void *ctx)
{
    (void)id;
    (void)from;
    (void)to;
    (void)flags;
    (*(uint64_t *)ctx)++;
    return 0;
}

static void *s_thread(void *arg)
{
    scan_thread_t *t = arg;
    scan_job_t *job = t->job;
    core_arena_t arena;
    core_arena_init(&arena, 0);
    pthread_barrier_wait(&job->start);
    if (!job->hs_mode) {
        for (size_t b = t->first; b < t->last; b++) {
            const proto_parcel_batch_t *batch = &job->parcels->batches[b];
            core_arena_reset(&arena);
            for (uint32_t i = 0; i < batch->count; i++) {
                proto_verdict_t verdict;
                if (screen_scanner_screen(t->scanner, &batch->parcels[i], &verdict, &arena) != 0)
                    t->rc = -EIO;
                t->hits += verdict.hit_count;
            }
        }
    } else {
        size_t f0 = job->batch_field[t->first];
        size_t f1 = job->batch_field[t->last];
        for (size_t f = f0; f < f1; f++) {
            hs_database_t *db = job->db[job->field_class[f]];
            if (db == NULL || job->field_len[f] == 0)
                continue;
            if (hs_scan(db, job->text + job->field_off[f], job->field_len[f], 0, t->scratch,
                        s_count_match, &t->hits) != HS_SUCCESS)
                t->rc = -EIO;
        }
    }
    core_arena_clear(&arena);
    return NULL;
}

/* Runs the job on 'n' threads prepared in t[]; returns wall seconds from the common start to
 * the last thread's end, or a negative value when a thread failed. */
static double s_run_threads(scan_job_t *job, scan_thread_t *t, unsigned n, uint64_t *hits)
{
    pthread_t *tid = core_calloc(n, sizeof(*tid));
    size_t per = (job->parcels->count + n - 1) / n;
    pthread_barrier_init(&job->start, NULL, n + 1);
    for (unsigned i = 0; i < n; i++) {
        t[i].job = job;
        t[i].first = (size_t)i * per < job->parcels->count ? (size_t)i * per : job->parcels->count;
        t[i].last = t[i].first + per < job->parcels->count ? t[i].first + per : job->parcels->count;
        t[i].hits = 0;
        t[i].rc = 0;
        int rc = pthread_create(&tid[i], NULL, s_thread, &t[i]);
        core_assert(rc == 0);
    }
    pthread_barrier_wait(&job->start);
    double t0 = bench_now_s();
    for (unsigned i = 0; i < n; i++)
        pthread_join(tid[i], NULL);
    double secs = bench_now_s() - t0;
    pthread_barrier_destroy(&job->start);
    free(tid);
    *hits = 0;
    for (unsigned i = 0; i < n; i++) {
        *hits += t[i].hits;
        if (t[i].rc != 0)
            secs = -1.0;
    }
    return secs;
}

/* ============ The raw Hyperscan ceiling ============ */

typedef struct {
    hs_database_t *db[SCREEN_CLASS_COUNT]; /* literal db per class, NULL when no pattern */
    hs_scratch_t *scratch;                 /* prototype, grown over every db */
    uint64_t patterns;                     /* distinct literals in all dbs */
    core_buf_t text;                       /* normalised fields back to back */
    core_buf_t off, len, cls;              /* uint32, uint32, uint8 arrays per field */
    size_t *batch_field;                   /* first field per batch, count + 1 entries */
} scan_hs_t;

static int s_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const uint32_t s_class_fields[SCREEN_CLASS_COUNT] = {
    [SCREEN_CLASS_NAME] = SCREEN_FIELDS_NAME,
    [SCREEN_CLASS_ADDRESS] = SCREEN_FIELDS_ADDRESS,
    [SCREEN_CLASS_DESCRIPTION] = SCREEN_FIELD_DESCRIPTION,
};

/* Compiles one class's literal database from the name and keyword rules covering it. */
static int s_hs_compile_class(scan_hs_t *h, const screen_watchlist_t *wl, screen_class_t cls,
                              char *err)
{
    screen_norm_mode_t mode = cls == SCREEN_CLASS_NAME ? SCREEN_NORM_NAME : SCREEN_NORM_TEXT;
    size_t n = screen_watchlist_size(wl);
    char **lits = core_calloc(n ? n : 1, sizeof(*lits));
    size_t count = 0;
    screen_norm_t norm;
    screen_norm_init(&norm);
    for (size_t i = 0; i < n; i++) {
        const screen_rule_t *r = screen_watchlist_rule(wl, i);
        if ((r->kind != SCREEN_KIND_NAME && r->kind != SCREEN_KIND_KEYWORD) ||
            (r->scope & s_class_fields[cls]) == 0)
            continue;
        screen_normalize(&norm, r->pattern, strlen(r->pattern), mode);
        if (norm.len == 0)
            continue;
        /* \xNN per byte: the literal survives hs_compile_multi's regex syntax unchanged. */
        char *e = core_malloc((size_t)norm.len * 4 + 1);
        for (uint32_t k = 0; k < norm.len; k++)
            snprintf(e + (size_t)k * 4, 5, "\\x%02x", (unsigned char)norm.text[k]);
        lits[count++] = e;
    }
    screen_norm_clear(&norm);
    qsort(lits, count, sizeof(*lits), s_cmp_str);
    size_t uniq = 0;
    for (size_t i = 0; i < count; i++) {
        if (uniq > 0 && strcmp(lits[uniq - 1], lits[i]) == 0) {
            free(lits[i]);
            continue;
        }
        lits[uniq++] = lits[i];
    }
    int rc = 0;
    if (uniq > 0) {
        unsigned *ids = core_calloc(uniq, sizeof(*ids));
        for (size_t i = 0; i < uniq; i++)
            ids[i] = (unsigned)i;
        hs_compile_error_t *cerr = NULL;
        if (hs_compile_multi((const char *const *)lits, NULL, ids, (unsigned)uniq, HS_MODE_BLOCK,
                             NULL, &h->db[cls], &cerr) != HS_SUCCESS) {
            core_err_set(err, "hs_compile_multi (%s, %zu literals): %s", screen_class_name(cls),
                         uniq, cerr && cerr->message ? cerr->message : "?");
            hs_free_compile_error(cerr);
            rc = -EINVAL;
        } else if (hs_alloc_scratch(h->db[cls], &h->scratch) != HS_SUCCESS) {
            core_err_set(err, "hs_alloc_scratch failed");
            rc = -ENOMEM;
        }
        free(ids);
        h->patterns += uniq;
    }
    for (size_t i = 0; i < uniq; i++)
        free(lits[i]);
    free(lits);
    return rc;
}

static void s_hs_field(scan_hs_t *h, screen_norm_t *norm, screen_class_t cls)
{
    uint32_t off = (uint32_t)h->text.len;
    uint32_t len = norm->len;
    uint8_t c = (uint8_t)cls;
    core_buf_append(&h->text, norm->text, norm->len);
    core_buf_append(&h->off, &off, sizeof(off));
    core_buf_append(&h->len, &len, sizeof(len));
    core_buf_append(&h->cls, &c, sizeof(c));
}

static void s_hs_address(scan_hs_t *h, screen_norm_t *norm, const proto_party_t *p)
{
    screen_normalize(norm, p->address.ptr, p->address.len, SCREEN_NORM_TEXT);
    screen_normalize_append(norm, p->city.ptr, p->city.len, SCREEN_NORM_TEXT);
    screen_normalize_append(norm, p->postcode.ptr, p->postcode.len, SCREEN_NORM_TEXT);
    s_hs_field(h, norm, SCREEN_CLASS_ADDRESS);
}

/* Normalises every text field of every parcel once, as screen would before scanning. */
static void s_hs_fields(scan_hs_t *h, const scan_parcels_t *p)
{
    screen_norm_t norm;
    screen_norm_init(&norm);
    h->batch_field = core_calloc(p->count + 1, sizeof(*h->batch_field));
    size_t fields = 0;
    for (size_t b = 0; b < p->count; b++) {
        h->batch_field[b] = fields;
        for (uint32_t i = 0; i < p->batches[b].count; i++) {
            const proto_parcel_t *pc = &p->batches[b].parcels[i];
            screen_normalize(&norm, pc->sender.name.ptr, pc->sender.name.len, SCREEN_NORM_NAME);
            s_hs_field(h, &norm, SCREEN_CLASS_NAME);
            screen_normalize(&norm, pc->recipient.name.ptr, pc->recipient.name.len,
                             SCREEN_NORM_NAME);
            s_hs_field(h, &norm, SCREEN_CLASS_NAME);
            fields += 2;
            if (pc->has_seller) {
                screen_normalize(&norm, pc->seller.name.ptr, pc->seller.name.len, SCREEN_NORM_NAME);
                s_hs_field(h, &norm, SCREEN_CLASS_NAME);
                fields++;
            }
            s_hs_address(h, &norm, &pc->sender);
            s_hs_address(h, &norm, &pc->recipient);
            fields += 2;
            for (uint32_t k = 0; k < pc->item_count; k++) {
                const proto_item_t *it = &pc->items[k];
                screen_normalize(&norm, it->description.ptr, it->description.len, SCREEN_NORM_TEXT);
                s_hs_field(h, &norm, SCREEN_CLASS_DESCRIPTION);
                fields++;
            }
        }
    }
    h->batch_field[p->count] = fields;
    screen_norm_clear(&norm);
}

static void s_hs_free(scan_hs_t *h)
{
    for (int c = 0; c < SCREEN_CLASS_COUNT; c++)
        if (h->db[c])
            hs_free_database(h->db[c]);
    if (h->scratch)
        hs_free_scratch(h->scratch);
    core_buf_clear(&h->text);
    core_buf_clear(&h->off);
    core_buf_clear(&h->len);
    core_buf_clear(&h->cls);
    free(h->batch_field);
    memset(h, 0, sizeof(*h));
}

/* ============ Measuring ============ */

/* Median seconds of 'repeat' runs of the scanner ceiling on n threads. */
static int s_measure_scanner(const screen_matcher_t *m, const scan_parcels_t *p, unsigned n,
                             unsigned repeat, double *secs, uint64_t *hits, char *err)
{
    scan_thread_t *t = core_calloc(n, sizeof(*t));
    double *runs = core_calloc(repeat, sizeof(*runs));
    int rc = 0;
    for (unsigned i = 0; i < n; i++) {
        t[i].scanner = screen_scanner_new(m, NULL, err);
        if (t[i].scanner == NULL) {
            rc = -ENOMEM;
            goto out_free;
        }
    }
    scan_job_t job = {.parcels = p, .hs_mode = false};
    /* One untimed pass: page in the parcels and grow every scanner's buffers. */
    if (s_run_threads(&job, t, n, hits) < 0) {
        core_err_set(err, "screen_scanner_screen failed (Hyperscan error)");
        rc = -EIO;
        goto out_free;
    }
    for (unsigned r = 0; r < repeat; r++) {
        runs[r] = s_run_threads(&job, t, n, hits);
        if (runs[r] < 0) {
            core_err_set(err, "screen_scanner_screen failed (Hyperscan error)");
            rc = -EIO;
            goto out_free;
        }
    }
    *secs = bench_median(runs, repeat);
out_free:
    for (unsigned i = 0; i < n; i++)
        screen_scanner_destroy(&t[i].scanner);
    free(runs);
    free(t);
    return rc;
}

static int s_measure_hs(const scan_hs_t *h, const scan_parcels_t *p, unsigned n, unsigned repeat,
                        double *secs, uint64_t *matches, char *err)
{
    scan_thread_t *t = core_calloc(n, sizeof(*t));
    double *runs = core_calloc(repeat, sizeof(*runs));
    int rc = 0;
    for (unsigned i = 0; i < n; i++) {
        if (h->scratch && hs_clone_scratch(h->scratch, &t[i].scratch) != HS_SUCCESS) {
            core_err_set(err, "hs_clone_scratch failed");
            rc = -ENOMEM;
            goto out_free;
        }
    }
    scan_job_t job = {
        .parcels = p,
        .hs_mode = true,
        .text = h->text.data,
        .field_off = (const uint32_t *)(const void *)h->off.data,
        .field_len = (const uint32_t *)(const void *)h->len.data,
        .field_class = (const uint8_t *)h->cls.data,
        .batch_field = h->batch_field,
    };
    memcpy(job.db, h->db, sizeof(job.db));
    /* One untimed pass: page in the fields and the databases. */
    if (h->scratch && s_run_threads(&job, t, n, matches) < 0) {
        core_err_set(err, "hs_scan failed");
        rc = -EIO;
        goto out_free;
    }
    for (unsigned r = 0; r < repeat; r++) {
        runs[r] = h->scratch ? s_run_threads(&job, t, n, matches) : 0.0;
        if (runs[r] < 0) {
            core_err_set(err, "hs_scan failed");
            rc = -EIO;
            goto out_free;
        }
    }
    *secs = bench_median(runs, repeat);
out_free:
    for (unsigned i = 0; i < n; i++)
        if (t[i].scratch)
            hs_free_scratch(t[i].scratch);
    free(runs);
    free(t);
    return rc;
}

int bench_ceiling_measure(const bench_ceiling_opts_t *opts, bench_ceiling_result_t *out, char *err)
{
    core_assert(opts != NULL);
    core_assert(out != NULL);
    core_assert(opts->thread_count > 0);
    unsigned repeat = opts->repeat ? opts->repeat : 1;
    memset(out, 0, sizeof(*out) * opts->thread_count);

    screen_watchlist_t *wl = screen_watchlist_load((const char *const *)opts->watchlists,
                                                   opts->watchlist_count, NULL, err);
    if (wl == NULL)
        return -EINVAL;
    scan_hs_t h;
    memset(&h, 0, sizeof(h));
    int rc = 0;
    for (int c = 0; c < SCREEN_CLASS_COUNT && rc == 0; c++)
        rc = s_hs_compile_class(&h, wl, (screen_class_t)c, err);
    size_t rules = screen_watchlist_size(wl);
    double t0 = bench_now_s();
    screen_matcher_t *m = rc == 0 ? screen_matcher_new(&wl, err) : NULL;
    double compile_s = bench_now_s() - t0;
    screen_watchlist_destroy(&wl);
    if (m == NULL) {
        s_hs_free(&h);
        return rc ? rc : -EINVAL;
    }
    scan_parcels_t p;
    rc = s_parcels_load(opts->input, &p, err);
    if (rc != 0)
        goto out_matcher;
    s_hs_fields(&h, &p);

    for (size_t i = 0; i < opts->thread_count && rc == 0; i++) {
        bench_ceiling_result_t *r = &out[i];
        unsigned n = opts->threads[i] ? opts->threads[i] : 1;
        r->threads = n;
        r->parcels = p.parcels;
        r->input_bytes = p.input_bytes;
        r->rules = rules;
        r->compile_s = compile_s;
        r->hs_patterns = h.patterns;
        r->hs_field_bytes = h.text.len;
        rc = s_measure_scanner(m, &p, n, repeat, &r->scanner_s, &r->scanner_hits, err);
        if (rc == 0)
            rc = s_measure_hs(&h, &p, n, repeat, &r->hs_s, &r->hs_matches, err);
    }
    s_parcels_free(&p);
out_matcher:
    screen_matcher_destroy(&m);
    s_hs_free(&h);
    return rc;
}

/* ============ The program ============ */

typedef struct {
    core_strlist_t watchlist; /* --watchlist */
    char *input;              /* --input */
    core_strlist_t threads;   /* --threads */
    long repeat;              /* --repeat */
    bool smoke;               /* --smoke */
    char *out;                /* --out */
} scan_config_t;

#define OPT(k, t, d, lo, hi, f, h)                                                                 \
    {                                                                                              \
        k, t, d, lo, hi, offsetof(scan_config_t, f), h                                             \
    }
static const core_config_opt_t s_opts[] = {
    OPT("watchlist", CORE_CONFIG_LIST, NULL, 0, 0, watchlist, "SPEC watchlist CSVs"),
    OPT("input", CORE_CONFIG_STR, NULL, 0, 0, input, "manifest (.ndjson, .csv, .msgpack)"),
    OPT("threads", CORE_CONFIG_LIST, NULL, 0, 0, threads, "thread counts (default: 1 and cores)"),
    OPT("repeat", CORE_CONFIG_INT, "3", 1, 1000, repeat, "runs; the median is reported"),
    OPT("smoke", CORE_CONFIG_BOOL, "false", 0, 0, smoke,
        "one run for ctest (built-in list without --watchlist), no timing claims"),
    OPT("out", CORE_CONFIG_STR, "-", 0, 0, out, "append result lines here (- = stdout)"),
};

static const core_config_table_t s_table = {
    .name = "bench_screen_scan",
    .usage = "--watchlist F... --input MANIFEST [--threads N...] [--repeat R] [--smoke]",
    .summary = "The matching ceiling: screen's scanner and raw hs_scan over the same parcels in "
               "memory, per thread count; one result line each.",
    .opts = s_opts,
    .count = CORE_ARRAY_LEN(s_opts),
};

/* A tiny list for --smoke: a name, a keyword in descriptions, an address keyword. */
static const char s_smoke_list[] = "id,list,kind,scope,pattern,weight,note\n"
                                   "SMOKE-1,smoke,name,party.name,\"IVANOV, Petr\",90,smoke test\n"
                                   "SMOKE-2,smoke,keyword,items.description,replica,60,smoke test\n"
                                   "SMOKE-3,smoke,keyword,party.address,free zone,30,smoke test\n"
                                   "SMOKE-4,smoke,name,party.name,Acme Trading,80,smoke test\n";

static int s_write_smoke_list(char *path, size_t size, char *err)
{
    snprintf(path, size, "/tmp/bench_screen_scan-XXXXXX.csv");
    int fd = mkstemps(path, 4);
    if (fd < 0) {
        core_err_set(err, "cannot create a temporary watchlist: %s", strerror(errno));
        return -errno;
    }
    ssize_t w = write(fd, s_smoke_list, sizeof(s_smoke_list) - 1);
    close(fd);
    if (w != (ssize_t)sizeof(s_smoke_list) - 1) {
        core_err_set(err, "cannot write the temporary watchlist");
        unlink(path);
        return -EIO;
    }
    return 0;
}

int bench_screen_scan_main(int argc, char **argv)
{
    scan_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN] = "";
    int rc = core_config_parse(&s_table, &cfg, argc, argv, stdout, err);
    if (rc != 0) {
        core_config_free(&s_table, &cfg);
        if (rc > 0)
            return 0;
        bench_fail("screen_scan", "%s", err);
        return 2;
    }
    char smoke_path[64] = "";
    unsigned threads[16];
    size_t nthreads = 0;
    FILE *out = NULL;
    rc = 2;
    if (cfg.input == NULL) {
        bench_fail("screen_scan", "--input is required");
        goto out_cfg;
    }
    for (size_t i = 0; i < cfg.threads.count && nthreads < CORE_ARRAY_LEN(threads); i++) {
        char *end = NULL;
        long v = strtol(cfg.threads.items[i], &end, 10);
        if (end == cfg.threads.items[i] || *end != '\0' || v < 0 || v > 1024) {
            bench_fail("screen_scan", "--threads: '%s' is not a count", cfg.threads.items[i]);
            goto out_cfg;
        }
        threads[nthreads++] = v ? (unsigned)v : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    }
    if (nthreads == 0) {
        threads[nthreads++] = 1;
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        if (cores > 1 && !cfg.smoke)
            threads[nthreads++] = (unsigned)cores;
    }
    if (cfg.smoke)
        cfg.repeat = 1;
    rc = 1;
    if (cfg.watchlist.count == 0) {
        if (!cfg.smoke) {
            bench_fail("screen_scan", "--watchlist is required");
            rc = 2;
            goto out_cfg;
        }
        if (s_write_smoke_list(smoke_path, sizeof(smoke_path), err) != 0) {
            bench_fail("screen_scan", "%s", err);
            goto out_cfg;
        }
        core_strlist_push(&cfg.watchlist, smoke_path);
    }
    out = bench_out_open(cfg.out, err);
    if (out == NULL) {
        bench_fail("screen_scan", "%s", err);
        goto out_smoke;
    }

    bench_ceiling_result_t res[16];
    bench_ceiling_opts_t opts = {
        .watchlists = (const char *const *)cfg.watchlist.items,
        .watchlist_count = cfg.watchlist.count,
        .input = cfg.input,
        .threads = threads,
        .thread_count = nthreads,
        .repeat = (unsigned)cfg.repeat,
    };
    if (bench_ceiling_measure(&opts, res, err) != 0) {
        bench_fail("screen_scan", "%s", err);
        goto out_close;
    }
    const char *smoke = cfg.smoke ? " smoke=1" : "";
    fprintf(out, "bench=screen_compile rules=%llu hs_patterns=%llu seconds=%.6f%s\n",
            (unsigned long long)res[0].rules, (unsigned long long)res[0].hs_patterns,
            res[0].compile_s, smoke);
    for (size_t i = 0; i < nthreads; i++) {
        const bench_ceiling_result_t *r = &res[i];
        fprintf(out, "bench=screen_scanner threads=%u rules=%llu hits=%llu", r->threads,
                (unsigned long long)r->rules, (unsigned long long)r->scanner_hits);
        bench_print_rate(out, r->parcels, r->input_bytes, r->scanner_s);
        fprintf(out, " repeat=%ld%s\n", cfg.repeat, smoke);
        fprintf(out,
                "bench=hs_scan threads=%u rules=%llu hs_patterns=%llu matches=%llu "
                "field_bytes=%llu field_mb_per_s=%.2f",
                r->threads, (unsigned long long)r->rules, (unsigned long long)r->hs_patterns,
                (unsigned long long)r->hs_matches, (unsigned long long)r->hs_field_bytes,
                r->hs_s > 0 ? (double)r->hs_field_bytes / 1e6 / r->hs_s : 0.0);
        bench_print_rate(out, r->parcels, r->input_bytes, r->hs_s);
        fprintf(out, " repeat=%ld%s\n", cfg.repeat, smoke);
    }
    fflush(out);
    rc = 0;
out_close:
    bench_out_close(&out);
out_smoke:
    if (smoke_path[0])
        unlink(smoke_path);
out_cfg:
    core_config_free(&s_table, &cfg);
    return rc;
}
