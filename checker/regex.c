/*
 * regex.c - see regex.h.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdlib.h>

#include "normalize.h"
#include "util.h"

/* Enough for any sane pattern on a report; a pattern that needs more is
 * backtracking out of control. */
#define FZ_MATCH_LIMIT 5000000

struct fz_regex {
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
};

/* Matches that hit a limit, over the whole run (single-threaded). */
static unsigned long failures;

/* The JIT's default 32 KB stack overflows on ordinary lookaround patterns
 * over a long paragraph; 1 MB covers any report. */
#define FZ_JIT_STACK_MAX (1024 * 1024)

static fz_regex *compile(const char *folded, char **err);

fz_regex *fz_regex_compile(const char *pattern, char **err) {
    char *folded = fz_normalize_pattern(pattern);
    if (!folded) {
        fz_fail(err, FZ_ENOMEM);
        return NULL;
    }
    fz_regex *re = compile(folded, err);
    free(folded);
    return re;
}

fz_regex *fz_regex_compile_raw(const char *pattern, char **err) {
    return compile(pattern, err);
}

static fz_regex *compile(const char *folded, char **err) {
    int ec;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)folded, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C, &ec,
                                     &off, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        fz_fail(err, "第 %zu 个字节处：%s", (size_t)off, (const char *)msg);
        return NULL;
    }
    /* JIT is an optimisation: without it (unsupported CPU) matching still
     * works through the interpreter. */
    (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    fz_regex *re = calloc(1, sizeof *re);
    if (!re) goto oom;
    re->code = code;
    re->md = pcre2_match_data_create_from_pattern(code, NULL);
    re->mctx = pcre2_match_context_create(NULL);
    if (!re->md || !re->mctx) goto oom;
    pcre2_set_match_limit(re->mctx, FZ_MATCH_LIMIT);
    re->jit_stack = pcre2_jit_stack_create(32 * 1024, FZ_JIT_STACK_MAX, NULL);
    if (re->jit_stack) pcre2_jit_stack_assign(re->mctx, NULL, re->jit_stack);
    return re;
oom:
    if (re) fz_regex_free(re);
    else pcre2_code_free(code);
    fz_fail(err, FZ_ENOMEM);
    return NULL;
}

int fz_regex_find(fz_regex *re, const char *s, size_t len, size_t from,
                  size_t *mstart, size_t *mend) {
    if (from > len) return 0;
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from, PCRE2_NO_UTF_CHECK,
                         re->md, re->mctx);
    /* the JIT can run out of stack where the interpreter, which keeps its
     * backtracking on the heap, still finishes: try that before giving up */
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
        rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from,
                         PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, re->md, re->mctx);
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc < 0) {
        failures++;
        return -1;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
    *mstart = ov[0];
    *mend = ov[1];
    return 1;
}

int fz_regex_test(fz_regex *re, const char *s, size_t len) {
    size_t a, b;
    return fz_regex_find(re, s, len, 0, &a, &b) == 1;
}

unsigned long fz_regex_failure_total(void) {
    return failures;
}

void fz_regex_free(fz_regex *re) {
    if (!re) return;
    pcre2_jit_stack_free(re->jit_stack);
    pcre2_match_data_free(re->md);
    pcre2_match_context_free(re->mctx);
    pcre2_code_free(re->code);
    free(re);
}
