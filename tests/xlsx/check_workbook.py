#!/usr/bin/python3
"""Reads the workbooks fzcheck writes with an independent reader (openpyxl)
and checks them against the JSON of the same run.

Run by `make test` as: tests/xlsx/check_workbook.py BINARY SEEDS
Prints one line per case and a closing "xlsx: N passed, M failed".
"""
import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), ".."))
from pycase import run_cases  # noqa: E402

import json
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck"
SEEDS = sys.argv[2] if len(sys.argv) > 2 else "../shared/seeds"
SHEETS = ["汇总", "要素矩阵", "问题清单", "证据", "规则说明", "图表"]
SYMBOL = {"pass": "✓", "partial": "◐", "fail": "✗", "na": "—"}
LABEL = {"pass": "符合", "partial": "部分符合", "fail": "缺失", "na": "不适用"}

tmp = tempfile.mkdtemp(prefix="fzxlsx-")
HAVE_SEEDS = os.path.isdir(SEEDS)
if not HAVE_SEEDS:
    print("SKIPPED: the real reports (%s) are not beside this clone; the workbook checks run "
          "on the sample reports only" % SEEDS)


def run(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([BIN, "check", *args], capture_output=True, text=True, errors="replace",
                          env=e)


def batch():
    """A batch with a tie (the same report twice), an unreadable file, a
    quote that starts with '=', the samples and the seeds."""
    d = os.path.join(tmp, "batch")
    if not os.path.isdir(d):
        os.makedirs(d)
        shutil.copy("reports/sifaju-2024-complete.txt", os.path.join(d, "a-copy1.txt"))
        shutil.copy("reports/sifaju-2024-complete.txt", os.path.join(d, "a-copy2.txt"))
        shutil.copy("tests/fixtures/xlsx/formula-quote.txt", d)
        open(os.path.join(d, "empty.txt"), "w").close()
    return [d, "reports"] + ([SEEDS] if HAVE_SEEDS else [])


def workbook(name, extra=(), env=None):
    xlsx = os.path.join(tmp, name + ".xlsx")
    js = os.path.join(tmp, name + ".json")
    r = run("--json", js, "--xlsx", xlsx, *extra, *batch(), env=env)
    assert r.returncode in (0, 1), r.stderr
    with open(js, encoding="utf-8") as f:
        data = json.load(f)
    return openpyxl.load_workbook(xlsx), data, xlsx


WB, DATA, PATH = workbook("main")
REPORTS = DATA["reports"]
RULES = DATA["rules"]
RULE = {r["id"]: r for r in RULES}


def rows(ws, start):
    return [r for r in ws.iter_rows(min_row=start, values_only=True)]


def case_sheet_names():
    assert WB.sheetnames == SHEETS, WB.sheetnames


def case_summary_rows_and_ranks():
    ws = WB["汇总"]
    body = rows(ws, 2)
    assert len(body) == len(REPORTS), (len(body), len(REPORTS))
    by_file = {r["file"]: r for r in REPORTS}
    scored = [r for r in body if r[0] != "—"]
    prev_score, prev_rank = None, None
    for i, row in enumerate(scored):
        rank, unit, year, file, score, grade, gaps = row[:7]
        j = by_file[file]
        assert score == j["score"] and grade == j["grade"] and gaps == j["required_gaps"], row
        assert isinstance(score, (int, float)) and ws.cell(i + 2, 5).data_type == "n"
        # ties share a rank; the next rank skips (1, 2, 2, 4)
        expect = prev_rank if score == prev_score else i + 1
        assert rank == expect, (rank, expect, row)
        prev_score, prev_rank = score, rank
    ties = [r for r in scored if r[3].endswith("a-copy1.txt") or r[3].endswith("a-copy2.txt")]
    assert len(ties) == 2 and ties[0][0] == ties[1][0], ties
    bad = [r for r in body if r[0] == "—"]
    assert len(bad) == 1 and "文件为空" in bad[0][-1], bad
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref, (ws.freeze_panes, ws.auto_filter.ref)


def case_category_subtotals():
    ws = WB["汇总"]
    header = [c.value for c in ws[1]]
    cats = []
    for r in RULES:
        if r["category"] not in cats:
            cats.append(r["category"])
    assert header[7:7 + len(cats)] == cats, header
    by_file = {r["file"]: r for r in REPORTS}
    for row in rows(ws, 2):
        if row[0] == "—":
            continue
        j = by_file[row[3]]
        for k, cat in enumerate(cats):
            applied = [x for x in j["results"] if RULE[x["id"]]["category"] == cat and x["status"] != "na"]
            if not applied:
                # a category none of whose rules applied is —, not 0 points
                assert row[7 + k] == "—", (row[3], cat, row[7 + k])
                continue
            want = sum(x["score"] for x in applied)
            assert abs(row[7 + k] - want) < 1e-6, (row[3], cat, row[7 + k], want)


def case_matrix_matches_json():
    ws = WB["要素矩阵"]
    ids = [c.value for c in ws[2]][2:-1:2]
    assert ids == [r["id"] for r in RULES], ids
    fills = {"✓": "C6EFCE", "◐": "FFEB9C", "✗": "FFC7CE", "—": "D9D9D9"}
    by_file = {r["file"]: r for r in REPORTS}
    n = 0
    for i, row in enumerate(rows(ws, 3)):
        j = by_file[row[1]]
        if j.get("error"):
            assert row[-1] == j["error"]
            continue
        for k, res in enumerate(j["results"]):
            sym, score = row[2 + 2 * k], row[3 + 2 * k]
            assert sym == SYMBOL[res["status"]], (row[1], res["id"], sym, res["status"])
            cell = ws.cell(i + 3, 3 + 2 * k)
            assert cell.fill.fgColor.rgb.endswith(fills[sym]), cell.fill.fgColor.rgb
            if res["status"] == "na":
                assert score is None
            else:
                assert score == res["score"] and ws.cell(i + 3, 4 + 2 * k).data_type == "n"
            n += 1
    assert n == sum(len(r["results"]) for r in REPORTS if not r.get("error"))
    assert ws.freeze_panes == "B3", ws.freeze_panes


def case_gap_list_one_row_per_gap():
    ws = WB["问题清单"]
    body = rows(ws, 2)
    want = [(r["file"], RULE[x["id"]]["title"], LABEL[x["status"]], x["message"]) for r in REPORTS
            for x in r["results"] if x["status"] in ("partial", "fail")]
    got = [(row[1], row[2], row[5], row[6]) for row in body]
    assert sorted(got) == sorted(want), (len(got), len(want))
    # by unit (the file when there is none), each report's rows together,
    # required before recommended before info
    order = {"必备": 0, "推荐": 1, "提示": 2}
    keys = [(row[1] if row[0] == "（未写明）" else row[0], row[1], order[row[4]]) for row in body]
    assert keys == sorted(keys), keys[:10]


def case_evidence_rows_and_formula_text():
    ws = WB["证据"]
    body = rows(ws, 2)
    assert len(body) == sum(len(x["evidence"]) for r in REPORTS for x in r["results"])
    texts = [row[5] for row in body]
    for lead in "=+@":
        assert any(t and t.startswith(lead) for t in texts), "no quote starting with " + lead
    eq = [i for i, t in enumerate(texts) if t and t[0] in "=+-@"]
    for i in eq:
        cell = ws.cell(i + 2, 6)
        assert cell.data_type == "s", cell.data_type  # a string, never a formula
    assert all(isinstance(row[3], int) for row in body)  # line numbers are numbers


def case_rules_sheet():
    ws = WB["规则说明"]
    body = rows(ws, 2)
    assert [r[0] for r in body] == [r["id"] for r in RULES]
    assert all(isinstance(r[4], (int, float)) for r in body)
    # where each rule comes from: the one pack of the default chain
    assert rows(ws, 1)[0][7] == "来源"
    assert all(r[7] == DATA["pack"]["chain"][0]["name"] for r in body), [r[7] for r in body]


def case_reproducible():
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    _, _, a = workbook("rep1", env=env)
    _, _, b = workbook("rep2", env=env)
    with open(a, "rb") as f1, open(b, "rb") as f2:
        assert f1.read() == f2.read(), "workbooks differ under SOURCE_DATE_EPOCH"
    props = openpyxl.load_workbook(a).properties
    assert props.created.year == 2023, props.created


def case_page_setup():
    for name in SHEETS[:-1]:
        ws = WB[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.paperSize in (9, "9"), (name, ws.page_setup.paperSize)
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.print_title_rows, name
        assert "&A" in (ws.oddHeader.center.text or ""), name
        assert "&P" in (ws.oddFooter.center.text or ""), name
        font = ws.cell(2, 1).font
        assert font.name == "宋体", (name, font.name)


def case_long_text_is_cut():
    long = "很长" * 20000  # 40000 characters, over Excel's 32767
    pack = os.path.join(tmp, "longpack")
    shutil.copytree("rules", pack)
    path = os.path.join(pack, "10-statutory.yaml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("suggestion: 单设“存在的不足和原因”部分", "suggestion: " + long, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    xlsx = os.path.join(tmp, "long.xlsx")
    r = run("--rules", pack, "--xlsx", xlsx, "reports/ziranziyuan-2023-noproblems.txt")
    assert r.returncode == 1, r.stderr
    ws = openpyxl.load_workbook(xlsx)["问题清单"]
    cells = [row[7] for row in rows(ws, 2) if row[7] and row[7].startswith("很长")]
    assert cells and 32000 < len(cells[0]) <= 32767 and cells[0].endswith("…"), len(cells[0]) if cells else 0


def case_odd_names_and_text_still_make_valid_xml():
    d = os.path.join(tmp, "odd")
    os.makedirs(d)
    # a GBK file name (not UTF-8) and a report holding U+FFFF and a control character
    name = os.path.join(d.encode(), b"\xb1\xa8\xb8\xe6.txt")
    shutil.copy("reports/jiaoyuju-2023-pdf.txt", name)
    with open(os.path.join(d, "ffff.txt"), "w", encoding="utf-8") as f:
        f.write("关于2023年度法治政府建设情况的报告\n一、主要举措\n落实行政执法公示制度\uffff\x07，公示信息12条。\n")
    xlsx = os.path.join(tmp, "odd.xlsx")
    r = run("--xlsx", xlsx, d)
    assert r.returncode in (0, 1), r.stderr
    wb = openpyxl.load_workbook(xlsx)
    files = [row[3] for row in rows(wb["汇总"], 2)]
    assert any("\ufffd" in f for f in files), files
    scores = [row[4] for row in rows(wb["汇总"], 2)]
    assert all(isinstance(v, (int, float)) for v in scores), scores


def case_replaced_file_keeps_its_permissions():
    target = os.path.join(tmp, "perm.xlsx")
    with open(target, "w") as f:
        f.write("old")
    os.chmod(target, 0o640)
    assert run("--xlsx", target, "reports/sifaju-2024-complete.txt").returncode == 0
    assert os.stat(target).st_mode & 0o777 == 0o640, oct(os.stat(target).st_mode)


def case_unwritable_target():
    xlsx = "/nonexistent-dir/x.xlsx"
    js = os.path.join(tmp, "still.json")
    r = run("--json", js, "--xlsx", xlsx, "reports/sifaju-2024-complete.txt")
    assert r.returncode == 2, r.returncode
    assert "无法写入" in r.stderr, r.stderr
    assert "清河市司法局" in r.stdout  # the text report is still produced
    with open(js, encoding="utf-8") as f:
        assert json.load(f)["reports"][0]["grade"] == "优秀"  # and the JSON
    # an existing workbook is replaced whole and no temporary file is left
    target = os.path.join(tmp, "keep", "w.xlsx")
    os.makedirs(os.path.dirname(target))
    with open(target, "w") as f:
        f.write("old")
    assert run("--xlsx", target, "reports/sifaju-2024-complete.txt").returncode == 0
    assert openpyxl.load_workbook(target).sheetnames == SHEETS
    assert os.listdir(os.path.dirname(target)) == ["w.xlsx"], os.listdir(os.path.dirname(target))
    # a pipe cannot hold a workbook (a zip needs to seek): refused in Chinese
    fifo = os.path.join(tmp, "pipe.xlsx")
    os.mkfifo(fifo)
    r = run("--xlsx", fifo, "reports/sifaju-2024-complete.txt")
    assert r.returncode == 2 and "不能写入管道或设备" in r.stderr, (r.returncode, r.stderr)


if __name__ == "__main__":
    sys.exit(run_cases("xlsx", globals(), lambda: shutil.rmtree(tmp, ignore_errors=True)))
