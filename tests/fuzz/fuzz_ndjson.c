/* fuzz_ndjson.c -- libFuzzer target: the NDJSON manifest reader (ingest/reader.h). */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_reader_run(INGEST_FORMAT_NDJSON, data, size);
}
