/*
 * evalctx.h - stage 5's shared ground: what every check kind uses.
 *
 * The engine (engine.c) gives sections their roles and the report its
 * unit type, then dispatches each rule's check to its kind (check_*.c);
 * the kinds read the document through this context and record their
 * outcome here: scope masks (which paragraphs a scope covers), matching a
 * rule's patterns, and an outcome with its status, evidence, the values a
 * message may use and a plain-Chinese detail. Includes point one way:
 * engine.c → check kinds → this module.
 */
#ifndef FZ_EVALCTX_H
#define FZ_EVALCTX_H

#include <stdint.h>

#include "engine.h"
#include "util.h"

/* Evidence kept per result at most. */
#define FZ_MAX_EVIDENCE 5

/* How a section got a role. */
enum { FZ_ROLE_NONE, FZ_ROLE_HEADING, FZ_ROLE_CONTENT };

typedef struct fz_counts fz_counts; /* evalctx.c: counts found so far */
typedef struct fz_para_filter fz_para_filter; /* evalctx.c: see fz_may_match */

typedef struct {
    const fz_pack *pack;
    const fz_doc *doc;
    const uint32_t *roles;   /* role bits per section */
    const uint32_t *content_roles; /* of those, the bits given by content */
    size_t unit_type;        /* the report's unit type, or FZ_NO_ROLE */
    uint8_t **masks;         /* per scope: 1 for each paragraph inside */
    fz_counts *counts;       /* per count pattern: its matches per sentence */
    fz_para_filter *filters; /* grams of the report and its paragraphs, built when first needed */
    const struct fz_prev_report *prev; /* last year's report of the unit, or NULL */
    int prev_given;          /* whether last year's reports were given at all */
    const struct fz_prev_index *prev_index; /* those reports (NULL: none) */
    int oom;
} fz_ctx;

/* Frees what the context computed for the report (masks, counts,
 * grams). */
void fz_ctx_release(fz_ctx *x);

/* Values a rule's message may use: {found} {missing} {value} {expected}
 * {count} {min}. */
enum { V_FOUND, V_MISSING, V_VALUE, V_EXPECTED, V_COUNT, V_MIN, V_COUNT_ };

/* The bytes [a, b) of paragraph para that an evidence's quote shows. */
typedef struct {
    size_t para, a, b;
} fz_quoted;

typedef struct {
    fz_status status;
    double ratio;            /* < 0: use the pack's share for partial */
    fz_buf detail;
    fz_evidence *evidence;
    size_t nevidence, cap;
    fz_quoted *quoted;       /* what each evidence's quote shows */
    size_t qcap;
    size_t max_evidence;     /* 0: FZ_MAX_EVIDENCE (coverage keeps one per group) */
    char *vars[V_COUNT_];
} fz_outcome;

/* The paragraphs a scope covers (computed once per report), or NULL when
 * memory runs out (x->oom set). */
const uint8_t *fz_scope_mask(fz_ctx *x, size_t scope);

/* 0 when re cannot match anywhere in paragraph p (it lacks the literals
 * every match holds: regex.h), so that running it can be skipped. */
int fz_may_match(fz_ctx *x, const fz_regex *re, size_t p);

/* 0 when no pattern of ps can match anywhere in the report (so that
 * fz_match_any finds nothing in any of its paragraphs): a loop over
 * paragraphs or sentences asks once instead of at each. */
int fz_patterns_live(fz_ctx *x, const fz_patterns *ps);

/* First match of any pattern in paragraph p, in bytes [from, to). Returns
 * 1 with the match's range, 0 when none. Patterns that cannot match the
 * paragraph are not run. */
int fz_match_any(fz_ctx *x, const fz_patterns *ps, size_t p, size_t from, size_t to,
                 size_t *ms, size_t *me);

/* First match of any pattern anywhere in the scope's paragraphs. */
int fz_find_in_scope(fz_ctx *x, const fz_patterns *ps, const uint8_t *mask, size_t *para,
                     size_t *ms, size_t *me);

/* The k-th count (number with a measure word) in sentence `sentence`:
 * what the k-th of the calls fz_regex_find(re, text, end, from, …) would
 * return, starting at the sentence's start and going on from each match's
 * end (one character on after an empty one), the subject ending at the
 * sentence's end. Every figures rule walks its sentences this way with a
 * count pattern built from the same units, so the matches are found once
 * per report and shared among patterns with the same source. A match
 * that failed (-1) is not kept: it is tried again, so that every rule
 * meeting it counts the failure. */
int fz_count_at(fz_ctx *x, fz_regex *re, size_t sentence, size_t k, size_t *ms, size_t *me);

/* Records a quote of paragraph para around [start, end) as evidence
 * (its original line, page and section). */
void fz_outcome_evidence(fz_ctx *x, fz_outcome *o, size_t para, size_t start, size_t end);

/* Sets a message value (copied). */
void fz_outcome_set(fz_ctx *x, fz_outcome *o, int var, const char *value);

/* Sets a message value from a buffer, freeing the buffer. */
void fz_outcome_set_buf(fz_ctx *x, fz_outcome *o, int var, fz_buf *b);

/* Appends to the outcome's plain-Chinese detail. */
void fz_outcome_detail(fz_ctx *x, fz_outcome *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The sentence holding byte `at` of paragraph p (an index into
 * doc->sentences). */
size_t fz_sentence_at(const fz_doc *d, size_t p, size_t at);

/* The clause holding byte `at` of paragraph p: between the nearest
 * ，；。！？ (or the sentence's ends) on either side; with items, the
 * items of a list (、) are clauses too. */
void fz_clause_at(const fz_doc *d, size_t p, size_t at, int items, size_t *a, size_t *b);

/* The label of the innermost section holding paragraph p ("二、……"),
 * malloc'd, or NULL outside any section (or out of memory: x->oom). */
char *fz_section_of(fz_ctx *x, size_t p);

/* Appends name to a "、"-separated list. */
void fz_join_name(fz_ctx *x, fz_buf *b, const char *name);

void fz_outcome_free(fz_outcome *o);

#endif
