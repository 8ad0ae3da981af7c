"""Browse matters by unit, for people who would rather pick than type."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import OptionList, Static

from kiosk.screens.base import ApplicantScreen
from kiosk.widgets.numbered_menu import Choice, NumberedMenu


class BrowseScreen(ApplicantScreen[str]):
    """Units first, then the unit's matters; dismisses with a matter id or None."""

    TITLE_TEXT = "我要办事 · 按部门浏览"

    DEFAULT_CSS = """
    BrowseScreen NumberedMenu { height: 1fr; margin: 0 1; }
    """

    unit: str | None = None

    def compose(self) -> ComposeResult:
        """Hint and the menu."""
        yield from self.compose_title()
        yield Static("请选择部门，再选择事项。Esc 返回上一级。", classes="hint", id="where")
        yield NumberedMenu(self._units(), id="menu")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Focus the menu."""
        self.query_one(NumberedMenu).focus()

    def _units(self) -> list[Choice]:
        return [
            (f"unit:{unit.id}", f"{unit.name}（{len(matters)} 项）")
            for unit, matters in self.ctx.catalogue.by_unit()
        ]

    def _matters(self, unit: str) -> list[Choice]:
        matters = dict((u.id, ms) for u, ms in self.ctx.catalogue.by_unit())[unit]
        return [(m.id, m.name + ("" if m.handled_here else "（不在本中心办理）")) for m in matters]

    def _show(self, unit: str | None) -> None:
        self.unit = unit
        menu = self.query_one(NumberedMenu)
        menu.set_choices(self._matters(unit) if unit else self._units())
        menu.highlighted = 0
        where = self.ctx.catalogue.units[unit].name if unit else "请选择部门，再选择事项。"
        self.query_one("#where", Static).update(f"{where}　Esc 返回上一级。")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open a unit, or choose a matter."""
        event.stop()
        key = str(event.option.id)
        if key.startswith("unit:"):
            self._show(key.removeprefix("unit:"))
        else:
            self.dismiss(key)

    def action_back(self) -> None:
        """From a unit's matters back to the units; from the units back out."""
        if self.unit:
            self._show(None)
        else:
            self.dismiss(None)
