#!/usr/bin/python3
"""Latency of fzcheck serve: POST /api/check of one 20-page .docx,
N sequential requests (default 50) after two warm-up ones, on a server
started here on a free loopback port; prints min, p50, p95, max and the
server's peak RSS. Standard library only.

Run by `make bench` (and `make bench-serve`) as:
  bench_serve.py FZCHECK [DOCX] [N]
Without DOCX a 20-page report is made from the sample report
reports/sifaju-2024-complete.txt, its 主要举措和成效 part written out
again with other figures until the text fills 20 pages of the official
document layout (GB/T 9704: 22 lines of 28 characters a page)."""
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

fzcheck = sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck"
n = int(sys.argv[3]) if len(sys.argv) > 3 else 50
PAGE_CHARS = 22 * 28


def twenty_page_docx(path):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench import write_docx
    with open("reports/sifaju-2024-complete.txt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    first = next(i for i, ln in enumerate(lines) if ln.startswith("一、"))
    second = next(i for i, ln in enumerate(lines) if ln.startswith("二、"))
    part, extra, k = lines[first + 1:second], [], 0
    while sum(len(ln) for ln in lines + extra) < 20 * PAGE_CHARS:
        k += 1
        extra += [re.sub(r"\d+", lambda m: str(int(m.group()) + k), ln) for ln in part]
    write_docx(path, "\n".join(lines[:second] + extra + lines[second:]))
    return sum(len(ln) for ln in lines + extra)


made = tempfile.mkdtemp(prefix="fzbench-docx-")
if len(sys.argv) > 2:
    docx, chars = sys.argv[2], None
else:
    docx = os.path.join(made, "二十页报告.docx")
    chars = twenty_page_docx(docx)

with open(docx, "rb") as f:
    data = f.read()
boundary = "fzcheck-bench-boundary"
body = (("--%s\r\nContent-Disposition: form-data; name=\"files\"; filename=\"%s\"\r\n"
         "Content-Type: application/octet-stream\r\n\r\n" % (boundary, os.path.basename(docx))).encode()
        + data + ("\r\n--%s--\r\n" % boundary).encode())
headers = {"Content-Type": "multipart/form-data; boundary=" + boundary}

tmp = tempfile.mkdtemp(prefix="fzbench-serve-")
p = subprocess.Popen([fzcheck, "serve", "--listen", "127.0.0.1:0", "--keep", "1"], stderr=subprocess.PIPE,
                     stdin=subprocess.DEVNULL, env=dict(os.environ, TMPDIR=tmp))
try:
    port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", p.stderr.readline().decode()).group(1))

    def once():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        t = time.perf_counter()
        c.request("POST", "/api/check", body=body, headers=headers)
        r = c.getresponse()
        doc = json.loads(r.read())
        took = time.perf_counter() - t
        c.close()
        assert r.status == 200 and doc["reports"][0].get("score") is not None, r.status
        return took

    once()
    once()
    times = sorted(once() for _ in range(n))
    with open("/proc/%d/status" % p.pid) as f:
        hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))

    def pct(q):
        return times[min(len(times) - 1, int(round(q * (len(times) - 1))))] * 1000

    if chars:
        print("（测试文件：%d 字，按公文版式约 %d 页）" % (chars, round(chars / PAGE_CHARS)))
    print("serve：POST /api/check 一份 %s（%d 字节），顺序 %d 次：最短 %.1f ms，中位 %.1f ms，p95 %.1f ms，"
          "最长 %.1f ms；服务进程内存峰值 %.1f MB" % (os.path.basename(docx), len(data), n, times[0] * 1000,
                                             pct(0.5), pct(0.95), times[-1] * 1000, hwm / 1024))
finally:
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)
    os.rmdir(tmp)
    shutil.rmtree(made, ignore_errors=True)
