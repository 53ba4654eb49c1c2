/* Stage 6: points, scaling to 100, grades, the required-fail rule. */
#include "helpers.h"

static const char *pack_yaml =
    "scoring: {partial: 0.5, required_fail_grade: 不合格}\n"
    "grades: [{name: 优秀, min: 90}, {name: 合格, min: 60}, {name: 不合格, min: 0}]\n"
    "rules:\n"
    "  - {id: a, title: t, category: 法定, severity: required, points: 10, basis: b, message: m,\n"
    "     suggestion: s, check: {kind: presence, any: [甲]}}\n"
    "  - {id: b, title: t, category: 法定, severity: recommended, points: 10, basis: b, message: m,\n"
    "     suggestion: s, check: {kind: presence, all: [乙, 丙, 丁, 戊]}}\n"
    "  - {id: c, title: t, category: 其他, severity: info, points: 20, basis: b, message: m,\n"
    "     suggestion: s, applies_if: [执法], check: {kind: presence, any: [己]}}\n"
    "  - {id: d, title: t, category: 其他, severity: required, points: 10, basis: b, message: m,\n"
    "     suggestion: s, check: {kind: figures, keywords: [抽查], min: 2, mention: partial}}\n";

PACK_FIXTURE(pack_yaml)

static void full_marks(void **state) {
    (void)state;
    fz_report r;
    report_of(&pack, "甲乙丙丁戊己执法。抽查3家。抽查5次。\n", &r);
    assert_true(r.score == 100.0);
    assert_true(r.points == 50);
    assert_string_equal(r.grade, "优秀");
    assert_int_equal(r.required_gaps, 0);
    fz_report_free(&r);
}

static void partial_shares_and_na_left_out(void **state) {
    (void)state;
    fz_report r;
    /* a pass (10), b 1 of 4 (2.5), c na (no 执法: left out), d partial by
     * mention (0.5 × 10) → 17.5 of 30 → 58.3 */
    report_of(&pack, "甲乙。抽查工作。\n", &r);
    assert_int_equal(result_of(&r, "c")->status, FZ_NA);
    assert_true(result_of(&r, "b")->score == 2.5);
    assert_true(result_of(&r, "d")->score == 5.0);
    assert_true(r.points == 30);
    assert_true(r.score == 58.3);
    /* d is a required partial: a gap, but not a fail that forces the grade */
    assert_int_equal(r.required_gaps, 1);
    assert_string_equal(r.grade, "不合格"); /* 58.3 is below 60 anyway */
    fz_report_free(&r);
    /* figures partial by count: 1 of 2 sentences → 0.5 */
    report_of(&pack, "甲乙丙丁戊。抽查3家。\n", &r);
    assert_true(result_of(&r, "d")->score == 5.0);
    assert_true(r.score == 83.3);
    assert_string_equal(r.grade, "合格");
    fz_report_free(&r);
}

static void a_failed_required_rule_forces_the_grade(void **state) {
    (void)state;
    fz_report r;
    /* everything but a: 30 of 40 with c na... a fails */
    report_of(&pack, "乙丙丁戊己执法。抽查3家。抽查5次。\n", &r);
    assert_int_equal(result_of(&r, "a")->status, FZ_FAIL);
    assert_true(r.score == 80.0);
    assert_string_equal(r.grade, "不合格");
    assert_int_equal(r.required_gaps, 1);
    fz_report_free(&r);
}

static void rounding(void **state) {
    (void)state;
    assert_true(fz_round1(3.33333) == 3.3);
    assert_true(fz_round1(66.66) == 66.7);
    assert_true(fz_round1(0.05) == 0.1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_marks),
        cmocka_unit_test(partial_shares_and_na_left_out),
        cmocka_unit_test(a_failed_required_rule_forces_the_grade),
        cmocka_unit_test(rounding),
    };
    return cmocka_run_group_tests_name("score", tests, setup, teardown);
}
