"""Fixtures for the printing tests: a small hand-built centre, calendar and decisions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.calendar import WorkingCalendar, calendar_from_dict
from kiosk.domain.catalogue import Catalogue, Centre, Destination, Unit, Window
from kiosk.domain.ports import Slip
from kiosk.printing.printers import EscposReceiptPrinter
from kiosk.printing.templates import Templates, load_templates

LONG_ADDRESS = "陕西省汉江市江北区兴安大道中段 88 号市民服务中心综合楼一楼东侧大厅（原市图书馆旧址，公交 3、7、15 路兴安大道站下车向北 200 米）"
HOURS = "周一至周五 上午 9:00-12:00，下午 14:00-17:30（法定节假日除外，调休上班日正常办公）"
RAW_NAME = "张小明"
RAW_PHONE = "13812345678"
PRINTED_AT = "2026-02-13T16:20:00+08:00"
CASE_NUMBER = "HJ-20260213-0007"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """A centre with a long address; only what slips need."""
    centre = Centre(
        id="hanjiang",
        name="汉江市政务服务中心",
        code="HJ",
        address=LONG_ADDRESS,
        consultation_phone="0915-3210000",
        supervision_phone="0915-3210012",
        complaint_phone="12345",
        hours=HOURS,
        receipt_cutoff="17:30",
    )
    units = {
        "approval": Unit("approval", "汉江市行政审批服务局", "0915-3210001"),
        "market": Unit("market", "汉江市市场监督管理局", "0915-3210101"),
        "police": Unit("police", "汉江市公安局（户政）", "0915-3210301"),
    }
    windows = {
        "A01": Window(
            "A01", "1", "综合咨询服务台", "approval", "一楼", "A区", role="consultation_desk"
        ),
        "D02": Window("D02", "32", "居民身份证窗口", "police", "二楼", "D区"),
    }
    destinations = {
        "station": Destination(
            "station", "江北派出所户籍室", "汉江市江北区巴山东路 102 号", "0915-3315110", HOURS
        )
    }
    return Catalogue(centre, units, windows, destinations, {})


@pytest.fixture(scope="session")
def calendar() -> WorkingCalendar:
    """2026 official (the make-up Saturdays of February), 2027 unknown."""
    return calendar_from_dict(
        {
            "years": {
                2026: {
                    "status": "official",
                    "holidays": [{"name": "春节", "from": "2026-02-15", "to": "2026-02-23"}],
                    "workdays": ["2026-02-14", "2026-02-28"],
                }
            }
        }
    )


@pytest.fixture(scope="session")
def templates() -> Templates:
    """The shipped receipt templates."""
    return load_templates()


def _place(
    window: str, unit: str, address: str = LONG_ADDRESS, phone: str = "0915-3210303"
) -> dict[str, Any]:
    return {"unit": unit, "window": window, "address": address, "phone": phone, "hours": HOURS}


def _decision(outcome: str, **changes: Any) -> dict[str, Any]:
    decision: dict[str, Any] = {
        "outcome": outcome,
        "clause": "none",
        "matter": {"id": "id_card_reissue", "name": "居民身份证补领"},
        "go_to": _place("32号窗口 居民身份证窗口，二楼D区", "汉江市公安局（户政）"),
        "missing": [],
        "guide": "md/id_card_reissue.md",
        "forms": ["forms/id_card_reissue.md"],
        "escalate_to": None,
        "report_to": None,
        "report_by": None,
        "consultation": False,
        "coordinate_with": [],
        "working_days": None,
        "counting_starts": None,
        "reply_due": None,
        "reply_due_provisional": False,
        "rules_fired": ["r"],
        "ruleset_version": "abc",
    }
    decision.update(changes)
    return decision


DESK = _place(
    "1号窗口 综合咨询服务台，一楼A区（大厅入口）", "汉江市行政审批服务局", phone="0915-3210000"
)

DECISIONS: dict[str, dict[str, Any]] = {
    "handle": _decision("handle"),
    "incomplete": _decision(
        "incomplete",
        clause="二(一)",
        missing=[
            {
                "condition": "in_person",
                "text": "本人无法到场采集人像和指纹",
                "remedy": "行动不便的，家属可拨打 0915-3210303 预约上门采集",
            },
            {
                "condition": "has_hukou_book",
                "text": "缺少居民户口簿",
                "remedy": "向户主借用；户口簿也丢失的，由户主到派出所户籍室申请补领",
            },
            {
                "condition": "photo",
                "text": "缺少近期免冠照片（¥20 可在大厅拍摄）",
                "remedy": "到一楼照相点拍摄",
            },
        ],
    ),
    "redirect": _decision(
        "redirect",
        clause="二(二)",
        matter={"id": "birth_registration", "name": "出生登记"},
        go_to={
            "unit": "江北派出所户籍室",
            "window": "户籍民警",
            "window_id": None,
            "address": LONG_ADDRESS,
            "phone": "0915-3315110",
            "hours": HOURS,
            "responsible_unit": "汉江市公安局（户政）",
        },
    ),
    "escalate": _decision(
        "escalate",
        clause="二(二)",
        matter=None,
        go_to=DESK,
        escalate_to="consultation_desk",
        working_days=5,
        counting_starts="2026-02-14",
        reply_due="2026-02-27",
    ),
    "grey_zone": _decision(
        "grey_zone",
        clause="二(三)",
        matter=None,
        go_to=DESK,
        report_to="main_leader",
        report_by="2026-12-28",
        consultation=True,
        coordinate_with=["market"],
        working_days=10,
        counting_starts="2026-12-29",
        reply_due="2027-01-12",
        reply_due_provisional=True,
    ),
}


def make_slip(outcome: str, **changes: Any) -> Slip:
    """A slip for one of the sample decisions, with a raw applicant contact."""
    values: dict[str, Any] = {
        "decision": DECISIONS[outcome],
        "printed_at": PRINTED_AT,
        "case_number": None if outcome == "handle" else CASE_NUMBER,
        "applicant_name": RAW_NAME,
        "applicant_phone": RAW_PHONE,
    }
    values.update(changes)
    return Slip(**values)


PrinterFactory = Callable[..., EscposReceiptPrinter]


@pytest.fixture
def make_printer(
    tmp_path: Path, catalogue: Catalogue, calendar: WorkingCalendar, templates: Templates
) -> PrinterFactory:
    """Build printers on a temporary spool; the default is a file printer in tmp_path."""

    def build(spec: str | None = None, columns: int = 32, **options: Any) -> EscposReceiptPrinter:
        return EscposReceiptPrinter(
            spec or f"file:{tmp_path / 'out' / 'printer.bin'}",
            columns,
            catalogue,
            calendar,
            tmp_path / "spool",
            templates=templates,
            **options,
        )

    return build
