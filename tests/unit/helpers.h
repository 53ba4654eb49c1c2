/*
 * helpers.h - shared by the unit tests: load a document or a rule pack
 * from inline text, run the engine, find a result.
 */
#ifndef FZ_TEST_HELPERS_H
#define FZ_TEST_HELPERS_H

#define _DEFAULT_SOURCE /* mkstemps */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine.h"
#include "rules.h"
#include "score.h"
#include "segment.h"

static inline fz_doc doc_of(const char *text) {
    fz_doc d;
    char *err = NULL;
    int rc = fz_doc_load_memory(text, strlen(text), &d, &err);
    if (rc != 0) fail_msg("fz_doc_load_memory: %s", err ? err : "?");
    return d;
}

/* The document of text as if read from a file called name: the file name
 * can give the unit and the year. */
static inline fz_doc doc_of_file(const char *text, const char *name) {
    fz_text t = {0};
    fz_norm n;
    fz_doc d;
    char *err = NULL;
    t.data = (char *)text;
    t.len = strlen(text);
    if (fz_normalize(&t, &n, &err) != 0) fail_msg("fz_normalize: %s", err ? err : "?");
    if (fz_segment(&n, name, &d, &err) != 0) fail_msg("fz_segment: %s", err ? err : "?");
    return d;
}

/* Writes content to a fresh temporary file ending in suffix; returns its
 * malloc'd path. */
static inline char *temp_file(const char *content, size_t len, const char *suffix) {
    char *path = malloc(64);
    assert_non_null(path);
    snprintf(path, 64, "/tmp/fztest-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, len), (ssize_t)len);
    close(fd);
    return path;
}

/* Loads a pack from YAML text. Returns the loader's status; *errors gets
 * the messages with the temporary path replaced by "rules.yaml". */
static inline int pack_of(const char *yaml, fz_pack *p, char **errors) {
    char *path = temp_file(yaml, strlen(yaml), ".yaml");
    char *raw = NULL;
    int rc = fz_pack_load(path, p, &raw);
    if (errors) {
        *errors = NULL;
        if (raw) {
            /* replace every occurrence of the temp path with rules.yaml */
            size_t pl = strlen(path), cap = strlen(raw) + 1;
            char *out = malloc(cap), *o = out;
            assert_non_null(out);
            for (const char *s = raw; *s;) {
                if (!strncmp(s, path, pl)) {
                    memcpy(o, "rules.yaml", 10);
                    o += 10;
                    s += pl;
                } else {
                    *o++ = *s++;
                }
            }
            *o = '\0';
            *errors = out;
        }
    }
    free(raw);
    unlink(path);
    free(path);
    return rc;
}

/* A group setup: loads the pack or prints why not. */
static inline int pack_setup(const char *yaml, fz_pack *p) {
    char *errs = NULL;
    int rc = pack_of(yaml, p, &errs);
    if (rc) print_error("%s", errs);
    free(errs);
    return rc;
}

/* A group's pack: `static fz_pack pack` with setup and teardown that load
 * it from the YAML text and free it. */
#define PACK_FIXTURE(yaml)                   \
    static fz_pack pack;                     \
    static int setup(void **state) {         \
        (void)state;                         \
        return pack_setup(yaml, &pack);      \
    }                                        \
    static int teardown(void **state) {      \
        (void)state;                         \
        fz_pack_free(&pack);                 \
        return 0;                            \
    }

static inline void report_of(const fz_pack *p, const char *text, fz_report *r) {
    fz_doc d = doc_of(text);
    char *err = NULL;
    memset(r, 0, sizeof *r);
    assert_int_equal(fz_engine_check(p, &d, r, &err), 0);
    fz_score_report(p, r);
}

static inline const fz_result *result_of(const fz_report *r, const char *id) {
    for (size_t i = 0; i < r->nresults; i++)
        if (!strcmp(r->results[i].rule->id, id)) return &r->results[i];
    fail_msg("no result for rule %s", id);
    return NULL;
}

/* Status of rule id for text under pack p. */
static inline fz_status status_of(const fz_pack *p, const char *text, const char *id) {
    fz_report r;
    report_of(p, text, &r);
    fz_status s = result_of(&r, id)->status;
    fz_report_free(&r);
    return s;
}

#endif
