/*
 * zipxml.h - the two things .docx and .ofd files are made of: a zip
 * archive and XML inside it, read defensively.
 *
 * Zip entries are read from memory (libzip) with caps on what is inflated
 * (per entry and per file), on the inflation ratio and on the number of
 * entries, so a zip bomb is an error, not an exhausted machine; encrypted
 * entries are refused. Archives are opened without libzip's strict
 * consistency check: real Word output does not always pass it (local
 * headers that differ from the central directory in ways that do not
 * matter for reading), and the caps above are what guards against bombs. XML (libxml2) is parsed with no
 * network access, no DTD loading and no entity expansion; a document that
 * declares a DTD or entities at all is refused, as are documents nested
 * deeper than libxml2's default limit.
 */
#ifndef FZ_ZIPXML_H
#define FZ_ZIPXML_H

#include <libxml/tree.h>
#include <stddef.h>
#include <zip.h>

/* At most this much is inflated from one entry, and from one file. */
#define FZ_ZIP_MAX_ENTRY ((size_t)64 * 1024 * 1024)
#define FZ_ZIP_MAX_TOTAL ((size_t)256 * 1024 * 1024)
/* An archive of more entries than this is refused. */
#define FZ_ZIP_MAX_ENTRIES 100000
/* Past this much inflated from one entry, it may not exceed this many
 * times its compressed size (deflate's own limit is about 1032). */
#define FZ_ZIP_RATIO_FLOOR ((size_t)8 * 1024 * 1024)
#define FZ_ZIP_MAX_RATIO 1100

typedef struct {
    zip_t *zip;
    size_t inflated;   /* bytes read from entries so far */
} fz_zip;

/* Opens a zip archive held in memory (which must outlive it). Returns 0,
 * or -1 with a Chinese message (not a zip, damaged, encrypted). */
int fz_zip_open(fz_zip *z, const char *bytes, size_t n, const char *what, char **err);

/* True when the archive has an entry of that name. */
int fz_zip_has(fz_zip *z, const char *name);

/* Reads one entry whole into a malloc'd, NUL-terminated buffer. Returns 0,
 * or -1 with a Chinese message (missing, too large, damaged, encrypted). */
int fz_zip_read(fz_zip *z, const char *name, char **data, size_t *len, char **err);

void fz_zip_close(fz_zip *z);

/* The entry a reference inside the archive names: `loc` relative to the
 * directory of the entry `base` ("" for the root), or from the root when
 * it starts with '/'; "." and ".." segments and repeated slashes resolved,
 * surrounding white space dropped (writers leave some). Returns a malloc'd
 * path, or NULL when loc is empty or memory runs out. */
char *fz_zip_path(const char *base, const char *loc);

/* Parses XML defensively (see above). Returns the document, or NULL with a
 * Chinese message naming `what`. */
xmlDocPtr fz_xml_parse(const char *data, size_t len, const char *what, char **err);

/* The first child element of n with the local name `name`, or NULL. */
xmlNodePtr fz_xml_child(xmlNodePtr n, const char *name);

/* True when element n has the local name `name` (namespace ignored). */
int fz_xml_is(xmlNodePtr n, const char *name);

/* An attribute by local name (namespace ignored), malloc'd by libxml2
 * (free with xmlFree), or NULL. */
char *fz_xml_attr(xmlNodePtr n, const char *name);

#endif
