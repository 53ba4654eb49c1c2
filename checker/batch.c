/*
 * batch.c - see batch.h.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output.h"
#include "pool.h"
#include "previous.h"
#include "read.h"
#include "score.h"
#include "util.h"
#include "wire.h"

/* The bytes of an inputs block (a longer path gets a block of its own). */
#define BLOCK_BYTES 65536

/* A copy of path in the blocks of in. */
static char *keep(fz_inputs *in, const char *path) {
    size_t len = strlen(path) + 1;
    if (len > in->room) {
        size_t size = len > BLOCK_BYTES ? len : BLOCK_BYTES;
        char *b = malloc(size);
        if (!b || fz_grow(&in->blocks, &in->bcap, in->nblocks + 1, sizeof *in->blocks) < 0) {
            free(b);
            return NULL;
        }
        in->blocks[in->nblocks++] = b;
        in->next = b;
        in->room = size;
    }
    char *at = in->next;
    in->next += len;
    in->room -= len;
    return memcpy(at, path, len);
}

static int push(fz_inputs *in, const char *path) {
    if (fz_grow(&in->paths, &in->cap, in->n + 1, sizeof *in->paths) < 0) return -1;
    if (!(in->paths[in->n] = keep(in, path))) return -1;
    in->n++;
    return 0;
}

int fz_inputs_set(fz_inputs *in, size_t i, const char *path) {
    char *p = keep(in, path);
    if (!p) return -1;
    in->paths[i] = p;
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *dir, fz_inputs *in, int depth) {
    if (depth > 64) return 0; /* a symlink loop; stop quietly */
    DIR *d = opendir(dir);
    if (!d) return push(in, dir); /* reported as unreadable later */
    char **names = NULL;
    size_t n = 0, ncap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !strncmp(e->d_name, "~$", 2)) continue;
        if (fz_grow(&names, &ncap, n + 1, sizeof *names) < 0 ||
            !(names[n] = fz_strdup(e->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && rc == 0; i++) {
        fz_buf p = {0};
        if (fz_buf_printf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                          names[i]) < 0) {
            rc = -1;
            break;
        }
        /* lstat: a symbolic link to a directory is not followed (it could
         * loop back); a link to a file is read like the file */
        struct stat st;
        int is_dir = lstat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode);
        if (is_dir)
            rc = walk(p.ptr, in, depth + 1);
        else if (fz_read_supported(p.ptr) &&
                 !(S_ISLNK(st.st_mode) && stat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode)))
            rc = push(in, p.ptr);
        fz_buf_free(&p);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

int fz_inputs_collect(char *const *args, size_t nargs, fz_inputs *out, char **err) {
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < nargs; i++) {
        struct stat st;
        int rc = stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)
                     ? walk(args[i], out, 0)
                     : push(out, args[i]);
        if (rc < 0) {
            fz_inputs_free(out);
            return fz_fail(err, FZ_ENOMEM);
        }
    }
    return 0;
}

void fz_inputs_free(fz_inputs *in) {
    for (size_t i = 0; i < in->nblocks; i++) free(in->blocks[i]);
    free(in->blocks);
    free(in->paths);
    memset(in, 0, sizeof *in);
}

/* ---- one report ---------------------------------------------------------- */

/* Patterns out of time: the report is not scored on half its rules. */
static int budget_error(fz_report *rep, const fz_regex_budget *b) {
    const char *label = fz_regex_budget_label(b), *src = fz_regex_budget_source(b);
    fz_buf m = {0};
    int bad = fz_buf_printf(&m, "%s的模式“%s”在本报告上匹配耗时过长（规则匹配共超过 %g 秒），"
                                "已停止检查本报告：请简化该模式（规则包作者可用 fzcheck rules check 查看警告）",
                            label ? label : "规则包", src ? src : "?", b->limit) < 0;
    fz_report_drop_results(rep);
    free(rep->error);
    rep->error = bad ? NULL : fz_buf_steal(&m);
    fz_buf_free(&m);
    return rep->error ? 0 : -1;
}

/* A report that cannot be read is still some unit's: its file name may
 * say whose, so that the unit is not listed as 未提交. */
static int match_unreadable(const fz_pack *pack, const fz_roster *roster, const char *path,
                            fz_report *rep) {
    if (!roster) return 0;
    int rc = fz_roster_match(roster, &rep->doc, path);
    if (rc > 0) rep->unit_type = fz_report_unit_type(pack, &rep->doc, &rep->unit_type_source);
    return rc < 0 ? -1 : 0;
}

int fz_batch_check_file(const fz_pack *pack, const fz_roster *roster, const char *path,
                        double regex_seconds, fz_report *rep, char **err) {
    return fz_batch_check_paired(pack, roster, NULL, path, regex_seconds, rep, err);
}

int fz_batch_check_paired(const fz_pack *pack, const fz_roster *roster,
                          const struct fz_prev_index *prev, const char *path,
                          double regex_seconds, fz_report *rep, char **err) {
    memset(rep, 0, sizeof *rep);
    rep->unit_type = FZ_NO_ROLE;
    if (!(rep->file = fz_strdup(path))) return fz_fail(err, FZ_ENOMEM);
    fz_doc doc;
    char *why = NULL;
    if (fz_doc_load(path, &doc, &why) < 0) {
        if (!why) return fz_fail(err, FZ_ENOMEM);
        rep->error = why;
        return match_unreadable(pack, roster, path, rep) < 0 ? fz_fail(err, FZ_ENOMEM) : 0;
    }
    if (roster && fz_roster_match(roster, &doc, path) < 0) {
        fz_doc_free(&doc);
        return fz_fail(err, FZ_ENOMEM);
    }
    rep->prev_index = prev;
    rep->paired = fz_prev_pair(prev, &doc, path);
    fz_regex_budget budget;
    fz_regex_budget_begin(&budget, regex_seconds);
    int rc = fz_engine_check(pack, &doc, rep, err);
    fz_regex_budget_end();
    if (rc < 0) return -1;
    if (budget.exhausted) return budget_error(rep, &budget) < 0 ? fz_fail(err, FZ_ENOMEM) : 0;
    fz_score_report(pack, rep);
    if (fz_prev_summarize(pack, rep) < 0) return fz_fail(err, FZ_ENOMEM);
    return 0;
}

/* ---- many reports, in workers --------------------------------------------- */

void fz_batch_defaults(fz_batch_opts *o) {
    o->jobs = 0;
    o->timeout = FZ_BATCH_TIMEOUT;
    o->memory_mb = FZ_BATCH_MEMORY_MB;
}

typedef struct {
    const fz_pack *pack;
    const fz_batch_opts *o;
    char *const *paths;
    fz_batch_emit emit;
    fz_batch_text_emit emit_text;
    void *ctx;
} run;

static int request_path(void *ctx, size_t i, fz_buf *req) {
    const run *r = ctx;
    return fz_buf_puts(req, r->paths[i]);
}

/* The report's JSON line, written here in the worker: the process that
 * writes every output is the bottleneck of a parallel batch, and the JSON
 * is a sixth of its work. Returns 0 or -1 (out of memory). */
static int encode_json_line(const fz_pack *pack, fz_report *rep) {
    char *line = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&line, &n);
    if (!f) return -1;
    fz_json_report_line(f, pack, rep);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || !line) {
        free(line);
        return -1;
    }
    rep->json_line = line;
    return 0;
}

/* The report's page and annotated copy, made here where its paragraphs
 * are. A file that cannot be made leaves the verdicts as they are: the
 * reason goes with the report (the first, when both fail), for the
 * writer to tell. Returns 0, or -1 when memory runs out. */
static int render_files(const run *r, const char *path, fz_report *rep) {
    char *err = NULL;
    if (r->o->html && !(rep->page = fz_html_page(r->pack, rep, "index.html", &err)))
        rep->render_error = fz_strdup_printf("无法生成 HTML 页面：%s", err ? err : FZ_ENOMEM);
    free(err);
    err = NULL;
    if (r->o->annotate && !rep->error &&
        fz_annotate(r->pack, rep, path, r->o->annotate, &rep->annotated, &err) < 0) {
        fz_buf_free(&rep->annotated);
        if (!rep->render_error)
            rep->render_error = fz_strdup_printf("无法生成批注文件：%s", err ? err : FZ_ENOMEM);
    }
    free(err);
    int failed = (r->o->html && !rep->page) || (r->o->annotate && !rep->error && !rep->annotated.len);
    return failed && !rep->render_error ? -1 : 0;
}

/* In the worker: check one report and encode it. */
static int check_work(void *ctx, const char *req, size_t len, fz_buf *reply) {
    const run *r = ctx;
    char *path = fz_strndup(req, len);
    if (!path) return -1;
    fz_report rep;
    double regex = r->o->timeout > 0 ? r->o->timeout * FZ_BATCH_REGEX_SHARE : 0;
    int rc = fz_batch_check_paired(r->pack, r->o->roster, r->o->previous, path, regex, &rep, NULL);
    if (rc == 0 && r->o->fingerprint && !rep.error)
        rc = fz_prev_fingerprint(r->pack, &rep, (fz_fp_kind)r->o->fingerprint, &rep.fingerprint);
    if (rc == 0 && r->o->stdin_path && !strcmp(path, r->o->stdin_path)) {
        char *shown = fz_strdup(r->o->stdin_name);
        if (!shown) rc = -1;
        free(rep.file);
        rep.file = shown;
    }
    if (rc == 0 && r->o->json_lines) rc = encode_json_line(r->pack, &rep);
    if (rc == 0 && (r->o->html || r->o->annotate)) rc = render_files(r, path, &rep);
    if (rc == 0) rc = fz_wire_encode(r->pack, &rep, reply);
    fz_report_free(&rep);
    free(path);
    return rc;
}

/* The error a report gets when its job ended without an answer. */
static char *job_error(const fz_batch_opts *o, const fz_job *job) {
    fz_buf m = {0};
    int bad = 0;
    switch (job->status) {
    case FZ_JOB_TIMEOUT:
        bad = fz_buf_printf(&m, "处理超时（超过 %g 秒），已跳过", o->timeout) < 0;
        break;
    case FZ_JOB_MEMORY:
        bad = o->memory_mb
                  ? fz_buf_printf(&m, "处理时内存超出上限（%zu MB），已跳过", o->memory_mb) < 0
                  : fz_buf_puts(&m, "处理时内存不足，已跳过") < 0;
        break;
    case FZ_JOB_CRASH:
        if (job->signal > 0)
            bad = fz_buf_printf(&m, "处理时程序异常终止（信号 %d），已跳过；请把这份文件交给开发者排查",
                                job->signal) < 0;
        else if (job->exit_status >= 0)
            bad = fz_buf_printf(&m, "处理时程序异常终止（退出状态 %d），已跳过；请把这份文件交给开发者排查",
                                job->exit_status) < 0;
        else
            bad = fz_buf_puts(&m, "处理时程序异常终止，已跳过；请把这份文件交给开发者排查") < 0;
        break;
    case FZ_JOB_OK:
        bad = fz_buf_puts(&m, "内部错误：检查结果无法解读，已跳过") < 0;
        break;
    }
    if (bad) {
        fz_buf_free(&m);
        return NULL;
    }
    return fz_buf_steal(&m);
}

static int deliver_report(void *ctx, size_t i, const fz_job *job, char **err) {
    const run *r = ctx;
    fz_report rep;
    memset(&rep, 0, sizeof rep);
    if (job->status != FZ_JOB_OK || fz_wire_decode(r->pack, job->reply, job->len, &rep) < 0) {
        fz_report_free(&rep);
        memset(&rep, 0, sizeof rep);
        rep.unit_type = FZ_NO_ROLE;
        rep.file = fz_strdup(r->paths[i]);
        rep.error = job_error(r->o, job);
        if (!rep.file || !rep.error || match_unreadable(r->pack, r->o->roster, r->paths[i], &rep) < 0) {
            fz_report_free(&rep);
            return fz_fail(err, FZ_ENOMEM);
        }
    }
    int rc = r->emit(r->ctx, i, &rep, err);
    fz_report_free(&rep);
    return rc;
}

static size_t workers_of(const fz_batch_opts *o) {
    return o->jobs ? o->jobs : fz_pool_cpus();
}

int fz_batch_run(const fz_pack *pack, const fz_batch_opts *o, char *const *paths, size_t n,
                 fz_batch_emit emit, void *ctx, char **err) {
    run r = {pack, o, paths, emit, NULL, ctx};
    fz_pool_opts po = {workers_of(o), o->timeout, o->memory_mb, check_work, &r};
    return fz_pool_run(&po, n, request_path, deliver_report, &r, err);
}

/* ---- texts, for `fzcheck text` --------------------------------------------- */

static int put_str(fz_buf *b, const char *s, size_t n) {
    uint64_t len = n;
    return fz_buf_append(b, (const char *)&len, sizeof len) < 0 || fz_buf_append(b, s, n) < 0
               ? -1 : 0;
}

/* In the worker: read one file; the reply is "T" and the text, or "E" and
 * the reason it cannot be read. Fields are in this machine's byte order:
 * the reply never leaves the run. */
static int read_work(void *ctx, const char *req, size_t len, fz_buf *reply) {
    (void)ctx;
    char *path = fz_strndup(req, len);
    if (!path) return -1;
    fz_text t;
    char *why = NULL;
    int rc = fz_read_file(path, &t, &why);
    free(path);
    if (rc < 0) {
        rc = why ? (fz_buf_puts(reply, "E") < 0 || fz_buf_puts(reply, why) < 0 ? -1 : 0) : -1;
        free(why);
        return rc;
    }
    uint32_t loc = (uint32_t)t.loc;
    uint64_t nlines = t.nlines;
    rc = fz_buf_puts(reply, "T") < 0 || put_str(reply, t.format, strlen(t.format)) < 0 ||
                 put_str(reply, t.encoding, strlen(t.encoding)) < 0 ||
                 fz_buf_append(reply, (const char *)&loc, sizeof loc) < 0 ||
                 put_str(reply, t.data, t.len) < 0 ||
                 fz_buf_append(reply, (const char *)&nlines, sizeof nlines) < 0 ||
                 (t.nlines && fz_buf_append(reply, (const char *)t.line_page,
                                            t.nlines * sizeof *t.line_page) < 0)
             ? -1 : 0;
    fz_text_free(&t);
    return rc;
}

/* Takes a length-prefixed string from p[0..n) at *at. */
static const char *take_str(const char *p, size_t n, size_t *at, size_t *len) {
    uint64_t l;
    if (n - *at < sizeof l) return NULL;
    memcpy(&l, p + *at, sizeof l);
    *at += sizeof l;
    if (n - *at < l) return NULL;
    const char *s = p + *at;
    *at += (size_t)l;
    *len = (size_t)l;
    return s;
}

static const char *static_name(const char *s, size_t n) {
    static const char *const known[] = {"txt", "md", "docx", "pdf", "ofd", "UTF-8", "UTF-8 BOM",
                                        "UTF-16LE", "UTF-16BE", "GB18030", NULL};
    for (size_t i = 0; known[i]; i++)
        if (strlen(known[i]) == n && !memcmp(known[i], s, n)) return known[i];
    return "?";
}

/* Rebuilds the text of a read_work reply, borrowing the data (and leaving
 * line_page NULL: the page numbers start at *pages_at). Returns 0, or -1
 * when the reply is garbled. */
static int decode_text(const char *p, size_t n, fz_text *t, size_t *pages_at) {
    memset(t, 0, sizeof *t);
    size_t at = 1, len;
    const char *s;
    if (!(s = take_str(p, n, &at, &len))) return -1;
    t->format = static_name(s, len);
    if (!(s = take_str(p, n, &at, &len))) return -1;
    t->encoding = static_name(s, len);
    uint32_t loc;
    if (n - at < sizeof loc) return -1;
    memcpy(&loc, p + at, sizeof loc);
    at += sizeof loc;
    t->loc = loc <= FZ_LOC_PAGE ? (fz_loc)loc : FZ_LOC_LINE;
    if (!(s = take_str(p, n, &at, &len))) return -1;
    t->data = (char *)s;
    t->len = len;
    uint64_t nlines;
    if (n - at < sizeof nlines) return -1;
    memcpy(&nlines, p + at, sizeof nlines);
    at += sizeof nlines;
    if ((n - at) / sizeof *t->line_page != nlines || (n - at) % sizeof *t->line_page) return -1;
    t->nlines = (size_t)nlines;
    *pages_at = at;
    return 0;
}

static int deliver_text(void *ctx, size_t i, const fz_job *job, char **err) {
    const run *r = ctx;
    if (job->status == FZ_JOB_OK && job->len && job->reply[0] == 'E') {
        char *why = fz_strndup(job->reply + 1, job->len - 1);
        if (!why) return fz_fail(err, FZ_ENOMEM);
        int rc = r->emit_text(r->ctx, i, NULL, why, err);
        free(why);
        return rc;
    }
    fz_text t;
    if (job->status == FZ_JOB_OK && job->len && job->reply[0] == 'T') {
        /* the text must be NUL-terminated and line_page aligned: copy */
        char *copy = malloc(job->len + 1);
        if (!copy) return fz_fail(err, FZ_ENOMEM);
        memcpy(copy, job->reply, job->len);
        copy[job->len] = '\0';
        int rc = -1;
        size_t pages_at;
        if (decode_text(copy, job->len, &t, &pages_at) == 0) {
            char *data = fz_strndup(t.data, t.len);
            uint32_t *pages = t.nlines ? malloc(t.nlines * sizeof *pages) : NULL;
            if (!data || (t.nlines && !pages)) {
                free(data);
                free(pages);
                free(copy);
                return fz_fail(err, FZ_ENOMEM);
            }
            if (t.nlines) memcpy(pages, copy + pages_at, t.nlines * sizeof *pages);
            t.data = data;
            t.line_page = pages;
            rc = r->emit_text(r->ctx, i, &t, NULL, err);
            fz_text_free(&t);
            free(copy);
            return rc;
        }
        free(copy);
    }
    char *why = job_error(r->o, job);
    if (!why) return fz_fail(err, FZ_ENOMEM);
    int rc = r->emit_text(r->ctx, i, NULL, why, err);
    free(why);
    return rc;
}

int fz_batch_read(const fz_batch_opts *o, char *const *paths, size_t n, fz_batch_text_emit emit,
                  void *ctx, char **err) {
    run r = {NULL, o, paths, NULL, emit, ctx};
    fz_pool_opts po = {workers_of(o), o->timeout, o->memory_mb, read_work, &r};
    return fz_pool_run(&po, n, request_path, deliver_text, &r, err);
}
