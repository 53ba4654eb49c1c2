/* libFuzzer: plain-text decoding (UTF-8/UTF-16/GB18030), normalizing and
 * segmenting: any bytes must give a document or an error, never a crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_doc doc;
    char *err = NULL;
    if (fz_doc_load_memory((const char *)data, size, &doc, &err) == 0) fz_doc_free(&doc);
    free(err);
    return 0;
}
