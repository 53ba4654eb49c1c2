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

/* How many matches have failed (hit the match or stack limit) so far in
 * this process: the engine compares the count before and after a rule to
 * tell the user that a result may be incomplete. */
unsigned long fz_regex_failure_total(void);

void fz_regex_free(fz_regex *re);

#endif
