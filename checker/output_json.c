/*
 * output_json.c - the machine-readable results (format 3, see README.md).
 *
 * One document per run: the pack, its rules once (title, category,
 * severity, points, basis, link), then the reports, one line each, whose
 * results name their rule by id. A shard (--jsonl) is the same report
 * lines between a header line holding the pack and rules and an end line
 * holding the count, so that a merge can tell a whole shard from a cut
 * one. Written compactly, without spaces after colons and commas: YAML
 * readers (libyaml, PyYAML) still take it, since its keys are quoted.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ident.h"
#include "output.h"
#include "previous.h"
#include "rules.h"
#include "similar.h"
#include "utf8.h"

#ifndef FZ_VERSION
#define FZ_VERSION "0.0.0"
#endif

static void str(FILE *f, const char *s) {
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    size_t len = strlen(s);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x80) {
            /* file names come from the file system and need not be UTF-8 */
            uint32_t cp;
            int n = fz_utf8_decode((const char *)p, len - (size_t)(p - (const unsigned char *)s), &cp);
            if (n < 0) {
                fputs("\xEF\xBF\xBD", f); /* U+FFFD */
            } else {
                fwrite(p, 1, (size_t)n, f);
                p += n - 1;
            }
            continue;
        }
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20) fprintf(f, "\\u%04x", *p);
            else fputc(*p, f);
        }
    }
    fputc('"', f);
}

/* `"k": "v"` with the separator before it ("" for the first member). */
static void member_str(FILE *f, const char *sep, const char *k, const char *v) {
    fprintf(f, "%s\"%s\":", sep, k);
    str(f, v);
}

/* In results and evidence a member that would be null is left out (page
 * outside PDF/OFD, no suggestion, a detail that repeats the message), and
 * an evidence's section is its index in the report's sections: together
 * with the compact separators this halves a report's line. */
static void evidence_json(FILE *f, const fz_result *res) {
    fputs(",\"evidence\":[", f);
    for (size_t e = 0; e < res->nevidence; e++) {
        const fz_evidence *ev = &res->evidence[e];
        fprintf(f, "%s{\"line\":%u", e ? "," : "", ev->line);
        if (ev->page) fprintf(f, ",\"page\":%u", ev->page);
        if (ev->sec != FZ_NONE) fprintf(f, ",\"section\":%zu", ev->sec);
        member_str(f, ",", "text", ev->text);
        fputc('}', f);
    }
    fputc(']', f);
}

/* `,"score":x` to one decimal, without a ".0" (15, 6.3). */
static void score_json(FILE *f, double score) {
    char b[64];
    int n = snprintf(b, sizeof b, "%.1f", score);
    if (n > 2 && n < (int)sizeof b && !strcmp(b + n - 2, ".0")) b[n - 2] = '\0';
    fprintf(f, ",\"score\":%s", b);
}

/* `,"k":"v"`, or nothing when v is NULL. */
static void member_opt(FILE *f, const char *k, const char *v) {
    if (v) member_str(f, ",", k, v);
}

static void result_json(FILE *f, const fz_result *res) {
    member_str(f, "{", "id", res->rule->id);
    member_str(f, ",", "status", fz_status_name(res->status));
    score_json(f, res->score);
    member_str(f, ",", "message", res->message);
    /* a suggestion the rule gives as it stands is in "rules" already */
    int stock = res->suggestion && res->rule->suggestion && !strcmp(res->suggestion, res->rule->suggestion);
    member_opt(f, "suggestion", stock ? NULL : res->suggestion);
    /* most checks find what they say: the detail is written only when it
     * adds to the message */
    int same = res->detail && res->message && !strcmp(res->detail, res->message);
    member_opt(f, "detail", same ? NULL : res->detail);
    evidence_json(f, res);
    fputc('}', f);
}

static void sections_json(FILE *f, const fz_pack *pack, const fz_report *rep) {
    const fz_doc *d = &rep->doc;
    fputs(",\"sections\":[", f);
    for (size_t s = 0; s < d->nsections; s++) {
        const fz_section *sec = &d->sections[s];
        fprintf(f, "%s{\"level\":%d", s ? "," : "", sec->level);
        member_str(f, ",", "marker", sec->marker);
        member_str(f, ",", "title", sec->title);
        fprintf(f, ",\"line\":%u", sec->line);
        const char *role = fz_report_section_role(pack, rep, s);
        member_opt(f, "role", role);
        /* a role comes from the heading unless it says otherwise: only
         * "content" is written (since 0.3.1; a reader takes a role without
         * role_source as "heading") */
        member_opt(f, "role_source", role && fz_report_role_from_content(rep, s) ? "content" : NULL);
        fputc('}', f);
    }
    fputc(']', f);
}

static const char *location_name(const fz_report *rep) {
    if (rep->error) return NULL;
    switch (rep->doc.loc) {
    case FZ_LOC_PAGE: return "page";
    case FZ_LOC_PARAGRAPH: return "paragraph";
    default: return "line";
    }
}

/* At the report level too a member that would be null is left out (no
 * error, no roster unit, no document number or date, the year unknown;
 * score and grade when the report could not be read): a reader takes a
 * missing member as null. Only file and required_gaps, and the sections
 * and results arrays, are always written. */
/* `,"k":share` to three decimals, or nothing when the share is unknown (< 0). */
static void share_json(FILE *f, const char *k, double v) {
    if (v >= 0) fprintf(f, ",\"%s\":%.3g", k, v);
}

/* `,"promises":[{text, followed, line?, page?, evidence?}]`: last year's
 * promises, each with or without its account this year. */
static void promises_json(FILE *f, const fz_prev_summary *p) {
    if (!p->has_promises) return;
    fputs(",\"promises\":[", f);
    for (size_t i = 0; i < p->npromises; i++) {
        const fz_prev_promise *pm = &p->promises[i];
        member_str(f, i ? ",{" : "{", "text", pm->text ? pm->text : "");
        fprintf(f, ",\"followed\":%s", pm->followed ? "true" : "false");
        if (pm->followed) {
            fprintf(f, ",\"line\":%u", pm->line);
            if (pm->page) fprintf(f, ",\"page\":%u", pm->page);
            member_opt(f, "evidence", pm->evidence);
        }
        fputc('}', f);
    }
    fputc(']', f);
}

/* `,"gaps":[{rule, was, now}]`: last year's required gaps, and this
 * year's verdict on each (pass: rectified). */
static void gaps_json(FILE *f, const fz_prev_summary *p) {
    fputs(",\"gaps\":[", f);
    for (size_t i = 0; i < p->ngaps; i++) {
        member_str(f, i ? ",{" : "{", "rule", p->gaps[i].rule ? p->gaps[i].rule : "");
        member_str(f, ",", "was", fz_status_name(p->gaps[i].was));
        member_str(f, ",", "now", fz_status_name(p->gaps[i].now));
        fputc('}', f);
    }
    fputc(']', f);
}

/* `,"previous":{file, score, grade, reused, problems_reused, plan_reused,
 * promises, gaps}` for a report paired with its unit's report of the year
 * before. */
static void previous_json(FILE *f, const fz_prev_summary *p) {
    if (!p) return;
    member_str(f, ",\"previous\":{", "file", p->file);
    score_json(f, p->score);
    member_opt(f, "grade", p->grade);
    share_json(f, "reused", p->reused);
    share_json(f, "problems_reused", p->problems_reused);
    share_json(f, "plan_reused", p->plan_reused);
    promises_json(f, p);
    gaps_json(f, p);
    fputc('}', f);
}

void fz_json_report_line(FILE *f, const fz_pack *pack, const fz_report *rep) {
    if (rep->json_line) {
        fputs(rep->json_line, f);
        return;
    }
    const fz_doc *d = &rep->doc;
    int typed = rep->unit_type < pack->nunit_types;
    member_str(f, "{", "file", rep->file);
    member_opt(f, "error", rep->error);
    member_opt(f, "format", d->format);
    member_opt(f, "encoding", d->encoding);
    member_opt(f, "location", location_name(rep));
    member_opt(f, "title", d->title);
    member_opt(f, "unit", d->unit);
    member_opt(f, "unit_type", typed ? pack->unit_types[rep->unit_type].name : NULL);
    member_opt(f, "unit_type_source", typed ? fz_type_source_name(rep->unit_type_source) : NULL);
    member_opt(f, "unit_source", fz_source_name(d->unit_source));
    member_opt(f, "roster_unit", d->roster_unit);
    if (d->year) fprintf(f, ",\"year\":%d", d->year);
    member_opt(f, "doc_number", d->doc_number);
    member_opt(f, "date", d->date);
    if (!rep->error) score_json(f, rep->score);
    member_opt(f, "grade", rep->error ? NULL : rep->grade);
    fprintf(f, ",\"required_gaps\":%zu", rep->required_gaps);
    previous_json(f, rep->previous);
    sections_json(f, pack, rep);
    fputs(",\"results\":[", f);
    for (size_t i = 0; i < rep->nresults; i++) {
        if (i) fputc(',', f);
        result_json(f, &rep->results[i]);
    }
    fputs("]}", f);
}

void fz_json_report(FILE *f, const fz_pack *pack, const fz_report *rep, int first) {
    fputs(first ? "\n    " : ",\n    ", f);
    fz_json_report_line(f, pack, rep);
}

/* "pack": {path, name, version, count, chain: [...], disabled: [...]} */
static void pack_json(FILE *f, const fz_pack *pack) {
    member_str(f, "", "path", pack->path);
    member_str(f, ",", "name", pack->name);
    member_str(f, ",", "version", pack->version);
    fprintf(f, ",\"count\":%zu", pack->nrules);
    /* the packs it was built from, base first, and what they switched off */
    fputs(",\"chain\":[", f);
    for (size_t i = 0; i < pack->nlayers; i++) {
        const fz_pack_layer *l = &pack->layers[i];
        member_str(f, i ? ",{" : "{", "path", l->path);
        member_str(f, ",", "name", l->name);
        member_str(f, ",", "version", l->version);
        fputc('}', f);
    }
    fputs("], \"disabled\":[", f);
    for (size_t i = 0; i < pack->ndisabled; i++) {
        if (i) fputc(',', f);
        str(f, pack->disabled[i].id);
    }
    fputc(']', f);
}

static void rule_json(FILE *f, const fz_rule *r) {
    member_str(f, "{", "id", r->id);
    member_str(f, ",", "title", r->title);
    member_str(f, ",", "category", r->category);
    member_str(f, ",", "severity", fz_severity_name(r->severity));
    fprintf(f, ",\"points\":%g", r->points);
    member_str(f, ",", "basis", r->basis);
    member_str(f, ",", "link", r->link);
    member_str(f, ",", "suggestion", r->suggestion);
    fputc('}', f);
}

/* The members every document and shard opens with; sep goes between the
 * rules (a new line in the document, nothing in a shard's one line). */
static void head_json(FILE *f, const fz_pack *pack, const char *sep) {
    member_str(f, "", "tool", "fzcheck");
    fprintf(f, ",\"format\":%d", FZ_JSON_FORMAT);
    member_str(f, ",", "version", FZ_VERSION);
    fputs(",\"pack\":{", f);
    pack_json(f, pack);
    fputs("},\"rules\":[", f);
    for (size_t i = 0; i < pack->nrules; i++) {
        fputs(i ? "," : "", f);
        fputs(sep, f);
        rule_json(f, &pack->rules[i]);
    }
    fputs("]", f);
}

void fz_json_begin(FILE *f, const fz_pack *pack) {
    fputs("{", f);
    head_json(f, pack, "\n    ");
    fputs(",\n  \"reports\":[", f);
}

/* The files of the reports matched to roster unit u (u < 0: to none),
 * as JSON strings. Returns 0 or -1 (a summary unreadable). */
static int files_of_unit(FILE *f, fz_sums *ss, const fz_roster *r, long u) {
    for (size_t i = 0, k = 0; i < fz_sums_count(ss); i++) {
        fz_summary s;
        if (fz_sums_get(ss, i, &s) < 0) return -1;
        long v = s.roster_unit ? fz_roster_find(r, s.roster_unit) : -1;
        if (v == u) {
            fputs(k++ ? "," : "", f);
            str(f, s.file);
        }
        fz_summary_free(&s);
    }
    return 0;
}

/* "roster": {"path", "units", "missing": [names], "unmatched": [files],
 * "duplicates": [[files]]} */
static int roster_json(FILE *f, fz_sums *ss, const fz_tally *t) {
    const fz_roster *r = t->roster;
    fputs(",\n  \"roster\":{", f);
    member_str(f, "", "path", r->path);
    fprintf(f, ",\"units\":%zu,\"missing\":[", r->n);
    for (size_t u = 0, k = 0; u < r->n; u++)
        if (!t->count[u]) {
            fputs(k++ ? "," : "", f);
            str(f, r->units[u].name);
        }
    fputs("],\n    \"unmatched\":[", f);
    if (t->unmatched && files_of_unit(f, ss, r, -1) < 0) return -1;
    fputs("],\n    \"duplicates\":[", f);
    for (size_t u = 0, k = 0; u < r->n; u++) {
        if (t->count[u] < 2) continue;
        fputs(k++ ? ",[" : "[", f);
        if (files_of_unit(f, ss, r, (long)u) < 0) return -1;
        fputs("]", f);
    }
    fputs("]}", f);
    return 0;
}

/* `,"similar":{"reports":n,"boilerplate":k,"pairs":[{"files":[a,b],"shared":s,"share":x,
 * "passages":[text…]}]}` */
static int similar_json(FILE *f, fz_sums *ss, const fz_sim_result *sim) {
    fprintf(f, ",\n  \"similar\":{\"reports\":%zu,\"boilerplate\":%zu,\"pairs\":[", sim->reports,
            sim->boilerplate);
    for (size_t i = 0; i < sim->npairs; i++) {
        const fz_sim_pair *p = &sim->pairs[i];
        fz_summary a, b;
        if (fz_sums_get_two(ss, p->a, p->b, &a, &b) < 0) return -1;
        fputs(i ? ",\n    {\"files\":[" : "\n    {\"files\":[", f);
        str(f, a.file);
        fputc(',', f);
        str(f, b.file);
        fprintf(f, "],\"shared\":%zu,\"share\":%.3g,\"passages\":[", p->shared, p->share);
        for (size_t k = 0; k < p->npassages; k++) {
            if (k) fputc(',', f);
            str(f, p->passages[k]);
        }
        fputs("]}", f);
        fz_summary_free(&a);
        fz_summary_free(&b);
    }
    fputs(sim->npairs ? "\n  ]}" : "]}", f);
    return 0;
}

/* The entries of t in state st: `[{"file":…,"unit"|"error":…}]`. */
static void entries_json(FILE *f, const fz_prev_tally *t, fz_prev_state st) {
    fputc('[', f);
    for (size_t i = 0, k = 0; i < t->n; i++) {
        const fz_prev_entry *e = &t->v[i];
        if (e->state != st) continue;
        member_str(f, k++ ? ",{" : "{", "file", e->file);
        member_opt(f, st == FZ_PREV_UNREADABLE ? "error" : "unit", st == FZ_PREV_UNREADABLE ? e->error : e->unit);
        fputc('}', f);
    }
    fputc(']', f);
}

/* `,"previous":{"reports":n,"paired":k,"unpaired":[{file,unit}],
 * "unreadable":[{file,error}]}`: what became of last year's reports. */
static void previous_tally_json(FILE *f, const fz_prev_tally *t) {
    fprintf(f, ",\n  \"previous\":{\"reports\":%zu,\"paired\":%zu,\"unpaired\":", t->n, t->paired);
    entries_json(f, t, FZ_PREV_UNPAIRED);
    fputs(",\"unreadable\":", f);
    entries_json(f, t, FZ_PREV_UNREADABLE);
    fputc('}', f);
}

int fz_json_end(FILE *f, fz_sums *ss) {
    return fz_json_end_cross(f, ss, NULL);
}

int fz_json_end_cross(FILE *f, fz_sums *ss, const fz_cross *cross) {
    fputs(fz_sums_count(ss) ? "\n  ]" : "]", f);
    const fz_tally *t = fz_sums_tally(ss);
    if (t->roster && roster_json(f, ss, t) < 0) return -1;
    if (cross && cross->previous) previous_tally_json(f, cross->previous);
    if (cross && cross->sim && similar_json(f, ss, cross->sim) < 0) return -1;
    fputs("\n}\n", f);
    return ferror(f) ? -1 : 0;
}

/* ---- shards ---- */

void fz_jsonl_begin(FILE *f, const fz_pack *pack, const fz_roster *roster, int previous) {
    fputs("{", f);
    head_json(f, pack, "");
    fputs(",\"shard\":{\"roster\":", f);
    if (roster) {
        member_str(f, "{", "path", roster->path);
        fprintf(f, ",\"units\":%zu}", roster->n);
    } else {
        fputs("null", f);
    }
    if (previous) fputs(",\"previous\":true", f);
    fputs("}}\n", f);
}

void fz_jsonl_report(FILE *f, const fz_pack *pack, const fz_report *rep) {
    fz_json_report_line(f, pack, rep);
    fputc('\n', f);
}

static const char *state_name(fz_prev_state st) {
    return st == FZ_PREV_PAIRED ? "paired" : st == FZ_PREV_UNPAIRED ? "unpaired" : "unreadable";
}

int fz_jsonl_end(FILE *f, size_t n, const fz_prev_tally *t) {
    fprintf(f, "{\"end\":{\"reports\":%zu", n);
    /* last year's reports and what became of each, so that merge can
     * tell which no shard paired */
    if (t) {
        fputs(",\"previous\":[", f);
        for (size_t i = 0; i < t->n; i++) {
            const fz_prev_entry *e = &t->v[i];
            member_str(f, i ? ",{" : "{", "file", e->file);
            member_opt(f, "unit", e->unit);
            member_opt(f, "error", e->error);
            if (e->state != FZ_PREV_UNREADABLE) score_json(f, e->score);
            member_str(f, ",", "state", state_name(e->state));
            fputc('}', f);
        }
        fputc(']', f);
    }
    fputs("}}\n", f);
    return ferror(f) ? -1 : 0;
}
