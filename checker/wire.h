/*
 * wire.h - a checked report as bytes, and back.
 *
 * Reports are checked in worker processes (pool.h), each under a time and
 * memory limit, and written out by the parent in input order. What
 * crosses between them is this encoding of an fz_report: everything the
 * outputs (text, JSON, workbook, outline) read — the header fields, the
 * section tree with its roles, every result with its evidence, the score
 * and grade — and nothing of the working state (paragraphs, sentences)
 * that only the checks needed. A decoded report is a full fz_report to
 * the writers, except that its fz_doc holds no paragraphs.
 *
 * The encoding is private to one run of one build: little-endian
 * integers, strings as a length and bytes. Decoding checks every length
 * against the bytes it has, so a truncated message is an error, not a
 * crash.
 */
#ifndef FZ_WIRE_H
#define FZ_WIRE_H

#include <stddef.h>

#include "engine.h"
#include "util.h"

/* Appends the encoding of *r (checked with pack) to out. Returns 0 or -1
 * (out of memory). */
int fz_wire_encode(const fz_pack *pack, const fz_report *r, fz_buf *out);

/* Rebuilds a report from bytes made by fz_wire_encode with the same pack:
 * rule and grade pointers point into pack again. Returns 0; or -1 when
 * the bytes are not a whole encoding or memory runs out (*r then holds
 * what was decoded and must still be freed with fz_report_free). */
int fz_wire_decode(const fz_pack *pack, const char *bytes, size_t n, fz_report *r);

/* Helpers for any decoder of reports (wire.c, shard.c): the static
 * string a report's format or encoding points to ("?" for one this build
 * does not know), and the pack's own string for a grade name (NULL when
 * the pack has no such grade). */
const char *fz_wire_intern(const char *s);
const char *fz_wire_grade(const fz_pack *pack, const char *g);

#endif
