"""A veto walked through the workflow prints its 报备登记表 with every field, in three copies."""

from __future__ import annotations

from pathlib import Path

from kiosk.domain.services import CaseService, ClassificationService
from kiosk.domain.staff import Role, Session
from kiosk.domain.workflow import CaseWorkflow, veto_form_fields
from kiosk.engine.checker import LoadedData
from kiosk.engine.durable_classifier import DurableClassifier
from kiosk.printing.escpos_text import decode_jobs
from kiosk.printing.printers import EscposReceiptPrinter
from kiosk.store import InMemoryCaseRepository

from ..conftest import BUNDLED_DATA, FIXED_NOW

LABELS = [
    "报备单位",
    "日期",
    "承办窗口",
    "经办人",
    "被否决对象",
    "联系方式",
    "被否决事项名称",
    "受理日期",
    "被否决事项的基本情况",
    "被否决的理由及依据",
    "窗口负责人意见",
    "所属单位审核意见",
    "办理情况",
    "备注",
]


def person(role: Role, staff_id: str, window: str | None = None, unit: str = "police") -> Session:
    return Session(staff_id, f"{staff_id}名", role, unit, window, FIXED_NOW.isoformat())


def test_filed_veto_prints_every_field_in_three_copies(demo: LoadedData, tmp_path: Path) -> None:
    repo = InMemoryCaseRepository()
    classify = ClassificationService(
        demo.catalogue, DurableClassifier(demo.ruleset), demo.calendar, lambda: FIXED_NOW
    )
    result = classify.classify(
        {"matter": "id_card_reissue", "at_window": "D02", "legal_basis": "unclear"}
    )
    case = CaseService(repo, demo.catalogue, lambda: FIXED_NOW).register(
        result, {"name": "孙小申", "phone": "13900001111"}
    )
    flow = CaseWorkflow(repo, demo.catalogue, demo.calendar, lambda: FIXED_NOW)
    flow.perform(
        person(Role.CLERK, "c01", "D02"),
        case.number,
        "request_veto",
        reason="户籍信息无法核实",
        legal_basis="《居民身份证法》第十一条",
        facts="申请人无本地户籍记录",
    )
    flow.perform(
        person(Role.WINDOW_HEAD, "h01", "D02"), case.number, "head_approve", opinion="同意上报"
    )
    flow.perform(person(Role.UNIT_LEADER, "u01"), case.number, "unit_review", opinion="审核同意")
    flow.perform(person(Role.BUSINESS_SECTION, "b01", unit="approval"), case.number, "file")

    spool = tmp_path / "form.bin"
    printer = EscposReceiptPrinter(
        f"file:{spool}",
        48,
        demo.catalogue,
        demo.calendar,
        tmp_path,
        receipts_dir=BUNDLED_DATA / "receipts",
    )
    printer.print_filing_form(veto_form_fields(repo.get(case.number), demo.catalogue))
    copies = decode_jobs(spool.read_bytes())
    text = "".join(copies)
    for label in LABELS:
        assert text.count(label) >= 3, label
    for copy in ("服务对象联", "业务科室联", "窗口存档联"):
        assert copy in text
    assert (
        text.count("户籍信息无法核实") == 3
        and text.count("同意上报") == 3
        and text.count("审核同意") == 3
    )
    assert "13900001111" not in text and "139****1111" in text and "孙*申" in text
