"""UI fixtures: a KioskContext on the demo centre with fake search/printer and a memory store."""

from __future__ import annotations

import pytest

from kiosk.domain.services import CaseService, ClassificationService, KioskContext
from kiosk.engine.checker import LoadedData
from kiosk.engine.durable_classifier import DurableClassifier
from kiosk.store.memory import InMemoryCaseRepository

from ..conftest import BUNDLED_DATA, FIXED_NOW
from .fakes import RecordingPrinter, SubstringSearch


@pytest.fixture
def printer() -> RecordingPrinter:
    return RecordingPrinter()


@pytest.fixture
def ctx(demo: LoadedData, printer: RecordingPrinter) -> KioskContext:
    classifier = DurableClassifier(demo.ruleset)

    def clock():  # type: ignore[no-untyped-def]
        return FIXED_NOW

    return KioskContext(
        catalogue=demo.catalogue,
        calendar=demo.calendar,
        classification=ClassificationService(demo.catalogue, classifier, demo.calendar, clock),
        cases=CaseService(InMemoryCaseRepository(), demo.catalogue, clock),
        search=SubstringSearch(demo.catalogue),
        printer=printer,
        read_document=lambda ref: (BUNDLED_DATA / "guides" / ref).read_text(encoding="utf-8"),
        clock=clock,
    )
