/* fuzz_msgpack.c -- libFuzzer target: the MessagePack manifest reader (ingest/reader.h). */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_reader_run(INGEST_FORMAT_MSGPACK, data, size);
}
