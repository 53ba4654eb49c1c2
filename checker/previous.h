/*
 * previous.h - last year's reports, for comparing a report with its
 * unit's report of the year before (`fzcheck check --previous`).
 *
 * Each of last year's reports is checked with the same pack in a worker
 * like any report; the worker also makes its fingerprint: the hash of
 * every sentence, normalized for comparison (figures, punctuation and
 * spaces dropped, so that a sentence copied with its numbers changed
 * still matches), and the promises of its plan part (its subheadings,
 * else its sentences) for the followup check. The parent collects the
 * fingerprints into an index before the batch's workers start, so that
 * they inherit it at fork.
 *
 * A report is paired with the previous report of the same unit: its
 * roster unit when it has one, else the unit it names; a report whose
 * unit cannot be told is not paired.
 */
#ifndef FZ_PREVIOUS_H
#define FZ_PREVIOUS_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "promise.h"
#include "textkey.h"
#include "util.h"

/* Sentences shorter than this (characters compared) are not counted:
 * headings such as 存在的问题 are the same every year. */
#define FZ_PREV_MIN_CHARS 8

/* A sentence not found as it is still counts as reused when this share of
 * its runs of FZ_PREV_SHINGLE characters are in last year's report: a
 * clause added or dropped, a heading joined to it by a re-wrapped text. */
#define FZ_PREV_SHINGLE 4
#define FZ_PREV_NEAR 0.8


typedef struct fz_prev_report {
    char *file;
    char *unit;      /* what pairs it: roster unit, else the unit's name */
    char *error;     /* why it could not be read, or NULL */
    int year;        /* the year it reports on, 0 when unknown */
    unsigned long long dev, ino; /* the file itself (0, 0: unknown) */
    double score;
    char *grade;
    uint64_t *hashes; /* its sentences' hashes, sorted, each once */
    size_t nhashes;
    uint32_t *shingles; /* hashes of every run of FZ_PREV_SHINGLE characters
                         * of its sentences as compared, sorted, each once */
    size_t nshingles;
    fz_promise **promises; /* per scope of the pack (NULL: not asked for) */
    size_t *npromises;
    size_t nscopes;
    size_t *gap_rules;   /* its required rules not met (pack indices) */
    fz_status *gap_was;  /* and how (partial or fail) */
    size_t ngaps;
} fz_prev_report;

typedef struct fz_prev_index {
    fz_prev_report *v;
    size_t n;
    /* after fz_prev_index_seal: the readable reports with a unit, by unit
     * name and by its core (the name without 人民政府 … and the places
     * above it), so that pairing a report is a search, not a scan */
    size_t *by_unit, *by_core;
    char **core;       /* per report (NULL: no unit or unreadable) */
    size_t nkeyed;
} fz_prev_index;

/* One of last year's promises, and its account this year. */
typedef struct {
    char *text;          /* the promise as written (clipped) */
    int followed;
    uint32_t line, page; /* where its account is (as fz_evidence) */
    char *evidence;      /* a quote of that paragraph, or NULL */
    size_t para;         /* that paragraph of doc.norm, in the process that
                          * checked the report (else FZ_NONE) */
} fz_prev_promise;

/* A required element missing or partial last year, and this year. */
typedef struct {
    char *rule;          /* its id */
    fz_status was, now;
} fz_prev_gap;

/* What a report's JSON says of its pairing (`previous`). Shares < 0: the
 * report has no sentences of that part. */
typedef struct fz_prev_summary {
    char *file;
    double score;
    char *grade;
    double reused, problems_reused, plan_reused;
    /* last year's promises (of the pack's first followup rule), each with
     * or without an account; has_promises 0 when that was not looked at */
    int has_promises;
    fz_prev_promise *promises;
    size_t npromises;
    fz_prev_gap *gaps;   /* last year's required gaps, rectified or not */
    size_t ngaps;
} fz_prev_summary;


/* What a fingerprint is for. FZ_FP_PREVIOUS, one of last year's reports:
 * its sentences' hashes (sorted, each once), their shingles and its
 * promises. FZ_FP_SIMILAR, a report of a batch run with --similar: the
 * same hashes, then each counted sentence in order as its hash, its
 * paragraph and its text (clipped at FZ_PREV_TEXT_BYTES), to quote what
 * two reports share. */
typedef enum { FZ_FP_NONE, FZ_FP_PREVIOUS, FZ_FP_SIMILAR } fz_fp_kind;

/* A sentence quoted in a similar fingerprint, in bytes at most. */
#define FZ_PREV_TEXT_BYTES 240

/* In the worker, after checking: the fingerprint of a checked report
 * (appended to out). Returns 0 or -1 (out of memory). */
int fz_prev_fingerprint(const fz_pack *pack, const fz_report *rep, fz_fp_kind kind, fz_buf *out);

/* In the parent: adds a checked previous report (its fingerprint in
 * rep->fingerprint) to the index. Returns 0 or -1 (out of memory). */
int fz_prev_add(fz_prev_index *ix, const fz_pack *pack, const fz_report *rep);

/* Sorts the index for pairing, once all of last year's reports are in.
 * Returns 0, or -1 when memory runs out (the index is then not to be
 * used). */
int fz_prev_index_seal(fz_prev_index *ix);

/* The previous report of doc's unit (doc read from path), or NULL: never
 * the report's own file, nor one of the same or a later year. */
const fz_prev_report *fz_prev_pair(const fz_prev_index *ix, const fz_doc *doc, const char *path);

/* Whether sentence si of d (its compared form at least
 * FZ_PREV_MIN_CHARS, not the heading of a top-level section: 存在的不足和原因
 * is every year's; nor a short subheading, a stock phrase such as 学习宣传
 * 贯彻习近平法治思想) is counted, and if so whether it is in pr, as it is or
 * nearly (FZ_PREV_NEAR). Returns
 * -1 out of memory, 0 not counted, 1 counted and new, 2 counted and
 * reused. */
int fz_prev_sentence(const fz_doc *d, size_t si, const fz_prev_report *pr);

/* The share of the sentences of the paragraphs of mask found in pr (< 0
 * when none is counted); *found and *total the counts. Returns -2 when
 * memory runs out. */
double fz_prev_share(const fz_doc *d, const uint8_t *mask, const fz_prev_report *pr,
                     size_t *found, size_t *total);

/* In the worker, after checking: the summary of a paired report. Returns
 * 0 or -1 (out of memory). */
int fz_prev_summarize(const fz_pack *pack, fz_report *rep);

/* What became of last year's reports in a run: how many were paired, and
 * those that were not (a unit that sent no report this year, or one
 * whose name could not be matched) or could not be read. */
typedef enum { FZ_PREV_PAIRED, FZ_PREV_UNPAIRED, FZ_PREV_UNREADABLE } fz_prev_state;

typedef struct {
    const char *file, *unit, *error; /* owned by the index (or the merge) */
    double score;
    fz_prev_state state;
} fz_prev_entry;

typedef struct fz_prev_tally {
    fz_prev_entry *v;    /* every one of last year's reports, in input order */
    size_t n;
    size_t paired, unpaired, unreadable;
} fz_prev_tally;

/* The tally of ix; used(ctx, file) says whether a report of the run was
 * paired with that one. Returns 0 or -1 (out of memory). */
int fz_prev_tally_make(const fz_prev_index *ix, int (*used)(void *ctx, const char *file), void *ctx,
                       fz_prev_tally *t);

/* Adds an entry (merge: one from a shard's end line; a file seen before
 * is paired if paired anywhere, unreadable only if unreadable
 * everywhere). Its strings must outlive t. Returns 0 or -1. */
int fz_prev_tally_add(fz_prev_tally *t, const fz_prev_entry *e);

void fz_prev_tally_free(fz_prev_tally *t);

/* What became of last year's gap: 已整改, 部分整改, 仍未整改, 本年不适用. */
const char *fz_prev_gap_label(const fz_prev_gap *g);

/* Last year's gaps as "标题（已整改）、…" (titles from pack, else the id),
 * appended to b. Returns 0 or -1 (out of memory). */
int fz_prev_gaps_text(const fz_pack *pack, const fz_prev_summary *s, fz_buf *b);

void fz_prev_summary_free(fz_prev_summary *s);
void fz_prev_index_free(fz_prev_index *ix);

#endif
