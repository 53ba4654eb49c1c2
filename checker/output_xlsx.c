/*
 * output_xlsx.c - the scorecard workbook (see xlsx.h; its sheet 雷同与沿用
 * is output_xlsx_cross.c, what they share xlsx_internal.h).
 */
#define _XOPEN_SOURCE 700 /* mkstemp, fdopen */
#include "xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "atomic.h"
#include "utf8.h"
#include "util.h"
#include "xlsx_internal.h"

/* Excel's limit on the characters of a cell. */
#define CELL_MAX_CHARS 32767


/* libxlsxwriter prints its own English "[ERROR]" and "[WARNING]" lines on
 * stderr; every error it returns is reported in Chinese by us instead.
 * So stderr points to /dev/null while it works (except under
 * AddressSanitizer, whose reports must be seen). */
static int quiet_begin(void) {
    if (FZ_ASAN) return -1;
    fflush(stderr);
    int saved = dup(2);
    int null = open("/dev/null", O_WRONLY);
    if (saved >= 0 && null >= 0) dup2(null, 2);
    if (null >= 0) close(null);
    return saved;
}

static void quiet_end(int saved) {
    if (saved < 0) return;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
}

/* ---- cells -------------------------------------------------------------- */

/* A copy of s fit for a cell: invalid UTF-8 (file names come from the
 * file system), U+FFFE/U+FFFF and control characters other than tab and
 * newline become U+FFFD or are dropped, since XML cannot hold them; and
 * text over Excel's limit of 32767 UTF-16 units is cut with an ellipsis. */
static char *cell_text(const char *s) {
    fz_buf b = {0};
    size_t len = strlen(s), units = 0;
    int bad = 0;
    for (size_t i = 0; i < len && !bad;) {
        uint32_t cp;
        int n = fz_utf8_decode(s + i, len - i, &cp);
        const char *piece = s + i;
        size_t plen = n < 0 ? 1 : (size_t)n;
        i += plen;
        if (n < 0 || cp == 0xFFFE || cp == 0xFFFF) {
            piece = "\xEF\xBF\xBD";
            plen = 3;
            cp = 0xFFFD;
        } else if (cp < 0x20 && cp != '\t' && cp != '\n') {
            continue;
        }
        size_t u = cp >= 0x10000 ? 2 : 1;
        if (units + u > CELL_MAX_CHARS - 1) {
            bad |= fz_buf_puts(&b, "…") < 0;
            break;
        }
        units += u;
        bad |= fz_buf_append(&b, piece, plen) < 0;
    }
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

/* True when cell_text would return s unchanged, as it does for nearly
 * every text: valid UTF-8 with no character it drops or replaces, and at
 * most CELL_MAX_CHARS - 1 bytes (a UTF-16 unit takes at least one byte,
 * so then it is not cut). */
static int cell_clean(const char *s) {
    size_t len = strlen(s);
    if (len > CELL_MAX_CHARS - 1) return 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int n = fz_utf8_decode(s + i, len - i, &cp);
        if (n < 0 || cp == 0xFFFE || cp == 0xFFFF || (cp < 0x20 && cp != '\t' && cp != '\n'))
            return 0;
        i += (size_t)n;
    }
    return 1;
}

/* Writes text as a string cell (never a formula, whatever it starts
 * with), made fit by cell_text. A clean text (cell_clean) is passed as
 * it is: copying every cell's text was a tenth of the parent's work. */
lxw_error fz_xl_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                          lxw_format *f) {
    if (!s) s = "";
    if (cell_clean(s)) return worksheet_write_string(ws, r, c, s, f);
    char *t = cell_text(s);
    if (!t) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = worksheet_write_string(ws, r, c, t, f);
    free(t);
    return e;
}

static lxw_format *make_format(lxw_workbook *wb, int bold, int wrap, const char *num,
                               lxw_color_t bg, int center) {
    lxw_format *f = workbook_add_format(wb);
    if (!f) return NULL;
    format_set_font_name(f, "宋体");
    format_set_font_size(f, 11);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (center) format_set_align(f, LXW_ALIGN_CENTER);
    if (bold) format_set_bold(f);
    if (wrap) format_set_text_wrap(f);
    if (num) format_set_num_format(f, num);
    if (bg) format_set_bg_color(f, bg);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_border_color(f, 0xBFBFBF);
    return f;
}

static int make_formats(fz_xlsx *x) {
    lxw_workbook *wb = x->wb;
    x->fmt[F_HEAD] = make_format(wb, 1, 1, NULL, 0xDDEBF7, 1);
    x->fmt[F_TEXT] = make_format(wb, 0, 0, NULL, 0, 0);
    x->fmt[F_WRAP] = make_format(wb, 0, 1, NULL, 0, 0);
    x->fmt[F_NUM] = make_format(wb, 0, 0, "0", 0, 1);
    x->fmt[F_SCORE] = make_format(wb, 0, 0, "0.0", 0, 1);
    x->fmt[F_BAD_TEXT] = make_format(wb, 0, 0, NULL, 0xFCE4E4, 0);
    x->fmt[F_BAD_NUM] = make_format(wb, 0, 0, "0", 0xFCE4E4, 1);
    x->fmt[F_BAD_SCORE] = make_format(wb, 0, 0, "0.0", 0xFCE4E4, 1);
    x->fmt[F_PASS] = make_format(wb, 0, 0, NULL, 0xC6EFCE, 1);
    x->fmt[F_PARTIAL] = make_format(wb, 0, 0, NULL, 0xFFEB9C, 1);
    x->fmt[F_FAIL] = make_format(wb, 0, 0, NULL, 0xFFC7CE, 1);
    x->fmt[F_NA] = make_format(wb, 0, 0, NULL, 0xD9D9D9, 1);
    x->fmt[F_PERCENT] = make_format(wb, 0, 0, "0%", 0, 1);
    x->fmt[F_DELTA] = make_format(wb, 0, 0, "+0.0;-0.0;0.0", 0, 1);
    x->fmt[F_BAD_DELTA] = make_format(wb, 0, 0, "+0.0;-0.0;0.0", 0xFCE4E4, 1);
    for (int i = 0; i < F_COUNT; i++)
        if (!x->fmt[i]) return -1;
    return 0;
}

/* A4 landscape, one page wide, the header row(s) on every page, the sheet
 * name above and the page number below. */
static void page_setup(lxw_worksheet *ws, lxw_row_t header_rows) {
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 0, header_rows - 1);
    worksheet_set_header(ws, "&C&A");
    worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
    worksheet_set_margins(ws, 0.5, 0.5, 0.75, 0.75);
}


/* Sets a row's height to fit its wrapped texts (Excel does not grow rows
 * written by a library): about 2 width units per Chinese character, 15
 * points per line, at most Excel's 409. Must come before the row's cells
 * in constant-memory mode.
 *
 * Measuring was a tenth of the workbook's own work, so a text is measured
 * only when it could make the row taller: its width is at most its length
 * in bytes (a character is 1 or 2 units wide and takes 1 to 4 bytes, a
 * wide one 3 or 4), so one whose byte length fits in the lines found
 * already is skipped. The widest columns (the quotes, the messages) are
 * on the right: they are taken first, so that the others mostly are. */
void fz_xl_fit_row(lxw_worksheet *ws, lxw_row_t row, const column *cols, const char *const *texts,
                    size_t n) {
    size_t lines = 1;
    for (size_t c = n; c-- > 0;) {
        if (!cols[c].wrap || !texts[c]) continue;
        size_t per_line = cols[c].width > 2 ? (size_t)cols[c].width - 1 : 1;
        size_t len = strlen(texts[c]);
        const char *nl = memchr(texts[c], '\n', len);
        if (!nl && (len + per_line - 1) / per_line <= lines) continue;
        /* each line of a text with line breaks wraps on its own */
        size_t l = 0;
        for (const char *t = texts[c], *end = t + len; t <= end;) {
            const char *stop = memchr(t, '\n', (size_t)(end - t));
            size_t seg = stop ? (size_t)(stop - t) : (size_t)(end - t), w = fz_utf8_width(t, seg);
            l += w ? (w + per_line - 1) / per_line : 1;
            if (!stop) break;
            t = stop + 1;
        }
        if (l > lines) lines = l;
    }
    double h = 15.0 * (double)lines + 3;
    worksheet_set_row(ws, row, h > 409 ? 409 : h, NULL);
}

lxw_error fz_xl_header_row(fz_xlsx *x, lxw_worksheet *ws, lxw_row_t row, const column *cols,
                            size_t n) {
    lxw_error e = LXW_NO_ERROR;
    for (size_t c = 0; c < n && !e; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width,
                             cols[c].wrap ? x->fmt[F_WRAP] : NULL);
        e = fz_xl_text(ws, row, (lxw_col_t)c, cols[c].title, x->fmt[F_HEAD]);
    }
    worksheet_set_row(ws, row, 30, NULL);
    return e;
}

const char *fz_xl_unit_label(const fz_summary *s) {
    return s->unit ? s->unit : "（未写明）";
}

/* ---- sheets that continue ----------------------------------------------- */

/* Rows a sheet may hold: Excel's limit, or FZCHECK_XLSX_ROWS (for tests,
 * so that a continuation can be seen without a million rows). */
static lxw_row_t max_rows(void) {
    const char *v = getenv("FZCHECK_XLSX_ROWS");
    long n = v && *v ? strtol(v, NULL, 10) : 0;
    return n >= 4 && n < (long)LXW_ROW_MAX ? (lxw_row_t)n : LXW_ROW_MAX;
}

static lxw_worksheet *add_sheet(fz_xlsx *x, const char *name) {
    if (x->nall == MAX_PARTS) return NULL;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (ws) x->all[x->nall++] = ws;
    return ws;
}

/* The name of part k of a sheet: "证据", "证据（2）" … */
static char *part_name(const char *name, unsigned k) {
    fz_buf b = {0};
    if ((k > 1 ? fz_buf_printf(&b, "%s（%u）", name, k) : fz_buf_puts(&b, name)) < 0) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

/* Ends the current part: panes, filter, bar and page set on its rows. */
static lxw_error sheet_end(fz_xlsx *x, sheet *s) {
    (void)x;
    lxw_error e = LXW_NO_ERROR;
    if (!s->part) return e;
    worksheet_freeze_panes(s->ws, s->header_rows, s->freeze_cols);
    lxw_row_t last = s->row > s->header_rows ? s->row - 1 : s->header_rows;
    if (s->filter_cols) worksheet_autofilter(s->ws, s->header_rows - 1, 0, last, s->filter_cols - 1);
    if (s->bar && s->row > s->header_rows) {
        lxw_conditional_format bar = {.type = LXW_CONDITIONAL_DATA_BAR, .bar_color = 0x63BE7B};
        e = worksheet_conditional_format_range(s->ws, s->header_rows, 4, last, 4, &bar);
    }
    page_setup(s->ws, s->header_rows);
    return e;
}

/* The next row of a sheet, going on to a new part when this one is full.
 * Returns the error of writing a header. */
lxw_error fz_xl_sheet_row(fz_xlsx *x, sheet *s, lxw_row_t *row) {
    lxw_error e = LXW_NO_ERROR;
    if (s->part && s->row < x->max_rows) {
        *row = s->row++;
        return e;
    }
    if (s->part) {
        if ((e = sheet_end(x, s))) return e;
        char *name = part_name(s->name, s->part + 1);
        s->ws = name ? add_sheet(x, name) : NULL;
        free(name);
        if (!s->ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    }
    s->part++;
    if ((e = s->header(x, s))) return e;
    s->row = s->header_rows;
    *row = s->row++;
    return e;
}

/* Ends the last part (its header written even when no row was). */
lxw_error fz_xl_sheet_close(fz_xlsx *x, sheet *s) {
    lxw_error e = LXW_NO_ERROR;
    if (!s->part) {
        s->part = 1;
        if ((e = s->header(x, s))) return e;
        s->row = s->header_rows;
    }
    return sheet_end(x, s);
}

/* The parts a sheet of `rows` data rows takes. */
static size_t parts_for(const fz_xlsx *x, const sheet *s, size_t rows) {
    size_t per = x->max_rows - s->header_rows;
    return rows ? (rows + per - 1) / per : 1;
}

/* ---- opening ------------------------------------------------------------ */

static const column summary_head[] = {
    {"排名", 6, 0}, {"单位", 30, 1}, {"年度", 7, 0}, {"文件", 40, 0}, {"总分", 8, 0},
    {"等级", 8, 0}, {"必备要素缺失数", 10, 0}};
static const column summary_tail[] = {{"单位类型", 12, 0}, {"发文字号", 18, 0}, {"成文日期", 12, 0},
                                      {"备注", 40, 1}};
static const column missing_head[] = {{"序号", 6, 0}, {"单位名称", 36, 1}, {"单位类型", 14, 0},
                                      {"别名", 36, 1}};
static const column gaps_head[] = {
    {"单位", 24, 1}, {"文件", 30, 0}, {"规则", 22, 1}, {"类别", 14, 1}, {"严重程度", 9, 0},
    {"状态", 9, 0}, {"问题说明", 40, 1}, {"整改建议", 50, 1}, {"依据", 36, 1}, {"位置", 14, 1}};
static const column evidence_head[] = {
    {"单位", 24, 1}, {"规则", 22, 1}, {"状态", 9, 0}, {"行号", 7, 0}, {"章节", 30, 1},
    {"原文摘录", 70, 1}};
static const column rules_head[] = {
    {"id", 22, 0}, {"标题", 24, 1}, {"类别", 14, 1}, {"严重程度", 9, 0}, {"分值", 7, 0},
    {"依据", 50, 1}, {"说明", 60, 1}, {"来源", 30, 1}};


static const column summary_previous[] = {{"上年得分", 8, 0}, {"变化", 8, 0}};

static lxw_error summary_header(fz_xlsx *x, sheet *s) {
    size_t nprev = x->paired ? COUNT(summary_previous) : 0;
    size_t ncols = COUNT(summary_head) + nprev + x->ncategories + COUNT(summary_tail);
    column *cols = calloc(ncols, sizeof *cols);
    if (!cols) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    size_t c = 0;
    for (size_t i = 0; i < COUNT(summary_head); i++) cols[c++] = summary_head[i];
    for (size_t i = 0; i < nprev; i++) cols[c++] = summary_previous[i];
    for (size_t i = 0; i < x->ncategories; i++) cols[c++] = (column){x->categories[i], 12, 1};
    for (size_t i = 0; i < COUNT(summary_tail); i++) cols[c++] = summary_tail[i];
    lxw_error e = fz_xl_header_row(x, s->ws, 0, cols, ncols);
    free(cols);
    s->filter_cols = (lxw_col_t)ncols;
    return e;
}

static lxw_error gaps_header(fz_xlsx *x, sheet *s) {
    return fz_xl_header_row(x, s->ws, 0, gaps_head, COUNT(gaps_head));
}

static lxw_error evidence_header(fz_xlsx *x, sheet *s) {
    return fz_xl_header_row(x, s->ws, 0, evidence_head, COUNT(evidence_head));
}

/* Two rows of headers: the rule's title, then its id and 得分. */
static lxw_error matrix_header(fz_xlsx *x, sheet *s) {
    lxw_worksheet *ws = s->ws;
    const fz_pack *p = x->pack;
    worksheet_set_column(ws, 0, 0, 24, x->fmt[F_WRAP]);
    worksheet_set_column(ws, 1, 1, 36, NULL);
    lxw_error e = fz_xl_text(ws, 0, 0, "单位", x->fmt[F_HEAD]);
    if (!e) e = fz_xl_text(ws, 0, 1, "文件", x->fmt[F_HEAD]);
    for (size_t r = 0; r < p->nrules && !e; r++) {
        lxw_col_t c = (lxw_col_t)(2 + 2 * r);
        worksheet_set_column(ws, c, c, 12, NULL);
        worksheet_set_column(ws, c + 1, c + 1, 6, NULL);
        e = fz_xl_text(ws, 0, c, p->rules[r].title, x->fmt[F_HEAD]);
        if (!e) e = fz_xl_text(ws, 0, c + 1, "", x->fmt[F_HEAD]);
    }
    lxw_col_t note = (lxw_col_t)(2 + 2 * p->nrules);
    worksheet_set_column(ws, note, note, 40, x->fmt[F_WRAP]);
    if (!e) e = fz_xl_text(ws, 0, note, "备注", x->fmt[F_HEAD]);
    worksheet_set_row(ws, 0, 45, NULL);
    worksheet_set_row(ws, 1, 30, NULL);
    if (!e) e = fz_xl_text(ws, 1, 0, "", x->fmt[F_HEAD]);
    if (!e) e = fz_xl_text(ws, 1, 1, "", x->fmt[F_HEAD]);
    for (size_t r = 0; r < p->nrules && !e; r++) {
        lxw_col_t c = (lxw_col_t)(2 + 2 * r);
        e = fz_xl_text(ws, 1, c, p->rules[r].id, x->fmt[F_HEAD]);
        if (!e) e = fz_xl_text(ws, 1, c + 1, "得分", x->fmt[F_HEAD]);
    }
    if (!e) e = fz_xl_text(ws, 1, note, "", x->fmt[F_HEAD]);
    return e;
}

/* The sheets in the order a user reads them; each continues on its own
 * numbered parts, which libxlsxwriter can only add after the others. */
static int add_sheets(fz_xlsx *x) {
    x->summary = (sheet){.name = "汇总", .header_rows = 1, .bar = 1, .header = summary_header};
    x->matrix = (sheet){.name = "要素矩阵", .header_rows = 2, .freeze_cols = 1, .header = matrix_header};
    x->gaps = (sheet){.name = "问题清单", .header_rows = 1, .filter_cols = COUNT(gaps_head),
                      .header = gaps_header};
    x->evidence = (sheet){.name = "证据", .header_rows = 1, .header = evidence_header};
    x->cross = (sheet){.name = "雷同与沿用", .header_rows = 1, .filter_cols = FZ_XL_CROSS_COLS,
                       .header = fz_xl_cross_header};
    x->summary.ws = add_sheet(x, "汇总");
    if (x->roster && !(x->missing = add_sheet(x, "未提交"))) return -1;
    x->matrix.ws = add_sheet(x, "要素矩阵");
    x->gaps.ws = add_sheet(x, "问题清单");
    if (x->with_cross && !(x->cross.ws = add_sheet(x, "雷同与沿用"))) return -1;
    x->evidence.ws = add_sheet(x, "证据");
    x->rules = add_sheet(x, "规则说明");
    x->chartsheet = workbook_add_chartsheet(x->wb, "图表");
    return x->summary.ws && x->matrix.ws && x->gaps.ws && x->evidence.ws && x->rules &&
                   x->chartsheet
               ? 0
               : -1;
}

static int collect_categories(fz_xlsx *x) {
    const fz_pack *p = x->pack;
    x->categories = calloc(p->nrules ? p->nrules : 1, sizeof *x->categories);
    if (!x->categories) return -1;
    for (size_t i = 0; i < p->nrules; i++) {
        size_t j = 0;
        while (j < x->ncategories && strcmp(x->categories[j], p->rules[i].category)) j++;
        if (j == x->ncategories) x->categories[x->ncategories++] = p->rules[i].category;
    }
    return 0;
}

/* The directory of a path, for libxlsxwriter's temporary files (beside
 * the output rather than in a /tmp that may live in memory). */
static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return fz_strdup(".");
    if (slash == path) return fz_strdup("/");
    return fz_strndup(path, (size_t)(slash - path));
}

static const char *lxw_message(lxw_error e) {
    switch (e) {
    case LXW_ERROR_MEMORY_MALLOC_FAILED: return FZ_ENOMEM;
    case LXW_ERROR_CREATING_XLSX_FILE: return "无法创建文件（目录不存在或没有写入权限）";
    case LXW_ERROR_CREATING_TMPFILE: return "无法写入临时文件（磁盘空间不足或没有写入权限）";
    case LXW_ERROR_READING_TMPFILE: return "无法读取临时文件";
    case LXW_ERROR_ZIP_FILE_OPERATION: case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE: case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD: case LXW_ERROR_ZIP_CLOSE:
        return "写入压缩文件时出错（多为磁盘空间不足）";
    case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE: return "行数超出 Excel 的上限";
    default: return lxw_strerror(e);
    }
}

/* libxlsxwriter, in constant-memory mode, writes rows to temporary files
 * without checking those writes: a full disk would give a workbook with
 * rows missing and no error. So flush and check them before closing. */
static lxw_error check_row_files(fz_xlsx *x, unsigned long long *bytes) {
    *bytes = 0;
    for (size_t i = 0; i < x->nall; i++) {
        FILE *f = x->all[i]->optimize_tmpfile;
        if (!f) continue;
        if (fflush(f) != 0 || ferror(f)) return LXW_ERROR_CREATING_TMPFILE;
        long at = ftell(f);
        if (at > 0) *bytes += (unsigned long long)at;
    }
    if ((x->spill && ferror(x->spill)) || (x->index && ferror(x->index)))
        return LXW_ERROR_CREATING_TMPFILE;
    return LXW_NO_ERROR;
}

/* Closing copies the rows into each sheet's XML (another temporary file)
 * and then into the zip, again without checking the writes. So make sure
 * the disk can hold that before starting: the rows once more as XML, and
 * the zip. */
static int enough_space(const char *target, unsigned long long rows, char **err) {
    char *dir = dir_of(target);
    struct statvfs fs;
    int ok = dir && statvfs(dir, &fs) == 0;
    free(dir);
    if (!ok) return 1; /* cannot tell: let the writes speak */
    unsigned long long free_bytes = (unsigned long long)fs.f_bavail * fs.f_frsize;
    unsigned long long need = 2 * rows + (1u << 20);
    if (free_bytes >= need) return 1;
    fz_fail(err, "磁盘空间不足：写出评分表约需 %.1f MB，目标所在磁盘只剩 %.1f MB",
            (double)need / 1048576.0, (double)free_bytes / 1048576.0);
    return 0;
}

/* A temporary file of the gap rows ("gaps", "index"), beside the target
 * like libxlsxwriter's (rather than in a /tmp that may be small,
 * read-only or in memory); unlinked at once, so nothing is left behind. */
static FILE *spill_file(const char *target, const char *what) {
    fz_buf name = {0};
    if (fz_buf_printf(&name, "%s.%s-XXXXXX", target, what) < 0) {
        fz_buf_free(&name);
        errno = ENOMEM;
        return NULL;
    }
    int fd = mkstemp(name.ptr);
    if (fd >= 0) unlink(name.ptr);
    fz_buf_free(&name);
    FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
    if (fd >= 0 && !f) close(fd);
    return f;
}

static fz_xlsx *xlsx_open(const char *path, const fz_pack *pack, const fz_roster *roster,
                          int cross, char **err);

fz_xlsx *fz_xlsx_open(const char *path, const fz_pack *pack, const fz_roster *roster, int cross,
                      char **err) {
    int q = quiet_begin();
    fz_xlsx *x = xlsx_open(path, pack, roster, cross, err);
    quiet_end(q);
    return x;
}

static fz_xlsx *xlsx_open(const char *path, const fz_pack *pack, const fz_roster *roster,
                          int cross, char **err) {
    fz_xlsx *x = calloc(1, sizeof *x);
    if (!x) {
        fz_fail(err, FZ_ENOMEM);
        return NULL;
    }
    x->pack = pack;
    x->with_cross = cross;
    if (fz_atomic_begin(&x->file, path, 0, err) < 0) {
        free(x);
        return NULL;
    }
    char *tmpdir = dir_of(x->file.target);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
    x->wb = tmpdir ? workbook_new_opt(fz_atomic_path(&x->file), &opt) : NULL;
    free(tmpdir);
    x->spill = spill_file(x->file.target, "gaps");
    x->index = x->spill ? spill_file(x->file.target, "index") : NULL;
    if (!x->index) {
        fz_fail(err, "无法创建 Excel 文件“%s”：无法在其所在目录写入临时文件（%s）", path,
                fz_errno_message(errno));
        fz_xlsx_abort(x);
        return NULL;
    }
    if (!x->wb || make_formats(x) < 0 || collect_categories(x) < 0) goto oom;
    lxw_doc_properties props = {.title = "法治政府建设年度报告评分表",
                                .author = "fzcheck",
                                .created = fz_creation_time()};
    workbook_set_properties(x->wb, &props);
    x->roster = roster;
    x->max_rows = max_rows();
    if (add_sheets(x) < 0) goto oom;
    return x;
oom:
    fz_fail(err, "无法创建 Excel 文件“%s”：%s", path, x->wb ? FZ_ENOMEM : "无法创建工作簿（目录无法写入或内存不足）");
    fz_xlsx_abort(x);
    return NULL;
}

/* ---- each report -------------------------------------------------------- */

/* A string of a gap row, with its NUL (NULL as ""). */
static int spill_string(fz_xlsx *x, const char *s) {
    if (!s) s = "";
    size_t n = strlen(s) + 1;
    if (fwrite(s, 1, n, x->spill) != n) return -1;
    x->spilled += n;
    return 0;
}

/* "第 12、40 行" from a result's evidence. */
static char *location_of(const fz_result *res) {
    fz_buf b = {0};
    int bad = 0;
    for (size_t e = 0; e < res->nevidence; e++) {
        const fz_evidence *ev = &res->evidence[e];
        int seen = 0;
        for (size_t k = 0; k < e; k++)
            seen |= res->evidence[k].line == ev->line && res->evidence[k].page == ev->page;
        if (seen) continue;
        if (ev->page)
            bad |= fz_buf_printf(&b, "%s第 %u 页第 %u 行", b.len ? "、" : "", ev->page, ev->line) < 0;
        else
            bad |= fz_buf_printf(&b, "%s第 %u 行", b.len ? "、" : "", ev->line) < 0;
    }
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

static int spill_gap(fz_xlsx *x, size_t rule, const fz_result *res) {
    uint32_t k = (uint32_t)rule;
    char *where = location_of(res);
    if (!where) return -1;
    int rc = fwrite(&k, sizeof k, 1, x->spill) == 1 ? 0 : -1;
    if (!rc) x->spilled += sizeof k;
    rc = rc || spill_string(x, res->message) || spill_string(x, res->suggestion) ||
         spill_string(x, where);
    free(where);
    if (!rc) x->ngaps++;
    return rc ? -1 : 0;
}

/* The gap list goes by unit, then report; within a report required
 * before recommended before info, then the rule's place in the pack. So
 * each report's gaps are spilled together, already in that order (a pass
 * per severity), and only where they start is kept, in the index file:
 * at the end write_gaps reads each report's gaps in one piece, and
 * nothing of them stays in memory however many reports a run holds. */
static int spill_gaps(fz_xlsx *x, const fz_report *r) {
    uint64_t at = x->spilled;
    if (fwrite(&at, sizeof at, 1, x->index) != 1) return -1;
    static const fz_severity order[] = {FZ_SEV_REQUIRED, FZ_SEV_RECOMMENDED, FZ_SEV_INFO};
    for (size_t v = 0; v < COUNT(order); v++)
        for (size_t i = 0; i < r->nresults && i < x->pack->nrules; i++) {
            const fz_result *res = &r->results[i];
            if ((res->status == FZ_PARTIAL || res->status == FZ_FAIL) &&
                x->pack->rules[i].severity == order[v] && spill_gap(x, i, res) < 0)
                return -1;
        }
    return 0;
}

static int xlsx_report(fz_xlsx *x, const fz_report *r, const fz_summary *s, char **err);

int fz_xlsx_report(fz_xlsx *x, const fz_report *r, const fz_summary *s, char **err) {
    int q = quiet_begin();
    int rc = xlsx_report(x, r, s, err);
    quiet_end(q);
    return rc;
}

static int xlsx_report(fz_xlsx *x, const fz_report *r, const fz_summary *s, char **err) {
    x->reports++;
    const char *unit = fz_xl_unit_label(s);
    lxw_error e = LXW_NO_ERROR;
    if (spill_gaps(x, r) < 0)
        return fz_fail(err, "写入问题清单的临时文件失败：%s", fz_errno_message(errno));
    for (size_t i = 0; i < r->nresults && !e; i++) {
        const fz_result *res = &r->results[i];
        for (size_t k = 0; k < res->nevidence && !e; k++) {
            const fz_evidence *ev = &res->evidence[k];
            lxw_row_t row;
            if ((e = fz_xl_sheet_row(x, &x->evidence, &row))) break;
            lxw_worksheet *ws = x->evidence.ws;
            const char *texts[] = {unit, res->rule->title, NULL, NULL, ev->section, ev->text};
            fz_xl_fit_row(ws, row, evidence_head, texts, COUNT(evidence_head));
            e = fz_xl_text(ws, row, 0, unit, x->fmt[F_WRAP]);
            if (!e) e = fz_xl_text(ws, row, 1, res->rule->title, x->fmt[F_WRAP]);
            if (!e) e = fz_xl_text(ws, row, 2, fz_status_label(res->status), x->fmt[F_TEXT]);
            if (!e) e = worksheet_write_number(ws, row, 3, ev->line, x->fmt[F_NUM]);
            if (!e) e = fz_xl_text(ws, row, 4, ev->section, x->fmt[F_WRAP]);
            if (!e) e = fz_xl_text(ws, row, 5, ev->text, x->fmt[F_WRAP]);
        }
    }
    if (e) return fz_fail(err, "写入 Excel 证据表失败：%s", lxw_message(e));
    return 0;
}

/* ---- the sheets written at the end -------------------------------------- */

/* A report's points in category cat, or -1 when none of its rules applied
 * (then the cell says —, not 0: nothing was lost there). */
static double category_total(const fz_xlsx *x, const fz_summary *s, size_t cat) {
    double t = 0;
    int applied = 0;
    for (size_t i = 0; i < x->pack->nrules; i++)
        if (!strcmp(x->pack->rules[i].category, x->categories[cat]) && s->status[i] != FZ_NA) {
            t += s->scores[i];
            applied = 1;
        }
    return applied ? t : -1;
}

/* Another report was matched to the same roster unit. */
static int duplicated(const fz_tally *t, const fz_summary *s) {
    long u = s->roster_unit ? fz_roster_find(t->roster, s->roster_unit) : -1;
    return u >= 0 && t->count[u] > 1;
}

/* 未提交: the roster's units that no report was matched to. */
static lxw_error write_missing(fz_xlsx *x, const fz_tally *t) {
    lxw_worksheet *ws = x->missing;
    lxw_error e = fz_xl_header_row(x, ws, 0, missing_head, COUNT(missing_head));
    lxw_row_t row = 1;
    for (size_t u = 0; u < x->roster->n && !e; u++) {
        const fz_roster_unit *ru = &x->roster->units[u];
        if (t->count[u]) continue;
        fz_buf aliases = {0};
        for (size_t a = 0; a < ru->naliases; a++)
            if (fz_buf_printf(&aliases, "%s%s", a ? "、" : "", ru->aliases[a]) < 0)
                e = LXW_ERROR_MEMORY_MALLOC_FAILED;
        if (!e) e = worksheet_write_number(ws, row, 0, (double)row, x->fmt[F_NUM]);
        if (!e) e = fz_xl_text(ws, row, 1, ru->name, x->fmt[F_WRAP]);
        if (!e) e = fz_xl_text(ws, row, 2, ru->type ? ru->type : "", x->fmt[F_TEXT]);
        if (!e) e = fz_xl_text(ws, row, 3, aliases.ptr ? aliases.ptr : "", x->fmt[F_WRAP]);
        fz_buf_free(&aliases);
        row++;
    }
    worksheet_freeze_panes(ws, 1, 0);
    page_setup(ws, 1);
    return e;
}

/* 上年得分 and 变化 of a report paired with last year's (else —). */
static lxw_error previous_cells(fz_xlsx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t *col,
                                const fz_summary *s, int bad) {
    lxw_format *tf = x->fmt[bad ? F_BAD_TEXT : F_TEXT];
    if (!s->has_previous) {
        lxw_error e = fz_xl_text(ws, row, (*col)++, "—", tf);
        return e ? e : fz_xl_text(ws, row, (*col)++, "—", tf);
    }
    lxw_error e = worksheet_write_number(ws, row, (*col)++, s->prev_score, x->fmt[bad ? F_BAD_SCORE : F_SCORE]);
    return e ? e : worksheet_write_number(ws, row, (*col)++, fz_summary_change(s), x->fmt[bad ? F_BAD_DELTA : F_DELTA]);
}

static lxw_error summary_row(fz_xlsx *x, const fz_summary *s, size_t rank, const fz_tally *t) {
    lxw_row_t row;
    lxw_error e = fz_xl_sheet_row(x, &x->summary, &row);
    if (e) return e;
    lxw_worksheet *ws = x->summary.ws;
    int bad = !s->error && !strcmp(s->grade, x->pack->fail_grade);
    lxw_format *tf = x->fmt[bad ? F_BAD_TEXT : F_TEXT], *num = x->fmt[bad ? F_BAD_NUM : F_NUM],
               *sc = x->fmt[bad ? F_BAD_SCORE : F_SCORE];
    lxw_col_t col = 0;
    if (s->error) e = fz_xl_text(ws, row, col++, "—", tf);
    else e = worksheet_write_number(ws, row, col++, (double)rank, num);
    if (!e) e = fz_xl_text(ws, row, col++, fz_xl_unit_label(s), tf);
    if (!e) e = s->year ? worksheet_write_number(ws, row, col, s->year, num) : fz_xl_text(ws, row, col, "", tf);
    col++;
    if (!e) e = fz_xl_text(ws, row, col++, s->file, tf);
    size_t nprev = x->paired ? COUNT(summary_previous) : 0;
    if (s->error) {
        for (size_t k = 0; k < 3 + nprev + x->ncategories && !e; k++) e = fz_xl_text(ws, row, col++, "", tf);
    } else {
        if (!e) e = worksheet_write_number(ws, row, col++, s->score, sc);
        if (!e) e = fz_xl_text(ws, row, col++, s->grade, tf);
        if (!e) e = worksheet_write_number(ws, row, col++, (double)s->required_gaps, num);
        if (nprev && !e) e = previous_cells(x, ws, row, &col, s, bad);
        for (size_t k = 0; k < x->ncategories && !e; k++) {
            double t = category_total(x, s, k);
            e = t < 0 ? fz_xl_text(ws, row, col++, "—", tf) : worksheet_write_number(ws, row, col++, t, sc);
        }
    }
    if (!e) e = fz_xl_text(ws, row, col++, s->unit_type, tf);
    if (!e) e = fz_xl_text(ws, row, col++, s->doc_number, tf);
    if (!e) e = fz_xl_text(ws, row, col++, s->date, tf);
    const char *note = s->error ? s->error : "";
    if (!*note && x->roster && !s->roster_unit) note = "未匹配到单位名单中的单位";
    else if (!*note && x->roster && duplicated(t, s)) note = "单位名单中的同一单位有多份报告";
    if (!e) e = fz_xl_text(ws, row, col++, note, tf);
    return e;
}

/* Under the ranking: which sheets went past Excel's rows and where they
 * go on. */
static lxw_error continuation_note(fz_xlsx *x, size_t n) {
    const sheet *sheets[] = {&x->summary, &x->matrix, &x->gaps, &x->evidence};
    size_t rows[] = {n, n, x->ngaps, 0};
    /* the evidence is written already: its parts are known */
    fz_buf note = {0};
    int bad = 0;
    for (size_t i = 0; i < 4; i++) {
        size_t parts = i == 3 ? (x->evidence.part ? x->evidence.part : 1) : parts_for(x, sheets[i], rows[i]);
        if (parts < 2) continue;
        bad |= fz_buf_printf(&note, "%s“%s”超过 Excel 单表 %u 行的上限，续在“%s（2）”", note.len ? "；" : "注：",
                             sheets[i]->name, (unsigned)x->max_rows, sheets[i]->name) < 0;
        if (parts > 2) bad |= fz_buf_printf(&note, "至“%s（%zu）”", sheets[i]->name, parts) < 0;
    }
    if (bad) {
        fz_buf_free(&note);
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    }
    lxw_error e = LXW_NO_ERROR;
    lxw_row_t row;
    if (note.len && !(e = fz_xl_sheet_row(x, &x->summary, &row)))
        e = fz_xl_text(x->summary.ws, row, 1, note.ptr, x->fmt[F_TEXT]);
    fz_buf_free(&note);
    return e;
}

static lxw_error write_summary(fz_xlsx *x, fz_sums *ss, const size_t *order) {
    size_t n = fz_sums_count(ss), state = 0;
    const fz_tally *t = fz_sums_tally(ss);
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < n && !e; i++) {
        fz_summary s;
        if (fz_sums_get(ss, order[i], &s) < 0) return LXW_ERROR_READING_TMPFILE;
        e = summary_row(x, &s, fz_sums_rank_at(ss, order, i, &state), t);
        fz_summary_free(&s);
    }
    if (!e) e = continuation_note(x, n);
    return e ? e : fz_xl_sheet_close(x, &x->summary);
}

static lxw_error write_chart(fz_xlsx *x, size_t scored) {
    lxw_chart *chart = workbook_add_chart(x->wb, LXW_CHART_BAR);
    if (!chart) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    if (!series) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    /* the chart shows the first part of 汇总 */
    size_t shown = scored < x->max_rows - 1 ? scored : x->max_rows - 1;
    lxw_row_t last = (lxw_row_t)(shown ? shown : 1);
    chart_series_set_categories(series, "汇总", 1, 1, last, 1);
    chart_series_set_values(series, "汇总", 1, 4, last, 4);
    chart_series_set_name(series, "总分");
    chart_title_set_name(chart, "各单位法治政府建设年度报告得分");
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    /* a bar chart lies on its side: x is the value axis, y the categories */
    chart_axis_set_min(chart->x_axis, 0);
    chart_axis_set_max(chart->x_axis, 100);
    chart_axis_set_reverse(chart->y_axis); /* rank 1 at the top */
    return chartsheet_set_chart(x->chartsheet, chart);
}

static lxw_error matrix_row(fz_xlsx *x, const fz_summary *s) {
    static const int fills[] = {F_PASS, F_PARTIAL, F_FAIL, F_NA};
    const fz_pack *p = x->pack;
    lxw_row_t row;
    lxw_error e = fz_xl_sheet_row(x, &x->matrix, &row);
    if (e) return e;
    lxw_worksheet *ws = x->matrix.ws;
    e = fz_xl_text(ws, row, 0, fz_xl_unit_label(s), x->fmt[F_WRAP]);
    if (!e) e = fz_xl_text(ws, row, 1, s->file, x->fmt[F_TEXT]);
    for (size_t r = 0; r < p->nrules && !e && !s->error; r++) {
        lxw_col_t c = (lxw_col_t)(2 + 2 * r);
        e = fz_xl_text(ws, row, c, fz_status_mark(s->status[r]), x->fmt[fills[s->status[r]]]);
        if (!e && s->status[r] != FZ_NA)
            e = worksheet_write_number(ws, row, c + 1, s->scores[r], x->fmt[F_SCORE]);
    }
    if (!e && s->error) e = fz_xl_text(ws, row, (lxw_col_t)(2 + 2 * p->nrules), s->error, x->fmt[F_WRAP]);
    return e;
}

static lxw_error write_matrix(fz_xlsx *x, fz_sums *ss, const size_t *order) {
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < fz_sums_count(ss) && !e; i++) {
        fz_summary s;
        if (fz_sums_get(ss, order[i], &s) < 0) return LXW_ERROR_READING_TMPFILE;
        e = matrix_row(x, &s);
        fz_summary_free(&s);
    }
    return e ? e : fz_xl_sheet_close(x, &x->matrix);
}

/* One gap row: the rule, its message, suggestion and location. */
typedef struct {
    uint32_t rule;
    const char *message, *suggestion, *where;
} gap;

static lxw_error gap_row(fz_xlsx *x, const gap *g, const fz_summary *s) {
    const fz_rule *rule = &x->pack->rules[g->rule];
    lxw_row_t row;
    lxw_error e = fz_xl_sheet_row(x, &x->gaps, &row);
    lxw_worksheet *ws = x->gaps.ws;
    const char *texts[] = {fz_xl_unit_label(s), s->file, rule->title, rule->category, NULL, NULL,
                           g->message, g->suggestion, rule->basis, g->where};
    if (!e) fz_xl_fit_row(ws, row, gaps_head, texts, COUNT(gaps_head));
    if (!e) e = fz_xl_text(ws, row, 0, fz_xl_unit_label(s), x->fmt[F_WRAP]);
    if (!e) e = fz_xl_text(ws, row, 1, s->file, x->fmt[F_TEXT]);
    if (!e) e = fz_xl_text(ws, row, 2, rule->title, x->fmt[F_WRAP]);
    if (!e) e = fz_xl_text(ws, row, 3, rule->category, x->fmt[F_WRAP]);
    if (!e) e = fz_xl_text(ws, row, 4, fz_severity_label(rule->severity), x->fmt[F_TEXT]);
    if (!e) e = fz_xl_text(ws, row, 5, fz_status_label(s->status[g->rule]),
                         x->fmt[s->status[g->rule] == FZ_FAIL ? F_FAIL : F_PARTIAL]);
    if (!e) e = fz_xl_text(ws, row, 6, g->message, x->fmt[F_WRAP]);
    if (!e) e = fz_xl_text(ws, row, 7, g->suggestion, x->fmt[F_WRAP]);
    if (!e) e = fz_xl_text(ws, row, 8, rule->basis, x->fmt[F_WRAP]);
    if (!e) e = fz_xl_text(ws, row, 9, g->where, x->fmt[F_WRAP]);
    return e;
}

/* The next NUL-terminated string of a block, or NULL past its end. */
static const char *next_string(const char **p, const char *end) {
    const char *s = *p, *nul = s < end ? memchr(s, '\0', (size_t)(end - s)) : NULL;
    if (!nul) return NULL;
    *p = nul + 1;
    return s;
}

/* Reads report i's block of gaps (spill_gaps) into *block, with one
 * read: it runs from its start in the index to the next report's. */
static int read_block(fz_xlsx *x, size_t i, fz_buf *block) {
    uint64_t at[2] = {0, x->spilled};
    size_t want = i + 1 < x->reports ? 2 : 1;
    ssize_t got = pread(fileno(x->index), at, want * sizeof *at, (off_t)(i * sizeof *at));
    if (got != (ssize_t)(want * sizeof *at) || at[1] < at[0] || at[1] > x->spilled) return -1;
    size_t len = (size_t)(at[1] - at[0]);
    block->len = 0;
    if (fz_grow(&block->ptr, &block->cap, len + 1, 1) < 0) return -1;
    if (len && pread(fileno(x->spill), block->ptr, len, (off_t)at[0]) != (ssize_t)len) return -1;
    block->len = len;
    return 0;
}

/* The gap rows of report i (s its summary), from its block. */
static lxw_error report_gaps(fz_xlsx *x, const fz_summary *s, const fz_buf *block) {
    const char *p = block->ptr, *end = block->ptr + block->len;
    lxw_error e = LXW_NO_ERROR;
    while (p < end && !e) {
        gap g;
        if ((size_t)(end - p) < sizeof g.rule) return LXW_ERROR_READING_TMPFILE;
        memcpy(&g.rule, p, sizeof g.rule);
        p += sizeof g.rule;
        g.message = next_string(&p, end);
        g.suggestion = g.message ? next_string(&p, end) : NULL;
        g.where = g.suggestion ? next_string(&p, end) : NULL;
        if (!g.where || g.rule >= x->pack->nrules) return LXW_ERROR_READING_TMPFILE;
        e = gap_row(x, &g, s);
    }
    return e;
}

/* 问题清单: the reports in unit order, each with its gaps. */
static lxw_error write_gaps(fz_xlsx *x, fz_sums *ss) {
    size_t n = fz_sums_count(ss);
    if (n != x->reports || fflush(x->spill) != 0 || fflush(x->index) != 0)
        return LXW_ERROR_READING_TMPFILE;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    fz_sums_unit_order(ss, order);
    lxw_error e = LXW_NO_ERROR;
    fz_buf block = {0};
    for (size_t k = 0; k < n && !e; k++) {
        if (read_block(x, order[k], &block) < 0) {
            e = LXW_ERROR_READING_TMPFILE;
            break;
        }
        if (!block.len) continue;
        fz_summary s;
        if (fz_sums_get(ss, order[k], &s) < 0 || !s.status) e = LXW_ERROR_READING_TMPFILE;
        else e = report_gaps(x, &s, &block);
        fz_summary_free(&s);
    }
    fz_buf_free(&block);
    free(order);
    return e ? e : fz_xl_sheet_close(x, &x->gaps);
}

static lxw_error write_rules(fz_xlsx *x) {
    lxw_worksheet *ws = x->rules;
    const fz_pack *p = x->pack;
    lxw_error e = fz_xl_header_row(x, ws, 0, rules_head, COUNT(rules_head));
    for (size_t i = 0; i < p->nrules && !e; i++) {
        const fz_rule *r = &p->rules[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        /* which pack of the chain it comes from, and what an extending pack changed */
        fz_buf from = {0};
        if (fz_buf_puts(&from, fz_pack_layer_label(p, r->layer)) < 0 ||
            (r->overridden_by && fz_buf_printf(&from, "（%s 修改了 %s）", fz_pack_layer_label(p, r->overridden_by - 1),
                                               r->overridden) < 0)) {
            fz_buf_free(&from);
            return LXW_ERROR_MEMORY_MALLOC_FAILED;
        }
        const char *texts[] = {NULL, r->title, r->category, NULL, NULL, r->basis, r->suggestion, from.ptr};
        fz_xl_fit_row(ws, row, rules_head, texts, COUNT(rules_head));
        e = fz_xl_text(ws, row, 0, r->id, x->fmt[F_TEXT]);
        if (!e) e = fz_xl_text(ws, row, 1, r->title, x->fmt[F_WRAP]);
        if (!e) e = fz_xl_text(ws, row, 2, r->category, x->fmt[F_WRAP]);
        if (!e) e = fz_xl_text(ws, row, 3, fz_severity_label(r->severity), x->fmt[F_TEXT]);
        if (!e) e = worksheet_write_number(ws, row, 4, r->points, x->fmt[F_NUM]);
        if (!e) e = fz_xl_text(ws, row, 5, r->basis, x->fmt[F_WRAP]);
        if (!e) e = fz_xl_text(ws, row, 6, r->suggestion, x->fmt[F_WRAP]);
        if (!e) e = fz_xl_text(ws, row, 7, from.ptr, x->fmt[F_WRAP]);
        fz_buf_free(&from);
    }
    worksheet_freeze_panes(ws, 1, 0);
    page_setup(ws, 1);
    return e;
}

static void release(fz_xlsx *x) {
    if (x->spill) fclose(x->spill);
    if (x->index) fclose(x->index);
    free(x->categories);
    free(x);
}

static int xlsx_finish(fz_xlsx *x, fz_sums *ss, const fz_cross *cross, fz_atomic *out, char **err);

int fz_xlsx_finish(fz_xlsx *x, fz_sums *ss, const fz_cross *cross, fz_atomic *out, char **err) {
    int q = quiet_begin();
    int rc = xlsx_finish(x, ss, cross, out, err);
    quiet_end(q);
    return rc;
}

static int xlsx_finish(fz_xlsx *x, fz_sums *ss, const fz_cross *cross, fz_atomic *out, char **err) {
    memset(out, 0, sizeof *out);
    x->paired = fz_sums_paired(ss) > 0;
    size_t n = fz_sums_count(ss);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    lxw_error e = order ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
    size_t scored = 0;
    if (!e) {
        fz_sums_rank(ss, order);
        for (size_t i = 0; i < n; i++) scored += !fz_sums_failed(ss, i);
        e = write_summary(x, ss, order);
    }
    if (!e) e = write_chart(x, scored);
    if (!e && x->missing) e = write_missing(x, fz_sums_tally(ss));
    if (!e) e = write_matrix(x, ss, order);
    free(order);
    if (!e) e = write_gaps(x, ss);
    if (!e && x->with_cross) e = fz_xl_write_cross(x, ss, cross);
    if (!e) e = fz_xl_sheet_close(x, &x->evidence);
    if (!e) e = write_rules(x);
    unsigned long long rows = 0;
    if (!e) e = check_row_files(x, &rows);
    if (!e && !enough_space(x->file.target, rows, err)) {
        fz_xlsx_abort(x);
        return -1;
    }
    worksheet_activate(x->all[0]);
    /* workbook_close writes the file and frees the workbook, error or not */
    lxw_error closed = workbook_close(x->wb);
    x->wb = NULL;
    if (!e) e = closed;
    int rc = 0;
    if (e) {
        fz_fail(err, "写入 Excel 文件失败：%s", lxw_message(e));
        fz_atomic_abort(&x->file);
        rc = -1;
    } else if (fz_atomic_finish(&x->file, err) < 0) {
        rc = -1;
    } else {
        *out = x->file; /* the rename is the caller's, with its other outputs */
        memset(&x->file, 0, sizeof x->file);
    }
    release(x);
    return rc;
}

void fz_xlsx_abort(fz_xlsx *x) {
    if (!x) return;
    if (x->wb) {
        /* closing is the only way to free a workbook; its file is then
         * removed with the temporary name */
        int q = quiet_begin();
        workbook_close(x->wb);
        quiet_end(q);
        x->wb = NULL;
    }
    fz_atomic_abort(&x->file);
    release(x);
}
