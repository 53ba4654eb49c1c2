/*
 * regex.h - PCRE2 (UTF + UCP, JIT when available) behind a small API.
 *
 * Every pattern used for matching report text goes through here, so that
 * all of them are folded the same way as the text (fz_normalize_pattern)
 * and run with the same limits.
 */
#ifndef FZ_REGEX_H
#define FZ_REGEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct fz_regex fz_regex;

/* Compiles pattern (after folding it like the text). Returns NULL on
 * failure with a Chinese message in *err naming PCRE2's offset and
 * message, e.g. "第 3 个字节处：missing closing parenthesis". \C (which
 * could split a character) is refused. */
fz_regex *fz_regex_compile(const char *pattern, char **err);

/* Compiles pattern as written, without folding it (for JSON Schema
 * patterns, which apply to rule files rather than report text). */
fz_regex *fz_regex_compile_raw(const char *pattern, char **err);

/* Finds the first match in s[0..len) at or after byte `from`. Returns 1
 * and the match's byte range, 0 when there is none, -1 when matching
 * failed (a pattern that backtracks without end hits the match limit). */
int fz_regex_find(fz_regex *re, const char *s, size_t len, size_t from,
                  size_t *mstart, size_t *mend);

/* True when the pattern matches anywhere in s[0..len). */
int fz_regex_test(fz_regex *re, const char *s, size_t len);

/* Names the regex for messages, e.g. "规则“three-systems”" (copied). Returns
 * 0 or -1 (out of memory). */
int fz_regex_set_label(fz_regex *re, const char *label);

/* The pattern as written (before folding). */
const char *fz_regex_source(const fz_regex *re);

/* ---- a time budget for the matching of one report ----------------------
 *
 * PCRE2's match limit bounds one match; a pattern that backtracks badly
 * but stays under it on every paragraph can still take minutes over a
 * long report. A budget bounds the total: while one is active in a
 * thread, every match counts its time against it, and once it is spent
 * every further match fails at once (fz_regex_find returns -1). The
 * budget remembers which pattern used the most time, so that the message
 * can name the rule and the pattern to simplify. */
typedef struct {
    double limit;          /* seconds of matching allowed */
    double used;           /* seconds spent so far */
    int exhausted;
    const fz_regex *worst; /* the pattern that has used the most */
    double worst_used;
    unsigned long generation;
} fz_regex_budget;

/* Starts counting this thread's matches against b, with `seconds` to
 * spend (0: no limit, but the time is still counted). */
void fz_regex_budget_begin(fz_regex_budget *b, double seconds);

/* Stops counting (the budget keeps its figures). */
void fz_regex_budget_end(void);

/* The label and source of the pattern that used most of b, for a
 * message; NULL when no match was counted. */
const char *fz_regex_budget_label(const fz_regex_budget *b);
const char *fz_regex_budget_source(const fz_regex_budget *b);

/* Patterns whose shape can make PCRE2 backtrack without end: a group
 * holding an unbounded repeat, itself repeated without bound
 * ((\S+\s*)+), or a repeated group of alternatives where one is a prefix
 * of another ((a|aa)+). Returns a Chinese description of the first such
 * construct, or NULL. Heuristic: for warnings, not errors. */
const char *fz_regex_risky(const char *pattern);

/* How many matches have failed (hit the match or stack limit) so far in
 * this process: the engine compares the count before and after a rule to
 * tell the user that a result may be incomplete. */
unsigned long fz_regex_failure_total(void);

/* A pattern as a person reads it, for messages: its literal text, the
 * first alternative of each choice, optional parts and lookarounds left
 * out, gaps ([^。]{0,20}, \d+) shown as "…". "(?<!企业)主要负责(人|同志)"
 * reads "主要负责人". Malloc'd (the pattern itself when nothing is left);
 * NULL when memory runs out. */
char *fz_regex_readable(const char *pattern);

void fz_regex_free(fz_regex *re);

/* ---- skipping patterns that cannot match a text -----------------------
 *
 * A text's characters and pairs of neighbouring characters, hashed into a
 * bit set (regex_lit.c). A pattern compiled with fz_regex_compile knows
 * the literal strings any match of it must contain (one of 领导小组, or
 * one of 如/例如/比如/其中 and one of 办理/查处/…); when none of them can
 * be in the text, no match can be either, and running PCRE2 over it is
 * skipped. */
typedef struct {
    uint64_t *bits;
    uint32_t mask;  /* bits in the set, less one */
} fz_grams;

/* Builds g for s[0..len). Returns 0 or -1 (out of memory; g holds
 * nothing). */
int fz_grams_build(fz_grams *g, const char *s, size_t len);

/* An empty g sized for texts of len bytes in all. Returns 0 or -1. */
int fz_grams_init(fz_grams *g, size_t len);

/* Builds g for s[0..len) as fz_grams_build does, and adds the same grams
 * to `all` (when not NULL; made by fz_grams_init): `all` then holds the
 * grams of each text added to it, and fz_regex_may_match says 0 of it
 * only for a pattern that cannot match inside any of those texts. */
int fz_grams_build_into(fz_grams *g, fz_grams *all, const char *s, size_t len);
void fz_grams_free(fz_grams *g);

/* 0 when re cannot match anywhere inside the text g was built from (nor
 * in any part of it); 1 when it may. A pattern whose literals are not
 * known (compiled raw, or using a construct the reading does not know)
 * always may. */
int fz_regex_may_match(const fz_regex *re, const fz_grams *g);

/* What every fz_regex begins with (internal to regex.c, here so that
 * fz_regex_id costs no call: it is asked at every fz_may_match). */
typedef struct {
    size_t id;
} fz_regex_head;

/* A number naming re in this process (1 .. fz_regex_count()), for
 * callers that remember something per pattern. */
static inline size_t fz_regex_id(const fz_regex *re) {
    return ((const fz_regex_head *)(const void *)re)->id;
}
size_t fz_regex_count(void);

/* Internal to regex.c and regex_lit.c: a pattern's required literals. */
typedef struct fz_prefilter fz_prefilter;
fz_prefilter *fz_prefilter_make(const char *folded); /* NULL: none known */
int fz_prefilter_pass(const fz_prefilter *f, const fz_grams *g);
void fz_prefilter_free(fz_prefilter *f);

#endif
