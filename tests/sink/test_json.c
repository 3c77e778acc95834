/* test_json.c -- sink__hits_split: finding proto's hits array in its verdict JSON. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "internal.h"

TestSuite(sink_json, .timeout = 30);

static int s_split(const char *without, const char *with, size_t *head, size_t *tail)
{
    return sink__hits_split(without, strlen(without), with, strlen(with), head, tail);
}

Test(sink_json, finds_the_hits_array_wherever_it_is)
{
    size_t head = 0;
    size_t tail = 0;
    /* hits last, as proto writes it */
    const char *with = "{\"id\":\"P1\",\"hits\":[{\"rule_id\":\"R1\"}]}";
    cr_assert_eq(s_split("{\"id\":\"P1\",\"hits\":[]}", with, &head, &tail), 0);
    cr_assert_eq(head, strlen("{\"id\":\"P1\",\"hits\":"));
    cr_assert_eq(tail, 1);
    /* hits first, and text that looks like an array elsewhere */
    const char *with2 = "{\"hits\":[{\"a\":\"[]\"},{\"b\":1}],\"note\":\"[]\"}";
    cr_assert_eq(s_split("{\"hits\":[],\"note\":\"[]\"}", with2, &head, &tail), 0);
    cr_assert_eq(head, strlen("{\"hits\":"));
    cr_assert_eq(tail, strlen(",\"note\":\"[]\"}"));
    const char *array = "[{\"a\":\"[]\"},{\"b\":1}]";
    cr_assert_eq(strlen(with2) - head - tail, strlen(array));
    cr_assert_eq(strncmp(with2 + head, array, strlen(array)), 0);
}

Test(sink_json, refuses_texts_that_differ_elsewhere)
{
    size_t head = 0;
    size_t tail = 0;
    cr_assert_eq(s_split("{\"n\":0,\"hits\":[]}", "{\"n\":1,\"hits\":[{}]}", &head, &tail),
                 -EPROTO);
    cr_assert_eq(s_split("{\"hits\":[]}", "{\"hits\":[]}", &head, &tail), -EPROTO);
    cr_assert_eq(s_split("{\"hits\":null}", "{\"hits\":[{}]}", &head, &tail), -EPROTO);
    cr_assert_eq(s_split("", "[{}]", &head, &tail), -EPROTO);
}
