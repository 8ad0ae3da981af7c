"""guides/aliases.yaml (format, every word resolves) and browsing by unit."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from kiosk.domain.catalogue import Catalogue
from kiosk.search import matters_for_word, resolve_aliases, unresolved_aliases

ALIASES_FILE = Path(__file__).resolve().parents[2] / "guides" / "aliases.yaml"


def test_aliases_file_is_a_mapping_of_words_to_lists_of_words() -> None:
    raw = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8"))
    assert isinstance(raw, dict) and raw
    for alias, words in raw.items():
        assert isinstance(alias, str) and alias.strip()
        assert isinstance(words, list) and words, alias  # a bare string would split into chars
        assert all(isinstance(w, str) and w.strip() for w in words), alias
    assert ALIASES_FILE.read_text(encoding="utf-8").startswith("# 事项检索别名")


def test_the_pack_loader_reads_the_aliases(catalogue: Catalogue) -> None:
    assert catalogue.aliases["社保卡"] == ("社会保障卡",)
    assert len(catalogue.aliases) == len(yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8")))


def test_every_alias_word_selects_a_matter(catalogue: Catalogue) -> None:
    assert unresolved_aliases(catalogue) == {}


def test_the_colloquial_words_of_the_issue_are_covered(catalogue: Catalogue) -> None:
    resolved = resolve_aliases(catalogue)
    assert set(resolved["营业执照"]) == {
        "enterprise_establishment_registration",
        "individual_business_registration",
        "enterprise_change_registration",
    }
    assert {"social_security_card_application", "social_security_card_replacement"} <= set(
        resolved["社保卡"]
    )
    assert set(resolved["身份证"]) == {"id_card_renewal", "id_card_reissue", "temporary_id_card"}
    assert "resale_home_transfer" in resolved["过户"]
    assert "hukou_transfer_in_dependent" in resolved["户口"]
    assert len(resolved["公积金"]) == 4
    assert "food_business_licence_new" in resolved["开饭店"]
    assert "resident_medical_insurance_enrollment" in resolved["医保"]
    assert resolved["个税"] == ("iit_annual_reconciliation",)


def test_a_word_selects_by_name_substring_or_equal_keyword(catalogue: Catalogue) -> None:
    assert matters_for_word(catalogue, "居民身份证补领") == ("id_card_reissue",)
    assert matters_for_word(catalogue, "打官司") == ("civil_lawsuit_filing",)  # a keyword
    assert matters_for_word(catalogue, "官司") == ()  # keywords must match whole
    assert matters_for_word(catalogue, "  ") == ()


def test_dead_alias_words_are_reported(catalogue: Catalogue) -> None:
    broken = dataclasses.replace(catalogue, aliases={"驾照": ("机动车驾驶证",), "空": ()})
    assert unresolved_aliases(broken) == {"驾照": ("机动车驾驶证",), "空": ()}
    assert resolve_aliases(broken) == {}


def test_browse_by_unit_keeps_catalogue_order(catalogue: Catalogue) -> None:
    groups = catalogue.by_unit()
    units = [unit.id for unit, _ in groups]
    assert units == [
        u for u in catalogue.units if any(m.unit == u for m in catalogue.matters.values())
    ]
    listed = [m.id for _, matters in groups for m in matters]
    assert sorted(listed) == sorted(catalogue.matters)
    for unit, matters in groups:
        assert all(m.unit == unit.id for m in matters)
        order = list(catalogue.matters)
        assert [order.index(m.id) for m in matters] == sorted(order.index(m.id) for m in matters)
