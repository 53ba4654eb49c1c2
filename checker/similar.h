/*
 * similar.h - reports of one batch that share unusual text
 * (`fzcheck check --similar`).
 *
 * Each report's sentences are hashed as for --previous (previous.h:
 * figures, punctuation and spaces dropped; top-level headings and short
 * sentences left out), in the worker (its FZ_FP_SIMILAR fingerprint). Here,
 * in the process that writes the outputs, every (hash, report) is kept in
 * memory, 16 bytes a sentence, and each report's quoted sentences go to a
 * temporary file. A sentence found in more than the pack's
 * boilerplate_share of the batch's reports (and in at least
 * boilerplate_min of them), or in more than boilerplate_max, is
 * boilerplate — 习近平法治思想, the 纲要's wording — and does not count.
 * Two reports are similar when they share at least min_shared of the
 * other sentences, and those are at least min_share of the shorter one's
 * (rules.h, fz_similar_opts; the pack's `similar`). Derived from the batch
 * alone, and no pair of documents is compared as such: the pairs come from
 * the hashes they share, so the work grows with the sentences, not with
 * the square of the reports.
 */
#ifndef FZ_SIMILAR_H
#define FZ_SIMILAR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rules.h"
#include "util.h"

/* Of a pair, its shared passages quoted: at most this many, each clipped
 * at FZ_SIM_PASSAGE_BYTES; and only for the most similar pairs. */
#define FZ_SIM_PASSAGES 6
#define FZ_SIM_PASSAGE_BYTES 600
#define FZ_SIM_QUOTED_PAIRS 2000

typedef struct {
    uint64_t h;
    uint32_t report;
} fz_sim_entry;

typedef struct {
    fz_sim_entry *v;
    size_t n, cap;
    size_t reports;      /* one past the highest report index added */
    FILE *texts;         /* each report's quoted sentences (unlinked) */
    uint64_t size;       /* bytes written to texts */
    uint64_t *at;        /* where report i's start in texts; at[reports] = size */
    size_t at_cap;
} fz_similar;

typedef struct {
    size_t a, b;         /* report indices, a < b */
    size_t shared;       /* sentences they share (not boilerplate) */
    double share;        /* shared / the shorter report's sentences */
    char **passages;     /* what they share, in a's order: runs of shared
                          * sentences joined (FZ_SIM_PASSAGES at most) */
    size_t npassages;
} fz_sim_pair;

typedef struct fz_sim_result {
    fz_sim_pair *pairs;  /* most similar first */
    size_t npairs;
    size_t boilerplate;  /* sentences found to be boilerplate */
    size_t reports;      /* reports compared */
} fz_sim_result;

/* Adds report i's sentences from its FZ_SIM fingerprint (previous.h; an
 * empty one adds nothing). Reports come in order of i. Returns 0, or -1
 * (out of memory, the temporary file cannot be written, or garbled). */
int fz_similar_add(fz_similar *s, size_t i, const fz_buf *fingerprint);

/* The pairs of similar reports among those added, by the pack's `similar`
 * thresholds, with their shared passages. Returns 0 or -1 (out of memory,
 * temporary file unreadable). */
int fz_similar_pairs(fz_similar *s, const fz_similar_opts *o, fz_sim_result *out);

void fz_similar_free(fz_similar *s);
void fz_sim_result_free(fz_sim_result *r);

#endif
