/*
 * util.h - small shared helpers: growable byte buffers, array growth,
 * string duplication and error messages.
 *
 * Every stage of the pipeline reports failure the same way: a function
 * returns -1 (or NULL) and, when the caller passed a non-NULL `char **err`,
 * stores a malloc'd Chinese message there. Nothing below main() exits.
 */
#ifndef FZ_UTIL_H
#define FZ_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

/* A growable, always NUL-terminated byte buffer (after the first append). */
typedef struct {
    char *ptr;
    size_t len;
    size_t cap;
} fz_buf;

/* fz_buf_append when the buffer must grow first (util.c). */
int fz_buf_append_grow(fz_buf *b, const char *s, size_t n);

/* Appends n bytes of s. Returns 0, or -1 when memory runs out. Inline:
 * most appends are a few bytes into room the buffer already has. */
static inline int fz_buf_append(fz_buf *b, const char *s, size_t n) {
    if (b->cap - b->len <= n) return fz_buf_append_grow(b, s, n);
    if (n) memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return 0;
}

/* Appends the NUL-terminated string s. Returns 0 or -1. */
int fz_buf_puts(fz_buf *b, const char *s);

/* Appends printf-formatted text. Returns 0 or -1. */
int fz_buf_printf(fz_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Same as fz_buf_printf with a va_list. */
int fz_buf_vprintf(fz_buf *b, const char *fmt, va_list ap);

/* Hands the buffer's string to the caller (never NULL unless memory ran
 * out: an empty buffer yields ""), leaving the buffer empty. */
char *fz_buf_steal(fz_buf *b);

/* Frees the buffer's memory and empties it. */
void fz_buf_free(fz_buf *b);

/* Makes *arr hold at least `need` elements of `elem` bytes, growing
 * geometrically. Returns 0, or -1 (leaving *arr untouched) on overflow or
 * when memory runs out. */
int fz_grow(void *arr, size_t *cap, size_t need, size_t elem);

/* strdup/strndup that report failure with NULL (C11 has neither). */
char *fz_strdup(const char *s);
char *fz_strndup(const char *s, size_t n);

/* A malloc'd printf result, or NULL when memory runs out. */
char *fz_strdup_printf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Stores a formatted, malloc'd message in *err (if err is not NULL and no
 * message is there yet). Always returns -1 so callers can `return
 * fz_fail(err, ...)`. */
int fz_fail(char **err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A copy of s fit for a terminal: control characters (C0, DEL, C1) and
 * bytes that are not UTF-8 are written as escapes (\x1b, \n, \t …), so
 * that a file name holding ESC]0;… cannot retitle or recolour the
 * terminal, nor a newline split a result line. With keep_newlines, '\n'
 * stays a line break (for multi-line messages). NULL when memory runs
 * out. */
char *fz_display(const char *s, int keep_newlines);

/* Set in builds with AddressSanitizer (which reserves terabytes of
 * address space and reports on stderr). */
#if defined(__SANITIZE_ADDRESS__)
#define FZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FZ_ASAN 1
#endif
#endif
#ifndef FZ_ASAN
#define FZ_ASAN 0
#endif

/* The message used when malloc fails. */
#define FZ_ENOMEM "内存不足"

/* The time a run's outputs carry: SOURCE_DATE_EPOCH when set (so that
 * they are reproducible), else now. */
time_t fz_creation_time(void);

/* t as "2025-03-01T08:00:00Z" (UTC) in buf (at least 21 bytes); returns
 * buf. */
char *fz_iso_time(time_t t, char *buf, size_t n);

#endif
