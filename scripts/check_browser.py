#!/usr/bin/python3
"""Opens fzcheck's HTML pages (--html) in headless Chromium, with selenium,
and checks what a person sees there:

  - the ranking page lists every report and links to its page;
  - a report's header shows the JSON's score and grade (or its error);
  - the rule table has one row per rule, with the JSON's status;
  - every evidence link's target exists and is a visible, highlighted
    <mark>; following one scrolls to it; every back link finds its row;
  - nothing is logged to the console, no network request leaves the page
    (DevTools performance log, and performance.getEntriesByType);
  - in print the page is A4 with a white background, and one page printed
    to PDF (Page.printToPDF, honouring the page's @page size) is a
    non-empty A4 PDF.

Then `fzcheck serve` as an office clerk uses it: the upload page opened,
a .docx and a .pdf chosen in its file input and last year's report of the
.docx's unit (its text, figures changed) in the input for last year's,
sent with the button (no script on the page), the ranking and each
report's page with unit, score and grade and the line comparing with last
year (上年得分, 变化; the .pdf's unit not paired), an evidence link followed,
and the annotated .docx, the scorecard and the JSON fetched from their
links and compared with `fzcheck check --json` / `--annotate` with the
same --previous on the same files.

Run by `make check-browser` as: check_browser.py FZCHECK OUTDIR NAME=INPUT...
(each INPUT a report folder, checked into OUTDIR/NAME). Exits 1 on the
first set of pages with a problem, listing them all."""
import base64
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
A4 = (595.28, 841.89)  # points

problems = []


def problem(where, what):
    problems.append("%s: %s" % (where, what))


def generate(fzcheck, inputs, out):
    """The JSON and the pages of one check; returns the JSON."""
    os.makedirs(out, exist_ok=True)
    r = subprocess.run([fzcheck, "check", "--quiet", "--json", os.path.join(out, "results.json"),
                        "--html", os.path.join(out, "html"), *inputs], capture_output=True)
    if r.returncode not in (0, 1):
        sys.exit("fzcheck check 失败（退出码 %d）：%s" % (r.returncode, r.stderr.decode()))
    with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
        return json.load(f)


def browser():
    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,1000", "--no-first-run", "--disable-extensions",
              "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--disable-default-apps"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=o)


def requests_and_console(driver, where, own_url):
    """Fails on any console message and any request but the page itself."""
    for e in driver.get_log("browser"):
        problem(where, "控制台：%s %s" % (e.get("level"), e.get("message")))
    sent = 0
    for e in driver.get_log("performance"):
        m = json.loads(e["message"])["message"]
        if m.get("method") in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            u = m["params"].get("request", {}).get("url") or m["params"].get("url", "")
            if u.split("#")[0] != own_url:
                sent += 1
                problem(where, "网络请求：%s" % u)
    n = driver.execute_script("return performance.getEntriesByType('resource').length")
    if n:
        problem(where, "页面加载了 %d 个资源" % n)
    return sent


# What the page shows, read in the page: every row, every evidence link
# and its target's box and colour, every back link's target.
PAGE_FACTS = r"""
const out = {rows: [], evidence: [], backs: 0, badBacks: []};
for (const tr of document.querySelectorAll('tr[id^="rule-"]'))
  out.rows.push([tr.id.slice(5), tr.className, tr.querySelector('td.st').innerText.trim()]);
for (const a of document.querySelectorAll('td.ev a[href^="#e-"]')) {
  const id = decodeURIComponent(a.getAttribute('href').slice(1));
  const t = document.getElementById(id);
  const f = {id: id, tag: t ? t.tagName : null};
  if (t) {
    const r = t.getBoundingClientRect(), s = getComputedStyle(t);
    f.w = r.width; f.h = r.height; f.bg = s.backgroundColor;
    f.visible = s.visibility === 'visible' && s.display !== 'none' && t.checkVisibility();
    f.text = t.textContent;
  }
  out.evidence.push(f);
}
for (const a of document.querySelectorAll('a.ref')) {
  out.backs++;
  const t = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
  if (!t || t.tagName !== 'TR') out.badBacks.push(a.getAttribute('href'));
}
return out;
"""


def follow_first_evidence(driver, where):
    """Clicks the page's first evidence link: the highlighted <mark> it
    names must come into view. Returns whether there was a link."""
    links = driver.find_elements(By.CSS_SELECTOR, "td.ev a[href^='#e-']")
    if not links:
        return False
    target = urllib.parse.unquote(links[0].get_attribute("href").split("#", 1)[1])
    links[0].click()
    seen = driver.execute_script(
        "const t = document.getElementById(arguments[0]); const r = t.getBoundingClientRect();"
        "return [location.hash, t.tagName, r.top > -4 && r.top < innerHeight && r.bottom > 0]", target)
    if seen[0] != "#" + target or seen[1] != "MARK" or not seen[2]:
        problem(where, "点击证据链接后没有显示证据 #%s" % target)
    return True


def check_report_page(driver, where, url, rep, rules):
    driver.get(url)
    if rep.get("error"):
        err = driver.find_element(By.ID, "error")
        if not err.is_displayed() or rep["error"] not in err.text:
            problem(where, "没有醒目地显示无法读取的原因")
        if driver.find_elements(By.ID, "score") or driver.find_elements(By.CSS_SELECTOR, "tr[id^='rule-']"):
            problem(where, "无法读取的报告不应有得分或逐项结论")
        return {"rows": 0, "marks": 0}
    score = driver.find_element(By.ID, "score")
    grade = driver.find_element(By.ID, "grade")
    if not score.is_displayed() or float(score.text) != rep["score"]:
        problem(where, "页眉的总分“%s”与 JSON 的 %s 不同" % (score.text, rep["score"]))
    if not grade.is_displayed() or grade.text != rep["grade"]:
        problem(where, "页眉的等级“%s”与 JSON 的“%s”不同" % (grade.text, rep["grade"]))
    facts = driver.execute_script(PAGE_FACTS)
    rows = facts["rows"]
    if len(rows) != len(rules) or [r[0] for r in rows] != [x["id"] for x in rep["results"]]:
        problem(where, "规则表有 %d 行，规则包有 %d 条规则" % (len(rows), len(rules)))
    labels = {"pass": "符合", "partial": "部分符合", "fail": "缺失", "na": "不适用"}
    for (rid, cls, shown), x in zip(rows, rep["results"]):
        if cls != "s-" + x["status"] or labels[x["status"]] not in shown:
            problem(where, "规则 %s 显示为“%s”，JSON 为 %s" % (rid, shown, x["status"]))
    want = sum(len(x["evidence"]) for x in rep["results"])
    if len(facts["evidence"]) != want:
        problem(where, "证据链接 %d 个，JSON 有 %d 条证据" % (len(facts["evidence"]), want))
    for f in facts["evidence"]:
        if f["tag"] != "MARK":
            problem(where, "证据链接 #%s 的目标不存在或不是 <mark>" % f["id"])
        elif not f["visible"] or f["w"] <= 0 or f["h"] <= 0 or not f["text"].strip():
            problem(where, "证据 #%s 不可见" % f["id"])
        elif f["bg"] in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)"):
            problem(where, "证据 #%s 没有高亮（背景 %s）" % (f["id"], f["bg"]))
    if facts["badBacks"]:
        problem(where, "返回规则的链接找不到规则行：%s" % facts["badBacks"][:3])
    # following the first evidence link brings its passage into view
    follow_first_evidence(driver, where)
    return {"rows": len(rows), "marks": len(facts["evidence"]), "backs": facts["backs"]}


def check_print(driver, where, url):
    """Print media: A4, white, no navigation; the PDF of the page."""
    driver.get(url)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    bg, nav, after = driver.execute_script(
        "const a = document.querySelector('a[href]');"
        "return [getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.querySelector('nav')).display,"
        " a ? getComputedStyle(a, '::after').content : 'none']")
    if bg not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"):
        problem(where, "打印时背景为 %s，不是白色" % bg)
    if nav != "none":
        problem(where, "打印时仍显示导航链接")
    if after not in ("none", "normal"):
        problem(where, "打印时链接后附加了内容 %s" % after)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(driver.execute_cdp_cmd(
        "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})["data"])
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    if not pdf.startswith(b"%PDF-") or len(pdf) < 1000 or not boxes or not pages:
        problem(where, "打印的 PDF 为空或无法识别（%d 字节）" % len(pdf))
        return pdf, pages, None
    sizes = {(float(x2) - float(x1), float(y2) - float(y1)) for x1, y1, x2, y2 in boxes}
    for w, h in sizes:
        if abs(w - A4[0]) > 2 or abs(h - A4[1]) > 2:
            problem(where, "打印的 PDF 页面为 %.1f×%.1f pt，不是 A4" % (w, h))
    return pdf, pages, sizes


def check_set(driver, name, doc, html_dir):
    where = name + "/index.html"
    index_url = "file://" + urllib.parse.quote(os.path.join(html_dir, "index.html"))
    driver.get(index_url)
    rows = driver.find_elements(By.CSS_SELECTOR, "tr[id^='r-']")
    reps = doc["reports"]
    if len(rows) != len(reps):
        problem(where, "排名页有 %d 行，JSON 有 %d 份报告" % (len(rows), len(reps)))
    pages = {}
    for row in rows:
        i = int(row.get_attribute("id")[2:]) - 1
        links = row.find_elements(By.CSS_SELECTOR, "a[href]")
        if not links:
            problem(where, "报告 %s 没有页面链接" % reps[i]["file"])
            continue
        pages[i] = links[0].get_attribute("href")
    requests_and_console(driver, where, index_url)
    totals = {"pages": 0, "rows": 0, "marks": 0, "backs": 0, "requests": 0}
    for i, url in sorted(pages.items()):
        path = urllib.parse.unquote(urllib.parse.urlparse(url).path)
        w = "%s/%s" % (name, os.path.basename(path))
        if not os.path.isfile(path):
            problem(w, "排名页链接的页面不存在")
            continue
        got = check_report_page(driver, w, url, reps[i], doc["rules"])
        totals["requests"] += requests_and_console(driver, w, url.split("#")[0])
        totals["pages"] += 1
        for k in ("rows", "marks", "backs"):
            totals[k] += got.get(k, 0)
    readable = [i for i in pages if not reps[i].get("error")]
    printed = None
    if readable:
        url = pages[readable[0]]
        pdf, npages, sizes = check_print(driver, name + "/打印", url)
        requests_and_console(driver, name + "/打印", url.split("#")[0])
        printed = (os.path.basename(urllib.parse.unquote(urllib.parse.urlparse(url).path)), len(pdf),
                   npages, sizes)
        with open(os.path.join(os.path.dirname(html_dir), "printed.pdf"), "wb") as f:
            f.write(pdf)
    return totals, printed


# ---- fzcheck serve ---------------------------------------------------------------

SERVE_FILES = ["tests/fixtures/formats/sifaju-2024-complete.docx", "tests/fixtures/formats/jiaoyuju-2023-pdf.pdf"]
# the .docx's text: last year's report of its unit is made of it
SERVE_PREVIOUS_OF = "reports/sifaju-2024-complete.txt"


def last_year(out):
    """Last year's report of the .docx's unit: its text, every figure changed."""
    with open(SERVE_PREVIOUS_OF, encoding="utf-8") as f:
        text = f.read()
    path = os.path.join(out, "上年", "司法局上年报告.txt")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(re.sub(r"\d+", lambda m: str(int(m.group(0)) - 1 if len(m.group(0)) == 4 else int(m.group(0)) + 3),
                       text))
    return os.path.abspath(path)


def previous_shown(driver):
    """The text of the line comparing with last year, or None."""
    el = driver.find_elements(By.ID, "prev-line")
    return el[0].text if el else None


def verdicts(doc):
    return [(r.get("unit"), r.get("score"), r.get("grade"),
             [(x["id"], x["status"], x["score"]) for x in r["results"]]) for r in doc["reports"]]


def comments_of(docx):
    """The comments' texts of an annotated copy, without their dates."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/comments.xml").decode()
    return re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)


def check_serve(driver, fzcheck, out):
    where = "serve"
    tmpdir = tempfile.mkdtemp(dir=out)
    env = dict(os.environ, TMPDIR=tmpdir)
    p = subprocess.Popen([fzcheck, "serve", "--listen", "127.0.0.1:0", "--keep", "120"],
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    try:
        first = p.stderr.readline().decode()
        m = re.search(r"http://127\.0\.0\.1:\d+/", first)
        if not m:
            problem(where, "服务没有启动：%s" % first)
            return None
        base = m.group(0)
        driver.get(base)
        if driver.find_elements(By.TAG_NAME, "script"):
            problem(where, "上传页含有脚本")
        box = driver.find_element(By.CSS_SELECTOR, "input[type=file]")
        box.send_keys("\n".join(os.path.abspath(f) for f in SERVE_FILES))
        prev = last_year(out)
        driver.find_element(By.CSS_SELECTOR, "input[type=file][name=previous]").send_keys(prev)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        end = time.time() + 60
        while "/r/" not in driver.current_url and time.time() < end:
            time.sleep(0.1)
        result_url = driver.current_url
        if not re.search(r"/r/[0-9a-f]{32}/$", result_url):
            problem(where, "提交后没有转到结果页（%s）" % result_url)
            return None
        want = json.loads(subprocess.run([fzcheck, "check", "--quiet", "--json", "-", "--previous", prev,
                                          *SERVE_FILES], capture_output=True).stdout)
        paired = [r for r in want["reports"] if r.get("previous")]
        if len(paired) != 1:
            problem(where, "check --previous 配对了 %d 份报告，应为 1 份" % len(paired))
            return None

        def previous_ok(rep, line):
            """The line says last year's score and the change, or that rep is not paired."""
            if not rep.get("previous"):
                return line is not None and "未能与上传的上一年度报告配对" in line
            change = "%+.1f" % (rep["score"] - rep["previous"]["score"])
            return line is not None and ("上年得分：%g" % rep["previous"]["score"]) in line and \
                ("变化：%s" % change) in line
        line = previous_shown(driver)
        if not previous_ok(paired[0], line):
            problem(where, "排名页没有显示 %s 的上年得分和变化（%s）" % (paired[0]["unit"], line))
        rows = driver.find_elements(By.CSS_SELECTOR, "tr[id^='r-']")
        shown = [r.text for r in rows]
        if len(rows) != len(want["reports"]):
            problem(where, "排名页有 %d 行，应为 %d" % (len(rows), len(want["reports"])))
        for rep in want["reports"]:
            if not any(rep["unit"] in t and ("%g" % rep["score"]) in t and rep["grade"] in t for t in shown):
                problem(where, "排名页没有显示 %s 的单位、得分和等级" % rep["unit"])
        # downloads on the ranking page: the scorecard and the JSON
        def fetch(href):
            with urllib.request.urlopen(urllib.parse.urljoin(driver.current_url, href), timeout=30) as r:
                return r.read()
        def href_of(page_id):
            el = driver.find_elements(By.ID, page_id)
            return el[0].get_attribute("href") if el else None
        got = json.loads(fetch(href_of("dl-json")))
        if verdicts(got) != verdicts(want):
            problem(where, "下载的 JSON 与 check --json 的结论不同")
        xlsx = fetch(href_of("dl-xlsx"))
        # the workbook's first sheet (the summary): each unit with its score
        import openpyxl
        wb = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
        summary = [[c for c in row if c is not None] for row in wb.worksheets[0].iter_rows(values_only=True)]
        for rep in want["reports"]:
            if not any(rep["unit"] in row and rep["score"] in row for row in summary):
                problem(where, "评分表汇总中没有 %s 及其得分 %s" % (rep["unit"], rep["score"]))
        # each report's page: unit, score, grade, an evidence link, the annotated copy
        pages = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "tr[id^='r-'] a[href]")]
        copies = 0
        marks = 0
        annotated = os.path.join(out, "serve-annotate")
        subprocess.run([fzcheck, "check", "--quiet", "--annotate", annotated, "--previous", prev, *SERVE_FILES],
                       capture_output=True)
        lines = 0
        for url in pages:
            driver.get(url)
            unit = driver.find_element(By.TAG_NAME, "h1").text
            rep = next((r for r in want["reports"] if r.get("unit") and r["unit"] in driver.page_source), None)
            if not rep:
                problem(where, "结果页 %s 没有显示单位（%s）" % (url, unit))
                continue
            score, grade = driver.find_element(By.ID, "score").text, driver.find_element(By.ID, "grade").text
            if float(score) != rep["score"] or grade != rep["grade"]:
                problem(where, "%s 的结果页显示 %s 分、%s，JSON 为 %s 分、%s" % (rep["unit"], score, grade,
                                                                        rep["score"], rep["grade"]))
            line = previous_shown(driver)
            if previous_ok(rep, line):
                lines += 1
            else:
                problem(where, "%s 的结果页与上年对照的一行不对：%s" % (rep["unit"], line))
            if follow_first_evidence(driver, where):
                marks += 1
            for e in driver.get_log("browser"):
                problem(where, "控制台：%s %s" % (e.get("level"), e.get("message")))
            href = href_of("dl-copy")
            if not href:
                problem(where, "%s 的结果页没有带批注的 Word 文件链接" % rep["unit"])
                continue
            docx = fetch(href)
            stem = os.path.splitext(os.path.basename(rep["file"]))[0]
            with open(os.path.join(annotated, stem + ".批注.docx"), "rb") as f:
                if comments_of(docx) != comments_of(f.read()):
                    problem(where, "%s 下载的批注与 check --annotate 的不同" % rep["unit"])
            copies += 1
        print("serve：在上传页选择 %d 个文件（.docx、.pdf）和 1 份上年报告提交，转到 %s；排名页 %d 行（单位、得分、等级与 JSON 相同），"
              "%d 个结果页（得分、等级相同，与上年对照的一行 %d 个正确，证据链接 %d 次跳转到高亮的证据）；"
              "下载 %d 份带批注的 Word 文件（批注与 check --annotate 相同）、评分表（%d 字节）和 JSON"
              "（结论与 check --json --previous 相同）" % (
                  len(SERVE_FILES), re.sub(r"[0-9a-f]{32}", "<编号>", urllib.parse.urlparse(result_url).path),
                  len(rows), len(pages), lines, marks, copies, len(xlsx)))
        return True
    finally:
        p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=60)
        left = os.listdir(tmpdir)
        if rc != 0 or left:
            problem(where, "服务停止时退出码 %d，临时目录中留下 %s" % (rc, left))
        else:
            print("  服务收到 SIGTERM 后退出码 0，临时目录已清空")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    fzcheck, out = sys.argv[1], sys.argv[2]
    sets = [a.split("=", 1) for a in sys.argv[3:]]
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True).stdout.strip()
    if not fonts:
        print("注意：未安装中文字体，打印的 PDF 中汉字显示为方框（可安装 fonts-noto-cjk）；不影响本检查")
    driver = browser()
    try:
        print("Chromium %s，ChromeDriver %s" % (driver.capabilities.get("browserVersion"),
              driver.capabilities.get("chrome", {}).get("chromedriverVersion", "?").split(" ")[0]))
        for name, inputs in sets:
            before = len(problems)
            d = os.path.join(out, name)
            doc = generate(fzcheck, [inputs], d)
            totals, printed = check_set(driver, name, doc, os.path.join(d, "html"))
            print("%s：%d 份报告，%d 个页面和排名页；规则表 %d 行，证据标记 %d 处（均可见、已高亮），"
                  "返回规则的链接 %d 个；网络请求 %d 个" % (
                      name, len(doc["reports"]), totals["pages"], totals["rows"], totals["marks"],
                      totals["backs"], totals["requests"]))
            if printed:
                sizes = "、".join("%.1f×%.1f pt" % s for s in sorted(printed[3] or []))
                print("  打印 %s：PDF %d 字节，%d 页，页面 %s（A4）" % (printed[0], printed[1], printed[2], sizes))
            print("  %s" % ("通过" if len(problems) == before else "%d 个问题" % (len(problems) - before)))
        before = len(problems)
        check_serve(driver, fzcheck, out)
        print("  %s" % ("通过" if len(problems) == before else "%d 个问题" % (len(problems) - before)))
    finally:
        driver.quit()
    if problems:
        print("\n浏览器检查发现 %d 个问题：" % len(problems))
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print("浏览器检查通过")


if __name__ == "__main__":
    main()
