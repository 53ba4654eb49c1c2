/*
 * evalctx.c - see evalctx.h.
 */
#include "evalctx.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Marks the paragraphs of every section whose roles meet `bits`. */
static void mark_roles(fz_ctx *x, uint8_t *mask, uint32_t bits, uint8_t value) {
    const fz_doc *d = x->doc;
    for (size_t s = 0; s < d->nsections; s++)
        if (x->roles[s] & bits)
            for (size_t p = d->sections[s].para; p < d->sections[s].end_para; p++)
                mask[p] = value;
}

const uint8_t *fz_scope_mask(fz_ctx *x, size_t scope) {
    if (x->masks[scope]) return x->masks[scope];
    const fz_scope *sc = &x->pack->scopes[scope];
    size_t n = x->doc->norm.n;
    uint8_t *m = calloc(n ? n : 1, 1);
    if (!m) {
        x->oom = 1;
        return NULL;
    }
    switch (sc->base) {
    case FZ_SCOPE_DOCUMENT:
        memset(m, 1, n);
        break;
    case FZ_SCOPE_HEADER:
        memset(m, 1, x->doc->header_end < n ? x->doc->header_end : n);
        break;
    case FZ_SCOPE_ROLES:
        mark_roles(x, m, sc->include, 1);
        break;
    }
    mark_roles(x, m, sc->exclude, 0);
    if (sc->exclude_header)
        memset(m, 0, x->doc->header_end < n ? x->doc->header_end : n);
    x->masks[scope] = m;
    return m;
}

/* The grams of every paragraph and of the whole report, and per pattern
 * what fz_regex_may_match said of them: a pattern is asked about the same
 * paragraph many times (once per sentence, per item, per match found),
 * and the answer is always the same. Most patterns a report is asked
 * about cannot match anywhere in it: the report's grams say so once, for
 * all its paragraphs. */
struct fz_para_filter {
    fz_grams all;    /* every paragraph's grams */
    fz_grams *para;  /* per paragraph */
    uint8_t *said;   /* per pattern id, a row: the report, then each
                        paragraph; 0 not asked, 1 may, 2 cannot */
    size_t ids;      /* ids `said` has rows for */
    size_t row;      /* paragraphs + 1 */
    int failed;      /* out of memory: every pattern is run */
};

static void filter_free(fz_para_filter *f, size_t n) {
    fz_grams_free(&f->all);
    for (size_t p = 0; f->para && p < n; p++) fz_grams_free(&f->para[p]);
    free(f->para);
    free(f->said);
    free(f);
}

/* Builds the filter when first asked for; NULL when memory runs out. */
static fz_para_filter *filter_make(fz_ctx *x) {
    const fz_norm *nm = &x->doc->norm;
    size_t n = nm->n, total = 0;
    fz_para_filter *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    for (size_t p = 0; p < n; p++) total += nm->paras[p].len;
    f->ids = fz_regex_count() + 1;
    f->row = n + 1;
    if (f->ids > SIZE_MAX / f->row || !(f->para = calloc(n ? n : 1, sizeof *f->para)) ||
        !(f->said = calloc(f->ids * f->row, 1)) || fz_grams_init(&f->all, total) < 0)
        goto oom;
    for (size_t p = 0; p < n; p++)
        if (fz_grams_build_into(&f->para[p], &f->all, nm->paras[p].text, nm->paras[p].len) < 0)
            goto oom;
    return f;
oom:
    filter_free(f, n);
    return NULL;
}

static fz_para_filter *filter_of(fz_ctx *x) {
    if (!x->filters) {
        x->filters = filter_make(x);
        /* out of memory: a filter that lets every pattern run, so that
         * making one is not tried again at every question */
        if (!x->filters && (x->filters = calloc(1, sizeof *x->filters))) x->filters->failed = 1;
    }
    return x->filters && !x->filters->failed ? x->filters : NULL;
}

/* What fz_may_match says of pattern re in paragraph p, with f built. */
static inline int filter_may(fz_para_filter *f, const fz_regex *re, size_t p) {
    size_t id = fz_regex_id(re);
    if (id >= f->ids)
        return fz_regex_may_match(re, &f->all) && fz_regex_may_match(re, &f->para[p]);
    uint8_t *row = f->said + id * f->row;
    if (!row[0]) row[0] = fz_regex_may_match(re, &f->all) ? 1 : 2;
    if (row[0] == 2) return 0;
    uint8_t *said = &row[1 + p];
    if (!*said) *said = fz_regex_may_match(re, &f->para[p]) ? 1 : 2;
    return *said == 1;
}

int fz_may_match(fz_ctx *x, const fz_regex *re, size_t p) {
    /* without memory for the filter, every pattern is simply run */
    fz_para_filter *f = filter_of(x);
    return f ? filter_may(f, re, p) : 1;
}

int fz_patterns_live(fz_ctx *x, const fz_patterns *ps) {
    fz_para_filter *f = filter_of(x);
    if (!f) return ps->n > 0;
    for (size_t i = 0; i < ps->n; i++) {
        size_t id = fz_regex_id(ps->v[i].re);
        if (id >= f->ids) return 1;
        uint8_t *row = f->said + id * f->row;
        if (!row[0]) row[0] = fz_regex_may_match(ps->v[i].re, &f->all) ? 1 : 2;
        if (row[0] == 1) return 1;
    }
    return 0;
}

int fz_match_any(fz_ctx *x, const fz_patterns *ps, size_t p, size_t from, size_t to,
                 size_t *ms, size_t *me) {
    const fz_para *para = &x->doc->norm.paras[p];
    fz_para_filter *f = filter_of(x);
    int best = 0;
    for (size_t i = 0; i < ps->n; i++) {
        size_t a, b;
        if (f && !filter_may(f, ps->v[i].re, p)) continue;
        if (fz_regex_find(ps->v[i].re, para->text, to, from, &a, &b) == 1 &&
            (!best || a < *ms)) {
            *ms = a;
            *me = b;
            best = 1;
        }
    }
    return best;
}

/* ---- counts shared among figures rules ------------------------------ */

/* The counts of one sentence found so far. */
typedef struct {
    size_t *v;     /* start, end of each match, in order */
    size_t n, cap; /* matches; cap in size_t */
    int ended;     /* the next call finds nothing */
} sentence_counts;

/* The counts under one count pattern, by its source. */
typedef struct {
    const char *source;
    sentence_counts *s; /* one per sentence */
} count_group;

typedef struct {
    const fz_regex *re;
    size_t group;
} count_alias;

struct fz_counts {
    count_group *g;
    size_t n, cap;
    count_alias *alias; /* which group each compiled pattern belongs to */
    size_t nalias, acap;
};

/* The group of re's source, made when first asked for; SIZE_MAX when
 * memory runs out. */
static size_t count_group_of(fz_ctx *x, const fz_regex *re) {
    if (!x->counts && !(x->counts = calloc(1, sizeof *x->counts))) return SIZE_MAX;
    fz_counts *c = x->counts;
    for (size_t i = 0; i < c->nalias; i++)
        if (c->alias[i].re == re) return c->alias[i].group;
    const char *src = fz_regex_source(re);
    size_t g = 0;
    while (g < c->n && strcmp(c->g[g].source, src)) g++;
    if (g == c->n) {
        sentence_counts *s = calloc(x->doc->nsentences ? x->doc->nsentences : 1, sizeof *s);
        if (!s || fz_grow(&c->g, &c->cap, c->n + 1, sizeof *c->g) < 0) {
            free(s);
            return SIZE_MAX;
        }
        c->g[c->n++] = (count_group){src, s};
    }
    if (fz_grow(&c->alias, &c->acap, c->nalias + 1, sizeof *c->alias) < 0) return SIZE_MAX;
    c->alias[c->nalias++] = (count_alias){re, g};
    return g;
}

/* Finds the sentence's next count into sc. Returns 1, 0 (no more) or -1
 * (the match failed; nothing kept). */
static int next_count(fz_ctx *x, fz_regex *re, const fz_sentence *st, sentence_counts *sc) {
    size_t from = st->start, a, b;
    if (sc->n) {
        size_t pa = sc->v[2 * sc->n - 2], pb = sc->v[2 * sc->n - 1];
        from = pb > pa ? pb : pa + 1;
    }
    int rc = from < st->end && fz_may_match(x, re, st->para) ? fz_regex_find(re, x->doc->norm.paras[st->para].text, st->end, from, &a, &b) : 0;
    if (rc == 0) sc->ended = 1;
    if (rc != 1) return rc;
    if (fz_grow(&sc->v, &sc->cap, 2 * sc->n + 2, sizeof *sc->v) < 0) {
        x->oom = 1;
        return 0;
    }
    sc->v[2 * sc->n] = a;
    sc->v[2 * sc->n + 1] = b;
    sc->n++;
    return 1;
}

int fz_count_at(fz_ctx *x, fz_regex *re, size_t sentence, size_t k, size_t *ms, size_t *me) {
    size_t g = count_group_of(x, re);
    if (g == SIZE_MAX) {
        x->oom = 1;
        return 0;
    }
    sentence_counts *sc = &x->counts->g[g].s[sentence];
    while (sc->n <= k && !sc->ended) {
        int rc = next_count(x, re, &x->doc->sentences[sentence], sc);
        if (rc < 0) return -1;
        if (rc == 0 && !sc->ended) return 0; /* out of memory */
    }
    if (k >= sc->n) return 0;
    *ms = sc->v[2 * k];
    *me = sc->v[2 * k + 1];
    return 1;
}

static void counts_free(fz_ctx *x) {
    fz_counts *c = x->counts;
    if (!c) return;
    for (size_t g = 0; g < c->n; g++) {
        for (size_t i = 0; i < x->doc->nsentences; i++) free(c->g[g].s[i].v);
        free(c->g[g].s);
    }
    free(c->g);
    free(c->alias);
    free(c);
    x->counts = NULL;
}

void fz_ctx_release(fz_ctx *x) {
    for (size_t i = 0; x->masks && i < x->pack->nscopes; i++) free(x->masks[i]);
    free(x->masks);
    x->masks = NULL;
    counts_free(x);
    if (x->filters) filter_free(x->filters, x->doc->norm.n);
    x->filters = NULL;
}

/* ---- outcomes ---------------------------------------------------------- */

void fz_outcome_set(fz_ctx *x, fz_outcome *o, int var, const char *value) {
    free(o->vars[var]);
    o->vars[var] = fz_strdup(value);
    if (!o->vars[var]) x->oom = 1;
}

void fz_outcome_detail(fz_ctx *x, fz_outcome *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (fz_buf_vprintf(&o->detail, fmt, ap) < 0) x->oom = 1;
    va_end(ap);
}

/* A quote around s[start..end): the sentence holding it, cut to about 40
 * characters before and 60 after the match when the sentence is long. */
static char *make_quote(const fz_doc *d, size_t para, size_t start, size_t end, fz_quoted *shown) {
    const fz_para *p = &d->norm.paras[para];
    size_t a = 0, b = p->len;
    for (size_t s = d->para_sentence[para]; s < d->nsentences && d->sentences[s].para == para; s++)
        if (d->sentences[s].start <= start && start < d->sentences[s].end) {
            a = d->sentences[s].start;
            b = d->sentences[s].end;
            if (end > b) b = end < p->len ? end : p->len;
            break;
        }
    enum { BEFORE = 40, AFTER = 60, MATCH = 80 };
    size_t qa = a, qb = b;
    uint32_t cp;
    /* a very long match is shown by its beginning */
    if (fz_utf8_count(p->text + start, end - start) > MATCH) {
        size_t i = start;
        for (int k = 0; k < MATCH && i < end; k++) {
            int n = fz_utf8_decode(p->text + i, end - i, &cp);
            i += n < 0 ? 1 : (size_t)n;
        }
        end = i;
    }
    /* walk back BEFORE characters from start, forward AFTER from end */
    size_t i = start, chars = 0;
    while (i > a && chars < BEFORE) {
        i--;
        while (i > a && ((unsigned char)p->text[i] & 0xC0) == 0x80) i--;
        chars++;
    }
    qa = i;
    i = end;
    chars = 0;
    while (i < b && chars < AFTER) {
        int n = fz_utf8_decode(p->text + i, b - i, &cp);
        i += n < 0 ? 1 : (size_t)n;
        chars++;
    }
    qb = i;
    *shown = (fz_quoted){para, qa, qb};
    fz_buf q = {0};
    int bad = 0;
    if (qa > a) bad |= fz_buf_puts(&q, "…") < 0;
    bad |= fz_buf_append(&q, p->text + qa, qb - qa) < 0;
    if (qb < b) bad |= fz_buf_puts(&q, "…") < 0;
    if (bad) {
        fz_buf_free(&q);
        return NULL;
    }
    return fz_buf_steal(&q);
}

/* Whether a quote already given shows [start, end) of paragraph para. */
static int already_quoted(const fz_outcome *o, size_t para, size_t start, size_t end) {
    for (size_t i = 0; i < o->nevidence; i++)
        if (o->quoted[i].para == para && o->quoted[i].a <= start && end <= o->quoted[i].b) return 1;
    return 0;
}

void fz_outcome_evidence(fz_ctx *x, fz_outcome *o, size_t para, size_t start, size_t end) {
    if (o->nevidence >= (o->max_evidence ? o->max_evidence : FZ_MAX_EVIDENCE)) return;
    /* several things a rule looks for are often found in one sentence: a
     * second quote of it would repeat the first, and take the place of
     * evidence found elsewhere */
    if (already_quoted(o, para, start, end)) return;
    if (fz_grow(&o->evidence, &o->cap, o->nevidence + 1, sizeof *o->evidence) < 0 ||
        fz_grow(&o->quoted, &o->qcap, o->nevidence + 1, sizeof *o->quoted) < 0) {
        x->oom = 1;
        return;
    }
    const fz_doc *d = x->doc;
    fz_evidence *e = &o->evidence[o->nevidence];
    memset(e, 0, sizeof *e);
    uint32_t line = fz_para_line_at(&d->norm.paras[para], start);
    fz_doc_locate(d, line, &e->page, &e->line);
    size_t s = d->para_section[para];
    e->sec = s;
    if (s != FZ_NONE && !(e->section = fz_section_label(&d->sections[s]))) x->oom = 1;
    fz_quoted *q = &o->quoted[o->nevidence];
    if (!(e->text = make_quote(d, para, start, end, q))) x->oom = 1;
    e->para = q->para;
    e->start = q->a;
    e->end = q->b;
    o->nevidence++;
}

void fz_outcome_free(fz_outcome *o) {
    fz_buf_free(&o->detail);
    for (size_t i = 0; i < o->nevidence; i++) {
        free(o->evidence[i].section);
        free(o->evidence[i].text);
    }
    free(o->evidence);
    free(o->quoted);
    for (int v = 0; v < V_COUNT_; v++) free(o->vars[v]);
    memset(o, 0, sizeof *o);
}

/* ---- small helpers of the check kinds ---- */

void fz_join_name(fz_ctx *x, fz_buf *b, const char *name) {
    if ((b->len && fz_buf_puts(b, "、") < 0) || fz_buf_puts(b, name) < 0) x->oom = 1;
}

void fz_outcome_set_buf(fz_ctx *x, fz_outcome *o, int var, fz_buf *b) {
    fz_outcome_set(x, o, var, b->ptr ? b->ptr : "");
    fz_buf_free(b);
}

/* First match of any pattern anywhere in the scope. */
int fz_find_in_scope(fz_ctx *x, const fz_patterns *ps, const uint8_t *mask,
                         size_t *para, size_t *ms, size_t *me) {
    if (!fz_patterns_live(x, ps)) return 0;
    for (size_t p = 0; p < x->doc->norm.n; p++)
        if (mask[p] && fz_match_any(x, ps, p, 0, x->doc->norm.paras[p].len, ms, me)) {
            *para = p;
            return 1;
        }
    return 0;
}


size_t fz_sentence_at(const fz_doc *d, size_t p, size_t at) {
    size_t i = d->para_sentence[p];
    while (i + 1 < d->nsentences && d->sentences[i + 1].para == p && d->sentences[i + 1].start <= at)
        i++;
    return i;
}

/* A clause ends at these (besides the sentence ends). */
static int clause_mark(const char *s, size_t len, int items) {
    return (len >= 3 && (!memcmp(s, "，", 3) || !memcmp(s, "；", 3) || (items && !memcmp(s, "、", 3)))) ||
           *s == ',' || *s == ';';
}

void fz_clause_at(const fz_doc *d, size_t p, size_t at, int items, size_t *a, size_t *b) {
    const fz_sentence *st = &d->sentences[fz_sentence_at(d, p, at)];
    const char *t = d->norm.paras[p].text;
    size_t s = at;
    while (s > st->start) {
        size_t prev = s - 1;
        while (prev > st->start && ((unsigned char)t[prev] & 0xC0) == 0x80) prev--;
        if (clause_mark(t + prev, st->end - prev, items)) break;
        s = prev;
    }
    size_t e = at;
    while (e < st->end && !clause_mark(t + e, st->end - e, items)) {
        e++;
        while (e < st->end && ((unsigned char)t[e] & 0xC0) == 0x80) e++;
    }
    *a = s;
    *b = e;
}

char *fz_section_of(fz_ctx *x, size_t p) {
    size_t s = x->doc->para_section[p];
    if (s == FZ_NONE) return NULL;
    char *label = fz_section_label(&x->doc->sections[s]);
    if (!label) x->oom = 1;
    return label;
}
