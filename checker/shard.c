/*
 * shard.c - see shard.h.
 */
#include "shard.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "ident.h"
#include "output.h"
#include "previous.h"
#include "util.h"
#include "wire.h"

/* "文件:行: 说明" */
static int shard_fail(const fz_shard *s, char **err, const char *what) {
    return fz_fail(err, "%s:%lu: %s", s->path, s->line, what);
}

/* The next line, without its newline. Returns 1, 0 at the end of the
 * file, -1 on a read error or when memory runs out. */
static int read_line(fz_shard *s) {
    errno = 0;
    ssize_t n = getline(&s->buf, &s->cap, s->f);
    if (n < 0) return errno || ferror(s->f) ? -1 : 0;
    s->line++;
    if (n > 0 && s->buf[n - 1] == '\n') s->buf[--n] = '\0';
    else return 2; /* the last line has no newline: cut off while written */
    return 1;
}

/* ---- the header --------------------------------------------------------- */

/* What this pack's own shard header says, parsed. */
static json_t *own_header(const fz_pack *pack) {
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return NULL;
    fz_jsonl_begin(m, pack, NULL, 0);
    int bad = fclose(m) != 0;
    json_t *j = bad ? NULL : json_loadb(text, len, 0, NULL);
    free(text);
    return j;
}

/* The same pack: its name, version, what it disabled, and every rule as
 * the shard lists it (id, title, category, severity, points, basis). */
static int same_pack(json_t *have, json_t *want) {
    json_t *hp = json_object_get(have, "pack"), *wp = json_object_get(want, "pack");
    static const char *const keys[] = {"name", "version", "count", "disabled", NULL};
    for (size_t i = 0; keys[i]; i++)
        if (!json_equal(json_object_get(hp, keys[i]), json_object_get(wp, keys[i]))) return 0;
    return json_equal(json_object_get(have, "rules"), json_object_get(want, "rules"));
}

static int check_roster(fz_shard *s, json_t *head, const fz_roster *roster, char **err) {
    json_t *shard = json_object_get(head, "shard");
    json_t *used = json_object_get(shard, "roster");
    if (!json_is_object(shard)) return shard_fail(s, err, "不是 fzcheck check --jsonl 写出的分片（缺少 shard 项）");
    if (json_is_object(used) && !roster) {
        fz_buf m = {0};
        int rc = fz_buf_printf(&m, "分片检查时使用了单位名单“%s”，合并时请用 --units 给出同一名单",
                               json_string_value(json_object_get(used, "path"))) < 0
                     ? fz_fail(err, FZ_ENOMEM)
                     : shard_fail(s, err, m.ptr);
        fz_buf_free(&m);
        return rc;
    }
    if (!json_is_object(used) && roster)
        return shard_fail(s, err, "分片检查时没有使用单位名单，合并时不能再给 --units");
    if (roster && json_integer_value(json_object_get(used, "units")) != (json_int_t)roster->n)
        return shard_fail(s, err, "分片检查时使用的单位名单与 --units 给出的名单单位数不同");
    return 0;
}

static int check_header(fz_shard *s, const fz_pack *pack, const fz_roster *roster, char **err) {
    int got = read_line(s);
    if (got < 0) return fz_fail(err, "无法读取分片“%s”：%s", s->path, strerror(errno ? errno : EIO));
    if (got == 0) {
        s->line = 1;
        return shard_fail(s, err, "文件为空，不是 fzcheck 的分片");
    }
    if (got == 2) return shard_fail(s, err, "分片不完整：第一行被截断（检查可能在写入时中断，请重新检查这一部分）");
    json_t *head = json_loads(s->buf, 0, NULL);
    const char *tool = json_string_value(json_object_get(head, "tool"));
    json_t *format = json_object_get(head, "format");
    int rc = 0;
    if (!head || !tool || strcmp(tool, "fzcheck") || !json_object_get(head, "shard")) {
        rc = shard_fail(s, err, "不是 fzcheck check --jsonl 写出的分片");
    } else if (!json_is_integer(format) || json_integer_value(format) != FZ_JSON_FORMAT) {
        fz_buf m = {0};
        rc = fz_buf_printf(&m, "分片的格式版本为 %lld，本程序读取的是 %d：请用同一版本的 fzcheck 重新检查",
                           (long long)json_integer_value(format), FZ_JSON_FORMAT) < 0
                 ? fz_fail(err, FZ_ENOMEM)
                 : shard_fail(s, err, m.ptr);
        fz_buf_free(&m);
    } else {
        json_t *own = own_header(pack);
        if (!own) rc = fz_fail(err, FZ_ENOMEM);
        else if (!same_pack(head, own)) {
            fz_buf m = {0};
            json_t *p = json_object_get(head, "pack");
            rc = fz_buf_printf(&m, "分片是用规则包“%s %s”检查的，与合并所用的规则包“%s %s”不同（名称、版本或规则的标题、分值、依据有变）",
                               json_string_value(json_object_get(p, "name")) ? json_string_value(json_object_get(p, "name")) : "?",
                               json_string_value(json_object_get(p, "version")) ? json_string_value(json_object_get(p, "version")) : "",
                               pack->name, pack->version ? pack->version : "") < 0
                     ? fz_fail(err, FZ_ENOMEM)
                     : shard_fail(s, err, m.ptr);
            fz_buf_free(&m);
        } else {
            rc = check_roster(s, head, roster, err);
            s->previous = json_is_true(json_object_get(json_object_get(head, "shard"), "previous"));
        }
        json_decref(own);
    }
    json_decref(head);
    return rc;
}

int fz_shard_open(fz_shard *s, const char *path, const fz_pack *pack, const fz_roster *roster,
                  char **err) {
    memset(s, 0, sizeof *s);
    s->path = path;
    if (!(s->f = fopen(path, "r")))
        return fz_fail(err, "无法打开分片“%s”：%s", path, strerror(errno));
    if (check_header(s, pack, roster, err) < 0) {
        fz_shard_close(s);
        return -1;
    }
    return 0;
}

void fz_shard_prev_free(fz_prev_entry *v, size_t n) {
    for (size_t i = 0; v && i < n; i++) {
        free((char *)v[i].file);
        free((char *)v[i].unit);
        free((char *)v[i].error);
    }
    free(v);
}

void fz_shard_close(fz_shard *s) {
    if (s->f) fclose(s->f);
    free(s->buf);
    fz_shard_prev_free(s->prev, s->nprev);
    s->f = NULL;
    s->buf = NULL;
    s->prev = NULL;
    s->nprev = 0;
}

/* ---- a report ------------------------------------------------------------ */

/* A decoder's state: the first problem found, and whether memory ran out. */
typedef struct {
    const char *bad;
    int oom;
} decoder;

/* Notes the first member found bad. */
static void flag(decoder *d, const char *key) {
    if (!d->bad) d->bad = key;
}

/* A string member, copied (NULL for null or absent). */
static char *get_str(decoder *d, json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_string(v)) {
        flag(d, key);
        return NULL;
    }
    char *s = fz_strdup(json_string_value(v));
    if (!s) d->oom = 1;
    return s;
}

static long long get_int(decoder *d, json_t *obj, const char *key, long long max) {
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) return 0;
    long long n = json_is_integer(v) ? (long long)json_integer_value(v) : -1;
    if (n < 0 || n > max) {
        flag(d, key);
        return 0;
    }
    return n;
}

static double get_num(decoder *d, json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_number(v)) {
        flag(d, key);
        return 0;
    }
    return json_number_value(v);
}

/* The enum value whose JSON spelling is s (name(i) for i < n), or dflt. */
static int spelled(const char *s, int n, const char *(*name)(int), int dflt) {
    for (int i = 0; s && i < n; i++)
        if (name(i) && !strcmp(name(i), s)) return i;
    return dflt;
}

static const char *source_name(int i) { return fz_source_name((fz_source)i); }
static const char *type_source_name(int i) { return fz_type_source_name((fz_type_source)i); }
static const char *status_name(int i) { return fz_status_name((fz_status)i); }

/* The evidence of a result; its section is an index into the report's
 * sections (decoded before the results), whose label is rebuilt. */
static void get_evidence(decoder *d, const fz_doc *doc, json_t *arr, fz_result *res) {
    size_t n = json_array_size(arr);
    if (!json_is_array(arr)) flag(d, "evidence");
    if (!n || d->bad) return;
    if (!(res->evidence = calloc(n, sizeof *res->evidence))) {
        d->oom = 1;
        return;
    }
    for (size_t i = 0; i < n && !d->bad && !d->oom; i++) {
        json_t *e = json_array_get(arr, i);
        fz_evidence *ev = &res->evidence[i];
        res->nevidence = i + 1;
        ev->line = (uint32_t)get_int(d, e, "line", UINT32_MAX);
        ev->page = (uint32_t)get_int(d, e, "page", UINT32_MAX);
        ev->sec = FZ_NONE;
        json_t *sec = json_object_get(e, "section");
        if (sec && !json_is_null(sec)) {
            long long k = json_is_integer(sec) ? (long long)json_integer_value(sec) : -1;
            if (k < 0 || (size_t)k >= doc->nsections) {
                flag(d, "section");
                break;
            }
            ev->sec = (size_t)k;
            if (!(ev->section = fz_section_label(&doc->sections[k]))) d->oom = 1;
        }
        ev->text = get_str(d, e, "text");
    }
}

static void get_result(decoder *d, const fz_doc *doc, json_t *obj, const fz_rule *rule,
                       fz_result *res) {
    res->rule = rule;
    const char *id = json_string_value(json_object_get(obj, "id"));
    if (!id || strcmp(id, rule->id)) {
        flag(d, "results（规则与规则包的顺序不符）");
        return;
    }
    const char *st = json_string_value(json_object_get(obj, "status"));
    int status = spelled(st, FZ_NA + 1, status_name, -1);
    if (status < 0) {
        flag(d, "status");
        return;
    }
    res->status = (fz_status)status;
    res->score = get_num(d, obj, "score");
    res->ratio = rule->points > 0 ? res->score / rule->points : 0;
    res->message = get_str(d, obj, "message");
    res->suggestion = get_str(d, obj, "suggestion");
    /* none given for a gap: the rule's own, listed in "rules" (output_json.c) */
    if (!res->suggestion && (res->status == FZ_FAIL || res->status == FZ_PARTIAL) && rule->suggestion &&
        !(res->suggestion = fz_strdup(rule->suggestion)))
        d->oom = 1;
    res->detail = get_str(d, obj, "detail");
    /* a null detail says the same as the message (output_json.c) */
    if (!res->detail && res->message && !(res->detail = fz_strdup(res->message))) d->oom = 1;
    get_evidence(d, doc, json_object_get(obj, "evidence"), res);
}

static void get_sections(decoder *d, const fz_pack *pack, json_t *arr, fz_report *rep) {
    fz_doc *doc = &rep->doc;
    size_t n = json_array_size(arr);
    if (!json_is_array(arr)) flag(d, "sections");
    if (!n || d->bad) return;
    doc->sections = calloc(n, sizeof *doc->sections);
    rep->section_roles = calloc(n, sizeof *rep->section_roles);
    rep->section_content_roles = calloc(n, sizeof *rep->section_content_roles);
    if (!doc->sections || !rep->section_roles || !rep->section_content_roles) {
        d->oom = 1;
        return;
    }
    for (size_t i = 0; i < n && !d->bad && !d->oom; i++) {
        json_t *o = json_array_get(arr, i);
        fz_section *sec = &doc->sections[i];
        doc->nsections = i + 1;
        sec->parent = FZ_NONE;
        sec->level = (int)get_int(d, o, "level", 16);
        sec->marker = get_str(d, o, "marker");
        sec->number = get_str(d, o, "number");
        sec->title = get_str(d, o, "title");
        sec->line = (uint32_t)get_int(d, o, "line", UINT32_MAX);
        /* every heading has a marker and a title ("" when none) */
        if (!d->oom && (!sec->marker || !sec->title)) flag(d, !sec->marker ? "marker" : "title");
        const char *role = json_string_value(json_object_get(o, "role"));
        size_t b = role ? fz_pack_role(pack, role) : FZ_NO_ROLE;
        if (role && (b == FZ_NO_ROLE || b >= 32)) flag(d, "role");
        if (!role || d->bad) continue;
        rep->section_roles[i] = (uint32_t)1 << b;
        /* "content", or a role from the heading: "heading" (0.3.0) or none */
        const char *src = json_string_value(json_object_get(o, "role_source"));
        if (src && !strcmp(src, "content")) rep->section_content_roles[i] = rep->section_roles[i];
    }
}

/* A member left out reads as null (output_json.c leaves out the null
 * ones; 0.3.0 spelled them out): no error, no unit, year 0, score 0. */
static void get_header_fields(decoder *d, const fz_pack *pack, json_t *o, fz_report *rep) {
    fz_doc *doc = &rep->doc;
    rep->file = get_str(d, o, "file");
    if (!rep->file && !d->bad) flag(d, "file");
    rep->error = get_str(d, o, "error");
    doc->format = fz_wire_intern(json_string_value(json_object_get(o, "format")));
    doc->encoding = fz_wire_intern(json_string_value(json_object_get(o, "encoding")));
    const char *loc = json_string_value(json_object_get(o, "location"));
    doc->loc = loc && !strcmp(loc, "page") ? FZ_LOC_PAGE
               : loc && !strcmp(loc, "paragraph") ? FZ_LOC_PARAGRAPH
                                                  : FZ_LOC_LINE;
    doc->title = get_str(d, o, "title");
    doc->unit = get_str(d, o, "unit");
    doc->unit_source = (fz_source)spelled(json_string_value(json_object_get(o, "unit_source")),
                                          FZ_SRC_TEXT + 1, source_name, FZ_SRC_NONE);
    doc->roster_unit = get_str(d, o, "roster_unit");
    const char *type = json_string_value(json_object_get(o, "unit_type"));
    rep->unit_type = type ? fz_pack_unit_type(pack, type) : FZ_NO_ROLE;
    if (type && rep->unit_type == FZ_NO_ROLE) flag(d, "unit_type");
    rep->unit_type_source = (fz_type_source)spelled(
        json_string_value(json_object_get(o, "unit_type_source")), FZ_TYPE_TEXT + 1,
        type_source_name, FZ_TYPE_NONE);
    doc->year = (int)get_int(d, o, "year", 9999);
    doc->doc_number = get_str(d, o, "doc_number");
    doc->date = get_str(d, o, "date");
    rep->score = get_num(d, o, "score");
    const char *grade = json_string_value(json_object_get(o, "grade"));
    rep->grade = fz_wire_grade(pack, grade);
    if (grade && !rep->grade) flag(d, "grade");
    rep->required_gaps = (size_t)get_int(d, o, "required_gaps", 1 << 20);
}

/* A share of `previous`: absent is unknown (-1). */
static double get_share(decoder *d, json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) return -1;
    double x = get_num(d, obj, key);
    if (x < 0 || x > 1) flag(d, key);
    return x;
}

/* A status member spelled as the JSON spells it. */
static fz_status get_status(decoder *d, json_t *obj, const char *key) {
    int st = spelled(json_string_value(json_object_get(obj, key)), FZ_NA + 1, status_name, -1);
    if (st < 0) flag(d, key);
    return st < 0 ? FZ_NA : (fz_status)st;
}

/* `previous.promises`: absent when not looked at. */
static void get_promises(decoder *d, json_t *arr, fz_prev_summary *s) {
    if (!arr || json_is_null(arr)) return;
    if (!json_is_array(arr)) {
        flag(d, "previous.promises");
        return;
    }
    s->has_promises = 1;
    size_t n = json_array_size(arr);
    if (n && !(s->promises = calloc(n, sizeof *s->promises))) d->oom = 1;
    for (size_t i = 0; i < n && !d->bad && !d->oom; i++) {
        json_t *o = json_array_get(arr, i);
        fz_prev_promise *pm = &s->promises[s->npromises++];
        pm->text = get_str(d, o, "text");
        json_t *fl = json_object_get(o, "followed");
        if (!json_is_boolean(fl)) flag(d, "previous.promises.followed");
        pm->followed = json_is_true(fl);
        pm->line = (uint32_t)get_int(d, o, "line", UINT32_MAX);
        pm->page = (uint32_t)get_int(d, o, "page", UINT32_MAX);
        pm->evidence = get_str(d, o, "evidence");
        pm->para = FZ_NONE;
    }
}

/* `previous.gaps`: last year's required gaps and this year's verdicts. */
static void get_prev_gaps(decoder *d, json_t *arr, fz_prev_summary *s) {
    if (!arr || json_is_null(arr)) return;
    size_t n = json_array_size(arr);
    if (!json_is_array(arr)) flag(d, "previous.gaps");
    if (n && !(s->gaps = calloc(n, sizeof *s->gaps))) d->oom = 1;
    for (size_t i = 0; i < n && !d->bad && !d->oom; i++) {
        json_t *o = json_array_get(arr, i);
        fz_prev_gap *g = &s->gaps[s->ngaps++];
        g->rule = get_str(d, o, "rule");
        if (!g->rule && !d->bad) flag(d, "previous.gaps.rule");
        g->was = get_status(d, o, "was");
        g->now = get_status(d, o, "now");
    }
}

/* `previous`: the report's unit's report of the year before (--previous). */
static void get_previous(decoder *d, json_t *o, fz_report *rep) {
    json_t *p = json_object_get(o, "previous");
    if (!p || json_is_null(p)) return;
    if (!json_is_object(p)) {
        flag(d, "previous");
        return;
    }
    fz_prev_summary *s = calloc(1, sizeof *s);
    if (!s) {
        d->oom = 1;
        return;
    }
    rep->previous = s;
    s->file = get_str(d, p, "file");
    if (!s->file && !d->bad) flag(d, "previous.file");
    s->score = get_num(d, p, "score");
    s->grade = get_str(d, p, "grade");
    s->reused = get_share(d, p, "reused");
    s->problems_reused = get_share(d, p, "problems_reused");
    s->plan_reused = get_share(d, p, "plan_reused");
    get_promises(d, json_object_get(p, "promises"), s);
    get_prev_gaps(d, json_object_get(p, "gaps"), s);
}

static void get_report(decoder *d, const fz_pack *pack, json_t *o, fz_report *rep) {
    get_header_fields(d, pack, o, rep);
    get_previous(d, o, rep);
    get_sections(d, pack, json_object_get(o, "sections"), rep);
    json_t *results = json_object_get(o, "results");
    size_t n = json_array_size(results);
    if (!json_is_array(results) || (n && n != pack->nrules) || (!n && !rep->error)) {
        flag(d, "results（规则数与规则包不符）");
        return;
    }
    if (!n || d->bad) return;
    if (!(rep->results = calloc(n, sizeof *rep->results))) {
        d->oom = 1;
        return;
    }
    for (size_t i = 0; i < n && !d->bad && !d->oom; i++) {
        rep->nresults = i + 1;
        get_result(d, &rep->doc, json_array_get(results, i), &pack->rules[i], &rep->results[i]);
        if (rep->results[i].status != FZ_NA) rep->points += pack->rules[i].points;
    }
}

/* The end line: {"end": {"reports": n}}. */
static char *dup_member(json_t *o, const char *key, int *oom) {
    const char *v = json_string_value(json_object_get(o, key));
    char *s = v ? fz_strdup(v) : NULL;
    if (v && !s) *oom = 1;
    return s;
}

/* The end line's `previous`: last year's reports and their state. */
static int end_previous(fz_shard *s, json_t *arr, char **err) {
    if (!arr) return 0;
    static const char *const states[] = {"paired", "unpaired", "unreadable"};
    size_t n = json_array_size(arr);
    if (!json_is_array(arr)) return shard_fail(s, err, "结束行的 previous 不是数组");
    if (n && !(s->prev = calloc(n, sizeof *s->prev))) return fz_fail(err, FZ_ENOMEM);
    int oom = 0;
    for (size_t i = 0; i < n && !oom; i++) {
        json_t *o = json_array_get(arr, i);
        fz_prev_entry *e = &s->prev[s->nprev++];
        e->file = dup_member(o, "file", &oom);
        e->unit = dup_member(o, "unit", &oom);
        e->error = dup_member(o, "error", &oom);
        e->score = json_number_value(json_object_get(o, "score"));
        const char *st = json_string_value(json_object_get(o, "state"));
        int k = 0;
        while (k < 3 && (!st || strcmp(st, states[k]))) k++;
        if (!oom && (!e->file || k == 3)) return shard_fail(s, err, "结束行的 previous 中有一项缺少 file 或 state");
        e->state = (fz_prev_state)k;
    }
    return oom ? fz_fail(err, FZ_ENOMEM) : 0;
}

static int end_line(fz_shard *s, json_t *end, char **err) {
    json_t *n = json_object_get(end, "reports");
    if (!json_is_integer(n) || json_integer_value(n) != (json_int_t)s->reports) {
        fz_buf m = {0};
        int rc = fz_buf_printf(&m, "结束行记录的报告数与分片中的报告行数（%zu）不符", s->reports) < 0
                     ? fz_fail(err, FZ_ENOMEM)
                     : shard_fail(s, err, m.ptr);
        fz_buf_free(&m);
        return rc;
    }
    if (end_previous(s, json_object_get(end, "previous"), err) < 0) return -1;
    s->ended = 1;
    return 0;
}

int fz_shard_next(fz_shard *s, const fz_pack *pack, fz_report *rep, char **err) {
    memset(rep, 0, sizeof *rep);
    rep->unit_type = FZ_NO_ROLE;
    if (s->ended) {
        int got = read_line(s);
        if (got == 0) return 0;
        return shard_fail(s, err, "结束行之后还有内容");
    }
    int got = read_line(s);
    if (got < 0) return fz_fail(err, "无法读取分片“%s”：%s", s->path, strerror(errno ? errno : EIO));
    if (got == 0) {
        s->line++;
        return shard_fail(s, err, "分片不完整：缺少结束行（检查可能在写入时中断，请重新检查这一部分）");
    }
    if (got == 2) return shard_fail(s, err, "分片不完整：最后一行被截断（检查可能在写入时中断，请重新检查这一部分）");
    json_error_t je;
    json_t *o = json_loads(s->buf, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        fz_buf m = {0};
        int rc = fz_buf_printf(&m, "不是有效的 JSON 行（第 %d 列：%s）", je.column, je.text) < 0
                     ? fz_fail(err, FZ_ENOMEM)
                     : shard_fail(s, err, m.ptr);
        fz_buf_free(&m);
        return rc;
    }
    json_t *end = json_object_get(o, "end");
    if (end) {
        int rc = end_line(s, end, err);
        json_decref(o);
        return rc < 0 ? -1 : fz_shard_next(s, pack, rep, err);
    }
    decoder d = {0};
    get_report(&d, pack, o, rep);
    json_decref(o);
    if (d.oom) {
        fz_report_free(rep);
        return fz_fail(err, FZ_ENOMEM);
    }
    if (d.bad) {
        fz_buf m = {0};
        int rc = fz_buf_printf(&m, "报告行的“%s”项无效（不是本程序写出的报告行）", d.bad) < 0
                     ? fz_fail(err, FZ_ENOMEM)
                     : shard_fail(s, err, m.ptr);
        fz_buf_free(&m);
        fz_report_free(rep);
        return rc;
    }
    s->reports++;
    return 1;
}

int fz_shard_count(const char *path, size_t *n, char **err) {
    *n = 0;
    FILE *f = fopen(path, "r");
    if (!f) return fz_fail(err, "无法打开分片“%s”：%s", path, strerror(errno));
    char chunk[1 << 16];
    size_t got, lines = 0;
    /* the start of the last whole line: the end line, or a report when
     * the shard was cut off */
    char last[8] = {0}, cur[8] = {0};
    size_t at = 0;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        for (size_t i = 0; i < got; i++) {
            if (chunk[i] == '\n') {
                lines++;
                memcpy(last, cur, sizeof last);
                memset(cur, 0, sizeof cur);
                at = 0;
            } else if (at < sizeof cur) {
                cur[at++] = chunk[i];
            }
        }
    int bad = ferror(f);
    fclose(f);
    if (bad) return fz_fail(err, "无法读取分片“%s”：%s", path, strerror(EIO));
    size_t ends = lines > 1 && !memcmp(last, "{\"end\"", 6);
    *n = lines > 1 + ends ? lines - 1 - ends : 0; /* the header and the end line */
    return 0;
}
