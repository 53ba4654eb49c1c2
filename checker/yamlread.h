/*
 * yamlread.h - reading a YAML file into libyaml's document tree (which
 * keeps each node's line and column) and checking node types, with every
 * problem collected as "FILE:LINE:COLUMN: message" (Chinese) rather than
 * stopping at the first. Used by the rule pack loader.
 *
 * Files are screened before they are built into a tree: a file that is
 * not UTF-8 is refused at its first bad byte (rule files saved as GBK by
 * Windows editors are the usual case); anchors and aliases are refused (a
 * cycle or an exponential expansion would follow them forever), as are
 * deep nesting and files over 4 MB.
 */
#ifndef FZ_YAMLREAD_H
#define FZ_YAMLREAD_H

#include <stddef.h>
#include <yaml.h>

#include "util.h"

typedef struct {
    const char *file;       /* the file being read, for messages */
    yaml_document_t *doc;   /* its tree */
    fz_buf errors;          /* collected messages, one per line */
    size_t nerrors;
    fz_buf warnings;        /* collected warnings (not errors), one per line */
    size_t nwarnings;
    int oom;                /* memory ran out somewhere */
    /* Where the JSON pointer of each node of doc is kept (optional):
     * *pointers is NULL until a message first needs one, then
     * fz_yr_pointers fills it. A pack without errors never needs them,
     * and working them out for every node was a tenth of a check. */
    char ***pointers;
    size_t *npointers;
} fz_yr;

typedef struct {
    const char *key;
    yaml_node_t *knode, *value;
} fz_yr_pair;

/* Reads and parses path into *doc. Returns 0, or -1 with the problem
 * recorded (file missing, too large, syntax error, alias, nesting). */
int fz_yr_load(fz_yr *L, const char *path, yaml_document_t *doc);

/* Records "FILE:LINE:COLUMN: POINTER: message" at node n (line 1 and no
 * pointer when n is NULL or no pointers were computed). */
void fz_yr_error(fz_yr *L, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records "FILE:LINE:COLUMN: 警告：message" at node n: something that
 * does not stop the pack from being used but should be looked at. */
void fz_yr_warning(fz_yr *L, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records a message at a position of a file. */
void fz_yr_file_error(fz_yr *L, const char *path, size_t line, size_t col, const char *msg);

/* Node by id in the current document. */
yaml_node_t *fz_yr_node(fz_yr *L, int id);

/* "标量", "列表", "映射" for messages. */
const char *fz_yr_type_name(const yaml_node_t *n);

/* The text of a scalar node, or NULL for other nodes. */
const char *fz_yr_scalar(const yaml_node_t *n);

/* Items of a sequence node, or pairs of a mapping node. */
size_t fz_yr_len(const yaml_node_t *n);

/* True when n has type t; otherwise records "应为<what>，实际为…". */
int fz_yr_expect(fz_yr *L, const yaml_node_t *n, yaml_node_type_t t, const char *what);

/* Splits a mapping into pairs (malloc'd in *out), recording unknown keys
 * (not in the NULL-terminated `allowed`) and repeated keys. Returns the
 * number of pairs kept. */
size_t fz_yr_pairs(fz_yr *L, yaml_node_t *map, const char *const *allowed,
                   const char *where, fz_yr_pair **out);

/* Typed values; each returns 0, or -1 having recorded why not. */
int fz_yr_string(fz_yr *L, yaml_node_t *n, char **out);
int fz_yr_number(fz_yr *L, yaml_node_t *n, double lo, double hi, double *out);
int fz_yr_count(fz_yr *L, yaml_node_t *n, size_t *out);
int fz_yr_bool(fz_yr *L, yaml_node_t *n, int *out);
/* One of the NULL-terminated names; *out is its index. */
int fz_yr_enum(fz_yr *L, yaml_node_t *n, const char *const *names, int *out);

/* The JSON pointer ("/rules/3/points") of every node of doc, indexed as
 * doc->nodes; messages then name the place in the data as well as the
 * line. Returns 0 or -1 (out of memory). */
int fz_yr_pointers(yaml_document_t *doc, char ***out, size_t *count);
void fz_yr_pointers_free(char **pointers, size_t count);

#endif
