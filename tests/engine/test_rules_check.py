"""`kiosk rules check`: every problem as `file:line: message`, the last good rules kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.engine.checker import check_data

BASE_RULE = """\
  - id: ready_to_handle
    description: 条件齐全可以办理
    priority: 100
    when: {matter_handled_here: true, all_conditions_met: true}
    then: {outcome: handle}
"""


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path) -> Path:
    """A private copy of the demo data directory to edit."""
    for part in ("guides", "rules"):
        shutil.copytree(data_dir / part, tmp_path / part)
    return tmp_path


def edit_rules(pack: Path, old: str, new: str) -> None:
    path = pack / "rules" / "scenarios.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(pack: Path) -> list[str]:
    return [str(p) for p in check_data(pack)]


def line_of(pack: Path, needle: str) -> int:
    lines = (pack / "rules" / "scenarios.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_the_shipped_pack_is_clean(data_dir: Path) -> None:
    assert problems(data_dir) == []


def test_yaml_syntax_error_names_the_line(pack: Path) -> None:
    edit_rules(pack, "    priority: 20\n", "    priority: [20\n")
    found = problems(pack)
    assert len(found) == 1
    assert found[0].startswith("rules/scenarios.yaml:")
    assert "YAML 语法错误" in found[0]


def test_wrong_type_names_the_line_of_the_field(pack: Path) -> None:
    edit_rules(pack, "    priority: 20\n", "    priority: 二十\n")
    line = line_of(pack, "priority: 二十")
    assert problems(pack) == [
        f"rules/scenarios.yaml:{line}: rules.1.priority：应为整数，实际是 '二十'"
    ]


def test_unknown_matter_window_and_unit_are_reported(pack: Path) -> None:
    edit_rules(
        pack,
        "      matter_handled_here: false\n",
        "      matter_handled_here: false\n      matter: no_such_matter\n",
    )
    edit_rules(
        pack,
        "      at_kiosk: false\n      window_role: service\n",
        "      at_kiosk: false\n      window_role: service\n      at_window: [B01, Z9]\n",
    )
    edit_rules(
        pack,
        "      department_count: {at_least: 1}\n",
        "      department_count: {at_least: 1}\n      matter_unit: mars\n",
    )
    found = "\n".join(problems(pack))
    assert (
        f"rules/scenarios.yaml:{line_of(pack, 'matter: no_such_matter')}: 规则 handled_elsewhere：matter 引用了未知事项：no_such_matter"
        in found
    )
    assert (
        f"rules/scenarios.yaml:{line_of(pack, 'at_window: [B01, Z9]')}: 规则 unknown_matter_at_window：at_window 引用了未知窗口：Z9"
        in found
    )
    assert (
        f"rules/scenarios.yaml:{line_of(pack, 'matter_unit: mars')}: 规则 cross_department_consultation：matter_unit 引用了未知单位：mars"
        in found
    )


def test_duplicate_rule_id(pack: Path) -> None:
    edit_rules(pack, "  - id: grey_zone_standard\n", "  - id: grey_zone_major\n")
    found = problems(pack)
    assert any("规则编号重复：grey_zone_major" in p for p in found)


def test_unknown_fact_is_a_schema_error(pack: Path) -> None:
    edit_rules(
        pack,
        "      legal_basis: unclear\n      major: true\n",
        "      legal_basis: unclear\n      majr: true\n",
    )
    found = problems(pack)
    assert len(found) == 1 and "不认识的字段 majr" in found[0]


def test_contradictory_rule_can_never_fire(pack: Path) -> None:
    rule = BASE_RULE.replace("ready_to_handle", "impossible").replace(
        "priority: 100", "priority: 95"
    )
    rule = rule.replace(
        "all_conditions_met: true}", "all_conditions_met: true, unmet_count: {at_least: 1}}"
    )
    edit_rules(pack, "  # ---- 兜底", rule + "\n  # ---- 兜底")
    line = line_of(pack, "id: impossible")
    assert (
        f"rules/scenarios.yaml:{line}: 规则 impossible 永远不会命中：条件互相矛盾，或与中心包的事项、窗口对不上"
        in problems(pack)
    )


def test_rule_behind_a_broader_rule_never_takes_effect(pack: Path) -> None:
    rule = BASE_RULE.replace("ready_to_handle", "food_only").replace(
        "priority: 100", "priority: 150"
    )
    rule = rule.replace(
        "all_conditions_met: true}", "all_conditions_met: true, matter: food_business_licence_new}"
    )
    edit_rules(pack, "  # ---- 兜底", rule + "\n  # ---- 兜底")
    found = problems(pack)
    assert any("规则 food_only 永远不会生效" in p and "ready_to_handle" in p for p in found)


def test_a_gap_without_catch_all_is_reported(pack: Path) -> None:
    start = line_of(pack, "- id: catch_all_consultation_desk")
    edit_rules(
        pack, "  - id: unknown_matter_at_kiosk\n", "  - id: unknown_matter_at_kiosk_disabled\n"
    )
    edit_rules(
        pack,
        "      matter_known: false\n    then:\n      outcome: escalate\n      escalate_to: consultation_desk\n",
        "      matter_known: false\n      has_description: true\n    then:\n      outcome: escalate\n      escalate_to: consultation_desk\n",
    )
    text = (pack / "rules" / "scenarios.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    end = line_of(pack, "# ---- 附加规则")
    del text[start - 1 + 1 : end - 1]  # drop the catch-all (its line numbers moved by one)
    (pack / "rules" / "scenarios.yaml").write_text("".join(text), encoding="utf-8")
    found = problems(pack)
    assert any("没有任何结果规则命中" in p for p in found), found


def test_flag_rule_must_not_decide_outcome(pack: Path) -> None:
    edit_rules(
        pack,
        "    then:\n      coordinate: true\n",
        "    then:\n      coordinate: true\n      outcome: handle\n",
    )
    assert any("附加规则 cross_department_consultation 不能决定结果" in p for p in problems(pack))


def test_grey_zone_rule_needs_deadline_and_report(pack: Path) -> None:
    edit_rules(
        pack,
        "      working_days: 5\n      report_to: unit_leader\n",
        "      report_to: unit_leader\n",
    )
    assert any("grey_zone，需写明答复期限 working_days" in p for p in problems(pack))


def test_equal_priorities_are_refused(pack: Path) -> None:
    edit_rules(pack, "    priority: 20\n", "    priority: 10\n")
    assert any("优先级同为 10" in p for p in problems(pack))


def test_512_rules_are_refused_before_durable_rules_sees_them(pack: Path) -> None:
    extra = "".join(
        BASE_RULE.replace("ready_to_handle", f"filler_{i}").replace(
            "priority: 100", f"priority: {2000 + i}"
        )
        for i in range(500)
    )
    edit_rules(pack, "  # ---- 附加规则", extra + "  # ---- 附加规则")
    found = problems(pack)
    assert len(found) == 1 and "超过上限 511 条" in found[0]


def test_pack_reference_errors_name_file_and_line(pack: Path) -> None:
    path = pack / "guides" / "matters" / "tax.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("unit: tax", "unit: taxx", 1), encoding="utf-8")
    line = next(
        i
        for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "unit: taxx" in s
    )
    assert any(
        p.startswith(f"guides/matters/tax.yaml:{line}: ") and "未知单位 taxx" in p
        for p in problems(pack)
    )


def test_calendar_errors_name_file_and_line(pack: Path) -> None:
    path = pack / "rules" / "calendar.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("2026-01-04, 2026-02-14", "2026-01-05, 2026-02-14"), encoding="utf-8"
    )
    found = problems(pack)
    assert any(p.startswith("rules/calendar.yaml:") and "本来就是工作日" in p for p in found)


def test_cli_exit_codes(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", "--data", str(pack)]) == 0
    edit_rules(pack, "    priority: 20\n", "    priority: 二十\n")
    assert main(["rules", "check", "--data", str(pack)]) == 1
    out = capsys.readouterr().out
    assert "rules/scenarios.yaml:" in out and "Traceback" not in out
