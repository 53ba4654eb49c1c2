/*
 * output_html.c - the HTML pages (output.h): a page per report, and the
 * ranking page that links to them.
 *
 * Each page stands alone, to be mailed, opened from a USB stick or
 * printed: inline CSS, no script, nothing to fetch, and a CSP meta that
 * forbids everything but the inline style (so that even a bug in the
 * escaping could not run or load anything). Everything that comes from a
 * report or a pack is escaped (& < > " '), control characters are shown
 * as their symbols (␀ … ␟, ␡) and bytes that are not UTF-8 as U+FFFD.
 *
 * The report's text is one <p id="p-N"> per paragraph of doc.norm, each
 * evidence passage in a <mark id="e-RULE-K">, with a small link back to
 * its rule's row after it. Passages of different rules overlap and HTML
 * elements may not cross, so a paragraph is cut at every passage's start
 * and end into segments: a segment inside some passage is one <mark>
 * (coloured by the worst status among them), and the passages that start
 * there get a <mark> with their id each, nested inside one another. Every
 * tag opened for a segment is closed at its end. The work is linear in
 * the text and the passages (plus sorting the passages).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "previous.h"
#include "similar.h"
#include "utf8.h"
#include "util.h"

/* ---- writing ------------------------------------------------------------- */

/* A page being built: a failed append sets oom and stops the rest. */
typedef struct {
    fz_buf b;
    int oom;
} html;

static void putn(html *h, const char *s, size_t n) {
    if (!h->oom && fz_buf_append(&h->b, s, n) < 0) h->oom = 1;
}

static void put(html *h, const char *s) {
    putn(h, s, strlen(s));
}

static void putf(html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(html *h, const char *fmt, ...) {
    if (h->oom) return;
    va_list ap;
    va_start(ap, fmt);
    if (fz_buf_vprintf(&h->b, fmt, ap) < 0) h->oom = 1;
    va_end(ap);
}

/* n bytes of s as text or as a quoted attribute value: the markup
 * characters as entities, C0 controls and DEL as their visible symbols
 * (tab and newline stay, CR goes), C1 controls as \x85, bytes that are
 * not UTF-8 as U+FFFD. Runs of plain bytes are copied in one piece. */
static void escn(html *h, const char *s, size_t n) {
    size_t run = 0, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        char sym[8];
        size_t step = 1;
        if (c >= 0x80) {
            uint32_t cp;
            int k = fz_utf8_decode(s + i, n - i, &cp);
            if (k < 0) {
                rep = "\xEF\xBF\xBD";
            } else if (cp >= 0x80 && cp <= 0x9F) {
                snprintf(sym, sizeof sym, "\\x%02X", (unsigned)cp);
                rep = sym;
                step = (size_t)k;
            } else {
                i += (size_t)k;
                continue;
            }
        } else {
            switch (c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            case '\t': case '\n': break;
            case '\r': rep = ""; break;
            case 0x7F: rep = "\xE2\x90\xA1"; break; /* ␡ */
            default:
                if (c < 0x20) { /* ␀ … ␟ are U+2400 + c */
                    sym[0] = '\xE2';
                    sym[1] = (char)(0x90 + (c >> 6));
                    sym[2] = (char)(0x80 | (c & 0x3F));
                    sym[3] = '\0';
                    rep = sym;
                }
            }
            if (!rep) {
                i++;
                continue;
            }
        }
        putn(h, s + run, i - run);
        put(h, rep);
        i += step;
        run = i;
    }
    putn(h, s + run, n - run);
}

static void esc(html *h, const char *s) {
    if (s) escn(h, s, strlen(s));
}

int fz_url_escape(fz_buf *b, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    if (fz_buf_append(b, "", 0) < 0) return -1;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '~';
        char e[3] = {'%', hex[c >> 4], hex[c & 15]};
        if (plain ? fz_buf_append(b, (const char *)&c, 1) < 0 : fz_buf_append(b, e, 3) < 0) return -1;
    }
    return 0;
}

int fz_html_escape(fz_buf *b, const char *s) {
    html h = {*b, 0};
    esc(&h, s);
    *b = h.b;
    return h.oom ? -1 : 0;
}

/* A file name as a relative URL: every byte but the unreserved ones
 * percent-encoded, so that # ? % : and spaces stay part of the name. */
static void url(html *h, const char *s) {
    if (!h->oom && fz_url_escape(&h->b, s) < 0) h->oom = 1;
}

/* ---- what pages share ------------------------------------------------------ */

/* In parts: ISO C promises string literals of 4095 bytes only. */
static const char *const css[] = {
    ":root{color-scheme:light}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:#f4f5f7;color:#1f2328;font:16px/1.75 \"SimSun\",\"宋体\",\"Songti SC\","
    "\"Noto Serif CJK SC\",\"Source Han Serif SC\",\"Source Han Serif CN\",serif}"
    ,
    "h1,h2,th,nav,.kicker,.verdict,.st,.ref,.facts dt{font-family:\"SimHei\",\"黑体\",\"Heiti SC\","
    "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Source Han Sans CN\",sans-serif}"
    "main{max-width:1120px;margin:0 auto;padding:8px 20px 48px}"
    "nav{font-size:.9em;margin:12px 0}nav a{margin-right:1.2em}"
    "a{color:#0550ae}"
    ".card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin:12px 0}"
    ".kicker{margin:0;color:#57606a;font-size:.9em}"
    "h1{font-size:1.5em;line-height:1.4;margin:.2em 0 .4em;overflow-wrap:anywhere}"
    "h2{font-size:1.2em;border-bottom:2px solid #d0d7de;padding-bottom:4px;margin:32px 0 12px}"
    ".verdict{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 24px;margin:4px 0 8px}"
    ".score{font-size:2.4em;font-weight:bold;line-height:1.1}"
    ".grade{font-size:1.4em;font-weight:bold;padding:0 .4em;border:2px solid;border-radius:4px}"
    ".g-ok{color:#1a7f37}.g-warn{color:#9a6700}.g-bad{color:#cf222e}"
    ".facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:2px 24px;margin:8px 0 0}"
    ".facts div{display:flex;gap:4px;min-width:0}"
    ".facts dt{color:#57606a;white-space:nowrap;flex:none}.facts dt::after{content:\"：\"}"
    ".facts dd{margin:0;overflow-wrap:anywhere;min-width:0}"
    ".error{border:2px solid #cf222e;background:#fff0f0;color:#a40e26;padding:12px 16px;border-radius:6px;"
    "font-size:1.15em;margin:12px 0;overflow-wrap:anywhere}"
    ".error strong{display:block}"
    ,
    "table{width:100%;border-collapse:collapse;background:#fff}"
    "th,td{border:1px solid #d0d7de;padding:6px 8px;vertical-align:top;text-align:left;overflow-wrap:anywhere}"
    "thead th{background:#eaeef2;white-space:nowrap}"
    "tr{break-inside:avoid;page-break-inside:avoid}"
    "td.n,td.num{white-space:nowrap;text-align:right}"
    "td.st{white-space:nowrap;font-weight:bold}td.rt{min-width:9em}"
    "td p{margin:0 0 .3em}td p:last-child{margin:0}"
    ".cat,.sub{display:block;color:#57606a;font-size:.85em}"
    ".basis{color:#57606a;font-size:.9em}"
    "td.ev a{display:block;white-space:nowrap}"
    ".s-pass td.st,.ref.s-pass,.sym.s-pass{color:#1a7f37}"
    ".s-partial td.st,.ref.s-partial,.sym.s-partial{color:#9a6700}"
    ".s-fail td.st,.ref.s-fail,.sym.s-fail{color:#cf222e}"
    ".s-na td.st,.ref.s-na,.sym.s-na{color:#6e7781}"
    "tr.s-pass td.st{background:#eefbf1}tr.s-partial td.st{background:#fff8e1}"
    "tr.s-fail td.st{background:#ffefee}tr.s-na{color:#57606a}"
    ,
    "mark{color:inherit;padding:0 1px;border-bottom:2px solid;-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}"
    "mark.s-pass{background:#d3f5dc;border-color:#1a7f37}"
    "mark.s-partial{background:#fff1b8;border-color:#bf8700}"
    "mark.s-fail{background:#ffd7d5;border-color:#cf222e}"
    "mark.s-na{background:#eaeef2;border-color:#6e7781}"
    "mark mark{border-bottom-style:double}"
    ":target{outline:3px solid #0969da;outline-offset:1px}"
    ".ref{font-size:.7em;vertical-align:super;line-height:0;text-decoration:none;margin:0 1px}"
    ".outline{list-style:none;padding:0;margin:0}.outline li{margin:2px 0}"
    ".outline .lv2{padding-left:2em}.outline .lv3{padding-left:4em}.outline .lv4{padding-left:6em}"
    ".role{font-size:.8em;color:#0550ae;border:1px solid #54aeff;border-radius:10px;padding:0 6px;margin-left:6px;"
    "white-space:nowrap}"
    ".doc{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px 16px 68px}"
    ".doc p{margin:0 0 .5em;position:relative;text-indent:2em;overflow-wrap:anywhere}"
    ".doc p[data-ln]::before{content:attr(data-ln);position:absolute;left:-60px;width:50px;text-align:right;"
    "text-indent:0;color:#8c959f;font:12px/2.2 monospace}"
    ".doc p.hd{font-weight:bold;text-indent:0}"
    ".doc p.ttl{font-weight:bold;text-indent:0;text-align:center;font-size:1.2em}"
    ".note{color:#57606a;font-size:.9em}"
    "tr.err td{color:#a40e26}"
    "#previous table{margin:12px 0}table.similar td p{margin:0 0 .5em;font-size:.95em;white-space:pre-line}"
    "table.similar td:nth-child(-n+2){min-width:10em}"
    ,
    "@page{size:A4;margin:2cm}"
    "@media print{body{background:#fff;color:#000;font-size:11pt}main{max-width:none;padding:0}"
    "nav{display:none}.card,.doc{border:1px solid #888;border-radius:0}"
    "a{color:inherit;text-decoration:none}a[href]::after{content:none!important}"
    "thead{display:table-header-group}h2{break-after:avoid;page-break-after:avoid}"
    ":target{outline:none}.doc{padding-left:52px}.doc p[data-ln]::before{left:-48px;width:40px}}",
    NULL};

static void head(html *h, const char *title_a, const char *title_b) {
    put(h, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
           "<meta name=\"referrer\" content=\"no-referrer\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"generator\" content=\"fzcheck\">\n<title>");
    esc(h, title_a);
    esc(h, title_b);
    put(h, "</title>\n<style>");
    for (size_t i = 0; css[i]; i++) put(h, css[i]);
    put(h, "</style>\n</head>\n<body>\n<main>\n");
}

static void foot(html *h) {
    put(h, "</main>\n</body>\n</html>\n");
}

/* <div><dt>label</dt><dd>escaped value</dd></div>, or nothing when value
 * is NULL. */
static void fact(html *h, const char *id, const char *label, const char *value) {
    if (!value) return;
    put(h, "<div><dt>");
    put(h, label);
    put(h, "</dt><dd");
    if (id) putf(h, " id=\"%s\"", id);
    put(h, ">");
    esc(h, value);
    put(h, "</dd></div>\n");
}

static const char *status_class(fz_status s) {
    return s <= FZ_NA ? fz_status_name(s) : "na";
}

/* The grade's colour: red for the grade of a failed required rule,
 * amber when a required rule did not fully pass, else green. */
static const char *grade_class(const fz_pack *pack, const char *grade, size_t gaps) {
    if (grade && pack->fail_grade && !strcmp(grade, pack->fail_grade)) return "g-bad";
    return gaps ? "g-warn" : "g-ok";
}

/* A score to one decimal, as the text report writes it. */
static void score_text(html *h, double score) {
    putf(h, "%.1f", score);
}

static const char *type_source_label(fz_type_source s) {
    switch (s) {
    case FZ_TYPE_ROSTER: return "（据单位名单）";
    case FZ_TYPE_NAME: return "（据单位名称）";
    case FZ_TYPE_TEXT: return "（据报告的自称）";
    default: return "";
    }
}

/* ---- one report's page ------------------------------------------------------- */

/* One evidence passage to mark: bytes [start, end) of paragraph para, of
 * evidence k of result r. */
typedef struct {
    size_t para, start, end;
    size_t r, k;
} span;

static int by_start(const void *a, const void *b) {
    const span *x = a, *y = b;
    if (x->para != y->para) return x->para < y->para ? -1 : 1;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->r != y->r) return x->r < y->r ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

static int by_end(const void *a, const void *b) {
    const span *x = a, *y = b;
    if (x->para != y->para) return x->para < y->para ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    if (x->r != y->r) return x->r < y->r ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

static int continuation(const char *s, size_t i) {
    return ((unsigned char)s[i] & 0xC0) == 0x80;
}

/* Fits evidence e to its paragraph: inside it, on character boundaries,
 * at least one character long. Returns 0 when it cannot be marked (no
 * such paragraph, or an empty one). */
static int fit_span(const fz_doc *d, const fz_evidence *e, span *s) {
    if (e->para >= d->norm.n) return 0;
    const fz_para *p = &d->norm.paras[e->para];
    size_t len = p->len, a = e->start, b = e->end;
    if (!len || !p->text) return 0;
    if (a > len) a = len;
    if (b > len) b = len;
    if (a > b) {
        size_t t = a;
        a = b;
        b = t;
    }
    while (a > 0 && continuation(p->text, a)) a--;
    while (b < len && continuation(p->text, b)) b++;
    if (a == b) {
        if (b < len) {
            b++;
            while (b < len && continuation(p->text, b)) b++;
        } else {
            a--;
            while (a > 0 && continuation(p->text, a)) a--;
        }
    }
    s->para = e->para;
    s->start = a;
    s->end = b;
    return 1;
}

typedef struct {
    const fz_pack *pack;
    const fz_report *r;
    span *starts, *ends;  /* the passages, in order of start and of end */
    size_t n;
    unsigned char *marked; /* per result and evidence: is it marked? */
    size_t *first;         /* index in marked of result i's first evidence */
} marks;

static void marks_free(marks *m) {
    free(m->starts);
    free(m->ends);
    free(m->marked);
    free(m->first);
}

/* Collects the passages of every result. Returns 0 or -1 (no memory). */
static int marks_collect(marks *m, const fz_pack *pack, const fz_report *r) {
    memset(m, 0, sizeof *m);
    m->pack = pack;
    m->r = r;
    size_t total = 0;
    for (size_t i = 0; i < r->nresults; i++) total += r->results[i].nevidence;
    m->first = malloc((r->nresults + 1) * sizeof *m->first);
    m->marked = calloc(total ? total : 1, 1);
    m->starts = malloc((total ? total : 1) * sizeof *m->starts);
    if (!m->first || !m->marked || !m->starts) return -1;
    size_t at = 0;
    for (size_t i = 0; i < r->nresults; i++) {
        m->first[i] = at;
        for (size_t k = 0; k < r->results[i].nevidence; k++, at++) {
            span s = {0, 0, 0, i, k};
            if (!fit_span(&r->doc, &r->results[i].evidence[k], &s)) continue;
            m->starts[m->n++] = s;
            m->marked[at] = 1;
        }
    }
    m->first[r->nresults] = at;
    if (!(m->ends = malloc((m->n ? m->n : 1) * sizeof *m->ends))) return -1;
    if (m->n) {
        memcpy(m->ends, m->starts, m->n * sizeof *m->ends);
        qsort(m->starts, m->n, sizeof *m->starts, by_start);
        qsort(m->ends, m->n, sizeof *m->ends, by_end);
    }
    return 0;
}

static int is_marked(const marks *m, size_t i, size_t k) {
    return m->marked[m->first[i] + k];
}

/* id="e-RULE-K": a rule id ends in no digit run after a '-' that could
 * be taken for K, as K is all digits after the last '-'. */
static void evidence_id(html *h, const fz_rule *rule, size_t k) {
    put(h, "e-");
    esc(h, rule->id);
    putf(h, "-%zu", k);
}

/* "第 12 行", "第 3 段", "第 2 页第 7 行". */
static void location(html *h, const fz_report *r, const fz_evidence *e) {
    if (e->page) putf(h, "第 %u 页第 %u 行", e->page, e->line);
    else putf(h, "第 %u %s", e->line, r->doc.loc == FZ_LOC_PARAGRAPH ? "段" : "行");
}

static void header_card(html *h, const fz_pack *pack, const fz_report *r) {
    const fz_doc *d = &r->doc;
    put(h, "<header class=\"card\" id=\"summary\">\n<p class=\"kicker\">法治政府建设年度报告要素检查结果</p>\n<h1>");
    if (d->title) esc(h, d->title);
    else if (r->error) put(h, "无法检查的报告");
    else put(h, "（未识别到标题）");
    put(h, "</h1>\n");
    if (r->error) {
        put(h, "<div class=\"error\" id=\"error\" role=\"alert\"><strong>✗ 这份报告无法检查，"
               "没有结论：</strong>");
        esc(h, r->error);
        put(h, "</div>\n");
    } else {
        const char *grade = r->grade ? r->grade : "";
        put(h, "<div class=\"verdict\"><span>总分 <span class=\"score\" id=\"score\">");
        score_text(h, r->score);
        put(h, "</span> 分</span><span>等级 <span class=\"grade ");
        put(h, grade_class(pack, grade, r->required_gaps));
        put(h, "\" id=\"grade\">");
        esc(h, grade);
        putf(h, "</span></span><span id=\"gaps\">必备要素未达标 %zu 项</span></div>\n",
             r->required_gaps);
    }
    put(h, "<dl class=\"facts\">\n");
    if (!r->error || d->unit) fact(h, "unit", "单位", d->unit ? d->unit : "（未写明）");
    if (d->roster_unit && (!d->unit || strcmp(d->roster_unit, d->unit)))
        fact(h, NULL, "名单中的单位", d->roster_unit);
    if (r->unit_type < pack->nunit_types) {
        put(h, "<div><dt>单位类型</dt><dd id=\"unit-type\">");
        esc(h, pack->unit_types[r->unit_type].name);
        put(h, type_source_label(r->unit_type_source));
        put(h, "</dd></div>\n");
    } else if (!r->error) {
        fact(h, "unit-type", "单位类型", "（无法确定，所有规则照常检查）");
    }
    if (d->year) {
        char y[16];
        snprintf(y, sizeof y, "%d", d->year);
        fact(h, "year", "年度", y);
    } else if (!r->error) {
        fact(h, "year", "年度", "（未识别）");
    }
    fact(h, NULL, "发文字号", d->doc_number);
    fact(h, NULL, "成文日期", d->date);
    fact(h, "file", "文件", r->file ? r->file : "（未知）");
    if (d->format) {
        put(h, "<div><dt>格式</dt><dd>");
        esc(h, d->format);
        if (d->encoding) {
            put(h, "（");
            esc(h, d->encoding);
            put(h, "）");
        }
        put(h, "</dd></div>\n");
    }
    put(h, "<div><dt>规则包</dt><dd id=\"pack\">");
    esc(h, pack->name);
    if (pack->version && *pack->version) {
        put(h, " ");
        esc(h, pack->version);
    }
    putf(h, "（%zu 条规则）</dd></div>\n</dl>\n</header>\n", pack->nrules);
}

/* A URL a person may follow from the page: only http(s) ones. */
static int safe_link(const char *u) {
    return u && (!strncmp(u, "https://", 8) || !strncmp(u, "http://", 7));
}

static void rule_row(html *h, const marks *m, size_t i) {
    const fz_report *r = m->r;
    const fz_result *res = &r->results[i];
    const fz_rule *rule = res->rule;
    const char *cls = status_class(res->status);
    put(h, "<tr id=\"rule-");
    esc(h, rule->id);
    putf(h, "\" class=\"s-%s\">\n<td class=\"n\">%zu</td>", cls, i + 1);
    putf(h, "<td class=\"st\"><span class=\"sym\">%s</span> %s</td>", fz_status_mark(res->status),
         fz_status_label(res->status));
    put(h, "<td class=\"rt\"><strong>");
    esc(h, rule->title);
    put(h, "</strong>");
    if (rule->category) {
        put(h, "<span class=\"cat\">");
        esc(h, rule->category);
        put(h, "</span>");
    }
    putf(h, "</td><td>%s</td><td class=\"num\">", fz_severity_label(rule->severity));
    if (res->status == FZ_NA) {
        put(h, "—");
    } else {
        score_text(h, res->score);
        putf(h, "/%g", rule->points);
    }
    put(h, "</td>\n<td class=\"msg\">");
    if (res->message) {
        put(h, res->status == FZ_PASS || res->status == FZ_NA ? "<p>" : "<p><b>问题：</b>");
        esc(h, res->message);
        put(h, "</p>");
    }
    if (res->detail && *res->detail && (!res->message || strcmp(res->detail, res->message))) {
        put(h, "<p class=\"det\"><b>检查：</b>");
        esc(h, res->detail);
        put(h, "</p>");
    }
    if (res->status == FZ_PARTIAL || res->status == FZ_FAIL) {
        const char *sug = res->suggestion ? res->suggestion : rule->suggestion;
        if (sug) {
            put(h, "<p class=\"sug\"><b>整改建议：</b>");
            esc(h, sug);
            put(h, "</p>");
        }
    }
    if (rule->basis || safe_link(rule->link)) {
        put(h, "<p class=\"basis\">依据：");
        esc(h, rule->basis);
        if (safe_link(rule->link)) {
            put(h, rule->basis ? " <a href=\"" : "<a href=\"");
            esc(h, rule->link);
            put(h, "\" rel=\"noopener noreferrer\">原文</a>");
        }
        put(h, "</p>");
    }
    put(h, "</td>\n<td class=\"ev\">");
    for (size_t k = 0; k < res->nevidence; k++) {
        const fz_evidence *e = &res->evidence[k];
        if (is_marked(m, i, k)) {
            put(h, "<a href=\"#");
            evidence_id(h, rule, k);
            put(h, "\" title=\"");
            esc(h, e->text);
            put(h, "\">");
            location(h, r, e);
            put(h, "</a>");
        } else {
            put(h, "<span class=\"sub\">");
            location(h, r, e);
            put(h, "</span>");
        }
    }
    if (!res->nevidence) put(h, "—");
    put(h, "</td>\n</tr>\n");
}

static void rule_table(html *h, const marks *m) {
    put(h, "<section id=\"rules\">\n<h2>逐项结果</h2>\n<table class=\"rules\">\n<thead><tr><th>序号</th>"
           "<th>结果</th><th>要素</th><th>级别</th><th>得分</th><th>说明</th><th>证据</th></tr></thead>\n"
           "<tbody>\n");
    for (size_t i = 0; i < m->r->nresults; i++) rule_row(h, m, i);
    put(h, "</tbody>\n</table>\n</section>\n");
}

/* The title of section s's first role, or NULL. */
static const char *role_title(const fz_pack *pack, const fz_report *r, size_t s) {
    if (!r->section_roles) return NULL;
    for (size_t b = 0; b < pack->nroles && b < FZ_MAX_ROLES; b++)
        if (r->section_roles[s] & ((uint32_t)1 << b))
            return pack->roles[b].title ? pack->roles[b].title : pack->roles[b].name;
    return NULL;
}

static void outline(html *h, const fz_pack *pack, const fz_report *r) {
    const fz_doc *d = &r->doc;
    put(h, "<section id=\"outline\">\n<h2>章节结构</h2>\n");
    if (!d->nsections) {
        put(h, "<p class=\"note\">未识别到章节标题。</p>\n</section>\n");
        return;
    }
    put(h, "<ul class=\"outline\">\n");
    for (size_t s = 0; s < d->nsections; s++) {
        const fz_section *sec = &d->sections[s];
        int lv = sec->level < 1 ? 1 : sec->level > 4 ? 4 : sec->level;
        putf(h, "<li class=\"lv%d\">", lv);
        int linked = sec->para < d->norm.n;
        if (linked) putf(h, "<a href=\"#p-%zu\">", sec->para);
        esc(h, sec->marker);
        esc(h, sec->title);
        if (linked) put(h, "</a>");
        const char *role = role_title(pack, r, s);
        if (role) {
            put(h, "<span class=\"role\">");
            esc(h, role);
            if (fz_report_role_from_content(r, s)) put(h, "（按内容认定）");
            put(h, "</span>");
        }
        put(h, "</li>\n");
    }
    put(h, "</ul>\n</section>\n");
}

/* The little link back to the rule after a passage: "✗3". */
static void back_link(html *h, const fz_report *r, const span *s) {
    const fz_result *res = &r->results[s->r];
    putf(h, "<a class=\"ref s-%s\" href=\"#rule-", status_class(res->status));
    esc(h, res->rule->id);
    put(h, "\" title=\"");
    esc(h, res->rule->title);
    putf(h, "\">%s%zu</a>", fz_status_mark(res->status), s->r + 1);
}

/* Paragraph p with its passages, starts[*si …) and ends[*ei …) being
 * those of p (both cursors are moved past them). */
static void paragraph_marks(html *h, const marks *m, size_t p, size_t *si, size_t *ei) {
    const fz_para *para = &m->r->doc.norm.paras[p];
    const char *text = para->text ? para->text : "";
    size_t len = para->text ? para->len : 0, pos = 0, active[4] = {0, 0, 0, 0}, nactive = 0;
    for (;;) {
        /* the passages that end here: their back links, outside any mark */
        while (*ei < m->n && m->ends[*ei].para == p && m->ends[*ei].end <= pos) {
            const span *s = &m->ends[*ei];
            fz_status st = m->r->results[s->r].status;
            active[st <= FZ_NA ? st : FZ_NA]--;
            nactive--;
            back_link(h, m->r, s);
            (*ei)++;
        }
        size_t s0 = *si;
        while (*si < m->n && m->starts[*si].para == p && m->starts[*si].start <= pos) {
            fz_status st = m->r->results[m->starts[*si].r].status;
            active[st <= FZ_NA ? st : FZ_NA]++;
            nactive++;
            (*si)++;
        }
        if (pos >= len) break;
        size_t next = len;
        if (*si < m->n && m->starts[*si].para == p && m->starts[*si].start < next)
            next = m->starts[*si].start;
        if (*ei < m->n && m->ends[*ei].para == p && m->ends[*ei].end < next) next = m->ends[*ei].end;
        if (!nactive) {
            escn(h, text + pos, next - pos);
        } else if (s0 == *si) {
            fz_status worst = active[FZ_FAIL] ? FZ_FAIL : active[FZ_PARTIAL] ? FZ_PARTIAL
                              : active[FZ_PASS] ? FZ_PASS : FZ_NA;
            putf(h, "<mark class=\"s-%s\">", status_class(worst));
            escn(h, text + pos, next - pos);
            put(h, "</mark>");
        } else {
            for (size_t k = s0; k < *si; k++) {
                const span *s = &m->starts[k];
                const fz_result *res = &m->r->results[s->r];
                put(h, "<mark id=\"");
                evidence_id(h, res->rule, s->k);
                putf(h, "\" class=\"s-%s\">", status_class(res->status));
            }
            escn(h, text + pos, next - pos);
            for (size_t k = s0; k < *si; k++) put(h, "</mark>");
        }
        pos = next;
    }
    /* (a passage past the paragraph's end was clamped to it: none left) */
}

/* The first line of each line's page (PDF, OFD), to show a paragraph's
 * page and line without walking back each time. NULL otherwise. */
static uint32_t *page_starts(const fz_doc *d, int *oom) {
    *oom = 0;
    if (d->loc != FZ_LOC_PAGE || !d->line_page || !d->nlines) return NULL;
    uint32_t *first = malloc(d->nlines * sizeof *first);
    if (!first) {
        *oom = 1;
        return NULL;
    }
    for (size_t l = 0; l < d->nlines; l++)
        first[l] = l && d->line_page[l] == d->line_page[l - 1] ? first[l - 1] : (uint32_t)l;
    return first;
}

static void report_text(html *h, const marks *m) {
    const fz_doc *d = &m->r->doc;
    const char *what = d->loc == FZ_LOC_PAGE        ? "页码和行号"
                       : d->loc == FZ_LOC_PARAGRAPH ? "段落号"
                                                    : "行号";
    putf(h, "<section id=\"text\">\n<h2>报告原文</h2>\n<p class=\"note\">规范化后用于检查的文字；左侧为原文%s。"
            "标出的是各项证据的原文，后面的小标记（如 ✗3）链接到第 3 项结果。</p>\n<div class=\"doc\">\n",
         what);
    int oom;
    uint32_t *first = page_starts(d, &oom);
    if (oom) h->oom = 1;
    /* which paragraphs hold a heading by itself, and the title's */
    unsigned char *heading = d->norm.n ? calloc(d->norm.n, 1) : NULL;
    if (d->norm.n && !heading) h->oom = 1;
    for (size_t s = 0; heading && s < d->nsections; s++) {
        const fz_section *sec = &d->sections[s];
        if (sec->para < d->norm.n && sec->title_end >= d->norm.paras[sec->para].len) heading[sec->para] = 1;
    }
    size_t si = 0, ei = 0;
    for (size_t p = 0; p < d->norm.n && !h->oom; p++) {
        putf(h, "<p id=\"p-%zu\"", p);
        if (d->title && p < d->title_end_para) put(h, " class=\"ttl\"");
        else if (heading && heading[p]) put(h, " class=\"hd\"");
        const fz_para *para = &d->norm.paras[p];
        uint32_t line = para->npieces ? para->pieces[0].line : 0;
        if (line && first && line <= d->nlines)
            putf(h, " data-ln=\"%u·%u\"", d->line_page[line - 1], line - first[line - 1]);
        else if (line)
            putf(h, " data-ln=\"%u\"", line);
        put(h, ">");
        paragraph_marks(h, m, p, &si, &ei);
        put(h, "</p>\n");
    }
    free(heading);
    free(first);
    put(h, "</div>\n</section>\n");
}

/* ---- beside last year's report ---------------------------------------------- */

/* A share as a percent, or — when the report has no such part. */
static void share_cell(html *h, double v) {
    if (v < 0) put(h, "—");
    else putf(h, "%.0f%%", v * 100);
}

/* Last year's required gaps and what became of each. */
static void previous_gaps(html *h, const fz_pack *pack, const fz_prev_summary *p) {
    if (!p->ngaps) {
        put(h, "<p class=\"note\">上年报告的必备要素均已达标。</p>\n");
        return;
    }
    put(h, "<table class=\"prev-gaps\">\n<thead><tr><th>上年未达标的必备要素</th><th>上年</th><th>本年</th>"
           "<th>整改情况</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < p->ngaps; i++) {
        const fz_prev_gap *g = &p->gaps[i];
        const fz_rule *rule = fz_pack_rule(pack, g->rule);
        putf(h, "<tr class=\"s-%s\"><td>", status_class(g->now));
        esc(h, rule ? rule->title : g->rule ? g->rule : "");
        /* last year's verdict in its own colour; the row's is this year's */
        putf(h, "</td><td><span class=\"sym s-%s\">%s %s</span></td><td class=\"st\">%s %s</td><td>",
             status_class(g->was), fz_status_mark(g->was), fz_status_label(g->was), fz_status_mark(g->now),
             fz_status_label(g->now));
        put(h, fz_prev_gap_label(g));
        put(h, "</td></tr>\n");
    }
    put(h, "</tbody>\n</table>\n");
}

/* Last year's promises: each with its account this year, linked. */
static void previous_promises(html *h, const fz_prev_summary *p) {
    if (!p->has_promises) return;
    if (!p->npromises) {
        put(h, "<p class=\"note\">上年报告中没有找到下一年度工作安排。</p>\n");
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < p->npromises; i++) k += p->promises[i].followed != 0;
    putf(h, "<table class=\"promises\">\n<thead><tr><th>上年报告的工作安排（%zu 项，%zu 项本年有交代）</th>"
            "<th>本年</th><th>本年报告中的交代</th></tr></thead>\n<tbody>\n", p->npromises, k);
    for (size_t i = 0; i < p->npromises; i++) {
        const fz_prev_promise *pm = &p->promises[i];
        putf(h, "<tr class=\"s-%s\"><td>", pm->followed ? "pass" : "fail");
        esc(h, pm->text ? pm->text : "");
        putf(h, "</td><td class=\"st\">%s</td><td>", pm->followed ? "✓ 有交代" : "✗ 未见交代");
        if (pm->followed && pm->para != FZ_NONE) putf(h, "<a href=\"#p-%zu\">", pm->para);
        if (pm->evidence) esc(h, pm->evidence);
        if (pm->followed && pm->para != FZ_NONE) put(h, "</a>");
        put(h, "</td></tr>\n");
    }
    put(h, "</tbody>\n</table>\n");
}

/* 与上年对照: last year's report, its score, what is said again, what
 * became of its gaps and promises. */
static void previous_section(html *h, const fz_pack *pack, const fz_report *r) {
    const fz_prev_summary *p = r->previous;
    put(h, "<section id=\"previous\">\n<h2>与上年对照</h2>\n<div class=\"card\"><dl class=\"facts\">\n");
    fact(h, "prev-file", "上年报告", p->file ? p->file : "");
    put(h, "<div><dt>上年得分</dt><dd id=\"prev-score\">");
    score_text(h, p->score);
    put(h, " 分");
    if (p->grade) {
        put(h, "（");
        esc(h, p->grade);
        put(h, "）");
    }
    putf(h, "</dd></div>\n<div><dt>本年较上年</dt><dd id=\"prev-change\">%+.1f 分</dd></div>\n",
         r->score - p->score);
    put(h, "<div><dt>与上年相同的句子</dt><dd id=\"prev-reused\">全文 ");
    share_cell(h, p->reused);
    put(h, "，存在的不足 ");
    share_cell(h, p->problems_reused);
    put(h, "，下一年度安排 ");
    share_cell(h, p->plan_reused);
    put(h, "</dd></div>\n</dl>\n<p class=\"note\">比较时忽略数字、标点和空格：只改了数字的句子也算相同。"
           "相同的句子在“报告原文”中标出（见“跨年度比较”各项）。</p></div>\n");
    previous_gaps(h, pack, p);
    previous_promises(h, p);
    put(h, "</section>\n");
}

char *fz_html_page(const fz_pack *pack, const fz_report *r, const char *index, char **err) {
    html h = {{0}, 0};
    marks m;
    if (marks_collect(&m, pack, r) < 0) {
        marks_free(&m);
        fz_fail(err, FZ_ENOMEM);
        return NULL;
    }
    const char *who = r->doc.unit ? r->doc.unit : r->doc.title ? r->doc.title : r->file;
    head(&h, "检查结果：", who ? who : "报告");
    put(&h, "<nav>");
    if (index) {
        put(&h, "<a href=\"");
        url(&h, index);
        put(&h, "\">← 全部报告的排名</a>");
    }
    if (!r->error && r->previous) put(&h, "<a href=\"#previous\">与上年对照</a>");
    if (!r->error)
        put(&h, "<a href=\"#rules\">逐项结果</a><a href=\"#outline\">章节结构</a><a href=\"#text\">报告原文</a>");
    put(&h, "</nav>\n");
    header_card(&h, pack, r);
    if (!r->error) {
        if (r->previous) previous_section(&h, pack, r);
        rule_table(&h, &m);
        outline(&h, pack, r);
        report_text(&h, &m);
    }
    foot(&h);
    marks_free(&m);
    if (h.oom) {
        fz_buf_free(&h.b);
        fz_fail(err, FZ_ENOMEM);
        return NULL;
    }
    char *page = fz_buf_steal(&h.b);
    if (!page) fz_fail(err, FZ_ENOMEM);
    return page;
}

/* ---- the ranking page ---------------------------------------------------------- */

/* Writes what h holds to f and empties it: the ranking of 100,000 reports
 * is written a few rows at a time. Returns 0 or -1. */
static int drain(html *h, FILE *f) {
    if (h->oom) return -1;
    if (h->b.len && fwrite(h->b.ptr, 1, h->b.len, f) != h->b.len) return -1;
    h->b.len = 0;
    if (h->b.ptr) h->b.ptr[0] = '\0';
    return 0;
}

/* A report's file, linked to its page when it has one. */
static void file_link(html *h, const fz_summary *s, const char *page) {
    if (page) {
        put(h, "<a href=\"");
        url(h, page);
        put(h, "\">");
    }
    esc(h, s->file ? s->file : "（未知）");
    if (page) put(h, "</a>");
}

/* 上年得分 and 变化 cells (— when not paired). */
static void previous_cells(html *h, const fz_summary *s) {
    if (!s->has_previous || s->error) {
        put(h, "<td class=\"num\">—</td><td class=\"num\">—</td>");
        return;
    }
    put(h, "<td class=\"num\">");
    score_text(h, s->prev_score);
    putf(h, "</td><td class=\"num\">%+.1f</td>", fz_summary_change(s));
}

static void index_row(html *h, const fz_pack *pack, const fz_summary *s, size_t i, size_t rank,
                      const char *page, int with_previous) {
    putf(h, "<tr id=\"r-%zu\"%s>", i + 1, s->error ? " class=\"err\"" : "");
    if (s->error) put(h, "<td class=\"n\">—</td>");
    else putf(h, "<td class=\"n\">%zu</td>", rank);
    put(h, "<td>");
    const char *unit = s->unit ? s->unit : s->roster_unit;
    if (unit) esc(h, unit);
    else put(h, "（未写明）");
    put(h, "</td><td>");
    esc(h, s->unit_type ? s->unit_type : "—");
    put(h, "</td><td class=\"num\">");
    if (s->year) putf(h, "%d", s->year);
    else put(h, "—");
    put(h, "</td>");
    if (s->error) {
        put(h, "<td class=\"num\">—</td><td>—</td><td class=\"num\">—</td>");
    } else {
        put(h, "<td class=\"num\">");
        score_text(h, s->score);
        putf(h, "</td><td class=\"%s\">", grade_class(pack, s->grade, s->required_gaps));
        esc(h, s->grade);
        putf(h, "</td><td class=\"num\">%zu</td>", s->required_gaps);
    }
    if (with_previous) previous_cells(h, s);
    put(h, "<td>");
    file_link(h, s, page);
    if (s->error) {
        put(h, "<span class=\"sub\">无法检查：");
        esc(h, s->error);
        put(h, "</span>");
    }
    put(h, "</td></tr>\n");
}

/* 内容雷同的报告: the batch's pairs sharing unusual text (--similar). */
static int similar_section(html *h, FILE *f, fz_sums *ss, const fz_sim_result *sim, char *const *pages) {
    putf(h, "<section id=\"similar\">\n<h2>内容雷同的报告（%zu 对）</h2>\n<p class=\"note\">按句比较，"
            "忽略数字、标点和空格；本批 %zu 份报告中多数共有的 %zu 句套话不计。</p>\n",
         sim->npairs, sim->reports, sim->boilerplate);
    if (!sim->npairs) {
        put(h, "<p class=\"note\">没有发现内容雷同的报告。</p>\n</section>\n");
        return 0;
    }
    put(h, "<table class=\"similar\">\n<thead><tr><th>报告</th><th>与之雷同的报告</th><th>相同句数</th>"
           "<th>占较短一份</th><th>相同内容（节选）</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < sim->npairs; i++) {
        const fz_sim_pair *p = &sim->pairs[i];
        fz_summary a, b;
        if (fz_sums_get_two(ss, p->a, p->b, &a, &b) < 0) return -1;
        const fz_summary *two[2] = {&a, &b};
        const size_t at[2] = {p->a, p->b};
        put(h, "<tr>");
        for (int k = 0; k < 2; k++) {
            put(h, "<td>");
            esc(h, two[k]->unit ? two[k]->unit : "（未写明）");
            put(h, "<span class=\"sub\">");
            file_link(h, two[k], pages ? pages[at[k]] : NULL);
            put(h, "</span></td>");
        }
        putf(h, "<td class=\"num\">%zu</td><td class=\"num\">%.0f%%</td><td>", p->shared, p->share * 100);
        for (size_t k = 0; k < p->npassages; k++) {
            put(h, "<p>");
            esc(h, p->passages[k]);
            put(h, "</p>");
        }
        put(h, "</td></tr>\n");
        fz_summary_free(&a);
        fz_summary_free(&b);
        if (h->b.len > 65536 && drain(h, f) < 0) return -1;
    }
    put(h, "</tbody>\n</table>\n</section>\n");
    return 0;
}

int fz_html_index(FILE *f, const fz_pack *pack, fz_sums *ss, const fz_cross *cross, char *const *pages) {
    const fz_sim_result *sim = cross ? cross->sim : NULL;
    size_t n = fz_sums_count(ss), errors = 0, failing = 0, state = 0;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t *per_grade = calloc(pack->ngrades + 1, sizeof *per_grade);
    html h = {{0}, 0};
    int rc = -1;
    if (!order || !per_grade) goto done;
    fz_sums_rank(ss, order);
    for (size_t i = 0; i < n; i++) {
        fz_summary s;
        if (fz_sums_get(ss, i, &s) < 0) goto done;
        if (s.error) {
            errors++;
        } else {
            failing += s.required_gaps != 0;
            size_t g = 0;
            while (g < pack->ngrades && (!s.grade || strcmp(s.grade, pack->grades[g].name))) g++;
            per_grade[g]++;
        }
        fz_summary_free(&s);
    }
    head(&h, "法治政府建设年度报告检查结果排名", "");
    put(&h, "<header class=\"card\" id=\"summary\">\n<p class=\"kicker\">法治政府建设年度报告要素检查</p>\n"
            "<h1>检查结果排名</h1>\n<dl class=\"facts\">\n");
    putf(&h, "<div><dt>报告</dt><dd id=\"total\">共 %zu 份</dd></div>\n", n);
    putf(&h, "<div><dt>必备要素不全</dt><dd id=\"failing\">%zu 份</dd></div>\n", failing);
    putf(&h, "<div><dt>无法读取</dt><dd id=\"errors\">%zu 份</dd></div>\n", errors);
    put(&h, "<div><dt>等级</dt><dd>");
    int any = 0;
    for (size_t g = 0; g <= pack->ngrades; g++) {
        if (!per_grade[g]) continue;
        put(&h, any++ ? "，" : "");
        esc(&h, g < pack->ngrades ? pack->grades[g].name : pack->fail_grade ? pack->fail_grade : "其他");
        putf(&h, " %zu 份", per_grade[g]);
    }
    put(&h, any ? "</dd></div>\n" : "—</dd></div>\n");
    put(&h, "<div><dt>规则包</dt><dd>");
    esc(&h, pack->name);
    if (pack->version && *pack->version) {
        put(&h, " ");
        esc(&h, pack->version);
    }
    putf(&h, "（%zu 条规则）</dd></div>\n</dl>\n</header>\n", pack->nrules);
    const fz_tally *t = fz_sums_tally(ss);
    if (t->roster && t->missing) {
        putf(&h, "<div class=\"card\" id=\"missing\"><strong>单位名单中 %zu 个单位未提交：</strong>", t->missing);
        for (size_t u = 0, k = 0; u < t->roster->n; u++) {
            if (t->count[u]) continue;
            put(&h, k++ ? "、" : "");
            esc(&h, t->roster->units[u].name);
        }
        put(&h, "</div>\n");
    }
    int with_previous = fz_sums_paired(ss) > 0;
    put(&h, "<table class=\"rank\">\n<thead><tr><th>排名</th><th>单位</th><th>单位类型</th><th>年度</th>"
            "<th>总分</th><th>等级</th><th>必备要素未达标</th>");
    if (with_previous) put(&h, "<th>上年得分</th><th>变化</th>");
    put(&h, "<th>文件</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        fz_summary s;
        if (fz_sums_get(ss, order[i], &s) < 0) goto done;
        size_t rank = fz_sums_rank_at(ss, order, i, &state);
        index_row(&h, pack, &s, order[i], rank, pages ? pages[order[i]] : NULL, with_previous);
        fz_summary_free(&s);
        if (h.b.len > 65536 && drain(&h, f) < 0) goto done;
    }
    put(&h, "</tbody>\n</table>\n");
    if (!n) put(&h, "<p class=\"note\">没有检查任何报告。</p>\n");
    if (sim && similar_section(&h, f, ss, sim, pages) < 0) goto done;
    foot(&h);
    if (drain(&h, f) < 0) goto done;
    rc = ferror(f) ? -1 : 0;
done:
    fz_buf_free(&h.b);
    free(order);
    free(per_grade);
    return rc;
}
