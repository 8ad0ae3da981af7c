"""Snapshots of every applicant screen at 80×24 (the low-spec clerk and kiosk terminal size)."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.app import KioskApp
from kiosk.domain.services import KioskContext

SIZE = (80, 24)

PATHS: dict[str, list[str]] = {
    "home": [],
    "find": ["1", *"sbk"],
    "browse": ["1", "8"],
    "browse_unit": ["1", "8", "2"],
    "questions": ["1", *"id_card_reissue", "1", "1"],
    "outcome_incomplete": ["1", *"id_card_reissue", "1", "1", "2", "1", "enter"],
    "outcome_redirect": [
        "1",
        *"birth_registration",
        "1",
        "enter",
        "enter",
        "enter",
        "enter",
        "enter",
    ],
    "describe": ["2"],
    "guide": ["1", *"id_card_reissue", "1", "1", "2", "1", "enter", "g"],
    "contact": ["1", *"zzz", "9", "1"],
    "progress": ["3"],
}


@pytest.mark.parametrize("name", list(PATHS))
def test_screen_snapshot(name: str, ctx: KioskContext, snap_compare: Any) -> None:
    async def walk(pilot: Any) -> None:
        # Press, then let the store worker finish, so "已登记" is always what is captured.
        await pilot.press(*PATHS[name])
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(KioskApp(ctx), terminal_size=SIZE, run_before=walk)
