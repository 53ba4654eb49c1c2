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
 *   html  a page per report and the ranking page (output_html.c)
 *   docx  the report's own Word file with a comment (批注) on each gap
 *         (output_docx.c)
 *
 * The HTML page and the annotated copy need the report's paragraphs, which
 * only the process that checked it holds: they are made there (a worker,
 * batch.h) and carried as bytes in the report (fz_report.page,
 * .annotated) to the process that writes every file (run.h).
 */
#ifndef FZ_OUTPUT_H
#define FZ_OUTPUT_H

#include <stdio.h>

#include "engine.h"
#include "roster.h"

/* What a run found across its reports, for the outputs that end it. */
struct fz_sim_result;
struct fz_prev_tally;
typedef struct {
    const struct fz_sim_result *sim;      /* --similar: the similar pairs, or NULL */
    const struct fz_prev_tally *previous; /* --previous: last year's reports, or NULL */
} fz_cross;

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
    /* paired with its unit's report of the year before (--previous) */
    int has_previous;
    char *prev_file, *prev_grade;
    double prev_score;
    double reused, problems_reused, plan_reused; /* shares; < 0 unknown */
    int has_promises;      /* last year's promises were looked for */
    size_t promises, promises_followed;
    char *promises_missing; /* those with no account, "、"-joined */
    char *prev_gaps;       /* last year's required gaps: "标题（已整改）、…" */
    char *reused_quotes;   /* the first sentences said again, a line each */
} fz_summary;

/* This year's score less last year's (has_previous), to one decimal as
 * the scores are, and never -0.0. */
double fz_summary_change(const fz_summary *s);

/* Fills *s from a checked report. Returns 0 or -1 (out of memory). */
int fz_summary_of(const fz_pack *pack, const fz_report *r, fz_summary *s);

void fz_summary_free(fz_summary *s);

/* The summaries of a run. They are written to an unlinked temporary
 * file as the reports come, so that memory does not grow with the batch:
 * what stays in memory per report is its place in that file, its score
 * and which unit name it has (the keys the ranking and the gap list sort
 * by), 16 bytes, and each distinct unit name once. The roster's counts
 * are kept as the reports come. */
typedef struct fz_sums fz_sums;

/* An empty set for pack (and roster, or NULL). Returns NULL with a
 * Chinese message when the temporary file cannot be made. */
fz_sums *fz_sums_new(const fz_pack *pack, const fz_roster *roster, char **err);

/* Adds the summary of the next report. Returns 0 or -1 with *err. */
int fz_sums_add(fz_sums *ss, const fz_summary *s, char **err);

size_t fz_sums_count(const fz_sums *ss);

/* Reads summary i back into *s (free it with fz_summary_free). Returns
 * 0, or -1 when it cannot be read or memory runs out. */
int fz_sums_get(fz_sums *ss, size_t i, fz_summary *s);

/* Summaries i and j together (a pair of reports): both, or neither
 * (-1, as fz_sums_get). */
int fz_sums_get_two(fz_sums *ss, size_t i, size_t j, fz_summary *a, fz_summary *b);

/* How many of the summaries are paired with a report of the year before. */
size_t fz_sums_paired(const fz_sums *ss);

/* Report i: could it be read; its score. */
int fz_sums_failed(const fz_sums *ss, size_t i);
double fz_sums_score(const fz_sums *ss, size_t i);

void fz_sums_free(fz_sums *ss);

/* The order of a ranking: by score, highest first; reports that could not
 * be read last; ties in input order. Fills order[0..n) with indices. */
void fz_sums_rank(const fz_sums *ss, size_t *order);

/* The rank at place i of that order: ties share a rank (1, 2, 2, 4);
 * reports that could not be read get 0. Call for i = 0, 1, 2 … in turn
 * with the same *state (start it at 0). */
size_t fz_sums_rank_at(const fz_sums *ss, const size_t *order, size_t i, size_t *state);

/* The order of the gap list: by unit (the file when the report names
 * none), ties in input order. */
void fz_sums_unit_order(const fz_sums *ss, size_t *order);

/* What a roster says of a run: per roster unit, how many reports were
 * matched to it (0: 未提交; 2 or more: duplicates); reports matched to
 * none. */
typedef struct {
    const fz_roster *roster;
    size_t *count;        /* per roster unit */
    size_t missing, duplicated, unmatched;
} fz_tally;

/* The roster's tally of the summaries so far (an empty tally without a
 * roster). Valid until the next fz_sums_add. */
const fz_tally *fz_sums_tally(fz_sums *ss);

/* ---- text ---- */

/* The pack line that opens the text report. */
void fz_text_begin(FILE *f, const fz_pack *pack);
/* One report, numbered i of n. */
void fz_text_report(FILE *f, const fz_pack *pack, const fz_report *r, size_t i, size_t n,
                    int color);
/* The ranked summary table, and what the roster says (if any).
 * Returns 0 or -1 (out of memory, write error). */
int fz_text_summary(FILE *f, const fz_pack *pack, fz_sums *ss, int color);

/* ---- json ---- */

/* The JSON format's version (README.md, "JSON 格式"): 3 since evidence
 * names its section by index and null members are left out (2: rules
 * listed once at the top, results naming them by id). */
#define FZ_JSON_FORMAT 3

void fz_json_begin(FILE *f, const fz_pack *pack);

/* One report; `first` is true for the first one written. */
void fz_json_report(FILE *f, const fz_pack *pack, const fz_report *r, int first);

/* One report as a one-line JSON object (no newline): what the document's
 * reports array and a shard's lines hold. */
void fz_json_report_line(FILE *f, const fz_pack *pack, const fz_report *r);

/* Closes the document, with the roster block when there is a roster.
 * Returns 0 or -1 (write error). */
int fz_json_end(FILE *f, fz_sums *ss);

/* The same, with what the run found across reports (cross, or NULL):
 * what became of last year's reports (`previous`) and the batch's similar
 * reports (`similar`), each when asked for. */
int fz_json_end_cross(FILE *f, fz_sums *ss, const fz_cross *cross);

/* The similar reports after the ranking on the terminal: one line a
 * pair. Returns 0 or -1 (a summary unreadable). */
int fz_text_similar(FILE *f, fz_sums *ss, const struct fz_sim_result *sim);

/* What became of last year's reports, after the ranking: how many were
 * paired, and those that were not or could not be read. */
void fz_text_previous(FILE *f, const struct fz_prev_tally *t);

/* ---- jsonl (shards) ---- */

/* A shard's header line: format, pack, rules, and the roster used (or
 * NULL). */
void fz_jsonl_begin(FILE *f, const fz_pack *pack, const fz_roster *roster, int previous);

/* One report, one line, written as soon as it is checked. */
void fz_jsonl_report(FILE *f, const fz_pack *pack, const fz_report *r);

/* The end line, {"end": {"reports": n}}: a shard without it was cut off.
 * With previous (--previous), also each of last year's reports and what
 * became of it ("previous": [{file, unit, error, score, state}]), for
 * merge. Returns 0 or -1 (write error). */
struct fz_prev_tally;
int fz_jsonl_end(FILE *f, size_t n, const struct fz_prev_tally *previous);

/* ---- html ---- */

/* Appends s to b as HTML text or a quoted attribute value: the markup
 * characters as entities, control characters as their visible symbols,
 * bytes that are not UTF-8 as U+FFFD. What every page of fzcheck (these
 * and the server's, serve.h) escapes with. Returns 0 or -1 (out of
 * memory). */
int fz_html_escape(fz_buf *b, const char *s);

/* Appends s percent-encoded as one URL path segment (every byte but
 * A-Z a-z 0-9 - . _ ~). Returns 0 or -1 (out of memory). */
int fz_url_escape(fz_buf *b, const char *s);

/* A report's page: one self-contained HTML file (inline CSS, no script
 * needed, nothing fetched) with the header card, the rule table, the
 * section outline and the report's text with each evidence passage
 * marked and linked from its rule. Every text of the report is escaped.
 * `index` names the ranking page the page links back to. Returns a
 * malloc'd NUL-terminated page, or NULL with *err (out of memory). */
char *fz_html_page(const fz_pack *pack, const fz_report *r, const char *index, char **err);

/* The ranking page: every report (unit, score, grade, required gaps; and
 * 上年得分, 变化 when paired with last year's) in rank order, each row
 * linking to pages[i] (the file name of report i's page, in input order);
 * with sim (--similar) the pairs sharing unusual text and their passages.
 * Returns 0 or -1 (out of memory, write error). */
int fz_html_index(FILE *f, const fz_pack *pack, fz_sums *ss, const fz_cross *cross, char *const *pages);

/* ---- docx (annotated copy) ---- */

/* What every annotated copy of a run shares. */
typedef struct {
    const char *author;  /* "fzcheck" */
    const char *date;    /* the comments' time, "2025-03-01T08:00:00Z" */
} fz_annotate_opts;

/* The annotated copy of report r read from `path`: for a .docx its own
 * package with a comment on the paragraph of each partial or failed
 * result's evidence (a missing element on the heading it should follow)
 * and a summary comment on the title, everything else kept; for other
 * formats a new .docx of the extracted paragraphs with the same comments.
 * Appends the file's bytes to *out. Returns 0, or -1 with a Chinese
 * message in *err. */
int fz_annotate(const fz_pack *pack, const fz_report *r, const char *path,
                const fz_annotate_opts *o, fz_buf *out, char **err);

#endif
