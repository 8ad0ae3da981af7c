"""Composition root: the one place that builds concrete adapters and hands them out."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from kiosk.domain.calendar import WorkingCalendar
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.ports import CaseRepository
from kiosk.domain.services import CaseService, ClassificationService, Clock, china_now
from kiosk.engine.checker import RulesReloader, load_data
from kiosk.engine.durable_classifier import DurableClassifier

BUNDLED_DATA = Path(__file__).resolve().parents[1]


def default_state_dir() -> Path:
    """`KIOSK_STATE`, else the platform's user data directory."""
    env = os.environ.get("KIOSK_STATE")
    return Path(env) if env else Path(platformdirs.user_data_dir("kiosk", appauthor=False))


@dataclass
class Services:
    """Everything the CLI and the app need, built once."""

    data_dir: Path
    state_dir: Path
    catalogue: Catalogue
    calendar: WorkingCalendar
    classifier: DurableClassifier
    classification: ClassificationService
    reloader: RulesReloader
    clock: Clock = china_now
    _repository: CaseRepository | None = field(default=None, repr=False)

    @property
    def repository(self) -> CaseRepository:
        """The case store, opened on first use (classifying alone needs no state directory)."""
        if self._repository is None:
            from kiosk.store.tinydb_repository import TinyDbCaseRepository

            self._repository = TinyDbCaseRepository(self.state_dir / "cases")
        return self._repository

    @property
    def cases(self) -> CaseService:
        """The case service over the store."""
        return CaseService(self.repository, self.catalogue, self.clock)


def build_services(
    data_dir: Path | None = None, state_dir: Path | None = None, clock: Clock = china_now
) -> Services:
    """Load a data directory and wire the real adapters.

    Args:
        data_dir: directory holding `guides/` and `rules/`; the bundled demo centre when None.
        state_dir: store, spool and logs; `KIOSK_STATE` or the user data directory when None.
        clock: the time source.

    Raises:
        SourceError: when the data directory has problems.
    """
    data_dir = (data_dir or BUNDLED_DATA).resolve()
    data = load_data(data_dir)
    classifier = DurableClassifier(data.ruleset)
    return Services(
        data_dir=data_dir,
        state_dir=state_dir or default_state_dir(),
        catalogue=data.catalogue,
        calendar=data.calendar,
        classifier=classifier,
        classification=ClassificationService(data.catalogue, classifier, data.calendar, clock),
        reloader=RulesReloader(data_dir, classifier, data.catalogue),
        clock=clock,
    )
