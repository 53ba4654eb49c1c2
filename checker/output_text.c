/*
 * output_text.c - the Chinese report a person reads in a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "output.h"
#include "previous.h"
#include "similar.h"
#include "utf8.h"
#include "util.h"

#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define RED "\033[31m"
#define GREY "\033[90m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* What the text writers need to know besides the report. */
typedef struct {
    const fz_pack *pack;
    int color;           /* ANSI colours (a TTY without NO_COLOR) */
    int para;            /* evidence lines are paragraphs (a Word file) */
} fz_run;

static const char *paint(const fz_run *run, const char *code) {
    return run->color ? code : "";
}

static const char *status_colour(fz_status s) {
    static const char *const colours[] = {GREEN, YELLOW, RED, GREY};
    return colours[s];
}

/* Writes s and pads it with spaces to `width` display columns. */
static void padded(FILE *f, const char *s, size_t width) {
    if (!s) s = "";
    size_t w = fz_utf8_width(s, strlen(s));
    fputs(s, f);
    for (; w < width; w++) fputc(' ', f);
}

/* A file name on a line of its own, control characters escaped. */
static void shown_line(FILE *f, const char *s) {
    char *shown = fz_display(s, 0);
    fprintf(f, "%s\n", shown ? shown : "");
    free(shown);
}

static void evidence_line(FILE *f, const fz_run *run, const fz_evidence *e) {
    if (e->page)
        fprintf(f, "      %s第 %u 页第 %u 行%s", paint(run, GREY), e->page, e->line, paint(run, RESET));
    else
        fprintf(f, "      %s第 %u %s%s", paint(run, GREY), e->line, run->para ? "段" : "行",
                paint(run, RESET));
    /* a section's own heading needs no "（in section X）" */
    if (e->section && (!e->text || strcmp(e->section, e->text))) fprintf(f, "（%s）", e->section);
    fprintf(f, "：“%s”\n", e->text ? e->text : "");
}

static void result_text(FILE *f, const fz_run *run, const fz_result *res) {
    const fz_rule *r = res->rule;
    fprintf(f, "  %s%s%s %s  %s[%s",
            paint(run, status_colour(res->status)), fz_status_mark(res->status),
            paint(run, RESET), r->title, paint(run, GREY), fz_severity_label(r->severity));
    if (res->status == FZ_NA) fprintf(f, " 不适用]%s\n", paint(run, RESET));
    else fprintf(f, " %.1f/%g]%s\n", res->score, r->points, paint(run, RESET));
    if (res->status == FZ_PASS) {
        fprintf(f, "      %s\n", res->detail);
        if (res->nevidence) evidence_line(f, run, &res->evidence[0]);
        return;
    }
    if (res->status == FZ_NA) {
        fprintf(f, "      %s\n", res->detail);
        return;
    }
    fprintf(f, "      问题：%s\n", res->message);
    if (res->detail && *res->detail) fprintf(f, "      检查：%s\n", res->detail);
    fprintf(f, "      建议：%s\n", res->suggestion ? res->suggestion : r->suggestion);
    fprintf(f, "      依据：%s\n", r->basis);
    for (size_t e = 0; e < res->nevidence && e < 2; e++) evidence_line(f, run, &res->evidence[e]);
}

/* "名称 N%" of a share (two spaces before all but the first), nothing
 * when unknown (< 0). */
static void share_text(FILE *f, const char *name, double v, int *first) {
    if (v < 0) return;
    fprintf(f, "%s%s %.0f%%", *first ? "" : "  ", name, v * 100);
    *first = 0;
}

/* 上年报告 and how much of it this report says again; what became of
 * last year's required gaps. */
static void previous_text(FILE *f, const fz_pack *pack, const fz_prev_summary *p, double score) {
    char *file = fz_display(p->file, 0);
    fprintf(f, "  上年报告：%s（%.1f 分，%s；本年较上年 %+.1f 分）    沿用比例：", file ? file : "", p->score,
            p->grade ? p->grade : "—", score - p->score);
    free(file);
    int first = 1;
    share_text(f, "全文", p->reused, &first);
    share_text(f, "存在问题", p->problems_reused, &first);
    share_text(f, "下一年度安排", p->plan_reused, &first);
    if (first) fputs("—", f);
    fputc('\n', f);
    fz_buf g = {0};
    if (p->ngaps && fz_prev_gaps_text(pack, p, &g) == 0) fprintf(f, "  上年必备要素未达标：%s\n", g.ptr);
    fz_buf_free(&g);
}

void fz_text_report(FILE *f, const fz_pack *pack, const fz_report *rep, size_t i, size_t n,
                    int color) {
    const fz_run run_ = {pack, color, rep->doc.loc == FZ_LOC_PARAGRAPH}, *run = &run_;
    const fz_doc *d = &rep->doc;
    char *file = fz_display(rep->file, 0);
    fprintf(f, "%s【%zu/%zu】%s%s\n", paint(run, BOLD), i + 1, n, file ? file : "",
            paint(run, RESET));
    free(file);
    if (rep->error) {
        fprintf(f, "  %s✗ 无法检查：%s%s\n\n", paint(run, RED), rep->error, paint(run, RESET));
        return;
    }
    fprintf(f, "  标题：%s\n", d->title ? d->title : "（未识别到标题）");
    fprintf(f, "  单位：%s", d->unit ? d->unit : "（未写明）");
    if (rep->unit_type < pack->nunit_types) fprintf(f, "（%s）", pack->unit_types[rep->unit_type].name);
    if (d->roster_unit && d->unit_source == FZ_SRC_ROSTER) fputs("［名单］", f);
    fputs("    年度：", f);
    if (d->year) fprintf(f, "%d", d->year);
    else fputs("（未识别）", f);
    if (d->doc_number) fprintf(f, "    文号：%s", d->doc_number);
    if (d->date) fprintf(f, "    成文日期：%s", d->date);
    fputc('\n', f);
    const char *gc = rep->required_gaps ? (strcmp(rep->grade, pack->fail_grade) ? YELLOW : RED) : GREEN;
    fprintf(f, "  总分：%s%.1f%s    等级：%s%s%s    必备要素未达标：%zu 项\n",
            paint(run, BOLD), rep->score, paint(run, RESET), paint(run, gc), rep->grade,
            paint(run, RESET), rep->required_gaps);
    if (rep->previous) previous_text(f, pack, rep->previous, rep->score);
    for (size_t r = 0; r < rep->nresults; r++) result_text(f, run, &rep->results[r]);
    fputc('\n', f);
}

/* The files of the reports matched to roster unit u (u < 0: to none),
 * one a line after prefix. Returns 0 or -1 (a summary unreadable). */
static int files_of_unit(FILE *f, fz_sums *ss, const fz_roster *r, long u, const char *prefix) {
    for (size_t i = 0; i < fz_sums_count(ss); i++) {
        fz_summary s;
        if (fz_sums_get(ss, i, &s) < 0) return -1;
        long v = s.roster_unit ? fz_roster_find(r, s.roster_unit) : -1;
        if (v == u) {
            fputs(prefix, f);
            shown_line(f, s.file);
        }
        fz_summary_free(&s);
    }
    return 0;
}

/* What the roster says: units with no report, reports of no unit, units
 * with two reports. */
static int roster_text(FILE *f, const fz_run *run, fz_sums *ss, const fz_tally *t) {
    const fz_roster *r = t->roster;
    fprintf(f, "%s单位名单：%zu 个单位，%zu 个未提交，%zu 份报告未匹配到名单中的单位，%zu 个单位有多份报告%s\n",
            paint(run, BOLD), r->n, t->missing, t->unmatched, t->duplicated, paint(run, RESET));
    if (t->missing) {
        fputs("  未提交：", f);
        for (size_t u = 0, k = 0; u < r->n; u++)
            if (!t->count[u]) fprintf(f, "%s%s", k++ ? "、" : "", r->units[u].name);
        fputc('\n', f);
    }
    if (t->unmatched && files_of_unit(f, ss, r, -1, "  未匹配：") < 0) return -1;
    for (size_t u = 0; u < r->n; u++) {
        if (t->count[u] < 2) continue;
        fprintf(f, "  多份报告（%s）：\n", r->units[u].name);
        if (files_of_unit(f, ss, r, (long)u, "    ") < 0) return -1;
    }
    return 0;
}

/* One line of the ranking. */
/* with_previous: 上年 and 变化 after 总分 (— when not paired). */
static void ranking_line(FILE *f, const fz_summary *r, size_t rank, int with_previous) {
    if (r->error) {
        fputs(with_previous ? "  —     —       —       —       —         —       " : "  —     —       —         —       ", f);
        padded(f, "（无法读取）", 30);
        shown_line(f, r->file);
        return;
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", rank);
    fputs("  ", f);
    padded(f, buf, 6);
    snprintf(buf, sizeof buf, "%.1f", r->score);
    padded(f, buf, 8);
    if (with_previous && !r->has_previous) {
        fputs("—       —       ", f); /* as the error row's dashes, one column wide */
    } else if (with_previous) {
        snprintf(buf, sizeof buf, "%.1f", r->prev_score);
        padded(f, buf, 8);
        snprintf(buf, sizeof buf, "%+.1f", r->score - r->prev_score);
        padded(f, buf, 8);
    }
    padded(f, r->grade, 10);
    snprintf(buf, sizeof buf, "%zu", r->required_gaps);
    padded(f, buf, 8);
    padded(f, r->unit ? r->unit : "（未写明）", 30);
    shown_line(f, r->file);
}

/* Last year's reports in state st, "、" between: their files shown, with
 * the unit (or why they could not be read). */
static void file_list(FILE *f, const fz_prev_tally *t, fz_prev_state st) {
    for (size_t i = 0, k = 0; i < t->n; i++) {
        const fz_prev_entry *e = &t->v[i];
        if (e->state != st) continue;
        char *shown = fz_display(e->file ? e->file : "", 0);
        fprintf(f, "%s%s", k++ ? "、" : "", shown ? shown : "");
        const char *why = st == FZ_PREV_UNREADABLE ? e->error : e->unit;
        if (why) fprintf(f, "（%s）", why);
        free(shown);
    }
}

void fz_text_previous(FILE *f, const fz_prev_tally *t) {
    fprintf(f, "上一年度报告：%zu 份，%zu 份与本年的报告配对", t->n, t->paired);
    if (t->unpaired) {
        fprintf(f, "；未配对 %zu 份（该单位本年没有报告，或两年的单位名称对不上，可用 --units 的别名）：", t->unpaired);
        file_list(f, t, FZ_PREV_UNPAIRED);
    }
    if (t->unreadable) {
        fprintf(f, "；无法读取 %zu 份：", t->unreadable);
        file_list(f, t, FZ_PREV_UNREADABLE);
    }
    fputc('\n', f);
}

int fz_text_similar(FILE *f, fz_sums *ss, const fz_sim_result *sim) {
    fprintf(f, "内容雷同的报告：%zu 对（不计 %zu 句多数报告共有的套话）\n", sim->npairs, sim->boilerplate);
    for (size_t i = 0; i < sim->npairs; i++) {
        const fz_sim_pair *p = &sim->pairs[i];
        fz_summary a, b;
        if (fz_sums_get_two(ss, p->a, p->b, &a, &b) < 0) return -1;
        char *x = fz_display(a.file, 0), *y = fz_display(b.file, 0);
        fprintf(f, "  %s 与 %s：%zu 句相同或仅数字不同（占较短一份的 %.0f%%）\n", x ? x : "", y ? y : "",
                p->shared, p->share * 100);
        free(x);
        free(y);
        /* the first passages, a line each: the workbook and JSON have all */
        for (size_t k = 0; k < p->npassages && k < 2; k++) {
            const char *t = p->passages[k];
            size_t n = strlen(t), cut = n > 150 ? fz_utf8_clip(t, n, 150) : n;
            char *q = fz_strndup(t, cut), *shown = NULL;
            /* a passage over paragraphs: its breaks as spaces on one line */
            for (char *c = q; c && *c; c++)
                if (*c == '\n') *c = ' ';
            shown = q ? fz_display(q, 0) : NULL;
            fprintf(f, "      “%s%s”\n", shown ? shown : "", cut < n ? "…" : "");
            free(q);
            free(shown);
        }
        fz_summary_free(&a);
        fz_summary_free(&b);
    }
    return ferror(f) ? -1 : 0;
}

int fz_text_summary(FILE *f, const fz_pack *pack, fz_sums *ss, int color) {
    const fz_run run_ = {pack, color, 0}, *run = &run_;
    size_t n = fz_sums_count(ss);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order) return -1;
    size_t errors = 0, failing = 0, state = 0;
    fz_sums_rank(ss, order);
    for (size_t i = 0; i < n; i++) errors += fz_sums_failed(ss, i);
    /* the required gaps are in the records: counted while listing, and
     * the count line is written first from a pass over them */
    for (size_t i = 0; i < n; i++) {
        fz_summary s;
        if (fz_sums_get(ss, i, &s) < 0) goto fail;
        failing += !s.error && s.required_gaps;
        fz_summary_free(&s);
    }
    fprintf(f, "%s汇总：共 %zu 份报告，%zu 份必备要素不全，%zu 份无法读取%s\n",
            paint(run, BOLD), n, failing, errors, paint(run, RESET));
    int with_previous = fz_sums_paired(ss) > 0;
    fputs(with_previous ? "  排名  总分    上年    变化    等级      必备缺  单位                          文件\n"
                        : "  排名  总分    等级      必备缺  单位                          文件\n", f);
    for (size_t i = 0; i < n; i++) {
        fz_summary s;
        if (fz_sums_get(ss, order[i], &s) < 0) goto fail;
        ranking_line(f, &s, fz_sums_rank_at(ss, order, i, &state), with_previous);
        fz_summary_free(&s);
    }
    const fz_tally *t = fz_sums_tally(ss);
    if (t->roster && roster_text(f, run, ss, t) < 0) goto fail;
    free(order);
    return ferror(f) ? -1 : 0;
fail:
    free(order);
    return -1;
}

void fz_text_begin(FILE *f, const fz_pack *pack) {
    fprintf(f, "规则包：%s%s%s（%zu 条规则）\n\n", pack->name, *pack->version ? " " : "",
            pack->version, pack->nrules);
}
