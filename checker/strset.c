/*
 * strset.c - see strset.h.
 */
#include "strset.h"

#include <stdlib.h>
#include <string.h>

static uint32_t hash(const char *s) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot of s: the one holding it, or the empty one it goes in. */
static size_t slot_of(const fz_strset *set, const char *s) {
    size_t mask = set->nslots - 1, i = hash(s) & mask;
    while (set->slots[i] && strcmp(set->keys.ptr + set->slots[i] - 1, s)) i = (i + 1) & mask;
    return i;
}

/* Doubles the table (kept at most half full). */
static int grow(fz_strset *set) {
    size_t n = set->nslots ? 2 * set->nslots : 256;
    uint32_t *old = set->slots;
    size_t nold = set->nslots;
    if (!(set->slots = calloc(n, sizeof *set->slots))) {
        set->slots = old;
        return -1;
    }
    set->nslots = n;
    for (size_t i = 0; i < nold; i++)
        if (old[i]) set->slots[slot_of(set, set->keys.ptr + old[i] - 1)] = old[i];
    free(old);
    return 0;
}

int64_t fz_strset_add(fz_strset *set, const char *s, int *added) {
    if (added) *added = 0;
    if (2 * (set->n + 1) > set->nslots && grow(set) < 0) return -1;
    size_t i = slot_of(set, s);
    if (set->slots[i]) return set->slots[i] - 1;
    size_t at = set->keys.len;
    /* offsets are kept in 32 bits */
    if (at > UINT32_MAX - 4096 || fz_buf_append(&set->keys, s, strlen(s) + 1) < 0) return -1;
    set->slots[i] = (uint32_t)at + 1;
    set->n++;
    if (added) *added = 1;
    return (int64_t)at;
}

int fz_strset_has(const fz_strset *set, const char *s) {
    return set->nslots && set->slots[slot_of(set, s)] != 0;
}

void fz_strset_free(fz_strset *set) {
    fz_buf_free(&set->keys);
    free(set->slots);
    memset(set, 0, sizeof *set);
}
