/* fuzz_seeds.c -- writes the binary seed corpora of the fuzz targets.
 *
 * Usage: fuzz_seeds DIR. Creates DIR/<target>/<name> for fuzz_msgpack, fuzz_parcel_batch,
 * fuzz_verdict_batch, fuzz_end, fuzz_ack, fuzz_stats, fuzz_control, fuzz_msg_type and
 * fuzz_mpread, plus records at the size limits for fuzz_ndjson, fuzz_csv and fuzz_msgpack.
 * Protocol seeds come from our own encoders, so they follow the wire format as it is built
 * today; MessagePack manifests and the mpread edge cases are written by hand. The output is
 * deterministic; tools/fuzz.sh runs it before each campaign. The binary files under
 * tests/fuzz/corpus/ were made by it, except the limit seeds (s_limit_seeds), which are
 * large and stay out of the repository. */
#include <errno.h>
#include <sys/stat.h>

#include "fuzz_common.h"
#include "proto/control.h"
#include "proto/mpread.h"
#include "proto/verdict.h"

static const char *s_dir;

static void s_write(const char *target, const char *name, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", s_dir, target);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
    snprintf(path, sizeof(path), "%s/%s/%s", s_dir, target, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void s_write_buf(const char *target, const char *name, const core_buf_t *buf)
{
    s_write(target, name, buf->data, buf->len);
}

/* ============ Hand-written MessagePack ============ */

static void s_byte(core_buf_t *b, unsigned c)
{
    core_buf_append_byte(b, (char)(unsigned char)c);
}

static void s_be(core_buf_t *b, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--)
        s_byte(b, (unsigned)(v >> (8 * i)) & 0xff);
}

static void s_map(core_buf_t *b, unsigned n)
{
    s_byte(b, 0x80 | n); /* fixmap, n < 16 */
}

static void s_array(core_buf_t *b, unsigned n)
{
    s_byte(b, 0x90 | n); /* fixarray, n < 16 */
}

static void s_str(core_buf_t *b, const char *s)
{
    size_t len = strlen(s);
    if (len < 32) {
        s_byte(b, 0xa0 | (unsigned)len);
    } else {
        s_byte(b, 0xd9);
        s_be(b, len, 1);
    }
    core_buf_append(b, s, len);
}

static void s_f64(core_buf_t *b, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof(bits));
    s_byte(b, 0xcb);
    s_be(b, bits, 8);
}

/* A producer's parcel map: every key kind (string, party, seller, number, items). */
static void s_mp_parcel(core_buf_t *b, const char *id, unsigned items)
{
    s_map(b, 7);
    s_str(b, "parcel_id");
    s_str(b, id);
    s_str(b, "sender");
    s_map(b, 2);
    s_str(b, "name");
    s_str(b, "Shenzhen Bright Trading Co");
    s_str(b, "country");
    s_str(b, "CN");
    s_str(b, "recipient");
    s_map(b, 1);
    s_str(b, "name");
    s_str(b, "Maria Lopez");
    s_str(b, "seller");
    s_map(b, 1);
    s_str(b, "seller_id");
    s_str(b, "S-1");
    s_str(b, "gross_weight_kg");
    s_f64(b, 0.42);
    s_str(b, "unknown_key");
    s_array(b, 2);
    s_byte(b, 0x01);
    s_byte(b, 0xc0);
    s_str(b, "items");
    s_array(b, items);
    for (unsigned i = 0; i < items; i++) {
        s_map(b, 4);
        s_str(b, "line_no");
        s_byte(b, i + 1);
        s_str(b, "description");
        s_str(b, "Women's cotton T-shirt");
        s_str(b, "hs_code");
        s_str(b, "610910");
        s_str(b, "quantity");
        s_byte(b, 0xc0);
    }
}

static void s_msgpack_manifests(void)
{
    core_buf_t b = {0};
    s_mp_parcel(&b, "M1", 1);
    s_write_buf("fuzz_msgpack", "one_parcel", &b);
    s_mp_parcel(&b, "M2", 3);
    s_mp_parcel(&b, "M1", 1); /* duplicate id */
    s_write_buf("fuzz_msgpack", "three_parcels_dup", &b);

    core_buf_reset(&b);
    s_map(&b, 2); /* items is a string, not an array */
    s_str(&b, "parcel_id");
    s_str(&b, "M9");
    s_str(&b, "items");
    s_str(&b, "oops");
    s_mp_parcel(&b, "M10", 2);
    s_write_buf("fuzz_msgpack", "wrong_type_then_good", &b);

    core_buf_reset(&b);
    s_mp_parcel(&b, "M11", 1);
    b.len -= 5; /* truncated inside the last item */
    s_write_buf("fuzz_msgpack", "truncated", &b);

    core_buf_reset(&b);
    s_byte(&b, 0xdf); /* map32 claiming 4 billion pairs */
    s_be(&b, 0xffffffffu, 4);
    s_write_buf("fuzz_msgpack", "huge_map", &b);
    core_buf_clear(&b);
}

/* ============ Records at the size limits (build time only, not committed) ============ */

/* Writes 'len' filler bytes. */
static void s_fill(core_buf_t *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        s_byte(b, 'a' + (unsigned)(i % 26));
}

/* Inputs the fuzzer would take long to grow to: a field of exactly PROTO_MAX_FIELD_BYTES and
 * one byte more, and a record just over PROTO_MAX_RECORD_BYTES followed by a good one. */
static void s_limit_seeds(void)
{
    core_buf_t b = {0};
    for (size_t extra = 0; extra <= 1; extra++) {
        core_buf_reset(&b);
        core_buf_append_str(&b, "{\"parcel_id\":\"L1\",\"items\":[{\"description\":\"");
        s_fill(&b, PROTO_MAX_FIELD_BYTES + extra);
        core_buf_append_str(&b, "\"}]}\n");
        s_write_buf("fuzz_ndjson", extra ? "field_over_limit" : "field_at_limit", &b);

        core_buf_reset(&b);
        core_buf_append_str(&b, "parcel_id,description\nL1,");
        s_fill(&b, PROTO_MAX_FIELD_BYTES + extra);
        core_buf_append_str(&b, "\nL2,ok\n");
        s_write_buf("fuzz_csv", extra ? "field_over_limit" : "field_at_limit", &b);
    }
    core_buf_reset(&b);
    core_buf_append_str(&b, "{\"parcel_id\":\"L2\",\"note\":\"");
    s_fill(&b, (size_t)PROTO_MAX_RECORD_BYTES);
    core_buf_append_str(&b, "\",\"items\":[{\"description\":\"x\"}]}\n");
    core_buf_append_str(&b, "{\"parcel_id\":\"L3\",\"items\":[{\"description\":\"x\"}]}\n");
    s_write_buf("fuzz_ndjson", "record_over_limit", &b);

    core_buf_reset(&b);
    core_buf_append_str(&b, "parcel_id,description,note\nL2,x,");
    s_fill(&b, (size_t)PROTO_MAX_RECORD_BYTES);
    core_buf_append_str(&b, "\nL3,y,z\n");
    s_write_buf("fuzz_csv", "record_over_limit", &b);

    core_buf_reset(&b);
    s_map(&b, 2);
    s_str(&b, "parcel_id");
    s_str(&b, "L4");
    s_str(&b, "items");
    s_array(&b, 1);
    s_map(&b, 1);
    s_str(&b, "description");
    s_byte(&b, 0xda); /* str16 */
    s_be(&b, PROTO_MAX_FIELD_BYTES + 1, 2);
    s_fill(&b, PROTO_MAX_FIELD_BYTES + 1);
    s_mp_parcel(&b, "L5", 1);
    s_write_buf("fuzz_msgpack", "field_over_limit", &b);
    core_buf_clear(&b);
}

/* ============ Protocol messages from our encoders ============ */

static void s_fill_parcel(proto_parcel_t *p, proto_item_t *items, unsigned count)
{
    proto_parcel_init(p);
    p->parcel_id = core_str_from("P0001");
    p->item_id = core_str_from("LX123456785CN");
    p->mail_class = core_str_from("PARCEL");
    p->sender.name = core_str_from("Shenzhen Bright Trading Co");
    p->sender.country = core_str_from("CN");
    p->recipient.name = core_str_from("Maria Lopez");
    p->recipient.phone = core_str_from("+19735550100");
    p->has_seller = true;
    p->seller.name = core_str_from("BrightShop");
    p->origin_country = core_str_from("CN");
    p->gross_weight_kg = 0.42;
    p->currency = core_str_from("USD");
    for (unsigned i = 0; i < count; i++) {
        memset(&items[i], 0, sizeof(items[i]));
        items[i].line_no = i + 1;
        items[i].description = core_str_from("Silicone phone case");
        items[i].hs_code = core_str_from("392690");
        items[i].quantity = 2;
        items[i].net_weight_kg = NAN;
        items[i].unit_value = 3.2;
    }
    p->item_count = count;
    p->items = items;
}

static void s_parcel_batches(core_buf_t *b)
{
    proto_item_t items[3];
    proto_parcel_t p;
    s_fill_parcel(&p, items, 1);
    proto_parcel_batch_begin(b, 1, 1700000000000000000);
    proto_parcel_batch_add(b, &p);
    proto_parcel_batch_finish(b, 1);
    s_write_buf("fuzz_parcel_batch", "one_parcel", b);
    s_write_buf("fuzz_msg_type", "parcel_batch", b);

    proto_parcel_batch_begin(b, 2, 0);
    proto_parcel_batch_add(b, &p);
    s_fill_parcel(&p, items, 3);
    p.parcel_id = core_str_from("P0002");
    p.has_seller = false;
    proto_parcel_batch_add(b, &p);
    proto_parcel_batch_finish(b, 2);
    s_write_buf("fuzz_parcel_batch", "two_parcels", b);

    proto_parcel_batch_begin(b, UINT64_MAX, -1);
    proto_parcel_batch_finish(b, 0);
    s_write_buf("fuzz_parcel_batch", "empty", b);
}

static void s_verdict_batches(core_buf_t *b)
{
    proto_hit_t hits[2] = {
        {.rule_id = core_str_from("N1"),
         .list = core_str_from("sdn"),
         .kind = core_str_from("name"),
         .field = core_str_from("sender.name"),
         .matched = core_str_from("Bright Trading"),
         .start = 9,
         .end = 23,
         .similarity = 0.93,
         .weight = 90},
        {.rule_id = core_str_from("H1"),
         .list = core_str_from("goods"),
         .kind = core_str_from("hscode"),
         .field = core_str_from("items[1].hs_code"),
         .matched = core_str_from("3926"),
         .start = 0,
         .end = 4,
         .similarity = 1,
         .weight = 40,
         .suppressed = true},
    };
    proto_verdict_t v = {.parcel_id = core_str_from("P0001"),
                         .risk_score = 84,
                         .channel = PROTO_CHANNEL_RED,
                         .screened_at_ns = 1700000000000000001,
                         .hit_count = 2,
                         .hits = hits};
    proto_verdict_batch_begin(b, 1, 1700000000000000000, core_str_from("wl-0123456789abcdef"),
                              core_str_from("wl.csv (2 rules)"));
    proto_verdict_batch_add(b, &v);
    proto_verdict_t green = {.parcel_id = core_str_from("P0002"), .selected_at_random = true};
    proto_verdict_batch_add(b, &green);
    proto_verdict_batch_finish(b, 2);
    s_write_buf("fuzz_verdict_batch", "red_and_green", b);
    s_write_buf("fuzz_msg_type", "verdict_batch", b);

    proto_verdict_batch_begin(b, 0, 0, core_str_from(""), core_str_from(""));
    proto_verdict_batch_finish(b, 0);
    s_write_buf("fuzz_verdict_batch", "empty", b);
}

static void s_small_messages(core_buf_t *b)
{
    proto_end_t end = {
        .records_read = 1000, .records_rejected = 3, .parcels_sent = 997, .batches_sent = 4};
    core_buf_reset(b);
    proto_end_encode(&end, b);
    s_write_buf("fuzz_end", "end", b);
    s_write_buf("fuzz_msg_type", "end", b);
    proto_end_t big = {UINT64_MAX, UINT64_MAX, 0, UINT64_MAX};
    core_buf_reset(b);
    proto_end_encode(&big, b);
    s_write_buf("fuzz_end", "end_max", b);

    proto_ack_t ack = {.seq = 17, .parcels = 256};
    core_buf_reset(b);
    proto_ack_encode(&ack, b);
    s_write_buf("fuzz_ack", "ack", b);
    s_write_buf("fuzz_msg_type", "ack", b);
    proto_ack_t ack_max = {.seq = UINT64_MAX, .parcels = UINT32_MAX};
    core_buf_reset(b);
    proto_ack_encode(&ack_max, b);
    s_write_buf("fuzz_ack", "ack_max", b);

    static proto_stats_t stats; /* large; keep it off the stack */
    proto_stats_init(&stats, "ingest", false);
    proto_stats_set(&stats, "records_read", 1000);
    proto_stats_set(&stats, "records_rejected", 3);
    proto_stats_set(&stats, "a_counter_name_of_31_bytes_xxxx", UINT64_MAX);
    core_buf_reset(b);
    proto_stats_encode(&stats, b);
    s_write_buf("fuzz_stats", "ingest", b);
    s_write_buf("fuzz_msg_type", "stats", b);
    proto_stats_init(&stats, "sink", true);
    char name[PROTO_MAX_NAME];
    for (int i = 0; i < PROTO_MAX_COUNTERS; i++) {
        snprintf(name, sizeof(name), "c%d", i);
        proto_stats_set(&stats, name, (uint64_t)i);
    }
    core_buf_reset(b);
    proto_stats_encode(&stats, b);
    s_write_buf("fuzz_stats", "sink_full_final", b);

    proto_control_t control = {.command = "reload", .arg = "/etc/parcelscreen/wl.csv"};
    core_buf_reset(b);
    proto_control_encode(&control, b);
    s_write_buf("fuzz_control", "reload", b);
    s_write_buf("fuzz_msg_type", "control", b);
    proto_control_t stop = {.command = "stop", .arg = ""};
    core_buf_reset(b);
    proto_control_encode(&stop, b);
    s_write_buf("fuzz_control", "stop", b);

    /* [2, 3]: another version. */
    s_write("fuzz_msg_type", "other_version", "\x92\x02\x03", 3);
}

/* ============ mpread: first byte is max_depth ============ */

static void s_mpread(void)
{
    /* depth 2: [1, -1, "ab", nil, true, 1.5, {"k": [1]}] */
    static const char nested[] = "\x02\x97\x01\xff\xa2"
                                 "ab\xc0\xc3\xcb\x3f\xf8\x00\x00\x00\x00\x00\x00\x81\xa1k\x91\x01";
    s_write("fuzz_mpread", "nested", nested, sizeof(nested) - 1);
    /* depth 64: uint64 max, int64 min, float32 1.0, bin8 "xy", fixext1, ext8 */
    static const char scalars[] = "\x40\xcf\xff\xff\xff\xff\xff\xff\xff\xff"
                                  "\xd3\x80\x00\x00\x00\x00\x00\x00\x00"
                                  "\xca\x3f\x80\x00\x00"
                                  "\xc4\x02xy"
                                  "\xd4\x01\x07"
                                  "\xc7\x01\x05z";
    s_write("fuzz_mpread", "scalars", scalars, sizeof(scalars) - 1);
    /* depth 3: [[[[]]]] is one level too deep */
    static const char deep[] = "\x03\x91\x91\x91\x90";
    s_write("fuzz_mpread", "too_deep", deep, sizeof(deep) - 1);
    /* depth 1: array32 claiming 2^32-1 elements, str32 claiming 2^32-1 bytes */
    static const char huge[] = "\x01\xdd\xff\xff\xff\xff\xdb\xff\xff\xff\xff";
    s_write("fuzz_mpread", "huge_counts", huge, sizeof(huge) - 1);
    /* depth 0: str16 and map16 */
    static const char wide[] = "\x00\xda\x00\x03"
                               "abc"
                               "\xde\x00\x01\xa1k\xc2";
    s_write("fuzz_mpread", "wide_headers", wide, sizeof(wide) - 1);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz_seeds DIR\n");
        return 2;
    }
    s_dir = argv[1];
    if (mkdir(s_dir, 0755) != 0 && errno != EEXIST) {
        perror(s_dir);
        return 1;
    }
    core_buf_t b = {0};
    s_msgpack_manifests();
    s_limit_seeds();
    s_parcel_batches(&b);
    s_verdict_batches(&b);
    s_small_messages(&b);
    s_mpread();
    core_buf_clear(&b);
    return 0;
}
