"""Personal information: unmasking for permitted roles (audited) and purging after retention."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from kiosk.domain.cases import Case, TimelineEntry
from kiosk.domain.ports import CaseRepository
from kiosk.domain.staff import Role, Session
from kiosk.domain.workflow import PermissionDenied

# Roles that may have to call an applicant back; the others never see the raw contact.
MAY_SEE_CONTACT = frozenset(
    {
        Role.CLERK,
        Role.WINDOW_HEAD,
        Role.UNIT_LEADER,
        Role.MAIN_LEADER,
        Role.FALLBACK_WINDOW,
        Role.BUSINESS_SECTION,
        Role.GUIDE,
        Role.PROXY,
    }
)
REVEAL = "查看申请人联系方式"
PURGE = "按保存期限清除个人信息"
PURGED_TEXT = "（已按保存期限清除）"


def reveal_contact(
    repository: CaseRepository, session: Session, number: str, clock: Callable[[], datetime]
) -> dict[str, str]:
    """The applicant's unmasked name and phone, recorded in the case's timeline.

    Raises:
        PermissionDenied: the role may not see personal information.
        CaseNotFoundError: no case has this number.
    """
    if session.role not in MAY_SEE_CONTACT:
        raise PermissionDenied(f"{session.role_name}无权查看申请人联系方式")
    case = repository.get(number)
    case.record(
        TimelineEntry(
            at=clock().isoformat(timespec="seconds"),
            actor=session.who,
            role=str(session.role),
            action=REVEAL,
        )
    )
    repository.update(case)
    return dict(case.applicant)


def purge_personal_data(
    repository: CaseRepository, before: date, clock: Callable[[], datetime], actor: str = "系统"
) -> int:
    """Remove names, phones and free-text descriptions from cases created before `before`.

    Outcomes, matters, dates and the timeline stay, so statistics are unchanged.

    Returns:
        How many cases were purged now (already purged ones are skipped).
    """
    purged = 0
    cutoff = before.fromordinal(before.toordinal() - 1)
    for case in list(repository.list(until=cutoff)):
        if not _has_personal_data(case):
            continue
        case.applicant = {}
        if case.request.get("description"):
            case.request = {**case.request, "description": PURGED_TEXT}
        case.record(
            TimelineEntry(
                at=clock().isoformat(timespec="seconds"), actor=actor, role="system", action=PURGE
            )
        )
        repository.update(case)
        purged += 1
    return purged


def _has_personal_data(case: Case) -> bool:
    description = case.request.get("description")
    return bool(case.applicant) or bool(description and description != PURGED_TEXT)
