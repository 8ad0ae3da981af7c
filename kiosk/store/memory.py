"""In-memory case repository with the same semantics as the TinyDB one, for fast domain tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

from kiosk.domain.cases import Case, format_case_number
from kiosk.domain.ports import CaseNotFoundError
from kiosk.store.records import (
    check_centre_code,
    from_record,
    in_range,
    list_order,
    number_parts,
    seal_record,
    to_record,
)


class InMemoryCaseRepository:
    """Implements ``CaseRepository`` in a dict; nothing survives the process.

    Numbers, ordering, copy-on-read and errors match :class:`TinyDbCaseRepository`, so domain
    tests written against this one hold for the durable one.
    """

    def __init__(self) -> None:
        """Create an empty repository."""
        self._records: dict[str, dict[str, Any]] = {}
        self._last_sequence: dict[tuple[str, date], int] = {}
        self._lock = threading.Lock()

    def add(self, case: Case, centre_code: str) -> Case:
        """Give the case the next number of its centre and day, store a copy, return it.

        Args:
            case: The new case; its ``number`` is set on success.
            centre_code: Two to eight capital letters.

        Returns:
            The same case object, now numbered.

        Raises:
            ValueError: Malformed centre code or ``created_at``.
            TypeError: The case holds values JSON cannot represent.
            UnicodeEncodeError: The case holds text UTF-8 cannot encode.
        """
        check_centre_code(centre_code)
        day = case.day
        record = to_record(case, "")
        with self._lock:
            seq = self._last_sequence.get((centre_code, day), 0) + 1
            number = format_case_number(centre_code, day, seq)
            record["number"] = number
            seal_record(record)
            self._records[number] = record
            self._last_sequence[(centre_code, day)] = seq
        case.number = number
        case.seal()
        return case

    def get(self, number: str) -> Case:
        """The case with this number, as a fresh object.

        Args:
            number: A case number.

        Returns:
            A copy of the stored case.

        Raises:
            CaseNotFoundError: No case has this number.
        """
        with self._lock:
            record = self._records.get(number)
            if record is None:
                raise CaseNotFoundError(f"没有编号为 {number} 的案件")
            return from_record(record)

    def update(self, case: Case) -> None:
        """Replace the stored case that has the same number.

        Args:
            case: The changed case.

        Raises:
            CaseNotFoundError: No case has this number.
            TypeError: The case holds values JSON cannot represent.
        """
        if number_parts(case.number) is None:
            raise CaseNotFoundError(f"没有编号为 {case.number} 的案件，无法更新")
        case.seal()
        record = to_record(case, case.number)
        with self._lock:
            if case.number not in self._records:
                raise CaseNotFoundError(f"没有编号为 {case.number} 的案件，无法更新")
            self._records[case.number] = record

    def count(self) -> int:
        """How many cases are stored.

        Returns:
            The number of cases.
        """
        with self._lock:
            return len(self._records)

    def list(self, since: date | None = None, until: date | None = None) -> Iterator[Case]:
        """Cases of the days [since, until] (the day in their number), oldest first.

        Args:
            since: First day included, or None for no lower bound.
            until: Last day included, or None for no upper bound.

        Yields:
            Fresh case objects, by day, then sequence, then centre code.
        """
        with self._lock:
            selected = [
                (list_order(number), record)
                for number, record in self._records.items()
                if in_range(list_order(number)[0], since, until)
            ]
        selected.sort(key=lambda item: item[0])
        for _key, record in selected:
            yield from_record(record)
