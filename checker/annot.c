/*
 * annot.c - see annot.h.
 */
#include "annot.h"

#include <stdlib.h>
#include <string.h>

#include "previous.h"
#include "util.h"

/* ---- the parts' order ------------------------------------------------- */

static void name_role(size_t role, size_t *order, size_t *n, uint32_t *seen) {
    if (role >= FZ_MAX_ROLES || (*seen & ((uint32_t)1 << role))) return;
    *seen |= (uint32_t)1 << role;
    order[(*n)++] = role;
}

/* The roles a check names, in its order: its own role, its scope's roles,
 * then its sub-checks'. */
static void named_roles(const fz_pack *pack, const fz_check *c, size_t *order, size_t *n,
                        uint32_t *seen) {
    if (c->role != FZ_NO_ROLE) name_role(c->role, order, n, seen);
    if (c->scope < pack->nscopes && pack->scopes[c->scope].base == FZ_SCOPE_ROLES) {
        uint32_t bits = pack->scopes[c->scope].include & ~pack->scopes[c->scope].exclude;
        for (size_t b = 0; b < pack->nroles && b < FZ_MAX_ROLES; b++)
            if (bits & ((uint32_t)1 << b)) name_role(b, order, n, seen);
    }
    for (size_t k = 0; k < c->nchildren; k++) named_roles(pack, &c->children[k], order, n, seen);
}

/* rank[role]: the role's place in the parts' order (annot.h). */
static void part_order(const fz_pack *pack, size_t *rank) {
    size_t order[FZ_MAX_ROLES], n = 0;
    uint32_t seen = 0;
    for (size_t i = 0; i < pack->nrules; i++) named_roles(pack, &pack->rules[i].check, order, &n, &seen);
    for (size_t b = 0; b < pack->nroles && b < FZ_MAX_ROLES; b++) name_role(b, order, &n, &seen);
    for (size_t k = 0; k < n; k++) rank[order[k]] = k;
}

/* The first role of `bits` in the parts' order, or FZ_NO_ROLE. */
static size_t first_role(const fz_pack *pack, const size_t *rank, uint32_t bits) {
    size_t best = FZ_NO_ROLE;
    for (size_t b = 0; b < pack->nroles && b < FZ_MAX_ROLES; b++)
        if ((bits & ((uint32_t)1 << b)) && (best == FZ_NO_ROLE || rank[b] < rank[best])) best = b;
    return best;
}

/* The element's part (annot.h). */
static size_t home_role(const fz_pack *pack, const size_t *rank, const fz_check *c) {
    if (c->role != FZ_NO_ROLE && c->role < FZ_MAX_ROLES) return c->role;
    for (size_t k = 0; k < c->nchildren; k++) {
        size_t r = home_role(pack, rank, &c->children[k]);
        if (r != FZ_NO_ROLE) return r;
    }
    if (c->scope >= pack->nscopes) return FZ_NO_ROLE;
    const fz_scope *s = &pack->scopes[c->scope];
    uint32_t all = pack->nroles >= 32 ? UINT32_MAX : ((uint32_t)1 << pack->nroles) - 1;
    if (s->base == FZ_SCOPE_ROLES) return first_role(pack, rank, s->include & ~s->exclude);
    if (s->base == FZ_SCOPE_DOCUMENT && s->exclude) return first_role(pack, rank, all & ~s->exclude);
    return FZ_NO_ROLE;
}

size_t fz_note_home(const fz_pack *pack, const fz_report *r, size_t i) {
    const fz_doc *d = &r->doc;
    if (i >= r->nresults || !r->section_roles || !d->nsections) return FZ_NONE;
    size_t rank[FZ_MAX_ROLES];
    part_order(pack, rank);
    size_t role = home_role(pack, rank, &r->results[i].rule->check);
    if (role == FZ_NO_ROLE) return FZ_NONE;
    uint32_t bit = (uint32_t)1 << role, before = 0, after = 0;
    for (size_t s = 0; s < d->nsections; s++)
        if (r->section_roles[s] & bit) return s;
    for (size_t b = 0; b < pack->nroles && b < FZ_MAX_ROLES; b++) {
        if (rank[b] < rank[role]) before |= (uint32_t)1 << b;
        if (rank[b] > rank[role]) after |= (uint32_t)1 << b;
    }
    /* Only sections before the first part that comes after it: a
     * subsection of the plan whose content reads as the leader's duties
     * must not pull the problems' comment down into the plan. */
    size_t limit = d->nsections;
    for (size_t s = 0; s < d->nsections && limit == d->nsections; s++)
        if (r->section_roles[s] & after) limit = s;
    size_t last = FZ_NONE;
    for (size_t s = 0; s < limit; s++)
        if (r->section_roles[s] & before) last = s;
    /* the part it follows is the whole top-level section, not a subsection */
    for (size_t hops = 0; last != FZ_NONE && d->sections[last].parent != FZ_NONE && hops < d->nsections;
         hops++)
        last = d->sections[last].parent;
    return last;
}

/* ---- the notes --------------------------------------------------------- */

/* The paragraph of doc.norm holding line `line`, or FZ_NONE. */
static size_t para_of_line(const fz_doc *d, uint32_t line) {
    for (size_t p = 0; p < d->norm.n; p++) {
        const fz_para *q = &d->norm.paras[p];
        if (q->npieces && q->pieces[0].line <= line && line <= q->pieces[q->npieces - 1].line)
            return p;
    }
    return FZ_NONE;
}

/* Where the title is (the first paragraph when there is none). */
static void title_place(const fz_doc *d, fz_note *n) {
    size_t p = d->title ? para_of_line(d, d->title_line) : FZ_NONE;
    if (p == FZ_NONE && d->title && d->title_end_para && d->title_end_para <= d->norm.n)
        p = d->title_end_para - 1;
    if (p == FZ_NONE) p = 0;
    n->para = p;
    n->line = d->title && d->title_line ? d->title_line
            : p < d->norm.n && d->norm.paras[p].npieces ? d->norm.paras[p].pieces[0].line
                                                          : 1;
}

/* The summary's lines on last year's report: score, change, what is said
 * again and what became of last year's gaps. */
static int previous_lines(const fz_pack *pack, const fz_prev_summary *p, double score, fz_buf *b) {
    int bad = fz_buf_printf(b, "\n与上一年度报告对照：上年得分 %.1f，本年较上年 %+.1f 分", p->score, score - p->score) < 0;
    if (p->reused >= 0) bad |= fz_buf_printf(b, "；与上年相同的句子占全文 %.0f%%", p->reused * 100) < 0;
    if (p->ngaps) {
        bad |= fz_buf_puts(b, "\n上年必备要素未达标：") < 0;
        bad |= fz_prev_gaps_text(pack, p, b) < 0;
    }
    return bad ? -1 : 0;
}

static char *summary_text(const fz_pack *pack, const fz_report *r, size_t notes) {
    fz_buf b = {0};
    int bad = fz_buf_printf(&b, "fzcheck 检查结果：得分 %.1f，等级：%s", r->score,
                            r->grade ? r->grade : "—") < 0;
    if (!r->required_gaps) {
        bad |= fz_buf_puts(&b, "\n必备要素缺项：无") < 0;
    } else {
        bad |= fz_buf_printf(&b, "\n必备要素缺项（%zu 项）：", r->required_gaps) < 0;
        size_t k = 0;
        for (size_t i = 0; i < r->nresults; i++) {
            const fz_result *res = &r->results[i];
            if (res->rule->severity != FZ_SEV_REQUIRED || res->status == FZ_PASS || res->status == FZ_NA)
                continue;
            bad |= fz_buf_printf(&b, "%s%s（%s）", k++ ? "；" : "",
                                 res->rule->title ? res->rule->title : res->rule->id,
                                 fz_status_label(res->status)) < 0;
        }
    }
    if (r->previous) bad |= previous_lines(pack, r->previous, r->score, &b) < 0;
    if (notes)
        bad |= fz_buf_printf(&b, "\n部分符合和缺失的要素另有 %zu 条批注逐项说明。", notes) < 0;
    bad |= fz_buf_printf(&b, "\n规则包：%s", pack->name ? pack->name : "（未命名）") < 0;
    if (pack->version) bad |= fz_buf_printf(&b, "（版本 %s）", pack->version) < 0;
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

static char *result_text(const fz_result *res) {
    fz_buf b = {0};
    const char *msg = res->message ? res->message : res->rule->title ? res->rule->title : res->rule->id;
    int bad = fz_buf_puts(&b, msg) < 0;
    if (res->suggestion && *res->suggestion) bad |= fz_buf_printf(&b, "\n建议：%s", res->suggestion) < 0;
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

int fz_notes_plan(const fz_pack *pack, const fz_report *r, fz_notes *out, char **err) {
    const fz_doc *d = &r->doc;
    memset(out, 0, sizeof *out);
    size_t gaps = 0;
    for (size_t i = 0; i < r->nresults; i++)
        gaps += r->results[i].status == FZ_PARTIAL || r->results[i].status == FZ_FAIL;
    if (!(out->v = calloc(gaps + 1, sizeof *out->v))) return fz_fail(err, FZ_ENOMEM);
    fz_note *sum = &out->v[out->n++];
    title_place(d, sum);
    if (!(sum->text = summary_text(pack, r, gaps))) goto oom;
    for (size_t i = 0; i < r->nresults; i++) {
        const fz_result *res = &r->results[i];
        if (res->status != FZ_PARTIAL && res->status != FZ_FAIL) continue;
        fz_note *n = &out->v[out->n++];
        const fz_evidence *ev = res->nevidence ? &res->evidence[0] : NULL;
        size_t home = ev ? FZ_NONE : fz_note_home(pack, r, i);
        if (ev && ev->para < d->norm.n) {
            n->para = ev->para;
            n->line = ev->line ? ev->line : fz_para_line_at(&d->norm.paras[ev->para], ev->start);
        } else if (home != FZ_NONE) {
            n->para = d->sections[home].para;
            n->line = d->sections[home].line;
        } else {
            title_place(d, n);
        }
        if (!(n->text = result_text(res))) goto oom;
    }
    return 0;
oom:
    fz_notes_free(out);
    return fz_fail(err, FZ_ENOMEM);
}

void fz_notes_free(fz_notes *n) {
    for (size_t i = 0; i < n->n; i++) free(n->v[i].text);
    free(n->v);
    memset(n, 0, sizeof *n);
}
