/*
 * serve_upload.c - the reports of one upload (serve.h), saved in the
 * request's private directory.
 *
 * An uploaded file's name is never used as a path: it is cut to its base
 * name, stripped of control and shell-special characters, shortened, and
 * saved as in/NNN_<name> (NNN its place in the upload), which is also the
 * name its results show; last year's reports (the field `previous`) go
 * to in/prev/NNN_<name> the same way, counted in the same limits. Only the formats fzcheck reads are taken (and
 * .doc/.wps, which the checker explains), or a .zip of them: an archive
 * is expanded one level deep under the same limits as an upload (entry
 * count, each entry's size, the total), its entries counted as they are
 * decompressed rather than trusting the sizes the archive declares, and
 * refused whole when an entry names an absolute path or "..", when it
 * holds another archive, or when it decompresses past the limits (a zip
 * bomb). Entries' names not in UTF-8 are read as GB18030 (Windows zips).
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "atomic.h"
#include "serve.h"
#include "utf8.h"

struct fz_upload {
    fz_server *s;
    char *in;              /* dir/in */
    FILE *cur;             /* the file being received */
    char *cur_orig;        /* its name as sent */
    size_t cur_bytes, cur_limit;
    int cur_prev;          /* it is one of last year's reports */
    char **files;          /* names relative to in (last year's under prev/) */
    size_t n, cap;
    size_t nprev;          /* after finish: last year's, not in files */
    size_t seq;            /* the last NNN given */
    size_t expanded;       /* bytes written from archives */
    int status;
    char *error;
};

static const char *const report_exts[] = {"docx", "docm", "pdf", "ofd", "txt", "md", "doc", "wps", NULL};

static const char *ext_of(const char *name) {
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? dot + 1 : "";
}

static int is_report(const char *name) {
    for (size_t i = 0; report_exts[i]; i++)
        if (!strcasecmp(ext_of(name), report_exts[i])) return 1;
    return 0;
}

static int is_zip(const char *name) {
    return !strcasecmp(ext_of(name), "zip");
}

void fz_upload_refuse(fz_upload *u, int status, const char *fmt, ...) {
    if (u->status) return;
    u->status = status;
    fz_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    int bad = fz_buf_vprintf(&b, fmt, ap) < 0;
    va_end(ap);
    u->error = bad ? NULL : fz_buf_steal(&b);
    if (bad) fz_buf_free(&b);
}

int fz_upload_status(const fz_upload *u) {
    return u->status;
}

const char *fz_upload_error(const fz_upload *u) {
    return u->error ? u->error : FZ_ENOMEM;
}

char *const *fz_upload_files(const fz_upload *u, size_t *n) {
    *n = u->n;
    return u->files;
}

size_t fz_upload_previous(const fz_upload *u) {
    return u->nprev;
}

/* A saved name (relative to in) of one of last year's reports. */
static int in_prev(const char *rel) {
    return !strncmp(rel, FZ_PREV_DIR "/", sizeof FZ_PREV_DIR);
}

fz_upload *fz_upload_new(fz_server *s, const char *dir) {
    fz_upload *u = calloc(1, sizeof *u);
    if (!u) return NULL;
    u->s = s;
    if (!(u->in = fz_strdup_printf("%s/in", dir)) || mkdir(u->in, 0700) != 0) {
        free(u->in);
        free(u);
        return NULL;
    }
    return u;
}

void fz_upload_free(fz_upload *u) {
    if (!u) return;
    if (u->cur) fclose(u->cur);
    for (size_t i = 0; i < u->n; i++) free(u->files[i]);
    free(u->files);
    free(u->cur_orig);
    free(u->in);
    free(u->error);
    free(u);
}

/* ---- names ---------------------------------------------------------------- */

/* A name fit to be a file name: the base name of `name`, control
 * characters, bytes not UTF-8 and characters special to shells or to
 * Windows replaced by "_", leading dots and spaces dropped, at most ~120
 * bytes with its extension kept. NULL when memory runs out. */
static char *safe_name(const char *name) {
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\') base = p + 1;
    while (*base == '.' || *base == ' ') base++;
    fz_buf b = {0};
    size_t len = strlen(base);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)base[i];
        uint32_t cp;
        int k = fz_utf8_decode(base + i, len - i, &cp);
        if (k <= 0 || c < 0x20 || c == 0x7f || (cp >= 0x80 && cp <= 0x9f) || strchr("<>:\"|?*`$&;%", (int)c)) {
            if (fz_buf_append(&b, "_", 1) < 0) goto oom;
            i += k > 0 ? (size_t)k : 1;
            continue;
        }
        if (fz_buf_append(&b, base + i, (size_t)k) < 0) goto oom;
        i += (size_t)k;
    }
    if (fz_buf_append(&b, "", 0) < 0) goto oom;
    const char *ext = ext_of(b.ptr);
    size_t elen = *ext ? strlen(ext) + 1 : 0;
    if (elen > 16) elen = 0;
    if (b.len > 120) {
        /* keep the extension; cut the stem on a character boundary */
        size_t keep = 120 - elen;
        while (keep > 0 && ((unsigned char)b.ptr[keep] & 0xC0) == 0x80) keep--;
        memmove(b.ptr + keep, b.ptr + b.len - elen, elen + 1);
        b.len = keep + elen;
    }
    if (b.len == elen) {
        /* nothing but an extension: give it a stem */
        char *named = fz_strdup_printf("报告%s", b.ptr);
        fz_buf_free(&b);
        return named;
    }
    return fz_buf_steal(&b);
oom:
    fz_buf_free(&b);
    return NULL;
}

/* Makes in/prev (mode 0700) for the first of last year's reports.
 * Returns 0, or -1 having refused. */
static int make_prev_dir(fz_upload *u) {
    char *dir = fz_strdup_printf("%s/%s", u->in, FZ_PREV_DIR);
    if (!dir) {
        fz_upload_refuse(u, 500, FZ_ENOMEM);
        return -1;
    }
    int rc = mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : -1;
    if (rc < 0) fz_upload_refuse(u, 500, "无法创建临时目录：%s", fz_errno_message(errno));
    free(dir);
    return rc;
}

/* Opens in/NNN_<safe name> (in/prev/NNN_<safe name> for one of last
 * year's) for a new report; its relative name is added to the list.
 * Returns the stream, or NULL having refused. */
static FILE *new_file(fz_upload *u, const char *name, int prev) {
    if (u->n >= u->s->o.max_files) {
        fz_upload_refuse(u, 413, "一次最多检查 %zu 份报告（压缩包中的文件和上一年度报告也计算在内），请分批上传",
                         u->s->o.max_files);
        return NULL;
    }
    if (prev && make_prev_dir(u) < 0) return NULL;
    char *safe = safe_name(name);
    char *rel = safe ? fz_strdup_printf("%s%03zu_%s", prev ? FZ_PREV_DIR "/" : "", ++u->seq, safe) : NULL;
    char *path = rel ? fz_strdup_printf("%s/%s", u->in, rel) : NULL;
    free(safe);
    if (!path || fz_grow(&u->files, &u->cap, u->n + 1, sizeof *u->files) < 0) {
        free(rel);
        free(path);
        fz_upload_refuse(u, 500, FZ_ENOMEM);
        return NULL;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        if (fd >= 0) close(fd);
        fz_upload_refuse(u, 500, "无法保存上传的文件：%s", fz_errno_message(errno));
        free(rel);
        free(path);
        return NULL;
    }
    free(path);
    u->files[u->n++] = rel;
    return f;
}

/* ---- the multipart parts -------------------------------------------------- */

static int close_current(fz_upload *u) {
    if (!u->cur) return 0;
    int bad = ferror(u->cur);
    if (fclose(u->cur) != 0) bad = 1;
    u->cur = NULL;
    if (bad) fz_upload_refuse(u, 500, "无法保存上传的文件（磁盘空间不足？）");
    return bad ? -1 : 0;
}

int fz_upload_part(fz_upload *u, const char *key, const char *filename, const char *data,
                   unsigned long long off, size_t size) {
    if (u->status) return 0;
    if (!filename || !*filename) return 0; /* a form field, or no file chosen */
    int prev = key && !strcmp(key, FZ_PREV_FIELD);
    int fresh = off == 0 && (!u->cur || u->cur_bytes > 0 || !u->cur_orig || strcmp(u->cur_orig, filename) ||
                             prev != u->cur_prev);
    if (fresh) {
        if (close_current(u) < 0) return -1;
        free(u->cur_orig);
        if (!(u->cur_orig = fz_strdup(filename))) {
            fz_upload_refuse(u, 500, FZ_ENOMEM);
            return -1;
        }
        char *shown = fz_display(filename, 0);
        if (!is_report(filename) && !is_zip(filename)) {
            fz_upload_refuse(u, 415, "不支持的文件类型：“%s”。请上传 .docx、.docm、.pdf、.ofd、.txt、.md 文件或它们的 .zip 压缩包",
                             shown ? shown : "");
            free(shown);
            return -1;
        }
        free(shown);
        u->cur_limit = is_zip(filename) ? u->s->max_request_bytes : u->s->max_file_bytes;
        u->cur_bytes = 0;
        u->cur_prev = prev;
        if (!(u->cur = new_file(u, filename, prev))) return -1;
    }
    if (!u->cur) return 0;
    if (size > u->cur_limit - u->cur_bytes) {
        char *shown = fz_display(filename, 0);
        fz_upload_refuse(u, 413, "文件“%s”超过 %zu MB 的大小上限，未检查", shown ? shown : "", u->cur_limit >> 20);
        free(shown);
        return -1;
    }
    u->cur_bytes += size;
    if (size && fwrite(data, 1, size, u->cur) != size) {
        fz_upload_refuse(u, 500, "无法保存上传的文件（磁盘空间不足？）");
        return -1;
    }
    return 0;
}

/* ---- archives ------------------------------------------------------------- */

/* The entry's name in UTF-8: as stored when it is UTF-8, else read as
 * GB18030. NULL when memory runs out. */
static char *entry_name(const char *raw) {
    size_t len = strlen(raw);
    int utf8 = 1;
    for (size_t i = 0; i < len && utf8;) {
        uint32_t cp;
        int k = fz_utf8_decode(raw + i, len - i, &cp);
        if (k <= 0) utf8 = 0;
        else i += (size_t)k;
    }
    if (utf8) return fz_strdup(raw);
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return fz_strdup(raw); /* safe_name replaces the bad bytes */
    size_t cap = len * 4 + 1, left = cap - 1, inleft = len;
    char *out = malloc(cap), *o = out;
    char *in = (char *)raw;
    if (out && iconv(cd, &in, &inleft, &o, &left) != (size_t)-1) {
        *o = '\0';
    } else if (out) {
        free(out);
        out = fz_strdup(raw);
    }
    iconv_close(cd);
    return out;
}

/* An entry name that climbs out: absolute, a drive, or a ".." part. */
static int escapes(const char *name) {
    if (name[0] == '/' || name[0] == '\\' || (name[0] && name[1] == ':')) return 1;
    const char *p = name;
    while (*p) {
        const char *e = p;
        while (*e && *e != '/' && *e != '\\') e++;
        if (e - p == 2 && p[0] == '.' && p[1] == '.') return 1;
        p = *e ? e + 1 : e;
    }
    return 0;
}

/* Entries of a __MACOSX folder, hidden files, Word's lock files. */
static int ignorable(const char *name) {
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\') base = p + 1;
    return !strncmp(name, "__MACOSX", 8) || base[0] == '.' || !strncmp(base, "~$", 2) || !*base;
}

/* Decompresses entry i into a new report file, counting the bytes. */
static int extract(fz_upload *u, zip_t *z, zip_uint64_t i, const char *zipname, const char *name,
                   zip_uint64_t comp, int prev) {
    size_t limit = u->s->max_file_bytes;
    zip_file_t *zf = zip_fopen_index(z, i, 0);
    if (!zf) {
        fz_upload_refuse(u, 400, "无法解压压缩包“%s”中的“%s”（已损坏或已加密）", zipname, name);
        return -1;
    }
    FILE *f = new_file(u, name, prev);
    if (!f) {
        zip_fclose(zf);
        return -1;
    }
    char chunk[1 << 16];
    size_t got = 0;
    zip_int64_t k;
    int rc = 0;
    while ((k = zip_fread(zf, chunk, sizeof chunk)) > 0) {
        got += (size_t)k;
        u->expanded += (size_t)k;
        if (got > limit || u->expanded > u->s->max_request_bytes) {
            double ratio = comp ? (double)got / (double)comp : (double)got;
            if (ratio > 100)
                fz_upload_refuse(u, 413, "压缩包“%s”中的“%s”解压后超过 %zu MB（压缩比超过 %.0f:1），"
                                 "疑似“压缩炸弹”，已拒绝整个压缩包",
                                 zipname, name, (got > limit ? limit : u->s->max_request_bytes) >> 20, ratio);
            else if (got > limit)
                fz_upload_refuse(u, 413, "压缩包“%s”中的“%s”解压后超过 %zu MB 的大小上限，未检查", zipname, name, limit >> 20);
            else
                fz_upload_refuse(u, 413, "压缩包解压后共超过 %zu MB 的上限，未检查", u->s->max_request_bytes >> 20);
            rc = -1;
            break;
        }
        if (fwrite(chunk, 1, (size_t)k, f) != (size_t)k) {
            fz_upload_refuse(u, 500, "无法保存解压的文件（磁盘空间不足？）");
            rc = -1;
            break;
        }
    }
    if (rc == 0 && k < 0) {
        fz_upload_refuse(u, 400, "无法解压压缩包“%s”中的“%s”（已损坏）", zipname, name);
        rc = -1;
    }
    zip_fclose(zf);
    if (fclose(f) != 0 && rc == 0) {
        fz_upload_refuse(u, 500, "无法保存解压的文件（磁盘空间不足？）");
        rc = -1;
    }
    return rc;
}

/* Expands the archive saved as rel; its reports are added to the list
 * (under prev/ when it is). */
static int expand(fz_upload *u, const char *rel) {
    char *path = fz_strdup_printf("%s/%s", u->in, rel);
    int prev = in_prev(rel);
    const char *under = strchr(prev ? rel + sizeof FZ_PREV_DIR : rel, '_');
    char *zipname = fz_display(under ? under + 1 : rel, 0); /* without NNN_ */
    int rc = -1, zerr = 0;
    size_t found = 0;
    zip_t *z = NULL;
    if (!path || !zipname) {
        fz_upload_refuse(u, 500, FZ_ENOMEM);
        goto done;
    }
    if (!(z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr))) {
        fz_upload_refuse(u, 400, "“%s”不是有效的 .zip 压缩包，未检查", zipname);
        goto done;
    }
    zip_int64_t count = zip_get_num_entries(z, 0);
    size_t most = u->s->o.max_files * 4 + 64;
    if (count < 0 || (zip_uint64_t)count > most) {
        fz_upload_refuse(u, 413, "压缩包“%s”中的条目过多（超过 %zu 个），未检查", zipname, most);
        goto done;
    }
    for (zip_uint64_t i = 0; i < (zip_uint64_t)count; i++) {
        const char *raw = zip_get_name(z, i, ZIP_FL_ENC_RAW);
        char *name = raw ? entry_name(raw) : NULL;
        char *shown = name ? fz_display(name, 0) : NULL;
        if (!shown) {
            free(name);
            fz_upload_refuse(u, raw ? 500 : 400, raw ? FZ_ENOMEM : "压缩包“%s”已损坏，未检查", zipname);
            goto done;
        }
        int bad = 0;
        zip_stat_t st;
        if (escapes(name)) {
            fz_upload_refuse(u, 400, "压缩包“%s”中的条目“%s”含有绝对路径或上级目录（..），已拒绝整个压缩包", zipname, shown);
            bad = 1;
        } else if (name[strlen(name) - 1] == '/' || ignorable(name) ||
                   (!is_report(name) && !is_zip(name))) {
            /* folders, hidden files and other files are passed over */
        } else if (is_zip(name)) {
            fz_upload_refuse(u, 400, "压缩包“%s”中又有压缩包“%s”：只支持一层压缩包，请解压后再上传", zipname, shown);
            bad = 1;
        } else if (zip_stat_index(z, i, 0, &st) != 0) {
            fz_upload_refuse(u, 400, "压缩包“%s”已损坏，未检查", zipname);
            bad = 1;
        } else {
            zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
            if ((st.valid & ZIP_STAT_SIZE) && st.size > u->s->max_file_bytes) {
                double ratio = comp ? (double)st.size / (double)comp : 0;
                if (ratio > 100)
                    fz_upload_refuse(u, 413, "压缩包“%s”中的“%s”解压后有 %.0f MB（压缩比 %.0f:1），疑似“压缩炸弹”，已拒绝整个压缩包",
                                     zipname, shown, (double)st.size / 1048576.0, ratio);
                else
                    fz_upload_refuse(u, 413, "压缩包“%s”中的“%s”解压后超过 %zu MB 的大小上限，未检查", zipname, shown,
                                     u->s->max_file_bytes >> 20);
                bad = 1;
            } else {
                bad = extract(u, z, i, zipname, name, comp, prev) < 0;
                found += !bad;
            }
        }
        free(name);
        free(shown);
        if (bad) goto done;
    }
    if (!found) {
        fz_upload_refuse(u, 400, "压缩包“%s”中没有报告文件（.docx、.docm、.pdf、.ofd、.txt、.md）", zipname);
        goto done;
    }
    rc = 0;
done:
    if (z) zip_discard(z);
    if (path) unlink(path);
    free(path);
    free(zipname);
    return rc;
}

/* Drops last year's reports from the list (the check finds them in
 * in/prev), counting them. */
static void set_previous_apart(fz_upload *u) {
    size_t k = 0;
    for (size_t i = 0; i < u->n; i++) {
        if (in_prev(u->files[i])) {
            free(u->files[i]);
            u->nprev++;
        } else {
            u->files[k++] = u->files[i];
        }
    }
    u->n = k;
}

int fz_upload_finish(fz_upload *u) {
    close_current(u);
    if (u->status) return u->status;
    /* the archives are replaced by their reports, in place */
    size_t n = u->n;
    char **was = u->files;
    u->files = NULL;
    u->n = u->cap = 0;
    for (size_t i = 0; i < n; i++) {
        if (u->status) {
            free(was[i]);
            continue;
        }
        if (is_zip(was[i])) {
            expand(u, was[i]);
            free(was[i]);
        } else if (fz_grow(&u->files, &u->cap, u->n + 1, sizeof *u->files) < 0) {
            fz_upload_refuse(u, 500, FZ_ENOMEM);
            free(was[i]);
        } else {
            u->files[u->n++] = was[i];
        }
    }
    free(was);
    set_previous_apart(u);
    if (!u->status && !u->n)
        fz_upload_refuse(u, 400, u->nprev ? "只收到上一年度报告：请同时选择本年度要检查的报告后再点“检查”"
                                          : "没有收到报告文件：请选择要检查的文件后再点“检查”");
    return u->status;
}
