/*
 * serve.h - `fzcheck serve`: an HTTP/1.1 self-check service for an
 * office's intranet, on libmicrohttpd.
 *
 * A person opens the upload page, sends one or more reports (or a .zip of
 * them), optionally with last year's reports (the field `previous`, for
 * `check --previous`), and gets the same pages, annotated Word copies,
 * scorecard and JSON that `fzcheck check` writes. The modules:
 *
 *   cmd_serve.c     options, the listening socket, the daemon, signals and
 *                   the graceful stop
 *   serve_http.c    routing, the token, security headers, limits on
 *                   connections (the watchdog that cuts slow clients off),
 *                   one log line per request
 *   serve_upload.c  the multipart upload saved under safe names, and .zip
 *                   archives expanded under limits (no bombs, no paths)
 *   serve_job.c     each check run as a child `fzcheck check` in a private
 *                   directory (posix_spawn), the bounded pool of children,
 *                   the results kept a short time under unguessable ids
 *   serve_pages.c   the Chinese HTML: upload page, rules table, error
 *                   pages, the download links and the comparison with
 *                   last year added to result pages
 *
 * Everything a request writes is in its own directory (mode 0700) under
 * the server's private root (mkdtemp under TMPDIR), deleted when the
 * answer is sent (/api/check) or when the result expires (/check), and
 * the whole root at shutdown. No report text is logged.
 */
#ifndef FZ_SERVE_H
#define FZ_SERVE_H

#include <pthread.h>
#include <stddef.h>

#include "rules.h"
#include "util.h"

/* The options of `fzcheck serve`. */
typedef struct {
    const char *listen;        /* ADDR:PORT, default 127.0.0.1:8080 */
    const char *rules, *units; /* as given (NULL: the default pack, none) */
    const char *token;         /* NULL: no authentication */
    size_t workers;            /* checks at once; 0: one per processor */
    size_t queue;              /* requests waiting for a worker */
    double keep;               /* seconds a /check result is kept */
    double timeout;            /* seconds per report (check --timeout) */
    size_t memory_mb;          /* per report (check --memory) */
    double request_timeout;    /* seconds a whole check may take */
    double header_timeout;     /* seconds to send a request's headers */
    double body_timeout;       /* seconds to send a request's body */
    size_t max_files;          /* reports per request (zip entries included) */
    size_t max_request_mb;     /* bytes of one request (and of the expanded zips) */
    size_t conn_limit, per_ip; /* connections at once, from one address */
} fz_serve_opts;

/* The multipart field of last year's reports, and where they are saved
 * (under the request's in/, as the child's --previous). */
#define FZ_PREV_FIELD "previous"
#define FZ_PREV_DIR "prev"

/* A report of a result and its pairing with last year's (the JSON's
 * `previous`), for the line the result pages show. */
typedef struct {
    char *file;                /* as in the JSON: NNN_name */
    char *prev;                /* last year's as in the JSON (prev/NNN_name), or NULL: not paired */
    double score, prev_score;  /* score < 0: none (the report could not be read) */
} fz_prev_line;

typedef struct {
    fz_prev_line *v;
    size_t n;
    int given;                 /* last year's reports were uploaded (else v is empty) */
} fz_prev_lines;

/* A /check result kept for its download links. */
typedef struct fz_kept {
    char id[33];               /* 32 hex digits from getrandom */
    char *dir;                 /* its private directory */
    char *single;              /* the one report's page name, or NULL when several */
    fz_prev_lines prev;        /* its reports' pairings with last year's */
    double expires;            /* monotonic seconds */
    struct fz_kept *next;
} fz_kept;

/* A connection, watched so that a client too slow with its headers or
 * its body is cut off (libmicrohttpd's own timeout is per idle period,
 * which a client sending one byte a second never reaches). */
typedef struct fz_conn {
    int fd;
    int phase;                 /* FZ_PHASE_* */
    double deadline;           /* monotonic seconds, for HEADERS and BODY */
    struct fz_conn *prev, *next;
} fz_conn;

enum { FZ_PHASE_HEADERS, FZ_PHASE_BODY, FZ_PHASE_WORK };

typedef struct fz_server {
    fz_serve_opts o;
    fz_pack pack;
    char *rules_abs, *units_abs;  /* absolute paths handed to the children */
    char *root;                   /* the private temporary root */
    char *exe;                    /* this program, for the children */
    size_t max_file_bytes, max_request_bytes;
    size_t jobs;                  /* check --jobs for one child */
    pthread_mutex_t mu;           /* guards what follows */
    pthread_cond_t cv;            /* a worker slot freed, a request done */
    size_t admitted;              /* requests taken for a check (≤ workers + queue) */
    size_t running;               /* children running (≤ workers) */
    size_t in_flight;             /* requests being answered */
    int stopping;
    fz_kept *results;
    fz_conn *conns;
    char *upload_page, *rules_page; /* made once */
    size_t upload_len, rules_len;
} fz_server;

/* Monotonic seconds. */
double fz_serve_now(void);

/* ---- serve_pages.c ---- */


/* The upload page. NULL when memory runs out. */
char *fz_page_upload(const fz_server *s);

/* The pack as an HTML table. NULL when memory runs out. */
char *fz_page_rules(const fz_server *s);

/* A page telling what went wrong: title and message (escaped). */
char *fz_page_error(const char *title, const char *message);

/* What is added to a result page. */
typedef struct {
    const char *copy;          /* the annotated copy's name, or NULL */
    int scorecard, several;    /* links to the scorecard, to the ranking */
    double keep;               /* seconds the links are kept */
    const char *note;          /* HTML after the bar (fz_page_previous), or NULL */
} fz_links;

/* The page at html (len bytes) with a bar of download links after its
 * <main>: the annotated copy, the scorecard, the JSON, the ranking page
 * when several, a new check; then l->note. NULL when memory runs out. */
char *fz_page_with_links(const char *html, size_t len, const fz_links *l, size_t *out_len);

/* The comparison with last year for the page of report `file` (NULL: the
 * ranking, every report): last year's report, its score and the change;
 * "" when no previous report was uploaded. NULL when memory runs out. */
char *fz_page_previous(const fz_prev_lines *p, const char *file);

/* ---- serve_upload.c ---- */

/* An upload being received into dir/in. */
typedef struct fz_upload fz_upload;

/* Starts an upload into dir (made by the caller). NULL when memory runs out. */
fz_upload *fz_upload_new(fz_server *s, const char *dir);

/* The multipart parser's iterator (an MHD_PostDataIterator); cls is the
 * upload. */
int fz_upload_part(fz_upload *u, const char *key, const char *filename, const char *data,
                   unsigned long long off, size_t size);

/* Ends the upload: closes the last file, expands the zips. Returns 0, or
 * the HTTP status of the refusal with fz_upload_error set. */
int fz_upload_finish(fz_upload *u);

/* Marks the upload refused (status, Chinese message), unless it already is. */
void fz_upload_refuse(fz_upload *u, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int fz_upload_status(const fz_upload *u);
const char *fz_upload_error(const fz_upload *u);

/* The reports received, as names relative to dir/in. */
char *const *fz_upload_files(const fz_upload *u, size_t *n);

/* How many of last year's reports were received (in dir/in/prev). */
size_t fz_upload_previous(const fz_upload *u);

void fz_upload_free(fz_upload *u);

/* ---- serve_job.c ---- */

/* 32 random hex digits into id (33 bytes). Returns 0 or -1. */
int fz_random_id(char *id);

/* Makes root/<new id> (mode 0700). Returns the malloc'd path and fills
 * id, or NULL with *err. */
char *fz_job_dir(fz_server *s, char *id, char **err);

/* Removes a directory tree (no symbolic link followed). */
void fz_rm_tree(const char *path);

/* Runs `fzcheck check` on files (relative to dir/in) in a child, waiting
 * for a worker slot first; with previous, compared with last year's in
 * dir/in/prev. With pages, writes html/, copies/ and (for several)
 * scorecard.xlsx besides results.json. Returns 0, or an HTTP status with
 * *err a Chinese message. */
int fz_job_run(fz_server *s, const char *dir, char *const *files, size_t n, int previous, int pages,
               char **err);

/* The pairings with last year's reports in dir/results.json into *out
 * (given set). Returns 0, or -1 with *err. */
int fz_prev_lines_read(const char *dir, fz_prev_lines *out, char **err);
void fz_prev_lines_free(fz_prev_lines *p);

/* Keeps dir as result id for s->o.keep seconds (single: the one page's
 * name, or NULL; prev: taken, emptied). Returns 0 or -1 (memory; dir then
 * removed). */
int fz_result_keep(fz_server *s, const char *id, char *dir, const char *single, fz_prev_lines *prev);

/* Removes the results past their time (all with everything set). */
void fz_results_expire(fz_server *s, int everything);

/* ---- serve_http.c ---- */

/* libmicrohttpd's callbacks (their types are in microhttpd.h, which only
 * serve_http.c and cmd_serve.c include). */
struct MHD_Daemon;
struct MHD_Daemon *fz_http_start(fz_server *s, int listen_fd, char **err);

/* The watchdog's pass: cuts off connections past their deadline and
 * expires results. */
void fz_http_watch(fz_server *s);

#endif
