/*
 * atomic.h - writing an output file so that readers never see half of it.
 *
 * The data goes to a temporary file beside the target, which is renamed
 * over the target only when complete; on failure the temporary file is
 * removed and an existing target is left as it was. A symbolic link is
 * followed (its target is replaced, not the link), and a target that is
 * not a regular file (a device, a FIFO) is written to directly, since
 * renaming over it would replace it (a workbook, which must be seekable,
 * refuses such a target). A replaced file keeps its permissions.
 *
 * A run that writes several outputs finishes each (fz_atomic_finish: all
 * data on disk) and only then renames them all (fz_atomic_commit_all),
 * with interrupts held off, so that an interrupted run leaves every old
 * output as it was, never a new JSON beside an old workbook. Temporary
 * files are named TARGET.tmp-PID-XXXXXX; those of a run that was killed
 * (its PID gone) are removed by the next run writing the same target.
 */
#ifndef FZ_ATOMIC_H
#define FZ_ATOMIC_H

#include <stdio.h>

typedef struct {
    char *target;   /* the file finally written (a link resolved) */
    char *temp;     /* the temporary file, or NULL when writing directly */
    FILE *f;        /* the open stream, when one was asked for */
    int direct;     /* writing straight into a device or FIFO */
    int finished;   /* all data is on disk; only the rename is left */
    int lazy;       /* set after begin: no fsync of this one file, the
                     * caller flushes many at once (fz_atomic_sync_dir) */
} fz_atomic;

/* Makes an interrupted run (Ctrl-C, SIGTERM, SIGHUP) remove the temporary
 * files it was writing, and a closed stdout pipe a write error rather
 * than a death. Call once from main. */
void fz_atomic_install_signals(void);

/* A scratch file for what a run keeps on disk rather than in memory:
 * $TMPDIR/fzcheck-WHAT-XXXXXX (else /tmp), unlinked at once so that it
 * is gone however the run ends; open for reading and writing. NULL with
 * errno set when it cannot be made. */
FILE *fz_scratch_file(const char *what);

/* A Chinese reason for an errno value (磁盘空间不足 …). */
const char *fz_errno_message(int e);

/* Prepares to write path. With open_stream, a->f is open for writing;
 * without, a->temp (or a->target when writing directly) names the file a
 * library should create. Returns 0, or -1 with a Chinese message. */
int fz_atomic_begin(fz_atomic *a, const char *path, int open_stream, char **err);

/* The same for a file of a folder of many (the pages of --html): the
 * folder's leftovers were removed once, with fz_atomic_remove_stale_in,
 * when swept is set, rather than the folder read again for every file. */
int fz_atomic_begin_swept(fz_atomic *a, const char *path, int open_stream, int swept, char **err);

/* Removes the temporary files of every target in dir whose run is gone. */
void fz_atomic_remove_stale_in(const char *dir);

/* The path a library should write to. */
const char *fz_atomic_path(const fz_atomic *a);

/* Closes the stream if open and flushes the data to disk, without
 * renaming. Returns 0, or -1 with a Chinese message (and the write
 * abandoned). */
int fz_atomic_finish(fz_atomic *a, char **err);

/* Finishes (if not yet) and renames into place. Returns 0, or -1 with a
 * Chinese message (and everything undone). */
int fz_atomic_commit(fz_atomic *a, char **err);

/* Renames n finished writes into place one after another with SIGINT,
 * SIGTERM and SIGHUP held off until all are done. Returns 0, or -1 with
 * the first failure's message (the others are still attempted). */
int fz_atomic_commit_all(fz_atomic *const *as, size_t n, char **err);

/* The file an output path would end up writing: a symbolic link
 * resolved, relative paths made absolute. NULL when memory runs out. */
char *fz_atomic_resolve(const char *path);

/* Puts every file written in dir (and the rest of its file system) on
 * disk at once: what lazy writes need before a run calls itself done.
 * One flush for a thousand pages costs what one fsync costs; a thousand
 * fsyncs cost seconds. Returns 0, or -1 with a Chinese message. */
int fz_atomic_sync_dir(const char *dir, char **err);

/* Abandons the write: closes and removes the temporary file. */
void fz_atomic_abort(fz_atomic *a);

#endif
