/*
 * dates.c - see dates.h.
 */
#include "dates.h"

#include <string.h>

#include "heading.h"
#include "utf8.h"

#define NIAN "\xE5\xB9\xB4" /* 年 */
#define YUE "\xE6\x9C\x88"  /* 月 */
#define RI "\xE6\x97\xA5"   /* 日 */

static int lit(const char *s, size_t len, size_t i, const char *l) {
    size_t n = strlen(l);
    return i + n <= len && memcmp(s + i, l, n) == 0;
}

/* Reads a number of up to max_digits ASCII digits, or Chinese numerals
 * (digit-by-digit when `positional`, else as 二十八). */
static size_t read_number(const char *s, size_t len, int positional,
                          int max_digits, int *value) {
    size_t i = 0;
    int v = 0, digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9' && digits < max_digits) {
        v = v * 10 + (s[i] - '0');
        i++;
        digits++;
    }
    if (digits) {
        if (i < len && s[i] >= '0' && s[i] <= '9') return 0;
        *value = v;
        return i;
    }
    /* Chinese numerals: find the run, then evaluate it */
    size_t j = 0;
    uint32_t cp;
    int chars = 0;
    while (j < len && chars < max_digits + 1) {
        int n = fz_utf8_decode(s + j, len - j, &cp);
        if (n < 0) break;
        int is_num = fz_cn_number(s + j, (size_t)n) >= 0 ||
                     cp == 0x5341 /* 十 */;
        if (!is_num) break;
        j += (size_t)n;
        chars++;
    }
    if (!chars) return 0;
    if (positional) {
        /* 二〇二三: each character is one digit */
        int val = 0;
        for (size_t k = 0; k < j;) {
            int n = fz_utf8_decode(s + k, j - k, &cp);
            int d = fz_cn_number(s + k, (size_t)n);
            if (d < 0 || d > 9) return 0;
            val = val * 10 + d;
            k += (size_t)n;
        }
        *value = val;
        return j;
    }
    int val = fz_cn_number(s, j);
    if (val < 0) return 0;
    *value = val;
    return j;
}

size_t fz_parse_year(const char *s, size_t len, int *year) {
    int y;
    size_t n = read_number(s, len, 1, 4, &y);
    if (n == 0 || y < 1949 || y > 2200) return 0;
    size_t i = n;
    while (i < len && s[i] == ' ') i++;
    if (!lit(s, len, i, NIAN)) return 0;
    *year = y;
    return i + 3;
}

size_t fz_parse_date(const char *s, size_t len, int *y, int *m, int *d) {
    size_t i = fz_parse_year(s, len, y);
    if (!i) return 0;
    size_t n = read_number(s + i, len - i, 0, 2, m);
    if (!n || !lit(s, len, i + n, YUE)) return 0;
    i += n + 3;
    n = read_number(s + i, len - i, 0, 2, d);
    if (!n || !lit(s, len, i + n, RI)) return 0;
    if (!fz_valid_date(*y, *m, *d)) return 0;
    return i + n + 3;
}

int fz_valid_date(int y, int m, int d) {
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1]) return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

int fz_is_date_line(const char *s, size_t len) {
    int y, m, d;
    size_t n = fz_parse_date(s, len, &y, &m, &d);
    if (!n) return 0;
    if (n == len) return 1;
    const char *rest = s + n;
    size_t rl = len - n;
    return (rl == 6 && (memcmp(rest, "\xE5\x8D\xB0\xE5\x8F\x91", 6) == 0 ||  /* 印发 */
                        memcmp(rest, "\xE5\x8F\x91\xE5\xB8\x83", 6) == 0));  /* 发布 */
}

int fz_next_year(const char *s, size_t len, size_t from, size_t *at) {
    uint32_t cp, prev = 0;
    if (from > 0) {
        size_t b = from - 1;
        while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80) b--;
        fz_utf8_decode(s + b, len - b, &prev);
    }
    for (size_t i = from; i < len;) {
        int y;
        int range_end = prev == '-' || prev == 0x2014 || prev == 0x2013 || prev == '~' ||
                        prev == 0x81F3 /* 至 */ || prev == 0x2015 || prev == 0xFF5E ||
                        (prev >= '0' && prev <= '9');
        if (!range_end && fz_parse_year(s + i, len - i, &y)) {
            *at = i;
            return y;
        }
        int n = fz_utf8_decode(s + i, len - i, &cp);
        i += n < 0 ? 1 : (size_t)n;
        prev = cp;
    }
    return 0;
}
