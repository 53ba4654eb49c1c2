/* For the harnesses that fuzz the XML inside a zip: a mutated zip rarely
 * survives its checksums, so they wrap their input in a valid stored zip
 * built here. Header-only, for fuzz/ alone. */
#ifndef FZ_FUZZ_ZIPWRITE_H
#define FZ_FUZZ_ZIPWRITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct {
    const char *name;
    const uint8_t *data;
    size_t n;
} zw_entry;

static void zw_put16(unsigned char *p, unsigned v) {
    p[0] = v & 255;
    p[1] = (v >> 8) & 255;
}

static void zw_put32(unsigned char *p, unsigned long v) {
    for (int i = 0; i < 4; i++) p[i] = (v >> (8 * i)) & 255;
}

/* A stored zip of the entries, malloc'd, its size in *len; NULL when
 * memory runs out. */
static unsigned char *zw_build(const zw_entry *e, size_t count, size_t *len) {
    size_t cap = 22;
    for (size_t i = 0; i < count; i++) cap += 30 + 46 + 2 * strlen(e[i].name) + e[i].n;
    unsigned char *zip = malloc(cap), *cd = malloc(cap);
    if (!zip || !cd) {
        free(zip);
        free(cd);
        return NULL;
    }
    size_t at = 0, cdlen = 0;
    for (size_t i = 0; i < count; i++) {
        unsigned long crc = crc32(0, e[i].data, (uInt)e[i].n);
        size_t nl = strlen(e[i].name);
        unsigned char *h = zip + at;
        memset(h, 0, 30);
        zw_put32(h, 0x04034b50);
        zw_put16(h + 4, 20);
        zw_put32(h + 14, crc);
        zw_put32(h + 18, (unsigned long)e[i].n);
        zw_put32(h + 22, (unsigned long)e[i].n);
        zw_put16(h + 26, (unsigned)nl);
        memcpy(h + 30, e[i].name, nl);
        if (e[i].n) memcpy(h + 30 + nl, e[i].data, e[i].n);
        unsigned char *c = cd + cdlen;
        memset(c, 0, 46);
        zw_put32(c, 0x02014b50);
        zw_put16(c + 4, 20);
        zw_put16(c + 6, 20);
        zw_put32(c + 16, crc);
        zw_put32(c + 20, (unsigned long)e[i].n);
        zw_put32(c + 24, (unsigned long)e[i].n);
        zw_put16(c + 28, (unsigned)nl);
        zw_put32(c + 42, (unsigned long)at);
        memcpy(c + 46, e[i].name, nl);
        cdlen += 46 + nl;
        at += 30 + nl + e[i].n;
    }
    memcpy(zip + at, cd, cdlen);
    unsigned char *end = zip + at + cdlen;
    memset(end, 0, 22);
    zw_put32(end, 0x06054b50);
    zw_put16(end + 8, (unsigned)count);
    zw_put16(end + 10, (unsigned)count);
    zw_put32(end + 12, (unsigned long)cdlen);
    zw_put32(end + 16, (unsigned long)at);
    *len = at + cdlen + 22;
    free(cd);
    return zip;
}

#endif
