/*
 * normalize.h - stage 2: text for matching, with a map back to the
 * original lines.
 *
 * Takes the reader's fz_text and gives paragraphs. Each paragraph is a run
 * of original lines joined back together where PDF extraction or a
 * conversion hard-wrapped a sentence (even across blank lines and page
 * breaks), cleaned for matching:
 *   - Markdown marks (#, **, __, > and list bullets) and conversion debris
 *     such as [bookmark: …] are removed, as are page-number lines (- 3 -);
 *   - Kangxi radicals and CJK compatibility ideographs, which PDF text
 *     layers often hold instead of the ideographs they look like (⼯作 for
 *     工作), become those ideographs;
 *   - fullwidth ASCII letters and digits become ASCII, ． becomes '.',
 *     ％ '%', and the half-width ( ) become the Chinese （ ） so that both
 *     spellings match alike;
 *   - spaces between CJK characters, and between digits and CJK (2023 年),
 *     are removed; other runs of white space become one space.
 * Every paragraph keeps, for each piece of it, the original line it came
 * from, so that evidence can cite the line a user sees in the file.
 */
#ifndef FZ_NORMALIZE_H
#define FZ_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "read.h"

/* From byte `off` of the paragraph text on, the text comes from original
 * line `line` (1-based). */
typedef struct {
    size_t off;
    uint32_t line;
} fz_piece;

typedef struct {
    char *text;        /* normalized UTF-8, NUL-terminated */
    size_t len;
    fz_piece *pieces;  /* ascending by off; pieces[0].off == 0 */
    size_t npieces;
} fz_para;

typedef struct {
    fz_para *paras;
    size_t n;
    int hard_wrapped;    /* the text looked hard-wrapped (PDF extraction) */
    size_t wrap_width;   /* typical width of a wrapped line, if so */
} fz_norm;

/* Normalizes t into *out. Returns 0 or -1 (out of memory) with *err. */
int fz_normalize(const fz_text *t, fz_norm *out, char **err);

/* Original line of byte `off` of paragraph p. */
uint32_t fz_para_line_at(const fz_para *p, size_t off);

/* Normalizes one line of text the way fz_normalize treats each line
 * (without joining). Used for rule patterns and tests. Returns a malloc'd
 * string or NULL when memory runs out. */
char *fz_normalize_line(const char *s, size_t len);

/* Folds a rule's regular expression the way text is folded, so that a
 * pattern written with fullwidth digits or with （ ） matches the
 * normalized text: fullwidth letters and digits become ASCII, and the
 * literal parentheses （ ） \( \) all become （ ）. Unescaped ( and )
 * stay regex groups. Returns a malloc'd string or NULL (out of memory). */
char *fz_normalize_pattern(const char *pattern);

void fz_norm_free(fz_norm *n);

#endif
