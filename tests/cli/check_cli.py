#!/usr/bin/python3
"""The command line as a user meets it: shards (check --jsonl) merged on
another machine give the outputs of one check; broken shards refused with
FILE:LINE and exit 2, nothing written; JSON format 3; --jobs changes
nothing; a report read from standard input; what a terminal sees (listings,
progress, --quiet, --verbose); the HTML pages (--html) match the JSON and
escape what a report holds; workbook sheets that continue; the man page
documents every option of --help.

Run by `make test` as: check_cli.py BINARY (from the source tree, with the
pack rules/); prints "cli: N passed, M failed"."""
import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), ".."))
from pycase import run_cases  # noqa: E402

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

import htmlpage
import openpyxl

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck")
RULES = "rules"
REPORTS = ["reports/jiaoyuju-2023-pdf.txt", "reports/shijianju-2023-gaps.md",
           "reports/sifaju-2024-complete.txt", "reports/ziranziyuan-2023-noproblems.txt"]
UNITS = "reports/units.csv"
BLIND = "tests/fixtures/blind7-g"
DOCX = "tests/fixtures/formats/sifaju-2024-complete.docx"
MAN = "man/fzcheck.1"
tmp = tempfile.mkdtemp(prefix="fzcli-")


def env(**extra):
    e = {k: v for k, v in os.environ.items()
         if k not in ("NO_COLOR", "FZCHECK_XLSX_ROWS", "FZCHECK_MAX_MB")}
    e["SOURCE_DATE_EPOCH"] = "1700000000"
    e.update(extra)
    return e


def fz(*args, stdin=None, extra_env=None, stdout_path=None, timeout=300):
    """Runs the binary; stdout to a file when stdout_path is given (so it
    is not a pipe that could change what is written)."""
    e = env(**(extra_env or {}))
    if stdout_path:
        with open(stdout_path, "wb") as out:
            r = subprocess.run([BIN, *args], stdin=stdin if stdin is not None else subprocess.DEVNULL,
                               stdout=out, stderr=subprocess.PIPE, env=e, timeout=timeout)
        with open(stdout_path, "rb") as f:
            r.stdout = f.read()
        return r
    return subprocess.run([BIN, *args], stdin=stdin if stdin is not None else subprocess.DEVNULL,
                          capture_output=True, env=e, timeout=timeout)


def path(name):
    return os.path.join(tmp, name)


def read(p):
    with open(p, "rb") as f:
        return f.read()


def fresh(name):
    d = path(name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def blind_files():
    """The reports of blind7-g in the order a check of the folder takes."""
    r = fz("check", "--rules", RULES, "--json", "-", BLIND)
    assert r.returncode in (0, 1), r.stderr.decode()
    files = [x["file"] for x in json.loads(r.stdout)["reports"]]
    assert len(files) >= 9, files
    return files


# ---- shards and merge ------------------------------------------------------

def one_check(d, files, *opts):
    """One check over files: its text (stdout to a file), JSON, xlsx."""
    r = fz("check", "--rules", RULES, *opts, "--json", os.path.join(d, "all.json"),
           "--xlsx", os.path.join(d, "all.xlsx"), *files, stdout_path=os.path.join(d, "all.txt"))
    assert r.returncode in (0, 1), r.stderr.decode()
    return r.returncode


def sharded(d, parts, *opts):
    """Each part checked to its own shard, then merged."""
    shards = []
    for k, files in enumerate(parts):
        s = os.path.join(d, "part%d.jsonl" % k)
        r = fz("check", "--rules", RULES, *opts, "--jsonl", s, *files,
               stdout_path=os.path.join(d, "part%d.txt" % k))
        assert r.returncode in (0, 1), r.stderr.decode()
        shards.append(s)
    r = fz("merge", "--rules", RULES, *opts, "--json", os.path.join(d, "merged.json"),
           "--xlsx", os.path.join(d, "merged.xlsx"), *shards,
           stdout_path=os.path.join(d, "merged.txt"))
    assert r.returncode in (0, 1), r.stderr.decode()
    return r.returncode, shards


def assert_same_outputs(d, rc_check, rc_merge):
    assert rc_check == rc_merge, (rc_check, rc_merge)
    for ext in ("json", "xlsx", "txt"):
        a, b = read(os.path.join(d, "all." + ext)), read(os.path.join(d, "merged." + ext))
        assert a, ext
        assert a == b, "merge and check differ in their %s (%d and %d bytes)" % (ext, len(a), len(b))


def case_merge_of_two_shards_equals_one_check():
    d = fresh("merge2")
    rc = one_check(d, REPORTS)
    rcm, _ = sharded(d, [REPORTS[:2], REPORTS[2:]])
    assert_same_outputs(d, rc, rcm)


def case_merge_of_two_shards_with_a_roster_equals_one_check():
    d = fresh("merge2u")
    rc = one_check(d, REPORTS, "--units", UNITS)
    rcm, shards = sharded(d, [REPORTS[:2], REPORTS[2:]], "--units", UNITS)
    assert_same_outputs(d, rc, rcm)
    # the roster is really in the outputs: units without a report are named
    data = json.loads(read(os.path.join(d, "merged.json")))
    assert "roster" in data, list(data)
    head = json.loads(read(shards[0]).split(b"\n")[0])
    assert head["shard"]["roster"]["units"] == data["roster"]["units"], head["shard"]


def case_merge_of_three_shards_of_many_reports_equals_one_check():
    files = blind_files()
    d = fresh("merge3")
    rc = one_check(d, files)
    third = (len(files) + 2) // 3
    rcm, _ = sharded(d, [files[:third], files[third:2 * third], files[2 * third:]])
    assert_same_outputs(d, rc, rcm)
    # and the folder itself checked at once gives the same JSON
    r = fz("check", "--rules", RULES, "--json", "-", BLIND)
    assert r.stdout == read(os.path.join(d, "merged.json"))


def case_merge_prints_json_on_stdout_or_nothing_when_quiet():
    d = fresh("mergeout")
    one_check(d, REPORTS)
    _, shards = sharded(d, [REPORTS[:1], REPORTS[1:]])
    r = fz("merge", "--rules", RULES, "--json", "-", *shards)
    assert r.returncode == 1 and r.stdout == read(os.path.join(d, "all.json")), r.stderr.decode()
    q = os.path.join(d, "quiet.json")
    r = fz("merge", "--rules", RULES, "--quiet", "--json", q, *shards)
    assert r.returncode == 1 and r.stdout == b"" and r.stderr == b"", (r.returncode, r.stdout[:200])
    assert read(q) == read(os.path.join(d, "all.json"))
    r = fz("merge", "--rules", RULES, "--verbose", "--quiet", *shards)
    assert r.returncode == 2, r.returncode
    for bad in (["--jsonl", os.path.join(d, "x.jsonl")], ["--name", "a.txt"]):
        r = fz("merge", "--rules", RULES, *bad, *shards)
        assert r.returncode == 2 and not os.path.exists(os.path.join(d, "x.jsonl")), bad


def case_a_shard_is_a_header_one_line_per_report_and_an_end_line():
    d = fresh("layout")
    s = os.path.join(d, "s.jsonl")
    r = fz("check", "--rules", RULES, "--jsonl", s, *REPORTS[:3])
    assert r.returncode == 1, r.stderr.decode()
    assert "【1/3】" in r.stdout.decode()  # the text goes on as before
    raw = read(s)
    assert raw.endswith(b"\n"), raw[-50:]
    lines = [json.loads(x) for x in raw.decode().split("\n")[:-1]]
    assert len(lines) == 5, len(lines)
    head, end = lines[0], lines[-1]
    assert head["tool"] == "fzcheck" and head["format"] == 3, head.keys()
    assert isinstance(head["shard"], dict) and head["shard"].get("roster") is None, head["shard"]
    assert [x["id"] for x in head["rules"]] == [x["id"] for x in json.loads(
        fz("check", "--rules", RULES, "--json", "-", REPORTS[0]).stdout)["rules"]]
    assert end == {"end": {"reports": 3}}, end
    assert [x["file"] for x in lines[1:-1]] == REPORTS[:3]
    # to stdout: the shard only, no text report
    r = fz("check", "--rules", RULES, "--jsonl", "-", *REPORTS[:3])
    assert r.stdout == raw, r.stdout[:200]


# ---- broken shards ---------------------------------------------------------

def good_shard(name="good.jsonl", files=REPORTS[:2], *opts):
    s = path(name)
    if not os.path.exists(s):
        r = fz("check", "--rules", RULES, *opts, "--jsonl", s, *files)
        assert r.returncode in (0, 1), r.stderr.decode()
    return s


def shard_lines():
    return read(good_shard()).split(b"\n")  # the last item is b""


def write(name, data):
    p = path(name)
    with open(p, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    return p


def assert_refused(shard, line=None, rules=RULES, extra=(), phrase=None, others=()):
    """merge refuses shard: exit 2, "FILE:LINE: …" on stderr, an existing
    JSON left as it was, no workbook made."""
    d = fresh("refused")
    old = os.path.join(d, "old.json")
    with open(old, "w") as f:
        f.write('{"old": true}\n')
    xlsx = os.path.join(d, "new.xlsx")
    r = fz("merge", "--rules", rules, *extra, "--json", old, "--xlsx", xlsx, *others, shard)
    err = r.stderr.decode()
    assert r.returncode == 2, (shard, r.returncode, err)
    m = re.search(r"^fzcheck: (.+?):(\d+): \S", err, re.M)
    assert m and m.group(1) == shard, (shard, err)
    if line is not None:
        assert int(m.group(2)) == line, (shard, line, err)
    if phrase:
        assert phrase in err, (phrase, err)
    assert read(old) == b'{"old": true}\n', read(old)[:100]
    assert not os.path.exists(xlsx), "a workbook was written"
    assert not [f for f in os.listdir(d) if f not in ("old.json",)], os.listdir(d)  # no temp files left
    return r, int(m.group(2))


def case_merge_refuses_a_shard_cut_mid_line():
    lines = shard_lines()
    cut = b"\n".join(lines[:2]) + b"\n" + lines[2][: len(lines[2]) // 2]
    assert_refused(write("cut-mid.jsonl", cut), line=3, phrase="截断")
    # even the header cut
    assert_refused(write("cut-head.jsonl", lines[0][:100]), line=1)


def case_merge_refuses_a_shard_cut_at_a_line_boundary():
    lines = shard_lines()
    for keep in (1, 2, 3):  # header only; header and reports; never the end line
        cut = b"\n".join(lines[:keep]) + b"\n"
        assert_refused(write("cut%d.jsonl" % keep, cut), line=keep + 1, phrase="结束行")


def case_merge_of_a_truncated_shard_numbers_reports_out_of_their_count():
    # merge counts each shard's reports (its lines less the header and the
    # end line) before it starts: a shard without its end line must not be
    # listed as "【1/0】" or "【2/1】" before the merge fails
    lines = shard_lines()
    for name, cut in (("cut-end.jsonl", b"\n".join(lines[:3]) + b"\n"),
                      ("cut-mid2.jsonl", b"\n".join(lines[:2]) + b"\n" + lines[2][:200])):
        r = fz("merge", "--rules", RULES, write(name, cut), stdout_path=path("cut.txt"))
        assert r.returncode == 2
        shown = [(int(i), int(n)) for i, n in re.findall(r"【(\d+)/(\d+)】", r.stdout.decode())]
        assert all(1 <= i <= n for i, n in shown), "%s: stdout numbers the reports %s" % (
            name, " ".join("【%d/%d】" % x for x in shown))


def case_merge_refuses_a_foreign_json_file_and_an_empty_file():
    assert_refused(write("foreign.json", '{"tool": "other", "format": 2}\n'), line=1)
    full = fz("check", "--rules", RULES, "--json", "-", REPORTS[0]).stdout
    # a JSON result (not a shard) is refused too
    assert_refused(write("result.json", full), line=1, phrase="分片")
    assert_refused(write("list.jsonl", "[1, 2, 3]\n"), line=1)
    assert_refused(write("binary.jsonl", b"\x00\xff\xfe garbage\n"), line=1)
    assert_refused(write("empty.jsonl", b""), phrase="空")


def case_merge_refuses_evidence_in_a_section_the_report_lacks():
    # an evidence names its section by index into the report's sections
    lines = shard_lines()
    rep = json.loads(lines[1])
    n = len(rep["sections"])
    for bad in (n, -1, "一、工作"):
        for res in rep["results"]:
            for e in res["evidence"]:
                e["section"] = bad
        out = [lines[0], json.dumps(rep, ensure_ascii=False).encode()] + lines[2:]
        assert_refused(write("badsec.jsonl", b"\n".join(out)), line=2, phrase="section")
    # a section without its marker
    rep = json.loads(lines[1])
    del rep["sections"][0]["marker"]
    out = [lines[0], json.dumps(rep, ensure_ascii=False).encode()] + lines[2:]
    assert_refused(write("nomarker.jsonl", b"\n".join(out)), line=2, phrase="marker")


def case_an_empty_shard_is_reported_at_line_1():
    # as the roster does ("units.csv:1: 无法读取单位名单：文件为空")
    _, line = assert_refused(write("empty.jsonl", b""), phrase="空")
    assert line == 1, "an empty shard is reported at line %d" % line


def case_merge_refuses_a_shard_of_another_pack():
    other = path("rules-other")
    shutil.rmtree(other, ignore_errors=True)
    shutil.copytree(RULES, other)
    f = os.path.join(other, "10-statutory.yaml")
    with open(f, encoding="utf-8") as fh:
        text = fh.read()
    changed = re.sub(r"points: 15", "points: 14", text, count=1)
    assert changed != text
    with open(f, "w", encoding="utf-8") as fh:
        fh.write(changed)
    s = path("other-pack.jsonl")
    r = fz("check", "--rules", other, "--jsonl", s, REPORTS[2])
    assert r.returncode in (0, 1), r.stderr.decode()
    assert_refused(s, line=1, phrase="规则包")
    # the pack it was made with merges it
    r = fz("merge", "--rules", other, "--json", "-", s)
    assert r.returncode in (0, 1) and json.loads(r.stdout)["reports"][0]["file"] == REPORTS[2], r.stderr
    # one good shard before the bad one: still nothing written
    assert_refused(s, line=1, others=(good_shard(),))


def case_merge_refuses_a_roster_shard_without_units_and_the_reverse():
    s = good_shard("roster.jsonl", REPORTS[:2], "--units", UNITS)
    assert_refused(s, line=1, phrase="--units")
    assert_refused(good_shard(), line=1, extra=("--units", UNITS))
    # another roster (fewer units)
    with open(UNITS, encoding="utf-8") as f:
        rows = f.read().splitlines()
    smaller = write("smaller.csv", "\n".join(rows[:-1]) + "\n")
    assert_refused(s, line=1, extra=("--units", smaller))


def case_merge_refuses_a_report_line_with_a_wrong_type():
    lines = shard_lines()
    rep = json.loads(lines[1])
    variants = []
    for change in (lambda x: x.__setitem__("score", "high"),
                   lambda x: x["results"][0].__setitem__("status", 3),
                   lambda x: x["results"][0].__setitem__("evidence", "none"),
                   lambda x: x.__setitem__("year", "2023"),
                   lambda x: x.__setitem__("results", x["results"][1:]),
                   lambda x: x.__setitem__("file", 7)):
        y = json.loads(lines[1])
        change(y)
        variants.append(json.dumps(y, ensure_ascii=False).encode())
    assert rep["file"] == REPORTS[0]
    for k, v in enumerate(variants):
        data = b"\n".join([lines[0], v, lines[2], lines[3]]) + b"\n"
        assert_refused(write("wrong%d.jsonl" % k, data), line=2)
    # the results swapped: not in the pack's order
    y = json.loads(lines[1])
    y["results"][0], y["results"][1] = y["results"][1], y["results"][0]
    data = b"\n".join([lines[0], json.dumps(y, ensure_ascii=False).encode(), lines[2], lines[3]]) + b"\n"
    assert_refused(write("swapped.jsonl", data), line=2)
    # not JSON at all on line 3
    data = b"\n".join([lines[0], lines[1], b"{not json", lines[3]]) + b"\n"
    assert_refused(write("notjson.jsonl", data), line=3)


def case_merge_refuses_a_wrong_end_line_and_lines_after_it():
    lines = shard_lines()
    assert json.loads(lines[3]) == {"end": {"reports": 2}}
    data = b"\n".join([lines[0], lines[1], lines[2], b'{"end": {"reports": 5}}']) + b"\n"
    assert_refused(write("badend.jsonl", data), line=4)
    data = b"\n".join(lines[:4]) + b"\n" + lines[1] + b"\n"
    assert_refused(write("after.jsonl", data), line=5)


# ---- JSON format 3 ---------------------------------------------------------

def case_json_format_3_names_rules_once_and_results_by_id():
    r = fz("check", "--rules", RULES, "--json", "-", *REPORTS)
    assert r.returncode == 1, r.stderr.decode()
    data = json.loads(r.stdout)
    assert data["format"] == 3 and data["tool"] == "fzcheck", data.get("format")
    pack = data["pack"]
    for k in ("name", "version", "count", "chain", "disabled"):
        assert k in pack, (k, pack)
    rules = data["rules"]
    assert pack["count"] == len(rules) and len(rules) > 5, (pack["count"], len(rules))
    ids = [x["id"] for x in rules]
    assert len(set(ids)) == len(ids), ids
    for x in rules:
        assert set(x) == {"id", "title", "category", "severity", "points", "basis", "link",
                          "suggestion"}, set(x)
    listed = fz("rules", "list", RULES).stdout.decode()
    for i in ids:
        assert i in listed, i
    by_id = {x["id"]: x for x in rules}
    assert len(data["reports"]) == 4
    nulls = texts = stock = own = 0
    for rep in data["reports"]:
        # report members that would be null are left out too
        assert None not in rep.values(), rep
        assert {"file", "required_gaps", "sections", "results"} <= set(rep), set(rep)
        res = rep["results"]
        assert [x["id"] for x in res] == ids, (rep["file"], [x["id"] for x in res])
        secs = rep["sections"]
        for s in secs:
            assert {"level", "marker", "title", "line"} <= set(s) <= {
                "level", "marker", "title", "line", "role", "role_source"}, set(s)
            # a role from the heading says nothing more: only "content" is written
            assert s.get("role_source", "content") == "content" and ("role" in s or "role_source" not in s), s
        for x in res:
            # members that would be null are left out
            assert {"id", "status", "score", "message", "evidence"} <= set(x) <= {
                "id", "status", "score", "message", "suggestion", "detail", "evidence"}, set(x)
            assert None not in x.values(), x
            assert x["status"] in ("pass", "partial", "fail", "na"), x["status"]
            assert isinstance(x["evidence"], list)
            for e in x["evidence"]:
                assert set(e) <= {"line", "page", "section", "text"} and "line" in e, e
                # a section is an index into the report's sections
                if "section" in e:
                    assert 0 <= e["section"] < len(secs), (e, len(secs))
                    assert secs[e["section"]]["line"] <= e["line"], (e, secs[e["section"]])
            # the detail is written only when it says more than the message
            assert x.get("detail") != x["message"], x
            nulls += "detail" not in x
            texts += "detail" in x
            # a gap's suggestion is written only when it differs from the rule's
            if x["status"] in ("partial", "fail"):
                if "suggestion" in x:
                    assert x["suggestion"] != by_id[x["id"]]["suggestion"], x
                    own += 1
                else:
                    stock += 1
            else:
                assert "suggestion" not in x, x
        # the rule's title is not repeated in each report
        assert "title" not in res[0] and "points" not in res[0]
    assert nulls and texts and stock, (nulls, texts, stock, own)


def case_a_role_found_by_content_is_written_and_merged_back():
    r = fz("check", "--rules", RULES, "--json", "-", "tests/fixtures/blind5-e")
    reps = json.loads(r.stdout)["reports"]
    files = [x["file"] for x in reps]
    assert any(s.get("role_source") == "content" for x in reps for s in x["sections"]), files
    d = fresh("content-role")
    rc = one_check(d, files)
    rcm, _ = sharded(d, [files[:len(files) // 2], files[len(files) // 2:]])
    assert_same_outputs(d, rc, rcm)


def case_null_report_members_are_left_out_and_merge_reads_them_back():
    d = fresh("nulls")
    empty = os.path.join(d, "empty.txt")
    open(empty, "wb").close()
    files = [REPORTS[1], empty, REPORTS[2]]
    rc = one_check(d, files)
    data = json.loads(read(os.path.join(d, "all.json")))
    good, bad, full = data["reports"]
    # a report that was read: no error, and none of what it does not say
    assert "error" not in good and "roster_unit" not in good, sorted(good)
    assert "doc_number" not in good and "date" not in good, sorted(good)
    assert good["score"] >= 0 and good["grade"] and good["year"], sorted(good)
    assert full["doc_number"] and full["date"], sorted(full)
    # one that could not be read: its error, no score or grade
    assert "文件为空" in bad["error"], bad
    for k in ("score", "grade", "year", "unit", "title", "unit_type", "location"):
        assert k not in bad, (k, bad)
    assert bad["file"] == empty and bad["required_gaps"] == 0 and bad["results"] == [], bad
    # merged from shards it is the same JSON and workbook
    rcm, shards = sharded(d, [files[:2], files[2:]])
    assert_same_outputs(d, rc, rcm)
    assert any("role" in sec for rep in (good, full) for sec in rep["sections"])
    # a shard line that spells the nulls out, and role_source "heading"
    # (as 0.3.0 did), reads the same
    lines = read(shards[0]).split(b"\n")
    spelled = []
    for raw in lines[1:3]:
        rep = json.loads(raw)
        for k in ("error", "title", "unit", "unit_type", "unit_type_source", "unit_source",
                  "roster_unit", "year", "doc_number", "date", "score", "grade"):
            rep.setdefault(k, None)
        for sec in rep["sections"]:
            if "role" in sec:
                sec.setdefault("role_source", "heading")
        spelled.append(json.dumps(rep, ensure_ascii=False).encode())
    old = write("nulls-spelled.jsonl", b"\n".join([lines[0]] + spelled + lines[3:]))
    r = fz("merge", "--rules", RULES, "--json", "-", old, shards[1])
    assert r.returncode == rc and r.stdout == read(os.path.join(d, "all.json")), r.stderr.decode()


# ---- --jobs ------------------------------------------------------------------

def case_jobs_1_and_2_give_identical_outputs():
    got = []
    for jobs in ("1", "2"):
        d = fresh("jobs" + jobs)
        r = fz("check", "--rules", RULES, "--jobs", jobs, "--json", os.path.join(d, "r.json"),
               "--xlsx", os.path.join(d, "r.xlsx"), BLIND, "reports",
               stdout_path=os.path.join(d, "r.txt"))
        assert r.returncode == 1, r.stderr.decode()
        got.append([read(os.path.join(d, "r." + e)) for e in ("txt", "json", "xlsx")])
    for k, e in enumerate(("text", "JSON", "xlsx")):
        assert got[0][k] and got[0][k] == got[1][k], "--jobs 1 and 2 differ in the %s" % e
    assert len(json.loads(got[0][1])["reports"]) >= 13


# ---- standard input ------------------------------------------------------------

def from_stdin(src, *args, tmpdir=None):
    t = tmpdir or fresh("stdin-tmp")
    with open(src, "rb") as f:
        r = fz("check", "--rules", RULES, *args, stdin=f, extra_env={"TMPDIR": t})
    left = os.listdir(t)
    assert left == [], "left behind in TMPDIR: %s" % left
    return r


def verdicts(rep):
    return (rep.get("score"), rep.get("grade"), rep.get("unit"), rep.get("year"),
            [(x["id"], x["status"], x["score"]) for x in rep["results"]])


def direct(src):
    r = fz("check", "--rules", RULES, "--json", "-", src)
    return json.loads(r.stdout)["reports"][0]


def case_a_report_from_stdin_is_shown_as_dash_or_its_name():
    r = from_stdin(REPORTS[2], "--json", "-", "-")
    rep = json.loads(r.stdout)["reports"][0]
    assert rep["file"] == "-", rep["file"]
    r = from_stdin(REPORTS[2], "--json", "-", "--name", "清河市司法局2024.txt", "-")
    assert r.returncode == 0, r.stderr.decode()
    rep = json.loads(r.stdout)["reports"][0]
    assert rep["file"] == "清河市司法局2024.txt", rep["file"]
    assert "error" not in rep and verdicts(rep) == verdicts(direct(REPORTS[2]))
    # the text report names it too
    r = from_stdin(REPORTS[2], "--name", "清河市司法局2024.txt", "-")
    assert "【1/1】清河市司法局2024.txt" in r.stdout.decode(), r.stdout.decode()[:300]
    # "-" among files keeps its place
    r = from_stdin(REPORTS[2], "--json", "-", "--name", "s.txt", REPORTS[0], "-", REPORTS[1])
    assert [x["file"] for x in json.loads(r.stdout)["reports"]] == [REPORTS[0], "s.txt", REPORTS[1]]


def case_a_plain_text_report_from_stdin_without_name_is_read_by_content():
    # README: without --name the format is judged from the content
    r = from_stdin(REPORTS[2], "--json", "-", "-")
    rep = json.loads(r.stdout)["reports"][0]
    assert "error" not in rep, "plain text on stdin refused: %s" % rep["error"]
    assert verdicts(rep) == verdicts(direct(REPORTS[2]))


def case_a_docx_from_stdin_is_checked():
    r = from_stdin(DOCX, "--json", "-", "--name", "x.docx", "-")
    rep = json.loads(r.stdout)["reports"][0]
    assert rep["file"] == "x.docx" and rep["format"] == "docx" and "error" not in rep, rep["error"]
    assert verdicts(rep) == verdicts(direct(DOCX))
    # without a name: by its bytes
    r = from_stdin(DOCX, "--json", "-", "-")
    rep = json.loads(r.stdout)["reports"][0]
    assert rep["file"] == "-" and rep["format"] == "docx", (rep["file"], rep.get("error"))


def case_stdin_usage_errors():
    t = fresh("stdin-usage")
    r = from_stdin(REPORTS[2], "-", "-", tmpdir=t)
    assert r.returncode == 2 and r.stdout == b"" and "标准输入" in r.stderr.decode(), r.stderr.decode()
    r = from_stdin(REPORTS[2], "--name", "a.txt", REPORTS[2], tmpdir=t)
    assert r.returncode == 2 and r.stdout == b"" and "--name" in r.stderr.decode(), r.stderr.decode()
    # a broken output after the report was read: nothing left behind either
    r = from_stdin(REPORTS[2], "--json", os.path.join(t, "no", "such", "dir.json"), "-", tmpdir=t)
    assert r.returncode == 2, r.returncode


# ---- HTML pages (--html) ------------------------------------------------------

def html_check(d, inputs, *opts, stdin=None):
    """check --json --html into d; returns (status, JSON, {page name: Page})."""
    out = os.path.join(d, "html")
    r = fz("check", "--rules", RULES, "--quiet", *opts, "--json", os.path.join(d, "r.json"),
           "--html", out, *inputs, stdin=stdin)
    assert r.returncode in (0, 1), r.stderr.decode()
    doc = json.loads(read(os.path.join(d, "r.json")))
    pages = {}
    for name in os.listdir(out):
        with open(os.path.join(out, name), encoding="utf-8") as f:
            pages[name] = htmlpage.Page(f.read())
        assert not pages[name].errors, (name, pages[name].errors[:5])
        assert pages[name].doctype and pages[name].doctype.lower() == "doctype html", name
        csp = [m.get("content", "") for m in pages[name].metas
               if m.get("http-equiv", "").lower() == "content-security-policy"]
        assert csp and "default-src 'none'" in csp[0], (name, csp)
    return r.returncode, doc, pages


def assert_page_matches(page, rep):
    """The page shows the JSON's verdicts: header, one row per rule with
    its status, every evidence quote marked and linked from its rule."""
    if rep.get("error"):
        assert rep["error"] in page.text["error"], page.text.get("error")
        assert "score" not in page.ids and not page.rows
        return
    assert float(page.text["score"]) == rep["score"], (page.text["score"], rep["score"])
    assert page.text["grade"] == rep["grade"], (page.text["grade"], rep["grade"])
    assert page.text["file"] == htmlpage.shown(rep["file"]), (page.text["file"], rep["file"])
    assert [i for i, _ in page.rows] == [x["id"] for x in rep["results"]]
    for (rid, cls), x in zip(page.rows, rep["results"]):
        assert cls == "s-" + x["status"], (rid, cls, x["status"])
        for k, e in enumerate(x["evidence"]):
            mid = "e-%s-%d" % (rid, k)
            assert "#" + mid in page.row_links.get(rid, []), (rid, k)
            assert page.ids[mid][0] == "mark", mid
            assert htmlpage.quote_is_marked(page, mid, e["text"]), (mid, e["text"])
            para = page.marks[mid][0]
            assert "#rule-" + rid in page.links
            assert para in page.paras


def assert_index_ranks(index, doc, pages):
    """index.html: every report once, ranked as the text summary ranks
    (ties share a rank, unreadable reports last), linking to its page."""
    reps = doc["reports"]
    rows = index.index_rows
    assert len(rows) == len(reps), (len(rows), len(reps))
    order = [int(a["id"][2:]) - 1 for a, _, _ in rows]
    assert sorted(order) == list(range(len(reps)))
    readable = [i for i in order if "error" not in reps[i]]
    assert order[:len(readable)] == readable, "unreadable reports come last"
    scores = [reps[i]["score"] for i in readable]
    assert scores == sorted(scores, reverse=True)
    prev, rank = None, 0
    for place, (a, cells, hrefs) in enumerate(rows):
        rep = reps[order[place]]
        assert len(hrefs) == 1 and urllib.parse.unquote(hrefs[0]) in pages, hrefs
        page = pages[urllib.parse.unquote(hrefs[0])]
        assert page.text["file"] == htmlpage.shown(rep["file"])
        if rep.get("error"):
            assert cells[0] == "—" and rep["error"] in cells[-1], cells
            continue
        if rep["score"] != prev:
            rank, prev = place + 1, rep["score"]
        assert cells[0] == str(rank), (cells[0], rank)
        assert float(cells[4]) == rep["score"] and cells[5] == rep["grade"], cells


def case_html_writes_a_page_per_report_matching_the_json_and_an_index():
    d = fresh("html-pages")
    empty = os.path.join(d, "空报告.txt")
    open(empty, "wb").close()
    files = REPORTS + [DOCX, "tests/fixtures/formats/jiaoyuju-2023-pdf.pdf", empty]
    rc, doc, pages = html_check(d, files)
    names = {os.path.basename(f) + ".html" for f in files}
    assert set(pages) == names | {"index.html"}, sorted(pages)
    for rep in doc["reports"]:
        assert_page_matches(pages[os.path.basename(rep["file"]) + ".html"], rep)
    assert_index_ranks(pages["index.html"], doc, pages)
    # and a page links back to the ranking
    assert "index.html" in pages[os.path.basename(REPORTS[0]) + ".html"].links


def case_html_pages_of_the_same_file_name_in_two_folders_are_distinct():
    d = fresh("html-same-name")
    for sub, src in (("甲", REPORTS[0]), ("乙", REPORTS[2])):
        os.makedirs(os.path.join(d, "in", sub))
        shutil.copy(src, os.path.join(d, "in", sub, "报告.txt"))
    rc, doc, pages = html_check(d, [os.path.join(d, "in")])
    assert set(pages) == {"报告.txt.html", "报告.txt（2）.html", "index.html"}, sorted(pages)
    for rep, name in zip(doc["reports"], ("报告.txt.html", "报告.txt（2）.html")):
        assert_page_matches(pages[name], rep)
    assert doc["reports"][0]["score"] != doc["reports"][1]["score"]
    assert_index_ranks(pages["index.html"], doc, pages)


HOSTILE_NAME = "\"><img src=x onerror=alert(1)>&amp;\x01.txt"


def hostile_report():
    long = "全年办理行政处罚案件132件，" + "依法行政" * 12500 + "，开展执法检查46次。"
    lines = ["<script>alert(1)</script>某县\"><img src=x onerror=alert(1)>局2023年法治政府建设情况报告",
             "",
             "一、主要举措和成效",
             "落实行政执法公示制度&amp;执法全过程记录制度<script>alert(2)</script>，公示信息120条。",
             "\x01\x02\x1b[31m'单引号'\x7f与\"双引号\"。" ,
             long,
             "二、存在的不足和原因",
             "执法人员不足。主要原因是编制偏少。",
             "三、2024年工作安排",
             "继续推进严格规范公正文明执法。"]
    return "\r\n".join(lines).encode("utf-8") + b"\r\n"


def case_html_escapes_a_hostile_report_and_stays_well_formed():
    d = fresh("html-hostile")
    src = os.path.join(d, HOSTILE_NAME)
    with open(src, "wb") as f:
        f.write(hostile_report())
    rc, doc, pages = html_check(d, [src])
    rep = doc["reports"][0]
    assert "error" not in rep, rep["error"]
    names = [n for n in pages if n != "index.html"]
    assert len(names) == 1
    page = pages[names[0]]
    # (Page has refused any <script>, <img> or on… attribute: errors is empty)
    assert_page_matches(page, rep)
    assert "<script>alert" in page.text["summary"], page.text["summary"][:200]
    body = "".join(page.paras.values())
    assert "<script>alert" in body and "onerror=alert" in body and "&amp;" in body, body[:300]
    assert "'单引号'" in body and '"双引号"' in body
    assert max(len(t) for t in page.paras.values()) > 50000
    # the file name is shown, its control character visible, and linked
    assert page.text["file"].endswith("/" + HOSTILE_NAME.replace("\x01", "\u2401")), page.text["file"]
    index = pages["index.html"]
    href = urllib.parse.unquote(index.index_rows[0][2][0])
    assert href == names[0] and os.path.isfile(os.path.join(d, "html", href)), href
    raw = read(os.path.join(d, "html", names[0])).decode("utf-8")
    assert "\r" not in raw and "\x01" not in raw and "\x1b" not in raw and "\x7f" not in raw
    assert "<script" not in raw.lower() and "<img" not in raw.lower()


def case_html_names_a_report_from_stdin_by_name_or_as_standard_input():
    d = fresh("html-stdin")
    t = fresh("html-stdin-tmp")
    with open(REPORTS[2], "rb") as f:
        rc, doc, pages = html_check(d, ["-"], "--name", "清河市司法局2024.txt", stdin=f)
    assert set(pages) == {"清河市司法局2024.txt.html", "index.html"}, sorted(pages)
    assert_page_matches(pages["清河市司法局2024.txt.html"], doc["reports"][0])
    d = fresh("html-stdin2")
    with open(REPORTS[2], "rb") as f:
        r = fz("check", "--rules", RULES, "--quiet", "--html", os.path.join(d, "html"), "-",
               stdin=f, extra_env={"TMPDIR": t})
    assert r.returncode == 0, r.stderr.decode()
    assert sorted(os.listdir(os.path.join(d, "html"))) == ["index.html", "标准输入.html"]
    assert os.listdir(t) == []
    with open(os.path.join(d, "html", "标准输入.html"), encoding="utf-8") as f:
        assert htmlpage.Page(f.read()).text["file"] == "-"


def case_html_removes_what_a_killed_run_left_in_the_folder_once():
    d = fresh("html-stale")
    out = os.path.join(d, "html")
    os.makedirs(out)
    dead = 4194303  # above any pid_max: never running
    left = ["a.txt.html.tmp-%d-Ab12Cd" % dead, "index.html.tmp-%d-xYz789" % dead]
    live = "b.txt.html.tmp-%d-Ab12Cd" % os.getpid()   # a run still writing
    other = "notes.tmp-%d-x" % dead                   # not ours: not XXXXXX
    for n in left + [live, other]:
        open(os.path.join(out, n), "w").close()
    r = fz("check", "--rules", RULES, "--quiet", "--html", out, REPORTS[0])
    assert r.returncode in (0, 1), r.stderr.decode()
    assert sorted(os.listdir(out)) == sorted([live, other, "index.html",
                                              os.path.basename(REPORTS[0]) + ".html"]), os.listdir(out)


def case_an_unwritable_html_folder_is_a_chinese_error_and_the_json_is_still_written():
    d = fresh("html-unwritable")
    blocker = os.path.join(d, "a-file")
    with open(blocker, "w") as f:
        f.write("x")
    for target, phrase in ((os.path.join(blocker, "html"), "无法创建文件夹"), (blocker, "不是文件夹")):
        out = os.path.join(d, "r.json")
        if os.path.exists(out):
            os.unlink(out)
        r = fz("check", "--rules", RULES, "--quiet", "--json", out, "--html", target, *REPORTS[:2])
        assert r.returncode == 2, (r.returncode, r.stderr.decode())
        assert phrase in r.stderr.decode(), r.stderr.decode()
        assert len(json.loads(read(out))["reports"]) == 2
    assert os.listdir(d) == ["a-file", "r.json"] or sorted(os.listdir(d)) == ["a-file", "r.json"]


# ---- the terminal ------------------------------------------------------------

def on_terminal(args, stdout_tty=True, stderr_tty=True, extra_env=None, timeout=120):
    """Runs with a pty on stdout and/or stderr (else a file); returns
    (status, stdout bytes, stderr bytes)."""
    fds, files, ends = {}, {}, {}
    for name, tty in (("out", stdout_tty), ("err", stderr_tty)):
        if tty:
            m, s = pty.openpty()
            fds[name], ends[name] = m, s
        else:
            files[name] = open(path("term-" + name), "w+b")
    p = subprocess.Popen([BIN, *args], stdin=subprocess.DEVNULL,
                         stdout=ends.get("out") or files.get("out"),
                         stderr=ends.get("err") or files.get("err"),
                         env=env(**(extra_env or {})))
    for s in ends.values():
        os.close(s)
    got = {name: b"" for name in fds}
    live = dict(fds)
    deadline = time.time() + timeout
    while live and time.time() < deadline:
        ready, _, _ = select.select(list(live.values()), [], [], 1)
        for name, fd in list(live.items()):
            if fd not in ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                del live[name]
            else:
                got[name] += chunk
    p.wait(timeout=max(1, deadline - time.time()))
    for fd in fds.values():
        os.close(fd)
    for name, f in files.items():
        f.seek(0)
        got[name] = f.read()
        f.close()
    return p.returncode, got["out"], got["err"]


def case_a_terminal_sees_the_ranking_only_unless_verbose():
    rc, out, err = on_terminal(["check", "--rules", RULES, *REPORTS])
    text = out.decode()
    assert rc == 1, (rc, err.decode())
    assert "汇总：共 4 份报告" in text, text[:500]
    assert "【1/4】" not in text, "listings on a terminal without --verbose"
    for f in REPORTS:
        assert f in text, f  # every report in the ranking
    rc, out, _ = on_terminal(["check", "--rules", RULES, "--verbose", *REPORTS])
    text = out.decode()
    assert rc == 1 and "【1/4】" in text and "【4/4】" in text and "汇总：共 4 份报告" in text
    # one report: its listing
    rc, out, _ = on_terminal(["check", "--rules", RULES, REPORTS[2]])
    assert rc == 0 and "【1/1】" in out.decode()


def case_redirected_output_lists_every_report():
    rc, out, err = on_terminal(["check", "--rules", RULES, *REPORTS], stdout_tty=False)
    text = out.decode()
    assert rc == 1 and "【1/4】" in text and "【4/4】" in text and "汇总：共 4 份报告" in text
    assert "\x1b[" not in text, "colour in a file"
    assert "已检查" not in err.decode(), "progress with stdout redirected"


def case_progress_is_shown_on_a_terminal_and_erased():
    rc, out, err = on_terminal(["check", "--rules", RULES, BLIND, "reports"])
    e = err.decode()
    assert rc == 1
    assert "已检查" in e, repr(e[:300])
    n = len(json.loads(fz("check", "--rules", RULES, "--json", "-", BLIND, "reports").stdout)["reports"])
    assert "/%d 份" % n in e, repr(e[-300:])
    assert e.endswith("\r\x1b[K"), "progress not erased at the end: %r" % e[-80:]
    # nothing else on stderr but the progress line redrawn over itself
    assert "fzcheck:" not in e and "\n" not in e, repr(e[:300])
    # erased before the summary: no progress text inside stdout
    assert "已检查" not in out.decode()


def case_no_progress_when_quiet_or_redirected():
    for args, out_tty, err_tty in ((["--quiet"], True, True), ([], False, True), ([], True, False)):
        rc, out, err = on_terminal(["check", "--rules", RULES, *args, BLIND, "reports"],
                                   stdout_tty=out_tty, stderr_tty=err_tty)
        assert rc == 1, rc
        assert "已检查" not in err.decode(), (args, out_tty, err_tty, err.decode()[:200])
        assert b"\x1b[K" not in err, (args, out_tty, err_tty)


def case_quiet_prints_nothing_but_writes_json_and_gives_the_status():
    j = path("quiet.json")
    rc, out, err = on_terminal(["check", "--rules", RULES, "--quiet", "--json", j, *REPORTS])
    assert rc == 1 and out == b"" and err == b"", (rc, out[:200], err[:200])
    assert len(json.loads(read(j))["reports"]) == 4
    rc, out, err = on_terminal(["check", "--rules", RULES, "--quiet", REPORTS[2]])
    assert rc == 0 and out == b"" and err == b"", (rc, out[:200], err[:200])
    r = fz("check", "--rules", RULES, "--quiet", *REPORTS)
    assert r.returncode == 1 and r.stdout == b"" and r.stderr == b""
    rc, out, err = on_terminal(["check", "--rules", RULES, "--verbose", "--quiet", *REPORTS])
    assert rc == 2 and out == b"" and "--verbose" in err.decode(), (rc, err.decode())


def case_colour_only_on_a_terminal_and_not_with_no_color():
    _, out, _ = on_terminal(["check", "--rules", RULES, *REPORTS])
    assert b"\x1b[" in out, "no colour on a terminal"
    _, out, _ = on_terminal(["check", "--rules", RULES, *REPORTS], extra_env={"NO_COLOR": "1"})
    assert b"\x1b[" not in out, "colour despite NO_COLOR"


# ---- sheets that continue --------------------------------------------------------

def sheets(p):
    wb = openpyxl.load_workbook(p, read_only=True)
    got = {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    order = [ws.title for ws in wb.worksheets]
    wb.close()
    return order, got


# the four sample reports of this year (reports/上一年度 holds last year's)
SAMPLES = sorted(os.path.join("reports", f) for f in os.listdir("reports") if f.endswith((".txt", ".md")))


def case_long_sheets_continue_with_their_header():
    whole = path("whole.xlsx")
    parts = path("parts.xlsx")
    assert len(SAMPLES) == 4, SAMPLES
    r = fz("check", "--rules", RULES, "--quiet", "--xlsx", whole, *SAMPLES)
    assert r.returncode == 1, r.stderr.decode()
    r = fz("check", "--rules", RULES, "--quiet", "--xlsx", parts, *SAMPLES,
           extra_env={"FZCHECK_XLSX_ROWS": "6"})
    assert r.returncode == 1, r.stderr.decode()
    _, w = sheets(whole)
    order, p = sheets(parts)
    for name in ("证据", "问题清单"):
        assert len(w[name]) > 12, (name, len(w[name]))  # long enough to need three parts
        names = [name] + ["%s（%d）" % (name, k) for k in range(2, 100) if "%s（%d）" % (name, k) in p]
        assert len(names) >= 3, (name, order)
        assert len(names) == (len(w[name]) - 1 + 4) // 5, (name, len(names), len(w[name]))
        rows = []
        for n in names:
            assert 1 < len(p[n]) <= 6, (n, len(p[n]))
            assert p[n][0] == w[name][0], (n, p[n][0])  # the header again
            rows += p[n][1:]
        assert rows == w[name][1:], name
        assert not any("%s（%d）" % (name, k) in p for k in range(len(names) + 1, len(names) + 3))
    # the sheets that fit are unchanged
    assert p["规则说明"] == w["规则说明"]
    assert p["要素矩阵"] == w["要素矩阵"]


def case_the_summary_sheet_ends_with_a_note_naming_the_continued_sheets():
    parts = path("parts-note.xlsx")
    r = fz("check", "--rules", RULES, "--quiet", "--xlsx", parts, *SAMPLES,
           extra_env={"FZCHECK_XLSX_ROWS": "6"})
    assert r.returncode == 1
    order, p = sheets(parts)
    last = [c for c in p["汇总"][-1] if c]
    note = " ".join(str(c) for c in last)
    assert "证据（2）" in note and "问题清单（2）" in note, \
        "汇总's last row is %r; sheets: %s" % (p["汇总"][-1], order)
    # without continuation there is no note
    r = fz("check", "--rules", RULES, "--quiet", "--xlsx", path("nonote.xlsx"), *SAMPLES)
    _, w = sheets(path("nonote.xlsx"))
    assert not any("续在" in str(c) for row in w["汇总"] for c in row if c)


def case_a_larger_limit_keeps_the_note_on_the_summary_sheet():
    # 8 rows: the 4 reports, a blank row and the note fit on 汇总 itself
    parts = path("parts8.xlsx")
    r = fz("check", "--rules", RULES, "--quiet", "--xlsx", parts, "reports",
           extra_env={"FZCHECK_XLSX_ROWS": "8"})
    assert r.returncode == 1
    order, p = sheets(parts)
    assert "汇总（2）" not in order, order
    note = " ".join(str(c) for c in p["汇总"][-1] if c)
    assert "续在" in note and "证据（2）" in note, p["汇总"][-1]


# ---- the man page --------------------------------------------------------------

def man_source():
    """The installed page, its \\[uXXXX] characters read back."""
    with open(MAN, encoding="ascii") as f:
        src = f.read()
    return re.sub(r"\\\[u([0-9A-F]{4,6})\]", lambda m: chr(int(m.group(1), 16)), src)


def case_the_man_page_is_made_from_its_source():
    r = subprocess.run(["/usr/bin/python3", "man/escape.py", MAN + ".in"], capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout == read(MAN), "man/fzcheck.1 is older than man/fzcheck.1.in: run make man"
    # readable source, ASCII page
    assert "选项" in read(MAN + ".in").decode("utf-8")
    assert max(read(MAN)) < 0x80


def long_options(text):
    return set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", text))


def man_section(src, title):
    m = re.search(r"^\.SH\s+\"?%s\"?\s*$(.*?)(?=^\.SH\s|\Z)" % re.escape(title), src, re.M | re.S)
    assert m, "no section %s in %s" % (title, MAN)
    return m.group(1)


def roff_plain(text):
    return text.replace("\\-", "-").replace("\\(em", "—")


def plain(text):
    """roff without its requests' names and font changes: the words shown."""
    text = roff_plain(text)
    text = re.sub(r"^\.\w+[ \t]*", "", text, flags=re.M)
    text = re.sub(r"\\f(\[\w*\]|\(..|.)", "", text)
    return text.replace('"', "").replace("\\&", "")


def case_the_man_page_documents_every_option_of_help():
    r = subprocess.run([BIN, "--help"], capture_output=True)
    assert r.returncode == 0
    helped = long_options(r.stdout.decode())
    assert {"--rules", "--jsonl", "--name", "--quiet", "--normalized"} <= helped, helped
    src = roff_plain(man_source())
    documented = long_options(roff_plain(man_section(man_source(), "选项")))
    missing, extra = helped - documented, documented - helped
    assert not missing, "in --help, not in the man page's 选项: %s" % sorted(missing)
    assert not extra, "in the man page's 选项, not in --help: %s" % sorted(extra)
    # and the whole page names no option the program lacks (the examples
    # use parallel's and sbatch's too)
    examples = man_section(man_source(), "示例")
    extra = long_options(src.replace(roff_plain(examples), "")) - helped
    assert not extra, "the man page names options --help lacks: %s" % sorted(extra)


def case_the_man_page_has_its_sections_commands_and_environment():
    src = man_source()
    assert src.startswith(".") or src.startswith("'\\\""), src[:40]
    assert re.search(r"^\.TH\s+\"?FZCHECK\"?\s+\"?1\"?", src, re.M), "no .TH FZCHECK 1"
    for title in ("名称", "概述", "描述", "选项", "退出状态", "环境", "文件", "示例", "参见"):
        man_section(src, title)
    syn = plain(man_section(src, "概述"))
    for cmd in ("check", "merge", "outline", "text", "rules check", "rules list", "rules test"):
        assert re.search(r"fzcheck\s+" + cmd.replace(" ", r"\s+") + r"\b", syn), "概述 lacks fzcheck %s" % cmd
    envs = roff_plain(man_section(src, "环境"))
    for var in ("NO_COLOR", "FZCHECK_MAX_MB", "SOURCE_DATE_EPOCH", "TMPDIR"):
        assert var in envs, var
    # every variable --help names is in the man page
    helped = subprocess.run([BIN, "--help"], capture_output=True).stdout.decode()
    for var in re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", helped):
        assert var in envs, var
    ex = roff_plain(man_section(src, "示例"))
    assert "merge" in ex and "--jsonl" in ex and "parallel" in ex and "SLURM_ARRAY_TASK_ID" in ex, ex[:200]
    status = plain(man_section(src, "退出状态"))
    for code in ("0", "1", "2"):
        assert re.search(r"^%s\s*$" % code, status, re.M), "退出状态 lacks %s: %s" % (code, status[:300])


def case_groff_renders_the_man_page_without_warnings():
    groff = shutil.which("groff")
    if not groff:
        print("skipped: groff is not installed (apt-get install groff-base)")
        return
    r = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z", MAN], capture_output=True, timeout=60)
    assert r.returncode == 0 and r.stderr == b"", r.stderr.decode()
    r = subprocess.run([groff, "-man", "-Tutf8", MAN], capture_output=True, timeout=60,
                       env=dict(os.environ, LANG="C.UTF-8"))
    page = re.sub(r".\x08", "", r.stdout.decode("utf-8", "replace"))
    for word in ("fzcheck", "merge", "退出状态", "SOURCE_DATE_EPOCH"):
        assert word in page, word


def case_make_install_installs_the_man_page():
    dest = fresh("destdir")
    # build/fzcheck is taken as it is (-o): the test does not rebuild it
    r = subprocess.run(["make", "--no-print-directory", "-o", "build/fzcheck", "install",
                        "DESTDIR=" + dest, "PREFIX=/usr"], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode() + r.stdout.decode()
    page = os.path.join(dest, "usr/share/man/man1/fzcheck.1")
    assert os.path.isfile(page), r.stdout.decode()
    assert read(page) == read(MAN)
    assert oct(os.stat(page).st_mode & 0o777) == oct(0o644)
    assert os.access(os.path.join(dest, "usr/bin/fzcheck"), os.X_OK)
    assert os.path.isfile(os.path.join(dest, "usr/share/fzcheck/rules/10-statutory.yaml"))


if __name__ == "__main__":
    sys.exit(run_cases("cli", globals(), lambda: shutil.rmtree(tmp, ignore_errors=True)))
