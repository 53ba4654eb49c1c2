#!/usr/bin/python3
"""fzcheck serve as a client meets it, with the standard library only
(http.client, socket): /healthz, the token, the upload page and /rules;
/api/check gives what `fzcheck check --json` gives on the same files;
/check with one and with two reports, its links followed (pages, the
annotated .docx with its comments, the scorecard, the JSON); last year's
report uploaded too (field previous): compared as `check --previous`
compares, its score and the change shown, an unreadable one not fatal,
its files under the same limits; hostile
clients: an oversize upload or file (413), a zip bomb, traversal names
and nested archives in a zip, malformed multipart (400), a slowloris
client cut off while a normal request is served, 1,000 idle connections,
a request during shutdown; load: 200 uploads from 50 threads; and after
each case the server's temporary root holds nothing left over, at
shutdown nothing at all.

Run by `make test` as: check_serve.py BINARY ASAN_BINARY (the server under
test is the ASan build, except for the load test); prints
"serve: N passed, M failed"."""
import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), ".."))
from pycase import run_cases  # noqa: E402

import base64
import http.client
import io
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck")
ASAN = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else BIN)
DOCX = "tests/fixtures/formats/sifaju-2024-complete.docx"
PDF = "tests/fixtures/formats/jiaoyuju-2023-pdf.pdf"
TXT = "reports/shijianju-2023-gaps.md"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'"
tmp = tempfile.mkdtemp(prefix="fzserve-test-")


def read(p):
    with open(p, "rb") as f:
        return f.read()


class Server:
    """fzcheck serve on a free port, its stderr collected; TMPDIR is a
    directory of its own, so that what it leaves can be seen."""

    def __init__(self, *args, binary=None, env=None, token=None):
        self.tmpdir = tempfile.mkdtemp(dir=tmp)
        e = dict(os.environ)
        e.pop("FZCHECK_TOKEN", None)
        e.update({"TMPDIR": self.tmpdir, "FZCHECK_MAX_MB": "2"})
        e.update(env or {})
        cmd = [binary or ASAN, "serve", "--listen", "127.0.0.1:0", "--keep", "1", "--header-timeout", "2",
               "--max-request-mb", "8", "--max-files", "20", *args]
        if token:
            cmd += ["--token", token]
        self.p = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=e)
        self.lines = []
        first = self.p.stderr.readline().decode()
        self.lines.append(first)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert m, "no URL in the first line: %r" % first
        self.port = int(m.group(1))
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.p.stderr:
            self.lines.append(line.decode(errors="replace"))

    def root(self):
        """The private root (the one entry of TMPDIR)."""
        entries = os.listdir(self.tmpdir)
        assert len(entries) == 1 and entries[0].startswith("fzcheck-serve-"), entries
        return os.path.join(self.tmpdir, entries[0])

    def assert_clean(self, wait=4.0):
        """Nothing left in the root once results expire (--keep 1)."""
        end = time.time() + wait
        while True:
            left = os.listdir(self.root())
            if not left:
                return
            if time.time() > end:
                raise AssertionError("left in the temporary root: %s" % left)
            time.sleep(0.1)

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        rc = self.p.wait(timeout=60)
        self.reader.join(timeout=5)
        assert rc == 0, "server exited %d:\n%s" % (rc, "".join(self.lines[-30:]))
        assert os.listdir(self.tmpdir) == [], "left in TMPDIR after shutdown: %s" % os.listdir(self.tmpdir)
        return "".join(self.lines)

    def conn(self, timeout=60, source=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                       source_address=(source, 0) if source else None)
        return c

    def request(self, method, path, body=None, headers=None, timeout=120):
        c = self.conn(timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
        finally:
            c.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def upload(self, path, files, headers=None, **kw):
        body, ctype = multipart(files)
        h = {"Content-Type": ctype}
        h.update(headers or {})
        return self.request("POST", path, body=body, headers=h, **kw)


def multipart(files, boundary="fzcheck-test-boundary-7MA4YWxkTrZu0gW"):
    """files: (name, data) in the field files, or (field, name, data)."""
    out = io.BytesIO()
    for f in files:
        field, name, data = f if len(f) == 3 else ("files",) + tuple(f)
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                   "Content-Type: application/octet-stream\r\n\r\n" % (boundary, field, name)).encode())
        out.write(data)
        out.write(b"\r\n")
    out.write(("--%s--\r\n" % boundary).encode())
    return out.getvalue(), "multipart/form-data; boundary=" + boundary


def zip_of(entries):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return b.getvalue()


def check_json(*files, previous=None):
    out = os.path.join(tmp, "cli.json")
    more = ["--previous", previous] if previous else []
    r = subprocess.run([BIN, "check", "--quiet", "--json", out, *more, *files], capture_output=True)
    assert r.returncode in (0, 1), r.stderr.decode()
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def verdicts(doc):
    return [(rep.get("unit"), rep.get("score"), rep.get("grade"),
             [(x["id"], x["status"], x["score"]) for x in rep["results"]]) for rep in doc["reports"]]


def security_headers(h, where):
    assert h.get("content-security-policy") == CSP, (where, h.get("content-security-policy"))
    assert h.get("x-content-type-options") == "nosniff", where
    assert h.get("referrer-policy") == "no-referrer", where
    assert h.get("cache-control") == "no-store", where


def links(html):
    return re.findall(r'href="([^"#]+)"', html)


srv = None


def server():
    global srv
    if srv is None:
        srv = Server()
    return srv


# ---- the service ---------------------------------------------------------------

def case_healthz_names_the_pack():
    s, h, body = server().get("/healthz")
    assert s == 200 and body.startswith(b"ok\n"), (s, body)
    assert "法治政府建设".encode() in body and b"2024.1" in body, body
    security_headers(h, "/healthz")


def case_upload_page_is_a_plain_form_without_script():
    s, h, body = server().get("/")
    page = body.decode()
    assert s == 200 and h["content-type"].startswith("text/html"), s
    assert '<form method="post" action="/check" enctype="multipart/form-data">' in page
    assert 'type="file"' in page and "multiple" in page and "<script" not in page.lower()
    assert "不会被保留" in page, "the page says files are not kept"
    security_headers(h, "/")


def case_rules_page_lists_every_rule():
    s, _, body = server().get("/rules")
    page = body.decode()
    rules = check_json(TXT)["rules"]
    rows = re.findall(r"<tr><td>([^<]+)</td>", page)
    assert s == 200 and rows == [r["id"] for r in rules], rows


def case_api_check_equals_check_json_on_a_docx_and_a_pdf():
    s, h, body = server().upload("/api/check", [("司法局.docx", read(DOCX)), ("教育局.pdf", read(PDF))])
    assert s == 200 and h["content-type"].startswith("application/json"), (s, body[:300])
    doc = json.loads(body)
    want = check_json(DOCX, PDF)
    assert verdicts(doc) == verdicts(want), "serve and check disagree"
    assert [r["file"] for r in doc["reports"]] == ["001_司法局.docx", "002_教育局.pdf"], \
        [r["file"] for r in doc["reports"]]
    assert doc["format"] == want["format"] and doc["rules"] == want["rules"]
    server().assert_clean()


def case_check_one_report_answers_its_page_with_the_annotated_copy():
    s, h, body = server().upload("/check", [("司法局.docx", read(DOCX))])
    assert s == 303 and re.fullmatch(r"/r/[0-9a-f]{32}/", h["location"]), (s, h)
    base = h["location"]
    s, h, body = server().get(base)
    page = body.decode()
    want = check_json(DOCX)["reports"][0]
    assert s == 200 and want["unit"] in page, s
    assert page.startswith("<!DOCTYPE html>") and page.index('id="downloads"') > page.index("<main>"), \
        "the download links are inside the page's <main>"
    assert re.search(r'id="score"[^>]*>%s<' % re.escape("%g" % want["score"]), page), "score"
    assert ">%s<" % want["grade"] in page, "grade"
    security_headers(h, base)
    copy = re.search(r'id="dl-copy" download href="([^"]+)"', page).group(1)
    s, h, data = server().get(base + copy)
    assert s == 200 and "wordprocessingml" in h["content-type"], (s, h)
    assert "attachment" in h["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "fzcheck" in z.read("word/comments.xml").decode()
    s, _, data = server().get(base + "results.json")
    assert s == 200 and verdicts(json.loads(data)) == verdicts(check_json(DOCX))
    # the page's own relative link to the ranking works
    assert "index.html" in links(page)
    assert server().get(base + "index.html")[0] == 200
    server().assert_clean()
    assert server().get(base)[0] == 404, "an expired result is gone"


def case_check_two_reports_answers_the_ranking_with_every_link():
    s, h, _ = server().upload("/check", [("a.docx", read(DOCX)), ("b.pdf", read(PDF))])
    assert s == 303, s
    base = h["location"]
    s, _, body = server().get(base)
    index = body.decode()
    assert s == 200 and "scorecard.xlsx" in index and "results.json" in index
    pages = [l for l in links(index) if l.endswith(".html") and l != "index.html"]
    assert sorted(urllib.parse.unquote(p) for p in pages) == ["001_a.docx.html", "002_b.pdf.html"], pages
    for p in pages:
        s, _, body = server().get(base + p)
        page = body.decode()
        assert s == 200 and 'id="dl-copy"' in page, p
        copy = re.search(r'id="dl-copy" download href="([^"]+)"', page).group(1)
        s, _, data = server().get(base + copy)
        assert s == 200 and zipfile.ZipFile(io.BytesIO(data)).read("word/comments.xml")
    s, h, data = server().get(base + "scorecard.xlsx")
    assert s == 200 and "spreadsheetml" in h["content-type"]
    assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    for bad in ("../results.json", "%2e%2e/results.json", "copies/../results.json", ".hidden",
                "html/index.html", "in/001_a.docx"):
        assert server().get(base + bad)[0] == 404, bad
    assert server().get("/r/" + "0" * 32 + "/")[0] == 404
    server().assert_clean()


def case_a_zip_of_reports_is_checked_like_its_files():
    z = zip_of([("报告/a.docx", read(DOCX)), ("报告/b.md", read(TXT)), ("__MACOSX/._a.docx", b"x"),
                ("说明.xls", b"not a report")])
    s, _, body = server().upload("/api/check", [("报告.zip", z)])
    assert s == 200, body.decode()
    doc = json.loads(body)
    assert [r["file"] for r in doc["reports"]] == ["002_a.docx", "003_b.md"], [r["file"] for r in doc["reports"]]
    assert verdicts(doc) == verdicts(check_json(DOCX, TXT))
    server().assert_clean()


def case_token_is_asked_except_for_healthz():
    t = Server(token="s3cret-token")
    try:
        assert t.get("/healthz")[0] == 200
        s, h, body = t.get("/")
        assert s == 401 and h["www-authenticate"].startswith("Basic"), (s, h)
        assert "口令" in body.decode()
        assert t.get("/", headers={"Authorization": "Bearer wrong"})[0] == 401
        assert t.get("/", headers={"Authorization": "Bearer s3cret-token"})[0] == 200
        basic = base64.b64encode(b"anyone:s3cret-token").decode()
        assert t.get("/rules", headers={"Authorization": "Basic " + basic})[0] == 200
        assert t.upload("/api/check", [("a.md", read(TXT))])[0] == 401
    finally:
        t.stop()


# ---- last year's report (field previous) ---------------------------------------

REUSE = ("report-reused", "problems-reused", "plan-reused", "plan-followed-up")


def last_year_of(text):
    """Last year's report of TXT's unit: the same text, every figure changed."""
    return re.sub(r"\d+", lambda m: str(int(m.group(0)) - 1 if len(m.group(0)) == 4 else int(m.group(0)) + 3),
                  text).encode()


def reuse_results(rep):
    return {x["id"]: x for x in rep["results"] if x["id"] in REUSE}


def previous_line(page):
    m = re.search(r'<(p|div) class="prev" id="prev-line">(.*?)</\1>', page, re.S)
    return re.sub(r"<[^>]+>", "", m.group(2)) if m else None


def case_previous_report_is_compared_and_its_score_shown():
    prev = last_year_of(read(TXT).decode())
    prev_path = os.path.join(tmp, "上年.md")
    with open(prev_path, "wb") as f:
        f.write(prev)
    want = check_json(TXT, previous=prev_path)
    want_prev = check_json(prev_path)["reports"][0]
    s, _, body = server().upload("/api/check", [("市监局.md", read(TXT)), ("previous", "上年.md", prev)])
    assert s == 200, body[:300]
    doc = json.loads(body)
    assert [r["file"] for r in doc["reports"]] == ["001_市监局.md"], "last year's is not one of this year's"
    rep = doc["reports"][0]
    assert rep["previous"]["file"] == "prev/002_上年.md", rep.get("previous")
    assert rep["previous"]["score"] == want_prev["score"] and rep["previous"]["reused"] == 1, rep["previous"]
    got = reuse_results(rep)
    assert got["report-reused"]["status"] in ("fail", "partial"), got["report-reused"]
    assert "/" + "tmp" not in got["report-reused"]["detail"], "a server path in the result"
    assert verdicts(doc) == verdicts(want), "serve and check --previous disagree"
    # the result page: last year's report, its score, the change
    s, h, _ = server().upload("/check", [("市监局.md", read(TXT)), ("previous", "上年.md", prev)])
    assert s == 303, s
    s, _, body = server().get(h["location"])
    page = body.decode()
    line = previous_line(page)
    change = "%+.1f" % (rep["score"] - want_prev["score"])
    assert line and "上年报告：002_上年.md" in line and "上年得分：%g" % want_prev["score"] in line, line
    assert "变化：%s" % change in line and change.startswith("-"), (line, change)
    assert page.index('id="prev-line"') > page.index('id="downloads"') > page.index("<main>")
    server().assert_clean()


def case_previous_reports_on_the_ranking_and_as_a_zip():
    prev = last_year_of(read(TXT).decode())
    z = zip_of([("去年/市监局.md", prev)])
    s, h, _ = server().upload("/check", [("a.md", read(TXT)), ("b.docx", read(DOCX)), ("previous", "去年.zip", z)])
    assert s == 303, s
    base = h["location"]
    s, _, body = server().get(base)
    line = previous_line(body.decode())
    assert line and "001_a.md　上年报告：004_市监局.md　上年得分：" in line, line
    assert "002_b.docx" not in line and "1 份报告未能与上传的上一年度报告配对" in line, line
    s, _, body = server().get(base + "002_b.docx.html")
    assert s == 200 and "未能与上传的上一年度报告配对" in previous_line(body.decode())
    s, _, data = server().get(base + "results.json")
    reps = json.loads(data)["reports"]
    assert reps[0]["previous"]["file"] == "prev/004_市监局.md" and "previous" not in reps[1], reps[0].get("previous")
    server().assert_clean()


def case_without_previous_the_reuse_rules_say_none_was_given():
    s, _, body = server().get("/")
    form = body.decode()
    assert re.search(r'<input type="file" id="previous" name="previous" multiple accept="[^"]+">', form), \
        "the upload page has an optional input for last year's report"
    assert "上一年度报告（可选）" in form
    s, _, body = server().upload("/api/check", [("a.md", read(TXT))])
    rep = json.loads(body)["reports"][0]
    assert s == 200 and "previous" not in rep
    for rid, x in reuse_results(rep).items():
        assert x["status"] == "na" and "未提供上一年度报告" in x["message"], (rid, x)
    s, h, _ = server().upload("/check", [("a.md", read(TXT))])
    s, _, body = server().get(h["location"])
    assert s == 200 and 'class="prev"' not in body.decode() and "上年得分" not in body.decode()
    server().assert_clean()


def case_unreadable_previous_report_is_not_compared_and_not_fatal():
    garbage = b"PK\x03\x04 not a word file " * 200
    s, _, body = server().upload("/api/check", [("a.md", read(TXT)), ("previous", "去年.docx", garbage)])
    assert s == 200, body[:300]
    rep = json.loads(body)["reports"][0]
    assert "previous" not in rep and rep["score"] == check_json(TXT)["reports"][0]["score"]
    for rid, x in reuse_results(rep).items():
        assert x["status"] == "na" and "没有找到本单位上一年度的报告" in x["message"], (rid, x)
    s, h, _ = server().upload("/check", [("a.md", read(TXT)), ("previous", "去年.docx", garbage)])
    assert s == 303, s
    s, _, body = server().get(h["location"])
    line = previous_line(body.decode())
    assert s == 200 and line and "未能与上传的上一年度报告配对" in line, line
    assert server().get("/healthz")[0] == 200
    server().assert_clean()


def case_previous_files_are_under_the_upload_limits():
    srv_ = server()
    s, _, body = srv_.upload("/check", [("a.md", read(TXT)), ("previous", "大.txt", b"x" * (3 * 1024 * 1024))])
    assert s == 413 and "超过 2 MB" in body.decode(), (s, body.decode()[:500])
    bomb = zip_of([("a.txt", b"\0" * (50 * 1024 * 1024))])
    s, _, body = srv_.upload("/api/check", [("a.md", read(TXT)), ("previous", "炸弹.zip", bomb)])
    assert s == 413 and "压缩炸弹" in json.loads(body)["error"], (s, body[:300])
    # --max-files 20 counts last year's reports too
    many = [("%d.md" % i, b"x") for i in range(20)] + [("previous", "上年.md", b"x")]
    s, _, body = srv_.upload("/api/check", many)
    assert s == 413 and "一次最多检查 20 份" in json.loads(body)["error"], (s, body[:300])
    s, _, body = srv_.upload("/api/check", [("previous", "上年.md", read(TXT))])
    assert s == 400 and "只收到上一年度报告" in json.loads(body)["error"], (s, body[:300])
    s, _, body = srv_.upload("/api/check", [("a.md", read(TXT)), ("previous", "上年.exe", b"MZ")])
    assert s == 415, (s, body[:300])
    srv_.assert_clean()


# ---- hostile clients -----------------------------------------------------------

def case_oversize_request_is_refused_413_before_its_body():
    c = server().conn(timeout=10)
    c.putrequest("POST", "/check")
    c.putheader("Content-Type", "multipart/form-data; boundary=x")
    c.putheader("Content-Length", str(9 * 1024 * 1024))
    c.endheaders()
    r = c.getresponse()
    body = r.read().decode()
    c.close()
    assert r.status == 413 and "上限" in body, (r.status, body)
    server().assert_clean()


def case_oversize_file_is_refused_413():
    s, _, body = server().upload("/check", [("大.txt", b"x" * (3 * 1024 * 1024))])
    assert s == 413 and "超过 2 MB" in body.decode(), (s, body.decode()[:500])
    server().assert_clean()


def case_zip_bomb_is_refused_with_a_clear_message():
    bomb = zip_of([("a.txt", b"\0" * (50 * 1024 * 1024))])
    assert len(bomb) < 100 * 1024
    s, _, body = server().upload("/check", [("炸弹.zip", bomb)])
    page = body.decode()
    assert s == 413 and "压缩炸弹" in page, (s, page[:500])
    # the same when the archive lies about its sizes: counted as decompressed
    lying = bytearray(bomb)
    for sig, at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        i = lying.find(sig)
        lying[i + at:i + at + 4] = (1000).to_bytes(4, "little")
    s, _, body = server().upload("/api/check", [("骗.zip", bytes(lying))])
    assert s in (400, 413) and json.loads(body)["error"], (s, body[:300])
    server().assert_clean()


def case_traversal_names_and_nested_zips_are_refused():
    outside = os.path.join(server().tmpdir, "evil.txt")
    for name in ("../../evil.txt", "/tmp/evil.txt", "a/../../evil.txt", "C:\\evil.txt"):
        s, _, body = server().upload("/api/check", [("x.zip", zip_of([(name, read(TXT))]))])
        err = json.loads(body)["error"]
        assert s == 400 and "上级目录" in err, (name, s, err)
    nested = zip_of([("inner.zip", zip_of([("a.md", read(TXT))]))])
    s, _, body = server().upload("/api/check", [("x.zip", nested)])
    assert s == 400 and "只支持一层" in json.loads(body)["error"]
    assert not os.path.exists(outside) and not os.path.exists("/tmp/evil.txt")
    # an uploaded name with a path is cut to its base name
    s, _, body = server().upload("/api/check", [("../../../etc/x.md", read(TXT))])
    assert s == 200 and json.loads(body)["reports"][0]["file"] == "001_x.md"
    server().assert_clean()


def case_malformed_multipart_is_refused_400():
    srv_ = server()
    s, _, body = srv_.request("POST", "/api/check", body=b"--nope\r\nContent-Disposition: form-da",
                              headers={"Content-Type": "multipart/form-data; boundary=nope"})
    assert s == 400, (s, body)
    s, _, _ = srv_.request("POST", "/check", body=b"files=a", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert s == 400
    s, _, _ = srv_.request("POST", "/check", body=b"x", headers={"Content-Type": "multipart/form-data"})
    assert s == 400
    s, _, body = srv_.upload("/check", [("a.exe", b"MZ")])
    assert s == 415 and "不支持的文件类型" in body.decode()
    s, _, body = srv_.upload("/check", [])
    assert s == 400 and "没有收到报告文件" in body.decode()
    srv_.assert_clean()


def case_slowloris_is_cut_off_while_a_normal_request_is_served():
    srv_ = server()
    slow = socket.create_connection(("127.0.0.1", srv_.port))
    start = time.time()
    cut = None
    request = b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 200
    served = []
    for i, byte in enumerate(request):
        try:
            slow.send(bytes([byte]))
        except OSError:
            cut = time.time() - start
            break
        if i == 3:
            t = time.time()
            s, _, _ = srv_.get("/healthz", timeout=5)
            served.append((s, time.time() - t))
        slow.settimeout(0.2)
        try:
            if slow.recv(1) == b"":
                cut = time.time() - start
                break
        except socket.timeout:
            pass
        if time.time() - start > 15:
            break
    slow.close()
    assert cut is not None and cut < 5, "the slow client was not cut off (%s)" % cut
    assert served and served[0][0] == 200 and served[0][1] < 1, served
    print("    slowloris cut off after %.1f s; a normal request meanwhile took %.0f ms" % (cut, served[0][1] * 1000))


def case_1000_idle_connections_do_not_stop_service():
    # a thousand clients that connect and say nothing, from 20 addresses
    # (each under the per-address limit), on a server allowed that many
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    srv_ = Server("--connections", "1100")
    idle = []
    refused = 0
    try:
        for i in range(1000):
            try:
                k = socket.socket()
                k.bind(("127.0.0.%d" % (2 + i % 20), 0))
                k.connect(("127.0.0.1", srv_.port))
                idle.append(k)
            except OSError:
                refused += 1
        time.sleep(0.5)
        t = time.time()
        s, _, body = srv_.upload("/api/check", [("a.md", read(TXT))])
        took = time.time() - t
        assert s == 200 and json.loads(body)["reports"], s
        # past --header-timeout every idle one is closed
        time.sleep(3)
        still = 0
        for k in idle:
            k.settimeout(0.5)
            try:
                if k.recv(1) != b"":
                    still += 1
            except socket.timeout:
                still += 1
            except OSError:
                pass
        assert still == 0, "%d idle connections still open" % still
        assert len(idle) >= 900, "only %d of 1000 connections were accepted" % len(idle)
        s, _, _ = srv_.get("/healthz")
        assert s == 200, s
    finally:
        for k in idle:
            k.close()
        srv_.stop()
    print("    1000 idle connections (%d refused at connect); a check meanwhile took %.0f ms; all idle closed"
          % (refused, took * 1000))


def case_a_request_during_shutdown_is_answered_or_refused_cleanly():
    t = Server("--workers", "1")
    got = {}

    def slow_one():
        got["in_flight"] = t.upload("/check", [("%d.docx" % i, read(DOCX)) for i in range(8)])[0]

    th = threading.Thread(target=slow_one)
    th.start()
    time.sleep(0.4)
    t.p.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    try:
        got["after"] = t.get("/", timeout=10)[0]
    except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected) as e:
        got["after"] = type(e).__name__
    th.join(60)
    rc = t.p.wait(timeout=60)
    t.reader.join(timeout=5)
    assert got["in_flight"] == 303, got
    assert got["after"] in (503, "ConnectionRefusedError", "ConnectionResetError", "RemoteDisconnected"), got
    assert rc == 0 and os.listdir(t.tmpdir) == [], (rc, os.listdir(t.tmpdir))
    assert "已停止" in "".join(t.lines)
    print("    in flight: %s; after SIGTERM: %s; exit %d, TMPDIR empty" % (got["in_flight"], got["after"], rc))


def case_log_has_one_line_per_request_and_no_report_text():
    srv_ = server()
    s, _, _ = srv_.upload("/api/check", [("秘密.md", read(TXT))])
    time.sleep(0.3)
    log = "".join(srv_.lines)
    assert s == 200
    assert re.search(r"^\S+Z 127\.0\.0\.1 POST /api/check 200 \d+字节 1个文件 [\d.]+秒$", log, re.M), log[-500:]
    assert "秘密" not in log and "/r/" + "0" not in log
    text = read(TXT).decode()
    for line in text.splitlines():
        if len(line) > 8:
            assert line not in log, "report text in the log"


# ---- load ----------------------------------------------------------------------

def rss_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def case_200_uploads_from_50_clients_are_all_answered():
    t = Server("--workers", "4", "--queue", "4", binary=BIN)
    want = verdicts(check_json(TXT))
    results, busy, errors = [], [0], []
    lock = threading.Lock()
    files = [(TXT, "a.md")]

    def client(n):
        for k in range(4):
            for attempt in range(200):
                try:
                    s, h, body = t.upload("/api/check", [(name, read(p)) for p, name in files], timeout=120)
                except Exception as e:  # noqa: BLE001
                    with lock:
                        errors.append(repr(e))
                    break
                if s == 503:
                    assert h.get("retry-after") == "5", h
                    with lock:
                        busy[0] += 1
                    time.sleep(0.05 + 0.01 * (n % 7))
                    continue
                with lock:
                    results.append((s, verdicts(json.loads(body)) if s == 200 else body[:200]))
                break

    start = time.time()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(50)]
    for th in threads:
        th.start()
    peak = 0
    while any(th.is_alive() for th in threads):
        peak = max(peak, rss_kb(t.p.pid, "VmRSS"))
        time.sleep(0.05)
    took = time.time() - start
    hwm = rss_kb(t.p.pid, "VmHWM")
    t.assert_clean()
    t.stop()
    assert not errors, errors[:5]
    assert len(results) == 200 and all(s == 200 and v == want for s, v in results), \
        [r for r in results if r[0] != 200 or r[1] != want][:3]
    assert hwm < 200 * 1024, "server peak RSS %d kB" % hwm
    print("    200 uploads, 50 clients: all 200 OK and equal to check --json; %d answers 503 + Retry-After "
          "(retried); %.1f s; server RSS peak %.1f MB" % (busy[0], took, hwm / 1024))


def case_zz_shutdown_leaves_nothing():
    global srv
    if srv is not None:
        srv.assert_clean()
        srv.stop()
        srv = None


def cleanup():
    global srv
    if srv is not None:
        try:
            srv.p.kill()
        except OSError:
            pass
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(run_cases("serve", globals(), cleanup))
