"""Cases: a registered request with an append-only timeline and a state machine."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from kiosk.domain.chain import genesis_hash, link_hash

CASE_NUMBER = re.compile(r"^(?P<centre>[A-Z]{2,8})-(?P<day>\d{8})-(?P<seq>\d{4,})$")


class CaseState(StrEnum):
    """Where a case stands. The veto states only exist through the approval-and-filing chain."""

    REGISTERED = "registered"
    ASSESSED = "assessed"
    REPORTED = "reported"
    CONSULTATION = "consultation"
    REPLIED = "replied"
    CLOSED = "closed"
    VETO_REQUESTED = "veto_requested"
    VETO_HEAD_APPROVED = "veto_head_approved"
    VETO_UNIT_REVIEWED = "veto_unit_reviewed"
    VETO_FILED = "veto_filed"
    VETO_TRACKED = "veto_tracked"
    VETO_FINAL = "veto_final"


# Allowed transitions. A case reaches VETO_FILED, VETO_TRACKED and VETO_FINAL only through the
# whole 三(四) chain; a veto request the window head sends back returns to where it came from.
_OPEN = frozenset(
    {CaseState.REGISTERED, CaseState.REPORTED, CaseState.ASSESSED, CaseState.CONSULTATION}
)
TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    CaseState.REGISTERED: frozenset(
        {
            CaseState.ASSESSED,
            CaseState.REPORTED,
            CaseState.CONSULTATION,
            CaseState.REPLIED,
            CaseState.CLOSED,
            CaseState.VETO_REQUESTED,
        }
    ),
    CaseState.REPORTED: frozenset(
        {CaseState.ASSESSED, CaseState.CONSULTATION, CaseState.REPLIED, CaseState.VETO_REQUESTED}
    ),
    CaseState.ASSESSED: frozenset(
        {CaseState.CONSULTATION, CaseState.REPLIED, CaseState.VETO_REQUESTED}
    ),
    CaseState.CONSULTATION: frozenset({CaseState.REPLIED, CaseState.VETO_REQUESTED}),
    CaseState.REPLIED: frozenset({CaseState.CLOSED}),
    CaseState.CLOSED: frozenset(),
    CaseState.VETO_REQUESTED: frozenset({CaseState.VETO_HEAD_APPROVED} | _OPEN),
    CaseState.VETO_HEAD_APPROVED: frozenset({CaseState.VETO_UNIT_REVIEWED}),
    CaseState.VETO_UNIT_REVIEWED: frozenset({CaseState.VETO_FILED}),
    CaseState.VETO_FILED: frozenset({CaseState.VETO_TRACKED, CaseState.VETO_FINAL}),
    CaseState.VETO_TRACKED: frozenset({CaseState.VETO_FINAL}),
    CaseState.VETO_FINAL: frozenset(),
}


class CaseError(ValueError):
    """An action that the case's state does not allow."""


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a case's history: who (and in which role) did what, when."""

    at: str  # ISO 8601 with offset
    actor: str
    role: str
    action: str
    note: str = ""
    # Hash chain link (see kiosk.domain.chain); empty until the case has a number. Not part
    # of equality: it is derived from the content and the entries before it.
    hash: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form; ``hash`` only when set, so old records keep their exact form."""
        data = dict(self.__dict__)
        if not self.hash:
            del data["hash"]
        return data


@dataclass
class Case:
    """A request that needs follow-up (anything but a plain `handle`)."""

    created_at: str
    outcome: str
    request: dict[str, Any]
    decision: dict[str, Any]
    number: str = ""
    state: CaseState = CaseState.REGISTERED
    applicant: dict[str, str] = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)
    # Structured results of staff actions (assessment, opinions, reply, veto form...); see
    # kiosk.domain.workflow. Old records without it load with an empty dict.
    workflow: dict[str, Any] = field(default_factory=dict)

    @property
    def matter_id(self) -> str | None:
        """The matter id of the request, or None."""
        return self.request.get("matter")

    @property
    def reply_due(self) -> str | None:
        """The reply due date (YYYY-MM-DD) from the decision, or None."""
        return self.decision.get("reply_due")

    @property
    def day(self) -> date:
        """The calendar day the case was created (its number carries it)."""
        return datetime.fromisoformat(self.created_at).date()

    def record(self, entry: TimelineEntry) -> None:
        """Append to the timeline; entries are never changed or removed.

        On a numbered case whose timeline is chained the entry gets its chain hash here;
        otherwise the store chains it when it saves the case (see :meth:`seal`).
        """
        chained = all(e.hash for e in self.timeline)
        if self.number and chained:
            previous = self.timeline[-1].hash if self.timeline else None
            if previous is None:
                previous = genesis_hash(self.number, self.created_at)
            entry = replace(entry, hash=link_hash(previous, entry.to_dict()))
        else:
            entry = replace(entry, hash="")
        self.timeline.append(entry)

    def seal(self) -> None:
        """Give every entry from the first one without a hash onwards its chain hash.

        Needs the case number. Entries already chained keep their hashes, so sealing a sealed
        case changes nothing; an old unchained timeline is chained as it stands.
        """
        if not self.number:
            return
        start = next((i for i, e in enumerate(self.timeline) if not e.hash), None)
        if start is None:
            return
        previous = self.timeline[start - 1].hash if start else None
        if previous is None:
            previous = genesis_hash(self.number, self.created_at)
        for index in range(start, len(self.timeline)):
            entry = self.timeline[index]
            previous = link_hash(previous, entry.to_dict())
            self.timeline[index] = replace(entry, hash=previous)

    def move_to(self, new_state: CaseState, entry: TimelineEntry) -> None:
        """Change state if the transition is allowed, recording who did it."""
        if new_state not in TRANSITIONS[self.state]:
            raise CaseError(f"案件 {self.number} 不能从“{self.state}”转为“{new_state}”")
        self.state = new_state
        self.record(entry)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, the storage format."""
        return {
            "number": self.number,
            "created_at": self.created_at,
            "outcome": self.outcome,
            "state": str(self.state),
            "request": self.request,
            "decision": self.decision,
            "applicant": self.applicant,
            "timeline": [e.to_dict() for e in self.timeline],
            "workflow": self.workflow,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        """Rebuild a case from its storage form."""
        return cls(
            number=data["number"],
            created_at=data["created_at"],
            outcome=data["outcome"],
            state=CaseState(data["state"]),
            request=data["request"],
            decision=data["decision"],
            applicant=dict(data.get("applicant") or {}),
            timeline=[TimelineEntry(**e) for e in data.get("timeline", [])],
            workflow=dict(data.get("workflow") or {}),
        )


def format_case_number(centre_code: str, day: date, sequence: int) -> str:
    """`HJ-20261127-0007`: centre code, date, sequence of at least four digits."""
    return f"{centre_code}-{day:%Y%m%d}-{sequence:04d}"


def parse_case_number(number: str) -> tuple[str, date, int]:
    """Split a case number into centre code, day and sequence; ValueError when malformed."""
    match = CASE_NUMBER.match(number)
    if not match:
        raise ValueError(f"案件编号格式不正确：{number}")
    day = datetime.strptime(match["day"], "%Y%m%d").date()
    return match["centre"], day, int(match["seq"])
