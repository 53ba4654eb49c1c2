#!/usr/bin/python3
"""The annotated Word copies (check --annotate DIR), checked with the
standard library alone (zipfile, xml.etree): each copy opens as a zip; it
holds one comment per partial or failed result of the JSON plus the
summary (and any comments the report had); every comment range and
reference is balanced, unique and names a comment; each comment sits on
the paragraph holding its evidence's quote, a missing element's on a
heading or the title; the report's own file is untouched and every other
part of its package is byte for byte the same; a .txt gives a new valid
document; hostile text comes out escaped; re-reading a copy gives the
same verdicts.

Run by `make test` as: check_annotate.py BINARY; prints "annotate: N
passed, M failed"."""
import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), ".."))
from pycase import run_cases  # noqa: E402

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck")
ASAN = os.environ.get("FZCHECK_ASAN")
FORMATS = "tests/fixtures/formats"
DOCX = [os.path.join(FORMATS, f) for f in ("numbered.docx", "numbered-libreoffice.docx",
                                           "sifaju-2024-complete.docx",
                                           "ziranziyuan-2023-noproblems.docx")]
REPORTS = ["reports/jiaoyuju-2023-pdf.txt", "reports/shijianju-2023-gaps.md",
           "reports/sifaju-2024-complete.txt", "reports/ziranziyuan-2023-noproblems.txt"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHANGED = {"word/document.xml", "word/comments.xml", "word/_rels/document.xml.rels",
           "[Content_Types].xml"}
tmp = tempfile.mkdtemp(prefix="fzann-")


def env():
    e = dict(os.environ)
    e["SOURCE_DATE_EPOCH"] = "1700000000"
    return e


def fz(*args, binary=None):
    return subprocess.run([binary or BIN, *args], capture_output=True, env=env(), timeout=300,
                          stdin=subprocess.DEVNULL)


def fresh(name):
    d = os.path.join(tmp, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def sha(p):
    with open(p, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def annotate(files, name, *opts, binary=None):
    """Annotates files into a fresh folder; returns (folder, JSON)."""
    out = fresh(name)
    js = os.path.join(out, "..", name + ".json")
    r = fz("check", "--quiet", "--json", js, "--annotate", out, *opts, *files, binary=binary)
    assert r.returncode in (0, 1), r.stderr.decode()
    assert r.stderr == b"", r.stderr.decode()
    with open(js, encoding="utf-8") as f:
        return out, json.load(f)


def copy_name(path, taken):
    stem = os.path.splitext(os.path.basename(path))[0]
    ext = ".批注.docm" if path.lower().endswith(".docm") else ".批注.docx"
    name, k = stem + ext, 1
    while name in taken:
        k += 1
        name = "%s（%d）%s" % (stem, k, ext)
    taken.add(name)
    return name


def para_text(p):
    return "".join(t.text or "" for t in p.iter(W + "t"))


def squeeze(s):
    return re.sub(r"\s+", "", s)


def comments_of(z):
    root = ET.fromstring(z.read("word/comments.xml"))
    out = {}
    for c in root.findall(W + "comment"):
        cid = c.get(W + "id")
        assert cid not in out, "comment id %s twice" % cid
        paras = [para_text(p) for p in c.findall(W + "p")]
        out[cid] = {"author": c.get(W + "author"), "initials": c.get(W + "initials"),
                    "date": c.get(W + "date"), "paras": paras}
    return out


def anchors_of(z):
    """Comment id -> the w:p its range starts in, checking that ranges and
    references are balanced and unique."""
    root = ET.fromstring(z.read("word/document.xml"))
    starts, ends, refs = {}, set(), set()
    for p in root.iter(W + "p"):
        for c in p:
            if c.tag == W + "commentRangeStart":
                i = c.get(W + "id")
                assert i not in starts, "commentRangeStart %s twice" % i
                starts[i] = p
    for e in root.iter(W + "commentRangeEnd"):
        i = e.get(W + "id")
        assert i not in ends, "commentRangeEnd %s twice" % i
        ends.add(i)
    for e in root.iter(W + "commentReference"):
        i = e.get(W + "id")
        assert i not in refs, "commentReference %s twice" % i
        refs.add(i)
    assert set(starts) == ends == refs, (sorted(starts), sorted(ends), sorted(refs))
    return starts


def gaps(rep):
    return [r for r in rep["results"] if r["status"] in ("partial", "fail")]


def heading_texts(rep):
    return [squeeze(s["marker"] + s["title"]) for s in rep["sections"]] + \
           [squeeze(s["title"]) for s in rep["sections"]]


def check_copy(copy, rep, original=None, existing=0):
    """Everything a copy must be; returns its comments."""
    with zipfile.ZipFile(copy) as z:
        assert z.testzip() is None
        comments = comments_of(z)
        anchors = anchors_of(z)
        assert set(anchors) <= set(comments)
        mine = {i: c for i, c in comments.items() if c["author"] == "fzcheck"}
        assert len(comments) == existing + len(mine)
        assert len(mine) == len(gaps(rep)) + 1, (len(mine), len(gaps(rep)))
        assert set(mine) <= set(anchors), "a new comment without its range"
        for c in mine.values():
            assert c["initials"] == "fz" and c["date"] == "2023-11-14T22:13:20Z", c
        ids = sorted(int(i) for i in mine)
        if existing:
            assert min(ids) > max(int(i) for i in comments if i not in mine)
        # the summary, on the title (or the first paragraph)
        summary = [i for i, c in mine.items() if c["paras"][0].startswith("fzcheck 检查结果")]
        assert len(summary) == 1
        s = mine[summary[0]]
        assert "得分 %.1f" % rep["score"] in s["paras"][0] and rep["grade"] in s["paras"][0], s
        assert any(p.startswith("必备要素缺项") for p in s["paras"]), s
        assert any(p.startswith("规则包：") for p in s["paras"]), s
        body = ET.fromstring(z.read("word/document.xml")).find(W + "body")
        first = next(p for p in body.iter(W + "p") if squeeze(para_text(p)))
        title_p = anchors[summary[0]]
        assert title_p is first or (rep.get("title") and squeeze(para_text(title_p)) in squeeze(rep["title"])), \
            para_text(title_p)
        # each result's comment: where its evidence is, else on a heading or the title
        for res in gaps(rep):
            cid = [i for i, c in mine.items() if c["paras"][0] == res["message"].split("\n")[0]]
            assert cid, "no comment says %r" % res["message"]
            p = anchors[cid[0]]
            text = squeeze(para_text(p))
            if res.get("evidence"):
                q = squeeze(res["evidence"][0]["text"].strip("…"))
                probes = [q[i:i + 6] for i in range(0, max(1, min(len(q) - 5, 12)))]
                assert any(x in text for x in probes), (res["id"], q, text)
            else:
                assert p is title_p or any(text.endswith(h) or h.endswith(text) for h in heading_texts(rep) if text), \
                    (res["id"], text)
        if original:
            with zipfile.ZipFile(original) as o:
                names = o.namelist()
                for n in names:
                    if n not in CHANGED:
                        assert o.read(n) == z.read(n), n + " changed"
                assert set(names) <= set(z.namelist())
                assert set(z.namelist()) - set(names) <= CHANGED
        ct = z.read("[Content_Types].xml").decode()
        assert "wordprocessingml.comments+xml" in ct
        rels = z.read("word/_rels/document.xml.rels").decode()
        assert "relationships/comments" in rels
    return comments


def verdicts(rep):
    return [(r["id"], r["status"], r["score"]) for r in rep["results"]], rep["score"], rep["grade"]


def case_docx_copies_carry_a_comment_per_gap_on_its_evidence():
    before = {p: sha(p) for p in DOCX}
    out, js = annotate(DOCX, "docx")
    taken = set()
    for path, rep in zip(DOCX, js["reports"]):
        check_copy(os.path.join(out, copy_name(path, taken)), rep, original=path)
    assert {p: sha(p) for p in DOCX} == before, "a report file changed"


def case_other_formats_give_a_new_valid_docx():
    out, js = annotate(REPORTS, "plain")
    taken = set()
    for path, rep in zip(REPORTS, js["reports"]):
        copy = os.path.join(out, copy_name(path, taken))
        check_copy(copy, rep)
        with zipfile.ZipFile(copy) as z:
            for part in ("[Content_Types].xml", "_rels/.rels", "word/document.xml",
                         "word/_rels/document.xml.rels", "word/comments.xml", "word/styles.xml"):
                ET.fromstring(z.read(part))
            assert "宋体" in z.read("word/styles.xml").decode()
            paras = [para_text(p) for p in ET.fromstring(z.read("word/document.xml")).iter(W + "p")]
            assert rep["title"] and squeeze(rep["title"]) in squeeze("".join(paras))


def case_rereading_a_copy_gives_the_same_verdicts():
    out, js = annotate(DOCX, "reread")
    taken = set()
    copies = [os.path.join(out, copy_name(p, taken)) for p in DOCX]
    r = fz("check", "--json", "-", *copies)
    again = json.loads(r.stdout)
    for a, b in zip(js["reports"], again["reports"]):
        assert verdicts(a) == verdicts(b), (a["file"], verdicts(a), verdicts(b))


def inject_comment(src, dst):
    """src with a comment of its own (id 7) on its first paragraph."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
        infos = z.infolist()
    doc = parts["word/document.xml"].decode()
    doc = re.sub(r"(<w:body>\s*<w:p\b[^>]*>)", r'\1<w:commentRangeStart w:id="7"/>', doc, count=1)
    doc = doc.replace("</w:p>", '<w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r></w:p>', 1)
    parts["word/document.xml"] = doc.encode()
    parts["word/comments.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:comment w:id="7" w:author="审核人" w:date="2024-01-02T03:04:05Z" w:initials="SH">'
        '<w:p><w:r><w:t>原有的批注</w:t></w:r></w:p></w:comment></w:comments>').encode()
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdOld" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/comments" Target="comments.xml"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/comments.xml" ContentType="application/vnd.'
                     b'openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>')
    parts["word/media/image1.png"] = bytes(range(256)) * 40
    with zipfile.ZipFile(dst, "w") as z:
        for i in infos:
            z.writestr(i, parts[i.filename], compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("word/comments.xml", parts["word/comments.xml"], compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("word/media/image1.png", parts["word/media/image1.png"], compress_type=zipfile.ZIP_STORED)


def case_existing_comments_are_kept_and_their_ids_not_reused():
    src = os.path.join(fresh("existing-src"), "commented.docx")
    inject_comment(os.path.join(FORMATS, "numbered-libreoffice.docx"), src)
    before = sha(src)
    out, js = annotate([src], "existing", binary=ASAN)
    copy = os.path.join(out, "commented.批注.docx")
    comments = check_copy(copy, js["reports"][0], original=src, existing=1)
    assert comments["7"]["paras"] == ["原有的批注"] and comments["7"]["author"] == "审核人"
    assert sha(src) == before
    with zipfile.ZipFile(copy) as z, zipfile.ZipFile(src) as o:
        rels = z.read("word/_rels/document.xml.rels").decode()
        assert rels.count("relationships/comments") == 1
        assert z.read("[Content_Types].xml") == o.read("[Content_Types].xml")
        assert z.getinfo("word/media/image1.png").compress_type == zipfile.ZIP_STORED


def case_hostile_text_comes_out_escaped():
    d = fresh("hostile-src")
    src = os.path.join(d, "hostile.txt")
    text = ("<script>alert(1)</script>县司法局2023年法治政府建设情况报告\n"
            "一、主要举措和成效\n"
            "落实行政执法公示制度 & 全过程记录 ]]> 法制审核\x01\x0b\x1f\x7f\u0085，审查文件12件。\n"
            "二、存在的不足和原因\n"
            "培训不够<b>。\n")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    out, js = annotate([src], "hostile", binary=ASAN)
    copy = os.path.join(out, "hostile.批注.docx")
    check_copy(copy, js["reports"][0])
    with zipfile.ZipFile(copy) as z:
        raw = z.read("word/document.xml").decode()
        assert "<script>" not in raw and "&lt;script&gt;" in raw
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85]", raw)
        assert "&amp;" in raw and "]]&gt;" in raw
        texts = "".join(para_text(p) for p in ET.fromstring(raw).iter(W + "p"))
        assert "<script>alert" in texts and "</script>" in texts and "]]>" in texts


def case_a_docm_copy_keeps_its_extension():
    d = fresh("docm-src")
    src = os.path.join(d, "宏.docm")
    shutil.copy(DOCX[0], src)
    out, js = annotate([src], "docm")
    assert os.listdir(out) == ["宏.批注.docm"]
    check_copy(os.path.join(out, "宏.批注.docm"), js["reports"][0], original=src)


def case_copies_are_the_same_bytes_run_after_run_and_with_any_jobs():
    a, _ = annotate(DOCX + REPORTS, "same-a", "--jobs", "1")
    b, _ = annotate(DOCX + REPORTS, "same-b", "--jobs", "2")
    names = sorted(os.listdir(a))
    assert names == sorted(os.listdir(b)) and len(names) == len(DOCX + REPORTS)
    for n in names:
        assert sha(os.path.join(a, n)) == sha(os.path.join(b, n)), n


def case_an_unreadable_report_gets_no_copy():
    d = fresh("bad-src")
    bad = os.path.join(d, "坏.docx")
    with open(bad, "wb") as f:
        f.write(b"PK\x03\x04 not a zip")
    out, js = annotate([bad, REPORTS[1]], "bad")
    assert js["reports"][0]["error"]
    assert os.listdir(out) == [os.path.splitext(os.path.basename(REPORTS[1]))[0] + ".批注.docx"]


if __name__ == "__main__":
    sys.exit(run_cases("annotate", globals(), lambda: shutil.rmtree(tmp, ignore_errors=True)))
