"""Periodic statistics over cases for the business section, and a text bar chart (pure)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kiosk.domain.cases import Case
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.workflow_rules import PENDING

OUTCOME_NAMES = {
    "handle": "可以办理",
    "incomplete": "一次性告知",
    "redirect": "引导办理",
    "escalate": "协调答复",
    "grey_zone": "模糊地带",
}
STATE_NAMES = {
    "registered": "已登记",
    "assessed": "已研判",
    "reported": "已上报",
    "consultation": "会商中",
    "replied": "已答复",
    "closed": "已办结",
    "veto_requested": "否决待审批",
    "veto_head_approved": "否决待单位审核",
    "veto_unit_reviewed": "否决待报备",
    "veto_filed": "否决已报备",
    "veto_tracked": "否决跟踪中",
    "veto_final": "否决有最终结果",
}
#: Timeline actions that record the reply to the applicant (fallback when no workflow record).
REPLY_ACTIONS = frozenset({"reply", "答复"})
#: Timeline actions that record a clerk's veto request (fallback when no workflow record).
VETO_ACTIONS = frozenset({"request_veto"})
#: What the workflow writes before the reason in the request_veto timeline note.
VETO_NOTE_PREFIX = "请示否决："
#: States in which a case still waits for its reply (a filed veto is the answer).
OPEN_STATES = PENDING
NONE_LABEL = "（未指定）"
NO_REASON = "（未填写理由）"
BAR = "█"
PARTS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True)
class CaseRow:
    """One case of the period, as the statistics saw it (the detail sheet)."""

    number: str
    day: date
    unit: str
    window: str
    matter: str
    outcome: str
    state: str
    reply_due: date | None
    replied_on: date | None
    on_time: bool | None  # None: not replied and not yet due
    overdue: bool
    veto_reason: str  # "" when no veto was requested


@dataclass(frozen=True)
class Statistics:
    """Counts and rates of the cases created from `start` to `end` (inclusive), as of `as_of`.

    Every `by_*` tuple holds (label, count) pairs, largest count first, then by label.
    `on_time_rate` is on-time replies over the cases whose reply was due: replied ones (on
    time or late) plus open ones already past their due date; None when there is none.
    """

    start: date
    end: date
    as_of: date
    rows: tuple[CaseRow, ...]
    by_unit: tuple[tuple[str, int], ...]
    by_window: tuple[tuple[str, int], ...]
    by_matter: tuple[tuple[str, int], ...]
    by_outcome: tuple[tuple[str, int], ...]
    by_state: tuple[tuple[str, int], ...]
    by_reason: tuple[tuple[str, int], ...]
    total: int
    replied: int
    replied_on_time: int
    reply_owed: int
    overdue: int
    vetoes: int

    @property
    def on_time_rate(self) -> float | None:
        """On-time replies over replies owed (0.0 to 1.0), or None when nothing was owed."""
        return self.replied_on_time / self.reply_owed if self.reply_owed else None

    def summary(self) -> list[tuple[str, str]]:
        """The headline figures as (label, text) pairs, for the 汇总 sheet and the screen."""
        rate = self.on_time_rate
        return [
            ("统计期间", f"{self.start.isoformat()} 至 {self.end.isoformat()}"),
            ("统计日", self.as_of.isoformat()),
            ("登记件数", str(self.total)),
            ("已答复件数", str(self.replied)),
            ("按期答复件数", str(self.replied_on_time)),
            ("应答复件数", str(self.reply_owed)),
            ("按期答复率", "—" if rate is None else f"{rate:.1%}"),
            ("超期未答复件数", str(self.overdue)),
            ("否决请示件数", str(self.vetoes)),
        ]


def compute_statistics(
    cases: Iterable[Case], catalogue: Catalogue, start: date, end: date, as_of: date
) -> Statistics:
    """Count the cases created from `start` to `end` (inclusive).

    What is read from a case (all reads are defensive; a missing record counts as unknown):

    * unit: the matter's unit in the catalogue, else the unit of the window, else
      `decision["go_to"]["unit"]`;
    * window: `request["at_window"]`, else `decision["go_to"]["window_id"]`, else the
      `go_to` window text;
    * reply date: `case.workflow["reply"]["date"]` (YYYY-MM-DD, as the reply action records
      it), else the day (`at`) of the first timeline entry whose action is `reply`;
    * veto reason: `case.workflow["veto"]["reasons"]` while a veto request stands (one the
      window head sent back is popped from there and is not counted); a case with no workflow
      record at all falls back to the note of its first `request_veto` timeline entry.

    A case is on time when its reply date is on or before `decision["reply_due"]`; it is
    overdue when it is still open (no reply, state in `OPEN_STATES`) and its due date is
    before `as_of`.

    Args:
        cases: the cases to look at (any order; those outside the period are skipped).
        catalogue: the centre pack, for unit, window and matter names.
        start: the first day of the period.
        end: the last day of the period.
        as_of: the day overdue is judged on (usually today).

    Returns:
        The statistics of the period.

    Raises:
        ValueError: `end` is before `start`.
    """
    if end < start:
        raise ValueError(f"统计期间不正确：{start.isoformat()} 晚于 {end.isoformat()}")
    rows = tuple(
        sorted(
            (case_row(case, catalogue, as_of) for case in cases if start <= case.day <= end),
            key=lambda r: (r.day, r.number),
        )
    )
    return Statistics(
        start=start,
        end=end,
        as_of=as_of,
        rows=rows,
        by_unit=_count(r.unit for r in rows),
        by_window=_count(r.window for r in rows),
        by_matter=_count(r.matter for r in rows),
        by_outcome=_count(r.outcome for r in rows),
        by_state=_count(r.state for r in rows),
        by_reason=_count(r.veto_reason for r in rows if r.veto_reason),
        total=len(rows),
        replied=sum(1 for r in rows if r.replied_on is not None),
        replied_on_time=sum(1 for r in rows if r.on_time),
        reply_owed=sum(1 for r in rows if r.on_time is not None),
        overdue=sum(1 for r in rows if r.overdue),
        vetoes=sum(1 for r in rows if r.veto_reason),
    )


def case_row(case: Case, catalogue: Catalogue, as_of: date) -> CaseRow:
    """What the statistics read from one case (see `compute_statistics`)."""
    decision = case.decision or {}
    go_to = decision.get("go_to") or {}
    due = _date(decision.get("reply_due"))
    replied = reply_date(case)
    is_open = replied is None and case.state in OPEN_STATES
    overdue = is_open and due is not None and due < as_of
    if due is None:
        on_time = None
    elif replied is not None:
        on_time = replied <= due
    else:
        on_time = False if overdue else None
    reason = veto_reason(case)
    return CaseRow(
        number=case.number,
        day=case.day,
        unit=_unit(case, catalogue, go_to),
        window=_window(case, catalogue, go_to),
        matter=_matter(case, catalogue),
        outcome=OUTCOME_NAMES.get(case.outcome, case.outcome or NONE_LABEL),
        state=STATE_NAMES.get(str(case.state), str(case.state)),
        reply_due=due,
        replied_on=replied,
        on_time=on_time,
        overdue=overdue,
        veto_reason="" if reason is None else (reason or NO_REASON),
    )


def reply_date(case: Case) -> date | None:
    """The day the applicant was answered, or None (see `compute_statistics`)."""
    reply = _record(case).get("reply")
    if isinstance(reply, Mapping):
        day = _date(reply.get("date"))
        if day is not None:
            return day
    for entry in case.timeline:
        if entry.action in REPLY_ACTIONS:
            return _date(entry.at)
    return None


def veto_reason(case: Case) -> str | None:
    """The reason of the standing veto request ("" when blank), or None when there is none."""
    record = _record(case)
    veto = record.get("veto")
    if isinstance(veto, Mapping):
        return str(veto.get("reasons") or veto.get("reason") or "").strip()
    if record:  # the workflow is recording this case: no standing veto request
        return None
    for entry in case.timeline:
        if entry.action in VETO_ACTIONS:
            return (entry.note or "").strip().removeprefix(VETO_NOTE_PREFIX).strip()
    return None


def _record(case: Case) -> Mapping[str, Any]:
    """The structured results of staff actions (`Case.workflow`), or an empty mapping."""
    value = getattr(case, "workflow", None)
    return value if isinstance(value, Mapping) else {}


def _date(value: object) -> date | None:
    """A date from `YYYY-MM-DD` or an ISO datetime (its own local day), else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text).date() if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        return None


def _matter_id(case: Case) -> str | None:
    matter = case.decision.get("matter") if case.decision else None
    if isinstance(matter, Mapping) and matter.get("id"):
        return str(matter["id"])
    return case.matter_id


def _window_id(case: Case, go_to: Mapping[str, Any]) -> str | None:
    at_window = case.request.get("at_window") if case.request else None
    return at_window or go_to.get("window_id")


def _unit(case: Case, catalogue: Catalogue, go_to: Mapping[str, Any]) -> str:
    matter = catalogue.matters.get(_matter_id(case) or "")
    unit_id = matter.unit if matter else None
    if unit_id is None:
        window = catalogue.windows.get(_window_id(case, go_to) or "")
        unit_id = window.unit if window else None
    if unit_id is not None:
        unit = catalogue.units.get(unit_id)
        return unit.name if unit else unit_id
    return str(go_to.get("unit") or NONE_LABEL)


def _window(case: Case, catalogue: Catalogue, go_to: Mapping[str, Any]) -> str:
    window_id = _window_id(case, go_to)
    window = catalogue.windows.get(window_id or "")
    if window is not None:
        return f"{window.number}号窗口 {window.name}"
    return str(window_id or go_to.get("window") or NONE_LABEL)


def _matter(case: Case, catalogue: Catalogue) -> str:
    matter_id = _matter_id(case)
    matter = catalogue.matters.get(matter_id or "")
    if matter is not None:
        return matter.name
    named = case.decision.get("matter") if case.decision else None
    if isinstance(named, Mapping) and named.get("name"):
        return str(named["name"])
    return matter_id or "（无对应事项）"


def _count(labels: Iterable[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(labels)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def text_width(text: str) -> int:
    """Terminal columns of a text: wide and fullwidth characters (CJK) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _fit(text: str, columns: int) -> str:
    """The text cut to at most `columns` columns (with … when cut), padded to exactly that."""
    if columns <= 0:
        return ""
    if text_width(text) > columns:
        out = ""
        for char in text:
            if text_width(out + char) > columns - 1:
                break
            out += char
        text = out + "…"
    return text + " " * (columns - text_width(text))


def bar_chart(pairs: Sequence[tuple[str, float]], width: int) -> list[str]:
    """Horizontal bars, one line per (label, value), each line exactly `width` columns.

    Labels are padded to a common width (CJK characters count two columns, a long label is cut
    with …), the value is printed after its bar, and bars are scaled so the largest value fills
    the space left; eighth blocks give sub-column resolution. A zero value has no bar.

    Args:
        pairs: (label, value) pairs in display order; values must not be negative.
        width: the columns of each line (at least 10).

    Returns:
        The chart lines; an empty list for no pairs.

    Raises:
        ValueError: a negative value or a width below 10.
    """
    if width < 10:
        raise ValueError("图表宽度至少 10 列")
    if any(value < 0 for _, value in pairs):
        raise ValueError("图表数值不能为负")
    if not pairs:
        return []
    numbers = [_number(value) for _, value in pairs]
    value_cols = max(text_width(n) for n in numbers)
    label_cols = min(max(text_width(label) for label, _ in pairs), max(4, width // 3))
    bar_cols = max(1, width - label_cols - value_cols - 2)
    label_cols = max(0, width - bar_cols - value_cols - 2)
    top = max(value for _, value in pairs) or 1
    lines = []
    for (label, value), number in zip(pairs, numbers, strict=True):
        eighths = round(value / top * bar_cols * 8)
        bar = BAR * (eighths // 8) + (PARTS[eighths % 8] if eighths % 8 else "")
        line = f"{_fit(label, label_cols)} {bar}"
        lines.append(_fit(line, width - value_cols - 1) + " " + number.rjust(value_cols))
    return lines


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"
