/*
 * engine.c - see engine.h. This file gives sections their roles and the
 * report its unit type, runs the rules (dispatching each check to its
 * kind in check_*.c, combining any/all) and turns outcomes into results.
 * What the kinds share is in evalctx.c.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "previous.h"
#include "utf8.h"

/* ---- roles and scopes ------------------------------------------------ */

/* Whether a pattern matches s[0..len), a part of paragraph p (a
 * heading's text, matched on its own so that ^ and $ mean its ends). */
static int matches_any(fz_ctx *x, const fz_patterns *ps, size_t p, const char *s, size_t len) {
    for (size_t i = 0; i < ps->n; i++)
        if (fz_may_match(x, ps->v[i].re, p) && fz_regex_test(ps->v[i].re, s, len)) return 1;
    return 0;
}

/* Sentences of a section's body (its subtree without the heading line)
 * and how many of them use the role's language. */
static void content_share(fz_ctx *x, const fz_role *role, size_t s, size_t *n, size_t *k) {
    const fz_doc *d = x->doc;
    const fz_section *sec = &d->sections[s];
    int live = fz_patterns_live(x, &role->content);
    *n = *k = 0;
    for (size_t p = sec->para + 1; p < sec->end_para; p++)
        for (size_t i = d->para_sentence[p]; i < d->nsentences && d->sentences[i].para == p; i++) {
            const fz_sentence *st = &d->sentences[i];
            size_t a, b;
            (*n)++;
            *k += live && fz_match_any(x, &role->content, p, st->start, st->end, &a, &b) && a >= st->start;
        }
}

/* A role no heading gives goes to the section whose body is most made of
 * its language: problems written under "三、几点思考", the leader's duties
 * under "二、局主要领导带头学法用法". The highest such section wins (a whole
 * part rather than one of its items); sections that a heading already
 * gave a role are not candidates. */
static void roles_from_content(fz_ctx *x, uint32_t *roles, uint32_t *from_content) {
    const fz_doc *d = x->doc;
    for (size_t r = 0; r < x->pack->nroles; r++) {
        const fz_role *role = &x->pack->roles[r];
        uint32_t bit = (uint32_t)1 << r;
        if (!role->content.n) continue;
        int given = 0;
        for (size_t s = 0; s < d->nsections && !given; s++) given = (roles[s] & bit) != 0;
        if (given) continue;
        size_t best = FZ_NONE;
        double best_share = 0;
        for (size_t s = 0; s < d->nsections; s++) {
            /* inside a part whose heading says what it is, a section is
             * that part's, whatever its wording */
            int taken = roles[s] != 0;
            for (size_t p = d->sections[s].parent; p != FZ_NONE && !taken; p = d->sections[p].parent)
                taken = roles[p] != 0;
            if (taken) continue;
            size_t n, k;
            content_share(x, role, s, &n, &k);
            if (n < role->content_min || (double)k < role->content_share * (double)n) continue;
            double share = (double)k / (double)n;
            if (best == FZ_NONE || d->sections[s].level < d->sections[best].level ||
                (d->sections[s].level == d->sections[best].level && share > best_share)) {
                best = s;
                best_share = share;
            }
        }
        if (best != FZ_NONE) {
            roles[best] |= bit;
            from_content[best] |= bit;
        }
    }
}

static uint32_t *assign_roles(fz_ctx *x, uint32_t **from_content) {
    const fz_doc *d = x->doc;
    uint32_t *roles = calloc(d->nsections ? d->nsections : 1, sizeof *roles);
    *from_content = calloc(d->nsections ? d->nsections : 1, sizeof **from_content);
    if (!roles || !*from_content) {
        free(roles);
        free(*from_content);
        *from_content = NULL;
        return NULL;
    }
    for (size_t s = 0; s < d->nsections; s++) {
        const fz_section *sec = &d->sections[s];
        const char *t = d->norm.paras[sec->para].text + sec->title_start;
        size_t len = sec->title_end - sec->title_start;
        for (size_t r = 0; r < x->pack->nroles; r++) {
            const fz_role *role = &x->pack->roles[r];
            if (matches_any(x, &role->headings, sec->para, t, len) &&
                !matches_any(x, &role->not_headings, sec->para, t, len))
                roles[s] |= (uint32_t)1 << r;
        }
    }
    roles_from_content(x, roles, *from_content);
    return roles;
}

/* ---- running checks -------------------------------------------------- */

static void run_check(fz_ctx *x, const fz_check *c, fz_outcome *o);

/* Rank for choosing among sub-results: a pass beats a partial beats a
 * fail; na never wins unless everything is na. */
static int better(const fz_outcome *a, const fz_outcome *b, double partial) {
    static const int rank[] = {3, 2, 1, 0};
    if (rank[a->status] != rank[b->status]) return rank[a->status] > rank[b->status];
    double ra = a->ratio < 0 ? partial : a->ratio, rb = b->ratio < 0 ? partial : b->ratio;
    return ra > rb;
}

static void run_combined(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    int any = c->kind == FZ_CHECK_ANY;
    fz_outcome chosen = {0};
    int have = 0;
    for (size_t i = 0; i < c->nchildren; i++) {
        fz_outcome sub = {0};
        run_check(x, &c->children[i], &sub);
        int take;
        if (!have) take = 1;
        else if (sub.status == FZ_NA) take = 0;
        else if (chosen.status == FZ_NA) take = 1;
        else take = any ? better(&sub, &chosen, x->pack->partial)
                        : better(&chosen, &sub, x->pack->partial);
        if (take) {
            fz_outcome_free(&chosen);
            chosen = sub;
            have = 1;
        } else {
            fz_outcome_free(&sub);
        }
    }
    *o = chosen;
}

static void run_check(fz_ctx *x, const fz_check *c, fz_outcome *o) {
    memset(o, 0, sizeof *o);
    o->ratio = -1;
    switch (c->kind) {
    case FZ_CHECK_SECTION: fz_check_section(x, c, o); break;
    case FZ_CHECK_PRESENCE: fz_check_presence(x, c, o); break;
    case FZ_CHECK_FIGURES: fz_check_figures(x, c, o); break;
    case FZ_CHECK_YEAR: fz_check_year(x, c, o); break;
    case FZ_CHECK_FIELD: fz_check_field(x, c, o); break;
    case FZ_CHECK_ABSENCE: fz_check_absence(x, c, o); break;
    case FZ_CHECK_DEADLINE: fz_check_deadline(x, c, o); break;
    case FZ_CHECK_COVERAGE: fz_check_coverage(x, c, o); break;
    case FZ_CHECK_REUSE: fz_check_reuse(x, c, o); break;
    case FZ_CHECK_FOLLOWUP: fz_check_followup(x, c, o); break;
    case FZ_CHECK_ANY:
    case FZ_CHECK_ALL: run_combined(x, c, o); break;
    }
    /* statuses are ordered pass < partial < fail; na is never capped */
    if (o->status != FZ_NA && o->status < c->at_most) o->status = c->at_most;
}

/* The rule's message with {found}, {missing} … filled in. */
static char *expand(const char *tmpl, const fz_outcome *o) {
    static const char *const names[V_COUNT_] = {"found", "missing", "value",
                                                "expected", "count", "min"};
    fz_buf b = {0};
    int bad = 0;
    for (const char *s = tmpl; *s && !bad;) {
        const char *open = strchr(s, '{');
        if (!open) {
            bad |= fz_buf_puts(&b, s) < 0;
            break;
        }
        bad |= fz_buf_append(&b, s, (size_t)(open - s)) < 0;
        const char *close = strchr(open, '}');
        int done = 0;
        for (int v = 0; close && v < V_COUNT_ && !done; v++) {
            size_t n = strlen(names[v]);
            if ((size_t)(close - open - 1) == n && !strncmp(open + 1, names[v], n)) {
                /* an empty list reads "已报告：无", not "已报告：" */
                const char *val = !o->vars[v] ? "—" : *o->vars[v] ? o->vars[v] : "无";
                bad |= fz_buf_puts(&b, val) < 0;
                s = close + 1;
                done = 1;
            }
        }
        if (!done) {
            bad |= fz_buf_append(&b, "{", 1) < 0;
            s = open + 1;
        }
    }
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

/* The type names in bits, "、" between. */
static void type_list(fz_ctx *x, fz_buf *b, uint32_t bits) {
    for (size_t t = 0; t < x->pack->nunit_types; t++)
        if ((bits >> t) & 1 &&
            fz_buf_printf(b, "%s%s", b->len ? "、" : "", x->pack->unit_types[t].name) < 0)
            x->oom = 1;
}

/* Whether the rule applies to this report; when not, says why in o. By
 * unit type first (a unit of unknown type gets every rule: silence on a
 * duty is a gap, not a reason), then by the words applies_if asks for. */
static int applies(fz_ctx *x, const fz_rule *r, fz_outcome *o) {
    size_t t = x->unit_type;
    if ((r->applies_to || r->not_for) && t == FZ_NO_ROLE && r->unknown_type_na) {
        fz_buf types = {0};
        type_list(x, &types, r->applies_to ? r->applies_to : ~r->not_for);
        fz_outcome_detail(x, o, "不适用：无法确定报告单位的类型（可用 --units 单位名单写明）；本项只适用于%s",
                          types.ptr ? types.ptr : "部分类型的单位");
        fz_buf_free(&types);
        return 0;
    }
    if ((r->applies_to || r->not_for) && t != FZ_NO_ROLE) {
        uint32_t bit = (uint32_t)1 << t;
        if ((r->applies_to && !(r->applies_to & bit)) || (r->not_for & bit)) {
            const fz_unit_type *ut = &x->pack->unit_types[t];
            fz_buf types = {0};
            type_list(x, &types, r->applies_to ? r->applies_to : ~r->not_for);
            fz_outcome_detail(x, o, "不适用：报告单位“%s”属于%s；本项只适用于%s",
                              x->doc->unit ? x->doc->unit : "", ut->name,
                              types.ptr ? types.ptr : "其他类型的单位");
            fz_buf_free(&types);
            return 0;
        }
    }
    if (!r->applies_if.n) return 1;
    size_t np = fz_patterns_live(x, &r->applies_if) ? x->doc->norm.n : 0;
    for (size_t p = 0; p < np; p++) {
        size_t a, b;
        if (fz_match_any(x, &r->applies_if, p, 0, x->doc->norm.paras[p].len, &a, &b))
            return 1;
    }
    fz_buf words = {0};
    for (size_t i = 0; i < r->applies_if.n && i < 4; i++)
        if (fz_buf_printf(&words, "%s“%s”", i ? "、" : "", r->applies_if.v[i].label) < 0) x->oom = 1;
    fz_outcome_detail(x, o, "不适用：全文未提及%s（规则按这些文字决定是否适用）",
                      words.ptr ? words.ptr : "");
    fz_buf_free(&words);
    return 0;
}

static void evaluate_rule(fz_ctx *x, const fz_rule *r, fz_result *res) {
    fz_outcome o = {0};
    memset(res, 0, sizeof *res);
    res->rule = r;
    if (!applies(x, r, &o)) {
        o.status = FZ_NA;
        o.ratio = -1;
    } else {
        unsigned long failed = fz_regex_failure_total();
        run_check(x, &r->check, &o);
        if (fz_regex_failure_total() != failed)
            fz_outcome_detail(x, &o, "（注意：规则中的某个模式在本报告上匹配超出限制，"
                                     "结果可能不完整，请简化该模式）");
    }
    res->status = o.status;
    res->ratio = o.status == FZ_PASS ? 1.0
               : o.status == FZ_PARTIAL ? (o.ratio < 0 ? x->pack->partial : o.ratio)
               : 0.0;
    res->detail = fz_buf_steal(&o.detail);
    res->message = o.status == FZ_PASS || o.status == FZ_NA ? fz_strdup(res->detail ? res->detail : "")
                                                            : expand(r->message, &o);
    if (o.status == FZ_FAIL || o.status == FZ_PARTIAL) {
        res->suggestion = expand(r->suggestion, &o);
        if (!res->suggestion) x->oom = 1;
    }
    if (!res->detail || !res->message) x->oom = 1;
    res->evidence = o.evidence;
    res->nevidence = o.nevidence;
    o.evidence = NULL;
    o.nevidence = 0;
    fz_outcome_free(&o);
}

static size_t unit_type_of(fz_ctx *x, fz_type_source *source);

int fz_engine_check(const fz_pack *pack, fz_doc *doc, fz_report *rep, char **err) {
    rep->doc = *doc;
    memset(doc, 0, sizeof *doc);
    fz_ctx x = {.pack = pack, .doc = &rep->doc};
    x.masks = calloc(pack->nscopes ? pack->nscopes : 1, sizeof *x.masks);
    rep->section_roles = assign_roles(&x, &rep->section_content_roles);
    rep->results = calloc(pack->nrules ? pack->nrules : 1, sizeof *rep->results);
    int rc = 0;
    if (!x.masks || !rep->section_roles || !rep->results) {
        rc = fz_fail(err, FZ_ENOMEM);
        goto done;
    }
    x.roles = rep->section_roles;
    x.content_roles = rep->section_content_roles;
    x.prev = rep->paired;
    x.prev_given = rep->prev_index != NULL;
    x.prev_index = rep->prev_index;
    rep->unit_type = unit_type_of(&x, &rep->unit_type_source);
    x.unit_type = rep->unit_type;
    for (size_t i = 0; i < pack->nrules; i++) {
        evaluate_rule(&x, &pack->rules[i], &rep->results[i]);
        rep->nresults++;
    }
    if (x.oom) rc = fz_fail(err, FZ_ENOMEM);
done:
    fz_ctx_release(&x);
    return rc;
}

const char *fz_type_source_name(fz_type_source s) {
    static const char *const names[] = {NULL, "roster", "name", "text"};
    return s <= FZ_TYPE_TEXT ? names[s] : NULL;
}

/* fz_report_unit_type with x's grams at hand. */
static size_t unit_type_of(fz_ctx *x, fz_type_source *source) {
    const fz_pack *pack = x->pack;
    const fz_doc *doc = x->doc;
    size_t t = fz_pack_unit_type(pack, doc->roster_type);
    *source = FZ_TYPE_ROSTER;
    if (t == FZ_NO_ROLE) t = fz_pack_type_of(pack, doc->unit), *source = FZ_TYPE_NAME;
    /* a report that never names itself may still say what it is */
    for (size_t k = 0; t == FZ_NO_ROLE && k < pack->nunit_types; k++)
        for (size_t p = 0; p < doc->norm.n && t == FZ_NO_ROLE; p++)
            if (matches_any(x, &pack->unit_types[k].self, p, doc->norm.paras[p].text, doc->norm.paras[p].len))
                t = k, *source = FZ_TYPE_TEXT;
    if (t == FZ_NO_ROLE) *source = FZ_TYPE_NONE;
    return t;
}

size_t fz_report_unit_type(const fz_pack *pack, const fz_doc *doc, fz_type_source *source) {
    fz_ctx x = {.pack = pack, .doc = doc};
    size_t t = unit_type_of(&x, source);
    fz_ctx_release(&x);
    return t;
}

const char *fz_report_section_role(const fz_pack *pack, const fz_report *r, size_t i) {
    if (!r->section_roles) return NULL;
    for (size_t b = 0; b < pack->nroles; b++)
        if (r->section_roles[i] & ((uint32_t)1 << b)) return pack->roles[b].name;
    return NULL;
}

int fz_report_role_from_content(const fz_report *r, size_t i) {
    return r->section_content_roles && r->section_content_roles[i] != 0;
}

void fz_report_drop_results(fz_report *r) {
    for (size_t i = 0; i < r->nresults; i++) {
        fz_result *res = &r->results[i];
        free(res->message);
        free(res->detail);
        free(res->suggestion);
        for (size_t e = 0; e < res->nevidence; e++) {
            free(res->evidence[e].section);
            free(res->evidence[e].text);
        }
        free(res->evidence);
    }
    free(r->results);
    r->results = NULL;
    r->nresults = 0;
}

void fz_report_free(fz_report *r) {
    fz_report_drop_results(r);
    free(r->section_roles);
    free(r->section_content_roles);
    free(r->file);
    free(r->error);
    free(r->json_line);
    free(r->page);
    fz_buf_free(&r->annotated);
    free(r->render_error);
    fz_prev_summary_free(r->previous);
    fz_buf_free(&r->fingerprint);
    fz_doc_free(&r->doc);
    memset(r, 0, sizeof *r);
}
