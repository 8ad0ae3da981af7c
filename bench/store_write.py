"""Latency of one durable case add() at 100, 10,000 and 100,000 stored cases, vs plain TinyDB."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tinydb import JSONStorage, TinyDB

from kiosk.domain.cases import Case, TimelineEntry, format_case_number
from kiosk.store import AtomicJSONStorage, TinyDbCaseRepository
from kiosk.store.partitions import TABLE, Layout, Partition

CENTRE = "HJ"
PER_DAY = 150  # cases per working day at a busy centre
TODAY = date(2026, 11, 27)
WORDS = (
    "申请人反映办理营业执照变更登记时窗口告知材料不全但清单中未列明该项材料请求说明依据并给予答复"
)


def make_case(rng: random.Random, day: date, minute: int) -> Case:
    """A realistic case of about 1 KB of UTF-8 JSON.

    Args:
        rng: Source of varied text.
        day: The day it was created.
        minute: Minutes after 08:30, to vary the timestamp.

    Returns:
        An unnumbered case.
    """
    at = f"{day.isoformat()}T{8 + (30 + minute) // 60 % 10:02d}:{(30 + minute) % 60:02d}:00+08:00"
    text = "".join(rng.choice(WORDS) for _ in range(150))
    return Case(
        created_at=at,
        outcome=rng.choice(["grey_zone", "refer", "consult"]),
        request={
            "matter": f"m-{rng.randrange(1, 400):04d}",
            "description": text,
            "facts": {"has_id": True, "materials": ["身份证", "营业执照副本"], "urgent": False},
        },
        decision={
            "outcome": "grey_zone",
            "reply_due": (day + timedelta(days=7)).isoformat(),
            "rules_fired": ["R-012", "R-031"],
            "ruleset_version": "9f2c1e7a",
        },
        applicant={"name": "张三", "phone": f"138{rng.randrange(10**8):08d}"},
        timeline=[
            TimelineEntry(at=at, actor="窗口三", role="clerk", action="登记", note="现场受理")
        ],
    )


def working_days(before: date) -> Iterator[date]:
    """Monday-to-Friday days, going back from the day before ``before``.

    Args:
        before: The first day not yielded.

    Yields:
        Earlier and earlier working days.
    """
    day = before
    while True:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            yield day


def history(rng: random.Random, total: int) -> Iterator[tuple[date, list[Case]]]:
    """``total`` cases, PER_DAY per working day, ending the working day before TODAY.

    Args:
        rng: Source of varied text.
        total: How many cases.

    Yields:
        (day, that day's cases), newest day first.
    """
    left = total
    for day in working_days(TODAY):
        if left <= 0:
            return
        n = min(PER_DAY, left)
        left -= n
        yield day, [make_case(rng, day, i * 3) for i in range(n)]


def prefill_store(root: Path, total: int, rng: random.Random, chunk_size: int | None) -> None:
    """Write ``total`` cases as chunk files through AtomicJSONStorage (not one add() each).

    Args:
        root: A new store directory.
        total: How many cases.
        rng: Source of varied text.
        chunk_size: Chunk size of the new store, or None for the default.
    """
    layout = Layout(root / "cases", TinyDbCaseRepository(root, chunk_size=chunk_size).chunk_size)
    for day, cases in history(rng, total):
        chunks: dict[Partition, dict[str, Any]] = {}
        for seq, case in enumerate(cases, start=1):
            case.number = format_case_number(CENTRE, day, seq)
            chunks.setdefault(layout.partition(CENTRE, day, seq), {})[str(seq)] = case.to_dict()
        for partition, docs in chunks.items():
            AtomicJSONStorage(layout.path(partition)).write({TABLE: docs})


def prefill_plain(path: Path, total: int, rng: random.Random) -> None:
    """One TinyDB JSONStorage file holding ``total`` cases, written in one go.

    Args:
        path: The JSON file.
        total: How many cases.
        rng: Source of varied text.
    """
    docs: dict[str, dict[str, Any]] = {}
    for _day, cases in history(rng, total):
        for case in cases:
            docs[str(len(docs) + 1)] = case.to_dict()
    path.write_text(json.dumps({"_default": docs}), encoding="utf-8")


def timed(action: Any) -> float:
    """Milliseconds one call takes."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def bench_store(
    work: Path, total: int, samples: int, rng: random.Random, chunk_size: int | None = None
) -> dict[str, float]:
    """Measure real add() calls (and get/count/list) on a store holding ``total`` cases.

    Args:
        work: Scratch directory.
        total: Cases stored before measuring.
        samples: Number of add() calls measured (PER_DAY per day from TODAY on).
        rng: Source of varied text.
        chunk_size: Chunk size of the new store, or None for the default.

    Returns:
        Figures in milliseconds.
    """
    root = work / f"store-{total}"
    prefill_store(root, total, rng, chunk_size)
    repo = TinyDbCaseRepository(root)
    add_ms = []
    days = (TODAY + timedelta(days=i) for i in range(samples))
    day = next(days)
    for i in range(samples):
        if i and i % PER_DAY == 0:
            day = next(days)
        case = make_case(rng, day, i % PER_DAY * 3)
        add_ms.append(timed(lambda case=case: repo.add(case, CENTRE)))
    last = format_case_number(CENTRE, TODAY, 1)
    count_ms = timed(lambda: repo.count())
    assert repo.count() == total + samples
    return {
        "median": statistics.median(add_ms),
        "p99": percentile(add_ms, 99),
        "max": max(add_ms),
        "get": statistics.median(timed(lambda: repo.get(last)) for _ in range(20)),
        "list_day": timed(lambda: list(repo.list(TODAY, TODAY))),
        "count": count_ms,
    }


def bench_plain(work: Path, total: int, samples: int, rng: random.Random) -> float:
    """Median milliseconds of one insert into a plain TinyDB JSONStorage file.

    Args:
        work: Scratch directory.
        total: Cases in the file before measuring.
        samples: Inserts measured.
        rng: Source of varied text.

    Returns:
        The median.
    """
    path = work / f"plain-{total}.json"
    prefill_plain(path, total, rng)
    db = TinyDB(path, storage=JSONStorage)
    table = db.table("_default")
    times = [
        timed(lambda: table.insert(make_case(rng, TODAY, 0).to_dict())) for _ in range(samples)
    ]
    db.close()
    path.unlink()
    return statistics.median(times)


def main(argv: list[str]) -> int:
    """Run the benchmark and print a table.

    Args:
        argv: Command-line arguments (see --help).

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--samples", type=int, default=300, help="add() calls per size")
    parser.add_argument("--no-plain-100k", action="store_true", help="skip plain TinyDB at 100k")
    parser.add_argument("--chunk-size", type=int, default=None, help="chunk size of new stores")
    parser.add_argument("--dir", type=Path, default=None, help="scratch dir (same disk as a store)")
    args = parser.parse_args(argv)

    rng = random.Random(1127)
    size = len(json.dumps(make_case(rng, TODAY, 0).to_dict(), ensure_ascii=False).encode())
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        work = Path(scratch)
        chunk = TinyDbCaseRepository(work / "probe", chunk_size=args.chunk_size).chunk_size
        print(
            f"case ≈ {size} B, {PER_DAY}/working day, chunk ≤ {chunk} cases, "
            f"{args.samples} add() per size, fsync on {work} ({os.uname().sysname})"
        )
        header = (
            f"{'stored':>8} | {'add med':>8} {'add p99':>8} {'add max':>8} | "
            f"{'get':>6} {'list 1d':>7} {'count':>8} | {'plain TinyDB insert':>19}"
        )
        print(header)
        print("-" * len(header))
        for total in args.sizes:
            figures = bench_store(work, total, args.samples, rng, args.chunk_size)
            plain = "skipped"
            if not (total >= 100_000 and args.no_plain_100k):
                inserts = 30 if total <= 1_000 else (10 if total <= 10_000 else 3)
                plain = f"{bench_plain(work, total, inserts, rng):,.1f} ms"
            print(
                f"{total:>8,} | {figures['median']:>5.2f} ms {figures['p99']:>5.2f} ms "
                f"{figures['max']:>5.1f} ms | {figures['get']:>3.2f}ms {figures['list_day']:>5.1f}ms "
                f"{figures['count']:>6.0f}ms | {plain:>19}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
