/* test_scanner.c -- screen/src/scanner.c (+ matcher.c): every kind and scope, offsets, order,
 * scoring, channels, random selection. */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

/* ============ keyword ============ */

Test(screen_scanner, keyword_matches_whole_words_only)
{
    th_screen_t s;
    th_screen_init(&s, TH_HEADER "GOODS-0113,counterfeit,keyword,items.description,replica,60,\n",
                   NULL);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;

    th_parcel(&p, items, "P1", "Rolex style replica");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 1);
    const proto_hit_t *h = th_hit(&v, "GOODS-0113");
    cr_assert_not_null(h);
    cr_assert_str_eq(th_field(h), "items[0].description");
    cr_assert_str_eq(th_matched(h), "replica");
    cr_assert_eq(h->start, 12);
    cr_assert_eq(h->end, 19);
    cr_assert(core_str_eq_cstr(h->list, "counterfeit"));
    cr_assert(core_str_eq_cstr(h->kind, "keyword"));
    cr_assert_eq(h->weight, 60);
    cr_assert_float_eq(h->similarity, 1.0, 1e-9);
    cr_assert_eq(v.risk_score, 60);
    cr_assert_eq(v.channel, PROTO_CHANNEL_YELLOW);
    cr_assert(core_str_eq_cstr(v.parcel_id, "P1"));

    const char *misses[] = {"replicator parts", "areplica", "REPLICAS", "rep lica"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(misses); i++) {
        th_parcel(&p, items, "P2", misses[i]);
        th_screen(&s, &p, &v);
        cr_assert_eq(v.hit_count, 0, "'%s' must not hit", misses[i]);
        cr_assert_eq(v.channel, PROTO_CHANNEL_GREEN);
    }
    /* Case, punctuation around the word, several occurrences (first reported once). */
    th_parcel(&p, items, "P3", "(REPLICA) watch, replica box");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 1);
    cr_assert_str_eq(th_matched(&v.hits[0]), "REPLICA");
    cr_assert_eq(v.hits[0].start, 1);
    th_screen_clear(&s);
}

Test(screen_scanner, keyword_folds_case_diacritics_and_punctuation)
{
    th_screen_t s;
    th_screen_init(&s,
                   TH_HEADER "K1,l,keyword,items.description,creme brulee,30,\n"
                             "K2,l,keyword,items.description,1:1 copy,30,\n"
                             "K3,l,keyword,items.description,Kalashnikov,30,\n",
                   NULL);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    th_parcel(&p, items, "P1", "Torch for CRÈME  BRÛLÉE, 1-1 COPY of a kalashnikov");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 3);
    const proto_hit_t *h = th_hit(&v, "K1");
    cr_assert_not_null(h);
    cr_assert_str_eq(th_matched(h), "CRÈME  BRÛLÉE", "offsets are into the original bytes");
    cr_assert_eq(h->start, 10);
    cr_assert_str_eq(th_matched(th_hit(&v, "K2")), "1-1 COPY");
    cr_assert_str_eq(th_matched(th_hit(&v, "K3")), "kalashnikov");
    /* Hits are in field order, then start. */
    cr_assert_lt(v.hits[0].start, v.hits[1].start);
    cr_assert_lt(v.hits[1].start, v.hits[2].start);
    th_screen_clear(&s);
}

Test(screen_scanner, pattern_shared_by_rules_reports_every_rule)
{
    th_screen_t s;
    th_screen_init(&s,
                   TH_HEADER "A,l1,keyword,items.description,replica,10,\n"
                             "B,l2,keyword,items.description,REPLICA!,20,\n"
                             "C,l3,keyword,sender.name,replica,30,\n",
                   NULL);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    th_parcel(&p, items, "P1", "a replica");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 2, "C is scoped to sender.name");
    cr_assert_str_eq(th_field(&v.hits[0]), "items[0].description");
    cr_assert(core_str_eq_cstr(v.hits[0].rule_id, "A"));
    cr_assert(core_str_eq_cstr(v.hits[1].rule_id, "B"));
    cr_assert_eq(v.risk_score, 28); /* 1 - 0.9 * 0.8 */
    th_screen_clear(&s);
}

/* ============ name ============ */

Test(screen_scanner, name_listed_as_last_comma_first)
{
    th_screen_t s;
    th_screen_init(&s, TH_HEADER "SDN-1,sdn,name,party.name,\"SMITH, John\",90,\n", NULL);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    const char *forms[] = {"John Smith",    "SMITH, JOHN",    "Mr. John SMITH",
                           "john smith jr", "Dr John  Smith", "Jóhn Smíth"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(forms); i++) {
        th_parcel(&p, items, "P", "shoes");
        p.recipient.name = th_s(forms[i]);
        th_screen(&s, &p, &v);
        cr_assert_eq(v.hit_count, 1, "'%s' must hit", forms[i]);
        cr_assert_str_eq(th_field(&v.hits[0]), "recipient.name");
        cr_assert(core_str_eq_cstr(v.hits[0].kind, "name"));
        cr_assert_eq(v.risk_score, 90);
        cr_assert_eq(v.channel, PROTO_CHANNEL_RED);
    }
    th_parcel(&p, items, "P", "shoes");
    p.recipient.name = th_s("Mr. John SMITH");
    th_screen(&s, &p, &v);
    cr_assert_str_eq(th_matched(&v.hits[0]), "John SMITH");
    cr_assert_eq(v.hits[0].start, 4);

    const char *misses[] = {"John Smithers", "Johnny Smith", "Smith", "Jon Smith"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(misses); i++) {
        th_parcel(&p, items, "P", "shoes");
        p.sender.name = th_s(misses[i]);
        th_screen(&s, &p, &v);
        cr_assert_eq(v.hit_count, 0, "'%s' must not hit", misses[i]);
    }
    th_screen_clear(&s);
}

Test(screen_scanner, name_in_any_token_order)
{
    th_screen_t s;
    th_screen_init(&s, TH_HEADER "SDN-2,sdn,name,party.name,\"al-Zawahiri, Ayman\",100,\n", NULL);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    th_parcel(&p, items, "P", "books");
    p.sender.name = th_s("Zawahiri Ayman al");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 1);
    cr_assert_str_eq(th_field(&v.hits[0]), "sender.name");
    cr_assert_eq(v.hits[0].start, 0);
    cr_assert_eq(v.hits[0].end, 17);
    cr_assert_float_eq(v.hits[0].similarity, 1.0, 1e-9);
    cr_assert_eq(v.risk_score, 100);
    /* Natural order is a literal hit. */
    p.sender.name = th_s("AYMAN AL ZAWAHIRI");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 1);
    /* Any order inside a longer field: the token window is reported (fuzzy.c verifier). */
    p.sender.name = th_s("Zawahiri Ayman al Masri");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 1);
    cr_assert_str_eq(th_matched(&v.hits[0]), "Zawahiri Ayman al");
    cr_assert_float_eq(v.hits[0].similarity, 1.0, 1e-9);
    /* Two unrelated tokens inside the window: no match. */
    p.sender.name = th_s("Zawahiri Hamza Masri Ayman al");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 0);
    th_screen_clear(&s);
}

Test(screen_scanner, name_ignores_legal_forms)
{
    th_screen_t s;
    th_screen_init(
        &s, TH_HEADER "E1,sdn,name,party.name|seller.name,\"ACME TRADING CO., LTD.\",80,\n", NULL);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    const char *forms[] = {"Acme Trading Co", "ACME Trading Company Limited", "acme trading",
                           "Acme Trading LLC", "ACME-TRADING GmbH"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(forms); i++) {
        th_parcel(&p, items, "P", "shoes");
        p.has_seller = true;
        p.seller.name = th_s(forms[i]);
        th_screen(&s, &p, &v);
        cr_assert_eq(v.hit_count, 1, "'%s' must hit", forms[i]);
        cr_assert_str_eq(th_field(&v.hits[0]), "seller.name");
    }
    th_parcel(&p, items, "P", "shoes");
    /* One letter more in a long token: a tolerant hit below 1 (fuzzy.c). */
    p.sender.name = th_s("Acme Tradings Co");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 1);
    cr_assert(v.hits[0].similarity < 1.0);
    /* Two edits in one token: no match. */
    p.sender.name = th_s("Acme Tredings Co");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 0);
    th_screen_clear(&s);
}

Test(screen_scanner, name_scope_selects_the_party)
{
    th_screen_t s;
    th_screen_init(&s,
                   TH_HEADER "S,l,name,sender.name,Ivan Petrov,50,\n"
                             "R,l,name,recipient.name,Ivan Petrov,40,\n"
                             "B,l,name,party.name,Ivan Petrov,30,\n"
                             "X,l,name,seller.name,Ivan Petrov,20,\n",
                   NULL);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    th_parcel(&p, items, "P", "Ivan Petrov");
    p.sender.name = th_s("Ivan Petrov");
    p.recipient.name = th_s("IVAN PETROV");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 4);
    /* sender.name first, then recipient.name; same start -> rule id order. */
    cr_assert_str_eq(th_field(&v.hits[0]), "sender.name");
    cr_assert(core_str_eq_cstr(v.hits[0].rule_id, "B"));
    cr_assert(core_str_eq_cstr(v.hits[1].rule_id, "S"));
    cr_assert_str_eq(th_field(&v.hits[2]), "recipient.name");
    cr_assert(core_str_eq_cstr(v.hits[2].rule_id, "B"));
    cr_assert(core_str_eq_cstr(v.hits[3].rule_id, "R"));
    cr_assert_null(th_hit(&v, "X"), "seller.name rule, no seller");
    th_screen_clear(&s);
}

/* ============ address ============ */

Test(screen_scanner, address_joins_street_city_postcode)
{
    th_screen_t s;
    th_screen_init(&s,
                   TH_HEADER "A1,l,keyword,sender.address,12 Baker Street London,50,\n"
                             "A2,l,keyword,party.address,London NW1 6XE,50,\n"
                             "A3,l,keyword,recipient.address,london,50,\n"
                             "A4,l,name,party.address,\"Holmes, Sherlock\",50,\n",
                   NULL);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    th_parcel(&p, items, "P", "pipe");
    p.sender.address = th_s("c/o Sherlock Holmes, 12 Baker Street");
    p.sender.city = th_s("LONDON");
    p.sender.postcode = th_s("NW1 6XE");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 3, "A3 is for the recipient");
    /* A4 starts in the street line: sender.address 4..19. */
    cr_assert_str_eq(th_field(&v.hits[0]), "sender.address");
    cr_assert(core_str_eq_cstr(v.hits[0].rule_id, "A4"));
    cr_assert_str_eq(th_matched(&v.hits[0]), "Sherlock Holmes");
    /* A1 runs from the street into the city: reported in the street, clipped to its end. */
    cr_assert(core_str_eq_cstr(v.hits[1].rule_id, "A1"));
    cr_assert_str_eq(th_field(&v.hits[1]), "sender.address");
    cr_assert_str_eq(th_matched(&v.hits[1]), "12 Baker Street");
    /* A2 starts in the city. */
    cr_assert(core_str_eq_cstr(v.hits[2].rule_id, "A2"));
    cr_assert_str_eq(th_field(&v.hits[2]), "sender.city");
    cr_assert_eq(v.hits[2].start, 0);
    cr_assert_str_eq(th_matched(&v.hits[2]), "LONDON");

    /* Street and city do not run together when the street is empty. */
    th_parcel(&p, items, "P", "pipe");
    p.recipient.city = th_s("London");
    p.recipient.postcode = th_s("NW1 6XE");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 2);
    cr_assert_str_eq(th_field(&v.hits[0]), "recipient.city");
    th_screen_clear(&s);
}

/* ============ regex ============ */

Test(screen_scanner, regex_on_raw_text_with_offsets)
{
    th_screen_t s;
    th_screen_init(&s,
                   TH_HEADER
                   "R1,weapons,regex,items.description,(?i)\\bglock\\s*switch(es)?\\b,90,\n"
                   "R2,l,regex,sender.name,[0-9]{3}-[0-9]{4},10,\n",
                   NULL);
    proto_parcel_t p;
    proto_item_t items[2];
    proto_verdict_t v;
    th_parcel(&p, items, "P", "toy");
    items[1] = items[0];
    items[1].description = th_s("new GLOCK  Switches x2");
    p.item_count = 2;
    p.sender.name = th_s("Shop 555-0100");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 2);
    cr_assert_str_eq(th_field(&v.hits[0]), "sender.name");
    cr_assert_str_eq(th_matched(&v.hits[0]), "555-0100");
    cr_assert_eq(v.hits[0].start, 5);
    cr_assert_str_eq(th_field(&v.hits[1]), "items[1].description");
    cr_assert_str_eq(th_matched(&v.hits[1]), "GLOCK  Switches");
    cr_assert(core_str_eq_cstr(v.hits[1].kind, "regex"));
    cr_assert_eq(v.risk_score, 91);
    th_screen_clear(&s);
}

/* ============ hscode ============ */

Test(screen_scanner, hscode_is_a_digit_prefix)
{
    th_screen_t s;
    th_screen_init(&s,
                   TH_HEADER "H1,precursors,hscode,items.hs_code,2939,50,\n"
                             "H2,precursors,hscode,items.hs_code,2933.36,70,\n",
                   NULL);
    proto_parcel_t p;
    proto_item_t items[3];
    proto_verdict_t v;
    th_parcel(&p, items, "P", "chemicals");
    items[1] = items[0];
    items[2] = items[0];
    p.item_count = 3;
    items[0].hs_code = th_s("610910");
    items[1].hs_code = th_s("2939.71");
    items[2].hs_code = th_s("293336");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 2);
    cr_assert_str_eq(th_field(&v.hits[0]), "items[1].hs_code");
    cr_assert(core_str_eq_cstr(v.hits[0].rule_id, "H1"));
    cr_assert_str_eq(th_matched(&v.hits[0]), "2939");
    cr_assert_str_eq(th_field(&v.hits[1]), "items[2].hs_code");
    cr_assert_str_eq(th_matched(&v.hits[1]), "293336");
    cr_assert(core_str_eq_cstr(v.hits[1].kind, "hscode"));

    const char *hits[] = {"293971", "2939", "2939.71.00", "29397100"};
    const char *misses[] = {"293071", "29", "2", "", "392939", "2933.37"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(hits); i++) {
        th_parcel(&p, items, "P", "x");
        items[0].hs_code = th_s(hits[i]);
        th_screen(&s, &p, &v);
        cr_assert_eq(v.hit_count, 1, "'%s' must hit", hits[i]);
        cr_assert_str_eq(th_field(&v.hits[0]), "items[0].hs_code");
    }
    for (size_t i = 0; i < CORE_ARRAY_LEN(misses); i++) {
        th_parcel(&p, items, "P", "x");
        items[0].hs_code = th_s(misses[i]);
        th_screen(&s, &p, &v);
        cr_assert_eq(v.hit_count, 0, "'%s' must not hit", misses[i]);
    }
    th_screen_clear(&s);
}

/* ============ country ============ */

Test(screen_scanner, country_scopes)
{
    th_screen_t s;
    th_screen_init(&s,
                   TH_HEADER "C1,geo,country,party.country,IR,40,\n"
                             "C2,geo,country,origin_country,kp,45,\n"
                             "C3,geo,country,dispatch_country,SY,30,\n",
                   NULL);
    proto_parcel_t p;
    proto_item_t items[2];
    proto_verdict_t v;
    th_parcel(&p, items, "P", "x");
    items[1] = items[0];
    p.item_count = 2;
    p.sender.country = th_s("ir");
    p.recipient.country = th_s("US");
    p.origin_country = th_s("KP");
    p.dispatch_country = th_s(" SY ");
    items[1].origin_country = th_s("KP");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 4);
    cr_assert_str_eq(th_field(&v.hits[0]), "sender.country");
    cr_assert_str_eq(th_matched(&v.hits[0]), "ir");
    cr_assert_str_eq(th_field(&v.hits[1]), "origin_country");
    cr_assert_str_eq(th_field(&v.hits[2]), "dispatch_country");
    cr_assert_str_eq(th_matched(&v.hits[2]), "SY");
    cr_assert_eq(v.hits[2].start, 1);
    cr_assert_str_eq(th_field(&v.hits[3]), "items[1].origin_country");
    cr_assert(core_str_eq_cstr(v.hits[3].kind, "country"));

    /* Scope: IR as origin is not a party country; SY as origin is not dispatch. */
    th_parcel(&p, items, "P", "x");
    p.origin_country = th_s("IR");
    p.sender.country = th_s("SY");
    p.recipient.country = th_s("IRN");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 0);
    th_screen_clear(&s);
}

/* ============ identifier ============ */

Test(screen_scanner, identifiers_after_normalising)
{
    th_screen_t s;
    th_screen_init(&s,
                   TH_HEADER "I1,ids,identifier,party.phone,+1 (973) 555-0100,70,\n"
                             "I2,ids,identifier,party.email, Bad.Guy@Example.COM ,70,\n"
                             "I3,ids,identifier,party.tax_id,de-123 456 789,70,\n"
                             "I4,ids,identifier,item_id,LX123456785CN,70,\n",
                   NULL);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    th_parcel(&p, items, "P", "x");
    p.item_id = th_s("lx 123 456 785 cn");
    p.sender.phone = th_s("19735550100");
    p.recipient.email = th_s("bad.guy@example.com ");
    p.recipient.tax_id = th_s("DE123456789");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 4);
    cr_assert_str_eq(th_field(&v.hits[0]), "item_id");
    cr_assert_str_eq(th_matched(&v.hits[0]), "lx 123 456 785 cn");
    cr_assert_str_eq(th_field(&v.hits[1]), "sender.phone");
    cr_assert_str_eq(th_field(&v.hits[2]), "recipient.email");
    cr_assert_str_eq(th_matched(&v.hits[2]), "bad.guy@example.com");
    cr_assert_str_eq(th_field(&v.hits[3]), "recipient.tax_id");
    cr_assert(core_str_eq_cstr(v.hits[3].kind, "identifier"));

    /* The other way round: a formatted field against a bare rule. */
    th_screen_clear(&s);
    th_screen_init(&s, TH_HEADER "I5,ids,identifier,party.phone,19735550100,70,\n", NULL);
    th_parcel(&p, items, "P", "x");
    p.recipient.phone = th_s("+1 (973) 555-0100");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 1);
    cr_assert_str_eq(th_matched(&v.hits[0]), "1 (973) 555-0100");
    p.recipient.phone = th_s("+1 (973) 555-0101");
    p.item_id = th_s("19735550100"); /* item_id is not in a phone scope */
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 0);
    th_screen_clear(&s);
}

/* ============ scoring, channels, order, limits ============ */

Test(screen_scanner, score_and_channels)
{
    screen_policy_t policy = {.red = 80, .yellow = 30, .random_rate = 0, .random_seed = 0};
    th_screen_t s;
    th_screen_init(&s,
                   TH_HEADER "A,l,keyword,items.description,alpha,60,\n"
                             "B,l,keyword,items.description,beta,50,\n"
                             "C,l,keyword,items.description,gamma,20,\n",
                   &policy);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    struct {
        const char *text;
        uint32_t score;
        proto_channel_t channel;
    } cases[] = {
        {"nothing", 0, PROTO_CHANNEL_GREEN},
        {"gamma", 20, PROTO_CHANNEL_GREEN},
        {"alpha", 60, PROTO_CHANNEL_YELLOW},
        {"alpha beta", 80, PROTO_CHANNEL_RED},
        {"alpha alpha alpha", 60, PROTO_CHANNEL_YELLOW},
        {"alpha beta gamma", 84, PROTO_CHANNEL_RED},
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(cases); i++) {
        th_parcel(&p, items, "P", cases[i].text);
        th_screen(&s, &p, &v);
        cr_assert_eq(v.risk_score, cases[i].score, "'%s'", cases[i].text);
        cr_assert_eq(v.channel, cases[i].channel, "'%s'", cases[i].text);
    }
    cr_assert_eq(screen_channel(&policy, 79), PROTO_CHANNEL_YELLOW);
    cr_assert_eq(screen_channel(&policy, 80), PROTO_CHANNEL_RED);
    cr_assert_eq(screen_channel(&policy, 29), PROTO_CHANNEL_GREEN);
    screen_policy_t def = SCREEN_POLICY_DEFAULT;
    cr_assert_eq(screen_channel(&def, 70), PROTO_CHANNEL_RED);
    cr_assert_eq(screen_channel(&def, 69), PROTO_CHANNEL_YELLOW);
    cr_assert_eq(screen_channel(&def, 40), PROTO_CHANNEL_YELLOW);
    cr_assert_eq(screen_channel(&def, 39), PROTO_CHANNEL_GREEN);
    th_screen_clear(&s);
}

Test(screen_scanner, random_selection_is_deterministic)
{
    cr_assert_not(screen_selected_at_random(th_s("P1"), 0.0, 7));
    cr_assert(screen_selected_at_random(th_s("P1"), 1.0, 7));
    int selected = 0;
    int changed = 0;
    char id[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(id, sizeof(id), "P%05d", i);
        bool a = screen_selected_at_random(th_s(id), 0.25, 42);
        cr_assert_eq(a, screen_selected_at_random(th_s(id), 0.25, 42));
        selected += a;
        changed += a != screen_selected_at_random(th_s(id), 0.25, 43);
    }
    cr_assert(selected > 2300 && selected < 2700, "selected %d of 10000 at 0.25", selected);
    cr_assert_gt(changed, 1000, "another seed selects other parcels");

    /* The verdict carries the same decision, hits or not. */
    screen_policy_t policy = {.red = 70, .yellow = 40, .random_rate = 0.5, .random_seed = 42};
    th_screen_t s;
    th_screen_init(&s, TH_HEADER "A,l,keyword,items.description,alpha,10,\n", &policy);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    int agree = 0;
    for (int i = 0; i < 200; i++) {
        snprintf(id, sizeof(id), "PX%d", i);
        th_parcel(&p, items, id, i % 2 ? "alpha" : "beta");
        th_screen(&s, &p, &v);
        agree += v.selected_at_random == screen_selected_at_random(th_s(id), 0.5, 42);
    }
    cr_assert_eq(agree, 200);
    th_screen_clear(&s);
}

Test(screen_scanner, hits_are_capped_and_still_scored)
{
    /* 300 rules on the same word: 256 reported, all scored. */
    core_buf_t csv = {0};
    core_buf_append_str(&csv, TH_HEADER);
    for (int i = 0; i < 300; i++)
        core_buf_printf(&csv, "R%03d,l,keyword,items.description,widget,1,\n", i);
    th_screen_t s;
    th_screen_init(&s, core_buf_cstr(&csv), NULL);
    proto_parcel_t p;
    proto_item_t items[1];
    proto_verdict_t v;
    th_parcel(&p, items, "P", "a widget");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, PROTO_MAX_HITS);
    cr_assert(core_str_eq_cstr(v.hits[0].rule_id, "R000"));
    cr_assert(core_str_eq_cstr(v.hits[255].rule_id, "R255"));
    cr_assert_eq(v.risk_score, 95); /* 1 - 0.99^300 */
    screen_scanner_stats_t st = screen_scanner_stats(s.scanner);
    cr_assert_eq(st.hits_dropped, 44);
    cr_assert_eq(st.hits, PROTO_MAX_HITS);
    cr_assert_eq(st.parcels, 1);
    th_screen_clear(&s);
    core_buf_clear(&csv);
}

Test(screen_scanner, field_order_is_the_parcel_order)
{
    th_screen_t s;
    th_screen_init(&s,
                   TH_HEADER
                   "K,l,keyword,items.description|party.name|seller.name|party.address,zeta,10,\n"
                   "I,l,identifier,item_id,AB1,10,\n"
                   "H,l,hscode,items.hs_code,12,10,\n"
                   "O,l,country,origin_country,CN,10,\n",
                   NULL);
    proto_parcel_t p;
    proto_item_t items[2];
    proto_verdict_t v;
    th_parcel(&p, items, "P", "zeta one");
    items[1] = items[0];
    items[1].description = th_s("two zeta");
    items[1].hs_code = th_s("1234");
    items[1].origin_country = th_s("CN");
    p.item_count = 2;
    p.item_id = th_s("AB1");
    p.has_seller = true;
    p.seller.name = th_s("Zeta Shop");
    p.recipient.postcode = th_s("ZETA 1");
    p.recipient.name = th_s("Mr Zeta");
    p.sender.name = th_s("zeta");
    p.origin_country = th_s("CN");
    th_screen(&s, &p, &v);
    const char *want[] = {"item_id",
                          "sender.name",
                          "recipient.name",
                          "recipient.postcode",
                          "seller.name",
                          "origin_country",
                          "items[0].description",
                          "items[1].description",
                          "items[1].hs_code",
                          "items[1].origin_country"};
    cr_assert_eq(v.hit_count, CORE_ARRAY_LEN(want));
    for (size_t i = 0; i < CORE_ARRAY_LEN(want); i++)
        cr_assert_str_eq(th_field(&v.hits[i]), want[i]);
    th_screen_clear(&s);
}

Test(screen_scanner, empty_parcel_and_empty_watchlist)
{
    th_screen_t s;
    th_screen_init(&s, TH_HEADER, NULL);
    proto_parcel_t p;
    proto_verdict_t v;
    proto_parcel_init(&p);
    p.parcel_id = th_s("EMPTY");
    th_screen(&s, &p, &v);
    cr_assert_eq(v.hit_count, 0);
    cr_assert_eq(v.risk_score, 0);
    cr_assert_eq(v.channel, PROTO_CHANNEL_GREEN);
    cr_assert_gt(v.screened_at_ns, 0);
    screen_scanner_set_now(s.scanner, 12345);
    th_screen(&s, &p, &v);
    cr_assert_eq(v.screened_at_ns, 12345);
    th_screen_clear(&s);
}

Test(screen_scanner, destroy_needs_an_address, .signal = SIGABRT)
{
    screen_scanner_destroy(NULL);
}
