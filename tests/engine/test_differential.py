"""Differential tests: the durable_rules classifier against the plain reference evaluator."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kiosk.domain.catalogue import Catalogue
from kiosk.domain.facts import derive_facts, place_facts
from kiosk.domain.request import RequestError, parse_request
from kiosk.engine.checker import LoadedData
from kiosk.engine.durable_classifier import DurableClassifier
from tests.conftest import FIXED_NOW
from tests.engine.reference_evaluator import ReferenceEvaluator

DEFAULT_COUNT = 20_000
SOAK_COUNT = 120_000


@pytest.fixture(scope="module")
def reference(data_dir: Path) -> ReferenceEvaluator:
    """The reference evaluator on the bundled rules."""
    return ReferenceEvaluator.from_file(data_dir / "rules" / "scenarios.yaml")


@pytest.fixture(scope="module")
def classifier(demo: LoadedData) -> DurableClassifier:
    """The durable_rules classifier on the bundled rules."""
    return DurableClassifier(demo.ruleset)


class _TextDates(yaml.SafeLoader):
    """safe_load, but timestamps stay text (an error case holds an impossible date)."""


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", _TextDates.construct_yaml_str)


def _iso(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def _rule_test_requests(data_dir: Path) -> Iterator[tuple[str, Any]]:
    for path in sorted((data_dir / "rules" / "tests").glob("*.yaml")):
        root = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)  # noqa: S506
        for case in root["cases"]:
            yield f"{path.name}: {case['name']}", _iso(case["request"])


def random_facts(rng: random.Random, catalogue: Catalogue) -> dict[str, Any]:
    """Random facts a valid request could produce, consistent with the catalogue."""
    matters = list(catalogue.matters.values())
    windows = list(catalogue.windows.values())
    matter = rng.choice(matters) if rng.random() < 0.8 else None
    window = rng.choice(windows) if rng.random() < 0.6 else None
    unmet = rng.randint(0, len(matter.conditions)) if matter else 0
    if matter and rng.random() < 0.4:
        unmet = 0  # make "all met" common enough to reach handle/redirect
    return {
        **place_facts(matter, window),
        "all_conditions_met": unmet == 0,
        "unmet_count": unmet,
        "legal_basis": rng.choice(("clear", "clear", "unclear")),
        "major": rng.random() < 0.25,
        "department_count": rng.choice((0, 0, 1, 2, 3, rng.randint(0, len(catalogue.units)))),
        "has_description": rng.random() < 0.7,
    }


def _compare(
    classifier: DurableClassifier, reference: ReferenceEvaluator, facts: dict[str, Any]
) -> str:
    verdict = classifier.evaluate(facts)
    ours = (verdict.outcome, dict(verdict.effects), tuple(verdict.rules_fired))
    theirs = reference.evaluate(facts)
    return "" if ours == theirs else f"facts {facts}: durable {ours} != reference {theirs}"


def test_agrees_on_every_rule_test_case(
    demo: LoadedData,
    data_dir: Path,
    classifier: DurableClassifier,
    reference: ReferenceEvaluator,
) -> None:
    """Every request of rules/tests/*.yaml gets the same verdict from both evaluators."""
    compared = 0
    disagreements = []
    for name, data in _rule_test_requests(data_dir):
        try:
            request = parse_request(data, demo.catalogue, FIXED_NOW)
        except RequestError:
            continue  # a case that expects the request to be refused
        problem = _compare(classifier, reference, derive_facts(request, demo.catalogue))
        if problem:
            disagreements.append(f"{name}: {problem}")
        compared += 1
    assert compared >= 50
    assert not disagreements, "\n".join(disagreements)


def _run_generated(
    count: int,
    seed: int,
    demo: LoadedData,
    classifier: DurableClassifier,
    reference: ReferenceEvaluator,
) -> dict[str, int]:
    rng = random.Random(seed)
    outcomes: dict[str, int] = {}
    disagreements = []
    for _ in range(count):
        facts = random_facts(rng, demo.catalogue)
        problem = _compare(classifier, reference, facts)
        if problem:
            disagreements.append(problem)
        outcome = reference.evaluate(facts)[0]
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert not disagreements, f"{len(disagreements)} disagreements, first: {disagreements[0]}"
    return outcomes


def test_agrees_on_generated_requests(
    demo: LoadedData, classifier: DurableClassifier, reference: ReferenceEvaluator
) -> None:
    """20,000 random catalogue-consistent fact sets: identical outcome, effects and rules."""
    outcomes = _run_generated(DEFAULT_COUNT, 20261127, demo, classifier, reference)
    # Every outcome is reached, so the comparison exercises every outcome rule family.
    assert set(outcomes) == {"handle", "incomplete", "redirect", "escalate", "grey_zone"}


@pytest.mark.slow
def test_agrees_on_many_generated_requests(
    demo: LoadedData, classifier: DurableClassifier, reference: ReferenceEvaluator
) -> None:
    """120,000 more random fact sets (make soak)."""
    start = time.perf_counter()
    outcomes = _run_generated(SOAK_COUNT, 6, demo, classifier, reference)
    print(f"compared {SOAK_COUNT} in {time.perf_counter() - start:.1f}s: {outcomes}")
    assert sum(outcomes.values()) == SOAK_COUNT


def test_agrees_on_every_combination_of_places(
    demo: LoadedData, classifier: DurableClassifier, reference: ReferenceEvaluator
) -> None:
    """Exhaustive over matter × window × the request answers that rules test."""
    catalogue = demo.catalogue
    matters = [None, *catalogue.matters.values()]
    windows = [None, *catalogue.windows.values()]
    compared = 0
    for matter in matters:
        for window in windows:
            for unmet in sorted({0, 1, len(matter.conditions) if matter else 0}):
                for legal_basis in ("clear", "unclear"):
                    for major in (False, True):
                        for departments in (0, 2):
                            facts = {
                                **place_facts(matter, window),
                                "all_conditions_met": unmet == 0,
                                "unmet_count": unmet,
                                "legal_basis": legal_basis,
                                "major": major,
                                "department_count": departments,
                                "has_description": bool(departments),
                            }
                            assert not _compare(classifier, reference, facts)
                            compared += 1
    assert compared > 1000
