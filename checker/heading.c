/*
 * heading.c - see heading.h.
 */
#include "heading.h"

#include <string.h>

#include "utf8.h"

static int cn_digit(uint32_t cp) {
    static const uint32_t digits[] = {0x96F6 /* 零 */, 0x4E00, 0x4E8C, 0x4E09,
                                      0x56DB, 0x4E94, 0x516D, 0x4E03,
                                      0x516B, 0x4E5D};
    if (cp == 0x3007) return 0; /* 〇 */
    if (cp == 0x4E24) return 2; /* 两 */
    for (int i = 0; i < 10; i++)
        if (digits[i] == cp) return i;
    return -1;
}

#define CP_TEN 0x5341 /* 十 */
#define CP_HUNDRED 0x767E /* 百 */

/* Length in bytes of the run of Chinese numeral characters at s. */
static size_t cn_run(const char *s, size_t len) {
    size_t i = 0;
    uint32_t cp;
    while (i < len) {
        int n = fz_utf8_decode(s + i, len - i, &cp);
        if (n < 0 || (cn_digit(cp) < 0 && cp != CP_TEN && cp != CP_HUNDRED))
            break;
        i += (size_t)n;
    }
    return i;
}

int fz_cn_number(const char *s, size_t len) {
    int total = 0, cur = -1, chars = 0;
    uint32_t cp;
    for (size_t i = 0; i < len; chars++) {
        int n = fz_utf8_decode(s + i, len - i, &cp);
        if (n < 0 || chars >= 6) return -1;
        i += (size_t)n;
        int d = cn_digit(cp);
        if (d >= 0) {
            cur = d;
        } else if (cp == CP_TEN) {
            total += (cur < 0 ? 1 : cur) * 10;
            cur = -1;
        } else if (cp == CP_HUNDRED) {
            if (cur < 0) return -1;
            total += cur * 100;
            cur = -1;
        } else {
            return -1;
        }
    }
    if (chars == 0) return -1;
    return total + (cur < 0 ? 0 : cur);
}

static size_t skip_spaces(const char *s, size_t len, size_t i) {
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    return i;
}

static int starts_with(const char *s, size_t len, size_t i, const char *lit) {
    size_t n = strlen(lit);
    return i + n <= len && memcmp(s + i, lit, n) == 0;
}

static size_t digit_run(const char *s, size_t len, size_t i) {
    size_t j = i;
    while (j < len && s[j] >= '0' && s[j] <= '9') j++;
    return j - i;
}

static int found(fz_head *h, fz_head_kind kind, int level, size_t num_off,
                 size_t num_len, size_t marker_end, const char *s,
                 size_t len) {
    h->kind = kind;
    h->level = level;
    h->num_off = num_off;
    h->num_len = num_len;
    h->marker_len = skip_spaces(s, len, marker_end);
    return level;
}

#define LPAREN "\xEF\xBC\x88" /* （ */
#define RPAREN "\xEF\xBC\x89" /* ） */
#define DUN "\xE3\x80\x81"    /* 、 */

int fz_heading_marker(const char *s, size_t len, fz_head *h) {
    memset(h, 0, sizeof *h);
    size_t cn = cn_run(s, len);
    if (cn > 0 && cn <= 12) {
        if (starts_with(s, len, cn, DUN) || starts_with(s, len, cn, "."))
            return found(h, FZ_HEAD_CN, 1, 0, cn,
                         cn + (s[cn] == '.' ? 1 : 3), s, len);
        if (starts_with(s, len, cn, "\xE6\x98\xAF") && cn <= 6) /* 是 */
            return found(h, FZ_HEAD_SHI, 1, 0, cn, cn + 3, s, len);
    }
    if (starts_with(s, len, 0, "\xE7\xAC\xAC")) { /* 第 */
        size_t n = cn_run(s + 3, len - 3);
        if (n > 0 && starts_with(s, len, 3 + n, "\xE9\x83\xA8\xE5\x88\x86")) {
            size_t end = 3 + n + 6; /* 部分 */
            if (starts_with(s, len, end, DUN)) end += 3;
            else if (starts_with(s, len, end, "\xEF\xBC\x9A")) end += 3; /* ： */
            return found(h, FZ_HEAD_PART, 1, 3, n, end, s, len);
        }
    }
    if (starts_with(s, len, 0, LPAREN)) {
        size_t i = skip_spaces(s, len, 3);
        size_t n = cn_run(s + i, len - i);
        size_t d = n ? 0 : digit_run(s, len, i);
        size_t num = n ? n : d;
        size_t j = skip_spaces(s, len, i + num);
        if (num > 0 && num <= 12 && (n || d <= 2) &&
            starts_with(s, len, j, RPAREN))
            return found(h, n ? FZ_HEAD_CN_PAREN : FZ_HEAD_NUM_PAREN,
                         n ? 2 : 3, i, num, j + 3, s, len);
    }
    size_t d = digit_run(s, len, 0);
    if (d >= 1 && d <= 2) {
        if (starts_with(s, len, d, DUN))
            return found(h, FZ_HEAD_NUM, 3, 0, d, d + 3, s, len);
        if (starts_with(s, len, d, RPAREN))
            return found(h, FZ_HEAD_NUM, 3, 0, d, d + 3, s, len);
        /* "1." but not "12.4" (a date) or "1.5万元" (a figure) */
        if (starts_with(s, len, d, ".") &&
            !(d + 1 < len && s[d + 1] >= '0' && s[d + 1] <= '9'))
            return found(h, FZ_HEAD_NUM, 3, 0, d, d + 1, s, len);
    }
    return 0;
}
