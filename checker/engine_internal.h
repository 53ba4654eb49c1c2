/*
 * engine_internal.h - what engine.c and checks.c share: the evaluation
 * context and the outcome a check fills in.
 */
#ifndef FZ_ENGINE_INTERNAL_H
#define FZ_ENGINE_INTERNAL_H

#include <stdint.h>

#include "engine.h"
#include "util.h"

/* Evidence kept per result at most. */
#define FZ_MAX_EVIDENCE 5

typedef struct {
    const fz_pack *pack;
    const fz_doc *doc;
    const uint32_t *roles;   /* role bits per section */
    size_t unit_type;        /* the report's unit type, or FZ_NO_ROLE */
    uint8_t **masks;         /* per scope: 1 for each paragraph inside */
    int oom;
} fz_ctx;

/* Values a rule's message may use: {found} {missing} {value} {expected}
 * {count} {min}. */
enum { V_FOUND, V_MISSING, V_VALUE, V_EXPECTED, V_COUNT, V_MIN, V_COUNT_ };

typedef struct {
    fz_status status;
    double ratio;            /* < 0: use the pack's share for partial */
    fz_buf detail;
    fz_evidence *evidence;
    size_t nevidence, cap;
    char *vars[V_COUNT_];
} fz_outcome;

/* checks.c: the primitive check kinds */
void fz_check_section(fz_ctx *x, const fz_check *c, fz_outcome *o);
void fz_check_presence(fz_ctx *x, const fz_check *c, fz_outcome *o);
void fz_check_figures(fz_ctx *x, const fz_check *c, fz_outcome *o);
void fz_check_year(fz_ctx *x, const fz_check *c, fz_outcome *o);
void fz_check_field(fz_ctx *x, const fz_check *c, fz_outcome *o);
void fz_check_absence(fz_ctx *x, const fz_check *c, fz_outcome *o);

/* engine.c: helpers for the checks */
const uint8_t *fz_scope_mask(fz_ctx *x, size_t scope);
void fz_outcome_evidence(fz_ctx *x, fz_outcome *o, size_t para, size_t start, size_t end);
void fz_outcome_set(fz_ctx *x, fz_outcome *o, int var, const char *value);
void fz_outcome_detail(fz_ctx *x, fz_outcome *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* First match of any pattern in paragraph p from byte `from`. */
int fz_match_any(fz_ctx *x, const fz_patterns *ps, size_t p, size_t from, size_t to,
                 size_t *ms, size_t *me);

#endif
