/*
 * output_html.c - the HTML pages (output.h). PLACEHOLDER: to be written.
 */
#include "output.h"

#include <stdlib.h>

#include "util.h"

char *fz_html_page(const fz_pack *pack, const fz_report *r, const char *index, char **err) {
    (void)pack;
    (void)r;
    (void)index;
    fz_fail(err, "HTML 页面尚未实现");
    return NULL;
}

int fz_html_index(FILE *f, const fz_pack *pack, fz_sums *ss, char *const *pages) {
    (void)f;
    (void)pack;
    (void)ss;
    (void)pages;
    return -1;
}
