/*
 * read.c - see read.h. Opening files and choosing the reader: the
 * extension says what a file should be, its first bytes what it is. The
 * readers themselves are in read_plain.c, read_docx.c, read_pdf.c and
 * read_ofd.c.
 */
#include "read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read_formats.h"
#include "util.h"
#include "zipxml.h"

typedef enum { K_PLAIN, K_DOCX, K_PDF, K_OFD, K_LEGACY, K_UNKNOWN } kind;

static const char *extension(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

static kind kind_of_name(const char *name) {
    static const struct {
        const char *ext;
        kind k;
    } table[] = {{"txt", K_PLAIN}, {"md", K_PLAIN},  {"docx", K_DOCX}, {"docm", K_DOCX},
                 {"pdf", K_PDF},   {"ofd", K_OFD},   {"doc", K_LEGACY}, {"wps", K_LEGACY}};
    if (!name) return K_PLAIN;
    const char *ext = extension(name);
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (!strcasecmp(ext, table[i].ext)) return table[i].k;
    return K_UNKNOWN;
}

int fz_read_supported(const char *path) {
    return kind_of_name(path) != K_UNKNOWN;
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

/* ---- what the bytes are ------------------------------------------------ */

static int starts(const char *b, size_t n, const char *magic, size_t m) {
    return n >= m && !memcmp(b, magic, m);
}

/* PDF allows junk before the header within the first kilobyte. */
static int looks_pdf(const char *b, size_t n) {
    size_t lim = n < 1024 ? n : 1024;
    for (size_t i = 0; i + 5 <= lim; i++)
        if (!memcmp(b + i, "%PDF-", 5)) return 1;
    return 0;
}

/* A zip of unknown purpose: a Word document or an OFD by what it holds. */
static kind zip_kind(const char *b, size_t n) {
    fz_zip z;
    if (fz_zip_open(&z, b, n, "", NULL) < 0) return K_UNKNOWN;
    kind k = fz_zip_has(&z, "OFD.xml")                                             ? K_OFD
           : fz_zip_has(&z, "word/document.xml") || fz_zip_has(&z, "_rels/.rels") ? K_DOCX
                                                                                  : K_UNKNOWN;
    fz_zip_close(&z);
    return k;
}

/* The reader for these bytes: what they are where that is plain, else
 * what the name says. Sets *why for files no reader takes. */
static kind decide(const char *b, size_t n, kind named, const char **why) {
    *why = NULL;
    if (looks_pdf(b, n)) return K_PDF;
    if (starts(b, n, "PK\3\4", 4)) {
        if (named == K_DOCX || named == K_OFD) return named;
        kind k = zip_kind(b, n);
        if (k != K_UNKNOWN) return k;
        *why = "这是一个压缩包，不是报告文件：请解压后检查其中的 .docx、.pdf 或 .ofd 文件";
        return K_UNKNOWN;
    }
    if (starts(b, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
        /* an encrypted .docx is an OLE file too; the Word reader says so */
        if (named == K_DOCX) return K_DOCX;
        *why = "这是旧版 Word/WPS 格式（.doc/.wps）或加密的 Office 文件：请在 Word/WPS 中另存为未加密的 .docx 或 PDF 后再检查";
        if (named == K_LEGACY) *why = NULL; /* said below with its extension */
        return K_UNKNOWN;
    }
    if (starts(b, n, "{\\rtf", 5)) {
        *why = "这是 RTF 格式：请在 Word/WPS 中另存为 .docx 或 PDF 后再检查";
        return K_UNKNOWN;
    }
    return named == K_LEGACY ? K_UNKNOWN : named;
}

/* ---- files ------------------------------------------------------------ */

int fz_read_memory(const char *bytes, size_t n, const char *name, fz_text *out, char **err) {
    memset(out, 0, sizeof *out);
    if (n == 0) return fz_fail(err, "文件为空，没有可检查的内容");
    const char *why;
    kind named = kind_of_name(name);
    kind k = decide(bytes, n, named, &why);
    int rc;
    switch (k) {
    case K_DOCX: rc = fz_read_docx(bytes, n, out, err); break;
    case K_PDF: rc = fz_read_pdf(bytes, n, out, err); break;
    case K_OFD: rc = fz_read_ofd(bytes, n, out, err); break;
    case K_PLAIN:
        rc = fz_read_plain(bytes, n, out, err);
        if (name && !strcasecmp(extension(name), "md")) out->format = "md";
        break;
    default:
        if (why)
            rc = fz_fail(err, "%s", why);
        else if (named == K_LEGACY)
            rc = fz_fail(err, "不支持旧版 .%s 格式：请在 Word/WPS 中另存为 .docx 或 PDF 后再检查",
                         extension(name));
        else
            rc = fz_fail(err, "不支持的文件类型“.%s”：请提供 .docx、.pdf、.ofd、.txt 或 .md 文件",
                         extension(name));
        break;
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
