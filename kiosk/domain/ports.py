"""Ports: the interfaces the domain needs from the outside world (Protocols only)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from kiosk.domain.cases import Case


class StoreError(RuntimeError):
    """A storage failure the staff must see (the message is in Chinese and names the file)."""


class CorruptStoreError(StoreError):
    """A store file cannot be read; it is left untouched and must be repaired by hand."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"案件存储文件已损坏，未做任何修改：{path}（{reason}）")
        self.path = path
        self.reason = reason


class CaseNotFoundError(StoreError):
    """No case with that number."""


class CaseRepository(Protocol):
    """Durable case storage. Every method returns only after the data is on disk."""

    def add(self, case: Case, centre_code: str) -> Case:
        """Give the case a new number (unique across processes), store it durably, return it."""
        ...

    def get(self, number: str) -> Case:
        """The case with this number; CaseNotFoundError when there is none."""
        ...

    def update(self, case: Case) -> None:
        """Replace a stored case (same number) durably."""
        ...

    def list(self, since: date | None = None, until: date | None = None) -> Iterator[Case]:
        """Cases created in [since, until] (both inclusive, None = open), oldest first."""
        ...

    def count(self) -> int:
        """How many cases are stored."""
        ...


@dataclass(frozen=True)
class RuleVerdict:
    """What the rules decided for one set of facts, before dates and places are filled in."""

    outcome: str
    effects: Mapping[str, Any]
    rules_fired: tuple[str, ...]
    ruleset_version: str
    notes: tuple[str, ...] = field(default=())


class Classifier(Protocol):
    """Applies the rules in force to request facts."""

    def evaluate(self, facts: Mapping[str, Any]) -> RuleVerdict:
        """Evaluate the facts; never raises for a valid fact set."""
        ...

    @property
    def version(self) -> str:
        """Content hash of the rules in force."""
        ...


class PrinterError(RuntimeError):
    """The printer could not print; the message is in Chinese for staff."""


@dataclass(frozen=True)
class Slip:
    """What one receipt is about; the printer adapter lays it out for its paper width."""

    decision: Mapping[str, Any]
    printed_at: str  # ISO 8601
    case_number: str | None = None
    applicant_name: str = ""  # raw; the layout masks it
    applicant_phone: str = ""  # raw; the layout masks it


class ReceiptPrinter(Protocol):
    """Renders and prints receipts; never blocks saving (cases are stored first)."""

    def render(self, slip: Slip) -> str:
        """The slip as plain text, exactly as it would print, one line per paper line."""
        ...

    def print(self, slip: Slip) -> None:
        """Print the slip; on failure queue it for reprint and raise PrinterError."""
        ...

    def render_filing_form(self, fields: Mapping[str, str]) -> str:
        """The 否决事项报备登记表 in its three labelled copies, as it would print."""
        ...

    def print_filing_form(self, fields: Mapping[str, str]) -> None:
        """Print the filing form in triplicate; on failure queue it and raise PrinterError."""
        ...


@dataclass(frozen=True)
class SearchHit:
    """One matter found by a search."""

    matter_id: str
    score: float
    matched: str  # the name, alias or keyword that matched


class MatterSearch(Protocol):
    """Finds matters from Chinese, full pinyin, pinyin initials or a mix."""

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Best matches first; an empty query returns nothing."""
        ...
