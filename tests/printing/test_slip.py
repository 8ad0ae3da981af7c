"""Slip content for each of the five outcomes and the 否决事项报备登记表."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.domain.calendar import WorkingCalendar
from kiosk.domain.catalogue import Catalogue
from kiosk.printing.layout import COLUMNS_58MM, COLUMNS_80MM, display_width
from kiosk.printing.slip import compose_filing_form, compose_slip, render_lines
from kiosk.printing.templates import DEFAULT_RECEIPTS_DIR, TemplateError, Templates, load_templates
from tests.printing.conftest import CASE_NUMBER, DECISIONS, RAW_NAME, RAW_PHONE, make_slip

COLUMNS = [COLUMNS_58MM, COLUMNS_80MM]


def text_of(
    outcome: str,
    columns: int,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    templates: Templates,
    **changes: object,
) -> str:
    lines = compose_slip(
        make_slip(outcome, **changes), catalogue, calendar, columns, templates.slip
    )
    assert all(display_width(line.text) <= columns for line in lines)
    return render_lines(lines)


def flat(text: str) -> str:
    """The slip without line breaks and spaces, to look for wrapped phrases."""
    return text.replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("columns", COLUMNS)
@pytest.mark.parametrize("outcome", list(DECISIONS))
def test_every_slip_carries_the_common_parts(
    outcome: str,
    columns: int,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    templates: Templates,
) -> None:
    text = text_of(outcome, columns, catalogue, calendar, templates)
    assert "汉江市政务服务中心" in text
    assert "时间：2026-02-13（星期五） 16:20" in text
    assert "咨询电话：0915-3210000" in text and "监督电话：0915-3210012" in text
    assert "张*明" in text and "138****5678" in text
    assert RAW_PHONE not in text and RAW_NAME not in text
    if outcome == "handle":
        assert "编号" not in text and "二维码" not in text
    else:
        assert f"编号：{CASE_NUMBER}" in text
        assert f"[二维码：{CASE_NUMBER}]" in text


@pytest.mark.parametrize("columns", COLUMNS)
def test_handle_names_the_window(
    columns: int, catalogue: Catalogue, calendar: WorkingCalendar, templates: Templates
) -> None:
    text = flat(text_of("handle", columns, catalogue, calendar, templates))
    assert "【可以办理】" in text and "请到32号窗口居民身份证窗口，二楼D区办理" in text
    assert "事项：居民身份证补领" in text


@pytest.mark.parametrize("columns", COLUMNS)
def test_incomplete_lists_every_missing_item_with_its_remedy(
    columns: int, catalogue: Catalogue, calendar: WorkingCalendar, templates: Templates
) -> None:
    text = flat(text_of("incomplete", columns, catalogue, calendar, templates))
    assert "一次性告知" in text and "3项" in text
    for n, item in enumerate(DECISIONS["incomplete"]["missing"], start=1):
        assert f"{n}.{item['text'].replace(' ', '').replace('¥', '￥')}" in text
        assert item["remedy"].replace(" ", "") in text
    assert "¥" not in text and "￥20" in text


@pytest.mark.parametrize("columns", COLUMNS)
def test_redirect_says_where_and_whom_with_address_phone_and_hours(
    columns: int, catalogue: Catalogue, calendar: WorkingCalendar, templates: Templates
) -> None:
    text = flat(text_of("redirect", columns, catalogue, calendar, templates))
    place = DECISIONS["redirect"]["go_to"]
    assert "去哪办：江北派出所户籍室" in text and "找谁办：户籍民警" in text
    for key in ("address", "phone", "hours", "responsible_unit"):
        assert place[key].replace(" ", "") in text


@pytest.mark.parametrize("columns", COLUMNS)
def test_escalate_says_who_replies_and_by_when(
    columns: int, catalogue: Catalogue, calendar: WorkingCalendar, templates: Templates
) -> None:
    text = flat(text_of("escalate", columns, catalogue, calendar, templates))
    assert "由综合咨询服务台协调" in text and "答复单位：汉江市行政审批服务局" in text
    assert "答复时限：5个工作日" in text
    assert "起算日：2026-02-14（星期六，调休上班日）" in text
    assert "最迟答复：2026-02-27（星期五）" in text
    assert "预计" not in text


@pytest.mark.parametrize("columns", COLUMNS)
def test_grey_zone_names_the_leader_the_units_and_a_provisional_due_date(
    columns: int, catalogue: Catalogue, calendar: WorkingCalendar, templates: Templates
) -> None:
    text = flat(text_of("grey_zone", columns, catalogue, calendar, templates))
    assert "单位主要领导" in text and "专项会商" in text and "汉江市市场监督管理局" in text
    assert "答复时限：10个工作日" in text
    assert "起算日：2026-12-29（星期二）" in text
    assert "最迟答复：2027-01-12（星期二）" in text
    assert "预计（以国务院公布安排为准）" in text


def test_a_slip_without_contact_has_no_contact_lines(
    catalogue: Catalogue, calendar: WorkingCalendar, templates: Templates
) -> None:
    text = text_of(
        "escalate", 32, catalogue, calendar, templates, applicant_name="", applicant_phone=""
    )
    assert "申请人" not in text and "联系电话" not in text


def test_a_rare_character_in_a_name_prints_as_a_box(
    catalogue: Catalogue, calendar: WorkingCalendar, templates: Templates
) -> None:
    text = text_of("escalate", 32, catalogue, calendar, templates, applicant_name="𠮷小明")
    assert "申请人：□*明" in text


def test_an_unknown_outcome_is_refused(
    catalogue: Catalogue, calendar: WorkingCalendar, templates: Templates
) -> None:
    slip = make_slip("handle", decision={**DECISIONS["handle"], "outcome": "refused"})
    with pytest.raises(ValueError, match="refused"):
        compose_slip(slip, catalogue, calendar, 32, templates.slip)


FORM = {
    "case_number": CASE_NUMBER,
    "reporting_unit": "汉江市市场监督管理局",
    "date": "2026年2月13日",
    "window": "11号窗口 企业开办综合窗口",
    "clerk": "李四",
    "applicant": RAW_NAME,
    "contact": RAW_PHONE,
    "matter": "食品经营许可（新办）",
    "accepted_on": "2026-02-13",
    "reasons": "经营场所位于居民楼内，不符合《食品经营许可审查通则》第十条",
    "window_head_opinion": "同意，已告知申请人另选场所",
}


@pytest.mark.parametrize("columns", COLUMNS)
def test_filing_form_prints_three_labelled_copies_with_every_field(
    columns: int, catalogue: Catalogue, templates: Templates
) -> None:
    lines = compose_filing_form(FORM, catalogue, columns, templates.filing_form)
    assert all(display_width(line.text) <= columns for line in lines)
    assert [line.cut for line in lines].count(True) == 3 and lines[-1].cut
    text = render_lines(lines)
    copies: list[list[str]] = [[]]
    for line in lines:
        copies[-1].append(line.text)
        if line.cut:
            copies.append([])
    assert copies.pop() == [] and len(copies) == 3
    for copy, label in zip(copies, ("服务对象联", "业务科室联", "窗口存档联"), strict=True):
        assert label in copy[2]
        assert "否决事项报备登记表" in copy[1]
        assert "此表一式三份" in "".join(copy)
    labels: tuple[str, ...] = (
        "报备单位",
        "日期",
        "承办窗口",
        "经办人",
        "被否决对象",
        "联系方式",
        "被否决事项名称",
    )
    labels += ("受理日期", "被否决事项的基本情况", "被否决的理由及依据", "窗口负责人意见")
    for label in (*labels, "所属单位审核意见", "办理情况"):
        assert sum(line.startswith(f"{label}：") for line in text.splitlines()) == 3, label
    assert text.count("备注：") == 6  # the remarks field and the triplicate note
    assert text.count("否决事项报备登记表") == 3
    assert "被否决对象：张*明" in text and "联系方式：138****5678" in text
    assert RAW_PHONE not in text and RAW_NAME not in text
    assert "_" * columns in text  # room to write the unit's opinion by hand


def test_filing_form_refuses_unknown_fields(catalogue: Catalogue, templates: Templates) -> None:
    with pytest.raises(ValueError, match="reason"):
        compose_filing_form({"reason": "x"}, catalogue, 32, templates.filing_form)


def copy_receipts(tmp_path: Path) -> Path:
    for name in ("slip.yaml", "filing_form.yaml"):
        (tmp_path / name).write_text(
            (DEFAULT_RECEIPTS_DIR / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("请到 {window} 办理。", "请到 {windw} 办理。", "未知的占位符 {windw}"),
        ("  handle:\n    heading: 【可以办理】\n", "  handle:\n", "outcomes.handle.heading"),
        ("请到 {window} 办理。", "请到 {window 办理。", "花括号不成对"),
        ("      phone: 电话：\n  incomplete:", "      fax: 传真：\n  incomplete:", "未知项 fax"),
    ],
)
def test_template_mistakes_are_reported_with_file_and_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    directory = copy_receipts(tmp_path)
    slip = directory / "slip.yaml"
    content = slip.read_text(encoding="utf-8")
    assert old in content
    slip.write_text(content.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(TemplateError, match="slip.yaml") as raised:
        load_templates(directory)
    assert message in str(raised.value)


def test_a_missing_template_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="读不到回执模板"):
        load_templates(tmp_path)
