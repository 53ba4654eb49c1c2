/* Stage 3: header fields, the section tree, sentences. */
#include "helpers.h"

static const char *report =
    "某某市人民政府办公室文件\n"
    "某政办〔2024〕7号\n"
    "签发人：李 四\n"
    "\n"
    "某某市司法局关于2023年度法治政府建设情况的报告\n"
    "市委、市政府：\n"
    "现将有关情况报告如下：\n"
    "一、2023年度推进法治政府建设的主要举措和成效\n"
    "（一）加强组织领导。一是召开党组会议。二是落实责任。\n"
    "1.健全制度。制定制度3项。\n"
    "(二) 推进依法行政\n"
    "（1）规范执法。\n"
    "二、存在的不足和原因\n"
    "三、2024年工作安排\n"
    "# 这一行是 Markdown 标题但不是章节\n"
    "某某市司法局\n"
    "2024年1月10日\n";

static void finds_header_fields(void **state) {
    (void)state;
    fz_doc d = doc_of(report);
    assert_string_equal(d.title, "某某市司法局关于2023年度法治政府建设情况的报告");
    assert_int_equal(d.title_line, 5);
    assert_string_equal(d.unit, "某某市司法局");
    assert_int_equal(d.year, 2023);
    assert_string_equal(d.doc_number, "某政办〔2024〕7号");
    assert_string_equal(d.date, "2024-01-10");
    fz_doc_free(&d);
}

static void builds_section_tree(void **state) {
    (void)state;
    fz_doc d = doc_of(report);
    assert_int_equal(d.nsections, 7);
    const fz_section *s = d.sections;
    assert_int_equal(s[0].level, 1);
    assert_string_equal(s[0].number, "一");
    assert_string_equal(s[0].title, "2023年度推进法治政府建设的主要举措和成效");
    assert_int_equal(s[0].line, 8);
    assert_int_equal(s[1].level, 2);
    assert_string_equal(s[1].marker, "（一）");
    assert_string_equal(s[1].title, "加强组织领导"); /* ends at the first 。 */
    assert_int_equal(s[1].parent, 0);
    assert_int_equal(s[2].level, 3);
    assert_string_equal(s[2].number, "1");
    assert_string_equal(s[2].title, "健全制度");
    assert_int_equal(s[2].parent, 1);
    assert_int_equal(s[3].level, 2); /* (二) half-width */
    assert_string_equal(s[3].title, "推进依法行政");
    assert_int_equal(s[3].parent, 0);
    assert_int_equal(s[4].level, 3); /* （1） */
    assert_int_equal(s[5].level, 1);
    assert_string_equal(s[5].title, "存在的不足和原因");
    assert_int_equal(s[6].level, 1);
    assert_int_equal(s[6].parent, FZ_NONE);
    /* the subtree of 一、 ends where 二、 begins */
    assert_int_equal(s[0].end_para, s[5].para);
    fz_doc_free(&d);
}

static void part_headings_and_standalone_shi(void **state) {
    (void)state;
    fz_doc d = doc_of(
        "某县财政局2023年法治政府建设工作报告\n"
        "第一部分 主要工作\n"
        "一是加强学习。\n"
        "全年组织学法12次，一是学宪法，二是学民法典。\n"
        "第二部分：存在问题\n"
        "人员不足。\n");
    assert_int_equal(d.nsections, 3);
    assert_int_equal(d.sections[0].level, 1);
    assert_string_equal(d.sections[0].number, "一");
    assert_string_equal(d.sections[0].title, "主要工作");
    /* with 第X部分 headings, a standalone 一是 line is a minor heading */
    assert_int_equal(d.sections[1].level, 4);
    assert_string_equal(d.sections[1].marker, "一是");
    assert_string_equal(d.sections[2].title, "存在问题");
    fz_doc_free(&d);
}

static void cn_headings_nest_under_parts(void **state) {
    (void)state;
    fz_doc d = doc_of(
        "第一部分 主要举措和成效\n"
        "一、依法决策\n"
        "（一）健全制度。\n"
        "第二部分 2024年工作安排\n"
        "一、加强学习\n"
        "二、规范执法\n");
    assert_int_equal(d.nsections, 6);
    assert_int_equal(d.sections[1].level, 2);
    assert_int_equal(d.sections[1].parent, 0);
    assert_int_equal(d.sections[2].level, 3);
    assert_int_equal(d.sections[4].parent, 3);
    assert_int_equal(d.sections[5].parent, 3);
    assert_int_equal(d.sections[3].end_para, 6); /* the plan holds its items */
    fz_doc_free(&d);
}

static void shi_lines_as_top_level(void **state) {
    (void)state;
    fz_doc d = doc_of(
        "一是机构健全，领导重视。\n"
        "成立领导小组。一是制定方案，二是明确分工，这不是标题。\n"
        "二是存在问题\n"
        "问题较多。\n");
    assert_int_equal(d.nsections, 2);
    assert_int_equal(d.sections[0].level, 1);
    assert_string_equal(d.sections[0].title, "机构健全，领导重视");
    assert_string_equal(d.sections[1].title, "存在问题");
    fz_doc_free(&d);
}

static void inline_enumeration_is_not_a_heading(void **state) {
    (void)state;
    fz_doc d = doc_of(
        "一、主要举措\n"
        "一是加强领导，成立了由主要负责人任组长的领导小组，定期研究法治建设工作，全年召开专题会议多次，"
        "研究解决重大问题。二是完善制度。\n");
    assert_int_equal(d.nsections, 1);
    fz_doc_free(&d);
}

static void year_without_title_year(void **state) {
    (void)state;
    fz_doc d = doc_of(
        "法治政府建设情况报告\n"
        "2023年，我局坚持以习近平法治思想为指导，依法履行职责，取得了较好成效，为本地经济社会发展提供了有力的法治保障。\n"
        "一、2023年法治政府建设情况\n");
    assert_string_equal(d.title, "法治政府建设情况报告");
    assert_null(d.unit);
    assert_int_equal(d.year, 2023);
    fz_doc_free(&d);
}

static void chinese_numeral_year_and_ranges(void **state) {
    (void)state;
    fz_doc d = doc_of("关于二〇二三年度法治政府建设情况的报告\n正文。\n");
    assert_int_equal(d.year, 2023);
    assert_null(d.unit);
    fz_doc_free(&d);
    d = doc_of("落实《纲要（2021-2025年）》情况的法治建设报告\n2022年以来，我们做了工作。\n");
    assert_int_equal(d.year, 2022); /* 2025年 ends a range: not the report year */
    fz_doc_free(&d);
}

static void splits_sentences(void **state) {
    (void)state;
    fz_doc d = doc_of("第一句。第二句！“第三句？”第四句；最后没有句号\n");
    assert_int_equal(d.nsentences, 5);
    const fz_para *p = &d.norm.paras[0];
    const fz_sentence *s = &d.sentences[2];
    char *third = strndup(p->text + s->start, s->end - s->start);
    assert_string_equal(third, "“第三句？”");
    free(third);
    fz_doc_free(&d);
}

static void unit_from_banner_or_signature(void **state) {
    (void)state;
    fz_doc d = doc_of("某某县水利局文件\n法治政府建设工作总结\n一、工作\n做了工作。\n");
    assert_string_equal(d.unit, "某某县水利局");
    fz_doc_free(&d);
    d = doc_of("法治政府建设工作总结\n一、工作\n做了工作。\n某某县水利局\n二〇二四年一月八日\n");
    assert_string_equal(d.unit, "某某县水利局");
    assert_string_equal(d.date, "2024-01-08");
    fz_doc_free(&d);
}

/* A report copied from a government site keeps the page's breadcrumb and
 * publishing line: they are not the title, the unit or the text. */
static void web_page_lines_are_dropped(void **state) {
    (void)state;
    fz_doc d = doc_of("当前位置：首页 > 政务公开 > 法治政府建设 > 年度报告\n\n"
                      "兰汀市人民政府国有资产监督管理委员会2024年度法治政府建设情况报告\n\n"
                      "来源：市国资委　　发布时间：2025-02-14　　浏览次数：\n\n"
                      "2024年，市国资委坚持依法行政。\n一、主要工作\n做了工作。\n");
    assert_string_equal(d.title, "兰汀市人民政府国有资产监督管理委员会2024年度法治政府建设情况报告");
    assert_int_equal(d.year, 2024);
    for (size_t p = 0; p < d.norm.n; p++) {
        assert_null(strstr(d.norm.paras[p].text, "首页"));
        assert_null(strstr(d.norm.paras[p].text, "浏览次数"));
    }
    fz_doc_free(&d);
    /* a sentence that mentions publishing is text */
    d = doc_of("某县司法局关于2023年度法治政府建设情况的报告\n一、主要工作\n在政府网站公开发布时间、地点等信息12条。\n");
    assert_non_null(strstr(d.norm.paras[2].text, "发布时间"));
    fz_doc_free(&d);
}

/* "我镇在县委、县政府的坚强领导……下" is a self-reference and its
 * circumstances, not a joint name; the file name names the town. */
static void self_reference_is_no_unit(void **state) {
    (void)state;
    const char *text = "2022年法治政府建设工作报告\n\n2022年，我镇在县委、县政府的坚强领导和县委全面依法治县委员会办公室的具体指导下，坚持依法行政。现将有关情况报告如下。\n一、主要工作\n做了工作。\n";
    fz_doc d = doc_of(text);
    assert_null(d.unit);
    fz_doc_free(&d);
    d = doc_of_file(text, "reports/柳塘镇2022年法治政府建设工作报告.txt");
    assert_string_equal(d.unit, "柳塘镇");
    fz_doc_free(&d);
}

/* A short form of the unit is completed where the report signs itself or
 * in the file name. */
static void short_unit_names_are_completed(void **state) {
    (void)state;
    fz_doc d = doc_of("临岫市2024年法治政府建设年度报告\n一、主要工作\n审核规范性文件26件。\n临岫市人民政府\n2025年2月18日\n");
    assert_string_equal(d.unit, "临岫市人民政府");
    fz_doc_free(&d);
    const char *text = "2021年，县农业农村局在县委、县政府的坚强领导下，坚持依法行政。现将全年工作情况总结如下。\n一、主要工作\n做了工作。\n";
    d = doc_of_file(text, "x/梅江县农业农村局2021年法治政府建设工作总结.txt");
    assert_string_equal(d.unit, "梅江县农业农村局");
    fz_doc_free(&d);
    /* a signature of another unit does not replace the title's */
    d = doc_of("青川县水利局关于2023年度法治政府建设情况的报告\n一、主要工作\n做了工作。\n青川县人民政府\n2024年2月1日\n");
    assert_string_equal(d.unit, "青川县水利局");
    fz_doc_free(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_unit_names_are_completed),
        cmocka_unit_test(web_page_lines_are_dropped),
        cmocka_unit_test(self_reference_is_no_unit),
        cmocka_unit_test(finds_header_fields),
        cmocka_unit_test(builds_section_tree),
        cmocka_unit_test(part_headings_and_standalone_shi),
        cmocka_unit_test(cn_headings_nest_under_parts),
        cmocka_unit_test(shi_lines_as_top_level),
        cmocka_unit_test(inline_enumeration_is_not_a_heading),
        cmocka_unit_test(year_without_title_year),
        cmocka_unit_test(chinese_numeral_year_and_ranges),
        cmocka_unit_test(splits_sentences),
        cmocka_unit_test(unit_from_banner_or_signature),
    };
    return cmocka_run_group_tests_name("segment", tests, NULL, NULL);
}
