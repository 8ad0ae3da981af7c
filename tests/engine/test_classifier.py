"""The durable_rules classifier: hit policy, agreement with the rule model, reload, threads."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.facts import derive_facts
from kiosk.domain.request import parse_request
from kiosk.engine.analysis import worlds
from kiosk.engine.checker import LoadedData, RulesReloader, load_data
from kiosk.engine.durable_classifier import DurableClassifier
from kiosk.engine.rules import load_rules

from ..conftest import FIXED_NOW


@pytest.fixture(scope="module")
def classifier(demo: LoadedData) -> DurableClassifier:
    return DurableClassifier(demo.ruleset)


def test_durable_rules_agrees_with_the_rule_model_on_every_distinct_request(
    demo: LoadedData, classifier: DurableClassifier
) -> None:
    checked = 0
    for facts in worlds(demo.ruleset, demo.catalogue):
        expected = {r.id for r in demo.ruleset.rules if r.matches(facts)}
        assert set(classifier.fired(facts)) == expected, facts
        checked += 1
    assert checked > 1000


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_request_ends_in_one_of_the_five_outcomes(
    demo: LoadedData, classifier: DurableClassifier, data: st.DataObject
) -> None:
    catalogue = demo.catalogue
    matter_id = data.draw(st.sampled_from([None, *catalogue.matters]))
    conditions = {}
    if matter_id:
        for cond in catalogue.matters[matter_id].conditions:
            answer = data.draw(st.sampled_from([True, False, None, "skip"]))
            if answer != "skip":
                conditions[cond.id] = answer
    request = parse_request(
        {
            "matter": matter_id,
            "at_window": data.draw(st.sampled_from([None, *catalogue.windows])),
            "conditions": conditions,
            "legal_basis": data.draw(st.sampled_from(["clear", "unclear"])),
            "major": data.draw(st.booleans()),
            "departments": data.draw(st.lists(st.sampled_from(list(catalogue.units)), max_size=3)),
        },
        catalogue,
        FIXED_NOW,
    )
    verdict = classifier.evaluate(derive_facts(request, catalogue))
    assert verdict.outcome in {"handle", "incomplete", "redirect", "escalate", "grey_zone"}
    assert verdict.rules_fired and verdict.rules_fired[0] != "builtin_no_rule_matched"
    if verdict.outcome == "grey_zone":
        assert verdict.effects["working_days"] in (5, 10)
        assert verdict.effects["report_to"] in ("unit_leader", "main_leader")
    if request.major and request.legal_basis == "unclear":
        assert (
            verdict.effects["working_days"] == 10 and verdict.effects["report_to"] == "main_leader"
        )


def test_thousands_of_requests_do_not_exhaust_session_ids(
    demo: LoadedData, classifier: DurableClassifier
) -> None:
    facts = next(iter(worlds(demo.ruleset, demo.catalogue)))
    for _ in range(3000):  # durable_rules allows 1,024 live sessions per rule set
        classifier.evaluate(facts)


def test_wrong_fact_types_are_refused_before_posting(
    classifier: DurableClassifier, demo: LoadedData
) -> None:
    facts = dict(next(iter(worlds(demo.ruleset, demo.catalogue))))
    facts["unmet_count"] = "3"
    with pytest.raises(TypeError):
        classifier.evaluate(facts)


def test_concurrent_threads_classify_safely(
    demo: LoadedData, classifier: DurableClassifier
) -> None:
    samples = list(worlds(demo.ruleset, demo.catalogue))[:200]
    expected = [classifier.evaluate(f).outcome for f in samples]
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(5):
                assert [classifier.evaluate(f).outcome for f in samples] == expected
        except BaseException as error:  # noqa: BLE001 - report any failure of the thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path) -> Path:
    for part in ("guides", "rules"):
        shutil.copytree(data_dir / part, tmp_path / part)
    return tmp_path


def test_edited_rules_are_picked_up_and_broken_edits_refused(pack: Path) -> None:
    data = load_data(pack)
    classifier = DurableClassifier(data.ruleset)
    reloader = RulesReloader(pack, classifier, data.catalogue)
    grey = {"matter": None, "legal_basis": "unclear"}
    facts = derive_facts(parse_request(grey, data.catalogue, FIXED_NOW), data.catalogue)
    assert classifier.evaluate(facts).effects["working_days"] == 5
    assert reloader.reload_if_changed() is False

    path = pack / "rules" / "scenarios.yaml"
    good = path.read_text(encoding="utf-8")
    first_version = classifier.version

    path.write_text(
        good.replace(
            "      working_days: 5\n      report_to: unit_leader",
            "      working_days: 7\n      report_to: unit_leader",
        ),
        encoding="utf-8",
    )
    assert reloader.reload_if_changed() is True
    assert classifier.evaluate(facts).effects["working_days"] == 7
    assert classifier.version != first_version

    path.write_text(good.replace("    priority: 20\n", "    priority: [20\n"), encoding="utf-8")
    version_before_broken_edit = classifier.version
    assert reloader.reload_if_changed() is False
    assert reloader.last_problems and reloader.last_problems[0].startswith("rules/scenarios.yaml:")
    assert classifier.version == version_before_broken_edit
    assert classifier.evaluate(facts).effects["working_days"] == 7


def test_replacing_rules_many_times_keeps_one_ruleset_registered(pack: Path) -> None:
    data = load_data(pack)
    classifier = DurableClassifier(data.ruleset)
    for _ in range(20):
        classifier.replace(load_rules(pack, data.catalogue))
    assert len(classifier._host._ruleset_list) == 1
    assert threading.active_count() < 10
