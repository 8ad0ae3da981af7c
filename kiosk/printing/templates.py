"""Load and check the receipt templates in `receipts/` (slip.yaml, filing_form.yaml)."""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kiosk.domain.decision import OUTCOMES

#: The repository's `receipts/` directory (the bootstrap may pass `<data dir>/receipts`).
DEFAULT_RECEIPTS_DIR = Path(__file__).resolve().parents[2] / "receipts"
SLIP_FILE = "slip.yaml"
FORM_FILE = "filing_form.yaml"

PLACEHOLDERS = {
    "window",
    "unit",
    "who",
    "report_to",
    "count",
    "n",
    "missing",
    "remedy",
    "units",
    "days",
    "date",
}
SLIP_REQUIRED = (
    "title",
    "labels.case_number",
    "labels.time",
    "labels.matter",
    "labels.applicant",
    "labels.contact",
    "labels.consultation_phone",
    "labels.supervision_phone",
    "no_matter",
    "footer",
    *(f"outcomes.{o}.{k}" for o in OUTCOMES for k in ("heading", "text")),
    "outcomes.incomplete.item",
    "outcomes.incomplete.remedy",
    "escalate_to",
    "report_to",
    "consultation",
    "coordinate_with",
    "reply.days",
    "reply.counting_starts",
    "reply.due",
    "reply.provisional",
)
FORM_REQUIRED = ("title", "copies", "fields", "note")
PLACE_KEYS = {"unit", "window", "address", "phone", "hours", "responsible_unit"}


class TemplateError(ValueError):
    """A receipt template is missing, unreadable or wrong; the message names file and key."""


@dataclass(frozen=True)
class Templates:
    """The parsed receipt templates."""

    slip: Mapping[str, Any]
    filing_form: Mapping[str, Any]


def load_templates(directory: Path | None = None) -> Templates:
    """Read and check `slip.yaml` and `filing_form.yaml`.

    Args:
        directory: the receipts directory; the repository's `receipts/` when None.

    Returns:
        The templates.

    Raises:
        TemplateError: a file is missing or invalid (Chinese message with file and key).
    """
    directory = directory or DEFAULT_RECEIPTS_DIR
    slip = _read(directory / SLIP_FILE)
    form = _read(directory / FORM_FILE)
    _check(directory / SLIP_FILE, slip, SLIP_REQUIRED)
    _check(directory / FORM_FILE, form, FORM_REQUIRED)
    for outcome, spec in slip["outcomes"].items():
        unknown = set((spec or {}).get("place") or {}) - PLACE_KEYS
        if unknown:
            raise TemplateError(
                f"{directory / SLIP_FILE}：outcomes.{outcome}.place 有未知项 "
                f"{'、'.join(sorted(unknown))}（可用：{'、'.join(sorted(PLACE_KEYS))}）"
            )
    _check_form(directory / FORM_FILE, form)
    return Templates(slip=slip, filing_form=form)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TemplateError(f"读不到回执模板 {path}：{error.strerror or error}") from error
    except yaml.YAMLError as error:
        raise TemplateError(f"回执模板 {path} 不是合法的 YAML：{error}") from error
    if not isinstance(data, dict):
        raise TemplateError(f"回执模板 {path} 的内容必须是键值对")
    return data


def _lookup(data: Mapping[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def _check(path: Path, data: Mapping[str, Any], required: tuple[str, ...]) -> None:
    missing = [key for key in required if _lookup(data, key) in (None, "")]
    if missing:
        raise TemplateError(f"回执模板 {path} 缺少：{'、'.join(missing)}")
    for where, text in _strings(data, ""):
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as error:
            raise TemplateError(f"{path}：{where} 的花括号不成对：{text}") from error
        unknown = names - PLACEHOLDERS
        if unknown:
            raise TemplateError(
                f"{path}：{where} 有未知的占位符 {'、'.join('{' + n + '}' for n in sorted(unknown))}"
                f"（可用：{'、'.join(sorted(PLACEHOLDERS))}）"
            )


def _check_form(path: Path, form: Mapping[str, Any]) -> None:
    copies = form["copies"]
    if not isinstance(copies, list) or not copies:
        raise TemplateError(f"{path}：copies 必须列出每一份的名称")
    fields = form["fields"]
    if not isinstance(fields, list):
        raise TemplateError(f"{path}：fields 必须是列表")
    seen: set[str] = set()
    for index, item in enumerate(fields):
        if not isinstance(item, Mapping) or not item.get("key") or not item.get("label"):
            raise TemplateError(f"{path}：fields[{index}] 需要 key 和 label")
        if item["key"] in seen:
            raise TemplateError(f"{path}：fields[{index}] 的 key 重复：{item['key']}")
        seen.add(item["key"])
        if item.get("mask") not in (None, "name", "phone"):
            raise TemplateError(f"{path}：fields[{index}] 的 mask 只能是 name 或 phone")
        blank = item.get("blank", 1)
        if not isinstance(blank, int) or not 0 <= blank <= 10:
            raise TemplateError(f"{path}：fields[{index}] 的 blank 必须是 0 到 10 的整数")
