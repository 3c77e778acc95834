/* bench_proto_codec.c -- how fast do PARCEL_BATCH and VERDICT_BATCH encode and decode?
 *
 * Builds --parcels synthetic parcels (every SPEC field filled, realistic lengths, --items item
 * lines each) and as many verdicts (a share --hit-rate of them with two hits), then times:
 *   proto_encode msg=parcel_batch   proto_parcel_batch_begin/add/finish per --batch parcels
 *   proto_decode msg=parcel_batch   proto_parcel_batch_decode into an arena reset per batch
 *   proto_encode msg=verdict_batch  the same for verdicts
 *   proto_decode msg=verdict_batch
 * Each result is the median of --repeat runs; bytes are message bytes. Single thread. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchmicro/micro.h"
#include "core/arena.h"
#include "core/config.h"
#include "proto/parcel.h"
#include "proto/verdict.h"

typedef struct {
    long parcels;    /* --parcels */
    long batch;      /* --batch */
    long items;      /* --items */
    double hit_rate; /* --hit-rate */
    long repeat;     /* --repeat */
    long seed;       /* --seed */
    bool smoke;      /* --smoke */
    char *out;       /* --out */
} codec_config_t;

#define OPT(k, t, d, lo, hi, f, h)                                                                 \
    {                                                                                              \
        k, t, d, lo, hi, offsetof(codec_config_t, f), h                                            \
    }
static const core_config_opt_t s_opts[] = {
    OPT("parcels", CORE_CONFIG_INT, "200000", 1, 100000000, parcels, "parcels to encode"),
    OPT("batch", CORE_CONFIG_INT, "256", 1, PROTO_MAX_BATCH_PARCELS, batch, "parcels per batch"),
    OPT("items", CORE_CONFIG_INT, "2", 1, 20, items, "item lines per parcel"),
    OPT("hit-rate", CORE_CONFIG_DOUBLE, "0.05", 0, 1, hit_rate, "share of verdicts with hits"),
    OPT("repeat", CORE_CONFIG_INT, "5", 1, 1000, repeat, "runs; the median is reported"),
    OPT("seed", CORE_CONFIG_INT, "42", 0, 1e18, seed, "PRNG seed"),
    OPT("smoke", CORE_CONFIG_BOOL, "false", 0, 0, smoke, "tiny run for ctest, no timing claims"),
    OPT("out", CORE_CONFIG_STR, "-", 0, 0, out, "append result lines here (- = stdout)"),
};

static const core_config_table_t s_table = {
    .name = "bench_proto_codec",
    .usage = "[--parcels N] [--batch N] [--repeat R] [--smoke]",
    .summary = "Times PARCEL_BATCH and VERDICT_BATCH encoding and decoding on synthetic "
               "records; one result line each.",
    .opts = s_opts,
    .count = CORE_ARRAY_LEN(s_opts),
};

static const char *const s_first[] = {"Maria", "Wei",    "Olga",  "James", "Fatima", "Hiroshi",
                                      "Ana",   "Pierre", "Aisha", "Lars",  "Chen",   "Sofia"};
static const char *const s_last[] = {"Garcia", "Zhang",  "Ivanova", "Smith",   "Haddad", "Tanaka",
                                     "Silva",  "Dubois", "Okafor",  "Nielsen", "Li",     "Rossi"};
static const char *const s_streets[] = {"Hauptstrasse", "Rue de la Paix", "Nanjing Road",
                                        "Main Street",  "Calle Mayor",    "Via Roma"};
static const char *const s_cities[] = {"Shenzhen", "Berlin", "Lyon",  "Chicago",
                                       "Madrid",   "Milano", "Osaka", "Rotterdam"};
static const char *const s_goods[] = {
    "wireless earbuds with charging case", "cotton t-shirt, printed, size M",
    "stainless steel kitchen knife set",   "LED desk lamp with USB port",
    "children's building blocks, plastic", "phone case silicone transparent"};
static const char *const s_countries[] = {"CN", "DE", "FR", "US", "ES", "IT", "JP", "NL"};

#define PICK(rng, arr) ((arr)[bench_rng_below((rng), CORE_ARRAY_LEN(arr))])

/* A formatted string in the arena, as a view. */
static core_str_t s_fmt(core_arena_t *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static core_str_t s_fmt(core_arena_t *arena, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(tmp))
        n = sizeof(tmp) - 1;
    core_str_t v = {core_arena_strndup(arena, tmp, (size_t)n), (uint32_t)n};
    return v;
}

static void s_party(proto_party_t *p, bench_rng_t *rng, core_arena_t *arena, uint64_t i)
{
    const char *first = PICK(rng, s_first);
    const char *last = PICK(rng, s_last);
    p->name = s_fmt(arena, "%s %s", first, last);
    p->address = s_fmt(arena, "%u %s, apt %u", 1 + bench_rng_below(rng, 300), PICK(rng, s_streets),
                       1 + bench_rng_below(rng, 90));
    p->city = s_fmt(arena, "%s", PICK(rng, s_cities));
    p->postcode = s_fmt(arena, "%05u", bench_rng_below(rng, 99999));
    p->country = s_fmt(arena, "%s", PICK(rng, s_countries));
    p->phone =
        s_fmt(arena, "+%u %09u", 1 + bench_rng_below(rng, 98), bench_rng_below(rng, 1u << 30));
    p->email = s_fmt(arena, "%c.%s%llu@example.com", first[0], last, (unsigned long long)i % 997);
    p->tax_id = s_fmt(arena, "%s%09u", p->country.ptr, bench_rng_below(rng, 999999999));
}

static void s_make_parcel(proto_parcel_t *p, bench_rng_t *rng, core_arena_t *arena, uint64_t i,
                          long items)
{
    proto_parcel_init(p);
    p->parcel_id = s_fmt(arena, "P%08llu", (unsigned long long)i);
    p->item_id = s_fmt(arena, "LX%08uCN", bench_rng_below(rng, 99999999));
    p->manifest_ref = s_fmt(arena, "MFT-20260115-%04llu", (unsigned long long)(i / 500));
    p->master_ref = s_fmt(arena, "176-%08llu", (unsigned long long)(i / 500));
    p->order_ref = s_fmt(arena, "ORD-%010u", bench_rng_below(rng, 1u << 31));
    p->mail_class = core_str_from("PARCEL");
    p->category_of_item = core_str_from("SALE_OF_GOODS");
    s_party(&p->sender, rng, arena, i);
    s_party(&p->recipient, rng, arena, i + 1);
    p->has_seller = true;
    p->seller.name = s_fmt(arena, "%s Trading Store", PICK(rng, s_last));
    p->seller.marketplace = core_str_from("examplemart");
    p->seller.seller_id = s_fmt(arena, "S%07u", bench_rng_below(rng, 9999999));
    p->origin_country = p->sender.country;
    p->dispatch_country = p->sender.country;
    p->destination_country = p->recipient.country;
    p->posting_datetime = core_str_from("2026-01-15T08:31:07Z");
    p->expected_arrival = core_str_from("2026-01-22T00:00:00Z");
    p->office_of_entry = core_str_from("DE004651");
    p->currency = core_str_from("EUR");
    p->gross_weight_kg = 0.25 + bench_rng_below(rng, 4000) / 1000.0;
    p->declared_total_value = bench_rng_below(rng, 15000) / 100.0;
    p->postal_charges = 4.5;
    p->item_count = (uint32_t)items;
    p->items = core_arena_alloc(arena, sizeof(*p->items) * (size_t)items);
    for (long k = 0; k < items; k++) {
        proto_item_t *it = &p->items[k];
        it->line_no = (uint32_t)k + 1;
        it->description = s_fmt(arena, "%s", PICK(rng, s_goods));
        it->hs_code = s_fmt(arena, "%06u", 10000 + bench_rng_below(rng, 960000));
        it->origin_country = p->sender.country;
        it->sku = s_fmt(arena, "SKU-%06u", bench_rng_below(rng, 999999));
        it->unit = core_str_from("PCE");
        it->quantity = 1 + bench_rng_below(rng, 4);
        it->net_weight_kg = 0.1 + bench_rng_below(rng, 2000) / 1000.0;
        it->unit_value = bench_rng_below(rng, 8000) / 100.0;
    }
}

static void s_make_verdict(proto_verdict_t *v, const proto_parcel_t *p, bench_rng_t *rng,
                           core_arena_t *arena, double hit_rate)
{
    memset(v, 0, sizeof(*v));
    v->parcel_id = p->parcel_id;
    v->screened_at_ns = 1768465867000000000LL;
    bool hit = (double)bench_rng_below(rng, 1000000) < hit_rate * 1e6;
    if (!hit)
        return;
    v->hit_count = 2;
    v->hits = core_arena_alloc(arena, sizeof(*v->hits) * 2);
    memset(v->hits, 0, sizeof(*v->hits) * 2);
    v->hits[0] = (proto_hit_t){.rule_id = core_str_from("SDN-12345"),
                               .list = core_str_from("ofac-sdn"),
                               .kind = core_str_from("name"),
                               .field = core_str_from("recipient.name"),
                               .matched = p->recipient.name,
                               .start = 0,
                               .end = p->recipient.name.len,
                               .similarity = 0.93,
                               .weight = 90};
    v->hits[1] = (proto_hit_t){.rule_id = core_str_from("GOODS-0113"),
                               .list = core_str_from("counterfeit"),
                               .kind = core_str_from("keyword"),
                               .field = core_str_from("items[0].description"),
                               .matched = core_str_from("replica"),
                               .start = 3,
                               .end = 10,
                               .similarity = 1.0,
                               .weight = 60};
    v->risk_score = proto_risk_score(v->hits, v->hit_count);
    v->channel = v->risk_score >= 70   ? PROTO_CHANNEL_RED
                 : v->risk_score >= 40 ? PROTO_CHANNEL_YELLOW
                                       : PROTO_CHANNEL_GREEN;
}

typedef struct {
    core_buf_t *bufs; /* one encoded message per batch */
    size_t count;     /* batches */
    uint64_t bytes;   /* total message bytes */
} codec_msgs_t;

static void s_msgs_free(codec_msgs_t *m)
{
    for (size_t i = 0; i < m->count; i++)
        core_buf_clear(&m->bufs[i]);
    free(m->bufs);
    memset(m, 0, sizeof(*m));
}

static double s_encode_parcels(const proto_parcel_t *parcels, long n, long batch, codec_msgs_t *m)
{
    double t0 = bench_now_s();
    m->bytes = 0;
    for (size_t b = 0; b < m->count; b++) {
        long first = (long)b * batch;
        long count = n - first < batch ? n - first : batch;
        proto_parcel_batch_begin(&m->bufs[b], b + 1, 1768465867000000000LL);
        for (long i = 0; i < count; i++)
            proto_parcel_batch_add(&m->bufs[b], &parcels[first + i]);
        proto_parcel_batch_finish(&m->bufs[b], (uint32_t)count);
        m->bytes += m->bufs[b].len;
    }
    return bench_now_s() - t0;
}

static double s_encode_verdicts(const proto_verdict_t *verdicts, long n, long batch,
                                codec_msgs_t *m)
{
    core_str_t version = core_str_from("wl-0123456789abcdef");
    core_str_t lists = core_str_from("sdn.csv (25000 rules, 1a2b3c); goods.csv (900 rules, 4d5e)");
    double t0 = bench_now_s();
    m->bytes = 0;
    for (size_t b = 0; b < m->count; b++) {
        long first = (long)b * batch;
        long count = n - first < batch ? n - first : batch;
        proto_verdict_batch_begin(&m->bufs[b], b + 1, 1768465867000000000LL, version, lists);
        for (long i = 0; i < count; i++)
            proto_verdict_batch_add(&m->bufs[b], &verdicts[first + i]);
        proto_verdict_batch_finish(&m->bufs[b], (uint32_t)count);
        m->bytes += m->bufs[b].len;
    }
    return bench_now_s() - t0;
}

/* Decodes every message; returns seconds, or a negative value on a decode error. */
static double s_decode(const codec_msgs_t *m, bool verdicts, uint64_t *records, char *err)
{
    core_arena_t arena;
    core_arena_init(&arena, 0);
    uint64_t n = 0;
    double t0 = bench_now_s();
    for (size_t b = 0; b < m->count; b++) {
        core_arena_reset(&arena);
        int rc;
        if (verdicts) {
            proto_verdict_batch_t vb;
            rc = proto_verdict_batch_decode(m->bufs[b].data, m->bufs[b].len, &vb, &arena, err);
            n += vb.count;
        } else {
            proto_parcel_batch_t pb;
            rc = proto_parcel_batch_decode(m->bufs[b].data, m->bufs[b].len, &pb, &arena, err);
            n += pb.count;
        }
        if (rc != 0) {
            core_arena_clear(&arena);
            return -1.0;
        }
    }
    double secs = bench_now_s() - t0;
    core_arena_clear(&arena);
    *records = n;
    return secs;
}

static void s_line(FILE *out, const char *bench, const char *msg, const codec_config_t *cfg,
                   uint64_t records, uint64_t bytes, double secs)
{
    fprintf(out, "bench=%s msg=%s batch=%ld items=%ld", bench, msg, cfg->batch, cfg->items);
    bench_print_rate(out, records, bytes, secs);
    fprintf(out, " repeat=%ld%s\n", cfg->repeat, cfg->smoke ? " smoke=1" : "");
    fflush(out);
}

/* Times encode and decode of one message kind 'repeat' times and prints two lines. */
static int s_measure(FILE *out, const codec_config_t *cfg, const proto_parcel_t *parcels,
                     const proto_verdict_t *verdicts, codec_msgs_t *m)
{
    const char *msg = verdicts ? "verdict_batch" : "parcel_batch";
    double *enc = core_calloc((size_t)cfg->repeat, sizeof(*enc));
    double *dec = core_calloc((size_t)cfg->repeat, sizeof(*dec));
    char err[CORE_ERR_LEN] = "";
    uint64_t records = 0;
    int rc = 0;
    for (long r = 0; r < cfg->repeat; r++) {
        enc[r] = verdicts ? s_encode_verdicts(verdicts, cfg->parcels, cfg->batch, m)
                          : s_encode_parcels(parcels, cfg->parcels, cfg->batch, m);
        dec[r] = s_decode(m, verdicts != NULL, &records, err);
        if (dec[r] < 0 || records != (uint64_t)cfg->parcels) {
            bench_fail("proto_codec", "%s decode failed: %s", msg, err);
            rc = 1;
            goto out_free;
        }
    }
    s_line(out, "proto_encode", msg, cfg, records, m->bytes,
           bench_median(enc, (size_t)cfg->repeat));
    s_line(out, "proto_decode", msg, cfg, records, m->bytes,
           bench_median(dec, (size_t)cfg->repeat));
out_free:
    free(enc);
    free(dec);
    return rc;
}

int bench_proto_codec_main(int argc, char **argv)
{
    codec_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN] = "";
    int rc = core_config_parse(&s_table, &cfg, argc, argv, stdout, err);
    if (rc != 0) {
        core_config_free(&s_table, &cfg);
        if (rc > 0)
            return 0;
        bench_fail("proto_codec", "%s", err);
        return 2;
    }
    if (cfg.smoke) {
        cfg.parcels = cfg.parcels < 300 ? cfg.parcels : 300;
        cfg.repeat = 1;
    }
    FILE *out = bench_out_open(cfg.out, err);
    if (out == NULL) {
        bench_fail("proto_codec", "%s", err);
        core_config_free(&s_table, &cfg);
        return 1;
    }

    core_arena_t arena;
    core_arena_init(&arena, 1 << 20);
    bench_rng_t rng;
    bench_rng_seed(&rng, (uint64_t)cfg.seed);
    proto_parcel_t *parcels = core_calloc((size_t)cfg.parcels, sizeof(*parcels));
    proto_verdict_t *verdicts = core_calloc((size_t)cfg.parcels, sizeof(*verdicts));
    for (long i = 0; i < cfg.parcels; i++) {
        s_make_parcel(&parcels[i], &rng, &arena, (uint64_t)i + 1, cfg.items);
        s_make_verdict(&verdicts[i], &parcels[i], &rng, &arena, cfg.hit_rate);
    }
    codec_msgs_t m = {0};
    m.count = (size_t)((cfg.parcels + cfg.batch - 1) / cfg.batch);
    m.bufs = core_calloc(m.count, sizeof(*m.bufs));

    rc = s_measure(out, &cfg, parcels, NULL, &m);
    if (rc == 0)
        rc = s_measure(out, &cfg, NULL, verdicts, &m);

    s_msgs_free(&m);
    free(verdicts);
    free(parcels);
    core_arena_clear(&arena);
    bench_out_close(&out);
    core_config_free(&s_table, &cfg);
    return rc;
}
