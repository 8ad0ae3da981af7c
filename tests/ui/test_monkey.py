"""Random keys and clicks in applicant mode: no crash, no quit, no staff screen reached."""

from __future__ import annotations

import os
import random

import pytest

from kiosk.app import KioskApp
from kiosk.domain.services import KioskContext
from kiosk.screens.case_view import CaseViewScreen
from kiosk.screens.staff_desk import StaffDeskScreen

KEYS = [
    *"0123456789",
    *"abcdefghijklmnopqrstuvwxyz",
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "space",
    "backspace",
    "home",
    "end",
    "pageup",
    "pagedown",
    "ctrl+q",
    "ctrl+c",
    "ctrl+p",
    "ctrl+z",
    "ctrl+d",
    "ctrl+backslash",
    "f1",
    "f10",
    "-",
]


async def monkey(ctx: KioskContext, seed: int, steps: int) -> None:
    rng = random.Random(seed)
    app = KioskApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        for step in range(steps):
            if rng.random() < 0.15:
                await pilot.click(offset=(rng.randrange(80), rng.randrange(24)))
            else:
                await pilot.press(rng.choice(KEYS))
            if step % 25 == 0:
                await pilot.pause()
                await app.workers.wait_for_complete()
            assert app.is_running, f"quit at step {step} (seed {seed})"
            assert not isinstance(app.screen, StaffDeskScreen | CaseViewScreen), (
                f"staff screen at step {step}"
            )
        await pilot.pause()
        assert app.return_code is None


@pytest.mark.parametrize("seed", range(2))
async def test_random_input_short(ctx: KioskContext, seed: int) -> None:
    await monkey(ctx, seed, 150)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(int(os.environ.get("KIOSK_MONKEY_SEEDS", "20"))))
async def test_random_input_soak(ctx: KioskContext, seed: int) -> None:
    await monkey(ctx, 1000 + seed, 3000)
