/*
 * fuzz_xlsx.c - fuzz target: the input as a file named fuzz.xlsx, loaded as
 * `baogao ingest` loads it (fuzz_ingest.h says what is checked).
 */
#include "fuzz_ingest.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ingest("fuzz.xlsx", data, size);
}
