/* json.c -- a strict, zero-allocation JSON pull parser (RFC 8259) and the NDJSON mapper.
 *
 * DESIGN: the tokenizer walks one record (one line) and hands out one token per call, keeping
 * the grammar state and a bit stack of open containers (at most PROTO_MAX_DEPTH), so the
 * mapper above it sees only well-formed JSON and never recurses on input it does not know:
 * unknown values are skipped token by token. Strings without escapes are views into the line;
 * strings with escapes are decoded into a per-record scratch buffer at least as long as the
 * line (decoding never grows a string), so nothing is allocated. \uXXXX escapes are decoded
 * with surrogate pairs; a lone surrogate and \u0000 are refused. The reader has already
 * checked the whole line for valid UTF-8, so decoded strings are valid UTF-8 too.
 *
 * Numbers follow the RFC grammar exactly; the common short ones are converted exactly with
 * Clinger's fast path (mantissa <= 2^53, power of ten <= 22), the rest by strtod.
 *
 * Rejected on purpose: duplicate keys among the keys we map (which one would screening see?);
 * numbers where strings are expected and strings where numbers are expected (hs_code as a
 * number would lose leading zeros). Unknown keys are skipped without a duplicate check.
 *
 * Not used: jansson and json-c build a node tree per value (allocation per parcel); yyjson is
 * not packaged in Debian 12. See ingest/README.md. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum {
    S_VALUE,       /* a value must come */
    S_FIRST_VALUE, /* after '[': a value or ']' */
    S_FIRST_KEY,   /* after '{': a key or '}' */
    S_KEY,         /* after ',' in an object: a key */
    S_AFTER,       /* after a value in a container: ',' or the closing bracket */
    S_DONE,        /* the top-level value is complete */
    S_ERROR,       /* a syntax error was reported */
};

void ingest__json_init(ingest__json_t *self, const char *data, size_t len, char *scratch,
                       size_t scratch_cap, char *err)
{
    core_assert(self != NULL);
    core_assert(data != NULL || len == 0);
    core_assert(scratch_cap >= len && len <= UINT32_MAX);
    self->start = data;
    self->p = data;
    self->end = data + len;
    self->scratch = scratch;
    self->scratch_used = 0;
    self->scratch_cap = scratch_cap;
    self->depth = 0;
    self->objects = 0;
    self->state = S_VALUE;
    self->str.ptr = NULL;
    self->str.len = 0;
    self->num = 0;
    self->err = err;
}

static ingest__json_tok_t s_fail(ingest__json_t *self, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static ingest__json_tok_t s_fail(ingest__json_t *self, const char *at, const char *fmt, ...)
{
    char why[CORE_ERR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    core_err_set(self->err, "column %zu: %s", (size_t)(at - self->start) + 1, why);
    self->state = S_ERROR;
    return INGEST__JSON_ERROR;
}

static ingest__json_tok_t s_unexpected(ingest__json_t *self, const char *at)
{
    if (at >= self->end)
        return s_fail(self, at, "unexpected end of line");
    unsigned char c = (unsigned char)*at;
    if (c >= 0x20 && c < 0x7f)
        return s_fail(self, at, "unexpected '%c'", c);
    return s_fail(self, at, "unexpected byte 0x%02x", c);
}

static inline const char *s_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* A byte that ends a number or literal. */
static inline bool s_delim(const char *p, const char *end)
{
    return p == end || *p == ',' || *p == '}' || *p == ']' || *p == ' ' || *p == '\t' ||
           *p == '\r' || *p == '\n';
}

static inline void s_after_value(ingest__json_t *self)
{
    self->state = self->depth ? S_AFTER : S_DONE;
}

/* ============ Strings ============ */

static inline bool s_plain(unsigned char c)
{
    return c >= 0x20 && c != '"' && c != '\\';
}

/* Skips bytes that need no attention in a string: eight at a time while none of them is a
 * quote, a backslash or a control character (the has-zero-byte trick), then one by one. */
static inline const unsigned char *s_scan_plain(const unsigned char *p, const unsigned char *end)
{
    const uint64_t ones = 0x0101010101010101ULL;
    const uint64_t high = 0x8080808080808080ULL;
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, sizeof(w));
        uint64_t quote = w ^ (ones * '"');
        uint64_t slash = w ^ (ones * '\\');
        uint64_t hit =
            ((quote - ones) & ~quote) | ((slash - ones) & ~slash) | ((w - ones * 0x20) & ~w);
        if (hit & high)
            break;
        p += 8;
    }
    while (p < end && s_plain(*p))
        p++;
    return p;
}

static int s_hex4(const unsigned char *p, const unsigned char *end, uint32_t *out)
{
    if (end - p < 4)
        return -1;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = (v << 4) | d;
    }
    *out = v;
    return 0;
}

static size_t s_utf8_put(char *w, uint32_t cp)
{
    if (cp < 0x80) {
        w[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        w[0] = (char)(0xC0 | (cp >> 6));
        w[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        w[0] = (char)(0xE0 | (cp >> 12));
        w[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        w[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    w[0] = (char)(0xF0 | (cp >> 18));
    w[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    w[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    w[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the string whose opening quote is at self->p into self->str. */
static int s_string(ingest__json_t *self)
{
    const unsigned char *open = (const unsigned char *)self->p;
    const unsigned char *end = (const unsigned char *)self->end;
    const unsigned char *p = open + 1;
    const unsigned char *s = p;
    p = s_scan_plain(p, end);
    if (p < end && *p == '"') {
        self->str.ptr = (const char *)s;
        self->str.len = (uint32_t)(p - s);
        self->p = (const char *)p + 1;
        return 0;
    }
    /* Escapes: decode into scratch. Decoded text is never longer than its source. */
    char *out = self->scratch + self->scratch_used;
    char *w = out;
    for (;;) {
        size_t run = (size_t)(p - s);
        memcpy(w, s, run);
        w += run;
        if (p >= end) {
            s_fail(self, (const char *)open, "unterminated string");
            return -1;
        }
        if (*p == '"')
            break;
        if (*p < 0x20) {
            s_fail(self, (const char *)p, "control character 0x%02x in a string", *p);
            return -1;
        }
        const unsigned char *esc = p++; /* *esc == '\\' */
        if (p >= end) {
            s_fail(self, (const char *)open, "unterminated string");
            return -1;
        }
        switch (*p++) {
        case '"':
            *w++ = '"';
            break;
        case '\\':
            *w++ = '\\';
            break;
        case '/':
            *w++ = '/';
            break;
        case 'b':
            *w++ = '\b';
            break;
        case 'f':
            *w++ = '\f';
            break;
        case 'n':
            *w++ = '\n';
            break;
        case 'r':
            *w++ = '\r';
            break;
        case 't':
            *w++ = '\t';
            break;
        case 'u': {
            uint32_t cp;
            if (s_hex4(p, end, &cp) != 0) {
                s_fail(self, (const char *)esc, "invalid \\u escape");
                return -1;
            }
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || s_hex4(p + 2, end, &lo) != 0 ||
                    lo < 0xDC00 || lo > 0xDFFF) {
                    s_fail(self, (const char *)esc, "unpaired surrogate in \\u escape");
                    return -1;
                }
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                s_fail(self, (const char *)esc, "unpaired surrogate in \\u escape");
                return -1;
            } else if (cp == 0) {
                s_fail(self, (const char *)esc, "\\u0000 is not accepted in a string");
                return -1;
            }
            w += s_utf8_put(w, cp);
            break;
        }
        default:
            s_fail(self, (const char *)esc, "invalid escape");
            return -1;
        }
        s = p;
        p = s_scan_plain(p, end);
    }
    self->str.ptr = out;
    self->str.len = (uint32_t)(w - out);
    self->scratch_used += (size_t)(w - out);
    self->p = (const char *)p + 1;
    return 0;
}

/* ============ Numbers and literals ============ */

static const double s_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static inline bool s_digit(const char *p, const char *end)
{
    return p < end && *p >= '0' && *p <= '9';
}

static int s_number(ingest__json_t *self)
{
    const char *start = self->p;
    const char *p = start;
    const char *end = self->end;
    bool neg = false;
    uint64_t mant = 0;
    int digits = 0;
    int exp10 = 0;
    bool exact = true;

    if (*p == '-') {
        neg = true;
        p++;
    }
    if (!s_digit(p, end)) {
        s_fail(self, start, "invalid number");
        return -1;
    }
    if (*p == '0') {
        p++;
    } else {
        while (s_digit(p, end)) {
            if (digits < 19) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                digits++;
            } else {
                exp10++;
                exact = false;
            }
            p++;
        }
    }
    if (p < end && *p == '.') {
        p++;
        if (!s_digit(p, end)) {
            s_fail(self, start, "invalid number");
            return -1;
        }
        while (s_digit(p, end)) {
            if (digits < 19) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                digits++;
                exp10--;
            } else {
                exact = false;
            }
            p++;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int sign = 1;
        if (p < end && (*p == '+' || *p == '-')) {
            sign = *p == '-' ? -1 : 1;
            p++;
        }
        if (!s_digit(p, end)) {
            s_fail(self, start, "invalid number");
            return -1;
        }
        int e = 0;
        while (s_digit(p, end)) {
            if (e < 100000)
                e = e * 10 + (*p - '0');
            p++;
        }
        exp10 += sign * e;
    }
    if (!s_delim(p, end)) {
        s_fail(self, start, "invalid number");
        return -1;
    }
    double v;
    if (exact && mant <= (1ULL << 53) && exp10 >= -22 && exp10 <= 22) {
        v = (double)mant;
        v = exp10 < 0 ? v / s_pow10[-exp10] : v * s_pow10[exp10];
        if (neg)
            v = -v;
    } else {
        /* The token is a valid decimal followed by a delimiter or the caller's sentinel, so
         * strtod reads exactly the token. */
        v = strtod(start, NULL);
        if (isinf(v)) {
            s_fail(self, start, "number out of range");
            return -1;
        }
    }
    self->num = v;
    self->p = p;
    return 0;
}

static ingest__json_tok_t s_literal(ingest__json_t *self, const char *word, size_t len,
                                    ingest__json_tok_t tok)
{
    const char *p = self->p;
    if ((size_t)(self->end - p) < len || memcmp(p, word, len) != 0 || !s_delim(p + len, self->end))
        return s_fail(self, p, "invalid literal");
    self->p = p + len;
    s_after_value(self);
    return tok;
}

/* ============ Tokens ============ */

static ingest__json_tok_t s_open(ingest__json_t *self, bool object)
{
    if (self->depth >= PROTO_MAX_DEPTH)
        return s_fail(self, self->p, "nesting deeper than %d", PROTO_MAX_DEPTH);
    if (object)
        self->objects |= 1u << self->depth;
    else
        self->objects &= ~(1u << self->depth);
    self->depth++;
    self->p++;
    self->state = object ? S_FIRST_KEY : S_FIRST_VALUE;
    return object ? INGEST__JSON_OBJECT : INGEST__JSON_ARRAY;
}

static ingest__json_tok_t s_close(ingest__json_t *self, ingest__json_tok_t tok)
{
    self->depth--;
    self->p++;
    s_after_value(self);
    return tok;
}

static ingest__json_tok_t s_value(ingest__json_t *self)
{
    const char *p = self->p;
    if (p >= self->end)
        return s_unexpected(self, p);
    switch (*p) {
    case '{':
        return s_open(self, true);
    case '[':
        return s_open(self, false);
    case '"':
        if (s_string(self) != 0)
            return INGEST__JSON_ERROR;
        s_after_value(self);
        return INGEST__JSON_STRING;
    case 't':
        return s_literal(self, "true", 4, INGEST__JSON_TRUE);
    case 'f':
        return s_literal(self, "false", 5, INGEST__JSON_FALSE);
    case 'n':
        return s_literal(self, "null", 4, INGEST__JSON_NULL);
    default:
        if (*p == '-' || (*p >= '0' && *p <= '9')) {
            if (s_number(self) != 0)
                return INGEST__JSON_ERROR;
            s_after_value(self);
            return INGEST__JSON_NUMBER;
        }
        return s_unexpected(self, p);
    }
}

static ingest__json_tok_t s_key(ingest__json_t *self)
{
    if (self->p >= self->end || *self->p != '"') {
        if (self->p < self->end)
            return s_fail(self, self->p, "expected a key");
        return s_unexpected(self, self->p);
    }
    if (s_string(self) != 0)
        return INGEST__JSON_ERROR;
    self->p = s_ws(self->p, self->end);
    if (self->p >= self->end || *self->p != ':') {
        if (self->p < self->end)
            return s_fail(self, self->p, "expected ':' after a key");
        return s_unexpected(self, self->p);
    }
    self->p++;
    self->state = S_VALUE;
    return INGEST__JSON_KEY;
}

ingest__json_tok_t ingest__json_next(ingest__json_t *self)
{
    core_assert(self != NULL);
    for (;;) {
        self->p = s_ws(self->p, self->end);
        const char *p = self->p;
        switch (self->state) {
        case S_ERROR:
            return INGEST__JSON_ERROR;
        case S_DONE:
            if (p == self->end)
                return INGEST__JSON_END;
            return s_fail(self, p, "unexpected data after the value");
        case S_AFTER: {
            if (p >= self->end)
                return s_unexpected(self, p);
            bool object = (self->objects >> (self->depth - 1)) & 1u;
            if (*p == ',') {
                self->p++;
                self->state = object ? S_KEY : S_VALUE;
                continue;
            }
            if (object && *p == '}')
                return s_close(self, INGEST__JSON_OBJECT_END);
            if (!object && *p == ']')
                return s_close(self, INGEST__JSON_ARRAY_END);
            return s_fail(self, p, object ? "expected ',' or '}'" : "expected ',' or ']'");
        }
        case S_FIRST_KEY:
            if (p < self->end && *p == '}')
                return s_close(self, INGEST__JSON_OBJECT_END);
            return s_key(self);
        case S_KEY:
            return s_key(self);
        case S_FIRST_VALUE:
            if (p < self->end && *p == ']')
                return s_close(self, INGEST__JSON_ARRAY_END);
            return s_value(self);
        default:
            return s_value(self);
        }
    }
}

int ingest__json_skip(ingest__json_t *self, ingest__json_tok_t tok)
{
    core_assert(self != NULL);
    if (tok == INGEST__JSON_ERROR)
        return -1;
    if (tok != INGEST__JSON_OBJECT && tok != INGEST__JSON_ARRAY)
        return 0;
    uint32_t target = self->depth - 1;
    for (;;) {
        tok = ingest__json_next(self);
        if (tok == INGEST__JSON_ERROR)
            return -1;
        if ((tok == INGEST__JSON_OBJECT_END || tok == INGEST__JSON_ARRAY_END) &&
            self->depth == target)
            return 0;
    }
}

/* ============ Mapping a record to proto_parcel_t ============ */

typedef struct {
    ingest__json_t js;      /* tokenizer */
    proto_parcel_t *parcel; /* being filled */
    proto_item_t *items;    /* PROTO_MAX_ITEMS entries */
    char *err;              /* CORE_ERR_LEN */
} s_map_t;

static const char *s_tok_name(ingest__json_tok_t tok)
{
    switch (tok) {
    case INGEST__JSON_OBJECT:
        return "an object";
    case INGEST__JSON_ARRAY:
        return "an array";
    case INGEST__JSON_STRING:
        return "a string";
    case INGEST__JSON_NUMBER:
        return "a number";
    case INGEST__JSON_TRUE:
    case INGEST__JSON_FALSE:
        return "a boolean";
    case INGEST__JSON_NULL:
        return "null";
    default:
        return "nothing";
    }
}

/* Writes the dotted path of a field: "sender.name", "items[3].hs_code", "parcel_id". */
static void s_path(char *out, size_t len, const char *parent, int item, const char *name)
{
    if (item >= 0)
        snprintf(out, len, "items[%d].%s", item, name);
    else if (parent)
        snprintf(out, len, "%s.%s", parent, name);
    else
        snprintf(out, len, "%s", name);
}

static int s_wrong(s_map_t *m, const char *parent, int item, const char *name, const char *want,
                   ingest__json_tok_t got)
{
    char path[96];
    s_path(path, sizeof(path), parent, item, name);
    core_err_set(m->err, "field '%s' is not %s (got %s)", path, want, s_tok_name(got));
    return -EINVAL;
}

static int s_object(s_map_t *m, const ingest__table_t *table, void *obj, const char *parent,
                    int item);

static int s_items(s_map_t *m)
{
    uint32_t n = 0;
    for (;;) {
        ingest__json_tok_t tok = ingest__json_next(&m->js);
        if (tok == INGEST__JSON_ERROR)
            return -EINVAL;
        if (tok == INGEST__JSON_ARRAY_END)
            break;
        if (n == PROTO_MAX_ITEMS) {
            core_err_set(m->err, "more than %d items", PROTO_MAX_ITEMS);
            return -EINVAL;
        }
        if (tok != INGEST__JSON_OBJECT) {
            core_err_set(m->err, "field 'items[%u]' is not an object (got %s)", n, s_tok_name(tok));
            return -EINVAL;
        }
        ingest__item_init(&m->items[n]);
        if (s_object(m, &ingest__item_table, &m->items[n], NULL, (int)n) != 0)
            return -EINVAL;
        n++;
    }
    m->parcel->items = m->items;
    m->parcel->item_count = n;
    return 0;
}

/* Reads the value of field f (its first token is 'tok') into obj. */
static int s_field(s_map_t *m, const ingest__field_t *f, void *obj, ingest__json_tok_t tok,
                   const char *parent, int item)
{
    char *at = (char *)obj + f->offset;
    switch ((ingest__kind_t)f->kind) {
    case INGEST__F_STR:
        if (tok == INGEST__JSON_STRING)
            memcpy(at, &m->js.str, sizeof(core_str_t));
        else if (tok != INGEST__JSON_NULL)
            return s_wrong(m, parent, item, f->name, "a string", tok);
        return 0;
    case INGEST__F_NUM:
        if (tok == INGEST__JSON_NUMBER)
            memcpy(at, &m->js.num, sizeof(double));
        else if (tok != INGEST__JSON_NULL)
            return s_wrong(m, parent, item, f->name, "a number", tok);
        return 0;
    case INGEST__F_U32: {
        if (tok == INGEST__JSON_NULL)
            return 0;
        double x = m->js.num;
        if (tok != INGEST__JSON_NUMBER)
            return s_wrong(m, parent, item, f->name, "an integer", tok);
        if (!(x >= 0 && x <= UINT32_MAX) || x != floor(x)) {
            char path[96];
            s_path(path, sizeof(path), parent, item, f->name);
            core_err_set(m->err, "field '%s' is not an integer in 0..%u", path, UINT32_MAX);
            return -EINVAL;
        }
        uint32_t v = (uint32_t)x;
        memcpy(at, &v, sizeof(v));
        return 0;
    }
    case INGEST__F_PARTY:
        if (tok == INGEST__JSON_OBJECT)
            return s_object(m, &ingest__party_table, at, f->name, -1);
        if (tok != INGEST__JSON_NULL)
            return s_wrong(m, parent, item, f->name, "an object", tok);
        return 0;
    case INGEST__F_SELLER:
        if (tok == INGEST__JSON_OBJECT) {
            m->parcel->has_seller = true;
            return s_object(m, &ingest__seller_table, at, f->name, -1);
        }
        if (tok != INGEST__JSON_NULL)
            return s_wrong(m, parent, item, f->name, "an object or null", tok);
        return 0;
    case INGEST__F_ITEMS:
        if (tok == INGEST__JSON_ARRAY)
            return s_items(m);
        if (tok != INGEST__JSON_NULL)
            return s_wrong(m, parent, item, f->name, "an array", tok);
        return 0;
    }
    return -EINVAL;
}

/* Reads the members of an object whose '{' was just returned. */
static int s_object(s_map_t *m, const ingest__table_t *table, void *obj, const char *parent,
                    int item)
{
    uint64_t seen = 0;
    for (;;) {
        ingest__json_tok_t tok = ingest__json_next(&m->js);
        if (tok == INGEST__JSON_ERROR)
            return -EINVAL;
        if (tok == INGEST__JSON_OBJECT_END)
            return 0;
        /* The tokenizer's grammar guarantees a KEY here. */
        core_str_t key = m->js.str;
        int idx = ingest__table_find(table, key.ptr, key.len);
        tok = ingest__json_next(&m->js);
        if (tok == INGEST__JSON_ERROR)
            return -EINVAL;
        if (idx < 0) {
            if (ingest__json_skip(&m->js, tok) != 0)
                return -EINVAL;
            continue;
        }
        const ingest__field_t *f = &table->fields[idx];
        if (seen & (1ULL << idx)) {
            char path[96];
            s_path(path, sizeof(path), parent, item, f->name);
            core_err_set(m->err, "duplicate key '%s'", path);
            return -EINVAL;
        }
        seen |= 1ULL << idx;
        if (s_field(m, f, obj, tok, parent, item) != 0)
            return -EINVAL;
    }
}

int ingest__json_parse(const char *data, size_t len, char *scratch, size_t scratch_cap,
                       proto_parcel_t *parcel, proto_item_t *items, char *err)
{
    core_assert(parcel != NULL && items != NULL);
    s_map_t m;
    ingest__json_init(&m.js, data, len, scratch, scratch_cap, err);
    m.parcel = parcel;
    m.items = items;
    m.err = err;
    proto_parcel_init(parcel);

    ingest__json_tok_t tok = ingest__json_next(&m.js);
    if (tok == INGEST__JSON_ERROR)
        return -EINVAL;
    if (tok != INGEST__JSON_OBJECT) {
        core_err_set(err, "record is not a JSON object (got %s)", s_tok_name(tok));
        return -EINVAL;
    }
    if (s_object(&m, &ingest__parcel_table, parcel, NULL, -1) != 0)
        return -EINVAL;
    if (ingest__json_next(&m.js) != INGEST__JSON_END)
        return -EINVAL;
    return 0;
}
