/*
 * read_pdf.c - PDF files through poppler: the text layer page by page in
 * reading order. Lines that open or close most pages alike (a running
 * header, a page number such as "- 3 -") are dropped; the normalizer then
 * joins the hard-wrapped lines. A PDF without text (a scan) is an error
 * that says what to do.
 *
 * Dropping running lines must never lose the document itself: a line that
 * is the only text of its page is content (a slide deck, a form of one
 * line a page), a line longer than a running header is content even when
 * its wording recurs page after page ("第N条 …", a repeated table row),
 * and if dropping would leave nothing to check, nothing is dropped.
 *
 * Text typed onto a page as a FreeText annotation (Acrobat's and Foxit's
 * typewriter) and the values of filled-in text form fields are not part
 * of the page's content, and poppler's text page leaves them out: they
 * are added after the page's own text, one a line.
 *
 * A text layer that is mostly garbage (fonts without a usable encoding
 * give control characters, private-use code points or U+FFFD) is refused
 * with what to do, rather than checked and found to say nothing.
 *
 * poppler-glib is not linked: its library chain (glib, gobject, gio,
 * cairo, poppler, libstdc++, NSS, X11 … some fifty objects) took 15 ms to
 * map and relocate on every start, also for the .txt and .docx reports
 * that never need it. It is dlopen'ed on the first PDF of a process and
 * called through the table `pdf` below. Its headers still give the types
 * (and each pointer's type is checked against the header's prototype at
 * compile time). Without the library a PDF gets an error saying which
 * Debian package to install; the other formats are unaffected.
 */
#include <dlfcn.h>
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#include "read_formats.h"
#include "utf8.h"

/* ---- poppler-glib, loaded on first use --------------------------------- */

#ifndef FZ_POPPLER_SONAME
#define FZ_POPPLER_SONAME "libpoppler-glib.so.8"
#endif

/* Every function of poppler-glib and glib called here: name, return
 * type, parameter list exactly as in the headers. The glib and gobject
 * ones are looked up through the same handle: dlsym searches the
 * library's dependencies, which are the glib poppler-glib was built
 * against. */
#define PDF_FUNCS(X)                                                                         \
    X(poppler_document_new_from_bytes, PopplerDocument *, (GBytes *, const char *, GError **)) \
    X(poppler_document_get_n_pages, int, (PopplerDocument *))                                \
    X(poppler_document_get_page, PopplerPage *, (PopplerDocument *, int))                    \
    X(poppler_error_quark, GQuark, (void))                                                   \
    X(poppler_page_get_text, char *, (PopplerPage *))                                        \
    X(poppler_page_get_annot_mapping, GList *, (PopplerPage *))                              \
    X(poppler_page_free_annot_mapping, void, (GList *))                                      \
    X(poppler_page_get_form_field_mapping, GList *, (PopplerPage *))                         \
    X(poppler_page_free_form_field_mapping, void, (GList *))                                 \
    X(poppler_annot_get_flags, PopplerAnnotFlag, (PopplerAnnot *))                           \
    X(poppler_annot_get_annot_type, PopplerAnnotType, (PopplerAnnot *))                      \
    X(poppler_annot_get_contents, gchar *, (PopplerAnnot *))                                 \
    X(poppler_form_field_get_field_type, PopplerFormFieldType, (PopplerFormField *))         \
    X(poppler_form_field_text_is_password, gboolean, (PopplerFormField *))                   \
    X(poppler_form_field_text_get_text, gchar *, (PopplerFormField *))                       \
    X(g_bytes_new, GBytes *, (gconstpointer, gsize))                                         \
    X(g_bytes_unref, void, (GBytes *))                                                       \
    X(g_error_free, void, (GError *))                                                        \
    X(g_free, void, (gpointer))                                                              \
    X(g_list_reverse, GList *, (GList *))                                                    \
    X(g_log_set_handler, guint, (const gchar *, GLogLevelFlags, GLogFunc, gpointer))         \
    X(g_object_unref, void, (gpointer))                                                      \
    X(g_utf8_validate, gboolean, (const gchar *, gssize, const gchar **))

/* Members are called as pdf.f_name(...): a prefix, because glib may
 * define some of these names as function-like macros. */
#define PDF_MEMBER(name, ret, args) ret(*f_##name) args;
static struct {
    PDF_FUNCS(PDF_MEMBER)
} pdf;

/* A pointer type that disagrees with the header fails the build, rather
 * than a call through it misbehaving. &name is not evaluated (_Generic),
 * so nothing here refers to the library's symbols at link time. */
#define PDF_CHECK(name, ret, args) \
    _Static_assert(_Generic(&name, ret(*) args: 1, default: 0), #name " differs from its header");
PDF_FUNCS(PDF_CHECK)

/* 0 not tried yet, 1 loaded, -1 failed (the message in load_error). A
 * process loads at most once and never retries: reports are read in
 * single-threaded worker processes, and a worker forked after a load
 * inherits the loaded library and the filled table. The library is never
 * closed (glib cannot be unloaded safely, and the sanitizers' leak report
 * at exit needs its symbols). */
static int load_state;
static const char *load_error;

/* Returns 0 when poppler-glib can be called, or -1 with the reason. */
static int pdf_load(char **err) {
    if (load_state == 0) {
        load_state = -1;
        load_error = "无法读取 PDF：未找到 PDF 支持库 libpoppler-glib（Debian 软件包 libpoppler-glib8），"
                     "请安装后重试";
        void *h = dlopen(FZ_POPPLER_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (h) {
            int ok = 1;
            void *sym;
            /* object pointer to function pointer: POSIX guarantees it works
             * for dlsym; memcpy keeps -Wpedantic quiet about it */
#define PDF_LOAD(name, ret, args)                             \
    if (ok && (sym = dlsym(h, #name)) != NULL)           \
        memcpy(&pdf.f_##name, &sym, sizeof pdf.f_##name);     \
    else                                                      \
        ok = 0;
            PDF_FUNCS(PDF_LOAD)
#undef PDF_LOAD
            if (ok) {
                load_state = 1;
            } else {
                load_error = "无法读取 PDF：PDF 支持库 libpoppler-glib 的版本不符（缺少所需的函数），"
                             "请安装 Debian 软件包 libpoppler-glib8 后重试";
                memset(&pdf, 0, sizeof pdf);
            }
        }
    }
    return load_state == 1 ? 0 : fz_fail(err, "%s", load_error);
}

/* Running headers and footers are short: a longer line (in characters,
 * white space not counted) is never dropped as one. */
#define MAX_RUNNING_CHARS 40

/* A line's shape with digits blanked, so "第 3 页" and "第 4 页" match. */
static char *shape(const char *s, size_t n) {
    char *r = malloc(n + 1);
    if (!r) return NULL;
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') r[w++] = s[i] >= '0' && s[i] <= '9' ? '#' : s[i];
    r[w] = '\0';
    return r;
}

typedef struct {
    char **text;   /* per page */
    char **first, **last;  /* shapes of the first and last non-empty line */
    int n;
} pages;

/* The shapes of a page's first and last non-empty lines (*last stays
 * NULL on a page of one line). */
static void edge_lines(const char *t, char **first, char **last) {
    const char *p = t, *end = t + strlen(t);
    *first = *last = NULL;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        char *s = shape(p, (size_t)(le - p));
        if (s && *s && !*first) {
            *first = s;
        } else if (s && *s) {
            free(*last);
            *last = s;
        } else {
            free(s);
        }
        p = nl ? nl + 1 : end;
    }
}

/* A text layer is garbled when more than this share of its characters
 * (white space not counted) are garbage. */
#define GARBLED_SHARE 0.30

/* What fonts without a usable encoding come out as: C0 and C1 controls
 * (and DEL), the private use area, U+FFFD. */
static int garbage(uint32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xE000 && cp <= 0xF8FF) ||
           cp == 0xFFFD;
}

static int white(uint32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
           cp == 0xA0 || cp == 0x3000;
}

/* Counts the characters of s that are not white space, and of those the
 * garbage. */
static void tally(const char *s, size_t *shown, size_t *bad) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = fz_utf8_decode(s + i, n - i, &cp);
        i += k > 0 ? (size_t)k : 1;
        if (white(cp)) continue;
        ++*shown;
        *bad += garbage(cp);
    }
}

/* Appends s on a line of its own (nothing when it is blank or not UTF-8).
 * Returns 0 or -1 (out of memory). */
static int extra_line(fz_buf *b, const char *s) {
    if (!s || !pdf.f_g_utf8_validate(s, -1, NULL) || fz_text_blank(s, strlen(s))) return 0;
    if (b->len && b->ptr[b->len - 1] != '\n' && fz_buf_puts(b, "\n") < 0) return -1;
    return fz_buf_puts(b, s);
}

/* poppler-glib warns on stderr about annotation types it does not wrap
 * ("Unsupported Annot Type"): nothing a user can act on, and not ours to
 * print. */
static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
                      gpointer data) {
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
}

static void quiet_poppler(void) {
    static int done;
    if (!done) pdf.f_g_log_set_handler("Poppler", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE, quiet_log, NULL);
    done = 1;
}

/* An annotation a viewer does not show. */
static int hidden_annot(PopplerAnnot *a) {
    return (pdf.f_poppler_annot_get_flags(a) & (POPPLER_ANNOT_FLAG_HIDDEN | POPPLER_ANNOT_FLAG_NO_VIEW)) != 0;
}

static int same_area(const PopplerRectangle *a, const PopplerRectangle *b) {
    return a->x1 == b->x1 && a->y1 == b->y1 && a->x2 == b->x2 && a->y2 == b->y2;
}

/* A page's text: poppler's text page, then the FreeText annotations and
 * the values of text fields (not passwords) that a viewer shows. A
 * field's widget (an annotation of the same area) says whether it is
 * hidden. Returns a malloc'd string ("" for a page without text), or NULL
 * when memory runs out. */
static char *page_text(PopplerPage *page) {
    fz_buf b = {0};
    char *t = pdf.f_poppler_page_get_text(page);
    int bad = t && fz_buf_puts(&b, t) < 0;
    pdf.f_g_free(t);
    PopplerRectangle *hidden = NULL;   /* areas of hidden widgets */
    size_t nhidden = 0, cap = 0;
    GList *annots = pdf.f_poppler_page_get_annot_mapping(page);
    for (GList *l = annots; l && !bad; l = l->next) {
        PopplerAnnotMapping *m = l->data;
        if (!m || !m->annot) continue;
        PopplerAnnotType type = pdf.f_poppler_annot_get_annot_type(m->annot);
        if (type == POPPLER_ANNOT_WIDGET && hidden_annot(m->annot)) {
            bad = fz_grow(&hidden, &cap, nhidden + 1, sizeof *hidden) < 0;
            if (!bad) hidden[nhidden++] = m->area;
        } else if (type == POPPLER_ANNOT_FREE_TEXT && !hidden_annot(m->annot)) {
            gchar *s = pdf.f_poppler_annot_get_contents(m->annot);
            bad = extra_line(&b, s) < 0;
            pdf.f_g_free(s);
        }
    }
    pdf.f_poppler_page_free_annot_mapping(annots);
    /* poppler lists the fields last first */
    GList *fields = pdf.f_g_list_reverse(pdf.f_poppler_page_get_form_field_mapping(page));
    for (GList *l = fields; l && !bad; l = l->next) {
        PopplerFormFieldMapping *m = l->data;
        if (!m || !m->field || pdf.f_poppler_form_field_get_field_type(m->field) != POPPLER_FORM_FIELD_TEXT ||
            pdf.f_poppler_form_field_text_is_password(m->field))
            continue;
        size_t k = 0;
        while (k < nhidden && !same_area(&hidden[k], &m->area)) k++;
        if (k < nhidden) continue;
        gchar *s = pdf.f_poppler_form_field_text_get_text(m->field);
        bad = extra_line(&b, s) < 0;
        pdf.f_g_free(s);
    }
    pdf.f_poppler_page_free_form_field_mapping(fields);
    free(hidden);
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

/* Characters (UTF-8 code points) of a NUL-terminated string. */
static size_t chars(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int repeated(pages *pg, char **which, const char *s) {
    if (!s || !*s || chars(s) > MAX_RUNNING_CHARS) return 0;
    int count = 0;
    for (int i = 0; i < pg->n; i++) count += which[i] && !strcmp(which[i], s);
    return pg->n >= 3 && count * 2 >= pg->n;
}

/* Non-blank lines of a page's text. */
static size_t nonblank_lines(const char *t) {
    size_t n = 0;
    for (const char *p = t; *p;) {
        const char *nl = strchr(p, '\n');
        const char *le = nl ? nl : p + strlen(p);
        n += !fz_text_blank(p, (size_t)(le - p));
        p = nl ? nl + 1 : le;
    }
    return n;
}

/* The document's text, page after page, with running lines dropped when
 * `drop` is set (and the page has more than that line). */
static int build_text(pages *pg, int drop, fz_text *out, fz_buf *b, char **err) {
    size_t cap = out->nlines;
    for (int i = 0; i < pg->n; i++) {
        const char *p = pg->text[i], *end = p + strlen(p);
        int first_done = 0;
        const char *last_start = NULL;
        /* find the start of the last non-empty line, to drop it if repeated */
        for (const char *q = p; q < end;) {
            const char *nl = memchr(q, '\n', (size_t)(end - q));
            const char *le = nl ? nl : end;
            if (!fz_text_blank(q, (size_t)(le - q))) last_start = q;
            q = nl ? nl + 1 : end;
        }
        int more = drop && nonblank_lines(p) >= 2;
        int drop_first = more && repeated(pg, pg->first, pg->first[i]);
        int drop_last = more && repeated(pg, pg->last, pg->last[i]);
        if (i > 0 && fz_buf_puts(b, "\n") < 0) return fz_fail(err, FZ_ENOMEM);
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            int blank = fz_text_blank(p, (size_t)(le - p));
            int skip = 0;
            if (!blank && !first_done) {
                first_done = 1;
                skip = drop_first;
            } else if (!blank && p == last_start) {
                skip = drop_last;
            }
            if (!skip && fz_buf_append(b, p, (size_t)(le - p)) < 0) return fz_fail(err, FZ_ENOMEM);
            if (nl && fz_buf_puts(b, "\n") < 0) return fz_fail(err, FZ_ENOMEM);
            p = nl ? nl + 1 : end;
        }
        if (fz_text_pages(out, &cap, b, (uint32_t)i + 1) < 0) return fz_fail(err, FZ_ENOMEM);
    }
    return 0;
}

int fz_read_pdf(const char *bytes, size_t n, fz_text *out, char **err) {
    out->format = "pdf";
    out->encoding = "UTF-8";
    out->loc = FZ_LOC_PAGE;
    if (pdf_load(err) < 0) return -1;
    quiet_poppler();
    GError *ge = NULL;
    GBytes *gb = pdf.f_g_bytes_new(bytes, n);
    PopplerDocument *doc = pdf.f_poppler_document_new_from_bytes(gb, NULL, &ge);
    pdf.f_g_bytes_unref(gb);
    if (!doc) {
        int encrypted = ge && ge->domain == pdf.f_poppler_error_quark() && ge->code == POPPLER_ERROR_ENCRYPTED;
        if (ge) pdf.f_g_error_free(ge);
        return fz_fail(err, encrypted ? "PDF 文件已加密（设有打开密码），请提供未加密的版本"
                                      : "PDF 文件已损坏或不是有效的 PDF");
    }
    pages pg = {0};
    pg.n = pdf.f_poppler_document_get_n_pages(doc);
    int rc = 0;
    if (pg.n <= 0) {
        pdf.f_g_object_unref(doc);
        return fz_fail(err, "PDF 文件中没有页面");
    }
    pg.text = calloc((size_t)pg.n, sizeof *pg.text);
    pg.first = calloc((size_t)pg.n, sizeof *pg.first);
    pg.last = calloc((size_t)pg.n, sizeof *pg.last);
    if (!pg.text || !pg.first || !pg.last) rc = fz_fail(err, FZ_ENOMEM);
    size_t visible = 0, shown = 0, bad = 0;
    for (int i = 0; i < pg.n && rc == 0; i++) {
        PopplerPage *page = pdf.f_poppler_document_get_page(doc, i);
        pg.text[i] = page ? page_text(page) : fz_strdup("");
        if (page) pdf.f_g_object_unref(page);
        if (!pg.text[i]) {
            rc = fz_fail(err, FZ_ENOMEM);
            break;
        }
        for (const char *c = pg.text[i]; *c; c++) visible += (unsigned char)*c > ' ';
        tally(pg.text[i], &shown, &bad);
        edge_lines(pg.text[i], &pg.first[i], &pg.last[i]);
    }
    pdf.f_g_object_unref(doc);
    /* garbage of control characters is not "visible": it is told first */
    if (rc == 0 && (visible >= 10 || shown >= 10) && (double)bad > GARBLED_SHARE * (double)shown)
        rc = fz_fail(err, "PDF 的文字层无法识别（字体缺少编码信息，提取出的是乱码）："
                          "请从原文件重新导出 PDF，或提供 Word/OFD 文件");
    if (rc == 0 && visible < 10)
        rc = fz_fail(err, "PDF 中没有可提取的文字（可能是扫描件）：请提供文字版 PDF 或 Word 文档，或先做文字识别（OCR）");
    fz_buf b = {0};
    if (rc == 0) rc = build_text(&pg, 1, out, &b, err);
    if (rc == 0 && fz_text_blank(b.ptr ? b.ptr : "", b.len)) {
        fz_buf_free(&b);
        out->nlines = 0;
        rc = build_text(&pg, 0, out, &b, err);
    }
    if (rc == 0) rc = fz_text_take(out, &b, err);
    fz_buf_free(&b);
    for (int i = 0; i < pg.n; i++) {
        if (pg.text) free(pg.text[i]);
        if (pg.first) free(pg.first[i]);
        if (pg.last) free(pg.last[i]);
    }
    free(pg.text);
    free(pg.first);
    free(pg.last);
    return rc;
}
