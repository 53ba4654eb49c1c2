/*
 * jsonv.h - a JSON value tree built from a YAML document, keeping each
 * value's line and column: what the JSON Schema validator works on.
 *
 * Scalars follow the YAML 1.2 core schema: a quoted scalar is a string;
 * a plain one is null (null, ~, empty), a boolean (true, false), a
 * number (JSON number syntax) or else a string. So `points: 十` is the
 * string "十", and `points: "10"` the string "10".
 */
#ifndef FZ_JSONV_H
#define FZ_JSONV_H

#include <stddef.h>
#include <yaml.h>

typedef enum { FZ_JV_NULL, FZ_JV_BOOL, FZ_JV_NUM, FZ_JV_STR, FZ_JV_ARR, FZ_JV_OBJ } fz_jv_type;

typedef struct fz_jv fz_jv;
struct fz_jv {
    fz_jv_type type;
    unsigned line, col;   /* 1-based */
    int boolean;
    double num;
    char *str;            /* FZ_JV_STR (NUL-terminated UTF-8) */
    size_t n;             /* items of an array, pairs of an object */
    fz_jv *items;         /* array items, or object values */
    char **keys;          /* object keys */
    unsigned *key_line, *key_col;
};

/* Builds the tree of `node` in doc (the root when node is NULL). Returns
 * 0, or -1 when memory runs out or nesting is deeper than 256. */
int fz_jv_from_yaml(yaml_document_t *doc, yaml_node_t *node, fz_jv *out);

/* The value of key in an object, or NULL. */
const fz_jv *fz_jv_get(const fz_jv *obj, const char *key);

/* JSON equality: numbers by value, objects regardless of key order. */
int fz_jv_equal(const fz_jv *a, const fz_jv *b);

/* A short rendering for messages: 字符串“十”, 数字 3, 列表, 映射 … */
char *fz_jv_describe(const fz_jv *v);

void fz_jv_free(fz_jv *v);

#endif
