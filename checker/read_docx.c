/*
 * read_docx.c - Word (.docx, .docm) documents: the body's paragraphs,
 * table cells and text boxes in reading order, one paragraph a line, with
 * Word's automatic numbering written out as the reader sees it
 * (numbering.xml: 一、 （一） 1. …), because many reports number their
 * headings that way. Headers, footers, footnotes, deleted and hidden text
 * and field codes are left out.
 *
 * A text box's paragraphs follow the paragraph it is anchored in. Word
 * writes each text box twice (mc:AlternateContent: a DrawingML choice and
 * a VML fallback); only one of the two is read.
 *
 * Web and OA systems export "Word" files whose body is an HTML page
 * imported whole (w:altChunk pointing at an HTML part): Word shows the
 * page's text in its place, and so does this reader, one block (p, div,
 * li, table cell …) a line. A chunk of another kind (MHT, RTF …) is not
 * read: the file is refused with what to do, since checking the rest
 * would judge a report by part of its text.
 */
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docx.h"
#include "read_formats.h"
#include "utf8.h"
#include "zipxml.h"

#define MAX_LEVELS 9
/* Start values are kept within this (Word's own limit is 32767), so that
 * counting on from them cannot overflow. */
#define MAX_START 32767

typedef struct {
    int start;
    char *fmt;      /* numFmt, e.g. "chineseCounting" */
    char *text;     /* lvlText, e.g. "%1、" */
} level;

typedef struct {
    char *id;       /* w:abstractNumId */
    level lv[MAX_LEVELS];
} abstract_num;

typedef struct {
    char *id;       /* w:numId */
    abstract_num *abs;
    int count[MAX_LEVELS];  /* current value per level, once started */
    unsigned char started[MAX_LEVELS];
    int start_override[MAX_LEVELS];
    unsigned char overridden[MAX_LEVELS];  /* start_override is set */
} num;

typedef struct {
    char *id;       /* w:styleId */
    char *num_id, *based_on;
    int ilvl;
} style;

typedef struct {
    abstract_num *abs;
    size_t nabs;
    num *nums;
    size_t nnums;
    style *styles;
    size_t nstyles;
    fz_buf out;
    xmlNodePtr *boxes;   /* text boxes met in the paragraph being read */
    size_t nboxes, boxcap;
    fz_zip *zip;
    const char *main;    /* the main part's entry path */
    char **err;          /* why reading stopped, when not for memory */
    size_t unread;       /* altChunks that could not be read */
    int oom;             /* stop reading: memory ran out, or *err says why */
    int depth;
    fz_docx_para_fn fn;  /* told which lines each w:p gives, or NULL */
    void *ctx;
    size_t counted;      /* bytes of out whose line breaks are counted */
    size_t lines;        /* line breaks in out[0, counted) */
} docx;

/* ---- numbering.xml and styles.xml -------------------------------------- */

/* A decimal number as an int, saturated at the int range (atoi's
 * overflow is undefined). */
static int to_int(const char *v) {
    long r = strtol(v, NULL, 10);
    return r > INT_MAX ? INT_MAX : r < INT_MIN ? INT_MIN : (int)r;
}

static int int_attr(xmlNodePtr n, const char *child, int dflt) {
    xmlNodePtr c = fz_xml_child(n, child);
    char *v = c ? fz_xml_attr(c, "val") : NULL;
    int r = v ? to_int(v) : dflt;
    if (v) xmlFree(v);
    return r;
}

static int clamp_start(int v) {
    return v < 0 ? 0 : v > MAX_START ? MAX_START : v;
}

static char *str_attr(xmlNodePtr n, const char *child) {
    xmlNodePtr c = fz_xml_child(n, child);
    char *v = c ? fz_xml_attr(c, "val") : NULL;
    char *r = v ? fz_strdup(v) : NULL;
    if (v) xmlFree(v);
    return r;
}

static void load_numbering(docx *d, xmlDocPtr x) {
    xmlNodePtr root = xmlDocGetRootElement(x);
    size_t na = 0, nn = 0;
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
        na += fz_xml_is(c, "abstractNum");
        nn += fz_xml_is(c, "num");
    }
    d->abs = calloc(na ? na : 1, sizeof *d->abs);
    d->nums = calloc(nn ? nn : 1, sizeof *d->nums);
    if (!d->abs || !d->nums) {
        d->oom = 1;
        return;
    }
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!fz_xml_is(c, "abstractNum")) continue;
        abstract_num *a = &d->abs[d->nabs++];
        for (int k = 0; k < MAX_LEVELS; k++) a->lv[k].start = 1;
        char *id = fz_xml_attr(c, "abstractNumId");
        a->id = id ? fz_strdup(id) : NULL;
        if (id) xmlFree(id);
        for (xmlNodePtr l = c->children; l; l = l->next) {
            if (!fz_xml_is(l, "lvl")) continue;
            char *il = fz_xml_attr(l, "ilvl");
            int k = il ? to_int(il) : 0;
            if (il) xmlFree(il);
            if (k < 0 || k >= MAX_LEVELS) continue;
            a->lv[k].start = clamp_start(int_attr(l, "start", 1));
            free(a->lv[k].fmt);
            free(a->lv[k].text);
            a->lv[k].fmt = str_attr(l, "numFmt");
            a->lv[k].text = str_attr(l, "lvlText");
        }
    }
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!fz_xml_is(c, "num")) continue;
        num *m = &d->nums[d->nnums++];
        char *id = fz_xml_attr(c, "numId");
        m->id = id ? fz_strdup(id) : NULL;
        if (id) xmlFree(id);
        char *aid = str_attr(c, "abstractNumId");
        for (size_t i = 0; aid && i < d->nabs; i++)
            if (d->abs[i].id && !strcmp(d->abs[i].id, aid)) m->abs = &d->abs[i];
        free(aid);
        for (xmlNodePtr o = c->children; o; o = o->next) {
            if (!fz_xml_is(o, "lvlOverride")) continue;
            char *il = fz_xml_attr(o, "ilvl");
            int k = il ? to_int(il) : 0;
            if (il) xmlFree(il);
            if (k >= 0 && k < MAX_LEVELS && fz_xml_child(o, "startOverride")) {
                m->start_override[k] = clamp_start(int_attr(o, "startOverride", 0));
                m->overridden[k] = 1;
            }
        }
    }
}

static void load_styles(docx *d, xmlDocPtr x) {
    xmlNodePtr root = xmlDocGetRootElement(x);
    size_t n = 0;
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) n += fz_xml_is(c, "style");
    d->styles = calloc(n ? n : 1, sizeof *d->styles);
    if (!d->styles) {
        d->oom = 1;
        return;
    }
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
        if (!fz_xml_is(c, "style")) continue;
        style *s = &d->styles[d->nstyles++];
        char *id = fz_xml_attr(c, "styleId");
        s->id = id ? fz_strdup(id) : NULL;
        if (id) xmlFree(id);
        s->based_on = str_attr(c, "basedOn");
        xmlNodePtr ppr = fz_xml_child(c, "pPr");
        xmlNodePtr np = ppr ? fz_xml_child(ppr, "numPr") : NULL;
        if (np) {
            s->num_id = str_attr(np, "numId");
            s->ilvl = int_attr(np, "ilvl", 0);
        }
    }
}

/* ---- number formats ---------------------------------------------------- */

static int cn_number(fz_buf *b, int v) {
    static const char *const digit[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (v <= 0 || v >= 1000) return fz_buf_printf(b, "%d", v);
    int h = v / 100, t = v / 10 % 10, u = v % 10, rc = 0;
    if (h) rc |= fz_buf_printf(b, "%s百", digit[h]);
    if (t) rc |= fz_buf_printf(b, "%s十", (t == 1 && !h) ? "" : digit[t]);
    else if (h && u) rc |= fz_buf_puts(b, "零");
    if (u) rc |= fz_buf_puts(b, digit[u]);
    return rc;
}

static int format_number(fz_buf *b, const char *fmt, int v) {
    if (!fmt || !strcmp(fmt, "decimal") || !strcmp(fmt, "decimalZero"))
        return fz_buf_printf(b, "%d", v);
    if (!strncmp(fmt, "chineseCounting", 15) || !strcmp(fmt, "japaneseCounting") ||
        !strcmp(fmt, "taiwaneseCounting") || !strcmp(fmt, "chineseLegalSimplified"))
        return cn_number(b, v);
    if (!strcmp(fmt, "ideographTraditional")) {
        static const char *const gan[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"};
        return v >= 1 && v <= 10 ? fz_buf_puts(b, gan[v - 1]) : fz_buf_printf(b, "%d", v);
    }
    if (!strcmp(fmt, "decimalFullWidth") || !strcmp(fmt, "decimalFullWidth2")) {
        char tmp[16];
        snprintf(tmp, sizeof tmp, "%d", v);
        int rc = 0;
        for (char *p = tmp; *p; p++) {
            char enc[4];
            rc |= fz_buf_append(b, enc, (size_t)fz_utf8_encode(0xFF10 + (uint32_t)(*p - '0'), enc));
        }
        return rc;
    }
    if (!strcmp(fmt, "decimalEnclosedCircle") || !strcmp(fmt, "decimalEnclosedCircleChinese")) {
        char enc[4];
        return v >= 1 && v <= 20 ? fz_buf_append(b, enc, (size_t)fz_utf8_encode(0x2460 + (uint32_t)v - 1, enc))
                                 : fz_buf_printf(b, "%d", v);
    }
    if (!strcmp(fmt, "lowerLetter") || !strcmp(fmt, "upperLetter"))
        return v >= 1 ? fz_buf_printf(b, "%c", (fmt[0] == 'l' ? 'a' : 'A') + (v - 1) % 26)
                      : fz_buf_printf(b, "%d", v);
    if (!strcmp(fmt, "lowerRoman") || !strcmp(fmt, "upperRoman")) {
        static const char *const r[] = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"};
        static const char *const R[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"};
        return v >= 1 && v <= 10 ? fz_buf_puts(b, fmt[0] == 'l' ? r[v - 1] : R[v - 1])
                                 : fz_buf_printf(b, "%d", v);
    }
    if (!strcmp(fmt, "bullet") || !strcmp(fmt, "none")) return 0;
    return fz_buf_printf(b, "%d", v);
}

static num *find_num(docx *d, const char *id) {
    for (size_t i = 0; id && i < d->nnums; i++)
        if (d->nums[i].id && !strcmp(d->nums[i].id, id)) return &d->nums[i];
    return NULL;
}

/* The paragraph's numbering (numPr, or its style's), advanced and written
 * out as Word would show it. */
static void numbering(docx *d, xmlNodePtr ppr) {
    char *num_id = NULL;
    int ilvl = 0;
    xmlNodePtr np = ppr ? fz_xml_child(ppr, "numPr") : NULL;
    if (np) {
        num_id = str_attr(np, "numId");
        ilvl = int_attr(np, "ilvl", 0);
    } else if (ppr) {
        char *sid = str_attr(ppr, "pStyle");
        for (int hops = 0; sid && hops < 8 && !num_id; hops++) {
            style *s = NULL;
            for (size_t i = 0; i < d->nstyles; i++)
                if (d->styles[i].id && !strcmp(d->styles[i].id, sid)) s = &d->styles[i];
            free(sid);
            sid = NULL;
            if (!s) break;
            if (s->num_id) {
                num_id = fz_strdup(s->num_id);
                ilvl = s->ilvl;
            } else if (s->based_on) {
                sid = fz_strdup(s->based_on);
            }
        }
        free(sid);
    }
    num *m = find_num(d, num_id);
    free(num_id);
    if (!m || !m->abs || ilvl < 0 || ilvl >= MAX_LEVELS) return;
    const level *lv = &m->abs->lv[ilvl];
    if (!lv->text || (lv->fmt && !strcmp(lv->fmt, "bullet"))) return;
    if (!m->started[ilvl]) {
        m->count[ilvl] = m->overridden[ilvl] ? m->start_override[ilvl] : lv->start;
        m->started[ilvl] = 1;
    } else if (m->count[ilvl] < INT_MAX) {
        m->count[ilvl]++;
    }
    for (int k = ilvl + 1; k < MAX_LEVELS; k++) m->started[k] = 0;
    for (const char *p = lv->text; *p; p++) {
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
            int k = p[1] - '1';
            int v = m->started[k] ? m->count[k] : m->abs->lv[k].start;
            if (format_number(&d->out, m->abs->lv[k].fmt, v) < 0) d->oom = 1;
            p++;
        } else if (fz_buf_append(&d->out, p, 1) < 0) {
            d->oom = 1;
        }
    }
}

/* ---- the body ---------------------------------------------------------- */

/* An OOXML toggle property (w:vanish, w:specVanish …) is on when it is
 * present without w:val or with 1, true or on; Word writes w:val="0" to
 * turn off what a style turns on, and some writers put it on every run. */
static int toggle_on(xmlNodePtr prop) {
    if (!prop) return 0;
    char *v = fz_xml_attr(prop, "val");
    if (!v) return 1;
    int on = !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "on");
    xmlFree(v);
    return on;
}

/* A run whose properties hide it (w:vanish): not shown, not read. */
static int hidden_run(xmlNodePtr r) {
    xmlNodePtr rpr = fz_xml_child(r, "rPr");
    return rpr && (toggle_on(fz_xml_child(rpr, "vanish")) ||
                   toggle_on(fz_xml_child(rpr, "specVanish")));
}

static void keep_box(docx *d, xmlNodePtr box) {
    if (fz_grow(&d->boxes, &d->boxcap, d->nboxes + 1, sizeof *d->boxes) < 0) {
        d->oom = 1;
        return;
    }
    d->boxes[d->nboxes++] = box;
}

static int skipped(const char *name) {
    static const char *const names[] = {"del", "moveFrom", "instrText", "delText",
                                        "delInstrText", "footnoteReference",
                                        "endnoteReference", "pPr", "rPr", NULL};
    for (size_t i = 0; names[i]; i++)
        if (!strcmp(name, names[i])) return 1;
    return 0;
}

/* Of mc:AlternateContent's versions of the same content, the first
 * choice, else the fallback: never both. */
static xmlNodePtr alternative(xmlNodePtr ac) {
    xmlNodePtr pick = fz_xml_child(ac, "Choice");
    return pick ? pick : fz_xml_child(ac, "Fallback");
}

static void runs(docx *d, xmlNodePtr n) {
    if (++d->depth > 64) {
        d->depth--;
        return;
    }
    for (xmlNodePtr c = n->children; c && !d->oom; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        const char *name = (const char *)c->name;
        if (!strcmp(name, "t")) {
            xmlChar *t = xmlNodeGetContent(c);
            if (t && fz_buf_puts(&d->out, (const char *)t) < 0) d->oom = 1;
            xmlFree(t);
        } else if (!strcmp(name, "tab")) {
            if (fz_buf_puts(&d->out, " ") < 0) d->oom = 1;
        } else if (!strcmp(name, "br") || !strcmp(name, "cr")) {
            if (fz_buf_puts(&d->out, "\n") < 0) d->oom = 1;
        } else if (!strcmp(name, "txbxContent")) {
            keep_box(d, c); /* read after the paragraph */
        } else if (!strcmp(name, "AlternateContent")) {
            xmlNodePtr pick = alternative(c);
            if (pick) runs(d, pick);
        } else if (skipped(name) || (!strcmp(name, "r") && hidden_run(c))) {
            continue;
        } else {
            runs(d, c); /* r, hyperlink, ins, smartTag, sdtContent, drawing, pict … */
        }
    }
    d->depth--;
}

static void block(docx *d, xmlNodePtr n);
static void alt_chunk(docx *d, xmlNodePtr c);

/* Counts the line breaks of out up to `end` the way fz_text_take makes
 * lines: LF, CRLF and a lone CR each end one. The byte at `end` exists
 * (a paragraph ends with its LF), so a CR's next byte is always known. */
static void count_lines(docx *d, size_t end) {
    const char *s = d->out.ptr;
    for (size_t i = d->counted; i < end; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= d->out.len || s[i + 1] != '\n'))) d->lines++;
    d->counted = end;
}

/* Tells fn that paragraph p's own text, from byte `start` of out to its
 * end, is the lines it covers. */
static void tell(docx *d, xmlNodePtr p, size_t start) {
    count_lines(d, start);
    size_t before = d->lines;
    count_lines(d, d->out.len);
    size_t first = before + 1, n = d->lines - before;
    if (first > UINT32_MAX || n > UINT32_MAX) return; /* far past what is checked */
    d->fn(d->ctx, p, (uint32_t)first, (uint32_t)n);
}

/* A paragraph, then the text boxes anchored in it (which may hold text
 * boxes of their own: the list works as a stack). */
static void paragraph(docx *d, xmlNodePtr p) {
    size_t first_box = d->nboxes, start = d->out.len;
    numbering(d, fz_xml_child(p, "pPr"));
    runs(d, p);
    if (fz_buf_puts(&d->out, "\n") < 0) d->oom = 1;
    if (d->fn && !d->oom) tell(d, p, start);
    for (size_t i = first_box; i < d->nboxes && !d->oom; i++) block(d, d->boxes[i]);
    d->nboxes = first_box;
}

/* Body-level content: paragraphs, tables (each cell's paragraphs in
 * order), content controls. */
static void block(docx *d, xmlNodePtr n) {
    if (++d->depth > 64) {
        d->depth--;
        return;
    }
    for (xmlNodePtr c = n->children; c && !d->oom; c = c->next) {
        if (fz_xml_is(c, "p")) {
            paragraph(d, c);
        } else if (fz_xml_is(c, "AlternateContent")) {
            xmlNodePtr pick = alternative(c);
            if (pick) block(d, pick);
        } else if (fz_xml_is(c, "altChunk")) {
            alt_chunk(d, c);
        } else if (fz_xml_is(c, "tbl") || fz_xml_is(c, "tr") || fz_xml_is(c, "tc") ||
                 fz_xml_is(c, "sdt") || fz_xml_is(c, "sdtContent") || fz_xml_is(c, "customXml")) {
            block(d, c);
        }
    }
    d->depth--;
}

static void release(docx *d) {
    for (size_t i = 0; i < d->nabs; i++) {
        free(d->abs[i].id);
        for (int k = 0; k < MAX_LEVELS; k++) {
            free(d->abs[i].lv[k].fmt);
            free(d->abs[i].lv[k].text);
        }
    }
    free(d->abs);
    for (size_t i = 0; i < d->nnums; i++) free(d->nums[i].id);
    free(d->nums);
    for (size_t i = 0; i < d->nstyles; i++) {
        free(d->styles[i].id);
        free(d->styles[i].num_id);
        free(d->styles[i].based_on);
    }
    free(d->styles);
    free(d->boxes);
    fz_buf_free(&d->out);
}

/* Parses an optional part; a damaged optional part is ignored. */
static xmlDocPtr optional_part(fz_zip *z, const char *name) {
    if (!fz_zip_has(z, name)) return NULL;
    char *data = NULL, *err = NULL;
    size_t len;
    xmlDocPtr x = NULL;
    if (fz_zip_read(z, name, &data, &len, &err) == 0) x = fz_xml_parse(data, len, name, &err);
    free(data);
    free(err);
    return x;
}

/* docx.h. Word Online and Office 365 save the body as
 * word/document2.xml, and only the package's relationships say so. */
char *fz_docx_related(fz_zip *z, const char *part, const char *type, const char *id) {
    fz_buf rels = {0};
    const char *slash = strrchr(part, '/');
    int bad = slash ? fz_buf_printf(&rels, "%.*s_rels/%s.rels", (int)(slash - part + 1), part,
                                    slash + 1) < 0
                    : fz_buf_printf(&rels, "%s_rels/%s.rels", "", part) < 0;
    xmlDocPtr x = bad ? NULL : optional_part(z, rels.ptr);
    fz_buf_free(&rels);
    char *found = NULL;
    xmlNodePtr root = x ? xmlDocGetRootElement(x) : NULL;
    for (xmlNodePtr c = root ? root->children : NULL; c && !found; c = c->next) {
        if (!fz_xml_is(c, "Relationship")) continue;
        char *t = fz_xml_attr(c, "Type"), *target = fz_xml_attr(c, "Target"),
             *mode = fz_xml_attr(c, "TargetMode"), *rid = type ? NULL : fz_xml_attr(c, "Id");
        const char *last = t ? strrchr(t, '/') : NULL;
        int match = type ? last && !strcmp(last + 1, type) : rid && !strcmp(rid, id);
        if (match && target && !(mode && !strcmp(mode, "External")))
            found = fz_zip_path(part, target);
        if (rid) xmlFree(rid);
        if (t) xmlFree(t);
        if (target) xmlFree(target);
        if (mode) xmlFree(mode);
    }
    if (x) xmlFreeDoc(x);
    return found;
}

/* ---- altChunk: a part in another format, shown in its place ---------- */

/* HTML elements that make a line of their own, and those never shown. */
static int html_block(const char *name) {
    static const char *const names[] = {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "legend", "li", "main",
        "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul", NULL};
    for (size_t i = 0; names[i]; i++)
        if (!strcmp(name, names[i])) return 1;
    return 0;
}

static int html_hidden(const char *name) {
    return !strcmp(name, "head") || !strcmp(name, "script") || !strcmp(name, "style") ||
           !strcmp(name, "template") || !strcmp(name, "title");
}

typedef struct {
    docx *d;
    int open;    /* text written on the current line */
    int space;   /* white space seen since the last character written */
    int pre;     /* inside <pre>: line breaks kept */
} html_text;

static void html_put(html_text *h, const char *s, size_t n) {
    if (fz_buf_append(&h->d->out, s, n) < 0) h->d->oom = 1;
}

static void html_break(html_text *h) {
    if (h->open) html_put(h, "\n", 1);
    h->open = h->space = 0;
}

/* Text as a browser shows it: runs of white space (and no-break spaces)
 * are one space, none at the start of a line. */
static void html_chars(html_text *h, const char *s) {
    while (*s && !h->d->oom) {
        size_t sp = 0;
        for (;;) {
            if (s[sp] == ' ' || s[sp] == '\t' || s[sp] == '\r' || s[sp] == '\f' ||
                (s[sp] == '\n' && !h->pre))
                sp++;
            else if ((unsigned char)s[sp] == 0xC2 && (unsigned char)s[sp + 1] == 0xA0)
                sp += 2;
            else
                break;
        }
        if (sp) {
            h->space = 1;
            s += sp;
            continue;
        }
        if (*s == '\n') { /* in <pre> */
            html_put(h, "\n", 1);
            h->open = h->space = 0;
            s++;
            continue;
        }
        size_t n = 0;
        while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\r' && s[n] != '\f' &&
               s[n] != '\n' && !((unsigned char)s[n] == 0xC2 && (unsigned char)s[n + 1] == 0xA0))
            n++;
        if (h->space && h->open) html_put(h, " ", 1);
        html_put(h, s, n);
        h->open = 1;
        h->space = 0;
        s += n;
    }
}

/* The nodes from `first` on and what they hold, in document order;
 * nesting deeper than a page shows is not followed. */
static void html_walk(html_text *h, xmlNodePtr first, int depth) {
    if (depth > 256) return;
    for (xmlNodePtr c = first; c && !h->d->oom; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content) html_chars(h, (const char *)c->content);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE || !c->name) continue;
        const char *name = (const char *)c->name;
        if (html_hidden(name)) continue;
        if (!strcmp(name, "br")) {
            html_put(h, "\n", 1);
            h->open = h->space = 0;
            continue;
        }
        int blk = html_block(name), pre = !strcmp(name, "pre");
        if (blk) html_break(h);
        h->pre += pre;
        html_walk(h, c->children, depth + 1);
        h->pre -= pre;
        if (blk) html_break(h);
    }
}

/* True when the part is an HTML page: named so, or starting like one. */
static int is_html(const char *path, const char *data, size_t len) {
    const char *dot = strrchr(path, '.');
    if (dot && (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm") ||
                !strcasecmp(dot, ".xhtml") || !strcasecmp(dot, ".xht")))
        return 1;
    size_t i = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
    if (i >= len || data[i] != '<') return 0;
    for (size_t k = i; k + 5 <= len && k < i + 1024; k++)
        if ((data[k] == '<') && (data[k + 1] | 0x20) == 'h' && (data[k + 2] | 0x20) == 't' &&
            (data[k + 3] | 0x20) == 'm' && (data[k + 4] | 0x20) == 'l')
            return 1;
    return 0;
}

/* The part a w:altChunk names (r:id, through the main part's
 * relationships): an HTML page's text is read; a chunk that is missing
 * or of another kind is counted as unread. */
static void alt_chunk(docx *d, xmlNodePtr c) {
    char *id = fz_xml_attr(c, "id");
    char *path = id ? fz_docx_related(d->zip, d->main, NULL, id) : NULL;
    if (id) xmlFree(id);
    if (!path || !fz_zip_has(d->zip, path)) {
        free(path);
        d->unread++;
        return;
    }
    char *data = NULL;
    size_t len = 0;
    /* the caps on what is inflated hold here as for any part */
    if (fz_zip_read(d->zip, path, &data, &len, d->err) < 0) {
        free(path);
        d->oom = 1;
        return;
    }
    int html = is_html(path, data, len) && len <= (size_t)INT32_MAX;
    free(path);
    htmlDocPtr x = html ? htmlReadMemory(data, (int)len, NULL, NULL,
                                         HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                             HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT)
                        : NULL;
    free(data);
    if (!x) {
        d->unread++;
        return;
    }
    html_text h = {.d = d};
    html_walk(&h, x->children, 0);
    html_break(&h);
    xmlFreeDoc(x);
}

/* A part the main part relates to, else its usual place beside it. */
static xmlDocPtr main_related(fz_zip *z, const char *main, const char *type, const char *usual) {
    char *path = fz_docx_related(z, main, type, NULL);
    if (!path || !fz_zip_has(z, path)) {
        free(path);
        path = fz_zip_path(main, usual);
    }
    xmlDocPtr x = path ? optional_part(z, path) : NULL;
    free(path);
    return x;
}

char *fz_docx_main_part(fz_zip *z) {
    char *main = fz_docx_related(z, "", "officeDocument", NULL);
    if (main && fz_zip_has(z, main)) return main;
    free(main);
    return fz_zip_has(z, "word/document.xml") ? fz_strdup("word/document.xml") : NULL;
}

int fz_docx_body_text(fz_zip *z, const char *main, xmlDocPtr body, fz_buf *out,
                      fz_docx_para_fn fn, void *ctx, char **err) {
    docx d = {.zip = z, .main = main, .err = err, .fn = fn, .ctx = ctx};
    d.out = *out;
    d.counted = out->len; /* what the caller had is not this body's lines */
    xmlDocPtr num = main_related(z, main, "numbering", "numbering.xml");
    xmlDocPtr sty = main_related(z, main, "styles", "styles.xml");
    if (num) load_numbering(&d, num);
    if (sty) load_styles(&d, sty);
    xmlNodePtr root = xmlDocGetRootElement(body);
    /* a document has one body; a damaged one may have more: read them all */
    for (xmlNodePtr b = root ? root->children : NULL; b && !d.oom; b = b->next)
        if (fz_xml_is(b, "body")) block(&d, b);
    int rc = d.oom    ? fz_fail(err, FZ_ENOMEM)
           : d.unread ? fz_fail(err, "Word 文件的正文（全部或部分）是嵌入的网页或其他格式的内容（altChunk），"
                                     "无法直接读取：请在 Word 中打开此文件，另存为 .docx 后再检查")
                      : 0;
    if (num) xmlFreeDoc(num);
    if (sty) xmlFreeDoc(sty);
    *out = d.out;
    d.out = (fz_buf){0};
    release(&d);
    return rc;
}

int fz_read_docx(const char *bytes, size_t n, fz_text *out, char **err) {
    out->format = "docx";
    out->encoding = "UTF-8";
    out->loc = FZ_LOC_PARAGRAPH;
    if (n >= 8 && !memcmp(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return fz_fail(err, "文件已加密，或实为旧版 Word（.doc）格式：请另存为未加密的 .docx");
    fz_zip z;
    if (fz_zip_open(&z, bytes, n, "Word（.docx）", err) < 0) return -1;
    char *data = NULL;
    size_t len;
    char *main = fz_docx_main_part(&z);
    if (!main) {
        fz_zip_close(&z);
        return fz_fail(err, "不是有效的 Word 文档（找不到正文 word/document.xml）");
    }
    int rd = fz_zip_read(&z, main, &data, &len, err);
    if (rd < 0) {
        free(main);
        fz_zip_close(&z);
        return -1;
    }
    xmlDocPtr body = fz_xml_parse(data, len, "Word 文档正文", err);
    free(data);
    if (!body) {
        free(main);
        fz_zip_close(&z);
        return -1;
    }
    fz_buf text = {0};
    int rc = fz_docx_body_text(&z, main, body, &text, NULL, NULL, err);
    if (rc == 0) rc = fz_text_take(out, &text, err);
    fz_buf_free(&text);
    xmlFreeDoc(body);
    free(main);
    fz_zip_close(&z);
    return rc;
}
