"""PinyinMatterSearch: matters by Chinese, full pinyin, initials or a mix, fast enough per keystroke."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import pairwise

from kiosk.domain.catalogue import Catalogue
from kiosk.domain.ports import SearchHit
from kiosk.search.aliases import resolve_aliases
from kiosk.search.bitset import PostingsBuilder, iter_bits, span
from kiosk.search.readings import (
    is_han,
    normalize_query,
    normalize_text,
    register_corrections,
    term_units,
)

# Score bands, best first; within a band shorter texts score a little higher.
NAME_EXACT, NAME_PREFIX, EXTRA_EXACT, EXTRA_PREFIX = 90, 80, 70, 60
NAME_INFIX, EXTRA_INFIX, NAME_FUZZY, EXTRA_FUZZY = 50, 40, 30, 20
HOMOPHONE_SCALE = 0.1  # Chinese typed with a wrong character of the same sound: bands 9..2
FUZZY_CHECK_CAP = 1500  # fuzzy candidates verified per band at most (bounds the worst keystroke)

_ALT = r"(?:[^ |]+\|)*"  # choose one of a unit's readings
_REST = r"[^ ]*"  # the rest of the current unit
_SKIP = r"(?:[^ ]* )*?"  # whole units left out (fuzzy only)

Check = Callable[[str], object]
_KINDS = ("exact", "anchored", "infix", "fuzzy")


@dataclass(frozen=True, slots=True)
class _Term:
    text: str  # as written in the catalogue (SearchHit.matched)
    hanzi: str  # normalised text, compared with Chinese queries
    line: str  # " ying ye zhi zhao ": units with their readings, "|" between readings
    units: int
    matters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Stage:
    band: float
    mask: int
    on_pinyin: bool  # check term.line (else term.hanzi)
    check: Callable[[], Check]  # made only when a candidate needs checking
    cap: int | None = None


class PinyinMatterSearch:
    """Finds matters from Chinese, full pinyin, pinyin initials or a mix (MatterSearch port).

    The index is built once: every matter name, keyword and resolved alias becomes a term
    with its pinyin readings, and bitsets say which terms could match a pair of typed
    letters. A keystroke intersects a few bitsets, then verifies the few candidates in
    rank order with a regular expression and stops once the best `limit` are settled.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        """Index the catalogue.

        Args:
            catalogue: The centre pack; its `aliases` are resolved as in guides/aliases.yaml.
        """
        register_corrections()
        order = {mid: i for i, mid in enumerate(catalogue.matters)}
        names: dict[str, list[str]] = {}
        extras: dict[str, list[str]] = {}
        for matter in catalogue.matters.values():
            names.setdefault(matter.name, []).append(matter.id)
            for keyword in matter.keywords:
                extras.setdefault(keyword, []).append(matter.id)
        for alias, ids in resolve_aliases(catalogue).items():
            extras.setdefault(alias, []).extend(ids)
        name_terms = _terms(names, order)
        extra_terms = _terms(extras, order)
        self._terms = name_terms + extra_terms
        self._names = (0, len(name_terms), [t.units for t in name_terms])
        self._extras = (len(name_terms), len(self._terms), [t.units for t in extra_terms])
        postings = PostingsBuilder(len(self._terms))
        for position, term in enumerate(self._terms):
            postings.add(position, _keys(term))
        self._bits = postings.freeze()

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Best matches first; an empty or blank query returns nothing.

        Args:
            query: What the applicant typed so far: Chinese, full pinyin (`yingye`),
                initials (`yyzz`) or a mix (`yyzhizhao`, `社保ka`); case and spaces ignored.
            limit: At most this many hits.

        Returns:
            One hit per matter: exact or prefix name matches first, then keyword and
            alias matches, then matches inside a name or keyword, then fuzzy ones.
        """
        text = normalize_query(query)
        if not text or limit <= 0:
            return []
        found: dict[str, tuple[float, str]] = {}
        for stage in self._stages(text):
            self._collect(stage, found, limit)
            if len(found) >= limit:
                break
        ranked = sorted(found.items(), key=lambda item: -item[1][0])[:limit]
        return [SearchHit(mid, round(score, 3), matched) for mid, (score, matched) in ranked]

    def _stages(self, text: str) -> Iterator[_Stage]:
        tokens = tuple(text)
        readable = all(not is_han(c) or _readings(c) for c in tokens)
        if all(is_han(c) for c in tokens):
            yield from self._hanzi_stages(text)
            if readable:
                yield from self._pinyin_stages(tokens, HOMOPHONE_SCALE)
        elif readable:
            yield from self._pinyin_stages(tokens, 1.0)

    def _hanzi_stages(self, text: str) -> Iterator[_Stage]:
        mask = -1
        for char in set(text):
            mask &= self._bits.get("#" + char, 0)
        if not mask:
            return
        names, extras = self._group(self._names), self._group(self._extras)
        names_short = self._upto(self._names, len(text))
        extras_short = self._upto(self._extras, len(text))

        def exact() -> Check:
            return text.__eq__

        def prefix() -> Check:
            return lambda s: s.startswith(text)

        def infix() -> Check:
            return lambda s: text in s

        def fuzzy() -> Check:
            return lambda s: _subsequence(text, s)

        yield _Stage(NAME_EXACT, mask & names_short, False, exact)
        yield _Stage(NAME_PREFIX, mask & names, False, prefix)
        yield _Stage(EXTRA_EXACT, mask & extras_short, False, exact)
        yield _Stage(EXTRA_PREFIX, mask & extras, False, prefix)
        yield _Stage(NAME_INFIX, mask & names, False, infix)
        yield _Stage(EXTRA_INFIX, mask & extras, False, infix)
        if len(text) > 1:
            yield _Stage(NAME_FUZZY, mask & names, False, fuzzy)
            yield _Stage(EXTRA_FUZZY, mask & extras, False, fuzzy)

    def _pinyin_stages(self, tokens: tuple[str, ...], scale: float) -> Iterator[_Stage]:
        bits = self._bits
        heads = [_heads(t) for t in tokens]
        first = _union(bits, "^", heads[0])
        anywhere = _union(bits, "*", heads[0])
        strict = anywhere
        for token, head in zip(tokens[:-1], heads[1:], strict=True):
            strict &= _union(bits, "=", [x + y for x in _tails(token) for y in head])
            if not strict:
                break
        names, extras = self._group(self._names), self._group(self._extras)
        names_short = self._upto(self._names, len(tokens))
        extras_short = self._upto(self._extras, len(tokens))
        exact, anchored, infix, fuzzy = (partial(_pattern, tokens, kind) for kind in _KINDS)
        if strict:
            yield _Stage(NAME_EXACT * scale, strict & first & names_short, True, exact)
            yield _Stage(NAME_PREFIX * scale, strict & first & names, True, anchored)
            yield _Stage(EXTRA_EXACT * scale, strict & first & extras_short, True, exact)
            yield _Stage(EXTRA_PREFIX * scale, strict & first & extras, True, anchored)
            yield _Stage(NAME_INFIX * scale, strict & anywhere & names, True, infix)
            yield _Stage(EXTRA_INFIX * scale, strict & anywhere & extras, True, infix)
        if len(tokens) < 2:
            return
        loose = anywhere
        for token, head in zip(tokens[:-1], heads[1:], strict=True):
            loose &= _union(bits, "~", [x + y for x in _tails(token) for y in head])
            if not loose:
                return
        yield _Stage(NAME_FUZZY * scale, loose & names, True, fuzzy, FUZZY_CHECK_CAP)
        yield _Stage(EXTRA_FUZZY * scale, loose & extras, True, fuzzy, FUZZY_CHECK_CAP)

    def _collect(self, stage: _Stage, found: dict[str, tuple[float, str]], limit: int) -> None:
        """Verify the stage's candidates in rank order until the best `limit` are settled."""
        terms = self._terms
        check: Check | None = None
        stop: int | None = None
        checked = 0
        for position in iter_bits(stage.mask):
            term = terms[position]
            if stop is not None and term.units > stop:
                break
            if all(mid in found for mid in term.matters):
                continue
            checked += 1
            if stage.cap is not None and checked > stage.cap:
                break
            if check is None:
                check = stage.check()
            if not check(term.line if stage.on_pinyin else term.hanzi):
                continue
            score = stage.band * (1 - min(term.units, 99) / 1000)
            for mid in term.matters:
                found.setdefault(mid, (score, term.text))
            if stop is None and len(found) >= limit:
                stop = term.units

    @staticmethod
    def _group(group: tuple[int, int, list[int]]) -> int:
        return span(group[0], group[1])

    @staticmethod
    def _upto(group: tuple[int, int, list[int]], units: int) -> int:
        """The terms of a group with at most `units` units (groups are sorted by units)."""
        return span(group[0], group[0] + bisect_right(group[2], units))


def _terms(texts: dict[str, list[str]], order: dict[str, int]) -> list[_Term]:
    terms = []
    for text, ids in texts.items():
        units = term_units(text)
        line = "".join(" " + "|".join(readings) for readings in units) + " "
        matters = tuple(sorted(set(ids), key=order.__getitem__))
        hanzi = normalize_text(text)
        if hanzi:
            terms.append(_Term(text.strip(), hanzi, line, len(units), matters))
    return sorted(terms, key=lambda t: t.units)  # stable: catalogue order within a length


def _keys(term: _Term) -> set[str]:
    """Index keys: `^c` first unit starts with c, `*c` some unit does, `#x` has character x,
    `=ab` a then b can be typed in a row, `~ab` the same when units may be left out."""
    keys = {"#" + char for char in term.hanzi}
    units = [[r for r in unit.split("|") if r] for unit in term.line[1:-1].split(" ")]
    if not any(units):
        return keys
    starts = [{r[0] for r in readings} for readings in units]
    keys.update("^" + c for c in starts[0])
    later: set[str] = set()
    for index in range(len(units) - 1, -1, -1):
        readings = units[index]
        letters = {c for r in readings for c in r}
        for r in readings:
            keys.update("=" + r[i : i + 2] for i in range(len(r) - 1))
            keys.update("~" + r[i : i + 2] for i in range(len(r) - 1))
        if index + 1 < len(units):
            keys.update("=" + a + b for a in letters for b in starts[index + 1])
            keys.update("~" + a + b for a in letters for b in later)
        later |= starts[index]
        keys.update("*" + c for c in starts[index])
    return keys


def _readings(char: str) -> tuple[str, ...]:
    units = term_units(char)
    return units[0] if units else ()


def _heads(token: str) -> list[str]:
    """The letters a token can begin with (its readings' first letters for a character)."""
    return sorted({r[0] for r in _readings(token)}) if is_han(token) else [token]


def _tails(token: str) -> list[str]:
    return sorted({r[-1] for r in _readings(token)}) if is_han(token) else [token]


def _union(bits: dict[str, int], kind: str, keys: list[str]) -> int:
    mask = 0
    for key in keys:
        mask |= bits.get(kind + key, 0)
    return mask


def _subsequence(text: str, within: str) -> bool:
    rest = iter(within)
    return all(char in rest for char in text)


@lru_cache(maxsize=512)
def _pattern(tokens: tuple[str, ...], kind: str) -> Check:
    """A regular expression over term lines: each typed letter either continues the current
    syllable or starts the next one, so `yyzhizhao` is y·y·zhi·zhao; a character must be a
    whole reading. exact: the whole term; anchored: from its start; infix: from any
    syllable; fuzzy: from any syllable, leaving syllables out."""
    if kind == "exact":
        return re.compile(" " + _ALT + _body(tokens, "") + _REST + " ").fullmatch
    if kind == "anchored":
        return re.compile(" " + _ALT + _body(tokens, "")).match
    if kind == "infix":
        return re.compile("[ |]" + _body(tokens, "")).search
    return re.compile("[ |]" + _body(tokens, _SKIP)).search


def _body(tokens: tuple[str, ...], skip: str) -> str:
    parts = [_piece(tokens[0])]
    for previous, token in pairwise(tokens):
        jump = _REST + " " + skip + _ALT
        same_syllable_possible = not is_han(previous) and not is_han(token)
        parts.append(f"(?:{jump})?" if same_syllable_possible else jump)
        parts.append(_piece(token))
    return "".join(parts)


def _piece(token: str) -> str:
    if not is_han(token):
        return re.escape(token)
    readings = sorted(_readings(token), key=len, reverse=True)
    return "(?:" + "|".join(map(re.escape, readings)) + ")(?=[ |])"
