/*
 * check_section.c - the section check kind: a part of the report exists
 * (by its heading, or its role from a heading or from its content) and
 * has substance: enough characters (`min_length`) and enough sentences
 * that say something (`min_sentences`, not counting the `generic` ones
 * that any report could write).
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
        if (fz_may_match(x, c->headings.v[i].re, sec->para) &&
            fz_regex_test(c->headings.v[i].re, t, sec->title_end - sec->title_start))
            return 1;
    return 0;
}

/* A sentence is generic when, with every generic phrase taken out, fewer
 * than six characters remain. */
static int generic_sentence(fz_ctx *x, const fz_check *c, const fz_sentence *st) {
    if (!c->generic.n) return 0;
    const char *t = x->doc->norm.paras[st->para].text;
    size_t kept = 0, from = st->start, a, b;
    while (from < st->end) {
        if (!fz_match_any(x, &c->generic, st->para, from, st->end, &a, &b) || a >= st->end) {
            kept += fz_utf8_count(t + from, st->end - from);
            break;
        }
        kept += fz_utf8_count(t + from, a - from);
        from = b > a ? b : a + 1;
    }
    /* punctuation does not say anything either */
    return kept < 6 + 1;
}

/* Sentences of a section's body that say something. */
static size_t substantive(fz_ctx *x, const fz_check *c, const fz_section *sec) {
    const fz_doc *d = x->doc;
    size_t n = 0;
    for (size_t p = sec->para; p < sec->end_para; p++)
        for (size_t i = d->para_sentence[p]; i < d->nsentences && d->sentences[i].para == p; i++) {
            const fz_sentence *st = &d->sentences[i];
            if (p == sec->para && st->end <= sec->title_end) continue; /* the heading */
            n += !generic_sentence(x, c, st);
        }
    return n;
}

/* For a part not found: the section that comes closest, by its share of
 * the role's language. */
static void closest_section(fz_ctx *x, const fz_check *c, fz_outcome *o, const char *what) {
    const fz_doc *d = x->doc;
    if (c->role == FZ_NO_ROLE || !x->pack->roles[c->role].content.n) {
        fz_outcome_detail(x, o, "未找到%s部分：没有标题符合的部分", what);
        return;
    }
    const fz_role *role = &x->pack->roles[c->role];
    size_t best = FZ_NONE, best_k = 0, best_n = 0;
    int live = fz_patterns_live(x, &role->content);
    for (size_t s = 0; s < d->nsections; s++) {
        size_t n = 0, k = 0;
        for (size_t p = d->sections[s].para + 1; p < d->sections[s].end_para; p++)
            for (size_t i = d->para_sentence[p]; i < d->nsentences && d->sentences[i].para == p; i++) {
                size_t a, b;
                n++;
                k += live && fz_match_any(x, &role->content, p, d->sentences[i].start, d->sentences[i].end,
                                  &a, &b) && a >= d->sentences[i].start;
            }
        if (k > best_k) best = s, best_k = k, best_n = n;
    }
    fz_outcome_detail(x, o, "未找到%s部分：没有标题符合的部分，也没有以这类表述为主的部分", what);
    if (best != FZ_NONE) {
        char *label = fz_section_label(&d->sections[best]);
        if (!label) {
            x->oom = 1;
            return;
        }
        fz_outcome_detail(x, o, "（最接近的是第 %u 行“%s”，%zu 句中有 %zu 句）", d->sections[best].line,
                          label, best_n, best_k);
        free(label);
    }
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
        closest_section(x, c, o, what);
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
    int from_content = c->role != FZ_NO_ROLE && x->content_roles &&
                       ((x->content_roles[best] >> c->role) & 1);
    const char *how = from_content ? "（标题未写明，按内容判断）" : "";
    size_t says = c->min_sentences ? substantive(x, c, sec) : 0;
    if (best_len < c->min_length) {
        o->status = FZ_PARTIAL;
        fz_outcome_detail(x, o, "第 %u 行有“%s”%s，但正文只有 %zu 字（至少应有 %zu 字）",
                          sec->line, label, how, best_len, c->min_length);
    } else if (says < c->min_sentences) {
        o->status = FZ_PARTIAL;
        fz_outcome_detail(x, o, "第 %u 行有“%s”%s，但实在内容只有 %zu 句（至少应有 %zu 句，套话不算）",
                          sec->line, label, how, says, c->min_sentences);
    } else {
        o->status = FZ_PASS;
        fz_outcome_detail(x, o, "第 %u 行“%s”%s（正文约 %zu 字）", sec->line, label, how, best_len);
    }
    free(label);
}

