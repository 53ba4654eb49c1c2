/*
 * rules_load.c - reading a rule pack from YAML (libyaml's document API,
 * which keeps each node's line and column) into an fz_pack.
 *
 * Two passes over the files: first the pack-wide parts (scoring, grades,
 * units, roles, scopes), from whichever file holds them; then the rules,
 * so that a rule may name a role or scope defined in another file.
 * Problems are collected with their positions and reported together.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "rules.h"
#include "util.h"

typedef struct {
    fz_pack *pack;
    const char *file;
    yaml_document_t *doc;
    fz_buf errors;
    size_t nerrors;
    int oom;
    const char *owner;   /* "规则“id”" or "角色“name”" while loading one */
    int check_depth;     /* nesting of any/all */
    /* which file defined each pack-wide part, to refuse a second one */
    const char *seen_pack, *seen_scoring, *seen_grades, *seen_units,
        *seen_roles, *seen_scopes;
} loader;

static void add_error(loader *L, const char *file, unsigned line, unsigned col,
                      const char *fmt, va_list ap) {
    L->nerrors++;
    if (fz_buf_printf(&L->errors, "%s:%u:%u: ", file, line, col) < 0 ||
        fz_buf_vprintf(&L->errors, fmt, ap) < 0 ||
        fz_buf_puts(&L->errors, "\n") < 0)
        L->oom = 1;
}

__attribute__((format(printf, 3, 4)))
static void err_at(loader *L, const yaml_node_t *n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    add_error(L, L->file, n ? (unsigned)n->start_mark.line + 1 : 1,
              n ? (unsigned)n->start_mark.column + 1 : 1, fmt, ap);
    va_end(ap);
}

static yaml_node_t *node(loader *L, int id) {
    return yaml_document_get_node(L->doc, id);
}

static fz_pos pos_of(loader *L, const yaml_node_t *n) {
    return (fz_pos){L->file, (unsigned)n->start_mark.line + 1,
                    (unsigned)n->start_mark.column + 1};
}

static const char *type_name(const yaml_node_t *n) {
    switch (n->type) {
    case YAML_SCALAR_NODE: return "标量";
    case YAML_SEQUENCE_NODE: return "列表";
    case YAML_MAPPING_NODE: return "映射";
    default: return "空值";
    }
}

static const char *scalar(const yaml_node_t *n) {
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int is_plain(const yaml_node_t *n) {
    return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static int expect(loader *L, const yaml_node_t *n, yaml_node_type_t t,
                  const char *what) {
    if (n->type == t) return 1;
    err_at(L, n, "应为%s，实际为%s", what, type_name(n));
    return 0;
}

/* Value of key in a mapping node, or NULL. */
typedef struct {
    const char *key;
    yaml_node_t *knode, *value;
} pair;

/* Splits a mapping into pairs and reports keys not in `allowed` (a
 * NULL-terminated list). Returns the number of pairs (0 on error), fills
 * *out (malloc'd). */
static size_t pairs_of(loader *L, yaml_node_t *map, const char *const *allowed,
                       const char *where, pair **out) {
    *out = NULL;
    if (!expect(L, map, YAML_MAPPING_NODE, "映射")) return 0;
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    pair *ps = calloc(n ? n : 1, sizeof *ps);
    if (!ps) {
        L->oom = 1;
        return 0;
    }
    size_t k = 0;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node(L, p->key), *vn = node(L, p->value);
        const char *key = scalar(kn);
        if (!key) {
            err_at(L, kn, "键应为字符串");
            continue;
        }
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, key) == 0) ok = 1;
        if (!ok) {
            fz_buf list = {0};
            for (const char *const *a = allowed; *a; a++)
                if (fz_buf_printf(&list, "%s%s", a == allowed ? "" : "、", *a) < 0)
                    L->oom = 1;
            err_at(L, kn, "%s中有未知的键“%s”（可用的键：%s）", where, key,
                   list.ptr ? list.ptr : "");
            fz_buf_free(&list);
            continue;
        }
        for (size_t i = 0; i < k; i++)
            if (strcmp(ps[i].key, key) == 0) {
                err_at(L, kn, "键“%s”重复出现", key);
                ok = 0;
            }
        if (ok) ps[k++] = (pair){key, kn, vn};
    }
    *out = ps;
    return k;
}

static int get_string(loader *L, yaml_node_t *n, char **out) {
    if (!expect(L, n, YAML_SCALAR_NODE, "字符串")) return -1;
    free(*out);
    *out = fz_strdup(scalar(n));
    if (!*out) L->oom = 1;
    return *out ? 0 : -1;
}

static int parse_number(const char *s, double *out) {
    if (!*s) return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v)) return 0;
    *out = v;
    return 1;
}

static int get_number(loader *L, yaml_node_t *n, double lo, double hi, double *out) {
    double v;
    if (n->type != YAML_SCALAR_NODE || !is_plain(n) || !parse_number(scalar(n), &v)) {
        if (n->type == YAML_SCALAR_NODE)
            err_at(L, n, "应为数字，实际为字符串“%s”", scalar(n));
        else
            err_at(L, n, "应为数字，实际为%s", type_name(n));
        return -1;
    }
    if (v < lo || v > hi) {
        err_at(L, n, "数值 %g 超出范围（%g 到 %g）", v, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int get_count(loader *L, yaml_node_t *n, size_t *out) {
    double v;
    if (get_number(L, n, 0, 1e9, &v) < 0) return -1;
    if (v != floor(v)) {
        err_at(L, n, "应为整数，实际为 %g", v);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

static int get_bool(loader *L, yaml_node_t *n, int *out) {
    const char *s = scalar(n);
    if (s && is_plain(n) && (!strcmp(s, "true") || !strcmp(s, "false"))) {
        *out = s[0] == 't';
        return 0;
    }
    err_at(L, n, "应为 true 或 false");
    return -1;
}

static int get_enum(loader *L, yaml_node_t *n, const char *const *names,
                    int *out) {
    const char *s = scalar(n);
    if (s)
        for (int i = 0; names[i]; i++)
            if (strcmp(names[i], s) == 0) {
                *out = i;
                return 0;
            }
    fz_buf list = {0};
    for (int i = 0; names[i]; i++)
        if (fz_buf_printf(&list, "%s%s", i ? "、" : "", names[i]) < 0) L->oom = 1;
    err_at(L, n, "取值应为 %s 之一%s%s%s", list.ptr ? list.ptr : "",
           s ? "，实际为“" : "", s ? s : "", s ? "”" : "");
    fz_buf_free(&list);
    return -1;
}

/* One pattern string, compiled. */
static int compile_pattern(loader *L, yaml_node_t *n, const char *ctx,
                           fz_pattern *out) {
    memset(out, 0, sizeof *out);
    if (!expect(L, n, YAML_SCALAR_NODE, "正则表达式字符串")) return -1;
    char *err = NULL;
    out->source = fz_strdup(scalar(n));
    if (!out->source) {
        L->oom = 1;
        return -1;
    }
    out->re = fz_regex_compile(out->source, &err);
    if (!out->re) {
        err_at(L, n, "%s%s的正则表达式“%s”无法编译：%s", L->owner ? L->owner : "", ctx,
               out->source, err ? err : FZ_ENOMEM);
        free(err);
        return -1;
    }
    return 0;
}

/* A pattern or a list of patterns. */
static int get_patterns(loader *L, yaml_node_t *n, const char *ctx,
                        fz_patterns *out) {
    if (n->type == YAML_SCALAR_NODE) {
        out->v = calloc(1, sizeof *out->v);
        if (!out->v) return L->oom = 1, -1;
        if (compile_pattern(L, n, ctx, &out->v[0]) < 0) {
            free(out->v[0].source);
            free(out->v);
            out->v = NULL;
            return -1;
        }
        out->n = 1;
        return 0;
    }
    if (!expect(L, n, YAML_SEQUENCE_NODE, "正则表达式或其列表")) return -1;
    size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (cnt == 0) {
        err_at(L, n, "列表不能为空");
        return -1;
    }
    out->v = calloc(cnt, sizeof *out->v);
    if (!out->v) return L->oom = 1, -1;
    int rc = 0;
    for (size_t i = 0; i < cnt; i++) {
        /* only a compiled pattern is kept (a failed one is reported) */
        if (compile_pattern(L, node(L, n->data.sequence.items.start[i]), ctx,
                            &out->v[out->n]) < 0) {
            free(out->v[out->n].source);
            memset(&out->v[out->n], 0, sizeof out->v[out->n]);
            rc = -1;
        } else {
            out->n++;
        }
    }
    return rc;
}

static size_t seq_len(const yaml_node_t *n) {
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

/* ---- pack-wide parts ---------------------------------------------------- */

static int once(loader *L, yaml_node_t *kn, const char **seen, const char *key) {
    if (*seen) {
        err_at(L, kn, "“%s”已在 %s 中定义，一个规则包只能定义一次", key, *seen);
        return 0;
    }
    *seen = L->file;
    return 1;
}

static void load_pack_info(loader *L, yaml_node_t *n) {
    static const char *const keys[] = {"name", "version", "description", NULL};
    pair *ps;
    size_t k = pairs_of(L, n, keys, "pack", &ps);
    for (size_t i = 0; i < k; i++) {
        if (!strcmp(ps[i].key, "name")) get_string(L, ps[i].value, &L->pack->name);
        else if (!strcmp(ps[i].key, "version")) get_string(L, ps[i].value, &L->pack->version);
        else expect(L, ps[i].value, YAML_SCALAR_NODE, "字符串");
    }
    free(ps);
}

static void load_scoring(loader *L, yaml_node_t *n) {
    static const char *const keys[] = {"partial", "required_fail_grade", NULL};
    pair *ps;
    size_t k = pairs_of(L, n, keys, "scoring", &ps);
    for (size_t i = 0; i < k; i++) {
        if (!strcmp(ps[i].key, "partial"))
            get_number(L, ps[i].value, 0, 1, &L->pack->partial);
        else
            get_string(L, ps[i].value, &L->pack->fail_grade);
    }
    free(ps);
}

static int cmp_grade(const void *a, const void *b) {
    double x = ((const fz_grade *)a)->min, y = ((const fz_grade *)b)->min;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void load_grades(loader *L, yaml_node_t *n) {
    static const char *const keys[] = {"name", "min", NULL};
    if (!expect(L, n, YAML_SEQUENCE_NODE, "列表")) return;
    fz_pack *P = L->pack;
    P->grades = calloc(seq_len(n) + 1, sizeof *P->grades);
    if (!P->grades) { L->oom = 1; return; }
    for (size_t i = 0; i < seq_len(n); i++) {
        yaml_node_t *g = node(L, n->data.sequence.items.start[i]);
        pair *ps;
        size_t k = pairs_of(L, g, keys, "grades 的分数段", &ps);
        fz_grade gr = {NULL, -1};
        for (size_t j = 0; j < k; j++) {
            if (!strcmp(ps[j].key, "name")) get_string(L, ps[j].value, &gr.name);
            else get_number(L, ps[j].value, 0, 100, &gr.min);
        }
        free(ps);
        if (g->type == YAML_MAPPING_NODE && (!gr.name || gr.min < 0)) {
            err_at(L, g, "分数段需要 name 和 min");
            free(gr.name);
            continue;
        }
        for (size_t j = 0; j < P->ngrades && gr.name; j++)
            if (P->grades[j].min == gr.min)
                err_at(L, g, "分数段“%s”与“%s”的最低分相同（%g），分数段重叠",
                       gr.name, P->grades[j].name, gr.min);
        if (gr.name) P->grades[P->ngrades++] = gr;
    }
    qsort(P->grades, P->ngrades, sizeof *P->grades, cmp_grade);
    if (P->ngrades && P->grades[P->ngrades - 1].min > 0)
        err_at(L, n, "分数段没有覆盖 0 分：最低的分数段应为 min: 0");
}

static void load_units(loader *L, yaml_node_t *n) {
    if (!expect(L, n, YAML_SEQUENCE_NODE, "列表")) return;
    fz_pack *P = L->pack;
    P->units = calloc(seq_len(n) + 1, sizeof *P->units);
    if (!P->units) { L->oom = 1; return; }
    for (size_t i = 0; i < seq_len(n); i++) {
        yaml_node_t *u = node(L, n->data.sequence.items.start[i]);
        if (get_string(L, u, &P->units[P->nunits]) == 0) {
            if (!*P->units[P->nunits]) err_at(L, u, "计量单位不能为空");
            P->nunits++;
        }
    }
}

static int valid_name(const char *s) {
    if (!s || !*s) return 0;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

static int add_scope(fz_pack *P, size_t *cap, const char *name, const char *title,
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

static void load_roles(loader *L, yaml_node_t *n, size_t *scope_cap) {
    static const char *const keys[] = {"title", "headings", "not_headings", NULL};
    if (!expect(L, n, YAML_MAPPING_NODE, "映射")) return;
    fz_pack *P = L->pack;
    size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    P->roles = calloc(cnt ? cnt : 1, sizeof *P->roles);
    if (!P->roles) { L->oom = 1; return; }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node(L, p->key), *vn = node(L, p->value);
        const char *name = scalar(kn);
        if (!valid_name(name)) {
            err_at(L, kn, "角色名“%s”不合规：只能用小写字母、数字和连字符", name ? name : "");
            continue;
        }
        if (P->nroles >= FZ_MAX_ROLES) {
            err_at(L, kn, "角色过多（最多 %d 个）", FZ_MAX_ROLES);
            break;
        }
        if (fz_pack_role(P, name) != FZ_NO_ROLE) {
            err_at(L, kn, "角色“%s”重复定义", name);
            continue;
        }
        fz_role *r = &P->roles[P->nroles];
        memset(r, 0, sizeof *r);
        r->name = fz_strdup(name);
        if (!r->name) { L->oom = 1; return; }
        P->nroles++;
        fz_buf owner = {0};
        if (fz_buf_printf(&owner, "角色“%s”中", name) < 0) L->oom = 1;
        L->owner = owner.ptr;
        pair *ps;
        size_t k = pairs_of(L, vn, keys, "角色定义", &ps);
        for (size_t i = 0; i < k; i++) {
            if (!strcmp(ps[i].key, "title")) get_string(L, ps[i].value, &r->title);
            else if (!strcmp(ps[i].key, "headings"))
                get_patterns(L, ps[i].value, "角色标题", &r->headings);
            else get_patterns(L, ps[i].value, "角色排除标题", &r->not_headings);
        }
        free(ps);
        L->owner = NULL;
        fz_buf_free(&owner);
        if (vn->type == YAML_MAPPING_NODE && !r->headings.n)
            err_at(L, vn, "角色“%s”缺少 headings（识别该部分的标题模式）", name);
        if (fz_pack_scope(P, name) != FZ_NO_ROLE)
            err_at(L, kn, "角色名“%s”与已有范围重名", name);
        else if (add_scope(P, scope_cap, name, r->title, FZ_SCOPE_ROLES,
                           (uint32_t)1 << (P->nroles - 1)) < 0) {
            L->oom = 1;
            return;
        }
    }
}

static uint32_t role_bits(loader *L, yaml_node_t *n) {
    uint32_t bits = 0;
    if (n->type == YAML_SCALAR_NODE) {
        size_t r = fz_pack_role(L->pack, scalar(n));
        if (r == FZ_NO_ROLE) err_at(L, n, "未定义的角色“%s”", scalar(n));
        else bits |= (uint32_t)1 << r;
        return bits;
    }
    if (!expect(L, n, YAML_SEQUENCE_NODE, "角色名或其列表")) return 0;
    for (size_t i = 0; i < seq_len(n); i++)
        bits |= role_bits(L, node(L, n->data.sequence.items.start[i]));
    return bits;
}

static void load_scopes(loader *L, yaml_node_t *n, size_t *scope_cap) {
    static const char *const keys[] = {"title", "include", "exclude", "exclude_header", NULL};
    if (!expect(L, n, YAML_MAPPING_NODE, "映射")) return;
    fz_pack *P = L->pack;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node(L, p->key), *vn = node(L, p->value);
        const char *name = scalar(kn);
        if (!valid_name(name)) {
            err_at(L, kn, "范围名“%s”不合规：只能用小写字母、数字和连字符", name ? name : "");
            continue;
        }
        if (fz_pack_scope(P, name) != FZ_NO_ROLE) {
            err_at(L, kn, "范围“%s”重复定义（或与内置范围、角色重名）", name);
            continue;
        }
        if (add_scope(P, scope_cap, name, NULL, FZ_SCOPE_DOCUMENT, 0) < 0) {
            L->oom = 1;
            return;
        }
        fz_scope *s = &P->scopes[P->nscopes - 1];
        pair *ps;
        size_t k = pairs_of(L, vn, keys, "范围定义", &ps);
        for (size_t i = 0; i < k; i++) {
            if (!strcmp(ps[i].key, "title")) get_string(L, ps[i].value, &s->title);
            else if (!strcmp(ps[i].key, "include")) {
                s->base = FZ_SCOPE_ROLES;
                s->include = role_bits(L, ps[i].value);
            } else if (!strcmp(ps[i].key, "exclude"))
                s->exclude = role_bits(L, ps[i].value);
            else get_bool(L, ps[i].value, &s->exclude_header);
        }
        free(ps);
    }
}

/* ---- rules ---------------------------------------------------------------- */

static const char *const kind_names[] = {"section", "presence", "figures", "year",
                                         "field", "absence", "any", "all", NULL};
static const char *const field_names[] = {"title", "unit", "year", "doc_number",
                                          "date", NULL};
static const char *const status_names[] = {"pass", "partial", "fail", "na", NULL};

/* Keys each check kind accepts (besides kind and scope). */
static const char *const *kind_keys(fz_check_kind k) {
    static const char *const section[] = {"kind", "scope", "headings", "role", "min_length", NULL};
    static const char *const presence[] = {"kind", "scope", "require", "within", "items", "all",
                                           "any", "pass_at", "partial_at", NULL};
    static const char *const figures[] = {"kind", "scope", "keywords", "related", "window",
                                          "units", "min", "mention", NULL};
    static const char *const year[] = {"kind", "role", "offset", NULL};
    static const char *const field[] = {"kind", "field", "pattern", "missing", NULL};
    static const char *const absence[] = {"kind", "scope", "items", NULL};
    static const char *const combo[] = {"kind", "checks", NULL};
    switch (k) {
    case FZ_CHECK_SECTION: return section;
    case FZ_CHECK_PRESENCE: return presence;
    case FZ_CHECK_FIGURES: return figures;
    case FZ_CHECK_YEAR: return year;
    case FZ_CHECK_FIELD: return field;
    case FZ_CHECK_ABSENCE: return absence;
    default: return combo;
    }
}

/* items, all and any each fill the item list: only one may be used. */
static int items_free(loader *L, yaml_node_t *n, fz_check *c) {
    if (!c->items) return 1;
    err_at(L, n, "items、all、any 只能使用其中一个");
    return 0;
}

static int get_items(loader *L, yaml_node_t *n, fz_check *c) {
    static const char *const keys[] = {"name", "patterns", NULL};
    if (!items_free(L, n, c)) return -1;
    if (!expect(L, n, YAML_SEQUENCE_NODE, "列表")) return -1;
    if (!seq_len(n)) {
        err_at(L, n, "列表不能为空");
        return -1;
    }
    c->items = calloc(seq_len(n), sizeof *c->items);
    if (!c->items) return L->oom = 1, -1;
    for (size_t i = 0; i < seq_len(n); i++) {
        yaml_node_t *in = node(L, n->data.sequence.items.start[i]);
        fz_item *it = &c->items[c->nitems++];
        if (in->type == YAML_SCALAR_NODE) {
            get_string(L, in, &it->name);
            get_patterns(L, in, "要素", &it->patterns);
            continue;
        }
        pair *ps;
        size_t before = L->nerrors;
        size_t k = pairs_of(L, in, keys, "要素", &ps);
        for (size_t j = 0; j < k; j++) {
            if (!strcmp(ps[j].key, "name")) get_string(L, ps[j].value, &it->name);
            else get_patterns(L, ps[j].value, "要素", &it->patterns);
        }
        free(ps);
        /* (a pattern that failed to compile was reported already) */
        if (in->type == YAML_MAPPING_NODE && L->nerrors == before &&
            (!it->name || !it->patterns.n))
            err_at(L, in, "要素需要 name 和 patterns");
    }
    return 0;
}

/* One item per pattern (all:) or one item for the list (any:). */
static int items_from_patterns(loader *L, yaml_node_t *n, fz_check *c, int each) {
    if (!items_free(L, n, c)) return -1;
    fz_patterns ps = {0};
    if (get_patterns(L, n, "要素", &ps) < 0 && !ps.v) return -1;
    size_t cnt = each ? ps.n : 1;
    c->items = calloc(cnt ? cnt : 1, sizeof *c->items);
    if (!c->items) {
        for (size_t i = 0; i < ps.n; i++) {
            free(ps.v[i].source);
            fz_regex_free(ps.v[i].re);
        }
        free(ps.v);
        return L->oom = 1, -1;
    }
    if (!each) {
        c->items[0].name = fz_strdup(ps.n ? ps.v[0].source : "");
        if (!c->items[0].name) L->oom = 1;
        c->items[0].patterns = ps;
        c->nitems = 1;
        return 0;
    }
    for (size_t i = 0; i < ps.n; i++) {
        fz_item *it = &c->items[c->nitems++];
        it->name = fz_strdup(ps.v[i].source);
        it->patterns.v = malloc(sizeof *it->patterns.v);
        if (!it->name || !it->patterns.v) {
            L->oom = 1;
            free(ps.v[i].source);
            fz_regex_free(ps.v[i].re);
            continue;
        }
        it->patterns.v[0] = ps.v[i];
        it->patterns.n = 1;
    }
    free(ps.v);
    return 0;
}

static int by_length_desc(const void *a, const void *b) {
    size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
    return x < y ? 1 : x > y ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regex for "a number followed by one of the units": 134家, 81家次,
 * 1.1万份, 三十余次. Not a count: a year (2024年: 年 is no unit), an
 * ordinal (第三版, 第3次), or a list label (1、). */
static fz_regex *count_regex(loader *L, yaml_node_t *at, char **units, size_t n) {
    char **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted) return L->oom = 1, NULL;
    memcpy(sorted, units, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, by_length_desc);
    fz_buf b = {0};
    int bad = fz_buf_puts(&b,
        "(?<![第\\d.])(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?"
        "|(?<![第一二两三四五六七八九十百千])[一二两三四五六七八九]?[十百千][一二三四五六七八九十百千零]*") < 0;
    bad |= fz_buf_puts(&b, "") < 0;
    fz_buf re = {0};
    bad |= fz_buf_printf(&re, "(?:%s)(?:余|多)?(?:万|亿)?(?:", b.ptr) < 0;
    for (size_t i = 0; i < n && !bad; i++) {
        if (i) bad |= fz_buf_puts(&re, "|") < 0;
        bad |= fz_buf_puts(&re, "\\Q") < 0;
        bad |= fz_buf_puts(&re, sorted[i]) < 0;
        bad |= fz_buf_puts(&re, "\\E") < 0;
    }
    bad |= fz_buf_puts(&re, ")") < 0;
    free(sorted);
    fz_buf_free(&b);
    if (bad) {
        fz_buf_free(&re);
        L->oom = 1;
        return NULL;
    }
    char *err = NULL;
    fz_regex *r = fz_regex_compile(re.ptr, &err);
    if (!r) err_at(L, at, "计量单位无法组成正则表达式：%s", err ? err : FZ_ENOMEM);
    free(err);
    fz_buf_free(&re);
    return r;
}

static const char *const default_units[] = {
    "家次", "人次", "户次", "车次", "万元", "亿元", "元", "家", "次", "件", "个",
    "条", "人", "项", "份", "起", "场", "期", "批", "篇", "台", "套", "户", "宗",
    "卷", "名", "处", "吨", "%", NULL};

static int load_check(loader *L, yaml_node_t *n, fz_check *c, const char *rule_id);

static void load_children(loader *L, yaml_node_t *n, fz_check *c, const char *id) {
    if (!expect(L, n, YAML_SEQUENCE_NODE, "检查列表")) return;
    if (++L->check_depth > 8) {
        err_at(L, n, "any/all 检查嵌套过深（最多 8 层）");
        L->check_depth--;
        return;
    }
    if (!seq_len(n)) {
        err_at(L, n, "checks 不能为空");
        return;
    }
    c->children = calloc(seq_len(n), sizeof *c->children);
    if (!c->children) { L->oom = 1; return; }
    for (size_t i = 0; i < seq_len(n); i++)
        load_check(L, node(L, n->data.sequence.items.start[i]), &c->children[c->nchildren++], id);
    L->check_depth--;
}

static size_t resolve(loader *L, yaml_node_t *n, int role) {
    const char *name = scalar(n);
    if (!name) {
        err_at(L, n, "应为%s名", role ? "角色" : "范围");
        return FZ_NO_ROLE;
    }
    size_t i = role ? fz_pack_role(L->pack, name) : fz_pack_scope(L->pack, name);
    if (i == FZ_NO_ROLE) err_at(L, n, "未定义的%s“%s”", role ? "角色" : "范围", name);
    return i;
}

static void load_check_key(loader *L, const pair *p, fz_check *c, const char *id,
                           yaml_node_t **units_node) {
    const char *k = p->key;
    yaml_node_t *v = p->value;
    int e;
    if (!strcmp(k, "scope")) c->scope = resolve(L, v, 0);
    else if (!strcmp(k, "role")) c->role = resolve(L, v, 1);
    else if (!strcmp(k, "headings")) get_patterns(L, v, "章节标题", &c->headings);
    else if (!strcmp(k, "min_length")) get_count(L, v, &c->min_length);
    else if (!strcmp(k, "require")) get_patterns(L, v, "前提", &c->require);
    else if (!strcmp(k, "within")) {
        static const char *const within[] = {"scope", "paragraph", "section", NULL};
        if (get_enum(L, v, within, &e) == 0) c->within = e;
    }
    else if (!strcmp(k, "items")) get_items(L, v, c);
    else if (!strcmp(k, "all")) items_from_patterns(L, v, c, 1);
    else if (!strcmp(k, "any")) items_from_patterns(L, v, c, 0);
    else if (!strcmp(k, "pass_at")) get_count(L, v, &c->pass_at);
    else if (!strcmp(k, "partial_at")) get_count(L, v, &c->partial_at);
    else if (!strcmp(k, "keywords")) get_patterns(L, v, "关键词", &c->keywords);
    else if (!strcmp(k, "related")) get_patterns(L, v, "相关词", &c->related);
    else if (!strcmp(k, "window")) get_count(L, v, &c->window);
    else if (!strcmp(k, "units")) *units_node = v;
    else if (!strcmp(k, "min")) get_count(L, v, &c->min);
    else if (!strcmp(k, "mention")) {
        if (get_enum(L, v, status_names, &e) == 0) c->mention = (fz_status)e;
    } else if (!strcmp(k, "offset")) {
        double d;
        if (get_number(L, v, -10, 10, &d) == 0) c->offset = (int)d;
    } else if (!strcmp(k, "field")) {
        if (get_enum(L, v, field_names, &e) == 0) c->field = (fz_field)e;
    } else if (!strcmp(k, "pattern")) get_patterns(L, v, "字段", &c->pattern);
    else if (!strcmp(k, "missing")) {
        if (get_enum(L, v, status_names, &e) == 0) c->missing = (fz_status)e;
    } else if (!strcmp(k, "checks")) load_children(L, v, c, id);
}

static void check_complete(loader *L, yaml_node_t *n, fz_check *c, int has_field,
                           int has_role, int has_pass_at, int has_partial_at) {
    switch (c->kind) {
    case FZ_CHECK_SECTION:
        if (!c->headings.n && !has_role)
            err_at(L, n, "section 检查需要 headings 或 role");
        break;
    case FZ_CHECK_PRESENCE:
        if (!c->nitems && !c->require.n)
            err_at(L, n, "presence 检查需要 items、all、any 或 require 之一");
        if (c->within != FZ_WITHIN_SCOPE && !c->require.n)
            err_at(L, n, "within 需要与 require 一起使用");
        if (!has_pass_at) c->pass_at = c->nitems;
        if (!has_partial_at) c->partial_at = c->nitems ? 1 : 0;
        if (c->pass_at > c->nitems && c->nitems)
            err_at(L, n, "pass_at（%zu）大于要素个数（%zu）", c->pass_at, c->nitems);
        if (c->partial_at > c->pass_at)
            err_at(L, n, "partial_at（%zu）大于 pass_at（%zu）", c->partial_at, c->pass_at);
        break;
    case FZ_CHECK_YEAR:
        if (!has_role) err_at(L, n, "year 检查需要 role（下一年度安排所在的部分）");
        break;
    case FZ_CHECK_FIELD:
        if (!has_field) err_at(L, n, "field 检查需要 field");
        break;
    case FZ_CHECK_ABSENCE:
        if (!c->nitems) err_at(L, n, "absence 检查需要 items");
        break;
    case FZ_CHECK_ANY:
    case FZ_CHECK_ALL:
        if (!c->nchildren) err_at(L, n, "%s 检查需要 checks", kind_names[c->kind]);
        break;
    default:
        break;
    }
}

static int load_check(loader *L, yaml_node_t *n, fz_check *c, const char *id) {
    memset(c, 0, sizeof *c);
    c->scope = 0; /* document */
    c->role = FZ_NO_ROLE;
    c->min = 1;
    c->window = 1;
    c->offset = 1;
    c->mention = FZ_FAIL;
    c->missing = FZ_FAIL;
    if (!expect(L, n, YAML_MAPPING_NODE, "映射")) return -1;
    c->pos = pos_of(L, n);
    /* the kind decides which keys are allowed */
    yaml_node_t *kind_node = NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const char *k = scalar(node(L, p->key));
        if (k && !strcmp(k, "kind")) kind_node = node(L, p->value);
    }
    if (!kind_node) {
        err_at(L, n, "检查缺少 kind（可用：section、presence、figures、year、field、absence、any、all）");
        return -1;
    }
    int kind;
    if (get_enum(L, kind_node, kind_names, &kind) < 0) return -1;
    c->kind = (fz_check_kind)kind;
    pair *ps;
    char where[64];
    snprintf(where, sizeof where, "%s 检查", kind_names[kind]);
    size_t k = pairs_of(L, n, kind_keys(c->kind), where, &ps);
    yaml_node_t *units_node = NULL;
    int has_field = 0, has_role = 0, has_pass_at = 0, has_partial_at = 0;
    for (size_t i = 0; i < k; i++) {
        if (!strcmp(ps[i].key, "kind")) continue;
        has_field |= !strcmp(ps[i].key, "field");
        has_role |= !strcmp(ps[i].key, "role");
        has_pass_at |= !strcmp(ps[i].key, "pass_at");
        has_partial_at |= !strcmp(ps[i].key, "partial_at");
        load_check_key(L, &ps[i], c, id, &units_node);
    }
    free(ps);
    if (c->scope == FZ_NO_ROLE) c->scope = 0;
    check_complete(L, n, c, has_field, has_role, has_pass_at, has_partial_at);
    if (c->kind == FZ_CHECK_FIGURES) {
        if (units_node) {
            if (expect(L, units_node, YAML_SEQUENCE_NODE, "计量单位列表")) {
                size_t cnt = seq_len(units_node);
                char **us = calloc(cnt ? cnt : 1, sizeof *us);
                if (!us) return L->oom = 1, -1;
                size_t got = 0;
                for (size_t i = 0; i < cnt; i++)
                    if (get_string(L, node(L, units_node->data.sequence.items.start[i]), &us[got]) == 0)
                        got++;
                c->count_re = count_regex(L, units_node, us, got);
                for (size_t i = 0; i < got; i++) free(us[i]);
                free(us);
            }
        } else {
            c->count_re = count_regex(L, n, L->pack->units, L->pack->nunits);
        }
    }
    return 0;
}

static void load_rule(loader *L, yaml_node_t *n, size_t *cap) {
    static const char *const keys[] = {"id", "title", "category", "severity", "points",
                                       "basis", "message", "suggestion", "link",
                                       "applies_if", "check", NULL};
    static const char *const sev[] = {"required", "recommended", "info", NULL};
    static const char *const required_keys[] = {"id", "title", "category", "severity",
                                                "points", "basis", "message",
                                                "suggestion", "check"};
    fz_pack *P = L->pack;
    if (fz_grow(&P->rules, cap, P->nrules + 1, sizeof *P->rules) < 0) {
        L->oom = 1;
        return;
    }
    fz_rule *r = &P->rules[P->nrules];
    memset(r, 0, sizeof *r);
    r->pos = pos_of(L, n);
    pair *ps;
    size_t k = pairs_of(L, n, keys, "规则", &ps);
    if (n->type != YAML_MAPPING_NODE) return;
    P->nrules++;
    /* name the rule in pattern errors, wherever its id stands */
    fz_buf owner = {0};
    for (size_t i = 0; i < k; i++)
        if (!strcmp(ps[i].key, "id") && scalar(ps[i].value) &&
            fz_buf_printf(&owner, "规则“%s”中", scalar(ps[i].value)) < 0)
            L->oom = 1;
    L->owner = owner.ptr;
    int have[sizeof required_keys / sizeof required_keys[0]] = {0};
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < sizeof required_keys / sizeof required_keys[0]; j++)
            if (!strcmp(ps[i].key, required_keys[j])) have[j] = 1;
    for (size_t i = 0; i < k; i++) {
        const char *key = ps[i].key;
        yaml_node_t *v = ps[i].value;
        int e;
        if (!strcmp(key, "id")) {
            if (get_string(L, v, &r->id) == 0 && !valid_name(r->id))
                err_at(L, v, "规则 id“%s”不合规：只能用小写字母、数字和连字符", r->id);
            for (size_t j = 0; r->id && j + 1 < P->nrules; j++)
                if (P->rules[j].id && !strcmp(P->rules[j].id, r->id))
                    err_at(L, v, "规则 id“%s”重复（已在 %s:%u 定义）", r->id,
                           P->rules[j].pos.file, P->rules[j].pos.line);
        } else if (!strcmp(key, "title")) get_string(L, v, &r->title);
        else if (!strcmp(key, "category")) get_string(L, v, &r->category);
        else if (!strcmp(key, "severity")) {
            if (get_enum(L, v, sev, &e) == 0) r->severity = (fz_severity)e;
        } else if (!strcmp(key, "points")) get_number(L, v, 0, 1000, &r->points);
        else if (!strcmp(key, "basis")) get_string(L, v, &r->basis);
        else if (!strcmp(key, "message")) get_string(L, v, &r->message);
        else if (!strcmp(key, "suggestion")) get_string(L, v, &r->suggestion);
        else if (!strcmp(key, "link")) get_string(L, v, &r->link);
        else if (!strcmp(key, "applies_if")) get_patterns(L, v, "适用条件", &r->applies_if);
        else if (!strcmp(key, "check")) load_check(L, v, &r->check, r->id);
    }
    free(ps);
    L->owner = NULL;
    fz_buf_free(&owner);
    for (size_t j = 0; j < sizeof required_keys / sizeof required_keys[0]; j++)
        if (!have[j]) err_at(L, n, "规则%s%s%s缺少必填的键“%s”", r->id ? "“" : "",
                             r->id ? r->id : "", r->id ? "”" : "", required_keys[j]);
}

/* ---- files ----------------------------------------------------------- */

/* Rule files are small; anything bigger is not a rule pack. */
#define FZ_RULES_MAX_BYTES ((size_t)4 * 1024 * 1024)
/* Nesting deeper than this is no rule pack either (and would exhaust the
 * stack of a recursive walk). */
#define FZ_RULES_MAX_DEPTH 64

static void yaml_error(loader *L, const char *path, const yaml_parser_t *p) {
    L->nerrors++;
    const char *ctx = p->context ? p->context : "";
    if (fz_buf_printf(&L->errors, "%s:%zu:%zu: YAML 语法错误：%s%s%s%s\n", path,
                      p->problem_mark.line + 1, p->problem_mark.column + 1,
                      p->problem ? p->problem : "无法解析", *ctx ? "（" : "", ctx,
                      *ctx ? "）" : "") < 0)
        L->oom = 1;
}

static void file_error(loader *L, const char *path, size_t line, size_t col, const char *msg) {
    L->nerrors++;
    if (fz_buf_printf(&L->errors, "%s:%zu:%zu: %s\n", path, line, col, msg) < 0) L->oom = 1;
}

/* Walks the events once before building the document: refuses aliases
 * (a cycle or a "billion laughs" expansion would follow them forever)
 * and nesting deeper than FZ_RULES_MAX_DEPTH. */
static int screen_events(loader *L, const char *path, const char *text, size_t len) {
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) return L->oom = 1, -1;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int depth = 0, rc = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            yaml_error(L, path, &p);
            rc = -1;
            break;
        }
        yaml_event_type_t t = e.type;
        size_t line = e.start_mark.line + 1, col = e.start_mark.column + 1;
        int anchored = (t == YAML_SCALAR_EVENT && e.data.scalar.anchor) ||
                       (t == YAML_SEQUENCE_START_EVENT && e.data.sequence_start.anchor) ||
                       (t == YAML_MAPPING_START_EVENT && e.data.mapping_start.anchor);
        yaml_event_delete(&e);
        if (t == YAML_ALIAS_EVENT || anchored) {
            file_error(L, path, line, col, "规则包中不能使用 YAML 锚点和别名（& 和 *），请直接写出内容");
            rc = -1;
            break;
        }
        if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
            if (++depth > FZ_RULES_MAX_DEPTH) {
                file_error(L, path, line, col, "嵌套层数过多，不像是规则包");
                rc = -1;
                break;
            }
        } else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
            depth--;
        } else if (t == YAML_STREAM_END_EVENT) {
            break;
        }
    }
    yaml_parser_delete(&p);
    return rc;
}

static int load_yaml(loader *L, const char *path, yaml_document_t *doc) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        file_error(L, path, 1, 1, errno == ENOENT ? "无法打开规则文件：文件不存在"
                                                  : "无法打开规则文件：没有读取权限或不是文件");
        return -1;
    }
    fz_buf text = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (text.len + got > FZ_RULES_MAX_BYTES) {
            fclose(f);
            fz_buf_free(&text);
            file_error(L, path, 1, 1, "规则文件过大（超过 4 MB）");
            return -1;
        }
        if (fz_buf_append(&text, chunk, got) < 0) {
            fclose(f);
            fz_buf_free(&text);
            return L->oom = 1, -1;
        }
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        fz_buf_free(&text);
        file_error(L, path, 1, 1, "读取规则文件时出错");
        return -1;
    }
    int ok = 0;
    if (screen_events(L, path, text.ptr ? text.ptr : "", text.len) == 0) {
        yaml_parser_t parser;
        if (!yaml_parser_initialize(&parser)) {
            fz_buf_free(&text);
            return L->oom = 1, -1;
        }
        yaml_parser_set_input_string(&parser, (const unsigned char *)(text.ptr ? text.ptr : ""),
                                     text.len);
        ok = yaml_parser_load(&parser, doc);
        if (!ok) yaml_error(L, path, &parser);
        yaml_parser_delete(&parser);
    }
    fz_buf_free(&text);
    return ok ? 0 : -1;
}

static int is_yaml(const char *name) {
    size_t n = strlen(name);
    return name[0] != '.' &&
           ((n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml")));
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The YAML files of the pack: the file itself, or a directory's *.yaml
 * in name order. */
static int list_files(loader *L, const char *path) {
    fz_pack *P = L->pack;
    struct stat st;
    if (stat(path, &st) != 0) {
        L->nerrors++;
        if (fz_buf_printf(&L->errors, "%s:1:1: 找不到规则包：%s\n", path,
                          errno == ENOENT ? "路径不存在" : strerror(errno)) < 0)
            L->oom = 1;
        return -1;
    }
    size_t cap = 0;
    if (!S_ISDIR(st.st_mode)) {
        P->files = calloc(1, sizeof *P->files);
        if (!P->files || !(P->files[0] = fz_strdup(path))) return L->oom = 1, -1;
        P->nfiles = 1;
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        L->nerrors++;
        if (fz_buf_printf(&L->errors, "%s:1:1: 无法读取规则目录：%s\n", path, strerror(errno)) < 0)
            L->oom = 1;
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_yaml(e->d_name)) continue;
        if (fz_grow(&P->files, &cap, P->nfiles + 1, sizeof *P->files) < 0) break;
        fz_buf b = {0};
        if (fz_buf_printf(&b, "%s%s%s", path,
                          path[strlen(path) - 1] == '/' ? "" : "/", e->d_name) < 0) {
            fz_buf_free(&b);
            break;
        }
        P->files[P->nfiles++] = fz_buf_steal(&b);
    }
    closedir(d);
    qsort(P->files, P->nfiles, sizeof *P->files, cmp_str);
    if (!P->nfiles) {
        L->nerrors++;
        if (fz_buf_printf(&L->errors, "%s:1:1: 规则目录中没有 .yaml 文件\n", path) < 0)
            L->oom = 1;
        return -1;
    }
    return 0;
}

static void first_pass(loader *L, yaml_node_t *root, size_t *scope_cap) {
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node(L, p->key), *vn = node(L, p->value);
        const char *k = scalar(kn);
        if (!k) continue;
        if (!strcmp(k, "pack")) { if (once(L, kn, &L->seen_pack, k)) load_pack_info(L, vn); }
        else if (!strcmp(k, "scoring")) { if (once(L, kn, &L->seen_scoring, k)) load_scoring(L, vn); }
        else if (!strcmp(k, "grades")) { if (once(L, kn, &L->seen_grades, k)) load_grades(L, vn); }
        else if (!strcmp(k, "units")) { if (once(L, kn, &L->seen_units, k)) load_units(L, vn); }
        else if (!strcmp(k, "roles")) { if (once(L, kn, &L->seen_roles, k)) load_roles(L, vn, scope_cap); }
    }
}

static void scopes_pass(loader *L, yaml_node_t *root, size_t *scope_cap) {
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node(L, p->key);
        const char *k = scalar(kn);
        if (k && !strcmp(k, "scopes") && once(L, kn, &L->seen_scopes, k))
            load_scopes(L, node(L, p->value), scope_cap);
    }
}

static void rules_pass(loader *L, yaml_node_t *root, size_t *rule_cap) {
    static const char *const top[] = {"pack", "scoring", "grades", "units", "roles",
                                      "scopes", "rules", NULL};
    pair *ps;
    size_t k = pairs_of(L, root, top, "规则文件顶层", &ps);
    for (size_t i = 0; i < k; i++) {
        if (strcmp(ps[i].key, "rules")) continue;
        yaml_node_t *v = ps[i].value;
        if (!expect(L, v, YAML_SEQUENCE_NODE, "规则列表")) continue;
        for (size_t j = 0; j < seq_len(v); j++)
            load_rule(L, node(L, v->data.sequence.items.start[j]), rule_cap);
    }
    free(ps);
}

static int set_defaults(fz_pack *P) {
    if (!P->fail_grade && !(P->fail_grade = fz_strdup("不合格"))) return -1;
    if (!P->name && !(P->name = fz_strdup(""))) return -1;
    if (!P->version && !(P->version = fz_strdup(""))) return -1;
    if (!P->units) {
        size_t n = 0;
        while (default_units[n]) n++;
        P->units = calloc(n, sizeof *P->units);
        if (!P->units) return -1;
        for (size_t i = 0; i < n; i++)
            if (!(P->units[P->nunits++] = fz_strdup(default_units[i]))) return -1;
    }
    return 0;
}

int fz_pack_load(const char *path, fz_pack *pack, char **errors) {
    memset(pack, 0, sizeof *pack);
    pack->partial = 0.5;
    loader L = {.pack = pack};
    size_t scope_cap = 0, rule_cap = 0;
    yaml_document_t *docs = NULL;
    pack->path = fz_strdup(path);
    if (!pack->path) L.oom = 1;
    else if (list_files(&L, path) == 0) {
        docs = calloc(pack->nfiles, sizeof *docs);
        if (!docs) L.oom = 1;
    }
    if (!L.oom && docs &&
        (add_scope(pack, &scope_cap, "document", "全文", FZ_SCOPE_DOCUMENT, 0) < 0 ||
         add_scope(pack, &scope_cap, "header", "标题和版头", FZ_SCOPE_HEADER, 0) < 0))
        L.oom = 1;
    int *loaded = docs ? calloc(pack->nfiles, sizeof *loaded) : NULL;
    if (docs && !loaded) L.oom = 1;
    for (int pass = 0; pass < 3 && loaded && !L.oom; pass++) {
        for (size_t i = 0; i < pack->nfiles && !L.oom; i++) {
            L.file = pack->files[i];
            if (pass == 0) {
                loaded[i] = load_yaml(&L, pack->files[i], &docs[i]) == 0;
            }
            if (!loaded[i]) continue;
            L.doc = &docs[i];
            yaml_node_t *root = yaml_document_get_root_node(&docs[i]);
            if (!root) {
                if (pass == 0) err_at(&L, NULL, "规则文件为空");
                continue;
            }
            if (root->type != YAML_MAPPING_NODE) {
                if (pass == 0) err_at(&L, root, "规则文件的顶层应为映射（pack、grades、roles、rules 等）");
                continue;
            }
            if (pass == 0) first_pass(&L, root, &scope_cap);
            else if (pass == 1) scopes_pass(&L, root, &scope_cap);
            else rules_pass(&L, root, &rule_cap);
        }
        /* pack-wide defaults (units) must be in place before rules
         * compile their count patterns */
        if (pass == 0 && !L.oom && set_defaults(pack) < 0) L.oom = 1;
    }
    if (!L.oom && set_defaults(pack) < 0) L.oom = 1;
    if (!L.oom && !L.nerrors && !pack->nrules)
        fz_buf_printf(&L.errors, "%s:1:1: 规则包中没有规则\n", path), L.nerrors++;
    if (!L.oom && !L.nerrors && !pack->ngrades)
        fz_buf_printf(&L.errors, "%s:1:1: 规则包没有定义 grades（等级分数段）\n", path), L.nerrors++;
    for (size_t i = 0; docs && i < pack->nfiles; i++)
        if (loaded && loaded[i]) yaml_document_delete(&docs[i]);
    free(loaded);
    free(docs);
    if (L.oom || L.nerrors) {
        if (L.oom) {
            fz_buf_free(&L.errors);
            fz_buf_printf(&L.errors, "%s:1:1: %s\n", path, FZ_ENOMEM);
        }
        *errors = fz_buf_steal(&L.errors);
        fz_pack_free(pack);
        return -1;
    }
    fz_buf_free(&L.errors);
    return 0;
}
