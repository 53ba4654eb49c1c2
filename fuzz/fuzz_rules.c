/* libFuzzer: the rule-pack loader (YAML, schema validation, semantic
 * checks, pattern compilation) on any bytes, written to a file. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static char path[64];
    if (!path[0]) snprintf(path, sizeof path, "/tmp/fzfuzz-rules-%d.yaml", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    fz_pack pack;
    char *errors = NULL;
    if (fz_pack_load(path, &pack, &errors) == 0) fz_pack_free(&pack);
    free(errors);
    return 0;
}
