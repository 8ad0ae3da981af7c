"""The consultation and supervision phones, docked at the bottom of every applicant screen."""

from __future__ import annotations

from textual.widgets import Static

from kiosk.domain.catalogue import Centre


class PhoneFooter(Static):
    """One line with the centre's consultation, supervision and complaint phones."""

    DEFAULT_CSS = """
    PhoneFooter {
        dock: bottom;
        height: 1;
        width: 100%;
        background: $primary-darken-2;
        color: $text;
        padding: 0 1;
        &:ansi { background: ansi_blue; color: ansi_bright_white; }
    }
    """

    def __init__(self, centre: Centre) -> None:
        """Show the phones of a centre."""
        super().__init__(
            f"咨询 {centre.consultation_phone}  监督 {centre.supervision_phone}  投诉 {centre.complaint_phone}"
        )
