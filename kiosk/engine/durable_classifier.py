"""The rule set compiled into durable_rules, evaluated with the documented hit policy.

Hit policy: the request's facts are asserted once, so every matching rule fires. Of the
outcome rules that fired, the one with the smallest priority decides the outcome and its
effects. Flag rules (kind: flag) that fired add their effects, in priority order, when the
decided outcome is in their `applies_to`. `rules_fired` lists the deciding rule, then the
flags applied.

durable_rules facts measured on 2.0.28, which shape this module: a Host starts two timer
threads that dispatch concurrently with our posts (two threads posting at once segfault),
so the Host here starts none and every call holds one lock; at most 1,024 live session ids
per rule set, so each request's state is deleted in `finally`; a rule set name cannot be
registered twice, so each reload gets a versioned name and the old one is deleted.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Mapping
from typing import Any

import durable_rules_engine
from durable import engine

from kiosk.domain.facts import check_fact_types
from kiosk.domain.ports import RuleVerdict
from kiosk.engine.rules import Rule, RuleSet, Test

FALLBACK_RULE = "builtin_no_rule_matched"
FALLBACK_EFFECTS = {"escalate_to": "consultation_desk", "working_days": 5}


class _QuietHost(engine.Host):
    """A Host without its background dispatch threads (we never use timers)."""

    def _run(self) -> None:
        return None

    def drop(self, name: str) -> None:
        """Unregister and free a rule set."""
        ruleset = self._ruleset_directory.pop(name)
        self._ruleset_list.remove(ruleset)
        durable_rules_engine.delete_ruleset(ruleset._handle)


def _condition(test: Test) -> dict[str, Any]:
    if test.op == "gte":
        return {"$gte": {test.fact: test.values[0]}}
    if test.op == "lte":
        return {"$lte": {test.fact: test.values[0]}}
    if test.op == "not_in":
        parts = [{"$neq": {test.fact: v}} for v in test.values]
        return parts[0] if len(parts) == 1 else {"$and": parts}
    parts = [{test.fact: v} for v in test.values]
    return parts[0] if len(parts) == 1 else {"$or": parts}


def durable_condition(rule: Rule) -> dict[str, Any]:
    """The durable_rules expression of a rule's `when` (an empty `when` always holds)."""
    parts = [_condition(t) for t in rule.tests] or [{"always": True}]
    return parts[0] if len(parts) == 1 else {"$and": parts}


class DurableClassifier:
    """Evaluates request facts against the rules in force; safe to call from any thread."""

    def __init__(self, ruleset: RuleSet) -> None:
        """Compile and register the rule set."""
        self._lock = threading.Lock()
        self._host = _QuietHost()
        self._generation = itertools.count(1)
        self._sid = itertools.count(1)
        self._fired: list[str] = []
        self._name = ""
        self._ruleset = ruleset
        self.replace(ruleset)

    @property
    def version(self) -> str:
        """Content hash of the rules in force."""
        return self._ruleset.version

    @property
    def ruleset(self) -> RuleSet:
        """The rules in force."""
        return self._ruleset

    def replace(self, ruleset: RuleSet) -> None:
        """Put a new rule set in force; the old one keeps serving until the swap."""
        name = f"scenarios_v{next(self._generation)}_{ruleset.version}"
        definition: dict[str, Any] = {}
        for rule in ruleset.rules:
            definition[rule.id] = {
                "all": [{"m": durable_condition(rule)}],
                "pri": rule.priority,
                "run": self._recorder(rule.id),
            }
        with self._lock:
            # register_rulesets mutates its argument: hand it a copy.
            self._host.register_rulesets({name: copy.deepcopy(definition)})
            old, self._name, self._ruleset = self._name, name, ruleset
            if old:
                self._host.drop(old)

    def _recorder(self, rule_id: str) -> Any:
        def run(_closure: Any) -> None:
            self._fired.append(rule_id)

        return run

    def fired(self, facts: Mapping[str, Any]) -> list[str]:
        """Ids of every rule whose conditions hold, as reported by durable_rules."""
        check_fact_types(dict(facts))
        with self._lock:
            sid = str(next(self._sid))
            self._fired = []
            try:
                self._host.assert_fact(self._name, {**facts, "sid": sid, "always": True})
            except engine.MessageNotHandledException:
                pass
            finally:
                self._host.delete_state(self._name, sid)
            return list(self._fired)

    def evaluate(self, facts: Mapping[str, Any]) -> RuleVerdict:
        """Apply the hit policy to the rules that fired."""
        ruleset = self._ruleset
        return apply_hit_policy(ruleset, set(self.fired(facts)))


def apply_hit_policy(ruleset: RuleSet, fired: set[str]) -> RuleVerdict:
    """The verdict for the set of rules whose conditions held (see the module docstring)."""
    by_id = {r.id: r for r in ruleset.rules}
    winners = [r for r in ruleset.outcome_rules if r.id in fired]
    if not winners:
        return RuleVerdict("escalate", dict(FALLBACK_EFFECTS), (FALLBACK_RULE,), ruleset.version)
    winner = winners[0]
    effects = {k: v for k, v in winner.effects.items() if k != "outcome"}
    applied = [winner.id]
    for flag in ruleset.flag_rules:
        if flag.id in fired and winner.outcome in flag.applies_to:
            effects.update(by_id[flag.id].effects)
            applied.append(flag.id)
    return RuleVerdict(str(winner.outcome), effects, tuple(applied), ruleset.version)
