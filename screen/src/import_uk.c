/* import_uk.c -- UK HM Treasury / OFSI consolidated list (ConList.csv) -> SPEC name rules.
 *
 * DESIGN: the file is Windows-1252 with CRLF; line 1 is a title row ("Last Updated,27/04/2020")
 * and the header follows. It is converted to UTF-8 first (import_text.c: 0x92 -> U+2019,
 * 0xE9 -> U+00E9), then read as CSV; records before the header (the one that has "Name 6" and
 * "Group ID") are skipped. One row per name; a target (Group ID) has several rows, not next to
 * each other (the file is sorted by name), and repeats a name once per date of birth. So all
 * rows are read, sorted by Group ID with the primary name first, and written per group.
 *   - Name: "Name 6" is the surname or the organisation's name, "Name 1".."Name 5" the given
 *     names; a person with given names is written "SURNAME, Given Names" (the matcher also
 *     tries "Given Names SURNAME"). Title is left out (honorifics are not names).
 *   - Alias Type: "Prime Alias" (newer files: "Primary name") is the primary name, "AKA" a
 *     strong alias, "FKA" weak (weight - 30); an "Alias Quality" column, where present, makes
 *     a "Low quality" alias weak as well.
 *   - Ids <PREFIX>-<Group ID>[-A<n>]; the note keeps the group id, regime and group type.
 *   - Addresses are counted (distinct per group) and skipped, as for the other lists. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "import_internal.h"

typedef struct {
    long group;                         /* Group ID */
    char *name;                         /* assembled name */
    screen__import_strength_t strength; /* from Alias Type / Alias Quality */
    bool person;                        /* Group Type Individual */
    char *regime;                       /* Regime */
    size_t order;                       /* file order */
} s_row_t;

typedef struct {
    s_row_t *rows;
    size_t count, cap;
    size_t malformed;           /* rows without a numeric Group ID or a name */
    screen__import_set_t addrs; /* hashes of group + address seen */
    size_t addresses;           /* distinct addresses skipped */
} s_uk_t;

enum {
    C_NAME6,
    C_NAME1,
    C_NAME2,
    C_NAME3,
    C_NAME4,
    C_NAME5,
    C_TYPE,
    C_ALIAS,
    C_QUALITY,
    C_REGIME,
    C_GROUP,
    C_ADDR1,
    C_COUNT
};
static const char *const s_columns[C_COUNT] = {
    "Name 6",     "Name 1",     "Name 2",        "Name 3", "Name 4",   "Name 5",
    "Group Type", "Alias Type", "Alias Quality", "Regime", "Group ID", "Address 1"};

static int s_row_cmp(const void *pa, const void *pb)
{
    const s_row_t *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    bool ap = a->strength == SCREEN__IMPORT_PRIMARY, bp = b->strength == SCREEN__IMPORT_PRIMARY;
    if (ap != bp)
        return ap ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static const char *s_get(const screen__import_csv_t *csv, const int *col, int c)
{
    return col[c] < 0 ? "" : screen__import_csv_get(csv, (size_t)col[c]);
}

/* Assembles the name of the current row into buf. */
static void s_name(const screen__import_csv_t *csv, const int *col, bool person, core_buf_t *buf)
{
    core_buf_reset(buf);
    char surname[512];
    snprintf(surname, sizeof(surname), "%s", s_get(csv, col, C_NAME6));
    screen__import_trim(surname);
    core_buf_append_str(buf, surname);
    bool given = false;
    for (int c = C_NAME1; c <= C_NAME5; c++) {
        char part[512];
        snprintf(part, sizeof(part), "%s", s_get(csv, col, c));
        screen__import_trim(part);
        if (part[0] == '\0')
            continue;
        if (buf->len > 0)
            core_buf_append_str(buf, given || !person ? " " : ", ");
        core_buf_append_str(buf, part);
        given = true;
    }
    core_buf_cstr(buf);
}

static void s_address(s_uk_t *uk, const screen__import_csv_t *csv, const int *col, long group)
{
    uint64_t h = (uint64_t)group * 0x9E3779B97F4A7C15ULL;
    bool any = false;
    for (int i = 0; i < 7; i++) { /* Address 1..6 and Post/Zip Code follow "Address 1" */
        const char *a = screen__import_csv_get(csv, (size_t)col[C_ADDR1] + (size_t)i);
        any = any || a[0] != '\0';
        h = core_hash64(a, strlen(a), h);
    }
    if (any && screen__import_set_add(&uk->addrs, h))
        uk->addresses++;
}

static int s_read(s_uk_t *uk, const char *path, char *err)
{
    core_buf_t raw = {0}, utf8 = {0};
    int rc = core_buf_read_file(&raw, path, 0, err);
    if (rc != 0) {
        core_buf_clear(&raw);
        return rc;
    }
    screen__import_to_utf8(raw.data, raw.len, SCREEN__IMPORT_CP1252, &utf8);
    core_buf_clear(&raw);
    screen__import_csv_t csv;
    screen__import_csv_from_buf(&csv, &utf8);
    int col[C_COUNT];
    bool header = false;
    core_buf_t name = {0};
    while ((rc = screen__import_csv_next(&csv, err)) == 1) {
        if (!header) {
            for (int c = 0; c < C_COUNT; c++)
                col[c] = screen__import_csv_column(&csv, s_columns[c]);
            header = col[C_NAME6] >= 0 && col[C_GROUP] >= 0;
            continue; /* the title row, then the header itself */
        }
        char *end = NULL;
        const char *group_text = s_get(&csv, col, C_GROUP);
        long group = strtol(group_text, &end, 10);
        bool person = strcmp(s_get(&csv, col, C_TYPE), "Individual") == 0;
        s_name(&csv, col, person, &name);
        if (end == group_text || *end != '\0' || group < 0 || name.len == 0) {
            uk->malformed++;
            continue;
        }
        if (col[C_ADDR1] >= 0)
            s_address(uk, &csv, col, group);
        const char *alias = s_get(&csv, col, C_ALIAS);
        screen__import_strength_t strength = SCREEN__IMPORT_STRONG;
        if (strcmp(alias, "Prime Alias") == 0 || strcmp(alias, "Primary name") == 0)
            strength = SCREEN__IMPORT_PRIMARY;
        else if (strcmp(alias, "FKA") == 0 || strcasestr(s_get(&csv, col, C_QUALITY), "low"))
            strength = SCREEN__IMPORT_WEAK;
        if (uk->count == uk->cap) {
            uk->cap = uk->cap ? uk->cap * 2 : 4096;
            uk->rows = core_realloc(uk->rows, uk->cap * sizeof(*uk->rows));
        }
        uk->rows[uk->count] = (s_row_t){.group = group,
                                        .name = core_strdup(name.data),
                                        .strength = strength,
                                        .person = person,
                                        .regime = core_strdup(s_get(&csv, col, C_REGIME)),
                                        .order = uk->count};
        uk->count++;
    }
    if (rc == -EINVAL && csv.p >= csv.end) {
        uk->malformed++; /* the last record is cut inside a quoted field (a truncated file) */
        rc = 0;
    }
    if (rc < 0)
        core_err_prefix(err, "%s", path);
    else if (!header) {
        core_err_set(err, "%s: no header with 'Name 6' and 'Group ID'", path);
        rc = -EINVAL;
    }
    core_buf_clear(&name);
    screen__import_csv_close(&csv);
    return rc < 0 ? rc : 0;
}

int screen__import_uk(const screen__import_opts_t *opts, screen__import_out_t *out, char *err)
{
    s_uk_t uk;
    memset(&uk, 0, sizeof(uk));
    int rc = s_read(&uk, opts->input, err);
    if (rc != 0)
        goto out;
    if (uk.count > 0)
        qsort(uk.rows, uk.count, sizeof(*uk.rows), s_row_cmp);
    screen__import_entities_t names;
    screen__import_entities_init(&names, out, opts->list, opts->scope, opts->weight);
    size_t people = 0, organisations = 0;
    for (size_t i = 0; i < uk.count;) {
        const s_row_t *first = &uk.rows[i];
        char entity[32], note[256];
        snprintf(entity, sizeof(entity), "%ld", first->group);
        snprintf(note, sizeof(note), "UK HMT group %ld; regime %s; %s", first->group,
                 first->regime[0] ? first->regime : "-", first->person ? "individual" : "entity");
        screen__import_entities_begin(&names, entity, note, first->person);
        size_t before = names.entities;
        for (; i < uk.count && uk.rows[i].group == first->group; i++) {
            const s_row_t *r = &uk.rows[i];
            const char *what = r->strength == SCREEN__IMPORT_PRIMARY ? "primary name"
                               : r->strength == SCREEN__IMPORT_WEAK
                                   ? "weak alias (FKA or low quality)"
                                   : "alias (AKA)";
            screen__import_entities_name(&names, r->name, r->strength, what);
        }
        screen__import_entities_end(&names);
        if (names.entities > before) {
            people += first->person;
            organisations += !first->person;
        }
    }
    char summary[512];
    screen__import_entities_summary(&names, summary, sizeof(summary));
    fprintf(stderr,
            "parcelscreen: import: %s: %zu name rows; %zu individuals, %zu entities; %s; %zu "
            "malformed rows; %zu addresses skipped (names only)\n",
            opts->list, uk.count, people, organisations, summary, uk.malformed, uk.addresses);
    screen__import_entities_clear(&names);
    if (uk.count == 0) {
        core_err_set(err, "%s: no name rows", opts->input);
        rc = -EINVAL;
    }
out:
    for (size_t i = 0; i < uk.count; i++) {
        free(uk.rows[i].name);
        free(uk.rows[i].regime);
    }
    free(uk.rows);
    screen__import_set_clear(&uk.addrs);
    return rc;
}
