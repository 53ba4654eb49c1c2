/*
 * output.c - writing output files atomically (see output.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "util.h"

int fz_write_atomic(const char *path, int (*writer)(FILE *, const void *),
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
