/* Stage 1: bytes to UTF-8 text. */
#include "helpers.h"
#include "read.h"
#include "util.h"

static void reads_plain_utf8(void **state) {
    (void)state;
    fz_text t;
    char *err = NULL;
    const char *in = "一、总体情况\n正文。";
    assert_int_equal(fz_read_memory(in, strlen(in), "a.txt", &t, &err), 0);
    assert_string_equal(t.data, "一、总体情况\n正文。");
    assert_string_equal(t.encoding, "UTF-8");
    assert_string_equal(t.format, "txt");
    fz_text_free(&t);
}

static void strips_bom_and_converts_crlf(void **state) {
    (void)state;
    const char in[] = "\xEF\xBB\xBF第一行\r\n第二行\r第三行\r\n";
    fz_text t;
    char *err = NULL;
    assert_int_equal(fz_read_memory(in, sizeof in - 1, "x.md", &t, &err), 0);
    assert_string_equal(t.data, "第一行\n第二行\n第三行\n");
    assert_string_equal(t.encoding, "UTF-8 BOM");
    assert_string_equal(t.format, "md");
    fz_text_free(&t);
}

static void refuses_empty_binary_and_other_encodings(void **state) {
    (void)state;
    struct { const char *bytes; size_t n; const char *msg; } cases[] = {
        {"", 0, "文件为空"},
        {" \n\t\r\n\xE3\x80\x80", 8, "文件为空"},
        {"abc\0def", 7, "不是文本文件"},
        {"\x80\x80\xFF\x80", 4, "无法识别文字编码"}, /* neither UTF-8 nor GB18030 */
        {"\xFF\xFE\x00\xD8", 4, "UTF-16 文本有误"},    /* a lone surrogate */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fz_text t;
        char *err = NULL;
        assert_int_equal(fz_read_memory(cases[i].bytes, cases[i].n, "r.txt", &t, &err), -1);
        assert_non_null(err);
        assert_non_null(strstr(err, cases[i].msg));
        free(err);
    }
}

static void decodes_gb18030_and_utf16(void **state) {
    (void)state;
    struct { const char *bytes; size_t n; const char *enc; } cases[] = {
        {"\xB5\xDA\xD2\xBB\xB2\xBF\xB7\xD6\r\n", 10, "GB18030"},   /* 第一部分 in GBK */
        {"\xFF\xFE\x2C\x7B\x00\x4E\xE8\x90\x06\x52\x0D\x00\x0A\x00", 14, "UTF-16LE"},
        {"\xFE\xFF\x7B\x2C\x4E\x00\x90\xE8\x52\x06", 10, "UTF-16BE"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fz_text t;
        char *err = NULL;
        if (fz_read_memory(cases[i].bytes, cases[i].n, "r.txt", &t, &err) != 0) fail_msg("%s", err);
        assert_string_equal(t.encoding, cases[i].enc);
        assert_non_null(strstr(t.data, "第一部分"));
        fz_text_free(&t);
    }
}

/* A three-page PDF whose pages open with the same running header and end
 * with a page number: both go, the body stays, each line knows its page. */
static void pdf_drops_running_headers(void **state) {
    (void)state;
    fz_buf pdf = {0};
    fz_buf_puts(&pdf, "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                      "2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >> endobj\n");
    for (int i = 0; i < 3; i++)
        fz_buf_printf(&pdf, "%d 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                            "/Resources << /Font << /F1 9 0 R >> >> /Contents %d 0 R >> endobj\n",
                      3 + i, 6 + i);
    for (int i = 0; i < 3; i++) {
        char content[256];
        int n = snprintf(content, sizeof content,
                         "BT /F1 12 Tf 72 800 Td (County Bureau Annual Report) Tj ET "
                         "BT /F1 12 Tf 72 700 Td (Body text of page %d.) Tj ET "
                         "BT /F1 12 Tf 280 40 Td (- %d -) Tj ET", i + 1, i + 1);
        fz_buf_printf(&pdf, "%d 0 obj << /Length %d >> stream\n%s\nendstream endobj\n", 6 + i, n,
                      content);
    }
    fz_buf_puts(&pdf, "9 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
                      "trailer << /Root 1 0 R >>\n%%EOF\n");
    fz_text t;
    char *err = NULL;
    if (fz_read_memory(pdf.ptr, pdf.len, "r.pdf", &t, &err) != 0) fail_msg("%s", err);
    fz_buf_free(&pdf);
    assert_string_equal(t.format, "pdf");
    assert_int_equal(t.loc, FZ_LOC_PAGE);
    assert_null(strstr(t.data, "County Bureau"));
    assert_null(strstr(t.data, "- 2 -"));
    const char *p3 = strstr(t.data, "Body text of page 3.");
    assert_non_null(p3);
    size_t line = 1;
    for (const char *c = t.data; c < p3; c++) line += *c == '\n';
    assert_true(line <= t.nlines);
    assert_int_equal(t.line_page[line - 1], 3);
    fz_text_free(&t);
}

static void reports_missing_file_and_directory(void **state) {
    (void)state;
    fz_text t;
    char *err = NULL;
    assert_int_equal(fz_read_file("/nonexistent/报告.txt", &t, &err), -1);
    assert_non_null(strstr(err, "文件不存在"));
    free(err);
    err = NULL;
    assert_int_equal(fz_read_file("/tmp", &t, &err), -1);
    assert_non_null(strstr(err, "目录"));
    free(err);
}

static void reads_a_file(void **state) {
    (void)state;
    char *path = temp_file("标题\r\n正文。\r\n", 19, ".txt");
    fz_text t;
    char *err = NULL;
    assert_int_equal(fz_read_file(path, &t, &err), 0);
    assert_string_equal(t.data, "标题\n正文。\n");
    fz_text_free(&t);
    unlink(path);
    free(path);
}

static void knows_supported_extensions(void **state) {
    (void)state;
    assert_true(fz_read_supported("a/b/报告.txt"));
    assert_true(fz_read_supported("x.MD"));
    assert_true(fz_read_supported("x.docx"));
    assert_true(fz_read_supported("x.PDF"));
    assert_true(fz_read_supported("x.ofd"));
    assert_true(fz_read_supported("x.docm"));
    /* old Word files are taken from folders so that they are reported */
    assert_true(fz_read_supported("x.doc"));
    assert_false(fz_read_supported("x.xlsx"));
    assert_false(fz_read_supported("dir.txt/noext"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_plain_utf8),
        cmocka_unit_test(strips_bom_and_converts_crlf),
        cmocka_unit_test(refuses_empty_binary_and_other_encodings),
        cmocka_unit_test(decodes_gb18030_and_utf16),
        cmocka_unit_test(pdf_drops_running_headers),
        cmocka_unit_test(reports_missing_file_and_directory),
        cmocka_unit_test(reads_a_file),
        cmocka_unit_test(knows_supported_extensions),
    };
    return cmocka_run_group_tests_name("read", tests, NULL, NULL);
}
