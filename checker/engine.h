/*
 * engine.h - stage 5: evaluating the rule pack on one document.
 *
 * Takes a segmented document and a loaded pack; gives, for every rule, a
 * status (pass / partial / fail / na), the share of its points earned,
 * the evidence (original line, section, quote) and a Chinese message: the
 * gap and its fix for a result that is not a pass, what was found for a
 * pass. Scores and grades are the next stage's (score.h).
 *
 * The engine first gives each section its roles (problems, plan … as the
 * pack defines them by heading patterns; a role no heading gives, to the
 * section whose text is made of that role's language) and the report its
 * unit type
 * (the roster's, else the one the unit's name matches), then turns each
 * scope into the set of paragraphs it covers, then runs each rule's
 * check. A rule that does not apply to the unit's type is 不适用, with
 * the reason; a unit of unknown type gets every rule.
 */
#ifndef FZ_ENGINE_H
#define FZ_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"
#include "segment.h"
#include "util.h"

/* What told a report's unit type: the roster, the unit's name, or how the
 * report speaks of itself (a report that never names itself). */
typedef enum { FZ_TYPE_NONE, FZ_TYPE_ROSTER, FZ_TYPE_NAME, FZ_TYPE_TEXT } fz_type_source;

/* "roster", "name", "text", or NULL. */
const char *fz_type_source_name(fz_type_source s);

/* The report's unit type and what told it: the roster's type, else the
 * type the unit's name matches, else the first type whose `self`
 * patterns the text uses. */
size_t fz_report_unit_type(const fz_pack *pack, const fz_doc *doc, fz_type_source *source);

typedef struct {
    uint32_t line;    /* 1-based line of the extracted text (of the file for
                       * .txt/.md, the paragraph for .docx) */
    uint32_t page;    /* PDF/OFD: the page (line is then the line on it); 0 */
    char *section;    /* "二、存在的问题", or NULL outside any section */
    size_t sec;       /* its index in doc.sections, or FZ_NONE */
    char *text;       /* a short quote of the normalized text */
    size_t para;      /* the quoted passage: paragraph of doc.norm, */
    size_t start, end;/* and its bytes (the quote without its …) */
} fz_evidence;

typedef struct {
    const fz_rule *rule;
    fz_status status;
    double ratio;     /* share of the points earned, 0..1 */
    double score;     /* points × ratio, set by fz_score_report */
    char *message;    /* gap (rule message, values filled in) or finding */
    char *detail;     /* what the check found, in plain Chinese */
    char *suggestion; /* the rule's fix with values filled in, NULL for pass/na */
    fz_evidence *evidence;
    size_t nevidence;
} fz_result;

typedef struct {
    char *file;            /* path as given */
    char *error;           /* set when the report could not be read */
    fz_doc doc;
    uint32_t *section_roles; /* role bits of each section */
    uint32_t *section_content_roles; /* of those, the bits read from content */
    size_t unit_type;      /* index in pack->unit_types, or FZ_NO_ROLE (unknown) */
    fz_type_source unit_type_source; /* what told the type */
    fz_result *results;    /* one per rule, in pack order */
    size_t nresults;
    /* set by fz_score_report: */
    double score;          /* 0..100, one decimal */
    double points;         /* points of the rules that applied */
    const char *grade;     /* points to the pack's grade name */
    size_t required_gaps;  /* required rules that did not pass */
    /* the report's JSON line (output.h) when a worker already wrote it,
     * so that the process writing every output does not: else NULL */
    char *json_line;
    /* what a worker made of the report for the process that writes the
     * files (NULL when not asked for): its HTML page (output.h), its
     * annotated Word copy, and why one of them could not be made */
    char *page;
    fz_buf annotated;
    char *render_error;
    /* --previous (previous.h): in the worker, last year's reports given
     * (NULL: none) and the one of this report's unit (borrowed, never
     * sent); what the pairing found (sent); and, for a report that is
     * itself one of last year's, its fingerprint (sent) */
    const struct fz_prev_index *prev_index;
    const struct fz_prev_report *paired;
    struct fz_prev_summary *previous;
    fz_buf fingerprint;
} fz_report;

/* Evaluates every rule of pack on *doc. The report takes ownership of the
 * document (and *doc is emptied). Returns 0, or -1 when memory runs out
 * (then the report holds what it has and must still be freed). */
int fz_engine_check(const fz_pack *pack, fz_doc *doc, fz_report *report, char **err);

/* Name of the first role of section i, or NULL. */
const char *fz_report_section_role(const fz_pack *pack, const fz_report *r, size_t i);

/* Whether section i's role came from its content rather than its heading. */
int fz_report_role_from_content(const fz_report *r, size_t i);

/* Frees the results (a report that ends as an error keeps no verdicts). */
void fz_report_drop_results(fz_report *r);

void fz_report_free(fz_report *r);

#endif
