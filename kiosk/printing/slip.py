"""Compose a receipt slip and the 否决事项报备登记表 into paper lines (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from kiosk.domain.calendar import WorkingCalendar
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.masking import mask_name, mask_phone
from kiosk.domain.ports import Slip
from kiosk.printing.escpos_text import qr_marker
from kiosk.printing.layout import Line, center, display_width, field, printable, rule, wrap


class _Paper:
    """Collects lines for one paper width; every text goes through `printable` first."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.lines: list[Line] = []

    def text(self, text: str, *, tall: bool = False, centred: bool = False) -> None:
        for line in wrap(printable(text), self.columns):
            self.lines.append(Line(center(line, self.columns) if centred else line, tall=tall))

    def field(self, label: str, value: object) -> None:
        if value in (None, ""):
            return
        for line in field(printable(label), printable(str(value)), self.columns):
            self.lines.append(Line(line))

    def item(self, text: str, indent: str) -> None:
        for line in wrap(printable(text), self.columns, indent=indent):
            self.lines.append(Line(line))

    def rule(self, char: str = "-") -> None:
        self.lines.append(Line(rule(self.columns, char)))

    def qr(self, content: str) -> None:
        marker = printable(qr_marker(content))
        if display_width(marker) <= self.columns:  # longer codes are not case numbers
            self.lines.append(Line(marker, qr=content))


def render_lines(lines: Sequence[Line]) -> str:
    """The text of some paper lines, one line per paper line (what `render` returns)."""
    return "\n".join(line.text for line in lines)


def compose_slip(
    slip: Slip,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    columns: int,
    template: Mapping[str, Any],
    *,
    contact_masked: bool = False,
) -> list[Line]:
    """Lay out the receipt for one decision.

    Args:
        slip: the decision, time, case number and raw applicant contact (masked here).
        catalogue: the centre pack (centre name, phones, unit names).
        calendar: the working-day calendar (dates are printed with weekday and 调休 status).
        columns: the paper width (32 or 48).
        template: the parsed `receipts/slip.yaml`.
        contact_masked: the slip's name and phone are already masked (a queued slip).

    Returns:
        The paper lines; none is wider than `columns`.

    Raises:
        ValueError: the decision's outcome has no template.
    """
    decision = slip.decision
    outcome = str(decision.get("outcome"))
    spec = template["outcomes"].get(outcome)
    if spec is None:
        raise ValueError(f"回执模板没有这种结果：{outcome}")
    labels = template["labels"]
    centre = catalogue.centre
    paper = _Paper(columns)
    paper.text(centre.name, tall=True, centred=True)
    paper.text(template["title"], centred=True)
    paper.rule()
    paper.field(labels["case_number"], slip.case_number)
    paper.field(labels["time"], _when(slip.printed_at, calendar))
    matter = decision.get("matter") or {}
    paper.field(labels["matter"], matter.get("name") or template["no_matter"])
    name, phone = slip.applicant_name.strip(), slip.applicant_phone.strip()
    if name:
        paper.field(labels["applicant"], name if contact_masked else mask_name(name))
    if phone:
        paper.field(labels["contact"], phone if contact_masked else mask_phone(phone))
    paper.rule()
    paper.text(spec["heading"], tall=True)
    _outcome_block(paper, decision, spec, template, catalogue, calendar)
    paper.rule()
    paper.field(labels["consultation_phone"], centre.consultation_phone)
    paper.field(labels["supervision_phone"], centre.supervision_phone)
    if labels.get("complaint_phone"):
        paper.field(labels["complaint_phone"], centre.complaint_phone)
    if slip.case_number:
        paper.qr(slip.case_number)
    paper.text(template["footer"], centred=True)
    return paper.lines


def _outcome_block(
    paper: _Paper,
    decision: Mapping[str, Any],
    spec: Mapping[str, Any],
    template: Mapping[str, Any],
    catalogue: Catalogue,
    calendar: WorkingCalendar,
) -> None:
    place = decision.get("go_to") or {}
    missing = decision.get("missing") or []
    who_key = decision.get("escalate_to") or ""
    values = {
        "window": place.get("window") or place.get("unit") or "",
        "unit": place.get("unit") or "",
        "who": template["escalate_to"].get(who_key, place.get("unit") or ""),
        "report_to": template["report_to"].get(decision.get("report_to") or "", ""),
        "count": len(missing),
    }
    paper.text(_fill(spec["text"], values))
    if decision.get("outcome") == "incomplete":
        for n, item in enumerate(missing, start=1):
            head = _fill(spec["item"], {"n": n, "missing": item.get("text", "")})
            indent = " " * display_width(_fill(spec["item"], {"n": n}))
            paper.item(head, indent)
            if item.get("remedy"):
                paper.item(indent + _fill(spec["remedy"], {"remedy": item["remedy"]}), indent)
        if spec.get("after"):
            paper.text(spec["after"])
    for key, label in (spec.get("place") or {}).items():
        paper.field(label, place.get(key))
    if decision.get("consultation"):
        paper.text(template["consultation"])
    units = [catalogue.units[u].name if u in catalogue.units else u for u in _ids(decision)]
    if units:
        paper.text(_fill(template["coordinate_with"], {"units": "、".join(units)}))
    _reply(paper, decision, template["reply"], calendar)


class _Values(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(text: str, values: Mapping[str, object]) -> str:
    """`str.format` where a placeholder without a value prints as nothing."""
    return text.format_map(_Values(values))


def _ids(decision: Mapping[str, Any]) -> list[str]:
    return [str(u) for u in decision.get("coordinate_with") or []]


def _reply(
    paper: _Paper,
    decision: Mapping[str, Any],
    reply: Mapping[str, str],
    calendar: WorkingCalendar,
) -> None:
    if decision.get("working_days"):
        paper.text(_fill(reply["days"], {"days": decision["working_days"]}))
    if decision.get("counting_starts"):
        start = _day(decision["counting_starts"], calendar)
        paper.text(_fill(reply["counting_starts"], {"date": start}))
    if decision.get("reply_due"):
        due = _fill(reply["due"], {"date": _day(decision["reply_due"], calendar)})
        paper.text(due)
        if decision.get("reply_due_provisional"):
            paper.text(reply["provisional"])


def _day(value: object, calendar: WorkingCalendar) -> str:
    try:
        return calendar.describe(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _when(printed_at: str, calendar: WorkingCalendar) -> str:
    try:
        moment = datetime.fromisoformat(printed_at)
    except ValueError:
        return printed_at
    return f"{calendar.describe(moment.date())} {moment:%H:%M}"


def compose_filing_form(
    fields: Mapping[str, object],
    catalogue: Catalogue,
    columns: int,
    template: Mapping[str, Any],
    *,
    contact_masked: bool = False,
) -> list[Line]:
    """Lay out the 否决事项报备登记表 in its labelled copies, cut apart.

    Each copy carries the centre name, the form title, the copy's label (一份给服务对象 /
    一份给业务科室 / 一份由窗口存档), every field of the form and the triplicate note. The
    applicant's name and contact are masked; an empty field leaves lines to write on.

    Args:
        fields: field values by key (see `receipts/filing_form.yaml`: reporting_unit, date,
            window, clerk, applicant, contact, matter, accepted_on, facts, reasons,
            window_head_opinion, unit_review_opinion, progress, remarks, case_number).
        catalogue: the centre pack (centre name).
        columns: the paper width.
        template: the parsed `receipts/filing_form.yaml`.
        contact_masked: the masked fields are already masked (a queued form).

    Returns:
        The lines of all copies; the last line of each copy has `cut=True`.

    Raises:
        ValueError: a key is not a field of the form.
    """
    known = {item["key"] for item in template["fields"]}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ValueError(f"登记表没有这些栏目：{'、'.join(unknown)}")
    if not contact_masked:
        fields = mask_form_fields(fields, template)
    lines: list[Line] = []
    for copy in template["copies"]:
        paper = _Paper(columns)
        paper.text(catalogue.centre.name, centred=True)
        paper.text(template["title"], tall=True, centred=True)
        paper.text(copy, centred=True)
        paper.rule("=")
        for item in template["fields"]:
            value = fields.get(item["key"])
            text = "" if value is None else str(value).strip()
            label = f"{item['label']}："
            if text:
                paper.field(label, text)
            else:  # room to write by hand: the rest of the label's line, then whole lines
                blank = item.get("blank", 1)
                width = display_width(printable(label))
                paper.text(label + "_" * (columns - width) if blank and width < columns else label)
                for _ in range(blank - 1):
                    paper.text("_" * columns)
        paper.rule("=")
        paper.text(template["note"])
        last = paper.lines[-1]
        paper.lines[-1] = Line(last.text, tall=last.tall, qr=last.qr, cut=True)
        lines += paper.lines
    return lines


def mask_form_fields(fields: Mapping[str, object], template: Mapping[str, Any]) -> dict[str, str]:
    """The form's field values as text, with the fields marked `mask` in the template masked."""
    masks = {item["key"]: item.get("mask") for item in template["fields"]}
    out: dict[str, str] = {}
    for key, value in fields.items():
        text = "" if value is None else str(value).strip()
        if text and masks.get(key) == "name":
            text = mask_name(text)
        elif text and masks.get(key) == "phone":
            text = mask_phone(text)
        out[key] = text
    return out
