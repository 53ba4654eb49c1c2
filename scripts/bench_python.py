#!/usr/bin/python3
"""The baseline `make bench` compares fzcheck with: what a competent person
would write in an afternoon with `re` and openpyxl to scan a pile of reports
for the rule pack's patterns (no sections, no scoring, no evidence).

    scripts/bench_python.py [--rules DIR] [--json FILE] [--xlsx FILE]
                            [--patterns-out FILE] REPORT-OR-DIR...

It loads the rule pack (rules/*.yaml), collects every pattern (role
headings and content words, unit type names, and in each rule the keys
that hold patterns: require, any, all, items/groups[].patterns and unless,
actor, keywords, ...), translates the PCRE2 syntax Python's `re` lacks
(only \\p{Han} in the default pack), skips what `re` still cannot compile,
then for each report reads its text (.txt/.md as UTF-8; .docx through
zipfile and ElementTree; .pdf through pdftotext, if installed), counts the
matches of every pattern, and writes one workbook row and one JSON record
per report with a count per rule. --patterns-out writes the de-duplicated
original (PCRE2) patterns one a line, for `rg -P -f`.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

# keys whose value is a pattern or a list of patterns (rules.schema.yaml)
PATTERN_KEYS = {"headings", "not_headings", "words", "names", "self", "applies_if",
                "require", "all", "any", "actor", "not_actor", "keywords", "related",
                "not_counts", "pattern", "patterns", "history", "not_after", "generic",
                "unless"}
ITEM_KEYS = {"items", "groups"}       # lists of items: a pattern, or {patterns, unless}
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"


def as_list(v):
    return [v] if isinstance(v, str) else list(v or [])


def collect(node, out):
    """Appends every pattern under a check (or role, or unit type) to out."""
    if isinstance(node, list):
        for n in node:
            collect(n, out)
        return
    if not isinstance(node, dict):
        return
    for k, v in node.items():
        if k == "kind":
            continue
        if k in ITEM_KEYS:
            for item in v or []:
                if isinstance(item, str):
                    out.append(item)
                else:
                    collect(item, out)
        elif k in PATTERN_KEYS and (isinstance(v, str) or
                                    (isinstance(v, list) and all(isinstance(x, str) for x in v))):
            out.extend(as_list(v))
        elif isinstance(v, (dict, list)):
            collect(v, out)


def load_pack(path):
    """[(column, [patterns])]: one column per rule, per role and per unit type."""
    import yaml
    files = [path] if os.path.isfile(path) else sorted(glob.glob(os.path.join(path, "*.yaml")))
    cols = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh) or {}
        for name, role in (doc.get("roles") or {}).items():
            pats = []
            collect(role, pats)
            cols.append(("角色:" + name, pats))
        for name, ut in (doc.get("unit_types") or {}).items():
            pats = []
            collect({k: v for k, v in ut.items() if k != "description"}, pats)
            cols.append(("类型:" + name, pats))
        for rule in doc.get("rules") or []:
            pats = []
            collect(rule.get("check"), pats)
            if "applies_if" in rule:
                pats.extend(as_list(rule["applies_if"]))
            cols.append((rule["id"], pats))
    # the same pattern listed twice in one rule (actor lists repeat) is searched once
    return [(c, list(dict.fromkeys(p))) for c, p in cols]


def to_python(p):
    """PCRE2 -> re where trivial. The pack's patterns, like the text, treat
    （） as (): the text is folded the same way below."""
    p = p.replace("（", r"\(").replace("）", r"\)")
    out, i, in_class = [], 0, False
    while i < len(p):
        c = p[i]
        if c == "\\" and p.startswith("\\p{Han}", i):
            out.append(HAN if in_class else "[%s]" % HAN)
            i += 7
            continue
        if c == "\\":
            out.append(p[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


# full-width digits and letters as half-width, （） as (): as fzcheck does
FOLD = {0xFF08: "(", 0xFF09: ")"}
FOLD.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)})
FOLD.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF21, 0xFF3B)})
FOLD.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF41, 0xFF5B)})

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_text(path):
    ext = os.path.splitext(path)[1].lower()
    if ext in (".txt", ".md"):
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            return f.read()
    if ext == ".docx":
        with zipfile.ZipFile(path) as z:
            root = ET.fromstring(z.read("word/document.xml"))
        return "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p"))
    if ext == ".pdf":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True,
                              check=True).stdout.decode("utf-8", "replace")
    return None


def reports(args):
    exts = (".txt", ".md", ".docx")
    if shutil.which("pdftotext"):
        exts += (".pdf",)
    for a in args:
        if os.path.isdir(a):
            for d, dirs, files in os.walk(a):
                dirs.sort()
                for f in sorted(files):
                    if f.lower().endswith(exts):
                        yield os.path.join(d, f)
        else:
            yield a


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", default="rules")
    ap.add_argument("--json")
    ap.add_argument("--xlsx")
    ap.add_argument("--patterns-out")
    ap.add_argument("paths", nargs="*")
    a = ap.parse_args()

    cols = load_pack(a.rules)
    total = sum(len(p) for _, p in cols)
    compiled, skipped = [], 0
    for col, pats in cols:
        regs = []
        for p in pats:
            try:
                regs.append(re.compile(to_python(p), re.M))
            except re.error:
                skipped += 1
        compiled.append((col, regs))
    if a.patterns_out:
        with open(a.patterns_out, "w", encoding="utf-8") as f:
            for p in dict.fromkeys(p for _, ps in cols for p in ps):
                f.write(p + "\n")
    print("模式 %d 个（%d 列），使用 %d 个，re 无法编译而跳过 %d 个"
          % (total, len(cols), total - skipped, skipped), file=sys.stderr)

    wb = ws = None
    if a.xlsx:
        from openpyxl import Workbook
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("计数")
        ws.append(["文件"] + [c for c, _ in compiled])
    results = []
    n = 0
    for path in reports(a.paths):
        rec = {"file": path}
        try:
            text = read_text(path)
        except Exception as e:  # one unreadable file is one row, not the end
            text, rec["error"] = None, str(e)
        if text is None:
            rec.setdefault("error", "unsupported format")
        else:
            text = text.translate(FOLD)
            rec["counts"] = {col: sum(sum(1 for _ in r.finditer(text)) for r in regs)
                             for col, regs in compiled}
        results.append(rec)
        if ws is not None:
            counts = rec.get("counts", {})
            ws.append([path] + [counts.get(c) for c, _ in compiled])
        n += 1
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"patterns": total - skipped, "skipped": skipped, "reports": results}, f,
                      ensure_ascii=False)
    if wb is not None:
        wb.save(a.xlsx)
    print("报告 %d 份" % n, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
