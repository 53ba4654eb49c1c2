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

#endif
