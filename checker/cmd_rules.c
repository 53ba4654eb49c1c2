/*
 * cmd_rules.c - `fzcheck rules check|list|test`: the rule pack itself,
 * validated, listed, or run against its own test cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pack_chain.h"
#include "ruletest.h"
#include "util.h"

/* ---- rules ------------------------------------------------------------------ */

/* The chain of packs, base first: "默认规则包 2024.1（rules）→ 本市…". */
static void print_chain(const fz_pack *pack) {
    size_t changed = 0, added = 0;
    for (size_t i = 0; i < pack->nrules; i++) {
        changed += pack->rules[i].overridden_by != 0;
        added += pack->rules[i].layer > 0;
    }
    printf("  继承：");
    for (size_t i = 0; i < pack->nlayers; i++) {
        const fz_pack_layer *l = &pack->layers[i];
        char *path = fz_display(l->path, 0);
        printf("%s%s%s%s（%s）", i ? " → " : "", l->name ? l->name : "（未命名）", l->version ? " " : "",
               l->version ? l->version : "", path ? path : "");
        free(path);
    }
    printf("\n  在所继承的规则包上：新增 %zu 条，修改 %zu 条，停用 %zu 条\n", added, changed, pack->ndisabled);
}

/* Where a rule comes from, and what a later pack changed in it. */
static void print_origin(const fz_pack *pack, const fz_rule *r) {
    printf("  %s", fz_pack_layer_label(pack, r->layer));
    if (r->overridden_by)
        printf("（%s 修改了 %s）", fz_pack_layer_label(pack, r->overridden_by - 1), r->overridden);
}

/* fzcheck rules check|list|test [PATH]: the pack's own commands. */
int fz_cmd_rules(int argc, char **argv) {
    const char *sub = argc > 2 ? argv[2] : "";
    if (strcmp(sub, "check") && strcmp(sub, "list") && strcmp(sub, "test"))
        return fz_cli_usage("用法：fzcheck rules check|list|test [规则包]%s", "");
    if (argc > 4) return fz_cli_usage("多余的参数“%s”", argv[4]);
    fz_cli_opts o;
    memset(&o, 0, sizeof o);
    o.rules = argc > 3 ? argv[3] : NULL;
    fz_pack pack;
    int rc = fz_cli_load_pack(&o, &pack);
    if (rc) return rc;
    if (!strcmp(sub, "check")) {
        size_t sev[3] = {0};
        double points = 0;
        for (size_t i = 0; i < pack.nrules; i++) {
            sev[pack.rules[i].severity]++;
            points += pack.rules[i].points;
        }
        fz_cli_print_warnings(stdout, &pack);
        printf("规则包：%s（%zu 个文件）\n", pack.path, pack.nfiles);
        printf("  名称：%s  版本：%s\n", pack.name, pack.version);
        if (pack.nlayers > 1) print_chain(&pack);
        printf("  规则：%zu 条（必备 %zu、推荐 %zu、提示 %zu），分值合计 %g\n", pack.nrules,
               sev[0], sev[1], sev[2], points);
        printf("  角色：");
        for (size_t i = 0; i < pack.nroles; i++) printf("%s%s", i ? "、" : "", pack.roles[i].name);
        printf("\n  单位类型：");
        for (size_t i = 0; i < pack.nunit_types; i++)
            printf("%s%s", i ? "、" : "", pack.unit_types[i].name);
        if (!pack.nunit_types) printf("（未定义：所有规则对所有单位适用）");
        printf("\n  等级：");
        for (size_t i = 0; i < pack.ngrades; i++)
            printf("%s%s ≥ %g", i ? "，" : "", pack.grades[i].name, pack.grades[i].min);
        printf("\n  规则测试：%zu 个用例\n", pack.ntests);
        if (pack.nwarnings) printf("校验通过，但有 %zu 条警告（见上）。\n", pack.nwarnings);
        else printf("校验通过。\n");
    } else if (!strcmp(sub, "list")) {
        printf("%-24s 级别  分值  检查方式  标题（类别）%s\n", "id", pack.nlayers > 1 ? "  来源" : "");
        for (size_t i = 0; i < pack.nrules; i++) {
            const fz_rule *r = &pack.rules[i];
            printf("%-24s %s  %-5g %-9s %s（%s）", r->id, fz_severity_label(r->severity),
                   r->points, fz_check_kind_names[r->check.kind], r->title, r->category);
            if (pack.nlayers > 1) print_origin(&pack, r);
            putchar('\n');
        }
        for (size_t i = 0; i < pack.ndisabled; i++) {
            char *where = fz_display(pack.disabled[i].pos.file, 0);
            printf("%-24s 已停用（%s:%u）\n", pack.disabled[i].id, where ? where : "", pack.disabled[i].pos.line);
            free(where);
        }
    } else {
        size_t cases, failed;
        if (fz_rules_test(&pack, stdout, &cases, &failed) < 0) {
            fz_cli_say(FZ_ENOMEM);
            rc = 2;
        } else if (!cases) {
            printf("规则包中没有规则测试（tests）\n");
            rc = 1;
        } else {
            rc = failed ? 1 : 0;
        }
    }
    fz_pack_free(&pack);
    if (fflush(stdout) != 0) rc = 2;
    return rc;
}
