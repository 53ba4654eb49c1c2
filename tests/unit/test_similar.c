/*
 * Pairs of similar reports in a batch (similar.c), from fingerprints
 * built here by hand: sentences found in many reports are boilerplate,
 * a pair needs enough shared sentences, its passages are the runs of
 * shared sentences in order, and a garbled fingerprint is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "similar.h"

typedef struct {
    uint64_t h, para;
    const char *text;
} sentence;

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void put_u64(fz_buf *b, uint64_t v) {
    assert_int_equal(fz_buf_append(b, (const char *)&v, sizeof v), 0);
}

/* A FZ_FP_SIMILAR fingerprint (previous.h): the sorted distinct hashes,
 * then each sentence as hash, paragraph and text. */
static fz_buf fingerprint(const sentence *s, size_t n) {
    fz_buf b = {0};
    uint64_t *h = calloc(n + 1, sizeof *h);
    assert_non_null(h);
    size_t u = 0;
    for (size_t i = 0; i < n; i++) h[i] = s[i].h;
    qsort(h, n, sizeof *h, cmp_u64);
    for (size_t i = 0; i < n; i++)
        if (!u || h[u - 1] != h[i]) h[u++] = h[i];
    put_u64(&b, u);
    for (size_t i = 0; i < u; i++) put_u64(&b, h[i]);
    put_u64(&b, n);
    for (size_t i = 0; i < n; i++) {
        put_u64(&b, s[i].h);
        put_u64(&b, s[i].para);
        put_u64(&b, strlen(s[i].text));
        assert_int_equal(fz_buf_append(&b, s[i].text, strlen(s[i].text)), 0);
    }
    free(h);
    return b;
}

static const fz_similar_opts defaults = {0.2, 3, 50, 3, 0.3};

static void add(fz_similar *s, size_t i, const sentence *v, size_t n) {
    fz_buf b = fingerprint(v, n);
    assert_int_equal(fz_similar_add(s, i, &b), 0);
    fz_buf_free(&b);
}

static void a_copied_part_pairs_two_reports_and_is_quoted(void **state) {
    (void)state;
    const sentence r0[] = {{1, 0, "套话。"}, {10, 1, "甲。"}, {11, 1, "乙。"}, {99, 2, "独有。"},
                           {12, 3, "丙。"}, {13, 4, "丁。"}};
    const sentence r1[] = {{1, 0, "套话。"}, {12, 0, "丙。"}, {10, 1, "甲。"}, {11, 1, "乙。"},
                           {13, 2, "丁。"}};
    const sentence r2[] = {{1, 0, "套话。"}, {20, 0, "戊。"}, {21, 0, "己。"}};
    const sentence r3[] = {{1, 0, "套话。"}, {20, 0, "戊。"}, {30, 0, "庚。"}};
    fz_similar s = {0};
    add(&s, 0, r0, 6);
    add(&s, 1, r1, 5);
    /* report 2 could not be read: it adds nothing */
    fz_buf empty = {0};
    assert_int_equal(fz_similar_add(&s, 2, &empty), 0);
    add(&s, 3, r2, 3);
    add(&s, 4, r3, 3);
    fz_sim_result out;
    assert_int_equal(fz_similar_pairs(&s, &defaults, &out), 0);
    assert_int_equal(out.reports, 5);
    assert_int_equal(out.boilerplate, 1); /* 套话, in 4 of 5 */
    assert_int_equal(out.npairs, 1);      /* 3 and 4 share one sentence only */
    const fz_sim_pair *p = &out.pairs[0];
    assert_int_equal(p->a, 0);
    assert_int_equal(p->b, 1);
    assert_int_equal(p->shared, 4);
    assert_true(p->share == 1.0); /* all of report 1's, the shorter */
    /* in report 0's order; the break between paragraphs kept */
    assert_int_equal(p->npassages, 2);
    assert_string_equal(p->passages[0], "甲。乙。");
    assert_string_equal(p->passages[1], "丙。\n丁。");
    fz_sim_result_free(&out);
    fz_similar_free(&s);
}

static void the_pack_decides_what_is_boilerplate_and_a_pair(void **state) {
    (void)state;
    /* 51 reports sharing one sentence, and each two of its own */
    fz_similar s = {0};
    for (size_t i = 0; i < 51; i++) {
        const sentence v[] = {{7, 0, "共有。"}, {100 + i, 0, "一。"}, {1000 + i, 0, "二。"}};
        add(&s, i, v, 3);
    }
    const fz_similar_opts any_share = {1.0, 3, 50, 1, 0};
    fz_sim_result out;
    assert_int_equal(fz_similar_pairs(&s, &any_share, &out), 0);
    assert_int_equal(out.boilerplate, 1); /* in more than 50 reports */
    assert_int_equal(out.npairs, 0);
    fz_sim_result_free(&out);
    const fz_similar_opts no_max = {1.0, 3, 60, 1, 0};
    assert_int_equal(fz_similar_pairs(&s, &no_max, &out), 0);
    assert_int_equal(out.boilerplate, 0);
    assert_int_equal(out.npairs, 51 * 50 / 2);
    assert_int_equal(out.pairs[0].npassages, 1);
    assert_string_equal(out.pairs[0].passages[0], "共有。");
    fz_sim_result_free(&out);
    const fz_similar_opts two_needed = {1.0, 3, 60, 2, 0};
    assert_int_equal(fz_similar_pairs(&s, &two_needed, &out), 0);
    assert_int_equal(out.npairs, 0);
    fz_sim_result_free(&out);
    fz_similar_free(&s);
}

static void garbled_or_out_of_order_fingerprints_are_refused(void **state) {
    (void)state;
    fz_similar s = {0};
    const sentence v[] = {{1, 0, "甲。"}};
    add(&s, 3, v, 1);
    fz_buf b = fingerprint(v, 1);
    assert_int_equal(fz_similar_add(&s, 2, &b), -1); /* before the last added */
    fz_buf_free(&b);
    fz_buf lying = {0};
    put_u64(&lying, 1000); /* 1,000 hashes in 8 bytes */
    put_u64(&lying, 5);
    assert_int_equal(fz_similar_add(&s, 4, &lying), -1);
    fz_buf_free(&lying);
    fz_similar_free(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_copied_part_pairs_two_reports_and_is_quoted),
        cmocka_unit_test(the_pack_decides_what_is_boilerplate_and_a_pair),
        cmocka_unit_test(garbled_or_out_of_order_fingerprints_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
