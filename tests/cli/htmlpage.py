"""Reads an fzcheck HTML page (--html) the way the CLI tests need it, with
the standard library's html.parser: checks that it is well formed (every
element closed in order, nothing but the tags a page uses, no event
attributes) and collects what a reader sees: the text of elements by id,
the rule rows, the links, each paragraph's text and which of its
characters are inside a <mark>, and where each marked passage begins."""
from html.parser import HTMLParser

VOID = {"meta", "br", "wbr", "hr"}
ALLOWED = {"html", "head", "meta", "title", "style", "body", "main", "nav", "a", "header", "p",
           "h1", "h2", "div", "span", "strong", "b", "dl", "dt", "dd", "section", "table",
           "thead", "tbody", "tr", "th", "td", "ul", "li", "mark"}


class Page(HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.errors = []
        self.stack = []          # (tag, attrs)
        self.ids = {}            # id -> (tag, attrs)
        self.text = {}           # id -> text inside it
        self.rows = []           # (rule id, class) of the rule table, in order
        self.row_links = {}      # rule id -> hrefs in its row
        self.index_rows = []     # (row attrs, [cell texts], [hrefs]) of the ranking
        self.paras = {}          # paragraph index -> text (back links left out)
        self.covered = {}        # paragraph index -> [bool] per character: inside a mark
        self.marks = {}          # mark id -> (paragraph, offset)
        self.links = []          # every href
        self.metas = []
        self.doctype = None
        self._para = None
        self._mark_depth = 0
        self._ref = 0            # inside a back link (a.ref): not the report's text
        self._row = None
        self._cells = None
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append("unclosed: %s" % [t for t, _ in self.stack])

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ALLOWED:
            self.errors.append("tag <%s>" % tag)
        for k, _ in attrs:
            if k.lower().startswith("on"):
                self.errors.append("event attribute %s on <%s>" % (k, tag))
        if "id" in a:
            if a["id"] in self.ids:
                self.errors.append("duplicate id %s" % a["id"])
            self.ids[a["id"]] = (tag, a)
            self.text[a["id"]] = ""
        if tag == "meta":
            self.metas.append(a)
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
            if self._row is not None:
                self.row_links.setdefault(self._row, []).append(a["href"])
            if self._cells is not None:
                self._cells[2].append(a["href"])
        if tag == "tr" and a.get("id", "").startswith("rule-"):
            self._row = a["id"][5:]
            self.rows.append((self._row, a.get("class", "")))
        if tag == "tr" and a.get("id", "").startswith("r-"):
            self._cells = (a, [], [])
        if tag == "td" and self._cells is not None:
            self._cells[1].append("")
        if tag == "p" and a.get("id", "").startswith("p-"):
            self._para = int(a["id"][2:])
            self.paras[self._para] = ""
            self.covered[self._para] = []
        if tag == "a" and "ref" in a.get("class", "").split():
            self._ref += 1
        if tag == "mark":
            if self._para is None:
                self.errors.append("mark outside a paragraph")
            self._mark_depth += 1
            if "id" in a and self._para is not None:
                self.marks[a["id"]] = (self._para, len(self.paras[self._para]))
        if tag in VOID:
            return
        self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1][0] if self.stack else "nothing"))
            return
        _, a = self.stack.pop()
        if tag == "tr":
            if self._cells is not None:
                self.index_rows.append(self._cells)
            self._row = None
            self._cells = None
        if tag == "p" and a.get("id", "").startswith("p-"):
            self._para = None
        if tag == "a" and "ref" in a.get("class", "").split():
            self._ref -= 1
        if tag == "mark":
            self._mark_depth -= 1

    def handle_data(self, data):
        for _, a in self.stack:
            if "id" in a:
                self.text[a["id"]] += data
        if self._cells is not None and self._cells[1]:
            self._cells[1][-1] += data
        if self._para is not None and not self._ref:
            self.paras[self._para] += data
            self.covered[self._para] += [self._mark_depth > 0] * len(data)


def shown(s):
    """A string as a page shows it: C0 controls and DEL as their symbols
    (tab and newline kept, CR dropped)."""
    out = []
    for ch in s:
        c = ord(ch)
        if ch in "\t\n":
            out.append(ch)
        elif ch == "\r":
            continue
        elif c < 0x20:
            out.append(chr(0x2400 + c))
        elif c == 0x7F:
            out.append("\u2421")
        else:
            out.append(ch)
    return "".join(out)


def quote_variants(text):
    """A quote as the JSON gives it, with or without its … marks."""
    out = [text]
    t = text
    if t.startswith("…"):
        t = t[1:]
        out.append(t)
    if t.endswith("…"):
        out.append(t[:-1])
    return out


def quote_is_marked(page, mark_id, quote):
    """Whether the passage marked mark_id begins with the quote (without
    its …) and every character of it is inside a mark."""
    if mark_id not in page.marks:
        return False
    para, off = page.marks[mark_id]
    text, cov = page.paras[para], page.covered[para]
    for q in quote_variants(quote):
        if q and text[off:off + len(q)] == q and all(cov[off:off + len(q)]):
            return True
    return False
