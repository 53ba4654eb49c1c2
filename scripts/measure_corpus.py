#!/usr/bin/python3
"""Measures unit, year and unit type against a corpus of real reports
annotated by a careful reader (annotations.yaml beside the NNN.txt files:
unit, unit_in_text, unit_type, year). Not part of `make test`: the corpus
is kept outside the repository.

    scripts/measure_corpus.py BINARY CORPUS_DIR [--units ROSTER | --roster-of DIR...] [-v]

--roster-of builds a roster of every annotated unit in the given corpus
folders (the office's case: it knows who must report) and measures the
matching: right, wrong, unmatched.

A unit is right when it is the annotated one (ignoring 中共 and a final
人民政府), or, when the text does not name the unit, when fzcheck says
none rather than a wrong one."""
import json
import os
import subprocess
import sys

import yaml


# the same unit, as reports abbreviate it
ABBREVIATIONS = [("市场监督管理局", "市场监管局"), ("卫生健康委员会", "卫健委"),
                 ("卫生健康委", "卫健委"), ("发展和改革委员会", "发改委"), ("发展改革委", "发改委")]


def canon(u):
    if not u:
        return None
    u = u.replace(" ", "").replace("（", "(").replace("）", ")")
    for full, short in ABBREVIATIONS:
        u = u.replace(full, short)
    if u.startswith("中共"):
        u = u[2:]
    for gov in ("人民政府", "政府"):   # 湖北省政府 is 湖北省人民政府
        if u.endswith(gov) and len(u) > len(gov) + 1 and not u.endswith("办公厅") :
            u = u[:-len(gov)]
            break
    return u


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    binary, corpus = args[0], args[1]
    extra = []
    if "--units" in sys.argv:
        extra = ["--units", sys.argv[sys.argv.index("--units") + 1]]
        args = [a for a in args if a != extra[1]]
    if "--roster-of" in sys.argv:
        dirs = args[2:]
        args = args[:2]
        names = {}
        for d in dirs:
            for a in yaml.safe_load(open(os.path.join(d, "annotations.yaml"), encoding="utf-8")):
                name = a.get("unit_full_guess") or a["unit"]
                if name.startswith("（"):
                    continue
                t = {"其他部门": "非执法部门", "管委会": "开发区管委会", "其他": ""}.get(a.get("unit_type"), a.get("unit_type"))
                alias = a["unit"] if a.get("unit_full_guess") and a["unit"] != name else ""
                names[name] = (t, alias)
        roster = "/tmp/measure-roster.csv"
        with open(roster, "w", encoding="utf-8") as f:
            f.write("单位名称,类型,别名\n")
            for n, (t, al) in names.items():
                f.write("%s,%s,%s\n" % (n, t, al))
        extra = ["--units", roster]
    ann = yaml.safe_load(open(os.path.join(corpus, "annotations.yaml"), encoding="utf-8"))
    files = [os.path.join(corpus, a["file"]) for a in ann]
    r = subprocess.run([binary, "check", "--json", "-", *extra, *files], capture_output=True)
    if r.returncode > 1:
        sys.exit(r.stderr.decode())
    out = {os.path.basename(x["file"]): x for x in json.loads(r.stdout)["reports"]}
    n = unit_ok = year_ok = type_ok = typed = roster_ok = 0
    level_only, roster_none, roster_wrong = [], [], []
    for a in ann:
        rep = out[a["file"]]
        n += 1
        got = rep.get("unit")
        want = [w for w in (canon(a["unit"]), canon(a.get("unit_full_guess"))) if w]
        if a.get("unit_in_text", True):
            u = canon(got) in want
        else:
            u = got is None or canon(got) in want
        # named as the text names it, by its level alone ("市教育局"): not
        # wrong, but not the full name either
        if not u and got and got[0] in "省市区县州" and any(w and w.endswith(canon(got)) for w in want):
            level_only.append(a["file"])
        # a year the text does not give (only the web page did) is right
        # when fzcheck gives none
        if "网页" in str(a.get("year_evidence", "")) or "only the web" in str(a.get("year_evidence", "")):
            y = rep.get("year") in (None, a["year"])
        else:
            y = rep.get("year") == a["year"]
        t = rep.get("unit_type")
        if a.get("unit_type"):
            typed += 1
            type_ok += t == a["unit_type"] or (t is None and a["unit_type"] in ("其他",))
        if extra:
            want_name = a.get("unit_full_guess") or a["unit"]
            ru = rep.get("roster_unit")
            if ru is None:
                roster_none.append(a["file"])
            elif canon(ru) == canon(want_name) or canon(ru) == canon(a["unit"]):
                roster_ok += 1
            else:
                roster_wrong.append("%s→%s" % (a["file"], ru))
        unit_ok += u
        year_ok += y
        if verbose and (not u or not y or t != a.get("unit_type")):
            print("%s unit %s%s (want %s%s) [%s]  year %s%s (want %s)  type %s (want %s)" % (
                a["file"], "" if u else "✗ ", got, a["unit"],
                "" if a.get("unit_in_text", True) else ", not in text", rep.get("unit_source"),
                "" if y else "✗ ", rep.get("year"), a["year"], t, a.get("unit_type")))
    print("%s: %d reports; unit right %d (%.0f%%) [%d more named by level only: %s], "
          "year right %d (%.0f%%), type right %d of %d" % (
              corpus, n, unit_ok, 100.0 * unit_ok / n, len(level_only), " ".join(level_only),
              year_ok, 100.0 * year_ok / n, type_ok, typed))
    if extra:
        print("  roster: matched right %d (%.0f%%), wrong %d %s, unmatched %d %s" % (
            roster_ok, 100.0 * roster_ok / n, len(roster_wrong), " ".join(roster_wrong),
            len(roster_none), " ".join(roster_none)))


if __name__ == "__main__":
    main()
