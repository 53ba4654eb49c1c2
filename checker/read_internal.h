/*
 * read_internal.h - what the readers of each format share (read.c).
 */
#ifndef FZ_READ_INTERNAL_H
#define FZ_READ_INTERNAL_H

#include "read.h"
#include "util.h"

/* Plain text in any supported encoding; sets format to "txt". */
int fz_read_plain(const char *bytes, size_t n, fz_text *out, char **err);
int fz_read_docx(const char *bytes, size_t n, fz_text *out, char **err);
int fz_read_pdf(const char *bytes, size_t n, fz_text *out, char **err);
int fz_read_ofd(const char *bytes, size_t n, fz_text *out, char **err);

/* Makes out->data from UTF-8 text in b (taking it): checks it is valid,
 * not empty, without NUL bytes, and unifies line ends. */
int fz_text_take(fz_text *out, fz_buf *b, char **err);

/* Appends page numbers for the lines added to b since `from` lines. */
int fz_text_pages(fz_text *out, size_t *cap, const fz_buf *b, uint32_t page);

#endif
