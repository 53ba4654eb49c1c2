/* Stage 4: packs that extend a pack (pack_chain.c, rules_overlay.c). */
#include "helpers.h"

#include <sys/stat.h>

#define BASE_RULE(id, points, check) \
    "  - id: " id "\n" \
    "    title: 标题" id "\n" \
    "    category: 类别\n" \
    "    severity: recommended\n" \
    "    points: " #points "\n" \
    "    basis: 依据\n" \
    "    message: 问题\n" \
    "    suggestion: 建议\n" \
    "    check: " check "\n"

/* A base pack in two files (a directory), as the default is. */
static const char base_common[] =
    "pack: {name: 基础包, version: \"1.0\"}\n"
    "grades:\n"
    "  - {name: 合格, min: 60}\n"
    "  - {name: 不合格, min: 0}\n"
    "roles:\n"
    "  problems:\n"
    "    title: 存在的不足\n"
    "    headings: [存在的问题]\n"
    "unit_types:\n"
    "  政府:\n"
    "    description: 地方人民政府\n"
    "    names: ['人民政府$']\n"
    "  执法部门:\n"
    "    description: 有执法职责的部门\n"
    "    names: ['局$']\n";

static const char base_rules[] =
    "rules:\n"
    BASE_RULE("problems", 15, "{kind: section, role: problems}")
    BASE_RULE("petition", 5, "{kind: presence, any: [信访]}")
    BASE_RULE("number", 2, "{kind: field, field: doc_number, missing: na}")
    "tests:\n"
    "  - name: 有问题部分\n"
    "    text: |\n"
    "      某县水利局关于2023年度法治政府建设情况的报告\n"
    "      一、存在的问题\n"
    "      执法力量不足，执法装备不够。\n"
    "    expect: {problems: pass, petition: fail, number: na}\n";

static char dir[64];

static void put(const char *name, const char *text) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0755);
    *slash = '/';
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/fzoverlay-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    put("base/00-pack.yaml", base_common);
    put("base/10-rules.yaml", base_rules);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* Loads the pack at dir/name; the messages, with dir shown as "D". */
static int load(const char *name, fz_pack *p, char **errors) {
    char path[256], *raw = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = fz_pack_load(path, p, &raw);
    *errors = NULL;
    if (raw) {
        size_t dl = strlen(dir);
        char *out = malloc(strlen(raw) + 1), *o = out;
        assert_non_null(out);
        for (const char *s = raw; *s;)
            if (!strncmp(s, dir, dl)) *o++ = 'D', s += dl;
            else *o++ = *s++;
        *o = '\0';
        *errors = out;
        free(raw);
    }
    return rc;
}

static const fz_rule *rule(const fz_pack *p, const char *id) {
    for (size_t i = 0; i < p->nrules; i++)
        if (!strcmp(p->rules[i].id, id)) return &p->rules[i];
    return NULL;
}

static void disables_overrides_and_adds(void **state) {
    (void)state;
    put("city.yaml",
        "pack: {name: 本市2025年度考核规则包, version: \"2025.1\", extends: base}\n"
        "disable: [number]\n"
        "override:\n"
        "  - {id: problems, points: 20, message: 未写明存在的不足}\n"
        "rules:\n"
        BASE_RULE("local", 5, "{kind: presence, any: [复议]}"));
    fz_pack p;
    char *errs;
    int rc = load("city.yaml", &p, &errs);
    if (rc) print_error("%s", errs);
    assert_int_equal(rc, 0);
    assert_int_equal(p.nlayers, 2);
    assert_string_equal(p.layers[0].name, "基础包");
    assert_string_equal(p.layers[1].name, "本市2025年度考核规则包");
    assert_string_equal(p.name, "本市2025年度考核规则包");
    assert_string_equal(p.version, "2025.1");
    /* the base's files, then the overlay's */
    assert_int_equal(p.nfiles, 3);
    assert_int_equal(p.nrules, 3);
    assert_null(rule(&p, "number"));
    assert_int_equal(p.ndisabled, 1);
    assert_string_equal(p.disabled[0].id, "number");
    const fz_rule *pr = rule(&p, "problems");
    assert_true(pr->points == 20);
    assert_string_equal(pr->message, "未写明存在的不足");
    assert_string_equal(pr->title, "标题problems"); /* what the override left alone */
    assert_int_equal(pr->layer, 0);
    assert_int_equal(pr->overridden_by, 2);
    assert_string_equal(pr->overridden, "points、message");
    /* points and message do not change verdicts: the base's tests still hold */
    assert_int_equal(pr->verdict_layer, 0);
    assert_int_equal(rule(&p, "local")->layer, 1);
    /* the base's grades, roles and unit types are inherited */
    assert_int_equal(p.ngrades, 2);
    assert_int_equal(p.nroles, 1);
    assert_int_equal(p.nunit_types, 2);
    /* the base test's expectation on the disabled rule is skipped, the others run */
    assert_int_equal(p.ntests, 1);
    assert_int_equal(p.tests[0].n, 2);
    assert_int_equal(p.tests[0].skipped, 1);

    /* scores reflect all three changes */
    fz_report r;
    report_of(&p, "某县水利局关于2023年度法治政府建设情况的报告\n一、存在的问题\n执法力量不足。\n二、其他\n办理行政复议案件3件。\n",
              &r);
    assert_int_equal(r.nresults, 3);
    assert_int_equal(result_of(&r, "problems")->status, FZ_PASS);
    assert_true(result_of(&r, "problems")->score == 20);
    assert_int_equal(result_of(&r, "local")->status, FZ_PASS);
    assert_int_equal(result_of(&r, "petition")->status, FZ_FAIL);
    assert_true(r.points == 30);
    fz_report_free(&r);
    fz_pack_free(&p);
}

static void overlay_redefines_pack_wide_parts(void **state) {
    (void)state;
    put("parts/pack.yaml",
        "pack: {name: 区县包, extends: ../base}\n"
        "grades:\n"
        "  - {name: 好, min: 80}\n"
        "  - {name: 中, min: 50}\n"
        "  - {name: 差, min: 0}\n"
        "roles:\n"
        "  problems:\n"
        "    headings: [短板弱项]\n"
        "  plan:\n"
        "    title: 下一年度安排\n"
        "    headings: [下一步]\n"
        "unit_types:\n"
        "  垂直管理部门:\n"
        "    description: 上级垂直管理的单位\n"
        "    names: ['税务局$']\n"
        "  政府:\n"
        "    description: 县区人民政府\n"
        "    names: ['人民政府$', '县$']\n"
        "override:\n"
        "  - id: petition\n"
        "    applies_to: [垂直管理部门]\n");
    fz_pack p;
    char *errs;
    int rc = load("parts", &p, &errs);
    if (rc) print_error("%s", errs);
    assert_int_equal(rc, 0);
    /* grades replaced whole */
    assert_int_equal(p.ngrades, 3);
    assert_string_equal(fz_pack_grade(&p, 60), "中");
    /* a role redefined keeps what it did not redefine, a new one is added */
    assert_int_equal(p.nroles, 2);
    assert_string_equal(p.roles[0].title, "存在的不足");
    assert_int_equal(p.roles[0].headings.n, 1);
    assert_string_equal(p.roles[0].headings.v[0].source, "短板弱项");
    assert_int_equal(fz_pack_scope(&p, "plan") != FZ_NO_ROLE, 1);
    /* a type the overlay adds is tried before the base's catch-all */
    assert_int_equal(p.nunit_types, 3);
    assert_string_equal(p.unit_types[0].name, "垂直管理部门");
    assert_string_equal(p.unit_types[fz_pack_type_of(&p, "某县税务局")].name, "垂直管理部门");
    assert_string_equal(p.unit_types[fz_pack_type_of(&p, "青川县")].name, "政府");
    assert_string_equal(p.unit_types[fz_pack_type_of(&p, "某县水利局")].name, "执法部门");
    /* applicability changed: the base test no longer speaks for petition */
    const fz_rule *pe = rule(&p, "petition");
    assert_int_equal(pe->verdict_layer, 1);
    assert_int_equal(p.tests[0].skipped, 1);
    assert_int_equal(status_of(&p, "某县水利局关于2023年度法治政府建设情况的报告\n一、短板弱项\n信访。\n",
                               "petition"),
                     FZ_NA);
    assert_int_equal(status_of(&p, "某县水利局关于2023年度法治政府建设情况的报告\n一、短板弱项\n信访。\n",
                               "problems"),
                     FZ_PASS);
    fz_pack_free(&p);
}

static void extends_default(void **state) {
    (void)state;
    char cwd[200], text[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    /* make test runs in the source tree: rules/ is the default pack */
    snprintf(text, sizeof text,
             "pack: {name: 本市, version: \"1\", extends: %s/rules}\n"
             "disable: doc-number-format\n",
             cwd);
    put("bydefault.yaml", text);
    fz_pack p, def;
    char *errs;
    assert_int_equal(load("bydefault.yaml", &p, &errs), 0);
    assert_int_equal(fz_pack_load("rules", &def, &errs), 0);
    assert_int_equal(p.nrules + 1, def.nrules);
    assert_int_equal(p.ntests, def.ntests);
    fz_pack_free(&def);
    fz_pack_free(&p);
}

static void expect(const char *name, const char *text, const char *want) {
    put(name, text);
    fz_pack p;
    char *errs;
    assert_int_equal(load(name, &p, &errs), -1);
    assert_non_null(errs);
    int same = !strcmp(errs, want);
    if (!same) print_error("got:\n%s\nexpected:\n%s", errs, want);
    free(errs);
    assert_true(same);
}

static void broken_overlays_name_the_place(void **state) {
    (void)state;
    expect("e1.yaml",
           "pack: {name: 坏, extends: base}\n"
           "disable: [nope]\n"
           "override:\n"
           "  - {id: nope2, points: 1}\n"
           "  - {id: problems, check: {kind: presence, any: [问题]}}\n",
           "D/e1.yaml:2:11: /disable/0: disable 中的规则“nope”不存在于所继承的规则包中（用 fzcheck rules list 查看规则 id）\n"
           "D/e1.yaml:4:10: /override/0/id: override 中的规则“nope2”不存在于所继承的规则包中（用 fzcheck rules list 查看规则 id）\n"
           "D/e1.yaml:5:27: /override/1/check: override 不能改变规则“problems”的检查方式（kind）：要换一种检查，请 disable 它并另写一条规则\n");
    expect("e2.yaml",
           "pack: {name: 坏, extends: base}\n"
           "rules:\n" BASE_RULE("problems", 15, "{kind: section, role: problems}"),
           "D/e2.yaml:3:9: /rules/0/id: 规则“problems”已在所继承的规则包中定义（D/base/10-rules.yaml:2）："
           "要修改它，请写在 override 中（如 override: [{id: problems, points: 20}]）；要另写一条，请先 disable 它\n");
    put("c/a.yaml", "pack: {name: a, extends: b.yaml}\n");
    expect("c/b.yaml", "pack: {name: b, extends: a.yaml}\n",
           "D/c/a.yaml:1:26: extends 形成了循环：“b.yaml”已在这条继承链中\n");
    expect("e3.yaml", "pack: {name: m, extends: nowhere}\n",
           "D/e3.yaml:1:26: extends 的规则包“nowhere”不存在\n");
    expect("e4.yaml",
           "pack: {name: 坏, extends: base}\n"
           "disable: [number]\n"
           "override:\n"
           "  - {id: number, points: 1}\n",
           "D/e4.yaml:4:10: /override/0/id: override 中的规则“number”已被停用（D/e4.yaml:2）\n");
    /* a pipe named as a pack would be read without end */
    char fifo[128];
    snprintf(fifo, sizeof fifo, "%s/pipe.yaml", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    expect("e5.yaml", "pack: {name: p, extends: pipe.yaml}\n",
           "D/pipe.yaml:1:1: 规则包应为 .yaml 文件或包含 .yaml 文件的目录\n");
    /* a pack that extends nothing has nothing to disable */
    expect("base/20-more.yaml", "disable: [problems]\n",
           "D/base/20-more.yaml:1:11: /disable/0: disable 只用于继承其他规则包的规则包：请先在 pack 中写 extends（如 extends: default）\n");
    char path[128];
    snprintf(path, sizeof path, "%s/base/20-more.yaml", dir);
    unlink(path);
}

/* An inherited rule the pack disabled may be defined anew under its id. */
static void a_disabled_rule_can_be_replaced(void **state) {
    (void)state;
    put("replace.yaml",
        "pack: {name: 换, extends: base}\n"
        "disable: [petition]\n"
        "rules:\n" BASE_RULE("petition", 8, "{kind: presence, any: [信访工作条例]}"));
    fz_pack p;
    char *errs;
    int rc = load("replace.yaml", &p, &errs);
    if (rc) print_error("%s", errs);
    assert_int_equal(rc, 0);
    const fz_rule *pe = rule(&p, "petition");
    assert_non_null(pe);
    assert_true(pe->points == 8);
    assert_int_equal(pe->layer, 1);
    /* the base test's expectation was written for the old rule */
    assert_int_equal(p.tests[0].skipped, 1);
    fz_pack_free(&p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(disables_overrides_and_adds),
        cmocka_unit_test(overlay_redefines_pack_wide_parts),
        cmocka_unit_test(extends_default),
        cmocka_unit_test(broken_overlays_name_the_place),
        cmocka_unit_test(a_disabled_rule_can_be_replaced),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
