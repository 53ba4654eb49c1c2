/*
 * check_section.c - the section check kind: a part of the report exists (by its heading or its role) and has substance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "utf8.h"

/* Characters of a section's body: its subtree without the heading text. */
static size_t body_chars(const fz_doc *d, const fz_section *s) {
    const fz_para *hp = &d->norm.paras[s->para];
    size_t n = fz_utf8_count(hp->text + s->title_end, hp->len - s->title_end);
    for (size_t p = s->para + 1; p < s->end_para; p++)
        n += fz_utf8_count(d->norm.paras[p].text, d->norm.paras[p].len);
    return n;
}

static int heading_matches(fz_ctx *x, const fz_check *c, size_t s) {
    const fz_section *sec = &x->doc->sections[s];
    if (c->role != FZ_NO_ROLE) return (x->roles[s] >> c->role) & 1;
    /* match the heading text on its own, so that ^ and $ mean its ends */
    const char *t = x->doc->norm.paras[sec->para].text + sec->title_start;
    for (size_t i = 0; i < c->headings.n; i++)
        if (fz_regex_test(c->headings.v[i].re, t, sec->title_end - sec->title_start)) return 1;
    return 0;
}

void fz_check_section(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    const fz_doc *d = x->doc;
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    if (!mask) return;
    size_t best = FZ_NONE, best_len = 0;
    for (size_t s = 0; s < d->nsections; s++) {
        if (!mask[d->sections[s].para] || !heading_matches(x, c, s)) continue;
        size_t len = body_chars(d, &d->sections[s]);
        if (best == FZ_NONE || len > best_len) {
            best = s;
            best_len = len;
        }
    }
    const char *what = c->role != FZ_NO_ROLE && x->pack->roles[c->role].title
                           ? x->pack->roles[c->role].title : "相应";
    if (best == FZ_NONE) {
        o->status = FZ_FAIL;
        fz_outcome_detail(x, o, "未找到%s部分的标题", what);
        return;
    }
    const fz_section *sec = &d->sections[best];
    char *label = fz_section_label(sec);
    if (!label) {
        x->oom = 1;
        return;
    }
    fz_outcome_set(x, o, V_VALUE, label);
    fz_outcome_evidence(x, o, sec->para, 0, sec->title_end);
    char count[32];
    snprintf(count, sizeof count, "%zu", best_len);
    fz_outcome_set(x, o, V_COUNT, count);
    if (best_len >= c->min_length) {
        o->status = FZ_PASS;
        fz_outcome_detail(x, o, "第 %u 行“%s”（正文约 %zu 字）", sec->line, label, best_len);
    } else {
        o->status = FZ_PARTIAL;
        fz_outcome_detail(x, o, "第 %u 行有“%s”，但正文只有 %zu 字（至少应有 %zu 字）",
                          sec->line, label, best_len, c->min_length);
    }
    free(label);
}

