/* test_reload.c -- hot reload of the watchlists under load, with the real processes: sink,
 * screen and ingest started separately; the manifest is fed to ingest's stdin chunk by chunk
 * while the test rewrites the watchlist file and sends SIGHUP to screen (once with a broken
 * list, once while a chunk is being screened). Asserts: one verdict per parcel, every verdict's
 * watchlist_version is one of the versions loaded, the version a verdict names is the one that
 * screened it (the new rules hit exactly in verdicts of the versions that hold them), the
 * broken list replaced nothing, screen counted every parcel once. PS_RELOAD_PARCELS overrides
 * the 200,000 parcels. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pipeline_util.h"

#define BIN PS_PARCELSCREEN

/* Occurrences of 'needle' in a file (0 when it cannot be read). */
static int s_count_in(const char *path, const char *needle)
{
    char *text = pu_read(path, NULL);
    int n = 0;
    for (const char *p = text; p && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    free(text);
    return n;
}

/* Waits (up to 120 s) until 'needle' occurs 'want' times in the file. */
static void s_wait_for(const char *path, const char *needle, int want)
{
    for (int i = 0; i < 12000; i++) {
        if (s_count_in(path, needle) >= want)
            return;
        pu_sleep_ms(10);
    }
    char *log = pu_read(path, NULL);
    cr_assert_fail("'%s' not seen %d times in %s: %s", needle, want, path, log ? log : "");
}

/* Replaces the watchlist atomically (screen never reads half a file). */
static void s_replace(const char *dir, const char *path, const char *text)
{
    char *tmp = pu_path(dir, "wl.csv.new");
    pu_write(tmp, text, strlen(text));
    cr_assert_eq(rename(tmp, path), 0);
    free(tmp);
}

/* "version: wl-..." of a watchlist text, from 'watchlist check'. */
static void s_version(const char *dir, const char *text, char *out, size_t cap)
{
    char *wl = pu_path(dir, "probe.csv");
    char *res = pu_path(dir, "probe.out");
    pu_write(wl, text, strlen(text));
    char *argv[] = {BIN, "watchlist", "check", "--watchlist", wl, NULL};
    int st = pu_run(argv, res, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "watchlist check failed");
    char *o = pu_read(res, NULL);
    cr_assert(o && sscanf(o, "version: %63s", out) == 1, "%s", o ? o : "");
    cr_assert_lt(strlen(out), cap);
    unlink(wl);
    free(o), free(wl), free(res);
}

/* Starts argv with its stdin from a pipe; *fd receives the write end. */
static pid_t s_spawn_piped(char *const argv[], const char *err_path, int *fd)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        dup2(p[0], 0);
        close(p[0]);
        close(p[1]);
        int dn = open("/dev/null", O_WRONLY);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(dn, 1);
        dup2(e, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[0]);
    *fd = p[1];
    return pid;
}

static void s_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        cr_assert_gt(n, 0, "write to ingest: %s", strerror(errno));
        data += n;
        len -= (size_t)n;
    }
}

/* The parcel-level origin_country of each manifest line, by parcel id (sorted like the
 * verdicts so both are walked together). */
typedef struct {
    char id[32];
    char origin[3];
    int chunk; /* which chunk fed it */
} s_parcel_t;

static int s_parcel_cmp(const void *a, const void *b)
{
    return strcmp(((const s_parcel_t *)a)->id, ((const s_parcel_t *)b)->id);
}

Test(pipeline_reload, sighup_under_load_switches_lists_between_batches, .timeout = 1100)
{
    const char *parcels = getenv("PS_RELOAD_PARCELS") ? getenv("PS_RELOAD_PARCELS") : "200000";
    char *dir = pu_tmpdir();
    char *gen_err = pu_path(dir, "gen.err");
    char *gen[] = {BIN,         "generate", "--parcels", (char *)parcels, "--seed",           "31",
                   "--out-dir", dir,        "--formats", "ndjson",        "--demo-watchlist", NULL};
    int st = pu_run(gen, NULL, gen_err);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "generate failed");
    char *demo_path = pu_path(dir, "demo_watchlist.csv");
    char *demo = pu_read(demo_path, NULL);
    cr_assert_not_null(demo);

    /* v1: the demo list. v2: + a rule on origin GB. v3: + a rule on origin US. broken: v3 with
     * a bad record (refused, so never a version). Small weights: channels do not matter. */
    char *v1_text = strdup(demo);
    char *v2_text = NULL;
    char *v3_text = NULL;
    char *bad_text = NULL;
    cr_assert_gt(asprintf(&v2_text, "%sRELOAD-GB,reload,country,origin_country,GB,5,\n", demo), 0);
    /* v3 also adds a keyword, so its Hyperscan databases differ and --compiled is rewritten. */
    cr_assert_gt(asprintf(&v3_text,
                          "%sRELOAD-US,reload,country,origin_country,US,5,\n"
                          "RELOAD-KW,reload,keyword,items.description,zzqx reload word,5,\n",
                          v2_text),
                 0);
    cr_assert_gt(
        asprintf(&bad_text, "%sRELOAD-BAD,reload,no-such-kind,origin_country,DE,5,\n", v3_text), 0);
    char v1[64], v2[64], v3[64];
    s_version(dir, v1_text, v1, sizeof(v1));
    s_version(dir, v2_text, v2, sizeof(v2));
    s_version(dir, v3_text, v3, sizeof(v3));
    cr_assert(strcmp(v1, v2) && strcmp(v2, v3) && strcmp(v1, v3), "%s %s %s", v1, v2, v3);

    char *wl = pu_path(dir, "wl.csv");
    s_replace(dir, wl, v1_text);
    char *compiled = pu_path(dir, "wl.hsdb");
    char *db = pu_path(dir, "reload.db");
    char at_p[200], to_p[200], at_v[200], to_v[200], at_a[200], to_a[200];
    snprintf(at_p, sizeof(at_p), "@ipc://%s/p", dir);
    snprintf(to_p, sizeof(to_p), ">ipc://%s/p", dir);
    snprintf(at_v, sizeof(at_v), "@ipc://%s/v", dir);
    snprintf(to_v, sizeof(to_v), ">ipc://%s/v", dir);
    snprintf(at_a, sizeof(at_a), "@ipc://%s/a", dir);
    snprintf(to_a, sizeof(to_a), ">ipc://%s/a", dir);
    char *sink_argv[] = {BIN,      "sink", "--db",         db,       "--verdicts", at_v,
                         "--acks", to_a,   "--queue-pub=", "--sync", "normal",     NULL};
    char *screen_argv[] = {BIN,          "screen",     "--watchlist", wl,          "--parcels",
                           at_p,         "--verdicts", to_v,          "--workers", "2",
                           "--compiled", compiled,     NULL};
    char *ingest_argv[] = {BIN,      "ingest",       "--input", "-",      "--format",
                           "ndjson", "--parcels",    to_p,      "--acks", at_a,
                           "--once", "--batch-size", "64",      NULL};
    char *sink_err = pu_path(dir, "sink.err");
    char *screen_err = pu_path(dir, "screen.err");
    char *ingest_err = pu_path(dir, "ingest.err");
    pid_t sink = pu_spawn(sink_argv, NULL, sink_err);
    pid_t screen = pu_spawn(screen_argv, NULL, screen_err);
    s_wait_for(screen_err, "screening ", 1);
    int in_fd = -1;
    pid_t ingest = s_spawn_piped(ingest_argv, ingest_err, &in_fd);

    /* The manifest in 5 chunks; a reload step before chunks 2..5. */
    char *manifest_path = pu_path(dir, "manifest.ndjson");
    size_t mlen = 0;
    char *manifest = pu_read(manifest_path, &mlen);
    cr_assert_not_null(manifest);
    size_t total = 0;
    for (size_t i = 0; i < mlen; i++)
        total += manifest[i] == '\n';
    cr_assert_eq((long long)total, atoll(parcels));
    s_parcel_t *ps = calloc(total, sizeof(*ps));
    size_t off = 0;
    size_t line = 0;
    for (int chunk = 1; chunk <= 5; chunk++) {
        size_t end_line = total * (size_t)chunk / 5;
        size_t start = off;
        while (line < end_line) {
            char *nl = memchr(manifest + off, '\n', mlen - off);
            cr_assert_not_null(nl);
            *nl = '\0';
            s_parcel_t *p = &ps[line];
            cr_assert(pu_json_str(manifest + off, "parcel_id", p->id, sizeof(p->id)));
            /* The parcel-level origin_country follows "seller" in the generator's order;
             * items carry their own after "origin_country" too, so take the first one. */
            cr_assert(pu_json_str(manifest + off, "origin_country", p->origin, sizeof(p->origin)));
            p->chunk = chunk;
            *nl = '\n';
            off = (size_t)(nl - manifest) + 1;
            line++;
        }
        switch (chunk) {
        case 2: /* v1 -> v2, between chunks */
            s_replace(dir, wl, v2_text);
            kill(screen, SIGHUP);
            s_wait_for(screen_err, "reload: watchlist", 1);
            break;
        case 3: /* a broken list is refused, v2 stays */
            s_replace(dir, wl, bad_text);
            kill(screen, SIGHUP);
            s_wait_for(screen_err, "reload refused", 1);
            s_replace(dir, wl, v2_text);
            break;
        case 4: /* v2 -> v3 while chunk 4 is being screened: its parcels get v2 or v3 */
            s_replace(dir, wl, v3_text);
            kill(screen, SIGHUP);
            break;
        case 5: /* v3 published; v3 again while chunk 5 is being screened */
            s_wait_for(screen_err, "reload: watchlist", 2);
            kill(screen, SIGHUP);
            break;
        default:
            break;
        }
        s_write_all(in_fd, manifest + start, off - start);
    }
    close(in_fd);
    s_wait_for(screen_err, "reload: watchlist", 3);
    int ist = -1;
    waitpid(ingest, &ist, 0);
    char *ilog = pu_read(ingest_err, NULL);
    cr_assert(WIFEXITED(ist) && WEXITSTATUS(ist) == 0, "ingest: %s", ilog ? ilog : "");
    free(ilog);
    s_wait_for(screen_err, "END forwarded", 1);
    kill(screen, SIGTERM);
    kill(sink, SIGTERM);
    int s1 = -1, s2 = -1;
    waitpid(screen, &s1, 0);
    waitpid(sink, &s2, 0);
    char *slog = pu_read(screen_err, NULL);
    if (getenv("PS_RELOAD_SHOW_LOG"))
        fprintf(stderr, "%s", slog);
    cr_assert(WIFEXITED(s1) && WEXITSTATUS(s1) == 0, "screen: %s", slog);
    cr_assert(WIFEXITED(s2) && WEXITSTATUS(s2) == 0, "sink");

    /* screen forwarded each parcel once (a parcel screened twice would count twice). */
    char want_line[96];
    snprintf(want_line, sizeof(want_line), "END forwarded after %zu parcels", total);
    cr_assert_not_null(strstr(slog, want_line), "%s", slog);
    cr_assert_eq(s_count_in(screen_err, "reload refused"), 1, "%s", slog);
    cr_assert_not_null(strstr(slog, "no-such-kind"), "the refusal names the reason: %s", slog);
    cr_assert_eq(s_count_in(screen_err, "reload: watchlist"), 3, "%s", slog);
    free(slog);

    char *exp = pu_path(dir, "reload.ndjson");
    char *exp_argv[] = {BIN, "export", "--db", db, NULL};
    st = pu_run(exp_argv, exp, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "export failed");
    pu_verdicts_t v;
    cr_assert(pu_verdicts_load(exp, &v));
    cr_assert_eq(v.lines.count, total, "one verdict per parcel");
    cr_assert(!pu_verdicts_has_duplicates(&v));

    qsort(ps, total, sizeof(*ps), s_parcel_cmp);
    size_t by_version[3] = {0, 0, 0};
    size_t gb_new = 0;
    size_t us_new = 0;
    for (size_t i = 0; i < total; i++) {
        const char *ln = pu_verdicts_find(&v, ps[i].id);
        cr_assert_not_null(ln, "no verdict for %s", ps[i].id);
        char ver[64];
        cr_assert(pu_json_str(ln, "watchlist_version", ver, sizeof(ver)), "%s", ln);
        int k = !strcmp(ver, v1) ? 0 : !strcmp(ver, v2) ? 1 : !strcmp(ver, v3) ? 2 : -1;
        cr_assert_neq(k, -1, "%s: version %s was never loaded", ps[i].id, ver);
        by_version[k]++;
        bool gb = pu_line_has_rule(ln, "RELOAD-GB");
        bool us = pu_line_has_rule(ln, "RELOAD-US");
        cr_assert(!pu_line_has_rule(ln, "RELOAD-BAD"));
        if (k == 0)
            cr_assert(!gb && !us, "%s screened by %s but has a new rule's hit", ps[i].id, ver);
        if (k == 1)
            cr_assert(!us, "%s screened by %s but has RELOAD-US", ps[i].id, ver);
        if (k >= 1 && !strcmp(ps[i].origin, "GB")) {
            cr_assert(gb, "%s from GB screened by %s without RELOAD-GB: %s", ps[i].id, ver, ln);
            gb_new++;
        }
        if (k == 2 && !strcmp(ps[i].origin, "US")) {
            cr_assert(us, "%s from US screened by %s without RELOAD-US: %s", ps[i].id, ver, ln);
            us_new++;
        }
        /* Chunks fed after a reload was published are screened by it (or a later one). */
        if (ps[i].chunk >= 2)
            cr_assert_geq(k, 1, "%s of chunk %d screened by %s", ps[i].id, ps[i].chunk, ver);
        if (ps[i].chunk >= 5)
            cr_assert_eq(k, 2, "%s of chunk %d screened by %s", ps[i].id, ps[i].chunk, ver);
    }
    cr_log_info("verdicts by version: %s %zu, %s %zu, %s %zu; new-rule hits GB %zu, US %zu", v1,
                by_version[0], v2, by_version[1], v3, by_version[2], gb_new, us_new);
    cr_assert_gt(by_version[0], 0);
    cr_assert_gt(by_version[1], 0);
    cr_assert_gt(by_version[2], 0);
    cr_assert_gt(gb_new, 0);
    cr_assert_gt(us_new, 0);
    /* The compiled file follows the reloads: it now holds v3's databases. */
    char *chk = pu_path(dir, "check.out");
    char *chk_argv[] = {BIN, "watchlist", "check", "--watchlist", wl, "--compiled", compiled, NULL};
    st = pu_run(chk_argv, chk, NULL);
    char *co = pu_read(chk, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    cr_assert_not_null(strstr(co, "loaded from the compiled file"), "%s", co);
    free(co), free(chk);

    pu_verdicts_free(&v);
    free(ps), free(manifest), free(manifest_path), free(exp);
    free(sink_err), free(screen_err), free(ingest_err), free(db), free(compiled), free(wl);
    free(v1_text), free(v2_text), free(v3_text), free(bad_text), free(demo), free(demo_path);
    free(gen_err);
    pu_rmtree(dir);
    free(dir);
}
