/* test_allowlist.c -- the officers' allow-list: filled by false_positive resolutions, listed,
 * exported as CSV, removed; hostile stored hits; old databases. */
#include <criterion/criterion.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "sink/allowlist.h"
#include "sink/queue.h"
#include "sink/store.h"

#define SEC 1000000000LL
#define T0 (1795000100LL * SEC) /* 2026-11-18T11:08:20.000Z */

static test_dir_t s_dir;
static sink_queue_t *s_queue;

/* A, B, C: keyword + name (SDN-4471 "Ivanov, Petr") + hscode hits; D: keyword only. */
static const test_verdict_t s_entries[] = {
    {"A", 90, PROTO_CHANNEL_RED, 3, false, false},
    {"B", 90, PROTO_CHANNEL_RED, 3, false, false},
    {"C", 90, PROTO_CHANNEL_RED, 3, false, false},
    {"D", 60, PROTO_CHANNEL_YELLOW, 1, false, false},
};

static void s_setup(void)
{
    test_dir_make(&s_dir);
    test_db_store(s_dir.db, s_entries, CORE_ARRAY_LEN(s_entries), T0 - 10 * SEC);
    char err[CORE_ERR_LEN] = "";
    s_queue = sink_queue_open(s_dir.db, 1000, err);
    cr_assert_not_null(s_queue, "%s", err);
}

static void s_teardown(void)
{
    sink_queue_destroy(&s_queue);
    test_dir_remove(&s_dir);
}

TestSuite(sink_allowlist, .init = s_setup, .fini = s_teardown, .timeout = 30);

static void s_claim_resolve(const char *parcel, const char *officer, const char *outcome,
                            int64_t now)
{
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(sink_queue_claim(s_queue, parcel, officer, 600 * SEC, now, NULL, err), 0, "%s",
                 err);
    cr_assert_eq(sink_queue_resolve(s_queue, parcel, officer, outcome, "n", now + SEC, err), 0,
                 "%s", err);
}

/* Collects "rule|name|by|at_s|parcel" lines. */
static int s_collect(const sink_allowlist_entry_t *e, void *arg)
{
    core_buf_t *buf = arg;
    core_buf_printf(buf, "%s|%s|%s|%lld|%s\n", e->rule_id, e->name_key, e->added_by,
                    (long long)(e->added_at_ns / SEC), e->parcel_id);
    return 0;
}

static char *s_list(void)
{
    char err[CORE_ERR_LEN] = "";
    core_buf_t buf = {0};
    cr_assert_eq(sink_allowlist_list(s_dir.db, s_collect, &buf, err), 0, "%s", err);
    char *text = strdup(buf.len ? core_buf_cstr(&buf) : "");
    core_buf_clear(&buf);
    return text;
}

static char *s_export(void)
{
    char err[CORE_ERR_LEN] = "";
    test_mem_t m;
    test_mem_open(&m);
    size_t rows = 0;
    cr_assert_eq(sink_allowlist_write_csv(s_dir.db, m.file, &rows, err), 0, "%s", err);
    char *text = strdup(test_mem_text(&m));
    test_mem_close(&m);
    return text;
}

static void s_sql(const char *sql)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(s_dir.db, &db), SQLITE_OK);
    char *msg = NULL;
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", sql, msg ? msg : "");
    sqlite3_close(db);
}

Test(sink_allowlist, false_positive_allow_lists_the_name_hits_of_the_verdict)
{
    cr_assert_str_empty(s_list());
    s_claim_resolve("A", "alice", "false_positive", T0);
    cr_assert_eq(sink_queue_allowlist_added(s_queue), 1, "only the name hit, not keyword/hscode");
    char *list = s_list();
    cr_assert_str_eq(list, "SDN-4471|Ivanov, Petr|alice|1795000101|A\n");
    free(list);

    /* The same party + rule again: nothing new, the first resolution stays on record. */
    s_claim_resolve("B", "bob", "false_positive", T0 + 60 * SEC);
    cr_assert_eq(sink_queue_allowlist_added(s_queue), 0);
    list = s_list();
    cr_assert_str_eq(list, "SDN-4471|Ivanov, Petr|alice|1795000101|A\n");
    free(list);
}

Test(sink_allowlist, other_outcomes_and_verdicts_without_name_hits_add_nothing)
{
    static const char *const outcomes[] = {"released", "inspected_clear", "seized", "referred"};
    const char *parcels[] = {"A", "B", "C"};
    for (size_t i = 0; i < 3; i++) {
        s_claim_resolve(parcels[i], "alice", outcomes[i], T0);
        cr_assert_eq(sink_queue_allowlist_added(s_queue), 0);
    }
    s_claim_resolve("D", "alice", "false_positive", T0);
    cr_assert_eq(sink_queue_allowlist_added(s_queue), 0, "D has a keyword hit only");
    char *list = s_list();
    cr_assert_str_empty(list);
    free(list);
}

Test(sink_allowlist, a_refused_resolution_adds_nothing)
{
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(sink_queue_resolve(s_queue, "A", "alice", "false_positive", NULL, T0, err), -EPERM,
                 "not claimed");
    cr_assert_eq(sink_queue_allowlist_added(s_queue), 0);
    cr_assert_eq(sink_queue_claim(s_queue, "A", "alice", 600 * SEC, T0, NULL, err), 0, "%s", err);
    cr_assert_eq(sink_queue_resolve(s_queue, "A", "bob", "false_positive", NULL, T0, err), -EPERM);
    char *list = s_list();
    cr_assert_str_empty(list);
    free(list);
}

Test(sink_allowlist, export_writes_rfc4180_csv)
{
    s_claim_resolve("A", "alice", "false_positive", T0);
    char *csv = s_export();
    cr_assert_str_eq(csv, "rule_id,name_key,added_by,added_at,parcel_id\n"
                          "SDN-4471,\"Ivanov, Petr\",alice,2026-11-18T11:08:21.000Z,A\n");
    free(csv);
}

Test(sink_allowlist, hostile_stored_hits_are_skipped_or_quoted)
{
    /* Quotes, a newline and a comma in a name; an over-long rule id; a non-string matched; a
     * hit that is not an object. */
    s_sql(
        "UPDATE verdicts SET hits = json_array("
        "json_object('rule_id', 'R-1', 'kind', 'name', 'matched', 'a \"b\"' || char(10) || 'c,d'),"
        "json_object('rule_id', replace(hex(zeroblob(300)), '00', 'x'), 'kind', 'name', 'matched', "
        "'Long'),"
        "json_object('rule_id', 'R-2', 'kind', 'name', 'matched', 42),"
        "json_object('rule_id', 'R-3', 'kind', 'name', 'matched', ''),"
        "'not an object', 7) WHERE parcel_id = 'A'");
    s_claim_resolve("A", "alice", "false_positive", T0);
    cr_assert_eq(sink_queue_allowlist_added(s_queue), 1);
    char *csv = s_export();
    cr_assert_str_eq(csv, "rule_id,name_key,added_by,added_at,parcel_id\n"
                          "R-1,\"a \"\"b\"\"\nc,d\",alice,2026-11-18T11:08:21.000Z,A\n");
    free(csv);

    /* Hits that are not JSON at all: the resolution still goes through. */
    s_sql("UPDATE verdicts SET hits = '[{\"rule_id\": broken' WHERE parcel_id = 'B'");
    s_claim_resolve("B", "alice", "false_positive", T0);
    cr_assert_eq(sink_queue_allowlist_added(s_queue), 0);
}

Test(sink_allowlist, remove_takes_one_entry_out)
{
    s_claim_resolve("A", "alice", "false_positive", T0);
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(sink_allowlist_remove(s_dir.db, "SDN-4471", "Ivanov Petr", err), -ENOENT,
                 "exact stored text only");
    cr_assert_not_null(strstr(err, "no allow-list entry"), "%s", err);
    cr_assert_eq(sink_allowlist_remove(s_dir.db, "SDN-4471", "Ivanov, Petr", err), 0, "%s", err);
    char *list = s_list();
    cr_assert_str_empty(list);
    free(list);
    cr_assert_eq(sink_allowlist_remove(s_dir.db, "SDN-4471", "Ivanov, Petr", err), -ENOENT);
    /* Once removed, the next false_positive adds it again. */
    s_claim_resolve("B", "bob", "false_positive", T0);
    cr_assert_eq(sink_queue_allowlist_added(s_queue), 1);
}

Test(sink_allowlist, export_file_for_run)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/allow.csv", s_dir.dir);
    char err[CORE_ERR_LEN] = "";
    size_t rows = 99;
    /* No entries yet: no file. */
    cr_assert_eq(sink_allowlist_export_file(s_dir.db, path, &rows, err), 0, "%s", err);
    cr_assert_eq(rows, 0);
    cr_assert_neq(access(path, F_OK), 0);
    /* No database at all: no file, no error. */
    char missing[256];
    snprintf(missing, sizeof(missing), "%s/none.db", s_dir.dir);
    cr_assert_eq(sink_allowlist_export_file(missing, path, &rows, err), 0, "%s", err);
    cr_assert_neq(access(missing, F_OK), 0, "never creates the database");

    s_claim_resolve("A", "alice", "false_positive", T0);
    cr_assert_eq(sink_allowlist_export_file(s_dir.db, path, &rows, err), 0, "%s", err);
    cr_assert_eq(rows, 1);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    char line[256];
    cr_assert_not_null(fgets(line, sizeof(line), f));
    cr_assert_str_eq(line, "rule_id,name_key,added_by,added_at,parcel_id\n");
    fclose(f);

    /* A file that is not a database is an error with a reason. */
    char junk[256];
    snprintf(junk, sizeof(junk), "%s/junk.db", s_dir.dir);
    f = fopen(junk, "w");
    for (int i = 0; i < 100; i++)
        fputs("not a database at all\n", f);
    fclose(f);
    cr_assert_neq(sink_allowlist_export_file(junk, path, &rows, err), 0);
    cr_assert_neq(err[0], '\0');
}

Test(sink_allowlist, a_schema_1_database_is_migrated_by_the_queue)
{
    sink_queue_destroy(&s_queue);
    s_sql("DROP TABLE allowlist; PRAGMA user_version = 1");
    char path[256];
    snprintf(path, sizeof(path), "%s/allow.csv", s_dir.dir);
    char err[CORE_ERR_LEN] = "";
    size_t rows = 99;
    cr_assert_eq(sink_allowlist_export_file(s_dir.db, path, &rows, err), 0, "%s", err);
    cr_assert_eq(rows, 0, "a database from before the allow-list has none");
    core_buf_t buf = {0};
    cr_assert_neq(sink_allowlist_list(s_dir.db, s_collect, &buf, err), 0);
    cr_assert_not_null(strstr(err, "schema version 1"), "%s", err);
    s_queue = sink_queue_open(s_dir.db, 1000, err);
    cr_assert_not_null(s_queue, "%s", err);
    s_claim_resolve("A", "alice", "false_positive", T0);
    cr_assert_eq(sink_queue_allowlist_added(s_queue), 1);
    core_buf_clear(&buf);
}

Test(sink_allowlist, cli_usage_errors)
{
    char *none[] = {"allowlist", NULL};
    cr_assert_eq(sink_allowlist_main(1, none), 2);
    char *bad[] = {"allowlist", "purge", "--db", s_dir.db, NULL};
    cr_assert_eq(sink_allowlist_main(4, bad), 2);
    char *nodb[] = {"allowlist", "list", NULL};
    cr_assert_eq(sink_allowlist_main(2, nodb), 2);
    char *noname[] = {"allowlist", "remove", "--db", s_dir.db, "--rule", "R", NULL};
    cr_assert_eq(sink_allowlist_main(6, noname), 2);
    char missing[256];
    snprintf(missing, sizeof(missing), "%s/none.db", s_dir.dir);
    char *nofile[] = {"allowlist", "list", "--db", missing, NULL};
    cr_assert_eq(sink_allowlist_main(4, nofile), 1);
    cr_assert_neq(access(missing, F_OK), 0, "never creates the database");
    char *gone[] = {"allowlist", "remove", "--db", s_dir.db, "--rule", "R", "--name", "x", NULL};
    cr_assert_eq(sink_allowlist_main(8, gone), 1);
}
