"""Benchmark: classification latency against the bare cost of one durable_rules post."""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from durable import engine

from kiosk.bootstrap import build_services
from kiosk.domain.facts import derive_facts
from kiosk.domain.request import parse_request

N = 10_000


def measure(fn: Callable[[Any], Any], inputs: list[Any]) -> tuple[float, float]:
    """Median and p99 in microseconds of fn over inputs."""
    for item in inputs[:200]:
        fn(item)  # warm up
    times = []
    for item in inputs:
        start = time.perf_counter_ns()
        fn(item)
        times.append((time.perf_counter_ns() - start) / 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def requests(catalogue: Any, rng: random.Random) -> list[dict[str, Any]]:
    """A realistic random mix of requests over the demo centre."""
    matters = list(catalogue.matters.values())
    out = []
    for _ in range(N):
        matter = rng.choice([None, *matters, *matters])
        conditions = (
            {c.id: rng.choice([True, True, True, False, None]) for c in matter.conditions}
            if matter
            else {}
        )
        out.append(
            {
                "matter": matter.id if matter else None,
                "at_window": rng.choice([None, None, *catalogue.windows]),
                "conditions": conditions,
                "legal_basis": rng.choice(["clear"] * 9 + ["unclear"]),
                "major": rng.random() < 0.05,
                "departments": rng.sample(list(catalogue.units), rng.choice([0, 0, 0, 1, 2])),
                "received_at": "2026-11-27T10:30:00+08:00",
            }
        )
    return out


def bare_post() -> Callable[[int], None]:
    """One durable_rules fact assertion on a one-rule rule set, state deleted after."""

    class Host(engine.Host):  # type: ignore[misc]
        def _run(self) -> None:
            return None

    host = Host()
    host.register_rulesets({"bare": {"r": {"all": [{"m": {"x": 1}}], "run": lambda c: None}}})

    def post(i: int) -> None:
        host.assert_fact("bare", {"sid": str(i), "x": 1})
        host.delete_state("bare", str(i))

    return post


def main() -> None:
    """Print the figures."""
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else None  # another centre pack
    services = build_services(data_dir)
    rng = random.Random(7)
    data = requests(services.catalogue, rng)
    now = services.clock()
    facts = [
        derive_facts(parse_request(r, services.catalogue, now), services.catalogue) for r in data
    ]
    rows = [
        ("bare durable_rules assert_fact (1 rule)", measure(bare_post(), list(range(N)))),
        (
            f"rules only: DurableClassifier.evaluate ({len(services.classifier.ruleset.rules)} rules)",
            measure(services.classifier.evaluate, facts),
        ),
        (
            "full path: kiosk classify service (parse+rules+decision)",
            measure(services.classification.classify, data),
        ),
    ]
    print(f"classification latency over {N:,} requests (microseconds)")
    print(f"{'what':<62}{'median':>9}{'p99':>9}")
    for name, (median, p99) in rows:
        print(f"{name:<62}{median:>9.1f}{p99:>9.1f}")


if __name__ == "__main__":
    main()
