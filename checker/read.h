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
 *   .docx .docm  body paragraphs, table cells and text boxes in reading
 *              order, Word's automatic numbering written out (一、 （一）
 *              1.); no headers, footers or footnotes (read_docx.c)
 *   .pdf       the text layer, page by page, in reading order, with text
 *              typed on (FreeText) and text form fields after each page's
 *              own; running headers and page numbers removed; garbled text
 *              layers refused (read_pdf.c)
 *   .ofd       GB/T 33190 documents (every DocBody of the package), page
 *              by page, template pages and composite graphic units
 *              included, unreadable pages left out (read_ofd.c)
 *
 * The extension says what a file should be; its first bytes say what it
 * is, and win: a Word file saved as .doc, a PDF named .txt are read as
 * what they are. Old binary Word/WPS files and RTF are refused with what
 * to do.
 *
 * A file that cannot be read gives a Chinese message saying why (and what
 * to do); nothing is ever read past FZ_READ_MAX_BYTES or inflated past the
 * caps in zipxml.h.
 */
#ifndef FZ_READ_H
#define FZ_READ_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

/* Files larger than this are refused rather than read into memory; the
 * environment variable FZCHECK_MAX_MB sets another limit. */
#define FZ_READ_MAX_BYTES ((size_t)50 * 1024 * 1024)

/* Reads the file at path. Returns 0, or -1 with a Chinese message. */
int fz_read_file(const char *path, fz_text *out, char **err);

/* Reads bytes already in memory; `name` (its extension) says what the
 * file should be, its first bytes what it is (plain text when name is
 * NULL). */
int fz_read_memory(const char *bytes, size_t n, const char *name, fz_text *out, char **err);

/* True when the path names a file a folder search should take: the
 * formats read, and old .doc/.wps files, so that those are reported
 * rather than silently left out. */
int fz_read_supported(const char *path);

/* The size limit in force (FZCHECK_MAX_MB or FZ_READ_MAX_BYTES). */
size_t fz_read_max_bytes(void);

#endif
