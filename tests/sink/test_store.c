/* test_store.c -- sink_store: round trip through export, idempotency, admission, durability. */
#include <criterion/criterion.h>
#include <errno.h>
#include <sqlite3.h>
#include <string.h>

#include "helpers.h"
#include "sink/export.h"
#include "sink/store.h"

static test_dir_t s_dir;

static void s_setup(void)
{
    test_dir_make(&s_dir);
}

static void s_teardown(void)
{
    test_dir_remove(&s_dir);
}

TestSuite(sink_store, .init = s_setup, .fini = s_teardown, .timeout = 30);

/* A hit verdict, a clean one, a random selection, and one whose only hit is suppressed. */
static const test_verdict_t s_mixed[] = {
    { "P0001", 72, PROTO_CHANNEL_RED, 2, false, false },
    { "P0002", 0, PROTO_CHANNEL_GREEN, 0, false, false },
    { "P0003", 0, PROTO_CHANNEL_GREEN, 0, false, true },
    { "P0004", 0, PROTO_CHANNEL_GREEN, 1, true, false },
    { "P0005", 48, PROTO_CHANNEL_YELLOW, 3, false, false },
};

static sink_store_t *s_open(void)
{
    char err[CORE_ERR_LEN] = "";
    sink_store_t *store = sink_store_open(s_dir.db, SINK_SYNC_FULL, 1000, err);
    cr_assert_not_null(store, "%s", err);
    return store;
}

static void s_put(sink_store_t *store, uint64_t seq, const test_verdict_t *v, size_t n,
                  sink_store_counts_t *counts)
{
    core_buf_t buf = { 0 };
    core_arena_t arena;
    core_arena_init(&arena, 0);
    proto_verdict_batch_t batch;
    test_batch_make(&buf, &arena, seq, v, n, &batch);
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(sink_store_put(store, &batch, 1795000001000000000LL, counts, err), 0, "%s", err);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

/* What proto itself prints for these verdicts, one per line, in order. */
static void s_expected_ndjson(const test_verdict_t *v, size_t n, core_buf_t *out)
{
    core_buf_t buf = { 0 };
    core_arena_t arena;
    core_arena_init(&arena, 0);
    proto_verdict_batch_t batch;
    test_batch_make(&buf, &arena, 1, v, n, &batch);
    for (uint32_t i = 0; i < batch.count; i++) {
        proto_verdict_to_json(&batch.verdicts[i], batch.watchlist_version, out);
        core_buf_append_byte(out, '\n');
    }
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

static char *s_export(const char *parcel_id, int expect_rc)
{
    test_mem_t mem;
    test_mem_open(&mem);
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(sink_export_ndjson(s_dir.db, parcel_id, mem.file, err), expect_rc, "%s", err);
    char *text = strdup(test_mem_text(&mem));
    test_mem_close(&mem);
    return text;
}

/* One integer from a query on a separate connection, as an officer's tool would see it. */
static long long s_query_int(const char *sql)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(s_dir.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *stmt = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(stmt), SQLITE_ROW, "%s", sql);
    long long v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return v;
}

Test(sink_store, export_prints_exactly_what_proto_prints)
{
    sink_store_t *store = s_open();
    s_put(store, 1, s_mixed, CORE_ARRAY_LEN(s_mixed), NULL);
    sink_store_destroy(&store);
    cr_assert_null(store);

    core_buf_t expected = { 0 };
    s_expected_ndjson(s_mixed, CORE_ARRAY_LEN(s_mixed), &expected);
    char *text = s_export(NULL, 0);
    cr_assert_str_eq(text, core_buf_cstr(&expected));
    free(text);
    core_buf_clear(&expected);
}

Test(sink_store, clean_verdicts_export_empty_hits_and_store_null)
{
    sink_store_t *store = s_open();
    s_put(store, 1, s_mixed, CORE_ARRAY_LEN(s_mixed), NULL);
    sink_store_destroy(&store);

    char *text = s_export("P0002", 0);
    cr_assert_not_null(strstr(text, "\"hits\":[]"), "%s", text);
    cr_assert_eq(test_count_lines(text), 1);
    free(text);
    cr_assert_eq(s_query_int("SELECT count(*) FROM verdicts WHERE hits IS NULL"), 2);
    /* The stored hits are a JSON array that SQLite itself can read. */
    cr_assert_eq(s_query_int("SELECT json_array_length(hits) FROM verdicts"
                             " WHERE parcel_id = 'P0005'"),
                 3);
    cr_assert_eq(s_query_int("SELECT count(*) FROM verdicts, json_each(verdicts.hits)"
                             " WHERE json_extract(json_each.value, '$.rule_id') = 'SDN-4471'"),
                 2);
}

Test(sink_store, export_of_an_unknown_parcel_is_enoent)
{
    sink_store_t *store = s_open();
    s_put(store, 1, s_mixed, 1, NULL);
    sink_store_destroy(&store);
    char *text = s_export("nope", -ENOENT);
    cr_assert_str_eq(text, "");
    free(text);
}

Test(sink_store, same_batch_twice_is_stored_once_and_counted)
{
    sink_store_t *store = s_open();
    sink_store_counts_t counts = { 0 };
    s_put(store, 7, s_mixed, CORE_ARRAY_LEN(s_mixed), &counts);
    s_put(store, 7, s_mixed, CORE_ARRAY_LEN(s_mixed), &counts);
    cr_assert_eq(counts.verdicts_stored, 5);
    cr_assert_eq(counts.duplicates_ignored, 5);
    cr_assert_eq(counts.verdicts_red, 1);
    cr_assert_eq(counts.verdicts_yellow, 1);
    cr_assert_eq(counts.verdicts_green, 3);
    cr_assert_eq(counts.queue_added, 3);
    sink_store_destroy(&store);

    cr_assert_eq(s_query_int("SELECT count(*) FROM verdicts"), 5);
    cr_assert_eq(s_query_int("SELECT count(*) FROM queue"), 3);
    cr_assert_eq(s_query_int("SELECT count(*) FROM queue_events"), 3);
    cr_assert_eq(s_query_int("SELECT count(*) FROM watchlists"), 1);
    cr_assert_eq(s_query_int("SELECT max(arrival) FROM verdicts"), 5);
}

Test(sink_store, duplicate_inside_one_batch_is_ignored)
{
    static const test_verdict_t twice[] = {
        { "P0001", 72, PROTO_CHANNEL_RED, 1, false, false },
        { "P0001", 10, PROTO_CHANNEL_GREEN, 0, false, false },
    };
    sink_store_t *store = s_open();
    sink_store_counts_t counts = { 0 };
    s_put(store, 1, twice, 2, &counts);
    sink_store_destroy(&store);
    cr_assert_eq(counts.verdicts_stored, 1);
    cr_assert_eq(counts.duplicates_ignored, 1);
    cr_assert_eq(s_query_int("SELECT risk_score FROM verdicts WHERE parcel_id = 'P0001'"), 72);
}

Test(sink_store, queue_takes_hits_and_random_selections_only)
{
    sink_store_t *store = s_open();
    s_put(store, 1, s_mixed, CORE_ARRAY_LEN(s_mixed), NULL);
    sink_store_destroy(&store);
    cr_assert_eq(s_query_int("SELECT count(*) FROM queue WHERE parcel_id IN"
                             " ('P0001', 'P0003', 'P0005') AND state = 'new'"),
                 3);
    /* Clean and suppressed-only verdicts stay out. */
    cr_assert_eq(s_query_int("SELECT count(*) FROM queue WHERE parcel_id IN ('P0002', 'P0004')"),
                 0);
    cr_assert_eq(s_query_int("SELECT count(*) FROM queue_events WHERE who = 'sink'"
                             " AND from_state IS NULL AND to_state = 'new'"),
                 3);
    cr_assert_eq(s_query_int("SELECT count(*) FROM queue_events WHERE parcel_id = 'P0003'"
                             " AND note = 'selected at random'"),
                 1);
}

Test(sink_store, committed_verdicts_survive_close_and_reopen)
{
    sink_store_t *store = s_open();
    s_put(store, 1, s_mixed, 2, NULL);
    sink_store_destroy(&store);

    store = s_open();
    sink_store_counts_t counts = { 0 };
    s_put(store, 2, s_mixed, CORE_ARRAY_LEN(s_mixed), &counts);
    sink_store_destroy(&store);
    cr_assert_eq(counts.verdicts_stored, 3);
    cr_assert_eq(counts.duplicates_ignored, 2);
    /* Arrival continues where the last run stopped. */
    cr_assert_eq(s_query_int("SELECT arrival FROM verdicts WHERE parcel_id = 'P0005'"), 5);

    core_buf_t expected = { 0 };
    s_expected_ndjson(s_mixed, CORE_ARRAY_LEN(s_mixed), &expected);
    char *text = s_export(NULL, 0);
    cr_assert_str_eq(text, core_buf_cstr(&expected));
    free(text);
    core_buf_clear(&expected);
}

Test(sink_store, rollback_leaves_nothing_and_counts_nothing)
{
    sink_store_t *store = s_open();
    core_buf_t buf = { 0 };
    core_arena_t arena;
    core_arena_init(&arena, 0);
    proto_verdict_batch_t batch;
    test_batch_make(&buf, &arena, 1, s_mixed, CORE_ARRAY_LEN(s_mixed), &batch);
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(sink_store_begin(store, err), 0, "%s", err);
    cr_assert_eq(sink_store_add(store, &batch, 1, err), 0, "%s", err);
    sink_store_rollback(store);

    sink_store_counts_t counts = { 0 };
    cr_assert_eq(sink_store_put(store, &batch, 2, &counts, err), 0, "%s", err);
    cr_assert_eq(counts.verdicts_stored, 5);
    cr_assert_eq(counts.duplicates_ignored, 0);
    sink_store_destroy(&store);
    cr_assert_eq(s_query_int("SELECT min(arrival) FROM verdicts"), 1);
    cr_assert_eq(s_query_int("SELECT count(*) FROM watchlists"), 1);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
}

Test(sink_store, the_transition_log_cannot_be_rewritten)
{
    sink_store_t *store = s_open();
    s_put(store, 1, s_mixed, 1, NULL);
    sink_store_destroy(&store);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(s_dir.db, &db), SQLITE_OK);
    cr_assert_neq(sqlite3_exec(db, "UPDATE queue_events SET who = 'mallory'", NULL, NULL, NULL),
                  SQLITE_OK);
    cr_assert_neq(sqlite3_exec(db, "DELETE FROM queue_events", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

Test(sink_store, refuses_a_file_that_is_not_a_database)
{
    FILE *f = fopen(s_dir.db, "w");
    cr_assert_not_null(f);
    for (int i = 0; i < 64; i++)
        fputs("parcel_id,risk_score,channel\nP1,3,green\n", f);
    fclose(f);
    char err[CORE_ERR_LEN] = "";
    cr_assert_null(sink_store_open(s_dir.db, SINK_SYNC_NORMAL, 100, err));
    cr_assert_neq(err[0], '\0');
}

Test(sink_store, refuses_a_schema_from_the_future)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(s_dir.db, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char err[CORE_ERR_LEN] = "";
    cr_assert_null(sink_store_open(s_dir.db, SINK_SYNC_FULL, 100, err));
    cr_assert_not_null(strstr(err, "newer"), "%s", err);
}

Test(sink_store, sync_names_parse)
{
    sink_sync_t sync;
    cr_assert_eq(sink_sync_parse("full", &sync), 0);
    cr_assert_eq(sync, SINK_SYNC_FULL);
    cr_assert_eq(sink_sync_parse("normal", &sync), 0);
    cr_assert_eq(sync, SINK_SYNC_NORMAL);
    cr_assert_eq(sink_sync_parse("off", &sync), -EINVAL);
}
