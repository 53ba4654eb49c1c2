/*
 * rules_internal.h - what the rule pack loader's files share: the loader's
 * state and its helpers. rules_load.c reads the files and the rules;
 * rules_parts.c the pack-wide parts (pack, scoring, grades, units, roles,
 * scopes, unit types).
 */
#ifndef FZ_RULES_INTERNAL_H
#define FZ_RULES_INTERNAL_H

#include <stdint.h>
#include <yaml.h>

#include "rules.h"
#include "yamlread.h"

typedef struct {
    fz_yr y;             /* the file being read and the problems found */
    fz_pack *pack;
    const char *owner;   /* "规则“id”" or "角色“name”" while loading one */
    int check_depth;     /* nesting of any/all */
    /* which file defined each pack-wide part, to refuse a second one */
    const char *seen_pack, *seen_scoring, *seen_grades, *seen_units,
        *seen_roles, *seen_scopes, *seen_unit_types;
} loader;

/* Where node n stands, for messages. */
fz_pos fz_rl_pos(loader *L, const yaml_node_t *n);

/* One pattern, or a pattern or a list of them, compiled (ctx names what
 * they are for in messages). Return 0 or -1 (recorded). */
int fz_rl_pattern(loader *L, yaml_node_t *n, const char *ctx, fz_pattern *out);
int fz_rl_patterns(loader *L, yaml_node_t *n, const char *ctx, fz_patterns *out);

/* Lower-case letters, digits and hyphens, starting with a letter or digit. */
int fz_rl_valid_name(const char *s);

/* Records that `key` is defined in this file; false (recorded) when
 * another file already did. */
int fz_rl_once(loader *L, yaml_node_t *kn, const char **seen, const char *key);

/* Appends a scope to the pack. Returns 0 or -1 (out of memory). */
int fz_rl_add_scope(fz_pack *P, size_t *cap, const char *name, const char *title,
                    fz_scope_base base, uint32_t include);

/* rules_parts.c: the pack-wide parts, each from its YAML node. */
void fz_rl_pack_info(loader *L, yaml_node_t *n);
void fz_rl_scoring(loader *L, yaml_node_t *n);
void fz_rl_grades(loader *L, yaml_node_t *n);
void fz_rl_units(loader *L, yaml_node_t *n);
void fz_rl_roles(loader *L, yaml_node_t *n, size_t *scope_cap);
void fz_rl_scopes(loader *L, yaml_node_t *n, size_t *scope_cap);
void fz_rl_unit_types(loader *L, yaml_node_t *n);

/* Bits of the roles (or unit types) a name or list of names names;
 * unknown names are recorded. */
uint32_t fz_rl_role_bits(loader *L, yaml_node_t *n);
uint32_t fz_rl_type_bits(loader *L, yaml_node_t *n);

#endif
