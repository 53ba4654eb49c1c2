/*
 * read.h - stage 1 of the pipeline: a file on disk becomes UTF-8 text.
 *
 * This is the one place that turns a file into text. It gives an fz_text:
 * valid UTF-8 without a BOM, lines ended by '\n' only, no NUL bytes, and a
 * way back to a place a user can find: the line of a text file, the
 * paragraph of a Word file, the page (and line on it) of a PDF or OFD.
 *
 *   .txt .md   UTF-8 (with or without BOM), UTF-16LE/BE with BOM, and
 *              GB18030 (which covers GBK and GB2312) when not UTF-8
 *   .docx      body paragraphs and table cells in order, Word's automatic
 *              numbering written out (一、 （一） 1.); no headers, footers
 *              or footnotes (read_docx.c)
 *   .pdf       the text layer, page by page, in reading order; running
 *              headers and page numbers removed (read_pdf.c)
 *   .ofd       GB/T 33190 documents, page by page (read_ofd.c)
 *
 * A file that cannot be read gives a Chinese message saying why (and what
 * to do); nothing is ever read past FZ_READ_MAX_BYTES or inflated past the
 * caps in zipxml.h.
 */
#ifndef FZ_READ_H
#define FZ_READ_H

#include <stddef.h>
#include <stdint.h>

/* Files larger than this are refused rather than read into memory; the
 * environment variable FZCHECK_MAX_MB sets another limit. */
#define FZ_READ_MAX_BYTES ((size_t)50 * 1024 * 1024)

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

/* Reads the file at path. Returns 0, or -1 with a Chinese message. */
int fz_read_file(const char *path, fz_text *out, char **err);

/* Reads bytes already in memory; the format comes from `name`'s extension
 * (plain text when name is NULL or has another one). */
int fz_read_memory(const char *bytes, size_t n, const char *name, fz_text *out, char **err);

/* True when the path names a file type the reader accepts. */
int fz_read_supported(const char *path);

/* The size limit in force (FZCHECK_MAX_MB or FZ_READ_MAX_BYTES). */
size_t fz_read_max_bytes(void);

void fz_text_free(fz_text *t);

#endif
