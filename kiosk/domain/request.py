"""An applicant's request, validated against the catalogue (the `kiosk classify` input)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from kiosk.domain.catalogue import Catalogue

CHINA_TZ = timezone(timedelta(hours=8), "CST")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100  # the years a working calendar may hold
KNOWN_KEYS = frozenset(
    {
        "matter",
        "description",
        "at_window",
        "conditions",
        "legal_basis",
        "major",
        "departments",
        "received_at",
    }
)


class RequestError(ValueError):
    """The request cannot be classified; the message says why in one line."""

    def __init__(self, message: str) -> None:
        """Keep the message on one line: echoed input has its control characters escaped."""
        super().__init__("".join(c if c.isprintable() else repr(c)[1:-1] for c in message))


@dataclass(frozen=True)
class Request:
    """A validated request. Condition answers: True met, False not met, None 不确定."""

    received_at: datetime
    matter: str | None = None
    description: str = ""
    at_window: str | None = None
    conditions: Mapping[str, bool | None] = field(default_factory=dict)
    legal_basis: str = "clear"
    major: bool = False
    departments: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The request in its JSON form."""
        return {
            "matter": self.matter,
            "description": self.description,
            "at_window": self.at_window,
            "conditions": dict(self.conditions),
            "legal_basis": self.legal_basis,
            "major": self.major,
            "departments": list(self.departments),
            "received_at": self.received_at.isoformat(),
        }


def parse_request(data: Any, catalogue: Catalogue, now: datetime) -> Request:
    """Validate request data against the catalogue.

    Args:
        data: the parsed JSON object.
        catalogue: the centre pack in force.
        now: used when `received_at` is absent.

    Returns:
        The validated request.

    Raises:
        RequestError: with a one-line message naming the bad field.
    """
    if not isinstance(data, Mapping):
        raise RequestError("请求必须是一个 JSON 对象")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise RequestError(f"未知字段：{', '.join(unknown)}")

    matter_id = _optional_str(data, "matter")
    matter = None
    if matter_id is not None:
        matter = catalogue.matters.get(matter_id)
        if matter is None:
            raise RequestError(f"未知事项：{matter_id}")

    window = _optional_str(data, "at_window")
    if window is not None and window not in catalogue.windows:
        raise RequestError(f"未知窗口：{window}")

    raw_conditions = data.get("conditions") or {}
    if not isinstance(raw_conditions, Mapping):
        raise RequestError('conditions 必须是对象，例如 {"has_premises": true}')
    conditions: dict[str, bool | None] = {}
    for key, value in raw_conditions.items():
        if matter is None:
            raise RequestError(f"未指定事项时不能回答受理条件：{key}")
        if matter.condition(key) is None:
            raise RequestError(f"事项 {matter.id} 没有受理条件：{key}")
        if value is not None and not isinstance(value, bool):
            raise RequestError(f"受理条件 {key} 的回答必须是 true、false 或 null（不确定）")
        conditions[key] = value

    legal_basis = data.get("legal_basis") or "clear"
    if legal_basis not in ("clear", "unclear"):
        raise RequestError("legal_basis 只能是 clear 或 unclear")

    major = data.get("major", False)
    if not isinstance(major, bool):
        raise RequestError("major 必须是 true 或 false")

    departments = data.get("departments") or []
    if not isinstance(departments, list) or not all(isinstance(d, str) for d in departments):
        raise RequestError("departments 必须是单位编号的列表")
    for unit in departments:
        if unit not in catalogue.units:
            raise RequestError(f"未知单位：{unit}")

    description = data.get("description") or ""
    if not isinstance(description, str):
        raise RequestError("description 必须是文字")

    return Request(
        received_at=_received_at(data.get("received_at"), now),
        matter=matter_id,
        description=description.strip(),
        at_window=window,
        conditions=conditions,
        legal_basis=legal_basis,
        major=major,
        departments=tuple(dict.fromkeys(departments)),
    )


def _optional_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RequestError(f"{key} 必须是文字编号或 null")
    return value


def _received_at(value: Any, now: datetime) -> datetime:
    if value is None:
        moment = now
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise RequestError(
                f"received_at 时间格式不正确：{value}（应为 2026-11-27T10:30:00+08:00）"
            ) from None
    else:
        raise RequestError("received_at 必须是 ISO 8601 时间文字")
    # The centre works in China time; a time without offset is taken as China time.
    try:
        local = (
            moment.replace(tzinfo=CHINA_TZ)
            if moment.tzinfo is None
            else moment.astimezone(CHINA_TZ)
        )
    except OverflowError:
        local = None
    if local is None or not EARLIEST_YEAR <= local.year <= LATEST_YEAR:
        # Deadlines are counted on the working calendar; far-off years cannot be counted.
        raise RequestError(
            f"received_at 超出可处理的范围（{EARLIEST_YEAR}—{LATEST_YEAR} 年）：{moment.isoformat()}"
        )
    return local
