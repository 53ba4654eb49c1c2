/*
 * batch.h - running the whole pipeline over many reports.
 *
 * Expands the paths a user gives (files, and directories searched
 * recursively for reports), then reads, segments, checks and scores each
 * one in a worker process (pool.h) under a time and a memory limit, and
 * hands the checked reports back in input order. A report that cannot be
 * read, or that runs past a limit, gets its Chinese error and the batch
 * goes on: nothing is silently skipped, and one bad file never stops the
 * others.
 *
 * This is the checker as a library: the command line, and anything else
 * that checks reports (a server, a merge of shards), calls fz_batch_run.
 */
#ifndef FZ_BATCH_H
#define FZ_BATCH_H

#include <stddef.h>

#include "engine.h"
#include "output.h"
#include "read.h"
#include "roster.h"

/* The paths are kept one after another in large blocks rather than one
 * allocation each: a batch can hold 100,000 paths, and a malloc'd copy
 * of a 57-byte path takes 80. */
typedef struct {
    char **paths;
    size_t n;
    size_t cap;         /* of paths */
    char **blocks;      /* where the paths are kept */
    size_t nblocks, bcap;
    char *next;         /* the free part of the last block */
    size_t room;        /* its bytes */
} fz_inputs;

/* Expands files and directories into report paths: directories are
 * walked recursively in name order, skipping hidden entries and Word's
 * lock files (~$…), keeping the formats fzcheck reads and also old Word
 * and WPS files (.doc .wps), so that those are reported rather than lost.
 * Paths that do not exist are kept (they will get an error). Returns 0 or
 * -1 (out of memory). */
int fz_inputs_collect(char *const *args, size_t nargs, fz_inputs *out, char **err);

/* Replaces path i (a copy of path is kept). Returns 0 or -1 (out of
 * memory). */
int fz_inputs_set(fz_inputs *in, size_t i, const char *path);

void fz_inputs_free(fz_inputs *in);

/* Limits and parallelism of a batch. */
typedef struct {
    size_t jobs;       /* worker processes; 0: one per processor */
    double timeout;    /* seconds one report may take; 0: no limit */
    size_t memory_mb;  /* memory one report may use; 0: no limit */
    const fz_roster *roster; /* the units expected, or NULL */
    int json_lines;    /* the workers also write each report's JSON line */
    int html;          /* … and make its HTML page (fz_report.page) */
    const fz_annotate_opts *annotate; /* … and its annotated Word copy
                                       * (fz_report.annotated), when set */
    /* the report saved from standard input (or NULL): its saved copy's
     * path and the name results show, given to it in the worker so that
     * its page, Word copy and JSON line name it so */
    const char *stdin_path, *stdin_name;
    /* --previous (previous.h): last year's reports, each report paired
     * with its unit's (NULL: none given); built before the workers start,
     * so that they inherit it */
    const struct fz_prev_index *previous;
    int fingerprint;   /* an fz_fp_kind (previous.h): the workers also make
                        * each report's fingerprint (fz_report.fingerprint)
                        * for last year's index or for --similar */
} fz_batch_opts;

/* The defaults: one worker per processor, 60 seconds, 2048 MB. */
#define FZ_BATCH_TIMEOUT 60.0
#define FZ_BATCH_MEMORY_MB 2048
void fz_batch_defaults(fz_batch_opts *o);

/* The share of a report's time limit its rule patterns may spend
 * matching: past it, the report stops with a message naming the rule and
 * the pattern (regex.h, fz_regex_budget). */
#define FZ_BATCH_REGEX_SHARE 0.5

/* Receives report i (in input order). The report is freed after the call.
 * Returns 0, or -1 to stop the batch (with *err set). */
typedef int (*fz_batch_emit)(void *ctx, size_t i, fz_report *rep, char **err);

/* Checks every path with pack and hands each report to emit, in order.
 * Returns 0, or -1 with a Chinese message (workers could not be started,
 * memory ran out, or emit stopped the batch). */
int fz_batch_run(const fz_pack *pack, const fz_batch_opts *o, char *const *paths, size_t n,
                 fz_batch_emit emit, void *ctx, char **err);

/* Receives the text read from file i, or the reason it could not be read
 * (then t is NULL). Returns 0 or -1 to stop. */
typedef int (*fz_batch_text_emit)(void *ctx, size_t i, const fz_text *t, const char *error,
                                  char **err);

/* Reads every path (stage 1 only) in workers under the same limits, and
 * hands each text to emit in order: what `fzcheck text` shows. */
int fz_batch_read(const fz_batch_opts *o, char *const *paths, size_t n, fz_batch_text_emit emit,
                  void *ctx, char **err);

/* Checks one report in this process, matched to a unit of roster (or
 * NULL), its patterns' time bounded by regex_seconds (0: unbounded): fills
 * *rep (error set when the file cannot be read, is not a report text, or
 * its patterns ran out of time; a report that cannot be read is still
 * matched to the roster by its file name). Returns -1 only when memory
 * runs out. */
int fz_batch_check_file(const fz_pack *pack, const fz_roster *roster, const char *path,
                        double regex_seconds, fz_report *rep, char **err);

/* The same, the report paired with its unit's report in prev (or NULL:
 * no previous reports given), and what the pairing found in
 * rep->previous. */
int fz_batch_check_paired(const fz_pack *pack, const fz_roster *roster,
                          const struct fz_prev_index *prev, const char *path,
                          double regex_seconds, fz_report *rep, char **err);

#endif
