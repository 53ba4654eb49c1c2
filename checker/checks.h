/*
 * checks.h - the check kinds ("extension points"), one file each. Every
 * kind reads the document through the context (evalctx.h), fills an
 * outcome (status, evidence, message values, a plain-Chinese detail) and
 * knows nothing about any particular rule: the rules are data in the
 * pack. The engine (engine.c) dispatches to them; any/all combine them.
 */
#ifndef FZ_CHECKS_H
#define FZ_CHECKS_H

#include "evalctx.h"

void fz_check_section(fz_ctx *x, const fz_check *c, fz_outcome *o);   /* check_section.c */
void fz_check_presence(fz_ctx *x, const fz_check *c, fz_outcome *o);  /* check_presence.c */
void fz_check_figures(fz_ctx *x, const fz_check *c, fz_outcome *o);   /* check_figures.c */
void fz_check_year(fz_ctx *x, const fz_check *c, fz_outcome *o);      /* check_year.c */
void fz_check_field(fz_ctx *x, const fz_check *c, fz_outcome *o);     /* check_field.c */
void fz_check_absence(fz_ctx *x, const fz_check *c, fz_outcome *o);   /* check_absence.c */
void fz_check_deadline(fz_ctx *x, const fz_check *c, fz_outcome *o);  /* check_deadline.c */
void fz_check_coverage(fz_ctx *x, const fz_check *c, fz_outcome *o);  /* check_coverage.c */
void fz_check_reuse(fz_ctx *x, const fz_check *c, fz_outcome *o);     /* check_reuse.c */
void fz_check_followup(fz_ctx *x, const fz_check *c, fz_outcome *o);  /* check_followup.c */

#endif
