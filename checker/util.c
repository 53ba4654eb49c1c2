/*
 * util.c - see util.h.
 */
#include "util.h"

#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fz_grow(void *arr, size_t *cap, size_t need, size_t elem) {
    void **p = (void **)arr;
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return -1;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem) return -1;
    void *np = realloc(*p, ncap * elem);
    if (!np) return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

/* A buffer's first allocation: most hold a name, a label or a line, and
 * growing one from 8 bytes took several reallocations. */
#define BUF_FIRST 64

int fz_buf_append_grow(fz_buf *b, const char *s, size_t n) {
    if (n > SIZE_MAX - b->len - 1) return -1;
    size_t need = b->len + n + 1;
    if (!b->cap && need < BUF_FIRST) need = BUF_FIRST;
    if (fz_grow(&b->ptr, &b->cap, need, 1) < 0) return -1;
    if (n) memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return 0;
}

int fz_buf_puts(fz_buf *b, const char *s) {
    return fz_buf_append(b, s, strlen(s));
}

/* Room made before formatting: most texts fit, and are formatted once
 * (measuring a text first costs as much as writing it). */
#define PRINTF_ROOM 256

/* Whether fmt uses only %s, %d, %u, %zu and %%, without flags, width or
 * precision: most messages do, and are put together by simple_printf. */
static int simple_format(const char *f) {
    for (f = strchr(f, '%'); f; f = strchr(f + 1, '%')) {
        f++;
        if (*f == 'z' && f[1] == 'u') f++;
        else if (*f != 's' && *f != 'd' && *f != 'u' && *f != '%') return 0;
    }
    return 1;
}

/* Appends the decimal digits of v (after a minus sign when neg). */
static int put_decimal(fz_buf *b, unsigned long long v, int neg) {
    char d[24];
    size_t i = sizeof d;
    do d[--i] = (char)('0' + v % 10); while (v /= 10);
    if (neg) d[--i] = '-';
    return fz_buf_append(b, d + i, sizeof d - i);
}

/* fz_buf_vprintf for a format simple_format accepts: the same bytes as
 * vsnprintf gives (glibc's "(null)" for a NULL string included), without
 * stdio's per-call set-up and per-character copying. */
static int simple_printf(fz_buf *b, const char *fmt, va_list ap) {
    int bad = 0;
    for (const char *p = fmt; *p && !bad;) {
        const char *q = strchr(p, '%');
        if (!q) {
            bad = fz_buf_append(b, p, strlen(p)) < 0;
            break;
        }
        bad = fz_buf_append(b, p, (size_t)(q - p)) < 0;
        switch (*++q) {
        case 's': {
            const char *str = va_arg(ap, const char *);
            bad |= fz_buf_puts(b, str ? str : "(null)") < 0;
            break;
        }
        case 'd': {
            int v = va_arg(ap, int);
            bad |= put_decimal(b, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0) < 0;
            break;
        }
        case 'u':
            bad |= put_decimal(b, va_arg(ap, unsigned), 0) < 0;
            break;
        case 'z':
            q++;
            bad |= put_decimal(b, va_arg(ap, size_t), 0) < 0;
            break;
        default: /* %% */
            bad |= fz_buf_append(b, "%", 1) < 0;
            break;
        }
        p = q + 1;
    }
    return bad ? -1 : 0;
}

int fz_buf_vprintf(fz_buf *b, const char *fmt, va_list ap) {
    if (simple_format(fmt)) {
        size_t len0 = b->len;
        /* the room vsnprintf would have had: a message grows once */
        if (fz_grow(&b->ptr, &b->cap, b->len + PRINTF_ROOM, 1) < 0) return -1;
        if (simple_printf(b, fmt, ap) == 0) return 0;
        /* out of memory: nothing of it is kept */
        b->len = len0;
        if (b->ptr) b->ptr[len0] = '\0';
        return -1;
    }
    if (fz_grow(&b->ptr, &b->cap, b->len + PRINTF_ROOM, 1) < 0) return -1;
    size_t room = b->cap - b->len;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(b->ptr + b->len, room, fmt, ap2);
    va_end(ap2);
    if (n >= 0 && (size_t)n >= room) {
        /* it did not fit: again, with room for all of it */
        if (fz_grow(&b->ptr, &b->cap, b->len + (size_t)n + 1, 1) < 0) n = -1;
        else vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    }
    if (n < 0) {
        b->ptr[b->len] = '\0'; /* whatever was written is not kept */
        return -1;
    }
    b->len += (size_t)n;
    return 0;
}

int fz_buf_printf(fz_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = fz_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *fz_buf_steal(fz_buf *b) {
    char *s = b->ptr;
    if (!s) s = fz_strdup("");
    b->ptr = NULL;
    b->len = b->cap = 0;
    return s;
}

void fz_buf_free(fz_buf *b) {
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

char *fz_strndup(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *fz_strdup(const char *s) {
    return fz_strndup(s, strlen(s));
}

int fz_fail(char **err, const char *fmt, ...) {
    if (!err || *err) return -1;
    fz_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    int rc = fz_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    /* If even the message cannot be allocated, leave *err NULL: callers
     * treat a NULL message after -1 as "out of memory". */
    *err = rc == 0 ? fz_buf_steal(&b) : NULL;
    if (rc) fz_buf_free(&b);
    return -1;
}

char *fz_display(const char *s, int keep_newlines) {
    fz_buf b = {0};
    int bad = fz_buf_append(&b, "", 0) < 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len && !bad;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        int n = fz_utf8_decode(s + i, len - i, &cp);
        if (n < 0) {
            bad |= fz_buf_printf(&b, "\\x%02x", c) < 0;
            i++;
            continue;
        }
        if (cp == '\n' && keep_newlines) bad |= fz_buf_puts(&b, "\n") < 0;
        else if (cp == '\n') bad |= fz_buf_puts(&b, "\\n") < 0;
        else if (cp == '\r') bad |= fz_buf_puts(&b, "\\r") < 0;
        else if (cp == '\t') bad |= fz_buf_puts(&b, "\\t") < 0;
        else if (cp < 0x20 || cp == 0x7F) bad |= fz_buf_printf(&b, "\\x%02x", (unsigned)cp) < 0;
        else if (cp >= 0x80 && cp <= 0x9F) bad |= fz_buf_printf(&b, "\\u%04x", (unsigned)cp) < 0;
        else bad |= fz_buf_append(&b, s + i, (size_t)n) < 0;
        i += (size_t)n;
    }
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

time_t fz_creation_time(void) {
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e) {
        char *end;
        long long v = strtoll(e, &end, 10);
        if (!*end && v >= 0) return (time_t)v;
    }
    return time(NULL);
}

char *fz_iso_time(time_t t, char *buf, size_t n) {
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        if (n) buf[0] = '\0';
    }
    return buf;
}

char *fz_strdup_printf(const char *fmt, ...) {
    fz_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    int rc = fz_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (rc < 0) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}
