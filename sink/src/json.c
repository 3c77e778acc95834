/* json.c -- verdict JSON: storing a verdict's hits array and putting a verdict back together.
 *
 * DESIGN: export must print exactly what proto_verdict_to_json prints (SPEC section 3), but
 * the store keeps a verdict as columns plus its hits array as JSON text (so officers can query
 * it with SQLite's JSON functions). Rather than re-implement proto's formatting, both sides
 * ask proto: the store renders a verdict with and without its hits and keeps the part that
 * differs (the hits array); export renders the stored columns without hits and splices the
 * stored array into the place where the empty "[]" stands, found the same way with a
 * stand-in hit. Whatever spacing or key order proto chooses, the output is its own.
 * Rejected: parsing the hits back into proto_hit_t (needs a JSON parser for our own output)
 * and storing MessagePack (opaque to officers' SQL). */
#include <errno.h>
#include <string.h>

#include "internal.h"

int sink__hits_split(const char *without, size_t without_len, const char *with, size_t with_len,
                     size_t *head, size_t *tail)
{
    size_t shorter = without_len < with_len ? without_len : with_len;
    size_t prefix = 0;
    while (prefix < shorter && without[prefix] == with[prefix])
        prefix++;
    size_t suffix = 0;
    while (suffix < shorter - prefix &&
           without[without_len - 1 - suffix] == with[with_len - 1 - suffix])
        suffix++;
    /* without = A "[]" B and with = A "[" X "]" B with X not starting with ']' nor ending
     * with '[': the common prefix is A plus '[', the common suffix ']' plus B. */
    if (prefix == 0 || suffix == 0)
        return -EPROTO;
    size_t a = prefix - 1;
    size_t b = suffix - 1;
    if (a + 2 + b != without_len || without[a] != '[' || without[a + 1] != ']')
        return -EPROTO;
    if (with_len < a + b + 2 || with[a] != '[' || with[with_len - b - 1] != ']')
        return -EPROTO;
    *head = a;
    *tail = b;
    return 0;
}

static core_str_t s_column_str(sqlite3_stmt *stmt, int col)
{
    const char *text = (const char *)sqlite3_column_text(stmt, col);
    core_str_t s = { text ? text : "", (uint32_t)sqlite3_column_bytes(stmt, col) };
    return s;
}

int sink__verdict_json(sqlite3_stmt *stmt, core_buf_t *out, core_buf_t *scratch, char *err)
{
    core_str_t parcel_id = s_column_str(stmt, 0);
    core_str_t channel_name = s_column_str(stmt, 2);
    core_str_t version = s_column_str(stmt, 5);
    proto_verdict_t verdict = {
        .parcel_id = parcel_id,
        .risk_score = (uint32_t)sqlite3_column_int(stmt, 1),
        .screened_at_ns = sqlite3_column_int64(stmt, 3),
        .selected_at_random = sqlite3_column_int(stmt, 4) != 0,
    };
    if (proto_channel_parse(channel_name.ptr, channel_name.len, &verdict.channel) != 0) {
        core_err_set(err, "parcel '%.*s': bad channel '%.*s'", (int)parcel_id.len, parcel_id.ptr,
                     (int)channel_name.len, channel_name.ptr);
        return -EPROTO;
    }
    if (sqlite3_column_type(stmt, 6) == SQLITE_NULL) {
        proto_verdict_to_json(&verdict, version, out);
        return 0;
    }
    core_str_t hits = s_column_str(stmt, 6);

    /* Where does proto put the hits array? Render once without and once with a stand-in. */
    size_t start = out->len;
    proto_verdict_to_json(&verdict, version, out);
    proto_hit_t stand_in = {
        .rule_id = core_str_from("x"),
        .list = core_str_from("x"),
        .kind = core_str_from("keyword"),
        .field = core_str_from("x"),
        .matched = core_str_from("x"),
        .end = 1,
        .similarity = 1.0,
        .weight = 1,
    };
    proto_verdict_t probe = verdict;
    probe.hit_count = 1;
    probe.hits = &stand_in;
    core_buf_reset(scratch);
    proto_verdict_to_json(&probe, version, scratch);

    size_t head = 0;
    size_t tail = 0;
    if (sink__hits_split(out->data + start, out->len - start, scratch->data, scratch->len, &head,
                         &tail) != 0) {
        out->len = start;
        core_err_set(err, "parcel '%.*s': cannot place the hits in proto's verdict JSON",
                     (int)parcel_id.len, parcel_id.ptr);
        return -EPROTO;
    }
    /* out = A "[]" B: keep A, then the stored array, then B (moved out of the way first). */
    core_buf_reset(scratch);
    core_buf_append(scratch, out->data + start + head + 2, tail);
    out->len = start + head;
    core_buf_append(out, hits.ptr, hits.len);
    core_buf_append(out, scratch->data, scratch->len);
    return 0;
}
