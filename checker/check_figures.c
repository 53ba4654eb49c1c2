/*
 * check_figures.c - the figures check kind: a keyword and a count (a
 * number with a measure word) in one sentence. A number that gives the
 * size of a list or a plan (`not_counts`: 抽查事项清单32项, 计划检查50次)
 * counts no activity and is passed over; with same_clause, neither is one
 * in another clause of the sentence than its keyword.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "utf8.h"

static int sentence_has(fz_ctx *x, const fz_patterns *ps, const fz_sentence *s) {
    size_t a, b;
    return fz_match_any(x, ps, s->para, s->start, s->end, &a, &b) && a >= s->start;
}

/* Whether the count at byte a shares its clause with a keyword
 * ("发布典型案例5个", not "推送文章48篇，开展以案释法"). */
static int in_keyword_clause(fz_ctx *x, const fz_check *c, const fz_sentence *s, size_t a) {
    size_t ca, cb, ka, kb;
    fz_clause_at(x->doc, s->para, a, 0, &ca, &cb);
    return fz_match_any(x, &c->keywords, s->para, ca, cb, &ka, &kb) && ka >= ca && ka < cb;
}

/* The first count in the sentence that counts activity: not overlapped by
 * a not_counts match (and, with same_clause, in a keyword's clause when
 * the sentence is a keyword's). */
static int activity_count(fz_ctx *x, const fz_check *c, const fz_sentence *s, int kw, size_t *ms,
                          size_t *me) {
    size_t si = (size_t)(s - x->doc->sentences), a, b;
    /* the counts are the same for every figures rule: found once (evalctx) */
    for (size_t k = 0; fz_count_at(x, c->count_re, si, k, &a, &b) == 1; k++) {
        int excluded = 0;
        for (size_t from2 = s->start, na, nb; c->not_counts.n && !excluded && from2 < s->end;) {
            if (!fz_match_any(x, &c->not_counts, s->para, from2, s->end, &na, &nb) || na >= s->end)
                break;
            excluded = na < b && nb > a; /* overlaps the count */
            from2 = nb > na ? nb : na + 1;
        }
        if (!excluded && kw && c->same_clause && c->keywords.n) excluded = !in_keyword_clause(x, c, s, a);
        if (!excluded) {
            *ms = a;
            *me = b;
            return 1;
        }
    }
    return 0;
}

void fz_check_figures(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    const fz_doc *d = x->doc;
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    if (!mask || !c->count_re) return;
    size_t with_figures = 0, mentions = 0;
    size_t last_kw = FZ_NONE; /* index of the last keyword sentence */
    size_t mention_s = FZ_NONE;
    /* patterns that cannot match anywhere in the report are not asked
     * about each sentence */
    int kw_live = fz_patterns_live(x, &c->keywords), rel_live = fz_patterns_live(x, &c->related);
    for (size_t i = 0; i < d->nsentences; i++) {
        const fz_sentence *s = &d->sentences[i];
        if (!mask[s->para]) continue;
        int kw = !c->keywords.n || (kw_live && sentence_has(x, &c->keywords, s));
        int rel = !kw && rel_live && last_kw != FZ_NONE &&
                  d->sentences[last_kw].para == s->para && i - last_kw <= c->window &&
                  sentence_has(x, &c->related, s);
        if (kw) last_kw = i;
        if (!kw && !rel) continue;
        mentions++;
        if (mention_s == FZ_NONE) mention_s = i;
        size_t a, b;
        if (activity_count(x, c, s, kw, &a, &b)) {
            with_figures++;
            fz_outcome_evidence(x, o, s->para, a, b);
        }
    }
    char num[32];
    snprintf(num, sizeof num, "%zu", with_figures);
    fz_outcome_set(x, o, V_COUNT, num);
    snprintf(num, sizeof num, "%zu", c->min);
    fz_outcome_set(x, o, V_MIN, num);
    if (with_figures >= c->min) {
        o->status = FZ_PASS;
        fz_outcome_detail(x, o, "找到 %zu 处带具体数据的表述", with_figures);
    } else if (with_figures > 0) {
        o->status = FZ_PARTIAL;
        o->ratio = (double)with_figures / (double)c->min;
        fz_outcome_detail(x, o, "只找到 %zu 处带具体数据的表述（应至少 %zu 处）",
                          with_figures, c->min);
    } else if (mentions) {
        o->status = c->mention;
        const fz_sentence *s = &d->sentences[mention_s];
        fz_outcome_evidence(x, o, s->para, s->start, s->start);
        fz_outcome_detail(x, o, "有 %zu 处提及，但没有数量、家次、件数等具体数据", mentions);
    } else {
        o->status = FZ_FAIL;
        fz_outcome_detail(x, o, "未提及");
    }
}

