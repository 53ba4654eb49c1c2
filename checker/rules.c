/*
 * rules.c - lookups and cleanup for the rule pack (loading is in
 * rules_load.c).
 */
#include <stdlib.h>
#include <string.h>

#include "rules.h"

size_t fz_pack_scope(const fz_pack *p, const char *name) {
    for (size_t i = 0; name && i < p->nscopes; i++)
        if (p->scopes[i].name && !strcmp(p->scopes[i].name, name)) return i;
    return FZ_NO_ROLE;
}

size_t fz_pack_role(const fz_pack *p, const char *name) {
    for (size_t i = 0; name && i < p->nroles; i++)
        if (p->roles[i].name && !strcmp(p->roles[i].name, name)) return i;
    return FZ_NO_ROLE;
}

const char *fz_pack_grade(const fz_pack *p, double score) {
    for (size_t i = 0; i < p->ngrades; i++)
        if (score >= p->grades[i].min) return p->grades[i].name;
    return p->ngrades ? p->grades[p->ngrades - 1].name : "";
}

const char *fz_severity_label(fz_severity s) {
    return s == FZ_SEV_REQUIRED ? "必备" : s == FZ_SEV_RECOMMENDED ? "推荐" : "提示";
}

const char *fz_severity_name(fz_severity s) {
    return s == FZ_SEV_REQUIRED ? "required" : s == FZ_SEV_RECOMMENDED ? "recommended" : "info";
}

const char *const fz_check_kind_names[] = {"section", "presence", "figures", "year",
                                           "field", "absence", "deadline", "coverage",
                                           "any", "all", "reuse", "followup", NULL};

const char *fz_status_name(fz_status s) {
    static const char *const names[] = {"pass", "partial", "fail", "na"};
    return names[s];
}

const char *fz_status_label(fz_status s) {
    static const char *const labels[] = {"符合", "部分符合", "缺失", "不适用"};
    return labels[s];
}

const char *fz_status_mark(fz_status s) {
    static const char *const marks[] = {"✓", "◐", "✗", "—"};
    return s <= FZ_NA ? marks[s] : "?";
}

void fz_patterns_free(fz_patterns *ps) {
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->v[i].source);
        free(ps->v[i].label);
        fz_regex_free(ps->v[i].re);
    }
    free(ps->v);
    memset(ps, 0, sizeof *ps);
}

void fz_check_free(fz_check *c) {
    fz_patterns_free(&c->headings);
    fz_patterns_free(&c->require);
    for (size_t i = 0; i < c->nitems; i++) {
        free(c->items[i].name);
        fz_patterns_free(&c->items[i].patterns);
        fz_patterns_free(&c->items[i].unless);
        free(c->items[i].change);
    }
    fz_patterns_free(&c->history);
    fz_patterns_free(&c->not_after);
    free(c->due);
    fz_patterns_free(&c->generic);
    fz_patterns_free(&c->actor);
    fz_patterns_free(&c->not_actor);
    fz_patterns_free(&c->not_counts);
    free(c->items);
    fz_patterns_free(&c->keywords);
    fz_patterns_free(&c->related);
    fz_regex_free(c->count_re);
    fz_patterns_free(&c->pattern);
    for (size_t i = 0; i < c->nchildren; i++) fz_check_free(&c->children[i]);
    free(c->children);
    memset(c, 0, sizeof *c);
}

const fz_rule *fz_pack_rule(const fz_pack *pack, const char *id) {
    for (size_t i = 0; id && i < pack->nrules; i++)
        if (!strcmp(pack->rules[i].id, id)) return &pack->rules[i];
    return NULL;
}

size_t fz_pack_unit_type(const fz_pack *pack, const char *name) {
    for (size_t i = 0; name && i < pack->nunit_types; i++)
        if (!strcmp(pack->unit_types[i].name, name)) return i;
    return FZ_NO_ROLE;
}

size_t fz_pack_type_of(const fz_pack *pack, const char *unit) {
    if (!unit) return FZ_NO_ROLE;
    size_t len = strlen(unit), t = FZ_NO_ROLE;
    /* the name's grams skip the patterns it cannot match (without memory
     * for them, every pattern is run: g.bits stays NULL) */
    fz_grams g = {0};
    if (fz_grams_build(&g, unit, len) < 0) g.bits = NULL;
    for (size_t i = 0; i < pack->nunit_types && t == FZ_NO_ROLE; i++)
        for (size_t k = 0; k < pack->unit_types[i].names.n && t == FZ_NO_ROLE; k++) {
            fz_regex *re = pack->unit_types[i].names.v[k].re;
            if (fz_regex_may_match(re, &g) && fz_regex_test(re, unit, len)) t = i;
        }
    fz_grams_free(&g);
    return t;
}

void fz_rule_free(fz_rule *r) {
    free(r->id);
    free(r->title);
    free(r->category);
    free(r->basis);
    free(r->message);
    free(r->suggestion);
    free(r->link);
    free(r->overridden);
    fz_patterns_free(&r->applies_if);
    fz_check_free(&r->check);
    memset(r, 0, sizeof *r);
}

const char *fz_pack_layer_label(const fz_pack *p, unsigned layer) {
    if (layer >= p->nlayers) return p->path ? p->path : "";
    const fz_pack_layer *l = &p->layers[layer];
    return l->name && *l->name ? l->name : l->path;
}

void fz_pack_free(fz_pack *p) {
    free(p->warnings);
    for (size_t i = 0; i < p->nunit_types; i++) {
        free(p->unit_types[i].name);
        free(p->unit_types[i].description);
        fz_patterns_free(&p->unit_types[i].names);
        fz_patterns_free(&p->unit_types[i].self);
    }
    free(p->unit_types);
    for (size_t i = 0; i < p->nrules; i++) fz_rule_free(&p->rules[i]);
    free(p->rules);
    for (size_t i = 0; i < p->ndisabled; i++) free(p->disabled[i].id);
    free(p->disabled);
    for (size_t i = 0; i < p->nlayers; i++) {
        free(p->layers[i].path);
        free(p->layers[i].name);
        free(p->layers[i].version);
    }
    free(p->layers);
    for (size_t i = 0; i < p->nroles; i++) {
        free(p->roles[i].name);
        free(p->roles[i].title);
        fz_patterns_free(&p->roles[i].headings);
        fz_patterns_free(&p->roles[i].not_headings);
        fz_patterns_free(&p->roles[i].content);
    }
    free(p->roles);
    for (size_t i = 0; i < p->nscopes; i++) {
        free(p->scopes[i].name);
        free(p->scopes[i].title);
    }
    free(p->scopes);
    for (size_t i = 0; i < p->ngrades; i++) free(p->grades[i].name);
    free(p->grades);
    for (size_t i = 0; i < p->nunits; i++) free(p->units[i]);
    free(p->units);
    for (size_t i = 0; i < p->ntests; i++) {
        free(p->tests[i].name);
        free(p->tests[i].text);
        free(p->tests[i].rules);
        free(p->tests[i].want);
    }
    free(p->tests);
    for (size_t i = 0; i < p->nfiles; i++) free(p->files[i]);
    free(p->files);
    free(p->path);
    free(p->name);
    free(p->version);
    free(p->fail_grade);
    memset(p, 0, sizeof *p);
}
