/*
 * check_reuse.c - the reuse check kind: the share of a scope's sentences
 * found in the unit's report of the year before (previous.h), compared
 * without figures, punctuation and spaces. A report that says again what
 * it said last year has not reported on this year: fail at `fail_at`,
 * partial at `partial_at`. Not applicable when no previous report is
 * paired.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "previous.h"

/* Last year's reports that could not be read: they may be the one this
 * report should have been paired with. "；N 份上年报告无法读取：…". */
static int unreadable(const fz_prev_index *ix, fz_buf *b) {
    size_t n = 0;
    for (size_t i = 0; ix && i < ix->n; i++) n += ix->v[i].error != NULL;
    if (!n) return 0;
    int bad = fz_buf_printf(b, "；另有 %zu 份上一年度报告无法读取：", n) < 0;
    for (size_t i = 0, k = 0; ix && i < ix->n && k < 3 && !bad; i++) {
        const fz_prev_report *pr = &ix->v[i];
        if (!pr->error) continue;
        const char *slash = pr->file ? strrchr(pr->file, '/') : NULL;
        bad = fz_buf_printf(b, "%s%s（%s）", k++ ? "、" : "", slash ? slash + 1 : pr->file ? pr->file : "",
                            pr->error) < 0;
    }
    if (!bad && n > 3) bad = fz_buf_puts(b, "等") < 0;
    return bad ? -1 : 0;
}

/* Says why a report has no previous one to be compared with (na). */
void fz_prev_na(fz_ctx *x, fz_outcome *o);
void fz_prev_na(fz_ctx *x, fz_outcome *o) {
    o->status = FZ_NA;
    o->ratio = -1;
    if (!x->prev_given) {
        fz_outcome_detail(x, o, "不适用：未提供上一年度报告");
        return;
    }
    fz_buf why = {0};
    if (unreadable(x->prev_index, &why) < 0) x->oom = 1;
    fz_outcome_detail(x, o, "不适用：没有找到本单位上一年度的报告（按%s配对）%s",
                      x->doc->roster_unit ? "单位名单中的单位" : x->doc->unit ? "报告单位名称" : "单位名称，而本报告未写明单位",
                      why.ptr ? why.ptr : "");
    fz_buf_free(&why);
}

static void percent(fz_ctx *x, fz_outcome *o, int var, double share) {
    char v[32];
    snprintf(v, sizeof v, "%.0f%%", share * 100);
    fz_outcome_set(x, o, var, v);
}

void fz_check_reuse(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    if (!x->prev) {
        fz_prev_na(x, o);
        return;
    }
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    if (!mask) return;
    const char *scope = x->pack->scopes[c->scope].title;
    const fz_doc *d = x->doc;
    size_t found = 0, total = 0;
    for (size_t si = 0; si < d->nsentences; si++) {
        const fz_sentence *s = &d->sentences[si];
        if (!mask[s->para] || s->para < d->header_end) continue;
        int rc = fz_prev_sentence(d, si, x->prev);
        if (rc < 0) {
            x->oom = 1;
            return;
        }
        total += rc > 0;
        if (rc == 2) {
            found++;
            fz_outcome_evidence(x, o, s->para, s->start, s->end);
        }
    }
    if (!total) {
        o->status = FZ_NA;
        o->ratio = -1;
        fz_outcome_detail(x, o, "不适用：报告中没有“%s”部分可与上一年度报告比较", scope);
        return;
    }
    double share = (double)found / (double)total;
    o->status = share >= c->reuse_fail ? FZ_FAIL : share >= c->reuse_partial ? FZ_PARTIAL : FZ_PASS;
    percent(x, o, V_VALUE, share);
    char count[32];
    snprintf(count, sizeof count, "%zu", found);
    fz_outcome_set(x, o, V_COUNT, count);
    fz_outcome_detail(x, o, "%s中 %zu/%zu 句与上一年度报告（%s）相同或仅数字不同（%.0f%%）", scope,
                      found, total, x->prev->file, share * 100);
}
