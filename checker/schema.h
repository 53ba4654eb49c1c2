/*
 * schema.h - a JSON Schema (draft-07) validator over fz_jv trees, so that
 * a rule pack is checked against rules.schema.yaml with every violation
 * reported as "FILE:LINE:COLUMN: JSON-pointer: message" in Chinese.
 *
 * Keywords: type, properties, required, additionalProperties,
 * patternProperties, propertyNames, enum, const, pattern (PCRE2),
 * minLength, maxLength, minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, multipleOf, items, additionalItems, minItems,
 * maxItems, uniqueItems, contains, minProperties, maxProperties, allOf,
 * anyOf, oneOf, not, if/then/else, dependencies, definitions, and $ref to
 * places in the same document (JSON pointers, $id anchors and $id URIs).
 * format and remote references are not implemented: a $ref that cannot
 * be resolved is reported (and flagged, see fz_schema_unresolved).
 */
#ifndef FZ_SCHEMA_H
#define FZ_SCHEMA_H

#include <stddef.h>

#include "jsonv.h"
#include "util.h"

typedef struct fz_schema fz_schema;

/* Indexes a schema tree (which must outlive the result). NULL when memory
 * runs out. */
fz_schema *fz_schema_new(const fz_jv *root);

/* Makes another schema document (which must outlive s) available to
 * $ref by its $id, e.g. the draft-07 meta-schema. Returns 0 or -1. */
int fz_schema_add(fz_schema *s, const fz_jv *doc);

/* Validates inst. Appends one line per violation to out (file names the
 * instance's file); with out NULL, stops at the first. Returns the number
 * of violations (0: valid), or -1 when memory runs out. */
long fz_schema_validate(fz_schema *s, const fz_jv *inst, const char *file, fz_buf *out);

/* True when some $ref met so far could not be resolved in the document
 * (a remote reference). */
int fz_schema_unresolved(const fz_schema *s);

void fz_schema_free(fz_schema *s);

#endif
