/*
 * output.c - the summary kept of each report, and the ranking (see
 * output.h). Shared by the text summary and the workbook, so that both
 * rank alike.
 */
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "util.h"

static int dup_or_null(const char *s, char **out) {
    *out = NULL;
    if (!s) return 0;
    *out = fz_strdup(s);
    return *out ? 0 : -1;
}

int fz_summary_of(const fz_pack *pack, const fz_report *r, fz_summary *s) {
    memset(s, 0, sizeof *s);
    const fz_doc *d = &r->doc;
    if (dup_or_null(r->file, &s->file) || dup_or_null(r->error, &s->error) ||
        dup_or_null(d->unit, &s->unit) || dup_or_null(d->title, &s->title) ||
        dup_or_null(d->doc_number, &s->doc_number) || dup_or_null(d->date, &s->date) ||
        dup_or_null(d->roster_unit, &s->roster_unit))
        goto oom;
    s->unit_type = r->unit_type < pack->nunit_types ? pack->unit_types[r->unit_type].name : NULL;
    s->year = d->year;
    s->score = r->score;
    s->grade = r->grade;
    s->required_gaps = r->required_gaps;
    if (r->error) return 0;
    size_t n = pack->nrules ? pack->nrules : 1;
    s->status = calloc(n, sizeof *s->status);
    s->scores = calloc(n, sizeof *s->scores);
    if (!s->status || !s->scores) goto oom;
    for (size_t i = 0; i < r->nresults && i < pack->nrules; i++) {
        s->status[i] = r->results[i].status;
        s->scores[i] = r->results[i].score;
    }
    return 0;
oom:
    fz_summary_free(s);
    return -1;
}

void fz_summary_free(fz_summary *s) {
    free(s->file);
    free(s->error);
    free(s->unit);
    free(s->title);
    free(s->doc_number);
    free(s->date);
    free(s->roster_unit);
    free(s->status);
    free(s->scores);
    memset(s, 0, sizeof *s);
}

static const fz_summary *rank_base;

static int by_rank(const void *a, const void *b) {
    const fz_summary *x = &rank_base[*(const size_t *)a], *y = &rank_base[*(const size_t *)b];
    if (!!x->error != !!y->error) return x->error ? 1 : -1;
    if (x->score != y->score) return x->score < y->score ? 1 : -1;
    return strcmp(x->file, y->file);
}

void fz_summary_rank(const fz_summary *s, size_t n, size_t *order) {
    for (size_t i = 0; i < n; i++) order[i] = i;
    rank_base = s; /* qsort has no context argument in C11 */
    qsort(order, n, sizeof *order, by_rank);
    rank_base = NULL;
}

void fz_summary_ranks(const fz_summary *s, const size_t *order, size_t n, size_t *rank) {
    for (size_t i = 0; i < n; i++) {
        const fz_summary *cur = &s[order[i]];
        if (cur->error) rank[i] = 0;
        else if (i > 0 && !s[order[i - 1]].error && s[order[i - 1]].score == cur->score)
            rank[i] = rank[i - 1];
        else
            rank[i] = i + 1;
    }
}

int fz_tally_of(const fz_roster *roster, const fz_summary *s, size_t n, fz_tally *t) {
    memset(t, 0, sizeof *t);
    t->roster = roster;
    if (!roster) return 0;
    t->count = calloc(roster->n ? roster->n : 1, sizeof *t->count);
    if (!t->count) return -1;
    for (size_t i = 0; i < n; i++) {
        long u = s[i].roster_unit ? fz_roster_find(roster, s[i].roster_unit) : -1;
        if (u < 0) t->unmatched++;
        else t->count[u]++;
    }
    for (size_t u = 0; u < roster->n; u++) {
        t->missing += t->count[u] == 0;
        t->duplicated += t->count[u] > 1;
    }
    return 0;
}

void fz_tally_free(fz_tally *t) {
    free(t->count);
    memset(t, 0, sizeof *t);
}
