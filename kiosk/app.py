"""KioskApp: applicant mode, lockdown keys, idle reset, and the flow between screens."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType

from kiosk.domain.cases import CaseError
from kiosk.domain.request import RequestError
from kiosk.domain.services import Classification, KioskContext
from kiosk.screens.browse import BrowseScreen
from kiosk.screens.contact import ContactScreen
from kiosk.screens.describe import DescribeScreen
from kiosk.screens.find_matter import BROWSE, NOT_FOUND, FindMatterScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.outcome import OutcomeScreen
from kiosk.screens.progress import ProgressScreen
from kiosk.screens.questions import QuestionsScreen
from kiosk.screens.sign_in import SignInScreen
from kiosk.screens.staff_desk import StaffDeskScreen

RULES_POLL_S = 5.0
NEEDS_CONTACT = ("escalate", "grey_zone")  # someone must reply: ask whom and how


class KioskApp(App[None]):
    """The kiosk. In applicant mode nothing quits it and idling returns home."""

    ENABLE_COMMAND_PALETTE = False
    TITLE = "窗口无否决权"

    BINDINGS: ClassVar[list[BindingType]] = [
        # Override Textual's quit keys: an applicant must not leave the kiosk program.
        Binding("ctrl+q", "guarded_quit", show=False, priority=True),
        Binding("ctrl+c", "guarded_quit", show=False, priority=True),
        Binding("ctrl+p", "ignore", show=False, priority=True),
    ]

    def __init__(self, ctx: KioskContext) -> None:
        """Receive every service through the constructor (see bootstrap.py)."""
        super().__init__()
        self.ctx = ctx
        self.last_activity = time.monotonic()
        self.resets = 0
        self.staff_session: Any = None  # set while a staff member is signed in

    def on_mount(self) -> None:
        """Show home and start the idle watch."""
        self.push_screen(HomeScreen(self.ctx))
        self.set_interval(1.0, self.idle_tick)
        if self.ctx.reload_rules is not None:
            self.set_interval(RULES_POLL_S, self.reload_rules)

    @work(thread=True, exclusive=True, group="rules")
    def reload_rules(self) -> None:
        """Pick up an edited rules file; a broken edit is refused and the last good rules stay."""
        assert self.ctx.reload_rules is not None
        problems = self.ctx.reload_rules()
        if problems:
            self.log.warning("rules edit refused", problems=problems)

    # -- lockdown ---------------------------------------------------------------

    def action_guarded_quit(self) -> None:
        """Quit only when allowed (development, staff); applicants stay in the kiosk."""
        if self.ctx.allow_quit:
            self.exit()

    def action_ignore(self) -> None:
        """Swallow a key."""

    def on_event(self, event: events.Event) -> Any:
        """Any key, click or mouse movement is activity."""
        if isinstance(
            event, events.Key | events.MouseDown | events.MouseScrollDown | events.MouseScrollUp
        ):
            self.last_activity = time.monotonic()
        return super().on_event(event)

    def idle_tick(self) -> None:
        """After the idle time, forget the applicant's input and go home; expire staff sessions."""
        session = self.staff_session
        if session is not None and self._session_expired(session):
            self.reset_to_home()
            self.notify("登录已超时，请重新登录", severity="warning")
            return
        if (
            time.monotonic() - self.last_activity >= self.ctx.idle_seconds
            and len(self.screen_stack) > 2
        ):
            self.reset_to_home()

    def _session_expired(self, session: Any) -> bool:
        started = datetime.fromisoformat(session.signed_in_at)
        return (self.ctx.clock() - started).total_seconds() >= self.ctx.session_minutes * 60

    def reset_to_home(self) -> None:
        """Drop every screen above home (their input goes with them); signs staff out."""
        self.staff_session = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.resets += 1
        self.last_activity = time.monotonic()

    # -- flow -------------------------------------------------------------------

    def on_home_screen_chosen(self, message: HomeScreen.Chosen) -> None:
        """Start the chosen path."""
        if message.action == "do":
            self.push_screen(FindMatterScreen(self.ctx), self._matter_found)
        elif message.action == "fallback":
            self.push_screen(DescribeScreen(self.ctx, fallback=True), self._fallback_described)
        elif message.action == "progress":
            self.push_screen(ProgressScreen(self.ctx))
        elif message.action == "staff":
            self.push_screen(SignInScreen(self.ctx), self._signed_in)

    # -- staff ------------------------------------------------------------------

    def _signed_in(self, session: Any) -> None:
        if session is not None:
            self.staff_session = session
            self.push_screen(StaffDeskScreen(self.ctx, session))

    def on_staff_desk_screen_signed_out(self) -> None:
        """Signing out returns to applicant mode."""
        self.reset_to_home()

    def on_staff_desk_screen_intake_requested(self) -> None:
        """Window intake: the same flow as an applicant, at the clerk's window."""
        workflow = self.ctx.workflow
        if workflow is None or self.staff_session is None:
            return
        try:
            workflow.check_intake(self.staff_session)
        except CaseError as error:
            self.notify(str(error), severity="warning")
            return
        self.push_screen(FindMatterScreen(self.ctx), self._matter_found)

    def _matter_found(self, result: str | None) -> None:
        if result is None:
            return
        if result == BROWSE:
            self.push_screen(BrowseScreen(self.ctx), self._matter_found)
        elif result == NOT_FOUND:
            self.push_screen(DescribeScreen(self.ctx), self._need_described)
        else:
            matter = self.ctx.catalogue.matters[result]
            self.push_screen(
                QuestionsScreen(self.ctx, matter),
                lambda answers: self._answered(matter.id, answers),
            )

    def _answered(self, matter_id: str, answers: dict[str, bool | None] | None) -> None:
        if answers is not None:
            self.classify({"matter": matter_id, "conditions": answers})

    def _need_described(self, need: dict[str, Any] | None) -> None:
        if need is not None:
            self.classify(
                {
                    "matter": None,
                    "description": need["description"],
                    "legal_basis": "unclear" if need["unclear"] else "clear",
                }
            )

    def _fallback_described(self, need: dict[str, Any] | None) -> None:
        if need is None:
            return
        window = self.ctx.catalogue.window_for_role("fallback_window")
        self.classify(
            {
                "matter": None,
                "description": need["description"],
                "at_window": window.id if window else None,
                "legal_basis": "unclear" if need["unclear"] else "clear",
            }
        )

    def classify(self, request: dict[str, Any]) -> None:
        """Classify with the same service as `kiosk classify`, then show the outcome."""
        session = self.staff_session
        if session is not None and getattr(session, "window", None):
            request.setdefault("at_window", session.window)  # window intake
        try:
            result = self.ctx.classification.classify(request)
        except RequestError as error:
            self.notify(f"无法办理：{error}。请到综合咨询服务台咨询。", severity="error")
            return
        if result.decision["outcome"] in NEEDS_CONTACT:
            self.push_screen(
                ContactScreen(self.ctx), lambda contact: self._contact_given(result, contact)
            )
        else:
            self.push_screen(OutcomeScreen(self.ctx, result, register=self._registrar()))

    def _registrar(self) -> Any:
        """How an outcome's case is stored: by the kiosk, or as the signed-in clerk's intake."""
        session, workflow = self.staff_session, self.ctx.workflow
        if session is None or workflow is None:
            return None
        return lambda result, applicant: workflow.register_intake(session, result, applicant)

    def _contact_given(self, result: Classification, contact: dict[str, str] | None) -> None:
        if contact is not None:
            self.push_screen(OutcomeScreen(self.ctx, result, contact, register=self._registrar()))


def run_app(ctx: KioskContext) -> int:
    """Run the kiosk until it is stopped."""
    KioskApp(ctx).run()
    return 0
