/*
 * Patterns (regex.c): the shapes that backtrack without end are warned
 * about, ordinary ones are not; a report's budget stops a slow pattern
 * and names it; windowed search finds the same first match as a plain one.
 */
#include "helpers.h"
#include "regex.h"

static void risky_shapes_are_named(void **state) {
    (void)state;
    const char *risky[] = {"(\\S+\\s*)+X", "(a|aa)+$", "(a+)*b", "(?:[^。]+，)*关于",
                           "((ab)*c)+", "(x|xy){2,}"};
    for (size_t i = 0; i < sizeof risky / sizeof *risky; i++)
        if (!fz_regex_risky(risky[i])) fail_msg("not flagged: %s", risky[i]);
    const char *fine[] = {"法制审核(?!人员)", "[^。]{0,20}亲自", "(举措|措施)(和|及)?(成效|成绩)",
                          "(a|b)+", "(a+)?b", "(?>a+)+b", "(a++)+b", "\\(\\d+\\)+",
                          "[(a+)+]", "\\Q(a+)+\\E", "(\\d{4}年)+", "(a|aa)?"};
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++)
        if (fz_regex_risky(fine[i])) fail_msg("flagged: %s", fine[i]);
}

/* (a|aa)+$ on lines that end otherwise: seconds per paragraph unbounded;
 * under a budget of 0.3 s the matching stops soon after and says who. */
static void budget_stops_a_slow_pattern(void **state) {
    (void)state;
    char *err = NULL;
    fz_regex *re = fz_regex_compile("(a|aa)+$", &err);
    assert_non_null(re);
    assert_int_equal(fz_regex_set_label(re, "规则“x”"), 0);
    fz_buf text = {0};
    for (int i = 0; i < 4000; i++) fz_buf_puts(&text, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa。");
    fz_regex_budget b;
    fz_regex_budget_begin(&b, 0.3);
    size_t s, e;
    int rc = 0;
    for (int k = 0; k < 1000 && rc != -1; k++) rc = fz_regex_find(re, text.ptr, text.len, 0, &s, &e);
    fz_regex_budget_end();
    assert_int_equal(rc, -1);
    assert_true(b.exhausted);
    assert_true(b.used < 3.0); /* stopped near the budget, not after the paragraph */
    assert_string_equal(fz_regex_budget_label(&b), "规则“x”");
    assert_string_equal(fz_regex_budget_source(&b), "(a|aa)+$");
    fz_buf_free(&text);
    fz_regex_free(re);
}

/* Searching a long paragraph window by window finds the first match, even
 * one that starts inside a window and runs past its end. */
static void windows_find_the_same_first_match(void **state) {
    (void)state;
    char *err = NULL;
    fz_regex *re = fz_regex_compile("执法[^。]{0,300}公示", &err);
    fz_buf text = {0};
    for (int i = 0; i < 170; i++) fz_buf_puts(&text, "一"); /* 510 bytes */
    size_t at = text.len;
    fz_buf_puts(&text, "执法");
    for (int i = 0; i < 100; i++) fz_buf_puts(&text, "二");
    fz_buf_puts(&text, "公示。");
    size_t s1, e1, s2, e2;
    assert_int_equal(fz_regex_find(re, text.ptr, text.len, 0, &s1, &e1), 1);
    fz_regex_budget b;
    fz_regex_budget_begin(&b, 10);
    assert_int_equal(fz_regex_find(re, text.ptr, text.len, 0, &s2, &e2), 1);
    fz_regex_budget_end();
    assert_int_equal(s1, at);
    assert_int_equal(s2, s1);
    assert_int_equal(e2, e1);
    fz_buf_free(&text);
    fz_regex_free(re);
}

static void errors_keep_the_authors_offsets(void **state) {
    (void)state;
    char *err = NULL;
    assert_null(fz_regex_compile("a)(?:b", &err)); /* not made valid by any wrapping */
    assert_non_null(strstr(err, "第 1 个字节处"));
    free(err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(risky_shapes_are_named),
        cmocka_unit_test(budget_stops_a_slow_pattern),
        cmocka_unit_test(windows_find_the_same_first_match),
        cmocka_unit_test(errors_keep_the_authors_offsets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
