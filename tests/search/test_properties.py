"""Properties of the search over the demo catalogue, checked with generated queries."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.catalogue import Catalogue
from kiosk.search import PinyinMatterSearch, full_pinyin, initials, normalize_query

SETTINGS = settings(max_examples=300, deadline=None)


def _prefix(data: st.DataObject, text: str) -> str:
    return text[: data.draw(st.integers(min_value=1, max_value=len(text)))]


@SETTINGS
@given(data=st.data())
def test_any_prefix_of_a_names_full_pinyin_finds_it_in_the_top_20(
    data: st.DataObject, catalogue: Catalogue, search: PinyinMatterSearch
) -> None:
    matter = data.draw(st.sampled_from(list(catalogue.matters.values())))
    query = _prefix(data, full_pinyin(matter.name))
    assert matter.id in [hit.matter_id for hit in search.search(query, limit=20)], query


@SETTINGS
@given(data=st.data())
def test_any_prefix_of_a_names_initials_finds_it_in_the_top_20(
    data: st.DataObject, catalogue: Catalogue, search: PinyinMatterSearch
) -> None:
    matter = data.draw(st.sampled_from(list(catalogue.matters.values())))
    query = _prefix(data, initials(matter.name))
    assert matter.id in [hit.matter_id for hit in search.search(query, limit=20)], query


@SETTINGS
@given(data=st.data())
def test_any_keyword_typed_in_pinyin_or_initials_or_chinese_finds_its_matter(
    data: st.DataObject, catalogue: Catalogue, search: PinyinMatterSearch
) -> None:
    matter = data.draw(st.sampled_from([m for m in catalogue.matters.values() if m.keywords]))
    keyword = data.draw(st.sampled_from(matter.keywords))
    query = data.draw(st.sampled_from([keyword, full_pinyin(keyword), initials(keyword)]))
    hits = search.search(query, limit=len(catalogue.matters))
    assert matter.id in [hit.matter_id for hit in hits], query


@SETTINGS
@given(data=st.data())
def test_any_chinese_substring_of_a_name_finds_it(
    data: st.DataObject, catalogue: Catalogue, search: PinyinMatterSearch
) -> None:
    matter = data.draw(st.sampled_from(list(catalogue.matters.values())))
    name = normalize_query(matter.name)
    start = data.draw(st.integers(min_value=0, max_value=len(name) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(name)))
    hits = search.search(name[start:end], limit=len(catalogue.matters))
    assert matter.id in [hit.matter_id for hit in hits], name[start:end]


@SETTINGS
@given(data=st.data())
def test_stopping_early_never_changes_the_top_results(
    data: st.DataObject, catalogue: Catalogue, search: PinyinMatterSearch
) -> None:
    matter = data.draw(st.sampled_from(list(catalogue.matters.values())))
    text = data.draw(st.sampled_from([matter.name, *matter.keywords]))
    query = data.draw(
        st.one_of(
            st.sampled_from([full_pinyin(text), initials(text), normalize_query(text)]).flatmap(
                lambda q: st.integers(1, len(q)).map(lambda n: q[:n])
            ),
            st.text("abcdeghijklmnopqrstuwxyz", min_size=1, max_size=6),
        )
    )
    limit = data.draw(st.integers(min_value=1, max_value=12))
    everything = search.search(query, limit=len(catalogue.matters))
    assert search.search(query, limit=limit) == everything[:limit], query


def _alphabet(catalogue: Catalogue) -> st.SearchStrategy[str]:
    chinese = sorted({c for m in catalogue.matters.values() for c in m.name + "".join(m.keywords)})
    return st.one_of(
        st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '"),
        st.sampled_from(chinese),
        st.characters(),  # anything: emoji, controls, surrogates' neighbours, full width…
    )


@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_any_query_never_raises_and_hits_are_well_formed(
    data: st.DataObject, catalogue: Catalogue, search: PinyinMatterSearch
) -> None:
    query = data.draw(st.text(_alphabet(catalogue), max_size=30))
    limit = data.draw(st.integers(min_value=-1, max_value=60))
    hits = search.search(query, limit=limit)
    assert len(hits) <= max(limit, 0)
    matter_ids = [hit.matter_id for hit in hits]
    assert len(matter_ids) == len(set(matter_ids))
    assert set(matter_ids) <= set(catalogue.matters)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.score > 0 and h.matched for h in hits)
    if not normalize_query(query):
        assert hits == []
