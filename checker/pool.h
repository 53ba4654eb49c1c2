/*
 * pool.h - jobs run in worker processes, each under a time and a memory
 * limit, their answers handed back in the order the jobs were given.
 *
 * A report is read and checked by code that is not all ours (poppler,
 * libxml2, a rule's regular expression): one crafted PDF can keep poppler
 * busy for minutes and take gigabytes, one pattern can backtrack for an
 * hour. So the work is done in worker processes forked from the caller
 * (they share its loaded rule pack, copy-on-write), and the caller only
 * collects answers: a worker that runs past the time limit or grows past
 * the memory limit is killed, its job gets that outcome, a new worker
 * takes its place, and the batch goes on. The same workers give the
 * parallelism of a batch (`--jobs`): answers come back in job order
 * whatever order the workers finish in, so the output of N workers is
 * the output of one.
 *
 * The pool knows nothing of reports: a job is a request of bytes, its
 * answer a reply of bytes (see wire.h for the reports batch.c sends).
 *
 * Memory is the worker's resident size (RSS), read every 50 ms while it
 * is busy; past the limit it is killed. An address-space cap (RLIMIT_AS)
 * would be exact but counts what is only reserved, not used: poppler's
 * libraries and glibc's per-thread malloc arenas reserve hundreds of MB
 * that are never touched, so a cap tight enough to matter kills healthy
 * workers (and AddressSanitizer reserves terabytes). Memory that is
 * really used shows in RSS; the 50 ms between looks let a worker overrun
 * the limit by at most what it can touch in that time.
 */
#ifndef FZ_POOL_H
#define FZ_POOL_H

#include <stddef.h>

#include "util.h"

typedef enum {
    FZ_JOB_OK,       /* the worker answered */
    FZ_JOB_TIMEOUT,  /* killed at the time limit */
    FZ_JOB_MEMORY,   /* killed at the memory limit, or ran out of memory */
    FZ_JOB_CRASH     /* the worker died (signal or unexpected exit) */
} fz_job_status;

/* The outcome of one job, as the caller sees it. */
typedef struct {
    fz_job_status status;
    const char *reply;  /* FZ_JOB_OK: the worker's reply (valid during the call) */
    size_t len;
    int signal;         /* FZ_JOB_CRASH: the signal that ended the worker, or 0 */
    int exit_status;    /* FZ_JOB_CRASH: the status it exited with instead, or -1 */
    double seconds;     /* wall time from dispatch to outcome */
} fz_job;

/* Runs in a worker: turns a request into a reply. Returns 0, or -1 when
 * memory ran out (the job becomes FZ_JOB_MEMORY). */
typedef int (*fz_pool_work)(void *ctx, const char *req, size_t len, fz_buf *reply);

/* Runs in the caller: the request for job i (appended to req). Returns 0
 * or -1 (out of memory: the run stops). */
typedef int (*fz_pool_request)(void *ctx, size_t i, fz_buf *req);

/* Runs in the caller with the outcome of job i, for i = 0, 1, 2 … in
 * order. Returns 0, or -1 to stop the run (with *err set). */
typedef int (*fz_pool_deliver)(void *ctx, size_t i, const fz_job *job, char **err);

typedef struct {
    size_t workers;      /* processes at most (fewer when there are fewer jobs) */
    double timeout;      /* seconds one job may take; 0: no limit */
    size_t memory_mb;    /* resident memory a worker may use; 0: no limit */
    fz_pool_work work;   /* what a worker does */
    void *work_ctx;      /* its context (the caller's memory, copied at fork) */
} fz_pool_opts;

/* Runs jobs 0..n-1. Returns 0, or -1 with a Chinese message when workers
 * cannot be started, memory runs out, or deliver stopped the run. A job's
 * own failure (timeout, memory, crash) is an outcome, not an error. */
int fz_pool_run(const fz_pool_opts *o, size_t n, fz_pool_request request,
                fz_pool_deliver deliver, void *ctx, char **err);

/* The number of processors online (at least 1): the default for
 * `workers`. */
size_t fz_pool_cpus(void);

#endif
