/* fuzz_msg_type.c -- libFuzzer target: proto_msg_type (proto/control.h). */
#include "fuzz_common.h"
#include "proto/control.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    proto_msg_type_t type;
    char err[CORE_ERR_LEN] = "";
    if (proto_msg_type(data, size, &type, err) != 0) {
        if (err[0] == '\0')
            fuzz_fail("msg_type", "refused without a reason");
        return 0;
    }
    fuzz_sink_byte = (unsigned)type;
    return 0;
}
