/*
 * rules.h - stage 4: the rule pack, loaded from YAML and validated.
 *
 * A pack is a file or a directory of *.yaml files (read in name order and
 * merged). A pack may extend another (`pack: {extends: default}`, see
 * pack_chain.h): the chain is loaded base first; a later pack redefines or
 * adds pack-wide parts, adds rules, and changes inherited ones only
 * through `disable: [ids]` and `override: [{id, …fields}]`. It holds:
 *   pack     name and version
 *   scoring  the share of points a partial result earns, the grade a failed
 *            required rule forces
 *   grades   grade bands by minimum score
 *   units    the measure words that make a number a count (家次, 件, % …)
 *   roles    what a section is for (problems, plan …), by heading patterns
 *   scopes   named parts of a report, built from roles
 *   unit_types  kinds of unit (政府, 执法部门 …) by name patterns: a rule
 *            may apply only to some (applies_to, not_for)
 *   rules    the checklist: each rule one check of a few general kinds
 * The rules are data: a new element of the checklist is a YAML edit.
 *
 * Errors are collected, not stopped at: every problem found in the pack
 * is reported as "FILE:LINE:COLUMN: message" (Chinese).
 */
#ifndef FZ_RULES_H
#define FZ_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "regex.h"

typedef enum { FZ_PASS, FZ_PARTIAL, FZ_FAIL, FZ_NA } fz_status;

typedef enum { FZ_SEV_REQUIRED, FZ_SEV_RECOMMENDED, FZ_SEV_INFO } fz_severity;

typedef enum {
    FZ_CHECK_SECTION,   /* a section whose heading matches exists */
    FZ_CHECK_PRESENCE,  /* named items are mentioned within a scope */
    FZ_CHECK_FIGURES,   /* a keyword and a count in one sentence */
    FZ_CHECK_YEAR,      /* the plan names the year after the report year */
    FZ_CHECK_FIELD,     /* a header field (title, unit …) is present/valid */
    FZ_CHECK_ABSENCE,   /* none of the listed items appears */
    FZ_CHECK_DEADLINE,  /* the 成文日期 is not after the unit type's deadline */
    FZ_CHECK_COVERAGE,  /* the share of topic groups the report covers */
    FZ_CHECK_ANY,       /* the best result of its sub-checks */
    FZ_CHECK_ALL,       /* the worst result of its sub-checks */
    FZ_CHECK_REUSE,     /* the share of sentences found in last year's report */
    FZ_CHECK_FOLLOWUP   /* the share of last year's promises given an account */
} fz_check_kind;

typedef enum {
    FZ_FIELD_TITLE, FZ_FIELD_UNIT, FZ_FIELD_YEAR, FZ_FIELD_DOC_NUMBER,
    FZ_FIELD_DATE
} fz_field;

/* Where a pack element came from, for messages. */
typedef struct {
    const char *file;   /* owned by the pack's file list */
    unsigned line, column; /* 1-based */
} fz_pos;

typedef struct {
    char *source;       /* as written in the YAML */
    char *label;        /* as a person reads it, for messages (fz_regex_readable) */
    fz_regex *re;
} fz_pattern;

typedef struct {
    fz_pattern *v;
    size_t n;
} fz_patterns;

typedef struct {
    char *name;
    fz_patterns patterns;  /* the item is there when any of them matches */
    fz_patterns unless;    /* … except in a clause where one of these matches */
    int since;             /* absence: YYYYMMDD from which the name is outdated
                            * (0: always); flagged only in reports on a year
                            * that begins on or after it */
    char *change;          /* absence: what changed ("2018年机构改革……"), or NULL */
} fz_item;

/* deadline: the date a report on year N is due, in year N+1, for the unit
 * types of `types` (0: any type). */
typedef struct {
    uint32_t types;
    int month, day;
} fz_due;

/* presence: items count anywhere in the scope, or only in the paragraphs
 * (sections) where a `require` pattern matched. */
enum { FZ_WITHIN_SCOPE, FZ_WITHIN_PARAGRAPH, FZ_WITHIN_SECTION };

typedef struct fz_check fz_check;
struct fz_check {
    fz_check_kind kind;
    fz_pos pos;
    size_t scope;          /* index in fz_pack.scopes */
    size_t role;           /* section, year: a role index or FZ_NO_ROLE */
    fz_patterns headings;  /* section */
    size_t min_length;     /* section: body characters for a pass */
    size_t min_sentences;  /* section: substantive sentences for a pass */
    fz_patterns generic;   /* section: sentences that say nothing specific */
    fz_patterns require;   /* presence: no credit unless one matches */
    fz_patterns actor;     /* presence: items count only where the actor acts */
    fz_patterns not_actor; /* presence: … not where another body does */
    int within;            /* presence: FZ_WITHIN_* — where items count */
    fz_item *items;        /* presence, absence */
    size_t nitems;
    size_t pass_at;        /* presence: items needed for a pass */
    size_t partial_at;     /* presence: items needed for a partial */
    fz_patterns keywords;  /* figures: the sentence must name one */
    fz_patterns related;   /* figures: or follow a keyword sentence */
    size_t window;         /* figures: how many sentences after */
    fz_regex *count_re;    /* figures: a number with a unit */
    fz_patterns not_counts; /* figures: a number there counts no activity */
    int same_clause;       /* figures: the count must stand in a keyword's clause */
    size_t min;            /* figures: sentences needed for a pass */
    fz_status mention;     /* figures: status when named without figures */
    int offset;            /* year: years after the report year */
    fz_field field;        /* field */
    fz_patterns pattern;   /* field: the value must match all of these */
    fz_status missing;     /* field, deadline: status when the field is absent */
    fz_status at_most;     /* any kind: the best status it may give (pass: no cap) */
    fz_patterns history;   /* absence: a sentence holding one of these tells
                            * history (更名, 整合组建): names in it are not flagged */
    fz_patterns not_after; /* absence: … nor a name right after one of these
                            * (matched up to the name: '原\p{Han}{0,10}$') */
    fz_due *due;           /* deadline: the first entry for the unit's type wins */
    size_t ndue;
    double pass_share;     /* coverage: share of groups covered for a pass;
                            * followup: pass_at */
    double partial_share;  /* coverage: … for a partial; followup: partial_at */
    double reuse_partial;  /* reuse: share of reused sentences for a partial */
    double reuse_fail;     /* reuse: … for a fail */
    size_t promises;       /* followup: the scope of last year's report holding
                            * its promises (a scope index; plan by default) */
    double overlap;        /* followup: share of a promise's words a paragraph
                            * must share to give it an account */
    fz_check *children;    /* any, all */
    size_t nchildren;
};

typedef struct {
    char *id, *title, *category, *basis, *message, *suggestion, *link;
    fz_severity severity;
    double points;
    fz_patterns applies_if;  /* na unless one matches somewhere */
    uint32_t applies_to;     /* unit types it applies to (bits); 0: all */
    uint32_t not_for;        /* unit types it does not apply to (bits) */
    int unknown_type_na;     /* applies_to/not_for: na, not checked, when the
                              * unit's type cannot be told */
    fz_check check;
    fz_pos pos;
    unsigned layer;          /* which pack of the chain defined it (0: the base) */
    unsigned verdict_layer;  /* the pack that last changed how it decides
                              * (check, applicability): tests of packs below
                              * it no longer speak for it */
    fz_pos override_pos;     /* where an extending pack changed it (file NULL: never) */
    char *overridden;        /* the fields it changed ("points、message"), or NULL */
    unsigned disabled;       /* while loading: 1 + the pack that disabled it */
    unsigned overridden_by;  /* 1 + the pack that last overrode it (0: none) */
} fz_rule;

/* A rule of an extended pack that an extending pack switched off. */
typedef struct {
    char *id;
    unsigned layer;          /* the pack that disabled it */
    fz_pos pos;              /* where */
} fz_disabled;

#define FZ_NO_ROLE ((size_t)-1)
#define FZ_MAX_ROLES 32
#define FZ_MAX_UNIT_TYPES 32

/* A kind of unit (政府, 乡镇街道, 执法部门 …): which duties its report is
 * checked for. A unit's type comes from the roster, else from its name. */
typedef struct {
    char *name;            /* as users call it: "执法部门" */
    unsigned layer;        /* which pack of the chain defined it */
    char *description;     /* what such units are and do */
    fz_patterns names;     /* a unit name of this type matches one of these */
    fz_patterns self;      /* how such a unit's report speaks of itself
                            * ("我镇", "县政府综合办事机构"): the type of a
                            * report whose name gives none */
} fz_unit_type;

typedef struct {
    char *name, *title;
    unsigned layer;        /* which pack of the chain defined it */
    fz_patterns headings, not_headings;
    fz_patterns content;   /* the role's language, for a section no heading names */
    double content_share;  /* share of sentences using it for the role */
    size_t content_min;    /* sentences at least */
} fz_role;

typedef enum { FZ_SCOPE_DOCUMENT, FZ_SCOPE_HEADER, FZ_SCOPE_ROLES } fz_scope_base;

typedef struct {
    char *name, *title;
    unsigned layer;        /* which pack of the chain defined it */
    int builtin;           /* document, header, or a role's own scope */
    fz_scope_base base;
    uint32_t include;      /* role bits (FZ_SCOPE_ROLES) */
    uint32_t exclude;      /* role bits taken out */
    int exclude_header;
} fz_scope;

typedef struct {
    char *name;
    double min;
} fz_grade;

/* A rule test: a short report text and the verdict each named rule must
 * give on it (fzcheck rules test). */
typedef struct {
    char *name;
    char *text;
    size_t *rules;         /* indices in fz_pack.rules */
    fz_status *want;
    size_t n;
    size_t skipped;        /* expectations on rules a later pack disabled or
                            * changed the decision of: not asserted */
    unsigned layer;        /* the pack of the chain it comes from */
    fz_pos pos;
} fz_rule_test;

/* When two reports of a batch are similar (`fzcheck check --similar`,
 * similar.h): the pack's `similar` part. */
typedef struct {
    double boilerplate_share; /* a sentence in more than this share of the
                               * batch's reports is boilerplate ... */
    double boilerplate_min;   /* ... when in at least this many of them */
    double boilerplate_max;   /* ... and always when in more than this many */
    double min_shared;        /* a pair shares at least this many sentences */
    double min_share;         /* ... and this share of the shorter report's */
} fz_similar_opts;

/* One pack of a chain (a pack that extends another): base first. */
typedef struct {
    char *path;            /* the pack as named */
    char *name, *version;  /* its own pack: name and version (NULL if none) */
} fz_pack_layer;

typedef struct {
    char *path;            /* as given */
    char **files;          /* the YAML files read, of every pack of the chain */
    size_t nfiles;
    fz_pack_layer *layers; /* the chain, base first (one entry for a pack that extends nothing) */
    size_t nlayers;
    char *name, *version;
    fz_rule *rules;
    size_t nrules;
    fz_disabled *disabled; /* rules of extended packs switched off */
    size_t ndisabled;
    fz_role *roles;
    size_t nroles;
    fz_scope *scopes;
    size_t nscopes;
    fz_grade *grades;      /* sorted by min, highest first */
    size_t ngrades;
    double partial;        /* share of points for a partial result */
    char *fail_grade;      /* grade forced by a failed required rule */
    fz_similar_opts similar;
    char **units;
    size_t nunits;
    fz_rule_test *tests;
    size_t ntests;
    fz_unit_type *unit_types; /* in order: a name takes the first type it matches */
    size_t nunit_types;
    char *warnings;        /* "FILE:LINE:COLUMN: 警告：…" lines, or NULL */
    size_t nwarnings;
} fz_pack;

/* Loads the pack at path (a .yaml file or a directory of them). Each file
 * is first validated against rules.schema.yaml (built into the program);
 * then what a schema cannot say is checked: duplicate ids, patterns that
 * do not compile, undefined roles and scopes, grade bands. Returns 0; or
 * -1 with *errors set to a malloc'd text of one "FILE:LINE:COLUMN:
 * JSON-pointer: message" line per problem (all found, not the first). */
int fz_pack_load(const char *path, fz_pack *pack, char **errors);

/* Index of the scope or role called name, or FZ_NO_ROLE. */
size_t fz_pack_scope(const fz_pack *pack, const char *name);
size_t fz_pack_role(const fz_pack *pack, const char *name);

/* The rule with this id, or NULL. */
const fz_rule *fz_pack_rule(const fz_pack *pack, const char *id);

/* Index of the unit type called name, or FZ_NO_ROLE. */
size_t fz_pack_unit_type(const fz_pack *pack, const char *name);

/* The type a unit's name says it is (the first whose patterns match), or
 * FZ_NO_ROLE. */
size_t fz_pack_type_of(const fz_pack *pack, const char *unit);

/* The grade for a score (ignoring required failures). */
const char *fz_pack_grade(const fz_pack *pack, double score);

/* The YAML spelling of each check kind, indexed by fz_check_kind (NULL
 * after the last). */
extern const char *const fz_check_kind_names[];

/* "必备" / "推荐" / "提示", and the YAML spellings. */
const char *fz_severity_label(fz_severity s);
const char *fz_severity_name(fz_severity s);
const char *fz_status_name(fz_status s);
const char *fz_status_label(fz_status s);
/* "✓" "◐" "✗" "—": how every output marks a status. */
const char *fz_status_mark(fz_status s);

/* Frees a list of patterns, a check, a rule (their memory only). */
void fz_patterns_free(fz_patterns *ps);
void fz_check_free(fz_check *c);
void fz_rule_free(fz_rule *r);

/* The pack of the chain that defined a rule, for a person: its name, else
 * its path. */
const char *fz_pack_layer_label(const fz_pack *pack, unsigned layer);

void fz_pack_free(fz_pack *pack);

#endif
