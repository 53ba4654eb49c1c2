/*
 * batch.c - see batch.h.
 */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "read.h"
#include "score.h"
#include "util.h"

static const char *ext_of(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

static int unsupported_format(const char *path) {
    static const char *const exts[] = {"doc", "wps", NULL};
    const char *e = ext_of(path);
    for (size_t i = 0; exts[i]; i++)
        if (!strcasecmp(e, exts[i])) return 1;
    return 0;
}

static int push(fz_inputs *in, size_t *cap, const char *path) {
    if (fz_grow(&in->paths, cap, in->n + 1, sizeof *in->paths) < 0) return -1;
    if (!(in->paths[in->n] = fz_strdup(path))) return -1;
    in->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *dir, fz_inputs *in, size_t *cap, int depth) {
    if (depth > 64) return 0; /* a symlink loop; stop quietly */
    DIR *d = opendir(dir);
    if (!d) return push(in, cap, dir); /* reported as unreadable later */
    char **names = NULL;
    size_t n = 0, ncap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !strncmp(e->d_name, "~$", 2)) continue;
        if (fz_grow(&names, &ncap, n + 1, sizeof *names) < 0 ||
            !(names[n] = fz_strdup(e->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && rc == 0; i++) {
        fz_buf p = {0};
        if (fz_buf_printf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                          names[i]) < 0) {
            rc = -1;
            break;
        }
        /* lstat: a symbolic link to a directory is not followed (it could
         * loop back); a link to a file is read like the file */
        struct stat st;
        int is_dir = lstat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode);
        if (is_dir)
            rc = walk(p.ptr, in, cap, depth + 1);
        else if ((fz_read_supported(p.ptr) || unsupported_format(p.ptr)) &&
                 !(S_ISLNK(st.st_mode) && stat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode)))
            rc = push(in, cap, p.ptr);
        fz_buf_free(&p);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

int fz_inputs_collect(char *const *args, size_t nargs, fz_inputs *out, char **err) {
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    for (size_t i = 0; i < nargs; i++) {
        struct stat st;
        int rc = stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)
                     ? walk(args[i], out, &cap, 0)
                     : push(out, &cap, args[i]);
        if (rc < 0) {
            fz_inputs_free(out);
            return fz_fail(err, FZ_ENOMEM);
        }
    }
    return 0;
}

void fz_inputs_free(fz_inputs *in) {
    for (size_t i = 0; i < in->n; i++) free(in->paths[i]);
    free(in->paths);
    memset(in, 0, sizeof *in);
}

/* A file type fzcheck cannot read yet gets a message saying what to do. */
static char *format_error(const char *path) {
    const char *e = ext_of(path);
    fz_buf b = {0};
    int rc;
    if (unsupported_format(path))
        rc = fz_buf_printf(&b, "不支持旧版 .%s 格式：请在 Word/WPS 中另存为 .docx 或 PDF 后再检查", e);
    else
        rc = fz_buf_printf(&b, "不支持的文件类型“.%s”：请提供 .docx、.pdf、.ofd、.txt 或 .md 文件", e);
    if (rc < 0) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

int fz_batch_check_file(const fz_pack *pack, const char *path, fz_report *rep, char **err) {
    memset(rep, 0, sizeof *rep);
    if (!(rep->file = fz_strdup(path))) return fz_fail(err, FZ_ENOMEM);
    struct stat st;
    int is_file = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    if (is_file && !fz_read_supported(path)) {
        rep->error = format_error(path);
        return rep->error ? 0 : fz_fail(err, FZ_ENOMEM);
    }
    fz_doc doc;
    char *why = NULL;
    if (fz_doc_load(path, &doc, &why) < 0) {
        if (!why) return fz_fail(err, FZ_ENOMEM);
        rep->error = why;
        return 0;
    }
    if (fz_engine_check(pack, &doc, rep, err) < 0) return -1;
    fz_score_report(pack, rep);
    return 0;
}
