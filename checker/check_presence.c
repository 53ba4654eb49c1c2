/*
 * check_presence.c - the presence check kind: named items are mentioned
 * within a scope. A rule may narrow where they count: only where a
 * required term is (`require`, `within`), only where the right actor does
 * them (`actor`, `not_actor`: the principal leader's duties, not the
 * legal adviser's), and an item may have exceptions in its own clause
 * (`unless`: 法制审核 of a contract is not the enforcement system's).
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

/* Start of the last match of ps in paragraph p within [from, to), or
 * FZ_NONE. */
static size_t last_match(fz_ctx *x, const fz_patterns *ps, size_t p, size_t from, size_t to) {
    size_t last = FZ_NONE, a, b;
    while (from < to && fz_match_any(x, ps, p, from, to, &a, &b) && a < to) {
        last = a;
        from = b > a ? b : a + 1;
    }
    return last;
}

static int in_range(fz_ctx *x, const fz_patterns *ps, size_t p, size_t from, size_t to) {
    /* (also used for the exceptions of an item's clause) */
    size_t a, b;
    return fz_match_any(x, ps, p, from, to, &a, &b) && a >= from;
}

/* Whether another body is the subject of a clause in paragraph p's bytes
 * [from, to): a not_actor match that begins where a clause begins
 * ("法律顾问全年审核合同", "县政府常务会议审议……"), not one that is the object
 * of the leader's verb ("主持召开县政府常务会议"). */
static int other_body_acts(fz_ctx *x, const fz_check *c, size_t p, size_t from, size_t to) {
    if (!c->not_actor.n) return 0;
    const fz_doc *d = x->doc;
    for (size_t at = from; at < to;) {
        size_t ca, cb, a, b;
        fz_clause_at(d, p, at, 0, &ca, &cb);
        if (ca >= from && fz_match_any(x, &c->not_actor, p, ca, cb, &a, &b) && a == ca && a < to)
            return 1;
        if (cb <= at) break;
        at = cb + 1;
        while (at < to && ((unsigned char)d->norm.paras[p].text[at] & 0xC0) == 0x80) at++;
    }
    return 0;
}

/* Who acts in a sentence (or heading): 1 the actor, -1 another body as a
 * clause's subject, 0 neither. */
static int who_acts(fz_ctx *x, const fz_check *c, size_t p, size_t from, size_t to) {
    if (last_match(x, &c->actor, p, from, to) != FZ_NONE) return 1;
    return other_body_acts(x, c, p, from, to) ? -1 : 0;
}

/* Whether the item at byte `at` of paragraph p is done by the actor. A
 * subject carries over from sentence to sentence until another is named:
 * the nearest one before the item in its paragraph decides ("局长……亲自
 * 部署。全年主持……；组织集体学法6次" are all the director's); with none
 * there, a heading of a section holding it. An item that is itself
 * another body heading its clause is that body acting ("法律顾问全年审核
 * 合同42件"), not the leader making use of it. */
static int acted_by(fz_ctx *x, const fz_check *c, size_t p, size_t at) {
    if (!c->actor.n) return 1;
    const fz_doc *d = x->doc;
    size_t si = fz_sentence_at(d, p, at);
    size_t ca, cb;
    fz_clause_at(d, p, at, 0, &ca, &cb);
    int who = who_acts(x, c, p, d->sentences[si].start, at);
    if (who >= 0 && ca == at && other_body_acts(x, c, p, at, at + 1)) who = -1;
    for (size_t i = si; !who && i > d->para_sentence[p]; i--)
        who = who_acts(x, c, p, d->sentences[i - 1].start, d->sentences[i - 1].end);
    for (size_t s = d->para_section[p]; !who && s != FZ_NONE; s = d->sections[s].parent) {
        const fz_section *sec = &d->sections[s];
        who = who_acts(x, c, sec->para, sec->title_start, sec->title_end);
    }
    return who > 0;
}

/* The first place in the paragraphs of `mask` where the item is mentioned
 * and counts (no exception in its clause, done by the actor). */
static int find_item(fz_ctx *x, const fz_check *c, const fz_item *it, const uint8_t *mask,
                     int check_actor, size_t *para, size_t *ms, size_t *me) {
    const fz_doc *d = x->doc;
    if (!fz_patterns_live(x, &it->patterns)) return 0;
    for (size_t p = 0; p < d->norm.n; p++) {
        if (!mask[p]) continue;
        size_t from = 0, len = d->norm.paras[p].len, a, b;
        while (from < len && fz_match_any(x, &it->patterns, p, from, len, &a, &b)) {
            size_t ca, cb;
            fz_clause_at(d, p, a, 1, &ca, &cb);
            int excepted = it->unless.n && in_range(x, &it->unless, p, ca, cb);
            if (!excepted && (!check_actor || acted_by(x, c, p, a))) {
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

/* For an item not found where it counts: where else it is, said plainly
 * ("在“四、2024年工作安排”中提到，不在正文范围内"). */
static void closest(fz_ctx *x, const fz_check *c, const fz_item *it, const uint8_t *mask,
                    const uint8_t *region, fz_buf *near) {
    const fz_doc *d = x->doc;
    size_t n = d->norm.n ? d->norm.n : 1, p, a, b;
    uint8_t *all = malloc(n);
    if (!all) {
        x->oom = 1;
        return;
    }
    memset(all, 1, n);
    const char *why = NULL;
    int found = 0;
    if (region && find_item(x, c, it, mask, 0, &p, &a, &b) && !region[p]) {
        found = 1, why = "不在提到主要负责人的那一部分";
    } else if (c->actor.n && find_item(x, c, it, region ? region : mask, 0, &p, &a, &b)) {
        found = 1, why = "但不是由主要负责人做的";
    } else if (find_item(x, c, it, all, 0, &p, &a, &b) && !mask[p]) {
        found = 1, why = "不在检查范围内";
    }
    free(all);
    if (!found) return;
    char *label = fz_section_of(x, p);
    uint32_t line = fz_para_line_at(&d->norm.paras[p], a);
    if (fz_buf_printf(near, "%s“%s”见第 %u 行%s%s%s，%s", near->len ? "；" : "", it->name, line,
                      label ? "（" : "", label ? label : "", label ? "）" : "", why) < 0)
        x->oom = 1;
    free(label);
}

void fz_check_presence(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    if (!mask) return;
    const char *scope = x->pack->scopes[c->scope].title;
    size_t covered = 0;
    for (size_t p = 0; p < x->doc->norm.n; p++) covered += mask[p];
    if (!covered) {
        /* "原因" looked for in a problems part the report does not have */
        o->status = FZ_FAIL;
        fz_outcome_detail(x, o, "报告中没有“%s”部分，无从查找", scope);
        return;
    }
    size_t p, a, b;
    uint8_t *region = NULL;
    const uint8_t *where_mask = mask;
    if (c->require.n) {
        if (!fz_find_in_scope(x, &c->require, mask, &p, &a, &b)) {
            o->status = FZ_FAIL;
            fz_outcome_detail(x, o, "%s中未提及“%s”", scope, c->require.v[0].label);
            return;
        }
        fz_outcome_evidence(x, o, p, a, b);
        if (c->within != FZ_WITHIN_SCOPE) {
            if (!(region = presence_region(x, c, mask))) return;
            where_mask = region;
        }
    }
    fz_buf found = {0}, missing = {0}, near = {0};
    size_t k = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        if (find_item(x, c, &c->items[i], where_mask, 1, &p, &a, &b)) {
            k++;
            fz_join_name(x, &found, c->items[i].name);
            fz_outcome_evidence(x, o, p, a, b);
        } else {
            fz_join_name(x, &missing, c->items[i].name);
            closest(x, c, &c->items[i], mask, region, &near);
        }
    }
    free(region);
    if (k >= c->pass_at) o->status = FZ_PASS;
    else if (k >= c->partial_at) o->status = FZ_PARTIAL;
    else o->status = FZ_FAIL;
    if (o->status == FZ_PARTIAL && c->nitems && k) o->ratio = (double)k / (double)c->nitems;
    const char *where = c->within == FZ_WITHIN_SCOPE ? "" : "（提及处所在部分）";
    if (c->nitems)
        fz_outcome_detail(x, o, "%s%s中找到 %zu/%zu 项%s%s%s%s%s%s%s", scope, where, k, c->nitems,
                          k ? "：" : "", found.ptr ? found.ptr : "",
                          missing.ptr ? "；未找到：" : "", missing.ptr ? missing.ptr : "",
                          near.ptr ? "（" : "", near.ptr ? near.ptr : "", near.ptr ? "）" : "");
    else
        fz_outcome_detail(x, o, "%s中提及“%s”", scope, c->require.v[0].label);
    fz_buf_free(&near);
    fz_outcome_set_buf(x, o, V_FOUND, &found);
    fz_outcome_set_buf(x, o, V_MISSING, &missing);
}
