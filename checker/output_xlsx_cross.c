/*
 * output_xlsx_cross.c - the workbook's sheet 雷同与沿用 (xlsx.h): the
 * batch's pairs of reports sharing unusual text (similar.h), then each
 * report beside its unit's report of the year before (previous.h), as one
 * table an assessor filters by 类型.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "previous.h"
#include "util.h"
#include "xlsx_internal.h"

static const column cross_head[FZ_XL_CROSS_COLS] = {
    {"类型", 11, 0}, {"单位", 24, 1}, {"文件", 30, 0}, {"对照的报告", 30, 1}, {"全文相同", 9, 0},
    {"相同句数", 9, 0}, {"存在的不足相同", 10, 0}, {"下一年度安排相同", 10, 0}, {"上年安排有交代", 10, 0},
    {"上年得分", 8, 0}, {"本年得分", 8, 0}, {"变化", 8, 0}, {"说明与相同内容", 70, 1}};

lxw_error fz_xl_cross_header(fz_xlsx *x, sheet *s) {
    return fz_xl_header_row(x, s->ws, 0, cross_head, COUNT(cross_head));
}


/* ---- 雷同与沿用 ------------------------------------------------------------- */

/* A share as a percent, or — when unknown. */
static lxw_error share_cell(fz_xlsx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v) {
    return v < 0 ? fz_xl_text(ws, row, col, "—", x->fmt[F_TEXT])
                 : worksheet_write_number(ws, row, col, v, x->fmt[F_PERCENT]);
}

/* Writes texts[c] to the row's cells c (NULL: an empty cell, bordered as
 * the others), except the columns in numbers (bit c), which the caller
 * writes; after fitting the row's height to the texts. */
static lxw_error cross_texts(fz_xlsx *x, lxw_worksheet *ws, lxw_row_t row, const char *const *texts,
                             unsigned numbers) {
    fz_xl_fit_row(ws, row, cross_head, texts, COUNT(cross_head));
    lxw_error e = LXW_NO_ERROR;
    for (size_t c = 0; c < COUNT(cross_head) && !e; c++)
        if (!(numbers >> c & 1))
            e = fz_xl_text(ws, row, (lxw_col_t)c, texts[c] ? texts[c] : "", x->fmt[cross_head[c].wrap ? F_WRAP : F_TEXT]);
    return e;
}

/* A pair of the batch sharing unusual text: who, how much, and what. */
static lxw_error pair_row(fz_xlsx *x, const fz_sim_pair *p, const fz_summary *a, const fz_summary *b) {
    fz_buf other = {0}, said = {0};
    int bad = fz_buf_printf(&other, "%s（%s）", fz_xl_unit_label(b), b->file ? b->file : "") < 0 ||
              fz_buf_printf(&said, "两份报告有 %zu 句相同或仅数字不同（不计多数报告共有的套话），占较短一份的 %.0f%%",
                            p->shared, p->share * 100) < 0;
    for (size_t k = 0; k < p->npassages && !bad; k++)
        bad = fz_buf_printf(&said, "%s%s", k ? "\n……\n" : "\n相同内容（节选）：\n", p->passages[k]) < 0;
    lxw_error e = bad ? LXW_ERROR_MEMORY_MALLOC_FAILED : LXW_NO_ERROR;
    lxw_row_t row;
    if (!e) e = fz_xl_sheet_row(x, &x->cross, &row);
    const char *texts[COUNT(cross_head)] = {"本批雷同", fz_xl_unit_label(a), a->file, other.ptr};
    texts[12] = said.ptr;
    lxw_worksheet *ws = x->cross.ws;
    if (!e) e = cross_texts(x, ws, row, texts, 1u << 4 | 1u << 5);
    if (!e) e = worksheet_write_number(ws, row, 4, p->share, x->fmt[F_PERCENT]);
    if (!e) e = worksheet_write_number(ws, row, 5, (double)p->shared, x->fmt[F_NUM]);
    fz_buf_free(&other);
    fz_buf_free(&said);
    return e;
}

/* A report beside its unit's report of the year before. */
static lxw_error previous_row(fz_xlsx *x, const fz_summary *s) {
    fz_buf note = {0};
    char followed[64] = "—";
    if (s->has_promises && s->promises)
        snprintf(followed, sizeof followed, "%zu/%zu", s->promises_followed, s->promises);
    int bad = 0;
    if (s->promises_missing && *s->promises_missing)
        bad |= fz_buf_printf(&note, "未见交代的上年安排：%s", s->promises_missing) < 0;
    if (s->prev_gaps && *s->prev_gaps)
        bad |= fz_buf_printf(&note, "%s上年必备要素未达标：%s", note.len ? "\n" : "", s->prev_gaps) < 0;
    if (s->reused_quotes && *s->reused_quotes)
        bad |= fz_buf_printf(&note, "%s与上年相同的句子（节选）：\n%s", note.len ? "\n" : "", s->reused_quotes) < 0;
    lxw_error e = bad ? LXW_ERROR_MEMORY_MALLOC_FAILED : LXW_NO_ERROR;
    lxw_row_t row;
    if (!e) e = fz_xl_sheet_row(x, &x->cross, &row);
    const char *texts[COUNT(cross_head)] = {"与上年对照", fz_xl_unit_label(s), s->file, s->prev_file};
    texts[8] = followed;
    texts[12] = note.ptr ? note.ptr : "";
    lxw_worksheet *ws = x->cross.ws;
    if (!e) e = cross_texts(x, ws, row, texts, 1u << 4 | 1u << 6 | 1u << 7 | 1u << 9 | 1u << 10 | 1u << 11);
    if (!e) e = share_cell(x, ws, row, 4, s->reused);
    if (!e) e = share_cell(x, ws, row, 6, s->problems_reused);
    if (!e) e = share_cell(x, ws, row, 7, s->plan_reused);
    if (!e) e = worksheet_write_number(ws, row, 9, s->prev_score, x->fmt[F_SCORE]);
    if (!e) e = worksheet_write_number(ws, row, 10, s->score, x->fmt[F_SCORE]);
    if (!e) e = worksheet_write_number(ws, row, 11, fz_summary_change(s), x->fmt[F_DELTA]);
    fz_buf_free(&note);
    return e;
}

typedef struct {
    size_t i;
    double reused;
} by_reuse;

static int cmp_reuse(const void *a, const void *b) {
    const by_reuse *x = a, *y = b;
    if (x->reused != y->reused) return x->reused > y->reused ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The reports paired with last year's, most said again first. */
static lxw_error write_previous_rows(fz_xlsx *x, fz_sums *ss) {
    size_t n = fz_sums_count(ss), k = 0;
    by_reuse *v = malloc((fz_sums_paired(ss) ? fz_sums_paired(ss) : 1) * sizeof *v);
    if (!v) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t i = 0; i < n && k < fz_sums_paired(ss); i++) {
        fz_summary s;
        if (fz_sums_get(ss, i, &s) < 0) {
            free(v);
            return LXW_ERROR_READING_TMPFILE;
        }
        if (s.has_previous) v[k++] = (by_reuse){i, s.reused};
        fz_summary_free(&s);
    }
    if (k) qsort(v, k, sizeof *v, cmp_reuse);
    lxw_error e = LXW_NO_ERROR;
    for (size_t j = 0; j < k && !e; j++) {
        fz_summary s;
        if (fz_sums_get(ss, v[j].i, &s) < 0) e = LXW_ERROR_READING_TMPFILE;
        else e = previous_row(x, &s);
        fz_summary_free(&s);
    }
    free(v);
    return e;
}

/* 雷同与沿用: the batch's similar pairs, then the reports beside last year's. */
/* Last year's reports that no report of this batch was paired with, or
 * that could not be read: the units to ask about. */
static lxw_error unpaired_rows(fz_xlsx *x, const fz_prev_tally *t) {
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < t->n && !e; i++) {
        const fz_prev_entry *pe = &t->v[i];
        if (pe->state == FZ_PREV_PAIRED) continue;
        int bad = pe->state == FZ_PREV_UNREADABLE;
        fz_buf note = {0};
        if ((bad ? fz_buf_printf(&note, "上一年度报告无法读取：%s", pe->error ? pe->error : "")
                 : fz_buf_puts(&note, "本批没有报告与这份上一年度报告配对：该单位本年没有报告，或两年的单位名称对不上"
                                      "（可在单位名单 --units 中写明别名）")) < 0) {
            fz_buf_free(&note);
            return LXW_ERROR_MEMORY_MALLOC_FAILED;
        }
        lxw_row_t row;
        e = fz_xl_sheet_row(x, &x->cross, &row);
        const char *texts[COUNT(cross_head)] = {"上年未配对", pe->unit ? pe->unit : "（未写明）", "", pe->file};
        texts[12] = note.ptr;
        if (!e) e = cross_texts(x, x->cross.ws, row, texts, bad ? 0 : 1u << 9);
        if (!e && !bad) e = worksheet_write_number(x->cross.ws, row, 9, pe->score, x->fmt[F_SCORE]);
        fz_buf_free(&note);
    }
    return e;
}

lxw_error fz_xl_write_cross(fz_xlsx *x, fz_sums *ss, const fz_cross *cross) {
    const fz_sim_result *sim = cross ? cross->sim : NULL;
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; sim && i < sim->npairs && !e; i++) {
        fz_summary a, b;
        if (fz_sums_get_two(ss, sim->pairs[i].a, sim->pairs[i].b, &a, &b) < 0) return LXW_ERROR_READING_TMPFILE;
        e = pair_row(x, &sim->pairs[i], &a, &b);
        fz_summary_free(&a);
        fz_summary_free(&b);
    }
    if (!e) e = write_previous_rows(x, ss);
    if (!e && cross && cross->previous) e = unpaired_rows(x, cross->previous);
    return e ? e : fz_xl_sheet_close(x, &x->cross);
}

