/*
 * check_field.c - the field check kind: a header field (title, unit, year, 发文字号, 成文日期) is there and well formed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "utf8.h"

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

