#!/usr/bin/python3
"""The office's roster (--units): reports matched to its units by name,
alias and file name; units with no report (未提交), reports of no unit,
units with two reports; the roster's types over the names'; the roster in
the JSON, the terminal summary and the workbook; every broken roster
refused with FILE:LINE and exit 2, nothing checked or written.

Run by `make test` as: check_roster.py BINARY; prints
"roster: N passed, M failed"."""
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

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck")
UNITS = os.path.abspath("tests/fixtures/units")
tmp = tempfile.mkdtemp(prefix="fzroster-")

ROSTER = """单位名称,类型,别名
青石县人民政府,政府,
河口镇人民政府,乡镇街道,河口镇
城东街道办事处,乡镇街道,
远山县人民政府办公室,综合办事机构,县政府办
临江市交通运输局,执法部门,市交通局；市交通运输局
北湖区统计局,执法部门,
南溪县市场监督管理局,执法部门,县市场监管局
青川经济技术开发区管理委员会,开发区管委会,青川开发区管委会
东江市机关事务管理局,执法部门,
乳源县农业农村局,执法部门,县农业农村局
梅岭县水务局,执法部门,
西山县司法局,执法部门,县司法局
石门乡人民政府,乡镇街道,
白塔市公安局,执法部门,市公安局
"""


def write(name, text, encoding="utf-8"):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(text.encode(encoding) if isinstance(text, str) else text)
    return path


def batch():
    d = os.path.join(tmp, "batch")
    if not os.path.isdir(d):
        shutil.copytree(UNITS, d)
        os.remove(os.path.join(d, "expected.yaml"))
        # the same county's report twice (sent again under another name)
        shutil.copy(os.path.join(d, "u01-county.txt"), os.path.join(d, "u01-again.txt"))
        # a report that names no unit, filed by the office under its unit's name
        shutil.copy(os.path.join(d, "u07-we-only.txt"), os.path.join(d, "西山县司法局-2023年报告.txt"))
    return d


def run(*args, **kw):
    return subprocess.run([BIN, "check", *args], capture_output=True, timeout=300, **kw)


def checked(roster_path, *extra):
    out = os.path.join(tmp, "out.json")
    r = run("--units", roster_path, "--json", out, *extra, batch())
    assert r.returncode == 1, r.stderr.decode()
    data = json.load(open(out, encoding="utf-8"))
    return data, {os.path.basename(x["file"]): x for x in data["reports"]}, r


def case_reports_are_matched_by_name_alias_and_file_name():
    data, by, _ = checked(write("units.csv", ROSTER))
    want = {
        "u01-county.txt": "青石县人民政府", "u01-again.txt": "青石县人民政府",
        "u02-town-opening.txt": "河口镇人民政府",          # the town's name stands for its government
        "u03-street-salutation.txt": "城东街道办事处",
        "u05-cover-letter.txt": "临江市交通运输局",
        "北湖区统计局2024年度法治政府建设情况报告.txt": "北湖区统计局",
        "u11-level-name.txt": "乳源县农业农村局",
        "西山县司法局-2023年报告.txt": "西山县司法局",       # by its file name only
        "u07-we-only.txt": None,                            # nothing says whose it is
    }
    for f, unit in want.items():
        assert by[f].get("roster_unit") == unit, (f, by[f].get("roster_unit"), by[f].get("unit"))
        if unit:
            assert by[f]["unit"] == unit and by[f]["unit_source"] == "roster", by[f]
    roster = data["roster"]
    assert roster["units"] == 14
    assert roster["missing"] == [], roster["missing"]
    assert [os.path.basename(f) for f in roster["unmatched"]] == ["u07-we-only.txt"], roster
    assert [sorted(os.path.basename(f) for f in g) for g in roster["duplicates"]] == [
        ["u01-again.txt", "u01-county.txt"]], roster["duplicates"]


def case_the_roster_type_wins_over_the_name():
    # the roster says the 机关事务管理局 is an enforcement department: its
    # enforcement duties are then checked (and missing)
    _, by, _ = checked(write("units.csv", ROSTER))
    rep = by["u10-non-enforcement.txt"]
    assert rep["unit_type"] == "执法部门", rep["unit_type"]
    st = {x["id"]: x["status"] for x in rep["results"]}
    assert st["three-systems"] == "fail" and st["double-random-data"] == "fail", st


def case_missing_units_are_listed_everywhere():
    roster = ROSTER + "远山县信访局,非执法部门,\n"
    xlsx = os.path.join(tmp, "out.xlsx")
    data, _, r = checked(write("units2.csv", roster), "--xlsx", xlsx)
    assert data["roster"]["missing"] == ["远山县信访局"], data["roster"]
    # the terminal summary needs no JSON
    t = run("--units", os.path.join(tmp, "units2.csv"), batch())
    out = t.stdout.decode()
    assert "未提交：远山县信访局" in out and "未匹配：" in out and "多份报告（青石县人民政府）" in out, out[-800:]
    wb = openpyxl.load_workbook(xlsx)
    assert "未提交" in wb.sheetnames, wb.sheetnames
    rows = list(wb["未提交"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in rows] == [(1, "远山县信访局", "非执法部门")], rows
    head = [c.value for c in wb["汇总"][1]]
    col = head.index("单位类型")
    types = {row[3]: row[col] for row in wb["汇总"].iter_rows(min_row=2, values_only=True)}
    assert types[os.path.join(batch(), "u09-zone.txt")] == "开发区管委会", types
    notes = {row[3]: row[-1] for row in wb["汇总"].iter_rows(min_row=2, values_only=True)}
    assert notes[os.path.join(batch(), "u07-we-only.txt")] == "未匹配到单位名单中的单位", notes


def case_encodings_and_yaml():
    want = checked(write("units.csv", ROSTER))[1]
    for name, content in (("gbk.csv", ROSTER.encode("gb18030")),
                          ("bom.csv", b"\xef\xbb\xbf" + ROSTER.encode()),
                          ("crlf.csv", ROSTER.replace("\n", "\r\n").encode())):
        _, by, _ = checked(write(name, content))
        assert {k: v.get("roster_unit") for k, v in by.items()} == \
               {k: v.get("roster_unit") for k, v in want.items()}, name
    lines = ROSTER.strip().split("\n")[1:]
    yml = "units:\n" + "".join(
        "  - {name: %s, type: %s%s}\n" % (n, t, ", aliases: [%s]" % ", ".join(a.split("；")) if a else "")
        for n, t, a in (l.split(",") for l in lines))
    _, by, _ = checked(write("units.yaml", yml))
    assert {k: v.get("roster_unit") for k, v in by.items()} == {k: v.get("roster_unit") for k, v in want.items()}


def case_broken_rosters_stop_everything():
    cases = [
        ("type.csv", "单位名称,类型,别名\n甲县司法局,执法部门,\n乙县公安局,公安机关,\n",
         "type.csv:3: 单位“乙县公安局”的类型“公安机关”不是规则包定义的单位类型"),
        ("dup.csv", "单位名称,类型,别名\n甲县司法局,执法部门,县司法局\n乙县司法局,执法部门,县司法局\n",
         "dup.csv:3: 单位“乙县司法局”重复：“县司法局”已在第 2 行出现"),
        ("dupname.csv", "单位名称,类型\n甲县司法局,执法部门\n\n甲县司法局,执法部门\n",
         "dupname.csv:4: 单位“甲县司法局”重复"),
        ("header.csv", "甲县司法局,执法部门\n乙县公安局,执法部门\n", "header.csv:1: 缺少表头"),
        ("bytes.csv", b"\xff\xfe\xfd\x80\x81\xfe\xff" * 3, "bytes.csv:1: 无法读取单位名单"),
        ("empty.csv", "单位名称,类型,别名\n\n", "empty.csv:1: 名单中没有单位"),
        ("nothing.csv", "", "nothing.csv:1: 无法读取单位名单：文件为空"),
        ("noname.csv", "单位名称,类型\n,执法部门\n", "noname.csv:2: 单位名称为空"),
        ("bad.yaml", "units:\n  - {name: 甲县司法局, type: [\n", "bad.yaml:3:"),
    ]
    for name, content, phrase in cases:
        path = write(name, content)
        out = os.path.join(tmp, "never.json")
        r = run("--units", path, "--json", out, batch())
        err = r.stderr.decode()
        assert r.returncode == 2, (name, r.returncode, err)
        assert phrase in err, (name, err)
        assert "单位名单" in err and "未进行检查" in err, (name, err)
        assert r.stdout == b"" and not os.path.exists(out), name


if __name__ == "__main__":
    sys.exit(run_cases("roster", globals(), lambda: shutil.rmtree(tmp, ignore_errors=True)))
