/* test_reader.c -- ingest_reader's buffer handling, formats, large inputs read from disk. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "helpers.h"

Test(ingest_reader, formats_by_name_and_extension)
{
    ingest_format_t f;
    cr_assert_eq(ingest_format_parse("ndjson", &f), 0);
    cr_assert_eq(f, INGEST_FORMAT_NDJSON);
    cr_assert_eq(ingest_format_parse("csv", &f), 0);
    cr_assert_eq(f, INGEST_FORMAT_CSV);
    cr_assert_eq(ingest_format_parse("msgpack", &f), 0);
    cr_assert_eq(f, INGEST_FORMAT_MSGPACK);
    cr_assert_eq(ingest_format_parse("auto", &f), 0);
    cr_assert_eq(f, INGEST_FORMAT_AUTO);
    cr_assert_eq(ingest_format_parse("xml", &f), -EINVAL);
    cr_assert_eq(ingest_format_from_path("a/b.ndjson"), INGEST_FORMAT_NDJSON);
    cr_assert_eq(ingest_format_from_path("b.jsonl"), INGEST_FORMAT_NDJSON);
    cr_assert_eq(ingest_format_from_path("b.JSON"), INGEST_FORMAT_NDJSON);
    cr_assert_eq(ingest_format_from_path("b.csv"), INGEST_FORMAT_CSV);
    cr_assert_eq(ingest_format_from_path("b.mpk"), INGEST_FORMAT_MSGPACK);
    cr_assert_eq(ingest_format_from_path("b.msgpack"), INGEST_FORMAT_MSGPACK);
    cr_assert_eq(ingest_format_from_path("b.txt"), INGEST_FORMAT_AUTO);
    cr_assert_eq(ingest_format_from_path("dir.csv/file"), INGEST_FORMAT_AUTO);
    cr_assert_str_eq(ingest_format_name(INGEST_FORMAT_CSV), "csv");
}

/* Writes n records of 'format' to dir/name and reads them back through read_fd. */
static void s_large(ingest_format_t format, const char *name, int n)
{
    core_buf_t b = {0};
    if (format == INGEST_FORMAT_CSV)
        core_buf_append_str(&b, "parcel_id,sender_name,line_no,description,hs_code\r\n");
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof(id), "P%07d", i);
        switch (format) {
        case INGEST_FORMAT_NDJSON:
            core_buf_printf(&b,
                            "{\"parcel_id\":\"%s\",\"sender\":{\"name\":\"Sender %d with a "
                            "longer name, Ltd\"},\"items\":[{\"line_no\":1,\"description\":"
                            "\"Item \\\"%d\\\" of a parcel\",\"hs_code\":\"0%d\"}]}\n",
                            id, i, i, i % 1000);
            break;
        case INGEST_FORMAT_CSV:
            core_buf_printf(&b, "%s,\"Sender %d, Ltd\",1,\"Item \"\"%d\"\"\",0%d\r\n", id, i, i,
                            i % 1000);
            core_buf_printf(&b, "%s,\"Sender %d, Ltd\",2,second,01\r\n", id, i);
            break;
        default:
            th_mp_parcel(&b, id, "Sender", 2);
            break;
        }
    }
    char *dir = th_tmpdir();
    char *path = th_write(dir, name, b.data, b.len);
    th_result_t res;
    th_read_file(&res, format, path, NULL);
    cr_assert_eq(res.n_rejects, 0, "%s", res.n_rejects ? res.rejects[0] : "");
    cr_assert_eq(res.n_parcels, (size_t)n);
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof(id), "P%07d", i);
        cr_assert(th_eq(res.parcels[i].parcel_id, id), "parcel %d", i);
    }
    if (format == INGEST_FORMAT_CSV) {
        cr_assert_eq(res.parcels[n - 1].item_count, 2);
        char want[64];
        snprintf(want, sizeof(want), "Item \"%d\"", n - 1);
        cr_assert(th_eq(res.parcels[n - 1].items[0].description, want));
    }
    th_result_clear(&res);
    core_buf_clear(&b);
    free(path);
    th_rmdir(dir);
    free(dir);
}

Test(ingest_reader, large_ndjson_file_crosses_read_chunks)
{
    s_large(INGEST_FORMAT_NDJSON, "big.ndjson", 30000);
}

Test(ingest_reader, large_csv_file_crosses_read_chunks)
{
    s_large(INGEST_FORMAT_CSV, "big.csv", 20000);
}

Test(ingest_reader, large_msgpack_file_crosses_read_chunks)
{
    s_large(INGEST_FORMAT_MSGPACK, "big.mpk", 30000);
}

Test(ingest_reader, restart_drops_buffered_bytes_and_names_the_new_source)
{
    ingest_reader_t *r = ingest_reader_new(INGEST_FORMAT_NDJSON, "first", NULL);
    proto_parcel_t p;
    ingest_reader_feed(r, "{\"parcel_id\":\"A", 15);
    cr_assert_eq(ingest_reader_next(r, &p), -EAGAIN);
    ingest_reader_restart(r, "second");
    const char *text = "{\"parcel_id\":\"B1\"}\n";
    ingest_reader_feed(r, text, strlen(text));
    ingest_reader_finish(r);
    cr_assert_eq(ingest_reader_next(r, &p), INGEST_READ_REJECT);
    cr_assert_str_eq(ingest_reader_reason(r),
                     "second:1: parcel_id B1: required field 'items' is missing or empty");
    cr_assert_eq(ingest_reader_next(r, &p), INGEST_READ_END);
    cr_assert_eq(ingest_reader_next(r, &p), INGEST_READ_END, "END stays END");
    ingest_reader_destroy(&r);
    ingest_reader_destroy(&r); /* safe twice */
}

Test(ingest_reader, reserve_and_commit_write_in_place)
{
    ingest_reader_t *r = ingest_reader_new(INGEST_FORMAT_NDJSON, "mem", NULL);
    size_t avail = 0;
    char *w = ingest_reader_reserve(r, &avail);
    cr_assert_geq(avail, 64 * 1024);
    const char *text = "{\"parcel_id\":\"C1\",\"items\":[{\"description\":\"x\"}]}";
    memcpy(w, text, strlen(text));
    ingest_reader_commit(r, strlen(text));
    proto_parcel_t p;
    cr_assert_eq(ingest_reader_next(r, &p), -EAGAIN, "no newline and no finish yet");
    ingest_reader_finish(r);
    cr_assert_eq(ingest_reader_next(r, &p), INGEST_READ_PARCEL);
    cr_assert(th_eq(p.parcel_id, "C1"));
    cr_assert_eq(ingest_reader_records(r), 1);
    cr_assert_eq(ingest_reader_rejects(r), 0);
    ingest_reader_destroy(&r);
}

Test(ingest_reader, feed_next_takes_a_memory_input_part_by_part)
{
    /* 100,000 records (about 6 MB) through a buffer that offers a read chunk (1 MiB) and up:
     * feed_next hands over one part per call, finishes after the last, and every record
     * arrives once. */
    core_buf_t b = {0};
    for (int i = 0; i < 100000; i++)
        core_buf_printf(&b, "{\"parcel_id\":\"F%06d\",\"items\":[{\"description\":\"x\"}]}\n", i);
    ingest_reader_t *r = ingest_reader_new(INGEST_FORMAT_NDJSON, "mem", NULL);
    size_t off = 0;
    size_t feeds = 0;
    int parcels = 0;
    proto_parcel_t p;
    for (;;) {
        int rc = ingest_reader_next(r, &p);
        if (rc == INGEST_READ_PARCEL) {
            char want[16];
            snprintf(want, sizeof(want), "F%06d", parcels++);
            cr_assert(th_eq(p.parcel_id, want), "record %d", parcels - 1);
        } else if (rc == -EAGAIN) {
            cr_assert_lt(off, b.len, "more input wanted after the last part");
            ingest_reader_feed_next(r, b.data, b.len, &off);
            feeds++;
        } else {
            cr_assert_eq(rc, INGEST_READ_END);
            break;
        }
    }
    cr_assert_eq(off, b.len);
    cr_assert_eq(parcels, 100000);
    cr_assert_gt(feeds, 1, "the input went in in parts");
    ingest_reader_destroy(&r);
    core_buf_clear(&b);
}

Test(ingest_reader, destroy_needs_an_address, .signal = SIGABRT)
{
    ingest_reader_destroy(NULL);
}
