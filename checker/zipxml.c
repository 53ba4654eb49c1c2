/*
 * zipxml.c - see zipxml.h.
 */
#include "zipxml.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int fz_zip_open(fz_zip *z, const char *bytes, size_t n, const char *what, char **err) {
    memset(z, 0, sizeof *z);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(bytes, n, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return fz_fail(err, FZ_ENOMEM);
    }
    z->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
    int code = zip_error_code_zip(&ze);
    zip_error_fini(&ze);
    if (!z->zip) {
        zip_source_free(src);
        /* a zip cut short loses its directory at the end and looks like no
         * zip at all: its first bytes still say otherwise */
        int started = n >= 4 && !memcmp(bytes, "PK\3\4", 4);
        if (code == ZIP_ER_NOZIP && !started)
            return fz_fail(err, "不是有效的%s文件（不是 zip 格式）", what);
        return fz_fail(err, "%s文件已损坏（zip 结构有误或不完整）", what);
    }
    if (zip_get_num_entries(z->zip, 0) > FZ_ZIP_MAX_ENTRIES) {
        fz_zip_close(z);
        return fz_fail(err, "%s文件中的条目过多（超过 %d 个），可能是恶意构造的压缩包", what,
                       FZ_ZIP_MAX_ENTRIES);
    }
    return 0;
}

int fz_zip_has(fz_zip *z, const char *name) {
    return zip_name_locate(z->zip, name, ZIP_FL_NOCASE) >= 0;
}

int fz_zip_read(fz_zip *z, const char *name, char **data, size_t *len, char **err) {
    *data = NULL;
    *len = 0;
    zip_int64_t idx = zip_name_locate(z->zip, name, ZIP_FL_NOCASE);
    if (idx < 0) return fz_fail(err, "缺少 %s", name);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->zip, (zip_uint64_t)idx, 0, &st) != 0)
        return fz_fail(err, "无法读取 %s", name);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return fz_fail(err, "文件已加密，请提供未加密的版本");
    zip_file_t *f = zip_fopen_index(z->zip, (zip_uint64_t)idx, 0);
    if (!f) return fz_fail(err, "无法读取 %s（文件已损坏或已加密）", name);
    fz_buf b = {0};
    char chunk[65536];
    zip_int64_t got;
    int rc = 0;
    /* read by chunks and count: the sizes in the zip headers may lie */
    while ((got = zip_fread(f, chunk, sizeof chunk)) > 0) {
        z->inflated += (size_t)got;
        size_t have = b.len + (size_t)got;
        int ratio_bad = (st.valid & ZIP_STAT_COMP_SIZE) && have > FZ_ZIP_RATIO_FLOOR &&
                        have / FZ_ZIP_MAX_RATIO > st.comp_size;
        if (have > FZ_ZIP_MAX_ENTRY || z->inflated > FZ_ZIP_MAX_TOTAL || ratio_bad) {
            rc = fz_fail(err, "文件解压后过大（超过 %zu MB），可能是恶意构造的压缩包",
                         FZ_ZIP_MAX_ENTRY >> 20);
            break;
        }
        if (fz_buf_append(&b, chunk, (size_t)got) < 0) {
            rc = fz_fail(err, FZ_ENOMEM);
            break;
        }
    }
    if (rc == 0 && got < 0) rc = fz_fail(err, "%s 已损坏，无法解压", name);
    zip_fclose(f);
    if (rc < 0) {
        fz_buf_free(&b);
        return -1;
    }
    *len = b.len;
    *data = fz_buf_steal(&b);
    return *data ? 0 : fz_fail(err, FZ_ENOMEM);
}

char *fz_zip_path(const char *base, const char *loc) {
    while (*loc == ' ' || *loc == '\t' || *loc == '\n' || *loc == '\r') loc++;
    size_t n = strlen(loc);
    while (n && (loc[n - 1] == ' ' || loc[n - 1] == '\t' || loc[n - 1] == '\n' || loc[n - 1] == '\r'))
        n--;
    if (!n) return NULL;
    fz_buf joined = {0};
    int bad = 0;
    if (*loc != '/') {
        const char *slash = strrchr(base, '/');
        if (slash) bad |= fz_buf_append(&joined, base, (size_t)(slash - base + 1)) < 0;
    }
    bad |= fz_buf_append(&joined, loc, n) < 0;
    if (bad) {
        fz_buf_free(&joined);
        return NULL;
    }
    /* resolve segment by segment into the same buffer */
    char *p = joined.ptr;
    size_t w = 0;
    for (size_t r = 0; r <= joined.len;) {
        size_t e = r;
        while (e < joined.len && p[e] != '/') e++;
        size_t len = e - r;
        if (len == 0 || (len == 1 && p[r] == '.')) {
            /* empty or "." */
        } else if (len == 2 && p[r] == '.' && p[r + 1] == '.') {
            while (w > 0 && p[w - 1] != '/') w--;   /* drop the last segment */
            if (w > 0) w--;
            while (w > 0 && p[w - 1] != '/') w--;
        } else {
            if (w > 0 && p[w - 1] != '/') p[w++] = '/';
            memmove(p + w, p + r, len);
            w += len;
            p[w++] = '/';
        }
        r = e + 1;
    }
    while (w > 0 && p[w - 1] == '/') w--;
    p[w] = '\0';
    joined.len = w;
    if (!w) {
        fz_buf_free(&joined);
        return NULL;
    }
    return fz_buf_steal(&joined);
}

void fz_zip_close(fz_zip *z) {
    if (z->zip) zip_discard(z->zip);
    memset(z, 0, sizeof *z);
}

static int contains(const char *s, size_t n, const char *lit) {
    size_t l = strlen(lit);
    for (size_t i = 0; i + l <= n; i++)
        if (memcmp(s + i, lit, l) == 0) return 1;
    return 0;
}

static void quiet(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

xmlDocPtr fz_xml_parse(const char *data, size_t len, const char *what, char **err) {
    /* Office and OFD files have no business declaring a DTD or entities:
     * refuse rather than trust any parser setting about expanding them */
    if (contains(data, len, "<!DOCTYPE") || contains(data, len, "<!ENTITY")) {
        fz_fail(err, "%s 含有 DTD 或实体声明，出于安全考虑不予读取", what);
        return NULL;
    }
    if (len > (size_t)INT32_MAX) {
        fz_fail(err, "%s 过大", what);
        return NULL;
    }
    xmlSetGenericErrorFunc(NULL, quiet);
    xmlDocPtr doc = xmlReadMemory(data, (int)len, NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                      XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
    if (!doc) fz_fail(err, "%s 的 XML 有误（可能已损坏）", what);
    return doc;
}

int fz_xml_is(xmlNodePtr n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && n->name && !strcmp((const char *)n->name, name);
}

xmlNodePtr fz_xml_child(xmlNodePtr n, const char *name) {
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (fz_xml_is(c, name)) return c;
    return NULL;
}

char *fz_xml_attr(xmlNodePtr n, const char *name) {
    for (xmlAttrPtr a = n ? n->properties : NULL; a; a = a->next)
        if (a->name && !strcmp((const char *)a->name, name))
            return (char *)xmlNodeGetContent((xmlNodePtr)a);
    return NULL;
}
