#!/usr/bin/python3
"""Hostile and broken files: each gives its report a Chinese error, the run
exits 1, and the good report beside it in the same run is complete.
One case per kind of file. Run by `make test`; prints "hostile: N passed,
M failed".
"""
import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), ".."))
from pycase import run_cases  # noqa: E402

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck"
GOOD = "reports/sifaju-2024-complete.txt"
tmp = tempfile.mkdtemp(prefix="fzhostile-")


def docx_with(document_xml, extra=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def good_docx():
    return open("tests/fixtures/formats/sifaju-2024-complete.docx", "rb").read()


def check(name, content, phrase, env=None):
    """Writes content as `name` beside a good report, checks both."""
    d = os.path.join(tmp, name.replace(".", "_"))
    os.makedirs(d)
    shutil.copy(GOOD, os.path.join(d, "a-good.txt"))
    path = os.path.join(d, name)
    if callable(content):
        content(path)
    else:
        with open(path, "wb") as f:
            f.write(content)
    e = dict(os.environ)
    e.update(env or {})
    r = subprocess.run([BIN, "check", "--json", "-", d], capture_output=True, env=e, timeout=120)
    assert r.returncode == 1, (r.returncode, r.stderr[-500:])
    data = json.loads(r.stdout)
    by = {os.path.basename(x["file"]): x for x in data["reports"]}
    bad = by[name]
    assert bad.get("error") and phrase in bad["error"], bad.get("error")
    good = by["a-good.txt"]
    # a result for every rule of the pack: the bad file cost the good one nothing
    assert "error" not in good and good["grade"] == "优秀", good
    assert len(good["results"]) == data["pack"]["count"] == len(data["rules"]) >= 14, good


def case_empty_docx():
    check("empty.docx", b"", "文件为空")


def case_random_bytes():
    check("random.docx", os.urandom(4096), "不是有效的Word")


def case_random_text():
    check("random.txt", bytes(range(256)) * 16, "二进制")


def case_truncated_zip():
    data = good_docx()
    check("truncated.docx", data[: len(data) // 2], "已损坏")


def case_corrupt_zip():
    # damage the compressed body of the document itself (damage elsewhere,
    # in parts the reader does not need, is read past on purpose)
    data = bytearray(good_docx())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 100, start + min(info.compress_size, 1100)):
        data[i] ^= 0x5A
    check("corrupt.docx", bytes(data), "损坏")


def case_zip_bomb():
    # 200 MB of spaces in one entry, about 200 KB compressed
    def write(path):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            with z.open("word/document.xml", "w", force_zip64=True) as f:
                chunk = b" " * (1 << 20)
                for _ in range(200):
                    f.write(chunk)
    check("bomb.docx", write, "解压后过大")


def case_xml_entities():
    xml = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">'
           '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
           '<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&x;&b;</w:t></w:r></w:p></w:body></w:document>')
    check("entities.docx", docx_with(xml), "DTD")


def case_deeply_nested_xml():
    xml = '<w:document xmlns:w="w"><w:body>' + "<w:sdt>" * 100000 + "</w:sdt>" * 100000 + "</w:body></w:document>"
    check("nested.docx", docx_with(xml), "XML 有误")


def alt_chunk_docx(write_page):
    """A .docx whose body is one w:altChunk; write_page(f) writes its HTML."""
    def write(path):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("word/document.xml",
                       '<w:document xmlns:w="w" xmlns:r="r"><w:body><w:altChunk r:id="c1"/>'
                       '</w:body></w:document>')
            z.writestr("word/_rels/document.xml.rels",
                       '<Relationships><Relationship Id="c1" Type="x/aFChunk" Target="page.html"/>'
                       '</Relationships>')
            with z.open("word/page.html", "w", force_zip64=True) as f:
                write_page(f)
    return write


def case_alt_chunk_html_bomb():
    # an imported HTML page is inflated under the same caps as any part
    def page(f):
        f.write(b"<html><body><p>")
        for _ in range(100):
            f.write(b" " * (1 << 20))
    check("htmlbomb.docx", alt_chunk_docx(page), "解压后过大")


def case_alt_chunk_deeply_nested_html():
    def page(f):
        f.write(b"<html><body>" + b"<div>" * 200000 + "深处".encode() + b"</div>" * 200000)
    check("deephtml.docx", alt_chunk_docx(page), "文件为空")


def case_encrypted_docx():
    # an encrypted .docx is an OLE compound file, not a zip
    check("encrypted.docx", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 4096, "已加密")


def case_encrypted_pdf():
    check("encrypted.pdf", open("tests/fixtures/hostile/encrypted.pdf", "rb").read(), "已加密")


def case_scanned_pdf():
    check("scan.pdf", open("tests/fixtures/hostile/scan.pdf", "rb").read(), "扫描件")


def case_broken_pdf():
    check("broken.pdf", b"%PDF-1.7\n" + os.urandom(2000), "不是有效的 PDF")


def case_ofd_without_ofd_xml():
    check("empty.ofd", docx_with("<x/>"), "缺少 OFD.xml")


def case_over_size_limit():
    check("big.txt", ("一、工作\n" + "正文。" * 400000).encode(), "文件过大", env={"FZCHECK_MAX_MB": "1"})


def case_broken_symlink():
    check("gone.txt", lambda p: os.symlink("/nonexistent/target.txt", p), "文件不存在")


def case_old_word():
    check("old.doc", b"\xD0\xCF\x11\xE0" + b"\0" * 100, "旧版 .doc")


if __name__ == "__main__":
    sys.exit(run_cases("hostile", globals(), lambda: shutil.rmtree(tmp, ignore_errors=True)))
