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


/* ---- the literal pre-filter (regex_lit.c) ---- */

static int may_match(fz_regex *re, const char *text) {
    fz_grams g;
    assert_int_equal(fz_grams_build(&g, text, strlen(text)), 0);
    int may = fz_regex_may_match(re, &g);
    fz_grams_free(&g);
    return may;
}

/* A text without the literal every match needs: the pattern is skipped;
 * with it, it is run. */
static void prefilter_skips_a_text_without_the_needed_literal(void **state) {
    (void)state;
    char *err = NULL;
    fz_regex *re = fz_regex_compile("(法治|依法治|依法行政)[^。]{0,12}领导小组", &err);
    assert_non_null(re);
    assert_int_equal(may_match(re, "成立法治建设委员会，定期研究工作。"), 0);
    /* both literals there, though not in order: it is run (the filter is conservative) */
    assert_int_equal(may_match(re, "领导小组调整。依法行政工作有序推进。"), 1);
    assert_int_equal(may_match(re, "成立法治建设领导小组。"), 1);
    fz_regex_free(re);
    /* one of each set: 如/例如 and one of 办理/查处 */
    re = fz_regex_compile("(例如|比如)[^。]{0,30}(办理|查处)", &err);
    assert_non_null(re);
    assert_int_equal(may_match(re, "例如全年受理案件十件。"), 0);
    assert_int_equal(may_match(re, "全年查处案件十件。"), 0);
    assert_int_equal(may_match(re, "比如全年查处案件十件。"), 1);
    fz_regex_free(re);
}

/* The pieces of "a|b|c" (list is cut in place), at most max. */
static size_t split_pieces(char *list, const char **pieces, size_t max) {
    size_t np = 0;
    for (char *t = strtok(list, "|"); t && np < max; t = strtok(NULL, "|")) pieces[np++] = t;
    return np;
}

/* Whatever is optional, repeated from zero, looked around or in a
 * branch is not required: a text that matches is never skipped. */
static void prefilter_never_skips_a_text_that_matches(void **state) {
    (void)state;
    static const struct { const char *pattern, *text; } cases[] = {
        {"(领导)?小组", "成立工作小组"},
        {"(?<!企业)主要负责(人|同志)", "主要负责同志"},
        {"法制审核(?!人员)", "开展法制审核"},
        {"(?=.*公示)执法", "执法信息公示"},
        {"执法(公示|)制度", "执法制度"},
        {"执法(?:全过程)?记录", "执法记录仪"},
        {"审核{0,2}件", "审件"},
        {"[审查]核", "查核"},
        {"\\d+件", "审核19件"},
        {"行政.{0,3}复议", "行政应诉复议"},
        {"(?i)abc局", "ABC局"},
        {"((一|二)是)+加强", "一是二是加强"},
        {"双随机、?一公开", "双随机一公开"},
        {"普法\\s*责任制", "普法 责任制"},
        {"a|b|c", "c"},
        {"集体学法(\\d+次)*", "集体学法"},
        {"\\Q(例)\\E案", "(例)案"},
        {"(?:专题)+研究", "专题专题研究"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *err = NULL;
        fz_regex *re = fz_regex_compile(cases[i].pattern, &err);
        if (!re) fail_msg("%s: %s", cases[i].pattern, err ? err : "?");
        if (fz_regex_test(re, cases[i].text, strlen(cases[i].text)) != 1)
            fail_msg("test setup: %s does not match %s", cases[i].pattern, cases[i].text);
        if (!may_match(re, cases[i].text))
            fail_msg("skipped although it matches: %s on %s", cases[i].pattern, cases[i].text);
        fz_regex_free(re);
    }
}

/* The same, over random texts from the patterns' own characters: each
 * text a pattern matches must be one the pre-filter lets through. */
static void prefilter_is_sound_on_random_texts(void **state) {
    (void)state;
    /* each pattern with the pieces its texts are made of: its own
     * literals, near misses and the characters between */
    static const struct { const char *pattern, *pieces; } cases[] = {
        {"(法治|依法治|依法行政)[^。]{0,12}领导小组", "法治|依法|行政|治|领导|小组|班子|。|工作"},
        {"(例如|比如)[^。]{0,6}(办理|查处)", "例如|比如|如|办理|查处|查|。|案件"},
        {"执法(全过程)?记录", "执法|全过程|记录|过程|执|。"},
        {"(?<!企业)主要负责(人|同志)", "企业|主要负责|人|同志|主要|。"},
        {"法制审核(?!人员)", "法制|审核|人员|人|。"},
        {"公示[^。]{0,4}\\d+条", "公示|12|条|信息|。"},
        {"(集体|专题)学法", "集体|专题|学法|学|法|。"},
        {"领导(小组|班子)?会议", "领导|小组|班子|会议|会|。"},
        {"审核{1,2}件", "审|核|件|审核|。"},
    };
    unsigned long seed = 13;
    size_t checked = 0, matched = 0, skipped = 0;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char *err = NULL;
        fz_regex *re = fz_regex_compile(cases[k].pattern, &err);
        assert_non_null(re);
        const char *pieces[16];
        char *list = fz_strdup(cases[k].pieces);
        assert_non_null(list);
        size_t np = split_pieces(list, pieces, 16);
        for (int t = 0; t < 3000; t++) {
            fz_buf text = {0};
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            int n = 1 + (int)((seed >> 33) % 6);
            for (int j = 0; j < n; j++) {
                seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                assert_int_equal(fz_buf_puts(&text, pieces[(seed >> 33) % np]), 0);
            }
            int m = fz_regex_test(re, text.ptr, text.len);
            int may = may_match(re, text.ptr);
            if (m == 1 && !may) fail_msg("skipped although it matches: %s on %s", cases[k].pattern, text.ptr);
            checked++;
            matched += m == 1;
            skipped += !may;
            fz_buf_free(&text);
        }
        free(list);
        fz_regex_free(re);
    }
    print_message("prefilter: %zu texts, %zu matched, %zu skipped\n", checked, matched, skipped);
    /* the test means something only if both happen often */
    assert_true(matched > 2000);
    assert_true(skipped > 2000);
}

/* The grams of several texts together (fz_grams_build_into): a pattern
 * that matches inside any one of them is never skipped, and each text's
 * own grams are those fz_grams_build makes. */
static void prefilter_over_many_texts_is_sound(void **state) {
    (void)state;
    static const struct { const char *pattern, *pieces; } cases[] = {
        {"(法治|依法治|依法行政)[^。]{0,12}领导小组", "法治|依法|行政|治|领导|小组|班子|。|工作"},
        {"(例如|比如)[^。]{0,6}(办理|查处)", "例如|比如|如|办理|查处|查|。|案件"},
        {"(?<!企业)主要负责(人|同志)", "企业|主要负责|人|同志|主要|。"},
        {"领导(小组|班子)?会议", "领导|小组|班子|会议|会|。"},
        {"审核{1,2}件", "审|核|件|审核|。"},
    };
    unsigned long seed = 29;
    size_t checked = 0, matched = 0, skipped = 0;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char *err = NULL;
        fz_regex *re = fz_regex_compile(cases[k].pattern, &err);
        assert_non_null(re);
        const char *pieces[16];
        char *list = fz_strdup(cases[k].pieces);
        assert_non_null(list);
        size_t np = split_pieces(list, pieces, 16);
        for (int t = 0; t < 2000; t++) {
            enum { TEXTS = 4 };
            fz_buf text[TEXTS] = {{0}};
            fz_grams all, each[TEXTS];
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            size_t ntext = 1 + (size_t)((seed >> 33) % TEXTS), total = 0;
            for (size_t i = 0; i < ntext; i++) {
                seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                int n = 1 + (int)((seed >> 33) % 6);
                for (int j = 0; j < n; j++) {
                    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                    assert_int_equal(fz_buf_puts(&text[i], pieces[(seed >> 33) % np]), 0);
                }
                total += text[i].len;
            }
            assert_int_equal(fz_grams_init(&all, total), 0);
            int any = 0;
            for (size_t i = 0; i < ntext; i++) {
                assert_int_equal(fz_grams_build_into(&each[i], &all, text[i].ptr, text[i].len), 0);
                int m = fz_regex_test(re, text[i].ptr, text[i].len);
                any |= m == 1;
                /* each text's grams are as if built alone */
                fz_grams alone;
                assert_int_equal(fz_grams_build(&alone, text[i].ptr, text[i].len), 0);
                assert_int_equal(alone.mask, each[i].mask);
                assert_memory_equal(alone.bits, each[i].bits, ((size_t)alone.mask + 1) / 8);
                fz_grams_free(&alone);
                if (m == 1 && !fz_regex_may_match(re, &each[i]))
                    fail_msg("skipped although it matches: %s on %s", cases[k].pattern, text[i].ptr);
            }
            int may = fz_regex_may_match(re, &all);
            if (any && !may) fail_msg("skipped over several texts although one matches: %s", cases[k].pattern);
            checked++;
            matched += any;
            skipped += !may;
            for (size_t i = 0; i < ntext; i++) {
                fz_grams_free(&each[i]);
                fz_buf_free(&text[i]);
            }
            fz_grams_free(&all);
        }
        free(list);
        fz_regex_free(re);
    }
    print_message("prefilter over several texts: %zu sets, %zu matched, %zu skipped\n", checked, matched, skipped);
    assert_true(matched > 1000);
    assert_true(skipped > 1000);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(risky_shapes_are_named),
        cmocka_unit_test(budget_stops_a_slow_pattern),
        cmocka_unit_test(windows_find_the_same_first_match),
        cmocka_unit_test(errors_keep_the_authors_offsets),
        cmocka_unit_test(prefilter_skips_a_text_without_the_needed_literal),
        cmocka_unit_test(prefilter_never_skips_a_text_that_matches),
        cmocka_unit_test(prefilter_is_sound_on_random_texts),
        cmocka_unit_test(prefilter_over_many_texts_is_sound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
