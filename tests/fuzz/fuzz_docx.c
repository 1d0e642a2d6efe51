/*
 * fuzz_docx.c - fuzz target: the input as a file named fuzz.docx, loaded as
 * `baogao ingest` loads it (fuzz_ingest.h says what is checked); an input
 * that is not a zip is word/document.xml, NUL, docProps/core.xml, NUL,
 * word/styles.xml of a docx made around it (fuzz_zip).
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
    static const char *const parts[] = {"word/document.xml",
                                        "docProps/core.xml", "word/styles.xml"};
    return fuzz_ingest_zip("fuzz.docx", parts, 3, data, size);
}
