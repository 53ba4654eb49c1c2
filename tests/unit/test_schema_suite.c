/*
 * The official JSON-Schema-Test-Suite (Debian's json-schema-test-suite,
 * tests/draft7/NAME.json, read with libyaml) through the C validator: one
 * cmocka test per keyword file. Left out, with the reason printed:
 * refRemote.json and cases whose $ref points outside the document (they
 * need a server or the meta-schema over the network), optional/ (bignum,
 * ECMAScript regex details, content) and optional/format/ (format is not
 * implemented: the rule pack does not use it).
 */
#include "helpers.h"

#include <dirent.h>

#include "jsonv.h"
#include "utf8.h"
#include "schema.h"

#ifndef SUITE_DIR
#define SUITE_DIR "/usr/share/json-schema-test-suite/tests/draft7"
#endif

#ifndef META_SCHEMA
#define META_SCHEMA "/usr/lib/python3/dist-packages/jsonschema/schemas/draft7.json"
#endif

static size_t total_run, total_skipped;
static fz_jv meta;       /* the draft-07 meta-schema, when available */
static int have_meta;

static int hexval(const char *h) {
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = h[i];
        int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* JSON is read as YAML, which refuses surrogate escapes: a pair such as
 * \uD83D\uDCA9 is written out as the UTF-8 character first. */
static void join_surrogates(char *s, size_t *len) {
    size_t w = 0;
    for (size_t r = 0; r < *len;) {
        if (r + 12 <= *len && s[r] == '\\' && s[r + 1] == 'u' && s[r + 6] == '\\' && s[r + 7] == 'u') {
            int hi = hexval(s + r + 2), lo = hexval(s + r + 8);
            if (hi >= 0xD800 && hi <= 0xDBFF && lo >= 0xDC00 && lo <= 0xDFFF) {
                uint32_t cp = 0x10000 + (((uint32_t)hi - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                w += (size_t)fz_utf8_encode(cp, s + w);
                r += 12;
                continue;
            }
        }
        s[w++] = s[r++];
    }
    *len = w;
}

static int load_json(const char *path, fz_jv *out) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    join_surrogates(buf, &len);
    yaml_parser_t p;
    yaml_document_t doc;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    int ok = yaml_parser_load(&p, &doc);
    yaml_parser_delete(&p);
    if (!ok) return -1;
    int rc = fz_jv_from_yaml(&doc, NULL, out);
    yaml_document_delete(&doc);
    return rc;
}

static void run_file(void **state) {
    const char *name = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SUITE_DIR, name);
    fz_jv groups;
    if (load_json(path, &groups) != 0) fail_msg("cannot read %s", path);
    size_t run = 0, skipped = 0, failed = 0;
    for (size_t g = 0; g < groups.n; g++) {
        const fz_jv *group = &groups.items[g];
        const fz_jv *schema = fz_jv_get(group, "schema");
        const fz_jv *tests = fz_jv_get(group, "tests");
        fz_schema *s = fz_schema_new(schema);
        assert_non_null(s);
        for (size_t t = 0; t < tests->n; t++) {
            const fz_jv *tc = &tests->items[t];
            fz_schema *fresh = fz_schema_new(schema); /* a clean "unresolved" flag */
            assert_non_null(fresh);
            if (have_meta) assert_int_equal(fz_schema_add(fresh, &meta), 0);
            long errors = fz_schema_validate(fresh, fz_jv_get(tc, "data"), "data", NULL);
            assert_true(errors >= 0);
            int want = fz_jv_get(tc, "valid")->boolean;
            if (fz_schema_unresolved(fresh)) {
                skipped++;
            } else if ((errors == 0) != want) {
                failed++;
                print_error("%s: %s / %s: expected %s\n", name,
                            fz_jv_get(group, "description")->str,
                            fz_jv_get(tc, "description")->str, want ? "valid" : "invalid");
            } else {
                run++;
            }
            fz_schema_free(fresh);
        }
        fz_schema_free(s);
    }
    fz_jv_free(&groups);
    total_run += run;
    total_skipped += skipped;
    if (skipped)
        print_message("%s: %zu cases pass, %zu left out (a $ref outside the document)\n", name,
                      run, skipped);
    assert_int_equal(failed, 0);
    assert_true(run + skipped > 0);
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
    DIR *d = opendir(SUITE_DIR);
    if (!d) {
        fprintf(stderr, "JSON-Schema-Test-Suite not found at %s (Debian package json-schema-test-suite)\n",
                SUITE_DIR);
        return 1;
    }
    char *names[128];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 128) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json")) continue;
        if (!strcmp(e->d_name, "refRemote.json")) continue;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    /* references to the meta-schema resolve to a local copy (from Debian's
     * python3-jsonschema) rather than over the network */
    have_meta = load_json(META_SCHEMA, &meta) == 0;
    if (!have_meta) printf("meta-schema not found at %s: cases that use it are left out\n", META_SCHEMA);
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){names[i], run_file, NULL, NULL, names[i]};
    printf("left out: refRemote.json (remote references need a server), optional/ and "
           "optional/format/ (optional features; format is not implemented)\n");
    int rc = _cmocka_run_group_tests("json-schema-test-suite draft7", tests, n, NULL, NULL);
    printf("json-schema-test-suite: %zu cases passed, %zu left out (remote $ref)\n", total_run,
           total_skipped);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(tests);
    if (have_meta) fz_jv_free(&meta);
    return rc;
}
