/*
 * yamltree.h - reading expected.yaml files and fzcheck's JSON output (which
 * is written so that it is also valid YAML) with libyaml, for the
 * acceptance tests.
 */
#ifndef FZ_YAMLTREE_H
#define FZ_YAMLTREE_H

#include <stdio.h>
#include <string.h>
#include <yaml.h>

static inline int yt_load(const char *path, yaml_document_t *doc) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    int ok = yaml_parser_load(&p, doc);
    if (!ok)
        fprintf(stderr, "%s:%zu:%zu: %s\n", path, p.problem_mark.line + 1,
                p.problem_mark.column + 1, p.problem ? p.problem : "?");
    yaml_parser_delete(&p);
    fclose(f);
    return ok ? 0 : -1;
}

static inline const char *yt_str(yaml_node_t *n) {
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Scalar that is YAML/JSON null? */
static inline int yt_null(yaml_node_t *n) {
    const char *s = yt_str(n);
    return !n || (s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                  (!strcmp(s, "null") || !strcmp(s, "~") || !*s));
}

static inline yaml_node_t *yt_get(yaml_document_t *d, yaml_node_t *map, const char *key) {
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *k = yt_str(yaml_document_get_node(d, p->key));
        if (k && !strcmp(k, key)) return yaml_document_get_node(d, p->value);
    }
    return NULL;
}

static inline size_t yt_len(yaml_node_t *n) {
    if (!n) return 0;
    if (n->type == YAML_SEQUENCE_NODE)
        return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (n->type == YAML_MAPPING_NODE)
        return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    return 0;
}

static inline yaml_node_t *yt_at(yaml_document_t *d, yaml_node_t *seq, size_t i) {
    return yaml_document_get_node(d, seq->data.sequence.items.start[i]);
}

static inline yaml_node_t *yt_key_at(yaml_document_t *d, yaml_node_t *map, size_t i) {
    return yaml_document_get_node(d, map->data.mapping.pairs.start[i].key);
}

static inline yaml_node_t *yt_value_at(yaml_document_t *d, yaml_node_t *map, size_t i) {
    return yaml_document_get_node(d, map->data.mapping.pairs.start[i].value);
}

#endif
