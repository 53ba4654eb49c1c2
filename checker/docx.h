/*
 * docx.h - the Word reader's walk over a document body, shared by the
 * reader (read_docx.c) and the annotated copy (output_docx.c).
 *
 * A comment must land on the w:p that an evidence's line came from, and
 * a line is a line of the text the reader made: body paragraphs, table
 * cells and text boxes in its order, automatic numbering written out,
 * altChunk pages read in place. There is one definition of that order,
 * here: the walk that makes the text also tells, for each w:p it reads,
 * which lines of the text are that paragraph's own. Anything that needs
 * the way back from a line to the XML asks this walk, never a second
 * one that could disagree.
 */
#ifndef FZ_DOCX_H
#define FZ_DOCX_H

#include <libxml/tree.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "zipxml.h"

/* Called for each w:p the walk reads, in reading order: lines
 * [first, first + n) of the text (1-based, counted as fz_text_take counts
 * them: LF, CRLF or a lone CR end a line) are its own text, n >= 1. The
 * paragraphs of a text box come right after the paragraph it is anchored
 * in, with lines of their own. Lines an altChunk page gives belong to no
 * w:p. */
typedef void (*fz_docx_para_fn)(void *ctx, xmlNodePtr p, uint32_t first, uint32_t n);

/* The entry path of the package's main part: what its relationships name
 * (Word Online writes word/document2.xml), else word/document.xml when
 * the archive has it; NULL when there is none or memory runs out. */
char *fz_docx_main_part(fz_zip *z);

/* The target of the first relationship `part` declares (in its .rels
 * part; "" for the package) of the type whose last path segment is
 * `type`, or with the Id `id` when type is NULL, resolved to an entry
 * path; NULL when there is none. External targets are not taken. */
char *fz_docx_related(fz_zip *z, const char *part, const char *type, const char *id);

/* The text of `body`, the parsed main part `main` of z, as the reader
 * reads it (before fz_text_take), appended to *out; fn (when not NULL)
 * is told which w:p each line comes from. Returns 0, or -1 with *err:
 * memory ran out, or the body holds an altChunk that cannot be read. */
int fz_docx_body_text(fz_zip *z, const char *main, xmlDocPtr body, fz_buf *out,
                      fz_docx_para_fn fn, void *ctx, char **err);

#endif
