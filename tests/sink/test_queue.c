/* test_queue.c -- the officers' queue: order, claims, leases, resolution, history, CLIs. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "sink/export.h"
#include "sink/queue.h"
#include "sink/store.h"

#define SEC 1000000000LL
#define T0 (1795000100LL * SEC) /* the test clock's "now" */

static test_dir_t s_dir;
static sink_queue_t *s_queue;

/* Arrival order A..E; expected queue order B, D, A, C, E; F is clean (not queued). */
static const test_verdict_t s_entries[] = {
    { "A", 50, PROTO_CHANNEL_YELLOW, 1, false, false },
    { "B", 90, PROTO_CHANNEL_RED, 2, false, false },
    { "C", 50, PROTO_CHANNEL_YELLOW, 1, false, false },
    { "D", 90, PROTO_CHANNEL_RED, 3, false, false },
    { "E", 0, PROTO_CHANNEL_GREEN, 0, false, true },
    { "F", 0, PROTO_CHANNEL_GREEN, 0, false, false },
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

TestSuite(sink_queue, .init = s_setup, .fini = s_teardown, .timeout = 30);

/* Collects "ID:state" of each listed entry, space-separated. */
static int s_collect(const sink_queue_entry_t *e, void *arg)
{
    core_buf_t *buf = arg;
    core_buf_printf(buf, "%s%s:%s", buf->len ? " " : "", e->parcel_id,
                    sink_queue_state_name(e->state));
    return 0;
}

static const char *s_list(core_buf_t *buf, sink_queue_state_t state, uint32_t limit, int64_t now)
{
    char err[CORE_ERR_LEN] = "";
    core_buf_reset(buf);
    cr_assert_eq(sink_queue_list(s_queue, state, limit, now, s_collect, buf, err), 0, "%s", err);
    return core_buf_cstr(buf);
}

static int s_claim(const char *parcel, const char *officer, int64_t lease, int64_t now, char *err)
{
    return sink_queue_claim(s_queue, parcel, officer, lease, now, NULL, err);
}

Test(sink_queue, lists_by_risk_then_arrival)
{
    core_buf_t buf = { 0 };
    cr_assert_str_eq(s_list(&buf, SINK_QUEUE_NEW, 0, T0), "B:new D:new A:new C:new E:new");
    cr_assert_str_eq(s_list(&buf, SINK_QUEUE_NEW, 2, T0), "B:new D:new");
    cr_assert_str_eq(s_list(&buf, SINK_QUEUE_CLAIMED, 0, T0), "");
    cr_assert_str_eq(s_list(&buf, SINK_QUEUE_ALL, 0, T0), "B:new D:new A:new C:new E:new");
    core_buf_clear(&buf);
}

Test(sink_queue, entries_carry_the_verdict_channel_and_arrival)
{
    char err[CORE_ERR_LEN] = "";
    sink_queue_entry_t seen = { 0 };
    core_buf_t buf = { 0 };
    cr_assert_eq(sink_queue_get(s_queue, "D", T0, s_collect, &buf, err), 0, "%s", err);
    cr_assert_str_eq(core_buf_cstr(&buf), "D:new");
    (void)seen;
    cr_assert_eq(sink_queue_get(s_queue, "F", T0, s_collect, &buf, err), -ENOENT);
    cr_assert_not_null(strstr(err, "not in the queue"), "%s", err);
    core_buf_clear(&buf);
}

Test(sink_queue, claim_next_takes_the_top_entry_each_time)
{
    char err[CORE_ERR_LEN] = "";
    core_buf_t got = { 0 };
    cr_assert_eq(sink_queue_claim(s_queue, NULL, "alice", 900 * SEC, T0, &got, err), 0, "%s", err);
    cr_assert_str_eq(core_buf_cstr(&got), "B");
    core_buf_reset(&got);
    cr_assert_eq(sink_queue_claim(s_queue, NULL, "bob", 900 * SEC, T0, &got, err), 0, "%s", err);
    cr_assert_str_eq(core_buf_cstr(&got), "D");
    core_buf_t buf = { 0 };
    cr_assert_str_eq(s_list(&buf, SINK_QUEUE_CLAIMED, 0, T0), "B:claimed D:claimed");
    cr_assert_str_eq(s_list(&buf, SINK_QUEUE_NEW, 0, T0), "A:new C:new E:new");
    core_buf_clear(&buf);
    core_buf_clear(&got);
}

Test(sink_queue, a_live_claim_refuses_other_officers)
{
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(s_claim("A", "alice", 900 * SEC, T0, err), 0, "%s", err);
    cr_assert_eq(s_claim("A", "bob", 900 * SEC, T0 + SEC, err), -EBUSY);
    cr_assert_not_null(strstr(err, "claimed by alice until"), "%s", err);
    cr_assert_null(strchr(err, '\n'));
    /* The owner may renew. */
    cr_assert_eq(s_claim("A", "alice", 900 * SEC, T0 + 2 * SEC, err), 0, "%s", err);
}

Test(sink_queue, an_expired_lease_reads_new_and_another_officer_may_claim)
{
    char err[CORE_ERR_LEN] = "";
    core_buf_t buf = { 0 };
    cr_assert_eq(s_claim("B", "alice", 60 * SEC, T0, err), 0, "%s", err);
    cr_assert_str_eq(s_list(&buf, SINK_QUEUE_NEW, 0, T0 + 59 * SEC), "D:new A:new C:new E:new");
    cr_assert_str_eq(s_list(&buf, SINK_QUEUE_NEW, 0, T0 + 60 * SEC),
                     "B:new D:new A:new C:new E:new");
    cr_assert_str_eq(s_list(&buf, SINK_QUEUE_CLAIMED, 0, T0 + 60 * SEC), "");

    core_buf_t got = { 0 };
    cr_assert_eq(sink_queue_claim(s_queue, NULL, "bob", 60 * SEC, T0 + 61 * SEC, &got, err), 0,
                 "%s", err);
    cr_assert_str_eq(core_buf_cstr(&got), "B");
    /* alice lost it: she can neither resolve nor re-claim while bob's lease lives. */
    cr_assert_eq(sink_queue_resolve(s_queue, "B", "alice", "seized", NULL, T0 + 62 * SEC, err),
                 -EPERM);
    cr_assert_not_null(strstr(err, "claimed by bob"), "%s", err);
    cr_assert_eq(s_claim("B", "alice", 60 * SEC, T0 + 62 * SEC, err), -EBUSY);
    core_buf_clear(&got);
    core_buf_clear(&buf);
}

Test(sink_queue, a_zero_lease_is_free_again_at_once)
{
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(s_claim("C", "alice", 0, T0, err), 0, "%s", err);
    cr_assert_eq(s_claim("C", "bob", 0, T0, err), 0, "%s", err);
}

Test(sink_queue, only_the_claim_holder_resolves)
{
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(sink_queue_resolve(s_queue, "A", "alice", "seized", NULL, T0, err), -EPERM);
    cr_assert_not_null(strstr(err, "claim it first"), "%s", err);
    cr_assert_eq(s_claim("A", "alice", 900 * SEC, T0, err), 0, "%s", err);
    cr_assert_eq(sink_queue_resolve(s_queue, "A", "bob", "released", NULL, T0 + SEC, err), -EPERM);
    cr_assert_eq(
        sink_queue_resolve(s_queue, "A", "alice", "seized", "replica watches", T0 + 2 * SEC, err),
        0, "%s", err);
    cr_assert_eq(sink_queue_resolve(s_queue, "A", "alice", "released", NULL, T0 + 3 * SEC, err),
                 -EALREADY);
    cr_assert_eq(s_claim("A", "bob", 900 * SEC, T0 + 4 * SEC, err), -EALREADY);
    cr_assert_not_null(strstr(err, "seized"), "%s", err);
    core_buf_t buf = { 0 };
    cr_assert_str_eq(s_list(&buf, SINK_QUEUE_RESOLVED, 0, T0), "A:resolved");
    cr_assert_str_eq(s_list(&buf, SINK_QUEUE_ALL, 0, T0), "B:new D:new A:resolved C:new E:new");
    core_buf_clear(&buf);
}

Test(sink_queue, the_holder_of_an_expired_claim_may_resolve_if_nobody_took_it)
{
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(s_claim("D", "alice", 10 * SEC, T0, err), 0, "%s", err);
    cr_assert_eq(
        sink_queue_resolve(s_queue, "D", "alice", "false_positive", NULL, T0 + 3600 * SEC, err), 0,
        "%s", err);
}

typedef struct {
    core_buf_t text; /* "who:from>to:outcome:note;" per event */
    int64_t last_id; /* ids grow */
} history_t;

static int s_history(const sink_queue_event_t *e, void *arg)
{
    history_t *h = arg;
    cr_assert_gt(e->id, h->last_id);
    h->last_id = e->id;
    core_buf_printf(&h->text, "%s:%s>%s:%s:%s;", e->who, e->from_state, e->to_state, e->outcome,
                    e->note);
    return 0;
}

Test(sink_queue, every_transition_is_kept_with_who_and_when)
{
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(s_claim("C", "alice", 5 * SEC, T0, err), 0, "%s", err);
    cr_assert_eq(s_claim("C", "bob", 900 * SEC, T0 + 6 * SEC, err), 0, "%s", err);
    cr_assert_eq(s_claim("C", "bob", 900 * SEC, T0 + 7 * SEC, err), 0, "%s", err);
    cr_assert_eq(
        sink_queue_resolve(s_queue, "C", "bob", "referred", "to the drugs unit", T0 + 8 * SEC, err),
        0, "%s", err);
    history_t h = { 0 };
    cr_assert_eq(sink_queue_history(s_queue, "C", s_history, &h, err), 0, "%s", err);
    cr_assert_str_eq(core_buf_cstr(&h.text),
                     "sink:>new::;"
                     "alice:new>claimed::;"
                     "bob:claimed>claimed::lease of alice expired at 2026-11-18T11:08:25.000Z;"
                     "bob:claimed>claimed::lease renewed;"
                     "bob:claimed>resolved:referred:to the drugs unit;");
    core_buf_clear(&h.text);
}

Test(sink_queue, unknown_parcels_and_empty_queues_are_enoent)
{
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(s_claim("nope", "alice", SEC, T0, err), -ENOENT);
    cr_assert_eq(sink_queue_resolve(s_queue, "nope", "alice", "seized", NULL, T0, err), -ENOENT);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(s_claim(NULL, "alice", 900 * SEC, T0, err), 0, "%s", err);
    cr_assert_eq(s_claim(NULL, "alice", 900 * SEC, T0, err), -ENOENT);
    cr_assert_not_null(strstr(err, "no unclaimed entry"), "%s", err);
}

Test(sink_queue, bad_officers_outcomes_and_notes_are_einval)
{
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(s_claim("A", "", SEC, T0, err), -EINVAL);
    cr_assert_eq(s_claim("A", "eve\x1b[2J", SEC, T0, err), -EINVAL);
    cr_assert_eq(s_claim("A", "alice", -1, T0, err), -EINVAL);
    cr_assert_eq(s_claim("A", "alice", SEC, T0, err), 0, "%s", err);
    cr_assert_eq(sink_queue_resolve(s_queue, "A", "alice", "lost", NULL, T0, err), -EINVAL);
    cr_assert_eq(sink_queue_resolve(s_queue, "A", "alice", "seized", "bad \xff utf8", T0, err),
                 -EINVAL);
}

Test(sink_queue, verdict_json_is_the_exported_line)
{
    char err[CORE_ERR_LEN] = "";
    core_buf_t json = { 0 };
    cr_assert_eq(sink_queue_verdict_json(s_queue, "B", &json, err), 0, "%s", err);
    test_mem_t mem;
    test_mem_open(&mem);
    cr_assert_eq(sink_export_ndjson(s_dir.db, "B", mem.file, err), 0, "%s", err);
    core_buf_append_byte(&json, '\n');
    cr_assert_str_eq(test_mem_text(&mem), core_buf_cstr(&json));
    test_mem_close(&mem);
    core_buf_clear(&json);
}

Test(sink_queue, open_never_creates_a_database)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/typo.db", s_dir.dir);
    char err[CORE_ERR_LEN] = "";
    cr_assert_null(sink_queue_open(path, 100, err));
    cr_assert_neq(access(path, F_OK), 0);
}

/* ============ The command lines ============ */

static int s_run(int (*main_fn)(int, char **), const char **args)
{
    char *argv[32];
    int argc = 0;
    for (; args[argc]; argc++)
        argv[argc] = (char *)args[argc];
    argv[argc] = NULL;
    return main_fn(argc, argv);
}

Test(sink_queue_cli, usage_errors_exit_2_and_runtime_errors_exit_1, .init = s_setup,
     .fini = s_teardown, .timeout = 30)
{
    cr_redirect_stderr();
    cr_redirect_stdout();
    const char *none[] = { "queue", NULL };
    cr_assert_eq(s_run(sink_queue_main, none), 2);
    const char *unknown[] = { "queue", "steal", "--db", s_dir.db, NULL };
    cr_assert_eq(s_run(sink_queue_main, unknown), 2);
    const char *no_db[] = { "queue", "list", NULL };
    cr_assert_eq(s_run(sink_queue_main, no_db), 2);
    const char *bad_state[] = { "queue", "list", "--db", s_dir.db, "--state", "lost", NULL };
    cr_assert_eq(s_run(sink_queue_main, bad_state), 2);
    const char *both[] = {"queue", "claim",  "--db",     s_dir.db, "--officer",
                          "a",     "--next", "--parcel", "A",      NULL};
    cr_assert_eq(s_run(sink_queue_main, both), 2);
    const char *bad_outcome[] = {"queue",     "resolve", "--db",      s_dir.db, "--parcel", "A",
                                 "--officer", "a",       "--outcome", "lost",   NULL};
    cr_assert_eq(s_run(sink_queue_main, bad_outcome), 2);
    const char *missing_db[] = { "queue", "list", "--db", "/nonexistent/v.db", NULL };
    cr_assert_eq(s_run(sink_queue_main, missing_db), 1);

    const char *alice[] = {"queue", "claim",    "--db", s_dir.db, "--officer",
                           "alice", "--parcel", "A",    NULL};
    cr_assert_eq(s_run(sink_queue_main, alice), 0);
    const char *bob[] = {"queue", "claim",    "--db", s_dir.db, "--officer",
                         "bob",   "--parcel", "A",    NULL};
    cr_assert_eq(s_run(sink_queue_main, bob), 1);
    const char *unknown_parcel[] = { "queue", "show", "--db", s_dir.db, "--parcel", "nope", NULL };
    cr_assert_eq(s_run(sink_queue_main, unknown_parcel), 1);
    fflush(stderr);
}

static char *s_read_all(FILE *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fwrite(chunk, 1, n, mem);
    fclose(mem);
    return text;
}

Test(sink_queue_cli, a_worked_session, .init = s_setup, .fini = s_teardown, .timeout = 30)
{
    cr_redirect_stdout();
    const char *list[] = { "queue", "list", "--db", s_dir.db, "--json", NULL };
    cr_assert_eq(s_run(sink_queue_main, list), 0);
    const char *claim[] = {"queue",     "claim", "--db",   s_dir.db,
                           "--officer", "alice", "--next", NULL};
    cr_assert_eq(s_run(sink_queue_main, claim), 0);
    const char *resolve[] = {"queue",  "resolve",         "--db",  s_dir.db,    "--parcel",
                             "B",      "--officer",       "alice", "--outcome", "seized",
                             "--note", "replica watches", NULL};
    cr_assert_eq(s_run(sink_queue_main, resolve), 0);
    const char *show[] = { "queue", "show", "--db", s_dir.db, "--parcel", "B", "--json", NULL };
    cr_assert_eq(s_run(sink_queue_main, show), 0);
    const char *export[] = { "export", "--db", s_dir.db, NULL };
    cr_assert_eq(s_run(sink_export_main, export), 0);
    fflush(stdout);

    char *out = s_read_all(cr_get_redirected_stdout());
    /* list --json: five lines, B first and E last. */
    const char *b = strstr(out, "{\"parcel_id\":\"B\",\"risk_score\":90,\"channel\":\"red\","
                                "\"state\":\"new\"");
    const char *e = strstr(out, "{\"parcel_id\":\"E\"");
    cr_assert(b != NULL && e != NULL && b < e, "%s", out);
    cr_assert_not_null(strstr(out, "claimed B for alice until "), "%s", out);
    cr_assert_not_null(strstr(out, "resolved B as seized\n"), "%s", out);
    cr_assert_not_null(strstr(out, "\"outcome\":\"seized\",\"note\":\"replica watches\""), "%s",
                       out);
    cr_assert_not_null(strstr(out, "\"verdict\":{\"parcel_id\":\"B\""), "%s", out);
    cr_assert_not_null(strstr(out, "\"history\":[{\"at\":"), "%s", out);
    /* export: six verdicts, clean F among them. */
    cr_assert_not_null(strstr(out, "{\"parcel_id\":\"F\""), "%s", out);
    free(out);
}

Test(sink_queue_cli, export_usage_and_missing_files, .init = s_setup, .fini = s_teardown,
     .timeout = 30)
{
    cr_redirect_stderr();
    const char *no_db[] = { "export", NULL };
    cr_assert_eq(s_run(sink_export_main, no_db), 2);
    const char *missing[] = { "export", "--db", "/nonexistent/v.db", NULL };
    cr_assert_eq(s_run(sink_export_main, missing), 1);
    const char *help[] = { "export", "--help", NULL };
    cr_redirect_stdout();
    cr_assert_eq(s_run(sink_export_main, help), 0);
}
