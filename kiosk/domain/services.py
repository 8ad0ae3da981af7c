"""Use-case services: classify a request and register the case it needs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.domain.calendar import WorkingCalendar
from kiosk.domain.cases import Case, TimelineEntry
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.decision import build_decision
from kiosk.domain.facts import derive_facts
from kiosk.domain.ports import (
    CaseNotFoundError,
    CaseRepository,
    Classifier,
    MatterSearch,
    ReceiptPrinter,
)
from kiosk.domain.request import CHINA_TZ, Request, parse_request

if TYPE_CHECKING:  # workflow imports this module
    from kiosk.domain.staff import AuthService
    from kiosk.domain.workflow import CaseWorkflow

Clock = Callable[[], datetime]


def china_now() -> datetime:
    """The current time in China."""
    return datetime.now(CHINA_TZ)


@dataclass(frozen=True)
class Classification:
    """A request together with the decision made for it."""

    request: Request
    decision: dict[str, Any]

    @property
    def needs_case(self) -> bool:
        """Every outcome except a plain `handle` is followed up as a case."""
        return self.decision["outcome"] != "handle"


class ClassificationService:
    """Classifies requests: the one code path used by the CLI and the screens."""

    def __init__(
        self,
        catalogue: Catalogue,
        classifier: Classifier,
        calendar: WorkingCalendar,
        clock: Clock = china_now,
    ) -> None:
        """Wire the service to its catalogue, rules and calendar."""
        self.catalogue = catalogue
        self.classifier = classifier
        self.calendar = calendar
        self._clock = clock

    def classify(self, data: Any) -> Classification:
        """Validate request data and decide its outcome.

        Raises:
            RequestError: when the data is malformed or names unknown ids.
        """
        request = parse_request(data, self.catalogue, self._clock())
        verdict = self.classifier.evaluate(derive_facts(request, self.catalogue))
        return Classification(
            request, build_decision(request, self.catalogue, verdict, self.calendar)
        )


class CaseService:
    """Registers cases durably."""

    def __init__(self, repository: CaseRepository, catalogue: Catalogue, clock: Clock = china_now):
        """Wire the service to its repository."""
        self.repository = repository
        self.catalogue = catalogue
        self._clock = clock

    def register(
        self,
        classification: Classification,
        applicant: dict[str, str] | None = None,
        actor: str = "自助终端",
        role: str = "applicant",
    ) -> Case:
        """Store a case for a classification; returns it with its number once durable."""
        now = self._clock().isoformat(timespec="seconds")
        case = Case(
            created_at=now,
            outcome=classification.decision["outcome"],
            request=classification.request.to_dict(),
            decision=classification.decision,
            applicant=dict(applicant or {}),
        )
        case.record(TimelineEntry(at=now, actor=actor, role=role, action="登记"))
        return self.repository.add(case, self.catalogue.centre.code)


@dataclass
class KioskContext:
    """Everything the screens use, handed down from the composition root."""

    catalogue: Catalogue
    calendar: WorkingCalendar
    classification: ClassificationService
    cases: CaseService
    search: MatterSearch
    printer: ReceiptPrinter
    read_document: Callable[[str], str]  # guide or form reference -> Markdown text
    clock: Clock = china_now
    idle_seconds: float = 90.0
    session_minutes: float = 480.0  # a staff sign-in expires after this, even when busy
    allow_quit: bool = False
    reload_rules: Callable[[], list[str]] | None = None
    auth: AuthService | None = None  # staff sign-in (None: no staff desk on this terminal)
    workflow: CaseWorkflow | None = None  # the only way staff change cases
    # Writes the 否决事项报备登记表 of a case as an A4 PDF and returns where it went.
    filing_pdf: Callable[[str, Mapping[str, str]], str] | None = None

    def find_case(self, number: str, phone_last4: str) -> Case | None:
        """The case with this number if the phone's last four digits match, else None.

        Never reveals whether a number exists when the digits are wrong.
        """
        try:
            case = self.cases.repository.get(number.strip().upper())
        except (CaseNotFoundError, ValueError):
            return None
        phone = case.applicant.get("phone", "")
        if len(phone_last4) == 4 and phone.endswith(phone_last4):
            return case
        return None
