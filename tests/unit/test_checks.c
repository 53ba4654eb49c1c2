/* Stage 5: each check kind, scopes, roles and composition, on small
 * inline reports. */
#include "helpers.h"
#include "evalctx.h"
#include "regex.h"

static const char *pack_yaml =
    "scoring: {partial: 0.5}\n"
    "grades: [{name: 合格, min: 60}, {name: 不合格, min: 0}]\n"
    "roles:\n"
    "  problems: {title: 存在问题, headings: ['存在(的)?(问题|不足)']}\n"
    "  plan: {title: 下一年度安排, headings: ['下一(步|年)', '\\d{4}年.{0,10}(安排|重点工作)']}\n"
    "  duty: {title: 第一责任人, headings: [第一责任人]}\n"
    "scopes:\n"
    "  body: {title: 正文, exclude: [problems, plan]}\n"
    "rules:\n"
    "  - {id: sec, title: t, category: c, severity: required, points: 10, basis: b,\n"
    "     message: m, suggestion: s, check: {kind: section, role: problems, min_length: 10}}\n"
    "  - {id: sec-pat, title: t, category: c, severity: info, points: 1, basis: b,\n"
    "     message: m, suggestion: s, check: {kind: section, headings: ['^第一责任人'], scope: body}}\n"
    "  - id: three\n"
    "    title: 三项制度\n"
    "    category: c\n"
    "    severity: recommended\n"
    "    points: 9\n"
    "    basis: b\n"
    "    message: '缺少：{missing}；已有：{found}'\n"
    "    suggestion: s\n"
    "    check:\n"
    "      kind: presence\n"
    "      scope: body\n"
    "      items:\n"
    "        - {name: 公示, patterns: [执法公示, 公示制度]}\n"
    "        - {name: 全过程记录, patterns: [全过程记录]}\n"
    "        - {name: 法制审核, patterns: ['法制审核(?!人员)']}\n"
    "  - id: gate\n"
    "    title: t\n"
    "    category: c\n"
    "    severity: recommended\n"
    "    points: 4\n"
    "    basis: b\n"
    "    message: m\n"
    "    suggestion: s\n"
    "    check: {kind: presence, scope: body, require: [第一责任人], any: [述法, 亲自督办], partial_at: 0}\n"
    "  - id: near\n"
    "    title: t\n"
    "    category: c\n"
    "    severity: recommended\n"
    "    points: 4\n"
    "    basis: b\n"
    "    message: m\n"
    "    suggestion: s\n"
    "    check: {kind: presence, require: [第一责任人], within: section, all: [述法, 法律顾问]}\n"
    "  - id: figs\n"
    "    title: t\n"
    "    category: c\n"
    "    severity: recommended\n"
    "    points: 10\n"
    "    basis: b\n"
    "    message: '{count} 处'\n"
    "    suggestion: s\n"
    "    check: {kind: figures, scope: body, keywords: [双随机], related: [抽查], window: 1}\n"
    "  - id: year\n"
    "    title: t\n"
    "    category: c\n"
    "    severity: recommended\n"
    "    points: 4\n"
    "    basis: b\n"
    "    message: '应写 {expected} 年'\n"
    "    suggestion: '写成 {expected} 年'\n"
    "    check: {kind: year, role: plan}\n"
    "  - {id: docno, title: t, category: c, severity: info, points: 2, basis: b, message: m,\n"
    "     suggestion: s, check: {kind: field, field: doc_number, pattern: ['〔\\d{4}〕[1-9]\\d*号$'], missing: na}}\n"
    "  - {id: old, title: t, category: c, severity: info, points: 2, basis: b, message: '{found}',\n"
    "     suggestion: s, check: {kind: absence, items: [{name: 《新法》, patterns: ['《旧法》']}]}}\n"
    "  - id: either\n"
    "    title: t\n"
    "    category: c\n"
    "    severity: required\n"
    "    points: 5\n"
    "    basis: b\n"
    "    message: m\n"
    "    suggestion: s\n"
    "    applies_if: [执法]\n"
    "    check:\n"
    "      kind: any\n"
    "      checks:\n"
    "        - {kind: section, role: duty, scope: body}\n"
    "        - {kind: presence, scope: body, all: [亲自部署, 亲自督办]}\n"
    "  - id: both\n"
    "    title: t\n"
    "    category: c\n"
    "    severity: info\n"
    "    points: 2\n"
    "    basis: b\n"
    "    message: m\n"
    "    suggestion: s\n"
    "    check:\n"
    "      kind: all\n"
    "      checks:\n"
    "        - {kind: section, role: problems}\n"
    "        - {kind: section, role: plan}\n";

PACK_FIXTURE(pack_yaml)

static void section_pass_partial_fail(void **state) {
    (void)state;
    assert_int_equal(status_of(&pack, "一、工作\n做了。\n二、存在的问题\n人员不足，装备不足，经费不足。\n", "sec"), FZ_PASS);
    assert_int_equal(status_of(&pack, "一、工作\n二、存在的问题\n少。\n", "sec"), FZ_PARTIAL);
    assert_int_equal(status_of(&pack, "一、工作\n做了很多很多很多工作。\n", "sec"), FZ_FAIL);
    /* any level counts: a （三） subsection */
    assert_int_equal(status_of(&pack, "一、总体\n（三）存在的不足。人员不足，装备不足，经费不足。\n", "sec"), FZ_PASS);
    /* a heading pattern, not a role; inside the plan it does not count */
    assert_int_equal(status_of(&pack, "一、第一责任人履职\n", "sec-pat"), FZ_PASS);
    assert_int_equal(status_of(&pack, "一、下一步安排\n（一）第一责任人履职\n", "sec-pat"), FZ_FAIL);
}

static void presence_items_give_partial_credit(void **state) {
    (void)state;
    fz_report r;
    report_of(&pack, "一、工作\n落实执法公示制度和重大执法决定法制审核。\n", &r);
    const fz_result *res = result_of(&r, "three");
    assert_int_equal(res->status, FZ_PARTIAL);
    assert_true(res->ratio > 0.66 && res->ratio < 0.67);
    assert_true(res->score > 5.9 && res->score < 6.1);
    assert_string_equal(res->message, "缺少：全过程记录；已有：公示、法制审核");
    /* none found: the empty list reads 无 */
    fz_report none;
    report_of(&pack, "一、工作\n做了很多工作。\n", &none);
    assert_string_equal(result_of(&none, "three")->message, "缺少：公示、全过程记录、法制审核；已有：无");
    fz_report_free(&none);
    /* both found in one sentence: one quote shows both */
    assert_int_equal(res->nevidence, 1);
    assert_int_equal(res->evidence[0].line, 2);
    assert_string_equal(res->evidence[0].section, "一、工作");
    assert_int_equal(res->evidence[0].sec, 0);
    fz_report_free(&r);
    /* found in two paragraphs: a quote of each */
    report_of(&pack, "一、工作\n落实执法公示制度。\n（一）审核\n重大执法决定法制审核。\n", &r);
    res = result_of(&r, "three");
    assert_int_equal(res->nevidence, 2);
    assert_int_equal(res->evidence[0].line, 2);
    assert_int_equal(res->evidence[1].line, 4);
    assert_int_equal(res->evidence[1].sec, 1);
    assert_string_equal(res->evidence[1].section, "（一）审核");
    fz_report_free(&r);
    assert_int_equal(status_of(&pack, "落实执法公示、全过程记录、法制审核制度。\n", "three"), FZ_PASS);
    /* traps: staff are not the system; a promise in the plan is not done */
    assert_int_equal(status_of(&pack, "我局有2名法制审核人员。\n", "three"), FZ_FAIL);
    assert_int_equal(status_of(&pack, "一、工作\n做了。\n二、下一步打算\n落实执法公示、全过程记录、法制审核。\n", "three"), FZ_FAIL);
    assert_int_equal(status_of(&pack, "三、存在问题\n执法公示、全过程记录、法制审核不到位。\n", "three"), FZ_FAIL);
}

static void presence_require_gates_credit(void **state) {
    (void)state;
    assert_int_equal(status_of(&pack, "全年开展述法。\n", "gate"), FZ_FAIL);
    assert_int_equal(status_of(&pack, "制定第一责任人职责清单。\n", "gate"), FZ_PARTIAL);
    assert_int_equal(status_of(&pack, "履行第一责任人职责，年终述法。\n", "gate"), FZ_PASS);
}

static void presence_within_the_section_of_the_mention(void **state) {
    (void)state;
    /* 法律顾问 in another section does not count for the 第一责任人 account */
    assert_int_equal(status_of(&pack, "（一）领导\n履行第一责任人职责，年终述法。\n（二）其他\n聘请法律顾问。\n",
                               "near"), FZ_PARTIAL);
    assert_int_equal(status_of(&pack, "（一）领导\n履行第一责任人职责，年终述法。\n聘请法律顾问。\n（二）其他\n",
                               "near"), FZ_PASS);
    /* without headings the whole scope counts */
    assert_int_equal(status_of(&pack, "履行第一责任人职责。\n年终述法。\n聘请法律顾问。\n", "near"), FZ_PASS);
}

/* A lookaround pattern over a long paragraph overflowed PCRE2's default
 * JIT stack and was then scored "not found". */
static void long_paragraphs_do_not_lose_matches(void **state) {
    (void)state;
    fz_pack p;
    assert_int_equal(pack_setup(
        "grades: [{name: 合格, min: 0}]\n"
        "rules:\n"
        "  - {id: r, title: t, category: c, severity: info, points: 1, basis: b, message: m,\n"
        "     suggestion: s, check: {kind: presence, any: ['执法(?:(?!。).)*公示']}}\n", &p), 0);
    size_t n = 6000;
    char *text = malloc(n * 6 + 32);
    assert_non_null(text);
    strcpy(text, "执法");
    for (size_t i = 0; i < n; i++) strcat(text + (i ? strlen(text) - 6 : 0), "工作");
    strcat(text, "公示。\n");
    assert_int_equal(status_of(&p, text, "r"), FZ_PASS);
    free(text);
    fz_pack_free(&p);
}

static void figures_need_a_count_in_the_sentence(void **state) {
    (void)state;
    struct { const char *text; fz_status want; } cases[] = {
        {"开展双随机抽查81家次，发现问题24个。\n", FZ_PASS},
        {"纳入双随机对象134家。\n", FZ_PASS},
        {"双随机抽查覆盖率100%。\n", FZ_PASS},
        {"开展双随机抽查三十余次。\n", FZ_PASS},
        {"落实双随机一公开制度。\n", FZ_FAIL},                 /* a mention only */
        {"开展双随机一公开多次抽查。\n", FZ_FAIL},             /* 多次 is no figure */
        {"2024年开展双随机一公开工作。\n", FZ_FAIL},          /* a year */
        {"按照双随机抽查事项清单（第三版）执行，第3次修订。\n", FZ_FAIL}, /* ordinals */
        {"双随机一公开：1、制定计划；2、组织实施。\n", FZ_FAIL}, /* list labels */
        {"双随机一公开于6月5日启动。\n", FZ_FAIL},           /* a date */
        {"落实双随机一公开。全年抽查企业56家次。\n", FZ_PASS}, /* related, next sentence */
        {"落实双随机一公开。公开执法信息9条。\n", FZ_FAIL},   /* next sentence, other matter */
        {"落实双随机一公开。\n全年抽查企业56家次。\n", FZ_FAIL}, /* another paragraph */
        {"一、工作\n做了。\n二、下一步\n开展双随机抽查100家次。\n", FZ_FAIL}, /* a plan */
        {"全年检查企业56家次。\n", FZ_FAIL},                  /* no keyword */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fz_status got = status_of(&pack, cases[i].text, "figs");
        if (got != cases[i].want)
            fail_msg("case %zu (%s): got %s, want %s", i, cases[i].text, fz_status_name(got),
                     fz_status_name(cases[i].want));
    }
}

static void year_of_the_plan(void **state) {
    (void)state;
    fz_report r;
    report_of(&pack, "关于2023年度法治政府建设情况的报告\n一、工作\n四、2024年工作安排\n重点做好以下工作。\n", &r);
    assert_int_equal(result_of(&r, "year")->status, FZ_PASS);
    fz_report_free(&r);
    report_of(&pack, "关于2023年度法治政府建设情况的报告\n一、工作\n四、2023年工作安排\n", &r);
    const fz_result *res = result_of(&r, "year");
    assert_int_equal(res->status, FZ_FAIL);
    assert_string_equal(res->message, "应写 2024 年");
    assert_string_equal(res->suggestion, "写成 2024 年");
    fz_report_free(&r);
    assert_int_equal(status_of(&pack, "关于2023年度法治政府建设情况的报告\n一、工作\n四、下一步工作打算\n继续努力。\n", "year"), FZ_PARTIAL);
    /* the year may stand in the opening sentence of the plan */
    assert_int_equal(status_of(&pack, "关于2023年度法治政府建设情况的报告\n四、下一步工作打算\n2024年，我局将重点做好以下工作。\n", "year"), FZ_PASS);
    /* no report year, or no plan: not applicable */
    assert_int_equal(status_of(&pack, "法治政府建设情况报告\n四、下一步工作打算\n", "year"), FZ_NA);
    assert_int_equal(status_of(&pack, "关于2023年度法治政府建设情况的报告\n一、工作\n", "year"), FZ_NA);
}

static void field_and_absence(void **state) {
    (void)state;
    assert_int_equal(status_of(&pack, "某局文件\n某环字〔2024〕1号\n报告\n", "docno"), FZ_PASS);
    assert_int_equal(status_of(&pack, "某局文件\n某环字[2024]01号\n报告\n", "docno"), FZ_FAIL);
    assert_int_equal(status_of(&pack, "报告\n", "docno"), FZ_NA);
    fz_report r;
    report_of(&pack, "一、学习\n学习《旧法》和《新法》。\n", &r);
    const fz_result *res = result_of(&r, "old");
    assert_int_equal(res->status, FZ_FAIL);
    assert_string_equal(res->message, "“《旧法》”（应为《新法》）");
    assert_int_equal(res->evidence[0].line, 2);
    fz_report_free(&r);
    assert_int_equal(status_of(&pack, "学习《新法》。\n", "old"), FZ_PASS);
}

static void any_all_and_applies_if(void **state) {
    (void)state;
    assert_int_equal(status_of(&pack, "执法工作。\n二、第一责任人履职情况\n内容。\n", "either"), FZ_PASS);
    assert_int_equal(status_of(&pack, "执法工作，亲自部署。\n", "either"), FZ_PARTIAL);
    assert_int_equal(status_of(&pack, "执法工作。\n", "either"), FZ_FAIL);
    assert_int_equal(status_of(&pack, "没有相关工作。\n", "either"), FZ_NA);
    assert_int_equal(status_of(&pack, "一、存在问题\n二、下一步\n", "both"), FZ_PASS);
    assert_int_equal(status_of(&pack, "一、存在问题\n", "both"), FZ_FAIL);
}

/* The report's grams (evalctx.c): a pattern list that fz_patterns_live
 * calls dead matches in no paragraph, and fz_match_any finds in each
 * paragraph what running every pattern would, over random reports. */
static void prefilter_of_a_report_is_sound(void **state) {
    (void)state;
    static const char *const sources[] = {
        "(法治|依法治|依法行政)[^。]{0,12}领导小组", "(例如|比如)[^。]{0,6}(办理|查处)",
        "主要负责(人|同志)", "集体学法", "领导(小组|班子)?会议", "审核{1,2}件", "复议"};
    static const char *const pieces[] = {"法治", "依法", "行政", "领导", "小组", "班子", "会议",
                                         "例如", "比如", "办理", "查处", "主要负责", "人", "同志",
                                         "集体", "学法", "审", "核", "件", "复", "议", "工作", "。",
                                         /* and whole matches now and then */
                                         "依法行政领导小组", "比如查处", "审核件", "领导班子会议"};
    enum { NPAT = sizeof sources / sizeof *sources, NPIECE = sizeof pieces / sizeof *pieces };
    fz_pattern pats[NPAT];
    for (size_t i = 0; i < NPAT; i++) {
        char *err = NULL;
        pats[i] = (fz_pattern){NULL, NULL, fz_regex_compile(sources[i], &err)};
        assert_non_null(pats[i].re);
    }
    unsigned long seed = 7;
    size_t dead = 0, found = 0;
    for (int t = 0; t < 300; t++) {
        fz_buf text = {0};
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        int lines = 1 + (int)((seed >> 33) % 5);
        for (int l = 0; l < lines; l++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            int n = 1 + (int)((seed >> 33) % 5);
            for (int j = 0; j < n; j++) {
                seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                assert_int_equal(fz_buf_puts(&text, pieces[(seed >> 33) % NPIECE]), 0);
            }
            assert_int_equal(fz_buf_puts(&text, "。\n"), 0);
        }
        fz_doc d = doc_of(text.ptr);
        fz_ctx x = {.doc = &d};
        /* each pattern alone, and pairs of neighbours */
        for (size_t i = 0; i < NPAT; i++)
            for (size_t w = 1; w <= 2 && i + w <= NPAT; w++) {
                fz_patterns ps = {&pats[i], w};
                int live = fz_patterns_live(&x, &ps);
                dead += !live;
                for (size_t p = 0; p < d.norm.n; p++) {
                    const fz_para *para = &d.norm.paras[p];
                    size_t best = SIZE_MAX, bend = 0;
                    for (size_t k = 0; k < w; k++) {
                        size_t a, b;
                        if (fz_regex_find(ps.v[k].re, para->text, para->len, 0, &a, &b) == 1 && a < best)
                            best = a, bend = b;
                    }
                    if (best != SIZE_MAX && !live)
                        fail_msg("called dead although %s matches: %s", sources[i], para->text);
                    size_t ms = 0, me = 0;
                    int m = fz_match_any(&x, &ps, p, 0, para->len, &ms, &me);
                    assert_int_equal(m, best != SIZE_MAX);
                    if (m) {
                        assert_int_equal(ms, best);
                        assert_int_equal(me, bend);
                        found++;
                    }
                }
            }
        fz_ctx_release(&x);
        fz_doc_free(&d);
        fz_buf_free(&text);
    }
    print_message("report prefilter: %zu dead lists, %zu matches\n", dead, found);
    assert_true(dead > 300);
    assert_true(found > 300);
    for (size_t i = 0; i < NPAT; i++) fz_regex_free(pats[i].re);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(section_pass_partial_fail),
        cmocka_unit_test(presence_items_give_partial_credit),
        cmocka_unit_test(presence_require_gates_credit),
        cmocka_unit_test(presence_within_the_section_of_the_mention),
        cmocka_unit_test(long_paragraphs_do_not_lose_matches),
        cmocka_unit_test(figures_need_a_count_in_the_sentence),
        cmocka_unit_test(year_of_the_plan),
        cmocka_unit_test(field_and_absence),
        cmocka_unit_test(any_all_and_applies_if),
        cmocka_unit_test(prefilter_of_a_report_is_sound),
    };
    return cmocka_run_group_tests_name("checks", tests, setup, teardown);
}
