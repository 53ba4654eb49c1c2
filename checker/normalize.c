/*
 * normalize.c - see normalize.h.
 *
 * Two passes. First every original line is cleaned on its own (debris,
 * Markdown, folding, spaces). Then neighbouring lines are joined into
 * paragraphs: a line that does not end a sentence continues on the next
 * non-empty line unless one of them is a heading, a header field (发文字号,
 * 签发人, a date, a title) or the line is too short to have been wrapped.
 */
#include "normalize.h"

#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "gongwen.h"
#include "heading.h"
#include "utf8.h"
#include "util.h"

/* ---- per-line cleaning ------------------------------------------------ */

typedef struct {
    uint32_t *v;
    size_t n, cap;
} cps;

#include "fold_table.h"

/* The ideograph a radical or compatibility form stands for (PDF text
 * layers write "⼯作" for 工作), else c. */
static uint32_t fold_ideograph(uint32_t c) {
    size_t lo = 0, hi = sizeof fold_from / sizeof *fold_from;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (fold_from[mid] == c) return fold_to[mid];
        if (fold_from[mid] < c) lo = mid + 1;
        else hi = mid;
    }
    return c;
}

static uint32_t fold_cp(uint32_t c) {
    /* the CJK blocks and ASCII, nearly all of a report, first */
    if (c >= 0x3400 && c < 0xF900) return c;
    if (c < 0x80 && c != '(' && c != ')' && c != '\t') return c;
    if (c >= 0x2E80 && c <= 0x2FDF) return fold_ideograph(c);
    if ((c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F)) return fold_ideograph(c);
    if (c >= 0xFF10 && c <= 0xFF19) return c - 0xFF10 + '0';
    if (c >= 0xFF21 && c <= 0xFF3A) return c - 0xFF21 + 'A';
    if (c >= 0xFF41 && c <= 0xFF5A) return c - 0xFF41 + 'a';
    switch (c) {
    case 0xFF0E: return '.';
    case 0xFF05: return '%';
    case 0xFF0D: return '-';
    case '(': return 0xFF08;
    case ')': return 0xFF09;
    case 0x3000: case 0x00A0: case '\t': case 0x2002: case 0x2003:
    case 0x2009: case 0x200B: case 0xFEFF:
        return ' ';
    default: return c;
    }
}

/* Characters between which a space is an artefact of extraction. */
static int is_tight(uint32_t c) {
    return fz_cp_is_han(c) || fz_cp_is_cjk_punct(c) || (c >= '0' && c <= '9') ||
           c == '%';
}

static int is_ascii_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* Skips conversion debris starting at s[i]: [bookmark: …], []{#…},
 * {#…}. Returns the index after it, or i when there is none. */
static size_t skip_debris(const char *s, size_t len, size_t i) {
    static const struct { const char *open; char close; } kinds[] = {
        {"[bookmark:", ']'}, {"[]{", '}'}, {"{#", '}'}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t n = strlen(kinds[k].open);
        if (i + n <= len && memcmp(s + i, kinds[k].open, n) == 0) {
            const char *end = memchr(s + i + n, kinds[k].close, len - i - n);
            return end ? (size_t)(end - s) + 1 : len;
        }
    }
    return i;
}

/* Decodes, drops debris and folds characters. */
static int decode_line(const char *s, size_t len, cps *out) {
    uint32_t cp;
    /* a line has no more characters than bytes: room for all at once */
    if (fz_grow(&out->v, &out->cap, len, sizeof *out->v) < 0) return -1;
    for (size_t i = 0; i < len;) {
        /* all debris begins with [ or { */
        size_t j = s[i] == '[' || s[i] == '{' ? skip_debris(s, len, i) : i;
        if (j != i) {
            i = j;
            continue;
        }
        int n = fz_utf8_decode(s + i, len - i, &cp);
        i += n < 0 ? 1 : (size_t)n;
        if (cp < 0x20 && cp != '\t') continue; /* control characters */
        out->v[out->n++] = fold_cp(cp);
    }
    return 0;
}

static void trim(cps *a, size_t *start) {
    size_t b = 0;
    while (b < a->n && a->v[b] == ' ') b++;
    while (a->n > b && a->v[a->n - 1] == ' ') a->n--;
    *start = b;
}

/* "- 3 -", "— 3 —", "第 3 页", "第3页共10页": page furniture. */
static int is_page_number(const uint32_t *v, size_t n) {
    size_t i = 0, dashes_before = 0, dashes_after = 0, digits = 0;
    while (i < n && (v[i] == '-' || v[i] == 0x2014 || v[i] == 0x2013 || v[i] == ' '))
        dashes_before += v[i++] != ' ';
    while (i < n && is_ascii_digit(v[i])) i++, digits++;
    while (i < n && (v[i] == '-' || v[i] == 0x2014 || v[i] == 0x2013 || v[i] == ' '))
        dashes_after += v[i++] != ' ';
    if (i == n && digits >= 1 && digits <= 4 && dashes_before && dashes_after)
        return 1;
    /* 第 N 页 [共 M 页] */
    i = 0;
    if (n < 3 || v[0] != 0x7B2C /* 第 */) return 0;
    for (int part = 0; part < 2; part++) {
        if (part == 1) {
            if (i == n) return 1;
            if (v[i] != 0x5171 /* 共 */) return 0;
            i++;
        } else {
            i++;
        }
        while (i < n && v[i] == ' ') i++;
        size_t d = 0;
        while (i < n && is_ascii_digit(v[i])) i++, d++;
        while (i < n && v[i] == ' ') i++;
        if (!d || i >= n || v[i] != 0x9875 /* 页 */) return 0;
        i++;
        while (i < n && v[i] == ' ') i++;
    }
    return i == n;
}

/* ---, ***, ___ (a Markdown rule). */
static int is_rule_line(const uint32_t *v, size_t n) {
    size_t marks = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '-' || v[i] == '*' || v[i] == '_') marks++;
        else if (v[i] != ' ') return 0;
    }
    return marks >= 3;
}

/* Drops a leading Markdown heading (#), quote (>) or bullet (- * +). */
static size_t skip_markdown_prefix(const uint32_t *v, size_t n, size_t i) {
    size_t j = i;
    while (j < n && v[j] == '#') j++;
    if (j > i && j - i <= 6 && (j == n || v[j] == ' ')) return j;
    if (i < n && v[i] == '>') return i + 1;
    if (i + 1 < n && (v[i] == '-' || v[i] == '*' || v[i] == '+') && v[i + 1] == ' ')
        return i + 2;
    return i;
}

/* Encodes v[start..n) to UTF-8, removing emphasis marks (** __), the
 * backslash of Markdown escapes, and spaces that sit between two tight
 * characters; other runs of spaces become one. */
static char *encode_clean(const uint32_t *v, size_t start, size_t n) {
    fz_buf b = {0};
    uint32_t prev = 0; /* last emitted code point */
    int pending_space = 0;
    /* room for the most a character can give (a space before it and four
     * bytes), so that each is written in place */
    if (n - start > (SIZE_MAX - 1) / 5 || fz_grow(&b.ptr, &b.cap, (n - start) * 5 + 1, 1) < 0)
        return NULL;
    for (size_t i = start; i < n; i++) {
        uint32_t c = v[i];
        if ((c == '*' || c == '_') && i + 1 < n && v[i + 1] == c) {
            while (i + 1 < n && v[i + 1] == c) i++;
            continue;
        }
        if (c == '\\' && i + 1 < n && v[i + 1] < 0x80 && v[i + 1] > ' ' &&
            !((v[i + 1] | 0x20) >= 'a' && (v[i + 1] | 0x20) <= 'z') &&
            !is_ascii_digit(v[i + 1]))
            continue;
        if (c == ' ') {
            pending_space = prev != 0;
            continue;
        }
        if (pending_space) {
            int drop = is_tight(prev) && is_tight(c) &&
                       !(is_ascii_digit(prev) && is_ascii_digit(c));
            if (!drop) b.ptr[b.len++] = ' ';
            pending_space = 0;
        }
        b.len += (size_t)fz_utf8_encode(c, b.ptr + b.len);
        prev = c;
    }
    b.ptr[b.len] = '\0';
    /* the room left over is given back (a shrink that fails keeps it) */
    char *fit = realloc(b.ptr, b.len + 1);
    return fit ? fit : b.ptr;
}

static char *clean_line(const char *s, size_t len) {
    cps a = {0};
    char *out = NULL;
    if (fz_gw_is_web_furniture(s, len)) return fz_strdup("");
    if (decode_line(s, len, &a) < 0) goto done;
    if (!a.n) { /* an empty line (and no NULL + 0 below) */
        out = fz_strdup("");
        goto done;
    }
    size_t start;
    trim(&a, &start);
    if (is_page_number(a.v + start, a.n - start) ||
        is_rule_line(a.v + start, a.n - start)) {
        out = fz_strdup("");
        goto done;
    }
    start = skip_markdown_prefix(a.v, a.n, start);
    out = encode_clean(a.v, start, a.n);
    if (out) {
        /* emphasis removal can leave leading/trailing spaces */
        size_t l = strlen(out), b = 0;
        while (b < l && out[b] == ' ') b++;
        while (l > b && out[l - 1] == ' ') l--;
        memmove(out, out + b, l - b);
        out[l - b] = '\0';
    }
done:
    free(a.v);
    return out;
}

char *fz_normalize_line(const char *s, size_t len) {
    return clean_line(s, len);
}

char *fz_normalize_pattern(const char *pat) {
    fz_buf b = {0};
    size_t len = strlen(pat);
    char enc[4];
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        if (pat[i] == '\\' && i + 1 < len) {
            if (pat[i + 1] == '(' || pat[i + 1] == ')') {
                uint32_t c = pat[i + 1] == '(' ? 0xFF08 : 0xFF09;
                if (fz_buf_append(&b, enc, (size_t)fz_utf8_encode(c, enc)) < 0) goto oom;
                i += 2;
                continue;
            }
            /* keep any other escape as written (\d, \., \p{Han} …) */
            if (fz_buf_append(&b, pat + i, 2) < 0) goto oom;
            i += 2;
            continue;
        }
        int n = fz_utf8_decode(pat + i, len - i, &cp);
        if (n < 0) {
            if (fz_buf_append(&b, pat + i, 1) < 0) goto oom;
            i++;
            continue;
        }
        i += (size_t)n;
        uint32_t f = (cp == '(' || cp == ')' || cp == '\t') ? cp : fold_cp(cp);
        if (fz_buf_append(&b, enc, (size_t)fz_utf8_encode(f, enc)) < 0) goto oom;
    }
    return fz_buf_steal(&b);
oom:
    fz_buf_free(&b);
    return NULL;
}

/* ---- line classification -------------------------------------------- */

typedef struct {
    char *s;
    size_t len;
    uint32_t line;
    size_t width;
    int terminal;   /* ends a sentence (or a 主送 line with ：) */
    int heading;    /* starts with a heading marker */
    int standalone; /* a header/footer field or a title: never joined */
} line_info;

static uint32_t last_cp(const char *s, size_t len, size_t *at) {
    size_t i = len;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) i--;
    if (i > 0) i--;
    uint32_t cp = 0;
    if (len) fz_utf8_decode(s + i, len - i, &cp);
    *at = i;
    return cp;
}

static int is_terminal(const char *s, size_t len) {
    size_t at;
    uint32_t c = last_cp(s, len, &at);
    /* a closing quote after the full stop: 。” */
    while ((c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F || c == '"') && at > 0) {
        c = last_cp(s, at, &at);
    }
    return fz_cp_is_sentence_end(c) || c == 0xFF1A /* ： */ || c == ':' ||
           c == 0x2026 /* … */;
}

/* A line that the header or footer of a 公文 holds on its own. */
static int is_standalone(const char *s, size_t len, size_t width) {
    if (fz_gw_is_banner(s, len) || fz_gw_is_doc_number(s, len) ||
        fz_gw_is_field_line(s, len) || fz_is_date_line(s, len))
        return 1;
    /* a title: short, names the subject, ends like a title */
    return width <= 100 && fz_gw_ends_like_title(s, len) && fz_gw_names_subject(s, len);
}

static int classify(line_info *li) {
    fz_head h;
    li->width = fz_utf8_width(li->s, li->len);
    li->terminal = li->len && is_terminal(li->s, li->len);
    li->heading = li->len && fz_heading_marker(li->s, li->len, &h) > 0;
    li->standalone = li->len && is_standalone(li->s, li->len, li->width);
    return 0;
}

static int cmp_size(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Decides whether the text looks hard-wrapped: many lines that stop in
 * the middle of a sentence at about the same width. */
static int detect_wrapping(const line_info *lines, size_t n, fz_norm *out) {
    size_t nonempty = 0, m = 0;
    size_t *widths = malloc((n ? n : 1) * sizeof *widths);
    if (!widths) return -1;
    for (size_t i = 0; i < n; i++) {
        if (!lines[i].len) continue;
        nonempty++;
        if (!lines[i].terminal && !lines[i].heading && lines[i].width >= 30)
            widths[m++] = lines[i].width;
    }
    out->hard_wrapped = nonempty >= 8 && m * 10 >= nonempty * 4;
    out->wrap_width = 0;
    if (out->hard_wrapped) {
        qsort(widths, m, sizeof *widths, cmp_size);
        out->wrap_width = widths[m / 2];
    }
    free(widths);
    return 0;
}

/* Should line a (followed by `gap` blank lines) continue on line b? */
static int continues(const line_info *a, const line_info *b, size_t gap,
                     const fz_norm *nm) {
    if (a->terminal || a->standalone || b->heading || b->standalone) return 0;
    size_t short_limit = nm->hard_wrapped ? nm->wrap_width * 85 / 100 : 60;
    if (a->heading && a->width < short_limit) return 0;
    if (nm->hard_wrapped)
        return a->width * 10 >= nm->wrap_width * 6 || gap >= 2;
    return a->width >= 60;
}

/* ---- paragraphs --------------------------------------------------------- */

static int is_word_cp(uint32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_ascii_digit(c);
}

static int para_add(fz_para *p, size_t *piece_cap, fz_buf *b,
                    const line_info *li) {
    if (b->len) {
        size_t at;
        uint32_t prev = last_cp(b->ptr, b->len, &at), next = 0;
        fz_utf8_decode(li->s, li->len, &next);
        if (is_word_cp(prev) && is_word_cp(next) &&
            !(is_ascii_digit(prev) && is_ascii_digit(next)) &&
            fz_buf_append(b, " ", 1) < 0)
            return -1;
    }
    if (fz_grow(&p->pieces, piece_cap, p->npieces + 1, sizeof *p->pieces) < 0)
        return -1;
    p->pieces[p->npieces].off = b->len;
    p->pieces[p->npieces].line = li->line;
    p->npieces++;
    return fz_buf_append(b, li->s, li->len);
}

/* A report has a few thousand lines; millions mean something else, and
 * would cost gigabytes here. */
#define FZ_MAX_LINES 1000000

/* Returns 0, -1 (out of memory) or -2 (too many lines). */
static int split_lines(const fz_text *t, line_info **out, size_t *count) {
    size_t nl = 0;
    for (const char *q = t->data; (q = memchr(q, '\n', (size_t)(t->data + t->len - q))); q++)
        if (++nl > FZ_MAX_LINES) return -2;
    size_t cap = 0, n = 0;
    line_info *lines = NULL;
    const char *p = t->data, *end = t->data + t->len;
    uint32_t lineno = 1;
    while (p < end || (p == end && n == 0)) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (fz_grow(&lines, &cap, n + 1, sizeof *lines) < 0) goto oom;
        line_info *li = &lines[n];
        memset(li, 0, sizeof *li);
        li->s = clean_line(p, (size_t)(le - p));
        if (!li->s) goto oom;
        n++;
        li->len = strlen(li->s);
        li->line = lineno++;
        classify(li);
        if (!nl) break;
        p = nl + 1;
    }
    *out = lines;
    *count = n;
    return 0;
oom:
    for (size_t i = 0; i < n; i++) free(lines[i].s);
    free(lines);
    return -1;
}

int fz_normalize(const fz_text *t, fz_norm *out, char **err) {
    memset(out, 0, sizeof *out);
    line_info *lines = NULL;
    size_t nlines = 0, cap = 0;
    int split = split_lines(t, &lines, &nlines);
    if (split == -2) return fz_fail(err, "文件行数过多（超过 %d 万行），不像是一份报告", FZ_MAX_LINES / 10000);
    if (split < 0) return fz_fail(err, FZ_ENOMEM);
    if (detect_wrapping(lines, nlines, out) < 0) {
        for (size_t i = 0; i < nlines; i++) free(lines[i].s);
        free(lines);
        return fz_fail(err, FZ_ENOMEM);
    }

    fz_buf b = {0};
    fz_para cur = {0};
    size_t piece_cap = 0;
    int rc = 0;
    for (size_t i = 0; i < nlines; i++) {
        if (!lines[i].len) continue;
        if (para_add(&cur, &piece_cap, &b, &lines[i]) < 0) goto oom;
        /* look ahead to the next non-empty line */
        size_t j = i + 1;
        while (j < nlines && !lines[j].len) j++;
        if (j < nlines && continues(&lines[i], &lines[j], j - i - 1, out)) {
            i = j - 1;
            continue;
        }
        if (fz_grow(&out->paras, &cap, out->n + 1, sizeof *out->paras) < 0) goto oom;
        cur.len = b.len;
        cur.text = fz_buf_steal(&b);
        if (!cur.text) goto oom;
        out->paras[out->n++] = cur;
        memset(&cur, 0, sizeof cur);
        piece_cap = 0;
    }
    goto done;
oom:
    rc = fz_fail(err, FZ_ENOMEM);
    free(cur.pieces);
    fz_buf_free(&b);
    fz_norm_free(out);
done:
    for (size_t i = 0; i < nlines; i++) free(lines[i].s);
    free(lines);
    return rc;
}

uint32_t fz_para_line_at(const fz_para *p, size_t off) {
    size_t lo = 0, hi = p->npieces;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (p->pieces[mid].off <= off) lo = mid;
        else hi = mid;
    }
    return p->npieces ? p->pieces[lo].line : 0;
}

void fz_norm_free(fz_norm *n) {
    for (size_t i = 0; i < n->n; i++) {
        free(n->paras[i].text);
        free(n->paras[i].pieces);
    }
    free(n->paras);
    memset(n, 0, sizeof *n);
}
