/*
 * batch.h - running the whole pipeline over many reports.
 *
 * Expands the paths a user gives (files, and directories searched
 * recursively for reports), then reads, segments, checks and scores each
 * one. A report that cannot be read gets its Chinese error and the batch
 * goes on: nothing is silently skipped.
 */
#ifndef FZ_BATCH_H
#define FZ_BATCH_H

#include <stddef.h>

#include "engine.h"

typedef struct {
    char **paths;
    size_t n;
} fz_inputs;

/* Expands files and directories into report paths: directories are
 * walked recursively in name order, skipping hidden entries and Word's
 * lock files (~$…), keeping the formats fzcheck reads and also old Word
 * and WPS files (.doc .wps), so that those are reported rather than lost. Paths that do not exist are kept (they will get an
 * error). Returns 0 or -1 (out of memory). */
int fz_inputs_collect(char *const *args, size_t nargs, fz_inputs *out, char **err);

void fz_inputs_free(fz_inputs *in);

/* Checks one report: fills *rep (error set when the file cannot be read
 * or is not a report text). Returns -1 only when memory runs out. */
int fz_batch_check_file(const fz_pack *pack, const char *path, fz_report *rep, char **err);

#endif
