/*
 * similar.c - see similar.h.
 */
#include "similar.h"

#include <stdlib.h>
#include <string.h>

int fz_similar_add(fz_similar *s, size_t i, const fz_buf *fp) {
    if (!fp->len) return 0;
    uint64_t n;
    if (fp->len < sizeof n || i > UINT32_MAX) return -1;
    memcpy(&n, fp->ptr, sizeof n);
    if (n > (fp->len - sizeof n) / sizeof(uint64_t)) return -1;
    if (fz_grow(&s->v, &s->cap, s->n + (size_t)n, sizeof *s->v) < 0) return -1;
    for (size_t k = 0; k < n; k++) {
        uint64_t h;
        memcpy(&h, fp->ptr + sizeof n + k * sizeof h, sizeof h);
        s->v[s->n].h = h;
        s->v[s->n].report = (uint32_t)i;
        s->n++;
    }
    if (i + 1 > s->reports) s->reports = i + 1;
    return 0;
}

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

int fz_similar_pairs(fz_similar *s, fz_sim_result *out) {
    memset(out, 0, sizeof *out);
    out->reports = s->reports;
    if (s->n) qsort(s->v, s->n, sizeof *s->v, cmp_entry);
    size_t *sizes = calloc(s->reports ? s->reports : 1, sizeof *sizes);
    uint64_t *keys = NULL;
    size_t nkeys = 0, kcap = 0;
    if (!sizes) return -1;
    double limit = FZ_SIM_BOILERPLATE * (double)s->reports;
    for (size_t g = 0, e; g < s->n; g = e) {
        for (e = g + 1; e < s->n && s->v[e].h == s->v[g].h; e++) {}
        size_t df = e - g;
        if (df > FZ_SIM_BOILER_MAX || (df >= FZ_SIM_BOILER_MIN && (double)df > limit)) {
            out->boilerplate++;
            continue;
        }
        for (size_t k = g; k < e; k++) sizes[s->v[k].report]++;
        for (size_t a = g; a < e; a++)
            for (size_t b = a + 1; b < e; b++) {
                if (fz_grow(&keys, &kcap, nkeys + 1, sizeof *keys) < 0) {
                    free(sizes);
                    free(keys);
                    return -1;
                }
                keys[nkeys++] = (uint64_t)s->v[a].report << 32 | s->v[b].report;
            }
    }
    if (nkeys) qsort(keys, nkeys, sizeof *keys, cmp_u64);
    size_t cap = 0;
    int rc = 0;
    for (size_t g = 0, e; g < nkeys && !rc; g = e) {
        for (e = g + 1; e < nkeys && keys[e] == keys[g]; e++) {}
        size_t a = (size_t)(keys[g] >> 32), b = (size_t)(keys[g] & UINT32_MAX), shared = e - g;
        size_t shorter = sizes[a] < sizes[b] ? sizes[a] : sizes[b];
        double share = shorter ? (double)shared / (double)shorter : 0;
        if (shared < FZ_SIM_MIN_SHARED || share < FZ_SIM_MIN_SHARE) continue;
        if (fz_grow(&out->pairs, &cap, out->npairs + 1, sizeof *out->pairs) < 0) {
            rc = -1;
            break;
        }
        out->pairs[out->npairs++] = (fz_sim_pair){a, b, shared, share};
    }
    free(keys);
    free(sizes);
    if (rc) return -1;
    if (out->npairs) qsort(out->pairs, out->npairs, sizeof *out->pairs, cmp_pair);
    return 0;
}

void fz_similar_free(fz_similar *s) {
    free(s->v);
    memset(s, 0, sizeof *s);
}

void fz_sim_result_free(fz_sim_result *r) {
    free(r->pairs);
    memset(r, 0, sizeof *r);
}
