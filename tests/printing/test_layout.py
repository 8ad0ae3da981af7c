"""Display width, GBK-safe text and wrapping to 58 mm and 80 mm paper."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.printing.layout import (
    COLUMNS_58MM,
    COLUMNS_80MM,
    REPLACEMENT,
    center,
    columns_for_paper,
    display_width,
    field,
    in_gbk,
    printable,
    wrap,
)
from tests.printing.conftest import HOURS, LONG_ADDRESS


@pytest.mark.parametrize(
    ("text", "width"),
    [("abc", 3), ("汉字", 4), ("·—×“”￥", 12), ("A·B", 4), ("", 0), ("１２", 4)],
)
def test_every_non_ascii_character_takes_two_columns(text: str, width: int) -> None:
    assert display_width(text) == width


def test_yen_becomes_fullwidth_and_encodes_in_gbk() -> None:
    assert printable("费用 ¥80") == "费用 ￥80"
    assert printable("¥").encode("gbk") == "￥".encode("gbk")


@pytest.mark.parametrize("rare", ["𠮷", "䶮", "😀", "\u0301"])
def test_characters_outside_gbk_become_a_box(rare: str) -> None:
    assert not in_gbk(rare)
    text = printable(f"王{rare}明")
    assert text == f"王{REPLACEMENT}明"
    text.encode("gbk")  # would raise if anything were left outside GBK


def test_control_characters_never_reach_the_printer() -> None:
    assert printable("a\x1b!\x30b\tc\x00") == f"a{REPLACEMENT}!0b c{REPLACEMENT}"


@pytest.mark.parametrize("columns", [COLUMNS_58MM, COLUMNS_80MM])
@pytest.mark.parametrize("text", [LONG_ADDRESS, HOURS, "地址：" + LONG_ADDRESS])
def test_long_chinese_addresses_wrap_within_the_paper(columns: int, text: str) -> None:
    lines = wrap(text, columns)
    assert len(lines) > 1
    assert all(display_width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    # a full-width character never sticks out: lines are filled to within one hanzi
    assert all(display_width(line) >= columns - 6 for line in lines[:-1])


@pytest.mark.parametrize("columns", [COLUMNS_58MM, COLUMNS_80MM])
def test_field_aligns_continuation_lines_under_the_value(columns: int) -> None:
    lines = field("地址：", LONG_ADDRESS, columns)
    assert lines[0].startswith("地址：陕西省")
    assert all(line.startswith("      ") for line in lines[1:])
    assert all(display_width(line) <= columns for line in lines)


def test_ascii_words_are_not_broken_when_avoidable() -> None:
    words = ("0915-3210000", "0915-3315110", "0915-3210012", "https://zwfw.example.cn/x")
    text = "电话 {} 或 {} 监督 {} 网址 {}".format(*words)
    for columns in (COLUMNS_58MM, COLUMNS_80MM):
        lines = wrap(text, columns)
        assert len(lines) > 1
        for word in words:
            assert any(word in line for line in lines), (word, lines)


def test_a_word_longer_than_the_paper_is_split() -> None:
    lines = wrap("x" * 70, COLUMNS_58MM)
    assert lines == ["x" * 32, "x" * 32, "x" * 6]


def test_chinese_punctuation_does_not_start_a_line() -> None:
    text = "一二三四五六七八九十一二三四五，六七八"  # the comma falls at column 31
    lines = wrap(text, COLUMNS_58MM)
    assert not lines[1].startswith("，")


def test_newlines_and_blank_lines_are_kept() -> None:
    assert wrap("甲\n\n乙", COLUMNS_58MM) == ["甲", "", "乙"]


def test_center_pads_to_the_middle() -> None:
    assert center("办事回执", 32) == " " * 12 + "办事回执"
    assert center("x" * 32, 32) == "x" * 32


def _kept(text: str) -> str:
    return "".join(c for c in text if c not in " \t\n")


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8"),
            st.sampled_from("汉字地址，。（）“”·—× \n\tabc-0123456789"),
        ),
        max_size=200,
    ),
    columns=st.sampled_from([2, 3, 5, COLUMNS_58MM, COLUMNS_80MM]),
    indent=st.sampled_from(["", "  ", "      "]),
)
def test_wrapped_lines_fit_and_lose_no_character(text: str, columns: int, indent: str) -> None:
    lines = wrap(text, columns, indent=indent)
    assert all(display_width(line) <= columns for line in lines)
    assert _kept("".join(lines)) == _kept(text)
    printed = wrap(printable(text), columns, indent=indent)
    assert all(display_width(line) <= columns for line in printed)
    assert all(line == printable(line) for line in printed)


@pytest.mark.parametrize(
    ("value", "columns"), [("58", 32), ("58mm", 32), (32, 32), ("80MM", 48), (48, 48)]
)
def test_paper_settings_map_to_columns(value: str | int, columns: int) -> None:
    assert columns_for_paper(value) == columns


def test_an_unknown_paper_width_is_refused() -> None:
    with pytest.raises(ValueError, match="纸宽"):
        columns_for_paper("76mm")
