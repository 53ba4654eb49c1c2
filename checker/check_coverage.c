/*
 * check_coverage.c - the coverage check kind: how many of a list of
 * topic groups the report covers (a government's report against the
 * 纲要's task areas). A group is covered when its patterns appear in at
 * least `min` sentences of the scope; the verdict is the share of groups
 * covered against pass_share and partial_share. Each covered group gives
 * its first place as evidence; the message names the groups missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

/* Sentences of the scope in which the group is mentioned (counting stops
 * at `enough`); the first mention goes to para, a, b. */
static size_t mentions(fz_ctx *x, const fz_item *g, const uint8_t *mask, size_t enough,
                       size_t *para, size_t *a, size_t *b) {
    const fz_doc *d = x->doc;
    size_t n = 0;
    if (!fz_patterns_live(x, &g->patterns)) return 0;
    for (size_t i = 0; i < d->nsentences && n < enough; i++) {
        const fz_sentence *st = &d->sentences[i];
        size_t ma, mb;
        if (!mask[st->para] || !fz_match_any(x, &g->patterns, st->para, st->start, st->end, &ma, &mb) ||
            ma >= st->end)
            continue;
        if (!n++) {
            *para = st->para;
            *a = ma;
            *b = mb;
        }
    }
    return n;
}

void fz_check_coverage(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    if (!mask) return;
    size_t need = c->min ? c->min : 1, covered = 0;
    fz_buf found = {0}, missing = {0};
    o->max_evidence = c->nitems;
    for (size_t i = 0; i < c->nitems; i++) {
        size_t p = 0, a = 0, b = 0;
        if (mentions(x, &c->items[i], mask, need, &p, &a, &b) >= need) {
            covered++;
            fz_join_name(x, &found, c->items[i].name);
            fz_outcome_evidence(x, o, p, a, b);
        } else {
            fz_join_name(x, &missing, c->items[i].name);
        }
    }
    double share = c->nitems ? (double)covered / (double)c->nitems : 0;
    if (share >= c->pass_share) o->status = FZ_PASS;
    else if (share >= c->partial_share && covered) o->status = FZ_PARTIAL, o->ratio = share;
    else o->status = FZ_FAIL;
    char count[32];
    snprintf(count, sizeof count, "%zu/%zu", covered, c->nitems);
    fz_outcome_set(x, o, V_COUNT, count);
    fz_outcome_detail(x, o, "%s中涉及 %zu/%zu 个方面%s%s%s%s（每个方面至少 %zu 句）",
                      x->pack->scopes[c->scope].title, covered, c->nitems, found.ptr ? "：" : "",
                      found.ptr ? found.ptr : "", missing.ptr ? "；未涉及：" : "",
                      missing.ptr ? missing.ptr : "", need);
    fz_outcome_set_buf(x, o, V_FOUND, &found);
    fz_outcome_set_buf(x, o, V_MISSING, &missing);
}
