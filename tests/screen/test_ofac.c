/* test_ofac.c -- recall on a real list: 20,000+ names from OFAC's SDN files, built into a SPEC
 * watchlist inside the test, compiled, and screened in natural order, upper and lower case,
 * with diacritics, with legal forms and in reversed token order. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "helpers.h"

#define SDN_FILE PS_SHARED_DIR "/data/watchlists/ofac/sdn_2024-05-03.csv"
#define ALT_FILE PS_SHARED_DIR "/data/watchlists/ofac/snapshot_2025-12_no_sdn/alt.csv"

#define MAX_FIELDS 16

/* One OFAC legacy CSV line split into fields (quotes removed, "-0-" and padding left as is). */
typedef struct {
    char *f[MAX_FIELDS]; /* NUL-terminated, in the line buffer */
    int n;               /* fields */
} s_row_t;

static bool s_split(char *line, s_row_t *row)
{
    row->n = 0;
    char *p = line;
    while (row->n < MAX_FIELDS) {
        char *out = p;
        row->f[row->n++] = out;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0')
                    return false;
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            while (*p && *p != ',')
                p++;
        } else {
            while (*p && *p != ',')
                *out++ = *p++;
        }
        bool more = *p == ',';
        *out = '\0';
        if (!more)
            return true;
        p++;
    }
    return false;
}

static bool s_is_null(const char *v)
{
    return strncmp(v, "-0-", 3) == 0;
}

static int s_alnum_count(const char *s, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++)
        n += (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
             (s[i] >= '0' && s[i] <= '9');
    return n;
}

static void s_csv_field(core_buf_t *out, const char *s, size_t len)
{
    core_buf_append_byte(out, '"');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            core_buf_append_byte(out, '"');
        core_buf_append_byte(out, s[i]);
    }
    core_buf_append_byte(out, '"');
}

static void s_rule(core_buf_t *out, const char *id, const char *name, size_t len, const char *note)
{
    core_buf_printf(out, "%s,ofac-sdn,name,party.name,", id);
    s_csv_field(out, name, len);
    core_buf_printf(out, ",90,%s\n", note);
}

/* Reads a whole file; the OFAC files end with a 0x1A (DOS EOF) byte, which is dropped. */
static char *s_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    core_buf_t b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        core_buf_append(&b, chunk, got);
    fclose(f);
    while (b.len &&
           (b.data[b.len - 1] == 0x1A || b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
        b.len--;
    core_buf_cstr(&b);
    *len = b.len;
    return b.data;
}

/* A sample entry to screen for. */
typedef struct {
    char id[48];    /* rule id */
    char name[256]; /* SDN_Name as listed */
    bool person;    /* "individual" */
} s_sample_t;

#define SAMPLE_EVERY 29
#define MAX_SAMPLES 1024

static size_t s_build(core_buf_t *csv, s_sample_t *samples, size_t *nsamples)
{
    size_t len = 0;
    char *data = s_slurp(SDN_FILE, &len);
    cr_assert_not_null(data, "cannot read %s", SDN_FILE);
    core_buf_append_str(csv, TH_HEADER);
    size_t rules = 0;
    size_t primaries = 0;
    char *save = NULL;
    for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[n - 1] = '\0';
        s_row_t row;
        if (!s_split(line, &row) || row.n != 12)
            continue;
        const char *ent = row.f[0];
        const char *name = row.f[1];
        const char *type = s_is_null(row.f[2]) ? "entity" : row.f[2];
        const char *remarks = row.f[11];
        if (s_alnum_count(name, strlen(name)) < 2)
            continue;
        char id[48];
        snprintf(id, sizeof(id), "SDN-%s", ent);
        s_rule(csv, id, name, strlen(name), type);
        rules++;
        if (primaries++ % SAMPLE_EVERY == 0 && *nsamples < MAX_SAMPLES &&
            strlen(name) < sizeof(samples[0].name) &&
            (strcmp(type, "individual") == 0 || strcmp(type, "entity") == 0)) {
            s_sample_t *sm = &samples[(*nsamples)++];
            snprintf(sm->id, sizeof(sm->id), "%s", id);
            snprintf(sm->name, sizeof(sm->name), "%s", name);
            sm->person = strcmp(type, "individual") == 0;
        }
        /* Aliases in the remarks: a.k.a. 'X'; f.k.a. 'Y'; n.k.a. 'Z'. */
        int k = 0;
        for (const char *p = remarks; (p = strstr(p, ".k.a. '")) != NULL;) {
            const char *start = p + 7;
            const char *end = strchr(start, '\'');
            if (end == NULL)
                break;
            if (s_alnum_count(start, (size_t)(end - start)) >= 2) {
                snprintf(id, sizeof(id), "SDN-%s-AKA%d", ent, ++k);
                s_rule(csv, id, start, (size_t)(end - start), "alias");
                rules++;
            }
            p = end + 1;
        }
    }
    free(data);

    /* The alias file of a later snapshot adds real alternate names of the same entities. */
    data = s_slurp(ALT_FILE, &len);
    if (data != NULL) {
        for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            size_t n = strlen(line);
            if (n && line[n - 1] == '\r')
                line[n - 1] = '\0';
            s_row_t row;
            if (!s_split(line, &row) || row.n != 5 || s_alnum_count(row.f[3], strlen(row.f[3])) < 2)
                continue;
            char id[48];
            snprintf(id, sizeof(id), "ALT-%s-%s", row.f[0], row.f[1]);
            s_rule(csv, id, row.f[3], strlen(row.f[3]), "alt");
            rules++;
        }
        free(data);
    }
    return rules;
}

/* Replaces ASCII letters with accented ones that fold back to them (UTF-8 output). */
static void s_accent(const char *in, char *out, size_t cap)
{
    static const struct {
        char c;
        const char *u;
    } map[] = {{'a', "á"}, {'e', "é"}, {'i', "í"}, {'o', "ö"}, {'u', "ü"}, {'n', "ñ"}, {'c', "ç"},
               {'A', "Á"}, {'E', "É"}, {'I', "Í"}, {'O', "Ö"}, {'U', "Ü"}, {'N', "Ñ"}, {'C', "Ç"}};
    size_t w = 0;
    for (const char *p = in; *p && w + 4 < cap; p++) {
        const char *rep = NULL;
        for (size_t i = 0; i < CORE_ARRAY_LEN(map) && !rep; i++)
            rep = map[i].c == *p ? map[i].u : NULL;
        if (rep) {
            memcpy(out + w, rep, strlen(rep));
            w += strlen(rep);
        } else {
            out[w++] = *p;
        }
    }
    out[w] = '\0';
}

static void s_case(const char *in, char *out, size_t cap, bool upper)
{
    size_t i = 0;
    for (; in[i] && i + 1 < cap; i++) {
        char c = in[i];
        if (upper && c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (!upper && c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        out[i] = c;
    }
    out[i] = '\0';
}

/* "LAST, First middle" -> "First middle LAST"; other names unchanged. */
static void s_natural(const char *name, char *out, size_t cap)
{
    const char *comma = strchr(name, ',');
    if (comma == NULL) {
        snprintf(out, cap, "%s", name);
        return;
    }
    const char *first = comma + 1;
    while (*first == ' ')
        first++;
    snprintf(out, cap, "%s %.*s", first, (int)(comma - name), name);
}

/* Words (split at anything not a letter or digit) in reverse order; false when a word is one
 * character (NAME mode joins single letters, so their order matters) or there are too many. */
static bool s_reversed(const char *name, char *out, size_t cap)
{
    const char *w[32];
    int wl[32];
    int n = 0;
    for (const char *p = name; *p;) {
        while (*p && s_alnum_count(p, 1) == 0)
            p++;
        const char *s = p;
        while (*p && s_alnum_count(p, 1) == 1)
            p++;
        if (p > s) {
            if (n == 32 || p - s < 2)
                return false;
            w[n] = s;
            wl[n++] = (int)(p - s);
        }
    }
    if (n < 2 || n > 12)
        return false;
    size_t used = 0;
    out[0] = '\0';
    for (int i = n - 1; i >= 0; i--)
        used += (size_t)snprintf(out + used, cap - used, "%s%.*s", used ? " " : "", wl[i], w[i]);
    return used < cap;
}

Test(screen_ofac, finds_every_sampled_name_among_20000)
{
    core_buf_t csv = {0};
    s_sample_t *samples = calloc(MAX_SAMPLES, sizeof(*samples));
    size_t nsamples = 0;
    size_t rules = s_build(&csv, samples, &nsamples);
    cr_assert_geq(rules, 20000, "only %zu names", rules);
    cr_assert_geq(nsamples, 300);

    int64_t t0 = core_mono_ns();
    th_screen_t s;
    th_screen_init(&s, core_buf_cstr(&csv), NULL);
    int64_t t1 = core_mono_ns();
    const screen_matcher_info_t *info = screen_matcher_info(s.matcher);
    cr_assert_eq(info->rules, rules);
    fprintf(stderr, "test_ofac: %zu rules, %zu name literals, %zu sorted keys, db %zu bytes, load+compile %.0f ms\n",
                rules, info->literal_patterns[SCREEN_CLASS_NAME], info->name_token_keys,
                info->literal_db_bytes[SCREEN_CLASS_NAME], (double)(t1 - t0) / 1e6);

    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    char form[6][1024];
    size_t checked = 0;
    int64_t scan_ns = 0;
    for (size_t i = 0; i < nsamples; i++) {
        const s_sample_t *sm = &samples[i];
        char natural[512];
        s_natural(sm->name, natural, sizeof(natural));
        int nforms = 0;
        snprintf(form[nforms++], sizeof(form[0]), "%s", natural);
        s_case(natural, form[nforms++], sizeof(form[0]), true);
        s_case(natural, form[nforms++], sizeof(form[0]), false);
        s_accent(natural, form[nforms++], sizeof(form[0]));
        if (sm->person)
            snprintf(form[nforms++], sizeof(form[0]), "Mr. %s", natural);
        else
            snprintf(form[nforms++], sizeof(form[0]), "%s Ltd.", natural);
        if (s_reversed(sm->name, form[nforms], sizeof(form[0])))
            nforms++;
        for (int k = 0; k < nforms; k++) {
            th_parcel(&p, items, "P", "cotton t-shirt");
            if (k % 2)
                p.sender.name = th_s(form[k]);
            else
                p.recipient.name = th_s(form[k]);
            int64_t a = core_mono_ns();
            th_screen(&s, &p, &v);
            scan_ns += core_mono_ns() - a;
            cr_assert_not_null(th_hit(&v, sm->id), "%s '%s' not found as '%s' (%u hits)", sm->id,
                               sm->name, form[k], v.hit_count);
            const proto_hit_t *h = th_hit(&v, sm->id);
            cr_assert_str_eq(th_field(h), k % 2 ? "sender.name" : "recipient.name");
            cr_assert_float_eq(h->similarity, 1.0, 1e-9);
            cr_assert_eq(v.channel, PROTO_CHANNEL_RED);
            checked++;
        }
    }
    fprintf(stderr, "test_ofac: %zu forms of %zu names found, %.1f us per parcel\n", checked, nsamples,
                (double)scan_ns / 1e3 / (double)checked);

    /* Clean parcels are not hit. */
    const char *clean[] = {"Qwxzy Vbnmk", "Zzyzx Plorfington", "Xylophone Quartz Emporium"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(clean); i++) {
        th_parcel(&p, items, "CLEAN", "cotton t-shirt");
        p.sender.name = th_s(clean[i]);
        p.recipient.name = th_s("Qwerty Asdfgh");
        th_screen(&s, &p, &v);
        cr_assert_eq(v.hit_count, 0, "'%s' hit %.*s", clean[i],
                     v.hit_count ? (int)v.hits[0].rule_id.len : 0,
                     v.hit_count ? v.hits[0].rule_id.ptr : "");
        cr_assert_eq(v.channel, PROTO_CHANNEL_GREEN);
    }
    th_screen_clear(&s);
    core_buf_clear(&csv);
    free(samples);
}
