/*
 * test_annotate.c - the annotated Word copy (output.h, fz_annotate; the
 * planning in annot.h): a thousand comments over a thousand paragraphs
 * and a 50,000-character paragraph, in a Word file and in a new document
 * made from plain text; where a missing element's comment goes; Strict
 * Open XML refused; hostile text escaped.
 */
#include "helpers.h"

#include <libxml/tree.h>
#include <time.h>

#include "annot.h"
#include "batch.h"
#include "ooxml.h"
#include "output.h"
#include "zipxml.h"

#define NRULES 1000
#define LONG_CHARS 50000

static const fz_annotate_opts opts = {"fzcheck", "2025-03-01T08:00:00Z"};

/* A pack of NRULES absence rules: rule k flags the word 词k. */
static char *many_rules_yaml(void) {
    fz_buf b = {0};
    assert_int_equal(fz_buf_puts(&b, "pack: {name: 千条规则, version: '1'}\n"
                                     "scoring: {partial: 0.5}\n"
                                     "grades: [{name: 合格, min: 60}, {name: 不合格, min: 0}]\n"
                                     "rules:\n"), 0);
    for (int k = 0; k < NRULES; k++)
        assert_int_equal(fz_buf_printf(&b, "  - {id: r%d, title: 规则%d, category: c, severity: info, "
                                           "points: 1, basis: b, message: '第%d条<b>&]]>：{found}', "
                                           "suggestion: 改掉, check: {kind: absence, items: "
                                           "[{name: 词%d, patterns: ['词%04d号']}]}}\n",
                                       k, k, k, k, k), 0);
    return fz_buf_steal(&b);
}

/* Paragraph k says 词k号; then one paragraph of LONG_CHARS characters. */
static void report_lines(fz_buf *b, int xml) {
    if (xml) fz_buf_puts(b, "<w:p><w:r><w:t>清河县司法局2023年法治政府建设情况报告</w:t></w:r></w:p>");
    else fz_buf_puts(b, "清河县司法局2023年法治政府建设情况报告\n");
    for (int k = 0; k < NRULES; k++)
        assert_int_equal(fz_buf_printf(b, xml ? "<w:p><w:r><w:t>第%d段提到词%04d号。</w:t></w:r></w:p>"
                                              : "第%d段提到词%04d号。\n",
                                       k, k), 0);
    if (xml) fz_buf_puts(b, "<w:p><w:r><w:t>");
    for (int i = 0; i < LONG_CHARS / 10; i++) fz_buf_puts(b, "法治政府建设推进中。");
    fz_buf_puts(b, xml ? "</w:t></w:r></w:p>" : "\n");
}

static char *docx_of_with(const char *body_xml, const char *ns, const char *doc_rels,
                          const char *html, size_t *len) {
    fz_zipw w;
    fz_buf out = {0}, doc = {0};
    char *err = NULL;
    assert_int_equal(fz_zipw_open(&w, &err), 0);
    static const char types[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"" FZ_NS_CT "\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-"
        "officedocument.wordprocessingml.document.main+xml\"/></Types>";
    static const char rels[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" FZ_NS_PKG_REL "\">"
        "<Relationship Id=\"rId1\" Type=\"" FZ_NS_REL "/officeDocument\" Target=\"word/document.xml\"/>"
        "</Relationships>";
    fz_buf_printf(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"%s\"><w:body>%s"
                        "</w:body></w:document>", ns, body_xml);
    assert_int_equal(fz_zipw_add(&w, "[Content_Types].xml", types, sizeof types - 1, &err), 0);
    assert_int_equal(fz_zipw_add(&w, "_rels/.rels", rels, sizeof rels - 1, &err), 0);
    assert_int_equal(fz_zipw_add(&w, "word/document.xml", doc.ptr, doc.len, &err), 0);
    if (doc_rels)
        assert_int_equal(fz_zipw_add(&w, "word/_rels/document.xml.rels", doc_rels, strlen(doc_rels), &err), 0);
    if (html) assert_int_equal(fz_zipw_add(&w, "word/page.html", html, strlen(html), &err), 0);
    assert_int_equal(fz_zipw_finish(&w, &out, &err), 0);
    fz_buf_free(&doc);
    *len = out.len;
    return fz_buf_steal(&out);
}

static char *docx_of(const char *body_xml, const char *ns, size_t *len) {
    return docx_of_with(body_xml, ns, NULL, NULL, len);
}

static xmlDocPtr entry(fz_zip *z, const char *name) {
    char *data = NULL, *err = NULL;
    size_t len;
    if (fz_zip_read(z, name, &data, &len, &err) < 0) fail_msg("%s: %s", name, err);
    xmlDocPtr x = fz_xml_parse(data, len, name, &err);
    if (!x) fail_msg("%s: %s", name, err);
    free(data);
    return x;
}

/* Counts elements called name under n; with `paras`, notes per comment id
 * (ids < cap) the index of the w:p its range starts in. */
typedef struct {
    size_t count;
    long *para_of;  /* per id: index of its w:p among the body's, or -1 */
    size_t cap;
    unsigned char *seen;
} tally;

static void walk(xmlNodePtr n, const char *name, tally *t, long *para_index, long current) {
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        long here = current;
        if (fz_xml_is(c, "p")) here = ++*para_index;
        if (fz_xml_is(c, name)) {
            t->count++;
            char *v = fz_xml_attr(c, "id");
            long id = v ? strtol(v, NULL, 10) : -1;
            if (v) xmlFree(v);
            assert_true(id >= 0 && (size_t)id < t->cap);
            assert_false(t->seen[id]); /* unique */
            t->seen[id] = 1;
            if (t->para_of) t->para_of[id] = current;
        }
        walk(c, name, t, para_index, here);
    }
}

static tally count(xmlDocPtr x, const char *name, size_t cap, int paras) {
    tally t = {0, NULL, cap, calloc(cap, 1)};
    assert_non_null(t.seen);
    if (paras) {
        t.para_of = malloc(cap * sizeof *t.para_of);
        assert_non_null(t.para_of);
        for (size_t i = 0; i < cap; i++) t.para_of[i] = -1;
    }
    long pi = -1;
    walk(xmlDocGetRootElement(x), name, &t, &pi, -1);
    return t;
}

static void tally_free(tally *t) {
    free(t->para_of);
    free(t->seen);
}

/* Checks an annotated copy of the many-rules report: NRULES + 1
 * comments, ranges balanced, rule k's on the paragraph saying 词k号. */
static void check_many(const fz_buf *copy) {
    fz_zip z;
    char *err = NULL;
    assert_int_equal(fz_zip_open(&z, copy->ptr, copy->len, "copy", &err), 0);
    xmlDocPtr doc = entry(&z, "word/document.xml"), com = entry(&z, "word/comments.xml");
    size_t cap = NRULES + 10;
    tally c = count(com, "comment", cap, 0), s = count(doc, "commentRangeStart", cap, 1),
          e = count(doc, "commentRangeEnd", cap, 0), r = count(doc, "commentReference", cap, 0);
    assert_int_equal(c.count, NRULES + 1);
    assert_int_equal(s.count, NRULES + 1);
    assert_int_equal(e.count, NRULES + 1);
    assert_int_equal(r.count, NRULES + 1);
    for (size_t i = 0; i < cap; i++) {
        assert_int_equal(c.seen[i], s.seen[i]);
        assert_int_equal(c.seen[i], e.seen[i]);
        assert_int_equal(c.seen[i], r.seen[i]);
    }
    /* id 0 the summary on the title (paragraph 0); rule k is id k + 1 on paragraph k + 1 */
    assert_int_equal(s.para_of[0], 0);
    for (long k = 0; k < NRULES; k++) assert_int_equal(s.para_of[k + 1], k + 1);
    /* the message's markup is text, escaped */
    char *data = NULL;
    size_t len;
    assert_int_equal(fz_zip_read(&z, "word/comments.xml", &data, &len, &err), 0);
    assert_non_null(strstr(data, "第7条&lt;b&gt;&amp;]]&gt;：“词0007号”"));
    assert_null(strstr(data, "<b>"));
    free(data);
    tally_free(&c);
    tally_free(&s);
    tally_free(&e);
    tally_free(&r);
    xmlFreeDoc(doc);
    xmlFreeDoc(com);
    fz_zip_close(&z);
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void annotate_file(const fz_pack *pack, const char *path, fz_buf *copy) {
    fz_report rep;
    char *err = NULL;
    assert_int_equal(fz_batch_check_file(pack, NULL, path, 0, &rep, &err), 0);
    if (rep.error) fail_msg("%s", rep.error);
    double t0 = seconds();
    if (fz_annotate(pack, &rep, path, &opts, copy, &err) < 0) fail_msg("fz_annotate: %s", err);
    print_message("fz_annotate %s: %.2f s\n", path, seconds() - t0);
    fz_report_free(&rep);
}

static void a_thousand_comments_in_a_word_file(void **state) {
    (void)state;
    char *yaml = many_rules_yaml(), *errs = NULL;
    fz_pack pack;
    if (pack_of(yaml, &pack, &errs) != 0) fail_msg("%s", errs);
    fz_buf body = {0};
    report_lines(&body, 1);
    size_t len;
    char *bytes = docx_of(body.ptr, FZ_NS_W, &len);
    char *path = temp_file(bytes, len, ".docx");
    fz_buf copy = {0};
    annotate_file(&pack, path, &copy);
    check_many(&copy);
    /* the report itself is untouched */
    fz_text t;
    char *err = NULL;
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *again = malloc(len + 1);
    assert_int_equal(fread(again, 1, len + 1, f), len);
    fclose(f);
    assert_memory_equal(again, bytes, len);
    /* and the copy reads as the same text */
    fz_text orig;
    assert_int_equal(fz_read_memory(bytes, len, "a.docx", &orig, &err), 0);
    assert_int_equal(fz_read_memory(copy.ptr, copy.len, "a.docx", &t, &err), 0);
    assert_string_equal(orig.data, t.data);
    fz_text_free(&orig);
    fz_text_free(&t);
    free(again);
    unlink(path);
    free(path);
    free(bytes);
    fz_buf_free(&copy);
    fz_buf_free(&body);
    fz_pack_free(&pack);
    free(yaml);
}

static void a_thousand_comments_in_a_new_document(void **state) {
    (void)state;
    char *yaml = many_rules_yaml(), *errs = NULL;
    fz_pack pack;
    if (pack_of(yaml, &pack, &errs) != 0) fail_msg("%s", errs);
    fz_buf text = {0};
    report_lines(&text, 0);
    char *path = temp_file(text.ptr, text.len, ".txt");
    fz_buf copy = {0};
    annotate_file(&pack, path, &copy);
    check_many(&copy);
    unlink(path);
    free(path);
    fz_buf_free(&copy);
    fz_buf_free(&text);
    fz_pack_free(&pack);
    free(yaml);
}

/* The text of the w:p holding commentRangeStart id (its w:t, text boxes
 * included), or NULL. */
static char *commented_text(xmlNodePtr n, long id) {
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (fz_xml_is(c, "commentRangeStart")) {
            char *v = fz_xml_attr(c, "id");
            long got = v ? strtol(v, NULL, 10) : -1;
            if (v) xmlFree(v);
            if (got == id) {
                assert_true(fz_xml_is(n, "p"));
                xmlChar *t = xmlNodeGetContent(n);
                char *r = fz_strdup((const char *)t);
                xmlFree(t);
                return r;
            }
        }
        char *r = commented_text(c, id);
        if (r) return r;
    }
    return NULL;
}

/* Where the reader's walk puts lines that are not plain body paragraphs:
 * a table cell's on its own w:p, a text box's on the paragraph it is
 * anchored in (not inside the box), the second line of a w:br on its
 * paragraph, an altChunk page's on the paragraph before it. */
static void paragraphs_the_reader_reads_specially(void **state) {
    (void)state;
    static const char yaml[] =
        "pack: {name: t, version: '1'}\n"
        "scoring: {partial: 0.5}\n"
        "grades: [{name: 合格, min: 60}, {name: 不合格, min: 0}]\n"
        "rules:\n"
        "  - {id: a, title: A, category: c, severity: info, points: 1, basis: b, message: 甲, suggestion: s,"
        " check: {kind: absence, items: [{name: x, patterns: ['表格词']}]}}\n"
        "  - {id: b, title: B, category: c, severity: info, points: 1, basis: b, message: 乙, suggestion: s,"
        " check: {kind: absence, items: [{name: x, patterns: ['文本框词']}]}}\n"
        "  - {id: c, title: C, category: c, severity: info, points: 1, basis: b, message: 丙, suggestion: s,"
        " check: {kind: absence, items: [{name: x, patterns: ['换行词']}]}}\n"
        "  - {id: d, title: D, category: c, severity: info, points: 1, basis: b, message: 丁, suggestion: s,"
        " check: {kind: absence, items: [{name: x, patterns: ['网页词']}]}}\n";
    static const char body[] =
        "<w:p><w:r><w:t>清河县司法局2023年法治政府建设情况报告</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>单元格一。</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>单元格里有表格词。</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "<w:p><w:r><w:t>锚定段落。</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
        "<w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>框里有文本框词。</w:t></w:r></w:p>"
        "</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>"
        "<w:txbxContent><w:p><w:r><w:t>框里有文本框词。</w:t></w:r></w:p></w:txbxContent>"
        "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        "<w:p><w:r><w:t>第一行。</w:t><w:br/><w:t>第二行有换行词。</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>网页之前的段落。</w:t></w:r></w:p>"
        "<w:altChunk r:id=\"rIdHtml\"/>"
        "<w:p><w:r><w:t>最后一段。</w:t></w:r></w:p>";
    static const char rels[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" FZ_NS_PKG_REL "\">"
        "<Relationship Id=\"rIdHtml\" Type=\"" FZ_NS_REL "/aFChunk\" Target=\"page.html\"/></Relationships>";
    fz_pack pack;
    char *errs = NULL, *err = NULL;
    if (pack_of(yaml, &pack, &errs) != 0) fail_msg("%s", errs);
    /* the namespaces the body uses, declared on the root */
    fz_buf ns = {0};
    fz_buf_puts(&ns, FZ_NS_W "\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "
                     "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" "
                     "xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:r=\"" FZ_NS_REL);
    size_t len;
    char *bytes = docx_of_with(body, ns.ptr, rels, "<html><body><p>网页里有网页词。</p></body></html>", &len);
    char *path = temp_file(bytes, len, ".docx");
    fz_buf copy = {0};
    annotate_file(&pack, path, &copy);
    fz_zip z;
    assert_int_equal(fz_zip_open(&z, copy.ptr, copy.len, "copy", &err), 0);
    xmlDocPtr doc = entry(&z, "word/document.xml");
    xmlNodePtr root = xmlDocGetRootElement(doc);
    /* ids: 0 the summary, then the rules a, b, c, d */
    static const char *const want[] = {"清河县司法局", "单元格里有表格词", "锚定段落", "第二行有换行词", "网页之前的段落"};
    for (long id = 0; id < 5; id++) {
        char *t = commented_text(root, id);
        if (!t || !strstr(t, want[id])) fail_msg("comment %ld on %s, not %s", id, t ? t : "(none)", want[id]);
        free(t);
    }
    /* nothing inside the text box */
    for (xmlNodePtr c = root; c;) {
        if (fz_xml_is(c, "txbxContent")) {
            xmlChar *t = xmlNodeGetContent(c);
            assert_null(strstr((const char *)t, "comment"));
            xmlFree(t);
            for (xmlNodePtr d = c->children; d; d = d->next)
                for (xmlNodePtr e = d->children; e; e = e->next) assert_false(fz_xml_is(e, "commentRangeStart"));
        }
        if (c->children && c->type == XML_ELEMENT_NODE) {
            c = c->children;
            continue;
        }
        while (c && !c->next) c = c->parent;
        if (c) c = c->next;
    }
    /* the copy reads as the same text */
    fz_text a, b;
    assert_int_equal(fz_read_memory(bytes, len, "a.docx", &a, &err), 0);
    assert_int_equal(fz_read_memory(copy.ptr, copy.len, "a.docx", &b, &err), 0);
    assert_string_equal(a.data, b.data);
    fz_text_free(&a);
    fz_text_free(&b);
    xmlFreeDoc(doc);
    fz_zip_close(&z);
    unlink(path);
    free(path);
    free(bytes);
    fz_buf_free(&copy);
    fz_buf_free(&ns);
    fz_pack_free(&pack);
}

static void strict_open_xml_is_refused(void **state) {
    (void)state;
    fz_pack pack;
    char *errs = NULL, *err = NULL;
    assert_int_equal(fz_pack_load("rules", &pack, &errs), 0);
    size_t len;
    char *bytes = docx_of("<w:p><w:r><w:t>某县司法局2023年法治政府建设情况报告</w:t></w:r></w:p>"
                          "<w:p><w:r><w:t>一、主要举措和成效</w:t></w:r></w:p>",
                          "http://purl.oclc.org/ooxml/wordprocessingml/main", &len);
    char *path = temp_file(bytes, len, ".docx");
    fz_report rep;
    assert_int_equal(fz_batch_check_file(&pack, NULL, path, 0, &rep, &err), 0);
    assert_null(rep.error);
    fz_buf copy = {0};
    assert_int_equal(fz_annotate(&pack, &rep, path, &opts, &copy, &err), -1);
    assert_non_null(strstr(err, "Strict"));
    assert_int_equal(copy.len, 0);
    free(err);
    fz_report_free(&rep);
    unlink(path);
    free(path);
    free(bytes);
    fz_pack_free(&pack);
}

/* A missing element's comment: the heading of its part, else of the part
 * it should follow (in the order the pack's rules name the parts), else
 * the title. */
static void a_missing_element_goes_where_it_belongs(void **state) {
    (void)state;
    fz_pack pack;
    char *errs = NULL, *err = NULL;
    assert_int_equal(fz_pack_load("rules", &pack, &errs), 0);
    const char *text = "清河县司法局2023年法治政府建设情况报告\n"
                       "一、主要举措和成效\n"
                       "全年审查规范性文件12件。\n"
                       "二、存在的不足和原因\n"
                       "培训不够，执法人员能力不足。\n";
    char *path = temp_file(text, strlen(text), ".txt");
    fz_report rep;
    assert_int_equal(fz_batch_check_file(&pack, NULL, path, 0, &rep, &err), 0);
    size_t fr = FZ_NONE, plan = FZ_NONE;
    for (size_t i = 0; i < rep.nresults; i++) {
        if (!strcmp(rep.results[i].rule->id, "first-responsible")) fr = i;
        if (!strcmp(rep.results[i].rule->id, "next-year-plan")) plan = i;
    }
    assert_true(fr != FZ_NONE && plan != FZ_NONE);
    assert_int_equal(rep.results[fr].status, FZ_FAIL);
    assert_int_equal(rep.results[fr].nevidence, 0);
    /* 第一责任人 follows the achievements: 一、 */
    assert_int_equal(fz_note_home(&pack, &rep, fr), 0);
    /* the plan follows the problems: 二、 */
    assert_int_equal(fz_note_home(&pack, &rep, plan), 1);
    fz_notes notes;
    assert_int_equal(fz_notes_plan(&pack, &rep, &notes, &err), 0);
    assert_int_equal(notes.v[0].para, 0); /* the summary on the title */
    assert_non_null(strstr(notes.v[0].text, "得分"));
    assert_non_null(strstr(notes.v[0].text, "规则包："));
    int found = 0;
    for (size_t i = 1; i < notes.n; i++)
        if (!strncmp(notes.v[i].text, rep.results[fr].message, strlen(rep.results[fr].message))) {
            assert_int_equal(notes.v[i].para, rep.doc.sections[0].para);
            assert_int_equal(notes.v[i].line, 2);
            found = 1;
        }
    assert_true(found);
    fz_notes_free(&notes);
    fz_report_free(&rep);
    unlink(path);
    free(path);

    /* no problems part, and a subsection of the plan that reads as the
     * leader's duties: the comment stays before the plan, on 二、 */
    const char *text2 = "清河县司法局2023年法治政府建设情况报告\n"
                        "一、主要举措和成效\n"
                        "全年审查规范性文件12件。\n"
                        "二、主要负责人履行推进法治建设第一责任人职责情况\n"
                        "局主要负责人主持召开专题会议研究法治建设工作3次。\n"
                        "三、2024年工作安排\n"
                        "（一）推动领导干部带头尊法学法守法用法\n"
                        "局党组书记、局长切实履行推进法治建设第一责任人职责，带头学法述法。\n"
                        "（二）加强行政执法监督\n"
                        "开展执法案卷评查。\n";
    path = temp_file(text2, strlen(text2), ".txt");
    assert_int_equal(fz_batch_check_file(&pack, NULL, path, 0, &rep, &err), 0);
    size_t prob = FZ_NONE, top_fr = FZ_NONE, top_plan = FZ_NONE;
    for (size_t i = 0; i < rep.nresults; i++)
        if (!strcmp(rep.results[i].rule->id, "problems")) prob = i;
    for (size_t s = 0; s < rep.doc.nsections; s++) {
        if (rep.doc.sections[s].parent != FZ_NONE) continue;
        if (strstr(rep.doc.sections[s].title, "第一责任人")) top_fr = s;
        if (strstr(rep.doc.sections[s].title, "工作安排")) top_plan = s;
    }
    assert_true(prob != FZ_NONE && top_fr != FZ_NONE && top_plan != FZ_NONE);
    assert_int_equal(rep.results[prob].status, FZ_FAIL);
    assert_int_equal(fz_note_home(&pack, &rep, prob), top_fr);
    fz_report_free(&rep);
    unlink(path);
    free(path);
    fz_pack_free(&pack);
}

static void xml_text_is_escaped_and_cleaned(void **state) {
    (void)state;
    fz_buf b = {0};
    const char s[] = "a<b>&\"'\x01\x0b\x7f\xc2\x85\xef\xbf\xbe\xff]]>\t\n中";
    assert_int_equal(fz_xml_escape(&b, s, sizeof s - 1, 0), 0);
    assert_string_equal(b.ptr, "a&lt;b&gt;&amp;&quot;&apos;]]&gt;\t\n中");
    b.len = 0;
    assert_int_equal(fz_xml_escape(&b, s, sizeof s - 1, 1), 0);
    assert_string_equal(b.ptr, "a&lt;b&gt;&amp;&quot;&apos;]]&gt;  中");
    char *c = fz_xml_clean(s, sizeof s - 1);
    assert_string_equal(c, "a<b>&\"']]>\t\n中");
    free(c);
    fz_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_thousand_comments_in_a_word_file),
        cmocka_unit_test(a_thousand_comments_in_a_new_document),
        cmocka_unit_test(paragraphs_the_reader_reads_specially),
        cmocka_unit_test(strict_open_xml_is_refused),
        cmocka_unit_test(a_missing_element_goes_where_it_belongs),
        cmocka_unit_test(xml_text_is_escaped_and_cleaned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
