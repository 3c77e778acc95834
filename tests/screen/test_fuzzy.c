/* test_fuzzy.c -- spelling-tolerant name matching (fuzzy.c through the scanner). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define FZ_LIST                                                                                    \
    TH_HEADER "SDN-1,sdn,name,party.name,\"HASSANZADEH, Mohammad Reza\",90,\n"                     \
              "SDN-2,sdn,name,party.name,Abdul Rahman Karimov,80,\n"                               \
              "SDN-3,sdn,name,party.name,Abdulkarim Sultanov,80,\n"                                \
              "SDN-4,sdn,name,party.name,\"SMITH, John\",70,\n"                                    \
              "SDN-5,sdn,name,party.name,Kim Jong Un,70,\n"                                        \
              "OTH-1,other,name,party.name,Petrovsky Trading,50,\n"

static const proto_hit_t *s_screen_name(th_screen_t *s, const char *name, proto_verdict_t *v,
                                        const char *rule)
{
    static proto_parcel_t p;
    static proto_item_t items[1];
    th_parcel(&p, items, "P", "shoes");
    p.sender.name = th_s(name);
    th_screen(s, &p, v);
    return rule ? th_hit(v, rule) : NULL;
}

typedef struct {
    const char *text;
    const char *rule;
} fz_case_t;

Test(screen_fuzzy, each_variant_kind_hits_below_one)
{
    th_screen_t s;
    th_screen_init(&s, FZ_LIST, NULL);
    proto_verdict_t v;
    const fz_case_t cases[] = {
        {"Mohammad Reza Hasanzadeh", "SDN-1"},   /* missing letter */
        {"Mohammad Reza Hassanzadehh", "SDN-1"}, /* extra letter */
        {"Mohammad Reza Hassanzedeh", "SDN-1"},  /* wrong letter */
        {"Mohammad Reza Hassanzaedh", "SDN-1"},  /* swapped letters */
        {"HASANZADEH, Mohammad Reza", "SDN-1"},  /* listed order, missing letter */
        {"Mohamad Reza Hassanzadeh", "SDN-1"},   /* given name misspelt */
        {"Abdulrahman Karimov", "SDN-2"},        /* joined */
        {"Abdul Karim Sultanov", "SDN-3"},       /* split */
        {"Karimov Abdulrahman", "SDN-2"},        /* joined, other order */
        {"J. Smith", "SDN-4"},                   /* initial */
        {"Petrowsky Trading", "OTH-1"},          /* company, wrong letter */
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(cases); i++) {
        const proto_hit_t *h = s_screen_name(&s, cases[i].text, &v, cases[i].rule);
        cr_assert(h != NULL, "'%s' must hit %s", cases[i].text, cases[i].rule);
        cr_assert(h->similarity < 1.0, "'%s': %f", cases[i].text, h->similarity);
        cr_assert(h->similarity >= SCREEN_NAME_THRESHOLD_DEFAULT, "'%s': %f", cases[i].text,
                  h->similarity);
        cr_assert_str_eq(th_field(h), "sender.name");
    }
    /* The matched text is the window of the original field. */
    const proto_hit_t *h = s_screen_name(&s, "Attn: Mohamad Reza Hassanzadeh, Tehran", &v, "SDN-1");
    cr_assert(h != NULL);
    cr_assert_str_eq(th_matched(h), "Mohamad Reza Hassanzadeh");
    cr_assert_eq(h->start, 6);
    th_screen_clear(&s);
}

Test(screen_fuzzy, short_tokens_are_not_fuzzed)
{
    th_screen_t s;
    th_screen_init(&s, FZ_LIST, NULL);
    proto_verdict_t v;
    const char *misses[] = {"Kim Jong Um", "Kin Jong Un", "Kim Jung Un", "Jon Smith", "Jonh Smith"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(misses); i++) {
        s_screen_name(&s, misses[i], &v, NULL);
        cr_assert_eq(v.hit_count, 0, "'%s' must not hit", misses[i]);
    }
    th_screen_clear(&s);
}

Test(screen_fuzzy, near_collision_below_threshold_does_not_hit)
{
    th_screen_t s;
    th_screen_init(&s, FZ_LIST, NULL);
    proto_verdict_t v;
    const char *misses[] = {
        "Mohammad Reza Hassanzadeh Group Holdings Ltd", /* hits: exact, checked below */
        "Mohammad Rezai Hosseinzadeh",                  /* two edits in one token */
        "Abdul Rahim Karimov",                          /* different given name */
        "Petrovsky",                                    /* a token missing */
        "Mohammad Hassanzadeh",                         /* a token missing */
        "Petrovskaya Trading",                          /* two edits in one token */
        "Petrowsky Global Trading",                     /* an edit and a token between */
        "Acme J Smith",                                 /* an initial only leads a name */
        "Smith",                                        /* one token of two */
    };
    s_screen_name(&s, misses[0], &v, NULL);
    cr_assert_eq(v.hit_count, 1);
    cr_assert(th_hit(&v, "SDN-1")->similarity == 1.0);
    for (size_t i = 1; i < CORE_ARRAY_LEN(misses); i++) {
        s_screen_name(&s, misses[i], &v, NULL);
        cr_assert_eq(v.hit_count, 0, "'%s' must not hit (%s %f)", misses[i],
                     v.hit_count ? th_field(&v.hits[0]) : "",
                     v.hit_count ? v.hits[0].similarity : 0);
    }
    th_screen_clear(&s);
}

Test(screen_fuzzy, exact_hits_stay_one)
{
    th_screen_t s;
    th_screen_init(&s, FZ_LIST, NULL);
    proto_verdict_t v;
    const fz_case_t cases[] = {
        {"Mohammad Reza Hassanzadeh", "SDN-1"},
        {"HASSANZADEH, Mohammad Reza", "SDN-1"},
        {"Abdul Rahman Karimov", "SDN-2"},
        {"Karimov Abdul Rahman", "SDN-2"},
        {"Mr. John Smith", "SDN-4"},
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(cases); i++) {
        const proto_hit_t *h = s_screen_name(&s, cases[i].text, &v, cases[i].rule);
        cr_assert(h != NULL, "'%s'", cases[i].text);
        cr_assert(h->similarity == 1.0, "'%s': %f", cases[i].text, h->similarity);
        cr_assert_eq(th_hit_count(&v, cases[i].rule), 1);
    }
    th_screen_clear(&s);
}

Test(screen_fuzzy, threshold_and_list_override)
{
    proto_verdict_t v;
    th_screen_t s;
    /* One edit in 22 letters: 1 - 0.7/22 = 0.968: hits at 0.9, not at 0.98. */
    screen_policy_t pol = SCREEN_POLICY_DEFAULT;
    pol.name_threshold = 0.98;
    th_screen_init(&s, FZ_LIST, &pol);
    cr_assert_null(s_screen_name(&s, "Mohammad Reza Hasanzadeh", &v, "SDN-1"));
    cr_assert_not_null(s_screen_name(&s, "Mohammad Reza Hassanzadeh", &v, "SDN-1"));
    th_screen_clear(&s);

    pol.name_threshold = 0.9;
    th_screen_init(&s, FZ_LIST, &pol);
    cr_assert_not_null(s_screen_name(&s, "Mohammad Reza Hasanzadeh", &v, "SDN-1"));
    th_screen_clear(&s);

    /* Per list: 'other' stricter, 'sdn' keeps the default. */
    screen_list_threshold_t lt[] = {{"other", 0.99}, {"nosuchlist", 0.5}};
    pol = SCREEN_POLICY_DEFAULT;
    pol.list_thresholds = lt;
    pol.list_threshold_count = CORE_ARRAY_LEN(lt);
    th_screen_init(&s, FZ_LIST, &pol);
    cr_assert_null(s_screen_name(&s, "Petrowsky Trading", &v, "OTH-1"));
    cr_assert_not_null(s_screen_name(&s, "Petrovsky Trading", &v, "OTH-1"));
    cr_assert_not_null(s_screen_name(&s, "Mohammad Reza Hasanzadeh", &v, "SDN-1"));
    th_screen_clear(&s);

    /* Above 1: exact only. */
    pol = SCREEN_POLICY_DEFAULT;
    pol.name_threshold = 1.5;
    th_screen_init(&s, FZ_LIST, &pol);
    cr_assert_null(s_screen_name(&s, "Mohammad Reza Hasanzadeh", &v, "SDN-1"));
    cr_assert_not_null(s_screen_name(&s, "Mohammad Reza Hassanzadeh", &v, "SDN-1"));
    th_screen_clear(&s);
}

Test(screen_fuzzy, deterministic)
{
    th_screen_t a;
    th_screen_t b;
    th_screen_init(&a, FZ_LIST, NULL);
    th_screen_init(&b, FZ_LIST, NULL);
    const char *names[] = {
        "Mohammad Reza Hasanzadeh", "Abdulrahman Karimov", "J. Smith",
        "Petrowsky Trading",        "nobody at all",       "Abdul Karim Sultanov"};
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < CORE_ARRAY_LEN(names); i++) {
            proto_verdict_t va;
            proto_verdict_t vb;
            s_screen_name(&a, names[i], &va, NULL);
            s_screen_name(&b, names[i], &vb, NULL);
            cr_assert_eq(va.hit_count, vb.hit_count);
            cr_assert_eq(va.risk_score, vb.risk_score);
            for (uint32_t k = 0; k < va.hit_count; k++) {
                cr_assert(core_str_eq(va.hits[k].rule_id, vb.hits[k].rule_id));
                cr_assert(va.hits[k].similarity == vb.hits[k].similarity);
                cr_assert_eq(va.hits[k].start, vb.hits[k].start);
                cr_assert_eq(va.hits[k].end, vb.hits[k].end);
            }
        }
    }
    th_screen_clear(&a);
    th_screen_clear(&b);
}

Test(screen_fuzzy, list_thresholds_parse)
{
    char err[CORE_ERR_LEN];
    screen_list_threshold_t *lt = NULL;
    size_t n = 0;
    const char *good[] = {"ofac-sdn=0.9", "a=b=1"};
    cr_assert_eq(screen_list_thresholds_parse(good, 2, &lt, &n, err), 0);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(lt[0].list, "ofac-sdn");
    cr_assert_float_eq(lt[0].threshold, 0.9, 1e-12);
    cr_assert_str_eq(lt[1].list, "a=b");
    free(lt);
    const char *bad[][1] = {{"sdn"}, {"sdn="}, {"=0.5"}, {"sdn=0"}, {"sdn=1.2"}, {"sdn=0.9x"}};
    for (size_t i = 0; i < CORE_ARRAY_LEN(bad); i++) {
        lt = NULL;
        cr_assert_eq(screen_list_thresholds_parse(bad[i], 1, &lt, &n, err), -EINVAL, "%s",
                     bad[i][0]);
        cr_assert_null(lt);
    }
    cr_assert_eq(screen_list_thresholds_parse(NULL, 0, &lt, &n, err), 0);
    cr_assert_eq(n, 0);
    free(lt);
}
