/*
 * regex.c - see regex.h.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "normalize.h"
#include "util.h"

/* Enough for any sane pattern on a report; a pattern that needs more is
 * backtracking out of control. */
#define FZ_MATCH_LIMIT 5000000

struct fz_regex {
    fz_regex_head head; /* first: fz_regex_id reads it (regex.h) */
    char *source;       /* as written */
    char *label;        /* whose pattern it is, for messages */
    double spent;       /* seconds of matching under budget `generation` */
    unsigned long generation;
    int windowed;       /* searched a window of start positions at a time */
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    int jit_tried;      /* the JIT compile has been attempted */
    /* The literals every match holds (NULL: none known), worked out on the
     * first fz_regex_may_match from `folded`, which is then freed: a pack
     * compiles hundreds of patterns and one report asks about only some
     * of them, and working out the literals costs as much as compiling. */
    char *folded;       /* the folded pattern while pf is not worked out */
    int pf_done;
    fz_prefilter *pf;
};

static atomic_size_t compiled; /* regexes compiled so far */

/* Matches that hit a limit, in this thread. */
static _Thread_local unsigned long failures;

/* The JIT's default 32 KB stack overflows on ordinary lookaround patterns
 * over a long paragraph; 1 MB covers any report. */
#define FZ_JIT_STACK_MAX (1024 * 1024)

static fz_regex *compile(const char *folded, int watched, char **err);

/* Keeps the pattern as written beside its compiled form. */
static fz_regex *with_source(fz_regex *re, const char *pattern, char **err) {
    if (re && !(re->source = fz_strdup(pattern))) {
        fz_regex_free(re);
        fz_fail(err, FZ_ENOMEM);
        return NULL;
    }
    return re;
}

fz_regex *fz_regex_compile(const char *pattern, char **err) {
    char *folded = fz_normalize_pattern(pattern);
    if (!folded) {
        fz_fail(err, FZ_ENOMEM);
        return NULL;
    }
    fz_regex *re = compile(folded, 1, err);
    if (re) re->folded = folded;
    else free(folded);
    return with_source(re, pattern, err);
}

fz_regex *fz_regex_compile_raw(const char *pattern, char **err) {
    return with_source(compile(pattern, 0, err), pattern, err);
}

int fz_regex_set_label(fz_regex *re, const char *label) {
    free(re->label);
    re->label = label ? fz_strdup(label) : NULL;
    return label && !re->label ? -1 : 0;
}

const char *fz_regex_source(const fz_regex *re) {
    return re->source;
}

/* ---- budget ------------------------------------------------------------- */

static _Thread_local fz_regex_budget *budget;
static atomic_ulong generations; /* a new one per budget begun */

/* The coarse clock costs a few nanoseconds against some twenty for the
 * exact one, and a report makes thousands of matches; its few
 * milliseconds of resolution are nothing against a budget of seconds. */
#ifdef CLOCK_MONOTONIC_COARSE
#define BUDGET_CLOCK CLOCK_MONOTONIC_COARSE
#else
#define BUDGET_CLOCK CLOCK_MONOTONIC
#endif

static double now(void) {
    struct timespec ts;
    clock_gettime(BUDGET_CLOCK, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void fz_regex_budget_begin(fz_regex_budget *b, double seconds) {
    memset(b, 0, sizeof *b);
    b->limit = seconds;
    b->generation = atomic_fetch_add(&generations, 1) + 1;
    budget = b;
}

void fz_regex_budget_end(void) {
    budget = NULL;
}

const char *fz_regex_budget_label(const fz_regex_budget *b) {
    return b->worst ? b->worst->label : NULL;
}

const char *fz_regex_budget_source(const fz_regex_budget *b) {
    return b->worst ? b->worst->source : NULL;
}

/* Charges a match's time to the pattern and the budget. */
static void charge(fz_regex *re, double t) {
    fz_regex_budget *b = budget;
    if (re->generation != b->generation) {
        re->generation = b->generation;
        re->spent = 0;
    }
    re->spent += t;
    b->used += t;
    if (re->spent > b->worst_used) {
        b->worst_used = re->spent;
        b->worst = re;
    }
    if (b->limit > 0 && b->used > b->limit) b->exhausted = 1;
}

/* A match that backtracks badly is bounded by the match limit at each
 * start position, but a paragraph has thousands of them: one call could
 * take minutes. So a long subject is searched a window of start positions
 * at a time (PCRE2's offset limit: a match may start no further than the
 * window's end, and may still run past it, so the first match found is
 * the same), and the budget is looked at between windows. */
#define WINDOW 512

static pcre2_code *compile_code(const char *pattern, uint32_t extra, char **err) {
    int ec;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C | extra, &ec,
                                     &off, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        fz_fail(err, "第 %zu 个字节处：%s", (size_t)off, (const char *)msg);
    }
    return code;
}

static fz_regex *compile(const char *folded, int watched, char **err) {
    pcre2_code *code = compile_code(folded, watched ? PCRE2_USE_OFFSET_LIMIT : 0, err);
    if (!code) return NULL;
    fz_regex *re = calloc(1, sizeof *re);
    if (!re) goto oom;
    re->code = code;
    re->head.id = atomic_fetch_add(&compiled, 1) + 1; /* 1, 2, … in order of compiling */
    re->md = pcre2_match_data_create_from_pattern(code, NULL);
    re->mctx = pcre2_match_context_create(NULL);
    if (!re->md || !re->mctx) goto oom;
    pcre2_set_match_limit(re->mctx, FZ_MATCH_LIMIT);
    re->windowed = watched;
    return re;
oom:
    if (re) fz_regex_free(re);
    else pcre2_code_free(code);
    fz_fail(err, FZ_ENOMEM);
    return NULL;
}

/* JIT-compiles the pattern the first time it is run. Compiling it costs
 * some 90 000 instructions and a mapping of executable memory, and a pack
 * has hundreds of patterns of which one report runs only some: compiling
 * them all up front was a third of checking one report. Every match still
 * runs the JIT code (as before, when compiling had been done up front), so
 * the results, match limits included, are the same. JIT is an optimisation:
 * without it (unsupported CPU, no memory) the interpreter matches alike. */
static void jit(fz_regex *re) {
    re->jit_tried = 1;
    if (pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) != 0) return;
    re->jit_stack = pcre2_jit_stack_create(32 * 1024, FZ_JIT_STACK_MAX, NULL);
    if (re->jit_stack) pcre2_jit_stack_assign(re->mctx, NULL, re->jit_stack);
}

static int match(fz_regex *re, const char *s, size_t len, size_t from) {
    if (!re->jit_tried) jit(re);
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from, PCRE2_NO_UTF_CHECK, re->md, re->mctx);
    /* the JIT can run out of stack where the interpreter, which keeps its
     * backtracking on the heap, still finishes: try that before giving up */
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
        rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT,
                         re->md, re->mctx);
    return rc;
}

int fz_regex_find(fz_regex *re, const char *s, size_t len, size_t from,
                  size_t *mstart, size_t *mend) {
    if (from > len) return 0;
    if (budget && budget->exhausted) {
        failures++;
        return -1;
    }
    double t0 = budget ? now() : 0;
    int rc;
    if (!re->windowed || !budget || budget->limit <= 0 || len - from <= WINDOW) {
        if (re->windowed) pcre2_set_offset_limit(re->mctx, PCRE2_UNSET);
        rc = match(re, s, len, from);
    } else {
        for (size_t start = from;;) {
            size_t end = start + WINDOW;
            pcre2_set_offset_limit(re->mctx, end < len ? end : PCRE2_UNSET);
            rc = match(re, s, len, start);
            if (rc != PCRE2_ERROR_NOMATCH || end >= len) break;
            if (budget->used + (now() - t0) > budget->limit) {
                rc = PCRE2_ERROR_MATCHLIMIT;
                break;
            }
            /* the next window starts at the next character */
            for (start = end + 1; start < len && ((unsigned char)s[start] & 0xC0) == 0x80; start++) {}
            if (start >= len) break;
        }
    }
    if (budget) charge(re, now() - t0);
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

/* ---- risky shapes -------------------------------------------------------- */

/* One open group while scanning a pattern. */
typedef struct {
    size_t start;        /* just after the '(' (and any (?: … prefix) */
    int atomic;          /* (?> … ) or a lookaround: never backtracked into */
    int inner_unbounded; /* something inside repeats without bound */
    int overlap;         /* two of its alternatives, one the prefix of the other */
} group;

/* Length of the quantifier at p, 0 if none; *unbounded set for * + {n,}
 * that may backtrack (not possessive). */
static size_t quantifier(const char *p, int *unbounded) {
    size_t n = 0;
    *unbounded = 0;
    if (*p == '*' || *p == '+') {
        *unbounded = 1;
        n = 1;
    } else if (*p == '?') {
        n = 1;
    } else if (*p == '{') {
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9') q++;
        if (q == p + 1 && *q != ',') return 0;
        if (*q == ',') {
            q++;
            if (*q == '}') *unbounded = 1;
            while (*q >= '0' && *q <= '9') q++;
        }
        if (*q != '}') return 0;
        n = (size_t)(q - p) + 1;
    } else {
        return 0;
    }
    if (p[n] == '+') *unbounded = 0, n++; /* possessive: no backtracking */
    else if (p[n] == '?') n++;            /* lazy: still backtracks */
    return n;
}

/* Whether, among the top-level alternatives of p[a..b), one is a prefix of
 * another (a|aa), so that a repeat of the group can split text many ways. */
static int alternatives_overlap(const char *p, size_t a, size_t b) {
    size_t starts[64], ends[64], n = 0, depth = 0, from = a;
    for (size_t i = a; i < b && n < 63; i++) {
        if (p[i] == '\\' && i + 1 < b) {
            i++;
        } else if (p[i] == '(') {
            depth++;
        } else if (p[i] == ')') {
            depth--;
        } else if (p[i] == '|' && depth == 0) {
            starts[n] = from, ends[n++] = i;
            from = i + 1;
        }
    }
    starts[n] = from, ends[n++] = b;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            size_t li = ends[i] - starts[i], lj = ends[j] - starts[j];
            if (i != j && li > 0 && li <= lj && !memcmp(p + starts[i], p + starts[j], li) &&
                (li < lj || i < j))
                return 1;
        }
    return 0;
}

const char *fz_regex_risky(const char *p) {
    group stack[64];
    size_t depth = 0;
    for (size_t i = 0; p[i];) {
        char c = p[i];
        int unb;
        size_t q;
        if (c == '\\') {
            if (p[i + 1] == 'Q') { /* \Q…\E is literal */
                const char *e = strstr(p + i + 2, "\\E");
                i = e ? (size_t)(e - p) + 2 : strlen(p);
                continue;
            }
            i += p[i + 1] ? 2 : 1;
        } else if (c == '[') {
            size_t j = i + 1;
            if (p[j] == '^') j++;
            if (p[j] == ']') j++;
            while (p[j] && p[j] != ']') j += p[j] == '\\' && p[j + 1] ? 2 : 1;
            i = p[j] ? j + 1 : j;
        } else if (c == '(') {
            if (depth == sizeof stack / sizeof *stack) return NULL;
            group g = {i + 1, 0, 0, 0};
            if (p[i + 1] == '?') {
                g.atomic = p[i + 2] == '>' || p[i + 2] == '=' || p[i + 2] == '!' ||
                           (p[i + 2] == '<' && (p[i + 3] == '=' || p[i + 3] == '!'));
                if (p[i + 2] == ':') g.start = i + 3;
            }
            stack[depth++] = g;
            i++;
            continue;
        } else if (c == ')') {
            if (!depth) return NULL;
            group g = stack[--depth];
            g.overlap = alternatives_overlap(p, g.start, i);
            i++;
            q = quantifier(p + i, &unb);
            if (unb && !g.atomic && g.inner_unbounded)
                return "一个本身含有无上限重复（+、*）的分组又被无上限重复，如 (\\S+\\s*)+，"
                       "在不匹配的文字上会反复回溯";
            if (unb && !g.atomic && g.overlap)
                return "被无上限重复的分组中，一个选项是另一个的开头，如 (a|aa)+，"
                       "同一段文字可有极多种拆分，会反复回溯";
            if (depth && !g.atomic && (g.inner_unbounded || unb)) stack[depth - 1].inner_unbounded = 1;
            i += q;
            continue;
        } else {
            i++;
        }
        /* an atom just ended (a character, escape or class): its quantifier */
        q = quantifier(p + i, &unb);
        if (unb && depth) stack[depth - 1].inner_unbounded = 1;
        i += q;
    }
    return NULL;
}

unsigned long fz_regex_failure_total(void) {
    return failures;
}

size_t fz_regex_count(void) {
    return atomic_load(&compiled);
}

int fz_regex_may_match(const fz_regex *cre, const fz_grams *g) {
    if (!g->bits) return 1;
    /* the literals are a cache filled on first use: the regex itself was
     * not allocated const, so writing through it is defined */
    fz_regex *re = (fz_regex *)cre;
    if (!re->pf_done) {
        /* an optimisation only: without it (unknown shapes, no memory) the
         * pattern is always run */
        if (re->folded) re->pf = fz_prefilter_make(re->folded);
        free(re->folded);
        re->folded = NULL;
        re->pf_done = 1;
    }
    return !re->pf || fz_prefilter_pass(re->pf, g);
}

void fz_regex_free(fz_regex *re) {
    if (!re) return;
    fz_prefilter_free(re->pf);
    free(re->folded);
    pcre2_jit_stack_free(re->jit_stack);
    pcre2_match_data_free(re->md);
    pcre2_match_context_free(re->mctx);
    pcre2_code_free(re->code);
    free(re->source);
    free(re->label);
    free(re);
}

/* ---- a pattern as a person reads it ---------------------------------- */

/* Length of the quantifier at s (0 if none) and its minimum count. */
static size_t quant_min(const char *s, unsigned long *min, int *many) {
    size_t n = 0;
    *min = 1;
    *many = 0;
    if (*s == '?') *min = 0, n = 1;
    else if (*s == '*') *min = 0, *many = 1, n = 1;
    else if (*s == '+') *many = 1, n = 1;
    else if (*s == '{' && s[1] >= '0' && s[1] <= '9') {
        char *end;
        unsigned long lo = strtoul(s + 1, &end, 10), hi = lo;
        if (*end == ',') {
            if (end[1] == '}') hi = (unsigned long)-1, end++;
            else hi = strtoul(end + 1, &end, 10);
        }
        if (*end != '}') return 0;
        *min = lo;
        *many = hi > 1;
        n = (size_t)(end + 1 - s);
    }
    if (n && (s[n] == '?' || s[n] == '+')) n++; /* lazy, possessive */
    return n;
}

/* The end of the group opened at s[i] == '(' (its ')'), or of s. */
static size_t group_end(const char *s, size_t i) {
    int depth = 0;
    for (; s[i]; i++) {
        if (s[i] == '\\' && s[i + 1]) i++;
        else if (s[i] == '[') {
            i++;
            if (s[i] == '^') i++;
            if (s[i] == ']') i++;
            while (s[i] && s[i] != ']') i += s[i] == '\\' && s[i + 1] ? 2 : 1;
            if (!s[i]) return i;
        } else if (s[i] == '(') depth++;
        else if (s[i] == ')' && --depth == 0) return i;
    }
    return i;
}

/* Appends "…" for a gap, once. */
static void gap(fz_buf *b, int *bad) {
    if (b->len >= 3 && !memcmp(b->ptr + b->len - 3, "…", 3)) return;
    *bad |= fz_buf_puts(b, "…") < 0;
}

/* The first alternative of s[i..end) into b. */
static void readable_seq(const char *s, size_t i, size_t end, fz_buf *b, int *bad) {
    while (i < end && s[i] != '|') {
        size_t a = i, atom_end;
        int is_class = 0, skip = 0;
        if (s[i] == '\\') {
            char e = s[i + 1];
            if (e == 'p' || e == 'P') {
                i += 2;
                if (s[i] == '{') while (i < end && s[i] != '}') i++;
                atom_end = i + 1;
                is_class = 1;
            } else {
                is_class = e && strchr("dDsSwWhHvVRXN", e) != NULL;
                skip = e && strchr("bBAzZGK", e) != NULL;
                atom_end = i + (e ? 2 : 1);
            }
        } else if (s[i] == '[') {
            atom_end = i + 1;
            if (s[atom_end] == '^') atom_end++;
            if (s[atom_end] == ']') atom_end++;
            while (atom_end < end && s[atom_end] != ']')
                atom_end += s[atom_end] == '\\' && s[atom_end + 1] ? 2 : 1;
            atom_end++;
            is_class = 1;
        } else if (s[i] == '(') {
            atom_end = group_end(s, i) + 1;
            skip = s[i + 1] == '?' && (s[i + 2] == '=' || s[i + 2] == '!' ||
                                        (s[i + 2] == '<' && (s[i + 3] == '=' || s[i + 3] == '!')));
        } else if (s[i] == '.') {
            atom_end = i + 1;
            is_class = 1;
        } else if (s[i] == '^' || s[i] == '$') {
            atom_end = i + 1;
            skip = 1;
        } else {
            atom_end = i + 1;
            while (atom_end < end && ((unsigned char)s[atom_end] & 0xC0) == 0x80) atom_end++;
        }
        if (atom_end > end) atom_end = end;
        unsigned long min;
        int many;
        size_t q = quant_min(s + atom_end, &min, &many);
        i = atom_end + q;
        if (skip || (min == 0 && !is_class)) continue;
        if (is_class) {
            if (min > 0 || many) gap(b, bad);
        } else if (s[a] == '(') {
            size_t from = a + 1;
            if (s[from] == '?') from += s[from + 1] == ':' || s[from + 1] == '>' ? 2 : 1;
            readable_seq(s, from, atom_end - 1, b, bad);
        } else if (s[a] == '\\') {
            *bad |= fz_buf_append(b, s + a + 1, atom_end - a - 1) < 0;
        } else {
            *bad |= fz_buf_append(b, s + a, atom_end - a) < 0;
        }
    }
}

char *fz_regex_readable(const char *pattern) {
    fz_buf b = {0};
    int bad = 0;
    readable_seq(pattern, 0, strlen(pattern), &b, &bad);
    /* a gap at either end says nothing */
    while (!bad && b.len >= 3 && !memcmp(b.ptr, "…", 3)) memmove(b.ptr, b.ptr + 3, (b.len -= 3) + 1);
    if (!bad && b.len >= 3 && !memcmp(b.ptr + b.len - 3, "…", 3)) b.ptr[b.len -= 3] = '\0';
    if (bad || !b.len) {
        fz_buf_free(&b);
        return fz_strdup(pattern);
    }
    return fz_buf_steal(&b);
}
