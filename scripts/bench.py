#!/usr/bin/python3
"""make bench: checks a generated corpus of reports and writes the workbook,
printing wall time and peak memory (a benchmark, not a test).

    scripts/bench.py BINARY [COUNT]

The corpus is made from the sample reports in reports/, each copy given
its own unit name so that the ranking and the gap list are realistic.
"""
import os
import resource
import shutil
import subprocess
import sys
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck"
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
ROOT = "build/bench"
CORPUS = os.path.join(ROOT, "reports")


def make_corpus():
    samples = sorted(f for f in os.listdir("reports") if f.endswith((".txt", ".md")))
    texts = [open(os.path.join("reports", f), encoding="utf-8").read() for f in samples]
    units = ["清河市司法局", "安平县市场监督管理局", "白沙县教育局", "东川区自然资源局"]
    shutil.rmtree(CORPUS, ignore_errors=True)
    os.makedirs(CORPUS)
    for i in range(COUNT):
        k = i % len(texts)
        text = texts[k]
        for u in units:
            text = text.replace(u, "第%05d号%s" % (i, u))
        ext = os.path.splitext(samples[k])[1]
        with open(os.path.join(CORPUS, "r%05d%s" % (i, ext)), "w", encoding="utf-8") as f:
            f.write(text)


def measure(label, args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    with open(os.devnull, "w") as null:
        rc = subprocess.call([BIN, "check", *args, CORPUS], stdout=null)
    wall = time.perf_counter() - t
    # ru_maxrss of children is the largest of any child so far, in KB: the
    # runs go from least to most memory, so each figure is its own run's
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("%-34s %6.2f s  %7.1f ms/份  峰值内存 %6.1f MB  (退出码 %d)"
          % (label, wall, wall * 1000 / COUNT, peak, rc))
    return rc, peak


def main():
    make_corpus()
    print("fzcheck 基准：%d 份报告（由 reports/ 中的示例生成）" % COUNT)
    measure("只检查（不写文件）", [])
    xlsx = os.path.join(ROOT, "scorecard.xlsx")
    rc, peak = measure("检查并写 Excel 评分表", ["--xlsx", xlsx])
    size = os.path.getsize(xlsx) / 1024 / 1024 if os.path.exists(xlsx) else 0
    print("评分表大小 %.1f MB；内存目标 100 MB：%s" % (size, "达到" if peak < 100 else "未达到"))
    measure("检查并写 JSON 和 Excel", ["--json", os.path.join(ROOT, "results.json"), "--xlsx", xlsx])
    return 0 if rc in (0, 1) else rc


if __name__ == "__main__":
    sys.exit(main())
