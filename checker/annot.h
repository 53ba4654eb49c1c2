/*
 * annot.h - what the annotated copy says, and where (output.h,
 * fz_annotate): the comments planned from a checked report, apart from
 * how a Word file carries them (output_docx.c).
 *
 * One comment per partial or failed result, and a summary first:
 *   - a result with evidence sits on the paragraph of its first evidence;
 *   - a result without (an element missing altogether) sits where the
 *     element belongs (fz_note_home below): the heading of the section
 *     that plays the element's part, else of the part it should follow,
 *     else the title;
 *   - the summary (得分、等级、必备要素缺项, the pack's name and version)
 *     sits on the title, or the first paragraph when none was found.
 * A comment's text is its paragraphs separated by '\n': the result's
 * message, then 建议：and the suggestion.
 */
#ifndef FZ_ANNOT_H
#define FZ_ANNOT_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

typedef struct {
    uint32_t line;  /* the line of the extracted text it sits on (a .docx
                     * paragraph number, see docx.h); 0 when unknown */
    size_t para;    /* the paragraph of doc.norm it sits on */
    char *text;     /* paragraphs separated by '\n' */
} fz_note;

typedef struct {
    fz_note *v;     /* v[0] is the summary */
    size_t n;
} fz_notes;

/* Plans the comments of report r (read, checked and scored, with its
 * paragraphs). Returns 0, or -1 when memory runs out (*err set). */
int fz_notes_plan(const fz_pack *pack, const fz_report *r, fz_notes *out, char **err);

/* Where result `i`'s element belongs when the report shows none of it:
 *
 * The element's part is its rule's role: the role a section or year
 * check names, else the first role of the scope it looks in (a scope of
 * roles; or, for a scope made of the document less some roles, such as
 * the default pack's body, the first role not taken out), the first
 * sub-check's that has one for any/all. The parts' order is the order in
 * which the pack's rules name them (the default pack: achievements,
 * first-responsible, problems, plan, the order the regulations list them
 * in), roles no rule names last.
 *
 * Returns the section that plays the element's part (the first one);
 * else the top-level section holding the last section (in the report's
 * order) that plays a part coming before it, the part it should follow;
 * else FZ_NONE (the title takes it: so do elements of no part, the header
 * fields and the like). */
size_t fz_note_home(const fz_pack *pack, const fz_report *r, size_t i);

void fz_notes_free(fz_notes *n);

#endif
