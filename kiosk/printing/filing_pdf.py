"""The 否决事项报备登记表 as an A4 PDF in three labelled copies, for signing (reportlab)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import KeepInFrame

from kiosk.domain.catalogue import Catalogue
from kiosk.printing.slip import mask_form_fields
from kiosk.printing.templates import load_templates

FONT = "STSong-Light"
GROUP_LABEL = "被否决事项基本情况"
SIGN_LINES = {
    "window_head_opinion": "窗口负责人（签字）：＿＿＿＿＿＿＿＿　　　　年　　月　　日",
    "unit_review_opinion": "审核人（签字）：＿＿＿＿＿＿＿＿　（盖章）　　年　　月　　日",
}
BLANK_DATE = "　　　　年　　月　　日"
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
HEIGHT = A4[1] - 2 * MARGIN
# 大类 | 栏目 | 内容 | 栏目 | 内容 (the notice's five columns)
COLUMNS = (24 * mm, 42 * mm, WIDTH - 24 * mm - 42 * mm - 22 * mm - 42 * mm, 22 * mm, 42 * mm)
PAD = 4
FONT_SIZES = (11.0, 10.0, 9.0, 8.0, 7.0)


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def write_filing_pdf(
    fields: Mapping[str, object],
    catalogue: Catalogue,
    path: Path,
    *,
    template: Mapping[str, Any] | None = None,
    contact_masked: bool = False,
) -> None:
    """Write the 否决事项报备登记表 as an A4 PDF: one page per copy (三联), each labelled.

    The layout follows the form annexed to 安行审发〔2024〕7号: 报备单位 and 日期 above a bordered
    table with 承办窗口 / 经办人, the 被否决事项基本情况 block, the two opinion cells with
    signature and date lines, 办理情况 and 备注, then the triplicate footnote. Long text wraps
    inside its cell; when a copy would not fit one page the font shrinks, and as a last resort
    the longest texts are shortened with a pointer to the case. The applicant's name and
    contact are masked as on the receipt.

    Args:
        fields: field values by key, as for `compose_filing_form` (case_number,
            reporting_unit, date, window, clerk, applicant, contact, matter, accepted_on,
            facts, reasons, window_head_opinion, unit_review_opinion, progress, remarks).
            Dates in ISO form (YYYY-MM-DD) print as 2026年11月27日.
        catalogue: the centre pack (its name heads each copy).
        path: where to write the PDF; its folder is created when missing.
        template: the parsed `receipts/filing_form.yaml` (title, copy labels, field labels,
            masks, footnote); the shipped one when None.
        contact_masked: the masked fields are already masked (a queued form).

    Raises:
        ValueError: a key is not a field of the form.
    """
    form = template if template is not None else load_templates().filing_form
    known = {item["key"] for item in form["fields"]}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ValueError(f"登记表没有这些栏目：{'、'.join(unknown)}")
    values = dict(fields) if contact_masked else mask_form_fields(fields, form)
    text = {key: "" if values.get(key) is None else str(values[key]).strip() for key in known}
    labels = {item["key"]: str(item["label"]) for item in form["fields"]}
    _register_font()
    story: list[Flowable] = []
    for n, copy in enumerate(form["copies"]):
        if n:
            story.append(PageBreak())
        story.append(_fitted_copy(text, labels, form, catalogue, str(copy)))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=str(form["title"]),
        author=catalogue.centre.name,
        subject=text.get("case_number", ""),
        invariant=True,
    )
    doc.build(story)


def _fitted_copy(
    text: Mapping[str, str],
    labels: Mapping[str, str],
    form: Mapping[str, Any],
    catalogue: Catalogue,
    copy: str,
) -> Flowable:
    """The largest font size at which the copy fits one page; then shortened texts."""
    for size in FONT_SIZES:
        flowables = _copy(text, labels, form, catalogue, copy, size)
        if sum(f.wrap(WIDTH, HEIGHT)[1] for f in flowables) <= HEIGHT - 6:
            return KeepInFrame(WIDTH, HEIGHT, flowables, mode="shrink")
    shortened = dict(text)
    long_keys = ("facts", "reasons", "window_head_opinion", "unit_review_opinion", "progress")
    limit = 600
    while limit > 40:
        for key in long_keys:
            if len(shortened[key]) > limit:
                shortened[key] = text[key][:limit] + "……（全文见案件记录）"
        flowables = _copy(shortened, labels, form, catalogue, copy, FONT_SIZES[-1])
        if sum(f.wrap(WIDTH, HEIGHT)[1] for f in flowables) <= HEIGHT - 6:
            break
        limit = int(limit * 0.8)
    return KeepInFrame(WIDTH, HEIGHT, flowables, mode="shrink")


def _styles(size: float) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "cell", fontName=FONT, fontSize=size, leading=size * 1.45, wordWrap="CJK", alignment=TA_LEFT
    )
    return {
        "cell": base,
        "label": ParagraphStyle("label", parent=base, alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=size * 1.8, leading=size * 2.4, alignment=TA_CENTER
        ),
        "centre": ParagraphStyle("centre", parent=base, alignment=TA_CENTER),
        "copy": ParagraphStyle("copy", parent=base, alignment=TA_RIGHT),
    }


def _para(value: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: markup characters escaped, line breaks kept."""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped.replace("\n", "<br/>"), style)


def _block(value: str, width: float, style: ParagraphStyle, lines: int) -> list[Flowable]:
    """The value wrapped to `width`, at least `lines` lines tall (room to write by hand)."""
    para = _para(value, style)
    height = para.wrap(width, HEIGHT)[1] if value else 0.0
    room = lines * style.leading - height
    return [para, Spacer(1, room)] if room > 0 else [para]


def _day(value: str) -> str:
    if ISO_DAY.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.year}年{day.month}月{day.day}日"
    return value or BLANK_DATE


def _copy(
    text: Mapping[str, str],
    labels: Mapping[str, str],
    form: Mapping[str, Any],
    catalogue: Catalogue,
    copy: str,
    size: float,
) -> list[Flowable]:
    """One copy's flowables: heading, the bordered table and the footnote."""
    s = _styles(size)
    wide = sum(COLUMNS[1:]) - 2 * PAD  # a value spanning columns 1-4
    value_wide = sum(COLUMNS[2:]) - 2 * PAD  # a value spanning columns 2-4
    number = text.get("case_number", "")
    head = Table(
        [
            [
                _para(f"{labels.get('case_number', '编号')}：{number}", s["cell"]),
                _para(copy, s["copy"]),
            ],
            [
                _para(f"{labels['reporting_unit']}：{text['reporting_unit']}", s["cell"]),
                _para(f"{labels['date']}：{_day(text['date'])}", s["copy"]),
            ],
        ],
        colWidths=(WIDTH * 0.62, WIDTH * 0.38),
        style=TableStyle(
            [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
        ),
    )

    def label(key: str) -> Paragraph:
        return _para(labels[key], s["label"])

    def opinion(key: str) -> list[Flowable]:
        return [*_block(text[key], wide, s["cell"], 5), _para(SIGN_LINES[key], s["sign"])]

    rows: list[list[Any]] = [
        [
            label("window"),
            _para(text["window"], s["cell"]),
            "",
            label("clerk"),
            _para(text["clerk"], s["cell"]),
        ],
        [
            _para(GROUP_LABEL, s["label"]),
            label("applicant"),
            _para(text["applicant"], s["cell"]),
            label("contact"),
            _para(text["contact"], s["cell"]),
        ],
        [
            "",
            label("matter"),
            _para(text["matter"], s["cell"]),
            label("accepted_on"),
            _para(_day(text["accepted_on"]), s["cell"]),
        ],
        ["", label("facts"), _block(text["facts"], value_wide, s["cell"], 5), "", ""],
        ["", label("reasons"), _block(text["reasons"], value_wide, s["cell"], 5), "", ""],
        [label("window_head_opinion"), opinion("window_head_opinion"), "", "", ""],
        [label("unit_review_opinion"), opinion("unit_review_opinion"), "", "", ""],
        [label("progress"), _block(text["progress"], wide, s["cell"], 4), "", "", ""],
        [label("remarks"), _block(text["remarks"], wide, s["cell"], 3), "", "", ""],
    ]
    table = Table(
        rows,
        colWidths=COLUMNS,
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
                ("BOX", (0, 0), (-1, -1), 1.4, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("VALIGN", (1, 3), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                ("TOPPADDING", (0, 0), (-1, -1), PAD + 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), PAD + 2),
                ("SPAN", (1, 0), (2, 0)),  # 承办窗口
                ("SPAN", (0, 1), (0, 4)),  # 被否决事项基本情况
                ("SPAN", (2, 3), (4, 3)),  # 基本情况
                ("SPAN", (2, 4), (4, 4)),  # 理由及依据
                *(("SPAN", (1, r), (4, r)) for r in range(5, 9)),
            ]
        ),
    )
    return [
        _para(catalogue.centre.name, s["centre"]),
        _para(str(form["title"]), s["title"]),
        Spacer(1, size * 0.6),
        head,
        Spacer(1, size * 0.6),
        table,
        Spacer(1, size * 0.8),
        _para(str(form["note"]), s["cell"]),
    ]
