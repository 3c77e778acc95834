/* pipeline_util.c -- process and file helpers for the pipeline tests. */
#include "pipeline_util.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *pu_tmpdir(void)
{
    char tmpl[] = "/tmp/ps-pipe-XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static int s_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void pu_rmtree(const char *dir)
{
    if (dir && getenv("PS_KEEP_TMP") == NULL)
        nftw(dir, s_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static void s_redirect(int fd, const char *path, int flags)
{
    int f = open(path ? path : "/dev/null", flags, 0644);
    if (f >= 0) {
        dup2(f, fd);
        close(f);
    }
}

pid_t pu_spawn(char *const argv[], const char *out_path, const char *err_path)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        s_redirect(STDIN_FILENO, NULL, O_RDONLY);
        s_redirect(STDOUT_FILENO, out_path, O_WRONLY | O_CREAT | O_TRUNC);
        s_redirect(STDERR_FILENO, err_path, O_WRONLY | O_CREAT | O_TRUNC);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

int pu_run(char *const argv[], const char *out_path, const char *err_path)
{
    pid_t pid = pu_spawn(argv, out_path, err_path);
    int status = -1;
    waitpid(pid, &status, 0);
    return status;
}

char *pu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    size_t got = fread(data, 1, (size_t)n, f);
    fclose(f);
    data[got] = '\0';
    if (len)
        *len = got;
    return data;
}

void pu_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return;
    fwrite(data, 1, len, f);
    fclose(f);
}

long long pu_count(const char *text, const char *label)
{
    const char *p = text ? strstr(text, label) : NULL;
    if (p == NULL)
        return -1;
    p += strlen(label);
    while (*p == ':' || *p == ' ')
        p++;
    return strtoll(p, NULL, 10);
}

bool pu_json_str(const char *line, const char *key, char *out, size_t out_len)
{
    char pat[64];
    snprintf(pat, sizeof(pat), "\"%s\"", key);
    const char *p = strstr(line, pat);
    if (p == NULL)
        return false;
    p += strlen(pat);
    while (*p == ' ' || *p == ':')
        p++;
    if (*p != '"')
        return false;
    p++;
    size_t n = 0;
    while (*p && *p != '"' && n + 1 < out_len) {
        if (*p == '\\' && p[1])
            p++;
        out[n++] = *p++;
    }
    out[n] = '\0';
    return true;
}

bool pu_lines_read(const char *path, pu_lines_t *out)
{
    memset(out, 0, sizeof(*out));
    size_t len = 0;
    out->data = pu_read(path, &len);
    if (out->data == NULL)
        return false;
    size_t cap = 1024;
    out->lines = malloc(cap * sizeof(*out->lines));
    char *p = out->data;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (out->count == cap) {
            cap *= 2;
            out->lines = realloc(out->lines, cap * sizeof(*out->lines));
        }
        out->lines[out->count++] = p;
        if (nl == NULL)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return true;
}

void pu_lines_free(pu_lines_t *lines)
{
    free(lines->data);
    free(lines->lines);
    memset(lines, 0, sizeof(*lines));
}

typedef struct {
    char *id;   /* parcel id */
    char *line; /* export line */
} s_pair_t;

static int s_pair_cmp(const void *a, const void *b)
{
    return strcmp(((const s_pair_t *)a)->id, ((const s_pair_t *)b)->id);
}

bool pu_verdicts_load(const char *export_path, pu_verdicts_t *out)
{
    memset(out, 0, sizeof(*out));
    if (!pu_lines_read(export_path, &out->lines))
        return false;
    size_t n = out->lines.count;
    s_pair_t *pairs = calloc(n ? n : 1, sizeof(*pairs));
    for (size_t i = 0; i < n; i++) {
        char id[256] = "";
        pu_json_str(out->lines.lines[i], "parcel_id", id, sizeof(id));
        pairs[i].id = strdup(id);
        pairs[i].line = out->lines.lines[i];
    }
    qsort(pairs, n, sizeof(*pairs), s_pair_cmp);
    out->ids = calloc(n ? n : 1, sizeof(*out->ids));
    out->sorted = calloc(n ? n : 1, sizeof(*out->sorted));
    for (size_t i = 0; i < n; i++) {
        out->ids[i] = pairs[i].id;
        out->sorted[i] = pairs[i].line;
    }
    free(pairs);
    return true;
}

const char *pu_verdicts_find(const pu_verdicts_t *v, const char *parcel_id)
{
    size_t lo = 0, hi = v->lines.count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(v->ids[mid], parcel_id);
        if (c == 0)
            return v->sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool pu_verdicts_has_duplicates(const pu_verdicts_t *v)
{
    for (size_t i = 1; i < v->lines.count; i++)
        if (strcmp(v->ids[i - 1], v->ids[i]) == 0)
            return true;
    return false;
}

void pu_verdicts_free(pu_verdicts_t *v)
{
    for (size_t i = 0; i < v->lines.count; i++)
        free(v->ids[i]);
    free(v->ids);
    free(v->sorted);
    pu_lines_free(&v->lines);
}

bool pu_line_has_rule(const char *line, const char *rule_id)
{
    const char *p = line;
    while ((p = strstr(p, "\"rule_id\"")) != NULL) {
        char id[256];
        if (pu_json_str(p, "rule_id", id, sizeof(id)) && strcmp(id, rule_id) == 0)
            return true;
        p += 9;
    }
    return false;
}

char *pu_path(const char *dir, const char *name)
{
    char *p = NULL;
    if (asprintf(&p, "%s/%s", dir, name) < 0)
        abort();
    return p;
}

void pu_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

void pu_generate_demo(const char *dir, const char *parcels, const char *seed)
{
    char *err = pu_path(dir, "gen.err");
    char *argv[] = {PS_PARCELSCREEN, "generate",  "--parcels", (char *)parcels,    "--seed",
                    (char *)seed,    "--out-dir", (char *)dir, "--demo-watchlist", NULL};
    int st = pu_run(argv, NULL, err);
    char *log = pu_read(err, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "generate failed: %s", log ? log : "");
    free(log);
    free(err);
}

void pu_export(const char *db, const char *path)
{
    char *argv[] = {PS_PARCELSCREEN, "export", "--db", (char *)db, NULL};
    int st = pu_run(argv, path, NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "export of %s failed", db);
}

char *pu_canonical_export(const char *db, const char *path, size_t *count)
{
    pu_export(db, path);
    pu_verdicts_t v;
    cr_assert(pu_verdicts_load(path, &v), "cannot read %s", path);
    cr_assert_not(pu_verdicts_has_duplicates(&v), "a parcel has two verdicts in %s", db);
    size_t total = 0;
    for (size_t i = 0; i < v.lines.count; i++)
        total += strlen(v.sorted[i]) + 1;
    char *all = malloc(total + 1);
    size_t n = 0;
    for (size_t i = 0; i < v.lines.count; i++) {
        const char *line = v.sorted[i];
        const char *t = strstr(line, "\"screened_at\"");
        if (t) {
            const char *q = strchr(t + 13, '"'); /* opening quote of the value */
            q = q ? strchr(q + 1, '"') : NULL;   /* closing quote */
            memcpy(all + n, line, (size_t)(t - line));
            n += (size_t)(t - line);
            line = q ? q + 1 : t + 13;
        }
        size_t rest = strlen(line);
        memcpy(all + n, line, rest);
        n += rest;
        all[n++] = '\n';
    }
    all[n] = '\0';
    if (count)
        *count = v.lines.count;
    pu_verdicts_free(&v);
    return all;
}
