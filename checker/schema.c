/*
 * schema.c - see schema.h.
 *
 * validate() walks schema and instance together. It returns how many
 * violations it found; when collecting is off (inside anyOf, oneOf, not,
 * if, contains) it stops at the first and writes nothing, since only
 * "valid or not" matters there.
 */
#include "schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"
#include "utf8.h"

#define MAX_DEPTH 512

typedef struct {
    char *uri;
    const fz_jv *node;
} id_entry;

typedef struct {
    char *source;
    fz_regex *re;   /* NULL when the pattern does not compile */
} pattern_entry;

struct fz_schema {
    const fz_jv *root;
    char *base;             /* the root's base URI, "" when none */
    id_entry *ids;
    size_t nids, idcap;
    pattern_entry *pats;
    size_t npats, patcap;
    int unresolved;
};

typedef struct {
    fz_schema *s;
    const char *file;
    fz_buf *out;
    fz_buf path;            /* JSON pointer of the instance */
    int depth;
    int oom;
} ctx;

/* ---- URIs ------------------------------------------------------------ */

static int has_scheme(const char *u) {
    const char *p = u;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

/* ref resolved against base (RFC 3986, the cases schemas use). */
static char *resolve(const char *base, const char *ref) {
    if (has_scheme(ref) || !*base) return fz_strdup(ref);
    size_t blen = strcspn(base, "#");
    fz_buf b = {0};
    int bad = 0;
    if (ref[0] == '#') {
        bad |= fz_buf_append(&b, base, blen) < 0;
    } else if (ref[0] == '/') {
        const char *auth = strstr(base, "://");
        size_t keep = auth ? (size_t)(strchr(auth + 3, '/') ? strchr(auth + 3, '/') - base : (long)blen) : 0;
        bad |= fz_buf_append(&b, base, keep) < 0;
    } else {
        size_t dir = blen;
        while (dir > 0 && base[dir - 1] != '/') dir--;
        bad |= fz_buf_append(&b, base, dir) < 0;
    }
    bad |= fz_buf_puts(&b, ref) < 0;
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

static int add_id(fz_schema *s, char *uri, const fz_jv *node) {
    if (fz_grow(&s->ids, &s->idcap, s->nids + 1, sizeof *s->ids) < 0) {
        free(uri);
        return -1;
    }
    s->ids[s->nids++] = (id_entry){uri, node};
    return 0;
}

/* Records every $id with the URI it resolves to. enum, const and default
 * hold data, not schemas, and are not searched. */
static int index_ids(fz_schema *s, const fz_jv *v, const char *base, int depth) {
    if (depth > MAX_DEPTH) return 0;
    if (v->type == FZ_JV_ARR) {
        for (size_t i = 0; i < v->n; i++)
            if (index_ids(s, &v->items[i], base, depth + 1) < 0) return -1;
        return 0;
    }
    if (v->type != FZ_JV_OBJ) return 0;
    const fz_jv *id = fz_jv_get(v, "$id");
    char *here = NULL;
    if (id && id->type == FZ_JV_STR) {
        here = resolve(base, id->str);
        if (!here) return -1;
        char *copy = fz_strdup(here);
        if (!copy || add_id(s, copy, v) < 0) {
            free(here);
            return -1;
        }
    }
    int rc = 0;
    for (size_t i = 0; i < v->n && rc == 0; i++) {
        const char *k = v->keys[i];
        if (!strcmp(k, "enum") || !strcmp(k, "const") || !strcmp(k, "default") ||
            !strcmp(k, "examples"))
            continue;
        rc = index_ids(s, &v->items[i], here ? here : base, depth + 1);
    }
    free(here);
    return rc;
}

/* Decodes one JSON-pointer token (~1 ~0, %XX) into b. */
static int pointer_token(const char *t, size_t n, fz_buf *b) {
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (c == '~' && i + 1 < n && (t[i + 1] == '0' || t[i + 1] == '1')) {
            c = t[++i] == '0' ? '~' : '/';
        } else if (c == '%' && i + 2 < n) {
            char hex[3] = {t[i + 1], t[i + 2], 0};
            char *end;
            long v = strtol(hex, &end, 16);
            if (!*end) {
                c = (char)v;
                i += 2;
            }
        }
        if (fz_buf_append(b, &c, 1) < 0) return -1;
    }
    return 0;
}

static const fz_jv *follow_pointer(const fz_jv *v, const char *ptr, int *oom) {
    while (v && *ptr == '/') {
        ptr++;
        size_t n = strcspn(ptr, "/");
        fz_buf tok = {0};
        if (pointer_token(ptr, n, &tok) < 0) {
            *oom = 1;
            return NULL;
        }
        const char *t = tok.ptr ? tok.ptr : "";
        if (v->type == FZ_JV_OBJ) {
            v = fz_jv_get(v, t);
        } else if (v->type == FZ_JV_ARR) {
            char *end;
            unsigned long i = strtoul(t, &end, 10);
            v = !*end && *t && i < v->n ? &v->items[i] : NULL;
        } else {
            v = NULL;
        }
        fz_buf_free(&tok);
        ptr += n;
    }
    return *ptr ? NULL : v;
}

/* The schema a $ref names, or NULL. */
static const fz_jv *lookup(fz_schema *s, const char *uri, int *oom) {
    for (size_t i = 0; i < s->nids; i++)
        if (!strcmp(s->ids[i].uri, uri)) return s->ids[i].node;
    const char *hash = strchr(uri, '#');
    size_t doclen = hash ? (size_t)(hash - uri) : strlen(uri);
    const char *frag = hash ? hash + 1 : "";
    const fz_jv *doc = NULL;
    size_t rootlen = strcspn(s->base, "#");
    if (doclen == 0 || (doclen == rootlen && !strncmp(uri, s->base, doclen))) {
        doc = s->root;
    } else {
        for (size_t i = 0; i < s->nids && !doc; i++) {
            size_t l = strlen(s->ids[i].uri);
            if (l && s->ids[i].uri[l - 1] == '#') l--; /* "…/schema#" names the document */
            if (l == doclen && !strncmp(s->ids[i].uri, uri, doclen)) doc = s->ids[i].node;
        }
    }
    if (!doc) return NULL;
    if (!*frag) return doc;
    if (*frag == '/') return follow_pointer(doc, frag, oom);
    return NULL;
}

/* ---- messages ---------------------------------------------------------- */

__attribute__((format(printf, 5, 6)))
static int violation(ctx *c, const fz_jv *at, const char *key, unsigned line, const char *fmt,
                     ...) {
    if (!c->out) return 1;
    size_t keep = c->path.len;
    int bad = 0;
    if (key) {
        bad |= fz_buf_puts(&c->path, "/") < 0;
        for (const char *k = key; *k && !bad; k++)
            bad |= fz_buf_puts(&c->path, *k == '~' ? "~0" : *k == '/' ? "~1" : (char[]){*k, 0}) < 0;
    }
    unsigned col = at ? at->col : 1;
    if (key && at && at->type == FZ_JV_OBJ)
        for (size_t i = 0; i < at->n; i++)
            if (!strcmp(at->keys[i], key)) {
                line = at->key_line[i];
                col = at->key_col[i];
            }
    bad |= fz_buf_printf(c->out, "%s:%u:%u: %s: ", c->file, line ? line : (at ? at->line : 1),
                         col, c->path.len ? c->path.ptr : "/") < 0;
    if (key) {
        c->path.len = keep;
        c->path.ptr[keep] = '\0';
    }
    va_list ap;
    va_start(ap, fmt);
    bad |= fz_buf_vprintf(c->out, fmt, ap) < 0;
    va_end(ap);
    bad |= fz_buf_puts(c->out, "\n") < 0;
    if (bad) c->oom = 1;
    return 1;
}

static const char *type_label(const char *t) {
    static const char *const names[][2] = {
        {"string", "字符串"}, {"number", "数字"}, {"integer", "整数"},
        {"boolean", "true 或 false"}, {"array", "列表"}, {"object", "映射"}, {"null", "空值"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i][0], t)) return names[i][1];
    return t;
}

static int is_integer(const fz_jv *x) {
    return x->type == FZ_JV_NUM && x->num == floor(x->num);
}

static int type_matches(const fz_jv *x, const char *t) {
    if (!strcmp(t, "integer")) return is_integer(x);
    static const char *const names[] = {"null", "boolean", "number", "string", "array", "object"};
    return !strcmp(names[x->type], t);
}

/* ---- the keywords of a schema object ----------------------------------
 *
 * validate() looks up some 35 keywords in each schema object it meets,
 * and meets the same objects thousands of times in a rule pack: a
 * linear search per keyword was a third of validating. The object's keys
 * are read once per visit instead, each looked up among the keywords by
 * binary search (kw_names is in strcmp order); the first of repeated
 * keys wins, as with fz_jv_get. */
typedef enum {
    KW_D_id,
    KW_D_ref,
    KW_additionalItems,
    KW_additionalProperties,
    KW_allOf,
    KW_anyOf,
    KW_const,
    KW_contains,
    KW_dependencies,
    KW_description,
    KW_else,
    KW_enum,
    KW_exclusiveMaximum,
    KW_exclusiveMinimum,
    KW_if,
    KW_items,
    KW_maxItems,
    KW_maxLength,
    KW_maxProperties,
    KW_maximum,
    KW_minItems,
    KW_minLength,
    KW_minProperties,
    KW_minimum,
    KW_multipleOf,
    KW_not,
    KW_oneOf,
    KW_pattern,
    KW_patternProperties,
    KW_properties,
    KW_propertyNames,
    KW_required,
    KW_then,
    KW_type,
    KW_uniqueItems,
    KW_COUNT
} kw_id;

static const char *const kw_names[KW_COUNT] = {
    "$id",
    "$ref",
    "additionalItems",
    "additionalProperties",
    "allOf",
    "anyOf",
    "const",
    "contains",
    "dependencies",
    "description",
    "else",
    "enum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "if",
    "items",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maximum",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "not",
    "oneOf",
    "pattern",
    "patternProperties",
    "properties",
    "propertyNames",
    "required",
    "then",
    "type",
    "uniqueItems",
};

typedef struct {
    const fz_jv *v[KW_COUNT];
} kwtab;

static int kw_cmp(const void *key, const void *name) {
    return strcmp((const char *)key, *(const char *const *)name);
}

static void kw_fill(kwtab *kw, const fz_jv *s) {
    memset(kw, 0, sizeof *kw);
    for (size_t i = 0; s->type == FZ_JV_OBJ && i < s->n; i++) {
        const char *const *at = bsearch(s->keys[i], kw_names, KW_COUNT, sizeof *kw_names, kw_cmp);
        if (at && !kw->v[at - kw_names]) kw->v[at - kw_names] = &s->items[i];
    }
}

/* ---- validation ------------------------------------------------------ */

static int validate(ctx *c, const fz_jv *s, const fz_jv *x, const char *base);

/* Validates without collecting messages: 1 when x is valid against s. */
static int passes(ctx *c, const fz_jv *s, const fz_jv *x, const char *base) {
    fz_buf *saved = c->out;
    c->out = NULL;
    int errors = validate(c, s, x, base);
    c->out = saved;
    return errors == 0;
}

static int push(ctx *c, const char *key, size_t index, int is_index) {
    int bad = fz_buf_puts(&c->path, "/") < 0;
    if (is_index) {
        /* by hand: printf for every list item was a tenth of validating */
        char digits[24];
        size_t n = sizeof digits;
        do digits[--n] = (char)('0' + index % 10);
        while ((index /= 10) > 0);
        bad |= fz_buf_append(&c->path, digits + n, sizeof digits - n) < 0;
    } else {
        for (const char *k = key; *k && !bad; k++) {
            if (*k == '~') bad |= fz_buf_puts(&c->path, "~0") < 0;
            else if (*k == '/') bad |= fz_buf_puts(&c->path, "~1") < 0;
            else bad |= fz_buf_append(&c->path, k, 1) < 0;
        }
    }
    if (bad) c->oom = 1;
    return bad ? -1 : 0;
}

static void pop(ctx *c, size_t len) {
    c->path.len = len;
    if (c->path.ptr) c->path.ptr[len] = '\0';
}

static int child(ctx *c, const fz_jv *s, const fz_jv *x, const char *base, const char *key,
                 size_t index, int is_index) {
    size_t keep = c->path.len;
    if (push(c, key, index, is_index) < 0) return 1;
    int e = validate(c, s, x, base);
    pop(c, keep);
    return e;
}

static fz_regex *pattern(ctx *c, const char *src) {
    fz_schema *s = c->s;
    for (size_t i = 0; i < s->npats; i++)
        if (!strcmp(s->pats[i].source, src)) return s->pats[i].re;
    if (fz_grow(&s->pats, &s->patcap, s->npats + 1, sizeof *s->pats) < 0) {
        c->oom = 1;
        return NULL;
    }
    char *err = NULL;
    pattern_entry *p = &s->pats[s->npats];
    p->source = fz_strdup(src);
    p->re = p->source ? fz_regex_compile_raw(src, &err) : NULL;
    free(err);
    if (!p->source) {
        c->oom = 1;
        return NULL;
    }
    s->npats++;
    return p->re;
}

static double num_of(const fz_jv *v, int *has) {
    *has = v && v->type == FZ_JV_NUM;
    return *has ? v->num : 0;
}

static int check_type(ctx *c, const kwtab *kw, const fz_jv *x) {
    const fz_jv *t = kw->v[KW_type];
    if (!t) return 0;
    fz_buf want = {0};
    int ok = 0;
    if (t->type == FZ_JV_STR) {
        ok = type_matches(x, t->str);
        if (!ok && fz_buf_puts(&want, type_label(t->str)) < 0) c->oom = 1;
    } else if (t->type == FZ_JV_ARR) {
        for (size_t i = 0; i < t->n && !ok; i++)
            if (t->items[i].type == FZ_JV_STR && type_matches(x, t->items[i].str)) ok = 1;
        /* the message only when it is needed: this is on every value */
        for (size_t i = 0; i < t->n && !ok; i++) {
            if (t->items[i].type != FZ_JV_STR) continue;
            if (fz_buf_printf(&want, "%s%s", i ? "或" : "", type_label(t->items[i].str)) < 0)
                c->oom = 1;
        }
    } else {
        ok = 1;
    }
    if (ok) {
        fz_buf_free(&want);
        return 0;
    }
    char *got = fz_jv_describe(x);
    violation(c, x, NULL, 0, "应为%s，实际为%s", want.ptr ? want.ptr : "", got ? got : "");
    free(got);
    fz_buf_free(&want);
    return 1;
}

static int check_number(ctx *c, const kwtab *kw, const fz_jv *x) {
    if (x->type != FZ_JV_NUM) return 0;
    int e = 0, has;
    double v;
    v = num_of(kw->v[KW_minimum], &has);
    if (has && x->num < v) e += violation(c, x, NULL, 0, "应不小于 %g，实际为 %g", v, x->num);
    v = num_of(kw->v[KW_maximum], &has);
    if (has && x->num > v) e += violation(c, x, NULL, 0, "应不大于 %g，实际为 %g", v, x->num);
    v = num_of(kw->v[KW_exclusiveMinimum], &has);
    if (has && x->num <= v) e += violation(c, x, NULL, 0, "应大于 %g，实际为 %g", v, x->num);
    v = num_of(kw->v[KW_exclusiveMaximum], &has);
    if (has && x->num >= v) e += violation(c, x, NULL, 0, "应小于 %g，实际为 %g", v, x->num);
    v = num_of(kw->v[KW_multipleOf], &has);
    if (has && v > 0) {
        double q = x->num / v;
        if (!isfinite(q) || fabs(q - nearbyint(q)) > 1e-9 * fmax(1.0, fabs(q)))
            e += violation(c, x, NULL, 0, "应为 %g 的整数倍，实际为 %g", v, x->num);
    }
    return e;
}

static int check_string(ctx *c, const kwtab *kw, const fz_jv *x) {
    if (x->type != FZ_JV_STR) return 0;
    int e = 0, has;
    size_t len = fz_utf8_count(x->str, strlen(x->str));
    double v = num_of(kw->v[KW_minLength], &has);
    if (has && (double)len < v) e += violation(c, x, NULL, 0, "长度应至少为 %g 个字符", v);
    v = num_of(kw->v[KW_maxLength], &has);
    if (has && (double)len > v) e += violation(c, x, NULL, 0, "长度应至多为 %g 个字符", v);
    const fz_jv *p = kw->v[KW_pattern];
    if (p && p->type == FZ_JV_STR) {
        fz_regex *re = pattern(c, p->str);
        if (re && !fz_regex_test(re, x->str, strlen(x->str))) {
            const fz_jv *d = kw->v[KW_description];
            e += violation(c, x, NULL, 0, "“%s”不符合要求%s%s%s", x->str,
                           d && d->type == FZ_JV_STR ? "：" : "（格式 ",
                           d && d->type == FZ_JV_STR ? d->str : p->str,
                           d && d->type == FZ_JV_STR ? "" : "）");
        }
    }
    return e;
}

static int check_array(ctx *c, const kwtab *kw, const fz_jv *x, const char *base) {
    if (x->type != FZ_JV_ARR) return 0;
    int e = 0, has;
    double v = num_of(kw->v[KW_minItems], &has);
    if (has && (double)x->n < v) e += violation(c, x, NULL, 0, "列表应至少有 %g 项，实际 %zu 项", v, x->n);
    v = num_of(kw->v[KW_maxItems], &has);
    if (has && (double)x->n > v) e += violation(c, x, NULL, 0, "列表应至多有 %g 项，实际 %zu 项", v, x->n);
    const fz_jv *u = kw->v[KW_uniqueItems];
    if (u && u->type == FZ_JV_BOOL && u->boolean) {
        for (size_t i = 0; i < x->n; i++)
            for (size_t j = i + 1; j < x->n; j++)
                if (fz_jv_equal(&x->items[i], &x->items[j])) {
                    e += violation(c, &x->items[j], NULL, 0, "与第 %zu 项重复", i + 1);
                    i = j = x->n; /* once is enough */
                }
    }
    const fz_jv *items = kw->v[KW_items];
    if (items && items->type == FZ_JV_ARR) {
        for (size_t i = 0; i < x->n && i < items->n; i++)
            e += child(c, &items->items[i], &x->items[i], base, NULL, i, 1);
        const fz_jv *more = kw->v[KW_additionalItems];
        for (size_t i = items->n; more && i < x->n; i++)
            e += child(c, more, &x->items[i], base, NULL, i, 1);
    } else if (items) {
        for (size_t i = 0; i < x->n; i++) e += child(c, items, &x->items[i], base, NULL, i, 1);
    }
    const fz_jv *contains = kw->v[KW_contains];
    if (contains) {
        int found = 0;
        for (size_t i = 0; i < x->n && !found; i++) found = passes(c, contains, &x->items[i], base);
        if (!found) e += violation(c, x, NULL, 0, "列表中没有符合要求的项");
    }
    return e;
}

static int check_object(ctx *c, const kwtab *kw, const fz_jv *x, const char *base) {
    if (x->type != FZ_JV_OBJ) return 0;
    int e = 0, has;
    double v = num_of(kw->v[KW_minProperties], &has);
    if (has && (double)x->n < v) e += violation(c, x, NULL, 0, "应至少有 %g 个键", v);
    v = num_of(kw->v[KW_maxProperties], &has);
    if (has && (double)x->n > v) e += violation(c, x, NULL, 0, "应至多有 %g 个键", v);
    const fz_jv *req = kw->v[KW_required];
    for (size_t i = 0; req && req->type == FZ_JV_ARR && i < req->n; i++)
        if (req->items[i].type == FZ_JV_STR && !fz_jv_get(x, req->items[i].str))
            e += violation(c, x, NULL, 0, "缺少必填的键“%s”", req->items[i].str);
    const fz_jv *props = kw->v[KW_properties];
    const fz_jv *pp = kw->v[KW_patternProperties];
    const fz_jv *add = kw->v[KW_additionalProperties];
    const fz_jv *names = kw->v[KW_propertyNames];
    const fz_jv *deps = kw->v[KW_dependencies];
    for (size_t i = 0; i < x->n; i++) {
        const char *k = x->keys[i];
        const fz_jv *val = &x->items[i];
        int known = 0;
        const fz_jv *ps = props ? fz_jv_get(props, k) : NULL;
        if (ps) {
            known = 1;
            e += child(c, ps, val, base, k, 0, 0);
        }
        for (size_t j = 0; pp && pp->type == FZ_JV_OBJ && j < pp->n; j++) {
            fz_regex *re = pattern(c, pp->keys[j]);
            if (re && fz_regex_test(re, k, strlen(k))) {
                known = 1;
                e += child(c, &pp->items[j], val, base, k, 0, 0);
            }
        }
        if (!known && add) {
            if (add->type == FZ_JV_BOOL && !add->boolean) {
                fz_buf list = {0};
                for (size_t j = 0; props && props->type == FZ_JV_OBJ && j < props->n; j++)
                    if (fz_buf_printf(&list, "%s%s", j ? "、" : "", props->keys[j]) < 0) c->oom = 1;
                e += violation(c, x, k, 0, "不允许的键“%s”%s%s%s", k, list.ptr ? "（可用的键：" : "",
                               list.ptr ? list.ptr : "", list.ptr ? "）" : "");
                fz_buf_free(&list);
            } else {
                e += child(c, add, val, base, k, 0, 0);
            }
        }
        if (names) {
            fz_jv name = {.type = FZ_JV_STR, .str = (char *)k, .line = x->key_line[i],
                          .col = x->key_col[i]};
            if (!passes(c, names, &name, base))
                e += violation(c, x, k, 0, "键名“%s”不符合要求", k);
        }
        const fz_jv *dep = deps ? fz_jv_get(deps, k) : NULL;
        if (dep && dep->type == FZ_JV_ARR) {
            for (size_t j = 0; j < dep->n; j++)
                if (dep->items[j].type == FZ_JV_STR && !fz_jv_get(x, dep->items[j].str))
                    e += violation(c, x, NULL, 0, "有“%s”时必须同时有“%s”", k, dep->items[j].str);
        } else if (dep) {
            e += validate(c, dep, x, base);
        }
    }
    return e;
}

static int check_combinators(ctx *c, const kwtab *kw, const fz_jv *x, const char *base) {
    int e = 0;
    const fz_jv *all = kw->v[KW_allOf];
    for (size_t i = 0; all && all->type == FZ_JV_ARR && i < all->n; i++)
        e += validate(c, &all->items[i], x, base);
    const fz_jv *any = kw->v[KW_anyOf];
    if (any && any->type == FZ_JV_ARR) {
        int ok = 0;
        for (size_t i = 0; i < any->n && !ok; i++) ok = passes(c, &any->items[i], x, base);
        if (!ok) e += violation(c, x, NULL, 0, "不符合任何一种允许的写法");
    }
    const fz_jv *one = kw->v[KW_oneOf];
    if (one && one->type == FZ_JV_ARR) {
        size_t ok = 0;
        for (size_t i = 0; i < one->n; i++) ok += passes(c, &one->items[i], x, base);
        if (ok == 0) e += violation(c, x, NULL, 0, "不符合任何一种允许的写法");
        else if (ok > 1) e += violation(c, x, NULL, 0, "同时符合多种写法（只应符合一种）");
    }
    const fz_jv *neg = kw->v[KW_not];
    if (neg && passes(c, neg, x, base)) e += violation(c, x, NULL, 0, "不允许这种写法");
    const fz_jv *cond = kw->v[KW_if];
    if (cond) {
        const fz_jv *branch = kw->v[passes(c, cond, x, base) ? KW_then : KW_else];
        if (branch) e += validate(c, branch, x, base);
    }
    return e;
}

static int check_values(ctx *c, const kwtab *kw, const fz_jv *x) {
    int e = 0;
    const fz_jv *en = kw->v[KW_enum];
    if (en && en->type == FZ_JV_ARR) {
        int ok = 0;
        fz_buf list = {0};
        for (size_t i = 0; i < en->n && !ok; i++)
            if (fz_jv_equal(&en->items[i], x)) ok = 1;
        /* the list of values only for the message */
        for (size_t i = 0; i < en->n && !ok; i++) {
            char *d = en->items[i].type == FZ_JV_STR ? NULL : fz_jv_describe(&en->items[i]);
            if (fz_buf_printf(&list, "%s%s", i ? "、" : "",
                              en->items[i].type == FZ_JV_STR ? en->items[i].str : (d ? d : "")) < 0)
                c->oom = 1;
            free(d);
        }
        if (!ok) {
            char *got = fz_jv_describe(x);
            e += violation(c, x, NULL, 0, "取值应为 %s 之一，实际为%s", list.ptr ? list.ptr : "",
                           got ? got : "");
            free(got);
        }
        fz_buf_free(&list);
    }
    const fz_jv *cv = kw->v[KW_const];
    if (cv && !fz_jv_equal(cv, x)) {
        char *want = fz_jv_describe(cv);
        e += violation(c, x, NULL, 0, "取值应为%s", want ? want : "");
        free(want);
    }
    return e;
}

static int validate(ctx *c, const fz_jv *s, const fz_jv *x, const char *base) {
    if (c->oom) return 1;
    if (s->type == FZ_JV_BOOL)
        return s->boolean ? 0 : violation(c, x, NULL, 0, "此处不允许有值");
    if (s->type != FZ_JV_OBJ) return 0;
    if (++c->depth > MAX_DEPTH) {
        c->depth--;
        c->s->unresolved = 1;
        return violation(c, x, NULL, 0, "模式的引用层数过多");
    }
    kwtab kt;
    const kwtab *kw = &kt;
    kw_fill(&kt, s);
    char *here = NULL;
    const fz_jv *id = kw->v[KW_D_id];
    if (id && id->type == FZ_JV_STR && !(here = resolve(base, id->str))) c->oom = 1;
    const char *b = here ? here : base;
    int e = 0;
    const fz_jv *ref = kw->v[KW_D_ref];
    if (ref && ref->type == FZ_JV_STR) {
        /* draft-07: a $ref replaces the rest of its schema */
        char *uri = resolve(b, ref->str);
        const fz_jv *target = uri ? lookup(c->s, uri, &c->oom) : NULL;
        if (!uri) c->oom = 1;
        if (target) {
            e = validate(c, target, x, uri);
        } else {
            c->s->unresolved = 1;
            e = violation(c, x, NULL, 0, "无法解析模式引用“%s”", ref->str);
        }
        free(uri);
    } else {
        e += check_type(c, kw, x);
        if (e && !c->out) goto done; /* only validity matters */
        e += check_values(c, kw, x);
        e += check_number(c, kw, x);
        e += check_string(c, kw, x);
        e += check_array(c, kw, x, b);
        e += check_object(c, kw, x, b);
        e += check_combinators(c, kw, x, b);
    }
done:
    free(here);
    c->depth--;
    return e;
}

/* ---- public ---------------------------------------------------------------- */

fz_schema *fz_schema_new(const fz_jv *root) {
    fz_schema *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->root = root;
    const fz_jv *id = fz_jv_get(root, "$id");
    s->base = fz_strdup(id && id->type == FZ_JV_STR ? id->str : "");
    if (!s->base || index_ids(s, root, s->base, 0) < 0) {
        fz_schema_free(s);
        return NULL;
    }
    return s;
}

int fz_schema_add(fz_schema *s, const fz_jv *doc) {
    return index_ids(s, doc, "", 0);
}

long fz_schema_validate(fz_schema *s, const fz_jv *inst, const char *file, fz_buf *out) {
    ctx c = {.s = s, .file = file ? file : "", .out = out};
    int e = validate(&c, s->root, inst, s->base);
    fz_buf_free(&c.path);
    return c.oom ? -1 : e;
}

int fz_schema_unresolved(const fz_schema *s) {
    return s->unresolved;
}

void fz_schema_free(fz_schema *s) {
    if (!s) return;
    for (size_t i = 0; i < s->nids; i++) free(s->ids[i].uri);
    free(s->ids);
    for (size_t i = 0; i < s->npats; i++) {
        free(s->pats[i].source);
        fz_regex_free(s->pats[i].re);
    }
    free(s->pats);
    free(s->base);
    free(s);
}
