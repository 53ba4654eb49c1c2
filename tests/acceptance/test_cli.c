/*
 * The command line as a user meets it: help, usage errors, a broken rule
 * pack, bad files in a batch, JSON to stdout, an output that cannot be
 * written, and the whole pipeline under AddressSanitizer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "yamltree.h"

static const char *bin(void) {
    const char *v = getenv("FZCHECK");
    return v && *v ? v : "build/fzcheck";
}

static char tmpdir[] = "/tmp/fzcli-XXXXXX";

/* Runs a shell command; returns its exit status; stdout and stderr go to
 * tmpdir/out and tmpdir/err. */
static int run(const char *fmt, ...) {
    char cmd[4096], full[4600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "%s > %s/out 2> %s/err", cmd, tmpdir, tmpdir);
    int rc = system(full);
    assert_true(WIFEXITED(rc));
    return WEXITSTATUS(rc);
}

static char *slurp(const char *name) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void put(const char *name, const char *content, size_t len) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(content, 1, len, f);
    fclose(f);
}

static int setup(void **state) {
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void help_version_usage(void **state) {
    (void)state;
    assert_int_equal(run("%s --help", bin()), 0);
    assert_non_null(strstr(slurp("out"), "用法"));
    assert_int_equal(run("%s --version", bin()), 0);
    assert_non_null(strstr(slurp("out"), "fzcheck "));
    assert_int_equal(run("%s", bin()), 2);
    assert_int_equal(run("%s check", bin()), 2);
    assert_non_null(strstr(slurp("err"), "请给出要检查的报告"));
    assert_int_equal(run("%s check --bogus reports", bin()), 2);
    assert_non_null(strstr(slurp("err"), "未知选项 --bogus"));
    assert_int_equal(run("%s frobnicate", bin()), 2);
}

static void broken_rule_pack_stops_everything(void **state) {
    (void)state;
    const char *bad = "grades: [{name: 合格, min: 0}]\nrules:\n  - id: BadId\n    points: 十\n";
    put("bad.yaml", bad, strlen(bad));
    char json[300];
    snprintf(json, sizeof json, "%s/never.json", tmpdir);
    assert_int_equal(run("%s check --rules %s/bad.yaml --json %s reports", bin(), tmpdir, json), 2);
    char *err = slurp("err");
    char want[400];
    snprintf(want, sizeof want, "%s/bad.yaml:3:9: /rules/0/id: “BadId”不符合要求", tmpdir);
    assert_non_null(strstr(err, want));
    snprintf(want, sizeof want, "%s/bad.yaml:4:13: /rules/0/points: 应为数字，实际为字符串“十”", tmpdir);
    assert_non_null(strstr(err, want));
    assert_non_null(strstr(err, "未进行检查"));
    assert_int_equal(access(json, F_OK), -1); /* nothing written */
    assert_int_equal(run("%s check --rules /nonexistent/rules reports", bin()), 2);
    assert_non_null(strstr(slurp("err"), "找不到规则包"));
}

static void bad_reports_do_not_stop_the_batch(void **state) {
    (void)state;
    char dir[300], cmd[700];
    snprintf(dir, sizeof dir, "%s/batch", tmpdir);
    mkdir(dir, 0755);
    snprintf(cmd, sizeof cmd, "cp reports/sifaju-2024-complete.txt %s/a-good.txt", dir);
    assert_int_equal(system(cmd), 0);
    put("batch/b-empty.txt", "", 0);
    put("batch/c-binary.txt", "\x7f" "ELF\0\0\0", 7);
    put("batch/d-word.docx", "PK\3\4", 4);
    put("batch/e-undecodable.txt", "\x80\x80\xFF\x80", 4);
    put("batch/.hidden.txt", "ignored", 7);
    put("batch/~$lock.docx", "ignored", 7);
    char json[300];
    snprintf(json, sizeof json, "%s/batch.json", tmpdir);
    assert_int_equal(run("%s check --json %s %s", bin(), json, dir), 1);
    yaml_document_t d;
    assert_int_equal(yt_load(json, &d), 0);
    yaml_node_t *reports = yt_get(&d, yaml_document_get_root_node(&d), "reports");
    assert_int_equal(yt_len(reports), 5);
    const char *errors[] = {NULL, "文件为空", "不是文本文件", "已损坏", "无法识别文字编码"};
    for (size_t i = 0; i < 5; i++) {
        yaml_node_t *r = yt_at(&d, reports, i);
        yaml_node_t *e = yt_get(&d, r, "error");
        if (!errors[i]) {
            assert_null(e); /* null members are left out */
            /* a result for every rule of the pack */
            yaml_node_t *rules = yt_get(&d, yaml_document_get_root_node(&d), "pack");
            assert_int_equal(yt_len(yt_get(&d, r, "results")), atoi(yt_str(yt_get(&d, rules, "count"))));
            assert_true(yt_len(yt_get(&d, r, "results")) >= 14);
            assert_string_equal(yt_str(yt_get(&d, r, "grade")), "优秀");
        } else {
            assert_non_null(strstr(yt_str(e), errors[i]));
            /* no score or grade: left out, as null members are */
            assert_null(yt_get(&d, r, "score"));
            assert_null(yt_get(&d, r, "grade"));
            assert_non_null(yt_get(&d, r, "required_gaps"));
        }
    }
    yaml_document_delete(&d);
    /* the text report names every file and the reason */
    assert_int_equal(run("%s check %s", bin(), dir), 1);
    char *out = slurp("out");
    assert_non_null(strstr(out, "无法检查：文件为空"));
    assert_non_null(strstr(out, "共 5 份报告"));
    assert_null(strstr(out, "hidden"));
    /* a path that does not exist is a report that cannot be read */
    assert_int_equal(run("%s check %s/nope.txt reports/sifaju-2024-complete.txt", bin(), tmpdir), 1);
    assert_non_null(strstr(slurp("out"), "文件不存在"));
}

static void exit_zero_when_every_required_rule_passes(void **state) {
    (void)state;
    assert_int_equal(run("%s check reports/sifaju-2024-complete.txt", bin()), 0);
    assert_int_equal(run("%s check reports/shijianju-2023-gaps.md", bin()), 1);
}

static void json_to_stdout_is_only_json(void **state) {
    (void)state;
    assert_int_equal(run("%s check --json - reports/sifaju-2024-complete.txt", bin()), 0);
    char *out = slurp("out");
    assert_true(out[0] == '{');
    assert_null(strstr(out, "汇总"));
    char path[300];
    snprintf(path, sizeof path, "%s/out", tmpdir);
    yaml_document_t d;
    assert_int_equal(yt_load(path, &d), 0);
    yaml_node_t *root = yaml_document_get_root_node(&d);
    assert_string_equal(yt_str(yt_get(&d, root, "tool")), "fzcheck");
    yaml_node_t *r = yt_at(&d, yt_get(&d, root, "reports"), 0);
    assert_string_equal(yt_str(yt_get(&d, r, "doc_number")), "清司发〔2025〕3号");
    assert_string_equal(yt_str(yt_get(&d, r, "date")), "2025-01-20");
    yaml_node_t *sec = yt_at(&d, yt_get(&d, r, "sections"), 0);
    assert_string_equal(yt_str(yt_get(&d, sec, "role")), "achievements");
    yaml_node_t *res = yt_at(&d, yt_get(&d, r, "results"), 0);
    yaml_node_t *ev = yt_at(&d, yt_get(&d, res, "evidence"), 0);
    assert_true(atoi(yt_str(yt_get(&d, ev, "line"))) > 0);
    yaml_document_delete(&d);
}

static void unwritable_output_is_an_error_but_the_report_is_shown(void **state) {
    (void)state;
    assert_int_equal(run("%s check --json /nonexistent/dir/r.json reports/sifaju-2024-complete.txt",
                         bin()), 2);
    assert_non_null(strstr(slurp("err"), "无法写入"));
    assert_non_null(strstr(slurp("out"), "清河市司法局"));
    /* an existing file is replaced whole, and no temporary file is left */
    char json[300];
    snprintf(json, sizeof json, "%s/keep.json", tmpdir);
    put("keep.json", "old", 3);
    assert_int_equal(run("%s check --json %s reports/sifaju-2024-complete.txt", bin(), json), 0);
    assert_true(strstr(slurp("keep.json"), "\"tool\"") != NULL);
    assert_int_equal(run("ls %s | grep -c tmp-", tmpdir), 1); /* grep found none */
}

static void outline_shows_the_structure(void **state) {
    (void)state;
    assert_int_equal(run("%s outline reports/jiaoyuju-2023-pdf.txt", bin()), 0);
    char *out = slurp("out");
    assert_non_null(strstr(out, "白沙县教育局"));
    assert_non_null(strstr(out, "第一部分主要举措和成效  [achievements]"));
    assert_non_null(strstr(out, "检测到硬换行"));
}

/* Found by review: a FIFO hung the batch, a link back to its own folder
 * was walked forever, --json replaced symbolic links and devices, and a
 * file of page numbers only was scored. */
static void hostile_files_and_targets(void **state) {
    (void)state;
    char dir[64], cmd[1024];
    snprintf(dir, sizeof dir, "%s/hostile", tmpdir);
    mkdir(dir, 0755);
    snprintf(cmd, sizeof cmd,
             "cp reports/sifaju-2024-complete.txt %s/a.txt && mkfifo %s/fifo.txt && "
             "ln -s . %s/self && ln -s . %s/self2 && printf -- '- 1 -\n---\n第 2 页\n' > %s/pages.txt",
             dir, dir, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(run("timeout 60 %s check %s", bin(), dir), 1);
    char *out = slurp("out");
    assert_non_null(strstr(out, "共 3 份报告"));
    assert_non_null(strstr(out, "不是普通文件"));
    assert_non_null(strstr(out, "没有正文"));
    /* --json through a symbolic link writes the file it points to */
    snprintf(cmd, sizeof cmd, "echo old > %s/target.json && ln -s target.json %s/link.json", tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(run("%s check --json %s/link.json %s/a.txt", bin(), tmpdir, dir), 0);
    assert_int_equal(run("test -L %s/link.json", tmpdir), 0);
    assert_non_null(strstr(slurp("target.json"), "\"tool\""));
    /* a device is written to, not replaced */
    assert_int_equal(run("%s check --json /dev/null %s/a.txt", bin(), dir), 0);
    assert_int_equal(run("test -c /dev/null"), 0);
}

/* Each deliberately broken rule file gives exactly the messages in its
 * .expected file (file, line, column, JSON pointer, text) and exit 2. */
static void broken_rule_files(void **state) {
    (void)state;
    const char *dir = "tests/fixtures/bad-rules";
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t checked = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".yaml")) continue;
        assert_int_equal(run("%s rules check %s/%s", bin(), dir, e->d_name), 2);
        char got[1 << 14];
        snprintf(got, sizeof got, "%s", slurp("err"));
        char path[512];
        snprintf(path, sizeof path, "%s/%.*s.expected", dir, (int)(l - 5), e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) fail_msg("missing %s", path);
        char want[1 << 14];
        size_t n = fread(want, 1, sizeof want - 1, f);
        want[n] = '\0';
        fclose(f);
        if (strcmp(got, want)) fail_msg("%s:\ngot:\n%s\nexpected:\n%s", e->d_name, got, want);
        checked++;
    }
    closedir(d);
    assert_true(checked >= 10);
}

/* A syntax error in one file of a pack is reported once, in Chinese, with
 * the line and a caret; the rules and tests that file held do not bring
 * dozens of messages that only follow from it. A file saved as GBK is
 * reported at its first bad byte. */
static void a_broken_file_in_a_pack_is_one_message(void **state) {
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf %s/bp && cp -r rules %s/bp && "
             "sed -i 's/^  - id: problems$/ - id: problems/' %s/bp/10-statutory.yaml",
             tmpdir, tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(run("%s rules check %s/bp", bin(), tmpdir), 2);
    const char *err = slurp("err");
    assert_non_null(strstr(err, "10-statutory.yaml:"));
    assert_non_null(strstr(err, "YAML 语法错误：缩进"));
    assert_non_null(strstr(err, "     - id: problems\n     ^\n"));
    assert_null(strstr(err, "不存在的规则"));
    size_t lines = 0;
    for (const char *c = err; *c; c++) lines += *c == '\n';
    assert_true(lines <= 5);
    assert_int_equal(run("%s check --rules %s/bp reports", bin(), tmpdir), 2);
    assert_string_equal(slurp("out"), "");
}

/* The default pack's own tests, and the commands a rule author uses. */
static void rule_commands(void **state) {
    (void)state;
    assert_int_equal(run("%s rules test rules", bin()), 0);
    assert_non_null(strstr(slurp("out"), "0 项失败"));
    assert_int_equal(run("%s rules check rules", bin()), 0);
    assert_non_null(strstr(slurp("out"), "校验通过"));
    assert_int_equal(run("%s rules list rules", bin()), 0);
    assert_non_null(strstr(slurp("out"), "double-random-data"));
    assert_int_equal(run("%s rules frobnicate", bin()), 2);
    /* a failing rule test is reported with the rule and both verdicts */
    char pack[300];
    snprintf(pack, sizeof pack, "%s/pack", tmpdir);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "cp -r rules %s && sed -i 's/three-systems: partial/three-systems: pass/' "
             "%s/90-tests.yaml", pack, pack);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(run("%s rules test %s", bin(), pack), 1);
    assert_non_null(strstr(slurp("out"), "规则 three-systems 应为 pass，实际为 partial"));
}

/* A result's status in a report, and its rule's points from the rules
 * listed once at the top (JSON format 3). */
static const char *status_in(yaml_document_t *d, yaml_node_t *report, const char *id,
                             const char **points) {
    yaml_node_t *rules = yt_get(d, yaml_document_get_root_node(d), "rules");
    for (size_t i = 0; points && i < yt_len(rules); i++)
        if (!strcmp(yt_str(yt_get(d, yt_at(d, rules, i), "id")), id))
            *points = yt_str(yt_get(d, yt_at(d, rules, i), "points"));
    yaml_node_t *results = yt_get(d, report, "results");
    for (size_t i = 0; i < yt_len(results); i++) {
        yaml_node_t *r = yt_at(d, results, i);
        if (!strcmp(yt_str(yt_get(d, r, "id")), id)) return yt_str(yt_get(d, r, "status"));
    }
    return NULL;
}

/* The README's example of a city's pack, as a user would save it: it
 * disables a rule, changes another's points and adds its own. */
static void the_readme_overlay_pack(void **state) {
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "sed -n '/^# 本市2025.yaml$/,/^```$/p' README.md | sed '$d' > %s/本市2025.yaml", tmpdir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(run("%s rules check %s/本市2025.yaml", bin(), tmpdir), 0);
    assert_non_null(strstr(slurp("out"), "新增 1 条，修改 1 条，停用 1 条"));
    assert_int_equal(run("%s rules test %s/本市2025.yaml", bin(), tmpdir), 0);
    assert_non_null(strstr(slurp("out"), "0 项失败"));
    assert_int_equal(run("%s check --rules %s/本市2025.yaml --json %s/city.json reports/sifaju-2024-complete.txt",
                         bin(), tmpdir, tmpdir), 0);
    char path[300];
    snprintf(path, sizeof path, "%s/city.json", tmpdir);
    yaml_document_t d;
    assert_int_equal(yt_load(path, &d), 0);
    yaml_node_t *root = yaml_document_get_root_node(&d), *rules = yt_get(&d, root, "pack");
    assert_string_equal(yt_str(yt_get(&d, rules, "name")), "本市2025年度考核规则包");
    assert_int_equal(yt_len(yt_get(&d, rules, "chain")), 2);
    assert_string_equal(yt_str(yt_at(&d, yt_get(&d, rules, "disabled"), 0)), "doc-number-format");
    yaml_node_t *r = yt_at(&d, yt_get(&d, root, "reports"), 0);
    const char *points = NULL;
    assert_null(status_in(&d, r, "doc-number-format", NULL));
    assert_string_equal(status_in(&d, r, "problems", &points), "pass");
    assert_string_equal(points, "20");
    assert_non_null(status_in(&d, r, "local-petition", NULL));
    yaml_document_delete(&d);

    /* a broken overlay names the place, stops with 2 and writes nothing */
    const char bad[] = "pack: {name: 坏, extends: default}\ndisable: [doc-numbr-format]\n";
    put("坏.yaml", bad, sizeof bad - 1);
    assert_int_equal(run("%s check --rules %s/坏.yaml --json %s/bad.json reports/sifaju-2024-complete.txt",
                         bin(), tmpdir, tmpdir), 2);
    assert_non_null(strstr(slurp("err"), "坏.yaml:2:11: /disable/0: disable 中的规则“doc-numbr-format”不存在"));
    assert_null(slurp("bad.json"));
}

/* The whole pipeline on every report we have, under ASan + UBSan with
 * leak detection: a sanitizer report changes the exit status. */
static void sanitizers_on_all_reports(void **state) {
    (void)state;
    const char *asan = getenv("FZCHECK_ASAN");
    if (!asan || !*asan) fail_msg("FZCHECK_ASAN is not set");
    const char *seeds = getenv("SEEDS");
    int rc = run("ASAN_OPTIONS=detect_leaks=1:exitcode=23 LSAN_OPTIONS=suppressions=tests/lsan.supp "
                 "%s check --json %s/all.json --xlsx %s/all.xlsx reports tests/fixtures/variants "
                 "tests/fixtures/formats tests/fixtures/hostile tests/fixtures/fuzz %s %s/batch",
                 asan, tmpdir, tmpdir, seeds && *seeds ? seeds : "../shared/seeds", tmpdir);
    if (rc > 1) fail_msg("exit %d:\n%s", rc, slurp("err"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_version_usage),
        cmocka_unit_test(broken_rule_pack_stops_everything),
        cmocka_unit_test(bad_reports_do_not_stop_the_batch),
        cmocka_unit_test(exit_zero_when_every_required_rule_passes),
        cmocka_unit_test(json_to_stdout_is_only_json),
        cmocka_unit_test(unwritable_output_is_an_error_but_the_report_is_shown),
        cmocka_unit_test(outline_shows_the_structure),
        cmocka_unit_test(hostile_files_and_targets),
        cmocka_unit_test(broken_rule_files),
        cmocka_unit_test(rule_commands),
        cmocka_unit_test(the_readme_overlay_pack),
        cmocka_unit_test(a_broken_file_in_a_pack_is_one_message),
        cmocka_unit_test(sanitizers_on_all_reports),
    };
    return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}
