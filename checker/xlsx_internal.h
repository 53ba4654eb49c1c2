/*
 * xlsx_internal.h - what the modules of the workbook share (output_xlsx.c
 * writes the workbook and its sheets; output_xlsx_cross.c the sheet
 * 雷同与沿用): the workbook's state, the sheets that continue on numbered
 * parts, the cell formats, and the helpers that write cells and rows.
 * Not for use outside the workbook: the rest of the program sees xlsx.h.
 */
#ifndef FZ_XLSX_INTERNAL_H
#define FZ_XLSX_INTERNAL_H

#include <stdint.h>
#include <stdio.h>
#include <xlsxwriter.h>

#include "xlsx.h"

#define COUNT(a) (sizeof a / sizeof a[0])

enum { F_HEAD, F_TEXT, F_WRAP, F_NUM, F_SCORE, F_BAD_TEXT, F_BAD_NUM, F_BAD_SCORE,
       F_PASS, F_PARTIAL, F_FAIL, F_NA, F_PERCENT, F_DELTA, F_BAD_DELTA, F_COUNT };

/* A column of a sheet: its header, width (in Excel's units, about two a
 * Chinese character) and whether its cells wrap. */
typedef struct column column;

/* A sheet that continues on "名称（2）", "名称（3）" … when it reaches
 * Excel's 1,048,576 rows: its header is repeated on each part. */
typedef struct sheet sheet;
struct sheet {
    const char *name;
    lxw_worksheet *ws;      /* the current part */
    lxw_row_t row;          /* the next row to write on it */
    unsigned part;          /* 1 for the first part; 0 before its header */
    lxw_row_t header_rows;
    lxw_col_t filter_cols;  /* columns of the autofilter, 0 for none */
    int bar;                /* a data bar on 总分 (汇总) */
    lxw_col_t freeze_cols;  /* columns kept in view beside the header */
    lxw_error (*header)(fz_xlsx *x, sheet *s);
};

/* Every worksheet made, for the checks before closing. */
#define MAX_PARTS 4096

struct fz_xlsx {
    const fz_pack *pack;
    const fz_roster *roster;   /* NULL when no roster was given */
    lxw_worksheet *missing;    /* 未提交, with a roster */
    fz_atomic file;
    lxw_workbook *wb;
    sheet summary, matrix, gaps, evidence, cross;
    int with_cross;            /* 雷同与沿用 (--previous or --similar) */
    int paired;                /* some report has last year's beside it */
    lxw_worksheet *rules;
    lxw_chartsheet *chartsheet;
    lxw_format *fmt[F_COUNT];
    lxw_row_t max_rows;        /* rows a sheet holds, header included */
    lxw_worksheet *all[MAX_PARTS];
    size_t nall;
    FILE *spill;        /* each report's gap rows, as they come (spill_gaps) */
    FILE *index;        /* where each report's gaps start in spill */
    uint64_t spilled;   /* bytes written to spill */
    size_t ngaps;       /* gap rows spilled */
    size_t reports;
    char **categories;  /* distinct rule categories, pack order */
    size_t ncategories;
};

struct column {
    const char *title;
    double width;
    int wrap;
};

/* Writes s (NULL as "") as a string cell, never a formula, made fit for a
 * cell (invalid UTF-8, control characters, Excel's 32,767 characters). */
lxw_error fz_xl_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f);

/* Sets a row's height to fit the wrapped texts[c] of its columns (NULL:
 * none); before the row's cells, in constant-memory mode. */
void fz_xl_fit_row(lxw_worksheet *ws, lxw_row_t row, const column *cols, const char *const *texts,
                   size_t n);

/* A header row of n columns, setting their widths. */
lxw_error fz_xl_header_row(fz_xlsx *x, lxw_worksheet *ws, lxw_row_t row, const column *cols, size_t n);

/* The next row of a sheet (*row), going on to a new part when this one is
 * full; its header is written first on each part. */
lxw_error fz_xl_sheet_row(fz_xlsx *x, sheet *s, lxw_row_t *row);

/* Ends the sheet's last part (its header written even with no row). */
lxw_error fz_xl_sheet_close(fz_xlsx *x, sheet *s);

/* A report's unit, or （未写明）. */
const char *fz_xl_unit_label(const fz_summary *s);

/* ---- output_xlsx_cross.c: 雷同与沿用 ---- */

#define FZ_XL_CROSS_COLS 13

/* The sheet's header row. */
lxw_error fz_xl_cross_header(fz_xlsx *x, sheet *s);

/* Its rows: the similar pairs of cross (if any), then every report of ss
 * paired with last year's, most said again first, then last year's
 * reports not paired or unreadable; then the sheet is closed. */
lxw_error fz_xl_write_cross(fz_xlsx *x, fz_sums *ss, const fz_cross *cross);

#endif
