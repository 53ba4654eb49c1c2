/*
 * atomic.c - see atomic.h.
 */
#define _GNU_SOURCE /* realpath, readlink, fchown, syncfs */
#include "atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

FILE *fz_scratch_file(const char *what) {
    const char *dir = getenv("TMPDIR");
    fz_buf path = {0};
    FILE *f = NULL;
    if (fz_buf_printf(&path, "%s/fzcheck-%s-XXXXXX", dir && *dir ? dir : "/tmp", what) < 0) {
        errno = ENOMEM;
        return NULL;
    }
    int fd = mkstemp(path.ptr);
    if (fd >= 0) {
        unlink(path.ptr);
        if (!(f = fdopen(fd, "w+b"))) {
            int e = errno;
            close(fd);
            errno = e;
        }
    }
    fz_buf_free(&path);
    return f;
}

const char *fz_errno_message(int e) {
    switch (e) {
    case ENOENT: return "目录不存在";
    case EACCES: case EPERM: return "没有写入权限";
    case ENOSPC: return "磁盘空间不足";
    case EDQUOT: return "超出磁盘配额";
    case EROFS: return "文件系统只读";
    case EIO: return "读写设备出错";
    case ENOTDIR: return "路径中有一部分不是目录";
    case EISDIR: return "这是一个目录";
    case ENAMETOOLONG: return "路径过长";
    case ESPIPE: return "不能写入管道或设备";
    case EFBIG: return "文件超过系统允许的大小";
    case EMFILE: case ENFILE: return "打开的文件过多";
    case EBADF: return "文件已关闭";
    case ETXTBSY: return "文件正被其他程序使用";
    case ENOMEM: return FZ_ENOMEM;
    default: return "系统错误";
    }
}

/* ---- temporary files to remove if the run is interrupted ------------- */

/* A handful at most (the JSON and the workbook); fixed so that the signal
 * handler touches no allocator. */
#define MAX_PENDING 8
static char *volatile pending[MAX_PENDING];

static void remember(char *path) {
    for (int i = 0; i < MAX_PENDING; i++)
        if (!pending[i]) {
            pending[i] = path;
            return;
        }
}

static void forget(const char *path) {
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i] == path) pending[i] = NULL;
}

static void on_signal(int sig) {
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i]) unlink(pending[i]); /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

void fz_atomic_install_signals(void) {
    /* a closed pipe on stdout is a write error (exit 2), not a death
     * that would leave the other outputs half-written */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
}

/* ---- writing ------------------------------------------------------------ */

static void clear(fz_atomic *a) {
    if (a->temp) forget(a->temp);
    free(a->target);
    free(a->temp);
    memset(a, 0, sizeof *a);
}

/* Where a symbolic link points, even when that file does not exist yet. */
static char *link_target(const char *path) {
    char *real = realpath(path, NULL);
    if (real) return real;
    fz_buf buf = {0};
    char target[4096];
    ssize_t n = readlink(path, target, sizeof target);
    if (n <= 0 || (size_t)n >= sizeof target) return NULL; /* none, or cut short */
    target[n] = '\0';
    const char *slash = strrchr(path, '/');
    int bad = 0;
    if (target[0] != '/' && slash) bad |= fz_buf_append(&buf, path, (size_t)(slash - path + 1)) < 0;
    bad |= fz_buf_puts(&buf, target) < 0;
    if (bad) {
        fz_buf_free(&buf);
        return NULL;
    }
    return fz_buf_steal(&buf);
}

/* Whether rest, what follows a temporary file's ".tmp-", is
 * "PID-XXXXXX" (mkstemp's six characters) of a PID no longer running. */
static int stale_rest(const char *rest) {
    char *end;
    long pid = strtol(rest, &end, 10);
    /* ours: PID, a dash and mkstemp's six characters, nothing more */
    if (end == rest || pid <= 0 || *end != '-' || strlen(end + 1) != 6) return 0;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Removes the temporary files in dir (ending in '/') whose PID is no
 * longer running: of target (a file name in dir), or of any target when
 * target is NULL. A live PID's files are another run's, still being
 * written. */
static void remove_stale_in(const char *dir, const char *target) {
    fz_buf prefix = {0};
    if (target && fz_buf_printf(&prefix, "%s.tmp-", target) < 0) return;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        const char *rest = NULL;
        if (target) {
            if (!strncmp(e->d_name, prefix.ptr, prefix.len)) rest = e->d_name + prefix.len;
        } else {
            /* NAME.tmp-PID-XXXXXX: the last ".tmp-" */
            for (const char *t = strstr(e->d_name, ".tmp-"); t; t = strstr(t + 1, ".tmp-"))
                rest = t + 5;
        }
        if (!rest || !stale_rest(rest)) continue;
        fz_buf path = {0};
        if (fz_buf_printf(&path, "%s%s", dir, e->d_name) == 0) unlink(path.ptr);
        fz_buf_free(&path);
    }
    if (d) closedir(d);
    fz_buf_free(&prefix);
}

/* Removes TARGET.tmp-PID-XXXXXX files whose PID is no longer running:
 * what a killed run (SIGKILL, a power cut) left behind. */
static void remove_stale(const char *target) {
    const char *slash = strrchr(target, '/');
    fz_buf dir = {0};
    int bad = slash ? fz_buf_append(&dir, target, (size_t)(slash - target + 1)) < 0
                    : fz_buf_puts(&dir, "./") < 0;
    if (!bad) remove_stale_in(dir.ptr, slash ? slash + 1 : target);
    fz_buf_free(&dir);
}

void fz_atomic_remove_stale_in(const char *dir) {
    fz_buf d = {0};
    size_t n = strlen(dir);
    if (fz_buf_printf(&d, "%s%s", dir, n && dir[n - 1] == '/' ? "" : "/") == 0)
        remove_stale_in(d.ptr, NULL);
    fz_buf_free(&d);
}

char *fz_atomic_resolve(const char *path) {
    struct stat st;
    char *target = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? link_target(path)
                                                               : fz_strdup(path);
    if (!target) return NULL;
    /* the directory made absolute, so that two spellings of one file match */
    const char *slash = strrchr(target, '/');
    char *dir = slash ? fz_strndup(target, slash == target ? 1 : (size_t)(slash - target))
                      : fz_strdup(".");
    char *real = dir ? realpath(dir, NULL) : NULL;
    fz_buf b = {0};
    int bad = !dir;
    if (real) bad |= fz_buf_printf(&b, "%s/%s", strcmp(real, "/") ? real : "",
                                   slash ? slash + 1 : target) < 0;
    else bad |= fz_buf_puts(&b, target) < 0;
    free(real);
    free(dir);
    free(target);
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

int fz_atomic_begin(fz_atomic *a, const char *path, int open_stream, char **err) {
    return fz_atomic_begin_swept(a, path, open_stream, 0, err);
}

int fz_atomic_begin_swept(fz_atomic *a, const char *path, int open_stream, int swept, char **err) {
    memset(a, 0, sizeof *a);
    if (!*path) return fz_fail(err, "输出文件名为空");
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        a->target = link_target(path);
        if (!a->target) return fz_fail(err, "无法写入“%s”：无法读取符号链接", path);
    } else {
        a->target = fz_strdup(path);
        if (!a->target) return fz_fail(err, FZ_ENOMEM);
    }
    int exists = stat(a->target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        clear(a);
        return fz_fail(err, "无法写入“%s”：这是一个目录", path);
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* a device or FIFO: write to it directly (renaming over it would
         * replace it) */
        a->direct = 1;
        if (!open_stream) {
            clear(a);
            return fz_fail(err, "无法写入“%s”：Excel 文件只能写入普通文件，不能写入管道或设备", path);
        }
        if (!(a->f = fopen(a->target, "wb"))) {
            int e = errno;
            clear(a);
            return fz_fail(err, "无法写入“%s”：%s", path, fz_errno_message(e));
        }
        return 0;
    }
    if (!swept) remove_stale(a->target);
    fz_buf tmp = {0};
    if (fz_buf_printf(&tmp, "%s.tmp-%ld-XXXXXX", a->target, (long)getpid()) < 0) {
        clear(a);
        return fz_fail(err, FZ_ENOMEM);
    }
    a->temp = fz_buf_steal(&tmp);
    int fd = a->temp ? mkstemp(a->temp) : -1;
    if (fd < 0) {
        int e = a->temp ? errno : ENOMEM;
        free(a->temp);
        a->temp = NULL;
        clear(a);
        return fz_fail(err, "无法写入“%s”：%s", path, fz_errno_message(e));
    }
    remember(a->temp);
    if (exists) {
        /* a replaced file keeps its permissions and, where allowed, owner */
        (void)fchmod(fd, st.st_mode & 07777);
        if (fchown(fd, st.st_uid, st.st_gid) != 0) { /* not ours to give away */ }
    } else {
        /* mkstemp makes the file 0600; a new output is for sharing */
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(fd, 0666 & ~mask);
    }
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

int fz_atomic_finish(fz_atomic *a, char **err) {
    if (a->finished) return 0;
    int rc = 0, e = 0;
    if (a->f) {
        if (fflush(a->f) != 0 || ferror(a->f)) rc = -1, e = errno;
        if (rc == 0 && a->temp && !a->lazy && fsync(fileno(a->f)) != 0) rc = -1, e = errno;
        if (fclose(a->f) != 0 && rc == 0) rc = -1, e = errno;
        a->f = NULL;
    } else if (a->temp && !a->lazy && sync_path(a->temp) != 0) {
        rc = -1, e = errno;
    }
    if (rc != 0) {
        fz_fail(err, "写入“%s”失败：%s", a->target, fz_errno_message(e ? e : EIO));
        fz_atomic_abort(a);
        return -1;
    }
    a->finished = 1;
    return 0;
}

/* The rename alone (the data is on disk). */
static int rename_into_place(fz_atomic *a, char **err) {
    if (a->temp && rename(a->temp, a->target) != 0) {
        int e = errno;
        fz_fail(err, "写入“%s”失败：%s", a->target, fz_errno_message(e ? e : EIO));
        fz_atomic_abort(a);
        return -1;
    }
    clear(a);
    return 0;
}

int fz_atomic_commit(fz_atomic *a, char **err) {
    if (fz_atomic_finish(a, err) < 0) return -1;
    return rename_into_place(a, err);
}

int fz_atomic_commit_all(fz_atomic *const *as, size_t n, char **err) {
    sigset_t hold, old;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigaddset(&hold, SIGHUP);
    sigprocmask(SIG_BLOCK, &hold, &old);
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (as[i] && (as[i]->target || as[i]->temp) && rename_into_place(as[i], err) < 0) rc = -1;
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

void fz_atomic_abort(fz_atomic *a) {
    if (a->f) fclose(a->f);
    if (a->temp) unlink(a->temp);
    clear(a);
}

int fz_atomic_sync_dir(const char *dir, char **err) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return fz_fail(err, "无法打开文件夹“%s”：%s", dir, fz_errno_message(errno));
#ifdef __linux__
    int rc = syncfs(fd);
#else
    sync();
    int rc = 0;
#endif
    /* the directory's entries (the renames) as well as the files' data */
    if (rc == 0) rc = fsync(fd);
    int e = errno;
    close(fd);
    if (rc != 0) return fz_fail(err, "无法把文件夹“%s”中的文件写入磁盘：%s", dir, fz_errno_message(e));
    return 0;
}
