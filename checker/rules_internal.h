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
    unsigned layer;      /* the pack of the chain being read (0: the base) */
    /* which file of this layer defined each pack-wide part, to refuse a
     * second one (a later pack of the chain may redefine it) */
    const char *seen_pack, *seen_scoring, *seen_grades, *seen_units,
        *seen_roles, *seen_scopes, *seen_unit_types, *seen_similar;
    size_t role_cap, type_cap, rule_cap, disabled_cap;
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
/* `similar`: when two reports of a batch count as similar (similar.h). */
void fz_rl_similar(loader *L, yaml_node_t *n);
void fz_rl_grades(loader *L, yaml_node_t *n);
void fz_rl_units(loader *L, yaml_node_t *n);
void fz_rl_roles(loader *L, yaml_node_t *n, size_t *scope_cap);
void fz_rl_scopes(loader *L, yaml_node_t *n, size_t *scope_cap);
void fz_rl_unit_types(loader *L, yaml_node_t *n);

/* rules_load.c: a check from its YAML node (kind and keys), and one field
 * of a rule (any but id) — also what an override changes. */
int fz_rl_check(loader *L, yaml_node_t *n, fz_check *c, const char *rule_id);
void fz_rl_rule_field(loader *L, fz_rule *r, const char *key, yaml_node_t *v);

/* rules_overlay.c: what a pack that extends another does to the rules it
 * inherits. disable: [ids] and override: [{id, fields}] name rules of the
 * packs below this one; a rule id of this pack that one of those already
 * defined is refused (unless this pack disabled that one: a replacement).
 * After the rules of every pack are read, the disabled ones leave
 * pack->rules for pack->disabled. */
void fz_rl_disable(loader *L, yaml_node_t *n);
void fz_rl_override(loader *L, yaml_node_t *n);
/* Whether a rule being defined with this id may be: false (recorded at
 * node idn) when another rule of the chain has it. */
int fz_rl_id_free(loader *L, yaml_node_t *idn, const char *id);
int fz_rl_drop_disabled(loader *L);
/* Whether rule r of the pack is disabled (while loading). */
int fz_rl_is_disabled(const fz_rule *r);

/* Bits of the roles (or unit types) a name or list of names names;
 * unknown names are recorded. */
uint32_t fz_rl_role_bits(loader *L, yaml_node_t *n);
uint32_t fz_rl_type_bits(loader *L, yaml_node_t *n);

#endif
