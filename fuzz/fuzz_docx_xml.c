/* libFuzzer: the .docx reader's XML side. A mutated zip rarely survives
 * its checksums, so this harness wraps the input, as word/document.xml,
 * in a valid (stored) zip with a fixed numbering.xml: the body walk, the
 * runs, tables and numbering get the mutations. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "read.h"

static const char numbering[] =
    "<w:numbering xmlns:w=\"w\"><w:abstractNum w:abstractNumId=\"0\">"
    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl>"
    "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"（%2）\"/></w:lvl>"
    "<w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.%3\"/></w:lvl>"
    "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";

static void put16(unsigned char *p, unsigned v) { p[0] = v & 255; p[1] = v >> 8; }
static void put32(unsigned char *p, unsigned long v) {
    for (int i = 0; i < 4; i++) p[i] = (v >> (8 * i)) & 255;
}

/* Appends a stored entry's local header and data; fills its central
 * directory record. */
static size_t entry(unsigned char *out, size_t at, const char *name, const uint8_t *data,
                    size_t n, unsigned char *cd, size_t *cdlen) {
    unsigned long crc = crc32(0, data, (uInt)n);
    size_t nl = strlen(name);
    unsigned char *h = out + at;
    memset(h, 0, 30);
    put32(h, 0x04034b50);
    put16(h + 4, 20);
    put32(h + 14, crc);
    put32(h + 18, (unsigned long)n);
    put32(h + 22, (unsigned long)n);
    put16(h + 26, (unsigned)nl);
    memcpy(h + 30, name, nl);
    memcpy(h + 30 + nl, data, n);
    unsigned char *c = cd + *cdlen;
    memset(c, 0, 46);
    put32(c, 0x02014b50);
    put16(c + 4, 20);
    put16(c + 6, 20);
    put32(c + 16, crc);
    put32(c + 20, (unsigned long)n);
    put32(c + 24, (unsigned long)n);
    put16(c + 28, (unsigned)nl);
    put32(c + 42, (unsigned long)at);
    memcpy(c + 46, name, nl);
    *cdlen += 46 + nl;
    return at + 30 + nl + n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t cap = size + sizeof numbering + 512;
    unsigned char *zip = malloc(cap), cd[256];
    if (!zip) return 0;
    size_t cdlen = 0, at = 0;
    at = entry(zip, at, "word/document.xml", data, size, cd, &cdlen);
    at = entry(zip, at, "word/numbering.xml", (const uint8_t *)numbering, sizeof numbering - 1, cd,
               &cdlen);
    memcpy(zip + at, cd, cdlen);
    unsigned char *e = zip + at + cdlen;
    memset(e, 0, 22);
    put32(e, 0x06054b50);
    put16(e + 8, 2);
    put16(e + 10, 2);
    put32(e + 12, (unsigned long)cdlen);
    put32(e + 16, (unsigned long)at);
    size_t total = at + cdlen + 22;
    fz_text t;
    char *err = NULL;
    if (fz_read_memory((const char *)zip, total, "x.docx", &t, &err) == 0) fz_text_free(&t);
    free(err);
    free(zip);
    return 0;
}
