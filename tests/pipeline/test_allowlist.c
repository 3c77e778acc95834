/* test_allowlist.c -- the allow-list end to end with the real processes: a run, an officer
 * resolves a name hit false_positive with `parcelscreen queue`, and a second run into the same
 * database (which `run` exports the allow-list from, for screen --allowlist) records that party
 * + rule suppressed and keeps the parcel out of the queue. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipeline_util.h"

#define BIN PS_PARCELSCREEN

/* Runs a parcelscreen command; stdout to out_path (may be NULL); asserts exit 0. */
static void s_cli(const char *dir, char *const argv[], const char *out_path)
{
    char *err = pu_path(dir, "cli.err");
    int st = pu_run(argv, out_path, err);
    char *log = pu_read(err, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s %s failed: %s", argv[1], argv[2],
              log ? log : "");
    free(log);
    free(err);
}

static char *s_run(const char *dir, const char *watchlist, const char *input, const char *db)
{
    char *out = pu_path(dir, "run.out");
    char *rejects = pu_path(dir, "rejects.log");
    char *argv[] = {BIN,
                    "run",
                    "--watchlist",
                    (char *)watchlist,
                    "--input",
                    (char *)input,
                    "--db",
                    (char *)db,
                    "--reject-log",
                    rejects,
                    "--workers",
                    "2",
                    "--timeout",
                    "300",
                    NULL};
    s_cli(dir, argv, out);
    char *text = pu_read(out, NULL);
    free(out);
    free(rejects);
    return text;
}

static int s_count(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

Test(pipeline_allowlist, a_false_positive_is_suppressed_in_the_next_run, .timeout = 300)
{
    char *dir = pu_tmpdir();
    cr_assert_not_null(dir);
    pu_generate_demo(dir, "2000", "7");
    char *wl = pu_path(dir, "demo_watchlist.csv");
    char *m1 = pu_path(dir, "manifest.ndjson");
    char *m2 = pu_path(dir, "second.ndjson");
    char *db = pu_path(dir, "verdicts.db");
    char *exp1 = pu_path(dir, "export1.ndjson");
    char *exp2 = pu_path(dir, "export2.ndjson");

    char *out = s_run(dir, wl, m1, db);
    long long queued1 = pu_count(out, "queue entries");
    free(out);
    char *export[] = {BIN, "export", "--db", db, NULL};
    s_cli(dir, export, exp1);

    /* A parcel whose one hit is a name hit: resolving it false_positive allow-lists that
     * (rule, party name). */
    pu_verdicts_t v1;
    cr_assert(pu_verdicts_load(exp1, &v1));
    char parcel[64] = "";
    char rule[128] = "";
    char matched[512] = "";
    for (size_t i = 0; i < v1.lines.count && !parcel[0]; i++) {
        const char *line = v1.lines.lines[i];
        if (s_count(line, "\"rule_id\"") == 1 && strstr(line, "\"kind\":\"name\"")) {
            cr_assert(pu_json_str(line, "parcel_id", parcel, sizeof(parcel)));
            cr_assert(pu_json_str(line, "rule_id", rule, sizeof(rule)));
            cr_assert(pu_json_str(line, "matched", matched, sizeof(matched)));
        }
    }
    cr_assert(parcel[0], "the generated manifest has a parcel with only a name hit");
    pu_verdicts_free(&v1);

    char *claim[] = {BIN,         "queue", "claim",    "--db", db,
                     "--officer", "alice", "--parcel", parcel, NULL};
    s_cli(dir, claim, NULL);
    char *resolved = pu_path(dir, "resolve.out");
    char *resolve[] = {
        BIN,         "queue", "resolve",   "--db",           db,       "--parcel", parcel,
        "--officer", "alice", "--outcome", "false_positive", "--note", "namesake", NULL};
    s_cli(dir, resolve, resolved);
    char *text = pu_read(resolved, NULL);
    cr_assert_not_null(strstr(text, "(1 allow-list entries added)"), "%s", text);
    free(text);
    char *listed = pu_path(dir, "allow.csv");
    char *allow_export[] = {BIN, "allowlist", "export", "--db", db, NULL};
    s_cli(dir, allow_export, listed);
    text = pu_read(listed, NULL);
    cr_assert_not_null(strstr(text, "rule_id,name_key,added_by,added_at,parcel_id\n"), "%s", text);
    cr_assert_not_null(strstr(text, rule), "%s", text);
    cr_assert_not_null(strstr(text, parcel), "%s", text);
    free(text);

    /* The same parties again under new parcel ids (P... -> Q...), into the same database. */
    size_t len = 0;
    char *data = pu_read(m1, &len);
    cr_assert_not_null(data);
    for (char *p = data; (p = strstr(p, "\"parcel_id\":\"P")) != NULL; p += 13)
        p[13] = 'Q';
    pu_write(m2, data, len);
    free(data);
    out = s_run(dir, wl, m2, db);
    long long queued2 = pu_count(out, "queue entries");
    free(out);
    s_cli(dir, export, exp2);

    char again[64];
    snprintf(again, sizeof(again), "Q%s", parcel + 1);
    pu_verdicts_t v2;
    cr_assert(pu_verdicts_load(exp2, &v2));
    const char *line = pu_verdicts_find(&v2, again);
    cr_assert_not_null(line, "no verdict for %s", again);
    cr_assert(pu_line_has_rule(line, rule), "%s", line);
    cr_assert_not_null(strstr(line, "\"suppressed\":true"), "the hit is recorded suppressed: %s",
                       line);
    cr_assert_not_null(strstr(line, "\"risk_score\":0,"), "and not scored: %s", line);
    /* Every suppressed hit of the second run is that rule on that name. */
    int suppressed = 0;
    for (size_t i = 0; i < v2.lines.count; i++) {
        const char *l = v2.lines.lines[i];
        if (l[0] != '{' || strstr(l, "\"parcel_id\":\"Q") == NULL)
            continue;
        int n = s_count(l, "\"suppressed\":true");
        if (n > 0) {
            cr_assert(pu_line_has_rule(l, rule), "%s", l);
            suppressed += n;
        }
    }
    cr_assert_geq(suppressed, 1);
    /* P's twin is not in the queue (its only hit is suppressed); one entry fewer at most per
     * parcel with only that hit. */
    char *show_out = pu_path(dir, "show.out");
    char *show[] = {BIN, "queue", "show", "--db", db, "--parcel", again, "--json", NULL};
    s_cli(dir, show, show_out);
    text = pu_read(show_out, NULL);
    cr_assert_not_null(strstr(text, "\"entry\":null"), "%s", text);
    free(text);
    cr_assert_lt(queued2, queued1, "run 1: %lld queued, run 2: %lld", queued1, queued2);
    cr_assert_geq(queued2, queued1 - suppressed);
    pu_verdicts_free(&v2);

    pu_rmtree(dir);
    free(show_out);
    free(listed);
    free(resolved);
    free(wl);
    free(m1);
    free(m2);
    free(db);
    free(exp1);
    free(exp2);
    free(dir);
}

/* Waits up to 20 s for 'needle' in the file at path. */
static bool s_wait_for(const char *path, const char *needle)
{
    for (int i = 0; i < 400; i++) {
        char *text = pu_read(path, NULL);
        bool found = text && strstr(text, needle);
        free(text);
        if (found)
            return true;
        usleep(50000);
    }
    return false;
}

/* The allow-list is loaded by the stage's build path: refused like a watchlist at start, and
 * read again on every reload (SIGHUP). */
Test(pipeline_allowlist, screen_loads_it_at_start_and_on_reload, .timeout = 120)
{
    char *dir = pu_tmpdir();
    cr_assert_not_null(dir);
    char *wl = pu_path(dir, "wl.csv");
    char *allow = pu_path(dir, "allow.csv");
    char *bad = pu_path(dir, "bad.csv");
    char *err = pu_path(dir, "screen.err");
    const char *list = "id,list,kind,scope,pattern,weight,note\n"
                       "N1,demo,name,party.name,Acme Trading,80,\n"
                       "N2,demo,name,party.name,Borvik Holdings,80,\n";
    pu_write(wl, list, strlen(list));
    const char *bad_csv = "rule_id,name_key\nN1,\"Acme\n";
    pu_write(bad, bad_csv, strlen(bad_csv));
    char parcels[300];
    char verdicts[300];
    snprintf(parcels, sizeof(parcels), "@ipc://%s/parcels", dir);
    snprintf(verdicts, sizeof(verdicts), ">ipc://%s/verdicts", dir);

    char *refused[] = {BIN,         "screen", "--watchlist", wl,       "--allowlist", bad,
                       "--parcels", parcels,  "--verdicts",  verdicts, NULL};
    int st = pu_run(refused, NULL, err);
    char *text = pu_read(err, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 2, "exit %d: %s", WEXITSTATUS(st), text);
    cr_assert_not_null(strstr(text, "bad.csv:2: "), "%s", text);
    free(text);

    const char *one = "rule_id,name_key\nN1,ACME TRADING\n";
    pu_write(allow, one, strlen(one));
    char *argv[] = {BIN,         "screen", "--watchlist", wl,       "--allowlist", allow,
                    "--parcels", parcels,  "--verdicts",  verdicts, NULL};
    pid_t pid = pu_spawn(argv, NULL, err);
    cr_assert(s_wait_for(err, "allow-list: 1 entries"), "no allow-list at start");
    const char *two = "rule_id,name_key\nN1,ACME TRADING\nN2,Borvik Holdings Ltd\n";
    pu_write(allow, two, strlen(two));
    kill(pid, SIGHUP);
    bool reloaded = s_wait_for(err, "allow-list: 2 entries from 1 files, 2 in effect");
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    text = pu_read(err, NULL);
    cr_assert(reloaded, "the reload did not re-read the allow-list: %s", text);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", text);
    free(text);

    pu_rmtree(dir);
    free(wl);
    free(allow);
    free(bad);
    free(err);
    free(dir);
}
