/*
 * output.c - the summary kept of each report, the set of them kept on
 * disk for a run, and the ranking (see output.h). Shared by the text
 * summary, the JSON and the workbook, so that all rank alike.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "atomic.h"
#include "output.h"
#include "previous.h"
#include "strset.h"
#include "util.h"

static int dup_or_null(const char *s, char **out) {
    *out = NULL;
    if (!s) return 0;
    *out = fz_strdup(s);
    return *out ? 0 : -1;
}

/* Quotes kept of the sentences said again from last year's report. */
#define REUSED_QUOTES 5

/* The evidence of the reuse rule over the whole report (else the first
 * reuse rule with any): the sentences said again, a line each. */
static int reused_quotes(const fz_pack *pack, const fz_report *r, fz_buf *b) {
    const fz_result *best = NULL;
    size_t doc = fz_pack_scope(pack, "document");
    for (size_t i = 0; i < r->nresults && i < pack->nrules; i++) {
        const fz_check *c = &pack->rules[i].check;
        if (c->kind != FZ_CHECK_REUSE || !r->results[i].nevidence) continue;
        if (!best || (c->scope == doc && best->rule->check.scope != doc)) best = &r->results[i];
    }
    for (size_t k = 0; best && k < best->nevidence && k < REUSED_QUOTES; k++)
        if (fz_buf_printf(b, "%s%s", k ? "\n" : "", best->evidence[k].text ? best->evidence[k].text : "") < 0)
            return -1;
    return 0;
}

/* What the summary keeps of the pairing with last year's report. */
static int summarize_previous(const fz_pack *pack, const fz_report *r, fz_summary *s) {
    const fz_prev_summary *p = r->previous;
    s->has_previous = 1;
    s->prev_score = p->score;
    s->reused = p->reused;
    s->problems_reused = p->problems_reused;
    s->plan_reused = p->plan_reused;
    s->has_promises = p->has_promises;
    s->promises = p->npromises;
    fz_buf missing = {0}, gaps = {0};
    int bad = dup_or_null(p->file, &s->prev_file) || dup_or_null(p->grade, &s->prev_grade);
    for (size_t i = 0; i < p->npromises && !bad; i++) {
        if (p->promises[i].followed) s->promises_followed++;
        else bad = fz_buf_printf(&missing, "%s%s", missing.len ? "、" : "",
                                 p->promises[i].text ? p->promises[i].text : "") < 0;
    }
    if (!bad) bad = fz_prev_gaps_text(pack, p, &gaps) < 0;
    s->promises_missing = fz_buf_steal(&missing);
    s->prev_gaps = fz_buf_steal(&gaps);
    fz_buf quotes = {0};
    if (!bad) bad = reused_quotes(pack, r, &quotes) < 0;
    s->reused_quotes = fz_buf_steal(&quotes);
    return bad ? -1 : 0;
}

double fz_summary_change(const fz_summary *s) {
    double d = round((s->score - s->prev_score) * 10) / 10;
    return d == 0 ? 0 : d;
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
    if (r->previous && summarize_previous(pack, r, s) < 0) goto oom;
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
    free(s->prev_file);
    free(s->prev_grade);
    free(s->promises_missing);
    free(s->prev_gaps);
    free(s->reused_quotes);
    memset(s, 0, sizeof *s);
}

/* ---- the summaries of a run, on disk -------------------------------------- */

/* What stays in memory of each report: 16 bytes. The records follow one
 * another in the spill file, so a record's length is where the next one
 * starts, less its own offset. */
typedef struct {
    uint64_t offset;   /* of its record in the spill file */
    int32_t score10;   /* score × 10; -1 when it could not be read */
    uint32_t unit;     /* offset of its unit label in the key arena */
} sum_entry;

struct fz_sums {
    const fz_pack *pack;
    FILE *spill;
    uint64_t size;     /* bytes written to it */
    int dirty;         /* written since the last flush */
    sum_entry *e;
    size_t n, cap;
    /* the distinct unit labels: a batch has many reports of each unit
     * (the years, the drafts), and the label is only a sort key */
    fz_strset labels;
    fz_tally tally;
    size_t paired;     /* summaries with has_previous */
};

fz_sums *fz_sums_new(const fz_pack *pack, const fz_roster *roster, char **err) {
    fz_sums *ss = calloc(1, sizeof *ss);
    if (!ss) {
        fz_fail(err, FZ_ENOMEM);
        return NULL;
    }
    ss->pack = pack;
    ss->tally.roster = roster;
    if (roster && !(ss->tally.count = calloc(roster->n ? roster->n : 1, sizeof *ss->tally.count))) {
        free(ss);
        fz_fail(err, FZ_ENOMEM);
        return NULL;
    }
    if (!(ss->spill = fz_scratch_file("sums"))) {
        fz_fail(err, "无法创建临时文件（汇总）：%s", fz_errno_message(errno));
        fz_sums_free(ss);
        return NULL;
    }
    return ss;
}

void fz_sums_free(fz_sums *ss) {
    if (!ss) return;
    if (ss->spill) fclose(ss->spill);
    free(ss->e);
    fz_strset_free(&ss->labels);
    free(ss->tally.count);
    free(ss);
}

size_t fz_sums_count(const fz_sums *ss) {
    return ss->n;
}

size_t fz_sums_paired(const fz_sums *ss) {
    return ss->paired;
}

int fz_sums_get_two(fz_sums *ss, size_t i, size_t j, fz_summary *a, fz_summary *b) {
    if (fz_sums_get(ss, i, a) < 0) return -1;
    if (fz_sums_get(ss, j, b) < 0) {
        fz_summary_free(a);
        return -1;
    }
    return 0;
}

int fz_sums_failed(const fz_sums *ss, size_t i) {
    return ss->e[i].score10 < 0;
}

double fz_sums_score(const fz_sums *ss, size_t i) {
    return ss->e[i].score10 < 0 ? 0 : ss->e[i].score10 / 10.0;
}

/* The record: strings as a length (UINT32_MAX: NULL) and bytes, then the
 * numbers, then one status byte and one score per rule. */
static int put(fz_buf *b, const void *p, size_t n) {
    return fz_buf_append(b, p, n);
}

static int put_s(fz_buf *b, const char *s) {
    uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;
    return put(b, &n, sizeof n) < 0 || (s && put(b, s, n) < 0) ? -1 : 0;
}

/* The pairing with last year's report: a flag byte, and when set its
 * strings and numbers. */
static int encode_previous(const fz_summary *s, fz_buf *b) {
    unsigned char has = (unsigned char)(s->has_previous | s->has_promises << 1);
    if (put(b, &has, 1) < 0) return -1;
    if (!s->has_previous) return 0;
    const char *strs[] = {s->prev_file, s->prev_grade, s->promises_missing, s->prev_gaps, s->reused_quotes};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        if (put_s(b, strs[i]) < 0) return -1;
    double nums[] = {s->prev_score, s->reused, s->problems_reused, s->plan_reused};
    uint64_t counts[] = {s->promises, s->promises_followed};
    return put(b, nums, sizeof nums) < 0 || put(b, counts, sizeof counts) < 0 ? -1 : 0;
}

static int encode(const fz_pack *pack, const fz_summary *s, fz_buf *b) {
    const char *strs[] = {s->file, s->error, s->unit, s->title, s->doc_number, s->date,
                          s->roster_unit, s->unit_type, s->grade};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        if (put_s(b, strs[i]) < 0) return -1;
    uint64_t gaps = s->required_gaps;
    int32_t year = s->year;
    if (put(b, &year, sizeof year) < 0 || put(b, &s->score, sizeof s->score) < 0 ||
        put(b, &gaps, sizeof gaps) < 0 || encode_previous(s, b) < 0)
        return -1;
    for (size_t r = 0; s->status && r < pack->nrules; r++) {
        unsigned char st = (unsigned char)s->status[r];
        if (put(b, &st, 1) < 0 || put(b, &s->scores[r], sizeof s->scores[r]) < 0) return -1;
    }
    return 0;
}

static void count_in_tally(fz_tally *t, const fz_summary *s) {
    if (!t->roster) return;
    long u = s->roster_unit ? fz_roster_find(t->roster, s->roster_unit) : -1;
    if (u < 0) {
        t->unmatched++;
        return;
    }
    t->count[u]++;
}

int fz_sums_add(fz_sums *ss, const fz_summary *s, char **err) {
    fz_buf rec = {0};
    const char *label = s->unit ? s->unit : s->file ? s->file : "";
    int64_t unit = -1;
    if (fz_grow(&ss->e, &ss->cap, ss->n + 1, sizeof *ss->e) < 0 || encode(ss->pack, s, &rec) < 0 ||
        (unit = fz_strset_add(&ss->labels, label, NULL)) < 0) {
        fz_buf_free(&rec);
        return fz_fail(err, FZ_ENOMEM);
    }
    sum_entry *e = &ss->e[ss->n];
    e->offset = ss->size;
    e->score10 = s->error ? -1 : (int32_t)lround(s->score * 10);
    e->unit = (uint32_t)unit;
    if (fwrite(rec.ptr, 1, rec.len, ss->spill) != rec.len) {
        fz_buf_free(&rec);
        return fz_fail(err, "写入临时文件（汇总）失败：%s", fz_errno_message(errno));
    }
    ss->size += rec.len;
    fz_buf_free(&rec);
    ss->dirty = 1;
    ss->n++;
    ss->paired += s->has_previous != 0;
    count_in_tally(&ss->tally, s);
    return 0;
}

const fz_tally *fz_sums_tally(fz_sums *ss) {
    fz_tally *t = &ss->tally;
    t->missing = t->duplicated = 0;
    for (size_t u = 0; t->roster && u < t->roster->n; u++) {
        t->missing += t->count[u] == 0;
        t->duplicated += t->count[u] > 1;
    }
    return t;
}

/* Reading a record back: a cursor that refuses to run past its end. */
typedef struct {
    const unsigned char *p, *end;
    int bad;
} cursor;

static void take(cursor *c, void *out, size_t n) {
    if ((size_t)(c->end - c->p) < n) {
        c->bad = 1;
        memset(out, 0, n);
        return;
    }
    memcpy(out, c->p, n);
    c->p += n;
}

static char *take_s(cursor *c) {
    uint32_t n;
    take(c, &n, sizeof n);
    if (c->bad || n == UINT32_MAX) return NULL;
    if ((size_t)(c->end - c->p) < n) {
        c->bad = 1;
        return NULL;
    }
    char *s = fz_strndup((const char *)c->p, n);
    if (!s) c->bad = 1;
    c->p += n;
    return s;
}

/* The pack's own string equal to s (unit type names, grades). */
static const char *pack_string(const fz_pack *pack, const char *s) {
    if (!s) return NULL;
    for (size_t i = 0; i < pack->nunit_types; i++)
        if (!strcmp(pack->unit_types[i].name, s)) return pack->unit_types[i].name;
    for (size_t i = 0; i < pack->ngrades; i++)
        if (!strcmp(pack->grades[i].name, s)) return pack->grades[i].name;
    if (pack->fail_grade && !strcmp(pack->fail_grade, s)) return pack->fail_grade;
    return NULL;
}

static void decode_previous(cursor *c, fz_summary *s) {
    unsigned char has;
    take(c, &has, 1);
    s->has_previous = has & 1;
    s->has_promises = has >> 1 & 1;
    if (!s->has_previous) return;
    char **strs[] = {&s->prev_file, &s->prev_grade, &s->promises_missing, &s->prev_gaps, &s->reused_quotes};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) *strs[i] = take_s(c);
    double nums[4];
    uint64_t counts[2];
    take(c, nums, sizeof nums);
    take(c, counts, sizeof counts);
    s->prev_score = nums[0];
    s->reused = nums[1];
    s->problems_reused = nums[2];
    s->plan_reused = nums[3];
    s->promises = (size_t)counts[0];
    s->promises_followed = (size_t)counts[1];
}

static int decode(const fz_pack *pack, cursor *c, fz_summary *s) {
    char **strs[] = {&s->file, &s->error, &s->unit, &s->title, &s->doc_number, &s->date,
                     &s->roster_unit};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) *strs[i] = take_s(c);
    char *type = take_s(c), *grade = take_s(c);
    s->unit_type = pack_string(pack, type);
    s->grade = pack_string(pack, grade);
    free(type);
    free(grade);
    int32_t year;
    uint64_t gaps;
    take(c, &year, sizeof year);
    take(c, &s->score, sizeof s->score);
    take(c, &gaps, sizeof gaps);
    s->year = year;
    s->required_gaps = (size_t)gaps;
    decode_previous(c, s);
    if (c->bad || c->p == c->end) return c->bad ? -1 : 0;
    size_t n = pack->nrules ? pack->nrules : 1;
    if (!(s->status = calloc(n, sizeof *s->status)) || !(s->scores = calloc(n, sizeof *s->scores)))
        return -1;
    for (size_t r = 0; r < pack->nrules; r++) {
        unsigned char st;
        take(c, &st, 1);
        s->status[r] = st <= FZ_NA ? (fz_status)st : FZ_NA;
        take(c, &s->scores[r], sizeof s->scores[r]);
    }
    return c->bad || c->p != c->end ? -1 : 0;
}

int fz_sums_get(fz_sums *ss, size_t i, fz_summary *s) {
    memset(s, 0, sizeof *s);
    if (i >= ss->n) return -1;
    if (ss->dirty) {
        if (fflush(ss->spill) != 0) return -1;
        ss->dirty = 0;
    }
    const sum_entry *e = &ss->e[i];
    uint64_t end = i + 1 < ss->n ? ss->e[i + 1].offset : ss->size;
    size_t len = (size_t)(end - e->offset);
    unsigned char *rec = malloc(len ? len : 1);
    if (!rec) return -1;
    int fd = fileno(ss->spill);
    if (pread(fd, rec, len, (off_t)e->offset) != (ssize_t)len) {
        free(rec);
        return -1;
    }
    cursor c = {rec, rec + len, 0};
    int rc = decode(ss->pack, &c, s);
    free(rec);
    if (rc < 0) fz_summary_free(s);
    return rc;
}

/* qsort has no context argument in C11: the set being sorted. */
static const fz_sums *sort_base;

static int by_rank(const void *a, const void *b) {
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const sum_entry *x = &sort_base->e[i], *y = &sort_base->e[j];
    if ((x->score10 < 0) != (y->score10 < 0)) return x->score10 < 0 ? 1 : -1;
    if (x->score10 != y->score10) return x->score10 < y->score10 ? 1 : -1;
    return i < j ? -1 : i > j;
}

static int by_unit(const void *a, const void *b) {
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const char *k = sort_base->labels.keys.ptr;
    int c = strcmp(k + sort_base->e[i].unit, k + sort_base->e[j].unit);
    if (c) return c;
    return i < j ? -1 : i > j;
}

static void sorted(const fz_sums *ss, size_t *order, int (*cmp)(const void *, const void *)) {
    for (size_t i = 0; i < ss->n; i++) order[i] = i;
    if (!ss->n) return;
    sort_base = ss;
    qsort(order, ss->n, sizeof *order, cmp);
    sort_base = NULL;
}

void fz_sums_rank(const fz_sums *ss, size_t *order) {
    sorted(ss, order, by_rank);
}

void fz_sums_unit_order(const fz_sums *ss, size_t *order) {
    sorted(ss, order, by_unit);
}

size_t fz_sums_rank_at(const fz_sums *ss, const size_t *order, size_t i, size_t *state) {
    const sum_entry *cur = &ss->e[order[i]];
    if (cur->score10 < 0) return 0;
    if (i == 0 || ss->e[order[i - 1]].score10 != cur->score10) *state = i + 1;
    return *state;
}
