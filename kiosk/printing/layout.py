"""Pure text layout for thermal paper: display width, GBK-safe text, wrapping, centring."""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS_58MM = 32
COLUMNS_80MM = 48
PAPER_COLUMNS = (COLUMNS_58MM, COLUMNS_80MM)

#: Printed instead of a character the printer's GBK font does not have (e.g. 𠮷, 䶮) and
#: instead of control characters, which must never reach the printer as commands.
REPLACEMENT = "□"
#: U+00A5 is not in GBK and prints wrongly; the full-width yuan sign is.
YEN = "¥"
FULLWIDTH_YEN = "￥"

_BREAK_SPACES = " \t"
# Chinese line-breaking rules (禁则): these never start a line / never end one.
_CLOSING = set("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}")
_OPENING = set("（《「『【〔〈“‘([{")


def columns_for_paper(value: str | int) -> int:
    """Columns for a paper setting: `58`/`58mm`/`32` -> 32, `80`/`80mm`/`48` -> 48.

    Raises:
        ValueError: any other value (Chinese message).
    """
    text = str(value).strip().lower().removesuffix("mm")
    columns = {"58": COLUMNS_58MM, "32": COLUMNS_58MM, "80": COLUMNS_80MM, "48": COLUMNS_80MM}
    if text not in columns:
        raise ValueError(f"纸宽只能是 58mm（32 列）或 80mm（48 列）：{value}")
    return columns[text]


@dataclass(frozen=True)
class Line:
    """One paper line.

    Attributes:
        text: the characters printed (already padded; never wider than the paper).
        tall: printed in double height (`GS ! 0x01`); the width in columns is unchanged.
        qr: when set, the printer draws a QR code holding this value and `text` is the
            marker shown in the text rendering instead.
        cut: the paper is cut after this line (between the copies of a form).
    """

    text: str
    tall: bool = False
    qr: str | None = None
    cut: bool = False


def char_width(char: str) -> int:
    """Columns a character takes: 1 for ASCII, 2 for everything else (hanzi, ·, —, ×, “, ￥)."""
    return 1 if ord(char) < 0x80 else 2


def display_width(text: str) -> int:
    """Columns a string takes on the paper."""
    return sum(char_width(c) for c in text)


def in_gbk(char: str) -> bool:
    """True when a printer with a GBK font can print the character."""
    try:
        char.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str) -> str:
    """Make a text safe to print, one character at a time.

    `¥` becomes `￥`, tabs become spaces, characters outside GBK (rare hanzi such as 𠮷 or
    䶮, emoji) and control characters other than newline become `□`. The result encodes in
    GBK (= GB18030 two-byte form) and every non-ASCII character in it takes two columns.

    Args:
        text: any text.

    Returns:
        The text as the printer will show it.
    """
    out = []
    for char in text:
        if char == YEN:
            out.append(FULLWIDTH_YEN)
        elif char == "\t":
            out.append(" ")
        elif char == "\n" or " " <= char <= "~":
            out.append(char)
        elif ord(char) < 0x80 or not in_gbk(char):
            out.append(REPLACEMENT)
        else:
            out.append(char)
    return "".join(out)


def _units(paragraph: str) -> list[str]:
    """Split a paragraph into unbreakable units and runs of break spaces."""
    tokens: list[str] = []
    for char in paragraph:
        last = tokens[-1] if tokens else ""
        if char in _BREAK_SPACES:
            if last and last[-1] in _BREAK_SPACES:
                tokens[-1] += char
            else:
                tokens.append(char)
        elif ord(char) < 0x80 and last and ord(last[-1]) < 0x80 and last[-1] not in _BREAK_SPACES:
            tokens[-1] += char  # ASCII words stay whole
        else:
            tokens.append(char)
    units: list[str] = []
    glue_next = False
    for token in tokens:
        is_space = token[0] in _BREAK_SPACES
        prev_glueable = units and units[-1][-1] not in _BREAK_SPACES
        if not is_space and (glue_next or (token[0] in _CLOSING and prev_glueable)) and units:
            units[-1] += token
        else:
            units.append(token)
        glue_next = not is_space and token[-1] in _OPENING
    return units


def wrap(text: str, columns: int, indent: str = "") -> list[str]:
    """Wrap text to the paper width.

    Newlines start new lines. Breaks fall between hanzi or at spaces; ASCII words are only
    split when longer than a line; closing punctuation stays with the character before it and
    opening punctuation with the one after. Spaces at a break are dropped; no other character
    is lost, and no line is ever wider than `columns`.

    Args:
        text: the text (run it through `printable` first for printing).
        columns: the paper width in columns (32 for 58 mm, 48 for 80 mm), at least 2.
        indent: prefix of continuation lines (hanging indent); ignored when too wide.

    Returns:
        The lines, at least one.
    """
    if columns < 2:
        raise ValueError("columns must be at least 2")
    if display_width(indent) > min(columns // 2, columns - 2):
        indent = ""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, columns, indent))
    return lines


def _wrap_paragraph(paragraph: str, columns: int, indent: str) -> list[str]:
    lines: list[str] = []
    line, width = "", 0
    content = False  # the line holds a unit (not only indentation)
    pending = ""  # break spaces waiting to go between two units

    def new_line() -> None:
        nonlocal line, width, content, pending
        lines.append(line.rstrip(_BREAK_SPACES))
        line, width, content, pending = indent, display_width(indent), False, ""

    for unit in _units(paragraph):
        if unit[0] in _BREAK_SPACES:
            if content:
                pending += unit
            elif not lines:  # indentation of the paragraph's first line
                keep = unit[: max(0, columns - 2 - width)]
                line, width = line + keep, width + len(keep)
            continue
        unit_width = display_width(unit)
        if width + len(pending) + unit_width <= columns:
            line, width = line + pending + unit, width + len(pending) + unit_width
        elif content and display_width(indent) + unit_width <= columns:
            new_line()
            line, width = line + unit, width + unit_width
        else:  # longer than a line: split it, filling the current line first
            if width + len(pending) < columns:
                line, width = line + pending, width + len(pending)
            for char in unit:
                if width + char_width(char) > columns:
                    new_line()
                line, width = line + char, width + char_width(char)
        content, pending = True, ""
    lines.append(line.rstrip(_BREAK_SPACES))
    return lines


def center(text: str, columns: int) -> str:
    """Pad a line with leading spaces so it sits in the middle of the paper.

    Args:
        text: one line no wider than `columns`.
        columns: the paper width.

    Returns:
        The padded line (no trailing spaces).
    """
    free = columns - display_width(text)
    return " " * (free // 2) + text if free > 0 else text


def rule(columns: int, char: str = "-") -> str:
    """A separator line across the paper (`char` must be one column wide)."""
    return char * columns


def field(label: str, value: str, columns: int) -> list[str]:
    """`label + value` wrapped; continuation lines align under the value for short labels.

    Args:
        label: e.g. `地址：`.
        value: the value; may be long (addresses, opening hours).
        columns: the paper width.

    Returns:
        The wrapped lines.
    """
    label_width = display_width(label)
    indent = " " * label_width if label_width <= columns // 4 else ""
    return wrap(label + value, columns, indent=indent)
