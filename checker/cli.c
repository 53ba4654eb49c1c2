/*
 * cli.c - see cli.h: the options every command shares, and loading what
 * a run needs (the rule pack, the roster) with its errors told.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "ident.h"
#include "pack_chain.h"
#include "run.h"
#include "util.h"

#ifndef FZ_DATADIR
#define FZ_DATADIR "/usr/local/share/fzcheck"
#endif

/* Prints a message on stderr with control characters escaped (it may
 * hold a file name or a line of a rule file). */
void fz_cli_say(const char *msg) {
    fz_run_say(msg);
}

int fz_cli_usage(const char *fmt, const char *arg) {
    char *shown = fz_display(arg, 0);
    fputs("fzcheck: ", stderr);
    fprintf(stderr, fmt, shown ? shown : "");
    fputs("\n用法见 fzcheck --help\n", stderr);
    free(shown);
    return 2;
}

/* The default pack: rules/ beside the source tree the binary was built in
 * (build/fzcheck or build/asan/fzcheck → rules/), else the installed copy. */
/* ---- fz_cli_opts ------------------------------------------------------------ */

/* A number option's value: 0 ≤ v ≤ max. Returns 0, or 2 after saying why. */
static int number_value(const char *opt, const char *v, double max, double *out) {
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (!*v || *end || errno || !(d >= 0) || d > max) {
        fprintf(stderr, "fzcheck: 选项 %s 的值应为 0 到 %g 之间的数", opt, max);
        return fz_cli_usage("（实际为“%s”）", v);
    }
    *out = d;
    return 0;
}

/* Options that take a value: "--name VALUE" or "--name=VALUE". */
static const char *const valued[] = {"--rules", "--units", "--json", "--jsonl", "--xlsx", "--html", "--annotate", "--jobs",
                                     "--timeout", "--memory", "--name", "--previous", NULL};

static int set_option(fz_cli_opts *o, const char *name, const char *v) {
    double d;
    int rc = 0;
    if (!strcmp(name, "--rules")) o->rules = v;
    else if (!strcmp(name, "--units")) o->units = v;
    else if (!strcmp(name, "--json")) o->json = v;
    else if (!strcmp(name, "--jsonl")) o->jsonl = v;
    else if (!strcmp(name, "--name")) o->name = v;
    else if (!strcmp(name, "--previous")) {
        if (!*v) return fz_cli_usage("%s--previous 需要上一年度报告的文件或目录", "");
        o->previous[o->nprevious++] = (char *)v;
    }
    else if (!strcmp(name, "--xlsx")) o->xlsx = v;
    else if (!strcmp(name, "--html")) o->html = v;
    else if (!strcmp(name, "--annotate")) o->annotate = v;
    else if (!strcmp(name, "--jobs")) {
        if (!(rc = number_value(name, v, 256, &d))) {
            if (d < 1 || d != (double)(size_t)d)
                return fz_cli_usage("选项 --jobs 的值应为 1 到 256 之间的整数（实际为“%s”）", v);
            o->batch.jobs = (size_t)d;
        }
    } else if (!strcmp(name, "--timeout")) {
        if (!(rc = number_value(name, v, 86400, &d))) o->batch.timeout = d;
    } else if (!strcmp(name, "--memory")) {
        if (!(rc = number_value(name, v, 1024 * 1024, &d))) {
            if (d > 0 && d < 64) return fz_cli_usage("选项 --memory 的值至少为 64（MB），实际为“%s”", v);
            o->batch.memory_mb = (size_t)d;
        }
    }
    return rc;
}

int fz_cli_parse(int argc, char **argv, int start, fz_cli_opts *o) {
    memset(o, 0, sizeof *o);
    fz_batch_defaults(&o->batch);
    o->paths = calloc((size_t)argc, sizeof *o->paths);
    if (!o->paths) return -1;
    o->previous = calloc((size_t)argc, sizeof *o->previous);
    if (!o->previous) return -1;
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
        if (!strcmp(a, "--similar")) {
            o->similar = 1;
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
        if (!valued[k]) return fz_cli_usage("未知选项 %s", a);
        size_t n = strlen(valued[k]);
        const char *v;
        if (a[n] == '=') {
            v = a + n + 1;
        } else {
            if (i + 1 >= argc) return fz_cli_usage("选项 %s 需要一个参数", a);
            v = argv[++i];
        }
        int rc = set_option(o, valued[k], v);
        if (rc) return rc;
    }
    if (!o->npaths) return fz_cli_usage("%s请给出要检查的报告文件或目录", "");
    if ((o->json && !*o->json) || (o->jsonl && !*o->jsonl) || (o->xlsx && !*o->xlsx) ||
        (o->html && !*o->html) || (o->annotate && !*o->annotate) ||
        (o->rules && !*o->rules) || (o->units && !*o->units) || (o->name && !*o->name))
        return fz_cli_usage("%s输出或规则包的文件名不能为空", "");
    if (o->verbose && o->quiet) return fz_cli_usage("%s--verbose 和 --quiet 不能同时使用", "");
    if (o->json && o->jsonl && !strcmp(o->json, "-") && !strcmp(o->jsonl, "-"))
        return fz_cli_usage("%s--json 和 --jsonl 不能都输出到标准输出（-）", "");
    size_t dashes = 0;
    for (size_t i = 0; i < o->npaths; i++) dashes += !strcmp(o->paths[i], "-");
    if (dashes > 1) return fz_cli_usage("%s标准输入（-）只能给一次", "");
    if (o->name && !dashes) return fz_cli_usage("%s--name 只用于从标准输入（-）读取的报告", "");
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
int fz_cli_check_outputs(const fz_cli_opts *o, const fz_inputs *in) {
    static const char *const report_exts[] = {"txt", "md", "docx", "docm", "pdf", "ofd",
                                              "doc", "wps", NULL};
    static const char *const xlsx_ext[] = {"xlsx", NULL};
    const char *json = o->json && strcmp(o->json, "-") ? o->json : NULL;
    const char *jsonl = o->jsonl && strcmp(o->jsonl, "-") ? o->jsonl : NULL;
    if (o->xlsx && !has_extension(o->xlsx, xlsx_ext))
        return fz_cli_usage("Excel 评分表的文件名应以 .xlsx 结尾（实际为“%s”；--xlsx 后面是否漏写了文件名？）",
                           o->xlsx);
    if (json && has_extension(json, report_exts))
        return fz_cli_usage("JSON 结果文件“%s”的扩展名是报告的扩展名，不能用作输出（--json 后面是否漏写了文件名？）",
                           json);
    if (jsonl && has_extension(jsonl, report_exts))
        return fz_cli_usage("分片文件“%s”的扩展名是报告的扩展名，不能用作输出（--jsonl 后面是否漏写了文件名？）",
                           jsonl);
    const char *outs[3] = {json, jsonl, o->xlsx};
    static const char *const flags[3] = {"--json", "--jsonl", "--xlsx"};
    for (int k = 0; k < 3; k++) {
        const char *which;
        if (outs[k] && is_an_input(outs[k], in, &which))
            return fz_cli_usage("结果文件“%s”就是要检查的报告之一（或要合并的分片之一），不能覆盖", outs[k]);
        for (int j = 0; j < k; j++)
            if (outs[j] && outs[k] && same_file(outs[j], outs[k])) {
                fprintf(stderr, "fzcheck: %s 和 %s ", flags[j], flags[k]);
                return fz_cli_usage("不能写入同一个文件“%s”", outs[k]);
            }
    }
    return 0;
}

/* ---- the rule pack -------------------------------------------------------- */

int fz_cli_load_pack(const fz_cli_opts *o, fz_pack *pack) {
    char *path = o->rules ? fz_strdup(o->rules) : fz_chain_default_path();
    char *errors = NULL;
    if (!path) {
        fz_cli_say(FZ_ENOMEM);
        return 2;
    }
    int rc = fz_pack_load(path, pack, &errors);
    if (rc < 0) {
        char *shown = errors ? fz_display(errors, 1) : NULL;
        fputs(shown ? shown : errors ? errors : FZ_ENOMEM "\n", stderr);
        free(shown);
        fz_buf m = {0};
        if (fz_buf_printf(&m, "规则包“%s”有误，未进行检查", path) == 0) fz_cli_say(m.ptr);
        fz_buf_free(&m);
    }
    free(errors);
    free(path);
    return rc < 0 ? 2 : 0;
}

void fz_cli_print_warnings(FILE *f, const fz_pack *pack) {
    if (!pack->warnings) return;
    char *shown = fz_display(pack->warnings, 1);
    fputs(shown ? shown : pack->warnings, f);
    free(shown);
}


/* ---- check ---------------------------------------------------------------- */

/* The roster, when one is given: its problems end the run (exit 2)
 * before anything is read. */
static int load_roster(const fz_cli_opts *o, const fz_pack *pack, fz_roster *roster) {
    memset(roster, 0, sizeof *roster);
    if (!o->units) return 0;
    char *errors = NULL;
    if (fz_roster_load(o->units, pack, roster, &errors) == 0) return 0;
    char *shown = errors ? fz_display(errors, 1) : NULL;
    fputs(shown ? shown : errors ? errors : FZ_ENOMEM "\n", stderr);
    free(shown);
    free(errors);
    fz_buf m = {0};
    if (fz_buf_printf(&m, "单位名单“%s”有误，未进行检查", o->units) == 0) fz_cli_say(m.ptr);
    fz_buf_free(&m);
    return 2;
}


int fz_cli_end_run(fz_run *run, int fed, const char *err) {
    if (fed >= 0) return fz_run_close(run);
    fz_run_abort(run);
    fz_cli_say(err ? err : FZ_ENOMEM);
    return 2;
}

fz_run_opts fz_cli_run_opts(const fz_cli_opts *o) {
    fz_run_opts ro = {o->json, o->jsonl, o->xlsx, o->html, o->annotate,
                      o->verbose, o->quiet, o->batch.roster, o->similar, o->nprevious > 0, NULL};
    return ro;
}

/* The pack (its warnings on stderr) and the roster a run uses. Returns
 * 0, or the exit status having said why. */
int fz_cli_load_pack_and_roster(const fz_cli_opts *o, fz_pack *pack, fz_roster *roster) {
    int rc = fz_cli_load_pack(o, pack);
    if (rc) return rc;
    fz_cli_print_warnings(stderr, pack);
    if ((rc = load_roster(o, pack, roster))) fz_pack_free(pack);
    return rc;
}

