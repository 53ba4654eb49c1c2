#!/usr/bin/python3
"""Part of make check-office (scripts/check_office.sh): the annotated Word
copies of a set of reports, opened by LibreOffice Writer.

  check_office_annotate.py FZCHECK OUTDIR NAME REPORT...

Annotates the reports into OUTDIR/NAME (with their JSON), then for every
copy: its comments are one per partial or failed result plus the summary;
LibreOffice converts it headless to PDF without an error, and to ODT with
as many annotations as comments.xml holds (it read every comment);
re-checking the copy gives the same verdicts (a Word report's copy has the
same text; a copy made from another format holds the paragraphs as read,
and its verdicts are compared too). Exit status 0 when all holds."""
import json
import os
import re
import subprocess
import sys
import zipfile

fz, outdir, name, reports = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
folder = os.path.join(outdir, name)
os.makedirs(folder, exist_ok=True)
js = os.path.join(outdir, name + ".json")
env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "1700000000"))
r = subprocess.run([fz, "check", "--quiet", "--json", js, "--annotate", folder, *reports], env=env,
                   capture_output=True)
if r.returncode not in (0, 1) or r.stderr:
    sys.exit("%s: fzcheck check --annotate failed (%d): %s" % (name, r.returncode, r.stderr.decode()))
with open(js, encoding="utf-8") as f:
    checked = json.load(f)["reports"]


def copy_names():
    taken, out = set(), []
    for rep in checked:
        if rep.get("error"):
            out.append(None)
            continue
        stem = os.path.splitext(os.path.basename(rep["file"]))[0]
        ext = ".批注.docm" if rep["file"].lower().endswith(".docm") else ".批注.docx"
        n, k = stem + ext, 1
        while n in taken:
            k += 1
            n = "%s（%d）%s" % (stem, k, ext)
        taken.add(n)
        out.append(os.path.join(folder, n))
    return out


copies = copy_names()
bad = 0
made = [c for c in copies if c]
pdf_dir, odt_dir = os.path.join(outdir, name + "-pdf"), os.path.join(outdir, name + "-odt")
office_env = dict(os.environ, HOME=outdir)
for fmt, d in (("pdf", pdf_dir), ("odt", odt_dir)):
    r = subprocess.run(["timeout", "600", "soffice", "--headless", "--norestore", "--convert-to", fmt,
                        "--outdir", d, *made], env=office_env, capture_output=True, text=True)
    log = r.stdout + r.stderr
    if r.returncode != 0 or re.search(r"error|repair", log, re.I):
        print(log)
        print("%s: LibreOffice 转换 %s 时出错" % (name, fmt))
        bad += 1

again = json.loads(subprocess.run([fz, "check", "--json", "-", *made], env=env,
                                  capture_output=True).stdout)["reports"]
again = iter(again)
total_comments = 0
for rep, copy in zip(checked, copies):
    if not copy:
        print("%s: %s 无法读取，没有批注文件（%s）" % (name, rep["file"], rep["error"]))
        continue
    gaps = sum(1 for x in rep["results"] if x["status"] in ("partial", "fail"))
    with zipfile.ZipFile(copy) as z:
        ours = len(re.findall(rb'<w:comment [^>]*w:author="fzcheck"', z.read("word/comments.xml")))
        allc = len(re.findall(rb"<w:comment ", z.read("word/comments.xml")))
    stem = os.path.splitext(os.path.basename(copy))[0]
    pdf, odt = os.path.join(pdf_dir, stem + ".pdf"), os.path.join(odt_dir, stem + ".odt")
    pdf_ok = os.path.isfile(pdf) and os.path.getsize(pdf) > 0
    notes = -1
    if os.path.isfile(odt):
        with zipfile.ZipFile(odt) as z:
            notes = len(re.findall(rb"<office:annotation[ >]", z.read("content.xml")))
    b = next(again)
    same = ([(x["id"], x["status"], x["score"]) for x in rep["results"]], rep["score"], rep["grade"]) == \
           ([(x["id"], x["status"], x["score"]) for x in b["results"]], b["score"], b["grade"])
    ok = ours == gaps + 1 and pdf_ok and notes == allc and same
    total_comments += ours
    print("%s %s：批注 %d 条（部分符合和缺失 %d + 汇总 1），LibreOffice 读出 %d 条，PDF %s，重新检查%s（%.1f 分 %s）"
          % ("✓" if ok else "✗", os.path.basename(copy), ours, gaps, notes,
             "%d 字节" % os.path.getsize(pdf) if pdf_ok else "未生成",
             "结论相同" if same else "结论不同", b["score"], b["grade"]))
    bad += not ok
print("%s：%d 份批注文件，共 %d 条批注，%s" % (name, len(made), total_comments,
                                       "全部通过" if not bad else "%d 处问题" % bad))
sys.exit(1 if bad else 0)
