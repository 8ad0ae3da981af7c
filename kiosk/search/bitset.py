"""Posting lists as Python ints (bit i set = term i), intersected in C and walked in order."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_NONZERO = re.compile(rb"[^\x00]")
_BITS_OF_BYTE = tuple(tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256))
_BIT = tuple(1 << bit for bit in range(8))


class PostingsBuilder:
    """Collects, for each key, the terms that have it, then freezes them into bitsets."""

    def __init__(self, size: int) -> None:
        """Start empty.

        Args:
            size: How many terms there are (bits per posting list).
        """
        self._nbytes = (size + 7) // 8
        self._rows: dict[str, bytearray] = {}

    def add(self, term: int, keys: Iterable[str]) -> None:
        """Record that term `term` has every key of `keys`.

        Args:
            term: The term's bit position.
            keys: Its keys (duplicates are harmless).
        """
        byte, bit = term >> 3, _BIT[term & 7]
        rows = self._rows
        for key in keys:
            row = rows.get(key)
            if row is None:
                row = rows[key] = bytearray(self._nbytes)
            row[byte] |= bit

    def freeze(self) -> dict[str, int]:
        """The posting lists as ints (little-endian: bit i is term i).

        Returns:
            Key to bitset; a key no term has is absent (treat it as 0).
        """
        return {key: int.from_bytes(row, "little") for key, row in self._rows.items()}


def span(start: int, end: int) -> int:
    """The bitset of terms start..end-1.

    Args:
        start: First term (inclusive).
        end: Last term (exclusive).

    Returns:
        An int with exactly those bits set.
    """
    return (1 << end) - (1 << start) if end > start else 0


def iter_bits(mask: int) -> Iterator[int]:
    """The set bits of mask, lowest first, found a byte at a time in C.

    Args:
        mask: A non-negative bitset.

    Yields:
        Term positions in increasing order.
    """
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    for hit in _NONZERO.finditer(data):
        base = hit.start() << 3
        for bit in _BITS_OF_BYTE[data[hit.start()]]:
            yield base + bit
