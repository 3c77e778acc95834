/* import_ofac.c -- OFAC SDN legacy CSV (sdn.csv, alt.csv) -> SPEC name rules.
 *
 * DESIGN: sdn.csv has no header and 12 columns: ent_num, SDN_Name, SDN_Type, Program, Title,
 * Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks; "-0-" (often followed by
 * spaces) is null, and SDN_Type null means an entity. alt.csv has ent_num, alt_num, alt_type
 * (aka, fka, nka), alt_name, alt_remarks. Choices:
 *   - Every SDN type is imported by default: individuals and entities, and vessels and
 *     aircraft too, because a vessel's or aircraft's name (and its former names) can appear as
 *     a party or seller on a consignment, and leaving them out would lose the ~1,200 listed
 *     conveyances silently. Vessel and aircraft names are often common words or tail numbers,
 *     so they get weight - 20, and a vessel's one-word name ("DANIEL", "MARIA") is left out
 *     and counted as unspecific: it would hit everyone of that given name. --types narrows
 *     the set.
 *   - Names per entity: the primary name (weight), alt.csv aliases (aka and nka: weight; fka:
 *     weight - 10; alt_remarks saying "weak": weight - 30), and the a.k.a./f.k.a./n.k.a. 'X'
 *     names found in Remarks, which is where the legacy format keeps OFAC's weak aliases
 *     (weight - 30). Names are deduplicated per entity on a folded key (case, diacritics,
 *     punctuation), so "CIMEX, S.A." and "CIMEX S.A." give one rule. A name that keeps fewer
 *     than 3 characters, or only titles and legal forms, after the screen's NAME normalisation
 *     ("Mr. O", "SL") is left out and counted: it would hit every name with that token.
 *   - Ids: <LIST>-<ent_num> for the primary name, -A<alt_num> for alt.csv aliases, -R<n> for
 *     Remarks aliases; <LIST> is --list upper-cased (OFAC-SDN), so the consolidated non-SDN
 *     list (same layout) imported with --list ofac-cons cannot collide.
 *   - Alt rows whose ent_num is not in sdn.csv (a newer alt.csv) are skipped and counted.
 *   - The note keeps the program(s), the SDN type and which name this is. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "screen/normalize.h"

typedef enum { T_INDIVIDUAL, T_ENTITY, T_VESSEL, T_AIRCRAFT, T_COUNT } s_type_t;
static const char *const s_type_names[T_COUNT] = {"individual", "entity", "vessel", "aircraft"};

typedef struct {
    long ent_num;  /* OFAC entity number */
    char *name;    /* primary name */
    s_type_t type; /* SDN type */
    char *program; /* "SDGT IRGC" */
    char *remarks; /* may hold weak aliases */
} s_entity_t;

typedef struct {
    long ent_num; /* entity */
    long alt_num; /* alias number */
    char *type;   /* aka, fka, nka */
    char *name;   /* alias */
    bool weak;    /* alt_remarks says weak */
    size_t order; /* file order, for a stable sort */
} s_alias_t;

typedef struct {
    s_entity_t *entities;
    size_t entity_count, entity_cap;
    s_alias_t *aliases;
    size_t alias_count, alias_cap;
    bool types[T_COUNT]; /* SDN types to import */
    char id_prefix[64];  /* OFAC-SDN */
    /* counts */
    size_t per_type[T_COUNT];
    size_t malformed; /* sdn rows without 12 fields or a numeric ent_num */
    size_t orphans;   /* alt rows without an entity */
    size_t primary, alt, remarks, duplicates, refused;
    size_t unspecific;  /* names too short or only titles/legal forms once normalised */
    screen_norm_t norm; /* reused NAME normalisation buffer */
} s_ofac_t;

static void s_free(s_ofac_t *o)
{
    for (size_t i = 0; i < o->entity_count; i++) {
        free(o->entities[i].name);
        free(o->entities[i].program);
        free(o->entities[i].remarks);
    }
    free(o->entities);
    for (size_t i = 0; i < o->alias_count; i++) {
        free(o->aliases[i].type);
        free(o->aliases[i].name);
    }
    free(o->aliases);
    screen_norm_clear(&o->norm);
}

static bool s_parse_long(const char *s, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == NULL || end == s)
        return false;
    while (*end == ' ')
        end++;
    if (errno || *end != '\0' || v < 0)
        return false;
    *out = v;
    return true;
}

static int s_parse_types(const char *text, bool types[T_COUNT], char *err)
{
    char copy[128];
    snprintf(copy, sizeof(copy), "%s", text);
    char *save = NULL;
    for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        int t = 0;
        while (t < T_COUNT && strcmp(tok, s_type_names[t]) != 0)
            t++;
        if (t == T_COUNT) {
            core_err_set(
                err, "--types: unknown SDN type '%s' (individual, entity, vessel, aircraft)", tok);
            return -EINVAL;
        }
        types[t] = true;
    }
    return 0;
}

/* "SDGT] [IRGC" -> "SDGT IRGC". */
static char *s_program(const char *raw)
{
    char *p = core_strdup(raw);
    size_t k = 0;
    bool space = false;
    for (size_t i = 0; p[i]; i++) {
        char c = p[i];
        if (c == '[' || c == ']' || c == ' ') {
            space = k > 0;
            continue;
        }
        if (space)
            p[k++] = ' ';
        space = false;
        p[k++] = c;
    }
    p[k] = '\0';
    return p;
}

static int s_read_sdn(s_ofac_t *o, const char *path, char *err)
{
    screen__import_csv_t csv;
    int rc = screen__import_csv_open(&csv, path, err);
    if (rc != 0)
        return rc;
    while ((rc = screen__import_csv_next(&csv, err)) == 1) {
        long ent_num;
        if (csv.count < 12 || !s_parse_long(screen__import_csv_get(&csv, 0), &ent_num)) {
            o->malformed++;
            continue;
        }
        const char *type = screen__import_csv_get(&csv, 2);
        s_type_t t = T_ENTITY;
        if (!screen__import_is_null(type)) {
            char tname[32];
            snprintf(tname, sizeof(tname), "%s", type);
            screen__import_trim(tname);
            t = T_COUNT;
            for (int i = 0; i < T_COUNT; i++)
                if (strcmp(tname, s_type_names[i]) == 0)
                    t = (s_type_t)i;
            if (t == T_COUNT) {
                o->malformed++;
                continue;
            }
        }
        if (o->entity_count == o->entity_cap) {
            o->entity_cap = o->entity_cap ? o->entity_cap * 2 : 1024;
            o->entities = core_realloc(o->entities, o->entity_cap * sizeof(*o->entities));
        }
        s_entity_t *e = &o->entities[o->entity_count++];
        e->ent_num = ent_num;
        e->type = t;
        e->name = core_strdup(screen__import_csv_get(&csv, 1));
        const char *program = screen__import_csv_get(&csv, 3);
        e->program = screen__import_is_null(program) ? core_strdup("") : s_program(program);
        const char *remarks = screen__import_csv_get(&csv, 11);
        e->remarks = screen__import_is_null(remarks) ? NULL : core_strdup(remarks);
    }
    if (rc < 0)
        core_err_prefix(err, "%s", path);
    screen__import_csv_close(&csv);
    return rc < 0 ? rc : 0;
}

static int s_read_alt(s_ofac_t *o, const char *path, char *err)
{
    screen__import_csv_t csv;
    int rc = screen__import_csv_open(&csv, path, err);
    if (rc != 0)
        return rc;
    while ((rc = screen__import_csv_next(&csv, err)) == 1) {
        long ent_num, alt_num;
        if (csv.count < 4 || !s_parse_long(screen__import_csv_get(&csv, 0), &ent_num) ||
            !s_parse_long(screen__import_csv_get(&csv, 1), &alt_num)) {
            o->malformed++;
            continue;
        }
        const char *name = screen__import_csv_get(&csv, 3);
        if (screen__import_is_null(name))
            continue;
        if (o->alias_count == o->alias_cap) {
            o->alias_cap = o->alias_cap ? o->alias_cap * 2 : 1024;
            o->aliases = core_realloc(o->aliases, o->alias_cap * sizeof(*o->aliases));
        }
        s_alias_t *a = &o->aliases[o->alias_count];
        a->ent_num = ent_num;
        a->alt_num = alt_num;
        a->type = core_strdup(screen__import_csv_get(&csv, 2));
        screen__import_trim(a->type);
        a->name = core_strdup(name);
        const char *remarks = screen__import_csv_get(&csv, 4);
        a->weak = !screen__import_is_null(remarks) && strcasestr(remarks, "weak") != NULL;
        a->order = o->alias_count++;
    }
    if (rc < 0)
        core_err_prefix(err, "%s", path);
    screen__import_csv_close(&csv);
    return rc < 0 ? rc : 0;
}

static int s_alias_cmp(const void *pa, const void *pb)
{
    const s_alias_t *a = pa, *b = pb;
    if (a->ent_num != b->ent_num)
        return a->ent_num < b->ent_num ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* ============ Writing one entity ============ */

typedef struct {
    char **keys; /* folded names written for this entity */
    size_t count, cap;
} s_seen_t;

static bool s_seen_add(s_seen_t *seen, const char *name)
{
    char *key = screen__import_key(name);
    for (size_t i = 0; i < seen->count; i++) {
        if (strcmp(seen->keys[i], key) == 0) {
            free(key);
            return false;
        }
    }
    if (seen->count == seen->cap) {
        seen->cap = seen->cap ? seen->cap * 2 : 8;
        seen->keys = core_realloc(seen->keys, seen->cap * sizeof(*seen->keys));
    }
    seen->keys[seen->count++] = key;
    return key[0] != '\0';
}

static void s_seen_reset(s_seen_t *seen)
{
    for (size_t i = 0; i < seen->count; i++)
        free(seen->keys[i]);
    seen->count = 0;
}

/* A name rule must name something: after the screen's NAME normalisation it keeps at least
 * three letters or digits and one token that is not a legal form or honorific. "Mr. O" would
 * hit every name with an "O" in it, "SL" (a weak alias) every Spanish "S.L." company. */
static bool s_name_specific(screen_norm_t *norm, const char *name)
{
    screen_normalize(norm, name, strlen(name), SCREEN_NORM_NAME);
    size_t chars = 0;
    bool content = false;
    const char *t = norm->text;
    while (t && *t) {
        const char *space = strchr(t, ' ');
        size_t len = space ? (size_t)(space - t) : strlen(t);
        content = content || !screen_norm_is_dropped_word(t, len);
        chars += len;
        t = space ? space + 1 : NULL;
    }
    return content && chars >= 3;
}

/* Writes one name of an entity; returns true when a row was written. */
static bool s_emit(s_ofac_t *o, screen__import_out_t *out, const screen__import_opts_t *opts,
                   s_seen_t *seen, const char *id, const char *name, int weight, const char *what,
                   const s_entity_t *e)
{
    if (!s_seen_add(seen, name)) {
        o->duplicates++;
        return false;
    }
    if (!s_name_specific(&o->norm, name)) {
        o->unspecific++;
        return false;
    }
    /* A one-word alias of a person ("Julia", "Lucas" from the Remarks) would stop every parcel
     * to anyone of that given name; it identifies nobody on its own. The primary name stays. */
    if (e->type == T_INDIVIDUAL && strcmp(what, "primary name") != 0 &&
        strchr(o->norm.text, ' ') == NULL) {
        o->unspecific++;
        return false;
    }
    /* So would a vessel's one-word name, primary or former: "DANIEL", "LINDA", "MARIA",
     * "CRYSTAL" are given names and words, and a party name cannot tell the ship from the
     * person. They made 8 of the 10 rules that hit most clean generated parcels with SDN, UN
     * and UK loaded (bench_screen_lists_eval, manifest generated without the lists' guard). */
    if (e->type == T_VESSEL && strchr(o->norm.text, ' ') == NULL) {
        o->unspecific++;
        return false;
    }
    char note[256];
    snprintf(note, sizeof(note), "program %s; %s; %s", e->program[0] ? e->program : "-",
             s_type_names[e->type], what);
    screen__import_rule_t rule = {.id = id,
                                  .list = opts->list,
                                  .kind = "name",
                                  .scope = opts->scope,
                                  .pattern = name,
                                  .weight = weight,
                                  .note = note};
    int rc = screen__import_out_add(out, &rule);
    if (rc == -EINVAL)
        o->refused++;
    return rc == 0;
}

/* The end of a quoted Remarks alias: a quote followed by ; . , ) or the end (a quote followed
 * by a letter is an apostrophe inside the name, as in 'ABU-'UMAR'). */
static const char *s_alias_end(const char *p)
{
    for (const char *q = strchr(p, '\''); q; q = strchr(q + 1, '\'')) {
        char next = q[1];
        if (next == '\0' || next == ';' || next == '.' || next == ',' || next == ')')
            return q;
        if (next == ' ') {
            const char *r = q + 1;
            while (*r == ' ')
                r++;
            if (!((*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z') || (*r >= '0' && *r <= '9')))
                return q;
        }
    }
    return NULL;
}

static void s_remarks_aliases(s_ofac_t *o, screen__import_out_t *out,
                              const screen__import_opts_t *opts, s_seen_t *seen,
                              const s_entity_t *e, int weight)
{
    if (e->remarks == NULL)
        return;
    static const char *const markers[] = {"a.k.a. '", "f.k.a. '", "n.k.a. '"};
    int n = 0;
    for (const char *p = e->remarks; *p; p++) {
        size_t m = 0;
        while (m < CORE_ARRAY_LEN(markers) && strncmp(p, markers[m], 8) != 0)
            m++;
        if (m == CORE_ARRAY_LEN(markers))
            continue;
        const char *start = p + 8;
        const char *end = s_alias_end(start);
        if (end == NULL)
            break;
        char name[1024];
        snprintf(name, sizeof(name), "%.*s", (int)(end - start), start);
        char id[96], what[32];
        snprintf(id, sizeof(id), "%s-%ld-R%d", o->id_prefix, e->ent_num, ++n);
        snprintf(what, sizeof(what), "weak %.6s (remarks)", markers[m]);
        int w = weight - 30 < 1 ? 1 : weight - 30;
        if (s_emit(o, out, opts, seen, id, name, w, what, e))
            o->remarks++;
        p = end;
    }
}

static void s_write_entity(s_ofac_t *o, screen__import_out_t *out,
                           const screen__import_opts_t *opts, s_seen_t *seen, const s_entity_t *e,
                           const s_alias_t *aliases, size_t alias_count)
{
    int weight = opts->weight;
    if (e->type == T_VESSEL || e->type == T_AIRCRAFT)
        weight = weight - 20 < 1 ? 1 : weight - 20;
    s_seen_reset(seen);
    char id[96];
    snprintf(id, sizeof(id), "%s-%ld", o->id_prefix, e->ent_num);
    bool any = s_emit(o, out, opts, seen, id, e->name, weight, "primary name", e);
    o->primary += any;
    for (size_t i = 0; i < alias_count; i++) {
        const s_alias_t *a = &aliases[i];
        int w = weight;
        char what[48];
        if (a->weak) {
            w = weight - 30;
            snprintf(what, sizeof(what), "weak %s", a->type);
        } else if (strcmp(a->type, "fka") == 0) {
            w = weight - 10;
            snprintf(what, sizeof(what), "fka");
        } else {
            snprintf(what, sizeof(what), "%s", a->type[0] ? a->type : "aka");
        }
        snprintf(id, sizeof(id), "%s-%ld-A%ld", o->id_prefix, e->ent_num, a->alt_num);
        if (s_emit(o, out, opts, seen, id, a->name, w < 1 ? 1 : w, what, e)) {
            o->alt++;
            any = true;
        }
    }
    size_t before = o->remarks;
    s_remarks_aliases(o, out, opts, seen, e, weight);
    any = any || o->remarks > before;
    if (any)
        o->per_type[e->type]++;
}

int screen__import_ofac(const screen__import_opts_t *opts, screen__import_out_t *out, char *err)
{
    s_ofac_t o;
    memset(&o, 0, sizeof(o));
    int rc = s_parse_types(opts->types, o.types, err);
    if (rc != 0)
        return rc;
    size_t k = 0;
    for (const char *p = opts->list; *p && k + 1 < sizeof(o.id_prefix); p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        o.id_prefix[k++] = (char)(((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '-');
    }
    o.id_prefix[k] = '\0';

    rc = s_read_sdn(&o, opts->input, err);
    if (rc == 0 && opts->alt)
        rc = s_read_alt(&o, opts->alt, err);
    if (rc != 0)
        goto out;
    if (o.entity_count == 0) {
        core_err_set(err, "%s: no SDN records (expected 12 columns: ent_num, SDN_Name, ...)",
                     opts->input);
        rc = -EINVAL;
        goto out;
    }
    if (o.alias_count > 0)
        qsort(o.aliases, o.alias_count, sizeof(*o.aliases), s_alias_cmp);

    /* Entities in file order; their aliases found by binary search on the sorted alt rows. */
    bool *used = core_calloc(o.alias_count ? o.alias_count : 1, sizeof(*used));
    s_seen_t seen = {0};
    for (size_t i = 0; i < o.entity_count; i++) {
        const s_entity_t *e = &o.entities[i];
        if (!o.types[e->type])
            continue;
        size_t lo = 0, hi = o.alias_count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (o.aliases[mid].ent_num < e->ent_num)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t n = 0;
        while (lo + n < o.alias_count && o.aliases[lo + n].ent_num == e->ent_num) {
            used[lo + n] = true;
            n++;
        }
        s_write_entity(&o, out, opts, &seen, e, n ? o.aliases + lo : NULL, n);
    }
    for (size_t i = 0; i < o.alias_count; i++)
        o.orphans += !used[i];
    free(used);
    s_seen_reset(&seen);
    free(seen.keys);

    size_t entities = 0;
    for (int t = 0; t < T_COUNT; t++)
        entities += o.per_type[t];
    fprintf(stderr,
            "parcelscreen: import: %s: %zu entities (individual %zu, entity %zu, vessel %zu, "
            "aircraft %zu), %zu names (primary %zu, alt %zu, remarks %zu); %zu duplicate "
            "names dropped, %zu too unspecific (under 3 characters, only titles, a person's "
            "one-word alias or a vessel's one-word name), %zu "
            "refused, %zu malformed rows, %zu alt rows without an entity\n",
            opts->list, entities, o.per_type[T_INDIVIDUAL], o.per_type[T_ENTITY],
            o.per_type[T_VESSEL], o.per_type[T_AIRCRAFT], o.primary + o.alt + o.remarks, o.primary,
            o.alt, o.remarks, o.duplicates, o.unspecific, o.refused, o.malformed, o.orphans);
    if (entities == 0) {
        core_err_set(err, "%s: no entity of the selected types", opts->input);
        rc = -EINVAL;
    }
out:
    s_free(&o);
    return rc;
}
