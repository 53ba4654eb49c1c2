/* Stage 2: normalized paragraphs and the map back to original lines. */
#include "helpers.h"
#include "normalize.h"

static fz_norm norm_of(const char *text) {
    fz_text t;
    char *err = NULL;
    assert_int_equal(fz_read_memory(text, strlen(text), "t.txt", &t, &err), 0);
    fz_norm n;
    assert_int_equal(fz_normalize(&t, &n, &err), 0);
    fz_text_free(&t);
    return n;
}

static void line_cleaning(void **state) {
    (void)state;
    struct { const char *in, *out; } cases[] = {
        {"2023 年全年共检查 81 家次", "2023年全年共检查81家次"},
        {"２０２３年ＡＢＣ", "2023年ABC"},
        {"(一) 加强领导", "（一）加强领导"},
        {"（一）加强领导", "（一）加强领导"},
        {"## **三、存在的问题**", "三、存在的问题"},
        {"[bookmark: _Toc123]（六）加强普法", "（六）加强普法"},
        {"合格率 100 ％", "合格率100%"},
        {"刘 品", "刘品"},
        {"PM2.5 浓度", "PM2.5浓度"},
        {"SO2 and NOx", "SO2 and NOx"},
        {"1 2 3", "1 2 3"},
        {"- 3 -", ""},
        {"— 12 —", ""},
        {"第 3 页 共 10 页", ""},
        {"---", ""},
        {"　　首行缩进的段落。", "首行缩进的段落。"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = fz_normalize_line(cases[i].in, strlen(cases[i].in));
        assert_non_null(got);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
}

static void joins_wrapped_lines_across_blank_lines(void **state) {
    (void)state;
    /* a docx conversion cut one paragraph into two, with blank lines */
    fz_norm n = norm_of(
        "（一）全面压实法治建设责任，局主要领导对法治建设重要工作亲自部署，认真落实党支部会、局务会\n"
        "\n\n"
        "学法制度、领导干部学法制度，不断提升能力。\n"
        "（二）第二项工作。\n");
    assert_int_equal(n.n, 2);
    assert_non_null(strstr(n.paras[0].text, "局务会学法制度"));
    assert_int_equal(fz_para_line_at(&n.paras[0], 0), 1);
    size_t off = (size_t)(strstr(n.paras[0].text, "学法制度") - n.paras[0].text);
    assert_int_equal(fz_para_line_at(&n.paras[0], off), 4);
    assert_int_equal(fz_para_line_at(&n.paras[1], 0), 5);
    fz_norm_free(&n);
}

/* PDF extraction: every line about 25 characters, blank lines between. */
static const char *wrapped =
    "某某县司法局\n\n"
    "2023 年法治政府建设情况\n\n"
    "报告\n\n"
    "按照县委、县政府的部署，现将我局推进法治政府建设\n\n"
    "工作情况报告如下：\n\n"
    "一是加强组织领导。\n\n"
    "成立了法治政府建设工作领导小组，由局长任组长，\n\n"
    "分管领导任副组长，定期研究部署法治建设工作，全年\n\n"
    "召开专题会议 4 次。推行行政执法公示制度执法全过\n\n"
    "程记录制度重大执法决定法制审核制度，公示执法信息\n\n"
    "126 条，确保执法规范。落实双随机一公开抽查制度，\n"
    "\n\n\n"
    "全年抽查 52 家次。持续加强执法队伍建设，组织开展\n\n"
    "执法培训，提升执法人员的业务能力和综合素质水平。\n\n"
    "二是存在问题\n\n"
    "执法力量不足，装备不够完善，由于编制所限，人员紧\n\n"
    "张。\n\n";

static void joins_hard_wrapped_pdf_text(void **state) {
    (void)state;
    fz_norm n = norm_of(wrapped);
    assert_true(n.hard_wrapped);
    /* title pieces stay separate lines; the body is joined */
    assert_string_equal(n.paras[0].text, "某某县司法局");
    assert_string_equal(n.paras[1].text, "2023年法治政府建设情况");
    assert_string_equal(n.paras[2].text, "报告");
    assert_string_equal(n.paras[3].text,
                        "按照县委、县政府的部署，现将我局推进法治政府建设工作情况报告如下：");
    assert_string_equal(n.paras[4].text, "一是加强组织领导。");
    assert_non_null(strstr(n.paras[5].text, "执法全过程记录制度重大执法决定法制审核制度"));
    /* across the page break (three blank lines) */
    assert_non_null(strstr(n.paras[5].text, "抽查制度，全年抽查52家次"));
    assert_string_equal(n.paras[6].text, "二是存在问题");
    assert_non_null(strstr(n.paras[7].text, "人员紧张。"));
    assert_int_equal(n.n, 8);
    fz_norm_free(&n);
}

static void keeps_header_fields_apart(void **state) {
    (void)state;
    fz_norm n = norm_of(
        "某某市某某局文件\n"
        "某局发〔2024〕3号\n"
        "签发人：张 三\n"
        "某某市某某局关于2023年度法治政府建设情况的报告\n"
        "市委、市政府：\n"
        "正文第一段写得很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长。\n"
        "特此报告\n"
        "某某市某某局\n"
        "2024年1月5日\n");
    assert_int_equal(n.n, 9);
    assert_string_equal(n.paras[2].text, "签发人：张三");
    assert_string_equal(n.paras[7].text, "某某市某某局");
    assert_string_equal(n.paras[8].text, "2024年1月5日");
    fz_norm_free(&n);
}

static void folds_patterns_like_text(void **state) {
    (void)state;
    char *p = fz_normalize_pattern("\\(一\\)|（二）|(三)|[(（]四|２０２４");
    assert_non_null(p);
    assert_string_equal(p, "（一）|（二）|(三)|[(（]四|2024");
    free(p);
}

/* PDF text layers hold Kangxi radicals and compatibility ideographs that
 * look like the ideographs: "⼀、⼯作" must read as "一、工作". */
static void radicals_become_ideographs(void **state) {
    (void)state;
    char *s = fz_normalize_line("⼀、主要⼯作和成效，加强⻓效机制", strlen("⼀、主要⼯作和成效，加强⻓效机制"));
    assert_string_equal(s, "一、主要工作和成效，加强长效机制");
    free(s);
    /* a compatibility ideograph (U+F9DC) */
    s = fz_normalize_line("\xEF\xA7\x9C", 3);
    assert_string_equal(s, "隆");
    free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(radicals_become_ideographs),
        cmocka_unit_test(line_cleaning),
        cmocka_unit_test(joins_wrapped_lines_across_blank_lines),
        cmocka_unit_test(joins_hard_wrapped_pdf_text),
        cmocka_unit_test(keeps_header_fields_apart),
        cmocka_unit_test(folds_patterns_like_text),
    };
    return cmocka_run_group_tests_name("normalize", tests, NULL, NULL);
}
