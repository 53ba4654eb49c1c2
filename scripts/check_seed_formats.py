#!/usr/bin/python3
"""The real reports (../shared/seeds), converted to .docx and .pdf with
LibreOffice, must give the verdicts of expected.yaml, as the .txt files do.
Needs LibreOffice Writer (`make check-formats` installs it); not part of
`make test`, since LibreOffice is large.

    scripts/check_seed_formats.py [SEEDS]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

SEEDS = sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds"
expected = yaml.safe_load(open(os.path.join(SEEDS, "expected.yaml"), encoding="utf-8"))
tmp = tempfile.mkdtemp(prefix="fzseeds-")
try:
    for name in expected:
        src = os.path.join(SEEDS, name)
        for fmt in ("docx:MS Word 2007 XML", "pdf"):
            subprocess.run(["soffice", "--headless", "--infilter=Text (encoded):UTF8,LF,,,",
                            "--convert-to", fmt, "--outdir", tmp, src],
                           capture_output=True, timeout=300, env=dict(os.environ, HOME=tmp))
    out = subprocess.run(["build/fzcheck", "check", "--json", "-", tmp], capture_output=True)
    reports = {os.path.basename(r["file"]): r for r in json.loads(out.stdout)["reports"]}
    total = wrong = 0
    for name, e in expected.items():
        stem = os.path.splitext(name)[0]
        for ext in ("docx", "pdf"):
            r = reports.get(stem + "." + ext)
            if not r or r.get("error"):
                print("%s.%s: %s" % (stem, ext, r["error"] if r else "not converted"))
                wrong += 1
                continue
            got = {x["id"]: x["status"] for x in r["results"]}
            for rule, want in e["expect"].items():
                total += 1
                if got.get(rule) != want:
                    wrong += 1
                    print("%s.%s: %s is %s, expected %s" % (stem, ext, rule, got.get(rule), want))
            if r.get("year") != e["year"]:
                wrong += 1
                print("%s.%s: year %s, expected %s" % (stem, ext, r.get("year"), e["year"]))
    print("seeds as .docx and .pdf: %d problems in %d verdicts" % (wrong, total))
    sys.exit(1 if wrong else 0)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
