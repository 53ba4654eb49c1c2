/*
 * jsonv.c - see jsonv.h.
 */
#include "jsonv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

#define MAX_DEPTH 256

/* JSON number syntax: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? */
static int json_number(const char *s, double *out) {
    const char *p = s;
    if (*p == '-') p++;
    if (*p == '0') p++;
    else if (*p >= '1' && *p <= '9') while (*p >= '0' && *p <= '9') p++;
    else return 0;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return 0;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return 0;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p) return 0;
    errno = 0;
    *out = strtod(s, NULL);
    return isfinite(*out);
}

static void resolve_scalar(yaml_node_t *n, fz_jv *v) {
    const char *s = (const char *)n->data.scalar.value;
    v->type = FZ_JV_STR;
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return;
    if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL")) {
        v->type = FZ_JV_NULL;
    } else if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
        v->type = FZ_JV_BOOL;
        v->boolean = 1;
    } else if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
        v->type = FZ_JV_BOOL;
    } else if (json_number(s, &v->num)) {
        v->type = FZ_JV_NUM;
    }
}

static int build(yaml_document_t *doc, yaml_node_t *n, fz_jv *v, int depth) {
    memset(v, 0, sizeof *v);
    if (!n || depth > MAX_DEPTH) return -1;
    v->line = (unsigned)n->start_mark.line + 1;
    v->col = (unsigned)n->start_mark.column + 1;
    if (n->type == YAML_SCALAR_NODE) {
        resolve_scalar(n, v);
        if (v->type == FZ_JV_STR && !(v->str = fz_strdup((const char *)n->data.scalar.value)))
            return -1;
        return 0;
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        v->type = FZ_JV_ARR;
        size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
        v->items = calloc(cnt ? cnt : 1, sizeof *v->items);
        if (!v->items) return -1;
        for (size_t i = 0; i < cnt; i++) {
            v->n++;
            if (build(doc, yaml_document_get_node(doc, n->data.sequence.items.start[i]),
                      &v->items[i], depth + 1) < 0)
                return -1;
        }
        return 0;
    }
    if (n->type == YAML_MAPPING_NODE) {
        v->type = FZ_JV_OBJ;
        size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
        size_t m = cnt ? cnt : 1;
        v->items = calloc(m, sizeof *v->items);
        v->keys = calloc(m, sizeof *v->keys);
        v->key_line = calloc(m, sizeof *v->key_line);
        v->key_col = calloc(m, sizeof *v->key_col);
        if (!v->items || !v->keys || !v->key_line || !v->key_col) return -1;
        for (size_t i = 0; i < cnt; i++) {
            yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            const char *ks = k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
            v->keys[i] = fz_strdup(ks);
            if (k) {
                v->key_line[i] = (unsigned)k->start_mark.line + 1;
                v->key_col[i] = (unsigned)k->start_mark.column + 1;
            }
            v->n++;
            if (!v->keys[i] ||
                build(doc, yaml_document_get_node(doc, p->value), &v->items[i], depth + 1) < 0)
                return -1;
        }
        return 0;
    }
    return -1;
}

int fz_jv_from_yaml(yaml_document_t *doc, yaml_node_t *node, fz_jv *out) {
    if (!node) node = yaml_document_get_root_node(doc);
    if (build(doc, node, out, 0) < 0) {
        fz_jv_free(out);
        return -1;
    }
    return 0;
}

const fz_jv *fz_jv_get(const fz_jv *obj, const char *key) {
    if (!obj || obj->type != FZ_JV_OBJ) return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (!strcmp(obj->keys[i], key)) return &obj->items[i];
    return NULL;
}

int fz_jv_equal(const fz_jv *a, const fz_jv *b) {
    if (a->type != b->type) return 0;
    switch (a->type) {
    case FZ_JV_NULL: return 1;
    case FZ_JV_BOOL: return a->boolean == b->boolean;
    case FZ_JV_NUM: return a->num == b->num;
    case FZ_JV_STR: return !strcmp(a->str, b->str);
    case FZ_JV_ARR:
        if (a->n != b->n) return 0;
        for (size_t i = 0; i < a->n; i++)
            if (!fz_jv_equal(&a->items[i], &b->items[i])) return 0;
        return 1;
    case FZ_JV_OBJ:
        if (a->n != b->n) return 0;
        for (size_t i = 0; i < a->n; i++) {
            const fz_jv *o = fz_jv_get(b, a->keys[i]);
            if (!o || !fz_jv_equal(&a->items[i], o)) return 0;
        }
        return 1;
    }
    return 0;
}

char *fz_jv_describe(const fz_jv *v) {
    fz_buf b = {0};
    int rc = 0;
    switch (v->type) {
    case FZ_JV_NULL: rc = fz_buf_puts(&b, "空值"); break;
    case FZ_JV_BOOL: rc = fz_buf_puts(&b, v->boolean ? "布尔值 true" : "布尔值 false"); break;
    case FZ_JV_NUM: rc = fz_buf_printf(&b, "数字 %g", v->num); break;
    case FZ_JV_STR:
        if (strlen(v->str) > 60)
            rc = fz_buf_printf(&b, "字符串“%.*s…”", (int)fz_utf8_clip(v->str, strlen(v->str), 60),
                               v->str);
        else
            rc = fz_buf_printf(&b, "字符串“%s”", v->str);
        break;
    case FZ_JV_ARR: rc = fz_buf_puts(&b, "列表"); break;
    case FZ_JV_OBJ: rc = fz_buf_puts(&b, "映射"); break;
    }
    if (rc < 0) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

void fz_jv_free(fz_jv *v) {
    if (!v) return;
    free(v->str);
    for (size_t i = 0; i < v->n; i++) {
        fz_jv_free(&v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->key_line);
    free(v->key_col);
    memset(v, 0, sizeof *v);
}
