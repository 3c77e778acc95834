/* test_translit.c -- names in Cyrillic, Greek and Arabic script meet their romanised list
 * entries (translit.c through the normaliser and the scanner).
 *
 * The list entries and the parcel names are real pairs: the EU names of
 * multi/deriv_sanctions_2021-03.yml (each entry lists its Latin and Cyrillic forms) and the UN
 * list's NAME_ORIGINAL_SCRIPT with the same record's romanised name. */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"

#define TR_LIST                                                                                    \
    TH_HEADER "EU-1,eu,name,party.name,Viktor Fedorovych YANUKOVYCH,90,\n"                         \
              "EU-2,eu,name,party.name,Sergei Valerievich AKSENOV,90,\n"                           \
              "EU-3,eu,name,party.name,Oleksiy Mykhaylovych CHALYY,90,\n"                          \
              "EU-4,eu,name,party.name,Uladzimir Uladzimiravich NAVUMAU,90,\n"                     \
              "UN-1,un,name,party.name,Doku Khamatovich Umarov,90,\n"                              \
              "UN-2,un,name,party.name,TARIQ AZIZ,90,\n"                                           \
              "UN-3,un,name,party.name,Saddam Hussein Al-Tikriti,90,\n"                            \
              "EU-5,eu,name,party.name,Alexander Grigorievich LUKASHENKO,90,\n"                    \
              "EU-6,eu,name,party.name,Alexey Alexandrovich VOLKOV,90,\n"

static const proto_verdict_t *s_screen_name(th_screen_t *s, const char *name, proto_verdict_t *v)
{
    static proto_parcel_t p;
    static proto_item_t items[1];
    th_parcel(&p, items, "P", "shoes");
    p.recipient.name = th_s(name);
    th_screen(s, &p, v);
    return v;
}

typedef struct {
    const char *name; /* the parcel's party name, in the original script */
    const char *rule; /* the list entry it must hit */
    bool exact;       /* the romanisation equals the list's spelling */
} tr_case_t;

Test(screen_translit, original_script_names_hit_the_romanised_entries)
{
    th_screen_t s;
    th_screen_init(&s, TR_LIST, NULL);
    proto_verdict_t v;
    const tr_case_t cases[] = {
        /* Ukrainian spelling: the list's form exactly. */
        {"Віктор Федорович Янукович", "EU-1", true},
        /* Russian spelling of the same man ("yanukovich"): NAME mode folds y to i. */
        {"Виктор Фёдорович Янукович", "EU-1", true},
        /* "sergey valerevich aksenov" for "Sergei Valerievich": one letter missing. */
        {"Сергей Валерьевич АКСЁНОВ", "EU-2", false},
        {"Олексій Михайлович ЧАЛИЙ", "EU-3", true},
        /* Belarusian. */
        {"Уладзімір Уладзіміравіч НАВУМАЎ", "EU-4", true},
        /* UN, family name first. */
        {"Умаров Доку Хаматович", "UN-1", true},
        /* "aleksandr" for "Alexander": ks read as x plus one edit. */
        {"Александр Григорьевич ЛУКАШЕНКО", "EU-5", false},
        /* Arabic: "tarq aziz", the short vowel of TARIQ is not written. */
        {"طارق عزيز", "UN-2", false},
    };
    for (size_t i = 0; i < CORE_ARRAY_LEN(cases); i++) {
        s_screen_name(&s, cases[i].name, &v);
        const proto_hit_t *h = th_hit(&v, cases[i].rule);
        cr_assert(h != NULL, "'%s' must hit %s (%u hits)", cases[i].name, cases[i].rule,
                  v.hit_count);
        cr_assert_str_eq(th_field(h), "recipient.name");
        /* The matched text is the parcel's own, in its script. */
        cr_assert_str_eq(th_matched(h), cases[i].name);
        if (cases[i].exact)
            cr_assert_float_eq(h->similarity, 1.0, 1e-9, "'%s'", cases[i].name);
        else
            cr_assert(h->similarity < 1.0 && h->similarity >= SCREEN_NAME_THRESHOLD_DEFAULT,
                      "'%s': %f", cases[i].name, h->similarity);
    }
    th_screen_clear(&s);
}

Test(screen_translit, unwritten_vowels_are_not_guessed)
{
    /* "sdam hsin altkriti": two letters short of "saddam", "hussein". The skeleton is what the
     * script says; a guess would add false hits elsewhere. bench_screen_names_eval measures the
     * recall of Arabic forms. */
    th_screen_t s;
    th_screen_init(&s, TR_LIST, NULL);
    proto_verdict_t v;
    s_screen_name(&s, "صدام حسين التكريتي", &v);
    cr_assert_null(th_hit(&v, "UN-3"));
    th_screen_clear(&s);
}

Test(screen_translit, other_names_in_cyrillic_do_not_hit)
{
    th_screen_t s;
    th_screen_init(&s, TR_LIST, NULL);
    proto_verdict_t v;
    /* "Aleksandr Alekseevich Volkov": ks/x makes "aleksandr" near "alexey" by no measure. */
    const char *clean[] = {"Виктор Петрович Иванов", "Сергей Аксаков", "Доку Умаханов",
                           "Ольга Миколаївна Чала", "Александр Алексеевич Волков"};
    for (size_t i = 0; i < CORE_ARRAY_LEN(clean); i++) {
        s_screen_name(&s, clean[i], &v);
        cr_assert_eq(v.hit_count, 0, "'%s' must not hit (%u hits)", clean[i], v.hit_count);
    }
    th_screen_clear(&s);
}

Test(screen_translit, a_listed_cyrillic_name_hits_latin_parcels)
{
    /* Lists that carry the original script (UN NAME_ORIGINAL_SCRIPT) are romanised at load. */
    th_screen_t s;
    th_screen_init(&s, TH_HEADER "UN-9,un,name,party.name,Ахмед Ражапович Чатаев,90,\n", NULL);
    proto_verdict_t v;
    s_screen_name(&s, "Akhmed Razhapovich CHATAEV", &v);
    const proto_hit_t *h = th_hit(&v, "UN-9");
    cr_assert(h != NULL);
    cr_assert_float_eq(h->similarity, 1.0, 1e-9);
    th_screen_clear(&s);
}
