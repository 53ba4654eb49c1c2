/*
 * pack_chain.h - a rule pack that extends another: the chain of packs to
 * load, base first.
 *
 * A 依法治市办 adapts the default pack to this year's scheme without
 * copying it: its pack says `pack: {extends: default}` (or a path to
 * another pack, relative to the file that says so), then disables,
 * overrides and adds rules (rules_load.c applies them). This module only
 * finds the chain: each pack's YAML files, and what each extends, until a
 * pack that extends nothing; a cycle, a missing pack or a chain too long
 * is an error at the `extends` that causes it.
 */
#ifndef FZ_PACK_CHAIN_H
#define FZ_PACK_CHAIN_H

#include <stddef.h>

#include "util.h"

typedef struct {
    char *path;        /* the pack as named: a .yaml file or a directory */
    char **files;      /* its YAML files, in name order */
    size_t nfiles;
} fz_layer;

typedef struct {
    fz_layer *v;       /* base first, the pack asked for last */
    size_t n;
} fz_chain;

/* The packs a chain may hold at most. */
#define FZ_CHAIN_MAX 8

/* Resolves the pack at path and what it extends. Problems are appended to
 * *errors as "FILE:LINE:COLUMN: message" lines and counted in *nerrors.
 * Returns 0, or -1 (then the chain is empty; *oom set when memory ran
 * out). */
int fz_chain_resolve(const char *path, fz_chain *c, fz_buf *errors, size_t *nerrors, int *oom);

/* The default pack: rules/ beside the source tree this binary was built
 * in (build/fzcheck or build/asan/fzcheck → rules/), else the installed
 * copy under FZ_DATADIR. Malloc'd; NULL when memory runs out. */
char *fz_chain_default_path(void);

void fz_chain_free(fz_chain *c);

#endif
