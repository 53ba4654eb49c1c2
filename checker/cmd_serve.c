/*
 * cmd_serve.c - `fzcheck serve`: the intranet self-check service
 * (serve.h). Parses its options, loads the pack (and checks the roster
 * once), makes the private temporary root, listens, and runs until
 * SIGTERM, SIGINT or SIGHUP: then it stops accepting, lets the requests
 * in flight finish (a second signal cuts that short), removes every
 * temporary directory and returns 0.
 *
 * The main thread holds the signals (blocked in every thread, taken with
 * sigtimedwait) and, between them, runs the watchdog every 200 ms.
 */
#define _DEFAULT_SOURCE /* realpath, NI_MAXHOST */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "atomic.h"
#include "cli.h"
#include "pack_chain.h"
#include "read.h"
#include "roster.h"
#include "serve.h"

/* ---- options -------------------------------------------------------------- */

static int number(const char *opt, const char *v, double min, double max, int integer, double *out) {
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (!*v || *end || errno || !(d >= min) || d > max || (integer && d != (double)(long long)d)) {
        fprintf(stderr, "fzcheck: 选项 %s 的值应为 %g 到 %g 之间的%s", opt, min, max, integer ? "整数" : "数");
        return fz_cli_usage("（实际为“%s”）", v);
    }
    *out = d;
    return 0;
}

static int parse(int argc, char **argv, fz_serve_opts *o) {
    memset(o, 0, sizeof *o);
    o->listen = "127.0.0.1:8080";
    o->queue = 0; /* set from workers below */
    o->keep = 600;
    o->timeout = 60;
    o->memory_mb = 2048;
    o->request_timeout = 600;
    o->header_timeout = 10;
    o->body_timeout = 600;
    o->max_files = 200;
    o->max_request_mb = 200;
    o->conn_limit = 512;
    o->per_ip = 64;
    const char *env_token = getenv("FZCHECK_TOKEN");
    if (env_token && *env_token) o->token = env_token;
    int queue_set = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        static const char *const names[] = {"--listen", "--rules", "--units", "--token", "--workers", "--queue",
                                            "--keep", "--timeout", "--memory", "--request-timeout",
                                            "--header-timeout", "--max-files", "--max-request-mb",
                                            "--connections", "--per-ip", NULL};
        size_t k;
        for (k = 0; names[k]; k++) {
            size_t n = strlen(names[k]);
            if (!strncmp(a, names[k], n) && (a[n] == '\0' || a[n] == '=')) {
                v = a[n] == '=' ? a + n + 1 : NULL;
                break;
            }
        }
        if (!names[k]) return fz_cli_usage("serve 不认识选项“%s”", a);
        if (!v) {
            if (i + 1 >= argc) return fz_cli_usage("选项 %s 需要一个参数", a);
            v = argv[++i];
        }
        const char *name = names[k];
        double d = 0;
        int rc = 0;
        if (!strcmp(name, "--listen")) o->listen = v;
        else if (!strcmp(name, "--rules")) o->rules = v;
        else if (!strcmp(name, "--units")) o->units = v;
        else if (!strcmp(name, "--token")) o->token = v;
        else if (!strcmp(name, "--workers")) { if (!(rc = number(name, v, 1, 256, 1, &d))) o->workers = (size_t)d; }
        else if (!strcmp(name, "--queue")) { if (!(rc = number(name, v, 0, 10000, 1, &d))) { o->queue = (size_t)d; queue_set = 1; } }
        else if (!strcmp(name, "--keep")) { if (!(rc = number(name, v, 1, 86400, 0, &d))) o->keep = d; }
        else if (!strcmp(name, "--timeout")) { if (!(rc = number(name, v, 0, 86400, 0, &d))) o->timeout = d; }
        else if (!strcmp(name, "--memory")) { if (!(rc = number(name, v, 0, 1024 * 1024, 1, &d))) o->memory_mb = (size_t)d; }
        else if (!strcmp(name, "--request-timeout")) { if (!(rc = number(name, v, 0, 86400, 0, &d))) o->request_timeout = d; }
        else if (!strcmp(name, "--header-timeout")) { if (!(rc = number(name, v, 0.1, 3600, 0, &d))) o->header_timeout = d; }
        else if (!strcmp(name, "--max-files")) { if (!(rc = number(name, v, 1, 100000, 1, &d))) o->max_files = (size_t)d; }
        else if (!strcmp(name, "--max-request-mb")) { if (!(rc = number(name, v, 1, 1024 * 1024, 1, &d))) o->max_request_mb = (size_t)d; }
        else if (!strcmp(name, "--connections")) { if (!(rc = number(name, v, 1, 100000, 1, &d))) o->conn_limit = (size_t)d; }
        else if (!strcmp(name, "--per-ip")) { if (!(rc = number(name, v, 1, 100000, 1, &d))) o->per_ip = (size_t)d; }
        if (rc) return rc;
    }
    if (o->memory_mb > 0 && o->memory_mb < 64) return fz_cli_usage("选项 --memory 的值至少为 64（MB）%s", "");
    if (o->token && !*o->token) return fz_cli_usage("%s访问口令不能为空", "");
    if (!o->workers) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o->workers = n > 0 ? (size_t)n : 1;
    }
    if (!queue_set) o->queue = o->workers * 2;
    return 0;
}

/* ---- the listening socket ------------------------------------------------- */

/* Binds ADDR:PORT ([v6]:PORT; a bare PORT is on 127.0.0.1). Returns the
 * socket, or -1 having said why. */
static int listen_on(const char *spec, char **shown) {
    const char *colon = strrchr(spec, ':');
    char *host = colon ? fz_strndup(spec, (size_t)(colon - spec)) : fz_strdup("127.0.0.1");
    const char *port = colon ? colon + 1 : spec;
    if (!host) return -1;
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = '\0';
    }
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    int fd = -1;
    if (!*port || getaddrinfo(*host ? host : NULL, port, &hints, &ai) != 0) {
        free(host);
        return fz_cli_usage("--listen 的值应为 地址:端口（如 127.0.0.1:8080、0.0.0.0:8080、[::1]:8080），实际为“%s”",
                            spec) ? -1 : -1;
    }
    fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
        fprintf(stderr, "fzcheck: 无法监听 %s：%s\n", spec,
                errno == EADDRINUSE ? "端口已被占用" : errno == EACCES ? "没有权限（1024 以下的端口需要特权）" : strerror(errno));
        if (fd >= 0) close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    if (fd >= 0) {
        struct sockaddr_storage sa;
        socklen_t len = sizeof sa;
        char h[NI_MAXHOST], p[NI_MAXSERV];
        if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 &&
            getnameinfo((struct sockaddr *)&sa, len, h, sizeof h, p, sizeof p, NI_NUMERICHOST | NI_NUMERICSERV) == 0)
            *shown = fz_strdup_printf(sa.ss_family == AF_INET6 ? "http://[%s]:%s/" : "http://%s:%s/", h, p);
    }
    free(host);
    return fd;
}

/* ---- the server ----------------------------------------------------------- */

static char *absolute(const char *path) {
    char *r = realpath(path, NULL);
    return r ? r : fz_strdup(path);
}

static int setup(fz_server *s, char **err) {
    fz_cli_opts co;
    memset(&co, 0, sizeof co);
    co.rules = s->o.rules;
    co.units = s->o.units;
    fz_roster roster;
    int rc = fz_cli_load_pack_and_roster(&co, &s->pack, &roster);
    if (rc) return rc;
    fz_roster_free(&roster);
    char *def = s->o.rules ? NULL : fz_chain_default_path();
    s->rules_abs = absolute(s->o.rules ? s->o.rules : def ? def : "rules");
    free(def);
    s->units_abs = s->o.units ? absolute(s->o.units) : NULL;
    s->exe = fz_strdup("/proc/self/exe");
    s->max_file_bytes = fz_read_max_bytes();
    s->max_request_bytes = s->o.max_request_mb << 20;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    s->jobs = cores > 0 && (size_t)cores > s->o.workers ? (size_t)cores / s->o.workers : 1;
    const char *tmp = getenv("TMPDIR");
    s->root = fz_strdup_printf("%s/fzcheck-serve-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!s->rules_abs || (s->o.units && !s->units_abs) || !s->exe || !s->root) return fz_fail(err, FZ_ENOMEM), 2;
    if (!mkdtemp(s->root)) {
        fz_fail(err, "无法创建临时目录 %s：%s", s->root, fz_errno_message(errno));
        free(s->root);
        s->root = NULL;
        return 2;
    }
    if (!(s->upload_page = fz_page_upload(s)) || !(s->rules_page = fz_page_rules(s)))
        return fz_fail(err, FZ_ENOMEM), 2;
    s->upload_len = strlen(s->upload_page);
    s->rules_len = strlen(s->rules_page);
    return 0;
}

static void teardown(fz_server *s) {
    fz_results_expire(s, 1);
    if (s->root) fz_rm_tree(s->root);
    free(s->root);
    free(s->rules_abs);
    free(s->units_abs);
    free(s->exe);
    free(s->upload_page);
    free(s->rules_page);
    fz_pack_free(&s->pack);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
}

/* Waits up to ms for a stop signal. Returns it, or 0. */
static int wait_signal(const sigset_t *set, long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    int sig = sigtimedwait(set, NULL, &t);
    return sig > 0 ? sig : 0;
}

int fz_cmd_serve(int argc, char **argv) {
    fz_server s;
    memset(&s, 0, sizeof s);
    int rc = parse(argc, argv, &s.o);
    if (rc) return rc;
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv, NULL);
    char *err = NULL, *url = NULL;
    if ((rc = setup(&s, &err))) {
        if (err) fz_cli_say(err);
        free(err);
        teardown(&s);
        return rc;
    }
    /* every thread started from here on inherits the blocked signals */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    int fd = listen_on(s.o.listen, &url);
    struct MHD_Daemon *d = fd >= 0 ? fz_http_start(&s, fd, &err) : NULL;
    if (!d) {
        if (err) fz_cli_say(err);
        free(err);
        free(url);
        if (fd >= 0) close(fd);
        teardown(&s);
        return 2;
    }
    fprintf(stderr, "fzcheck serve: 正在监听 %s（规则包：%s %s；同时检查 %zu 个请求，排队 %zu 个；结果保留 %g 秒%s）\n",
            url ? url : s.o.listen, s.pack.name ? s.pack.name : "", s.pack.version ? s.pack.version : "",
            s.o.workers, s.o.queue, s.o.keep, s.o.token ? "；需要访问口令" : "");
    free(url);
    int sig;
    while (!(sig = wait_signal(&set, 200))) fz_http_watch(&s);
    pthread_mutex_lock(&s.mu);
    s.stopping = 1;
    size_t busy = s.in_flight;
    pthread_mutex_unlock(&s.mu);
    fprintf(stderr, "fzcheck serve: 收到信号 %d，正在停止：不再接受新连接，等待 %zu 个请求完成\n", sig, busy);
    MHD_socket lfd = MHD_quiesce_daemon(d);
    if (lfd != MHD_INVALID_SOCKET) close(lfd);
    for (;;) {
        pthread_mutex_lock(&s.mu);
        busy = s.in_flight;
        pthread_mutex_unlock(&s.mu);
        if (!busy) break;
        if (wait_signal(&set, 200)) {
            fprintf(stderr, "fzcheck serve: 再次收到信号，不再等待 %zu 个请求\n", busy);
            break;
        }
        fz_http_watch(&s);
    }
    MHD_stop_daemon(d);
    teardown(&s);
    fprintf(stderr, "fzcheck serve: 已停止，临时文件已全部删除\n");
    return 0;
}
