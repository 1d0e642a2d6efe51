/*
 * fuzz_xlsx.c - fuzz target: the input as a file named fuzz.xlsx, loaded as
 * `baogao ingest` loads it (fuzz_ingest.h says what is checked); an input
 * that is not a zip is the parts xl/workbook.xml,
 * xl/_rels/workbook.xml.rels, xl/worksheets/sheet1.xml,
 * xl/sharedStrings.xml and xl/styles.xml, NUL between them, of a workbook
 * made around it (fuzz_zip).
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
    static const char *const parts[] = {
        "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"};
    return fuzz_ingest_zip("fuzz.xlsx", parts, 5, data, size);
}
