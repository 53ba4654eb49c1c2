/*
 * similar.c - see similar.h.
 */
#include "similar.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "atomic.h"
#include "utf8.h"

/* ---- reading a fingerprint -------------------------------------------------- */

typedef struct {
    const char *p;
    size_t left;
} cursor;

static int get_u64(cursor *c, uint64_t *v) {
    if (c->left < sizeof *v) return -1;
    memcpy(v, c->p, sizeof *v);
    c->p += sizeof *v;
    c->left -= sizeof *v;
    return 0;
}

/* Hashes: a count and the array (sorted). Returns the count, *h the array
 * (unaligned: read with memcpy), or -1 when garbled. */
static long get_hashes(cursor *c, const char **h) {
    uint64_t n;
    if (get_u64(c, &n) < 0 || n > c->left / sizeof(uint64_t)) return -1;
    *h = c->p;
    c->p += n * sizeof(uint64_t);
    c->left -= (size_t)n * sizeof(uint64_t);
    return (long)n;
}

/* Every report before i has its place in texts (empty for those that
 * added nothing: unreadable reports). */
static int mark_until(fz_similar *s, size_t i) {
    if (fz_grow(&s->at, &s->at_cap, i + 2, sizeof *s->at) < 0) return -1;
    for (size_t k = s->reports; k <= i; k++) s->at[k] = s->size;
    if (i + 1 > s->reports) s->reports = i + 1;
    s->at[s->reports] = s->size;
    return 0;
}

int fz_similar_add(fz_similar *s, size_t i, const fz_buf *fp) {
    if (i > UINT32_MAX || i < s->reports || mark_until(s, i) < 0) return -1;
    if (!fp->len) return 0;
    cursor c = {fp->ptr, fp->len};
    const char *h;
    long n = get_hashes(&c, &h);
    if (n < 0) return -1;
    if (fz_grow(&s->v, &s->cap, s->n + (size_t)n, sizeof *s->v) < 0) return -1;
    for (long k = 0; k < n; k++) {
        memcpy(&s->v[s->n].h, h + k * sizeof(uint64_t), sizeof(uint64_t));
        s->v[s->n++].report = (uint32_t)i;
    }
    /* the report's whole fingerprint, for quoting it when it pairs */
    if (!s->texts && !(s->texts = fz_scratch_file("similar"))) return -1;
    if (fwrite(fp->ptr, 1, fp->len, s->texts) != fp->len) return -1;
    s->size += fp->len;
    s->at[s->reports] = s->size;
    return 0;
}

/* ---- the pairs ------------------------------------------------------------- */

static int cmp_entry(const void *a, const void *b) {
    const fz_sim_entry *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return x->report < y->report ? -1 : x->report > y->report;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_pair(const void *a, const void *b) {
    const fz_sim_pair *x = a, *y = b;
    if (x->share != y->share) return x->share > y->share ? -1 : 1;
    if (x->shared != y->shared) return x->shared > y->shared ? -1 : 1;
    if (x->a != y->a) return x->a < y->a ? -1 : 1;
    return x->b < y->b ? -1 : x->b > y->b;
}

/* The sentences of the batch not boilerplate, as groups of s->v (one
 * sentence, the reports that hold it), and per report the groups it is
 * in: from these each report's partners are counted one report at a
 * time, so that memory follows the sentences, never the pairs times the
 * sentences they share. The boilerplate's hashes are kept for quoting. */
typedef struct {
    uint32_t start, end;   /* a group: s->v[start..end) */
} group;

typedef struct {
    uint32_t report, g;
} member;

typedef struct {
    group *groups;
    size_t ngroups, gcap;
    member *members;
    size_t nmembers, mcap;
    uint64_t *boiler;
    size_t nboiler, bcap;
    size_t *sizes;         /* per report: its sentences not boilerplate */
} tally;

static int is_boilerplate(const fz_similar_opts *o, size_t df, size_t reports) {
    return (double)df > o->boilerplate_max ||
           ((double)df >= o->boilerplate_min && (double)df > o->boilerplate_share * (double)reports);
}

static int cmp_member(const void *a, const void *b) {
    const member *x = a, *y = b;
    if (x->report != y->report) return x->report < y->report ? -1 : 1;
    return x->g < y->g ? -1 : x->g > y->g;
}

static int group_sentences(const fz_similar *s, const fz_similar_opts *o, tally *t) {
    if (s->n > UINT32_MAX) return -1;
    for (size_t g = 0, e; g < s->n; g = e) {
        for (e = g + 1; e < s->n && s->v[e].h == s->v[g].h; e++) {}
        if (is_boilerplate(o, e - g, s->reports)) {
            if (fz_grow(&t->boiler, &t->bcap, t->nboiler + 1, sizeof *t->boiler) < 0) return -1;
            t->boiler[t->nboiler++] = s->v[g].h;
            continue;
        }
        for (size_t k = g; k < e; k++) t->sizes[s->v[k].report]++;
        if (e - g < 2) continue; /* in one report: pairs nothing */
        if (fz_grow(&t->groups, &t->gcap, t->ngroups + 1, sizeof *t->groups) < 0 ||
            fz_grow(&t->members, &t->mcap, t->nmembers + (e - g), sizeof *t->members) < 0)
            return -1;
        for (size_t k = g; k < e; k++) t->members[t->nmembers++] = (member){s->v[k].report, (uint32_t)t->ngroups};
        t->groups[t->ngroups++] = (group){(uint32_t)g, (uint32_t)e};
    }
    if (t->nmembers) qsort(t->members, t->nmembers, sizeof *t->members, cmp_member);
    return 0;
}

/* Report a's partners b > a: the sentences they share, counted in
 * shared[b]; those that make a pair are kept. */
static int pairs_of(const fz_similar *s, const fz_similar_opts *o, const tally *t, size_t from, size_t to,
                    uint32_t *shared, uint32_t *touched, fz_sim_result *out, size_t *cap) {
    uint32_t a = t->members[from].report;
    size_t ntouched = 0;
    for (size_t m = from; m < to; m++) {
        const group *g = &t->groups[t->members[m].g];
        for (uint32_t k = g->start; k < g->end; k++) {
            uint32_t b = s->v[k].report;
            if (b <= a) continue;
            if (!shared[b]++) touched[ntouched++] = b;
        }
    }
    int rc = 0;
    for (size_t k = 0; k < ntouched; k++) {
        uint32_t b = touched[k];
        size_t n = shared[b], shorter = t->sizes[a] < t->sizes[b] ? t->sizes[a] : t->sizes[b];
        shared[b] = 0;
        double share = shorter ? (double)n / (double)shorter : 0;
        if (rc || (double)n < o->min_shared || share < o->min_share) continue;
        if (fz_grow(&out->pairs, cap, out->npairs + 1, sizeof *out->pairs) < 0) rc = -1;
        else out->pairs[out->npairs++] = (fz_sim_pair){a, b, n, share, NULL, 0};
    }
    return rc;
}

static int keep_pairs(const fz_similar *s, const fz_similar_opts *o, const tally *t, fz_sim_result *out) {
    uint32_t *shared = calloc(s->reports ? s->reports : 1, sizeof *shared);
    uint32_t *touched = malloc((s->reports ? s->reports : 1) * sizeof *touched);
    size_t cap = 0;
    int rc = shared && touched ? 0 : -1;
    for (size_t m = 0, e; !rc && m < t->nmembers; m = e) {
        for (e = m + 1; e < t->nmembers && t->members[e].report == t->members[m].report; e++) {}
        rc = pairs_of(s, o, t, m, e, shared, touched, out, &cap);
    }
    free(shared);
    free(touched);
    return rc;
}

/* ---- quoting a pair ---------------------------------------------------------- */

/* Report i's fingerprint, read back from texts into *b. */
static int read_fingerprint(fz_similar *s, size_t i, fz_buf *b) {
    uint64_t from = s->at[i], to = s->at[i + 1];
    b->len = 0;
    if (to < from) return -1;
    size_t len = (size_t)(to - from);
    if (fz_grow(&b->ptr, &b->cap, len + 1, 1) < 0) return -1;
    if (len && pread(fileno(s->texts), b->ptr, len, (off_t)from) != (ssize_t)len) return -1;
    b->len = len;
    return 0;
}

static int has_hash(const char *h, long n, uint64_t x) {
    long lo = 0, hi = n;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        uint64_t v;
        memcpy(&v, h + mid * (long)sizeof v, sizeof v);
        if (v == x) return 1;
        if (v < x) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

/* Ends the passage being joined in *run, if any: added to p. */
static int end_passage(fz_sim_pair *p, fz_buf *run) {
    if (!run->len) return 0;
    if (p->npassages == FZ_SIM_PASSAGES) {
        run->len = 0;
        return 0;
    }
    char **v = realloc(p->passages, (p->npassages + 1) * sizeof *v);
    if (!v) return -1;
    p->passages = v;
    if (run->len > FZ_SIM_PASSAGE_BYTES) {
        run->len = fz_utf8_clip(run->ptr, run->len, FZ_SIM_PASSAGE_BYTES);
        if (fz_buf_puts(run, "…") < 0) return -1;
    }
    if (!(v[p->npassages] = fz_strndup(run->ptr, run->len))) return -1;
    p->npassages++;
    run->len = 0;
    return 0;
}

/* The passages of a that b shares too (boilerplate left out): a's quoted
 * sentences in order, runs of shared ones joined. */
static int quote_pair(fz_sim_pair *p, const fz_buf *fa, const fz_buf *fb, const tally *t) {
    cursor ca = {fa->ptr, fa->len}, cb = {fb->ptr, fb->len};
    const char *ha, *hb;
    long nb = get_hashes(&cb, &hb);
    uint64_t m;
    if (get_hashes(&ca, &ha) < 0 || nb < 0 || get_u64(&ca, &m) < 0) return -1;
    fz_buf run = {0};
    int rc = 0;
    uint64_t last_para = UINT64_MAX;
    for (uint64_t k = 0; k < m && !rc; k++) {
        uint64_t h, para, len;
        if (get_u64(&ca, &h) < 0 || get_u64(&ca, &para) < 0 || get_u64(&ca, &len) < 0 || len > ca.left) {
            rc = -1;
            break;
        }
        int shared = has_hash(hb, nb, h) &&
                     !(t->nboiler && bsearch(&h, t->boiler, t->nboiler, sizeof h, cmp_u64));
        /* a passage running over paragraphs keeps their break */
        if (shared && run.len && para != last_para) rc = fz_buf_puts(&run, "\n");
        if (rc) break;
        if (shared) rc = fz_buf_append(&run, ca.p, (size_t)len);
        else rc = end_passage(p, &run);
        last_para = para;
        ca.p += len;
        ca.left -= (size_t)len;
    }
    if (!rc) rc = end_passage(p, &run);
    fz_buf_free(&run);
    return rc;
}

static int quote_pairs(fz_similar *s, const tally *t, fz_sim_result *out) {
    if (!out->npairs) return 0;
    if (!s->texts || fflush(s->texts) != 0) return -1;
    fz_buf fa = {0}, fb = {0};
    int rc = 0;
    for (size_t i = 0; i < out->npairs && i < FZ_SIM_QUOTED_PAIRS && !rc; i++) {
        fz_sim_pair *p = &out->pairs[i];
        rc = read_fingerprint(s, p->a, &fa) < 0 || read_fingerprint(s, p->b, &fb) < 0 ||
                     quote_pair(p, &fa, &fb, t) < 0
                 ? -1
                 : 0;
    }
    fz_buf_free(&fa);
    fz_buf_free(&fb);
    return rc;
}

int fz_similar_pairs(fz_similar *s, const fz_similar_opts *o, fz_sim_result *out) {
    memset(out, 0, sizeof *out);
    out->reports = s->reports;
    if (s->n) qsort(s->v, s->n, sizeof *s->v, cmp_entry);
    tally t = {0};
    int rc = (t.sizes = calloc(s->reports ? s->reports : 1, sizeof *t.sizes)) ? 0 : -1;
    if (!rc) rc = group_sentences(s, o, &t);
    out->boilerplate = t.nboiler;
    if (!rc) rc = keep_pairs(s, o, &t, out);
    if (!rc && out->npairs) qsort(out->pairs, out->npairs, sizeof *out->pairs, cmp_pair);
    /* the boilerplate's hashes came sorted from the sorted entries */
    if (!rc) rc = quote_pairs(s, &t, out);
    free(t.groups);
    free(t.members);
    free(t.boiler);
    free(t.sizes);
    if (rc) fz_sim_result_free(out);
    return rc;
}

void fz_similar_free(fz_similar *s) {
    free(s->v);
    free(s->at);
    if (s->texts) fclose(s->texts);
    memset(s, 0, sizeof *s);
}

void fz_sim_result_free(fz_sim_result *r) {
    for (size_t i = 0; i < r->npairs; i++) {
        for (size_t k = 0; k < r->pairs[i].npassages; k++) free(r->pairs[i].passages[k]);
        free(r->pairs[i].passages);
    }
    free(r->pairs);
    memset(r, 0, sizeof *r);
}
