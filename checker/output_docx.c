/*
 * output_docx.c - the annotated Word copy (output.h). PLACEHOLDER.
 */
#include "output.h"

#include "util.h"

int fz_annotate(const fz_pack *pack, const fz_report *r, const char *path,
                const fz_annotate_opts *o, fz_buf *out, char **err) {
    (void)pack;
    (void)r;
    (void)path;
    (void)o;
    (void)out;
    return fz_fail(err, "批注文件尚未实现");
}
