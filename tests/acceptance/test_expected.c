/*
 * Acceptance: runs the fzcheck binary on a folder of reports and compares
 * its JSON with the verdicts a careful reader gives them (expected.yaml
 * in that folder): every verdict, year and unit.
 *
 *   ../shared/seeds   five real reports (SEEDS)
 *   reports/          the sample reports written for this project
 *   tests/fixtures/variants  reworded, restructured, wrapped variants
 *   tests/fixtures/blind*    reports written by someone who had not seen
 *                            the rules, modelled on real published reports
 *                            (blind3-*: governments and departments of every
 *                            kind; blind4-*: further unit kinds, dates,
 *                            outdated names; blind5-*: the last round, with
 *                            .docx and .pdf saved by LibreOffice), with
 *                            their verdicts; a
 *                            verdict the checker deliberately reads
 *                            otherwise is kept as a DISPUTED comment
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "yamltree.h"

static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

static const char *basename_of(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static yaml_node_t *find_report(yaml_document_t *out, yaml_node_t *reports, const char *name) {
    for (size_t i = 0; i < yt_len(reports); i++) {
        yaml_node_t *r = yt_at(out, reports, i);
        const char *f = yt_str(yt_get(out, r, "file"));
        if (f && !strcmp(basename_of(f), name)) return r;
    }
    return NULL;
}

static const char *status_of(yaml_document_t *out, yaml_node_t *report, const char *id) {
    yaml_node_t *results = yt_get(out, report, "results");
    for (size_t i = 0; i < yt_len(results); i++) {
        yaml_node_t *r = yt_at(out, results, i);
        const char *rid = yt_str(yt_get(out, r, "id"));
        if (rid && !strcmp(rid, id)) return yt_str(yt_get(out, r, "status"));
    }
    return NULL;
}

/* Runs fzcheck on dir and checks every expectation in dir/expected.yaml. */
static void check_folder(const char *dir) {
    const char *bin = env_or("FZCHECK", "build/fzcheck");
    char json[] = "/tmp/fzaccept-XXXXXX";
    int fd = mkstemp(json);
    assert_true(fd >= 0);
    close(fd);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s check --rules rules --json %s %s > /dev/null", bin, json, dir);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    /* 0 or 1 (some report has a required gap); 2 would be a failure */
    if (WEXITSTATUS(rc) > 1) fail_msg("%s exited with %d", cmd, WEXITSTATUS(rc));

    yaml_document_t out, exp;
    assert_int_equal(yt_load(json, &out), 0);
    unlink(json);
    char exp_path[1024];
    snprintf(exp_path, sizeof exp_path, "%s/expected.yaml", dir);
    if (yt_load(exp_path, &exp) != 0) fail_msg("cannot read %s", exp_path);

    yaml_node_t *reports = yt_get(&out, yaml_document_get_root_node(&out), "reports");
    yaml_node_t *files = yaml_document_get_root_node(&exp);
    size_t verdicts = 0, wrong = 0, fields = 0, wrong_fields = 0;
    for (size_t i = 0; i < yt_len(files); i++) {
        const char *name = yt_str(yt_key_at(&exp, files, i));
        yaml_node_t *e = yt_value_at(&exp, files, i);
        yaml_node_t *r = find_report(&out, reports, name);
        if (!r) fail_msg("%s: not in fzcheck's output", name);
        if (!yt_null(yt_get(&out, r, "error")))
            fail_msg("%s: %s", name, yt_str(yt_get(&out, r, "error")));
        yaml_node_t *year = yt_get(&exp, e, "year");
        if (year) {
            const char *want = yt_str(year), *got = yt_str(yt_get(&out, r, "year"));
            fields++;
            if (!got || strcmp(want, got)) {
                print_error("%s: year %s, expected %s\n", name, got ? got : "null", want);
                wrong_fields++;
            }
        }
        yaml_node_t *unit = yt_get(&exp, e, "unit");
        if (unit && !yt_null(unit)) {
            const char *got = yt_str(yt_get(&out, r, "unit"));
            fields++;
            if (yt_null(yt_get(&out, r, "unit")) || !strstr(got, yt_str(unit))) {
                print_error("%s: unit %s, expected one containing %s\n", name,
                            got ? got : "null", yt_str(unit));
                wrong_fields++;
            }
        } else if (unit) { /* null: the report does not say, and none is made up */
            fields++;
            if (!yt_null(yt_get(&out, r, "unit"))) {
                print_error("%s: unit %s, expected none\n", name, yt_str(yt_get(&out, r, "unit")));
                wrong_fields++;
            }
        }
        /* unit_type and unit_source: exactly, null included */
        static const char *const exact[] = {"unit_type", "unit_source"};
        for (size_t k = 0; k < 2; k++) {
            yaml_node_t *want = yt_get(&exp, e, exact[k]);
            if (!want) continue;
            yaml_node_t *got = yt_get(&out, r, exact[k]);
            fields++;
            int same = yt_null(want) ? yt_null(got)
                                     : !yt_null(got) && !strcmp(yt_str(want), yt_str(got));
            if (!same) {
                print_error("%s: %s %s, expected %s\n", name, exact[k],
                            yt_null(got) ? "null" : yt_str(got), yt_null(want) ? "null" : yt_str(want));
                wrong_fields++;
            }
        }
        yaml_node_t *expect = yt_get(&exp, e, "expect");
        for (size_t k = 0; k < yt_len(expect); k++) {
            const char *id = yt_str(yt_key_at(&exp, expect, k));
            const char *want = yt_str(yt_value_at(&exp, expect, k));
            const char *got = status_of(&out, r, id);
            verdicts++;
            if (!got || strcmp(got, want)) {
                print_error("%s: %s is %s, expected %s\n", name, id, got ? got : "missing", want);
                wrong++;
            }
        }
    }
    print_message("%s: %zu of %zu verdicts, %zu of %zu years and units as expected\n", dir,
                  verdicts - wrong, verdicts, fields - wrong_fields, fields);
    yaml_document_delete(&out);
    yaml_document_delete(&exp);
    assert_true(verdicts > 0);
    assert_int_equal(wrong, 0);
    assert_int_equal(wrong_fields, 0);
}

static void seeds(void **state) {
    (void)state;
    const char *dir = env_or("SEEDS", "../shared/seeds");
    if (access(dir, R_OK) != 0) {
        /* a clone of the repository alone has no shared reports: say so,
         * and do not count the test as run */
        print_message("SKIPPED: the real reports (%s) are not beside this clone; "
                      "set SEEDS=... to run this test\n", dir);
        skip();
    }
    check_folder(dir);
}

static void samples(void **state) {
    (void)state;
    check_folder("reports");
}

static void variants(void **state) {
    (void)state;
    check_folder("tests/fixtures/variants");
}

/* The same reports as .docx, .pdf, .ofd, GB18030 and UTF-16LE. */
static void formats(void **state) {
    (void)state;
    check_folder("tests/fixtures/formats");
}

/* Who wrote each report, and the duties its type carries. */
static void units(void **state) {
    (void)state;
    check_folder("tests/fixtures/units");
}

static void blind(void **state) {
    (void)state;
    check_folder("tests/fixtures/blind");
    check_folder("tests/fixtures/blind2");
    check_folder("tests/fixtures/blind3-gov");
    check_folder("tests/fixtures/blind3-dept");
    check_folder("tests/fixtures/blind4-c");
    check_folder("tests/fixtures/blind4-d");
    check_folder("tests/fixtures/blind5-e");
    check_folder("tests/fixtures/blind5-f");
    check_folder("tests/fixtures/blind7-g");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seeds),
        cmocka_unit_test(samples),
        cmocka_unit_test(variants),
        cmocka_unit_test(blind),
        cmocka_unit_test(units),
        cmocka_unit_test(formats),
    };
    return cmocka_run_group_tests_name("acceptance", tests, NULL, NULL);
}
