/* allowlist.c -- officers' false positives, loaded next to the matcher and read by scanners.
 *
 * DESIGN: an allow-list is a set of (rule index, NAME-normalised party name) pairs held in a
 * screen__table_t (table.c): the key is the normalised name, each reference carries a rule
 * index, so a lookup is one hash probe and a scan of the (few) rules allow-listed under that
 * name. The set is built when the matcher is built (screen_matcher_load_allowlist, called by
 * the stage's build path right after screen_matcher_new), lives in the matcher and is freed with
 * it, so a reload that builds a new matcher re-reads the files and workers switch to both at
 * once. Rule ids are resolved to indices at load through a temporary id table of the active
 * name rules; entries of other rules are counted, not kept.
 *
 * The key is the hit's matched text, not the whole party field: that is what the sink has (a
 * verdict carries the matched span, the parcel itself is not stored), and it is what the rule
 * fired on. Both sides go through screen_normalize(NAME): the file's name_key at load, the
 * matched span of each name hit when a verdict is built -- only for name hits and only when an
 * allow-list is attached, into the scanner's reused buffer (no allocation per parcel).
 *
 * Any bad record refuses the whole set with file:line: reason, like a watchlist: an allow-list
 * that silently lost entries would put cleared parties back in the queue without a word. */
#include "screen/allowlist.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "internal.h"
#include "screen/normalize.h"

#define S_MAX_FILE (256u << 20) /* bytes: an allow-list is small; refuse a runaway file */

void screen__allow_clear(screen__allow_t *self)
{
    core_assert(self != NULL);
    screen__table_clear(&self->names);
    memset(self, 0, sizeof(*self));
}

bool screen__allow_has(const screen__allow_t *self, uint32_t rule, const char *text, size_t len,
                       screen_norm_t *norm)
{
    if (self->names.group_count == 0 || len == 0)
        return false;
    screen_normalize(norm, text, len, SCREEN_NORM_NAME);
    if (norm->len == 0)
        return false;
    const screen__group_t *g = screen__table_find(&self->names, norm->text, norm->len);
    if (g == NULL)
        return false;
    for (uint32_t i = 0; i < g->ref_count; i++) {
        if (self->names.refs[g->ref_first + i].rule == rule)
            return true;
    }
    return false;
}

static bool s_field_is(core_str_t field, const char *name)
{
    return field.len == strlen(name) && memcmp(field.ptr, name, field.len) == 0;
}

/* Checks one rule_id or name_key value; returns a reason or NULL. */
static const char *s_value_problem(core_str_t v, size_t max)
{
    if (v.len == 0)
        return "is empty";
    if (v.len > max)
        return "is too long";
    if (!core_utf8_valid(v.ptr, v.len))
        return "is not valid UTF-8";
    return NULL;
}

typedef struct {
    screen__table_t *ids;  /* active name rules by id */
    screen__allow_t *next; /* being built */
    screen_norm_t norm;    /* normaliser buffer */
    core_buf_t data;       /* file contents */
} s_loader_t;

static int s_load_file(s_loader_t *ld, const char *path, char *err)
{
    core_buf_reset(&ld->data);
    int rc = core_buf_read_file(&ld->data, path, S_MAX_FILE, err);
    if (rc != 0)
        return rc;
    screen__csv_t csv;
    screen__csv_init(&csv, ld->data.data ? ld->data.data : "", ld->data.len);
    screen__csv_record_t rec;
    char why[CORE_ERR_LEN] = "";
    size_t columns = 0;
    size_t col_rule = SIZE_MAX;
    size_t col_name = SIZE_MAX;
    rc = screen__csv_next(&csv, &rec, why);
    if (rc == 0) {
        core_err_set(err, "%s:1: missing header (rule_id,name_key,...)", path);
        rc = -EINVAL;
        goto out;
    }
    if (rc < 0)
        goto out_why;
    columns = rec.count;
    for (size_t i = 0; i < rec.count; i++) {
        if (col_rule == SIZE_MAX && s_field_is(rec.fields[i], "rule_id"))
            col_rule = i;
        else if (col_name == SIZE_MAX && s_field_is(rec.fields[i], "name_key"))
            col_name = i;
    }
    if (col_rule == SIZE_MAX || col_name == SIZE_MAX) {
        core_err_set(err, "%s:%u: missing column %s", path, rec.line,
                     col_rule == SIZE_MAX ? "rule_id" : "name_key");
        rc = -EINVAL;
        goto out;
    }
    while ((rc = screen__csv_next(&csv, &rec, why)) == 1) {
        if (rec.count != columns) {
            core_err_set(err, "%s:%u: %zu fields, the header has %zu", path, rec.line, rec.count,
                         columns);
            rc = -EINVAL;
            goto out;
        }
        core_str_t rule_id = rec.fields[col_rule];
        core_str_t name = rec.fields[col_name];
        const char *problem = s_value_problem(rule_id, SCREEN_ALLOWLIST_MAX_RULE_ID);
        const char *what = "rule_id";
        if (problem == NULL) {
            problem = s_value_problem(name, SCREEN_ALLOWLIST_MAX_NAME);
            what = "name_key";
        }
        if (problem == NULL) {
            screen_normalize(&ld->norm, name.ptr, name.len, SCREEN_NORM_NAME);
            if (ld->norm.len == 0)
                problem = "has no letters or digits";
        }
        if (problem) {
            core_err_set(err, "%s:%u: %s %s", path, rec.line, what, problem);
            rc = -EINVAL;
            goto out;
        }
        ld->next->info.entries++;
        const screen__group_t *g = screen__table_find(ld->ids, rule_id.ptr, rule_id.len);
        if (g == NULL) {
            ld->next->info.unmatched++;
            continue;
        }
        screen__ref_t ref = {.rule = ld->ids->refs[g->ref_first].rule};
        screen__table_add(&ld->next->names, ld->norm.text, ld->norm.len, ref);
    }
    if (rc == 0)
        goto out;
out_why:
    core_err_set(err, "%s:%u: %s", path, rec.line, why);
    rc = -EINVAL;
out:
    screen__csv_clear(&csv);
    return rc;
}

int screen_matcher_load_allowlist(screen_matcher_t *matcher, const char *const *paths, size_t count,
                                  char *err)
{
    core_assert(matcher != NULL);
    core_assert(paths != NULL || count == 0);
    screen__table_t ids;
    screen__table_init(&ids);
    for (size_t r = 0; r < matcher->rule_count; r++) {
        const screen_rule_t *rule = &matcher->rules[r];
        if (rule->kind == SCREEN_KIND_NAME)
            screen__table_add(&ids, rule->id, strlen(rule->id),
                              (screen__ref_t){.rule = (uint32_t)r});
    }
    screen__table_finish(&ids);
    screen__allow_t next;
    memset(&next, 0, sizeof(next));
    screen__table_init(&next.names);
    s_loader_t ld = {.ids = &ids, .next = &next};
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = s_load_file(&ld, paths[i], err);
    screen_norm_clear(&ld.norm);
    core_buf_clear(&ld.data);
    screen__table_clear(&ids);
    if (rc != 0) {
        screen__allow_clear(&next);
        return rc;
    }
    screen__table_finish(&next.names);
    next.info.files = count;
    next.info.active = next.names.ref_count;
    screen__allow_clear(&matcher->allow);
    matcher->allow = next;
    core_log(CORE_LOG_INFO,
             "allow-list: %zu entries from %zu files, %zu in effect, %zu for rules that are not "
             "loaded name rules",
             next.info.entries, next.info.files, next.info.active, next.info.unmatched);
    return 0;
}

screen_allowlist_info_t screen_matcher_allowlist_info(const screen_matcher_t *matcher)
{
    core_assert(matcher != NULL);
    return matcher->allow.info;
}
