/* import_text.c -- byte-level input helpers of the sanctions-list importers.
 *
 * DESIGN: the lists are a few MB and come in three encodings: UTF-8, Latin-1 (EU FSF 1.0) and
 * Windows-1252 (UK HMT: curly quotes 0x91-0x94, dashes 0x96). The converters are a 32-entry
 * table for 0x80-0x9F plus the Latin-1 identity above 0x9F; iconv was not used because its
 * availability and names differ between libcs and the job is one table. An undefined 1252 byte
 * or a C1 control becomes a space (a name never holds one). The converted text goes through
 * the same RFC 4180 reader as the UTF-8 lists (import_csv.c), fed from memory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "import_internal.h"

/* Windows-1252 0x80-0x9F as Unicode code points; 0 = undefined. */
static const uint16_t s_cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 0x80 euro ... */
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,      /* 0x88 */
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 0x90 curly quotes */
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178, /* 0x98 */
};

static void s_append_code_point(core_buf_t *out, uint32_t cp)
{
    char b[3];
    if (cp < 0x80) {
        core_buf_append_byte(out, (char)cp);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        core_buf_append(out, b, 2);
    } else {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        core_buf_append(out, b, 3);
    }
}

void screen__import_to_utf8(const char *in, size_t len, screen__import_charset_t charset,
                            core_buf_t *out)
{
    core_buf_reserve(out, len + len / 8);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        uint32_t cp = c;
        if (c >= 0x80 && c <= 0x9F)
            cp = charset == SCREEN__IMPORT_CP1252 ? s_cp1252_high[c - 0x80] : 0;
        if (c >= 0x80 && cp == 0)
            cp = ' ';
        s_append_code_point(out, cp);
    }
}

void screen__import_csv_from_buf(screen__import_csv_t *csv, core_buf_t *data)
{
    memset(csv, 0, sizeof(*csv));
    csv->data = *data;
    memset(data, 0, sizeof(*data));
    csv->p = csv->data.data;
    csv->end = csv->data.data + csv->data.len;
    if (csv->data.len >= 3 && memcmp(csv->p, "\xEF\xBB\xBF", 3) == 0)
        csv->p += 3;
    while (csv->end > csv->p && csv->end[-1] == 0x1a)
        csv->end--;
}

int screen__import_split(char *line, char sep, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        char *w = p; /* fields are unquoted in place: the write end never passes the read end */
        if (n < max)
            fields[n] = w;
        n++;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0')
                    return -EINVAL;
                if (*p == '"') {
                    if (p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
        }
        while (*p != '\0' && *p != sep)
            *w++ = *p++;
        bool more = *p == sep;
        *w = '\0';
        if (!more)
            return (int)(n > INT32_MAX ? INT32_MAX : n);
        p++;
    }
}
