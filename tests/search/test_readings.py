"""Pinyin readings: corrections of pypinyin, heteronyms, and normalisation of what is typed."""

from __future__ import annotations

import unicodedata

import pytest
from pypinyin import lazy_pinyin

from kiosk.search import (
    READING_CORRECTIONS,
    full_pinyin,
    initials,
    normalize_query,
    register_corrections,
    term_units,
)
from kiosk.search.readings import COMMON_HETERONYMS, MAX_QUERY_CHARS


def test_tiao_xiu_is_read_tiao_not_diao() -> None:
    assert full_pinyin("调休") == "tiaoxiu"
    assert initials("调休") == "tx"
    assert term_units("调休") == (("tiao",), ("xiu",))
    assert full_pinyin("春节调休安排") == "chunjietiaoxiuanpai"  # also inside a sentence


def test_corrections_are_registered_with_pypinyin_idempotently() -> None:
    register_corrections()
    register_corrections()
    assert lazy_pinyin("调休") == ["tiao", "xiu"]
    assert lazy_pinyin("还款") == ["huan", "kuan"]


@pytest.mark.parametrize(("word", "tones"), sorted(READING_CORRECTIONS.items()))
def test_every_correction_is_applied(word: str, tones: str) -> None:
    assert full_pinyin(word) == "".join(_strip_tones(s) for s in tones.split())


def test_the_tax_matter_reads_suo_de_not_suo_de_neutral() -> None:
    assert "zonghesuode" in full_pinyin("个人所得税综合所得汇算清缴（代办辅导）")


def test_common_heteronyms_are_indexed_both_ways_when_the_phrase_does_not_decide() -> None:
    assert set(term_units("行")[0]) == {"xing", "hang"}
    assert set(term_units("重")[0]) == {"zhong", "chong"}
    assert set(term_units("长")[0]) == {"zhang", "chang"}
    assert term_units("银行") == (("yin",), ("hang",))  # the phrase decides
    assert term_units("长期")[0] == ("chang",)
    assert term_units("重新")[0] == ("chong",)


def test_rare_readings_are_not_indexed() -> None:
    assert term_units("失业")[0] == ("shi",)  # pypinyin's heteronym mode also lists yi
    assert "gao" in term_units("告")[0] and len(term_units("告")[0]) == 1
    assert all(len(readings) >= 2 for readings in COMMON_HETERONYMS.values())


def test_phrase_correct_reading_comes_first() -> None:
    assert term_units("调")[0][0] == full_pinyin("调")
    assert full_pinyin("银行") == "yinhang"


def test_u_umlaut_is_typed_v_or_u() -> None:
    assert term_units("绿")[0][:1] == ("lv",) and "lu" in term_units("绿")[0]
    assert "nu" in term_units("女")[0]


def test_latin_letters_digits_and_punctuation() -> None:
    assert term_units("App12333（试点）") == (("app",), ("12333",), ("shi",), ("dian",))
    assert full_pinyin("食品经营许可（新办）") == "shipinjingyingxukexinban"
    assert initials("营业执照") == "yyzz"


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("  YY zz ", "yyzz"),
        ("yíng yè", "yingye"),
        ("Xi'an", "xian"),
        ("lü", "lv"),
        ("ＹＹＺＺ", "yyzz"),
        ("社保 ka!", "社保ka"),
        ("，。", ""),
    ],
)
def test_normalize_query(typed: str, normal: str) -> None:
    assert normalize_query(typed) == normal


def test_very_long_queries_are_cut() -> None:
    assert normalize_query("a" * 10_000) == "a" * MAX_QUERY_CHARS


def _strip_tones(syllable: str) -> str:
    plain = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in plain if not unicodedata.combining(c)).replace("ü", "v")
