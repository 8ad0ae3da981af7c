"""Load and check `rules/calendar.yaml` into a domain WorkingCalendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kiosk.domain.calendar import WorkingCalendar, calendar_from_dict
from kiosk.engine.yamlsrc import Problem, SourceError, line_at, load_yaml

STATUSES = ("official", "provisional")


def load_calendar(data_dir: Path) -> WorkingCalendar:
    """Read `DATA/rules/calendar.yaml`.

    Raises:
        SourceError: with every problem as `file:line: message`.
    """
    path = data_dir / "rules" / "calendar.yaml"
    label = "rules/calendar.yaml" if path.is_relative_to(data_dir) else str(path)
    root = load_yaml(path, label)
    problems: list[Problem] = []

    def add(where: list[str | int], message: str) -> None:
        problems.append(Problem(label, line_at(root, where), message))

    if not isinstance(root, dict) or not isinstance(root.get("years"), dict):
        raise SourceError([Problem(label, 1, "文件应包含 years: 按年份列出的节假日安排")])
    change_from = root.get("next_year_may_change_from", "12-20")
    if not _is_month_day(change_from):
        add(["next_year_may_change_from"], 'next_year_may_change_from 应写成 "MM-DD"，例如 "12-20"')
    for year, raw in root["years"].items():
        where: list[str | int] = ["years", year]
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            add(where, f"年份应为四位数字：{year}")
            continue
        if not isinstance(raw, dict):
            add(where, "每年应为键值对象（status、source、holidays、workdays）")
            continue
        if raw.get("status") not in STATUSES:
            add(where + ["status"], "status 只能是 official（正式）或 provisional（预计）")
        for key in ("holidays", "workdays"):
            if not isinstance(raw.get(key) or [], list):
                add(where + [key], f"{key} 应为列表")
                raw = {**raw, key: []}
        for i, period in enumerate(raw.get("holidays") or []):
            at = where + ["holidays", i]
            if not isinstance(period, dict) or "name" not in period or "from" not in period:
                add(at, "节假日应写成 {name: 名称, from: 开始日期, to: 结束日期}")
                continue
            first, last = period["from"], period.get("to", period["from"])
            if not isinstance(first, date) or not isinstance(last, date):
                add(at, "日期应写成 YYYY-MM-DD")
            elif first.year != year or last.year != year or last < first:
                add(at, f"{period['name']} 的日期不在 {year} 年内或起止颠倒")
        for i, day in enumerate(raw.get("workdays") or []):
            if not isinstance(day, date) or day.year != year:
                add(where + ["workdays", i], f"调休上班日应为 {year} 年内的 YYYY-MM-DD 日期")
            elif day.weekday() < 5:
                add(where + ["workdays", i], f"调休上班日 {day} 本来就是工作日（应为周六或周日）")
    if problems:
        raise SourceError(problems)
    return calendar_from_dict(root)


def _is_month_day(value: object) -> bool:
    """True for `MM-DD` text naming a day of a leap year."""
    parts = str(value).split("-") if isinstance(value, str) else []
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        return False
    try:
        date(2024, int(parts[0]), int(parts[1]))
    except ValueError:
        return False
    return True
