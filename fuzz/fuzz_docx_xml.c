/* libFuzzer: the .docx reader's XML side. The input becomes
 * word/document.xml inside a valid stored zip with a fixed numbering.xml:
 * the body walk, runs, text boxes, tables and numbering get the
 * mutations. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "read.h"
#include "zipwrite.h"

static const char numbering[] =
    "<w:numbering xmlns:w=\"w\"><w:abstractNum w:abstractNumId=\"0\">"
    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl>"
    "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"（%2）\"/></w:lvl>"
    "<w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.%3\"/></w:lvl>"
    "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    zw_entry e[] = {{"word/document.xml", data, size},
                    {"word/numbering.xml", (const uint8_t *)numbering, sizeof numbering - 1}};
    size_t len;
    unsigned char *zip = zw_build(e, 2, &len);
    if (!zip) return 0;
    fz_text t;
    char *err = NULL;
    if (fz_read_memory((const char *)zip, len, "x.docx", &t, &err) == 0) fz_text_free(&t);
    free(err);
    free(zip);
    return 0;
}
