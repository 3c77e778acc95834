/* import_un.c -- UN Security Council consolidated list (XML) -> SPEC name rules.
 *
 * DESIGN: the file is CONSOLIDATED_LIST with INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY.
 *   - An individual's primary name is FIRST_NAME .. FOURTH_NAME joined with spaces (the UN
 *     order, given names first); NAME_ORIGINAL_SCRIPT (Arabic, Cyrillic, ...) is a strong
 *     alias. INDIVIDUAL_ALIAS has QUALITY and ALIAS_NAME: "Good" (and "a.k.a.") is strong,
 *     "Low" is weak (weight - 30), "f.k.a." former (weight - 10). An ALIAS_NAME may hold
 *     several names separated by ';' and is split.
 *   - An entity's FIRST_NAME is its full name, sometimes several joined by ';' ("COMPAGNIE
 *     AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)"): the first part
 *     is the primary name, the others strong aliases; ENTITY_ALIAS as above.
 *   - Ids: <PREFIX>-<DATAID>[-A<n>] (UN-6908402-A1); the note keeps the REFERENCE_NUMBER
 *     (QDi.012) and UN_LIST_TYPE (Al-Qaida, DPRK, ...).
 *   - Addresses (INDIVIDUAL_ADDRESS, ENTITY_ADDRESS) are counted and skipped: most hold only a
 *     country or a city, and a country alone would flag every parcel to it.
 * Parser: libxml2's tree API over the file read into memory by us (a 2 MB file; libxml2 opens
 * nothing itself), with XML_PARSE_NONET and without XML_PARSE_NOENT,
 * XML_PARSE_DTDLOAD or XML_PARSE_DTDVALID, so external entities are neither fetched nor
 * expanded, and text is collected from text and CDATA nodes only: an entity reference
 * (&xxe;, or a "billion laughs" chain) contributes nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "import_internal.h"

typedef struct {
    screen__import_entities_t names; /* rule writer and name counts */
    core_buf_t text;                 /* reused element text */
    size_t individuals, entities;    /* records written, per section */
    size_t records;                  /* INDIVIDUAL and ENTITY elements read */
    size_t addresses;                /* address elements with content, skipped */
} s_un_t;

static bool s_is(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

/* Appends the text and CDATA below node (entity references and comments are ignored). */
static void s_collect(const xmlNode *node, core_buf_t *buf)
{
    for (const xmlNode *c = node->children; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            core_buf_append_str(buf, (const char *)c->content);
        else if (c->type == XML_ELEMENT_NODE)
            s_collect(c, buf);
    }
}

/* The trimmed text of the first child element 'name' of node, "" if none. Valid until the
 * next call. */
static const char *s_child_text(s_un_t *u, const xmlNode *node, const char *name)
{
    core_buf_reset(&u->text);
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (s_is(c, name)) {
            s_collect(c, &u->text);
            break;
        }
    }
    return screen__import_trim((char *)core_buf_cstr(&u->text));
}

/* Writes each ';'-separated part of 'names'; the first one with 'first' strength. */
static void s_names(s_un_t *u, const char *names, screen__import_strength_t first,
                    screen__import_strength_t rest, const char *what, const char *what_rest)
{
    char *copy = core_strdup(names);
    char *save = NULL;
    screen__import_strength_t strength = first;
    for (char *part = strtok_r(copy, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
        screen__import_trim(part);
        if (part[0] == '\0')
            continue;
        screen__import_entities_name(&u->names, part, strength, what);
        strength = rest;
        what = what_rest;
    }
    free(copy);
}

static void s_aliases(s_un_t *u, const xmlNode *record, const char *alias_tag)
{
    for (const xmlNode *c = record->children; c; c = c->next) {
        if (!s_is(c, alias_tag))
            continue;
        char quality[32];
        snprintf(quality, sizeof(quality), "%s", s_child_text(u, c, "QUALITY"));
        screen__import_strength_t strength = SCREEN__IMPORT_STRONG;
        const char *what = "alias";
        if (strcmp(quality, "Low") == 0) {
            strength = SCREEN__IMPORT_WEAK;
            what = "weak alias (quality Low)";
        } else if (strcmp(quality, "f.k.a.") == 0) {
            strength = SCREEN__IMPORT_FORMER;
            what = "former name (f.k.a.)";
        } else if (strcmp(quality, "Good") == 0) {
            what = "alias (quality Good)";
        } else if (strcmp(quality, "a.k.a.") == 0) {
            what = "alias (a.k.a.)";
        }
        char *name = core_strdup(s_child_text(u, c, "ALIAS_NAME"));
        s_names(u, name, strength, strength, what, what);
        free(name);
    }
}

static void s_addresses(s_un_t *u, const xmlNode *record, const char *address_tag)
{
    for (const xmlNode *c = record->children; c; c = c->next) {
        if (!s_is(c, address_tag))
            continue;
        core_buf_reset(&u->text);
        s_collect(c, &u->text);
        if (screen__import_trim((char *)core_buf_cstr(&u->text))[0] != '\0')
            u->addresses++;
    }
}

static void s_record(s_un_t *u, const xmlNode *record, bool person)
{
    u->records++;
    char dataid[64], ref[64], list_type[64], note[200];
    snprintf(dataid, sizeof(dataid), "%s", s_child_text(u, record, "DATAID"));
    snprintf(ref, sizeof(ref), "%s", s_child_text(u, record, "REFERENCE_NUMBER"));
    snprintf(list_type, sizeof(list_type), "%s", s_child_text(u, record, "UN_LIST_TYPE"));
    if (dataid[0] == '\0')
        snprintf(dataid, sizeof(dataid), "%s", ref[0] ? ref : "unknown");
    snprintf(note, sizeof(note), "UN %s (%s); %s", ref[0] ? ref : "-",
             list_type[0] ? list_type : "-", person ? "individual" : "entity");
    screen__import_entities_begin(&u->names, dataid, note, person);
    size_t before = u->names.entities;
    if (person) {
        static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                            "FOURTH_NAME"};
        core_buf_t full = {0};
        for (size_t i = 0; i < CORE_ARRAY_LEN(parts); i++) {
            const char *part = s_child_text(u, record, parts[i]);
            if (part[0] == '\0')
                continue;
            if (full.len > 0)
                core_buf_append_byte(&full, ' ');
            core_buf_append_str(&full, part);
        }
        if (full.len > 0)
            screen__import_entities_name(&u->names, core_buf_cstr(&full), SCREEN__IMPORT_PRIMARY,
                                         "primary name");
        core_buf_clear(&full);
    } else {
        char *name = core_strdup(s_child_text(u, record, "FIRST_NAME"));
        s_names(u, name, SCREEN__IMPORT_PRIMARY, SCREEN__IMPORT_STRONG, "primary name",
                "other name (FIRST_NAME)");
        free(name);
    }
    char *script = core_strdup(s_child_text(u, record, "NAME_ORIGINAL_SCRIPT"));
    if (script[0] != '\0')
        screen__import_entities_name(&u->names, script, SCREEN__IMPORT_STRONG,
                                     "name in original script");
    free(script);
    s_aliases(u, record, person ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS");
    s_addresses(u, record, person ? "INDIVIDUAL_ADDRESS" : "ENTITY_ADDRESS");
    screen__import_entities_end(&u->names);
    if (u->names.entities > before) {
        if (person)
            u->individuals++;
        else
            u->entities++;
    }
}

int screen__import_un(const screen__import_opts_t *opts, screen__import_out_t *out, char *err)
{
    /* Read here, parsed from memory: libxml2 opens no file of its own. */
    core_buf_t file = {0};
    int rc = core_buf_read_file(&file, opts->input, 0, err);
    if (rc != 0 || file.len > INT32_MAX) {
        if (rc == 0)
            core_err_set(err, "%s: too large for an XML list", opts->input);
        core_buf_clear(&file);
        return rc != 0 ? rc : -EFBIG;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        core_err_set(err, "%s: no XML parser context", opts->input);
        core_buf_clear(&file);
        return -ENOMEM;
    }
    /* No XML_PARSE_NOENT / DTDLOAD / DTDVALID: see DESIGN. */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, file.data, (int)file.len, opts->input, NULL, options);
    core_buf_clear(&file);
    if (doc == NULL) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char why[160];
        snprintf(why, sizeof(why), "%s", e && e->message ? e->message : "not well-formed XML");
        screen__import_trim(why);
        size_t n = strlen(why);
        if (n > 0 && why[n - 1] == '\n')
            why[n - 1] = '\0';
        core_err_set(err, "%s:%d: %s", opts->input, e ? e->line : 0, why);
        xmlFreeParserCtxt(ctxt);
        return -EINVAL;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (root == NULL || !s_is(root, "CONSOLIDATED_LIST")) {
        core_err_set(err, "%s: root element is not CONSOLIDATED_LIST", opts->input);
        rc = -EINVAL;
        goto out_free_doc;
    }
    s_un_t u;
    memset(&u, 0, sizeof(u));
    screen__import_entities_init(&u.names, out, opts->list, opts->scope, opts->weight);
    for (const xmlNode *section = root->children; section; section = section->next) {
        bool people = s_is(section, "INDIVIDUALS");
        if (!people && !s_is(section, "ENTITIES"))
            continue;
        for (const xmlNode *r = section->children; r; r = r->next)
            if (s_is(r, people ? "INDIVIDUAL" : "ENTITY"))
                s_record(&u, r, people);
    }
    char summary[512];
    screen__import_entities_summary(&u.names, summary, sizeof(summary));
    fprintf(stderr,
            "parcelscreen: import: %s: %zu records read; %zu individuals, %zu entities; %s; "
            "%zu addresses skipped (names only)\n",
            opts->list, u.records, u.individuals, u.entities, summary, u.addresses);
    if (u.records == 0) {
        core_err_set(err, "%s: no INDIVIDUAL or ENTITY record", opts->input);
        rc = -EINVAL;
    }
    screen__import_entities_clear(&u.names);
    core_buf_clear(&u.text);
out_free_doc:
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}
