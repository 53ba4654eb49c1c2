/*
 * regex_lit.c - the literals a regex's match must contain, and a quick
 * test that a text holds none of them (see fz_regex_may_match in
 * regex.h).
 *
 * Most patterns of a rule pack never match most paragraphs, yet PCRE2
 * still walks every start position of each to say so. Most patterns also
 * cannot match without some literal text: 领导小组 in
 * "(法治|依法治|依法行政)[^。]{0,12}领导小组", one of 如/例如/比如/其中 and one
 * of 办理/查处/… in a case pattern. The pattern is read once, at compile
 * time, for such sets ("every match contains one of these strings"); a
 * text's character pairs are hashed once into a bit set; a pattern one of
 * whose sets has no string whose pairs are all in the text cannot match
 * anywhere in it, and is not run.
 *
 * The reading is conservative: any construct it does not know (flags,
 * backreferences, recursion, conditionals, verbs, \K, most escapes) gives
 * no sets, and the pattern is always run. Lookarounds are zero-width: what
 * they hold is not consumed, so it is left out; what the match consumes
 * is exactly the concatenation of its literal characters and the text the
 * other atoms took, and lies inside the searched range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"
#include "utf8.h"
#include "util.h"

/* Strings in one set at most (alternatives, and their products). */
#define MAXSET 64
/* Sets kept per node: the most selective. */
#define MAXREQ 3

typedef struct {
    char **s;
    size_t n;
} strset;

/* What is known of the strings a part of the pattern matches. */
typedef struct {
    int exact_ok;        /* `exact` holds every string it can match */
    strset exact;
    strset req[MAXREQ];  /* every match contains one string of each */
    size_t nreq;
} lit;

typedef struct {
    const char *p;
    size_t i, len;
    int fail;            /* a construct not understood, or out of memory */
} parser;

/* ---- string sets ---------------------------------------------------- */

static void set_free(strset *s) {
    for (size_t i = 0; i < s->n; i++) free(s->s[i]);
    free(s->s);
    s->s = NULL;
    s->n = 0;
}

static void lit_free(lit *l) {
    set_free(&l->exact);
    for (size_t i = 0; i < l->nreq; i++) set_free(&l->req[i]);
    memset(l, 0, sizeof *l);
}

static int set_has(const strset *s, const char *str, size_t len) {
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->s[i]) == len && !memcmp(s->s[i], str, len)) return 1;
    return 0;
}

/* Adds a copy of str[0..len) unless present. Returns 0 or -1. */
static int set_add(strset *s, const char *str, size_t len) {
    if (set_has(s, str, len)) return 0;
    if (s->n >= MAXSET) return -1;
    char **v = realloc(s->s, (s->n + 1) * sizeof *v);
    if (!v) return -1;
    s->s = v;
    if (!(s->s[s->n] = fz_strndup(str, len))) return -1;
    s->n++;
    return 0;
}

static int set_union(strset *to, const strset *from) {
    for (size_t i = 0; i < from->n; i++)
        if (set_add(to, from->s[i], strlen(from->s[i])) < 0) return -1;
    return 0;
}

static int set_copy(strset *to, const strset *from) {
    memset(to, 0, sizeof *to);
    if (set_union(to, from) < 0) {
        set_free(to);
        return -1;
    }
    return 0;
}

/* Every a followed by every b. Returns 0 or -1 (too many, or memory). */
static int set_cross(strset *out, const strset *a, const strset *b) {
    memset(out, 0, sizeof *out);
    if (a->n * b->n > MAXSET) return -1;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++) {
            size_t la = strlen(a->s[i]), lb = strlen(b->s[j]);
            char *t = malloc(la + lb + 1);
            if (!t) goto fail;
            memcpy(t, a->s[i], la);
            memcpy(t + la, b->s[j], lb + 1);
            int rc = set_add(out, t, la + lb);
            free(t);
            if (rc < 0) goto fail;
        }
    return 0;
fail:
    set_free(out);
    return -1;
}

/* Appends s[0..n) to every string of set: the set crossed with {s}
 * (the strings stay distinct, and in order). Returns 0 or -1. */
static int set_append(strset *set, const char *s, size_t n) {
    for (size_t i = 0; i < set->n; i++) {
        size_t l = strlen(set->s[i]);
        char *t = realloc(set->s[i], l + n + 1);
        if (!t) return -1;
        memcpy(t + l, s, n);
        t[l + n] = '\0';
        set->s[i] = t;
    }
    return 0;
}

/* How selective a set is as a requirement: the fewest characters of any
 * of its strings (0 when one is empty: no requirement at all). */
static size_t set_score(const strset *s) {
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < s->n; i++) {
        size_t c = fz_utf8_count(s->s[i], strlen(s->s[i]));
        if (c < best) best = c;
    }
    return s->n ? best : 0;
}

/* Whether a is a better requirement than b. */
static int set_better(const strset *a, const strset *b) {
    size_t sa = set_score(a), sb = set_score(b);
    return sa != sb ? sa > sb : a->n < b->n;
}

/* Adds s to l's requirements, keeping the MAXREQ best: a copy, or s
 * itself when `take` (then s is emptied either way). Sets with an empty
 * string require nothing and are skipped. */
static int req_put(lit *l, strset *s, int take) {
    int kept = 0, rc = 0;
    if (set_score(s)) {
        kept = 1;
        for (size_t i = 0; i < l->nreq && kept; i++) {
            int same = l->req[i].n == s->n;
            for (size_t k = 0; same && k < s->n; k++) same = set_has(&l->req[i], s->s[k], strlen(s->s[k]));
            if (same) kept = 0;
        }
    }
    size_t at = l->nreq;
    if (kept && at == MAXREQ) {
        at = 0;
        for (size_t i = 1; i < l->nreq; i++)
            if (set_better(&l->req[at], &l->req[i])) at = i;
        if (!set_better(s, &l->req[at])) kept = 0;
        else set_free(&l->req[at]);
    } else if (kept) {
        l->nreq++;
    }
    /* on failure the slot is left empty: the caller gives up on the
     * pattern (an empty set would say "never matches") */
    if (kept && take) {
        l->req[at] = *s;
        memset(s, 0, sizeof *s);
    } else if (kept) {
        rc = set_copy(&l->req[at], s);
    }
    if (take) set_free(s);
    return rc;
}

static int req_add(lit *l, const strset *s) {
    return req_put(l, (strset *)s, 0);
}

/* The single best requirement of l (its exact set counts), or NULL. */
static const strset *best_req(const lit *l) {
    const strset *best = l->exact_ok && set_score(&l->exact) ? &l->exact : NULL;
    for (size_t i = 0; i < l->nreq; i++)
        if (!best || set_better(&l->req[i], best)) best = &l->req[i];
    return best;
}

/* ---- combining ------------------------------------------------------- */

static lit lit_exact(parser *P, const char *s, size_t len) {
    lit l = {0};
    l.exact_ok = 1;
    if (set_add(&l.exact, s, len) < 0) P->fail = 1;
    return l;
}

/* Anything (a class, ., \d): nothing known. */
static lit lit_any(void) {
    lit l = {0};
    return l;
}

/* Moves x's requirements (and its exact set, as one) into r; x is freed. */
static void absorb(parser *P, lit *r, lit *x) {
    if (x->exact_ok && req_add(r, &x->exact) < 0) P->fail = 1;
    for (size_t i = 0; i < x->nreq; i++)
        if (req_add(r, &x->req[i]) < 0) P->fail = 1;
    lit_free(x);
}

/* x or y (both freed). x's sets are taken over rather than copied: in
 * a|b|c|… x holds all the alternatives so far, and copying them at each
 * one made reading a long list of alternatives quadratic. */
static lit alternate(parser *P, lit *x, lit *y) {
    lit r = {0};
    const strset *bx = best_req(x), *by = best_req(y);
    if (bx && by) {
        strset u;
        if (set_copy(&u, bx) == 0) {
            if (set_union(&u, by) == 0) {
                if (req_put(&r, &u, 1) < 0) P->fail = 1;
            } else {
                set_free(&u);
            }
        }
    }
    if (x->exact_ok && y->exact_ok) {
        r.exact = x->exact;
        memset(&x->exact, 0, sizeof x->exact);
        r.exact_ok = set_union(&r.exact, &y->exact) == 0;
        if (!r.exact_ok) set_free(&r.exact);
    }
    lit_free(x);
    lit_free(y);
    return r;
}

/* x repeated min..max times (max 0: no bound); x is freed. */
static lit repeat(parser *P, lit *x, unsigned long min, unsigned long max) {
    lit r = {0};
    if (min == 1 && max == 1) return *x;
    if (min == 0) {
        /* (的)? is "" or 的 */
        if (max == 1 && x->exact_ok && set_copy(&r.exact, &x->exact) == 0) {
            r.exact_ok = set_add(&r.exact, "", 0) == 0;
            if (!r.exact_ok) set_free(&r.exact);
        }
        lit_free(x);
        return r;
    }
    /* at least once: whatever one time requires, all of them do */
    absorb(P, &r, x);
    return r;
}

/* ---- reading the pattern ---------------------------------------------- */

static lit parse_alt(parser *P);

static int peek(const parser *P, size_t k) {
    return P->i + k < P->len ? (unsigned char)P->p[P->i + k] : -1;
}

static int is_digit(int c) {
    return c >= '0' && c <= '9';
}

/* A decimal number at the cursor; 0 digits: returns 0 with *ok 0. */
static unsigned long number(parser *P, int *ok) {
    unsigned long n = 0;
    *ok = 0;
    while (is_digit(peek(P, 0))) {
        n = n * 10 + (unsigned long)(peek(P, 0) - '0');
        if (n > 100000) P->fail = 1;
        P->i++;
        *ok = 1;
    }
    return n;
}

/* A quantifier at the cursor, if any: sets min and max (0: no bound). */
static int quantifier(parser *P, unsigned long *min, unsigned long *max) {
    int c = peek(P, 0), ok;
    if (c == '*' || c == '+' || c == '?') {
        *min = c == '+';
        *max = c == '?';
        P->i++;
    } else if (c == '{') {
        size_t save = P->i++;
        *min = number(P, &ok);
        *max = *min;
        if (ok && peek(P, 0) == ',') {
            P->i++;
            *max = number(P, &ok);
            if (!ok) *max = 0;
            else if (*max < *min) P->fail = 1;
            ok = 1;
        }
        if (!ok || peek(P, 0) != '}') {
            /* not a quantifier: PCRE2 takes { literally; give up */
            P->i = save;
            P->fail = 1;
            return 0;
        }
        P->i++;
    } else {
        return 0;
    }
    if (peek(P, 0) == '+' || peek(P, 0) == '?') P->i++; /* possessive, lazy */
    return 1;
}

/* A character class [ … ]: some one character. */
static lit parse_class(parser *P) {
    P->i++;
    if (peek(P, 0) == '^') P->i++;
    if (peek(P, 0) == ']') P->i++;
    while (peek(P, 0) >= 0 && peek(P, 0) != ']') {
        if (peek(P, 0) == '\\') {
            if (peek(P, 1) == 'Q' || peek(P, 1) == 'E') P->fail = 1;
            P->i += 2;
        } else if (peek(P, 0) == '[' && peek(P, 1) == ':') {
            const char *e = strstr(P->p + P->i + 2, ":]");
            if (!e) {
                P->fail = 1;
                return lit_any();
            }
            P->i = (size_t)(e - P->p) + 2;
        } else {
            P->i++;
        }
    }
    if (peek(P, 0) != ']') P->fail = 1;
    P->i++;
    return lit_any();
}

/* \Q…\E: literal text. */
static lit parse_quoted(parser *P) {
    P->i += 2;
    const char *e = strstr(P->p + P->i, "\\E");
    size_t end = e ? (size_t)(e - P->p) : P->len;
    lit l = lit_exact(P, P->p + P->i, end - P->i);
    P->i = e ? end + 2 : end;
    return l;
}

static lit parse_escape(parser *P) {
    int e = peek(P, 1);
    if (e < 0) {
        P->fail = 1;
        return lit_any();
    }
    if (e == 'Q') return parse_quoted(P);
    if (e == 'p' || e == 'P') {
        P->i += 2;
        if (peek(P, 0) == '{') {
            const char *c = memchr(P->p + P->i, '}', P->len - P->i);
            if (!c) P->fail = 1;
            P->i = c ? (size_t)(c - P->p) + 1 : P->len;
        } else {
            P->i++;
        }
        return lit_any();
    }
    P->i += 2;
    if (strchr("dDsSwWhHvVNRX", e)) return lit_any();
    if (strchr("bBAzZG", e)) return lit_exact(P, "", 0); /* zero-width */
    if (e < 0x80 && ((e | 0x20) >= 'a' && (e | 0x20) <= 'z')) {
        P->fail = 1; /* \K, \x{…}, \g, \k, \n …: not read */
        return lit_any();
    }
    if (is_digit(e)) {
        P->fail = 1; /* a backreference */
        return lit_any();
    }
    /* an escaped punctuation mark (or a non-ASCII character) is itself */
    size_t start = P->i - 1;
    while (P->i < P->len && ((unsigned char)P->p[P->i] & 0xC0) == 0x80) P->i++;
    return lit_exact(P, P->p + start, P->i - start);
}

/* ( … ): a group, or a lookaround (zero-width: its contents are left out). */
static lit parse_group(parser *P) {
    int look = 0;
    P->i++;
    if (peek(P, 0) == '*') P->fail = 1; /* (*VERB) */
    if (peek(P, 0) == '?') {
        int c = peek(P, 1), d = peek(P, 2);
        if (c == ':' || c == '>' || c == '|') {
            P->i += 2;
        } else if (c == '=' || c == '!') {
            look = 1, P->i += 2;
        } else if (c == '<' && (d == '=' || d == '!')) {
            look = 1, P->i += 3;
        } else if ((c == '<' || c == '\'') || (c == 'P' && d == '<')) {
            /* a named group */
            size_t from = P->i + (c == 'P' ? 3 : 2);
            const char *e = from < P->len ? memchr(P->p + from, c == '\'' ? '\'' : '>', P->len - from) : NULL;
            if (!e) {
                P->fail = 1;
                return lit_any();
            }
            P->i = (size_t)(e - P->p) + 1;
        } else {
            P->fail = 1; /* flags, comments, conditionals, recursion */
            return lit_any();
        }
    }
    lit inner = parse_alt(P);
    if (peek(P, 0) != ')') P->fail = 1;
    P->i++;
    if (look) {
        lit_free(&inner);
        return lit_exact(P, "", 0);
    }
    return inner;
}

static lit parse_atom(parser *P) {
    int c = peek(P, 0);
    if (c == '(') return parse_group(P);
    if (c == '[') return parse_class(P);
    if (c == '\\') return parse_escape(P);
    if (c == '.') {
        P->i++;
        return lit_any();
    }
    if (c == '^' || c == '$') {
        P->i++;
        return lit_exact(P, "", 0);
    }
    if (c == '*' || c == '+' || c == '?' || c == '{') {
        P->fail = 1;
        P->i++;
        return lit_any();
    }
    size_t start = P->i++;
    while (P->i < P->len && ((unsigned char)P->p[P->i] & 0xC0) == 0x80) P->i++;
    return lit_exact(P, P->p + start, P->i - start);
}

/* A sequence: neighbouring exact parts join into longer strings (the
 * run: 法治 then (政府)? then 建设 is 法治建设 or 法治政府建设); a part that is
 * not exact ends the run, which becomes a requirement. */
static lit parse_seq(parser *P) {
    lit acc = {0}, run = lit_exact(P, "", 0);
    int exact = 1;
    while (!P->fail && P->i < P->len && peek(P, 0) != '|' && peek(P, 0) != ')') {
        /* Plain characters without a quantifier join the run as they are,
         * as parse_atom and set_cross would join them one at a time (a set
         * crossed with one string never has too many), without a set and
         * a copy of every string per character: that was most of the cost
         * of reading a pattern. */
        size_t j = P->i;
        while (j < P->len && !strchr("([\\.^$*+?{|)", P->p[j])) j++;
        if (j < P->len && strchr("*+?{", P->p[j]))
            while (j > P->i && ((unsigned char)P->p[--j] & 0xC0) == 0x80) {}
        if (j > P->i) {
            if (set_append(&run.exact, P->p + P->i, j - P->i) < 0) P->fail = 1;
            P->i = j;
            continue;
        }
        lit a = parse_atom(P);
        unsigned long min, max;
        if (quantifier(P, &min, &max)) a = repeat(P, &a, min, max);
        strset joined;
        if (a.exact_ok && set_cross(&joined, &run.exact, &a.exact) == 0) {
            set_free(&run.exact);
            run.exact = joined;
            a.exact_ok = 0; /* its strings are in the run now */
            absorb(P, &acc, &a);
            continue;
        }
        exact = 0;
        absorb(P, &acc, &run);
        if (a.exact_ok) {
            run = a; /* too many strings joined: a new run */
        } else {
            absorb(P, &acc, &a);
            run = lit_exact(P, "", 0);
        }
    }
    if (exact) {
        lit_free(&acc);
        return run;
    }
    absorb(P, &acc, &run);
    return acc;
}

static lit parse_alt(parser *P) {
    lit acc = parse_seq(P);
    while (!P->fail && peek(P, 0) == '|') {
        P->i++;
        lit b = parse_seq(P);
        acc = alternate(P, &acc, &b);
    }
    return acc;
}

/* ---- gram hashes ---------------------------------------------------- */

/* A character and a pair of neighbouring characters, hashed. */
static uint32_t hash1(uint32_t c) {
    return c * 0x9E3779B1u;
}

static uint32_t hash2(uint32_t a, uint32_t b) {
    return (a * 0x85EBCA77u) ^ (b * 0x9E3779B1u) ^ 0x27D4EB2Fu;
}

static uint32_t mix(uint32_t h) {
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    return h;
}

static inline uint32_t next_cp(const char *s, size_t len, size_t *i) {
    uint32_t cp;
    int n = fz_utf8_decode(s + *i, len - *i, &cp);
    *i += n < 0 ? 1 : (size_t)n;
    return cp;
}

/* The hashes that must all be in a text holding s: its one character, or
 * each pair of neighbours (mixed: a text's bit is the mixed hash under
 * its mask). */
static int lit_hashes(const char *s, uint32_t **h, size_t *n, size_t *cap) {
    size_t len = strlen(s), i = 0;
    uint32_t prev = next_cp(s, len, &i);
    if (i >= len) {
        if (fz_grow(h, cap, *n + 1, sizeof **h) < 0) return -1;
        (*h)[(*n)++] = mix(hash1(prev));
        return 0;
    }
    while (i < len) {
        uint32_t c = next_cp(s, len, &i);
        if (fz_grow(h, cap, *n + 1, sizeof **h) < 0) return -1;
        (*h)[(*n)++] = mix(hash2(prev, c));
        prev = c;
    }
    return 0;
}

struct fz_prefilter {
    size_t nsets;
    size_t *set_end;  /* per set: the end of its literals in lit_end */
    size_t *lit_end;  /* per literal: the end of its hashes in hash */
    uint32_t *hash;   /* mixed */
};

void fz_prefilter_free(fz_prefilter *f) {
    if (!f) return;
    free(f->set_end);
    free(f->lit_end);
    free(f->hash);
    free(f);
}

static fz_prefilter *flatten(const strset *sets, size_t n) {
    fz_prefilter *f = calloc(1, sizeof *f);
    size_t nlit = 0, nh = 0, hcap = 0;
    for (size_t s = 0; s < n; s++) nlit += sets[s].n;
    if (!f || !(f->set_end = malloc(n * sizeof *f->set_end)) ||
        !(f->lit_end = malloc(nlit * sizeof *f->lit_end)))
        goto oom;
    nlit = 0;
    for (size_t s = 0; s < n; s++) {
        for (size_t k = 0; k < sets[s].n; k++) {
            if (lit_hashes(sets[s].s[k], &f->hash, &nh, &hcap) < 0) goto oom;
            f->lit_end[nlit++] = nh;
        }
        f->set_end[s] = nlit;
    }
    f->nsets = n;
    return f;
oom:
    fz_prefilter_free(f);
    return NULL;
}

fz_prefilter *fz_prefilter_make(const char *folded) {
    parser P = {folded, 0, strlen(folded), 0};
    lit l = parse_alt(&P);
    if (P.i < P.len) P.fail = 1; /* an unbalanced ')' */
    fz_prefilter *f = NULL;
    if (!P.fail) {
        if (l.exact_ok && req_add(&l, &l.exact) < 0) P.fail = 1;
        /* every set must pass: the one with fewest strings is the quickest
         * to find wanting, and is tried first */
        for (size_t i = 1; i < l.nreq; i++)
            for (size_t j = i; j > 0 && l.req[j].n < l.req[j - 1].n; j--) {
                strset t = l.req[j];
                l.req[j] = l.req[j - 1];
                l.req[j - 1] = t;
            }
        if (!P.fail && l.nreq) f = flatten(l.req, l.nreq);
    }
    lit_free(&l);
    return f;
}

int fz_prefilter_pass(const fz_prefilter *f, const fz_grams *g) {
    const uint64_t *bits = g->bits;
    const uint32_t mask = g->mask, *hash = f->hash;
    size_t l = 0, h = 0;
    for (size_t s = 0; s < f->nsets; s++) {
        /* some literal of the set with all its hashes in the text */
        size_t lend = f->set_end[s];
        for (; l < lend; l++) {
            size_t hend = f->lit_end[l];
            for (; h < hend; h++) {
                uint32_t b = hash[h] & mask;
                if (!((bits[b >> 6] >> (b & 63)) & 1)) break;
            }
            if (h == hend) break;
            h = hend;
        }
        if (l == lend) return 0;
        /* on to the next set's first literal */
        l = lend;
        h = f->lit_end[l - 1];
    }
    return 1;
}

/* ---- a text's grams --------------------------------------------------- */

/* Sets the bit of a mixed hash in a set of `mask` + 1 bits. */
static inline void set_bit(uint64_t *bits, uint32_t mask, uint32_t m) {
    uint32_t b = m & mask;
    bits[b >> 6] |= (uint64_t)1 << (b & 63);
}

int fz_grams_init(fz_grams *g, size_t len) {
    /* some 8 bits per byte keeps the set sparse (a character and a pair
     * per character): few false "maybe"s */
    size_t bits = 512;
    while (bits < len * 8 && bits < ((size_t)1 << 22)) bits *= 2;
    g->mask = (uint32_t)(bits - 1);
    g->bits = calloc(bits / 64, sizeof *g->bits);
    return g->bits ? 0 : -1;
}

int fz_grams_build_into(fz_grams *g, fz_grams *all, const char *s, size_t len) {
    if (fz_grams_init(g, len) < 0) return -1;
    /* `all` is set alike, bit for bit under its own mask; a text without
     * one sets the text's own bits twice */
    uint64_t *bits = g->bits, *abits = all ? all->bits : g->bits;
    uint32_t mask = g->mask, amask = all ? all->mask : g->mask;
    size_t i = 0;
    uint32_t prev = 0;
    for (int first = 1; i < len; first = 0) {
        uint32_t c = next_cp(s, len, &i), m = mix(hash1(c));
        set_bit(bits, mask, m);
        set_bit(abits, amask, m);
        if (!first) {
            m = mix(hash2(prev, c));
            set_bit(bits, mask, m);
            set_bit(abits, amask, m);
        }
        prev = c;
    }
    return 0;
}

int fz_grams_build(fz_grams *g, const char *s, size_t len) {
    return fz_grams_build_into(g, NULL, s, len);
}

void fz_grams_free(fz_grams *g) {
    free(g->bits);
    g->bits = NULL;
}
