/*
 * checks.c - the primitive check kinds ("extension points"). Each reads
 * the document through the context, fills an outcome (status, evidence,
 * the values a message may use, a plain-Chinese detail) and knows nothing
 * about any particular rule: the rules are data in the pack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "engine_internal.h"
#include "utf8.h"

static void join_name(fz_ctx *x, fz_buf *b, const char *name) {
    if ((b->len && fz_buf_puts(b, "、") < 0) || fz_buf_puts(b, name) < 0) x->oom = 1;
}

static void set_var_buf(fz_ctx *x, fz_outcome *o, int var, fz_buf *b) {
    fz_outcome_set(x, o, var, b->ptr ? b->ptr : "");
    fz_buf_free(b);
}

/* First match of any pattern anywhere in the scope. */
static int find_in_scope(fz_ctx *x, const fz_patterns *ps, const uint8_t *mask,
                         size_t *para, size_t *ms, size_t *me) {
    for (size_t p = 0; p < x->doc->norm.n; p++)
        if (mask[p] && fz_match_any(x, ps, p, 0, x->doc->norm.paras[p].len, ms, me)) {
            *para = p;
            return 1;
        }
    return 0;
}

/* ---- section ----------------------------------------------------------- */

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

/* ---- presence ---------------------------------------------------------- */

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
        if (!find_in_scope(x, &c->require, mask, &p, &a, &b)) {
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
        if (find_in_scope(x, &c->items[i].patterns, mask, &p, &a, &b)) {
            k++;
            join_name(x, &found, c->items[i].name);
            fz_outcome_evidence(x, o, p, a, b);
        } else {
            join_name(x, &missing, c->items[i].name);
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
    set_var_buf(x, o, V_FOUND, &found);
    set_var_buf(x, o, V_MISSING, &missing);
}

/* ---- figures ------------------------------------------------------------ */

static int sentence_has(fz_ctx *x, const fz_patterns *ps, const fz_sentence *s) {
    size_t a, b;
    return fz_match_any(x, ps, s->para, s->start, s->end, &a, &b) && a >= s->start;
}

void fz_check_figures(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    const fz_doc *d = x->doc;
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    if (!mask || !c->count_re) return;
    size_t with_figures = 0, mentions = 0;
    size_t last_kw = FZ_NONE; /* index of the last keyword sentence */
    size_t mention_s = FZ_NONE;
    for (size_t i = 0; i < d->nsentences; i++) {
        const fz_sentence *s = &d->sentences[i];
        if (!mask[s->para]) continue;
        int kw = !c->keywords.n || sentence_has(x, &c->keywords, s);
        int rel = !kw && c->related.n && last_kw != FZ_NONE &&
                  d->sentences[last_kw].para == s->para && i - last_kw <= c->window &&
                  sentence_has(x, &c->related, s);
        if (kw) last_kw = i;
        if (!kw && !rel) continue;
        mentions++;
        if (mention_s == FZ_NONE) mention_s = i;
        size_t a, b;
        const char *t = d->norm.paras[s->para].text;
        if (fz_regex_find(c->count_re, t, s->end, s->start, &a, &b) == 1) {
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

/* ---- year ------------------------------------------------------------ */

/* Looks for years in s[a..b) of paragraph p: 1 when the expected one is
 * there, -1 when only others are (*other set), 0 when none. */
static int years_in(fz_ctx *x, size_t p, size_t a, size_t b, int expected, int *other,
                    size_t *at) {
    const char *t = x->doc->norm.paras[p].text;
    int y, seen_other = 0;
    size_t i = a, pos;
    while ((y = fz_next_year(t, b, i, &pos))) {
        if (y == expected) {
            *at = pos;
            return 1;
        }
        if (!seen_other) {
            *other = y;
            *at = pos;
            seen_other = 1;
        }
        i = pos + 1;
        while (i < b && ((unsigned char)t[i] & 0xC0) == 0x80) i++;
    }
    return seen_other ? -1 : 0;
}

void fz_check_year(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    const fz_doc *d = x->doc;
    o->status = FZ_NA;
    if (!d->year) {
        fz_outcome_detail(x, o, "无法确定报告年度，未检查");
        return;
    }
    int expected = d->year + c->offset;
    char num[16];
    snprintf(num, sizeof num, "%d", expected);
    fz_outcome_set(x, o, V_EXPECTED, num);
    size_t s;
    for (s = 0; s < d->nsections; s++)
        if ((x->roles[s] >> c->role) & 1) break;
    if (s == d->nsections) {
        fz_outcome_detail(x, o, "未找到%s部分，未检查", x->pack->roles[c->role].title
                              ? x->pack->roles[c->role].title : "相应");
        return;
    }
    const fz_section *sec = &d->sections[s];
    /* the heading first, then its run-in text and the opening paragraph */
    int other = 0, r;
    size_t at = 0, where = sec->para;
    r = years_in(x, sec->para, sec->title_start, sec->title_end, expected, &other, &at);
    if (r == 0) {
        r = years_in(x, sec->para, sec->title_end, d->norm.paras[sec->para].len, expected,
                     &other, &at);
        size_t next = sec->para + 1;
        if (r == 0 && next < sec->end_para && d->para_section[next] == s) {
            where = next;
            r = years_in(x, next, 0, d->norm.paras[next].len, expected, &other, &at);
        }
    }
    char *label = fz_section_label(sec);
    if (!label) {
        x->oom = 1;
        return;
    }
    fz_outcome_set(x, o, V_VALUE, label);
    if (r == 1) {
        o->status = FZ_PASS;
        fz_outcome_evidence(x, o, where, at, at + 4);
        fz_outcome_detail(x, o, "“%s”写明了 %d 年", label, expected);
    } else if (r == -1) {
        o->status = FZ_FAIL;
        snprintf(num, sizeof num, "%d", other);
        fz_outcome_set(x, o, V_VALUE, num);
        fz_outcome_evidence(x, o, where, at, at + 4);
        fz_outcome_detail(x, o, "“%s”写的是 %d 年，报告年度为 %d 年，应为 %d 年",
                          label, other, d->year, expected);
    } else {
        o->status = FZ_PARTIAL;
        fz_outcome_evidence(x, o, sec->para, 0, sec->title_end);
        fz_outcome_detail(x, o, "“%s”没有写明年份（应为 %d 年）", label, expected);
    }
    free(label);
}

/* ---- field ---------------------------------------------------------- */

void fz_check_field(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    static const char *const labels[] = {"标题", "发文单位", "报告年度", "发文字号",
                                         "成文日期"};
    const fz_doc *d = x->doc;
    char year[16];
    const char *value = NULL;
    switch (c->field) {
    case FZ_FIELD_TITLE: value = d->title; break;
    case FZ_FIELD_UNIT: value = d->unit; break;
    case FZ_FIELD_YEAR:
        if (d->year) {
            snprintf(year, sizeof year, "%d", d->year);
            value = year;
        }
        break;
    case FZ_FIELD_DOC_NUMBER: value = d->doc_number; break;
    case FZ_FIELD_DATE: value = d->date; break;
    }
    const char *label = labels[c->field];
    if (!value) {
        o->status = c->missing;
        fz_outcome_detail(x, o, "未识别到%s", label);
        return;
    }
    fz_outcome_set(x, o, V_VALUE, value);
    for (size_t i = 0; i < c->pattern.n; i++) {
        if (!fz_regex_test(c->pattern.v[i].re, value, strlen(value))) {
            o->status = FZ_FAIL;
            fz_outcome_detail(x, o, "%s“%s”不符合要求", label, value);
            return;
        }
    }
    o->status = FZ_PASS;
    fz_outcome_detail(x, o, "%s：%s", label, value);
}

/* ---- absence --------------------------------------------------------- */

void fz_check_absence(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    if (!mask) return;
    fz_buf found = {0};
    size_t p, a, b, hits = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        if (!find_in_scope(x, &c->items[i].patterns, mask, &p, &a, &b)) continue;
        hits++;
        fz_buf seen = {0};
        if (fz_buf_append(&seen, x->doc->norm.paras[p].text + a, b - a) < 0 ||
            fz_buf_printf(&seen, "（应为%s）", c->items[i].name) < 0)
            x->oom = 1;
        join_name(x, &found, seen.ptr ? seen.ptr : "");
        fz_buf_free(&seen);
        fz_outcome_evidence(x, o, p, a, b);
    }
    if (hits) {
        o->status = FZ_FAIL;
        fz_outcome_detail(x, o, "发现 %zu 处：%s", hits, found.ptr ? found.ptr : "");
    } else {
        o->status = FZ_PASS;
        fz_outcome_detail(x, o, "未发现");
    }
    set_var_buf(x, o, V_FOUND, &found);
}
