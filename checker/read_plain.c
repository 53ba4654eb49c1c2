/*
 * read_plain.c - plain text (.txt, .md) in the encodings Chinese offices
 * save it in: UTF-8 with or without a BOM, UTF-16 with a BOM (Notepad's
 * "Unicode"), and GBK/GB18030 (what Windows tools write by default).
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "read_formats.h"
#include "utf8.h"

#define NOT_TEXT "不是文本文件（含有二进制内容）；请提供 .txt、.docx 或 .pdf 报告"

/* Converts n bytes from `from` to UTF-8 with iconv. Returns 0, or -1 when
 * the bytes are not valid in that encoding (or memory runs out). */
static int convert(const char *from, const char *bytes, size_t n, fz_buf *out) {
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) return -1;
    char *in = (char *)bytes;
    size_t left = n;
    int rc = 0;
    while (left > 0 && rc == 0) {
        char chunk[8192];
        char *o = chunk;
        size_t room = sizeof chunk;
        size_t r = iconv(cd, &in, &left, &o, &room);
        if (fz_buf_append(out, chunk, sizeof chunk - room) < 0) rc = -1;
        if (r == (size_t)-1 && errno != E2BIG) rc = -1; /* EILSEQ, EINVAL */
    }
    iconv_close(cd);
    if (rc == 0 && fz_buf_append(out, "", 0) < 0) rc = -1;
    return rc;
}

int fz_read_plain(const char *bytes, size_t n, fz_text *out, char **err) {
    fz_buf b = {0};
    out->format = "txt";
    if (n >= 2 && (!memcmp(bytes, "\xFF\xFE", 2) || !memcmp(bytes, "\xFE\xFF", 2))) {
        int le = bytes[0] == '\xFF';
        out->encoding = le ? "UTF-16LE" : "UTF-16BE";
        if (convert(le ? "UTF-16LE" : "UTF-16BE", bytes + 2, n - 2, &b) < 0) {
            fz_buf_free(&b);
            return fz_fail(err, "UTF-16 文本有误，无法转换");
        }
        return fz_text_take(out, &b, err);
    }
    out->encoding = "UTF-8";
    if (n >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3)) {
        bytes += 3;
        n -= 3;
        out->encoding = "UTF-8 BOM";
    }
    if (memchr(bytes, '\0', n)) return fz_fail(err, NOT_TEXT);
    if (!fz_utf8_valid(bytes, n)) {
        if (convert("GB18030", bytes, n, &b) < 0) {
            fz_buf_free(&b);
            return fz_fail(err, "无法识别文字编码（既不是 UTF-8，也不是 GBK/GB18030）；请另存为 UTF-8");
        }
        out->encoding = "GB18030";
        return fz_text_take(out, &b, err);
    }
    if (fz_buf_append(&b, bytes, n) < 0) return fz_fail(err, FZ_ENOMEM);
    return fz_text_take_valid(out, &b, err); /* checked above */
}
