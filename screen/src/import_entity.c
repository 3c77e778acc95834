/* import_entity.c -- name rules of one listed entity at a time, for the sanctions importers.
 *
 * DESIGN: every sanctions list names an entity (person, organisation, vessel) several times:
 * a primary name, good and weak aliases, former names, spellings in other scripts. The
 * importers collect one entity's names and hand them here, which
 *   - gives ids that keep the source entity: <PREFIX>-<entity> for the primary name and
 *     <PREFIX>-<entity>-A<n> (n = 1, 2, ... in source order) for every other name, PREFIX
 *     being the list upper-cased, so lists loaded together never collide;
 *   - weights by strength: primary and strong aliases the list's weight, former names
 *     weight - 10, weak aliases weight - 30 (the same steps as import_ofac.c); a person's
 *     one-word alias ("Hariri", "Saud") is dropped because it hits every namesake, and a
 *     one-word primary name is kept with the weak weight;
 *   - drops a name equal to an earlier one of the same entity once case, diacritics and
 *     punctuation are folded, and a name without a specific token after the screen's NAME
 *     normalisation (under 3 letters, or only titles and legal forms: "Mr. O", "SL");
 *   - counts all of it for the summary line on stderr. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"

void screen__import_entities_init(screen__import_entities_t *self, screen__import_out_t *out,
                                  const char *list, const char *scope, int weight)
{
    core_assert(self != NULL && out != NULL && list != NULL && scope != NULL);
    memset(self, 0, sizeof(*self));
    self->out = out;
    self->list = list;
    self->scope = scope;
    self->weight = weight;
    size_t k = 0;
    for (const char *p = list; *p && k + 1 < sizeof(self->prefix); p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        self->prefix[k++] = (char)(((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '-');
    }
    self->prefix[k] = '\0';
}

static void s_seen_reset(screen__import_seen_t *seen)
{
    for (size_t i = 0; i < seen->count; i++)
        free(seen->keys[i]);
    seen->count = 0;
}

/* Adds the folded key of name; false when the entity already has it (or it folds to ""). */
static bool s_seen_add(screen__import_seen_t *seen, const char *name)
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

void screen__import_entities_begin(screen__import_entities_t *self, const char *entity,
                                   const char *note, bool person)
{
    core_assert(self != NULL && entity != NULL);
    size_t k = 0;
    for (const char *p = entity; *p && k + 1 < sizeof(self->entity); p++) {
        char c = *p;
        bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_';
        self->entity[k++] = (char)(safe ? c : '-');
    }
    self->entity[k] = '\0';
    snprintf(self->note, sizeof(self->note), "%s", note ? note : "");
    self->person = person;
    self->primary_written = false;
    self->alias_n = 0;
    self->any = false;
    s_seen_reset(&self->seen);
}

/* Number of normalised tokens that are not dropped words, and their letters in total. */
static size_t s_content_tokens(screen_norm_t *norm, const char *name, size_t *chars)
{
    screen_normalize(norm, name, strlen(name), SCREEN_NORM_NAME);
    size_t tokens = 0;
    *chars = 0;
    const char *t = norm->text;
    while (t && *t) {
        const char *space = strchr(t, ' ');
        size_t len = space ? (size_t)(space - t) : strlen(t);
        if (!screen_norm_is_dropped_word(t, len))
            tokens++;
        *chars += len;
        t = space ? space + 1 : NULL;
    }
    return tokens;
}

bool screen__import_entities_name(screen__import_entities_t *self, const char *name,
                                  screen__import_strength_t strength, const char *what)
{
    core_assert(self != NULL && name != NULL && what != NULL);
    if (!s_seen_add(&self->seen, name)) {
        self->duplicates++;
        return false;
    }
    size_t chars = 0;
    size_t tokens = s_content_tokens(&self->norm, name, &chars);
    if (tokens == 0 || chars < 3) {
        self->unspecific++;
        return false;
    }
    bool primary = strength == SCREEN__IMPORT_PRIMARY && !self->primary_written;
    /* A person's one-word alias identifies nobody on its own and would stop every parcel to
     * anyone of that name; only a one-word primary name is kept (weak). */
    if (self->person && tokens == 1 && !primary) {
        self->unspecific++;
        return false;
    }
    if (self->person && tokens == 1)
        strength = SCREEN__IMPORT_WEAK; /* still the primary name, with a weak weight */
    int weight = self->weight;
    if (strength == SCREEN__IMPORT_FORMER)
        weight -= 10;
    else if (strength == SCREEN__IMPORT_WEAK)
        weight -= 30;
    char id[192];
    if (primary)
        snprintf(id, sizeof(id), "%s-%s", self->prefix, self->entity);
    else
        snprintf(id, sizeof(id), "%s-%s-A%zu", self->prefix, self->entity, self->alias_n + 1);
    char note[384];
    snprintf(note, sizeof(note), "%s%s%s%s", self->note, self->note[0] ? "; " : "", what,
             self->person && tokens == 1 ? " (one word: weak)" : "");
    screen__import_rule_t rule = {.id = id,
                                  .list = self->list,
                                  .kind = "name",
                                  .scope = self->scope,
                                  .pattern = name,
                                  .weight = weight < 1 ? 1 : weight,
                                  .note = note};
    int rc = screen__import_out_add(self->out, &rule);
    if (rc != 0) {
        self->refused += rc == -EINVAL;
        self->duplicates += rc == -EEXIST;
        return false;
    }
    if (primary) {
        self->primary_written = true;
        self->primary++;
    } else {
        self->alias_n++;
        self->aliases++;
    }
    self->weak += weight < self->weight;
    self->any = true;
    return true;
}

void screen__import_entities_end(screen__import_entities_t *self)
{
    core_assert(self != NULL);
    if (self->any)
        self->entities++;
    else
        self->empty++;
    s_seen_reset(&self->seen);
}

void screen__import_entities_summary(const screen__import_entities_t *self, char *buf, size_t size)
{
    snprintf(buf, size,
             "%zu entities, %zu names (primary %zu, aliases %zu, weak or former %zu); %zu "
             "duplicate names dropped, %zu too unspecific (under 3 characters or only titles), "
             "%zu refused, %zu entities without a usable name",
             self->entities, self->primary + self->aliases, self->primary, self->aliases,
             self->weak, self->duplicates, self->unspecific, self->refused, self->empty);
}

void screen__import_entities_clear(screen__import_entities_t *self)
{
    if (self == NULL)
        return;
    s_seen_reset(&self->seen);
    free(self->seen.keys);
    self->seen.keys = NULL;
    self->seen.cap = 0;
    screen_norm_clear(&self->norm);
}
