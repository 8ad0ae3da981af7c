"""Find rules that can never fire or never take effect, and requests no rule decides.

Every fact is either fixed by the (matter, window) pair the request names or free
(condition answers, legal basis, major, departments, description). Enumerating every
pair of the catalogue with every relevant value of the free facts covers all requests
the rules can tell apart, so the findings are exact, not sampled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import product
from typing import Any

from kiosk.domain.catalogue import Catalogue
from kiosk.domain.facts import place_facts
from kiosk.engine.rules import Rule, RuleSet
from kiosk.engine.yamlsrc import Problem

FREE_DEFAULTS: dict[str, Any] = {
    "legal_basis": "clear",
    "major": False,
    "department_count": 0,
    "has_description": False,
}


def worlds(ruleset: RuleSet, catalogue: Catalogue) -> Iterator[dict[str, Any]]:
    """Every distinct fact set the rules can tell apart."""
    mentioned = {t.fact for r in ruleset.rules for t in r.tests}
    pairs: dict[tuple[Any, ...], tuple[dict[str, Any], int]] = {}
    for matter, window in product(
        [None, *catalogue.matters.values()], [None, *catalogue.windows.values()]
    ):
        base = place_facts(matter, window)
        conditions = len(matter.conditions) if matter else 0
        key = (*(base[f] for f in sorted(mentioned & base.keys())), conditions)
        pairs.setdefault(key, (base, conditions))

    department_counts = {0, 1, 2}
    for rule in ruleset.rules:
        for test in rule.tests:
            if test.fact == "department_count":
                n = int(test.values[0])
                department_counts |= {max(n - 1, 0), n, n + 1}
    free: dict[str, list[Any]] = {
        "legal_basis": ["clear", "unclear"],
        "major": [False, True],
        "department_count": sorted(department_counts),
        "has_description": [False, True],
    }
    free_names = [f for f in free if f in mentioned]
    uses_conditions = bool(mentioned & {"unmet_count", "all_conditions_met"})
    for base, conditions in pairs.values():
        unmet_values = range(conditions + 1) if uses_conditions else [0]
        for unmet in unmet_values:
            for values in product(*(free[f] for f in free_names)):
                facts = dict(base, **FREE_DEFAULTS)
                facts.update(zip(free_names, values, strict=True))
                facts["unmet_count"] = unmet
                facts["all_conditions_met"] = unmet == 0
                yield facts


def analyse(ruleset: RuleSet, catalogue: Catalogue) -> list[Problem]:
    """Problems with the rules as a whole: dead rules, shadowed rules and undecided requests.

    Returns:
        Problems as `file:line: message`, empty when the rules are sound.
    """
    outcome_rules = ruleset.outcome_rules
    flags = ruleset.flag_rules
    matched: set[str] = set()
    shadowed_by: dict[str, Counter[str]] = {r.id: Counter() for r in outcome_rules}
    won: set[str] = set()
    flag_used: set[str] = set()
    gap: dict[str, Any] | None = None
    for facts in worlds(ruleset, catalogue):
        winner: Rule | None = None
        for rule in outcome_rules:
            if rule.matches(facts):
                matched.add(rule.id)
                if winner is None:
                    winner = rule
                    won.add(rule.id)
                else:
                    shadowed_by[rule.id][winner.id] += 1
        if winner is None:
            gap = gap or facts
            continue
        for flag in flags:
            if winner.outcome in flag.applies_to and flag.matches(facts):
                flag_used.add(flag.id)

    label = ruleset.label
    problems = []
    for rule in outcome_rules:
        if rule.id not in matched:
            problems.append(
                Problem(
                    label,
                    rule.line,
                    f"规则 {rule.id} 永远不会命中：条件互相矛盾，或与中心包的事项、窗口对不上",
                )
            )
        elif rule.id not in won and rule.tests:
            # A catch-all (`when: {}`) may stay unreachable: it is the safety net for later edits.
            top = shadowed_by[rule.id].most_common(1)[0][0]
            problems.append(
                Problem(
                    label,
                    rule.line,
                    f"规则 {rule.id} 永远不会生效：凡它命中的情况，优先级更高的规则 {top} 都已先命中",
                )
            )
    for flag in flags:
        if flag.id not in flag_used:
            problems.append(
                Problem(
                    label,
                    flag.line,
                    f"附加规则 {flag.id} 永远不会生效：它的条件与 applies_to 中的结果从不同时成立",
                )
            )
    if gap is not None:
        example = "，".join(
            f"{k}={v!r}"
            for k, v in gap.items()
            if k in {"matter", "at_window", "legal_basis", "unmet_count", "major"}
        )
        problems.append(
            Problem(
                label,
                1,
                f"有的申请没有任何结果规则命中（例如 {example}）：请加一条兜底规则（when: {{}}），保证任何申请都有去处",
            )
        )
    return problems
