/*
 * check_deadline.c - the deadline check kind: the report's 成文日期 (the
 * date line under the signature) is not after the date its unit's type
 * must report by, in the year after the report year (departments and
 * local governments before 3月1日, provinces before 4月1日: the pack's
 * `due` list says which). No date line, or no report year, is `missing`
 * (不适用 by default): a verdict on a date the report does not give would
 * be a guess.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

/* The deadline entry for the report's unit type: the first whose types
 * include it, else the last (for every other type, and unknown ones). */
static const fz_due *due_for(const fz_ctx *x, const fz_check *c) {
    for (size_t i = 0; i < c->ndue; i++) {
        const fz_due *d = &c->due[i];
        if (!d->types) return d;
        if (x->unit_type != FZ_NO_ROLE && ((d->types >> x->unit_type) & 1)) return d;
    }
    return &c->due[c->ndue - 1];
}

void fz_check_deadline(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    const fz_doc *d = x->doc;
    int y, m, day;
    if (!d->date || sscanf(d->date, "%d-%d-%d", &y, &m, &day) != 3) {
        o->status = c->missing;
        fz_outcome_detail(x, o, "未识别到成文日期（落款下的日期），无法判断是否按时报送");
        return;
    }
    fz_outcome_set(x, o, V_VALUE, d->date);
    fz_outcome_evidence(x, o, d->date_para, 0, d->norm.paras[d->date_para].len);
    if (!d->year) {
        o->status = FZ_NA;
        fz_outcome_detail(x, o, "成文日期 %s，但无法确定报告年度，无法判断是否按时报送", d->date);
        return;
    }
    /* a date before the year reported on is not this report's date line
     * (a cited document's, or a misread year): no verdict */
    if (y < d->year) {
        o->status = FZ_NA;
        fz_outcome_detail(x, o, "识别到的成文日期 %s 早于报告年度 %d 年，无法判断是否按时报送", d->date,
                          d->year);
        return;
    }
    const fz_due *due = due_for(x, c);
    char when[32];
    snprintf(when, sizeof when, "%04d-%02d-%02d", d->year + 1, due->month, due->day);
    fz_outcome_set(x, o, V_EXPECTED, when);
    long date = (long)y * 10000 + m * 100 + day;
    long limit = (long)(d->year + 1) * 10000 + due->month * 100 + due->day;
    const char *type = x->unit_type != FZ_NO_ROLE ? x->pack->unit_types[x->unit_type].name : NULL;
    fz_buf note = {0};
    if (type && fz_buf_printf(&note, "（按%s的截止日期）", type) < 0) x->oom = 1;
    o->status = date <= limit ? FZ_PASS : FZ_FAIL;
    fz_outcome_detail(x, o, "成文日期 %s，%s %d 年度报告的截止日期 %d年%d月%d日%s", d->date,
                      o->status == FZ_PASS ? "未晚于" : "晚于", d->year, d->year + 1, due->month,
                      due->day, note.ptr ? note.ptr : "");
    fz_buf_free(&note);
}
