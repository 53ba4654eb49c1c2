/*
 * pool.c - see pool.h.
 *
 * The wire between the caller and a worker is a pair of pipes. A request
 * is an 8-byte little-endian length and the bytes; a reply is one code
 * byte (0 answered, 1 out of memory), an 8-byte length and the bytes.
 * A worker that reads end-of-file on its request pipe exits normally.
 */
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How often a busy worker's memory is looked at, in milliseconds. */
#define WATCH_MS 50

typedef struct {
    pid_t pid;          /* 0: no process */
    int to, from;       /* request pipe (write end), reply pipe (read end) */
    int busy;
    size_t job;
    double started;
    fz_buf in;          /* reply bytes received so far */
} worker;

typedef struct {
    int done;
    fz_job job;
    char *reply;        /* owned */
} slot;

typedef struct {
    const fz_pool_opts *o;
    worker *w;
    size_t nw;
    slot *slots;        /* a ring of `window` jobs from the next to deliver */
    size_t window;
    pid_t parent;
} pool;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

size_t fz_pool_cpus(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}

/* ---- bytes over pipes ------------------------------------------------- */

static int write_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n) {
        ssize_t k = write(fd, c, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Reads exactly n bytes; 0 at a clean end of file before any byte, -1 on
 * error or a short read, 1 when done. */
static int read_all(int fd, void *p, size_t n) {
    char *c = p;
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, c + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        if (k == 0) return got ? -1 : 0;
        got += (size_t)k;
    }
    return 1;
}

static void put_u64(unsigned char *b, uint64_t v) {
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *b) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)b[i] << (8 * i);
    return v;
}

/* ---- the worker's side ------------------------------------------------ */

static void worker_setup(const pool *p) {
    /* the caller's handlers (removing its temporary files) are not ours */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    /* die with the caller, however it ends */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != p->parent) _exit(1);
}

/* Serves requests until the caller closes the pipe. Never returns. */
static void worker_main(const pool *p, int in, int out) {
    worker_setup(p);
    fz_buf req = {0}, reply = {0};
    int status = 0;
    for (;;) {
        unsigned char head[9];
        int r = read_all(in, head, 8);
        if (r <= 0) {
            status = r < 0;
            break;
        }
        uint64_t len = get_u64(head);
        req.len = 0;
        if (len > SIZE_MAX / 2 || fz_buf_append(&req, "", 0) < 0) {
            status = 1;
            break;
        }
        while (req.len < len) {
            char chunk[4096];
            size_t want = len - req.len < sizeof chunk ? (size_t)(len - req.len) : sizeof chunk;
            if (read_all(in, chunk, want) != 1 || fz_buf_append(&req, chunk, want) < 0) {
                status = 1;
                break;
            }
        }
        if (status) break;
        fz_buf_free(&reply);
        int rc = p->o->work(p->o->work_ctx, req.ptr ? req.ptr : "", req.len, &reply);
        head[0] = rc < 0;
        put_u64(head + 1, rc < 0 ? 0 : reply.len);
        if (write_all(out, head, 9) < 0 ||
            (rc == 0 && reply.len && write_all(out, reply.ptr, reply.len) < 0)) {
            status = 1;
            break;
        }
    }
    fz_buf_free(&req);
    fz_buf_free(&reply);
    close(in);
    close(out);
    /* exit, not _exit: stdio was flushed before the fork, so nothing of
     * the caller's is written twice, and a leak checker still runs */
    exit(status);
}

/* ---- the caller's side ------------------------------------------------- */

static void close_worker_fds(worker *w) {
    if (w->to >= 0) close(w->to);
    if (w->from >= 0) close(w->from);
    w->to = w->from = -1;
}

static int spawn(pool *p, size_t k, char **err) {
    worker *w = &p->w[k];
    int rq[2], rp[2];
    if (pipe(rq) < 0) return fz_fail(err, "无法启动工作进程（无法创建管道）");
    if (pipe(rp) < 0) {
        close(rq[0]);
        close(rq[1]);
        return fz_fail(err, "无法启动工作进程（无法创建管道）");
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(rq[0]), close(rq[1]), close(rp[0]), close(rp[1]);
        return fz_fail(err, "无法启动工作进程（系统进程数或内存不足）");
    }
    if (pid == 0) {
        close(rq[1]);
        close(rp[0]);
        for (size_t j = 0; j < p->nw; j++)
            if (j != k) close_worker_fds(&p->w[j]);
        worker_main(p, rq[0], rp[1]);
    }
    close(rq[0]);
    close(rp[1]);
    fcntl(rq[1], F_SETFD, FD_CLOEXEC);
    fcntl(rp[0], F_SETFD, FD_CLOEXEC);
    w->pid = pid;
    w->to = rq[1];
    w->from = rp[0];
    w->busy = 0;
    w->in.len = 0;
    return 0;
}

/* Ends a worker at once (it is stuck or over its limit) and reaps it.
 * Returns how it ended, as waitpid reports. */
static int kill_worker(worker *w) {
    int st = 0;
    if (w->pid > 0) {
        kill(w->pid, SIGKILL);
        while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR) {}
    }
    w->pid = 0;
    close_worker_fds(w);
    return st;
}

/* Reaps a worker whose reply pipe has closed: it is ending, and how it
 * ends (a sanitizer or abort path exits with a status rather than a
 * signal) is worth a moment's wait rather than killing it first. Returns
 * 1 with *st set when it ended within two seconds. */
static int reap(worker *w, int *st) {
    for (int i = 0; i < 200 && w->pid > 0; i++) {
        pid_t r = waitpid(w->pid, st, WNOHANG);
        if (r == w->pid) {
            w->pid = 0;
            close_worker_fds(w);
            return 1;
        }
        if (r < 0 && errno != EINTR) break;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

static void finish(pool *p, worker *w, fz_job_status s, int sig, int exit_status, char *reply,
                   size_t len) {
    slot *sl = &p->slots[w->job % p->window];
    sl->done = 1;
    sl->job.status = s;
    sl->job.signal = sig;
    sl->job.exit_status = exit_status;
    sl->job.seconds = now() - w->started;
    sl->reply = reply;
    sl->job.reply = reply;
    sl->job.len = len;
    w->busy = 0;
    w->in.len = 0;
}

/* A worker's job ended without an answer: record how, and replace it. */
static int lost(pool *p, size_t k, fz_job_status s, char **err) {
    worker *w = &p->w[k];
    int st = 0;
    if (s != FZ_JOB_CRASH || !reap(w, &st)) st = kill_worker(w);
    int sig = 0, exit_status = -1;
    if (s == FZ_JOB_CRASH && WIFSIGNALED(st)) {
        sig = WTERMSIG(st);
        /* killed, but not by us: the kernel's out-of-memory killer */
        if (sig == SIGKILL) s = FZ_JOB_MEMORY;
    } else if (s == FZ_JOB_CRASH && WIFEXITED(st)) {
        exit_status = WEXITSTATUS(st);
    }
    finish(p, w, s, sig, exit_status, NULL, 0);
    return spawn(p, k, err);
}

static int send_job(pool *p, size_t k, size_t job, fz_pool_request request, void *ctx,
                    char **err) {
    fz_buf req = {0};
    unsigned char head[8] = {0};
    if (fz_buf_append(&req, (const char *)head, 8) < 0 || request(ctx, job, &req) < 0) {
        fz_buf_free(&req);
        return fz_fail(err, FZ_ENOMEM);
    }
    put_u64(head, req.len - 8);
    memcpy(req.ptr, head, 8);
    worker *w = &p->w[k];
    int rc = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (write_all(w->to, req.ptr, req.len) == 0) {
            w->busy = 1;
            w->job = job;
            w->started = now();
            w->in.len = 0;
            break;
        }
        /* it died while idle: a fresh one takes the job */
        kill_worker(w);
        if ((rc = spawn(p, k, err)) < 0) break;
        if (attempt == 1) rc = fz_fail(err, "工作进程无法接收任务");
    }
    fz_buf_free(&req);
    return rc;
}

/* Reads what a busy worker has sent; finishes its job when the reply is
 * whole. */
static int receive(pool *p, size_t k, char **err) {
    worker *w = &p->w[k];
    char chunk[65536];
    ssize_t got;
    do got = read(w->from, chunk, sizeof chunk);
    while (got < 0 && errno == EINTR);
    if (got <= 0) return lost(p, k, FZ_JOB_CRASH, err); /* it died mid-job */
    if (fz_buf_append(&w->in, chunk, (size_t)got) < 0) return fz_fail(err, FZ_ENOMEM);
    if (w->in.len < 9) return 0;
    uint64_t len = get_u64((const unsigned char *)w->in.ptr + 1);
    if (w->in.len - 9 < len) return 0;
    if (w->in.len - 9 > len) return lost(p, k, FZ_JOB_CRASH, err); /* garbled */
    if (w->in.ptr[0]) {
        finish(p, w, FZ_JOB_MEMORY, 0, -1, NULL, 0);
        return 0;
    }
    char *reply = fz_strndup(w->in.ptr + 9, (size_t)len);
    if (!reply) return fz_fail(err, FZ_ENOMEM);
    finish(p, w, FZ_JOB_OK, 0, -1, reply, (size_t)len);
    return 0;
}

/* Resident memory of a process in MB, or 0 when unknown. */
static size_t rss_mb(pid_t pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/statm", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    unsigned long size = 0, resident = 0;
    int ok = fscanf(f, "%lu %lu", &size, &resident) == 2;
    fclose(f);
    if (!ok) return 0;
    long page = sysconf(_SC_PAGESIZE);
    return (size_t)((unsigned long long)resident * (unsigned long long)(page > 0 ? page : 4096) >>
                    20);
}

/* Kills busy workers past their time or memory limit. */
static int enforce_limits(pool *p, char **err) {
    double t = now();
    for (size_t k = 0; k < p->nw; k++) {
        worker *w = &p->w[k];
        if (!w->busy) continue;
        if (p->o->timeout > 0 && t - w->started > p->o->timeout) {
            if (lost(p, k, FZ_JOB_TIMEOUT, err) < 0) return -1;
        } else if (p->o->memory_mb && rss_mb(w->pid) > p->o->memory_mb) {
            if (lost(p, k, FZ_JOB_MEMORY, err) < 0) return -1;
        }
    }
    return 0;
}

/* Waits until some busy worker has something to say or a limit may have
 * passed, and handles it. */
static int wait_some(pool *p, char **err) {
    struct pollfd fds[256];
    size_t who[256], nf = 0;
    double t = now(), wait = -1;
    for (size_t k = 0; k < p->nw && nf < 256; k++) {
        worker *w = &p->w[k];
        if (!w->busy) continue;
        fds[nf] = (struct pollfd){.fd = w->from, .events = POLLIN};
        who[nf++] = k;
        if (p->o->timeout > 0) {
            double left = w->started + p->o->timeout - t;
            if (wait < 0 || left < wait) wait = left < 0 ? 0 : left;
        }
    }
    if (!nf) return 0;
    if (p->o->memory_mb && (wait < 0 || wait > WATCH_MS / 1000.0)) wait = WATCH_MS / 1000.0;
    int ms = wait < 0 ? -1 : (int)(wait * 1000) + 1;
    int r = poll(fds, nf, ms);
    if (r < 0 && errno != EINTR) return fz_fail(err, "等待工作进程时出错");
    for (size_t i = 0; r > 0 && i < nf; i++)
        if (fds[i].revents && p->w[who[i]].busy && receive(p, who[i], err) < 0) return -1;
    return enforce_limits(p, err);
}

/* Ends every worker: normally (end of file on its requests) when the run
 * is complete, at once otherwise. A worker that exits with a failure is
 * reported (under a leak checker, that is how a leak shows). */
static int stop_all(pool *p, int normally, char **err) {
    int rc = 0;
    for (size_t k = 0; k < p->nw; k++) {
        worker *w = &p->w[k];
        if (w->pid <= 0) continue;
        if (!normally) {
            kill_worker(w);
            continue;
        }
        close_worker_fds(w);
        int st;
        while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR) {}
        w->pid = 0;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            rc = fz_fail(err, "工作进程退出时出错（状态 %d）", st);
        }
    }
    for (size_t k = 0; k < p->nw; k++) fz_buf_free(&p->w[k].in);
    return rc;
}

int fz_pool_run(const fz_pool_opts *o, size_t n, fz_pool_request request,
                fz_pool_deliver deliver, void *ctx, char **err) {
    if (!n) return 0;
    pool p = {.o = o, .parent = getpid()};
    p.nw = o->workers ? o->workers : 1;
    if (p.nw > n) p.nw = n;
    if (p.nw > 256) p.nw = 256;
    p.window = 2 * p.nw + 2;
    p.w = calloc(p.nw, sizeof *p.w);
    p.slots = calloc(p.window, sizeof *p.slots);
    if (!p.w || !p.slots) {
        free(p.w);
        free(p.slots);
        return fz_fail(err, FZ_ENOMEM);
    }
    for (size_t k = 0; k < p.nw; k++) p.w[k].to = p.w[k].from = -1;
    int rc = 0;
    for (size_t k = 0; k < p.nw && rc == 0; k++) rc = spawn(&p, k, err);
    size_t sent = 0, delivered = 0;
    while (rc == 0 && delivered < n) {
        for (size_t k = 0; k < p.nw && rc == 0; k++)
            if (!p.w[k].busy && sent < n && sent < delivered + p.window)
                rc = send_job(&p, k, sent++, request, ctx, err);
        while (rc == 0 && delivered < n && p.slots[delivered % p.window].done) {
            slot *sl = &p.slots[delivered % p.window];
            rc = deliver(ctx, delivered, &sl->job, err);
            free(sl->reply);
            memset(sl, 0, sizeof *sl);
            delivered++;
        }
        if (rc == 0 && delivered < n) rc = wait_some(&p, err);
    }
    int stopped = stop_all(&p, rc == 0, rc == 0 ? err : NULL);
    if (rc == 0) rc = stopped;
    for (size_t i = 0; i < p.window; i++) free(p.slots[i].reply);
    free(p.slots);
    free(p.w);
    return rc;
}
