/* bench_screen_lists_eval.c -- name matching with the real lists loaded together: do names
 * written in their original script meet the romanised entries, and how many clean parcels
 * get a name hit?
 *
 * DESIGN
 *
 * Lists: any of --sdn (OFAC legacy sdn.csv, optional --alt), --un (UN consolidated XML), --uk
 * (UK HMT consolidated CSV), imported with screen's own importers (screen_import_main into
 * temporary CSVs), loaded together and compiled with screen's API, default policy.
 *
 * Transliteration recall, on real pairs only (no romanisation of ours is used to make them):
 *   - un: every UN rule whose name is written wholly in Cyrillic, Greek or Arabic letters (the
 *     record's NAME_ORIGINAL_SCRIPT) is screened as a parcel's sender.name; found when a rule
 *     of the same record other than itself hits (UN-<dataid>[-A<n>]: a romanised name of the
 *     same person or entity).
 *   - pairs (--pairs, multi/deriv_sanctions_2021-03.yml): each entry lists one person's names
 *     as the EU publishes them, Latin and Cyrillic/Greek side by side ("Viktor Fedorovych
 *     Yanukovych", "Віктор Федорович Янукович"). The Latin names of every entry are the rules
 *     (a list of their own, P-<entry>-<k>); each name written wholly in one of the three
 *     scripts is screened; found when a rule of its entry hits. other = tolerant hits of
 *     other entries' rules (what the tolerance costs on these names).
 * One line per source and script: names, found, recall, below_one (found only below
 * similarity 1), mean similarity of the best hit of the entry.
 *
 * Clean parcels (--input manifest, --truth the generator's truth.csv): every parcel without a
 * truth row is screened whole (all fields) against the loaded lists; fpr = share with any hit
 * of a name rule, fpr_fuzzy = share whose name hits are all below similarity 1. The --top
 * rules with most such parcels follow (rule, hits, a matched text, the rule's name): what to
 * fix when fpr is high. Generate the manifest without --watchlist to see what the lists hit
 * in unguarded clean text (the generator's guard would otherwise regenerate every field that
 * hits a listed name exactly).
 *
 * Rejected: transliterating Latin list names ourselves to make the queries (that would test
 * the tables against themselves). */
#include <errno.h>
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
#include "screen/import.h"
#include "screen/matcher.h"
#include "screen/scanner.h"
#include "screen/watchlist.h"

#define LE_NAME "screen_lists_eval"
#define LE_MAX_FILES 8

typedef struct {
    char *sdn;
    char *alt;
    char *un;
    char *uk;
    char *pairs;
    char *input;
    char *truth;
    char *out;
    long top;
    long max_parcels;
    bool smoke;
} s_config_t;

static const core_config_opt_t s_opts[] = {
    {"sdn", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, sdn), "OFAC SDN sdn.csv"},
    {"alt", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, alt), "OFAC alt.csv (optional)"},
    {"un", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, un), "UN consolidated list XML"},
    {"uk", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, uk), "UK HMT consolidated CSV"},
    {"pairs", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, pairs),
     "multi/deriv_sanctions YAML: names of one person in Latin and original script"},
    {"input", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, input),
     "generated manifest (.ndjson, .csv, .msgpack): its clean parcels are screened"},
    {"truth", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, truth),
     "the manifest's truth.csv (parcels listed there are not clean)"},
    {"out", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, out), "append results here"},
    {"top", CORE_CONFIG_INT, "10", 0, 1000, offsetof(s_config_t, top),
     "rules with most clean-parcel hits to print"},
    {"max-parcels", CORE_CONFIG_INT, "0", 0, 1000000000, offsetof(s_config_t, max_parcels),
     "screen at most this many clean parcels (0 = all)"},
    {"smoke", CORE_CONFIG_BOOL, "false", 0, 0, offsetof(s_config_t, smoke), "tiny run for ctest"},
};

/* ============ Scripts ============ */

enum { SC_CYRILLIC, SC_GREEK, SC_ARABIC, SC_COUNT };
static const char *const s_script_names[SC_COUNT] = {"cyrillic", "greek", "arabic"};

/* The script a name is written in wholly (letters of one of the three scripts, no Latin
 * letter), or -1. */
static int s_script_of(const char *s)
{
    int script = -1;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')
                return -1;
            p++;
            continue;
        }
        if ((*p & 0xE0) != 0xC0 || (p[1] & 0xC0) != 0x80) {
            /* Three-byte and longer sequences: presentation forms, CJK, ... */
            if ((*p & 0xF0) == 0xE0 && p[1] && p[2]) {
                p += 3;
                continue;
            }
            return -1;
        }
        unsigned cp = ((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3Fu);
        int sc = -1;
        if (cp >= 0x370 && cp < 0x400)
            sc = SC_GREEK;
        else if (cp >= 0x400 && cp < 0x530)
            sc = SC_CYRILLIC;
        else if (cp >= 0x600 && cp < 0x700)
            sc = SC_ARABIC;
        else if (cp >= 0xC0 && cp < 0x250)
            return -1; /* Latin with diacritics */
        if (sc >= 0) {
            if (script >= 0 && script != sc)
                return -1;
            script = sc;
        }
        p += 2;
    }
    return script;
}

typedef struct {
    uint64_t names;
    uint64_t found;
    uint64_t below_one; /* found, best hit of the entry below 1 */
    uint64_t other;     /* tolerant hits of other entries' rules */
    double sim_sum;     /* best similarity per found name */
} s_tally_t;

static void s_print_tally(FILE *out, const char *source, const s_tally_t *t, bool smoke)
{
    for (int sc = 0; sc < SC_COUNT; sc++) {
        const s_tally_t *x = &t[sc];
        fprintf(out,
                "bench=%s variant=translit source=%s script=%s names=%llu found=%llu "
                "recall=%.4f below_one=%.4f mean_similarity=%.4f other_fuzzy=%llu%s\n",
                LE_NAME, source, s_script_names[sc], (unsigned long long)x->names,
                (unsigned long long)x->found, x->names ? (double)x->found / (double)x->names : 0,
                x->found ? (double)x->below_one / (double)x->found : 0,
                x->found ? x->sim_sum / (double)x->found : 0, (unsigned long long)x->other,
                smoke ? " smoke=1" : "");
    }
}

/* ============ Screening ============ */

typedef struct {
    screen_matcher_t *matcher;
    screen_scanner_t *scanner;
    core_arena_t arena;
    proto_parcel_t parcel;
    proto_verdict_t verdict;
} s_screen_t;

static int s_screen_open(s_screen_t *s, const char *const *paths, size_t n, char *err)
{
    memset(s, 0, sizeof(*s));
    core_arena_init(&s->arena, 0);
    screen_watchlist_t *wl = screen_watchlist_load(paths, n, NULL, err);
    if (wl == NULL)
        return -EINVAL;
    s->matcher = screen_matcher_new(&wl, err);
    if (s->matcher == NULL)
        return -EINVAL;
    screen_policy_t policy = SCREEN_POLICY_DEFAULT;
    s->scanner = screen_scanner_new(s->matcher, &policy, err);
    if (s->scanner == NULL)
        return -EINVAL;
    s->parcel.parcel_id = core_str_from("EVAL");
    return 0;
}

static void s_screen_close(s_screen_t *s)
{
    screen_scanner_destroy(&s->scanner);
    screen_matcher_destroy(&s->matcher);
    core_arena_clear(&s->arena);
}

static const proto_verdict_t *s_screen_name(s_screen_t *s, const char *name)
{
    core_arena_reset(&s->arena);
    s->parcel.sender.name = core_str_from(name);
    screen_scanner_screen(s->scanner, &s->parcel, &s->verdict, &s->arena);
    return &s->verdict;
}

/* Screens name; adds to t[script]: found when a rule of record 'id' other than 'self' hits. */
static void s_count(s_screen_t *s, int script, const char *name, const char *id, const char *self,
                    s_tally_t *t, bool show)
{
    const proto_verdict_t *vd = s_screen_name(s, name);
    s_tally_t *x = &t[script];
    x->names++;
    double best = -1;
    for (uint32_t h = 0; h < vd->hit_count; h++) {
        const proto_hit_t *hit = &vd->hits[h];
        if (self != NULL && core_str_eq_cstr(hit->rule_id, self))
            continue;
        if (bench_same_record(hit->rule_id, id, 2)) {
            if (hit->similarity > best)
                best = hit->similarity;
        } else if (hit->similarity < 1.0) {
            x->other++;
        }
    }
    if (best >= 0) {
        x->found++;
        x->sim_sum += best;
        if (best < 1.0)
            x->below_one++;
    } else if (show) {
        fprintf(stderr, "missed %s %s: '%s'\n", s_script_names[script], id, name);
    }
}

/* ============ The pairs file (a small YAML subset) ============ */

/* Appends the CSV field 'v' (quoted) to b. */
static void s_csv_field(core_buf_t *b, const char *v, size_t len)
{
    core_buf_append_byte(b, '"');
    for (size_t i = 0; i < len; i++) {
        if (v[i] == '"')
            core_buf_append_byte(b, '"');
        if (v[i] == '\n' || v[i] == '\r')
            continue;
        core_buf_append_byte(b, v[i]);
    }
    core_buf_append_byte(b, '"');
}

/* Unquotes a YAML scalar in place ('it''s', "x"); returns its length. */
static size_t s_yaml_scalar(char *v, size_t len)
{
    while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\r'))
        len--;
    if (len >= 2 && (v[0] == '\'' || v[0] == '"') && v[len - 1] == v[0]) {
        char q = v[0];
        size_t w = 0;
        for (size_t r = 1; r + 1 < len; r++) {
            if (q == '\'' && v[r] == '\'' && v[r + 1] == '\'')
                r++;
            v[w++] = v[r];
        }
        len = w;
    }
    return len;
}

typedef struct {
    uint32_t entry;   /* entry number */
    uint32_t name_at; /* offset of the NUL-terminated name in the names buffer */
    int script;
} s_query_t;

/* Reads the entries' "names:" lists: Latin names become rules of csv_path, names wholly in
 * one script become queries. Entries are the items "  - " of the top-level lists. */
static int s_pairs_load(const char *path, const char *csv_path, core_buf_t *names,
                        s_query_t **queries, size_t *nq, char *err)
{
    size_t len = 0;
    char *data = bench_read_file(path, &len, err);
    if (data == NULL)
        return -ENOENT;
    core_buf_t csv = {0};
    core_buf_append_str(&csv, "id,list,kind,scope,pattern,weight,note\n");
    size_t cap = 0;
    uint32_t entry = 0;
    uint32_t k = 0;
    bool in_names = false;
    size_t pos = 0;
    while (pos < len) {
        char *line = data + pos;
        char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + 1;
        if (ll >= 4 && memcmp(line, "  - ", 4) == 0) {
            entry++;
            k = 0;
            in_names = false;
            memcpy(line, "    ", 4); /* "  - key:": the entry's first key, at the keys' indent */
        }
        if (ll >= 10 && memcmp(line, "    names:", 10) == 0) {
            in_names = true;
            continue;
        }
        if (in_names && ll >= 6 && memcmp(line, "    - ", 6) == 0) {
            size_t vl = s_yaml_scalar(line + 6, ll - 6);
            char *v = line + 6;
            v[vl] = '\0';
            if (vl == 0)
                continue;
            int sc = s_script_of(v);
            if (sc >= 0) {
                if (*nq == cap) {
                    cap = cap ? cap * 2 : 1024;
                    *queries = core_realloc(*queries, cap * sizeof(**queries));
                }
                (*queries)[*nq] = (s_query_t){entry, (uint32_t)names->len, sc};
                (*nq)++;
                core_buf_append(names, v, vl + 1);
                continue;
            }
            /* A Latin name (with or without diacritics): a rule of the entry. */
            char id[48];
            snprintf(id, sizeof(id), "P-%u-%u", entry, ++k);
            core_buf_append_str(&csv, id);
            core_buf_append_str(&csv, ",pairs,name,party.name,");
            s_csv_field(&csv, v, vl);
            core_buf_append_str(&csv, ",80,\n");
            continue;
        }
        if (ll > 4 && line[4] != ' ' && line[4] != '-')
            in_names = false;
    }
    free(data);
    FILE *f = fopen(csv_path, "w");
    int rc = 0;
    if (f == NULL || fwrite(csv.data, 1, csv.len, f) != csv.len) {
        core_err_set(err, "%s: %s", csv_path, strerror(errno));
        rc = -EIO;
    }
    if (f != NULL && fclose(f) != 0 && rc == 0) {
        core_err_set(err, "%s: %s", csv_path, strerror(errno));
        rc = -EIO;
    }
    core_buf_clear(&csv);
    return rc;
}

/* ============ Clean parcels ============ */

static int s_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct {
    char *key; /* "rule_id\tmatched" */
    double similarity;
} s_offence_t;

static int s_cmp_offence(const void *a, const void *b)
{
    return strcmp(((const s_offence_t *)a)->key, ((const s_offence_t *)b)->key);
}

typedef struct {
    const char *key;
    size_t count;
    double similarity;
} s_offender_t;

static int s_cmp_offender(const void *a, const void *b)
{
    const s_offender_t *x = a;
    const s_offender_t *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->key, y->key);
}

static int s_import(const char *format, const char *input, const char *alt, const char *csv,
                    char *err)
{
    char *args[12];
    int n = 0;
    args[n++] = (char *)"import";
    args[n++] = (char *)"--format";
    args[n++] = (char *)format;
    args[n++] = (char *)"--input";
    args[n++] = (char *)input;
    if (alt) {
        args[n++] = (char *)"--alt";
        args[n++] = (char *)alt;
    }
    args[n++] = (char *)"--output";
    args[n++] = (char *)csv;
    args[n] = NULL;
    fflush(stderr);
    int rc = screen_import_main(n, args);
    if (rc != 0) {
        core_err_set(err, "importing %s failed (exit %d)", input, rc);
        return -EINVAL;
    }
    return 0;
}

/* Screens the clean parcels of cfg->input; prints the clean line and the offenders. */
static int s_clean_parcels(const s_config_t *cfg, s_screen_t *s, FILE *out, char *err)
{
    /* Parcels of truth.csv: not clean. */
    char *truth = NULL;
    size_t truth_len = 0;
    char **ids = NULL;
    size_t nids = 0;
    if (cfg->truth) {
        truth = bench_read_file(cfg->truth, &truth_len, err);
        if (truth == NULL)
            return -ENOENT;
        size_t cap = 0;
        char *p = truth;
        char *end = truth + truth_len;
        bool header = true;
        while (p < end) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            char *le = nl ? nl : end;
            char *comma = memchr(p, ',', (size_t)(le - p));
            if (!header && comma != NULL) {
                *comma = '\0';
                if (nids == cap) {
                    cap = cap ? cap * 2 : 1024;
                    ids = core_realloc(ids, cap * sizeof(*ids));
                }
                ids[nids++] = p;
            }
            header = false;
            p = le + 1;
        }
        if (nids > 0)
            qsort(ids, nids, sizeof(*ids), s_cmp_str);
    }
    size_t len = 0;
    char *data = bench_read_file(cfg->input, &len, err);
    if (data == NULL) {
        free(ids);
        free(truth);
        return -ENOENT;
    }
    ingest_format_t format = ingest_format_from_path(cfg->input);
    ingest_reader_t *reader = ingest_reader_new(format, cfg->input, NULL);
    s_offence_t *offences = NULL;
    size_t noff = 0;
    size_t offcap = 0;
    uint64_t parcels = 0;
    uint64_t hit = 0;
    uint64_t fuzzy = 0;
    uint64_t names_hit = 0;
    double seconds = 0;
    size_t off = 0;
    char key[512];
    if (len == 0)
        ingest_reader_finish(reader);
    for (;;) {
        proto_parcel_t parcel;
        int r = ingest_reader_next(reader, &parcel);
        if (r == INGEST_READ_PARCEL) {
            if (cfg->max_parcels > 0 && parcels >= (uint64_t)cfg->max_parcels)
                continue;
            char idbuf[128];
            snprintf(idbuf, sizeof(idbuf), "%.*s", (int)parcel.parcel_id.len, parcel.parcel_id.ptr);
            const char *idp = idbuf;
            if (nids > 0 && bsearch(&idp, ids, nids, sizeof(*ids), s_cmp_str) != NULL)
                continue;
            core_arena_reset(&s->arena);
            double t0 = bench_now_s();
            screen_scanner_screen(s->scanner, &parcel, &s->verdict, &s->arena);
            seconds += bench_now_s() - t0;
            parcels++;
            bool any = false;
            bool exact = false;
            for (uint32_t h = 0; h < s->verdict.hit_count; h++) {
                const proto_hit_t *ph = &s->verdict.hits[h];
                if (!core_str_eq_cstr(ph->kind, "name"))
                    continue;
                any = true;
                exact = exact || ph->similarity >= 1.0;
                names_hit++;
                snprintf(key, sizeof(key), "%.*s\t%.*s", (int)ph->rule_id.len, ph->rule_id.ptr,
                         (int)ph->matched.len, ph->matched.ptr);
                if (noff == offcap) {
                    offcap = offcap ? offcap * 2 : 256;
                    offences = core_realloc(offences, offcap * sizeof(*offences));
                }
                offences[noff++] = (s_offence_t){core_strdup(key), ph->similarity};
            }
            hit += any;
            fuzzy += any && !exact;
        } else if (r == INGEST_READ_REJECT) {
            continue;
        } else if (r == -EAGAIN && off < len) {
            ingest_reader_feed_next(reader, data, len, &off);
        } else {
            break;
        }
    }
    ingest_reader_destroy(&reader);
    free(data);
    fprintf(out,
            "bench=%s variant=clean_parcels parcels=%llu hit=%llu fpr=%.4f fuzzy_hit=%llu "
            "fpr_fuzzy=%.4f name_hits=%llu us_per_parcel=%.2f%s\n",
            LE_NAME, (unsigned long long)parcels, (unsigned long long)hit,
            parcels ? (double)hit / (double)parcels : 0, (unsigned long long)fuzzy,
            parcels ? (double)fuzzy / (double)parcels : 0, (unsigned long long)names_hit,
            parcels ? seconds * 1e6 / (double)parcels : 0, cfg->smoke ? " smoke=1" : "");
    /* Offenders: hits per rule (the first matched text as an example). */
    if (noff > 0)
        qsort(offences, noff, sizeof(*offences), s_cmp_offence);
    s_offender_t *rules = core_malloc((noff + 1) * sizeof(*rules));
    size_t nr = 0;
    for (size_t i = 0; i < noff; i++) {
        size_t idl = strcspn(offences[i].key, "\t");
        if (nr > 0 && strncmp(rules[nr - 1].key, offences[i].key, idl) == 0 &&
            rules[nr - 1].key[idl] == '\t') {
            rules[nr - 1].count++;
            continue;
        }
        rules[nr++] = (s_offender_t){offences[i].key, 1, offences[i].similarity};
    }
    qsort(rules, nr, sizeof(*rules), s_cmp_offender);
    const screen_watchlist_t *wl = screen_matcher_watchlist(s->matcher);
    size_t nrules = screen_watchlist_size(wl);
    for (size_t i = 0; i < nr && (long)i < cfg->top; i++) {
        size_t idl = strcspn(rules[i].key, "\t");
        const char *pattern = "";
        for (size_t j = 0; j < nrules; j++) {
            const screen_rule_t *rule = screen_watchlist_rule(wl, j);
            if (strlen(rule->id) == idl && memcmp(rule->id, rules[i].key, idl) == 0) {
                pattern = rule->pattern;
                break;
            }
        }
        fprintf(out,
                "bench=%s what=offender rank=%zu parcels=%zu rule=%.*s similarity=%.3f "
                "matched=\"%s\" pattern=\"%s\"%s\n",
                LE_NAME, i + 1, rules[i].count, (int)idl, rules[i].key, rules[i].similarity,
                rules[i].key + idl + 1, pattern, cfg->smoke ? " smoke=1" : "");
    }
    for (size_t i = 0; i < noff; i++)
        free(offences[i].key);
    free(offences);
    free(rules);
    free(ids);
    free(truth);
    return 0;
}

int bench_screen_lists_eval_main(int argc, char **argv)
{
    s_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN];
    const core_config_table_t spec = {
        .name = LE_NAME,
        .summary = "Original-script recall and clean-parcel false positives with the real "
                   "lists loaded together.",
        .usage = "[--sdn FILE [--alt FILE]] [--un FILE] [--uk FILE] [--pairs FILE] "
                 "[--input MANIFEST [--truth FILE]] [--top N] [--smoke]",
        .opts = s_opts,
        .count = CORE_ARRAY_LEN(s_opts),
    };
    int prc = core_config_parse(&spec, &cfg, argc, argv, stdout, err);
    if (prc != 0) {
        if (prc > 0)
            return 0;
        bench_fail(LE_NAME, "%s", err);
        return 2;
    }
    int rc = 1;
    char dir[] = "/tmp/ps-lists-eval-XXXXXX";
    char paths[LE_MAX_FILES][sizeof(dir) + 16];
    const char *loaded[LE_MAX_FILES];
    size_t nfiles = 0;
    bool have_dir = false;
    s_screen_t lists;
    s_screen_t pairs;
    memset(&lists, 0, sizeof(lists));
    memset(&pairs, 0, sizeof(pairs));
    core_buf_t names = {0};
    s_query_t *queries = NULL;
    size_t nq = 0;
    FILE *out = NULL;
    bool show = getenv("PS_LISTS_EVAL_SHOW") != NULL; /* debugging: print the misses */
    if (cfg.smoke && (cfg.max_parcels == 0 || cfg.max_parcels > 2000))
        cfg.max_parcels = 2000;
    out = bench_out_open(cfg.out, err);
    if (out == NULL) {
        bench_fail(LE_NAME, "%s", err);
        goto out;
    }
    if (mkdtemp(dir) == NULL) {
        bench_fail(LE_NAME, "mkdtemp: %s", strerror(errno));
        goto out;
    }
    have_dir = true;
    const struct {
        const char *format;
        const char *input;
        const char *alt;
        const char *file;
    } imports[] = {
        {"ofac-sdn", cfg.sdn, cfg.alt, "sdn.csv"},
        {"un-xml", cfg.un, NULL, "un.csv"},
        {"uk-hmt", cfg.uk, NULL, "uk.csv"},
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(imports); i++) {
        if (imports[i].input == NULL)
            continue;
        snprintf(paths[nfiles], sizeof(paths[nfiles]), "%s/%s", dir, imports[i].file);
        if (s_import(imports[i].format, imports[i].input, imports[i].alt, paths[nfiles], err) !=
            0) {
            bench_fail(LE_NAME, "%s", err);
            goto out;
        }
        loaded[nfiles] = paths[nfiles];
        nfiles++;
    }
    if (nfiles > 0) {
        if (s_screen_open(&lists, loaded, nfiles, err) != 0) {
            bench_fail(LE_NAME, "%s", err);
            goto out;
        }
        const screen_matcher_info_t *info = screen_matcher_info(lists.matcher);
        char names_list[32];
        snprintf(names_list, sizeof(names_list), "%s%s%s", cfg.sdn ? ",sdn" : "",
                 cfg.un ? ",un" : "", cfg.uk ? ",uk" : "");
        fprintf(out,
                "bench=%s what=compile lists=%s rules=%zu name_rules=%zu fuzzy_names=%zu "
                "compile_ms=%.1f threshold=%.2f%s\n",
                LE_NAME, names_list + 1, info->rules, info->rules_by_kind[SCREEN_KIND_NAME],
                info->fuzzy_names, info->compile_ms, SCREEN_NAME_THRESHOLD_DEFAULT,
                cfg.smoke ? " smoke=1" : "");
    }
    if (cfg.un != NULL) {
        /* The UN rules written in the original script, against the romanised rules. */
        s_tally_t t[SC_COUNT];
        memset(t, 0, sizeof(t));
        const screen_watchlist_t *wl = screen_matcher_watchlist(lists.matcher);
        size_t n = screen_watchlist_size(wl);
        for (size_t i = 0; i < n; i++) {
            const screen_rule_t *r = screen_watchlist_rule(wl, i);
            if (r->kind != SCREEN_KIND_NAME || strncmp(r->id, "UN-", 3) != 0)
                continue;
            int sc = s_script_of(r->pattern);
            if (sc < 0)
                continue;
            s_count(&lists, sc, r->pattern, r->id, r->id, t, show);
        }
        s_print_tally(out, "un", t, cfg.smoke);
    }
    if (cfg.pairs != NULL) {
        snprintf(paths[nfiles], sizeof(paths[nfiles]), "%s/pairs.csv", dir);
        if (s_pairs_load(cfg.pairs, paths[nfiles], &names, &queries, &nq, err) != 0) {
            bench_fail(LE_NAME, "%s", err);
            goto out;
        }
        const char *pp[1] = {paths[nfiles]};
        nfiles++;
        if (s_screen_open(&pairs, pp, 1, err) != 0) {
            bench_fail(LE_NAME, "%s", err);
            goto out;
        }
        s_tally_t t[SC_COUNT];
        memset(t, 0, sizeof(t));
        for (size_t i = 0; i < nq; i++) {
            char id[32];
            snprintf(id, sizeof(id), "P-%u", queries[i].entry);
            s_count(&pairs, queries[i].script, names.data + queries[i].name_at, id, NULL, t, show);
        }
        s_print_tally(out, "pairs", t, cfg.smoke);
    }
    if (cfg.input != NULL) {
        if (nfiles == 0 || lists.matcher == NULL) {
            bench_fail(LE_NAME, "--input needs at least one of --sdn, --un, --uk");
            rc = 2;
            goto out;
        }
        if (s_clean_parcels(&cfg, &lists, out, err) != 0) {
            bench_fail(LE_NAME, "%s", err);
            goto out;
        }
    }
    rc = 0;

out:
    s_screen_close(&lists);
    s_screen_close(&pairs);
    core_buf_clear(&names);
    free(queries);
    if (have_dir) {
        for (size_t i = 0; i < nfiles; i++)
            unlink(paths[i]);
        rmdir(dir);
    }
    bench_out_close(&out);
    core_config_free(&spec, &cfg);
    return rc;
}
