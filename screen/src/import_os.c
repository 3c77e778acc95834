/* import_os.c -- OpenSanctions targets.simple.csv -> SPEC name rules.
 *
 * DESIGN: UTF-8 CSV, every field quoted, header id, schema, name, aliases, birth_date,
 * countries, addresses, identifiers, sanctions, phones, emails, [program_ids,] dataset,
 * first_seen, last_seen, last_change; columns are found by name, so the newer layout with
 * program_ids reads the same. One row per entity (id unique: Q262597, NK-..., ofac-...).
 *   - name is the primary name, each ';'-separated aliases entry a strong alias (the export
 *     has no alias quality; many are Wikidata spellings in other scripts, kept: the matcher
 *     normalises any script). A person's one-word name ("Hariri") is weak (import_entity.c).
 *   - Ids <PREFIX>-<id>[-A<n>]; the note keeps the OpenSanctions id, schema, dataset and the
 *     start of the sanctions text.
 *   - addresses (';'-separated) are counted and skipped.
 * OpenSanctions data is CC BY-NC 4.0: commercial use needs their licence (README). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"

enum { C_ID, C_SCHEMA, C_NAME, C_ALIASES, C_ADDRESSES, C_SANCTIONS, C_DATASET, C_COUNT };
static const char *const s_columns[C_COUNT] = {"id",        "schema",    "name",   "aliases",
                                               "addresses", "sanctions", "dataset"};

static size_t s_count_parts(const char *list)
{
    size_t n = 0;
    bool in = false;
    for (; *list; list++) {
        if (*list == ';') {
            in = false;
        } else if (*list != ' ' && !in) {
            in = true;
            n++;
        }
    }
    return n;
}

int screen__import_os(const screen__import_opts_t *opts, screen__import_out_t *out, char *err)
{
    screen__import_csv_t csv;
    int rc = screen__import_csv_open(&csv, opts->input, err);
    if (rc != 0)
        return rc;
    int col[C_COUNT];
    rc = screen__import_csv_next(&csv, err);
    for (int i = 0; i < C_COUNT && rc == 1; i++)
        col[i] = screen__import_csv_column(&csv, s_columns[i]);
    if (rc != 1 || col[C_ID] < 0 || col[C_NAME] < 0) {
        if (rc >= 0)
            core_err_set(err, "%s: no header with id and name (targets.simple.csv)", opts->input);
        else
            core_err_prefix(err, "%s", opts->input);
        screen__import_csv_close(&csv);
        return -EINVAL;
    }
    screen__import_entities_t names;
    screen__import_entities_init(&names, out, opts->list, opts->scope, opts->weight);
    size_t rows = 0, malformed = 0, addresses = 0, people = 0;
    while ((rc = screen__import_csv_next(&csv, err)) == 1) {
        const char *v[C_COUNT];
        for (int i = 0; i < C_COUNT; i++)
            v[i] = col[i] < 0 ? "" : screen__import_csv_get(&csv, (size_t)col[i]);
        rows++;
        if (v[C_ID][0] == '\0' || v[C_NAME][0] == '\0') {
            malformed++;
            continue;
        }
        addresses += s_count_parts(v[C_ADDRESSES]);
        bool person = strcmp(v[C_SCHEMA], "Person") == 0;
        char note[320];
        snprintf(note, sizeof(note), "OpenSanctions %.64s; %.32s; dataset %.64s; sanctions %.60s",
                 v[C_ID], v[C_SCHEMA][0] ? v[C_SCHEMA] : "-", v[C_DATASET][0] ? v[C_DATASET] : "-",
                 v[C_SANCTIONS][0] ? v[C_SANCTIONS] : "-");
        size_t before = names.entities;
        screen__import_entities_begin(&names, v[C_ID], note, person);
        screen__import_entities_name(&names, v[C_NAME], SCREEN__IMPORT_PRIMARY, "primary name");
        char *aliases = core_strdup(v[C_ALIASES]);
        char *save = NULL;
        for (char *a = strtok_r(aliases, ";", &save); a; a = strtok_r(NULL, ";", &save)) {
            screen__import_trim(a);
            if (a[0] != '\0')
                screen__import_entities_name(&names, a, SCREEN__IMPORT_STRONG, "alias");
        }
        free(aliases);
        screen__import_entities_end(&names);
        people += person && names.entities > before;
    }
    if (rc == -EINVAL && csv.p >= csv.end) {
        malformed++; /* the last record is cut inside a quoted field (a truncated file) */
        rc = 0;
    }
    if (rc < 0)
        core_err_prefix(err, "%s", opts->input);
    else
        rc = 0;
    char summary[512];
    screen__import_entities_summary(&names, summary, sizeof(summary));
    fprintf(stderr,
            "parcelscreen: import: %s: %zu rows; %zu persons; %s; %zu malformed rows; %zu "
            "addresses skipped (names only)\n",
            opts->list, rows, people, summary, malformed, addresses);
    screen__import_entities_clear(&names);
    screen__import_csv_close(&csv);
    if (rc == 0 && rows == 0) {
        core_err_set(err, "%s: no rows", opts->input);
        rc = -EINVAL;
    }
    return rc;
}
