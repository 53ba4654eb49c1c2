/*
 * gongwen.h - recognising the fields of a 公文 (GB/T 9704) header and
 * footer in a normalized line: the 发文机关标志 ("XX局文件"), the 发文字号
 * ("X环字〔2024〕1号"), 签发人, the 版记 (抄送, 印发), and the names of
 * issuing units. Shared by normalize (these lines are never joined to a
 * neighbour) and segment (which reads the fields).
 */
#ifndef FZ_GONGWEN_H
#define FZ_GONGWEN_H

#include <stddef.h>

/* "XX生态环境局文件": an issuing organ's name followed by 文件. */
int fz_gw_is_banner(const char *s, size_t len);

/* "宁东生〔2024〕1号" (any of 〔〕 [] 【】 ［］ brackets). */
int fz_gw_is_doc_number(const char *s, size_t len);

/* 签发人, 抄送, 主送 and 印发 lines. */
int fz_gw_is_field_line(const char *s, size_t len);

/* A report title's ending (报告, 情况, 总结, 汇报, 报告书). */
int fz_gw_ends_like_title(const char *s, size_t len);

/* Names the subject of these reports (法治, 依法, 法制). */
int fz_gw_names_subject(const char *s, size_t len);

/* True when s[0..len) ends like the name of an organisation (局, 委员会,
 * 人民政府, 党组 …). */
int fz_gw_org_suffix(const char *s, size_t len);

/* Offset of the first sentence end (。！？；) in s[from..len), or len. */
size_t fz_first_stop(const char *s, size_t len, size_t from);

/* A line addressed to the superiors, not written by the author:
 * "中共某县委、某县人民政府：", "市委、市政府:", "唐山市人民政府：" — names of
 * Party committees and governments, separated by 、, ending in a colon
 * (or, with two or more names, without one). */
int fz_gw_is_salutation(const char *s, size_t len);

/* A line of the web page a report was copied from, not of the report:
 * the breadcrumb ("当前位置：首页 > 政务公开 > …"), the publishing line
 * ("来源：…　发布时间：2025-02-14　浏览次数："), print and font links. */
int fz_gw_is_web_furniture(const char *s, size_t len);

/* Byte helpers shared by the text stages. */
int fz_has(const char *s, size_t len, const char *lit);
int fz_ends(const char *s, size_t len, const char *lit);
int fz_starts(const char *s, size_t len, const char *lit);

#endif
