/*
 * main.c - the fzcheck command line.
 *
 *   fzcheck check [--rules PATH] [--json FILE|-] [--xlsx FILE] PATH...
 *   fzcheck outline [--rules PATH] FILE...
 *   fzcheck --help | --version
 *
 * Exit status: 0 every report meets every required rule; 1 some report
 * has a required gap or could not be read; 2 bad usage, a bad rule pack,
 * or an output that could not be written.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "batch.h"
#include "output.h"
#include "ruletest.h"
#include "xlsx.h"
#include "util.h"

#ifndef FZ_VERSION
#define FZ_VERSION "0.0.0"
#endif
#ifndef FZ_DATADIR
#define FZ_DATADIR "/usr/local/share/fzcheck"
#endif

static const char usage_text[] =
    "用法：\n"
    "  fzcheck check [--rules 规则包] [--json 文件|-] [--xlsx 文件] 报告或目录...\n"
    "  fzcheck outline [--rules 规则包] 报告...\n"
    "  fzcheck rules check|list|test [规则包]\n"
    "  fzcheck --help | --version\n"
    "\n"
    "检查法治政府建设年度报告是否具备规定的内容，给出得分、等级、证据和整改建议。\n"
    "\n"
    "命令：\n"
    "  check      检查报告（可给多个文件或目录，目录会递归查找 .docx、.pdf、.ofd、.txt、.md 报告）\n"
    "  outline    显示程序识别出的标题、单位、年度和章节结构（调试规则时使用）\n"
    "  rules check  校验规则包（格式、正则表达式、角色和范围、等级）并说明其内容\n"
    "  rules list   列出规则包中的规则\n"
    "  rules test   运行规则包自带的规则测试（tests）\n"
    "\n"
    "选项：\n"
    "  --rules 路径   规则包（一个 .yaml 文件或一个目录），默认使用随程序提供的规则包\n"
    "  --json 文件    另外把结果写成 JSON（- 表示输出到标准输出，此时不输出文字报告）\n"
    "  --xlsx 文件    另外写出 Excel 评分表（汇总排名、要素矩阵、问题清单、证据、规则说明）\n"
    "  --help         显示本帮助\n"
    "  --version      显示版本\n"
    "\n"
    "退出码：0 所有报告均具备全部必备要素；1 有报告缺少必备要素或无法读取；\n"
    "        2 用法错误、规则包有误或结果文件无法写入。\n"
    "环境变量：NO_COLOR 设置后不使用颜色。\n";

typedef struct {
    const char *rules;
    const char *json;
    const char *xlsx;
    char **paths;
    size_t npaths;
} options;

static int usage_error(const char *fmt, const char *arg) {
    fputs("fzcheck: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n用法见 fzcheck --help\n", stderr);
    return 2;
}

/* The default pack: rules/ beside the source tree the binary was built in
 * (build/fzcheck or build/asan/fzcheck → rules/), else the installed copy. */
static char *default_rules(void) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    struct stat st;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const up[] = {"/../rules", "/../../rules"};
            for (size_t i = 0; i < 2; i++) {
                fz_buf b = {0};
                if (fz_buf_printf(&b, "%s%s", exe, up[i]) == 0 && stat(b.ptr, &st) == 0 &&
                    S_ISDIR(st.st_mode))
                    return fz_buf_steal(&b);
                fz_buf_free(&b);
            }
        }
    }
    if (stat(FZ_DATADIR "/rules", &st) == 0) return fz_strdup(FZ_DATADIR "/rules");
    return fz_strdup("rules");
}

static int parse(int argc, char **argv, int start, options *o) {
    memset(o, 0, sizeof *o);
    o->paths = calloc((size_t)argc, sizeof *o->paths);
    if (!o->paths) return -1;
    int only_paths = 0;
    for (int i = start; i < argc; i++) {
        const char *a = argv[i];
        if (!only_paths && !strcmp(a, "--")) {
            only_paths = 1;
        } else if (!only_paths && (!strcmp(a, "--rules") || !strcmp(a, "--json") ||
                                   !strcmp(a, "--xlsx"))) {
            if (i + 1 >= argc) return usage_error("选项 %s 需要一个参数", a), 2;
            if (!strcmp(a, "--rules")) o->rules = argv[++i];
            else if (!strcmp(a, "--json")) o->json = argv[++i];
            else o->xlsx = argv[++i];
        } else if (!only_paths && !strncmp(a, "--xlsx=", 7)) {
            o->xlsx = a + 7;
        } else if (!only_paths && !strncmp(a, "--rules=", 8)) {
            o->rules = a + 8;
        } else if (!only_paths && !strncmp(a, "--json=", 7)) {
            o->json = a + 7;
        } else if (!only_paths && a[0] == '-' && a[1]) {
            return usage_error("未知选项 %s", a), 2;
        } else {
            o->paths[o->npaths++] = argv[i];
        }
    }
    if (!o->npaths) return usage_error("%s请给出要检查的报告文件或目录", ""), 2;
    if ((o->json && !*o->json) || (o->xlsx && !*o->xlsx) || (o->rules && !*o->rules))
        return usage_error("%s输出或规则包的文件名不能为空", ""), 2;
    return 0;
}

static int load_pack(const options *o, fz_pack *pack) {
    char *path = o->rules ? fz_strdup(o->rules) : default_rules();
    char *errors = NULL;
    if (!path) {
        fputs("fzcheck: " FZ_ENOMEM "\n", stderr);
        return 2;
    }
    int rc = fz_pack_load(path, pack, &errors);
    if (rc < 0) {
        fputs(errors ? errors : FZ_ENOMEM "\n", stderr);
        fprintf(stderr, "fzcheck: 规则包“%s”有误，未进行检查\n", path);
    }
    free(errors);
    free(path);
    return rc < 0 ? 2 : 0;
}

static int use_color(FILE *f) {
    const char *nc = getenv("NO_COLOR");
    return isatty(fileno(f)) && !(nc && *nc);
}

/* The outputs of one run, written as the reports are checked. */
typedef struct {
    const fz_pack *pack;
    int text;            /* the text report goes to stdout */
    int color;
    FILE *json;          /* NULL when no JSON is asked for */
    fz_atomic json_file; /* when JSON goes to a file */
    fz_xlsx *xlsx;       /* NULL when no workbook is asked for */
    fz_summary *sums;
    size_t n;
    int status;          /* exit status so far */
} run_state;

/* Opens the outputs asked for. One that cannot be opened is reported
 * (exit status 2) and left out; the others are still produced. */
static void open_outputs(const options *o, const fz_pack *pack, run_state *st) {
    memset(st, 0, sizeof *st);
    st->pack = pack;
    int json_stdout = o->json && !strcmp(o->json, "-");
    st->text = !json_stdout;
    st->color = st->text && use_color(stdout);
    char *err = NULL;
    if (json_stdout) {
        st->json = stdout;
    } else if (o->json) {
        if (fz_atomic_begin(&st->json_file, o->json, 1, &err) == 0) {
            st->json = st->json_file.f;
        } else {
            fprintf(stderr, "fzcheck: %s\n", err ? err : FZ_ENOMEM);
            st->status = 2;
        }
    }
    free(err);
    err = NULL;
    if (o->xlsx && !(st->xlsx = fz_xlsx_open(o->xlsx, pack, &err))) {
        fprintf(stderr, "fzcheck: %s\n", err ? err : FZ_ENOMEM);
        st->status = 2;
    }
    free(err);
    if (st->json) fz_json_begin(st->json, pack);
    if (st->text) fz_text_begin(stdout, pack);
}

/* Writes one checked report everywhere, keeps its summary. */
static int emit(run_state *st, const fz_report *rep, size_t i, size_t total, char **err) {
    if (st->text) fz_text_report(stdout, st->pack, rep, i, total, st->color);
    if (st->json) fz_json_report(st->json, st->pack, rep, i == 0);
    if (fz_summary_of(st->pack, rep, &st->sums[i]) < 0) return fz_fail(err, FZ_ENOMEM);
    st->n = i + 1;
    char *why = NULL;
    if (st->xlsx && fz_xlsx_report(st->xlsx, rep, &st->sums[i], &why) < 0) {
        /* the workbook is lost, but the text and JSON go on */
        fprintf(stderr, "fzcheck: %s\n", why ? why : FZ_ENOMEM);
        fz_xlsx_abort(st->xlsx);
        st->xlsx = NULL;
        st->status = 2;
    }
    free(why);
    if ((rep->error || rep->required_gaps) && st->status < 1) st->status = 1;
    return 0;
}

/* Finishes the outputs; an output that cannot be written makes the exit
 * status 2, but the others are still completed. */
static void close_outputs(run_state *st, const options *o) {
    char *err = NULL;
    if (st->text && fz_text_summary(stdout, st->pack, st->sums, st->n, st->color) < 0)
        st->status = 2;
    if (st->json) {
        if (fz_json_end(st->json, st->n > 0) < 0) st->status = 2;
        if (st->json_file.f && fz_atomic_commit(&st->json_file, &err) < 0) {
            fprintf(stderr, "fzcheck: %s\n", err ? err : FZ_ENOMEM);
            st->status = 2;
        }
    }
    free(err);
    err = NULL;
    if (st->xlsx && fz_xlsx_close(st->xlsx, st->sums, st->n, &err) < 0) {
        fprintf(stderr, "fzcheck: %s（%s）\n", err ? err : FZ_ENOMEM, o->xlsx);
        st->status = 2;
    }
    st->xlsx = NULL;
    free(err);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "fzcheck: 无法输出结果到标准输出\n");
        st->status = 2;
    }
}

static void abort_outputs(run_state *st) {
    if (st->json_file.f) fz_atomic_abort(&st->json_file);
    if (st->xlsx) fz_xlsx_abort(st->xlsx);
    st->xlsx = NULL;
}

static int cmd_check(const options *o) {
    fz_pack pack;
    int rc = load_pack(o, &pack);
    if (rc) return rc;
    fz_inputs in = {0};
    char *err = NULL;
    run_state st = {0};
    if (fz_inputs_collect(o->paths, o->npaths, &in, &err) < 0) goto fail;
    if (!in.n) {
        fprintf(stderr, "fzcheck: 在给定的目录中没有找到报告文件（.docx、.pdf、.ofd、.txt、.md）\n");
        fz_pack_free(&pack);
        fz_inputs_free(&in);
        return 1;
    }
    open_outputs(o, &pack, &st);
    st.sums = calloc(in.n, sizeof *st.sums);
    if (!st.sums) goto fail_open;
    for (size_t i = 0; i < in.n; i++) {
        fz_report rep;
        int bad = fz_batch_check_file(&pack, in.paths[i], &rep, &err) < 0 ||
                  emit(&st, &rep, i, in.n, &err) < 0;
        fz_report_free(&rep);
        if (bad) goto fail_open;
    }
    close_outputs(&st, o);
    rc = st.status;
    goto done;
fail_open:
    abort_outputs(&st);
fail:
    fprintf(stderr, "fzcheck: %s\n", err ? err : FZ_ENOMEM);
    rc = 2;
done:
    for (size_t i = 0; st.sums && i < st.n; i++) fz_summary_free(&st.sums[i]);
    free(st.sums);
    free(err);
    fz_inputs_free(&in);
    fz_pack_free(&pack);
    return rc;
}

/* fzcheck rules check|list|test [PATH]: the pack's own commands. */
static int cmd_rules(int argc, char **argv) {
    const char *sub = argc > 2 ? argv[2] : "";
    if (strcmp(sub, "check") && strcmp(sub, "list") && strcmp(sub, "test"))
        return usage_error("用法：fzcheck rules check|list|test [规则包]%s", "");
    if (argc > 4) return usage_error("多余的参数“%s”", argv[4]);
    options o = {.rules = argc > 3 ? argv[3] : NULL};
    fz_pack pack;
    int rc = load_pack(&o, &pack);
    if (rc) return rc;
    if (!strcmp(sub, "check")) {
        size_t sev[3] = {0};
        double points = 0;
        for (size_t i = 0; i < pack.nrules; i++) {
            sev[pack.rules[i].severity]++;
            points += pack.rules[i].points;
        }
        printf("规则包：%s（%zu 个文件）\n", pack.path, pack.nfiles);
        printf("  名称：%s  版本：%s\n", pack.name, pack.version);
        printf("  规则：%zu 条（必备 %zu、推荐 %zu、提示 %zu），分值合计 %g\n", pack.nrules,
               sev[0], sev[1], sev[2], points);
        printf("  角色：");
        for (size_t i = 0; i < pack.nroles; i++) printf("%s%s", i ? "、" : "", pack.roles[i].name);
        printf("\n  等级：");
        for (size_t i = 0; i < pack.ngrades; i++)
            printf("%s%s ≥ %g", i ? "，" : "", pack.grades[i].name, pack.grades[i].min);
        printf("\n  规则测试：%zu 个用例\n校验通过。\n", pack.ntests);
    } else if (!strcmp(sub, "list")) {
        static const char *const kinds[] = {"section", "presence", "figures", "year",
                                            "field", "absence", "any", "all"};
        printf("%-24s 级别  分值  检查方式  标题（类别）\n", "id");
        for (size_t i = 0; i < pack.nrules; i++) {
            const fz_rule *r = &pack.rules[i];
            printf("%-24s %s  %-5g %-9s %s（%s）\n", r->id, fz_severity_label(r->severity),
                   r->points, kinds[r->check.kind], r->title, r->category);
        }
    } else {
        size_t cases, failed;
        if (fz_rules_test(&pack, stdout, &cases, &failed) < 0) {
            fputs("fzcheck: " FZ_ENOMEM "\n", stderr);
            rc = 2;
        } else if (!cases) {
            printf("规则包中没有规则测试（tests）\n");
            rc = 1;
        } else {
            rc = failed ? 1 : 0;
        }
    }
    fz_pack_free(&pack);
    if (fflush(stdout) != 0) rc = 2;
    return rc;
}

static int cmd_outline(const options *o) {
    fz_pack pack;
    int rc = load_pack(o, &pack);
    if (rc) return rc;
    int status = 0;
    for (size_t i = 0; i < o->npaths; i++) {
        fz_report rep;
        char *err = NULL;
        if (fz_batch_check_file(&pack, o->paths[i], &rep, &err) < 0) {
            fprintf(stderr, "fzcheck: %s\n", err ? err : FZ_ENOMEM);
            free(err);
            fz_report_free(&rep);
            status = 2;
            break;
        }
        const fz_doc *d = &rep.doc;
        printf("%s\n", o->paths[i]);
        if (rep.error) {
            printf("  无法读取：%s\n", rep.error);
            status = 1;
        } else {
            printf("  标题：%s（第 %u 行）\n", d->title ? d->title : "（未识别）", d->title_line);
            printf("  单位：%s\n  年度：", d->unit ? d->unit : "（未写明）");
            if (d->year) printf("%d\n", d->year);
            else printf("（未识别）\n");
            printf("  文号：%s\n  成文日期：%s\n", d->doc_number ? d->doc_number : "（无）",
                   d->date ? d->date : "（无）");
            printf("  段落：%zu%s\n  章节：\n", d->norm.n,
                   d->norm.hard_wrapped ? "（检测到硬换行，已合并）" : "");
            for (size_t s = 0; s < d->nsections; s++) {
                const fz_section *sec = &d->sections[s];
                const char *role = fz_report_section_role(&pack, &rep, s);
                printf("  %*s第 %u 行  %s%s%s%s%s\n", (sec->level - 1) * 4, "", sec->line,
                       sec->marker, sec->title, role ? "  [" : "", role ? role : "",
                       role ? "]" : "");
            }
        }
        fz_report_free(&rep);
    }
    fz_pack_free(&pack);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("fzcheck: 输出失败\n", stderr);
        status = 2;
    }
    return status;
}

int main(int argc, char **argv) {
    fz_atomic_install_signals();
    if (argc < 2) {
        fputs(usage_text, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("fzcheck %s\n", FZ_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "rules")) return cmd_rules(argc, argv);
    if (strcmp(cmd, "check") && strcmp(cmd, "outline"))
        return usage_error("未知命令“%s”（可用：check、outline、rules）", cmd);
    options o;
    int rc = parse(argc, argv, 2, &o);
    if (rc == 0) rc = !strcmp(cmd, "check") ? cmd_check(&o) : cmd_outline(&o);
    else if (rc < 0) {
        fputs("fzcheck: " FZ_ENOMEM "\n", stderr);
        rc = 2;
    }
    free(o.paths);
    return rc;
}
