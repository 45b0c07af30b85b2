/*
 * A whole server engine driven by a fuzzed client: the input is the records
 * a client sends (see fuzz.h for the format). Seeds: fuzz/corpus/server/,
 * recorded by record_corpus.c from real handshakes with a latch client.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_engine_run(true, data, size);
    return 0;
}
