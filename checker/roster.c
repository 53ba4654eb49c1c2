/*
 * roster.c - see roster.h.
 */
#include "roster.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gongwen.h"
#include "normalize.h"
#include "read.h"
#include "utf8.h"
#include "util.h"
#include "yamlread.h"

/* Rosters are short lists; anything larger is not one. */
#define ROSTER_MAX_BYTES ((size_t)10 * 1024 * 1024)

/* The same unit as reports and rosters abbreviate it: the long form
 * becomes the short one on both sides before names are compared. */
static const char *const abbreviations[][2] = {
    {"市场监督管理局", "市场监管局"},       {"卫生健康委员会", "卫健委"},
    {"卫生健康委", "卫健委"},               {"卫生健康局", "卫健局"},
    {"发展和改革委员会", "发改委"},         {"发展改革委", "发改委"},
    {"发展和改革局", "发改局"},             {"人力资源和社会保障局", "人社局"},
    {"人力资源社会保障局", "人社局"},       {"住房和城乡建设局", "住建局"},
    {"住房城乡建设局", "住建局"},           {"文化广电和旅游局", "文旅局"},
    {"文化和旅游局", "文旅局"},             {"文化广电旅游局", "文旅局"},
    {"自然资源和规划局", "自然资源局"},     {"农业农村局", "农业农村局"},
    {"生态环境局", "生态环境局"},           {"交通运输局", "交通局"},
    {"应急管理局", "应急局"},               {"医疗保障局", "医保局"},
    {"退役军人事务局", "退役军人局"},       {"行政审批服务局", "行政审批局"},
    {"综合行政执法局", "综合执法局"},       {"教育体育局", "教体局"},
    {"工业和信息化局", "工信局"},           {"科学技术局", "科技局"},
    {"街道办事处", "街道"},                 {"人民政府", "政府"}};

/* Canonical form of a name for comparison: normalized like report text
 * (no spaces, fullwidth folded), abbreviations applied. */
static char *canon(const char *s) {
    char *n = fz_normalize_line(s, strlen(s));
    if (!n) return NULL;
    fz_buf b = {0};
    int bad = 0;
    for (const char *p = n; *p && !bad;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        size_t k, len = 0;
        for (k = 0; k < sizeof abbreviations / sizeof *abbreviations; k++) {
            len = strlen(abbreviations[k][0]);
            if (!strncmp(p, abbreviations[k][0], len)) break;
        }
        if (k < sizeof abbreviations / sizeof *abbreviations) {
            bad |= fz_buf_puts(&b, abbreviations[k][1]) < 0;
            p += len;
        } else {
            bad |= fz_buf_append(&b, p, 1) < 0;
            p++;
        }
    }
    free(n);
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

/* ---- loading ---------------------------------------------------------------- */

typedef struct {
    const char *path;
    fz_buf errors;
    size_t nerrors;
    int oom;
} loading;

static void problem(loading *L, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(loading *L, unsigned line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    L->nerrors++;
    if (fz_buf_printf(&L->errors, "%s:%u: ", L->path, line) < 0 ||
        fz_buf_vprintf(&L->errors, fmt, ap) < 0 || fz_buf_puts(&L->errors, "\n") < 0)
        L->oom = 1;
    va_end(ap);
}

static char *trimmed(const char *s, size_t n) {
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    /* a fullwidth space too, as typed in Chinese spreadsheets */
    while (n >= 3 && !memcmp(s, "\xE3\x80\x80", 3)) s += 3, n -= 3;
    while (n >= 3 && !memcmp(s + n - 3, "\xE3\x80\x80", 3)) n -= 3;
    return fz_strndup(s, n);
}

/* Adds a unit (taking name, type and aliases). */
static int add_unit(fz_roster *r, size_t *cap, char *name, char *type, char **aliases,
                    size_t naliases, unsigned line) {
    if (fz_grow(&r->units, cap, r->n + 1, sizeof *r->units) < 0) {
        free(name);
        free(type);
        for (size_t i = 0; i < naliases; i++) free(aliases[i]);
        free(aliases);
        return -1;
    }
    r->units[r->n++] = (fz_roster_unit){name, type, aliases, naliases, line};
    return 0;
}

/* Splits an alias list at 、 ； ; and commas. */
static int split_aliases(const char *s, char ***out, size_t *n) {
    static const char *const seps[] = {"、", "；", ";", "，", ",", "|"};
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    const char *start = s;
    for (const char *p = s;; ) {
        size_t sep = 0;
        for (size_t k = 0; k < sizeof seps / sizeof *seps && !sep; k++)
            if (!strncmp(p, seps[k], strlen(seps[k]))) sep = strlen(seps[k]);
        if (sep || !*p) {
            char *a = trimmed(start, (size_t)(p - start));
            if (!a) return -1;
            if (*a) {
                if (fz_grow(out, &cap, *n + 1, sizeof **out) < 0) {
                    free(a);
                    return -1;
                }
                (*out)[(*n)++] = a;
            } else {
                free(a);
            }
            if (!*p) break;
            p += sep;
            start = p;
        } else {
            p++;
        }
    }
    return 0;
}

/* One CSV record from text at *pos (RFC 4180: quoted fields may hold
 * commas, doubled quotes and line breaks). Fields are malloc'd. */
typedef struct {
    char **f;
    size_t n, cap;
} record;

static void record_free(record *rec) {
    for (size_t i = 0; i < rec->n; i++) free(rec->f[i]);
    free(rec->f);
    memset(rec, 0, sizeof *rec);
}

static int next_record(const char *t, size_t len, size_t *pos, unsigned *line, record *rec) {
    fz_buf field = {0};
    int quoted = 0, bad = 0, at_start = 1;
    size_t i = *pos;
    for (;;) {
        char c = i < len ? t[i] : '\0';
        if (quoted) {
            if (i >= len) {
                quoted = 0; /* unclosed: take what there is */
                continue;
            }
            if (c == '"' && i + 1 < len && t[i + 1] == '"') {
                bad |= fz_buf_append(&field, "\"", 1) < 0;
                i += 2;
            } else if (c == '"') {
                quoted = 0;
                i++;
            } else {
                if (c == '\n') (*line)++;
                bad |= fz_buf_append(&field, &c, 1) < 0;
                i++;
            }
            continue;
        }
        if (c == '"' && at_start) {
            quoted = 1;
            at_start = 0;
            i++;
            continue;
        }
        if (c == ',' || c == '\n' || i >= len) {
            char *f = trimmed(field.ptr ? field.ptr : "", field.len);
            if (!f || fz_grow(&rec->f, &rec->cap, rec->n + 1, sizeof *rec->f) < 0) {
                free(f);
                bad = 1;
            } else {
                rec->f[rec->n++] = f;
            }
            fz_buf_free(&field);
            at_start = 1;
            if (c == ',') {
                i++;
                continue;
            }
            if (c == '\n') i++;
            break;
        }
        at_start = 0;
        bad |= fz_buf_append(&field, &c, 1) < 0;
        i++;
    }
    fz_buf_free(&field);
    *pos = i;
    return bad ? -1 : 0;
}

static int column_of(const record *head, const char *const *names) {
    for (size_t i = 0; i < head->n; i++)
        for (size_t k = 0; names[k]; k++)
            if (!strcmp(head->f[i], names[k])) return (int)i;
    return -1;
}

static void load_csv(loading *L, const char *text, size_t len, fz_roster *r) {
    static const char *const name_cols[] = {"单位名称", "单位", "名称", NULL};
    static const char *const type_cols[] = {"类型", "单位类型", NULL};
    static const char *const alias_cols[] = {"别名", "简称", NULL};
    size_t pos = 0, cap = 0;
    unsigned line = 1;
    record head = {0};
    /* the header: the first line that is not blank */
    while (pos < len) {
        unsigned at = line;
        record_free(&head);
        if (next_record(text, len, &pos, &line, &head) < 0) {
            L->oom = 1;
            break;
        }
        line++;
        if (head.n > 1 || (head.n == 1 && *head.f[0])) {
            line = at + 1;
            break;
        }
    }
    int cn = column_of(&head, name_cols), ct = column_of(&head, type_cols),
        ca = column_of(&head, alias_cols);
    if (cn < 0) {
        problem(L, 1, "缺少表头：第一行应为“单位名称,类型,别名”（类型、别名两列可以省略）");
        record_free(&head);
        return;
    }
    record_free(&head);
    while (pos < len && !L->oom) {
        unsigned at = line;
        record rec = {0};
        if (next_record(text, len, &pos, &line, &rec) < 0) {
            record_free(&rec);
            L->oom = 1;
            break;
        }
        line++;
        int blank = 1;
        for (size_t i = 0; i < rec.n; i++) blank &= !*rec.f[i];
        if (blank) {
            record_free(&rec);
            continue;
        }
        const char *name = (size_t)cn < rec.n ? rec.f[cn] : "";
        const char *type = ct >= 0 && (size_t)ct < rec.n ? rec.f[ct] : "";
        const char *alias = ca >= 0 && (size_t)ca < rec.n ? rec.f[ca] : "";
        if (!*name) {
            problem(L, at, "单位名称为空");
            record_free(&rec);
            continue;
        }
        char **aliases = NULL;
        size_t naliases = 0;
        char *n = fz_strdup(name), *t = *type ? fz_strdup(type) : NULL;
        if (!n || (*type && !t) || split_aliases(alias, &aliases, &naliases) < 0 ||
            add_unit(r, &cap, n, t, aliases, naliases, at) < 0)
            L->oom = 1;
        record_free(&rec);
    }
}

static const char *node_str(yaml_document_t *doc, yaml_node_t *n) {
    (void)doc;
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* YAML: a list of {name, type, aliases}, or {units: that list}. */
static void load_yaml(loading *L, fz_roster *r) {
    fz_yr y = {0};
    y.file = L->path;
    yaml_document_t doc;
    if (fz_yr_load(&y, L->path, &doc) < 0) {
        if (y.errors.ptr) {
            L->nerrors += y.nerrors;
            if (fz_buf_puts(&L->errors, y.errors.ptr) < 0) L->oom = 1;
        }
        fz_buf_free(&y.errors);
        fz_buf_free(&y.warnings);
        return;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc), *list = root;
    if (root && root->type == YAML_MAPPING_NODE) {
        list = NULL;
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
            const char *k = node_str(&doc, yaml_document_get_node(&doc, p->key));
            if (k && !strcmp(k, "units")) list = yaml_document_get_node(&doc, p->value);
        }
    }
    size_t cap = 0;
    if (!list || list->type != YAML_SEQUENCE_NODE) {
        problem(L, root ? (unsigned)root->start_mark.line + 1 : 1,
                "应为单位列表（每项写 name、type、aliases），或 units: 下的这样一个列表");
    } else {
        for (yaml_node_item_t *it = list->data.sequence.items.start;
             it < list->data.sequence.items.top && !L->oom; it++) {
            yaml_node_t *u = yaml_document_get_node(&doc, *it);
            unsigned line = (unsigned)u->start_mark.line + 1;
            const char *name = NULL, *type = NULL;
            yaml_node_t *al = NULL;
            if (u->type == YAML_SCALAR_NODE) {
                name = node_str(&doc, u);
            } else if (u->type == YAML_MAPPING_NODE) {
                for (yaml_node_pair_t *p = u->data.mapping.pairs.start; p < u->data.mapping.pairs.top; p++) {
                    const char *k = node_str(&doc, yaml_document_get_node(&doc, p->key));
                    yaml_node_t *v = yaml_document_get_node(&doc, p->value);
                    if (!k) continue;
                    if (!strcmp(k, "name") || !strcmp(k, "单位名称")) name = node_str(&doc, v);
                    else if (!strcmp(k, "type") || !strcmp(k, "类型")) type = node_str(&doc, v);
                    else if (!strcmp(k, "aliases") || !strcmp(k, "别名")) al = v;
                    else problem(L, (unsigned)v->start_mark.line + 1, "未知的键“%s”（可用：name、type、aliases）", k);
                }
            }
            if (!name || !*name) {
                problem(L, line, "单位名称为空");
                continue;
            }
            char **aliases = NULL;
            size_t naliases = 0, acap = 0;
            int bad = 0;
            if (al && al->type == YAML_SCALAR_NODE) {
                bad = split_aliases(node_str(&doc, al), &aliases, &naliases) < 0;
            } else if (al && al->type == YAML_SEQUENCE_NODE) {
                for (yaml_node_item_t *a = al->data.sequence.items.start; a < al->data.sequence.items.top; a++) {
                    const char *s = node_str(&doc, yaml_document_get_node(&doc, *a));
                    if (!s || !*s) continue;
                    char *c = fz_strdup(s);
                    if (!c || fz_grow(&aliases, &acap, naliases + 1, sizeof *aliases) < 0) {
                        free(c);
                        bad = 1;
                        break;
                    }
                    aliases[naliases++] = c;
                }
            }
            char *n = fz_strdup(name), *t = type && *type ? fz_strdup(type) : NULL;
            if (bad || !n || (type && *type && !t) || add_unit(r, &cap, n, t, aliases, naliases, line) < 0)
                L->oom = 1;
        }
    }
    yaml_document_delete(&doc);
    fz_buf_free(&y.errors);
    fz_buf_free(&y.warnings);
}

/* Types the pack knows; units and aliases that appear twice. */
static void validate(loading *L, const fz_pack *pack, fz_roster *r) {
    for (size_t i = 0; i < r->n; i++) {
        fz_roster_unit *u = &r->units[i];
        if (u->type && fz_pack_unit_type(pack, u->type) == FZ_NO_ROLE) {
            fz_buf known = {0};
            for (size_t t = 0; t < pack->nunit_types; t++)
                if (fz_buf_printf(&known, "%s%s", t ? "、" : "", pack->unit_types[t].name) < 0) L->oom = 1;
            problem(L, u->line, "单位“%s”的类型“%s”不是规则包定义的单位类型（可用：%s）", u->name, u->type,
                    known.ptr ? known.ptr : "规则包未定义单位类型");
            fz_buf_free(&known);
        }
    }
    /* every name and alias names one unit */
    for (size_t i = 0; i < r->n && !L->oom; i++) {
        for (size_t a = 0; a <= r->units[i].naliases; a++) {
            const char *key = a ? r->units[i].aliases[a - 1] : r->units[i].name;
            char *ck = canon(key);
            if (!ck) {
                L->oom = 1;
                return;
            }
            for (size_t j = 0; j < i; j++)
                for (size_t b = 0; b <= r->units[j].naliases; b++) {
                    char *other = canon(b ? r->units[j].aliases[b - 1] : r->units[j].name);
                    if (!other) {
                        L->oom = 1;
                        break;
                    }
                    if (!strcmp(ck, other))
                        problem(L, r->units[i].line, "单位“%s”重复：“%s”已在第 %u 行出现%s", r->units[i].name,
                                key, r->units[j].line, a || b ? "（名称或别名相同）" : "");
                    free(other);
                }
            free(ck);
        }
    }
}

/* The roster file's bytes: the CSV's encoding (UTF-8, its BOM, UTF-16,
 * GB18030) is the plain-text reader's business. */
static int slurp(const char *path, char **bytes, size_t *n, char **why) {
    FILE *f = fopen(path, "rb");
    if (!f) return fz_fail(why, "%s", errno == ENOENT ? "文件不存在" : "无法打开（没有读取权限或不是文件）");
    fz_buf b = {0};
    char chunk[65536];
    size_t got;
    int rc = 0;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + got > ROSTER_MAX_BYTES) {
            rc = fz_fail(why, "文件过大，不像是单位名单");
            break;
        }
        if (fz_buf_append(&b, chunk, got) < 0) {
            rc = fz_fail(why, FZ_ENOMEM);
            break;
        }
    }
    if (rc == 0 && ferror(f)) rc = fz_fail(why, "读取文件时出错");
    fclose(f);
    if (rc < 0) {
        fz_buf_free(&b);
        return -1;
    }
    *n = b.len;
    *bytes = b.ptr ? b.ptr : fz_strdup("");
    return *bytes ? 0 : fz_fail(why, FZ_ENOMEM);
}

static int has_suffix(const char *path, const char *suffix) {
    size_t n = strlen(path), m = strlen(suffix);
    return n >= m && !strcasecmp(path + n - m, suffix);
}

int fz_roster_load(const char *path, const fz_pack *pack, fz_roster *r, char **errors) {
    memset(r, 0, sizeof *r);
    *errors = NULL;
    loading L = {.path = path};
    if (!(r->path = fz_strdup(path))) return fz_fail(errors, FZ_ENOMEM);
    if (has_suffix(path, ".yaml") || has_suffix(path, ".yml")) {
        load_yaml(&L, r);
    } else {
        fz_text t;
        char *why = NULL, *bytes = NULL;
        size_t n = 0;
        if (slurp(path, &bytes, &n, &why) < 0 || fz_read_memory(bytes, n, NULL, &t, &why) < 0) {
            problem(&L, 1, "无法读取单位名单：%s", why ? why : FZ_ENOMEM);
        } else {
            load_csv(&L, t.data, t.len, r);
            fz_text_free(&t);
        }
        free(bytes);
        free(why);
    }
    if (!L.nerrors && !L.oom && r->n == 0) problem(&L, 1, "名单中没有单位");
    if (!L.nerrors && !L.oom) validate(&L, pack, r);
    if (L.oom || L.nerrors) {
        if (L.oom) {
            fz_buf_free(&L.errors);
            fz_buf_printf(&L.errors, "%s:1: %s\n", path, FZ_ENOMEM);
        }
        *errors = fz_buf_steal(&L.errors);
        fz_roster_free(r);
        return -1;
    }
    fz_buf_free(&L.errors);
    return 0;
}

/* ---- matching ------------------------------------------------------------ */

long fz_roster_find(const fz_roster *r, const char *name) {
    for (size_t i = 0; name && i < r->n; i++)
        if (!strcmp(r->units[i].name, name)) return (long)i;
    return -1;
}

/* The unit whose name or alias relates to `text` as `how` asks: 0 equal,
 * 1 text ends with the key ("重庆市长寿区司法局" and the key "长寿区司法局"),
 * 2 the key ends with the text ("市教育局" and "益阳市教育局"), 3 the text
 * contains the key. For 0 and 1 the longest key wins; for 2 and 3 the
 * unit must be the only one (keys of several units may end with "区司法局"
 * or be contained in a title), unless one unit's key contains all the
 * others'. Returns its index, -1 when ambiguous, -2 when none, -3 when
 * memory runs out. */
static long best_key(const fz_roster *r, const char *text, int how) {
    long best = -2;
    char *best_key_text = NULL;
    size_t best_len = 0;
    int tie = 0;
    size_t tl = strlen(text);
    for (size_t i = 0; i < r->n; i++) {
        char *unit_key = NULL;
        size_t unit_best = 0;
        for (size_t a = 0; a <= r->units[i].naliases; a++) {
            char *k = canon(a ? r->units[i].aliases[a - 1] : r->units[i].name);
            if (!k) {
                free(unit_key);
                free(best_key_text);
                return -3;
            }
            size_t kl = strlen(k);
            int ok = 0;
            switch (how) {
            case 0: ok = !strcmp(k, text); break;
            case 1: ok = kl >= 9 && fz_ends(text, tl, k); break;
            case 2: ok = tl >= 9 && fz_ends(k, kl, text); break;
            default: ok = kl >= 6 && strstr(text, k) != NULL; break;
            }
            if (ok && kl > unit_best) {
                unit_best = kl;
                free(unit_key);
                unit_key = k;
            } else {
                free(k);
            }
        }
        if (!unit_best) continue;
        if (best < 0) {
            best = (long)i;
            best_len = unit_best;
            best_key_text = unit_key;
            continue;
        }
        /* a second unit matches */
        int nested = how == 3 && (strstr(unit_key, best_key_text) || strstr(best_key_text, unit_key));
        if (how == 2 || (how == 3 && !nested)) tie = 1;
        if (unit_best > best_len) {
            best = (long)i;
            best_len = unit_best;
            free(best_key_text);
            best_key_text = unit_key;
            if (how <= 1 || nested) tie = 0;
        } else {
            if (unit_best == best_len && how <= 1) tie = 1;
            free(unit_key);
        }
    }
    free(best_key_text);
    return tie ? -1 : best;
}

static int take(const fz_roster *r, fz_doc *d, long i) {
    const fz_roster_unit *u = &r->units[i];
    char *name = fz_strdup(u->name), *runit = fz_strdup(u->name),
         *type = u->type ? fz_strdup(u->type) : NULL;
    if (!name || !runit || (u->type && !type)) {
        free(name);
        free(runit);
        free(type);
        return -1;
    }
    free(d->unit);
    free(d->roster_unit);
    free(d->roster_type);
    d->unit = name;
    d->roster_unit = runit;
    d->roster_type = type;
    d->unit_source = FZ_SRC_ROSTER;
    return 1;
}

int fz_roster_match(const fz_roster *r, fz_doc *d, const char *path) {
    long hit = -2;
    /* the unit the report names */
    char *unit = d->unit ? canon(d->unit) : NULL;
    if (d->unit && !unit) return -1;
    if (unit) {
        hit = best_key(r, unit, 0);
        if (hit < 0 && hit != -3) hit = best_key(r, unit, 1);
        if (hit < 0 && hit != -3) hit = best_key(r, unit, 2);
        /* a place stands for its government: "岳池县" is 岳池县人民政府 */
        static const char *const levels[] = {"省", "市", "区", "县", "旗", "镇", "乡", "州"};
        for (size_t k = 0; hit < 0 && hit != -3 && k < sizeof levels / sizeof *levels; k++) {
            if (!fz_ends(unit, strlen(unit), levels[k])) continue;
            fz_buf g = {0};
            if (fz_buf_printf(&g, "%s政府", unit) < 0) {
                free(unit);
                return -1;
            }
            hit = best_key(r, g.ptr, 0);
            if (hit < 0 && hit != -3) hit = best_key(r, g.ptr, 1);
            if (hit < 0 && hit != -3) hit = best_key(r, g.ptr, 2);
            fz_buf_free(&g);
        }
    }
    free(unit);
    /* the file name */
    if (hit < 0 && path) {
        const char *base = strrchr(path, '/');
        char *c = fz_utf8_valid(base ? base + 1 : path, strlen(base ? base + 1 : path))
                      ? canon(base ? base + 1 : path) : NULL;
        if (c) hit = best_key(r, c, 3);
        free(c);
    }
    /* the title, then the opening */
    if (hit < 0 && d->title) {
        char *c = canon(d->title);
        if (!c) return -1;
        hit = best_key(r, c, 3);
        free(c);
    }

    if (hit == -3) return -1;
    return hit >= 0 ? take(r, d, hit) : 0;
}

void fz_roster_free(fz_roster *r) {
    for (size_t i = 0; i < r->n; i++) {
        free(r->units[i].name);
        free(r->units[i].type);
        for (size_t a = 0; a < r->units[i].naliases; a++) free(r->units[i].aliases[a]);
        free(r->units[i].aliases);
    }
    free(r->units);
    free(r->path);
    memset(r, 0, sizeof *r);
}
