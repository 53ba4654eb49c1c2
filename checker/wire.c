/*
 * wire.c - see wire.h.
 */
#include "wire.h"

#include "previous.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NULL_STRING UINT32_MAX

/* ---- writing ---------------------------------------------------------- */

typedef struct {
    fz_buf *b;
    int bad;
} writer;

static void put_bytes(writer *w, const void *p, size_t n) {
    if (!w->bad && fz_buf_append(w->b, p, n) < 0) w->bad = 1;
}

static void put_u32(writer *w, uint32_t v) {
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    put_bytes(w, b, 4);
}

static void put_u64(writer *w, uint64_t v) {
    put_u32(w, (uint32_t)v);
    put_u32(w, (uint32_t)(v >> 32));
}

static void put_double(writer *w, double d) {
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    put_u64(w, v);
}

static void put_str(writer *w, const char *s) {
    if (!s) {
        put_u32(w, NULL_STRING);
        return;
    }
    size_t n = strlen(s);
    if (n >= NULL_STRING) {
        w->bad = 1;
        return;
    }
    put_u32(w, (uint32_t)n);
    put_bytes(w, s, n);
}

static void put_evidence(writer *w, const fz_evidence *e) {
    put_u32(w, e->line);
    put_u32(w, e->page);
    put_str(w, e->section);
    put_u64(w, e->sec == FZ_NONE ? UINT64_MAX : (uint64_t)e->sec);
    put_str(w, e->text);
}

static void put_result(writer *w, const fz_result *res) {
    put_u32(w, (uint32_t)res->status);
    put_double(w, res->ratio);
    put_double(w, res->score);
    put_str(w, res->message);
    put_str(w, res->detail);
    put_str(w, res->suggestion);
    put_u64(w, res->nevidence);
    for (size_t i = 0; i < res->nevidence; i++) put_evidence(w, &res->evidence[i]);
}

static void put_section(writer *w, const fz_section *s, uint32_t roles, uint32_t content) {
    put_u32(w, (uint32_t)s->level);
    put_str(w, s->number);
    put_str(w, s->marker);
    put_str(w, s->title);
    put_u32(w, s->line);
    put_u64(w, s->parent == FZ_NONE ? UINT64_MAX : (uint64_t)s->parent);
    put_u32(w, roles);
    put_u32(w, content);
}

int fz_wire_encode(const fz_pack *pack, const fz_report *r, fz_buf *out) {
    (void)pack;
    writer w = {out, 0};
    const fz_doc *d = &r->doc;
    put_str(&w, r->file);
    put_str(&w, r->error);
    put_str(&w, d->format);
    put_str(&w, d->encoding);
    put_u32(&w, (uint32_t)d->loc);
    put_str(&w, d->title);
    put_u32(&w, d->title_line);
    put_str(&w, d->unit);
    put_u32(&w, (uint32_t)d->unit_source);
    put_str(&w, d->roster_unit);
    put_str(&w, d->roster_type);
    put_u64(&w, r->unit_type == FZ_NO_ROLE ? UINT64_MAX : (uint64_t)r->unit_type);
    put_u32(&w, (uint32_t)r->unit_type_source);
    put_u32(&w, (uint32_t)d->year);
    put_str(&w, d->doc_number);
    put_str(&w, d->date);
    put_u64(&w, d->nparas);
    put_u32(&w, (uint32_t)d->norm.hard_wrapped);
    put_u64(&w, d->nsections);
    for (size_t s = 0; s < d->nsections; s++)
        put_section(&w, &d->sections[s], r->section_roles ? r->section_roles[s] : 0,
                    r->section_content_roles ? r->section_content_roles[s] : 0);
    put_u64(&w, r->nresults);
    for (size_t i = 0; i < r->nresults; i++) put_result(&w, &r->results[i]);
    put_double(&w, r->score);
    put_double(&w, r->points);
    put_str(&w, r->grade);
    put_u64(&w, r->required_gaps);
    put_str(&w, r->json_line);
    put_str(&w, r->page);
    put_u64(&w, r->annotated.len);
    if (r->annotated.len) put_bytes(&w, r->annotated.ptr, r->annotated.len);
    put_str(&w, r->render_error);
    const fz_prev_summary *pv = r->previous;
    put_u32(&w, pv != NULL);
    if (pv) {
        put_str(&w, pv->file);
        put_double(&w, pv->score);
        put_str(&w, pv->grade);
        put_double(&w, pv->reused);
        put_double(&w, pv->problems_reused);
        put_double(&w, pv->plan_reused);
        put_u32(&w, (uint32_t)pv->has_promises);
        put_u64(&w, pv->npromises);
        for (size_t i = 0; i < pv->npromises; i++) {
            const fz_prev_promise *pm = &pv->promises[i];
            put_str(&w, pm->text);
            put_u32(&w, (uint32_t)pm->followed);
            put_u32(&w, pm->line);
            put_u32(&w, pm->page);
            put_str(&w, pm->evidence);
        }
        put_u64(&w, pv->ngaps);
        for (size_t i = 0; i < pv->ngaps; i++) {
            put_str(&w, pv->gaps[i].rule);
            put_u32(&w, pv->gaps[i].was);
            put_u32(&w, pv->gaps[i].now);
        }
    }
    put_u64(&w, r->fingerprint.len);
    if (r->fingerprint.len) put_bytes(&w, r->fingerprint.ptr, r->fingerprint.len);
    return w.bad ? -1 : 0;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct {
    const unsigned char *p, *end;
    int bad;   /* truncated or inconsistent */
    int oom;
} reader;

static uint32_t get_u32(reader *r) {
    if (r->bad || r->end - r->p < 4) {
        r->bad = 1;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
                 (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}

static uint64_t get_u64(reader *r) {
    uint64_t lo = get_u32(r);
    return lo | (uint64_t)get_u32(r) << 32;
}

static double get_double(reader *r) {
    uint64_t v = get_u64(r);
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

static char *get_str(reader *r) {
    uint32_t n = get_u32(r);
    if (r->bad || n == NULL_STRING) return NULL;
    if ((size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return NULL;
    }
    char *s = fz_strndup((const char *)r->p, n);
    if (!s) r->oom = 1;
    r->p += n;
    return s;
}

/* A count of items each at least `min_bytes` long: refused when the bytes
 * left cannot hold that many (so that a bad count never allocates much). */
static size_t get_count(reader *r, size_t min_bytes) {
    uint64_t n = get_u64(r);
    if (r->bad || n > (uint64_t)(r->end - r->p) / min_bytes) {
        r->bad = 1;
        return 0;
    }
    return (size_t)n;
}

/* The static strings a report's format and encoding point to. */
const char *fz_wire_intern(const char *s) {
    static const char *const known[] = {"txt", "md", "docx", "pdf", "ofd", "UTF-8", "UTF-8 BOM",
                                        "UTF-16LE", "UTF-16BE", "GB18030", NULL};
    if (!s) return NULL;
    for (size_t i = 0; known[i]; i++)
        if (!strcmp(s, known[i])) return known[i];
    return "?";
}

const char *fz_wire_grade(const fz_pack *pack, const char *g) {
    if (!g) return NULL;
    for (size_t i = 0; i < pack->ngrades; i++)
        if (!strcmp(pack->grades[i].name, g)) return pack->grades[i].name;
    if (pack->fail_grade && !strcmp(pack->fail_grade, g)) return pack->fail_grade;
    return NULL;
}

static fz_status get_status(reader *r) {
    uint32_t st = get_u32(r);
    return st <= FZ_NA ? (fz_status)st : FZ_NA;
}

/* `previous`'s promises and last year's gaps. */
static void get_prev_lists(reader *r, fz_prev_summary *pv) {
    pv->has_promises = get_u32(r) != 0;
    size_t n = get_count(r, 20);
    if (n && !r->bad && !(pv->promises = calloc(n, sizeof *pv->promises))) r->oom = 1;
    for (size_t i = 0; i < n && !r->bad && !r->oom; i++) {
        fz_prev_promise *pm = &pv->promises[pv->npromises++];
        pm->text = get_str(r);
        pm->followed = get_u32(r) != 0;
        pm->line = get_u32(r);
        pm->page = get_u32(r);
        pm->evidence = get_str(r);
        pm->para = FZ_NONE;
    }
    n = get_count(r, 12);
    if (n && !r->bad && !r->oom && !(pv->gaps = calloc(n, sizeof *pv->gaps))) r->oom = 1;
    for (size_t i = 0; i < n && !r->bad && !r->oom; i++) {
        fz_prev_gap *g = &pv->gaps[pv->ngaps++];
        g->rule = get_str(r);
        g->was = get_status(r);
        g->now = get_status(r);
    }
}

/* nsections: the report's, for the evidence's index into them. */
static void get_result(reader *r, fz_result *res, size_t nsections) {
    uint32_t st = get_u32(r);
    res->status = st <= FZ_NA ? (fz_status)st : FZ_NA;
    res->ratio = get_double(r);
    res->score = get_double(r);
    res->message = get_str(r);
    res->detail = get_str(r);
    res->suggestion = get_str(r);
    size_t n = get_count(r, 16);
    if (!n) return;
    res->evidence = calloc(n, sizeof *res->evidence);
    if (!res->evidence) {
        r->oom = 1;
        return;
    }
    for (size_t i = 0; i < n && !r->bad; i++) {
        fz_evidence *e = &res->evidence[i];
        e->line = get_u32(r);
        e->page = get_u32(r);
        e->section = get_str(r);
        uint64_t sec = get_u64(r);
        if (sec != UINT64_MAX && sec >= nsections) r->bad = 1;
        e->sec = sec < nsections ? (size_t)sec : FZ_NONE;
        e->text = get_str(r);
        res->nevidence = i + 1;
    }
}

static void get_sections(reader *r, fz_report *rep) {
    fz_doc *d = &rep->doc;
    size_t n = get_count(r, 36);
    if (!n) return;
    d->sections = calloc(n, sizeof *d->sections);
    rep->section_roles = calloc(n, sizeof *rep->section_roles);
    rep->section_content_roles = calloc(n, sizeof *rep->section_content_roles);
    if (!d->sections || !rep->section_roles || !rep->section_content_roles) {
        r->oom = 1;
        return;
    }
    for (size_t s = 0; s < n && !r->bad; s++) {
        fz_section *sec = &d->sections[s];
        d->nsections = s + 1;
        sec->level = (int)get_u32(r);
        sec->number = get_str(r);
        sec->marker = get_str(r);
        sec->title = get_str(r);
        sec->line = get_u32(r);
        uint64_t parent = get_u64(r);
        sec->parent = parent < s ? (size_t)parent : FZ_NONE;
        rep->section_roles[s] = get_u32(r);
        rep->section_content_roles[s] = get_u32(r);
    }
}

int fz_wire_decode(const fz_pack *pack, const char *bytes, size_t n, fz_report *rep) {
    memset(rep, 0, sizeof *rep);
    reader r = {(const unsigned char *)bytes, (const unsigned char *)bytes + n, 0, 0};
    fz_doc *d = &rep->doc;
    rep->file = get_str(&r);
    rep->error = get_str(&r);
    char *s = get_str(&r);
    d->format = fz_wire_intern(s);
    free(s);
    s = get_str(&r);
    d->encoding = fz_wire_intern(s);
    free(s);
    uint32_t loc = get_u32(&r);
    d->loc = loc <= FZ_LOC_PAGE ? (fz_loc)loc : FZ_LOC_LINE;
    d->title = get_str(&r);
    d->title_line = get_u32(&r);
    d->unit = get_str(&r);
    uint32_t src = get_u32(&r);
    d->unit_source = src <= FZ_SRC_TEXT ? (fz_source)src : FZ_SRC_NONE;
    d->roster_unit = get_str(&r);
    d->roster_type = get_str(&r);
    uint64_t type = get_u64(&r);
    rep->unit_type = type < pack->nunit_types ? (size_t)type : FZ_NO_ROLE;
    uint32_t tsrc = get_u32(&r);
    rep->unit_type_source = rep->unit_type != FZ_NO_ROLE && tsrc <= FZ_TYPE_TEXT ? (fz_type_source)tsrc
                                                                                 : FZ_TYPE_NONE;
    d->year = (int)get_u32(&r);
    d->doc_number = get_str(&r);
    d->date = get_str(&r);
    d->nparas = (size_t)get_u64(&r);
    d->norm.hard_wrapped = (int)get_u32(&r);
    get_sections(&r, rep);
    size_t nres = get_count(&r, 40);
    if (nres && nres != pack->nrules) r.bad = 1;
    if (nres && !r.bad) {
        rep->results = calloc(nres, sizeof *rep->results);
        if (!rep->results) r.oom = 1;
        for (size_t i = 0; i < nres && !r.bad && !r.oom; i++) {
            rep->results[i].rule = &pack->rules[i];
            rep->nresults = i + 1;
            get_result(&r, &rep->results[i], d->nsections);
        }
    }
    rep->score = get_double(&r);
    rep->points = get_double(&r);
    s = get_str(&r);
    rep->grade = fz_wire_grade(pack, s);
    free(s);
    rep->required_gaps = (size_t)get_u64(&r);
    rep->json_line = get_str(&r);
    rep->page = get_str(&r);
    uint64_t alen = get_u64(&r);
    if (!r.bad && alen > (uint64_t)(r.end - r.p)) r.bad = 1;
    if (!r.bad && alen) {
        if (fz_buf_append(&rep->annotated, (const char *)r.p, (size_t)alen) < 0) r.oom = 1;
        r.p += alen;
    }
    rep->render_error = get_str(&r);
    if (get_u32(&r) && !r.bad) {
        fz_prev_summary *pv = calloc(1, sizeof *pv);
        if (!pv) {
            r.oom = 1;
        } else {
            rep->previous = pv;
            pv->file = get_str(&r);
            pv->score = get_double(&r);
            pv->grade = get_str(&r);
            pv->reused = get_double(&r);
            pv->problems_reused = get_double(&r);
            pv->plan_reused = get_double(&r);
            get_prev_lists(&r, pv);
        }
    }
    uint64_t flen = get_u64(&r);
    if (!r.bad && flen > (uint64_t)(r.end - r.p)) r.bad = 1;
    if (!r.bad && flen) {
        if (fz_buf_append(&rep->fingerprint, (const char *)r.p, (size_t)flen) < 0) r.oom = 1;
        r.p += flen;
    }
    if (r.p != r.end) r.bad = 1;
    return r.bad || r.oom ? -1 : 0;
}
