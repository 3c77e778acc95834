/* fuzz_ack.c -- libFuzzer target: proto_ack_decode (proto/control.h), with a roundtrip. */
#include "fuzz_common.h"
#include "proto/control.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    proto_ack_t ack;
    char err[CORE_ERR_LEN] = "";
    if (proto_ack_decode(data, size, &ack, err) != 0) {
        if (err[0] == '\0')
            fuzz_fail("ack", "refused without a reason");
        return 0;
    }
    core_buf_t buf = {0};
    proto_ack_encode(&ack, &buf);
    proto_ack_t again;
    if (proto_ack_decode(buf.data, buf.len, &again, err) != 0)
        fuzz_fail("ack: decode refused our encoding", err);
    if (again.seq != ack.seq || again.parcels != ack.parcels)
        fuzz_fail("ack", "roundtrip changed a field");
    core_buf_clear(&buf);
    return 0;
}
