/*
 * check_absence.c - the absence check kind: none of the listed items
 * appears (names of bodies and laws that reforms renamed or replaced).
 *
 * A name is outdated only from a date (`since`): a report on a year that
 * begins on or after it should not use it as current, a report on an
 * earlier year may. Telling history is no error either: a sentence that
 * says what changed (`history`: 更名, 整合组建 …) and a name right after
 * 原…/机构改革前… (`not_after`) are not flagged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "utf8.h"

/* Whether the name at byte a of paragraph p is told as history. */
static int historical(fz_ctx *x, const fz_check *c, size_t p, size_t a) {
    const fz_doc *d = x->doc;
    const fz_sentence *st = &d->sentences[fz_sentence_at(d, p, a)];
    size_t ma, mb;
    if (c->history.n && fz_match_any(x, &c->history, p, st->start, st->end, &ma, &mb) &&
        ma >= st->start && ma < st->end)
        return 1;
    /* the text before the name, up to it: "原县工商局", "机构改革前的县国土局" */
    const char *t = d->norm.paras[p].text;
    for (size_t i = 0; i < c->not_after.n; i++)
        if (fz_may_match(x, c->not_after.v[i].re, p) &&
            fz_regex_find(c->not_after.v[i].re, t, a, st->start, &ma, &mb) == 1 && mb == a)
            return 1;
    return 0;
}

/* The first place in the scope where the item is used as current. */
static int find_current(fz_ctx *x, const fz_check *c, const fz_item *it, const uint8_t *mask,
                        size_t *para, size_t *ms, size_t *me) {
    const fz_doc *d = x->doc;
    if (!fz_patterns_live(x, &it->patterns)) return 0;
    for (size_t p = 0; p < d->norm.n; p++) {
        if (!mask[p]) continue;
        size_t from = 0, len = d->norm.paras[p].len, a, b;
        while (from < len && fz_match_any(x, &it->patterns, p, from, len, &a, &b)) {
            if (!historical(x, c, p, a)) {
                *para = p;
                *ms = a;
                *me = b;
                return 1;
            }
            from = b > a ? b : a + 1;
            while (from < len && ((unsigned char)d->norm.paras[p].text[from] & 0xC0) == 0x80) from++;
        }
    }
    return 0;
}

void fz_check_absence(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    if (!mask) return;
    const fz_doc *d = x->doc;
    fz_buf found = {0};
    size_t p, a, b, hits = 0, unjudged = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        const fz_item *it = &c->items[i];
        /* outdated only for a report on a year that begins after the change */
        if (it->since && (!d->year || d->year * 10000 + 101 < it->since)) {
            unjudged += !d->year;
            continue;
        }
        if (!find_current(x, c, it, mask, &p, &a, &b)) continue;
        hits++;
        fz_buf seen = {0};
        if (fz_buf_puts(&seen, "“") < 0 || fz_buf_append(&seen, d->norm.paras[p].text + a, b - a) < 0 ||
            fz_buf_printf(&seen, "”（应为%s%s%s）", it->name, it->change ? "：" : "",
                          it->change ? it->change : "") < 0)
            x->oom = 1;
        fz_join_name(x, &found, seen.ptr ? seen.ptr : "");
        fz_buf_free(&seen);
        fz_outcome_evidence(x, o, p, a, b);
    }
    const char *note = unjudged ? "（报告年度不明，按更名时间判断的名称未检查）" : "";
    if (hits) {
        o->status = FZ_FAIL;
        fz_outcome_detail(x, o, "发现 %zu 处：%s%s", hits, found.ptr ? found.ptr : "", note);
    } else {
        o->status = FZ_PASS;
        fz_outcome_detail(x, o, "未发现%s", note);
    }
    fz_outcome_set_buf(x, o, V_FOUND, &found);
}
