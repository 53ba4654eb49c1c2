/*
 * Small helpers (util.c, utf8.c): the growable buffer's formatting, a
 * text's width.
 */
#include "helpers.h"

#include <limits.h>

#include "utf8.h"

/* Formatted text is appended whole, whether it fits the room the buffer
 * has or not, and the buffer stays one NUL-terminated string. */
static void buf_printf_appends_short_and_long_texts(void **state) {
    (void)state;
    fz_buf b = {0};
    assert_int_equal(fz_buf_printf(&b, "%s", ""), 0);
    assert_non_null(b.ptr);
    assert_string_equal(b.ptr, "");
    char expect[4096] = "";
    size_t len = 0;
    for (int i = 0; i < 40; i++) {
        /* lengths from a few bytes to well over the room made up front */
        char piece[1024];
        int n = i * 23 % 700;
        memset(piece, 'a' + i % 26, (size_t)n);
        piece[n] = '\0';
        assert_int_equal(fz_buf_printf(&b, "%d:%s|%s", i, piece, i % 2 ? "事项" : ""), 0);
        int w = snprintf(expect + len, sizeof expect - len, "%d:%s|%s", i, piece, i % 2 ? "事项" : "");
        assert_true(w > 0);
        len += (size_t)w;
        if (len > 3000) {
            assert_int_equal(b.len, len);
            assert_string_equal(b.ptr, expect);
            fz_buf_free(&b);
            len = 0;
            expect[0] = '\0';
        }
    }
    assert_int_equal(b.len, len);
    assert_string_equal(b.ptr ? b.ptr : "", expect);
    fz_buf_free(&b);
    char *s = fz_strdup_printf("%0*d", 600, 7);
    assert_non_null(s);
    assert_int_equal(strlen(s), 600);
    assert_int_equal(s[599], '7');
    free(s);
}

/* Appends of every size, into room the buffer has and past it, keep
 * every byte in order and the buffer NUL-terminated. */
static void buf_append_fills_and_grows(void **state) {
    (void)state;
    fz_buf b = {0};
    assert_int_equal(fz_buf_append(&b, NULL, 0), 0);
    assert_non_null(b.ptr);
    assert_string_equal(b.ptr, "");
    char expect[8192];
    size_t len = 0;
    for (size_t n = 0; len + n < sizeof expect; n = (n * 7 + 3) % 97) {
        char piece[97];
        for (size_t i = 0; i < n; i++) piece[i] = (char)('a' + (len + i) % 26);
        assert_int_equal(fz_buf_append(&b, piece, n), 0);
        memcpy(expect + len, piece, n);
        len += n;
        assert_int_equal(b.len, len);
        assert_true(b.cap > b.len);
        assert_int_equal(b.ptr[b.len], '\0');
        if (len > 8000) break;
    }
    assert_memory_equal(b.ptr, expect, len);
    fz_buf_free(&b);
}

/* %s %d %u %zu and %% are put together without stdio: the bytes are
 * those snprintf gives, for numbers at their limits too; other formats
 * still go through it. */
static void buf_printf_matches_snprintf(void **state) {
    (void)state;
    static const int ints[] = {0, 1, -1, 9, 10, -10, 123456, INT_MAX, INT_MIN};
    static const unsigned uns[] = {0, 1, 10, 4294967295u};
    static const size_t sizes[] = {0, 7, 100, SIZE_MAX};
    static const char *const strs[] = {"", "事项", "a%sb", NULL};
    char want[512];
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        for (size_t u = 0; u < sizeof uns / sizeof *uns; u++)
            for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++)
                for (size_t k = 0; k < sizeof strs / sizeof *strs; k++) {
                    fz_buf b = {0};
                    assert_int_equal(fz_buf_puts(&b, "前"), 0);
                    assert_int_equal(fz_buf_printf(&b, "%d|%u|%zu|%s|100%%|%s%d", ints[i], uns[u], sizes[z],
                                                   strs[k], strs[(k + 1) % 4], ints[(i + 1) % 9]), 0);
                    snprintf(want, sizeof want, "前%d|%u|%zu|%s|100%%|%s%d", ints[i], uns[u], sizes[z],
                             strs[k], strs[(k + 1) % 4], ints[(i + 1) % 9]);
                    assert_string_equal(b.ptr, want);
                    assert_int_equal(b.len, strlen(want));
                    fz_buf_free(&b);
                }
    fz_buf b = {0};
    assert_int_equal(fz_buf_printf(&b, "%s", "%d"), 0);
    assert_int_equal(fz_buf_printf(&b, "[%5.1f|%02x|%-3s|%c]", 2.25, 10u, "a", 'z'), 0);
    assert_string_equal(b.ptr, "%d[  2.2|0a|a  |z]");
    fz_buf_free(&b);
}

/* A text's display width is the sum of its characters' widths, for
 * every character (fz_utf8_width counts the common ones itself). */
static void text_width_is_the_characters_widths(void **state) {
    (void)state;
    for (uint32_t c = 0; c <= 0x10FFFF; c++) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        char enc[4];
        int n = fz_utf8_encode(c, enc);
        if (fz_utf8_width(enc, (size_t)n) != (size_t)fz_cp_width(c))
            fail_msg("U+%04X: width %zu, not %d", (unsigned)c, fz_utf8_width(enc, (size_t)n), fz_cp_width(c));
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_printf_appends_short_and_long_texts),
        cmocka_unit_test(buf_append_fills_and_grows),
        cmocka_unit_test(buf_printf_matches_snprintf),
        cmocka_unit_test(text_width_is_the_characters_widths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
