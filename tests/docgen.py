"""Documents for tests, built from their formats' structure: a minimal
Word file (one paragraph per line of text) and a PDF whose text layer
holds Chinese (a CID font with an identity ToUnicode map: no glyphs,
poppler reads the text from the map alone), laid out `cols` characters a
line and `rows` lines a page, as a converted report is hard-wrapped."""
import zipfile
from xml.sax.saxutils import escape

DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
              'officedocument.wordprocessingml.document.main+xml"/></Types>')
DOCX_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def docx_bytes(text):
    import io
    paras = "".join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % escape(ln)
                    for ln in text.split("\n") if ln.strip())
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body>%s</w:body></w:document>' % paras)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", DOCX_TYPES), ("_rels/.rels", DOCX_RELS),
                           ("word/document.xml", doc)):
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def write_docx(path, text):
    with open(path, "wb") as f:
        f.write(docx_bytes(text))


def pdf_file(objs):
    """A PDF of the given objects (numbered from 1, the catalogue first)
    with a correct cross-reference table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for n, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj %s endobj\n" % (n, o if isinstance(o, bytes) else o.encode())
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


_ranges = ["<%02X00> <%02XFF> <%02X00>" % (h, h, h) for h in range(256) if not 0xD8 <= h <= 0xDF]
TOUNICODE = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
             "/CMapName /FzTest-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> "
             "endcodespacerange " +
             " ".join("%d beginbfrange %s endbfrange" % (len(_ranges[i:i + 100]),
                                                         " ".join(_ranges[i:i + 100]))
                      for i in range(0, len(_ranges), 100)) +
             " endcmap CMapName currentdict /CMap defineresource pop end end")


def pdf_bytes(text, cols=40, rows=48):
    lines = []
    for para in text.split("\n"):
        para = "".join(c for c in para if ord(c) < 0x10000 and not 0xD800 <= ord(c) <= 0xDFFF)
        if para.strip():
            lines.extend(para[i:i + cols] for i in range(0, len(para), cols))
    pages = [lines[i:i + rows] for i in range(0, len(lines), rows)] or [[]]
    fixed = 6
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [%s] /Count %d >>" % (
                " ".join("%d 0 R" % (fixed + 1 + 2 * i) for i in range(len(pages))), len(pages)),
            "<< /Type /Font /Subtype /Type0 /BaseFont /FzTest /Encoding /Identity-H "
            "/DescendantFonts [4 0 R] /ToUnicode 6 0 R >>",
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FzTest /CIDSystemInfo "
            "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R "
            "/DW 1000 /CIDToGIDMap /Identity >>",
            "<< /Type /FontDescriptor /FontName /FzTest /Flags 4 /FontBBox [0 -200 1000 800] "
            "/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
            "<< /Length %d >> stream\n%s\nendstream" % (len(TOUNICODE), TOUNICODE)]
    for i, plines in enumerate(pages):
        stream = "BT /F1 11 Tf 15 TL 60 780 Td " + " ".join(
            "<%s> Tj T*" % ln.encode("utf-16-be").hex().upper() for ln in plines) + " ET"
        objs.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    "/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (fixed + 2 + 2 * i))
        objs.append("<< /Length %d >> stream\n%s\nendstream" % (len(stream), stream))
    return pdf_file(objs)


def write_pdf(path, text, cols=40, rows=48):
    with open(path, "wb") as f:
        f.write(pdf_bytes(text, cols, rows))
