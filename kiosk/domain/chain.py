"""Hash chain of a case timeline: each entry's hash covers the previous hash and its content."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# The content of an entry that its hash covers: who (and in which role), what, when, the note.
CHAINED_FIELDS = ("at", "actor", "role", "action", "note")


def genesis_hash(number: str, created_at: str) -> str:
    """The link before a case's first entry: binds the chain to one case.

    Args:
        number: The case number.
        created_at: The case's creation time as stored.

    Returns:
        A hex SHA-256 digest.
    """
    return hashlib.sha256(f"kiosk-case\n{number}\n{created_at}".encode()).hexdigest()


def canonical_entry(entry: Mapping[str, str]) -> str:
    """The canonical JSON of an entry's chained fields (sorted keys, no spaces, raw UTF-8).

    Args:
        entry: A timeline entry as a mapping; a missing note counts as empty.

    Returns:
        The JSON text.
    """
    fields = {name: entry.get(name, "") for name in CHAINED_FIELDS}
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def link_hash(previous: str, entry: Mapping[str, str]) -> str:
    """The hash of an entry that follows ``previous`` in a chain.

    Args:
        previous: The previous entry's hash, or the genesis hash.
        entry: The entry's content.

    Returns:
        A hex SHA-256 digest.
    """
    return hashlib.sha256(f"{previous}\n{canonical_entry(entry)}".encode()).hexdigest()


def chain_hashes(number: str, created_at: str, entries: Sequence[Mapping[str, str]]) -> list[str]:
    """The hashes a whole timeline should carry, in order.

    Args:
        number: The case number.
        created_at: The case's creation time.
        entries: The entries' content.

    Returns:
        One hash per entry.
    """
    hashes: list[str] = []
    previous = genesis_hash(number, created_at)
    for entry in entries:
        previous = link_hash(previous, entry)
        hashes.append(previous)
    return hashes


@dataclass(frozen=True)
class ChainBreak:
    """Where and how a stored chain fails to check out.

    Attributes:
        index: 0-based index of an entry that does not link to the one before it.
        kind: ``edited`` (its content no longer gives its hash: changed, or the entry before
            it was deleted), ``reordered`` (it links to an entry at another place) or
            ``missing`` (no hash, although other entries have one).
    """

    index: int
    kind: str


def check_chain(
    number: str, created_at: str, entries: Sequence[Mapping[str, str]]
) -> list[ChainBreak] | None:
    """Check the stored hashes of a timeline.

    Args:
        number: The case number.
        created_at: The case's creation time.
        entries: Stored entries, each with a ``hash`` key when chained.

    Returns:
        None for a timeline with no hashes at all (written before chaining); else the breaks
        found, empty when the chain is intact.
    """
    stored = [str(entry.get("hash", "")) for entry in entries]
    if entries and not any(stored):
        return None
    links = [genesis_hash(number, created_at), *stored]
    breaks: list[ChainBreak] = []
    for index, entry in enumerate(entries):
        if not stored[index]:
            breaks.append(ChainBreak(index, "missing"))
        elif link_hash(links[index], entry) != stored[index]:
            linked = any(
                link_hash(previous, entry) == stored[index]
                for position, previous in enumerate(links)
                if position != index and previous
            )
            breaks.append(ChainBreak(index, "reordered" if linked else "edited"))
    return breaks
