"""Colloquial aliases (guides/aliases.yaml) resolved to the matters they stand for."""

from __future__ import annotations

from kiosk.domain.catalogue import Catalogue, Matter


def matters_for_word(catalogue: Catalogue, word: str) -> tuple[str, ...]:
    """The matters an alias target word selects, in catalogue order.

    A word selects a matter when it occurs in the matter's name or equals one of its
    keywords (the format documented at the top of guides/aliases.yaml).

    Args:
        catalogue: The centre pack.
        word: One target word of an alias.

    Returns:
        Matter ids; empty when the word selects nothing.
    """
    word = word.strip()
    if not word:
        return ()
    return tuple(m.id for m in catalogue.matters.values() if _selects(word, m))


def resolve_aliases(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """Every alias with the matters its words select (aliases selecting nothing are left out).

    Args:
        catalogue: The centre pack with its aliases.

    Returns:
        Alias to matter ids in catalogue order.
    """
    resolved: dict[str, tuple[str, ...]] = {}
    for alias, words in catalogue.aliases.items():
        chosen = {mid for word in words for mid in matters_for_word(catalogue, word)}
        ids = tuple(mid for mid in catalogue.matters if mid in chosen)
        if alias.strip() and ids:
            resolved[alias.strip()] = ids
    return resolved


def unresolved_aliases(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """Alias target words that select no matter (typos or matters since renamed).

    Args:
        catalogue: The centre pack with its aliases.

    Returns:
        Alias to its dead words; empty when every word selects at least one matter.
    """
    dead: dict[str, tuple[str, ...]] = {}
    for alias, words in catalogue.aliases.items():
        missing = tuple(w for w in words if not matters_for_word(catalogue, w))
        if missing or not words:
            dead[alias] = missing
    return dead


def _selects(word: str, matter: Matter) -> bool:
    return word in matter.name or word in matter.keywords
