/*
 * ident.h - stage 3, with segment.h: who wrote the report, about which
 * year, and the other fields of its header.
 *
 * Takes a segmented document (sections and sentences found) and fills
 * its title, unit, year, 发文字号 and 成文日期. Real reports often have no
 * formal title or banner: they begin "2023年，某某局坚持……", with a
 * salutation to the superiors ("中共某县委、某县人民政府："), or with a
 * cover letter before the report. So the unit is looked for, in order of
 * trust: the title (or a line under it), the 发文机关标志, the signature
 * above the date, the subject of the opening sentence ("2023年，某某局坚
 * 持……", "现将某某局2023年……报告如下"), the file name, and last the unit's
 * own documents cited in the text (a report that calls itself 我局 and
 * cites 《中共某某局党组……》). A salutation names the addressee, never the
 * author. A unit that names itself by level
 * only ("区司法局", "省卫生健康委") gets its place from the addressee line
 * when that names exactly one place of that level.
 *
 * The year reported on comes from the title, the opening ("现将……2023年
 * ……报告如下", "2023年，我局……"), the 成文日期 (a date in the first half of
 * year N+1 reports on year N), or the file name; never from a cited
 * document (《……2022年……》) or a plan ("2024年工作要点").
 *
 * A roster (roster.h) can later name the unit with more authority.
 */
#ifndef FZ_IDENT_H
#define FZ_IDENT_H

#include "segment.h"

/* Fills d's header fields; `name` is the file's path (or NULL). Returns 0,
 * or -1 when memory runs out. */
int fz_ident(fz_doc *d, const char *name);

/* "title", "banner", "signature", "opening", "filename", "text",
 * "roster", or NULL for FZ_SRC_NONE: the JSON spelling of a source. */
const char *fz_source_name(fz_source s);

#endif
