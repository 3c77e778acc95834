/* fuzz_stats.c -- libFuzzer target: proto_stats_decode (proto/control.h), with a roundtrip.
 *
 * Names are fixed char arrays: an accepted message must leave them NUL-terminated. */
#include "fuzz_common.h"
#include "proto/control.h"

static void s_check_name(const char *name)
{
    if (memchr(name, '\0', PROTO_MAX_NAME) == NULL)
        fuzz_fail("stats", "name not NUL-terminated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    proto_stats_t stats;
    char err[CORE_ERR_LEN] = "";
    if (proto_stats_decode(data, size, &stats, err) != 0) {
        if (err[0] == '\0')
            fuzz_fail("stats", "refused without a reason");
        return 0;
    }
    if (stats.count > PROTO_MAX_COUNTERS)
        fuzz_fail("stats", "more than PROTO_MAX_COUNTERS counters");
    s_check_name(stats.stage);
    for (uint32_t i = 0; i < stats.count; i++) {
        s_check_name(stats.counters[i].name);
        uint64_t value = 0;
        if (proto_stats_get(&stats, stats.counters[i].name, &value) != 0)
            fuzz_fail("stats", "get misses a decoded counter");
    }
    core_buf_t buf = {0};
    proto_stats_encode(&stats, &buf);
    proto_stats_t again;
    if (proto_stats_decode(buf.data, buf.len, &again, err) != 0)
        fuzz_fail("stats: decode refused our encoding", err);
    if (again.count != stats.count || again.final != stats.final || again.pid != stats.pid ||
        strcmp(again.stage, stats.stage) != 0)
        fuzz_fail("stats", "roundtrip changed the header");
    for (uint32_t i = 0; i < stats.count; i++) {
        if (strcmp(again.counters[i].name, stats.counters[i].name) != 0 ||
            again.counters[i].value != stats.counters[i].value)
            fuzz_fail("stats", "roundtrip changed a counter");
    }
    core_buf_clear(&buf);
    return 0;
}
