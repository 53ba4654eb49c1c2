/*
 * main.c - the fzcheck command line.
 *
 *   fzcheck check [--rules PATH] [--units ROSTER] [--json FILE|-]
 *                 [--jsonl FILE|-] [--xlsx FILE] [--jobs N] [--timeout S]
 *                 [--memory MB] [--verbose|--quiet] [--name NAME] PATH...|-
 *   fzcheck merge [--rules PATH] [--units ROSTER] [--json FILE|-]
 *                 [--xlsx FILE] [--verbose|--quiet] SHARD.jsonl...
 *   fzcheck outline [--rules PATH] FILE...
 *   fzcheck text [--normalized] FILE...
 *   fzcheck rules check|list|test [PATH]
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
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "batch.h"
#include "ident.h"
#include "normalize.h"
#include "output.h"
#include "pack_chain.h"
#include "ruletest.h"
#include "run.h"
#include "shard.h"
#include "util.h"

#ifndef FZ_VERSION
#define FZ_VERSION "0.0.0"
#endif
#ifndef FZ_DATADIR
#define FZ_DATADIR "/usr/local/share/fzcheck"
#endif

static const char usage_text[] =
    "用法：\n"
    "  fzcheck check [--rules 规则包] [--units 单位名单] [--json 文件|-] [--jsonl 文件|-] [--xlsx 文件.xlsx]\n"
    "                [--html 文件夹] [--annotate 文件夹] [--jobs N] [--verbose|--quiet] 报告或目录...\n"
    "  fzcheck check [选项] [--name 文件名] -     （从标准输入读一份报告）\n"
    "  fzcheck merge [--rules 规则包] [--units 单位名单] [--json 文件|-] [--xlsx 文件.xlsx] 分片.jsonl...\n"
    "  fzcheck outline [--rules 规则包] 报告...\n"
    "  fzcheck text [--normalized] 报告...\n"
    "  fzcheck rules check|list|test [规则包]\n"
    "  fzcheck --help | --version\n"
    "\n"
    "检查法治政府建设年度报告是否具备规定的内容，给出得分、等级、证据和整改建议。\n"
    "\n"
    "命令：\n"
    "  check      检查报告（可给多个文件或目录，目录会递归查找 .docx、.docm、.pdf、.ofd、.txt、.md 报告）\n"
    "  merge      合并各台机器用 check --jsonl 写出的分片，得出与一次检查全部报告相同的排名、JSON 和评分表\n"
    "  outline    显示程序识别出的标题、单位、年度和章节结构（调试规则时使用）\n"
    "  text       显示程序从文件中读出的文字，行号与检查结果中证据的行号一致\n"
    "             （--normalized：显示规范化、合并断行之后用于匹配的段落）\n"
    "  rules check  校验规则包（格式、正则表达式、角色和范围、等级）并说明其内容\n"
    "  rules list   列出规则包中的规则\n"
    "  rules test   运行规则包自带的规则测试（tests）\n"
    "\n"
    "选项：\n"
    "  --rules 路径     规则包（一个 .yaml 文件或一个目录），默认使用随程序提供的规则包\n"
    "  --units 文件     单位名单（CSV：单位名称,类型,别名；或 YAML）：按名单认定报告单位及其类型，\n"
    "                   并列出未提交报告的单位、未匹配的报告和重复提交的单位\n"
    "  --json 文件      另外把结果写成 JSON（- 表示输出到标准输出，此时不输出文字报告）\n"
    "  --jsonl 文件     另外写出分片：每检查完一份报告写一行 JSON（- 表示标准输出），供 fzcheck merge 合并\n"
    "  --xlsx 文件      另外写出 Excel 评分表（文件名须以 .xlsx 结尾）\n"
    "  --html 文件夹    另外在该文件夹中为每份报告写一个 HTML 页面（可用浏览器打开、打印），\n"
    "                   并写出排名页 index.html\n"
    "  --annotate 文件夹  另外在该文件夹中为每份报告写一份带批注的 Word 文件（原文件名.批注.docx）：\n"
    "                   .docx 报告是原文件的副本，其他格式是提取的文字；原文件不会被改动\n"
    "  --jobs N         同时检查的报告数（工作进程数），默认为处理器核数\n"
    "  --timeout 秒     每份报告的处理时限，默认 60 秒；超时的报告记为错误并跳过，其余照常（0 为不限）\n"
    "  --memory MB      每份报告可用的内存上限，默认 2048 MB（0 为不限）\n"
    "  --verbose        检查多份报告且输出到终端时，也逐份列出结果（默认只列排名和合计）\n"
    "  --quiet          不输出文字结果和进度，只写结果文件、给出退出码\n"
    "  --name 文件名    从标准输入（-）读报告时显示的文件名，其扩展名也说明文件格式\n"
    "  --help           显示本帮助\n"
    "  --version        显示版本\n"
    "\n"
    "输出文件不能与任何一份报告是同一个文件，--json 与 --xlsx 也不能是同一个文件；\n"
    "所有结果文件都写完后才一起替换旧文件，中途中断时旧文件保持原样。\n"
    "\n"
    "退出码：0 所有报告均具备全部必备要素；1 有报告缺少必备要素或无法读取；\n"
    "        2 用法错误、规则包有误或结果文件无法写入。\n"
    "环境变量：NO_COLOR 设置后不使用颜色；FZCHECK_MAX_MB 单个文件的大小上限（默认 50）。\n";

typedef struct {
    const char *rules;
    const char *units;
    const char *json;
    const char *jsonl;
    const char *xlsx;
    const char *html, *annotate;  /* folders */
    const char *name;  /* what a report read from stdin is called */
    char **paths;
    size_t npaths;
    fz_batch_opts batch;
    int normalized, verbose, quiet;
} options;

/* Prints a message on stderr with control characters escaped (it may
 * hold a file name or a line of a rule file). */
static void say(const char *msg) {
    fz_run_say(msg);
}

static int usage_error(const char *fmt, const char *arg) {
    char *shown = fz_display(arg, 0);
    fputs("fzcheck: ", stderr);
    fprintf(stderr, fmt, shown ? shown : "");
    fputs("\n用法见 fzcheck --help\n", stderr);
    free(shown);
    return 2;
}

/* The default pack: rules/ beside the source tree the binary was built in
 * (build/fzcheck or build/asan/fzcheck → rules/), else the installed copy. */
/* ---- options ------------------------------------------------------------ */

/* A number option's value: 0 ≤ v ≤ max. Returns 0, or 2 after saying why. */
static int number_value(const char *opt, const char *v, double max, double *out) {
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (!*v || *end || errno || !(d >= 0) || d > max) {
        fprintf(stderr, "fzcheck: 选项 %s 的值应为 0 到 %g 之间的数", opt, max);
        return usage_error("（实际为“%s”）", v);
    }
    *out = d;
    return 0;
}

/* Options that take a value: "--name VALUE" or "--name=VALUE". */
static const char *const valued[] = {"--rules", "--units", "--json", "--jsonl", "--xlsx", "--html", "--annotate", "--jobs",
                                     "--timeout", "--memory", "--name", NULL};

static int set_option(options *o, const char *name, const char *v) {
    double d;
    int rc = 0;
    if (!strcmp(name, "--rules")) o->rules = v;
    else if (!strcmp(name, "--units")) o->units = v;
    else if (!strcmp(name, "--json")) o->json = v;
    else if (!strcmp(name, "--jsonl")) o->jsonl = v;
    else if (!strcmp(name, "--name")) o->name = v;
    else if (!strcmp(name, "--xlsx")) o->xlsx = v;
    else if (!strcmp(name, "--html")) o->html = v;
    else if (!strcmp(name, "--annotate")) o->annotate = v;
    else if (!strcmp(name, "--jobs")) {
        if (!(rc = number_value(name, v, 256, &d))) {
            if (d < 1 || d != (double)(size_t)d)
                return usage_error("选项 --jobs 的值应为 1 到 256 之间的整数（实际为“%s”）", v);
            o->batch.jobs = (size_t)d;
        }
    } else if (!strcmp(name, "--timeout")) {
        if (!(rc = number_value(name, v, 86400, &d))) o->batch.timeout = d;
    } else if (!strcmp(name, "--memory")) {
        if (!(rc = number_value(name, v, 1024 * 1024, &d))) {
            if (d > 0 && d < 64) return usage_error("选项 --memory 的值至少为 64（MB），实际为“%s”", v);
            o->batch.memory_mb = (size_t)d;
        }
    }
    return rc;
}

static int parse(int argc, char **argv, int start, options *o) {
    memset(o, 0, sizeof *o);
    fz_batch_defaults(&o->batch);
    o->paths = calloc((size_t)argc, sizeof *o->paths);
    if (!o->paths) return -1;
    int only_paths = 0;
    for (int i = start; i < argc; i++) {
        const char *a = argv[i];
        if (only_paths || a[0] != '-' || !a[1]) {
            o->paths[o->npaths++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--")) {
            only_paths = 1;
            continue;
        }
        if (!strcmp(a, "--normalized") || !strcmp(a, "--verbose") || !strcmp(a, "--quiet")) {
            *(a[2] == 'n' ? &o->normalized : a[2] == 'v' ? &o->verbose : &o->quiet) = 1;
            continue;
        }
        size_t k;
        for (k = 0; valued[k]; k++) {
            size_t n = strlen(valued[k]);
            if (!strncmp(a, valued[k], n) && (a[n] == '\0' || a[n] == '=')) break;
        }
        if (!valued[k]) return usage_error("未知选项 %s", a);
        size_t n = strlen(valued[k]);
        const char *v;
        if (a[n] == '=') {
            v = a + n + 1;
        } else {
            if (i + 1 >= argc) return usage_error("选项 %s 需要一个参数", a);
            v = argv[++i];
        }
        int rc = set_option(o, valued[k], v);
        if (rc) return rc;
    }
    if (!o->npaths) return usage_error("%s请给出要检查的报告文件或目录", "");
    if ((o->json && !*o->json) || (o->jsonl && !*o->jsonl) || (o->xlsx && !*o->xlsx) ||
        (o->html && !*o->html) || (o->annotate && !*o->annotate) ||
        (o->rules && !*o->rules) || (o->units && !*o->units) || (o->name && !*o->name))
        return usage_error("%s输出或规则包的文件名不能为空", "");
    if (o->verbose && o->quiet) return usage_error("%s--verbose 和 --quiet 不能同时使用", "");
    if (o->json && o->jsonl && !strcmp(o->json, "-") && !strcmp(o->jsonl, "-"))
        return usage_error("%s--json 和 --jsonl 不能都输出到标准输出（-）", "");
    size_t dashes = 0;
    for (size_t i = 0; i < o->npaths; i++) dashes += !strcmp(o->paths[i], "-");
    if (dashes > 1) return usage_error("%s标准输入（-）只能给一次", "");
    if (o->name && !dashes) return usage_error("%s--name 只用于从标准输入（-）读取的报告", "");
    return 0;
}

/* ---- outputs that would destroy inputs ---------------------------------- */

static int has_extension(const char *path, const char *const *exts) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    for (size_t i = 0; dot && exts[i]; i++)
        if (!strcasecmp(dot + 1, exts[i])) return 1;
    return 0;
}

/* True when path names the same existing file as one of the inputs. */
static int is_an_input(const char *path, const fz_inputs *in, const char **which) {
    struct stat out, st;
    if (stat(path, &out) != 0) return 0;
    for (size_t i = 0; i < in->n; i++)
        if (stat(in->paths[i], &st) == 0 && st.st_dev == out.st_dev && st.st_ino == out.st_ino) {
            *which = in->paths[i];
            return 1;
        }
    return 0;
}

/* Two paths that name one file (or will, once written). */
static int same_file(const char *x, const char *y) {
    char *a = fz_atomic_resolve(x), *b = fz_atomic_resolve(y);
    struct stat sa, sb;
    int same = (a && b && !strcmp(a, b)) ||
               (stat(x, &sa) == 0 && stat(y, &sb) == 0 && sa.st_dev == sb.st_dev &&
                sa.st_ino == sb.st_ino);
    free(a);
    free(b);
    return same;
}

/* Refuses outputs that would overwrite a report or each other, before
 * anything is read. Returns 0, or 2 having said why. */
static int check_outputs(const options *o, const fz_inputs *in) {
    static const char *const report_exts[] = {"txt", "md", "docx", "docm", "pdf", "ofd",
                                              "doc", "wps", NULL};
    static const char *const xlsx_ext[] = {"xlsx", NULL};
    const char *json = o->json && strcmp(o->json, "-") ? o->json : NULL;
    const char *jsonl = o->jsonl && strcmp(o->jsonl, "-") ? o->jsonl : NULL;
    if (o->xlsx && !has_extension(o->xlsx, xlsx_ext))
        return usage_error("Excel 评分表的文件名应以 .xlsx 结尾（实际为“%s”；--xlsx 后面是否漏写了文件名？）",
                           o->xlsx);
    if (json && has_extension(json, report_exts))
        return usage_error("JSON 结果文件“%s”的扩展名是报告的扩展名，不能用作输出（--json 后面是否漏写了文件名？）",
                           json);
    if (jsonl && has_extension(jsonl, report_exts))
        return usage_error("分片文件“%s”的扩展名是报告的扩展名，不能用作输出（--jsonl 后面是否漏写了文件名？）",
                           jsonl);
    const char *outs[3] = {json, jsonl, o->xlsx};
    static const char *const flags[3] = {"--json", "--jsonl", "--xlsx"};
    for (int k = 0; k < 3; k++) {
        const char *which;
        if (outs[k] && is_an_input(outs[k], in, &which))
            return usage_error("结果文件“%s”就是要检查的报告之一（或要合并的分片之一），不能覆盖", outs[k]);
        for (int j = 0; j < k; j++)
            if (outs[j] && outs[k] && same_file(outs[j], outs[k])) {
                fprintf(stderr, "fzcheck: %s 和 %s ", flags[j], flags[k]);
                return usage_error("不能写入同一个文件“%s”", outs[k]);
            }
    }
    return 0;
}

/* ---- the rule pack -------------------------------------------------------- */

static int load_pack(const options *o, fz_pack *pack) {
    char *path = o->rules ? fz_strdup(o->rules) : fz_chain_default_path();
    char *errors = NULL;
    if (!path) {
        say(FZ_ENOMEM);
        return 2;
    }
    int rc = fz_pack_load(path, pack, &errors);
    if (rc < 0) {
        char *shown = errors ? fz_display(errors, 1) : NULL;
        fputs(shown ? shown : errors ? errors : FZ_ENOMEM "\n", stderr);
        free(shown);
        fz_buf m = {0};
        if (fz_buf_printf(&m, "规则包“%s”有误，未进行检查", path) == 0) say(m.ptr);
        fz_buf_free(&m);
    }
    free(errors);
    free(path);
    return rc < 0 ? 2 : 0;
}

static void print_warnings(FILE *f, const fz_pack *pack) {
    if (!pack->warnings) return;
    char *shown = fz_display(pack->warnings, 1);
    fputs(shown ? shown : pack->warnings, f);
    free(shown);
}


/* ---- check ---------------------------------------------------------------- */

/* The roster, when one is given: its problems end the run (exit 2)
 * before anything is read. */
static int load_roster(const options *o, const fz_pack *pack, fz_roster *roster) {
    memset(roster, 0, sizeof *roster);
    if (!o->units) return 0;
    char *errors = NULL;
    if (fz_roster_load(o->units, pack, roster, &errors) == 0) return 0;
    char *shown = errors ? fz_display(errors, 1) : NULL;
    fputs(shown ? shown : errors ? errors : FZ_ENOMEM "\n", stderr);
    free(shown);
    free(errors);
    fz_buf m = {0};
    if (fz_buf_printf(&m, "单位名单“%s”有误，未进行检查", o->units) == 0) say(m.ptr);
    fz_buf_free(&m);
    return 2;
}

/* ---- reports from standard input ------------------------------------------ */

/* A report given as "-": its bytes saved in a private directory under
 * the name --name gives (whose extension says its format; the reader
 * also looks at the bytes), so that the batch reads it like any file. */
typedef struct {
    char *dir, *path;
    const char *shown;  /* the file name results show */
    size_t index;       /* its place among the inputs */
} stdin_report;

static const char *base_name(const char *p) {
    const char *slash = strrchr(p, '/');
    return slash && slash[1] ? slash + 1 : p;
}

static int save_stdin(const options *o, stdin_report *sr, char **err) {
    const char *tmp = getenv("TMPDIR");
    fz_buf d = {0}, p = {0};
    if (fz_buf_printf(&d, "%s/fzcheck-stdin-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0) goto oom;
    if (!mkdtemp(d.ptr)) {
        fz_buf_free(&d);
        return fz_fail(err, "无法创建临时目录保存标准输入中的报告：%s", fz_errno_message(errno));
    }
    sr->dir = fz_buf_steal(&d);
    /* without a name it is read as text, unless its first bytes say
     * otherwise (a Word file, a PDF: read.h) */
    const char *name = o->name ? base_name(o->name) : "标准输入.txt";
    if (!strcmp(name, ".") || !strcmp(name, "..")) name = "标准输入.txt";
    if (fz_buf_printf(&p, "%s/%s", sr->dir, name) < 0) goto oom;
    sr->path = fz_buf_steal(&p);
    FILE *f = fopen(sr->path, "wb");
    if (!f) return fz_fail(err, "无法保存标准输入中的报告：%s", fz_errno_message(errno));
    size_t max = fz_read_max_bytes(), total = 0, n;
    char chunk[1 << 16];
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0 && total <= max) {
        total += n;
        if (fwrite(chunk, 1, n, f) != n) break;
    }
    int bad = ferror(stdin) || ferror(f);
    if (fclose(f) != 0 || bad) return fz_fail(err, "无法读取标准输入中的报告：%s", fz_errno_message(errno));
    /* past the limit the reader refuses the file with its own message */
    return 0;
oom:
    fz_buf_free(&d);
    fz_buf_free(&p);
    return fz_fail(err, FZ_ENOMEM);
}

static void drop_stdin(stdin_report *sr) {
    if (sr->path) unlink(sr->path);
    if (sr->dir) rmdir(sr->dir);
    free(sr->path);
    free(sr->dir);
}

/* ---- check ---------------------------------------------------------------- */

typedef struct {
    fz_run *run;
    const stdin_report *in;  /* NULL when no report comes from stdin */
} check_state;

static int emit_check(void *ctx, size_t i, fz_report *rep, char **err) {
    check_state *cs = ctx;
    if (cs->in && cs->in->index == i) {
        char *shown = fz_strdup(cs->in->shown);
        if (!shown) return fz_fail(err, FZ_ENOMEM);
        free(rep->file);
        rep->file = shown;
        /* the worker's JSON line names the saved copy: written anew */
        free(rep->json_line);
        rep->json_line = NULL;
    }
    return fz_run_report(cs->run, i, rep, err);
}

static fz_run_opts run_opts(const options *o) {
    fz_run_opts ro = {o->json, o->jsonl, o->xlsx, o->html, o->annotate,
                      o->verbose, o->quiet, o->batch.roster};
    return ro;
}

/* The inputs: files and folders searched, and "-" saved from stdin. */
static int collect(const options *o, fz_inputs *in, stdin_report *sr, char **err) {
    if (fz_inputs_collect(o->paths, o->npaths, in, err) < 0) return -1;
    for (size_t i = 0; i < in->n; i++) {
        if (strcmp(in->paths[i], "-")) continue;
        if (save_stdin(o, sr, err) < 0) return -1;
        if (fz_inputs_set(in, i, sr->path) < 0) return fz_fail(err, FZ_ENOMEM);
        sr->shown = o->name ? o->name : "-";
        sr->index = i;
    }
    return 0;
}

/* The pack (its warnings on stderr) and the roster a run uses. Returns
 * 0, or the exit status having said why. */
static int load_pack_and_roster(const options *o, fz_pack *pack, fz_roster *roster) {
    int rc = load_pack(o, pack);
    if (rc) return rc;
    print_warnings(stderr, pack);
    if ((rc = load_roster(o, pack, roster))) fz_pack_free(pack);
    return rc;
}

static int cmd_check(const options *o) {
    fz_pack pack;
    fz_roster roster;
    int rc = load_pack_and_roster(o, &pack, &roster);
    if (rc) return rc;
    options with = *o;
    with.batch.roster = o->units ? &roster : NULL;
    with.batch.json_lines = o->json || o->jsonl;
    with.batch.html = o->html != NULL;
    char when[32];
    fz_annotate_opts ann = {"fzcheck", fz_iso_time(fz_creation_time(), when, sizeof when)};
    with.batch.annotate = o->annotate ? &ann : NULL;
    o = &with;
    fz_inputs in = {0};
    stdin_report sr = {0};
    char *err = NULL;
    check_state cs = {NULL, NULL};
    if (collect(o, &in, &sr, &err) < 0) goto fail;
    cs.in = sr.path ? &sr : NULL;
    with.batch.stdin_path = sr.path;
    with.batch.stdin_name = sr.shown;
    if (!in.n) {
        say("在给定的目录中没有找到报告文件（.docx、.pdf、.ofd、.txt、.md）");
        rc = 1;
        goto done;
    }
    if ((rc = check_outputs(o, &in))) goto done;
    fz_run_opts ro = run_opts(o);
    if (!(cs.run = fz_run_open(&pack, &ro, in.n, &err))) goto fail;
    if (fz_batch_run(&pack, &o->batch, in.paths, in.n, emit_check, &cs, &err) < 0) {
        fz_run_abort(cs.run);
        goto fail;
    }
    rc = fz_run_close(cs.run);
    goto done;
fail:
    say(err ? err : FZ_ENOMEM);
    rc = 2;
done:
    free(err);
    drop_stdin(&sr);
    fz_inputs_free(&in);
    fz_roster_free(&roster);
    fz_pack_free(&pack);
    return rc;
}

/* ---- merge ------------------------------------------------------------------ */

/* Every report of every shard, in order, to the outputs. Returns 0 or -1
 * with *err ("文件:行: 说明" for a bad shard). */
static int merge_shards(const options *o, const fz_pack *pack, fz_run *run, char **err) {
    size_t i = 0;
    for (size_t k = 0; k < o->npaths; k++) {
        fz_shard sh;
        if (fz_shard_open(&sh, o->paths[k], pack, o->batch.roster, err) < 0) return -1;
        fz_report rep;
        int got;
        while ((got = fz_shard_next(&sh, pack, &rep, err)) > 0) {
            int rc = fz_run_report(run, i++, &rep, err);
            fz_report_free(&rep);
            if (rc < 0) {
                got = -1;
                break;
            }
        }
        fz_shard_close(&sh);
        if (got < 0) return -1;
    }
    return 0;
}

static int cmd_merge(const options *o) {
    if (o->jsonl || o->name || o->html || o->annotate)
        return usage_error("%smerge 不接受 --jsonl、--name、--html 或 --annotate"
                           "（HTML 页面和批注文件要在检查时生成）", "");
    fz_pack pack;
    fz_roster roster;
    int rc = load_pack_and_roster(o, &pack, &roster);
    if (rc) return rc;
    options with = *o;
    with.batch.roster = o->units ? &roster : NULL;
    o = &with;
    fz_inputs in = {.paths = o->paths, .n = o->npaths};
    char *err = NULL;
    size_t total = 0, n;
    if ((rc = check_outputs(o, &in))) goto done;
    /* every shard's header first: a foreign shard or another pack stops
     * the merge before anything is written */
    for (size_t k = 0; k < o->npaths; k++) {
        fz_shard sh;
        if (fz_shard_open(&sh, o->paths[k], &pack, o->batch.roster, &err) < 0) goto fail;
        fz_shard_close(&sh);
        if (fz_shard_count(o->paths[k], &n, &err) < 0) goto fail;
        total += n;
    }
    fz_run_opts ro = run_opts(o);
    fz_run *run = fz_run_open(&pack, &ro, total, &err);
    if (!run) goto fail;
    if (merge_shards(o, &pack, run, &err) < 0) {
        fz_run_abort(run);
        goto fail;
    }
    rc = fz_run_close(run);
    goto done;
fail:
    say(err ? err : FZ_ENOMEM);
    rc = 2;
done:
    free(err);
    fz_roster_free(&roster);
    fz_pack_free(&pack);
    return rc;
}

/* ---- outline --------------------------------------------------------------- */

typedef struct {
    const fz_pack *pack;
    int status;
} outline_state;

static void print_shown(const char *fmt, const char *s) {
    char *shown = fz_display(s, 0);
    printf(fmt, shown ? shown : s);
    free(shown);
}

static int emit_outline(void *ctx, size_t i, fz_report *rep, char **err) {
    (void)i;
    (void)err;
    outline_state *os = ctx;
    const fz_doc *d = &rep->doc;
    print_shown("%s\n", rep->file);
    if (rep->error) {
        printf("  无法读取：%s\n", rep->error);
        os->status = 1;
        return 0;
    }
    printf("  标题：%s（第 %u 行）\n", d->title ? d->title : "（未识别）", d->title_line);
    printf("  单位：%s", d->unit ? d->unit : "（未写明）");
    if (rep->unit_type < os->pack->nunit_types) printf("（%s）", os->pack->unit_types[rep->unit_type].name);
    if (d->unit_source) printf("  来源：%s", fz_source_name(d->unit_source));
    printf("\n  年度：");
    if (d->year) printf("%d\n", d->year);
    else printf("（未识别）\n");
    printf("  文号：%s\n  成文日期：%s\n", d->doc_number ? d->doc_number : "（无）",
           d->date ? d->date : "（无）");
    printf("  段落：%zu%s\n  章节：\n", d->nparas,
           d->norm.hard_wrapped ? "（检测到硬换行，已合并）" : "");
    for (size_t s = 0; s < d->nsections; s++) {
        const fz_section *sec = &d->sections[s];
        const char *role = fz_report_section_role(os->pack, rep, s);
        printf("  %*s第 %u 行  %s%s%s%s%s\n", (sec->level - 1) * 4, "", sec->line, sec->marker,
               sec->title, role ? "  [" : "", role ? role : "", role ? "]" : "");
    }
    return 0;
}

static int cmd_outline(const options *o) {
    fz_pack pack;
    int rc = load_pack(o, &pack);
    if (rc) return rc;
    outline_state os = {&pack, 0};
    char *err = NULL;
    if (fz_batch_run(&pack, &o->batch, o->paths, o->npaths, emit_outline, &os, &err) < 0) {
        say(err);
        os.status = 2;
    }
    free(err);
    fz_pack_free(&pack);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        say("输出失败");
        os.status = 2;
    }
    return os.status;
}

/* ---- text ------------------------------------------------------------------ */

typedef struct {
    const options *o;
    int status;
} text_state;

static const char *format_name(const char *format) {
    if (!strcmp(format, "docx")) return "Word 文档";
    if (!strcmp(format, "pdf")) return "PDF";
    if (!strcmp(format, "ofd")) return "OFD";
    if (!strcmp(format, "md")) return "Markdown 文本";
    return "文本";
}

/* One line, numbered as evidence numbers it, control characters shown. */
static void numbered_line(uint32_t no, const char *s, size_t n) {
    char *line = fz_strndup(s, n);
    char *shown = line ? fz_display(line, 0) : NULL;
    printf("%6u  %s\n", no, shown ? shown : "");
    free(shown);
    free(line);
}

static int print_normalized(const fz_text *t) {
    fz_norm norm;
    char *err = NULL;
    if (fz_normalize(t, &norm, &err) < 0) {
        free(err);
        return -1;
    }
    printf("  （规范化后的段落，行首为段落开始处的原文行号）\n");
    for (size_t p = 0; p < norm.n; p++)
        numbered_line(fz_para_line_at(&norm.paras[p], 0), norm.paras[p].text, norm.paras[p].len);
    fz_norm_free(&norm);
    return 0;
}

static int emit_text(void *ctx, size_t i, const fz_text *t, const char *error, char **err) {
    text_state *ts = ctx;
    print_shown("== %s", ts->o->paths[i]);
    if (!t) {
        printf("\n  无法读取：%s\n", error);
        ts->status = 1;
        return 0;
    }
    printf("（%s，%s%s）\n", format_name(t->format), t->encoding,
           t->loc == FZ_LOC_PARAGRAPH ? "，行号为段落号" : t->loc == FZ_LOC_PAGE ? "，按页编行号" : "");
    if (ts->o->normalized) return print_normalized(t) < 0 ? fz_fail(err, FZ_ENOMEM) : 0;
    uint32_t line = 0, page = 0, on_page = 0;
    for (const char *p = t->data, *end = t->data + t->len; p < end || line == 0;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line++;
        if (t->loc == FZ_LOC_PAGE && line <= t->nlines && t->line_page[line - 1] != page) {
            page = t->line_page[line - 1];
            on_page = 0;
            printf("—— 第 %u 页 ——\n", page);
        }
        numbered_line(t->loc == FZ_LOC_PAGE ? ++on_page : line, p, (size_t)(le - p));
        if (!nl) break;
        p = nl + 1;
    }
    return 0;
}

static int cmd_text(const options *o) {
    text_state ts = {o, 0};
    char *err = NULL;
    if (fz_batch_read(&o->batch, o->paths, o->npaths, emit_text, &ts, &err) < 0) {
        say(err);
        ts.status = 2;
    }
    free(err);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        say("输出失败");
        ts.status = 2;
    }
    return ts.status;
}

/* ---- rules ------------------------------------------------------------------ */

/* The chain of packs, base first: "默认规则包 2024.1（rules）→ 本市…". */
static void print_chain(const fz_pack *pack) {
    size_t changed = 0, added = 0;
    for (size_t i = 0; i < pack->nrules; i++) {
        changed += pack->rules[i].overridden_by != 0;
        added += pack->rules[i].layer > 0;
    }
    printf("  继承：");
    for (size_t i = 0; i < pack->nlayers; i++) {
        const fz_pack_layer *l = &pack->layers[i];
        char *path = fz_display(l->path, 0);
        printf("%s%s%s%s（%s）", i ? " → " : "", l->name ? l->name : "（未命名）", l->version ? " " : "",
               l->version ? l->version : "", path ? path : "");
        free(path);
    }
    printf("\n  在所继承的规则包上：新增 %zu 条，修改 %zu 条，停用 %zu 条\n", added, changed, pack->ndisabled);
}

/* Where a rule comes from, and what a later pack changed in it. */
static void print_origin(const fz_pack *pack, const fz_rule *r) {
    printf("  %s", fz_pack_layer_label(pack, r->layer));
    if (r->overridden_by)
        printf("（%s 修改了 %s）", fz_pack_layer_label(pack, r->overridden_by - 1), r->overridden);
}

/* fzcheck rules check|list|test [PATH]: the pack's own commands. */
static int cmd_rules(int argc, char **argv) {
    const char *sub = argc > 2 ? argv[2] : "";
    if (strcmp(sub, "check") && strcmp(sub, "list") && strcmp(sub, "test"))
        return usage_error("用法：fzcheck rules check|list|test [规则包]%s", "");
    if (argc > 4) return usage_error("多余的参数“%s”", argv[4]);
    options o;
    memset(&o, 0, sizeof o);
    o.rules = argc > 3 ? argv[3] : NULL;
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
        print_warnings(stdout, &pack);
        printf("规则包：%s（%zu 个文件）\n", pack.path, pack.nfiles);
        printf("  名称：%s  版本：%s\n", pack.name, pack.version);
        if (pack.nlayers > 1) print_chain(&pack);
        printf("  规则：%zu 条（必备 %zu、推荐 %zu、提示 %zu），分值合计 %g\n", pack.nrules,
               sev[0], sev[1], sev[2], points);
        printf("  角色：");
        for (size_t i = 0; i < pack.nroles; i++) printf("%s%s", i ? "、" : "", pack.roles[i].name);
        printf("\n  单位类型：");
        for (size_t i = 0; i < pack.nunit_types; i++)
            printf("%s%s", i ? "、" : "", pack.unit_types[i].name);
        if (!pack.nunit_types) printf("（未定义：所有规则对所有单位适用）");
        printf("\n  等级：");
        for (size_t i = 0; i < pack.ngrades; i++)
            printf("%s%s ≥ %g", i ? "，" : "", pack.grades[i].name, pack.grades[i].min);
        printf("\n  规则测试：%zu 个用例\n", pack.ntests);
        if (pack.nwarnings) printf("校验通过，但有 %zu 条警告（见上）。\n", pack.nwarnings);
        else printf("校验通过。\n");
    } else if (!strcmp(sub, "list")) {
        printf("%-24s 级别  分值  检查方式  标题（类别）%s\n", "id", pack.nlayers > 1 ? "  来源" : "");
        for (size_t i = 0; i < pack.nrules; i++) {
            const fz_rule *r = &pack.rules[i];
            printf("%-24s %s  %-5g %-9s %s（%s）", r->id, fz_severity_label(r->severity),
                   r->points, fz_check_kind_names[r->check.kind], r->title, r->category);
            if (pack.nlayers > 1) print_origin(&pack, r);
            putchar('\n');
        }
        for (size_t i = 0; i < pack.ndisabled; i++) {
            char *where = fz_display(pack.disabled[i].pos.file, 0);
            printf("%-24s 已停用（%s:%u）\n", pack.disabled[i].id, where ? where : "", pack.disabled[i].pos.line);
            free(where);
        }
    } else {
        size_t cases, failed;
        if (fz_rules_test(&pack, stdout, &cases, &failed) < 0) {
            say(FZ_ENOMEM);
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
    if (strcmp(cmd, "check") && strcmp(cmd, "merge") && strcmp(cmd, "outline") && strcmp(cmd, "text"))
        return usage_error("未知命令“%s”（可用：check、merge、outline、text、rules）", cmd);
    options o;
    int rc = parse(argc, argv, 2, &o);
    if (rc == 0 && o.normalized && strcmp(cmd, "text"))
        rc = usage_error("选项 --normalized 只用于 text 命令%s", "");
    if (rc == 0) {
        if (!strcmp(cmd, "check")) rc = cmd_check(&o);
        else if (!strcmp(cmd, "merge")) rc = cmd_merge(&o);
        else if (!strcmp(cmd, "outline")) rc = cmd_outline(&o);
        else rc = cmd_text(&o);
    } else if (rc < 0) {
        say(FZ_ENOMEM);
        rc = 2;
    }
    free(o.paths);
    return rc;
}
