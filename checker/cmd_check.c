/*
 * cmd_check.c - `fzcheck check`: the batch over the reports given (and
 * one read from standard input), written to every output asked for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "batch.h"
#include "cli.h"
#include "previous.h"
#include "run.h"
#include "util.h"

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

static int save_stdin(const fz_cli_opts *o, stdin_report *sr, char **err) {
    const char *tmp = getenv("TMPDIR");
    fz_buf d = {0}, p = {0};
    if (fz_buf_printf(&d, "%s/fzcheck-stdin-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0) goto oom;
    if (!mkdtemp(d.ptr)) {
        fz_buf_free(&d);
        return fz_fail(err, "无法创建临时目录保存标准输入中的报告：%s", fz_errno_message(errno));
    }
    sr->dir = fz_buf_steal(&d);
    /* without a name it is read as text, unless its first bytes fz_cli_say
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

/* ---- last year's reports (--previous) --------------------------------------- */

typedef struct {
    fz_prev_index *ix;
    const fz_pack *pack;
} prev_state;

static int emit_previous(void *ctx, size_t i, fz_report *rep, char **err) {
    (void)i;
    prev_state *ps = ctx;
    if (rep->error) {
        fz_buf m = {0};
        if (fz_buf_printf(&m, "上一年度报告“%s”无法读取，不作比较：%s", rep->file, rep->error) < 0) {
            fz_buf_free(&m);
            return fz_fail(err, FZ_ENOMEM);
        }
        fz_cli_say(m.ptr);
        fz_buf_free(&m);
    }
    return fz_prev_add(ps->ix, ps->pack, rep) < 0 ? fz_fail(err, FZ_ENOMEM) : 0;
}

/* Checks last year's reports with the same pack and keeps their
 * fingerprints, here in the parent: the batch's workers are forked after
 * it and inherit the index. */
static int load_previous(const fz_cli_opts *o, const fz_pack *pack, fz_prev_index *ix, char **err) {
    fz_inputs in = {0};
    if (fz_inputs_collect(o->previous, o->nprevious, &in, err) < 0) return -1;
    fz_batch_opts bo = o->batch;
    bo.json_lines = bo.html = 0;
    bo.annotate = NULL;
    bo.stdin_path = bo.stdin_name = NULL;
    bo.previous = NULL;
    bo.fingerprint = FZ_FP_PREVIOUS;
    prev_state ps = {ix, pack};
    int rc = in.n ? fz_batch_run(pack, &bo, in.paths, in.n, emit_previous, &ps, err) : 0;
    if (!in.n) fz_cli_say("--previous 给出的目录中没有找到上一年度报告文件");
    if (rc == 0 && fz_prev_index_seal(ix) < 0) rc = fz_fail(err, FZ_ENOMEM);
    fz_inputs_free(&in);
    return rc;
}

/* The inputs: files and folders searched, and "-" saved from stdin. */
static int collect(const fz_cli_opts *o, fz_inputs *in, stdin_report *sr, char **err) {
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

int fz_cmd_check(const fz_cli_opts *o) {
    fz_pack pack;
    fz_roster roster;
    int rc = fz_cli_load_pack_and_roster(o, &pack, &roster);
    if (rc) return rc;
    fz_cli_opts with = *o;
    with.batch.roster = o->units ? &roster : NULL;
    with.batch.json_lines = o->json || o->jsonl;
    with.batch.fingerprint = o->similar ? FZ_FP_SIMILAR : FZ_FP_NONE;
    with.batch.html = o->html != NULL;
    char when[32];
    fz_annotate_opts ann = {"fzcheck", fz_iso_time(fz_creation_time(), when, sizeof when)};
    with.batch.annotate = o->annotate ? &ann : NULL;
    o = &with;
    fz_inputs in = {0};
    stdin_report sr = {0};
    char *err = NULL;
    check_state cs = {NULL, NULL};
    fz_prev_index prev = {0};
    if (collect(o, &in, &sr, &err) < 0) goto fail;
    cs.in = sr.path ? &sr : NULL;
    with.batch.stdin_path = sr.path;
    with.batch.stdin_name = sr.shown;
    if (!in.n) {
        fz_cli_say("在给定的目录中没有找到报告文件（.docx、.pdf、.ofd、.txt、.md）");
        rc = 1;
        goto done;
    }
    if ((rc = fz_cli_check_outputs(o, &in))) goto done;
    if (o->nprevious) {
        if (load_previous(o, &pack, &prev, &err) < 0) goto fail;
        with.batch.previous = &prev;
    }
    fz_run_opts ro = fz_cli_run_opts(o);
    ro.previous_index = o->nprevious ? &prev : NULL;
    if (!(cs.run = fz_run_open(&pack, &ro, in.n, &err))) goto fail;
    int fed = fz_batch_run(&pack, &o->batch, in.paths, in.n, emit_check, &cs, &err);
    rc = fz_cli_end_run(cs.run, fed, err);
    goto done;
fail:
    fz_cli_say(err ? err : FZ_ENOMEM);
    rc = 2;
done:
    free(err);
    drop_stdin(&sr);
    fz_prev_index_free(&prev);
    fz_inputs_free(&in);
    fz_roster_free(&roster);
    fz_pack_free(&pack);
    return rc;
}
