/*
 * rules_load.c - reading a rule pack from YAML (libyaml's document API,
 * which keeps each node's line and column) into an fz_pack.
 *
 * The files are those of the pack's chain (pack_chain.h: the packs it
 * extends first), read in passes: the pack-wide parts (scoring, grades,
 * units, roles, unit types), the scopes, the rules (each pack's disable
 * and override before its own rules, rules_overlay.c), the tests; so that
 * a rule may name a role or scope defined in another file or pack, and a
 * pack may change what the packs below it defined. Problems are
 * collected with their positions and reported together.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "rules.h"
#include "rules_internal.h"
#include "dates.h"
#include "jsonv.h"
#include "pack_chain.h"
#include "schema.h"
#include "yamlread.h"
#include "util.h"



fz_pos fz_rl_pos(loader *L, const yaml_node_t *n) {
    return (fz_pos){L->y.file, (unsigned)n->start_mark.line + 1,
                    (unsigned)n->start_mark.column + 1};
}


/* Names a pattern's owner in a time-budget message: "规则“x”中" without
 * its "中". */
static void label_regex(loader *L, fz_regex *re) {
    const char *owner = L->owner ? L->owner : "规则包";
    size_t olen = strlen(owner);
    char *label = fz_strndup(owner, olen >= 3 && !strcmp(owner + olen - 3, "中") ? olen - 3 : olen);
    if (!label || fz_regex_set_label(re, label) < 0) L->y.oom = 1;
    free(label);
}

/* Frees what a pattern that failed to compile holds, leaving it empty. */
static int drop_pattern(fz_pattern *p) {
    free(p->source);
    free(p->label);
    memset(p, 0, sizeof *p);
    return -1;
}

/* One pattern string, compiled; nothing is kept when it fails. */
int fz_rl_pattern(loader *L, yaml_node_t *n, const char *ctx,
                           fz_pattern *out) {
    memset(out, 0, sizeof *out);
    if (!fz_yr_expect(&L->y, n, YAML_SCALAR_NODE, "正则表达式字符串")) return -1;
    char *err = NULL;
    out->source = fz_strdup(fz_yr_scalar(n));
    out->label = out->source ? fz_regex_readable(out->source) : NULL;
    if (!out->source || !out->label) {
        L->y.oom = 1;
        return drop_pattern(out);
    }
    out->re = fz_regex_compile(out->source, &err);
    if (!out->re) {
        fz_yr_error(&L->y, n, "%s%s的正则表达式“%s”无法编译：%s", L->owner ? L->owner : "", ctx,
               out->source, err ? err : FZ_ENOMEM);
        free(err);
        return drop_pattern(out);
    }
    label_regex(L, out->re);
    const char *risk = fz_regex_risky(out->source);
    if (risk)
        fz_yr_warning(&L->y, n, "%s%s的正则表达式“%s”可能在某些报告上极慢：%s。请改写（用有上限的重复，"
                      "如 [^。]{0,20}，去掉嵌套的重复）", L->owner ? L->owner : "", ctx, out->source, risk);
    return 0;
}

/* A pattern or a list of patterns. */
int fz_rl_patterns(loader *L, yaml_node_t *n, const char *ctx,
                        fz_patterns *out) {
    if (n->type == YAML_SCALAR_NODE) {
        out->v = calloc(1, sizeof *out->v);
        if (!out->v) return L->y.oom = 1, -1;
        if (fz_rl_pattern(L, n, ctx, &out->v[0]) < 0) {
            free(out->v);
            out->v = NULL;
            return -1;
        }
        out->n = 1;
        return 0;
    }
    if (!fz_yr_expect(&L->y, n, YAML_SEQUENCE_NODE, "正则表达式或其列表")) return -1;
    size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (cnt == 0) {
        fz_yr_error(&L->y, n, "列表不能为空");
        return -1;
    }
    out->v = calloc(cnt, sizeof *out->v);
    if (!out->v) return L->y.oom = 1, -1;
    int rc = 0;
    for (size_t i = 0; i < cnt; i++) {
        /* only a compiled pattern is kept (a failed one is reported) */
        if (fz_rl_pattern(L, fz_yr_node(&L->y, n->data.sequence.items.start[i]), ctx,
                            &out->v[out->n]) < 0) {
            rc = -1;
        } else {
            out->n++;
        }
    }
    return rc;
}

/* ---- pack-wide parts ---------------------------------------------------- */

int fz_rl_once(loader *L, yaml_node_t *kn, const char **seen, const char *key) {
    if (*seen) {
        fz_yr_error(&L->y, kn, "“%s”已在 %s 中定义，一个规则包只能定义一次", key, *seen);
        return 0;
    }
    *seen = L->y.file;
    return 1;
}

/* ---- rules ---------------------------------------------------------------- */

#define kind_names fz_check_kind_names
static const char *const field_names[] = {"title", "unit", "year", "doc_number",
                                          "date", NULL};
static const char *const status_names[] = {"pass", "partial", "fail", "na", NULL};

/* Keys each check kind accepts (besides kind and scope). */
static const char *const *kind_keys(fz_check_kind k) {
    static const char *const section[] = {"kind", "at_most", "scope", "headings", "role", "min_length",
                                          "min_sentences", "generic", NULL};
    static const char *const presence[] = {"kind", "at_most", "scope", "require", "within", "items", "all",
                                           "any", "pass_at", "partial_at", "actor", "not_actor",
                                           NULL};
    static const char *const figures[] = {"kind", "at_most", "scope", "keywords", "related", "window",
                                          "units", "min", "mention", "not_counts", "same_clause",
                                          NULL};
    static const char *const year[] = {"kind", "at_most", "role", "offset", NULL};
    static const char *const field[] = {"kind", "at_most", "field", "pattern", "missing", NULL};
    static const char *const absence[] = {"kind", "at_most", "scope", "items", "history", "not_after", NULL};
    static const char *const deadline[] = {"kind", "at_most", "due", "missing", NULL};
    static const char *const coverage[] = {"kind", "at_most", "scope", "groups", "min", "pass_share",
                                           "partial_share", NULL};
    static const char *const combo[] = {"kind", "at_most", "checks", NULL};
    static const char *const reuse[] = {"kind", "at_most", "scope", "partial_at", "fail_at", NULL};
    static const char *const followup[] = {"kind", "at_most", "scope", "promises", "overlap",
                                           "pass_at", "partial_at", NULL};
    switch (k) {
    case FZ_CHECK_SECTION: return section;
    case FZ_CHECK_PRESENCE: return presence;
    case FZ_CHECK_FIGURES: return figures;
    case FZ_CHECK_YEAR: return year;
    case FZ_CHECK_FIELD: return field;
    case FZ_CHECK_ABSENCE: return absence;
    case FZ_CHECK_DEADLINE: return deadline;
    case FZ_CHECK_COVERAGE: return coverage;
    case FZ_CHECK_REUSE: return reuse;
    case FZ_CHECK_FOLLOWUP: return followup;
    default: return combo;
    }
}

/* items, all and any each fill the item list: only one may be used. */
static int items_free(loader *L, yaml_node_t *n, fz_check *c) {
    if (!c->items) return 1;
    fz_yr_error(&L->y, n, "items、all、any 只能使用其中一个");
    return 0;
}

/* since: a year (2018: outdated in reports on 2019 on) or a date
 * (2021-01-01: in reports on 2021 on), as YYYYMMDD of the first day a
 * whole report year must begin on or after. */
static void item_since(loader *L, yaml_node_t *n, int *out) {
    const char *s = fz_yr_scalar(n);
    int y, m, d;
    char tail;
    if (s && strlen(s) == 4 && sscanf(s, "%4d%c", &y, &tail) == 1 && y >= 1949 && y <= 2100) {
        *out = (y + 1) * 10000 + 101;
        return;
    }
    if (s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && y >= 1949 &&
        y <= 2100 && fz_valid_date(y, m, d)) {
        *out = y * 10000 + m * 100 + d;
        return;
    }
    fz_yr_error(&L->y, n, "since 应为年份（如 2018）或日期（如 2021-01-01）");
}

static int get_items(loader *L, yaml_node_t *n, fz_check *c) {
    static const char *const keys[] = {"name", "patterns", "unless", "since", "change", NULL};
    if (!items_free(L, n, c)) return -1;
    if (!fz_yr_expect(&L->y, n, YAML_SEQUENCE_NODE, "列表")) return -1;
    if (!fz_yr_len(n)) {
        fz_yr_error(&L->y, n, "列表不能为空");
        return -1;
    }
    c->items = calloc(fz_yr_len(n), sizeof *c->items);
    if (!c->items) return L->y.oom = 1, -1;
    for (size_t i = 0; i < fz_yr_len(n); i++) {
        yaml_node_t *in = fz_yr_node(&L->y, n->data.sequence.items.start[i]);
        fz_item *it = &c->items[c->nitems++];
        if (in->type == YAML_SCALAR_NODE) {
            fz_yr_string(&L->y, in, &it->name);
            fz_rl_patterns(L, in, "要素", &it->patterns);
            continue;
        }
        fz_yr_pair *ps;
        size_t before = L->y.nerrors;
        size_t k = fz_yr_pairs(&L->y, in, keys, "要素", &ps);
        for (size_t j = 0; j < k; j++) {
            if (!strcmp(ps[j].key, "name")) fz_yr_string(&L->y, ps[j].value, &it->name);
            else if (!strcmp(ps[j].key, "unless")) fz_rl_patterns(L, ps[j].value, "要素的例外", &it->unless);
            else if (!strcmp(ps[j].key, "since") || !strcmp(ps[j].key, "change")) {
                if (c->kind != FZ_CHECK_ABSENCE)
                    fz_yr_error(&L->y, ps[j].knode, "%s 只用于 absence 检查（已更名、废止的名称）",
                                ps[j].key);
                else if (ps[j].key[0] == 's') item_since(L, ps[j].value, &it->since);
                else fz_yr_string(&L->y, ps[j].value, &it->change);
            }
            else fz_rl_patterns(L, ps[j].value, "要素", &it->patterns);
        }
        free(ps);
        /* (a pattern that failed to compile was reported already) */
        if (in->type == YAML_MAPPING_NODE && L->y.nerrors == before &&
            (!it->name || !it->patterns.n))
            fz_yr_error(&L->y, in, "要素需要 name 和 patterns");
    }
    return 0;
}

/* One item per pattern (all:) or one item for the list (any:). */
static int items_from_patterns(loader *L, yaml_node_t *n, fz_check *c, int each) {
    if (!items_free(L, n, c)) return -1;
    fz_patterns ps = {0};
    if (fz_rl_patterns(L, n, "要素", &ps) < 0 && !ps.v) return -1;
    size_t cnt = each ? ps.n : 1;
    c->items = calloc(cnt ? cnt : 1, sizeof *c->items);
    if (!c->items) {
        fz_patterns_free(&ps);
        return L->y.oom = 1, -1;
    }
    if (!each) {
        c->items[0].name = fz_strdup(ps.n ? ps.v[0].label : "");
        if (!c->items[0].name) L->y.oom = 1;
        c->items[0].patterns = ps;
        c->nitems = 1;
        return 0;
    }
    for (size_t i = 0; i < ps.n; i++) {
        fz_item *it = &c->items[c->nitems++];
        it->name = fz_strdup(ps.v[i].label);
        it->patterns.v = malloc(sizeof *it->patterns.v);
        if (!it->name || !it->patterns.v) {
            L->y.oom = 1;
            fz_regex_free(ps.v[i].re);
            drop_pattern(&ps.v[i]);
            continue;
        }
        it->patterns.v[0] = ps.v[i];
        it->patterns.n = 1;
    }
    free(ps.v);
    return 0;
}

static int by_length_desc(const void *a, const void *b) {
    size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
    return x < y ? 1 : x > y ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regex for "a number followed by one of the units": 134家, 81家次,
 * 1.1万份, 三十余次. Not a count: a year (2024年: 年 is no unit), an
 * ordinal (第三版, 第3次), or a list label (1、). */
static fz_regex *count_regex(loader *L, yaml_node_t *at, char **units, size_t n) {
    char **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted) return L->y.oom = 1, NULL;
    memcpy(sorted, units, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, by_length_desc);
    fz_buf b = {0};
    int bad = fz_buf_puts(&b,
        "(?<![第\\d.])(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?"
        "|(?<![第一二两三四五六七八九十百千])[一二两三四五六七八九]?[十百千][一二三四五六七八九十百千零]*") < 0;
    bad |= fz_buf_puts(&b, "") < 0;
    fz_buf re = {0};
    bad |= fz_buf_printf(&re, "(?:%s)(?:余|多)?(?:万|亿)?(?:", b.ptr) < 0;
    for (size_t i = 0; i < n && !bad; i++) {
        if (i) bad |= fz_buf_puts(&re, "|") < 0;
        bad |= fz_buf_puts(&re, "\\Q") < 0;
        bad |= fz_buf_puts(&re, sorted[i]) < 0;
        bad |= fz_buf_puts(&re, "\\E") < 0;
    }
    bad |= fz_buf_puts(&re, ")") < 0;
    free(sorted);
    fz_buf_free(&b);
    if (bad) {
        fz_buf_free(&re);
        L->y.oom = 1;
        return NULL;
    }
    char *err = NULL;
    fz_regex *r = fz_regex_compile(re.ptr, &err);
    if (!r) fz_yr_error(&L->y, at, "计量单位无法组成正则表达式：%s", err ? err : FZ_ENOMEM);
    if (r && fz_regex_set_label(r, "计量单位（units）") < 0) L->y.oom = 1;
    free(err);
    fz_buf_free(&re);
    return r;
}

static const char *const default_units[] = {
    "家次", "人次", "户次", "车次", "万元", "亿元", "元", "家", "次", "件", "个",
    "条", "人", "项", "份", "起", "场", "期", "批", "篇", "台", "套", "户", "宗",
    "卷", "名", "处", "吨", "%", NULL};


static void load_children(loader *L, yaml_node_t *n, fz_check *c, const char *id) {
    if (!fz_yr_expect(&L->y, n, YAML_SEQUENCE_NODE, "检查列表")) return;
    if (++L->check_depth > 8) {
        fz_yr_error(&L->y, n, "any/all 检查嵌套过深（最多 8 层）");
        L->check_depth--;
        return;
    }
    if (!fz_yr_len(n)) {
        fz_yr_error(&L->y, n, "checks 不能为空");
        return;
    }
    c->children = calloc(fz_yr_len(n), sizeof *c->children);
    if (!c->children) { L->y.oom = 1; return; }
    for (size_t i = 0; i < fz_yr_len(n); i++)
        fz_rl_check(L, fz_yr_node(&L->y, n->data.sequence.items.start[i]), &c->children[c->nchildren++], id);
    L->check_depth--;
}

static size_t resolve(loader *L, yaml_node_t *n, int role) {
    const char *name = fz_yr_scalar(n);
    if (!name) {
        fz_yr_error(&L->y, n, "应为%s名", role ? "角色" : "范围");
        return FZ_NO_ROLE;
    }
    size_t i = role ? fz_pack_role(L->pack, name) : fz_pack_scope(L->pack, name);
    if (i == FZ_NO_ROLE) fz_yr_error(&L->y, n, "未定义的%s“%s”", role ? "角色" : "范围", name);
    return i;
}

/* due: [{types: [省级政府], month: 4, day: 1}, {month: 3, day: 1}] — the
 * date in the year after the report year; an entry without types is for
 * every type (and for a unit whose type is unknown). */
static void load_due(loader *L, yaml_node_t *n, fz_check *c) {
    static const char *const keys[] = {"types", "month", "day", NULL};
    if (!fz_yr_expect(&L->y, n, YAML_SEQUENCE_NODE, "列表")) return;
    free(c->due);
    c->ndue = 0;
    c->due = calloc(fz_yr_len(n) ? fz_yr_len(n) : 1, sizeof *c->due);
    if (!c->due) {
        L->y.oom = 1;
        return;
    }
    for (size_t i = 0; i < fz_yr_len(n); i++) {
        yaml_node_t *e = fz_yr_node(&L->y, n->data.sequence.items.start[i]);
        fz_yr_pair *ps;
        size_t k = fz_yr_pairs(&L->y, e, keys, "截止日期", &ps);
        fz_due *d = &c->due[c->ndue];
        double month = 0, day = 0;
        for (size_t j = 0; j < k; j++) {
            if (!strcmp(ps[j].key, "types")) d->types = fz_rl_type_bits(L, ps[j].value);
            else if (!strcmp(ps[j].key, "month")) fz_yr_number(&L->y, ps[j].value, 1, 12, &month);
            else fz_yr_number(&L->y, ps[j].value, 1, 31, &day);
        }
        free(ps);
        if (e->type != YAML_MAPPING_NODE) continue;
        d->month = (int)month;
        d->day = (int)day;
        if (!d->month || !d->day || (double)d->month != month || (double)d->day != day ||
            !fz_valid_date(2024, d->month, d->day))
            fz_yr_error(&L->y, e, "截止日期需要 month 和 day，且是一年中存在的日期");
        else
            c->ndue++;
    }
}

static void load_check_key(loader *L, const fz_yr_pair *p, fz_check *c, const char *id,
                           yaml_node_t **units_node) {
    const char *k = p->key;
    yaml_node_t *v = p->value;
    int e;
    if (c->kind == FZ_CHECK_REUSE && !strcmp(k, "partial_at"))
        fz_yr_number(&L->y, v, 0, 1, &c->reuse_partial);
    else if (c->kind == FZ_CHECK_REUSE && !strcmp(k, "fail_at"))
        fz_yr_number(&L->y, v, 0, 1, &c->reuse_fail);
    else if (c->kind == FZ_CHECK_FOLLOWUP && !strcmp(k, "pass_at"))
        fz_yr_number(&L->y, v, 0, 1, &c->pass_share);
    else if (c->kind == FZ_CHECK_FOLLOWUP && !strcmp(k, "partial_at"))
        fz_yr_number(&L->y, v, 0, 1, &c->partial_share);
    else if (!strcmp(k, "promises")) c->promises = resolve(L, v, 0);
    else if (!strcmp(k, "overlap")) fz_yr_number(&L->y, v, 0, 1, &c->overlap);
    else if (!strcmp(k, "scope")) c->scope = resolve(L, v, 0);
    else if (!strcmp(k, "role")) c->role = resolve(L, v, 1);
    else if (!strcmp(k, "headings")) fz_rl_patterns(L, v, "章节标题", &c->headings);
    else if (!strcmp(k, "min_length")) fz_yr_count(&L->y, v, &c->min_length);
    else if (!strcmp(k, "min_sentences")) fz_yr_count(&L->y, v, &c->min_sentences);
    else if (!strcmp(k, "generic")) fz_rl_patterns(L, v, "空话套话", &c->generic);
    else if (!strcmp(k, "actor")) fz_rl_patterns(L, v, "主体", &c->actor);
    else if (!strcmp(k, "not_actor")) fz_rl_patterns(L, v, "其他主体", &c->not_actor);
    else if (!strcmp(k, "not_counts")) fz_rl_patterns(L, v, "不算数据的数字", &c->not_counts);
    else if (!strcmp(k, "same_clause")) fz_yr_bool(&L->y, v, &c->same_clause);
    else if (!strcmp(k, "history")) fz_rl_patterns(L, v, "叙述沿革的表述", &c->history);
    else if (!strcmp(k, "not_after")) fz_rl_patterns(L, v, "名称之前的沿革表述", &c->not_after);
    else if (!strcmp(k, "due")) load_due(L, v, c);
    else if (!strcmp(k, "groups")) get_items(L, v, c);
    else if (!strcmp(k, "pass_share")) fz_yr_number(&L->y, v, 0, 1, &c->pass_share);
    else if (!strcmp(k, "partial_share")) fz_yr_number(&L->y, v, 0, 1, &c->partial_share);
    else if (!strcmp(k, "require")) fz_rl_patterns(L, v, "前提", &c->require);
    else if (!strcmp(k, "within")) {
        static const char *const within[] = {"scope", "paragraph", "section", NULL};
        if (fz_yr_enum(&L->y, v, within, &e) == 0) c->within = e;
    }
    else if (!strcmp(k, "items")) get_items(L, v, c);
    else if (!strcmp(k, "all")) items_from_patterns(L, v, c, 1);
    else if (!strcmp(k, "any")) items_from_patterns(L, v, c, 0);
    else if (!strcmp(k, "pass_at")) fz_yr_count(&L->y, v, &c->pass_at);
    else if (!strcmp(k, "partial_at")) fz_yr_count(&L->y, v, &c->partial_at);
    else if (!strcmp(k, "keywords")) fz_rl_patterns(L, v, "关键词", &c->keywords);
    else if (!strcmp(k, "related")) fz_rl_patterns(L, v, "相关词", &c->related);
    else if (!strcmp(k, "window")) fz_yr_count(&L->y, v, &c->window);
    else if (!strcmp(k, "units")) *units_node = v;
    else if (!strcmp(k, "min")) fz_yr_count(&L->y, v, &c->min);
    else if (!strcmp(k, "mention")) {
        if (fz_yr_enum(&L->y, v, status_names, &e) == 0) c->mention = (fz_status)e;
    } else if (!strcmp(k, "offset")) {
        double d;
        if (fz_yr_number(&L->y, v, -10, 10, &d) == 0) c->offset = (int)d;
    } else if (!strcmp(k, "field")) {
        if (fz_yr_enum(&L->y, v, field_names, &e) == 0) c->field = (fz_field)e;
    } else if (!strcmp(k, "pattern")) fz_rl_patterns(L, v, "字段", &c->pattern);
    else if (!strcmp(k, "at_most")) {
        /* the best a check may give: a fallback inside `any` that only
         * ever shows a lesser form ("一句展望" for a plan) */
        static const char *const caps[] = {"pass", "partial", "fail", NULL};
        if (fz_yr_enum(&L->y, v, caps, &e) == 0) c->at_most = (fz_status)e;
    } else if (!strcmp(k, "missing")) {
        if (fz_yr_enum(&L->y, v, status_names, &e) == 0) c->missing = (fz_status)e;
    } else if (!strcmp(k, "checks")) load_children(L, v, c, id);
}

static void check_complete(loader *L, yaml_node_t *n, fz_check *c, int has_field,
                           int has_role, int has_pass_at, int has_partial_at) {
    switch (c->kind) {
    case FZ_CHECK_SECTION:
        if (!c->headings.n && !has_role)
            fz_yr_error(&L->y, n, "section 检查需要 headings 或 role");
        break;
    case FZ_CHECK_PRESENCE:
        if (!c->nitems && !c->require.n)
            fz_yr_error(&L->y, n, "presence 检查需要 items、all、any 或 require 之一");
        if (c->within != FZ_WITHIN_SCOPE && !c->require.n)
            fz_yr_error(&L->y, n, "within 需要与 require 一起使用");
        if (!has_pass_at) c->pass_at = c->nitems;
        if (!has_partial_at) c->partial_at = c->nitems ? 1 : 0;
        if (c->pass_at > c->nitems && c->nitems)
            fz_yr_error(&L->y, n, "pass_at（%zu）大于要素个数（%zu）", c->pass_at, c->nitems);
        if (c->partial_at > c->pass_at)
            fz_yr_error(&L->y, n, "partial_at（%zu）大于 pass_at（%zu）", c->partial_at, c->pass_at);
        break;
    case FZ_CHECK_YEAR:
        if (!has_role) fz_yr_error(&L->y, n, "year 检查需要 role（下一年度安排所在的部分）");
        break;
    case FZ_CHECK_FIELD:
        if (!has_field) fz_yr_error(&L->y, n, "field 检查需要 field");
        break;
    case FZ_CHECK_ABSENCE:
        if (!c->nitems) fz_yr_error(&L->y, n, "absence 检查需要 items");
        break;
    case FZ_CHECK_DEADLINE:
        if (!c->ndue) fz_yr_error(&L->y, n, "deadline 检查需要 due（各类单位的报送截止日期）");
        else if (c->due[c->ndue - 1].types)
            fz_yr_error(&L->y, n, "due 的最后一项应不写 types：它是其他类型（和类型不明）的单位的截止日期");
        break;
    case FZ_CHECK_COVERAGE:
        if (!c->nitems) fz_yr_error(&L->y, n, "coverage 检查需要 groups（各方面及其表述）");
        if (c->partial_share > c->pass_share)
            fz_yr_error(&L->y, n, "partial_share（%g）大于 pass_share（%g）", c->partial_share, c->pass_share);
        break;
    case FZ_CHECK_REUSE:
        if (c->reuse_partial > c->reuse_fail)
            fz_yr_error(&L->y, n, "partial_at（%g）大于 fail_at（%g）", c->reuse_partial, c->reuse_fail);
        break;
    case FZ_CHECK_FOLLOWUP:
        if (c->promises == FZ_NO_ROLE)
            fz_yr_error(&L->y, n, "followup 检查需要 promises（上一年度报告中写有工作安排的范围），"
                                  "规则包也没有 plan 范围可作默认");
        if (c->partial_share > c->pass_share)
            fz_yr_error(&L->y, n, "partial_at（%g）大于 pass_at（%g）", c->partial_share, c->pass_share);
        break;
    case FZ_CHECK_ANY:
    case FZ_CHECK_ALL:
        if (!c->nchildren) fz_yr_error(&L->y, n, "%s 检查需要 checks", kind_names[c->kind]);
        break;
    default:
        break;
    }
}

int fz_rl_check(loader *L, yaml_node_t *n, fz_check *c, const char *id) {
    memset(c, 0, sizeof *c);
    c->scope = 0; /* document */
    c->role = FZ_NO_ROLE;
    c->min = 1;
    c->window = 1;
    c->offset = 1;
    c->mention = FZ_FAIL;
    c->missing = FZ_FAIL;
    c->pass_share = 1;
    c->partial_share = 0.5;
    c->reuse_partial = 0.3;
    c->reuse_fail = 0.6;
    c->overlap = 0.3;
    c->promises = fz_pack_scope(L->pack, "plan");
    if (!fz_yr_expect(&L->y, n, YAML_MAPPING_NODE, "映射")) return -1;
    c->pos = fz_rl_pos(L, n);
    /* the kind decides which keys are allowed */
    yaml_node_t *kind_node = NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const char *k = fz_yr_scalar(fz_yr_node(&L->y, p->key));
        if (k && !strcmp(k, "kind")) kind_node = fz_yr_node(&L->y, p->value);
    }
    if (!kind_node) {
        fz_yr_error(&L->y, n, "检查缺少 kind（可用：section、presence、figures、year、field、absence、"
                              "deadline、coverage、any、all、reuse、followup）");
        return -1;
    }
    int kind;
    if (fz_yr_enum(&L->y, kind_node, kind_names, &kind) < 0) return -1;
    c->kind = (fz_check_kind)kind;
    if (c->kind == FZ_CHECK_DEADLINE) c->missing = FZ_NA;
    fz_yr_pair *ps;
    char where[64];
    snprintf(where, sizeof where, "%s 检查", kind_names[kind]);
    size_t k = fz_yr_pairs(&L->y, n, kind_keys(c->kind), where, &ps);
    yaml_node_t *units_node = NULL;
    int has_field = 0, has_role = 0, has_pass_at = 0, has_partial_at = 0;
    for (size_t i = 0; i < k; i++) {
        if (!strcmp(ps[i].key, "kind")) continue;
        has_field |= !strcmp(ps[i].key, "field");
        has_role |= !strcmp(ps[i].key, "role");
        has_pass_at |= !strcmp(ps[i].key, "pass_at");
        has_partial_at |= !strcmp(ps[i].key, "partial_at");
        load_check_key(L, &ps[i], c, id, &units_node);
    }
    free(ps);
    if (c->scope == FZ_NO_ROLE) c->scope = 0;
    check_complete(L, n, c, has_field, has_role, has_pass_at, has_partial_at);
    if (c->kind == FZ_CHECK_FIGURES) {
        if (units_node) {
            if (fz_yr_expect(&L->y, units_node, YAML_SEQUENCE_NODE, "计量单位列表")) {
                size_t cnt = fz_yr_len(units_node);
                char **us = calloc(cnt ? cnt : 1, sizeof *us);
                if (!us) return L->y.oom = 1, -1;
                size_t got = 0;
                for (size_t i = 0; i < cnt; i++)
                    if (fz_yr_string(&L->y, fz_yr_node(&L->y, units_node->data.sequence.items.start[i]), &us[got]) == 0)
                        got++;
                c->count_re = count_regex(L, units_node, us, got);
                for (size_t i = 0; i < got; i++) free(us[i]);
                free(us);
            }
        } else {
            c->count_re = count_regex(L, n, L->pack->units, L->pack->nunits);
        }
    }
    return 0;
}

void fz_rl_rule_field(loader *L, fz_rule *r, const char *key, yaml_node_t *v) {
    static const char *const sev[] = {"required", "recommended", "info", NULL};
    static const char *const unknown[] = {"check", "na", NULL};
    int e;
    if (!strcmp(key, "title")) fz_yr_string(&L->y, v, &r->title);
    else if (!strcmp(key, "category")) fz_yr_string(&L->y, v, &r->category);
    else if (!strcmp(key, "severity")) {
        if (fz_yr_enum(&L->y, v, sev, &e) == 0) r->severity = (fz_severity)e;
    } else if (!strcmp(key, "points")) fz_yr_number(&L->y, v, 0, 1000, &r->points);
    else if (!strcmp(key, "basis")) fz_yr_string(&L->y, v, &r->basis);
    else if (!strcmp(key, "message")) fz_yr_string(&L->y, v, &r->message);
    else if (!strcmp(key, "suggestion")) fz_yr_string(&L->y, v, &r->suggestion);
    else if (!strcmp(key, "link")) fz_yr_string(&L->y, v, &r->link);
    else if (!strcmp(key, "applies_if")) {
        fz_patterns_free(&r->applies_if);
        fz_rl_patterns(L, v, "适用条件", &r->applies_if);
    } else if (!strcmp(key, "applies_to")) r->applies_to = fz_rl_type_bits(L, v);
    else if (!strcmp(key, "not_for")) r->not_for = fz_rl_type_bits(L, v);
    else if (!strcmp(key, "unknown_type")) {
        if (fz_yr_enum(&L->y, v, unknown, &e) == 0) r->unknown_type_na = e == 1;
    } else if (!strcmp(key, "check")) {
        fz_check_free(&r->check);
        fz_rl_check(L, v, &r->check, r->id);
    }
}

static void load_rule(loader *L, yaml_node_t *n) {
    static const char *const keys[] = {"id", "title", "category", "severity", "points",
                                       "basis", "message", "suggestion", "link",
                                       "applies_if", "applies_to", "not_for", "unknown_type",
                                       "check", NULL};
    static const char *const required_keys[] = {"id", "title", "category", "severity",
                                                "points", "basis", "message",
                                                "suggestion", "check"};
    fz_pack *P = L->pack;
    if (fz_grow(&P->rules, &L->rule_cap, P->nrules + 1, sizeof *P->rules) < 0) {
        L->y.oom = 1;
        return;
    }
    fz_rule *r = &P->rules[P->nrules];
    memset(r, 0, sizeof *r);
    r->pos = fz_rl_pos(L, n);
    r->layer = r->verdict_layer = L->layer;
    fz_yr_pair *ps;
    size_t k = fz_yr_pairs(&L->y, n, keys, "规则", &ps);
    if (n->type != YAML_MAPPING_NODE) return;
    /* name the rule in pattern errors, wherever its id stands */
    fz_buf owner = {0};
    for (size_t i = 0; i < k; i++)
        if (!strcmp(ps[i].key, "id") && fz_yr_scalar(ps[i].value) &&
            fz_buf_printf(&owner, "规则“%s”中", fz_yr_scalar(ps[i].value)) < 0)
            L->y.oom = 1;
    L->owner = owner.ptr;
    int have[sizeof required_keys / sizeof required_keys[0]] = {0};
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < sizeof required_keys / sizeof required_keys[0]; j++)
            if (!strcmp(ps[i].key, required_keys[j])) have[j] = 1;
    for (size_t i = 0; i < k; i++) {
        if (strcmp(ps[i].key, "id")) continue;
        if (fz_yr_string(&L->y, ps[i].value, &r->id) == 0 && !fz_rl_valid_name(r->id))
            fz_yr_error(&L->y, ps[i].value, "规则 id“%s”不合规：只能用小写字母、数字和连字符", r->id);
        if (r->id) fz_rl_id_free(L, ps[i].value, r->id);
    }
    /* counted only now: the id check looks at the rules before it */
    P->nrules++;
    for (size_t i = 0; i < k; i++)
        if (strcmp(ps[i].key, "id")) fz_rl_rule_field(L, r, ps[i].key, ps[i].value);
    free(ps);
    L->owner = NULL;
    fz_buf_free(&owner);
    for (size_t j = 0; j < sizeof required_keys / sizeof required_keys[0]; j++)
        if (!have[j]) fz_yr_error(&L->y, n, "规则%s%s%s缺少必填的键“%s”", r->id ? "“" : "",
                             r->id ? r->id : "", r->id ? "”" : "", required_keys[j]);
}

/* ---- files ----------------------------------------------------------- */

static void first_pass(loader *L, yaml_node_t *root, size_t *scope_cap) {
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = fz_yr_node(&L->y, p->key), *vn = fz_yr_node(&L->y, p->value);
        const char *k = fz_yr_scalar(kn);
        if (!k) continue;
        if (!strcmp(k, "pack")) { if (fz_rl_once(L, kn, &L->seen_pack, k)) fz_rl_pack_info(L, vn); }
        else if (!strcmp(k, "scoring")) { if (fz_rl_once(L, kn, &L->seen_scoring, k)) fz_rl_scoring(L, vn); }
        else if (!strcmp(k, "grades")) { if (fz_rl_once(L, kn, &L->seen_grades, k)) fz_rl_grades(L, vn); }
        else if (!strcmp(k, "units")) { if (fz_rl_once(L, kn, &L->seen_units, k)) fz_rl_units(L, vn); }
        else if (!strcmp(k, "roles")) { if (fz_rl_once(L, kn, &L->seen_roles, k)) fz_rl_roles(L, vn, scope_cap); }
        else if (!strcmp(k, "unit_types")) {
            if (fz_rl_once(L, kn, &L->seen_unit_types, k)) fz_rl_unit_types(L, vn);
        } else if (!strcmp(k, "similar")) {
            if (fz_rl_once(L, kn, &L->seen_similar, k)) fz_rl_similar(L, vn);
        }
    }
}

static void scopes_pass(loader *L, yaml_node_t *root, size_t *scope_cap) {
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = fz_yr_node(&L->y, p->key);
        const char *k = fz_yr_scalar(kn);
        if (k && !strcmp(k, "scopes") && fz_rl_once(L, kn, &L->seen_scopes, k))
            fz_rl_scopes(L, fz_yr_node(&L->y, p->value), scope_cap);
    }
}

/* The rules of a file: sweep 0 what it does to the rules of the packs it
 * extends (disable, override), sweep 1 its own rules. All files of a pack
 * take sweep 0 before any takes sweep 1, so that a pack may disable an
 * inherited rule and define its own under the same id. */
static void rules_pass(loader *L, yaml_node_t *root, int sweep) {
    static const char *const top[] = {"pack", "scoring", "grades", "units", "roles",
                                      "scopes", "unit_types", "rules", "tests", "disable",
                                      "override", "similar", NULL};
    fz_yr_pair *ps;
    size_t k = fz_yr_pairs(&L->y, root, top, "规则文件顶层", &ps);
    for (size_t i = 0; i < k; i++) {
        yaml_node_t *v = ps[i].value;
        if (sweep == 0 && !strcmp(ps[i].key, "disable")) fz_rl_disable(L, v);
        else if (sweep == 0 && !strcmp(ps[i].key, "override")) fz_rl_override(L, v);
        if (sweep != 1 || strcmp(ps[i].key, "rules")) continue;
        if (!fz_yr_expect(&L->y, v, YAML_SEQUENCE_NODE, "规则列表")) continue;
        for (size_t j = 0; j < fz_yr_len(v); j++)
            load_rule(L, fz_yr_node(&L->y, v->data.sequence.items.start[j]));
    }
    free(ps);
}

static void load_test(loader *L, yaml_node_t *n, size_t *cap) {
    static const char *const keys[] = {"name", "text", "expect", NULL};
    static const char *const status[] = {"pass", "partial", "fail", "na", NULL};
    fz_pack *P = L->pack;
    if (fz_grow(&P->tests, cap, P->ntests + 1, sizeof *P->tests) < 0) {
        L->y.oom = 1;
        return;
    }
    fz_rule_test *t = &P->tests[P->ntests];
    memset(t, 0, sizeof *t);
    t->pos = fz_rl_pos(L, n);
    t->layer = L->layer;
    fz_yr_pair *ps;
    size_t k = fz_yr_pairs(&L->y, n, keys, "规则测试", &ps);
    if (n->type != YAML_MAPPING_NODE) return;
    P->ntests++;
    size_t entries = 0;
    for (size_t i = 0; i < k; i++) {
        yaml_node_t *v = ps[i].value;
        if (!strcmp(ps[i].key, "name")) fz_yr_string(&L->y, v, &t->name);
        else if (!strcmp(ps[i].key, "text")) fz_yr_string(&L->y, v, &t->text);
        else if (fz_yr_expect(&L->y, v, YAML_MAPPING_NODE, "映射")) {
            size_t cnt = fz_yr_len(v);
            t->rules = calloc(cnt ? cnt : 1, sizeof *t->rules);
            t->want = calloc(cnt ? cnt : 1, sizeof *t->want);
            if (!t->rules || !t->want) {
                L->y.oom = 1;
                break;
            }
            for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
                yaml_node_t *kn = fz_yr_node(&L->y, p->key), *vn = fz_yr_node(&L->y, p->value);
                entries++;
                const char *id = fz_yr_scalar(kn);
                size_t r = 0;
                while (id && r < P->nrules && (!P->rules[r].id || strcmp(P->rules[r].id, id))) r++;
                int disabled = 0;
                for (size_t d = 0; id && r == P->nrules && d < P->ndisabled; d++)
                    disabled |= !strcmp(P->disabled[d].id, id);
                int e;
                if (fz_yr_enum(&L->y, vn, status, &e) < 0) continue;
                /* a test speaks for the rule as its own pack decided it: not
                 * for a rule a later pack switched off or decides anew */
                if (disabled || (r < P->nrules && P->rules[r].verdict_layer > t->layer)) {
                    t->skipped++;
                } else if (!id || r == P->nrules) {
                    fz_yr_error(&L->y, kn, "规则测试中引用了不存在的规则“%s”", id ? id : "");
                } else {
                    t->rules[t->n] = r;
                    t->want[t->n++] = (fz_status)e;
                }
            }
        }
    }
    free(ps);
    if (!t->name || !t->text || !entries) fz_yr_error(&L->y, n, "规则测试需要 name、text 和 expect");
}

static void tests_pass(loader *L, yaml_node_t *root, size_t *cap) {
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        const char *k = fz_yr_scalar(fz_yr_node(&L->y, p->key));
        yaml_node_t *v = fz_yr_node(&L->y, p->value);
        if (!k || strcmp(k, "tests") || !fz_yr_expect(&L->y, v, YAML_SEQUENCE_NODE, "列表")) continue;
        for (size_t j = 0; j < fz_yr_len(v); j++)
            load_test(L, fz_yr_node(&L->y, v->data.sequence.items.start[j]), cap);
    }
}

static int set_defaults(fz_pack *P) {
    if (!P->fail_grade && !(P->fail_grade = fz_strdup("不合格"))) return -1;
    if (!P->name && !(P->name = fz_strdup(""))) return -1;
    if (!P->version && !(P->version = fz_strdup(""))) return -1;
    if (!P->units) {
        size_t n = 0;
        while (default_units[n]) n++;
        P->units = calloc(n, sizeof *P->units);
        if (!P->units) return -1;
        for (size_t i = 0; i < n; i++)
            if (!(P->units[P->nunits++] = fz_strdup(default_units[i]))) return -1;
    }
    return 0;
}

/* rules.schema.yaml, built into the program (see the Makefile). */
extern const unsigned char fz_schema_yaml[];
extern const size_t fz_schema_yaml_len;

typedef struct {
    fz_jv tree;
    fz_schema *schema;
} schema_state;

static int schema_open(schema_state *st) {
    memset(st, 0, sizeof *st);
    yaml_parser_t p;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&p)) return -1;
    yaml_parser_set_input_string(&p, fz_schema_yaml, fz_schema_yaml_len);
    int ok = yaml_parser_load(&p, &doc);
    yaml_parser_delete(&p);
    if (!ok) return -1;
    int rc = fz_jv_from_yaml(&doc, NULL, &st->tree);
    yaml_document_delete(&doc);
    if (rc < 0) return -1;
    st->schema = fz_schema_new(&st->tree);
    return st->schema ? 0 : -1;
}

static void schema_close(schema_state *st) {
    fz_schema_free(st->schema);
    fz_jv_free(&st->tree);
}

/* Validates one file against the schema; returns its violations. */
static long schema_check(loader *L, schema_state *st, yaml_document_t *doc) {
    fz_jv inst;
    if (!yaml_document_get_root_node(doc)) return 0;
    if (fz_jv_from_yaml(doc, NULL, &inst) < 0) {
        L->y.oom = 1;
        return -1;
    }
    long n = fz_schema_validate(st->schema, &inst, L->y.file, &L->y.errors);
    fz_jv_free(&inst);
    if (n < 0) L->y.oom = 1;
    else L->y.nerrors += (size_t)n;
    return n;
}

/* Takes the chain's files into the pack, in order (base first), with the
 * index of the pack each belongs to and each as the chain read it (*reads,
 * which the caller frees with fz_chain_file_free); the packs become
 * pack->layers. */
static int take_chain(fz_pack *P, fz_chain *ch, unsigned **file_layer, fz_chain_file **reads) {
    size_t n = 0;
    for (size_t i = 0; i < ch->n; i++) n += ch->v[i].nfiles;
    P->files = calloc(n ? n : 1, sizeof *P->files);
    *file_layer = calloc(n ? n : 1, sizeof **file_layer);
    *reads = calloc(n ? n : 1, sizeof **reads);
    P->layers = calloc(ch->n ? ch->n : 1, sizeof *P->layers);
    if (!P->files || !*file_layer || !*reads || !P->layers) return -1;
    for (size_t i = 0; i < ch->n; i++) {
        if (!(P->layers[i].path = fz_strdup(ch->v[i].path))) return -1;
        P->nlayers++;
        for (size_t j = 0; j < ch->v[i].nfiles; j++) {
            (*file_layer)[P->nfiles] = (unsigned)i;
            /* the chain reads every file of a chain it resolves */
            (*reads)[P->nfiles] = ch->v[i].read[j];
            memset(&ch->v[i].read[j], 0, sizeof ch->v[i].read[j]);
            P->files[P->nfiles++] = ch->v[i].files[j];
            ch->v[i].files[j] = NULL;
        }
    }
    return 0;
}

/* Takes file i as the chain read it into *doc, with what reading it said
 * (in the order fz_yr_load would have said it here). Returns 1 when it
 * loaded. */
static int take_read(loader *L, fz_chain_file *r, yaml_document_t *doc) {
    if (r->errors.len && fz_buf_append(&L->y.errors, r->errors.ptr, r->errors.len) < 0) L->y.oom = 1;
    L->y.nerrors += r->nerrors;
    int ok = r->ok;
    if (ok) *doc = r->doc;
    r->ok = 0;
    fz_chain_file_free(r);
    return ok;
}

/* A pack of the chain begins: its parts may redefine those below it, but
 * each only once within it. */
static void begin_layer(loader *L, unsigned layer) {
    L->layer = layer;
    L->seen_pack = L->seen_scoring = L->seen_grades = L->seen_units = NULL;
    L->seen_roles = L->seen_scopes = L->seen_unit_types = L->seen_similar = NULL;
}

static int add_builtin_scopes(fz_pack *P, size_t *cap) {
    if (fz_rl_add_scope(P, cap, "document", "全文", FZ_SCOPE_DOCUMENT, 0) < 0) return -1;
    P->scopes[P->nscopes - 1].builtin = 1;
    if (fz_rl_add_scope(P, cap, "header", "标题和版头", FZ_SCOPE_HEADER, 0) < 0) return -1;
    P->scopes[P->nscopes - 1].builtin = 1;
    return 0;
}

int fz_pack_load(const char *path, fz_pack *pack, char **errors) {
    memset(pack, 0, sizeof *pack);
    pack->partial = 0.5;
    pack->similar = (fz_similar_opts){0.2, 3, 50, 3, 0.3};
    loader L = {.pack = pack};
    size_t scope_cap = 0;
    yaml_document_t *docs = NULL;
    unsigned *file_layer = NULL;
    fz_chain_file *reads = NULL;
    fz_chain chain = {0};
    pack->path = fz_strdup(path);
    if (!pack->path) L.y.oom = 1;
    else if (fz_chain_resolve(path, &chain, &L.y.errors, &L.y.nerrors, &L.y.oom) == 0) {
        if (take_chain(pack, &chain, &file_layer, &reads) < 0) L.y.oom = 1;
        else if (!(docs = calloc(pack->nfiles, sizeof *docs))) L.y.oom = 1;
    }
    fz_chain_free(&chain);
    if (!L.y.oom && docs && add_builtin_scopes(pack, &scope_cap) < 0) L.y.oom = 1;
    int *loaded = docs ? calloc(pack->nfiles, sizeof *loaded) : NULL;
    int *valid = docs ? calloc(pack->nfiles, sizeof *valid) : NULL;
    char ***ptrs = docs ? calloc(pack->nfiles, sizeof *ptrs) : NULL;
    size_t *nptrs = docs ? calloc(pack->nfiles, sizeof *nptrs) : NULL;
    schema_state schema = {0};
    if (docs && (!loaded || !valid || !ptrs || !nptrs || schema_open(&schema) < 0)) L.y.oom = 1;
    size_t test_cap = 0;
    for (int pass = 0; pass < 4 && loaded && !L.y.oom; pass++) {
        /* the tests see the rules as the chain left them */
        if (pass == 3 && fz_rl_drop_disabled(&L) < 0) L.y.oom = 1;
        for (size_t first = 0, end; first < pack->nfiles && !L.y.oom; first = end) {
            for (end = first; end < pack->nfiles && file_layer[end] == file_layer[first];) end++;
            begin_layer(&L, file_layer[first]);
            for (int sweep = 0; sweep < (pass == 2 ? 2 : 1); sweep++)
                for (size_t i = first; i < end && !L.y.oom; i++) {
                    L.y.file = pack->files[i];
                    if (pass == 0) {
                        loaded[i] = take_read(&L, &reads[i], &docs[i]);
                        /* a file the schema refuses is not built: its
                         * problems are already reported, exactly */
                        valid[i] = loaded[i] && !L.y.oom && schema_check(&L, &schema, &docs[i]) == 0;
                    }
                    if (!valid[i]) continue;
                    L.y.doc = &docs[i];
                    L.y.pointers = &ptrs[i];
                    L.y.npointers = &nptrs[i];
                    yaml_node_t *root = yaml_document_get_root_node(&docs[i]);
                    if (!root) {
                        if (pass == 0) fz_yr_error(&L.y, NULL, "规则文件为空");
                        continue;
                    }
                    if (root->type != YAML_MAPPING_NODE) {
                        if (pass == 0)
                            fz_yr_error(&L.y, root, "规则文件的顶层应为映射（pack、grades、roles、rules 等）");
                        continue;
                    }
                    if (pass == 0) first_pass(&L, root, &scope_cap);
                    else if (pass == 1) scopes_pass(&L, root, &scope_cap);
                    else if (pass == 2) rules_pass(&L, root, sweep);
                    else tests_pass(&L, root, &test_cap);
                }
        }
        /* pack-wide defaults (units) must be in place before rules
         * compile their count patterns */
        if (pass == 0 && !L.y.oom && set_defaults(pack) < 0) L.y.oom = 1;
        /* a file that could not be read leaves its roles, rules and tests
         * out: everything that refers to them would be reported too,
         * burying the one real problem. Stop at the files' own errors. */
        if (pass == 0 && L.y.nerrors) break;
    }
    if (!L.y.oom && set_defaults(pack) < 0) L.y.oom = 1;
    if (!L.y.oom && !L.y.nerrors && !pack->nrules)
        fz_buf_printf(&L.y.errors, "%s:1:1: 规则包中没有规则\n", path), L.y.nerrors++;
    if (!L.y.oom && !L.y.nerrors && !pack->ngrades)
        fz_buf_printf(&L.y.errors, "%s:1:1: 规则包没有定义 grades（等级分数段）\n", path), L.y.nerrors++;
    for (size_t i = 0; docs && i < pack->nfiles; i++) {
        if (loaded && loaded[i]) yaml_document_delete(&docs[i]);
        if (ptrs) fz_yr_pointers_free(ptrs[i], nptrs[i]);
    }
    L.y.pointers = NULL;
    schema_close(&schema);
    free(loaded);
    free(valid);
    free(ptrs);
    free(nptrs);
    free(docs);
    for (size_t i = 0; reads && i < pack->nfiles; i++) fz_chain_file_free(&reads[i]);
    free(reads);
    free(file_layer);
    if (L.y.oom || L.y.nerrors) {
        if (L.y.oom) {
            fz_buf_free(&L.y.errors);
            fz_buf_printf(&L.y.errors, "%s:1:1: %s\n", path, FZ_ENOMEM);
        }
        *errors = fz_buf_steal(&L.y.errors);
        fz_buf_free(&L.y.warnings);
        fz_pack_free(pack);
        return -1;
    }
    fz_buf_free(&L.y.errors);
    pack->warnings = L.y.warnings.ptr ? fz_buf_steal(&L.y.warnings) : NULL;
    pack->nwarnings = L.y.nwarnings;
    return 0;
}
