/*
 * utf8.h - decoding, encoding and classifying UTF-8 code points.
 *
 * The reader guarantees valid UTF-8 to every later stage; these helpers
 * still refuse malformed input so that they are safe on any bytes.
 */
#ifndef FZ_UTF8_H
#define FZ_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The general case of fz_utf8_decode (any sequence, checked in full). */
int fz_utf8_decode_slow(const char *s, size_t len, uint32_t *cp);

/* Decodes one code point from s[0..len). Returns its length in bytes
 * (1..4), or -1 for a malformed, overlong, surrogate or truncated
 * sequence (then *cp is U+FFFD). len must be at least 1.
 *
 * Inline, with the two cases that make up nearly all report text done
 * here: every stage decodes every character, and a call per character
 * cost more than the decoding. A three-byte sequence is accepted only
 * when well-formed (lead E1-EC or EE-EF with any continuation, or E0 /
 * ED with the range that excludes overlongs and surrogates); anything
 * else goes to the full check. */
static inline int fz_utf8_decode(const char *str, size_t len, uint32_t *cp) {
    const unsigned char *s = (const unsigned char *)str;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (len >= 3 && (s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
        !(s[0] == 0xE0 && s[1] < 0xA0) && !(s[0] == 0xED && s[1] >= 0xA0)) {
        *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    return fz_utf8_decode_slow(str, len, cp);
}

/* Encodes cp into out (4 bytes of room). Returns the byte count. */
int fz_utf8_encode(uint32_t cp, char *out);

/* True when s[0..len) is well-formed UTF-8. */
bool fz_utf8_valid(const char *s, size_t len);

/* Number of code points in s[0..len) (malformed bytes count one each). */
size_t fz_utf8_count(const char *s, size_t len);

/* Display width of s[0..len): 2 per East Asian wide character, else 1. */
size_t fz_utf8_width(const char *s, size_t len);

/* Largest prefix of s[0..len) no longer than max_bytes that ends on a
 * code point boundary. */
size_t fz_utf8_clip(const char *s, size_t len, size_t max_bytes);

/* Display width of one code point: 2 for East Asian wide/fullwidth. */
int fz_cp_width(uint32_t cp);

/* A Han ideograph (CJK unified ideographs and their extensions, plus 〇). */
bool fz_cp_is_han(uint32_t cp);

/* CJK or fullwidth punctuation, including “”‘’ and the ellipsis. */
bool fz_cp_is_cjk_punct(uint32_t cp);

/* True for the code points that end a Chinese sentence: 。！？；… and the
 * ASCII ! ? ; */
bool fz_cp_is_sentence_end(uint32_t cp);

#endif
