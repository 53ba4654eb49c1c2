/*
 * run.c - see run.h.
 */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "previous.h"
#include "similar.h"
#include "ident.h"
#include "output.h"
#include "strset.h"
#include "util.h"
#include "xlsx.h"

struct fz_run {
    const fz_pack *pack;
    fz_run_opts o;
    int text;            /* a text report goes to stdout */
    int listings;        /* every report's listing, not only the ranking */
    int color;
    int progress;        /* a progress line on stderr */
    double started, shown; /* when the run began, when progress was last drawn */
    FILE *json, *jsonl;  /* NULL when not asked for */
    fz_atomic json_file, jsonl_file; /* when they go to files */
    fz_xlsx *xlsx;       /* NULL when no workbook is asked for */
    fz_atomic xlsx_file; /* the finished workbook, until renamed */
    fz_sums *sums;
    /* the folders of pages and annotated copies: the names given out */
    int html_ok, annotate_ok;
    fz_strset page_names, copy_names;
    char **pages;        /* page file name of each report, for index.html */
    size_t npages, pages_cap;
    fz_atomic index_file;
    size_t n, total;
    int status;          /* exit status so far */
    fz_similar sim;      /* --similar: every report's sentence hashes */
    fz_strset prev_used; /* --previous: last year's reports paired so far */
    const fz_prev_tally *prev_given; /* merging: the shards' tally */
};

void fz_run_set_previous(fz_run *r, const fz_prev_tally *t) {
    r->prev_given = t;
}

/* Whether last year's report `file` was paired with a report of the run. */
static int prev_used(void *ctx, const char *file) {
    return fz_strset_has(ctx, file);
}

void fz_run_say(const char *msg) {
    char *shown = msg ? fz_display(msg, 1) : NULL;
    fprintf(stderr, "fzcheck: %s\n", shown ? shown : msg ? msg : FZ_ENOMEM);
    free(shown);
}

static int use_color(FILE *f) {
    const char *nc = getenv("NO_COLOR");
    return isatty(fileno(f)) && !(nc && *nc);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- progress ------------------------------------------------------------ */

/* "已检查 1,200/10,000 份（12%），每秒 480 份，预计还需 18 秒", redrawn at
 * most five times a second, over itself. */
static void draw_progress(fz_run *r, int force) {
    double t = now();
    if (!force && t - r->shown < 0.2) return;
    r->shown = t;
    double rate = t > r->started ? (double)r->n / (t - r->started) : 0;
    fprintf(stderr, "\r\033[K已检查 %zu/%zu 份（%zu%%）", r->n, r->total,
            r->total ? r->n * 100 / r->total : 100);
    if (rate > 0 && r->n) {
        double left = (double)(r->total - r->n) / rate;
        fprintf(stderr, "，每秒 %.0f 份，预计还需 ", rate);
        if (left < 60) fprintf(stderr, "%.0f 秒", left);
        else if (left < 3600) fprintf(stderr, "%ld 分 %02ld 秒", (long)left / 60, (long)left % 60);
        else fprintf(stderr, "%.1f 小时", left / 3600);
    }
    fflush(stderr);
}

static void erase_progress(fz_run *r) {
    if (!r->progress) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    r->progress = 0;
}

/* ---- opening -------------------------------------------------------------- */

/* A JSON or JSONL output: stdout, or a file written atomically. */
static FILE *open_stream(fz_run *r, const char *path, fz_atomic *file) {
    if (!strcmp(path, "-")) return stdout;
    char *err = NULL;
    FILE *f = NULL;
    if (fz_atomic_begin(file, path, 1, &err) == 0) {
        f = file->f;
    } else {
        fz_run_say(err);
        r->status = 2;
    }
    free(err);
    return f;
}

/* A folder for per-report files: made when missing. Returns 1 when
 * usable; else says why (the exit status becomes 2) and returns 0. */
static int open_folder(fz_run *r, const char *dir) {
    struct stat st;
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        fz_buf m = {0};
        if (fz_buf_printf(&m, "无法创建文件夹“%s”：%s", dir, fz_errno_message(errno)) == 0)
            fz_run_say(m.ptr);
        fz_buf_free(&m);
        r->status = 2;
        return 0;
    }
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        fz_buf m = {0};
        if (fz_buf_printf(&m, "“%s”不是文件夹，无法在其中写出文件", dir) == 0) fz_run_say(m.ptr);
        fz_buf_free(&m);
        r->status = 2;
        return 0;
    }
    /* what a killed run left, once: not the folder read again per file */
    fz_atomic_remove_stale_in(dir);
    return 1;
}

fz_run *fz_run_open(const fz_pack *pack, const fz_run_opts *o, size_t total, char **err) {
    fz_run *r = calloc(1, sizeof *r);
    if (!r) {
        fz_fail(err, FZ_ENOMEM);
        return NULL;
    }
    r->pack = pack;
    r->o = *o;
    r->total = total;
    if (!(r->sums = fz_sums_new(pack, o->roster, err))) {
        free(r);
        return NULL;
    }
    int stdout_taken = (o->json && !strcmp(o->json, "-")) || (o->jsonl && !strcmp(o->jsonl, "-"));
    int terminal = isatty(STDOUT_FILENO);
    r->text = !stdout_taken && !o->quiet;
    r->listings = r->text && (total <= 1 || o->verbose || !terminal);
    r->color = r->text && use_color(stdout);
    r->progress = !o->quiet && total > 1 && terminal && isatty(STDERR_FILENO);
    r->started = now();
    if (o->json) r->json = open_stream(r, o->json, &r->json_file);
    if (o->jsonl) r->jsonl = open_stream(r, o->jsonl, &r->jsonl_file);
    char *why = NULL;
    if (o->xlsx && !(r->xlsx = fz_xlsx_open(o->xlsx, pack, o->roster, o->previous || o->similar, &why))) {
        fz_run_say(why);
        r->status = 2;
    }
    free(why);
    r->html_ok = o->html && open_folder(r, o->html);
    r->annotate_ok = o->annotate && open_folder(r, o->annotate);
    /* a report named index.txt must not take the ranking page's name */
    if (r->html_ok && fz_strset_add(&r->page_names, "index.html", NULL) < 0) {
        fz_run_abort(r);
        fz_fail(err, FZ_ENOMEM);
        return NULL;
    }
    if (r->json) fz_json_begin(r->json, pack);
    if (r->jsonl) fz_jsonl_begin(r->jsonl, pack, o->roster, o->previous);
    if (r->text) fz_text_begin(stdout, pack);
    return r;
}

/* ---- each report ------------------------------------------------------------ */

/* The file name of r's path without its folder and, with drop_ext, its
 * extension: what an annotated copy or a page is named after. */
static char *stem_of(const char *path, int drop_ext) {
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = drop_ext ? strrchr(base, '.') : NULL;
    return fz_strndup(base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
}

/* stem + ext, or stem（2）+ ext … when a report before took that name.
 * Returns a malloc'd name, or NULL when memory runs out. */
static char *unique_name(fz_strset *taken, const char *stem, const char *ext) {
    fz_buf b = {0};
    for (size_t k = 1;; k++) {
        b.len = 0;
        int bad = k == 1 ? fz_buf_printf(&b, "%s%s", stem, ext) < 0
                         : fz_buf_printf(&b, "%s（%zu）%s", stem, k, ext) < 0;
        int added = 0;
        if (bad || fz_strset_add(taken, b.ptr, &added) < 0) {
            fz_buf_free(&b);
            return NULL;
        }
        if (added) return fz_buf_steal(&b);
    }
}

/* Writes dir/name whole (atomic.h). Says why when it cannot. */
static void put_file(fz_run *r, const char *dir, const char *name, const char *data, size_t len) {
    fz_buf path = {0};
    fz_atomic a;
    char *err = NULL;
    if (fz_buf_printf(&path, "%s/%s", dir, name) < 0) {
        fz_fail(&err, FZ_ENOMEM);
    } else if (fz_atomic_begin_swept(&a, path.ptr, 1, 1, &err) == 0) {
        a.lazy = 1; /* the folder is flushed once at the end */
        if (fwrite(data, 1, len, a.f) != len) {
            fz_atomic_abort(&a);
            fz_fail(&err, "无法写出“%s”：%s", path.ptr, fz_errno_message(errno));
        } else {
            fz_atomic_commit(&a, &err);
        }
    }
    if (err) {
        fz_run_say(err);
        r->status = 2;
    }
    free(err);
    fz_buf_free(&path);
}

/* The report's page and annotated copy, when asked for and made. */
static int put_report_files(fz_run *r, fz_report *rep) {
    const char *file = rep->file ? rep->file : "报告";
    if (rep->render_error) {
        fz_buf m = {0};
        if (fz_buf_printf(&m, "%s：%s", file, rep->render_error) == 0)
            fz_run_say(m.ptr);
        fz_buf_free(&m);
        r->status = 2;
    }
    char *stem = NULL, *name = NULL;
    if (r->html_ok) {
        /* a report from stdin without --name is "-": its page needs a name */
        if (!(stem = stem_of(strcmp(file, "-") ? file : "标准输入", 0)) || !(name = unique_name(&r->page_names, stem, ".html")) ||
            fz_grow(&r->pages, &r->pages_cap, r->npages + 1, sizeof *r->pages) < 0)
            goto oom;
        if (rep->page) put_file(r, r->o.html, name, rep->page, strlen(rep->page));
        r->pages[r->npages++] = rep->page ? name : NULL;
        if (!rep->page) free(name);
        name = NULL;
        free(stem);
        stem = NULL;
    }
    if (r->annotate_ok && rep->annotated.len) {
        /* a macro-enabled copy keeps .docm: Word refuses it named .docx */
        size_t fl = strlen(file);
        const char *ext = fl > 5 && !strcasecmp(file + fl - 5, ".docm") ? ".批注.docm" : ".批注.docx";
        if (!(stem = stem_of(file, 1)) || !(name = unique_name(&r->copy_names, stem, ext)))
            goto oom;
        put_file(r, r->o.annotate, name, rep->annotated.ptr, rep->annotated.len);
    }
    free(stem);
    free(name);
    return 0;
oom:
    free(stem);
    free(name);
    return -1;
}

int fz_run_report(fz_run *r, size_t i, fz_report *rep, char **err) {
    if (r->listings) {
        erase_progress(r);
        fz_text_report(stdout, r->pack, rep, i, r->total, r->color);
    }
    if (r->json) fz_json_report(r->json, r->pack, rep, i == 0);
    if (r->jsonl) fz_jsonl_report(r->jsonl, r->pack, rep);
    if ((r->html_ok || r->annotate_ok || rep->render_error) && put_report_files(r, rep) < 0)
        return fz_fail(err, FZ_ENOMEM);
    if (r->o.similar && fz_similar_add(&r->sim, i, &rep->fingerprint) < 0)
        return fz_fail(err, FZ_ENOMEM);
    if (rep->previous && rep->previous->file && fz_strset_add(&r->prev_used, rep->previous->file, NULL) < 0)
        return fz_fail(err, FZ_ENOMEM);
    fz_summary s;
    if (fz_summary_of(r->pack, rep, &s) < 0) return fz_fail(err, FZ_ENOMEM);
    int rc = fz_sums_add(r->sums, &s, err);
    char *why = NULL;
    if (rc == 0 && r->xlsx && fz_xlsx_report(r->xlsx, rep, &s, &why) < 0) {
        /* the workbook is lost, but the text and JSON go on */
        fz_run_say(why);
        fz_xlsx_abort(r->xlsx);
        r->xlsx = NULL;
        r->status = 2;
    }
    free(why);
    fz_summary_free(&s);
    if (rc < 0) return -1;
    r->n = i + 1;
    if ((rep->error || rep->required_gaps) && r->status < 1) r->status = 1;
    if (r->progress) draw_progress(r, r->n == 1);
    return 0;
}

/* ---- the end ----------------------------------------------------------------- */

static void finish_stream(fz_run *r, FILE *f, fz_atomic *file, int written) {
    char *err = NULL;
    if (!written || (f == stdout ? fflush(f) != 0 : 0)) r->status = 2;
    if (file->f && fz_atomic_finish(file, &err) < 0) {
        fz_run_say(err);
        r->status = 2;
    }
    free(err);
}

static void free_run(fz_run *r) {
    fz_sums_free(r->sums);
    for (size_t i = 0; i < r->npages; i++) free(r->pages[i]);
    free(r->pages);
    fz_strset_free(&r->page_names);
    fz_strset_free(&r->copy_names);
    fz_similar_free(&r->sim);
    fz_strset_free(&r->prev_used);
    free(r);
}

/* index.html, the ranking linking to every page, finished but not yet
 * renamed (it goes in with the other result files). */
static void write_index(fz_run *r, const fz_cross *cross) {
    fz_buf path = {0};
    char *err = NULL;
    if (fz_buf_printf(&path, "%s/index.html", r->o.html) < 0) {
        fz_fail(&err, FZ_ENOMEM);
    } else if (fz_atomic_begin(&r->index_file, path.ptr, 1, &err) == 0) {
        if (fz_html_index(r->index_file.f, r->pack, r->sums, cross, r->pages) < 0) {
            fz_atomic_abort(&r->index_file);
            fz_fail(&err, "无法写出“%s”", path.ptr);
        } else if (fz_atomic_finish(&r->index_file, &err) < 0) {
            memset(&r->index_file, 0, sizeof r->index_file);
        }
    } else {
        memset(&r->index_file, 0, sizeof r->index_file);
    }
    if (err) {
        fz_run_say(err);
        r->status = 2;
    }
    free(err);
    fz_buf_free(&path);
}

/* The pages or copies written into dir, on disk before the run ends. */
static void sync_folder(fz_run *r, const char *dir) {
    char *err = NULL;
    if (dir && fz_atomic_sync_dir(dir, &err) < 0) {
        fz_run_say(err);
        r->status = 2;
    }
    free(err);
}

int fz_run_close(fz_run *r) {
    erase_progress(r);
    char *err = NULL;
    fz_sim_result sim = {0};
    fz_prev_tally tally = {0};
    fz_cross cross = {NULL, NULL};
    if (r->o.similar && fz_similar_pairs(&r->sim, &r->pack->similar, &sim) < 0) {
        fz_run_say("内存不足或临时文件无法读写，未能找出内容雷同的报告");
        r->status = 2;
    } else if (r->o.similar) {
        cross.sim = &sim;
    }
    if (r->o.previous_index && fz_prev_tally_make(r->o.previous_index, prev_used, &r->prev_used, &tally) < 0) {
        fz_run_say(FZ_ENOMEM);
        r->status = 2;
    } else if (r->o.previous_index) {
        cross.previous = &tally;
    } else if (r->prev_given) {
        cross.previous = r->prev_given;
    }
    if (r->text && fz_text_summary(stdout, r->pack, r->sums, r->color) < 0) r->status = 2;
    if (r->text && cross.previous) fz_text_previous(stdout, cross.previous);
    if (r->text && cross.sim && fz_text_similar(stdout, r->sums, cross.sim) < 0) r->status = 2;
    if (r->json) finish_stream(r, r->json, &r->json_file, fz_json_end_cross(r->json, r->sums, &cross) == 0);
    if (r->jsonl)
        finish_stream(r, r->jsonl, &r->jsonl_file, fz_jsonl_end(r->jsonl, r->n, cross.previous) == 0);
    if (r->xlsx && fz_xlsx_finish(r->xlsx, r->sums, &cross, &r->xlsx_file, &err) < 0) {
        fz_buf m = {0};
        if (fz_buf_printf(&m, "%s（%s）", err ? err : FZ_ENOMEM, r->o.xlsx) == 0) fz_run_say(m.ptr);
        fz_buf_free(&m);
        r->status = 2;
    }
    r->xlsx = NULL;
    free(err);
    err = NULL;
    sync_folder(r, r->html_ok ? r->o.html : NULL);
    sync_folder(r, r->annotate_ok ? r->o.annotate : NULL);
    if (r->html_ok) write_index(r, &cross);
    fz_sim_result_free(&sim);
    fz_prev_tally_free(&tally);
    /* a unit of the roster that sent nothing is a finding, like a gap */
    const fz_tally *t = fz_sums_tally(r->sums);
    if ((t->missing || t->unmatched) && r->status < 1) r->status = 1;
    fz_atomic *all[4] = {&r->json_file, &r->jsonl_file, &r->xlsx_file, &r->index_file};
    if (fz_atomic_commit_all(all, 4, &err) < 0) {
        fz_run_say(err);
        r->status = 2;
    }
    free(err);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fz_run_say("无法输出结果到标准输出");
        r->status = 2;
    }
    int status = r->status;
    free_run(r);
    return status;
}

void fz_run_abort(fz_run *r) {
    if (!r) return;
    erase_progress(r);
    if (r->json_file.f || r->json_file.temp) fz_atomic_abort(&r->json_file);
    if (r->jsonl_file.f || r->jsonl_file.temp) fz_atomic_abort(&r->jsonl_file);
    if (r->xlsx) fz_xlsx_abort(r->xlsx);
    free_run(r);
}
