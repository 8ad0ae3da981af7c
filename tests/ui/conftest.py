"""UI fixtures: a KioskContext on the demo centre with fake search/printer and a memory store."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from kiosk.domain.services import CaseService, ClassificationService, KioskContext
from kiosk.domain.staff import AuthService, Role
from kiosk.domain.workflow import CaseWorkflow
from kiosk.engine.checker import LoadedData
from kiosk.engine.durable_classifier import DurableClassifier
from kiosk.printing.filing_pdf import write_filing_pdf
from kiosk.store.memory import InMemoryCaseRepository
from kiosk.store.staff_file import InMemoryStaffRepository

from ..conftest import BUNDLED_DATA, FIXED_NOW
from .fakes import RecordingPrinter, SubstringSearch

# Staff of the demo centre used by the desk tests (PIN 1234 for everyone).
STAFF = [
    ("c01", "张窗口", Role.CLERK, "police", "D02"),
    ("h01", "李负责", Role.WINDOW_HEAD, "police", "D02"),
    ("u01", "王分管", Role.UNIT_LEADER, "police", None),
    ("m01", "赵主要", Role.MAIN_LEADER, "police", None),
    ("b01", "钱业务", Role.BUSINESS_SECTION, "approval", None),
]


@pytest.fixture
def printer() -> RecordingPrinter:
    return RecordingPrinter()


@pytest.fixture
def ctx(demo: LoadedData, printer: RecordingPrinter, tmp_path: Path) -> KioskContext:
    classifier = DurableClassifier(demo.ruleset)

    def clock():  # type: ignore[no-untyped-def]
        return FIXED_NOW

    repository = InMemoryCaseRepository()
    auth = AuthService(
        InMemoryStaffRepository(), clock, max_attempts=5, lockout_minutes=15, cost=2**4
    )
    for sid, name, role, unit, window in STAFF:
        auth.add(sid, name, role, unit, window, "1234")
    return KioskContext(
        catalogue=demo.catalogue,
        calendar=demo.calendar,
        classification=ClassificationService(demo.catalogue, classifier, demo.calendar, clock),
        cases=CaseService(repository, demo.catalogue, clock),
        search=SubstringSearch(demo.catalogue),
        printer=printer,
        read_document=lambda ref: (BUNDLED_DATA / "guides" / ref).read_text(encoding="utf-8"),
        clock=clock,
        auth=auth,
        workflow=CaseWorkflow(repository, demo.catalogue, demo.calendar, clock),
        filing_pdf=lambda number, fields: _pdf(demo, tmp_path / f"{number}.pdf", fields),
    )


def _pdf(demo: LoadedData, path: Path, fields: Mapping[str, str]) -> str:
    write_filing_pdf(fields, demo.catalogue, path)
    return str(path)
