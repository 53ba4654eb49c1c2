/* Stage 4: loading and validating rule packs. */
#include "helpers.h"

#define HEAD \
    "grades:\n" \
    "  - {name: 合格, min: 60}\n" \
    "  - {name: 不合格, min: 0}\n" \
    "roles:\n" \
    "  plan:\n" \
    "    title: 下一年度安排\n" \
    "    headings: [下一步]\n"

#define RULE(check) \
    "rules:\n" \
    "  - id: r1\n" \
    "    title: 标题\n" \
    "    category: 类别\n" \
    "    severity: required\n" \
    "    points: 10\n" \
    "    basis: 依据\n" \
    "    message: 问题\n" \
    "    suggestion: 建议\n" \
    "    check: " check "\n"

static void loads_a_valid_pack(void **state) {
    (void)state;
    fz_pack p;
    char *errs = NULL;
    assert_int_equal(pack_of(HEAD RULE("{kind: section, role: plan, min_length: 5}"), &p, &errs), 0);
    assert_null(errs);
    assert_int_equal(p.nrules, 1);
    assert_string_equal(p.rules[0].id, "r1");
    assert_int_equal(p.rules[0].severity, FZ_SEV_REQUIRED);
    assert_true(p.rules[0].points == 10);
    assert_int_equal(p.rules[0].check.kind, FZ_CHECK_SECTION);
    assert_int_equal(p.rules[0].check.min_length, 5);
    assert_int_equal(p.nroles, 1);
    /* document, header, and one scope per role */
    assert_int_equal(p.nscopes, 3);
    assert_string_equal(fz_pack_grade(&p, 75), "合格");
    assert_string_equal(fz_pack_grade(&p, 10), "不合格");
    assert_string_equal(p.fail_grade, "不合格");
    assert_true(p.nunits > 10); /* default units when the pack names none */
    fz_pack_free(&p);
}

/* Each broken pack gives exactly these messages. */
static void expect_errors(const char *yaml, const char *expected) {
    fz_pack p;
    char *errs = NULL;
    assert_int_equal(pack_of(yaml, &p, &errs), -1);
    assert_non_null(errs);
    int same = !strcmp(errs, expected);
    if (!same) print_error("got:\n%s\nexpected:\n%s", errs, expected);
    free(errs);
    assert_true(same);
}

static void yaml_syntax_error(void **state) {
    (void)state;
    expect_errors("rules:\n  - id: [unclosed\n",
                  "rules.yaml:3:1: YAML 语法错误：方括号 [ ] 没有闭合，或列表项之间缺少逗号"
                  "（did not find expected ',' or ']'）\n"
                  "    常见原因：缩进没有对齐、用了制表符（Tab）、引号或括号没有闭合、冒号后面缺少空格；"
                  "出错的地方可能在这一行，也可能在它的上一行。\n");
}

static void unknown_key_and_wrong_type(void **state) {
    (void)state;
    expect_errors(HEAD
                  "rules:\n"
                  "  - id: r1\n"
                  "    titel: 标题\n"
                  "    title: 标题\n"
                  "    category: 类别\n"
                  "    severity: required\n"
                  "    points: \"十\"\n"
                  "    basis: 依据\n"
                  "    message: 问题\n"
                  "    suggestion: 建议\n"
                  "    check: {kind: section, role: plan}\n",
                  "rules.yaml:10:5: /rules/0/titel: 不允许的键“titel”（可用的键：id、title、category、"
                  "severity、points、basis、message、suggestion、link、applies_if、applies_to、not_for、unknown_type、check）\n"
                  "rules.yaml:14:13: /rules/0/points: 应为数字，实际为字符串“十”\n");
}

static void bad_regex_names_pattern_and_offset(void **state) {
    (void)state;
    expect_errors(HEAD RULE("{kind: presence, any: ['(未闭合']}"),
                  "rules.yaml:17:35: /rules/0/check/any/0: 规则“r1”中要素的正则表达式“(未闭合”无法编译：第 10 个字节处："
                  "missing closing parenthesis\n");
}

static void undefined_role_scope_and_enum(void **state) {
    (void)state;
    expect_errors(HEAD RULE("{kind: section, role: plans, scope: bodyy}"),
                  "rules.yaml:17:34: /rules/0/check/role: 未定义的角色“plans”\n"
                  "rules.yaml:17:48: /rules/0/check/scope: 未定义的范围“bodyy”\n");
    expect_errors(HEAD RULE("{kind: sectoin}"),
                  "rules.yaml:17:19: /rules/0/check/kind: 取值应为 section、presence、figures、year、field、"
                  "absence、deadline、coverage、any、all、reuse、followup 之一，实际为字符串“sectoin”\n");
    expect_errors(HEAD RULE("{kind: year, min: 3}"),
                  "rules.yaml:17:12: /rules/0/check: 缺少必填的键“role”\n"
                  "rules.yaml:17:25: /rules/0/check/min: 不允许的键“min”（可用的键：kind、at_most、role、offset）\n");
}

/* at_most caps what a check may give; na is no cap a check can have. */
static void at_most_caps_a_status(void **state) {
    (void)state;
    fz_pack p;
    char *errs = NULL;
    assert_int_equal(pack_of(HEAD RULE("{kind: presence, any: [展望], at_most: partial}"), &p, &errs), 0);
    assert_int_equal(status_of(&p, "一、工作\n有所展望。\n", "r1"), FZ_PARTIAL);
    assert_int_equal(status_of(&p, "一、工作\n什么都没有。\n", "r1"), FZ_FAIL);
    fz_pack_free(&p);
    assert_int_equal(pack_of(HEAD RULE("{kind: presence, any: [展望]}"), &p, &errs), 0);
    assert_int_equal(status_of(&p, "一、工作\n有所展望。\n", "r1"), FZ_PASS);
    fz_pack_free(&p);
    expect_errors(HEAD RULE("{kind: presence, any: [展望], at_most: na}"),
                  "rules.yaml:17:49: /rules/0/check/at_most: 取值应为 pass、partial、fail 之一，实际为字符串“na”\n");
}

static void duplicate_ids_and_missing_keys(void **state) {
    (void)state;
    /* what the schema cannot say: the same id twice */
    expect_errors(HEAD RULE("{kind: section, role: plan}")
                  "  - {id: r1, title: t, category: c, severity: info, points: 1, basis: b,\n"
                  "     message: m, suggestion: s, check: {kind: section, role: plan}}\n",
                  "rules.yaml:18:10: /rules/1/id: 规则 id“r1”重复（已在 rules.yaml:9 定义）\n");
    expect_errors(HEAD RULE("{kind: section, role: plan}")
                  "  - id: r2\n"
                  "    title: 第二条\n"
                  "    check: {kind: section, role: plan}\n",
                  "rules.yaml:18:5: /rules/1: 缺少必填的键“category”\n"
                  "rules.yaml:18:5: /rules/1: 缺少必填的键“severity”\n"
                  "rules.yaml:18:5: /rules/1: 缺少必填的键“points”\n"
                  "rules.yaml:18:5: /rules/1: 缺少必填的键“basis”\n"
                  "rules.yaml:18:5: /rules/1: 缺少必填的键“message”\n"
                  "rules.yaml:18:5: /rules/1: 缺少必填的键“suggestion”\n");
}

static void grade_bands_must_cover_zero_and_not_overlap(void **state) {
    (void)state;
    expect_errors("grades:\n"
                  "  - {name: 好, min: 60}\n"
                  "  - {name: 也好, min: 60}\n"
                  RULE("{kind: field, field: title}"),
                  "rules.yaml:3:5: /grades/1: 分数段“也好”与“好”的最低分相同（60），分数段重叠\n"
                  "rules.yaml:2:3: /grades: 分数段没有覆盖 0 分：最低的分数段应为 min: 0\n");
}

/* Found by review: each of these crashed or blew up the loader. */
static void hostile_packs_are_refused(void **state) {
    (void)state;
    expect_errors(HEAD RULE("&c {kind: any, checks: [*c]}"),
                  "rules.yaml:17:12: 规则包中不能使用 YAML 锚点和别名（& 和 *），请直接写出内容\n");
    expect_errors(HEAD RULE("{kind: presence, any: [甲], items: [乙]}"),
                  "rules.yaml:17:46: /rules/0/check/items: items、all、any 只能使用其中一个\n");
    expect_errors(HEAD RULE("{kind: presence, any: [{name: n, patterns: [y]}]}"),
                  "rules.yaml:17:35: /rules/0/check/any/0: 应为字符串，实际为映射\n");
    expect_errors(HEAD RULE("{kind: presence, any: ['法\\C']}"),
                  "rules.yaml:17:35: /rules/0/check/any/0: 规则“r1”中要素的正则表达式“法\\C”无法编译：第 5 个字节处："
                  "using \\C is disabled by the application\n");
    /* nesting deeper than any rule pack needs */
    char deep[400] = "rules: ";
    for (int i = 0; i < 70; i++) strcat(deep, "[");
    expect_errors(deep, "rules.yaml:1:71: 嵌套层数过多，不像是规则包\n");
}

static void loads_a_directory_in_name_order(void **state) {
    (void)state;
    char dir[] = "/tmp/fzpack-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[64], b[64], c[64];
    snprintf(a, sizeof a, "%s/10-rules.yaml", dir);
    snprintf(b, sizeof b, "%s/00-pack.yaml", dir);
    snprintf(c, sizeof c, "%s/notes.txt", dir);
    FILE *f = fopen(a, "w");
    fputs(RULE("{kind: section, role: plan}"), f); /* uses a role from 00-pack */
    fclose(f);
    f = fopen(b, "w");
    fputs(HEAD, f);
    fclose(f);
    f = fopen(c, "w");
    fputs("not yaml: [", f);
    fclose(f);
    fz_pack p;
    char *errs = NULL;
    assert_int_equal(fz_pack_load(dir, &p, &errs), 0);
    assert_int_equal(p.nfiles, 2);
    assert_int_equal(p.nrules, 1);
    fz_pack_free(&p);
    unlink(a);
    unlink(b);
    unlink(c);
    rmdir(dir);
}

static void the_default_pack_loads(void **state) {
    (void)state;
    fz_pack p;
    char *errs = NULL;
    int rc = fz_pack_load("rules", &p, &errs);
    if (rc) fail_msg("%s", errs);
    const char *must[] = {"achievements", "first-responsible", "three-systems", "problems",
                          "next-year-plan", "plan-year", "double-random-data"};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
        size_t j = 0;
        while (j < p.nrules && strcmp(p.rules[j].id, must[i])) j++;
        assert_true(j < p.nrules);
        assert_true(strlen(p.rules[j].basis) > 0);
        assert_true(strlen(p.rules[j].suggestion) > 0);
    }
    fz_pack_free(&p);
}

/* The default pack's unit types: by name, else by how the report speaks
 * of itself; and never a guess when it does neither. */
static void unit_types_by_name_and_by_self(void **state) {
    (void)state;
    fz_pack p;
    char *errs = NULL;
    if (fz_pack_load("rules", &p, &errs)) fail_msg("%s", errs);
    static const struct { const char *name, *type; } by_name[] = {
        {"云澜省人民政府", "省级政府"},         {"广西壮族自治区人民政府", "省级政府"},
        {"重庆市人民政府", "省级政府"},         {"重庆市渝中区人民政府", "政府"},
        {"宁川市人民政府", "政府"},             {"青川县", "政府"},
        {"中共桐坪县委桐坪县人民政府", "政府"}, {"柳塘镇", "乡镇街道"},
        {"桂苑街道办事处", "乡镇街道"},         {"某县人民政府办公室", "综合办事机构"},
        {"云泽省人民政府办公厅", "综合办事机构"}, {"鹭江高新区管委会", "开发区管委会"},
        {"兰汀市人民政府国有资产监督管理委员会", "非执法部门"}, {"某市机关事务管理局", "非执法部门"},
        {"云泽省交通运输厅", "执法部门"},       {"某县市场监督管理局", "执法部门"},
    };
    for (size_t i = 0; i < sizeof by_name / sizeof *by_name; i++) {
        size_t t = fz_pack_type_of(&p, by_name[i].name);
        if (t == FZ_NO_ROLE || strcmp(p.unit_types[t].name, by_name[i].type))
            fail_msg("%s: %s, expected %s", by_name[i].name, t == FZ_NO_ROLE ? "none" : p.unit_types[t].name,
                     by_name[i].type);
    }
    static const struct { const char *text, *type; } by_self[] = {
        {"2022年法治政府建设工作报告\n2022年，我镇坚持依法行政。\n", "乡镇街道"},
        {"2022年度法治政府建设工作情况报告\n2022年，我办立足县政府综合办事机构职能定位，推进法治建设。\n", "综合办事机构"},
        {"2022年度法治政府建设工作情况报告\n2022年，我局坚持依法行政。\n", NULL},
    };
    for (size_t i = 0; i < sizeof by_self / sizeof *by_self; i++) {
        fz_doc d = doc_of(by_self[i].text);
        fz_type_source src;
        size_t t = fz_report_unit_type(&p, &d, &src);
        if (!by_self[i].type) {
            assert_int_equal(t, FZ_NO_ROLE);
            assert_int_equal(src, FZ_TYPE_NONE);
        } else {
            assert_true(t != FZ_NO_ROLE);
            assert_string_equal(p.unit_types[t].name, by_self[i].type);
            assert_int_equal(src, FZ_TYPE_TEXT);
        }
        fz_doc_free(&d);
    }
    fz_pack_free(&p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unit_types_by_name_and_by_self),
        cmocka_unit_test(loads_a_valid_pack),
        cmocka_unit_test(yaml_syntax_error),
        cmocka_unit_test(unknown_key_and_wrong_type),
        cmocka_unit_test(bad_regex_names_pattern_and_offset),
        cmocka_unit_test(undefined_role_scope_and_enum),
        cmocka_unit_test(at_most_caps_a_status),
        cmocka_unit_test(duplicate_ids_and_missing_keys),
        cmocka_unit_test(grade_bands_must_cover_zero_and_not_overlap),
        cmocka_unit_test(hostile_packs_are_refused),
        cmocka_unit_test(loads_a_directory_in_name_order),
        cmocka_unit_test(the_default_pack_loads),
    };
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
