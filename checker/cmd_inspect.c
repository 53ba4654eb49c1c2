/*
 * cmd_inspect.c - `fzcheck outline` and `fzcheck text`: what the checker
 * read from a report (its structure; its text, line by line), for a
 * person writing or debugging rules.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "ident.h"
#include "normalize.h"
#include "util.h"

/* ---- outline --------------------------------------------------------------- */

typedef struct {
    const fz_pack *pack;
    int status;
} outline_state;

static void print_shown(const char *fmt, const char *s) {
    char *shown = fz_display(s, 0);
    printf(fmt, shown ? shown : s);
    free(shown);
}

static int emit_outline(void *ctx, size_t i, fz_report *rep, char **err) {
    (void)i;
    (void)err;
    outline_state *os = ctx;
    const fz_doc *d = &rep->doc;
    print_shown("%s\n", rep->file);
    if (rep->error) {
        printf("  无法读取：%s\n", rep->error);
        os->status = 1;
        return 0;
    }
    printf("  标题：%s（第 %u 行）\n", d->title ? d->title : "（未识别）", d->title_line);
    printf("  单位：%s", d->unit ? d->unit : "（未写明）");
    if (rep->unit_type < os->pack->nunit_types) printf("（%s）", os->pack->unit_types[rep->unit_type].name);
    if (d->unit_source) printf("  来源：%s", fz_source_name(d->unit_source));
    printf("\n  年度：");
    if (d->year) printf("%d\n", d->year);
    else printf("（未识别）\n");
    printf("  文号：%s\n  成文日期：%s\n", d->doc_number ? d->doc_number : "（无）",
           d->date ? d->date : "（无）");
    printf("  段落：%zu%s\n  章节：\n", d->nparas,
           d->norm.hard_wrapped ? "（检测到硬换行，已合并）" : "");
    for (size_t s = 0; s < d->nsections; s++) {
        const fz_section *sec = &d->sections[s];
        const char *role = fz_report_section_role(os->pack, rep, s);
        printf("  %*s第 %u 行  %s%s%s%s%s\n", (sec->level - 1) * 4, "", sec->line, sec->marker,
               sec->title, role ? "  [" : "", role ? role : "", role ? "]" : "");
    }
    return 0;
}

int fz_cmd_outline(const fz_cli_opts *o) {
    fz_pack pack;
    int rc = fz_cli_load_pack(o, &pack);
    if (rc) return rc;
    outline_state os = {&pack, 0};
    char *err = NULL;
    if (fz_batch_run(&pack, &o->batch, o->paths, o->npaths, emit_outline, &os, &err) < 0) {
        fz_cli_say(err);
        os.status = 2;
    }
    free(err);
    fz_pack_free(&pack);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fz_cli_say("输出失败");
        os.status = 2;
    }
    return os.status;
}

/* ---- text ------------------------------------------------------------------ */

typedef struct {
    const fz_cli_opts *o;
    int status;
} text_state;

static const char *format_name(const char *format) {
    if (!strcmp(format, "docx")) return "Word 文档";
    if (!strcmp(format, "pdf")) return "PDF";
    if (!strcmp(format, "ofd")) return "OFD";
    if (!strcmp(format, "md")) return "Markdown 文本";
    return "文本";
}

/* One line, numbered as evidence numbers it, control characters shown. */
static void numbered_line(uint32_t no, const char *s, size_t n) {
    char *line = fz_strndup(s, n);
    char *shown = line ? fz_display(line, 0) : NULL;
    printf("%6u  %s\n", no, shown ? shown : "");
    free(shown);
    free(line);
}

static int print_normalized(const fz_text *t) {
    fz_norm norm;
    char *err = NULL;
    if (fz_normalize(t, &norm, &err) < 0) {
        free(err);
        return -1;
    }
    printf("  （规范化后的段落，行首为段落开始处的原文行号）\n");
    for (size_t p = 0; p < norm.n; p++)
        numbered_line(fz_para_line_at(&norm.paras[p], 0), norm.paras[p].text, norm.paras[p].len);
    fz_norm_free(&norm);
    return 0;
}

static int emit_text(void *ctx, size_t i, const fz_text *t, const char *error, char **err) {
    text_state *ts = ctx;
    print_shown("== %s", ts->o->paths[i]);
    if (!t) {
        printf("\n  无法读取：%s\n", error);
        ts->status = 1;
        return 0;
    }
    printf("（%s，%s%s）\n", format_name(t->format), t->encoding,
           t->loc == FZ_LOC_PARAGRAPH ? "，行号为段落号" : t->loc == FZ_LOC_PAGE ? "，按页编行号" : "");
    if (ts->o->normalized) return print_normalized(t) < 0 ? fz_fail(err, FZ_ENOMEM) : 0;
    uint32_t line = 0, page = 0, on_page = 0;
    for (const char *p = t->data, *end = t->data + t->len; p < end || line == 0;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line++;
        if (t->loc == FZ_LOC_PAGE && line <= t->nlines && t->line_page[line - 1] != page) {
            page = t->line_page[line - 1];
            on_page = 0;
            printf("—— 第 %u 页 ——\n", page);
        }
        numbered_line(t->loc == FZ_LOC_PAGE ? ++on_page : line, p, (size_t)(le - p));
        if (!nl) break;
        p = nl + 1;
    }
    return 0;
}

int fz_cmd_text(const fz_cli_opts *o) {
    text_state ts = {o, 0};
    char *err = NULL;
    if (fz_batch_read(&o->batch, o->paths, o->npaths, emit_text, &ts, &err) < 0) {
        fz_cli_say(err);
        ts.status = 2;
    }
    free(err);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fz_cli_say("输出失败");
        ts.status = 2;
    }
    return ts.status;
}
