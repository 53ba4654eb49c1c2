/*
 * rules_overlay.c - what a pack that extends another does to the rules it
 * inherits (see rules_internal.h): switching some off (`disable: [ids]`),
 * changing fields of others (`override: [{id, points: 20}]`), and the
 * check that its own rules do not silently replace inherited ones.
 *
 * A 依法治市办 adapts the default pack to this year's scheme this way and
 * keeps every later improvement of the default: only what it changed is
 * written in its own pack.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"
#include "util.h"

int fz_rl_is_disabled(const fz_rule *r) {
    return r->disabled != 0;
}

/* The enabled rule called id, or NULL. */
static fz_rule *find_rule(fz_pack *P, const char *id) {
    for (size_t i = 0; id && i < P->nrules; i++)
        if (P->rules[i].id && !P->rules[i].disabled && !strcmp(P->rules[i].id, id))
            return &P->rules[i];
    return NULL;
}

/* A disabled rule called id, or NULL. */
static fz_rule *find_disabled(fz_pack *P, const char *id) {
    for (size_t i = 0; id && i < P->nrules; i++)
        if (P->rules[i].id && P->rules[i].disabled && !strcmp(P->rules[i].id, id))
            return &P->rules[i];
    return NULL;
}

/* The inherited rule an entry of disable/override names, or NULL with
 * the reason recorded: no such rule, this pack's own rule, or one that a
 * pack of the chain switched off already. */
static fz_rule *inherited(loader *L, yaml_node_t *n, const char *id, const char *what) {
    fz_pack *P = L->pack;
    if (L->layer == 0) {
        fz_yr_error(&L->y, n, "%s 只用于继承其他规则包的规则包：请先在 pack 中写 extends（如 extends: default）", what);
        return NULL;
    }
    fz_rule *r = find_rule(P, id);
    if (r && r->layer < L->layer) return r;
    fz_rule *off = find_disabled(P, id);
    if (off)
        fz_yr_error(&L->y, n, "%s 中的规则“%s”已被停用（%s:%u）", what, id, off->override_pos.file,
                    off->override_pos.line);
    else
        fz_yr_error(&L->y, n, "%s 中的规则“%s”不存在于所继承的规则包中（用 fzcheck rules list 查看规则 id）",
                    what, id);
    return NULL;
}

void fz_rl_disable(loader *L, yaml_node_t *n) {
    if (n->type == YAML_SCALAR_NODE) {
        fz_rule *r = inherited(L, n, fz_yr_scalar(n), "disable");
        if (r) {
            r->disabled = L->layer + 1;
            r->override_pos = fz_rl_pos(L, n);
        }
        return;
    }
    if (!fz_yr_expect(&L->y, n, YAML_SEQUENCE_NODE, "规则 id 的列表")) return;
    for (size_t i = 0; i < fz_yr_len(n); i++) {
        yaml_node_t *e = fz_yr_node(&L->y, n->data.sequence.items.start[i]);
        if (fz_yr_expect(&L->y, e, YAML_SCALAR_NODE, "规则 id")) fz_rl_disable(L, e);
    }
}

/* Records that an override changed `key` (for `rules list`). */
static void note_change(loader *L, fz_rule *r, const char *key) {
    fz_buf b = {0};
    if ((r->overridden && fz_buf_printf(&b, "%s、", r->overridden) < 0) || fz_buf_puts(&b, key) < 0) {
        fz_buf_free(&b);
        L->y.oom = 1;
        return;
    }
    free(r->overridden);
    r->overridden = fz_buf_steal(&b);
}

/* A new check in place of the rule's own: any of its keys may change, its
 * kind may not (a rule that checks something else is a new rule: disable
 * this one and add it under its own id). */
static void override_check(loader *L, fz_rule *r, yaml_node_t *v) {
    fz_check c;
    if (fz_rl_check(L, v, &c, r->id) < 0) return;
    if (c.kind != r->check.kind) {
        fz_yr_error(&L->y, v, "override 不能改变规则“%s”的检查方式（kind）：要换一种检查，请 disable 它并另写一条规则",
                    r->id);
        fz_check_free(&c);
        return;
    }
    fz_check_free(&r->check);
    r->check = c;
}

static void override_one(loader *L, yaml_node_t *n) {
    static const char *const keys[] = {"id", "title", "category", "severity", "points",
                                       "basis", "message", "suggestion", "link",
                                       "applies_if", "applies_to", "not_for", "unknown_type",
                                       "check", NULL};
    fz_yr_pair *ps;
    size_t k = fz_yr_pairs(&L->y, n, keys, "override", &ps);
    if (n->type != YAML_MAPPING_NODE) {
        free(ps);
        return;
    }
    yaml_node_t *idn = NULL;
    for (size_t i = 0; i < k; i++)
        if (!strcmp(ps[i].key, "id")) idn = ps[i].value;
    if (!idn || !fz_yr_expect(&L->y, idn, YAML_SCALAR_NODE, "规则 id")) {
        if (!idn) fz_yr_error(&L->y, n, "override 的每一项需要 id（要修改的规则）");
        free(ps);
        return;
    }
    fz_rule *r = inherited(L, idn, fz_yr_scalar(idn), "override");
    if (!r) {
        free(ps);
        return;
    }
    if (r->overridden_by == L->layer + 1) {
        fz_yr_error(&L->y, idn, "规则“%s”在本规则包中已 override 过一次（%s:%u）", r->id,
                    r->override_pos.file, r->override_pos.line);
        free(ps);
        return;
    }
    fz_buf owner = {0};
    if (fz_buf_printf(&owner, "规则“%s”中", r->id) < 0) L->y.oom = 1;
    L->owner = owner.ptr;
    r->override_pos = fz_rl_pos(L, idn);
    r->overridden_by = L->layer + 1;
    for (size_t i = 0; i < k; i++) {
        const char *key = ps[i].key;
        if (!strcmp(key, "id")) continue;
        if (!strcmp(key, "check")) override_check(L, r, ps[i].value);
        else fz_rl_rule_field(L, r, key, ps[i].value);
        /* a test of a pack below speaks for the rule only while the rule
         * still decides as that pack made it */
        if (!strcmp(key, "check") || !strncmp(key, "applies_", 8) || !strcmp(key, "not_for") ||
            !strcmp(key, "unknown_type"))
            r->verdict_layer = L->layer;
        note_change(L, r, key);
    }
    L->owner = NULL;
    fz_buf_free(&owner);
    free(ps);
}

void fz_rl_override(loader *L, yaml_node_t *n) {
    if (!fz_yr_expect(&L->y, n, YAML_SEQUENCE_NODE, "列表（每项为 {id: 规则id, 要修改的字段: 新值}）")) return;
    for (size_t i = 0; i < fz_yr_len(n); i++)
        override_one(L, fz_yr_node(&L->y, n->data.sequence.items.start[i]));
}

int fz_rl_id_free(loader *L, yaml_node_t *idn, const char *id) {
    fz_pack *P = L->pack;
    for (size_t j = 0; j < P->nrules; j++) {
        const fz_rule *o = &P->rules[j];
        if (!o->id || strcmp(o->id, id)) continue;
        /* an inherited rule this pack switched off may be replaced */
        if (o->disabled == L->layer + 1 && o->layer < L->layer) continue;
        if (o->layer < L->layer)
            fz_yr_error(&L->y, idn,
                        "规则“%s”已在所继承的规则包中定义（%s:%u）：要修改它，请写在 override 中"
                        "（如 override: [{id: %s, points: 20}]）；要另写一条，请先 disable 它",
                        id, o->pos.file, o->pos.line, id);
        else
            fz_yr_error(&L->y, idn, "规则 id“%s”重复（已在 %s:%u 定义）", id, o->pos.file, o->pos.line);
        return 0;
    }
    return 1;
}

int fz_rl_drop_disabled(loader *L) {
    fz_pack *P = L->pack;
    size_t kept = 0;
    for (size_t i = 0; i < P->nrules; i++) {
        fz_rule *r = &P->rules[i];
        if (!r->disabled) {
            P->rules[kept++] = *r;
            continue;
        }
        if (fz_grow(&P->disabled, &L->disabled_cap, P->ndisabled + 1, sizeof *P->disabled) < 0)
            return -1;
        fz_disabled *d = &P->disabled[P->ndisabled++];
        d->id = r->id;
        d->layer = r->disabled - 1;
        d->pos = r->override_pos;
        r->id = NULL;
        fz_rule_free(r);
    }
    P->nrules = kept;
    return 0;
}
