/* helpers.c -- shared fixtures of the screen tests. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

void th_tmp_init(th_tmp_t *t)
{
    memset(t, 0, sizeof(*t));
    snprintf(t->dir, sizeof(t->dir), "/tmp/ps-screen-XXXXXX");
    cr_assert_not_null(mkdtemp(t->dir), "mkdtemp");
}

const char *th_tmp_write(th_tmp_t *t, const char *name, const char *content, long len)
{
    cr_assert_lt(t->count, TH_MAX_FILES);
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", t->dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "fopen %s", path);
    size_t n = len < 0 ? strlen(content) : (size_t)len;
    cr_assert_eq(fwrite(content, 1, n, f), n);
    fclose(f);
    for (int i = 0; i < t->count; i++) {
        if (strcmp(t->paths[i], path) == 0)
            return t->paths[i];
    }
    t->paths[t->count] = core_strdup(path);
    return t->paths[t->count++];
}

void th_tmp_clear(th_tmp_t *t)
{
    for (int i = 0; i < t->count; i++) {
        unlink(t->paths[i]);
        free(t->paths[i]);
    }
    t->count = 0;
    if (t->dir[0])
        rmdir(t->dir);
    t->dir[0] = '\0';
}

void th_screen_init(th_screen_t *s, const char *csv, const screen_policy_t *policy)
{
    memset(s, 0, sizeof(*s));
    th_tmp_init(&s->tmp);
    const char *path = th_tmp_write(&s->tmp, "wl.csv", csv, -1);
    char err[CORE_ERR_LEN] = "";
    screen_watchlist_t *wl = screen_watchlist_load(&path, 1, NULL, err);
    cr_assert_not_null(wl, "load: %s", err);
    s->matcher = screen_matcher_new(&wl, err);
    cr_assert_not_null(s->matcher, "compile: %s", err);
    s->scanner = screen_scanner_new(s->matcher, policy, err);
    cr_assert_not_null(s->scanner, "scanner: %s", err);
    core_arena_init(&s->arena, 0);
}

void th_screen_clear(th_screen_t *s)
{
    screen_scanner_destroy(&s->scanner);
    screen_matcher_destroy(&s->matcher);
    core_arena_clear(&s->arena);
    th_tmp_clear(&s->tmp);
}

void th_screen(th_screen_t *s, const proto_parcel_t *p, proto_verdict_t *v)
{
    core_arena_reset(&s->arena);
    cr_assert_eq(screen_scanner_screen(s->scanner, p, v, &s->arena), 0);
}

int th_refused(const char *csv, char *err)
{
    th_tmp_t tmp;
    th_tmp_init(&tmp);
    const char *path = th_tmp_write(&tmp, "wl.csv", csv, -1);
    err[0] = '\0';
    screen_watchlist_t *wl = screen_watchlist_load(&path, 1, NULL, err);
    screen_matcher_t *m = wl ? screen_matcher_new(&wl, err) : NULL;
    int rc = m ? -1 : 0;
    screen_matcher_destroy(&m);
    th_tmp_clear(&tmp);
    return rc;
}

void th_parcel(proto_parcel_t *p, proto_item_t *items, const char *id, const char *desc)
{
    proto_parcel_init(p);
    memset(items, 0, sizeof(*items));
    p->parcel_id = core_str_from(id);
    items[0].line_no = 1;
    items[0].description = core_str_from(desc);
    p->items = items;
    p->item_count = 1;
}

const proto_hit_t *th_hit(const proto_verdict_t *v, const char *rule_id)
{
    for (uint32_t i = 0; i < v->hit_count; i++) {
        if (core_str_eq_cstr(v->hits[i].rule_id, rule_id))
            return &v->hits[i];
    }
    return NULL;
}

int th_hit_count(const proto_verdict_t *v, const char *rule_id)
{
    int n = 0;
    for (uint32_t i = 0; i < v->hit_count; i++)
        n += core_str_eq_cstr(v->hits[i].rule_id, rule_id);
    return n;
}

static const char *s_copy(core_str_t v, char *buf, size_t cap)
{
    snprintf(buf, cap, "%.*s", (int)v.len, v.ptr ? v.ptr : "");
    return buf;
}

const char *th_field(const proto_hit_t *h)
{
    static char buf[128];
    return s_copy(h->field, buf, sizeof(buf));
}

const char *th_matched(const proto_hit_t *h)
{
    static char buf[512];
    return s_copy(h->matched, buf, sizeof(buf));
}
