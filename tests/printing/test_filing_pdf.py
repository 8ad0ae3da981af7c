"""The 否决事项报备登记表 PDF: three labelled A4 copies with every field, contact masked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.domain.catalogue import Catalogue
from kiosk.printing.filing_pdf import GROUP_LABEL, write_filing_pdf
from kiosk.printing.templates import Templates
from tests.printing.conftest import CASE_NUMBER, RAW_NAME, RAW_PHONE

SHORT_COPY_LABELS = ("服务对象联", "业务科室联", "窗口存档联")
FIELDS = {
    "case_number": CASE_NUMBER,
    "reporting_unit": "汉江市公安局（户政）",
    "date": "2026-02-13",
    "window": "32号窗口 居民身份证窗口",
    "clerk": "李华",
    "applicant": RAW_NAME,
    "contact": RAW_PHONE,
    "matter": "居民身份证补领",
    "accepted_on": "2026-02-12",
    "facts": "申请人要求为非本市户籍的亲属代为补领居民身份证。" * 6,
    "reasons": "《居民身份证法》第十一条：补领须本人申请并采集人像和指纹。",
    "window_head_opinion": "同意否决，已向申请人说明可预约上门采集。",
    "unit_review_opinion": "",
    "progress": "",
    "remarks": "",
}


def _pages(path: Path) -> list[str]:
    """The text of each page with all whitespace removed (labels may wrap in their cells)."""
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(path).pages]


def test_three_a4_pages_each_with_its_copy_label(
    tmp_path: Path, catalogue: Catalogue, templates: Templates
) -> None:
    path = tmp_path / "filing.pdf"
    write_filing_pdf(FIELDS, catalogue, path)
    reader = PdfReader(path)
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert [round(float(v)) for v in page.mediabox[2:]] == [595, 842]
    pages = _pages(path)
    labels = [item["label"] for item in templates.filing_form["fields"]]
    note = re.sub(r"\s+", "", templates.filing_form["note"])
    copies = [re.sub(r"\s+", "", c) for c in templates.filing_form["copies"]]
    for copy, short, text in zip(copies, SHORT_COPY_LABELS, pages, strict=True):
        assert copy in text
        assert short in text
        assert all(other not in text for other in set(SHORT_COPY_LABELS) - {short})
        for label in [*labels, GROUP_LABEL, "否决事项报备登记表", note, catalogue.centre.name]:
            assert label in text, label
        assert "138****5678" in text
        assert RAW_PHONE not in text
        assert "张*明" in text
        assert RAW_NAME not in text
        assert CASE_NUMBER in text
        assert "2026年2月13日" in text
        assert "窗口负责人（签字）" in text
        assert "审核人（签字）" in text


def test_long_text_wraps_inside_its_cell_and_stays_on_one_page(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    fields = dict(FIELDS, facts="情况说明" * 400, reasons="依据条款" * 300, progress="跟踪" * 200)
    path = tmp_path / "long.pdf"
    write_filing_pdf(fields, catalogue, path)
    pages = _pages(path)
    assert len(pages) == 3
    assert all("情况说明情况说明" in text and "备注：此表一式三份" in text for text in pages)


def test_empty_form_leaves_room_to_write(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "empty.pdf"
    write_filing_pdf({}, catalogue, path)
    pages = _pages(path)
    assert len(pages) == 3
    assert all("年月日" in text for text in pages)


def test_already_masked_fields_are_printed_as_given(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "queued.pdf"
    write_filing_pdf(
        {"applicant": "张*明", "contact": "138****5678"}, catalogue, path, contact_masked=True
    )
    assert all("138****5678" in text for text in _pages(path))


def test_unknown_field_is_refused(tmp_path: Path, catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match="没有这些栏目"):
        write_filing_pdf({"shoe_size": "42"}, catalogue, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_markup_characters_in_values_are_printed_literally(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = tmp_path / "markup.pdf"
    write_filing_pdf(dict(FIELDS, remarks="<b>A&B</b> 第二行\n第三行"), catalogue, path)
    assert all("<b>A&B</b>" in text for text in _pages(path))
