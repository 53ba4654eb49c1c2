/*
 * score.h - stage 6: points, total and grade of a checked report.
 *
 * A pass earns a rule's full points, a partial the share its check gave
 * (or the pack's scoring.partial), a fail none; na rules are left out of
 * the total. The total is scaled to 100 and rounded to one decimal, so
 * that reports with different applicable rules stay comparable. The
 * grade comes from the pack's bands, except that a failed required rule
 * forces scoring.required_fail_grade (不合格) whatever the points.
 */
#ifndef FZ_SCORE_H
#define FZ_SCORE_H

#include "engine.h"

/* Fills each result's score and the report's score, points, grade and
 * required_gaps. */
void fz_score_report(const fz_pack *pack, fz_report *r);

/* x rounded to one decimal. */
double fz_round1(double x);

#endif
