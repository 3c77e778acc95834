/* test_gen.c -- the manifest generator: deterministic for a seed, three encodings of the same
 * parcels, truth rows that point at real parcels, rules and fields, clean parcels kept clean of
 * the lists, valid S10 check digits, and a demo watchlist the screen accepts. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/buf.h"
#include "gen/gen.h"
#include "screen/matcher.h"
#include "screen/watchlist.h"

/* ============ Files and runs ============ */

typedef struct {
    char dir[64];   /* unique temporary directory */
    char path[256]; /* last path built */
} t_tmp_t;

static void t_tmp_init(t_tmp_t *t)
{
    snprintf(t->dir, sizeof(t->dir), "/tmp/ps-gen-XXXXXX");
    cr_assert_not_null(mkdtemp(t->dir), "mkdtemp");
}

static const char *t_path(t_tmp_t *t, const char *sub, const char *name)
{
    if (sub)
        snprintf(t->path, sizeof(t->path), "%s/%s/%s", t->dir, sub, name);
    else
        snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
    return t->path;
}

static void t_rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[512];
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        if (e->d_type == DT_DIR)
            t_rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void t_read(const char *path, core_buf_t *buf)
{
    core_buf_reset(buf);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        core_buf_append(buf, chunk, n);
    fclose(f);
    core_buf_cstr(buf);
}

static void t_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* Runs 'generate' with the NULL-terminated extra arguments into DIR/sub. */
static void t_generate(t_tmp_t *t, const char *sub, const char *seed, const char *parcels,
                       const char *const *extra)
{
    char out[256];
    snprintf(out, sizeof(out), "%s/%s", t->dir, sub);
    char *argv[32] = {"generate",  "--out-dir",    out, "--seed", (char *)seed,
                      "--parcels", (char *)parcels};
    int argc = 7;
    for (size_t i = 0; extra && extra[i]; i++)
        argv[argc++] = (char *)extra[i];
    argv[argc] = NULL;
    cr_assert_eq(gen_main(argc, argv), 0, "generate failed");
}

/* ============ Flattened parcels: "path" -> value ============ */

#define T_MAX_PAIRS 96

typedef struct {
    char path[40];   /* sender.name, items[0].description, ... */
    char value[640]; /* strings as is, numbers "%.17g", null "null" */
} t_pair_t;

typedef struct {
    t_pair_t pairs[T_MAX_PAIRS];
    int count;
} t_flat_t;

static void t_flat_add(t_flat_t *flat, const char *path, const char *value, size_t len)
{
    cr_assert_lt(flat->count, T_MAX_PAIRS);
    t_pair_t *p = &flat->pairs[flat->count++];
    snprintf(p->path, sizeof(p->path), "%s", path);
    snprintf(p->value, sizeof(p->value), "%.*s", (int)len, value);
}

static const char *t_flat_get(const t_flat_t *flat, const char *path)
{
    for (int i = 0; i < flat->count; i++)
        if (!strcmp(flat->pairs[i].path, path))
            return flat->pairs[i].value;
    return NULL;
}

static void t_number(t_flat_t *flat, const char *path, double v)
{
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "%.17g", v);
    t_flat_add(flat, path, tmp, strlen(tmp));
}

/* ---- MessagePack ---- */

static void t_mp_flatten(t_flat_t *flat, const char *prefix, const msgpack_object *o)
{
    char path[64];
    switch (o->type) {
    case MSGPACK_OBJECT_MAP:
        for (uint32_t i = 0; i < o->via.map.size; i++) {
            const msgpack_object_kv *kv = &o->via.map.ptr[i];
            cr_assert_eq(kv->key.type, MSGPACK_OBJECT_STR);
            snprintf(path, sizeof(path), "%s%s%.*s", prefix, prefix[0] ? "." : "",
                     (int)kv->key.via.str.size, kv->key.via.str.ptr);
            t_mp_flatten(flat, path, &kv->val);
        }
        break;
    case MSGPACK_OBJECT_ARRAY:
        for (uint32_t i = 0; i < o->via.array.size; i++) {
            snprintf(path, sizeof(path), "%s[%u]", prefix, i);
            t_mp_flatten(flat, path, &o->via.array.ptr[i]);
        }
        break;
    case MSGPACK_OBJECT_STR:
        t_flat_add(flat, prefix, o->via.str.ptr, o->via.str.size);
        break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        t_number(flat, prefix, (double)o->via.u64);
        break;
    case MSGPACK_OBJECT_FLOAT64:
    case MSGPACK_OBJECT_FLOAT32:
        t_number(flat, prefix, o->via.f64);
        break;
    case MSGPACK_OBJECT_NIL:
        t_flat_add(flat, prefix, "null", 4);
        break;
    default:
        cr_assert_fail("unexpected MessagePack type %d at %s", o->type, prefix);
    }
}

/* Decodes the whole stream; returns the number of parcels, flattened into *out. */
static size_t t_mp_parcels(const core_buf_t *data, t_flat_t **out)
{
    size_t cap = 64, n = 0;
    t_flat_t *flats = calloc(cap, sizeof(*flats));
    msgpack_unpacked result;
    msgpack_unpacked_init(&result);
    size_t off = 0;
    while (off < data->len) {
        msgpack_unpack_return rc = msgpack_unpack_next(&result, data->data, data->len, &off);
        cr_assert_eq(rc, MSGPACK_UNPACK_SUCCESS, "msgpack at %zu", off);
        cr_assert_eq(result.data.type, MSGPACK_OBJECT_MAP);
        if (n == cap) {
            cap *= 2;
            flats = realloc(flats, cap * sizeof(*flats));
        }
        memset(&flats[n], 0, sizeof(flats[n]));
        t_mp_flatten(&flats[n++], "", &result.data);
    }
    msgpack_unpacked_destroy(&result);
    *out = flats;
    return n;
}

/* ---- NDJSON: a small parser for the generator's own output ---- */

static const char *t_json_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static const char *t_json_string(const char *p, core_buf_t *out)
{
    cr_assert_eq(*p, '"');
    core_buf_reset(out);
    for (p++; *p != '"'; p++) {
        cr_assert_neq(*p, '\0');
        if (*p != '\\') {
            core_buf_append_byte(out, *p);
            continue;
        }
        p++;
        switch (*p) {
        case 'n':
            core_buf_append_byte(out, '\n');
            break;
        case 't':
            core_buf_append_byte(out, '\t');
            break;
        case 'r':
            core_buf_append_byte(out, '\r');
            break;
        case 'b':
            core_buf_append_byte(out, '\b');
            break;
        case 'f':
            core_buf_append_byte(out, '\f');
            break;
        case 'u': {
            unsigned cp = 0;
            sscanf(p + 1, "%4x", &cp);
            cr_assert_lt(cp, 0x80u, "only control characters are \\u-escaped");
            core_buf_append_byte(out, (char)cp);
            p += 4;
            break;
        }
        default:
            core_buf_append_byte(out, *p);
            break;
        }
    }
    return p + 1;
}

static const char *t_json_value(t_flat_t *flat, const char *prefix, const char *p)
{
    char path[64];
    core_buf_t s = {0};
    p = t_json_ws(p);
    if (*p == '{') {
        p = t_json_ws(p + 1);
        while (*p != '}') {
            p = t_json_string(p, &s);
            snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "." : "", core_buf_cstr(&s));
            p = t_json_ws(p);
            cr_assert_eq(*p, ':');
            p = t_json_value(flat, path, p + 1);
            p = t_json_ws(p);
            if (*p == ',')
                p = t_json_ws(p + 1);
        }
        p++;
    } else if (*p == '[') {
        p = t_json_ws(p + 1);
        for (int i = 0; *p != ']'; i++) {
            snprintf(path, sizeof(path), "%s[%d]", prefix, i);
            p = t_json_value(flat, path, p);
            p = t_json_ws(p);
            if (*p == ',')
                p = t_json_ws(p + 1);
        }
        p++;
    } else if (*p == '"') {
        p = t_json_string(p, &s);
        t_flat_add(flat, prefix, s.data ? s.data : "", s.len);
    } else if (!strncmp(p, "null", 4)) {
        t_flat_add(flat, prefix, "null", 4);
        p += 4;
    } else {
        char *end = NULL;
        double v = strtod(p, &end);
        cr_assert(end != p, "bad JSON number at %.20s", p);
        t_number(flat, prefix, v);
        p = end;
    }
    core_buf_clear(&s);
    return p;
}

/* ---- CSV ---- */

#define T_CSV_MAX 64

typedef struct {
    char *fields[T_CSV_MAX]; /* into the buffer */
    int count;
} t_row_t;

/* Splits one record at *p (RFC 4180), unescaping in place; advances *p past it. */
static bool t_csv_row(char **p, t_row_t *row)
{
    char *s = *p;
    if (*s == '\0')
        return false;
    row->count = 0;
    for (;;) {
        char *out = s;
        row->fields[row->count++] = out;
        if (*s == '"') {
            for (s++;; s++) {
                if (*s == '"' && s[1] == '"') {
                    *out++ = '"';
                    s++;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    cr_assert_neq(*s, '\0', "unterminated quote");
                    *out++ = *s;
                }
            }
        } else {
            while (*s && *s != ',' && *s != '\n')
                *out++ = *s++;
        }
        char sep = *s;
        *out = '\0';
        if (sep == ',') {
            s++;
            continue;
        }
        *p = sep ? s + 1 : s;
        return true;
    }
}

static int t_col(const t_row_t *header, const char *name)
{
    for (int i = 0; i < header->count; i++)
        if (!strcmp(header->fields[i], name))
            return i;
    cr_assert_fail("CSV header has no column %s", name);
    return -1;
}

/* ============ S10 ============ */

/* Independent check of an S10 id: 2 letters, 8 digits, check digit, 2 letters. */
static bool t_s10_shape(const char *id)
{
    if (strlen(id) != 13)
        return false;
    for (int i = 0; i < 13; i++) {
        bool letter = id[i] >= 'A' && id[i] <= 'Z';
        bool digit = id[i] >= '0' && id[i] <= '9';
        if ((i < 2 || i > 10) ? !letter : !digit)
            return false;
    }
    return true;
}

static bool t_s10_ok(const char *id)
{
    static const int w[8] = {8, 6, 4, 2, 3, 5, 9, 7};
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (id[2 + i] - '0') * w[i];
    int c = 11 - sum % 11;
    c = c == 10 ? 0 : c == 11 ? 5 : c;
    return id[10] - '0' == c;
}

Test(gen_s10, check_digit_matches_the_upu_examples)
{
    cr_assert_eq(gen_s10_check_digit("12345678"), '5'); /* LX123456785CN */
    cr_assert_eq(gen_s10_check_digit("98765432"), '6'); /* RR987654326HK */
    cr_assert_eq(gen_s10_check_digit("55500011"), '4'); /* CP555000114DE */
    cr_assert(gen_s10_valid("LX123456785CN"));
    cr_assert(!gen_s10_valid("LX123456784CN"));
    cr_assert(!gen_s10_valid("LX12345678CN"));
}

/* ============ Determinism ============ */

static bool t_same_file(const char *a, const char *b)
{
    core_buf_t x = {0}, y = {0};
    t_read(a, &x);
    t_read(b, &y);
    bool same = x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
    core_buf_clear(&x);
    core_buf_clear(&y);
    return same;
}

Test(gen, same_seed_gives_identical_files_other_seed_differs)
{
    t_tmp_t t;
    t_tmp_init(&t);
    const char *const extra[] = {"--demo-watchlist", "--hit-rate", "0.2", NULL};
    t_generate(&t, "a", "7", "300", extra);
    t_generate(&t, "b", "7", "300", extra);
    t_generate(&t, "c", "8", "300", extra);
    static const char *const files[] = {"manifest.ndjson", "manifest.csv", "manifest.msgpack",
                                        "truth.csv", "demo_watchlist.csv"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char a[256];
        snprintf(a, sizeof(a), "%s", t_path(&t, "a", files[i]));
        cr_assert(t_same_file(a, t_path(&t, "b", files[i])), "%s differs for one seed", files[i]);
    }
    char a[256];
    snprintf(a, sizeof(a), "%s", t_path(&t, "a", "manifest.ndjson"));
    cr_assert(!t_same_file(a, t_path(&t, "c", "manifest.ndjson")), "seed 8 repeats seed 7");
    snprintf(a, sizeof(a), "%s", t_path(&t, "a", "demo_watchlist.csv"));
    cr_assert(t_same_file(a, t_path(&t, "c", "demo_watchlist.csv")),
              "the demo list does not depend on the seed");
    t_rm_tree(t.dir);
}

/* ============ Three encodings, one set of parcels ============ */

static const char *const s_csv_checks[][2] = {
    /* CSV column, flattened path */
    {"item_id", "item_id"},
    {"manifest_ref", "manifest_ref"},
    {"mail_class", "mail_class"},
    {"sender_name", "sender.name"},
    {"sender_address", "sender.address"},
    {"sender_postcode", "sender.postcode"},
    {"sender_phone", "sender.phone"},
    {"sender_email", "sender.email"},
    {"sender_tax_id", "sender.tax_id"},
    {"recipient_name", "recipient.name"},
    {"recipient_city", "recipient.city"},
    {"recipient_phone", "recipient.phone"},
    {"recipient_email", "recipient.email"},
    {"recipient_tax_id", "recipient.tax_id"},
    {"order_ref", "order_ref"},
    {"origin_country", "origin_country"},
    {"dispatch_country", "dispatch_country"},
    {"destination_country", "destination_country"},
    {"posting_datetime", "posting_datetime"},
    {"office_of_entry", "office_of_entry"},
    {"currency", "currency"},
    {"house_ref", "house_ref"},
};

Test(gen, ndjson_csv_and_msgpack_describe_the_same_parcels)
{
    t_tmp_t t;
    t_tmp_init(&t);
    const char *const extra[] = {"--demo-watchlist", "--hit-rate", "0.3", NULL};
    t_generate(&t, "m", "11", "400", extra);

    core_buf_t mp = {0}, nd = {0}, csv = {0};
    t_read(t_path(&t, "m", "manifest.msgpack"), &mp);
    t_read(t_path(&t, "m", "manifest.ndjson"), &nd);
    t_read(t_path(&t, "m", "manifest.csv"), &csv);
    t_flat_t *parcels = NULL;
    size_t n = t_mp_parcels(&mp, &parcels);
    cr_assert_eq(n, 400);

    /* NDJSON: every pair equal to the MessagePack one, in the same order. */
    size_t line = 0;
    t_flat_t *flat = calloc(1, sizeof(*flat));
    for (char *p = nd.data; *p; line++) {
        char *end = strchr(p, '\n');
        cr_assert_not_null(end, "NDJSON line %zu has no newline", line);
        *end = '\0';
        cr_assert_lt(line, n);
        memset(flat, 0, sizeof(*flat));
        t_json_value(flat, "", p);
        cr_assert_eq(flat->count, parcels[line].count, "line %zu", line);
        for (int i = 0; i < flat->count; i++) {
            cr_assert_str_eq(flat->pairs[i].path, parcels[line].pairs[i].path);
            cr_assert_str_eq(flat->pairs[i].value, parcels[line].pairs[i].value, "%s of %s",
                             flat->pairs[i].path, t_flat_get(flat, "parcel_id"));
        }
        p = end + 1;
    }
    cr_assert_eq(line, n);
    free(flat);

    /* CSV: one row per item line, parcels in order, rows of a parcel consecutive. */
    char *p = csv.data;
    t_row_t header, row;
    cr_assert(t_csv_row(&p, &header));
    int c_parcel = t_col(&header, "parcel_id"), c_line = t_col(&header, "line_no");
    int c_descr = t_col(&header, "description"), c_hs = t_col(&header, "hs_code");
    int c_value = t_col(&header, "unit_value"), c_weight = t_col(&header, "gross_weight_kg");
    int c_seller = t_col(&header, "seller_name");
    size_t index = 0;
    int expected_line = 1;
    while (t_csv_row(&p, &row)) {
        cr_assert_eq(row.count, header.count);
        const t_flat_t *f = &parcels[index];
        if (strcmp(row.fields[c_parcel], t_flat_get(f, "parcel_id")) != 0) {
            char key[48];
            snprintf(key, sizeof(key), "items[%d].line_no", expected_line - 1);
            cr_assert_null(t_flat_get(f, key), "%s: CSV lacks item lines",
                           t_flat_get(f, "parcel_id"));
            index++;
            expected_line = 1;
            cr_assert_lt(index, n);
            f = &parcels[index];
        }
        cr_assert_str_eq(row.fields[c_parcel], t_flat_get(f, "parcel_id"));
        cr_assert_eq(atoi(row.fields[c_line]), expected_line);
        for (size_t k = 0; k < sizeof(s_csv_checks) / sizeof(s_csv_checks[0]); k++)
            cr_assert_str_eq(row.fields[t_col(&header, s_csv_checks[k][0])],
                             t_flat_get(f, s_csv_checks[k][1]), "%s of %s", s_csv_checks[k][0],
                             row.fields[c_parcel]);
        const char *seller = t_flat_get(f, "seller.name");
        cr_assert_str_eq(row.fields[c_seller], seller ? seller : "");
        char key[48];
        snprintf(key, sizeof(key), "items[%d].description", expected_line - 1);
        cr_assert_str_eq(row.fields[c_descr], t_flat_get(f, key));
        snprintf(key, sizeof(key), "items[%d].hs_code", expected_line - 1);
        cr_assert_str_eq(row.fields[c_hs], t_flat_get(f, key));
        snprintf(key, sizeof(key), "items[%d].unit_value", expected_line - 1);
        cr_assert_eq(strtod(row.fields[c_value], NULL), strtod(t_flat_get(f, key), NULL));
        cr_assert_eq(strtod(row.fields[c_weight], NULL),
                     strtod(t_flat_get(f, "gross_weight_kg"), NULL));
        expected_line++;
    }
    cr_assert_eq(index + 1, n, "CSV holds %zu parcels of %zu", index + 1, n);

    /* Every S10-shaped item id carries a valid check digit; ids are unique. */
    size_t s10 = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = t_flat_get(&parcels[i], "item_id");
        if (t_s10_shape(id)) {
            s10++;
            cr_assert(t_s10_ok(id), "bad check digit %s", id);
        }
        if (i > 0)
            cr_assert_str_neq(t_flat_get(&parcels[i], "parcel_id"),
                              t_flat_get(&parcels[i - 1], "parcel_id"));
    }
    cr_assert_gt(s10, n / 2, "most items are postal S10 ids");
    free(parcels);
    core_buf_clear(&mp);
    core_buf_clear(&nd);
    core_buf_clear(&csv);
    t_rm_tree(t.dir);
}

/* ============ Truth and guards ============ */

/* A watchlist whose patterns clash with the clean vocabulary on purpose: the guards must keep
 * them out of clean parcels, and planting must put them into the parcels truth.csv names. */
static const char s_watchlist[] =
    "id,list,kind,scope,pattern,weight,note\n"
    "T-N1,t,name,party.name,\"SMITH, James\",80,common name\n"
    "T-N2,t,name,sender.name,Nordwind Trading GmbH,80,clean-looking company\n"
    "T-N3,t,name,seller.name,Quarnexa Outlet,60,seller\n"
    "T-K1,t,keyword,items.description,cotton,50,clean vocabulary word\n"
    "T-K2,t,keyword,items.description,pangolin scales,50,wildlife\n"
    "T-K3,t,keyword,party.address,Kings Road,30,street\n"
    "T-R1,t,regex,items.description,(?i)\\bwireless\\b,40,not planted; guarded\n"
    "T-H1,t,hscode,items.hs_code,6109,40,T-shirts\n"
    "T-H2,t,hscode,items.hs_code,293339,60,precursor heading\n"
    "T-C1,t,country,origin_country,CN,30,most common origin\n"
    "T-C2,t,country,party.country,KP,60,embargo\n"
    "T-I1,t,identifier,party.phone,+44 20 7946 0999,70,phone\n"
    "T-I2,t,identifier,party.email,drop.box@zorvak-trade.example,70,email\n"
    "T-I3,t,identifier,item_id,EE123456785KP,80,item\n";

/* A rule with a validity window: never planted (its hits depend on the screening date). */
static const char s_watchlist_dated[] =
    "id,list,kind,scope,pattern,weight,note,valid_from,valid_to\n"
    "T-D2,t,keyword,items.description,mango slices,50,dated,2020-01-01,2020-12-31\n";

static bool t_contains_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strcasestr(text, word); p; p = strcasestr(p + 1, word)) {
        bool left = p == text || !((p[-1] | 0x20) >= 'a' && (p[-1] | 0x20) <= 'z');
        char r = p[n];
        bool right = !((r | 0x20) >= 'a' && (r | 0x20) <= 'z');
        if (left && right)
            return true;
    }
    return false;
}

Test(gen, truth_rows_point_at_planted_hits_and_clean_parcels_stay_clean)
{
    t_tmp_t t;
    t_tmp_init(&t);
    char wl[256], wl_dated[256];
    snprintf(wl, sizeof(wl), "%s", t_path(&t, NULL, "wl.csv"));
    snprintf(wl_dated, sizeof(wl_dated), "%s", t_path(&t, NULL, "wl_dated.csv"));
    t_write(wl, s_watchlist);
    t_write(wl_dated, s_watchlist_dated);
    const char *const extra[] = {"--watchlist", wl, wl_dated, "--hit-rate", "0.25", NULL};
    t_generate(&t, "t", "5", "1500", extra);

    core_buf_t mp = {0}, truth = {0};
    t_read(t_path(&t, "t", "manifest.msgpack"), &mp);
    t_read(t_path(&t, "t", "truth.csv"), &truth);
    t_flat_t *parcels = NULL;
    size_t n = t_mp_parcels(&mp, &parcels);
    cr_assert_eq(n, 1500);
    bool *hit = calloc(n, sizeof(*hit));

    char *p = truth.data;
    t_row_t row;
    cr_assert(t_csv_row(&p, &row));
    cr_assert_eq(row.count, 5);
    cr_assert_str_eq(row.fields[0], "parcel_id");
    size_t rows = 0, kinds_seen[6] = {0};
    while (t_csv_row(&p, &row)) {
        cr_assert_eq(row.count, 5);
        rows++;
        const char *pid = row.fields[0], *rule = row.fields[1], *field = row.fields[2];
        const char *text = row.fields[3];
        cr_assert(pid[0] == 'P');
        size_t index = strtoul(pid + 1, NULL, 10) - 1;
        cr_assert_lt(index, n, "truth names a parcel that does not exist: %s", pid);
        cr_assert_str_eq(t_flat_get(&parcels[index], "parcel_id"), pid);
        hit[index] = true;
        char needle[16];
        snprintf(needle, sizeof(needle), "\n%s,", rule);
        cr_assert(strstr(s_watchlist, needle) != NULL, "unknown or unplantable rule %s", rule);
        cr_assert(strcmp(rule, "T-R1") != 0 && strcmp(rule, "T-D2") != 0, "%s planted", rule);
        const char *value = t_flat_get(&parcels[index], field);
        cr_assert_not_null(value, "%s: no field %s", pid, field);
        cr_assert(strstr(value, text) != NULL, "%s %s: '%s' not in '%s'", pid, field, text, value);
        kinds_seen[rule[2] == 'N'   ? 0
                   : rule[2] == 'K' ? 1
                   : rule[2] == 'H' ? 2
                   : rule[2] == 'C' ? 3
                                    : 4]++;
    }
    cr_assert_gt(rows, 250, "hit rate 0.25 over 1500 parcels gave %zu rows", rows);
    for (int k = 0; k < 5; k++)
        cr_assert_gt(kinds_seen[k], 0, "no hit planted of kind %d", k);

    /* Clean parcels: none of the listed values where a clean generator would have put them. */
    size_t clean = 0;
    for (size_t i = 0; i < n; i++) {
        if (hit[i])
            continue;
        clean++;
        const t_flat_t *f = &parcels[i];
        for (int k = 0; k < f->count; k++) {
            const char *path = f->pairs[k].path, *v = f->pairs[k].value;
            if (strstr(path, "description")) {
                cr_assert(!t_contains_word(v, "cotton"), "%s: %s", path, v);
                cr_assert(!t_contains_word(v, "wireless"), "%s: %s", path, v);
                cr_assert(!t_contains_word(v, "pangolin scales"), "%s: %s", path, v);
            }
            if (strstr(path, "hs_code"))
                cr_assert(strncmp(v, "6109", 4) != 0 && strncmp(v, "293339", 6) != 0, "%s", v);
            if (strstr(path, "country"))
                cr_assert(strcmp(v, "CN") && strcmp(v, "KP"), "%s = %s", path, v);
            if (strstr(path, "address"))
                cr_assert(!t_contains_word(v, "Kings Road"), "%s", v);
            if (!strcmp(path, "sender.name") || !strcmp(path, "recipient.name"))
                cr_assert(!(t_contains_word(v, "james") && t_contains_word(v, "smith")), "%s", v);
            if (!strcmp(path, "sender.name"))
                cr_assert(strcmp(v, "Nordwind Trading GmbH"), "%s", v);
        }
        cr_assert_str_neq(t_flat_get(f, "item_id"), "EE123456785KP");
    }
    cr_assert_gt(clean, n / 2);
    free(hit);
    free(parcels);
    core_buf_clear(&mp);
    core_buf_clear(&truth);
    t_rm_tree(t.dir);
}

Test(gen, hit_rate_zero_plants_nothing_and_bad_options_are_refused)
{
    t_tmp_t t;
    t_tmp_init(&t);
    const char *const extra[] = {"--demo-watchlist", "--hit-rate", "0",
                                 "--formats",        "ndjson",     NULL};
    t_generate(&t, "z", "3", "200", extra);
    core_buf_t truth = {0};
    t_read(t_path(&t, "z", "truth.csv"), &truth);
    cr_assert_str_eq(truth.data, "parcel_id,rule_id,field,planted_text,variant\n");
    cr_assert_neq(access(t_path(&t, "z", "manifest.csv"), F_OK), 0, "csv was not asked for");
    core_buf_clear(&truth);

    char out[256];
    snprintf(out, sizeof(out), "%s/x", t.dir);
    char *bad_format[] = {"generate", "--out-dir", out, "--formats", "xml", NULL};
    cr_assert_eq(gen_main(5, bad_format), 2);
    char *no_dir[] = {"generate", "--parcels", "10", NULL};
    cr_assert_eq(gen_main(3, no_dir), 2);
    char *missing_list[] = {"generate", "--out-dir", out, "--watchlist", "/nonexistent.csv", NULL};
    cr_assert_eq(gen_main(5, missing_list), 2);
    t_rm_tree(t.dir);
}

/* ============ Demo watchlist ============ */

Test(gen, demo_watchlist_loads_and_compiles_in_the_screen)
{
    t_tmp_t t;
    t_tmp_init(&t);
    const char *const extra[] = {"--demo-watchlist", NULL};
    t_generate(&t, "d", "1", "10", extra);
    char err[CORE_ERR_LEN] = "";
    const char *paths[] = {t_path(&t, "d", "demo_watchlist.csv")};
    screen_watchlist_t *wl = screen_watchlist_load(paths, 1, NULL, err);
    cr_assert_not_null(wl, "%s", err);
    size_t by_kind[SCREEN_KIND_COUNT] = {0};
    for (size_t i = 0; i < screen_watchlist_size(wl); i++)
        by_kind[screen_watchlist_rule(wl, i)->kind]++;
    cr_assert_geq(by_kind[SCREEN_KIND_NAME], 300);
    for (int k = 0; k < SCREEN_KIND_COUNT; k++)
        cr_assert_gt(by_kind[k], 0, "no %s rule", screen_kind_name((screen_kind_t)k));
    screen_matcher_t *m = screen_matcher_new(&wl, err);
    cr_assert_not_null(m, "%s", err);
    screen_matcher_destroy(&m);
    t_rm_tree(t.dir);
}
