"""Pilot tests of the staff desk: sign-in, lockout, the veto chain and the grey-zone major path."""

from __future__ import annotations

from typing import Any

from kiosk.app import KioskApp
from kiosk.domain.cases import CaseState
from kiosk.domain.services import KioskContext
from kiosk.screens.case_view import CaseViewScreen
from kiosk.screens.outcome import OutcomeScreen
from kiosk.screens.staff_desk import StaffDeskScreen

from .fakes import RecordingPrinter

SIZE = (80, 24)


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def sign_in(pilot: Any, staff_id: str, pin: str = "1234") -> None:
    await pilot.press("9")  # 工作人员登录
    await pilot.pause()
    await pilot.press(*staff_id, "enter", *pin, "enter")
    await settle(pilot)


async def sign_out(pilot: Any) -> None:
    await pilot.press("o")
    await settle(pilot)


async def open_case(pilot: Any, number: str) -> CaseViewScreen:
    desk = pilot.app.screen
    assert isinstance(desk, StaffDeskScreen)
    desk.app.push_screen(CaseViewScreen(desk.ctx, desk.session, number))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseViewScreen)
    return screen


async def act(pilot: Any, screen: CaseViewScreen, action_id: str, *typed: str) -> None:
    """Choose an action by its number key and fill its form field by field."""
    ids = [a.id for a in screen.actions]
    assert action_id in ids, ids
    await pilot.press(str(ids.index(action_id) + 1))
    await settle(pilot)
    for text in typed:
        await pilot.press(*text, "enter")
    if typed or pilot.app.screen is not screen:
        await pilot.click("#ok")
    await settle(pilot)


async def test_sign_in_and_sign_out(ctx: KioskContext) -> None:
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "c01")
        assert isinstance(app.screen, StaffDeskScreen)
        assert "张窗口" in str(app.screen.query_one("#who").render())
        await sign_out(pilot)
        assert app.screen.__class__.__name__ == "HomeScreen"
        assert app.staff_session is None


async def test_five_wrong_pins_lock_the_account(ctx: KioskContext) -> None:
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("9")
        await pilot.pause()
        await pilot.press(*"c01", "enter")
        for _ in range(5):
            await pilot.press(*"9999", "enter")
            await pilot.pause()
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "SignInScreen"
        assert "锁定" in str(app.screen.query_one("#error").render())


async def test_veto_chain_across_four_roles(ctx: KioskContext, printer: RecordingPrinter) -> None:
    result = ctx.classification.classify(
        {"matter": "id_card_reissue", "at_window": "D02", "legal_basis": "unclear"}
    )
    case = ctx.cases.register(result, {"name": "孙申请", "phone": "13900001111"})
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "c01")
        screen = await open_case(pilot, case.number)
        assert "head_approve" not in [a.id for a in screen.actions]  # a clerk can only ask
        await act(
            pilot,
            screen,
            "request_veto",
            "无法核实身份",
            "《居民身份证法》第十一条",
            "申请人无户籍信息",
        )
        assert ctx.cases.repository.get(case.number).state == CaseState.VETO_REQUESTED
        await pilot.press("escape")
        await settle(pilot)
        await sign_out(pilot)

        await sign_in(pilot, "h01")
        screen = await open_case(pilot, case.number)
        await act(pilot, screen, "head_approve", "同意，按程序报审")
        await pilot.press("escape")
        await settle(pilot)
        await sign_out(pilot)

        await sign_in(pilot, "u01")
        screen = await open_case(pilot, case.number)
        await act(pilot, screen, "unit_review", "审核同意，报备业务科室")
        await pilot.press("escape")
        await settle(pilot)
        await sign_out(pilot)

        await sign_in(pilot, "b01")
        screen = await open_case(pilot, case.number)
        await act(pilot, screen, "file")
        stored = ctx.cases.repository.get(case.number)
        assert stored.state == CaseState.VETO_FILED
        roles = [e.role for e in stored.timeline]
        assert (
            roles.index("clerk")
            < roles.index("window_head")
            < roles.index("unit_leader")
            < roles.index("business_section")
        )
        await pilot.press("f")  # print the 否决事项报备登记表
        await settle(pilot)
        assert printer.forms and printer.forms[0]["reasons"]
        await pilot.press("d")  # the A4 PDF for signing
        await settle(pilot)
        assert "PDF 已保存" in str(screen.query_one("#status").render())
        pdf = str(screen.query_one("#status").render()).split("：", 1)[1]
        from pypdf import PdfReader

        assert len(PdfReader(pdf).pages) == 3


async def test_grey_zone_major_path(ctx: KioskContext) -> None:
    result = ctx.classification.classify(
        {"matter": "id_card_reissue", "at_window": "D02", "legal_basis": "unclear", "major": True}
    )
    case = ctx.cases.register(result, {"name": "周申请", "phone": "13900002222"})
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "m01")
        desk = app.screen
        assert isinstance(desk, StaffDeskScreen)
        assert case.number in [c.number for c in desk.queues.waiting_for_me]
        screen = await open_case(pilot, case.number)
        assert "主要领导" in str(screen.query_one("#alarm").render())
        await act(pilot, screen, "acknowledge_report")
        assert str(screen.query_one("#alarm").render()) == ""
        await act(
            pilot, screen, "record_consultation", "赵主要、王分管、户政科", "可按特殊情形受理"
        )
        await act(pilot, screen, "reply", "经专项会商，可以受理，请携带材料到32号窗口")
        stored = ctx.cases.repository.get(case.number)
        assert stored.state == CaseState.REPLIED
        assert stored.workflow["reply"]["on_time"] is True


async def test_clerk_window_intake_records_who_took_it(ctx: KioskContext) -> None:
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "c01")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"id_card_reissue")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("1", "2", "1", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OutcomeScreen)
        assert screen.decision["go_to"]["window_id"] == "D02"
        assert screen.case is not None
        stored = ctx.cases.repository.get(screen.case.number)
        assert stored.request["at_window"] == "D02"
        assert stored.timeline[0].role == "clerk" and "张窗口" in stored.timeline[0].actor


async def test_business_section_sees_statistics_with_charts(ctx: KioskContext) -> None:
    for request in (
        {"matter": None, "legal_basis": "unclear"},
        {"matter": "id_card_reissue", "conditions": {"card_lost": True}},
        {"matter": "birth_registration"},
    ):
        ctx.cases.register(
            ctx.classification.classify(request), {"name": "甲", "phone": "13900003333"}
        )
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "b01")
        await pilot.press("s")
        await settle(pilot)
        report = str(app.screen.query_one("#report").render())
        assert "登记件数：3" in report
        assert "按单位" in report and "█" in report


async def test_a_clerk_cannot_open_statistics(ctx: KioskContext) -> None:
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "c01")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StaffDeskScreen)


async def test_reveal_contact_is_audited_and_refused_to_admins(ctx: KioskContext) -> None:
    result = ctx.classification.classify({"matter": None, "legal_basis": "unclear"})
    case = ctx.cases.register(result, {"name": "吴申请", "phone": "13900004444"})
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "b01")
        screen = await open_case(pilot, case.number)
        assert "13900004444" not in str(screen.query_one("#body").render())
        await pilot.press("v")
        await settle(pilot)
        assert "13900004444" in str(screen.query_one("#status").render())
        assert "查看申请人联系方式" in str(screen.query_one("#body").render())


async def test_staff_session_expires(ctx: KioskContext) -> None:
    app = KioskApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "c01")
        assert isinstance(app.screen, StaffDeskScreen)
        ctx.session_minutes = 0  # only now: the 1 s idle timer must not expire it mid-sign-in
        app.idle_tick()
        await settle(pilot)
        assert app.staff_session is None
        assert app.screen.__class__.__name__ == "HomeScreen"
