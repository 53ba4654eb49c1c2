/*
 * textkey.h - text as compared across reports: a sentence copied with its
 * figures changed, its punctuation or spacing altered, or re-wrapped,
 * compares equal. Used by the fingerprints of last year's reports and of
 * a batch (previous.h, similar.h) and by the followup of promises
 * (promise.h).
 */
#ifndef FZ_TEXTKEY_H
#define FZ_TEXTKEY_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* A text's form for comparison: figures (ASCII and Chinese digits, %, .),
 * punctuation and spaces dropped, appended to out. Returns the characters
 * kept, or -1 when memory runs out. */
long fz_key_of(const char *s, size_t n, fz_buf *out);

/* 64-bit FNV-1a of n bytes. */
uint64_t fz_key_hash(const char *s, size_t n);

#endif
