"""A plain-Python second opinion on the rules YAML, independent of kiosk.engine.rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# The documented fallback when no outcome rule fires (kiosk.engine.durable_classifier).
FALLBACK_OUTCOME = "escalate"
FALLBACK_RULE = "builtin_no_rule_matched"
FALLBACK_EFFECTS: dict[str, Any] = {"escalate_to": "consultation_desk", "working_days": 5}


def _same(a: Any, b: Any) -> bool:
    """Equality that does not let True pass for 1 (facts are strictly typed)."""
    return type(a) is type(b) and a == b


def _holds(spec: Any, value: Any) -> bool:
    """Whether one `when` entry holds for a fact value."""
    if isinstance(spec, dict):
        for op, operand in spec.items():
            if op == "not" and _same(value, operand):
                return False
            if op == "not_in" and any(_same(value, v) for v in operand):
                return False
            if op == "at_least" and not value >= operand:
                return False
            if op == "at_most" and not value <= operand:
                return False
            if op not in ("not", "not_in", "at_least", "at_most"):
                raise ValueError(f"unknown operator {op}")
        return True
    if isinstance(spec, list):
        return any(_same(value, v) for v in spec)
    return _same(value, spec)


@dataclass(frozen=True)
class ReferenceEvaluator:
    """Evaluates facts against the raw rules with the hit policy of rules/README.md."""

    rules: tuple[dict[str, Any], ...]

    @classmethod
    def from_file(cls, path: Path) -> ReferenceEvaluator:
        """Read a rules file with plain yaml.safe_load."""
        return cls.from_text(path.read_text(encoding="utf-8"))

    @classmethod
    def from_text(cls, text: str) -> ReferenceEvaluator:
        """Read rules text with plain yaml.safe_load."""
        root = yaml.safe_load(text)
        return cls(tuple(root["rules"]))

    def evaluate(self, facts: Mapping[str, Any]) -> tuple[str, dict[str, Any], tuple[str, ...]]:
        """Decide (outcome, effects, rules_fired) for flat request facts.

        Outcome rules: the matching one with the lowest priority decides. Flag rules that
        match add their effects, in priority order (file order on ties), when the decided
        outcome is in their `applies_to`.
        """
        matching = [
            (i, r)
            for i, r in enumerate(self.rules)
            if all(_holds(spec, facts[name]) for name, spec in (r.get("when") or {}).items())
        ]
        outcomes = [
            (r["priority"], i, r) for i, r in matching if r.get("kind", "outcome") == "outcome"
        ]
        if not outcomes:
            return FALLBACK_OUTCOME, dict(FALLBACK_EFFECTS), (FALLBACK_RULE,)
        _, _, winner = min(outcomes, key=lambda t: (t[0], t[1]))
        outcome = winner["then"]["outcome"]
        effects = {k: v for k, v in winner["then"].items() if k != "outcome"}
        fired = [winner["id"]]
        flags = sorted(
            ((r["priority"], i, r) for i, r in matching if r.get("kind") == "flag"),
            key=lambda t: (t[0], t[1]),
        )
        for _, _, flag in flags:
            if outcome in flag.get("applies_to", []):
                effects.update(flag["then"])
                fired.append(flag["id"])
        return outcome, effects, tuple(fired)
