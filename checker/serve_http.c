/*
 * serve_http.c - the HTTP side of `fzcheck serve` (serve.h): routes,
 * the token, limits, security headers and the log.
 *
 *   GET  /            the upload page
 *   POST /check       an upload (field files; previous: last year's
 *                     reports); answered 303 to /r/<id>/, the result
 *   POST /api/check   the same upload; answered with the `check --json`
 *                     document
 *   GET  /r/<id>/…    a result's pages (html/), copies/<name>,
 *                     scorecard.xlsx, results.json
 *   GET  /healthz     "ok", the pack's name and version (no token needed)
 *   GET  /rules       the pack as a table
 *
 * libmicrohttpd runs a thread per connection, so a handler may wait for
 * its check. Requests taken for a check are admitted only while fewer
 * than workers + queue are (503 with Retry-After otherwise), decided on
 * the headers, before any of the body is read. A request larger than the
 * limit is refused (413) on its Content-Length, and one sent chunked is
 * cut off once past it. Every connection is watched: one that has not
 * sent its headers within --header-timeout, or its body within the body
 * timeout, is shut down (libmicrohttpd's timeout is per idle period,
 * which a client dripping a byte a second never reaches).
 *
 * One line per request goes to stderr: time, client, method, route (a
 * result's id and file names left out), status, bytes received, reports,
 * duration. Nothing of a report's text.
 */
#define _DEFAULT_SOURCE /* realpath, NI_MAXHOST */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "output.h"
#include "serve.h"

static const char csp[] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'";

/* One request being answered. */
typedef struct {
    fz_server *s;
    double start;
    char addr[NI_MAXHOST];
    const char *method, *route; /* static strings, for the log */
    int status;
    int api;                    /* /api/check */
    int admitted;               /* counted in s->admitted */
    size_t bytes_in, nfiles;
    char id[33];
    char *dir;                  /* the request's directory, until kept or removed */
    fz_upload *up;
    struct MHD_PostProcessor *pp;
    int pp_failed;
} req;

/* ---- connections ---------------------------------------------------------- */

static fz_conn *conn_of(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void set_phase(fz_server *s, struct MHD_Connection *c, int phase, double seconds) {
    fz_conn *k = conn_of(c);
    if (!k) return;
    pthread_mutex_lock(&s->mu);
    k->phase = phase;
    k->deadline = fz_serve_now() + seconds;
    pthread_mutex_unlock(&s->mu);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
    fz_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        fz_conn *k = calloc(1, sizeof *k);
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!k || !ci) {
            free(k);
            *socket_context = NULL;
            return;
        }
        k->fd = ci->connect_fd;
        k->phase = FZ_PHASE_HEADERS;
        k->deadline = fz_serve_now() + s->o.header_timeout;
        pthread_mutex_lock(&s->mu);
        k->next = s->conns;
        if (s->conns) s->conns->prev = k;
        s->conns = k;
        pthread_mutex_unlock(&s->mu);
        *socket_context = k;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        fz_conn *k = *socket_context;
        if (!k) return;
        pthread_mutex_lock(&s->mu);
        if (k->prev) k->prev->next = k->next;
        else s->conns = k->next;
        if (k->next) k->next->prev = k->prev;
        pthread_mutex_unlock(&s->mu);
        free(k);
        *socket_context = NULL;
    }
}

void fz_http_watch(fz_server *s) {
    double now = fz_serve_now();
    size_t cut = 0;
    pthread_mutex_lock(&s->mu);
    for (fz_conn *k = s->conns; k; k = k->next)
        if (k->phase != FZ_PHASE_WORK && k->deadline < now) {
            /* its thread sees the end of the stream and closes it */
            shutdown(k->fd, SHUT_RDWR);
            k->phase = FZ_PHASE_WORK;
            cut++;
        }
    pthread_mutex_unlock(&s->mu);
    if (cut) fprintf(stderr, "fzcheck serve: %zu 个连接发送过慢或空闲过久，已断开\n", cut);
    fz_results_expire(s, 0);
}

/* ---- responses ------------------------------------------------------------ */

static enum MHD_Result send_response(req *r, struct MHD_Connection *c, int status, struct MHD_Response *resp,
                                     const char *type) {
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    r->status = status;
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* Answers body (malloc'd, taken; NULL: out of memory). */
static enum MHD_Result answer(req *r, struct MHD_Connection *c, int status, char *body, size_t len,
                              const char *type) {
    if (!body) {
        static const char oom[] = "内存不足";
        return send_response(r, c, 500,
                             MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT),
                             "text/plain; charset=utf-8");
    }
    return send_response(r, c, status, MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE), type);
}

static const char *title_of(int status) {
    switch (status) {
    case 400: return "无法检查";
    case 401: return "需要登录";
    case 404: return "找不到页面";
    case 405: return "不支持的请求方式";
    case 413: return "文件过大";
    case 415: return "不支持的文件类型";
    case 503: return "服务器正忙";
    default: return "检查出错";
    }
}

/* s as a JSON string. */
static int json_str(fz_buf *b, const char *s) {
    if (fz_buf_append(b, "\"", 1) < 0) return -1;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        int bad = ch == '"' || ch == '\\' ? fz_buf_printf(b, "\\%c", ch) < 0
                  : ch < 0x20          ? fz_buf_printf(b, "\\u%04x", ch) < 0
                                       : fz_buf_append(b, s, 1) < 0;
        if (bad) return -1;
    }
    return fz_buf_append(b, "\"", 1);
}

/* An error: a Chinese page, or {"error": …} for the API; 503 with
 * Retry-After. */
static enum MHD_Result answer_error(req *r, struct MHD_Connection *c, int status, const char *msg) {
    char *body;
    size_t len = 0;
    const char *type;
    if (r->api) {
        fz_buf b = {0};
        if (fz_buf_printf(&b, "{\"status\": %d, \"error\": ", status) < 0 || json_str(&b, msg) < 0 ||
            fz_buf_puts(&b, "}\n") < 0) {
            fz_buf_free(&b);
            body = NULL;
        } else {
            len = b.len;
            body = fz_buf_steal(&b);
        }
        type = "application/json; charset=utf-8";
    } else {
        body = fz_page_error(title_of(status), msg);
        len = body ? strlen(body) : 0;
        type = "text/html; charset=utf-8";
    }
    struct MHD_Response *resp =
        body ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE) : NULL;
    if (!resp) {
        free(body);
        return answer(r, c, 500, NULL, 0, NULL);
    }
    if (status == 503) MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "5");
    if (status == 401) MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                               "Basic realm=\"fzcheck\", charset=\"UTF-8\"");
    return send_response(r, c, status, resp, type);
}

/* ---- the token ------------------------------------------------------------ */

/* a equals b, in time that depends only on b's length. */
static int same_secret(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    unsigned d = la != lb;
    for (size_t i = 0; i < lb; i++) d |= (unsigned)((unsigned char)(i < la ? a[i] : 0) ^ (unsigned char)b[i]);
    return d == 0;
}

static int authorized(const fz_server *s, struct MHD_Connection *c) {
    if (!s->o.token) return 1;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h) return 0;
    if (!strncasecmp(h, "Bearer ", 7)) return same_secret(h + 7, s->o.token);
    char *pass = NULL;
    char *user = MHD_basic_auth_get_username_password(c, &pass);
    int ok = pass && same_secret(pass, s->o.token);
    if (user) MHD_free(user);
    if (pass) MHD_free(pass);
    return ok;
}

/* ---- results -------------------------------------------------------------- */

static int is_hex_id(const char *p) {
    for (int i = 0; i < 32; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f'))) return 0;
    return 1;
}

/* A file name fit to open in a result folder: no slash, not hidden. */
static int plain_name(const char *n) {
    return *n && *n != '.' && !strchr(n, '/') && !strchr(n, '\\');
}

static const char *type_of(const char *name) {
    const char *dot = strrchr(name, '.');
    if (!dot) return "application/octet-stream";
    if (!strcasecmp(dot, ".html")) return "text/html; charset=utf-8";
    if (!strcasecmp(dot, ".json")) return "application/json; charset=utf-8";
    if (!strcasecmp(dot, ".xlsx")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (!strcasecmp(dot, ".docm")) return "application/vnd.ms-word.document.macroEnabled.12";
    if (!strcasecmp(dot, ".docx")) return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    return "application/octet-stream";
}

/* The annotated copy of the page named page ("NNN_name.ext.html"):
 * "NNN_name.批注.docx" (.docm for a .docm), or NULL. */
static char *copy_of(const char *page) {
    size_t n = strlen(page);
    if (n < 6 || strcmp(page + n - 5, ".html")) return NULL;
    char *file = fz_strndup(page, n - 5);
    if (!file) return NULL;
    char *dot = strrchr(file, '.');
    int docm = dot && !strcasecmp(dot, ".docm");
    if (dot && dot != file) *dot = '\0';
    char *copy = fz_strdup_printf("%s.批注.%s", file, docm ? "docm" : "docx");
    free(file);
    return copy;
}

/* The comparison with last year for the result page `page` (index.html:
 * the ranking; else NNN_name.ext.html, report NNN_name.ext). NULL when
 * memory runs out. */
static char *note_for(const fz_prev_lines *p, const char *page) {
    if (!strcmp(page, "index.html")) return fz_page_previous(p, NULL);
    size_t n = strlen(page);
    char *file = n > 5 ? fz_strndup(page, n - 5) : fz_strdup("");
    char *note = file ? fz_page_previous(p, file) : NULL;
    free(file);
    return note;
}

static enum MHD_Result serve_result(req *r, struct MHD_Connection *c, const char *url) {
    fz_server *s = r->s;
    const char *p = url + 3; /* after /r/ */
    r->route = "/r/…";
    if (strlen(p) < 32 || !is_hex_id(p) || (p[32] && p[32] != '/'))
        return answer_error(r, c, 404, "没有这个检查结果。");
    if (!p[32]) {
        /* /r/<id> → /r/<id>/, so that the pages' relative links work */
        char *to = fz_strdup_printf("/r/%.32s/", p);
        struct MHD_Response *resp = to ? MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT) : NULL;
        if (resp) MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, to);
        free(to);
        return send_response(r, c, 301, resp, "text/plain; charset=utf-8");
    }
    const char *rest = p + 33;
    const char *sub = NULL, *name = rest;
    if (!strncmp(rest, "copies/", 7)) {
        sub = "copies";
        name = rest + 7;
    } else if (strcmp(rest, "scorecard.xlsx") && strcmp(rest, "results.json") && *rest) {
        sub = "html";
    }
    if (*rest && !plain_name(name)) return answer_error(r, c, 404, "没有这个文件。");
    int fd = -1, several = 0, scorecard = 0;
    char *copy = NULL, *path = NULL, *note = NULL;
    pthread_mutex_lock(&s->mu);
    fz_kept *res = s->results;
    while (res && memcmp(res->id, p, 32)) res = res->next;
    if (res) {
        if (!*rest) {
            sub = "html";
            name = res->single ? res->single : "index.html";
        }
        path = sub ? fz_strdup_printf("%s/%s/%s", res->dir, sub, name) : fz_strdup_printf("%s/%s", res->dir, name);
        if (path) fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        several = !res->single;
        char *sc = fz_strdup_printf("%s/scorecard.xlsx", res->dir);
        scorecard = sc && access(sc, F_OK) == 0;
        free(sc);
        if (fd >= 0 && sub && !strcmp(sub, "html") && (copy = copy_of(name))) {
            char *cp = fz_strdup_printf("%s/copies/%s", res->dir, copy);
            if (!cp || access(cp, F_OK) != 0) {
                free(copy);
                copy = NULL;
            }
            free(cp);
        }
        if (fd >= 0 && sub && !strcmp(sub, "html")) note = note_for(&res->prev, name);
    }
    pthread_mutex_unlock(&s->mu);
    free(path);
    if (!res) {
        free(copy);
        char msg[160];
        snprintf(msg, sizeof msg, "这个检查结果不存在或已经删除（结果只保留 %g 秒）。请重新上传报告检查。", s->o.keep);
        return answer_error(r, c, 404, msg);
    }
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) close(fd);
        free(copy);
        free(note);
        return answer_error(r, c, 404, "没有这个文件。");
    }
    if (sub && !strcmp(sub, "html")) {
        /* a page: read whole, the download links added */
        char *html = malloc((size_t)st.st_size + 1);
        size_t got = 0;
        ssize_t k = 0;
        while (html && got < (size_t)st.st_size && (k = read(fd, html + got, (size_t)st.st_size - got)) > 0)
            got += (size_t)k;
        close(fd);
        size_t len = 0;
        fz_links l = {copy, scorecard, several, s->o.keep, note};
        char *out = html && note ? fz_page_with_links(html, got, &l, &len) : NULL;
        free(html);
        free(copy);
        free(note);
        return answer(r, c, 200, out, len, "text/html; charset=utf-8");
    }
    free(copy);
    free(note);
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        return MHD_NO;
    }
    fz_buf cd = {0};
    if (fz_buf_puts(&cd, "attachment; filename*=UTF-8''") == 0 && fz_url_escape(&cd, name) == 0)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, cd.ptr);
    fz_buf_free(&cd);
    return send_response(r, c, 200, resp, type_of(name));
}

/* ---- uploads -------------------------------------------------------------- */

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                               const char *content_type, const char *transfer_encoding, const char *data,
                               uint64_t off, size_t size) {
    req *r = cls;
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    fz_upload_part(r->up, key, filename, data, off, size);
    return MHD_YES;
}

static enum MHD_Result start_upload(req *r, struct MHD_Connection *c) {
    fz_server *s = r->s;
    const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (len) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(len, &end, 10);
        if (errno || *end || n > s->max_request_bytes) {
            char msg[200];
            snprintf(msg, sizeof msg, "上传的内容超过 %zu MB 的上限，未检查。请分批上传。", s->max_request_bytes >> 20);
            return answer_error(r, c, 413, msg);
        }
    }
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!type || strncasecmp(type, "multipart/form-data", 19))
        return answer_error(r, c, 400, "请用表单上传文件（multipart/form-data，文件字段名 files）。");
    pthread_mutex_lock(&s->mu);
    int busy = s->admitted >= s->o.workers + s->o.queue, stopping = s->stopping;
    if (!busy && !stopping) {
        s->admitted++;
        r->admitted = 1;
    }
    pthread_mutex_unlock(&s->mu);
    if (stopping) return answer_error(r, c, 503, "服务正在停止，请稍后再试。");
    if (busy) return answer_error(r, c, 503, "服务器正忙：正在检查的报告已达上限，请稍后再试。");
    char *err = NULL;
    if (!(r->dir = fz_job_dir(s, r->id, &err))) {
        enum MHD_Result ok = answer_error(r, c, 500, err ? err : FZ_ENOMEM);
        free(err);
        return ok;
    }
    if (!(r->up = fz_upload_new(s, r->dir))) return answer_error(r, c, 500, "无法创建临时目录");
    if (!(r->pp = MHD_create_post_processor(c, 64 * 1024, on_part, r)))
        return answer_error(r, c, 400, "上传的数据格式不正确（缺少 multipart 分隔符）。");
    return MHD_YES;
}

/* The whole upload is in: check it and answer. */
static enum MHD_Result finish_upload(req *r, struct MHD_Connection *c) {
    fz_server *s = r->s;
    int ok_pp = MHD_destroy_post_processor(r->pp) == MHD_YES && !r->pp_failed;
    r->pp = NULL;
    if (!ok_pp) fz_upload_refuse(r->up, 400, "上传的数据格式不正确（multipart/form-data 不完整或已损坏），未检查。");
    int st = fz_upload_finish(r->up);
    if (st) return answer_error(r, c, st, fz_upload_error(r->up));
    size_t n, nprev = fz_upload_previous(r->up);
    char *const *files = fz_upload_files(r->up, &n);
    r->nfiles = n + nprev;
    set_phase(s, c, FZ_PHASE_WORK, 0);
    char *err = NULL;
    fz_prev_lines prev = {0};
    st = fz_job_run(s, r->dir, files, n, nprev > 0, !r->api, &err);
    if (!st && !r->api && nprev && fz_prev_lines_read(r->dir, &prev, &err) < 0) st = 500;
    if (st) {
        enum MHD_Result ok = answer_error(r, c, st, err ? err : FZ_ENOMEM);
        free(err);
        return ok;
    }
    if (r->api) {
        char *path = fz_strdup_printf("%s/results.json", r->dir);
        FILE *f = path ? fopen(path, "rb") : NULL;
        free(path);
        fz_buf b = {0};
        char chunk[1 << 14];
        size_t k;
        int bad = !f;
        while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0)
            if (fz_buf_append(&b, chunk, k) < 0) bad = 1;
        if (f && (ferror(f) || fclose(f) != 0)) bad = 1;
        if (bad || fz_buf_append(&b, "", 0) < 0) {
            fz_buf_free(&b);
            return answer_error(r, c, 500, "无法读取检查结果");
        }
        size_t len = b.len;
        return answer(r, c, 200, fz_buf_steal(&b), len, "application/json; charset=utf-8");
    }
    /* the reports themselves are not needed for the links: gone at once */
    char *in = fz_strdup_printf("%s/in", r->dir), *log = fz_strdup_printf("%s/stderr.txt", r->dir);
    if (in) fz_rm_tree(in);
    if (log) unlink(log);
    free(in);
    free(log);
    char *single = n == 1 ? fz_strdup_printf("%s.html", files[0]) : NULL;
    char *to = fz_strdup_printf("/r/%s/", r->id);
    if ((n == 1 && !single) || !to) {
        fz_prev_lines_free(&prev);
        free(single);
        free(to);
        return answer_error(r, c, 500, FZ_ENOMEM); /* r->dir removed when completed */
    }
    if (fz_result_keep(s, r->id, r->dir, single, &prev) < 0) {
        r->dir = NULL; /* removed by fz_result_keep */
        free(single);
        free(to);
        return answer_error(r, c, 500, FZ_ENOMEM);
    }
    r->dir = NULL; /* the result's now */
    free(single);
    fz_buf b = {0};
    int bad = fz_buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>检查完成</title>"
                                "<p>检查完成：<a href=\"%s\">查看结果</a></p></html>\n", to) < 0;
    struct MHD_Response *resp = bad ? NULL : MHD_create_response_from_buffer(b.len, b.ptr, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        fz_buf_free(&b);
        free(to);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, to);
    free(to);
    return send_response(r, c, 303, resp, "text/html; charset=utf-8");
}

/* ---- the handler ---------------------------------------------------------- */

static enum MHD_Result route(req *r, struct MHD_Connection *c, const char *url, const char *method) {
    fz_server *s = r->s;
    int get = !strcmp(method, "GET") || !strcmp(method, "HEAD"), post = !strcmp(method, "POST");
    r->method = get ? (method[0] == 'H' ? "HEAD" : "GET") : post ? "POST" : "其他";
    if (!strcmp(url, "/healthz")) {
        r->route = "/healthz";
        char *body = fz_strdup_printf("ok\n%s %s\n", s->pack.name ? s->pack.name : "",
                                      s->pack.version ? s->pack.version : "");
        return answer(r, c, 200, body, body ? strlen(body) : 0, "text/plain; charset=utf-8");
    }
    if (!authorized(s, c)) {
        r->route = "（未登录）";
        return answer_error(r, c, 401, "请输入访问口令（用户名任意，密码为口令）后再使用本服务。");
    }
    int stopping;
    pthread_mutex_lock(&s->mu);
    stopping = s->stopping;
    pthread_mutex_unlock(&s->mu);
    if (!strcmp(url, "/check") || !strcmp(url, "/api/check")) {
        r->route = url[1] == 'a' ? "/api/check" : "/check";
        r->api = url[1] == 'a';
        if (!post) return answer_error(r, c, 405, "请在上传页选择文件后提交。");
        return start_upload(r, c);
    }
    if (stopping) return answer_error(r, c, 503, "服务正在停止，请稍后再试。");
    if (!get) {
        r->route = "其他";
        return answer_error(r, c, 405, "不支持这种请求方式。");
    }
    if (!strcmp(url, "/") || !strcmp(url, "/index.html")) {
        r->route = "/";
        char *page = fz_strndup(s->upload_page, s->upload_len);
        return answer(r, c, 200, page, s->upload_len, "text/html; charset=utf-8");
    }
    if (!strcmp(url, "/rules")) {
        r->route = "/rules";
        char *page = fz_strndup(s->rules_page, s->rules_len);
        return answer(r, c, 200, page, s->rules_len, "text/html; charset=utf-8");
    }
    if (!strncmp(url, "/r/", 3)) return serve_result(r, c, url);
    r->route = "其他";
    return answer_error(r, c, 404, "没有这个页面。");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *data, size_t *size, void **con_cls) {
    fz_server *s = cls;
    req *r = *con_cls;
    (void)version;
    if (!r) {
        if (!(r = calloc(1, sizeof *r))) return MHD_NO;
        *con_cls = r;
        r->s = s;
        r->start = fz_serve_now();
        r->method = "其他";
        r->route = "其他";
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (!ci || getnameinfo(ci->client_addr,
                               ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                                      : sizeof(struct sockaddr_in),
                               r->addr, sizeof r->addr, NULL, 0, NI_NUMERICHOST) != 0)
            strcpy(r->addr, "?");
        pthread_mutex_lock(&s->mu);
        s->in_flight++;
        pthread_mutex_unlock(&s->mu);
        set_phase(s, c, FZ_PHASE_BODY, s->o.body_timeout);
        return route(r, c, url, method);
    }
    if (r->up && r->pp) {
        if (*size) {
            r->bytes_in += *size;
            if (r->bytes_in > s->max_request_bytes) return MHD_NO; /* chunked, past the limit */
            if (!fz_upload_status(r->up) && !r->pp_failed && MHD_post_process(r->pp, data, *size) != MHD_YES)
                r->pp_failed = 1;
            *size = 0;
            return MHD_YES;
        }
        return finish_upload(r, c);
    }
    *size = 0; /* a body nobody asked for */
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
    fz_server *s = cls;
    req *r = *con_cls;
    if (!r) return;
    *con_cls = NULL;
    if (r->pp) MHD_destroy_post_processor(r->pp);
    fz_upload_free(r->up);
    if (r->dir) {
        fz_rm_tree(r->dir);
        free(r->dir);
    }
    char when[32];
    fprintf(stderr, "%s %s %s %s %d %zu字节 %zu个文件 %.3f秒%s\n", fz_iso_time(time(NULL), when, sizeof when),
            r->addr, r->method, r->route, r->status, r->bytes_in, r->nfiles, fz_serve_now() - r->start,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : "（连接中断）");
    pthread_mutex_lock(&s->mu);
    if (r->admitted) s->admitted--;
    s->in_flight--;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    free(r);
    set_phase(s, c, FZ_PHASE_HEADERS, s->o.header_timeout);
}

static void on_log(void *cls, const char *fmt, va_list ap) {
    (void)cls;
    fputs("fzcheck serve: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

struct MHD_Daemon *fz_http_start(fz_server *s, int listen_fd, char **err) {
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, listen_fd,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->o.conn_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)s->o.per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        MHD_OPTION_THREAD_STACK_SIZE, (size_t)(FZ_ASAN ? 4 : 1) * 1024 * 1024,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_END);
    if (!d) fz_fail(err, "无法启动 HTTP 服务（libmicrohttpd）");
    return d;
}
