/*
 * segment.c - see segment.h.
 */
#include "segment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "gongwen.h"
#include "heading.h"
#include "ident.h"
#include "utf8.h"
#include "util.h"

/* ---- small text helpers ------------------------------------------------ */

static size_t next_cp(const char *s, size_t len, size_t i, uint32_t *cp) {
    int n = fz_utf8_decode(s + i, len - i, cp);
    return i + (n < 0 ? 1 : (size_t)n);
}

static int is_closing(uint32_t c) {
    return c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F ||
           c == '"' || c == 0xFF09 || c == 0x3011 || c == 0x300B;
}

/* ---- sections -------------------------------------------------------- */

typedef struct {
    fz_head head;
    int is_heading;
} para_head;

/* A standalone 一是… line: short, at most one sentence. */
static int standalone_shi(const fz_para *p) {
    if (fz_utf8_width(p->text, p->len) > 60) return 0;
    size_t stop = fz_first_stop(p->text, p->len, 0);
    if (stop == p->len) return 1;
    uint32_t cp;
    size_t after = next_cp(p->text, p->len, stop, &cp);
    return after >= p->len;
}

static int trim_title(const char *s, size_t start, size_t *end) {
    size_t e = *end;
    for (;;) {
        while (e > start && s[e - 1] == ' ') e--;
        if (e >= start + 3 && (fz_ends(s + start, e - start, "：") ||
                               fz_ends(s + start, e - start, "，")))
            e -= 3;
        else if (e > start && s[e - 1] == ':')
            e--;
        else
            break;
    }
    *end = e;
    return 0;
}

/* A heading that runs on without a full stop is cut for display at a
 * comma, or at 40 characters. */
static char *clip_title(const char *s, size_t len) {
    enum { MAX_CHARS = 40 };
    if (fz_utf8_count(s, len) <= MAX_CHARS) return fz_strndup(s, len);
    size_t i = 0, chars = 0, comma = 0;
    uint32_t cp;
    while (i < len && chars < MAX_CHARS) {
        size_t j = next_cp(s, len, i, &cp);
        if (cp == 0xFF0C /* ， */ && chars >= 8 && !comma) comma = i;
        i = j;
        chars++;
    }
    fz_buf b = {0};
    if (fz_buf_append(&b, s, comma ? comma : i) < 0 || fz_buf_puts(&b, "…") < 0) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

static int add_section(fz_doc *d, size_t *cap, size_t pi, const fz_head *h,
                       int level) {
    const fz_para *p = &d->norm.paras[pi];
    if (fz_grow(&d->sections, cap, d->nsections + 1, sizeof *d->sections) < 0)
        return -1;
    fz_section *s = &d->sections[d->nsections];
    memset(s, 0, sizeof *s);
    size_t mlen = h->marker_len;
    while (mlen > 0 && p->text[mlen - 1] == ' ') mlen--;
    size_t tend = fz_first_stop(p->text, p->len, h->marker_len);
    trim_title(p->text, h->marker_len, &tend);
    s->level = level;
    s->para = pi;
    s->line = fz_para_line_at(p, 0);
    s->title_start = h->marker_len;
    s->title_end = tend;
    s->parent = FZ_NONE;
    s->number = fz_strndup(p->text + h->num_off, h->num_len);
    s->marker = fz_strndup(p->text, mlen);
    s->title = clip_title(p->text + h->marker_len, tend - h->marker_len);
    d->nsections++;
    if (!s->number || !s->marker || !s->title) return -1;
    return 0;
}

/* Levels are relative to what the report uses: under 第一部分 the 一、
 * headings are one level down; a standalone 一是 line is a top heading
 * only in a report that has neither. */
static int heading_level(fz_head_kind kind, int has_cn, int has_part) {
    int below_part = has_part ? 1 : 0;
    switch (kind) {
    case FZ_HEAD_PART: return 1;
    case FZ_HEAD_CN: return 1 + below_part;
    case FZ_HEAD_CN_PAREN: return 2 + below_part;
    case FZ_HEAD_SHI: return has_cn || has_part ? 3 + below_part : 1;
    default: return 3 + below_part; /* 1. 1、 （1） */
    }
}

static int find_sections(fz_doc *d) {
    size_t n = d->norm.n, cap = 0;
    para_head *ph = calloc(n ? n : 1, sizeof *ph);
    if (!ph) return -1;
    int has_cn = 0, has_part = 0;
    for (size_t i = 0; i < n; i++) {
        const fz_para *p = &d->norm.paras[i];
        if (!fz_heading_marker(p->text, p->len, &ph[i].head)) continue;
        if (ph[i].head.kind == FZ_HEAD_SHI && !standalone_shi(p)) continue;
        ph[i].is_heading = 1;
        if (ph[i].head.kind == FZ_HEAD_CN) has_cn = 1;
        if (ph[i].head.kind == FZ_HEAD_PART) has_part = 1;
    }
    /* open sections, innermost last */
    size_t *stack = malloc((n ? n : 1) * sizeof *stack);
    size_t depth = 0;
    int rc = stack ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (ph[i].is_heading) {
            int level = heading_level(ph[i].head.kind, has_cn, has_part);
            while (depth && d->sections[stack[depth - 1]].level >= level)
                d->sections[stack[--depth]].end_para = i;
            if (add_section(d, &cap, i, &ph[i].head, level) < 0) {
                rc = -1;
                break;
            }
            d->sections[d->nsections - 1].parent = depth ? stack[depth - 1] : FZ_NONE;
            stack[depth++] = d->nsections - 1;
        }
        d->para_section[i] = depth ? stack[depth - 1] : FZ_NONE;
    }
    while (depth) d->sections[stack[--depth]].end_para = n;
    free(stack);
    free(ph);
    return rc;
}

/* ---- sentences ------------------------------------------------------- */

static int add_sentence(fz_doc *d, size_t *cap, size_t para, size_t a, size_t b) {
    const char *t = d->norm.paras[para].text;
    while (a < b && t[a] == ' ') a++;
    if (a >= b) return 0;
    if (fz_grow(&d->sentences, cap, d->nsentences + 1, sizeof *d->sentences) < 0)
        return -1;
    d->sentences[d->nsentences++] = (fz_sentence){para, a, b};
    return 0;
}

static int split_sentences(fz_doc *d) {
    size_t cap = 0;
    uint32_t cp;
    for (size_t pi = 0; pi < d->norm.n; pi++) {
        const fz_para *p = &d->norm.paras[pi];
        d->para_sentence[pi] = d->nsentences;
        size_t start = 0;
        for (size_t i = 0; i < p->len;) {
            size_t j = next_cp(p->text, p->len, i, &cp);
            if (fz_cp_is_sentence_end(cp)) {
                /* keep closing quotes with the sentence they close */
                uint32_t c2;
                size_t k = j;
                while (k < p->len) {
                    size_t k2 = next_cp(p->text, p->len, k, &c2);
                    if (!is_closing(c2) && !fz_cp_is_sentence_end(c2)) break;
                    k = k2;
                }
                if (add_sentence(d, &cap, pi, start, k) < 0) return -1;
                start = k;
                j = k;
            }
            i = j;
        }
        if (add_sentence(d, &cap, pi, start, p->len) < 0) return -1;
    }
    return 0;
}

/* ---- public ---------------------------------------------------------- */

int fz_segment(fz_norm *norm, const char *name, fz_doc *doc, char **err) {
    memset(doc, 0, sizeof *doc);
    doc->norm = *norm;
    doc->nparas = norm->n;
    size_t n = norm->n ? norm->n : 1;
    doc->para_section = malloc(n * sizeof *doc->para_section);
    doc->para_sentence = malloc(n * sizeof *doc->para_sentence);
    if (!doc->para_section || !doc->para_sentence || find_sections(doc) < 0 ||
        split_sentences(doc) < 0 || fz_ident(doc, name) < 0) {
        memset(&doc->norm, 0, sizeof doc->norm); /* caller keeps norm */
        fz_doc_free(doc);
        return fz_fail(err, FZ_ENOMEM);
    }
    memset(norm, 0, sizeof *norm);
    return 0;
}

char *fz_section_label(const fz_section *s) {
    /* one allocation of the right size (it is made for every evidence) */
    size_t m = strlen(s->marker), t = strlen(s->title);
    char *label = malloc(m + t + 1);
    if (!label) return NULL;
    memcpy(label, s->marker, m);
    memcpy(label + m, s->title, t + 1);
    return label;
}

static int load_text(fz_text *t, const char *name, fz_doc *doc, char **err) {
    fz_norm norm;
    int rc = fz_normalize(t, &norm, err);
    if (rc == 0 && norm.n == 0) {
        fz_norm_free(&norm);
        rc = fz_fail(err, "文件没有正文（只有页码、分隔线等），没有可检查的内容");
    } else if (rc == 0) {
        rc = fz_segment(&norm, name, doc, err);
        if (rc < 0) fz_norm_free(&norm);
        else {
            doc->format = t->format;
            doc->encoding = t->encoding;
            doc->loc = t->loc;
            doc->line_page = t->line_page; /* taken */
            doc->nlines = t->nlines;
            t->line_page = NULL;
        }
    }
    fz_text_free(t);
    return rc;
}

int fz_doc_load(const char *path, fz_doc *doc, char **err) {
    fz_text t;
    memset(doc, 0, sizeof *doc);
    if (fz_read_file(path, &t, err) < 0) return -1;
    return load_text(&t, path, doc, err);
}

int fz_doc_load_memory(const char *text, size_t len, fz_doc *doc, char **err) {
    fz_text t;
    memset(doc, 0, sizeof *doc);
    if (fz_read_memory(text, len, NULL, &t, err) < 0) return -1;
    return load_text(&t, NULL, doc, err);
}

void fz_doc_locate(const fz_doc *d, uint32_t line, uint32_t *page, uint32_t *page_line) {
    *page = 0;
    *page_line = line;
    if (d->loc != FZ_LOC_PAGE || !d->line_page || line == 0 || line > d->nlines) return;
    *page = d->line_page[line - 1];
    uint32_t first = line;
    while (first > 1 && d->line_page[first - 2] == *page) first--;
    *page_line = line - first + 1;
}

void fz_doc_free(fz_doc *d) {
    free(d->line_page);
    fz_norm_free(&d->norm);
    for (size_t i = 0; i < d->nsections; i++) {
        free(d->sections[i].number);
        free(d->sections[i].marker);
        free(d->sections[i].title);
    }
    free(d->sections);
    free(d->sentences);
    free(d->para_section);
    free(d->para_sentence);
    free(d->title);
    free(d->unit);
    free(d->roster_unit);
    free(d->roster_type);
    free(d->doc_number);
    free(d->date);
    memset(d, 0, sizeof *d);
}
