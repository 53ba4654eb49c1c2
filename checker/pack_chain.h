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
#include <yaml.h>

#include "util.h"

/* A file of the chain as fz_yr_load read it. Finding what a pack extends
 * means parsing its files; the loader takes these trees rather than
 * parsing every file again (a third of loading the default pack). */
typedef struct {
    int ok;               /* it loaded: doc holds its tree */
    yaml_document_t doc;
    fz_buf errors;        /* fz_yr_load's messages about it, for the loader */
    size_t nerrors;
} fz_chain_file;

typedef struct {
    char *path;        /* the pack as named: a .yaml file or a directory */
    char **files;      /* its YAML files, in name order */
    fz_chain_file *read; /* each file as read (NULL until read; the loader may take them) */
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

/* Frees what a fz_chain_file still holds (a taken one holds nothing). */
void fz_chain_file_free(fz_chain_file *f);

void fz_chain_free(fz_chain *c);

#endif
