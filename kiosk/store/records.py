"""Storage-neutral helpers shared by the case repositories: records, numbers, order, ranges."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from typing import Any

from kiosk.domain.cases import Case, CaseState, format_case_number, parse_case_number

CENTRE_CODE = re.compile(r"^[A-Z]{2,8}$")
# The required fields of the storage form written by Case.to_dict: field -> JSON type.
# (`workflow`, a dict, is optional: records written before the staff desk lack it.)
RECORD_FIELDS: dict[str, type] = {
    "number": str,
    "created_at": str,
    "outcome": str,
    "state": str,
    "request": dict,
    "decision": dict,
    "applicant": dict,
    "timeline": list,
}
STATES = frozenset(str(state) for state in CaseState)
ENTRY_REQUIRED = frozenset({"at", "actor", "role", "action"})
# `hash` is the chain link (kiosk.domain.chain); records written before it lack it.
ENTRY_FIELDS = ENTRY_REQUIRED | {"note", "hash"}


def check_centre_code(centre_code: str) -> str:
    """Validate a centre code before it becomes part of case numbers and file names.

    Args:
        centre_code: Two to eight capital letters, e.g. ``HJ``.

    Returns:
        The same code.

    Raises:
        ValueError: The code would make a malformed case number.
    """
    if not CENTRE_CODE.match(centre_code):
        raise ValueError(f"中心代码格式不正确（应为 2-8 个大写字母）：{centre_code!r}")
    return centre_code


def to_record(case: Case, number: str) -> dict[str, Any]:
    """The JSON form of a case under a given number, detached from the caller's objects.

    The round trip through JSON gives both repositories the same semantics: later changes to
    the caller's case (or its nested dicts) never reach the store without ``update``, and data
    that JSON cannot hold fails here, before anything is written.

    Args:
        case: The case to store.
        number: The case number to store it under.

    Returns:
        A fresh JSON-compatible dict.

    Raises:
        TypeError: The case holds values JSON cannot represent.
        UnicodeEncodeError: The case holds text UTF-8 cannot encode.
    """
    record = case.to_dict()
    record["number"] = number
    # Encoding to UTF-8 here makes text the file cannot hold (lone surrogates) fail in both
    # repositories alike, before anything is written.
    detached: dict[str, Any] = json.loads(json.dumps(record, ensure_ascii=False).encode("utf-8"))
    return detached


def seal_record(record: dict[str, Any]) -> None:
    """Chain the timeline of a numbered record in place (see ``Case.seal``).

    Args:
        record: A record from :func:`to_record` whose ``number`` is set.
    """
    case = Case.from_dict(record)
    case.seal()
    record["timeline"] = [entry.to_dict() for entry in case.timeline]


def from_record(record: dict[str, Any]) -> Case:
    """Rebuild a case that shares no mutable object with the stored record.

    Args:
        record: A stored record (see :func:`to_record`).

    Returns:
        A fresh case.
    """
    return Case.from_dict(copy.deepcopy(record))


def record_problem(record: Any) -> str | None:
    """What keeps a stored record from being a case, or None when ``Case.from_dict`` will work.

    A plain structural check rather than building the case: it runs over a whole chunk on
    every add, so it must be cheap.

    Args:
        record: A parsed JSON value.

    Returns:
        A short Chinese description of the first problem found, or None.
    """
    if not isinstance(record, dict):
        return "不是对象"
    for name, kind in RECORD_FIELDS.items():
        if not isinstance(record.get(name), kind):
            return f"缺少字段 {name} 或类型不对"
    # Written since the staff desk; records stored before it have no such field.
    if not isinstance(record.get("workflow", {}), dict):
        return "字段 workflow 类型不对"
    if record["state"] not in STATES:
        return f"状态 {record['state']} 未知"
    for entry in record["timeline"]:
        if not isinstance(entry, dict) or not ENTRY_REQUIRED <= entry.keys() <= ENTRY_FIELDS:
            return "办理记录格式不对"
    return None


def number_parts(number: str) -> tuple[str, date, int] | None:
    """Split a case number, or None when it is not one the store can hold.

    Only the canonical spelling counts: ``HJ-20261127-00001`` parses to sequence 1 but is not
    the number of that case, so it must not find (or overwrite) ``HJ-20261127-0001``.

    Args:
        number: A case number such as ``HJ-20261127-0007``.

    Returns:
        (centre code, day, sequence) or None.
    """
    try:
        parts = parse_case_number(number)
    except ValueError:
        return None
    return parts if format_case_number(*parts) == number else None


def list_order(number: str) -> tuple[date, int, str]:
    """Sort key for ``list``: by day, then sequence (registration order), then centre.

    Args:
        number: A well-formed case number.

    Returns:
        The key.
    """
    centre, day, seq = parse_case_number(number)
    return day, seq, centre


def in_range(day: date, since: date | None, until: date | None) -> bool:
    """Whether a day lies in [since, until], either end open when None.

    Args:
        day: The day to test.
        since: First day included, or None.
        until: Last day included, or None.

    Returns:
        True when the day is in range.
    """
    return (since is None or day >= since) and (until is None or day <= until)
