"""`kiosk print-test`: sample requests of every outcome and a helper that prints their slips."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.domain.catalogue import Catalogue
from kiosk.domain.ports import PrinterError, ReceiptPrinter, Slip

#: One request per outcome on the demo centre pack; classify them to get the decisions.
SAMPLE_REQUESTS: dict[str, dict[str, Any]] = {
    "handle": {
        "matter": "id_card_reissue",
        "conditions": {"card_lost": True, "in_person": True, "has_hukou_book": True},
    },
    "incomplete": {
        "matter": "id_card_reissue",
        "conditions": {"card_lost": True, "in_person": False},
    },
    "redirect": {"matter": "birth_registration"},
    "escalate": {"matter": None, "description": "不知道找谁"},
    "grey_zone": {
        "matter": None,
        "legal_basis": "unclear",
        "major": True,
        "departments": ["market"],
    },
}


def sample_requests(catalogue: Catalogue) -> list[dict[str, Any]]:
    """One request per outcome for any centre pack (the demo's own samples when they fit)."""
    if all(
        r["matter"] is None or r["matter"] in catalogue.matters for r in SAMPLE_REQUESTS.values()
    ):
        return list(SAMPLE_REQUESTS.values())
    here = next(m for m in catalogue.matters.values() if m.handled_here)
    requests: list[dict[str, Any]] = [
        {"matter": here.id, "conditions": {c.id: True for c in here.conditions}},
        {"matter": here.id, "conditions": {c.id: False for c in here.conditions}},
    ]
    elsewhere = next((m for m in catalogue.matters.values() if not m.handled_here), None)
    if elsewhere is not None:
        requests.append({"matter": elsewhere.id})
    requests.append(SAMPLE_REQUESTS["escalate"])
    requests.append({"matter": None, "legal_basis": "unclear", "major": True})
    return requests


SAMPLE_NAME = "张小明"
SAMPLE_PHONE = "13812345678"


@dataclass(frozen=True)
class TestPrint:
    """The result of printing one sample slip."""

    outcome: str
    text: str  # the slip as printed (or as it would have printed)
    error: str | None  # the PrinterError message, None when it printed


def sample_slips(
    decisions: Sequence[Mapping[str, Any]], centre_code: str, printed_at: str
) -> list[Slip]:
    """Slips for sample decisions, with a sample applicant and `<code>-TEST-000n` numbers.

    Args:
        decisions: decisions as returned by the classifier (e.g. for SAMPLE_REQUESTS).
        centre_code: the centre's code (case numbers start with it).
        printed_at: the time to print (ISO 8601).

    Returns:
        One slip per decision; a plain `handle` gets no case number, like a real one.
    """
    return [
        Slip(
            decision=decision,
            printed_at=printed_at,
            case_number=None
            if decision.get("outcome") == "handle"
            else f"{centre_code}-TEST-{n:04d}",
            applicant_name=SAMPLE_NAME,
            applicant_phone=SAMPLE_PHONE,
        )
        for n, decision in enumerate(decisions, start=1)
    ]


def print_test(printer: ReceiptPrinter, slips: Sequence[Slip]) -> list[TestPrint]:
    """Print sample slips one after another, stopping at the first failure.

    A failed slip is queued for reprint by the printer (the port's contract); the slips after
    it are not tried, so a missing printer queues one sample, not all of them.

    Args:
        printer: any ReceiptPrinter.
        slips: the samples, e.g. from `sample_slips`.

    Returns:
        One result per slip tried, with its text.
    """
    results: list[TestPrint] = []
    for slip in slips:
        outcome = str(slip.decision.get("outcome"))
        text = printer.render(slip)
        try:
            printer.print(slip)
        except PrinterError as error:
            results.append(TestPrint(outcome, text, str(error)))
            break
        results.append(TestPrint(outcome, text, None))
    return results
