/*
 * heading.h - recognising the numbering that opens a Chinese report
 * heading: 一、 第一部分 一是 （一） 1. 1、 （1）.
 *
 * Used by normalize (a heading line is never glued to its neighbour) and
 * by segment (which builds the section tree). It only looks at the start
 * of a normalized line or paragraph: parentheses are already the
 * full-width （）, digits ASCII, spaces between CJK characters removed.
 */
#ifndef FZ_HEADING_H
#define FZ_HEADING_H

#include <stddef.h>

typedef enum {
    FZ_HEAD_NONE = 0,
    FZ_HEAD_CN,        /* 一、           level 1 */
    FZ_HEAD_PART,      /* 第一部分        level 1 */
    FZ_HEAD_SHI,       /* 一是…          level 1 when standalone */
    FZ_HEAD_CN_PAREN,  /* （一）          level 2 */
    FZ_HEAD_NUM,       /* 1. 1、 1）      level 3 */
    FZ_HEAD_NUM_PAREN  /* （1）          level 3 */
} fz_head_kind;

typedef struct {
    fz_head_kind kind;
    int level;          /* the usual level of this kind: 1, 2 or 3 */
    size_t marker_len;  /* bytes of the marker, including spaces after it */
    size_t num_off;     /* the number inside the marker: 一 or 12 */
    size_t num_len;
} fz_head;

/* Recognises a heading marker at the start of s[0..len). Returns the
 * level (1..3) and fills *h, or returns 0 when s does not start with one. */
int fz_heading_marker(const char *s, size_t len, fz_head *h);

/* Value of a Chinese numeral of up to four characters (一 … 九十九, 两,
 * 〇/零 as digits); -1 if s[0..len) is not one. */
int fz_cn_number(const char *s, size_t len);

#endif
