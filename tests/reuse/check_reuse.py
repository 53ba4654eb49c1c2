#!/usr/bin/python3
"""Comparing a report with its unit's report of the year before
(`fzcheck check --previous`): a copy with its numbers changed and its
paragraphs reordered, a rewrite on the same topics, a problems part said
again word for word, a plan followed up and one forgotten, a previous
report of another unit (never paired), and the same figures whether last
year's report is a .txt, a .docx or hard-wrapped.

Run by `make test` as: check_reuse.py BINARY; prints
"reuse: N passed, M failed"."""
import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), ".."))
from pycase import run_cases  # noqa: E402
import docgen  # noqa: E402

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck")
tmp = tempfile.mkdtemp(prefix="fzreuse-")
RULES = ("report-reused", "problems-reused", "plan-reused", "plan-followed-up")

PREVIOUS = """青石县人民政府关于2022年度法治政府建设情况的报告

市委、市政府：

2022年，青石县坚持以习近平法治思想为指导，全面落实法治政府建设实施纲要，现将有关情况报告如下：

一、2022年推进法治政府建设的主要举措和成效

（一）完善依法行政制度。全年审查县政府规范性文件15件，开展重大行政决策合法性审查6件。清理规范性文件42件，废止不适应改革要求的文件9件。

（二）规范行政执法。全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，公示行政执法信息1980条，重大执法决定法制审核132件。推行“双随机、一公开”监管，全县开展随机抽查180次，抽查市场主体3020家次。

（三）化解行政争议。办理行政复议案件41件，行政机关负责人出庭应诉率100%。县法院一审行政案件败诉率同比下降3个百分点。

二、县政府主要负责人履行推进法治建设第一责任人职责情况

县长切实履行推进法治建设第一责任人职责，重要工作亲自部署、重大问题亲自过问，全年主持县政府常务会议专题研究法治政府建设3次，组织会前学法10次。

三、存在的不足和原因

一是基层执法力量薄弱，部分乡镇执法案卷不规范。二是行政复议纠错功能发挥不够充分，主要原因是复议人员专业能力不足。三是法治宣传教育针对性不强，群众参与度不高。

四、2023年推进法治政府建设的主要安排

（一）推进乡镇综合行政执法改革。整合乡镇执法力量，制定乡镇执法事项清单。

（二）加强行政复议规范化建设。健全行政复议案件审理机制，提升复议案件办理质量。

（三）开展法治政府建设示范创建。对标示范创建指标体系，补齐工作短板。

青石县人民政府
2023年2月20日
"""

# last year's text, numbers changed and the measures reordered
COPIED = (PREVIOUS.replace("2023年2月20日", "2024年2月21日").replace("2023年推进", "2024年推进")
          .replace("2022", "2023").replace("15件", "18件").replace("6件", "7件").replace("42件", "51件")
          .replace("1980条", "2310条").replace("132件", "156件").replace("180次", "212次")
          .replace("41件", "48件").replace("3次", "4次").replace("10次", "12次"))
_m = re.search(r"(（一）完善.*?\n\n)(（二）规范.*?\n\n)(（三）化解.*?\n\n)", COPIED, re.S)
COPIED = COPIED[:_m.start()] + _m.group(3) + _m.group(1) + _m.group(2) + COPIED[_m.end():]

HEAD = """青石县人民政府关于2023年度法治政府建设情况的报告

市委、市政府：

现将青石县2023年度法治政府建设情况报告如下：

一、2023年推进法治政府建设的主要举措和成效

"""
LEADER = """二、县政府主要负责人履行推进法治建设第一责任人职责情况

县长把法治政府建设摆在全局工作的突出位置，年初召开专题会议部署法治工作，全年主持县政府常务会议研究法治议题4次，组织会前学法12次，年底在县委全面依法治县委员会会议上述法。

"""
PROBLEMS_NEW = """三、存在的不足和原因

对照上级考核要求，我县仍有短板：数字化执法平台与市级平台尚未完全对接，执法数据不能实时共享，原因是信息化建设资金投入不足；个别部门合法性审查把关不严，审查意见未被充分采纳。

"""
PROBLEMS_OLD = re.search(r"三、存在的不足和原因\n\n.*?\n\n", PREVIOUS, re.S).group(0)
PLAN_NEW = """四、2024年推进法治政府建设的主要安排

（一）建成覆盖县乡两级的数字化执法监督平台，年内实现与市级平台数据对接。

（二）修订县政府合法性审查工作规则，建立审查意见采纳情况反馈台账。

青石县人民政府
2024年2月21日
"""
# the plan's three items each given an account
FOLLOWED = """（一）乡镇综合行政执法改革落地见效。按照乡镇综合行政执法改革部署，我县整合乡镇执法力量组建综合执法队12支，编制乡镇执法事项清单，赋予乡镇执法事项86项。

（二）行政复议规范化建设取得进展。出台行政复议案件审理规程，推进行政复议规范化建设，全年办理复议案件48件，纠错率达到15%。

（三）法治政府建设示范创建扎实开展。对照示范创建指标体系逐项自查，补齐执法监督、政务公开等短板，我县被推荐参加省级法治政府建设示范创建评估。

"""
# three other measures: last year's plan never mentioned
FORGOTTEN = """（一）优化营商环境。全面推行证明事项告知承诺制，取消证明材料37项，企业开办时间压缩至1个工作日。

（二）加强普法宣传。落实“谁执法谁普法”普法责任制，开展送法下乡活动64场，发放宣传资料2万余份。

（三）推进政务公开。县政府门户网站主动公开政府信息3150条，办理依申请公开67件。

"""
REWRITTEN = HEAD + FOLLOWED + LEADER + PROBLEMS_NEW + PLAN_NEW
FORGETFUL = HEAD + FORGOTTEN + LEADER + PROBLEMS_NEW + PLAN_NEW
SAME_PROBLEMS = HEAD + FOLLOWED + LEADER + PROBLEMS_OLD + PLAN_NEW

OTHER_UNIT = PREVIOUS.replace("青石县人民政府", "河口镇人民政府").replace("青石县", "河口镇")


def write(rel, text):
    path = os.path.join(tmp, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def write_docx(rel, text):
    """A minimal Word file: one paragraph per line of text."""
    path = os.path.join(tmp, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    docgen.write_docx(path, text)
    return path


def write_pdf(rel, text):
    """A PDF of the text, hard-wrapped 40 characters a line."""
    path = os.path.join(tmp, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    docgen.write_pdf(path, text)
    return path


def write_bytes(rel, data):
    path = os.path.join(tmp, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


def rewrap(text, width=60):
    """Hard line breaks at `width` columns (a Chinese character two), as a
    converted PDF has."""
    out = []
    for para in text.split("\n"):
        line, cols = "", 0
        for ch in para:
            w = 1 if ord(ch) < 0x80 else 2
            if cols + w > width:
                out.append(line)
                line, cols = "", 0
            line += ch
            cols += w
        out.append(line)
    return "\n".join(out)


def check(previous, *reports, extra=()):
    args = [BIN, "check", "--json", "-", *extra]
    for p in previous:
        args += ["--previous", p]
    r = subprocess.run(args + list(reports), capture_output=True, timeout=300)
    assert r.returncode in (0, 1), (r.returncode, r.stderr.decode()[-2000:])
    data = json.loads(r.stdout)
    return {os.path.basename(x["file"]): x for x in data["reports"]}, r


def verdicts(rep):
    return {x["id"]: x for x in rep["results"] if x["id"] in RULES}


def status(rep):
    return {k: v["status"] for k, v in verdicts(rep).items()}


def case_a_copy_with_numbers_changed_and_paragraphs_reordered_is_reuse():
    prev = write("a/2022/qingshi.txt", PREVIOUS)
    cur = write("a/2023/qingshi.txt", COPIED)
    by, _ = check([prev], cur)
    rep = by["qingshi.txt"]
    p = rep["previous"]
    assert p["file"] == prev and p["reused"] >= 0.9, p
    assert p["problems_reused"] == 1 and p["plan_reused"] == 1, p
    assert "score" in p and "grade" in p, p
    st = status(rep)
    assert st["report-reused"] == "fail" and st["problems-reused"] == "fail", st
    assert st["plan-reused"] == "fail", st
    v = verdicts(rep)["report-reused"]
    assert "%" in v["message"] and v["evidence"], v


def case_a_rewrite_on_the_same_topics_is_not_reuse_and_follows_the_plan_up():
    prev = write("b/2022/qingshi.txt", PREVIOUS)
    cur = write("b/2023/qingshi.txt", REWRITTEN)
    by, _ = check([prev], cur)
    rep = by["qingshi.txt"]
    p = rep["previous"]
    assert p["reused"] < 0.1 and p["problems_reused"] == 0 and p["plan_reused"] == 0, p
    st = status(rep)
    assert st == {"report-reused": "pass", "problems-reused": "pass", "plan-reused": "pass",
                  "plan-followed-up": "pass"}, st
    assert "3 项工作安排中，3 项" in verdicts(rep)["plan-followed-up"]["message"]


def case_a_problems_part_said_again_word_for_word_fails_alone():
    prev = write("c/2022/qingshi.txt", PREVIOUS)
    cur = write("c/2023/qingshi.txt", SAME_PROBLEMS)
    by, _ = check([prev], cur)
    rep = by["qingshi.txt"]
    assert rep["previous"]["problems_reused"] == 1, rep["previous"]
    st = status(rep)
    assert st["problems-reused"] == "fail" and st["plan-reused"] == "pass", st
    assert st["report-reused"] == "pass", (st, rep["previous"])


def case_a_plan_whose_items_vanish_is_not_followed_up():
    prev = write("d/2022/qingshi.txt", PREVIOUS)
    cur = write("d/2023/qingshi.txt", FORGETFUL)
    by, _ = check([prev], cur)
    v = verdicts(by["qingshi.txt"])["plan-followed-up"]
    assert v["status"] == "fail", v
    for item in ("推进乡镇综合行政执法改革", "加强行政复议规范化建设", "开展法治政府建设示范创建"):
        assert item in v["message"], v["message"]


def case_a_previous_report_of_another_unit_is_never_paired():
    prev = write("e/2022/hekou.txt", OTHER_UNIT)
    cur = write("e/2023/qingshi.txt", COPIED)
    by, _ = check([prev], cur)
    rep = by["qingshi.txt"]
    assert "previous" not in rep, rep.get("previous")
    for k, v in verdicts(rep).items():
        assert v["status"] == "na" and "没有找到本单位上一年度的报告" in v["message"], (k, v)


def case_without_previous_the_rules_are_na_and_the_score_unchanged():
    cur = write("f/2023/qingshi.txt", COPIED)
    by, _ = check([], cur)
    rep = by["qingshi.txt"]
    assert "previous" not in rep
    for k, v in verdicts(rep).items():
        assert v["status"] == "na" and "未提供上一年度报告" in v["message"], (k, v)
    # the same report paired: the new rules count, the old ones are as before
    prev = write("f/2022/qingshi.txt", PREVIOUS)
    by2, _ = check([prev], cur)
    old = {x["id"]: x["status"] for x in rep["results"] if x["id"] not in RULES}
    new = {x["id"]: x["status"] for x in by2["qingshi.txt"]["results"] if x["id"] not in RULES}
    assert old == new
    assert by2["qingshi.txt"]["score"] < rep["score"], (by2["qingshi.txt"]["score"], rep["score"])


def case_docx_txt_and_hard_wrapped_previous_reports_give_the_same_figures():
    cur = write("g/2023/qingshi.txt", COPIED)
    cur2 = write("g/2023b/qingshi.txt", REWRITTEN)
    figures = []
    for prev in (write("g/txt/qingshi.txt", PREVIOUS), write_docx("g/docx/qingshi.docx", PREVIOUS),
                 write("g/wrapped/qingshi.txt", rewrap(PREVIOUS))):
        by, _ = check([prev], cur)
        by2, _ = check([prev], cur2)
        p, p2 = by["qingshi.txt"]["previous"], by2["qingshi.txt"]["previous"]
        figures.append(((p["reused"], p["problems_reused"], p["plan_reused"]), status(by["qingshi.txt"]),
                        (p2["reused"], p2["problems_reused"], p2["plan_reused"]), status(by2["qingshi.txt"])))
    assert figures[0] == figures[1] == figures[2], figures


def case_a_previous_folder_pairs_each_report_with_its_own_unit():
    d = os.path.join(tmp, "h")
    write("h/2022/qingshi.txt", PREVIOUS)
    write("h/2022/hekou.txt", OTHER_UNIT)
    write("h/2023/qingshi.txt", REWRITTEN)
    write("h/2023/hekou.txt", OTHER_UNIT.replace("2022", "2023"))
    by, r = check([os.path.join(d, "2022")], os.path.join(d, "2023"))
    assert by["qingshi.txt"]["previous"]["file"].endswith("2022/qingshi.txt")
    assert by["hekou.txt"]["previous"]["file"].endswith("2022/hekou.txt")
    assert status(by["hekou.txt"])["report-reused"] == "fail"
    # the terminal listing names last year's report and the share reused
    t = subprocess.run([BIN, "check", "--previous", os.path.join(d, "2022"), "--verbose",
                        os.path.join(d, "2023")], capture_output=True, timeout=300)
    out = t.stdout.decode()
    assert "上年报告：" in out and "沿用比例：全文 " in out, out[:2000]
    # shards keep the pairing: the merged JSON says what the batch's said
    shard = os.path.join(tmp, "h.jsonl")
    s = subprocess.run([BIN, "check", "--previous", os.path.join(d, "2022"), "--jsonl", shard, "--quiet",
                        os.path.join(d, "2023")], capture_output=True, timeout=300)
    assert s.returncode in (0, 1), s.stderr.decode()
    m = subprocess.run([BIN, "merge", "--json", "-", shard], capture_output=True, timeout=300)
    merged = {os.path.basename(x["file"]): x for x in json.loads(m.stdout)["reports"]}
    assert merged["qingshi.txt"]["previous"] == by["qingshi.txt"]["previous"], merged["qingshi.txt"].get("previous")


def case_with_a_roster_reports_pair_by_the_roster_unit():
    # last year's report signed with an alias only the roster knows
    prev = write("i/2022/qingshi.txt", PREVIOUS.replace("青石县人民政府", "青石县府"))
    cur = write("i/2023/qingshi.txt", COPIED)
    by, _ = check([prev], cur)
    assert "previous" not in by["qingshi.txt"]
    roster = write("i/units.csv", "单位名称,类型,别名\n青石县人民政府,政府,青石县府\n河口镇人民政府,乡镇街道,\n")
    by, _ = check([prev], cur, extra=("--units", roster))
    rep = by["qingshi.txt"]
    assert rep["roster_unit"] == "青石县人民政府" and rep["previous"]["file"] == prev, rep.get("previous")
    assert status(rep)["report-reused"] == "fail"


X3 = """（一）深化“放管服”改革。编制政务服务事项清单，一网通办事项占比提高到九成以上，群众办事平均跑动次数明显减少。

（二）健全矛盾纠纷多元化解机制。县乡村三级调解组织实现全覆盖，全年调处各类纠纷一千余件，调解成功率保持高位。

（三）强化审计监督。对重点项目资金开展专项审计，督促整改问题资金，建立审计整改销号制度。

"""
X4 = """（一）加强法治队伍建设。选配公职律师和法律顾问，实现县政府部门法律顾问全覆盖，组织法治专题培训。

（二）推进乡村振兴中的法治保障。开展民主法治示范村创建，培育农村学法用法示范户，完善村规民约。

（三）规范公共法律服务。建成县级公共法律服务中心，开通十二三四八热线，提供法律咨询服务。

"""


def case_similar_reports_of_a_batch_are_paired_and_boilerplate_left_out():
    # five reports sharing their leader, problems and plan parts
    # (boilerplate: in every report), two of them also their measures
    tail = LEADER + PROBLEMS_NEW + PLAN_NEW
    for name, body in (("a", FOLLOWED), ("b", FOLLOWED.replace("12支", "9支").replace("86项", "70项")),
                       ("c", FORGOTTEN), ("d", X3), ("e", X4)):
        write("j/%s.txt" % name, HEAD + body + tail)
    d = os.path.join(tmp, "j")
    r = subprocess.run([BIN, "check", "--similar", "--json", "-", d], capture_output=True, timeout=300)
    assert r.returncode in (0, 1), r.stderr.decode()
    sim = json.loads(r.stdout)["similar"]
    assert sim["reports"] == 5 and sim["boilerplate"] >= 5, sim
    pairs = [sorted(os.path.basename(f) for f in p["files"]) for p in sim["pairs"]]
    assert pairs == [["a.txt", "b.txt"]], sim
    assert sim["pairs"][0]["shared"] >= 6 and sim["pairs"][0]["share"] == 1, sim
    t = subprocess.run([BIN, "check", "--similar", d], capture_output=True, timeout=300)
    out = t.stdout.decode()
    assert "内容雷同的报告：1 对" in out and "a.txt 与 " in out, out[-800:]
    # without --similar nothing is said
    r = subprocess.run([BIN, "check", "--json", "-", d], capture_output=True, timeout=300)
    assert "similar" not in json.loads(r.stdout)


def figures(rep):
    p = rep["previous"]
    return ((p["reused"], p["problems_reused"], p["plan_reused"]),
            [(x["text"], x["followed"]) for x in p.get("promises", [])], p["gaps"], status(rep))


def case_figures_hold_for_a_pdf_a_gb18030_text_and_a_docx_of_the_same_report():
    # last year's report in four forms, this year's as text and as PDF
    prevs = (write("k/txt/qingshi.txt", PREVIOUS), write_pdf("k/pdf/qingshi.pdf", PREVIOUS),
             write_bytes("k/gb/qingshi.txt", PREVIOUS.encode("gb18030")),
             write_docx("k/docx/qingshi.docx", PREVIOUS))
    curs = (write("k/2023/qingshi.txt", COPIED), write_pdf("k/2023pdf/qingshi.pdf", REWRITTEN),
            write("k/2023b/qingshi.txt", REWRITTEN))
    seen = []
    for prev in prevs:
        row = []
        for cur in curs:
            by, _ = check([prev], cur)
            row.append(figures(by[os.path.basename(cur)]))
        seen.append(row)
    assert all(r == seen[0] for r in seen), seen
    # and this year's as PDF gives what its text gives
    assert seen[0][1] == seen[0][2], seen[0]
    assert seen[0][0][0] == (1, 1, 1) and seen[0][1][0][0] < 0.1, seen[0]


NO_PROBLEMS = re.sub(r"三、存在的不足和原因\n\n.*?\n\n", "", PREVIOUS, flags=re.S)


def case_previous_lists_each_promise_and_what_became_of_last_years_gaps():
    prev = write("l/2022/qingshi.txt", NO_PROBLEMS)
    cur = write("l/2023/qingshi.txt", REWRITTEN)
    by, _ = check([prev], cur)
    p = by["qingshi.txt"]["previous"]
    assert [x["followed"] for x in p["promises"]] == [True, True, True], p["promises"]
    assert p["promises"][0]["text"] == "推进乡镇综合行政执法改革", p["promises"]
    assert "综合执法队" in p["promises"][0]["evidence"] and p["promises"][0]["line"] > 5, p["promises"][0]
    # last year's report had no problems part: this year's has
    assert {"rule": "problems", "was": "fail", "now": "pass"} in p["gaps"], p["gaps"]
    forgetful = write("l/2023b/qingshi.txt", FORGETFUL.replace(PROBLEMS_NEW, ""))
    by2, _ = check([prev], forgetful)
    p2 = by2["qingshi.txt"]["previous"]
    assert [x["followed"] for x in p2["promises"]] == [False, False, False], p2["promises"]
    assert all("evidence" not in x for x in p2["promises"]), p2["promises"]
    assert {"rule": "problems", "was": "fail", "now": "fail"} in p2["gaps"], p2["gaps"]
    t = subprocess.run([BIN, "check", "--previous", prev, cur, forgetful], capture_output=True, timeout=300)
    out = t.stdout.decode()
    assert "上年必备要素未达标：存在的不足和原因（已整改）" in out, out[:3000]
    assert "存在的不足和原因（仍未整改）" in out, out[:3000]
    assert re.search(r"排名\s+总分\s+上年\s+变化", out), out[-1500:]
    # a shard keeps all of it
    shard = os.path.join(tmp, "l.jsonl")
    subprocess.run([BIN, "check", "--previous", prev, "--jsonl", shard, "--quiet", cur], timeout=300)
    m = subprocess.run([BIN, "merge", "--json", "-", shard], capture_output=True, timeout=300)
    assert json.loads(m.stdout)["reports"][0]["previous"] == p


def sheet_rows(path, name):
    import openpyxl
    wb = openpyxl.load_workbook(path)
    if name not in wb.sheetnames:
        return None
    return [list(r) for r in wb[name].iter_rows(values_only=True)]


def case_the_workbook_and_pages_put_last_year_beside_this_year():
    d = os.path.join(tmp, "m")
    write("m/2022/qingshi.txt", PREVIOUS)
    write("m/2022/hekou.txt", OTHER_UNIT)
    write("m/2023/qingshi.txt", REWRITTEN)
    write("m/2023/hekou.txt", OTHER_UNIT.replace("2022", "2023").replace("41件", "44件"))
    write("m/2023/xinzhuang.txt", REWRITTEN.replace("青石县", "新庄县"))
    # a unit that sent a report last year and none this year
    write("m/2022/baiyun.txt", PREVIOUS.replace("青石县", "白云县"))
    xlsx, html = os.path.join(tmp, "m.xlsx"), os.path.join(tmp, "m-html")
    by, r = check([os.path.join(d, "2022")], os.path.join(d, "2023"), extra=("--xlsx", xlsx, "--html", html))
    tally = json.loads(r.stdout)["previous"]
    assert tally["reports"] == 3 and tally["paired"] == 2 and tally["unreadable"] == [], tally
    assert [(os.path.basename(x["file"]), x["unit"]) for x in tally["unpaired"]] == [("baiyun.txt", "白云县人民政府")], tally
    head, *rows = sheet_rows(xlsx, "汇总")
    assert head[7:9] == ["上年得分", "变化"], head
    got = {r[3].split("/")[-1]: r for r in rows}
    q = by["qingshi.txt"]
    assert got["qingshi.txt"][7] == q["previous"]["score"], got["qingshi.txt"]
    assert abs(got["qingshi.txt"][8] - (q["score"] - q["previous"]["score"])) < 0.051, got["qingshi.txt"]
    assert got["xinzhuang.txt"][7:9] == ["—", "—"], got["xinzhuang.txt"]
    head, *rows = sheet_rows(xlsx, "雷同与沿用")
    assert head[:5] == ["类型", "单位", "文件", "对照的报告", "全文相同"], head
    assert [r[0] for r in rows] == ["与上年对照", "与上年对照", "上年未配对"], rows
    assert rows[2][1] == "白云县人民政府" and rows[2][3].endswith("baiyun.txt"), rows[2]
    # the report said again comes first, with what it says again
    assert rows[0][2].endswith("hekou.txt") and rows[0][4] >= 0.9 and rows[1][4] < 0.1, rows
    assert "与上年相同的句子" in rows[0][12] and "行政复议" in rows[0][12], rows[0][12]
    assert rows[1][8] == "3/3", rows[1]
    page = open(os.path.join(html, "qingshi.txt.html"), encoding="utf-8").read()
    assert 'id="previous"' in page and 'id="prev-score"' in page and "有交代" in page, page[:200]
    index = open(os.path.join(html, "index.html"), encoding="utf-8").read()
    assert "<th>上年得分</th><th>变化</th>" in index
    t = subprocess.run([BIN, "check", "--previous", os.path.join(d, "2022"), os.path.join(d, "2023")],
                       capture_output=True, timeout=300)
    assert "上一年度报告：3 份，2 份与本年的报告配对；未配对 1 份" in t.stdout.decode(), t.stdout.decode()[-600:]
    # without --previous: neither the sheet nor the columns
    plain = os.path.join(tmp, "m-plain.xlsx")
    check([], os.path.join(d, "2023"), extra=("--xlsx", plain))
    assert sheet_rows(plain, "雷同与沿用") is None
    assert "上年得分" not in sheet_rows(plain, "汇总")[0]
    # two shards, each given all of last year's: merged, the same sheet and the same tally
    shards, merged = [os.path.join(tmp, "m%d.jsonl" % k) for k in (1, 2)], os.path.join(tmp, "m-merged.xlsx")
    for sh, files in zip(shards, (["qingshi.txt", "xinzhuang.txt"], ["hekou.txt"])):
        subprocess.run([BIN, "check", "--previous", os.path.join(d, "2022"), "--jsonl", sh, "--quiet",
                        *[os.path.join(d, "2023", f) for f in files]], timeout=300)
    m = subprocess.run([BIN, "merge", "--xlsx", merged, "--json", "-", *shards], capture_output=True, timeout=300)
    assert m.returncode in (0, 1), m.stderr.decode()
    assert json.loads(m.stdout)["previous"] == tally, json.loads(m.stdout).get("previous")
    assert sorted(sheet_rows(merged, "雷同与沿用")) == sorted(sheet_rows(xlsx, "雷同与沿用"))


SLOGANS = ("过去一年，我们坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
           "全面落实《法治政府建设实施纲要（2021—2025年）》各项部署。")
BODY_SLOGAN = ("（三）深化法治宣传教育。认真落实“谁执法谁普法”普法责任制，推动法治宣传教育进机关、进企业、进社区。"
               "健全领导干部学法用法制度，持续提升运用法治思维和法治方式的能力。")
COPIED_PART = """（二）规范行政执法行为。全面推行行政执法公示制度，在门户网站集中公示执法主体、执法依据和执法结果共312条。严格落实执法全过程记录制度，为一线执法人员配备执法记录仪46台，现场执法音像记录实现全覆盖。落实重大执法决定法制审核制度，审核重大执法决定27件，纠正程序瑕疵4件。

"""
BUREAUS = {
    "shijian": ("青石县市场监督管理局", "（一）强化市场监管。开展食品安全专项整治行动，检查食品生产经营主体1260家次，查处案件38件。推进特种设备安全监察，排查电梯、锅炉等设备隐患95处。"),
    "jiaotong": ("青石县交通运输局", "（一）规范交通运输执法。开展道路运输市场秩序整治，查处非法营运车辆41辆。推进治超工作，检测货运车辆2.3万辆次，卸载超限货物600余吨。"),
    "jiaoyu": ("青石县教育局", "（一）推进依法治校。全县中小学全部配备法治副校长，开展校园安全隐患排查，整改问题72项。规范校外培训机构审批，取缔无证办学机构5家。"),
    "weijian": ("青石县卫生健康局", "（一）加强卫生健康监督。开展医疗机构依法执业专项检查，检查医疗机构210家，立案处罚9起。落实公共场所卫生许可告知承诺制，办结许可事项134件。"),
    "ziran": ("青石县自然资源局", "（一）严守耕地保护红线。开展耕地保护专项督察，发现并整改违法占地问题19宗。推进不动产登记便民改革，登记业务平均办理时间压缩至3个工作日。"),
    "shuili": ("青石县水利局", "（一）依法管理水资源。开展河湖“清四乱”专项行动，清理河道违建12处。严格取水许可审批，核发取水许可证28本，查处无证取水行为3起。"),
}


def bureau_report(unit, own, shared=""):
    return ("%s关于2023年度法治政府建设情况的报告\n\n县委、县政府：\n\n%s\n\n一、2023年推进法治政府建设的主要举措和成效\n\n"
            "%s\n\n%s\n\n%s二、主要负责人履行推进法治建设第一责任人职责情况\n\n%s主要负责人切实履行第一责任人职责，"
            "主持召开专题会议研究%s法治工作。\n\n三、存在的不足和原因\n\n%s执法人员法律素养有待提高，原因是%s培训不够系统。\n\n"
            "四、2024年推进法治政府建设的主要安排\n\n%s将围绕%s中心工作完善执法制度。\n\n%s\n2024年2月20日\n"
            % (unit, SLOGANS, own, BODY_SLOGAN, shared, unit, unit, unit, unit, unit, unit, unit))


def case_two_bureaus_sharing_a_copied_section_are_paired_with_the_passage():
    d = os.path.join(tmp, "n")
    for key, (unit, own) in BUREAUS.items():
        shared = {"shijian": COPIED_PART,
                  "jiaotong": COPIED_PART.replace("312条", "205条").replace("46台", "30台")}.get(key, "")
        write("n/%s.txt" % key, bureau_report(unit, own, shared))
    xlsx, html = os.path.join(tmp, "n.xlsx"), os.path.join(tmp, "n-html")
    r = subprocess.run([BIN, "check", "--similar", "--json", "-", "--xlsx", xlsx, "--html", html, d],
                       capture_output=True, timeout=300)
    assert r.returncode in (0, 1), r.stderr.decode()
    sim = json.loads(r.stdout)["similar"]
    pairs = [sorted(os.path.basename(f) for f in p["files"]) for p in sim["pairs"]]
    assert pairs == [["jiaotong.txt", "shijian.txt"]], sim
    p = sim["pairs"][0]
    assert p["shared"] == 4, p
    assert len(p["passages"]) == 1 and "执法全过程记录制度" in p["passages"][0], p["passages"]
    assert sim["boilerplate"] == 3 and "普法责任制" not in p["passages"][0], (sim["boilerplate"], p["passages"])
    head, *rows = sheet_rows(xlsx, "雷同与沿用")
    assert [r[0] for r in rows] == ["本批雷同"] and "执法记录仪" in rows[0][12], rows
    assert rows[0][5] == 4 and "青石县" in rows[0][3], rows
    index = open(os.path.join(html, "index.html"), encoding="utf-8").read()
    assert "内容雷同的报告（1 对）" in index and "执法全过程记录制度" in index, index[-3000:]


def pack_with(rel, similar_yaml):
    path = write(rel, "pack: {name: 测试, version: '1', extends: default}\n" + similar_yaml)
    return path


def case_the_pack_says_when_reports_are_similar():
    d = os.path.join(tmp, "n")  # the bureaus of the case before
    if not os.path.isdir(d):
        case_two_bureaus_sharing_a_copied_section_are_paired_with_the_passage()

    def pairs(pack):
        r = subprocess.run([BIN, "check", "--rules", pack, "--similar", "--json", "-", d],
                           capture_output=True, timeout=300)
        assert r.returncode in (0, 1), r.stderr.decode()
        return json.loads(r.stdout)["similar"]
    strict = pack_with("o/strict/pack.yaml", "similar: {min_shared: 5}\n")
    assert pairs(strict)["pairs"] == []
    # nothing is boilerplate: the slogan pairs every bureau with every other
    loose = pack_with("o/loose/pack.yaml", "similar: {boilerplate_min: 100, min_shared: 1, min_share: 0}\n")
    got = pairs(loose)
    assert got["boilerplate"] == 0 and len(got["pairs"]) == 15, got
    bad = pack_with("o/bad/pack.yaml", "similar:\n  min_share: 2\n")
    r = subprocess.run([BIN, "check", "--rules", bad, "--similar", d], capture_output=True, timeout=60)
    err = r.stderr.decode()
    assert r.returncode == 2 and re.search(r"pack\.yaml:3:\d+:", err), err


PLAN_2023 = """四、2024年推进法治政府建设的主要安排

一是推进新修订的行政复议法贯彻实施，设立行政复议受理窗口，推行行政复议调解和解；二是加强公共法律服务体系建设，推进村（社区）法律顾问全覆盖，建设十五分钟公共法律服务圈；三是开展八五普法中期评估，对照普法责任清单组织中期检查评估。

青石县人民政府
2024年2月21日
"""
# this year's account of each, in other words and under other headings
ACCOUNTS = """（一）新行政复议法落地见效。新修订的行政复议法施行后，在县政务服务中心开设行政复议申请接待窗口，开通网上申请，以调解、和解方式结案31件。

（二）公共法律服务更加可及。为全县108个村（社区）全部配备法律顾问，在商圈、园区新增4个公共法律服务联系点，群众步行15分钟内可获得法律咨询。

（三）普法工作转向精准化。对41个普法责任单位开展八五普法中期履职评议，形成中期自查评估报告，对排名靠后的单位约谈督促。

"""
# the same verbs, none of the substance
VERBS_ONLY = """（一）推进作风建设。加强机关作风建设，推进制度体系建设，完善工作机制建设。

（二）加强队伍建设。推进干部队伍建设，加强业务培训，提升服务水平。

"""


def case_a_plan_written_as_one_paragraph_is_followed_up_item_by_item_in_other_words():
    prev = write("p/2023/qingshi.txt", HEAD.replace("2023", "2022") + FOLLOWED + LEADER + PROBLEMS_NEW + PLAN_2023)
    kept = write("p/2024/qingshi.txt", HEAD + ACCOUNTS + LEADER + PROBLEMS_NEW + PLAN_NEW)
    by, _ = check([prev], kept)
    p = by["qingshi.txt"]["previous"]
    assert [x["text"][:2] for x in p["promises"]] == ["一是", "二是", "三是"], p["promises"]
    assert [x["followed"] for x in p["promises"]] == [True, True, True], p["promises"]
    assert "法律顾问" in p["promises"][1]["evidence"], p["promises"][1]
    assert status(by["qingshi.txt"])["plan-followed-up"] == "pass"
    verbs = write("p/2024b/qingshi.txt", HEAD + VERBS_ONLY + LEADER + PROBLEMS_NEW + PLAN_NEW)
    by, _ = check([prev], verbs)
    p = by["qingshi.txt"]["previous"]
    assert [x["followed"] for x in p["promises"]] == [False, False, False], p["promises"]
    assert status(by["qingshi.txt"])["plan-followed-up"] == "fail"


def case_a_unit_named_otherwise_next_year_still_pairs_but_never_by_a_guess():
    # last year 清河市青石县人民政府, this year 青石县: the places above it, the 人民政府
    prev = write("q/2022/a.txt", PREVIOUS.replace("青石县人民政府", "清河市青石县人民政府"))
    cur = write("q/2023/b.txt", COPIED.replace("青石县人民政府关于", "青石县关于"))
    by, _ = check([prev], cur)
    assert by["b.txt"].get("previous", {}).get("file") == prev, (by["b.txt"].get("unit"), by["b.txt"].get("previous"))
    # two of last year's could be it: neither is taken
    prev2 = write("q/2022/c.txt", PREVIOUS.replace("青石县人民政府", "白河市青石县人民政府"))
    by, _ = check([prev, prev2], cur)
    assert "previous" not in by["b.txt"], by["b.txt"]["previous"]
    # another county of the same city is another unit
    other = write("q/2022b/d.txt", PREVIOUS.replace("青石县人民政府", "清河市白云县人民政府").replace("青石县", "白云县"))
    by, _ = check([other], cur)
    assert "previous" not in by["b.txt"], by["b.txt"]["previous"]


STOCK = ("（一）深入学习贯彻习近平法治思想。", "（二）持续深化依法行政制度建设。", "（三）全面推进严格规范公正文明执法。")


def case_the_same_subheadings_over_new_text_are_not_reuse():
    # a report written anew under last year's stock subheadings
    prev_text = (PREVIOUS.replace("（一）完善依法行政制度。", STOCK[0]).replace("（二）规范行政执法。", STOCK[1])
                 .replace("（三）化解行政争议。", STOCK[2]))
    same_heads = HEAD + STOCK[0] + """把习近平法治思想列入县政府常务会议会前学法的固定内容，全年组织领导干部旁听庭审两次。

""" + STOCK[1] + """推行规范性文件合法性审核与公平竞争审查合并办理，审核时限压缩到五个工作日。

""" + STOCK[2] + """建成全县统一的执法监督平台，执法主体、人员、事项全部上线，实现执法数据实时汇聚。

""" + LEADER + PROBLEMS_NEW + PLAN_NEW
    prev = write("r/2022/qingshi.txt", prev_text)
    cur = write("r/2023/qingshi.txt", same_heads)
    by, _ = check([prev], cur)
    rep = by["qingshi.txt"]
    assert rep["previous"]["reused"] < 0.1, rep["previous"]
    assert status(rep)["report-reused"] == "pass", verdicts(rep)["report-reused"]


def case_a_report_is_never_its_own_previous_and_a_file_given_twice_counts_once():
    cur = write("s/2023/qingshi.txt", COPIED)
    # this year's folder given as last year's too
    by, r = check([os.path.join(tmp, "s")], cur)
    assert "previous" not in by["qingshi.txt"], by["qingshi.txt"]["previous"]
    # a report of the same year is not last year's
    same_year = write("s/other/qingshi.txt", COPIED.replace("2024年2月21日", "2024年2月22日"))
    by, _ = check([same_year], cur)
    assert "previous" not in by["qingshi.txt"], by["qingshi.txt"]["previous"]
    prev = write("s/2022/qingshi.txt", PREVIOUS)
    by, r = check([os.path.join(tmp, "s", "2022"), prev], cur)
    assert by["qingshi.txt"]["previous"]["file"].endswith("2022/qingshi.txt")
    assert json.loads(r.stdout)["previous"]["reports"] == 1, json.loads(r.stdout)["previous"]
    # two of last year's reports of one unit, named otherwise this year: the first
    second = write("s/2022b/qingshi2.txt", PREVIOUS.replace("2023年2月20日", "2023年3月1日"))
    renamed = write("s/2023b/b.txt", COPIED.replace("青石县人民政府关于", "青石县关于"))
    by, _ = check([prev, second], renamed)
    assert by["b.txt"].get("previous", {}).get("file") == prev, by["b.txt"].get("previous")


def case_previous_is_only_for_check():
    r = subprocess.run([BIN, "text", "--previous", "x.txt", "y.txt"], capture_output=True, timeout=60)
    assert r.returncode == 2 and "--previous" in r.stderr.decode()


if __name__ == "__main__":
    sys.exit(run_cases("reuse", globals(), lambda: shutil.rmtree(tmp, ignore_errors=True)))
