/*
 * A checked report as bytes and back (wire.c): what the workers send.
 * Every field the outputs read survives the trip; a cut-short or garbled
 * message is refused, never read past its end.
 */
#include "helpers.h"
#include "previous.h"
#include "wire.h"

static const char *pack_yaml =
    "scoring: {partial: 0.5, required_fail_grade: 不合格}\n"
    "grades: [{name: 优秀, min: 90}, {name: 合格, min: 60}, {name: 不合格, min: 0}]\n"
    "roles: {problems: {title: 存在的问题, headings: [问题]}}\n"
    "rules:\n"
    "  - {id: a, title: 甲, category: 法定, severity: required, points: 10, basis: b, message: '缺{missing}',\n"
    "     suggestion: 补上, check: {kind: presence, items: [{name: 乙, patterns: [乙]}, {name: 丙, patterns: [丙]}]}}\n"
    "  - {id: b, title: t, category: 其他, severity: info, points: 5, basis: b, message: m,\n"
    "     suggestion: s, check: {kind: section, role: problems}}\n";

PACK_FIXTURE(pack_yaml)

static const char *text =
    "某县司法局关于2023年度法治政府建设情况的报告\n"
    "一、主要举措\n写了乙。\n二、存在的问题\n问题较多。\n某县司法局\n2024年1月5日\n";

static void a_report_survives_the_trip(void **state) {
    (void)state;
    fz_report r, d;
    report_of(&pack, text, &r);
    r.file = strdup("报告.txt");
    fz_buf b = {0};
    assert_int_equal(fz_wire_encode(&pack, &r, &b), 0);
    assert_int_equal(fz_wire_decode(&pack, b.ptr, b.len, &d), 0);
    assert_string_equal(d.file, "报告.txt");
    assert_null(d.error);
    assert_string_equal(d.doc.title, r.doc.title);
    assert_string_equal(d.doc.unit, "某县司法局");
    assert_int_equal(d.doc.year, 2023);
    assert_string_equal(d.doc.date, "2024-01-05");
    assert_string_equal(d.doc.format, r.doc.format);
    assert_int_equal(d.doc.nparas, r.doc.nparas);
    assert_int_equal(d.doc.nsections, 2);
    assert_string_equal(d.doc.sections[1].title, "存在的问题");
    assert_string_equal(fz_report_section_role(&pack, &d, 1), "problems");
    assert_int_equal(d.nresults, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_ptr_equal(d.results[i].rule, &pack.rules[i]);
        assert_int_equal(d.results[i].status, r.results[i].status);
        assert_true(d.results[i].score == r.results[i].score);
        assert_string_equal(d.results[i].message, r.results[i].message);
        assert_int_equal(d.results[i].nevidence, r.results[i].nevidence);
    }
    assert_int_equal(d.results[0].status, FZ_PARTIAL);
    assert_string_equal(d.results[0].suggestion, "补上");
    assert_int_equal(d.results[0].evidence[0].line, r.results[0].evidence[0].line);
    assert_string_equal(d.results[0].evidence[0].text, r.results[0].evidence[0].text);
    assert_true(d.score == r.score);
    assert_ptr_equal(d.grade, r.grade); /* points into the pack again */
    assert_int_equal(d.required_gaps, 1);
    fz_report_free(&d);

    /* every cut is refused, and so is a byte too many */
    for (size_t n = 0; n < b.len; n++) {
        assert_int_equal(fz_wire_decode(&pack, b.ptr, n, &d), -1);
        fz_report_free(&d);
    }
    fz_buf_append(&b, "x", 1);
    assert_int_equal(fz_wire_decode(&pack, b.ptr, b.len, &d), -1);
    fz_report_free(&d);
    fz_buf_free(&b);
    fz_report_free(&r);
}

/* The pairing with last year's report: its promises and gaps too. */
static void previous_survives_the_trip(void **state) {
    (void)state;
    fz_report r, d;
    report_of(&pack, text, &r);
    r.file = strdup("报告.txt");
    fz_prev_summary *p = calloc(1, sizeof *p);
    assert_non_null(p);
    r.previous = p;
    p->file = strdup("去年.txt");
    p->score = 71.5;
    p->reused = 0.25;
    p->problems_reused = -1;
    p->plan_reused = 1;
    p->has_promises = 1;
    p->npromises = 2;
    p->promises = calloc(2, sizeof *p->promises);
    p->promises[0] = (fz_prev_promise){strdup("推进执法改革"), 1, 12, 3, strdup("（一）执法改革"), 7};
    p->promises[1] = (fz_prev_promise){strdup("加强复议"), 0, 0, 0, NULL, FZ_NONE};
    p->ngaps = 1;
    p->gaps = calloc(1, sizeof *p->gaps);
    p->gaps[0] = (fz_prev_gap){strdup("a"), FZ_FAIL, FZ_PARTIAL};
    fz_buf b = {0};
    assert_int_equal(fz_wire_encode(&pack, &r, &b), 0);
    assert_int_equal(fz_wire_decode(&pack, b.ptr, b.len, &d), 0);
    const fz_prev_summary *q = d.previous;
    assert_non_null(q);
    assert_string_equal(q->file, "去年.txt");
    assert_null(q->grade);
    assert_true(q->score == 71.5 && q->reused == 0.25 && q->problems_reused == -1 && q->plan_reused == 1);
    assert_int_equal(q->has_promises, 1);
    assert_int_equal(q->npromises, 2);
    assert_string_equal(q->promises[0].text, "推进执法改革");
    assert_true(q->promises[0].followed && q->promises[0].line == 12 && q->promises[0].page == 3);
    assert_string_equal(q->promises[0].evidence, "（一）执法改革");
    assert_int_equal(q->promises[0].para, FZ_NONE); /* the worker's paragraph stays there */
    assert_false(q->promises[1].followed);
    assert_null(q->promises[1].evidence);
    assert_int_equal(q->ngaps, 1);
    assert_string_equal(q->gaps[0].rule, "a");
    assert_int_equal(q->gaps[0].was, FZ_FAIL);
    assert_int_equal(q->gaps[0].now, FZ_PARTIAL);
    assert_string_equal(fz_prev_gap_label(&q->gaps[0]), "部分整改");
    fz_report_free(&d);
    for (size_t n = 0; n < b.len; n++) {
        assert_int_equal(fz_wire_decode(&pack, b.ptr, n, &d), -1);
        fz_report_free(&d);
    }
    fz_buf_free(&b);
    fz_report_free(&r);
}

/* Lengths that claim more than the message holds allocate nothing big. */
static void lying_counts_are_refused(void **state) {
    (void)state;
    unsigned char bad[64];
    memset(bad, 0xFF, sizeof bad); /* NULL strings, then huge counts */
    fz_report d;
    assert_int_equal(fz_wire_decode(&pack, (const char *)bad, sizeof bad, &d), -1);
    fz_report_free(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_report_survives_the_trip),
        cmocka_unit_test(previous_survives_the_trip),
        cmocka_unit_test(lying_counts_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
