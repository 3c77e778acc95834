/* test_watchlist.c -- screen/src/watchlist.c (+ csv.c): loading, validation, errors, version. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "screen/matcher.h"
#include "screen/watchlist.h"

/* Every kind with every scope it accepts. */
static const char s_all_kinds[] =
    TH_HEADER "N1,sdn,name,sender.name,\"SMITH, John\",90,\n"
              "N2,sdn,name,recipient.name,Acme Trading Co,80,\n"
              "N3,sdn,name,party.name,Ivan Petrov,80,\n"
              "N4,sdn,name,seller.name,Bad Shop,70,\n"
              "K1,goods,keyword,items.description,replica,60,counterfeit\n"
              "K2,goods,keyword,sender.address,Baker Street,20,\n"
              "K3,goods,keyword,recipient.address,Elm Road,20,\n"
              "K4,goods,keyword,party.address,Nowhere Lane,20,\n"
              "R1,goods,regex,items.description,(?i)glock\\s*switch,90,\n"
              "H1,hs,hscode,items.hs_code,2939,50,\n"
              "C1,geo,country,party.country,IR,40,\n"
              "C2,geo,country,origin_country,KP,40,\n"
              "C3,geo,country,dispatch_country,SY,40,\n"
              "I1,ids,identifier,party.phone,+1 (973) 555-0100,70,\n"
              "I2,ids,identifier,party.email,bad@example.com,70,\n"
              "I3,ids,identifier,party.tax_id,DE123456789,70,\n"
              "I4,ids,identifier,item_id,LX123456785CN,70,\n"
              "M1,geo,country,party.country|origin_country,CU,40,several scopes\n";

Test(screen_watchlist, loads_every_kind_and_scope)
{
    th_tmp_t tmp;
    th_tmp_init(&tmp);
    const char *path = th_tmp_write(&tmp, "all.csv", s_all_kinds, -1);
    char err[CORE_ERR_LEN] = "";
    screen_watchlist_t *wl = screen_watchlist_load(&path, 1, NULL, err);
    cr_assert_not_null(wl, "%s", err);
    cr_assert_eq(screen_watchlist_size(wl), 18);
    cr_assert_eq(screen_watchlist_skipped(wl), 0);
    const screen_rule_t *r = screen_watchlist_rule(wl, 0);
    cr_assert_str_eq(r->id, "N1");
    cr_assert_str_eq(r->list, "sdn");
    cr_assert_str_eq(r->pattern, "SMITH, John");
    cr_assert_eq(r->kind, SCREEN_KIND_NAME);
    cr_assert_eq(r->scope, SCREEN_FIELD_SENDER_NAME);
    cr_assert_eq(r->weight, 90);
    cr_assert_eq(r->line, 2);
    cr_assert_eq(screen_watchlist_rule(wl, 2)->scope,
                 SCREEN_FIELD_SENDER_NAME | SCREEN_FIELD_RECIPIENT_NAME);
    cr_assert_eq(screen_watchlist_rule(wl, 4)->kind, SCREEN_KIND_KEYWORD);
    cr_assert_str_eq(screen_watchlist_rule(wl, 4)->note, "counterfeit");
    cr_assert_eq(screen_watchlist_rule(wl, 11)->scope,
                 SCREEN_FIELD_ORIGIN_COUNTRY | SCREEN_FIELD_ITEM_ORIGIN_COUNTRY);
    cr_assert_eq(screen_watchlist_rule(wl, 17)->scope,
                 SCREEN_FIELD_SENDER_COUNTRY | SCREEN_FIELD_RECIPIENT_COUNTRY |
                     SCREEN_FIELD_ORIGIN_COUNTRY | SCREEN_FIELD_ITEM_ORIGIN_COUNTRY);

    const char *v = screen_watchlist_version(wl);
    cr_assert_eq(strlen(v), 19, "%s", v);
    cr_assert_eq(strncmp(v, "wl-", 3), 0);
    cr_assert_eq(strspn(v + 3, "0123456789abcdef"), 16);
    cr_assert_str_eq(screen_watchlist_description(wl), "all.csv (18 rules)");
    cr_assert_eq(screen_watchlist_file_count(wl), 1);
    cr_assert_str_eq(screen_watchlist_file(wl, 0), path);

    screen_matcher_t *m = screen_matcher_new(&wl, err);
    cr_assert_null(wl, "the matcher took the watchlist");
    cr_assert_not_null(m, "%s", err);
    const screen_matcher_info_t *info = screen_matcher_info(m);
    cr_assert_eq(info->rules, 18);
    cr_assert_eq(info->rules_by_kind[SCREEN_KIND_NAME], 4);
    cr_assert_eq(info->rules_by_kind[SCREEN_KIND_KEYWORD], 4);
    cr_assert_eq(info->rules_by_kind[SCREEN_KIND_REGEX], 1);
    cr_assert_eq(info->rules_by_kind[SCREEN_KIND_COUNTRY], 4);
    cr_assert_eq(info->regex_patterns[SCREEN_CLASS_DESCRIPTION], 1);
    cr_assert_gt(info->literal_db_bytes[SCREEN_CLASS_NAME], 0);
    cr_assert_gt(info->literal_patterns[SCREEN_CLASS_NAME], 4, "\"SMITH, John\" adds John Smith");
    cr_assert_eq(info->literal_patterns[SCREEN_CLASS_ADDRESS], 3);
    cr_assert_eq(info->hscode_keys, 1);
    cr_assert_eq(info->country_keys, 4);
    cr_assert_eq(info->identifier_keys, 4);
    screen_matcher_destroy(&m);
    screen_matcher_destroy(&m);
    th_tmp_clear(&tmp);
}

Test(screen_watchlist, columns_by_name_and_rfc4180_quoting)
{
    /* Columns in another order, an extra column, a BOM, CRLF, quoted commas, doubled quotes and
     * a newline inside a quoted note: line numbers still count physical lines. */
    const char csv[] = "\xEF\xBB\xBF"
                       "weight,pattern,extra,id,scope,kind,list,note\r\n"
                       "50,\"Smith, John\",x,A1,party.name,name,sdn,\"two\r\nlines\"\r\n"
                       "60,\"the \"\"real\"\" thing\",y,A2,items.description,keyword,goods,\r\n"
                       "\r\n"
                       "70,\"a,b\",z,A3,items.description,keyword,goods,\"\"\n";
    th_tmp_t tmp;
    th_tmp_init(&tmp);
    const char *path = th_tmp_write(&tmp, "q.csv", csv, -1);
    char err[CORE_ERR_LEN] = "";
    screen_watchlist_t *wl = screen_watchlist_load(&path, 1, NULL, err);
    cr_assert_not_null(wl, "%s", err);
    cr_assert_eq(screen_watchlist_size(wl), 3);
    cr_assert_str_eq(screen_watchlist_rule(wl, 0)->pattern, "Smith, John");
    cr_assert_str_eq(screen_watchlist_rule(wl, 0)->note, "two\r\nlines");
    cr_assert_eq(screen_watchlist_rule(wl, 0)->weight, 50);
    cr_assert_str_eq(screen_watchlist_rule(wl, 1)->pattern, "the \"real\" thing");
    cr_assert_eq(screen_watchlist_rule(wl, 1)->line, 4);
    cr_assert_eq(screen_watchlist_rule(wl, 2)->line, 6);
    cr_assert_str_eq(screen_watchlist_rule(wl, 2)->pattern, "a,b");
    screen_watchlist_destroy(&wl);
    cr_assert_null(wl);
    th_tmp_clear(&tmp);
}

Test(screen_watchlist, version_hashes_contents_in_order)
{
    th_tmp_t tmp;
    th_tmp_init(&tmp);
    const char *a =
        th_tmp_write(&tmp, "a.csv", TH_HEADER "A,l,keyword,items.description,x,1,\n", -1);
    const char *b =
        th_tmp_write(&tmp, "b.csv", TH_HEADER "B,l,keyword,items.description,y,1,\n", -1);
    const char *b2 =
        th_tmp_write(&tmp, "b2.csv", TH_HEADER "B,l,keyword,items.description,y,1,\n", -1);
    char err[CORE_ERR_LEN];
    char v_ab[32], v_ba[32], v_ab2[32], v_a[32];
    const char *ab[] = {a, b};
    const char *ba[] = {b, a};
    const char *ab2[] = {a, b2};
    struct {
        const char *const *paths;
        size_t n;
        char *out;
    } runs[] = {{ab, 2, v_ab}, {ba, 2, v_ba}, {ab2, 2, v_ab2}, {ab, 1, v_a}};
    for (size_t i = 0; i < 4; i++) {
        screen_watchlist_t *wl = screen_watchlist_load(runs[i].paths, runs[i].n, NULL, err);
        cr_assert_not_null(wl, "%s", err);
        snprintf(runs[i].out, 32, "%s", screen_watchlist_version(wl));
        if (i == 0)
            cr_assert_str_eq(screen_watchlist_description(wl), "a.csv (1 rules); b.csv (1 rules)");
        screen_watchlist_destroy(&wl);
    }
    cr_assert_str_neq(v_ab, v_ba, "load order matters");
    cr_assert_str_eq(v_ab, v_ab2, "same bytes, same version (the path is not hashed)");
    cr_assert_str_neq(v_ab, v_a);
    th_tmp_clear(&tmp);
}

Test(screen_watchlist, validity_window_skips_and_counts)
{
    const char csv[] = "id,list,kind,scope,pattern,weight,note,valid_from,valid_to\n"
                       "W1,l,keyword,items.description,always,10,,,\n"
                       "W2,l,keyword,items.description,future,10,,2026-06-01,\n"
                       "W3,l,keyword,items.description,past,10,,,2026-01-31\n"
                       "W4,l,keyword,items.description,inside,10,,2026-01-01,2026-12-31\n"
                       "W5,l,keyword,items.description,lastday,10,,2026-03-01,2026-03-01\n";
    th_tmp_t tmp;
    th_tmp_init(&tmp);
    const char *path = th_tmp_write(&tmp, "w.csv", csv, -1);
    char err[CORE_ERR_LEN];
    screen_watchlist_opts_t opts = {.today = "2026-03-01"};
    screen_watchlist_t *wl = screen_watchlist_load(&path, 1, &opts, err);
    cr_assert_not_null(wl, "%s", err);
    cr_assert_eq(screen_watchlist_size(wl), 3);
    cr_assert_eq(screen_watchlist_skipped(wl), 2);
    cr_assert_str_eq(screen_watchlist_rule(wl, 0)->id, "W1");
    cr_assert_str_eq(screen_watchlist_rule(wl, 1)->id, "W4");
    cr_assert_str_eq(screen_watchlist_rule(wl, 2)->id, "W5");
    cr_assert_str_eq(screen_watchlist_description(wl), "w.csv (3 rules, 2 skipped)");
    char v1[32];
    snprintf(v1, sizeof(v1), "%s", screen_watchlist_version(wl));
    screen_watchlist_destroy(&wl);

    opts.today = "2026-07-01"; /* W2 active, W3 and W5 skipped: another set, another version */
    wl = screen_watchlist_load(&path, 1, &opts, err);
    cr_assert_not_null(wl, "%s", err);
    cr_assert_eq(screen_watchlist_size(wl), 3);
    cr_assert_str_neq(screen_watchlist_version(wl), v1);
    screen_watchlist_destroy(&wl);

    opts.today = "2026-02-30";
    cr_assert_null(screen_watchlist_load(&path, 1, &opts, err));
    th_tmp_clear(&tmp);
}

Test(screen_watchlist, scope_and_kind_names)
{
    uint32_t mask = 0;
    screen_kind_t kind;
    cr_assert_eq(screen_scope_parse("party.name", 10, &mask), 0);
    cr_assert_eq(mask, SCREEN_FIELD_SENDER_NAME | SCREEN_FIELD_RECIPIENT_NAME);
    cr_assert_eq(screen_scope_parse("seller.name | item_id", 21, &mask), 0);
    cr_assert_eq(mask, SCREEN_FIELD_SELLER_NAME | SCREEN_FIELD_ITEM_ID);
    cr_assert_lt(screen_scope_parse("party.nam", 9, &mask), 0);
    cr_assert_lt(screen_scope_parse("", 0, &mask), 0);
    cr_assert_lt(screen_scope_parse("item_id|", 8, &mask), 0);
    cr_assert_eq(screen_kind_parse("hscode", 6, &kind), 0);
    cr_assert_eq(kind, SCREEN_KIND_HSCODE);
    cr_assert_lt(screen_kind_parse("hs", 2, &kind), 0);
    cr_assert_str_eq(screen_kind_name(SCREEN_KIND_IDENTIFIER), "identifier");
}

/* ============ Refusals: every reason names file:line ============ */

static void s_expect_refused(const char *csv, const char *want)
{
    char err[CORE_ERR_LEN];
    cr_assert_eq(th_refused(csv, err), 0, "loaded, but expected: %s", want);
    cr_assert_not_null(strstr(err, want), "reason '%s' does not contain '%s'", err, want);
    cr_assert_not_null(strstr(err, "wl.csv:"), "reason '%s' has no file:line", err);
}

Test(screen_watchlist, refuses_bad_structure)
{
    s_expect_refused("", "wl.csv:1: empty file");
    s_expect_refused("id,list,kind,scope,pattern\n", "wl.csv:1: missing column 'weight'");
    s_expect_refused("id,list,kind,scope,pattern,weight,id\n",
                     "wl.csv:1: column 'id' appears twice");
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,x,1\n",
                     "wl.csv:2: 6 fields, the header has 7");
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,\"open,1,\n",
                     "wl.csv:2: unterminated quoted field");
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,\"x\"y,1,\n",
                     "wl.csv:2: text after the closing quote");
}

Test(screen_watchlist, refuses_bad_fields)
{
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,x,1,\n"
                               ",l,keyword,items.description,x,1,\n",
                     "wl.csv:3: empty id");
    s_expect_refused(TH_HEADER "A,,keyword,items.description,x,1,\n",
                     "wl.csv:2: rule 'A': empty list");
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,x,1,\n"
                               "B,l,nmae,party.name,x,1,\n",
                     "wl.csv:3: rule 'B': unknown kind 'nmae'");
    s_expect_refused(TH_HEADER "A,l,name,sender.nam,x,1,\n",
                     "wl.csv:2: rule 'A': unknown scope 'sender.nam'");
    s_expect_refused(TH_HEADER "A,l,hscode,party.name,2939,1,\n",
                     "wl.csv:2: rule 'A': scope 'party.name' does not apply to kind 'hscode'");
    s_expect_refused(TH_HEADER "A,l,country,items.description,IR,1,\n",
                     "does not apply to kind 'country'");
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,x,0,\n",
                     "wl.csv:2: rule 'A': weight '0'");
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,x,101,\n",
                     "weight '101' is not an integer in 1..100");
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,x,ten,\n", "weight 'ten'");
    s_expect_refused(TH_HEADER "A,l,keyword,items.description, ,5,\n",
                     "wl.csv:2: rule 'A': empty pattern");
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,x,5,\n"
                               "B,l,keyword,items.description,caf\xe9,5,\n",
                     "wl.csv:3: invalid UTF-8");
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,x,5,not\xc3(utf8\n",
                     "wl.csv:2: invalid UTF-8");
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,!!!,5,\n",
                     "has no letters or digits");
    s_expect_refused(TH_HEADER "A,l,hscode,items.hs_code,2,5,\n", "must have 2 to 10 digits");
    s_expect_refused(TH_HEADER "A,l,hscode,items.hs_code,29391234567,5,\n",
                     "must have 2 to 10 digits");
    s_expect_refused(TH_HEADER "A,l,hscode,items.hs_code,29x9,5,\n", "is not digits");
    s_expect_refused(TH_HEADER "A,l,country,party.country,IRN,5,\n", "'IRN' is not an ISO2 code");
    s_expect_refused(TH_HEADER "A,l,identifier,party.phone,call me,5,\n",
                     "wl.csv:2: rule 'A': identifier pattern");
}

Test(screen_watchlist, refuses_duplicate_ids)
{
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,x,1,\n"
                               "B,l,keyword,items.description,y,1,\n"
                               "A,l,keyword,items.description,z,1,\n",
                     "wl.csv:4: duplicate id 'A' (first at ");

    /* Across files: the second file is named, with the first file's line. */
    th_tmp_t tmp;
    th_tmp_init(&tmp);
    const char *paths[2] = {
        th_tmp_write(&tmp, "one.csv", TH_HEADER "X1,l,keyword,items.description,x,1,\n", -1),
        th_tmp_write(&tmp, "two.csv",
                     TH_HEADER "Y1,l,keyword,items.description,y,1,\n"
                               "X1,l,keyword,items.description,z,1,\n",
                     -1),
    };
    char err[CORE_ERR_LEN];
    cr_assert_null(screen_watchlist_load(paths, 2, NULL, err));
    char want[512];
    snprintf(want, sizeof(want), "%s:3: duplicate id 'X1' (first at %s:2)", paths[1], paths[0]);
    cr_assert_str_eq(err, want);
    th_tmp_clear(&tmp);
}

Test(screen_watchlist, refuses_bad_dates)
{
    const char *hdr = "id,list,kind,scope,pattern,weight,note,valid_from,valid_to\n";
    char csv[512];
    snprintf(csv, sizeof(csv), "%sA,l,keyword,items.description,x,1,,2024-02-30,\n", hdr);
    s_expect_refused(csv, "wl.csv:2: rule 'A': bad valid_from '2024-02-30'");
    snprintf(csv, sizeof(csv), "%sA,l,keyword,items.description,x,1,,,31/12/2024\n", hdr);
    s_expect_refused(csv, "bad valid_to '31/12/2024'");
    snprintf(csv, sizeof(csv), "%sA,l,keyword,items.description,x,1,,2025-01-02,2025-01-01\n", hdr);
    s_expect_refused(csv, "valid_from is after valid_to");
    snprintf(csv, sizeof(csv), "%sA,l,keyword,items.description,x,1,,2024-02-29,2024-13-01\n", hdr);
    s_expect_refused(csv, "bad valid_to '2024-13-01'");
}

Test(screen_watchlist, refuses_bad_regex_at_compile_with_its_line)
{
    s_expect_refused(TH_HEADER "A,l,keyword,items.description,x,1,\n"
                               "RX,l,regex,items.description,(unclosed,1,\n",
                     "wl.csv:3: rule 'RX': bad regex: ");
    s_expect_refused(TH_HEADER "E,l,regex,party.name,a*,1,\n", "wl.csv:2: rule 'E': bad regex");
    /* Start-of-match tracking cannot handle this one ("Pattern too large"). */
    s_expect_refused(TH_HEADER "OK,l,regex,items.description,foo,1,\n"
                               "BIG,l,regex,items.description,[a-z]+x[a-z]{100}y,1,\n",
                     "wl.csv:3: rule 'BIG': bad regex: Pattern is too large");
}

Test(screen_watchlist, refuses_missing_file)
{
    const char *path = "/nonexistent/dir/wl.csv";
    char err[CORE_ERR_LEN];
    cr_assert_null(screen_watchlist_load(&path, 1, NULL, err));
    cr_assert_str_eq(err, "/nonexistent/dir/wl.csv: No such file or directory");
    cr_assert_null(screen_watchlist_load(NULL, 0, NULL, err));
}
