/*
 * ruletest.c - see ruletest.h.
 */
#include "ruletest.h"

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "segment.h"
#include "util.h"

int fz_rules_test(const fz_pack *pack, FILE *out, size_t *cases, size_t *failed) {
    *cases = 0;
    *failed = 0;
    size_t asserts = 0, skipped = 0;
    for (size_t i = 0; i < pack->ntests; i++) {
        const fz_rule_test *t = &pack->tests[i];
        skipped += t->skipped;
        if (!t->n) {
            /* every rule it speaks for was disabled or changed by a later pack */
            fprintf(out, "  - %s（跳过：所涉规则已被后继规则包停用或改写）\n", t->name);
            continue;
        }
        fz_doc doc;
        fz_report rep;
        char *err = NULL;
        memset(&rep, 0, sizeof rep);
        if (fz_doc_load_memory(t->text, strlen(t->text), &doc, &err) < 0) {
            if (!err) return -1;
            fprintf(out, "  ✗ %s（%s:%u）：测试文字无法读取：%s\n", t->name, t->pos.file,
                    t->pos.line, err);
            free(err);
            (*failed)++;
            (*cases)++;
            continue;
        }
        if (fz_engine_check(pack, &doc, &rep, &err) < 0) {
            free(err);
            fz_report_free(&rep);
            return -1;
        }
        size_t bad = 0;
        for (size_t k = 0; k < t->n; k++) {
            const fz_result *res = &rep.results[t->rules[k]];
            asserts++;
            if (res->status == t->want[k]) continue;
            if (!bad++) fprintf(out, "  ✗ %s（%s:%u）\n", t->name, t->pos.file, t->pos.line);
            fprintf(out, "      规则 %s 应为 %s，实际为 %s：%s\n", res->rule->id,
                    fz_status_name(t->want[k]), fz_status_name(res->status),
                    res->detail ? res->detail : "");
        }
        if (!bad) fprintf(out, "  ✓ %s\n", t->name);
        *failed += bad;
        (*cases)++;
        fz_report_free(&rep);
    }
    fprintf(out, "规则测试：%zu 个用例，%zu 项断言，%zu 项通过，%zu 项失败", *cases, asserts,
            asserts - *failed, *failed);
    if (skipped)
        fprintf(out, "；%zu 项跳过（所涉规则已被后继规则包停用或改写，原测试不再适用）", skipped);
    fputc('\n', out);
    return 0;
}
