/* fuzz_end.c -- libFuzzer target: proto_end_decode (proto/control.h), with a roundtrip. */
#include "fuzz_common.h"
#include "proto/control.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    proto_end_t end;
    char err[CORE_ERR_LEN] = "";
    if (proto_end_decode(data, size, &end, err) != 0) {
        if (err[0] == '\0')
            fuzz_fail("end", "refused without a reason");
        return 0;
    }
    core_buf_t buf = {0};
    proto_end_encode(&end, &buf);
    proto_end_t again;
    if (proto_end_decode(buf.data, buf.len, &again, err) != 0)
        fuzz_fail("end: decode refused our encoding", err);
    if (memcmp(&end, &again, sizeof(end)) != 0)
        fuzz_fail("end", "roundtrip changed a field");
    core_buf_clear(&buf);
    return 0;
}
