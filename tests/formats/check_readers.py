#!/usr/bin/python3
"""What the readers take from real-world files: Word files that libzip's
strict check refused, text boxes (once, after their paragraph), hidden and
moved text left out, .docm and misnamed files, OFD text on template pages
and in composite graphic units, PDFs of one line a page. Each case builds
its file from the format's structure. Run by `make test`; prints
"readers: N passed, M failed"."""
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
import zlib

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/fzcheck"
GOOD_TXT = "reports/sifaju-2024-complete.txt"
GOOD_DOCX = "tests/fixtures/formats/sifaju-2024-complete.docx"
tmp = tempfile.mkdtemp(prefix="fzreaders-")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OFD_NS = "http://www.ofdspec.org/2016"


def put(name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def checked(path):
    r = subprocess.run([BIN, "check", "--json", "-", path], capture_output=True, timeout=120)
    assert r.returncode in (0, 1), r.stderr.decode(errors="replace")
    return json.loads(r.stdout)["reports"][0]


def verdicts(path):
    rep = checked(path)
    assert "error" not in rep, rep["error"]
    return {x["id"]: x["status"] for x in rep["results"]}


def text_of(path):
    r = subprocess.run([BIN, "text", path], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
    # "     N  line" → the lines
    return [ln[8:] for ln in r.stdout.decode().splitlines()[1:] if not ln.startswith("——")]


def docx(body_xml):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml",
                   '<?xml version="1.0" encoding="UTF-8"?>'
                   '<w:document xmlns:w="%s" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                   'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
                   'xmlns:v="urn:schemas-microsoft-com:vml"><w:body>%s</w:body></w:document>' % (W, body_xml))
    return buf.getvalue()


def para(text):
    return '<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % text


# ---- zip ------------------------------------------------------------------

def variants_of_good_docx():
    src = open(GOOD_DOCX, "rb").read()
    off = zipfile.ZipFile(io.BytesIO(src)).getinfo("word/document.xml").header_offset
    out = {}
    for name, fix in (("time", lambda d: d.__setitem__(off + 10, d[off + 10] ^ 1)),
                      ("crc", lambda d: d.__setitem__(off + 14, d[off + 14] ^ 1)),
                      ("version", lambda d: d.__setitem__(off + 4, 45)),
                      ("trailing", lambda d: d.extend(b"\0" * 64))):
        d = bytearray(src)
        fix(d)
        out[name] = bytes(d)
    return out


def case_zip_whose_local_headers_differ_is_read():
    # local headers that disagree with the central directory in ways that do
    # not matter for reading (as real Word output does), and bytes after
    # the archive: libzip's strict check refused all of these as damaged
    want = verdicts(GOOD_DOCX)
    for name, data in variants_of_good_docx().items():
        path = put("local-%s.docx" % name, data)
        assert zipfile.ZipFile(path).testzip() is None
        assert verdicts(path) == want, name


# ---- Word -------------------------------------------------------------------

def text_box(text, vml_only=False):
    inner = '<w:txbxContent>%s</w:txbxContent>' % para(text)
    vml = '<w:pict><v:shape><v:textbox>%s</v:textbox></v:shape></w:pict>' % inner
    if vml_only:
        return '<w:r>%s</w:r>' % vml
    return ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData>'
            '<wps:wsp><wps:txbx>%s</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
            '</w:drawing></mc:Choice><mc:Fallback>%s</mc:Fallback></mc:AlternateContent></w:r>'
            % (inner, vml))


def case_text_boxes_are_read_once_after_their_paragraph():
    body = ('<w:p><w:r><w:t>第一段开头，</w:t></w:r>%s<w:r><w:t>第一段结尾。</w:t></w:r></w:p>'
            % text_box("框中文字一") + para("第二段。") +
            '<w:p><w:r><w:t>第三段。</w:t></w:r>%s</w:p>' % text_box("框中文字二", vml_only=True) +
            '<w:tbl><w:tr><w:tc><w:p>%s</w:p></w:tc></w:tr></w:tbl>' % text_box("表中框"))
    lines = text_of(put("boxes.docx", docx(body)))
    assert lines[:5] == ["第一段开头，第一段结尾。", "框中文字一", "第二段。", "第三段。", "框中文字二"], lines
    assert "表中框" in lines
    assert sum(l.count("框中文字一") for l in lines) == 1


def case_hidden_deleted_and_moved_text_is_left_out():
    body = ('<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏字</w:t></w:r>'
            '<w:del><w:r><w:delText>删除字</w:delText></w:r></w:del>'
            '<w:moveFrom><w:r><w:t>移走字</w:t></w:r></w:moveFrom>'
            '<w:moveTo><w:r><w:t>移来字</w:t></w:r></w:moveTo>'
            '<w:ins><w:r><w:t>插入字</w:t></w:r></w:ins></w:p>')
    assert text_of(put("hidden.docx", docx(body))) == ["移来字插入字"]


def case_hiding_turned_off_is_read():
    # w:vanish and w:specVanish are toggles: w:val 0/false/off turns hiding
    # off (Word writes that against a hidden style; some writers on every
    # run); no w:val, or 1/true/on, hides
    def run(prop, text):
        return '<w:r><w:rPr>%s</w:rPr><w:t>%s</w:t></w:r>' % (prop, text)
    shown = "".join(run('<w:%s w:val="%s"/>' % (p, v), "见%s%s" % (p[0], v))
                    for p in ("vanish", "specVanish") for v in ("0", "false", "off"))
    hidden = "".join(run(p, "藏") for p in (
        '<w:vanish/>', '<w:vanish w:val="1"/>', '<w:vanish w:val="true"/>',
        '<w:vanish w:val="on"/>', '<w:specVanish/>', '<w:specVanish w:val="true"/>'))
    lines = text_of(put("vanish-off.docx", docx('<w:p>%s%s</w:p>' % (shown, hidden))))
    assert lines == ["见v0见vfalse见voff见s0见sfalse见soff"], lines


def numbered_docx(levels, overrides="", paragraphs=2):
    """Paragraphs numbered by numId 1; levels: (start, numFmt) per level."""
    lvls = "".join('<w:lvl w:ilvl="%d"><w:start w:val="%s"/><w:numFmt w:val="%s"/>'
                   '<w:lvlText w:val="%%%d、"/></w:lvl>' % (k, start, fmt, k + 1)
                   for k, (start, fmt) in enumerate(levels))
    p = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
         '<w:r><w:t>条目</w:t></w:r></w:p>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", '<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>'
                   % (W, p * paragraphs))
        z.writestr("word/numbering.xml",
                   '<w:numbering xmlns:w="%s"><w:abstractNum w:abstractNumId="0">%s</w:abstractNum>'
                   '<w:num w:numId="1"><w:abstractNumId w:val="0"/>%s</w:num></w:numbering>'
                   % (W, lvls, overrides))
    return buf.getvalue()


def case_numbering_starts_out_of_range_are_clamped():
    # a start of INT_MAX counted on, INT_MIN with letters, an override
    # past any int: kept within 0..32767, so no arithmetic overflows (the
    # sanitizer build checks that too)
    over = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="%s"/></w:lvlOverride>'
    cases = [("max", [("2147483647", "decimal")], "", ["32767、条目", "32768、条目"]),
             ("min", [("-2147483648", "lowerLetter")], "", ["0、条目", "a、条目"]),
             ("huge", [("1", "decimal")], over % "99999999999", ["32767、条目", "32768、条目"]),
             ("zero", [("5", "decimal")], over % "0", ["0、条目", "1、条目"]),
             ("fullwidth", [("-5", "decimalFullWidth")], "", ["０、条目", "１、条目"])]
    for binary in filter(None, (BIN, os.environ.get("FZCHECK_ASAN"))):
        for name, levels, overrides, want in cases:
            path = put("num-%s.docx" % name, numbered_docx(levels, overrides))
            r = subprocess.run([binary, "text", path], capture_output=True, timeout=120)
            lines = [ln[8:] for ln in r.stdout.decode().splitlines()[1:]]
            assert r.returncode == 0 and lines == want, (binary, name, r.stdout.decode(),
                                                          r.stderr.decode()[-2000:])


def alt_chunk_docx(body_xml, parts):
    """A .docx whose body holds w:altChunk r:id="cN" elements; parts maps
    each id to (entry name, bytes)."""
    rels = "".join('<Relationship Id="%s" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/aFChunk" Target="/%s"/>' % (rid, name)
                   for rid, (name, _) in parts.items())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml",
                   '<w:document xmlns:w="%s" xmlns:r="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships"><w:body>%s<w:sectPr/></w:body></w:document>'
                   % (W, body_xml))
        z.writestr("word/_rels/document.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships">%s</Relationships>' % rels)
        for name, data in parts.values():
            if data is not None:
                z.writestr(name, data)
    return buf.getvalue()


def chunk(rid):
    return '<w:altChunk r:id="%s"/>' % rid


def case_html_alt_chunk_is_read_in_place():
    # web and OA systems export "Word" files whose body is an imported HTML
    # page; Word shows its text where the altChunk stands
    page = ('<!DOCTYPE html><html><head><title>标题栏</title><style>p {color: red}</style>'
            '<script>var x = "脚本";</script></head><body>'
            '<h1>一、主要举措和成效</h1><p>全年办理\n   行政复议案件&nbsp;<b>12</b>&#20214;。</p>'
            '<div>第一行<br>第二行</div><!-- 注释 -->'
            '<table><tr><td>表格甲</td><td>表格乙</td></tr></table>'
            '<ul><li>条目一</li><li>条目二</li></ul>正文末尾</body></html>')
    data = alt_chunk_docx(para("前文") + chunk("c1") + para("后文"),
                          {"c1": ("word/page.html", page.encode())})
    lines = text_of(put("alt-html.docx", data))
    assert lines == ["前文", "一、主要举措和成效", "全年办理 行政复议案件 12件。", "第一行", "第二行",
                     "表格甲", "表格乙", "条目一", "条目二", "正文末尾", "后文"], lines
    # the page's own charset (GBK pages are common), a part without an
    # .html name, and a whole report: the same verdicts as its text
    gbk = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
           '</head><body><p>二、存在的不足和原因</p></body></html>').encode("gbk")
    lines = text_of(put("alt-gbk.docx", alt_chunk_docx(chunk("c1"), {"c1": ("word/afchunk.dat", gbk)})))
    assert lines == ["二、存在的不足和原因"], lines
    report = "<html><body>%s</body></html>" % "".join("<p>%s</p>" % ln for ln in report_lines())
    data = alt_chunk_docx(chunk("c1"), {"c1": ("word/report.htm", report.encode())})
    assert verdicts(put("alt-report.docx", data)) == verdicts(GOOD_TXT)


def case_other_alt_chunks_say_what_to_do():
    # an MHT (web archive) or RTF chunk, or one whose part is missing, is
    # not read: the file is refused with what to do, not called empty, and
    # not judged by the rest of its text
    mht = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
           b'Content-Type: text/html\r\n\r\n<html><body><p>x</p></body></html>\r\n--b--\r\n')
    for name, body, parts in (
            ("mht", chunk("c1"), {"c1": ("word/page.mht", mht)}),
            ("rtf", para("一、主要举措和成效") + chunk("c1"), {"c1": ("word/a.rtf", b"{\\rtf1 x}")}),
            ("missing", chunk("c1"), {"c1": ("word/gone.html", None)})):
        rep = checked(put("alt-%s.docx" % name, alt_chunk_docx(body, parts)))
        assert rep.get("error") and "嵌入的网页" in rep["error"] and "另存为 .docx" in rep["error"], \
            (name, rep.get("error"))


def case_docm_and_misnamed_files_are_read_as_what_they_are():
    want = verdicts(GOOD_DOCX)
    data = open(GOOD_DOCX, "rb").read()
    assert verdicts(put("macro.docm", data)) == want
    # a Word 2007 file saved under the old extension, as offices often do
    assert verdicts(put("renamed.doc", data)) == want
    pdf = open("tests/fixtures/formats/shijianju-2023-gaps.pdf", "rb").read()
    assert checked(put("really-a-pdf.txt", pdf))["format"] == "pdf"
    rtf = checked(put("old.doc", b"{\\rtf1\\ansi report}"))
    assert "RTF" in rtf.get("error", ""), rtf.get("error")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("a.txt", "x")
    assert "压缩包" in checked(put("bundle.txt", zipped.getvalue())).get("error", "")


def case_main_part_found_through_the_package_relationships():
    # Word Online / Office 365 save the body as word/document2.xml; only
    # _rels/.rels says so, and the numbering is found through its own rels
    src = zipfile.ZipFile(GOOD_DOCX)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            name = info.filename
            if name == "word/document.xml":
                name = "word/document2.xml"
            elif name == "word/_rels/document.xml.rels":
                name = "word/_rels/document2.xml.rels"
            elif name == "_rels/.rels":
                data = data.replace(b'Target="word/document.xml"', b'Target="/word/document2.xml"')
            z.writestr(name, data)
    assert verdicts(put("online.docx", buf.getvalue())) == verdicts(GOOD_DOCX)


# ---- OFD --------------------------------------------------------------------

def text_objects(lines, y0=25):
    return "".join('<ofd:TextObject ID="%d" Boundary="20 %d 170 8" Font="1" Size="4.2">'
                   '<ofd:TextCode X="0" Y="6">%s</ofd:TextCode></ofd:TextObject>'
                   % (100 + i, y0 + 8 * i, ln) for i, ln in enumerate(lines))


def ofd_file(pages, templates=None, units=None):
    """pages: list of (template_id or None, composite_unit_id or None, [lines]);
    templates: {id: [lines]}; units: {id: [lines]} in PublicRes.xml."""
    files = {"OFD.xml": '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="%s" Version="1.0">'
                        '<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>'
                        '</ofd:OFD>' % OFD_NS}
    common = '<ofd:MaxUnitID>9999</ofd:MaxUnitID>'
    if units:
        common += '<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>'
        files["Doc_0/PublicRes.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="%s" BaseLoc="Res">'
            '<ofd:CompositeGraphicUnits>%s</ofd:CompositeGraphicUnits></ofd:Res>' % (OFD_NS, "".join(
                '<ofd:CompositeGraphicUnit ID="%s" Width="170" Height="200"><ofd:Content>%s'
                '</ofd:Content></ofd:CompositeGraphicUnit>' % (uid, text_objects(lines))
                for uid, lines in units.items())))
    for tid, lines in (templates or {}).items():
        common += '<ofd:TemplatePage ID="%s" BaseLoc="Tpls/Tpl_%s/Content.xml"/>' % (tid, tid)
        files["Doc_0/Tpls/Tpl_%s/Content.xml" % tid] = (
            '<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="%s"><ofd:Content>'
            '<ofd:Layer ID="1">%s</ofd:Layer></ofd:Content></ofd:Page>' % (OFD_NS, text_objects(lines, 5)))
    refs = ""
    for i, (tpl, unit, lines) in enumerate(pages):
        refs += '<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>' % (i + 1, i)
        content = text_objects(lines)
        if unit:
            content += '<ofd:CompositeObject ID="50" ResourceID="%s" Boundary="20 100 170 200"/>' % unit
        files["Doc_0/Pages/Page_%d/Content.xml" % i] = (
            '<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="%s">%s<ofd:Content>'
            '<ofd:Layer ID="1">%s</ofd:Layer></ofd:Content></ofd:Page>'
            % (OFD_NS, '<ofd:Template TemplateID="%s" ZOrder="Background"/>' % tpl if tpl else "",
               content))
    files["Doc_0/Document.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="%s"><ofd:CommonData>%s'
        '</ofd:CommonData><ofd:Pages>%s</ofd:Pages></ofd:Document>' % (OFD_NS, common, refs))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def report_lines():
    return [ln for ln in open(GOOD_TXT, encoding="utf-8").read().split("\n") if ln.strip()]


def case_ofd_text_on_template_pages_is_read():
    # every page's text lives on its own template page: the page itself is
    # empty, as some OFD writers produce
    lines = report_lines()
    thirds = [lines[i::3] and lines[i * len(lines) // 3:(i + 1) * len(lines) // 3] for i in range(3)]
    data = ofd_file([(str(i + 1), None, []) for i in range(3)],
                    templates={str(i + 1): t for i, t in enumerate(thirds)})
    assert verdicts(put("templates.ofd", data)) == verdicts(GOOD_TXT)


def case_ofd_composite_units_and_order():
    data = ofd_file([("1", "7", ["本页正文"])], templates={"1": ["页眉模板"]},
                    units={"7": ["复合单元中的文字"]})
    assert text_of(put("composite.ofd", data)) == ["页眉模板", "本页正文", "复合单元中的文字"]


def case_ofd_relative_paths_and_docroot_attribute():
    lines = report_lines()
    data = ofd_file([(None, None, lines[:40]), (None, None, lines[40:])])
    z = zipfile.ZipFile(io.BytesIO(data))
    parts = {n: z.read(n) for n in z.namelist()}
    # the conformance samples write "./Doc_0/Document.xml" and "../" paths
    parts["OFD.xml"] = parts["OFD.xml"].replace(b">Doc_0/Document.xml<", b">./Doc_0/Document.xml<")
    parts["Doc_0/Document.xml"] = parts["Doc_0/Document.xml"].replace(
        b'BaseLoc="Pages/Page_1/', b'BaseLoc="./Pages/../Pages/Page_1/')

    def pack(p):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as out:
            for n, d in p.items():
                out.writestr(n, d)
        return buf.getvalue()
    want = verdicts(GOOD_TXT)
    assert verdicts(put("relative.ofd", pack(parts))) == want
    # a writer that puts DocRoot on DocBody as an attribute
    parts["OFD.xml"] = parts["OFD.xml"].replace(
        b"<ofd:DocBody><ofd:DocRoot>./Doc_0/Document.xml</ofd:DocRoot>",
        b'<ofd:DocBody DocRoot="Doc_0/Document.xml">')
    assert b"DocRoot=" in parts["OFD.xml"]
    assert verdicts(put("attribute.ofd", pack(parts))) == want


def parts_of(data):
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: z.read(n) for n in z.namelist()}


def zip_of(parts):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)
    return buf.getvalue()


def paged_text(path):
    """`fzcheck text` as [(page, line)], blank lines left out."""
    r = subprocess.run([BIN, "text", path], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
    out, page = [], 0
    for ln in r.stdout.decode().splitlines()[1:]:
        if ln.startswith("—— 第 "):
            page = int(ln.split()[2])
        elif ln[8:].strip():
            out.append((page, ln[8:]))
    return out


def case_ofd_missing_or_damaged_page_is_left_out():
    # one page file missing, one damaged: the others are read and keep
    # their page numbers
    parts = parts_of(ofd_file([(None, None, ["第%d页正文" % (i + 1)]) for i in range(4)]))
    del parts["Doc_0/Pages/Page_1/Content.xml"]
    parts["Doc_0/Pages/Page_2/Content.xml"] = parts["Doc_0/Pages/Page_2/Content.xml"][:-30]
    assert paged_text(put("page-missing.ofd", zip_of(parts))) == [(1, "第1页正文"), (4, "第4页正文")]
    # no page readable, or no document: refused, saying what to do
    del parts["Doc_0/Pages/Page_0/Content.xml"], parts["Doc_0/Pages/Page_3/Content.xml"]
    rep = checked(put("no-page.ofd", zip_of(parts)))
    assert rep["error"].startswith("OFD 文件无法读取（缺少 Doc_0/Pages/Page_") and \
        "重新导出 OFD 文件" in rep["error"], rep["error"]
    del parts["Doc_0/Document.xml"]
    rep = checked(put("no-document.ofd", zip_of(parts)))
    assert rep["error"].startswith("OFD 文件无法读取（缺少 Doc_0/Document.xml）") and \
        "重新导出 OFD 文件" in rep["error"], rep["error"]


def case_ofd_text_code_without_y_continues_its_line():
    # GB/T 33190: a TextCode without Y (or X) takes the previous TextCode's
    # value within its TextObject, so a continuation stays on the line
    parts = parts_of(ofd_file([(None, None, ["一、主要举措", "第二行"])]))
    page = parts["Doc_0/Pages/Page_0/Content.xml"].decode()
    page = page.replace("一、主要举措</ofd:TextCode>",
                        '一、主要举措</ofd:TextCode><ofd:TextCode X="30">和成效</ofd:TextCode>'
                        '<ofd:TextCode>（续）</ofd:TextCode>', 1)
    parts["Doc_0/Pages/Page_0/Content.xml"] = page.encode()
    assert text_of(put("no-y.ofd", zip_of(parts))) == ["一、主要举措和成效（续）", "第二行"]


def case_ofd_every_document_of_the_package_is_read():
    # a report and its attachment as two DocBody: both, in order, pages
    # numbered on; a DocBody naming a document already read counts once
    first = parts_of(ofd_file([(None, None, ["正文第一页"]), (None, None, ["正文第二页"])]))
    second = parts_of(ofd_file([(None, None, ["附件：二、存在的不足和原因"])]))
    parts = {n: d for n, d in first.items() if n != "OFD.xml"}
    parts.update({n.replace("Doc_0/", "Doc_1/"): d for n, d in second.items() if n != "OFD.xml"})
    body = "<ofd:DocBody><ofd:DocRoot>Doc_%d/Document.xml</ofd:DocRoot></ofd:DocBody>"
    parts["OFD.xml"] = ('<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="%s" Version="1.0">'
                        '%s%s%s</ofd:OFD>' % (OFD_NS, body % 0, body % 1, body % 0)).encode()
    assert paged_text(put("two-docs.ofd", zip_of(parts))) == [
        (1, "正文第一页"), (2, "正文第二页"), (3, "附件：二、存在的不足和原因")]


def case_ofd_base_loc_from_the_package_root():
    # "Doc_0/Pages/…" inside Doc_0/Document.xml, meant from the root: tried
    # there when it does not exist relative to the document (templates too)
    parts = parts_of(ofd_file([("1", None, ["本页正文"])], templates={"1": ["模板文字"]}))
    parts["Doc_0/Document.xml"] = parts["Doc_0/Document.xml"].replace(
        b'BaseLoc="Pages/', b'BaseLoc="Doc_0/Pages/').replace(b'BaseLoc="Tpls/', b'BaseLoc="Doc_0/Tpls/')
    assert text_of(put("root-relative.ofd", zip_of(parts))) == ["模板文字", "本页正文"]


# ---- PDF --------------------------------------------------------------------

def pdf_file(objs):
    """A PDF file of the given objects (numbered from 1, the catalogue
    first), with a correct cross-reference table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for n, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj %s endobj\n" % (n, o.encode())
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def pdf_of_pages(pages):
    """A PDF with one page per item, each a list of ASCII lines."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [%s] /Count %d >>" % (
                " ".join("%d 0 R" % (4 + 2 * i) for i in range(len(pages))), len(pages)),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, lines in enumerate(pages):
        stream = " ".join("BT /F1 12 Tf 72 %d Td (%s) Tj ET" % (760 - 20 * k, ln)
                          for k, ln in enumerate(lines))
        objs.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    "/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objs.append("<< /Length %d >> stream\n%s\nendstream" % (len(stream), stream))
    return pdf_file(objs)


def pdf_with_digits_mapped_to(first_cp, lines):
    """One page in a font whose ToUnicode maps the digits 0-9 to first_cp
    on, and every other code to itself: what a font without a usable
    encoding gives, confined to the digits."""
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
            "/CMapName /Test-UCS def /CMapType 2 def 1 begincodespacerange <00> <FF> "
            "endcodespacerange 3 beginbfrange <20> <2F> <0020> <30> <39> <%04X> "
            "<3A> <7E> <003A> endbfrange endcmap CMapName currentdict /CMap defineresource pop "
            "end end" % first_cp)
    stream = " ".join("BT /F1 12 Tf 72 %d Td (%s) Tj ET" % (760 - 20 * k, ln)
                      for k, ln in enumerate(lines))
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            "/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
            "<< /Length %d >> stream\n%s\nendstream" % (len(stream), stream),
            "<< /Length %d >> stream\n%s\nendstream" % (len(cmap), cmap)]
    return pdf_file(objs)


def case_pdf_whose_text_layer_is_garbage_is_refused():
    # more than 30% of the characters (white space not counted) are
    # controls, private-use code points or U+FFFD: the file is refused with
    # what to do instead of being checked as a report that says nothing
    garbled = ["0123456789 Report 0123456789", "9876543210 43210"]
    for cp in (0xE030, 0x0010, 0x0080):
        rep = checked(put("garbled-%04x.pdf" % cp, pdf_with_digits_mapped_to(cp, garbled)))
        assert rep.get("error") and "文字层无法识别" in rep["error"] and "重新导出" in rep["error"], \
            (cp, rep.get("error"))
    # a few such characters among real text are read as they are
    lines = text_of(put("some-pua.pdf", pdf_with_digits_mapped_to(
        0xE030, ["Annual report of the county bureau 12", "Body text of the report 3"])))
    assert lines == ["Annual report of the county bureau \ue031\ue032",
                     "Body text of the report \ue033"], lines


def pdf_string(text):
    """A PDF text string: UTF-16BE with a byte order mark, in hex."""
    return "<FEFF%s>" % text.encode("utf-16-be").hex().upper()


def pdf_with_annotations(body_lines, free_texts, fields):
    """One page with body_lines in its content, a FreeText annotation per
    (text, annotation flags) of free_texts, and a text form field per
    (value, password, annotation flags) of fields (in the AcroForm too)."""
    objs = {1: None, 2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            4: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    stream = " ".join("BT /F1 12 Tf 72 %d Td (%s) Tj ET" % (760 - 20 * k, ln)
                      for k, ln in enumerate(body_lines))
    objs[5] = "<< /Length %d >> stream\n%s\nendstream" % (len(stream), stream)
    annots, field_ids, n = [], [], 6
    for k, (text, flags) in enumerate(free_texts):
        objs[n] = ("<< /Type /Annot /Subtype /FreeText /Rect [72 %d 400 %d] /Contents %s /F %d "
                   "/DA (/Helv 12 Tf 0 g) >>" % (500 - 30 * k, 520 - 30 * k, pdf_string(text), flags))
        annots.append(n)
        n += 1
    for k, (value, password, flags) in enumerate(fields):
        objs[n] = ("<< /Type /Annot /Subtype /Widget /FT /Tx /T (field%d) /V %s /Ff %d /F %d "
                   "/Rect [72 %d 400 %d] /P 3 0 R /DA (/Helv 12 Tf 0 g) >>"
                   % (k, pdf_string(value), 1 << 13 if password else 0, flags, 300 - 30 * k,
                      320 - 30 * k))
        annots.append(n)
        field_ids.append(n)
        n += 1
    objs[1] = ("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] /DA (/Helv 12 Tf 0 g) "
               "/DR << /Font << /Helv 4 0 R >> >> >> >>" % " ".join("%d 0 R" % i for i in field_ids))
    objs[3] = ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << "
               "/F1 4 0 R >> >> /Contents 5 0 R /Annots [%s] >>" % " ".join("%d 0 R" % i for i in annots))
    out = b"%PDF-1.4\n"
    offsets = []
    for i in range(1, n):
        offsets.append(len(out))
        out += b"%d 0 obj %s endobj\n" % (i, objs[i].encode())
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % n
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n, xref)
    return out


def case_pdf_free_text_and_form_fields_are_read():
    # text typed onto the page (FreeText, the "typewriter" of Acrobat and
    # Foxit) and filled-in text fields are not in the page's content:
    # they follow the page's own text, a line each; passwords, and what a
    # viewer does not show (flags Hidden 2, NoView 32), are not read
    data = pdf_with_annotations(["Body of the page."],
                                [("一、主要举措和成效（批注）", 4), ("隐藏的批注", 2), ("不显示的批注", 32)],
                                [("全年办理行政复议案件12件", False, 4), ("secret", True, 4),
                                 ("隐藏的表单域", False, 2 | 4), ("纠正违法行为3起", False, 0)])
    lines = text_of(put("annots.pdf", data))
    assert lines == ["Body of the page.", "一、主要举措和成效（批注）", "全年办理行政复议案件12件",
                     "纠正违法行为3起"], lines
    # a page whose only text is typed on is read, not taken for a scan
    data = pdf_with_annotations([], [("二、存在的不足和原因：执法监督不够", 0)], [])
    assert text_of(put("typed-only.pdf", data)) == ["二、存在的不足和原因：执法监督不够"]


def case_pdf_of_one_line_a_page_keeps_every_line():
    # lines of the same shape once digits are blanked: as running headers
    # they would all go, but each is the only text of its page
    pages = [["Section %d of the annual report" % (i + 1)] for i in range(5)]
    lines = text_of(put("one-line.pdf", pdf_of_pages(pages)))
    assert lines == ["Section %d of the annual report" % (i + 1) for i in range(5)], lines


def case_pdf_running_headers_still_go():
    pages = [["County Bureau Annual Report", "Body of page %d." % (i + 1), "- %d -" % (i + 1)]
             for i in range(4)]
    # a dropped line leaves its line empty, so that numbering holds
    lines = [ln for ln in text_of(put("headers.pdf", pdf_of_pages(pages))) if ln]
    assert lines == ["Body of page %d." % (i + 1) for i in range(4)], lines


def case_pdf_long_lines_that_recur_on_every_page_are_kept():
    # a first or last line whose wording recurs on every page with only its
    # numbers changed is content when it is longer than a running header
    # (40 characters): only the short running lines go
    long_first = "Article %d: the bureau shall publish its list of powers and duties"
    long_last = "Table %d continued: cases reviewed, cases corrected and cases revoked"
    pages = [["County Bureau Annual Report", long_first % (i + 1), "Body of page %d." % (i + 1),
              "- %d -" % (i + 1)] for i in range(4)]
    pages += [[long_first % (i + 5), "Body of page %d." % (i + 5), long_last % (i + 5)]
              for i in range(4)]
    lines = [ln for ln in text_of(put("long-running.pdf", pdf_of_pages(pages))) if ln]
    want = [x for i in range(4) for x in (long_first % (i + 1), "Body of page %d." % (i + 1))]
    want += [x for i in range(4, 8) for x in (long_first % (i + 1), "Body of page %d." % (i + 1),
                                               long_last % (i + 1))]
    assert lines == want, lines


# ---- what `text` shows ---------------------------------------------------------

def case_text_numbers_lines_as_evidence_does():
    for path in (GOOD_TXT, GOOD_DOCX, "tests/fixtures/formats/shijianju-2023-gaps.pdf"):
        r = subprocess.run([BIN, "text", path], capture_output=True, timeout=60)
        out = r.stdout.decode().splitlines()
        pages, page = {}, 0
        for ln in out[1:]:
            if ln.startswith("—— 第 "):
                page = int(ln.split()[2])
            else:
                pages[(page, int(ln[:6]))] = ln[8:]
        rep = checked(path)
        n = 0
        for res in rep["results"]:
            for ev in res["evidence"]:
                key = (ev.get("page") or 0, ev["line"])
                assert key in pages, (path, key)
                # the quote is the normalized sentence around the match (PDF
                # lines joined, spaces dropped): the cited line shares text
                # with it
                line = pages[key].replace(" ", "")
                quote = ev["text"].replace(" ", "")
                assert any(line[k:k + 3] in quote for k in range(max(1, len(line) - 2))), \
                    (path, key, line, quote)
                n += 1
        assert n > 5, path


if __name__ == "__main__":
    sys.exit(run_cases("readers", globals(), lambda: shutil.rmtree(tmp, ignore_errors=True)))
