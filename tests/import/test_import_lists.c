/* test_import_lists.c -- the sanctions-list importers (un-xml, uk-hmt, us-csl, eu-fsf,
 * opensanctions) on the real files of data/watchlists and on small inline files with each
 * list's quirks; every output must load and compile in the screen. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "screen/import.h"
#include "screen/matcher.h"
#include "screen/watchlist.h"

#define LISTS PS_SHARED_DIR "/data/watchlists"
#define UN_FILE LISTS "/un/UN_consolidated_2026.xml"
#define UK_FILE LISTS "/uk/hmt_conlist_2020-04-27.csv"
#define CSL_FILE LISTS "/us_csl/csl_2023-11.csv"
#define EU_FILE LISTS "/eu/eu_fsf_2018-07-04_first1000lines.csv"
#define OS_FILE LISTS "/opensanctions/targets.simple.sample_wd_persons.csv"

/* ============ Helpers ============ */

typedef struct {
    char dir[64];    /* unique temporary directory */
    char out[256];   /* output watchlist */
    char in[256];    /* inline input */
    char log[256];   /* captured stderr */
    core_buf_t text; /* output content after t_run */
    core_buf_t err;  /* stderr content after t_run */
} t_ctx_t;

static void t_init(t_ctx_t *t)
{
    memset(t, 0, sizeof(*t));
    snprintf(t->dir, sizeof(t->dir), "/tmp/ps-lists-XXXXXX");
    cr_assert_not_null(mkdtemp(t->dir), "mkdtemp");
    snprintf(t->out, sizeof(t->out), "%s/out.csv", t->dir);
    snprintf(t->in, sizeof(t->in), "%s/in", t->dir);
    snprintf(t->log, sizeof(t->log), "%s/stderr.txt", t->dir);
}

static void t_read(const char *path, core_buf_t *buf)
{
    core_buf_reset(buf);
    FILE *f = fopen(path, "rb");
    if (f != NULL) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
            core_buf_append(buf, chunk, n);
        fclose(f);
    }
    core_buf_cstr(buf);
}

static void t_write(const char *path, const char *content, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fwrite(content, 1, len, f), len);
    fclose(f);
}

/* Runs the import of 'input' as 'format' into t->out (extra options after), with stderr
 * captured into t->err; returns the exit code. */
static int t_run(t_ctx_t *t, const char *format, const char *input, const char *extra1,
                 const char *extra2)
{
    char *argv[12];
    int argc = 0;
    argv[argc++] = "import";
    argv[argc++] = "--format";
    argv[argc++] = (char *)format;
    argv[argc++] = "--input";
    argv[argc++] = (char *)input;
    argv[argc++] = "--output";
    argv[argc++] = t->out;
    if (extra1) {
        argv[argc++] = (char *)extra1;
        argv[argc++] = (char *)extra2;
    }
    argv[argc] = NULL;
    fflush(stderr);
    int saved = dup(2);
    int fd = open(t->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert_geq(fd, 0);
    dup2(fd, 2);
    close(fd);
    int rc = screen_import_main(argc, argv);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    t_read(t->log, &t->err);
    t_read(t->out, &t->text);
    return rc;
}

static void t_fini(t_ctx_t *t)
{
    core_buf_clear(&t->text);
    core_buf_clear(&t->err);
    DIR *d = opendir(t->dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char p[512];
            snprintf(p, sizeof(p), "%s/%s", t->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(t->dir);
}

/* The output row whose id is 'id', copied into out. */
static bool t_row(const t_ctx_t *t, const char *id, char *out, size_t size)
{
    size_t n = strlen(id);
    for (const char *p = t->text.data; p && *p;) {
        if (strncmp(p, id, n) == 0 && p[n] == ',') {
            const char *end = strchr(p, '\n');
            snprintf(out, size, "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
            return true;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return false;
}

/* Counts rules and entities (ids without their -A<n> suffix; an entity's rows are
 * consecutive) and checks every id starts with 'prefix'. */
static void t_count(const t_ctx_t *t, const char *prefix, size_t *names, size_t *entities)
{
    *names = 0;
    *entities = 0;
    char last[160] = "";
    size_t plen = strlen(prefix);
    for (const char *line = strchr(t->text.data, '\n'); line && line[1];
         line = strchr(line + 1, '\n')) {
        const char *id = line + 1;
        cr_assert(strncmp(id, prefix, plen) == 0, "%.60s", id);
        size_t len = strcspn(id, ",");
        const char *dash = id + len;
        while (dash > id && dash[-1] >= '0' && dash[-1] <= '9')
            dash--;
        if (dash - id >= 2 && dash[-1] == 'A' && dash[-2] == '-' && dash < id + len)
            len = (size_t)(dash - 2 - id);
        char entity[160];
        snprintf(entity, sizeof(entity), "%.*s", (int)len, id);
        (*names)++;
        if (strcmp(entity, last) != 0)
            (*entities)++;
        snprintf(last, sizeof(last), "%s", entity);
    }
}

/* Loads the output with the screen's loader and compiles it with the matcher. */
static void t_compiles(const t_ctx_t *t, size_t names)
{
    char err[CORE_ERR_LEN] = "";
    const char *paths[] = {t->out};
    screen_watchlist_t *wl = screen_watchlist_load(paths, 1, NULL, err);
    cr_assert_not_null(wl, "screen loader refused the import: %s", err);
    cr_assert_eq(screen_watchlist_size(wl), names);
    screen_matcher_t *m = screen_matcher_new(&wl, err);
    cr_assert_not_null(m, "%s", err);
    screen_matcher_destroy(&m);
}

/* ============ UN consolidated XML ============ */

Test(import_un, real_list_gives_every_record_with_aliases_and_compiles)
{
    t_ctx_t t;
    t_init(&t);
    cr_assert_eq(t_run(&t, "un-xml", UN_FILE, NULL, NULL), 0, "%s", t.err.data);
    size_t names, entities;
    t_count(&t, "UN-", &names, &entities);
    cr_assert(entities >= 1000 && entities <= 1003, "entities %zu", entities);
    cr_assert(names >= 3800 && names <= 4500, "names %zu", names);
    cr_assert(strstr(t.err.data, "730 individuals, 273 entities") != NULL, "%s", t.err.data);
    cr_assert(strstr(t.err.data, "addresses skipped") != NULL, "%s", t.err.data);
    char row[512];
    /* An entity FIRST_NAME holding two names separated by ';'. */
    cr_assert(t_row(&t, "UN-6908026", row, sizeof(row)));
    cr_assert(strstr(row, ",COMPAGNIE AERIENNE DES GRANDS LACS (CAGL),80,UN CDe.003 (DRC);"), "%s",
              row);
    cr_assert(t_row(&t, "UN-6908026-A1", row, sizeof(row)));
    cr_assert(strstr(row, ",GREAT LAKES BUSINESS COMPANY (GLBC),80,"), "%s", row);
    /* Individual: names joined; a Low-quality alias is weak. */
    cr_assert(t_row(&t, "UN-6907993", row, sizeof(row)));
    cr_assert(strstr(row, ",ERIC BADEGE,80,UN CDi.001 (DRC); individual; primary name"), "%s", row);
    cr_assert(t_row(&t, "UN-6907996-A2", row, sizeof(row)));
    cr_assert(strstr(row, ",India Queen,50,") && strstr(row, "quality Low"), "%s", row);
    t_compiles(&t, names);
    t_fini(&t);
}

/* Hostile XML: an external entity pointing at a local file, a parameter entity and an
 * internal entity chain. None may be fetched or expanded into a rule. */
Test(import_un, external_and_internal_entities_are_not_expanded)
{
    t_ctx_t t;
    t_init(&t);
    char secret[256], xml[2048];
    snprintf(secret, sizeof(secret), "%s/secret.txt", t.dir);
    t_write(secret, "TOPSECRETNAME\n", 14);
    int n = snprintf(xml, sizeof(xml),
                     "<?xml version=\"1.0\"?>\n"
                     "<!DOCTYPE CONSOLIDATED_LIST [\n"
                     "  <!ENTITY xxe SYSTEM \"file://%s\">\n"
                     "  <!ENTITY %% remote SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n"
                     "  %%remote;\n"
                     "  <!ENTITY lol \"LOLOLOLOL\">\n"
                     "  <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                     "]>\n"
                     "<CONSOLIDATED_LIST><INDIVIDUALS>\n"
                     "<INDIVIDUAL><DATAID>1</DATAID><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER>"
                     "<FIRST_NAME>&xxe;</FIRST_NAME><SECOND_NAME>&lol2;</SECOND_NAME>"
                     "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abu &xxe; "
                     "Hamza</ALIAS_NAME></INDIVIDUAL_ALIAS></INDIVIDUAL>\n"
                     "<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>JOHN</FIRST_NAME>"
                     "<SECOND_NAME>DOE &amp; SONS</SECOND_NAME></INDIVIDUAL>\n"
                     "</INDIVIDUALS></CONSOLIDATED_LIST>\n",
                     secret);
    t_write(t.in, xml, (size_t)n);
    cr_assert_eq(t_run(&t, "un-xml", t.in, NULL, NULL), 0, "%s", t.err.data);
    cr_assert(strstr(t.text.data, "TOPSECRET") == NULL, "external entity expanded:\n%s",
              t.text.data);
    cr_assert(strstr(t.text.data, "LOLOL") == NULL, "internal entity expanded:\n%s", t.text.data);
    char row[512];
    cr_assert(t_row(&t, "UN-1-A1", row, sizeof(row)), "%s", t.text.data);
    cr_assert(strstr(row, ",Abu Hamza,80,"), "%s", row);
    cr_assert(t_row(&t, "UN-2", row, sizeof(row)));
    cr_assert(strstr(row, ",JOHN DOE & SONS,80,"), "predefined entities are plain text: %s", row);
    t_fini(&t);
}

Test(import_un, broken_xml_is_exit_1_with_the_line)
{
    t_ctx_t t;
    t_init(&t);
    const char xml[] = "<CONSOLIDATED_LIST><INDIVIDUALS>\n<INDIVIDUAL><DATAID>1</DATAID>\n";
    t_write(t.in, xml, sizeof(xml) - 1);
    cr_assert_eq(t_run(&t, "un-xml", t.in, NULL, NULL), 1);
    cr_assert(strstr(t.err.data, t.in) != NULL, "%s", t.err.data);
    cr_assert_neq(access(t.out, F_OK), 0, "no output after a failure");
    t_fini(&t);
}

/* ============ UK HMT ============ */

Test(import_uk, real_list_is_decoded_from_1252_grouped_and_compiles)
{
    t_ctx_t t;
    t_init(&t);
    cr_assert_eq(t_run(&t, "uk-hmt", UK_FILE, NULL, NULL), 0, "%s", t.err.data);
    size_t names, entities;
    t_count(&t, "UK-HMT-", &names, &entities);
    cr_assert(entities >= 2100 && entities <= 2114, "entities %zu", entities);
    cr_assert(names >= 5000 && names <= 7000, "names %zu", names);
    cr_assert(strstr(t.err.data, "9492 name rows; 1523 individuals, 591 entities"), "%s",
              t.err.data);
    cr_assert(strstr(t.text.data, "Last Updated") == NULL, "the title row is not a name");
    char row[512];
    /* 0x92 in the file is U+2019 RIGHT SINGLE QUOTATION MARK (E2 80 99 in UTF-8). */
    cr_assert(t_row(&t, "UK-HMT-13190-A4", row, sizeof(row)));
    cr_assert(strstr(row, ",\"AL-MU\xE2\x80\x99"
                          "AYYAD, Abdallah\",80,UK HMT group 13190;"),
              "%s", row);
    /* 0xE9 is U+00E9 (C3 A9). */
    cr_assert(t_row(&t, "UK-HMT-13284", row, sizeof(row)));
    cr_assert(strstr(row, ",\"NGENDAKUMANA, L\xC3\xA9onard\",80,"), "%s", row);
    t_compiles(&t, names);
    t_fini(&t);
}

Test(import_uk, title_row_crlf_1252_bytes_and_alias_types)
{
    t_ctx_t t;
    t_init(&t);
    /* Windows-1252: 0x92 = ’, 0xE9 = é, 0x93/0x94 = “ ”; rows of a group are not adjacent and
     * the second row repeats a name (another date of birth). */
    const char csv[] =
        "Last Updated,27/04/2020\r\n"
        "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Group Type,Alias Type,Regime,"
        "Group ID\r\n"
        "O\x92"
        "BRIEN,Ren\xE9,,,,,Mr,01/01/1970,Individual,AKA,Test,7\r\n"
        "ACME \x93TRADING\x94 LTD,,,,,,,,Entity,Prime Alias,Test,8\r\n"
        "OBRIEN,Rene,Paul,,,,,01/01/1970,Individual,Prime Alias,Test,7\r\n"
        "OBRIEN,Rene,Paul,,,,,02/01/1970,Individual,Prime Alias,Test,7\r\n"
        "OLD ACME CO,,,,,,,,Entity,FKA,Test,8\r\n"
        ",,,,,,,,Entity,AKA,Test,8\r\n";
    t_write(t.in, csv, sizeof(csv) - 1);
    cr_assert_eq(t_run(&t, "uk-hmt", t.in, NULL, NULL), 0, "%s", t.err.data);
    char row[512];
    cr_assert(t_row(&t, "UK-HMT-7", row, sizeof(row)), "%s", t.text.data);
    cr_assert(strstr(row, ",\"OBRIEN, Rene Paul\",80,UK HMT group 7; regime Test; individual;"),
              "the Prime Alias comes first whatever the file order: %s", row);
    cr_assert(t_row(&t, "UK-HMT-7-A1", row, sizeof(row)));
    cr_assert(strstr(row, ",\"O\xE2\x80\x99"
                          "BRIEN, Ren\xC3\xA9\",80,"),
              "%s", row);
    cr_assert(!t_row(&t, "UK-HMT-7-A2", row, sizeof(row)), "repeated name dropped");
    cr_assert(t_row(&t, "UK-HMT-8", row, sizeof(row)));
    cr_assert(strstr(row, ",ACME \xE2\x80\x9CTRADING\xE2\x80\x9D LTD,80,"), "%s", row);
    cr_assert(t_row(&t, "UK-HMT-8-A1", row, sizeof(row)));
    cr_assert(strstr(row, ",OLD ACME CO,50,") && strstr(row, "weak"), "FKA is weak: %s", row);
    cr_assert(strstr(t.err.data, "1 malformed rows"), "the row without a name: %s", t.err.data);
    t_compiles(&t, 4);
    t_fini(&t);
}

Test(import_uk, newer_layout_primary_name_and_low_quality_alias)
{
    t_ctx_t t;
    t_init(&t);
    /* Newer OFSI exports: "Primary name" and an "Alias Quality" column; no title row. */
    const char csv[] = "Name 6,Name 1,Group Type,Alias Type,Alias Quality,Regime,Group ID\r\n"
                       "PETROV,Ivan,Individual,Primary name,,Russia,9\r\n"
                       "PETROFF,Ivan,Individual,AKA,Low quality,Russia,9\r\n"
                       "PETROV,Vanya,Individual,AKA,Good quality,Russia,9\r\n";
    t_write(t.in, csv, sizeof(csv) - 1);
    cr_assert_eq(t_run(&t, "uk-hmt", t.in, NULL, NULL), 0, "%s", t.err.data);
    char row[512];
    cr_assert(t_row(&t, "UK-HMT-9", row, sizeof(row)), "%s", t.text.data);
    cr_assert(strstr(row, ",\"PETROV, Ivan\",80,"), "%s", row);
    cr_assert(t_row(&t, "UK-HMT-9-A1", row, sizeof(row)));
    cr_assert(strstr(row, ",\"PETROFF, Ivan\",50,"), "low quality is weak: %s", row);
    cr_assert(t_row(&t, "UK-HMT-9-A2", row, sizeof(row)));
    cr_assert(strstr(row, ",\"PETROV, Vanya\",80,"), "%s", row);
    t_compiles(&t, 3);
    t_fini(&t);
}

/* ============ US CSL ============ */

Test(import_csl, real_list_skips_the_repeated_header_merges_ids_and_compiles)
{
    t_ctx_t t;
    t_init(&t);
    cr_assert_eq(t_run(&t, "us-csl", CSL_FILE, NULL, NULL), 0, "%s", t.err.data);
    size_t names, entities;
    t_count(&t, "US-CSL-", &names, &entities);
    cr_assert(entities >= 4200 && entities <= 4227, "entities %zu", entities);
    cr_assert(names >= 9500 && names <= 11000, "names %zu", names);
    cr_assert(strstr(t.err.data, "1 repeated header rows skipped"), "%s", t.err.data);
    cr_assert(strstr(t.text.data, ",name,party.name,name,") == NULL, "header row imported");
    char row[512];
    /* _id 17014 is on the SSI and the NS-MBS list: one entity, both sources. */
    cr_assert(t_row(&t, "US-CSL-17014", row, sizeof(row)));
    cr_assert(strstr(row, "NS-MBS List, SSI"), "%s", row);
    cr_assert(t_row(&t, "US-CSL-17014-A3", row, sizeof(row)));
    cr_assert(strstr(row, ",Rosselkhozbank,80,"), "%s", row);
    t_compiles(&t, names);
    t_fini(&t);
}

Test(import_csl, repeated_header_alt_names_and_a_cut_last_record)
{
    t_ctx_t t;
    t_init(&t);
    const char csv[] = "_id,source,entity_number,type,programs,name,addresses,alt_names\n"
                       "_id,source,entity_number,type,programs,name,addresses,alt_names\n"
                       "\"42\",\"Entity List (EL) - Bureau of Industry and Security\",\"\",\"\","
                       "\"\",\"Acme Widgets\",\"1 Road, Town, CN; 2 Road, Town, CN\","
                       "\"Acme W; ; Widgets of Acme\"\n"
                       "\"43\",\"Specially Designated Nationals (SDN) - Treasury Department\","
                       "\"43\",\"Individual\",\"SDGT\",\"DOE, John\",\"\",\"DOE, J.; Doe\"\n"
                       "\"44\",\"Denied Persons List (DPL) - Bureau of Industry and Security\","
                       "\"\",\"\",\"\",\"Cut Off Ltd";
    t_write(t.in, csv, sizeof(csv) - 1);
    cr_assert_eq(t_run(&t, "us-csl", t.in, "--list", "csl-test"), 0, "%s", t.err.data);
    char row[512];
    cr_assert(t_row(&t, "CSL-TEST-42", row, sizeof(row)), "%s", t.text.data);
    cr_assert(strstr(row, ",csl-test,name,party.name,Acme Widgets,80,US CSL EL;"), "%s", row);
    cr_assert(t_row(&t, "CSL-TEST-42-A1", row, sizeof(row)));
    cr_assert(strstr(row, ",Acme W,80,"), "%s", row);
    cr_assert(t_row(&t, "CSL-TEST-42-A2", row, sizeof(row)));
    cr_assert(strstr(row, ",Widgets of Acme,80,"), "%s", row);
    cr_assert(t_row(&t, "CSL-TEST-43-A1", row, sizeof(row)));
    cr_assert(strstr(row, ",\"DOE, J.\",80,"), "%s", row);
    /* A person's one-word alias ("Doe") identifies nobody: dropped, counted as unspecific. */
    cr_assert_not(t_row(&t, "CSL-TEST-43-A2", row, sizeof(row)), "%s", row);
    cr_assert(strstr(t.text.data, ",Doe,") == NULL, "%s", t.text.data);
    cr_assert(strstr(t.text.data, "Cut Off") == NULL);
    cr_assert(strstr(t.err.data, "1 repeated header rows skipped, 1 malformed rows; 2 addresses"),
              "%s", t.err.data);
    t_compiles(&t, 5); /* 6 names less the one-word alias "Doe" */
    t_fini(&t);
}

/* ============ EU FSF ============ */

Test(import_eu, real_truncated_file_gives_its_93_entities_and_compiles)
{
    t_ctx_t t;
    t_init(&t);
    cr_assert_eq(t_run(&t, "eu-fsf", EU_FILE, NULL, NULL), 0, "%s", t.err.data);
    size_t names, entities;
    t_count(&t, "EU-FSF-", &names, &entities);
    cr_assert(entities >= 90 && entities <= 93, "entities %zu", entities);
    cr_assert(names >= 550 && names <= 800, "names %zu", names);
    char row[512];
    cr_assert(t_row(&t, "EU-FSF-1", row, sizeof(row)));
    cr_assert(strstr(row, ",Robert Gabriel Mugabe,80,\"EU FSF entity 1, EU.36.64; programme ZWE;"),
              "%s", row);
    /* Entity 43's line has a quoted field with a ';' inside (""Former Governor ...;""). */
    cr_assert(t_row(&t, "EU-FSF-43", row, sizeof(row)));
    cr_assert(strstr(row, ",Aziz Salih al-Numan,80,"), "%s", row);
    cr_assert(strstr(t.err.data, "0 malformed lines"), "%s", t.err.data);
    t_compiles(&t, names);
    t_fini(&t);
}

Test(import_eu, a_line_cut_in_the_middle_is_counted_not_fatal)
{
    t_ctx_t t;
    t_init(&t);
    core_buf_t file = {0};
    t_read(EU_FILE, &file);
    /* Keep 50 lines and half of the 51st, as a cut download would. */
    size_t at = 0;
    for (int line = 0; line < 50; line++)
        at = (size_t)(strchr(file.data + at, '\n') - file.data) + 1;
    size_t next = (size_t)(strchr(file.data + at, '\n') - file.data);
    t_write(t.in, file.data, at + (next - at) / 2);
    core_buf_clear(&file);
    cr_assert_eq(t_run(&t, "eu-fsf", t.in, NULL, NULL), 0, "%s", t.err.data);
    cr_assert(strstr(t.err.data, "50 lines,"), "%s", t.err.data);
    cr_assert(strstr(t.err.data, "1 malformed lines"), "%s", t.err.data);
    size_t names, entities;
    t_count(&t, "EU-FSF-", &names, &entities);
    cr_assert_gt(entities, 3);
    t_compiles(&t, names);
    t_fini(&t);
}

/* ============ OpenSanctions ============ */

Test(import_os, targets_simple_gives_names_and_aliases_without_one_word_person_aliases)
{
    t_ctx_t t;
    t_init(&t);
    cr_assert_eq(t_run(&t, "opensanctions", OS_FILE, NULL, NULL), 0, "%s", t.err.data);
    size_t names, entities;
    t_count(&t, "OPENSANCTIONS-", &names, &entities);
    cr_assert_eq(entities, 10);
    cr_assert(names >= 100 && names <= 130, "names %zu", names);
    char row[512];
    cr_assert(t_row(&t, "OPENSANCTIONS-Q296771", row, sizeof(row)));
    cr_assert(strstr(row, ",Saad Hariri,80,OpenSanctions Q296771; Person;"), "%s", row);
    /* The one-word alias "Hariri" is dropped: it would hit every namesake. */
    cr_assert(strstr(t.text.data, ",Hariri,") == NULL, "%s", t.text.data);
    t_compiles(&t, names);
    t_fini(&t);
}

/* ============ All lists together ============ */

Test(import_lists, every_list_loads_together_without_id_collisions)
{
    static const struct {
        const char *format, *input;
    } lists[] = {{"un-xml", UN_FILE},
                 {"uk-hmt", UK_FILE},
                 {"us-csl", CSL_FILE},
                 {"eu-fsf", EU_FILE},
                 {"opensanctions", OS_FILE}};
    t_ctx_t t;
    t_init(&t);
    char paths[5][256];
    const char *p[5];
    size_t total = 0;
    for (size_t i = 0; i < 5; i++) {
        snprintf(t.out, sizeof(t.out), "%s/%s.csv", t.dir, lists[i].format);
        cr_assert_eq(t_run(&t, lists[i].format, lists[i].input, NULL, NULL), 0, "%s", t.err.data);
        snprintf(paths[i], sizeof(paths[i]), "%s", t.out);
        p[i] = paths[i];
        size_t names, entities;
        t_count(&t, "", &names, &entities);
        total += names;
    }
    char err[CORE_ERR_LEN] = "";
    screen_watchlist_t *wl = screen_watchlist_load(p, 5, NULL, err);
    cr_assert_not_null(wl, "%s", err);
    cr_assert_eq(screen_watchlist_size(wl), total);
    screen_matcher_t *m = screen_matcher_new(&wl, err);
    cr_assert_not_null(m, "%s", err);
    screen_matcher_destroy(&m);
    t_fini(&t);
}

/* ============ Usage ============ */

Test(import_lists, list_formats_need_input_and_a_name_scope)
{
    t_ctx_t t;
    t_init(&t);
    char *no_input[] = {"import", "--format", "un-xml", "--output", t.out, NULL};
    cr_assert_eq(screen_import_main(5, no_input), 2);
    char *bad_scope[] = {"import",  "--format",          "uk-hmt",   "--input", "x.csv",
                         "--scope", "items.description", "--output", t.out,     NULL};
    cr_assert_eq(screen_import_main(9, bad_scope), 2);
    cr_assert_eq(t_run(&t, "us-csl", "/nonexistent/csl.csv", NULL, NULL), 1);
    cr_assert_neq(access(t.out, F_OK), 0, "no output after a failure");
    t_fini(&t);
}
