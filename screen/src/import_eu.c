/* import_eu.c -- EU Financial Sanctions Files CSV, legacy 1.0 layout -> SPEC name rules.
 *
 * DESIGN: the 1.0 file has one line per combination of an entity with one of its name aliases,
 * addresses, births, identifications and citizenships (59 columns, several named
 * Entity_logical_id; the first one counts). Quirks:
 *   - Encoding: declared Latin-1, but it holds Windows-1252 bytes (0x92 ’, 0x9A š, 0x9E ž),
 *     so it is read as Windows-1252 (a superset of Latin-1's printable characters).
 *   - Each line is wrapped in one pair of double quotes, quotes inside doubled; inside, fields
 *     are ';'-separated and may themselves be quoted (""Former Governor of Karbala;"" holds a
 *     ';'). So a line is un-quoted as one CSV field first, then split on ';'. A line that does
 *     not have the header's column count or whose quote is not closed (the file we have is
 *     cut after 1,000 lines; a cut can fall inside a line) is counted as malformed.
 *   - The last field is padded with tabs; a line may end in CRLF.
 *   - Lines without a name (address, birth, id rows) only add addresses, counted and skipped.
 * Names: Naal_wholename, else first + middle + last name. Per entity (Entity_logical_id,
 * sorted, file order kept) the first name without a Naal_language is primary; the others,
 * translations and transliterations included, are strong aliases (1.0 has no alias quality).
 * Ids <PREFIX>-<Entity_logical_id>[-A<n>]; the note keeps the EU reference number
 * (EU.36.64), the programme and the subject type. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "import_internal.h"

#define EU_MAX_FIELDS 128

typedef struct {
    long entity;   /* Entity_logical_id */
    char *name;    /* assembled name */
    bool native;   /* no Naal_language */
    bool person;   /* Subject_type P */
    char *ref;     /* EU_ref_num */
    char *program; /* Programme */
    size_t order;  /* file order */
} s_row_t;

typedef struct {
    s_row_t *rows;
    size_t count, cap;
    size_t lines;               /* data lines read */
    size_t malformed;           /* wrong column count, open quote, bad entity id */
    size_t no_name;             /* lines without a name alias */
    screen__import_set_t addrs; /* entity + Addr_logical_id */
    size_t addresses;           /* distinct addresses skipped */
    screen__import_set_t ents;  /* entities seen on any line */
} s_eu_t;

enum {
    C_ENTITY,
    C_TYPE,
    C_PROGRAMME,
    C_LAST,
    C_FIRST,
    C_MIDDLE,
    C_WHOLE,
    C_LANGUAGE,
    C_ADDR,
    C_REF,
    C_COUNT
};
static const char *const s_columns[C_COUNT] = {
    "Entity_logical_id", "Subject_type",   "Programme",     "Naal_lastname",   "Naal_firstname",
    "Naal_middlename",   "Naal_wholename", "Naal_language", "Addr_logical_id", "EU_ref_num"};

static int s_row_cmp(const void *pa, const void *pb)
{
    const s_row_t *a = pa, *b = pb;
    if (a->entity != b->entity)
        return a->entity < b->entity ? -1 : 1;
    if (a->native != b->native)
        return a->native ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Splits one line (CR and the outer quotes removed here) into fields; returns the count or
 * -EINVAL when a quote is not closed. */
static int s_fields(char *line, char **fields)
{
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\t' || line[len - 1] == ' '))
        line[--len] = '\0';
    if (line[0] == '"') {
        char *outer[2];
        if (screen__import_split(line, ',', outer, 2) != 1)
            return -EINVAL; /* unterminated (a cut line) or text after the closing quote */
    }
    int n = screen__import_split(line, ';', fields, EU_MAX_FIELDS);
    if (n > 0) {
        char *last = fields[(n <= EU_MAX_FIELDS ? n : EU_MAX_FIELDS) - 1];
        screen__import_trim(last); /* the tab padding */
    }
    return n;
}

static void s_line(s_eu_t *eu, char **f, const int *col)
{
    char *end = NULL;
    long entity = strtol(f[col[C_ENTITY]], &end, 10);
    if (end == f[col[C_ENTITY]] || *end != '\0' || entity < 0) {
        eu->malformed++;
        return;
    }
    screen__import_set_add(&eu->ents, (uint64_t)entity + 1);
    if (col[C_ADDR] >= 0 && f[col[C_ADDR]][0] != '\0') {
        const char *a = f[col[C_ADDR]];
        if (screen__import_set_add(&eu->addrs, core_hash64(a, strlen(a), (uint64_t)entity)))
            eu->addresses++;
    }
    core_buf_t name = {0};
    const char *whole = col[C_WHOLE] >= 0 ? screen__import_trim(f[col[C_WHOLE]]) : "";
    if (whole[0] != '\0') {
        core_buf_append_str(&name, whole);
    } else {
        static const int parts[] = {C_FIRST, C_MIDDLE, C_LAST};
        for (size_t i = 0; i < CORE_ARRAY_LEN(parts); i++) {
            if (col[parts[i]] < 0)
                continue;
            const char *p = screen__import_trim(f[col[parts[i]]]);
            if (p[0] == '\0')
                continue;
            if (name.len > 0)
                core_buf_append_byte(&name, ' ');
            core_buf_append_str(&name, p);
        }
    }
    if (name.len == 0) {
        eu->no_name++;
        core_buf_clear(&name);
        return;
    }
    if (eu->count == eu->cap) {
        eu->cap = eu->cap ? eu->cap * 2 : 1024;
        eu->rows = core_realloc(eu->rows, eu->cap * sizeof(*eu->rows));
    }
    const char *lang = col[C_LANGUAGE] >= 0 ? f[col[C_LANGUAGE]] : "";
    eu->rows[eu->count] =
        (s_row_t){.entity = entity,
                  .name = core_strdup(core_buf_cstr(&name)),
                  .native = lang[0] == '\0',
                  .person = col[C_TYPE] >= 0 && strcmp(f[col[C_TYPE]], "P") == 0,
                  .ref = core_strdup(col[C_REF] >= 0 ? f[col[C_REF]] : ""),
                  .program = core_strdup(col[C_PROGRAMME] >= 0 ? f[col[C_PROGRAMME]] : ""),
                  .order = eu->count};
    eu->count++;
    core_buf_clear(&name);
}

static int s_read(s_eu_t *eu, const char *path, char *err)
{
    core_buf_t raw = {0}, text = {0};
    int rc = core_buf_read_file(&raw, path, 0, err);
    if (rc != 0) {
        core_buf_clear(&raw);
        return rc;
    }
    screen__import_to_utf8(raw.data, raw.len, SCREEN__IMPORT_CP1252, &text);
    core_buf_clear(&raw);
    core_buf_cstr(&text);
    char **fields = core_malloc(EU_MAX_FIELDS * sizeof(*fields));
    int col[C_COUNT];
    int columns = -1; /* header's field count */
    char *save = NULL;
    for (char *line = text.len ? strtok_r(text.data, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '\r' || line[0] == '\0')
            continue;
        int n = s_fields(line, fields);
        if (columns < 0) {
            if (n <= 0 || n > EU_MAX_FIELDS)
                break;
            for (int c = 0; c < C_COUNT; c++) {
                col[c] = -1;
                for (int i = 0; i < n && col[c] < 0; i++)
                    if (strcmp(fields[i], s_columns[c]) == 0)
                        col[c] = i;
            }
            if (col[C_ENTITY] < 0)
                break;
            columns = n;
            continue;
        }
        eu->lines++;
        if (n != columns) {
            eu->malformed++;
            continue;
        }
        s_line(eu, fields, col);
    }
    free(fields);
    core_buf_clear(&text);
    if (columns < 0) {
        core_err_set(err, "%s: no header with Entity_logical_id (EU FSF 1.0 layout)", path);
        return -EINVAL;
    }
    return 0;
}

int screen__import_eu(const screen__import_opts_t *opts, screen__import_out_t *out, char *err)
{
    s_eu_t eu;
    memset(&eu, 0, sizeof(eu));
    int rc = s_read(&eu, opts->input, err);
    if (rc != 0)
        goto out;
    if (eu.count > 0)
        qsort(eu.rows, eu.count, sizeof(*eu.rows), s_row_cmp);
    screen__import_entities_t names;
    screen__import_entities_init(&names, out, opts->list, opts->scope, opts->weight);
    for (size_t i = 0; i < eu.count;) {
        const s_row_t *first = &eu.rows[i];
        char entity[32], note[256];
        snprintf(entity, sizeof(entity), "%ld", first->entity);
        snprintf(note, sizeof(note), "EU FSF entity %ld, %s; programme %s; %s", first->entity,
                 first->ref[0] ? first->ref : "-", first->program[0] ? first->program : "-",
                 first->person ? "person" : "entity");
        screen__import_entities_begin(&names, entity, note, first->person);
        for (; i < eu.count && eu.rows[i].entity == first->entity; i++)
            screen__import_entities_name(&names, eu.rows[i].name,
                                         eu.rows[i].native ? SCREEN__IMPORT_PRIMARY
                                                           : SCREEN__IMPORT_STRONG,
                                         eu.rows[i].native ? "name" : "name (translation)");
        screen__import_entities_end(&names);
    }
    char summary[512];
    screen__import_entities_summary(&names, summary, sizeof(summary));
    fprintf(stderr,
            "parcelscreen: import: %s: %zu lines, %zu entities seen; %s; %zu malformed lines "
            "(wrong column count or cut off), %zu lines without a name; %zu addresses skipped "
            "(names only)\n",
            opts->list, eu.lines, eu.ents.count, summary, eu.malformed, eu.no_name, eu.addresses);
    screen__import_entities_clear(&names);
    if (eu.count == 0) {
        core_err_set(err, "%s: no name alias lines", opts->input);
        rc = -EINVAL;
    }
out:
    for (size_t i = 0; i < eu.count; i++) {
        free(eu.rows[i].name);
        free(eu.rows[i].ref);
        free(eu.rows[i].program);
    }
    free(eu.rows);
    screen__import_set_clear(&eu.addrs);
    screen__import_set_clear(&eu.ents);
    return rc;
}
