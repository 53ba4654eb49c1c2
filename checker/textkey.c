/*
 * textkey.c - see textkey.h.
 */
#include "textkey.h"

#include "utf8.h"

static int dropped(uint32_t cp) {
    if (cp < 0x80) return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
    if (cp == 0x00B7 || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x2460 && cp <= 0x24FF) ||
        (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF65) || fz_cp_is_cjk_punct(cp))
        return 1;
    /* Chinese numerals: a figure written out changes as a figure does */
    static const uint32_t numerals[] = {0x3007, 0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                        0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343,
                                        0x4E07, 0x4EBF, 0x4E24};
    for (size_t i = 0; i < sizeof numerals / sizeof *numerals; i++)
        if (cp == numerals[i]) return 1;
    return 0;
}

long fz_key_of(const char *s, size_t n, fz_buf *out) {
    long kept = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int l = fz_utf8_decode(s + i, n - i, &cp);
        if (l < 0) l = 1;
        if (!dropped(cp)) {
            if (fz_buf_append(out, s + i, (size_t)l) < 0) return -1;
            kept++;
        }
        i += (size_t)l;
    }
    /* an empty key is still a string */
    if (!out->ptr && fz_buf_append(out, "", 0) < 0) return -1;
    return kept;
}

uint64_t fz_key_hash(const char *s, size_t n) {
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

