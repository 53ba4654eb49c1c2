/*
 * utf8.c - see utf8.h.
 */
#include "utf8.h"

int fz_utf8_decode_slow(const char *str, size_t len, uint32_t *cp) {
    const unsigned char *s = (const unsigned char *)str;
    *cp = 0xFFFD;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    int n;
    uint32_t c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2; c = s[0] & 0x1F; min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3; c = s[0] & 0x0F; min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4; c = s[0] & 0x07; min = 0x10000;
    } else {
        return -1;
    }
    if (len < (size_t)n) return -1;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return -1;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return -1;
    *cp = c;
    return n;
}

int fz_utf8_encode(uint32_t cp, char *out) {
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

bool fz_utf8_valid(const char *s, size_t len) {
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        int n = fz_utf8_decode(s + i, len - i, &cp);
        if (n < 0) return false;
        i += (size_t)n;
    }
    return true;
}

size_t fz_utf8_count(const char *s, size_t len) {
    size_t count = 0;
    uint32_t cp;
    for (size_t i = 0; i < len; count++) {
        int n = fz_utf8_decode(s + i, len - i, &cp);
        i += n < 0 ? 1 : (size_t)n;
    }
    return count;
}

size_t fz_utf8_width(const char *s, size_t len) {
    size_t w = 0;
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        int n = fz_utf8_decode(s + i, len - i, &cp);
        i += n < 0 ? 1 : (size_t)n;
        /* ASCII and the CJK block, nearly all of a report, without a call */
        w += cp < 0x1100 ? 1 : cp >= 0x2E80 && cp <= 0xA4CF ? 2 : (size_t)fz_cp_width(cp);
    }
    return w;
}

size_t fz_utf8_clip(const char *s, size_t len, size_t max_bytes) {
    if (len <= max_bytes) return len;
    size_t i = max_bytes;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
    return i;
}

int fz_cp_width(uint32_t c) {
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD) ||
        c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 ||
        c == 0x2026 || c == 0x2014)
        return 2;
    return 1;
}

bool fz_cp_is_han(uint32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) ||
           c == 0x3007;
}

bool fz_cp_is_cjk_punct(uint32_t c) {
    return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF65) ||
           (c >= 0x2018 && c <= 0x201F) || c == 0x2026 || c == 0x2014 ||
           c == 0x00B7 || (c >= 0xFE10 && c <= 0xFE1F) ||
           (c >= 0xFE30 && c <= 0xFE4F);
}

bool fz_cp_is_sentence_end(uint32_t c) {
    return c == 0x3002 /* 。 */ || c == 0xFF01 /* ！ */ || c == 0xFF1F /* ？ */ ||
           c == 0xFF1B /* ； */ || c == '!' || c == '?' || c == ';';
}
