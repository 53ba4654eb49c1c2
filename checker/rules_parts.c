/*
 * rules_parts.c - the pack-wide parts of a rule pack: its name, scoring,
 * grade bands, measure words, roles (what a section is for), scopes and
 * unit types (what kind of unit wrote a report). Rules name roles, scopes
 * and unit types; these are read first (rules_load.c's first passes).
 */
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"
#include "util.h"

void fz_rl_pack_info(loader *L, yaml_node_t *n) {
    static const char *const keys[] = {"name", "version", "description", "extends", NULL};
    fz_pack *P = L->pack;
    fz_pack_layer *layer = L->layer < P->nlayers ? &P->layers[L->layer] : NULL;
    fz_yr_pair *ps;
    size_t k = fz_yr_pairs(&L->y, n, keys, "pack", &ps);
    for (size_t i = 0; i < k; i++) {
        yaml_node_t *v = ps[i].value;
        /* the pack read last names the whole; each keeps its own name */
        if (!strcmp(ps[i].key, "name")) {
            if (fz_yr_string(&L->y, v, &P->name) == 0 && layer) fz_yr_string(&L->y, v, &layer->name);
        } else if (!strcmp(ps[i].key, "version")) {
            if (fz_yr_string(&L->y, v, &P->version) == 0 && layer) fz_yr_string(&L->y, v, &layer->version);
        } else {
            /* extends was followed already (pack_chain.c) */
            fz_yr_expect(&L->y, v, YAML_SCALAR_NODE, "字符串");
        }
    }
    free(ps);
}

void fz_rl_scoring(loader *L, yaml_node_t *n) {
    static const char *const keys[] = {"partial", "required_fail_grade", NULL};
    fz_yr_pair *ps;
    size_t k = fz_yr_pairs(&L->y, n, keys, "scoring", &ps);
    for (size_t i = 0; i < k; i++) {
        if (!strcmp(ps[i].key, "partial"))
            fz_yr_number(&L->y, ps[i].value, 0, 1, &L->pack->partial);
        else
            fz_yr_string(&L->y, ps[i].value, &L->pack->fail_grade);
    }
    free(ps);
}

void fz_rl_similar(loader *L, yaml_node_t *n) {
    static const char *const keys[] = {"boilerplate_share", "boilerplate_min", "boilerplate_max",
                                       "min_shared", "min_share", NULL};
    fz_similar_opts *o = &L->pack->similar;
    double *to[] = {&o->boilerplate_share, &o->boilerplate_min, &o->boilerplate_max,
                    &o->min_shared, &o->min_share};
    static const double hi[] = {1, 1e6, 1e6, 1e6, 1};
    fz_yr_pair *ps;
    size_t k = fz_yr_pairs(&L->y, n, keys, "similar", &ps);
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; keys[j]; j++)
            if (!strcmp(ps[i].key, keys[j])) fz_yr_number(&L->y, ps[i].value, 0, hi[j], to[j]);
    free(ps);
}

static int cmp_grade(const void *a, const void *b) {
    double x = ((const fz_grade *)a)->min, y = ((const fz_grade *)b)->min;
    return x < y ? 1 : x > y ? -1 : 0;
}

void fz_rl_grades(loader *L, yaml_node_t *n) {
    static const char *const keys[] = {"name", "min", NULL};
    if (!fz_yr_expect(&L->y, n, YAML_SEQUENCE_NODE, "列表")) return;
    fz_pack *P = L->pack;
    /* a pack that extends another replaces its grade bands whole */
    for (size_t i = 0; i < P->ngrades; i++) free(P->grades[i].name);
    free(P->grades);
    P->ngrades = 0;
    P->grades = calloc(fz_yr_len(n) + 1, sizeof *P->grades);
    if (!P->grades) { L->y.oom = 1; return; }
    for (size_t i = 0; i < fz_yr_len(n); i++) {
        yaml_node_t *g = fz_yr_node(&L->y, n->data.sequence.items.start[i]);
        fz_yr_pair *ps;
        size_t k = fz_yr_pairs(&L->y, g, keys, "grades 的分数段", &ps);
        fz_grade gr = {NULL, -1};
        for (size_t j = 0; j < k; j++) {
            if (!strcmp(ps[j].key, "name")) fz_yr_string(&L->y, ps[j].value, &gr.name);
            else fz_yr_number(&L->y, ps[j].value, 0, 100, &gr.min);
        }
        free(ps);
        if (g->type == YAML_MAPPING_NODE && (!gr.name || gr.min < 0)) {
            fz_yr_error(&L->y, g, "分数段需要 name 和 min");
            free(gr.name);
            continue;
        }
        for (size_t j = 0; j < P->ngrades && gr.name; j++)
            if (P->grades[j].min == gr.min)
                fz_yr_error(&L->y, g, "分数段“%s”与“%s”的最低分相同（%g），分数段重叠",
                       gr.name, P->grades[j].name, gr.min);
        if (gr.name) P->grades[P->ngrades++] = gr;
    }
    qsort(P->grades, P->ngrades, sizeof *P->grades, cmp_grade);
    if (P->ngrades && P->grades[P->ngrades - 1].min > 0)
        fz_yr_error(&L->y, n, "分数段没有覆盖 0 分：最低的分数段应为 min: 0");
}

void fz_rl_units(loader *L, yaml_node_t *n) {
    if (!fz_yr_expect(&L->y, n, YAML_SEQUENCE_NODE, "列表")) return;
    fz_pack *P = L->pack;
    /* … and its measure words */
    for (size_t i = 0; i < P->nunits; i++) free(P->units[i]);
    free(P->units);
    P->nunits = 0;
    P->units = calloc(fz_yr_len(n) + 1, sizeof *P->units);
    if (!P->units) { L->y.oom = 1; return; }
    for (size_t i = 0; i < fz_yr_len(n); i++) {
        yaml_node_t *u = fz_yr_node(&L->y, n->data.sequence.items.start[i]);
        if (fz_yr_string(&L->y, u, &P->units[P->nunits]) == 0) {
            if (!*P->units[P->nunits]) fz_yr_error(&L->y, u, "计量单位不能为空");
            P->nunits++;
        }
    }
}

int fz_rl_valid_name(const char *s) {
    if (!s || !*s) return 0;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

int fz_rl_add_scope(fz_pack *P, size_t *cap, const char *name, const char *title,
                     fz_scope_base base, uint32_t include) {
    if (fz_grow(&P->scopes, cap, P->nscopes + 1, sizeof *P->scopes) < 0) return -1;
    fz_scope *s = &P->scopes[P->nscopes];
    memset(s, 0, sizeof *s);
    s->name = fz_strdup(name);
    s->title = fz_strdup(title ? title : name);
    if (!s->name || !s->title) {
        free(s->name);
        free(s->title);
        return -1;
    }
    s->base = base;
    s->include = include;
    P->nscopes++;
    return 0;
}

/* content: {words: [patterns], share: 0.5, min_sentences: 2} */
static void role_content(loader *L, yaml_node_t *n, fz_role *r) {
    static const char *const keys[] = {"words", "share", "min_sentences", NULL};
    r->content_share = 0.5;
    r->content_min = 2;
    fz_yr_pair *ps;
    size_t k = fz_yr_pairs(&L->y, n, keys, "角色的内容判断", &ps);
    for (size_t i = 0; i < k; i++) {
        if (!strcmp(ps[i].key, "words")) fz_rl_patterns(L, ps[i].value, "内容用语", &r->content);
        else if (!strcmp(ps[i].key, "share")) fz_yr_number(&L->y, ps[i].value, 0.05, 1, &r->content_share);
        else fz_yr_count(&L->y, ps[i].value, &r->content_min);
    }
    free(ps);
    if (n->type == YAML_MAPPING_NODE && !r->content.n)
        fz_yr_error(&L->y, n, "content 需要 words（该部分常用的表述）");
}

/* A role, scope or unit type of this name that a pack below this one
 * defined is redefined here: the keys given replace its own, the rest
 * stay. One this pack already defined is a duplicate (NULL, recorded). */
static int redefinable(loader *L, yaml_node_t *kn, unsigned layer, const char *what, const char *name) {
    if (layer < L->layer) return 1;
    fz_yr_error(&L->y, kn, "%s“%s”重复定义", what, name);
    return 0;
}

/* The role called name, redefined or new (NULL when it cannot be). */
static fz_role *role_slot(loader *L, yaml_node_t *kn, const char *name, size_t *scope_cap, int *is_new) {
    fz_pack *P = L->pack;
    size_t i = fz_pack_role(P, name);
    *is_new = i == FZ_NO_ROLE;
    if (!*is_new) return redefinable(L, kn, P->roles[i].layer, "角色", name) ? &P->roles[i] : NULL;
    if (P->nroles >= FZ_MAX_ROLES) {
        fz_yr_error(&L->y, kn, "角色过多（最多 %d 个）", FZ_MAX_ROLES);
        return NULL;
    }
    if (fz_pack_scope(P, name) != FZ_NO_ROLE) {
        fz_yr_error(&L->y, kn, "角色名“%s”与已有范围重名", name);
        return NULL;
    }
    if (fz_grow(&P->roles, &L->role_cap, P->nroles + 1, sizeof *P->roles) < 0) return L->y.oom = 1, NULL;
    fz_role *r = &P->roles[P->nroles];
    memset(r, 0, sizeof *r);
    if (!(r->name = fz_strdup(name))) return L->y.oom = 1, NULL;
    P->nroles++;
    /* every role is also a scope: the part it names */
    if (fz_rl_add_scope(P, scope_cap, name, NULL, FZ_SCOPE_ROLES, (uint32_t)1 << (P->nroles - 1)) < 0)
        return L->y.oom = 1, NULL;
    P->scopes[P->nscopes - 1].builtin = 1;
    return r;
}

void fz_rl_roles(loader *L, yaml_node_t *n, size_t *scope_cap) {
    static const char *const keys[] = {"title", "headings", "not_headings", "content", NULL};
    if (!fz_yr_expect(&L->y, n, YAML_MAPPING_NODE, "映射")) return;
    fz_pack *P = L->pack;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = fz_yr_node(&L->y, p->key), *vn = fz_yr_node(&L->y, p->value);
        const char *name = fz_yr_scalar(kn);
        if (!fz_rl_valid_name(name)) {
            fz_yr_error(&L->y, kn, "角色名“%s”不合规：只能用小写字母、数字和连字符", name ? name : "");
            continue;
        }
        int is_new;
        fz_role *r = role_slot(L, kn, name, scope_cap, &is_new);
        if (!r) {
            if (L->y.oom) return;
            continue;
        }
        r->layer = L->layer;
        fz_buf owner = {0};
        if (fz_buf_printf(&owner, "角色“%s”中", name) < 0) L->y.oom = 1;
        L->owner = owner.ptr;
        fz_yr_pair *ps;
        size_t k = fz_yr_pairs(&L->y, vn, keys, "角色定义", &ps);
        for (size_t i = 0; i < k; i++) {
            if (!strcmp(ps[i].key, "title")) {
                fz_yr_string(&L->y, ps[i].value, &r->title);
            } else if (!strcmp(ps[i].key, "headings")) {
                fz_patterns_free(&r->headings);
                fz_rl_patterns(L, ps[i].value, "角色标题", &r->headings);
            } else if (!strcmp(ps[i].key, "content")) {
                fz_patterns_free(&r->content);
                role_content(L, ps[i].value, r);
            } else {
                fz_patterns_free(&r->not_headings);
                fz_rl_patterns(L, ps[i].value, "角色排除标题", &r->not_headings);
            }
        }
        free(ps);
        L->owner = NULL;
        fz_buf_free(&owner);
        if (is_new && vn->type == YAML_MAPPING_NODE && !r->headings.n)
            fz_yr_error(&L->y, vn, "角色“%s”缺少 headings（识别该部分的标题模式）", name);
        /* the role's scope is called as the role is */
        fz_scope *sc = &P->scopes[fz_pack_scope(P, name)];
        if (r->title && (!sc->title || strcmp(sc->title, r->title))) {
            free(sc->title);
            if (!(sc->title = fz_strdup(r->title))) L->y.oom = 1;
        }
    }
}

uint32_t fz_rl_role_bits(loader *L, yaml_node_t *n) {
    uint32_t bits = 0;
    if (n->type == YAML_SCALAR_NODE) {
        size_t r = fz_pack_role(L->pack, fz_yr_scalar(n));
        if (r == FZ_NO_ROLE) fz_yr_error(&L->y, n, "未定义的角色“%s”", fz_yr_scalar(n));
        else bits |= (uint32_t)1 << r;
        return bits;
    }
    if (!fz_yr_expect(&L->y, n, YAML_SEQUENCE_NODE, "角色名或其列表")) return 0;
    for (size_t i = 0; i < fz_yr_len(n); i++)
        bits |= fz_rl_role_bits(L, fz_yr_node(&L->y, n->data.sequence.items.start[i]));
    return bits;
}

void fz_rl_scopes(loader *L, yaml_node_t *n, size_t *scope_cap) {
    static const char *const keys[] = {"title", "include", "exclude", "exclude_header", NULL};
    if (!fz_yr_expect(&L->y, n, YAML_MAPPING_NODE, "映射")) return;
    fz_pack *P = L->pack;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = fz_yr_node(&L->y, p->key), *vn = fz_yr_node(&L->y, p->value);
        const char *name = fz_yr_scalar(kn);
        if (!fz_rl_valid_name(name)) {
            fz_yr_error(&L->y, kn, "范围名“%s”不合规：只能用小写字母、数字和连字符", name ? name : "");
            continue;
        }
        size_t at = fz_pack_scope(P, name);
        if (at != FZ_NO_ROLE && (P->scopes[at].builtin || P->scopes[at].layer == L->layer)) {
            fz_yr_error(&L->y, kn, "范围“%s”重复定义（或与内置范围、角色重名）", name);
            continue;
        }
        if (at == FZ_NO_ROLE) {
            if (fz_rl_add_scope(P, scope_cap, name, NULL, FZ_SCOPE_DOCUMENT, 0) < 0) {
                L->y.oom = 1;
                return;
            }
            at = P->nscopes - 1;
        }
        /* a scope of a pack below is redefined by the keys given here */
        fz_scope *s = &P->scopes[at];
        s->layer = L->layer;
        fz_yr_pair *ps;
        size_t k = fz_yr_pairs(&L->y, vn, keys, "范围定义", &ps);
        for (size_t i = 0; i < k; i++) {
            if (!strcmp(ps[i].key, "title")) fz_yr_string(&L->y, ps[i].value, &s->title);
            else if (!strcmp(ps[i].key, "include")) {
                s->base = FZ_SCOPE_ROLES;
                s->include = fz_rl_role_bits(L, ps[i].value);
            } else if (!strcmp(ps[i].key, "exclude"))
                s->exclude = fz_rl_role_bits(L, ps[i].value);
            else fz_yr_bool(&L->y, ps[i].value, &s->exclude_header);
        }
        free(ps);
    }
}


/* The unit type called name, redefined or new. A pack's own types come
 * in order; the types a pack adds to those it extends come before them
 * (a city's 垂直管理部门 must be tried before the default's catch-all
 * 执法部门), at *insert. */
static fz_unit_type *type_slot(loader *L, yaml_node_t *kn, const char *name, size_t *insert) {
    fz_pack *P = L->pack;
    size_t i = fz_pack_unit_type(P, name);
    if (i != FZ_NO_ROLE)
        return redefinable(L, kn, P->unit_types[i].layer, "单位类型", name) ? &P->unit_types[i] : NULL;
    if (P->nunit_types >= FZ_MAX_UNIT_TYPES) {
        fz_yr_error(&L->y, kn, "单位类型过多（最多 %d 种）", FZ_MAX_UNIT_TYPES);
        return NULL;
    }
    if (fz_grow(&P->unit_types, &L->type_cap, P->nunit_types + 1, sizeof *P->unit_types) < 0)
        return L->y.oom = 1, NULL;
    size_t at = L->layer ? (*insert)++ : P->nunit_types;
    memmove(&P->unit_types[at + 1], &P->unit_types[at], (P->nunit_types - at) * sizeof *P->unit_types);
    fz_unit_type *t = &P->unit_types[at];
    memset(t, 0, sizeof *t);
    P->nunit_types++;
    if (!(t->name = fz_strdup(name))) return L->y.oom = 1, NULL;
    return t;
}

/* unit_types: {名称: {description: …, names: [patterns]}}, in order. */
void fz_rl_unit_types(loader *L, yaml_node_t *n) {
    static const char *const keys[] = {"description", "names", "self", NULL};
    if (!fz_yr_expect(&L->y, n, YAML_MAPPING_NODE, "映射")) return;
    size_t insert = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = fz_yr_node(&L->y, p->key), *vn = fz_yr_node(&L->y, p->value);
        const char *name = fz_yr_scalar(kn);
        if (!name || !*name) {
            fz_yr_error(&L->y, kn, "单位类型的名称不能为空");
            continue;
        }
        fz_unit_type *t = type_slot(L, kn, name, &insert);
        if (!t) {
            if (L->y.oom) return;
            if (L->pack->nunit_types >= FZ_MAX_UNIT_TYPES) break;
            continue;
        }
        t->layer = L->layer;
        fz_buf owner = {0};
        if (fz_buf_printf(&owner, "单位类型“%s”中", name) < 0) L->y.oom = 1;
        L->owner = owner.ptr;
        fz_yr_pair *ps;
        size_t k = fz_yr_pairs(&L->y, vn, keys, "单位类型定义", &ps);
        for (size_t i = 0; i < k; i++) {
            if (!strcmp(ps[i].key, "description")) {
                fz_yr_string(&L->y, ps[i].value, &t->description);
            } else if (!strcmp(ps[i].key, "self")) {
                fz_patterns_free(&t->self);
                fz_rl_patterns(L, ps[i].value, "自称", &t->self);
            } else {
                fz_patterns_free(&t->names);
                fz_rl_patterns(L, ps[i].value, "单位名称", &t->names);
            }
        }
        free(ps);
        L->owner = NULL;
        fz_buf_free(&owner);
        if (vn->type == YAML_MAPPING_NODE && (!t->names.n || !t->description))
            fz_yr_error(&L->y, vn, "单位类型“%s”需要 description（说明）和 names（单位名称的模式）", name);
    }
}

uint32_t fz_rl_type_bits(loader *L, yaml_node_t *n) {
    uint32_t bits = 0;
    if (n->type == YAML_SCALAR_NODE) {
        size_t t = fz_pack_unit_type(L->pack, fz_yr_scalar(n));
        if (t == FZ_NO_ROLE) {
            fz_buf known = {0};
            for (size_t i = 0; i < L->pack->nunit_types; i++)
                if (fz_buf_printf(&known, "%s%s", i ? "、" : "", L->pack->unit_types[i].name) < 0)
                    L->y.oom = 1;
            fz_yr_error(&L->y, n, "未定义的单位类型“%s”（规则包定义的单位类型：%s）", fz_yr_scalar(n),
                        known.ptr ? known.ptr : "无，请先在 unit_types 中定义");
            fz_buf_free(&known);
        } else {
            bits |= (uint32_t)1 << t;
        }
        return bits;
    }
    if (!fz_yr_expect(&L->y, n, YAML_SEQUENCE_NODE, "单位类型或其列表")) return 0;
    for (size_t i = 0; i < fz_yr_len(n); i++)
        bits |= fz_rl_type_bits(L, fz_yr_node(&L->y, n->data.sequence.items.start[i]));
    return bits;
}
