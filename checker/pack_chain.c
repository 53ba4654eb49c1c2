/*
 * pack_chain.c - see pack_chain.h.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "pack_chain.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "yamlread.h"

#ifndef FZ_DATADIR
#define FZ_DATADIR "/usr/local/share/fzcheck"
#endif

char *fz_chain_default_path(void) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    struct stat st;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const up[] = {"/../rules", "/../../rules"};
            for (size_t i = 0; i < 2; i++) {
                fz_buf b = {0};
                if (fz_buf_printf(&b, "%s%s", exe, up[i]) == 0 && stat(b.ptr, &st) == 0 &&
                    S_ISDIR(st.st_mode)) {
                    /* shown to users: build/../rules as the directory it is */
                    char *real = realpath(b.ptr, NULL);
                    if (real) {
                        fz_buf_free(&b);
                        return real;
                    }
                    return fz_buf_steal(&b);
                }
                fz_buf_free(&b);
            }
        }
    }
    if (stat(FZ_DATADIR "/rules", &st) == 0) return fz_strdup(FZ_DATADIR "/rules");
    return fz_strdup("rules");
}

/* ---- one pack's files ------------------------------------------------------ */

static int is_yaml(const char *name) {
    size_t n = strlen(name);
    return name[0] != '.' &&
           ((n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml")));
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct {
    fz_buf *errors;
    size_t *nerrors;
    int *oom;
} sink;

static void problem(sink *k, const char *file, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void problem(sink *k, const char *file, size_t line, size_t col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    (*k->nerrors)++;
    if (fz_buf_printf(k->errors, "%s:%zu:%zu: ", file, line, col) < 0 ||
        fz_buf_vprintf(k->errors, fmt, ap) < 0 || fz_buf_puts(k->errors, "\n") < 0)
        *k->oom = 1;
    va_end(ap);
}

/* The YAML files of the pack: the file itself, or a directory's *.yaml
 * in name order. */
static int list_files(sink *k, const char *path, fz_layer *l) {
    struct stat st;
    if (stat(path, &st) != 0) {
        problem(k, path, 1, 1, "找不到规则包：%s", errno == ENOENT ? "路径不存在" : strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
        /* a pipe or a device would be read without end */
        problem(k, path, 1, 1, "规则包应为 .yaml 文件或包含 .yaml 文件的目录");
        return -1;
    }
    if (!(l->path = fz_strdup(path))) return *k->oom = 1, -1;
    size_t cap = 0;
    if (!S_ISDIR(st.st_mode)) {
        l->files = calloc(1, sizeof *l->files);
        if (!l->files || !(l->files[0] = fz_strdup(path))) return *k->oom = 1, -1;
        l->nfiles = 1;
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        problem(k, path, 1, 1, "无法读取规则目录：%s", strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_yaml(e->d_name)) continue;
        struct stat fst;
        fz_buf b = {0};
        if (fz_grow(&l->files, &cap, l->nfiles + 1, sizeof *l->files) < 0 ||
            fz_buf_printf(&b, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
                          e->d_name) < 0) {
            fz_buf_free(&b);
            *k->oom = 1;
            break;
        }
        /* only regular files (a directory or a pipe named *.yaml is skipped) */
        if (stat(b.ptr, &fst) != 0 || !S_ISREG(fst.st_mode)) {
            fz_buf_free(&b);
            continue;
        }
        l->files[l->nfiles++] = fz_buf_steal(&b);
    }
    closedir(d);
    if (l->nfiles) qsort(l->files, l->nfiles, sizeof *l->files, cmp_str);
    else if (!*k->oom) problem(k, path, 1, 1, "规则目录中没有 .yaml 文件");
    return l->nfiles && !*k->oom ? 0 : -1;
}

/* ---- what a pack extends ----------------------------------------------------- */

/* The largest rule file looked into (as yamlread.c refuses beyond). */
#define MAX_FILE (4 * 1024 * 1024)

static yaml_node_t *map_get(yaml_document_t *d, yaml_node_t *map, const char *key) {
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
            return yaml_document_get_node(d, p->value);
    }
    return NULL;
}

/* pack.extends in a parsed file as a malloc'd string (NULL when none or
 * out of memory, *oom set then), and where it stands. */
static char *extends_in(yaml_document_t *doc, size_t *line, size_t *col, int *oom) {
    yaml_node_t *ext = map_get(doc, map_get(doc, yaml_document_get_root_node(doc), "pack"), "extends");
    if (!ext || ext->type != YAML_SCALAR_NODE) return NULL;
    char *found = fz_strdup((const char *)ext->data.scalar.value);
    if (!found) *oom = 1;
    *line = ext->start_mark.line + 1;
    *col = ext->start_mark.column + 1;
    return found;
}

/* The value of pack.extends in a file, and where it stands, read by
 * libyaml alone. A file that does not parse names nothing here: the
 * loader reports it. Returns a malloc'd string or NULL. */
static char *extends_of(const char *file, size_t *line, size_t *col) {
    struct stat st;
    if (stat(file, &st) != 0 || st.st_size > MAX_FILE) return NULL;
    FILE *f = fopen(file, "rb");
    if (!f) return NULL;
    yaml_parser_t p;
    yaml_document_t doc;
    char *found = NULL;
    if (!yaml_parser_initialize(&p)) {
        fclose(f);
        return NULL;
    }
    yaml_parser_set_input_file(&p, f);
    if (yaml_parser_load(&p, &doc)) {
        yaml_node_t *ext = map_get(&doc, map_get(&doc, yaml_document_get_root_node(&doc), "pack"), "extends");
        if (ext && ext->type == YAML_SCALAR_NODE) {
            found = fz_strdup((const char *)ext->data.scalar.value);
            *line = ext->start_mark.line + 1;
            *col = ext->start_mark.column + 1;
        }
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&p);
    fclose(f);
    return found;
}

/* Reads a file of the pack as the loader will (fz_yr_load) and finds
 * what it extends in the tree. A file that fz_yr_load refuses (an alias,
 * not UTF-8, too large, a syntax error) is looked into by libyaml alone,
 * as before the trees were kept, so that the chain found is the same
 * whatever the loader will say about the file. */
static char *read_and_extends(const char *file, fz_chain_file *r, size_t *line, size_t *col, int *oom) {
    fz_yr y = {.file = file};
    r->ok = fz_yr_load(&y, file, &r->doc) == 0;
    r->errors = y.errors;
    r->nerrors = y.nerrors;
    if (y.oom) *oom = 1;
    if (*oom) return NULL;
    return r->ok ? extends_in(&r->doc, line, col, oom) : extends_of(file, line, col);
}

/* The pack an `extends` names: "default", or a path relative to the file
 * that names it. */
static char *target_of(const char *file, const char *spec) {
    if (!strcmp(spec, "default")) return fz_chain_default_path();
    if (spec[0] == '/') return fz_strdup(spec);
    const char *slash = strrchr(file, '/');
    fz_buf b = {0};
    if ((slash && fz_buf_append(&b, file, (size_t)(slash - file + 1)) < 0) || fz_buf_puts(&b, spec) < 0) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

void fz_chain_file_free(fz_chain_file *f) {
    if (f->ok) yaml_document_delete(&f->doc);
    fz_buf_free(&f->errors);
    memset(f, 0, sizeof *f);
}

static void layer_free(fz_layer *l) {
    for (size_t i = 0; i < l->nfiles; i++) {
        free(l->files[i]);
        if (l->read) fz_chain_file_free(&l->read[i]);
    }
    free(l->read);
    free(l->files);
    free(l->path);
    memset(l, 0, sizeof *l);
}

int fz_chain_resolve(const char *path, fz_chain *c, fz_buf *errors, size_t *nerrors, int *oom) {
    memset(c, 0, sizeof *c);
    sink k = {errors, nerrors, oom};
    fz_layer got[FZ_CHAIN_MAX];
    char *real[FZ_CHAIN_MAX];
    size_t n = 0;
    int rc = 0;
    char *next = fz_strdup(path);
    if (!next) return *oom = 1, -1;
    while (next) {
        memset(&got[n], 0, sizeof got[n]);
        real[n] = realpath(next, NULL);
        if (list_files(&k, next, &got[n]) < 0) {
            free(real[n]);
            layer_free(&got[n]);
            rc = -1;
            free(next);
            break;
        }
        free(next);
        next = NULL;
        n++;
        /* which of its files extends, and what */
        if (!(got[n - 1].read = calloc(got[n - 1].nfiles, sizeof *got[n - 1].read))) {
            *oom = 1;
            rc = -1;
        }
        for (size_t i = 0; i < got[n - 1].nfiles && rc == 0; i++) {
            size_t line = 1, col = 1;
            char *spec = read_and_extends(got[n - 1].files[i], &got[n - 1].read[i], &line, &col, oom);
            if (*oom) rc = -1;
            if (!spec) continue;
            if (next) {
                problem(&k, got[n - 1].files[i], line, col, "一个规则包只能 extends 一个规则包");
                rc = -1;
            } else if (!(next = target_of(got[n - 1].files[i], spec))) {
                *oom = 1, rc = -1;
            } else {
                char *r = realpath(next, NULL);
                for (size_t j = 0; r && j < n; j++)
                    if (real[j] && !strcmp(real[j], r)) {
                        problem(&k, got[n - 1].files[i], line, col,
                                "extends 形成了循环：“%s”已在这条继承链中", spec);
                        rc = -1;
                    }
                free(r);
                if (rc == 0 && n == FZ_CHAIN_MAX) {
                    problem(&k, got[n - 1].files[i], line, col, "继承链过长（最多 %d 层）", FZ_CHAIN_MAX);
                    rc = -1;
                }
                if (rc == 0) {
                    struct stat st;
                    if (stat(next, &st) != 0) {
                        problem(&k, got[n - 1].files[i], line, col, "extends 的规则包“%s”不存在", spec);
                        rc = -1;
                    }
                }
            }
            free(spec);
        }
        if (rc < 0) {
            free(next);
            next = NULL;
        }
    }
    for (size_t i = 0; i < n; i++) free(real[i]);
    if (rc < 0 || *oom) {
        for (size_t i = 0; i < n; i++) layer_free(&got[i]);
        return -1;
    }
    c->v = calloc(n, sizeof *c->v);
    if (!c->v) {
        for (size_t i = 0; i < n; i++) layer_free(&got[i]);
        return *oom = 1, -1;
    }
    /* the base first */
    for (size_t i = 0; i < n; i++) c->v[i] = got[n - 1 - i];
    c->n = n;
    return 0;
}

void fz_chain_free(fz_chain *c) {
    for (size_t i = 0; i < c->n; i++) layer_free(&c->v[i]);
    free(c->v);
    memset(c, 0, sizeof *c);
}
