/*
 * output.c - writing output files atomically (see output.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "util.h"

/* Writes straight into a target that is not a regular file (a device
 * such as /dev/stdout, or a FIFO): renaming over it would replace it. */
static int write_direct(const char *path, int (*writer)(FILE *, const void *),
                        const void *arg, char **err) {
    FILE *f = fopen(path, "wb");
    if (!f) return fz_fail(err, "无法写入“%s”：%s", path, strerror(errno));
    int rc = writer(f, arg);
    if (fflush(f) != 0 || ferror(f)) rc = -1;
    if (fclose(f) != 0) rc = -1;
    if (rc) return fz_fail(err, "写入“%s”失败：%s", path, strerror(errno));
    return 0;
}

static int write_via_temp(const char *path, int (*writer)(FILE *, const void *),
                          const void *arg, char **err);

int fz_write_atomic(const char *path, int (*writer)(FILE *, const void *),
                    const void *arg, char **err) {
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        /* replace the file the link points to, not the link */
        char *real = realpath(path, NULL);
        if (!real) return fz_fail(err, "无法写入“%s”：符号链接指向的位置不存在", path);
        int rc = fz_write_atomic(real, writer, arg, err);
        free(real);
        return rc;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) return fz_fail(err, "无法写入“%s”：这是一个目录", path);
        return write_direct(path, writer, arg, err);
    }
    return write_via_temp(path, writer, arg, err);
}

static int write_via_temp(const char *path, int (*writer)(FILE *, const void *),
                          const void *arg, char **err) {
    fz_buf tmp = {0};
    if (fz_buf_printf(&tmp, "%s.tmp-XXXXXX", path) < 0) return fz_fail(err, FZ_ENOMEM);
    int fd = mkstemp(tmp.ptr);
    if (fd < 0) {
        int e = errno;
        fz_buf_free(&tmp);
        return fz_fail(err, "无法写入“%s”：%s", path,
                       e == ENOENT ? "目录不存在" : e == EACCES ? "没有写入权限" : strerror(e));
    }
    /* mkstemp creates the file 0600; an output file is for sharing */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(tmp.ptr);
        fz_buf_free(&tmp);
        return fz_fail(err, FZ_ENOMEM);
    }
    int rc = writer(f, arg);
    if (fflush(f) != 0 || ferror(f)) rc = -1;
    if (rc == 0 && fsync(fileno(f)) != 0) rc = -1;
    int e = errno;
    if (fclose(f) != 0) rc = -1;
    if (rc == 0 && rename(tmp.ptr, path) != 0) {
        rc = -1;
        e = errno;
    }
    if (rc != 0) {
        unlink(tmp.ptr);
        fz_fail(err, "写入“%s”失败：%s", path, strerror(e));
    }
    fz_buf_free(&tmp);
    return rc;
}
