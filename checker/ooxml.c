/*
 * ooxml.c - see ooxml.h.
 */
#include "ooxml.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

int fz_zipw_open(fz_zipw *w, char **err) {
    memset(w, 0, sizeof *w);
    w->mtime = fz_creation_time();
    zip_error_t ze;
    zip_error_init(&ze);
    w->src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (w->src) {
        zip_source_keep(w->src); /* its bytes are read after zip_close */
        w->za = zip_open_from_source(w->src, ZIP_TRUNCATE, &ze);
    }
    zip_error_fini(&ze);
    if (!w->za) {
        if (w->src) {
            zip_source_free(w->src); /* the reference kept */
            zip_source_free(w->src);
        }
        memset(w, 0, sizeof *w);
        return fz_fail(err, "无法在内存中建立 zip 文件");
    }
    return 0;
}

static int added(fz_zipw *w, zip_int64_t idx, char **err) {
    if (idx < 0) {
        int exists = zip_error_code_zip(zip_get_error(w->za)) == ZIP_ER_EXISTS;
        return fz_fail(err, exists ? "Word 文件中有重名的部件（zip 条目），无法生成批注文件"
                                   : "无法写入 zip 条目");
    }
    zip_file_set_mtime(w->za, (zip_uint64_t)idx, w->mtime, 0);
    return 0;
}

int fz_zipw_take(fz_zipw *w, const char *name, char *data, size_t len, char **err) {
    /* libzip frees a buffer source's data with free() when asked to */
    zip_source_t *s = zip_source_buffer(w->za, data, len, 1);
    if (!s) {
        free(data);
        return fz_fail(err, FZ_ENOMEM);
    }
    zip_int64_t idx = zip_file_add(w->za, name, s, ZIP_FL_ENC_UTF_8);
    if (idx < 0) zip_source_free(s);
    return added(w, idx, err);
}

int fz_zipw_add(fz_zipw *w, const char *name, const char *data, size_t len, char **err) {
    char *copy = malloc(len ? len : 1);
    if (!copy) return fz_fail(err, FZ_ENOMEM);
    if (len) memcpy(copy, data, len);
    return fz_zipw_take(w, name, copy, len, err);
}

int fz_zipw_copy(fz_zipw *w, zip_t *from, zip_uint64_t idx, char **err) {
    const char *name = zip_get_name(from, idx, ZIP_FL_ENC_RAW);
    zip_stat_t st;
    zip_stat_init(&st);
    if (!name || zip_stat_index(from, idx, 0, &st) != 0) return fz_fail(err, "无法读取 Word 文件中的部件");
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return fz_fail(err, "Word 文件中有加密的部件，无法生成批注文件");
    size_t nl = strlen(name);
    if (nl && name[nl - 1] == '/') {
        zip_int64_t d = zip_dir_add(w->za, name, ZIP_FL_ENC_GUESS);
        return added(w, d, err);
    }
    /* start 0, length -1: the compressed bytes are copied as they are */
    zip_source_t *s = zip_source_zip(w->za, from, idx, 0, 0, -1);
    if (!s) return fz_fail(err, "无法复制 Word 文件中的部件“%s”", name);
    zip_int64_t at = zip_file_add(w->za, name, s, ZIP_FL_ENC_GUESS);
    if (at < 0) {
        zip_source_free(s);
        return added(w, at, err);
    }
    /* the same method, so that nothing is inflated or compressed again */
    zip_int32_t method = (st.valid & ZIP_STAT_COMP_METHOD) ? (zip_int32_t)st.comp_method : ZIP_CM_STORE;
    if (zip_set_file_compression(w->za, (zip_uint64_t)at, method, 0) != 0)
        return fz_fail(err, "Word 文件中的部件“%s”使用了不支持的压缩方式，无法生成批注文件", name);
    if ((st.valid & ZIP_STAT_MTIME)) zip_file_set_mtime(w->za, (zip_uint64_t)at, st.mtime, 0);
    return 0;
}

int fz_zipw_finish(fz_zipw *w, fz_buf *out, char **err) {
    int rc = 0;
    if (zip_close(w->za) != 0) {
        zip_discard(w->za);
        rc = fz_fail(err, "无法生成 zip 文件（Word 文件中的部件可能已损坏）");
    }
    w->za = NULL;
    if (rc == 0) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_source_stat(w->src, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
            zip_source_open(w->src) != 0) {
            rc = fz_fail(err, "无法读出生成的 zip 文件");
        } else {
            size_t need = out->len + (size_t)st.size;
            if (need < out->len || fz_grow(&out->ptr, &out->cap, need + 1, 1) < 0) {
                rc = fz_fail(err, FZ_ENOMEM);
            } else {
                zip_int64_t got = zip_source_read(w->src, out->ptr + out->len, st.size);
                if (got < 0 || (zip_uint64_t)got != st.size) {
                    rc = fz_fail(err, "无法读出生成的 zip 文件");
                } else {
                    out->len = need;
                    out->ptr[out->len] = '\0';
                }
            }
            zip_source_close(w->src);
        }
    }
    zip_source_free(w->src);
    memset(w, 0, sizeof *w);
    return rc;
}

void fz_zipw_abort(fz_zipw *w) {
    if (w->za) zip_discard(w->za);
    if (w->src) zip_source_free(w->src);
    memset(w, 0, sizeof *w);
}

/* ---- text ------------------------------------------------------------- */

/* Whether XML 1.0 (and report text) has a place for cp. */
static int keep_cp(uint32_t cp) {
    if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
    if (cp >= 0x7F && cp <= 0x9F) return 0;
    return cp != 0xFFFE && cp != 0xFFFF;
}

int fz_xml_escape(fz_buf *b, const char *s, size_t n, int newlines_to_space) {
    size_t i = 0, run = 0; /* s[run, i) is written as it is */
    int rc = 0;
    while (i < n && rc == 0) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        size_t len = 1;
        int drop = 0;
        if (c >= 0x80) {
            uint32_t cp;
            int l = fz_utf8_decode(s + i, n - i, &cp);
            if (l < 0) {
                drop = 1;
            } else {
                len = (size_t)l;
                drop = !keep_cp(cp);
            }
        } else if (c == '&') {
            rep = "&amp;";
        } else if (c == '<') {
            rep = "&lt;";
        } else if (c == '>') {
            rep = "&gt;";
        } else if (c == '"') {
            rep = "&quot;";
        } else if (c == '\'') {
            rep = "&apos;";
        } else if (c == '\n' || c == '\r' || c == '\t') {
            if (newlines_to_space) rep = " ";
        } else if (c < 0x20 || c == 0x7F) {
            drop = 1;
        }
        if (rep || drop) {
            rc |= fz_buf_append(b, s + run, i - run);
            if (rep) rc |= fz_buf_puts(b, rep);
            run = i + len;
        }
        i += len;
    }
    if (rc == 0 && run < n) rc = fz_buf_append(b, s + run, n - run);
    return rc < 0 ? -1 : 0;
}

char *fz_xml_clean(const char *s, size_t n) {
    char *out = malloc(n + 1);
    if (!out) return NULL;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int l = fz_utf8_decode(s + i, n - i, &cp);
        if (l < 0) {
            i++;
            continue;
        }
        if (keep_cp(cp)) memcpy(out + w, s + i, (size_t)l), w += (size_t)l;
        i += (size_t)l;
    }
    out[w] = '\0';
    return out;
}

char *fz_xml_dump(xmlDocPtr doc, size_t *len) {
    xmlChar *mem = NULL;
    int size = 0;
    xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
    if (!mem || size < 0) {
        if (mem) xmlFree(mem);
        return NULL;
    }
    char *copy = malloc((size_t)size + 1);
    if (copy) {
        memcpy(copy, mem, (size_t)size);
        copy[size] = '\0';
        *len = (size_t)size;
    }
    xmlFree(mem);
    return copy;
}
