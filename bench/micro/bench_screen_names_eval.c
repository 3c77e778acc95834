/* bench_screen_names_eval.c -- how well does screen's name matching survive real spelling?
 *
 * DESIGN
 *
 * Rules: the real OFAC SDN list (--sdn, optional --alt) imported with screen's own importer
 * (screen_import_main into a temporary CSV), loaded and compiled with screen's API; the
 * compile line reports the spelling-tolerant index (names, keys) and the compile time.
 *
 * Positives: --names listed names drawn at random (seeded), each written as every variant that
 * applies to it, put into sender.name alone and screened:
 *   sub, del, ins, swap  one letter wrong, missing, extra, or two adjacent letters swapped, in
 *                        a word of >= 5 ASCII letters (the tolerant path, similarity < 1)
 *   case, diacritics     case flipped / vowels accented (the exact path, similarity 1)
 *   order                the words in reverse order
 *   join, split          two adjacent words written as one / a word of >= 6 letters split
 *                        (legal-form words and honorifics excluded: screen drops them, so
 *                        "STOCKCOMPANY" is a legal-form change, not a spelling one)
 * recall = share of variants where the listed rule hit; precision = hits of the listed rule /
 * (those + tolerant hits of rules of other entities; an alias of the same OFAC entity,
 * OFAC-SDN-<n>-A<m>, is a right answer) -- an exact hit of another rule is not counted as
 * false, OFAC repeats names across entries; precision_new counts only tolerant hits of rules
 * that the unperturbed listed name does not hit itself (OFAC also lists near-duplicates:
 * "ANSARI MONEY EXCHANGE" / "NEW ANSARI MONEY EXCHANGE", so strict precision is a lower bound);
 * below_one = share of the listed rule's hits with similarity < 1; mean_similarity over those hits.
 * Negatives ("clean"): --clean person names (given + family name of the generator's
 * cultures, bench/gen/src/vocab.c, sometimes a second given name) and company names (company
 * word + industry + legal form). fpr = share with any hit; fpr_fuzzy = share with a hit below
 * 1 (the cost of tolerance; exact hits of common names like "Ali Hassan" are list content).
 * The last line gives the scanner time per screened name (all variants and clean names).
 *
 * Rejected: perturbing the normalised text (would skip the normaliser the parcels go
 * through); counting exact cross-rule hits as false positives (they are true hits of the
 * list as published). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchmicro/micro.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "internal.h" /* bench/gen/src: the generator's name vocabularies */
#include "proto/parcel.h"
#include "screen/import.h"
#include "screen/matcher.h"
#include "screen/normalize.h"
#include "screen/scanner.h"
#include "screen/watchlist.h"

#define NE_NAME "screen_names_eval"

enum {
    V_SUB,
    V_DEL,
    V_INS,
    V_SWAP,
    V_CASE,
    V_DIACRITICS,
    V_ORDER,
    V_JOIN,
    V_SPLIT,
    V_COUNT,
};

static const char *const s_variant_names[V_COUNT] = {
    "sub", "del", "ins", "swap", "case", "diacritics", "order", "join", "split",
};

typedef struct {
    uint64_t names;       /* variants screened */
    uint64_t found;       /* the listed rule hit */
    uint64_t other_fuzzy; /* tolerant hits of other rules */
    uint64_t other_new;   /* ... of rules that the listed name itself does not hit */
    uint64_t below_one;   /* listed rule's hits with similarity < 1 */
    double sim_sum;       /* sum of the listed rule's similarities */
} s_tally_t;

typedef struct {
    char *sdn;
    char *alt;
    char *out;
    char *clean_file;
    long names;
    long clean;
    long seed;
    double threshold;
    bool smoke;
} s_config_t;

static const core_config_opt_t s_opts[] = {
    {"sdn", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, sdn), "OFAC SDN sdn.csv"},
    {"alt", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, alt), "OFAC alt.csv (optional)"},
    {"out", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, out), "append results here"},
    {"clean-file", CORE_CONFIG_STR, NULL, 0, 0, offsetof(s_config_t, clean_file),
     "clean names to screen instead of generated ones, one per line (e.g. the names of a "
     "generated manifest's clean parcels)"},
    {"names", CORE_CONFIG_INT, "4000", 1, 1000000, offsetof(s_config_t, names),
     "listed names to perturb"},
    {"clean", CORE_CONFIG_INT, "20000", 1, 10000000, offsetof(s_config_t, clean),
     "clean names to screen"},
    {"seed", CORE_CONFIG_INT, "1", 0, 2147483647, offsetof(s_config_t, seed), "random seed"},
    {"threshold", CORE_CONFIG_DOUBLE, "0", 0, 2, offsetof(s_config_t, threshold),
     "name similarity threshold (0 = screen's default)"},
    {"smoke", CORE_CONFIG_BOOL, "false", 0, 0, offsetof(s_config_t, smoke), "tiny run for ctest"},
};

/* ============ Variants ============ */

static bool s_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Start and length of the k-th ASCII word of at least min letters (k counted among them). */
static int s_words(const char *s, size_t len, size_t min, size_t *starts, size_t *lens, int cap)
{
    int n = 0;
    size_t i = 0;
    while (i < len && n < cap) {
        while (i < len && !s_alpha(s[i]))
            i++;
        size_t j = i;
        while (j < len && s_alpha(s[j]))
            j++;
        /* Only whole words: a word glued to a non-ASCII byte is skipped. */
        bool clean =
            (i == 0 || (unsigned char)s[i - 1] < 0x80) && (j == len || (unsigned char)s[j] < 0x80);
        if (j - i >= min && clean) {
            starts[n] = i;
            lens[n] = j - i;
            n++;
        }
        i = j;
    }
    return n;
}

static char s_other_letter(bench_rng_t *rng, char c)
{
    char lo = (char)(c | 0x20);
    char r;
    do {
        r = (char)('a' + bench_rng_below(rng, 26));
    } while (r == lo);
    return (c >= 'A' && c <= 'Z') ? (char)(r - 'a' + 'A') : r;
}

/* A legal-form word or honorific (screen drops them from names, so joining or splitting one
 * is a legal-form variation, not a spelling one). */
static bool s_dropped(const char *w, size_t len)
{
    char low[16];
    if (len >= sizeof(low))
        return false;
    for (size_t i = 0; i < len; i++)
        low[i] = (char)(w[i] | 0x20);
    return screen_norm_is_dropped_word(low, len);
}

static bool s_all_alpha(const char *w, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (!s_alpha(w[i]))
            return false;
    }
    return true;
}

/* Writes variant v of name into out; false when it does not apply. */
static bool s_variant(int v, const char *name, bench_rng_t *rng, core_buf_t *out)
{
    size_t len = strlen(name);
    size_t st[32];
    size_t ln[32];
    core_buf_reset(out);
    if (v <= V_SWAP || v == V_SPLIT) {
        int n = s_words(name, len, v == V_SPLIT ? 6 : 5, st, ln, 32);
        if (n == 0)
            return false;
        int w = (int)bench_rng_below(rng, (uint32_t)n);
        size_t a = st[w];
        size_t l = ln[w];
        if (v == V_SPLIT && s_dropped(name + a, l))
            return false;
        size_t k = a + bench_rng_below(rng, (uint32_t)l);
        core_buf_append(out, name, k);
        switch (v) {
        case V_SUB: {
            char c = s_other_letter(rng, name[k]);
            core_buf_append(out, &c, 1);
            core_buf_append(out, name + k + 1, len - k - 1);
            break;
        }
        case V_DEL:
            core_buf_append(out, name + k + 1, len - k - 1);
            break;
        case V_INS: {
            char c = s_other_letter(rng, name[k]);
            core_buf_append(out, &c, 1);
            core_buf_append(out, name + k, len - k);
            break;
        }
        case V_SWAP: {
            /* Two adjacent different letters inside the word. */
            size_t p = SIZE_MAX;
            for (size_t t = 0; t + 1 < l; t++) {
                size_t q = a + (k - a + t) % (l - 1);
                if ((name[q] | 0x20) != (name[q + 1] | 0x20)) {
                    p = q;
                    break;
                }
            }
            if (p == SIZE_MAX)
                return false;
            core_buf_reset(out);
            core_buf_append(out, name, p);
            core_buf_append(out, name + p + 1, 1);
            core_buf_append(out, name + p, 1);
            core_buf_append(out, name + p + 2, len - p - 2);
            break;
        }
        case V_SPLIT: {
            size_t cut = a + l / 2;
            core_buf_reset(out);
            core_buf_append(out, name, cut);
            core_buf_append_byte(out, ' ');
            core_buf_append(out, name + cut, len - cut);
            break;
        }
        default:
            break;
        }
        return true;
    }
    if (v == V_CASE) {
        for (size_t i = 0; i < len; i++) {
            char c = name[i];
            if (s_alpha(c))
                c = (i & 1) ? (char)(c | 0x20) : (char)(c & ~0x20);
            core_buf_append(out, &c, 1);
        }
        return true;
    }
    if (v == V_DIACRITICS) {
        int done = 0;
        for (size_t i = 0; i < len; i++) {
            const char *rep = NULL;
            switch (name[i]) {
            case 'a':
                rep = "\xc3\xa1";
                break; /* á */
            case 'e':
                rep = "\xc3\xa9";
                break; /* é */
            case 'o':
                rep = "\xc3\xb6";
                break; /* ö */
            case 'u':
                rep = "\xc3\xbc";
                break; /* ü */
            case 'A':
                rep = "\xc3\x81";
                break; /* Á */
            case 'E':
                rep = "\xc3\x89";
                break; /* É */
            case 'O':
                rep = "\xc3\x96";
                break; /* Ö */
            case 'U':
                rep = "\xc3\x9c";
                break; /* Ü */
            default:
                break;
            }
            if (rep && done < 3) {
                core_buf_append_str(out, rep);
                done++;
            } else {
                core_buf_append(out, name + i, 1);
            }
        }
        return done > 0;
    }
    /* order, join: on the space/comma separated words. */
    size_t ws[32];
    size_t wl[32];
    int n = 0;
    size_t i = 0;
    while (i < len && n < 32) {
        while (i < len && (name[i] == ' ' || name[i] == ','))
            i++;
        size_t j = i;
        while (j < len && name[j] != ' ' && name[j] != ',')
            j++;
        if (j > i) {
            ws[n] = i;
            wl[n] = j - i;
            n++;
        }
        i = j;
    }
    if (n < 2)
        return false;
    if (v == V_ORDER) {
        for (int k = n - 1; k >= 0; k--) {
            if (k != n - 1)
                core_buf_append_byte(out, ' ');
            core_buf_append(out, name + ws[k], wl[k]);
        }
        return true;
    }
    /* V_JOIN: two adjacent ASCII-letter words written as one. */
    int cands[32];
    int nc = 0;
    for (int k = 0; k + 1 < n; k++) {
        if (s_alpha(name[ws[k] + wl[k] - 1]) && s_alpha(name[ws[k + 1]]) && wl[k] >= 2 &&
            wl[k + 1] >= 2 && s_all_alpha(name + ws[k], wl[k]) &&
            s_all_alpha(name + ws[k + 1], wl[k + 1]) && !s_dropped(name + ws[k], wl[k]) &&
            !s_dropped(name + ws[k + 1], wl[k + 1]))
            cands[nc++] = k;
    }
    if (nc == 0)
        return false;
    int k = cands[bench_rng_below(rng, (uint32_t)nc)];
    for (int t = 0; t < n; t++) {
        if (t > 0 && t != k + 1)
            core_buf_append_byte(out, ' ');
        core_buf_append(out, name + ws[t], wl[t]);
    }
    return true;
}

/* ============ Clean names ============ */

static const char *s_pick(bench_rng_t *rng, const char *const *list)
{
    size_t n = gen__list_len(list);
    return list[bench_rng_below(rng, (uint32_t)n)];
}

static void s_clean_name(bench_rng_t *rng, core_buf_t *out)
{
    core_buf_reset(out);
    if (bench_rng_below(rng, 4) == 0) {
        static const char *const forms[] = {"Ltd", "LLC", "GmbH", "Co.", "Inc", "S.A.", NULL};
        core_buf_append_str(out, s_pick(rng, gen__company_words));
        core_buf_append_byte(out, ' ');
        core_buf_append_str(out, s_pick(rng, gen__industries));
        core_buf_append_byte(out, ' ');
        core_buf_append_str(out, s_pick(rng, forms));
        return;
    }
    const gen__culture_t *c = &gen__cultures[bench_rng_below(rng, (uint32_t)gen__culture_count)];
    const char *first = s_pick(rng, c->first);
    const char *last = s_pick(rng, c->last);
    if (c->family_first) {
        core_buf_append_str(out, last);
        core_buf_append_byte(out, ' ');
        core_buf_append_str(out, first);
        return;
    }
    core_buf_append_str(out, first);
    if (bench_rng_below(rng, 5) == 0) {
        core_buf_append_byte(out, ' ');
        core_buf_append_str(out, s_pick(rng, c->first));
    }
    core_buf_append_byte(out, ' ');
    core_buf_append_str(out, last);
}

/* ============ Screening ============ */

static int s_found(const proto_verdict_t *vd, const char *id)
{
    for (uint32_t h = 0; h < vd->hit_count; h++) {
        if (core_str_eq_cstr(vd->hits[h].rule_id, id))
            return 1;
    }
    return 0;
}

typedef struct {
    screen_scanner_t *scanner;
    core_arena_t arena;
    proto_parcel_t parcel;
    proto_verdict_t verdict;
    double seconds;
    uint64_t screened;
} s_eval_t;

static const proto_verdict_t *s_screen(s_eval_t *ev, const char *name, size_t len)
{
    core_arena_reset(&ev->arena);
    ev->parcel.sender.name = (core_str_t){name, (uint32_t)len};
    double t0 = bench_now_s();
    screen_scanner_screen(ev->scanner, &ev->parcel, &ev->verdict, &ev->arena);
    ev->seconds += bench_now_s() - t0;
    ev->screened++;
    return &ev->verdict;
}

static int s_import(const s_config_t *cfg, const char *csv, char *err)
{
    char *args[12];
    int n = 0;
    args[n++] = (char *)"import";
    args[n++] = (char *)"--format";
    args[n++] = (char *)"ofac-sdn";
    args[n++] = (char *)"--input";
    args[n++] = cfg->sdn;
    if (cfg->alt) {
        args[n++] = (char *)"--alt";
        args[n++] = cfg->alt;
    }
    args[n++] = (char *)"--output";
    args[n++] = (char *)csv;
    args[n] = NULL;
    /* The importer prints its counts on stderr; keep the bench output clean. */
    fflush(stderr);
    int rc = screen_import_main(n, args);
    if (rc != 0) {
        core_err_set(err, "importing %s failed (exit %d)", cfg->sdn, rc);
        return -EINVAL;
    }
    return 0;
}

int bench_screen_names_eval_main(int argc, char **argv)
{
    s_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[CORE_ERR_LEN];
    const core_config_table_t spec = {
        .name = NE_NAME,
        .summary = "Recall and precision of screen's name matching on perturbed OFAC names.",
        .usage = "--sdn FILE [--alt FILE] [--names N] [--clean N] [--threshold X] [--smoke]",
        .opts = s_opts,
        .count = CORE_ARRAY_LEN(s_opts),
    };
    int prc = core_config_parse(&spec, &cfg, argc, argv, stdout, err);
    if (prc != 0) {
        if (prc > 0)
            return 0;
        bench_fail(NE_NAME, "%s", err);
        return 2;
    }
    int rc = 1;
    char dir[] = "/tmp/ps-names-eval-XXXXXX";
    char csv[sizeof(dir) + 16];
    bool have_dir = false;
    screen_matcher_t *m = NULL;
    s_eval_t ev;
    memset(&ev, 0, sizeof(ev));
    core_arena_init(&ev.arena, 0);
    core_buf_t name = {0};
    FILE *out = NULL;
    if (cfg.sdn == NULL) {
        bench_fail(NE_NAME, "--sdn is required");
        rc = 2;
        goto out;
    }
    if (cfg.smoke) {
        cfg.names = cfg.names > 150 ? 150 : cfg.names;
        cfg.clean = cfg.clean > 1000 ? 1000 : cfg.clean;
    }
    out = bench_out_open(cfg.out, err);
    if (out == NULL) {
        bench_fail(NE_NAME, "%s", err);
        goto out;
    }
    if (mkdtemp(dir) == NULL) {
        bench_fail(NE_NAME, "mkdtemp: %s", strerror(errno));
        goto out;
    }
    have_dir = true;
    snprintf(csv, sizeof(csv), "%s/sdn.csv", dir);
    if (s_import(&cfg, csv, err) != 0) {
        bench_fail(NE_NAME, "%s", err);
        goto out;
    }
    const char *paths[1] = {csv};
    screen_watchlist_t *wl = screen_watchlist_load(paths, 1, NULL, err);
    if (wl == NULL) {
        bench_fail(NE_NAME, "%s", err);
        goto out;
    }
    m = screen_matcher_new(&wl, err);
    if (m == NULL) {
        bench_fail(NE_NAME, "%s", err);
        goto out;
    }
    const screen_matcher_info_t *info = screen_matcher_info(m);
    screen_policy_t policy = SCREEN_POLICY_DEFAULT;
    policy.name_threshold = cfg.threshold;
    ev.scanner = screen_scanner_new(m, &policy, err);
    if (ev.scanner == NULL) {
        bench_fail(NE_NAME, "%s", err);
        goto out;
    }
    double threshold = cfg.threshold > 0 ? cfg.threshold : SCREEN_NAME_THRESHOLD_DEFAULT;
    fprintf(out,
            "bench=%s what=compile rules=%zu name_rules=%zu fuzzy_names=%zu fuzzy_keys=%zu "
            "fuzzy_ms=%.1f compile_ms=%.1f threshold=%.2f%s\n",
            NE_NAME, info->rules, info->rules_by_kind[SCREEN_KIND_NAME], info->fuzzy_names,
            info->fuzzy_keys, info->fuzzy_ms, info->compile_ms, threshold,
            cfg.smoke ? " smoke=1" : "");

    const screen_watchlist_t *rules = screen_matcher_watchlist(m);
    size_t nrules = screen_watchlist_size(rules);
    ev.parcel.parcel_id = core_str_from("EVAL");
    bool show = getenv("PS_NAMES_EVAL_SHOW") != NULL; /* debugging: print misses and clean hits */
    bench_rng_t rng;
    bench_rng_seed(&rng, (uint64_t)cfg.seed);
    static char base_ids[64][64];
    s_tally_t tally[V_COUNT];
    memset(tally, 0, sizeof(tally));
    for (long i = 0; i < cfg.names; i++) {
        const screen_rule_t *r = NULL;
        for (int tries = 0; tries < 100 && r == NULL; tries++) {
            const screen_rule_t *c =
                screen_watchlist_rule(rules, bench_rng_below(&rng, (uint32_t)nrules));
            if (c->kind == SCREEN_KIND_NAME)
                r = c;
        }
        if (r == NULL)
            break;
        /* The rules the listed name itself hits (near-duplicate entries of the list). */
        const proto_verdict_t *base = s_screen(&ev, r->pattern, strlen(r->pattern));
        size_t nbase = 0;
        for (uint32_t h = 0; h < base->hit_count && nbase < 64; h++) {
            memcpy(base_ids[nbase], base->hits[h].rule_id.ptr,
                   base->hits[h].rule_id.len < 63 ? base->hits[h].rule_id.len : 63);
            base_ids[nbase][base->hits[h].rule_id.len < 63 ? base->hits[h].rule_id.len : 63] = 0;
            nbase++;
        }
        for (int v = 0; v < V_COUNT; v++) {
            if (!s_variant(v, r->pattern, &rng, &name))
                continue;
            const proto_verdict_t *vd = s_screen(&ev, name.data, name.len);
            s_tally_t *t = &tally[v];
            if (show && s_found(vd, r->id) == 0)
                fprintf(stderr, "missed %s: '%s' as '%.*s'\n", s_variant_names[v], r->pattern,
                        (int)name.len, name.data);
            for (uint32_t h = 0; show && h < vd->hit_count; h++) {
                if (vd->hits[h].similarity < 1.0 && !core_str_eq_cstr(vd->hits[h].rule_id, r->id))
                    fprintf(stderr, "other %s: '%.*s' -> %.*s (%.3f)\n", s_variant_names[v],
                            (int)name.len, name.data, (int)vd->hits[h].rule_id.len,
                            vd->hits[h].rule_id.ptr, vd->hits[h].similarity);
            }
            t->names++;
            for (uint32_t h = 0; h < vd->hit_count; h++) {
                const proto_hit_t *hit = &vd->hits[h];
                if (core_str_eq_cstr(hit->rule_id, r->id)) {
                    t->found++;
                    t->sim_sum += hit->similarity;
                    if (hit->similarity < 1.0)
                        t->below_one++;
                } else if (hit->similarity < 1.0 && !bench_same_record(hit->rule_id, r->id, 3)) {
                    t->other_fuzzy++;
                    bool known = false;
                    for (size_t b = 0; b < nbase && !known; b++)
                        known = core_str_eq_cstr(hit->rule_id, base_ids[b]);
                    if (!known)
                        t->other_new++;
                }
            }
        }
    }
    s_tally_t all;
    memset(&all, 0, sizeof(all));
    for (int v = 0; v < V_COUNT; v++) {
        const s_tally_t *t = &tally[v];
        all.names += t->names;
        all.found += t->found;
        all.other_fuzzy += t->other_fuzzy;
        all.other_new += t->other_new;
        all.below_one += t->below_one;
        all.sim_sum += t->sim_sum;
        fprintf(out,
                "bench=%s variant=%s names=%llu found=%llu recall=%.4f precision=%.4f "
                "precision_new=%.4f below_one=%.4f mean_similarity=%.4f%s\n",
                NE_NAME, s_variant_names[v], (unsigned long long)t->names,
                (unsigned long long)t->found, t->names ? (double)t->found / (double)t->names : 0,
                t->found + t->other_fuzzy ? (double)t->found / (double)(t->found + t->other_fuzzy)
                                          : 0,
                t->found + t->other_new ? (double)t->found / (double)(t->found + t->other_new) : 0,
                t->found ? (double)t->below_one / (double)t->found : 0,
                t->found ? t->sim_sum / (double)t->found : 0, cfg.smoke ? " smoke=1" : "");
    }
    fprintf(out,
            "bench=%s variant=all names=%llu found=%llu recall=%.4f precision=%.4f "
            "precision_new=%.4f%s\n",
            NE_NAME, (unsigned long long)all.names, (unsigned long long)all.found,
            all.names ? (double)all.found / (double)all.names : 0,
            all.found + all.other_fuzzy ? (double)all.found / (double)(all.found + all.other_fuzzy)
                                        : 0,
            all.found + all.other_new ? (double)all.found / (double)(all.found + all.other_new) : 0,
            cfg.smoke ? " smoke=1" : "");

    uint64_t clean_hit = 0;
    uint64_t clean_fuzzy = 0;
    char *file = NULL;
    size_t file_len = 0;
    size_t file_pos = 0;
    if (cfg.clean_file) {
        file = bench_read_file(cfg.clean_file, &file_len, err);
        if (file == NULL) {
            bench_fail(NE_NAME, "%s", err);
            goto out;
        }
        cfg.clean = 0;
        for (size_t k = 0; k < file_len; k++)
            cfg.clean += file[k] == '\n';
    }
    for (long i = 0; i < cfg.clean; i++) {
        if (file) {
            char *nl = memchr(file + file_pos, '\n', file_len - file_pos);
            size_t end = nl ? (size_t)(nl - file) : file_len;
            core_buf_reset(&name);
            core_buf_append(&name, file + file_pos, end - file_pos);
            file_pos = end + 1;
        } else {
            s_clean_name(&rng, &name);
        }
        const proto_verdict_t *vd = s_screen(&ev, name.data, name.len);
        if (vd->hit_count > 0)
            clean_hit++;
        bool fuzzy = false;
        for (uint32_t h = 0; h < vd->hit_count; h++)
            fuzzy = fuzzy || vd->hits[h].similarity < 1.0;
        if (fuzzy)
            clean_fuzzy++;
        if (vd->hit_count > 0 && show)
            fprintf(stderr, "clean hit: '%.*s' -> %.*s '%.*s' (%.3f)\n", (int)name.len, name.data,
                    (int)vd->hits[0].rule_id.len, vd->hits[0].rule_id.ptr,
                    (int)vd->hits[0].matched.len, vd->hits[0].matched.ptr, vd->hits[0].similarity);
    }
    free(file);
    fprintf(out,
            "bench=%s variant=clean names=%lld hit=%llu fpr=%.4f fuzzy_hit=%llu "
            "fpr_fuzzy=%.4f%s\n",
            NE_NAME, (long long)cfg.clean, (unsigned long long)clean_hit,
            (double)clean_hit / (double)cfg.clean, (unsigned long long)clean_fuzzy,
            (double)clean_fuzzy / (double)cfg.clean, cfg.smoke ? " smoke=1" : "");
    fprintf(out, "bench=%s what=scan names=%llu seconds=%.4f us_per_name=%.2f%s\n", NE_NAME,
            (unsigned long long)ev.screened, ev.seconds,
            ev.screened ? ev.seconds * 1e6 / (double)ev.screened : 0, cfg.smoke ? " smoke=1" : "");
    rc = 0;

out:
    screen_scanner_destroy(&ev.scanner);
    screen_matcher_destroy(&m);
    core_arena_clear(&ev.arena);
    core_buf_clear(&name);
    if (have_dir) {
        unlink(csv);
        rmdir(dir);
    }
    bench_out_close(&out);
    core_config_free(&spec, &cfg);
    return rc;
}
