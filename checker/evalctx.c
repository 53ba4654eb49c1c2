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

int fz_match_any(fz_ctx *x, const fz_patterns *ps, size_t p, size_t from, size_t to,
                 size_t *ms, size_t *me) {
    const fz_para *para = &x->doc->norm.paras[p];
    int best = 0;
    for (size_t i = 0; i < ps->n; i++) {
        size_t a, b;
        if (fz_regex_find(ps->v[i].re, para->text, to, from, &a, &b) == 1 &&
            (!best || a < *ms)) {
            *ms = a;
            *me = b;
            best = 1;
        }
    }
    return best;
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
static char *make_quote(const fz_doc *d, size_t para, size_t start, size_t end) {
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

void fz_outcome_evidence(fz_ctx *x, fz_outcome *o, size_t para, size_t start, size_t end) {
    if (o->nevidence >= (o->max_evidence ? o->max_evidence : FZ_MAX_EVIDENCE)) return;
    if (fz_grow(&o->evidence, &o->cap, o->nevidence + 1, sizeof *o->evidence) < 0) {
        x->oom = 1;
        return;
    }
    const fz_doc *d = x->doc;
    fz_evidence *e = &o->evidence[o->nevidence];
    memset(e, 0, sizeof *e);
    uint32_t line = fz_para_line_at(&d->norm.paras[para], start);
    fz_doc_locate(d, line, &e->page, &e->line);
    size_t s = d->para_section[para];
    if (s != FZ_NONE && !(e->section = fz_section_label(&d->sections[s]))) x->oom = 1;
    if (!(e->text = make_quote(d, para, start, end))) x->oom = 1;
    o->nevidence++;
}

void fz_outcome_free(fz_outcome *o) {
    fz_buf_free(&o->detail);
    for (size_t i = 0; i < o->nevidence; i++) {
        free(o->evidence[i].section);
        free(o->evidence[i].text);
    }
    free(o->evidence);
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
