/*
 * read_ofd.c - OFD documents (GB/T 33190, China's fixed-layout format for
 * official documents): a zip whose OFD.xml names the document
 * (DocBody/DocRoot), whose Document.xml lists the pages (Pages/Page
 * BaseLoc), whose pages hold TextObject/TextCode elements. The text is
 * read page by page in document order, a new line wherever the baseline
 * moves.
 */
#include <libxml/tree.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "read_internal.h"
#include "zipxml.h"

/* A zip path: base's directory joined with loc ("/x" is from the root). */
static char *join(const char *base, const char *loc) {
    fz_buf b = {0};
    int bad = 0;
    while (*loc == ' ') loc++;
    if (*loc == '/') {
        loc++;
    } else {
        const char *slash = strrchr(base, '/');
        if (slash) bad |= fz_buf_append(&b, base, (size_t)(slash - base + 1)) < 0;
    }
    bad |= fz_buf_puts(&b, loc) < 0;
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    /* trim trailing white space that some writers leave */
    while (b.len && (b.ptr[b.len - 1] == ' ' || b.ptr[b.len - 1] == '\n')) b.ptr[--b.len] = '\0';
    return fz_buf_steal(&b);
}

static xmlDocPtr part(fz_zip *z, const char *name, char **err) {
    char *data = NULL;
    size_t len;
    if (fz_zip_read(z, name, &data, &len, err) < 0) return NULL;
    xmlDocPtr x = fz_xml_parse(data, len, name, err);
    free(data);
    return x;
}

static double num_attr(xmlNodePtr n, const char *name, double dflt) {
    char *v = fz_xml_attr(n, name);
    double r = v ? atof(v) : dflt;
    if (v) xmlFree(v);
    return r;
}

/* The y of a TextObject's Boundary="x y w h". */
static double boundary_y(xmlNodePtr obj) {
    char *v = fz_xml_attr(obj, "Boundary");
    double x = 0, y = 0;
    if (v) {
        char *end;
        x = strtod(v, &end);
        y = strtod(end, NULL);
        xmlFree(v);
    }
    (void)x;
    return y;
}

typedef struct {
    fz_buf *out;
    double last_y;
    int started;
    int oom;
    int depth;
} page_text;

static void objects(page_text *pt, xmlNodePtr n) {
    if (++pt->depth > 64) {
        pt->depth--;
        return;
    }
    for (xmlNodePtr c = n->children; c && !pt->oom; c = c->next) {
        if (fz_xml_is(c, "TextObject")) {
            double oy = boundary_y(c);
            for (xmlNodePtr t = c->children; t; t = t->next) {
                if (!fz_xml_is(t, "TextCode")) continue;
                double y = oy + num_attr(t, "Y", 0);
                if (pt->started && fabs(y - pt->last_y) > 1.0 && fz_buf_puts(pt->out, "\n") < 0)
                    pt->oom = 1;
                pt->started = 1;
                pt->last_y = y;
                xmlChar *s = xmlNodeGetContent(t);
                if (s && fz_buf_puts(pt->out, (const char *)s) < 0) pt->oom = 1;
                xmlFree(s);
            }
        } else if (c->type == XML_ELEMENT_NODE) {
            objects(pt, c); /* Content, Layer, PageBlock … */
        }
    }
    pt->depth--;
}

int fz_read_ofd(const char *bytes, size_t n, fz_text *out, char **err) {
    out->format = "ofd";
    out->encoding = "UTF-8";
    out->loc = FZ_LOC_PAGE;
    fz_zip z;
    if (fz_zip_open(&z, bytes, n, "OFD", err) < 0) return -1;
    fz_buf text = {0};
    size_t cap = 0;
    char *doc_path = NULL;
    xmlDocPtr ofd = NULL, doc = NULL;
    int rc = -1;
    if (!fz_zip_has(&z, "OFD.xml")) {
        fz_fail(err, "不是有效的 OFD 文件（缺少 OFD.xml）");
        goto done;
    }
    if (!(ofd = part(&z, "OFD.xml", err))) goto done;
    xmlNodePtr body = fz_xml_child(xmlDocGetRootElement(ofd), "DocBody");
    xmlNodePtr root = body ? fz_xml_child(body, "DocRoot") : NULL;
    xmlChar *loc = root ? xmlNodeGetContent(root) : NULL;
    doc_path = loc ? join("", (const char *)loc) : NULL;
    xmlFree(loc);
    if (!doc_path) {
        fz_fail(err, "OFD 文件结构有误（找不到 DocRoot）");
        goto done;
    }
    if (!(doc = part(&z, doc_path, err))) goto done;
    xmlNodePtr pages = fz_xml_child(xmlDocGetRootElement(doc), "Pages");
    uint32_t page_no = 0;
    for (xmlNodePtr p = pages ? pages->children : NULL; p; p = p->next) {
        if (!fz_xml_is(p, "Page")) continue;
        char *base = fz_xml_attr(p, "BaseLoc");
        char *path = base ? join(doc_path, base) : NULL;
        if (base) xmlFree(base);
        if (!path) continue;
        xmlDocPtr content = part(&z, path, err);
        free(path);
        if (!content) goto done;
        page_no++;
        if (text.len && fz_buf_puts(&text, "\n") < 0) goto oom_content_free;
        page_text pt = {.out = &text};
        objects(&pt, xmlDocGetRootElement(content));
        xmlFreeDoc(content);
        if (pt.oom || fz_text_pages(out, &cap, &text, page_no) < 0) goto oom;
        continue;
    oom_content_free:
        xmlFreeDoc(content);
        goto oom;
    }
    if (!page_no) {
        fz_fail(err, "OFD 文件中没有页面");
        goto done;
    }
    rc = fz_text_take(out, &text, err);
    goto done;
oom:
    rc = fz_fail(err, FZ_ENOMEM);
done:
    fz_buf_free(&text);
    free(doc_path);
    if (ofd) xmlFreeDoc(ofd);
    if (doc) xmlFreeDoc(doc);
    fz_zip_close(&z);
    return rc;
}
