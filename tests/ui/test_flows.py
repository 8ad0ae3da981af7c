"""Pilot tests: each of the five outcomes from home to a printed receipt, keyboard only."""

from __future__ import annotations

from kiosk.app import KioskApp
from kiosk.domain.services import KioskContext
from kiosk.screens.outcome import OutcomeScreen

from .fakes import RecordingPrinter

SIZE = (80, 24)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def find(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("1")  # 我要办事
    await pilot.pause()
    for ch in text:
        await pilot.press(ch)
    await pilot.pause()


async def test_handle_path(ctx: KioskContext, printer: RecordingPrinter) -> None:
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "id_card_reissue")
        await pilot.press("1")  # first result
        await pilot.pause()
        for _ in range(3):
            await pilot.press("1")  # 是
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OutcomeScreen)
        assert screen.decision["outcome"] == "handle"
        assert screen.case is None
        await pilot.press("p")
        await settle(pilot)
        assert printer.printed[0].decision["outcome"] == "handle"


async def test_incomplete_path_registers_before_printing(
    ctx: KioskContext, printer: RecordingPrinter
) -> None:
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "id_card_reissue")
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("1", "2", "3")  # 是, 否, 不确定
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OutcomeScreen)
        assert screen.decision["outcome"] == "incomplete"
        assert [m["condition"] for m in screen.decision["missing"]] == [
            "in_person",
            "has_hukou_book",
        ]
        assert screen.case is not None
        stored = ctx.cases.repository.get(screen.case.number)
        assert stored.outcome == "incomplete"
        await pilot.press("p")
        await settle(pilot)
        assert printer.printed[0].case_number == screen.case.number


async def test_redirect_path(ctx: KioskContext) -> None:
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "birth_registration")
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter", "enter", "enter", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, OutcomeScreen)
        assert app.screen.decision["outcome"] == "redirect"
        assert "江北派出所" in app.screen.decision["go_to"]["unit"]


async def test_escalate_path_asks_for_contact_and_validates_phone(ctx: KioskContext) -> None:
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "zzzz")
        await pilot.press("9")  # 找不到我要办的事
        await pilot.pause()
        await pilot.press("1")  # 不知道该找哪个部门
        await pilot.pause()
        for ch in "wang":
            await pilot.press(ch)
        await pilot.press("enter")
        for ch in "12345":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        assert "电话号码“12345”不正确" in str(app.screen.query_one("#error").render())
        for _ in range(5):
            await pilot.press("backspace")
        for ch in "13812345678":
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OutcomeScreen)
        assert screen.decision["outcome"] == "escalate"
        assert screen.case is not None
        assert ctx.cases.repository.get(screen.case.number).applicant["phone"] == "13812345678"


async def test_grey_zone_path_from_fallback_choice(ctx: KioskContext) -> None:
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")  # 办不成事反映
        await pilot.pause()
        await pilot.press("4")  # 政策没有规定或规定不清楚
        await pilot.pause()
        for ch in "li":
            await pilot.press(ch)
        await pilot.press("enter")
        for ch in "0915-3210000":
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OutcomeScreen)
        assert screen.decision["outcome"] == "grey_zone"
        assert screen.decision["reply_due"] == "2026-12-04"
        assert screen.case is not None


async def test_printer_failure_loses_no_case_and_shows_slip(
    ctx: KioskContext, printer: RecordingPrinter
) -> None:
    printer.fail = True
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "birth_registration")
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter", "enter", "enter", "enter", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OutcomeScreen)
        await pilot.press("p")
        await settle(pilot)
        assert printer.queued and screen.slip_text
        assert ctx.cases.repository.get(screen.case.number)  # type: ignore[union-attr]


async def test_lockdown_keys_do_nothing(ctx: KioskContext) -> None:
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q", "ctrl+c", "ctrl+p")
        await pilot.pause()
        assert app.is_running
        assert app.screen.__class__.__name__ == "HomeScreen"


async def test_idle_returns_home_and_forgets_input(ctx: KioskContext) -> None:
    ctx.idle_seconds = 0.5
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "shenfen")
        assert app.screen.__class__.__name__ == "FindMatterScreen"
        app.last_activity -= 10
        app.idle_tick()
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.query_one("#query").value == ""  # type: ignore[attr-defined]


async def test_progress_shows_own_case_only_with_matching_phone_digits(ctx: KioskContext) -> None:
    result = ctx.classification.classify({"matter": None, "legal_basis": "unclear"})
    case = ctx.cases.register(result, {"name": "王小明", "phone": "13812345678"})
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press(*case.number, "enter", *"0000", "enter")
        await pilot.pause()
        shown = str(app.screen.query_one("#result").render())
        assert "没有查到" in shown and "王" not in shown
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.press(*"5678", "enter")
        await pilot.pause()
        shown = str(app.screen.query_one("#result").render())
        assert case.number in shown
        assert "王*明" in shown and "王小明" not in shown
        assert "2026-12-04" in shown
