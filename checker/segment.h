/*
 * segment.h - stage 3: the parts of a report.
 *
 * Takes the normalizer's paragraphs (and owns them from then on) and
 * gives a document: the header fields a 公文 carries (title, issuing unit,
 * report year, 发文字号, 成文日期), the section tree built from the
 * heading forms Chinese reports use, and the sentences.
 *
 * Headings: 一、 / 第一部分 / a standalone 一是… line are level 1 (一是 only
 * when the report has no 一、 headings; otherwise level 3), （一） level 2,
 * 1. 1、 （1） level 3. In a report divided into 第一部分, 第二部分 … the
 * 一、 headings sit one level below the parts (and so on down, to 4). A heading that runs into its body on the same line
 * ends at the first 。. An inline 一是…二是… inside a paragraph is not a
 * heading, and Markdown # levels are not trusted (the normalizer has
 * already removed them).
 */
#ifndef FZ_SEGMENT_H
#define FZ_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#include "normalize.h"

#define FZ_NONE ((size_t)-1)

typedef struct {
    int level;          /* 1..4 */
    char *number;       /* "一", "3" */
    char *marker;       /* the marker as written: "一、", "（一）", "六是" */
    char *title;        /* heading text, up to the first 。 */
    size_t para;        /* paragraph holding the heading */
    size_t end_para;    /* one past the last paragraph of its subtree */
    size_t title_start; /* byte range of the full heading text in that */
    size_t title_end;   /* paragraph (title may be clipped for display) */
    uint32_t line;      /* original line of the heading */
    size_t parent;      /* index of the enclosing section, or FZ_NONE */
} fz_section;

typedef struct {
    size_t para;
    size_t start, end;  /* byte range in the paragraph text */
} fz_sentence;

/* Where a header field was found. */
typedef enum {
    FZ_SRC_NONE, FZ_SRC_ROSTER, FZ_SRC_TITLE, FZ_SRC_BANNER, FZ_SRC_SIGNATURE,
    FZ_SRC_OPENING, FZ_SRC_FILENAME, FZ_SRC_TEXT
} fz_source;

typedef struct {
    fz_norm norm;
    size_t nparas;         /* paragraphs (norm.n; kept when norm is not) */
    fz_section *sections;
    size_t nsections;
    fz_sentence *sentences;
    size_t nsentences;
    size_t *para_section;  /* innermost section of each paragraph, or FZ_NONE */
    size_t *para_sentence; /* index of each paragraph's first sentence */
    size_t header_end;     /* paragraphs [0, header_end) are the front matter */

    char *title;           /* NULL when none was found */
    uint32_t title_line;
    size_t title_end_para; /* the paragraph after the title */
    char *unit;            /* issuing unit, NULL when the report never names it */
    fz_source unit_source; /* where the unit was found */
    char *roster_unit;     /* the roster unit the report was matched to, or NULL */
    char *roster_type;     /* that unit's type in the roster, or NULL */
    int year;              /* report year (the year reported on), 0 if unknown */
    char *doc_number;      /* 发文字号 as written, or NULL */
    char *date;            /* 成文日期 as YYYY-MM-DD, or NULL */
    size_t date_para;      /* the paragraph it stands in (when date is set) */
    const char *format;    /* what the reader read: "txt", "md", "docx", "pdf", "ofd" */
    const char *encoding;  /* "UTF-8", "UTF-8 BOM", "UTF-16LE", "GB18030" … */
    fz_loc loc;            /* how a line is found again (read.h) */
    uint32_t *line_page;   /* FZ_LOC_PAGE: page of each line */
    size_t nlines;
} fz_doc;

/* Where line `line` of the text is, for a person: its page and the line
 * on that page for PDF and OFD (page 0 otherwise, and the line itself). */
void fz_doc_locate(const fz_doc *d, uint32_t line, uint32_t *page, uint32_t *page_line);

/* Segments the paragraphs of *norm into *doc, and finds its header fields
 * (ident.h; `name`, the file's path or NULL, is one place to look). On
 * success the document owns the paragraphs and *norm is emptied. Returns
 * 0, or -1 (out of memory) with *err; then *norm is still the caller's to
 * free. */
int fz_segment(fz_norm *norm, const char *name, fz_doc *doc, char **err);

/* "二、存在的问题" for section s (marker + title), malloc'd. */
char *fz_section_label(const fz_section *s);

/* Convenience: read → normalize → segment a file. */
int fz_doc_load(const char *path, fz_doc *doc, char **err);

/* The same for text in memory (tests). */
int fz_doc_load_memory(const char *text, size_t len, fz_doc *doc, char **err);

void fz_doc_free(fz_doc *doc);

#endif
