/*
 * output.h - stage 7: what a person and a script read.
 *
 * Takes the checked, scored reports and writes them as Chinese text for
 * a person (per report: unit, year, score, grade, each rule with ✓ ◐ ✗ —,
 * the evidence, and for gaps the message, the fix and the basis; then a
 * ranked summary) or as JSON for scripts (the stable format documented in
 * README.md). Files are written atomically: to a temporary file beside
 * the target, renamed into place only when complete.
 */
#ifndef FZ_OUTPUT_H
#define FZ_OUTPUT_H

#include <stdio.h>

#include "engine.h"

typedef struct {
    const fz_pack *pack;
    const fz_report *reports;
    size_t n;
    int color;           /* ANSI colours (a TTY without NO_COLOR) */
} fz_run;

/* Writes the Chinese text report. Returns 0 or -1 (write error). */
int fz_output_text(FILE *f, const fz_run *run);

/* Writes the JSON document. Returns 0 or -1 (write error). */
int fz_output_json(FILE *f, const fz_run *run);

/* Writes a file atomically: writer(f, arg) fills a temporary file in the
 * same directory, which is then renamed to path. On any failure the
 * temporary file is removed, an existing file at path is untouched, and
 * -1 is returned with a Chinese message in *err. */
int fz_write_atomic(const char *path, int (*writer)(FILE *, const void *),
                    const void *arg, char **err);

#endif
