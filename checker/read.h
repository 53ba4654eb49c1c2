/*
 * read.h - stage 1 of the pipeline: a file on disk becomes UTF-8 text.
 *
 * This is the one place that turns bytes into text. It takes a path (or a
 * memory block, for tests) and gives an fz_text: valid UTF-8 without a
 * BOM, lines ended by '\n' only (CRLF and lone CR are converted), no NUL
 * bytes. Line numbers in later stages count the '\n's of this text, which
 * are the lines of the original file.
 *
 * Today it reads .txt and .md files in UTF-8 (with or without BOM).
 */
#ifndef FZ_READ_H
#define FZ_READ_H

#include <stddef.h>

/* Files larger than this are refused rather than read into memory. */
#define FZ_READ_MAX_BYTES ((size_t)50 * 1024 * 1024)

typedef struct {
    char *data;         /* NUL-terminated UTF-8 */
    size_t len;         /* bytes, without the terminating NUL */
    const char *format; /* "txt" or "md" (static string) */
    const char *encoding; /* "UTF-8" or "UTF-8 BOM" (static string) */
} fz_text;

/* Reads the file at path. Returns 0, or -1 with a Chinese message in *err
 * (file missing, unreadable, a directory, too large, empty, binary, not
 * UTF-8). */
int fz_read_file(const char *path, fz_text *out, char **err);

/* Decodes bytes already in memory the same way (format is taken from
 * `name`'s extension, which may be NULL). */
int fz_read_memory(const char *bytes, size_t n, const char *name,
                   fz_text *out, char **err);

/* True when the path names a file type the reader accepts (.txt, .md). */
int fz_read_supported(const char *path);

void fz_text_free(fz_text *t);

#endif
