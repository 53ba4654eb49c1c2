/*
 * run.h - the outputs of one run, fed report by report.
 *
 * What `fzcheck check` and `fzcheck merge` share: the reports come in
 * input order (checked by the batch, or read back from shards) and each
 * is written at once to every output asked for, then freed; only its
 * summary is kept, on disk (output.h, fz_sums). At the end the outputs
 * that need the whole batch (the ranking, the roster, the workbook's
 * sheets) are finished and all result files are renamed into place
 * together (atomic.h).
 *
 *   text   stdout, unless JSON or JSONL goes there or --quiet: every
 *          report's listing and the ranking; for a batch on a terminal
 *          only the ranking and totals (listings with --verbose)
 *   json   the JSON document (FILE or "-")
 *   jsonl  a shard: one report a line (FILE or "-")
 *   xlsx   the scorecard workbook
 *   html   a folder: a page per report and index.html, the ranking
 *   annotate  a folder: each report's annotated Word copy (.批注.docx)
 *
 * The pages and copies are made by the workers (output.h) and written
 * here as each report comes, each file whole or not at all (atomic.h);
 * two reports of the same file name get 名称（2） and so on. index.html
 * is written at the end, with the other result files.
 *
 * For a batch on a terminal a progress line on stderr shows the count,
 * the rate and the time left, and is erased at the end.
 */
#ifndef FZ_RUN_H
#define FZ_RUN_H

#include <stddef.h>

#include "engine.h"
#include "roster.h"

typedef struct {
    const char *json, *jsonl, *xlsx; /* paths, "-" for stdout, or NULL */
    const char *html, *annotate;     /* folders, or NULL */
    int verbose;   /* every report's listing even for a batch on a terminal */
    int quiet;     /* no text on stdout, no progress */
    const fz_roster *roster;
    int similar;   /* --similar: pairs of reports sharing unusual text
                    * (similar.h), from each report's fingerprint */
    int previous;  /* --previous was given (or, merging, a shard had it):
                    * the workbook gets 雷同与沿用, a shard says so */
    const struct fz_prev_index *previous_index; /* last year's reports, to
                    * tell which were paired (NULL when merging) */
} fz_run_opts;

typedef struct fz_run fz_run;

/* Opens the outputs for a run of `total` reports. An output that cannot
 * be opened is reported on stderr (the exit status becomes 2) and left
 * out; the others are still produced. Returns NULL only when memory runs
 * out or the summaries' temporary file cannot be made (*err set). */
fz_run *fz_run_open(const fz_pack *pack, const fz_run_opts *o, size_t total, char **err);

/* Writes report i everywhere and keeps its summary. Returns 0, or -1
 * with *err when the run cannot go on. */
int fz_run_report(fz_run *r, size_t i, fz_report *rep, char **err);

/* Merging: what became of last year's reports in the shards' runs (its
 * entries must outlive the run), said by the outputs as a check run says
 * it. */
struct fz_prev_tally;
void fz_run_set_previous(fz_run *r, const struct fz_prev_tally *t);

/* Finishes every output and renames them into place together; frees r.
 * Returns the exit status: 0 every report meets every required rule, 1
 * some report has a required gap or could not be read (or a roster unit
 * sent nothing), 2 an output could not be written. */
int fz_run_close(fz_run *r);

/* Abandons the run: no result file is replaced. Frees r. */
void fz_run_abort(fz_run *r);

/* Prints a message on stderr as "fzcheck: …", control characters
 * escaped (it may hold a file name). */
void fz_run_say(const char *msg);

#endif
