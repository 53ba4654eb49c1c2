/*
 * similar.h - reports of one batch that share unusual text
 * (`fzcheck check --similar`).
 *
 * Each report's sentences are hashed as for --previous (previous.h:
 * figures, punctuation and spaces dropped; top-level headings and short
 * sentences left out). A sentence found in more than FZ_SIM_BOILERPLATE
 * of the batch's reports (and in at least FZ_SIM_BOILER_MIN of them) is
 * boilerplate — 习近平法治思想, the 纲要's wording — and does not count;
 * two reports are similar when they share at least FZ_SIM_MIN_SHARED of
 * the other sentences, and those are at least FZ_SIM_MIN_SHARE of the
 * shorter one's. Derived from the batch alone.
 */
#ifndef FZ_SIMILAR_H
#define FZ_SIMILAR_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define FZ_SIM_BOILERPLATE 0.2
#define FZ_SIM_BOILER_MIN 3
/* a sentence in more reports than this is boilerplate whatever the
 * batch's size (and pairing its reports would cost too much) */
#define FZ_SIM_BOILER_MAX 50
#define FZ_SIM_MIN_SHARED 3
#define FZ_SIM_MIN_SHARE 0.3

typedef struct {
    uint64_t h;
    uint32_t report;
} fz_sim_entry;

typedef struct {
    fz_sim_entry *v;
    size_t n, cap;
    size_t reports;      /* one past the highest report index added */
} fz_similar;

typedef struct {
    size_t a, b;         /* report indices, a < b */
    size_t shared;       /* sentences they share (not boilerplate) */
    double share;        /* shared / the shorter report's sentences */
} fz_sim_pair;

typedef struct fz_sim_result {
    fz_sim_pair *pairs;  /* most similar first */
    size_t npairs;
    size_t boilerplate;  /* sentences found to be boilerplate */
    size_t reports;      /* reports compared */
} fz_sim_result;

/* Adds report i's sentence hashes from its fingerprint (previous.h; an
 * empty one adds nothing). Returns 0 or -1 (out of memory or garbled). */
int fz_similar_add(fz_similar *s, size_t i, const fz_buf *fingerprint);

/* The pairs of similar reports among those added. Returns 0 or -1 (out
 * of memory). */
int fz_similar_pairs(fz_similar *s, fz_sim_result *out);

void fz_similar_free(fz_similar *s);
void fz_sim_result_free(fz_sim_result *r);

#endif
