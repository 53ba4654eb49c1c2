/*
 * xlsx.h - the scorecard workbook (libxlsxwriter), for the 依法治市办.
 *
 * Sheets (names as users know them):
 *   汇总      one row per report, ranked (ties share a rank), with the
 *             subtotal of each rule category; 不合格 rows marked; a data
 *             bar on 总分; a bar chart of the scores on the sheet 图表
 *   要素矩阵  reports down, rules across: ✓ ◐ ✗ — with fills, score beside
 *   问题清单  one row per partial or failed result, by unit, required first:
 *             the list sent back to a bureau
 *   证据      one row per evidence quote
 *   雷同与沿用 (with --previous or --similar) the pairs of the batch that
 *             share unusual text, with the passages; then each report
 *             paired with its unit's report of the year before: the shares
 *             said again, last year's promises followed up, the scores
 *   规则说明  the rule pack as used
 *   未提交    (with a roster) the roster's units that sent no report
 * With reports paired with last year's, 汇总 has 上年得分 and 变化.
 *
 * Written in libxlsxwriter's constant-memory mode, as the reports are
 * checked: the evidence rows go straight to disk, each report's gap rows
 * to a temporary file (already in their order within the report; the
 * reports are put in unit order at the end), and only each report's
 * fz_summary stays in memory (on disk too, see fz_sums). Everything from a report is written as a
 * string, never a formula. The file is written beside the target and
 * renamed at the end, by the caller together with its other outputs
 * (atomic.h); with SOURCE_DATE_EPOCH set the output is byte-identical
 * from run to run. libxlsxwriter's own English messages on stderr are
 * silenced: its errors come back as Chinese messages.
 */
#ifndef FZ_XLSX_H
#define FZ_XLSX_H

#include "atomic.h"
#include "output.h"
#include "similar.h"

typedef struct fz_xlsx fz_xlsx;

/* Starts a workbook to be written to path; with a roster it also gets the
 * sheet 未提交 (roster units no report was matched to) and notes on
 * unmatched and duplicate reports; with cross (--previous or --similar)
 * the sheet 雷同与沿用. Returns NULL with a Chinese message when it cannot
 * be. */
fz_xlsx *fz_xlsx_open(const char *path, const fz_pack *pack, const fz_roster *roster, int cross,
                      char **err);

/* Adds one checked report (its evidence and gaps). */
int fz_xlsx_report(fz_xlsx *x, const fz_report *r, const fz_summary *s, char **err);

/* Writes the sheets that need the whole batch (cross: what the run found
 * across reports, or NULL) and closes the workbook in
 * its temporary file, all data on disk. Frees x whatever happens. Returns
 * 0 with *out holding the finished write, to be renamed into place with
 * fz_atomic_commit_all (or dropped with fz_atomic_abort); or -1 with a
 * Chinese message (then no file is left behind). */
int fz_xlsx_finish(fz_xlsx *x, fz_sums *ss, const fz_cross *cross, fz_atomic *out, char **err);

/* Abandons the workbook and removes its temporary file. */
void fz_xlsx_abort(fz_xlsx *x);

#endif
