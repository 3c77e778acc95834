/* import_csl.c -- US Consolidated Screening List (trade.gov csl.csv) -> SPEC name rules.
 *
 * DESIGN: UTF-8 CSV with a header (_id, source, entity_number, type, programs, name, ...,
 * addresses, ..., alt_names, ...), columns found by name. Quirks and choices:
 *   - The export repeats its header as a data row (source == "source"): skipped and counted.
 *   - One row per (entity, source list); an entity on two lists (an OFAC SDN also on the SSI or
 *     NS-MBS list) has two rows with the same _id, not always next to each other. Rows are
 *     sorted by _id (file order kept within) and each _id is one entity: the first row's name
 *     is the primary name, the other rows' names and every ';'-separated alt_names entry are
 *     strong aliases (the CSL has no alias quality). The note lists the sources by their
 *     abbreviation ("SDN, SSI") and the programs.
 *   - Ids <PREFIX>-<_id>[-A<n>]: _id is the OFAC ent_num for Treasury lists and a 56-digit hex
 *     hash for the BIS/State lists, so the id stays traceable to the row.
 *   - The ';'-separated addresses are counted (distinct per entity) and skipped. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "import_internal.h"

typedef struct {
    char *id;       /* _id */
    char *source;   /* abbreviation: SDN, EL, DPL, ... */
    char *programs; /* programs */
    char *name;     /* name */
    char *alt;      /* alt_names, ';'-separated */
    bool person;    /* type Individual */
    size_t order;   /* file order */
} s_row_t;

typedef struct {
    s_row_t *rows;
    size_t count, cap;
    size_t headers;             /* repeated header rows skipped */
    size_t malformed;           /* rows without _id or name */
    screen__import_set_t addrs; /* hashes of id + address */
    size_t addresses;           /* distinct addresses skipped */
} s_csl_t;

enum { C_ID, C_SOURCE, C_TYPE, C_PROGRAMS, C_NAME, C_ADDRESSES, C_ALT, C_COUNT };
static const char *const s_columns[C_COUNT] = {"_id",  "source",    "type",     "programs",
                                               "name", "addresses", "alt_names"};

static int s_row_cmp(const void *pa, const void *pb)
{
    const s_row_t *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    if (c != 0)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* "Entity List (EL) - Bureau of Industry and Security" -> "EL". */
static char *s_abbreviation(const char *source)
{
    const char *open = strchr(source, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (open && close && close > open + 1)
        return core_strndup(open + 1, (size_t)(close - open - 1));
    return core_strdup(source);
}

static void s_addresses(s_csl_t *c, const char *id, const char *addresses)
{
    char *copy = core_strdup(addresses);
    char *save = NULL;
    for (char *a = strtok_r(copy, ";", &save); a; a = strtok_r(NULL, ";", &save)) {
        screen__import_trim(a);
        if (a[0] == '\0')
            continue;
        uint64_t h = core_hash64(a, strlen(a), core_hash64(id, strlen(id), 0));
        if (screen__import_set_add(&c->addrs, h))
            c->addresses++;
    }
    free(copy);
}

static int s_read(s_csl_t *c, const char *path, char *err)
{
    screen__import_csv_t csv;
    int rc = screen__import_csv_open(&csv, path, err);
    if (rc != 0)
        return rc;
    int col[C_COUNT];
    rc = screen__import_csv_next(&csv, err);
    for (int i = 0; i < C_COUNT && rc == 1; i++)
        col[i] = screen__import_csv_column(&csv, s_columns[i]);
    if (rc == 1 && (col[C_ID] < 0 || col[C_SOURCE] < 0 || col[C_NAME] < 0)) {
        core_err_set(err, "%s: header without _id, source and name", path);
        screen__import_csv_close(&csv);
        return -EINVAL;
    }
    while (rc == 1 && (rc = screen__import_csv_next(&csv, err)) == 1) {
        const char *v[C_COUNT];
        for (int i = 0; i < C_COUNT; i++)
            v[i] = col[i] < 0 ? "" : screen__import_csv_get(&csv, (size_t)col[i]);
        if (strcmp(v[C_SOURCE], "source") == 0 && strcmp(v[C_ID], "_id") == 0) {
            c->headers++;
            continue;
        }
        if (v[C_ID][0] == '\0' || v[C_NAME][0] == '\0') {
            c->malformed++;
            continue;
        }
        s_addresses(c, v[C_ID], v[C_ADDRESSES]);
        if (c->count == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 4096;
            c->rows = core_realloc(c->rows, c->cap * sizeof(*c->rows));
        }
        c->rows[c->count] = (s_row_t){.id = core_strdup(v[C_ID]),
                                      .source = s_abbreviation(v[C_SOURCE]),
                                      .programs = core_strdup(v[C_PROGRAMS]),
                                      .name = core_strdup(v[C_NAME]),
                                      .alt = core_strdup(v[C_ALT]),
                                      .person = strcmp(v[C_TYPE], "Individual") == 0,
                                      .order = c->count};
        c->count++;
    }
    if (rc == -EINVAL && csv.p >= csv.end) {
        c->malformed++; /* the last record is cut inside a quoted field (a truncated file) */
        rc = 0;
    }
    if (rc < 0)
        core_err_prefix(err, "%s", path);
    screen__import_csv_close(&csv);
    return rc < 0 ? rc : 0;
}

/* Writes the entity of rows [first, first + n). */
static void s_entity(screen__import_entities_t *names, const s_row_t *rows, size_t n)
{
    char note[256];
    size_t len = (size_t)snprintf(note, sizeof(note), "US CSL");
    for (size_t i = 0; i < n && len < sizeof(note); i++) {
        bool repeat = false;
        for (size_t j = 0; j < i; j++)
            repeat = repeat || strcmp(rows[j].source, rows[i].source) == 0;
        if (!repeat)
            len += (size_t)snprintf(note + len, sizeof(note) - len, "%s%s", i ? ", " : " ",
                                    rows[i].source);
    }
    if (len < sizeof(note))
        snprintf(note + len, sizeof(note) - len, "; programs %s; %s",
                 rows[0].programs[0] ? rows[0].programs : "-",
                 rows[0].person ? "individual" : "entity");
    bool person = false;
    for (size_t i = 0; i < n; i++)
        person = person || rows[i].person;
    screen__import_entities_begin(names, rows[0].id, note, person);
    for (size_t i = 0; i < n; i++)
        screen__import_entities_name(names, rows[i].name,
                                     i == 0 ? SCREEN__IMPORT_PRIMARY : SCREEN__IMPORT_STRONG,
                                     i == 0 ? "primary name" : "name on another source list");
    for (size_t i = 0; i < n; i++) {
        char *copy = core_strdup(rows[i].alt);
        char *save = NULL;
        for (char *a = strtok_r(copy, ";", &save); a; a = strtok_r(NULL, ";", &save)) {
            screen__import_trim(a);
            if (a[0] != '\0')
                screen__import_entities_name(names, a, SCREEN__IMPORT_STRONG, "alt name");
        }
        free(copy);
    }
    screen__import_entities_end(names);
}

int screen__import_csl(const screen__import_opts_t *opts, screen__import_out_t *out, char *err)
{
    s_csl_t c;
    memset(&c, 0, sizeof(c));
    int rc = s_read(&c, opts->input, err);
    if (rc != 0)
        goto out;
    if (c.count > 0)
        qsort(c.rows, c.count, sizeof(*c.rows), s_row_cmp);
    screen__import_entities_t names;
    screen__import_entities_init(&names, out, opts->list, opts->scope, opts->weight);
    for (size_t i = 0; i < c.count;) {
        size_t n = 1;
        while (i + n < c.count && strcmp(c.rows[i + n].id, c.rows[i].id) == 0)
            n++;
        s_entity(&names, c.rows + i, n);
        i += n;
    }
    char summary[512];
    screen__import_entities_summary(&names, summary, sizeof(summary));
    fprintf(stderr,
            "parcelscreen: import: %s: %zu rows; %s; %zu repeated header rows skipped, %zu "
            "malformed rows; %zu addresses skipped (names only)\n",
            opts->list, c.count, summary, c.headers, c.malformed, c.addresses);
    screen__import_entities_clear(&names);
    if (c.count == 0) {
        core_err_set(err, "%s: no rows", opts->input);
        rc = -EINVAL;
    }
out:
    for (size_t i = 0; i < c.count; i++) {
        free(c.rows[i].id);
        free(c.rows[i].source);
        free(c.rows[i].programs);
        free(c.rows[i].name);
        free(c.rows[i].alt);
    }
    free(c.rows);
    screen__import_set_clear(&c.addrs);
    return rc;
}
