/* Stage 7, the HTML page (output_html.c): escaping, marks that overlap
 * without crossing, spans clamped to characters, and time linear in the
 * text and the marks. */
#include "helpers.h"

#include <ctype.h>
#include <time.h>

#include "output.h"
#include "utf8.h"

static const char *pack_yaml =
    "pack: {name: 测试<包>, version: \"1&2\"}\n"
    "scoring: {partial: 0.5, required_fail_grade: 不合格}\n"
    "grades: [{name: 优秀, min: 90}, {name: 合格, min: 60}, {name: 不合格, min: 0}]\n"
    "rules:\n"
    "  - {id: a, title: 甲<b>, category: 法定, severity: required, points: 10, basis: b, message: m,\n"
    "     suggestion: s, check: {kind: presence, any: [甲]}}\n"
    "  - {id: b-1, title: t, category: 法定, severity: recommended, points: 10, basis: b, message: m,\n"
    "     suggestion: s, check: {kind: presence, all: [乙, 丙]}}\n"
    "  - {id: c, title: t, category: 其他, severity: info, points: 20, basis: b, message: m,\n"
    "     suggestion: s, check: {kind: presence, any: [丁]}}\n";

PACK_FIXTURE(pack_yaml)

/* The tags a page may hold: anything else is markup that leaked from
 * a report. */
static const char *const allowed[] = {
    "html", "head", "meta", "title", "style", "body", "main", "nav", "a", "header", "p", "h1",
    "h2", "div", "span", "strong", "b", "dl", "dt", "dd", "section", "table", "thead", "tbody",
    "tr", "th", "td", "ul", "li", "mark", NULL};

static int is_allowed(const char *name) {
    for (size_t i = 0; allowed[i]; i++)
        if (!strcmp(allowed[i], name)) return 1;
    return 0;
}

/* Checks that page is well formed: every tag allowed, every element
 * closed in order (meta is void), attribute values quoted, no "on…"
 * attribute. Counts the <mark> elements with an id. */
static void assert_well_formed(const char *page, size_t *marks_with_id) {
    char stack[256][16];
    size_t depth = 0;
    *marks_with_id = 0;
    assert_true(fz_utf8_valid(page, strlen(page)));
    assert_true(!strncmp(page, "<!DOCTYPE html>", 15));
    const char *p = page + 15;
    while ((p = strchr(p, '<'))) {
        p++;
        int end = *p == '/';
        if (end) p++;
        char name[16];
        size_t n = 0;
        while (isalnum((unsigned char)*p) && n < sizeof name - 1) name[n++] = (char)tolower(*p++);
        name[n] = '\0';
        if (!is_allowed(name)) fail_msg("tag <%s%s> at byte %zu", end ? "/" : "", name, (size_t)(p - page));
        /* the attributes: name="value" … up to '>' */
        int id = 0;
        while (*p && *p != '>') {
            if (*p == ' ') {
                p++;
                const char *a = p;
                while (*p && *p != '=' && *p != ' ' && *p != '>') p++;
                if (p - a >= 2 && tolower((unsigned char)a[0]) == 'o' && tolower((unsigned char)a[1]) == 'n')
                    fail_msg("event attribute at byte %zu", (size_t)(a - page));
                if (!strncmp(a, "id=", 3)) id = 1;
                if (*p == '=') {
                    p++;
                    assert_int_equal(*p, '"');
                    const char *q = strchr(p + 1, '"');
                    assert_non_null(q);
                    assert_null(memchr(p + 1, '<', (size_t)(q - p - 1)));
                    p = q + 1;
                }
            } else {
                assert_true(*p == '/' && p[1] == '>');
                p++;
            }
        }
        assert_int_equal(*p, '>');
        if (end) {
            assert_true(depth > 0);
            if (strcmp(stack[depth - 1], name)) fail_msg("</%s> closes <%s>", name, stack[depth - 1]);
            depth--;
        } else if (strcmp(name, "meta")) {
            assert_true(depth < 256);
            strcpy(stack[depth++], name);
            if (!strcmp(name, "mark") && id) (*marks_with_id)++;
            if (!strcmp(name, "style")) {
                const char *close = strstr(p, "</style>");
                assert_non_null(close);
                assert_null(memchr(p, '<', (size_t)(close - p)));
                p = close;
            }
        }
    }
    assert_int_equal(depth, 0);
}

static char *page_of(const fz_report *r) {
    char *err = NULL;
    char *page = fz_html_page(&pack, r, "index.html", &err);
    if (!page) fail_msg("fz_html_page: %s", err ? err : "?");
    return page;
}

static void hostile_text_is_escaped(void **state) {
    (void)state;
    fz_report r;
    report_of(&pack,
              "<script>alert(1)</script>甲单位\"><img src=x onerror=alert(1)>2023年报告\n"
              "一、主要工作\n甲乙丙丁 &amp; 'x' <b>粗</b>\x01\x1b\x7f。\n",
              &r);
    free(r.file);
    r.file = fz_strdup("\"><img src=x onerror=alert(1)>\x1b.txt");
    char *page = page_of(&r);
    size_t marks;
    assert_well_formed(page, &marks);
    assert_true(marks >= 3);
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "<img"));
    /* (the report's text is normalized: its ( ) become （ ）) */
    assert_non_null(strstr(page, "&lt;script&gt;alert"));
    assert_non_null(strstr(page, "&lt;/script&gt;甲单位&quot;&gt;&lt;img src=x onerror=alert"));
    assert_non_null(strstr(page, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\xE2\x90\x9B.txt"));
    assert_non_null(strstr(page, "&amp;amp;"));
    assert_non_null(strstr(page, "&#39;x&#39;"));
    assert_non_null(strstr(page, "测试&lt;包&gt; 1&amp;2"));
    assert_non_null(strstr(page, "甲&lt;b&gt;"));
    assert_non_null(strstr(page, "default-src 'none'"));
    free(page);
    fz_report_free(&r);
}

/* A report whose first result holds n evidence passages laid over one
 * long paragraph: overlapping, nested, mid-character, past the end. */
static void long_report(fz_report *r, size_t chars, size_t n) {
    fz_buf t = {0};
    assert_int_equal(fz_buf_puts(&t, "某局2023年报告\n一、主要工作\n"), 0);
    for (size_t i = 0; i < chars; i++) assert_int_equal(fz_buf_puts(&t, i % 7 ? "法" : "<"), 0);
    assert_int_equal(fz_buf_puts(&t, "甲乙丙丁。\n"), 0);
    report_of(&pack, t.ptr, r);
    fz_buf_free(&t);
    size_t para = FZ_NONE;
    for (size_t p = 0; p < r->doc.norm.n; p++)
        if (r->doc.norm.paras[p].len > chars) para = p;
    assert_true(para != FZ_NONE);
    size_t len = r->doc.norm.paras[para].len;
    fz_result *res = &r->results[0];
    for (size_t e = 0; e < res->nevidence; e++) {
        free(res->evidence[e].section);
        free(res->evidence[e].text);
    }
    free(res->evidence);
    res->evidence = calloc(n, sizeof *res->evidence);
    assert_non_null(res->evidence);
    res->nevidence = n;
    for (size_t e = 0; e < n; e++) {
        fz_evidence *ev = &res->evidence[e];
        ev->line = 3;
        ev->sec = FZ_NONE;
        ev->para = para;
        size_t a = (e * 7919) % len, w = 1 + (e * 104729) % (len / 4);
        switch (e % 5) {
        case 0: ev->start = a; ev->end = a + w; break;          /* may run past the end */
        case 1: ev->start = a + 1; ev->end = a + 2; break;      /* inside a character */
        case 2: ev->start = a + w; ev->end = a; break;          /* reversed */
        case 3: ev->start = 0; ev->end = len; break;            /* the whole paragraph */
        default: ev->start = a; ev->end = a; break;             /* empty */
        }
    }
    /* and one in no paragraph at all: listed, not marked */
    res->evidence[n - 1].para = r->doc.norm.n + 5;
}

static void many_overlapping_marks_nest_and_stay_linear(void **state) {
    (void)state;
    fz_report r;
    long_report(&r, 50000, 1000);
    clock_t t0 = clock();
    char *page = page_of(&r);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    size_t marks;
    assert_well_formed(page, &marks);
    /* every passage but the one in no paragraph, and the other rules' */
    size_t others = 0;
    for (size_t i = 1; i < r.nresults; i++) others += r.results[i].nevidence;
    assert_int_equal(marks, 999 + others);
    /* the paragraph's bytes, a tag per segment and per passage: linear */
    size_t len = strlen(page);
    if (len > 4 * 150000 + 1000 * 400 + 200000) fail_msg("page of %zu bytes", len);
    if (secs > 1.0) fail_msg("fz_html_page took %.2f s", secs);
    free(page);
    fz_report_free(&r);
}

static void marks_hold_whole_characters(void **state) {
    (void)state;
    fz_report r;
    long_report(&r, 200, 10);
    char *page = page_of(&r);
    /* every mark's text starts on a character: never a continuation byte */
    for (const char *p = page; (p = strstr(p, "<mark")); p++) {
        const char *gt = strchr(p, '>');
        assert_non_null(gt);
        unsigned char c = (unsigned char)gt[1];
        assert_true((c & 0xC0) != 0x80);
    }
    assert_true(fz_utf8_valid(page, strlen(page)));
    free(page);
    fz_report_free(&r);
}

static void an_unreadable_report_shows_its_error_and_no_verdicts(void **state) {
    (void)state;
    fz_report r;
    memset(&r, 0, sizeof r);
    r.unit_type = FZ_NO_ROLE;
    r.file = fz_strdup("坏<文件>.docx");
    r.error = fz_strdup("文件已损坏 <无法读取>");
    char *page = page_of(&r);
    size_t marks;
    assert_well_formed(page, &marks);
    assert_int_equal(marks, 0);
    assert_non_null(strstr(page, "id=\"error\""));
    assert_non_null(strstr(page, "文件已损坏 &lt;无法读取&gt;"));
    assert_null(strstr(page, "id=\"score\""));
    assert_null(strstr(page, "<table"));
    free(page);
    fz_report_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_text_is_escaped),
        cmocka_unit_test(many_overlapping_marks_nest_and_stay_linear),
        cmocka_unit_test(marks_hold_whole_characters),
        cmocka_unit_test(an_unreadable_report_shows_its_error_and_no_verdicts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
