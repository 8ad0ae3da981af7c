"""Pinyin and fuzzy matter search."""

from kiosk.search.aliases import matters_for_word, resolve_aliases, unresolved_aliases
from kiosk.search.index import PinyinMatterSearch
from kiosk.search.readings import (
    READING_CORRECTIONS,
    full_pinyin,
    initials,
    normalize_query,
    register_corrections,
    term_units,
)

__all__ = [
    "READING_CORRECTIONS",
    "PinyinMatterSearch",
    "full_pinyin",
    "initials",
    "matters_for_word",
    "normalize_query",
    "register_corrections",
    "resolve_aliases",
    "term_units",
    "unresolved_aliases",
]
