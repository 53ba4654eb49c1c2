/*
 * dates.h - years and dates as Chinese reports write them: 2023年,
 * 二〇二三年, 2024年1月5日, 二〇二四年一月五日.
 */
#ifndef FZ_DATES_H
#define FZ_DATES_H

#include <stddef.h>

/* Parses a year followed by 年 at the start of s[0..len): four ASCII
 * digits or four Chinese digits (二〇二三). Returns the bytes consumed
 * (including 年) and sets *year, or returns 0. */
size_t fz_parse_year(const char *s, size_t len, int *year);

/* Parses a full date 年月日 at the start of s. Returns the bytes consumed
 * and sets the fields, or returns 0 (also for impossible dates). */
size_t fz_parse_date(const char *s, size_t len, int *y, int *m, int *d);

/* True when y-m-d is a date of the calendar (2月29日 only in leap years). */
int fz_valid_date(int y, int m, int d);

/* True when s[0..len) is only a date, optionally followed by 印发 or
 * 发布 (the 成文日期 or 印发日期 line of a document). */
int fz_is_date_line(const char *s, size_t len);

/* Finds the next year (2023年, 二〇二三年) in s[from..len) that is not the
 * end of a range such as 2021-2025年 or 2021至2025年. Returns the year and
 * sets *at to its offset, or returns 0. */
int fz_next_year(const char *s, size_t len, size_t from, size_t *at);

#endif
