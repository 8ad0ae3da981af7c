"""The real kiosk (pinyin search, TinyDB store, file printer) from home to the printed bytes."""

from __future__ import annotations

from pathlib import Path

from kiosk.app import KioskApp
from kiosk.bootstrap import build_context, build_services
from kiosk.printing.escpos_text import decode_jobs
from kiosk.screens.outcome import OutcomeScreen

from ..conftest import BUNDLED_DATA, FIXED_NOW


async def test_pinyin_to_printed_receipt(tmp_path: Path) -> None:
    services = build_services(BUNDLED_DATA, tmp_path, clock=lambda: FIXED_NOW)
    spool = tmp_path / "slip.bin"
    ctx = build_context(services, printer=f"file:{spool}")
    app = KioskApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        for ch in "sfzbl":  # 身份证补领 by pinyin initials
            await pilot.press(ch)
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("1", "2", "1")  # card lost, not in person, has hukou book
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OutcomeScreen)
        assert screen.decision["matter"]["id"] == "id_card_reissue"
        assert screen.case is not None
        stored = services.repository.get(screen.case.number)
        assert stored.decision["missing"][0]["condition"] == "in_person"
        await pilot.press("p")
        await pilot.pause()
        await app.workers.wait_for_complete()
    jobs = decode_jobs(spool.read_bytes())
    assert len(jobs) == 1
    text = jobs[0]
    assert text.rstrip("\n") == ctx.printer.render(screen.slip()).rstrip("\n")
    assert screen.case.number in text
    assert "一次性告知" in text and "居民身份证补领" in text
    assert "本人无法到场" in text
