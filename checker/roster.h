/*
 * roster.h - the units an office expects reports from (单位名单).
 *
 * A 依法治市办 knows which units must report and what kind each is. Its
 * roster, a CSV file as Excel or WPS save it (UTF-8 with or without BOM,
 * or GB18030) with the header 单位名称,类型,别名 — aliases separated by 、
 * or ；— or the same as YAML, gives each unit's type (one of the rule
 * pack's unit_types) and is the authority on its name.
 *
 * Each report is matched to a roster unit (after segmenting, before the
 * checks), by the evidence it offers, most trusted first: the unit it
 * names (title, banner, signature, opening sentence) — equal to a roster
 * name or alias, a full name ending with one, or a name by level only
 * ("市教育局") that exactly one roster unit ends with; a place alone stands
 * for its government; then its file name (bureaus name files
 * "某某局2023年度法治政府建设情况报告.docx"); then its title. Units merely
 * mentioned in the text ("在县委、县政府的领导下") are never taken. Names
 * are compared without spaces and with the usual abbreviations (市场监管局
 * = 市场监督管理局 …). When two units match equally the report is left
 * unmatched rather than guessed.
 *
 * The run then lists roster units with no report (未提交), reports matched
 * to no unit, and units matched by more than one report.
 */
#ifndef FZ_ROSTER_H
#define FZ_ROSTER_H

#include <stddef.h>

#include "rules.h"
#include "segment.h"

typedef struct {
    char *name;        /* 单位名称 */
    char *type;        /* 类型, one of the pack's unit types, or NULL */
    char **aliases;
    size_t naliases;
    unsigned line;     /* where it stands in the roster file */
} fz_roster_unit;

typedef struct {
    char *path;
    fz_roster_unit *units;
    size_t n;
} fz_roster;

/* Loads the roster at path: YAML when it ends in .yaml or .yml, else CSV.
 * Every type must be one of pack's unit types. Returns 0; or -1 with
 * *errors holding one "FILE:LINE: 说明" line per problem (an unknown type,
 * a duplicate unit, a missing header, undecodable bytes, no units). */
int fz_roster_load(const char *path, const fz_pack *pack, fz_roster *r, char **errors);

/* Matches a segmented report (its file at path) to a roster unit. On a
 * match sets d->roster_unit, d->roster_type and d->unit (the roster's
 * name, d->unit_source FZ_SRC_ROSTER) and returns 1; returns 0 when none
 * matches, -1 when memory runs out. */
int fz_roster_match(const fz_roster *r, fz_doc *d, const char *path);

/* Index of the unit called name in the roster, or -1. */
long fz_roster_find(const fz_roster *r, const char *name);

void fz_roster_free(fz_roster *r);

#endif
