/*
 * ooxml.h - writing Office Open XML packages: a zip archive built in
 * memory, entries added whole or copied from another archive untouched,
 * and XML text made safe to write.
 *
 * Copied entries keep their compressed bytes as they are (never inflated
 * here, so no cap of zipxml.h is needed for them), and with them their
 * content byte for byte. Entries written here carry the run's time
 * (SOURCE_DATE_EPOCH when set), so that a copy made twice is the same
 * file.
 */
#ifndef FZ_OOXML_H
#define FZ_OOXML_H

#include <libxml/tree.h>
#include <stddef.h>
#include <time.h>
#include <zip.h>

#include "util.h"

#define FZ_NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define FZ_NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define FZ_NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define FZ_NS_CT "http://schemas.openxmlformats.org/package/2006/content-types"
#define FZ_REL_COMMENTS FZ_NS_REL "/comments"
#define FZ_CT_COMMENTS "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"

typedef struct {
    zip_source_t *src;   /* the archive's bytes, kept past zip_close */
    zip_t *za;
    time_t mtime;        /* of the entries written here */
} fz_zipw;

/* Starts an empty archive. Returns 0, or -1 with *err. */
int fz_zipw_open(fz_zipw *w, char **err);

/* Adds entry `name` holding data[0..len), taking data (malloc'd; freed
 * also on failure). Returns 0, or -1 with *err. */
int fz_zipw_take(fz_zipw *w, const char *name, char *data, size_t len, char **err);

/* The same for bytes the caller keeps (copied). */
int fz_zipw_add(fz_zipw *w, const char *name, const char *data, size_t len, char **err);

/* Copies entry idx of `from` under the same name, its compressed bytes
 * untouched; `from` must stay open until fz_zipw_finish. Returns 0, or
 * -1 with *err (a name the archive already holds is refused). */
int fz_zipw_copy(fz_zipw *w, zip_t *from, zip_uint64_t idx, char **err);

/* Writes the archive and appends its bytes to *out; w is closed either
 * way. Returns 0, or -1 with *err. */
int fz_zipw_finish(fz_zipw *w, fz_buf *out, char **err);

/* Drops an archive being built. */
void fz_zipw_abort(fz_zipw *w);

/* Appends s[0..n) escaped for XML text and attribute values (& < > "
 * '), leaving out what XML 1.0 does not allow in a document: C0
 * controls but tab, LF and CR, DEL and the C1 controls (allowed but never
 * meant in report text), U+FFFE, U+FFFF and bytes that are not UTF-8.
 * With `newlines_to_space`, LF, CR and tab become a space. Returns 0 or
 * -1 (out of memory). */
int fz_xml_escape(fz_buf *b, const char *s, size_t n, int newlines_to_space);

/* A malloc'd copy of s[0..n) without what fz_xml_escape leaves out (not
 * escaped: for libxml2's text nodes, which escape when written). NULL
 * when memory runs out. */
char *fz_xml_clean(const char *s, size_t n);

/* Serializes doc as UTF-8 into a malloc'd buffer (*len bytes). NULL when
 * memory runs out. */
char *fz_xml_dump(xmlDocPtr doc, size_t *len);

#endif
