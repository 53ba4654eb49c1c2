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
#include "util.h"

/* Sentences shorter than this (characters compared) are not counted:
 * headings such as 存在的问题 are the same every year. */
#define FZ_PREV_MIN_CHARS 8

/* A sentence not found as it is still counts as reused when this share of
 * its runs of FZ_PREV_SHINGLE characters are in last year's report: a
 * clause added or dropped, a heading joined to it by a re-wrapped text. */
#define FZ_PREV_SHINGLE 4
#define FZ_PREV_NEAR 0.8

typedef struct {
    char *label;     /* the promise as written (clipped) */
    char *key;       /* its text as compared */
} fz_promise;

typedef struct fz_prev_report {
    char *file;
    char *unit;      /* what pairs it: roster unit, else the unit's name */
    char *error;     /* why it could not be read, or NULL */
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
} fz_prev_report;

typedef struct fz_prev_index {
    fz_prev_report *v;
    size_t n;
} fz_prev_index;

/* What a report's JSON says of its pairing (`previous`). Shares < 0: the
 * report has no sentences of that part. */
typedef struct fz_prev_summary {
    char *file;
    double score;
    char *grade;
    double reused, problems_reused, plan_reused;
} fz_prev_summary;

/* A sentence's (or any text's) form for comparison: figures (ASCII and
 * Chinese digits, %, .), punctuation and spaces dropped, appended to out.
 * Returns the characters kept, or -1 when memory runs out. */
long fz_prev_key(const char *s, size_t n, fz_buf *out);

/* 64-bit FNV-1a. */
uint64_t fz_prev_hash(const char *s, size_t n);

/* In the worker, after checking: the fingerprint of a checked report
 * (appended to out). Returns 0 or -1 (out of memory). */
int fz_prev_fingerprint(const fz_pack *pack, const fz_report *rep, fz_buf *out);

/* In the parent: adds a checked previous report (its fingerprint in
 * rep->fingerprint) to the index. Returns 0 or -1 (out of memory). */
int fz_prev_add(fz_prev_index *ix, const fz_pack *pack, const fz_report *rep);

/* The previous report of doc's unit, or NULL. */
const fz_prev_report *fz_prev_pair(const fz_prev_index *ix, const fz_doc *doc);

/* Whether sentence si of d (its compared form at least
 * FZ_PREV_MIN_CHARS, not the heading of a top-level section: 存在的不足和原因
 * is every year's) is counted, and if so whether it is in pr, as it is or
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

void fz_prev_summary_free(fz_prev_summary *s);
void fz_prev_index_free(fz_prev_index *ix);

#endif
