/* fuzz_control.c -- libFuzzer target: proto_control_decode (proto/control.h), with a
 * roundtrip. */
#include "fuzz_common.h"
#include "proto/control.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    proto_control_t control;
    char err[CORE_ERR_LEN] = "";
    if (proto_control_decode(data, size, &control, err) != 0) {
        if (err[0] == '\0')
            fuzz_fail("control", "refused without a reason");
        return 0;
    }
    if (memchr(control.command, '\0', sizeof(control.command)) == NULL ||
        memchr(control.arg, '\0', sizeof(control.arg)) == NULL)
        fuzz_fail("control", "command or arg not NUL-terminated");
    core_buf_t buf = {0};
    proto_control_encode(&control, &buf);
    proto_control_t again;
    if (proto_control_decode(buf.data, buf.len, &again, err) != 0)
        fuzz_fail("control: decode refused our encoding", err);
    if (strcmp(again.command, control.command) != 0 || strcmp(again.arg, control.arg) != 0)
        fuzz_fail("control", "roundtrip changed a field");
    core_buf_clear(&buf);
    return 0;
}
