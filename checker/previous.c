/*
 * previous.c - see previous.h.
 */
#include "previous.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "evalctx.h"
#include "promise.h"
#include "textkey.h"
#include "utf8.h"

/* Promises of a plan part without subheadings: its first sentences. */
#define MAX_PROMISES 12
/* A promise's label, in bytes at most (clipped at a character). */
#define LABEL_BYTES 90

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Whether sentence si is (in) the heading of a top-level section. */
static int top_heading(const fz_doc *d, size_t si) {
    const fz_sentence *s = &d->sentences[si];
    size_t sec = d->para_section[s->para];
    if (sec == FZ_NONE) return 0;
    const fz_section *h = &d->sections[sec];
    return h->para == s->para && h->parent == FZ_NONE && s->start < h->title_end;
}

/* A subheading this short (characters compared) is a stock phrase when
 * it is a heading by itself: （一）加强组织领导, 学习宣传贯彻习近平法治思想 come
 * back every year in reports written anew. */
#define STOCK_HEADING_CHARS 16

/* Whether sentence si is (in) the heading of any section. */
static int in_heading(const fz_doc *d, size_t si) {
    const fz_sentence *s = &d->sentences[si];
    size_t sec = d->para_section[s->para];
    if (sec == FZ_NONE) return 0;
    const fz_section *h = &d->sections[sec];
    return h->para == s->para && s->start < h->title_end;
}

/* Calls fn on the hash of each run of FZ_PREV_SHINGLE characters of
 * key[0..n). Returns the runs. */
static size_t each_shingle(const char *key, size_t n, void (*fn)(void *, uint32_t), void *ctx) {
    size_t starts[FZ_PREV_SHINGLE + 1], k = 0, runs = 0;
    for (size_t i = 0; i <= n;) {
        starts[k < FZ_PREV_SHINGLE + 1 ? k : FZ_PREV_SHINGLE] = i;
        if (k == FZ_PREV_SHINGLE) {
            fn(ctx, (uint32_t)fz_key_hash(key + starts[0], i - starts[0]));
            runs++;
            memmove(starts, starts + 1, FZ_PREV_SHINGLE * sizeof *starts);
        } else {
            k++;
        }
        if (i == n) break;
        uint32_t cp;
        int l = fz_utf8_decode(key + i, n - i, &cp);
        i += l < 0 ? 1 : (size_t)l;
    }
    return runs;
}

typedef struct {
    const fz_prev_report *pr;
    size_t hits;
} near_count;

static void count_hit(void *ctx, uint32_t h) {
    near_count *c = ctx;
    c->hits += c->pr->nshingles &&
               bsearch(&h, c->pr->shingles, c->pr->nshingles, sizeof h, cmp_u32) != NULL;
}

/* The compared form of sentence si in *k: its characters, or -1 out of
 * memory. */
static long sentence_key(const fz_doc *d, size_t si, fz_buf *k) {
    const fz_sentence *s = &d->sentences[si];
    return fz_key_of(d->norm.paras[s->para].text + s->start, s->end - s->start, k);
}

int fz_prev_sentence(const fz_doc *d, size_t si, const fz_prev_report *pr) {
    if (top_heading(d, si)) return 0;
    fz_buf k = {0};
    long n = sentence_key(d, si, &k);
    if (n < 0) {
        fz_buf_free(&k);
        return -1;
    }
    int rc = 0;
    if (n >= FZ_PREV_MIN_CHARS && !(n <= STOCK_HEADING_CHARS && in_heading(d, si))) {
        uint64_t h = fz_key_hash(k.ptr, k.len);
        rc = pr->nhashes && bsearch(&h, pr->hashes, pr->nhashes, sizeof h, cmp_u64) ? 2 : 1;
        if (rc == 1) {
            near_count c = {pr, 0};
            size_t runs = each_shingle(k.ptr, k.len, count_hit, &c);
            if (runs && (double)c.hits >= FZ_PREV_NEAR * (double)runs) rc = 2;
        }
    }
    fz_buf_free(&k);
    return rc;
}

double fz_prev_share(const fz_doc *d, const uint8_t *mask, const fz_prev_report *pr,
                     size_t *found, size_t *total) {
    *found = *total = 0;
    for (size_t si = 0; si < d->nsentences; si++) {
        size_t p = d->sentences[si].para;
        /* the front matter (title, 发文字号) is the same form every year */
        if (!mask[p] || p < d->header_end) continue;
        int rc = fz_prev_sentence(d, si, pr);
        if (rc < 0) return -2;
        *total += rc > 0;
        *found += rc == 2;
    }
    return *total ? (double)*found / (double)*total : -1;
}

/* ---- fingerprints ---------------------------------------------------------- */

static int put_u64(fz_buf *b, uint64_t v) {
    return fz_buf_append(b, (const char *)&v, sizeof v);
}

static int put_str(fz_buf *b, const char *s, size_t n) {
    return put_u64(b, n) < 0 || fz_buf_append(b, s, n) < 0 ? -1 : 0;
}

/* Whether some followup check (at any depth) takes its promises from
 * scope sc. */
static int wants(const fz_check *c, size_t sc) {
    if (c->kind == FZ_CHECK_FOLLOWUP && c->promises == sc) return 1;
    for (size_t i = 0; i < c->nchildren; i++)
        if (wants(&c->children[i], sc)) return 1;
    return 0;
}

/* Writes each item of a plan part: its label, head and body compared. */
typedef struct {
    fz_buf *out;
    size_t count;
} promise_out;

static int put_item(void *ctx, const char *head, size_t headn, const char *body, size_t bodyn) {
    promise_out *po = ctx;
    fz_buf h = {0}, b = {0};
    long chars = fz_key_of(head, headn, &h);
    long more = chars < 0 ? -1 : fz_key_of(body, bodyn, &b);
    int rc = more < 0 ? -1 : 0;
    /* an item of a word or two ("一是") is no promise */
    if (!rc && chars + more >= 4) {
        size_t clip = headn > LABEL_BYTES ? fz_utf8_clip(head, headn, LABEL_BYTES) : headn;
        rc = put_str(po->out, head, clip) < 0 || put_str(po->out, h.ptr, h.len) < 0 ||
                     put_str(po->out, b.ptr, b.len) < 0
                 ? -1
                 : 0;
        if (!rc) po->count++;
    }
    fz_buf_free(&h);
    fz_buf_free(&b);
    return rc;
}

/* The promises of mask (promise.h), written as a count and triples. */
static int put_promises(fz_buf *out, const fz_doc *d, const uint8_t *mask) {
    size_t at = out->len;
    if (put_u64(out, 0) < 0) return -1;
    promise_out po = {out, 0};
    if (fz_promise_items(d, mask, put_item, &po) != 0) return -1;
    uint64_t c = po.count;
    memcpy(out->ptr + at, &c, sizeof c);
    return 0;
}

typedef struct {
    uint32_t *v;
    size_t n, cap;
    int oom;
} shingles;

static void keep_shingle(void *ctx, uint32_t h) {
    shingles *s = ctx;
    if (s->oom || fz_grow(&s->v, &s->cap, s->n + 1, sizeof *s->v) < 0) {
        s->oom = 1;
        return;
    }
    s->v[s->n++] = h;
}

/* The hashes of the sentences (and, with_shingles, the shingles of every
 * sentence, its headings' too) of the body, sorted and each once, as
 * counts and arrays. */
static int put_hashes(fz_buf *out, const fz_doc *d, int with_shingles) {
    uint64_t *h = malloc((d->nsentences ? d->nsentences : 1) * sizeof *h);
    if (!h) return -1;
    shingles sh = {0};
    size_t n = 0;
    for (size_t si = 0; si < d->nsentences && !sh.oom; si++) {
        if (d->sentences[si].para < d->header_end) continue;
        fz_buf k = {0};
        long chars = sentence_key(d, si, &k);
        if (chars < 0) {
            sh.oom = 1;
        } else {
            if (chars >= FZ_PREV_MIN_CHARS && !top_heading(d, si)) h[n++] = fz_key_hash(k.ptr, k.len);
            if (with_shingles) each_shingle(k.ptr, k.len, keep_shingle, &sh);
        }
        fz_buf_free(&k);
    }
    if (n) qsort(h, n, sizeof *h, cmp_u64);
    if (sh.n) qsort(sh.v, sh.n, sizeof *sh.v, cmp_u32);
    size_t u = 0, us = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || h[u - 1] != h[i]) h[u++] = h[i];
    for (size_t i = 0; i < sh.n; i++)
        if (!us || sh.v[us - 1] != sh.v[i]) sh.v[us++] = sh.v[i];
    int bad = sh.oom || put_u64(out, u) < 0 ||
              (u && fz_buf_append(out, (const char *)h, u * sizeof *h) < 0) ||
              (with_shingles && put_u64(out, us) < 0) ||
              (us && fz_buf_append(out, (const char *)sh.v, us * sizeof *sh.v) < 0);
    free(h);
    free(sh.v);
    return bad ? -1 : 0;
}

/* The counted sentences in their order: hash, paragraph and text (clipped), for
 * quoting the passages two reports of a batch share (similar.h). */
static int put_texts(fz_buf *out, const fz_doc *d) {
    size_t at = out->len, count = 0;
    if (put_u64(out, 0) < 0) return -1;
    for (size_t si = 0; si < d->nsentences; si++) {
        const fz_sentence *s = &d->sentences[si];
        if (s->para < d->header_end || top_heading(d, si)) continue;
        fz_buf k = {0};
        long chars = sentence_key(d, si, &k);
        int bad = chars < 0;
        if (!bad && chars >= FZ_PREV_MIN_CHARS) {
            const char *t = d->norm.paras[s->para].text + s->start;
            size_t n = s->end - s->start;
            if (n > FZ_PREV_TEXT_BYTES) n = fz_utf8_clip(t, n, FZ_PREV_TEXT_BYTES);
            bad = put_u64(out, fz_key_hash(k.ptr, k.len)) < 0 || put_u64(out, s->para) < 0 ||
                  put_str(out, t, n) < 0;
            count++;
        }
        fz_buf_free(&k);
        if (bad) return -1;
    }
    uint64_t c = count;
    memcpy(out->ptr + at, &c, sizeof c);
    return 0;
}

int fz_prev_fingerprint(const fz_pack *pack, const fz_report *rep, fz_fp_kind kind, fz_buf *out) {
    const fz_doc *d = &rep->doc;
    if (kind == FZ_FP_SIMILAR) return put_hashes(out, d, 0) < 0 || put_texts(out, d) < 0 ? -1 : 0;
    if (put_hashes(out, d, 1) < 0 || put_u64(out, pack->nscopes) < 0) return -1;
    fz_ctx x = {.pack = pack, .doc = d, .roles = rep->section_roles,
                .content_roles = rep->section_content_roles, .unit_type = rep->unit_type};
    x.masks = calloc(pack->nscopes ? pack->nscopes : 1, sizeof *x.masks);
    if (!x.masks) return -1;
    int rc = 0;
    for (size_t sc = 0; sc < pack->nscopes && !rc; sc++) {
        int want = 0;
        for (size_t i = 0; i < pack->nrules && !want; i++) want = wants(&pack->rules[i].check, sc);
        if (!want || !rep->section_roles) {
            rc = put_u64(out, UINT64_MAX);
            continue;
        }
        const uint8_t *mask = fz_scope_mask(&x, sc);
        rc = mask ? put_promises(out, d, mask) : -1;
    }
    fz_ctx_release(&x);
    return rc;
}

/* ---- the index --------------------------------------------------------------- */

typedef struct {
    const char *p;
    size_t left;
    int bad;
} reader;

static uint64_t get_u64(reader *r) {
    uint64_t v = 0;
    if (r->bad || r->left < sizeof v) {
        r->bad = 1;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    r->left -= sizeof v;
    return v;
}

static char *get_str(reader *r, int *oom) {
    uint64_t n = get_u64(r);
    if (r->bad || n > r->left) {
        r->bad = 1;
        return NULL;
    }
    char *s = fz_strndup(r->p, (size_t)n);
    if (!s) *oom = 1;
    r->p += n;
    r->left -= (size_t)n;
    return s;
}

static void report_free(fz_prev_report *pr) {
    free(pr->file);
    free(pr->unit);
    free(pr->error);
    free(pr->grade);
    free(pr->hashes);
    free(pr->shingles);
    for (size_t s = 0; pr->promises && s < pr->nscopes; s++) {
        for (size_t i = 0; pr->promises[s] && i < pr->npromises[s]; i++) {
            free(pr->promises[s][i].label);
            free(pr->promises[s][i].head);
            free(pr->promises[s][i].body);
        }
        free(pr->promises[s]);
    }
    free(pr->promises);
    free(pr->npromises);
    free(pr->gap_rules);
    free(pr->gap_was);
}

/* Last year's required rules not met: what this year's report is asked
 * to have rectified. */
static int keep_gaps(fz_prev_report *pr, const fz_pack *pack, const fz_report *rep) {
    size_t n = rep->nresults < pack->nrules ? rep->nresults : pack->nrules;
    if (!n) return 0;
    if (!(pr->gap_rules = malloc(n * sizeof *pr->gap_rules)) || !(pr->gap_was = malloc(n * sizeof *pr->gap_was)))
        return -1;
    for (size_t i = 0; i < n; i++) {
        fz_status st = rep->results[i].status;
        if (pack->rules[i].severity != FZ_SEV_REQUIRED || (st != FZ_PARTIAL && st != FZ_FAIL)) continue;
        pr->gap_rules[pr->ngaps] = i;
        pr->gap_was[pr->ngaps++] = st;
    }
    return 0;
}

/* What pairs a report: its roster unit, else its unit's name. */
static const char *unit_key(const fz_doc *d) {
    return d->roster_unit ? d->roster_unit : d->unit;
}

/* A count and that many elements of elem bytes, copied to *out (NULL when
 * none). Returns 0, or -1 when garbled or (*oom) memory runs out. */
static int get_array(reader *r, size_t elem, void **out, size_t *n, int *oom) {
    uint64_t k = get_u64(r);
    if (r->bad || k > r->left / elem) return -1;
    *n = (size_t)k;
    if (!k) return 0;
    if (!(*out = malloc((size_t)k * elem))) return *oom = 1, -1;
    memcpy(*out, r->p, (size_t)k * elem);
    r->p += (size_t)k * elem;
    r->left -= (size_t)k * elem;
    return 0;
}

static int decode(fz_prev_report *pr, const fz_buf *fp, int *oom) {
    reader r = {fp->ptr, fp->len, 0};
    void *hashes = NULL, *shingles = NULL;
    int rc = get_array(&r, sizeof *pr->hashes, &hashes, &pr->nhashes, oom);
    pr->hashes = hashes;
    if (!rc) rc = get_array(&r, sizeof *pr->shingles, &shingles, &pr->nshingles, oom);
    pr->shingles = shingles;
    if (rc) return -1;
    uint64_t ns = get_u64(&r);
    if (r.bad || ns > r.left / sizeof(uint64_t)) return -1;
    pr->promises = calloc(ns ? (size_t)ns : 1, sizeof *pr->promises);
    pr->npromises = calloc(ns ? (size_t)ns : 1, sizeof *pr->npromises);
    if (!pr->promises || !pr->npromises) return *oom = 1, -1;
    pr->nscopes = (size_t)ns;
    for (size_t s = 0; s < pr->nscopes; s++) {
        uint64_t k = get_u64(&r);
        if (r.bad) return -1;
        if (k == UINT64_MAX) continue;
        if (k > r.left / 24) return -1;
        if (!(pr->promises[s] = calloc(k ? (size_t)k : 1, sizeof **pr->promises))) return *oom = 1, -1;
        for (size_t i = 0; i < k; i++) {
            pr->promises[s][i].label = get_str(&r, oom);
            pr->promises[s][i].head = get_str(&r, oom);
            pr->promises[s][i].body = get_str(&r, oom);
            pr->npromises[s] = i + 1;
            if (r.bad || *oom) return -1;
        }
    }
    return r.bad || r.left ? -1 : 0;
}

/* The file's identity, so that one file given twice (or both as this
 * year's and last year's) is known. 0 when it cannot be told. */
static int file_id(const char *path, unsigned long long *dev, unsigned long long *ino) {
    struct stat st;
    if (!path || stat(path, &st) < 0) return 0;
    *dev = (unsigned long long)st.st_dev;
    *ino = (unsigned long long)st.st_ino;
    return 1;
}

int fz_prev_add(fz_prev_index *ix, const fz_pack *pack, const fz_report *rep) {
    unsigned long long dev = 0, ino = 0;
    if (file_id(rep->file, &dev, &ino))
        for (size_t i = 0; i < ix->n; i++)
            if (ix->v[i].ino == ino && ix->v[i].dev == dev) return 0; /* given twice */
    fz_prev_report *v = realloc(ix->v, (ix->n + 1) * sizeof *ix->v);
    if (!v) return -1;
    ix->v = v;
    fz_prev_report *pr = &ix->v[ix->n];
    memset(pr, 0, sizeof *pr);
    const char *unit = unit_key(&rep->doc);
    pr->file = fz_strdup(rep->file);
    pr->unit = unit ? fz_strdup(unit) : NULL;
    pr->error = rep->error ? fz_strdup(rep->error) : NULL;
    pr->grade = rep->grade ? fz_strdup(rep->grade) : NULL;
    pr->score = rep->score;
    pr->year = rep->doc.year;
    pr->dev = dev;
    pr->ino = ino;
    int oom = !pr->file || (unit && !pr->unit) || (rep->error && !pr->error) ||
              (rep->grade && !pr->grade) || (!rep->error && keep_gaps(pr, pack, rep) < 0);
    if (!oom && !rep->error && decode(pr, &rep->fingerprint, &oom) < 0 && !oom) {
        /* a garbled fingerprint: the report is kept, as one that cannot pair */
        free(pr->error);
        if (!(pr->error = fz_strdup("内部错误：上一年度报告的比对数据无法解读"))) oom = 1;
    }
    ix->n++;
    return oom ? -1 : 0;
}

/* The length of a unit's name without the words a government's name ends
 * with (人民政府, 管委会 …): "滨海新区人民政府" and "滨海新区" are one unit. */
static size_t name_base(const char *s) {
    static const char *const tails[] = {"人民政府", "管理委员会", "管委会", "办事处", "政府", NULL};
    size_t n = strlen(s);
    for (size_t k = 0; tails[k]; k++) {
        size_t l = strlen(tails[k]);
        /* what is left must still name a place: two characters at least */
        if (n >= l + 6 && !memcmp(s + n - l, tails[k], l)) return n - l;
    }
    return n;
}

/* Whether s[0..n) is only the places above a unit: 天津市, 广东省广州市,
 * 内蒙古自治区 — each a name of two characters or more ending in 省, 市,
 * 州, 盟, 自治区 or 地区. */
static int places_only(const char *s, size_t n) {
    static const char *const ends[] = {"自治区", "地区", "省", "市", "州", "盟", NULL};
    size_t at = 0, chars = 0;
    while (at < n) {
        int ended = 0;
        for (size_t k = 0; ends[k] && !ended; k++) {
            size_t l = strlen(ends[k]);
            if (chars >= 2 && at + l <= n && !memcmp(s + at, ends[k], l)) {
                at += l;
                chars = 0;
                ended = 1;
            }
        }
        if (ended) continue;
        uint32_t cp;
        int l = fz_utf8_decode(s + at, n - at, &cp);
        if (l <= 0 || cp < 0x80) return 0;
        at += (size_t)l;
        chars++;
    }
    return n > 0 && chars == 0;
}

/* Whether two names of units name the same one, written differently from
 * year to year: 滨海新区人民政府 and 滨海新区; 天津市静海区人民政府 and
 * 静海区 (the places above it said or not). Never two units whose own
 * names differ: 甲市司法局 and 乙市司法局. */
static int same_unit(const char *a, const char *b) {
    size_t na = name_base(a), nb = name_base(b);
    if (na < nb) {
        const char *t = a;
        a = b, b = t;
        size_t tn = na;
        na = nb, nb = tn;
    }
    return !memcmp(a + na - nb, b, nb) && (na == nb || places_only(a, na - nb));
}

/* A name's core: without 人民政府 … and without the places above it (the
 * longest such start that leaves a name). Appended to out. */
static int core_of(const char *name, fz_buf *out) {
    size_t n = name_base(name), cut = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int l = fz_utf8_decode(name + i, n - i, &cp);
        i += l < 1 ? 1 : (size_t)l;
        if (i < n && places_only(name, i)) cut = i;
    }
    return fz_buf_append(out, name + cut, n - cut);
}

/* For sorting and searching: report indices by unit name, by core. */
static const fz_prev_index *sort_ix;

static int cmp_by_unit(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(sort_ix->v[x].unit, sort_ix->v[y].unit);
    return c ? c : x < y ? -1 : x > y;
}

static int cmp_by_core(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(sort_ix->core[x], sort_ix->core[y]);
    return c ? c : x < y ? -1 : x > y;
}

int fz_prev_index_seal(fz_prev_index *ix) {
    size_t n = ix->n ? ix->n : 1;
    if (!(ix->core = calloc(n, sizeof *ix->core)) || !(ix->by_unit = malloc(n * sizeof *ix->by_unit)) ||
        !(ix->by_core = malloc(n * sizeof *ix->by_core)))
        return -1;
    for (size_t i = 0; i < ix->n; i++) {
        if (ix->v[i].error || !ix->v[i].unit) continue;
        fz_buf c = {0};
        if (core_of(ix->v[i].unit, &c) < 0 || !(ix->core[i] = fz_buf_steal(&c))) return -1;
        ix->by_unit[ix->nkeyed] = ix->by_core[ix->nkeyed] = i;
        ix->nkeyed++;
    }
    /* qsort takes no context: the index being sorted is set aside here */
    sort_ix = ix;
    if (ix->nkeyed) {
        qsort(ix->by_unit, ix->nkeyed, sizeof *ix->by_unit, cmp_by_unit);
        qsort(ix->by_core, ix->nkeyed, sizeof *ix->by_core, cmp_by_core);
    }
    sort_ix = NULL;
    return 0;
}

/* The first place in `order` (nkeyed indices) whose key is not below key. */
static size_t lower_bound(const fz_prev_index *ix, const size_t *order, int by_core, const char *key) {
    size_t lo = 0, hi = ix->nkeyed;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, i = order[mid];
        if (strcmp(by_core ? ix->core[i] : ix->v[i].unit, key) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* What a report may be paired with: not its own file (a folder given both
 * as this year's and last year's), nor a report of its year or later. */
typedef struct {
    const fz_doc *doc;
    unsigned long long dev, ino;
    int known;
} pairing;

static int eligible(const pairing *pg, const fz_prev_report *pr) {
    if (pr->error || !pr->unit) return 0;
    if (pg->known && pr->ino == pg->ino && pr->dev == pg->dev) return 0;
    return !(pr->year && pg->doc->year && pr->year >= pg->doc->year);
}

/* The one unit whose name is the report's written otherwise: the first of
 * its reports; NULL when none, or when two units could be it. */
static const fz_prev_report *pick_named_otherwise(const fz_prev_report *found, const fz_prev_report *pr,
                                                  int *twice) {
    if (!found) return pr;
    if (strcmp(found->unit, pr->unit)) *twice = 1;
    return found;
}

/* Sealed: the first report of the unit, else the one unit whose name is
 * the report's written otherwise. */
static const fz_prev_report *pair_sealed(const fz_prev_index *ix, const pairing *pg, const char *unit) {
    for (size_t at = lower_bound(ix, ix->by_unit, 0, unit);
         at < ix->nkeyed && !strcmp(ix->v[ix->by_unit[at]].unit, unit); at++)
        if (eligible(pg, &ix->v[ix->by_unit[at]])) return &ix->v[ix->by_unit[at]];
    fz_buf c = {0};
    if (core_of(unit, &c) < 0 || !c.ptr) {
        fz_buf_free(&c);
        return NULL;
    }
    const fz_prev_report *found = NULL;
    int twice = 0;
    for (size_t k = lower_bound(ix, ix->by_core, 1, c.ptr); k < ix->nkeyed && !twice; k++) {
        const fz_prev_report *pr = &ix->v[ix->by_core[k]];
        if (strcmp(ix->core[ix->by_core[k]], c.ptr)) break;
        if (eligible(pg, pr) && same_unit(pr->unit, unit)) found = pick_named_otherwise(found, pr, &twice);
    }
    fz_buf_free(&c);
    return twice ? NULL : found;
}

const fz_prev_report *fz_prev_pair(const fz_prev_index *ix, const fz_doc *doc, const char *path) {
    const char *unit = ix ? unit_key(doc) : NULL;
    if (!unit) return NULL;
    pairing pg = {doc, 0, 0, 0};
    pg.known = file_id(path, &pg.dev, &pg.ino);
    if (ix->by_unit) return pair_sealed(ix, &pg, unit);
    for (size_t i = 0; i < ix->n; i++)
        if (eligible(&pg, &ix->v[i]) && !strcmp(ix->v[i].unit, unit)) return &ix->v[i];
    /* the name written otherwise: only when one unit of last year's is
     * such, never a guess between two */
    const fz_prev_report *found = NULL;
    int twice = 0;
    for (size_t i = 0; i < ix->n && !twice; i++)
        if (eligible(&pg, &ix->v[i]) && same_unit(ix->v[i].unit, unit))
            found = pick_named_otherwise(found, &ix->v[i], &twice);
    return twice ? NULL : found;
}

/* The first followup check of the pack (at any depth), or NULL. */
static const fz_check *followup_of(const fz_check *c) {
    if (c->kind == FZ_CHECK_FOLLOWUP) return c;
    for (size_t i = 0; i < c->nchildren; i++) {
        const fz_check *f = followup_of(&c->children[i]);
        if (f) return f;
    }
    return NULL;
}

/* A quote of paragraph p for a promise's account: its start. */
static char *account_quote(const fz_doc *d, size_t p) {
    const fz_para *para = &d->norm.paras[p];
    size_t n = para->len > LABEL_BYTES * 2 ? fz_utf8_clip(para->text, para->len, LABEL_BYTES * 2) : para->len;
    fz_buf q = {0};
    if (fz_buf_append(&q, para->text, n) < 0 || (n < para->len && fz_buf_puts(&q, "…") < 0)) {
        fz_buf_free(&q);
        return NULL;
    }
    return fz_buf_steal(&q);
}

/* Each of last year's promises, and where this year's report gives its
 * account: what the pack's first followup rule judged, item by item. */
static int summarize_promises(fz_ctx *x, const fz_pack *pack, fz_prev_summary *s, const fz_prev_report *pr) {
    const fz_check *c = NULL;
    for (size_t i = 0; i < pack->nrules && !c; i++) c = followup_of(&pack->rules[i].check);
    if (!c) return 0;
    size_t n = c->promises < pr->nscopes && pr->promises[c->promises] ? pr->npromises[c->promises] : 0;
    s->has_promises = 1;
    if (!n) return 0;
    const fz_promise *ps = pr->promises[c->promises];
    const uint8_t *mask = fz_scope_mask(x, c->scope);
    fz_promise_matcher *m = mask ? fz_promise_matcher_new(x->doc, mask, ps, n) : NULL;
    if (!m || !(s->promises = calloc(n, sizeof *s->promises))) {
        fz_promise_matcher_free(m);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        fz_prev_promise *out = &s->promises[s->npromises++];
        size_t p = fz_promise_account(m, &ps[i], c->overlap, NULL);
        out->para = p;
        rc = (out->text = fz_strdup(ps[i].label ? ps[i].label : "")) ? 0 : -1;
        if (rc || p == FZ_NONE) continue;
        out->followed = 1;
        fz_doc_locate(x->doc, fz_para_line_at(&x->doc->norm.paras[p], 0), &out->page, &out->line);
        rc = (out->evidence = account_quote(x->doc, p)) ? 0 : -1;
    }
    fz_promise_matcher_free(m);
    return rc;
}

/* Last year's required gaps and this year's verdicts on the same rules. */
static int summarize_gaps(const fz_pack *pack, const fz_report *rep, fz_prev_summary *s) {
    const fz_prev_report *pr = rep->paired;
    if (!pr->ngaps) return 0;
    if (!(s->gaps = calloc(pr->ngaps, sizeof *s->gaps))) return -1;
    for (size_t i = 0; i < pr->ngaps; i++) {
        size_t r = pr->gap_rules[i];
        fz_prev_gap *g = &s->gaps[s->ngaps++];
        g->was = pr->gap_was[i];
        g->now = r < rep->nresults ? rep->results[r].status : FZ_NA;
        if (!(g->rule = fz_strdup(pack->rules[r].id))) return -1;
    }
    return 0;
}

int fz_prev_summarize(const fz_pack *pack, fz_report *rep) {
    if (!rep->paired || rep->error) return 0;
    fz_prev_summary *s = calloc(1, sizeof *s);
    if (!s) return -1;
    rep->previous = s;
    s->file = fz_strdup(rep->paired->file);
    s->grade = rep->paired->grade ? fz_strdup(rep->paired->grade) : NULL;
    s->score = rep->paired->score;
    if (!s->file || (rep->paired->grade && !s->grade)) return -1;
    fz_ctx x = {.pack = pack, .doc = &rep->doc, .roles = rep->section_roles,
                .content_roles = rep->section_content_roles, .unit_type = rep->unit_type};
    x.masks = calloc(pack->nscopes ? pack->nscopes : 1, sizeof *x.masks);
    if (!x.masks) return -1;
    const char *names[3] = {"document", "problems", "plan"};
    double *shares[3] = {&s->reused, &s->problems_reused, &s->plan_reused};
    int rc = 0;
    for (int i = 0; i < 3 && !rc; i++) {
        size_t sc = fz_pack_scope(pack, names[i]);
        *shares[i] = -1;
        if (sc == FZ_NO_ROLE || !rep->section_roles) continue;
        const uint8_t *mask = fz_scope_mask(&x, sc);
        size_t found, total;
        if (!mask || (*shares[i] = fz_prev_share(&rep->doc, mask, rep->paired, &found, &total)) < -1.5)
            rc = -1;
    }
    if (!rc && rep->section_roles) rc = summarize_promises(&x, pack, s, rep->paired);
    if (!rc) rc = summarize_gaps(pack, rep, s);
    fz_ctx_release(&x);
    return rc;
}

static void count_state(fz_prev_tally *t, fz_prev_state st, int delta) {
    size_t *c = st == FZ_PREV_PAIRED ? &t->paired : st == FZ_PREV_UNPAIRED ? &t->unpaired : &t->unreadable;
    *c = (size_t)((long long)*c + delta);
}

int fz_prev_tally_add(fz_prev_tally *t, const fz_prev_entry *e) {
    for (size_t i = 0; i < t->n; i++) {
        fz_prev_entry *have = &t->v[i];
        if (strcmp(have->file, e->file)) continue;
        /* paired beats unpaired beats unreadable: the enum's order */
        if (e->state < have->state) {
            count_state(t, have->state, -1);
            *have = *e;
            count_state(t, e->state, +1);
        }
        return 0;
    }
    fz_prev_entry *v = realloc(t->v, (t->n + 1) * sizeof *v);
    if (!v) return -1;
    t->v = v;
    t->v[t->n++] = *e;
    count_state(t, e->state, +1);
    return 0;
}

int fz_prev_tally_make(const fz_prev_index *ix, int (*used)(void *ctx, const char *file), void *ctx,
                       fz_prev_tally *t) {
    memset(t, 0, sizeof *t);
    if (ix->n && !(t->v = calloc(ix->n, sizeof *t->v))) return -1;
    for (size_t i = 0; i < ix->n; i++) {
        const fz_prev_report *pr = &ix->v[i];
        fz_prev_state st = pr->error ? FZ_PREV_UNREADABLE : used(ctx, pr->file) ? FZ_PREV_PAIRED : FZ_PREV_UNPAIRED;
        t->v[t->n++] = (fz_prev_entry){pr->file, pr->unit, pr->error, pr->score, st};
        count_state(t, st, +1);
    }
    return 0;
}

void fz_prev_tally_free(fz_prev_tally *t) {
    free(t->v);
    memset(t, 0, sizeof *t);
}

const char *fz_prev_gap_label(const fz_prev_gap *g) {
    switch (g->now) {
    case FZ_PASS: return "已整改";
    case FZ_NA: return "本年不适用";
    case FZ_PARTIAL: return g->was == FZ_FAIL ? "部分整改" : "仍未整改";
    default: return "仍未整改";
    }
}

int fz_prev_gaps_text(const fz_pack *pack, const fz_prev_summary *s, fz_buf *b) {
    for (size_t i = 0; i < s->ngaps; i++) {
        const fz_rule *r = fz_pack_rule(pack, s->gaps[i].rule);
        const char *name = r ? r->title : s->gaps[i].rule ? s->gaps[i].rule : "";
        if (fz_buf_printf(b, "%s%s（%s）", i ? "、" : "", name, fz_prev_gap_label(&s->gaps[i])) < 0) return -1;
    }
    return 0;
}

void fz_prev_summary_free(fz_prev_summary *s) {
    if (!s) return;
    free(s->file);
    free(s->grade);
    for (size_t i = 0; i < s->npromises; i++) {
        free(s->promises[i].text);
        free(s->promises[i].evidence);
    }
    free(s->promises);
    for (size_t i = 0; i < s->ngaps; i++) free(s->gaps[i].rule);
    free(s->gaps);
    free(s);
}

void fz_prev_index_free(fz_prev_index *ix) {
    for (size_t i = 0; i < ix->n; i++) {
        report_free(&ix->v[i]);
        if (ix->core) free(ix->core[i]);
    }
    free(ix->v);
    free(ix->core);
    free(ix->by_unit);
    free(ix->by_core);
    memset(ix, 0, sizeof *ix);
}
