"""A crash or hang of the durable_rules engine is detected, reported and survived."""

from __future__ import annotations

import os
import time
from multiprocessing.connection import Connection

import pytest

from kiosk.engine.analysis import worlds
from kiosk.engine.checker import LoadedData
from kiosk.engine.durable_classifier import DurableClassifier
from kiosk.engine.rules import RuleSet
from kiosk.engine.supervised import SupervisedClassifier, _serve


def crash_on_third(conn: Connection, ruleset: RuleSet) -> None:
    """An engine that dies hard on its third request (as a segfault would)."""
    for _ in range(2):
        conn.recv()
        conn.send([])
    conn.recv()
    os._exit(139)


def hang(conn: Connection, ruleset: RuleSet) -> None:
    """An engine that never answers (as a 512-rule rule set would)."""
    conn.recv()
    time.sleep(3600)


@pytest.fixture(scope="module")
def samples(demo: LoadedData) -> list[dict]:
    return list(worlds(demo.ruleset, demo.catalogue))[:300]


def test_supervised_engine_agrees_with_the_in_process_one(
    demo: LoadedData, samples: list[dict]
) -> None:
    direct = DurableClassifier(demo.ruleset)
    supervised = SupervisedClassifier(demo.ruleset, serve=_serve)
    try:
        for facts in samples:
            assert supervised.evaluate(facts) == direct.evaluate(facts)
        assert supervised.restarts == 0
    finally:
        supervised.close()


@pytest.mark.parametrize("serve", [crash_on_third, hang])
def test_crash_or_hang_is_survived_with_the_same_answer(
    demo: LoadedData,
    samples: list[dict],
    serve,
    caplog: pytest.LogCaptureFixture,  # type: ignore[no-untyped-def]
) -> None:
    direct = DurableClassifier(demo.ruleset)
    supervised = SupervisedClassifier(demo.ruleset, timeout=0.5, serve=serve)
    try:
        everything = worlds(demo.ruleset, demo.catalogue)
        facts = next(f for f in everything if direct.evaluate(f).outcome == "incomplete")
        answers = [supervised.evaluate(facts) for _ in range(4)]
        assert supervised.restarts >= 1 and supervised.fallbacks >= 1
        assert "规则引擎" in caplog.text
        # The Python fallback decides exactly as durable_rules would have.
        expected = direct.evaluate(facts)
        if serve is hang:
            assert answers == [expected] * 4
        else:
            assert expected in answers
    finally:
        supervised.close()


def test_replace_restarts_the_engine_with_new_rules(demo: LoadedData, samples: list[dict]) -> None:
    supervised = SupervisedClassifier(demo.ruleset)
    try:
        first = supervised._process.pid
        supervised.replace(demo.ruleset)
        assert supervised._process.pid != first
        assert supervised.evaluate(samples[0]).outcome
    finally:
        supervised.close()
