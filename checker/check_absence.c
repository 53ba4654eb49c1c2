/*
 * check_absence.c - the absence check kind: none of the listed items appears (outdated names of laws and bodies).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "utf8.h"

void fz_check_absence(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    if (!mask) return;
    fz_buf found = {0};
    size_t p, a, b, hits = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        if (!fz_find_in_scope(x, &c->items[i].patterns, mask, &p, &a, &b)) continue;
        hits++;
        fz_buf seen = {0};
        if (fz_buf_append(&seen, x->doc->norm.paras[p].text + a, b - a) < 0 ||
            fz_buf_printf(&seen, "（应为%s）", c->items[i].name) < 0)
            x->oom = 1;
        fz_join_name(x, &found, seen.ptr ? seen.ptr : "");
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
    fz_outcome_set_buf(x, o, V_FOUND, &found);
}
