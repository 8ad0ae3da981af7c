"""Property-based fuzzing of the rules, pack and calendar files and of `kiosk classify` input."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.domain.request import RequestError
from kiosk.domain.services import ClassificationService
from kiosk.engine.calendar_loader import load_calendar
from kiosk.engine.checker import LoadedData, RulesReloader, check_data
from kiosk.engine.durable_classifier import DurableClassifier
from kiosk.engine.pack import load_pack
from kiosk.engine.rules import parse_rules, schema_for
from kiosk.engine.yamlsrc import Problem, SourceError
from tests.conftest import FIXED_NOW

PROBLEM_LINE = re.compile(r"^[^:]+:\d+: .+")
SCALARS = [
    "", "0", "-1", "65536", "true", "null", "~", "[]", "{}", "x", "'", '"', "*a", "&a x",
    "!!python/object:os.system", "2026-13-45", "1e309", "{not: [1, 2]}", "{at_least: x}",
    "[handle, 3]", "escalate", "flag", "grey_zone", "unclear", "12:00", "99:99", "中文",
    "{from: 2026-01-01}", "- a", "? x", "|", ">", "%YAML 1.1", "\t", "a: b: c",
]  # fmt: skip
GARBAGE = st.one_of(
    st.sampled_from(["---", "...", "  - ", ":", "- {", "}", "]", "#", "\ufeff", "\x00", "rules:"]),
    st.text(max_size=30),
)
# `make soak` (KIOSK_SOAK=1) tries ten times as many inputs.
SCALE = 10 if os.environ.get("KIOSK_SOAK") else 1
FUZZ = settings(
    max_examples=150 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """A valid file with one to four line-level mutations."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "scalar", "garbage", "truncate"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "scalar" and ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(SCALARS))}"
        elif op == "garbage":
            lines.insert(i, draw(GARBAGE))
        elif op == "truncate":
            joined = "\n".join(lines)
            lines = joined[: draw(st.integers(0, len(joined)))].splitlines()
    return "\n".join(lines) + "\n"


def assert_problem_lines(problems: list[Problem] | list[str]) -> None:
    """Every problem reads `file:line: message` on one line."""
    for problem in problems:
        for line in str(problem).splitlines() or [""]:
            assert PROBLEM_LINE.match(line), f"not file:line: message: {line!r}"
    assert len(str("\n".join(map(str, problems))).splitlines()) == len(problems)


def assert_loads_or_source_error(load: Callable[[], Any]) -> None:
    """The loader succeeds, or raises SourceError with `file:line: message` lines only."""
    try:
        load()
    except SourceError as error:
        assert error.problems, "SourceError without problems"
        assert_problem_lines(error.problems)


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """A private copy of the demo data directory the fuzzers may overwrite."""
    target = tmp_path_factory.mktemp("fuzzdata")
    shutil.copytree(data_dir / "guides", target / "guides")
    shutil.copytree(data_dir / "rules", target / "rules")
    return target


def _swapped(path: Path, text: str) -> Iterator[None]:
    original = path.read_bytes()
    path.write_text(text, encoding="utf-8")
    try:
        yield
    finally:
        path.write_bytes(original)


RULES_TEXT = (Path(__file__).resolve().parents[2] / "rules" / "scenarios.yaml").read_text(
    encoding="utf-8"
)
CALENDAR_TEXT = (Path(__file__).resolve().parents[2] / "rules" / "calendar.yaml").read_text(
    encoding="utf-8"
)
CENTRE_TEXT = (Path(__file__).resolve().parents[2] / "guides" / "centre.yaml").read_text(
    encoding="utf-8"
)
MATTERS_TEXT = (
    Path(__file__).resolve().parents[2] / "guides" / "matters" / "market.yaml"
).read_text(encoding="utf-8")


@settings(FUZZ, max_examples=300 * SCALE)
@given(text=mutated(RULES_TEXT))
def test_mutated_rules_parse_or_give_file_line_errors(
    text: str, demo: LoadedData, data_dir: Path
) -> None:
    """parse_rules on a mutated rules file: a RuleSet, or SourceError lines only."""
    schema = schema_for(data_dir)
    assert_loads_or_source_error(
        lambda: parse_rules(text, "rules/scenarios.yaml", demo.catalogue, schema)
    )


@settings(FUZZ, max_examples=25 * SCALE)
@given(text=mutated(RULES_TEXT))
def test_mutated_rules_check_gives_problem_lines(text: str, work_dir: Path) -> None:
    """check_data (analysis and compile included) on a mutated rules file never crashes."""
    for _ in _swapped(work_dir / "rules" / "scenarios.yaml", text):
        assert_problem_lines(check_data(work_dir))


@settings(FUZZ, max_examples=300 * SCALE)
@given(text=mutated(CALENDAR_TEXT))
def test_mutated_calendar_loads_or_gives_file_line_errors(text: str, work_dir: Path) -> None:
    """The calendar loader on a mutated calendar never crashes."""
    for _ in _swapped(work_dir / "rules" / "calendar.yaml", text):
        assert_loads_or_source_error(lambda: load_calendar(work_dir))


@settings(FUZZ, max_examples=30 * SCALE)
@given(text=mutated(CENTRE_TEXT))
def test_mutated_centre_loads_or_gives_file_line_errors(text: str, work_dir: Path) -> None:
    """The pack loader on a mutated guides/centre.yaml never crashes."""
    for _ in _swapped(work_dir / "guides" / "centre.yaml", text):
        assert_loads_or_source_error(lambda: load_pack(work_dir))


@settings(FUZZ, max_examples=30 * SCALE)
@given(text=mutated(MATTERS_TEXT))
def test_mutated_matters_load_or_give_file_line_errors(text: str, work_dir: Path) -> None:
    """The pack loader on a mutated matters file never crashes."""
    for _ in _swapped(work_dir / "guides" / "matters" / "market.yaml", text):
        assert_loads_or_source_error(lambda: load_pack(work_dir))


@settings(FUZZ, max_examples=8 * SCALE)
@given(text=mutated(RULES_TEXT))
def test_reloader_keeps_last_good_rules(text: str, work_dir: Path, demo: LoadedData) -> None:
    """A running kiosk fed a mutated rules file keeps its rules unless the edit passes the check."""
    classifier = DurableClassifier(demo.ruleset)
    reloader = RulesReloader(work_dir, classifier, demo.catalogue)
    before = classifier.version
    for _ in _swapped(work_dir / "rules" / "scenarios.yaml", text):
        accepted = reloader.reload_if_changed()
        if accepted:
            assert not check_data(work_dir)
            assert classifier.version != before
        else:
            assert classifier.version == before
            assert_problem_lines(reloader.last_problems)
            assert reloader.last_problems or text == RULES_TEXT


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELD_VALUES = st.one_of(
    JSON_VALUES,
    st.sampled_from(
        [
            "id_card_reissue", "enterprise_establishment_registration", "D02", "A01", "B01",
            "market", "police", "clear", "unclear", "2026-11-27T10:30:00+08:00", "2026-02-30",
            "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00", "2026-11-27T25:00",
            "", " ", "\x00",
        ]
    ),
)  # fmt: skip
REQUESTS = st.one_of(
    JSON_VALUES,
    st.dictionaries(
        st.sampled_from(
            ["matter", "description", "at_window", "conditions", "legal_basis", "major",
             "departments", "received_at"]
        ),
        FIELD_VALUES,
    ),
)  # fmt: skip


@pytest.fixture(scope="module")
def classification(demo: LoadedData) -> ClassificationService:
    """The real classification service with a fixed clock."""
    return ClassificationService(
        demo.catalogue, DurableClassifier(demo.ruleset), demo.calendar, clock=lambda: FIXED_NOW
    )


@settings(FUZZ, max_examples=1500 * SCALE)
@given(data=REQUESTS)
def test_classify_returns_a_decision_or_request_error(
    data: Any, classification: ClassificationService
) -> None:
    """Any JSON value: a decision, or RequestError with a one-line message."""
    try:
        result = classification.classify(data)
    except RequestError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert result.decision["outcome"] in {
            "handle",
            "incomplete",
            "redirect",
            "escalate",
            "grey_zone",
        }


@pytest.mark.parametrize(
    "payload",
    [
        "[]",
        "null",
        '"text"',
        '{"matter": 7}',
        '{"received_at": "9999-12-31T23:59:59+14:00", "legal_basis": "unclear"}',
        '{"conditions": {"x": true}}',
        '{"departments": ["nowhere"]}',
        '{"major": "yes"}',
    ],
)
def test_cli_refuses_bad_input_with_exit_2_and_one_line(
    payload: str, data_dir: Path, tmp_path: Path
) -> None:
    """The real CLI: exit code 2 and exactly one line on stderr for a refused request."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk.cli",
            "classify",
            "--data",
            str(data_dir),
            "--state",
            str(tmp_path),
        ],
        input=payload,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, (payload, result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stdout == ""
    json.dumps(payload)
