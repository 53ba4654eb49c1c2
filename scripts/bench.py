#!/usr/bin/python3
"""make bench: time, throughput, peak memory and output sizes of fzcheck on
generated corpora, side by side with a plain Python script
(scripts/bench_python.py: re + openpyxl over the same patterns) and with
ripgrep (rg -P -f over the same patterns). A benchmark, not a test: it
prints figures and whether the targets of issue 13 are met, and fails only
when a command cannot run at all.

    scripts/bench.py [BINARY] [SIZES]

SIZES (or BENCH_SIZES) is a comma-separated list of .txt corpus sizes,
default 1000,10000,100000; those up to 10,000 (or BENCH_REUSE_SIZES) are
also the sizes of the last section, --previous and --similar
(scripts/bench_reuse.py). BENCH_FORMAT_N (default 1000, 0 for none) is
the size of the .docx and .pdf batches; BENCH_PYTHON_MAX (default
100000) the largest size the Python script is run on; BENCH_SEED the seed.
BENCH_RUNS (default 3) is how many times each fzcheck mode is run on a
batch of up to 10,000 reports (larger ones run once): the fastest run's
time is shown, the highest peak memory. One run is not enough: on a
shared two-processor machine the same command varies by ±30%, and with
--jobs 2 the parent (which writes the workbook, a third of all the CPU
time and mostly after the last report) competes with both workers.

The corpus is generated from the sample reports in reports/*.txt|md: each
copy gets its own unit (place and department), its years shifted by -2..+1,
its figures changed, and some body paragraphs dropped, swapped or repeated,
all from a random generator seeded with the seed and the report's number,
so the same parameters give the same files. Reports are written in shards
of 1000 under build/bench/corpus/; a size of N uses the first N/1000
shards, and shards already generated with the same parameters are reused.
"""
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_python  # noqa: E402  (the pattern collection is shared)

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck"
SIZES = [int(s) for s in (sys.argv[2] if len(sys.argv) > 2 else
                          os.environ.get("BENCH_SIZES") or "1000,10000,100000").split(",") if s]
FORMAT_N = int(os.environ.get("BENCH_FORMAT_N", "1000"))
PYTHON_MAX = int(os.environ.get("BENCH_PYTHON_MAX", "100000"))
SEED = os.environ.get("BENCH_SEED", "13")
RUNS = max(1, int(os.environ.get("BENCH_RUNS", "3")))
RULES = "rules"
ROOT = "build/bench"
SHARD = 1000
GEN_VERSION = "2"     # bump when the generator changes: old shards are rebuilt
NCPU = os.cpu_count() or 1
PY = sys.executable or "/usr/bin/python3"
SMALL = "reports/sifaju-2024-complete.txt"

# ---------------------------------------------------------------- corpus

PLACES = ["清河", "安平", "白沙", "东川", "青山", "临江", "南湖", "北塘", "西岭", "云台",
          "长宁", "永安", "丰泽", "桐城", "柳林", "石桥", "金川", "玉溪", "凤阳", "龙门",
          "松涛", "鹤山", "海陵", "望江", "平川", "梅岭", "阳春", "新丰", "宝坻", "江宁"]
LEVELS = ["市", "县", "区"]
DEPTS = ["司法局", "市场监督管理局", "教育局", "自然资源局", "生态环境局", "交通运输局",
         "农业农村局", "卫生健康委员会", "住房和城乡建设局", "应急管理局", "文化和旅游局",
         "人力资源和社会保障局", "水利局", "林业局", "民政局", "财政局", "统计局", "城市管理局"]
# the sample reports' own units: (place with level, department)
SAMPLE_UNITS = [("清河市", "司法局"), ("安平县", "市场监督管理局"), ("白沙县", "教育局"),
                ("东川区", "自然资源局")]
HEADING = re.compile(r"^(#|\*\*)?\s*([一二三四五六七八九十]+、|第[一二三四五六七八九十]+[部章]|\d{4}\s*年)")


def samples():
    names = sorted(f for f in os.listdir("reports") if f.endswith((".txt", ".md")))
    out = []
    for f in names:
        with open(os.path.join("reports", f), encoding="utf-8-sig") as fh:
            out.append((os.path.splitext(f)[1], fh.read().replace("\r\n", "\n")))
    return out


def corpus_key():
    h = hashlib.sha256()
    for ext, text in samples():
        h.update(ext.encode() + text.encode())
    return "%s:%s:%s" % (GEN_VERSION, SEED, h.hexdigest()[:16])


def vary_numbers(text, rng, shift):
    def year(m):
        return str(int(m.group(0)) + shift)
    # years first (20xx not inside a longer number), then the other figures
    text = re.sub(r"(?<!\d)20[1-3]\d(?!\d)", year, text)

    def figure(m):
        s = m.group(0).rstrip("%％")
        if re.fullmatch(r"20[1-3]\d", s) or len(s) == 1 and rng.random() < 0.5:
            return s
        if "." in s:
            v = float(s) * rng.uniform(0.5, 1.6)
            return "%.1f" % v
        v = max(1, round(int(s) * rng.uniform(0.5, 1.6)))
        return str(v)
    out, last = [], 0
    for m in re.finditer(r"\d+(\.\d+)?(%|％)?", text):
        # dates and document numbers stay as they are
        before, after = text[max(0, m.start() - 1):m.start()], text[m.end():m.end() + 1]
        keep = after in ("年", "月", "日", "号", "〕", "·") or before in ("〔", "·")
        rep = m.group(0) if keep else figure(m)
        if m.group(2) and not keep:
            num = re.match(r"[\d.]+", rep).group(0)
            rep = ("%s" % min(100, float(num))).rstrip("0").rstrip(".") + m.group(2)
        out.append(text[last:m.start()] + rep)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def vary_paragraphs(text, rng):
    paras = text.split("\n\n")
    body = [len(p) >= 40 and not HEADING.match(p) for p in paras]
    out, run = [], []

    def flush():
        if len(run) > 1 and rng.random() < 0.3:
            i = rng.randrange(len(run) - 1)
            run[i], run[i + 1] = run[i + 1], run[i]
        out.extend(run)
        run.clear()
    for p, b in zip(paras, body):
        if not b:
            flush()
            out.append(p)
            continue
        r = rng.random()
        if r < 0.12:
            continue                  # dropped
        run.append(p)
        if r > 0.95:
            run.append(p)             # repeated (its figures are changed below)
    flush()
    return "\n\n".join(out)


def report_text(i, base):
    rng = random.Random("%s:%d" % (SEED, i))
    k = i % len(base)
    ext, text = base[k]
    place = rng.choice(PLACES)
    while place == SAMPLE_UNITS[k % len(SAMPLE_UNITS)][0][:2] and len(PLACES) > 1:
        place = rng.choice(PLACES)
    level = SAMPLE_UNITS[k % len(SAMPLE_UNITS)][0][2]
    dept = rng.choice(DEPTS)
    for p0, d0 in SAMPLE_UNITS:
        if p0[2] != level:
            continue
        text = text.replace(p0 + d0, "%s%s%s" % (place, level, dept))
        text = text.replace(p0, place + level)
    text = vary_paragraphs(text, rng)
    text = vary_numbers(text, rng, rng.randint(-2, 1))
    return ext, text


# the Word and PDF files are built as the tests build theirs
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from docgen import write_docx, write_pdf  # noqa: E402


def stamp_done(base, key):
    """How many shards of the corpus at base are generated for key (its
    stamp file); 0, and the folder emptied, when none or another key's."""
    stamp = base + ".stamp"
    done = 0
    if os.path.exists(stamp):
        with open(stamp) as f:
            k, _, d = f.read().strip().rpartition(" ")
        if k == key:
            done = int(d)
    if done == 0:
        shutil.rmtree(base, ignore_errors=True)
    return done


def shard_dirs(fmt, n):
    """The shard directories holding the first n reports of format fmt
    (txt: .txt and .md as the samples are; docx; pdf), generated if
    missing."""
    base = os.path.join(ROOT, "corpus", fmt)
    stamp = base + ".stamp"
    key = corpus_key()
    done = stamp_done(base, key)
    need = (n + SHARD - 1) // SHARD
    if need > done:
        src = samples()
        t = time.perf_counter()
        for s in range(done, need):
            d = os.path.join(base, "s%04d" % s)
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            for i in range(s * SHARD, (s + 1) * SHARD):
                ext, text = report_text(i, src)
                name = os.path.join(d, "r%07d" % i)
                if fmt == "txt":
                    with open(name + ext, "w", encoding="utf-8") as f:
                        f.write(text)
                elif fmt == "docx":
                    write_docx(name + ".docx", text)
                else:
                    write_pdf(name + ".pdf", text)
            with open(stamp, "w") as f:
                f.write("%s %d\n" % (key, s + 1))
        print("（生成 %s 语料 %d 份，用时 %.0f 秒）" % (fmt, (need - done) * SHARD,
                                              time.perf_counter() - t), flush=True)
    if n % SHARD:
        raise SystemExit("报告数须是 %d 的倍数：%d" % (SHARD, n))
    return [os.path.join(base, "s%04d" % s) for s in range(need)]


# ---------------------------------------------------------------- measuring

def hwm_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


TIME = "/usr/bin/time"   # GNU time


class Run:
    """One command, measured: wall time; peak memory as GNU time reports it
    (%M: the ru_maxrss of wait4() on the command, which on Linux is the
    larger of the command's own high-water mark and those of the children it
    reaped: the largest single process of its tree, not a sum); and, read
    from /proc every 20 ms while it runs, the high-water marks (VmHWM) of
    the command itself and of its largest direct child (fzcheck's workers
    live for the whole run, so the last reading of each is close to its
    peak).

    Also: self.cpu, the CPU time (user + system) of the command and of
    the children it reaped, from GNU time's %U %S; self.tail, the time
    from when a direct child of the command was last seen (its workers
    are gone) to its exit, read every poll_s seconds.

    Why GNU time and not os.wait4 here: a process started straight from
    this Python process inherits Python's own high-water mark (Linux keeps
    the old memory's peak across exec), so every figure would be at least
    Python's ~20 MB. GNU time is small, and the command it forks starts
    from its figure instead."""

    def __init__(self, cmd, stdout=subprocess.DEVNULL, poll_s=0.02):
        self.cmd = cmd
        done = threading.Event()
        self.parent_kb = self.worker_kb = 0
        # when a worker was last seen: the command's work after its last
        # worker ended (self.tail) is what it does alone at the end
        self.last_worker = None
        mfile = os.path.join(ROOT, "time.out")
        use_time = os.access(TIME, os.X_OK)
        # %M last: the figure read below (and %U %S, the CPU time of the
        # command and of the children it reaped: fzcheck's workers)
        full = [TIME, "-f", "%U %S %M", "-o", mfile, *cmd] if use_time else cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdout=stdout, stderr=subprocess.PIPE)
        err = []
        reader = threading.Thread(target=lambda: err.append(p.stderr.read()))
        reader.start()

        def poll():
            target = None
            while not done.is_set():
                if target is None:
                    kids = children(p.pid) if use_time else [p.pid]
                    target = kids[0] if kids else None
                if target is not None:
                    self.parent_kb = max(self.parent_kb, hwm_kb(target))
                    kids = children(target)
                    for c in kids:
                        self.worker_kb = max(self.worker_kb, hwm_kb(c))
                    if kids:
                        self.last_worker = time.perf_counter()
                done.wait(poll_s)
        poller = threading.Thread(target=poll)
        poller.start()
        _, status, ru = os.wait4(p.pid, 0)
        t1 = time.perf_counter()
        self.wall = t1 - t0
        self.tail = t1 - self.last_worker if self.last_worker is not None else None
        done.set()
        poller.join()
        reader.join()
        p.returncode = os.waitstatus_to_exitcode(status)
        self.rc = p.returncode
        self.stderr = (err[0] if err else b"").decode("utf-8", "replace")
        self.peak_kb = ru.ru_maxrss
        self.cpu = ru.ru_utime + ru.ru_stime
        if use_time:
            try:
                with open(mfile) as f:
                    words = f.read().split()
                self.peak_kb = int(words[-1])
                self.cpu = float(words[-3]) + float(words[-2])
            except (OSError, ValueError, IndexError):
                pass
        # the total is max(command, its workers): when no worker came near
        # it, it is the command's own exact figure
        if self.worker_kb < self.peak_kb:
            self.parent_kb = self.peak_kb


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def cols(*cells):
    """A table line: (text, width) cells, a negative width left-aligned,
    Chinese characters counted as two columns."""
    out = []
    for text, w in cells:
        pad = " " * max(0, abs(w) - width(text))
        out.append(text + pad if w < 0 else pad + text)
    return " ".join(out).rstrip()


def mb(kb):
    return kb / 1024


def fmt_size(n):
    if n is None:
        return "—"
    if n >= 1 << 30:
        return "%.2f GB" % (n / (1 << 30))
    if n >= 1 << 20:
        return "%.1f MB" % (n / (1 << 20))
    return "%.0f KB" % (n / 1024)


def supports(opt, *arg):
    """Does `fzcheck check` accept opt? (An unknown option is refused with
    exit 2 and 未知选项 before anything is read.)"""
    tmp = os.path.join(ROOT, "probe")
    os.makedirs(tmp, exist_ok=True)
    r = subprocess.run([BIN, "check", "--rules", RULES, opt, *arg, SMALL],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return not (r.returncode == 2 and ("未知选项" in r.stderr.decode("utf-8", "replace")
                                       or "unknown option" in r.stderr.decode().lower()))


def main():
    os.makedirs(ROOT, exist_ok=True)
    if not os.access(BIN, os.X_OK):
        raise SystemExit("没有 %s：先运行 make build/fzcheck" % BIN)
    opt = {o: supports(o, *a) for o, a in (("--jobs", ["1"]), ("--quiet", []),
                                           ("--jsonl", [os.path.join(ROOT, "probe", "p.jsonl")]))}
    quiet = ["--quiet"] if opt["--quiet"] else []
    jobs_list = [1, NCPU] if NCPU > 1 else [1]
    has_rg = shutil.which("rg") is not None
    has_pdftotext = shutil.which("pdftotext") is not None
    t_start = time.perf_counter()

    print("fzcheck 基准（%s，规则包 %s，%d 个处理器，随机种子 %s）" % (BIN, RULES, NCPU, SEED))
    print("选项支持：" + "，".join("%s %s" % (o, "支持" if s else "不支持") for o, s in opt.items()))
    if not opt["--quiet"]:
        print("（--quiet 不支持：文字报告照常生成，写到 /dev/null）")

    # the patterns, once, for rg and for the record
    pack_cols = bench_python.load_pack(RULES)
    pats = list(dict.fromkeys(p for _, ps in pack_cols for p in ps))
    pat_file = os.path.join(ROOT, "patterns.txt")
    with open(pat_file, "w", encoding="utf-8") as f:
        f.write("\n".join(pats) + "\n")
    print("规则包中的模式：%d 个（去重后 %d 个，%d 列）" % (sum(len(p) for _, p in pack_cols), len(pats), len(pack_cols)))
    # rg over .docx and .pdf goes through a preprocessor (rg --pre)
    pre = os.path.join(ROOT, "rg-pre.sh")
    with open(pre, "w") as f:
        f.write('#!/bin/sh\ncase "$1" in\n'
                '*.docx) unzip -p "$1" word/document.xml | sed "s#</w:p>#\\n#g; s#<[^>]*>##g" ;;\n'
                '*.pdf) pdftotext -enc UTF-8 "$1" - ;;\n*) cat ;;\nesac\n')
    os.chmod(pre, 0o755)

    batches = [("txt", n) for n in SIZES]
    if FORMAT_N:
        batches += [("docx", FORMAT_N), ("pdf", FORMAT_N)]
    rows, comps, full_peaks = [], [], {}
    out_dir = os.path.join(ROOT, "out")
    os.makedirs(out_dir, exist_ok=True)

    W = (-5, -22, 6, 8, 10, 8, 26, 10, 10)

    def row(*cells):
        return cols(*zip(cells, W))
    head = row("格式", "模式", "进程数", "报告数", "耗时", "份/秒", "峰值内存 总（父/工作）", "JSON", "xlsx")
    for fmt, n in batches:
        dirs = shard_dirs(fmt, n)
        print("\n== %s × %d ==" % (fmt, n), flush=True)
        print(head)
        big = n > 100000
        modes = [("只检查", [])]
        modes.append(("完整（JSON+评分表）", ["--json", "J", "--xlsx", "X"]))
        modes.append(("完整（JSONL+评分表）", ["--jsonl", "L", "--xlsx", "X"]))
        res = {}
        for mode, margs in modes:
            for j in jobs_list:
                # the 1,000,000 run is for the 5-minute target: all processors only
                if big and (j == 1 or mode == "只检查"):
                    continue
                label = row(fmt, mode, str(j), str(n))
                if "--jsonl" in margs and not opt["--jsonl"]:
                    print("%s   不支持（--jsonl）" % label)
                    continue
                if not opt["--jobs"] and j != 1:
                    print("%s   不支持（--jobs）" % label)
                    continue
                paths = {"J": os.path.join(out_dir, "results.json"),
                         "X": os.path.join(out_dir, "scorecard.xlsx"),
                         "L": os.path.join(out_dir, "results.jsonl")}
                for p in paths.values():
                    if os.path.exists(p):
                        os.remove(p)
                args = [paths.get(a, a) for a in margs]
                cmd = [BIN, "check", "--rules", RULES, *quiet, *(["--jobs", str(j)] if opt["--jobs"] else []),
                       *args, *dirs]
                r = None
                for _ in range(RUNS if n <= 10000 else 1):
                    for p in paths.values():
                        if os.path.exists(p):
                            os.remove(p)
                    t = Run(cmd)
                    if r is not None and t.rc in (0, 1):
                        t.peak_kb, t.parent_kb, t.worker_kb = (max(t.peak_kb, r.peak_kb),
                                                               max(t.parent_kb, r.parent_kb),
                                                               max(t.worker_kb, r.worker_kb))
                        if t.wall > r.wall:
                            t.wall = r.wall
                    r = t
                    if r.rc not in (0, 1):
                        break
                if r.rc not in (0, 1):
                    print("%s   失败（退出码 %d）：%s" % (label, r.rc, r.stderr.strip()[:300]))
                    continue
                js = paths["L"] if "--jsonl" in margs else paths["J"]
                jsz = os.path.getsize(js) if os.path.exists(js) else None
                xsz = os.path.getsize(paths["X"]) if os.path.exists(paths["X"]) else None
                for p in paths.values():
                    if os.path.exists(p):
                        os.remove(p)   # 100,000 reports write GBs of JSON: not kept
                mem = "%.1f MB (%s%.1f/%.1f)" % (mb(r.peak_kb), "" if r.worker_kb < r.peak_kb else "≥",
                                                  mb(r.parent_kb), mb(r.worker_kb))
                print(row(fmt, mode, str(j), str(n), "%.2f s" % r.wall, "%.0f" % (n / r.wall), mem,
                          fmt_size(jsz), fmt_size(xsz)), flush=True)
                res[(mode, j)] = r
                rows.append(dict(fmt=fmt, n=n, mode=mode, jobs=j, wall=r.wall, peak=r.peak_kb,
                                 parent=r.parent_kb, worker=r.worker_kb, json=jsz, xlsx=xsz))
                if mode.startswith("完整（JSON+"):
                    full_peaks.setdefault(fmt, {})[(n, j)] = (r.peak_kb, r.parent_kb)

        # the baselines over the same files
        py = rg1 = rgn = None
        if fmt == "pdf" and not has_pdftotext:
            print("（没有 pdftotext：Python 脚本和 rg 不读 .pdf，跳过）")
        elif n > PYTHON_MAX:
            print("（Python 脚本只在不超过 %d 份时运行：BENCH_PYTHON_MAX）" % PYTHON_MAX)
        else:
            pj, px = os.path.join(out_dir, "py.json"), os.path.join(out_dir, "py.xlsx")
            r = Run([PY, os.path.join("scripts", "bench_python.py"), "--rules", RULES, "--json", pj,
                     "--xlsx", px, *dirs])
            if r.rc == 0:
                py = r
                print(row(fmt, "Python re+openpyxl", "1", str(n), "%.2f s" % r.wall, "%.0f" % (n / r.wall),
                          "%.1f MB" % mb(r.peak_kb), fmt_size(os.path.getsize(pj)),
                          fmt_size(os.path.getsize(px))), flush=True)
                line = [ln for ln in r.stderr.splitlines() if ln.startswith("模式")]
                if line:
                    print("       （%s）" % line[0])
            else:
                print("Python 脚本失败（退出码 %d）：%s" % (r.rc, r.stderr.strip()[-300:]))
            for p in (pj, px):
                if os.path.exists(p):
                    os.remove(p)
        if not has_rg:
            print("（没有 rg：跳过 ripgrep）")
        elif not (fmt == "pdf" and not has_pdftotext):
            pre_args = [] if fmt == "txt" else ["--pre", pre]
            for j in jobs_list:
                r = Run(["rg", "-P", "-c", "--no-messages", *pre_args, "-j", str(j), "-f", pat_file, *dirs])
                if r.rc not in (0, 1):
                    print("rg 失败（退出码 %d）：%s" % (r.rc, r.stderr.strip()[:300]))
                    continue
                if j == 1:
                    rg1 = r
                else:
                    rgn = r
                print(row(fmt, "rg -P -c -f" + (" --pre" if pre_args else ""), str(j), str(n),
                          "%.2f s" % r.wall, "%.0f" % (n / r.wall), "%.1f MB" % mb(r.peak_kb)), flush=True)
        c = {"fmt": fmt, "n": n, "py": py.wall if py else None,
             "rg1": rg1.wall if rg1 else None, "rgn": rgn.wall if rgn else None}
        for (mode, j), r in res.items():
            c[(mode, j)] = r.wall
        comps.append(c)

    # ------------------------------------------------------------ side by side
    print("\n== 对照（比值为 fzcheck 耗时 ÷ 对照耗时，越小越快） ==")
    CW = (-5, 8, 10, 10, 10, 14, 14, 14, 14)
    print(cols(*zip(("格式", "报告数", "Python", "rg -j1", "rg -j%d" % NCPU, "完整1/Python",
                     "完整%d/Python" % NCPU, "检查1/rg-j1", "检查%d/rg-j%d" % (NCPU, NCPU)), CW)))

    def ratio(a, b):
        return "%.2f" % (a / b) if a and b else "—"

    def sec(x):
        return "%.2f s" % x if x else "—"
    for c in comps:
        print(cols(*zip((
            c["fmt"], str(c["n"]), sec(c["py"]), sec(c["rg1"]), sec(c["rgn"]),
            ratio(c.get(("完整（JSON+评分表）", 1)), c["py"]),
            ratio(c.get(("完整（JSON+评分表）", NCPU)), c["py"]),
            ratio(c.get(("只检查", 1)), c["rg1"]), ratio(c.get(("只检查", NCPU)), c["rgn"])), CW)))

    # ------------------------------------------------------------ one report
    print("\n== 单份 .txt 报告（%s，20 次取最快） ==" % SMALL)
    cmd = [BIN, "check", "--rules", RULES, *quiet, SMALL]
    best = None
    if shutil.which("hyperfine"):
        hj = os.path.join(ROOT, "hyperfine.json")
        r = subprocess.run(["hyperfine", "-N", "--warmup", "3", "--runs", "20", "-i", "--export-json", hj,
                            " ".join(cmd)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode == 0:
            with open(hj) as f:
                best = json.load(f)["results"][0]["min"]
            how = "hyperfine"
    if best is None:
        times = []
        for _ in range(23):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - t)
        best, how = min(times[3:]), "time.perf_counter"
    print("%.1f ms（%s%s）" % (best * 1000, how, "" if quiet else "，无 --quiet，文字输出到 /dev/null"))

    # ------------------------------------------------------------ targets
    print("\n== 目标 ==")

    def verdict(ok):
        return "达到" if ok else "未达到"
    txt = [c for c in comps if c["fmt"] == "txt"]
    for c in txt[-1:] if NCPU >= 2 else []:
        for mode in ("只检查", "完整（JSON+评分表）"):
            a, b = c.get((mode, 1)), c.get((mode, 2 if NCPU == 2 else NCPU))
            if a and b and NCPU == 2:
                print("--jobs 2 比 --jobs 1 快 1.8 倍以上（%s，%d 份）：%.2f 倍  %s"
                      % (mode, c["n"], a / b, verdict(a / b >= 1.8)))
            elif a and b:
                print("--jobs %d 比 --jobs 1（%s，%d 份）：%.2f 倍（目标针对 --jobs 2）" % (NCPU, mode, c["n"], a / b))
    withpy = [c for c in txt if c["py"] and c.get(("完整（JSON+评分表）", 1))]
    if withpy:
        c = withpy[-1]
        q = c[("完整（JSON+评分表）", 1)] / c["py"]
        print("完整运行（--jobs 1）耗时 ≤ Python 脚本的 0.25 倍（%d 份）：%.2f 倍  %s" % (c["n"], q, verdict(q <= 0.25)))
    else:
        print("完整运行 ≤ Python 脚本的 0.25 倍：无数据")
    fp = full_peaks.get("txt", {})
    if fp:
        nmax = max(n for n, _ in fp)
        peaks = {j: kb for (n, j), (kb, _) in fp.items() if n == nmax}
        worst = max(peaks.values())
        label = "%d 份" % nmax
        print("峰值内存 ≤ 40 MB（%s，JSON + 评分表，各进程数中最大）：%.1f MB  %s%s"
              % (label, mb(worst), verdict(worst <= 40 * 1024),
                 "" if nmax >= 100000 else "（目标针对 100000 份，本次最多 %d 份）" % nmax))
        ns = sorted({n for n, _ in fp})
        if len(ns) > 1:
            lo = max(kb for (n, j), (kb, _) in fp.items() if n == ns[0])
            hi = max(kb for (n, j), (kb, _) in fp.items() if n == ns[-1])
            grow = hi - lo
            # not growing: at most 10% (and at least 2 MB of noise) more at the largest size
            print("峰值内存不随报告数增长（%d 份 %.1f MB → %d 份 %.1f MB，允许 +10%% 或 2 MB）：%s"
                  % (ns[0], mb(lo), ns[-1], mb(hi), verdict(grow <= max(lo * 0.1, 2048))))
    print("单份 .txt 报告 < 12 ms：%.1f ms  %s" % (best * 1000, verdict(best < 0.012)))
    js = [r for r in rows if r["fmt"] == "txt" and r["mode"].startswith("完整（JSON+") and r["json"]]
    if js:
        r = max(js, key=lambda r: r["n"])
        per = r["json"] / r["n"]
        print("JSON ≤ 6 KB/份（%d 份）：%.1f KB/份  %s" % (r["n"], per / 1024, verdict(per <= 6 * 1024)))
    jl = [r for r in rows if r["fmt"] == "txt" and "JSONL" in r["mode"] and r["json"]]
    if jl:
        r = max(jl, key=lambda r: r["n"])
        print("（JSONL：%.1f KB/份，%d 份）" % (r["json"] / r["n"] / 1024, r["n"]))
    million = [r for r in rows if r["fmt"] == "txt" and r["n"] >= 1000000 and r["mode"].startswith("完整")]
    if million:
        r = min(million, key=lambda r: r["wall"])
        print("1000000 份 .txt（JSON + 评分表，--jobs %d）< 5 分钟：%.0f 秒  %s"
              % (r["jobs"], r["wall"], verdict(r["wall"] < 300)))
    else:
        print("1000000 份 < 5 分钟：本次未运行（make bench BENCH_SIZES=1000000）")

    print("\n说明：峰值内存“总”为 GNU time 的 %M（wait4() 返回的 ru_maxrss）：fzcheck 及其已回收的工作进程中单个进程的最大常驻内存"
          "（取最大，不是相加）；括号内为父进程/最大的工作进程，由运行中每 20 ms 读取 /proc 的 VmHWM 得到，"
          "带“≥”时工作进程达到了总值，父进程的数为读到的下限。耗时为墙钟时间，机器上的其他进程会带来误差："
          "不超过 10000 份时 fzcheck 的每种运行做 {runs} 次（BENCH_RUNS），取最快的一次，内存取各次的最大。"
          "rg 的 -c 是每个文件匹配任一模式的行数（所有模式合成一次搜索）；Python 脚本逐个模式 finditer 计数。".replace("{runs}", str(RUNS)))

    # ------------------------------------------------------------ --previous, --similar
    import bench_reuse
    bench_reuse.section(sys.modules[__name__])
    print("基准总用时 %.0f 秒" % (time.perf_counter() - t_start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
