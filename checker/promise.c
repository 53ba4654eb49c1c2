/*
 * promise.c - see promise.h.
 */
#include "promise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "textkey.h"
#include "utf8.h"
#include "util.h"

/* An item's body, in bytes of text at most (before comparison). */
#define BODY_BYTES 360
/* A subsection is a window of the account when it has at most this many
 * paragraphs: a whole part would hold every word of every promise. */
#define WINDOW_PARAS 8

/* ---- the items of a plan ------------------------------------------------------ */

static int is_numeral(uint32_t cp) {
    static const char digits[] = "一二三四五六七八九十";
    for (size_t i = 0; i + 3 <= sizeof digits - 1; i += 3) {
        uint32_t d;
        fz_utf8_decode(digits + i, 3, &d);
        if (cp == d) return 1;
    }
    return 0;
}

/* The next character of t[0..n) at *i: its code point (advances *i). */
static uint32_t next_cp(const char *t, size_t n, size_t *i) {
    uint32_t cp = 0;
    int l = fz_utf8_decode(t + *i, n - *i, &cp);
    *i += l < 0 ? 1 : (size_t)l;
    return l < 0 ? 0xFFFD : cp;
}

/* The length of an enumerator starting at t[i] — "一是", "十二是",
 * "（三）", "(三)" — or 0. */
static size_t enumerator_at(const char *t, size_t n, size_t i) {
    size_t j = i, k = 0;
    uint32_t cp = next_cp(t, n, &j);
    int paren = cp == 0xFF08 || cp == '(';
    if (paren) {
        if (j >= n) return 0;
        cp = next_cp(t, n, &j);
    }
    while (is_numeral(cp) && k < 3 && j < n) {
        k++;
        cp = next_cp(t, n, &j);
    }
    if (!k) return 0;
    return (paren ? cp == 0xFF09 || cp == ')' : cp == 0x662F /* 是 */) ? j - i : 0;
}

/* Whether a clause may start at t[i]: the text's start, or after a line
 * break or 。；：！？ (an enumerator inside a clause is a quotation). */
static int clause_start(const char *t, size_t i) {
    if (i == 0 || t[i - 1] == '\n') return 1;
    static const char *const ends[] = {"。", "；", "：", "！", "？", NULL};
    for (size_t k = 0; ends[k]; k++) {
        size_t l = strlen(ends[k]);
        if (i >= l && !memcmp(t + i - l, ends[k], l)) return 1;
    }
    return 0;
}

/* The end of an item's head in t[0..n): its first ，。；： or line break. */
static size_t head_end(const char *t, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t at = i;
        uint32_t cp = next_cp(t, n, &i);
        if (cp == 0xFF0C || cp == 0x3002 || cp == 0xFF1B || cp == 0xFF1A || cp == '\n') return at;
    }
    return n;
}

/* One item t[0..n): its head, and the rest (clipped) as its body. */
static int emit_span(fz_promise_emit emit, void *ctx, const char *t, size_t n) {
    while (n && (*t == '\n' || *t == ' ')) t++, n--;
    size_t h = head_end(t, n), b = h;
    if (b < n) next_cp(t, n, &b); /* the stop after the head */
    size_t bn = n - b > BODY_BYTES ? fz_utf8_clip(t + b, n - b, BODY_BYTES) : n - b;
    return emit(ctx, t, h, t + b, bn);
}

/* The part's text, its own heading left out, paragraphs joined by line
 * breaks; in *paras where each paragraph starts in it. */
static int part_text(const fz_doc *d, const uint8_t *mask, const uint8_t *whole, fz_buf *out) {
    for (size_t p = 0; p < d->norm.n; p++) {
        if (!mask[p]) continue;
        size_t from = 0, sec = d->para_section[p];
        if (sec != FZ_NONE && whole[sec] && d->sections[sec].para == p) from = d->sections[sec].title_end;
        const fz_para *para = &d->norm.paras[p];
        if (from >= para->len) continue;
        if ((out->len && fz_buf_puts(out, "\n") < 0) || fz_buf_append(out, para->text + from, para->len - from) < 0)
            return -1;
    }
    return 0;
}

/* A subsection's item: its heading, and its text after the heading. A
 * heading that is a whole sentence ("（一）全面清理规范性文件，对……废止。")
 * is cut like any item: its first clause the head, the rest body. */
static int emit_section(const fz_doc *d, const uint8_t *mask, size_t s, fz_promise_emit emit, void *ctx) {
    const fz_section *sec = &d->sections[s];
    const fz_para *hp = &d->norm.paras[sec->para];
    const char *title = hp->text + sec->title_start;
    size_t tn = sec->title_end - sec->title_start, hn = head_end(title, tn), rest = hn;
    if (rest < tn) next_cp(title, tn, &rest); /* the stop after the head */
    fz_buf body = {0};
    int rc = fz_buf_append(&body, title + rest, tn - rest);
    if (!rc) rc = fz_buf_append(&body, hp->text + sec->title_end, hp->len - sec->title_end);
    for (size_t p = sec->para + 1; !rc && p < sec->end_para && p < d->norm.n && body.len < BODY_BYTES; p++)
        if (mask[p]) rc = fz_buf_puts(&body, "\n") < 0 || fz_buf_append(&body, d->norm.paras[p].text, d->norm.paras[p].len) < 0;
    if (!rc) {
        const char *b = body.ptr ? body.ptr : "";
        size_t n = body.len;
        while (n && (*b == '\n' || !strncmp(b, "。", 3))) {
            size_t l = *b == '\n' ? 1 : 3;
            b += l, n -= l;
        }
        size_t bn = n > BODY_BYTES ? fz_utf8_clip(b, n, BODY_BYTES) : n;
        rc = emit(ctx, title, hn, b, bn);
    }
    fz_buf_free(&body);
    return rc;
}

/* The 一是/二是… (or inline （一）（二）…) items of t, when two or more. */
static int emit_enumerated(const char *t, size_t n, fz_promise_emit emit, void *ctx, int *found) {
    size_t starts[FZ_PROMISE_MAX + 1], k = 0;
    for (size_t i = 0; i < n && k <= FZ_PROMISE_MAX;) {
        if (clause_start(t, i) && enumerator_at(t, n, i)) starts[k++] = i;
        next_cp(t, n, &i);
    }
    *found = k >= 2;
    if (!*found) return 0;
    size_t items = k > FZ_PROMISE_MAX ? FZ_PROMISE_MAX : k;
    int rc = 0;
    for (size_t j = 0; j < items && !rc; j++) {
        size_t end = j + 1 < k ? starts[j + 1] : n;
        rc = emit_span(emit, ctx, t + starts[j], end - starts[j]);
    }
    return rc;
}

/* Its sentences, each an item (at most FZ_PROMISE_MAX). */
static int emit_sentences(const char *t, size_t n, fz_promise_emit emit, void *ctx) {
    size_t start = 0, items = 0;
    int rc = 0;
    for (size_t i = 0; i < n && !rc && items < FZ_PROMISE_MAX;) {
        size_t at = i;
        uint32_t cp = next_cp(t, n, &i);
        size_t end = cp == '\n' ? at : cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B ? i
                   : i >= n ? n : 0;
        if (!end && i < n) continue;
        if (end > start) {
            rc = emit_span(emit, ctx, t + start, end - start);
            items++;
        }
        start = i;
    }
    return rc;
}

int fz_promise_items(const fz_doc *d, const uint8_t *mask, fz_promise_emit emit, void *ctx) {
    size_t first = FZ_NONE, last = 0;
    for (size_t p = 0; p < d->norm.n; p++)
        if (mask[p]) {
            if (first == FZ_NONE) first = p;
            last = p;
        }
    if (first == FZ_NONE) return 0;
    uint8_t *whole = calloc(d->nsections ? d->nsections : 1, 1), *cand = calloc(d->nsections ? d->nsections : 1, 1);
    if (!whole || !cand) {
        free(whole);
        free(cand);
        return -1;
    }
    /* the part's own headings hold all of it; the outermost below them are its items */
    size_t ncand = 0;
    for (size_t s = 0; s < d->nsections; s++) {
        const fz_section *sec = &d->sections[s];
        whole[s] = sec->para <= first && sec->end_para > last;
        cand[s] = mask[sec->para] && !whole[s];
    }
    for (size_t s = 0; s < d->nsections; s++)
        if (cand[s] && d->sections[s].parent != FZ_NONE && cand[d->sections[s].parent]) cand[s] = 0;
    for (size_t s = 0; s < d->nsections; s++) ncand += cand[s];
    int rc = 0, found = 0;
    fz_buf text = {0};
    if (ncand < 2) {
        rc = part_text(d, mask, whole, &text);
        if (!rc) rc = emit_enumerated(text.ptr ? text.ptr : "", text.len, emit, ctx, &found);
    }
    if (!rc && !found && ncand) {
        for (size_t s = 0, k = 0; s < d->nsections && !rc && k < FZ_PROMISE_MAX; s++)
            if (cand[s]) rc = emit_section(d, mask, s, emit, ctx), k++;
    } else if (!rc && !found) {
        rc = emit_sentences(text.ptr ? text.ptr : "", text.len, emit, ctx);
    }
    fz_buf_free(&text);
    free(whole);
    free(cand);
    return rc;
}

/* ---- the words of a text ------------------------------------------------------- */

/* A two-character word: its two code points. */
typedef uint64_t word;

static int cmp_word(const void *a, const void *b) {
    word x = *(const word *)a, y = *(const word *)b;
    return x < y ? -1 : x > y;
}

/* The distinct words of key (a compared text), sorted, appended to *v.
 * Returns how many, or -1 when memory runs out. */
static long words_of(const char *key, size_t n, word **v, size_t *len, size_t *cap) {
    size_t at = *len;
    uint32_t prev = 0;
    int have = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = next_cp(key, n, &i);
        if (have) {
            if (fz_grow(v, cap, *len + 1, sizeof **v) < 0) return -1;
            (*v)[(*len)++] = (word)prev << 32 | cp;
        }
        prev = cp;
        have = 1;
    }
    size_t m = *len - at, u = 0;
    if (m) qsort(*v + at, m, sizeof **v, cmp_word);
    for (size_t k = 0; k < m; k++)
        if (!u || (*v)[at + u - 1] != (*v)[at + k]) (*v)[at + u++] = (*v)[at + k];
    *len = at + u;
    return (long)u;
}

/* ---- the matcher ------------------------------------------------------------------ */

typedef struct {
    size_t para;       /* its first paragraph */
    word *w;
    size_t n;
} window;

struct fz_promise_matcher {
    word *words;       /* every word of the corpus, sorted, each once */
    double *weight;    /* its weight: the rarer, the heavier */
    size_t nwords;
    double unseen;     /* the weight of a word in no text of the corpus */
    window *win;
    size_t nwin, wcap;
};

/* The compared form of paragraph p. */
static int para_key(const fz_doc *d, size_t p, fz_buf *k) {
    return fz_key_of(d->norm.paras[p].text, d->norm.paras[p].len, k) < 0 ? -1 : 0;
}

/* Adds a window over paragraphs [from, to). */
static int add_window(fz_promise_matcher *m, const fz_doc *d, size_t from, size_t to) {
    fz_buf k = {0};
    int rc = 0;
    for (size_t p = from; p < to && !rc; p++) rc = para_key(d, p, &k);
    if (!rc) rc = fz_grow(&m->win, &m->wcap, m->nwin + 1, sizeof *m->win);
    if (!rc) {
        window *w = &m->win[m->nwin];
        size_t len = 0, cap = 0;
        w->w = NULL;
        w->para = from;
        long n = words_of(k.ptr ? k.ptr : "", k.len, &w->w, &len, &cap);
        if (n < 0) {
            free(w->w);
            rc = -1;
        } else {
            w->n = (size_t)n;
            m->nwin++;
        }
    }
    fz_buf_free(&k);
    return rc;
}

static int add_windows(fz_promise_matcher *m, const fz_doc *d, const uint8_t *mask) {
    for (size_t p = d->header_end; p < d->norm.n; p++)
        if (mask[p] && add_window(m, d, p, p + 1) < 0) return -1;
    for (size_t s = 0; s < d->nsections; s++) {
        const fz_section *sec = &d->sections[s];
        size_t end = sec->end_para < d->norm.n ? sec->end_para : d->norm.n;
        if (sec->parent == FZ_NONE || end - sec->para < 2 || end - sec->para > WINDOW_PARAS) continue;
        int inside = 1;
        for (size_t p = sec->para; p < end && inside; p++) inside = mask[p];
        if (inside && add_window(m, d, sec->para, end) < 0) return -1;
    }
    return 0;
}

/* The weights: every body paragraph of d and every promise is a text;
 * a word's weight is log((texts + 1) / (texts holding it + 0.5)). */
static int add_weights(fz_promise_matcher *m, const fz_doc *d, const fz_promise *ps, size_t n) {
    word *all = NULL;
    size_t len = 0, cap = 0, texts = 0;
    int rc = 0;
    fz_buf k = {0};
    for (size_t p = d->header_end; p < d->norm.n && !rc; p++, texts++) {
        k.len = 0;
        rc = para_key(d, p, &k) < 0 || words_of(k.ptr ? k.ptr : "", k.len, &all, &len, &cap) < 0;
    }
    for (size_t i = 0; i < n && !rc; i++, texts++) {
        k.len = 0;
        rc = fz_buf_puts(&k, ps[i].head ? ps[i].head : "") < 0 || fz_buf_puts(&k, ps[i].body ? ps[i].body : "") < 0 ||
             words_of(k.ptr, k.len, &all, &len, &cap) < 0;
    }
    fz_buf_free(&k);
    if (!rc && len) qsort(all, len, sizeof *all, cmp_word);
    if (!rc && len && (!(m->words = malloc(len * sizeof *m->words)) || !(m->weight = malloc(len * sizeof *m->weight))))
        rc = -1;
    for (size_t g = 0, e; !rc && g < len; g = e) {
        for (e = g + 1; e < len && all[e] == all[g]; e++) {}
        m->words[m->nwords] = all[g];
        m->weight[m->nwords++] = log(((double)texts + 1) / ((double)(e - g) + 0.5));
    }
    m->unseen = log(((double)texts + 1) / 0.5);
    free(all);
    return rc ? -1 : 0;
}

fz_promise_matcher *fz_promise_matcher_new(const fz_doc *d, const uint8_t *mask, const fz_promise *ps,
                                           size_t n) {
    fz_promise_matcher *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    if (add_weights(m, d, ps, n) < 0 || add_windows(m, d, mask) < 0) {
        fz_promise_matcher_free(m);
        return NULL;
    }
    return m;
}

static double weight_of(const fz_promise_matcher *m, word w) {
    const word *at = m->nwords ? bsearch(&w, m->words, m->nwords, sizeof w, cmp_word) : NULL;
    return at ? m->weight[at - m->words] : m->unseen;
}

/* The best window for the words of key: its index and weighted share. */
static double best_window(const fz_promise_matcher *m, const char *key, size_t *best, int *oom) {
    word *w = NULL;
    size_t len = 0, cap = 0;
    long n = words_of(key ? key : "", key ? strlen(key) : 0, &w, &len, &cap);
    double top = 0;
    if (n < 0) *oom = 1;
    double total = 0;
    for (long i = 0; i < n; i++) total += weight_of(m, w[i]);
    for (size_t k = 0; total > 0 && k < m->nwin; k++) {
        const window *win = &m->win[k];
        double got = 0;
        for (long i = 0; i < n; i++)
            if (win->n && bsearch(&w[i], win->w, win->n, sizeof *w, cmp_word)) got += weight_of(m, w[i]);
        if (got / total > top) {
            top = got / total;
            *best = k;
        }
    }
    free(w);
    return top;
}

size_t fz_promise_account(const fz_promise_matcher *m, const fz_promise *p, double overlap, double *share) {
    size_t bh = FZ_NONE, bb = FZ_NONE;
    int oom = 0;
    double h = best_window(m, p->head, &bh, &oom), b = best_window(m, p->body, &bb, &oom);
    double top = h >= b ? h : b;
    size_t k = h >= b ? bh : bb;
    if (share) *share = top;
    return !oom && k != FZ_NONE && top >= overlap ? m->win[k].para : FZ_NONE;
}

void fz_promise_matcher_free(fz_promise_matcher *m) {
    if (!m) return;
    for (size_t k = 0; k < m->nwin; k++) free(m->win[k].w);
    free(m->win);
    free(m->words);
    free(m->weight);
    free(m);
}
