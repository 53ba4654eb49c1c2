/*
 * output_json.c - the machine-readable result (format in README.md).
 * Written pretty-printed with a space after each colon, so that it is
 * also valid YAML for tools that read YAML.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ident.h"
#include "output.h"
#include "rules.h"
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

static void key(FILE *f, int indent, const char *k) {
    fprintf(f, "%*s\"%s\": ", indent, "", k);
}

static void evidence_json(FILE *f, const fz_result *res) {
    fputs("[", f);
    for (size_t e = 0; e < res->nevidence; e++) {
        const fz_evidence *ev = &res->evidence[e];
        fprintf(f, "%s\n            {\"line\": %u, ", e ? "," : "", ev->line);
        if (ev->page) fprintf(f, "\"page\": %u, ", ev->page);
        else fputs("\"page\": null, ", f);
        fputs("\"section\": ", f);
        str(f, ev->section);
        fputs(", \"text\": ", f);
        str(f, ev->text);
        fputs("}", f);
    }
    fputs(res->nevidence ? "\n          ]" : "]", f);
}

static void result_json(FILE *f, const fz_result *res) {
    const fz_rule *r = res->rule;
    fputs("        {\n", f);
    key(f, 10, "id"); str(f, r->id); fputs(",\n", f);
    key(f, 10, "title"); str(f, r->title); fputs(",\n", f);
    key(f, 10, "category"); str(f, r->category); fputs(",\n", f);
    key(f, 10, "severity"); str(f, fz_severity_name(r->severity)); fputs(",\n", f);
    key(f, 10, "status"); str(f, fz_status_name(res->status)); fputs(",\n", f);
    key(f, 10, "points"); fprintf(f, "%g,\n", r->points);
    key(f, 10, "score"); fprintf(f, "%.1f,\n", res->score);
    key(f, 10, "message"); str(f, res->message); fputs(",\n", f);
    key(f, 10, "suggestion");
    str(f, res->suggestion);
    fputs(",\n", f);
    key(f, 10, "detail"); str(f, res->detail); fputs(",\n", f);
    key(f, 10, "basis"); str(f, r->basis); fputs(",\n", f);
    key(f, 10, "link"); str(f, r->link); fputs(",\n", f);
    key(f, 10, "evidence"); evidence_json(f, res); fputs("\n        }", f);
}

void fz_json_report(FILE *f, const fz_pack *pack, const fz_report *rep, int first) {
    const fz_doc *d = &rep->doc;
    fputs(first ? "\n    {\n" : ",\n    {\n", f);
    key(f, 6, "file"); str(f, rep->file); fputs(",\n", f);
    key(f, 6, "error"); str(f, rep->error); fputs(",\n", f);
    key(f, 6, "format"); str(f, d->format); fputs(",\n", f);
    key(f, 6, "encoding"); str(f, d->encoding); fputs(",\n", f);
    key(f, 6, "location");
    str(f, rep->error ? NULL : d->loc == FZ_LOC_PAGE ? "page" : d->loc == FZ_LOC_PARAGRAPH ? "paragraph" : "line");
    fputs(",\n", f);
    key(f, 6, "title"); str(f, d->title); fputs(",\n", f);
    key(f, 6, "unit"); str(f, d->unit); fputs(",\n", f);
    key(f, 6, "unit_type");
    str(f, rep->unit_type < pack->nunit_types ? pack->unit_types[rep->unit_type].name : NULL);
    fputs(",\n", f);
    key(f, 6, "unit_type_source");
    str(f, rep->unit_type < pack->nunit_types ? fz_type_source_name(rep->unit_type_source) : NULL);
    fputs(",\n", f);
    key(f, 6, "unit_source"); str(f, fz_source_name(d->unit_source)); fputs(",\n", f);
    key(f, 6, "roster_unit"); str(f, d->roster_unit); fputs(",\n", f);
    key(f, 6, "year");
    if (d->year) fprintf(f, "%d,\n", d->year);
    else fputs("null,\n", f);
    key(f, 6, "doc_number"); str(f, d->doc_number); fputs(",\n", f);
    key(f, 6, "date"); str(f, d->date); fputs(",\n", f);
    key(f, 6, "score");
    if (rep->error) fputs("null,\n", f);
    else fprintf(f, "%.1f,\n", rep->score);
    key(f, 6, "grade"); str(f, rep->error ? NULL : rep->grade); fputs(",\n", f);
    key(f, 6, "required_gaps"); fprintf(f, "%zu,\n", rep->required_gaps);
    key(f, 6, "sections"); fputs("[", f);
    for (size_t s = 0; s < d->nsections; s++) {
        const fz_section *sec = &d->sections[s];
        fprintf(f, "%s\n        {\"level\": %d, \"number\": ", s ? "," : "", sec->level);
        str(f, sec->number);
        fputs(", \"title\": ", f);
        str(f, sec->title);
        fprintf(f, ", \"line\": %u, \"role\": ", sec->line);
        const char *role = fz_report_section_role(pack, rep, s);
        str(f, role);
        fputs(", \"role_source\": ", f);
        str(f, !role ? NULL : fz_report_role_from_content(rep, s) ? "content" : "heading");
        fputs("}", f);
    }
    fputs(d->nsections ? "\n      ],\n" : "],\n", f);
    key(f, 6, "results"); fputs("[", f);
    for (size_t i = 0; i < rep->nresults; i++) {
        fputs(i ? ",\n" : "\n", f);
        result_json(f, &rep->results[i]);
    }
    fputs(rep->nresults ? "\n      ]\n    }" : "]\n    }", f);
}

void fz_json_begin(FILE *f, const fz_pack *pack) {
    fputs("{\n", f);
    key(f, 2, "tool"); str(f, "fzcheck"); fputs(",\n", f);
    key(f, 2, "version"); str(f, FZ_VERSION); fputs(",\n", f);
    key(f, 2, "rules");
    fputs("{\"path\": ", f);
    str(f, pack->path);
    fputs(", \"name\": ", f);
    str(f, pack->name);
    fputs(", \"version\": ", f);
    str(f, pack->version);
    fprintf(f, ", \"count\": %zu", pack->nrules);
    /* the packs it was built from, base first, and what they switched off */
    fputs(", \"chain\": [", f);
    for (size_t i = 0; i < pack->nlayers; i++) {
        const fz_pack_layer *l = &pack->layers[i];
        fputs(i ? ", {\"path\": " : "{\"path\": ", f);
        str(f, l->path);
        fputs(", \"name\": ", f);
        if (l->name) str(f, l->name); else fputs("null", f);
        fputs(", \"version\": ", f);
        if (l->version) str(f, l->version); else fputs("null", f);
        fputs("}", f);
    }
    fputs("], \"disabled\": [", f);
    for (size_t i = 0; i < pack->ndisabled; i++) {
        if (i) fputs(", ", f);
        str(f, pack->disabled[i].id);
    }
    fputs("]},\n", f);
    key(f, 2, "reports"); fputs("[", f);
}

/* "roster": {"path", "units", "missing": [names], "unmatched": [files],
 * "duplicates": [[files]]} */
static void roster_json(FILE *f, const fz_summary *s, size_t n, const fz_tally *t) {
    const fz_roster *r = t->roster;
    fputs(",\n", f);
    key(f, 2, "roster");
    fputs("{\n", f);
    key(f, 4, "path"); str(f, r->path); fputs(",\n", f);
    key(f, 4, "units"); fprintf(f, "%zu,\n", r->n);
    key(f, 4, "missing"); fputs("[", f);
    for (size_t u = 0, k = 0; u < r->n; u++)
        if (!t->count[u]) {
            fputs(k++ ? ", " : "", f);
            str(f, r->units[u].name);
        }
    fputs("],\n", f);
    key(f, 4, "unmatched"); fputs("[", f);
    for (size_t i = 0, k = 0; i < n; i++)
        if (!s[i].roster_unit) {
            fputs(k++ ? ", " : "", f);
            str(f, s[i].file);
        }
    fputs("],\n", f);
    key(f, 4, "duplicates"); fputs("[", f);
    for (size_t u = 0, k = 0; u < r->n; u++) {
        if (t->count[u] < 2) continue;
        fputs(k++ ? ", [" : "[", f);
        for (size_t i = 0, m = 0; i < n; i++)
            if (s[i].roster_unit && !strcmp(s[i].roster_unit, r->units[u].name)) {
                fputs(m++ ? ", " : "", f);
                str(f, s[i].file);
            }
        fputs("]", f);
    }
    fputs("]\n  }", f);
}

int fz_json_end(FILE *f, int any, const fz_summary *s, size_t n, const fz_tally *t) {
    fputs(any ? "\n  ]" : "]", f);
    if (t && t->roster) roster_json(f, s, n, t);
    fputs("\n}\n", f);
    return ferror(f) ? -1 : 0;
}
