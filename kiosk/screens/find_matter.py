"""Find a matter: type Chinese, full pinyin or initials; results update as the person types."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Static

from kiosk.screens.base import ApplicantScreen
from kiosk.widgets.numbered_menu import Choice, NumberedMenu
from kiosk.widgets.search_input import SearchInput

BROWSE = "__browse"
NOT_FOUND = "__none"
MAX_HITS = 7  # results take keys 1-7; 8 browses by unit, 9 is "not found"


class FindMatterScreen(ApplicantScreen[str]):
    """Dismisses with a matter id, BROWSE, NOT_FOUND, or None (back)."""

    TITLE_TEXT = "我要办事 · 查找事项"

    DEFAULT_CSS = """
    FindMatterScreen {
        & SearchInput { margin: 0 1; }
        & NumberedMenu { height: 1fr; margin: 0 1; }
    }
    """

    def compose(self) -> ComposeResult:
        """Search box, hint, results."""
        yield from self.compose_title()
        yield SearchInput(placeholder="输入拼音首字母、全拼或汉字，如 yyzz、shebaoka", id="query")
        yield Static(
            "数字键选结果，↓ 进入列表，Esc 返回。看不到想办的事可按 8 分部门浏览，按 9 找人帮忙。",
            classes="hint",
        )
        yield NumberedMenu(self._choices(""), id="results")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Start typing at once."""
        self.query_one(SearchInput).focus()

    def _choices(self, query: str) -> list[Choice]:
        catalogue = self.ctx.catalogue
        hits = self.ctx.search.search(query, limit=MAX_HITS) if query.strip() else []
        choices: list[Choice] = []
        for hit in hits:
            matter = catalogue.matters[hit.matter_id]
            unit = catalogue.units[matter.unit].name
            choices.append((matter.id, f"{matter.name}（{unit}）"))
        specials: list[Choice] = [
            (BROWSE, "按部门浏览全部事项", 8),
            (NOT_FOUND, "找不到我要办的事（登记后由工作人员联系您）", 9),
        ]
        return [*choices, *specials]

    def on_input_changed(self, event: Input.Changed) -> None:
        """Refresh the results on every keystroke."""
        self.query_one(NumberedMenu).set_choices(self._choices(event.value))

    def on_search_input_number_pressed(self, event: SearchInput.NumberPressed) -> None:
        """Digit keys in the search box choose a numbered result."""
        if event.number:
            self.query_one(NumberedMenu).action_choose(event.number)

    def on_search_input_leave_down(self) -> None:
        """Down arrow moves from the box to the results."""
        menu = self.query_one(NumberedMenu)
        menu.focus()
        menu.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A result, browse or not-found was chosen."""
        event.stop()
        if event.option.id:
            self.dismiss(event.option.id)
