/*
 * read_formats.h - one reader per file format, each turning the bytes of
 * a file into an fz_text (text.h). read.c chooses among them; each is
 * defined in its own file.
 *
 * Every reader returns 0, or -1 with a Chinese message in *err saying
 * what is wrong with the file and what to do. None reads past the bytes
 * it is given or inflates past the caps in zipxml.h.
 */
#ifndef FZ_READ_FORMATS_H
#define FZ_READ_FORMATS_H

#include <stddef.h>

#include "text.h"

/* read_plain.c: UTF-8 (with or without BOM), UTF-16 with BOM, else
 * GB18030 (a superset of GBK and GB2312). Sets format to "txt". */
int fz_read_plain(const char *bytes, size_t n, fz_text *out, char **err);

/* read_docx.c: Word 2007+ documents (.docx, .docm): body paragraphs,
 * tables and text boxes in reading order, automatic numbering written
 * out. */
int fz_read_docx(const char *bytes, size_t n, fz_text *out, char **err);

/* read_pdf.c: the text layer of a PDF, page by page. */
int fz_read_pdf(const char *bytes, size_t n, fz_text *out, char **err);

/* read_ofd.c: GB/T 33190 OFD documents, page by page, with template pages
 * and composite graphic units. */
int fz_read_ofd(const char *bytes, size_t n, fz_text *out, char **err);

#endif
