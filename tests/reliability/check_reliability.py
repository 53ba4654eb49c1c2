#!/usr/bin/python3
"""An office runs hundreds of reports through fzcheck: one pathological
file or pattern must not take the batch down, an output must never
destroy an input, an interrupted run must leave the old outputs as they
were, and nothing a file is named may reach the terminal raw.

Run by `make test` as: check_reliability.py BINARY ASAN_BINARY
Prints "reliability: N passed, M failed"."""
import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), ".."))
from pycase import run_cases  # noqa: E402

import glob
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck")
ASAN = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "build/asan/fzcheck")
GOOD = os.path.abspath("reports/sifaju-2024-complete.txt")
GAPS = os.path.abspath("reports/shijianju-2023-gaps.md")
RULES = os.path.abspath("rules")
tmp = tempfile.mkdtemp(prefix="fzrel-")


def fresh(name):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    return d


def run(args, cwd=None, binary=BIN, **kw):
    return subprocess.run([binary, *args], capture_output=True, cwd=cwd, timeout=300, **kw)


def one_page_pdf(stream):
    comp = zlib.compress(stream, 6)
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >> endobj\n" +
            b"4 0 obj << /Length %d /Filter /FlateDecode >> stream\n" % len(comp) + comp +
            b"\nendstream endobj\n5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "
            b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def slow_pdf():
    """Millions of text operators, 0.5 MB compressed: poppler spends many
    seconds on the page."""
    return one_page_pdf(b"BT /F1 1 Tf 1 1 Td (a) Tj ET\n" * 8000000)


def greedy_pdf():
    """Millions of words at distinct places: poppler's text extraction grows
    to gigabytes."""
    line = b"BT /F1 8 Tf %d %d Td (abcdefgh ijklmnop qrstuvwx) Tj ET\n"
    return one_page_pdf(b"".join(line % (i % 500, (i // 500) % 800) for i in range(3000000)))


SLOW_PACK_RULE = """rules:
  - id: slow-pattern
    title: 慢模式
    category: 测试
    severity: info
    points: 1
    basis: 测试
    message: 测试
    suggestion: 测试
    check:
      kind: presence
      any: ['(a|aa)+$']
"""


def slow_pack():
    d = os.path.join(tmp, "slowpack")
    if not os.path.isdir(d):
        shutil.copytree(RULES, d)
        with open(os.path.join(d, "40-slow.yaml"), "w", encoding="utf-8") as f:
            f.write(SLOW_PACK_RULE)
    return d


def results(stdout):
    return {os.path.basename(r["file"]): r for r in json.loads(stdout)["reports"]}


# ---- limits -------------------------------------------------------------------

def good_reports(d):
    names = []
    for i in range(6):
        name = "good-%d%s" % (i, ".txt" if i % 2 else ".md")
        shutil.copy(GOOD if i % 2 else GAPS, os.path.join(d, name))
        names.append(name)
    return names


def assert_good(by, names):
    for name in names:
        rep = by[name]
        assert "error" not in rep and rep.get("score") is not None and len(rep["results"]) >= 14, rep


def case_batch_with_pathological_pdf_and_pattern():
    d = fresh("batch")
    open(os.path.join(d, "slow.pdf"), "wb").write(slow_pdf())
    with open(os.path.join(d, "aaaa.txt"), "w", encoding="utf-8") as f:
        f.write("某县司法局关于2023年度法治政府建设情况的报告\n")
        f.write(("a" * 30 + "。\n") * 5000)
    names = good_reports(d)
    t = time.time()
    r = run(["check", "--rules", slow_pack(), "--json", "-", "--timeout", "3", d])
    elapsed = time.time() - t
    assert r.returncode == 1, r.stderr
    by = results(r.stdout)
    assert "处理超时（超过 3 秒）" in by["slow.pdf"]["error"], by["slow.pdf"]["error"]
    why = by["aaaa.txt"]["error"]
    assert "slow-pattern" in why and "(a|aa)+$" in why and "耗时过长" in why, why
    assert_good(by, names)
    # not a speed test: the limits must have ended the two (the slow PDF
    # alone needs far longer, the pattern minutes)
    assert elapsed < 100, elapsed


def case_batch_with_a_pdf_that_eats_memory():
    d = fresh("greedy")
    open(os.path.join(d, "greedy.pdf"), "wb").write(greedy_pdf())
    names = good_reports(d)
    r = run(["check", "--json", "-", "--memory", "150", "--timeout", "200", d])
    assert r.returncode == 1, r.stderr
    by = results(r.stdout)
    assert "内存超出上限（150 MB）" in by["greedy.pdf"]["error"], by["greedy.pdf"]["error"]
    assert_good(by, names)


def case_worker_that_exits_is_reported_with_its_status():
    # a sanitizer's abort path ends the worker with an exit status, not a
    # signal: here AddressSanitizer refuses the 2 MB buffer the file is read
    # into and exits with 23. The report says so ("信号 0" said nothing)
    d = fresh("exits")
    with open(os.path.join(d, "big.txt"), "w", encoding="utf-8") as f:
        f.write("一、工作\n" + "正文。" * 250000)
    names = good_reports(d)
    env = dict(os.environ, ASAN_OPTIONS="max_allocation_size_mb=1:exitcode=23:detect_leaks=0")
    r = run(["check", "--json", "-", "--jobs", "1", d], binary=ASAN, env=env)
    assert r.returncode == 1, r.stderr[-2000:]
    by = results(r.stdout)
    why = by["big.txt"]["error"]
    assert "异常终止（退出状态 23）" in why and "信号" not in why, why
    assert_good(by, names)


def case_rules_check_warns_on_risky_patterns():
    r = run(["rules", "check", slow_pack()])
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert "40-slow.yaml:12:" in out and "警告" in out and "(a|aa)+$" in out, out
    assert "1 条警告" in out


def case_same_output_with_any_number_of_workers():
    d = fresh("jobs")
    for i in range(12):
        shutil.copy(GOOD if i % 3 else GAPS, os.path.join(d, "r%02d%s" % (i, ".txt" if i % 3 else ".md")))
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    outs = []
    for jobs in ("1", "2", "5"):
        o = os.path.join(tmp, "jobs-%s" % jobs)
        r = run(["check", "--jobs", jobs, "--json", o + ".json", "--xlsx", o + ".xlsx", d], env=env)
        assert r.returncode == 1, r.stderr
        outs.append((r.stdout, open(o + ".json", "rb").read(), open(o + ".xlsx", "rb").read()))
    assert outs[0] == outs[1] == outs[2]


# ---- outputs never touch inputs -------------------------------------------------

def case_output_that_is_an_input_is_refused():
    d = fresh("refuse")
    report = os.path.join(d, "报告.txt")
    other = os.path.join(d, "其他.txt")
    shutil.copy(GOOD, report)
    shutil.copy(GOOD, other)
    before = open(report, "rb").read()
    cases = [
        (["--xlsx", report, other], ".xlsx"),                       # the output name forgotten
        (["--json", report, other], "报告的扩展名"),
        (["--json", os.path.join(d, "a.out"), "--xlsx", os.path.join(d, "a.out"), other], ".xlsx"),
        (["--json", os.path.join(d, "same.xlsx"), "--xlsx", os.path.join(d, "same.xlsx"), other],
         "同一个文件"),
    ]
    os.symlink(report, os.path.join(d, "link.json"))
    cases.append((["--json", os.path.join(d, "link.json"), report], "就是要检查的报告之一"))
    os.symlink(report, os.path.join(d, "link.xlsx"))
    cases.append((["--xlsx", os.path.join(d, "link.xlsx"), d], "就是要检查的报告之一"))
    for args, phrase in cases:
        r = run(["check", *args])
        err = r.stderr.decode()
        assert r.returncode == 2 and phrase in err, (args, r.returncode, err)
        assert r.stdout == b"", args   # refused before anything was read
        assert open(report, "rb").read() == before, args
    assert not glob.glob(os.path.join(d, "*.tmp-*"))


def case_interrupt_leaves_every_old_output():
    d = fresh("interrupt")
    src = fresh("interrupt-src")
    for i in range(1500):
        shutil.copy(GOOD if i % 2 else GAPS, os.path.join(src, "r%04d%s" % (i, ".txt" if i % 2 else ".md")))
    json_out, xlsx_out = os.path.join(d, "out.json"), os.path.join(d, "out.xlsx")
    outcomes = set()
    for delay in (0.3, 0.8, 1.3, 1.8, 2.3, 2.8, 3.5):
        for p in (json_out, xlsx_out):
            with open(p, "wb") as f:
                f.write(b"old")
        p = subprocess.Popen([BIN, "check", "--json", json_out, "--xlsx", xlsx_out, src],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGINT)
        p.wait(timeout=120)
        old = [open(x, "rb").read() == b"old" for x in (json_out, xlsx_out)]
        assert old[0] == old[1], (delay, old)   # never a new JSON beside an old workbook
        outcomes.add(old[0])
        assert not glob.glob(os.path.join(d, "*.tmp-*")), os.listdir(d)
    assert True in outcomes   # at least one interrupt came before the end


def case_temporary_files_of_a_killed_run_are_removed():
    d = fresh("stale")
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = os.path.join(d, "out.json.tmp-%d-abcdef" % dead.pid)
    live = os.path.join(d, "out.json.tmp-%d-ghijkl" % os.getpid())
    foreign = os.path.join(d, "out.json.tmp-notours")
    for p in (stale, live, foreign):
        open(p, "w").write("x")
    r = run(["check", "--json", os.path.join(d, "out.json"), GOOD])
    assert r.returncode == 0, r.stderr
    assert not os.path.exists(stale)
    assert os.path.exists(live) and os.path.exists(foreign)
    # a run killed outright leaves its temporary file; the next removes it
    p = subprocess.Popen([BIN, "check", "--json", os.path.join(d, "k.json"), "--timeout", "0",
                          os.path.join(tmp, "batch", "slow.pdf") if os.path.exists(
                              os.path.join(tmp, "batch", "slow.pdf")) else GOOD],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    p.kill()
    p.wait()
    left = glob.glob(os.path.join(d, "k.json.tmp-*"))
    r = run(["check", "--json", os.path.join(d, "k.json"), GOOD])
    assert r.returncode == 0
    assert not [x for x in left if os.path.exists(x)], left
    assert json.load(open(os.path.join(d, "k.json")))["reports"][0].get("error") is None


# ---- clean terminal and messages -------------------------------------------------

def case_control_characters_in_names_are_escaped():
    d = fresh("names")
    evil = os.path.join(d, "a\x1b]0;pwned\x07b.txt")
    split = os.path.join(d, "line\nbreak\x1b[31m.txt")
    shutil.copy(GOOD, evil)
    shutil.copy(GOOD, split)
    for args in (["check", d], ["outline", evil, split], ["text", evil, split],
                 ["check", os.path.join(d, "missing\x1b[2J.txt")]):
        r = run(args)
        for stream in (r.stdout, r.stderr):
            assert b"\x1b" not in stream and b"\x07" not in stream, (args, stream[:300])
        out = r.stdout.decode() + r.stderr.decode()
        assert "\\x1b" in out, (args, out[:300])
        assert "linebreak" not in out and ("\\n" in out or "missing" in out), args
        for ln in out.splitlines():
            assert not ln.startswith("break"), (args, ln)   # the newline did not split a line


def case_rule_file_saved_as_gbk():
    d = fresh("gbk")
    shutil.copytree(RULES, os.path.join(d, "pack"))
    text = "# 规则\n# 另一行\nrules: []  # 注释：本行含有中文\n"
    with open(os.path.join(d, "pack", "50-gbk.yaml"), "wb") as f:
        f.write(text.encode("gb18030"))
    r = run(["rules", "check", os.path.join(d, "pack")])
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert "50-gbk.yaml:1:3:" in err and "不是 UTF-8" in err and "另存为 UTF-8" in err, err
    assert "invalid" not in err


def case_workbook_errors_are_chinese_only():
    # a file size limit makes the workbook's writes fail (EFBIG, with
    # SIGXFSZ ignored): libxlsxwriter would print "[ERROR]" lines in English
    d = fresh("efbig")
    src = fresh("efbig-src")
    for i in range(200):
        shutil.copy(GAPS, os.path.join(src, "r%03d.md" % i))

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (60000, 60000))
    r = subprocess.run([BIN, "check", "--xlsx", os.path.join(d, "out.xlsx"), src],
                       capture_output=True, preexec_fn=limit, timeout=300)
    err = r.stderr.decode()
    assert r.returncode == 2, (r.returncode, err)
    assert "[ERROR]" not in err and "[WARNING]" not in err, err
    assert "失败" in err and "File too large" not in err, err
    assert os.listdir(d) == [], os.listdir(d)


def case_gap_free_workbook_under_sanitizers():
    # no report has a gap: the gap sheet sorts nothing (qsort(NULL, 0) was
    # undefined behaviour, fatal under UBSan)
    d = fresh("nogaps")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:exitcode=23",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    r = run(["check", "--xlsx", os.path.join(d, "x.xlsx"), GOOD], binary=ASAN, env=env)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert os.path.getsize(os.path.join(d, "x.xlsx")) > 0


if __name__ == "__main__":
    sys.exit(run_cases("reliability", globals(), lambda: shutil.rmtree(tmp, ignore_errors=True)))
