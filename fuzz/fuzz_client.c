/*
 * A whole client engine driven by a fuzzed server: the input is the records
 * a server sends (see fuzz.h for the format). Seeds: fuzz/corpus/client/,
 * recorded by record_corpus.c from real handshakes with a latch server.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_engine_run(false, data, size);
    return 0;
}
