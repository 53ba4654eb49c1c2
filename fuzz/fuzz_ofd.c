/* libFuzzer: the .ofd reader (zip, OFD.xml, Document.xml, pages). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_text t;
    char *err = NULL;
    if (fz_read_memory((const char *)data, size, "x.ofd", &t, &err) == 0) fz_text_free(&t);
    free(err);
    return 0;
}
