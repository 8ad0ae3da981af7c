"""Benchmark: per-keystroke matter search latency on the demo centre and on 5,000 synthetic matters."""

from __future__ import annotations

import dataclasses
import random
import statistics
import string
import sys
import time
from pathlib import Path

from kiosk.domain.catalogue import Catalogue
from kiosk.engine.checker import load_data
from kiosk.search import PinyinMatterSearch, full_pinyin, initials

SYNTHETIC_MATTERS = 5_000
BUDGET_MS = 15.0
SCENARIOS = [
    "yyzz", "yingye", "yyzhizhao", "yingyezhizhao", "shebaoka", "sbk", "社保卡", "sfzbl",
    "shenfenzheng", "身份证补领", "gongjijin", "gjjtq", "kaifandian", "hukou", "guohu",
    "shbzkbh", "社保ka", "YY ZZ", "xinbannashuiren", "geshui",
]  # fmt: skip
QUALIFIERS = [
    "城乡", "企业", "个人", "住房", "医疗", "食品", "社会", "不动产", "公共场所", "民办",
    "农村", "城市", "外来务工", "退役军人", "残疾人", "老年人", "学生", "港澳台", "境外",
    "特种设备", "道路运输", "建筑施工", "排污", "药品", "烟草", "林木", "渔业", "水利",
    "文化", "广播电视", "出版物", "旅游", "人力资源", "劳务派遣", "消防", "燃气", "供热",
]  # fmt: skip
ACTIONS = [
    "登记", "申领", "变更", "注销", "补办", "换领", "许可", "备案", "审批", "核准", "认定",
    "年检", "查询", "证明", "延续", "撤销", "提取", "补贴申领", "资格认定", "信息变更",
]  # fmt: skip


def synthetic_catalogue(base: Catalogue, size: int, rng: random.Random) -> Catalogue:
    """A catalogue of `size` matters whose names and keywords recombine the demo's words."""
    demo = list(base.matters.values())
    cores = sorted(
        {m.name[:-2] for m in demo if len(m.name) > 4} | {k for m in demo for k in m.keywords}
    )
    keywords = sorted({k for m in demo for k in m.keywords})
    matters = {}
    for i in range(size):
        template = demo[i % len(demo)]
        name = rng.choice(QUALIFIERS) + rng.choice(cores) + rng.choice(ACTIONS)
        words = tuple(
            rng.choice(["", "办", "申请", *QUALIFIERS[:8]]) + rng.choice(keywords)
            for _ in range(rng.randint(5, 9))
        )
        mid = f"{template.id}_{i:04d}"
        matters[mid] = dataclasses.replace(template, id=mid, name=name, keywords=words)
    return dataclasses.replace(base, matters=matters)


def keystrokes(catalogue: Catalogue, rng: random.Random, samples: int = 300) -> list[str]:
    """Every prefix of realistic queries: scenarios, names/keywords typed in full pinyin,
    initials or Chinese, and random typos."""
    matters = list(catalogue.matters.values())
    queries = list(SCENARIOS)
    for _ in range(samples):
        matter = rng.choice(matters)
        text = rng.choice([matter.name, *matter.keywords])
        queries.append(rng.choice([full_pinyin(text)[:16], initials(text), text[:6]]))
    queries += ["".join(rng.choices(string.ascii_lowercase, k=10)) for _ in range(samples // 3)]
    return [q[:n] for q in queries for n in range(1, len(q) + 1)]


def measure(search: PinyinMatterSearch, inputs: list[str]) -> list[float]:
    """Milliseconds per search() call, one per keystroke."""
    for query in inputs[:100]:
        search.search(query)  # warm up (pattern cache, lazy pypinyin dictionaries)
    times = []
    for query in inputs:
        start = time.perf_counter_ns()
        search.search(query)
        times.append((time.perf_counter_ns() - start) / 1e6)
    return sorted(times)


def report(label: str, catalogue: Catalogue, rng: random.Random) -> float:
    """Build the index, time every keystroke, print the figures; return p99 in ms."""
    start = time.perf_counter()
    search = PinyinMatterSearch(catalogue)
    build_ms = (time.perf_counter() - start) * 1000
    times = measure(search, keystrokes(catalogue, rng))
    p99 = times[int(len(times) * 0.99) - 1]
    print(
        f"{label:<22} matters={len(catalogue.matters):>5}  index build {build_ms:8.1f} ms  "
        f"keystrokes={len(times):>5}  median {statistics.median(times):6.3f} ms  "
        f"p99 {p99:6.3f} ms  max {times[-1]:6.3f} ms"
    )
    return p99


def main() -> int:
    """Print median/p99 per keystroke; exit 1 when a p99 exceeds the 15 ms budget."""
    root = Path(__file__).resolve().parents[1]
    demo = load_data(root).catalogue
    rng = random.Random(20261127)
    p99s = [
        report("demo centre", demo, rng),
        report("synthetic catalogue", synthetic_catalogue(demo, SYNTHETIC_MATTERS, rng), rng),
    ]
    print(f"budget: p99 < {BUDGET_MS} ms per keystroke")
    return 0 if max(p99s) < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
