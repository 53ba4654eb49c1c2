/*
 * serve_pages.c - the Chinese HTML of `fzcheck serve` (serve.h): the
 * upload page, the rule pack as a table, error pages, and what is added
 * to the result pages `check --html` writes: the bar of download links
 * and, when last year's reports were uploaded, a line per report with
 * last year's report, its score and the change.
 *
 * Every page is self-contained (inline CSS, no script at all), and every
 * text that comes from a pack, a file name or a message is escaped.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "serve.h"
#include "util.h"

static const char style[] =
    "<style>body{font:15px/1.6 system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;"
    "margin:0;background:#f6f8fa;color:#1f2328}main{max-width:960px;margin:0 auto;padding:24px}"
    "h1{font-size:1.5em}.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;"
    "margin:16px 0}table{border-collapse:collapse;width:100%;background:#fff}"
    "th,td{border:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}"
    "th{background:#eaeef2}button{font-size:1em;padding:6px 20px}.note{color:#57606a;font-size:.9em}"
    ".err{color:#a40e26}nav.dl{background:#fff8c5;border:1px solid #d4a72c;border-radius:8px;"
    "padding:8px 12px;margin:0 0 12px}nav.dl a{margin-right:1.2em}"
    "@media print{nav.dl{display:none}}</style>\n";

static int head(fz_buf *b, const char *title) {
    if (fz_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"referrer\" content=\"no-referrer\">\n<title>") < 0 ||
        fz_html_escape(b, title) < 0 || fz_buf_puts(b, "</title>\n") < 0 || fz_buf_puts(b, style) < 0 ||
        fz_buf_puts(b, "</head>\n<body>\n<main>\n") < 0)
        return -1;
    return 0;
}

static const char foot[] = "</main>\n</body>\n</html>\n";

char *fz_page_upload(const fz_server *s) {
    fz_buf b = {0};
    int bad = head(&b, "法治政府建设年度报告自查") < 0;
    bad |= fz_buf_puts(&b, "<h1>法治政府建设年度报告自查</h1>\n<div class=\"card\">\n"
                           "<form method=\"post\" action=\"/check\" enctype=\"multipart/form-data\">\n"
                           "<p><label for=\"files\">选择一份或多份报告：</label><br>\n"
                           "<input type=\"file\" id=\"files\" name=\"files\" multiple required "
                           "accept=\".docx,.docm,.pdf,.ofd,.txt,.md,.zip\"></p>\n"
                           "<p><label for=\"previous\">上一年度报告（可选）：用于检查是否照搬上年</label><br>\n"
                           "<input type=\"file\" id=\"previous\" name=\"" FZ_PREV_FIELD "\" multiple "
                           "accept=\".docx,.docm,.pdf,.ofd,.txt,.md,.zip\"></p>\n"
                           "<p><button type=\"submit\">检查</button></p>\n</form>\n") < 0;
    bad |= fz_buf_printf(&b, "<p class=\"note\">支持 .docx、.docm、.pdf、.ofd、.txt、.md 文件，或这些文件的 .zip 压缩包；"
                             "每个文件不超过 %zu MB，一次最多 %zu 份、共 %zu MB（含上一年度报告）。"
                             "上一年度报告按单位与本年度的报告配对，对照检查存在的不足、下一年度安排是否照搬上年，"
                             "上年的工作安排是否有交代。</p>\n</div>\n",
                         s->max_file_bytes >> 20, s->o.max_files, s->max_request_bytes >> 20) < 0;
    bad |= fz_buf_puts(&b, "<div class=\"card\">\n<h2>检查什么</h2>\n<p>按规则包“") < 0 ||
           fz_html_escape(&b, s->pack.name ? s->pack.name : "规则包") < 0;
    if (s->pack.version) bad |= fz_buf_puts(&b, "”（版本 ") < 0 || fz_html_escape(&b, s->pack.version) < 0 ||
                                fz_buf_puts(&b, "）") < 0;
    else bad |= fz_buf_puts(&b, "”") < 0;
    bad |= fz_buf_printf(&b, "的 %zu 条规则，检查报告是否具备《法治政府建设与责任落实督察工作规定》等要求的内容："
                             "主要举措和成效、存在的不足、下一年度工作安排、主要负责人履行推进法治建设第一责任人职责情况等，"
                             "给出得分、等级、每条规则的证据和整改建议，并生成带批注的 Word 文件"
                             "（多份报告时另有排名和 Excel 评分表）。<a href=\"/rules\">查看全部规则</a></p>\n",
                         s->pack.nrules) < 0;
    bad |= fz_buf_printf(&b, "<p><strong>文件不会被保留：</strong>上传的报告只在检查期间保存在服务器的临时目录中，检查完成即删除；"
                             "检查结果仅供本次查看和下载，%g 秒后删除；服务器日志不记录报告内容。</p>\n</div>\n",
                         s->o.keep) < 0;
    bad |= fz_buf_puts(&b, foot) < 0;
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

char *fz_page_rules(const fz_server *s) {
    fz_buf b = {0};
    int bad = head(&b, "规则包") < 0 || fz_buf_puts(&b, "<h1>规则包：") < 0 ||
              fz_html_escape(&b, s->pack.name ? s->pack.name : "规则包") < 0;
    if (s->pack.version) bad |= fz_buf_puts(&b, "（版本 ") < 0 || fz_html_escape(&b, s->pack.version) < 0 ||
                                fz_buf_puts(&b, "）") < 0;
    bad |= fz_buf_printf(&b, "</h1>\n<p><a href=\"/\">← 返回上传页</a>　共 %zu 条规则</p>\n", s->pack.nrules) < 0;
    bad |= fz_buf_puts(&b, "<table id=\"rules\">\n<thead><tr><th>编号</th><th>规则</th><th>类别</th>"
                           "<th>要求</th><th>分值</th><th>依据</th></tr></thead>\n<tbody>\n") < 0;
    for (size_t i = 0; i < s->pack.nrules && !bad; i++) {
        const fz_rule *r = &s->pack.rules[i];
        bad |= fz_buf_puts(&b, "<tr><td>") < 0 || fz_html_escape(&b, r->id) < 0 ||
               fz_buf_puts(&b, "</td><td>") < 0 || fz_html_escape(&b, r->title ? r->title : "") < 0 ||
               fz_buf_puts(&b, "</td><td>") < 0 || fz_html_escape(&b, r->category ? r->category : "") < 0 ||
               fz_buf_printf(&b, "</td><td>%s</td><td>%g</td><td>", fz_severity_label(r->severity), r->points) < 0 ||
               fz_html_escape(&b, r->basis ? r->basis : "") < 0 || fz_buf_puts(&b, "</td></tr>\n") < 0;
    }
    bad |= fz_buf_puts(&b, "</tbody>\n</table>\n") < 0 || fz_buf_puts(&b, foot) < 0;
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

char *fz_page_error(const char *title, const char *message) {
    fz_buf b = {0};
    if (head(&b, title) < 0 || fz_buf_puts(&b, "<h1 class=\"err\">") < 0 || fz_html_escape(&b, title) < 0 ||
        fz_buf_puts(&b, "</h1>\n<div class=\"card\"><p id=\"error\">") < 0 || fz_html_escape(&b, message) < 0 ||
        fz_buf_puts(&b, "</p></div>\n<p><a href=\"/\">← 返回上传页</a></p>\n") < 0 || fz_buf_puts(&b, foot) < 0) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

/* ---- what is added to result pages ------------------------------------------ */

/* The name a result shows of a report: its file without the folder
 * (prev/NNN_name: NNN_name, like this year's). */
static const char *shown_name(const char *file) {
    const char *slash = strrchr(file, '/');
    return slash ? slash + 1 : file;
}

/* 上年报告：…　上年得分：…　变化：… for a paired report. */
static int pair_text(fz_buf *b, const fz_prev_line *l) {
    int bad = fz_buf_puts(b, "上年报告：<span class=\"prev-file\">") < 0 || fz_html_escape(b, shown_name(l->prev)) < 0 ||
              fz_buf_printf(b, "</span>　上年得分：<span class=\"prev-score\">%g</span>", l->prev_score) < 0;
    if (l->score >= 0) {
        /* this year's minus last year's, one decimal, signed (0.0 unsigned) */
        double d = round((l->score - l->prev_score) * 10) / 10;
        bad |= fz_buf_puts(b, "　变化：<span class=\"prev-change\">") < 0 ||
               (d == 0 ? fz_buf_puts(b, "0.0") : fz_buf_printf(b, "%+.1f", d)) < 0 || fz_buf_puts(b, "</span>") < 0;
    }
    return bad ? -1 : 0;
}

static const char unpaired[] = "未能与上传的上一年度报告配对（上年报告无法读取，或两份报告写明的单位不同），未对照检查是否照搬上年";

/* The line of one report's page. */
static int previous_one(fz_buf *b, const fz_prev_line *l) {
    if (!l->prev && l->score < 0) return 0; /* unreadable: its page says why */
    if (fz_buf_puts(b, "<p class=\"prev\" id=\"prev-line\">") < 0) return -1;
    int bad = l->prev ? pair_text(b, l) < 0 : fz_buf_printf(b, "上年报告：%s", unpaired) < 0;
    return bad || fz_buf_puts(b, "</p>\n") < 0 ? -1 : 0;
}

/* The lines of the ranking: one per paired report, then how many were
 * not paired. */
static int previous_all(fz_buf *b, const fz_prev_lines *p) {
    size_t paired = 0, alone = 0;
    int bad = fz_buf_puts(b, "<div class=\"prev\" id=\"prev-line\">与上一年度报告对照：<ul>") < 0;
    for (size_t i = 0; i < p->n && !bad; i++) {
        const fz_prev_line *l = &p->v[i];
        if (!l->prev) {
            alone += l->score >= 0;
            continue;
        }
        paired++;
        bad = fz_buf_puts(b, "<li>") < 0 || fz_html_escape(b, shown_name(l->file)) < 0 ||
              fz_buf_puts(b, "　") < 0 || pair_text(b, l) < 0 || fz_buf_puts(b, "</li>") < 0;
    }
    if (!paired) bad |= fz_buf_puts(b, "<li>没有报告与上传的上一年度报告配对</li>") < 0;
    bad |= fz_buf_puts(b, "</ul>") < 0;
    if (alone) bad |= fz_buf_printf(b, "<span class=\"note\">%zu 份报告%s。</span>", alone, unpaired) < 0;
    return bad || fz_buf_puts(b, "</div>\n") < 0 ? -1 : 0;
}

char *fz_page_previous(const fz_prev_lines *p, const char *file) {
    fz_buf b = {0};
    int bad = 0;
    if (p->given && !file) {
        bad = previous_all(&b, p) < 0;
    } else if (p->given) {
        for (size_t i = 0; i < p->n && !bad; i++)
            if (!strcmp(p->v[i].file, file)) bad = previous_one(&b, &p->v[i]) < 0;
    }
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    return fz_buf_steal(&b);
}

char *fz_page_with_links(const char *html, size_t len, const fz_links *l, size_t *out_len) {
    static const char anchor[] = "<main>\n";
    const char *at = NULL;
    for (size_t i = 0; i + sizeof anchor - 1 <= len; i++)
        if (!memcmp(html + i, anchor, sizeof anchor - 1)) {
            at = html + i + sizeof anchor - 1;
            break;
        }
    /* a page without <main> (not one of ours) gets the bar after <body>, or first */
    size_t cut = at ? (size_t)(at - html) : 0;
    for (size_t i = 0; !at && i + 6 <= len; i++)
        if (!memcmp(html + i, "<body>", 6)) {
            cut = i + 6;
            break;
        }
    fz_buf b = {0};
    int bad = fz_buf_append(&b, html, cut) < 0 || fz_buf_puts(&b, "<nav class=\"dl\" id=\"downloads\">下载：") < 0;
    if (l->copy) bad |= fz_buf_puts(&b, "<a id=\"dl-copy\" download href=\"copies/") < 0 || fz_url_escape(&b, l->copy) < 0 ||
                        fz_buf_puts(&b, "\">带批注的 Word 文件</a>") < 0;
    if (l->several) bad |= fz_buf_puts(&b, "<a id=\"dl-index\" href=\"index.html\">全部报告的排名</a>") < 0;
    if (l->scorecard) bad |= fz_buf_puts(&b, "<a id=\"dl-xlsx\" download href=\"scorecard.xlsx\">Excel 评分表</a>") < 0;
    bad |= fz_buf_puts(&b, "<a id=\"dl-json\" download href=\"results.json\">JSON 结果</a>"
                           "<a href=\"/\">检查其他报告</a>") < 0;
    bad |= fz_buf_printf(&b, "<br><span class=\"note\">这些链接只对本次结果有效，%g 秒后删除；上传的报告在检查完成时已经删除。</span>"
                             "</nav>\n<style>nav.dl{background:#fff8c5;border:1px solid #d4a72c;border-radius:8px;"
                             "padding:8px 12px;margin:0 0 12px}nav.dl a{margin-right:1.2em}"
                             ".note{color:#57606a;font-size:.9em}@media print{nav.dl{display:none}}"
                             ".prev{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:8px 12px;"
                             "margin:0 0 12px}.prev ul{margin:4px 0;padding-left:1.5em}</style>\n",
                         l->keep) < 0;
    if (l->note) bad |= fz_buf_puts(&b, l->note) < 0;
    bad |= fz_buf_append(&b, html + cut, len - cut) < 0;
    if (bad) {
        fz_buf_free(&b);
        return NULL;
    }
    *out_len = b.len;
    return fz_buf_steal(&b);
}
