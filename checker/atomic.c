/*
 * atomic.c - see atomic.h.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static const char *why(int e) {
    return e == ENOENT ? "目录不存在" : e == EACCES ? "没有写入权限" : strerror(e);
}

static void clear(fz_atomic *a) {
    free(a->target);
    free(a->temp);
    memset(a, 0, sizeof *a);
}

int fz_atomic_begin(fz_atomic *a, const char *path, int open_stream, char **err) {
    memset(a, 0, sizeof *a);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        a->target = realpath(path, NULL);
        if (!a->target) return fz_fail(err, "无法写入“%s”：符号链接指向的位置不存在", path);
    } else {
        a->target = fz_strdup(path);
        if (!a->target) return fz_fail(err, FZ_ENOMEM);
    }
    int direct = stat(a->target, &st) == 0 && !S_ISREG(st.st_mode);
    if (direct && S_ISDIR(st.st_mode)) {
        clear(a);
        return fz_fail(err, "无法写入“%s”：这是一个目录", path);
    }
    if (direct) {
        if (open_stream && !(a->f = fopen(a->target, "wb"))) {
            int e = errno;
            clear(a);
            return fz_fail(err, "无法写入“%s”：%s", path, why(e));
        }
        return 0;
    }
    fz_buf tmp = {0};
    if (fz_buf_printf(&tmp, "%s.tmp-XXXXXX", a->target) < 0) {
        clear(a);
        return fz_fail(err, FZ_ENOMEM);
    }
    a->temp = fz_buf_steal(&tmp);
    int fd = a->temp ? mkstemp(a->temp) : -1;
    if (fd < 0) {
        int e = a->temp ? errno : ENOMEM;
        clear(a);
        return fz_fail(err, "无法写入“%s”：%s", path, why(e));
    }
    /* mkstemp makes the file 0600; an output is for sharing */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    if (open_stream) {
        a->f = fdopen(fd, "wb");
        if (!a->f) {
            close(fd);
            fz_atomic_abort(a);
            return fz_fail(err, FZ_ENOMEM);
        }
    } else {
        close(fd);
    }
    return 0;
}

const char *fz_atomic_path(const fz_atomic *a) {
    return a->temp ? a->temp : a->target;
}

/* fsync a file by name (a library wrote it and closed it). */
static int sync_path(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int fz_atomic_commit(fz_atomic *a, char **err) {
    int rc = 0, e = 0;
    if (a->f) {
        if (fflush(a->f) != 0 || ferror(a->f)) rc = -1, e = errno;
        if (rc == 0 && a->temp && fsync(fileno(a->f)) != 0) rc = -1, e = errno;
        if (fclose(a->f) != 0 && rc == 0) rc = -1, e = errno;
        a->f = NULL;
    } else if (a->temp && sync_path(a->temp) != 0) {
        rc = -1, e = errno;
    }
    if (rc == 0 && a->temp && rename(a->temp, a->target) != 0) rc = -1, e = errno;
    if (rc != 0) {
        fz_fail(err, "写入“%s”失败：%s", a->target, strerror(e));
        fz_atomic_abort(a);
        return -1;
    }
    clear(a);
    return 0;
}

void fz_atomic_abort(fz_atomic *a) {
    if (a->f) fclose(a->f);
    if (a->temp) unlink(a->temp);
    clear(a);
}
