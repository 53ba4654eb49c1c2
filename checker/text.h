/*
 * text.h - the text a reader builds: valid UTF-8 lines and the way back
 * from a line to a place in the original file.
 *
 * Every reader (read_plain.c, read_docx.c, read_pdf.c, read_ofd.c) fills
 * an fz_text through these helpers, and read.c hands it on to the
 * normalizer. This module sits below the readers so that they never need
 * the dispatcher that calls them: includes point one way, read.c → the
 * readers → text.h.
 */
#ifndef FZ_TEXT_H
#define FZ_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* How a line of the text is found again in the original. */
typedef enum {
    FZ_LOC_LINE,       /* line N of the file */
    FZ_LOC_PARAGRAPH,  /* paragraph N of a Word document */
    FZ_LOC_PAGE        /* line_page[N] gives the page of line N */
} fz_loc;

typedef struct {
    char *data;           /* NUL-terminated UTF-8 */
    size_t len;           /* bytes, without the terminating NUL */
    const char *format;   /* "txt", "md", "docx", "pdf", "ofd" (static) */
    const char *encoding; /* "UTF-8", "UTF-8 BOM", "UTF-16LE", "GB18030" … (static) */
    fz_loc loc;
    uint32_t *line_page;  /* FZ_LOC_PAGE: page of each line (index line-1) */
    size_t nlines;        /* entries in line_page */
} fz_text;

/* Makes out->data from UTF-8 text in b (taking it, and freeing it on
 * failure): checks that it is valid UTF-8, not empty and without NUL
 * bytes, and turns CRLF and CR into LF. Returns 0, or -1 with a Chinese
 * message. */
int fz_text_take(fz_text *out, fz_buf *b, char **err);

/* fz_text_take for text the caller has already found valid UTF-8 without
 * NUL bytes (so that a long report is not read through twice). */
int fz_text_take_valid(fz_text *out, fz_buf *b, char **err);

/* Records that the lines of b not yet counted (all lines up to its end)
 * are on `page`; *cap is the capacity of out->line_page. Returns 0 or -1
 * (out of memory). */
int fz_text_pages(fz_text *out, size_t *cap, const fz_buf *b, uint32_t page);

/* True when s[0..n) holds nothing but white space (ASCII and U+3000). */
int fz_text_blank(const char *s, size_t n);

void fz_text_free(fz_text *t);

#endif
