/*
 * read.c - see read.h.
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

#include "utf8.h"
#include "util.h"

static const char *extension(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

int fz_read_supported(const char *path) {
    const char *ext = extension(path);
    return strcasecmp(ext, "txt") == 0 || strcasecmp(ext, "md") == 0;
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
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
            c == '\v')
            continue;
        /* U+3000 ideographic space */
        if (c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x80) {
            i += 2;
            continue;
        }
        return 0;
    }
    return 1;
}

int fz_read_memory(const char *bytes, size_t n, const char *name,
                   fz_text *out, char **err) {
    memset(out, 0, sizeof *out);
    const char *ext = name ? extension(name) : "txt";
    out->format = strcasecmp(ext, "md") == 0 ? "md" : "txt";
    out->encoding = "UTF-8";
    if (n >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
        bytes += 3;
        n -= 3;
        out->encoding = "UTF-8 BOM";
    }
    if (n >= 2 && (memcmp(bytes, "\xFF\xFE", 2) == 0 ||
                   memcmp(bytes, "\xFE\xFF", 2) == 0))
        return fz_fail(err, "文件是 UTF-16 编码，暂不支持；请另存为 UTF-8 文本");
    if (only_whitespace(bytes, n)) return fz_fail(err, "文件为空，没有可检查的内容");
    if (memchr(bytes, '\0', n))
        return fz_fail(err, "不是文本文件（含有二进制内容）；请提供 .txt 或 .md 文本");
    if (!fz_utf8_valid(bytes, n))
        return fz_fail(err, "文件不是有效的 UTF-8 文本（可能是 GBK 等其他编码）；请另存为 UTF-8");
    out->data = malloc(n + 1);
    if (!out->data) return fz_fail(err, FZ_ENOMEM);
    memcpy(out->data, bytes, n);
    out->len = unify_newlines(out->data, n);
    out->data[out->len] = '\0';
    return 0;
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
    if ((uintmax_t)st.st_size > FZ_READ_MAX_BYTES) {
        close(fd);
        return fz_fail(err, "文件过大（%lld 字节，上限 %zu MB）",
                       (long long)st.st_size, FZ_READ_MAX_BYTES >> 20);
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
    t->data = NULL;
    t->len = 0;
}
