/* import_csv.c -- CSV in, SPEC watchlist CSV out, for the importers.
 *
 * DESIGN: official list files are a few MB, so the reader takes the whole file into memory
 * and parses RFC 4180 from there: quoted fields with "" escapes and line breaks, CRLF or LF,
 * a UTF-8 byte order mark, OFAC's trailing 0x1A end-of-file byte, and text after a closing
 * quote (kept, as OFAC writes `"X" ` in a few places). The writer cleans each pattern, refuses
 * what the screen loader would refuse (empty, over 1 KiB, invalid UTF-8), refuses duplicate
 * ids, and writes to PATH.tmp, renamed over PATH on commit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <utf8proc.h>

#include "core/str.h"
#include "import_internal.h"

#define IMPORT_MAX_PATTERN 1024 /* bytes; longer is not a name or a keyword */

/* ============ Reader ============ */

int screen__import_csv_open(screen__import_csv_t *csv, const char *path, char *err)
{
    memset(csv, 0, sizeof(*csv));
    int rc = core_buf_read_file(&csv->data, path, 0, err);
    if (rc != 0) {
        core_buf_clear(&csv->data);
        return rc;
    }
    csv->p = csv->data.data;
    csv->end = csv->data.data + csv->data.len;
    if (csv->data.len >= 3 && memcmp(csv->p, "\xEF\xBB\xBF", 3) == 0)
        csv->p += 3;
    while (csv->end > csv->p && csv->end[-1] == 0x1a)
        csv->end--;
    return 0;
}

void screen__import_csv_close(screen__import_csv_t *csv)
{
    core_buf_clear(&csv->data);
    core_buf_clear(&csv->store);
    free(csv->offsets);
    memset(csv, 0, sizeof(*csv));
}

static void s_field_start(screen__import_csv_t *csv)
{
    if (csv->count == csv->cap) {
        csv->cap = csv->cap ? csv->cap * 2 : 16;
        csv->offsets = core_realloc(csv->offsets, csv->cap * sizeof(*csv->offsets));
    }
    csv->offsets[csv->count++] = csv->store.len;
}

int screen__import_csv_next(screen__import_csv_t *csv, char *err)
{
    core_buf_reset(&csv->store);
    csv->count = 0;
    /* Skip blank lines between records. */
    while (csv->p < csv->end && (*csv->p == '\n' || *csv->p == '\r')) {
        if (*csv->p == '\n')
            csv->line++;
        csv->p++;
    }
    if (csv->p >= csv->end)
        return 0;
    csv->line++;
    long start_line = csv->line;
    for (;;) {
        s_field_start(csv);
        if (csv->p < csv->end && *csv->p == '"') {
            csv->p++;
            for (;;) {
                if (csv->p >= csv->end) {
                    core_err_set(err, "line %ld: unterminated quoted field", start_line);
                    return -EINVAL;
                }
                char c = *csv->p++;
                if (c == '"') {
                    if (csv->p < csv->end && *csv->p == '"') {
                        core_buf_append_byte(&csv->store, '"');
                        csv->p++;
                        continue;
                    }
                    break;
                }
                if (c == '\n')
                    csv->line++;
                core_buf_append_byte(&csv->store, c);
            }
        }
        /* Unquoted field, or what follows a closing quote up to the separator. */
        while (csv->p < csv->end && *csv->p != ',' && *csv->p != '\n' && *csv->p != '\r')
            core_buf_append_byte(&csv->store, *csv->p++);
        core_buf_append_byte(&csv->store, '\0');
        if (csv->p < csv->end && *csv->p == ',') {
            csv->p++;
            continue;
        }
        if (csv->p < csv->end && *csv->p == '\r')
            csv->p++;
        if (csv->p < csv->end && *csv->p == '\n')
            csv->p++;
        return 1;
    }
}

const char *screen__import_csv_get(const screen__import_csv_t *csv, size_t i)
{
    if (i >= csv->count)
        return "";
    return csv->store.data + csv->offsets[i];
}

int screen__import_csv_column(const screen__import_csv_t *csv, const char *name)
{
    for (size_t i = 0; i < csv->count; i++)
        if (strcmp(screen__import_csv_get(csv, i), name) == 0)
            return (int)i;
    return -1;
}

/* ============ Text helpers ============ */

char *screen__import_trim(char *s)
{
    char *start = s;
    while (*start == ' ' || *start == '\t')
        start++;
    size_t len = strlen(start);
    while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\t'))
        len--;
    memmove(s, start, len);
    s[len] = '\0';
    return s;
}

bool screen__import_is_null(const char *s)
{
    while (*s == ' ')
        s++;
    if (*s == '\0')
        return true;
    if (strncmp(s, "-0-", 3) != 0)
        return false;
    for (s += 3; *s == ' '; s++)
        ;
    return *s == '\0';
}

char *screen__import_key(const char *text)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)text, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                         UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    const char *src = n >= 0 ? (const char *)folded : text;
    size_t len = strlen(src);
    char *key = core_malloc(len + 1);
    size_t k = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (word) {
            if (space && k > 0)
                key[k++] = ' ';
            key[k++] = (char)c;
            space = false;
        } else if (c != '\'' && c != '.') {
            space = true; /* "O'Brien" and "S.A." stay one word */
        }
    }
    key[k] = '\0';
    free(folded);
    return key;
}

bool screen__import_set_add(screen__import_set_t *set, uint64_t h)
{
    if (h == 0)
        h = 1;
    if ((set->count + 1) * 2 > set->capacity) {
        screen__import_set_t bigger = {NULL, set->capacity ? set->capacity * 2 : 1024, 0};
        bigger.slots = core_calloc(bigger.capacity, sizeof(*bigger.slots));
        for (size_t i = 0; i < set->capacity; i++)
            if (set->slots[i])
                screen__import_set_add(&bigger, set->slots[i]);
        free(set->slots);
        *set = bigger;
    }
    size_t mask = set->capacity - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (set->slots[i] == h)
            return false;
        if (set->slots[i] == 0) {
            set->slots[i] = h;
            set->count++;
            return true;
        }
    }
}

void screen__import_set_clear(screen__import_set_t *set)
{
    free(set->slots);
    memset(set, 0, sizeof(*set));
}

/* ============ Writer ============ */

struct screen__import_out {
    FILE *file;               /* path.tmp, or stdout */
    char *path;               /* final path; NULL for stdout */
    char *tmp_path;           /* path.tmp */
    bool committed;           /* renamed into place */
    core_buf_t row;           /* reused row buffer */
    screen__import_set_t ids; /* ids written */
    size_t written;           /* rows */
    size_t refused;           /* bad patterns */
    size_t duplicates;        /* repeated ids */
};

screen__import_out_t *screen__import_out_new(const char *path, char *err)
{
    screen__import_out_t *self = core_calloc(1, sizeof(*self));
    if (strcmp(path, "-") == 0) {
        self->file = stdout;
    } else {
        self->path = core_strdup(path);
        size_t n = strlen(path) + 8;
        self->tmp_path = core_malloc(n);
        snprintf(self->tmp_path, n, "%s.tmp", path);
        self->file = fopen(self->tmp_path, "wb");
        if (self->file == NULL) {
            core_err_set(err, "%s: %s", self->tmp_path, strerror(errno));
            screen__import_out_destroy(&self);
            return NULL;
        }
    }
    fputs("id,list,kind,scope,pattern,weight,note\n", self->file);
    return self;
}

/* Control characters become spaces, runs of whitespace one space, ends trimmed. */
static size_t s_clean(const char *in, char *out, size_t size)
{
    size_t len = 0;
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        unsigned char c = *p;
        if (c < 0x20 || c == 0x7f || c == ' ') {
            space = len > 0;
            continue;
        }
        if (space) {
            if (len + 1 >= size)
                return size; /* too long */
            out[len++] = ' ';
            space = false;
        }
        if (len + 1 >= size)
            return size;
        out[len++] = (char)c;
    }
    out[len] = '\0';
    return len;
}

int screen__import_out_add(screen__import_out_t *self, const screen__import_rule_t *rule)
{
    core_assert(self != NULL);
    core_assert(rule != NULL && rule->id != NULL && rule->pattern != NULL);
    char pattern[IMPORT_MAX_PATTERN + 1];
    size_t len = s_clean(rule->pattern, pattern, sizeof(pattern));
    if (len == 0 || len >= sizeof(pattern) || !core_utf8_valid(pattern, len)) {
        self->refused++;
        return -EINVAL;
    }
    if (!screen__import_set_add(&self->ids, core_hash64(rule->id, strlen(rule->id), 0x1d))) {
        self->duplicates++;
        return -EEXIST;
    }
    int weight = rule->weight < 1 ? 1 : rule->weight > 100 ? 100 : rule->weight;
    char note[512];
    s_clean(rule->note ? rule->note : "", note, sizeof(note));
    if (!core_utf8_valid(note, strlen(note)))
        note[0] = '\0';
    core_buf_reset(&self->row);
    core_buf_append_csv_field(&self->row, rule->id, strlen(rule->id));
    core_buf_append_byte(&self->row, ',');
    core_buf_append_csv_field(&self->row, rule->list, strlen(rule->list));
    core_buf_printf(&self->row, ",%s,%s,", rule->kind, rule->scope);
    core_buf_append_csv_field(&self->row, pattern, strlen(pattern));
    core_buf_printf(&self->row, ",%d,", weight);
    core_buf_append_csv_field(&self->row, note, strlen(note));
    core_buf_append_byte(&self->row, '\n');
    fwrite(self->row.data, 1, self->row.len, self->file);
    self->written++;
    return 0;
}

int screen__import_out_commit(screen__import_out_t *self, char *err)
{
    core_assert(self != NULL && !self->committed);
    if (self->path == NULL) {
        self->committed = true;
        if (fflush(stdout) != 0) {
            core_err_set(err, "stdout: %s", strerror(errno));
            return -EIO;
        }
        return 0;
    }
    int rc = 0;
    if (ferror(self->file) || fflush(self->file) != 0) {
        core_err_set(err, "%s: write error", self->tmp_path);
        rc = -EIO;
    }
    if (fclose(self->file) != 0 && rc == 0) {
        core_err_set(err, "%s: %s", self->tmp_path, strerror(errno));
        rc = -EIO;
    }
    self->file = NULL;
    if (rc == 0 && rename(self->tmp_path, self->path) != 0) {
        rc = -errno;
        core_err_set(err, "rename %s: %s", self->path, strerror(errno));
    }
    self->committed = rc == 0;
    return rc;
}

void screen__import_out_destroy(screen__import_out_t **self_p)
{
    core_assert(self_p != NULL);
    screen__import_out_t *self = *self_p;
    if (self == NULL)
        return;
    if (self->file && self->file != stdout)
        fclose(self->file);
    if (!self->committed && self->tmp_path)
        unlink(self->tmp_path);
    free(self->path);
    free(self->tmp_path);
    core_buf_clear(&self->row);
    screen__import_set_clear(&self->ids);
    free(self);
    *self_p = NULL;
}

size_t screen__import_out_written(const screen__import_out_t *self)
{
    return self->written;
}

size_t screen__import_out_refused(const screen__import_out_t *self)
{
    return self->refused;
}

size_t screen__import_out_duplicates(const screen__import_out_t *self)
{
    return self->duplicates;
}
