/*
 * gongwen.c - see gongwen.h.
 */
#include "gongwen.h"

#include <string.h>

#include "utf8.h"

int fz_has(const char *s, size_t len, const char *lit) {
    size_t n = strlen(lit);
    if (!n) return 1;
    /* memchr finds the candidates for the first byte far faster than a
     * memcmp at every position (memmem is not C11) */
    for (const char *p = s, *end = s + len; (size_t)(end - p) >= n;) {
        p = memchr(p, lit[0], (size_t)(end - p) - n + 1);
        if (!p) return 0;
        if (memcmp(p, lit, n) == 0) return 1;
        p++;
    }
    return 0;
}

int fz_ends(const char *s, size_t len, const char *lit) {
    size_t n = strlen(lit);
    return len >= n && memcmp(s + len - n, lit, n) == 0;
}

int fz_starts(const char *s, size_t len, const char *lit) {
    size_t n = strlen(lit);
    return len >= n && memcmp(s, lit, n) == 0;
}

int fz_gw_org_suffix(const char *s, size_t len) {
    static const char *const suffixes[] = {
        "局", "厅", "委", "办", "院", "府", "部", "会", "组", "室", "所", "站",
        "队", "中心", "处", "署", "司", "馆", "区", "县", "市", "州", "盟",
        "旗", "镇", "乡", "街道", "社", "校", "团", "公司"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (fz_ends(s, len, suffixes[i])) return 1;
    return 0;
}

int fz_gw_is_banner(const char *s, size_t len) {
    size_t n = strlen("文件");
    /* the cheap test first: a line's width is a walk over all of it */
    return fz_ends(s, len, "文件") && fz_utf8_width(s, len) <= 60 &&
           fz_utf8_width(s, len - n) >= 4 && fz_gw_org_suffix(s, len - n);
}

int fz_gw_is_doc_number(const char *s, size_t len) {
    return fz_ends(s, len, "号") && fz_utf8_width(s, len) <= 50 &&
           (fz_has(s, len, "〔") || fz_has(s, len, "[") || fz_has(s, len, "【") ||
            fz_has(s, len, "［"));
}

int fz_gw_is_field_line(const char *s, size_t len) {
    return fz_starts(s, len, "签发人") || fz_starts(s, len, "抄送") ||
           fz_starts(s, len, "主送") || fz_starts(s, len, "印发");
}

int fz_gw_ends_like_title(const char *s, size_t len) {
    return fz_ends(s, len, "报告") || fz_ends(s, len, "情况") || fz_ends(s, len, "总结") ||
           fz_ends(s, len, "汇报") || fz_ends(s, len, "报告书");
}

int fz_gw_names_subject(const char *s, size_t len) {
    return fz_has(s, len, "法治") || fz_has(s, len, "依法") || fz_has(s, len, "法制");
}

size_t fz_first_stop(const char *s, size_t len, size_t from) {
    uint32_t cp;
    for (size_t i = from; i < len;) {
        int n = fz_utf8_decode(s + i, len - i, &cp);
        if (fz_cp_is_sentence_end(cp)) return i;
        i += n < 0 ? 1 : (size_t)n;
    }
    return len;
}

/* An addressee's name: a Party committee or a government (or its office). */
static int addressee_name(const char *s, size_t len) {
    static const char *const ends[] = {"委", "政府", "人民政府", "委员会", "办公室", "办公厅",
                                       "党组", "工委", "管委会", "领导小组"};
    if (len == 0 || fz_utf8_width(s, len) > 40) return 0;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        if (fz_ends(s, len, ends[i])) return 1;
    return 0;
}

int fz_gw_is_salutation(const char *s, size_t len) {
    int colon = 0;
    if (fz_ends(s, len, "：")) len -= 3, colon = 1;
    else if (fz_ends(s, len, ":")) len -= 1, colon = 1;
    if (len == 0 || fz_utf8_width(s, len) > 80 || fz_first_stop(s, len, 0) != len) return 0;
    size_t names = 0, start = 0;
    for (size_t i = 0; i <= len;) {
        int sep = i == len || fz_starts(s + i, len - i, "、") || fz_starts(s + i, len - i, "，");
        if (!sep) {
            i++;
            continue;
        }
        if (!addressee_name(s + start, i - start)) return 0;
        names++;
        if (i == len) break;
        i += 3;
        start = i;
    }
    return colon ? names >= 1 : names >= 2;
}

/* Whether a ':', '：' or '【' begins at some byte i with i + 2 < len. */
static int marked_line(const char *s, size_t len) {
    if (len < 3) return 0;
    size_t end = len - 2; /* starts looked at: [0, end) */
    if (memchr(s, ':', end)) return 1;
    for (const char *p = s; (p = memchr(p, '\xEF', end - (size_t)(p - s))); p++)
        if (p[1] == '\xBC' && p[2] == '\x9A') return 1;
    for (const char *p = s; (p = memchr(p, '\xE3', end - (size_t)(p - s))); p++)
        if (p[1] == '\x80' && p[2] == '\x90') return 1;
    return 0;
}

int fz_gw_is_web_furniture(const char *s, size_t len) {
    /* such lines are short; a paragraph of the report is not looked through */
    if (len > 360) return 0;
    /* leading spaces, ASCII or ideographic */
    while (len && (*s == ' ' || *s == '\t' || fz_starts(s, len, "\xE3\x80\x80"))) {
        size_t n = *s == ' ' || *s == '\t' ? 1 : 3;
        s += n;
        len -= n;
    }
    static const char *const where[] = {"当前位置", "您当前位置", "您当前的位置", "您现在的位置",
                                        "您的位置", "当前的位置", "所在位置"};
    for (size_t i = 0; i < sizeof where / sizeof *where; i++)
        if (fz_starts(s, len, where[i])) return 1;
    if (fz_starts(s, len, "首页") && (fz_has(s, len, ">") || fz_has(s, len, "＞") || fz_has(s, len, "»") ||
                                     fz_has(s, len, "〉")))
        return 1;
    /* the publishing line and the page's links: "来源：…　发布时间：2025-02-14　浏览次数：";
     * all of them hold a colon or a 【 (a byte scan before the literals) */
    if (!marked_line(s, len)) return 0;
    static const char *const meta[] = {"发布时间：", "发布时间:", "发布日期：", "发布日期:", "浏览次数",
                                       "访问次数", "阅读次数", "点击数：", "【打印】", "【关闭】",
                                       "打印本页", "关闭窗口", "字号：", "【字体", "分享到："};
    size_t hits = 0;
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++) hits += fz_has(s, len, meta[i]);
    return hits && fz_utf8_width(s, len) <= 120;
}
