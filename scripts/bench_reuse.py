#!/usr/bin/python3
"""The cross-report part of make bench: `fzcheck check --previous` and
`--similar` on 1,000 and 10,000 generated reports, against a plain check
of the same reports. Run by scripts/bench.py after its own sections, or
alone:

    scripts/bench_reuse.py [BINARY] [SIZES]

SIZES (or BENCH_REUSE_SIZES) defaults to those of BENCH_SIZES up to
10,000. BENCH_REUSE_PLANT (default 0.02) is the share of reports that copy
a paragraph of another unit's report.

Two corpora of each size, this year's and last year's, generated from the
sample reports as scripts/bench.py does (paragraphs dropped, swapped or
repeated, figures changed) but with one unit per report number, the same
in both years, so that every report has its unit's previous report:
report i is unit i (a made-up place, the sample's level, a department),
last year's report i is the same unit's, a year earlier, with other
variations. The samples are a few short texts, so nearly every sentence of
the corpus is in most of its reports: boilerplate for --similar. To give
--similar something to find, each report also has a paragraph of its own
(four sentences from a phrase generator, two naming its unit), and a share
of this year's reports (BENCH_REUSE_PLANT) also carries the paragraph of
another report of the same shard of 1,000 (another unit): the planted
pairs. Every two reports carrying the same paragraph (a source and its
copiers, or two copiers of one source) are an expected pair; --similar's
pairs are counted against them (recall, and other pairs).

A third corpus, the dense variant, is this year's with one more paragraph
of 30 sentences shared by each group of 50 reports: not boilerplate (in
no more than 50 reports, under a fifth of the batch), so every two reports
of a group are a pair. It shows what the pairing step costs when a batch
has many pairs: its memory follows pairs times shared sentences.

A benchmark: it prints figures and fails only when a command cannot run.
"""
import json
import os
import random
import re
import shutil
import sys
import time
import unicodedata

GEN_VERSION = "2"   # bump when this generator changes: old shards are rebuilt
PLANT = float(os.environ.get("BENCH_REUSE_PLANT", "0.02"))

# made-up places: two characters (three past 64,800 reports) from these,
# none of the samples' own places
PLACE_CHARS = ("宁和丰泰顺昌兴隆永宝嘉祥瑞福康乐华荣盛德惠源湖江海岭峰桥林松"
               "柏梅兰竹溪泉塘湾洲浦阳春秋金玉石云青黄红绿明光新定远长广兆庆")
OWN_A = ["围绕", "聚焦", "针对", "立足", "紧扣", "着眼", "结合", "对标", "依托", "瞄准", "紧盯", "突出"]
OWN_B = ["优化营商环境", "乡村振兴", "安全生产", "生态保护", "食品安全", "校园安全", "物业管理", "城市更新",
         "河湖治理", "农村宅基地", "劳动保障", "养老服务", "医疗纠纷", "燃气安全", "网络交易", "校外培训",
         "建筑施工", "矿山开采", "危化品运输", "森林防火", "耕地保护", "文物保护", "电动自行车", "预付式消费"]
OWN_C = ["中的突出问题", "领域的执法短板", "方面的群众诉求", "环节的监管盲区", "过程中的廉政风险",
         "工作中的薄弱环节", "执法中的难点堵点", "服务中的急难愁盼"]
OWN_D = ["创新推出", "率先建立", "探索实行", "试点开展", "全面推行", "组织实施", "牵头制定", "联合出台",
         "持续完善", "深化拓展"]
OWN_E = ["清单式", "一站式", "闭环式", "网格化", "点单式", "首违不罚", "容缺受理", "掌上办", "不见面",
         "吹哨报到", "信用分级", "说理式"]
OWN_F = ["执法检查机制", "普法宣传模式", "审查把关流程", "纠纷调处平台", "监管服务举措", "信用修复制度",
         "协同联动机制", "案件会商制度", "问题整改台账", "风险预警体系"]
OWN_G = ["群众满意度明显提升", "相关投诉大幅下降", "得到上级部门肯定", "形成可复制的经验做法",
         "被列为全省试点", "典型做法被媒体报道", "企业获得感持续增强", "执法争议明显减少"]
OWN_H = ["召开现场推进会", "开展专项调研", "组织交叉检查", "建立联络员制度", "设立法律服务站", "开展以案释法"]


_samples = []


def samples(b):
    if not _samples:
        _samples.extend(b.samples())
    return _samples


def unit_of(i, b):
    """Report i's unit (the same in both years): (place, level, dept)."""
    p, d = divmod(i, len(b.DEPTS))
    n = len(PLACE_CHARS)
    chars = []
    while True:
        p, r = divmod(p, n)
        chars.append(PLACE_CHARS[r])
        if p == 0 and len(chars) >= 2:
            break
    level = own_unit(i % len(samples(b)), b)[0][2]
    return "".join(reversed(chars)), level, b.DEPTS[d]


def own_unit(k, b):
    """Sample k's own unit, (place with level, dept): the one of
    bench.SAMPLE_UNITS its text names."""
    text = samples(b)[k][1]
    for p0, d0 in b.SAMPLE_UNITS:
        if p0 + d0 in text:
            return p0, d0
    raise SystemExit("示例报告 %d 不含 bench.SAMPLE_UNITS 中的单位" % k)


def own_paragraph(i, tag, b):
    """Report i's paragraph of its own (tag: the year)."""
    rng = random.Random("%s:reuse:%s:own:%d" % (b.SEED, tag, i))
    place, level, dept = unit_of(i, b)

    def c(xs):
        return rng.choice(xs)
    return "".join((
        "%s%s%s%s“%s”%s，%s%s%s取得明显成效。" % (place, level, dept, c(OWN_D), c(OWN_E), c(OWN_F),
                                            c(OWN_A), c(OWN_B), c(OWN_C)),
        "%s%s%s，%s“%s”%s，%s。" % (c(OWN_A), c(OWN_B), c(OWN_C), c(OWN_D), c(OWN_E), c(OWN_F), c(OWN_G)),
        "在%s%s%s，%s%s%s，%s。" % (place, level, c(OWN_H), c(OWN_A), c(OWN_B), c(OWN_C), c(OWN_G)),
        "%s“%s”%s，%s%s%s，%s。" % (c(OWN_D), c(OWN_E), c(OWN_F), c(OWN_A), c(OWN_B), c(OWN_C), c(OWN_G)),
    ))


def planted(i, b):
    """The report whose own paragraph this year's report i also carries,
    or None: another report of its shard of 1,000."""
    rng = random.Random("%s:reuse:plant:%d" % (b.SEED, i))
    if rng.random() >= PLANT:
        return None
    lo = i - i % b.SHARD
    j = rng.randrange(lo, lo + b.SHARD - 1)
    return j + (j >= i)


SECOND_PART = re.compile(r"^(#+\s*|\*\*)?(二、|第二部分)")


DENSE_GROUP, DENSE_SENTENCES = 50, 30


def group_paragraph(g, b):
    """The paragraph all reports of group g of the dense variant share."""
    rng = random.Random("%s:reuse:group:%d" % (b.SEED, g))

    def c(xs):
        return rng.choice(xs)
    return "".join("%s%s%s，%s“%s”%s，%s。" % (c(OWN_A), c(OWN_B), c(OWN_C), c(OWN_D), c(OWN_E), c(OWN_F),
                                            c(OWN_G)) for _ in range(DENSE_SENTENCES))


def report_text(i, tag, base, b):
    """This year's (tag "cur") or last year's ("prev") report of unit i;
    "dense": this year's with the paragraph of its group of DENSE_GROUP
    reports."""
    if tag == "dense":
        ext, text = report_text(i, "cur", base, b)
        return ext, text + "\n\n" + group_paragraph(i // DENSE_GROUP, b) + "\n"
    rng = random.Random("%s:reuse:%s:%d" % (b.SEED, tag, i))
    k = i % len(base)
    ext, text = base[k]
    place, level, dept = unit_of(i, b)
    p0, d0 = own_unit(k, b)
    text = text.replace(p0 + d0, place + level + dept).replace(p0, place + level)
    text = b.vary_paragraphs(text, rng)
    own = [own_paragraph(i, tag, b)]
    src = planted(i, b) if tag == "cur" else None
    if src is not None:
        own.append(own_paragraph(src, tag, b))
    # at the end of the first part (主要举措和成效)
    paras = text.split("\n\n")
    at = next((n for n, p in enumerate(paras) if SECOND_PART.match(p)), len(paras))
    paras[at:at] = own
    text = b.vary_numbers("\n\n".join(paras), rng, 0 if tag == "cur" else -1)
    return ext, text


def corpus_dirs(tag, n, b):
    """The shard directories of the first n reports of year tag, generated
    when missing (as bench.shard_dirs)."""
    base = os.path.join(b.ROOT, "corpus", "reuse-" + tag)
    stamp = base + ".stamp"
    key = "%s:%s:%s" % (GEN_VERSION, PLANT, b.corpus_key())
    done = b.stamp_done(base, key)
    if n % b.SHARD:
        raise SystemExit("报告数须是 %d 的倍数：%d" % (b.SHARD, n))
    need = n // b.SHARD
    if need > done:
        src = samples(b)
        t = time.perf_counter()
        for s in range(done, need):
            d = os.path.join(base, "s%04d" % s)
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            for i in range(s * b.SHARD, (s + 1) * b.SHARD):
                ext, text = report_text(i, tag, src, b)
                with open(os.path.join(d, "r%07d%s" % (i, ext)), "w", encoding="utf-8") as f:
                    f.write(text)
            with open(stamp, "w") as f:
                f.write("%s %d\n" % (key, s + 1))
        print("（生成%s语料 %d 份，用时 %.0f 秒）" % ({"cur": "本年度", "prev": "上一年度"}.get(tag, "高重合变体"),
                                             (need - done) * b.SHARD, time.perf_counter() - t), flush=True)
    return [os.path.join(base, "s%04d" % s) for s in range(need)]


def expected_pairs(n, b):
    """The pairs of report numbers that carry the same own paragraph."""
    groups = {}
    for i in range(n):
        j = planted(i, b)
        if j is not None:
            groups.setdefault(j, {j}).add(i)
    out = set()
    for g in groups.values():
        g = sorted(g)
        out.update((x, y) for k, x in enumerate(g) for y in g[k + 1:])
    return out


# ---------------------------------------------------------------- sentences

CN_NUMERALS = set("〇零一二三四五六七八九十百千万亿两")


def sentence_key(s):
    """fz_prev_key, roughly: letters and CJK characters, no Chinese numerals."""
    return "".join(ch for ch in s if (ch.isascii() and ch.isalpha()) or
                   (not ch.isascii() and unicodedata.category(ch)[0] == "L" and ch not in CN_NUMERALS))


def sentence_counts(dirs):
    """A rough count of the batch's sentences as --similar hashes them
    (split at 。！？； and line ends, at least 8 characters compared, once
    per report): occurrences, distinct, and the report pairs of the
    non-boilerplate ones (what fz_similar_pairs sorts), by the batch's
    boilerplate rule."""
    df = {}
    nrep = 0
    for d in dirs:
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                text = f.read()
            nrep += 1
            seen = set()
            for s in re.split(r"[。！？；\n]", text):
                k = sentence_key(s)
                if len(k) >= 8:
                    seen.add(k)
            for k in seen:
                df[k] = df.get(k, 0) + 1
    occ = sum(df.values())
    limit = 0.2 * nrep
    boiler = [c for c in df.values() if c > 50 or (c >= 3 and c > limit)]
    cand = sum(c * (c - 1) // 2 for c in df.values() if not (c > 50 or (c >= 3 and c > limit)))
    return dict(occ=occ, distinct=len(df), boiler=len(boiler), cand=cand)


# ---------------------------------------------------------------- running

def section(b, sizes=None):
    """Prints the cross-report section; b is the bench module."""
    if sizes is None:
        env = os.environ.get("BENCH_REUSE_SIZES")
        sizes = [int(s) for s in env.split(",") if s] if env else [n for n in b.SIZES if n <= 10000]
    if not sizes:
        print("\n（跨报告对照：BENCH_SIZES 中没有不超过 10000 的规模，跳过；可用 BENCH_REUSE_SIZES 指定）")
        return
    ok = {o: b.supports(o) for o in ("--similar",)}
    ok["--previous"] = b.supports("--previous", b.SMALL)
    if not (ok["--similar"] and ok["--previous"]):
        print("\n（跨报告对照：%s 不支持，跳过）" % "、".join(o for o, s in ok.items() if not s))
        return
    quiet = ["--quiet"] if b.supports("--quiet") else []
    jobs_list = [1, b.NCPU] if b.NCPU > 1 else [1]
    out_dir = os.path.join(b.ROOT, "out")
    os.makedirs(out_dir, exist_ok=True)
    t_start = time.perf_counter()
    runs = b.RUNS

    print("\n== 跨报告对照：--previous 与 --similar（本年度与上一年度语料各 %s 份） =="
          % "、".join(str(n) for n in sizes))
    W = (-20, 6, 8, 9, 9, 7, 25, 17, 9, 15, 8)

    def row(*cells):
        return b.cols(*zip(cells, W))

    def measure(cmd):
        """The fastest of `runs` runs, the highest peaks (as bench.main)."""
        r = None
        for _ in range(runs):
            t = b.Run(cmd, poll_s=0.005)
            if t.rc not in (0, 1):
                return t
            if r is not None:
                t.peak_kb, t.parent_kb, t.worker_kb = (max(t.peak_kb, r.peak_kb),
                                                       max(t.parent_kb, r.parent_kb),
                                                       max(t.worker_kb, r.worker_kb))
                if t.wall > r.wall:
                    t.wall = r.wall
                t.cpu = min(t.cpu, r.cpu)
                if r.tail is not None and (t.tail is None or r.tail < t.tail):
                    t.tail = r.tail
            r = t
        return r

    def json_run(args, dirs):
        """One run with --json, all processors: the JSON, and the run."""
        path = os.path.join(out_dir, "reuse.json")
        if os.path.exists(path):
            os.remove(path)
        r = b.Run([b.BIN, "check", "--rules", b.RULES, *quiet, "--jobs", str(b.NCPU), "--json", path,
                   *args, *dirs])
        data = None
        if r.rc in (0, 1) and os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            os.remove(path)
        return r, data

    def number(path):
        m = re.search(r"r(\d{7})\.", os.path.basename(path))
        return int(m.group(1)) if m else None

    scale = {}
    for n in sizes:
        cur = corpus_dirs("cur", n, b)
        prev = corpus_dirs("prev", n, b)
        prev_args = [a for d in prev for a in ("--previous", d)]
        modes = [("只检查（基线）", []), ("--previous 上一年度", prev_args), ("--similar", ["--similar"])]
        print("\n-- %d 份 --" % n, flush=True)
        print(row("模式", "进程数", "报告数", "耗时", "CPU", "份/秒", "峰值内存 总（父/工作）", "比基线多用时",
                  "多 CPU", "多内存 父/工作", "收尾"))
        base = {}
        for mode, args in modes:
            for j in jobs_list:
                cmd = [b.BIN, "check", "--rules", b.RULES, *quiet, "--jobs", str(j), *args, *cur]
                r = measure(cmd)
                if r.rc not in (0, 1):
                    print("%s   失败（退出码 %d）：%s" % (row(mode, str(j), str(n)), r.rc, r.stderr.strip()[:300]))
                    continue
                mem = "%.1f MB (%s%.1f/%.1f)" % (b.mb(r.peak_kb), "" if r.worker_kb < r.peak_kb else "≥",
                                                  b.mb(r.parent_kb), b.mb(r.worker_kb))
                if not args:
                    base[j] = r
                    extra_t = extra_c = extra_m = "—"
                elif j in base:
                    z = base[j]
                    extra_t = "%+.2f s（%+.0f%%）" % (r.wall - z.wall, (r.wall / z.wall - 1) * 100)
                    extra_c = "%+.2f s" % (r.cpu - z.cpu)
                    extra_m = "%+.1f/%+.1f MB" % (b.mb(r.parent_kb - z.parent_kb), b.mb(r.worker_kb - z.worker_kb))
                else:
                    extra_t = extra_c = extra_m = "—"
                tail = "%.0f ms" % (r.tail * 1000) if r.tail is not None else "—"
                print(row(mode, str(j), str(n), "%.2f s" % r.wall, "%.2f s" % r.cpu, "%.0f" % (n / r.wall), mem,
                          extra_t, extra_c, extra_m, tail), flush=True)
                scale.setdefault(mode, {})[(n, j)] = r

        z, p = base.get(1), scale.get("--previous 上一年度", {}).get((n, 1))
        if z and p:
            # --previous checks last year's reports too: about one more
            # baseline; what is left is fingerprinting, pairing, comparing
            left = p.cpu - 2 * z.cpu
            print("--previous 多用的 CPU 时间减去再检查一次（上一年度报告）：%.2f s，每份报告 %.3f ms"
                  "（指纹、按单位配对、逐句比对和沿用/对照规则；--jobs 1）" % (left, left / n * 1000))
            scale.setdefault("prev-left", {})[n] = left / n
        st = [r.tail for (m, j), r in scale.get("--similar", {}).items() if m == n and r.tail is not None]
        zt = [r.tail for r in base.values() if r.tail is not None]
        if st and zt:
            d = (min(st) - min(zt)) * 1000
            print("--similar 的配对步骤（收尾之差，各次运行中最短的收尾相减）：%s"
                  % ("约 %.0f ms" % d if d >= 5 else "不到 5 ms（在测量误差之内）"))

        # what the runs found: one run each with --json
        r, data = json_run(prev_args, cur)
        if data is None:
            print("--previous 的 JSON 核对运行失败（退出码 %d）：%s" % (r.rc, r.stderr.strip()[:300]))
        else:
            reps = data["reports"]
            paired = [x for x in reps if x.get("previous")]
            same = sum(1 for x in paired if number(x["file"]) == number(x["previous"]["file"]))
            reused = [x["previous"]["reused"] for x in paired if x["previous"].get("reused") is not None]
            print("--previous 配对：%d/%d 份报告配对到上一年度报告（JSON 中有 previous），其中 %d 份配对到同一编号（同一单位）的报告；"
                  "全文沿用比例中位数 %s" % (len(paired), len(reps), same,
                                     "%.0f%%" % (sorted(reused)[len(reused) // 2] * 100) if reused else "—"))
        r, data = json_run(["--similar"], cur)
        if data is None or "similar" not in data:
            print("--similar 的 JSON 核对运行失败（退出码 %d）：%s" % (r.rc, r.stderr.strip()[:300]))
        else:
            sim = data["similar"]
            found = set()
            for p in sim["pairs"]:
                x, y = sorted(number(f) for f in p["files"])
                found.add((x, y))
            want = expected_pairs(n, b)
            hit = len(found & want)
            print("--similar：找到 %d 对内容雷同的报告，%d 句作为套话不计；植入（%.0f%% 的报告抄入另一单位报告的一段）"
                  "的应有 %d 对，找到 %d 对（召回 %s），其余 %d 对"
                  % (len(found), sim["boilerplate"], PLANT * 100, len(want), hit,
                     "%.0f%%" % (100 * hit / len(want)) if want else "—", len(found - want)))
            sc = sentence_counts(cur)
            print("  本批句子（Python 粗略切句估计）：出现 %d 次，不同的 %d 句，其中套话 %d 句；"
                  "共有非套话句子的报告对 %d 个"
                  % (sc["occ"], sc["distinct"], sc["boiler"], sc["cand"]))
            scale.setdefault("sentences", {})[n] = sc
        # what the extra memory is per unit of input
        z, p, q = base.get(1), scale.get("--previous 上一年度", {}).get((n, 1)), scale.get("--similar", {}).get((n, 1))
        sc = scale.get("sentences", {}).get(n)
        if z and p:
            print("--previous 父进程多用的内存（--jobs 1）：每份上一年度报告 %.2f KB（索引：每句 8 字节的句子哈希、"
                  "每个四字片段 4 字节的哈希、下一年度安排的各项）；工作进程多出的是 fork 时继承的同一份索引"
                  "（共享的页，但计入每个工作进程的常驻内存，也就计入 --memory 的上限）"
                  % ((p.parent_kb - z.parent_kb) / n))
        if z and q and sc:
            extra = (q.parent_kb - z.parent_kb) * 1024
            print("--similar 父进程多用的内存（--jobs 1）：%.1f MB，按上面估计的句子数为每次出现 %.0f 字节、每个不同的句子 %.0f 字节"
                  % (b.mb(q.parent_kb - z.parent_kb), extra / sc["occ"], extra / sc["distinct"]))

        # the generator without own paragraphs: bench's own corpus
        plain = b.shard_dirs("txt", n)
        r, data = json_run(["--similar"], plain)
        if data is not None and "similar" in data:
            sim = data["similar"]
            print("对照：bench 主语料（同一生成器，没有独有的段落）%d 份上 --similar 找到 %d 对，%d 句作为套话不计"
                  "——样本只有 %d 份短文，几乎每句都出现在 50 份以上的报告中"
                  % (n, len(sim["pairs"]), sim["boilerplate"], len(samples(b))))

        # many reports sharing unusual text: what the pairing step costs
        dense = corpus_dirs("dense", n, b)
        j = b.NCPU
        zd = measure([b.BIN, "check", "--rules", b.RULES, *quiet, "--jobs", str(j), *dense])
        sd = measure([b.BIN, "check", "--rules", b.RULES, *quiet, "--jobs", str(j), "--similar", *dense])
        r, data = json_run(["--similar"], dense)
        if zd.rc in (0, 1) and sd.rc in (0, 1) and data is not None and "similar" in data:
            npairs = len(data["similar"]["pairs"])
            inside = sum(1 for q in data["similar"]["pairs"]
                         if len({number(f) // DENSE_GROUP for f in q["files"]}) == 1)
            groups = n // DENSE_GROUP
            keys = groups * DENSE_SENTENCES * DENSE_GROUP * (DENSE_GROUP - 1) // 2
            print("高重合变体（同一语料，每 %d 份报告另有同一段 %d 句：出现在 %d 份中，没有超过 50 份，也不到两成，不算套话）"
                  "--jobs %d：只检查 %.2f s、父进程 %.1f MB；--similar %.2f s（%+.2f s）、父进程 %.1f MB（%+.1f MB），"
                  "收尾 %.0f ms（基线 %.0f ms）；找到 %d 对，其中组内 %d 对（%d 组 × %d 对 = %d），"
                  "报告对与共有句子的组合约 %d 个（配对时逐份计数，不存放；植入的 4 句在这里不到较短一份的三成，不计）"
                  % (DENSE_GROUP, DENSE_SENTENCES, DENSE_GROUP, j, zd.wall, b.mb(zd.parent_kb), sd.wall,
                     sd.wall - zd.wall, b.mb(sd.parent_kb), b.mb(sd.parent_kb - zd.parent_kb), (sd.tail or 0) * 1000,
                     (zd.tail or 0) * 1000, npairs, inside, groups, DENSE_GROUP * (DENSE_GROUP - 1) // 2,
                     groups * DENSE_GROUP * (DENSE_GROUP - 1) // 2, keys), flush=True)
            scale.setdefault("dense", {})[n] = (zd, sd, npairs, keys)
        else:
            print("高重合变体运行失败：%s" % (sd.stderr or zd.stderr or r.stderr).strip()[:300])

    # ------------------------------------------------------------ scaling
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        print("\n-- 内存随规模：%d 份 → %d 份（报告数 ×%.0f） --" % (lo, hi, hi / lo))
        SW = (-22, 6, 24, 24, 14)
        print(b.cols(*zip(("模式", "进程数", "%d 份 父/工作" % lo, "%d 份 父/工作" % hi, "父进程之比"), SW)))
        for mode in ("只检查（基线）", "--previous 上一年度", "--similar"):
            for j in jobs_list:
                a, z = scale.get(mode, {}).get((lo, j)), scale.get(mode, {}).get((hi, j))
                if not (a and z):
                    continue
                print(b.cols(*zip((mode, str(j), "%.1f/%.1f MB" % (b.mb(a.parent_kb), b.mb(a.worker_kb)),
                                   "%.1f/%.1f MB" % (b.mb(z.parent_kb), b.mb(z.worker_kb)),
                                   "×%.2f" % (z.parent_kb / a.parent_kb)), SW)))
        for mode in ("--previous 上一年度", "--similar"):
            for j in jobs_list[-1:]:
                a, z = scale.get(mode, {}).get((lo, j)), scale.get(mode, {}).get((hi, j))
                ba, bz = scale["只检查（基线）"].get((lo, j)), scale["只检查（基线）"].get((hi, j))
                if a and z and ba and bz:
                    ea, ez = a.parent_kb - ba.parent_kb, z.parent_kb - bz.parent_kb
                    print("%s 父进程比基线多用的内存（--jobs %d）：%.1f MB → %.1f MB（×%s）"
                          % (mode, j, b.mb(ea), b.mb(ez), "%.1f" % (ez / ea) if ea > 0 else "—"))
        pl = scale.get("prev-left", {})
        if lo in pl and hi in pl:
            print("--previous 每份报告的比对用时（见上）：%.3f ms → %.3f ms（×%.1f；不随上一年度报告数增长时应约为 ×1）"
                  % (pl[lo] * 1000, pl[hi] * 1000, pl[hi] / pl[lo] if pl[lo] > 0 else 0))
        dn = scale.get("dense", {})
        if lo in dn and hi in dn:
            (za, sa, pa, ka), (zz, sz, pz, kz) = dn[lo], dn[hi]
            print("高重合变体：--similar 父进程多用的内存 %.1f MB → %.1f MB，报告对 %d → %d，报告对与共有句子的组合 %d → %d："
                  "内存随句子出现次数和找到的报告对增长（共有句子按份逐一计数，不存放组合），不是随全部 N² 对"
                  % (b.mb(sa.parent_kb - za.parent_kb), b.mb(sz.parent_kb - zz.parent_kb), pa, pz, ka, kz))
        s = scale.get("sentences", {})
        if lo in s and hi in s:
            a, z = s[lo], s[hi]
            print("对照（Python 估计）：句子出现次数 ×%.1f，不同的句子 ×%.1f，非套话句子的报告对 ×%.1f；"
                  "找到的报告对见上"
                  % (z["occ"] / a["occ"], z["distinct"] / a["distinct"],
                     z["cand"] / a["cand"] if a["cand"] else 0))

    print("\n说明：基线为同一批本年度报告的只检查；--previous 另外检查同样多份上一年度报告（在 fzcheck 中也是一次完整检查），"
          "所以多用的时间约为一次基线。“收尾”为最后一个工作进程结束到 fzcheck 退出的时间（每 5 ms 读取一次 /proc，取各次运行中最短的），"
          "--similar 的配对步骤（fz_similar_pairs）在这段时间内，与基线的收尾之差即其用时的估计。"
          "内存的增量在 1000 份时只有零点几 MB 到 2 MB，与 malloc 留下的余量相当，1000 → 10000 的比值以 10000 份时的每份、每句数字为准。"
          "配对、套话和召回的数字来自另一次带 --json 的运行（--jobs %d），不计入表中的耗时。每种运行做 %d 次（BENCH_RUNS），"
          "耗时取最快，内存取最大。跨报告对照部分用时 %.0f 秒。" % (b.NCPU, runs, time.perf_counter() - t_start))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import bench  # noqa: E402
    if len(sys.argv) > 1:
        bench.BIN = sys.argv[1]
    os.makedirs(bench.ROOT, exist_ok=True)
    section(bench, [int(s) for s in sys.argv[2].split(",") if s] if len(sys.argv) > 2 else None)
