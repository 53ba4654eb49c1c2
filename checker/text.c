/*
 * text.c - see text.h.
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Converts CRLF and lone CR to LF in place; returns the new length. */
static size_t unify_newlines(char *s, size_t n) {
    /* the text before the first CR stays as it is */
    const char *cr = memchr(s, '\r', n);
    if (!cr) return n;
    size_t w = (size_t)(cr - s);
    for (size_t r = w; r < n; r++) {
        if (s[r] == '\r') {
            s[w++] = '\n';
            if (r + 1 < n && s[r + 1] == '\n') r++;
        } else {
            s[w++] = s[r];
        }
    }
    return w;
}

int fz_text_blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') continue;
        if (c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x80) { /* U+3000 */
            i += 2;
            continue;
        }
        return 0;
    }
    return 1;
}

static int take(fz_text *out, fz_buf *b, int checked, char **err) {
    const char *s = b->ptr ? b->ptr : "";
    if (fz_text_blank(s, b->len)) {
        fz_buf_free(b);
        return fz_fail(err, "文件为空，没有可检查的内容");
    }
    if (!checked && memchr(s, '\0', b->len)) {
        fz_buf_free(b);
        return fz_fail(err, "不是文本文件（含有二进制内容）；请提供 .txt、.docx 或 .pdf 报告");
    }
    if (!checked && !fz_utf8_valid(s, b->len)) {
        fz_buf_free(b);
        return fz_fail(err, "文字编码有误，无法读取");
    }
    out->len = unify_newlines(b->ptr, b->len);
    b->ptr[out->len] = '\0';
    out->data = fz_buf_steal(b);
    return 0;
}

int fz_text_take(fz_text *out, fz_buf *b, char **err) {
    return take(out, b, 0, err);
}

int fz_text_take_valid(fz_text *out, fz_buf *b, char **err) {
    return take(out, b, 1, err);
}

int fz_text_pages(fz_text *out, size_t *cap, const fz_buf *b, uint32_t page) {
    size_t lines = 1;
    for (size_t i = 0; i < b->len; i++)
        if (b->ptr[i] == '\n') lines++;
    if (fz_grow(&out->line_page, cap, lines, sizeof *out->line_page) < 0) return -1;
    for (size_t i = out->nlines; i < lines; i++) out->line_page[i] = page;
    out->nlines = lines;
    return 0;
}

void fz_text_free(fz_text *t) {
    free(t->data);
    free(t->line_page);
    memset(t, 0, sizeof *t);
}
