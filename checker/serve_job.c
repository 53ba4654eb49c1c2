/*
 * serve_job.c - the checks of `fzcheck serve` (serve.h).
 *
 * Each check is a child process of this very program, started with
 * posix_spawn (never fork in a threaded process):
 *
 *   fzcheck check --quiet --rules PACK [--units ROSTER] --timeout S --memory MB
 *           --jobs J --json DIR/results.json [--html DIR/html --annotate DIR/copies
 *           [--xlsx DIR/scorecard.xlsx]] [--previous prev] -- NNN_name...
 *
 * run in DIR/in (so that results name the reports NNN_name, not a path,
 * and last year's, when any were uploaded into DIR/in/prev, prev/NNN_name),
 * with TMPDIR=DIR, its own process group (killed whole, its workers with
 * it, when the request's time runs out) and its stderr in DIR/stderr.txt.
 * At most `workers` children run at once; a request waits for a slot
 * (the HTTP layer admits no more than workers + queue).
 *
 * A /check result is then kept under its id (32 hex digits from
 * getrandom) for --keep seconds and removed with its directory, with the
 * pairings with last year's reports read from its results.json (jansson)
 * for the line its pages show.
 */
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "serve.h"

extern char **environ;

double fz_serve_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int fz_random_id(char *id) {
    unsigned char r[16];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t k = getrandom(r + got, sizeof r - got, 0);
        if (k < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        got += (size_t)k;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof r; i++) {
        id[2 * i] = hex[r[i] >> 4];
        id[2 * i + 1] = hex[r[i] & 15];
    }
    id[32] = '\0';
    return 0;
}

char *fz_job_dir(fz_server *s, char *id, char **err) {
    for (int tries = 0; tries < 4; tries++) {
        if (fz_random_id(id) < 0) {
            fz_fail(err, "无法取得随机数：%s", fz_errno_message(errno));
            return NULL;
        }
        char *dir = fz_strdup_printf("%s/%s", s->root, id);
        if (!dir) {
            fz_fail(err, FZ_ENOMEM);
            return NULL;
        }
        if (mkdir(dir, 0700) == 0) return dir;
        int e = errno;
        free(dir);
        if (e != EEXIST) {
            fz_fail(err, "无法创建临时目录：%s", fz_errno_message(e));
            return NULL;
        }
    }
    fz_fail(err, "无法创建临时目录");
    return NULL;
}

/* Removes what is in the directory open as fd (closed here), depth first,
 * following no link. */
static void rm_in(int fd) {
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (unlinkat(fd, e->d_name, 0) == 0) continue;
        int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub >= 0) rm_in(sub);
        unlinkat(fd, e->d_name, AT_REMOVEDIR);
    }
    closedir(d);
}

void fz_rm_tree(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) rm_in(fd);
    rmdir(path);
}

/* ---- the child ------------------------------------------------------------ */

/* argv of the child; the strings it makes are kept in keep[] to free. */
typedef struct {
    char **v;
    size_t n, cap;
    char **own;
    size_t nown, owncap;
} args;

static int add(args *a, const char *s) {
    if (fz_grow(&a->v, &a->cap, a->n + 2, sizeof *a->v) < 0) return -1;
    a->v[a->n++] = (char *)s;
    a->v[a->n] = NULL;
    return 0;
}

static int add_own(args *a, char *s) {
    if (!s || fz_grow(&a->own, &a->owncap, a->nown + 1, sizeof *a->own) < 0) {
        free(s);
        return -1;
    }
    a->own[a->nown++] = s;
    return add(a, s);
}

static void args_free(args *a) {
    for (size_t i = 0; i < a->nown; i++) free(a->own[i]);
    free(a->own);
    free(a->v);
}

/* The environment of the child: ours with TMPDIR set to dir. */
static char **child_env(const char *dir) {
    size_t n = 0;
    while (environ[n]) n++;
    char **env = calloc(n + 2, sizeof *env);
    char *tmp = fz_strdup_printf("TMPDIR=%s", dir);
    if (!env || !tmp) {
        free(env);
        free(tmp);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "TMPDIR=", 7)) env[k++] = environ[i];
    env[k++] = tmp;
    env[k] = NULL;
    return env;
}

static void child_env_free(char **env) {
    if (!env) return;
    for (size_t i = 0; env[i]; i++)
        if (!strncmp(env[i], "TMPDIR=", 7)) free(env[i]);
    free(env);
}

/* The first lines the child wrote on stderr (its reason), or NULL. */
static char *child_said(const char *dir) {
    char *path = fz_strdup_printf("%s/stderr.txt", dir);
    FILE *f = path ? fopen(path, "rb") : NULL;
    free(path);
    if (!f) return NULL;
    char buf[2048];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return n ? fz_strdup(buf) : NULL;
}

static int spawn(fz_server *s, const char *dir, args *a, pid_t *pid, char **err) {
    char *in = fz_strdup_printf("%s/in", dir), *log = fz_strdup_printf("%s/stderr.txt", dir);
    char **env = child_env(dir);
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    int rc = -1, fa_ok = 0, at_ok = 0;
    if (!in || !log || !env) {
        fz_fail(err, FZ_ENOMEM);
        goto done;
    }
    if (posix_spawn_file_actions_init(&fa) != 0) goto fail;
    fa_ok = 1;
    if (posix_spawnattr_init(&at) != 0) goto fail;
    at_ok = 1;
    sigset_t none, def;
    sigemptyset(&none);
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGTERM);
    sigaddset(&def, SIGHUP);
    sigaddset(&def, SIGPIPE);
    if (posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0600) != 0 ||
        posix_spawn_file_actions_addchdir_np(&fa, in) != 0 ||
        posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) != 0 ||
        posix_spawnattr_setpgroup(&at, 0) != 0 || posix_spawnattr_setsigmask(&at, &none) != 0 ||
        posix_spawnattr_setsigdefault(&at, &def) != 0)
        goto fail;
    int e = posix_spawn(pid, s->exe, &fa, &at, a->v, env);
    if (e != 0) {
        fz_fail(err, "无法启动检查进程：%s", fz_errno_message(e));
        goto done;
    }
    rc = 0;
    goto done;
fail:
    fz_fail(err, "无法启动检查进程：%s", fz_errno_message(errno));
done:
    if (fa_ok) posix_spawn_file_actions_destroy(&fa);
    if (at_ok) posix_spawnattr_destroy(&at);
    child_env_free(env);
    free(in);
    free(log);
    return rc;
}

/* Waits for the child until the request's time is up, then kills its
 * process group. Returns its wait status, or -1 when killed for time.
 * A pidfd (Linux 5.3) wakes the wait the moment the child ends; without
 * one the wait polls, from 2 ms growing to 50 ms. */
static int wait_child(fz_server *s, pid_t pid) {
    double end = s->o.request_timeout > 0 ? fz_serve_now() + s->o.request_timeout : 0;
    int status = 0;
    long nap = 2000000;
#ifdef SYS_pidfd_open
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
#else
    int pfd = -1;
#endif
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR)) {
            if (pfd >= 0) close(pfd);
            return status;
        }
        double now = fz_serve_now();
        if (end && now > end) {
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            if (pfd >= 0) close(pfd);
            return -1;
        }
        if (pfd >= 0) {
            double left = end ? end - now : 1.0;
            struct pollfd p = {pfd, POLLIN, 0};
            poll(&p, 1, left > 1.0 ? 1000 : (int)(left * 1000) + 1);
            continue;
        }
        struct timespec t = {0, nap};
        nanosleep(&t, NULL);
        if (nap < 50000000) nap += nap / 2;
    }
}

int fz_job_run(fz_server *s, const char *dir, char *const *files, size_t n, int previous, int pages,
               char **err) {
    args a = {0};
    char num[3][32];
    size_t jobs = s->jobs < n ? s->jobs : n;
    snprintf(num[0], sizeof num[0], "%g", s->o.timeout);
    snprintf(num[1], sizeof num[1], "%zu", s->o.memory_mb);
    snprintf(num[2], sizeof num[2], "%zu", jobs ? jobs : 1);
    int bad = add(&a, s->exe) < 0 || add(&a, "check") < 0 || add(&a, "--quiet") < 0 ||
              add(&a, "--rules") < 0 || add(&a, s->rules_abs) < 0 ||
              (s->units_abs && (add(&a, "--units") < 0 || add(&a, s->units_abs) < 0)) ||
              add(&a, "--timeout") < 0 || add(&a, num[0]) < 0 || add(&a, "--memory") < 0 ||
              add(&a, num[1]) < 0 || add(&a, "--jobs") < 0 || add(&a, num[2]) < 0 ||
              add(&a, "--json") < 0 || add_own(&a, fz_strdup_printf("%s/results.json", dir)) < 0;
    if (pages)
        bad = bad || add(&a, "--html") < 0 || add_own(&a, fz_strdup_printf("%s/html", dir)) < 0 ||
              add(&a, "--annotate") < 0 || add_own(&a, fz_strdup_printf("%s/copies", dir)) < 0 ||
              (n > 1 && (add(&a, "--xlsx") < 0 || add_own(&a, fz_strdup_printf("%s/scorecard.xlsx", dir)) < 0));
    if (previous) bad = bad || add(&a, "--previous") < 0 || add(&a, FZ_PREV_DIR) < 0;
    bad = bad || add(&a, "--") < 0;
    for (size_t i = 0; i < n && !bad; i++) bad = add(&a, files[i]) < 0;
    if (bad) {
        args_free(&a);
        fz_fail(err, FZ_ENOMEM);
        return 500;
    }
    /* a worker slot */
    pthread_mutex_lock(&s->mu);
    while (s->running >= s->o.workers) pthread_cond_wait(&s->cv, &s->mu);
    s->running++;
    pthread_mutex_unlock(&s->mu);
    pid_t pid;
    int rc = 0;
    if (spawn(s, dir, &a, &pid, err) < 0) {
        rc = 500;
    } else {
        int st = wait_child(s, pid);
        if (st < 0) {
            fz_fail(err, "检查用时超过 %g 秒的上限，已停止（报告过多或过大？请分批上传）", s->o.request_timeout);
            rc = 500;
        } else if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
            char *said = child_said(dir);
            fz_fail(err, "检查没有完成%s%s", said ? "：" : "", said ? said : "");
            free(said);
            rc = 500;
        }
    }
    pthread_mutex_lock(&s->mu);
    s->running--;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    args_free(&a);
    return rc;
}

/* ---- the pairings with last year's ------------------------------------------ */

/* A number of o, or -1 when it has none. */
static double number_of(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : -1;
}

/* Report rep of the JSON as line l. Returns 0 or -1 (memory). */
static int line_of(json_t *rep, fz_prev_line *l) {
    const char *file = json_string_value(json_object_get(rep, "file"));
    json_t *p = json_object_get(rep, "previous");
    const char *prev = json_string_value(json_object_get(p, "file"));
    l->file = fz_strdup(file ? file : "");
    l->prev = prev ? fz_strdup(prev) : NULL;
    l->score = number_of(rep, "score");
    l->prev_score = number_of(p, "score");
    return l->file && (!prev || l->prev) ? 0 : -1;
}

int fz_prev_lines_read(const char *dir, fz_prev_lines *out, char **err) {
    memset(out, 0, sizeof *out);
    out->given = 1;
    char *path = fz_strdup_printf("%s/results.json", dir);
    json_t *doc = path ? json_load_file(path, 0, NULL) : NULL;
    free(path);
    json_t *reps = json_object_get(doc, "reports");
    size_t n = json_array_size(reps);
    if (!json_is_array(reps) || (n && !(out->v = calloc(n, sizeof *out->v)))) {
        json_decref(doc);
        return fz_fail(err, "无法读取检查结果");
    }
    for (; out->n < n; out->n++)
        if (line_of(json_array_get(reps, out->n), &out->v[out->n]) < 0) {
            out->n++;
            fz_prev_lines_free(out);
            json_decref(doc);
            return fz_fail(err, FZ_ENOMEM);
        }
    json_decref(doc);
    return 0;
}

void fz_prev_lines_free(fz_prev_lines *p) {
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].file);
        free(p->v[i].prev);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* ---- results kept for their links ------------------------------------------- */

int fz_result_keep(fz_server *s, const char *id, char *dir, const char *single, fz_prev_lines *prev) {
    fz_kept *r = calloc(1, sizeof *r);
    char *one = single ? fz_strdup(single) : NULL;
    if (!r || (single && !one)) {
        free(r);
        free(one);
        fz_prev_lines_free(prev);
        fz_rm_tree(dir);
        free(dir);
        return -1;
    }
    memcpy(r->id, id, 33);
    r->dir = dir;
    r->single = one;
    r->prev = *prev;
    memset(prev, 0, sizeof *prev);
    r->expires = fz_serve_now() + s->o.keep;
    pthread_mutex_lock(&s->mu);
    r->next = s->results;
    s->results = r;
    pthread_mutex_unlock(&s->mu);
    return 0;
}

void fz_results_expire(fz_server *s, int everything) {
    double now = fz_serve_now();
    fz_kept *gone = NULL;
    pthread_mutex_lock(&s->mu);
    for (fz_kept **p = &s->results; *p;) {
        fz_kept *r = *p;
        if (everything || r->expires <= now) {
            *p = r->next;
            r->next = gone;
            gone = r;
        } else {
            p = &r->next;
        }
    }
    pthread_mutex_unlock(&s->mu);
    /* removed outside the lock: a large result takes a while */
    while (gone) {
        fz_kept *r = gone;
        gone = r->next;
        fz_rm_tree(r->dir);
        free(r->dir);
        free(r->single);
        fz_prev_lines_free(&r->prev);
        free(r);
    }
}
