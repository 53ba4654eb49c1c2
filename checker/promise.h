/*
 * promise.h - the items of a report's plan (下一年度安排) and, a year
 * later, where the next report gives an account of each: the followup
 * check (check_followup.c) and the `promises` of `previous` (previous.h).
 *
 * Items. A plan is written as subheadings with their bodies ("（一）建立
 * 执法监督问题整改闭环机制。对考评……"), as one paragraph of
 * "一是……；二是……", or as plain sentences. Each item has a head (its
 * subheading, or its first clause) and a body (the rest, clipped).
 *
 * An account. A promise has one when a paragraph, or a subsection of a
 * few paragraphs, of this year's part holds enough of its head's or its
 * body's two-character words, each word weighted by how rare it is in
 * this year's report and among last year's promises: 推进, 加强, 建设,
 * 体系 are in every paragraph and count for almost nothing; 复议, 法律顾问,
 * 八五普法 carry the match. So a promise is found when it is reported in
 * other words, and not found merely because the same verbs come back.
 */
#ifndef FZ_PROMISE_H
#define FZ_PROMISE_H

#include <stddef.h>
#include <stdint.h>

#include "segment.h"

typedef struct {
    char *label;     /* the promise as written (its head, clipped) */
    char *head;      /* its head as compared (textkey.h) */
    char *body;      /* the rest of it as compared, clipped ("" if none) */
} fz_promise;

/* An item's head and body, as written (bytes of the document's text). */
typedef int (*fz_promise_emit)(void *ctx, const char *head, size_t headn, const char *body,
                               size_t bodyn);

/* Calls emit for each item of the part marked in mask (its subheadings
 * when it has two or more, else its 一是/二是… items, else its one
 * subheading, else its sentences, at most FZ_PROMISE_MAX). Stops at the
 * first nonzero return of emit and returns it; 0 when done, -1 when
 * memory runs out. */
#define FZ_PROMISE_MAX 12
int fz_promise_items(const fz_doc *d, const uint8_t *mask, fz_promise_emit emit, void *ctx);

typedef struct fz_promise_matcher fz_promise_matcher;

/* The paragraphs and small subsections of the part of d in mask, with the
 * words' weights from d's body and the n promises. NULL when memory runs
 * out. */
fz_promise_matcher *fz_promise_matcher_new(const fz_doc *d, const uint8_t *mask,
                                           const fz_promise *ps, size_t n);

/* Where promise p has its account: the first paragraph of the best
 * window when its weighted share reaches overlap, else FZ_NONE. *share
 * (may be NULL) gets the best share found. */
size_t fz_promise_account(const fz_promise_matcher *m, const fz_promise *p, double overlap,
                          double *share);

void fz_promise_matcher_free(fz_promise_matcher *m);

#endif
