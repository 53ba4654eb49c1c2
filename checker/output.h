/*
 * output.h - stage 7: what a person and a script read.
 *
 * Outputs are written as the reports are checked, one report at a time,
 * so that memory stays flat however many reports a run holds: each
 * checked report is passed to the writers and then freed; only a small
 * fz_summary of it (unit, score, grade, each rule's status and score) is
 * kept for what needs the whole batch (the ranking, the element matrix).
 *
 *   text  Chinese for a person: per report the unit, year, score, grade,
 *         each rule with ✓ ◐ ✗ —, the evidence, and for gaps the message,
 *         the fix and the basis; then a ranked summary (output_text.c)
 *   json  the stable machine format documented in README.md (output_json.c)
 *   xlsx  the scorecard workbook (output_xlsx.c, xlsx.h)
 */
#ifndef FZ_OUTPUT_H
#define FZ_OUTPUT_H

#include <stdio.h>

#include "engine.h"
#include "roster.h"

/* What is kept of a report once it has been written out. */
typedef struct {
    char *file, *error, *unit, *title, *doc_number, *date;
    char *roster_unit;     /* the roster unit it was matched to, or NULL */
    const char *unit_type; /* the pack's name of its unit type, or NULL */
    int year;
    double score;
    const char *grade;     /* the pack's string */
    size_t required_gaps;
    fz_status *status;     /* per rule, in pack order (NULL when error) */
    double *scores;        /* per rule */
} fz_summary;

/* Fills *s from a checked report. Returns 0 or -1 (out of memory). */
int fz_summary_of(const fz_pack *pack, const fz_report *r, fz_summary *s);
void fz_summary_free(fz_summary *s);

/* The order of a ranking: by score, highest first; reports that could not
 * be read last; ties by file name. Fills order[0..n) with indices. */
void fz_summary_rank(const fz_summary *s, size_t n, size_t *order);

/* The rank of each place in that order: ties share a rank (1, 2, 2, 4);
 * reports that could not be read get 0. */
void fz_summary_ranks(const fz_summary *s, const size_t *order, size_t n, size_t *rank);

/* What a roster says of a run: per roster unit, how many reports were
 * matched to it (0: 未提交; 2 or more: duplicates); reports matched to
 * none. */
typedef struct {
    const fz_roster *roster;
    size_t *count;        /* per roster unit */
    size_t missing, duplicated, unmatched;
} fz_tally;

/* Counts the summaries against the roster (NULL: an empty tally).
 * Returns 0 or -1 (out of memory). */
int fz_tally_of(const fz_roster *roster, const fz_summary *s, size_t n, fz_tally *t);
void fz_tally_free(fz_tally *t);

/* ---- text ---- */

/* The pack line that opens the text report. */
void fz_text_begin(FILE *f, const fz_pack *pack);
/* One report, numbered i of n. */
void fz_text_report(FILE *f, const fz_pack *pack, const fz_report *r, size_t i, size_t n,
                    int color);
/* The ranked summary table, and what the roster says (t may be empty).
 * Returns 0 or -1 (out of memory, write error). */
int fz_text_summary(FILE *f, const fz_pack *pack, const fz_summary *s, size_t n,
                    const fz_tally *t, int color);

/* ---- json ---- */

void fz_json_begin(FILE *f, const fz_pack *pack);
/* One report; `first` is true for the first one written. */
void fz_json_report(FILE *f, const fz_pack *pack, const fz_report *r, int first);
/* Closes the document, with the roster block when t has a roster.
 * Returns 0 or -1 (write error). */
int fz_json_end(FILE *f, int any, const fz_summary *s, size_t n, const fz_tally *t);

#endif
