/*
 * Worker processes under limits (pool.c): answers come back in job order
 * whatever order workers finish in; a job that runs past the time limit,
 * grows past the memory limit or crashes gets that outcome and the jobs
 * after it are still done; a reply of any size arrives whole. A worker
 * that exits (as a sanitizer's abort path does) rather than dying of a
 * signal is a crash with its exit status.
 */
#include "helpers.h"

#include <signal.h>
#include <time.h>

#include "pool.h"

/* Job i's request is "i"; the reply is "done i". Some jobs misbehave. */
enum { SLOW = 1, GREEDY = 3, CRASH = 5, BIG = 6, EXITS = 9, JOBS = 10 };

static int work(void *ctx, const char *req, size_t len, fz_buf *reply) {
    (void)ctx;
    (void)len;
    int i = atoi(req);
    if (i == SLOW) {
        for (;;) pause(); /* never answers */
    }
    if (i == GREEDY) {
        /* touch 400 MB, slowly enough for the watcher to see it grow */
        for (int k = 0; k < 400; k++) {
            char *p = malloc(1 << 20);
            if (!p) return -1;
            memset(p, k, 1 << 20);
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
        return -1;
    }
    if (i == CRASH) { /* cmocka catches SIGSEGV to report it; a worker does not */
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    if (i == EXITS) _exit(7);
    if (i == 0 || i == 2) { /* finish after later jobs: order must hold */
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
    }
    if (i == BIG) { /* a reply far larger than a pipe holds */
        for (int k = 0; k < 200000; k++)
            if (fz_buf_puts(reply, "0123456789") < 0) return -1;
        return 0;
    }
    return fz_buf_printf(reply, "done %d", i);
}

static int request(void *ctx, size_t i, fz_buf *req) {
    (void)ctx;
    return fz_buf_printf(req, "%zu", i);
}

typedef struct {
    size_t next;
    fz_job_status status[JOBS];
    int signal[JOBS];
    int exit_status[JOBS];
    char reply[JOBS][32];
    size_t len[JOBS];
} seen;

static int deliver(void *ctx, size_t i, const fz_job *job, char **err) {
    (void)err;
    seen *s = ctx;
    assert_int_equal(i, s->next); /* in order */
    s->next++;
    s->status[i] = job->status;
    s->signal[i] = job->signal;
    s->exit_status[i] = job->exit_status;
    s->len[i] = job->len;
    snprintf(s->reply[i], sizeof s->reply[i], "%.*s", (int)(job->len < 31 ? job->len : 31),
             job->reply ? job->reply : "");
    return 0;
}

static void run_with(size_t workers) {
    fz_pool_opts o = {workers, 3, 200, work, NULL};
    seen s;
    memset(&s, 0, sizeof s);
    char *err = NULL;
    if (fz_pool_run(&o, JOBS, request, deliver, &s, &err) != 0) fail_msg("%s", err);
    assert_int_equal(s.next, JOBS);
    assert_int_equal(s.status[SLOW], FZ_JOB_TIMEOUT);
    assert_int_equal(s.status[GREEDY], FZ_JOB_MEMORY);
    assert_int_equal(s.status[CRASH], FZ_JOB_CRASH);
    assert_int_equal(s.signal[CRASH], SIGSEGV);
    assert_int_equal(s.exit_status[CRASH], -1);
    assert_int_equal(s.status[EXITS], FZ_JOB_CRASH);
    assert_int_equal(s.signal[EXITS], 0);
    assert_int_equal(s.exit_status[EXITS], 7);
    assert_int_equal(s.status[BIG], FZ_JOB_OK);
    assert_int_equal(s.len[BIG], 2000000);
    const int fine[] = {0, 2, 4, 7, 8};
    for (size_t k = 0; k < sizeof fine / sizeof *fine; k++) {
        char want[32];
        snprintf(want, sizeof want, "done %d", fine[k]);
        assert_int_equal(s.status[fine[k]], FZ_JOB_OK);
        assert_string_equal(s.reply[fine[k]], want);
    }
}

static void one_worker_outlives_bad_jobs(void **state) {
    (void)state;
    run_with(1);
}

static void several_workers_answer_in_order(void **state) {
    (void)state;
    run_with(3);
}

static int stop_at_two(void *ctx, size_t i, const fz_job *job, char **err) {
    (void)ctx;
    (void)job;
    return i == 2 ? fz_fail(err, "停止") : 0;
}

static int quick(void *ctx, const char *req, size_t len, fz_buf *reply) {
    (void)ctx;
    return fz_buf_append(reply, req, len);
}

/* A caller that stops the run gets its error back, and no worker is left. */
static void caller_can_stop_the_run(void **state) {
    (void)state;
    fz_pool_opts o = {2, 0, 0, quick, NULL};
    char *err = NULL;
    assert_int_equal(fz_pool_run(&o, 50, request, stop_at_two, NULL, &err), -1);
    assert_string_equal(err, "停止");
    free(err);
    assert_true(fz_pool_cpus() >= 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_worker_outlives_bad_jobs),
        cmocka_unit_test(several_workers_answer_in_order),
        cmocka_unit_test(caller_can_stop_the_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
