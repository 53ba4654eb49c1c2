/*
 * read.c - see read.h. Opening files, choosing the reader by extension,
 * and plain text in its encodings; the other formats are in read_docx.c,
 * read_pdf.c and read_ofd.c.
 */
#include "read.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read_internal.h"
#include "utf8.h"
#include "util.h"

static const char *extension(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

int fz_read_supported(const char *path) {
    static const char *const exts[] = {"txt", "md", "docx", "pdf", "ofd", NULL};
    const char *ext = extension(path);
    for (size_t i = 0; exts[i]; i++)
        if (!strcasecmp(ext, exts[i])) return 1;
    return 0;
}

size_t fz_read_max_bytes(void) {
    const char *e = getenv("FZCHECK_MAX_MB");
    if (e && *e) {
        char *end;
        unsigned long mb = strtoul(e, &end, 10);
        if (!*end && mb > 0 && mb < 1024 * 1024) return (size_t)mb * 1024 * 1024;
    }
    return FZ_READ_MAX_BYTES;
}

static const char *errno_message(int e) {
    switch (e) {
    case ENOENT: return "文件不存在";
    case EACCES: return "没有读取权限";
    case EISDIR: return "这是一个目录，不是文件";
    case ELOOP: return "符号链接层数过多或循环";
    case ENAMETOOLONG: return "路径过长";
    case ENOMEM: return FZ_ENOMEM;
    default: return strerror(e);
    }
}

/* ---- text ----------------------------------------------------------- */

/* Converts CRLF and lone CR to LF in place; returns the new length. */
static size_t unify_newlines(char *s, size_t n) {
    size_t w = 0;
    for (size_t r = 0; r < n; r++) {
        if (s[r] == '\r') {
            s[w++] = '\n';
            if (r + 1 < n && s[r + 1] == '\n') r++;
        } else {
            s[w++] = s[r];
        }
    }
    return w;
}

static int only_whitespace(const char *s, size_t n) {
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

int fz_text_take(fz_text *out, fz_buf *b, char **err) {
    const char *s = b->ptr ? b->ptr : "";
    if (only_whitespace(s, b->len)) {
        fz_buf_free(b);
        return fz_fail(err, "文件为空，没有可检查的内容");
    }
    if (memchr(s, '\0', b->len)) {
        fz_buf_free(b);
        return fz_fail(err, "不是文本文件（含有二进制内容）；请提供 .txt、.docx 或 .pdf 报告");
    }
    if (!fz_utf8_valid(s, b->len)) {
        fz_buf_free(b);
        return fz_fail(err, "文字编码有误，无法读取");
    }
    out->len = unify_newlines(b->ptr, b->len);
    b->ptr[out->len] = '\0';
    out->data = fz_buf_steal(b);
    return 0;
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
    if (memchr(bytes, '\0', n))
        return fz_fail(err, "不是文本文件（含有二进制内容）；请提供 .txt、.docx 或 .pdf 报告");
    if (!fz_utf8_valid(bytes, n)) {
        /* Windows tools save Chinese text as GBK; GB18030 is its superset */
        if (convert("GB18030", bytes, n, &b) < 0) {
            fz_buf_free(&b);
            return fz_fail(err, "无法识别文字编码（既不是 UTF-8，也不是 GBK/GB18030）；请另存为 UTF-8");
        }
        out->encoding = "GB18030";
        return fz_text_take(out, &b, err);
    }
    if (fz_buf_append(&b, bytes, n) < 0) return fz_fail(err, FZ_ENOMEM);
    return fz_text_take(out, &b, err);
}

/* ---- files ------------------------------------------------------------ */

int fz_read_memory(const char *bytes, size_t n, const char *name, fz_text *out, char **err) {
    memset(out, 0, sizeof *out);
    const char *ext = name ? extension(name) : "txt";
    if (n == 0) return fz_fail(err, "文件为空，没有可检查的内容");
    int rc;
    if (!strcasecmp(ext, "docx")) rc = fz_read_docx(bytes, n, out, err);
    else if (!strcasecmp(ext, "pdf")) rc = fz_read_pdf(bytes, n, out, err);
    else if (!strcasecmp(ext, "ofd")) rc = fz_read_ofd(bytes, n, out, err);
    else {
        rc = fz_read_plain(bytes, n, out, err);
        if (!strcasecmp(ext, "md")) out->format = "md";
    }
    if (rc < 0) fz_text_free(out);
    return rc;
}

/* Reads exactly size bytes from fd (a regular file). */
static int read_all(int fd, char *buf, size_t size) {
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        got += (size_t)n;
    }
    return 0;
}

int fz_read_file(const char *path, fz_text *out, char **err) {
    memset(out, 0, sizeof *out);
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; anything that
     * is not a regular file is refused right after */
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) return fz_fail(err, "无法打开文件：%s", errno_message(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return fz_fail(err, "无法读取文件信息：%s", errno_message(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return fz_fail(err, "无法打开文件：%s", errno_message(EISDIR));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return fz_fail(err, "不是普通文件（可能是设备或管道）");
    }
    size_t max = fz_read_max_bytes();
    if ((uintmax_t)st.st_size > max) {
        close(fd);
        return fz_fail(err, "文件过大（%lld 字节，上限 %zu MB，可用环境变量 FZCHECK_MAX_MB 调整）",
                       (long long)st.st_size, max >> 20);
    }
    size_t size = (size_t)st.st_size;
    char *buf = malloc(size + 1);
    if (!buf) {
        close(fd);
        return fz_fail(err, FZ_ENOMEM);
    }
    int rc = read_all(fd, buf, size);
    close(fd);
    if (rc < 0) {
        free(buf);
        return fz_fail(err, "读取文件时出错");
    }
    rc = fz_read_memory(buf, size, path, out, err);
    free(buf);
    return rc;
}

void fz_text_free(fz_text *t) {
    free(t->data);
    free(t->line_page);
    memset(t, 0, sizeof *t);
}
