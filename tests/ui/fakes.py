"""Fakes for UI tests: a substring search and a recording printer."""

from __future__ import annotations

from kiosk.domain.catalogue import Catalogue
from kiosk.domain.ports import PrinterError, SearchHit, Slip


class SubstringSearch:
    """Finds matters whose name or keywords contain the query."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        hits = [
            SearchHit(m.id, 1.0, m.name)
            for m in self.catalogue.matters.values()
            if query and (query in m.name or any(query in k for k in m.keywords) or query == m.id)
        ]
        return hits[:limit]


class RecordingPrinter:
    """Keeps the slips it is asked to print; can be told to fail."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.printed: list[Slip] = []
        self.queued: list[Slip] = []
        self.forms: list[dict[str, str]] = []

    def render(self, slip: Slip) -> str:
        return f"回执 {slip.case_number or ''} {slip.decision['outcome']}"

    def print(self, slip: Slip) -> None:
        if self.fail:
            self.queued.append(slip)
            raise PrinterError("打印机缺纸")
        self.printed.append(slip)

    def render_filing_form(self, fields: dict[str, str]) -> str:
        return "否决事项报备登记表 " + " ".join(f"{k}={v}" for k, v in fields.items())

    def print_filing_form(self, fields: dict[str, str]) -> None:
        if self.fail:
            raise PrinterError("打印机缺纸")
        self.forms.append(dict(fields))
