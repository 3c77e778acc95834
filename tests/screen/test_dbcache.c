/* test_dbcache.c -- the compiled-database file (screen --compiled, watchlist compile):
 * round trip, key mismatch, and bad files that must only mean "recompile". */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

/* Every database slot in use: name and keyword literals in two classes, regexes in two. */
static const char *s_list_a = TH_HEADER "N1,sdn,name,party.name,\"AL ZAWAHIRI, Ayman\",100,\n"
                                        "K1,goods,keyword,items.description,replica,60,\n"
                                        "K2,goods,keyword,party.address,free zone,40,\n"
                                        "R1,goods,regex,items.description,\"fake\\s+rolex\",70,\n"
                                        "R2,goods,regex,party.name,\"shell\\s+co\\b\",30,\n"
                                        "H1,goods,hscode,items.hs_code,9302,50,\n";

/* The same patterns as list A, other weights and notes. */
static const char *s_list_a_weights =
    TH_HEADER "N1,sdn,name,party.name,\"AL ZAWAHIRI, Ayman\",90,changed\n"
              "K1,goods,keyword,items.description,replica,50,\n"
              "K2,goods,keyword,party.address,free zone,40,\n"
              "R1,goods,regex,items.description,\"fake\\s+rolex\",70,\n"
              "R2,goods,regex,party.name,\"shell\\s+co\\b\",30,\n"
              "H1,goods,hscode,items.hs_code,9302,50,\n";

/* One keyword more. */
static const char *s_list_b = TH_HEADER "N1,sdn,name,party.name,\"AL ZAWAHIRI, Ayman\",100,\n"
                                        "K1,goods,keyword,items.description,replica,60,\n"
                                        "K2,goods,keyword,party.address,free zone,40,\n"
                                        "K3,goods,keyword,items.description,ivory,80,\n"
                                        "R1,goods,regex,items.description,\"fake\\s+rolex\",70,\n"
                                        "R2,goods,regex,party.name,\"shell\\s+co\\b\",30,\n"
                                        "H1,goods,hscode,items.hs_code,9302,50,\n";

typedef struct {
    th_tmp_t tmp;
    const char *csv; /* watchlist path */
    char db[512];    /* compiled-database path */
} s_fx_t;

static void s_fx_init(s_fx_t *fx, const char *csv)
{
    th_tmp_init(&fx->tmp);
    fx->csv = th_tmp_write(&fx->tmp, "wl.csv", csv, -1);
    snprintf(fx->db, sizeof(fx->db), "%s/wl.hsdb", fx->tmp.dir);
}

static void s_fx_clear(s_fx_t *fx)
{
    unlink(fx->db);
    th_tmp_clear(&fx->tmp);
}

/* Builds a matcher from fx->csv with the compiled file at 'db'. */
static screen_matcher_t *s_build(const s_fx_t *fx, const char *db)
{
    char err[CORE_ERR_LEN] = "";
    screen_watchlist_t *wl = screen_watchlist_load(&fx->csv, 1, NULL, err);
    cr_assert_not_null(wl, "load: %s", err);
    screen_matcher_opts_t opts = {.compiled = db};
    screen_matcher_t *m = screen_matcher_new_opts(&wl, &opts, err);
    cr_assert_not_null(m, "compile: %s", err);
    return m;
}

static screen_db_source_t s_source(const s_fx_t *fx)
{
    screen_matcher_t *m = s_build(fx, fx->db);
    screen_db_source_t src = screen_matcher_info(m)->db_source;
    screen_matcher_destroy(&m);
    return src;
}

/* Screens a parcel that hits every rule of list A (and K3 of list B); returns the hit rule ids
 * joined in order, so two matchers can be compared. */
static void s_hits(const screen_matcher_t *m, char *out, size_t cap)
{
    char err[CORE_ERR_LEN] = "";
    screen_scanner_t *sc = screen_scanner_new(m, NULL, err);
    cr_assert_not_null(sc, "scanner: %s", err);
    core_arena_t arena;
    core_arena_init(&arena, 0);
    proto_parcel_t p;
    proto_item_t items[1];
    th_parcel(&p, items, "P1", "a fake  rolex replica with ivory inlay");
    items[0].hs_code = th_s("930200");
    p.sender.name = th_s("Ayman al Zawahiri");
    p.recipient.name = th_s("shell co ltd");
    p.recipient.address = th_s("Jebel Ali Free Zone 7");
    proto_verdict_t v;
    cr_assert_eq(screen_scanner_screen(sc, &p, &v, &arena), 0);
    out[0] = '\0';
    for (uint32_t i = 0; i < v.hit_count; i++) {
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%.*s@%.*s;", (int)v.hits[i].rule_id.len, v.hits[i].rule_id.ptr,
                 (int)v.hits[i].field.len, v.hits[i].field.ptr);
    }
    screen_scanner_destroy(&sc);
    core_arena_clear(&arena);
}

static size_t s_file_size(const char *path)
{
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0, "stat %s", path);
    return (size_t)sb.st_size;
}

static char *s_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    *len = s_file_size(path);
    char *data = malloc(*len ? *len : 1);
    cr_assert_eq(fread(data, 1, *len, f), *len);
    fclose(f);
    return data;
}

static void s_spit(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

Test(screen_dbcache, round_trip_loads_the_same_databases)
{
    s_fx_t fx;
    s_fx_init(&fx, s_list_a);
    char plain[1024];
    char written[1024];
    char loaded[1024];
    screen_matcher_t *m = s_build(&fx, NULL);
    cr_assert_eq(screen_matcher_info(m)->db_source, SCREEN_DB_COMPILED);
    s_hits(m, plain, sizeof(plain));
    screen_matcher_destroy(&m);
    cr_assert_eq(access(fx.db, F_OK), -1, "no file without --compiled");

    m = s_build(&fx, fx.db);
    cr_assert_eq(screen_matcher_info(m)->db_source, SCREEN_DB_WRITTEN);
    char key[17];
    memcpy(key, screen_matcher_info(m)->db_key, sizeof(key));
    cr_assert_eq(strlen(key), 16);
    s_hits(m, written, sizeof(written));
    screen_matcher_destroy(&m);

    m = s_build(&fx, fx.db);
    const screen_matcher_info_t *info = screen_matcher_info(m);
    cr_assert_eq(info->db_source, SCREEN_DB_LOADED);
    cr_assert_str_eq(info->db_key, key);
    for (int c = 0; c < SCREEN_CLASS_COUNT; c++)
        cr_assert_eq(info->literal_db_bytes[c] > 0 || info->literal_patterns[c] == 0, true);
    cr_assert_gt(info->scratch_bytes, 0);
    s_hits(m, loaded, sizeof(loaded));
    screen_matcher_destroy(&m);

    cr_assert_str_eq(written, plain);
    cr_assert_str_eq(loaded, plain);
    /* Every rule fired, so every database took part. */
    const char *ids[] = {"N1@", "K1@", "K2@", "R1@", "R2@", "H1@"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(ids); i++)
        cr_assert_not_null(strstr(loaded, ids[i]), "%s missing in %s", ids[i], loaded);
    s_fx_clear(&fx);
}

Test(screen_dbcache, other_patterns_recompile_and_rewrite_same_patterns_reuse)
{
    s_fx_t fx;
    s_fx_init(&fx, s_list_a);
    cr_assert_eq(s_source(&fx), SCREEN_DB_WRITTEN);
    cr_assert_eq(s_source(&fx), SCREEN_DB_LOADED);

    /* Weights and notes are not compiled: the databases are the same. */
    th_tmp_write(&fx.tmp, "wl.csv", s_list_a_weights, -1);
    cr_assert_eq(s_source(&fx), SCREEN_DB_LOADED);

    /* A new keyword: key mismatch, compiled, file rewritten, and the new rule hits. */
    th_tmp_write(&fx.tmp, "wl.csv", s_list_b, -1);
    screen_matcher_t *m = s_build(&fx, fx.db);
    cr_assert_eq(screen_matcher_info(m)->db_source, SCREEN_DB_WRITTEN);
    char hits[1024];
    s_hits(m, hits, sizeof(hits));
    cr_assert_not_null(strstr(hits, "K3@items[0].description"), "%s", hits);
    screen_matcher_destroy(&m);
    cr_assert_eq(s_source(&fx), SCREEN_DB_LOADED);

    /* Back to A: the file holds B now. */
    th_tmp_write(&fx.tmp, "wl.csv", s_list_a, -1);
    m = s_build(&fx, fx.db);
    cr_assert_eq(screen_matcher_info(m)->db_source, SCREEN_DB_WRITTEN);
    s_hits(m, hits, sizeof(hits));
    cr_assert_null(strstr(hits, "K3@"), "%s", hits);
    screen_matcher_destroy(&m);
    s_fx_clear(&fx);
}

/* Writes the compiled file of fx's list; returns its bytes (malloc'd, *len) and the hits
 * of a matcher compiled without it in expect: what every damaged copy must still give. */
static char *s_written(s_fx_t *fx, char *expect, size_t cap, size_t *len)
{
    cr_assert_eq(s_source(fx), SCREEN_DB_WRITTEN);
    screen_matcher_t *m = s_build(fx, NULL);
    s_hits(m, expect, cap);
    screen_matcher_destroy(&m);
    return s_slurp(fx->db, len);
}

/* Writes 'data' as the compiled file, builds, expects a recompile that screens like the
 * original and a rewritten file that loads next time. */
static void s_expect_recompile(s_fx_t *fx, const char *data, size_t len, const char *expect,
                               const char *what)
{
    s_spit(fx->db, data, len);
    screen_matcher_t *m = s_build(fx, fx->db);
    cr_assert_eq(screen_matcher_info(m)->db_source, SCREEN_DB_WRITTEN, "%s: not recompiled", what);
    char hits[1024];
    s_hits(m, hits, sizeof(hits));
    cr_assert_str_eq(hits, expect, "%s", what);
    screen_matcher_destroy(&m);
    cr_assert_eq(s_source(fx), SCREEN_DB_LOADED, "%s: file not rewritten", what);
}

Test(screen_dbcache, truncated_file_recompiles, .timeout = 120)
{
    s_fx_t fx;
    s_fx_init(&fx, s_list_a);
    char expect[1024];
    size_t len;
    char *good = s_written(&fx, expect, sizeof(expect), &len);
    cr_assert_gt(len, 200);
    /* Empty, inside the magic, inside the header, inside each database, without the digest,
     * one byte short. */
    size_t cuts[] = {0, 1, 7, 8, 40, 48, 100, len / 3, len / 2, len - 40, len - 32, len - 1};
    for (size_t i = 0; i < CORE_ARRAY_LEN(cuts); i++) {
        char what[64];
        snprintf(what, sizeof(what), "cut at %zu of %zu", cuts[i], len);
        s_expect_recompile(&fx, good, cuts[i], expect, what);
    }
    /* Longer than it says. */
    char *longer = malloc(len + 16);
    memcpy(longer, good, len);
    memset(longer + len, 0, 16);
    s_expect_recompile(&fx, longer, len + 16, expect, "16 bytes appended");
    free(longer);
    free(good);
    s_fx_clear(&fx);
}

Test(screen_dbcache, corrupt_or_hostile_file_recompiles, .timeout = 120)
{
    s_fx_t fx;
    s_fx_init(&fx, s_list_a);
    char expect[1024];
    size_t len;
    char *good = s_written(&fx, expect, sizeof(expect), &len);
    char *bad = malloc(len);
    /* One flipped bit at spread positions: magic, key, slot table, databases, digest. */
    for (size_t pos = 0; pos < len; pos += len / 29 + 1) {
        memcpy(bad, good, len);
        bad[pos] ^= 0x10;
        char what[64];
        snprintf(what, sizeof(what), "bit flip at %zu of %zu", pos, len);
        s_expect_recompile(&fx, bad, len, expect, what);
    }
    /* A slot table claiming huge databases. */
    memcpy(bad, good, len);
    memset(bad + 48, 0xff, 16);
    s_expect_recompile(&fx, bad, len, expect, "huge slot lengths");
    /* Garbage of the right magic. */
    for (size_t i = 8; i < len; i++)
        bad[i] = (char)(i * 131 + 7);
    s_expect_recompile(&fx, bad, len, expect, "garbage after the magic");
    s_expect_recompile(&fx, "not a database\n", 15, expect, "text file");
    free(bad);
    free(good);
    s_fx_clear(&fx);
}

Test(screen_dbcache, unwritable_file_still_compiles)
{
    s_fx_t fx;
    s_fx_init(&fx, s_list_a);
    char path[600];
    snprintf(path, sizeof(path), "%s/no/such/dir/wl.hsdb", fx.tmp.dir);
    screen_matcher_t *m = s_build(&fx, path);
    cr_assert_eq(screen_matcher_info(m)->db_source, SCREEN_DB_WRITE_FAILED);
    char hits[1024];
    s_hits(m, hits, sizeof(hits));
    cr_assert_not_null(strstr(hits, "K1@"), "%s", hits);
    screen_matcher_destroy(&m);
    /* A directory where the file should be: not read, not replaced. */
    cr_assert_eq(mkdir(fx.db, 0700), 0);
    m = s_build(&fx, fx.db);
    cr_assert_eq(screen_matcher_info(m)->db_source, SCREEN_DB_WRITE_FAILED);
    screen_matcher_destroy(&m);
    rmdir(fx.db);
    s_fx_clear(&fx);
}

/* A file whose own checksum is right (as if written by someone else) but whose databases'
 * headers are damaged: Hyperscan's checks (hs_serialized_database_size,
 * hs_deserialize_database: magic, version, platform, lengths) refuse it. Found while writing
 * this: Hyperscan 5.4.0 loads a database with a changed byte in the middle of its bytecode,
 * so the file's own digest is what catches bit flips there (truncated/corrupt tests). */
Test(screen_dbcache, damaged_database_with_valid_checksum_recompiles, .timeout = 120)
{
    s_fx_t fx;
    s_fx_init(&fx, s_list_a);
    char expect[1024];
    size_t len;
    char *good = s_written(&fx, expect, sizeof(expect), &len);
    char *bad = malloc(len);
    /* Layout (dbcache.c): 8 magic + 32 key + 8 + 6 x 8 lengths = 96, then the databases. */
    const size_t header = 96;
    uint64_t first;
    memcpy(&first, good + 48, sizeof(first));
    cr_assert_gt(first, 64);
    size_t spots[] = {header, header + 4, header + 8, header + 12, header + 20, header + 40};
    for (size_t i = 0; i < CORE_ARRAY_LEN(spots); i++) {
        memcpy(bad, good, len);
        bad[spots[i]] ^= 0x5a;
        crypto_generichash((unsigned char *)bad + len - 32, 32, (const unsigned char *)bad,
                           len - 32, NULL, 0);
        char what[64];
        snprintf(what, sizeof(what), "database byte %zu changed", spots[i] - header);
        s_expect_recompile(&fx, bad, len, expect, what);
    }
    free(bad);
    free(good);
    s_fx_clear(&fx);
}
