/*
 * check_presence.c - the presence check kind: named items are mentioned within a scope, optionally only where a required term is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "utf8.h"

/* The paragraphs where items may count: the scope, narrowed to the
 * paragraphs (or the innermost sections) where `require` matched. */
static uint8_t *presence_region(fz_ctx *x, const fz_check *c, const uint8_t *mask) {
    const fz_doc *d = x->doc;
    size_t n = d->norm.n;
    uint8_t *region = calloc(n ? n : 1, 1);
    if (!region) {
        x->oom = 1;
        return NULL;
    }
    for (size_t p = 0; p < n; p++) {
        size_t a, b;
        if (!mask[p] || !fz_match_any(x, &c->require, p, 0, d->norm.paras[p].len, &a, &b))
            continue;
        size_t s = d->para_section[p];
        if (c->within == FZ_WITHIN_PARAGRAPH) {
            region[p] = 1;
        } else if (s == FZ_NONE) {
            /* outside any section: the text outside sections is its "section" */
            for (size_t q = 0; q < n; q++)
                if (d->para_section[q] == FZ_NONE) region[q] = mask[q];
        } else {
            for (size_t q = d->sections[s].para; q < d->sections[s].end_para; q++)
                region[q] = mask[q];
        }
    }
    return region;
}

void fz_check_presence(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    if (!mask) return;
    const char *scope = x->pack->scopes[c->scope].title;
    size_t p, a, b;
    uint8_t *region = NULL;
    if (c->require.n) {
        if (!fz_find_in_scope(x, &c->require, mask, &p, &a, &b)) {
            o->status = FZ_FAIL;
            fz_outcome_detail(x, o, "%s中未提及“%s”", scope, c->require.v[0].source);
            return;
        }
        fz_outcome_evidence(x, o, p, a, b);
        if (c->within != FZ_WITHIN_SCOPE) {
            if (!(region = presence_region(x, c, mask))) return;
            mask = region;
        }
    }
    fz_buf found = {0}, missing = {0};
    size_t k = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        if (fz_find_in_scope(x, &c->items[i].patterns, mask, &p, &a, &b)) {
            k++;
            fz_join_name(x, &found, c->items[i].name);
            fz_outcome_evidence(x, o, p, a, b);
        } else {
            fz_join_name(x, &missing, c->items[i].name);
        }
    }
    free(region);
    if (k >= c->pass_at) o->status = FZ_PASS;
    else if (k >= c->partial_at) o->status = FZ_PARTIAL;
    else o->status = FZ_FAIL;
    if (o->status == FZ_PARTIAL && c->nitems && k) o->ratio = (double)k / (double)c->nitems;
    const char *where = c->within == FZ_WITHIN_SCOPE ? "" : "（提及处所在部分）";
    if (c->nitems)
        fz_outcome_detail(x, o, "%s%s中找到 %zu/%zu 项%s%s%s%s", scope, where, k, c->nitems,
                          k ? "：" : "", found.ptr ? found.ptr : "",
                          missing.ptr ? "；未找到：" : "", missing.ptr ? missing.ptr : "");
    else
        fz_outcome_detail(x, o, "%s中提及“%s”", scope, c->require.v[0].source);
    fz_outcome_set_buf(x, o, V_FOUND, &found);
    fz_outcome_set_buf(x, o, V_MISSING, &missing);
}

