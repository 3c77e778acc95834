/* import_goods.c -- the goods lists of data/watchlists/goods -> SPEC keyword, regex and
 * hscode rules on items.description / items.hs_code.
 *
 * DESIGN: each file is found in --input-dir by its name prefix (the newest when several
 * match, e.g. two dated CITES exports), read by header name, and turned into rules:
 *   hs_watch_codes*              hscode per hs_prefix, list hs-watch, weight by risk area
 *                                (radioactive 70, explosives 60, precursors 50, weapons 40-50,
 *                                biological 40, currency 35, wildlife/dual-use 30, medicines and
 *                                herbal 25, tobacco/precious 20, alcohol/IPR 15, toys 10): an
 *                                HS code alone is weak evidence, so these stay moderate.
 *   synthetic_opioids_watch*     keyword per term and alias, list opioids: 90 (fentanyl,
 *                                analogues, nitazenes, novel opioids), 70 (xylazine), 60
 *                                (pill presses and tooling, class "equipment").
 *   drug_precursors_un1988*      keyword per name, synonym and CAS number, list precursors:
 *                                Table I 85, Table II 50 (common solvents and acids such as
 *                                acetone); Table I HS codes as hscode 50 unless hs-watch has them.
 *   keyword_seeds_misc*          match_type regex -> regex "(?i)<pattern>" (the seeds are
 *                                written lower case for case-insensitive use); word/phrase ->
 *                                keyword. List and weight by category: weapons 70,
 *                                drugs_concealment 80 (list drugs), pharma_controlled 60 (pharma),
 *                                counterfeit_indicator 60 (counterfeit), wildlife 50, dual_use_seed
 *                                40 (dual-use), brand_seed 20 (brands: a brand alone is not a
 *                                finding), vague_or_misdeclaration 15 (misdeclaration).
 *   upu_items_not_admitted*      keyword per keyword seed, list upu-prohibited, weight 40;
 *                                "(loose)"-style remarks are cut, "see ..." seeds skipped.
 *   cites_species_index*         keyword per species/subspecies/variety name and per English name
 *                                of two or more words, list cites, weight 50. Genus and higher
 *                                names (Aloe, Python, Ara) and one-word English names (Lion) would
 *                                flag ordinary goods and are left out; synonyms only with
 *                                --cites-synonyms (binomials cut out of "Genus species Author,
 *                                year" text).
 *   ics2_stop_words*             regex "(?i)^\s*<term>\s*$", list ics2-stopwords, weight 15: a
 *                                description that is nothing but a stop word ("Accessories"),
 *                                not every description that contains one.
 * Keywords are deduplicated on a folded key across files, first file first (the order above),
 * so "fentanyl" stays an opioid rule at 90 and is not repeated by the UPU seeds at 40. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/str.h"
#include "import_internal.h"

#define SCOPE_DESCRIPTION "items.description"
#define SCOPE_HSCODE "items.hs_code"

typedef struct {
    screen__import_out_t *out;     /* borrowed */
    screen__import_set_t keywords; /* folded keyword patterns written */
    screen__import_set_t regexes;  /* regex patterns written */
    screen__import_set_t hscodes;  /* digit prefixes written */
    size_t keyword, regex, hscode; /* rules written per kind */
    size_t duplicates, refused;    /* patterns not written */
    size_t file_rules;             /* rules of the current file */
    bool cites_synonyms;           /* --cites-synonyms */
} s_goods_t;

/* Adds one rule after deduplication. */
static void s_add(s_goods_t *g, const char *id, const char *list, const char *kind,
                  const char *pattern, int weight, const char *note)
{
    const char *scope = strcmp(kind, "hscode") == 0 ? SCOPE_HSCODE : SCOPE_DESCRIPTION;
    screen__import_set_t *set = &g->keywords;
    uint64_t h;
    if (strcmp(kind, "keyword") == 0) {
        char *key = screen__import_key(pattern);
        h = core_hash64(key, strlen(key), 0x6b77);
        bool empty = key[0] == '\0';
        free(key);
        if (empty) {
            g->refused++;
            return;
        }
    } else {
        set = strcmp(kind, "regex") == 0 ? &g->regexes : &g->hscodes;
        h = core_hash64(pattern, strlen(pattern), 0x7278);
    }
    if (!screen__import_set_add(set, h)) {
        g->duplicates++;
        return;
    }
    screen__import_rule_t rule = {.id = id,
                                  .list = list,
                                  .kind = kind,
                                  .scope = scope,
                                  .pattern = pattern,
                                  .weight = weight,
                                  .note = note};
    if (screen__import_out_add(g->out, &rule) != 0) {
        g->refused++;
        return;
    }
    g->file_rules++;
    if (strcmp(kind, "keyword") == 0)
        g->keyword++;
    else if (strcmp(kind, "regex") == 0)
        g->regex++;
    else
        g->hscode++;
}

/* "2933.36" -> "293336". */
static void s_digits(const char *in, char *out, size_t size)
{
    size_t len = 0;
    for (; *in && len + 1 < size; in++)
        if (*in >= '0' && *in <= '9')
            out[len++] = *in;
    out[len] = '\0';
}

/* Calls fn for each trimmed, non-empty part of a 'sep'-separated list. */
typedef void (*s_part_fn)(s_goods_t *g, const char *part, int index, void *ctx);
static void s_each_part(s_goods_t *g, const char *text, char sep, s_part_fn fn, void *ctx)
{
    char *copy = core_strdup(text);
    int index = 0;
    char *p = copy;
    for (;;) {
        char *end = strchr(p, sep);
        if (end)
            *end = '\0';
        screen__import_trim(p);
        if (*p)
            fn(g, p, ++index, ctx);
        if (end == NULL)
            break;
        p = end + 1;
    }
    free(copy);
}

/* ============ Files ============ */

/* Finds the newest "<prefix>*.csv" in dir. Returns 0 and the path, or -ENOENT. */
static int s_find(const char *dir, const char *prefix, char *path, size_t size)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -errno;
    char best[256] = "";
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t n = strlen(ent->d_name);
        if (strncmp(ent->d_name, prefix, strlen(prefix)) == 0 && n > 4 &&
            strcmp(ent->d_name + n - 4, ".csv") == 0 && strcmp(ent->d_name, best) > 0)
            snprintf(best, sizeof(best), "%s", ent->d_name);
    }
    closedir(d);
    if (best[0] == '\0')
        return -ENOENT;
    snprintf(path, size, "%s/%s", dir, best);
    return 0;
}

typedef int (*s_file_fn)(s_goods_t *g, screen__import_csv_t *csv, char *err);

/* Looks up the header columns named in 'names'; returns -EINVAL naming the missing one. */
static int s_columns(const screen__import_csv_t *csv, const char *const *names, int *cols, size_t n,
                     char *err)
{
    for (size_t i = 0; i < n; i++) {
        cols[i] = screen__import_csv_column(csv, names[i]);
        if (cols[i] < 0) {
            core_err_set(err, "header has no '%s' column", names[i]);
            return -EINVAL;
        }
    }
    return 0;
}

/* ============ hs_watch_codes ============ */

static int s_hs_weight(const char *risk)
{
    static const struct {
        const char *word;
        int weight;
    } table[] = {
        {"radioactive", 70}, {"explosive", 60},  {"precursor", 50}, {"dangerous", 50},
        {"weapon", 40},      {"biological", 40}, {"currency", 35},  {"wildlife", 30},
        {"dual-use", 30},    {"medicine", 25},   {"plants", 25},    {"biosecurity", 25},
        {"tobacco", 20},     {"precious", 20},   {"alcohol", 15},   {"IPR", 15},
        {"safety", 10},
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(table); i++)
        if (strcasestr(risk, table[i].word))
            return table[i].weight;
    return 20;
}

static int s_hs_watch(s_goods_t *g, screen__import_csv_t *csv, char *err)
{
    static const char *const names[] = {"hs_prefix", "risk_area", "rationale"};
    int col[3];
    if (s_columns(csv, names, col, 3, err) != 0)
        return -EINVAL;
    int rc;
    while ((rc = screen__import_csv_next(csv, err)) == 1) {
        char digits[16], id[48], note[512];
        s_digits(screen__import_csv_get(csv, (size_t)col[0]), digits, sizeof(digits));
        if (digits[0] == '\0')
            continue;
        const char *risk = screen__import_csv_get(csv, (size_t)col[1]);
        snprintf(id, sizeof(id), "GOODS-HS-%s", digits);
        snprintf(note, sizeof(note), "%s: %s", risk, screen__import_csv_get(csv, (size_t)col[2]));
        s_add(g, id, "hs-watch", "hscode", digits, s_hs_weight(risk), note);
    }
    return rc;
}

/* ============ synthetic_opioids_watch_terms ============ */

typedef struct {
    const char *base_id; /* GOODS-OPI-0001 */
    int weight;
    const char *note;
} s_alias_ctx_t;

static void s_alias(s_goods_t *g, const char *part, int index, void *ctx)
{
    const s_alias_ctx_t *a = ctx;
    char id[64];
    snprintf(id, sizeof(id), "%s-A%d", a->base_id, index);
    s_add(g, id, "opioids", "keyword", part, a->weight, a->note);
}

static int s_opioids(s_goods_t *g, screen__import_csv_t *csv, char *err)
{
    static const char *const names[] = {"term", "aliases", "class", "control_status_note"};
    int col[4];
    if (s_columns(csv, names, col, 4, err) != 0)
        return -EINVAL;
    int rc, row = 0;
    while ((rc = screen__import_csv_next(csv, err)) == 1) {
        const char *cls = screen__import_csv_get(csv, (size_t)col[2]);
        int weight = strstr(cls, "equipment") ? 60 : strstr(cls, "veterinary") ? 70 : 90;
        char id[48], note[256];
        snprintf(id, sizeof(id), "GOODS-OPI-%04d", ++row);
        snprintf(note, sizeof(note), "%s; %s", cls, screen__import_csv_get(csv, (size_t)col[3]));
        s_add(g, id, "opioids", "keyword", screen__import_csv_get(csv, (size_t)col[0]), weight,
              note);
        s_alias_ctx_t ctx = {id, weight, note};
        s_each_part(g, screen__import_csv_get(csv, (size_t)col[1]), ';', s_alias, &ctx);
    }
    return rc;
}

/* ============ drug_precursors_un1988_tables ============ */

typedef struct {
    const char *base_id;
    int weight;
    const char *note;
    const char *suffix; /* A (synonym) or CAS */
} s_prec_ctx_t;

static void s_prec_part(s_goods_t *g, const char *part, int index, void *ctx)
{
    const s_prec_ctx_t *p = ctx;
    char id[64];
    snprintf(id, sizeof(id), "%s-%s%d", p->base_id, p->suffix, index);
    s_add(g, id, "precursors", "keyword", part, p->weight, p->note);
}

static int s_precursors(s_goods_t *g, screen__import_csv_t *csv, char *err)
{
    static const char *const names[] = {"name", "synonyms", "un1988_table",
                                        "cas",  "hs2022",   "illicit_drugs"};
    int col[6];
    if (s_columns(csv, names, col, 6, err) != 0)
        return -EINVAL;
    int rc, row = 0;
    while ((rc = screen__import_csv_next(csv, err)) == 1) {
        const char *table = screen__import_csv_get(csv, (size_t)col[2]);
        bool table1 = strcmp(table, "I") == 0;
        int weight = table1 ? 85 : 50;
        char id[48], note[256], name[256];
        snprintf(id, sizeof(id), "GOODS-PRE-%04d", ++row);
        snprintf(note, sizeof(note), "UN 1988 Table %s precursor for %s", table,
                 screen__import_csv_get(csv, (size_t)col[5]));
        /* "P-2-P methyl glycidic acid and its esters" names the acid; the esters are the
         * synonyms. */
        snprintf(name, sizeof(name), "%s", screen__import_csv_get(csv, (size_t)col[0]));
        char *cut = strstr(name, " and its ");
        if (cut)
            *cut = '\0';
        s_add(g, id, "precursors", "keyword", name, weight, note);
        s_prec_ctx_t syn = {id, weight, note, "A"};
        s_each_part(g, screen__import_csv_get(csv, (size_t)col[1]), ';', s_prec_part, &syn);
        s_prec_ctx_t cas = {id, weight, note, "CAS"};
        s_each_part(g, screen__import_csv_get(csv, (size_t)col[3]), ';', s_prec_part, &cas);
        if (table1) {
            char digits[16], hs_id[64];
            s_digits(screen__import_csv_get(csv, (size_t)col[4]), digits, sizeof(digits));
            snprintf(hs_id, sizeof(hs_id), "%s-HS", id);
            if (strlen(digits) >= 4)
                s_add(g, hs_id, "precursors", "hscode", digits, 50, note);
        }
    }
    return rc;
}

/* ============ keyword_seeds_misc ============ */

static void s_seed_category(const char *category, const char **list, int *weight)
{
    static const struct {
        const char *category, *list;
        int weight;
    } table[] = {
        {"weapons", "weapons", 70},
        {"drugs_concealment", "drugs", 80},
        {"pharma_controlled", "pharma", 60},
        {"wildlife", "wildlife", 50},
        {"counterfeit_indicator", "counterfeit", 60},
        {"brand_seed", "brands", 20},
        {"dual_use_seed", "dual-use", 40},
        {"vague_or_misdeclaration", "misdeclaration", 15},
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(table); i++) {
        if (strcmp(category, table[i].category) == 0) {
            *list = table[i].list;
            *weight = table[i].weight;
            return;
        }
    }
    *list = "goods-misc";
    *weight = 30;
}

static int s_seeds(s_goods_t *g, screen__import_csv_t *csv, char *err)
{
    static const char *const names[] = {"category", "term", "match_type", "note"};
    int col[4];
    if (s_columns(csv, names, col, 4, err) != 0)
        return -EINVAL;
    int rc, row = 0;
    while ((rc = screen__import_csv_next(csv, err)) == 1) {
        const char *list;
        int weight;
        s_seed_category(screen__import_csv_get(csv, (size_t)col[0]), &list, &weight);
        const char *term = screen__import_csv_get(csv, (size_t)col[1]);
        const char *note = screen__import_csv_get(csv, (size_t)col[3]);
        char id[48];
        snprintf(id, sizeof(id), "GOODS-KW-%04d", ++row);
        if (strcmp(screen__import_csv_get(csv, (size_t)col[2]), "regex") == 0) {
            char pattern[1024];
            snprintf(pattern, sizeof(pattern), "%s%s", strncmp(term, "(?", 2) ? "(?i)" : "", term);
            s_add(g, id, list, "regex", pattern, weight, note);
        } else {
            s_add(g, id, list, "keyword", term, weight, note);
        }
    }
    return rc;
}

/* ============ upu_items_not_admitted ============ */

typedef struct {
    int row;
    const char *note;
} s_upu_ctx_t;

static void s_upu_seed(s_goods_t *g, const char *part, int index, void *ctx)
{
    const s_upu_ctx_t *u = ctx;
    if (strncasecmp(part, "see ", 4) == 0)
        return; /* "see national prohibition lists" is a pointer, not a term */
    char seed[256];
    snprintf(seed, sizeof(seed), "%s", part);
    char *paren = strchr(seed, '(');
    if (paren)
        *paren = '\0';
    screen__import_trim(seed);
    char id[48];
    snprintf(id, sizeof(id), "GOODS-UPU-%02d-%02d", u->row, index);
    s_add(g, id, "upu-prohibited", "keyword", seed, 40, u->note);
}

static int s_upu(s_goods_t *g, screen__import_csv_t *csv, char *err)
{
    static const char *const names[] = {"category", "keyword_seeds"};
    int col[2];
    if (s_columns(csv, names, col, 2, err) != 0)
        return -EINVAL;
    int rc, row = 0;
    while ((rc = screen__import_csv_next(csv, err)) == 1) {
        char note[128];
        snprintf(note, sizeof(note), "UPU Convention art. 19: %s",
                 screen__import_csv_get(csv, (size_t)col[0]));
        s_upu_ctx_t ctx = {++row, note};
        s_each_part(g, screen__import_csv_get(csv, (size_t)col[1]), ';', s_upu_seed, &ctx);
    }
    return rc;
}

/* ============ cites_species_index ============ */

typedef struct {
    const char *base_id; /* GOODS-CITES-<taxon_id> */
    const char *note;
    int count; /* parts written, for ids */
} s_cites_ctx_t;

static void s_cites_english(s_goods_t *g, const char *part, int index, void *ctx)
{
    s_cites_ctx_t *c = ctx;
    (void)index;
    if (strchr(part, ' ') == NULL)
        return; /* one-word English names (Lion, Python) would flag ordinary goods */
    char id[64];
    snprintf(id, sizeof(id), "%s-E%d", c->base_id, ++c->count);
    s_add(g, id, "cites", "keyword", part, 50, c->note);
}

static bool s_is_word(const char *s, size_t n, bool capital)
{
    if (n < 3)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool lower = c >= 'a' && c <= 'z';
        bool upper = c >= 'A' && c <= 'Z';
        if (i == 0 ? !(capital ? upper : lower) : !(lower || (!capital && c == '-')))
            return false;
    }
    return true;
}

/* Cuts "Genus species" binomials out of "Genus species Author, year, Genus2 species2 (...)". */
static void s_cites_synonyms(s_goods_t *g, const char *text, s_cites_ctx_t *c)
{
    static const char *const particles[] = {"and", "del", "der", "van", "von", "ex", NULL};
    const char *p = text;
    while (*p) {
        while (*p && !(*p >= 'A' && *p <= 'Z'))
            p++;
        const char *w1 = p;
        while (*p && *p != ' ' && *p != ',')
            p++;
        size_t n1 = (size_t)(p - w1);
        if (*p != ' ' || !s_is_word(w1, n1, true))
            continue;
        const char *w2 = p + 1;
        const char *q = w2;
        while (*q && *q != ' ' && *q != ',' && *q != ')')
            q++;
        size_t n2 = (size_t)(q - w2);
        bool particle = false;
        for (size_t i = 0; particles[i]; i++)
            particle = particle || (strlen(particles[i]) == n2 && !strncmp(w2, particles[i], n2));
        if (!s_is_word(w2, n2, false) || particle)
            continue;
        char name[128], id[64];
        snprintf(name, sizeof(name), "%.*s %.*s", (int)n1, w1, (int)n2, w2);
        snprintf(id, sizeof(id), "%s-S%d", c->base_id, ++c->count);
        s_add(g, id, "cites", "keyword", name, 50, c->note);
        p = q;
    }
}

static int s_cites(s_goods_t *g, screen__import_csv_t *csv, char *err)
{
    static const char *const names[] = {"taxon_id", "full_name",     "rank",    "cites_listing",
                                        "class",    "english_names", "synonyms"};
    int col[7];
    if (s_columns(csv, names, col, 7, err) != 0)
        return -EINVAL;
    int rc;
    while ((rc = screen__import_csv_next(csv, err)) == 1) {
        const char *rank = screen__import_csv_get(csv, (size_t)col[2]);
        if (strcmp(rank, "SPECIES") != 0 && strcmp(rank, "SUBSPECIES") != 0 &&
            strcmp(rank, "VARIETY") != 0)
            continue;
        char id[48], note[128];
        snprintf(id, sizeof(id), "GOODS-CITES-%s", screen__import_csv_get(csv, (size_t)col[0]));
        const char *cls = screen__import_csv_get(csv, (size_t)col[4]);
        snprintf(note, sizeof(note), "CITES Appendix %s%s%s",
                 screen__import_csv_get(csv, (size_t)col[3]), cls[0] ? "; " : "", cls);
        s_add(g, id, "cites", "keyword", screen__import_csv_get(csv, (size_t)col[1]), 50, note);
        s_cites_ctx_t ctx = {id, note, 0};
        s_each_part(g, screen__import_csv_get(csv, (size_t)col[5]), ',', s_cites_english, &ctx);
        if (g->cites_synonyms)
            s_cites_synonyms(g, screen__import_csv_get(csv, (size_t)col[6]), &ctx);
    }
    return rc;
}

/* ============ ics2_stop_words ============ */

static int s_stop_words(s_goods_t *g, screen__import_csv_t *csv, char *err)
{
    static const char *const names[] = {"term"};
    int col[1];
    if (s_columns(csv, names, col, 1, err) != 0)
        return -EINVAL;
    int rc, row = 0;
    while ((rc = screen__import_csv_next(csv, err)) == 1) {
        const char *term = screen__import_csv_get(csv, (size_t)col[0]);
        if (term[0] == '\0')
            continue;
        core_buf_t re = {0};
        core_buf_append_str(&re, "(?i)^\\s*");
        for (const char *p = term; *p; p++) {
            unsigned char c = (unsigned char)*p;
            bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == ' ' || c >= 0x80;
            if (plain)
                core_buf_append_byte(&re, (char)c);
            else
                core_buf_printf(&re, "\\x%02x", c);
        }
        core_buf_append_str(&re, "\\s*$");
        char id[48], note[128];
        snprintf(id, sizeof(id), "GOODS-STOP-%04d", ++row);
        snprintf(note, sizeof(note), "ICS2 stop word: description is only '%s'", term);
        s_add(g, id, "ics2-stopwords", "regex", core_buf_cstr(&re), 15, note);
        core_buf_clear(&re);
    }
    return rc;
}

/* ============ Driver ============ */

int screen__import_goods(const screen__import_opts_t *opts, screen__import_out_t *out, char *err)
{
    static const struct {
        const char *prefix;
        s_file_fn fn;
    } files[] = {
        {"hs_watch_codes", s_hs_watch},           {"synthetic_opioids_watch", s_opioids},
        {"drug_precursors_un1988", s_precursors}, {"keyword_seeds_misc", s_seeds},
        {"upu_items_not_admitted", s_upu},        {"cites_species_index", s_cites},
        {"ics2_stop_words", s_stop_words},
    };
    s_goods_t g;
    memset(&g, 0, sizeof(g));
    g.out = out;
    g.cites_synonyms = opts->cites_synonyms;
    int rc = 0;
    size_t found = 0;
    for (size_t i = 0; i < CORE_ARRAY_LEN(files) && rc == 0; i++) {
        char path[4096];
        int frc = s_find(opts->input_dir, files[i].prefix, path, sizeof(path));
        if (frc == -ENOENT) {
            fprintf(stderr, "parcelscreen: import: goods: no %s*.csv in %s, skipped\n",
                    files[i].prefix, opts->input_dir);
            continue;
        }
        if (frc != 0) {
            core_err_set(err, "%s: %s", opts->input_dir, strerror(-frc));
            rc = frc;
            break;
        }
        found++;
        screen__import_csv_t csv;
        rc = screen__import_csv_open(&csv, path, err);
        if (rc != 0)
            break;
        g.file_rules = 0;
        rc = screen__import_csv_next(&csv, err); /* header */
        if (rc == 0) {
            core_err_set(err, "empty file");
            rc = -EINVAL;
        } else if (rc == 1) {
            rc = files[i].fn(&g, &csv, err);
        }
        if (rc < 0) {
            core_err_prefix(err, "%s", path);
        } else {
            rc = 0;
            fprintf(stderr, "parcelscreen: import: goods: %s: %zu rules\n", path, g.file_rules);
        }
        screen__import_csv_close(&csv);
    }
    if (rc == 0 && found == 0) {
        core_err_set(err, "%s: none of the goods list files found", opts->input_dir);
        rc = -ENOENT;
    }
    if (rc == 0)
        fprintf(stderr,
                "parcelscreen: import: goods: %zu rules (keyword %zu, regex %zu, hscode %zu); "
                "%zu duplicate patterns dropped, %zu refused\n",
                g.keyword + g.regex + g.hscode, g.keyword, g.regex, g.hscode, g.duplicates,
                g.refused);
    screen__import_set_clear(&g.keywords);
    screen__import_set_clear(&g.regexes);
    screen__import_set_clear(&g.hscodes);
    return rc;
}
