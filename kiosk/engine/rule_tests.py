"""Run the rule test cases in `rules/tests/*.yaml`: given a request, expect parts of a decision."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.domain.request import RequestError
from kiosk.engine.yamlsrc import LineDict, Problem, SourceError, line_at, load_yaml


@dataclass(frozen=True)
class CaseResult:
    """The result of one rule test case."""

    file: str
    line: int
    name: str
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when every expectation held."""
        return not self.failures


def mismatches(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Differences between an expected part of a decision and the actual decision.

    Mappings are compared key by key (keys not named are not checked); lists and
    scalars must be equal.
    """
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '结果'} 应为对象，实际为 {actual!r}"]
        found = []
        for key, value in expected.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in actual:
                found.append(f"{where} 不存在")
            else:
                found += mismatches(value, actual[key], where)
        return found
    if _normal(expected) != _normal(actual):
        return [f"{path} 应为 {expected!r}，实际为 {actual!r}"]
    return []


def _normal(value: Any) -> Any:
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):  # YAML turns 2026-10-13 into a date
        return value.isoformat()
    return value


def run_rule_tests(data_dir: Path, classify: Callable[[Any], dict[str, Any]]) -> list[CaseResult]:
    """Run every case of `DATA/rules/tests/*.yaml` through `classify`.

    Raises:
        SourceError: when a test file is malformed.
    """
    results: list[CaseResult] = []
    problems: list[Problem] = []
    files = sorted((data_dir / "rules" / "tests").glob("*.yaml"))
    for path in files:
        label = f"rules/tests/{path.name}"
        root = load_yaml(path, label)
        cases = root.get("cases") if isinstance(root, LineDict) else None
        if not isinstance(cases, list):
            problems.append(Problem(label, 1, "测试文件应包含 cases: 列表"))
            continue
        for i, case in enumerate(cases):
            line = line_at(root, ["cases", i])
            if not isinstance(case, dict) or not {"name", "request", "expect"} <= set(case):
                problems.append(Problem(label, line, "每个用例需要 name、request、expect"))
                continue
            request = _normal(case["request"])
            try:
                decision = classify(request)
                failures = tuple(mismatches(_normal(case["expect"]), decision))
            except RequestError as error:
                expected_error = (
                    case["expect"].get("error") if isinstance(case["expect"], dict) else None
                )
                ok = expected_error is not None and expected_error in str(error)
                failures = () if ok else (f"请求被拒绝：{error}",)
            results.append(CaseResult(label, line, str(case["name"]), failures))
    if problems:
        raise SourceError(problems)
    return results
