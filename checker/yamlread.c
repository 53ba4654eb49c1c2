/*
 * yamlread.c - see yamlread.h.
 */
#include "yamlread.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static void yr_add_error(fz_yr *L, const char *file, unsigned line, unsigned col,
                         const char *pointer, const char *fmt, va_list ap) {
    L->nerrors++;
    if (fz_buf_printf(&L->errors, "%s:%u:%u: ", file, line, col) < 0 ||
        (pointer && fz_buf_printf(&L->errors, "%s: ", pointer) < 0) ||
        fz_buf_vprintf(&L->errors, fmt, ap) < 0 ||
        fz_buf_puts(&L->errors, "\n") < 0)
        L->oom = 1;
}

void fz_yr_warning(fz_yr *L, const yaml_node_t *n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    L->nwarnings++;
    if (fz_buf_printf(&L->warnings, "%s:%u:%u: 警告：", L->file,
                      n ? (unsigned)n->start_mark.line + 1 : 1,
                      n ? (unsigned)n->start_mark.column + 1 : 1) < 0 ||
        fz_buf_vprintf(&L->warnings, fmt, ap) < 0 || fz_buf_puts(&L->warnings, "\n") < 0)
        L->oom = 1;
    va_end(ap);
}

void fz_yr_error(fz_yr *L, const yaml_node_t *n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    const char *pointer = NULL;
    if (n && L->doc && L->pointers) {
        if (!*L->pointers && fz_yr_pointers(L->doc, L->pointers, L->npointers) < 0) L->oom = 1;
        size_t id = (size_t)(n - L->doc->nodes.start);
        if (*L->pointers && id < *L->npointers) pointer = (*L->pointers)[id];
    }
    yr_add_error(L, L->file, n ? (unsigned)n->start_mark.line + 1 : 1,
                 n ? (unsigned)n->start_mark.column + 1 : 1, pointer, fmt, ap);
    va_end(ap);
}

yaml_node_t *fz_yr_node(fz_yr *L, int id) {
    return yaml_document_get_node(L->doc, id);
}

const char *fz_yr_type_name(const yaml_node_t *n) {
    switch (n->type) {
    case YAML_SCALAR_NODE: return "标量";
    case YAML_SEQUENCE_NODE: return "列表";
    case YAML_MAPPING_NODE: return "映射";
    default: return "空值";
    }
}

const char *fz_yr_scalar(const yaml_node_t *n) {
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int yr_is_plain(const yaml_node_t *n) {
    return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

int fz_yr_expect(fz_yr *L, const yaml_node_t *n, yaml_node_type_t t,
                  const char *what) {
    if (n->type == t) return 1;
    fz_yr_error(L, n, "应为%s，实际为%s", what, fz_yr_type_name(n));
    return 0;
}

/* Value of key in a mapping node, or NULL. */
typedef struct {
    const char *key;
    yaml_node_t *knode, *value;
} pair;

/* Splits a mapping into pairs and reports keys not in `allowed` (a
 * NULL-terminated list). Returns the number of pairs (0 on error), fills
 * *out (malloc'd). */
size_t fz_yr_pairs(fz_yr *L, yaml_node_t *map, const char *const *allowed,
                       const char *where, fz_yr_pair **out) {
    *out = NULL;
    if (!fz_yr_expect(L, map, YAML_MAPPING_NODE, "映射")) return 0;
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    fz_yr_pair *ps = calloc(n ? n : 1, sizeof *ps);
    if (!ps) {
        L->oom = 1;
        return 0;
    }
    size_t k = 0;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = fz_yr_node(L, p->key), *vn = fz_yr_node(L, p->value);
        const char *key = fz_yr_scalar(kn);
        if (!key) {
            fz_yr_error(L, kn, "键应为字符串");
            continue;
        }
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, key) == 0) ok = 1;
        if (!ok) {
            fz_buf list = {0};
            for (const char *const *a = allowed; *a; a++)
                if (fz_buf_printf(&list, "%s%s", a == allowed ? "" : "、", *a) < 0)
                    L->oom = 1;
            fz_yr_error(L, kn, "%s中有未知的键“%s”（可用的键：%s）", where, key,
                   list.ptr ? list.ptr : "");
            fz_buf_free(&list);
            continue;
        }
        for (size_t i = 0; i < k; i++)
            if (strcmp(ps[i].key, key) == 0) {
                fz_yr_error(L, kn, "键“%s”重复出现", key);
                ok = 0;
            }
        if (ok) ps[k++] = (fz_yr_pair){key, kn, vn};
    }
    *out = ps;
    return k;
}

int fz_yr_string(fz_yr *L, yaml_node_t *n, char **out) {
    if (!fz_yr_expect(L, n, YAML_SCALAR_NODE, "字符串")) return -1;
    free(*out);
    *out = fz_strdup(fz_yr_scalar(n));
    if (!*out) L->oom = 1;
    return *out ? 0 : -1;
}

static int yr_parse_number(const char *s, double *out) {
    if (!*s) return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v)) return 0;
    *out = v;
    return 1;
}

int fz_yr_number(fz_yr *L, yaml_node_t *n, double lo, double hi, double *out) {
    double v;
    if (n->type != YAML_SCALAR_NODE || !yr_is_plain(n) || !yr_parse_number(fz_yr_scalar(n), &v)) {
        if (n->type == YAML_SCALAR_NODE)
            fz_yr_error(L, n, "应为数字，实际为字符串“%s”", fz_yr_scalar(n));
        else
            fz_yr_error(L, n, "应为数字，实际为%s", fz_yr_type_name(n));
        return -1;
    }
    if (v < lo || v > hi) {
        fz_yr_error(L, n, "数值 %g 超出范围（%g 到 %g）", v, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int fz_yr_count(fz_yr *L, yaml_node_t *n, size_t *out) {
    double v;
    if (fz_yr_number(L, n, 0, 1e9, &v) < 0) return -1;
    if (v != floor(v)) {
        fz_yr_error(L, n, "应为整数，实际为 %g", v);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

int fz_yr_bool(fz_yr *L, yaml_node_t *n, int *out) {
    const char *s = fz_yr_scalar(n);
    if (s && yr_is_plain(n) && (!strcmp(s, "true") || !strcmp(s, "false"))) {
        *out = s[0] == 't';
        return 0;
    }
    fz_yr_error(L, n, "应为 true 或 false");
    return -1;
}

int fz_yr_enum(fz_yr *L, yaml_node_t *n, const char *const *names,
                    int *out) {
    const char *s = fz_yr_scalar(n);
    if (s)
        for (int i = 0; names[i]; i++)
            if (strcmp(names[i], s) == 0) {
                *out = i;
                return 0;
            }
    fz_buf list = {0};
    for (int i = 0; names[i]; i++)
        if (fz_buf_printf(&list, "%s%s", i ? "、" : "", names[i]) < 0) L->oom = 1;
    fz_yr_error(L, n, "取值应为 %s 之一%s%s%s", list.ptr ? list.ptr : "",
           s ? "，实际为“" : "", s ? s : "", s ? "”" : "");
    fz_buf_free(&list);
    return -1;
}

size_t fz_yr_len(const yaml_node_t *n) {
    if (n->type == YAML_SEQUENCE_NODE)
        return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (n->type == YAML_MAPPING_NODE)
        return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    return 0;
}

/* Rule files are small; anything bigger is not a rule pack. */
#define FZ_RULES_MAX_BYTES ((size_t)4 * 1024 * 1024)
/* Nesting deeper than this is no rule pack either (and would exhaust the
 * stack of a recursive walk). */
#define FZ_RULES_MAX_DEPTH 64

/* libyaml's problems, said in Chinese with their usual cause. */
static const char *syntax_problem(const char *problem, const char *context) {
    static const struct {
        const char *en, *zh;
    } table[] = {
        {"did not find expected '-' indicator",
         "列表项没有对齐：这一行的缩进与上面的列表项（以“- ”开头）不一致"},
        {"did not find expected key", "缩进与上一层不一致，或上一行的引号、括号没有闭合"},
        {"found character that cannot start any token",
         "这里有不能出现的字符：多半是用了制表符（Tab）缩进，或行首有 @、` 等符号（请加引号）"},
        {"found a tab character", "用了制表符（Tab）缩进：YAML 只能用空格缩进"},
        {"mapping values are not allowed in this context",
         "冒号用法有误：值里含有“: ”时，整个值要加引号；或上一行缩进有误"},
        {"could not find expected ':'", "缺少冒号，或冒号后面缺少空格（应写成“键: 值”）"},
        {"found unexpected end of stream", "文件在引号或括号闭合之前就结束了：有引号或括号没有闭合"},
        {"did not find expected ',' or ']'", "方括号 [ ] 没有闭合，或列表项之间缺少逗号"},
        {"did not find expected ',' or '}'", "花括号 { } 没有闭合，或各项之间缺少逗号"},
        {"found unknown escape character", "双引号中的反斜杠 \\ 用法有误：正则表达式请用单引号括起"},
        {"found undefined tag handle", "以 ! 开头的值要加引号"},
        {"block sequence entries are not allowed in this context",
         "“- ”列表项的位置不对：多半是缩进有误，或它跟在了“键: 值”的同一行"},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if ((problem && strstr(problem, table[i].en)) || (context && strstr(context, table[i].en)))
            return table[i].zh;
    if (context && strstr(context, "quoted scalar")) return "引号没有闭合";
    return NULL;
}

/* "FILE:LINE:COL: YAML 语法错误：…", the line itself with a caret under the
 * column, and the usual causes: libyaml alone says "did not find expected
 * '-' indicator" in English. */
static void yr_syntax_error(fz_yr *L, const char *path, const yaml_parser_t *p, const char *text,
                            size_t len) {
    L->nerrors++;
    size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
    const char *zh = syntax_problem(p->problem, p->context);
    int bad = fz_buf_printf(&L->errors, "%s:%zu:%zu: YAML 语法错误：", path, line, col) < 0;
    if (zh) bad |= fz_buf_printf(&L->errors, "%s（%s）\n", zh, p->problem ? p->problem : "") < 0;
    else bad |= fz_buf_printf(&L->errors, "无法解析（%s）\n", p->problem ? p->problem : "") < 0;
    /* the line, and a caret under the column (by display width) */
    const char *s = text, *end = text + len;
    for (size_t k = 1; k < line && s < end; k++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        s = nl ? nl + 1 : end;
    }
    const char *e = memchr(s, '\n', (size_t)(end - s));
    if (!e) e = end;
    if (s < end || line == 1) {
        size_t upto = 0, w = 0;
        for (size_t c = 1; c < col && s + upto < e; c++) {
            uint32_t cp;
            int n = fz_utf8_decode(s + upto, (size_t)(e - s - (ptrdiff_t)upto), &cp);
            upto += n < 0 ? 1 : (size_t)n;
            w += cp == '\t' ? 1 : (size_t)fz_cp_width(cp);
        }
        bad |= fz_buf_printf(&L->errors, "    %.*s\n    %*s^\n", (int)(e - s), s, (int)w, "") < 0;
    }
    bad |= fz_buf_puts(&L->errors, "    常见原因：缩进没有对齐、用了制表符（Tab）、引号或括号没有闭合、冒号后面缺少空格；"
                                   "出错的地方可能在这一行，也可能在它的上一行。\n") < 0;
    if (bad) L->oom = 1;
}

void fz_yr_file_error(fz_yr *L, const char *path, size_t line, size_t col, const char *msg) {
    L->nerrors++;
    if (fz_buf_printf(&L->errors, "%s:%zu:%zu: %s\n", path, line, col, msg) < 0) L->oom = 1;
}

/* One open collection while composing: its node, and for a mapping the
 * key that waits for its value (0: none). */
typedef struct {
    int node, key;
} yr_open;

/* Adds a node for the event e to doc, as yaml_parser_load would (same
 * node order, tags, styles and marks), and links it to the collection
 * open on top of *stack. Returns the node's id, or 0 (out of memory). */
static int yr_compose(yaml_document_t *doc, const yaml_event_t *e, yr_open **stack, size_t *depth,
                      size_t *cap) {
    int id;
    const yaml_char_t *tag;
    if (e->type == YAML_SCALAR_EVENT) {
        tag = e->data.scalar.tag;
        if (tag && !strcmp((const char *)tag, "!")) tag = NULL; /* the default tag */
        id = yaml_document_add_scalar(doc, tag, e->data.scalar.value, (int)e->data.scalar.length,
                                      e->data.scalar.style);
    } else if (e->type == YAML_SEQUENCE_START_EVENT) {
        tag = e->data.sequence_start.tag;
        if (tag && !strcmp((const char *)tag, "!")) tag = NULL;
        id = yaml_document_add_sequence(doc, tag, e->data.sequence_start.style);
    } else {
        tag = e->data.mapping_start.tag;
        if (tag && !strcmp((const char *)tag, "!")) tag = NULL;
        id = yaml_document_add_mapping(doc, tag, e->data.mapping_start.style);
    }
    if (!id) return 0;
    yaml_node_t *n = yaml_document_get_node(doc, id);
    n->start_mark = e->start_mark;
    n->end_mark = e->end_mark;
    if (*depth) {
        yr_open *top = &(*stack)[*depth - 1];
        yaml_node_t *parent = yaml_document_get_node(doc, top->node);
        if (parent->type == YAML_SEQUENCE_NODE) {
            if (!yaml_document_append_sequence_item(doc, top->node, id)) return 0;
        } else if (!top->key) {
            top->key = id;
        } else {
            if (!yaml_document_append_mapping_pair(doc, top->node, top->key, id)) return 0;
            top->key = 0;
        }
    }
    if (e->type != YAML_SCALAR_EVENT) {
        if (fz_grow(stack, cap, *depth + 1, sizeof **stack) < 0) return 0;
        (*stack)[(*depth)++] = (yr_open){id, 0};
    }
    return id;
}

/* Reads text into *doc in one pass over libyaml's events: it refuses
 * aliases and anchors (a cycle or a "billion laughs" expansion would
 * follow them forever) and nesting deeper than FZ_RULES_MAX_DEPTH
 * anywhere in the stream, and builds the first document as
 * yaml_parser_load would. (Screening the events first and then loading
 * parsed every rule file twice.) Returns 0, or -1 with the problem
 * recorded (then *doc holds nothing). */
static int yr_parse(fz_yr *L, const char *path, const char *text, size_t len, yaml_document_t *doc) {
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) return L->oom = 1, -1;
    if (!yaml_document_initialize(doc, NULL, NULL, NULL, 1, 1)) {
        yaml_parser_delete(&p);
        return L->oom = 1, -1;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int depth = 0, rc = 0, docs = 0, composing = 0;
    yr_open *stack = NULL;
    size_t open = 0, cap = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            yr_syntax_error(L, path, &p, text, len);
            rc = -1;
            break;
        }
        yaml_event_type_t t = e.type;
        size_t line = e.start_mark.line + 1, col = e.start_mark.column + 1;
        int anchored = (t == YAML_SCALAR_EVENT && e.data.scalar.anchor) ||
                       (t == YAML_SEQUENCE_START_EVENT && e.data.sequence_start.anchor) ||
                       (t == YAML_MAPPING_START_EVENT && e.data.mapping_start.anchor);
        if (t == YAML_ALIAS_EVENT || anchored) {
            yaml_event_delete(&e);
            fz_yr_file_error(L, path, line, col, "规则包中不能使用 YAML 锚点和别名（& 和 *），请直接写出内容");
            rc = -1;
            break;
        }
        if ((t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) &&
            ++depth > FZ_RULES_MAX_DEPTH) {
            yaml_event_delete(&e);
            fz_yr_file_error(L, path, line, col, "嵌套层数过多，不像是规则包");
            rc = -1;
            break;
        }
        /* only the first document is built, as yaml_parser_load does */
        if (t == YAML_DOCUMENT_START_EVENT && docs++ == 0) composing = 1;
        if (composing) {
            if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
                if (!yr_compose(doc, &e, &stack, &open, &cap)) {
                    yaml_event_delete(&e);
                    L->oom = 1;
                    rc = -1;
                    break;
                }
            } else if ((t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) && open) {
                yaml_document_get_node(doc, stack[--open].node)->end_mark = e.end_mark;
            } else if (t == YAML_DOCUMENT_END_EVENT) {
                composing = 0;
            }
        }
        if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) depth--;
        yaml_event_delete(&e);
        if (t == YAML_STREAM_END_EVENT) break;
    }
    free(stack);
    yaml_parser_delete(&p);
    if (rc < 0) yaml_document_delete(doc);
    return rc;
}

/* True when the bytes decode as GB18030 (so the message can say what the
 * file probably is). */
static int decodes_as_gb18030(const char *text, size_t len) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return 0;
    char *in = (char *)text;
    size_t left = len;
    int ok = 1;
    while (left > 0 && ok) {
        char chunk[4096], *o = chunk;
        size_t room = sizeof chunk;
        if (iconv(cd, &in, &left, &o, &room) == (size_t)-1 && errno != E2BIG) ok = 0;
    }
    iconv_close(cd);
    return ok;
}

/* Refuses a file that is not UTF-8 at its first bad byte: libyaml would
 * say "invalid leading UTF-8 octet" in English, at 1:1. */
static int yr_check_utf8(fz_yr *L, const char *path, const char *text, size_t len) {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = fz_utf8_decode(text + i, len - i, &cp);
        if (n < 0) {
            char msg[512];
            snprintf(msg, sizeof msg,
                     "文件不是 UTF-8 编码，请另存为 UTF-8（此处的字节 0x%02X 无法按 UTF-8 读取%s）",
                     (unsigned char)text[i],
                     decodes_as_gb18030(text, len) ? "；文件像是 GBK/GB18030 编码，"
                                                     "可在记事本或 VS Code 中选择“另存为 UTF-8”"
                                                   : "");
            fz_yr_file_error(L, path, line, col, msg);
            return -1;
        }
        if (cp == '\n') line++, col = 1;
        else col++;
        i += (size_t)n;
    }
    return 0;
}

int fz_yr_load(fz_yr *L, const char *path, yaml_document_t *doc) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fz_yr_file_error(L, path, 1, 1, errno == ENOENT ? "无法打开规则文件：文件不存在"
                                                  : "无法打开规则文件：没有读取权限或不是文件");
        return -1;
    }
    fz_buf text = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (text.len + got > FZ_RULES_MAX_BYTES) {
            fclose(f);
            fz_buf_free(&text);
            fz_yr_file_error(L, path, 1, 1, "规则文件过大（超过 4 MB）");
            return -1;
        }
        if (fz_buf_append(&text, chunk, got) < 0) {
            fclose(f);
            fz_buf_free(&text);
            return L->oom = 1, -1;
        }
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        fz_buf_free(&text);
        fz_yr_file_error(L, path, 1, 1, "读取规则文件时出错");
        return -1;
    }
    int ok = yr_check_utf8(L, path, text.ptr ? text.ptr : "", text.len) == 0 &&
             yr_parse(L, path, text.ptr ? text.ptr : "", text.len, doc) == 0;
    fz_buf_free(&text);
    return ok ? 0 : -1;
}


/* Fills out[i] with the JSON pointer of node i+1 (node ids are 1-based;
 * out is indexed from 0 like doc->nodes). */
static int walk_pointers(yaml_document_t *doc, yaml_node_t *n, fz_buf *path, char **out,
                         size_t count, int depth) {
    size_t id = (size_t)(n - doc->nodes.start);
    if (id >= count || out[id] || depth > 256) return 0; /* shared or too deep */
    out[id] = fz_strdup(path->len ? path->ptr : "/");
    if (!out[id]) return -1;
    size_t keep = path->len;
    if (n->type == YAML_SEQUENCE_NODE) {
        size_t i = 0;
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++, i++) {
            if (fz_buf_printf(path, "/%zu", i) < 0) return -1;
            if (walk_pointers(doc, yaml_document_get_node(doc, *it), path, out, count, depth + 1) < 0)
                return -1;
            path->len = keep;
            path->ptr[keep] = '\0';
        }
    } else if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            const char *key = k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
            if (fz_buf_puts(path, "/") < 0) return -1;
            for (const char *c = key; *c; c++)
                if ((*c == '~' ? fz_buf_puts(path, "~0")
                               : *c == '/' ? fz_buf_puts(path, "~1") : fz_buf_append(path, c, 1)) < 0)
                    return -1;
            /* a key's own node gets its pair's pointer too */
            size_t kid = (size_t)(k - doc->nodes.start);
            if (k && kid < count && !out[kid] && !(out[kid] = fz_strdup(path->ptr))) return -1;
            if (walk_pointers(doc, yaml_document_get_node(doc, p->value), path, out, count,
                              depth + 1) < 0)
                return -1;
            path->len = keep;
            if (path->ptr) path->ptr[keep] = '\0';
        }
    }
    return 0;
}

int fz_yr_pointers(yaml_document_t *doc, char ***out, size_t *count) {
    size_t n = (size_t)(doc->nodes.top - doc->nodes.start);
    *out = calloc(n ? n : 1, sizeof **out);
    *count = n;
    if (!*out) return -1;
    yaml_node_t *root = yaml_document_get_root_node(doc);
    fz_buf path = {0};
    int rc = root ? walk_pointers(doc, root, &path, *out, n, 0) : 0;
    fz_buf_free(&path);
    if (rc < 0) {
        fz_yr_pointers_free(*out, n);
        *out = NULL;
    }
    return rc;
}

void fz_yr_pointers_free(char **p, size_t n) {
    for (size_t i = 0; p && i < n; i++) free(p[i]);
    free(p);
}
