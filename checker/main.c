/*
 * main.c - the fzcheck command line.
 *
 *   fzcheck check [--rules PATH] [--json FILE|-] PATH...
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

#include "batch.h"
#include "output.h"
#include "util.h"

#ifndef FZ_VERSION
#define FZ_VERSION "0.0.0"
#endif
#ifndef FZ_DATADIR
#define FZ_DATADIR "/usr/local/share/fzcheck"
#endif

static const char usage_text[] =
    "用法：\n"
    "  fzcheck check [--rules 规则包] [--json 文件|-] 报告或目录...\n"
    "  fzcheck outline [--rules 规则包] 报告...\n"
    "  fzcheck --help | --version\n"
    "\n"
    "检查法治政府建设年度报告是否具备规定的内容，给出得分、等级、证据和整改建议。\n"
    "\n"
    "命令：\n"
    "  check      检查报告（可给多个文件或目录，目录会递归查找 .txt、.md 报告）\n"
    "  outline    显示程序识别出的标题、单位、年度和章节结构（调试规则时使用）\n"
    "\n"
    "选项：\n"
    "  --rules 路径   规则包（一个 .yaml 文件或一个目录），默认使用随程序提供的规则包\n"
    "  --json 文件    另外把结果写成 JSON（- 表示输出到标准输出，此时不输出文字报告）\n"
    "  --help         显示本帮助\n"
    "  --version      显示版本\n"
    "\n"
    "退出码：0 所有报告均具备全部必备要素；1 有报告缺少必备要素或无法读取；\n"
    "        2 用法错误、规则包有误或结果文件无法写入。\n"
    "环境变量：NO_COLOR 设置后不使用颜色。\n";

typedef struct {
    const char *rules;
    const char *json;
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
        } else if (!only_paths && (!strcmp(a, "--rules") || !strcmp(a, "--json"))) {
            if (i + 1 >= argc) return usage_error("选项 %s 需要一个参数", a), 2;
            if (!strcmp(a, "--rules")) o->rules = argv[++i];
            else o->json = argv[++i];
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

static int write_json(FILE *f, const void *run) {
    return fz_output_json(f, run);
}

static int use_color(FILE *f) {
    const char *nc = getenv("NO_COLOR");
    return isatty(fileno(f)) && !(nc && *nc);
}

static int cmd_check(const options *o) {
    fz_pack pack;
    int rc = load_pack(o, &pack);
    if (rc) return rc;
    fz_inputs in;
    char *err = NULL;
    fz_report *reports = NULL;
    int status = 0;
    if (fz_inputs_collect(o->paths, o->npaths, &in, &err) < 0) goto oom;
    if (!in.n) {
        fprintf(stderr, "fzcheck: 在给定的目录中没有找到报告文件（.txt、.md）\n");
        fz_pack_free(&pack);
        fz_inputs_free(&in);
        return 1;
    }
    reports = calloc(in.n, sizeof *reports);
    if (!reports) goto oom;
    size_t done = 0;
    for (; done < in.n; done++) {
        if (fz_batch_check_file(&pack, in.paths[done], &reports[done], &err) < 0) {
            done++;
            goto oom;
        }
        fz_report_release_text(&reports[done]);
        if (reports[done].error || reports[done].required_gaps) status = 1;
    }
    fz_run run = {&pack, reports, in.n, 0};
    int to_stdout = o->json && !strcmp(o->json, "-");
    if (!to_stdout) {
        run.color = use_color(stdout);
        fz_output_text(stdout, &run);
    }
    if (o->json) {
        if (to_stdout) {
            if (fz_output_json(stdout, &run) < 0) status = 2;
        } else if (fz_write_atomic(o->json, write_json, &run, &err) < 0) {
            fprintf(stderr, "fzcheck: %s\n", err ? err : FZ_ENOMEM);
            status = 2;
        }
    }
    if (fflush(stdout) != 0) status = 2;
    for (size_t i = 0; i < done; i++) fz_report_free(&reports[i]);
    free(reports);
    free(err);
    fz_inputs_free(&in);
    fz_pack_free(&pack);
    return status;
oom:
    fprintf(stderr, "fzcheck: %s\n", err ? err : FZ_ENOMEM);
    for (size_t i = 0; reports && i < in.n; i++) fz_report_free(&reports[i]);
    free(reports);
    free(err);
    fz_inputs_free(&in);
    fz_pack_free(&pack);
    return 2;
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
    if (strcmp(cmd, "check") && strcmp(cmd, "outline"))
        return usage_error("未知命令“%s”（可用：check、outline）", cmd);
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
