/*
 * strset.h - a set of strings, each kept once.
 *
 * The strings are kept one after another in one arena and found through
 * an open-addressing hash table over it, so that a set of 100,000 names
 * costs their bytes and a few more per name, not an allocation each. Used
 * for the unit labels a batch's ranking sorts by (output.c) and for the
 * file names a directory output has given out (run.c).
 */
#ifndef FZ_STRSET_H
#define FZ_STRSET_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct {
    fz_buf keys;       /* the strings, each NUL-terminated */
    uint32_t *slots;   /* hash table: offset in keys + 1, 0 for empty */
    size_t nslots, n;
} fz_strset;

/* The offset of s in set->keys.ptr, s being added when new (*added is
 * then 1, when added is not NULL). Returns -1 when memory runs out. */
int64_t fz_strset_add(fz_strset *set, const char *s, int *added);

/* Whether s is in the set. */
int fz_strset_has(const fz_strset *set, const char *s);

void fz_strset_free(fz_strset *set);

#endif
