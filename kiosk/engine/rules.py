"""Rules YAML -> validated rule model (schema, references, duplicates, priorities)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from kiosk.domain.catalogue import Catalogue
from kiosk.domain.decision import OUTCOMES
from kiosk.domain.facts import FACTS
from kiosk.engine.yamlsrc import Problem, SourceError, line_at, load_yaml_text

SCHEMA_FILE = "scenarios.schema.json"
MAX_RULES = 511  # durable_rules hangs on a ruleset of 512 rules or more


@dataclass(frozen=True)
class Test:
    """One test of a fact: `in`/`not_in` a set of values, or `gte`/`lte` a number."""

    fact: str
    op: str  # in | not_in | gte | lte
    values: tuple[Any, ...]

    def holds(self, value: Any) -> bool:
        """Evaluate the test on a fact value (the Python twin of the durable_rules form)."""
        if self.op == "in":
            return value in self.values
        if self.op == "not_in":
            return value not in self.values
        if self.op == "gte":
            return bool(value >= self.values[0])
        return bool(value <= self.values[0])


@dataclass(frozen=True)
class Rule:
    """One rule of `rules/scenarios.yaml`."""

    id: str
    description: str
    priority: int
    kind: str  # outcome | flag
    tests: tuple[Test, ...]
    effects: Mapping[str, Any]
    applies_to: tuple[str, ...]
    line: int

    @property
    def outcome(self) -> str | None:
        """The outcome an outcome rule decides."""
        return self.effects.get("outcome")

    def matches(self, facts: Mapping[str, Any]) -> bool:
        """True when every test holds."""
        return all(t.holds(facts[t.fact]) for t in self.tests)


@dataclass(frozen=True)
class RuleSet:
    """The validated rules with their content hash."""

    rules: tuple[Rule, ...]
    version: str
    label: str

    @property
    def outcome_rules(self) -> list[Rule]:
        """Outcome rules in hit order (priority, then file order)."""
        return sorted((r for r in self.rules if r.kind == "outcome"), key=lambda r: r.priority)

    @property
    def flag_rules(self) -> list[Rule]:
        """Additive rules in the order they are applied."""
        return sorted((r for r in self.rules if r.kind == "flag"), key=lambda r: r.priority)


@cache
def _schema(schema_path: Path) -> dict[str, Any]:
    return dict(json.loads(schema_path.read_text(encoding="utf-8")))


def parse_rules(text: str, label: str, catalogue: Catalogue, schema_path: Path) -> RuleSet:
    """Parse and validate rules text.

    Args:
        text: the YAML text.
        label: the file name used in problem lines.
        catalogue: the centre pack, for reference checks.
        schema_path: the JSON Schema of the rules file.

    Raises:
        SourceError: with every problem as `file:line: message`.
    """
    root = load_yaml_text(text, label)
    problems: list[Problem] = []

    def add(path: list[str | int], message: str) -> None:
        problems.append(Problem(label, line_at(root, path), message))

    if (
        isinstance(root, dict)
        and isinstance(root.get("rules"), list)
        and len(root["rules"]) > MAX_RULES
    ):
        raise SourceError(
            [
                Problem(
                    label,
                    line_at(root, ["rules"]),
                    f"规则共 {len(root['rules'])} 条，超过上限 {MAX_RULES} 条（规则引擎在 512 条及以上时会卡死），请合并或删减规则",
                )
            ]
        )
    validator = jsonschema.Draft202012Validator(_schema(schema_path))
    for error in sorted(validator.iter_errors(root), key=lambda e: list(map(str, e.absolute_path))):
        add(list(error.absolute_path), _schema_message(error))
    if problems:
        raise SourceError(sorted(set(problems)))

    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(root["rules"]):
        where: list[str | int] = ["rules", i]
        rule_id = raw["id"]
        if rule_id in seen:
            add(where + ["id"], f"规则编号重复：{rule_id}（第 {seen[rule_id]} 行已有）")
        seen.setdefault(rule_id, line_at(root, where))
        kind = raw.get("kind", "outcome")
        effects = dict(raw["then"])
        applies_to = tuple(raw.get("applies_to") or ())
        if kind == "outcome":
            for message in _outcome_rule_problems(rule_id, effects, applies_to):
                add([*where, "then"], message)
        else:
            if "outcome" in effects:
                add(
                    where + ["then", "outcome"],
                    f"附加规则 {rule_id} 不能决定结果（去掉 outcome，或改为 kind: outcome）",
                )
            if not applies_to:
                add(where, f"附加规则 {rule_id} 需要 applies_to：列出它对哪些结果生效")
        tests = []
        for fact, spec in raw["when"].items():
            for test in _tests(fact, spec):
                message = _reference_problem(test, catalogue)
                if message:
                    add(where + ["when", fact], f"规则 {rule_id}：{message}")
                tests.append(test)
        rules.append(
            Rule(
                rule_id,
                raw["description"],
                raw["priority"],
                kind,
                tuple(tests),
                effects,
                applies_to,
                line_at(root, where),
            )
        )

    by_priority: dict[int, Rule] = {}
    for rule in rules:
        if rule.kind != "outcome":
            continue
        other = by_priority.get(rule.priority)
        if other is not None:
            problems.append(
                Problem(
                    label,
                    rule.line,
                    f"结果规则 {rule.id} 与 {other.id}（第 {other.line} 行）优先级同为 {rule.priority}，先后不明，请改成不同的数字",
                )
            )
        by_priority.setdefault(rule.priority, rule)
    if problems:
        raise SourceError(sorted(set(problems)))
    version = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return RuleSet(tuple(rules), version, label)


def load_rules(data_dir: Path, catalogue: Catalogue) -> RuleSet:
    """Read and validate `DATA/rules/scenarios.yaml` (the schema is the bundled one when absent)."""
    path = data_dir / "rules" / "scenarios.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError) as error:
        raise SourceError(
            [Problem("rules/scenarios.yaml", 1, f"无法读取规则文件：{error}")]
        ) from None
    return parse_rules(text, "rules/scenarios.yaml", catalogue, schema_for(data_dir))


def schema_for(data_dir: Path) -> Path:
    """The rules schema shipped beside the rules, else the bundled one."""
    local = data_dir / "rules" / SCHEMA_FILE
    return local if local.exists() else Path(__file__).resolve().parents[2] / "rules" / SCHEMA_FILE


def _outcome_rule_problems(
    rule_id: str, effects: dict[str, Any], applies_to: tuple[str, ...]
) -> list[str]:
    outcome = effects.get("outcome")
    if outcome is None:
        return [f"结果规则 {rule_id} 缺少 outcome（{'、'.join(OUTCOMES)} 之一）"]
    found = []
    if applies_to:
        found.append(f"结果规则 {rule_id} 不用 applies_to（它只用于附加规则）")
    if outcome == "escalate" and "escalate_to" not in effects:
        found.append(f"规则 {rule_id} 结果为 escalate，需写明 escalate_to（上报给谁）")
    if outcome == "grey_zone":
        for key, text in (
            ("working_days", "答复期限 working_days"),
            ("report_to", "报告对象 report_to"),
        ):
            if key not in effects:
                found.append(f"规则 {rule_id} 结果为 grey_zone，需写明{text}")
    if outcome != "escalate" and "escalate_to" in effects:
        found.append(f"规则 {rule_id}：escalate_to 只用于 escalate 结果")
    return found


def _tests(fact: str, spec: Any) -> list[Test]:
    if isinstance(spec, dict):
        tests = []
        for op, value in spec.items():
            if op == "not":
                tests.append(Test(fact, "not_in", (value,)))
            elif op == "not_in":
                tests.append(Test(fact, "not_in", tuple(value)))
            elif op == "at_least":
                tests.append(Test(fact, "gte", (value,)))
            elif op == "at_most":
                tests.append(Test(fact, "lte", (value,)))
        return tests
    if isinstance(spec, list):
        return [Test(fact, "in", tuple(spec))]
    return [Test(fact, "in", (spec,))]


def _reference_problem(test: Test, catalogue: Catalogue) -> str:
    spec = FACTS[test.fact]
    known: Mapping[str, Any] | tuple[str, ...] | None = {
        "matters": catalogue.matters,
        "units": catalogue.units,
        "windows": catalogue.windows,
    }.get(spec.refers_to) or (spec.choices or None)
    if known is None or test.op in ("gte", "lte"):
        return ""
    unknown = [v for v in test.values if v != "" and v not in known]
    if not unknown:
        return ""
    what = {"matters": "事项", "units": "单位", "windows": "窗口"}.get(
        spec.refers_to, spec.description
    )
    return f"{test.fact} 引用了未知{what}：{'、'.join(map(str, unknown))}"


def _schema_message(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path) or "（文件顶层）"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        allowed = "、".join(error.schema.get("properties", {}))
        return f"{path}：不认识的字段 {', '.join(extra)}（可用：{allowed}）"
    if error.validator == "required":
        return f"{path}：{error.message.replace(' is a required property', '')} 是必填字段"
    if error.validator == "enum":
        return f"{path}：值 {error.instance!r} 不在允许范围内：{'、'.join(map(str, error.validator_value))}"
    if error.validator == "type":
        kinds = {
            "integer": "整数",
            "string": "文字",
            "boolean": "true 或 false",
            "object": "键值对象",
            "array": "列表",
        }
        want = (
            error.validator_value
            if isinstance(error.validator_value, str)
            else error.validator_value[0]
        )
        return f"{path}：应为{kinds.get(want, want)}，实际是 {error.instance!r}"
    if error.validator == "pattern":
        return (
            f"{path}：{error.instance!r} 格式不对（只能用小写英文字母、数字和下划线，以字母开头）"
        )
    if error.validator in ("minimum", "maximum"):
        return f"{path}：{error.instance} 超出范围（{error.validator} {error.validator_value}）"
    if error.validator == "oneOf":
        return (
            f"{path}：写法不对，应为一个值、值的列表，或 {{not: 值}} / {{at_least: n}} 这样的写法"
        )
    if error.validator == "maxItems":
        return f"{path}：条目太多（上限 {error.validator_value}）"
    return f"{path}：{error.message}"
