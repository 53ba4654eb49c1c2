#!/usr/bin/python3
"""Latency of fzcheck serve: POST /api/check of one multi-page .docx,
N sequential requests (default 50) after two warm-up ones, on a server
started here on a free loopback port; prints min, p50, p95, max and the
server's peak RSS. Standard library only.

Run by `make bench` (and `make bench-serve`) as:
  bench_serve.py FZCHECK [DOCX] [N]"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

fzcheck = sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck"
docx = sys.argv[2] if len(sys.argv) > 2 else "tests/fixtures/formats/sifaju-2024-complete.docx"
n = int(sys.argv[3]) if len(sys.argv) > 3 else 50

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

    print("serve：POST /api/check 一份 %s（%d 字节），顺序 %d 次：最短 %.1f ms，中位 %.1f ms，p95 %.1f ms，"
          "最长 %.1f ms；服务进程内存峰值 %.1f MB" % (os.path.basename(docx), len(data), n, times[0] * 1000,
                                             pct(0.5), pct(0.95), times[-1] * 1000, hwm / 1024))
finally:
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)
    os.rmdir(tmp)
