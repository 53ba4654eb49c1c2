/*
 * read_ofd.c - OFD documents (GB/T 33190, China's fixed-layout format for
 * official documents). An OFD is a zip: OFD.xml names the document
 * (DocBody/DocRoot); the document (Document.xml) lists its pages
 * (Pages/Page BaseLoc), its template pages (CommonData/TemplatePage) and
 * its resource files (CommonData/PublicRes, DocumentRes); a page holds
 * TextObject/TextCode elements in layers and blocks, refers to template
 * pages (Template TemplateID, ZOrder) and may draw composite graphic
 * units (CompositeObject ResourceID → a CompositeGraphicUnit defined in a
 * resource file, itself holding page objects).
 *
 * Each page's text is read in the order it is drawn: background
 * templates, the page's own content, foreground templates; a new line
 * wherever the baseline moves. Some writers put all the text of a page on
 * its template, or in composite units: both are read.
 *
 * A package may hold several documents (DocBody), e.g. a report and its
 * attachment: all are read, in order, their pages numbered on. A page,
 * template or resource file that is missing or damaged is left out and
 * the rest is read (its page keeps its number); only a file of which no
 * page can be read is refused, with what to do.
 */
#include <libxml/tree.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "read_formats.h"
#include "zipxml.h"

/* Nesting of templates and composite units followed at most. */
#define MAX_DEPTH 16

/* What to do about an OFD file that cannot be read. */
#define OFD_TODO "：请用生成它的软件重新导出 OFD 文件，或提供 PDF、Word 版本"

/* Entry paths in OFD files are written relative to the referring part,
 * from the root, or with ./ and ../ (the conformance samples use all).
 * Some writers mean the root without the leading slash (a page's BaseLoc
 * "Doc_0/Pages/…" inside Doc_0/Document.xml); as other readers do, the
 * root is tried when the path relative to the part does not exist. */
static char *locate(fz_zip *z, const char *base, const char *loc) {
    char *path = fz_zip_path(base, loc);
    if (!path || fz_zip_has(z, path)) return path;
    char *root = fz_zip_path("", loc);
    if (root && fz_zip_has(z, root)) {
        free(path);
        return root;
    }
    free(root);
    return path;
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
    return isfinite(r) ? r : dflt;
}

/* The y of an object's Boundary="x y w h". */
static double boundary_y(xmlNodePtr obj) {
    char *v = fz_xml_attr(obj, "Boundary");
    double y = 0;
    if (v) {
        char *end;
        (void)strtod(v, &end);
        y = strtod(end, NULL);
        xmlFree(v);
    }
    return isfinite(y) ? y : 0;
}

/* ---- the document's parts -------------------------------------------- */

typedef struct {
    char *id;
    xmlNodePtr node;   /* a CompositeGraphicUnit, in one of the res docs */
} unit;

typedef struct {
    char *id;
    char *path;        /* the template page's content file */
    xmlDocPtr doc;     /* parsed when first drawn */
} tpl;

typedef struct {
    fz_zip *zip;
    char *doc_path;
    xmlDocPtr *res;    /* resource files, kept while their units are used */
    char **res_paths;  /* their paths, so that each is loaded once */
    size_t nres, rescap, pathcap;
    unit *units;
    size_t nunits, unitcap;
    tpl *tpls;
    size_t ntpls, tplcap;
    fz_buf *out;
    double last_y;
    int started;
    int oom;
    int depth;
} ofd;

/* Indexes the composite graphic units of a resource file. */
static void index_units(ofd *o, xmlNodePtr n, int depth) {
    if (depth > MAX_DEPTH) return;
    for (xmlNodePtr c = n ? n->children : NULL; c && !o->oom; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (fz_xml_is(c, "CompositeGraphicUnit")) {
            char *id = fz_xml_attr(c, "ID");
            if (!id) continue;
            if (fz_grow(&o->units, &o->unitcap, o->nunits + 1, sizeof *o->units) < 0) {
                xmlFree(id);
                o->oom = 1;
                return;
            }
            o->units[o->nunits].id = fz_strdup(id);
            o->units[o->nunits].node = c;
            xmlFree(id);
            if (!o->units[o->nunits].id) o->oom = 1;
            else o->nunits++;
        } else {
            index_units(o, c, depth + 1); /* CompositeGraphicUnits … */
        }
    }
}

/* Loads a resource file (PublicRes, DocumentRes, a page's PageRes) named
 * relative to `base`; a missing or damaged one is skipped: its text may be
 * lost, but the rest of the document is still read. */
static void load_res(ofd *o, const char *base, const char *loc) {
    char *path = locate(o->zip, base, loc);
    if (!path) return;
    for (size_t i = 0; i < o->nres; i++)
        if (!strcmp(o->res_paths[i], path)) {
            free(path);
            return;
        }
    char *err = NULL;
    xmlDocPtr x = fz_zip_has(o->zip, path) ? part(o->zip, path, &err) : NULL;
    free(err);
    if (!x) {
        free(path);
        return;
    }
    if (fz_grow(&o->res, &o->rescap, o->nres + 1, sizeof *o->res) < 0 ||
        fz_grow(&o->res_paths, &o->pathcap, o->nres + 1, sizeof *o->res_paths) < 0) {
        xmlFreeDoc(x);
        free(path);
        o->oom = 1;
        return;
    }
    o->res_paths[o->nres] = path;
    o->res[o->nres++] = x;
    index_units(o, xmlDocGetRootElement(x), 0);
}

static void load_common(ofd *o, xmlNodePtr docroot) {
    xmlNodePtr common = fz_xml_child(docroot, "CommonData");
    for (xmlNodePtr c = common ? common->children : NULL; c && !o->oom; c = c->next) {
        if (fz_xml_is(c, "PublicRes") || fz_xml_is(c, "DocumentRes")) {
            xmlChar *loc = xmlNodeGetContent(c);
            if (loc) load_res(o, o->doc_path, (const char *)loc);
            xmlFree(loc);
        } else if (fz_xml_is(c, "TemplatePage")) {
            char *id = fz_xml_attr(c, "ID"), *base = fz_xml_attr(c, "BaseLoc");
            char *path = base ? locate(o->zip, o->doc_path, base) : NULL;
            if (id && path && fz_grow(&o->tpls, &o->tplcap, o->ntpls + 1, sizeof *o->tpls) == 0) {
                o->tpls[o->ntpls].id = fz_strdup(id);
                o->tpls[o->ntpls].path = path;
                o->tpls[o->ntpls].doc = NULL;
                if (o->tpls[o->ntpls].id) o->ntpls++;
                else free(path), o->oom = 1;
            } else {
                free(path);
            }
            if (id) xmlFree(id);
            if (base) xmlFree(base);
        }
    }
}

/* ---- text ------------------------------------------------------------ */

static void objects(ofd *o, xmlNodePtr n, double dy);

/* A TextCode without Y takes the Y of the one before it in the same
 * TextObject (GB/T 33190; X likewise, which the text does not need): a
 * continuation stays on its line. */
static void text_object(ofd *o, xmlNodePtr obj, double dy) {
    double oy = boundary_y(obj) + dy, ty = 0;
    for (xmlNodePtr t = obj->children; t && !o->oom; t = t->next) {
        if (!fz_xml_is(t, "TextCode")) continue;
        ty = num_attr(t, "Y", ty);
        double y = oy + ty;
        if (o->started && fabs(y - o->last_y) > 1.0 && fz_buf_puts(o->out, "\n") < 0) o->oom = 1;
        o->started = 1;
        o->last_y = y;
        xmlChar *s = xmlNodeGetContent(t);
        if (s && fz_buf_puts(o->out, (const char *)s) < 0) o->oom = 1;
        xmlFree(s);
    }
}

static void composite(ofd *o, xmlNodePtr obj, double dy) {
    char *rid = fz_xml_attr(obj, "ResourceID");
    if (!rid) return;
    for (size_t i = 0; i < o->nunits; i++) {
        if (strcmp(o->units[i].id, rid) != 0) continue;
        xmlNodePtr content = fz_xml_child(o->units[i].node, "Content");
        if (content) objects(o, content, dy + boundary_y(obj));
        break;
    }
    xmlFree(rid);
}

/* Page objects in drawing order: text objects, blocks, layers and
 * composite objects (followed to their units). */
static void objects(ofd *o, xmlNodePtr n, double dy) {
    if (++o->depth > 64) {
        o->depth--;
        return;
    }
    for (xmlNodePtr c = n->children; c && !o->oom; c = c->next) {
        if (fz_xml_is(c, "TextObject")) text_object(o, c, dy);
        else if (fz_xml_is(c, "CompositeObject")) composite(o, c, dy);
        else if (fz_xml_is(c, "Template") || fz_xml_is(c, "PageRes")) continue;
        else if (c->type == XML_ELEMENT_NODE) objects(o, c, dy); /* Content, Layer, PageBlock … */
    }
    o->depth--;
}

static void page_content(ofd *o, xmlDocPtr page, int depth);

/* Draws the page's templates of one z-order (background before the
 * content, foreground after). */
static void templates(ofd *o, xmlNodePtr root, int foreground, int depth) {
    if (depth > MAX_DEPTH) return;
    for (xmlNodePtr c = root->children; c && !o->oom; c = c->next) {
        if (!fz_xml_is(c, "Template")) continue;
        char *z = fz_xml_attr(c, "ZOrder");
        int fg = z && !strcmp(z, "Foreground");
        if (z) xmlFree(z);
        if (fg != foreground) continue;
        char *id = fz_xml_attr(c, "TemplateID");
        for (size_t i = 0; id && i < o->ntpls; i++) {
            if (strcmp(o->tpls[i].id, id) != 0) continue;
            if (!o->tpls[i].doc && fz_zip_has(o->zip, o->tpls[i].path)) {
                char *err = NULL;
                o->tpls[i].doc = part(o->zip, o->tpls[i].path, &err);
                free(err);
            }
            if (o->tpls[i].doc) page_content(o, o->tpls[i].doc, depth + 1);
            break;
        }
        if (id) xmlFree(id);
    }
}

static void page_content(ofd *o, xmlDocPtr page, int depth) {
    xmlNodePtr root = xmlDocGetRootElement(page);
    if (!root || depth > MAX_DEPTH) return;
    templates(o, root, 0, depth);
    xmlNodePtr content = fz_xml_child(root, "Content");
    if (content) objects(o, content, 0);
    templates(o, root, 1, depth);
}

/* A page's own resources (PageRes) hold composite units it may use. */
static void page_res(ofd *o, xmlDocPtr page, const char *page_path) {
    xmlNodePtr root = xmlDocGetRootElement(page);
    for (xmlNodePtr c = root ? root->children : NULL; c && !o->oom; c = c->next) {
        if (!fz_xml_is(c, "PageRes")) continue;
        xmlChar *loc = xmlNodeGetContent(c);
        if (loc) load_res(o, page_path, (const char *)loc);
        xmlFree(loc);
    }
}

static void release(ofd *o) {
    for (size_t i = 0; i < o->nres; i++) {
        xmlFreeDoc(o->res[i]);
        free(o->res_paths[i]);
    }
    free(o->res);
    free(o->res_paths);
    for (size_t i = 0; i < o->nunits; i++) free(o->units[i].id);
    free(o->units);
    for (size_t i = 0; i < o->ntpls; i++) {
        free(o->tpls[i].id);
        free(o->tpls[i].path);
        if (o->tpls[i].doc) xmlFreeDoc(o->tpls[i].doc);
    }
    free(o->tpls);
    free(o->doc_path);
}

/* What reading the package has gathered so far, across its documents. */
typedef struct {
    fz_zip *zip;
    fz_text *out;
    fz_buf text;
    size_t cap;          /* of out->line_page */
    uint32_t page_no;    /* pages met, read or not */
    size_t read;         /* pages read */
    char *why;           /* the first part that could not be read */
    int oom;
} reading;

/* Notes a part that could not be read (why: its message), or that memory
 * ran out. */
static void unreadable(reading *r, char *why) {
    if (!why || !strcmp(why, FZ_ENOMEM)) r->oom = 1;
    if (!r->why && why && !r->oom) {
        r->why = why;
        return;
    }
    free(why);
}

/* Reads the pages of the document at doc_path. */
static void read_document(reading *r, const char *doc_path) {
    ofd o = {.zip = r->zip, .out = &r->text};
    char *why = NULL;
    o.doc_path = fz_strdup(doc_path);
    xmlDocPtr doc = o.doc_path ? part(r->zip, o.doc_path, &why) : NULL;
    if (!o.doc_path) r->oom = 1;
    else if (!doc) unreadable(r, why);
    xmlNodePtr docroot = doc ? xmlDocGetRootElement(doc) : NULL;
    if (docroot) load_common(&o, docroot);
    xmlNodePtr pages = docroot ? fz_xml_child(docroot, "Pages") : NULL;
    for (xmlNodePtr p = pages ? pages->children : NULL; p && !o.oom && !r->oom; p = p->next) {
        if (!fz_xml_is(p, "Page")) continue;
        char *base = fz_xml_attr(p, "BaseLoc");
        char *path = base ? locate(r->zip, o.doc_path, base) : NULL;
        if (base) xmlFree(base);
        if (!path) continue;
        r->page_no++;
        why = NULL;
        xmlDocPtr content = part(r->zip, path, &why);
        if (!content) {
            /* left out; the page keeps its number */
            unreadable(r, why);
            free(path);
            continue;
        }
        r->read++;
        if (r->text.len && fz_buf_puts(&r->text, "\n") < 0) o.oom = 1;
        o.started = 0;
        page_res(&o, content, path);
        page_content(&o, content, 0);
        xmlFreeDoc(content);
        free(path);
        if (!o.oom && fz_text_pages(r->out, &r->cap, &r->text, r->page_no) < 0) o.oom = 1;
    }
    if (o.oom) r->oom = 1;
    release(&o);
    if (doc) xmlFreeDoc(doc);
}

/* Reads every document OFD.xml names (DocBody/DocRoot), in order, each
 * once. Returns how many DocBody name one (0: none). */
static size_t read_documents(reading *r, xmlDocPtr top) {
    char **seen = NULL;
    size_t nseen = 0, cap = 0, bodies = 0;
    xmlNodePtr ofdroot = xmlDocGetRootElement(top);
    for (xmlNodePtr body = ofdroot ? ofdroot->children : NULL; body && !r->oom; body = body->next) {
        if (!fz_xml_is(body, "DocBody")) continue;
        xmlNodePtr root = fz_xml_child(body, "DocRoot");
        /* some writers put DocRoot on DocBody as an attribute */
        xmlChar *loc = root ? xmlNodeGetContent(root) : (xmlChar *)fz_xml_attr(body, "DocRoot");
        char *doc_path = loc ? fz_zip_path("", (const char *)loc) : NULL;
        xmlFree(loc);
        if (!doc_path) continue;
        bodies++;
        size_t k = 0;
        while (k < nseen && strcmp(seen[k], doc_path) != 0) k++;
        if (k < nseen) {
            free(doc_path);
            continue;
        }
        if (fz_grow(&seen, &cap, nseen + 1, sizeof *seen) < 0) {
            free(doc_path);
            r->oom = 1;
            break;
        }
        seen[nseen++] = doc_path;
        read_document(r, doc_path);
    }
    for (size_t k = 0; k < nseen; k++) free(seen[k]);
    free(seen);
    return bodies;
}

int fz_read_ofd(const char *bytes, size_t n, fz_text *out, char **err) {
    out->format = "ofd";
    out->encoding = "UTF-8";
    out->loc = FZ_LOC_PAGE;
    fz_zip z;
    char *why = NULL;
    if (fz_zip_open(&z, bytes, n, "OFD ", &why) < 0) {
        int rc = !why || !strcmp(why, FZ_ENOMEM) ? fz_fail(err, FZ_ENOMEM)
                                                 : fz_fail(err, "%s" OFD_TODO, why);
        free(why);
        return rc;
    }
    reading r = {.zip = &z, .out = out};
    xmlDocPtr top = NULL;
    int rc = -1;
    if (!fz_zip_has(&z, "OFD.xml")) {
        fz_fail(err, "不是有效的 OFD 文件（缺少 OFD.xml）" OFD_TODO);
        goto done;
    }
    if (!(top = part(&z, "OFD.xml", &why))) {
        unreadable(&r, why);
    } else if (!read_documents(&r, top) && !r.oom) {
        fz_fail(err, "OFD 文件结构有误（OFD.xml 中找不到 DocRoot）" OFD_TODO);
        goto done;
    }
    if (r.oom) {
        fz_fail(err, FZ_ENOMEM);
    } else if (r.read) {
        rc = fz_text_take(out, &r.text, err);
    } else if (r.why) {
        fz_fail(err, "OFD 文件无法读取（%s）" OFD_TODO, r.why);
    } else {
        fz_fail(err, "OFD 文件中没有页面" OFD_TODO);
    }
done:
    fz_buf_free(&r.text);
    free(r.why);
    if (top) xmlFreeDoc(top);
    fz_zip_close(&z);
    return rc;
}
