/* helpers.c -- see helpers.h. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sink/store.h"

void test_dir_make(test_dir_t *d)
{
    snprintf(d->dir, sizeof(d->dir), "/tmp/test_sink_XXXXXX");
    cr_assert_not_null(mkdtemp(d->dir), "mkdtemp failed");
    snprintf(d->db, sizeof(d->db), "%s/verdicts.db", d->dir);
}

static int s_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void test_dir_remove(test_dir_t *d)
{
    if (d->dir[0])
        nftw(d->dir, s_remove_one, 8, FTW_DEPTH | FTW_PHYS);
    d->dir[0] = '\0';
}

/* Three standard hits: a keyword in a description (with quotes to escape), a fuzzy name, and
 * an HS code prefix. */
static proto_hit_t s_hit(uint32_t i, bool suppressed)
{
    static const struct {
        const char *rule_id, *list, *kind, *field, *matched;
        uint32_t start, end, weight;
        double similarity;
    } hits[] = {
        { "GOODS-0113", "counterfeit", "keyword", "items[0].description", "replica \"Rolex\"", 38,
          54, 60, 1.0 },
        { "SDN-4471", "ofac_sdn", "name", "recipient.name", "Ivanov, Petr", 0, 12, 80, 0.87 },
        { "HS-2933", "hs_watch", "hscode", "items[1].hs_code", "293336", 0, 6, 40, 1.0 },
    };
    proto_hit_t h = {
        .rule_id = core_str_from(hits[i].rule_id),
        .list = core_str_from(hits[i].list),
        .kind = core_str_from(hits[i].kind),
        .field = core_str_from(hits[i].field),
        .matched = core_str_from(hits[i].matched),
        .start = hits[i].start,
        .end = hits[i].end,
        .similarity = hits[i].similarity,
        .weight = hits[i].weight,
        .suppressed = suppressed,
    };
    return h;
}

void test_batch_encode(core_buf_t *buf, uint64_t seq, const test_verdict_t *v, size_t n)
{
    proto_verdict_batch_begin(buf, seq, TEST_SCREENED_AT_NS - 5000000,
                              core_str_from(TEST_WATCHLIST_VERSION),
                              core_str_from(TEST_WATCHLIST_LISTS));
    for (size_t i = 0; i < n; i++) {
        proto_hit_t hits[3];
        cr_assert(v[i].hits <= 3);
        for (uint32_t h = 0; h < v[i].hits; h++)
            hits[h] = s_hit(h, v[i].suppressed);
        proto_verdict_t verdict = {
            .parcel_id = core_str_from(v[i].parcel_id),
            .risk_score = v[i].risk,
            .channel = v[i].channel,
            .screened_at_ns = TEST_SCREENED_AT_NS + (int64_t)i * 1000000,
            .selected_at_random = v[i].random,
            .hit_count = v[i].hits,
            .hits = v[i].hits ? hits : NULL,
        };
        proto_verdict_batch_add(buf, &verdict);
    }
    proto_verdict_batch_finish(buf, (uint32_t)n);
}

void test_batch_make(core_buf_t *buf, core_arena_t *arena, uint64_t seq, const test_verdict_t *v,
                     size_t n, proto_verdict_batch_t *out)
{
    char err[CORE_ERR_LEN] = "";
    test_batch_encode(buf, seq, v, n);
    cr_assert_eq(proto_verdict_batch_decode(buf->data, buf->len, out, arena, err), 0, "%s", err);
    cr_assert_eq(out->count, n);
}

void test_mem_open(test_mem_t *m)
{
    m->text = NULL;
    m->len = 0;
    m->file = open_memstream(&m->text, &m->len);
    cr_assert_not_null(m->file);
}

const char *test_mem_text(test_mem_t *m)
{
    fflush(m->file);
    return m->text ? m->text : "";
}

void test_mem_close(test_mem_t *m)
{
    if (m->file)
        fclose(m->file);
    free(m->text);
    m->file = NULL;
    m->text = NULL;
}

size_t test_count_lines(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

void test_db_store(const char *db_path, const test_verdict_t *v, size_t n, int64_t stored_at_ns)
{
    char err[CORE_ERR_LEN] = "";
    sink_store_t *store = sink_store_open(db_path, SINK_SYNC_NORMAL, 1000, err);
    cr_assert_not_null(store, "%s", err);
    core_buf_t buf = {0};
    core_arena_t arena;
    core_arena_init(&arena, 0);
    proto_verdict_batch_t batch;
    test_batch_make(&buf, &arena, 1, v, n, &batch);
    cr_assert_eq(sink_store_put(store, &batch, stored_at_ns, NULL, err), 0, "%s", err);
    core_arena_clear(&arena);
    core_buf_clear(&buf);
    sink_store_destroy(&store);
}
