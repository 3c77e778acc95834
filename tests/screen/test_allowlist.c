/* test_allowlist.c -- screen/src/allowlist.c through the scanner: officers' false positives
 * are reported suppressed and left out of the score; the file format is checked. */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"
#include "screen/allowlist.h"

#define WL                                                                                         \
    TH_HEADER "N1,demo,name,party.name,Acme Trading,80,\n"                                         \
              "N2,other,name,party.name,Acme Trading,50,\n"                                        \
              "K1,goods,keyword,items.description,replica,60,\n"

#define ALLOW_HEADER "rule_id,name_key,added_by,added_at,parcel_id\n"

/* Attaches the allow-list text (as file 'name') to s's matcher and remakes its scanner.
 * Returns the loader's result; err gets its reason. */
static int s_attach(th_screen_t *s, const char *name, const char *csv, long len, char *err)
{
    const char *path = th_tmp_write(&s->tmp, name, csv, len);
    screen_scanner_destroy(&s->scanner);
    int rc = screen_matcher_load_allowlist(s->matcher, &path, 1, err);
    s->scanner = screen_scanner_new(s->matcher, NULL, err);
    cr_assert_not_null(s->scanner);
    return rc;
}

static void s_party_parcel(proto_parcel_t *p, proto_item_t *items, const char *id,
                           const char *sender, const char *desc)
{
    th_parcel(p, items, id, desc);
    p->sender.name = th_s(sender);
}

Test(screen_allowlist, an_allow_listed_name_hit_is_suppressed_and_not_scored)
{
    th_screen_t s;
    th_screen_init(&s, WL, NULL);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    s_party_parcel(&p, items, "P1", "ACME TRADING LTD", "replica watch");

    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 3);
    cr_assert_eq(v.risk_score, 100 - 20 * 50 * 40 / 10000, "all three score before");

    char err[CORE_ERR_LEN] = "";
    /* Another spelling of the same name: the key is NAME-normalised like the matcher's. */
    cr_assert_eq(s_attach(&s, "allow.csv",
                          ALLOW_HEADER "N1,Acme Trading Ltd.,alice,2026-11-27T03:00:00.000Z,P0\n",
                          -1, err),
                 0, "%s", err);
    screen_allowlist_info_t info = screen_matcher_allowlist_info(s.matcher);
    cr_assert_eq(info.entries, 1);
    cr_assert_eq(info.active, 1);
    cr_assert_eq(info.unmatched, 0);

    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 3, "a suppressed hit is still recorded");
    const proto_hit_t *n1 = th_hit(&v, "N1");
    cr_assert_not_null(n1);
    cr_assert(n1->suppressed);
    cr_assert_str_eq(th_matched(n1), "ACME TRADING");
    cr_assert_not(th_hit(&v, "N2")->suppressed, "the entry is for rule N1 only");
    cr_assert_not(th_hit(&v, "K1")->suppressed);
    /* 1 - (1 - 0.5)(1 - 0.6) = 0.8: N1's 80 no longer counts. */
    cr_assert_eq(v.risk_score, 80);
    cr_assert_eq(v.channel, PROTO_CHANNEL_RED);
    cr_assert_eq(screen_scanner_stats(s.scanner).hits_suppressed, 1);
    th_screen_clear(&s);
}

Test(screen_allowlist, only_the_listed_party_name_is_suppressed)
{
    th_screen_t s;
    th_screen_init(&s, TH_HEADER "N1,demo,name,party.name,Skarvathorn Chemicals,80,\n", NULL);
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(s_attach(&s, "allow.csv", "rule_id,name_key\nN1,skarvathorn chemicals\n", -1, err),
                 0, "%s", err);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;

    s_party_parcel(&p, items, "P1", "SKARVATHORN CHEMICALS", "books");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 1);
    cr_assert(v.hits[0].suppressed);
    cr_assert_eq(v.risk_score, 0);
    cr_assert_eq(v.channel, PROTO_CHANNEL_GREEN);

    /* A misspelt party hits the same rule tolerantly: another name, not allow-listed. */
    s_party_parcel(&p, items, "P2", "Skarvathorn Chemikals", "books");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 1);
    cr_assert_lt(v.hits[0].similarity, 1.0);
    cr_assert_not(v.hits[0].suppressed);
    cr_assert_gt(v.risk_score, 0);

    /* The allow-listed name as recipient: keyed on name + rule, not on the field. */
    th_parcel(&p, items, "P3", "books");
    p.recipient.name = th_s("Skarvathorn Chemicals");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 1);
    cr_assert(v.hits[0].suppressed);
    th_screen_clear(&s);
}

Test(screen_allowlist, entries_of_other_rules_are_counted_not_kept)
{
    th_screen_t s;
    th_screen_init(&s, WL, NULL);
    char err[CORE_ERR_LEN] = "";
    /* Columns in another order, extra ones, quoting, CRLF, a repeated entry. */
    const char *csv = "parcel_id,name_key,note,rule_id\r\n"
                      "P1,\"Acme, Trading\",\"two\nlines\",N2\r\n"
                      "P2,replica,,K1\r\n"
                      "P3,Acme Trading,,GONE-7\r\n"
                      "P4,ACME TRADING,,N2\r\n";
    cr_assert_eq(s_attach(&s, "allow.csv", csv, -1, err), 0, "%s", err);
    screen_allowlist_info_t info = screen_matcher_allowlist_info(s.matcher);
    cr_assert_eq(info.files, 1);
    cr_assert_eq(info.entries, 4);
    cr_assert_eq(info.unmatched, 2, "K1 is a keyword rule, GONE-7 is not loaded");
    cr_assert_eq(info.active, 1, "two spellings of one (rule, name)");

    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    s_party_parcel(&p, items, "P1", "Acme Trading", "replica");
    th_screen(&s, &p, &v);
    cr_assert_not(th_hit(&v, "N1")->suppressed);
    cr_assert(th_hit(&v, "N2")->suppressed);
    cr_assert_not(th_hit(&v, "K1")->suppressed, "keyword hits are never allow-listed");
    th_screen_clear(&s);
}

Test(screen_allowlist, a_header_only_file_suppresses_nothing)
{
    th_screen_t s;
    th_screen_init(&s, WL, NULL);
    char err[CORE_ERR_LEN] = "";
    cr_assert_eq(s_attach(&s, "allow.csv", ALLOW_HEADER, -1, err), 0, "%s", err);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    s_party_parcel(&p, items, "P1", "Acme Trading", "");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 2);
    cr_assert_not(v.hits[0].suppressed);
    cr_assert_not(v.hits[1].suppressed);
    th_screen_clear(&s);
}

Test(screen_allowlist, a_malformed_file_is_refused_with_file_line_reason)
{
    static const struct {
        const char *csv;
        long len;
        const char *want; /* after "<dir>/" */
    } cases[] = {
        {"", -1, "allow.csv:1: missing header"},
        {"rule_id,name\nN1,x\n", -1, "allow.csv:1: missing column name_key"},
        {"name_key\nx\n", -1, "allow.csv:1: missing column rule_id"},
        {ALLOW_HEADER "N1,Acme,a,t,P1\nN1,Acme,a,t\n", -1,
         "allow.csv:3: 4 fields, the header has 5"},
        {"rule_id,name_key\nN1,\n", -1, "allow.csv:2: name_key is empty"},
        {"rule_id,name_key\n,Acme\n", -1, "allow.csv:2: rule_id is empty"},
        {"rule_id,name_key\nN1,\"...\"\n", -1, "allow.csv:2: name_key has no letters or digits"},
        {"rule_id,name_key\nN1,Ac\xff me\n", -1, "allow.csv:2: name_key is not valid UTF-8"},
        {"rule_id,name_key\n\nN1,\"Acme\n", -1, "allow.csv:3: "},
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(cases); i++) {
        th_screen_t s;
        th_screen_init(&s, WL, NULL);
        char err[CORE_ERR_LEN] = "";
        cr_assert_eq(s_attach(&s, "good.csv", "rule_id,name_key\nN1,Acme Trading\n", -1, err), 0,
                     "%s", err);
        err[0] = '\0';
        cr_assert_neq(s_attach(&s, "allow.csv", cases[i].csv, cases[i].len, err), 0,
                      "case %zu loaded", i);
        const char *slash = strrchr(err, '/');
        cr_assert_not_null(slash, "case %zu: '%s'", i, err);
        cr_assert(strncmp(slash + 1, cases[i].want, strlen(cases[i].want)) == 0,
                  "case %zu: '%s', want '%s'", i, err, cases[i].want);
        /* Refused: the matcher keeps the allow-list it had. */
        cr_assert_eq(screen_matcher_allowlist_info(s.matcher).active, 1, "case %zu", i);
        th_screen_clear(&s);
    }
}

Test(screen_allowlist, a_missing_file_is_refused)
{
    th_screen_t s;
    th_screen_init(&s, WL, NULL);
    char err[CORE_ERR_LEN] = "";
    const char *path = "/nonexistent/allow.csv";
    screen_scanner_destroy(&s.scanner);
    cr_assert_neq(screen_matcher_load_allowlist(s.matcher, &path, 1, err), 0);
    cr_assert_not_null(strstr(err, "/nonexistent/allow.csv"), "%s", err);
    th_screen_clear(&s);
}
