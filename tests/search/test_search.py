"""Matter search: what applicants type (Chinese, pinyin, initials, mixes) finds the right matters."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.domain.catalogue import Catalogue
from kiosk.domain.ports import MatterSearch, SearchHit
from kiosk.search import PinyinMatterSearch

LICENCE = {
    "enterprise_establishment_registration",
    "individual_business_registration",
    "enterprise_change_registration",
}
SOCIAL_CARD = {"social_security_card_application", "social_security_card_replacement"}
ID_CARD = {"id_card_renewal", "id_card_reissue", "temporary_id_card"}


def ids(hits: list[SearchHit]) -> list[str]:
    return [hit.matter_id for hit in hits]


def test_it_implements_the_matter_search_port(catalogue: Catalogue) -> None:
    port: MatterSearch = PinyinMatterSearch(catalogue)
    assert all(isinstance(hit, SearchHit) for hit in port.search("yyzz"))


@pytest.mark.parametrize("query", ["yyzz", "yingye", "yyzhizhao", "yingyezhizhao", "营业执照"])
def test_business_licence_is_found_by_initials_full_pinyin_mixed_and_chinese(
    search: PinyinMatterSearch, query: str
) -> None:
    hits = search.search(query)
    assert set(ids(hits)[:3]) == LICENCE
    assert hits[0].matched == "营业执照"


@pytest.mark.parametrize("query", ["YYZZ", "yy zz", " Ying Ye ", "yíngyè", "ＹＹＺＺ", "ying'ye"])
def test_case_spaces_tone_marks_and_full_width_letters_do_not_matter(
    search: PinyinMatterSearch, query: str
) -> None:
    assert set(ids(search.search(query))[:3]) == LICENCE


@pytest.mark.parametrize("query", ["社保卡", "shebaoka", "sbk", "shebaok", "社保ka", "SheBaoKa"])
def test_social_security_card_application_and_replacement(
    search: PinyinMatterSearch, query: str
) -> None:
    top = ids(search.search(query))[:3]
    assert set(top) >= SOCIAL_CARD
    assert top[0] == "social_security_card_application"


def test_id_card_reissue_by_initials_of_the_name(search: PinyinMatterSearch) -> None:
    hits = search.search("sfzbl")
    assert hits[0].matter_id == "id_card_reissue"
    assert hits[0].matched == "居民身份证补领"


@pytest.mark.parametrize("query", ["shenfenzheng", "身份证", "sfz"])
def test_every_id_card_matter_by_the_word_id_card(search: PinyinMatterSearch, query: str) -> None:
    assert set(ids(search.search(query))[:3]) == ID_CARD


def test_id_card_reissue_by_full_pinyin_of_what_people_say(search: PinyinMatterSearch) -> None:
    assert search.search("shenfenzhengbuling")[0].matter_id == "id_card_reissue"
    assert search.search("bushenfenzheng")[0].matter_id == "id_card_reissue"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("身份证补", {"id_card_reissue"}),
        ("保障卡", {*SOCIAL_CARD, "social_security_card_financial_activation"}),
        ("公积金提取", {"fund_withdrawal_home_purchase", "fund_withdrawal_retirement"}),
        ("离休退休", {"fund_withdrawal_retirement"}),
        ("食品经营许可新办", {"food_business_licence_new"}),  # punctuation in the name ignored
    ],
)
def test_chinese_substring_of_a_name(
    search: PinyinMatterSearch, query: str, expected: set[str]
) -> None:
    assert set(ids(search.search(query))[: len(expected)]) == expected


def test_chinese_with_characters_left_out_still_finds_the_matter(
    search: PinyinMatterSearch,
) -> None:
    assert search.search("社保卡补换")[0].matter_id == "social_security_card_replacement"
    assert search.search("shebaokabuhuan")[0].matter_id == "social_security_card_replacement"


def test_a_wrong_character_of_the_same_sound_is_a_last_resort(search: PinyinMatterSearch) -> None:
    hits = search.search("身分证")  # 分 for 份
    assert set(ids(hits)[:3]) == ID_CARD
    assert hits[0].score < search.search("身份证")[0].score


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("企业设立登记", "enterprise_establishment_registration"),
        ("qiyeshelidengji", "enterprise_establishment_registration"),
        ("qysldj", "enterprise_establishment_registration"),
        ("结婚登记", "marriage_registration"),
        ("jiehun", "marriage_registration"),
        ("kaifandian", "food_business_licence_new"),
        ("gongjijin", "fund_withdrawal_home_purchase"),
        ("guohu", "resale_home_transfer"),
        ("hukou", "hukou_transfer_in_dependent"),
        ("geshui", "iit_annual_reconciliation"),
        ("yibao", "cross_region_medical_filing"),
    ],
)
def test_first_hit(search: PinyinMatterSearch, query: str, first: str) -> None:
    assert search.search(query)[0].matter_id == first


def test_exact_name_beats_prefix_beats_keyword_beats_inside(search: PinyinMatterSearch) -> None:
    exact = search.search("社会保障卡补换")
    assert exact[0].matter_id == "social_security_card_replacement"
    assert all(hit.score < exact[0].score for hit in exact[1:])
    prefix = search.search("shehuibaozhangka")
    assert {h.matter_id for h in prefix[:3]} == {
        *SOCIAL_CARD,
        "social_security_card_financial_activation",
    }
    assert all(h.matched.startswith("社会保障卡") for h in prefix[:3])
    # 户口 starts a name (户口迁入) and is an alias of 出生登记: the name comes first.
    assert ids(search.search("hukou"))[:2] == ["hukou_transfer_in_dependent", "birth_registration"]


def test_prefix_of_a_name_beats_a_keyword_match(
    search: PinyinMatterSearch, catalogue: Catalogue
) -> None:
    hits = search.search("shi")  # 失业…, 食品… start with shi; so do keywords like 食品证
    by_name = [h.matched == catalogue.matters[h.matter_id].name for h in hits]
    assert by_name[:5] == [True, True, True, True, False]
    assert {h.matter_id for h in hits[:4]} == {
        "unemployment_benefit_claim",
        "food_business_licence_new",
        "food_business_licence_renewal",
        "food_business_licence_change",
    }


def test_keyword_exact_beats_match_inside_a_name(search: PinyinMatterSearch) -> None:
    hits = search.search("过户")  # keyword/alias of the transfers, inside no name
    assert hits[0].matter_id == "resale_home_transfer"
    assert hits[0].matched == "过户"


@pytest.mark.parametrize("query", ["", " ", "\t\n", "，。！", "'''", "   -  "])
def test_empty_or_blank_query_returns_nothing(search: PinyinMatterSearch, query: str) -> None:
    assert search.search(query) == []


def test_limit_and_one_hit_per_matter(search: PinyinMatterSearch) -> None:
    assert len(search.search("s", limit=5)) == 5
    assert search.search("s", limit=0) == []
    hits = search.search("s", limit=100)
    assert len(ids(hits)) == len(set(ids(hits)))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_nothing_found_is_an_empty_list(search: PinyinMatterSearch) -> None:
    assert search.search("qqqqqq") == []
    assert search.search("龘龘") == []


def test_a_catalogue_without_keywords_or_aliases_still_searches(catalogue: Catalogue) -> None:
    bare = dataclasses.replace(
        catalogue,
        matters={k: dataclasses.replace(m, keywords=()) for k, m in catalogue.matters.items()},
        aliases={"没有的词": ("不存在的事项",)},
    )
    search = PinyinMatterSearch(bare)
    assert search.search("sfzbl")[0].matter_id == "id_card_reissue"
    assert search.search("没有的词") == []


def test_names_with_latin_letters_and_digits(catalogue: Catalogue) -> None:
    matter = next(iter(catalogue.matters.values()))
    odd = dataclasses.replace(matter, id="odd", name="App12333查询（试点）", keywords=("ETC办理",))
    search = PinyinMatterSearch(dataclasses.replace(catalogue, matters={"odd": odd}))
    for query in ["app", "App12", "app12333cx", "12333", "chaxun", "etc", "etcbl", "试点"]:
        assert ids(search.search(query)) == ["odd"], query


def test_characters_pypinyin_cannot_read(catalogue: Catalogue) -> None:
    matter = next(iter(catalogue.matters.values()))
    odd = dataclasses.replace(matter, id="odd", name="社\U0002a700保登记", keywords=())
    search = PinyinMatterSearch(dataclasses.replace(catalogue, matters={"odd": odd}))
    assert ids(search.search("\U0002a700")) == ["odd"]
    assert ids(search.search("she")) == ["odd"]
    assert ids(search.search("shebaodengji")) == ["odd"]  # leaving the character out
    assert search.search("shebaodengji")[0].score < search.search("she")[0].score
