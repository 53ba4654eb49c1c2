/*
 * ident.c - see ident.h.
 */
#include "ident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "gongwen.h"
#include "utf8.h"
#include "util.h"

static size_t next_cp(const char *s, size_t len, size_t i) {
    uint32_t cp;
    int n = fz_utf8_decode(s + i, len - i, &cp);
    return i + (n < 0 ? 1 : (size_t)n);
}

/* ---- title ------------------------------------------------------------- */

/* A paragraph that a title may be made of: short, no full stop, not a
 * header field, not an addressee. */
static int title_piece(const fz_para *p) {
    size_t w = fz_utf8_width(p->text, p->len);
    if (w > 120 || fz_gw_is_doc_number(p->text, p->len) || fz_gw_is_banner(p->text, p->len) ||
        fz_is_date_line(p->text, p->len) || fz_gw_is_field_line(p->text, p->len) ||
        fz_gw_is_salutation(p->text, p->len))
        return 0;
    if (fz_first_stop(p->text, p->len, 0) != p->len) return 0;
    if (fz_ends(p->text, p->len, "：") || fz_ends(p->text, p->len, ":")) return 0;
    return 1;
}

static int find_title(fz_doc *d, size_t limit) {
    const fz_para *ps = d->norm.paras;
    for (size_t i = 0; i < limit; i++) {
        if (!title_piece(&ps[i])) continue;
        size_t j = i, last = FZ_NONE;
        int subject = 0;
        while (j < limit && j < i + 5 && title_piece(&ps[j])) {
            if (fz_gw_names_subject(ps[j].text, ps[j].len)) subject = 1;
            if (fz_gw_ends_like_title(ps[j].text, ps[j].len) && subject) last = j;
            j++;
        }
        if (last == FZ_NONE) {
            i = j > i ? j - 1 : i;
            continue;
        }
        fz_buf b = {0};
        for (size_t k = i; k <= last; k++)
            if (fz_buf_append(&b, ps[k].text, ps[k].len) < 0) {
                fz_buf_free(&b);
                return -1;
            }
        /* a site's label before the title: "【工作总结】…" */
        if (fz_starts(b.ptr, b.len, "【")) {
            const char *close = strstr(b.ptr, "】");
            if (close && close + 3 < b.ptr + b.len) {
                size_t cut = (size_t)(close + 3 - b.ptr);
                memmove(b.ptr, b.ptr + cut, b.len - cut + 1);
                b.len -= cut;
            }
        }
        d->title = fz_buf_steal(&b);
        d->title_line = fz_para_line_at(&ps[i], 0);
        d->title_end_para = last + 1;
        return d->title ? 0 : -1;
    }
    return 0;
}

/* ---- the unit -------------------------------------------------------------- */

/* 我局, 本单位, 该局: the report speaking of itself, not a name. */
static int self_reference(const char *s, size_t len) {
    return fz_starts(s, len, "我") || fz_starts(s, len, "本") || fz_starts(s, len, "该") ||
           fz_starts(s, len, "各") || fz_starts(s, len, "全");
}

/* Could s[0..len) be the name of the report's unit? */
static int plausible_unit(const char *s, size_t len) {
    size_t w = fz_utf8_width(s, len);
    if (w < 4 || w > 60 || !fz_gw_org_suffix(s, len) || self_reference(s, len)) return 0;
    if (fz_first_stop(s, len, 0) != len || fz_has(s, len, "《") || fz_has(s, len, "“") ||
        fz_has(s, len, "，") || fz_has(s, len, ",") || fz_has(s, len, "："))
        return 0;
    return !fz_gw_is_salutation(s, len);
}

static int set_unit(fz_doc *d, const char *s, size_t len, fz_source src) {
    free(d->unit);
    d->unit = fz_strndup(s, len);
    d->unit_source = src;
    return d->unit ? 1 : -1;
}

/* Length of the unit named before 关于 or before the year in a title (or
 * a file name), or 0 when it names none. */
static size_t unit_before_subject(const char *t, size_t len) {
    size_t cut = len;
    for (size_t i = 0; i < len; i = next_cp(t, len, i)) {
        int y;
        if (fz_starts(t + i, len - i, "关于") || fz_parse_year(t + i, len - i, &y)) {
            cut = i;
            break;
        }
    }
    if (cut == len || !plausible_unit(t, cut)) return 0;
    return cut;
}

/* A unit written on its own line under the title: "城南街道办事处" or
 * "（XX局）"; one name, not an addressee list. */
static int unit_below_title(fz_doc *d, size_t limit) {
    size_t i = d->title_end_para;
    if (i >= limit) return 0;
    const fz_para *p = &d->norm.paras[i];
    const char *s = p->text;
    size_t len = p->len;
    if (fz_starts(s, len, "（") && fz_ends(s, len, "）")) {
        s += 3;
        len -= 6;
    }
    if (len == 0 || fz_utf8_width(s, len) > 40 || fz_has(s, len, "、") || !plausible_unit(s, len))
        return 0;
    return set_unit(d, s, len, FZ_SRC_TITLE);
}

static int unit_in_banner(fz_doc *d, size_t limit) {
    for (size_t i = 0; i < limit; i++) {
        const fz_para *p = &d->norm.paras[i];
        if (fz_gw_is_banner(p->text, p->len))
            return set_unit(d, p->text, p->len - strlen("文件"), FZ_SRC_BANNER);
    }
    return 0;
}

/* The signature above the date at the end. */
static int unit_in_signature(fz_doc *d) {
    const fz_para *ps = d->norm.paras;
    size_t n = d->norm.n;
    for (size_t i = n > 10 ? n - 10 : 0; i + 1 < n; i++) {
        const fz_para *p = &ps[i];
        if (!fz_is_date_line(ps[i + 1].text, ps[i + 1].len)) continue;
        if (title_piece(p) && !fz_has(p->text, p->len, "、") && plausible_unit(p->text, p->len))
            return set_unit(d, p->text, p->len, FZ_SRC_SIGNATURE);
    }
    return 0;
}

/* What a unit does in the opening sentence, right after its name:
 * "2023年，某某局坚持……", "……，某某街道深入贯彻……". */
static const char *const verbs[] = {
    "坚持", "深入", "认真", "全面", "紧紧", "始终", "以", "围绕", "按照", "立足", "聚焦", "把",
    "着力", "积极", "持续", "切实", "严格", "不断", "扎实", "牢牢", "大力", "高度", "紧扣",
    "对标", "贯彻", "落实", "深学", "结合", "进一步", "统筹", "强化", "锚定", "主动", "依法",
    "着眼", "在", "坚决", "注重", "紧盯", "秉持", "牢固", "全力", "努力", "扛牢", "树牢", "践行",
    "推动", "推进", "充分", "高标准", "守正", "坚定", "深化", "根据", "对照", "遵循", "把握",
    "继续", "共", "勇", "忠实", "自觉", "一", "进", "将", "从", "紧跟", "精心", "着重", "突出"};

static int starts_with_verb(const char *s, size_t len) {
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
        if (fz_starts(s, len, verbs[i])) return 1;
    return 0;
}

/* Skips what may open a clause before its subject: "2023年，", "今年以来，",
 * "一年来，" are clauses of their own; here only a year that runs into the
 * subject ("2023年某某局……") is skipped. */
static size_t skip_time(const char *s, size_t len) {
    int y;
    size_t n = fz_parse_year(s, len, &y);
    if (n) {
        if (fz_starts(s + n, len - n, "度")) n += 3;
        if (fz_starts(s + n, len - n, "以来")) n += 6;
    }
    return n;
}

/* Words a clause may open with that are not a name: prepositions, copulas,
 * verbs ("在市委领导下", "是我市……之年", "紧紧围绕省、市……"). */
static int opens_with_function_word(const char *s, size_t len) {
    static const char *const words[] = {"在", "是", "为", "对", "向", "把", "将", "被", "从", "由",
                                        "经", "按", "以", "与", "和", "及", "同", "于", "等", "其",
                                        "这", "那", "此", "已", "并", "又", "也", "都", "还", "更",
                                        "使", "让", "给", "共", "党", "中央", "国务院"};
    if (starts_with_verb(s, len)) return 1;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (fz_starts(s, len, words[i])) return 1;
    return 0;
}

/* A subject the opening sentence names: an organisation, or a place
 * standing for its government ("岳池县", "鹤龙街"), possibly joint
 * ("某县委、县政府"). */
static int opening_name(const char *s, size_t len) {
    /* "我镇在县委、县政府的坚强领导……下": a self-reference and its
     * circumstances, not a name (no unit's name holds 的) */
    if (opens_with_function_word(s, len) || self_reference(s, len) || fz_has(s, len, "的")) return 0;
    if (fz_ends(s, len, "街") && fz_utf8_width(s, len) >= 4 && fz_utf8_width(s, len) <= 12 &&
        !self_reference(s, len))
        return 1;
    if (!fz_has(s, len, "、")) return plausible_unit(s, len);
    /* joint: every part a name */
    for (size_t a = 0; a < len;) {
        size_t e = a;
        while (e < len && !fz_starts(s + e, len - e, "、")) e = next_cp(s, len, e);
        if (e - a < 3 || !fz_gw_org_suffix(s + a, e - a)) return 0;
        a = e < len ? e + 3 : len;
    }
    return fz_utf8_width(s, len) <= 40;
}

/* The topic a subject may carry before its verb: "某某乡法治政府建设工作在
 * ……领导下", "某某局依法行政工作坚持……". Returns its length, or 0. */
static size_t topic(const char *s, size_t len) {
    static const char *const topics[] = {"法治政府建设", "法治建设", "依法行政", "依法治区",
                                         "依法治县", "依法治市", "法治"};
    size_t n = 0;
    if (fz_starts(s, len, "的")) n = 3;
    for (size_t k = 0; k < sizeof topics / sizeof *topics; k++)
        if (fz_starts(s + n, len - n, topics[k])) {
            n += strlen(topics[k]);
            if (fz_starts(s + n, len - n, "工作")) n += 6;
            return n;
        }
    return 0;
}

/* The unit at the head of a clause, followed by a verb (perhaps after its
 * topic): its length, or 0. */
static size_t clause_subject(const char *s, size_t len) {
    size_t limit = len < 90 ? len : 90; /* about 30 characters */
    for (size_t i = next_cp(s, len, 0); i <= limit; i = next_cp(s, len, i)) {
        if (i >= len) break;
        size_t t = topic(s + i, len - i);
        if (starts_with_verb(s + i + t, len - i - t) && opening_name(s, i)) return i;
    }
    return 0;
}

/* True for a paragraph of the front matter that is not the opening text. */
static int front_matter(const fz_para *p) {
    return fz_is_date_line(p->text, p->len) || fz_gw_is_doc_number(p->text, p->len) ||
           fz_gw_is_banner(p->text, p->len) || fz_gw_is_salutation(p->text, p->len) ||
           fz_gw_is_field_line(p->text, p->len);
}

/* The paragraphs where the opening is: after the title, before the first
 * heading, at most four of them. */
static void opening_range(const fz_doc *d, size_t *from, size_t *to) {
    *from = d->title ? d->title_end_para : 0;
    size_t end = d->nsections ? d->sections[0].para : d->norm.n;
    if (end < *from) end = *from;
    size_t taken = 0, i = *from;
    for (; i < end && i < d->norm.n && taken < 4; i++) taken += !front_matter(&d->norm.paras[i]);
    *to = i;
}

/* "现将某某局2023年……报告如下": the name between 现将 and the year. */
static int unit_after_xianjiang(fz_doc *d, const fz_para *p) {
    const char *s = p->text;
    size_t len = p->len;
    for (size_t i = 0; i + 6 <= len; i = next_cp(s, len, i)) {
        if (!fz_starts(s + i, len - i, "现将")) continue;
        size_t a = i + 6;
        for (size_t j = a; j < len && j < a + 90; j = next_cp(s, len, j)) {
            int y;
            if (fz_parse_year(s + j, len - j, &y) || fz_starts(s + j, len - j, "法治") ||
                fz_starts(s + j, len - j, "本年") || fz_starts(s + j, len - j, "年度")) {
                if (plausible_unit(s + a, j - a)) return set_unit(d, s + a, j - a, FZ_SRC_OPENING);
                break;
            }
        }
    }
    return 0;
}

static int unit_in_opening(fz_doc *d) {
    size_t from, to;
    opening_range(d, &from, &to);
    for (size_t pi = from; pi < to; pi++) {
        const fz_para *p = &d->norm.paras[pi];
        if (front_matter(p)) continue;
        int rc = unit_after_xianjiang(d, p);
        if (rc) return rc;
        /* the clauses of the first two sentences */
        const char *s = p->text;
        size_t end = fz_first_stop(s, p->len, 0);
        if (end < p->len) end = fz_first_stop(s, p->len, next_cp(s, p->len, end));
        size_t c = 0;
        for (int k = 0; c < end && k < 8; k++) {
            size_t e = c;
            while (e < end && !fz_starts(s + e, end - e, "，") && s[e] != ',' &&
                   !fz_starts(s + e, end - e, "；") && !fz_starts(s + e, end - e, "。"))
                e = next_cp(s, end, e);
            size_t skip = skip_time(s + c, e - c);
            size_t n = clause_subject(s + c + skip, e - c - skip);
            if (n) return set_unit(d, s + c + skip, n, FZ_SRC_OPENING);
            c = e < end ? next_cp(s, end, e) : end;
        }
    }
    return 0;
}

/* The file's own name: "某某局2023年度法治政府建设情况报告.docx". */
static int unit_in_name(fz_doc *d, const char *name) {
    if (!name) return 0;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    size_t len = dot ? (size_t)(dot - base) : strlen(base);
    /* leading numbering: "03-", "3．", "（3）" */
    while (len && ((*base >= '0' && *base <= '9') || *base == '-' || *base == '_' || *base == '.' ||
                   *base == ' '))
        base++, len--;
    if (!fz_utf8_valid(base, len)) return 0;
    size_t n = unit_before_subject(base, len);
    return n ? set_unit(d, base, n, FZ_SRC_FILENAME) : 0;
}

/* A department that calls itself 我局 (我委, 我厅, 我办) names itself
 * elsewhere: in its own documents (《中共某某局党组……》, 《某某局关于……》) or
 * with its leaders ("区司法局党委书记、局长"). The most specific name wins (a
 * full name over the short one it ends with), then the most frequent;
 * superiors' documents (国家…总局, 国务院…) are not its own. */
static const char *const self_names[][2] = {{"我局", "局"}, {"我委", "委"}, {"我委", "委员会"},
                                            {"我厅", "厅"}, {"我办", "办"}};

/* What may follow a unit's own name: a document title's subject, or its
 * leaders and Party organisation. */
static int followed_by_owner_words(const char *s, size_t len) {
    static const char *const words[] = {"党组", "党委", "局长", "主任", "书记", "关于", "主要负责",
                                        "领导班子", "机关"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (fz_starts(s, len, words[i])) return 1;
    return 0;
}

/* A department's name carries its jurisdiction: "区司法局", "荣昌区司法局";
 * "通过局党组" does not. */
static int names_jurisdiction(const char *s, size_t len) {
    static const char *const levels[] = {"省", "市", "区", "县", "州", "旗", "镇", "乡", "盟"};
    size_t first = next_cp(s, len, 0);
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
        if (fz_starts(s, len, levels[i])) return 1;
        for (size_t k = next_cp(s, len, first); k < len; k = next_cp(s, len, k))
            if (fz_starts(s + k, len - k, levels[i]) && k + strlen(levels[i]) < len) return 1;
    }
    return 0;
}

static int own_candidate(const char *s, size_t len, const char *const *suffix, size_t nsuffix) {
    int ends = 0;
    for (size_t k = 0; k < nsuffix; k++) ends |= fz_ends(s, len, suffix[k]);
    return ends && plausible_unit(s, len) && !fz_has(s, len, "、") && names_jurisdiction(s, len) &&
           !fz_starts(s, len, "国家") &&
           !fz_starts(s, len, "国务院") && !fz_starts(s, len, "中央") && !fz_ends(s, len, "总局");
}

static size_t occurrences(const fz_doc *d, const char *s, size_t len) {
    size_t count = 0;
    for (size_t j = 0; j < d->norm.n; j++)
        for (size_t q = 0; q + len <= d->norm.paras[j].len; q++)
            count += !memcmp(d->norm.paras[j].text + q, s, len);
    return count;
}

static int unit_in_citations(fz_doc *d) {
    const char *suffix[3] = {NULL, NULL, NULL};
    size_t nsuffix = 0;
    for (size_t k = 0; k < sizeof self_names / sizeof *self_names; k++)
        for (size_t i = 0; i < d->norm.n && i < 40; i++)
            if (fz_has(d->norm.paras[i].text, d->norm.paras[i].len, self_names[k][0])) {
                if (nsuffix < 3) suffix[nsuffix++] = self_names[k][1];
                break;
            }
    const char *best = NULL;
    size_t best_len = 0, best_count = 0;
    for (size_t i = 0; i < d->norm.n && i < 40 && nsuffix; i++) {
        const char *s = d->norm.paras[i].text;
        size_t len = d->norm.paras[i].len;
        /* names start after 《, after 中共, or at a clause start; end before
         * 》 or before owner words */
        for (size_t a = 0; a < len; a = next_cp(s, len, a)) {
            int cited = fz_starts(s + a, len - a, "《");
            int clause = a == 0 || fz_starts(s + a, len - a, "，") || s[a] == ',' ||
                         fz_starts(s + a, len - a, "。") || fz_starts(s + a, len - a, "、");
            if (!cited && !clause) continue;
            size_t b = cited || a > 0 ? next_cp(s, len, a) : 0;
            if (fz_starts(s + b, len - b, "中共")) b += 6;
            for (size_t e = next_cp(s, len, b); e < len && e < b + 60; e = next_cp(s, len, e)) {
                if (fz_starts(s + e, len - e, "》") || fz_starts(s + e, len - e, "，")) break;
                if (!own_candidate(s + b, e - b, suffix, nsuffix)) continue;
                if (!cited && (!followed_by_owner_words(s + e, len - e) ||
                               opens_with_function_word(s + b, e - b)))
                    continue;
                size_t count = occurrences(d, s + b, e - b);
                /* a full name beats the short one it ends with */
                int more_specific = best && e - b > best_len && fz_ends(s + b, e - b, "") &&
                                    !memcmp(s + e - best_len, best, best_len);
                int less_specific = best && e - b < best_len &&
                                    !memcmp(best + best_len - (e - b), s + b, e - b);
                if (!best || more_specific || (!less_specific && count > best_count))
                    best = s + b, best_len = e - b, best_count = count;
                break;
            }
        }
    }
    return best ? set_unit(d, best, best_len, FZ_SRC_TEXT) : 0;
}

/* "区司法局", "市市场监督管理局", "省卫生健康委": a unit named by its level
 * alone. The addressee line names the place ("乳山市委、乳山市人民政府："):
 * when it names exactly one place of that level, the unit is named in
 * full with it. */
static int expand_level(fz_doc *d) {
    static const char *const levels[] = {"省", "市", "区", "县", "州", "旗", NULL};
    const char *u = d->unit;
    size_t ul = strlen(u);
    const char *level = NULL;
    for (size_t i = 0; levels[i] && !level; i++)
        if (fz_starts(u, ul, levels[i])) level = levels[i];
    if (!level) return 0;
    char *place = NULL;
    int places = 0;
    size_t lim = d->norm.n < 12 ? d->norm.n : 12;
    for (size_t i = 0; i < lim; i++) {
        const fz_para *p = &d->norm.paras[i];
        if (!fz_gw_is_salutation(p->text, p->len)) continue;
        for (size_t a = 0; a < p->len;) {
            size_t e = a;
            while (e < p->len && !fz_starts(p->text + e, p->len - e, "、") &&
                   !fz_starts(p->text + e, p->len - e, "：") && p->text[e] != ':')
                e = next_cp(p->text, p->len, e);
            const char *n = p->text + a;
            size_t nl = e - a;
            if (fz_starts(n, nl, "中共")) n += 6, nl -= 6;
            /* the place: up to the first level word, at least two characters before it */
            for (size_t k = 6; k + strlen(level) <= nl; k = next_cp(n, nl, k)) {
                if (!fz_starts(n + k, nl - k, level)) continue;
                size_t pl = k + strlen(level);
                if (!place || strlen(place) != pl || memcmp(place, n, pl)) {
                    places++;
                    free(place);
                    place = fz_strndup(n, pl);
                    if (!place) return -1;
                }
                break;
            }
            a = e < p->len ? next_cp(p->text, p->len, e) : p->len;
        }
    }
    int rc = 0;
    if (places == 1) {
        fz_buf b = {0};
        if (fz_buf_printf(&b, "%s%s", place, u + strlen(level)) < 0) rc = -1;
        else {
            free(d->unit);
            d->unit = fz_buf_steal(&b);
            rc = d->unit ? 1 : -1;
        }
        fz_buf_free(&b);
    }
    free(place);
    return rc;
}

/* "省卫生健康委" and a text that names one province: 浙江省卫生健康委. The
 * provinces are a short closed list; cities and counties are not, and
 * get their place only from the addressee line (expand_level). */
static int expand_province(fz_doc *d) {
    static const char *const provinces[] = {
        "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东",
        "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
        "台湾", NULL};
    if (!fz_starts(d->unit, strlen(d->unit), "省")) return 0;
    const char *found = NULL;
    size_t lim = d->norm.n < 30 ? d->norm.n : 30;
    for (size_t k = 0; provinces[k]; k++) {
        char name[32];
        snprintf(name, sizeof name, "%s省", provinces[k]);
        for (size_t i = 0; i < lim; i++) {
            if (!fz_has(d->norm.paras[i].text, d->norm.paras[i].len, name)) continue;
            if (found && strcmp(found, provinces[k])) return 0; /* two provinces: unsure */
            found = provinces[k];
            break;
        }
    }
    if (!found) return 0;
    fz_buf b = {0};
    if (fz_buf_printf(&b, "%s%s", found, d->unit) < 0) {
        fz_buf_free(&b);
        return -1;
    }
    free(d->unit);
    d->unit = fz_buf_steal(&b);
    return d->unit ? 1 : -1;
}

/* Whether `full` names the same unit as the short form `u` more fully: a
 * place and its government ("临岫市" → "临岫市人民政府"), or a unit named
 * by its level and by its place ("县农业农村局" → "梅江县农业农村局"). */
static int fuller_name(const char *u, const char *full) {
    size_t ul = strlen(u), fl = strlen(full);
    if (fl <= ul) return 0;
    if (!memcmp(full, u, ul)) return fz_gw_org_suffix(full + ul, fl - ul);
    static const char *const levels[] = {"省", "市", "区", "县", "州", "旗", "镇", "乡"};
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        if (fz_starts(u, ul, levels[i])) return !memcmp(full + fl - ul, u, ul);
    return 0;
}

/* A unit found in a short form, named in full where the report signs
 * itself or in the file's name: the full name wins. Returns 0, or -1 when
 * memory runs out. */
static int complete_unit(fz_doc *d, const char *name) {
    for (int k = 0; k < 2; k++) {
        char *had = fz_strdup(d->unit);
        if (!had) return -1;
        fz_source src = d->unit_source;
        int rc = k == 0 ? unit_in_signature(d) : unit_in_name(d, name);
        if (rc < 0) {
            free(had);
            return -1;
        }
        if (rc > 0 && fuller_name(had, d->unit)) {
            free(had);
            continue;
        }
        free(d->unit);
        d->unit = had;
        d->unit_source = src;
    }
    return 0;
}

static int find_unit(fz_doc *d, size_t limit, const char *name) {
    int rc = 0;
    if (d->title) {
        size_t n = unit_before_subject(d->title, strlen(d->title));
        rc = n ? set_unit(d, d->title, n, FZ_SRC_TITLE) : unit_below_title(d, limit);
    }
    if (!rc) rc = unit_in_banner(d, limit);
    if (!rc) rc = unit_in_signature(d);
    if (!rc) rc = unit_in_opening(d);
    if (!rc) rc = unit_in_name(d, name);
    if (!rc) rc = unit_in_citations(d);
    if (rc < 0) return -1;
    if (!d->unit) return 0;
    rc = expand_level(d);
    if (rc == 0) rc = expand_province(d);
    if (rc >= 0) rc = complete_unit(d, name);
    return rc < 0 ? -1 : 0;
}

/* ---- the year ---------------------------------------------------------------- */

/* True when byte `at` of s is inside 《…》 (a cited document's title). */
static int inside_citation(const char *s, size_t at) {
    int depth = 0;
    for (size_t i = 0; i + 3 <= at; i++) {
        if (!memcmp(s + i, "《", 3)) depth++;
        else if (!memcmp(s + i, "》", 3) && depth) depth--;
    }
    return depth > 0;
}

/* A year that names a plan or another document rather than the year
 * reported on: "2024年工作要点", "2023年度全市法治政府建设工作安排". */
static int names_a_plan(const char *s, size_t len, size_t after) {
    static const char *const plans[] = {"要点", "计划", "安排", "规划", "方案", "打算",
                                        "实施意见", "工作重点", "任务清单"};
    size_t end = after;
    for (int k = 0; k < 16 && end < len; k++) end = next_cp(s, len, end);
    for (size_t i = after; i < end; i = next_cp(s, len, i))
        for (size_t j = 0; j < sizeof plans / sizeof *plans; j++)
            if (fz_starts(s + i, end - i, plans[j])) return 1;
    return 0;
}

/* The first year in s[from..len) that is neither cited nor a plan's. */
static int report_year_in(const char *s, size_t len, size_t from, int allow_plan) {
    size_t at;
    int y;
    while ((y = fz_next_year(s, len, from, &at))) {
        int yl;
        size_t end = at + fz_parse_year(s + at, len - at, &yl);
        if (!inside_citation(s, at) && (allow_plan || !names_a_plan(s, len, end))) return y;
        from = next_cp(s, len, at);
    }
    return 0;
}

/* "现将我局2023年法治政府建设情况报告如下": the year the report announces. */
static int year_after_xianjiang(const fz_para *p) {
    const char *s = p->text;
    for (size_t i = 0; i + 6 <= p->len; i = next_cp(s, p->len, i)) {
        if (!fz_starts(s + i, p->len - i, "现将") && !fz_starts(s + i, p->len - i, "现呈送")) continue;
        size_t end = fz_first_stop(s, p->len, i);
        int y = report_year_in(s, end, i, 0);
        if (y) return y;
    }
    return 0;
}

static int year_in_name(const char *name) {
    if (!name) return 0;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t len = strlen(base);
    return fz_utf8_valid(base, len) ? report_year_in(base, len, 0, 1) : 0;
}

static void find_year(fz_doc *d, const char *name) {
    if (d->title && (d->year = report_year_in(d->title, strlen(d->title), 0, 1))) return;
    size_t from, to;
    opening_range(d, &from, &to);
    for (size_t i = from; i < to; i++)
        if (!front_matter(&d->norm.paras[i]) && (d->year = year_after_xianjiang(&d->norm.paras[i])))
            return;
    /* the opening paragraphs: "2023年，我局…" */
    for (size_t i = from; i < to; i++) {
        const fz_para *p = &d->norm.paras[i];
        if (front_matter(p)) continue;
        if ((d->year = report_year_in(p->text, p->len, 0, 0))) return;
    }
    /* the 成文日期: a report is written in the first months after its year */
    int y, m, dd;
    if (d->date && sscanf(d->date, "%d-%d-%d", &y, &m, &dd) == 3) {
        d->year = m <= 6 ? y - 1 : y;
        return;
    }
    /* a report that opens with a heading: its first paragraphs (headings
     * included, a plan's year never) */
    for (size_t i = d->nsections ? d->sections[0].para : d->norm.n, k = 0; i < d->norm.n && k < 6;
         i++, k++) {
        const fz_para *p = &d->norm.paras[i];
        if ((d->year = report_year_in(p->text, p->len, 0, 0))) return;
    }
    d->year = year_in_name(name);
}

/* ---- 发文字号 and 成文日期 ------------------------------------------------------- */

static int find_doc_number(fz_doc *d, size_t limit) {
    for (size_t i = 0; i < limit; i++) {
        const fz_para *p = &d->norm.paras[i];
        if (fz_gw_is_doc_number(p->text, p->len)) {
            d->doc_number = fz_strndup(p->text, p->len);
            return d->doc_number ? 0 : -1;
        }
    }
    return 0;
}

static int format_date(const fz_para *p, char **out) {
    int y, m, dd;
    if (!fz_parse_date(p->text, p->len, &y, &m, &dd)) return 0;
    char buf[16];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, dd);
    *out = fz_strdup(buf);
    return *out ? 1 : -1;
}

/* 成文日期: a date standing alone near the end (or in the header); a 印发
 * date only when there is nothing better. */
static int find_date(fz_doc *d, size_t limit) {
    size_t n = d->norm.n;
    const fz_para *fallback = NULL;
    for (size_t k = 0; k < n; k++) {
        size_t i = n - 1 - k;
        if (k >= 12 && i >= limit) continue;
        const fz_para *p = &d->norm.paras[i];
        if (!fz_is_date_line(p->text, p->len)) continue;
        int y, m, dd;
        if (fz_parse_date(p->text, p->len, &y, &m, &dd) == p->len) {
            d->date_para = i;
            return format_date(p, &d->date) < 0 ? -1 : 0;
        }
        if (!fallback) fallback = p, d->date_para = i;
    }
    if (fallback) return format_date(fallback, &d->date) < 0 ? -1 : 0;
    return 0;
}

/* ---- public ------------------------------------------------------------------ */

int fz_ident(fz_doc *d, const char *name) {
    size_t first_heading = d->nsections ? d->sections[0].para : d->norm.n;
    d->header_end = first_heading;
    if (!d->nsections) {
        /* no headings: the front matter ends at the first long paragraph */
        for (size_t i = 0; i < d->norm.n; i++)
            if (fz_utf8_width(d->norm.paras[i].text, d->norm.paras[i].len) > 120) {
                d->header_end = i;
                break;
            }
    }
    size_t limit = d->header_end < 20 ? d->header_end : 20;
    if (limit == 0 && d->norm.n) limit = d->norm.n < 5 ? d->norm.n : 5;
    if (find_title(d, limit) < 0 || find_unit(d, limit, name) < 0 ||
        find_doc_number(d, limit) < 0 || find_date(d, limit) < 0)
        return -1;
    find_year(d, name);
    return 0;
}

const char *fz_source_name(fz_source s) {
    static const char *const names[] = {NULL, "roster", "title", "banner", "signature",
                                        "opening", "filename", "text"};
    return names[s];
}
