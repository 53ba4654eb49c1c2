/*
 * output_docx.c - the annotated Word copy (output.h, fz_annotate).
 *
 * What the comments say and where they go is planned in annot.c; this
 * file puts them into a Word package:
 *
 *   a .docx/.docm report: its own package, copied entry by entry (the
 *     compressed bytes of every part untouched: styles, numbering,
 *     images, headers, existing comments, tracked changes), except
 *       - the main part, parsed with libxml2, each commented w:p getting
 *         w:commentRangeStart before its content, w:commentRangeEnd and a
 *         w:commentReference run after it;
 *       - word/comments.xml, the existing comments kept with their ids
 *         and the new ones added with ids above every id in use;
 *       - the main part's relationships and [Content_Types].xml, given
 *         the comments part when they lack it.
 *     The w:p of a line is found by the reader's own walk (docx.h). A
 *     paragraph inside a text box is commented on the body paragraph the
 *     box is anchored in (Word does not keep comments in text boxes), and
 *     a line an altChunk page gave on the nearest paragraph before it (or
 *     after). A body with no paragraph at all to comment on (all of it
 *     altChunk pages) gets the new document below instead.
 *   - any other report: a new document of its extracted paragraphs, one
 *     w:p each (the title in the Title style, whole-paragraph headings in
 *     Heading 1-4), 宋体, with the same comments on paragraph indices.
 *
 * Whatever cannot be done right (Strict Open XML, a damaged part, ids
 * used up, a file changed since it was checked) is refused with a reason
 * rather than written half right.
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annot.h"
#include "atomic.h"
#include "docx.h"
#include "ooxml.h"
#include "read.h"
#include "util.h"
#include "zipxml.h"

/* ---- comments ---------------------------------------------------------- */

static xmlNodePtr w_el(xmlDocPtr doc, xmlNsPtr ns, const char *name, long id, int *oom) {
    xmlNodePtr n = xmlNewDocNode(doc, ns, (const xmlChar *)name, NULL);
    if (!n) {
        *oom = 1;
        return NULL;
    }
    if (id >= 0) {
        char v[24];
        snprintf(v, sizeof v, "%ld", id);
        if (!xmlNewNsProp(n, ns, (const xmlChar *)"id", (const xmlChar *)v)) *oom = 1;
    }
    return n;
}

static void w_attr(xmlNodePtr n, xmlNsPtr ns, const char *name, const char *v, int *oom) {
    if (n && !xmlNewNsProp(n, ns, (const xmlChar *)name, (const xmlChar *)v)) *oom = 1;
}

static void add(xmlNodePtr parent, xmlNodePtr child, int *oom) {
    if (!parent || !child) {
        if (child) xmlFreeNode(child);
        *oom = 1;
        return;
    }
    if (!xmlAddChild(parent, child)) {
        xmlFreeNode(child);
        *oom = 1;
    }
}

/* <w:r><w:t xml:space="preserve">s[0..n)</w:t></w:r>, the text cleaned
 * of what XML 1.0 forbids (libxml2 escapes the rest when writing). */
static xmlNodePtr text_run(xmlDocPtr doc, xmlNsPtr ns, const char *s, size_t n, int *oom) {
    xmlNodePtr r = w_el(doc, ns, "r", -1, oom), t = w_el(doc, ns, "t", -1, oom);
    char *clean = fz_xml_clean(s, n);
    xmlNsPtr xml = t ? xmlSearchNs(doc, t, (const xmlChar *)"xml") : NULL;
    if (t && xml && !xmlNewNsProp(t, xml, (const xmlChar *)"space", (const xmlChar *)"preserve"))
        *oom = 1;
    xmlNodePtr txt = clean ? xmlNewDocText(doc, (const xmlChar *)clean) : NULL;
    if (!clean || !txt) *oom = 1;
    free(clean);
    add(t, txt, oom);
    add(r, t, oom);
    return r;
}

/* Adds <w:comment> id with the note's text to comments' root `root`:
 * one w:p per line of the text, the first opening with the annotation
 * mark. `styled`: the package defines CommentText and CommentReference. */
/* <w:pPr><w:pStyle w:val="style"/></w:pPr> (or rPr/rStyle) into parent. */
static void add_style(xmlDocPtr doc, xmlNsPtr ns, xmlNodePtr parent, const char *props,
                      const char *kind, const char *style, int *oom) {
    xmlNodePtr pr = w_el(doc, ns, props, -1, oom), st = w_el(doc, ns, kind, -1, oom);
    w_attr(st, ns, "val", style, oom);
    add(pr, st, oom);
    add(parent, pr, oom);
}

static void add_comment(xmlDocPtr doc, xmlNodePtr root, xmlNsPtr ns, long id,
                        const fz_annotate_opts *o, const char *text, int styled, int *oom) {
    xmlNodePtr c = w_el(doc, ns, "comment", id, oom);
    w_attr(c, ns, "author", o->author ? o->author : "fzcheck", oom);
    w_attr(c, ns, "date", o->date ? o->date : "1970-01-01T00:00:00Z", oom);
    w_attr(c, ns, "initials", "fz", oom);
    for (const char *line = text, *end; !*oom; line = end + 1) {
        end = strchr(line, '\n');
        if (!end) end = line + strlen(line);
        xmlNodePtr p = w_el(doc, ns, "p", -1, oom);
        if (styled) add_style(doc, ns, p, "pPr", "pStyle", "CommentText", oom);
        if (line == text) {
            xmlNodePtr r = w_el(doc, ns, "r", -1, oom);
            if (styled) add_style(doc, ns, r, "rPr", "rStyle", "CommentReference", oom);
            add(r, w_el(doc, ns, "annotationRef", -1, oom), oom);
            add(p, r, oom);
        }
        add(p, text_run(doc, ns, line, (size_t)(end - line), oom), oom);
        add(c, p, oom);
        if (!*end) break;
    }
    add(root, c, oom);
}

/* A new, empty comments part. */
static xmlDocPtr new_comments(char **err) {
    static const char skeleton[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:comments xmlns:w=\"" FZ_NS_W "\"/>";
    xmlDocPtr d = fz_xml_parse(skeleton, sizeof skeleton - 1, "comments.xml", err);
    return d;
}

/* The namespace of the WordprocessingML elements under root. */
static xmlNsPtr w_ns(xmlDocPtr doc, xmlNodePtr root) {
    return root ? xmlSearchNsByHref(doc, root, (const xmlChar *)FZ_NS_W) : NULL;
}

/* Adds the notes as comments first_id, first_id + 1 … Returns 0 or -1. */
static int add_comments(xmlDocPtr doc, const fz_notes *notes, long first_id,
                        const fz_annotate_opts *o, int styled, char **err) {
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNsPtr ns = w_ns(doc, root);
    if (!root || !fz_xml_is(root, "comments") || !ns || root->ns != ns)
        return fz_fail(err, "Word 文件中原有的批注部件（comments.xml）格式不对");
    int oom = 0;
    for (size_t i = 0; i < notes->n && !oom; i++)
        add_comment(doc, root, ns, first_id + (long)i, o, notes->v[i].text, styled, &oom);
    return oom ? fz_fail(err, FZ_ENOMEM) : 0;
}

/* ---- the file ----------------------------------------------------------- */

static int slurp(const char *path, char **data, size_t *len, char **err) {
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) return fz_fail(err, "无法再次打开报告文件：%s", fz_errno_message(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uintmax_t)st.st_size > fz_read_max_bytes()) {
        close(fd);
        return fz_fail(err, "报告文件已不是检查时的文件");
    }
    size_t size = (size_t)st.st_size, got = 0;
    char *buf = malloc(size + 1);
    if (!buf) {
        close(fd);
        return fz_fail(err, FZ_ENOMEM);
    }
    while (got < size) {
        ssize_t k = read(fd, buf + got, size - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        got += (size_t)k;
    }
    close(fd);
    if (got != size) {
        free(buf);
        return fz_fail(err, "再次读取报告文件时出错");
    }
    *data = buf;
    *len = size;
    return 0;
}

/* ---- a new document (reports that are not Word files) ------------------- */

static const char new_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"" FZ_NS_CT "\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/comments.xml\" ContentType=\"" FZ_CT_COMMENTS "\"/>"
    "</Types>";

static const char new_package_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"" FZ_NS_PKG_REL "\">"
    "<Relationship Id=\"rId1\" Type=\"" FZ_NS_REL "/officeDocument\" Target=\"word/document.xml\"/>"
    "</Relationships>";

static const char new_document_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"" FZ_NS_PKG_REL "\">"
    "<Relationship Id=\"rId1\" Type=\"" FZ_NS_REL "/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" FZ_REL_COMMENTS "\" Target=\"comments.xml\"/>"
    "</Relationships>";

#define HEADING(id, name, level, font, size)                                                      \
    "<w:style w:type=\"paragraph\" w:styleId=\"" id "\"><w:name w:val=\"" name "\"/>"             \
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"                          \
    "<w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"120\"/><w:outlineLvl w:val=\"" level \
    "\"/></w:pPr><w:rPr><w:rFonts w:eastAsia=\"" font "\"/><w:sz w:val=\"" size "\"/>"            \
    "<w:szCs w:val=\"" size "\"/></w:rPr></w:style>"

static const char new_styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"" FZ_NS_W "\">"
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\" "
    "w:cs=\"Times New Roman\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>"
    "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
    "<w:pPrDefault><w:pPr><w:spacing w:line=\"400\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault>"
    "</w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
    "<w:qFormat/><w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"560\"/><w:jc w:val=\"both\"/></w:pPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
    "<w:pPr><w:spacing w:before=\"240\" w:after=\"240\" w:line=\"560\" w:lineRule=\"exact\"/>"
    "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr>"
    "<w:rPr><w:rFonts w:eastAsia=\"黑体\"/><w:b/><w:sz w:val=\"36\"/><w:szCs w:val=\"36\"/></w:rPr></w:style>"
    HEADING("Heading1", "heading 1", "0", "黑体", "32")
    HEADING("Heading2", "heading 2", "1", "楷体", "30")
    HEADING("Heading3", "heading 3", "2", "宋体", "28")
    HEADING("Heading4", "heading 4", "3", "宋体", "28")
    "<w:style w:type=\"paragraph\" w:styleId=\"CommentText\"><w:name w:val=\"annotation text\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
    "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"left\"/></w:pPr>"
    "<w:rPr><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>"
    "<w:style w:type=\"character\" w:styleId=\"CommentReference\"><w:name w:val=\"annotation reference\"/>"
    "<w:rPr><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr></w:style>"
    "</w:styles>";

/* A note's place in a new document: by paragraph. */
typedef struct {
    size_t para;
    long id;
} placed;

static int by_para(const void *a, const void *b) {
    const placed *x = a, *y = b;
    return x->para < y->para ? -1 : x->para > y->para ? 1 : x->id < y->id ? -1 : x->id > y->id;
}

/* The paragraph styles of a new document: the title's paragraphs Title,
 * a heading that is its whole paragraph Heading 1-4. */
static const char *const para_styles[] = {NULL, "Heading1", "Heading2", "Heading3", "Heading4", "Title"};

static void mark_styles(const fz_doc *d, unsigned char *style) {
    size_t np = d->norm.n;
    for (size_t s = 0; s < d->nsections; s++) {
        const fz_section *sec = &d->sections[s];
        if (sec->para < np && sec->title_start == 0 && sec->title_end >= d->norm.paras[sec->para].len &&
            sec->level >= 1 && sec->level <= 4)
            style[sec->para] = (unsigned char)sec->level;
    }
    if (!d->title) return;
    for (size_t p = 0; p < np && p < d->title_end_para; p++) {
        const fz_para *q = &d->norm.paras[p];
        if (q->npieces && q->pieces[q->npieces - 1].line >= d->title_line) style[p] = 5;
    }
}

static int new_document(const fz_report *r, const fz_notes *notes, const fz_annotate_opts *o,
                        fz_buf *out, char **err) {
    const fz_doc *d = &r->doc;
    size_t np = d->norm.n;
    placed *at = malloc((notes->n ? notes->n : 1) * sizeof *at);
    unsigned char *heading = calloc(np ? np : 1, 1);
    fz_buf doc = {0};
    xmlDocPtr com = NULL;
    fz_zipw w = {0};
    int rc = -1, bad = 0;
    if (!at || !heading) {
        fz_fail(err, FZ_ENOMEM);
        goto done;
    }
    for (size_t i = 0; i < notes->n; i++) {
        at[i].para = notes->v[i].para < np ? notes->v[i].para : np ? np - 1 : 0;
        at[i].id = (long)i;
    }
    qsort(at, notes->n, sizeof *at, by_para);
    mark_styles(d, heading);
    bad |= fz_buf_puts(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                             "<w:document xmlns:w=\"" FZ_NS_W "\" xmlns:r=\"" FZ_NS_REL "\"><w:body>") < 0;
    size_t k = 0;
    for (size_t p = 0; p < (np ? np : 1) && !bad; p++) {
        size_t k0 = k;
        while (k < notes->n && at[k].para == p) k++;
        bad |= fz_buf_puts(&doc, "<w:p>") < 0;
        const char *style = np ? para_styles[heading[p]] : NULL;
        if (style) bad |= fz_buf_printf(&doc, "<w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style) < 0;
        for (size_t j = k0; j < k; j++) bad |= fz_buf_printf(&doc, "<w:commentRangeStart w:id=\"%ld\"/>", at[j].id) < 0;
        if (np) {
            bad |= fz_buf_puts(&doc, "<w:r><w:t xml:space=\"preserve\">") < 0;
            bad |= fz_xml_escape(&doc, d->norm.paras[p].text, d->norm.paras[p].len, 1) < 0;
            bad |= fz_buf_puts(&doc, "</w:t></w:r>") < 0;
        }
        for (size_t j = k0; j < k; j++)
            bad |= fz_buf_printf(&doc, "<w:commentRangeEnd w:id=\"%ld\"/><w:r><w:rPr><w:rStyle "
                                       "w:val=\"CommentReference\"/></w:rPr><w:commentReference w:id=\"%ld\"/></w:r>",
                                 at[j].id, at[j].id) < 0;
        bad |= fz_buf_puts(&doc, "</w:p>") < 0;
    }
    /* A4, the margins of GB/T 9704 公文 */
    bad |= fz_buf_puts(&doc, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" "
                             "w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" "
                             "w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>") < 0;
    if (bad) {
        fz_fail(err, FZ_ENOMEM);
        goto done;
    }
    if (!(com = new_comments(err)) || add_comments(com, notes, 0, o, 1, err) < 0) goto done;
    size_t clen;
    char *cbytes = fz_xml_dump(com, &clen);
    if (!cbytes) {
        fz_fail(err, FZ_ENOMEM);
        goto done;
    }
    if (fz_zipw_open(&w, err) < 0) {
        free(cbytes);
        goto done;
    }
    size_t dlen = doc.len;
    char *dbytes = fz_buf_steal(&doc);
    if (fz_zipw_add(&w, "[Content_Types].xml", new_types, sizeof new_types - 1, err) < 0 ||
        fz_zipw_add(&w, "_rels/.rels", new_package_rels, sizeof new_package_rels - 1, err) < 0 ||
        fz_zipw_take(&w, "word/document.xml", dbytes, dlen, err) < 0 ||
        fz_zipw_add(&w, "word/_rels/document.xml.rels", new_document_rels,
                    sizeof new_document_rels - 1, err) < 0 ||
        fz_zipw_add(&w, "word/styles.xml", new_styles, sizeof new_styles - 1, err) < 0 ||
        fz_zipw_take(&w, "word/comments.xml", cbytes, clen, err) < 0) {
        fz_zipw_abort(&w);
        goto done;
    }
    rc = fz_zipw_finish(&w, out, err);
done:
    free(at);
    free(heading);
    fz_buf_free(&doc);
    if (com) xmlFreeDoc(com);
    return rc;
}

/* ---- a Word report: its own package with comments ----------------------- */

/* The reader's walk, told which w:p each line comes from. */
typedef struct {
    xmlNodePtr *node;    /* per line (index line - 1): the w:p to comment on, or NULL */
    size_t n, cap;
    int oom;
} line_map;

/* The paragraph a comment on p goes on: p itself, or the outermost w:p
 * holding it (p is in a text box); NULL inside mc:AlternateContent
 * (a comment there would be in one version of the content only). */
static xmlNodePtr anchor_of(xmlNodePtr p) {
    xmlNodePtr a = p;
    for (xmlNodePtr n = p->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        if (fz_xml_is(n, "p")) a = n;
    }
    for (xmlNodePtr n = a->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        if (fz_xml_is(n, "AlternateContent")) return NULL;
    return a;
}

static void on_para(void *ctx, xmlNodePtr p, uint32_t first, uint32_t n) {
    line_map *m = ctx;
    size_t end = (size_t)first - 1 + n;
    if (m->oom || fz_grow(&m->node, &m->cap, end, sizeof *m->node) < 0) {
        m->oom = 1;
        return;
    }
    while (m->n < end) m->node[m->n++] = NULL;
    xmlNodePtr a = anchor_of(p);
    for (size_t i = (size_t)first - 1; i < end; i++) m->node[i] = a;
}

/* Gives every line a paragraph: a line of none (an altChunk page's) takes
 * the nearest one before it, else after. Returns 0 when no line has any. */
static int fill_lines(line_map *m) {
    xmlNodePtr last = NULL;
    for (size_t i = 0; i < m->n; i++) {
        if (m->node[i]) last = m->node[i];
        else m->node[i] = last;
    }
    last = NULL;
    for (size_t i = m->n; i-- > 0;) {
        if (m->node[i]) last = m->node[i];
        else m->node[i] = last;
    }
    return m->n && m->node[0];
}

/* The largest comment id in use under n (ranges and references), or -1. */
static long max_id_in(xmlNodePtr n, const char *const *names) {
    long max = -1;
    xmlNodePtr c = n;
    while (c) {
        if (c->type == XML_ELEMENT_NODE) {
            int hit = 0;
            for (size_t i = 0; names[i] && !hit; i++) hit = fz_xml_is(c, names[i]);
            if (hit) {
                char *v = fz_xml_attr(c, "id");
                if (v) {
                    long id = strtol(v, NULL, 10);
                    if (id > max) max = id;
                    xmlFree(v);
                }
            }
        }
        /* document order, without recursion */
        if (c->type == XML_ELEMENT_NODE && c->children) {
            c = c->children;
            continue;
        }
        while (c && c != n && !c->next) c = c->parent;
        if (!c || c == n) break;
        c = c->next;
    }
    return max;
}

typedef struct {
    xmlNodePtr p;
    uintptr_t key;  /* p as a number: notes on one paragraph sort together */
    long id;
} anchored;

static int by_anchor(const void *a, const void *b) {
    const anchored *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Puts comment ids v[0..n) on paragraph p: the ranges' starts before its
 * content (after w:pPr), their ends and the reference runs after it. */
static void mark_paragraph(xmlDocPtr doc, xmlNodePtr p, const anchored *v, size_t n, int *oom) {
    xmlNsPtr ns = p->ns;
    xmlNodePtr first = NULL;
    for (xmlNodePtr c = p->children; c && !first; c = c->next)
        if (c->type == XML_ELEMENT_NODE) first = c;
    xmlNodePtr after = first && fz_xml_is(first, "pPr") ? first : NULL;
    xmlNodePtr before = after ? NULL : first;
    for (size_t i = 0; i < n && !*oom; i++) {
        xmlNodePtr s = w_el(doc, ns, "commentRangeStart", v[i].id, oom);
        if (!s) break;
        xmlNodePtr put = after ? xmlAddNextSibling(after, s) : before ? xmlAddPrevSibling(before, s)
                                                                      : xmlAddChild(p, s);
        if (!put) {
            xmlFreeNode(s);
            *oom = 1;
            break;
        }
        after = s;
        before = NULL;
    }
    for (size_t i = 0; i < n && !*oom; i++) {
        add(p, w_el(doc, ns, "commentRangeEnd", v[i].id, oom), oom);
        xmlNodePtr r = w_el(doc, ns, "r", -1, oom);
        add(r, w_el(doc, ns, "commentReference", v[i].id, oom), oom);
        add(p, r, oom);
    }
}

/* Reads and parses an entry of z. */
static xmlDocPtr part(fz_zip *z, const char *name, char **err) {
    char *data = NULL;
    size_t len = 0;
    if (fz_zip_read(z, name, &data, &len, err) < 0) return NULL;
    xmlDocPtr x = fz_xml_parse(data, len, name, err);
    free(data);
    return x;
}

/* "word/_rels/document.xml.rels" for "word/document.xml". */
static char *rels_of(const char *main) {
    const char *slash = strrchr(main, '/');
    return slash ? fz_strdup_printf("%.*s_rels/%s.rels", (int)(slash - main + 1), main, slash + 1)
                 : fz_strdup_printf("_rels/%s.rels", main);
}

/* The existing comments relationship's target in rels, or NULL. */
static char *comments_target(xmlDocPtr rels, const char *main) {
    xmlNodePtr root = xmlDocGetRootElement(rels);
    char *found = NULL;
    for (xmlNodePtr c = root ? root->children : NULL; c && !found; c = c->next) {
        if (!fz_xml_is(c, "Relationship")) continue;
        char *t = fz_xml_attr(c, "Type"), *target = fz_xml_attr(c, "Target"),
             *mode = fz_xml_attr(c, "TargetMode");
        if (t && target && !strcmp(t, FZ_REL_COMMENTS) && !(mode && !strcmp(mode, "External")))
            found = fz_zip_path(main, target);
        if (t) xmlFree(t);
        if (target) xmlFree(target);
        if (mode) xmlFree(mode);
    }
    return found;
}

/* Adds <Relationship Id=… Type=comments Target=target/> with an Id not in
 * use. Returns 0 or -1. */
static int add_relationship(xmlDocPtr rels, const char *target, char **err) {
    xmlNodePtr root = xmlDocGetRootElement(rels);
    if (!root || !fz_xml_is(root, "Relationships"))
        return fz_fail(err, "Word 文件的关系部件（.rels）格式不对");
    char id[48];
    for (unsigned k = 1;; k++) {
        snprintf(id, sizeof id, k == 1 ? "rIdFzComments" : "rIdFzComments%u", k);
        int taken = 0;
        for (xmlNodePtr c = root->children; c && !taken; c = c->next) {
            char *v = fz_xml_is(c, "Relationship") ? fz_xml_attr(c, "Id") : NULL;
            taken = v && !strcmp(v, id);
            if (v) xmlFree(v);
        }
        if (!taken) break;
    }
    xmlNodePtr r = xmlNewDocNode(rels, root->ns, (const xmlChar *)"Relationship", NULL);
    int oom = !r;
    if (r && (!xmlNewProp(r, (const xmlChar *)"Id", (const xmlChar *)id) ||
              !xmlNewProp(r, (const xmlChar *)"Type", (const xmlChar *)FZ_REL_COMMENTS) ||
              !xmlNewProp(r, (const xmlChar *)"Target", (const xmlChar *)target)))
        oom = 1;
    add(root, r, &oom);
    return oom ? fz_fail(err, FZ_ENOMEM) : 0;
}

/* Gives the comments part its content type, when [Content_Types].xml
 * does not already. Returns 1 when changed, 0 when not, -1. */
static int add_content_type(xmlDocPtr types, const char *part_path, char **err) {
    xmlNodePtr root = xmlDocGetRootElement(types);
    if (!root || !fz_xml_is(root, "Types")) return fz_fail(err, "Word 文件的 [Content_Types].xml 格式不对");
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!fz_xml_is(c, "Override")) continue;
        char *name = fz_xml_attr(c, "PartName");
        int same = name && name[0] == '/' && !strcasecmp(name + 1, part_path);
        if (name) xmlFree(name);
        if (same) return 0;
    }
    char *name = fz_strdup_printf("/%s", part_path);
    xmlNodePtr o = name ? xmlNewDocNode(types, root->ns, (const xmlChar *)"Override", NULL) : NULL;
    int oom = !o;
    if (o && (!xmlNewProp(o, (const xmlChar *)"PartName", (const xmlChar *)name) ||
              !xmlNewProp(o, (const xmlChar *)"ContentType", (const xmlChar *)FZ_CT_COMMENTS)))
        oom = 1;
    free(name);
    add(root, o, &oom);
    return oom ? fz_fail(err, FZ_ENOMEM) : 1;
}

static const char new_rels_skeleton[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"" FZ_NS_PKG_REL "\"/>";

/* Serializes x into *bytes unless it is NULL. Returns 0 or -1. */
static int dump(xmlDocPtr x, char **bytes, size_t *len, char **err) {
    if (!x) return 0;
    if (!(*bytes = fz_xml_dump(x, len))) return fz_fail(err, FZ_ENOMEM);
    return 0;
}

/* The report's own package with the comments. Returns 0, -1 with *err,
 * or 1 when its body has no paragraph to comment on. */
static int annotate_package(const char *bytes, size_t n, const fz_notes *notes,
                            const fz_annotate_opts *o, fz_buf *out, char **err) {
    static const char *const marks[] = {"commentRangeStart", "commentRangeEnd", "commentReference", NULL};
    static const char *const comment[] = {"comment", NULL};
    fz_zip z;
    if (fz_zip_open(&z, bytes, n, "Word（.docx）", err) < 0) return -1;
    line_map m = {0};
    fz_buf text = {0};
    char *main = NULL, *rels_path = NULL, *com_path = NULL;
    xmlDocPtr body = NULL, rels = NULL, com = NULL, types = NULL;
    char *body_b = NULL, *rels_b = NULL, *com_b = NULL, *types_b = NULL;
    size_t body_n = 0, rels_n = 0, com_n = 0, types_n = 0;
    anchored *an = NULL;
    fz_zipw w = {0};
    int rc = -1, oom = 0;

    if (!(main = fz_docx_main_part(&z))) {
        fz_fail(err, "不是有效的 Word 文档（找不到正文 word/document.xml）");
        goto done;
    }
    if (!(body = part(&z, main, err))) goto done;
    xmlNodePtr root = xmlDocGetRootElement(body);
    if (!root || !root->ns || !root->ns->href || strcmp((const char *)root->ns->href, FZ_NS_W)) {
        fz_fail(err, "正文不是常用的 Word 格式（可能是 Strict Open XML）：请在 Word 中另存为 .docx 后再生成批注");
        goto done;
    }
    /* the reader's own walk says which w:p each line is */
    if (fz_docx_body_text(&z, main, body, &text, on_para, &m, err) < 0) goto done;
    fz_buf_free(&text);
    if (m.oom) {
        fz_fail(err, FZ_ENOMEM);
        goto done;
    }
    for (size_t i = 0; i < notes->n; i++)
        if (notes->v[i].line > m.n) {
            fz_fail(err, "报告文件在检查之后被改动过（段落数不符），请重新检查");
            goto done;
        }
    if (!fill_lines(&m)) {
        rc = 1;
        goto done;
    }
    for (size_t i = 0; i < m.n; i++)
        if (!m.node[i]->ns || !m.node[i]->ns->href ||
            strcmp((const char *)m.node[i]->ns->href, FZ_NS_W)) {
            fz_fail(err, "正文段落的命名空间不是常用的 Word 格式，无法添加批注");
            goto done;
        }

    /* the comments part: where the relationships say, else beside the body */
    if (!(rels_path = rels_of(main))) goto nomem;
    int rels_exist = fz_zip_has(&z, rels_path);
    if (rels_exist) {
        if (!(rels = part(&z, rels_path, err))) goto done;
        com_path = comments_target(rels, main);
    }
    int rel_new = !com_path;
    if (!com_path && !(com_path = fz_zip_path(main, "comments.xml"))) goto nomem;
    int com_exist = fz_zip_has(&z, com_path);
    long max = max_id_in(root, marks);
    if (com_exist) {
        if (!(com = part(&z, com_path, err))) goto done;
        long cm = max_id_in(xmlDocGetRootElement(com), comment);
        if (cm > max) max = cm;
    } else if (!(com = new_comments(err))) {
        goto done;
    }
    if (max < -1) max = -1;
    if (max >= (long)INT_MAX - (long)notes->n) {
        fz_fail(err, "Word 文件中的批注编号已到上限，无法再添加批注");
        goto done;
    }
    long base = max + 1;

    /* the marks in the body, paragraph by paragraph */
    if (!(an = malloc((notes->n ? notes->n : 1) * sizeof *an))) goto nomem;
    for (size_t i = 0; i < notes->n; i++) {
        uint32_t line = notes->v[i].line ? notes->v[i].line : 1;
        an[i].p = m.node[line - 1];
        an[i].id = base + (long)i;
        an[i].key = (uintptr_t)an[i].p;
    }
    qsort(an, notes->n, sizeof *an, by_anchor);
    for (size_t i = 0, j; i < notes->n && !oom; i = j) {
        for (j = i + 1; j < notes->n && an[j].p == an[i].p;) j++;
        mark_paragraph(body, an[i].p, an + i, j - i, &oom);
    }
    if (oom) goto nomem;
    if (add_comments(com, notes, base, o, 0, err) < 0) goto done;

    /* the package knows the comments part: its type and relationship */
    if (!fz_zip_has(&z, "[Content_Types].xml")) {
        fz_fail(err, "Word 文件缺少 [Content_Types].xml（文件不完整）");
        goto done;
    }
    if (!(types = part(&z, "[Content_Types].xml", err))) goto done;
    int ct = add_content_type(types, com_path, err);
    if (ct < 0) goto done;
    if (!ct) {
        xmlFreeDoc(types);
        types = NULL;
    }
    if (rel_new) {
        if (!rels && !(rels = fz_xml_parse(new_rels_skeleton, sizeof new_rels_skeleton - 1, "rels", err)))
            goto done;
        const char *slash = strrchr(com_path, '/');
        if (add_relationship(rels, slash ? slash + 1 : com_path, err) < 0) goto done;
    } else {
        xmlFreeDoc(rels);
        rels = NULL;
    }
    if (dump(body, &body_b, &body_n, err) < 0 || dump(com, &com_b, &com_n, err) < 0 ||
        dump(types, &types_b, &types_n, err) < 0 || dump(rels, &rels_b, &rels_n, err) < 0)
        goto done;

    /* every entry in its place, the changed ones replaced */
    zip_int64_t main_i = zip_name_locate(z.zip, main, ZIP_FL_NOCASE),
                com_i = com_exist ? zip_name_locate(z.zip, com_path, ZIP_FL_NOCASE) : -1,
                types_i = types_b ? zip_name_locate(z.zip, "[Content_Types].xml", ZIP_FL_NOCASE) : -1,
                rels_i = rels_b && rels_exist ? zip_name_locate(z.zip, rels_path, ZIP_FL_NOCASE) : -1;
    if (fz_zipw_open(&w, err) < 0) goto done;
    zip_int64_t count = zip_get_num_entries(z.zip, 0);
    for (zip_int64_t i = 0; i < count; i++) {
        char **b = i == main_i ? &body_b : i == com_i ? &com_b : i == types_i ? &types_b
                 : i == rels_i ? &rels_b : NULL;
        size_t len = i == main_i ? body_n : i == com_i ? com_n : i == types_i ? types_n : rels_n;
        const char *name = zip_get_name(z.zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        int r2 = b ? (name ? fz_zipw_take(&w, name, *b, len, err) : fz_fail(err, "无法读取 Word 文件中的部件"))
                   : fz_zipw_copy(&w, z.zip, (zip_uint64_t)i, err);
        if (b) *b = NULL; /* taken, even on failure */
        if (r2 < 0) goto abort;
    }
    if (com_b) {
        int r2 = fz_zipw_take(&w, com_path, com_b, com_n, err);
        com_b = NULL;
        if (r2 < 0) goto abort;
    }
    if (rels_b) {
        int r2 = fz_zipw_take(&w, rels_path, rels_b, rels_n, err);
        rels_b = NULL;
        if (r2 < 0) goto abort;
    }
    rc = fz_zipw_finish(&w, out, err);
    goto done;
abort:
    fz_zipw_abort(&w);
    goto done;
nomem:
    fz_fail(err, FZ_ENOMEM);
done:
    free(m.node);
    fz_buf_free(&text);
    free(an);
    free(main);
    free(rels_path);
    free(com_path);
    free(body_b);
    free(rels_b);
    free(com_b);
    free(types_b);
    if (body) xmlFreeDoc(body);
    if (rels) xmlFreeDoc(rels);
    if (com) xmlFreeDoc(com);
    if (types) xmlFreeDoc(types);
    fz_zip_close(&z);
    return rc;
}

int fz_annotate(const fz_pack *pack, const fz_report *r, const char *path,
                const fz_annotate_opts *o, fz_buf *out, char **err) {
    if (r->error) return fz_fail(err, "报告无法读取，没有可批注的内容");
    fz_notes notes;
    if (fz_notes_plan(pack, r, &notes, err) < 0) return -1;
    int rc = 1;
    if (r->doc.format && !strcmp(r->doc.format, "docx")) {
        char *bytes = NULL;
        size_t n = 0;
        rc = slurp(path, &bytes, &n, err);
        if (rc == 0) rc = annotate_package(bytes, n, &notes, o, out, err);
        free(bytes);
    }
    /* other formats, and a Word body with no paragraph to comment on */
    if (rc == 1) rc = new_document(r, &notes, o, out, err);
    fz_notes_free(&notes);
    return rc;
}
