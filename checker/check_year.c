/*
 * check_year.c - the year check kind: a part names the year after the report year (the plan names the next year).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "dates.h"
#include "utf8.h"

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

