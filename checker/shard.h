/*
 * shard.h - reading back the shards of a batch split across machines.
 *
 * A batch too large for one machine is checked in parts, each with
 * `fzcheck check --jsonl SHARD.jsonl` (output_json.c writes the lines);
 * `fzcheck merge` reads the shards in order with this module and hands
 * every report to the same writers a single run uses, so that the
 * ranking, the JSON and the workbook are those of one run over all the
 * inputs.
 *
 * A shard is a header line (format, pack, rules, roster used), one line
 * per report, and an end line with the count. Reading checks that the
 * shard was made by fzcheck in this JSON format, with the same rule pack
 * (name, version, rules and their points) and the same roster as the
 * merge, and that it is whole: a foreign file, a cut-off shard or a bad
 * line gets "文件:行: 说明". Lines are parsed with jansson.
 */
#ifndef FZ_SHARD_H
#define FZ_SHARD_H

#include <stdio.h>

#include "engine.h"
#include "previous.h"
#include "roster.h"

typedef struct {
    const char *path;
    FILE *f;
    unsigned long line;  /* of the last line read */
    size_t reports;      /* report lines read so far */
    char *buf;           /* the line buffer (getline) */
    size_t cap;
    int ended;           /* the end line was read */
    int previous;        /* checked with --previous (its header says) */
    /* after the end line of a shard checked with --previous: last year's
     * reports and what became of each in its run; its strings are the
     * shard's (freed by fz_shard_close) until a caller takes prev and sets
     * it to NULL, then the caller's (fz_shard_prev_free) */
    fz_prev_entry *prev;
    size_t nprev;
} fz_shard;

/* Frees entries taken from a shard. */
void fz_shard_prev_free(fz_prev_entry *v, size_t n);

/* Opens a shard and checks its header against pack and roster (NULL when
 * the merge has none). Returns 0; or -1 with "文件:行: 说明" in *err (the
 * shard is then closed). */
int fz_shard_open(fz_shard *s, const char *path, const fz_pack *pack, const fz_roster *roster,
                  char **err);

/* Reads the next report into *rep (rule and grade pointers point into
 * pack). Returns 1 with a report, 0 at the end line (whose count must
 * match), or -1 with "文件:行: 说明" in *err (a bad line, a shard without
 * its end line, out of memory). */
int fz_shard_next(fz_shard *s, const fz_pack *pack, fz_report *rep, char **err);

void fz_shard_close(fz_shard *s);

/* The number of reports a shard says it holds, counted from its lines
 * without reading them (what a merge numbers its listings by; the lines
 * themselves are checked by fz_shard_next). Returns 0 with *n set, or -1
 * with *err when the file cannot be read. */
int fz_shard_count(const char *path, size_t *n, char **err);

#endif
