/* test_import.c -- 'parcelscreen watchlist import': OFAC SDN legacy CSV and the goods lists
 * turned into SPEC watchlists that the screen loader and matcher accept. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "screen/import.h"
#include "screen/matcher.h"
#include "screen/watchlist.h"

#define SDN_FILE PS_SHARED_DIR "/data/watchlists/ofac/sdn_2024-05-03.csv"
#define ALT_FILE PS_SHARED_DIR "/data/watchlists/ofac/snapshot_2025-12_no_sdn/alt.csv"
#define GOODS_DIR PS_SHARED_DIR "/data/watchlists/goods"

/* ============ Helpers ============ */

typedef struct {
    char dir[64];   /* unique temporary directory */
    char path[256]; /* scratch path */
} t_tmp_t;

static void t_tmp_init(t_tmp_t *t)
{
    snprintf(t->dir, sizeof(t->dir), "/tmp/ps-import-XXXXXX");
    cr_assert_not_null(mkdtemp(t->dir), "mkdtemp");
}

static const char *t_tmp_path(t_tmp_t *t, const char *name)
{
    snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
    return t->path;
}

static void t_write(const char *path, const char *content, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fwrite(content, 1, len, f), len);
    fclose(f);
}

static void t_tmp_clear(t_tmp_t *t)
{
    DIR *d = opendir(t->dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p[512];
        snprintf(p, sizeof(p), "%s/%s", t->dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(t->dir);
}

static int t_import(char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    return screen_import_main(argc, argv);
}

/* Reads a whole file into buf (NUL-terminated). */
static void t_read(const char *path, core_buf_t *buf)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        core_buf_append(buf, chunk, n);
    fclose(f);
    core_buf_cstr(buf);
}

/* The line of 'text' that starts with 'prefix' followed by a comma, copied into out. */
static bool t_find_row(const char *text, const char *id, char *out, size_t size)
{
    size_t n = strlen(id);
    for (const char *p = text; p && *p;) {
        if (strncmp(p, id, n) == 0 && p[n] == ',') {
            const char *end = strchr(p, '\n');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            snprintf(out, size, "%.*s", (int)len, p);
            return true;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return false;
}

static screen_watchlist_t *t_load(const char *path)
{
    char err[CORE_ERR_LEN] = "";
    const char *paths[] = {path};
    screen_watchlist_t *wl = screen_watchlist_load(paths, 1, NULL, err);
    cr_assert_not_null(wl, "screen loader refused the import: %s", err);
    return wl;
}

/* ============ OFAC SDN ============ */

/* Legacy layout quirks: "-0- " nulls, CRLF, a final 0x1A byte, a quoted name with a comma,
 * an apostrophe inside a Remarks alias, a vessel with former names, a duplicate alias. */
static const char s_sdn[] =
    "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
    "306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
    "\"a.k.a. 'BNC'.\"\r\n"
    "3754,\"AL-ZAWAHIRI, Ayman\",\"individual\",\"SDGT] [IRGC\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
    "-0- ,\"DOB 19 Jun 1951; a.k.a. 'ABU-'UMAR'; a.k.a. 'THE DOCTOR'; a.k.a. 'Mr. O'.\"\r\n"
    "4243,\"EBANO\",\"vessel\",\"CUBA\",-0- ,-0- ,\"General Cargo\",\"2595\",\"1865\",\"Panama\","
    "-0- ,\"Vessel Registration Identification IMO 7406784; f.k.a. 'ANA I'; f.k.a. 'EBANO'.\"\r\n"
    "\x1a";

static const char s_alt[] = "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n"
                            "36,13,\"aka\",\"Aerocaribbean Airlines\",-0- \r\n"
                            "306,220,\"fka\",\"NATIONAL BANK OF CUBA\",-0- \r\n"
                            "306,221,\"aka\",\"BNC HAVANA\",\"weak alias\"\r\n"
                            "99999,1,\"aka\",\"NOBODY\",-0- \r\n";

Test(import_ofac, legacy_quirks_become_named_rules_with_weights)
{
    t_tmp_t t;
    t_tmp_init(&t);
    char sdn[256], alt[256], out[256];
    snprintf(sdn, sizeof(sdn), "%s", t_tmp_path(&t, "sdn.csv"));
    snprintf(alt, sizeof(alt), "%s", t_tmp_path(&t, "alt.csv"));
    snprintf(out, sizeof(out), "%s", t_tmp_path(&t, "ofac.csv"));
    t_write(sdn, s_sdn, sizeof(s_sdn) - 1);
    t_write(alt, s_alt, sizeof(s_alt) - 1);
    char *argv[] = {"import", "--format", "ofac-sdn", "--input", sdn,
                    "--alt",  alt,        "--output", out,       NULL};
    cr_assert_eq(t_import(argv), 0);

    core_buf_t text = {0};
    t_read(out, &text);
    char row[512];
    cr_assert(strncmp(text.data, "id,list,kind,scope,pattern,weight,note\n", 39) == 0);
    cr_assert(t_find_row(text.data, "OFAC-SDN-36", row, sizeof(row)));
    cr_assert_str_eq(row, "OFAC-SDN-36,ofac-sdn,name,party.name,AEROCARIBBEAN AIRLINES,80,"
                          "program CUBA; entity; primary name");
    cr_assert(t_find_row(text.data, "OFAC-SDN-36-A12", row, sizeof(row)), "aka from alt.csv");
    cr_assert(!t_find_row(text.data, "OFAC-SDN-36-A13", row, sizeof(row)),
              "a case-only variant of the primary name is a duplicate");
    cr_assert(t_find_row(text.data, "OFAC-SDN-306-A220", row, sizeof(row)));
    cr_assert(strstr(row, ",70,program CUBA; entity; fka") != NULL, "%s", row);
    cr_assert(t_find_row(text.data, "OFAC-SDN-306-A221", row, sizeof(row)));
    cr_assert(strstr(row, ",50,") != NULL, "weak alias gets weight - 30: %s", row);
    cr_assert(t_find_row(text.data, "OFAC-SDN-306-R1", row, sizeof(row)));
    cr_assert(strstr(row, ",BNC,50,") != NULL, "%s", row);
    cr_assert(t_find_row(text.data, "OFAC-SDN-3754", row, sizeof(row)));
    cr_assert(strstr(row, ",\"AL-ZAWAHIRI, Ayman\",80,program SDGT IRGC; individual;") != NULL,
              "%s", row);
    cr_assert(t_find_row(text.data, "OFAC-SDN-3754-R1", row, sizeof(row)));
    cr_assert(strstr(row, ",ABU-'UMAR,") != NULL, "apostrophe inside the alias: %s", row);
    cr_assert(t_find_row(text.data, "OFAC-SDN-3754-R2", row, sizeof(row)));
    cr_assert(strstr(row, ",THE DOCTOR,") != NULL, "%s", row);
    cr_assert(!t_find_row(text.data, "OFAC-SDN-3754-R3", row, sizeof(row)),
              "'Mr. O' is only a title and a letter once normalised: %s", row);
    cr_assert(!t_find_row(text.data, "OFAC-SDN-4243", row, sizeof(row)),
              "a vessel's one-word name is unspecific: %s", row);
    cr_assert(t_find_row(text.data, "OFAC-SDN-4243-R1", row, sizeof(row)));
    cr_assert(strstr(row, ",program CUBA; vessel;") != NULL, "%s", row);
    cr_assert(strstr(row, ",ANA I,30,") != NULL, "%s", row);
    cr_assert(!t_find_row(text.data, "OFAC-SDN-4243-R2", row, sizeof(row)),
              "former name equal to the primary is dropped");
    cr_assert(strstr(text.data, "NOBODY") == NULL, "alt rows without an entity are skipped");

    screen_watchlist_t *wl = t_load(out);
    cr_assert_eq(screen_watchlist_size(wl), 10);
    screen_watchlist_destroy(&wl);
    core_buf_clear(&text);
    t_tmp_clear(&t);
}

Test(import_ofac, types_list_scope_and_weight_are_honoured)
{
    t_tmp_t t;
    t_tmp_init(&t);
    char sdn[256], out[256];
    snprintf(sdn, sizeof(sdn), "%s", t_tmp_path(&t, "sdn.csv"));
    snprintf(out, sizeof(out), "%s", t_tmp_path(&t, "ofac.csv"));
    t_write(sdn, s_sdn, sizeof(s_sdn) - 1);
    char *argv[] = {"import",     "--format", "ofac-sdn",  "--input", sdn,           "--types",
                    "individual", "--list",   "ofac-cons", "--scope", "sender.name", "--weight",
                    "90",         "--output", out,         NULL};
    cr_assert_eq(t_import(argv), 0);
    core_buf_t text = {0};
    t_read(out, &text);
    char row[512];
    cr_assert(t_find_row(text.data, "OFAC-CONS-3754", row, sizeof(row)));
    cr_assert(strstr(row, ",ofac-cons,name,sender.name,\"AL-ZAWAHIRI, Ayman\",90,") != NULL, "%s",
              row);
    cr_assert(strstr(text.data, "AEROCARIBBEAN") == NULL, "entities were not selected");
    cr_assert(strstr(text.data, "EBANO") == NULL, "vessels were not selected");
    core_buf_clear(&text);
    t_tmp_clear(&t);
}

/* Counts rule rows and distinct entities (the ent_num of "OFAC-SDN-<ent_num>[-...]"). */
static void t_count_ofac(const char *path, size_t *names, size_t *entities)
{
    core_buf_t text = {0};
    t_read(path, &text);
    *names = 0;
    *entities = 0;
    long last = -1;
    for (char *line = strchr(text.data, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        const char *id = line + 1;
        cr_assert(strncmp(id, "OFAC-SDN-", 9) == 0, "%.40s", id);
        long ent = strtol(id + 9, NULL, 10);
        (*names)++;
        if (ent != last)
            (*entities)++; /* an entity's rows are consecutive */
        last = ent;
    }
    core_buf_clear(&text);
}

Test(import_ofac, real_sdn_file_gives_every_entity_and_its_aliases)
{
    t_tmp_t t;
    t_tmp_init(&t);
    char out[256], out_alt[256];
    snprintf(out, sizeof(out), "%s", t_tmp_path(&t, "sdn.csv"));
    snprintf(out_alt, sizeof(out_alt), "%s", t_tmp_path(&t, "sdn_alt.csv"));
    char *argv[] = {"import", "--format", "ofac-sdn", "--input", SDN_FILE, "--output", out, NULL};
    cr_assert_eq(t_import(argv), 0);
    char *argv_alt[] = {"import", "--format", "ofac-sdn", "--input", SDN_FILE,
                        "--alt",  ALT_FILE,   "--output", out_alt,   NULL};
    cr_assert_eq(t_import(argv_alt), 0);

    size_t names, entities;
    t_count_ofac(out, &names, &entities);
    cr_assert_geq(entities, 14000, "entities %zu", entities);
    /* 14,963 primary names + 3,611 Remarks aliases, less the persons' one-word aliases. */
    cr_assert_geq(names, 17500, "primary names plus Remarks aliases: %zu", names);
    t_count_ofac(out_alt, &names, &entities);
    cr_assert_geq(entities, 14000, "entities %zu", entities);
    cr_assert_gt(names, 20000, "names incl. aliases %zu", names);

    screen_watchlist_t *wl = t_load(out_alt);
    cr_assert_eq(screen_watchlist_size(wl), names);
    screen_watchlist_destroy(&wl);
    t_tmp_clear(&t);
}

/* ============ Goods ============ */

Test(import_goods, real_goods_lists_give_every_kind_and_compile)
{
    t_tmp_t t;
    t_tmp_init(&t);
    char out[256];
    snprintf(out, sizeof(out), "%s", t_tmp_path(&t, "goods.csv"));
    char *argv[] = {"import", "--format", "goods", "--input-dir", GOODS_DIR, "--output", out, NULL};
    cr_assert_eq(t_import(argv), 0);

    screen_watchlist_t *wl = t_load(out);
    size_t by_kind[SCREEN_KIND_COUNT] = {0};
    bool fentanyl = false, glock = false, anpp = false, stop = false, cites = false;
    for (size_t i = 0; i < screen_watchlist_size(wl); i++) {
        const screen_rule_t *r = screen_watchlist_rule(wl, i);
        by_kind[r->kind]++;
        if (!strcmp(r->pattern, "Fentanyl"))
            fentanyl =
                r->kind == SCREEN_KIND_KEYWORD && r->weight == 90 && !strcmp(r->list, "opioids");
        if (strstr(r->pattern, "glock"))
            glock = r->kind == SCREEN_KIND_REGEX && r->weight == 70 && !strcmp(r->list, "weapons");
        if (!strcmp(r->pattern, "293336"))
            anpp = r->kind == SCREEN_KIND_HSCODE && !strcmp(r->id, "GOODS-HS-293336");
        if (!strcmp(r->pattern, "(?i)^\\s*Accessories\\s*$"))
            stop = r->kind == SCREEN_KIND_REGEX && !strcmp(r->list, "ics2-stopwords");
        cr_assert(strcmp(r->pattern, "Aloe") != 0 && strcmp(r->pattern, "Python") != 0,
                  "genus names and one-word English names are left out: %s", r->id);
        if (!strcmp(r->pattern, "Loxodonta africana"))
            cites = r->kind == SCREEN_KIND_KEYWORD && r->weight == 50 && !strcmp(r->list, "cites");
    }
    cr_assert_gt(by_kind[SCREEN_KIND_KEYWORD], 30000);
    cr_assert_gt(by_kind[SCREEN_KIND_REGEX], 100);
    cr_assert_gt(by_kind[SCREEN_KIND_HSCODE], 50);
    cr_assert(fentanyl && glock && anpp && stop && cites, "%d %d %d %d %d", fentanyl, glock, anpp,
              stop, cites);

    /* The regexes must compile in the matcher, not just load. */
    char err[CORE_ERR_LEN] = "";
    screen_matcher_t *m = screen_matcher_new(&wl, err);
    cr_assert_not_null(m, "%s", err);
    screen_matcher_destroy(&m);
    t_tmp_clear(&t);
}

Test(import_goods, keywords_are_deduplicated_across_files_first_file_wins)
{
    t_tmp_t t;
    t_tmp_init(&t);
    char path[256], out[256];
    snprintf(path, sizeof(path), "%s", t_tmp_path(&t, "synthetic_opioids_watch_terms.csv"));
    const char opioids[] = "term,aliases,class,control_status_note\n"
                           "Fentanyl,fentanil,fentanyl,US Schedule II\n"
                           "Pill press,tablet press,equipment,regulated\n";
    t_write(path, opioids, sizeof(opioids) - 1);
    snprintf(path, sizeof(path), "%s", t_tmp_path(&t, "upu_items_not_admitted.csv"));
    const char upu[] = "category,description_paraphrase,applies_to,keyword_seeds\n"
                       "narcotic,\"Narcotics\",all,FENTANYL; heroin; lithium battery (loose); "
                       "see national prohibition lists\n";
    t_write(path, upu, sizeof(upu) - 1);
    snprintf(out, sizeof(out), "%s", t_tmp_path(&t, "goods.csv"));
    char *argv[] = {"import", "--format", "goods", "--input-dir", t.dir, "--output", out, NULL};
    cr_assert_eq(t_import(argv), 0);
    core_buf_t text = {0};
    t_read(out, &text);
    char row[512];
    cr_assert(t_find_row(text.data, "GOODS-OPI-0001", row, sizeof(row)));
    cr_assert(strstr(row, ",Fentanyl,90,") != NULL, "%s", row);
    cr_assert(t_find_row(text.data, "GOODS-OPI-0002", row, sizeof(row)));
    cr_assert(strstr(row, ",Pill press,60,") != NULL, "%s", row);
    cr_assert(strstr(text.data, "FENTANYL") == NULL, "the UPU seed repeats an opioid term");
    cr_assert(strstr(text.data, ",heroin,40,") != NULL);
    cr_assert(strstr(text.data, ",lithium battery,40,") != NULL, "remark in parentheses cut");
    cr_assert(strstr(text.data, "national prohibition") == NULL);
    core_buf_clear(&text);
    t_tmp_clear(&t);
}

/* ============ Usage and failures ============ */

Test(import_cli, bad_usage_is_exit_2_and_missing_input_exit_1_without_output)
{
    t_tmp_t t;
    t_tmp_init(&t);
    char out[256];
    snprintf(out, sizeof(out), "%s", t_tmp_path(&t, "out.csv"));
    char *no_format[] = {"import", "--output", out, NULL};
    cr_assert_eq(t_import(no_format), 2);
    char *bad_format[] = {"import", "--format", "xml", "--input", "x", "--output", out, NULL};
    cr_assert_eq(t_import(bad_format), 2);
    char *bad_scope[] = {"import",  "--format",          "ofac-sdn", "--input", "x",
                         "--scope", "items.description", "--output", out,       NULL};
    cr_assert_eq(t_import(bad_scope), 2);
    char *missing[] = {"import",   "--format", "ofac-sdn", "--input", "/nonexistent/sdn.csv",
                       "--output", out,        NULL};
    cr_assert_eq(t_import(missing), 1);
    cr_assert_neq(access(out, F_OK), 0, "no output after a failure");
    char tmp[300];
    snprintf(tmp, sizeof(tmp), "%s.tmp", out);
    cr_assert_neq(access(tmp, F_OK), 0, "no temporary file left behind");
    t_tmp_clear(&t);
}
