/*
 * The items of a plan and their accounts a year later (promise.c): items
 * as subheadings with bodies, as 一是/二是 in one paragraph, as sentences;
 * an account in other words is found, one sharing only the common verbs
 * (推进, 加强, 建设) is not.
 */
#include "helpers.h"
#include "promise.h"
#include "textkey.h"

typedef struct {
    char *head[FZ_PROMISE_MAX], *body[FZ_PROMISE_MAX];
    size_t n;
} items;

static int keep(void *ctx, const char *head, size_t hn, const char *body, size_t bn) {
    items *it = ctx;
    assert_true(it->n < FZ_PROMISE_MAX);
    it->head[it->n] = strndup(head, hn);
    it->body[it->n] = strndup(body, bn);
    it->n++;
    return 0;
}

static void items_free(items *it) {
    for (size_t i = 0; i < it->n; i++) {
        free(it->head[i]);
        free(it->body[i]);
    }
    it->n = 0;
}

/* The items of the paragraphs from the one starting with `from` on. */
static void items_of(const char *text, const char *from, items *it) {
    fz_doc d = doc_of(text);
    uint8_t *mask = calloc(d.norm.n, 1);
    assert_non_null(mask);
    int on = 0;
    for (size_t p = 0; p < d.norm.n; p++) {
        if (!strncmp(d.norm.paras[p].text, from, strlen(from))) on = 1;
        mask[p] = (uint8_t)on;
    }
    memset(it, 0, sizeof *it);
    assert_int_equal(fz_promise_items(&d, mask, keep, it), 0);
    free(mask);
    fz_doc_free(&d);
}

static const char *head_text = "某区司法局关于2023年度法治政府建设情况的报告\n一、主要举措\n做了工作。\n";

static void subheadings_are_items_with_their_bodies(void **state) {
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s二、2024年工作安排\n（一）推进行政复议法贯彻实施。设立复议受理窗口，推行调解和解。\n"
                                "（二）加强公共法律服务体系建设。推进村（社区）法律顾问全覆盖。\n", head_text);
    items it;
    items_of(text, "二、", &it);
    assert_int_equal(it.n, 2);
    assert_string_equal(it.head[0], "推进行政复议法贯彻实施");
    assert_string_equal(it.body[0], "设立复议受理窗口，推行调解和解。");
    assert_string_equal(it.head[1], "加强公共法律服务体系建设");
    items_free(&it);
}

static void enumerated_items_in_one_paragraph_are_each_an_item(void **state) {
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s二、2024年工作安排\n一是深化法治思想学习，组织专题学习；二是推进执法监督体系建设，"
                                "开展案卷评查；三是加强公共法律服务，推进法律顾问全覆盖。\n", head_text);
    items it;
    items_of(text, "二、", &it);
    assert_int_equal(it.n, 3);
    assert_string_equal(it.head[0], "一是深化法治思想学习");
    assert_string_equal(it.body[0], "组织专题学习；");
    assert_string_equal(it.head[2], "三是加强公共法律服务");
    items_free(&it);
    /* the same split at 。: a paragraph that starts with 一是 */
    snprintf(text, sizeof text, "%s二、2024年工作安排\n一是深化法治思想学习。二是推进执法监督体系建设。"
                                "三是加强公共法律服务。\n", head_text);
    items_of(text, "二、", &it);
    assert_int_equal(it.n, 3);
    assert_string_equal(it.head[1], "二是推进执法监督体系建设");
    items_free(&it);
    /* 一是 inside a clause is not an item */
    snprintf(text, sizeof text, "%s二、2024年工作安排\n继续推进“一是一、二是二”的作风建设。全面完成普法规划。\n", head_text);
    items_of(text, "二、", &it);
    assert_int_equal(it.n, 2);
    assert_string_equal(it.head[0], "继续推进“一是一、二是二”的作风建设");
    items_free(&it);
}

/* A promise as the fingerprint keeps it. */
static fz_promise promise(const char *head, const char *body) {
    fz_buf h = {0}, b = {0};
    assert_true(fz_key_of(head, strlen(head), &h) >= 0 && fz_key_of(body, strlen(body), &b) >= 0);
    return (fz_promise){strdup(head), fz_buf_steal(&h), fz_buf_steal(&b)};
}

static void accounts_in_other_words_are_found_and_common_verbs_are_not(void **state) {
    (void)state;
    fz_doc d = doc_of("某区司法局关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n"
                      "（一）新行政复议法落地见效。新修订的行政复议法施行后，开设行政复议申请窗口，以调解、和解方式结案31件。\n"
                      "（二）推进执法队伍建设。加强队伍建设，推进制度建设，完善体系建设，建设工作机制。\n"
                      "（三）普法工作转向精准化。对普法责任单位开展履职评议。\n"
                      "二、存在的不足\n人员不足。\n");
    uint8_t *mask = calloc(d.norm.n, 1);
    for (size_t p = 0; p < d.norm.n; p++) mask[p] = d.norm.paras[p].text[0] != 0 && p >= 2 && p <= 5;
    fz_promise ps[3] = {promise("推进新修订的行政复议法贯彻实施", "设立行政复议受理窗口，推行行政复议调解和解。"),
                        promise("加强公共法律服务体系建设", "推进村（社区）法律顾问全覆盖。"),
                        promise("开展八五普法中期评估", "组织开展八五普法中期检查评估。")};
    fz_promise_matcher *m = fz_promise_matcher_new(&d, mask, ps, 3);
    assert_non_null(m);
    double share;
    size_t p = fz_promise_account(m, &ps[0], 0.3, &share);
    assert_int_not_equal(p, FZ_NONE);
    assert_non_null(strstr(d.norm.paras[p].text, "行政复议"));
    /* 加强, 建设, 体系, 推进 are everywhere: they do not make an account */
    assert_int_equal(fz_promise_account(m, &ps[1], 0.3, &share), FZ_NONE);
    assert_true(share < 0.3);
    /* the 普法 paragraph shares a word or two: not enough */
    assert_int_equal(fz_promise_account(m, &ps[2], 0.6, NULL), FZ_NONE);
    fz_promise_matcher_free(m);
    for (size_t i = 0; i < 3; i++) {
        free(ps[i].label);
        free(ps[i].head);
        free(ps[i].body);
    }
    free(mask);
    fz_doc_free(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(subheadings_are_items_with_their_bodies),
        cmocka_unit_test(enumerated_items_in_one_paragraph_are_each_an_item),
        cmocka_unit_test(accounts_in_other_words_are_found_and_common_verbs_are_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
