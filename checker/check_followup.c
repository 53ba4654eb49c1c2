/*
 * check_followup.c - the followup check kind: each promise of the unit's
 * report of the year before (the items of its `promises` part, its plan
 * by default: subheadings with their bodies, 一是/二是… items, or
 * sentences; promise.h) is looked for in this year's `scope` (its
 * achievements). A promise has an account when a paragraph or a small
 * subsection there holds at least `overlap` of its head's or its body's
 * two-character words, weighted by their rarity (promise.h). Pass at
 * `pass_at` of the promises, partial at `partial_at` (by the share); the
 * promises with no account are named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "previous.h"

void fz_prev_na(fz_ctx *x, fz_outcome *o); /* check_reuse.c */

void fz_check_followup(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    if (!x->prev) {
        fz_prev_na(x, o);
        return;
    }
    const fz_prev_report *pr = x->prev;
    size_t sc = c->promises;
    const fz_promise *ps = sc < pr->nscopes ? pr->promises[sc] : NULL;
    size_t n = ps ? pr->npromises[sc] : 0;
    if (!n) {
        o->status = FZ_NA;
        o->ratio = -1;
        fz_outcome_detail(x, o, "不适用：上一年度报告（%s）中没有找到“%s”", pr->file,
                          x->pack->scopes[sc].title);
        return;
    }
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    if (!mask) return;
    const fz_doc *d = x->doc;
    fz_promise_matcher *m = fz_promise_matcher_new(d, mask, ps, n);
    if (!m) {
        x->oom = 1;
        return;
    }
    fz_buf found = {0}, missing = {0};
    size_t k = 0;
    for (size_t i = 0; i < n && !x->oom; i++) {
        size_t best_p = fz_promise_account(m, &ps[i], c->overlap, NULL);
        if (best_p != FZ_NONE) {
            k++;
            fz_join_name(x, &found, ps[i].label);
            fz_outcome_evidence(x, o, best_p, 0, d->norm.paras[best_p].len);
        } else {
            fz_join_name(x, &missing, ps[i].label);
        }
    }
    fz_promise_matcher_free(m);
    double share = (double)k / (double)n;
    o->status = share >= c->pass_share ? FZ_PASS : share >= c->partial_share ? FZ_PARTIAL : FZ_FAIL;
    if (o->status == FZ_PARTIAL) o->ratio = share;
    char v[32];
    snprintf(v, sizeof v, "%.0f%%", share * 100);
    fz_outcome_set(x, o, V_VALUE, v);
    snprintf(v, sizeof v, "%zu", n - k);
    fz_outcome_set(x, o, V_COUNT, v);
    fz_outcome_detail(x, o, "上一年度报告（%s）的 %zu 项工作安排中，%zu 项在本报告的“%s”部分中有交代%s%s", pr->file, n, k,
                      x->pack->scopes[c->scope].title, missing.ptr ? "；未见交代：" : "",
                      missing.ptr ? missing.ptr : "");
    fz_buf_free(&found);
    fz_outcome_set_buf(x, o, V_MISSING, &missing);
}
